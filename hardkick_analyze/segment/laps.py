"""The watch's laps as candidate reps.

A lap is a candidate when it is a rep step of the watch's workout, or else when it was run
clearly faster than the session's other laps; consecutive such laps with no rest between them
(a 400 m lap straight into a 100 m kick lap) are one candidate. 1 km auto-laps mix reps and
rests, so they never fit the plan's distances and the alignment rejects them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from ..clean import SessionGrid
from ..models import Activity, Lap
from ..watch_plan import rep_step_indices
from .efforts import Candidate, DetectionSpeed, candidates_between

__all__ = ["LapTable", "lap_candidates", "lap_table", "laps_as_efforts", "structured"]

#: A fast lap is at least this many times as fast as the slow laps.
FAST_RATIO = 1.1
#: A lap longer than this many times the longest planned effort is not part of a rep.
MAX_LAP_SHARE = 1.6
#: Consecutive fast laps closer than this are one effort [s], when the later one keeps at least
#: this share of the earlier one's speed (a runner's even pace varies less over a rep).
JOIN_GAP_S = 2.0
JOIN_SPEED_SHARE = 0.95
#: A lap boundary this close to an effort's edge marks it [s] (the effort's edges are found
#: on the speed levels, to a few seconds).
LAP_MARK_S = 8.0
#: The laps mark the reps when at least this many rep laps, and this share of them, mark efforts.
MIN_MARKED = 3
MIN_MARKED_SHARE = 0.6
#: Rep laps every one of which is this many times faster than every recovery between them are
#: the reps, whatever the speed alone found.
ALTERNATING_RATIO = 1.4
#: An unmarked rep lap within this ratio of a marked one's time is a rep the speed missed.
ALIKE_RATIO = 1.5
#: A lap the size of the peak laps is a rep too when it and an effort found on the speed share
#: this much of the longer of the two (the speed's edges are a few seconds off a lap's).
OVERLAP_SHARE = 0.7


@dataclass(frozen=True, slots=True)
class LapTable:
    """The watch's laps as the segmenter reads them, once per session whatever the plan: each
    lap's ``(start, end)`` since the first record [s] and its distance (the lap's own, else the
    distance channel's over its seconds) [m]."""

    spans: tuple[tuple[float, float], ...]
    distances_m: tuple[float, ...]
    #: The candidates made of each set of rep laps (on the session's one detection speed), kept
    #: for the next plan: plans of different lengths mostly pick the same rep laps
    #: (:func:`lap_candidates`).
    joined: dict[tuple[tuple[float, float], ...], list[Candidate]] = field(
        default_factory=dict, compare=False, repr=False
    )


def lap_table(activity: Activity, grid: SessionGrid) -> LapTable:
    """The session's :class:`LapTable`."""
    time = grid.time_s
    distance = grid.frame["distance_m"].to_numpy()
    spans = tuple((activity.seconds(lap.start_time), activity.seconds(lap.end_time)) for lap in activity.laps)
    return LapTable(
        spans=spans,
        distances_m=tuple(
            _lap_distance(lap, time, distance, *span) for lap, span in zip(activity.laps, spans, strict=True)
        ),
    )


def lap_candidates(
    activity: Activity,
    grid: SessionGrid,
    speed: DetectionSpeed,
    longest_effort_m: float,
    table: LapTable | None = None,
) -> list[Candidate]:
    """Candidates made of the laps that are reps (joined when back to back), in time order.

    With a structured workout, the laps of its rep steps (``wkt_step_index``) are the reps,
    whatever their speed. Otherwise the fast laps are: the laps split into a fast and a slow
    class at the speed that separates them best (Otsu's criterion on the laps' speeds, each
    weighted by its time), the fast ones clearly faster than the slow ones, and the laps run
    :data:`FAST_RATIO` times faster than the laps on both sides of them (and no slower than a
    typical lap). A lap much longer than the longest planned effort (``longest_effort_m`` [m])
    is a warm-up or cool-down lap, never part of a rep. A rep lap followed straight away by one
    as fast (an auto-lap inside the rep) or faster (its kick) is one candidate. ``speed`` is the
    session's (:func:`.efforts.detection_speed`), ``table`` its laps (:func:`lap_table`, read
    here when not given).
    """
    if len(activity.laps) < 2:
        return []
    table = table if table is not None else lap_table(activity, grid)
    rep_laps = tuple(_rep_laps(activity, table, longest_effort_m))
    if rep_laps not in table.joined:
        table.joined[rep_laps] = _joined_laps(grid, speed, rep_laps)
    return list(table.joined[rep_laps])


