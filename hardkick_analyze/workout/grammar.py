"""The workout notation runners write, read into a :class:`~hardkick_analyze.models.Workout`.

Grammar (spaces are ignored between tokens; words and units are case-insensitive)::

    spec     := items
    items    := item ((',' | ';') (item | rest))*
    item     := (count 'x')* body suffix*                     2x6x400 is 12 reps
    body     := '(' items ')' | ladder | rep
    ladder   := ('ladder' | 'pyramid') amount ('-' amount)+ ['@' target] ['+' distance '@' 'max']
                                                              unit, target and kick are shared: 1-2-3min@4:00/km
    rep      := amount ['@' target] ['+' distance '@' 'max']
    suffix   := ('/' | 'r') amount [activity]                 the recovery after each rep
              | 'strides' | 'stride' | 'sprints' | 'sprint'    what the reps are
    rest     := amount activity                               ", 200m jog": the recovery of the item before
    activity := 'jog' | 'walk' | 'rest'                       jog when not written
    amount   := distance | time
    distance := number ['m' | 'km' | 'mi' | 'mile' | 'miles']  metres when no unit
    time     := number ('s' | 'sec' | 'secs' | 'min' | 'mins') | M:SS | H:MM:SS
    target   := 'max'                                         flat out: a sprint, no pace
              | M:SS '/km' | M:SS '/mi'                       a pace
              | M:SS | number ['s' | 'sec']                   the time for a distance rep

Examples: ``4x400@4:55/km, 2x(400@4:55/km+100@max)``, ``3x(800@3:50/km+200@max)``,
``6x200@75s``, ``1mi@8:00/mi``, ``5x60s``, ``6x4min@3:30/km r2min``, ``8x400/200m jog``,
``6x800 r90s walk``, ``4x1km/2min``, ``10x10s@max``, ``6x20s strides``, ``6x150@max``,
``400, 800, 1200``, ``ladder 400-800-1200``, ``2x(1600, 4x400)``, ``2x6x400``,
``8x400, 200m jog``.

Meanings worth knowing:

- After ``@`` a bare time is the time for the rep (``6x200@75s``: 75 s per 200 m); before it, a
  time *is* the rep (``5x60s``, ``6x1:30``). A timed rep takes a pace (``/km``, ``/mi``) or
  ``max``, never a rep time.
- ``@max`` makes a rep a sprint (``kind='sprint'``, ``max_effort``, no pace), and so does the
  word ``sprints`` after a group. The word ``strides`` makes each rep of the group a stride
  (``kind='stride'``): a short relaxed acceleration of at most 30 s or 200 m, with no target
  and no kick. Without either word a rep is ``work``, however short.
- A recovery written after a group is the rest after each of its reps; inside parentheses it
  goes to the reps that have none of their own (``2x(1600 r3min, 4x400) r60s``).
- A workout holds at most :data:`MAX_REPS` reps, groups nest at most :data:`MAX_NESTING` deep.

A work rep without a target takes the pace given separately (``--pace`` or ``--goal-5k``);
sprints and strides never do. :func:`format_workout` writes a workout back in this notation
(``parse_workout(format_workout(w))`` has the reps of ``w``); :func:`describe_workout` says it
in words.
"""

from __future__ import annotations

import dataclasses
import re
from typing import NoReturn

from ..errors import WorkoutSpecError
from ..models import PlannedRep, Recovery, Workout
from ..units import METRES_PER_MILE
from .presets import preset_workout

#: Most reps a workout may hold: a long session of 200 m reps has 30-40; the cap refuses a
#: hostile ``1000000x400`` before any list is built.
MAX_REPS = 200
#: Deepest nesting of parenthesised groups (sets of sets of sets ...).
MAX_NESTING = 4
#: Rep lengths a spec may set: a 10 m sprint up to a 50 km run; a 5 s hill sprint up to 4 h [m, s].
REP_DISTANCE_RANGE_M = (10.0, 50_000.0)
REP_DURATION_RANGE_S = (5.0, 4 * 3600.0)
#: A recovery: up to 10 km of jogging or an hour standing [m, s].
RECOVERY_DISTANCE_RANGE_M = (10.0, 10_000.0)
RECOVERY_DURATION_RANGE_S = (1.0, 3600.0)
#: Target paces a spec may set: world-record sprinting to a brisk walk [s/km].
PACE_RANGE_S_PER_KM = (120.0, 900.0)
#: A stride is a short relaxed acceleration: longer than this it is a rep [s, m].
STRIDE_MAX_S = 30.0
STRIDE_MAX_M = 200.0
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_CLOCK = re.compile(r"\d+:\d+(?::\d+)?(?:\.\d+)?")
_TIMES_SIGNS = ("x", "X", "\u00d7")
_DISTANCE_UNITS = {"m": 1.0, "km": 1000.0, "mi": METRES_PER_MILE, "mile": METRES_PER_MILE, "miles": METRES_PER_MILE}
_TIME_UNITS = {"s": 1.0, "sec": 1.0, "secs": 1.0, "min": 60.0, "mins": 60.0}
_ACTIVITIES = ("jog", "walk", "rest")
_KINDS_BY_WORD = {"strides": "stride", "stride": "stride", "sprints": "sprint", "sprint": "sprint"}
_LADDER_WORDS = ("ladder", "pyramid")


