"""analyze_season over a simulated season folder and a simulated Strava bundle: nothing lost, kinds right."""

from __future__ import annotations

import gzip
import io
import json
import random
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import hardkick_analyze.readers.source as source_module
import hardkick_analyze.season.batch as batch_module
import hardkick_analyze.season.cache as cache_module
import hardkick_analyze.season.worker as worker_module
from hardkick_analyze import HardkickError, analyze_season
from hardkick_analyze.models import Workout
from hardkick_analyze.season import ResultCache, expand_paths, read_plan
from hardkick_analyze.simulate import Athlete, SessionConfig, SessionPlan, simulate_session
from hardkick_analyze.simulate.scenarios import hard_kick_500

from .test_season_sessions import (
    Simulated,
    day,
    easy_run,
    fartlek,
    gpx_bytes,
    hard_kick,
    ride,
    tcx_bytes,
    tempo_run,
    track_without_kicks,
    write,
)

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class FromSimulator:
    """A session from the project's simulator, written in ``file_format``."""

    config: SessionConfig
    file_format: str


def _simulated(day_number: int, workout: Workout, warmup_s: float = 1200.0) -> SessionConfig:
    start = pd.Timestamp(day(day_number))
    plan = SessionPlan(workout=workout, rest_s=100.0, start_time=start, name='Track <Tuesday> & "kick"')
    return SessionConfig(plan=plan, athlete=Athlete(warmup_s=warmup_s, cooldown_s=600.0))


#: The simulated season: file name -> (activity or None for a broken file, expected kind or failure kind).
SEASON = {
    "2026-03-02 hard kick.gpx": (Simulated("hk", "interval", day(2), hard_kick()), "interval"),
    "2026-03-03 easy.tcx.gz": (Simulated("easy", "run", day(3), easy_run()), "run"),
    "2026-03-04 fartlek.gpx.gz": (Simulated("fartlek", "run", day(4), fartlek()), "run"),
    "track/2026-03-06 6x400.tcx": (Simulated("6x400", "interval", day(6), track_without_kicks()), "interval"),
    "2026-03-07 ride.gpx": (Simulated("ride", "other", day(8, 17), ride(), sport="cycling"), "other"),
    "track/2026-03-09 hard kick.tcx.gz": (Simulated("hk", "interval", day(9), hard_kick(plain=3)), "interval"),
    "2026-03-10 tempo.gpx": (Simulated("tempo", "run", day(10), tempo_run()), "run"),
    "2026-03-16 short warm-up.gpx": (Simulated("hk", "interval", day(16), hard_kick(warmup_s=240.0)), "interval"),
    "sim/2026-03-12 hard kick.fit": (FromSimulator(_simulated(12, hard_kick_500(280.0)), "fit"), "interval"),
    "sim/2026-03-13 easy.fit.gz": (
        FromSimulator(_simulated(13, Workout(spec="easy", reps=()), 2400.0), "fit.gz"),
        "run",
    ),
    "sim/2026-03-14 hard kick.gpx.gz": (
        FromSimulator(_simulated(14, hard_kick_500(285.0, plain=3)), "gpx.gz"),
        "interval",
    ),
    "watch/run.fit": (None, "run"),
    "watch/fenix.fit": (None, "run"),
    "broken/empty.fit": (None, "empty"),
    "broken/truncated.fit": (None, "truncated"),
    "broken/random.fit": (None, "unsupported"),
    "broken/cut.gpx": (None, "corrupt"),
    "broken/settings.fit": (None, "unsupported"),
}


