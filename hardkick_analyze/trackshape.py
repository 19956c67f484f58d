"""The standard 400 m athletics track: running lines, positions along them and the inverse projection.

Geometry (World Athletics Competition Rules, rule 14 / the IAAF Track and Field Facilities
Manual, "400 m standard track"): two straights of 84.39 m joined by two semicircular bends whose
kerb has a radius of 36.50 m. A lane is 1.22 m wide including the line on its right. The length
of lane 1 is measured on a line 0.30 m outside the kerb; every other lane is measured 0.20 m
outside the outer edge of the line on its left. Hence the running-line radius is

* lane 1: 36.50 + 0.30 = 36.80 m, so a lap is 2 x 84.39 + 2 pi 36.80 = 400.00 m;
* lane n >= 2: 36.50 + 1.22 (n - 1) + 0.20 m, so lane 2 is 407.04 m (the official 400 m
  stagger of lane 2 is 7.04 m; the often quoted 7.67 m wrongly keeps the 0.30 m of lane 1).

Coordinates are metres in a track frame: origin at the centre of the infield, x along the
straights, y across them. Runners go anticlockwise (left hand inside). The along-track
distance ``s`` starts at the common finish line, at the end of the home straight (y < 0); the
first bend follows, then the back straight, the second bend and the home straight. The
cross-track offset is positive outwards. Every function is vectorised over numpy arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "KERB_RADIUS_M",
    "LANE1_LINE_OFFSET_M",
    "LANE_LINE_OFFSET_M",
    "LANE_WIDTH_M",
    "STRAIGHT_M",
    "heading_rad",
    "lane_offset_m",
    "lap_length_m",
    "position_xy_m",
    "project_xy_m",
    "running_line_radius_m",
    "wrapped",
]

#: Length of each straight [m].
STRAIGHT_M = 84.39
#: Radius of the kerb (inner edge of lane 1) on the bends [m].
KERB_RADIUS_M = 36.50
#: Width of a lane, the line on its right included [m].
LANE_WIDTH_M = 1.22
#: Lane 1 is measured this far outside the kerb [m].
LANE1_LINE_OFFSET_M = 0.30
#: Lanes 2 and beyond are measured this far outside the line on their left [m].
LANE_LINE_OFFSET_M = 0.20


def running_line_radius_m(lane: int = 1) -> float:
    """Radius of a lane's measurement line on the bends [m] (36.80 m for lane 1)."""
    if lane < 1:
        raise ValueError(f"lanes are numbered from 1, got {lane}")
    if lane == 1:
        return KERB_RADIUS_M + LANE1_LINE_OFFSET_M
    return KERB_RADIUS_M + LANE_WIDTH_M * (lane - 1) + LANE_LINE_OFFSET_M


def lap_length_m(lane: int = 1) -> float:
    """Length of one lap on a lane's running line [m] (400.00 m in lane 1, 407.04 m in lane 2)."""
    return 2.0 * STRAIGHT_M + 2.0 * np.pi * running_line_radius_m(lane)


def wrap_half_lap_m(along_m: ArrayLike) -> np.ndarray:
    """Differences along lane 1's running line wrapped to half a lap either way [m]: a step across
    the finish line is a few metres, not a lap."""
    half = lap_length_m(1) / 2.0
    return wrapped(np.asarray(along_m, dtype=np.float64) + half, 2.0 * half) - half


def wrapped(values: np.ndarray, period: float) -> np.ndarray:
    """``np.mod(values, period)`` for a positive ``period``: the same numbers, a new array.

    Values within a period of ``[0, period)`` (the positions and steps along a lap, the angles
    of a bend) have one period added or taken off, which is what ``np.mod`` does to them (in
    ``[period, 2 period)`` exactly; below 0 rounded as it rounds) in a tenth of its time.
    """
    if values.ndim == 0 or ((values < -period) | (values >= 2.0 * period)).any():
        return np.mod(values, period)
    # Adding 0 turns -0 into 0, as np.mod does.
    result = np.array(values, dtype=np.float64)
    result += 0.0
    np.add(result, period, out=result, where=result < 0.0)
    np.subtract(result, period, out=result, where=result >= period)
    return result


def lane_offset_m(lane: int) -> float:
    """Cross-track offset of a lane's running line from the lane 1 running line [m]."""
    return running_line_radius_m(lane) - running_line_radius_m(1)


def _sections(radius_m: float) -> tuple[float, float, float, float]:
    """Along-track distances where bend 1 ends, the back straight ends, bend 2 ends, the lap ends."""
    bend = np.pi * radius_m
    return bend, bend + STRAIGHT_M, 2.0 * bend + STRAIGHT_M, 2.0 * bend + 2.0 * STRAIGHT_M