def _joined_laps(
    grid: SessionGrid, speed: DetectionSpeed, rep_laps: tuple[tuple[float, float], ...]
) -> list[Candidate]:
    """The rep laps as candidates, each joined to the laps straight after it at its speed."""
    time = grid.time_s
    spans: list[list[float]] = []
    distance = grid.frame["distance_m"].to_numpy()
    last_speed = 0.0
    for start_s, end_s in rep_laps:
        lap_speed = float(np.interp(end_s, time, distance) - np.interp(start_s, time, distance)) / (end_s - start_s)
        # A lap straight after a rep lap, at its speed (an auto-lap inside the rep) or faster (the
        # kick), is the same effort; a slower one is a rest run briskly, or the next rep.
        if spans and start_s - spans[-1][1] <= JOIN_GAP_S and lap_speed >= JOIN_SPEED_SHARE * last_speed:
            spans[-1][1] = end_s
        else:
            spans.append([start_s, end_s])
        last_speed = lap_speed
    bounds = np.array(spans, dtype=np.float64).reshape(-1, 2)
    samples = np.searchsorted(time, bounds[:, 1], side="right") - np.searchsorted(time, bounds[:, 0], side="left")
    bounds = bounds[samples >= 4]
    return candidates_between(speed, bounds[:, 0], bounds[:, 1])


def structured(activity: Activity) -> bool:
    """Whether the laps are the steps of the watch's workout (they carry its step indices)."""
    return bool(activity.workout_steps) and any(lap.wkt_step_index is not None for lap in activity.laps)


def _rep_laps(activity: Activity, table: LapTable, longest_effort_m: float) -> list[tuple[float, float]]:
    """(start, end) of the laps that are reps [s]."""
    spans = table.spans
    if structured(activity):
        reps = rep_step_indices(activity.workout_steps)
        return [span for span, lap in zip(spans, activity.laps, strict=True) if lap.wkt_step_index in reps]
    timed = [(span, metres) for span, metres in zip(spans, table.distances_m, strict=True) if span[1] > span[0]]
    lap_m = np.array([metres for _, metres in timed])
    weights = np.array([span[1] - span[0] for span, _ in timed])
    speeds = lap_m / weights if len(timed) else np.array([])
    usable = lap_m <= MAX_LAP_SHARE * longest_effort_m
    if usable.sum() < 2:
        return []
    threshold = _otsu(speeds[usable], weights[usable])
    slow = usable & (speeds <= threshold)
    if not slow.any():
        return []
    slow_level = float(np.average(speeds[slow], weights=weights[slow]))
    fast = usable & (speeds > threshold) & (speeds >= FAST_RATIO * slow_level)
    # A lap run clearly faster than the laps on both sides of it, and no slower than a typical
    # lap, is a rep too, though the laps of an effort's size alone (the reps, with the recovery
    # laps too long to count) split at its speed.
    beside = np.maximum(np.concatenate([[np.inf], speeds[:-1]]), np.concatenate([speeds[1:], [np.inf]]))
    fast |= usable & (speeds >= FAST_RATIO * beside) & (speeds >= np.median(speeds))
    return [span for (span, _), chosen in zip(timed, fast, strict=True) if chosen]


def _otsu(values: np.ndarray, weights: np.ndarray) -> float:
    """The value that splits ``values`` into two classes of the largest between-class variance."""
    order = np.argsort(values)
    v, w = values[order], weights[order]
    total = w.sum()
    below = np.cumsum(w)[:-1]
    mean_below = np.cumsum(v * w)[:-1] / below
    mean_above = (np.sum(v * w) - np.cumsum(v * w)[:-1]) / (total - below)
    between = below * (total - below) * (mean_below - mean_above) ** 2
    best = int(np.argmax(between))
    return float(0.5 * (v[best] + v[best + 1]))


def _lap_distance(lap: Lap, time: np.ndarray, distance: np.ndarray, start_s: float, end_s: float) -> float:
    """The lap's own distance, or the distance channel's over its seconds [m]."""
    if lap.distance_m is not None and np.isfinite(lap.distance_m):
        return lap.distance_m
    return float(np.interp(end_s, time, distance) - np.interp(start_s, time, distance))


def laps_as_efforts(
    activity: Activity,
    grid: SessionGrid,
    speed: DetectionSpeed,
    efforts: list[Candidate],
    table: LapTable | None = None,
) -> list[Candidate] | None:
    """The rep laps as efforts, when the laps mark the reps the speed shows; else None.

    The laps mark the reps when they alternate with recoveries run clearly slower
    (:data:`ALTERNATING_RATIO`: a structured workout or lap presses; 1 km auto-laps never do;
    the laps the size of those that mark an effort found on the speed count too, though run
    slower, see :func:`_with_alike_marked`),
    or when at least :data:`MIN_MARKED` rep laps (see :func:`lap_candidates`) each overlap an
    effort found on the speed, those are at least
    :data:`MIN_MARKED_SHARE` of the rep laps, and their edges lie within :data:`LAP_MARK_S` of
    the efforts'. The laps then give the edges, and the reps the speed alone missed (rep laps
    the size of the marked ones; not a brisk warm-up lap). ``table`` is the session's laps
    (:func:`lap_table`, read here when not given).
    """
    table = table if table is not None else lap_table(activity, grid)
    peaks = _peak_laps(speed, table)
    if len(peaks) >= MIN_MARKED:
        return _with_alike_marked(speed, table, peaks, efforts)
    laps = lap_candidates(activity, grid, speed, np.inf, table)
    if len(laps) >= MIN_MARKED and _clearly_alternating(grid, laps):
        return laps
    if not laps or not efforts:
        return None
    marked = [lap for lap in laps if any(_same_effort(lap, effort) for effort in efforts)]
    if len(marked) < MIN_MARKED or len(marked) < MIN_MARKED_SHARE * len(laps):
        return None
    # The rep laps the speed missed count when they are the size of the ones it found.
    return [lap for lap in laps if lap in marked or any(_alike(lap, m) for m in marked)]


