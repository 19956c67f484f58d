"""GPX streamed in bounded memory (:mod:`hardkick_analyze.readers.gpx_stream`) against gpxpy.

Every GPX file of ``../shared`` is read both ways: the samples, the metadata, the warnings and
the normalized activity must be the same. Large files take the streamed path by size, behind
the same XML safety gate.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from hardkick_analyze import read_activity
from hardkick_analyze.errors import CorruptFileError, HardkickError, NoUsableDataError, UnsupportedFormatError
from hardkick_analyze.readers import gpx as gpx_reader
from hardkick_analyze.readers.finalize import finalize
from hardkick_analyze.readers.gpx import parse_gpx
from hardkick_analyze.readers.source import load_source

from .conftest import SHARED

SHARED_GPX = sorted(SHARED.rglob("*.gpx")) if SHARED.is_dir() else []


def _both(path):
    raw = load_source(path)
    results = []
    for stream in (False, True):
        try:
            parsed = parse_gpx(raw, stream=stream)
        except HardkickError as exc:
            results.append((type(exc), str(exc)))
            continue
        try:
            activity = finalize(parsed, raw)
        except HardkickError as exc:
            activity = (type(exc), str(exc))
        results.append((parsed, activity))
    return results


def test_the_corpus_holds_gpx_files():
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    assert len(SHARED_GPX) >= 50


@pytest.mark.parametrize("path", SHARED_GPX, ids=[p.name for p in SHARED_GPX])
def test_streamed_and_gpxpy_give_the_same_frames(path):
    (gpxpy_parsed, gpxpy_activity), (streamed, streamed_activity) = _both(path)
    if isinstance(gpxpy_parsed, type):
        assert (gpxpy_parsed, gpxpy_activity) == (streamed, streamed_activity)
        return
    pd.testing.assert_frame_equal(gpxpy_parsed.samples, streamed.samples, check_exact=True)
    assert (gpxpy_parsed.metadata, gpxpy_parsed.warnings) == (streamed.metadata, streamed.warnings)
    if isinstance(gpxpy_activity, tuple):
        assert gpxpy_activity == streamed_activity
        return
    pd.testing.assert_frame_equal(gpxpy_activity.track, streamed_activity.track, check_exact=True)
    plain = [f.name for f in dataclasses.fields(gpxpy_activity) if f.name != "track"]
    assert [getattr(gpxpy_activity, n) for n in plain] == [getattr(streamed_activity, n) for n in plain]


def _points(count: int, *, version: str = "1.1", extra: str = "") -> bytes:
    points = "".join(
        f'<trkpt lat="{48.2 + k * 1e-5:.7f}" lon="16.37"><ele>200</ele>'
        f"<time>2026-05-01T00:{k // 60 % 60:02d}:{k % 60:02d}Z</time>"
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        for k in range(count)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{extra}<gpx version="{version}" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>6x600m</name><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def test_a_file_over_the_threshold_is_streamed(monkeypatch):
    data = _points(300)
    whole = read_activity(data, name="small.gpx")
    calls = []
    original = gpx_reader.stream_gpx
    monkeypatch.setattr(gpx_reader, "stream_gpx", lambda *a: calls.append(1) or original(*a))
    monkeypatch.setattr(gpx_reader, "STREAM_ABOVE_BYTES", len(data) - 1)
    streamed = read_activity(data, name="small.gpx")
    assert calls == [1]
    pd.testing.assert_frame_equal(whole.track, streamed.track, check_exact=True)
    assert len(streamed.track) == 300
    assert streamed.track["heart_rate_bpm"].eq(140).all()
    assert streamed.metadata.workout_name == "6x600m" and streamed.metadata.sport == "running"


def test_points_without_coordinates_are_dropped_with_a_warning_either_way():
    data = _points(50).replace(b'<trkpt lat="48.2001000" lon="16.37">', b'<trkpt lon="16.37">')
    (whole, _), (streamed, _) = _both_bytes(data)
    assert whole.warnings == streamed.warnings == ["1 track points without coordinates dropped"]
    pd.testing.assert_frame_equal(whole.samples, streamed.samples, check_exact=True)
    assert len(streamed.samples) == 49


def _both_bytes(data: bytes):
    raw = load_source(data, name="test.gpx")
    return [(parse_gpx(raw, stream=stream), stream) for stream in (False, True)]


def test_the_safety_gate_guards_the_streamed_path():
    bomb = _points(5, extra='<!DOCTYPE gpx [<!ENTITY a "aaaa">]>')
    with pytest.raises(UnsupportedFormatError):
        parse_gpx(load_source(bomb, name="bomb.gpx"), stream=True)
    deep = _points(5).replace(b"<ele>200</ele>", b"<x>" * 300 + b"</x>" * 300, 1)
    with pytest.raises(CorruptFileError, match="nested"):
        parse_gpx(load_source(deep, name="deep.gpx"), stream=True)


def test_broken_or_empty_streamed_files_fail_with_the_readers_errors():
    truncated = _points(20)[:-40]
    with pytest.raises(CorruptFileError, match="broken XML"):
        parse_gpx(load_source(truncated, name="cut.gpx"), stream=True)
    empty = _points(0)
    with pytest.raises(NoUsableDataError, match="no track points"):
        parse_gpx(load_source(empty, name="empty.gpx"), stream=True)
    bad = _points(3).replace(b"<ele>200</ele>", b"<ele>high</ele>", 1)
    with pytest.raises(CorruptFileError, match="invalid GPX"):
        parse_gpx(load_source(bad, name="bad.gpx"), stream=True)


def test_times_read_in_chunks_are_gpxpys_whatever_their_form(monkeypatch):
    from hardkick_analyze.readers import gpx_stream

    monkeypatch.setattr(gpx_stream, "_TIME_CHUNK", 7)
    data = _points(40)
    odd = {
        b"00:00:03Z": b"00:00:03.250Z",  # a fraction
        b"00:00:09Z": b"00:00:09+02:00",  # a zone: two hours earlier in UTC
        b"00:00:15Z": b"00:00:15",  # no zone: UTC
        b"00:00:22Z": b"00:00:22.1234567Z",  # gpxpy keeps six digits
        b"2026-05-01T00:00:30Z": b"not a time",  # no time
    }
    for old, new in odd.items():
        data = data.replace(old, new, 1)
    (whole, _), (streamed, _) = _both_bytes(data)
    pd.testing.assert_frame_equal(whole.samples, streamed.samples, check_exact=True)
    times = streamed.samples["time"]
    assert times.isna().sum() == 1
    assert times[9] == pd.Timestamp("2026-04-30T22:00:09Z")
    assert times[22] == pd.Timestamp("2026-05-01T00:00:22.123456Z")


def test_encodings_are_read_as_gpxpy_reads_them():
    latin = (
        _points(10)
        .replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
        .replace(b"6x600m", "6x600m côte".encode("latin-1"))
    )
    broken = _points(10).replace(b"6x600m", b"6x600m \xff\xfe")  # not UTF-8, declared UTF-8
    for data in (latin, broken):
        (whole, _), (streamed, _) = _both_bytes(data)
        pd.testing.assert_frame_equal(whole.samples, streamed.samples, check_exact=True)
        assert whole.metadata == streamed.metadata
    assert parse_gpx(load_source(latin, name="t.gpx"), stream=True).metadata["workout_name"] == "6x600m côte"
