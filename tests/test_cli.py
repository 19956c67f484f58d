"""The hk-analyze command, in-process through typer's CliRunner and once as a real subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys

from typer.testing import CliRunner

from hardkick_analyze.cli import app

runner = CliRunner()


def test_summary_of_a_fit_file(data_dir):
    result = runner.invoke(app, [str(data_dir / "garmin-fenix-5-run.fit"), "--summary"])
    assert result.exit_code == 0, result.output
    assert "garmin-fenix-5-run.fit" in result.output
    assert "running" in result.output
    assert "0:57" in result.output
    assert "0.16 km" in result.output


def test_bad_file_is_one_line_and_exit_2(tmp_path):
    empty = tmp_path / "empty.fit"
    empty.write_bytes(b"")
    result = runner.invoke(app, [str(empty)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "hk-analyze: empty.fit: the file is empty"
    assert "Traceback" not in result.output


def test_one_bad_file_does_not_stop_the_others(data_dir, tmp_path):
    empty = tmp_path / "empty.fit"
    empty.write_bytes(b"")
    result = runner.invoke(app, [str(empty), str(data_dir / "run_garmin.tcx"), "--summary"])
    assert result.exit_code == 0
    assert "run_garmin.tcx" in result.stdout
    assert "empty.fit: the file is empty" in result.stderr


def test_installed_console_script_runs(data_dir):
    command = shutil.which("hk-analyze")
    args = [command] if command else [sys.executable, "-m", "hardkick_analyze"]
    done = subprocess.run([*args, str(data_dir / "garmin_connect.gpx")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "garmin_connect.gpx" in done.stdout


def test_python_dash_m_entry_point(data_dir, tmp_path):
    bad = tmp_path / "bad.gpx"
    bad.write_text("<gpx><trk>")
    done = subprocess.run(
        [sys.executable, "-m", "hardkick_analyze", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("hk-analyze: bad.gpx: ")
    assert "Traceback" not in done.stderr


def test_a_run_without_intervals_says_so(data_dir):
    result = runner.invoke(app, [str(data_dir / "run.fit")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].strip().endswith("no intervals")


def test_bad_workout_spec_points_at_the_character(data_dir):
    result = runner.invoke(app, [str(data_dir / "run.fit"), "--workout", "4x400@4:55/km+100@fast"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert "a kick is run '@max'" in lines[0]
    assert lines[1] == "  4x400@4:55/km+100@fast"
    assert lines[2] == "  " + " " * 18 + "^"
