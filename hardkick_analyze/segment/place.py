"""Place each matched rep's boundaries: speed ramps first, then distance for what ramps miss.

A boundary is *sharp* when the runner changed speed quickly (a start from a stand or a walk, the
kick, the stop after the line): the ramp corner is the time, to a fraction of a second. A start
from a jog or a rep that fades into a jog has a gentle ramp whose corner is uncertain by
seconds; such a boundary is set from the distance instead, using the watch's distance scale
(watch metres per true metre) measured on this session's sharp reps: on a track the planned
distance is exact and the watch's is a few percent off, but consistently so within a session.

On a recognised track (a grid corrected by :mod:`hardkick_analyze.track`), when most sharp starts
lie at one place on the track (a line on the straight), a gentle start is put where the runner
crossed that line, if that agrees with its ramp. (The track's distance is not used to set a
gentle start by itself: a rep starting from a jog covers its first metres slowly, so half a
percent of distance error is a second or more there; the gentle ramp does better.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .. import trackshape
from ..clean import SessionGrid
from ..models import PlannedRep
from ..results import RepBounds
from ..units import ON_TRACK_SHARE, quantile
from .boundaries import Ramp, at_fraction, falling_ramp, rising_ramp
from .efforts import Candidate, window

__all__ = ["Placed", "Scales", "place_rep", "resolve"]

#: Windows for the levels a ramp leaves and reaches, relative to the candidate's edges [s].
REST_WINDOW_S = (4.0, 20.0)
HOLD_WINDOW_S = (3.0, 10.0)
#: The start leaves the slowest level of this many seconds before the candidate's edge [s].
START_REST_S = 12.0
#: How far from a candidate edge (a lap press, a threshold crossing) a ramp may be [s].
SEARCH_S = 6.0
#: A lap's edge moves to a sharp speed ramp no further than this: a lap press is a moment off
#: the real start at most, and the step change of a structured workout is the start [s].
LAP_REFINE_S = 1.5
#: A ramp whose 20-80 % part takes longer than this plus the speed's smoothing window is too
#: gentle to time a boundary [s].
SHARP_RISE_S = 1.5
#: A boundary set from the distance must land this close to the gentle ramp it replaces, plus
#: that ramp's own rise time; further off, the distance crossed a stretch of GPS jitter [s].
DISTANCE_AGREEMENT_S = 3.0
#: The kick must lift the speed at least this much above the rep's pace to be seen.
KICK_MIN_LIFT = 1.1
#: Onset factors (see :mod:`.boundaries`): a start from rest is close to an exponential
#: approach blurred by the smoothing; a stop after the line and the wind-up of a kick are
#: smooth S-shaped changes.
START_ONSET = 1.0 / 3.0
STOP_ONSET = 0.62
KICK_ONSET = 0.65
#: Where on its ramp a boundary is, as the share of the way from one level to the other,
#: measured against the laps of the real FIT sessions (``bench/real.py`` with the laps ignored,
#: ``bench/ramps.py --format fit``): a runner starting from a jog passes the line (and presses
#: the lap) 60 % of the way up the ramp, having sped up into it; from a stand or a walk, 35 % of
#: the way up. A rep run into a jog ends a fifth of the way down; a stop after the line where
#: the speed leaves the rep's level (the onset). The onset extrapolation the simulator first
#: suggested put starts 2.7 s and ends 2.0 s early on the real files. Devices differ by a few
#: seconds either way (Garmin timed steps, COROS lap presses); the GPX files' laps (Garmin
#: workout steps mapped from a split CSV) sit further along every ramp (75 % up from a stand,
#: 76 % from a jog, 24-37 % down at a stop: a median 1.9 s later) and are not used to set these
#: (``docs/accuracy.md``).
#: A kick begins where the sprint leaves the rep's pace: 20 % of the way up.
START_FRACTION_FROM_JOG = 0.6
START_FRACTION_FROM_REST = 0.35
END_FRACTION_INTO_JOG = 0.2
KICK_FRACTION = 0.2
#: The rest before (after) a boundary is a stand or a walk when slower than this share of the rep.
STANDING_SHARE = 0.4
#: The distance scale is trusted between these values (GPS is never off by more).
SCALE_RANGE = (0.85, 1.15)
#: Sharp starts within this along-track distance of each other are at the same line [m]; a line
#: needs this many of them, and this share of all sharp starts.
LINE_TOLERANCE_M = 8.0
LINE_MIN_STARTS = 3
LINE_MIN_SHARE = 0.6
#: A lap of lane 1's line, for positions on the track [m].
LAP_M = trackshape.lap_length_m(1)


@dataclass(frozen=True, slots=True)
class Placed:
    """A matched rep with its located ramps (None where no ramp was found)."""

    planned_index: int
    planned: PlannedRep
    candidate: Candidate
    start: Ramp | None
    end: Ramp | None
    kick: Ramp | None
    lap_guided: bool
    sharp_rise_s: float

    def sharp_corner(self, ramp: Ramp | None) -> float | None:
        """The ramp's corner when it is steep enough to time a boundary [s]."""
        return ramp.corner_s if ramp is not None and ramp.rise_s <= self.sharp_rise_s else None


