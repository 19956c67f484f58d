"""The track stage on positions built by hand: a lap of lane 1 is 400.00 m, of lane 2 407.04 m.

Sessions here are laps of a standard track laid out with :mod:`hardkick_analyze.trackshape`
itself (or a road, a park loop, an indoor oval), recorded every second, so every expected value
is a figure from the track's definition.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardkick_analyze import read_activity, trackshape
from hardkick_analyze.clean import make_grid
from hardkick_analyze.geo import latlon_from_xy_m, local_xy_m
from hardkick_analyze.models import Activity, ActivityMetadata
from hardkick_analyze.pipeline import analyze_session
from hardkick_analyze.present.report_json import report_to_dict
from hardkick_analyze.segment.place import _common_position, _line_crossing
from hardkick_analyze.simulate.benchmark import TRACK_BENCHMARK
from hardkick_analyze.simulate.processes import first_order_lag, ornstein_uhlenbeck
from hardkick_analyze.track import (
    TrackFit,
    correct_grid,
    correct_session,
    fit_track,
    stadium_offset_m,
    track_correction,
)
from hardkick_analyze.track.lanes import reps_lane

CENTRE = (52.5200, 13.4050)
START = pd.Timestamp("2026-05-12T16:30:00Z")


def _activity(
    east_m: np.ndarray,
    north_m: np.ndarray,
    distance_m: np.ndarray,
    *,
    sub_sport: str | None = "generic",
) -> Activity:
    """A 1 s recording of positions [m from CENTRE] and a device distance [m]."""
    n = len(east_m)
    elapsed = np.arange(n, dtype=np.float64)
    lat, lon = latlon_from_xy_m(east_m, north_m, *CENTRE)
    speed = np.gradient(distance_m)
    track = pd.DataFrame(
        {
            "elapsed_s": elapsed,
            "distance_m": distance_m,
            "speed_mps": speed,
            "lat_deg": lat,
            "lon_deg": lon,
        },
        index=pd.DatetimeIndex(START + pd.to_timedelta(elapsed, unit="s"), name="time"),
    )
    metadata = ActivityMetadata(
        source="synthetic",
        format="fit",
        sport="running",
        sub_sport=sub_sport,
        recording_interval_s=1.0,
        channel_sources=MappingProxyType({"distance_m": "device", "speed_mps": "device"}),
    )
    return Activity(track=track, metadata=metadata)


def _rotate(x_m: np.ndarray, y_m: np.ndarray, bearing_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Track frame -> east/north with the straights along ``bearing_deg``."""
    b = math.radians(bearing_deg)
    return x_m * math.sin(b) - y_m * math.cos(b), x_m * math.cos(b) + y_m * math.sin(b)


