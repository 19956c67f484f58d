"""The same workout over time: interval sessions grouped as a runner would group them, and their trends.

A session's *shape* is what a runner names it by: the size of its main reps (``400 m``, ``4 min``),
whether they end in a kick, and whether they are work reps, strides or sprints; a session of
several kinds of reps (``4x800 m; 7x400 m``, a ladder, the hard kick's plain and kick reps) has
each block in its shape. Short openers (a 150 m before 7x300 m, strides before 4x4 min) do not
change the shape: a block counts when it holds at least :data:`BLOCK_SHARE` of the main block's
time. Sessions of one shape whose reps are recovered from alike (jogged, or walked and stood: a
jog keeps the heart rate up, a rest lets it fall) form a group; for a one-block shape, rep
counts may differ unless they jump by more than :data:`COUNT_RATIO` (5 or 6 x 400 m are one
workout, 6 and 12 x 400 m are two).

For each session of a group: the mean pace of its reps, the spread between them, the heart rate
over them (the same pace at a lower heart rate is progress) and, for kick reps, the kicks'
speed and fade; for the group, each of these since the first session, since the one before and
per 30 days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from ..present.summary import PlannedSummary, RepSummary
from ..workout import PRESETS, parse_workout
from .records import SessionRecord
from .trend import fit_line

__all__ = [
    "BLOCK_SHARE",
    "COUNT_RATIO",
    "MetricTrend",
    "RepSize",
    "SessionMetrics",
    "WorkoutGroup",
    "preset_of",
    "session_metrics",
    "session_recovery",
    "session_shape",
    "workout_groups",
]

#: A block of reps is part of a session's shape when it holds this share of the main block's
#: time or more (a kick block always is: the kick is what the workout is for).
BLOCK_SHARE = 0.25
#: Sessions of a one-block shape are one workout unless their rep counts jump by more than this
#: ratio (4, 5 and 6 x 400 m together; 6 and 12 x 400 m apart).
COUNT_RATIO = 1.6


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class RepSize:
    """One block of a shape: the reps' kind (``work``, ``stride``, ``sprint``), how they are set
    (``'m'`` by distance, ``'s'`` by time), their size [m or s] and their kick [m]."""

    kind: str
    unit: str
    amount: float
    kick_m: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionMetrics:
    """One session of a group, measured on the reps of its shape.

    Attributes
    ----------
    source, start_time
        The session's file and start.
    structure
        What the analysis found, in runners' words.
    reps
        Reps of the shape found [count]; ``planned`` of them were planned.
    rep_paces_s_per_km
        Each of those reps' pace [s/km], in order.
    rep_pace_s_per_km
        Their mean pace: total time over total distance [s/km].
    rep_spread_s_per_km
        Slowest minus fastest rep [s/km].
    heart_rate_bpm
        Mean heart rate over the reps, weighted by their time [bpm]; None without heart rate.
    kick_speed_mps, kick_fade_pct
        Mean kick speed [m/s] and fade [%] over the session's kicks; None without kicks.
    """

    source: str
    start_time: pd.Timestamp
    structure: str
    reps: int
    planned: int
    rep_paces_s_per_km: tuple[float, ...]
    rep_pace_s_per_km: float | None
    rep_spread_s_per_km: float | None
    heart_rate_bpm: float | None
    kick_speed_mps: float | None
    kick_fade_pct: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricTrend:
    """One measure over a group's sessions: the first, the one before the latest, the latest, and
    the least-squares change per 30 days (None with fewer than 3 sessions over 2 weeks)."""

    first: float
    previous: float
    latest: float
    per_30_days: float | None

    @property
    def since_first(self) -> float:
        """Latest minus first."""
        return self.latest - self.first

    @property
    def since_previous(self) -> float:
        """Latest minus the one before."""
        return self.latest - self.previous


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkoutGroup:
    """Sessions of one workout, in date order.

    Attributes
    ----------
    key
        A stable name for the group, for tables and files: the blocks (``'work-400m'``,
        ``'work-400m+work-400m-kick100m'``) or the preset's name, then ``-jog`` or ``-rest``; of
        several groups of one shape, all but the largest end in their rep counts (``-12x``,
        ``-3to4x``).
    shape
        The blocks of reps that make the workout.
    recovery
        How the reps are recovered from: ``'jog'``, ``'rest'`` (walked or stood), None when no
        plan of the group says.
    preset
        The preset the shape is (``'hard-kick-500'``), if any.
    min_reps, max_reps
        Fewest and most reps of the shape planned in one session [count].
    block_reps
        Fewest and most reps of each block of the shape planned in one session [count].
    sessions
        The sessions, oldest first.
    pace, spread, heart_rate, kick_speed, kick_fade
        Each measure's trend (None where fewer than two sessions have it).
    """

    key: str
    shape: tuple[RepSize, ...]
    recovery: str | None
    preset: str | None
    min_reps: int
    max_reps: int
    block_reps: tuple[tuple[int, int], ...]
    sessions: tuple[SessionMetrics, ...]
    pace: MetricTrend | None
    spread: MetricTrend | None
    heart_rate: MetricTrend | None
    kick_speed: MetricTrend | None
    kick_fade: MetricTrend | None

    @property
    def has_kicks(self) -> bool:
        """The workout's reps end in kicks."""
        return any(block.kick_m > 0 for block in self.shape)


