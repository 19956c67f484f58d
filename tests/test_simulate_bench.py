"""The accuracy benchmark's harness: matching and scoring by hand, baselines on simulated files."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from bench import PredictedKick, PredictedRep, Prediction
from bench.accuracy import ANALYZERS, main, match_reps, render_report, run_case, score_session
from bench.baselines import laps_as_reps, speed_threshold
from hardkick_analyze import read_activity
from hardkick_analyze.simulate import KickTruth, RepTruth, SessionTruth, Watch, simulate_session

from .test_simulate_runner import short_config

_ORIGIN = pd.Timestamp("2026-05-12T16:30:00Z")


def _kick(start: float, end: float, fade: float) -> KickTruth:
    return KickTruth(
        distance_m=100.0,
        start_s=start,
        end_s=end,
        start_time=_ORIGIN,
        end_time=_ORIGIN,
        avg_speed_mps=100.0 / (end - start),
        peak_speed_mps=7.0,
        final_speed_mps=6.0,
        fade_pct=fade,
    )


def _truth() -> SessionTruth:
    """Planned: 3 plain 400s and one 400 + 100 kick; rep 2 skipped."""
    rep = dict(distance_m=400.0, planned_pace_s_per_km=300.0, kick_m=0.0)
    reps = (
        RepTruth(number=0, planned_index=0, missing=False, start_s=100.0, end_s=220.0, **rep),
        RepTruth(number=1, planned_index=1, missing=False, start_s=400.0, end_s=520.0, **rep),
        RepTruth(number=None, planned_index=2, missing=True, **rep),
        RepTruth(
            number=2,
            planned_index=3,
            missing=False,
            start_s=700.0,
            end_s=820.0,
            kick=_kick(820.0, 835.0, 10.0),
            **(rep | {"kick_m": 100.0}),
        ),
    )
    return SessionTruth(
        scenario="hand",
        seed=0,
        workout_spec="3x400 + 400+100",
        first_record_time=_ORIGIN,
        reps=reps,
        strides=(),
        duration_s=1000.0,
        distance_m=4000.0,
    )


def test_reps_match_when_they_overlap_more_than_half_the_longer():
    truth = _truth().run_reps
    predicted = [
        PredictedRep(planned_index=0, start_s=105.0, end_s=225.0),  # 115 s of 120: match
        PredictedRep(planned_index=1, start_s=460.0, end_s=600.0),  # 60 s of 140: no
        PredictedRep(planned_index=None, start_s=30.0, end_s=50.0),  # a stride: no
        PredictedRep(planned_index=3, start_s=690.0, end_s=815.0),  # 115 s of 125: match
    ]
    assert match_reps(truth, predicted) == [(0, 0), (2, 3)]
    # One-to-one: two candidates for one true rep, the larger overlap wins.
    twins = [PredictedRep(planned_index=0, start_s=150.0, end_s=230.0), predicted[0]]
    assert match_reps(truth[:1], twins) == [(0, 1)]


def test_a_session_is_scored_by_hand():
    kick = PredictedKick(start_s=821.0, end_s=837.0, avg_speed_mps=6.25, peak_speed_mps=7.2, fade_pct=12.5)
    prediction = Prediction(
        reps=(
            PredictedRep(planned_index=0, start_s=102.0, end_s=221.0),
            PredictedRep(
                planned_index=None,
                start_s=30.0,
                end_s=45.0,
                kick=PredictedKick(start_s=40, end_s=45, avg_speed_mps=7, peak_speed_mps=7, fade_pct=0),
            ),
            PredictedRep(planned_index=3, start_s=699.0, end_s=821.0, kick=kick),
        ),
        missing_planned_indices=(1, 2),
    )
    score = score_session(_truth(), prediction, analyzer="hand", scenario="hand", condition="hand")
    assert (score.true_reps, score.predicted_reps, score.matched) == (3, 3, 2)
    assert score.start_errors_s == (2.0, -1.0)
    assert score.end_errors_s == (1.0, 1.0)
    assert score.duration_errors_s == (-1.0, 2.0)
    assert (score.true_kicks, score.kicks_found, score.spurious_kicks) == (1, 1, 1)
    assert score.kick_start_errors_s == (1.0,)
    assert score.kick_speed_errors_mps == pytest.approx((6.25 - 100.0 / 15.0,))
    assert score.fade_errors_pct == (2.5,)
    # Planned 0..3, truly missing {2}, said missing {1, 2}: right on 0, 2, 3.
    assert (score.planned_reps, score.missing_agreements) == (4, 3)


@pytest.fixture(scope="module")
def clean_session():
    config = dataclasses.replace(short_config(), watch=Watch.noiseless())
    session = simulate_session(config, 41)
    return session, read_activity(session.to_fit())


def test_laps_baseline_is_exact_on_a_perfect_watch(clean_session):
    session, activity = clean_session
    prediction = laps_as_reps(activity, session.config.plan.workout)
    score = score_session(session.truth, prediction, analyzer="laps", scenario="clean", condition="clean")
    assert score.matched == score.true_reps == score.predicted_reps == 3
    # Lap bounds are the truth to the ms; the kick rep is cut on the 1 s distance channel, which
    # linear interpolation misreads by ~0.1 m at a standing start (0.03 s at rep pace).
    assert max(abs(e) for e in score.start_errors_s) < 0.001
    assert max(abs(e) for e in score.end_errors_s) < 0.05
    assert score.kicks_found == 1 and abs(score.kick_start_errors_s[0]) < 0.05


def test_threshold_baseline_finds_every_rep_on_a_perfect_watch(clean_session):
    session, activity = clean_session
    prediction = speed_threshold(activity, session.config.plan.workout)
    score = score_session(session.truth, prediction, analyzer="threshold", scenario="clean", condition="clean")
    assert score.matched == score.true_reps == 3
    assert max(abs(e) for e in score.end_errors_s) < 3.0
    assert score.kicks_found == 1
    assert prediction.missing_planned_indices == ()


def test_the_harness_runs_end_to_end(tmp_path):
    result = run_case("clean", 1000, list(ANALYZERS))
    assert [s.analyzer for s in result.scores] == list(ANALYZERS)
    assert result.failures == ()
    assert 0 < result.simulate_s < 5
    report = render_report([result], list(ANALYZERS), "python -m bench.accuracy", 1, 1.0)
    assert "| laps_as_reps | 1 |" in report and "| speed_threshold | 1 |" in report
    output = tmp_path / "accuracy.md"
    assert main(["--scenario", "clean", "--seeds", "1", "--workers", "1", "--output", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    assert "python -m bench.accuracy --scenario clean --seeds 1 --workers 1 --output" in text
    assert "rep start err (s)" in text and "missing-rep agreement" in text


def test_an_analyzer_that_fails_is_reported_not_fatal():
    result = run_case("clean", 1000, ["tests.test_simulate_bench:_broken"])
    assert result.failures and "RuntimeError" in result.failures[0]
    assert result.scores[0].predicted_reps == 0


def _broken(activity, workout):
    raise RuntimeError("no idea")
