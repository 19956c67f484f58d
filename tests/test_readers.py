"""Readers on small real files: hand-checkable values, repairs as warnings, errors as our own."""

from __future__ import annotations

import gzip
import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from hardkick_analyze import read_activity
from hardkick_analyze.errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    MissingFileError,
    NoUsableDataError,
    UnsupportedFormatError,
)
from hardkick_analyze.readers import source
from hardkick_analyze.schema import validate_track

FIXTURES = [
    "garmin-fenix-5-run.fit",
    "compressed-speed-distance.fit",
    "activity-unexpected-eof.fit",
    "activity-filecrc.fit",
    "sample_mulitple_header.fit",
    "run.fit",
    "garmin_connect.gpx",
    "run_garmin.tcx",
    "track_with_speed.gpx",
]


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_honours_the_schema(data_dir, name):
    activity = read_activity(data_dir / name)
    assert validate_track(activity.track) == []
    assert activity.metadata.source == name


def test_fit_values_are_converted_once(data_dir):
    activity = read_activity(data_dir / "garmin-fenix-5-run.fit")
    track = activity.track
    first = track.iloc[0]
    # position_lat 456101836 semicircles * 180 / 2**31
    assert first["lat_deg"] == pytest.approx(38.229787, abs=1e-6)
    assert first["lon_deg"] == pytest.approx(-122.633704, abs=1e-6)
    assert len(track) == 21
    assert activity.duration_s == 57.0
    assert track["distance_m"].iloc[-1] == pytest.approx(157.56)
    assert activity.metadata.manufacturer == "garmin"
    assert activity.metadata.sport == "running"
    assert activity.metadata.recording == "smart"


def test_fit_running_cadence_is_doubled_to_steps(data_dir):
    track = read_activity(data_dir / "run.fit").track
    running = track["cadence_spm"][track["speed_mps"] > 2.5]
    # A runner's cadence is 150-200 steps/min; FIT stores strides (one foot): 75-100.
    assert 150 < running.median() < 200


def test_fit_laps_keep_sub_second_bounds(data_dir):
    activity = read_activity(data_dir / "run.fit")
    assert len(activity.laps) == 6
    for before, after in zip(activity.laps[:-1], activity.laps[1:], strict=True):
        assert after.start_time >= before.end_time - pd.Timedelta(seconds=1)
    for lap in activity.laps:
        # Exact to the millisecond the file holds (a plain Timedelta(seconds=...) would truncate).
        assert lap.end_time - lap.start_time == pd.Timedelta(milliseconds=round(lap.elapsed_time_s * 1000))


def test_power_on_relative_clock_is_read_with_a_warning(data_dir):
    activity = read_activity(data_dir / "compressed-speed-distance.fit")
    assert any("power-on" in w for w in activity.warnings)
    assert activity.track["distance_m"].iloc[-1] == pytest.approx(10248.69, abs=0.01)
    assert len(activity.laps) == 11


def test_multisport_file_keeps_the_run(data_dir):
    activity = read_activity(data_dir / "sample_mulitple_header.fit")
    assert activity.metadata.sport == "running"
    assert {s.sport for s in activity.metadata.sessions} >= {"cycling", "running"}
    assert activity.track["distance_m"].iloc[0] == 0.0
    assert any("multi-sport" in w for w in activity.warnings)


def test_truncated_fit_keeps_records_before_the_break(data_dir):
    activity = read_activity(data_dir / "activity-unexpected-eof.fit")
    assert len(activity.track) == 14
    assert any("truncated" in w for w in activity.warnings)


def test_crc_mismatch_is_a_warning(data_dir):
    activity = read_activity(data_dir / "activity-filecrc.fit")
    assert len(activity.track) == 14
    assert any("CRC" in w for w in activity.warnings)


def test_gpx_extensions_and_derived_channels(data_dir):
    activity = read_activity(data_dir / "garmin_connect.gpx")
    track = activity.track
    assert track["heart_rate_bpm"].tolist() == [120.0, 125.0, 130.0]
    # <ns3:cad> 70, 75, 80 is Garmin's per-foot value: doubled to steps/min.
    assert track["cadence_spm"].tolist() == [140.0, 150.0, 160.0]
    assert activity.metadata.channel_sources["distance_m"] == "derived"
    assert activity.metadata.channel_sources["speed_mps"] == "derived"
    assert activity.metadata.channel_sources["heart_rate_bpm"] == "device"
    assert activity.metadata.channel_sources["power_w"] == "absent"


def test_gpx_10_speed_element_is_device_speed(data_dir):
    activity = read_activity(data_dir / "track_with_speed.gpx")
    assert activity.metadata.channel_sources["speed_mps"] == "device"
    assert activity.track["speed_mps"].iloc[0] == 1.2


