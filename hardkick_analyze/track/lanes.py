"""Lanes: which lane the reps were run in, from the positions' offsets to the running line.

The mean offset of the fast running from lane 1's running line says the lane; its uncertainty
comes from how much the reps' own mean offsets scatter (GPS errors are correlated over tens of
seconds, so nearby fixes are not independent), and a prior says where fast running goes on a
track. Only the recorded fixes count: smart recording's interpolated positions cut the bends.
"""

from __future__ import annotations

import math

import numpy as np

from .. import trackshape
from ..clean import SessionGrid, rolling_mean
from ..units import MOVING_SPEED_MPS, median, median_standard_error, quantile, quantiles, robust_sd

__all__ = [
    "GPS_CORRELATION_S",
    "LANE1_RADIUS_M",
    "LANES",
    "along_track_steps",
    "fast_running",
    "likeliest_lane",
    "nearest_lane",
    "on_bend",
    "on_track_band",
    "on_track_steps",
    "recorded_fixes",
    "reps_lane",
    "smooth_speed",
    "trimmed_mean",
]

#: Radius of lane 1's running line [m].
LANE1_RADIUS_M = trackshape.running_line_radius_m(1)
#: Lanes of a standard outdoor track.
LANES = 8
#: Fast running (reps) is at least this share of the rep level, the quantile below of the
#: on-track moving speed smoothed over the window below [-, -, s].
FAST_SHARE = 0.85
FAST_LEVEL_QUANTILE = 0.9
FAST_SMOOTHING_S = 10.0
#: Lanes 1-8 the reps are run in, a priori: lane 1 is where fast running goes on a track (the
#: rule at most tracks during training: outer lanes for jogging and recovering). The positions
#: must say clearly otherwise to put the reps elsewhere; easy running has no preferred lane.
REP_LANE_PRIOR = (0.7, 0.12, 0.08, 0.04, 0.02, 0.02, 0.01, 0.01)
#: GPS position errors are correlated over about this long: samples closer in time are not
#: independent evidence of the lane [s].
GPS_CORRELATION_S = 30.0
#: The mean offset's uncertainty is read on the fast stretches at least this long, with at
#: least this many recorded fixes, when there are at least this many of them; and is never
#: taken as less than this [s, -, -, m].
SCATTER_STRETCH_MIN_S = 20.0
SCATTER_STRETCH_MIN_FIXES = 5
SCATTER_MIN_STRETCHES = 3
LANE_OFFSET_MIN_SD_M = 0.3


def on_track_band(offset_m: np.ndarray, gate_m: float) -> np.ndarray:
    """Whether cross-track offsets from lane 1's line [m] are inside the lanes, give or take the gate."""
    with np.errstate(invalid="ignore"):
        return (offset_m > -gate_m) & (offset_m < trackshape.lane_offset_m(LANES) + gate_m)


def smooth_speed(speed_mps: np.ndarray, dt_s: float) -> np.ndarray:
    """The speed [m/s] smoothed over :data:`FAST_SMOOTHING_S`, as :func:`fast_running` reads it [m/s]."""
    return rolling_mean(speed_mps, FAST_SMOOTHING_S / dt_s)


