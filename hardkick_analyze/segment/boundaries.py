"""Boundary times from a change of speed, to within a fraction of a second.

A runner takes a few seconds to reach rep pace, to wind up a kick, or to slow to a walk. A
threshold crossing would place every boundary somewhere inside that ramp, depending on the
threshold. Instead the ramp is located by its 20 % and 80 % points, and its onset is put
``onset_factor`` times the 20-80 % time before the 20 % point. The factor depends on the shape
of the change: 1/3 for a straight ramp; about 0.16 for an exponential approach (a start from
rest: fast at first); 0.67 for a smooth, S-shaped change (smoothstep: 0.674, a raised cosine:
0.72), which is how a runner winds up a kick or eases off after the line. The 2 s smoothing of
the measured speed blurs every ramp towards an S. The factors used are set per boundary kind in
:mod:`.place`, measured on real laps (``docs/accuracy-real.md``) and checked on the simulated benchmark
(``docs/accuracy-simulated.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Ramp", "at_fraction", "falling_ramp", "rising_ramp"]

LOW_FRACTION = 0.2
HIGH_FRACTION = 0.8
#: Onset factor of a straight ramp (the 20-80 % line extended to the level it leaves).
LINEAR_ONSET = LOW_FRACTION / (HIGH_FRACTION - LOW_FRACTION)
#: A crossing is searched this many samples at a time at first, each stretch this many times
#: longer than the last.
_FIRST_STRETCH = 16
_STRETCH_GROWTH = 8


@dataclass(frozen=True, slots=True)
class Ramp:
    """A located speed ramp: its onset (``corner_s``) and its 20 %/80 % crossing times [s]."""

    corner_s: float
    low_s: float
    high_s: float

    @property
    def rise_s(self) -> float:
        """Time from the 20 % to the 80 % point [s]."""
        return abs(self.high_s - self.low_s)


def rising_ramp(
    time_s: np.ndarray,
    speed: np.ndarray,
    crossing_s: float,
    before: float,
    after: float,
    onset_factor: float = LINEAR_ONSET,
) -> Ramp | None:
    """The rise from level ``before`` to level ``after`` [m/s] that passes ``crossing_s``.

    Returns None when the levels are too close to define a ramp.
    """
    points = _departure_and_arrival(time_s, speed, crossing_s, before, after, rising=True)
    if points is None:
        return None
    low, high = points
    return Ramp(corner_s=low - onset_factor * (high - low), low_s=low, high_s=high)


def falling_ramp(
    time_s: np.ndarray,
    speed: np.ndarray,
    crossing_s: float,
    before: float,
    after: float,
    onset_factor: float = LINEAR_ONSET,
) -> Ramp | None:
    """The fall from level ``before`` down to level ``after`` [m/s] that passes ``crossing_s``.

    The corner is where the fall leaves ``before``: when the runner stopped holding the pace.
    """
    points = _departure_and_arrival(time_s, speed, crossing_s, before, after, rising=False)
    if points is None:
        return None
    high, low = points
    return Ramp(corner_s=high - onset_factor * (low - high), low_s=low, high_s=high)


def at_fraction(
    time_s: np.ndarray, speed: np.ndarray, ramp: Ramp, before: float, after: float, fraction: float
) -> Ramp:
    """``ramp`` with its boundary (``corner_s``) moved to where the speed is ``fraction`` of the way
    from ``before`` to ``after`` [m/s], searched from the ramp's middle (kept where not found)."""
    middle = 0.5 * (ramp.low_s + ramp.high_s)
    rising = after > before
    level = before + fraction * (after - before)
    backward = (fraction <= 0.5) == rising if rising else fraction <= 0.5
    found = _crossing(time_s, speed, middle, level, backward=backward, rising=rising)
    return Ramp(corner_s=found if found is not None else ramp.corner_s, low_s=ramp.low_s, high_s=ramp.high_s)


def _departure_and_arrival(
    time_s: np.ndarray, speed: np.ndarray, crossing_s: float, before: float, after: float, *, rising: bool
) -> tuple[float, float] | None:
    """When the speed is 20 % and 80 % of the way from ``before`` to ``after`` around ``crossing_s``.

    None when the levels are not finite, too close (within 5 % of the higher), in the wrong
    order, or either point cannot be found.
    """
    if not (math.isfinite(before) and math.isfinite(after)):
        return None
    step = after - before if rising else before - after
    if step <= 0.05 * max(before, after, 1e-9):
        return None
    departure = _crossing(
        time_s, speed, crossing_s, before + LOW_FRACTION * (after - before), backward=True, rising=rising
    )
    arrival = _crossing(
        time_s, speed, crossing_s, before + HIGH_FRACTION * (after - before), backward=False, rising=rising
    )
    if departure is None or arrival is None or arrival <= departure:
        return None
    return departure, arrival


def _crossing(
    time_s: np.ndarray, speed: np.ndarray, from_s: float, level: float, *, backward: bool, rising: bool
) -> float | None:
    """First time, walking from ``from_s`` in one direction, where ``speed`` crosses ``level``.

    Walking backward on a rise finds the last time below the level; forward finds the first time
    at or above it (mirrored for a fall). The time is interpolated between grid samples. The walk
    reads the speed a stretch at a time, each longer than the last: a crossing is seldom more
    than a few samples away, and the session may be hours long.
    """
    start = min(int(np.searchsorted(time_s, from_s)), len(time_s) - 1)
    if backward:
        # Samples start - 1, start - 2, ..., 0: the first below the level on a rise.
        stop, size = start, _FIRST_STRETCH
        while stop > 0:
            first = max(stop - size, 0)
            above = speed[first:stop] >= level
            hits = np.flatnonzero(~above if rising else above)
            if len(hits):
                return _interpolate(time_s, speed, first + int(hits[-1]), level)
            stop, size = first, size * _STRETCH_GROWTH
        return None
    # Samples start, start + 1, ...: the first at or above the level on a rise.
    first, size = start, _FIRST_STRETCH
    while first < len(time_s):
        above = speed[first : first + size] >= level
        hits = np.flatnonzero(above if rising else ~above)
        if len(hits):
            i = first + int(hits[0])
            return _interpolate(time_s, speed, i - 1, level) if i > 0 else float(time_s[i])
        first, size = first + size, size * _STRETCH_GROWTH
    return None


def _interpolate(time_s: np.ndarray, speed: np.ndarray, i: int, level: float) -> float:
    """Time between samples ``i`` and ``i + 1`` where the speed equals ``level``."""
    if i + 1 >= len(time_s):
        return float(time_s[i])
    v0, v1 = speed[i], speed[i + 1]
    if not (math.isfinite(v0) and math.isfinite(v1)) or v1 == v0:
        return float(time_s[i])
    fraction = min(max(float((level - v0) / (v1 - v0)), 0.0), 1.0)
    return float(time_s[i] + fraction * (time_s[i + 1] - time_s[i]))