def test_tcx_trackpoints_laps_and_run_cadence(data_dir):
    activity = read_activity(data_dir / "run_garmin.tcx")
    assert len(activity.track) == 147
    assert len(activity.laps) == 3
    assert activity.laps[0].distance_m == pytest.approx(1000.0, abs=1.0)
    assert activity.metadata.sport == "running"
    assert 140 <= activity.track["cadence_spm"].dropna().median() <= 200


def test_format_is_recognised_from_content_not_name(data_dir, tmp_path):
    renamed = tmp_path / "session.txt"
    renamed.write_bytes((data_dir / "run_garmin.tcx").read_bytes())
    assert read_activity(renamed).metadata.format == "tcx"


@pytest.mark.parametrize("name", ["garmin-fenix-5-run.fit", "garmin_connect.gpx", "run_garmin.tcx"])
def test_gzipped_reads_the_same(data_dir, tmp_path, name):
    plain = read_activity(data_dir / name)
    packed = tmp_path / f"{name}.gz"
    packed.write_bytes(gzip.compress((data_dir / name).read_bytes()))
    zipped = read_activity(packed)
    assert zipped.metadata.compressed
    pd.testing.assert_frame_equal(plain.track, zipped.track)


def test_buffer_and_bytes_inputs(data_dir):
    raw = (data_dir / "garmin-fenix-5-run.fit").read_bytes()
    from_buffer = read_activity(io.BytesIO(raw), name="x.fit")
    from_bytes = read_activity(raw)
    pd.testing.assert_frame_equal(from_buffer.track, from_bytes.track)
    assert from_buffer.metadata.source == "x.fit"


def test_single_activity_zip_is_opened(data_dir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("123_ACTIVITY.fit", (data_dir / "garmin-fenix-5-run.fit").read_bytes())
    activity = read_activity(buffer.getvalue(), name="export.zip")
    assert activity.metadata.source == "export.zip!123_ACTIVITY.fit"
    assert len(activity.track) == 21


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (b"", EmptyFileError),
        (b"   \n", EmptyFileError),
        (b"hello, this is not a watch file", UnsupportedFormatError),
        (b"<?xml version='1.0'?><kml></kml>", UnsupportedFormatError),
        (b"<?xml version='1.0'?><gpx><trk><trkseg><trkpt lat='1' lon='2'>", CorruptFileError),
        (b"<?xml version='1.0'?><gpx version='1.1'></gpx>", NoUsableDataError),
        (b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIX", CorruptFileError),
        (b"\x0e\x10\xd9\x07\x10\x00\x00\x00.FIT\x00\x00", CorruptFileError),
    ],
)
def test_bad_input_raises_our_errors(payload, error):
    with pytest.raises(error) as caught:
        read_activity(payload, name="bad.file")
    assert str(caught.value).startswith("bad.file: ")
    assert "\n" not in str(caught.value)


def test_not_an_activity(data_dir):
    with pytest.raises(UnsupportedFormatError, match="settings"):
        read_activity(data_dir / "Settings.fit")


def test_tcx_without_root_is_corrupt(data_dir):
    with pytest.raises(CorruptFileError, match="TrainingCenterDatabase"):
        read_activity(data_dir / "malformed.tcx")


def test_missing_file_is_reported_as_missing_not_empty():
    # issue 12 row 19: a missing file was labelled "empty"
    with pytest.raises(MissingFileError, match="no such file") as caught:
        read_activity("does-not-exist.fit")
    assert caught.value.kind == "missing"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<gpx version="1.1"><trk><name>&d;&d;&d;&d;</name><trkseg>
<trkpt lat="1" lon="2"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="Running"><Notes>&secret;</Notes>
</Activity></Activities></TrainingCenterDatabase>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE])
def test_entity_declarations_are_refused(payload):
    with pytest.raises(UnsupportedFormatError, match="entity"):
        read_activity(payload, name="evil.xml")


