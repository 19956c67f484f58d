"""Efforts found with no plan: the stretches a runner ran clearly faster than around them.

The session's steady levels (:mod:`.levels`) are flooded at a rising water level: at each
level the *islands* are the runs of levels above it (a dip of a few seconds inside a rep, GPS
noise or a corner, does not split one). An island is an effort when it is clearly faster than
the running around it (:data:`MIN_CONTRAST`) and is not a whole steady run. The water level
that yields the most efforts is the session's: it separates the reps from the recoveries,
whatever the paces, so a target pace never decides whether a rep exists. Faster islands
inside what is left steady at that level (strides in a warm-up, surges in a steady run) are
added from higher water levels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..clean import SessionGrid
from .efforts import Candidate, candidate_between, same_size, smoothed_speed, surroundings, window
from .levels import Level, speed_levels

__all__ = ["FoundEfforts", "find_efforts"]

#: An effort is at least this many times faster than the slower of its surroundings.
MIN_CONTRAST = 1.15
#: ... and at least this many times faster than the faster of them.
MIN_SIDE_CONTRAST = 1.05
#: Islands closer than this are one effort: a dip this short is noise or a corner [s].
MERGE_GAP_S = 6.0
#: A dip below this share of the effort's speed is a real stop, never merged.
MERGE_MIN_SHARE = 0.6
#: Shortest effort: a 10 s sprint recorded every 3 s [s].
MIN_EFFORT_S = 6.0
#: Longer than this is a steady run (or a tempo), not a rep of an interval session [s].
MAX_EFFORT_S = 20 * 60.0
#: Slower than this is not running [m/s].
MIN_RUNNING_MPS = 1.8
#: An effort is at least this many times as fast as the session's easy running ...
EASY_MARGIN = 1.08
#: ... when there is this much easy running to tell [s], in steady stretches this long [s].
MIN_EASY_S = 120.0
EASY_LEVEL_S = 30.0
#: Easy running is slower than this share of the fastest efforts' pace (90th percentile).
EASY_SHARE = 0.85
#: Efforts this short (strides, sprints) count only in sets of at least this many [s].
SHORT_EFFORT_S = 35.0
MIN_SHORT_SET = 3
#: ... of about one length (within this ratio) run within this time of each other [s].
SET_LENGTH_RATIO = 1.6
SET_WINDOW_S = 6 * 60.0
#: An effort this many times longer than the session's typical one, and longer than the second
#: figure, is a brisk stretch of the warm-up or a progression, not a rep [s].
LONGEST_SHARE = 4.0
LONG_EFFORT_S = 8 * 60.0
#: A rep is run faster than this (7:00/km): slower efforts are brisk walks between stops [m/s].
MIN_REP_MPS = 2.4
#: An effort slower than this share of the session's fastest ones (90th percentile) is not a
#: rep: a ladder's 1000 m and 200 m, or 4 min reps and strides, stay within it.
MIN_SHARE_OF_FASTEST = 0.7
#: The first or last effort is a brisk stretch of the warm-up or cool-down when it is this many
#: times longer than the effort next to it and slower than this share of its pace.
EDGE_LENGTH_RATIO = 1.5
EDGE_SPEED_SHARE = 0.92
#: An interval session repeats its reps: at least this share of its efforts are run next to
#: another of about their size (within this ratio of time or distance). A pyramid run once
#: (200-400-600-400-200) is found only when told.
MIN_REPEATED_SHARE = 0.6
SAME_SIZE_RATIO = 1.2
#: An interval session has at least this many efforts.
MIN_EFFORTS = 2
#: Water levels tried, as quantiles of the levels' speeds.
WATER_QUANTILES = np.linspace(0.05, 0.98, 48)


@dataclass(frozen=True, slots=True)
class FoundEfforts:
    """What the speed shows: every effort clearly faster than its surroundings
    (``candidates``), and those a runner would call reps (``reps``: faster than the easy
    running, short ones in sets, no warm-up stretch). A plan is matched against the
    candidates; with no plan, the reps make the structure."""

    reps: tuple[Candidate, ...] = ()
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True, slots=True)
class _Island:
    start_s: float
    end_s: float


def find_efforts(grid: SessionGrid) -> FoundEfforts:
    """The session's efforts in time order, each with the features the plan alignment compares."""
    speed = smoothed_speed(grid)
    time = grid.time_s
    levels = [lv for lv in speed_levels(time, grid.frame["raw_speed_mps"].to_numpy()) if lv.duration_s > 0]
    if len(levels) < 3:
        return FoundEfforts()
    speeds = np.array([lv.speed_mps for lv in levels])
    running = speeds[speeds > MIN_RUNNING_MPS * 0.8]
    if not len(running):
        return FoundEfforts()
    waters = np.unique(np.round(np.quantile(running, WATER_QUANTILES), 2))
    best: list[Candidate] = []
    best_key: tuple[float, float] = (-1.0, 0.0)
    by_water: dict[float, tuple[list[Candidate], list[_Island]]] = {}
    judged: dict[_Island, Candidate | _Island | None] = {}
    for water in waters:
        islands = _islands(levels, float(water))
        efforts, steady = _judge(grid, speed, islands, judged)
        by_water[float(water)] = (efforts, steady)
        key = (float(len(efforts)), float(np.mean([c.contrast for c in efforts])) if efforts else 0.0)
        if key > best_key:
            best_key, best = key, efforts
    if not best:
        return FoundEfforts()
    chosen_water = next(w for w, (e, _) in by_water.items() if e is best)
    candidates = _with_inner_efforts(best, by_water, chosen_water)
    return FoundEfforts(reps=tuple(_plausible(levels, candidates)), candidates=tuple(candidates))


