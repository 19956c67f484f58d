"""The charts' look, shared by every chart module: a palette that still reads in grey, fonts, sizes.

Colours are Okabe-Ito (safe for colour-blind readers). Where two things must be told apart on a
printout, they differ in lightness *and* in line style or hatching: kick 1 is dark blue and solid,
kick 2 light orange and dashed; a kick's shading is hatched, a rep's is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.typing import LineStyleType

__all__ = [
    "DPI",
    "HEART",
    "INK",
    "KICK_FILL",
    "KICK_HATCH",
    "MUTED",
    "PAUSE_HATCH",
    "RC",
    "REP_FILL",
    "REST_FILL",
    "SLACK_FILL",
    "TARGET",
    "kick_style",
    "new_axes",
    "style_context",
]

#: Okabe-Ito colours, named by what they show. Lightness (CIE L*) in brackets.
INK = "#222222"  # the speed trace [14]
TARGET = "#444444"  # the target pace line [29]
MUTED = "#777777"  # context: the paced part before a kick, secondary text [50]
HEART = "#CC79A7"  # heart rate, reddish purple [61]
REP_FILL = "#56B4E9"  # a rep's paced part, sky blue [70], drawn translucent
KICK_FILL = "#D55E00"  # a kick, vermillion [54], drawn translucent and hatched
KICK_HATCH = "////"
SLACK_FILL = "#D9D9D9"  # warm-up and cool-down [87]
REST_FILL = "#F0F0F0"  # rests between reps [95]
PAUSE_HATCH = "#A0A0A0"  # hatching where the watch was paused (on white) [66]

#: One (colour, line style) per kick, alternating dark and light so kick 1 and kick 2 differ in grey.
_KICK_STYLES: tuple[tuple[str, LineStyleType], ...] = (
    ("#0072B2", "-"),
    ("#E69F00", "--"),
    ("#000000", "-."),
    ("#CC79A7", ":"),
)

#: Resolution of every chart [dots per inch].
DPI = 100

#: rcParams every chart is drawn with. DejaVu Sans ships with matplotlib, so the text looks (and
#: the image tests compare) the same on every machine; the SVG hash salt makes SVG ids repeatable.
RC: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 11.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.0,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "legend.fontsize": 8.0,
    "legend.frameon": False,
    "lines.solid_capstyle": "butt",
    "hatch.linewidth": 0.6,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "svg.hashsalt": "hardkick-analyze",
    "svg.fonttype": "path",
}


@contextmanager
def style_context() -> Iterator[None]:
    """Draw (and save) inside this block to get the house style; the caller's rcParams come back after."""
    with mpl.rc_context(RC):
        yield


def new_axes(width_in: float, height_in: float) -> Axes:
    """One axes on a new figure of ``width_in`` x ``height_in`` inches [in].

    The figure is a plain :class:`~matplotlib.figure.Figure`, never registered with pyplot, so
    nothing is shown and nothing leaks between calls.
    """
    figure = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    return figure.add_subplot()


def kick_style(number: int) -> tuple[str, LineStyleType]:
    """Colour and line style of kick ``number`` (1-based) in every chart."""
    return _KICK_STYLES[(number - 1) % len(_KICK_STYLES)]
