"""Issue 12: hostile and clumsy inputs to the readers and the season walk, one regression test per row."""

from __future__ import annotations

import gzip
import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from hardkick_analyze import analyze_season, read_activity
from hardkick_analyze.errors import (
    ArgumentError,
    CorruptFileError,
    FileTooLargeError,
    HardkickError,
    MissingFileError,
    NotAFileError,
)
from hardkick_analyze.readers.xml_safety import MAX_XML_DEPTH, xml_depth
from hardkick_analyze.season.inputs import expand_paths

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
GPX = (DATA / "garmin_connect.gpx").read_bytes()
STRAVA_GPX = (SAMPLES / "hard_kick_500_strava.gpx").read_bytes()
TCX = (SAMPLES / "hard_kick_250.tcx").read_bytes()
FIT = (DATA / "run.fit").read_bytes()


def _nested_gpx(depth: int) -> bytes:
    return b'<?xml version="1.0"?><gpx version="1.1" creator="x">' + b"<a>" * depth + b"</a>" * depth + b"</gpx>"


# Row 1: 150,000 nested elements crashed the interpreter (exit 139) inside the XML parser.
def test_deeply_nested_xml_is_refused_before_any_parser_runs():
    with pytest.raises(CorruptFileError, match=r"nested 150001 elements deep \(at most 256"):
        read_activity(_nested_gpx(150_000), name="deep.gpx")


def test_xml_depth_counts_opening_closing_and_empty_elements():
    assert xml_depth(b"<a><b/><c>x</c></a>") == 2
    assert xml_depth(b"<a><!-- <b><c> --><![CDATA[<d><e>]]></a>") == 1
    assert xml_depth(GPX) < 10 and xml_depth(TCX) < 10
    assert xml_depth(_nested_gpx(MAX_XML_DEPTH)) == MAX_XML_DEPTH + 1


# Row 2: one point of year 9999 or 0001 lost the whole file to a pandas OutOfBounds error.
@pytest.mark.parametrize("year", [b"9999", b"0001"])
def test_a_gpx_point_with_an_impossible_year_is_dropped_with_a_warning(year):
    whole = read_activity(STRAVA_GPX, name="good.gpx")
    head, points = STRAVA_GPX.split(b"<trkpt", 1)
    bad = head + b"<trkpt" + re.sub(rb"<time>\d{4}", b"<time>" + year, points, count=2)
    activity = read_activity(bad, name="bad.gpx")
    assert len(activity.track) == len(whole.track) - 2
    assert "2 samples with a time outside the years 1678-2261 dropped" in activity.warnings


def test_a_tcx_with_year_9999_points_and_a_lap_of_1e308_seconds_is_read():
    bad = re.sub(rb"<Time>\d{4}", b"<Time>9999", TCX, count=3)
    bad = re.sub(rb"<TotalTimeSeconds>[^<]*", b"<TotalTimeSeconds>1e308", bad, count=1)
    activity = read_activity(bad, name="bad.tcx")
    assert "3 samples with a time outside the years 1678-2261 dropped" in activity.warnings
    assert len(activity.laps) == len(read_activity(TCX).laps) - 1  # the impossible lap alone is left out


# Row 6: a FIFO hung the reader forever.
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.fit")
    with pytest.raises(NotAFileError, match=r"pipe\.fit: is a FIFO"):
        read_activity(tmp_path / "pipe.fit")


# Row 14: a comment over 4 KiB before the root hid a valid GPX from the format check.
def test_a_long_comment_before_the_root_does_not_hide_the_format():
    body = GPX[GPX.index(b"<gpx") :]
    document = b'<?xml version="1.0"?>\n<!-- ' + b"<x> " * 3000 + b"-->\n" + body
    assert len(read_activity(document, name="commented.gpx").track) == len(read_activity(GPX).track)


