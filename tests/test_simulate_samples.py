"""sample_data/ is exactly what the sample script writes, and every sample reads cleanly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hardkick_analyze import read_activity
from hardkick_analyze.simulate.samples import COMMAND, main, write_samples
from hardkick_analyze.simulate.scenarios import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("samples")
    write_samples(directory)
    return directory


def test_sample_data_regenerates_byte_for_byte(regenerated):
    fresh = sorted(p.name for p in regenerated.iterdir())
    committed = sorted(p.name for p in SAMPLE_DATA.iterdir())
    assert fresh == committed  # nothing stale, nothing missing
    for name in fresh:
        assert (regenerated / name).read_bytes() == (SAMPLE_DATA / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_reads_and_matches_its_truth(name):
    scenario, seed = SAMPLES[name]
    activity = read_activity(SAMPLE_DATA / f"{name}.{scenario.file_format}")
    assert activity.warnings == ()
    truth = json.loads((SAMPLE_DATA / f"{name}.truth.json").read_text(encoding="utf-8"))
    assert truth["scenario"] == name and truth["seed"] == seed
    assert activity.start_time.strftime("%Y-%m-%dT%H:%M:%S.000Z") == truth["first_record_time"]
    assert activity.duration_s == pytest.approx(truth["duration_s"], abs=1.0)
    reps = [r for r in truth["reps"] if not r["missing"]]
    assert len(reps) >= 5
    assert all(0 < r["start_s"] < r["end_s"] < activity.duration_s for r in reps)


def test_manifest_names_every_file_and_the_command():
    manifest = (SAMPLE_DATA / "MANIFEST.md").read_text(encoding="utf-8")
    assert COMMAND in manifest
    named = set(re.findall(r"`([\w.]+\.(?:fit|gpx|tcx|json))`", manifest))
    on_disk = {p.name for p in SAMPLE_DATA.iterdir() if p.name != "MANIFEST.md"}
    assert named == on_disk


def test_readme_quick_start_runs_a_sample():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"hk-analyze (sample_data/\S+)", quick)
    assert paths == ["sample_data/hard_kick_500_laps.fit"]
    assert (ROOT / paths[0]).is_file()


def test_command_line_writes_into_a_folder(tmp_path, capsys):
    assert main([str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out.split()
    assert printed[-1].endswith("MANIFEST.md")
    assert len(printed) == 2 * len(SAMPLES) + 1
