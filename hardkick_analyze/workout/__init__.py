"""Workouts as runners write them: the notation read (:mod:`.grammar`) and written back
(:mod:`.notation`), and the hard-kick presets with the rep pace a 5 km goal sets (:mod:`.presets`)."""

from __future__ import annotations

from ..units import parse_clock, parse_pace
from .grammar import MAX_NESTING, MAX_REPS, parse_workout
from .notation import describe_workout, format_workout, planned_text
from .presets import PRESETS, goal_5k_to_rep_pace, with_finishes_as_kicks

__all__ = [
    "MAX_NESTING",
    "MAX_REPS",
    "PRESETS",
    "describe_workout",
    "format_workout",
    "goal_5k_to_rep_pace",
    "parse_clock",
    "parse_pace",
    "parse_workout",
    "planned_text",
    "with_finishes_as_kicks",
]
