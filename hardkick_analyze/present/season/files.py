"""Everything a season review writes into ``--out``: tables, JSON, the charts and ``report.html``."""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from ...season.fitness import SeasonFitness
from ...season.groups import WorkoutGroup
from ...season.review import SeasonResult
from .chart_cache import ChartCache, ChartMap, ChartRequest
from .html import FITNESS_CHART, group_chart_stem, render_season_html
from .tables import write_season_tables
from .words import MODEL_NAME, group_label

__all__ = ["CHART_DPI", "fitness_frame", "group_frames", "write_season"]

#: Resolution of the chart PNGs, on disk and embedded in the report [dots per inch].
CHART_DPI = 110


def write_season(
    result: SeasonResult,
    out_dir: str | os.PathLike[str],
    *,
    units: str = "km",
    session_charts: Mapping[str, Sequence[Path]] | None = None,
    chart_cache: ChartCache | None = None,
    draw_charts: ChartMap = map,
) -> dict[str, Path]:
    """Write ``sessions.csv``, ``reps.csv``, ``season.json``, ``fitness.png``, one ``group-*.png`` per
    workout done more than once, and ``report.html``.

    Parameters
    ----------
    result
        The season.
    out_dir
        Folder to write into (created if needed; files of the same names are replaced).
    units
        ``'km'`` or ``'mi'`` for the paces in the report and the charts.
    session_charts
        Each session's own chart files (see :func:`hardkick_analyze.season.charts.draw_session_charts`),
        by file name; the report links to them.
    chart_cache
        Where the season's own charts are kept by what they show (None: drawn every time).
    draw_charts
        How the charts not in the cache are drawn: ``map(render_png, requests)`` (the default,
        one after the other here) or the same side by side on processes.

    Returns
    -------
    dict
        Output name -> path written.
    """
    folder = Path(out_dir)
    written = write_season_tables(result, folder)
    charts = _chart_pngs(result, units, chart_cache or ChartCache(None), draw_charts)
    for stem, chart in charts.items():
        path = folder / f"{stem}.png"
        path.write_bytes(chart)
        written[path.name] = path
    report = folder / "report.html"
    page = render_season_html(result, charts, units=units, session_charts=session_charts, out_dir=folder)
    report.write_text(page, encoding="utf-8")
    written[report.name] = report
    return written


def _chart_pngs(result: SeasonResult, units: str, chart_cache: ChartCache, draw: ChartMap) -> dict[str, bytes]:
    """The fitness chart and one trend chart per workout done more than once, as PNG bytes."""
    fitness = result.review.fitness
    first, latest = fitness.trend_first_5k_s, fitness.trend_latest_5k_s
    trend = (first, latest) if first is not None and latest is not None else None
    title = f"5 km estimate from the reps ({MODEL_NAME})"
    frame = fitness_frame(fitness)
    trend_table = pd.DataFrame({"trend_5k_s": list(trend or ())})
    draw_fitness = functools.partial(_fitness_figure, frame, trend, title)
    requests = {FITNESS_CHART: ChartRequest((frame, trend_table), title, draw_fitness, CHART_DPI)}
    for group in result.review.groups:
        if len(group.sessions) >= 2:
            sessions, reps = group_frames(group)
            label = group_label(group)
            draw_group = functools.partial(_group_figure, sessions, reps, label, units)
            requests[group_chart_stem(group)] = ChartRequest(
                (sessions, reps), f"{label} {units}", draw_group, CHART_DPI
            )
    return dict(zip(requests, chart_cache.pngs(list(requests.values()), draw), strict=True))


def _fitness_figure(frame: pd.DataFrame, trend: tuple[float, float] | None, title: str) -> Figure:
    # Charts need matplotlib, imported only when a chart is drawn (not found in the cache).
    from ...plots.season import plot_fitness

    return plot_fitness(frame, trend, title=title)


def _group_figure(sessions: pd.DataFrame, reps: pd.DataFrame, title: str, units: str) -> Figure:
    from ...plots.season import plot_group_trend

    return plot_group_trend(sessions, reps, title=title, units=units)


def group_frames(group: WorkoutGroup) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A workout's sessions and reps as the tables :func:`~hardkick_analyze.plots.season.plot_group_trend` draws."""
    sessions = pd.DataFrame(
        [
            {
                "start_time": s.start_time,
                "rep_pace_s_per_km": s.rep_pace_s_per_km,
                "heart_rate_bpm": s.heart_rate_bpm,
                "kick_speed_mps": s.kick_speed_mps,
                "kick_fade_pct": s.kick_fade_pct,
            }
            for s in group.sessions
        ]
    )
    reps = pd.DataFrame(
        [{"start_time": s.start_time, "pace_s_per_km": p} for s in group.sessions for p in s.rep_paces_s_per_km],
        columns=["start_time", "pace_s_per_km"],
    )
    return sessions.astype({c: float for c in sessions.columns if c != "start_time"}), reps


def fitness_frame(fitness: SeasonFitness) -> pd.DataFrame:
    """The sessions' estimates as the table :func:`~hardkick_analyze.plots.season.plot_fitness` draws."""
    columns = ["start_time", "zone", "time_5k_s", "time_5k_fast_s", "time_5k_slow_s", "goal_5k_s"]
    rows = [
        {
            "start_time": e.start_time,
            "zone": e.zone,
            "time_5k_s": e.time_5k_s,
            "time_5k_fast_s": e.time_5k_fast_s,
            "time_5k_slow_s": e.time_5k_slow_s,
            "goal_5k_s": e.goal_5k_s if e.goal_5k_s is not None else math.nan,
        }
        for e in fitness.sessions
    ]
    return pd.DataFrame(rows, columns=columns)
