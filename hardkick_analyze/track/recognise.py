"""Detection: was this session run on a standard 400 m track, and where is the track?

The track's shape is known exactly (:mod:`hardkick_analyze.trackshape`): two 84.39 m straights
and two bends whose lane 1 running line has a radius of 36.80 m. What is unknown is where it
lies: its centre, the compass bearing of its straights, plus a scale (1 for a standard track;
fitted only as evidence) and the runner's mean cross-track offset (the lane). The distance of a
point from the running line has a closed form: a stadium is the set of points at distance R
from a segment of length 84.39 m, so ``offset = hypot(max(|u| - 42.195, 0), v) - R`` in the
track frame.

The fit, on the positions of the uniform grid:

1. Candidate bearings: the straights show as peaks in the histogram of travel directions of the
   fast running (modulo 180 degrees), plus the principal axis of those positions.
2. Candidate centres: for each bearing, a grid search over centres, scoring a truncated squared
   distance of the fast positions to the running line (roads and warm-up loops cost a constant;
   :mod:`.search`).
3. Refinement: iteratively reweighted (Huber) Gauss-Newton of every moving position's distance
   to the line over centre, bearing and mean offset at scale 1; positions further than a gate
   are off the track and weigh nothing. The Jacobian is the offset's derivative in closed form.
4. Acceptance: small residuals, most of the fast running on the line, the whole lap covered,
   a mean offset inside the lanes, and then (refined once more with the scale free, for a fit
   that passes the rest) a scale near 1. A FIT file recorded in a track mode (``sub_sport``
   track) is trusted with looser limits. A 200 m indoor track has half the scale and is
   rejected, as is any other oval. The positions measured for the acceptance are handed to the
   correction (:func:`fit_track_positions`), which does not project them again.

The running direction (anticlockwise is the rule, clockwise happens) is read from the sign of
the along-track motion; the track frame is mirrored for a clockwise session so that the rest of
the package always sees an anticlockwise track.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .. import trackshape
from ..clean import SessionGrid, position_origin_deg
from ..geo import latlon_from_xy_m
from ..models import Activity
from ..units import MOVING_SPEED_MPS, median, nan_as_zero, quantile, robust_sd
from .lanes import (
    LANE1_RADIUS_M,
    LANES,
    along_track_steps,
    fast_running,
    on_track_band,
    on_track_steps,
    recorded_fixes,
    reps_lane,
    smooth_speed,
)
from .search import HALF_STRAIGHT_M, best_candidate, thin, to_axis_frame

__all__ = ["LAP_M", "TrackFit", "TrackPositions", "fit_track", "fit_track_positions", "stadium_offset_m"]

TrackSource = Literal["fit", "sub_sport"]
Direction = Literal["anticlockwise", "clockwise"]

#: Lap of lane 1 [m].
LAP_M = trackshape.lap_length_m(1)
#: Fast running, the part the candidates come from: above this quantile of the moving speed
#: (reps are 10-25 % of a session's moving time; a warm-up jog on the roads is below it).
FAST_QUANTILE = 0.9
#: Positions used by the refinement, at most this many (evenly thinned) [-].
MAX_FIT_POINTS = 1500
#: Refinement: Huber threshold in robust standard deviations, positions beyond the gate weigh
#: nothing, iterations.
HUBER_K = 1.5
REFINE_GATE_M = 20.0
REFINE_ITERATIONS = 12
#: Priors that keep an ill-covered fit from wandering: scale about 1, mean offset in the lanes.
SCALE_PRIOR_SD = 0.05
OFFSET_PRIOR_SD_M = 4.0
#: Prior standard deviation that holds a parameter at its start.
FIXED = 1e-6
#: Added to the refinement's normal matrix, so that it is never singular.
_RIDGE = 1e-9 * np.eye(5)
#: A position is on the track within this many robust standard deviations of the line (at least
#: :data:`MIN_GATE_M`, at most :data:`MAX_GATE_M`), measured outside the lanes in use [m].
GATE_SD = 3.0
MIN_GATE_M = 4.0
MAX_GATE_M = 15.0
#: Along-track bins the lap is cut into to measure coverage, and samples a bin needs.
COVERAGE_BINS = 40
COVERAGE_MIN_SAMPLES = 2
#: Acceptance limits: inlier RMS [m], share of fast running on the line, share of the lap
#: covered, laps run on the line, scale, mean offset [m].
MAX_RESIDUAL_RMS_M = 6.0
MIN_FAST_ON_TRACK = 0.6
MIN_COVERAGE = 0.8
MIN_LAPS = 2.0
#: The scale trades against the mean offset when the fixes are sparse on the straights (smart
#: recording) and the GPS error is metres: standard tracks fit 0.94-1.04 on the simulator's
#: track sessions, 0.98-1.02 on the real ones; a 200 m indoor track fits 0.5.
SCALE_LIMITS = (0.92, 1.08)
OFFSET_LIMITS_M = (-3.0, trackshape.lane_offset_m(LANES) + 3.0)
#: Every position counted on the track is within this distance of its centre: half a straight,
#: lane 1's radius, the lanes and the widest gate, and a metre for rounding [m].
TRACK_REACH_M = HALF_STRAIGHT_M + LANE1_RADIUS_M + trackshape.lane_offset_m(LANES) + MAX_GATE_M + 1.0
#: A file recorded in a track mode is trusted with these looser limits.
TRUSTED_MIN_COVERAGE = 0.5
TRUSTED_MAX_RESIDUAL_RMS_M = 10.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TrackFit:
    """Where the 400 m track lies, and how well the positions fit it.

    Attributes
    ----------
    centre_x_m, centre_y_m
        Centre of the infield in the grid's local east/north frame [m].
    centre_lat_deg, centre_lon_deg
        The same, WGS84 [deg].
    bearing_deg
        Compass bearing of the straights, in ``[0, 180)`` [deg from north].
    direction
        ``'anticlockwise'`` (the rule) or ``'clockwise'``.
    scale
        Fitted size over a standard track's (1 for a standard track; evidence only: the
        correction uses the standard geometry) [-].
    mean_offset_m
        Mean cross-track offset of the positions on the track from lane 1's running line [m].
    lane, lane_probability
        Lane of the fast running (1-8): the likeliest given its mean offset (see
        :func:`reps_lane`), and the probability that it is the lane run [-].
    residual_rms_m
        RMS distance of the on-track positions from the fitted line (about the mean offset) [m].
    gate_m
        How far outside the lanes a position may be and still count as on the track [m].
    on_track_share
        Share of the moving positions on the track [-].
    fast_on_track_share
        Share of the fast running on the track [-].
    coverage
        Share of the lap's along-track bins the on-track positions visit [-].
    laps
        Laps run on the track (along-track distance on lane 1 / 400 m) [-].
    quality
        ``coverage * fast_on_track_share * (1 - residual_rms_m / MAX_RESIDUAL_RMS_M)``,
        clipped to ``[0, 1]`` [-].
    source
        ``'fit'`` (found in the positions) or ``'sub_sport'`` (the file says track mode).
    """

    centre_x_m: float
    centre_y_m: float
    centre_lat_deg: float
    centre_lon_deg: float
    bearing_deg: float
    direction: Direction
    scale: float
    mean_offset_m: float
    lane: int
    lane_probability: float
    residual_rms_m: float
    gate_m: float
    on_track_share: float
    fast_on_track_share: float
    coverage: float
    laps: float
    quality: float
    source: TrackSource

    def track_xy_m(self, x_m: np.ndarray, y_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Grid positions [m] in the track frame of :mod:`~hardkick_analyze.trackshape` [m].

        A clockwise session is mirrored, so the runner always goes anticlockwise in this frame.
        """
        mirror = -1.0 if self.direction == "clockwise" else 1.0
        u, v = to_axis_frame(np.asarray(x_m, dtype=np.float64), np.asarray(y_m, dtype=np.float64), self._params())
        return u, mirror * v

    def _params(self) -> np.ndarray:
        return np.array([self.centre_x_m, self.centre_y_m, math.radians(self.bearing_deg), 1.0, 0.0])