def parse_workout(spec: str) -> Workout:
    """Parse a workout spec or preset name into a :class:`Workout`.

    A rep's target is the pace its spec writes, or none; a pace given separately is added
    where the plan is resolved (:func:`hardkick_analyze.plan.resolve_targets`), not here.

    Parameters
    ----------
    spec
        A preset name (``hard-kick-500``, ``hard-kick-250``) or a spec in the grammar above.

    Raises
    ------
    WorkoutSpecError
        Pointing at the offending character.
    """
    preset = preset_workout(spec)
    if preset is not None:
        return preset
    return Workout(spec=spec.strip(), reps=tuple(_Parser(spec).parse()))


def clock_value(clock: str) -> float:
    """``'1:02:05.5'`` -> 3725.5 s, the one sum the parser and the formatter share."""
    seconds = 0.0
    for part in clock.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


@dataclasses.dataclass(frozen=True, slots=True)
class _Amount:
    """A distance or a time as written, before it becomes a rep or a recovery."""

    distance_m: float | None
    duration_s: float | None
    start: int


class _Parser:
    """A small recursive-descent parser that knows where it is, for precise error carets."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.position = 0

    def parse(self) -> list[PlannedRep]:
        self._skip_spaces()
        if self.position >= len(self.spec):
            self._fail("empty workout spec")
        return self._items(depth=0, before=0)

    def _items(self, *, depth: int, before: int) -> list[PlannedRep]:
        """A list of items up to the end or a closing ``)``; ``before`` reps precede it in the spec."""
        reps: list[PlannedRep] = []
        last: list[PlannedRep] = []
        while True:
            self._skip_spaces()
            start = self.position
            recovery = self._rest_item() if reps else None
            if recovery is not None:
                if all(rep.recovery is not None for rep in last):
                    self.position = start
                    self._fail("the reps before already have a recovery")
                last = _with_recovery(last, recovery)
                reps[len(reps) - len(last) :] = last
            else:
                last = self._item(depth=depth, before=before + len(reps))
                reps += last
            self._skip_spaces()
            following = self._peek()
            if following in (",", ";"):
                self.position += 1
                continue
            if following == "" or (following == ")" and depth > 0):
                return reps
            self._fail("expected ',' between groups")

    def _item(self, *, depth: int, before: int) -> list[PlannedRep]:
        start = self.position
        count = 1
        while True:
            saved = self.position
            number = self._match(_NUMBER)
            self._skip_spaces()
            if number is None or self._peek() not in _TIMES_SIGNS:
                self.position = saved
                break
            if "." in number or number.strip("0") == "":
                self.position = saved
                self._fail("the repeat count must be a whole number of at least 1")
            # The length first: int() of thousands of digits is slow, and refused past 4300.
            if len(number) > 4 or before + count * int(number) > MAX_REPS:
                self.position = saved
                self._fail(f"a workout has at most {MAX_REPS} reps")
            count *= int(number)
            self.position += 1
            self._skip_spaces()
        if self._peek() == "(":
            if depth >= MAX_NESTING:
                self._fail(f"groups nest at most {MAX_NESTING} deep")
            self.position += 1
            body = self._items(depth=depth + 1, before=before)
            self._skip_spaces()
            if self._peek() != ")":
                self._fail("expected ')'")
            self.position += 1
        elif self._word() in _LADDER_WORDS:
            body = self._ladder()
        else:
            body = [self._rep()]
        body = self._suffixes(body)
        if before + count * len(body) > MAX_REPS:
            self.position = start
            self._fail(f"a workout has at most {MAX_REPS} reps")
        return body * count

    def _ladder(self) -> list[PlannedRep]:
        self.position += len(self._word())
        unit = self._ladder_unit()
        steps = [self._rep_amount(unit)]
        self._skip_spaces()
        while self._peek() == "-":
            self.position += 1
            steps.append(self._rep_amount(unit))
            self._skip_spaces()
        if len(steps) < 2:
            self._fail("a ladder lists its steps as 400-800-1200")
        return self._reps_of(steps)

    def _ladder_unit(self) -> str:
        """The unit of a ladder's last step, which steps without one share (``1-2-3min``)."""
        saved = self.position
        unit = "m"
        while True:
            self._skip_spaces()
            if self._match(_CLOCK) is not None:
                unit = "m"
            elif self._match(_NUMBER) is not None:
                self._skip_spaces()
                word = self._word()
                unit = word if word in _DISTANCE_UNITS or word in _TIME_UNITS else "m"
            else:
                break
            self._skip_spaces()
            if self._peek() != "-":
                break
            self.position += 1
        self.position = saved
        return unit

    def _suffixes(self, body: list[PlannedRep]) -> list[PlannedRep]:
        """The recovery and the kind written after a group, in either order."""
        recovery: Recovery | None = None
        kind: str | None = None
        while True:
            self._skip_spaces()
            start = self.position
            word = self._word()
            if self._peek() == "/" or (word == "r" and self._digit_follows(1)):
                if recovery is not None:
                    self._fail("a group has one recovery")
                self.position += 1
                recovery = self._recovery()
            elif word in _KINDS_BY_WORD:
                if kind is not None:
                    self._fail("a group is strides or sprints, once")
                self.position += len(word)
                kind = _KINDS_BY_WORD[word]
                body = [self._as_kind(rep, kind, start) for rep in body]
            else:
                return _with_recovery(body, recovery) if recovery is not None else body

    def _as_kind(self, rep: PlannedRep, kind: str, start: int) -> PlannedRep:
        if rep.pace_s_per_km is not None or rep.has_kick:
            self.position = start
            self._fail(f"{kind}s take no target pace and no kick")
        if kind == "sprint":
            return dataclasses.replace(rep, kind="sprint", max_effort=True)
        if rep.max_effort:
            self.position = start
            self._fail("strides are relaxed: write sprints or @max, not both")
        if (rep.duration_s or 0.0) > STRIDE_MAX_S or (rep.distance_m or 0.0) > STRIDE_MAX_M:
            self.position = start
            self._fail(f"a stride lasts at most {STRIDE_MAX_S:.0f} s or {STRIDE_MAX_M:.0f} m")
        return dataclasses.replace(rep, kind="stride")

    def _recovery(self) -> Recovery:
        amount = self._amount(distance_range_m=RECOVERY_DISTANCE_RANGE_M, duration_range_s=RECOVERY_DURATION_RANGE_S)
        self._skip_spaces()
        activity = self._word()
        if activity in _ACTIVITIES:
            self.position += len(activity)
        else:
            activity = "jog"
        return Recovery(distance_m=amount.distance_m, duration_s=amount.duration_s, activity=activity)

    def _rest_item(self) -> Recovery | None:
        """``200m jog`` written as an item of its own, or None (and the position unchanged)."""
        saved = self.position
        looks_like_rest = False
        try:
            if self._match(_CLOCK) is not None or self._match(_NUMBER) is not None:
                self._unit()
                self._skip_spaces()
                looks_like_rest = self._word() in _ACTIVITIES
        except WorkoutSpecError:
            looks_like_rest = False
        self.position = saved
        # Read again for real, with the recovery ranges and their errors.
        return self._recovery() if looks_like_rest else None

    def _rep(self) -> PlannedRep:
        return self._reps_of([self._rep_amount("m")])[0]

    def _rep_amount(self, default_unit: str) -> _Amount:
        return self._amount(
            distance_range_m=REP_DISTANCE_RANGE_M, duration_range_s=REP_DURATION_RANGE_S, default_unit=default_unit
        )

    def _reps_of(self, amounts: list[_Amount]) -> list[PlannedRep]:
        """The reps of these lengths with the target and kick written after the last one."""
        pace: float | None = None
        max_effort = False
        self._skip_spaces()
        if self._peek() == "@":
            self.position += 1
            pace, max_effort = self._target(amounts)
        kick_m = 0.0
        self._skip_spaces()
        if self._peek() == "+":
            self.position += 1
            kick = self._rep_amount("m")
            if kick.distance_m is None:
                self.position = kick.start
                self._fail("a kick is a distance, written '+100@max'")
            kick_m = kick.distance_m
            self._skip_spaces()
            if self._peek() != "@":
                self._fail("a kick is written '+100@max'")
            self.position += 1
            self._skip_spaces()
            if self._word() != "max":
                self._fail("a kick is run '@max'")
            self.position += 3
        return [
            PlannedRep(
                distance_m=amount.distance_m,
                duration_s=amount.duration_s,
                pace_s_per_km=pace,
                max_effort=max_effort,
                kick_m=kick_m,
                kind="sprint" if max_effort else "work",
            )
            for amount in amounts
        ]

    def _amount(
        self, *, distance_range_m: tuple[float, float], duration_range_s: tuple[float, float], default_unit: str = "m"
    ) -> _Amount:
        self._skip_spaces()
        start = self.position
        clock = self._match(_CLOCK)
        if clock is not None:
            amount = _Amount(distance_m=None, duration_s=self._clock_seconds(clock, start), start=start)
        else:
            number = self._match(_NUMBER)
            if number is None:
                self._fail("expected a distance or a time such as 400, 1km or 60s")
            unit = self._unit() or default_unit
            if unit in _TIME_UNITS:
                amount = _Amount(distance_m=None, duration_s=float(number) * _TIME_UNITS[unit], start=start)
            else:
                amount = _Amount(distance_m=float(number) * _DISTANCE_UNITS[unit], duration_s=None, start=start)
        if amount.distance_m is not None and not distance_range_m[0] <= amount.distance_m <= distance_range_m[1]:
            self.position = start
            low, high = distance_range_m
            self._fail(f"a distance here must be between {low:.0f} m and {high / 1000.0:.0f} km")
        if amount.duration_s is not None and not duration_range_s[0] <= amount.duration_s <= duration_range_s[1]:
            self.position = start
            low, high = duration_range_s
            self._fail(f"a time here must be between {low:.0f} s and {high / 60.0:.0f} min")
        return amount

    def _unit(self) -> str | None:
        """The unit after a number (spaces allowed before it), or None when there is none."""
        after_number = self.position
        self._skip_spaces()
        word = self._word()
        if word in _DISTANCE_UNITS or word in _TIME_UNITS:
            self.position += len(word)
            return word
        self.position = after_number
        following = self._peek()
        # 400r60s: the recovery may follow without a space.
        if following.isalpha() and not (following in ("r", "R") and self._digit_follows(1)):
            self._fail(f"unexpected '{following}' (units are m, km, mi, s, min; repeats are written 4x400)")
        return None

    def _target(self, amounts: list[_Amount]) -> tuple[float | None, bool]:
        """The pace after ``@`` [s/km], or (None, True) for ``max``; a rep time is for one distance rep."""
        self._skip_spaces()
        start = self.position
        if self._word() == "max":
            self.position += 3
            return None, True
        clock = self._match(_CLOCK)
        per_unit = self.spec[self.position : self.position + 3].lower()
        if clock is not None and per_unit in ("/km", "/mi"):
            self.position += 3
            seconds = self._clock_seconds(clock, start)
            pace = seconds if per_unit == "/km" else seconds * 1000.0 / METRES_PER_MILE
        else:
            if clock is not None:
                seconds = self._clock_seconds(clock, start)
            else:
                number = self._match(_NUMBER)
                if number is None:
                    self._fail("expected a pace such as 4:55/km, a rep time such as 75s, or max")
                seconds = float(number)
                word = self._word()
                if word in ("s", "sec", "secs"):
                    self.position += len(word)
            distance_m = amounts[0].distance_m
            if distance_m is None:
                self.position = start
                self._fail("a timed rep takes a pace such as 4:30/km, or max, not a time")
            if len(amounts) > 1:
                self.position = start
                self._fail("a ladder takes a pace such as 4:30/km, or max, not a time")
            pace = seconds / distance_m * 1000.0
        low, high = PACE_RANGE_S_PER_KM
        if not low <= pace <= high:
            self.position = start
            self._fail("a target pace must be between 2:00 and 15:00 per km")
        return pace, False

    def _clock_seconds(self, clock: str, start: int) -> float:
        """The seconds of an ``M:SS`` or ``H:MM:SS`` the parser just read from ``start``."""
        parts = clock.split(":")
        offset = start
        for index, part in enumerate(parts):
            if index > 0 and float(part) >= 60:
                self.position = offset
                self._fail("seconds must be below 60" if index == len(parts) - 1 else "minutes must be below 60")
            offset += len(part) + 1
        return clock_value(clock)

    def _word(self) -> str:
        """The letters from the current position, lower-cased (empty if none)."""
        end = self.position
        while end < len(self.spec) and self.spec[end].isascii() and self.spec[end].isalpha():
            end += 1
        return self.spec[self.position : end].lower()

    def _digit_follows(self, offset: int) -> bool:
        """Whether a number starts ``offset`` characters on, past any spaces."""
        index = self.position + offset
        while index < len(self.spec) and self.spec[index].isspace():
            index += 1
        return index < len(self.spec) and (self.spec[index].isdigit() or self.spec[index] == ".")

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


def _with_recovery(reps: list[PlannedRep], recovery: Recovery) -> list[PlannedRep]:
    """The reps, each without a recovery of its own given ``recovery``."""
    return [rep if rep.recovery is not None else dataclasses.replace(rep, recovery=recovery) for rep in reps]
