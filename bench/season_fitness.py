"""Season fitness benchmark: a simulated runner whose 5 km improves 2 % a month, and what the season review says.

The runner's true 5 km time is ``T(t) = T0 * 0.98 ** (days / 30.44)``. Each week holds a hard-kick
session (Tuesday), an interval session (Friday: 6x400 m with 200 m jogged, or 5x1 km with 2 min
jogged, in turn) and a long easy run (Sunday). The reps are run at the paces a coach sets from the
runner's *current* 5 km time, by rules that are not the estimator's: the hard kick's reps at 5 km
pace less 5 s/km (the preset's rule), the 1 km reps at 5 km pace, the 400 m reps at 3 km race pace
(Riegel's formula, exponent 1.06, from the 5 km). The simulator adds its own scatter (about 1 % per
rep, drift within a rep) and records the sessions with a realistic watch (GPS noise, 1 s).

It then runs the season review (``analyze_season``) on the files and compares each interval
session's 5 km estimate (Daniels' VDOT, :mod:`hardkick_analyze.season.fitness`) with the true 5 km
time on its day, and the season's trend with the true -2 % a month. It prints a Markdown table
and, with ``--write-docs``, puts it in ``docs/accuracy.md`` under "## Season fitness estimate"
(other sections of that file are kept).

Usage::

    python -m bench.season_fitness [--weeks 16] [--workers 2] [--write-docs]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bench.docs import write_section
from hardkick_analyze.models import PlannedRep, Recovery, Workout
from hardkick_analyze.season import analyze_season
from hardkick_analyze.season.review import SeasonResult
from hardkick_analyze.simulate import Athlete, SessionConfig, SessionPlan, simulate_session
from hardkick_analyze.simulate.scenarios import hard_kick_500, written
from hardkick_analyze.units import format_clock

__all__ = ["TrueSession", "improving_season", "true_5k_s", "write_improving_season"]

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "accuracy.md"
SECTION = "## Season fitness estimate"
#: The runner's 5 km on the first day [s], and its change a month [ratio].
FIRST_5K_S = 25 * 60.0
MONTHLY_RATIO = 0.98
DAYS_PER_MONTH = 30.44
#: Riegel's exponent (Riegel 1981, "Athletic records and human endurance").
RIEGEL_EXPONENT = 1.06
FIRST_DAY = pd.Timestamp("2026-01-05T17:00Z")  # a Monday


@dataclass(frozen=True, slots=True, kw_only=True)
class TrueSession:
    """One simulated file and the truth behind it."""

    file_name: str
    start_time: pd.Timestamp
    workout: str
    true_5k_s: float
    config: SessionConfig = dataclasses.field(repr=False)


def true_5k_s(when: pd.Timestamp, first_5k_s: float = FIRST_5K_S) -> float:
    """The simulated runner's 5 km time on a day [s]."""
    days = (when - FIRST_DAY).total_seconds() / 86_400.0
    return first_5k_s * MONTHLY_RATIO ** (days / DAYS_PER_MONTH)


def improving_season(weeks: int, *, first_5k_s: float = FIRST_5K_S, long_runs: bool = True) -> list[TrueSession]:
    """The season's sessions, week by week (see the module docstring)."""
    sessions = []
    for week in range(weeks):
        monday = FIRST_DAY + pd.Timedelta(days=7 * week)
        for offset, kind in ((1, "hard kick"), (4, "400" if week % 2 == 0 else "1000"), (6, "long run")):
            if kind == "long run" and not long_runs:
                continue
            when = monday + pd.Timedelta(days=offset)
            five_k = true_5k_s(when, first_5k_s)
            config = _config(kind, five_k, when, week)
            name = f"{when:%Y-%m-%d}-{kind.replace(' ', '-')}.fit"
            sessions.append(TrueSession(file_name=name, start_time=when, workout=kind, true_5k_s=five_k, config=config))
    return sessions