def write_season(folder: Path) -> Path:
    """Write the simulated season (and its broken files) into ``folder``."""
    for seed, (name, (activity, _)) in enumerate(SEASON.items()):
        if isinstance(activity, FromSimulator):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(simulate_session(activity.config, seed).to_bytes(activity.file_format))
        elif activity is not None:
            write(activity, folder, name, seed=seed)
    watch = folder / "watch"
    watch.mkdir()
    (watch / "run.fit").write_bytes((DATA / "run.fit").read_bytes())
    (watch / "fenix.fit").write_bytes((DATA / "garmin-fenix-5-run.fit").read_bytes())
    broken = folder / "broken"
    broken.mkdir()
    (broken / "empty.fit").write_bytes(b"")
    (broken / "truncated.fit").write_bytes((DATA / "run.fit").read_bytes()[:300])
    (broken / "random.fit").write_bytes(random.Random(7).randbytes(4000))
    (broken / "cut.gpx").write_bytes(gpx_bytes(SEASON["2026-03-02 hard kick.gpx"][0])[:5000])
    (broken / "settings.fit").write_bytes((DATA / "Settings.fit").read_bytes())
    (folder / "notes.md").write_text("not an activity: ignored")
    return folder


@pytest.fixture(scope="module")
def season_dir(tmp_path_factory) -> Path:
    return write_season(tmp_path_factory.mktemp("season"))


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory) -> Path:
    """Four files of four kinds, for the tests that run a season many times."""
    folder = tmp_path_factory.mktemp("small")
    write(Simulated("easy", "run", day(3), easy_run(minutes=20.0)), folder, "easy.gpx")
    write(Simulated("hk", "interval", day(2), hard_kick()), folder, "hk.tcx.gz")
    (folder / "run.fit").write_bytes((DATA / "run.fit").read_bytes())
    (folder / "empty.fit").write_bytes(b"")
    return folder


SMALL = {"easy.gpx": "run", "hk.tcx.gz": "interval", "run.fit": "run", "empty.fit": "empty"}


@pytest.fixture(scope="module")
def season(season_dir):
    return analyze_season([season_dir], workers=1)


def _kinds(result) -> dict[str, str]:
    return {r.source: (r.error_kind if r.kind == "failed" else r.kind) for r in result.records}


def test_every_input_is_accounted_for_once_with_its_kind(season):
    names = [r.source for r in season.records]
    assert sorted(names) == sorted(SEASON)
    assert len(names) == len(set(names))
    assert _kinds(season) == {name: kind for name, (_, kind) in SEASON.items()}
    assert season.read_count == 13


def test_records_are_in_date_order_with_failures_last(season):
    dated = [r.start_time for r in season.records if r.start_time is not None]
    assert dated == sorted(dated)
    assert [r.kind for r in season.records[-5:]] == ["failed"] * 5


def test_failures_carry_a_one_line_reason(season):
    failed = {r.source: r for r in season.of_kind("failed")}
    assert failed["broken/empty.fit"].error == "the file is empty"
    assert "ends before its first record" in failed["broken/truncated.fit"].error
    assert failed["broken/settings.fit"].error == "FIT file of type 'settings', not an activity"
    assert all("\n" not in r.error and not r.internal_error for r in failed.values())


def test_hard_kick_sessions_say_which_workout_and_that_the_pace_was_inferred(season):
    hard = [r for r in season.of_kind("interval") if r.summary.is_hard_kick]
    assert [r.summary.workout.spec for r in hard] == ["hard-kick-500"] * 5
    assert {r.summary.workout.target_pace_source for r in hard} == {"inferred"}
    # 2 and 9 March: 4 and 3 plain reps; 12 and 14 March from the simulator: 4 and 3; 16 March: 4.
    assert [len(r.summary.reps) for r in hard] == [6, 5, 6, 5, 6]
    assert [len(r.summary.kicks) for r in hard] == [2] * 5
    by_source = {r.source: r.summary.workout.target_pace_s_per_km for r in hard}
    # The simulated runner scatters around the plan (about 1 % per rep, slow drift within a rep).
    assert by_source["sim/2026-03-12 hard kick.fit"] == pytest.approx(280.0, rel=0.03)
    assert by_source["sim/2026-03-14 hard kick.gpx.gz"] == pytest.approx(285.0, rel=0.03)
    assert hard[0].summary.source == "2026-03-02 hard kick.gpx"
    # The five are one workout, the track session without kicks another.
    (kicks, track) = season.review.groups
    assert kicks.key == "hard-kick-500" and [s.source for s in kicks.sessions] == [r.source for r in hard]
    assert [s.source for s in track.sessions] == ["track/2026-03-06 6x400.tcx"]


