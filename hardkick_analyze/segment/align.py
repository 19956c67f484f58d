"""Match efforts to planned reps in order, allowing missed reps and extra efforts.

An edit-distance alignment: each planned rep is matched to one effort, or marked missing; each
effort is matched, or left as an extra (a stride, a fast bit of the warm-up, an extra rep).
Matching costs grow with the squared log-ratio of measured to planned distance (or time, for a
rep set by its time) and with a kick where none was planned (or none where one was).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..models import PlannedRep
from .efforts import Candidate

__all__ = ["Alignment", "align", "align_many", "may_match"]

#: Spread of log(measured / planned distance) for a true match: GPS bias, cut corners, the
#: seconds of acceleration the detection threshold leaves out.
DISTANCE_LOG_SIGMA = 0.15
#: A kick's top speed is at least this many times the rep's pace; an evenly run rep stays
#: below the second figure even when finished strongly; give or take the third.
KICK_RATIO = 1.25
PLAIN_RATIO = 1.15
KICK_RATIO_SIGMA = 0.07
#: Spread of log(effort speed / reference speed) for a rep run roughly at the target (or at
#: the speed of the session's other reps).
SPEED_LOG_SIGMA = 0.12
#: A rep is at least this many times faster than the slower of its surroundings, give or take.
MIN_CONTRAST = 1.2
CONTRAST_SIGMA = 0.08
#: Leaving an effort unmatched, and a planned rep missing.
EXTRA_COST = 4.0
MISSING_COST = 6.0
#: A plan without kicks charges a plain rep's fast finish at most this much (less than leaving
#: the rep missing and its effort extra).
FINISH_MISFIT_CAP = EXTRA_COST
#: A preset's plain reps beyond the ones matched are not counted against the alignment.
FLEXIBLE_MISSING_COST = 0.5


@dataclass(frozen=True, slots=True)
class Alignment:
    """(planned index, candidate index) pairs in order, what was missed, what was extra, the cost."""

    pairs: tuple[tuple[int, int], ...]
    missing: tuple[int, ...]
    extras: tuple[int, ...]
    cost: float


def _features(candidate_sets: Sequence[Sequence[Candidate]]) -> dict[str, np.ndarray]:
    """The candidates' features as (set, candidate) arrays, padded with harmless values past
    each set's end (an alignment never looks past its own last candidate)."""
    lengths = np.array([len(c) for c in candidate_sets], dtype=np.intp)
    width = int(lengths.max()) if len(lengths) else 0
    inside = np.arange(width)[None, :] < lengths[:, None]
    every = [c for candidates in candidate_sets for c in candidates]
    tables = np.ones((5, len(candidate_sets), width))
    tables[:, inside] = [
        [c.distance_m for c in every],
        [c.duration_s for c in every],
        [c.kick_ratio for c in every],
        [c.contrast for c in every],
        [c.mean_speed_mps for c in every],
    ]
    return dict(zip(("distance_m", "duration_s", "kick_ratio", "contrast", "mean_speed_mps"), tables, strict=True))


def _plan_arrays(plan: Sequence[PlannedRep]) -> dict[str, np.ndarray]:
    return {
        "timed": np.array([p.duration_s is not None for p in plan], dtype=bool)[:, None],
        "size": np.array(
            [p.duration_s if p.duration_s is not None else (p.distance_m or 0.0) + p.kick_m for p in plan],
            dtype=np.float64,
        ),
        "kick": np.array([p.has_kick for p in plan], dtype=bool)[:, None],
    }


def _match_costs(features: dict[str, np.ndarray], plan: dict[str, np.ndarray], reference: np.ndarray) -> np.ndarray:
    """Cost of calling each candidate the run of each planned rep, for many candidate sets at
    once, shape (set, plan, candidates); ``reference`` is each set's reference speed per planned
    rep, NaN where none [m/s].

    0 is a perfect fit; the terms are squared normalised misfits of distance, contrast with the
    surroundings, the presence of a sprint at the end, and (plain reps) the speed.
    """
    distance, duration = features["distance_m"][:, None, :], features["duration_s"][:, None, :]
    ratio, contrast = features["kick_ratio"][:, None, :], features["contrast"][:, None, :]
    speed = features["mean_speed_mps"][:, None, :]
    timed, kick, size = plan["timed"][None], plan["kick"][None], plan["size"]
    measured = np.where(timed, duration, distance)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(np.where(measured > 0, measured, np.nan) / size[None, :, None])
    cost = np.nan_to_num((log_ratio / DISTANCE_LOG_SIGMA) ** 2, nan=np.inf)
    cost = cost + np.maximum(0.0, (MIN_CONTRAST - contrast) / CONTRAST_SIGMA) ** 2
    kick_misfit = np.maximum(0.0, (KICK_RATIO - ratio) / KICK_RATIO_SIGMA) ** 2
    plain_misfit = np.maximum(0.0, (ratio - PLAIN_RATIO) / KICK_RATIO_SIGMA) ** 2
    if not kick.any():
        # With no kick rep in the plan a fast finish tells a rep from nothing: it is a rep
        # finished strongly, not a missing rep beside an extra effort.
        plain_misfit = np.minimum(plain_misfit, FINISH_MISFIT_CAP)
    plain_misfit = np.broadcast_to(plain_misfit, cost.shape)
    known = np.isfinite(reference)
    if known.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            speed_misfit = (np.log(speed / reference[:, :, None]) / SPEED_LOG_SIGMA) ** 2
        plain_misfit = plain_misfit + np.where(known[:, :, None], np.nan_to_num(speed_misfit, nan=np.inf), 0.0)
    return cost + np.where(kick, kick_misfit, plain_misfit)


