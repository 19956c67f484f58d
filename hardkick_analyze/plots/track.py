"""The fitted track with the reps drawn on it (an inset of the session overview).

Everything is drawn in the track's own frame (:mod:`hardkick_analyze.trackshape`: straights
along x, anticlockwise; a clockwise session is mirrored by the fit), from the positions the
track stage projected onto it: the grid's ``track_s_m``, ``track_offset_m`` and ``track_lane``.
The GPS trace is drawn where the watch put it, each rep on the running line of the lane it was
measured in: the picture of the correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes

from .. import trackshape
from ..clean import SessionGrid
from ..results import RepResult, SessionReport
from .style import new_axes, style_context

__all__ = ["has_track", "plot_track", "track_inset"]

#: Lanes drawn: every lane line of a standard eight-lane track.
LANES = 8
_KERB_STYLE: dict[str, Any] = {"color": "0.35", "linewidth": 1.0}
_LINE_STYLE: dict[str, Any] = {"color": "0.8", "linewidth": 0.5}
_TRACE_STYLE: dict[str, Any] = {"color": "0.6", "linewidth": 0.5, "alpha": 0.6}
#: Where the inset goes on the session overview [axes fraction: left, bottom, width, height]: the
#: upper left, above the warm-up's slower running.
INSET_BOUNDS = (0.005, 0.5, 0.2, 0.4)


def has_track(report: SessionReport) -> bool:
    """Whether the session's distance was measured on a recognised track (there is one to draw)."""
    grid = report.grid
    return grid is not None and "track_s_m" in grid.frame and bool(grid.frame["track_s_m"].notna().any())


def track_inset(ax: Axes, report: SessionReport) -> Axes | None:
    """The fitted track with the reps, as an inset in the upper left of ``ax`` (the overview).

    Returns the inset's axes (``gid`` ``'track-inset'``), or None when the session was not
    corrected on a track. Fits :func:`~hardkick_analyze.plots.session.plot_session_overview`'s
    ``extras``.
    """
    if not has_track(report):
        return None
    inset = ax.inset_axes(INSET_BOUNDS, zorder=5)
    inset.set_gid("track-inset")
    plot_track(report, ax=inset)
    return inset


def plot_track(
    source: SessionReport | SessionGrid,
    ax: Axes | None = None,
    *,
    reps: Sequence[RepResult] | None = None,
) -> Axes:
    """Draw the track, the on-track GPS trace and each rep (its kick in bold).

    Parameters
    ----------
    source
        An analysed session whose distance was corrected on a track (its ``grid`` and ``reps``
        are used), or a corrected grid (:func:`hardkick_analyze.track.correct_grid`).
    ax
        Axes to draw on; a new figure's when None.
    reps
        The reps to draw (default: the report's; none for a bare grid).

    Returns
    -------
    Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        The session was not corrected on a track (no track positions to draw).
    """
    grid = source.grid if isinstance(source, SessionReport) else source
    if reps is None:
        reps = source.reps if isinstance(source, SessionReport) else ()
    if grid is None or "track_s_m" not in grid.frame or not grid.frame["track_s_m"].notna().any():
        raise ValueError("the session was not corrected on a track: there is no track to draw")
    with style_context():
        axes = ax if ax is not None else new_axes(5.0, 3.2)
        _draw_lanes(axes)
        time = grid.time_s
        axes.plot(*_track_positions(grid, on_line=False), **_TRACE_STYLE)
        x, y = _track_positions(grid, on_line=True)
        colours = colormaps["viridis"](np.linspace(0.0, 0.9, max(len(reps), 1)))
        for rep, colour in zip(reps, colours, strict=False):
            paced = (time >= rep.start_s) & (time <= rep.end_s)
            axes.plot(x[paced], y[paced], color=colour, linewidth=1.6)
            if rep.kick is not None:
                kick = (time >= rep.kick.start_s) & (time <= rep.kick.end_s)
                axes.plot(x[kick], y[kick], color=colour, linewidth=3.2)
            start = int(np.searchsorted(time, rep.start_s))
            if start < len(time) and np.isfinite(x[start]):
                axes.plot(x[start], y[start], marker="o", markersize=3.5, color=colour)
                axes.annotate(
                    str(rep.index), (x[start], y[start]), xytext=(3, 3), textcoords="offset points", fontsize=7
                )
        axes.set_aspect("equal")
        axes.set_axis_off()
    return axes


def _draw_lanes(ax: Axes) -> None:
    """The kerb, every lane line and the finish line."""
    s = np.linspace(0.0, trackshape.lap_length_m(1), 400)
    kerb = trackshape.KERB_RADIUS_M - trackshape.running_line_radius_m(1)
    x, y = trackshape.position_xy_m(s, offset_m=kerb)
    ax.plot(x, y, **_KERB_STYLE)
    for lane in range(1, LANES + 1):
        outer = kerb + lane * trackshape.LANE_WIDTH_M
        x, y = trackshape.position_xy_m(s, offset_m=outer)
        ax.plot(x, y, **(_KERB_STYLE if lane == LANES else _LINE_STYLE))
    # The finish line: across the lanes at the end of the home straight (s = 0).
    inner = trackshape.running_line_radius_m(1) + kerb
    half = trackshape.STRAIGHT_M / 2.0
    ax.plot([half, half], [-inner, -inner - LANES * trackshape.LANE_WIDTH_M], **_KERB_STYLE)


def _track_positions(grid: SessionGrid, *, on_line: bool) -> tuple[np.ndarray, np.ndarray]:
    """Positions in the track frame [m], NaN off the track: as measured, or on the running line
    of the lane the distance was measured in."""
    s = grid.frame["track_s_m"].to_numpy(dtype=np.float64)
    offset = grid.frame["track_offset_m"].to_numpy(dtype=np.float64)
    if on_line:
        lane = grid.frame["track_lane"].to_numpy(dtype=np.float64)
        lines = np.array([np.nan, *(trackshape.lane_offset_m(n) for n in range(1, LANES + 1))])
        offset = np.where(np.isfinite(lane), lines[np.nan_to_num(lane, nan=0.0).astype(int)], np.nan)
    on = np.isfinite(s) & np.isfinite(offset)
    x = np.full(len(s), np.nan)
    y = np.full(len(s), np.nan)
    x[on], y[on] = trackshape.position_xy_m(s[on], offset_m=offset[on])
    return x, y
