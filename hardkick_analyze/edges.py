"""Checks made once at the edge, before any work starts: plausible targets and writable output paths.

A target pace or goal that no runner could hold, or an output that would land on an input, a
file or nowhere, is refused with one line naming the value and the problem, instead of being
found out (or silently ignored) after every file was analysed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import ArgumentError, OutputPathError, WorkoutSpecError
from .workout import parse_clock, parse_pace

__all__ = [
    "MAX_GOAL_5K_S",
    "MAX_PACE_S_PER_KM",
    "MIN_GOAL_5K_S",
    "MIN_PACE_S_PER_KM",
    "check_goal_5k",
    "check_output_file",
    "check_output_folder",
    "check_pace",
    "read_pace",
]

#: Rep paces accepted [s/km]: 2:00/km is faster than the 1500 m world record, 15:00/km a walk.
MIN_PACE_S_PER_KM = 120.0
MAX_PACE_S_PER_KM = 900.0
#: 5 km goal times accepted [s]: 10:00 is faster than the world record, 2:00:00 a slow walk.
MIN_GOAL_5K_S = 600.0
MAX_GOAL_5K_S = 7200.0


def check_pace(pace_s_per_km: object, *, label: str = "pace_s_per_km") -> float:
    """A target pace that a runner could hold [s/km], or :class:`ArgumentError`."""
    if isinstance(pace_s_per_km, bool) or not isinstance(pace_s_per_km, int | float):
        raise ArgumentError(label, f"a pace is a number of seconds per km, not {type(pace_s_per_km).__name__}")
    value = float(pace_s_per_km)
    if not MIN_PACE_S_PER_KM <= value <= MAX_PACE_S_PER_KM:  # NaN fails too
        raise ArgumentError(label, f"{_clock(value)}/km is not a rep pace: give one between 2:00 and 15:00 per km")
    return value


def read_pace(text: str, *, label: str = "--pace") -> float:
    """A pace as written (``'4:55'``, ``'4:55/km'``, ``'7:55/mi'``), checked [s/km]."""
    try:
        value = parse_pace(text)
    except WorkoutSpecError:
        if text.strip().startswith("-"):
            raise ArgumentError(f"{label} {text}", "a pace cannot be negative") from None
        raise ArgumentError(f"{label} {text}", "not a pace: write M:SS per km, or M:SS/mi") from None
    return check_pace(value, label=f"{label} {text}")


def check_goal_5k(goal_5k: object, *, label: str = "goal_5k") -> float:
    """A 5 km goal time (``'25:00'``) a runner could aim at, in seconds, or :class:`ArgumentError`."""
    if not isinstance(goal_5k, str):
        raise ArgumentError(label, f"a 5 km goal is a time such as '25:00', not {type(goal_5k).__name__}")
    where = f"{label} {goal_5k}"
    try:
        seconds = parse_clock(goal_5k)
    except WorkoutSpecError:
        if goal_5k.strip().startswith("-"):
            raise ArgumentError(where, "a goal time cannot be negative") from None
        raise ArgumentError(where, "not a 5 km time: write M:SS or H:MM:SS") from None
    if not MIN_GOAL_5K_S <= seconds <= MAX_GOAL_5K_S:
        raise ArgumentError(where, "not a 5 km goal: give one between 10:00 and 2:00:00")
    return seconds


def check_output_folder(folder: Path, inputs: Iterable[Path], *, option: str = "--out") -> None:
    """Refuse a folder that cannot be created or written, or that is one of the inputs.

    Raises
    ------
    OutputPathError
        A file (``/dev/null`` included), a path under a file, a read-only place, or an input.
    """
    label = f"{option} {folder}"
    _not_an_input(folder, inputs, label)
    if folder.exists() and not folder.is_dir():
        raise OutputPathError(label, "is a file, not a folder")
    existing = _nearest_existing(folder)
    if not existing.is_dir():
        raise OutputPathError(label, f"is under {existing}, which is a file, not a folder")
    if not _writable(existing):
        raise OutputPathError(label, f"{existing} is not writable")


def check_output_file(path: Path, inputs: Iterable[Path], *, option: str = "--csv") -> None:
    """Refuse a file path in a missing folder, on a folder, read-only, special, or equal to an input.

    Raises
    ------
    OutputPathError
    """
    label = f"{option} {path}"
    _not_an_input(path, inputs, label)
    if path.is_dir():
        raise OutputPathError(label, "is a folder, not a file")
    if path.exists():
        mode = path.stat().st_mode
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            raise OutputPathError(label, "is a FIFO or a socket, not a file")
        if not _writable(path):
            raise OutputPathError(label, "is not writable")
        return
    parent = path.parent
    if not parent.is_dir():
        existing = _nearest_existing(parent)
        where = "does not exist" if existing.is_dir() else f"is under {existing}, which is a file"
        raise OutputPathError(label, f"the folder {parent} {where}")
    if not _writable(parent):
        raise OutputPathError(label, f"the folder {parent} is not writable")


def _not_an_input(path: Path, inputs: Iterable[Path], label: str) -> None:
    target = path.resolve()
    for given in inputs:
        if given.resolve() == target:
            raise OutputPathError(label, "is one of the input files: it would be overwritten")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK | (os.X_OK if path.is_dir() else 0))


def _nearest_existing(path: Path) -> Path:
    current = path.resolve()
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _clock(seconds: float) -> str:
    if seconds != seconds or abs(seconds) > 1e9:  # NaN or absurd
        return str(seconds)
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(round(abs(seconds)), 60)
    return f"{sign}{minutes}:{rest:02d}"
