"""Charts. This package is the only importer of matplotlib, always with the non-interactive Agg
backend; importing :mod:`hardkick_analyze` or producing JSON never imports it.

Every chart function takes an optional ``ax`` (or ``fig``), returns what it drew on, and never
calls ``plt.show()``. Without an ``ax`` each draws on a new :class:`~matplotlib.figure.Figure`
of its own (never pyplot's), in the house style of :mod:`.style`.

- :func:`plot_session_overview`: speed and heart rate over the session, its parts shaded, and
  on a track an inset of the fitted track (:func:`plot_track`)
- :func:`plot_reps`: each rep's pace against the target and its tolerance
- :func:`plot_kick_fade`: speed through each kick, where the kick died
- :func:`save_session_charts`: all three to PNG or SVG files
"""

from __future__ import annotations

import sys

import matplotlib

# Charts are drawn on plain Figures and saved to files, so they need no GUI; but a notebook that
# already chose its backend through pyplot (``%matplotlib inline``) keeps it.
if "matplotlib.pyplot" not in sys.modules:
    matplotlib.use("Agg")

from .kick import kick_trace, lead_in_trace, plot_kick_fade
from .reps import plot_reps
from .save import CHART_FORMATS, save_session_charts
from .session import plot_session_overview, session_spans
from .track import plot_track, track_inset

__all__ = [
    "CHART_FORMATS",
    "kick_trace",
    "lead_in_trace",
    "plot_kick_fade",
    "plot_reps",
    "plot_session_overview",
    "plot_track",
    "save_session_charts",
    "session_spans",
    "track_inset",
]
