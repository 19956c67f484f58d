"""hk-analyze over a season: dispatch, exit codes, the --json array, --out files, the HTML report."""

from __future__ import annotations

import gzip
import io
import json
import multiprocessing
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import hardkick_analyze.cli.season as cli_season
import hardkick_analyze.plots as plots
import hardkick_analyze.season.batch as batch_module
import hardkick_analyze.season.worker as worker_module
from hardkick_analyze.cli import app
from hardkick_analyze.cli.options import Options
from hardkick_analyze.cli.season import run_season
from hardkick_analyze.present.season.tables import REPS_COLUMNS, SESSIONS_COLUMNS
from hardkick_analyze.season.cache import CACHE_DIR_ENV

from .test_season_batch import SEASON, write_season
from .test_season_sessions import KINDS, gpx_bytes

runner = CliRunner()
CHROMIUM = Path("/usr/bin/chromium")
SCRIPT_NAME = "<script>alert(1)</script>.gpx"
ONERROR_NAME = "<img src=x onerror=alert(1)>.gpx"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """The default cache lives in the test's folder, never in the real home."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "default-cache"))


@pytest.fixture(scope="module")
def season_dir(tmp_path_factory) -> Path:
    folder = write_season(tmp_path_factory.mktemp("season"))
    # The device string comes from the file too: GPX's creator, XML-escaped in the attribute.
    evil_device = gpx_bytes(KINDS[2]).replace(b'creator="season-test"', b'creator="&lt;svg onload=alert(2)&gt;"')
    (folder / ONERROR_NAME).write_bytes(evil_device)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "activities.csv",
            "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
            f'1,"Mar 5, 2026, 7:00:00 AM",<b>bold</b> & co,Run,"activities/{SCRIPT_NAME}.gz"\n',
        )
        archive.writestr(f"activities/{SCRIPT_NAME}.gz", gzip.compress(gpx_bytes(KINDS[2])))
    (folder / "strava.zip").write_bytes(buffer.getvalue())
    return folder


def _all_names() -> set[str]:
    return {*SEASON, ONERROR_NAME, f"strava.zip!activities/{SCRIPT_NAME}.gz"}


def test_json_prints_one_object_per_input(season_dir):
    result = runner.invoke(app, [str(season_dir), "--json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    assert {e["source"] for e in entries} == _all_names()
    assert len(entries) == len(_all_names())
    for entry in entries:
        if entry["status"] == "failed":
            assert set(entry) == {"source", "status", "error", "error_kind"}
        else:
            assert entry["status"] == "analysed"
            assert entry["schema_version"] == "2.0"
            assert entry["kind"] in ("interval", "run", "other")
            assert (entry["group"] is not None) == (entry["kind"] == "interval")
            assert "spec" in entry["workout"]
    hard = [e for e in entries if e.get("is_hard_kick")]
    assert [e["workout"]["spec"] for e in hard] == ["hard-kick-500"] * 5
    assert {e["group"] for e in hard} == {"hard-kick-500"}
    assert all(e["fitness"]["zone"] == "I" and e["checks"]["source"] == e["source"] for e in hard)
    assert {e["workout"]["target_pace_source"] for e in hard} == {"inferred"}
    failed = {e["source"]: e["error_kind"] for e in entries if e["status"] == "failed"}
    assert failed == {name: kind for name, (activity, kind) in SEASON.items() if name.startswith("broken/")}
    # Failures still get their one line on stderr; no progress bar when stderr is no terminal.
    assert "hk-analyze: broken/empty.fit: the file is empty" in result.stderr
    assert "analysing" not in result.stderr


def test_out_writes_tables_json_charts_and_a_self_contained_report(season_dir, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, [str(season_dir), "--out", str(out), "--workers", "1", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "fitness.png",
        "group-hard-kick-500.png",
        "report.html",
        "reps.csv",
        "season.json",
        "sessions.csv",
    ]
    sessions = pd.read_csv(out / "sessions.csv")
    assert tuple(sessions.columns) == SESSIONS_COLUMNS
    assert set(sessions["file"]) == _all_names()
    assert sessions["kind"].value_counts().to_dict() == {"run": 8, "interval": 6, "failed": 5, "other": 1}
    intervals = sessions.loc[sessions["kind"] == "interval"]
    assert set(intervals["group"]) == {"hard-kick-500", "work-400m-rest"}
    assert intervals["structure"].notna().all() and intervals["fitness_5k_s"].notna().all()
    reps = pd.read_csv(out / "reps.csv")
    assert tuple(reps.columns) == REPS_COLUMNS
    # 6 + 5 + 6 + 5 + 6 reps and two kicks in each hard-kick session; the track session's 5 reps.
    assert reps["part"].value_counts().to_dict() == {"rep": 33, "kick": 10}
    season = json.loads((out / "season.json").read_text())
    assert season["schema_version"] == "2.0"
    assert season["counts"] == {"interval": 6, "run": 8, "other": 1, "failed": 5, "files": 20}
    assert [g["key"] for g in season["groups"]] == ["hard-kick-500", "work-400m-rest"]
    assert season["fitness"]["model"] == "Daniels' VDOT" and len(season["fitness"]["sessions"]) == 6
    assert len(season["summary"]) == 3
    for chart in out.glob("*.png"):
        assert chart.read_bytes().startswith(b"\x89PNG")
    page = (out / "report.html").read_text()
    # One script, the report's own, allowed by its hash; nothing loaded from anywhere.
    assert page.count("<script") == 1 and "script-src 'sha256-" in page and "default-src 'none'" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.gpx" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.gpx" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page
    assert "&lt;svg onload=alert(2)&gt;" in page and "<svg" not in page
    assert page.count("data:image/png;base64,") == 2
    assert "http://" not in page and "https://" not in page
    # The report opens with the three sentences and the goal chart, then what to act on, the
    # workouts and the sessions.
    order = [
        page.index(mark) for mark in ('id="summary"', 'id="chart-fitness"', "What to act on", "Workouts", "Sessions")
    ]
    assert order == sorted(order)


def _chromium(page: Path, profile: Path, fragment: str = "") -> str:
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium is not installed")
def test_the_report_renders_and_sorts_in_headless_chromium(season_dir, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, [str(season_dir), "--out", str(out), "--workers", "1"]).exit_code == 0
    dom = _chromium(out / "report.html", tmp_path / "profile")
    assert "Season review" in dom
    assert dom.count('<img id="chart-') == 2
    assert dom.count("<tr>") >= len(_all_names())
    # The script ran (the policy let it), and only it: the hostile names arrive as text.
    assert 'data-sortable="ready"' in dom and dom.count("<script") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.gpx" in dom
    assert dom.count("<img") == 2
    # A link may ask for a table sorted: the interval sessions by score, best first.
    sorted_dom = _chromium(out / "report.html", tmp_path / "profile", "#sort-intervals-8-desc")
    table = sorted_dom.split('id="intervals"', 1)[1].split("</table>", 1)[0]
    scores = [float(v) for v in re.findall(r'<td data-v="([0-9.]+)" class="n">[0-9]+</td><td data-v="[0-9.]*"', table)]
    assert len(scores) == 6 and scores == sorted(scores, reverse=True)
    assert 'aria-sort="descending"' in table


def test_exit_2_when_no_file_could_be_read(tmp_path):
    (tmp_path / "empty.fit").write_bytes(b"")
    (tmp_path / "noise.gpx").write_bytes(b"\x00\x01 not xml")
    result = runner.invoke(app, [str(tmp_path)])
    assert result.exit_code == 2
    assert "hk-analyze: empty.fit: the file is empty" in result.stderr
    assert "2 files: 0 interval sessions, 0 runs, 0 other, 2 failed" in result.stdout


def test_exit_2_for_a_folder_without_activity_files(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here")
    result = runner.invoke(app, [str(tmp_path)])
    assert result.exit_code == 2
    assert "no activity files" in result.stderr


def test_several_files_are_a_season_and_one_file_is_a_session(data_dir):
    several = runner.invoke(app, [str(data_dir / "run.fit"), str(data_dir / "run_garmin.tcx"), "--workers", "1"])
    assert several.exit_code == 0, several.output
    assert "2 files: 0 interval sessions, 2 runs, 0 other, 0 failed" in several.stdout
    single = runner.invoke(app, [str(data_dir / "run.fit"), "--json"])
    assert json.loads(single.stdout)["source"] == "run.fit"


def test_the_second_run_reads_the_cache_and_no_cache_skips_it(data_dir, tmp_path):
    files = [str(data_dir / "run.fit"), str(data_dir / "run_garmin.tcx"), str(data_dir / "Settings.fit")]
    args = [*files, "--workers", "1", "--cache-dir", str(tmp_path / "cache")]
    assert "from the cache" not in runner.invoke(app, args).stdout
    assert "(3 from the cache)" in runner.invoke(app, args).stdout
    assert "from the cache" not in runner.invoke(app, [*args, "--no-cache"]).stdout


def test_a_bug_in_the_analysis_is_loud_but_does_not_stop_the_batch(data_dir, monkeypatch):
    def broken(activity, **options):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(worker_module, "analyze_session", broken)
    # The command line analyses in a worker process even with --workers 1: fork it, so it has the bug.
    monkeypatch.setattr(batch_module, "_process_context", lambda: multiprocessing.get_context("fork"))
    result = runner.invoke(app, [str(data_dir / "run.fit"), str(data_dir / "run_garmin.tcx"), "--workers", "1"])
    assert result.exit_code == 2
    assert "hk-analyze: BUG, please report: run.fit: ZeroDivisionError: a bug" in result.stderr
    assert "Traceback" in result.stderr


def test_a_bad_plan_is_one_line_and_exit_2(season_dir, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("date,pace\nsoon,4:40\n")
    result = runner.invoke(app, [str(season_dir), "--plan", str(plan)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "hk-analyze: plan.csv: row 1: expected a date such as 2026-03-01"


def test_a_progress_bar_only_on_a_terminal(data_dir, monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    paths = [data_dir / "run.fit", data_dir / "run_garmin.tcx"]
    assert run_season(paths, Options(workers=1, no_cache=True)) == 0
    assert "analysing" in terminal.getvalue()
    silent = Terminal()
    monkeypatch.setattr(sys, "stderr", silent)
    assert run_season(paths, Options(workers=1, no_cache=True, as_json=True)) == 0
    assert silent.getvalue() == ""
    capsys.readouterr()


def test_the_installed_command_runs_a_season_in_parallel(season_dir, tmp_path):
    command = shutil.which("hk-analyze")
    args = [command] if command else [sys.executable, "-m", "hardkick_analyze"]
    done = subprocess.run(
        [*args, str(season_dir), "--workers", "2", "--json", "--cache-dir", str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    entries = json.loads(done.stdout)
    assert {e["source"] for e in entries} == _all_names()
    assert "Traceback" not in done.stderr


def test_a_dask_scheduler_address_runs_the_season_there(season_dir):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        result = runner.invoke(app, [str(season_dir), "--json", "--dask-scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert {e["source"] for e in json.loads(result.stdout)} == _all_names()


def test_an_unreachable_dask_scheduler_is_one_line_and_exit_2(season_dir, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(cli_season, "DASK_CONNECT_TIMEOUT_S", 0.5)
    result = runner.invoke(app, [str(season_dir), "--dask-scheduler", "tcp://127.0.0.1:9", "--no-cache"])
    assert result.exit_code == 2
    assert result.stderr.startswith("hk-analyze: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


def test_csv_in_a_season_writes_every_sessions_reps(season_dir, tmp_path):
    reps_csv = tmp_path / "all-reps.csv"
    out = tmp_path / "out"
    args = [str(season_dir), "--csv", str(reps_csv), "--out", str(out), "--workers", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert reps_csv.read_text() == (out / "reps.csv").read_text()
    assert pd.read_csv(reps_csv)["file"].nunique() == 6


def test_charts_in_a_season_draw_each_interval_session_and_the_report_links_them(season_dir, tmp_path, monkeypatch):
    drawn: list[tuple[str, str]] = []
    real = plots.save_session_charts

    def spy(report, out_dir, fmt="png", *, units="km"):
        drawn.append((report.source, units))
        return real(report, out_dir, fmt, units=units)

    # --workers 1 draws in this process, so the spy sees each session.
    monkeypatch.setattr(plots, "save_session_charts", spy)
    charts, out = tmp_path / "charts", tmp_path / "out"
    args = [str(season_dir), "--charts", str(charts), "--out", str(out), "--units", "mi", "--workers", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "hk-analyze: drew the charts of 6 sessions in" in result.stderr
    assert sorted(drawn) == sorted((name.replace("/", "_").replace("!", "_"), "mi") for name in _interval_names(out))
    files = sorted(p.name for p in charts.iterdir())
    # Session overview and reps for each, kick fade for the five with kicks; folders joined by _.
    assert len(files) == 6 * 2 + 5
    assert "track_2026-03-06_6x400_overview.png" in files and "track_2026-03-06_6x400_reps.png" in files
    page = (out / "report.html").read_text()
    assert page.count('<a href="../charts/') == len(files)
    assert '<a href="../charts/sim_2026-03-12_hard_kick_kicks.png">kick fade</a>' in page


def _interval_names(out: Path) -> list[str]:
    sessions = pd.read_csv(out / "sessions.csv")
    return list(sessions.loc[sessions["kind"] == "interval", "file"])


def test_units_mi_reach_the_season_text_report_and_charts(season_dir, tmp_path, monkeypatch):
    import hardkick_analyze.present.season.files as files_module

    real = files_module.write_season
    asked: list[str] = []

    out = tmp_path / "out"
    result = runner.invoke(app, [str(season_dir), "--out", str(out), "--units", "mi", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "/mi" in result.stdout and "/km" not in result.stdout
    page = (out / "report.html").read_text()
    assert "/mi" in page and "/km" not in page.split("<h2>How the 5 km estimate is made</h2>")[0]
    # The tables keep s/km, as their column names say.
    assert "rep_pace_s_per_km" in (out / "sessions.csv").read_text().splitlines()[0]

    def spy(result, out_dir, *, units="km", **others):
        asked.append(units)
        return real(result, out_dir, units=units, **others)

    monkeypatch.setattr(files_module, "write_season", spy)
    assert runner.invoke(app, [str(season_dir), "--out", str(out), "--units", "mi", "--workers", "1"]).exit_code == 0
    assert asked == ["mi"]