def test_gzip_bomb_is_capped(monkeypatch):
    monkeypatch.setattr(source, "MAX_DECOMPRESSED_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"\0" * (4 * 1024 * 1024))
    with pytest.raises(FileTooLargeError, match="decompresses"):
        read_activity(bomb, name="bomb.fit.gz")


def _gpx(points: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def _point(t: str, lat: str | None = "52.0", lon: str | None = "5.0", hr: int | None = None) -> str:
    attrs = "".join(f' {k}="{v}"' for k, v in (("lat", lat), ("lon", lon)) if v is not None)
    ext = (
        f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
        if hr
        else ""
    )
    return f"<trkpt{attrs}><time>{t}</time>{ext}</trkpt>"


def test_gpx_point_without_coordinates_is_dropped_not_fatal():
    body = _gpx(
        _point("2024-05-01T10:00:00Z", hr=100)
        + _point("2024-05-01T10:00:01Z", lat=None, lon=None, hr=101)
        + _point("2024-05-01T10:00:02Z", lat="52.00001", hr=102)
    )
    activity = read_activity(body, name="holes.gpx")
    assert len(activity.track) == 2
    assert any("without coordinates" in w for w in activity.warnings)
    assert activity.track["heart_rate_bpm"].tolist() == [100.0, 102.0]


def test_duplicate_and_backward_times_are_repaired():
    body = _gpx(
        _point("2024-05-01T10:00:00Z", hr=100)
        + _point("2024-05-01T10:00:01Z", lat="52.00001", hr=101)
        + _point("2024-05-01T10:00:01Z", lat="52.00001", hr=109)
        + _point("2024-05-01T09:59:59Z", lat="52.00002", hr=120)
        + _point("2024-05-01T10:00:02+02:00", lat="52.00003", hr=130)  # 08:00:02Z: backwards
        + _point("2024-05-01T12:00:03+02:00", lat="52.00004", hr=103)  # 10:00:03Z
    )
    activity = read_activity(body, name="messy.gpx")
    track = activity.track
    assert track.index.tz is not None and str(track.index.tz) == "UTC"
    assert track["elapsed_s"].tolist() == [0.0, 1.0, 3.0]
    assert track["heart_rate_bpm"].tolist() == [100.0, 101.0, 103.0]
    assert any("earlier" in w for w in activity.warnings)
    assert any("repeated time" in w for w in activity.warnings)


def test_merged_duplicates_keep_each_channels_first_value():
    # Three points share 10:00:01; the first has no heart rate: the merged sample takes the
    # heart rate of the second and the position of the first.
    body = _gpx(
        _point("2024-05-01T10:00:00Z", hr=100)
        + _point("2024-05-01T10:00:01Z", lat="52.00001")
        + _point("2024-05-01T10:00:01Z", lat="52.00002", hr=107)
        + _point("2024-05-01T10:00:01Z", lat="52.00003", hr=108)
        + _point("2024-05-01T10:00:02Z", lat="52.00004", hr=103)
    )
    activity = read_activity(body, name="repeats.gpx")
    assert activity.track["heart_rate_bpm"].tolist() == [100.0, 107.0, 103.0]
    assert activity.track["lat_deg"].tolist() == [52.0, 52.00001, 52.00004]
    assert "2 samples with a repeated time merged into the first" in activity.warnings


def test_derived_distance_is_great_circle():
    # 0.001 deg of latitude is 111.195 m on the IUGG mean sphere.
    body = _gpx(_point("2024-05-01T10:00:00Z", lat="52.000") + _point("2024-05-01T10:00:30Z", lat="52.001"))
    track = read_activity(body, name="two.gpx").track
    assert track["distance_m"].iloc[-1] == pytest.approx(111.195, abs=0.01)
    assert np.allclose(track["speed_mps"], 111.195 / 30, atol=1e-3)


def test_tcx_treadmill_without_positions():
    body = b"""<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Running"><Id>2024-05-01T10:00:00Z</Id>
<Lap StartTime="2024-05-01T10:00:00Z"><TotalTimeSeconds>2.5</TotalTimeSeconds><DistanceMeters>8</DistanceMeters>
<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>
<Trackpoint><Time>2024-05-01T10:00:00Z</Time><DistanceMeters>0</DistanceMeters><HeartRateBpm><Value>90</Value></HeartRateBpm></Trackpoint>
<Trackpoint><Time>2024-05-01T10:00:01Z</Time><DistanceMeters>3</DistanceMeters><HeartRateBpm><Value>91</Value></HeartRateBpm></Trackpoint>
<Trackpoint><Time>2024-05-01T10:00:02.5Z</Time><DistanceMeters>8</DistanceMeters><HeartRateBpm><Value>92</Value></HeartRateBpm></Trackpoint>
</Track></Lap></Activity></Activities></TrainingCenterDatabase>"""
    activity = read_activity(body, name="treadmill.tcx")
    track = activity.track
    assert track["lat_deg"].isna().all()
    assert track["elapsed_s"].tolist() == [0.0, 1.0, 2.5]
    assert track["distance_m"].tolist() == [0.0, 3.0, 8.0]
    assert activity.metadata.channel_sources["distance_m"] == "device"
    assert activity.metadata.channel_sources["speed_mps"] == "derived"
    assert activity.laps[0].trigger == "manual"
    assert activity.laps[0].end_time == pd.Timestamp("2024-05-01T10:00:02.5Z")


def test_reader_does_not_share_state_between_reads(data_dir):
    first = read_activity(data_dir / "garmin-fenix-5-run.fit")
    first.track.loc[:, "speed_mps"] = -1.0
    second = read_activity(data_dir / "garmin-fenix-5-run.fit")
    assert (second.track["speed_mps"] >= 0).all()
