"""A workout written back: in the notation :mod:`.grammar` reads, and in words for people."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from itertools import groupby, pairwise

from ..models import PlannedRep, Recovery, Workout
from ..units import METRES_PER_MILE, format_clock, format_pace
from .grammar import clock_value, parse_workout
from .presets import PRESETS


def format_workout(workout: Workout) -> str:
    """The workout in the compact notation :func:`parse_workout` reads back.

    Consecutive identical reps are grouped (``6x400@4:55/km``); a kick is written in parentheses
    (``2x(400@4:55/km+100@max)``), the recovery after each rep as ``r`` and an activity
    (``8x400 r200m jog``, ``6x800 r90s walk``); numbers keep every digit they need, so
    ``parse_workout(format_workout(w)).reps == w.reps``. An unchanged preset is its name.

    Examples
    --------
    >>> format_workout(parse_workout("8x400/200m jog, 6x20s strides"))
    '8x400 r200m jog, 6x20s strides'
    """
    if workout.name in PRESETS and workout.reps == parse_workout(workout.name).reps:
        return workout.name
    return ", ".join(
        f"{count}x{_rep_notation(rep)}" if count > 1 else _rep_notation(rep) for count, rep in _runs(workout.reps)
    )


def describe_workout(workout: Workout) -> str:
    """The workout in words for people: ``'8x400 m, 400 m jog'``, ``'ladder 400-800-1200 m'``.

    Runs of identical reps are counted, runs are separated by ``'; '``, a preset is named
    (``'hard kick 500'``), and three or more single reps that differ only in length read as a
    ladder (rising or falling) or a pyramid (rising then falling).
    """
    if workout.name in PRESETS:
        return workout.name.replace("-", " ")
    runs = _runs(workout.reps)
    ladder = _describe_ladder(runs)
    if ladder is not None:
        return ladder
    return "; ".join(_describe_run(count, rep) for count, rep in runs)


def planned_text(planned: PlannedRep) -> str:
    """A planned rep as a runner says it: ``'400 m'``, ``'400+100 m'``, ``'60 s'``, ``'20 s stride'``."""
    kick = f"+{planned.kick_m:.0f}" if planned.has_kick else ""
    if planned.duration_s is not None:
        size = f"{planned.duration_s / 60:g} min" if planned.duration_s >= 120 else f"{planned.duration_s:g} s"
        size = f"{size}{kick} m" if kick else size
    else:
        size = f"{planned.distance_m:.0f}{kick} m"
    return f"{size} {planned.kind}" if planned.kind != "work" else size


def _runs(reps: tuple[PlannedRep, ...]) -> list[tuple[int, PlannedRep]]:
    """Consecutive identical reps as (count, rep)."""
    return [(len(list(group)), rep) for rep, group in groupby(reps)]


def _decimal(value: float) -> str:
    """The shortest decimal that reads back as exactly ``value``, never in exponent form."""
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _distance_notation(metres: float, *, unit: str = "") -> str:
    if metres >= 1000.0 and metres % 1000.0 == 0.0:
        return f"{metres / 1000.0:.0f}km"
    miles = _decimal(metres / METRES_PER_MILE)
    if len(miles) <= 4 and float(miles) * METRES_PER_MILE == metres:
        return f"{miles}mi"
    return _decimal(metres) + unit


def _duration_notation(seconds: float) -> str:
    if seconds >= 120.0 and seconds % 60.0 == 0.0:
        return f"{seconds / 60.0:.0f}min"
    if seconds >= 120.0 and seconds.is_integer():
        minutes, rest = divmod(int(seconds), 60)
        return f"{minutes}:{rest:02d}"
    return _decimal(seconds) + "s"


def _clock_notation(seconds: float) -> str:
    """``M:SS`` with the fewest decimals that read back as exactly ``seconds`` (``4:01.234``)."""
    minutes = int(seconds // 60.0)
    # seconds - 60 m loses nothing when 60 m <= seconds < 120 m (Sterbenz), so the last try is exact.
    rest = seconds - 60.0 * minutes
    for decimals in range(4):
        text = f"{minutes}:{rest:0{3 + decimals if decimals else 2}.{decimals}f}"
        if clock_value(text) == seconds:
            return text
    exact = _decimal(rest)
    return f"{minutes}:{'0' if len(exact.split('.')[0]) < 2 else ''}{exact}"


def _pace_notation(pace_s_per_km: float, distance_m: float | None) -> str:
    """The target after ``@``: the first form that reads back exactly, the plainest first."""
    per_mile_s = pace_s_per_km * METRES_PER_MILE / 1000.0
    candidates = [_clock_notation(pace_s_per_km) + "/km", _clock_notation(round(per_mile_s)) + "/mi"]
    if distance_m is not None:
        candidates.append(_decimal(round(pace_s_per_km * distance_m / 1000.0, 1)) + "s")
    candidates.append(_clock_notation(round(per_mile_s, 1)) + "/mi")
    for candidate in candidates:
        if "." not in candidate and _read_pace(candidate, distance_m) == pace_s_per_km:
            return candidate
    for candidate in candidates[1:]:
        if _read_pace(candidate, distance_m) == pace_s_per_km:
            return candidate
    return candidates[0]


def _read_pace(target: str, distance_m: float | None) -> float | None:
    """The pace the parser reads from a target it was given by :func:`_pace_notation` [s/km]."""
    if target.endswith("/km"):
        return clock_value(target.removesuffix("/km"))
    if target.endswith("/mi"):
        return clock_value(target.removesuffix("/mi")) * 1000.0 / METRES_PER_MILE
    return None if distance_m is None else float(target.removesuffix("s")) / distance_m * 1000.0


def _rep_notation(rep: PlannedRep) -> str:
    if rep.distance_m is not None:
        text = _distance_notation(rep.distance_m)
    else:
        text = _duration_notation(rep.duration_s or 0.0)
    if rep.max_effort:
        text += "@max"
    elif rep.pace_s_per_km is not None:
        text += "@" + _pace_notation(rep.pace_s_per_km, rep.distance_m)
    if rep.has_kick:
        text = f"({text}+{_distance_notation(rep.kick_m)}@max)"
    if rep.kind == "stride":
        text += " strides"
    if rep.recovery is not None:
        text += f" r{_recovery_amount(rep.recovery, notation=True)} {rep.recovery.activity}"
    return text


def _recovery_amount(recovery: Recovery, *, notation: bool) -> str:
    if recovery.distance_m is not None:
        return _distance_notation(recovery.distance_m, unit="m") if notation else _human_distance(recovery.distance_m)
    seconds = recovery.duration_s or 0.0
    return _duration_notation(seconds) if notation else _human_duration(seconds)


def _human_number(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _human_distance(metres: float) -> str:
    if metres >= 1000.0 and metres % 1000.0 == 0.0:
        return f"{metres / 1000.0:.0f} km"
    miles = metres / METRES_PER_MILE
    if abs(miles * 4 - round(miles * 4)) < 1e-9:
        return f"{miles:g} mi"
    return f"{_human_number(metres)} m"


def _human_duration(seconds: float) -> str:
    if seconds < 120.0:
        return f"{_human_number(seconds)} s"
    if seconds % 60.0 == 0.0:
        return f"{seconds / 60.0:.0f} min"
    return format_clock(seconds)


def _human_amount(rep: PlannedRep) -> str:
    if rep.distance_m is not None:
        return _human_distance(rep.distance_m)
    return _human_duration(rep.duration_s or 0.0)


def _describe_run(count: int, rep: PlannedRep) -> str:
    text = f"{count}x{_human_amount(rep)}" if count > 1 else _human_amount(rep)
    return text + _describe_manner(rep, plural=count > 1)


def _describe_manner(rep: PlannedRep, *, plural: bool) -> str:
    """How the reps are run, their kick and recovery: ``' at 4:55/km + 100 m kick, 200 m jog'``."""
    text = ""
    if rep.kind != "work":
        text += f" {rep.kind}s" if plural else f" {rep.kind}"
    elif rep.max_effort:
        text += " flat out"
    if rep.pace_s_per_km is not None:
        text += f" at {format_pace(rep.pace_s_per_km)}"
    if rep.has_kick:
        text += f" + {_human_distance(rep.kick_m)} kick"
    if rep.recovery is not None:
        text += f", {_recovery_amount(rep.recovery, notation=False)} {rep.recovery.activity}"
    return text


def _describe_ladder(runs: list[tuple[int, PlannedRep]]) -> str | None:
    """``'ladder 400-800-1200 m'`` or ``'pyramid 200-400-600-400-200 m'``, or None if it is neither."""
    reps = [rep for _, rep in runs]
    if len(reps) < 3 or any(count != 1 for count, _ in runs):
        return None
    first = reps[0]
    timed = first.is_timed
    if any(
        rep.is_timed != timed
        or dataclasses.replace(rep, distance_m=first.distance_m, duration_s=first.duration_s) != first
        for rep in reps
    ):
        return None
    lengths = [(rep.duration_s if timed else rep.distance_m) or 0.0 for rep in reps]
    rising = [b > a for a, b in pairwise(lengths)]
    if all(rising) or not any(rising):
        word = "ladder"
    elif rising == sorted(rising, reverse=True):
        word = "pyramid"
    else:
        return None
    if timed and all(length % 60.0 == 0.0 for length in lengths):
        text = "-".join(f"{length / 60.0:.0f}" for length in lengths) + " min"
    else:
        text = "-".join(_human_number(length) for length in lengths) + (" s" if timed else " m")
    return f"{word} {text}{_describe_manner(first, plural=True)}"
