"""The season review on real files: the real interval sessions and the five run-stats 6x400 m sessions.

The season folder is built in a temporary directory from links to ``../shared`` (never copies in
the repository); the tests skip when the files are not beside the repository. ``python -m
bench.season_real`` prints the whole table (docs/season.md).
"""

from __future__ import annotations

import pytest

from bench.season_real import INTERVALS, RUN_STATS, build_season_folder, truth_workouts
from hardkick_analyze.present.season.words import group_label
from hardkick_analyze.season import analyze_season

pytestmark = pytest.mark.skipif(
    not INTERVALS.is_dir() or not RUN_STATS.is_dir(), reason="../shared is not beside the repository"
)
RUN_STATS_FILES = {"6761214480_ACTIVITY.fit", "6840589159_ACTIVITY.fit", "6880614987_ACTIVITY.fit",
                   "7119384558_ACTIVITY.fit", "7158652782_ACTIVITY.fit"}  # fmt: skip
#: 2 min on / 2 min steady at a ratio of 1.18: the segmenter finds no reps (its own issue).
NOT_FOUND = {"shaonianche_2023-07-23-204210.fit"}


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    folder = tmp_path_factory.mktemp("real-season")
    build_season_folder(folder)
    return analyze_season([folder], workers=2)


def test_every_interval_session_is_one(season):
    truth = truth_workouts()
    assert {r.source for r in season.records} == set(truth)
    kinds = {r.source: r.kind for r in season.records}
    assert {name for name, kind in kinds.items() if kind != "interval"} == NOT_FOUND
    # The structure found names the laps' rep size, for every session whose reps have one size.
    for record in season.of_kind("interval"):
        workout, _ = truth[record.source]
        if "x" in workout and "," not in workout and "(" not in workout:
            size = workout.split("x")[-1].split(" ")[0]
            words = size.replace("min", " min").replace("s", " s").replace("1000", "1 km")
            assert words.strip() in (record.summary.structure or ""), (record.source, workout)


def test_the_run_stats_sessions_are_one_workout_from_the_watchs_plan(season):
    group = season.review.group_of("6761214480_ACTIVITY.fit")
    assert {s.source for s in group.sessions} == RUN_STATS_FILES
    assert group_label(group) == "6x400 m (jog)"
    for name in RUN_STATS_FILES:
        summary = next(r for r in season.records if r.source == name).summary
        assert summary.workout.plan_source == "watch"
        assert summary.structure == "6x400 m, 200 m jog"
    # Reps of 3:15-3:47/km: the manifest's numbers.
    for session in group.sessions:
        assert 195.0 <= session.rep_pace_s_per_km <= 227.0
        assert session.heart_rate_bpm is not None


def test_a_runners_sessions_group_as_the_runner_would(season):
    by_source = {s.source: g.key for g in season.review.groups for s in g.sessions}
    same = [
        ("x3cl_203966566.fit", "x3cl_204685264.fit"),  # 5x400 m with 90 s walked
        ("jasonjdd_54873ae5.fit", "jasonjdd_770a11c8.fit"),  # 6 and 4 x 200 m jogged
        ("520qianjiawen_476671181817151892.fit", "520qianjiawen_477460600557961418.fit"),  # 6 and 8 x 1 km
    ]
    for first, second in same:
        assert by_source[first] == by_source[second], (first, second)
    # Different recoveries are different workouts: 6x400 m jogged and 5x400 m walked.
    assert by_source["6761214480_ACTIVITY.fit"] != by_source["x3cl_203966566.fit"]
    assert by_source["davide-mariotti_activity_21224116738.gpx"] != by_source["x3cl_203966566.fit"]


def test_the_run_stats_runner_is_a_17_to_18_minute_5k_runner(season):
    fitness = season.review.fitness
    for name in RUN_STATS_FILES:
        estimate = fitness.for_session(name)
        assert estimate.zone == "I"
        assert 16.5 * 60 <= estimate.time_5k_s <= 18.5 * 60, name
        assert estimate.time_5k_fast_s < estimate.time_5k_s < estimate.time_5k_slow_s


def test_without_everyday_runs_nothing_is_said_about_rest_or_base(season):
    # The folder holds interval sessions only: no "thin base", no "rest day".
    assert {c.day_after for c in season.checks} == {"unknown"}
    assert all(c.base_ok is None for c in season.checks)
    assert {f.code for f in season.review.flags} <= {"short_warmup", "short_cooldown"}
