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
   distance of the fast positions to the running line (roads and warm-up loops cost a constant).
3. Refinement: iteratively reweighted (Huber) Gauss-Newton of every moving position's distance
   to the line over centre, bearing, scale and mean offset; positions further than a gate are
   off the track and weigh nothing.
4. Acceptance: small residuals, most of the fast running on the line, the whole lap covered,
   a scale near 1 and a mean offset inside the lanes. A FIT file recorded in a track mode
   (``sub_sport`` track) is trusted with looser limits. A 200 m indoor track has half the scale
   and is rejected, as is any other oval.

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
from ..units import MOVING_SPEED_MPS, robust_sd
from .lanes import LANE1_RADIUS_M, LANES, fast_running, on_track_band, on_track_steps, recorded_fixes, reps_lane

__all__ = ["LAP_M", "TrackFit", "fit_track", "stadium_offset_m"]

TrackSource = Literal["fit", "sub_sport"]
Direction = Literal["anticlockwise", "clockwise"]

#: Half the length of a straight [m].
HALF_STRAIGHT_M = trackshape.STRAIGHT_M / 2.0
#: Lap of lane 1 [m].
LAP_M = trackshape.lap_length_m(1)
#: Fast running, the part the candidates come from: above this quantile of the moving speed
#: (reps are 10-25 % of a session's moving time; a warm-up jog on the roads is below it).
FAST_QUANTILE = 0.9
#: Positions used by the fit, at most this many (evenly thinned): by the refinement, the fine
#: and the coarse centre search [-].
MAX_FIT_POINTS = 1500
MAX_SEARCH_POINTS = 400
COARSE_SEARCH_POINTS = 150
#: Centre search: half-widths along and across the candidate axis, the coarse and the fine
#: step [m].
SEARCH_ALONG_M = 70.0
SEARCH_ACROSS_M = 45.0
COARSE_STEP_M = 6.0
SEARCH_STEP_M = 2.0
#: Truncation of the squared distance in the centre search [m].
SEARCH_TRUNCATION_M = 6.0
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
        u, v = _to_axis_frame(np.asarray(x_m, dtype=np.float64), np.asarray(y_m, dtype=np.float64), self._params())
        return u, mirror * v

    def _params(self) -> np.ndarray:
        return np.array([self.centre_x_m, self.centre_y_m, math.radians(self.bearing_deg), 1.0, 0.0])


