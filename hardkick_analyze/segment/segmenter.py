"""Compose detection, alignment and boundary placement into a :class:`Segmentation`."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from ..clean import SessionGrid
from ..models import Activity, PlannedRep, Workout
from ..results import Calibration, Effort, RepBounds, Segmentation
from .align import FLEXIBLE_MISSING_COST, MISSING_COST, Alignment, align, align_many, may_match
from .efforts import Candidate, DetectionSpeed, detection_speed
from .laps import LapTable, lap_candidates, lap_table, structured
from .place import Scales, place_rep, resolve
from .sweep import OFF_SHARE, EffortSweep, effort_sweep

__all__ = ["kicks_possible", "segment_session"]

#: Shortest effort considered, as a share of the shortest planned rep's expected duration.
MIN_DURATION_SHARE = 0.35
#: Candidates this many times a plain rep's length could be plain reps (more or less than
#: this can never match one, whatever the GPS error).
PLAUSIBLE_LENGTH = (0.6, 1.6)
#: Reward per matched rep when comparing thresholds (see :func:`_objective`).
MATCH_REWARD = 4.0
#: Fastest pace assumed when the plan gives none, to size the shortest effort [m/s].
FASTEST_SPEED_MPS = 8.0


@dataclass(frozen=True, slots=True)
class _Plan:
    """The plan the alignment works on: a preset's plain reps expanded to what may have been run."""

    reps: tuple[PlannedRep, ...]
    missing_costs: tuple[float, ...]
    nominal_plain: int | None


def segment_session(
    activity: Activity,
    grid: SessionGrid,
    workout: Workout,
    *,
    efforts: Sequence[Sequence[Candidate]] = (),
    use_laps: bool = True,
    sweep: EffortSweep | None = None,
    laps: LapTable | None = None,
) -> Segmentation:
    """Find every planned rep (and kick) of ``workout`` in ``activity``.

    Parameters
    ----------
    activity
        The activity as read (laps are used when they are the reps).
    grid
        The same activity on its uniform grid (see :func:`hardkick_analyze.clean.make_grid`).
    workout
        The planned workout; a preset's plain-rep count adapts to what was run.
    efforts
        Sets of efforts found with no plan (:func:`.detect.find_efforts`: the plausible reps,
        every candidate), each matched to the plan beside the plan-guided detection; the best
        fit is kept.
    use_laps
        Whether the watch's laps may be the reps.
    sweep
        The session's threshold sweep (:func:`.sweep.effort_sweep`), when several plans are
        tried on one session: it does not depend on the plan. Found here when not given.
    laps
        The session's laps (:func:`.laps.lap_table`), likewise.
    """
    if sweep is None:
        sweep = effort_sweep(detection_speed(grid))
    chosen, method = _best_found(activity, grid, workout, sweep, efforts, laps, use_laps=use_laps)
    plan = chosen.plan
    placed = [
        place_rep(
            grid, sweep.speed.boundary_speed_mps, chosen.candidates[j], i, plan.reps[i], lap_guided=method == "laps"
        )
        for i, j in chosen.alignment.pairs
    ]
    bounds, scales = resolve(grid, placed)
    effective, reps, missing = _effective_workout(workout, plan, chosen.alignment, bounds)
    extras = tuple(
        Effort(start_s=c.start_s, end_s=c.end_s, distance_m=c.distance_m, mean_speed_mps=c.mean_speed_mps)
        for k, c in enumerate(chosen.candidates)
        if k in chosen.alignment.extras
    )
    return Segmentation(
        method=method,
        workout=effective,
        reps=tuple(reps),
        missing=missing,
        extra_efforts=extras,
        calibration=_calibration(grid, scales),
        diagnostics=MappingProxyType({"alignment_cost": round(chosen.alignment.cost, 2), **chosen.details}),
    )


def kicks_possible(
    activity: Activity,
    grid: SessionGrid,
    workout: Workout,
    *,
    efforts: Sequence[Sequence[Candidate]] = (),
    use_laps: bool = True,
    sweep: EffortSweep,
    laps: LapTable,
) -> bool:
    """Whether :func:`segment_session` (with the same arguments) may find any of the plan's kick
    reps: whether any effort it could match (above any threshold of the sweep, found with no plan,
    or on the watch's laps) is cheap enough to be the run of one of them. When none is, no
    reading of the plan holds a kick, so a hard-kick preset is never the session; the alignment
    and placement are spared."""
    kicks = [rep for rep in workout.reps if rep.has_kick]
    pool = [*sweep.efforts, *(candidate for found in efforts for candidate in found)]
    if use_laps and len(activity.laps) >= 2:
        pool += lap_candidates(activity, grid, sweep.speed, max(_longest_m(r) for r in workout.reps), laps)
    return may_match(pool, kicks, MISSING_COST)


