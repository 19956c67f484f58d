"""Everything a season review writes into ``--out``: tables, JSON, the charts and ``report.html``."""

from __future__ import annotations

import io
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ...season.fitness import SeasonFitness
from ...season.groups import WorkoutGroup
from ...season.review import SeasonResult
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

    Returns
    -------
    dict
        Output name -> path written.
    """
    # Charts need matplotlib; importing the season package alone (e.g. for --json) does not.
    from ...plots.season import plot_fitness, plot_group_trend

    folder = Path(out_dir)
    written = write_season_tables(result, folder)
    fitness = result.review.fitness
    first, latest = fitness.trend_first_5k_s, fitness.trend_latest_5k_s
    trend = (first, latest) if first is not None and latest is not None else None
    title = f"5 km estimate from the reps ({MODEL_NAME})"
    figures = {FITNESS_CHART: plot_fitness(fitness_frame(fitness), trend, title=title)}
    for group in result.review.groups:
        if len(group.sessions) >= 2:
            sessions, reps = group_frames(group)
            figures[group_chart_stem(group)] = plot_group_trend(sessions, reps, title=group_label(group), units=units)
    charts = {}
    for stem, figure in figures.items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
        charts[stem] = buffer.getvalue()
        path = folder / f"{stem}.png"
        path.write_bytes(charts[stem])
        written[path.name] = path
    report = folder / "report.html"
    page = render_season_html(result, charts, units=units, session_charts=session_charts, out_dir=folder)
    report.write_text(page, encoding="utf-8")
    written[report.name] = report
    return written


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
