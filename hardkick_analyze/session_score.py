"""The session's score out of 100: pace, consistency, kick and completion, from the scored reps.

A session is not marked down for what it does not hold (no target, no kick, one rep of each
size): the parts it holds count out of 100.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .results import KickResult, RepResult, Segmentation, SessionScore

__all__ = [
    "MIN_COOLDOWN_S",
    "MIN_WARMUP_S",
    "NO_WARMUP_S",
    "kick_decrement_pct",
    "pace_spread_s_per_km",
    "score_session",
]

#: The workout calls for a long warm-up and cool-down; shorter ones are flagged [s].
MIN_WARMUP_S = 10 * 60.0
MIN_COOLDOWN_S = 5 * 60.0
#: A warm-up shorter than this is none: the file starts at the first rep [s].
NO_WARMUP_S = 60.0
#: Score weights (sum 100) and the errors at which a component reaches zero.
WEIGHTS = {"pace": 40.0, "consistency": 20.0, "kick": 25.0, "completion": 15.0}
PACE_ERROR_ZERO_S_PER_KM = 15.0
CONSISTENCY_ZERO_S_PER_KM = 10.0
FADE_ZERO_PCT = 25.0
FADE_FULL_PCT = 5.0


def score_session(
    reps: Sequence[RepResult],
    segmentation: Segmentation,
    *,
    duration_s: float,
) -> SessionScore:
    """Pacing accuracy and consistency, kick decrement, warm-up/cool-down and the 0-100 score."""
    errors = [r.pace_error_s_per_km for r in reps if r.pace_error_s_per_km is not None]
    kicks = [r.kick for r in reps if r.kick is not None]
    mean_error = float(np.mean(errors)) if errors else None
    mean_abs = float(np.mean(np.abs(errors))) if errors else None
    spread = pace_spread_s_per_km(reps)
    decrement = kick_decrement_pct([k.duration_s for k in kicks]) if len(kicks) >= 2 else None
    warmup = reps[0].start_s if reps else duration_s
    last_end = max((r.kick.end_s if r.kick else r.end_s) for r in reps) if reps else duration_s
    planned = len(segmentation.workout.reps)
    done = len(reps)
    credits = {
        "pace": _linear_credit(mean_abs, 0.0, PACE_ERROR_ZERO_S_PER_KM) if mean_abs is not None else None,
        "consistency": _linear_credit(spread, 0.0, CONSISTENCY_ZERO_S_PER_KM) if spread is not None else None,
        "kick": _kick_credit(kicks) if kicks or any(r.has_kick for r in segmentation.workout.reps) else None,
        "completion": min(1.0, done / planned) if planned else 0.0,
    }
    # A session is not marked down for what it does not hold (no target, no kick, one rep of
    # each size): the parts it holds count out of 100.
    held = {k: c for k, c in credits.items() if c is not None}
    total_weight = sum(WEIGHTS[k] for k in held)
    components = {k: WEIGHTS[k] * c * 100.0 / total_weight for k, c in held.items()}
    return SessionScore(
        total=round(sum(components.values()), 1),
        components={k: round(v, 1) for k, v in components.items()},
        mean_pace_error_s_per_km=mean_error,
        mean_abs_pace_error_s_per_km=mean_abs,
        pace_consistency_s_per_km=spread,
        kick_decrement_pct=decrement,
        warmup_s=warmup,
        cooldown_s=max(duration_s - last_end, 0.0),
    )


def pace_spread_s_per_km(reps: Sequence[RepResult]) -> float | None:
    """How evenly reps of one kind were run: the pooled standard deviation of each rep's pace
    from the mean of the reps of its size (a ladder's 1000s and 200s are not compared) [s/km].

    Sprints run flat out are left out; None with fewer than two reps of a size.
    """
    groups: dict[tuple[float | None, float | None, str], list[float]] = {}
    for rep in reps:
        if rep.planned.max_effort or not math.isfinite(rep.pace_s_per_km):
            continue
        key = (rep.planned.distance_m, rep.planned.duration_s, rep.planned.kind)
        groups.setdefault(key, []).append(rep.pace_s_per_km)
    deviations = [p - float(np.mean(paces)) for paces in groups.values() if len(paces) >= 2 for p in paces]
    freedom = sum(len(paces) - 1 for paces in groups.values() if len(paces) >= 2)
    return math.sqrt(sum(d * d for d in deviations) / freedom) if freedom else None


def kick_decrement_pct(times_s: Sequence[float]) -> float:
    """Fitzsimons' percentage decrement over repeated sprints: ``100 * sum / (best * n) - 100``."""
    best = min(times_s)
    return 100.0 * sum(times_s) / (best * len(times_s)) - 100.0


def _kick_credit(kicks: Sequence[KickResult]) -> float:
    if not kicks:
        return 0.0
    fades = [k.fade_pct for k in kicks if math.isfinite(k.fade_pct)]
    if not fades:
        return 0.0
    worst = max(fades)
    return _linear_credit(worst, FADE_FULL_PCT, FADE_ZERO_PCT)


def _linear_credit(value: float | None, full_at: float, zero_at: float) -> float:
    """1 at or below ``full_at``, 0 at or above ``zero_at``, linear between; 0 when unknown."""
    if value is None or not math.isfinite(value):
        return 0.0
    return float(np.clip((zero_at - abs(value)) / (zero_at - full_at), 0.0, 1.0))
