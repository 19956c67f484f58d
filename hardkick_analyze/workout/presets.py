"""The hard-kick presets, the rep pace a 5 km goal sets, and a plan read as reps that end in kicks."""

from __future__ import annotations

import dataclasses

from ..models import PlannedRep, Workout
from ..units import parse_clock

#: The source workout runs its reps 5 s/km faster than goal 5 km race pace (25:00 -> 4:55/km).
GOAL_5K_OFFSET_S_PER_KM = 5.0


#: Preset name -> (nominal plain reps, paced distance, kick distance) [m].
PRESETS: dict[str, tuple[int, float, float]] = {
    "hard-kick-500": (4, 400.0, 100.0),
    "hard-kick-250": (4, 200.0, 50.0),
}

#: Kick reps at the end of each preset.
PRESET_KICK_REPS = 2


def goal_5k_to_rep_pace(goal_time: str) -> float:
    """Rep pace from a 5 km goal time: goal pace minus 5 s/km [s/km] (``'25:00'`` -> 295.0)."""
    return parse_clock(goal_time) / 5.0 - GOAL_5K_OFFSET_S_PER_KM


def with_finishes_as_kicks(workout: Workout) -> Workout | None:
    """The workout with each rep that is directly followed by a shorter one read as one rep
    ending in a kick of that length (``1000, 200`` -> ``1000+200@max``); None when none is.

    Only reps set by distance with no recovery written between them are joined.
    """
    reps: list[PlannedRep] = []
    joined = False
    index = 0
    plan = workout.reps
    while index < len(plan):
        rep = plan[index]
        following = plan[index + 1] if index + 1 < len(plan) else None
        if (
            following is not None
            and rep.distance_m is not None
            and following.distance_m is not None
            and following.distance_m < rep.distance_m
            and rep.recovery is None
            and not rep.has_kick
            and not following.has_kick
        ):
            reps.append(dataclasses.replace(rep, kick_m=following.distance_m, recovery=following.recovery))
            joined = True
            index += 2
            continue
        reps.append(rep)
        index += 1
    return dataclasses.replace(workout, reps=tuple(reps)) if joined else None


def preset_workout(name: str) -> Workout | None:
    """The preset of that name (``hard-kick-500``, ``hard-kick-250``; any case), or None."""
    key = name.strip().lower()
    if key not in PRESETS:
        return None
    plain, distance_m, kick_m = PRESETS[key]
    reps = [PlannedRep(distance_m=distance_m)] * plain
    reps += [PlannedRep(distance_m=distance_m, kick_m=kick_m)] * PRESET_KICK_REPS
    return Workout(spec=key, reps=tuple(reps), name=key, flexible_plain_reps=True)