def test_the_checks_around_each_hard_session(season):
    assert [c.source for c in season.checks] == [r.source for r in season.of_kind("interval")]
    first = season.check_for("2026-03-02 hard kick.gpx")
    # 35 min at 2.75 m/s (6:04/km) after reps at 4:55/km: slower than 1.2 x 4:55 = 5:54/km.
    assert first.day_after == "easy run"
    assert [n.source for n in first.next_day] == ["2026-03-03 easy.tcx.gz"]
    assert first.warmup_ok and first.cooldown_ok
    # The watch files from 2017 and 2019 are far away: the folder does not hold the weeks before.
    assert first.weekly_run_km == (None, None, None, None)
    assert first.base_ok is None and first.flags == ()

    second = season.check_for("track/2026-03-09 hard kick.tcx.gz")
    assert second.day_after == "hard"
    assert [(n.source, n.not_recovery) for n in second.next_day] == [("2026-03-10 tempo.gpx", "fast")]
    assert [f.code for f in second.flags] == ["hard_next_day"]
    # Runs from 2 to 9 March (the ride is no run, but an everyday activity): the reps session,
    # the easy run, the fartlek, the track session. The weeks before hold no file.
    runs = [r for r in season.records if r.is_running and r.source != second.source]
    week = [r for r in runs if pd.Timestamp("2026-03-02T07:00Z") <= r.start_time < pd.Timestamp("2026-03-09T07:00Z")]
    assert second.weekly_run_km[0] == pytest.approx(sum(r.distance_m for r in week) / 1000, abs=0.01)
    assert second.weekly_run_km[1:] == (None, None, None)

    third = season.check_for("2026-03-16 short warm-up.gpx")
    assert third.warmup_ok is False and [f.code for f in third.flags] == ["short_warmup"]
    # The last file: the next day is not in the folder, but the folder holds everyday runs that
    # week, so a day without a file is a rest day.
    assert third.day_after == "rest"
    # Ranked: the hard day after first, then the warm-up.
    assert [(f.code, f.source) for f in season.review.flags] == [
        ("hard_next_day", "track/2026-03-09 hard kick.tcx.gz"),
        ("short_warmup", "2026-03-16 short warm-up.gpx"),
    ]


def test_a_process_pool_and_any_executor_give_the_same_result(season, season_dir):
    expected = _kinds(season)
    assert _kinds(analyze_season([season_dir], workers=2)) == expected
    with ThreadPoolExecutor(2) as pool:
        assert _kinds(analyze_season([season_dir], executor=pool)) == expected


def test_a_second_run_is_served_from_the_cache(small_dir, tmp_path, monkeypatch):
    calls: list[str] = []
    real = batch_module.analyze_file

    def counting(name, data, options):
        calls.append(name)
        return real(name, data, options)

    monkeypatch.setattr(batch_module, "analyze_file", counting)
    cache = ResultCache(tmp_path / "cache")
    first = analyze_season([small_dir], workers=1, cache=cache)
    assert _kinds(first) == SMALL
    # Every file whose bytes could be read went to the worker once (empty bytes too).
    assert len(calls) == len(SMALL) == first.analysed_now
    calls.clear()
    second = analyze_season([small_dir], workers=1, cache=cache)
    assert calls == []
    assert second.cache_hits == len(SMALL) and second.analysed_now == 0
    assert all(r.cached for r in second.records)
    assert _kinds(second) == _kinds(first)
    assert [r.summary for r in second.records] == [r.summary for r in first.records]


def test_a_corrupt_cache_entry_is_ignored(small_dir, tmp_path):
    cache = ResultCache(tmp_path / "cache")
    first = analyze_season([small_dir], workers=1, cache=cache)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == len(SMALL)
    entries[0].write_text("{not json")
    entries[1].write_bytes(b"\x00\xff")
    entries[2].write_text("[1, 2]")
    again = analyze_season([small_dir], workers=1, cache=cache)
    assert again.analysed_now == 3 and again.cache_hits == len(SMALL) - 3
    assert _kinds(again) == _kinds(first)


