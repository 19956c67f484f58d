"""A coach's checks around each hard session, on typed records of real analyses: numbers a person can check.

Each kind of activity is analysed once (simulated GPX files through the season's worker), then
placed on the days a test needs: the checks read the records' typed values only, so a key renamed
in the session's JSON breaks these tests at :func:`record_from_entry`, never silently.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from hardkick_analyze.present.season.words import base_text, day_after_text, flag_text
from hardkick_analyze.season.checks import EASY_PACE_RATIO, season_checks
from hardkick_analyze.season.records import SessionRecord, record_from_entry
from hardkick_analyze.season.review import review_season
from hardkick_analyze.season.worker import AnalysisOptions, analyze_file

from .test_season_sessions import Simulated, day, easy_run, gpx_bytes, hard_kick, ride


def _analysed(activity: Simulated) -> SessionRecord:
    data = gpx_bytes(activity)
    entry = analyze_file("x.gpx", data, AnalysisOptions())
    return record_from_entry(entry, source="x.gpx", content_sha256=None, cached=False)


@pytest.fixture(scope="module")
def kinds() -> dict[str, SessionRecord]:
    """One analysed activity of each kind the checks tell apart."""
    return {
        "hard": _analysed(Simulated("hk", "interval", day(2), hard_kick())),
        "short warm-up": _analysed(Simulated("hk", "interval", day(2), hard_kick(warmup_s=240.0))),
        # 40 min at 2.5 m/s: 6 km at 6:40/km.
        "easy": _analysed(Simulated("easy", "run", day(3), easy_run(minutes=40.0, speed_mps=2.5))),
        # 40 min at 3.33 m/s: 8 km at 5:00/km, faster than 1.2 x the reps' 4:55/km.
        "fast": _analysed(Simulated("fast", "run", day(3), easy_run(minutes=40.0, speed_mps=1000.0 / 300.0))),
        # 90 min at 2.5 m/s: easy, but long.
        "long": _analysed(Simulated("long", "run", day(3), easy_run(minutes=90.0, speed_mps=2.5))),
        "ride": _analysed(Simulated("ride", "other", day(3), ride(), sport="cycling")),
    }


def _on(kinds: dict[str, SessionRecord], kind: str, source: str, when: str) -> SessionRecord:
    return dataclasses.replace(kinds[kind], source=source, start_time=pd.Timestamp(when))


def test_the_records_are_what_the_checks_need(kinds):
    assert kinds["hard"].kind == "interval" and kinds["hard"].is_hard
    assert kinds["easy"].kind == "run" and not kinds["easy"].is_hard
    assert kinds["ride"].kind == "other" and not kinds["ride"].is_running
    assert kinds["easy"].pace_s_per_km == pytest.approx(400.0, rel=0.01)
    assert kinds["fast"].pace_s_per_km == pytest.approx(300.0, rel=0.01)


def test_an_easy_run_the_day_after_is_what_the_workout_asks(kinds):
    records = [_on(kinds, "hard", "hk", "2026-03-02T07:00Z"), _on(kinds, "easy", "easy", "2026-03-03T18:00Z")]
    (check,) = season_checks(records)
    assert check.day_after == "easy run"
    # Easy is slower than 1.2 x the reps' pace (4:55/km, within the simulator's scatter).
    assert check.easy_pace_s_per_km == pytest.approx(EASY_PACE_RATIO * 295.0, rel=0.02)
    # The file's samples span 0-2399 s: 39:59 for 6.0 km less the last second's 2.5 m.
    assert day_after_text(check) == "39:59 run at 6:41/km (easy)"
    assert check.flags == ()


@pytest.mark.parametrize(
    ("kind", "why", "words"),
    [
        ("fast", "fast", "run at 5:00/km, faster than easy"),
        ("long", "long", "1:29:59 run, longer than a recovery run"),
        ("ride", "other sport", "cycling activity, not rest or an easy run"),
    ],
)
def test_a_fast_run_a_long_run_or_a_ride_the_day_after_is_flagged(kinds, kind, why, words):
    records = [_on(kinds, "hard", "hk", "2026-03-02T07:00Z"), _on(kinds, kind, kind, "2026-03-03T18:00Z")]
    (check,) = season_checks(records)
    assert check.day_after == "hard"
    assert [(n.source, n.not_recovery) for n in check.next_day] == [(kind, why)]
    assert [f.code for f in check.flags] == ["hard_next_day"]
    assert flag_text(check.flags[0], check).startswith(f"hard session the next day: {words}")
    assert flag_text(check.flags[0], check).endswith(f"({kind})")


def test_a_rest_day_is_said_only_where_the_folder_holds_the_everyday_runs(kinds):
    alone = season_checks([_on(kinds, "hard", "hk", "2026-03-02T07:00Z")])
    assert alone[0].day_after == "unknown"
    # A folder of interval sessions only: the day after could hold a run that is not in it.
    sessions = [_on(kinds, "hard", "a", "2026-03-02T07:00Z"), _on(kinds, "hard", "b", "2026-03-05T07:00Z")]
    assert [c.day_after for c in season_checks(sessions)] == ["unknown", "unknown"]
    # With an easy run two days later the folder holds that week's runs: no file is a rest day.
    later = [*sessions, _on(kinds, "easy", "easy", "2026-03-04T07:00Z")]
    assert [c.day_after for c in season_checks(later)] == ["rest", "rest"]
    assert day_after_text(season_checks(later)[0]) == "no activity recorded"


def test_two_hard_sessions_on_consecutive_days_flag_the_first(kinds):
    first, second = season_checks(
        [_on(kinds, "hard", "a", "2026-03-02T07:00Z"), _on(kinds, "hard", "b", "2026-03-03T07:00Z")]
    )
    assert first.day_after == "hard" and [n.not_recovery for n in first.next_day] == ["hard session"]
    assert "another hard session (b)" in day_after_text(first)
    assert second.day_after == "unknown"


def test_warm_up_and_cool_down_are_the_files_own(kinds):
    (check,) = season_checks([_on(kinds, "short warm-up", "hk", "2026-03-02T07:00Z")])
    # 240 s of jogging and the 120 s stop before the first rep.
    assert check.warmup_s == pytest.approx(359.0, abs=2.0)
    assert check.warmup_ok is False and check.cooldown_ok is True
    assert [f.code for f in check.flags] == ["short_warmup"]
    assert flag_text(check.flags[0], check) == "warm-up only 5:59 (at least 10:00)"


def test_the_base_is_the_running_volume_of_the_weeks_before(kinds):
    easy_km = kinds["easy"].distance_m / 1000.0
    records = [
        _on(kinds, "easy", "w4", "2026-02-03T07:00Z"),
        _on(kinds, "easy", "w3", "2026-02-10T07:00Z"),
        _on(kinds, "ride", "w2 ride", "2026-02-17T07:00Z"),
        _on(kinds, "easy", "w2", "2026-02-18T07:00Z"),
        _on(kinds, "easy", "w1a", "2026-02-24T07:00Z"),
        _on(kinds, "hard", "w1b", "2026-02-27T07:00Z"),
        _on(kinds, "hard", "hk", "2026-03-03T07:00Z"),
    ]
    check = season_checks(records)[-1]
    # Weeks end at the session's start: [24 Feb, 3 Mar), [17 Feb, 24 Feb), [10 Feb, 17 Feb), [3 Feb, 10 Feb).
    # The interval session of 27 Feb counts as running; the ride does not.
    hard_km = kinds["hard"].distance_m / 1000.0
    expected = (easy_km + hard_km, easy_km, easy_km, easy_km)
    assert check.weekly_run_km == pytest.approx(expected, abs=0.01)
    # The weeks are kept to 10 m, their mean to 100 m.
    assert check.base_km_per_week == pytest.approx(sum(expected) / 4, abs=0.06)
    assert check.base_ok is False
    assert [f.code for f in check.flags] == ["thin_base"]
    assert flag_text(check.flags[0], check) == (
        f"thin base: {check.base_km_per_week:.1f} km/week of running before (at least 15)"
    )


def test_weeks_with_only_interval_sessions_could_not_be_judged(kinds):
    records = [
        _on(kinds, "hard", "w3", "2026-02-10T07:00Z"),
        _on(kinds, "easy", "w1", "2026-02-25T07:00Z"),
        _on(kinds, "hard", "hk", "2026-03-03T07:00Z"),
    ]
    check = season_checks(records)[-1]
    assert check.weekly_run_km[0] == pytest.approx(kinds["easy"].distance_m / 1000.0, abs=0.01)
    assert check.weekly_run_km[1:] == (None, None, None)
    assert check.base_km_per_week is None and check.base_ok is None
    assert check.flags == ()
    assert base_text(check) == "could not judge: the folder holds no everyday activities in 3 of the 4 weeks before"


def test_flags_are_ranked_by_what_a_coach_acts_on_first(kinds):
    records = [
        _on(kinds, "short warm-up", "old warm-up", "2026-03-01T07:00Z"),
        _on(kinds, "short warm-up", "recent warm-up", "2026-03-10T07:00Z"),
        _on(kinds, "hard", "hard then ride", "2026-03-05T07:00Z"),
        _on(kinds, "ride", "ride", "2026-03-06T07:00Z"),
    ]
    flags = review_season(records).flags
    assert [(f.code, f.source) for f in flags] == [
        ("hard_next_day", "hard then ride"),
        ("short_warmup", "recent warm-up"),
        ("short_warmup", "old warm-up"),
    ]
    assert [f.severity for f in flags] == [1, 3, 3]
