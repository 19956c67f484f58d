"""Real interval sessions from other runners' watches: each failure kind once seen, now right.

The files are in ``../shared/real_intervals`` (with their lap truth in ``truth.json``) and
``../shared/real_activities/run-stats``; they are not copied into the repository, and these
tests skip when the folder is absent. The broad measurement is ``bench/real.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hardkick_analyze import analyze_session, read_activity
from hardkick_analyze.clean import make_grid
from hardkick_analyze.present.report_json import report_to_dict
from hardkick_analyze.track import fit_track

from .conftest import INTERVALS, SHARED

RUN_STATS = SHARED / "real_activities" / "run-stats"


@pytest.fixture(scope="module")
def truth() -> dict:
    if not (INTERVALS / "truth.json").is_file():
        pytest.skip("../shared/real_intervals is not beside the repository")
    return json.loads((INTERVALS / "truth.json").read_text(encoding="utf-8"))


def _starts(name: str, truth: dict) -> list[float]:
    return [rep["start_s"] for rep in truth[name]["reps"]]


def test_time_based_reps_on_the_watchs_laps_are_lap_exact(truth):
    name = "jasonjdd_610138634.fit"  # a structured 8x60 s / 180 s jog
    report = analyze_session(INTERVALS / name, workout="8x60s")
    assert [r.planned.duration_s for r in report.reps] == [60.0] * 8
    assert [r.duration_s for r in report.reps] == pytest.approx([60.0] * 8, abs=1.5)
    assert [r.start_s for r in report.reps] == pytest.approx(_starts(name, truth), abs=1.5)
    assert all(r.how["start"].startswith("lap") for r in report.reps)


def test_the_watchs_own_workout_is_the_plan(truth):
    report = analyze_session(INTERVALS / "jasonjdd_610138634.fit")
    assert report.workout.source == "watch"
    assert report.structure.startswith("8x60 s")
    assert len(report.reps) == 8


def test_a_file_that_starts_with_rep_1(truth):
    name = "x3cl_204685264.fit"  # no warm-up recorded; 5x400 m / 90 s walk
    report = analyze_session(INTERVALS / name, workout="5x400")
    assert len(report.reps) == 5 and report.missing == ()
    assert report.reps[0].start_s == pytest.approx(0.0, abs=1.5)
    assert [r.start_s for r in report.reps] == pytest.approx(_starts(name, truth), abs=1.5)


def test_a_file_that_starts_with_rep_1_says_the_warm_up_is_not_in_it(truth):
    report = analyze_session(INTERVALS / "x3cl_204685264.fit")
    assert "no warm-up in the file: it starts at the first rep (the workout calls for a long one)" in report.verdicts
    assert not any(v.startswith("warm-up only") for v in report.verdicts)


def test_a_rep_finished_fast_is_still_a_rep(truth):
    # x3cl_203966566: 5x400 m, progressive; rep 4 ends 1.4x faster than it was run (a kick's
    # ratio). The plan has no kick reps, so that finish does not make it a missing rep.
    name = "x3cl_203966566.fit"
    report = analyze_session(INTERVALS / name, workout="5x400")
    assert report.missing == ()
    assert [r.start_s for r in report.reps] == pytest.approx(_starts(name, truth), abs=1.5)


@pytest.mark.parametrize(("workout", "found", "missing", "beyond"), [("10x400", 10, 0, 2), ("14x400", 12, 2, 0)])
def test_told_more_or_fewer_reps_than_were_run(truth, workout, found, missing, beyond):
    # 2x6x400 m run as twelve 400 m reps with 60 s rest.
    report = analyze_session(INTERVALS / "davide-mariotti_activity_21224116738.gpx", workout=workout)
    assert len(report.reps) == found
    assert len(report.missing) == missing
    assert sum("beyond the plan" in v for v in report.verdicts) == (1 if beyond else 0)
    if beyond:
        assert f"{beyond} reps beyond the plan" in " ".join(report.verdicts)


def test_a_descending_ladder_told_and_untold(truth):
    name = "davide-mariotti_activity_21935353838.gpx"
    told = analyze_session(INTERVALS / name, workout="1000, 1000, 800, 800, 600, 600, 400, 400, 200, 200")
    assert [r.planned.distance_m for r in told.reps] == [1000, 1000, 800, 800, 600, 600, 400, 400, 200, 200]
    assert [r.start_s for r in told.reps] == pytest.approx(_starts(name, truth), abs=4.0)
    untold = analyze_session(INTERVALS / name, file_plan=False)
    assert (
        untold.structure
        == "2x1 km, 90 s walk; 2x800 m, 90 s walk; 2x600 m, 90 s walk; 2x400 m, 90 s walk; 2x200 m, 90 s walk"
    )


def test_a_mixed_set(truth):
    report = analyze_session(INTERVALS / "davide-mariotti_activity_18302591791.gpx", workout="4x800, 7x400")
    assert [r.planned.distance_m for r in report.reps] == [800.0] * 4 + [400.0] * 7


def test_a_rep_run_straight_into_a_faster_finish(truth):
    # 4x(1000 m + an immediate, faster 200 m): each 200 m is read as the 1000 m's kick.
    report = analyze_session(INTERVALS / "davide-mariotti_activity_19537508585.gpx", workout="4x(1000, 200)")
    assert len(report.reps) == 4
    assert all(r.kick is not None and r.planned.kick_m == 200.0 for r in report.reps)
    assert all(r.kick.avg_speed_mps > r.distance_m / r.duration_s for r in report.reps if r.kick)


def test_strides_then_timed_reps(truth):
    name = "jasonjdd_468216855723540488.fit"  # 3x20 s strides, then 4x4 min / 2 min jog
    report = analyze_session(INTERVALS / name, workout="3x20s, 4x4min")
    assert [r.planned.duration_s for r in report.reps] == [20.0] * 3 + [240.0] * 4
    assert [r.start_s for r in report.reps] == pytest.approx(_starts(name, truth), abs=1.5)


@pytest.mark.parametrize(
    ("name", "structure"),
    [
        ("davide-mariotti_activity_22536980119.gpx", "6x600 m, 2 min jog"),
        ("davide-mariotti_activity_21224116738.gpx", "12x400 m, 60 s walk"),
        ("jasonjdd_dd479c79.fit", "10x500 m, 3 min jog"),
        ("520qianjiawen_477460600557961418.fit", "8x1 km, 2 min walk"),
    ],
)
def test_the_structure_is_found_without_a_plan(truth, name, structure):
    report = analyze_session(INTERVALS / name, file_plan=False)
    assert report.workout.source == "detected"
    assert report.structure == structure
    assert len(report.reps) == len(truth[name]["reps"])


def test_fixed_2_min_laps_alternating_at_1_18x_are_the_reps_told(truth):
    # Apple Watch 2 min laps, reps 1.18x the steady laps between them; the lap after rep 4 is
    # brisk too, but slower than rep 4: not its kick, so rep 4 stays one lap.
    name = "shaonianche_2023-07-23-204210.fit"
    report = analyze_session(INTERVALS / name, workout="4x2min")
    assert report.segmentation.method == "laps"
    assert [r.start_s for r in report.reps] == pytest.approx(_starts(name, truth), abs=1.5)
    assert [r.duration_s for r in report.reps] == pytest.approx([120.0] * 4, abs=1.5)


@pytest.mark.parametrize(
    ("name", "structure"),
    [
        # Laps of the reps' size beside the laps run 1.4x faster than their neighbours: rep 1,
        # run slower, and the surges recorded every 3 s that the speed alone hardly shows.
        ("jasonjdd_610138634.fit", "8x60 s, 3 min jog"),
        ("x3cl_115218638.fit", "10x10 s strides, 3 min jog"),
        # The first lap is rep 1 (no warm-up recorded): 1.85x the walk after it.
        ("x3cl_204685264.fit", "5x400 m, 90 s walk"),
    ],
)
def test_the_laps_the_size_of_the_reps_mark_them_untold(truth, name, structure):
    report = analyze_session(INTERVALS / name, file_plan=False)
    assert report.structure == structure
    assert [r.start_s for r in report.reps] == pytest.approx(_starts(name, truth), abs=1.5)


#: The sessions ``real_intervals/README.md`` says were run on a 400 m track.
ON_A_TRACK = {
    "jasonjdd_596255697.fit",
    "jasonjdd_770a11c8.fit",
    "jasonjdd_54873ae5.fit",
    "jasonjdd_468216855723540488.fit",
    "jasonjdd_cd8fcb59.fit",
}


def test_the_track_is_found_exactly_in_the_track_sessions(truth):
    found = set()
    for name in truth:
        activity = read_activity(INTERVALS / name)
        if fit_track(make_grid(activity), activity) is not None:
            found.add(name)
    assert found == ON_A_TRACK


def test_coros_files_with_a_malformed_field_are_read_whole(truth):
    # A uint32 field declared 1 byte long used to end the reading at 203 of 4,707 records.
    activity = read_activity(INTERVALS / "jasonjdd_54873ae5.fit")
    assert len(activity.track) > 4000
    assert any("malformed FIT definition" in w for w in activity.warnings)
    report = analyze_session(activity, workout="6x200")
    assert len(report.reps) == 6


def test_the_activity_title_is_the_files_own_plan(truth):
    # The GPX track is named "W03 - Reps 6x600m @4.15"; untold, the same structure is found.
    report = analyze_session(INTERVALS / "davide-mariotti_activity_22536980119.gpx")
    assert report.workout.source == "title"
    assert [r.planned.distance_m for r in report.reps] == [600.0] * 6


def test_json_for_an_interval_session_that_is_not_a_hard_kick(truth):
    report = analyze_session(INTERVALS / "davide-mariotti_activity_22536980119.gpx", file_plan=False)
    document = report_to_dict(report)
    assert document["schema_version"] == "2.0"
    assert document["is_hard_kick"] is False
    assert document["structure"] == "6x600 m, 2 min jog"
    assert document["workout"]["plan_source"] == "detected"
    assert document["workout"]["target_pace_source"] == "inferred"
    assert {rep["kind"] for rep in document["reps"]} == {"work"}
    assert len(document["reps"]) == 6


@pytest.fixture(scope="module")
def run_stats() -> list[Path]:
    files = sorted(RUN_STATS.glob("*.fit"))
    if not files:
        pytest.skip("../shared/real_activities/run-stats is not beside the repository")
    return files


def test_the_five_run_stats_6x400_sessions_untold(run_stats):
    # Structured 6x400 m / 200 m jog workouts; untold, with every plan the file holds ignored.
    errors = []
    for path in run_stats:
        activity = read_activity(path)
        active = {step.index for step in activity.workout_steps if step.intensity == "active"}
        laps = [activity.seconds(lap.start_time) for lap in activity.laps if lap.wkt_step_index in active]
        report = analyze_session(activity, file_plan=False)
        assert report.structure.startswith("6x400 m"), path.name
        assert len(report.reps) == 6
        errors += [rep.start_s - lap for rep, lap in zip(report.reps, laps, strict=True)]
    assert len(errors) == 30
    assert float(np.median(np.abs(errors))) <= 1.0


@pytest.mark.parametrize(
    ("relative", "structure"),
    [
        # A manual-lap 6x~700 m and a 5x800 m out-and-back: every rep lap counted now.
        ("Runalyze/time-jump.fit", "6x3 min, 2 min jog"),
        ("sports-lib/6914538454.fit", "5x800 m, 60 s rest"),
        # 1 km auto-laps around a 78 min pause: a 17 s walking lap between paused laps is no rep.
        ("Runalyze/Fenix-3-with-empty-runscribe.fit", "steady 6.2 km in 111 min, no intervals"),
    ],
)
def test_laps_in_runs_from_the_corpus(relative, structure):
    path = SHARED / "real_activities" / relative
    if not path.is_file():
        pytest.skip("../shared/real_activities is not beside the repository")
    assert analyze_session(path).structure == structure


def test_a_goal_pace_far_from_the_run_does_not_hide_the_reps():
    # The runner ran 4:40/km where a 25:00 goal prescribes 4:55/km: the reps are still found,
    # and scored against the goal.
    report = analyze_session(
        Path(__file__).resolve().parents[1] / "sample_data" / "hard_kick_500_strava.gpx", goal_5k="25:00"
    )
    assert report.is_hard_kick
    assert len(report.reps) == 6
    assert report.target_pace_source == "goal"
    assert all(r.pace_error_s_per_km is not None and r.pace_error_s_per_km < 0 for r in report.reps)
