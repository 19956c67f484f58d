"""Correction: the distance run on the track, measured on its running lines.

Each on-track position is projected onto lane 1's running line (along-track ``s``, cross-track
offset). On the bends a lane's line is longer than lane 1's by ``1 + lane offset / 36.80 m``
(lane 2: 407.04 m a lap), on the straights not at all. Summing the projected steps on the
line of the lane run gives a path length that does not accumulate cross-track noise: a runner
zig-zagging by GPS error adds nothing, and a lap is a lap.

The lane is estimated from the mean cross-track offset of the recorded fixes (never of the
positions interpolated between them, which cut the bends when fixes are seconds apart),
separately for the fast running (the reps and kicks) and the rest (warm-up jogs, walks,
recoveries), which are usually run in different lanes. GPS error moves a single rep by a lane
width easily, the mean of all reps rarely; so every stretch keeps its kind's lane unless it is
clearly elsewhere. The reps' lane has a prior: lane 1, where fast running goes at a track,
unless the positions say clearly otherwise (how clearly: the scatter of the reps' own mean
offsets, see :func:`~.lanes.reps_lane`).

The along-track distance sets the scale, the measured distance the detail:

* ``k = measured metres / along-track metres`` over the fast running on the track, one figure
  for the session. On the track the corrected distance grows by ``measured step / k``, so the
  shape of every ramp, and every speed-based boundary, stays the measured one: a device's
  distance is precise from second to second and only off in scale by a few percent, and a
  distance summed from positions (GPX) is rescaled the same way. A scale following the device's
  slow drift was tried: it moved boundaries set from the distance by the GPS error at the ends
  of the nearby reps, for a gain in distance smaller than that noise.
* Without enough fast running on the track to set the scale, the along-track distance itself
  (never decreasing) is the distance on the track.

Off the track (a warm-up on roads, the walk to the start) the distance grows as it was
measured, so the corrected distance stays continuous with the device's. Positions whose offset
is outside the lanes by more than the fit's gate are off the track; so are on-track visits
shorter than :data:`MIN_ON_TRACK_S`, and GPS excursions shorter than :data:`MAX_GAP_S` are
bridged.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import trackshape
from ..clean import SessionGrid, distance_speeds
from ..units import MOVING_SPEED_MPS, median_standard_error, nan_as_zero, robust_sd
from .lanes import (
    GPS_CORRELATION_S,
    LANE1_RADIUS_M,
    fast_running,
    likeliest_lane,
    nearest_lane,
    on_bend,
    on_track_band,
    on_track_steps,
    recorded_fixes,
    smooth_speed,
    trimmed_mean,
)
from .recognise import LAP_M, TrackFit, TrackPositions

__all__ = ["TRACK_COLUMNS", "TrackCorrection", "correct_grid", "track_correction"]

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
#: The first and last seconds of each visit to the track do not set the scale [s].
SETTLE_S = 20.0
#: The scale needs at least this much fast running on the track [m], and is trusted between
#: these values.
SCALE_MIN_M = trackshape.lap_length_m(1)
SCALE_LIMITS = (0.8, 1.25)
#: Offset of each lane's running line from lane 1's [m], by lane number (none for lane 0).
_LANE_OFFSET_M = np.array([np.nan, *(trackshape.lane_offset_m(n) for n in range(1, 9))])
#: A lane further out is this much longer, as a share of the lap (lane 2 on lane 1: 1.8 %).
LANE_STEP = (trackshape.lap_length_m(2) - trackshape.lap_length_m(1)) / LAP_M


def correct_grid(grid: SessionGrid, fit: TrackFit, positions: TrackPositions | None = None) -> SessionGrid:
    """The session with its on-track distance measured on the track's running lines.

    Parameters
    ----------
    grid
        The session on its uniform grid (:func:`hardkick_analyze.clean.make_grid`); not modified.
    fit
        Where the track is (:func:`hardkick_analyze.track.fit_track`).
    positions
        The grid's positions on that track, when the fit measured them already
        (:func:`~.recognise.fit_track_positions`); else they are projected here.

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
    if positions is None:
        positions = TrackPositions.of(fit, grid)
    s1, offset = positions.s_m, positions.offset_m
    finite = np.isfinite(offset)
    on_track = _persistent(finite & on_track_band(offset, fit.gate_m), dt)
    speed = nan_as_zero(frame["speed_mps"].to_numpy(dtype=np.float64))
    fast = fast_running(speed, positions.smooth_speed_mps, on_track)
    lane = _lanes(offset, s1, on_track, fast, speed, recorded_fixes(grid), dt, fit.lane)
    path = _path_length(s1, positions.steps_m, on_track, lane)
    measured = frame["distance_m"].to_numpy(dtype=np.float64)
    distance, source = _track_distance(measured, path, on_track, fast, dt)
    stopped = frame["stopped"].to_numpy(dtype=bool)
    speed_mps, raw_speed_mps = distance_speeds(distance, stopped, dt, derived=grid.speed_source.startswith("derived"))
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
    corrected = frame.assign(**columns)
    return dataclasses.replace(grid, frame=corrected, speed_source=f"{source} ({grid.speed_source})")


