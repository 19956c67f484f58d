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
from .efforts import Candidate, DetectionSpeed, candidates_between, detection_speed, same_size, span_features
from .levels import Level, speed_levels
from .ragged import run_quantiles, segment_members, segment_reduce, unique_pairs

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


def find_efforts(grid: SessionGrid, speed: DetectionSpeed | None = None) -> FoundEfforts:
    """The session's efforts in time order, each with the features the plan alignment compares.

    ``speed`` is the session's (:func:`.efforts.detection_speed`), found here when not given.
    Every water level is flooded at once: the islands of all levels are found together, and
    each distinct island judged once.
    """
    speed = speed if speed is not None else detection_speed(grid)
    levels = [lv for lv in speed_levels(speed.time_s, grid.frame["raw_speed_mps"].to_numpy()) if lv.duration_s > 0]
    if len(levels) < 3:
        return FoundEfforts()
    speeds = np.array([lv.speed_mps for lv in levels])
    running = speeds[speeds > MIN_RUNNING_MPS * 0.8]
    if not len(running):
        return FoundEfforts()
    waters = np.unique(np.round(np.quantile(running, WATER_QUANTILES), 2))
    flooded, start_s, end_s = _islands(levels, waters)
    spans, island = unique_pairs(start_s, end_s)
    verdicts = _verdicts(speed, spans[0], spans[1])
    found = [verdicts[k] for k in island.ravel().tolist()]
    by_water: list[list[Candidate]] = [[] for _ in waters]
    for water, effort in zip(flooded.tolist(), found, strict=True):
        if effort is not None:
            by_water[water].append(effort)
    counts = np.array([len(efforts) for efforts in by_water], dtype=np.float64)
    contrasts = np.array([sum(e.contrast for e in efforts) for efforts in by_water]) / np.maximum(counts, 1.0)
    # The level with the most efforts, the most contrasted of those; the first on a tie.
    chosen = int(np.lexsort((-np.arange(len(waters)), contrasts, counts))[-1])
    if not counts[chosen]:
        return FoundEfforts()
    candidates = _with_inner_efforts(by_water[chosen], by_water[chosen + 1 :])
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


def _islands(levels: list[Level], waters: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of levels above each water level, joined across dips shorter than
    :data:`MERGE_GAP_S` and no slower than :data:`MERGE_MIN_SHARE` of the water: for each
    island, its water level's position in ``waters``, its start and its end [s]."""
    start = np.array([lv.start_s for lv in levels])
    end = np.array([lv.end_s for lv in levels])
    speed = np.array([lv.speed_mps for lv in levels])
    elapsed = np.concatenate([[0.0], np.cumsum(end - start)])
    flooded, above = np.nonzero(speed[None, :] > waters[:, None])
    if not len(flooded):
        return flooded, start[:0], end[:0]
    # The dip before each level above the water (since the previous one at the same water).
    same = np.concatenate([[False], flooded[1:] == flooded[:-1]])
    previous = np.concatenate([[0], above[:-1] + 1])
    dip_s = elapsed[above] - elapsed[previous]
    dip_min = np.fmin(_segment_minima(speed, previous, above), np.inf)
    joined = same & (dip_s <= MERGE_GAP_S) & (dip_min >= MERGE_MIN_SHARE * waters[flooded])
    first = np.flatnonzero(~joined)
    last = np.append(first[1:] - 1, len(above) - 1)
    return flooded[first], start[above[first]], end[above[last]]


def _segment_minima(values: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """The least of ``values[first[k]:stop[k]]`` for every k; NaN where empty."""
    return segment_reduce(np.minimum, values, np.minimum(first, stop), stop)


def _verdicts(speed: DetectionSpeed, start_s: np.ndarray, end_s: np.ndarray) -> list[Candidate | None]:
    """Each island as an effort, or None: too short or slow to be one, too long (steady
    running), or not clearly faster than its surroundings."""
    verdicts: list[Candidate | None] = [None] * len(start_s)
    # Tightening only shortens an island: one already too short is never an effort.
    long_enough = np.flatnonzero(end_s - start_s >= MIN_EFFORT_S)
    start_s, end_s = _tightened(speed, start_s[long_enough], end_s[long_enough])
    features = span_features(speed, start_s, end_s)
    time, distance = speed.time_s, speed.distance_m
    duration = end_s - start_s
    run = np.interp(end_s, time, distance) - np.interp(start_s, time, distance)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_speed = np.where(duration > 0, run / duration, 0.0)
        faster_side = np.fmax(features.before_mps, features.after_mps)
        side_contrast = np.where(
            np.isnan(faster_side), np.inf, features.level_mps / np.maximum(np.nan_to_num(faster_side), 0.5)
        )
    effort = (duration >= MIN_EFFORT_S) & (duration <= MAX_EFFORT_S) & (mean_speed >= MIN_RUNNING_MPS)
    effort &= (features.contrast >= MIN_CONTRAST) & (side_contrast >= MIN_SIDE_CONTRAST)
    chosen = np.flatnonzero(effort)
    for k, candidate in zip(
        long_enough[chosen].tolist(), candidates_between(speed, start_s[chosen], end_s[chosen]), strict=True
    ):
        verdicts[k] = candidate
    return verdicts


def _tightened(speed: DetectionSpeed, start_s: np.ndarray, end_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The islands cut to where the speed is above halfway from their surroundings to their
    own pace (the upper quartile of their speed).

    An island's edges are where slower levels begin, which on a 3 s recording or a gentle
    ramp can be many seconds outside the effort; halfway up is where the effort is. An island
    of fewer than four samples, with no surroundings recorded, or with fewer than two samples
    that high, is kept as it is.
    """
    time, values = speed.time_s, speed.speed_mps
    features = span_features(speed, start_s, end_s)
    first, stop = features.first, features.stop
    top = run_quantiles(values, first, stop, 0.75)
    middle = 0.5 * (top + np.fmin(features.before_mps, features.after_mps))
    owner, index = segment_members(first, stop)
    high = values[index] >= middle[owner]
    high_owner, high_index = owner[high], index[high]
    counts = np.bincount(high_owner, minlength=len(first))
    # The samples are in order within each island: its first and last high ones open and close its run.
    opens = np.flatnonzero(np.diff(high_owner, prepend=-1))
    closes = np.flatnonzero(np.diff(high_owner, append=len(first)))
    lowest = np.full(len(first), len(time))
    highest = np.full(len(first), -1)
    lowest[high_owner[opens]] = high_index[opens]
    highest[high_owner[closes]] = high_index[closes]
    cut = (stop - first >= 4) & np.isfinite(middle) & (counts >= 2)
    tight_start = np.where(cut, time[np.minimum(lowest, len(time) - 1)], start_s)
    tight_end = np.where(cut, time[np.maximum(highest, 0)], end_s)
    return tight_start, tight_end


def _with_inner_efforts(chosen: list[Candidate], higher: list[list[Candidate]]) -> list[Candidate]:
    """The chosen efforts, and faster ones from the higher water levels (in rising order) that
    lie outside all of them."""
    efforts = list(chosen)
    for found in higher:
        for effort in found:
            if not any(effort.start_s < e.end_s and e.start_s < effort.end_s for e in efforts):
                efforts.append(effort)
    return sorted(efforts, key=lambda c: c.start_s)
