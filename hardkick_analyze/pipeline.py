"""The composer: read -> grid -> track -> efforts -> plan -> segment -> score -> verdicts.

It adds no algorithm of its own: the plan is resolved here, once, in :func:`analyze_session`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

import numpy as np

from .clean import SessionGrid, make_grid
from .edges import check_goal_5k, check_pace
from .grid_columns import GridColumns, grid_columns
from .models import Activity, PlannedRep, Workout
from .plan import resolve_targets
from .readers import read_activity
from .readers.source import PathOrFile
from .results import Effort, RepResult, Segmentation, SessionReport
from .score import score_rep
from .segment import kicks_possible, segment_session
from .segment.detect import FoundEfforts, find_efforts
from .segment.efforts import Candidate, detection_speed
from .segment.laps import LapTable, lap_table
from .segment.sweep import EffortSweep, effort_sweep
from .session_score import score_session
from .track import TrackCorrection, correct_session, track_correction
from .untold import untold_plans, untold_reading
from .verdicts import is_hard_kick, session_verdicts, sparse_recording_warnings
from .workout import describe_workout, goal_5k_to_rep_pace, parse_workout, with_finishes_as_kicks

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
    file_plan: bool = True,
    use_laps: bool = True,
) -> SessionReport:
    """Find and score the reps (and kicks) of one session, whatever the workout.

    Parameters
    ----------
    source
        An :class:`Activity`, or anything :func:`read_activity` reads.
    workout
        The planned workout (a spec such as ``'8x400/200m jog'``, ``'5x60s'``,
        ``'4x400@4:55/km, 2x(400@4:55/km+100@max)'``, a preset name, or a :class:`Workout`).
        When None, the plan is the watch's own (the FIT workout steps), else the structure
        found in the recording; the hard-kick presets are recognised on top of either.
    pace_s_per_km
        Target pace for reps whose spec has none [s/km]; for scoring only.
    goal_5k
        Goal 5 km time (``'25:00'``); the rep pace is the goal pace minus 5 s/km.
    track_correction
        Recognise a 400 m track in the positions and measure distances on it (see
        :mod:`hardkick_analyze.track`); False analyses the distance as the watch measured it.
    file_plan
        Whether a plan the file holds (the watch's workout steps, which also say which laps
        are reps) may be used; False finds the structure from the recording alone.
    use_laps
        Whether the watch's laps may mark the reps.

    Returns
    -------
    SessionReport
        Reps, kicks, missing reps, extra efforts, score and verdicts. A run with no intervals
        comes back with no reps and a verdict that says what it was, not an error.
    """
    activity = source if isinstance(source, Activity) else read_activity(source)
    if not file_plan:
        activity = dataclasses.replace(activity, workout_steps=())
    given_pace = _given_pace(pace_s_per_km, goal_5k)
    given = _given_workout(workout)
    if activity.duration_s < MIN_DURATION_S or len(activity.track) < MIN_SAMPLES:
        return _not_a_session(activity, given, given_pace, "too short to hold a session")
    if activity.duration_s > MAX_DURATION_S:
        return _not_a_session(activity, given, given_pace, "longer than a day: not one session")
    running = activity.metadata.sport in RUNNING_SPORTS
    if not running and given is None:
        return _not_a_session(activity, None, given_pace, f"a {activity.metadata.sport} activity, not a run")
    grid, track = _track_stage(activity, enabled=track_correction)
    segmentation, reps, efforts = _reading(
        activity, grid, track, given, given_pace, file_plan=file_plan, use_laps=use_laps
    )
    return _report(activity, grid, segmentation, reps, efforts, given, given_pace)


def _reading(
    activity: Activity,
    grid: SessionGrid,
    track: TrackCorrection | None,
    given: Workout | None,
    given_pace: tuple[float, str] | None,
    *,
    file_plan: bool,
    use_laps: bool,
) -> tuple[Segmentation, list[RepResult], FoundEfforts]:
    """The session read with the given plan, or with the best of the plans it may hold: the
    segmentation, its scored reps, and the efforts found with no plan."""
    # Done once for every plan tried: the speeds, the laps, the plan-free efforts, and (when a
    # plan is read at all) the threshold sweep and the grid columns scoring reads.
    speed = detection_speed(grid)
    laps = lap_table(activity, grid)
    efforts = find_efforts(grid, speed)
    # A plan's reading is segmenting the session with it, then scoring its reps; only the
    # readings that may be kept are scored.
    sweep = functools.cache(functools.partial(effort_sweep, speed))
    found = (efforts.reps, efforts.candidates)
    segment = functools.partial(
        _segmented,
        activity,
        grid,
        track,
        sweep=sweep,
        laps=laps,
        efforts=found,
        given_pace=given_pace,
        use_laps=use_laps,
    )
    columns = functools.cache(functools.partial(grid_columns, grid))

    def score_reps(segmentation: Segmentation) -> list[RepResult]:
        return _score_reps(grid, segmentation, columns())

    if given is not None:
        segmentation = _given_reading(segment, given)
        return segmentation, score_reps(segmentation), efforts
    plans = untold_plans(activity, grid, speed, laps, list(efforts.reps), file_plan=file_plan, use_laps=use_laps)

    def may_kick(plan: Workout) -> bool:
        return kicks_possible(activity, grid, plan, efforts=found, use_laps=use_laps, sweep=sweep(), laps=laps)

    segmentation, reps = untold_reading(segment, score_reps, may_kick, grid, speed, plans)
    return segmentation, reps, efforts


def _report(
    activity: Activity,
    grid: SessionGrid,
    segmentation: Segmentation,
    reps: list[RepResult],
    efforts: FoundEfforts,
    given: Workout | None,
    given_pace: tuple[float, str] | None,
) -> SessionReport:
    """The report of a session read: its score, verdicts and warnings, and what it was."""
    running = activity.metadata.sport in RUNNING_SPORTS
    hard_kick = running and bool(reps) and is_hard_kick(segmentation, reps)
    plan = segmentation.workout
    score = score_session(reps, segmentation, duration_s=activity.duration_s) if reps else None
    missing = tuple(plan.reps[i] for i in segmentation.missing)
    warnings = activity.warnings + segmentation.warnings + _pace_warnings(given, given_pace)
    if hard_kick:
        warnings += sparse_recording_warnings(activity.track["elapsed_s"].to_numpy(), reps)
    if not running:
        warnings += (f"the file is a {activity.metadata.sport} activity, not a run",)
    unplanned = _unplanned(efforts.reps, segmentation) if given is not None or plan.source == "watch" else ()
    verdicts = session_verdicts(reps, missing, score, unplanned) if reps else (_no_intervals(activity),)
    return SessionReport(
        source=activity.metadata.source,
        format=activity.metadata.format,
        start_time=activity.start_time,
        workout=plan,
        target_pace_s_per_km=_headline_target(reps),
        target_pace_source=plan.target_source,
        segmentation=segmentation,
        reps=tuple(reps),
        missing=missing,
        extra_efforts=_merged_efforts(segmentation.extra_efforts, unplanned),
        is_hard_kick=hard_kick,
        score=score,
        verdicts=verdicts,
        warnings=warnings,
        structure=_structure(plan) if reps else verdicts[0],
        grid=grid,
    )


def _given_reading(segment: Callable[[Workout], Segmentation], given: Workout) -> Segmentation:
    """The session segmented with the given plan, or with its finishes read as kicks when that
    finds more: ``4x(1000, 200)`` is often run as a 1000 m straight into a faster 200 m."""
    segmentation = segment(given)
    variant = with_finishes_as_kicks(given)
    if variant is None:
        return segmentation
    other = segment(variant)
    return other if _segments(other) > _segments(segmentation) else segmentation


def _segments(segmentation: Segmentation) -> int:
    """Reps and kicks found."""
    return sum(1 + (b.kick_end_s is not None) for b in segmentation.reps)


def _segmented(
    activity: Activity,
    grid: SessionGrid,
    track: TrackCorrection | None,
    plan: Workout,
    *,
    sweep: Callable[[], EffortSweep],
    laps: LapTable,
    efforts: Sequence[Sequence[Candidate]],
    given_pace: tuple[float, str] | None,
    use_laps: bool,
) -> Segmentation:
    """Segment the session against one plan, its targets resolved once."""
    segmentation = segment_session(activity, grid, plan, efforts=efforts, use_laps=use_laps, sweep=sweep(), laps=laps)
    segmentation = _with_track(segmentation, track)
    resolved = resolve_targets(segmentation.workout, given_pace, _rep_paces(grid, segmentation))
    return dataclasses.replace(segmentation, workout=resolved)


def _unplanned(efforts: Sequence[Candidate], segmentation: Segmentation) -> tuple[Effort, ...]:
    """The efforts like reps that no planned rep took: reps run beyond the plan."""
    taken = [(b.start_s, b.effort_end_s) for b in segmentation.reps]
    return tuple(
        Effort(start_s=e.start_s, end_s=e.end_s, distance_m=e.distance_m, mean_speed_mps=e.mean_speed_mps)
        for e in efforts
        if not any(e.start_s < end and start < e.end_s for start, end in taken)
    )


def _merged_efforts(extras: Sequence[Effort], unplanned: Sequence[Effort]) -> tuple[Effort, ...]:
    """The alignment's extra efforts and the unplanned reps, each once, in time order."""
    merged = list(extras)
    merged += [u for u in unplanned if not any(u.start_s < e.end_s and e.start_s < u.end_s for e in extras)]
    return tuple(sorted(merged, key=lambda e: e.start_s))


