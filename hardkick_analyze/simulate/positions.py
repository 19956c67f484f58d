"""Where the runner is: the true trajectory laid on a 400 m track and the roads around it.

The session starts on a road loop around the stadium (a rounded rectangle about 270 x 175 m),
takes a short path onto the home straight, stays on the track for the end of the warm-up, the
strides, the reps and the rests, and leaves the same way during the cool-down, when it next
passes the middle of the home straight.

On the track the runner follows a lane: reps, kicks and strides in ``Track.rep_lane``, easy
running and rests in ``Track.easy_lane``, changing lanes over a few seconds, with a zero-mean
sideways wander of a few decimetres. The along-track coordinate is integrated from the true
distance, so running wide on a bend really covers more ground: ``ds_lane1 = dd / (1 + offset /
R)`` on the bends. Lateral motion itself is not counted as distance: the runner lines up in the
rep lane before a rep, and the smooth wander adds a few centimetres per 400 m.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import trackshape
from ..geo import latlon_from_xy_m, local_xy_m
from .config import Track
from .processes import first_order_lag, ornstein_uhlenbeck
from .trajectory import Trajectory

__all__ = ["TruePositions", "locate", "track_xy_from_latlon"]

#: Half-length and half-width of the road loop's rectangle, its corner radius [m].
_ROAD_HALF_X_M = 134.0
_ROAD_HALF_Y_M = 87.0
_ROAD_CORNER_M = 12.0
#: How quickly the runner changes lanes [s].
_LANE_CHANGE_TAU_S = 3.0
#: The runner cannot run inside the kerb: lane 1's line is 0.30 m outside it [m].
_MIN_OFFSET_M = -0.25
_FAST_KINDS = ("rep", "kick", "stride")
_LINE_UP_S = 15.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TruePositions:
    """Positions of the true trajectory, sample by sample.

    Attributes
    ----------
    x_m, y_m
        Position in the track frame (:mod:`hardkick_analyze.trackshape`) [m].
    east_m, north_m
        Position east/north of the track centre [m].
    lat_deg, lon_deg
        WGS84 position [deg].
    elevation_m
        True elevation [m].
    on_track
        Whether the runner is on the track (not on the roads or the access path).
    track_s_m, track_offset_m
        Along-track distance on lane 1's running line and cross-track offset from it, NaN off
        the track [m].
    """

    x_m: np.ndarray
    y_m: np.ndarray
    east_m: np.ndarray
    north_m: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    elevation_m: np.ndarray
    on_track: np.ndarray
    track_s_m: np.ndarray
    track_offset_m: np.ndarray


def locate(trajectory: Trajectory, venue: Track, rng: np.random.Generator) -> TruePositions:
    """Lay the trajectory on the venue.

    Parameters
    ----------
    trajectory
        The runner's true distance over time.
    venue
        The track and its placement.
    rng
        Source of the sideways wander.
    """
    t, d = trajectory.t_s, trajectory.distance_m
    road = _road_loop()
    entry_s = trackshape.lap_length_m(1) - trackshape.STRAIGHT_M / 2.0  # middle of the home straight
    easy_offset = trackshape.lane_offset_m(venue.easy_lane)
    connector_m = _ROAD_HALF_Y_M - (trackshape.running_line_radius_m(1) + easy_offset)

    warmups = trajectory.phases_of("warmup")
    warmup_end_m = warmups[0].end_m if warmups else 0.0
    road_end_m = venue.road_share * warmup_end_m
    track_start_m = road_end_m + connector_m

    offset = _offsets(trajectory, venue, rng)
    on_track = d >= track_start_m
    s = _along_track(d, offset, on_track, track_start_m, entry_s)

    exit_m = _exit_m(trajectory, s, on_track, entry_s)
    on_track &= d < exit_m

    x = np.empty(len(t))
    y = np.empty(len(t))
    x[on_track], y[on_track] = trackshape.position_xy_m(s[on_track], offset_m=offset[on_track])
    elevation = np.full(len(t), venue.elevation_m)
    # Start so that the road distance brings the runner to the junction at road_end_m.
    before = d < road_end_m
    _on_road(road, d[before] - road_end_m, before, x, y, elevation)
    entering = (d >= road_end_m) & (d < track_start_m)
    x[entering] = 0.0
    y[entering] = -_ROAD_HALF_Y_M + (d[entering] - road_end_m)
    leaving = (d >= exit_m) & (d < exit_m + connector_m)
    x[leaving] = 0.0
    y[leaving] = -(trackshape.running_line_radius_m(1) + easy_offset) - (d[leaving] - exit_m)
    beyond = d >= exit_m + connector_m
    _on_road(road, d[beyond] - exit_m - connector_m, beyond, x, y, elevation)

    east, north = _rotate(x, y, venue.bearing_deg)
    lat, lon = latlon_from_xy_m(east, north, venue.lat_deg, venue.lon_deg)
    return TruePositions(
        x_m=x,
        y_m=y,
        east_m=east,
        north_m=north,
        lat_deg=lat,
        lon_deg=lon,
        elevation_m=elevation,
        on_track=on_track,
        track_s_m=np.where(on_track, np.mod(s, trackshape.lap_length_m(1)), np.nan),
        track_offset_m=np.where(on_track, offset, np.nan),
    )


def _exit_m(trajectory: Trajectory, s: np.ndarray, on_track: np.ndarray, entry_s: float) -> float:
    """Where the runner leaves the track [m]: when the cool-down next passes the entry; never without one."""
    cooldowns = trajectory.phases_of("cooldown")
    if not cooldowns:
        return np.inf
    after = np.flatnonzero((trajectory.t_s >= cooldowns[0].start_s) & on_track)
    laps_done = np.floor((s[after] - entry_s) / trackshape.lap_length_m(1))
    crossing = np.flatnonzero(np.diff(laps_done) > 0)
    return float(trajectory.distance_m[after[crossing[0] + 1]]) if len(crossing) else np.inf


def _on_road(
    road: _RoadLoop, distance_m: np.ndarray, where: np.ndarray, x: np.ndarray, y: np.ndarray, elevation: np.ndarray
) -> None:
    """Fill the positions and elevation at ``where`` with the road loop's, ``distance_m`` along it."""
    u = np.mod(distance_m, road.length_m)
    x[where], y[where] = road.position(u)
    elevation[where] += road.undulation_m(u)


