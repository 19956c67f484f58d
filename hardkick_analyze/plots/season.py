"""Season trend charts, drawn from the long reps table (:func:`hardkick_analyze.season.outputs.reps_long_table`).

Are the reps getting closer to target, and are the kicks faster and fading less? Each function
takes an optional ``ax``, draws on it (or on a new figure not registered with pyplot, so nothing
leaks between calls) and returns the axes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

__all__ = [
    "plot_kick_fade_trend",
    "plot_kick_speed_trend",
    "plot_pace_error_trend",
    "plot_rep_heatmap",
    "season_figures",
]

_WIDTH_IN = 8.0
_HEIGHT_IN = 3.2


def plot_pace_error_trend(reps: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Each rep's pace error over the season (dots) and each session's mean (line) [s/km, + is slow]."""
    axes = ax if ax is not None else _new_axes()
    paced = reps.loc[reps["part"] == "rep"]
    _trend(axes, paced, "pace_error_s_per_km", "rep pace error [s/km], + slow", "C0")
    axes.axhline(0.0, color="0.4", linewidth=0.8)
    axes.set_title("Reps against target pace")
    return axes


def plot_kick_speed_trend(reps: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Each kick's average speed over the season (dots) and each session's mean (line) [m/s]."""
    axes = ax if ax is not None else _new_axes()
    _trend(axes, reps.loc[reps["part"] == "kick"], "avg_speed_mps", "kick average speed [m/s]", "C1")
    axes.set_title("Kick speed")
    return axes


def plot_kick_fade_trend(reps: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Each kick's fade over the season (dots) and each session's mean (line) [%, peak to finish]."""
    axes = ax if ax is not None else _new_axes()
    _trend(axes, reps.loc[reps["part"] == "kick"], "fade_pct", "kick fade [%]", "C3")
    axes.set_title("Kick fade (lower is better)")
    return axes


def plot_rep_heatmap(reps: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Rep-by-session pace error: one column per session, one row per rep [s/km, red is slow]."""
    axes = ax if ax is not None else _new_axes(height_in=_HEIGHT_IN + 0.8)
    paced = reps.loc[(reps["part"] == "rep") & reps["pace_error_s_per_km"].notna()]
    axes.set_title("Pace error by rep and session [s/km]")
    if paced.empty:
        return _nothing(axes)
    sessions = paced[["date", "file"]].drop_duplicates()
    labels = [f"{d}\n{_short(f)}" for d, f in zip(sessions["date"], sessions["file"], strict=True)]
    grid = paced.pivot_table(index="rep", columns="file", values="pace_error_s_per_km", aggfunc="mean")
    grid = grid.reindex(columns=list(sessions["file"]))
    values = grid.to_numpy(dtype=float)
    limit = max(float(np.nanmax(np.abs(values))), 1.0)
    image = axes.imshow(
        np.ma.masked_invalid(values),
        aspect="auto",
        cmap="RdBu_r",
        norm=TwoSlopeNorm(vcenter=0.0, vmin=-limit, vmax=limit),
        interpolation="nearest",
    )
    axes.set_yticks(range(len(grid.index)), [str(int(r)) for r in grid.index])
    axes.set_ylabel("rep")
    step = max(1, len(labels) // 12)
    axes.set_xticks(range(0, len(labels), step), labels[::step], fontsize=7)
    axes.figure.colorbar(image, ax=axes, label="s/km, + slow")
    return axes


def season_figures(reps: pd.DataFrame) -> dict[str, Figure]:
    """All four season charts, by file stem (``pace_error``, ``kick_speed``, ``kick_fade``, ``rep_heatmap``)."""
    charts = {
        "pace_error": plot_pace_error_trend,
        "kick_speed": plot_kick_speed_trend,
        "kick_fade": plot_kick_fade_trend,
        "rep_heatmap": plot_rep_heatmap,
    }
    figures = {}
    for name, draw in charts.items():
        axes = draw(reps)
        figure = axes.get_figure()
        if not isinstance(figure, Figure):
            raise TypeError(f"chart {name} is not on a top-level figure")
        figure.tight_layout()
        figures[name] = figure
    return figures


def _trend(axes: Axes, rows: pd.DataFrame, column: str, label: str, color: str) -> None:
    """Dots for every value, a line through each session's mean, on a date axis."""
    values = rows.loc[rows[column].notna() & rows["date"].notna(), ["date", "file", column]]
    axes.set_ylabel(label)
    if values.empty:
        _nothing(axes)
        return
    when = pd.to_datetime(values["date"]).to_numpy(dtype="datetime64[ns]")
    axes.plot(when, values[column].to_numpy(dtype=float), "o", color=color, alpha=0.35, markersize=4)
    means = values.groupby(["date", "file"], sort=True)[column].mean().groupby(level="date").mean()
    mean_when = pd.to_datetime(pd.Series(means.index)).to_numpy(dtype="datetime64[ns]")
    axes.plot(mean_when, means.to_numpy(dtype=float), "-", color=color, linewidth=1.8, label="session mean")
    axes.legend(loc="best", fontsize=8)
    axes.grid(alpha=0.3)
    axes.figure.autofmt_xdate()


def _nothing(axes: Axes) -> Axes:
    axes.text(0.5, 0.5, "no hard-kick sessions", ha="center", va="center", transform=axes.transAxes, color="0.4")
    axes.set_xticks([])
    axes.set_yticks([])
    return axes


def _new_axes(height_in: float = _HEIGHT_IN) -> Axes:
    return Figure(figsize=(_WIDTH_IN, height_in)).add_subplot()


def _short(name: str, limit: int = 18) -> str:
    stem = name.rsplit("/", 1)[-1]
    return stem if len(stem) <= limit else stem[: limit - 1] + "\u2026"
