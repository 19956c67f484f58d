"""The session's grid as the scorer measures on it: its columns read once per session, and the
distance, time and values between two moments, found by binary search rather than masks."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .clean import SessionGrid

__all__ = [
    "GridColumns",
    "distance_at",
    "distance_between",
    "gps_distance_between",
    "grid_columns",
    "mean_between",
    "on_grid_mask",
    "time_at_fraction",
    "value_at",
    "window_slice",
    "window_values",
    "with_ends",
]


def on_grid_mask(time: np.ndarray, at_s: np.ndarray) -> np.ndarray:
    """Whether each of ``at_s`` is one of the sorted grid times (``np.isin`` without sorting them) [s]."""
    position = np.minimum(np.searchsorted(time, at_s), len(time) - 1)
    return time[position] == at_s


def with_ends(time: np.ndarray, values: np.ndarray, inside: slice, ends: np.ndarray) -> np.ndarray:
    """``values`` strictly inside a window, with the values interpolated at its two ends."""
    at_ends = np.interp(ends, time, values)
    return np.concatenate([at_ends[:1], values[inside], at_ends[1:]])


@dataclass(frozen=True, slots=True, eq=False)
class GridColumns:
    """The grid's columns the scoring reads, taken out of the frame once for every rep and kick
    scored on it (:func:`grid_columns`).

    ``time_s``, ``distance_m``, ``gps_distance_m`` (the watch's own distance; the distance when
    no track correction kept it), ``raw_speed_mps``; ``heart_rate_bpm`` and ``on_track`` when the
    grid has them; the running-form channels ``cadence``, ``step_length`` (recorded, else speed
    over cadence), ``ground_contact`` and ``vertical_oscillation``, each None when the file has
    none of it. ``sample_interval_s`` and ``dt_s`` are the grid's.
    """

    time_s: np.ndarray
    distance_m: np.ndarray
    gps_distance_m: np.ndarray
    raw_speed_mps: np.ndarray
    heart_rate_bpm: np.ndarray | None
    on_track: np.ndarray | None
    cadence: np.ndarray | None
    step_length: np.ndarray | None
    ground_contact: np.ndarray | None
    vertical_oscillation: np.ndarray | None
    sample_interval_s: float
    dt_s: float


def grid_columns(grid: SessionGrid) -> GridColumns:
    """The grid's columns for scoring (see :class:`GridColumns`)."""
    frame = grid.frame

    def channel(name: str) -> np.ndarray | None:
        if name not in frame:
            return None
        values = frame[name].to_numpy(dtype=np.float64)
        return values if (~np.isnan(values)).any() else None

    cadence = channel("cadence_spm")
    step_length = channel("step_length_m")
    if step_length is None and "step_length_m" not in frame and cadence is not None:
        # Step length from speed and cadence when the watch does not record it.
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = frame["speed_mps"].to_numpy(dtype=np.float64) * 60.0 / np.where(cadence > 0, cadence, np.nan)
        step_length = derived if (~np.isnan(derived)).any() else None
    distance = frame["distance_m"].to_numpy(dtype=np.float64)
    return GridColumns(
        time_s=grid.time_s,
        distance_m=distance,
        gps_distance_m=frame["gps_distance_m"].to_numpy(dtype=np.float64) if "gps_distance_m" in frame else distance,
        raw_speed_mps=frame["raw_speed_mps"].to_numpy(dtype=np.float64),
        heart_rate_bpm=frame["heart_rate_bpm"].to_numpy(dtype=np.float64) if "heart_rate_bpm" in frame else None,
        on_track=frame["on_track"].to_numpy(dtype=bool) if "on_track" in frame else None,
        cadence=cadence,
        step_length=step_length,
        ground_contact=channel("ground_contact_time_ms"),
        vertical_oscillation=channel("vertical_oscillation_mm"),
        sample_interval_s=grid.sample_interval_s,
        dt_s=grid.dt_s,
    )


def mean_between(time: np.ndarray, values: np.ndarray, start_s: float, end_s: float) -> float:
    """Time-weighted mean of ``values`` over ``[start_s, end_s]``, interpolated at the edges."""
    inside = window_slice(time, start_s, end_s, closed=False)
    t = np.concatenate([[start_s], time[inside], [end_s]])
    v = np.concatenate([[np.interp(start_s, time, values)], values[inside], [np.interp(end_s, time, values)]])
    return float(np.trapezoid(v, t) / (end_s - start_s)) if end_s > start_s else math.nan


def distance_at(cols: GridColumns, when_s: float) -> float:
    return float(np.interp(when_s, cols.time_s, cols.distance_m))


def distance_between(cols: GridColumns, start_s: float, end_s: float) -> float:
    return distance_at(cols, end_s) - distance_at(cols, start_s)


def gps_distance_between(cols: GridColumns, start_s: float, end_s: float) -> float:
    """The watch's own distance over a window (before any track correction) [m]."""
    values = cols.gps_distance_m
    return float(np.interp(end_s, cols.time_s, values) - np.interp(start_s, cols.time_s, values))


def time_at_fraction(cols: GridColumns, start_s: float, end_s: float, fraction: float) -> float:
    """When the watch's distance had covered ``fraction`` of its distance over the window [s]."""
    time = cols.time_s
    inside = window_slice(time, start_s, end_s)
    distance = cols.distance_m
    d0, d1 = distance_at(cols, start_s), distance_at(cols, end_s)
    if inside.stop == inside.start or d1 <= d0 or not math.isfinite(d1 - d0):
        return start_s + fraction * (end_s - start_s)
    target = d0 + fraction * (d1 - d0)
    t = np.concatenate([[start_s], time[inside], [end_s]])
    d = np.maximum.accumulate(np.concatenate([[d0], distance[inside], [d1]]))
    return float(np.interp(target, d, t))


def window_values(cols: GridColumns, values: np.ndarray | None, start_s: float, end_s: float) -> np.ndarray:
    """``values`` over ``[start_s, end_s]``; one NaN when there are none (or no such column)."""
    if values is None:
        return np.array([np.nan])
    inside = window_slice(cols.time_s, start_s, end_s)
    return values[inside] if inside.stop > inside.start else np.array([np.nan])


def window_slice(time: np.ndarray, start_s: float, end_s: float, *, closed: bool = True) -> slice:
    """The samples of the sorted grid ``time`` in ``[start_s, end_s]`` (``closed=False``:
    strictly between the two), as a slice [s]."""
    first = int(np.searchsorted(time, start_s, side="left" if closed else "right"))
    stop = int(np.searchsorted(time, end_s, side="right" if closed else "left"))
    return slice(first, max(stop, first))


def value_at(cols: GridColumns, values: np.ndarray | None, when_s: float) -> float:
    """``values`` at ``when_s``, interpolated between the recorded (finite) samples around it, held
    before the first and after the last; NaN with none or after the grid's end.

    Read on samples near ``when_s`` only (more as long as a side has no recorded one): the same
    number as interpolating through every recorded sample of the session.
    """
    time = cols.time_s
    if values is None or when_s > time[-1]:
        return math.nan
    at = int(np.searchsorted(time, when_s))
    width = 8
    while True:
        first, stop = max(at - width, 0), min(at + width, len(time))
        finite = np.isfinite(values[first:stop])
        before = first == 0 or bool(finite[: at - first].any())
        after = stop == len(time) or bool(finite[at - first :].any())
        if before and after:
            break
        width *= 8
    if not finite.any():
        return math.nan
    return float(np.interp(when_s, time[first:stop][finite], values[first:stop][finite]))
