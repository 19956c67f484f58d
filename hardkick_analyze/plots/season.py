"""Season charts: one workout over time, and the 5 km estimate against the goal.

They draw plain tables (the season's values are turned into them by
:mod:`hardkick_analyze.present.season.files`, a floor above): ``start_time`` columns are
UTC-aware times, the others carry their units in their names. Each function draws on a new
figure not registered with pyplot (nothing leaks between calls) and returns it. Dates are
labelled concisely ("Mar", "2026", "14") so that a season of any length keeps its labels apart;
faster is up on every pace and time axis.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from ..units import METRES_PER_MILE, format_clock
from .axes import pace_tick_label
from .style import HEART, INK, KICK_FILL, MUTED, REP_FILL, TARGET, style_context

__all__ = ["plot_fitness", "plot_group_trend"]

_WIDTH_IN = 8.0
_PANEL_IN = 1.9
_MAX_DATE_TICKS = 7
_MAX_VALUE_TICKS = 7
#: Candidate spacings of the 5 km time axis [s].
_TIME_STEPS_S = (15.0, 30.0, 60.0, 120.0, 300.0, 600.0)
#: The charts' margins [in]: room for the tick labels and the axis label on the left, the title
#: above, the dates below, and between stacked panels. Set, not measured: ``tight_layout`` draws
#: every figure once more to measure its labels, a third of the time of a season's charts.
_MARGIN_LEFT_IN = 0.8
_MARGIN_RIGHT_IN = 0.2
_MARGIN_TOP_IN = 0.4
_MARGIN_BOTTOM_IN = 0.55
_PANEL_GAP_IN = 0.2
#: Marker of each Daniels zone on the fitness chart (they differ in shape, not only in colour).
_ZONE_MARKERS = {"R": "^", "I": "o", "T": "s"}


def plot_group_trend(sessions: pd.DataFrame, reps: pd.DataFrame, *, title: str, units: str = "km") -> Figure:
    """One workout over the season, one panel each: rep pace (each rep and the session's mean), heart
    rate over the reps, and for kick reps the kicks' speed and fade, on a shared date axis.

    Parameters
    ----------
    sessions
        One row per session: ``start_time``, ``rep_pace_s_per_km``, ``heart_rate_bpm``,
        ``kick_speed_mps``, ``kick_fade_pct`` (NaN where unknown).
    reps
        One row per rep: ``start_time`` (its session's) and ``pace_s_per_km``.
    title
        The workout's name.
    units
        ``'km'`` or ``'mi'`` for the pace axis.
    """
    panels = ["pace"]
    if sessions["heart_rate_bpm"].notna().any():
        panels.append("heart")
    if sessions["kick_speed_mps"].notna().any():
        panels += ["kick speed", "kick fade"]
    with style_context():
        figure = Figure(figsize=(_WIDTH_IN, 0.9 + _PANEL_IN * len(panels)))
        axes = figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        for ax, panel in zip(axes, panels, strict=True):
            _GROUP_PANELS[panel](ax, sessions, reps, units)
            ax.grid(alpha=0.3)
        axes[0].set_title(title)
        _date_axis(axes[-1], sessions["start_time"])
        figure.align_ylabels(axes)
        _set_margins(figure, len(panels))
    return figure


def plot_fitness(estimates: pd.DataFrame, trend_5k_s: tuple[float, float] | None, *, title: str) -> Figure:
    """The 5 km time each interval session's reps say (its range as a bar, a marker per Daniels
    zone), the season's trend, and the goal in force.

    Parameters
    ----------
    estimates
        One row per session: ``start_time``, ``zone`` (``'R'``, ``'I'``, ``'T'``), ``time_5k_s``,
        ``time_5k_fast_s``, ``time_5k_slow_s`` and ``goal_5k_s`` (NaN without a goal).
    trend_5k_s
        The season's trend at the first and the last session [s], or None.
    title
        The chart's title.
    """
    with style_context():
        figure = Figure(figsize=(_WIDTH_IN, 3.6))
        ax = figure.add_subplot()
        ax.set_title(title)
        if estimates.empty:
            ax.text(0.5, 0.5, "no session to estimate from", ha="center", va="center", color=MUTED)
            ax.set_axis_off()
            return figure
        _draw_estimates(ax, estimates)
        times = estimates["start_time"]
        if trend_5k_s is not None:
            ends = _dates([times.iloc[0], times.iloc[-1]])
            ax.plot(ends, list(trend_5k_s), "-", color=REP_FILL, linewidth=2, label="trend")
        goals = estimates.loc[estimates["goal_5k_s"].notna()]
        if not goals.empty:
            goal_s = goals["goal_5k_s"].to_numpy(dtype=float)
            ax.step(_dates(goals["start_time"]), goal_s, where="post", color=KICK_FILL, linestyle="--", label="goal")
        low = float(estimates["time_5k_fast_s"].min())
        high = float(estimates[["time_5k_slow_s", "goal_5k_s"]].max().max())
        ax.yaxis.set_major_locator(MultipleLocator(_round_step(high - low, _TIME_STEPS_S)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_clock(value)))
        ax.set_ylabel("5 km time [min:s]")
        ax.invert_yaxis()
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize=8)
        _date_axis(ax, times)
        _set_margins(figure, 1)
    return figure


def _set_margins(figure: Figure, panels: int) -> None:
    """Place ``panels`` stacked axes inside the fixed margins."""
    width_in, height_in = figure.get_size_inches()
    inner_in = height_in - _MARGIN_TOP_IN - _MARGIN_BOTTOM_IN
    panel_in = (inner_in - (panels - 1) * _PANEL_GAP_IN) / panels
    figure.subplots_adjust(
        left=_MARGIN_LEFT_IN / width_in,
        right=1.0 - _MARGIN_RIGHT_IN / width_in,
        top=1.0 - _MARGIN_TOP_IN / height_in,
        bottom=_MARGIN_BOTTOM_IN / height_in,
        hspace=_PANEL_GAP_IN / panel_in,
    )


def _draw_estimates(ax: Axes, estimates: pd.DataFrame) -> None:
    """Each session's estimate with its range as an error bar, one marker shape per zone."""
    for zone, marker in _ZONE_MARKERS.items():
        chosen = estimates.loc[estimates["zone"] == zone]
        if chosen.empty:
            continue
        middle = chosen["time_5k_s"].to_numpy(dtype=float)
        spread = np.array([middle - chosen["time_5k_fast_s"], chosen["time_5k_slow_s"] - middle])
        ax.errorbar(
            _dates(chosen["start_time"]),
            middle,
            yerr=spread,
            fmt=marker,
            color=INK,
            ecolor=MUTED,
            capsize=2,
            markersize=5,
            label=f"{zone} reps",
        )


def _pace_panel(ax: Axes, sessions: pd.DataFrame, reps: pd.DataFrame, units: str) -> None:
    per_unit = METRES_PER_MILE / 1000.0 if units == "mi" else 1.0
    ax.plot(_dates(reps["start_time"]), reps["pace_s_per_km"] * per_unit, "o", color=REP_FILL, alpha=0.6, markersize=4)
    means = sessions.loc[sessions["rep_pace_s_per_km"].notna()]
    ax.plot(
        _dates(means["start_time"]),
        means["rep_pace_s_per_km"] * per_unit,
        "-o",
        color=INK,
        markersize=4,
        label="mean of the reps",
    )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: pace_tick_label(value, units)))
    ax.set_ylabel(f"rep pace [/{units}]")
    ax.invert_yaxis()
    ax.legend(loc="best", fontsize=8)


