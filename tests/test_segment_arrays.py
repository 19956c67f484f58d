"""The segmenter's array programs against the plain loops they replace.

Each vectorised step (per-run medians and quantiles, the features of many spans at once,
the threshold sweep, the flooding of every water level, the batched alignment) is checked
against the obvious one-at-a-time computation on random sessions: the same efforts, the same
numbers (to the last bit where the loop's arithmetic is the same).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardkick_analyze.clean import SessionGrid
from hardkick_analyze.models import PlannedRep, Recovery
from hardkick_analyze.segment.align import align, align_many, may_match
from hardkick_analyze.segment.boundaries import _crossing
from hardkick_analyze.segment.detect import MERGE_GAP_S, MERGE_MIN_SHARE, _islands
from hardkick_analyze.segment.efforts import (
    KICK_PROBE_SHARE,
    MIN_REST_MPS,
    SURROUNDING_S,
    Candidate,
    _first_reaching,
    candidates_between,
    detection_speed,
)
from hardkick_analyze.segment.levels import Level, change_points, running_median
from hardkick_analyze.segment.ragged import run_medians, run_quantiles, unique_pairs
from hardkick_analyze.segment.structure import _as_one_group
from hardkick_analyze.segment.sweep import OFF_SHARE, _runs_above, effort_sweep
from hardkick_analyze.units import quantile


def _grid(speed: np.ndarray, dt_s: float = 0.5) -> SessionGrid:
    time = np.arange(len(speed)) * dt_s
    distance = np.concatenate([[0.0], np.cumsum(speed[:-1] * dt_s)])
    frame = pd.DataFrame(
        {"speed_mps": speed, "raw_speed_mps": speed, "distance_m": distance},
        index=pd.Index(time, name="elapsed_s"),
    )
    return SessionGrid(
        frame=frame,
        dt_s=dt_s,
        sample_interval_s=1.0,
        speed_window_s=2.0,
        speed_source="device",
        speed_lag_s=0.0,
        distance_lag_s=0.0,
        lag_correlation=None,
    )


def _intervals(seed: int, samples: int = 2400) -> np.ndarray:
    """Jogging with reps and sprints of random lengths, and GPS noise [m/s]."""
    rng = np.random.default_rng(seed)
    speed = np.full(samples, 2.6)
    at = int(rng.integers(20, 200))
    while at < samples - 40:
        length = int(rng.integers(15, 260))
        speed[at : at + length] = rng.uniform(3.5, 6.5)
        at += length + int(rng.integers(30, 240))
    speed[rng.uniform(size=samples) < 0.05] = 0.5  # stops and dropouts
    return np.clip(speed + rng.normal(0.0, 0.25, samples), 0.0, None)


def _kick_ratio(speed: np.ndarray, distance: np.ndarray) -> float:
    """One span's kick ratio, as the scalar code measured it."""
    covered = distance - distance[0]
    total = covered[-1]
    if not np.isfinite(total) or total <= 0:
        return 1.0
    tail = covered >= (1.0 - KICK_PROBE_SHARE) * total
    body = (covered >= 0.1 * total) & ~tail
    if not tail.any() or not body.any():
        return 1.0
    base = float(np.median(speed[body]))
    return float(np.max(speed[tail]) / base) if base > 0 else 1.0


def _contrast(time: np.ndarray, speed: np.ndarray, start_s: float, end_s: float) -> float:
    inside = speed[(time >= start_s) & (time <= end_s)]
    before = speed[(time >= start_s - SURROUNDING_S[1]) & (time < start_s - SURROUNDING_S[0])]
    after = speed[(time > end_s + SURROUNDING_S[0]) & (time <= end_s + SURROUNDING_S[1])]
    sides = [float(np.mean(s)) for s in (before, after) if len(s)]
    level = float(np.mean(inside)) if len(inside) else 0.0
    return level / max(min(sides) if sides else 0.0, MIN_REST_MPS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), max_size=12), min_size=1, max_size=8), st.sampled_from([0.25, 0.5, 0.75]))
