"""Efforts: stretches of running clearly faster than what surrounds them, and their features.

An effort is a span of the session; what the plan alignment compares about it (its distance,
pace, a sprint at its end, how much faster it was than its surroundings) is measured here for
many spans at once, as array operations over the session's samples: the threshold sweep
(:mod:`.sweep`), the plan-free detection (:mod:`.detect`) and the laps (:mod:`.laps`) hand over
hundreds of spans and get their candidates back in one call.

All of it is measured on the :class:`DetectionSpeed`, the lag-corrected speed smoothed over
:data:`DETECTION_SMOOTHING_S`, computed once per session.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..clean import SessionGrid, rolling_mean
from ..units import median
from .ragged import run_medians, segment_reduce

__all__ = [
    "Candidate",
    "DetectionSpeed",
    "SpanFeatures",
    "candidates_between",
    "detection_speed",
    "same_size",
    "span_features",
    "window",
]

#: Smoothing of the speed used for detection [s].
DETECTION_SMOOTHING_S = 3.0
#: Speed used for boundaries: lightly smoothed, not the detection smoothing [s].
BOUNDARY_SMOOTHING_S = 1.0
#: Surroundings of an effort compared with it, as (from, to) seconds away from its edges [s].
SURROUNDING_S = (5.0, 40.0)
#: Speeds below this count as standing when taking ratios [m/s].
MIN_REST_MPS = 0.5
#: The end of a candidate's distance that is compared with the rest of it to recognise a kick.
KICK_PROBE_SHARE = 0.2
#: The start of a candidate's distance left out of the body a kick is compared with.
KICK_BODY_FROM_SHARE = 0.1


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


@dataclass(frozen=True, slots=True, eq=False)
class DetectionSpeed:
    """The session as efforts are found on it: grid times [s], the watch's distance [m], the
    detection speed (lag-corrected, smoothed over :data:`DETECTION_SMOOTHING_S`) and the speed
    boundaries are placed on (smoothed over :data:`BOUNDARY_SMOOTHING_S` only) [m/s]."""

    time_s: np.ndarray
    distance_m: np.ndarray
    speed_mps: np.ndarray
    boundary_speed_mps: np.ndarray


def detection_speed(grid: SessionGrid) -> DetectionSpeed:
    """The session's speeds, computed once and shared by every plan tried."""
    speed = grid.frame["speed_mps"].to_numpy(dtype=np.float64)
    return DetectionSpeed(
        time_s=grid.time_s,
        distance_m=grid.frame["distance_m"].to_numpy(),
        speed_mps=rolling_mean(np.nan_to_num(speed), DETECTION_SMOOTHING_S / grid.dt_s),
        boundary_speed_mps=rolling_mean(speed, BOUNDARY_SMOOTHING_S / grid.dt_s),
    )


@dataclass(frozen=True, slots=True, eq=False)
class SpanFeatures:
    """How many spans of the session compare with their surroundings, one row each (see
    :func:`span_features`).

    ``first``/``stop`` are the samples inside each span (``[first, stop)``); ``level_mps`` the
    mean detection speed there; ``before_mps``/``after_mps`` the mean speed of the surroundings
    (NaN where none was recorded); ``contrast`` as on :class:`Candidate`.
    """

    first: np.ndarray
    stop: np.ndarray
    level_mps: np.ndarray
    before_mps: np.ndarray
    after_mps: np.ndarray
    contrast: np.ndarray


def window(time: np.ndarray, start_s: float, end_s: float, *, closed: str = "both") -> slice:
    """The samples of the sorted ``time`` in ``[start_s, end_s]`` (``closed='left'``: ``[start_s, end_s)``,
    ``'right'``: ``(start_s, end_s]``, ``'neither'``: ``(start_s, end_s)``), as a slice: no pass
    over the whole session [s]."""
    left = np.searchsorted(time, start_s, side="right" if closed in ("right", "neither") else "left")
    right = np.searchsorted(time, end_s, side="left" if closed in ("left", "neither") else "right")
    return slice(int(left), int(max(right, left)))


def span_features(speed: DetectionSpeed, start_s: np.ndarray, end_s: np.ndarray) -> SpanFeatures:
    """The spans ``[start_s[k], end_s[k]]`` against their surroundings, all at once [s].

    Each span's level is the mean speed of the samples inside it; its surroundings the mean
    speed from :data:`SURROUNDING_S` seconds before its start and after its end; its contrast
    the level over the slower surrounding (at least :data:`MIN_REST_MPS`).
    """
    time, values = speed.time_s, speed.speed_mps
    start_s = np.asarray(start_s, dtype=np.float64)
    end_s = np.asarray(end_s, dtype=np.float64)
    first = np.searchsorted(time, start_s, side="left")
    stop = np.maximum(np.searchsorted(time, end_s, side="right"), first)
    before = _segment_means(
        values,
        np.searchsorted(time, start_s - SURROUNDING_S[1], side="left"),
        np.searchsorted(time, start_s - SURROUNDING_S[0], side="left"),
    )
    after_first = np.searchsorted(time, end_s + SURROUNDING_S[0], side="right")
    after = _segment_means(
        values, after_first, np.maximum(np.searchsorted(time, end_s + SURROUNDING_S[1], side="right"), after_first)
    )
    level = _segment_means(values, first, stop)
    slower = np.fmin(before, after)
    contrast = np.nan_to_num(level, nan=0.0) / np.maximum(np.nan_to_num(slower, nan=0.0), MIN_REST_MPS)
    return SpanFeatures(
        first=first,
        stop=stop,
        level_mps=level,
        before_mps=before,
        after_mps=after,
        contrast=contrast,
    )