def stadium_offset_m(u_m: np.ndarray, v_m: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Signed distance from lane 1's running line of a track ``scale`` times standard size [m].

    ``u_m``/``v_m`` are along and across the straights from the centre [m]; positive outwards.
    """
    along = np.maximum(np.abs(u_m) - HALF_STRAIGHT_M * scale, 0.0)
    return np.hypot(along, v_m) - LANE1_RADIUS_M * scale


@dataclass(frozen=True, slots=True, kw_only=True)
class TrackPositions:
    """The grid's positions on a fitted track, in the frame of :meth:`TrackFit.track_xy_m`: along
    lane 1's running line from the finish line (``s_m``) and across it, positive outwards
    (``offset_m``) [m], NaN where the grid has no position; the steps along the line between
    consecutive positions (``steps_m``, :func:`~.lanes.along_track_steps`) [m]. And, read on the
    way too, the grid's speed (NaN as 0) smoothed for :func:`~.lanes.fast_running`
    (``smooth_speed_mps``, :func:`~.lanes.smooth_speed`) [m/s]."""

    s_m: np.ndarray
    offset_m: np.ndarray
    steps_m: np.ndarray
    smooth_speed_mps: np.ndarray

    @classmethod
    def of(cls, fit: TrackFit, grid: SessionGrid) -> TrackPositions:
        """The positions of ``grid`` on the track ``fit``."""
        frame = grid.frame
        east, north = (frame[name].to_numpy(dtype=np.float64) for name in ("x_m", "y_m"))
        s, offset = trackshape.project_xy_m(*fit.track_xy_m(east, north))
        speed = nan_as_zero(frame["speed_mps"].to_numpy(dtype=np.float64))
        return cls(
            s_m=s, offset_m=offset, steps_m=along_track_steps(s), smooth_speed_mps=smooth_speed(speed, grid.dt_s)
        )


def fit_track(grid: SessionGrid, activity: Activity) -> TrackFit | None:
    """Fit the standard 400 m track to the session's positions, or say there is none.

    Parameters
    ----------
    grid
        The session on its uniform grid (``x_m``/``y_m`` positions, ``speed_mps``).
    activity
        The activity the grid came from: its positions' origin, and its ``sub_sport`` (a file
        recorded in a track mode is trusted as a track session).

    Returns
    -------
    TrackFit or None
        None when the file has no positions or the positions are not a run on a 400 m track.
    """
    return fit_track_positions(grid, activity)[0]


def fit_track_positions(grid: SessionGrid, activity: Activity) -> tuple[TrackFit | None, TrackPositions | None]:
    """:func:`fit_track`, and the grid's positions on the track found, measured on the way (None
    for a clockwise session, whose positions are mirrored, or without a track)."""
    frame = grid.frame
    x = frame["x_m"].to_numpy(dtype=np.float64)
    y = frame["y_m"].to_numpy(dtype=np.float64)
    speed = nan_as_zero(frame["speed_mps"].to_numpy(dtype=np.float64))
    # Without a position origin (no GPS) the grid has no positions, and nothing is moving here.
    moving = np.isfinite(x) & np.isfinite(y) & (speed > MOVING_SPEED_MPS) & ~frame["stopped"].to_numpy(dtype=bool)
    if moving.sum() < 60:
        return None, None
    fast = moving & (speed >= quantile(speed[moving], FAST_QUANTILE))
    trusted = activity.metadata.sub_sport == "track"
    if not trusted and not _could_be_on_one_track(x[fast], y[fast]):
        return None, None
    best = best_candidate(x, y, np.flatnonzero(fast), grid.dt_s)
    if best is None:
        return None, None
    # The positions recorded, not the ones interpolated between them: between fixes far apart
    # (smart recording) a straight line cuts the bends, and the track would look small.
    fixes = recorded_fixes(grid)
    fit_idx = thin(np.flatnonzero(moving & fixes if (moving & fixes).sum() >= 60 else moving), MAX_FIT_POINTS)
    # The track is standard: its centre, bearing and the lanes are fitted at scale 1. The scale
    # is fitted afterwards as evidence only (GPS error trades it against the mean offset), and
    # only for a fit that passes the other limits.
    fit_x, fit_y = x[fit_idx], y[fit_idx]
    params, sigma = _refine(best, fit_x, fit_y, scale_sd=FIXED)
    measured = _measure(params, _spread(params, fit_x, fit_y, sigma), x, y, speed, fast, trusted=trusted)
    if measured is None:
        return None, None
    scale = float(_refine(params, fit_x, fit_y, scale_sd=SCALE_PRIOR_SD)[0][3])
    origin = position_origin_deg(activity.track)
    if origin is None or not SCALE_LIMITS[0] <= scale <= SCALE_LIMITS[1]:
        return None, None
    smooth = smooth_speed(speed, grid.dt_s)
    fit = _track_fit(measured, scale, speed, smooth, fixes, origin, grid.dt_s, trusted=trusted)
    if fit.direction == "clockwise":
        return fit, None
    positions = TrackPositions(
        s_m=measured.s_m, offset_m=measured.offset_m, steps_m=measured.steps_m, smooth_speed_mps=smooth
    )
    return fit, positions


def _could_be_on_one_track(east_m: np.ndarray, north_m: np.ndarray) -> bool:
    """Whether :data:`MIN_FAST_ON_TRACK` of the fast positions [m] could be on one track.

    A position on the track is within :data:`TRACK_REACH_M` of its centre. When more than half
    of the positions are, so are their median east and north, each on its own axis; the
    positions on the track are then within ``(1 + sqrt 2)`` times that of the medians. A run on
    the roads fails this at once, and pays no search.
    """
    reach = (1.0 + math.sqrt(2.0)) * TRACK_REACH_M
    near = np.hypot(east_m - median(east_m), north_m - median(north_m)) <= reach
    return len(near) > 0 and float(near.mean()) >= MIN_FAST_ON_TRACK


@dataclass(frozen=True, slots=True, kw_only=True)
class _Measures:
    """A fit measured on every moving position (:func:`_measure`)."""

    params: np.ndarray
    s_m: np.ndarray
    offset_m: np.ndarray
    steps_m: np.ndarray
    on: np.ndarray
    along_m: float
    gate_m: float
    residual_rms_m: float
    coverage: float
    fast_share: float
    on_track_share: float


def _measure(
    params: np.ndarray,
    sigma: float,
    x: np.ndarray,
    y: np.ndarray,
    speed: np.ndarray,
    fast: np.ndarray,
    *,
    trusted: bool,
) -> _Measures | None:
    """Measure the fit on every moving position; None when it fails a limit other than the
    scale's."""
    moving = np.isfinite(x) & np.isfinite(y) & (speed > MOVING_SPEED_MPS)
    cx, cy, bearing, _, mean_offset = (float(p) for p in params)
    gate = float(np.clip(GATE_SD * sigma, MIN_GATE_M, MAX_GATE_M))
    # Measured in the frame the fit reports (its bearing in [0, 180) degrees), where the
    # correction reads the same positions.
    u, v = to_axis_frame(x, y, np.array([cx, cy, math.radians(math.degrees(bearing) % 180.0)]))
    s, offset = trackshape.project_xy_m(u, v)
    on = moving & on_track_band(offset, gate)
    on_count = int(on.sum())
    if on_count < 20:
        return None
    residual = offset[on] - mean_offset
    rms = float(np.sqrt(np.mean(residual**2)))
    bins = np.floor(s[on] / LAP_M * COVERAGE_BINS).astype(int) % COVERAGE_BINS
    coverage = float(np.mean(np.bincount(bins, minlength=COVERAGE_BINS) >= COVERAGE_MIN_SAMPLES))
    fast_share = float(on[fast].mean()) if fast.any() else 0.0
    steps = along_track_steps(s)
    along = float(on_track_steps(steps, on).sum())
    if not _accepted(rms, coverage, mean_offset, fast_share, abs(along) / LAP_M, trusted=trusted):
        return None
    return _Measures(
        params=params,
        s_m=s,
        offset_m=offset,
        steps_m=steps,
        on=on,
        along_m=along,
        gate_m=gate,
        residual_rms_m=rms,
        coverage=coverage,
        fast_share=fast_share,
        on_track_share=on_count / float(moving.sum()),
    )