def test_run_medians_and_quantiles_are_numpys(segments, q):
    values = np.array([v / 7.0 for segment in segments for v in segment])
    lengths = np.array([len(s) for s in segments])
    owner = np.repeat(np.arange(len(segments)), lengths)
    stop = np.cumsum(lengths)
    first = stop - lengths
    run_median = run_medians(values, first, stop)
    run_quantile = run_quantiles(values, first, stop, q)
    for k in range(len(segments)):
        mine = values[owner == k]
        if not len(mine):
            assert np.isnan(run_median[k]) and np.isnan(run_quantile[k])
            continue
        assert run_median[k] == np.median(mine)
        assert run_quantile[k] == np.quantile(mine, q)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))), min_size=1, max_size=40),
    st.one_of(st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]), st.floats(0.0, 1.0)),
)
def test_quantile_is_numpys_to_the_bit(values, q):
    array = np.array(values)
    expected = float(np.quantile(array, q))
    assert quantile(array, q) == expected or (np.isnan(expected) and np.isnan(quantile(array, q)))


def _crossing_over_the_whole_session(time_s, speed, from_s, level, *, backward, rising):
    """The crossing walk as it was: one comparison over every sample of the session."""
    start = int(np.clip(np.searchsorted(time_s, from_s), 0, len(time_s) - 1))
    above = speed >= level
    if backward:
        indices = np.arange(start, 0, -1)
        hits = np.flatnonzero(~above[indices - 1] if rising else above[indices - 1])
        return _interpolated(time_s, speed, int(indices[hits[0]]) - 1, level) if len(hits) else None
    indices = np.arange(start, len(time_s))
    hits = np.flatnonzero(above[indices] if rising else ~above[indices])
    if not len(hits):
        return None
    i = int(indices[hits[0]])
    return _interpolated(time_s, speed, i - 1, level) if i > 0 else float(time_s[i])


def _interpolated(time_s, speed, i, level):
    if i + 1 >= len(time_s):
        return float(time_s[i])
    v0, v1 = speed[i], speed[i + 1]
    if not (np.isfinite(v0) and np.isfinite(v1)) or v1 == v0:
        return float(time_s[i])
    fraction = float(np.clip((level - v0) / (v1 - v0), 0.0, 1.0))
    return float(time_s[i] + fraction * (time_s[i + 1] - time_s[i]))


@pytest.mark.parametrize("seed", range(40))
def test_the_crossing_walked_a_stretch_at_a_time_is_the_whole_sessions(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 3000))
    time = np.arange(n) * 0.5
    speed = np.cumsum(rng.normal(0.0, 0.2, n)) + 3.0
    speed[rng.random(n) < 0.02] = np.nan
    for _ in range(20):
        from_s, level = float(rng.uniform(-5, time[-1] + 5)), float(rng.uniform(speed[np.isfinite(speed)].min(), 5))
        for backward in (True, False):
            for rising in (True, False):
                found = _crossing(time, speed, from_s, level, backward=backward, rising=rising)
                sample = _crossing_over_the_whole_session(time, speed, from_s, level, backward=backward, rising=rising)
                assert found == sample or (found is None and sample is None)


@pytest.mark.parametrize("seed", range(20))
def test_unique_pairs_are_numpys_unique_columns(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 300))
    first, second = rng.integers(0, 12, n) * 0.5, rng.integers(0, 12, n) * 0.25
    pairs, inverse = unique_pairs(first, second)
    expected, expected_inverse = np.unique(np.stack([first, second]), axis=1, return_inverse=True)
    assert np.array_equal(pairs, expected) and np.array_equal(inverse, expected_inverse.ravel())


