"""Units and how people write them, and the few constants and statistics several stages share.

Every pace a person sees is formatted by :func:`format_pace`, every duration by :func:`format_clock`,
and every clock or pace a person types is read by :func:`parse_clock` and :func:`parse_pace`.
Several stages ask when a runner is moving, when a stretch is on the track, and how widely
noisy values spread: :data:`MOVING_SPEED_MPS`, :data:`ON_TRACK_SHARE`, :func:`robust_sd` and
:func:`median_standard_error` answer once for all of them.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .errors import WorkoutSpecError

__all__ = [
    "METRES_PER_MILE",
    "MOVING_SPEED_MPS",
    "ON_TRACK_SHARE",
    "format_clock",
    "format_pace",
    "median",
    "median_standard_error",
    "nan_as_zero",
    "parse_clock",
    "parse_pace",
    "quantile",
    "quantiles",
    "robust_sd",
]

#: The international mile [m].
METRES_PER_MILE = 1609.344
#: Slower than this is standing or walking on the spot, not running or jogging [m/s].
MOVING_SPEED_MPS = 1.0
#: A stretch is on the track when at least this share of its samples are [-].
ON_TRACK_SHARE = 0.9
#: The median absolute deviation times this estimates a normal distribution's standard deviation.
_MAD_TO_SD = 1.4826
#: A median's standard error is this many times a mean's, sqrt(pi / 2), for normal errors.
_MEDIAN_EFFICIENCY = math.sqrt(math.pi / 2.0)


def robust_sd(values: npt.ArrayLike) -> float:
    """The standard deviation read from the median absolute deviation: outliers barely move it."""
    array = np.asarray(values, dtype=np.float64)
    return _MAD_TO_SD * median(np.abs(array - median(array)))


def median(values: npt.ArrayLike) -> float:
    """``np.median`` of values (the same number), without its overhead on the short arrays of a
    fit's iterations: the middle one or two of them partitioned into place."""
    array = np.asarray(values, dtype=np.float64)
    n = array.size
    if array.ndim != 1 or n == 0 or np.isnan(array).any():
        return float(np.median(array))
    half = n // 2
    # Summed from 0.0 as np.median's mean is, so a median of -0.0 is 0.0 too.
    if n % 2:
        return float(0.0 + np.partition(array, half)[half])
    middle = np.partition(array, (half - 1, half))
    return float((0.0 + middle[half - 1] + middle[half]) / 2.0)


def quantile(values: np.ndarray, q: float) -> float:
    """``np.quantile(values, q)`` (its default, linear interpolation: the same number), without
    its overhead on short arrays: the one or two values around it partitioned into place."""
    n = len(values)
    if n < 2 or np.isnan(values).any():
        return float(np.quantile(values, q))
    index = (n - 1) * q
    below = math.floor(index)
    if below >= n - 1:
        return float(np.max(values))
    low, high = np.partition(values, (below, below + 1))[below : below + 2]
    return _interpolated(low, high, index - below)


def quantiles(values: np.ndarray, qs: tuple[float, ...]) -> tuple[float, ...]:
    """:func:`quantile` of ``values`` at each of ``qs``, the values around them all partitioned
    into place at once."""
    n = len(values)
    if n < 2 or np.isnan(values).any():
        return tuple(float(np.quantile(values, q)) for q in qs)
    indices = [(n - 1) * q for q in qs]
    below = [min(math.floor(index), n - 1) for index in indices]
    kth = sorted({k for b in below for k in ((b, b + 1) if b < n - 1 else (b,))})
    ordered = np.partition(values, kth)
    result = []
    for index, b in zip(indices, below, strict=True):
        if b >= n - 1:
            result.append(float(ordered[n - 1]))
            continue
        result.append(_interpolated(ordered[b], ordered[b + 1], index - b))
    return tuple(result)


def _interpolated(low: float, high: float, weight: float) -> float:
    """np.quantile's linear interpolation ``weight`` of the way from ``low`` to ``high``, from the
    nearer end (the same number)."""
    step = high - low
    return float(high - step * (1.0 - weight) if weight >= 0.5 else low + step * weight)


def nan_as_zero(values: np.ndarray) -> np.ndarray:
    """``np.nan_to_num(values)`` (the same numbers, a new array) without its overhead when no
    value is infinite: NaN becomes 0."""
    result = np.array(values, dtype=np.float64)
    np.copyto(result, 0.0, where=np.isnan(result))
    return result if np.isfinite(result).all() else np.nan_to_num(result)


def median_standard_error(sd: float, independent: float) -> float:
    """The standard error of the median of ``independent`` values spread by ``sd``."""
    return _MEDIAN_EFFICIENCY * sd / math.sqrt(independent)


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