def _per_rep(reference: float | Sequence[float | None] | None, n: int) -> np.ndarray:
    """The reference speed of each planned rep, NaN where there is none [m/s]."""
    if reference is None or isinstance(reference, (int, float)):
        return np.full(n, np.nan if not reference else float(reference))
    return np.array([np.nan if r is None else float(r) for r in reference], dtype=np.float64)


def may_match(candidates: Sequence[Candidate], plan: Sequence[PlannedRep], missing_cost: float) -> bool:
    """Whether an alignment may match any of ``candidates`` to a rep of ``plan`` left missing at
    ``missing_cost``, with no reference speed (kick reps never have one).

    A matched pair never costs more than leaving its rep missing and its effort extra: the
    alignment's cost to the left of a cell grows by at most :data:`EXTRA_COST` a column, so a
    match dearer than ``missing_cost + EXTRA_COST`` is never the best step.
    """
    if not candidates or not plan:
        return False
    match = _match_costs(_features([candidates]), _plan_arrays(plan), np.full((1, len(plan)), np.nan))
    return bool((match <= missing_cost + EXTRA_COST + 1e-6).any())


def align(
    candidates: Sequence[Candidate],
    plan: Sequence[PlannedRep],
    *,
    reference_speed_mps: float | Sequence[float | None] | None = None,
    missing_costs: Sequence[float] | None = None,
) -> Alignment:
    """Best order-preserving alignment of ``candidates`` to ``plan``.

    Parameters
    ----------
    candidates
        Efforts in time order.
    plan
        Planned reps in order.
    reference_speed_mps
        Speed of the plain reps (one for all, or one per planned rep), when known [m/s].
    missing_costs
        Cost of leaving each planned rep unmatched (default :data:`MISSING_COST` each).
    """
    reference = _per_rep(reference_speed_mps, len(plan))[None, :]
    return align_many([candidates], plan, reference_speed_mps=reference, missing_costs=missing_costs)[0]


def align_many(
    candidate_sets: Sequence[Sequence[Candidate]],
    plan: Sequence[PlannedRep],
    *,
    reference_speed_mps: np.ndarray | None = None,
    missing_costs: Sequence[float] | None = None,
) -> list[Alignment]:
    """:func:`align` of each candidate set to one plan, all sets in one pass over the plan.

    ``reference_speed_mps`` holds each set's reference speed per planned rep, shape (set, plan),
    NaN where none [m/s]. The answers are those of :func:`align` on each set alone: a set's
    cells depend only on cells to their left and above, never on the padding past its end.
    """
    n, sets = len(plan), len(candidate_sets)
    if not sets:
        return []
    lengths = np.array([len(c) for c in candidate_sets])
    m = int(lengths.max())
    miss = np.full(n, MISSING_COST) if missing_costs is None else np.asarray(missing_costs, dtype=np.float64)
    reference = np.full((sets, n), np.nan) if reference_speed_mps is None else reference_speed_mps
    match = _match_costs(_features(candidate_sets), _plan_arrays(plan), reference).reshape(sets, n, m)
    extra = EXTRA_COST * np.arange(m + 1)
    cost = np.empty((sets, n + 1, m + 1))
    step = np.empty((sets, n + 1, m + 1), dtype=np.int8)  # 1 match, 2 planned missing, 3 extra effort
    cost[:, 0], step[:, 0] = extra, 3
    for i in range(1, n + 1):
        # A row at a time, written in place: missing (up), else a match (diagonal) where no
        # dearer, then any run of extra efforts (left) as a running minimum; ties prefer a
        # match, then a missing rep.
        best, kind = cost[:, i], step[:, i]
        np.add(cost[:, i - 1], miss[i - 1], out=best)
        kind.fill(2)
        diagonal = cost[:, i - 1, :-1] + match[:, i - 1]
        matched = diagonal <= best[:, 1:]
        np.copyto(best[:, 1:], diagonal, where=matched)
        np.copyto(kind[:, 1:], 1, where=matched)
        leftward = best - extra
        np.minimum.accumulate(leftward, axis=1, out=leftward)
        leftward += extra
        # (best - extra) + extra can differ from best in the last bit: only a real gain counts.
        from_left = leftward < best - 1e-9
        np.copyto(kind, 3, where=from_left)
        np.copyto(best, leftward, where=from_left)
    # Read back as Python lists: a walk of a few steps, each a lookup.
    ends = cost[np.arange(sets), n, lengths].tolist()
    return [_traced(table, n, m, end) for table, m, end in zip(step.tolist(), lengths.tolist(), ends, strict=True)]


def _traced(step: list[list[int]], n: int, m: int, cost: float) -> Alignment:
    """The alignment read back from the table of steps, from its corner ``(n, m)``."""
    pairs, missing, extras = [], [], []
    i, j = n, m
    while i or j:
        kind = step[i][j]
        if kind == 1:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif kind == 2:
            missing.append(i - 1)
            i -= 1
        else:
            extras.append(j - 1)
            j -= 1
    return Alignment(
        pairs=tuple(reversed(pairs)),
        missing=tuple(reversed(missing)),
        extras=tuple(reversed(extras)),
        cost=cost,
    )