def workout_groups(records: Sequence[SessionRecord]) -> tuple[WorkoutGroup, ...]:
    """Group the dated interval sessions of a season by workout.

    Returns
    -------
    tuple of WorkoutGroup
        Most sessions first, then by the first session's date; a session that is the only one
        of its workout is a group of one.
    """
    by_shape: dict[tuple[RepSize, ...], list[tuple[SessionRecord, int]]] = {}
    for record in records:
        if record.kind != "interval" or record.start_time is None or record.summary is None:
            continue
        shape = session_shape(record.summary.reps)
        if shape:
            by_shape.setdefault(shape, []).append((record, _planned_count(record, shape)))
    groups: list[WorkoutGroup] = []
    for shape, members in by_shape.items():
        for recovery, alike in _by_recovery(shape, members).items():
            parts = _by_count(shape, alike)
            main = max(parts, key=len)
            for part in parts:
                groups.append(_group(shape, recovery, part, main=part is main))
    return tuple(sorted(groups, key=lambda g: (-len(g.sessions), g.sessions[0].start_time, g.key)))


def session_recovery(record: SessionRecord, shape: tuple[RepSize, ...]) -> str | None:
    """How the reps of ``shape`` are recovered from: ``'jog'``, ``'rest'`` (walked or stood), or
    None when the plan does not say (a preset)."""
    if record.summary is None:
        return None
    kinds = [
        "jog" if p.recovery.activity == "jog" else "rest"
        for p in record.summary.workout.planned
        if p.recovery is not None and _planned_size(p) in shape
    ]
    return max(("jog", "rest"), key=kinds.count) if kinds else None


def session_shape(reps: Sequence[RepSummary]) -> tuple[RepSize, ...]:
    """The blocks that make a session's workout (empty with no reps), in :func:`_block_order`."""
    work = [r for r in reps if r.kind not in ("stride", "sprint")] or list(reps)
    time_s: dict[RepSize, float] = {}
    for rep in work:
        size = _size(rep)
        time_s[size] = time_s.get(size, 0.0) + (rep.duration_s or 0.0)
    if not time_s:
        return ()
    main = max(time_s.values())
    kept = [s for s, t in time_s.items() if s.kick_m > 0 or t >= BLOCK_SHARE * main]
    return tuple(sorted(kept, key=_block_order))


def session_metrics(record: SessionRecord, shape: tuple[RepSize, ...]) -> SessionMetrics:
    """Measure one session on the reps of ``shape``."""
    if record.summary is None or record.start_time is None:
        raise ValueError(f"{record.source} is not a dated, analysed session")
    summary = record.summary
    reps = [r for r in summary.reps if _size(r) in shape]
    paces = tuple(r.pace_s_per_km for r in reps if r.pace_s_per_km is not None)
    timed = [r for r in reps if r.duration_s and r.distance_m]
    distance = sum(r.distance_m or 0.0 for r in timed)
    duration = sum(r.duration_s or 0.0 for r in timed)
    with_hr = [r for r in timed if r.avg_heart_rate_bpm is not None]
    hr_time = sum(r.duration_s or 0.0 for r in with_hr)
    kicks = [r.kick for r in reps if r.kick is not None]
    speeds = [k.avg_speed_mps for k in kicks if k.avg_speed_mps is not None]
    fades = [k.fade_pct for k in kicks if k.fade_pct is not None]
    return SessionMetrics(
        source=record.source,
        start_time=record.start_time,
        structure=summary.structure or "",
        reps=len(reps),
        planned=_planned_count(record, shape),
        rep_paces_s_per_km=paces,
        rep_pace_s_per_km=duration / distance * 1000.0 if distance > 0 else None,
        rep_spread_s_per_km=max(paces) - min(paces) if len(paces) >= 2 else None,
        heart_rate_bpm=(
            sum((r.avg_heart_rate_bpm or 0.0) * (r.duration_s or 0.0) for r in with_hr) / hr_time
            if hr_time > 0
            else None
        ),
        kick_speed_mps=float(np.mean(speeds)) if speeds else None,
        kick_fade_pct=float(np.mean(fades)) if fades else None,
    )


def preset_of(shape: tuple[RepSize, ...]) -> str | None:
    """The preset (``'hard-kick-500'``, ...) whose reps make this shape, if any."""
    return next((name for name, preset in _preset_shapes().items() if preset == shape), None)


@cache
def _preset_shapes() -> dict[str, tuple[RepSize, ...]]:
    shapes = {}
    for name in PRESETS:
        sizes = {_size_of(r.kind, r.distance_m, r.duration_s, r.kick_m) for r in parse_workout(name).reps}
        shapes[name] = tuple(sorted(sizes, key=_block_order))
    return shapes