def place_rep(
    grid: SessionGrid,
    speed: np.ndarray,
    candidate: Candidate,
    planned_index: int,
    planned: PlannedRep,
    *,
    lap_guided: bool,
) -> Placed:
    """Locate the start, stop and (for kick reps) kick ramps around a matched candidate."""
    time = grid.time_s
    hold = _level(time, speed, candidate.start_s + HOLD_WINDOW_S[0], candidate.start_s + HOLD_WINDOW_S[0] + 10)
    # The level the start leaves: the slowest of the last seconds before it (a runner often
    # walks, then stands on the line for a few seconds).
    rest_before = _level(time, speed, candidate.start_s - START_REST_S, candidate.start_s, q=0.1)
    crossing = _mid_crossing(time, speed, candidate.start_s, rest_before, hold, rising=True)
    start = rising_ramp(time, speed, crossing, rest_before, hold, START_ONSET) if crossing is not None else None
    if start is not None:
        fraction = START_FRACTION_FROM_REST if rest_before < STANDING_SHARE * hold else START_FRACTION_FROM_JOG
        start = at_fraction(time, speed, start, rest_before, hold, fraction)

    final = _level(time, speed, candidate.end_s - HOLD_WINDOW_S[1], candidate.end_s - HOLD_WINDOW_S[0])
    rest_after = _level(time, speed, candidate.end_s + REST_WINDOW_S[0], candidate.end_s + REST_WINDOW_S[1])
    crossing = _mid_crossing(time, speed, candidate.end_s, final, rest_after, rising=False)
    end = falling_ramp(time, speed, crossing, final, rest_after, STOP_ONSET) if crossing is not None else None
    if end is not None and rest_after >= STANDING_SHARE * final:
        end = at_fraction(time, speed, end, final, rest_after, END_FRACTION_INTO_JOG)

    kick = None
    if planned.has_kick:
        first = start.corner_s if start else candidate.start_s
        last = end.corner_s if end else candidate.end_s
        kick = _kick_ramp(time, speed, first, last, planned)
    sharp = SHARP_RISE_S + grid.speed_window_s
    return Placed(planned_index, planned, candidate, start, end, kick, lap_guided, sharp)


@dataclass(frozen=True, slots=True)
class Scales:
    """The session's distance scales measured on its sharply timed reps (see :func:`resolve`)."""

    distance_scale: float | None
    speed_scale: float | None
    sharp_reps: int
    start_line_m: float | None


