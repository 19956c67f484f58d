"""Units and how people write them: the mile, clock times and paces, read and written in one place.

Every pace a person sees is formatted by :func:`format_pace`, every duration by :func:`format_clock`,
and every clock or pace a person types is read by :func:`parse_clock` and :func:`parse_pace`.
"""

from __future__ import annotations

import math

from .errors import WorkoutSpecError

__all__ = ["METRES_PER_MILE", "format_clock", "format_pace", "parse_clock", "parse_pace"]

#: The international mile [m].
METRES_PER_MILE = 1609.344


def format_clock(seconds: float | None) -> str:
    """``3725.4`` -> ``'1:02:05'``; ``75.0`` -> ``'1:15'``; None/NaN -> ``'-'``."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


def format_pace(pace_s_per_km: float | None, units: str = "km") -> str:
    """``295.0`` -> ``'4:55/km'`` (or per mile with ``units='mi'``); None, NaN or not positive -> ``'-'``."""
    if pace_s_per_km is None or not math.isfinite(pace_s_per_km) or pace_s_per_km <= 0:
        return "-"
    per_unit = pace_s_per_km * (METRES_PER_MILE / 1000.0 if units == "mi" else 1.0)
    minutes, secs = divmod(round(per_unit), 60)
    return f"{minutes}:{secs:02d}/{units}"


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
