"""``hk-analyze --charts``, and matplotlib kept out of everything that does not draw.

The import checks run in fresh interpreters: in this process other tests have long imported it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from hardkick_analyze.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "hard_kick_500_laps.fit"
runner = CliRunner()


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_importing_the_package_does_not_import_matplotlib():
    done = _python(
        "import sys, hardkick_analyze\n"
        "from hardkick_analyze import analyze_session, report_to_dict\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "sys.exit(f'matplotlib imported: {loaded}' if loaded else 0)\n"
    )
    assert done.returncode == 0, done.stderr


def test_the_json_and_text_paths_do_not_import_matplotlib():
    done = _python(
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from hardkick_analyze.cli import app\n"
        f"result = CliRunner().invoke(app, [{str(SAMPLE)!r}, '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "json.loads(result.stdout)\n"
        f"result = CliRunner().invoke(app, [{str(SAMPLE)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "sys.exit('matplotlib imported' if 'matplotlib' in sys.modules else 0)\n"
    )
    assert done.returncode == 0, done.stderr


def test_charts_are_drawn_without_pyplot(tmp_path):
    done = _python(
        "import sys\n"
        "import hardkick_analyze as hk\n"
        f"report = hk.analyze_session({str(SAMPLE)!r})\n"
        f"paths = hk.plots.save_session_charts(report, {str(tmp_path)!r})\n"
        "assert len(paths) == 3\n"
        "assert 'matplotlib' in sys.modules\n"
        "sys.exit('pyplot imported' if 'matplotlib.pyplot' in sys.modules else 0)\n"
    )
    assert done.returncode == 0, done.stderr


def test_charts_option_prints_the_paths_after_the_report(tmp_path):
    result = runner.invoke(app, [str(SAMPLE), "--charts", str(tmp_path / "charts")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("hard_kick_500_laps.fit")
    names = ["hard_kick_500_laps_overview.png", "hard_kick_500_laps_reps.png", "hard_kick_500_laps_kicks.png"]
    assert [Path(line).name for line in lines[-3:]] == names
    assert all(Path(line).is_file() for line in lines[-3:])


def test_charts_beside_json_go_to_stderr(tmp_path):
    result = runner.invoke(app, [str(SAMPLE), "--json", "--charts", str(tmp_path), "--chart-format", "svg"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["is_hard_kick"] is True
    paths = [Path(line) for line in result.stderr.strip().splitlines()]
    assert [p.suffix for p in paths] == [".svg"] * 3
    assert all(p.is_file() for p in paths)


def test_unwritable_chart_folder_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(app, [str(SAMPLE), "--charts", str(blocker / "charts")])
    assert result.exit_code == 2
    # Refused before the file is analysed (issue 12): one line naming the option and the blocker.
    assert result.stderr.startswith("hk-analyze: --charts ")
    assert result.stderr.strip().endswith("which is a file, not a folder")
    assert "Traceback" not in result.output


def test_unknown_chart_format_is_refused(tmp_path):
    result = runner.invoke(app, [str(SAMPLE), "--charts", str(tmp_path), "--chart-format", "pdf"])
    assert result.exit_code == 2
    assert not list(tmp_path.iterdir())
