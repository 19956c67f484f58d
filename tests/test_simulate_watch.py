"""The simulated watch: each imperfection does what it says, and switched off it does nothing."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

from hardkick_analyze import read_activity, trackshape
from hardkick_analyze.simulate import SessionConfig, Track, Treadmill, Watch, simulate_session
from hardkick_analyze.simulate.positions import track_xy_from_latlon
from hardkick_analyze.simulate.scenarios import hard_kick_500, timed_reps

from .test_simulate_runner import short_config


def _with(config: SessionConfig, **watch: object) -> SessionConfig:
    return dataclasses.replace(config, watch=dataclasses.replace(config.watch, **watch))  # type: ignore[arg-type]


def _noiseless(**watch: object) -> SessionConfig:
    return dataclasses.replace(short_config(), watch=Watch.noiseless(**watch))


def _seconds(session, index: pd.DatetimeIndex) -> np.ndarray:
    return (index - session.config.plan.start_time).total_seconds().to_numpy()


def _true(session, column: str, seconds: np.ndarray) -> np.ndarray:
    values = {"distance_m": session.trajectory.distance_m, "speed_mps": session.trajectory.speed_mps}[column]
    return np.interp(seconds, session.trajectory.t_s, values)


def test_a_noiseless_watch_records_the_truth():
    session = simulate_session(_noiseless(), 3)
    records = session.recorded.records
    seconds = _seconds(session, records.index)
    np.testing.assert_array_equal(seconds, np.arange(len(records)))  # every second, from 0
    np.testing.assert_allclose(records["distance_m"], _true(session, "distance_m", seconds), atol=1e-9)
    np.testing.assert_allclose(records["speed_mps"], _true(session, "speed_mps", seconds), atol=1e-12)
    # Positions on the running lines: reps in lane 1 (offset 0 +- the wander), nothing inside the kerb.
    x, y = track_xy_from_latlon(records["lat_deg"].to_numpy(), records["lon_deg"].to_numpy(), Track())
    _, offset = trackshape.project_xy_m(x, y)
    for rep in session.truth.run_reps:
        inside = (seconds > rep.start_s + 5) & (seconds < rep.end_s)
        assert np.abs(offset[inside]).max() < 1.0
    assert offset.min() > -0.3
    assert session.truth.first_record_time == records.index[0] == session.config.plan.start_time


def test_gps_error_is_a_few_metres_and_correlated_in_time():
    config = dataclasses.replace(
        short_config(), watch=Watch.noiseless(gps_sigma_m=3.0, gps_tau_s=40.0, gps_white_m=0.3)
    )
    errors = []
    for seed in range(4):
        session = simulate_session(config, seed)
        records = session.recorded.records
        seconds = _seconds(session, records.index)
        venue = session.config.venue
        assert isinstance(venue, Track)
        x, _ = track_xy_from_latlon(records["lat_deg"].to_numpy(), records["lon_deg"].to_numpy(), venue)
        true_x = np.interp(seconds, session.trajectory.t_s, session.positions.x_m)
        errors.append(x - true_x)
    error = np.concatenate(errors)
    assert 2.0 < error.std() < 4.0  # 3 m OU, a little reduced by the receiver's 4 s smoothing
    first = errors[0]
    lag1 = np.corrcoef(first[:-1], first[1:])[0, 1]
    lag60 = np.corrcoef(first[:-60], first[60:])[0, 1]
    assert lag1 > 0.95  # metres of error, but smooth from second to second
    assert lag60 < lag1


@pytest.mark.parametrize(("bias_pct", "expected"), [(4.0, 1.04), (-3.0, 0.97)])
def test_distance_bias_scales_the_device_distance(bias_pct, expected):
    session = simulate_session(_noiseless(distance_bias_pct=bias_pct), 2)
    device = session.recorded.records["distance_m"].iloc[-1]
    assert device / session.truth.distance_m == pytest.approx(expected, abs=1e-9)


def test_speed_and_distance_lag_the_truth():
    session = simulate_session(_noiseless(speed_lag_s=2.0), 4)
    records = session.recorded.records
    seconds = _seconds(session, records.index)
    # Everything the device says at t is what was true 2 s earlier.
    np.testing.assert_allclose(
        records["speed_mps"], _true(session, "speed_mps", np.maximum(seconds - 2.0, 0)), atol=1e-9
    )
    np.testing.assert_allclose(
        records["distance_m"], _true(session, "distance_m", np.maximum(seconds - 2.0, 0)), atol=1e-9
    )


def test_smart_recording_keeps_changes_and_never_waits_more_than_7_s():
    session = simulate_session(_with(short_config(), recording="smart"), 5)
    seconds = _seconds(session, session.recorded.records.index)
    gaps = np.diff(seconds)
    assert gaps.min() >= 1 and gaps.max() <= 7
    assert 2.0 < gaps.mean() < 6.0
    kick = session.truth.run_reps[-1].kick
    assert kick is not None
    during_kick = np.diff(seconds[(seconds >= kick.start_s - 2) & (seconds <= kick.end_s + 5)])
    assert during_kick.mean() < gaps.mean()  # denser when the speed changes


def test_auto_pause_stops_the_timer_in_standing_rests_only():
    config = dataclasses.replace(short_config(rest_mode="stand"), watch=Watch.noiseless(auto_pause=True, laps="none"))
    session = simulate_session(config, 6)
    recorded = session.recorded
    pauses = recorded.pauses
    assert len(pauses) >= 2
    seconds = _seconds(session, recorded.records.index)
    for pause in pauses:
        start = (pause.start_time - recorded.start_time).total_seconds()
        end = (pause.end_time - recorded.start_time).total_seconds()
        assert not ((seconds > start) & (seconds < end)).any()  # no history while stopped
        for rep in session.truth.run_reps:
            assert end <= rep.start_s + 3.0 or start >= rep.end_s  # never pauses mid-rep
    # The distance stands still over a pause.
    lap = recorded.laps[0]
    assert lap.timer_time_s == pytest.approx(lap.elapsed_time_s - sum(p.duration_s for p in pauses))


def test_manual_laps_are_pressed_late_at_each_rep_start_and_end():
    session = simulate_session(_with(short_config(), lap_press_delay_s=(0.5, 2.0)), 7)
    laps = session.recorded.laps
    reps = session.truth.run_reps
    assert len(laps) == 2 * len(reps) + 1
    assert [lap.trigger for lap in laps] == ["manual"] * 2 * len(reps) + ["session_end"]
    origin = session.truth.first_record_time
    for k, rep in enumerate(reps):
        press_start = (laps[2 * k].end_time - origin).total_seconds()
        press_end = (laps[2 * k + 1].end_time - origin).total_seconds()
        effort_end = rep.kick.end_s if rep.kick else rep.end_s
        assert 0.5 <= press_start - rep.start_s <= 2.0
        assert 0.5 <= press_end - effort_end <= 2.0
    for before, after in itertools.pairwise(laps):
        assert after.start_time == before.end_time
    assert sum(lap.elapsed_time_s for lap in laps) == pytest.approx(session.truth.duration_s, abs=1.0)


def test_noiseless_laps_fall_on_the_truth_to_the_millisecond():
    session = simulate_session(_noiseless(), 8)
    origin = session.truth.first_record_time
    for k, rep in enumerate(session.truth.run_reps):
        start = (session.recorded.laps[2 * k].end_time - origin).total_seconds()
        assert start == pytest.approx(rep.start_s, abs=5e-4)


def test_auto_km_laps_are_one_device_kilometre_each():
    session = simulate_session(_with(short_config(), laps="auto_km"), 9)
    laps = session.recorded.laps
    assert len(laps) >= 3
    assert all(lap.trigger == "distance" for lap in laps[:-1])
    for lap in laps[:-1]:
        assert lap.distance_m == pytest.approx(1000.0, abs=0.02)


def test_a_structured_workout_ends_run_steps_on_device_distance():
    config = dataclasses.replace(
        short_config(hard_kick_500(300.0, plain=2, kicks=1)),
        watch=Watch.noiseless(laps="workout", distance_bias_pct=3.0),
    )
    session = simulate_session(config, 10)
    recorded = session.recorded
    steps = recorded.workout_steps
    assert [s.duration_type for s in steps] == [
        "open",
        "distance",
        "open",
        "distance",
        "open",
        "distance",
        "open",
    ]
    assert [s.duration_value for s in steps if s.duration_type == "distance"] == [400.0, 400.0, 500.0]
    assert steps[1].target_low == pytest.approx(1000 / 300 * 0.97, abs=1e-3)
    run_laps = [lap for lap in recorded.laps if lap.trigger == "distance"]
    assert [lap.wkt_step_index for lap in run_laps] == [1, 3, 5]
    assert [lap.distance_m for lap in run_laps] == pytest.approx([400.0, 400.0, 500.0], abs=0.02)
    # Reading 3 % long, the watch ends a "400 m" step after 400 / 1.03 = 388.35 m, 11.65 m early.
    origin = session.truth.first_record_time
    end = (run_laps[0].end_time - origin).total_seconds()
    rep = session.truth.run_reps[0]
    true_distance = np.interp(end, session.trajectory.t_s, session.trajectory.distance_m)
    start_distance = np.interp(rep.start_s, session.trajectory.t_s, session.trajectory.distance_m)
    # The watch knows its distance once a second; between seconds it interpolates (+-0.2 m at a start).
    assert true_distance - start_distance == pytest.approx(400.0 / 1.03, abs=0.2)
    assert recorded.workout_name == "hard kick 500"


def test_a_structured_workout_ends_time_steps_on_the_timer():
    # 3 x 60 s at 4:40/km: time steps, each lap pressed at the start (no delay) and ended by the
    # watch 60.000 s later, whatever the distance run.
    config = dataclasses.replace(
        short_config(timed_reps(280.0, count=3, duration_s=60.0)),
        watch=Watch.noiseless(laps="workout", distance_bias_pct=3.0),
    )
    session = simulate_session(config, 10)
    recorded = session.recorded
    steps = recorded.workout_steps
    assert [(s.duration_type, s.duration_value) for s in steps if s.intensity == "active"] == [("time", 60.0)] * 3
    run_laps = [lap for lap in recorded.laps if lap.trigger == "time"]
    assert [lap.wkt_step_index for lap in run_laps] == [1, 3, 5]
    assert [lap.elapsed_time_s for lap in run_laps] == pytest.approx([60.0, 60.0, 60.0], abs=1e-3)
    origin = session.truth.first_record_time
    starts = [(lap.start_time - origin).total_seconds() for lap in run_laps]
    assert starts == pytest.approx([r.start_s for r in session.truth.run_reps], abs=1e-3)
    # The FIT file round-trips: the time steps come back in seconds.
    activity = read_activity(session.to_bytes("fit"), name="timed.fit")
    assert [lap.trigger for lap in activity.laps if lap.trigger == "time"] == ["time"] * 3


def test_treadmill_has_footpod_distance_and_no_positions():
    config = dataclasses.replace(
        short_config(rest_mode="stand"), venue=Treadmill(), watch=Watch(gps=False, footpod=True)
    )
    session = simulate_session(config, 11)
    records = session.recorded.records
    assert records["lat_deg"].isna().all()
    assert session.recorded.sub_sport == "treadmill"
    assert session.positions is None
    assert session.trajectory.speed_mps.max() <= Treadmill().max_speed_mps + 1e-9
    # Footpod error +2 % at 3.5 m/s, -1.5 %/(m/s): slower paces read longer.
    seconds = _seconds(session, records.index)
    rep = session.truth.run_reps[0]
    inside = (seconds > rep.start_s + 10) & (seconds < rep.end_s)
    ratio = (
        np.diff(records["distance_m"].to_numpy()[inside]).sum()
        / np.diff(_true(session, "distance_m", seconds[inside])).sum()
    )
    rep_speed = 400.0 / rep.duration_s
    assert ratio == pytest.approx(1.0 + (2.0 - 1.5 * (rep_speed - 3.5)) / 100.0, abs=0.01)


def test_heart_rate_lags_the_effort():
    session = simulate_session(short_config(), 12)
    records = session.recorded.records
    seconds = _seconds(session, records.index)
    hr = records["heart_rate_bpm"].to_numpy()
    rep = session.truth.run_reps[0]
    at_start = hr[np.searchsorted(seconds, rep.start_s)]
    at_end = hr[np.searchsorted(seconds, rep.end_s)]
    assert at_end > at_start + 30  # rises through the rep
    kick = session.truth.run_reps[-1].kick
    assert kick is not None
    peak_after = hr[(seconds >= kick.end_s) & (seconds <= kick.end_s + 10)].max()
    assert peak_after < 188  # a 15 s kick never reaches max HR


def test_switching_the_watch_does_not_change_the_runner():
    noisy = simulate_session(short_config(), 13)
    clean = simulate_session(_noiseless(), 13)
    np.testing.assert_array_equal(noisy.trajectory.distance_m, clean.trajectory.distance_m)
    assert noisy.truth == clean.truth
    assert not noisy.recorded.records.equals(clean.recorded.records)


def test_the_path_leaves_the_roads_for_the_track_and_reps_run_in_lane_1():
    session = simulate_session(dataclasses.replace(short_config(), watch=Watch.noiseless()), 14)
    positions, trajectory = session.positions, session.trajectory
    assert not positions.on_track[0]  # the warm-up starts on the roads
    assert (positions.elevation_m[~positions.on_track] != Track().elevation_m).any()  # which undulate
    assert (positions.elevation_m[positions.on_track] == Track().elevation_m).all()  # the track is flat
    lane3 = trackshape.lane_offset_m(3)
    for rep in trajectory.phases_of("rep"):
        inside = (trajectory.t_s >= rep.start_s) & (trajectory.t_s <= rep.end_s)
        assert positions.on_track[inside].all()
        assert np.abs(positions.track_offset_m[inside]).mean() < 0.4  # lane 1, wandering a little
    rest = trajectory.phases_of("rest")[-2]
    middle = np.abs(trajectory.t_s - (rest.start_s + rest.end_s) / 2).argmin()
    assert positions.track_offset_m[middle] == pytest.approx(lane3, abs=0.8)  # resting out of lane 1
    # The path's length is the true distance, up to the sideways wander (a few cm per 400 m).
    steps = np.hypot(np.diff(positions.east_m), np.diff(positions.north_m))
    rep = trajectory.phases_of("rep")[0]
    inside = (trajectory.t_s[1:] > rep.start_s) & (trajectory.t_s[1:] <= rep.end_s)
    assert steps[inside].sum() == pytest.approx(400.0, abs=0.1)


def test_a_short_reading_workout_step_is_ended_by_the_lap_button():
    # Reading 8 % short, a "400 m" step needs 435 m of running; standing rests never get there.
    config = dataclasses.replace(
        short_config(hard_kick_500(300.0, plain=2, kicks=1), rest_mode="stand"),
        watch=Watch.noiseless(laps="workout", distance_bias_pct=-8.0),
    )
    laps = simulate_session(config, 15).recorded.laps
    assert [lap.wkt_step_index for lap in laps] == [0, 1, 3, 5, 6]
    assert [lap.trigger for lap in laps[1:3]] == ["manual", "manual"]
    assert all(lap.distance_m < 400.0 for lap in laps[1:3])
    starts = [lap.start_time for lap in laps]
    assert starts == sorted(starts)