def _plausible(levels: list[Level], efforts: list[Candidate]) -> list[Candidate]:
    """The efforts a runner would call reps.

    An effort must be faster than the session's easy running (the steady running of at least
    :data:`EASY_LEVEL_S`, slower than the fastest efforts): a jog between two traffic lights is
    faster than the stops around it, not a rep.
    Nor is a jog between walks in a sprint session: reps are run at comparable efforts, so an
    effort far slower than the session's fastest ones is not one of them.
    Short efforts come in sets (strides, sprints): a lone one is a burst, not a rep.
    """
    if not efforts:
        return []
    fastest = float(np.quantile([e.mean_speed_mps for e in efforts], 0.9))
    easy = [
        level
        for level in levels
        if level.duration_s >= EASY_LEVEL_S and MIN_RUNNING_MPS <= level.speed_mps <= EASY_SHARE * fastest
    ]
    if sum(level.duration_s for level in easy) >= MIN_EASY_S:
        easy_mps = _weighted_median([lv.speed_mps for lv in easy], [lv.duration_s for lv in easy])
        efforts = [e for e in efforts if e.mean_speed_mps >= EASY_MARGIN * easy_mps]
    efforts = [e for e in efforts if e.mean_speed_mps >= max(MIN_REP_MPS, MIN_SHARE_OF_FASTEST * fastest)]
    efforts = [e for e in efforts if e.duration_s > SHORT_EFFORT_S or _in_a_set(e, efforts)]
    if efforts:
        typical = float(np.median([e.duration_s for e in efforts]))
        efforts = [e for e in efforts if e.duration_s <= max(LONGEST_SHARE * typical, LONG_EFFORT_S)]
    efforts = _without_warm_up_and_cool_down(efforts)
    # One effort is a run with a brisk stretch, not an interval session; nor are efforts of all
    # sizes one after the other: an interval session repeats its reps (a ladder's in pairs).
    if len(efforts) < MIN_EFFORTS or _repeated_share(efforts) < MIN_REPEATED_SHARE:
        return []
    return efforts


def _repeated_share(efforts: list[Candidate]) -> float:
    """The share of the efforts run next to another of about their time or distance."""
    repeated = sum(
        1
        for k, effort in enumerate(efforts)
        if any(same_size(effort, efforts[j], SAME_SIZE_RATIO) for j in (k - 1, k + 1) if 0 <= j < len(efforts))
    )
    return repeated / len(efforts)


def _weighted_median(values: list[float], weights: list[float]) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(values)[order][np.searchsorted(cumulative, cumulative[-1] / 2.0)])


def _without_warm_up_and_cool_down(efforts: list[Candidate]) -> list[Candidate]:
    """The efforts less the brisk stretches of the warm-up and the cool-down.

    The first (last) effort is the warm-up's (cool-down's) when it is both much longer and
    clearly slower than the effort next to it; checked again on what is left.
    """
    efforts = list(efforts)
    for end, neighbour in ((0, 1), (-1, -2)):
        while len(efforts) > MIN_EFFORTS:
            edge, next_to = efforts[end], efforts[neighbour]
            longer = edge.duration_s > EDGE_LENGTH_RATIO * next_to.duration_s
            slower = edge.mean_speed_mps < EDGE_SPEED_SHARE * next_to.mean_speed_mps
            if not (longer and slower):
                break
            efforts.pop(end)
    return efforts


