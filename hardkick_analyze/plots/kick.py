"""The kick-fade chart: speed against distance inside each kick, the kicks overlaid.

Each kick is drawn from the very samples its numbers were computed on
(:func:`hardkick_analyze.score.speed_trace`), its 25 m bins as steps over that trace, its peak and
final speed marked and its fade written beside it; the last :data:`LEAD_M` of the paced part
before it, and the target pace, give the context.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..clean import SessionGrid
from ..results import KickResult, RepResult, SessionReport
from ..score import FADE_FINAL_SHARE, SpeedTrace, speed_trace
from ..units import format_pace
from .axes import add_pace_axis, set_title, show_note
from .style import INK, MUTED, TARGET, kick_style, new_axes, style_context

__all__ = ["LEAD_M", "kick_trace", "lead_in_trace", "plot_kick_fade"]

#: More kicks than this are drawn as a fan of plain traces (:func:`_draw_many`).
MAX_OVERLAID = 3
#: How much of the paced part before a kick is drawn for context [m].
LEAD_M = 100.0
_WIDTH_IN, _HEIGHT_IN = 8.0, 4.5
#: Spacing of the fade arrows past the finish [share of the kick distance].
_ARROW_STEP = 0.15


def kick_trace(report: SessionReport, rep: RepResult) -> SpeedTrace:
    """The samples ``rep``'s kick was scored on: distance from the kick's start vs speed.

    Raises
    ------
    ValueError
        When the rep has no kick or the report no grid.
    """
    kick, grid = _kick_of(rep), _grid_of(report)
    distance_scale, speed_scale = _scales(report)
    return speed_trace(grid, kick.start_s, kick.end_s, distance_scale=distance_scale, speed_scale=speed_scale)


def lead_in_trace(report: SessionReport, rep: RepResult, metres: float = LEAD_M) -> SpeedTrace:
    """The last ``metres`` of ``rep``'s paced part before its kick, on the kick's scales.

    ``distance_m`` runs up to 0 at the kick's start (negative before it) [m].
    """
    kick, grid = _kick_of(rep), _grid_of(report)
    distance_scale, speed_scale = _scales(report)
    distance = np.maximum.accumulate(grid.frame["distance_m"].to_numpy(dtype=np.float64))
    at_kick = np.interp(kick.start_s, grid.time_s, distance)
    lead_m = min(metres, rep.distance_m) * distance_scale
    start = float(np.interp(at_kick - lead_m, distance, grid.time_s))
    trace = speed_trace(
        grid, max(start, rep.start_s), kick.start_s, distance_scale=distance_scale, speed_scale=speed_scale
    )
    return SpeedTrace(
        time_s=trace.time_s,
        distance_m=trace.distance_m - trace.distance_m[-1],
        speed_mps=trace.speed_mps,
        smoothed_speed_mps=trace.smoothed_speed_mps,
        on_grid=trace.on_grid,
    )


def plot_kick_fade(report: SessionReport, ax: Axes | None = None, *, units: str = "km") -> Axes:
    """Speed against distance inside each kick: where the kick died.

    Parameters
    ----------
    report
        An analysed session (with its grid).
    ax
        Axes to draw on; a new figure when None.
    units
        ``'km'`` or ``'mi'``, for the pace axis and the target's label.

    Returns
    -------
    Axes
        The axes drawn on. Artists carry ``gid``s for tests: ``kick-N`` (the trace), ``kick-N-bins``,
        ``kick-N-peak``, ``kick-N-final``, ``kick-N-fade``, ``lead-N`` and ``target``.
    """
    with style_context():
        axes = ax if ax is not None else new_axes(_WIDTH_IN, _HEIGHT_IN)
        kicked = [rep for rep in report.reps if rep.kick is not None]
        sprints = bool(kicked) and all(rep.planned.max_effort for rep in kicked)
        what = "sprint" if sprints else "kick"
        set_title(axes, f"{what.capitalize()} fade: speed through each {what}", report, units)
        if not kicked or report.grid is None:
            show_note(axes, "no kick in this session")
            return axes
        traces = [kick_trace(report, rep) for rep in kicked]
        if len(kicked) > MAX_OVERLAID:
            _draw_many(axes, kicked, traces, what)
            add_pace_axis(axes, units)
            return axes
        kick_m = max(_kick_of(rep).distance_m for rep in kicked)
        # The fade arrows stand past the finish and past the end of every trace (a kick window
        # may cover a few metres more than planned).
        reach = max(kick_m, *(float(np.nanmax(t.distance_m)) for t in traces))
        handles = []
        for number, (rep, trace) in enumerate(zip(kicked, traces, strict=True), start=1):
            handles.append(_draw_kick(axes, report, rep, trace, number))
            _annotate_fade(axes, _kick_of(rep), number, reach + kick_m * _ARROW_STEP * number)
        lead_m = 0.0 if sprints else min(LEAD_M, max(rep.distance_m for rep in kicked))
        axes.set_xlim(-lead_m, reach + kick_m * _ARROW_STEP * (len(kicked) + 0.7))
        _draw_context(axes, report, kick_m, units)
        axes.set_xlabel(f"distance from the start of the {what} [m]")
        axes.set_ylabel("speed [m/s]")
        add_pace_axis(axes, units)
        axes.legend(handles=[*handles, *_marker_handles()], loc="upper left", handlelength=2.6)
    return axes


def _draw_many(axes: Axes, kicked: list[RepResult], traces: list[SpeedTrace], what: str) -> None:
    """Many kicks or sprints: each one's speed, light (first) to dark (last), its peak marked;
    the first and the last in the legend. Fades are in the text report and the JSON."""
    shades = np.linspace(0.75, 0.1, len(kicked))
    handles = []
    for number, (rep, trace, shade) in enumerate(zip(kicked, traces, shades, strict=True), start=1):
        colour = (shade, shade, min(1.0, shade + 0.35))
        kick = _kick_of(rep)
        (line,) = axes.plot(
            trace.distance_m,
            trace.speed_mps,
            color=colour,
            linewidth=1.4,
            gid=f"kick-{number}",
            label=f"{what} {number} (rep {rep.index}): {kick.avg_speed_mps:.2f} m/s, faded {kick.fade_pct:.0f} %",
        )
        axes.plot(
            [kick.distance_to_peak_m],
            [kick.peak_speed_mps],
            marker="^",
            markersize=6,
            color=colour,
            linestyle="none",
            gid=f"kick-{number}-peak",
        )
        if number in (1, len(kicked)):
            handles.append(line)
    axes.set_xlim(0.0, max(float(np.nanmax(t.distance_m)) for t in traces) * 1.05)
    axes.set_xlabel(f"distance from the start of the {what} [m]")
    axes.set_ylabel("speed [m/s]")
    axes.legend(handles=handles, loc="lower right")


def _draw_kick(axes: Axes, report: SessionReport, rep: RepResult, trace: SpeedTrace, number: int) -> Line2D:
    """One kick's lead-in, trace, bins, peak and final; returns its legend handle."""
    kick = _kick_of(rep)
    colour, style = kick_style(number)
    if kick.start_s > rep.start_s:  # a sprint has no paced part before it
        lead = lead_in_trace(report, rep)
        axes.plot(
            lead.distance_m,
            lead.speed_mps,
            color=colour,
            linestyle=style,
            linewidth=1.0,
            alpha=0.6,
            gid=f"lead-{number}",
        )
    axes.plot(trace.distance_m, trace.speed_mps, color=colour, linewidth=0.8, alpha=0.55, gid=f"kick-{number}")
    if kick.bins:
        edges = np.array([kick.bins[0].from_m, *(b.to_m for b in kick.bins)])
        speeds = np.array([b.speed_mps for b in kick.bins])
        axes.stairs(
            speeds, edges, baseline=None, color=colour, linestyle=style, linewidth=2.2, gid=f"kick-{number}-bins"
        )
    axes.plot(
        [kick.distance_to_peak_m],
        [kick.peak_speed_mps],
        marker="^",
        markersize=8,
        color=colour,
        markeredgecolor="white",
        linestyle="none",
        gid=f"kick-{number}-peak",
    )
    # The final speed is the mean over the last 20 % of the distance the window covered, which
    # is the planned kick distance only when the window is exactly right.
    covered = float(trace.distance_m[-1])
    axes.plot(
        [(1.0 - FADE_FINAL_SHARE) * covered, covered],
        [kick.final_speed_mps] * 2,
        color=colour,
        linewidth=1.2,
        marker="|",
        markersize=9,
        markeredgewidth=1.6,
        gid=f"kick-{number}-final",
    )
    return Line2D(
        [],
        [],
        color=colour,
        linestyle=style,
        linewidth=2.2,
        label=f"kick {number} (rep {rep.index}): {kick.avg_speed_mps:.2f} m/s, faded {kick.fade_pct:.0f} %",
    )