def _laps(
    laps: float = 6.0,
    *,
    lane: int = 1,
    speed_mps: float = 5.0,
    bearing_deg: float = 30.0,
    offset_m: tuple[float, float] = (12.0, -7.0),
    bias_pct: float = 0.0,
    clockwise: bool = False,
    error_m: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[Activity, float]:
    """Laps run on a lane's running line at a steady speed, the track centre ``offset_m`` from
    CENTRE. Returns the activity and the time one lap of the lane takes [s]."""
    lap_s = trackshape.lap_length_m(lane) / speed_mps
    t = np.arange(0.0, laps * lap_s + 1.0)
    s = speed_mps * t
    x, y = trackshape.position_xy_m(s, lane=lane)
    if clockwise:
        y = -y
    east, north = _rotate(x, y, bearing_deg)
    east, north = east + offset_m[0], north + offset_m[1]
    if error_m is not None:
        east, north = east + error_m[0][: len(t)], north + error_m[1][: len(t)]
    return _activity(east, north, s * (1.0 + bias_pct / 100.0)), lap_s


def _distance(grid, from_s: float, to_s: float) -> float:
    values = grid.frame["distance_m"].to_numpy()
    return float(np.interp(to_s, grid.time_s, values) - np.interp(from_s, grid.time_s, values))


def _fit(activity: Activity) -> TrackFit:
    fit = fit_track(make_grid(activity), activity)
    assert fit is not None
    return fit


def test_stadium_offset_is_the_distance_from_the_running_line():
    # On a straight, 36.80 m from the axis; around a bend, 36.80 m from its centre.
    assert stadium_offset_m(np.array([0.0]), np.array([36.8]))[0] == pytest.approx(0.0)
    assert stadium_offset_m(np.array([42.195 + 36.8]), np.array([0.0]))[0] == pytest.approx(0.0)
    assert stadium_offset_m(np.array([10.0]), np.array([-40.0]))[0] == pytest.approx(3.2)
    assert stadium_offset_m(np.array([0.0]), np.array([0.0]))[0] == pytest.approx(-36.8)


def test_noiseless_lane_1_laps_fit_the_track_exactly():
    activity, _ = _laps()
    fit = _fit(activity)
    east, north = local_xy_m(np.array([fit.centre_lat_deg]), np.array([fit.centre_lon_deg]), *CENTRE)
    assert east[0] == pytest.approx(12.0, abs=0.02)
    assert north[0] == pytest.approx(-7.0, abs=0.02)
    assert fit.bearing_deg == pytest.approx(30.0, abs=0.1)
    assert fit.direction == "anticlockwise"
    assert fit.lane == 1
    assert fit.scale == pytest.approx(1.0, abs=0.002)
    assert fit.residual_rms_m < 0.1
    assert fit.coverage == 1.0
    assert fit.source == "fit"


def test_one_lap_of_lane_1_is_400_m():
    activity, lap_s = _laps(bias_pct=3.0)
    grid = make_grid(activity)
    corrected = correct_grid(grid, _fit(activity))
    assert _distance(grid, 2 * lap_s, 3 * lap_s) == pytest.approx(412.0, abs=0.05)  # the watch: +3 %
    assert _distance(corrected, 2 * lap_s, 3 * lap_s) == pytest.approx(400.0, abs=0.1)
    assert corrected.frame["track_lane"].dropna().unique().tolist() == [1.0]


def test_one_lap_of_lane_2_is_407_04_m():
    activity, lap_s = _laps(lane=2, bias_pct=-2.0)
    grid = make_grid(activity)
    fit = _fit(activity)
    corrected = correct_grid(grid, fit)
    assert fit.lane == 2
    assert _distance(corrected, 2 * lap_s, 3 * lap_s) == pytest.approx(407.04, abs=0.1)


def test_fixes_far_apart_keep_the_lane_and_the_lap():
    # Smart recording: a fix every 5 s, 25 m apart. Straight lines between them cut the bends by
    # up to 2 m; the lane and the track's size are read on the fixes, not on the lines.
    activity, lap_s = _laps(laps=8, lane=2, bias_pct=2.0)
    sparse = dataclasses.replace(activity, track=activity.track.iloc[::5])
    grid = make_grid(sparse)
    fit = _fit(sparse)
    assert fit.lane == 2
    assert fit.scale == pytest.approx(1.0, abs=0.01)
    corrected = correct_grid(grid, fit)
    assert _distance(corrected, 2 * lap_s, 6 * lap_s) / 4 == pytest.approx(407.04, abs=0.5)


def test_a_gps_error_that_cancels_over_each_lap_leaves_the_lane_sure():
    # Lane 3, every position off by 4 m in one compass direction (out on one side of the track,
    # in on the other): the offsets spread by metres, the mean of every lap is the lane's.
    _, lap_s = _laps(lane=3)
    s = np.arange(0.0, 6 * lap_s, 0.5) * 5.0
    offset = trackshape.lane_offset_m(3) + 4.0 * np.sin(2.0 * np.pi * s / trackshape.lap_length_m(3))
    fast = np.ones(len(s), dtype=bool)
    fast[np.mod(s, trackshape.lap_length_m(3)) > 380.0] = False  # six separate stretches
    lane, probability = reps_lane(offset, np.mod(s, trackshape.lap_length_m(1)), fast, fast, 0.5)
    assert (lane, round(probability, 2)) == (3, 1.0)


def test_a_clockwise_track_is_measured_the_same():
    activity, lap_s = _laps(clockwise=True, bearing_deg=160.0, bias_pct=4.0)
    fit = _fit(activity)
    corrected = correct_grid(make_grid(activity), fit)
    assert fit.direction == "clockwise"
    assert fit.bearing_deg == pytest.approx(160.0, abs=0.1)
    assert _distance(corrected, 2 * lap_s, 3 * lap_s) == pytest.approx(400.0, abs=0.1)


def test_a_file_in_track_mode_is_trusted():
    activity, _ = _laps(laps=1.5)
    assert fit_track(make_grid(activity), activity) is None  # too little of it to be sure
    trusted = _activity(*_positions(activity), activity.track["distance_m"].to_numpy(), sub_sport="track")
    fit = _fit(trusted)
    assert fit.source == "sub_sport"


def _positions(activity: Activity) -> tuple[np.ndarray, np.ndarray]:
    return local_xy_m(activity.track["lat_deg"].to_numpy(), activity.track["lon_deg"].to_numpy(), *CENTRE)


def test_a_straight_road_run_is_no_track():
    t = np.arange(0.0, 1500.0)
    s = 3.5 * t
    east, north = _rotate(s, 0.0 * s, 40.0)
    assert fit_track(make_grid(_activity(east, north, s)), _activity(east, north, s)) is None


def test_an_out_and_back_is_no_track():
    t = np.arange(0.0, 1500.0)
    s = 3.5 * t
    along = 115.0 - np.abs(np.mod(s, 460.0) - 230.0)  # up and down 230 m
    east, north = _rotate(along, 0.0 * s, 40.0)
    activity = _activity(east, north, s)
    assert fit_track(make_grid(activity), activity) is None


def test_a_1_km_park_loop_is_no_track():
    # A rounded loop of about 1 km, run four times.
    t = np.arange(0.0, 1200.0)
    angle = 2.0 * np.pi * 3.4 * t / 1000.0
    radius = 160.0 + 25.0 * np.sin(3.0 * angle)
    east, north = radius * np.cos(angle), 0.8 * radius * np.sin(angle)
    activity = _activity(east, north, 3.4 * t)
    assert fit_track(make_grid(activity), activity) is None


def test_a_200_m_indoor_track_is_rejected():
    # Half the size: 42.2 m straights, 18.4 m bends, 200 m a lap.
    t = np.arange(0.0, 600.0)
    x, y = trackshape.position_xy_m(2.0 * 4.5 * t)
    east, north = _rotate(x / 2.0, y / 2.0, 75.0)
    activity = _activity(east, north, 4.5 * t)
    assert fit_track(make_grid(activity), activity) is None


def test_an_oval_12_percent_large_is_rejected():
    # A 448 m stadium fits a standard track 4.4 m outside lane 1 (a lane the offsets allow);
    # its scale, beyond the 0.92-1.08 allowed for GPS error, says it is not one.
    t = np.arange(0.0, 900.0)
    x, y = trackshape.position_xy_m(4.5 * t / 1.12)
    east, north = _rotate(1.12 * x, 1.12 * y, 20.0)
    activity = _activity(east, north, 4.5 * t)
    assert fit_track(make_grid(activity), activity) is None


def test_correlated_gps_error_leaves_the_corrected_distance_within_1_percent():
    # 5 m of GPS error correlated over 30 s (smoothed by the receiver) and a watch reading 4 % long.
    rng = np.random.default_rng(7)
    t = np.arange(0.0, 2000.0)
    error = tuple(first_order_lag(t, ornstein_uhlenbeck(t, 5.0, 30.0, rng), 4.0) for _ in range(2))
    activity, lap_s = _laps(laps=20, speed_mps=4.5, bias_pct=4.0, error_m=error)
    grid = make_grid(activity)
    corrected = correct_grid(grid, _fit(activity))
    for lap in (3, 8, 14):
        raw = _distance(grid, lap * lap_s, (lap + 1) * lap_s)
        assert raw == pytest.approx(416.0, abs=0.5)
        assert _distance(corrected, lap * lap_s, (lap + 1) * lap_s) == pytest.approx(400.0, rel=0.01)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lane=st.integers(1, 3),
    bias_pct=st.floats(-5.0, 5.0),
    clockwise=st.booleans(),
    bearing_deg=st.floats(0.0, 360.0),
    seed=st.integers(0, 1000),
)
def test_the_corrected_distance_never_decreases_and_the_input_is_kept(lane, bias_pct, clockwise, bearing_deg, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(0.0, 1500.0)
    error = tuple(first_order_lag(t, ornstein_uhlenbeck(t, 2.5, 40.0, rng), 4.0) for _ in range(2))
    activity, _ = _laps(
        laps=5, lane=lane, bias_pct=bias_pct, clockwise=clockwise, bearing_deg=bearing_deg, error_m=error
    )
    grid = make_grid(activity)
    before = grid.frame.copy()
    corrected, fit = correct_session(grid, activity)
    pd.testing.assert_frame_equal(grid.frame, before)
    assert fit is not None
    assert corrected is not grid
    distance = corrected.frame["distance_m"].to_numpy()
    assert np.all(np.diff(distance) >= -1e-9)
    assert (corrected.frame["speed_mps"] >= 0).all()
    np.testing.assert_array_equal(corrected.frame["gps_distance_m"].to_numpy(), before["distance_m"].to_numpy())


def test_common_start_line_and_its_crossing():
    # Three of four sharp starts 2 m apart near the end of the lap; the fourth elsewhere.
    assert _common_position(np.array([398.0, 1.0, 399.5, 200.0])) == pytest.approx(399.5, abs=0.01)
    assert _common_position(np.array([10.0, 150.0, 300.0])) is None
    time_s = np.arange(0.0, 10.0)
    lap = trackshape.lap_length_m(1)
    s_m = np.mod(lap - 10.0 + 3.0 * time_s, lap)  # crosses the finish line at 3.33 s
    assert _line_crossing(time_s, s_m, 0.0, 4.0, 3.0) == pytest.approx(10.0 / 3.0)


@pytest.fixture(scope="module")
def track_report():
    scenario = next(s for s in TRACK_BENCHMARK if s.name == "track_bias_+5")
    session = scenario.simulate(77)
    activity = read_activity(scenario.file_bytes(session), name="track.fit")
    workout = session.config.plan.workout
    return (
        analyze_session(activity, workout=workout),
        analyze_session(activity, workout=workout, track_correction=False),
    )


def test_a_simulated_track_session_reports_the_correction(track_report):
    report, uncorrected = track_report
    document = report_to_dict(report)
    segmentation = document["segmentation"]
    assert segmentation["track_corrected"] is True
    assert segmentation["track"]["lane"] == 1
    assert segmentation["track"]["source"] == "fit"
    assert report_to_dict(uncorrected)["segmentation"]["track_corrected"] is False
    reps = document["reps"]
    assert reps and all(r["distance_error_m"] is not None for r in reps)
    measured = np.array([r["measured_distance_m"] for r in reps])
    gps = np.array([r["gps_distance_m"] for r in reps])
    # The watch reads 5 % long; the track brings the reps back to 400 m.
    assert np.median(gps) == pytest.approx(420.0, rel=0.02)
    assert np.median(measured) == pytest.approx(400.0, rel=0.01)
    assert [r.measured_distance_m for r in uncorrected.reps] == pytest.approx(
        [r.gps_distance_m for r in uncorrected.reps]
    )


def test_the_readme_track_example_runs(monkeypatch):
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Track correction", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert code.count("assert ") >= 3, "the example shows its values as assertions, and this test runs them"
    monkeypatch.chdir(root)
    exec(compile(code, "README.md", "exec"), {})


def test_a_road_warm_up_keeps_the_watch_distance_and_the_laps_are_400_m():
    # 300 m of road straight towards the middle of the home straight, then six laps of lane 1,
    # all at 4 m/s on a watch reading 3 % long.
    speed, road_m = 4.0, 300.0
    lap_s = trackshape.lap_length_m(1) / speed
    t = np.arange(0.0, road_m / speed + 6 * lap_s + 1.0)
    along = speed * t
    on_road = along < road_m
    x = np.where(on_road, 0.0, 0.0)
    y = np.where(on_road, -trackshape.running_line_radius_m(1) - road_m + along, 0.0)
    lap_start = trackshape.lap_length_m(1) - trackshape.STRAIGHT_M / 2.0  # the middle of the home straight
    x[~on_road], y[~on_road] = trackshape.position_xy_m(lap_start + along[~on_road] - road_m)
    east, north = _rotate(x, y, 120.0)
    activity = _activity(east, north, along * 1.03)
    grid = make_grid(activity)
    fit = _fit(activity)
    corrected = correct_grid(grid, fit)
    road_end_s = road_m / speed
    # Off the track the watch's distance stands (309 m), on it a lap is 400 m.
    assert _distance(corrected, 0.0, road_end_s - 10.0) == pytest.approx(1.03 * (road_m - 40.0), abs=0.1)
    first_lap = road_end_s + lap_s
    assert _distance(corrected, first_lap, first_lap + lap_s) == pytest.approx(400.0, abs=0.1)
    assert not corrected.frame["on_track"].to_numpy()[grid.time_s < road_end_s - 10.0].any()
    assert fit.lane_probability > 0.99


def test_noiseless_laps_carry_a_tiny_error_estimate():
    activity, _ = _laps(bias_pct=2.0)
    grid = make_grid(activity)
    fit = _fit(activity)
    correction = track_correction(correct_grid(grid, fit), fit)
    assert correction.device_scale == pytest.approx(1.02, abs=1e-3)
    assert correction.fit.lane_probability > 0.99
    assert correction.distance_error_m(400.0) < 0.5