def candidates_between(speed: DetectionSpeed, start_s: np.ndarray, end_s: np.ndarray) -> list[Candidate]:
    """The efforts from ``start_s[k]`` to ``end_s[k]`` with their features, in the order given [s]."""
    start_s = np.asarray(start_s, dtype=np.float64)
    end_s = np.asarray(end_s, dtype=np.float64)
    if not len(start_s):
        return []
    features = span_features(speed, start_s, end_s)
    distance = np.interp(end_s, speed.time_s, speed.distance_m) - np.interp(start_s, speed.time_s, speed.distance_m)
    duration = end_s - start_s
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_speed = np.where(duration > 0, distance / duration, 0.0)
    return [
        Candidate(
            start_s=a,
            end_s=b,
            distance_m=run,
            mean_speed_mps=pace,
            kick_ratio=ratio,
            contrast=contrast,
        )
        for a, b, run, pace, ratio, contrast in zip(
            start_s.tolist(),
            end_s.tolist(),
            distance.tolist(),
            mean_speed.tolist(),
            _kick_ratios(speed, features.first, features.stop).tolist(),
            features.contrast.tolist(),
            strict=True,
        )
    ]


def same_size(a: Candidate, b: Candidate, ratio: float) -> bool:
    """Whether two efforts are the same rep: within ``ratio`` of each other's time (a timed rep)
    or distance (a measured one, run faster or slower)."""
    return _within(a.duration_s, b.duration_s, ratio) or _within(a.distance_m, b.distance_m, ratio)


def _within(a: float, b: float, ratio: float) -> bool:
    return max(a, b) <= ratio * max(min(a, b), 1e-9)


def _segment_means(values: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Mean of ``values[first[k]:stop[k]]`` for every k; NaN where the segment is empty."""
    return segment_reduce(np.add, values, first, stop) / np.maximum(stop - first, 1)


def _kick_ratios(speed: DetectionSpeed, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """The kick ratio of the samples ``[first[k], stop[k])`` for every k: the top speed in the
    last :data:`KICK_PROBE_SHARE` of the distance over the median speed before it (from
    :data:`KICK_BODY_FROM_SHARE` on). About 1 for an evenly paced rep, 1.3 or more when it ends
    in a sprint; 1 for fewer than two samples or no distance."""
    ratios = np.ones(len(first))
    usable = np.flatnonzero(stop - first >= 2)
    if not len(usable):
        return ratios
    first, stop = first[usable], stop[usable]
    distance = speed.distance_m
    total = distance[stop - 1] - distance[first]
    if _rises(distance):
        # The distance covered grows through a span: its tail and body are runs of it.
        tail = _first_reaching(distance, first, stop, (1.0 - KICK_PROBE_SHARE) * total)
        body = _first_reaching(distance, first, stop, KICK_BODY_FROM_SHARE * total)
        top = segment_reduce(np.maximum, speed.speed_mps, tail, stop)
        base = run_medians(speed.speed_mps, body, tail)
    else:
        top, base = _kick_parts_span_by_span(speed, first, stop, total)
    measured = np.isfinite(total) & (total > 0) & np.isfinite(top) & np.isfinite(base) & (base > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios[usable] = np.where(measured, top / base, 1.0)
    return ratios


def _rises(distance_m: np.ndarray) -> bool:
    """Whether a cumulative distance is recorded throughout and never decreases."""
    return bool(np.isfinite(distance_m).all() and (distance_m[1:] >= distance_m[:-1]).all())


def _first_reaching(distance_m: np.ndarray, first: np.ndarray, stop: np.ndarray, covered_m: np.ndarray) -> np.ndarray:
    """For each span ``[first[k], stop[k])`` of a rising distance, the first sample from which
    ``distance_m[i] - distance_m[first[k]] >= covered_m[k]`` (``stop[k]`` if none): the test
    itself, to the last bit, found by bisection and settled on its neighbours."""
    start_m = distance_m[first]
    found = np.clip(np.searchsorted(distance_m, start_m + covered_m, side="left"), first, stop)

    def reaches(i: np.ndarray) -> np.ndarray:
        return distance_m[np.minimum(i, len(distance_m) - 1)] - start_m >= covered_m

    # ``start + covered`` rounds: the first sample may be one the bisection stepped over or onto.
    while (back := (found > first) & reaches(found - 1)).any():
        found = found - back
    while (on := (found < stop) & ~reaches(found)).any():
        found = found + on
    return found


def _kick_parts_span_by_span(
    speed: DetectionSpeed, first: np.ndarray, stop: np.ndarray, total: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The top speed of each span's tail and the median speed of its body, a span at a time
    (a distance with gaps or steps back: the tail and body need not be runs)."""
    top = np.full(len(first), -np.inf)
    base = np.full(len(first), np.nan)
    for k, (a, b) in enumerate(zip(first.tolist(), stop.tolist(), strict=True)):
        covered = speed.distance_m[a:b] - speed.distance_m[a]
        tail = covered >= (1.0 - KICK_PROBE_SHARE) * total[k]
        body = (covered >= KICK_BODY_FROM_SHARE * total[k]) & ~tail
        values = speed.speed_mps[a:b]
        if tail.any():
            top[k] = values[tail].max()
        if body.any():
            base[k] = median(values[body])
    return top, base
