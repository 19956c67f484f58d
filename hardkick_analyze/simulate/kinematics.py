"""Measurements on a true trajectory, by the analysis issue's definitions.

* A kick's peak speed is the maximum of the speed smoothed by a centred moving average of
  :data:`PEAK_SMOOTHING_S`, taken over the kick.
* Its final speed is the mean speed over the last :data:`FINAL_SHARE` of its distance (that
  distance over the time taken to cover it), and its fade is ``100 (peak - final) / peak``.
* Its average speed is its distance over its duration.

Both the runner (to aim a kick at a fade) and the truth use these functions, so the two
cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FINAL_SHARE", "PEAK_SMOOTHING_S", "KickKinematics", "kick_kinematics", "time_at_distance_s"]

#: Width of the moving average applied before taking the peak [s].
PEAK_SMOOTHING_S = 2.0
#: Share of the kick's distance over which the final speed is averaged.
FINAL_SHARE = 0.2
_GRID_S = 0.05


@dataclass(frozen=True, slots=True, kw_only=True)
class KickKinematics:
    """Timing and speeds of one kick [s, m/s, %]."""

    start_s: float
    end_s: float
    avg_speed_mps: float
    peak_speed_mps: float
    final_speed_mps: float
    fade_pct: float


def time_at_distance_s(t_s: np.ndarray, distance_m: np.ndarray, target_m: float) -> float:
    """First time the cumulative distance reaches ``target_m``, interpolated linearly [s].

    Raises
    ------
    ValueError
        When the distance never reaches the target.
    """
    position = int(np.searchsorted(distance_m, target_m, side="left"))
    if position >= len(distance_m):
        raise ValueError(f"the trajectory never reaches {target_m:.3f} m")
    if position == 0 or distance_m[position] == target_m:
        return float(t_s[position])
    d0, d1 = distance_m[position - 1], distance_m[position]
    t0, t1 = t_s[position - 1], t_s[position]
    return float(t0 + (t1 - t0) * (target_m - d0) / (d1 - d0))


def kick_kinematics(
    t_s: np.ndarray, distance_m: np.ndarray, speed_mps: np.ndarray, start_s: float, kick_m: float
) -> KickKinematics:
    """Measure the kick that starts at ``start_s`` and covers ``kick_m``.

    Parameters
    ----------
    t_s, distance_m, speed_mps
        The trajectory: times [s], cumulative distance [m] (non-decreasing), speed [m/s].
    start_s
        When the kick starts [s].
    kick_m
        Its planned distance [m].
    """
    start_m = float(np.interp(start_s, t_s, distance_m))
    end_s = time_at_distance_s(t_s, distance_m, start_m + kick_m)
    final_start_s = time_at_distance_s(t_s, distance_m, start_m + (1.0 - FINAL_SHARE) * kick_m)
    final_speed = FINAL_SHARE * kick_m / (end_s - final_start_s)
    peak = _smoothed_peak(t_s, speed_mps, start_s, end_s)
    return KickKinematics(
        start_s=start_s,
        end_s=end_s,
        avg_speed_mps=kick_m / (end_s - start_s),
        peak_speed_mps=peak,
        final_speed_mps=final_speed,
        fade_pct=100.0 * (peak - final_speed) / peak,
    )


def _smoothed_peak(t_s: np.ndarray, speed_mps: np.ndarray, start_s: float, end_s: float) -> float:
    """Max over [start, end] of the speed averaged over a centred window of PEAK_SMOOTHING_S."""
    half = PEAK_SMOOTHING_S / 2.0
    grid = np.arange(start_s - half, end_s + half + _GRID_S / 2, _GRID_S)
    speed = np.interp(grid, t_s, speed_mps)
    width = round(PEAK_SMOOTHING_S / _GRID_S)
    # Trapezoid-weighted box: the window spans exactly PEAK_SMOOTHING_S between grid points.
    kernel = np.ones(width + 1)
    kernel[[0, -1]] = 0.5
    smooth = np.convolve(speed, kernel / width, mode="valid")
    centres = grid[width // 2 : width // 2 + len(smooth)]
    inside = (centres >= start_s - 1e-9) & (centres <= end_s + 1e-9)
    return float(smooth[inside].max())
