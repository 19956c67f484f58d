"""Every file the simulator writes reads back through the product's own readers, as recorded.

Tolerances are the formats' resolutions: FIT stores distance in cm, speed in mm/s, positions in
semicircles (~1 cm) and times in whole seconds; TCX is written with cm, mm/s and 1e-8 degrees;
Strava's GPX with 1e-7 degrees (~1 cm) and no distance (the reader sums the positions).
"""

from __future__ import annotations

import dataclasses
import gzip
import io

import fitdecode
import numpy as np
import pandas as pd
import pytest

from hardkick_analyze import read_activity
from hardkick_analyze.simulate import FORMATS, Treadmill, Watch, simulate_session
from hardkick_analyze.simulate.writers.fit import fit_crc16

from .test_simulate_runner import short_config


@pytest.fixture(scope="module")
def session():
    config = short_config(strides=1)
    return simulate_session(dataclasses.replace(config, watch=Watch(auto_pause=True, profile="track_run")), 21)


@pytest.fixture(scope="module")
def noiseless():
    return simulate_session(dataclasses.replace(short_config(), watch=Watch.noiseless()), 22)


@pytest.mark.parametrize("file_format", FORMATS)
def test_every_format_reads_back_as_recorded(session, file_format):
    recorded = session.recorded.records
    activity = read_activity(session.to_bytes(file_format))
    track = activity.track
    assert activity.warnings == ()
    assert activity.metadata.compressed == file_format.endswith(".gz")
    # The truth's origin is the file's first record; every record keeps its second.
    assert activity.start_time == session.truth.first_record_time
    assert track.index.equals(pd.DatetimeIndex(recorded.index).as_unit("ns"))
    np.testing.assert_allclose(track["lat_deg"], recorded["lat_deg"], atol=6e-8)
    np.testing.assert_allclose(track["lon_deg"], recorded["lon_deg"], atol=6e-8)
    np.testing.assert_allclose(track["heart_rate_bpm"], recorded["heart_rate_bpm"].round())
    np.testing.assert_allclose(track["elevation_m"], recorded["elevation_m"], atol=0.11)
    if file_format.startswith("gpx"):
        # Cadence: whole strides/min in GPX; distance derived from the positions.
        np.testing.assert_allclose(track["cadence_spm"], 2 * (recorded["cadence_spm"] / 2).round())
        assert activity.metadata.channel_sources["distance_m"] == "derived"
        return
    np.testing.assert_allclose(track["distance_m"], recorded["distance_m"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(track["speed_mps"], recorded["speed_mps"], atol=0.0005 + 1e-9)
    tolerance = 1 / 128 if file_format.startswith("fit") else 1.0  # FIT: 1/128 stride; TCX: whole strides
    np.testing.assert_allclose(track["cadence_spm"], recorded["cadence_spm"], atol=tolerance + 1e-9)
    assert len(activity.laps) == len(session.recorded.laps)


def test_fit_keeps_laps_pauses_and_the_session(session):
    activity = read_activity(session.to_fit())
    assert activity.metadata.sport == "running"
    assert activity.metadata.sub_sport == "track"
    assert activity.metadata.device_name == "hardkick-analyze simulator"
    for read, written in zip(activity.laps, session.recorded.laps, strict=True):
        # Lap bounds keep their milliseconds (start_time is whole seconds, elapsed time is ms).
        assert read.start_time == written.start_time
        assert read.end_time == written.end_time
        assert read.timer_time_s == pytest.approx(written.timer_time_s)
        assert read.distance_m == pytest.approx(written.distance_m, abs=0.005)
        assert read.trigger == written.trigger
    timer = [p for p in activity.pauses if p.source == "timer"]
    assert [(p.start_time, p.end_time) for p in timer] == [(p.start_time, p.end_time) for p in session.recorded.pauses]
    assert len(timer) >= 1


def test_fit_is_valid_for_a_strict_second_decoder(session):
    data = session.to_fit()
    assert data[8:12] == b".FIT"
    assert int.from_bytes(data[12:14], "little") == fit_crc16(data[:12])
    assert fit_crc16(data) == 0  # a file followed by its own CRC checks to zero
    names = []
    with fitdecode.FitReader(
        io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED, error_handling=fitdecode.ErrorHandling.RAISE
    ) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                names.append(frame.name)
                if frame.name == "session":
                    assert frame.get_value("sport") == "running"
                    assert frame.get_value("total_timer_time") < frame.get_value("total_elapsed_time")
    assert names[:3] == ["file_id", "event", "sport"]
    assert names[-3:] == ["lap", "session", "activity"]
    assert names.count("record") == len(session.recorded.records)


def test_crc16_check_value():
    # CRC-16/ARC, the FIT CRC, of "123456789" is 0xBB3D (the catalogue's check value).
    assert fit_crc16(b"123456789") == 0xBB3D


def test_structured_workout_steps_round_trip():
    config = dataclasses.replace(short_config(), watch=Watch(laps="workout"))
    session = simulate_session(config, 23)
    activity = read_activity(session.to_fit())
    assert activity.metadata.workout_name == "hard kick 500"
    read = [(s.duration_type, s.duration_value, s.intensity) for s in activity.workout_steps]
    written = [(s.duration_type, s.duration_value, s.intensity) for s in session.recorded.workout_steps]
    assert read == written
    assert activity.workout_steps[1].target_low == pytest.approx(session.recorded.workout_steps[1].target_low)
    assert [lap.wkt_step_index for lap in activity.laps] == [lap.wkt_step_index for lap in session.recorded.laps]


def test_tcx_laps_are_whole_second_starts_with_timer_time(session):
    activity = read_activity(session.to_tcx())
    for read, written in zip(activity.laps, session.recorded.laps, strict=True):
        # As Garmin Connect writes them: the FIT lap's whole-second start, the timer time; a
        # lap holding an auto-pause ends at its last trackpoint, not at start + timer time.
        assert read.start_time == written.start_time.floor("s")
        assert read.timer_time_s == pytest.approx(written.timer_time_s)
        paused = written.elapsed_time_s - written.timer_time_s > 1.5
        assert read.elapsed_time_s >= read.timer_time_s
        if not paused:
            assert read.elapsed_time_s == pytest.approx(written.timer_time_s)
        assert read.intensity == "active"


def test_gpx_pauses_become_recording_gaps(session):
    activity = read_activity(session.to_gpx(flavor="garmin"))
    assert activity.metadata.device_name == "Garmin Connect"
    long_pauses = [p for p in session.recorded.pauses if p.duration_s >= 15.0]
    gaps = [p for p in activity.pauses if p.source == "gap"]
    assert gaps
    assert [(p.start_time, p.end_time) for p in gaps] == [
        (p.start_time - pd.Timedelta(seconds=1), p.end_time) for p in long_pauses
    ]


def test_noiseless_files_carry_the_true_distance(noiseless):
    """Noiseless: FIT and TCX record the true distance each second (to the cm they store). A rep
    end read off them by linear interpolation is off the truth only by the chord across the
    second that holds it: the runner eases off or winds up a kick through the line, and a chord
    across 1 s of a speed changing at up to a m/s^2 misses the distance by at most a/8 m (a/8/v
    seconds at speed v; easing off at up to pi/2 m/s^2 towards a 1.35 m/s walk, under 0.15 s). GPX,
    whose distance is summed from positions, is within 0.5 m per rep (chords across the bends
    and the interpolation at a flying start)."""
    trajectory = noiseless.trajectory
    for file_format in ("fit", "tcx", "gpx"):
        track = read_activity(noiseless.to_bytes(file_format)).track
        seconds = track["elapsed_s"].to_numpy()
        distance = track["distance_m"].to_numpy()
        true = np.interp(seconds, trajectory.t_s, trajectory.distance_m)
        for rep in noiseless.truth.run_reps:
            if file_format == "gpx":
                covered = np.interp(rep.end_s, seconds, distance) - np.interp(rep.start_s, seconds, distance)
                assert covered == pytest.approx(rep.distance_m, abs=0.5)
                continue
            start_m = np.interp(rep.start_s, trajectory.t_s, trajectory.distance_m)
            ends = [(rep.end_s, start_m + rep.distance_m)]
            if rep.kick is not None:
                ends.append((rep.kick.end_s, start_m + rep.distance_m + rep.kick_m))
            for truth_s, target_m in ends:
                position = np.searchsorted(distance, target_m)
                around = slice(position - 1, position + 1)
                read_s = np.interp(target_m, distance[around], seconds[around])
                inside = (trajectory.t_s >= seconds[position - 1]) & (trajectory.t_s <= seconds[position])
                speed = trajectory.speed_mps[inside]
                accel = np.abs(np.diff(speed) / np.diff(trajectory.t_s[inside])).max()
                chord_s = (accel / 8.0 + 0.005) / speed.min()  # + the file's cm
                assert chord_s < 0.15
                assert read_s == pytest.approx(truth_s, abs=chord_s + 1e-3)
        if file_format != "gpx":
            np.testing.assert_allclose(distance, true, atol=0.005 + 1e-9)


def test_same_seed_same_bytes_other_seed_other_bytes():
    config = short_config()
    first, again, other = (simulate_session(config, seed) for seed in (31, 31, 32))
    for file_format in FORMATS:
        assert first.to_bytes(file_format) == again.to_bytes(file_format)
        assert first.to_bytes(file_format) != other.to_bytes(file_format)
    assert first.to_gpx(flavor="garmin") == again.to_gpx(flavor="garmin")


def test_gzip_variants_hold_the_plain_bytes(session):
    for kind in ("fit", "gpx", "tcx"):
        assert gzip.decompress(session.to_bytes(f"{kind}.gz")) == session.to_bytes(kind)


def test_treadmill_fit_and_tcx_but_no_gpx():
    config = dataclasses.replace(
        short_config(rest_mode="stand"), venue=Treadmill(), watch=Watch(gps=False, footpod=True)
    )
    session = simulate_session(config, 24)
    fit = read_activity(session.to_fit())
    assert fit.metadata.sub_sport == "treadmill"
    assert fit.track["lat_deg"].isna().all()
    assert fit.metadata.channel_sources["distance_m"] == "device"
    tcx = read_activity(session.to_tcx())
    np.testing.assert_allclose(tcx.track["distance_m"], fit.track["distance_m"], atol=0.006)
    with pytest.raises(ValueError, match="GPX needs positions"):
        session.to_gpx()
    with pytest.raises(ValueError, match="unknown format"):
        session.to_bytes("kml")
