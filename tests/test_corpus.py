"""The one schema contract, run against every real file in ../shared/real_activities/."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hardkick_analyze import HardkickError, read_activity
from hardkick_analyze.cli import app
from hardkick_analyze.errors import (
    CorruptFileError,
    EmptyFileError,
    NoUsableDataError,
    UnsupportedFormatError,
)
from hardkick_analyze.present.report_json import SCHEMA_VERSION
from hardkick_analyze.schema import validate_track

from .conftest import CORPUS

#: Files a reader must refuse, with the error it must raise (everything else must read).
REFUSED: dict[str, type[HardkickError]] = {
    "GoldenCheetah/2012_02_05_09_03_59.fit": NoUsableDataError,  # session and lap, 0 records
    "Runalyze/swim-25m-lane.fit": NoUsableDataError,
    "gpsbabel/fitlocations-sample.fit": UnsupportedFormatError,
    "gpxpy/custom_schema_locations.gpx": NoUsableDataError,
    "gpxpy/default_schema_locations.gpx": NoUsableDataError,
    "gpxpy/gpx1.1_with_extensions.gpx": NoUsableDataError,
    "gpxpy/gpx1.1_with_extensions_without_namespaces.gpx": NoUsableDataError,
    "gpxpy/gpx_with_garmin_extension.gpx": NoUsableDataError,
    "gpxpy/route.gpx": NoUsableDataError,
    "gpxpy/track-with-extremes.gpx": NoUsableDataError,
    "gpxpy/track-with-small-floats.gpx": NoUsableDataError,
    "gpxpy/track_with_dilution_errors.gpx": NoUsableDataError,
    "gpxpy/unicode.gpx": NoUsableDataError,
    "gpxpy/unicode2.gpx": NoUsableDataError,
    "gpxpy/unicode_with_bom.gpx": NoUsableDataError,
    "gpxpy/unicode_with_bom_noencoding.gpx": NoUsableDataError,
    "python-fitparse/DeveloperData.fit": NoUsableDataError,
    "python-fitparse/MonitoringFile.fit": UnsupportedFormatError,
    "python-fitparse/Settings.fit": UnsupportedFormatError,
    "python-fitparse/Settings2.fit": UnsupportedFormatError,
    "python-fitparse/WeightScaleMultiUser.fit": UnsupportedFormatError,
    "python-fitparse/WeightScaleSingleUser.fit": UnsupportedFormatError,
    "python-fitparse/WorkoutCustomTargetValues.fit": UnsupportedFormatError,
    "python-fitparse/WorkoutIndividualSteps.fit": UnsupportedFormatError,
    "python-fitparse/WorkoutRepeatGreaterThanStep.fit": UnsupportedFormatError,
    "python-fitparse/WorkoutRepeatSteps.fit": UnsupportedFormatError,
    "runpandas/malformed.tcx": CorruptFileError,  # TCX body without its root element
    "sports-lib/empty-activities.fit": CorruptFileError,  # header says data_size=0
    "sports-lib/empty-sessions.fit": EmptyFileError,  # zero bytes
    "sportstracker/Settings.fit": UnsupportedFormatError,
}

#: Known-damaged files that still hold records: read, with the repair named in a warning.
DAMAGED_BUT_READ: dict[str, str] = {
    "python-fitparse/activity-activity-filecrc.fit": "CRC",
    "python-fitparse/activity-filecrc.fit": "CRC",
    "python-fitparse/activity-settings-corruptheader.fit": "invalid header",
    "python-fitparse/activity-settings-nodata.fit": "truncated",
    "python-fitparse/activity-unexpected-eof.fit": "truncated",
    "python-fitparse/coros-pace-2-cycling-misaligned-fields.fit": "malformed FIT definition",
    "python-fitparse/nick.fit": "truncated",
    "python-fitparse/strava-android-app-201.10-b1218918.fit": "broken message",
    "gpsbabel/lezyne_super_gps-garmin_fit-sample-bad-endian.fit": "broken message",
    "sports-lib/6281425038.tcx": "whitespace before the XML declaration",
    "Runalyze/time-jump.fit": "clock jumps",
}


def _corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.suffix.lower() not in (".md", ".csv")
    )


@pytest.mark.parametrize("relative", _corpus_files() or ["<corpus absent>"])
def test_corpus_file_reads_or_is_refused_cleanly(corpus_dir: Path, relative: str):
    path = corpus_dir / relative
    expected_error = REFUSED.get(relative)
    if expected_error is not None:
        with pytest.raises(expected_error) as caught:
            read_activity(path)
        assert str(caught.value).startswith(path.name)
        return
    activity = read_activity(path)
    assert validate_track(activity.track) == []
    assert len(activity.track) > 0
    if relative in DAMAGED_BUT_READ:
        assert any(DAMAGED_BUT_READ[relative] in w for w in activity.warnings), activity.warnings


def test_the_expectation_lists_name_real_files(corpus_dir: Path):
    files = set(_corpus_files())
    assert set(REFUSED) <= files
    assert set(DAMAGED_BUT_READ) <= files


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("runpandas/run.gpx", "runpandas/run.tcx"),
        ("runpandas/stopped_example.gpx", "runpandas/stopped_example.tcx"),
        ("GoldenCheetah/10kUNLP2014-Garmin15.fit", "GoldenCheetah/10kUNLP2014-Garmin15.tcx"),
        ("sports-lib/2067489619.fit", "sports-lib/2067489619.gpx"),
    ],
)
def test_same_activity_in_two_formats_agrees(corpus_dir: Path, first: str, second: str):
    a = read_activity(corpus_dir / first).track
    b = read_activity(corpus_dir / second).track
    common = a.index.intersection(b.index)
    assert len(common) > 0.9 * min(len(a), len(b))
    for column in ("lat_deg", "lon_deg"):
        difference = (a.loc[common, column] - b.loc[common, column]).abs()
        assert difference.median() < 1e-6  # the same fixes, exported twice
        assert difference.max() < 1e-4  # an exporter may nudge a point by a few metres
    both = a.loc[common, "heart_rate_bpm"].notna() & b.loc[common, "heart_rate_bpm"].notna()
    assert (a.loc[common, "heart_rate_bpm"][both] == b.loc[common, "heart_rate_bpm"][both]).all()
    # Total distance: device distance vs. raw positions summed. Smart recording cuts corners, GPS
    # jitter while standing adds metres; the two stay within 5 %.
    total_a, total_b = a["distance_m"].iloc[-1], b["distance_m"].iloc[-1]
    assert abs(total_a - total_b) <= 0.05 * max(total_a, total_b)


@pytest.mark.parametrize("relative", _corpus_files() or ["<corpus absent>"])
def test_corpus_file_through_hk_analyze_json(corpus_dir: Path, relative: str):
    result = CliRunner().invoke(app, [str(corpus_dir / relative), "--json"])
    if relative in REFUSED:
        assert result.exit_code == 2
        assert json.loads(result.stdout)["status"] == "failed"
        assert len(result.stderr.strip().splitlines()) == 1
        return
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["source"].split("!")[0] == Path(relative).name
    assert document["structure"], "every session says what it was"
    reps = document["reps"]
    if document["is_hard_kick"]:
        assert any(rep["kick"] is not None for rep in reps), "a hard-kick session holds kicks"
    for rep in reps:
        assert rep["kind"] in ("work", "kick", "stride", "sprint")
        assert 0.0 <= rep["start_s"] < rep["end_s"]
        assert rep["duration_s"] == pytest.approx(rep["end_s"] - rep["start_s"], abs=0.01)
        assert rep["pace_s_per_km"] == pytest.approx(1000.0 * rep["duration_s"] / rep["distance_m"], rel=0.01)
    starts = [rep["start_s"] for rep in reps]
    assert starts == sorted(starts)
    assert all(a["end_s"] <= b["start_s"] + 0.5 for a, b in pairwise(reps))
