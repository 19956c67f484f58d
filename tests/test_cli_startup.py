"""What ``hk-analyze FILE`` imports: one watch file loads neither the season, the charts nor the other readers.

Checked in a fresh interpreter by the modules it holds (``sys.modules``), not by time: what a
module costs varies with the machine, whether it is loaded does not (docs/performance.md has
the start-up's time).
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hardkick_analyze.cli.options import is_season
from hardkick_analyze.season.inputs import is_bundle

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"

#: Modules the analysis of one file has no use for: the season review, the charts (matplotlib),
#: fitparse (only for a FIT file off the fast path) and rich (typer's, for --help and errors).
NEVER_FOR_ONE_FILE = ("hardkick_analyze.season", "hardkick_analyze.plots", "matplotlib", "fitparse", "rich")
#: The readers of the other formats.
XML_READERS = ("hardkick_analyze.readers.gpx", "hardkick_analyze.readers.tcx", "xml.etree", "gpxpy")
FIT_READERS = ("hardkick_analyze.readers.fit", "hardkick_analyze.readers.fit_profile")


def _loaded_by_command(*args: str) -> tuple[dict[str, object], set[str]]:
    """Run ``hk-analyze ARGS --json`` in a fresh interpreter; its JSON and the modules it loaded."""
    code = (
        "import contextlib, io, json, sys\n"
        f"sys.argv = ['hk-analyze', *{list(args)!r}, '--json']\n"
        "from hardkick_analyze.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, exc.code\n"
        "print(json.dumps({'report': json.loads(out.getvalue()), 'modules': sorted(sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    return answer["report"], set(answer["modules"])


def _under(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_one_fit_file_imports_no_season_charts_fitparse_or_xml_reader():
    report, modules = _loaded_by_command(str(SAMPLE / "hard_kick_500_laps.fit"))
    assert report["source"] == "hard_kick_500_laps.fit"
    assert len(report["reps"]) > 0
    assert "hardkick_analyze.readers.fit" in modules  # the check below sees what was really loaded
    assert _under(modules, NEVER_FOR_ONE_FILE + XML_READERS) == []


def test_one_gpx_file_imports_no_fit_decoder():
    report, modules = _loaded_by_command(str(SAMPLE / "hard_kick_500_strava.gpx"))
    assert report["source"] == "hard_kick_500_strava.gpx"
    assert "hardkick_analyze.readers.gpx" in modules
    assert _under(modules, NEVER_FOR_ONE_FILE + FIT_READERS) == []


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "season"),
    [
        ("run.fit", lambda fit: fit, False),
        ("run.fit.gz", gzip.compress, False),
        ("zip-named.zip", lambda fit: fit, False),
        ("original.zip", lambda fit: _zip([("1.fit", fit)]), False),
        ("two.zip", lambda fit: _zip([("1.fit", fit), ("2.fit", fit)]), True),
        ("nested.zip", lambda fit: _zip([("1.fit", fit), ("inner.zip", _zip([("2.fit", fit)]))]), True),
        ("strava.zip", lambda fit: _zip([("activities.csv", b"id\n"), ("1.fit", fit)]), True),
        ("empty.zip", lambda fit: _zip([]), True),
        ("cut.zip", lambda fit: _zip([("1.fit", fit), ("2.fit", fit)])[:100], True),
    ],
)
def test_one_path_is_a_season_exactly_when_it_is_a_bundle(tmp_path, data_dir, name, content, season):
    # The command asks is_bundle only of a file that starts as a zip: the answer must not change.
    path = tmp_path / name
    path.write_bytes(content((data_dir / "run.fit").read_bytes()))
    assert is_bundle(path) is season
    assert is_season([path]) is season


def test_a_missing_file_or_a_folder_is_decided_as_before(tmp_path):
    assert is_season([tmp_path / "missing.fit"]) is is_bundle(tmp_path / "missing.fit") is False
    assert is_season([tmp_path]) is True