def _heart_panel(ax: Axes, sessions: pd.DataFrame, reps: pd.DataFrame, units: str) -> None:
    _series(ax, sessions, "heart_rate_bpm", HEART, "heart rate over the reps [bpm]", min_span=10.0)


def _kick_speed_panel(ax: Axes, sessions: pd.DataFrame, reps: pd.DataFrame, units: str) -> None:
    _series(ax, sessions, "kick_speed_mps", TARGET, "kick speed [m/s]", min_span=0.5)


def _kick_fade_panel(ax: Axes, sessions: pd.DataFrame, reps: pd.DataFrame, units: str) -> None:
    _series(ax, sessions, "kick_fade_pct", KICK_FILL, "kick fade [%]", min_span=5.0)
    # Less fade is better: up.
    ax.invert_yaxis()


_GROUP_PANELS = {
    "pace": _pace_panel,
    "heart": _heart_panel,
    "kick speed": _kick_speed_panel,
    "kick fade": _kick_fade_panel,
}


def _series(ax: Axes, sessions: pd.DataFrame, column: str, color: str, label: str, min_span: float) -> None:
    known = sessions.loc[sessions[column].notna()]
    values = known[column].to_numpy(dtype=float)
    ax.plot(_dates(known["start_time"]), values, "-o", color=color, markersize=4)
    ax.set_ylabel(label)
    if len(values):
        # A few beats or a tenth of a m/s is noise: the axis spans at least min_span, so it is not blown up.
        middle, half = (values.max() + values.min()) / 2, max(values.max() - values.min(), min_span) * 0.6
        ax.set_ylim(middle - half, middle + half)


def _round_step(span: float, steps: Sequence[float]) -> float:
    return next((step for step in steps if span / step <= _MAX_VALUE_TICKS), steps[-1])


def _date_axis(ax: Axes, times: Sequence[pd.Timestamp] | pd.Series) -> None:
    locator = AutoDateLocator(minticks=2, maxticks=_MAX_DATE_TICKS)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    if len(times) >= 1:
        first, last = min(times), max(times)
        pad = max((last - first) * 0.05, pd.Timedelta(days=2))
        ax.set_xlim(*_dates([first - pad, last + pad]))


def _dates(times: Sequence[pd.Timestamp] | pd.Series) -> np.ndarray:
    """Times as naive UTC datetime64 values, which matplotlib places on a date axis."""
    return np.array([t.tz_convert("UTC").tz_localize(None).to_datetime64() for t in times], dtype="datetime64[ns]")
