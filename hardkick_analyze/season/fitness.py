"""Current 5 km fitness from the reps of interval sessions, with Daniels' VDOT, and the goal beside it.

The model (Daniels & Gilbert, *Oxygen Power*, 1979; Daniels, *Daniels' Running Formula*, 3rd ed.,
2014): running at ``v`` m/min costs ``VO2 = -4.60 + 0.182258 v + 0.000104 v^2`` ml/kg/min, and a
race of ``t`` minutes is run at the share ``0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558
e^(-0.1932605 t)`` of VO2max, so a race gives ``VDOT = VO2(v) / share(t)`` and a VDOT gives the
time of any race. Reps are no race: Daniels prescribes each kind of rep at a pace a race would be
run at, and this module reads that prescription backwards.

- **R** (repetition) reps, under 2 min with at least twice as much recovery: about mile race pace,
  taken here as between 1500 m and 3000 m race pace.
- **I** (interval) reps, 2-6 min, or shorter reps with shorter recoveries: about the pace of a
  race of 10-15 min, taken here as between 3000 m and 5000 m race pace.
- **T** (threshold) reps, 6 min or longer: the pace of a race of about an hour, taken here as
  between 10 km and half-marathon race pace.

The session's reps (work reps of :data:`MIN_REP_S` or more; strides, sprints and kicks measure
speed, not aerobic fitness) are read as a race at their mean pace over the zone's shorter and
longer distance: the two ends of the range, the distance between them (geometric mean) the point
estimate. The range is widened by twice the standard error of the reps' mean speed (at least
:data:`MIN_MARGIN`), for a runner who ran the reps a little off the prescribed effort.

Limits: the estimate assumes the reps were run as Daniels prescribes; reps run easier (or to a
target set from a goal) say less than the runner can do, reps raced say more; heat, hills, wind
and a tired runner are not seen; Daniels' equations are fitted on races of about 3.5-230 min by
trained runners.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from .records import SessionRecord
from .trend import days_since, fit_line

__all__ = [
    "FIVE_KM_M",
    "MIN_REP_S",
    "ZONES",
    "FitnessEstimate",
    "GoalAt",
    "SeasonFitness",
    "race_time_s",
    "season_fitness",
    "session_fitness",
    "vdot",
]

#: The goal 5 km time in force at a time [s], None where there is none.
GoalAt = Callable[[pd.Timestamp], float | None]

FIVE_KM_M = 5000.0
#: Reps shorter than this say more about speed than about aerobic fitness [s].
MIN_REP_S = 45.0
#: Reps of at least this long are threshold reps [s]; Daniels keeps interval reps to 2-5 min.
THRESHOLD_REP_S = 360.0
#: Reps shorter than this with at least :data:`REPETITION_REST_RATIO` times as much rest are
#: repetition reps [s].
REPETITION_REP_S = 120.0
REPETITION_REST_RATIO = 2.0
#: Zone -> the race distances whose paces bound the reps' pace [m].
ZONES = {"R": (1500.0, 3000.0), "I": (3000.0, 5000.0), "T": (10_000.0, 21_097.5)}
#: The range is widened by at least this share of the reps' speed on each side: a runner reads
#: an effort to about a second per 100 m, not exactly.
MIN_MARGIN = 0.01
#: The current estimate is the median of the sessions this close to the latest one [days].
CURRENT_WINDOW_DAYS = 28.0
#: The trend is carried on to the goal for at most this long [days].
MAX_PROJECTION_DAYS = 365.0


@dataclass(frozen=True, slots=True, kw_only=True)
class FitnessEstimate:
    """The 5 km time one session's reps say the runner can run.

    Attributes
    ----------
    source, start_time
        The session.
    zone
        Daniels' kind of rep the session's reps are read as (``'R'``, ``'I'`` or ``'T'``).
    reps
        Reps used [count].
    rep_pace_s_per_km
        Their mean pace [s/km].
    rep_duration_s
        Their median duration [s].
    recovery_ratio
        Median recovery over median rep duration; None when the recoveries are not known.
    vdot, vdot_low, vdot_high
        VDOT [ml/kg/min] at the point estimate and the range's ends.
    time_5k_s, time_5k_fast_s, time_5k_slow_s
        The 5 km time at those VDOTs [s].
    goal_5k_s
        The goal in force on the session's day [s], None without one.
    """

    source: str
    start_time: pd.Timestamp
    zone: str
    reps: int
    rep_pace_s_per_km: float
    rep_duration_s: float
    recovery_ratio: float | None
    vdot: float
    vdot_low: float
    vdot_high: float
    time_5k_s: float
    time_5k_fast_s: float
    time_5k_slow_s: float
    goal_5k_s: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonFitness:
    """The season's 5 km estimate against the goal.

    Attributes
    ----------
    sessions
        One estimate per interval session whose reps allow one, oldest first.
    as_of
        The latest session with an estimate (None without any).
    time_5k_s, time_5k_fast_s, time_5k_slow_s
        The current estimate and its range [s]: medians over the sessions of the last
        :data:`CURRENT_WINDOW_DAYS` days before ``as_of``.
    trend_pct_per_30_days
        Change of the estimated time per 30 days [%] (negative is faster), from a least-squares
        fit of its logarithm over the season; None with too few sessions.
    trend_first_5k_s, trend_latest_5k_s
        That fit at the first and the latest session [s].
    goal_5k_s
        The goal in force at ``as_of`` [s].
    status
        ``'ahead'`` (even the slow end beats the goal), ``'on course'`` (the goal is in the
        range), ``'behind'``, or None without a goal or an estimate.
    goal_reached_at
        When the trend reaches the goal, for a runner behind it and getting faster, within
        :data:`MAX_PROJECTION_DAYS`; else None.
    """

    sessions: tuple[FitnessEstimate, ...] = ()
    as_of: pd.Timestamp | None = None
    time_5k_s: float | None = None
    time_5k_fast_s: float | None = None
    time_5k_slow_s: float | None = None
    trend_pct_per_30_days: float | None = None
    trend_first_5k_s: float | None = None
    trend_latest_5k_s: float | None = None
    goal_5k_s: float | None = None
    status: str | None = None
    goal_reached_at: pd.Timestamp | None = None
    _by_source: Mapping[str, FitnessEstimate] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_source", MappingProxyType({s.source: s for s in self.sessions}))

    def for_session(self, source: str) -> FitnessEstimate | None:
        """The estimate of one session, by its file name."""
        return self._by_source.get(source)


def oxygen_cost(speed_m_per_min: float) -> float:
    """Oxygen cost of running at a speed [ml/kg/min] (Daniels & Gilbert 1979)."""
    return -4.60 + 0.182258 * speed_m_per_min + 0.000104 * speed_m_per_min**2


def vo2max_share(minutes: float) -> float:
    """Share of VO2max a race of this length is run at (Daniels & Gilbert 1979)."""
    return 0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)


def vdot(distance_m: float, time_s: float) -> float:
    """Daniels' VDOT of a race [ml/kg/min]."""
    minutes = time_s / 60.0
    return oxygen_cost(distance_m / minutes) / vo2max_share(minutes)


