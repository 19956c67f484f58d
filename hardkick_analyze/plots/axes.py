"""Axis furniture shared by the session charts: the pace axis, clock-time ticks, titles, notes."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator
from numpy.typing import ArrayLike

from ..results import SessionReport
from ..units import METRES_PER_MILE, format_clock, format_pace
from ..workout import planned_text
from .style import MUTED

if TYPE_CHECKING:
    from matplotlib.axes._secondary_axes import SecondaryAxis

__all__ = [
    "add_pace_axis",
    "clock_ticks",
    "pace_tick_label",
    "pace_ticks",
    "session_caption",
    "set_title",
    "show_note",
]

#: Candidate spacings of clock-time ticks [s].
_CLOCK_STEPS_S = (30, 60, 120, 300, 600, 900, 1200, 1800, 3600)
#: Candidate spacings of pace ticks [s per km or per mile].
_PACE_STEPS_S = (5, 10, 15, 20, 30, 60, 120, 300)
#: Size of the caption under each title [pt].
_CAPTION_PT = 8.0


def pace_tick_label(pace_s: float, units: str = "km") -> str:
    """A pace tick without its unit (the axis label carries it): ``295.0`` -> ``'4:55'``."""
    return format_pace(_to_s_per_km(pace_s, units), units).split("/")[0]


def pace_ticks(low_s: float, high_s: float, max_ticks: int = 8) -> np.ndarray:
    """Round paces between ``low_s`` and ``high_s``, at most ``max_ticks`` of them [s per unit]."""
    span = max(high_s - low_s, 1.0)
    step = next((s for s in _PACE_STEPS_S if span / s <= max_ticks - 1), _PACE_STEPS_S[-1])
    return np.arange(math.ceil(low_s / step) * step, high_s + 1e-9, step)


def add_pace_axis(ax: Axes, units: str = "km") -> SecondaryAxis:
    """Label a speed axis [m/s] with paces on the right-hand side [min:s per km or mile].

    Pace is the reciprocal of speed, so the ticks are placed at round paces, unevenly spaced.
    The ticks follow the speed axis' limits as they are when this is called: set them first.

    Returns
    -------
    SecondaryAxis
        The pace axis.
    """
    metres = METRES_PER_MILE if units == "mi" else 1000.0

    def reciprocal(values: ArrayLike) -> np.ndarray:
        """Speed [m/s] <-> pace [s per unit]; a standing runner has an infinite pace."""
        values = np.asarray(values, dtype=np.float64)
        with np.errstate(divide="ignore"):
            return np.where(values > 0, metres / np.where(values > 0, values, 1.0), np.inf)

    pace_axis = ax.secondary_yaxis("right", functions=(reciprocal, reciprocal))
    low, high = sorted(ax.get_ylim())
    slowest = metres / max(low, 0.5)
    pace_axis.yaxis.set_major_locator(FixedLocator(pace_ticks(metres / high, slowest).tolist()))
    pace_axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: pace_tick_label(value, units)))
    pace_axis.set_ylabel(f"pace [min:s per {units}]")
    return pace_axis


def clock_ticks(ax: Axes, duration_s: float, max_ticks: int = 12) -> None:
    """Clock-time ticks on the x axis (``'15:00'``, ``'1:02:00'``) at a round spacing."""
    step = next((s for s in _CLOCK_STEPS_S if duration_s / s <= max_ticks), _CLOCK_STEPS_S[-1])
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_clock(value)))


def set_title(ax: Axes, what: str, report: SessionReport, units: str = "km") -> None:
    """``what`` in bold, and under it the session's date, workout and target."""
    # The caption is its own line: beside the title it collides with it on narrow charts.
    ax.set_title(what, pad=_CAPTION_PT + 6.0)
    ax.annotate(
        session_caption(report, units),
        (0.0, 1.0),
        xycoords="axes fraction",
        xytext=(0.0, 4.0),
        textcoords="offset points",
        fontsize=_CAPTION_PT,
        color=MUTED,
        va="bottom",
    )


def session_caption(report: SessionReport, units: str = "km") -> str:
    """``'Tue 12 May 2026 · hard-kick-500: 4x400 m, 2x(400+100 m) · target 4:55/km'`` (the date in UTC)."""
    parts = [report.start_time.strftime("%a %d %b %Y"), _workout_text(report)]
    if report.target_pace_s_per_km is not None:
        # An inferred target is only the pace the reps agree on: say so.
        inferred = " (inferred)" if report.target_pace_source == "inferred" else ""
        parts.append(f"target {format_pace(report.target_pace_s_per_km, units)}{inferred}")
    return " · ".join(parts)


def show_note(ax: Axes, text: str) -> None:
    """A centred note where there is nothing to draw (no kick, no reps)."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color=MUTED)


def _workout_text(report: SessionReport) -> str:
    """The planned reps grouped: ``4x400 m, 2x(400+100 m)``, after the preset's name if any."""
    groups = []
    for planned, run in itertools.groupby(report.workout.reps):
        count = len(list(run))
        text = planned_text(planned)
        groups.append(f"{count}x({text})" if planned.has_kick and count > 1 else f"{count}x{text}")
    reps = ", ".join(groups)
    return f"{report.workout.name}: {reps}" if report.workout.name else reps


def _to_s_per_km(pace_s: float, units: str) -> float:
    """A pace per ``units`` in s/km, the unit :func:`format_pace` takes."""
    return pace_s * 1000.0 / METRES_PER_MILE if units == "mi" else pace_s
