"""Checks the workout itself asks for, around each hard-kick session of a season.

- The day after: a rest day or an easy recovery run; another hard session (or a fast or long
  run, or another sport) is flagged.
- Warm-up and cool-down long enough (the scorer's minimums).
- A base: running volume in the 4 weeks before, since a full sprint at the end of hard reps
  needs one.

Days are UTC calendar days of the start times.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pandas as pd

from ..pipeline import RUNNING_SPORTS
from ..score import MIN_COOLDOWN_S, MIN_WARMUP_S
from ..units import format_clock
from .records import SessionCheck, SessionRecord

__all__ = ["BASE_WEEKS", "MIN_BASE_KM_PER_WEEK", "season_checks"]

#: Weeks of running looked at before a hard-kick session [weeks].
BASE_WEEKS = 4
#: Mean weekly running volume below which the base is flagged as thin [km/week]. A runner doing
#: the workout on a 20-25 min 5 km goal typically runs three or more times a week.
MIN_BASE_KM_PER_WEEK = 15.0
#: A run the day after is easy when its pace is at least this much slower than the reps' target [ratio].
EASY_PACE_RATIO = 1.15
#: ... and not longer than this [s]: a long run the day after is no recovery.
MAX_EASY_RUN_S = 75 * 60.0
# Without a known target, an easy run is slower than this [s/km] (about 12 km/h).
_EASY_PACE_FALLBACK_S_PER_KM = 300.0


def season_checks(records: Sequence[SessionRecord]) -> tuple[SessionCheck, ...]:
    """The checks of every hard-kick session among ``records``.

    Parameters
    ----------
    records
        Every record of the season (the checks look at the other activities around each session).

    Returns
    -------
    tuple of SessionCheck
        One per hard-kick record, in the order given.
    """
    dated = [r for r in records if r.kind != "failed" and r.start_time is not None]
    last_day = max((_day(r) for r in dated), default=None)
    first_time = min((_time(r) for r in dated), default=None)
    return tuple(
        _check(session, dated, last_day, first_time)
        for session in records
        if session.kind == "hard_kick" and session.start_time is not None
    )


def _check(
    session: SessionRecord, dated: list[SessionRecord], last_day: dt.date | None, first_time: pd.Timestamp | None
) -> SessionCheck:
    report = session.report or {}
    score = report.get("score") or {}
    warmup, cooldown = score.get("warmup_s"), score.get("cooldown_s")
    day_after, detail = _day_after(session, dated, last_day)
    weeks = _weekly_run_km(session, dated, first_time)
    covered = [w for w in weeks if w is not None]
    base = sum(covered) / len(covered) if covered else None
    checks = SessionCheck(
        source=session.source,
        day_after=day_after,
        day_after_detail=detail,
        warmup_s=warmup,
        cooldown_s=cooldown,
        warmup_ok=None if warmup is None else warmup >= MIN_WARMUP_S,
        cooldown_ok=None if cooldown is None else cooldown >= MIN_COOLDOWN_S,
        weekly_run_km=weeks,
        base_km_per_week=None if base is None else round(base, 1),
        base_ok=None if base is None else base >= MIN_BASE_KM_PER_WEEK,
    )
    flags = []
    if checks.day_after == "hard":
        flags.append(f"hard session the next day: {detail}")
    if checks.warmup_ok is False:
        flags.append(f"warm-up only {format_clock(warmup)} (at least {format_clock(MIN_WARMUP_S)})")
    if checks.cooldown_ok is False:
        flags.append(f"cool-down only {format_clock(cooldown)} (at least {format_clock(MIN_COOLDOWN_S)})")
    if checks.base_ok is False:
        flags.append(f"thin base: {base:.1f} km/week of running before (at least {MIN_BASE_KM_PER_WEEK:g})")
    return dataclasses.replace(checks, flags=tuple(flags))


def _day_after(session: SessionRecord, dated: list[SessionRecord], last_day: dt.date | None) -> tuple[str, str]:
    next_day = _day(session) + dt.timedelta(days=1)
    found = [r for r in dated if _day(r) == next_day]
    if not found:
        if last_day is None or last_day < next_day:
            return "unknown", "no files after this day"
        return "rest", "no activity recorded"
    target = ((session.report or {}).get("workout") or {}).get("target_pace_s_per_km")
    easy_pace = target * EASY_PACE_RATIO if target else _EASY_PACE_FALLBACK_S_PER_KM
    hard = []
    for record in found:
        reason = _why_hard(record, easy_pace)
        if reason:
            hard.append(f"{reason} ({record.source})")
    if hard:
        return "hard", "; ".join(hard)
    return "easy run", ", ".join(_describe(r) for r in found)


def _why_hard(record: SessionRecord, easy_pace_s_per_km: float) -> str | None:
    if record.kind == "hard_kick":
        return "another hard-kick session"
    if record.sport not in RUNNING_SPORTS:
        return f"{record.sport} activity, not rest or an easy run"
    pace = _pace(record)
    if pace is not None and pace < easy_pace_s_per_km:
        return f"run at {format_clock(pace)}/km, faster than easy ({format_clock(easy_pace_s_per_km)}/km)"
    if (record.duration_s or 0.0) > MAX_EASY_RUN_S:
        return f"{format_clock(record.duration_s)} run, longer than a recovery run"
    return None


def _describe(record: SessionRecord) -> str:
    pace = _pace(record)
    pace_text = f" at {format_clock(pace)}/km" if pace is not None else ""
    return f"{format_clock(record.duration_s)} run{pace_text} ({record.source})"


def _weekly_run_km(
    session: SessionRecord, dated: list[SessionRecord], first_time: pd.Timestamp | None
) -> tuple[float | None, ...]:
    start = _time(session)
    weeks: list[float | None] = []
    for week in range(BASE_WEEKS):
        end = start - pd.Timedelta(days=7 * week)
        begin = end - pd.Timedelta(days=7)
        if first_time is None or first_time > begin:
            # The season's files do not reach back over this whole week.
            weeks.append(None)
            continue
        runs = [
            r.distance_m or 0.0
            for r in dated
            if r.sport in RUNNING_SPORTS and begin <= _time(r) < end and r.source != session.source
        ]
        weeks.append(round(sum(runs) / 1000.0, 2))
    return tuple(weeks)


def _pace(record: SessionRecord) -> float | None:
    if not record.distance_m or not record.duration_s or record.distance_m < 100.0:
        return None
    return record.duration_s / record.distance_m * 1000.0


def _time(record: SessionRecord) -> pd.Timestamp:
    # Only dated records reach the checks; the guard keeps the type checker honest.
    if record.start_time is None:
        raise ValueError(f"{record.source} has no start time")
    return record.start_time


def _day(record: SessionRecord) -> dt.date:
    day: dt.date = _time(record).tz_convert("UTC").date()
    return day
