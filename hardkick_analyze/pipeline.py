"""The composer: read -> grid -> track -> segment -> score -> verdicts. It adds no algorithm of its own."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from .clean import SessionGrid, make_grid
from .edges import check_goal_5k, check_pace
from .models import Activity, PlannedRep, Workout
from .readers import read_activity
from .readers.source import PathOrFile
from .results import RepResult, Segmentation, SessionReport
from .score import score_rep, score_session
from .segment import segment_session
from .track import TrackFit, correct_session, track_details
from .verdicts import is_hard_kick, session_verdicts, sparse_recording_warnings
from .workout import PRESETS, goal_5k_to_rep_pace, parse_workout, with_pace

__all__ = ["analyze_session"]

#: Shorter activities cannot hold the workout (two 200 m reps and a rest take longer) [s].
MIN_DURATION_S = 120.0
MIN_SAMPLES = 20
#: Longer activities (a watch left running for days) are not one training session [s].
MAX_DURATION_S = 24 * 3600.0
#: Sports that can hold a hard-kick session.
RUNNING_SPORTS = frozenset({"running", "generic", "training", None})


def analyze_session(
    source: Activity | PathOrFile,
    *,
    workout: Workout | str | None = None,
    pace_s_per_km: float | None = None,
    goal_5k: str | None = None,
    track_correction: bool = True,
) -> SessionReport:
    """Find and score the reps and kicks of one session.

    Parameters
    ----------
    source
        An :class:`Activity`, or anything :func:`read_activity` reads.
    workout
        The planned workout (a spec such as ``'4x400@4:55/km, 2x(400@4:55/km+100@max)'``, a
        preset name, or a :class:`Workout`). When None, both presets are tried and the better
        fit is kept.
    pace_s_per_km
        Target pace for reps whose spec has none [s/km].
    goal_5k
        Goal 5 km time (``'25:00'``); the rep pace is the goal pace minus 5 s/km.
    track_correction
        Recognise a 400 m track in the positions and measure distances on it (see
        :mod:`hardkick_analyze.track`); False analyses the distance as the watch measured it.

    Returns
    -------
    SessionReport
        Reps, kicks, missing reps, extra efforts, score and verdicts. A session that is not the
        workout comes back with ``is_hard_kick=False``, not an error.
    """
    activity = source if isinstance(source, Activity) else read_activity(source)
    pace, pace_source = _given_pace(pace_s_per_km, goal_5k)
    candidates = _candidate_workouts(workout, pace)
    if activity.duration_s < MIN_DURATION_S or len(activity.track) < MIN_SAMPLES:
        return _not_a_session(activity, candidates[0], pace, pace_source, "too short to hold a session")
    if activity.duration_s > MAX_DURATION_S:
        return _not_a_session(activity, candidates[0], pace, pace_source, "longer than a day: not one session")
    if candidates[0].reps and all(r.pace_s_per_km is not None for r in candidates[0].reps) and pace is None:
        pace_source = "given"
    grid, track = correct_session(make_grid(activity), activity, enabled=track_correction)
    segmentations = [segment_session(activity, grid, w) for w in candidates]
    segmentation = _with_track(min(segmentations, key=_fit_cost), grid, track)
    target = pace if pace is not None else _spec_pace(segmentation.workout)
    if target is None:
        target = _inferred_pace(segmentation)
        pace_source = "inferred" if target is not None else "unknown"
    reps = _score_reps(grid, segmentation, target)
    score = score_session(reps, segmentation, duration_s=activity.duration_s) if reps else None
    running = activity.metadata.sport in RUNNING_SPORTS
    hard_kick = running and is_hard_kick(segmentation, reps)
    missing = tuple(segmentation.workout.reps[i] for i in segmentation.missing)
    warnings = activity.warnings + segmentation.warnings
    if hard_kick:
        warnings += sparse_recording_warnings(activity.track["elapsed_s"].to_numpy(), reps)
    if not running:
        warnings += (f"the file is a {activity.metadata.sport} activity, not a run",)
    return SessionReport(
        source=activity.metadata.source,
        format=activity.metadata.format,
        start_time=activity.start_time,
        workout=segmentation.workout,
        target_pace_s_per_km=target,
        target_pace_source=pace_source,
        segmentation=segmentation,
        reps=tuple(reps) if hard_kick else (),
        missing=missing if hard_kick else (),
        extra_efforts=segmentation.extra_efforts if hard_kick else (),
        is_hard_kick=hard_kick,
        score=score if hard_kick else None,
        verdicts=session_verdicts(reps, missing, score) if hard_kick else ("no hard-kick session found",),
        warnings=warnings,
        grid=grid,
    )


def _not_a_session(
    activity: Activity, workout: Workout, pace: float | None, pace_source: str, why: str
) -> SessionReport:
    return SessionReport(
        source=activity.metadata.source,
        format=activity.metadata.format,
        start_time=activity.start_time,
        workout=workout,
        target_pace_s_per_km=pace,
        target_pace_source=pace_source,
        segmentation=Segmentation(
            method="none",
            workout=workout,
            reps=(),
            details=MappingProxyType({"track_corrected": False, "track": None}),
        ),
        reps=(),
        missing=(),
        extra_efforts=(),
        is_hard_kick=False,
        score=None,
        verdicts=("no hard-kick session found",),
        warnings=(*activity.warnings, f"the activity is {why}"),
    )


def _with_track(segmentation: Segmentation, grid: SessionGrid, track: TrackFit | None) -> Segmentation:
    """The segmentation's details with the track stage's answer added (JSON ``segmentation``)."""
    details: dict[str, Any] = {
        **segmentation.details,
        "track_corrected": track is not None,
        "track": track_details(grid, track) if track is not None else None,
    }
    return dataclasses.replace(segmentation, details=MappingProxyType(details))


def _given_pace(pace_s_per_km: float | None, goal_5k: str | None) -> tuple[float | None, str]:
    # Checked here, at the public entry: 0 s/km or a goal of 0:01 would otherwise divide by zero
    # or be silently ignored deep in the scoring.
    if pace_s_per_km is not None:
        return check_pace(pace_s_per_km), "given"
    if goal_5k is not None:
        check_goal_5k(goal_5k)
        return goal_5k_to_rep_pace(goal_5k), "goal"
    return None, "unknown"


def _candidate_workouts(workout: Workout | str | None, pace: float | None) -> list[Workout]:
    if isinstance(workout, Workout):
        return [with_pace(workout, pace) if pace is not None else workout]
    if isinstance(workout, str):
        return [parse_workout(workout, pace_s_per_km=pace)]
    return [parse_workout(name, pace_s_per_km=pace) for name in PRESETS]


def _fit_cost(segmentation: Segmentation) -> float:
    """Alignment cost per planned rep, with found reps preferred over a cheap empty answer."""
    cost = float(segmentation.details.get("alignment_cost", math.inf))
    return cost / max(len(segmentation.workout.reps), 1) - len(segmentation.reps)


def _spec_pace(workout: Workout) -> float | None:
    paces = [r.pace_s_per_km for r in workout.reps if r.pace_s_per_km is not None]
    return float(np.median(paces)) if paces else None


def _inferred_pace(segmentation: Segmentation) -> float | None:
    """Median pace of the paced parts found: the target the runner evidently aimed at [s/km]."""
    paces = [
        (b.end_s - b.start_s) / segmentation.workout.reps[b.planned_index].distance_m * 1000.0
        for b in segmentation.reps
    ]
    return float(np.median(paces)) if paces else None


def _score_reps(grid: SessionGrid, segmentation: Segmentation, target: float | None) -> list[RepResult]:
    bounds = sorted(segmentation.reps, key=lambda b: b.start_s)
    distance_scale = segmentation.details.get("distance_scale") or 1.0
    speed_scale = segmentation.details.get("speed_scale") or 1.0
    track: Mapping[str, Any] | None = segmentation.details.get("track")
    results = []
    for position, rep in enumerate(bounds, start=1):
        planned: PlannedRep = segmentation.workout.reps[rep.planned_index]
        following = bounds[position].start_s if position < len(bounds) else None
        results.append(
            score_rep(
                grid,
                rep,
                planned,
                position=position,
                target_pace_s_per_km=planned.pace_s_per_km if planned.pace_s_per_km is not None else target,
                distance_scale=distance_scale,
                speed_scale=speed_scale,
                next_start_s=following,
                track=track,
            )
        )
    return results