def test_a_cache_entry_swapped_for_another_files_is_not_served(small_dir, tmp_path):
    # Issue 12 row 18: entries recorded neither key nor content, so a swapped entry served wrong results.
    cache = ResultCache(tmp_path / "cache")
    first = analyze_season([small_dir], workers=1, cache=cache)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    swapped = [entries[0].read_bytes(), entries[1].read_bytes()]
    entries[0].write_bytes(swapped[1])
    entries[1].write_bytes(swapped[0])
    stored = json.loads(swapped[0])
    assert set(stored) == {"key", "content_sha256", "entry"} and stored["key"] == entries[0].stem
    again = analyze_season([small_dir], workers=1, cache=cache)
    assert again.analysed_now == 2 and again.cache_hits == len(SMALL) - 2
    assert _kinds(again) == _kinds(first)
    assert [r.summary for r in again.records] == [r.summary for r in first.records]


def test_an_unexpected_exception_fails_one_file_loudly_and_is_not_cached(small_dir, tmp_path, monkeypatch):
    real = worker_module.analyze_session

    def broken(activity, **options):
        if activity.metadata.source == "easy.gpx":
            raise ZeroDivisionError("a bug")
        return real(activity, **options)

    monkeypatch.setattr(worker_module, "analyze_session", broken)
    cache = ResultCache(tmp_path / "cache")
    result = analyze_season([small_dir], workers=1, cache=cache)
    record = next(r for r in result.records if r.source == "easy.gpx")
    assert record.kind == "failed" and record.internal_error
    assert record.error_kind == "internal error"
    assert record.error == "ZeroDivisionError: a bug"
    assert "ZeroDivisionError" in record.traceback
    assert len(result.records) == len(SMALL)
    monkeypatch.setattr(worker_module, "analyze_session", real)
    assert analyze_season([small_dir], workers=1, cache=cache).analysed_now == 1


def test_a_gzip_bomb_over_the_cap_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(source_module, "MAX_DECOMPRESSED_BYTES", 1_000_000)
    (tmp_path / "bomb.fit.gz").write_bytes(gzip.compress(b"\x00" * 3_000_000))
    (tmp_path / "run.fit").write_bytes((DATA / "run.fit").read_bytes())
    result = analyze_season([tmp_path], workers=1)
    assert _kinds(result) == {"bomb.fit.gz": "too large", "run.fit": "run"}


def test_a_strava_bundle_uses_its_names_and_dates(tmp_path):
    hk = Simulated("hk", "interval", day(2), hard_kick())
    easy = Simulated("easy", "run", day(3), easy_run())
    index = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Filename\n"
        '11,"Mar 2, 2026, 7:00:00 AM",Hard kick on the track,Run,3000,activities/11.gpx.gz\n'
        '12,"Mar 3, 2026, 7:00:00 AM",Recovery jog,Run,2100,activities/12.tcx.gz\n'
        '13,"Mar 4, 2026, 7:00:00 AM",Watch died,Run,10,activities/13.fit.gz\n'
        '14,"Mar 5, 2026, 7:00:00 AM",Cut short,Run,10,activities/14.fit.gz\n'
        '15,"Mar 6, 2026, 7:00:00 AM",Noise,Run,10,activities/15.gpx.gz\n'
        '16,"Mar 7, 2026, 7:00:00 AM",Lost,Run,10,activities/16.gpx.gz\n'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", index)
        archive.writestr("activities/11.gpx.gz", gzip.compress(gpx_bytes(hk)))
        archive.writestr("activities/12.tcx.gz", gzip.compress(tcx_bytes(easy)))
        archive.writestr("activities/13.fit.gz", gzip.compress(b""))
        archive.writestr("activities/14.fit.gz", gzip.compress((DATA / "run.fit").read_bytes())[:200])
        archive.writestr("activities/15.gpx.gz", random.Random(3).randbytes(2000))
        archive.writestr("../../evil.fit", (DATA / "run.fit").read_bytes())
        archive.writestr("media/1.jpg", b"\xff\xd8\xff")
    bundle = tmp_path / "export_12345.zip"
    bundle.write_bytes(buffer.getvalue())
    result = analyze_season([bundle], workers=1)
    assert _kinds(result) == {
        "activities/11.gpx.gz": "interval",
        "activities/12.tcx.gz": "run",
        "activities/13.fit.gz": "empty",
        "activities/14.fit.gz": "truncated",  # the gzip is salvaged, the FIT inside is cut short,
        "activities/15.gpx.gz": "unsupported",
        "activities/16.gpx.gz": "empty",
        "evil.fit": "run",
    }
    titles = {r.source: r.title for r in result.records}
    assert titles["activities/11.gpx.gz"] == "Hard kick on the track"
    assert titles["activities/13.fit.gz"] == "Watch died"
    dates = {r.source: r.start_time for r in result.records}
    assert dates["activities/13.fit.gz"] == pd.Timestamp("2026-03-04T07:00Z")
    lost = next(r for r in result.records if r.source == "activities/16.gpx.gz")
    assert lost.error == "listed in activities.csv but not in the bundle"
    assert not (tmp_path.parent / "evil.fit").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export_12345.zip"]