def _track_fit(
    measured: _Measures,
    scale: float,
    speed: np.ndarray,
    smooth: np.ndarray,
    fixes: np.ndarray,
    origin: tuple[float, float],
    dt_s: float,
    *,
    trusted: bool,
) -> TrackFit:
    """The accepted fit, with the lane of the fast running (``smooth``: :func:`~.lanes.smooth_speed`)
    read on the recorded ``fixes``."""
    cx, cy, bearing, _, mean_offset = (float(p) for p in measured.params)
    lat, lon = latlon_from_xy_m(np.array([cx]), np.array([cy]), *origin)
    on = measured.on
    reps = fast_running(speed, smooth, on)
    reps = reps if reps.any() else on
    lane, lane_probability = reps_lane(measured.offset_m, measured.s_m, reps, fixes, dt_s)
    rms, coverage = measured.residual_rms_m, measured.coverage
    return TrackFit(
        centre_x_m=cx,
        centre_y_m=cy,
        centre_lat_deg=float(lat[0]),
        centre_lon_deg=float(lon[0]),
        bearing_deg=math.degrees(bearing) % 180.0,
        direction="clockwise" if measured.along_m < 0 else "anticlockwise",
        scale=scale,
        mean_offset_m=mean_offset,
        lane=lane,
        lane_probability=lane_probability,
        residual_rms_m=rms,
        gate_m=measured.gate_m,
        on_track_share=measured.on_track_share,
        fast_on_track_share=measured.fast_share,
        coverage=coverage,
        laps=abs(measured.along_m) / LAP_M,
        quality=float(np.clip(coverage * measured.fast_share * (1.0 - rms / MAX_RESIDUAL_RMS_M), 0.0, 1.0)),
        source="sub_sport" if trusted else "fit",
    )


