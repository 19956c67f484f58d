"""The workout a runner evidently ran, written from the efforts found: ``8x400``, ``5x60s``, ladders.

Consecutive efforts of about the same size form a group. A group is *timed* (``5x60s``) when
its durations agree better than its distances (a watch beeping every 60 s), and *measured*
(``8x400``) otherwise; each size is rounded to what runners prescribe (a 396 m rep is a 400, a
58 s rep a 60 s one). Short efforts are strides, or sprints when run from a walk or a stand;
an effort ending much faster than it was run has a kick; the gap to the next effort is its
recovery (jogged, walked or stood).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..clean import SessionGrid
from ..models import PlannedRep, Recovery, Workout
from ..workout import format_workout
from .efforts import Candidate, same_size, window

__all__ = ["workout_from_efforts"]

#: Distances runners prescribe [m].
STANDARD_DISTANCES_M = (100, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1200, 1500, 1600, 2000, 3000, 5000)
#: Times runners prescribe [s].
STANDARD_DURATIONS_S = (10, 15, 20, 30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 420, 480, 600, 720, 900, 1200)
#: A size within this relative error of a standard one is that one.
SNAP_SHARE = 0.12
#: Efforts whose size differs by less than this ratio are the same rep.
SAME_SIZE_RATIO = 1.15
#: Efforts this short are strides (or sprints, from a walk or a stand) [s].
SHORT_EFFORT_S = 35.0
#: A short effort this many times faster than its surroundings was run from a walk: a sprint.
SPRINT_CONTRAST = 2.0
#: A finish (a kick): a step up of at least this ratio over the effort's pace, lasting at least
#: this long, within its last share of time (a 1000 m run into a 200 m 16 % faster; a 400 m into
#: a 100 m sprint).
FINISH_RATIO = 1.12
MIN_FINISH_S = 10.0
FINISH_SHARE = 0.4
#: Recoveries slower than these are stood, or walked [m/s].
STANDING_MPS = 0.8
WALKING_MPS = 2.0


def workout_from_efforts(grid: SessionGrid, efforts: Sequence[Candidate]) -> Workout | None:
    """The workout the efforts make, or None when there are none."""
    if not efforts:
        return None
    groups: list[list[int]] = []
    for k, effort in enumerate(efforts):
        if groups and same_size(efforts[groups[-1][0]], effort, SAME_SIZE_RATIO):
            groups[-1].append(k)
        else:
            groups.append([k])
    reps: list[PlannedRep] = []
    columns = _Columns(grid.time_s, grid.frame["speed_mps"].to_numpy(), grid.frame["distance_m"].to_numpy())
    for group in groups:
        members = [efforts[k] for k in group]
        timed = _timed(members)
        planned = [_planned(columns, efforts, k, timed) for k in group]
        reps += _as_one_group(planned, members, timed)
    found = Workout(spec="", reps=tuple(reps), source="detected")
    return dataclasses.replace(found, spec=format_workout(found))


def _as_one_group(planned: list[PlannedRep], members: list[Candidate], timed: bool) -> list[PlannedRep]:
    """The reps of a group at one size and one recovery (the group's typical ones)."""
    if len(planned) < 2:
        return planned
    duration_s: float | None = None
    distance_m: float | None = None
    # Half the reps of the group or more finish with a kick: all of them are kick reps (a finish that did
    # not show on one rep is still the plan).
    kicks = [r.kick_m for r in planned if r.kick_m > 0]
    kick_m = float(np.median(kicks)) if 2 * len(kicks) >= len(planned) else 0.0
    if timed:
        duration_s = _snap(float(np.median([c.duration_s for c in members])), STANDARD_DURATIONS_S, step=5.0)
    else:
        paced = float(np.median([c.distance_m for c in members])) - kick_m
        distance_m = _snap(paced, STANDARD_DISTANCES_M, step=50.0)
    recoveries = [r.recovery for r in planned if r.recovery is not None]
    recovery = None
    if recoveries:
        gap = float(np.median([r.duration_s or 0.0 for r in recoveries]))
        # The commonest; a tie goes to the first seen (a set's order changes from run to run).
        activities = [r.activity for r in recoveries]
        activity = max(dict.fromkeys(activities), key=activities.count)
        recovery = Recovery(duration_s=_snap(gap, STANDARD_DURATIONS_S, step=15.0), activity=activity)
    return [
        dataclasses.replace(r, distance_m=distance_m, duration_s=duration_s, kick_m=kick_m, recovery=recovery)
        for r in planned
    ]


def _timed(members: Sequence[Candidate]) -> bool:
    """Whether the group was set by time: its durations agree, and sit on a round time, better
    than its distances do."""
    durations = np.array([c.duration_s for c in members])
    distances = np.array([c.distance_m for c in members])
    by_time = _snap_error(float(np.median(durations)), STANDARD_DURATIONS_S) + _spread(durations)
    by_distance = _snap_error(float(np.median(distances)), STANDARD_DISTANCES_M) + _spread(distances)
    return by_time < by_distance


def _spread(values: np.ndarray) -> float:
    """Coefficient of variation; infinite for values that are not all positive."""
    mean = float(np.mean(values))
    return float(np.std(values)) / mean if mean > 0 else float("inf")


@dataclass(frozen=True, slots=True, eq=False)
class _Columns:
    """The grid's times [s], speed [m/s] and distance [m], taken out of its frame once."""

    time_s: np.ndarray
    speed_mps: np.ndarray
    distance_m: np.ndarray


def _planned(grid: _Columns, efforts: Sequence[Candidate], k: int, timed: bool) -> PlannedRep:
    effort = efforts[k]
    short = effort.duration_s <= SHORT_EFFORT_S
    kind = ("sprint" if effort.contrast >= SPRINT_CONTRAST else "stride") if short else "work"
    kick_m = 0.0
    if not short:
        finish_m = _finish_m(grid, effort)
        if finish_m is not None:
            kick_m = _snap(finish_m, STANDARD_DISTANCES_M, step=50.0)
    recovery = _recovery(grid, effort, efforts[k + 1]) if k + 1 < len(efforts) else None
    if timed:
        duration_s = _snap(effort.duration_s, STANDARD_DURATIONS_S, step=5.0)
        return PlannedRep(duration_s=duration_s, kind=kind, recovery=recovery)
    paced = max(effort.distance_m - kick_m, 10.0)
    distance_m = _snap(paced, STANDARD_DISTANCES_M, step=50.0)
    return PlannedRep(distance_m=distance_m, kick_m=kick_m, kind=kind, recovery=recovery)


def _finish_m(grid: _Columns, effort: Candidate) -> float | None:
    """The distance of a faster finish (a kick), or None when the effort ends at its pace.

    The effort's speed is split in two where a step up fits it best, in its last
    :data:`FINISH_SHARE` of time: a finish is a step of at least :data:`FINISH_RATIO` that
    lasts :data:`MIN_FINISH_S` or more (a sprint's top, or a 1000 m run into a faster 200 m).
    """
    time = grid.time_s
    inside = window(time, effort.start_s, effort.end_s)
    speed = grid.speed_mps[inside]
    distance = grid.distance_m[inside]
    n = len(speed)
    first = max(int(n * (1.0 - FINISH_SHARE)), 2)
    if n < 8 or first >= n - 2:
        return None
    splits = np.arange(first, n - 2)
    total, squares = np.cumsum(speed), np.cumsum(speed * speed)
    before = squares[splits - 1] - total[splits - 1] ** 2 / splits
    after_sum = total[-1] - total[splits - 1]
    after = (squares[-1] - squares[splits - 1]) - after_sum**2 / (n - splits)
    k = int(splits[np.argmin(before + after)])
    pace, finish = float(np.mean(speed[:k])), float(np.mean(speed[k:]))
    if pace <= 0 or finish < FINISH_RATIO * pace or time[inside][-1] - time[inside][k] < MIN_FINISH_S:
        return None
    return float(distance[-1] - distance[k])


def _recovery(grid: _Columns, effort: Candidate, following: Candidate) -> Recovery:
    time = grid.time_s
    gap_s = following.start_s - effort.end_s
    between = window(time, effort.end_s, following.start_s, closed="neither")
    distance = grid.distance_m
    covered = float(np.interp(following.start_s, time, distance) - np.interp(effort.end_s, time, distance))
    speed = covered / gap_s if gap_s > 0 and between.stop > between.start else 0.0
    if speed < STANDING_MPS:
        return Recovery(duration_s=_snap(gap_s, STANDARD_DURATIONS_S, step=15.0), activity="rest")
    if speed < WALKING_MPS:
        return Recovery(duration_s=_snap(gap_s, STANDARD_DURATIONS_S, step=15.0), activity="walk")
    # Runners time their recoveries ("2 min jog") more often than they measure them.
    return Recovery(duration_s=_snap(gap_s, STANDARD_DURATIONS_S, step=15.0), activity="jog")


def _snap_error(value: float, standards: Sequence[float]) -> float:
    return min(abs(value - s) / s for s in standards)


def _snap(value: float, standards: Sequence[float], *, step: float) -> float:
    """The standard size nearest ``value`` when within :data:`SNAP_SHARE`, else ``value`` to ``step``."""
    nearest = min(standards, key=lambda s: abs(value - s) / s)
    if abs(value - nearest) / nearest <= SNAP_SHARE:
        return float(nearest)
    return float(max(step, round(value / step) * step))