def fast_running(speed: np.ndarray, smooth: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Fast running on the track (reps and kicks), as opposed to warm-up jogs, walks and rests.

    The rep level is the top decile of the on-track speed smoothed over
    :data:`FAST_SMOOTHING_S` (``smooth``, :func:`smooth_speed`; kicks are too short to reach
    it); warm-ups run at about 80 % of the rep speed, recovery jogs slower.
    """
    moving = smooth[on & (speed > MOVING_SPEED_MPS)]
    if not len(moving):
        return np.zeros(len(speed), dtype=bool)
    return on & (smooth >= FAST_SHARE * quantile(moving, FAST_LEVEL_QUANTILE))


def reps_lane(
    offset_m: np.ndarray, s_m: np.ndarray, fast: np.ndarray, fixes: np.ndarray, dt_s: float
) -> tuple[int, float]:
    """The lane of the fast running, and its probability.

    Parameters
    ----------
    offset_m, s_m
        Cross-track offset from lane 1's line and position along it, over the grid [m].
    fast
        The fast running (its runs are the reps and kicks).
    fixes
        The grid points at recorded positions: the offsets are read on these only.
    dt_s
        Grid spacing [s].

    On a bend a GPS error along the track also pushes the position outwards, by about
    ``sd**2 / (2 R)`` on average (the hypotenuse is longer than the side): 0.3 m for a 5 m
    error, a quarter of a lane. That bias is taken off, with the error's size read from the
    spread of the offsets, before the likeliest lane under :data:`REP_LANE_PRIOR` is taken, given
    the mean offset's uncertainty (:func:`_mean_offset_sd`).
    """
    measured = fast & fixes if (fast & fixes).any() else fast
    pool = offset_m[measured]
    spread = robust_sd(pool)
    unbiased = offset_m - np.where(on_bend(s_m), spread**2 / (2.0 * LANE1_RADIUS_M), 0.0)
    sd = _mean_offset_sd(unbiased, fast, measured, spread, dt_s)
    return likeliest_lane(trimmed_mean(unbiased[measured]), sd, REP_LANE_PRIOR)


def _mean_offset_sd(
    unbiased_m: np.ndarray, fast: np.ndarray, measured: np.ndarray, spread_m: float, dt_s: float
) -> float:
    """Standard error of the fast running's mean cross-track offset [m].

    A GPS error that lasts longer than a lap moves a whole lap's positions the same way: out on
    one side of the track, in on the other, so it cancels over a lap, and consecutive offsets
    say little about the mean's error. The scatter of the separate fast stretches' own means
    (the reps) says it directly, when there are :data:`SCATTER_MIN_STRETCHES` of them (never less
    than :data:`LANE_OFFSET_MIN_SD_M`, how far a runner's line wanders in a lane). With fewer, the
    spread of the offsets over independent stretches of :data:`GPS_CORRELATION_S`.
    """
    edges = np.diff(np.concatenate([[0], fast.astype(np.int8), [0]]))
    means = []
    for start, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        if (end - start) * dt_s < SCATTER_STRETCH_MIN_S:
            continue
        chosen = unbiased_m[start:end][measured[start:end]]
        if len(chosen) >= SCATTER_STRETCH_MIN_FIXES:
            # The sum over the count is np.mean's number, without its overhead.
            means.append(float(chosen.sum()) / len(chosen))
    if len(means) >= SCATTER_MIN_STRETCHES:
        return max(float(np.std(means, ddof=1)) / math.sqrt(len(means)), LANE_OFFSET_MIN_SD_M)
    independent = max(float(fast.sum()) * dt_s / GPS_CORRELATION_S, 1.0)
    return median_standard_error(spread_m, independent)


def recorded_fixes(grid: SessionGrid) -> np.ndarray:
    """The grid points at recorded positions (all of them on a grid without that column).

    A lane is read on these only: between fixes far apart (smart recording) the interpolated
    positions cut the bends, up to a few metres inside the line run.
    """
    frame = grid.frame
    if "position_recorded" not in frame:
        return np.ones(len(frame), dtype=bool)
    return frame["position_recorded"].to_numpy(dtype=bool)


def nearest_lane(offset_m: float) -> int:
    """The lane whose running line is nearest a cross-track offset from lane 1's line [m]."""
    lines = np.array([trackshape.lane_offset_m(n) for n in range(1, LANES + 1)])
    return int(np.argmin(np.abs(lines - offset_m))) + 1


def likeliest_lane(offset_m: float, sd_m: float, prior: tuple[float, ...] | None) -> tuple[int, float]:
    """The lane most probable given a mean offset from lane 1's line and its uncertainty [m],
    and that probability.

    Without a prior, every lane is equally likely a priori.
    """
    weights = np.ones(LANES) / LANES if prior is None else np.asarray(prior, dtype=np.float64)
    lines = np.array([trackshape.lane_offset_m(n) for n in range(1, len(weights) + 1)])
    log_posterior = np.log(weights) - 0.5 * ((offset_m - lines) / max(sd_m, 1e-3)) ** 2
    posterior = np.exp(log_posterior - log_posterior.max())
    best = int(np.argmax(posterior))
    return best + 1, float(posterior[best] / posterior.sum())


def on_bend(s1: np.ndarray) -> np.ndarray:
    """Whether positions along lane 1's line [m] are on a bend."""
    bend_end = math.pi * LANE1_RADIUS_M
    back_end = bend_end + trackshape.STRAIGHT_M
    with np.errstate(invalid="ignore"):
        return (s1 < bend_end) | ((s1 >= back_end) & (s1 < back_end + bend_end))


def trimmed_mean(values: np.ndarray, share: float = 0.2) -> float:
    """Mean of ``values`` without the lowest and highest ``share`` of them."""
    low, high = quantiles(values, (share, 1.0 - share))
    inside = values[(values >= low) & (values <= high)]
    # The sum over the count is np.mean's number, without its overhead.
    return float(inside.sum()) / len(inside) if len(inside) else median(values)


def along_track_steps(s_m: np.ndarray) -> np.ndarray:
    """Steps between consecutive positions along lane 1's line [m], wrapped to half a lap [m]."""
    return trackshape.wrap_half_lap_m(np.diff(s_m))


def on_track_steps(steps: np.ndarray, on: np.ndarray) -> np.ndarray:
    """The along-track ``steps`` (:func:`along_track_steps`) between consecutive samples both on
    the track; 0 elsewhere [m]."""
    both = on[1:] & on[:-1]
    return np.where(both & np.isfinite(steps), steps, 0.0)