def _annotate_fade(axes: Axes, kick: KickResult, number: int, x: float) -> None:
    """An arrow at ``x`` from the peak down to the final speed, with the fade under its head."""
    colour, _ = kick_style(number)
    axes.annotate(
        "",
        xy=(x, kick.final_speed_mps),
        xytext=(x, kick.peak_speed_mps),
        arrowprops={"arrowstyle": "->", "color": colour, "linewidth": 1.6, "shrinkA": 0, "shrinkB": 0},
        gid=f"kick-{number}-fade",
    )
    # Dark text whatever the kick's colour: light orange text is unreadable in grey.
    axes.annotate(
        f"-{kick.fade_pct:.0f} %",
        (x, kick.final_speed_mps),
        xytext=(0.0, -3.0),
        textcoords="offset points",
        color=INK,
        ha="center",
        va="top",
        fontsize=8.5,
        fontweight="bold",
    )


def _draw_context(axes: Axes, report: SessionReport, kick_m: float, units: str) -> None:
    """Target pace, the kick's start and planned finish, and a little headroom."""
    along = axes.get_xaxis_transform()
    for x in (0.0, kick_m):
        axes.axvline(x, color=MUTED, linewidth=0.8, linestyle=":")
    axes.text(-1.0, 0.02, "paced ", transform=along, color=MUTED, ha="right", va="bottom")
    axes.text(1.0, 0.02, " kick", transform=along, color=MUTED, ha="left", va="bottom")
    # At the top: the target's label sits at the bottom right.
    axes.text(kick_m, 0.98, f" {kick_m:.0f} m", transform=along, color=MUTED, ha="left", va="top")
    if report.target_pace_s_per_km:
        target = 1000.0 / report.target_pace_s_per_km
        axes.axhline(target, color=TARGET, linewidth=1.0, linestyle=(0, (5, 3)), gid="target")
        # At the right, under the line: the lead-in runs along it on the left.
        axes.annotate(
            f"target {format_pace(report.target_pace_s_per_km, units)} ",
            (axes.get_xlim()[1], target),
            xytext=(0.0, -2.0),
            textcoords="offset points",
            color=TARGET,
            ha="right",
            va="top",
            fontsize=8.0,
        )
    low, high = axes.get_ylim()
    if report.target_pace_s_per_km:
        low = min(low, 1000.0 / report.target_pace_s_per_km - 0.08 * (high - low))
    axes.set_ylim(max(low, 0.0), high + 0.05 * (high - low))


def _marker_handles() -> list[Line2D]:
    """Legend entries saying what the peak and final markers are."""
    return [
        Line2D([], [], color=MUTED, marker="^", linestyle="none", markersize=7, label="peak (2 s)"),
        Line2D(
            [],
            [],
            color=MUTED,
            marker="|",
            markersize=9,
            markeredgewidth=1.6,
            linewidth=1.2,
            label=f"final (last {FADE_FINAL_SHARE:.0%} of the kick)",
        ),
    ]


def _kick_of(rep: RepResult) -> KickResult:
    """The rep's kick; a rep without one is a caller's mistake."""
    if rep.kick is None:
        raise ValueError(f"rep {rep.index} has no kick")
    return rep.kick


def _grid_of(report: SessionReport) -> SessionGrid:
    """The grid the analysis measured on; a report without one has no kicks to draw."""
    if report.grid is None:
        raise ValueError("the report has no grid (the activity was too short to analyse)")
    return report.grid


def _scales(report: SessionReport) -> tuple[float, float]:
    """The session's distance and speed scales, as the scorer was given them (1.0 when unknown)."""
    calibration = report.segmentation.calibration
    return calibration.distance_scale or 1.0, calibration.speed_scale or 1.0
