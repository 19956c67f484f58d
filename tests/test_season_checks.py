"""The workout's own checks on hand-made records: numbers a person can check."""

from __future__ import annotations

import pandas as pd

from hardkick_analyze.season.checks import season_checks
from hardkick_analyze.season.records import SessionRecord


def _session(source: str, when: str, *, warmup_s: float = 900.0, cooldown_s: float = 600.0) -> SessionRecord:
    report = {
        "workout": {"target_pace_s_per_km": 300.0},
        "score": {"warmup_s": warmup_s, "cooldown_s": cooldown_s},
        "reps": [],
    }
    return SessionRecord(
        source=source,
        kind="hard_kick",
        start_time=pd.Timestamp(when),
        sport="running",
        duration_s=3600.0,
        distance_m=9000.0,
        report=report,
    )


def _run(source: str, when: str, km: float, minutes: float, sport: str = "running") -> SessionRecord:
    return SessionRecord(
        source=source,
        kind="other",
        start_time=pd.Timestamp(when),
        sport=sport,
        duration_s=minutes * 60.0,
        distance_m=km * 1000.0,
    )


def test_an_easy_run_the_day_after_is_what_the_workout_asks():
    # 40 min for 6 km is 6:40/km, slower than 1.15 x 5:00/km = 5:45/km.
    records = [_session("hk", "2026-03-02T07:00Z"), _run("easy", "2026-03-03T18:00Z", 6.0, 40.0)]
    (check,) = season_checks(records)
    assert check.day_after == "easy run"
    assert check.day_after_detail == "40:00 run at 6:40/km (easy)"
    assert check.flags == ()


def test_a_fast_run_a_long_run_or_a_ride_the_day_after_is_flagged():
    cases = {
        "fast": (_run("fast", "2026-03-03T18:00Z", 8.0, 40.0), "run at 5:00/km, faster than easy (5:45/km)"),
        "long": (_run("long", "2026-03-03T18:00Z", 14.0, 90.0), "1:30:00 run, longer than a recovery run"),
        "ride": (_run("ride", "2026-03-03T18:00Z", 30.0, 60.0, sport="cycling"), "cycling activity"),
    }
    for name, (record, reason) in cases.items():
        (check,) = season_checks([_session("hk", "2026-03-02T07:00Z"), record])
        assert check.day_after == "hard", name
        assert reason in check.day_after_detail, name
        assert check.flags[0].startswith("hard session the next day"), name


def test_a_rest_day_needs_a_later_file_to_be_known():
    alone = season_checks([_session("hk", "2026-03-02T07:00Z")])
    assert alone[0].day_after == "unknown"
    later = season_checks([_session("hk", "2026-03-02T07:00Z"), _run("later", "2026-03-05T07:00Z", 5.0, 30.0)])
    assert later[0].day_after == "rest"


def test_two_hard_kick_sessions_on_consecutive_days_flag_the_first():
    first, _ = season_checks([_session("a", "2026-03-02T07:00Z"), _session("b", "2026-03-03T07:00Z")])
    assert first.day_after == "hard"
    assert "another hard-kick session (b)" in first.day_after_detail


def test_warm_up_and_cool_down_minimums():
    (check,) = season_checks([_session("hk", "2026-03-02T07:00Z", warmup_s=300.0, cooldown_s=120.0)])
    assert check.warmup_ok is False and check.cooldown_ok is False
    assert "warm-up only 5:00 (at least 10:00)" in check.flags
    assert "cool-down only 2:00 (at least 5:00)" in check.flags


def test_the_base_is_the_running_volume_of_the_weeks_before():
    records = [
        _run("w4", "2026-02-03T07:00Z", 10.0, 60.0),
        _run("w3", "2026-02-10T07:00Z", 12.0, 70.0),
        _run("w2 ride", "2026-02-17T07:00Z", 40.0, 90.0, sport="cycling"),
        _run("w2", "2026-02-18T07:00Z", 14.0, 80.0),
        _run("w1a", "2026-02-24T07:00Z", 8.0, 45.0),
        _run("w1b", "2026-02-27T07:00Z", 10.0, 60.0),
        _session("hk", "2026-03-03T07:00Z"),
    ]
    check = season_checks(records)[0]
    # Weeks end at the session's start: [24 Feb, 3 Mar), [17 Feb, 24 Feb), [10 Feb, 17 Feb), [3 Feb, 10 Feb).
    assert check.weekly_run_km == (18.0, 14.0, 12.0, 10.0)
    assert check.base_km_per_week == 13.5
    assert check.base_ok is False
    assert "thin base: 13.5 km/week of running before (at least 15)" in check.flags


def test_weeks_the_season_does_not_reach_back_to_are_unknown():
    records = [_run("first", "2026-02-25T07:00Z", 10.0, 60.0), _session("hk", "2026-03-03T07:00Z")]
    check = season_checks(records)[0]
    assert check.weekly_run_km == (None, None, None, None)
    assert check.base_km_per_week is None and check.base_ok is None