def resolve(grid: SessionGrid, placed: list[Placed]) -> tuple[list[RepBounds], Scales]:
    """Final boundaries for every rep, and the session's distance scale.

    Returns
    -------
    bounds, scales
        ``scales.distance_scale`` is watch / true distance (None when no rep had two sharp
        boundaries), ``speed_scale`` the same for the integrated speed, ``start_line_m`` the
        start line on a recognised track.
    """
    if not placed:
        return [], Scales(distance_scale=None, speed_scale=None, sharp_reps=0, start_line_m=None)
    time = grid.time_s
    distance = grid.frame["distance_m"].to_numpy()
    speed = grid.frame["speed_mps"].to_numpy(dtype=np.float64)
    distance_ratios, speed_ratios = [], []
    for rep in placed:
        a = rep.sharp_corner(rep.start)
        b = rep.sharp_corner(rep.kick if rep.planned.has_kick else rep.end)
        if a is not None and b is not None and rep.planned.distance_m is not None:
            distance_ratios.append((_interp(time, distance, b) - _interp(time, distance, a)) / rep.planned.distance_m)
            speed_ratios.append(_integral(time, speed, a, b) / rep.planned.distance_m)
    distance_scale = _trusted_median(distance_ratios)
    track = _track_evidence(grid, placed)
    bounds = [_bounds(rep, time, distance, distance_scale, track) for rep in placed]
    scales = Scales(
        distance_scale=distance_scale,
        speed_scale=_trusted_median(speed_ratios),
        sharp_reps=len(distance_ratios),
        start_line_m=track.line_s_m if track is not None else None,
    )
    return bounds, scales


@dataclass(frozen=True, slots=True)
class _Track:
    """Where the runner was on a recognised track: on it or not, the position along lane 1's
    line (NaN off it) [m], and the start line most sharp starts agree on [m]."""

    on_track: np.ndarray
    s_m: np.ndarray
    line_s_m: float | None

    def holds(self, time: np.ndarray, start_s: float, end_s: float) -> bool:
        """Whether the runner was on the track for (nearly) all of ``[start_s, end_s]``."""
        inside = window(time, start_s, end_s)
        return bool(inside.stop > inside.start and self.on_track[inside].mean() >= ON_TRACK_SHARE)


def _track_evidence(grid: SessionGrid, placed: list[Placed]) -> _Track | None:
    """The track positions of a corrected grid and its start line; None on an uncorrected grid."""
    frame = grid.frame
    if "on_track" not in frame or "track_s_m" not in frame:
        return None
    s = frame["track_s_m"].to_numpy(dtype=np.float64)
    time = grid.time_s
    starts = [t for t in (rep.sharp_corner(rep.start) for rep in placed) if t is not None]
    # The nearest sample: interpolating across the finish line (399 m, then 1 m) would give 200 m.
    nearest = np.clip(np.searchsorted(time, np.asarray(starts, dtype=np.float64)), 0, len(time) - 1)
    positions = s[nearest]
    return _Track(frame["on_track"].to_numpy(dtype=bool), s, _common_position(positions[np.isfinite(positions)]))


def _common_position(positions_m: np.ndarray) -> float | None:
    """The along-track position most of ``positions_m`` share, within :data:`LINE_TOLERANCE_M` [m]."""
    if len(positions_m) < LINE_MIN_STARTS:
        return None
    apart = np.abs(trackshape.wrap_half_lap_m(positions_m[:, None] - positions_m[None, :]))
    near = apart <= LINE_TOLERANCE_M
    best = int(np.argmax(near.sum(axis=1)))
    members = near[best]
    if members.sum() < max(LINE_MIN_STARTS, LINE_MIN_SHARE * len(positions_m)):
        return None
    return float(
        np.mod(positions_m[best] + np.mean(trackshape.wrap_half_lap_m(positions_m[members] - positions_m[best])), LAP_M)
    )


def _line_crossing(time: np.ndarray, s_m: np.ndarray, line_m: float, around_s: float, within_s: float) -> float | None:
    """When the runner passed the line going forward, nearest ``around_s`` and within ``within_s`` [s]."""
    nearby = np.flatnonzero((time >= around_s - within_s) & (time <= around_s + within_s))
    if len(nearby) < 2:
        return None
    ahead = trackshape.wrap_half_lap_m(s_m[nearby] - line_m)
    # A forward crossing: behind the line, then at or past it, by less than a few metres.
    crossing = (ahead[:-1] < 0) & (ahead[1:] >= 0) & (ahead[1:] - ahead[:-1] < 2.0 * LINE_TOLERANCE_M)
    hits = np.flatnonzero(crossing)
    if not len(hits):
        return None
    times = [float(np.interp(0.0, [ahead[k], ahead[k + 1]], [time[nearby[k]], time[nearby[k + 1]]])) for k in hits]
    return min(times, key=lambda t: abs(t - around_s))


