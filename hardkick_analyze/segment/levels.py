"""The session as a sequence of speed levels: where the runner changed pace, with no plan.

A run is piecewise steady: a warm-up jog, a rep, a walk, the next rep. Binary segmentation
finds the change points of the mean speed (least squares, the classic of Scott and Knott 1974,
the search most change-point libraries such as ``ruptures`` offer), stopping when a split no
longer pays its penalty, a BIC-like ``PENALTY_FACTOR * sigma^2 * log(n)`` with the noise
``sigma`` measured on the session itself. Each level then knows its mean speed and how long
it lasted; the efforts are found on these levels (:mod:`.detect`), not on the noisy samples.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..units import median, robust_sd

__all__ = ["Level", "change_points", "running_median", "speed_levels"]

#: The levels are found on the speed averaged over this step [s].
LEVEL_STEP_S = 1.0
#: A level lasts at least this long: a 10 s sprint recorded every 3 s still shows [s].
MIN_LEVEL_S = 4.0
#: Penalty of one more change point, in units of the noise variance times log(n).
PENALTY_FACTOR = 3.0
#: The noise is what a running median over this window does not explain [s].
NOISE_WINDOW_S = 15.0
#: The noise floor: GPS speed is never cleaner than this [m/s].
MIN_NOISE_MPS = 0.08


@dataclass(frozen=True, slots=True)
class Level:
    """One stretch of steady speed [s, m/s]."""

    start_s: float
    end_s: float
    speed_mps: float

    @property
    def duration_s(self) -> float:
        """Length [s]."""
        return self.end_s - self.start_s


def change_points(values: np.ndarray, penalty: float, min_size: int) -> list[int]:
    """Indices where the mean of ``values`` changes, by binary segmentation (sorted, exclusive ends).

    Each segment is split where the split gains the most, while the gain exceeds ``penalty``.
    Whether and where a segment splits depends on that segment alone, so all the segments of a
    round are searched at once: one array pass per round, about log2(levels) rounds.
    """
    n = len(values)
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    squares = np.concatenate([[0.0], np.cumsum(values * values)])

    def cost(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        total = cumulative[b] - cumulative[a]
        return squares[b] - squares[a] - total * total / np.maximum(b - a, 1)

    points: list[int] = []
    a, b = np.array([0]), np.array([n])
    while len(a):
        splittable = b - a >= 2 * min_size
        a, b = a[splittable], b[splittable]
        if not len(a):
            break
        # Each segment's splits are a run of ``gains``, none empty: spread by repeating each
        # segment's values over its run, reduced run by run.
        runs = b - a - 2 * min_size + 1
        first_split = np.cumsum(runs) - runs
        splits = np.arange(int(runs.sum())) + np.repeat(a + min_size - first_split, runs)
        a_each, b_each = np.repeat(a, runs), np.repeat(b, runs)
        gains = np.repeat(cost(a, b), runs) - cost(a_each, splits) - cost(splits, b_each)
        best = np.maximum.reduceat(gains, first_split)
        # The first split of each segment with its best gain, as np.argmax would take.
        position = np.where(gains == np.repeat(best, runs), np.arange(len(gains)), len(gains))
        split = splits[np.minimum.reduceat(position, first_split)]
        kept = best > penalty
        points += split[kept].tolist()
        a, b = np.concatenate([a[kept], split[kept]]), np.concatenate([split[kept], b[kept]])
    return sorted(points)


def speed_levels(time_s: np.ndarray, speed_mps: np.ndarray) -> list[Level]:
    """The session's steady stretches, from a speed on a uniform grid ``time_s`` [s, m/s]."""
    dt = float(time_s[1] - time_s[0]) if len(time_s) > 1 else LEVEL_STEP_S
    factor = max(round(LEVEL_STEP_S / dt), 1)
    usable = len(speed_mps) // factor * factor
    if usable < 2 * factor:
        return []
    coarse = np.nan_to_num(speed_mps[:usable]).reshape(-1, factor).mean(axis=1)
    coarse_time = time_s[:usable:factor]
    step = dt * factor
    sigma = _noise_mps(coarse, max(round(NOISE_WINDOW_S / step), 3))
    penalty = PENALTY_FACTOR * sigma * sigma * math.log(len(coarse))
    edges = [0, *change_points(coarse, penalty, max(round(MIN_LEVEL_S / step), 1)), len(coarse)]
    # Each level's mean as ndarray.mean takes it (the same pairwise sum over the same count),
    # without its wrapper's cost a level.
    return [
        Level(
            start_s=float(coarse_time[a]),
            end_s=float(coarse_time[b - 1] + step),
            speed_mps=float(np.add.reduce(coarse[a:b])) / (b - a),
        )
        for a, b in itertools.pairwise(edges)
    ]


def _noise_mps(values: np.ndarray, window: int) -> float:
    """Robust spread of ``values`` around their running median [m/s]."""
    residual = values - running_median(values, window)
    return max(robust_sd(residual), MIN_NOISE_MPS)


def running_median(values: np.ndarray, window: int) -> np.ndarray:
    """The median of each sample's centred ``window`` of finite ``values``, fewer at the ends:
    pandas' ``rolling(window, center=True, min_periods=1).median()``, the same numbers.

    The windows that fit are partitioned together as the rows of one strided view; the few at
    the ends one by one.
    """
    n = len(values)
    offset, middle = (window - 1) // 2, window // 2
    medians = np.empty(n)
    if n >= window:
        # Row j of the view is the window of sample j + window - 1 - offset.
        kth = middle if window % 2 else (middle - 1, middle)
        rows = np.partition(np.lib.stride_tricks.sliding_window_view(values, window), kth, axis=1)
        inner = rows[:, middle] if window % 2 else (rows[:, middle - 1] + rows[:, middle]) / 2.0
        medians[window - 1 - offset : n - offset] = inner
        ends = [*range(window - 1 - offset), *range(n - offset, n)]
    else:
        ends = list(range(n))
    for i in ends:
        medians[i] = median(values[max(i + offset + 1 - window, 0) : min(i + offset + 1, n)])
    return medians