def write_improving_season(folder: Path, sessions: list[TrueSession]) -> None:
    """Write each session as a FIT file (seeded by its position)."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed, session in enumerate(sessions):
        (folder / session.file_name).write_bytes(simulate_session(session.config, seed=seed).to_fit())


def _config(kind: str, five_k_s: float, when: pd.Timestamp, week: int) -> SessionConfig:
    pace_5k = five_k_s / 5.0
    easy_mps = 1000.0 / (pace_5k * 1.3)
    athlete = Athlete(
        warmup_s=900.0,
        cooldown_s=600.0,
        warmup_speed_mps=easy_mps,
        cooldown_speed_mps=easy_mps * 0.95,
        jog_speed_mps=easy_mps * 0.9,
    )
    if kind == "hard kick":
        workout = hard_kick_500(pace_5k - 5.0, plain=4, kicks=2)
        return _session(workout, when, "Hard kick", dataclasses.replace(athlete, rest_mode="walk"), rest_s=120.0)
    if kind == "long run":
        plan = SessionPlan(workout=Workout(spec="long run", reps=()), start_time=when, name="Long run")
        return SessionConfig(plan=plan, athlete=dataclasses.replace(athlete, warmup_s=60 * 60.0, cooldown_s=0.0))
    jog = dataclasses.replace(athlete, rest_mode="jog")
    if kind == "400":
        pace_3k = five_k_s * (3.0 / 5.0) ** RIEGEL_EXPONENT / 3.0
        rep = PlannedRep(distance_m=400.0, pace_s_per_km=pace_3k, recovery=Recovery(distance_m=200.0, activity="jog"))
        return _session(written(Workout(spec="", reps=(rep,) * 6)), when, "6x400", jog, rest_s=75.0)
    rep = PlannedRep(distance_m=1000.0, pace_s_per_km=pace_5k, recovery=Recovery(duration_s=120.0, activity="jog"))
    return _session(written(Workout(spec="", reps=(rep,) * 5)), when, "5x1km", jog, rest_s=120.0)


def _session(workout: Workout, when: pd.Timestamp, name: str, athlete: Athlete, *, rest_s: float) -> SessionConfig:
    plan = SessionPlan(workout=workout, rest_s=rest_s, start_time=when, name=name)
    return SessionConfig(plan=plan, athlete=athlete)


# --- measuring ------------------------------------------------------------------------------


def compare(result: SeasonResult, sessions: list[TrueSession]) -> pd.DataFrame:
    """One row per interval session: the estimate, its range, and the truth on its day."""
    truth = {s.file_name: s for s in sessions}
    rows = []
    for estimate in result.review.fitness.sessions:
        true = truth[estimate.source]
        rows.append(
            {
                "file": estimate.source,
                "workout": true.workout,
                "zone": estimate.zone,
                "true_5k_s": true.true_5k_s,
                "estimate_5k_s": estimate.time_5k_s,
                "fast_s": estimate.time_5k_fast_s,
                "slow_s": estimate.time_5k_slow_s,
                "error_pct": 100.0 * (estimate.time_5k_s / true.true_5k_s - 1.0),
                "in_range": estimate.time_5k_fast_s <= true.true_5k_s <= estimate.time_5k_slow_s,
            }
        )
    return pd.DataFrame(rows)


def report(result: SeasonResult, sessions: list[TrueSession], table: pd.DataFrame, seconds: float) -> str:
    """The Markdown section."""
    fitness = result.review.fitness
    as_of = fitness.as_of
    true_now = true_5k_s(as_of) if as_of is not None else math.nan
    true_trend = (MONTHLY_RATIO ** (30.0 / DAYS_PER_MONTH) - 1.0) * 100.0
    lines = [
        f"Command: `python -m bench.season_fitness --weeks {len(sessions) // 3} --write-docs` "
        f"({len(sessions)} simulated files, {seconds:.0f} s on this machine).",
        "",
        "A simulated runner whose 5 km improves 2 % a month (25:00 on the first day), with a hard-kick",
        "session, a 6x400 m or 5x1 km session and a long run each week; the reps run at the paces a coach",
        "sets from the runner's current 5 km by rules that are not the estimator's (see `bench/season_fitness.py`).",
        "Each interval session's 5 km estimate (Daniels' VDOT, `season/fitness.py`) against the true 5 km",
        "time on its day:",
        "",
        "| workout | Daniels zone | sessions | median error | mean error | largest error | truth in the range |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for (workout, zone), rows in table.groupby(["workout", "zone"], sort=True):
        lines.append(_row(f"{workout}", str(zone), rows))
    lines.append(_row("all", "", table))
    lines += [
        "",
        f"- Season estimate on {as_of:%Y-%m-%d}: {format_clock(fitness.time_5k_s)} "
        f"({format_clock(fitness.time_5k_fast_s)}-{format_clock(fitness.time_5k_slow_s)}); "
        f"the true 5 km that day: {format_clock(true_now)} "
        f"(error {100.0 * ((fitness.time_5k_s or math.nan) / true_now - 1.0):+.1f} %).",
        f"- Trend of the estimate: {fitness.trend_pct_per_30_days:+.2f} % per 30 days; true: {true_trend:+.2f} %.",
        f"- Reps found: {_reps_found(result, sessions)} (the segmenter's share, for the record).",
    ]
    groups = [g for g in result.review.groups if len(g.sessions) > 1]
    for group in groups:
        if group.pace is not None and group.pace.per_30_days is not None:
            first = group.sessions[0].rep_pace_s_per_km or math.nan
            lines.append(
                f"- Workout `{group.key}` ({len(group.sessions)} sessions): mean rep pace "
                f"{group.pace.per_30_days:+.1f} s/km per 30 days "
                f"({100.0 * group.pace.per_30_days / first:+.2f} % of the first session's pace)."
            )
    lines += [
        "",
        "Reading: each kind of rep carries its own bias (the median error by workout): Daniels reads all",
        "three as I reps, run between 3 km and 5 km race pace, so reps run nearer 5 km pace (the 1 km reps)",
        "read slow and reps run nearer 3 km pace (the 400 m reps) read fast. The season's estimate is the",
        "median of its last 4 weeks, so for a runner who improves it lags by about two weeks (about 1 % at",
        "2 % a month). The simulated heart rate follows the reps' pace relative to the session's fastest",
        "rep, not fitness, so heart rate at rep pace stays flat here; on real files it is the other sign",
        "of progress.",
    ]
    return "\n".join(lines)


def _reps_found(result: SeasonResult, sessions: list[TrueSession]) -> str:
    run = {s.file_name: len(s.config.plan.workout.reps) for s in sessions}
    found = {r.source: len(r.summary.reps) for r in result.of_kind("interval") if r.summary is not None}
    short = sum(found.get(name, 0) < count for name, count in run.items() if count)
    return f"{sum(found.values())} of the {sum(run.values())} run; {short} sessions short of reps"


def _row(workout: str, zone: str, rows: pd.DataFrame) -> str:
    errors = rows["error_pct"]
    worst = errors.loc[errors.abs().idxmax()]
    return (
        f"| {workout} | {zone} | {len(rows)} | {errors.median():+.1f} % | {errors.mean():+.1f} % | "
        f"{worst:+.1f} % | {int(rows['in_range'].sum())} of {len(rows)} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=16, help="Weeks of training (3 files each).")
    parser.add_argument("--workers", type=int, default=None, help="Parallel processes for the analysis.")
    parser.add_argument("--write-docs", action="store_true", help="Write the table into docs/accuracy.md.")
    options = parser.parse_args(argv)
    sessions = improving_season(options.weeks)
    with tempfile.TemporaryDirectory(prefix="season-fitness-") as folder:
        began = time.perf_counter()
        write_improving_season(Path(folder), sessions)
        result = analyze_season([folder], workers=options.workers)
        seconds = time.perf_counter() - began
    table = compare(result, sessions)
    text = report(result, sessions, table, seconds)
    print(text)
    if options.write_docs:
        write_section(DOCS, SECTION, text, title="Accuracy")
    return 0 if np.isfinite(table["error_pct"]).all() else 1


if __name__ == "__main__":
    sys.exit(main())