def _bounds(
    rep: Placed, time: np.ndarray, distance: np.ndarray, scale: float | None, track: _Track | None
) -> RepBounds:
    fallback = "lap" if rep.lap_guided else "threshold"
    how: dict[str, str] = {}
    paced_m = rep.planned.distance_m if rep.planned.distance_m is not None else rep.candidate.distance_m
    effort_m = paced_m + rep.planned.kick_m
    if rep.planned.distance_m is None:
        scale = None  # a timed rep's distance is not planned: its boundaries are timed on the speed
    on_track = track is not None and track.holds(time, rep.candidate.start_s, rep.candidate.end_s)
    if rep.lap_guided:
        return _lap_bounds(rep)
    start_s = rep.sharp_corner(rep.start)
    end_s = rep.sharp_corner(rep.end)
    how["start"] = "speed ramp" if start_s is not None else ""
    how["end"] = "speed ramp" if end_s is not None else ""
    if start_s is None and on_track and track is not None and track.line_s_m is not None and rep.start is not None:
        crossing = _line_crossing(
            time, track.s_m, track.line_s_m, rep.start.corner_s, DISTANCE_AGREEMENT_S + rep.start.rise_s
        )
        if crossing is not None:
            start_s, how["start"] = crossing, "track line"
    if start_s is None and end_s is not None and scale is not None:
        by_distance = _time_at_distance(time, distance, end_s, -effort_m * scale)
        if _agrees(by_distance, rep.start):
            start_s, how["start"] = by_distance, "distance"
    if end_s is None and start_s is not None and scale is not None:
        by_distance = _time_at_distance(time, distance, start_s, effort_m * scale)
        if _agrees(by_distance, rep.end):
            end_s, how["end"] = by_distance, "distance"
    if start_s is None:
        start_s, how["start"] = (rep.start.corner_s, "gentle ramp") if rep.start else (rep.candidate.start_s, fallback)
    if end_s is None:
        end_s, how["end"] = (rep.end.corner_s, "gentle ramp") if rep.end else (rep.candidate.end_s, fallback)
    if not rep.planned.has_kick:
        return RepBounds(planned_index=rep.planned_index, start_s=start_s, end_s=end_s, how=MappingProxyType(how))
    if rep.kick is not None:
        kick_s, how["kick"] = rep.kick.corner_s, "speed ramp"
    elif scale is not None:
        kick_s, how["kick"] = _time_at_distance(time, distance, start_s, paced_m * scale), "distance"
    else:
        kick_s, how["kick"] = start_s + paced_m / effort_m * (end_s - start_s), "distance share"
    return RepBounds(
        planned_index=rep.planned_index, start_s=start_s, end_s=kick_s, kick_end_s=end_s, how=MappingProxyType(how)
    )


def _lap_bounds(rep: Placed) -> RepBounds:
    """A rep the watch's laps mark: the lap's edges, each moved to a sharp speed ramp only
    when one lies within :data:`LAP_REFINE_S` of it (a lap pressed a moment late)."""
    how: dict[str, str] = {}
    edges = []
    for name, ramp, lap_s in (("start", rep.start, rep.candidate.start_s), ("end", rep.end, rep.candidate.end_s)):
        sharp = rep.sharp_corner(ramp)
        if sharp is not None and abs(sharp - lap_s) <= LAP_REFINE_S:
            edges.append(sharp)
            how[name] = f"lap, moved {sharp - lap_s:+.1f} s to a sharp speed ramp"
        else:
            edges.append(lap_s)
            how[name] = "lap"
    start_s, end_s = edges
    if not rep.planned.has_kick:
        return RepBounds(planned_index=rep.planned_index, start_s=start_s, end_s=end_s, how=MappingProxyType(how))
    paced_m = rep.planned.expected_distance_m() or 0.0
    share = paced_m / (paced_m + rep.planned.kick_m) if paced_m > 0 else 0.8
    kick_s = rep.kick.corner_s if rep.kick is not None else start_s + share * (end_s - start_s)
    how["kick"] = "speed ramp" if rep.kick is not None else "distance share"
    return RepBounds(
        planned_index=rep.planned_index, start_s=start_s, end_s=kick_s, kick_end_s=end_s, how=MappingProxyType(how)
    )