def _lap_speeds(table: LapTable) -> list[float]:
    """Each lap's average speed (0 for an empty lap) [m/s]."""
    return [metres / (b - a) if b > a else 0.0 for metres, (a, b) in zip(table.distances_m, table.spans, strict=True)]


def _peak_laps(speed: DetectionSpeed, table: LapTable) -> list[Candidate]:
    """The laps run :data:`ALTERNATING_RATIO` times faster than the laps on both sides of them:
    reps between recoveries, however the warm-up was run."""
    spans, speeds = table.spans, _lap_speeds(table)
    peaks = [
        spans[k]
        for k in range(1, len(spans) - 1)
        if speeds[k] >= ALTERNATING_RATIO * max(speeds[k - 1], speeds[k + 1]) and speeds[k] > 0
    ]
    bounds = np.array(peaks, dtype=np.float64).reshape(-1, 2)
    return candidates_between(speed, bounds[:, 0], bounds[:, 1])


def _with_alike_marked(
    speed: DetectionSpeed, table: LapTable, peaks: list[Candidate], efforts: list[Candidate]
) -> list[Candidate]:
    """The peak laps, and every other lap the size of a peak lap that marks an effort found on
    the speed or was run :data:`FAST_RATIO` times faster than the laps beside it (the first or
    last lap :data:`ALTERNATING_RATIO` times): the same rep run slower (the first of a set, a
    surge recorded every 3 s, rep 1 of a file that starts with it)."""
    spans, speeds = table.spans, _lap_speeds(table)
    taken = {(p.start_s, p.end_s) for p in peaks}
    others = [k for k, (a, b) in enumerate(spans) if b > a and (a, b) not in taken]
    bounds = np.array([spans[k] for k in others], dtype=np.float64).reshape(-1, 2)
    more = []
    for k, candidate in zip(others, candidates_between(speed, bounds[:, 0], bounds[:, 1]), strict=True):
        if not any(_alike(candidate, p) for p in peaks):
            continue
        beside = [speeds[j] for j in (k - 1, k + 1) if 0 <= j < len(spans)]
        # The first or last lap has one side to be judged by: as clearly faster as a peak lap.
        ratio = FAST_RATIO if len(beside) == 2 else ALTERNATING_RATIO
        faster = bool(beside) and speeds[k] >= ratio * max(beside)
        if faster or any(_overlapping(candidate, e) for e in efforts):
            more.append(candidate)
    return sorted([*peaks, *more], key=lambda c: c.start_s)


def _clearly_alternating(grid: SessionGrid, laps: list[Candidate]) -> bool:
    """Whether every gap between consecutive rep laps was run far slower than the laps."""
    time = grid.time_s
    distance = grid.frame["distance_m"].to_numpy()
    gaps = []
    for before, after in itertools.pairwise(laps):
        seconds = after.start_s - before.end_s
        if seconds <= JOIN_GAP_S:
            return False
        covered = float(np.interp(after.start_s, time, distance) - np.interp(before.end_s, time, distance))
        gaps.append(covered / seconds)
    slowest_rep = min(lap.mean_speed_mps for lap in laps)
    return bool(gaps) and slowest_rep >= ALTERNATING_RATIO * max(gaps)


def _alike(a: Candidate, b: Candidate) -> bool:
    return max(a.duration_s, b.duration_s) <= ALIKE_RATIO * min(a.duration_s, b.duration_s)


def _overlapping(lap: Candidate, effort: Candidate) -> bool:
    """Whether a lap and an effort share :data:`OVERLAP_SHARE` of the longer of the two."""
    shared = min(lap.end_s, effort.end_s) - max(lap.start_s, effort.start_s)
    return shared >= OVERLAP_SHARE * max(lap.duration_s, effort.duration_s)


def _same_effort(lap: Candidate, effort: Candidate) -> bool:
    return abs(lap.start_s - effort.start_s) <= LAP_MARK_S and abs(lap.end_s - effort.end_s) <= LAP_MARK_S
