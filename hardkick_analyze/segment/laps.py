"""The watch's laps as candidate reps.

A lap is a candidate when it was run clearly faster than the session's typical running speed;
consecutive fast laps with no rest between them (a 400 m lap straight into a 100 m kick lap)
are one candidate. 1 km auto-laps mix reps and rests, so they never fit the plan's distances
and the alignment rejects them.
"""

from __future__ import annotations

import numpy as np

from ..clean import SessionGrid
from ..models import Activity, Lap
from .efforts import Candidate, contrast, kick_ratio

__all__ = ["efforts_on_laps", "lap_candidates"]

#: A lap is fast when its mean speed is at least this share of the session's fast level.
FAST_SHARE = 0.75
#: The session's fast level: this quantile of the moving speed.
FAST_QUANTILE = 0.9
#: A lap longer than this many times the longest planned effort is not part of a rep.
MAX_LAP_SHARE = 1.6
#: Consecutive fast laps closer than this are one effort [s].
JOIN_GAP_S = 2.0
#: A lap boundary this close to an effort's edge marks it [s] (the effort's edges are found
#: on the speed levels, to a few seconds).
LAP_MARK_S = 8.0
#: The laps mark the reps when they mark at least this many efforts, and this share of them.
MIN_MARKED = 3
MIN_MARKED_SHARE = 0.6


def lap_candidates(
    activity: Activity, grid: SessionGrid, speed: np.ndarray, longest_effort_m: float
) -> list[Candidate]:
    """Candidates made of the fast laps (joined when back to back), in time order.

    A lap much longer than the longest planned effort (``longest_effort_m`` [m]) is a warm-up
    or cool-down lap, never part of a rep, however brisk. ``speed`` is the detection speed
    (:func:`.efforts.smoothed_speed`) on the grid.
    """
    if len(activity.laps) < 2:
        return []
    moving = speed[speed > 1.0]
    if not len(moving):
        return []
    fast_level = float(np.quantile(moving, FAST_QUANTILE))
    time = grid.time_s
    distance = grid.frame["distance_m"].to_numpy()
    spans: list[list[float]] = []
    for lap in activity.laps:
        start_s, end_s = activity.seconds(lap.start_time), activity.seconds(lap.end_time)
        run = _lap_distance(lap, time, distance, start_s, end_s)
        if (
            end_s <= start_s
            or run > MAX_LAP_SHARE * longest_effort_m
            or run / (end_s - start_s) < FAST_SHARE * fast_level
        ):
            continue
        if spans and start_s - spans[-1][1] <= JOIN_GAP_S:
            spans[-1][1] = end_s
        else:
            spans.append([start_s, end_s])
    candidates = []
    for start_s, end_s in spans:
        inside = (time >= start_s) & (time <= end_s)
        if inside.sum() < 4:
            continue
        run = float(np.interp(end_s, time, distance) - np.interp(start_s, time, distance))
        candidates.append(
            Candidate(
                start_s=start_s,
                end_s=end_s,
                distance_m=run,
                mean_speed_mps=run / (end_s - start_s),
                kick_ratio=kick_ratio(speed[inside], distance[inside]),
                contrast=contrast(time, speed, start_s, end_s),
            )
        )
    return candidates


def _lap_distance(lap: Lap, time: np.ndarray, distance: np.ndarray, start_s: float, end_s: float) -> float:
    """The lap's own distance, or the distance channel's over its seconds [m]."""
    if lap.distance_m is not None and np.isfinite(lap.distance_m):
        return lap.distance_m
    return float(np.interp(end_s, time, distance) - np.interp(start_s, time, distance))


def efforts_on_laps(activity: Activity, efforts: list[Candidate]) -> list[Candidate] | None:
    """The efforts the watch's laps mark, when the laps mark the reps; else None.

    An effort is marked when a lap starts and a lap ends within :data:`LAP_MARK_S` of its own
    start and end (a structured workout's steps, or the runner's lap presses). The laps mark
    the reps when at least :data:`MIN_MARKED` efforts, and :data:`MIN_MARKED_SHARE` of all, are
    marked: then the efforts they do not mark are strides or surges outside the workout.
    """
    if len(activity.laps) < 2 or not efforts:
        return None
    starts = np.array([activity.seconds(lap.start_time) for lap in activity.laps])
    ends = np.array([activity.seconds(lap.end_time) for lap in activity.laps])
    marked = [
        e
        for e in efforts
        if np.min(np.abs(starts - e.start_s)) <= LAP_MARK_S and np.min(np.abs(ends - e.end_s)) <= LAP_MARK_S
    ]
    if len(marked) >= MIN_MARKED and len(marked) >= MIN_MARKED_SHARE * len(efforts):
        return marked
    return None