def track_xy_from_latlon(lat_deg: np.ndarray, lon_deg: np.ndarray, venue: Track) -> tuple[np.ndarray, np.ndarray]:
    """Positions in the venue's track frame [m] (the inverse of the placement in :func:`locate`)."""
    east, north = local_xy_m(lat_deg, lon_deg, venue.lat_deg, venue.lon_deg)
    bearing = np.radians(venue.bearing_deg)
    x = east * np.sin(bearing) + north * np.cos(bearing)
    y = -east * np.cos(bearing) + north * np.sin(bearing)
    return x, y


def _rotate(x: np.ndarray, y: np.ndarray, bearing_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Track frame -> east/north: +x points along ``bearing_deg``, +y 90 degrees to its left."""
    bearing = np.radians(bearing_deg)
    east = x * np.sin(bearing) - y * np.cos(bearing)
    north = x * np.cos(bearing) + y * np.sin(bearing)
    return east, north


def _offsets(trajectory: Trajectory, venue: Track, rng: np.random.Generator) -> np.ndarray:
    """Cross-track offset from lane 1's running line over time [m]."""
    t = trajectory.t_s
    target = np.full(len(t), _line_offset_m(venue.easy_lane, venue.line_from_kerb_m))
    fast = _line_offset_m(venue.rep_lane, venue.line_from_kerb_m)
    for phase in trajectory.phases:
        if phase.kind in _FAST_KINDS:
            # The runner lines up in the rep lane during the last seconds of the rest.
            target[(t >= phase.start_s - _LINE_UP_S) & (t <= phase.end_s)] = fast
    lane = first_order_lag(t, target, _LANE_CHANGE_TAU_S)
    # A runner's sideways position is smooth: the rough OU path is low-passed over a few
    # seconds, else its small-scale jitter would add ~0.3 % of phantom path length.
    wander = first_order_lag(t, ornstein_uhlenbeck(t, venue.lane_wander_m, 20.0, rng), 4.0)
    return np.maximum(lane + wander, _MIN_OFFSET_M)


def _line_offset_m(lane: int, line_from_kerb_m: float | None) -> float:
    """Cross-track offset from lane 1's running line of a runner ``line_from_kerb_m`` inside ``lane`` [m]."""
    if line_from_kerb_m is None:
        return trackshape.lane_offset_m(lane)
    measured = trackshape.LANE1_LINE_OFFSET_M if lane == 1 else trackshape.LANE_LINE_OFFSET_M
    return trackshape.lane_offset_m(lane) + line_from_kerb_m - measured


def _along_track(
    d: np.ndarray, offset: np.ndarray, on_track: np.ndarray, track_start_m: float, entry_s: float
) -> np.ndarray:
    """Along-track distance on lane 1's running line: ``ds = dd / (1 + offset / R)`` on the bends."""
    radius = trackshape.running_line_radius_m(1)
    lap = trackshape.lap_length_m(1)
    bend1_end = np.pi * radius
    back_end = bend1_end + trackshape.STRAIGHT_M
    bend2_end = back_end + bend1_end
    step = np.where(on_track[1:], np.diff(np.maximum(d, track_start_m)), 0.0)
    middle_offset = (offset[1:] + offset[:-1]) / 2.0
    s = entry_s + np.concatenate([[0.0], np.cumsum(step)])
    # The bend test needs s and s needs the bend test: a few fixed-point rounds settle it to
    # well under a millimetre (the correction is ~2 % on bends only).
    for _ in range(4):
        middle = np.mod((s[1:] + s[:-1]) / 2.0, lap)
        bend = (middle < bend1_end) | ((middle >= back_end) & (middle < bend2_end))
        stretch = np.where(bend, 1.0 + middle_offset / radius, 1.0)
        s = entry_s + np.concatenate([[0.0], np.cumsum(step / stretch)])
    return s


@dataclass(frozen=True, slots=True)
class _RoadLoop:
    """A closed polyline, parametrised by the distance along it from the junction [m]."""

    along_m: np.ndarray
    x_m: np.ndarray
    y_m: np.ndarray

    @property
    def length_m(self) -> float:
        return float(self.along_m[-1])

    def position(self, u_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.interp(u_m, self.along_m, self.x_m), np.interp(u_m, self.along_m, self.y_m)

    def undulation_m(self, u_m: np.ndarray) -> np.ndarray:
        """Gentle ups and downs (a couple of metres per loop), level with the track at the junction."""
        phase = 2.0 * np.pi * u_m / self.length_m
        return 2.5 * np.sin(phase) + 0.8 * np.sin(3.0 * phase)


def _road_loop() -> _RoadLoop:
    """A rounded rectangle around the stadium, anticlockwise from the middle of its south side."""
    a, b, r = _ROAD_HALF_X_M, _ROAD_HALF_Y_M, _ROAD_CORNER_M
    corners = [
        (a - r, -b + r, -np.pi / 2),
        (a - r, b - r, 0.0),
        (-a + r, b - r, np.pi / 2),
        (-a + r, -b + r, np.pi),
    ]
    xs: list[np.ndarray] = [np.array([0.0])]
    ys: list[np.ndarray] = [np.array([-b])]
    arc = np.linspace(0.0, np.pi / 2, 16)
    for cx, cy, start in corners:
        xs.append(cx + r * np.cos(start + arc))
        ys.append(cy + r * np.sin(start + arc))
    xs.append(np.array([0.0]))
    ys.append(np.array([-b]))
    x, y = np.concatenate(xs), np.concatenate(ys)
    along = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    return _RoadLoop(along_m=along, x_m=x, y_m=y)
