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
from .efforts import Candidate, kick_ratio, smoothed_speed

__all__ = ["lap_candidates"]

#: A lap is fast when its mean speed is at least this share of the session's fast level.
FAST_SHARE = 0.75
#: The session's fast level: this quantile of the moving speed.
FAST_QUANTILE = 0.9
#: Consecutive fast laps closer than this are one effort [s].
JOIN_GAP_S = 2.0


def lap_candidates(activity: Activity, grid: SessionGrid) -> list[Candidate]:
    """Candidates made of the fast laps (joined when back to back), in time order."""
    if len(activity.laps) < 2:
        return []
    speed = smoothed_speed(grid)
    moving = speed[speed > 1.0]
    if not len(moving):
        return []
    fast_level = float(np.quantile(moving, FAST_QUANTILE))
    time = grid.time_s
    distance = grid.frame["distance_m"].to_numpy()
    spans: list[list[float]] = []
    for lap in activity.laps:
        start_s, end_s = activity.seconds(lap.start_time), activity.seconds(lap.end_time)
        if end_s <= start_s or _mean_speed(lap, time, distance, start_s, end_s) < FAST_SHARE * fast_level:
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
            )
        )
    return candidates


def _mean_speed(lap: Lap, time: np.ndarray, distance: np.ndarray, start_s: float, end_s: float) -> float:
    run = lap.distance_m
    if run is None or not np.isfinite(run):
        run = float(np.interp(end_s, time, distance) - np.interp(start_s, time, distance))
    return run / (end_s - start_s)