@pytest.mark.parametrize("seed", range(20))
def test_runs_above_every_level_are_each_rows_rises_and_falls(seed):
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(0.0, 6.0, int(rng.integers(1, 400))), 1)
    values[rng.uniform(size=len(values)) < 0.05] = np.nan
    levels = np.unique(np.round(rng.uniform(0.5, 5.5, int(rng.integers(1, 30))), 1))
    padded = np.zeros((len(levels), len(values) + 2), dtype=np.int8)
    padded[:, 1:-1] = values[None, :] >= levels[:, None]
    edges = np.diff(padded, axis=1).ravel()
    changes = np.flatnonzero(edges)
    rises = edges[changes] == 1
    level, first = np.divmod(changes[rises], len(values) + 1)
    found = _runs_above(values, levels)
    assert [a.tolist() for a in found] == [
        level.tolist(),
        first.tolist(),
        (changes[~rises] % (len(values) + 1)).tolist(),
    ]


@pytest.mark.parametrize("rising", [True, False], ids=["rising distance", "distance with gaps and a step back"])
@pytest.mark.parametrize("seed", range(6))
def test_span_features_match_one_span_at_a_time(seed, rising):
    grid = _grid(_intervals(seed))
    speed = detection_speed(grid)
    if not rising:
        distance = speed.distance_m.copy()
        distance[300:340] = np.nan
        distance[900:] -= 25.0
        speed = dataclasses.replace(speed, distance_m=distance)
    rng = np.random.default_rng(seed + 100)
    time = speed.time_s
    starts = rng.uniform(-20.0, time[-1], 300)
    ends = starts + rng.uniform(0.0, 300.0, 300)
    ends[:20] = starts[:20]  # spans of one sample or none
    for c, a, b in zip(candidates_between(speed, starts, ends), starts, ends, strict=True):
        inside = (time >= a) & (time <= b)
        expected = _kick_ratio(speed.speed_mps[inside], speed.distance_m[inside]) if inside.sum() >= 2 else 1.0
        assert c.kick_ratio == expected
        assert c.contrast == pytest.approx(_contrast(time, speed.speed_mps, a, b), rel=1e-12)
        run = np.interp(b, time, speed.distance_m) - np.interp(a, time, speed.distance_m)
        assert (c.start_s, c.end_s) == (a, b)
        assert c.distance_m == run or (np.isnan(c.distance_m) and np.isnan(run))


@pytest.mark.parametrize("seed", range(6))
def test_sweep_finds_each_thresholds_efforts_as_a_loop_over_samples_would(seed):
    grid = _grid(_intervals(seed))
    sweep = effort_sweep(detection_speed(grid))
    speed, time = sweep.speed.speed_mps, sweep.speed.time_s
    min_duration_s = 12.0
    found = sweep.at_each_threshold(min_duration_s)
    assert len(found) == len(sweep.on_mps) > 10
    for on, ids in zip(sweep.on_mps, found, strict=True):
        expected, start, peak = [], None, 0.0
        for k, value in enumerate([*speed.tolist(), -1.0]):
            if value >= on * OFF_SHARE:
                start = k if start is None else start
                peak = max(peak, value)
            elif start is not None:
                if k - start >= 2 and peak >= on and time[k - 1] - time[start] >= min_duration_s:
                    expected.append((time[start], time[k - 1]))
                start, peak = None, 0.0
        assert [(sweep.efforts[i].start_s, sweep.efforts[i].end_s) for i in ids] == expected


def test_flooding_every_water_level_at_once_is_the_level_by_level_walk():
    rng = np.random.default_rng(7)
    durations = rng.integers(1, 12, 300).astype(float)
    edges = np.concatenate([[0.0], np.cumsum(durations)])
    levels = [Level(a, b, float(v)) for a, b, v in zip(edges[:-1], edges[1:], rng.uniform(0.5, 6.0, 300), strict=True)]
    waters = np.round(np.linspace(1.0, 5.5, 30), 2)
    water_of, starts, ends = _islands(levels, waters)
    for w, water in enumerate(waters):
        expected: list[list[float]] = []
        dip_s, dip_min = 0.0, np.inf
        for level in levels:
            if level.speed_mps > water:
                if expected and dip_s <= MERGE_GAP_S and dip_min >= MERGE_MIN_SHARE * water:
                    expected[-1][1] = level.end_s
                else:
                    expected.append([level.start_s, level.end_s])
                dip_s, dip_min = 0.0, np.inf
            else:
                dip_s += level.duration_s
                dip_min = min(dip_min, level.speed_mps)
        mine = water_of == w
        assert [[a, b] for a, b in zip(starts[mine], ends[mine], strict=True)] == expected


