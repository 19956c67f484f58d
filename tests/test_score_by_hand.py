"""The session score's parts, each against a case worked out by hand.

Weights (session_score.WEIGHTS): pace 40, consistency 20, kick 25, completion 15. Each part earns a
credit between 0 and 1; a session is scored out of the parts it holds, rescaled to 100.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from hardkick_analyze.grid_columns import value_at
from hardkick_analyze.models import PlannedRep, Workout
from hardkick_analyze.results import KickResult, RepResult, Segmentation
from hardkick_analyze.session_score import kick_decrement_pct, pace_spread_s_per_km, score_session

TARGET = 295.0  # 4:55/km


def _kick(duration_s: float, fade_pct: float) -> KickResult:
    return KickResult(
        start_s=0.0,
        end_s=duration_s,
        duration_s=duration_s,
        distance_m=100.0,
        measured_distance_m=100.0,
        avg_speed_mps=100.0 / duration_s,
        peak_speed_mps=7.0,
        final_speed_mps=7.0 * (1 - fade_pct / 100.0),
        fade_pct=fade_pct,
        time_to_peak_s=5.0,
        distance_to_peak_m=30.0,
        speed_vs_rep_pct=120.0,
    )


def _rep(index: int, pace_s_per_km: float, *, kick: KickResult | None = None) -> RepResult:
    start_s = 900.0 + 240.0 * index
    duration_s = pace_s_per_km * 0.4
    return RepResult(
        index=index,
        planned=PlannedRep(distance_m=400.0, pace_s_per_km=TARGET, kick_m=100.0 if kick else 0.0),
        start_s=start_s,
        end_s=start_s + duration_s,
        duration_s=duration_s,
        distance_m=400.0,
        measured_distance_m=400.0,
        pace_s_per_km=pace_s_per_km,
        target_pace_s_per_km=TARGET,
        pace_error_s_per_km=pace_s_per_km - TARGET,
        time_error_s=(pace_s_per_km - TARGET) * 0.4,
        first_half_s=duration_s / 2,
        second_half_s=duration_s / 2,
        avg_heart_rate_bpm=None,
        max_heart_rate_bpm=None,
        heart_rate_drop_60s_bpm=None,
        rest_after_s=120.0,
        form=None,
        kick=kick,
    )


def _segmentation(planned: list[PlannedRep]) -> Segmentation:
    return Segmentation(method="test", workout=Workout(spec="", reps=tuple(planned)), reps=())


# Four reps at 4:58, 4:52, 5:01 and 4:55/km (errors +3, -3, +6, 0 s/km); the last two end in
# 100 m kicks of 16 s and 18 s that fade 10 % and 15 %. Six reps were planned.
REPS = [
    _rep(0, 298.0),
    _rep(1, 292.0),
    _rep(2, 301.0, kick=_kick(16.0, 10.0)),
    _rep(3, 295.0, kick=_kick(18.0, 15.0)),
]
PLANNED = [PlannedRep(distance_m=400.0, pace_s_per_km=TARGET)] * 4 + [
    PlannedRep(distance_m=400.0, pace_s_per_km=TARGET, kick_m=100.0)
] * 2


def test_the_pace_spread_is_the_sample_deviation_of_a_size():
    # mean 296.5; deviations 1.5, -4.5, 4.5, -1.5; squares sum to 45 over 3 degrees of freedom.
    assert pace_spread_s_per_km(REPS) == pytest.approx(math.sqrt(15.0))


def test_the_kick_decrement_is_fitzsimons():
    # 100 * (16 + 18) / (16 * 2) - 100 = 6.25 %
    assert kick_decrement_pct([16.0, 18.0]) == pytest.approx(6.25)


def test_each_part_and_the_total_by_hand():
    score = score_session(REPS, _segmentation(PLANNED), duration_s=3600.0)
    # pace: mean |error| = (3 + 3 + 6 + 0) / 4 = 3 s/km; credit (15 - 3) / 15 = 0.8 -> 32 of 40
    # consistency: spread sqrt(15) = 3.873 s/km; credit (10 - 3.873) / 10 = 0.6127 -> 12.25 of 20
    # kick: worst fade 15 %; credit (25 - 15) / (25 - 5) = 0.5 -> 12.5 of 25
    # completion: 4 of 6 planned reps -> 10 of 15
    assert score.components == {"pace": 32.0, "consistency": 12.3, "kick": 12.5, "completion": 10.0}
    assert score.total == pytest.approx(32.0 + 20.0 * (1 - math.sqrt(15.0) / 10.0) + 12.5 + 10.0, abs=0.05)
    assert score.mean_pace_error_s_per_km == pytest.approx(1.5)
    assert score.mean_abs_pace_error_s_per_km == pytest.approx(3.0)
    assert score.kick_decrement_pct == pytest.approx(6.25)
    assert score.warmup_s == pytest.approx(900.0)


def test_a_session_without_kicks_is_scored_out_of_the_parts_it_holds():
    plain = REPS[:2]
    score = score_session(plain, _segmentation(PLANNED[:2]), duration_s=3600.0)
    # pace: mean |error| 3 -> 0.8; consistency: paces 298 and 292, sd sqrt(18) = 4.243 -> 0.5757;
    # completion 1; no kick part: out of 40 + 20 + 15 = 75, rescaled to 100.
    expected = {
        "pace": 40.0 * 0.8 * 100 / 75,
        "consistency": 20.0 * (1 - math.sqrt(18.0) / 10.0) * 100 / 75,
        "completion": 15.0 * 100 / 75,
    }
    assert set(score.components) == set(expected)
    for part, value in expected.items():
        assert score.components[part] == pytest.approx(value, abs=0.05)
    assert score.total == pytest.approx(sum(expected.values()), abs=0.05)


def test_credits_reach_zero_past_their_limits():
    slow = [_rep(0, TARGET + 20.0), _rep(1, TARGET - 20.0, kick=_kick(20.0, 30.0))]
    score = score_session(slow, _segmentation(PLANNED[3:5]), duration_s=3600.0)
    # |error| 20 >= 15, spread sqrt(800) >= 10, fade 30 >= 25: only completion earns.
    assert score.components["pace"] == 0.0
    assert score.components["consistency"] == 0.0
    assert score.components["kick"] == 0.0
    assert score.total == pytest.approx(15.0)


@pytest.mark.parametrize("seed", range(10))
def test_a_value_read_near_its_time_is_the_one_read_through_the_whole_session(seed):
    rng = np.random.default_rng(seed)
    for _ in range(200):
        n = int(rng.integers(1, 400))
        time = np.arange(n) * 0.5
        values = rng.normal(150.0, 10.0, n)
        values[rng.random(n) < rng.choice([0.0, 0.3, 0.9, 1.0])] = np.nan
        if rng.random() < 0.2:
            values[: int(rng.integers(0, n))] = np.nan  # nothing recorded before some time
        when = float(rng.choice([rng.uniform(-5.0, time[-1] + 1.0), time[int(rng.integers(n))]]))
        finite = np.isfinite(values)
        expected = np.interp(when, time[finite], values[finite]) if finite.any() and when <= time[-1] else np.nan
        found = value_at(SimpleNamespace(time_s=time), values, when)
        assert found == expected or (np.isnan(found) and np.isnan(expected))
