"""Checks a coach makes around each hard session of a season, as numbers and ranked flags (no text).

- The day after: rest or an easy run. Another hard session, a run faster than easy or longer
  than a recovery run, or another sport is flagged. "Rest" is only said where the folder holds
  the runner's everyday activities around that day; a folder of interval sessions alone cannot
  tell a rest day from a run that is not in it.
- Warm-up and cool-down long enough (the scorer's minimums).
- A running base in the 4 weeks before, judged only when the folder covers each of those weeks
  (holds an activity in it other than an interval session); otherwise it could not be judged.

Days are UTC calendar days of the start times. A hard session is an interval session with reps
other than strides (:attr:`SessionRecord.is_hard`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..session_score import MIN_COOLDOWN_S, MIN_WARMUP_S
from .records import SessionRecord

__all__ = [
    "BASE_WEEKS",
    "EASY_PACE_RATIO",
    "FLAG_SEVERITY",
    "MIN_BASE_KM_PER_WEEK",
    "Flag",
    "NextDay",
    "SessionCheck",
    "season_checks",
]

#: Weeks of running looked at before a hard session [weeks].
BASE_WEEKS = 4
#: Mean weekly running volume below which the base is flagged as thin [km/week]. A runner doing
#: interval work towards a 20-25 min 5 km typically runs three or more times a week.
MIN_BASE_KM_PER_WEEK = 15.0
#: A run the day after is easy when its pace is at least this much slower than the session's
#: reps [ratio]. Daniels' easy pace starts at 74 % of VO2max: 1.26-1.28 times his interval pace
#: and 1.22-1.24 times 5 km race pace for VDOT 38-60 (a 25:00 to a 17:00 5 km runner), by the
#: equations of :mod:`.fitness`; 1.2 leaves a few s/km for a runner at the fast end of easy.
EASY_PACE_RATIO = 1.2
#: ... and not longer than this [s]: a long run the day after is no recovery.
MAX_EASY_RUN_S = 75 * 60.0
#: The day after is known to be a rest day only when the folder holds an everyday activity (not
#: an interval session) this close to it [days].
COVERAGE_DAYS = 7
#: Flags by what a coach acts on first (1 first): two hard days in a row risk the next session
#: and an injury; a thin base makes the season's fast work risky; a short warm-up risks the
#: session's first reps; a short cool-down only slows the recovery.
FLAG_SEVERITY = {"hard_next_day": 1, "thin_base": 2, "short_warmup": 3, "short_cooldown": 4}


@dataclass(frozen=True, slots=True, kw_only=True)
class NextDay:
    """One activity on the day after a hard session.

    ``not_recovery`` says why it is no recovery: ``'hard session'``, ``'fast'`` (a run faster
    than easy), ``'long'`` (a run longer than :data:`MAX_EASY_RUN_S`) or ``'other sport'``;
    None for an easy run.
    """

    source: str
    sport: str | None
    duration_s: float | None
    pace_s_per_km: float | None
    not_recovery: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """A problem a coach should act on; :data:`FLAG_SEVERITY` ranks the codes."""

    code: str
    source: str
    start_time: pd.Timestamp

    @property
    def severity(self) -> int:
        """1 is acted on first."""
        return FLAG_SEVERITY[self.code]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionCheck:
    """What a coach checks around one hard session.

    Attributes
    ----------
    source, start_time
        The hard session's file and start.
    day_after
        ``'rest'``, ``'easy run'``, ``'hard'`` (not recovery, see :class:`NextDay`) or
        ``'unknown'`` (the folder does not hold the runner's everyday activities around it).
    next_day
        The activities found on the next day.
    easy_pace_s_per_km
        Runs slower than this count as easy [s/km]: :data:`EASY_PACE_RATIO` times the reps' pace.
    warmup_s, cooldown_s
        Warm-up before the first rep and cool-down after the last [s].
    warmup_ok, cooldown_ok
        Whether they are as long as the scorer asks.
    weekly_run_km
        Running distance in each of the :data:`BASE_WEEKS` weeks before, most recent first [km];
        None for a week the folder does not cover.
    base_km_per_week
        Mean of those weeks [km/week], None unless every week is covered.
    base_ok
        Whether that base reaches :data:`MIN_BASE_KM_PER_WEEK`; None when it could not be judged.
    flags
        The problems found, most severe first.
    """

    source: str
    start_time: pd.Timestamp
    day_after: str
    next_day: tuple[NextDay, ...]
    easy_pace_s_per_km: float | None
    warmup_s: float | None
    cooldown_s: float | None
    warmup_ok: bool | None
    cooldown_ok: bool | None
    weekly_run_km: tuple[float | None, ...]
    base_km_per_week: float | None
    base_ok: bool | None
    flags: tuple[Flag, ...] = ()


def season_checks(records: Sequence[SessionRecord]) -> tuple[SessionCheck, ...]:
    """The checks of every hard session among ``records``.

    Parameters
    ----------
    records
        Every record of the season (the checks look at the other activities around each session).

    Returns
    -------
    tuple of SessionCheck
        One per dated hard session, in the order given.
    """
    timeline = _Timeline.of(records)
    return tuple(_check(session, timeline) for session in timeline.given if session.is_hard)


@dataclass(frozen=True, slots=True)
class _Timeline:
    """The season's dated records in time order, searched by time (a season of thousands of files
    is checked in time proportional to its size, not to its square)."""

    given: tuple[SessionRecord, ...]
    records: tuple[SessionRecord, ...]
    starts_ns: np.ndarray
    everyday_ns: np.ndarray
    running_km: np.ndarray

    @classmethod
    def of(cls, records: Sequence[SessionRecord]) -> _Timeline:
        given = tuple(r for r in records if r.kind != "failed" and r.start_time is not None)
        ordered = tuple(sorted(given, key=lambda r: _time(r).value))
        starts = np.array([_time(r).value for r in ordered], dtype=np.int64)
        everyday = starts[[r.kind in ("run", "other") for r in ordered]] if ordered else starts
        running = [(r.distance_m or 0.0) / 1000.0 if r.is_running else 0.0 for r in ordered]
        return cls(given, ordered, starts, everyday, np.concatenate([[0.0], np.cumsum(running)]))

    def between(self, begin: pd.Timestamp, end: pd.Timestamp) -> tuple[SessionRecord, ...]:
        """The records that start in ``[begin, end)``."""
        first, last = np.searchsorted(self.starts_ns, [begin.value, end.value])
        return self.records[first:last]

    def has_everyday(self, begin: pd.Timestamp, end: pd.Timestamp) -> bool:
        """Whether a run or another sport starts in ``[begin, end)``."""
        first, last = np.searchsorted(self.everyday_ns, [begin.value, end.value])
        return bool(last > first)

    def running_km_between(self, begin: pd.Timestamp, end: pd.Timestamp) -> float:
        """Running distance of the runs that start in ``[begin, end)`` [km]."""
        first, last = np.searchsorted(self.starts_ns, [begin.value, end.value])
        return float(self.running_km[last] - self.running_km[first])


def _check(session: SessionRecord, timeline: _Timeline) -> SessionCheck:
    summary = session.summary
    score = summary.score if summary is not None else None
    warmup = score.warmup_s if score is not None else None
    cooldown = score.cooldown_s if score is not None else None
    easy_pace = _easy_pace(session)
    next_day = _next_day(session, timeline, easy_pace)
    weeks = _weekly_run_km(session, timeline)
    base = sum(w for w in weeks if w is not None) / len(weeks) if None not in weeks else None
    check = SessionCheck(
        source=session.source,
        start_time=_time(session),
        day_after=_day_after(session, next_day, timeline),
        next_day=next_day,
        easy_pace_s_per_km=easy_pace,
        warmup_s=warmup,
        cooldown_s=cooldown,
        warmup_ok=None if warmup is None else warmup >= MIN_WARMUP_S,
        cooldown_ok=None if cooldown is None else cooldown >= MIN_COOLDOWN_S,
        weekly_run_km=weeks,
        base_km_per_week=None if base is None else round(base, 1),
        base_ok=None if base is None else base >= MIN_BASE_KM_PER_WEEK,
    )
    failed = {
        "hard_next_day": check.day_after == "hard",
        "thin_base": check.base_ok is False,
        "short_warmup": check.warmup_ok is False,
        "short_cooldown": check.cooldown_ok is False,
    }
    flags = tuple(
        Flag(code=code, source=session.source, start_time=check.start_time) for code, bad in failed.items() if bad
    )
    return dataclasses.replace(check, flags=tuple(sorted(flags, key=lambda f: f.severity)))


def _easy_pace(session: SessionRecord) -> float | None:
    reps = [r for r in session.summary.reps if r.kind != "stride"] if session.summary is not None else []
    distance = sum(r.distance_m or 0.0 for r in reps if r.duration_s)
    duration = sum(r.duration_s or 0.0 for r in reps if r.distance_m)
    return EASY_PACE_RATIO * duration / distance * 1000.0 if distance > 0 and duration > 0 else None


def _next_day(session: SessionRecord, timeline: _Timeline, easy_pace: float | None) -> tuple[NextDay, ...]:
    following = pd.Timestamp(_day(session) + dt.timedelta(days=1), tz="UTC")
    return tuple(
        NextDay(
            source=r.source,
            sport=r.sport,
            duration_s=r.duration_s,
            pace_s_per_km=r.pace_s_per_km,
            not_recovery=_not_recovery(r, easy_pace),
        )
        for r in timeline.between(following, following + pd.Timedelta(days=1))
    )


def _not_recovery(record: SessionRecord, easy_pace_s_per_km: float | None) -> str | None:
    if record.is_hard:
        return "hard session"
    if not record.is_running:
        return "other sport"
    pace = record.pace_s_per_km
    if pace is not None and easy_pace_s_per_km is not None and pace < easy_pace_s_per_km:
        return "fast"
    if (record.duration_s or 0.0) > MAX_EASY_RUN_S:
        return "long"
    return None


def _day_after(session: SessionRecord, next_day: tuple[NextDay, ...], timeline: _Timeline) -> str:
    if any(n.not_recovery is not None for n in next_day):
        return "hard"
    if next_day:
        return "easy run"
    middle = _time(session) + pd.Timedelta(days=1)
    near = pd.Timedelta(days=COVERAGE_DAYS)
    covered = timeline.has_everyday(middle - near, middle + near + pd.Timedelta(1, "ns"))
    return "rest" if covered else "unknown"


def _weekly_run_km(session: SessionRecord, timeline: _Timeline) -> tuple[float | None, ...]:
    start = _time(session)
    weeks: list[float | None] = []
    for week in range(BASE_WEEKS):
        end = start - pd.Timedelta(days=7 * week)
        begin = end - pd.Timedelta(days=7)
        if not timeline.has_everyday(begin, end):
            # Nothing but interval sessions (or nothing at all): the folder does not hold this week's runs.
            weeks.append(None)
            continue
        # The session itself starts at the end of the latest week, outside it.
        weeks.append(round(timeline.running_km_between(begin, end), 2))
    return tuple(weeks)


def _time(record: SessionRecord) -> pd.Timestamp:
    # Only dated records reach the checks; the guard keeps the type checker honest.
    if record.start_time is None:
        raise ValueError(f"{record.source} has no start time")
    return record.start_time


def _day(record: SessionRecord) -> dt.date:
    day: dt.date = _time(record).tz_convert("UTC").date()
    return day