def _given_workout(workout: Workout | str | None) -> Workout | None:
    if isinstance(workout, Workout):
        return workout
    if isinstance(workout, str):
        return parse_workout(workout)
    return None


def _rep_paces(grid: SessionGrid, segmentation: Segmentation) -> dict[int, float]:
    """Each found rep's pace by planned index, for targets inferred from the reps [s/km].

    A rep set by distance is timed over its planned metres; a timed rep over what it covered.
    """
    time, distance = grid.time_s, grid.frame["distance_m"].to_numpy()
    paces = {}
    for bounds in segmentation.reps:
        planned = segmentation.workout.reps[bounds.planned_index]
        metres = planned.distance_m
        if metres is None:
            metres = float(np.interp(bounds.end_s, time, distance) - np.interp(bounds.start_s, time, distance))
        if metres > 0:
            paces[bounds.planned_index] = (bounds.end_s - bounds.start_s) / metres * 1000.0
    return paces


def _headline_target(reps: list[RepResult]) -> float | None:
    targets = [r.target_pace_s_per_km for r in reps if r.target_pace_s_per_km is not None]
    return float(np.median(targets)) if targets else None


def _pace_warnings(given: Workout | None, given_pace: tuple[float, str] | None) -> tuple[str, ...]:
    if given is None or given_pace is None:
        return ()
    if any(r.pace_s_per_km is not None for r in given.reps):
        return (
            f"the spec's own paces are the targets of its reps; "
            f"the {given_pace[1]} pace applies only to reps without one",
        )
    return ()