def _candidate(rng: np.random.Generator, start_s: float) -> Candidate:
    duration = float(rng.uniform(15.0, 300.0))
    speed = float(rng.uniform(2.5, 6.5))
    return Candidate(
        start_s=start_s,
        end_s=start_s + duration,
        distance_m=duration * speed,
        mean_speed_mps=speed,
        kick_ratio=float(rng.uniform(0.9, 1.6)),
        contrast=float(rng.uniform(0.9, 2.5)),
    )


def test_batched_alignment_is_each_sets_own():
    rng = np.random.default_rng(3)
    plan = [PlannedRep(distance_m=400.0)] * 4 + [PlannedRep(distance_m=400.0, kick_m=100.0)] * 2
    sets = [[_candidate(rng, 400.0 * k) for k in range(int(rng.integers(0, 14)))] for _ in range(25)]
    reference = np.where(rng.uniform(size=(25, len(plan))) < 0.5, np.nan, rng.uniform(3.0, 6.0, (25, len(plan))))
    missing = rng.uniform(0.5, 6.0, len(plan)).tolist()
    batched = align_many(sets, plan, reference_speed_mps=reference, missing_costs=missing)
    for candidates, row, alignment in zip(sets, reference, batched, strict=True):
        alone = align(
            candidates, plan, reference_speed_mps=[None if np.isnan(r) else r for r in row], missing_costs=missing
        )
        assert alignment == alone
    assert any(a.pairs for a in batched) and any(a.extras for a in batched)


@pytest.mark.parametrize("seed", range(30))
def test_kick_reps_no_effort_may_match_are_never_matched(seed):
    """may_match's bound: an alignment never matches a rep to an effort dearer than leaving
    both out, so when no effort may match a kick rep, no alignment holds a kick."""
    rng = np.random.default_rng(seed)
    plain, kick = PlannedRep(distance_m=400.0), PlannedRep(distance_m=400.0, kick_m=100.0)
    plan = [plain] * int(rng.integers(1, 6)) + [kick] * 2
    sets = [[_candidate(rng, 400.0 * k) for k in range(int(rng.integers(1, 12)))] for _ in range(20)]
    reference = np.where(rng.uniform(size=(20, len(plan))) < 0.5, np.nan, rng.uniform(3.0, 6.0, (20, len(plan))))
    missing = [0.5] * (len(plan) - 2) + [6.0, 6.0]
    kicks_matched = [
        any(plan[i].has_kick for i, _ in alignment.pairs)
        for alignment in align_many(sets, plan, reference_speed_mps=reference, missing_costs=missing)
    ]
    for candidates, matched in zip(sets, kicks_matched, strict=True):
        if not may_match(candidates, [kick], 6.0):
            assert not matched
    # The bound is tight enough to say something either way on these sets.
    assert any(kicks_matched) and not all(may_match(c, [kick], 6.0) for c in sets)


def test_a_groups_recovery_on_a_tie_is_the_first_run_not_the_hash_order():
    reps = [
        PlannedRep(distance_m=800.0, recovery=Recovery(duration_s=120.0, activity="jog")),
        PlannedRep(distance_m=800.0, recovery=Recovery(duration_s=120.0, activity="walk")),
        PlannedRep(distance_m=800.0),
    ]
    efforts = [
        Candidate(
            start_s=400.0 * k,
            end_s=400.0 * k + 180.0,
            distance_m=800.0,
            mean_speed_mps=4.4,
            kick_ratio=1.0,
            contrast=1.6,
        )
        for k in range(3)
    ]
    assert {r.recovery.activity for r in _as_one_group(reps, efforts, timed=False) if r.recovery} == {"jog"}
    assert {
        r.recovery.activity for r in _as_one_group([reps[1], reps[0], reps[2]], efforts, timed=False) if r.recovery
    } == {"walk"}


