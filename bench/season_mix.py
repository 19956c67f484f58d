"""The season the season benchmark reads: a realistic mix of files, written deterministically.

About 250 files, one a day from 2026-01-01 (``python -m bench.season`` writes them):

- hard-kick sessions (4-6 plain 500 m reps and 1-2 kicks, or the 250 m preset), one hour;
- other interval sessions: 6-8 x 800 m, 3 x (800 m + 200 m kick), 8 x 60 s, one hour;
- easy runs of one hour and long runs of three hours;
- rides of one to two hours (FIT sport cycling);
- a fifth of the runs recorded with "smart recording" (a point every 1-7 s), the rest every second;
- a few broken files: truncated, empty, random bytes, broken XML, a FIT of a text file.

Every file is written by the project's simulator (:mod:`hardkick_analyze.simulate`) as a FIT
file with GPS, heart rate, cadence and manual laps, except the broken ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hardkick_analyze.models import PlannedRep, Workout
from hardkick_analyze.simulate import Athlete, SessionConfig, SessionPlan, Watch, simulate_session
from hardkick_analyze.simulate.scenarios import custom_800_200, hard_kick_250, hard_kick_500, timed_reps
from hardkick_analyze.simulate.writers.fit import write_fit
from hardkick_analyze.workout import parse_workout

__all__ = ["KINDS", "SeasonFile", "mix", "write_season"]

HOUR_S = 3600.0
#: The kinds of file and how many of each in a season of 250 (scaled for other sizes).
KINDS = {"hard kick": 60, "intervals": 50, "easy": 85, "long": 25, "ride": 24, "broken": 6}
#: Share of runs recorded with smart recording.
SMART_SHARE = 0.2
_BROKEN = ("truncated.fit", "empty.fit", "noise.fit", "text.fit", "broken.gpx", "cut.gpx")


@dataclass(frozen=True, slots=True)
class SeasonFile:
    """One file of the season: its path, kind, nominal length (1 or 3 hours; 1.5 for the rides
    of 1-2 h; 0 for a broken file), the time it holds from its first record to its last [s],
    and its recording (``'1s'``, ``'smart'``)."""

    path: Path
    kind: str
    hours: float
    duration_s: float
    recording: str


def mix(sessions: int) -> list[tuple[str, int]]:
    """The kind of each day's file, in a fixed shuffled order: (kind, number)."""
    counts = {kind: max(round(n * sessions / 250), 1) for kind, n in KINDS.items()}
    counts["easy"] += sessions - sum(counts.values())
    kinds = [kind for kind, n in counts.items() for _ in range(n)]
    order = np.random.default_rng(0x5EA5).permutation(len(kinds))
    return [(kinds[k], number) for number, k in enumerate(order)]


