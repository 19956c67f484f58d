"""Workout specs in the notation runners write, the presets, and target paces.

Grammar (spaces are ignored; groups are separated by ``,`` or ``;``)::

    spec     := group ((',' | ';') group)*
    group    := [count 'x'] (rep | '(' rep ')')
    rep      := distance ['@' target] ['+' distance '@' 'max']
    distance := number ['m' | 'km' | 'mi']                      metres when no unit
    target   := M:SS '/km' | M:SS '/mi'                        a pace
              | M:SS | number ['s']                             the time for the rep

Examples: ``4x400@4:55/km, 2x(400@4:55/km+100@max)``, ``3x(800@3:50/km+200@max)``,
``5x400@4:30/km``, ``6x200@75s``. A rep without a target takes the pace given separately
(``--pace`` or ``--goal-5k``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import NoReturn

from .errors import WorkoutSpecError
from .models import PlannedRep, Workout

__all__ = [
    "PRESETS",
    "goal_5k_to_rep_pace",
    "parse_clock",
    "parse_pace",
    "parse_workout",
    "with_pace",
]

METRES_PER_MILE = 1609.344
#: The source workout runs its reps 5 s/km faster than goal 5 km race pace (25:00 -> 4:55/km).
GOAL_5K_OFFSET_S_PER_KM = 5.0

#: Preset name -> (nominal plain reps, paced distance, kick distance) [m].
PRESETS: dict[str, tuple[int, float, float]] = {
    "hard-kick-500": (4, 400.0, 100.0),
    "hard-kick-250": (4, 200.0, 50.0),
}
#: Kick reps at the end of each preset.
PRESET_KICK_REPS = 2

_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_CLOCK = re.compile(r"(\d+):([0-5]\d)(?:\.(\d+))?")
# Some write the repeat with a multiplication sign.
_TIMES_SIGNS = ("x", "X", "\u00d7")
_UNITS = {"km": 1000.0, "mi": METRES_PER_MILE, "m": 1.0}


def parse_clock(text: str) -> float:
    """``'4:55'`` -> 295.0 s; ``'1:02:05'`` -> 3725.0 s; ``'75'`` -> 75.0 s.

    Raises
    ------
    WorkoutSpecError
        When the text is not a clock time.
    """
    cleaned = text.strip()
    parts = cleaned.split(":")
    try:
        if not 1 <= len(parts) <= 3 or any(p == "" for p in parts):
            raise ValueError(cleaned)
        values = [float(p) for p in parts]
    except ValueError:
        raise WorkoutSpecError(text, 0, "expected a time such as 4:55") from None
    if any(v < 0 for v in values) or any(v >= 60 for v in values[1:]):
        raise WorkoutSpecError(text, 0, "minutes and seconds must be below 60")
    seconds = 0.0
    for value in values:
        seconds = seconds * 60 + value
    return seconds


def parse_pace(text: str) -> float:
    """``'4:55'`` or ``'4:55/km'`` -> 295.0 s/km; ``'7:55/mi'`` -> the same pace per km [s/km].

    Raises
    ------
    WorkoutSpecError
        When the text is not a pace.
    """
    value = text.strip().lower()
    seconds = parse_clock(value.removesuffix("/mi").removesuffix("/km"))
    return seconds * 1000.0 / METRES_PER_MILE if value.endswith("/mi") else seconds


def goal_5k_to_rep_pace(goal_time: str) -> float:
    """Rep pace from a 5 km goal time: goal pace minus 5 s/km [s/km] (``'25:00'`` -> 295.0)."""
    return parse_clock(goal_time) / 5.0 - GOAL_5K_OFFSET_S_PER_KM


def parse_workout(spec: str, *, pace_s_per_km: float | None = None) -> Workout:
    """Parse a workout spec or preset name into a :class:`Workout`.

    Parameters
    ----------
    spec
        A preset name (``hard-kick-500``, ``hard-kick-250``) or a spec in the grammar above.
    pace_s_per_km
        Target pace for reps whose spec gives none [s/km].

    Raises
    ------
    WorkoutSpecError
        Pointing at the offending character.
    """
    name = spec.strip().lower()
    if name in PRESETS:
        plain, distance_m, kick_m = PRESETS[name]
        reps = [PlannedRep(distance_m=distance_m, pace_s_per_km=pace_s_per_km)] * plain
        reps += [PlannedRep(distance_m=distance_m, pace_s_per_km=pace_s_per_km, kick_m=kick_m)] * PRESET_KICK_REPS
        return Workout(spec=name, reps=tuple(reps), name=name, flexible_plain_reps=True)
    reps = _Parser(spec).parse()
    workout = Workout(spec=spec.strip(), reps=tuple(reps))
    return with_pace(workout, pace_s_per_km) if pace_s_per_km is not None else workout


def with_pace(workout: Workout, pace_s_per_km: float) -> Workout:
    """The workout with ``pace_s_per_km`` filled in for every rep that has no target [s/km]."""
    reps = tuple(
        rep if rep.pace_s_per_km is not None else dataclasses.replace(rep, pace_s_per_km=pace_s_per_km)
        for rep in workout.reps
    )
    return dataclasses.replace(workout, reps=reps)


class _Parser:
    """A small recursive-descent parser that knows where it is, for precise error carets."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.position = 0

    def parse(self) -> list[PlannedRep]:
        self._skip_spaces()
        if self.position >= len(self.spec):
            self._fail("empty workout spec")
        reps: list[PlannedRep] = []
        while True:
            reps += self._group()
            self._skip_spaces()
            if self.position >= len(self.spec):
                return reps
            if self.spec[self.position] in ",;":
                self.position += 1
                continue
            self._fail("expected ',' between groups")

    def _group(self) -> list[PlannedRep]:
        self._skip_spaces()
        count = 1
        saved = self.position
        number = self._match(_NUMBER)
        self._skip_spaces()
        if number is not None and self._peek() in _TIMES_SIGNS:
            if "." in number or int(number) < 1:
                self.position = saved
                self._fail("the repeat count must be a whole number of at least 1")
            count = int(number)
            self.position += 1
            self._skip_spaces()
        else:
            self.position = saved
        if self._peek() == "(":
            self.position += 1
            rep = self._rep()
            self._skip_spaces()
            if self._peek() != ")":
                self._fail("expected ')'")
            self.position += 1
        else:
            rep = self._rep()
        return [rep] * count

    def _rep(self) -> PlannedRep:
        distance_m = self._distance()
        pace: float | None = None
        self._skip_spaces()
        if self._peek() == "@":
            self.position += 1
            pace = self._target(distance_m)
        kick_m = 0.0
        self._skip_spaces()
        if self._peek() == "+":
            self.position += 1
            kick_m = self._distance()
            self._skip_spaces()
            if self._peek() != "@":
                self._fail("a kick is written '+100@max'")
            self.position += 1
            self._skip_spaces()
            if self.spec[self.position : self.position + 3].lower() != "max":
                self._fail("a kick is run '@max'")
            self.position += 3
        return PlannedRep(distance_m=distance_m, pace_s_per_km=pace, kick_m=kick_m)

    def _distance(self) -> float:
        self._skip_spaces()
        start = self.position
        number = self._match(_NUMBER)
        if number is None:
            self._fail("expected a distance such as 400 or 1km")
        unit = "m"
        for candidate in ("km", "mi", "m"):
            if self.spec[self.position : self.position + len(candidate)].lower() == candidate:
                unit = candidate
                self.position += len(candidate)
                break
        if self._peek().isalpha():
            self._fail(f"unexpected '{self._peek()}' (units are m, km, mi; repeats are written 4x400)")
        metres = float(number) * _UNITS[unit]
        if not 10.0 <= metres <= 50_000.0:
            self.position = start
            self._fail("a rep distance must be between 10 m and 50 km")
        return metres

    def _target(self, distance_m: float) -> float:
        self._skip_spaces()
        start = self.position
        clock = self._match(_CLOCK)
        if clock is not None:
            seconds = parse_clock(clock)
            suffix = self.spec[self.position : self.position + 3].lower()
            if suffix in ("/km", "/mi"):
                self.position += 3
                pace = seconds if suffix == "/km" else seconds * 1000.0 / METRES_PER_MILE
            else:
                pace = seconds / distance_m * 1000.0
        else:
            number = self._match(_NUMBER)
            if number is None:
                self._fail("expected a pace such as 4:55/km or a rep time such as 75s")
            if self._peek() in ("s", "S"):
                self.position += 1
            pace = float(number) / distance_m * 1000.0
        if not 120.0 <= pace <= 900.0:
            self.position = start
            self._fail("a target pace must be between 2:00 and 15:00 per km")
        return pace

    def _match(self, pattern: re.Pattern[str]) -> str | None:
        found = pattern.match(self.spec, self.position)
        if found is None:
            return None
        self.position = found.end()
        return found.group(0)

    def _peek(self) -> str:
        return self.spec[self.position] if self.position < len(self.spec) else ""

    def _skip_spaces(self) -> None:
        while self.position < len(self.spec) and self.spec[self.position].isspace():
            self.position += 1

    def _fail(self, reason: str) -> NoReturn:
        raise WorkoutSpecError(self.spec, min(self.position, len(self.spec)), reason)
