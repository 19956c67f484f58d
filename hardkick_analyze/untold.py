"""Reading a session no one told the workout of: the plans it may hold, and which reading is kept.

The session's own plan (the watch's workout, the one its title spells out, or the structure of
its efforts) is read, unless a hard-kick preset read first is the session whatever the own
reading would find; a preset is read only when some effort of the session can be one of its
kicks (:func:`~hardkick_analyze.segment.kicks_possible`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .clean import SessionGrid
from .models import Activity, Workout
from .results import Calibration, RepResult, Segmentation
from .segment.efforts import Candidate, DetectionSpeed, candidates_between
from .segment.laps import LapTable, laps_as_efforts
from .segment.structure import workout_from_efforts
from .verdicts import is_hard_kick
from .watch_plan import workout_from_steps, workout_from_title
from .workout import PRESETS, parse_workout

__all__ = ["UntoldPlans", "untold_plans", "untold_reading"]


@dataclass(frozen=True, slots=True)
class UntoldPlans:
    """The plans an untold session is read with: its own (built when it is read: a preset kept
    first spares it), how many reps that holds, and the presets."""

    own: Callable[[], Workout]
    own_reps: int
    presets: tuple[Workout, ...]


def untold_plans(
    activity: Activity,
    grid: SessionGrid,
    speed: DetectionSpeed,
    laps: LapTable,
    efforts: list[Candidate],
    *,
    file_plan: bool,
    use_laps: bool,
) -> UntoldPlans | None:
    """The plans to try when none was given: the watch's, else the one the activity's title
    spells out, else the structure found (of the efforts the laps mark, when they mark the
    reps: one rep each), then the presets; None when the recording holds no efforts like reps."""
    primary = None
    if file_plan and activity.workout_steps:
        primary = workout_from_steps(activity.workout_steps, activity.metadata.workout_name)
    if file_plan and primary is None and not activity.workout_steps:
        primary = workout_from_title(activity.metadata.workout_name)
    presets = tuple(dataclasses.replace(parse_workout(name), source="preset") for name in PRESETS)
    if primary is not None:
        return UntoldPlans(own=lambda: primary, own_reps=len(primary.reps), presets=presets)
    marked = laps_as_efforts(activity, grid, speed, efforts, laps) if use_laps else None
    structure_of = marked if marked is not None else efforts
    if not structure_of:
        return None  # no efforts like reps: no interval session, hard kick or other
    own = functools.cache(functools.partial(_workout_of, grid, tuple(structure_of)))
    return UntoldPlans(own=own, own_reps=len(structure_of), presets=presets)


def _workout_of(grid: SessionGrid, efforts: tuple[Candidate, ...]) -> Workout:
    """The workout the efforts make (there is one: there are efforts)."""
    found = workout_from_efforts(grid, efforts)
    if found is None:
        raise ValueError("no efforts to make a workout of")
    return found


def untold_reading(
    segment: Callable[[Workout], Segmentation],
    score_reps: Callable[[Segmentation], list[RepResult]],
    may_kick: Callable[[Workout], bool],
    grid: SessionGrid,
    speed: DetectionSpeed,
    plans: UntoldPlans | None,
) -> tuple[Segmentation, list[RepResult]]:
    """The session read with its own plan (the structure written again from the reps as placed:
    an effort's first edges are rough), or as a preset where it is the hard-kick session with
    as many reps, give or take one. A reading is scored (one result per rep) only once it may
    be kept.

    The session's own reading never holds more reps than its plan, so a preset read as the
    hard-kick session with at least that many reps (less one) is kept whatever the session's own
    reading finds: the presets are tried first, and such a reading (the first preset's, each
    before it never kept) spares reading the session's own plan at all. A preset none of whose
    kicks any effort of the session can be (``may_kick``) is never the hard-kick session, and
    is not read.
    """
    if plans is None:
        return _nothing_found(grid), []
    presets = plans.presets
    read, may_kick = functools.cache(segment), functools.cache(may_kick)
    scored: dict[int, list[RepResult]] = {}

    def kept(k: int, found: int) -> tuple[Segmentation, list[RepResult]] | None:
        """Preset ``k``'s reading when it is the hard-kick session with at least ``found - 1`` reps."""
        if not may_kick(presets[k]):
            return None
        other = read(presets[k])
        if not other.reps or len(other.reps) < found - 1:
            return None
        if k not in scored:
            scored[k] = score_reps(other)
        return (other, scored[k]) if is_hard_kick(other, scored[k]) else None

    for k in range(len(presets)):
        if (reading := kept(k, plans.own_reps)) is not None:
            return reading
        if may_kick(presets[k]) and read(presets[k]).reps and k not in scored:
            break  # kept or not depending on how many reps the session's own reading finds
    own = plans.own()
    segmentation = read(own)
    if own.source == "detected":
        refined = workout_from_efforts(grid, _placed_efforts(speed, segmentation))
        if refined is not None and refined != own:  # the same plan reads the same
            segmentation = read(refined)
    found = len(segmentation.reps)
    for k in range(len(presets)):
        if (reading := kept(k, found)) is not None:
            return reading
    return segmentation, score_reps(segmentation)


def _nothing_found(grid: SessionGrid) -> Segmentation:
    """The segmentation of a run with no efforts like reps: no plan, no reps."""
    calibration = Calibration(
        speed_source=grid.speed_source,
        speed_lag_s=grid.speed_lag_s,
        distance_lag_s=grid.distance_lag_s,
        lag_correlation=grid.lag_correlation,
    )
    plan = Workout(spec="", reps=(), source="detected")
    return Segmentation(method="none", workout=plan, reps=(), calibration=calibration)


def _placed_efforts(speed: DetectionSpeed, segmentation: Segmentation) -> list[Candidate]:
    placed = sorted(segmentation.reps, key=lambda b: b.start_s)
    return candidates_between(speed, np.array([b.start_s for b in placed]), np.array([b.effort_end_s for b in placed]))