def test_a_plan_gives_the_target_by_date(season_dir, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("date,goal_5k,pace\n2026-03-01,25:00,\n2026-03-09,,4:40/km\n")
    result = analyze_season([season_dir], workers=1, plan=read_plan(plan))
    targets = {
        r.source: (r.summary.workout.target_pace_s_per_km, r.summary.workout.target_pace_source)
        for r in result.of_kind("interval")
        if r.summary.is_hard_kick
    }
    assert targets == {
        "2026-03-02 hard kick.gpx": (295.0, "goal"),
        "track/2026-03-09 hard kick.tcx.gz": (280.0, "pace"),
        "sim/2026-03-12 hard kick.fit": (280.0, "pace"),
        "sim/2026-03-14 hard kick.gpx.gz": (280.0, "pace"),
        "2026-03-16 short warm-up.gpx": (280.0, "pace"),
    }


def test_a_json_plan_and_a_bad_plan(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text('[{"date": "2026-03-09", "pace": "4:40"}, {"date": "2026-03-01", "goal_5k": "25:00"}]')
    entries = read_plan(plan).entries
    assert [e.start_date.isoformat() for e in entries] == ["2026-03-01", "2026-03-09"]
    assert read_plan(plan).for_time(pd.Timestamp("2026-03-10T06:00Z")).pace_s_per_km == 280.0
    assert read_plan(plan).for_time(pd.Timestamp("2026-02-28T06:00Z")) is None
    bad = tmp_path / "bad.csv"
    bad.write_text("date,pace\n2026-03-01,fast\n")
    with pytest.raises(HardkickError, match="row 1: expected a time such as 4:55"):
        read_plan(bad)


def test_a_local_dask_cluster_runs_the_season_unchanged(season, season_dir):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = analyze_season(expand_paths([season_dir]), executor=client.get_executor(), workers=2)
    assert _kinds(result) == _kinds(season)


def test_the_cache_key_follows_the_analysis_code_not_the_presentation(tmp_path, monkeypatch):
    package = tmp_path / "package"
    shutil.copytree(Path(cache_module.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "_PACKAGE_ROOT", package)

    def fingerprint() -> str:
        cache_module.analysis_fingerprint.cache_clear()
        return cache_module.analysis_fingerprint()

    original = fingerprint()
    for presentation in ("plots/season.py", "present/season/html.py", "cli/command.py", "present/text.py"):
        (package / presentation).write_text((package / presentation).read_text() + "\n# a comment\n")
    assert fingerprint() == original
    (package / "score.py").write_text((package / "score.py").read_text() + "\n# a comment\n")
    assert fingerprint() != original
    monkeypatch.undo()
    cache_module.analysis_fingerprint.cache_clear()