def race_time_s(vdot_value: float, distance_m: float = FIVE_KM_M) -> float:
    """The race time a VDOT predicts for a distance [s] (bisection: VDOT falls as the time grows)."""
    fast, slow = distance_m / 12.0, distance_m / 0.5  # 12 m/s and 0.5 m/s bound any runner
    for _ in range(80):
        middle = 0.5 * (fast + slow)
        if vdot(distance_m, middle) > vdot_value:
            fast = middle
        else:
            slow = middle
    return 0.5 * (fast + slow)


def session_fitness(record: SessionRecord, goal_5k_s: float | None = None) -> FitnessEstimate | None:
    """The 5 km estimate of one interval session; None without two work reps of :data:`MIN_REP_S` or more."""
    if record.summary is None or record.start_time is None:
        return None
    reps = [
        r
        for r in record.summary.work_reps
        if r.duration_s is not None and r.duration_s >= MIN_REP_S and r.distance_m and r.distance_m > 0
    ]
    if len(reps) < 2:
        return None
    duration = float(sum(r.duration_s or 0.0 for r in reps))
    speed_mps = sum(r.distance_m or 0.0 for r in reps) / duration
    rep_s = float(np.median([r.duration_s for r in reps]))
    rests = [r.rest_after_s for r in reps if r.rest_after_s is not None and r.rest_after_s > 0]
    ratio = float(np.median(rests)) / rep_s if rests else None
    zone = _zone(rep_s, ratio)
    short, long = ZONES[zone]
    margin = _margin([r.distance_m / r.duration_s for r in reps if r.distance_m and r.duration_s])
    low = vdot(short, short / (speed_mps * (1.0 - margin)))
    high = vdot(long, long / (speed_mps * (1.0 + margin)))
    point = vdot(math.sqrt(short * long), math.sqrt(short * long) / speed_mps)
    return FitnessEstimate(
        source=record.source,
        start_time=record.start_time,
        zone=zone,
        reps=len(reps),
        rep_pace_s_per_km=1000.0 / speed_mps,
        rep_duration_s=rep_s,
        recovery_ratio=ratio,
        vdot=point,
        vdot_low=low,
        vdot_high=high,
        time_5k_s=race_time_s(point),
        time_5k_fast_s=race_time_s(high),
        time_5k_slow_s=race_time_s(low),
        goal_5k_s=goal_5k_s,
    )