def _best_found(
    activity: Activity,
    grid: SessionGrid,
    workout: Workout,
    sweep: EffortSweep,
    efforts: Sequence[Sequence[Candidate]],
    laps: LapTable | None,
    *,
    use_laps: bool,
) -> tuple[_Found, str]:
    """The plan-guided detection, or the watch's laps when they fit the plan better, and which."""
    detected = _detect(sweep, workout, [list(found) for found in efforts if found])
    if not use_laps:
        return detected, "detected"
    table = laps if laps is not None else lap_table(activity, grid)
    from_laps = _from_laps(activity, grid, sweep.speed, table, workout)
    if from_laps is not None and _laps_win(activity, from_laps.alignment, detected.alignment, len(workout.reps)):
        return from_laps, "laps"
    return detected, "detected"


def _calibration(grid: SessionGrid, scales: Scales) -> Calibration:
    """What the segmentation measured of the watch: its lags and distance scales."""
    return Calibration(
        speed_source=grid.speed_source,
        speed_lag_s=grid.speed_lag_s,
        distance_lag_s=grid.distance_lag_s,
        lag_correlation=grid.lag_correlation,
        distance_scale=scales.distance_scale,
        speed_scale=scales.speed_scale,
        sharp_reps=scales.sharp_reps,
        start_line_m=scales.start_line_m,
    )


@dataclass(frozen=True, slots=True)
class _Found:
    plan: _Plan
    candidates: tuple[Candidate, ...]
    alignment: Alignment
    details: dict[str, Any]


def _detect(sweep: EffortSweep, workout: Workout, planless: list[list[Candidate]]) -> _Found:
    """The threshold whose efforts fit the plan best, unless a set of efforts found with no
    plan (``planless``) fits it better still.

    Thresholds that find the same efforts fit the plan alike: each distinct set is aligned
    once, and all sets of one expanded plan in one pass (:func:`.align.align_many`).
    """
    min_duration = MIN_DURATION_SHARE * min(_shortest_s(r) for r in workout.reps)
    per_threshold = sweep.at_each_threshold(min_duration)
    distinct = list(dict.fromkeys(per_threshold))
    sets = [[sweep.efforts[k] for k in ids] for ids in distinct] + planless
    fits = _matched_all(workout, sets)
    best: _Found | None = None
    for on, ids in zip(sweep.on_mps.tolist(), per_threshold, strict=True):
        plan, alignment = fits[distinct.index(ids)]
        if best is None or _objective(alignment) < _objective(best.alignment):
            details = {"threshold_on_mps": on, "threshold_off_mps": round(on * OFF_SHARE, 2)}
            best = _Found(plan, tuple(sweep.efforts[k] for k in ids), alignment, details)
    if best is None:
        plan = _expand(workout, [])
        best = _Found(plan, (), align([], plan.reps, missing_costs=plan.missing_costs), {})
    best.details["min_effort_s"] = round(min_duration, 1)
    for found, (plan, alignment) in zip(planless, fits[len(distinct) :], strict=True):
        if _objective(alignment) < _objective(best.alignment):
            best = _Found(plan, tuple(found), alignment, {"efforts": "plan-free"})
    return best


def _laps_win(activity: Activity, laps: Alignment, detected: Alignment, planned: int) -> bool:
    """Whether the laps are the reps: a structured workout's rep laps that match as many reps
    as the speed does, or other laps that match as many at a comparable cost."""
    if len(laps.pairs) < len(detected.pairs):
        return False
    return structured(activity) or _objective(laps) <= _objective(detected) + planned


def _matched_all(workout: Workout, sets: list[list[Candidate]]) -> list[tuple[_Plan, Alignment]]:
    """Each set of candidates aligned to the plan as :func:`_align` would, the sets sharing an
    expanded plan aligned together."""
    plans = [_expand(workout, candidates) for candidates in sets]
    fits: list[tuple[_Plan, Alignment] | None] = [None] * len(sets)
    for plan in dict.fromkeys(plans):
        members = [k for k, p in enumerate(plans) if p == plan]
        for k, alignment in zip(members, _align_all([sets[k] for k in members], plan), strict=True):
            fits[k] = (plan, alignment)
    return [fit for fit in fits if fit is not None]


def _align(candidates: list[Candidate], plan: _Plan) -> Alignment:
    """:func:`_align_all` of one set."""
    return _align_all([candidates], plan)[0]