def _in_a_set(effort: Candidate, efforts: list[Candidate]) -> bool:
    """Whether a short effort has :data:`MIN_SHORT_SET` - 1 others of its length close by."""
    alike = [
        e
        for e in efforts
        if e is not effort
        and abs(e.start_s - effort.start_s) <= SET_WINDOW_S
        and max(e.duration_s, effort.duration_s) <= SET_LENGTH_RATIO * min(e.duration_s, effort.duration_s)
    ]
    return len(alike) >= MIN_SHORT_SET - 1


def _islands(levels: list[Level], water: float) -> list[_Island]:
    """Runs of levels above ``water``, joined across dips shorter than :data:`MERGE_GAP_S`."""
    islands: list[list[float]] = []
    dip_s = 0.0
    dip_min = np.inf
    for level in levels:
        if level.speed_mps > water:
            if islands and dip_s <= MERGE_GAP_S and dip_min >= MERGE_MIN_SHARE * water:
                islands[-1][1] = level.end_s
            else:
                islands.append([level.start_s, level.end_s])
            dip_s, dip_min = 0.0, np.inf
        else:
            dip_s += level.duration_s
            dip_min = min(dip_min, level.speed_mps)
    return [_Island(a, b) for a, b in islands]


def _judge(
    grid: SessionGrid, speed: np.ndarray, islands: list[_Island], judged: dict[_Island, Candidate | _Island | None]
) -> tuple[list[Candidate], list[_Island]]:
    """The islands that are efforts, and the ones too long to be (steady running); ``judged``
    remembers each island's verdict across water levels (most islands recur at several)."""
    efforts, steady = [], []
    for island in islands:
        if island not in judged:
            judged[island] = _verdict(grid, speed, island)
        verdict = judged[island]
        if isinstance(verdict, Candidate):
            efforts.append(verdict)
        elif verdict is not None:
            steady.append(verdict)
    return efforts, steady


def _verdict(grid: SessionGrid, speed: np.ndarray, wide: _Island) -> Candidate | _Island | None:
    """An island as an effort, as steady running (too long), or None (neither)."""
    time = grid.time_s
    island = _tightened(time, speed, wide)
    duration = island.end_s - island.start_s
    if duration < MIN_EFFORT_S:
        return None
    effort = candidate_between(grid, speed, island.start_s, island.end_s)
    if effort.mean_speed_mps < MIN_RUNNING_MPS:
        return None
    if duration > MAX_EFFORT_S:
        return island
    if effort.contrast < MIN_CONTRAST or _side_contrast(time, speed, island.start_s, island.end_s) < MIN_SIDE_CONTRAST:
        return None
    return effort


def _tightened(time: np.ndarray, speed: np.ndarray, island: _Island) -> _Island:
    """The island cut to where the speed is above halfway from its surroundings to its own pace.

    An island's edges are where slower levels begin, which on a 3 s recording or a gentle
    ramp can be many seconds outside the effort; halfway up is where the effort is.
    """
    inside = window(time, island.start_s, island.end_s)
    if inside.stop - inside.start < 4:
        return island
    sides = surroundings(time, speed, island.start_s, island.end_s)
    if not sides:
        return island
    middle = 0.5 * (float(np.quantile(speed[inside], 0.75)) + min(sides))
    above = np.flatnonzero(speed[inside] >= middle) + inside.start
    if len(above) < 2:
        return island
    return _Island(float(time[above[0]]), float(time[above[-1]]))


def _side_contrast(time: np.ndarray, speed: np.ndarray, start_s: float, end_s: float) -> float:
    """How much faster an effort is than the faster of its two surroundings."""
    level = float(np.mean(speed[window(time, start_s, end_s)]))
    sides = surroundings(time, speed, start_s, end_s)
    return level / max(max(sides), 0.5) if sides else np.inf


def _with_inner_efforts(
    chosen: list[Candidate], by_water: dict[float, tuple[list[Candidate], list[_Island]]], water: float
) -> list[Candidate]:
    """The chosen efforts, and faster ones from higher water levels that lie outside all of them."""
    efforts = list(chosen)
    for level in sorted(w for w in by_water if w > water):
        for effort in by_water[level][0]:
            if not any(effort.start_s < e.end_s and e.start_s < effort.end_s for e in efforts):
                efforts.append(effort)
    return sorted(efforts, key=lambda c: c.start_s)