def _change_points_one_by_one(values: np.ndarray, penalty: float, min_size: int) -> list[int]:
    """Binary segmentation a segment at a time, from a stack."""
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    squares = np.concatenate([[0.0], np.cumsum(values * values)])

    def cost(a, b):
        total = cumulative[b] - cumulative[a]
        return squares[b] - squares[a] - total * total / np.maximum(np.asarray(b) - np.asarray(a), 1)

    points, stack = [], [(0, len(values))]
    while stack:
        a, b = stack.pop()
        if b - a < 2 * min_size:
            continue
        splits = np.arange(a + min_size, b - min_size + 1)
        gains = cost(a, b) - cost(a, splits) - cost(splits, b)
        best = int(np.argmax(gains))
        if gains[best] <= penalty:
            continue
        points.append(int(splits[best]))
        stack += [(a, int(splits[best])), (int(splits[best]), b)]
    return sorted(points)


@pytest.mark.parametrize("seed", range(8))
def test_change_points_all_segments_at_once_are_the_one_by_one_search(seed):
    speed = _intervals(seed, samples=3000)[::2]
    rng = np.random.default_rng(seed)
    speed[rng.integers(0, len(speed), 30)] = 3.0  # exact ties in the gains
    for penalty, min_size in ((0.5, 4), (3.0, 2), (20.0, 8)):
        assert change_points(speed, penalty, min_size) == _change_points_one_by_one(speed, penalty, min_size)
    assert len(change_points(speed, 0.5, 4)) > 10


@pytest.mark.parametrize("length", [1, 9, 16, 1500])
@pytest.mark.parametrize("window", [3, 4, 15, 16])
def test_running_median_is_pandas_centred_rolling_median(length, window):
    rng = np.random.default_rng(length * 100 + window)
    speed = np.round(rng.uniform(0.0, 6.0, length), 1)  # rounded: ties, and even windows averaging two
    expected = pd.Series(speed).rolling(window, center=True, min_periods=1).median().to_numpy()
    assert np.array_equal(running_median(speed, window), expected)


@pytest.mark.parametrize("seed", range(20))
def test_first_reaching_is_the_first_sample_passing_the_test_itself(seed):
    rng = np.random.default_rng(seed)
    steps = rng.choice([0.0, 0.1, 0.2, 0.3, 1e-13, 2.7], size=400)  # plateaus, and sums that round
    distance = 1e3 * seed + np.cumsum(steps)
    first = np.sort(rng.integers(0, 390, 60))
    stop = np.minimum(first + rng.integers(1, 80, 60), len(distance))
    # What to cover: exactly a sample's distance from the first, and the floats either side of it.
    exact = distance[rng.integers(first, stop)] - distance[first]
    covered = np.where(rng.uniform(size=60) < 0.5, exact, np.nextafter(exact, rng.choice([-np.inf, np.inf], 60)))
    found = _first_reaching(distance, first, stop, covered)
    for k in range(60):
        passing = np.flatnonzero(distance[first[k] : stop[k]] - distance[first[k]] >= covered[k])
        assert found[k] == (first[k] + passing[0] if len(passing) else stop[k])


@pytest.mark.parametrize(
    ("start_m", "covered_m"),
    [
        (200.58967644820015, 265.7325269028024),
        (213.54921599078202, 277.54699636170176),
        (9.18561489012204, 156.09295391480595),
    ],
)
def test_first_reaching_steps_back_where_start_plus_covered_rounds_up(start_m, covered_m):
    # The float just below start + covered (rounded) is already covered_m from the start.
    below = np.nextafter(start_m + covered_m, -np.inf)
    assert below - start_m >= covered_m
    distance = np.array([start_m, below, below + 1.0])
    assert _first_reaching(distance, np.array([0]), np.array([3]), np.array([covered_m])).tolist() == [1]
