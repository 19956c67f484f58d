"""Match efforts to planned reps in order, allowing missed reps and extra efforts.

An edit-distance alignment: each planned rep is matched to one effort, or marked missing; each
effort is matched, or left as an extra (a stride, a fast bit of the warm-up, an extra rep).
Matching costs grow with the squared log-ratio of measured to planned distance and with a kick
where none was planned (or none where one was).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..models import PlannedRep
from .efforts import Candidate

__all__ = ["Alignment", "align", "match_cost"]

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
#: A preset's plain reps beyond the ones matched are not counted against the alignment.
FLEXIBLE_MISSING_COST = 0.5


@dataclass(frozen=True, slots=True)
class Alignment:
    """(planned index, candidate index) pairs in order, what was missed, what was extra, the cost."""

    pairs: tuple[tuple[int, int], ...]
    missing: tuple[int, ...]
    extras: tuple[int, ...]
    cost: float


def match_cost(candidate: Candidate, planned: PlannedRep, reference_speed_mps: float | None) -> float:
    """Cost of calling ``candidate`` the run of ``planned`` (0 = a perfect fit)."""
    total_m = planned.distance_m + planned.kick_m
    if candidate.distance_m <= 0:
        return math.inf
    cost = (math.log(candidate.distance_m / total_m) / DISTANCE_LOG_SIGMA) ** 2
    cost += max(0.0, (MIN_CONTRAST - candidate.contrast) / CONTRAST_SIGMA) ** 2
    if planned.has_kick:
        cost += max(0.0, (KICK_RATIO - candidate.kick_ratio) / KICK_RATIO_SIGMA) ** 2
    else:
        cost += max(0.0, (candidate.kick_ratio - PLAIN_RATIO) / KICK_RATIO_SIGMA) ** 2
        if reference_speed_mps:
            cost += (math.log(candidate.mean_speed_mps / reference_speed_mps) / SPEED_LOG_SIGMA) ** 2
    return cost


def align(
    candidates: Sequence[Candidate],
    plan: Sequence[PlannedRep],
    *,
    reference_speed_mps: float | None = None,
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
        Target speed of the plain reps, when known [m/s].
    missing_costs
        Cost of leaving each planned rep unmatched (default :data:`MISSING_COST` each).
    """
    n, m = len(plan), len(candidates)
    miss = np.full(n, MISSING_COST) if missing_costs is None else np.asarray(missing_costs, dtype=np.float64)
    match = np.array([[match_cost(c, p, reference_speed_mps) for c in candidates] for p in plan]).reshape(n, m)
    cost = np.full((n + 1, m + 1), np.inf)
    step = np.zeros((n + 1, m + 1), dtype=np.int8)  # 1 match, 2 planned missing, 3 extra effort
    cost[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i and j and cost[i - 1, j - 1] + match[i - 1, j - 1] < cost[i, j]:
                cost[i, j], step[i, j] = cost[i - 1, j - 1] + match[i - 1, j - 1], 1
            if i and cost[i - 1, j] + miss[i - 1] < cost[i, j]:
                cost[i, j], step[i, j] = cost[i - 1, j] + miss[i - 1], 2
            if j and cost[i, j - 1] + EXTRA_COST < cost[i, j]:
                cost[i, j], step[i, j] = cost[i, j - 1] + EXTRA_COST, 3
    pairs, missing, extras = [], [], []
    i, j = n, m
    while i or j:
        kind = step[i, j]
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
        cost=float(cost[n, m]),
    )