def _accepted(
    rms: float, coverage: float, mean_offset: float, fast_share: float, laps: float, *, trusted: bool
) -> bool:
    """Whether a fit passes the limits other than the scale's (looser for a file recorded in a
    track mode)."""
    max_rms = TRUSTED_MAX_RESIDUAL_RMS_M if trusted else MAX_RESIDUAL_RMS_M
    min_coverage = TRUSTED_MIN_COVERAGE if trusted else MIN_COVERAGE
    return (
        rms <= max_rms
        and coverage >= min_coverage
        and OFFSET_LIMITS_M[0] <= mean_offset <= OFFSET_LIMITS_M[1]
        and (trusted or (fast_share >= MIN_FAST_ON_TRACK and laps >= MIN_LAPS))
    )


def _refine(start: np.ndarray, x: np.ndarray, y: np.ndarray, *, scale_sd: float) -> tuple[np.ndarray, float]:
    """Huber-weighted Gauss-Newton over (centre east, centre north, bearing, scale, offset).

    Returns the parameters and the robust standard deviation of the residuals of the last
    iteration [m] (about the parameters before its step; :func:`_spread` measures it after).
    """
    params = start.astype(np.float64, copy=True)
    sigma = REFINE_GATE_M / 3.0
    # Priors on the scale (about 1) and the mean offset (about 1 m); none on the centre and bearing.
    scale_variance, offset_variance = scale_sd**2, OFFSET_PRIOR_SD_M**2
    for _ in range(REFINE_ITERATIONS):
        residual, jacobian = _residuals(params, x, y)
        size = np.abs(residual)
        near = size < REFINE_GATE_M
        if np.count_nonzero(near) < 10:
            break
        sigma = max(robust_sd(residual[near]), 0.3)
        # Huber's weight min(1, k sigma / |r|), none beyond the gate.
        weight = np.divide(size, HUBER_K * sigma, out=size)
        np.maximum(weight, 1e-12, out=weight)
        np.divide(1.0, weight, out=weight)
        np.minimum(weight, 1.0, out=weight)
        weight[~near] = 0.0
        normal = jacobian.T @ (jacobian * weight[:, None]) / sigma**2
        gradient = jacobian.T @ (weight * residual) / sigma**2
        normal[3, 3] += 1.0 / scale_variance
        normal[4, 4] += 1.0 / offset_variance
        gradient[3] += (params[3] - 1.0) / scale_variance
        gradient[4] += (params[4] - 1.0) / offset_variance
        normal += _RIDGE
        try:
            delta = np.linalg.solve(normal, -gradient)
        except np.linalg.LinAlgError:
            break
        params += delta
        east, north, bearing = delta[:3].tolist()
        if abs(east) < 1e-3 and abs(north) < 1e-3 and abs(bearing) < 1e-6:
            break
    return params, sigma