# Row 16: gzip's own tool recovers these; the reader refused them.
def test_gzip_with_trailing_garbage_is_read_with_a_warning():
    activity = read_activity(gzip.compress(FIT) + b"garbage!!", name="run.fit.gz")
    assert len(activity.track) == len(read_activity(FIT).track)
    assert "9 bytes after the gzip data ignored" in activity.warnings


def test_a_truncated_gzip_is_salvaged_like_a_truncated_fit():
    packed = gzip.compress(FIT)
    activity = read_activity(packed[: len(packed) // 2], name="cut.fit.gz")
    assert 0 < len(activity.track) < len(read_activity(FIT).track)
    assert any("the gzip data is cut short" in w for w in activity.warnings)


def test_two_gzip_members_are_read_as_one_stream():
    half = len(FIT) // 2
    activity = read_activity(gzip.compress(FIT[:half]) + gzip.compress(FIT[half:]), name="two.fit.gz")
    assert len(activity.track) == len(read_activity(FIT).track)


# Row 17: the API raised TypeError, AttributeError or ValueError, not HardkickError.
@pytest.mark.parametrize(
    ("given", "message"),
    [
        (io.StringIO("<gpx/>"), "text-mode file"),
        (None, "not NoneType"),
        (42, "not int"),
        ("a\0b.fit", "not a usable path"),
    ],
)
def test_wrong_api_arguments_raise_an_argument_error(given, message):
    with pytest.raises(ArgumentError, match=message) as caught:
        read_activity(given)
    assert isinstance(caught.value, TypeError)  # callers catching TypeError keep working


def test_a_closed_or_text_mode_file_raises_an_argument_error():
    with (DATA / "run.fit").open("rb") as handle:
        pass
    with pytest.raises(ArgumentError, match="closed"):
        read_activity(handle)
    with (DATA / "garmin_connect.gpx").open(encoding="utf-8") as text, pytest.raises(ArgumentError, match="'rb'"):
        read_activity(text)


# Row 19: a missing file was labelled "empty".
def test_a_missing_file_is_missing(tmp_path):
    with pytest.raises(MissingFileError) as caught:
        read_activity(tmp_path / "no" / "such" / "run.fit")
    assert (caught.value.kind, str(caught.value)) == ("missing", "run.fit: no such file")


# Row 12: 255 KB of gzip decompressed to 256 MB of padding (1.34 GB of memory).
def test_padding_that_compresses_a_thousand_times_is_refused_early():
    body = GPX.replace(b"</gpx>", b" " * (64 * 2**20) + b"</gpx>")
    with pytest.raises(FileTooLargeError, match="padding, not a recording"):
        read_activity(gzip.compress(body), name="padded.gpx.gz")


def test_a_zip_member_that_is_mostly_padding_is_refused(tmp_path):
    body = GPX.replace(b"</gpx>", b" " * (40 * 2**20) + b"</gpx>")
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.gpx", body)
        archive.writestr("b.gpx", GPX)
    outcomes = {}
    for item in expand_paths([bundle]):
        try:
            outcomes[item.source_name] = len(item.loader())
        except HardkickError as exc:
            outcomes[item.source_name] = exc.kind
    assert outcomes == {"a.gpx": "too large", "b.gpx": len(GPX)}


# Row 15: a Garmin export cut in half opened as the last inner zip; the rest vanished.
def test_a_bundle_cut_in_half_fails_instead_of_opening_an_inner_zip(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("run.fit", FIT)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("other.fit", FIT)
        archive.writestr("DI_CONNECT/uploads.zip", inner.getvalue())
        archive.writestr("later.fit", FIT)
    data = outer.getvalue()
    cut = data.index(b"PK\x05\x06") + 22  # just after the inner zip's end record
    (tmp_path / "export.zip").write_bytes(data[:cut])
    result = analyze_season([tmp_path / "export.zip"], workers=1)
    assert [(r.source, r.kind, r.error_kind) for r in result.records] == [("export.zip", "failed", "corrupt")]
    assert "cut short" in (result.records[0].error or "")


# Row 8: a string was walked character by character, "/" included.
def test_analyze_season_takes_one_path_as_a_string(tmp_path):
    (tmp_path / "run.fit").write_bytes(FIT)
    result = analyze_season(str(tmp_path), workers=1)
    assert [r.source for r in result.records] == ["run.fit"]


@pytest.mark.parametrize("given", [None, 5, b"dir", [None], ["a\0b"]])
def test_analyze_season_refuses_what_is_not_paths(given):
    with pytest.raises(ArgumentError):
        analyze_season(given, workers=1)


# Rows 6 and 9: a FIFO hung the season; unreadable and symlinked folders vanished without a word.
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_season_lists_fifos_and_linked_or_unreadable_folders_as_failed(tmp_path, monkeypatch):
    season = tmp_path / "season"
    (season / "locked").mkdir(parents=True)
    (season / "run.fit").write_bytes(FIT)
    (season / "locked" / "hidden.fit").write_bytes(FIT)
    os.mkfifo(season / "pipe.fit")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "run.fit").write_bytes(FIT)
    (season / "linked").symlink_to(elsewhere)
    real_scandir = os.scandir

    def scandir(path):  # root reads every folder whatever its mode: refuse this one by hand
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = analyze_season([season], workers=1)
    outcomes = {r.source: (r.kind if r.kind != "failed" else r.error) for r in result.records}
    assert outcomes == {
        "run.fit": "run",
        "pipe.fit": "is a FIFO (named pipe), not a regular file",
        "linked/": "a symbolic link to a folder, not followed",
        "locked/": "folder cannot be read: Permission denied",
    }


# "What it must show": one season folder with every kind of bad input beside good files.
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_hostile_season_folder_reports_every_file_in_one_line_and_exits_0(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from hardkick_analyze.cli import app

    season = tmp_path / "season"
    (season / "locked").mkdir(parents=True)
    (season / "good.fit").write_bytes(FIT)
    (season / "session.tcx").write_bytes(TCX)
    (season / "deep.gpx").write_bytes(_nested_gpx(150_000))
    (season / "times.gpx").write_bytes(re.sub(rb"<time>\d{4}", b"<time>9999", GPX))
    (season / "locked" / "x.fit").write_bytes(FIT)
    os.mkfifo(season / "pipe.fit")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setenv("HARDKICK_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(app, [str(season), "--workers", "1"])
    assert result.exit_code == 0, result.output  # 0: some file was read; 2 only when none could be
    assert "Traceback" not in result.output
    assert sorted(result.stderr.strip().splitlines()) == [
        "hk-analyze: deep.gpx: XML nested 150001 elements deep (at most 256 are read)",
        "hk-analyze: locked/: folder cannot be read: Permission denied",
        "hk-analyze: pipe.fit: is a FIFO (named pipe), not a regular file",
        "hk-analyze: times.gpx: no sample has a valid time and a value",
    ]
    assert "interval  session.tcx  hard kick 250 (preset)" in result.stdout
    assert "run       good.fit" in result.stdout
    assert "6 files: 1 interval session, 1 run, 0 other, 4 failed" in result.stdout


# Found by tests/test_fuzz.py at a larger scale.
def test_a_latitude_of_1e308_is_blanked_before_the_analysis_overflows():
    from hardkick_analyze import analyze_session

    head, points = STRAVA_GPX.split(b"<trkpt", 1)
    bad = head + b"<trkpt" + re.sub(rb'lat="[^"]*"', b'lat="-1e308"', points, count=1)
    report = analyze_session(bad)  # warnings are errors in this suite: no numpy overflow either
    assert "impossible values blanked: 1 lat_deg" in report.warnings


def test_a_tcx_declaring_an_unknown_encoding_is_corrupt():
    bad = TCX.replace(b'encoding="UTF-8"', b'encoding="abc"', 1)
    assert bad != TCX
    with pytest.raises(CorruptFileError, match="unknown encoding"):
        read_activity(bad, name="abc.tcx")