def _align_all(sets: list[list[Candidate]], plan: _Plan) -> list[Alignment]:
    """Align each set to the plan, then again at the speed the reps of each size agree on.

    Reps of one size are run at one pace: once a first alignment has picked them, their median
    speed becomes their reference, so a brisk stretch of the warm-up that merely has a rep's
    length no longer fits. The plan's target pace is never the reference: a rep run far off
    its target is still the rep (and scored as such).
    """
    alignments = align_many(sets, plan.reps, missing_costs=plan.missing_costs)
    sizes = [(rep.distance_m, rep.duration_s) for rep in plan.reps]
    again, references = [], []
    for k, (candidates, alignment) in enumerate(zip(sets, alignments, strict=True)):
        speeds: dict[tuple[float | None, float | None], list[float]] = {}
        for i, j in alignment.pairs:
            if not plan.reps[i].has_kick:
                speeds.setdefault(sizes[i], []).append(candidates[j].mean_speed_mps)
        consensus = {size: _median(v) for size, v in speeds.items() if len(v) >= 2}
        if consensus:
            again.append(k)
            references.append([consensus.get(size, np.nan) for size in sizes])
    if again:
        reference = np.array(references, dtype=np.float64).reshape(len(again), len(plan.reps))
        redone = align_many(
            [sets[k] for k in again], plan.reps, reference_speed_mps=reference, missing_costs=plan.missing_costs
        )
        for k, alignment in zip(again, redone, strict=True):
            alignments[k] = alignment
    return alignments


def _median(values: list[float]) -> float:
    """``np.median`` of a few numbers, to the same bit, without its overhead."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def _objective(alignment: Alignment) -> float:
    """Alignment cost less a reward per matched rep, to compare thresholds: a preset's missing
    plain reps cost little (runners do 3-6), so without the reward a threshold that sees only
    some of the reps would look as good as one that sees them all."""
    return alignment.cost - MATCH_REWARD * len(alignment.pairs)


def _from_laps(
    activity: Activity, grid: SessionGrid, speed: DetectionSpeed, laps: LapTable, workout: Workout
) -> _Found | None:
    """Align the watch's laps (and runs of laps) to the plan, when laps could be the reps."""
    candidates = lap_candidates(activity, grid, speed, max(_longest_m(r) for r in workout.reps), laps)
    if not candidates:
        return None
    plan = _expand(workout, candidates)
    alignment = _align(candidates, plan)
    if not alignment.pairs:
        return None
    return _Found(plan, tuple(candidates), alignment, {"laps": len(activity.laps)})


def _expand(workout: Workout, candidates: list[Candidate]) -> _Plan:
    """A preset's plain reps, as many as there are candidates of a plain rep's length (runners
    do 3-6), then its kicks."""
    if not workout.flexible_plain_reps:
        return _Plan(workout.reps, (MISSING_COST,) * len(workout.reps), None)
    plain = [r for r in workout.reps if not r.has_kick]
    kicks = [r for r in workout.reps if r.has_kick]
    plain_m = plain[0].expected_distance_m() if plain else None
    plausible = sum(
        1 for c in candidates if plain_m and PLAUSIBLE_LENGTH[0] <= c.distance_m / plain_m <= PLAUSIBLE_LENGTH[1]
    )
    count = max(len(plain), plausible)
    reps = tuple([plain[0]] * count + kicks) if plain else tuple(kicks)
    costs = (FLEXIBLE_MISSING_COST,) * (count if plain else 0) + (MISSING_COST,) * len(kicks)
    return _Plan(reps, costs, len(plain))


def _effective_workout(
    workout: Workout, plan: _Plan, alignment: Alignment, reps: list[RepBounds]
) -> tuple[Workout, list[RepBounds], tuple[int, ...]]:
    """The workout as it was run (a preset's plain-rep count adjusted) and indices into it."""
    if plan.nominal_plain is None:
        return workout, reps, alignment.missing
    plain_done = sum(1 for i, _ in alignment.pairs if not plan.reps[i].has_kick)
    plain_total = max(plain_done, plan.nominal_plain)
    plain = [r for r in workout.reps if not r.has_kick][:1] * plain_total
    kicks = [r for r in workout.reps if r.has_kick]
    effective = dataclasses.replace(workout, reps=tuple(plain + kicks))
    first_kick = len(plan.reps) - len(kicks)
    remapped: list[RepBounds] = []
    plain_seen = 0
    for (i, _), bounds in zip(alignment.pairs, reps, strict=True):
        if plan.reps[i].has_kick:
            index = plain_total + (i - first_kick)
        else:
            index = plain_seen
            plain_seen += 1
        remapped.append(dataclasses.replace(bounds, planned_index=index))
    missing = list(range(plain_done, plain_total))
    missing += [plain_total + (i - first_kick) for i in alignment.missing if plan.reps[i].has_kick]
    return effective, remapped, tuple(missing)


def _shortest_s(rep: PlannedRep) -> float:
    """The least time a planned rep can take [s]."""
    if rep.duration_s is not None:
        return rep.duration_s
    return (rep.expected_distance_m() or 0.0) / FASTEST_SPEED_MPS + rep.kick_m / FASTEST_SPEED_MPS


def _longest_m(rep: PlannedRep) -> float:
    """The most ground a planned rep can cover [m]."""
    if rep.duration_s is not None:
        return rep.duration_s * FASTEST_SPEED_MPS
    return (rep.distance_m or 0.0) + rep.kick_m
