"""The detection threshold sweep, once per session: the efforts above every threshold tried.

Hysteresis on the detection speed: an effort starts where the speed rises above a threshold
``on`` and lasts while it stays above ``off`` (:data:`OFF_SHARE` of ``on``), so the noise of
one slow second does not cut a rep in two, and a jog that brushes the threshold does not become
a rep. The thresholds are quantiles of the moving speed (:data:`THRESHOLD_QUANTILES`).

None of this depends on the plan: every threshold's efforts, and their features, are found
here in one pass over the samples for all thresholds at once, and each plan tried
(:mod:`.segmenter`) then only picks, at each threshold, the efforts long enough for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..units import MOVING_SPEED_MPS
from .efforts import Candidate, DetectionSpeed, candidates_between
from .ragged import segment_members, segment_reduce, unique_pairs

__all__ = ["EffortSweep", "effort_sweep"]

#: Detection thresholds tried, as quantiles of the moving speed.
THRESHOLD_QUANTILES = np.linspace(0.30, 0.995, 40)
#: Hysteresis: an effort lasts while the speed stays above this share of the start threshold.
OFF_SHARE = 0.8


@dataclass(frozen=True, slots=True, eq=False)
class EffortSweep:
    """Every threshold's efforts, found on ``speed``.

    ``on_mps`` are the start thresholds in the order tried [m/s]. Each effort found at some
    threshold is one of ``efforts`` (an effort found at several thresholds is listed once);
    ``found_at`` and ``effort`` say, for each (threshold, effort) finding in threshold then
    time order, the threshold's position in ``on_mps`` and the effort's in ``efforts``.
    """

    speed: DetectionSpeed
    on_mps: np.ndarray
    efforts: tuple[Candidate, ...]
    found_at: np.ndarray
    effort: np.ndarray

    def at_each_threshold(self, min_duration_s: float) -> list[tuple[int, ...]]:
        """For each threshold in order, its efforts lasting at least ``min_duration_s``
        (positions in :attr:`efforts`, in time order) [s]."""
        durations = np.array([e.duration_s for e in self.efforts])
        kept = durations[self.effort] >= min_duration_s if len(self.effort) else np.zeros(0, dtype=bool)
        found_at, effort = self.found_at[kept], self.effort[kept]
        splits = np.searchsorted(found_at, np.arange(1, len(self.on_mps)))
        return [tuple(part.tolist()) for part in np.split(effort, splits)]


def effort_sweep(speed: DetectionSpeed) -> EffortSweep:
    """The efforts above each threshold of the sweep (of at least two samples), found at once."""
    values = speed.speed_mps
    moving = values[values > MOVING_SPEED_MPS]
    if not len(moving):
        return EffortSweep(
            speed=speed, on_mps=np.zeros(0), efforts=(), found_at=np.zeros(0, int), effort=np.zeros(0, int)
        )
    on = np.unique(np.round(np.quantile(moving, THRESHOLD_QUANTILES), 2))
    level, first, stop = _runs_above(values, on * OFF_SHARE)
    # A run counts when it lasts two samples or more and reaches the start threshold.
    peak = segment_reduce(np.maximum, values, first, stop)
    counted = (stop - first >= 2) & (peak >= on[level])
    level, first, stop = level[counted], first[counted], stop[counted]
    runs, effort = unique_pairs(first, stop)
    time = speed.time_s
    efforts = candidates_between(speed, time[runs[0]], time[runs[1] - 1])
    return EffortSweep(speed=speed, on_mps=on, efforts=tuple(efforts), found_at=level, effort=effort.ravel())


def _runs_above(values: np.ndarray, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every run of samples at or above each of the rising ``levels``: its level's position,
    its first sample and its end (exclusive), in level then time order.

    A sample is above the levels below the count of levels it reaches, so a run of level ``t``
    starts where that count rises past ``t`` and ends where it falls back: the runs come from
    the count's changes, with no pass over a levels x samples array.
    """
    reached = np.searchsorted(levels, values, side="right")
    reached[np.isnan(values)] = 0
    count = np.concatenate([[0], reached, [0]])
    change = np.diff(count)  # at position j: from sample j - 1 to sample j

    def runs_at(places: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Each place's levels ``lows[k]`` to ``highs[k] - 1``, then in level then time order.
        owner, level = segment_members(lows, highs)
        at = places[owner]
        order = np.lexsort((at, level))
        return level[order], at[order]

    up, down = np.flatnonzero(change > 0), np.flatnonzero(change < 0)
    level, first = runs_at(up, count[up], count[up + 1])
    _, stop = runs_at(down, count[down + 1], count[down])
    return level, first, stop
