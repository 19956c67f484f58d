"""Two naive analyzers, kept in the benchmark so every real one has something to beat.

* :func:`laps_as_reps` trusts the watch: every lap whose pace is near a planned pace is a rep;
  a kick rep's lap is cut where the device distance reaches the planned distance.
* :func:`speed_threshold` trusts the speed channel: an effort is a stretch above the midpoint
  between resting and rep speed, long enough to be a rep; the rep ends where the device
  distance since the effort's start reaches the planned distance, and the rest of the effort
  is the kick.

Both take planned indices in order (plain reps from the front, kick reps from the back) and call
the unmatched planned reps missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hardkick_analyze.models import Activity, Workout

from . import PredictedKick, PredictedRep, Prediction

__all__ = ["laps_as_reps", "speed_threshold"]

#: A lap is a rep when its speed is within this share of a planned rep's average speed.
_LAP_SPEED_TOLERANCE = 0.15
#: An effort must last this share of the planned rep's duration (strides are shorter)...
_MIN_EFFORT_SHARE = 0.5
#: ... and at most this multiple of it (a warm-up above the threshold is longer).
_MAX_EFFORT_FACTOR = 3.0
#: Width of the moving average applied to the speed channel [s].
_SMOOTHING_S = 3.0


def laps_as_reps(activity: Activity, workout: Workout) -> Prediction:
    """Reps are the watch's laps whose pace is near the target.

    Parameters
    ----------
    activity
        The recording as :func:`hardkick_analyze.read_activity` returns it.
    workout
        The planned reps (each with a pace).
    """
    seconds, distance = _seconds_and_distance(activity)
    targets = [_planned_speed(workout, i) for i in range(len(workout.reps))]
    candidates = []
    for lap in activity.laps:
        timer = lap.timer_time_s or lap.elapsed_time_s
        if not lap.distance_m or timer <= 0:
            continue
        speed = lap.distance_m / timer
        planned_lengths = [r.distance_m + r.kick_m for r in workout.reps]
        near = any(
            abs(speed / target - 1.0) <= _LAP_SPEED_TOLERANCE and 0.8 <= lap.distance_m / length <= 1.25
            for target, length in zip(targets, planned_lengths, strict=True)
            if target
        )
        if near:
            candidates.append((activity.seconds(lap.start_time), activity.seconds(lap.end_time)))
    assignment = _assign(len(candidates), workout)
    reps = []
    for (start, end), index in zip(candidates, assignment, strict=True):
        planned = workout.reps[index] if index is not None else None
        if planned is None or not planned.has_kick:
            reps.append(PredictedRep(planned_index=index, start_s=start, end_s=end))
            continue
        cut = _time_at(seconds, distance, _distance_at(seconds, distance, start) + planned.distance_m)
        cut = min(cut, end)
        kick = _kick(activity, seconds, distance, cut, end, planned.kick_m)
        reps.append(PredictedRep(planned_index=index, start_s=start, end_s=cut, kick=kick))
    return Prediction(reps=tuple(reps), missing_planned_indices=_missing(assignment, workout))


def speed_threshold(activity: Activity, workout: Workout) -> Prediction:
    """Efforts above the rest/rep midpoint speed, cut at the planned distance.

    Parameters
    ----------
    activity
        The recording as :func:`hardkick_analyze.read_activity` returns it.
    workout
        The planned reps (each with a pace).
    """
    seconds, distance = _seconds_and_distance(activity)
    speed = _smoothed_speed(activity)
    rep_speed = float(np.median([s for i in range(len(workout.reps)) if (s := _planned_speed(workout, i))]))
    moving = speed[speed > 0.3]
    rest_speed = float(np.percentile(moving, 10)) if len(moving) else 0.0
    threshold = (rest_speed + rep_speed) / 2.0
    shortest = _MIN_EFFORT_SHARE * min(r.distance_m for r in workout.reps) / rep_speed
    longest = _MAX_EFFORT_FACTOR * max(r.distance_m + r.kick_m for r in workout.reps) / rep_speed
    efforts = [
        (start, end) for start, end in _runs_above(seconds, speed, threshold) if shortest <= end - start <= longest
    ]
    assignment = _assign(len(efforts), workout)
    reps = []
    for (start, end), index in zip(efforts, assignment, strict=True):
        planned = workout.reps[index] if index is not None else workout.reps[0]
        target = _distance_at(seconds, distance, start) + planned.distance_m
        rep_end = min(_time_at(seconds, distance, target), end)
        kick = None
        if index is not None and planned.has_kick:
            kick_end = min(_time_at(seconds, distance, target + planned.kick_m), end)
            if kick_end > rep_end:
                kick = _kick(activity, seconds, distance, rep_end, kick_end, planned.kick_m)
        reps.append(PredictedRep(planned_index=index, start_s=start, end_s=rep_end, kick=kick))
    return Prediction(reps=tuple(reps), missing_planned_indices=_missing(assignment, workout))


def _seconds_and_distance(activity: Activity) -> tuple[np.ndarray, np.ndarray]:
    track = activity.track
    distance = track["distance_m"].ffill().fillna(0.0).to_numpy()
    return track["elapsed_s"].to_numpy(), np.maximum.accumulate(distance)


def _planned_speed(workout: Workout, index: int) -> float | None:
    pace = workout.reps[index].pace_s_per_km
    return 1000.0 / pace if pace else None


def _smoothed_speed(activity: Activity) -> np.ndarray:
    """Speed channel, moving average over a few seconds of clock time."""
    speed = activity.track["speed_mps"].fillna(0.0)
    window = pd.Timedelta(seconds=_SMOOTHING_S)
    return speed.rolling(window, center=True, min_periods=1).mean().to_numpy()


def _runs_above(seconds: np.ndarray, speed: np.ndarray, threshold: float) -> list[tuple[float, float]]:
    """(first, last) sample time of every run of samples above ``threshold``."""
    above = speed > threshold
    edges = np.diff(np.concatenate([[0], above.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    return [(float(seconds[a]), float(seconds[b])) for a, b in zip(starts, ends, strict=True)]


def _assign(count: int, workout: Workout) -> list[int | None]:
    """Planned index per found effort: kick reps from the back, plain reps from the front."""
    kicks = [i for i, r in enumerate(workout.reps) if r.has_kick]
    plain = [i for i, r in enumerate(workout.reps) if not r.has_kick]
    tail = kicks[-count:] if count else []
    head_count = count - len(tail)
    head: list[int | None] = list(plain[:head_count])
    head += [None] * (head_count - len(head))
    return [*head, *tail]


def _missing(assignment: list[int | None], workout: Workout) -> tuple[int, ...]:
    found = {i for i in assignment if i is not None}
    return tuple(i for i in range(len(workout.reps)) if i not in found)


def _distance_at(seconds: np.ndarray, distance: np.ndarray, when: float) -> float:
    return float(np.interp(when, seconds, distance))


def _time_at(seconds: np.ndarray, distance: np.ndarray, target: float) -> float:
    """First time the device distance reaches ``target`` (the last sample if it never does)."""
    position = int(np.searchsorted(distance, target, side="left"))
    if position >= len(distance):
        return float(seconds[-1])
    if position == 0 or distance[position] == distance[position - 1]:
        return float(seconds[position])
    fraction = (target - distance[position - 1]) / (distance[position] - distance[position - 1])
    return float(seconds[position - 1] + fraction * (seconds[position] - seconds[position - 1]))


def _kick(
    activity: Activity, seconds: np.ndarray, distance: np.ndarray, start: float, end: float, kick_m: float
) -> PredictedKick:
    """Kick speeds from the device channels: peak of the smoothed speed, fade over the last 20 %.

    The last 20 % is of the distance the device measured between ``start`` and ``end`` (the
    effort may end before the planned kick distance is reached).
    """
    speed = _smoothed_speed(activity)
    inside = (seconds >= start) & (seconds <= end)
    duration = max(end - start, 1e-9)
    peak = float(speed[inside].max()) if inside.any() else kick_m / duration
    start_m = _distance_at(seconds, distance, start)
    covered = _distance_at(seconds, distance, end) - start_m
    final_start = _time_at(seconds, distance, start_m + 0.8 * covered)
    if end - final_start > 0.5:
        final = 0.2 * covered / (end - final_start)
    else:
        final = float(speed[inside][-1]) if inside.any() else kick_m / duration
    return PredictedKick(
        start_s=start,
        end_s=end,
        avg_speed_mps=kick_m / duration,
        peak_speed_mps=peak,
        fade_pct=100.0 * (peak - final) / peak if peak > 0 else 0.0,
    )