@dataclass(frozen=True, slots=True, kw_only=True)
class TrackCorrection:
    """The track stage's answer: the fitted track and how the distance was corrected on it.

    ``device_scale`` is the measured distance over the along-track distance on the track (the
    watch's over- or under-measurement there); ``rep_error_pct`` and ``rep_error_m`` make the
    error estimate of a distance on the track (:meth:`distance_error_m`); ``lanes`` are the lanes
    the running was in, ``on_track_m`` the distance run on the track [m].
    """

    fit: TrackFit
    lanes: tuple[int, ...]
    on_track_m: float
    device_scale: float | None
    rep_error_pct: float
    rep_error_m: float

    def distance_error_m(self, distance_m: float) -> float:
        """Error estimate (one standard deviation) of a corrected distance on the track [m]."""
        return math.hypot(distance_m * self.rep_error_pct / 100.0, self.rep_error_m)


def _track_distance(
    measured: np.ndarray, path: np.ndarray, on_track: np.ndarray, fast_on_track: np.ndarray, dt_s: float
) -> tuple[np.ndarray, str]:
    """The session's distance [m] with its on-track steps rescaled to the track (or, when no
    scale can be read from the fast running, taken along the track), and how it was made."""
    step_on = on_track[1:] & on_track[:-1]
    measured_steps = nan_as_zero(np.diff(measured))
    fast = fast_on_track & _settled(on_track, dt_s)
    fast_steps = step_on & fast[1:] & fast[:-1]
    scale = _scale(measured_steps, np.diff(path), fast_steps)
    if scale is not None:
        steps = np.where(step_on, measured_steps / scale, measured_steps)
        source = "track-scaled distance"
    else:
        steps = np.where(step_on, np.diff(np.maximum.accumulate(path)), measured_steps)
        source = "track along-track distance"
    start = measured[0] if np.isfinite(measured[0]) else 0.0
    # Measured distances never decrease; a step back (a reader's rounding) is not distance run.
    return start + np.concatenate([[0.0], np.cumsum(np.maximum(steps, 0.0))]), source


def track_correction(grid: SessionGrid, fit: TrackFit) -> TrackCorrection:
    """What the correction of ``grid`` (see :func:`correct_grid`) on the track ``fit`` did."""
    relative, absolute = _error_model(grid, fit)
    frame = grid.frame
    on = frame["on_track"].to_numpy(dtype=bool) if "on_track" in frame else np.zeros(len(frame), dtype=bool)
    step_on = on[1:] & on[:-1]
    measured = nan_as_zero(np.diff(frame["gps_distance_m"].to_numpy(dtype=np.float64))) if on.any() else None
    corrected = nan_as_zero(np.diff(frame["distance_m"].to_numpy(dtype=np.float64)))
    track_m = float(corrected[step_on].sum()) if on.any() else 0.0
    device_scale = float(measured[step_on].sum()) / track_m if measured is not None and track_m > 0 else None
    lanes = frame["track_lane"].to_numpy(dtype=np.float64) if "track_lane" in frame else np.array([])
    return TrackCorrection(
        fit=fit,
        lanes=tuple(int(n) for n in np.unique(lanes[np.isfinite(lanes)]).tolist()),
        on_track_m=track_m,
        device_scale=device_scale,
        rep_error_pct=100.0 * relative,
        rep_error_m=absolute,
    )


def _error_model(grid: SessionGrid, fit: TrackFit) -> tuple[float, float]:
    """Relative and absolute error (one standard deviation) of a corrected on-track distance.

    The lane: with the probability ``1 - lane_probability`` the reps were run a lane further out
    or in, 7 m a lap (1.8 %) off. The scale: the along-track distance of each fast stretch
    carries the GPS error at its two ends (about the fit's residual). A distance summed from
    positions also carries it at the two ends of any distance measured on it.
    """
    frame = grid.frame
    on = frame["on_track"].to_numpy(dtype=bool)
    speed = nan_as_zero(frame["speed_mps"].to_numpy(dtype=np.float64))
    fast = fast_running(speed, smooth_speed(speed, grid.dt_s), on)
    relative_lane = LANE_STEP * math.sqrt(max(1.0 - fit.lane_probability, 0.0))
    starts, ends = _runs(fast)
    distance = frame["distance_m"].to_numpy(dtype=np.float64)
    total = float(np.sum(distance[ends - 1] - distance[starts])) if len(starts) else 0.0
    relative_scale = math.sqrt(2.0 * max(len(starts), 1)) * fit.residual_rms_m / max(total, 1.0)
    relative = math.hypot(relative_lane, relative_scale)
    from_positions = "derived" in grid.speed_source or grid.speed_source.startswith("track along-track")
    return relative, math.sqrt(2.0) * fit.residual_rms_m if from_positions else 0.0


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