def season_fitness(records: Sequence[SessionRecord], goal_at: GoalAt | None = None) -> SeasonFitness:
    """The fitness estimate of every interval session, the current one, its trend and the goal.

    Parameters
    ----------
    records
        The season.
    goal_at
        The goal 5 km time in force at a time [s], or None where there is none.
    """
    goal = goal_at or (lambda when: None)
    estimates = [
        e
        for r in records
        if r.kind == "interval" and r.start_time is not None
        for e in [session_fitness(r, goal(r.start_time))]
        if e is not None
    ]
    estimates.sort(key=lambda e: (e.start_time, e.source))
    if not estimates:
        return SeasonFitness()
    as_of = estimates[-1].start_time
    recent = [e for e in estimates if (as_of - e.start_time) <= pd.Timedelta(days=CURRENT_WINDOW_DAYS)]
    current = float(np.median([e.time_5k_s for e in recent]))
    fast = float(np.median([e.time_5k_fast_s for e in recent]))
    slow = float(np.median([e.time_5k_slow_s for e in recent]))
    line = fit_line([e.start_time for e in estimates], [math.log(e.time_5k_s) for e in estimates])
    slope = line.per_day if line is not None else None
    goal_now = goal(as_of)
    return SeasonFitness(
        sessions=tuple(estimates),
        as_of=as_of,
        time_5k_s=current,
        time_5k_fast_s=fast,
        time_5k_slow_s=slow,
        trend_pct_per_30_days=None if slope is None else (math.exp(30.0 * slope) - 1.0) * 100.0,
        trend_first_5k_s=None if line is None else math.exp(line.start),
        trend_latest_5k_s=None if line is None else math.exp(line.start + line.per_day * _span_days(estimates)),
        goal_5k_s=goal_now,
        status=_status(goal_now, fast, slow),
        goal_reached_at=_reached_at(as_of, current, goal_now, slope),
    )


def _margin(speeds_mps: Sequence[float]) -> float:
    """How far off the prescribed effort the reps may have been run [share of the speed]: twice the
    standard error of their mean speed, and at least :data:`MIN_MARGIN`."""
    speeds = np.asarray(speeds_mps, dtype=float)
    error = float(np.std(speeds, ddof=1) / np.mean(speeds) / math.sqrt(len(speeds))) if len(speeds) > 1 else 0.0
    return max(MIN_MARGIN, 2.0 * error)


def _zone(rep_s: float, recovery_ratio: float | None) -> str:
    if rep_s >= THRESHOLD_REP_S:
        return "T"
    if rep_s < REPETITION_REP_S and recovery_ratio is not None and recovery_ratio >= REPETITION_REST_RATIO:
        return "R"
    return "I"


def _span_days(estimates: Sequence[FitnessEstimate]) -> float:
    return float(days_since([estimates[-1].start_time], estimates[0].start_time)[0])


def _status(goal_s: float | None, fast_s: float, slow_s: float) -> str | None:
    if goal_s is None:
        return None
    if slow_s <= goal_s:
        return "ahead"
    return "on course" if fast_s <= goal_s else "behind"


def _reached_at(
    as_of: pd.Timestamp, current_s: float, goal_s: float | None, slope_per_day: float | None
) -> pd.Timestamp | None:
    if goal_s is None or slope_per_day is None or slope_per_day >= 0 or current_s <= goal_s:
        return None
    days = math.log(goal_s / current_s) / slope_per_day
    # A trend carried on for years says nothing: beyond this horizon no date is given.
    return as_of + pd.Timedelta(days=days) if days <= MAX_PROJECTION_DAYS else None
