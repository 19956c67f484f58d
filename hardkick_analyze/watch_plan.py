"""The watch's own plan: a FIT file's workout steps, repeats expanded, as a :class:`Workout`.

A structured workout reaches the file as a flat list of steps (FIT ``workout_step``). A repeat
step (``repeat_until_steps_cmplt``) sends the watch back to an earlier step until the block
has run ``repeat_count`` times in all; blocks nest (an outer repeat re-runs an inner block in
full). :func:`workout_from_steps` runs the list as the watch does, then keeps the reps:

* a rep is a step of intensity ``active`` or ``interval``, or, without an intensity, a step
  inside a repeat block that is not named as a rest; warm-up, cool-down, rest and recovery
  steps are not reps;
* a rep is set by its distance (``duration_type`` ``distance``) or its time (``time``). A step
  ended by the lap button (``open``) or by heart rate, power or calories has no planned length
  and gives no rep: a planned rep needs a length to be matched against, and the laps still
  carry each step's index (``Lap.wkt_step_index``) for whoever wants those efforts;
* the rest or recovery step right after a rep is its :class:`Recovery` (jog, unless the step
  is named as a walk or a stand; a ``rest`` step, Garmin's "Rest", is walked). Garmin can skip
  the last recovery of a block ("skip last recovery"); the steps do not say so, so the plan
  keeps it;
* a speed target (a range in m/s) becomes the pace at the middle of the range;
* the kind is ``work`` unless the step's name says stride or sprint: the steps do not say how
  hard a short rep is meant to be.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from .errors import WorkoutSpecError
from .models import PlannedRep, Recovery, Workout, WorkoutStep
from .workout import format_workout, parse_workout

__all__ = ["expand_steps", "rep_step_indices", "workout_from_steps", "workout_from_title"]

#: Intensities that make a step a rep, and those that never do.
REP_INTENSITIES = frozenset({"active", "interval"})
REST_INTENSITIES = frozenset({"rest", "recovery"})
_NOT_REPS = REST_INTENSITIES | {"warmup", "cooldown"}
#: A plan longer than this (steps run, or repeats taken) is a repeat loop gone wrong (a damaged
#: file), not a workout.
MAX_EXPANDED_STEPS = 1000


def expand_steps(steps: Sequence[WorkoutStep]) -> list[tuple[WorkoutStep, bool]]:
    """The steps in the order the watch runs them, repeats unrolled.

    Returns
    -------
    list of (step, in_repeat)
        Every step that is run (no repeat steps), and whether it lies inside a repeat block.
        A repeat without a count (until a time, a distance, ...) or pointing forward runs its
        block once.
    """
    position_of = {step.index: position for position, step in enumerate(steps)}
    blocks = []
    for position, step in enumerate(steps):
        start = _repeat_start(step, position, position_of)
        if start is not None:
            blocks.append((start, position))
    in_block = [any(start <= p < end for start, end in blocks) for p in range(len(steps))]
    done: dict[int, int] = {}
    run: list[tuple[WorkoutStep, bool]] = []
    position = 0
    # Repeats of repeats with nothing to run between them still count towards the bound.
    for _ in range(2 * MAX_EXPANDED_STEPS):
        if position >= len(steps) or len(run) >= MAX_EXPANDED_STEPS:
            break
        step = steps[position]
        if not step.is_repeat:
            run.append((step, in_block[position]))
            position += 1
            continue
        start = _repeat_start(step, position, position_of)
        passes = done.get(position, 1)
        if start is not None and step.repeat_count is not None and passes < step.repeat_count:
            done[position] = passes + 1
            position = start
            continue
        # Finished: an outer repeat that comes back here runs the block in full again.
        done.pop(position, None)
        position += 1
    return run


def workout_from_steps(steps: Sequence[WorkoutStep], name: str | None = None) -> Workout | None:
    """The planned reps of a watch workout, repeats expanded.

    Parameters
    ----------
    steps
        The file's workout steps in order (:attr:`Activity.workout_steps`).
    name
        The workout's name on the watch (:attr:`ActivityMetadata.workout_name`).

    Returns
    -------
    Workout or None
        ``source='watch'``; ``target_source='watch'`` when some rep has a speed target, else
        ``'none'``; ``spec`` in runners' notation (``6x400``, ``3x20s, 4x4min``). ``None``
        when the steps hold no rep.
    """
    run = expand_steps(steps)
    reps = []
    for position, (step, in_repeat) in enumerate(run):
        if not _is_rep(step, in_repeat):
            continue
        length = _length(step)
        if length is None:
            continue
        after = run[position + 1][0] if position + 1 < len(run) else None
        distance_m, duration_s = length
        reps.append(
            PlannedRep(
                distance_m=distance_m,
                duration_s=duration_s,
                pace_s_per_km=_pace_s_per_km(step),
                max_effort=_named(step, "max", "sprint", "all out"),
                recovery=_recovery(after) if after is not None else None,
                kind=_kind(step),
            )
        )
    if not reps:
        return None
    target_source = "watch" if any(rep.pace_s_per_km is not None for rep in reps) else "none"
    workout = Workout(spec="", reps=tuple(reps), name=name, source="watch", target_source=target_source)
    return dataclasses.replace(workout, spec=format_workout(workout))


def rep_step_indices(steps: Sequence[WorkoutStep]) -> set[int]:
    """The indices of the steps that are reps (their laps carry them as ``wkt_step_index``)."""
    return {step.index for step, in_repeat in expand_steps(steps) if _is_rep(step, in_repeat)}


def _repeat_start(step: WorkoutStep, position: int, position_of: dict[int, int]) -> int | None:
    """Where a repeat step sends the watch back to (``None``: not a repeat, or not backwards)."""
    if not step.is_repeat or step.repeat_from_step is None:
        return None
    start = position_of.get(step.repeat_from_step, step.repeat_from_step)
    return start if 0 <= start < position else None


def _is_rep(step: WorkoutStep, in_repeat: bool) -> bool:
    if step.intensity in REP_INTENSITIES:
        return True
    if step.intensity in _NOT_REPS:
        return False
    return in_repeat and not _named(step, "rest", "recover", "walk", "jog")


def _length(step: WorkoutStep) -> tuple[float | None, float | None] | None:
    """(distance [m], None) or (None, time [s]); ``None`` for a step without a planned length."""
    value = step.duration_value
    if value is None or value <= 0:
        return None
    if step.duration_type == "distance":
        return value, None
    if step.duration_type == "time":
        return None, value
    return None


def _pace_s_per_km(step: WorkoutStep) -> float | None:
    """The pace at the middle of a speed target range [s/km]."""
    if step.target_type != "speed":
        return None
    speeds = [s for s in (step.target_low, step.target_high) if s is not None and s > 0]
    if not speeds:
        return None
    return 1000.0 / (sum(speeds) / len(speeds))


def _recovery(step: WorkoutStep) -> Recovery | None:
    if step.intensity not in REST_INTENSITIES and not _named(step, "rest", "recover", "walk"):
        return None
    length = _length(step)
    if length is None:
        return None
    if _named(step, "stand"):
        activity = "stand"
    elif step.intensity == "rest" or _named(step, "walk", "rest"):
        activity = "walk"
    else:
        activity = "jog"
    return Recovery(distance_m=length[0], duration_s=length[1], activity=activity)


def _kind(step: WorkoutStep) -> str:
    if _named(step, "stride"):
        return "stride"
    if _named(step, "sprint"):
        return "sprint"
    return "work"


def _named(step: WorkoutStep, *words: str) -> bool:
    text = f"{step.name or ''} {step.notes or ''}".lower()
    return any(word in text for word in words)


#: Repeats written in an activity's title: ``6x600m``, ``8 x 400``, ``5x4min``, ``10x1km``.
_TITLE_REPEAT = re.compile(
    r"(?<![\w.])\d{1,3}\s*[x\u00d7]\s*\d+(?:\.\d+)?\s*(?:km|mi|min|m|s)?(?![\w.])", re.IGNORECASE
)


def workout_from_title(title: str | None) -> Workout | None:
    """The plan an activity's title spells out (``'HM - W7 Intervals 4x800m 7x400m'`` ->
    ``4x800, 7x400``), or None when it names no repeats.

    Only the repeats are read (``6x600m``); paces in a title are written too many ways
    (``@4.15``, ``4'15"``) to be taken as targets.
    """
    if not title:
        return None
    reps: list[PlannedRep] = []
    for found in _TITLE_REPEAT.finditer(title):
        try:
            reps += parse_workout(found.group(0).replace(" ", "")).reps
        except WorkoutSpecError:
            continue
    if not reps:
        return None
    workout = Workout(spec="", reps=tuple(reps), name=title, source="title")
    return dataclasses.replace(workout, spec=format_workout(workout))