def _settled(on: np.ndarray, dt_s: float) -> np.ndarray:
    """On the track, and not in the first or last :data:`SETTLE_S` of a visit: a runner coming
    onto the track crosses the lanes, adding distance but no progress along them."""
    settled = on.copy()
    trim = round(SETTLE_S / dt_s)
    starts, ends = _runs(on)
    for a, b in zip(starts, ends, strict=True):
        settled[a : min(a + trim, b)] = False
        settled[max(b - trim, a) : b] = False
    return settled


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indices of the runs of True in ``mask``."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _lanes(
    offset: np.ndarray,
    s1: np.ndarray,
    on: np.ndarray,
    fast: np.ndarray,
    speed: np.ndarray,
    fixes: np.ndarray,
    dt_s: float,
    reps_lane: int,
) -> np.ndarray:
    """Lane of each on-track sample: ``reps_lane`` for the ``fast`` running, the likeliest lane of
    the rest for the rest, unless a stretch is clearly in another (offsets of the recorded
    ``fixes`` only, those on the bends unbiased as in :func:`~.lanes.reps_lane`)."""
    lane = np.full(len(offset), np.nan)
    moving = speed > MOVING_SPEED_MPS
    moving_fixes = moving & fixes
    bend = on_bend(s1)
    for kind in (fast, ~fast):
        members = on & kind
        if not members.any():
            continue
        chosen_samples = members & moving if (members & moving).any() else members
        duration_s = float(chosen_samples.sum()) * dt_s
        if (chosen_samples & fixes).any():
            chosen_samples = chosen_samples & fixes
        pool = offset[chosen_samples]
        spread = robust_sd(pool)
        unbiased = offset - np.where(bend, spread**2 / (2.0 * LANE1_RADIUS_M), 0.0)
        session_offset = trimmed_mean(unbiased[chosen_samples])
        independent = max(duration_s / GPS_CORRELATION_S, 1.0)
        session_sd = median_standard_error(spread, independent)
        session_lane = reps_lane if kind is fast else likeliest_lane(session_offset, session_sd, None)[0]
        starts, ends = _runs(members)
        for a, b in zip(starts, ends, strict=True):
            lane[a:b] = session_lane
            duration = (b - a) * dt_s
            if duration < LANE_STRETCH_MIN_S:
                continue
            measured = moving_fixes[a:b]
            stretch = unbiased[a:b][measured if measured.any() else moving[a:b]]
            if not len(stretch):
                continue
            stretch_offset = trimmed_mean(stretch)
            # The stretch's own offset is uncertain by the GPS error over its independent
            # stretches of time; only a clear difference moves it out of the session's lane.
            standard_error = median_standard_error(spread, max(duration / GPS_CORRELATION_S, 1.0))
            if abs(stretch_offset - session_offset) > max(LANE_EVIDENCE_M, 3.0 * standard_error):
                lane[a:b] = nearest_lane(stretch_offset)
    return lane


def _path_length(s1: np.ndarray, steps_m: np.ndarray, on: np.ndarray, lane: np.ndarray) -> np.ndarray:
    """Cumulative along-track path length on the lanes run (the ``steps_m`` between positions
    ``s1`` on the track), flat off the track [m]."""
    steps = on_track_steps(steps_m, on)
    bend = on_bend(trackshape.wrapped(s1[:-1] + steps / 2.0, LAP_M))
    step_lane = np.nan_to_num(np.fmax(lane[1:], lane[:-1]), nan=1.0).astype(int)
    stretch = np.where(bend, 1.0 + _LANE_OFFSET_M[step_lane] / LANE1_RADIUS_M, 1.0)
    return np.concatenate([[0.0], np.cumsum(steps * stretch)])


def _scale(measured_steps: np.ndarray, track_steps: np.ndarray, chosen: np.ndarray) -> float | None:
    """Measured over along-track distance summed over the ``chosen`` steps; None when too short
    or implausible."""
    track = float(track_steps[chosen].sum())
    if track < SCALE_MIN_M:
        return None
    scale = float(measured_steps[chosen].sum()) / track
    return scale if SCALE_LIMITS[0] <= scale <= SCALE_LIMITS[1] else None