def _agrees(by_distance: float, gentle: Ramp | None) -> bool:
    """Whether a distance-based boundary is near the gentle ramp it would replace."""
    return gentle is None or abs(by_distance - gentle.corner_s) <= DISTANCE_AGREEMENT_S + gentle.rise_s


def _kick_ramp(time: np.ndarray, speed: np.ndarray, start_s: float, end_s: float, planned: PlannedRep) -> Ramp | None:
    """The rise from the rep's pace into the sprint, searched around the planned distance share."""
    paced_m = planned.expected_distance_m() or 0.0
    share = paced_m / (paced_m + planned.kick_m) if paced_m > 0 else 0.8
    guess = start_s + share * (end_s - start_s)
    inside = window(time, start_s, end_s)
    if inside.stop - inside.start < 4:
        return None
    peak_index = inside.start + int(np.argmax(speed[inside]))
    peak = float(speed[peak_index])
    paced = _level(time, speed, start_s + 0.3 * (guess - start_s), guess - 3.0)
    if not math.isfinite(paced) or peak < KICK_MIN_LIFT * paced:
        return None
    midpoint = paced + 0.5 * (peak - paced)
    # The last sample below the midpoint after the rep's start and before the peak.
    first = int(np.searchsorted(time, start_s, "right"))
    below = first + np.flatnonzero(speed[first:peak_index] < midpoint)
    if not len(below):
        return None
    ramp = rising_ramp(time, speed, float(time[below[-1]]), paced, peak, KICK_ONSET)
    return at_fraction(time, speed, ramp, paced, peak, KICK_FRACTION) if ramp is not None else None


def _mid_crossing(
    time: np.ndarray, speed: np.ndarray, around_s: float, before: float, after: float, *, rising: bool
) -> float | None:
    """The crossing of the level halfway between ``before`` and ``after`` nearest ``around_s``."""
    if not (math.isfinite(before) and math.isfinite(after)):
        return None
    middle = 0.5 * (before + after)
    # A change between samples k and k + 1, for the samples k inside the search window.
    near = window(time, around_s - SEARCH_S, around_s + SEARCH_S)
    above = speed[near.start : near.stop + 1] >= middle
    changes = near.start + np.flatnonzero(np.diff(above.astype(np.int8)) == (1 if rising else -1))
    if not len(changes):
        return None
    nearest = changes[np.argmin(np.abs(time[changes] - around_s))]
    return float(time[nearest + 1])


def _time_at_distance(time: np.ndarray, distance: np.ndarray, from_s: float, metres: float) -> float:
    """When the watch's distance differs from its value at ``from_s`` by ``metres`` [s]."""
    target = _interp(time, distance, from_s) + metres
    monotone = np.maximum.accumulate(np.nan_to_num(distance, nan=-np.inf))
    return float(np.interp(target, monotone, time))


def _integral(time: np.ndarray, values: np.ndarray, start_s: float, end_s: float) -> float:
    inside = window(time, start_s, end_s, closed="neither")
    t = np.concatenate([[start_s], time[inside], [end_s]])
    v = np.concatenate([[_interp(time, values, start_s)], values[inside], [_interp(time, values, end_s)]])
    return float(np.trapezoid(np.nan_to_num(v), t))


def _interp(time: np.ndarray, values: np.ndarray, at: float) -> float:
    return float(np.interp(at, time, values))


def _level(time: np.ndarray, speed: np.ndarray, start_s: float, end_s: float, q: float = 0.5) -> float:
    """The ``q`` quantile of the speed over ``[start_s, end_s]`` (NaN when no sample is inside)."""
    inside = window(time, start_s, end_s)
    return quantile(speed[inside], q) if inside.stop > inside.start else math.nan


def _trusted_median(ratios: list[float]) -> float | None:
    finite = [r for r in ratios if math.isfinite(r) and SCALE_RANGE[0] <= r <= SCALE_RANGE[1]]
    return float(np.median(finite)) if finite else None
