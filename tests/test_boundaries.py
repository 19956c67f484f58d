"""Boundary placement, alignment and lag estimation on hand-made signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from hardkick_analyze.clean import estimate_lag
from hardkick_analyze.models import PlannedRep
from hardkick_analyze.segment.align import align
from hardkick_analyze.segment.boundaries import falling_ramp, rising_ramp
from hardkick_analyze.segment.efforts import Candidate

DT = 0.5
TIME = np.arange(0.0, 200.0, DT)


def _ramp_profile(start_s: float, rise_s: float, level: float, stop_s: float, fall_s: float) -> np.ndarray:
    """0 m/s, a linear rise to ``level`` from ``start_s``, held, a linear fall to 1 m/s from ``stop_s``."""
    up = np.clip((TIME - start_s) / rise_s, 0.0, 1.0) * level
    down = np.clip((TIME - stop_s) / fall_s, 0.0, 1.0) * (level - 1.0)
    return up - down


@pytest.mark.parametrize("start_s", [20.0, 20.3, 20.75])
def test_rising_ramp_corner_is_the_start(start_s):
    speed = _ramp_profile(start_s, 4.0, 5.0, 120.0, 3.0)
    ramp = rising_ramp(TIME, speed, 22.0, 0.0, 5.0)
    assert ramp is not None
    assert ramp.corner_s == pytest.approx(start_s, abs=1e-9)
    assert ramp.rise_s == pytest.approx(0.6 * 4.0)


def test_falling_ramp_corner_is_the_stop():
    speed = _ramp_profile(20.0, 4.0, 5.0, 120.4, 3.0)
    ramp = falling_ramp(TIME, speed, 122.0, 5.0, 1.0)
    assert ramp is not None
    assert ramp.corner_s == pytest.approx(120.4, abs=1e-9)


def test_no_ramp_between_equal_levels():
    assert rising_ramp(TIME, np.full(len(TIME), 3.0), 50.0, 3.0, 3.05) is None


def test_lag_is_recovered():
    rng = np.random.default_rng(7)
    truth = _ramp_profile(30.0, 3.0, 5.0, 100.0, 3.0) + _ramp_profile(140.0, 3.0, 4.0, 180.0, 3.0)
    reference = truth + rng.normal(0, 0.3, len(TIME))
    delayed = np.interp(TIME - 1.8, TIME, truth)
    lag, correlation = estimate_lag(delayed, reference, DT)
    assert lag == pytest.approx(1.8, abs=0.15)
    assert correlation > 0.9


def _candidate(start_s: float, distance_m: float, kick_ratio: float = 1.0) -> Candidate:
    return Candidate(
        start_s=start_s,
        end_s=start_s + distance_m / 4.0,
        distance_m=distance_m,
        mean_speed_mps=4.0,
        kick_ratio=kick_ratio,
        contrast=2.0,
    )


def test_alignment_skips_strides_and_reports_a_missing_rep():
    plan = [PlannedRep(distance_m=400)] * 4 + [PlannedRep(distance_m=400, kick_m=100)] * 2
    candidates = [
        _candidate(0, 90, 1.0),  # stride
        _candidate(100, 95, 1.0),  # stride
        _candidate(400, 405),
        _candidate(600, 398),
        _candidate(800, 410),  # only three plain reps
        _candidate(1000, 502, 1.5),
        _candidate(1200, 497, 1.45),
    ]
    result = align(candidates, plan)
    assert result.extras == (0, 1)
    assert [j for _, j in result.pairs] == [2, 3, 4, 5, 6]
    assert len(result.missing) == 1
    assert {i for i, _ in result.pairs} >= {4, 5}


def test_alignment_tells_a_kick_rep_from_a_plain_one():
    plan = [PlannedRep(distance_m=400), PlannedRep(distance_m=400, kick_m=100)]
    # One effort of 500 m that ends in a kick: it is the kick rep, and the plain rep was not run.
    result = align([_candidate(0, 500, 1.5)], plan)
    assert result.pairs == ((1, 0),)
    assert result.missing == (0,)
    # The same effort run evenly is the plain rep, and the kick rep is missing.
    result = align([_candidate(0, 400, 1.0)], plan)
    assert result.pairs == ((0, 0),)
    assert result.missing == (1,)