def _spread(params: np.ndarray, x: np.ndarray, y: np.ndarray, sigma: float) -> float:
    """The robust standard deviation of the positions' residuals about the line of ``params``
    inside the refinement's gate [m]; ``sigma`` when too few are."""
    residual = stadium_offset_m(*to_axis_frame(x, y, params), float(params[3])) - params[4]
    near = np.abs(residual) < REFINE_GATE_M
    return max(robust_sd(residual[near]), 0.3) if np.count_nonzero(near) >= 10 else sigma


def _residuals(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets of the positions from the line of ``params`` about the mean offset [m], and their
    derivatives by the parameters (positions x 5).

    The offset is ``hypot(a, v) - R s - o`` with ``a = max(|u| - h s, 0)`` (:func:`stadium_offset_m`);
    its derivative by ``u`` is ``sign(u) a / hypot(a, v)``, by ``v`` ``v / hypot(a, v)``; ``u`` and
    ``v`` move against the centre and turn with the bearing (``du/db = -v``, ``dv/db = u``).
    """
    sin_b, cos_b = math.sin(params[2]), math.cos(params[2])
    de, dn = x - params[0], y - params[1]
    u, v = de * sin_b + dn * cos_b, dn * sin_b - de * cos_b
    scale = float(params[3])
    along = np.maximum(np.abs(u) - HALF_STRAIGHT_M * scale, 0.0)
    # hypot(0, v) is |v|: only the positions off the straights pay for it.
    distance = np.abs(v)
    bend = along > 0.0
    distance[bend] = np.hypot(along[bend], v[bend])
    residual = distance - LANE1_RADIUS_M * scale - params[4]
    inverse = np.maximum(distance, 1e-9, out=distance)
    np.divide(1.0, inverse, out=inverse)
    along_share = np.multiply(along, inverse, out=along)
    by_u = np.copysign(along_share, u)
    by_v = np.multiply(v, inverse, out=inverse)
    # Each column written in place, its second term in the spare buffer ``de``.
    jacobian = np.empty((len(x), 5))
    np.multiply(by_v, cos_b, out=jacobian[:, 0])
    jacobian[:, 0] -= np.multiply(by_u, sin_b, out=de)
    np.multiply(by_u, -cos_b, out=jacobian[:, 1])
    jacobian[:, 1] -= np.multiply(by_v, sin_b, out=de)
    np.multiply(u, by_v, out=jacobian[:, 2])
    jacobian[:, 2] -= np.multiply(v, by_u, out=de)
    np.multiply(along_share, -HALF_STRAIGHT_M, out=jacobian[:, 3])
    jacobian[:, 3] -= LANE1_RADIUS_M
    jacobian[:, 4] = -1.0
    return residual, jacobian
