"""The analysis end to end on simulated sessions whose truth is known.

Hand-checkable: 400 m at 4:55/km is 118.0 s, so a metronomic runner on a perfect watch must
come out at 118 s a rep and zero pace error. Properties: reps are ordered, inside the activity,
never overlap; a kick starts where its paced part ends; the reps do not depend on how often the
watch records.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardkick_analyze import read_activity
from hardkick_analyze.pipeline import analyze_session
from hardkick_analyze.present.report_json import SCHEMA_VERSION, report_to_dict, reps_table
from hardkick_analyze.simulate import Athlete, SessionConfig, SessionPlan, Watch, simulate_session
from hardkick_analyze.simulate.scenarios import custom_800_200, hard_kick_250, hard_kick_500
from hardkick_analyze.workout import parse_workout
from tests.test_season_sessions import Simulated, day, easy_run, gpx_bytes

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
SPEC = "4x400@4:55/km, 2x(400@4:55/km+100@max)"


def _config(workout=None, *, watch=None, **athlete) -> SessionConfig:
    base = Athlete.metronomic(warmup_s=600.0, cooldown_s=300.0, **athlete)
    return SessionConfig(
        plan=SessionPlan(workout=workout or hard_kick_500(295.0), rest_s=90.0),
        athlete=base,
        watch=watch or Watch.noiseless(laps="none"),
    )


@pytest.fixture(scope="module")
def perfect():
    session = simulate_session(_config(), seed=11)
    return session, analyze_session(read_activity(session.to_fit()), workout=SPEC)


def test_perfectly_paced_session_scores_zero_error(perfect):
    _session, report = perfect
    assert report.is_hard_kick
    assert report.target_pace_s_per_km == 295.0
    assert report.target_pace_source == "spec"
    assert [r.planned.has_kick for r in report.reps] == [False] * 4 + [True] * 2
    for rep in report.reps:
        assert rep.duration_s == pytest.approx(118.0, abs=0.6)
        assert rep.time_error_s == pytest.approx(0.0, abs=0.6)
        assert rep.pace_error_s_per_km == pytest.approx(0.0, abs=1.5)
    assert report.score is not None
    assert report.score.mean_abs_pace_error_s_per_km < 1.0
    assert report.missing == ()
    assert report.extra_efforts == ()


def test_boundaries_and_kicks_match_the_truth(perfect):
    session, report = perfect
    truth = session.truth.reps
    assert len(report.reps) == len(truth)
    for rep, true in zip(report.reps, truth, strict=True):
        assert rep.start_s == pytest.approx(true.start_s, abs=1.0)
        assert rep.end_s == pytest.approx(true.end_s, abs=1.0)
        if true.kick is None:
            assert rep.kick is None
            continue
        kick = rep.kick
        assert kick.start_s == pytest.approx(true.kick.start_s, abs=0.6)
        assert kick.end_s == pytest.approx(true.kick.end_s, abs=0.6)
        assert kick.avg_speed_mps == pytest.approx(true.kick.avg_speed_mps, abs=0.1)
        assert kick.peak_speed_mps == pytest.approx(true.kick.peak_speed_mps, abs=0.15)
        assert kick.fade_pct == pytest.approx(true.kick.fade_pct, abs=2.0)
        # Four 25 m bins for a 100 m kick, faster than the rep's pace.
        assert [(b.from_m, b.to_m) for b in kick.bins] == [(0, 25), (25, 50), (50, 75), (75, 100)]
        assert min(b.speed_mps for b in kick.bins) > 400.0 / rep.duration_s


def test_missing_rep_is_reported_for_an_explicit_spec():
    config = _config(hard_kick_500(295.0, plain=4, kicks=2))
    config = dataclasses.replace(config, plan=dataclasses.replace(config.plan, skipped_reps=(3,)))
    session = simulate_session(config, seed=12)
    report = analyze_session(read_activity(session.to_fit()), workout=SPEC)
    assert len(report.reps) == 5
    assert [r.distance_m for r in report.missing] == [400.0]
    assert [r.kick_m for r in report.missing] == [0.0]


def test_preset_counts_the_plain_reps_that_were_run():
    session = simulate_session(_config(hard_kick_500(295.0, plain=6, kicks=2)), seed=13)
    report = analyze_session(read_activity(session.to_fit()))
    assert report.workout.name == "hard-kick-500"
    assert len(report.reps) == 8
    assert report.missing == ()
    assert report.target_pace_source == "inferred"
    assert report.target_pace_s_per_km == pytest.approx(295.0, abs=2.0)


@pytest.mark.parametrize(
    ("workout", "spec", "kick_m"),
    [
        (hard_kick_250(190.0, plain=3), "3x200@38s, 2x(200@38s+50@max)", 50.0),
        (custom_800_200(230.0), "3x(800@3:50/km+200@max)", 200.0),
    ],
)
def test_other_kick_distances(workout, spec, kick_m):
    session = simulate_session(_config(workout), seed=14)
    report = analyze_session(read_activity(session.to_fit()), workout=spec)
    kicks = [r.kick for r in report.reps if r.kick is not None]
    true_kicks = [r.kick for r in session.truth.reps if r.kick is not None]
    assert len(kicks) == len(true_kicks) > 0
    for kick, true in zip(kicks, true_kicks, strict=True):
        assert kick.distance_m == kick_m
        assert kick.start_s == pytest.approx(true.start_s, abs=1.0)


def test_same_reps_whatever_the_recording():
    every_second = simulate_session(_config(watch=Watch(laps="none")), seed=15)
    smart = simulate_session(_config(watch=Watch(laps="none", recording="smart")), seed=15)
    a = analyze_session(read_activity(every_second.to_fit()), workout=SPEC)
    b = analyze_session(read_activity(smart.to_fit()), workout=SPEC)
    assert len(a.reps) == len(b.reps) == 6
    for x, y in zip(a.reps, b.reps, strict=True):
        assert x.start_s == pytest.approx(y.start_s, abs=1.5)
        assert x.end_s == pytest.approx(y.end_s, abs=1.5)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    plain=st.integers(3, 6),
    kicks=st.integers(1, 2),
    pace=st.floats(200.0, 380.0),
    rest_mode=st.sampled_from(["stand", "walk", "jog", "walk_then_stand"]),
    laps=st.sampled_from(["manual", "none", "auto_km"]),
)
def test_reps_are_ordered_inside_and_never_overlap(seed, plain, kicks, pace, rest_mode, laps):
    config = SessionConfig(
        plan=SessionPlan(workout=hard_kick_500(pace, plain=plain, kicks=kicks), rest_s=90.0),
        athlete=Athlete(warmup_s=300.0, cooldown_s=120.0, rest_mode=rest_mode),
        watch=Watch(laps=laps),
    )
    activity = read_activity(simulate_session(config, seed).to_fit())
    report = analyze_session(activity)
    edges = []
    for rep in report.reps:
        assert 0.0 <= rep.start_s < rep.end_s <= activity.duration_s
        if rep.kick is not None:
            assert rep.kick.start_s == rep.end_s
            assert rep.kick.end_s > rep.kick.start_s
        edges.append((rep.start_s, rep.kick.end_s if rep.kick else rep.end_s))
    assert edges == sorted(edges)
    for (_, end), (start, _) in itertools.pairwise(edges):
        assert start >= end


def test_a_steady_run_has_no_intervals():
    steady = Simulated("easy run", "run", day(3), easy_run(minutes=35.0, speed_mps=2.75))
    report = analyze_session(gpx_bytes(steady))
    assert not report.is_hard_kick
    assert report.reps == ()
    assert report.score is None
    # 35 min at 2.75 m/s is 5.8 km.
    assert report.verdicts == ("steady 5.8 km in 35 min, no intervals",)


def test_irregular_running_stretches_between_walks_are_no_interval_session(data_dir):
    # A walk with runs of every length, each once: no rep is repeated, so nothing is called one.
    report = analyze_session(data_dir / "run.fit")
    assert not report.is_hard_kick
    assert report.reps == ()
    assert report.verdicts[0].endswith("no intervals")


def test_json_contract_and_csv(perfect, tmp_path):
    _, report = perfect
    document = json.loads(json.dumps(report_to_dict(report)))
    assert document["schema_version"] == SCHEMA_VERSION
    assert set(document) >= {
        "source", "format", "start_time", "workout", "segmentation", "reps", "missing_reps",
        "extra_efforts", "is_hard_kick", "score", "warnings",
    }  # fmt: skip
    assert document["workout"]["target_pace_s_per_km"] == 295.0
    assert document["workout"]["target_pace_source"] == "spec"
    assert document["workout"]["plan_source"] == "given"
    assert document["segmentation"]["method"] == "detected"
    first, last = document["reps"][0], document["reps"][-1]
    assert first["kind"] == "work" and last["kind"] == "kick"
    assert {k: first["planned"][k] for k in ("distance_m", "duration_s", "kick_m", "pace_s_per_km")} == {
        "distance_m": 400.0,
        "duration_s": None,
        "kick_m": 0.0,
        "pace_s_per_km": 295.0,
    }
    assert first["kick"] is None
    assert set(last["kick"]) >= {
        "start_s",
        "end_s",
        "distance_m",
        "duration_s",
        "avg_speed_mps",
        "peak_speed_mps",
        "fade_pct",
    }
    assert last["kick"]["start_s"] == last["end_s"]
    table = reps_table(report)
    assert len(table) == 6
    assert {"start_s", "duration_s", "pace_s_per_km", "kick_fade_pct"} <= set(table.columns)


def test_workout_spec_and_pace_sources():
    assert parse_workout(SPEC).reps[0].pace_s_per_km == 295.0
    session = simulate_session(_config(), seed=16)
    activity = read_activity(session.to_fit())
    by_goal = analyze_session(activity, workout="hard-kick-500", goal_5k="25:00")
    by_pace = analyze_session(activity, workout="hard-kick-500", pace_s_per_km=295.0)
    assert by_goal.target_pace_source == "goal"
    assert by_pace.target_pace_source == "pace"
    assert by_goal.target_pace_s_per_km == by_pace.target_pace_s_per_km == 295.0
    assert [r.start_s for r in by_goal.reps] == [r.start_s for r in by_pace.reps]


def test_sparse_recording_around_a_kick_is_flagged():
    sparse = analyze_session(SAMPLES / "hard_kick_250.tcx")  # smart recording, up to 7 s apart
    dense = analyze_session(SAMPLES / "hard_kick_500_laps.fit")  # 1 s recording
    assert [w for w in sparse.warnings if "smart recording" in w] and len(sparse.reps) == 6
    assert not [w for w in dense.warnings if "smart recording" in w]


def test_kick_bins_are_timed_in_true_metres(perfect):
    _, report = perfect
    for rep in report.reps:
        if rep.kick is None:
            continue
        # Four 25 m bins whose times add up to the kick's duration (within a grid step).
        seconds = sum((b.to_m - b.from_m) / b.speed_mps for b in rep.kick.bins)
        assert seconds == pytest.approx(rep.kick.duration_s, abs=0.5)


def test_efforts_far_apart_are_not_the_workout():
    # The same reps with 15 minutes between them are an interval session, but not the workout.
    config = _config()
    config = dataclasses.replace(config, plan=dataclasses.replace(config.plan, rest_s=900.0))
    report = analyze_session(read_activity(simulate_session(config, seed=17).to_fit()))
    assert not report.is_hard_kick
    assert len(report.reps) >= 4


def test_a_plan_without_kicks_is_scored_out_of_100_without_a_kick_part():
    session = simulate_session(_config(hard_kick_500(295.0, plain=6, kicks=0)), seed=18)
    report = analyze_session(read_activity(session.to_fit()), workout="6x400@4:55/km")
    assert len(report.reps) == 6
    assert report.score is not None
    assert set(report.score.components) == {"pace", "consistency", "completion"}
    assert report.score.total == pytest.approx(sum(report.score.components.values()), abs=0.2)
    assert report.score.components["completion"] == pytest.approx(100.0 * 15 / 75, abs=0.1)


def test_a_goal_or_pace_is_a_target_not_part_of_the_structure():
    told = analyze_session(SAMPLES / "hard_kick_250.tcx", workout="4x200, 2x(200+50@max)", goal_5k="20:00")
    assert told.target_pace_source == "goal"
    assert "/km" not in told.structure
    paced = analyze_session(SAMPLES / "hard_kick_250.tcx", workout="4x200, 2x(200+50@max)", pace_s_per_km=190.0)
    assert "/km" not in paced.structure
    written = analyze_session(SAMPLES / "hard_kick_250.tcx", workout="4x200@3:10/km, 2x(200@3:10/km+50@max)")
    assert "3:10/km" in written.structure