def _size(rep: RepSummary) -> RepSize:
    return _planned_size(rep.planned)


def _planned_size(planned: PlannedSummary) -> RepSize:
    return _size_of(planned.kind, planned.distance_m, planned.duration_s, planned.kick_m)


def _size_of(kind: str, distance_m: float | None, duration_s: float | None, kick_m: float) -> RepSize:
    unit, amount = ("m", distance_m) if distance_m is not None else ("s", duration_s or 0.0)
    return RepSize(kind=kind, unit=unit, amount=float(round(amount)), kick_m=float(round(kick_m)))


def _block_order(block: RepSize) -> tuple[str, str, float, float]:
    """Work before strides and sprints, distances before times, the longest first, plain before kick."""
    return (block.kind, block.unit, -block.amount, block.kick_m)


def _block_counts(record: SessionRecord, shape: tuple[RepSize, ...]) -> tuple[int, ...]:
    planned = [_planned_size(p) for p in record.summary.workout.planned] if record.summary is not None else []
    return tuple(planned.count(block) for block in shape)


def _planned_count(record: SessionRecord, shape: tuple[RepSize, ...]) -> int:
    return sum(_block_counts(record, shape))


def _by_recovery(
    shape: tuple[RepSize, ...], members: list[tuple[SessionRecord, int]]
) -> dict[str | None, list[tuple[SessionRecord, int]]]:
    """Sessions by recovery; those whose plan does not say join the larger of the others."""
    parts: dict[str | None, list[tuple[SessionRecord, int]]] = {}
    for member in members:
        parts.setdefault(session_recovery(member[0], shape), []).append(member)
    unknown = parts.pop(None, [])
    if not parts:
        return {None: unknown}
    largest = max(parts, key=lambda k: len(parts[k]))
    parts[largest] += unknown
    return parts


def _by_count(
    shape: tuple[RepSize, ...], members: list[tuple[SessionRecord, int]]
) -> list[list[tuple[SessionRecord, int]]]:
    """One-block shapes split where the rep count jumps by more than :data:`COUNT_RATIO` from the
    next smaller count (5, 6 and 7 reps stay together; 6 and 12 part)."""
    if len(shape) > 1:
        return [members]
    parts: list[list[tuple[SessionRecord, int]]] = []
    for member in sorted(members, key=lambda m: m[1]):
        if parts and member[1] <= COUNT_RATIO * max(parts[-1][-1][1], 1):
            parts[-1].append(member)
        else:
            parts.append([member])
    return parts


def _group(
    shape: tuple[RepSize, ...], recovery: str | None, members: list[tuple[SessionRecord, int]], *, main: bool
) -> WorkoutGroup:
    ordered = sorted(members, key=lambda m: (m[0].start_time, m[0].source))
    sessions = tuple(session_metrics(record, shape) for record, _ in ordered)
    counts = [count for _, count in members]
    key = preset_of(shape) or "+".join(_block_key(block) for block in shape)
    key += f"-{recovery}" if recovery else ""
    # The shape's other rep counts are told apart by them: work-400m-jog, work-400m-jog-12x.
    key += "" if main else f"-{min(counts)}x" if min(counts) == max(counts) else f"-{min(counts)}to{max(counts)}x"
    return WorkoutGroup(
        key=key,
        shape=shape,
        recovery=recovery,
        preset=preset_of(shape),
        min_reps=min(counts),
        max_reps=max(counts),
        block_reps=tuple(
            (min(per_block), max(per_block))
            for per_block in zip(*(_block_counts(record, shape) for record, _ in members), strict=True)
        ),
        sessions=sessions,
        pace=_trend(sessions, [s.rep_pace_s_per_km for s in sessions]),
        spread=_trend(sessions, [s.rep_spread_s_per_km for s in sessions]),
        heart_rate=_trend(sessions, [s.heart_rate_bpm for s in sessions]),
        kick_speed=_trend(sessions, [s.kick_speed_mps for s in sessions]),
        kick_fade=_trend(sessions, [s.kick_fade_pct for s in sessions]),
    )


def _block_key(block: RepSize) -> str:
    text = f"{block.kind}-{block.amount:g}{block.unit}"
    return text + (f"-kick{block.kick_m:g}m" if block.kick_m > 0 else "")


def _trend(sessions: Sequence[SessionMetrics], values: Sequence[float | None]) -> MetricTrend | None:
    known = [(s.start_time, v) for s, v in zip(sessions, values, strict=True) if v is not None and math.isfinite(v)]
    if len(known) < 2:
        return None
    line = fit_line([t for t, _ in known], [v for _, v in known])
    return MetricTrend(
        first=known[0][1],
        previous=known[-2][1],
        latest=known[-1][1],
        per_30_days=None if line is None else line.per_day * 30.0,
    )
