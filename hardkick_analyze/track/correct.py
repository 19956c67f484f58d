"""Correction: the distance run on the track, measured on its running lines.

Each on-track position is projected onto lane 1's running line (along-track ``s``, cross-track
offset). The lane is estimated from the offset per stretch of fast or slow running (reps and
recoveries are often run in different lanes) and kept at the session's lane for that kind of
running unless a stretch is clearly elsewhere: GPS error moves a single stretch by a lane
width easily, the median of every rep rarely. On the bends the lane's line is longer than
lane 1's by ``1 + lane offset / 36.80 m`` (lane 2: 407.04 m a lap), on the straights not at all.
Summing the projected steps on the lane's line gives a path length that does not accumulate
cross-track noise: a runner zig-zagging by GPS error adds nothing.

What the along-track path length fixes, and how it is used:

* With a **device distance** (FIT, TCX: a Doppler, footpod or filtered-GPS channel), the device's
  distance is precise from second to second but off in scale by a few percent. The track gives
  the scale: ``k = device metres / track metres`` over every long on-track stretch (GPS errors
  at the stretch ends are a few metres over kilometres). On the track the corrected distance
  grows by ``device step / k``; the shape of every ramp, and so every speed-based boundary, is
  the device's.
* With a **distance summed from positions** (GPX), the along-track path length itself becomes
  the distance on the track (lightly smoothed, and never decreasing), which removes the
  cross-track jitter that inflates a summed distance.

Off the track (a warm-up on roads, the walk to the start) the distance grows as it was
measured, so the corrected distance stays continuous with the device's. Positions whose
offset is outside the lanes by more than the fit's gate are off the track; so are on-track
visits shorter than :data:`MIN_ON_TRACK_S`, and GPS excursions shorter than :data:`MAX_GAP_S`
are bridged.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import trackshape
from ..clean import SessionGrid, distance_speeds, rolling_mean
from .fit import LANE1_RADIUS_M, LAP_M, MOVING_MPS, TrackFit, nearest_lane, on_track_band

__all__ = ["TRACK_COLUMNS", "correct_grid", "rep_distance_error_m", "track_details"]

#: Columns a corrected grid adds to the input's (units in the names; ``on_track`` is boolean).
TRACK_COLUMNS = ("gps_distance_m", "on_track", "track_s_m", "track_offset_m", "track_lane")
#: On-track visits shorter than this are not used [s]; off-track excursions shorter than this
#: inside a visit are GPS glitches [s].
MIN_ON_TRACK_S = 20.0
MAX_GAP_S = 10.0
#: A stretch's own lane replaces the session's lane for its kind of running only when its
#: mean offset is this far from the session's (and three standard errors), and it lasts this
#: long [m, s].
LANE_EVIDENCE_M = 0.75 * trackshape.LANE_WIDTH_M
LANE_STRETCH_MIN_S = 30.0
#: Fast running (reps) is at least this share of the rep level, the quantile below of the
#: on-track moving speed smoothed over the window below [-, -, s].
FAST_SHARE = 0.85
FAST_LEVEL_QUANTILE = 0.9
FAST_SMOOTHING_S = 10.0
#: Stretches at least this long set the device-to-track scale [m].
SCALE_STRETCH_MIN_M = trackshape.lap_length_m(1)
#: Left out at each end of an on-track stretch when setting the device-to-track scale [s].
SCALE_TRIM_S = 20.0
#: The scaled device distance follows the along-track distance over this long [s].
FUSION_WINDOW_S = 300.0
#: The device-to-track scale is trusted between these values.
SCALE_LIMITS = (0.8, 1.25)
#: GPS position errors are correlated over about this long: samples closer in time are not
#: independent evidence of the lane [s].
GPS_CORRELATION_S = 30.0
#: Share of a lap on the bends, where the lane changes the length.
BEND_SHARE = 2.0 * math.pi * LANE1_RADIUS_M / LAP_M


def correct_grid(grid: SessionGrid, fit: TrackFit) -> SessionGrid:
    """The session with its on-track distance measured on the track's running lines.

    Parameters
    ----------
    grid
        The session on its uniform grid (:func:`hardkick_analyze.clean.make_grid`); not modified.
    fit
        Where the track is (:func:`hardkick_analyze.track.fit_track`).

    Returns
    -------
    SessionGrid
        A new grid whose ``distance_m`` is the along-track distance on the lane run while on
        the track (continuous with the measured distance off it) and whose ``speed_mps`` and
        ``raw_speed_mps`` are recomputed from it as :func:`~hardkick_analyze.clean.make_grid`
        does. Added columns: ``gps_distance_m`` (the distance as measured), ``on_track``,
        ``track_s_m`` (position on lane 1's line from the finish line, NaN off the track) [m],
        ``track_offset_m`` (cross-track offset from lane 1's line) [m] and ``track_lane``
        (lane used for the distance, NaN off the track).
    """
    frame = grid.frame
    dt = grid.dt_s
    u, v = fit.track_xy_m(frame["x_m"].to_numpy(dtype=np.float64), frame["y_m"].to_numpy(dtype=np.float64))
    finite = np.isfinite(u) & np.isfinite(v)
    s1 = np.full(len(u), np.nan)
    offset = np.full(len(u), np.nan)
    s1[finite], offset[finite] = trackshape.project_xy_m(u[finite], v[finite])
    on_track = _persistent(finite & on_track_band(offset, fit.gate_m), dt)
    speed = np.nan_to_num(frame["speed_mps"].to_numpy(dtype=np.float64))
    lane = _lanes(offset, on_track, speed, dt)
    path = _path_length(s1, on_track, lane)
    measured = frame["distance_m"].to_numpy(dtype=np.float64)
    stopped = frame["stopped"].to_numpy(dtype=bool)
    derived = grid.speed_source.startswith("derived")
    step_on = on_track[1:] & on_track[:-1]
    measured_steps = np.nan_to_num(np.diff(measured))
    if derived:
        # A distance summed from positions grows with the GPS noise while walking or standing:
        # its scale is measured on the fast running only, and not followed any further.
        scale = _summed_scale(measured_steps, np.diff(path), step_on & _fast_mask(speed, on_track, dt)[1:])
    else:
        scale = _device_scale(measured, path, on_track, dt)
    if scale is not None:
        steps = np.where(step_on, measured_steps / scale, measured_steps)
        if not derived:
            steps += _slow_correction(path - np.concatenate([[0.0], np.cumsum(steps)]), on_track, dt)
        source = "track-corrected device distance" if not derived else "track-corrected distance"
    else:
        steps = np.where(step_on, np.diff(np.maximum.accumulate(path)), measured_steps)
        source = "track along-track distance"
    start = measured[0] if np.isfinite(measured[0]) else 0.0
    distance = start + np.concatenate([[0.0], np.cumsum(steps)])
    speed_mps, raw_speed_mps = distance_speeds(distance, stopped, dt, derived=derived)
    columns: dict[str, Any] = {
        "distance_m": distance,
        "speed_mps": speed_mps,
        "raw_speed_mps": raw_speed_mps,
        "gps_distance_m": measured.copy(),
        "on_track": on_track,
        "track_s_m": np.where(on_track, s1, np.nan),
        "track_offset_m": np.where(on_track, offset, np.nan),
        "track_lane": np.where(on_track, lane, np.nan),
    }
    corrected = frame.assign(**{k: pd.Series(v, index=frame.index) for k, v in columns.items()})
    return dataclasses.replace(grid, frame=corrected, speed_source=f"{source} ({grid.speed_source})")


def track_details(grid: SessionGrid, fit: TrackFit) -> dict[str, Any]:
    """The fit and the correction as plain JSON-ready values, for the segmentation's details.

    ``device_scale`` is the measured distance over the along-track distance on the track (the
    watch's over- or under-measurement there); ``rep_error_pct`` and ``rep_error_m`` make the
    error estimate of a distance ``d`` on the track: ``hypot(d * rep_error_pct / 100,
    rep_error_m)``.
    """
    relative, absolute = _error_model(grid, fit)
    frame = grid.frame
    on = frame["on_track"].to_numpy(dtype=bool) if "on_track" in frame else np.zeros(len(frame), dtype=bool)
    step_on = on[1:] & on[:-1]
    measured = np.nan_to_num(np.diff(frame["gps_distance_m"].to_numpy(dtype=np.float64))) if on.any() else None
    corrected = np.nan_to_num(np.diff(frame["distance_m"].to_numpy(dtype=np.float64)))
    track_m = float(corrected[step_on].sum()) if on.any() else 0.0
    device_scale = float(measured[step_on].sum()) / track_m if measured is not None and track_m > 0 else None
    lanes = frame["track_lane"].to_numpy(dtype=np.float64) if "track_lane" in frame else np.array([])
    used = sorted({int(n) for n in lanes[np.isfinite(lanes)]})
    return {
        "centre_lat_deg": round(fit.centre_lat_deg, 7),
        "centre_lon_deg": round(fit.centre_lon_deg, 7),
        "bearing_deg": round(fit.bearing_deg, 2),
        "direction": fit.direction,
        "scale": round(fit.scale, 4),
        "lane": fit.lane,
        "lanes": used,
        "residual_rms_m": round(fit.residual_rms_m, 2),
        "on_track_share": round(fit.on_track_share, 3),
        "coverage": round(fit.coverage, 3),
        "laps": round(fit.laps, 2),
        "quality": round(fit.quality, 3),
        "source": fit.source,
        "on_track_m": round(track_m, 1),
        "device_scale": None if device_scale is None else round(device_scale, 4),
        "rep_error_pct": round(100.0 * relative, 3),
        "rep_error_m": round(absolute, 2),
    }


def rep_distance_error_m(distance_m: float, details: Mapping[str, Any]) -> float:
    """Error estimate (one standard deviation) of a corrected distance on the track [m].

    ``details`` is :func:`track_details`' answer.
    """
    return math.hypot(distance_m * details["rep_error_pct"] / 100.0, details["rep_error_m"])


def _error_model(grid: SessionGrid, fit: TrackFit) -> tuple[float, float]:
    """Relative and absolute (one standard deviation) error of a corrected on-track distance.

    The lane: the median offset of the fast running is known to ``1.25 rms / sqrt(n)`` with
    ``n`` its duration over the GPS correlation time, and a lane offset error changes the length
    on the bends only. With a device distance, its scale is set over the on-track stretches:
    off by the GPS error at their two ends over their length. With the along-track distance,
    each end of a distance carries a GPS error of about the fit's residual.
    """
    frame = grid.frame
    on = frame["on_track"].to_numpy(dtype=bool)
    speed = np.nan_to_num(frame["speed_mps"].to_numpy(dtype=np.float64))
    fast = _fast_mask(speed, on, grid.dt_s)
    independent = max(fast.sum() * grid.dt_s / GPS_CORRELATION_S, 1.0)
    lane_sd_m = 1.2533 * fit.residual_rms_m / math.sqrt(independent)
    relative_lane = BEND_SHARE * lane_sd_m / LANE1_RADIUS_M
    if grid.speed_source.startswith("track-corrected"):
        starts, ends = _runs(on)
        distance = frame["distance_m"].to_numpy(dtype=np.float64)
        lengths = distance[ends - 1] - distance[starts]
        long = lengths >= SCALE_STRETCH_MIN_M
        total = float(lengths[long].sum()) if long.any() else float(lengths.sum())
        ends_count = 2 * max(int(long.sum()), 1)
        relative_scale = math.sqrt(ends_count) * fit.residual_rms_m / max(total, 1.0)
        return math.hypot(relative_lane, relative_scale), 0.0
    return relative_lane, math.sqrt(2.0) * fit.residual_rms_m


def _persistent(band: np.ndarray, dt_s: float) -> np.ndarray:
    """``band`` with short gaps bridged and short visits dropped."""
    mask = band.copy()
    starts, ends = _runs(~mask)
    for a, b in zip(starts, ends, strict=True):
        if a > 0 and b < len(mask) and (b - a) * dt_s < MAX_GAP_S:
            mask[a:b] = True
    starts, ends = _runs(mask)
    for a, b in zip(starts, ends, strict=True):
        if (b - a) * dt_s < MIN_ON_TRACK_S:
            mask[a:b] = False
    return mask


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indices of the runs of True in ``mask``."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _fast_mask(speed: np.ndarray, on: np.ndarray, dt_s: float) -> np.ndarray:
    """Fast running on the track (reps and kicks), as opposed to warm-up jogs, walks and rests.

    The rep level is the top decile of the on-track speed smoothed over
    :data:`FAST_SMOOTHING_S` (kicks are too short to reach it); warm-ups run at about 80 % of
    the rep speed, recovery jogs slower.
    """
    smooth = rolling_mean(speed, FAST_SMOOTHING_S / dt_s)
    moving = smooth[on & (speed > MOVING_MPS)]
    if not len(moving):
        return np.zeros(len(speed), dtype=bool)
    return on & (smooth >= FAST_SHARE * float(np.quantile(moving, FAST_LEVEL_QUANTILE)))


def _lanes(offset: np.ndarray, on: np.ndarray, speed: np.ndarray, dt_s: float) -> np.ndarray:
    """Lane of each on-track sample: the session's lane for fast or slow running, unless a
    stretch is clearly in another."""
    lane = np.full(len(offset), np.nan)
    fast = _fast_mask(speed, on, dt_s)
    moving = speed > MOVING_MPS
    for kind in (fast, ~fast):
        members = on & kind
        if not members.any():
            continue
        pool = offset[members & moving] if (members & moving).any() else offset[members]
        session_offset = _trimmed_mean(pool)
        session_lane = nearest_lane(session_offset)
        spread = 1.4826 * float(np.median(np.abs(pool - np.median(pool))))
        starts, ends = _runs(members)
        for a, b in zip(starts, ends, strict=True):
            chosen = session_lane
            stretch = offset[a:b][moving[a:b]]
            duration = (b - a) * dt_s
            if duration >= LANE_STRETCH_MIN_S and len(stretch):
                stretch_offset = _trimmed_mean(stretch)
                # The stretch's own offset is uncertain by the GPS error over its independent
                # stretches of time; only a clear difference moves it out of the session's lane.
                standard_error = 1.2533 * spread / math.sqrt(max(duration / GPS_CORRELATION_S, 1.0))
                if abs(stretch_offset - session_offset) > max(LANE_EVIDENCE_M, 3.0 * standard_error):
                    chosen = nearest_lane(stretch_offset)
            lane[a:b] = chosen
    return lane


def _trimmed_mean(values: np.ndarray, share: float = 0.2) -> float:
    """Mean of ``values`` without the lowest and highest ``share`` of them."""
    low, high = np.quantile(values, [share, 1.0 - share])
    inside = values[(values >= low) & (values <= high)]
    return float(np.mean(inside)) if len(inside) else float(np.median(values))


def _path_length(s1: np.ndarray, on: np.ndarray, lane: np.ndarray) -> np.ndarray:
    """Cumulative along-track path length on the lanes run, flat off the track [m]."""
    steps = np.mod(np.diff(s1) + LAP_M / 2.0, LAP_M) - LAP_M / 2.0
    both = on[1:] & on[:-1]
    steps = np.where(both & np.isfinite(steps), steps, 0.0)
    middle = np.mod(s1[:-1] + steps / 2.0, LAP_M)
    bend_end = math.pi * LANE1_RADIUS_M
    back_end = bend_end + trackshape.STRAIGHT_M
    with np.errstate(invalid="ignore"):
        bend = (middle < bend_end) | ((middle >= back_end) & (middle < back_end + bend_end))
    lane_offset = np.array([np.nan, *(trackshape.lane_offset_m(n) for n in range(1, 9))])
    step_lane = np.nan_to_num(np.fmax(lane[1:], lane[:-1]), nan=1.0).astype(int)
    stretch = np.where(bend, 1.0 + lane_offset[step_lane] / LANE1_RADIUS_M, 1.0)
    return np.concatenate([[0.0], np.cumsum(steps * stretch)])


def _slow_correction(lead_m: np.ndarray, on: np.ndarray, dt_s: float) -> np.ndarray:
    """Steps that make the scaled device distance follow the track's along-track distance slowly.

    ``lead_m`` is how far the along-track distance is ahead of the scaled device distance. On
    each on-track stretch (without its ends, where the runner crosses the lanes), its change
    smoothed over :data:`FUSION_WINDOW_S` is added: the device's slowly drifting bias is taken
    out, the GPS error, which changes faster, is not let in.
    """
    steps = np.zeros(len(lead_m) - 1)
    if not math.isfinite(FUSION_WINDOW_S):
        return steps
    trim = round(SCALE_TRIM_S / dt_s)
    starts, ends = _runs(on)
    for a, b in zip(starts, ends, strict=True):
        if b - a <= 4 * trim:
            continue
        lead = lead_m[a:b].copy()
        lead[:trim] = lead[trim]
        lead[-trim:] = lead[-trim - 1]
        smooth = rolling_mean(lead - lead[0], FUSION_WINDOW_S / dt_s)
        steps[a : b - 1] = np.diff(smooth)
    return steps


def _summed_scale(measured_steps: np.ndarray, track_steps: np.ndarray, chosen: np.ndarray) -> float | None:
    """Measured over along-track distance summed over the ``chosen`` steps."""
    track = float(track_steps[chosen].sum())
    if track < LAP_M:
        return None
    scale = float(measured_steps[chosen].sum()) / track
    return scale if SCALE_LIMITS[0] <= scale <= SCALE_LIMITS[1] else None


def _device_scale(measured: np.ndarray, path: np.ndarray, on: np.ndarray, dt_s: float) -> float | None:
    """Measured over along-track distance on the track, from the long on-track stretches.

    The ends of each stretch are left out: walking onto the track across the lanes adds
    distance but no progress along them.
    """
    starts, ends = _runs(on)
    trim = round(SCALE_TRIM_S / dt_s)
    long_enough = ends - starts > 4 * trim
    starts, ends = starts[long_enough] + trim, ends[long_enough] - trim
    if not len(starts):
        return None
    device = np.nan_to_num(measured[ends - 1] - measured[starts])
    track = path[ends - 1] - path[starts]
    long = track >= SCALE_STRETCH_MIN_M
    if not long.any():
        long = track > 0
    if track[long].sum() < LAP_M / 2.0:
        return None
    scale = float(device[long].sum() / track[long].sum())
    return scale if SCALE_LIMITS[0] <= scale <= SCALE_LIMITS[1] else None