def position_xy_m(s_m: ArrayLike, lane: int = 1, offset_m: ArrayLike = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Point at along-track distance ``s_m`` on a lane's running line, moved ``offset_m`` outwards.

    Parameters
    ----------
    s_m
        Distance along the lane's running line from the finish line [m]; any value, laps wrap.
    lane
        Lane whose running line ``s_m`` is measured on.
    offset_m
        Cross-track offset from that running line, positive outwards [m].

    Returns
    -------
    x_m, y_m
        Position in the track frame [m].
    """
    radius = running_line_radius_m(lane)
    bend1_end, back_end, bend2_end, lap = _sections(radius)
    s = np.mod(np.asarray(s_m, dtype=np.float64), lap)
    r = radius + np.asarray(offset_m, dtype=np.float64)
    s, r = np.broadcast_arrays(s, r)
    half = STRAIGHT_M / 2.0
    x = np.empty(s.shape)
    y = np.empty(s.shape)
    bend1 = s < bend1_end
    back = (s >= bend1_end) & (s < back_end)
    bend2 = (s >= back_end) & (s < bend2_end)
    home = s >= bend2_end
    # Bend 1 turns about (+half, 0) from the bottom (-pi/2) to the top (+pi/2).
    angle = s[bend1] / radius - np.pi / 2.0
    x[bend1] = half + r[bend1] * np.cos(angle)
    y[bend1] = r[bend1] * np.sin(angle)
    x[back] = half - (s[back] - bend1_end)
    y[back] = r[back]
    angle = (s[bend2] - back_end) / radius + np.pi / 2.0
    x[bend2] = -half + r[bend2] * np.cos(angle)
    y[bend2] = r[bend2] * np.sin(angle)
    x[home] = -half + (s[home] - bend2_end)
    y[home] = -r[home]
    return x, y


def heading_rad(s_m: ArrayLike, lane: int = 1) -> np.ndarray:
    """Direction of travel at ``s_m`` on a lane's running line, anticlockwise from +x [rad]."""
    radius = running_line_radius_m(lane)
    bend1_end, back_end, bend2_end, lap = _sections(radius)
    s = np.mod(np.asarray(s_m, dtype=np.float64), lap)
    heading = np.zeros(s.shape)
    bend1 = s < bend1_end
    heading[bend1] = s[bend1] / radius
    heading[(s >= bend1_end) & (s < back_end)] = np.pi
    bend2 = (s >= back_end) & (s < bend2_end)
    heading[bend2] = np.pi + (s[bend2] - back_end) / radius
    return np.mod(heading, 2.0 * np.pi)


def project_xy_m(x_m: ArrayLike, y_m: ArrayLike, lane: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Nearest point on a lane's running line: the inverse of :func:`position_xy_m`.

    Parameters
    ----------
    x_m, y_m
        Points in the track frame [m].
    lane
        Lane whose running line the distance and offset refer to.

    Returns
    -------
    s_m
        Along-track distance of the nearest running-line point, in ``[0, lap)`` [m].
    offset_m
        Signed cross-track distance from the running line, positive outwards [m]. Both NaN for
        a NaN point.
    """
    radius = running_line_radius_m(lane)
    bend1_end, back_end, bend2_end, lap = _sections(radius)
    x, y = np.broadcast_arrays(np.asarray(x_m, dtype=np.float64), np.asarray(y_m, dtype=np.float64))
    half = STRAIGHT_M / 2.0
    # The straights' formulas on every point, then the bends' on the points off the straights
    # (NaN included: a point without a position has none).
    straight = np.abs(x) <= half
    home = y < 0
    s = np.asarray(np.where(home, bend2_end + (x + half), bend1_end + (half - x)))
    offset = np.asarray(np.where(home, -y, y) - radius)
    bend = ~straight
    bx, by = x[bend], y[bend]
    east = bx > half
    from_centre = np.where(east, bx - half, bx + half)
    angle = np.arctan2(by, from_centre)
    # Bend 1 from its bottom (-pi/2), in (-pi/2, pi/2]; bend 2 from its top (+pi/2) turning
    # anticlockwise, in [0, pi].
    s[bend] = np.where(
        east, radius * (angle + np.pi / 2.0), back_end + radius * wrapped(angle - np.pi / 2.0, 2.0 * np.pi)
    )
    offset[bend] = np.hypot(from_centre, by) - radius
    # The end of the home straight is the finish line, s = 0.
    return wrapped(s, lap), offset
