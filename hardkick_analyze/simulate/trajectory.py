"""The reps a simulated runner means to run, and the true motion that results: its phases and samples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..models import PlannedRep
from .config import SessionConfig

__all__ = ["Phase", "PhaseKind", "RepRun", "Trajectory", "reps_to_run"]

PhaseKind = Literal["standstill", "warmup", "stride", "rep", "kick", "ease", "rest", "cooldown"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Phase:
    """One stretch of the session: what the runner did between two times [s] and distances [m].

    ``rep`` counts the reps actually run (0-based); ``planned_index`` is the workout rep it
    corresponds to (``None`` for an extra rep). ``target_fade_pct`` is the fade a kick aimed at.
    """

    kind: PhaseKind
    start_s: float
    end_s: float
    start_m: float
    end_m: float
    rep: int | None = None
    planned_index: int | None = None
    target_fade_pct: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RepRun:
    """A rep the runner actually runs: the planned one it stands for and the pace aimed at."""

    planned_index: int | None
    distance_m: float
    kick_m: float
    planned_pace_s_per_km: float
    aimed_pace_s_per_km: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Trajectory:
    """The true motion: time since the watch started [s], cumulative distance [m], speed [m/s].

    Arrays are read-only; ``phases`` cover ``[0, t_s[-1]]`` without gaps.
    """

    t_s: np.ndarray
    distance_m: np.ndarray
    speed_mps: np.ndarray
    phases: tuple[Phase, ...]
    reps: tuple[RepRun, ...]

    @property
    def duration_s(self) -> float:
        """Length of the session [s]."""
        return float(self.t_s[-1])

    def phases_of(self, kind: PhaseKind) -> tuple[Phase, ...]:
        """The phases of one kind, in order."""
        return tuple(p for p in self.phases if p.kind == kind)


def reps_to_run(config: SessionConfig, rng: np.random.Generator) -> tuple[RepRun, ...]:
    """The reps the runner runs: planned ones minus skipped, plus extras, with the pace aimed at.

    Raises
    ------
    ValueError
        A rep without a pace, or a skipped index outside the workout.
    """
    plan, athlete = config.plan, config.athlete
    reps = plan.workout.reps
    for skipped in plan.skipped_reps:
        if not 0 <= skipped < len(reps):
            raise ValueError(f"skipped rep {skipped} is not in the workout ({len(reps)} reps)")
    chosen: list[tuple[int | None, PlannedRep]] = [(i, rep) for i, rep in enumerate(reps) if i not in plan.skipped_reps]
    if plan.extra_reps:
        plain = [k for k, (_, rep) in enumerate(chosen) if not rep.has_kick]
        # An extra rep repeats the last plain one (a runner feeling good); with no plain rep,
        # the last rep.
        after = plain[-1] if plain else len(chosen) - 1
        template = chosen[after][1] if chosen else reps[-1]
        chosen[after + 1 : after + 1] = [(None, template)] * plan.extra_reps
    runs = []
    for ordinal, (index, rep) in enumerate(chosen):
        if rep.pace_s_per_km is None:
            raise ValueError(f"rep {index} has no pace; the simulator needs one for every rep")
        factor = 1.0 + athlete.fade_per_rep_pct / 100.0 * ordinal
        if ordinal == 0:
            factor *= 1.0 - athlete.first_rep_fast_pct / 100.0
        factor *= 1.0 + athlete.rep_pace_sd_pct / 100.0 * rng.standard_normal()
        # A timed rep is run for its time at the pace aimed at: the distance that takes.
        if rep.distance_m is not None:
            distance = rep.distance_m
        elif rep.duration_s is not None:
            distance = rep.duration_s * 1000.0 / (rep.pace_s_per_km * factor)
        else:
            raise ValueError(f"rep {index} has neither a distance nor a time")
        runs.append(
            RepRun(
                planned_index=index,
                distance_m=distance,
                kick_m=rep.kick_m,
                planned_pace_s_per_km=rep.pace_s_per_km,
                aimed_pace_s_per_km=rep.pace_s_per_km * factor,
            )
        )
    return tuple(runs)
