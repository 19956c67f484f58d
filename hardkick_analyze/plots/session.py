"""The session overview: speed over the whole session, its parts shaded and labelled, heart rate beside.

The parts come from the report (never re-detected here): warm-up up to the first rep, each rep's
paced part, each kick, the rests between, the cool-down after the last effort; timer pauses and
recording holes (the grid's ``stopped``) are hatched. A session measured on a recognised track
gets an inset of the fitted track with the reps on it (:func:`.track.track_inset`). Anything else
can be drawn on top by passing ``extras``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from ..results import SessionReport
from ..units import format_clock, format_pace
from ..workout import planned_text
from .axes import clock_ticks, set_title, show_note
from .style import (
    HEART,
    INK,
    KICK_FILL,
    KICK_HATCH,
    MUTED,
    PAUSE_HATCH,
    REP_FILL,
    REST_FILL,
    SLACK_FILL,
    TARGET,
    new_axes,
    style_context,
)
from .track import track_inset

__all__ = ["Extra", "plot_session_overview", "session_spans"]

#: Something more to draw on the overview once it is done: ``extra(ax, report)``.
Extra = Callable[[Axes, SessionReport], object]

_WIDTH_IN, _HEIGHT_IN = 10.0, 4.2
#: Headroom above the fastest speed for the labels of the parts [share of the top speed].
_HEADROOM = 0.22


def session_spans(report: SessionReport) -> list[tuple[str, str, float, float]]:
    """The session's parts in time order: ``(kind, label, start_s, end_s)``.

    ``kind`` is one of ``'warm-up'``, ``'rep'``, ``'kick'``, ``'rest'``, ``'cool-down'``; ``label``
    is what the chart writes on the part (the rep's number, the rest's duration).
    """
    if report.grid is None or not report.reps:
        return []
    end_of_session = float(report.grid.time_s[-1])
    spans = [("warm-up", "warm-up", 0.0, report.reps[0].start_s)]
    for rep, following in zip(report.reps, [*report.reps[1:], None], strict=True):
        spans.append(("rep", str(rep.index), rep.start_s, rep.end_s))
        effort_end = rep.end_s
        if rep.kick is not None:
            spans.append(("kick", "kick", rep.kick.start_s, rep.kick.end_s))
            effort_end = rep.kick.end_s
        if following is not None:
            spans.append(
                ("rest", f"rest\n{format_clock(following.start_s - effort_end)}", effort_end, following.start_s)
            )
        else:
            spans.append(("cool-down", "cool-down", effort_end, end_of_session))
    return spans


def plot_session_overview(
    report: SessionReport, ax: Axes | None = None, *, units: str = "km", extras: Sequence[Extra] = ()
) -> Axes:
    """Speed over time for the whole session, warm-up, reps, kicks, rests and cool-down marked.

    Parameters
    ----------
    report
        An analysed session (with its grid).
    ax
        Axes to draw on; a new figure when None.
    units
        ``'km'`` or ``'mi'``, for the target pace's label.
    extras
        Called as ``extra(ax, report)`` after everything else is drawn, e.g. to add an inset;
        the upper left, above the warm-up, is usually free.

    Returns
    -------
    Axes
        The speed axes (heart rate is on a twin axis). Artists carry ``gid``s for tests:
        ``speed``, ``heart-rate``, ``target``, ``<kind>-<n>`` for the n-th span of each kind
        (``rep-1``, ``kick-1``, ``rest-1``, ``warm-up-1``, ...), ``paused-<n>`` and, on a
        track, ``track-inset`` (the inset's axes).
    """
    with style_context():
        axes = ax if ax is not None else new_axes(_WIDTH_IN, _HEIGHT_IN)
        set_title(axes, "Session: speed and heart rate", report, units)
        if report.grid is None:
            show_note(axes, "nothing to draw: the activity is too short")
            return axes
        frame = report.grid.frame
        time = report.grid.time_s
        # Nothing is measured in a pause (the grid holds or zeroes the channels there): no line.
        stopped = frame["stopped"].to_numpy(dtype=bool)
        speed = np.where(stopped, np.nan, frame["speed_mps"].to_numpy(dtype=np.float64))
        axes.plot(time, speed, color=INK, linewidth=0.8, gid="speed", zorder=3)
        top = float(np.nanmax(speed)) if np.isfinite(speed).any() else 1.0
        axes.set_ylim(0.0, top * (1.0 + _HEADROOM))
        axes.set_xlim(0.0, float(time[-1]))
        _shade_parts(axes, report)
        _mark_pauses(axes, time, stopped)
        if not report.reps:
            show_note(axes, "no hard-kick reps found")
        _note_missing(axes, report)
        top_axes = axes
        if "heart_rate_bpm" in frame and frame["heart_rate_bpm"].notna().any():
            heart = np.where(stopped, np.nan, frame["heart_rate_bpm"].to_numpy(dtype=np.float64))
            top_axes = _draw_heart_rate(axes, time, heart)
        if report.target_pace_s_per_km and report.reps:
            _draw_target(axes, top_axes, format_pace(report.target_pace_s_per_km, units), report.target_pace_s_per_km)
        axes.set_xlabel("time since start [min:s]")
        axes.set_ylabel("speed [m/s]")
        clock_ticks(axes, float(time[-1]))
        track_inset(axes, report)
        for extra in extras:
            extra(axes, report)
    return axes


def _shade_parts(axes: Axes, report: SessionReport) -> None:
    """One shaded span per part, its label along the top (rests: their duration along the bottom)."""
    label_at = blended_transform_factory(axes.transData, axes.transAxes)
    counts: dict[str, int] = {}
    for kind, label, start, end in session_spans(report):
        counts[kind] = counts.get(kind, 0) + 1
        gid = f"{kind}-{counts[kind]}"
        middle = (start + end) / 2
        if kind == "kick":
            axes.axvspan(
                start, end, facecolor=KICK_FILL, alpha=0.55, hatch=KICK_HATCH, edgecolor="white", linewidth=0, gid=gid
            )
            # Too narrow for a label inside: one along its right edge, below the rep numbers.
            axes.text(
                end, 0.9, " kick", transform=label_at, ha="left", va="top", rotation=90, fontsize=7.0, color=MUTED
            )
        elif kind == "rep":
            axes.axvspan(start, end, facecolor=REP_FILL, alpha=0.45, linewidth=0, gid=gid)
            axes.text(middle, 0.985, label, transform=label_at, ha="center", va="top", fontweight="bold")
        elif kind == "rest":
            axes.axvspan(start, end, facecolor=REST_FILL, linewidth=0, gid=gid)
            axes.text(middle, 0.015, label, transform=label_at, ha="center", va="bottom", fontsize=7.0, color=MUTED)
        else:
            axes.axvspan(start, end, facecolor=SLACK_FILL, alpha=0.6, linewidth=0, gid=gid)
            axes.text(middle, 0.985, label, transform=label_at, ha="center", va="top", color=MUTED)


def _mark_pauses(axes: Axes, time: np.ndarray, stopped: np.ndarray) -> None:
    """Hatch every run of stopped grid samples (timer pauses and long recording holes): no data there."""
    if not stopped.any():
        return
    edges = np.flatnonzero(np.diff(np.concatenate([[False], stopped, [False]]).astype(np.int8)))
    for number, (first, after) in enumerate(zip(edges[::2], edges[1::2], strict=True), start=1):
        end = time[after] if after < len(time) else time[-1]
        axes.axvspan(
            time[first], end, facecolor="white", edgecolor=PAUSE_HATCH, hatch="//", linewidth=0, gid=f"paused-{number}"
        )
    # The one thing on the chart its own label cannot name (pauses are often seconds wide).
    swatch = Patch(facecolor="white", edgecolor=PAUSE_HATCH, hatch="//", linewidth=0, label="watch paused (no data)")
    # Under the axes, beside the time label: inside, it would hide part of the session.
    axes.legend(handles=[swatch], loc="upper right", bbox_to_anchor=(1.0, -0.06), borderaxespad=0.0)


def _note_missing(axes: Axes, report: SessionReport) -> None:
    """Name the planned reps that were not run, top right."""
    if not report.missing:
        return
    names = ", ".join(planned_text(r) for r in report.missing)
    axes.text(0.995, 0.87, f"not run: {names}", transform=axes.transAxes, ha="right", va="top", color=INK)


def _draw_target(axes: Axes, top_axes: Axes, label: str, pace_s_per_km: float) -> None:
    """The target pace as a line on the speed axes, labelled on the topmost axes so no line crosses the label."""
    target = 1000.0 / pace_s_per_km
    axes.axhline(target, color=TARGET, linewidth=0.9, linestyle=(0, (5, 3)), gid="target", zorder=2)
    # At the far left, where the warm-up runs below it and no pause or rep is in the way.
    top_axes.annotate(
        f"target {label}",
        (0.0, target),
        xycoords=axes.transData,
        xytext=(3.0, 2.0),
        textcoords="offset points",
        color=TARGET,
        ha="left",
        va="bottom",
        fontsize=8.0,
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
    )


def _draw_heart_rate(axes: Axes, time: np.ndarray, heart: np.ndarray) -> Axes:
    """Heart rate on a twin axis on the right; returns that axis."""
    heart_axes = axes.twinx()
    heart_axes.plot(time, heart, color=HEART, linewidth=1.0, gid="heart-rate", zorder=2)
    low, high = float(np.nanmin(heart)), float(np.nanmax(heart))
    # Heart rate in the lower two thirds, clear of the speed peaks and the labels at the top.
    heart_axes.set_ylim(low - 0.05 * (high - low), high + 0.6 * (high - low))
    # Ticks only where the heart rate was: no 240 bpm scale for a 185 bpm session.
    ticks = np.asarray(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high))
    heart_axes.yaxis.set_major_locator(FixedLocator(ticks[(ticks >= low) & (ticks <= high)].tolist()))
    heart_axes.set_ylabel("heart rate [bpm]", color=HEART)
    heart_axes.tick_params(axis="y", colors=HEART)
    heart_axes.spines["right"].set_visible(True)
    heart_axes.spines["right"].set_color(HEART)
    return heart_axes
