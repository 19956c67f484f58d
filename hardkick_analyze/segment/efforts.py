"""Efforts: stretches of running clearly faster than what surrounds them.

Hysteresis on the smoothed, lag-corrected speed: an effort starts where the speed rises above
``on_mps`` and lasts while it stays above ``off_mps``, so the noise of one slow second does not
cut a rep in two, and a jog that brushes the threshold does not become a rep. Efforts shorter
than a minimum are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..clean import SessionGrid, rolling_mean

__all__ = [
    "Candidate",
    "candidate_between",
    "contrast",
    "find_candidates",
    "kick_ratio",
    "smoothed_speed",
    "surroundings",
    "window",
]

#: Smoothing of the speed used for detection (not for boundaries) [s].
DETECTION_SMOOTHING_S = 3.0
#: Surroundings of an effort compared with it, as (from, to) seconds away from its edges [s].
SURROUNDING_S = (5.0, 40.0)
#: Speeds below this count as standing when taking ratios [m/s].
MIN_REST_MPS = 0.5
#: The end of a candidate's distance that is compared with the rest of it to recognise a kick.
KICK_PROBE_SHARE = 0.2


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """An effort found at one threshold, with the features the alignment compares."""

    start_s: float
    end_s: float
    distance_m: float
    mean_speed_mps: float
    kick_ratio: float
    contrast: float

    @property
    def duration_s(self) -> float:
        """Length [s]."""
        return self.end_s - self.start_s


def smoothed_speed(grid: SessionGrid) -> np.ndarray:
    """The speed used for detection: lag-corrected, smoothed over :data:`DETECTION_SMOOTHING_S`."""
    speed = grid.frame["speed_mps"].to_numpy(dtype=np.float64)
    return rolling_mean(np.nan_to_num(speed), DETECTION_SMOOTHING_S / grid.dt_s)


def find_candidates(
    grid: SessionGrid, speed: np.ndarray, *, on_mps: float, off_mps: float, min_duration_s: float
) -> list[Candidate]:
    """Efforts above ``on_mps`` that last while above ``off_mps`` and at least ``min_duration_s``."""
    above_off = speed >= off_mps
    if not above_off.any():
        return []
    edges = np.diff(np.concatenate([[0], above_off.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    time = grid.time_s
    distance = grid.frame["distance_m"].to_numpy()
    candidates = []
    for start, stop in zip(starts, stops, strict=True):
        if stop - start < 2 or time[stop - 1] - time[start] < min_duration_s:
            continue
        if not (speed[start:stop] >= on_mps).any():
            continue
        run = distance[stop - 1] - distance[start]
        duration = time[stop - 1] - time[start]
        candidates.append(
            Candidate(
                start_s=float(time[start]),
                end_s=float(time[stop - 1]),
                distance_m=float(run),
                mean_speed_mps=float(run / duration) if duration > 0 else 0.0,
                kick_ratio=kick_ratio(speed[start:stop], distance[start:stop]),
                contrast=contrast(time, speed, float(time[start]), float(time[stop - 1])),
            )
        )
    return candidates


def candidate_between(grid: SessionGrid, speed: np.ndarray, start_s: float, end_s: float) -> Candidate:
    """The effort from ``start_s`` to ``end_s`` with its features; ``speed`` is the detection speed."""
    time = grid.time_s
    distance = grid.frame["distance_m"].to_numpy()
    inside = window(time, start_s, end_s)
    run = float(np.interp(end_s, time, distance) - np.interp(start_s, time, distance))
    duration = end_s - start_s
    return Candidate(
        start_s=start_s,
        end_s=end_s,
        distance_m=run,
        mean_speed_mps=run / duration if duration > 0 else 0.0,
        kick_ratio=kick_ratio(speed[inside], distance[inside]) if inside.stop - inside.start >= 2 else 1.0,
        contrast=contrast(time, speed, start_s, end_s),
    )


def same_size(a: Candidate, b: Candidate, ratio: float) -> bool:
    """Whether two efforts are the same rep: within ``ratio`` of each other's time (a timed rep)
    or distance (a measured one, run faster or slower)."""
    return _within(a.duration_s, b.duration_s, ratio) or _within(a.distance_m, b.distance_m, ratio)


def _within(a: float, b: float, ratio: float) -> bool:
    return max(a, b) <= ratio * max(min(a, b), 1e-9)


def window(time: np.ndarray, start_s: float, end_s: float, *, closed: str = "both") -> slice:
    """The samples of the sorted ``time`` in ``[start_s, end_s]`` (``closed='left'``: ``[start_s, end_s)``,
    ``'right'``: ``(start_s, end_s]``), as a slice: no pass over the whole session [s]."""
    left = np.searchsorted(time, start_s, side="right" if closed == "right" else "left")
    right = np.searchsorted(time, end_s, side="left" if closed == "left" else "right")
    return slice(int(left), int(max(right, left)))


def contrast(time: np.ndarray, speed: np.ndarray, start_s: float, end_s: float) -> float:
    """How much faster an effort is than the slower of its two surroundings.

    A rep is run between rests (or after a warm-up, before a rest): on at least one side the
    runner is clearly slower. A brisk stretch of a warm-up jog is not.
    """
    inside = speed[window(time, start_s, end_s)]
    level = float(np.mean(inside)) if len(inside) else 0.0
    sides = surroundings(time, speed, start_s, end_s)
    return level / max(min(sides) if sides else 0.0, MIN_REST_MPS)


def surroundings(time: np.ndarray, speed: np.ndarray, start_s: float, end_s: float) -> list[float]:
    """The mean speed before and after an effort (:data:`SURROUNDING_S` away), where recorded."""
    before = speed[window(time, start_s - SURROUNDING_S[1], start_s - SURROUNDING_S[0], closed="left")]
    after = speed[window(time, end_s + SURROUNDING_S[0], end_s + SURROUNDING_S[1], closed="right")]
    return [float(np.mean(side)) for side in (before, after) if len(side)]


def kick_ratio(speed: np.ndarray, distance: np.ndarray) -> float:
    """Top speed in the last :data:`KICK_PROBE_SHARE` of the distance over the median before it.

    About 1 for an evenly paced rep; 1.3 or more when the rep ends in a sprint.
    """
    covered = distance - distance[0]
    total = covered[-1]
    if not np.isfinite(total) or total <= 0:
        return 1.0
    tail = covered >= (1.0 - KICK_PROBE_SHARE) * total
    body = (covered >= 0.1 * total) & ~tail
    if not tail.any() or not body.any():
        return 1.0
    base = float(np.median(speed[body]))
    return float(np.max(speed[tail]) / base) if base > 0 else 1.0
