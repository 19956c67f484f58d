"""The targets of a plan, resolved once: a target pace per rep, and where it came from.

A rep's target is, in this order: the pace its spec (or the watch's workout step) sets; the
pace given separately (``--pace``, or ``--goal-5k`` less 5 s/km); the pace the session's reps
of the same size were run at (``inferred``: the runner evidently aimed at it). A rep run
flat out (``@max``) and a stride have none. Targets score the reps; they never decide whether a rep exists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from .models import PlannedRep, Workout

__all__ = ["resolve_targets"]

#: Target sources, strongest first (the headline source is the strongest one used).
TARGET_SOURCES = ("spec", "watch", "pace", "goal", "inferred", "none")


def resolve_targets(
    workout: Workout, given_pace: tuple[float, str] | None, found_paces_s_per_km: Mapping[int, float]
) -> Workout:
    """The workout with every rep's target pace filled in, and ``target_source`` set.

    Parameters
    ----------
    workout
        The plan as matched (its reps' own paces, if any, come from the spec or the watch).
    given_pace
        ``(pace [s/km], 'pace' | 'goal')`` given separately, or None.
    found_paces_s_per_km
        The pace each planned rep (by index) was run at, for inferred targets [s/km].
    """
    own = "watch" if workout.source == "watch" else "spec"
    by_size: dict[tuple[float | None, float | None], list[float]] = {}
    for index, pace in found_paces_s_per_km.items():
        rep = workout.reps[index]
        by_size.setdefault(_size(rep), []).append(pace)
    inferred = {size: float(np.median(paces)) for size, paces in by_size.items()}
    reps, sources = [], set()
    for rep in workout.reps:
        if rep.pace_s_per_km is not None:
            reps.append(rep)
            sources.add(own)
        elif rep.max_effort or rep.kind != "work":
            reps.append(rep)
        elif given_pace is not None:
            reps.append(dataclasses.replace(rep, pace_s_per_km=given_pace[0]))
            sources.add(given_pace[1])
        elif _size(rep) in inferred:
            reps.append(dataclasses.replace(rep, pace_s_per_km=inferred[_size(rep)]))
            sources.add("inferred")
        else:
            reps.append(rep)
    source = next((s for s in TARGET_SOURCES if s in sources), "none")
    return dataclasses.replace(workout, reps=tuple(reps), target_source=source)


def _size(rep: PlannedRep) -> tuple[float | None, float | None]:
    return rep.distance_m, rep.duration_s
