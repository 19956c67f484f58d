"""Issue 12 rows 3, 4, 5, 11 and 13: targets and output paths checked at the edge, before any file is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hardkick_analyze import analyze_session
from hardkick_analyze.cli import app
from hardkick_analyze.errors import ArgumentError

runner = CliRunner()
RUN = Path(__file__).parent / "data" / "run.fit"


@pytest.fixture
def nothing_is_analysed(monkeypatch):
    """Fail the test if any file is analysed: every check here must come first."""

    def analyse(*args, **kwargs):
        raise AssertionError("a file was analysed before the options were checked")

    monkeypatch.setattr("hardkick_analyze.cli.session.analyze_session", analyse)
    monkeypatch.setattr("hardkick_analyze.cli.season.run_season", analyse)


def _refused(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--pace", "0:00"], "--pace 0:00: 0:00/km is not a rep pace: give one between 2:00 and 15:00 per km"),
        (["--pace", "9999:00"], "--pace 9999:00: 9999:00/km is not a rep pace"),
        (["--pace=-4:55"], "--pace -4:55: a pace cannot be negative"),
        (["--pace", "fast"], "--pace fast: not a pace: write M:SS per km, or M:SS/mi"),
        (["--goal-5k", "0:00"], "--goal-5k 0:00: not a 5 km goal: give one between 10:00 and 2:00:00"),
        (["--goal-5k", "0:01"], "--goal-5k 0:01: not a 5 km goal"),
        (["--goal-5k", "9999:00"], "--goal-5k 9999:00: not a 5 km goal"),
    ],
)
def test_implausible_targets_are_refused_in_one_line(option, message, nothing_is_analysed):
    assert _refused([str(RUN), *option]).startswith(f"hk-analyze: {message}")


def test_plausible_targets_pass():
    assert runner.invoke(app, [str(RUN), "--pace", "7:30/mi", "--summary"]).exit_code == 0
    assert runner.invoke(app, [str(RUN), "--goal-5k", "1:05:00", "--summary"]).exit_code == 0


@pytest.mark.parametrize(("pace", "goal"), [(0.0, None), (float("nan"), None), (-295.0, None), (None, "0:00")])
def test_the_api_refuses_implausible_targets_too(pace, goal):
    with pytest.raises(ArgumentError):
        analyze_session(RUN, pace_s_per_km=pace, goal_5k=goal)


def test_out_with_one_file_is_refused_and_csv_in_a_season_checked_first(tmp_path, nothing_is_analysed):
    assert "--out: writes a season review" in _refused([str(RUN), "--out", str(tmp_path / "review")])
    # A season writes every session's reps to --csv (tests/test_season_cli.py); its path is checked first.
    assert "is one of the input files" in _refused([str(RUN), str(RUN), "--csv", str(RUN)])
    assert _refused([str(RUN), str(RUN), "--csv", str(tmp_path)]).endswith("is a folder, not a file")


def test_bad_out_folders_are_refused_before_any_work(tmp_path, nothing_is_analysed):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    season = [str(RUN), str(RUN)]
    assert _refused([*season, "--out", str(a_file)]).endswith("is a file, not a folder")
    assert _refused([*season, "--out", "/dev/null"]).endswith("is a file, not a folder")
    assert "which is a file, not a folder" in _refused([*season, "--out", str(a_file / "review")])
    assert "it would be overwritten" in _refused([*season, "--out", str(RUN)])


def test_a_read_only_out_folder_is_refused(tmp_path, monkeypatch, nothing_is_analysed):
    # The tests may run as root, whom no mode stops: the permission itself is stubbed.
    monkeypatch.setattr("hardkick_analyze.edges._writable", lambda path: False)
    assert _refused([str(RUN), str(RUN), "--out", str(tmp_path / "review")]).endswith("is not writable")


def test_bad_csv_paths_are_refused_before_any_work(tmp_path, nothing_is_analysed):
    assert "the folder" in _refused([str(RUN), "--csv", str(tmp_path / "missing" / "reps.csv")])
    assert _refused([str(RUN), "--csv", str(tmp_path)]).endswith("is a folder, not a file")


def test_csv_onto_the_input_file_is_refused_and_the_file_kept(tmp_path, nothing_is_analysed):
    watch = tmp_path / "run.fit"
    watch.write_bytes(RUN.read_bytes())
    assert "is one of the input files" in _refused([str(watch), "--csv", str(watch)])
    assert watch.read_bytes() == RUN.read_bytes()


@pytest.mark.parametrize(
    ("option", "name"),
    [
        (["--plan", "missing-plan.csv"], "--plan"),
        (["--workers", "2"], "--workers"),
        (["--no-cache"], "--no-cache"),
        (["--cache-dir", "cache"], "--cache-dir"),
        (["--dask-scheduler", "tcp://localhost:8786"], "--dask-scheduler"),
    ],
)
def test_season_options_on_one_file_are_refused_not_ignored(option, name, nothing_is_analysed):
    line = _refused([str(RUN), *option])
    assert line.startswith(f"hk-analyze: {name}: ")
    assert "give a folder, a bundle or several files" in line


def test_summary_of_a_folder_says_what_each_file_holds(tmp_path):
    for name in ("a.fit", "b.fit"):
        (tmp_path / name).write_bytes(RUN.read_bytes())
    (tmp_path / "notes.txt").write_text("not an activity")
    result = runner.invoke(app, [str(tmp_path), "--summary"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines() if line.startswith(("a.fit", "b.fit"))] == [
        "a.fit",
        "b.fit",
    ]


def test_summary_of_nothing_readable_fails_in_one_line(tmp_path):
    (tmp_path / "empty.fit").write_bytes(b"")
    line = _refused([str(tmp_path), "--summary"])
    assert "empty.fit" in line