def write_season(folder: Path, sessions: int) -> list[SeasonFile]:
    """Write ``sessions`` files into ``folder`` (one a day from 2026-01-01, 07:00 UTC)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    broken = 0
    for kind, number in mix(sessions):
        start = dt.datetime(2026, 1, 1, 7, tzinfo=dt.timezone.utc) + dt.timedelta(days=number)
        if kind == "broken":
            name = _BROKEN[broken % len(_BROKEN)]
            broken += 1
            path = folder / f"{start:%Y-%m-%d}-{number:03d}-{name}"
            path.write_bytes(_broken_bytes(name, number))
            files.append(SeasonFile(path, kind, 0.0, 0.0, "-"))
            continue
        config, planned_s = _config(kind, number, pd.Timestamp(start))
        recording = simulate_session(config, seed=number).recorded
        duration_s = (recording.records.index[-1] - recording.records.index[0]).total_seconds()
        hours = 1.5 if kind == "ride" else round(planned_s / HOUR_S)
        if kind == "ride":
            recording = dataclasses.replace(recording, sport="cycling")
        path = folder / f"{start:%Y-%m-%d}-{number:03d}-{kind.replace(' ', '-')}.fit"
        path.write_bytes(write_fit(recording))
        files.append(SeasonFile(path, kind, hours, duration_s, config.watch.recording))
    return files


def _config(kind: str, number: int, start: pd.Timestamp) -> tuple[SessionConfig, float]:
    """The session of one day, and how long it is planned to last [s] (an interval session
    about an hour: its warm-up fills what the reps leave, at least 15 minutes)."""
    rng = np.random.default_rng([number, 0x5EA5])
    watch = Watch(recording="smart" if rng.uniform() < SMART_SHARE else "1s")
    pace = float(rng.uniform(250.0, 330.0))
    athlete = Athlete(
        warmup_speed_mps=float(np.clip(1000.0 / pace * 0.78, 2.2, 3.4)),
        cooldown_s=600.0,
        rest_mode=("walk", "jog", "stand")[int(rng.integers(3))],
    )
    if kind in ("easy", "long", "ride"):
        duration_s = {"easy": HOUR_S, "long": 3 * HOUR_S, "ride": float(rng.uniform(1.0, 2.0)) * HOUR_S}[kind]
        speed = float(rng.uniform(6.0, 8.0)) if kind == "ride" else athlete.warmup_speed_mps
        easy = SessionPlan(workout=Workout(spec="easy run", reps=()), start_time=start, name=kind.capitalize())
        # The simulated watch runs about 150 s beyond the jog (standing at the start and the end).
        steady = dataclasses.replace(athlete, warmup_s=duration_s - 150.0, cooldown_s=0.0, warmup_speed_mps=speed)
        return SessionConfig(plan=easy, athlete=steady, watch=watch), duration_s
    workout = _workout(kind, pace, rng)
    rest_s = float(rng.uniform(90.0, 150.0))
    # Fill the hour: the reps and rests, a little slack the simulator adds, then the warm-up.
    reps_s = sum(_rep_s(r, pace) + rest_s for r in workout.reps) + 170.0
    warmup_s = max(HOUR_S - athlete.cooldown_s - reps_s, 900.0)
    plan = SessionPlan(workout=workout, rest_s=rest_s, start_time=start, name=workout.name or "Intervals")
    return SessionConfig(plan=plan, athlete=dataclasses.replace(athlete, warmup_s=warmup_s), watch=watch), HOUR_S


def _workout(kind: str, pace: float, rng: np.random.Generator) -> Workout:
    choice = int(rng.integers(4))
    if kind == "hard kick":
        if choice == 0:
            return hard_kick_250(float(rng.uniform(190.0, 240.0)), plain=int(rng.integers(3, 6)))
        return hard_kick_500(pace, plain=int(rng.integers(3, 6)), kicks=int(rng.integers(1, 3)))
    if choice == 0:
        return custom_800_200(pace)
    if choice == 1:
        return timed_reps(pace - 10.0)
    minutes, seconds = divmod(round(pace), 60)
    return parse_workout(f"{int(rng.integers(6, 9))}x800@{minutes}:{seconds:02d}/km")


def _rep_s(rep: PlannedRep, pace: float) -> float:
    """About how long a rep takes at ``pace``, its kick at 6 m/s [s]."""
    if rep.duration_s is not None:
        return rep.duration_s
    return (rep.distance_m or 0.0) * pace / 1000.0 + rep.kick_m / 6.0


def _broken_bytes(name: str, number: int) -> bytes:
    rng = np.random.default_rng(number)
    if name == "empty.fit":
        return b""
    if name == "noise.fit":
        return rng.integers(0, 256, 20_000, dtype=np.uint8).tobytes()
    if name == "text.fit":
        return b"this is a note, not a watch file\n" * 40
    session = simulate_session(_config("easy", number, pd.Timestamp("2026-01-01T07:00Z"))[0], seed=number)
    if name == "truncated.fit":
        data = session.to_fit()
        return data[: len(data) // 3]
    data = session.to_gpx()
    if name == "cut.gpx":
        return data[: len(data) // 2]
    return data.replace(b"</trkseg>", b"</trkseg", 1)
