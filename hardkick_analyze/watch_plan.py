"""The watch's own planned workout (placeholder until the FIT workout steps are read whole)."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Workout, WorkoutStep

__all__ = ["workout_from_steps"]


def workout_from_steps(steps: Sequence[WorkoutStep], name: str | None) -> Workout | None:
    """The planned reps of the watch's workout, or None."""
    return None