def _structure(plan: Workout) -> str:
    """The plan in runners' words, with the paces the runner or the watch wrote into it, not
    those inferred from the reps or set by ``--pace`` or ``--goal-5k`` (a target, not the workout)."""
    if plan.target_source in ("inferred", "pace", "goal"):
        plan = dataclasses.replace(plan, reps=tuple(dataclasses.replace(r, pace_s_per_km=None) for r in plan.reps))
    return describe_workout(plan)


def _no_intervals(activity: Activity) -> str:
    """What a run without intervals was: ``steady 8.6 km in 47 min, no intervals``."""
    distances = activity.track["distance_m"].to_numpy()
    minutes = activity.duration_s / 60.0
    if not np.isfinite(distances).any() or np.nanmax(distances) <= 0:
        return f"{minutes:.0f} min with no distance recorded: no intervals found"
    return f"steady {float(np.nanmax(distances)) / 1000:.1f} km in {minutes:.0f} min, no intervals"


def _not_a_session(
    activity: Activity, workout: Workout | None, given_pace: tuple[float, str] | None, why: str
) -> SessionReport:
    plan = workout if workout is not None else Workout(spec="", reps=(), source="detected")
    verdict = f"no interval session: the activity is {why}"
    return SessionReport(
        source=activity.metadata.source,
        format=activity.metadata.format,
        start_time=activity.start_time,
        workout=plan,
        target_pace_s_per_km=given_pace[0] if given_pace else None,
        target_pace_source=given_pace[1] if given_pace else "none",
        segmentation=Segmentation(
            method="none",
            workout=plan,
            reps=(),
        ),
        reps=(),
        missing=(),
        extra_efforts=(),
        is_hard_kick=False,
        score=None,
        verdicts=(verdict,),
        warnings=(*activity.warnings, f"the activity is {why}"),
        structure=verdict,
    )


def _track_stage(activity: Activity, *, enabled: bool) -> tuple[SessionGrid, TrackCorrection | None]:
    """The session's grid, corrected on a recognised 400 m track, and what the correction did."""
    grid, fit = correct_session(make_grid(activity), activity, enabled=enabled)
    return grid, (track_correction(grid, fit) if fit is not None else None)


def _with_track(segmentation: Segmentation, track: TrackCorrection | None) -> Segmentation:
    """The segmentation with the track stage's answer in its calibration."""
    if track is None:
        return segmentation
    calibration = dataclasses.replace(segmentation.calibration, track=track)
    return dataclasses.replace(segmentation, calibration=calibration)


def _given_pace(pace_s_per_km: float | None, goal_5k: str | None) -> tuple[float, str] | None:
    # Checked here, at the public entry: 0 s/km or a goal of 0:01 would otherwise divide by zero
    # or be silently ignored deep in the scoring.
    if pace_s_per_km is not None:
        return check_pace(pace_s_per_km), "pace"
    if goal_5k is not None:
        check_goal_5k(goal_5k)
        return goal_5k_to_rep_pace(goal_5k), "goal"
    return None


def _score_reps(grid: SessionGrid, segmentation: Segmentation, columns: GridColumns) -> list[RepResult]:
    bounds = sorted(segmentation.reps, key=lambda b: b.start_s)
    calibration = segmentation.calibration
    distance_scale = calibration.distance_scale or 1.0
    speed_scale = calibration.speed_scale or 1.0
    track = calibration.track
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
                target_pace_s_per_km=planned.pace_s_per_km,
                distance_scale=distance_scale,
                speed_scale=speed_scale,
                next_start_s=following,
                track=track,
                columns=columns,
            )
        )
    return results
