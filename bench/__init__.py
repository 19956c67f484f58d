"""Accuracy benchmark: simulated sessions with known truth, and the analyzers scored on them.

The contract an analyzer fulfils lives here so that analyzers (:mod:`bench.baselines`, the real
one) and the harness (:mod:`bench.accuracy`) share it::

    analyzer(activity: Activity, workout: Workout) -> Prediction

All times are seconds since the activity's first record (``activity.track["elapsed_s"]``),
the same origin as the simulator's truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hardkick_analyze.models import Activity, Workout

__all__ = ["Analyzer", "PredictedKick", "PredictedRep", "Prediction"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictedKick:
    """A kick as an analyzer reports it [s, m/s, %]."""

    start_s: float
    end_s: float
    avg_speed_mps: float
    peak_speed_mps: float
    fade_pct: float


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictedRep:
    """A rep as an analyzer reports it: its paced part [s] and its kick, if any.

    ``planned_index`` is the workout rep it was matched to (``None`` for an unplanned effort).
    """

    planned_index: int | None
    start_s: float
    end_s: float
    kick: PredictedKick | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Prediction:
    """What an analyzer found in one session."""

    reps: tuple[PredictedRep, ...] = ()
    missing_planned_indices: tuple[int, ...] = ()


Analyzer = Callable[[Activity, Workout], Prediction]