def stadium_offset_m(u_m: np.ndarray, v_m: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Signed distance from lane 1's running line of a track ``scale`` times standard size [m].

    ``u_m``/``v_m`` are along and across the straights from the centre [m]; positive outwards.
    """
    along = np.maximum(np.abs(u_m) - HALF_STRAIGHT_M * scale, 0.0)
    return np.hypot(along, v_m) - LANE1_RADIUS_M * scale


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
    frame = grid.frame
    x = frame["x_m"].to_numpy(dtype=np.float64)
    y = frame["y_m"].to_numpy(dtype=np.float64)
    speed = np.nan_to_num(frame["speed_mps"].to_numpy(dtype=np.float64))
    origin = position_origin_deg(activity.track)
    moving = np.isfinite(x) & np.isfinite(y) & (speed > MOVING_SPEED_MPS) & ~frame["stopped"].to_numpy(dtype=bool)
    if origin is None or moving.sum() < 60:
        return None
    fast = moving & (speed >= np.quantile(speed[moving], FAST_QUANTILE))
    fast_idx = np.flatnonzero(fast)
    best = _best_candidate(x, y, fast_idx, grid.dt_s)
    if best is None:
        return None
    # The positions recorded, not the ones interpolated between them: between fixes far apart
    # (smart recording) a straight line cuts the bends, and the track would look small.
    fixes = recorded_fixes(grid)
    fit_idx = _thin(np.flatnonzero(moving & fixes if (moving & fixes).sum() >= 60 else moving), MAX_FIT_POINTS)
    # The track is standard: its centre, bearing and the lanes are fitted at scale 1. The scale
    # is fitted afterwards as evidence only (GPS error trades it against the mean offset).
    params, sigma = _refine(best, x[fit_idx], y[fit_idx], scale_sd=FIXED)
    scaled, _ = _refine(params, x[fit_idx], y[fit_idx], scale_sd=SCALE_PRIOR_SD)
    trusted = activity.metadata.sub_sport == "track"
    return _judge(params, float(scaled[3]), sigma, x, y, speed, fast, fixes, origin, grid.dt_s, trusted=trusted)


def _best_candidate(x: np.ndarray, y: np.ndarray, fast_idx: np.ndarray, dt_s: float) -> np.ndarray | None:
    """Centre, bearing, scale 1 and offset 0 of the best coarse candidate (None: no fast running).

    For each candidate bearing, centres are searched on a coarse grid with a few of the fast
    positions, then on a fine grid around the best with more of them.
    """
    if len(fast_idx) < 20:
        return None
    coarse = _thin(fast_idx, COARSE_SEARCH_POINTS)
    fine = _thin(fast_idx, MAX_SEARCH_POINTS)
    best_score, best = math.inf, None
    for bearing in _candidate_bearings(x, y, fast_idx, dt_s):
        frame = np.array([0.0, 0.0, bearing, 1.0, 0.0])
        u, v = _to_axis_frame(x[coarse], y[coarse], frame)
        along = np.arange(-SEARCH_ALONG_M, SEARCH_ALONG_M + 1e-9, COARSE_STEP_M) + float(np.median(u))
        across = np.arange(-SEARCH_ACROSS_M, SEARCH_ACROSS_M + 1e-9, COARSE_STEP_M) + float(np.median(v))
        _, cu, cv = _search(u, v, along, across)
        u, v = _to_axis_frame(x[fine], y[fine], frame)
        steps = np.arange(-COARSE_STEP_M, COARSE_STEP_M + 1e-9, SEARCH_STEP_M)
        score, cu, cv = _search(u, v, cu + steps, cv + steps)
        if score < best_score:
            best_score = score
            # Back from the axis frame to east/north.
            east = cu * math.sin(bearing) - cv * math.cos(bearing)
            north = cu * math.cos(bearing) + cv * math.sin(bearing)
            best = np.array([east, north, bearing, 1.0, 0.0])
    return best


def _search(u: np.ndarray, v: np.ndarray, along: np.ndarray, across: np.ndarray) -> tuple[float, float, float]:
    """The centre among ``along`` x ``across`` whose line the positions fit best: its score and
    place [m**2, m, m]."""
    cu, cv = (axis.ravel() for axis in np.meshgrid(along, across, indexing="ij"))
    offset = stadium_offset_m(u[None, :] - cu[:, None], v[None, :] - cv[:, None])
    score = np.mean(np.minimum(offset**2, SEARCH_TRUNCATION_M**2), axis=1)
    k = int(np.argmin(score))
    return float(score[k]), float(cu[k]), float(cv[k])


def _candidate_bearings(x: np.ndarray, y: np.ndarray, fast_idx: np.ndarray, dt_s: float) -> list[float]:
    """Bearings the straights may have [rad]: peaks of the travel direction, the principal axis."""
    step = max(round(2.0 / dt_s), 1)
    later = fast_idx + step
    later = later[later < len(x)]
    start = later - step
    de, dn = x[later] - x[start], y[later] - y[start]
    length = np.hypot(de, dn)
    keep = np.isfinite(length) & (length > 3.0)
    bearings: list[float] = []
    if keep.sum() >= 10:
        direction = np.mod(np.degrees(np.arctan2(de[keep], dn[keep])), 180.0)
        counts = np.bincount(np.floor(direction).astype(int) % 180, minlength=180).astype(np.float64)
        # Circular smoothing over +-3 degrees: GPS wobbles the direction of a straight.
        kernel = np.ones(7)
        smooth = np.convolve(np.concatenate([counts[-3:], counts, counts[:3]]), kernel, mode="valid")
        for _ in range(3):
            peak = int(np.argmax(smooth))
            if smooth[peak] <= 0:
                break
            bearings.append(math.radians(peak + 0.5))
            for k in range(-15, 16):
                smooth[(peak + k) % 180] = 0.0
    px, py = x[fast_idx], y[fast_idx]
    finite = np.isfinite(px) & np.isfinite(py)
    if finite.sum() >= 3:
        cov = np.cov(np.vstack([px[finite], py[finite]]))
        values, vectors = np.linalg.eigh(cov)
        major = vectors[:, int(np.argmax(values))]
        bearings.append(math.atan2(major[0], major[1]) % math.pi)
    return bearings


def _refine(start: np.ndarray, x: np.ndarray, y: np.ndarray, *, scale_sd: float) -> tuple[np.ndarray, float]:
    """Huber-weighted Gauss-Newton over (centre east, centre north, bearing, scale, offset).

    Returns the parameters and the robust standard deviation of the residuals about them [m].
    """
    params = start.astype(np.float64, copy=True)
    sigma = REFINE_GATE_M / 3.0
    priors = np.array([0.0, 0.0, 0.0, scale_sd, OFFSET_PRIOR_SD_M])
    prior_centre = np.array([0.0, 0.0, 0.0, 1.0, 1.0])
    steps = np.array([0.01, 0.01, 1e-5, 1e-5, 0.01])
    for _ in range(REFINE_ITERATIONS):
        residual = _residuals(params, x, y)
        near = np.abs(residual) < REFINE_GATE_M
        if near.sum() < 10:
            break
        sigma = max(robust_sd(residual[near]), 0.3)
        scaled = np.abs(residual) / (HUBER_K * sigma)
        weight = np.where(near, np.minimum(1.0, 1.0 / np.maximum(scaled, 1e-12)), 0.0)
        jacobian = np.empty((len(x), len(params)))
        for k, h in enumerate(steps):
            shifted = params.copy()
            shifted[k] += h
            jacobian[:, k] = (_residuals(shifted, x, y) - residual) / h
        normal = jacobian.T @ (jacobian * weight[:, None]) / sigma**2
        gradient = jacobian.T @ (weight * residual) / sigma**2
        for k, sd in enumerate(priors):
            if sd > 0:
                normal[k, k] += 1.0 / sd**2
                gradient[k] += (params[k] - prior_centre[k]) / sd**2
        try:
            delta = np.linalg.solve(normal + 1e-9 * np.eye(len(params)), -gradient)
        except np.linalg.LinAlgError:
            break
        params += delta
        if np.all(np.abs(delta[:2]) < 1e-3) and abs(delta[2]) < 1e-6:
            break
    residual = _residuals(params, x, y)
    near = np.abs(residual) < REFINE_GATE_M
    if near.sum() >= 10:
        sigma = max(robust_sd(residual[near]), 0.3)
    return params, sigma


def _judge(
    params: np.ndarray,
    scale: float,
    sigma: float,
    x: np.ndarray,
    y: np.ndarray,
    speed: np.ndarray,
    fast: np.ndarray,
    fixes: np.ndarray,
    origin: tuple[float, float],
    dt_s: float,
    *,
    trusted: bool,
) -> TrackFit | None:
    """Measure the fit on every moving position and accept or reject it; the lane on the
    recorded ``fixes`` of the fast running."""
    moving = np.isfinite(x) & np.isfinite(y) & (speed > MOVING_SPEED_MPS)
    cx, cy, bearing, _, mean_offset = (float(p) for p in params)
    gate = float(np.clip(GATE_SD * sigma, MIN_GATE_M, MAX_GATE_M))
    u, v = _to_axis_frame(x, y, np.array([cx, cy, bearing, 1.0, 0.0]))
    s, offset = trackshape.project_xy_m(u, v)
    on = moving & on_track_band(offset, gate)
    if on.sum() < 20:
        return None
    residual = offset[on] - mean_offset
    rms = float(np.sqrt(np.mean(residual**2)))
    bins = np.floor(s[on] / LAP_M * COVERAGE_BINS).astype(int) % COVERAGE_BINS
    coverage = float(np.mean(np.bincount(bins, minlength=COVERAGE_BINS) >= COVERAGE_MIN_SAMPLES))
    fast_share = float(on[fast].mean()) if fast.any() else 0.0
    along = on_track_steps(s, on)
    laps = float(abs(along.sum())) / LAP_M
    quality = float(np.clip(coverage * fast_share * (1.0 - rms / MAX_RESIDUAL_RMS_M), 0.0, 1.0))
    if not _accepted(rms, coverage, scale, mean_offset, fast_share, laps, trusted=trusted):
        return None
    lat, lon = latlon_from_xy_m(np.array([cx]), np.array([cy]), *origin)
    reps = fast_running(speed, on, dt_s)
    reps = reps if reps.any() else on
    lane, lane_probability = reps_lane(offset, s, reps, fixes, dt_s)
    return TrackFit(
        centre_x_m=cx,
        centre_y_m=cy,
        centre_lat_deg=float(lat[0]),
        centre_lon_deg=float(lon[0]),
        bearing_deg=math.degrees(bearing) % 180.0,
        direction="clockwise" if along.sum() < 0 else "anticlockwise",
        scale=scale,
        mean_offset_m=mean_offset,
        lane=lane,
        lane_probability=lane_probability,
        residual_rms_m=rms,
        gate_m=gate,
        on_track_share=float(on.sum() / moving.sum()),
        fast_on_track_share=fast_share,
        coverage=coverage,
        laps=laps,
        quality=quality,
        source="sub_sport" if trusted else "fit",
    )


def _accepted(
    rms: float, coverage: float, scale: float, mean_offset: float, fast_share: float, laps: float, *, trusted: bool
) -> bool:
    """Whether a fit passes the limits (looser for a file recorded in a track mode)."""
    max_rms = TRUSTED_MAX_RESIDUAL_RMS_M if trusted else MAX_RESIDUAL_RMS_M
    min_coverage = TRUSTED_MIN_COVERAGE if trusted else MIN_COVERAGE
    return (
        rms <= max_rms
        and coverage >= min_coverage
        and SCALE_LIMITS[0] <= scale <= SCALE_LIMITS[1]
        and OFFSET_LIMITS_M[0] <= mean_offset <= OFFSET_LIMITS_M[1]
        and (trusted or (fast_share >= MIN_FAST_ON_TRACK and laps >= MIN_LAPS))
    )


def _residuals(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    u, v = _to_axis_frame(x, y, params)
    return stadium_offset_m(u, v, float(params[3])) - params[4]


def _to_axis_frame(x: np.ndarray, y: np.ndarray, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """East/north [m] into (along the straights, across them) about the centre [m]."""
    de, dn = x - params[0], y - params[1]
    sin_b, cos_b = math.sin(params[2]), math.cos(params[2])
    return de * sin_b + dn * cos_b, -de * cos_b + dn * sin_b


def _thin(indices: np.ndarray, at_most: int) -> np.ndarray:
    """At most ``at_most`` of ``indices``, evenly spread."""
    if len(indices) <= at_most:
        return indices
    return indices[np.linspace(0, len(indices) - 1, at_most).round().astype(int)]
