"""The simulated runner and the truth: physics that can be checked by hand, definitions kept exactly."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from hardkick_analyze.models import PlannedRep, Workout
from hardkick_analyze.simulate import Athlete, SessionConfig, SessionPlan, Watch, simulate_session
from hardkick_analyze.simulate.kinematics import kick_kinematics, time_at_distance_s
from hardkick_analyze.simulate.runner import simulate_trajectory
from hardkick_analyze.simulate.scenarios import custom_800_200, hard_kick_250, hard_kick_500


def short_config(workout: Workout | None = None, **athlete: object) -> SessionConfig:
    """A ~10 minute session: 2 min warm-up, 1 min cool-down, 1 min rests (keeps tests fast)."""
    base = Athlete(warmup_s=120.0, cooldown_s=60.0)
    return SessionConfig(
        plan=SessionPlan(workout=workout or hard_kick_500(295.0, plain=2, kicks=1), rest_s=60.0),
        athlete=dataclasses.replace(base, **athlete),  # type: ignore[arg-type]
        watch=Watch(),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("workout", [hard_kick_500(295.0), hard_kick_250(190.0), custom_800_200(230.0)])
def test_trajectory_is_physical(workout, seed):
    config = short_config(workout, strides=2, rest_mode="jog", first_rep_fast_pct=3.0)
    trajectory = simulate_trajectory(config, np.random.default_rng(seed))
    assert (trajectory.speed_mps >= 0).all()
    assert (np.diff(trajectory.t_s) > 0).all()
    assert (np.diff(trajectory.distance_m) >= 0).all()
    # Distance is the integral of speed (trapezoid: the speed is piecewise linear).
    integral = np.sum(np.diff(trajectory.t_s) * (trajectory.speed_mps[1:] + trajectory.speed_mps[:-1]) / 2)
    assert integral == pytest.approx(trajectory.distance_m[-1], rel=1e-9)
    # Phases tile the session without gaps.
    assert trajectory.phases[0].start_s == 0.0
    assert trajectory.phases[-1].end_s == trajectory.duration_s
    for before, after in itertools.pairwise(trajectory.phases):
        assert after.start_s == before.end_s
    # Nobody runs faster than the athlete's sprint speed, or accelerates like a car.
    assert trajectory.speed_mps.max() <= config.athlete.sprint_speed_max_mps * 1.03
    accel = np.diff(trajectory.speed_mps) / np.diff(trajectory.t_s)
    # A standing start peaks at rep speed / tau (5.3 m/s / 1.2 s for the fastest sprinter here).
    assert np.abs(accel).max() < 5.0


@pytest.mark.parametrize("seed", range(6))
def test_reps_and_kicks_cover_exactly_the_planned_distances(seed):
    workout = hard_kick_500(240.0 + 20 * seed, plain=2, kicks=2)
    session = simulate_session(short_config(workout), seed)
    trajectory = session.trajectory
    for rep, truth in zip(trajectory.phases_of("rep"), session.truth.run_reps, strict=True):
        assert rep.end_m - rep.start_m == pytest.approx(400.0, abs=1e-9)
        assert truth.end_s - truth.start_s == pytest.approx(rep.end_s - rep.start_s)
    for kick, rep in zip(trajectory.phases_of("kick"), trajectory.phases_of("rep")[2:], strict=True):
        assert kick.start_s == rep.end_s  # the kick starts exactly at the planned distance
        assert kick.end_m - kick.start_m == pytest.approx(100.0, abs=1e-9)


@pytest.mark.parametrize("pace", [180.0, 240.0, 295.0, 390.0])
def test_kicks_are_fast_and_fade_as_configured(pace):
    fade_range = (5.0, 15.0)
    workout = hard_kick_500(pace, plain=1, kicks=3)
    for seed in (11, 12):
        session = simulate_session(short_config(workout, kick_fade_pct=fade_range), seed)
        for rep in session.truth.run_reps[1:]:
            kick = rep.kick
            assert kick is not None
            rep_speed = 1000.0 / rep.pace_s_per_km
            # Kick top speed is 1.4-2x the rep speed, by level (capped by the sprint speed).
            assert 1.3 * rep_speed < kick.peak_speed_mps <= 8.0 * 1.03
            assert fade_range[0] - 0.05 <= kick.fade_pct <= fade_range[1] + 0.05
            assert kick.final_speed_mps < kick.peak_speed_mps
            assert kick.avg_speed_mps == pytest.approx(100.0 / kick.duration_s)


def test_metronomic_runner_runs_the_prescribed_pace():
    # 400 m at 4:55/km takes 118.0 s; the standing start is paid back by a slightly faster stride.
    session = simulate_session(_metronomic(), 5)
    for rep in session.truth.run_reps:
        assert rep.duration_s == pytest.approx(118.0, abs=0.01)
        assert rep.pace_s_per_km == pytest.approx(295.0, abs=0.03)


def _metronomic() -> SessionConfig:
    config = short_config()
    return dataclasses.replace(config, athlete=Athlete.metronomic(warmup_s=120.0, cooldown_s=60.0))


def test_standing_start_accelerates_over_a_few_seconds():
    session = simulate_session(_metronomic(), 7)
    trajectory = session.trajectory
    t, v = trajectory.t_s, trajectory.speed_mps
    rep = trajectory.phases_of("rep")[0]
    # Standing on the line, the runner moves off 0.6-1.5 s before the lap is pressed (a flying start,
    # Athlete.start_lead_stand_s): the truth starts at the line, mid-way up the ramp.
    moving_off = t[(t < rep.start_s) & (v == 0.0)][-1]
    lead = rep.start_s - moving_off
    assert 0.6 <= lead <= 1.5
    steady = 1000.0 / 295.0
    # tau = 1.2 s from the first step: 1 - exp(-1/1.2) = 0.57 after 1 s, 0.96 after 4 s; at the line
    # 1 - exp(-lead/1.2), between 0.39 (0.6 s) and 0.71 (1.5 s).
    at = [np.interp(moving_off + dt, t, v) / steady for dt in (1.0, 4.0)]
    assert at[0] == pytest.approx(0.57, abs=0.01)
    assert at[1] == pytest.approx(0.96, abs=0.01)
    assert np.interp(rep.start_s, t, v) / steady == pytest.approx(1.0 - np.exp(-lead / 1.2), abs=0.01)


def test_speed_changes_begin_before_the_lines():
    # The metronomic runner holds one speed, eases off 0-0.5 s before a plain rep's finish line
    # (Athlete.end_lead_s) and winds up 0.8-1.6 s before the kick's mark (kick_lead_s); the rep
    # still takes 118.0 s, as test_metronomic_runner_runs_the_prescribed_pace checks.
    trajectory = simulate_session(_metronomic(), 5).trajectory
    t, v = trajectory.t_s, trajectory.speed_mps
    kicked = {p.rep for p in trajectory.phases_of("kick")}
    for rep in trajectory.phases_of("rep"):
        inside = (t > rep.start_s + 60.0) & (t <= rep.end_s)
        steady = v[inside][0]
        off = t[inside][np.abs(v[inside] - steady) > 1e-9][0]
        at_line = np.interp(rep.end_s, t, v)
        if rep.rep in kicked:
            assert 0.8 <= rep.end_s - off <= 1.6 + 0.1  # + one 0.1 s integration step
            assert at_line > steady
        else:
            assert 0.0 <= rep.end_s - off <= 0.5 + 0.1
            assert at_line < steady


def test_pacing_errors_show_in_the_rep_times():
    config = short_config(hard_kick_500(300.0, plain=4, kicks=0), first_rep_fast_pct=5.0, fade_per_rep_pct=2.0)
    config = dataclasses.replace(
        config, athlete=dataclasses.replace(config.athlete, pace_drift_pct=0.0, rep_pace_sd_pct=0.0)
    )
    durations = [r.duration_s for r in simulate_session(config, 1).truth.run_reps]
    # 120 s planned: first rep 5 % fast, then +2 % per rep: 120*0.95*1.00, 120*1.02, 120*1.04, 120*1.06.
    np.testing.assert_allclose(durations, [114.0, 122.4, 124.8, 127.2], atol=0.02)


def test_skipped_and_extra_reps_in_the_truth():
    workout = hard_kick_500(300.0, plain=3, kicks=1)
    config = short_config(workout)
    config = dataclasses.replace(config, plan=dataclasses.replace(config.plan, skipped_reps=(1,), extra_reps=1))
    truth = simulate_session(config, 2).truth
    assert [(r.planned_index, r.missing) for r in truth.reps] == [
        (0, False),
        (1, True),
        (2, False),
        (None, False),
        (3, False),
    ]
    assert truth.missing_planned_indices == (1,)
    assert [r.number for r in truth.run_reps] == [0, 1, 2, 3]
    assert truth.reps[1].start_s is None and truth.reps[1].duration_s is None
    starts = [r.start_s for r in truth.run_reps]
    assert starts == sorted(starts)
    with pytest.raises(ValueError, match="skipped rep 7"):
        simulate_session(dataclasses.replace(config, plan=dataclasses.replace(config.plan, skipped_reps=(7,))), 1)


def test_a_rep_without_pace_is_refused():
    workout = Workout(spec="400", reps=(PlannedRep(distance_m=400.0),))
    with pytest.raises(ValueError, match="no pace"):
        simulate_session(short_config(workout), 1)


def test_strides_look_like_kicks_but_are_not_reps():
    session = simulate_session(short_config(strides=3), 4)
    strides = session.truth.strides
    assert len(strides) == 3
    first_rep = session.truth.run_reps[0]
    assert all(s.end_s < first_rep.start_s for s in strides)
    kick_peaks = [r.kick.peak_speed_mps for r in session.truth.run_reps if r.kick]
    for stride in strides:
        assert stride.distance_m == pytest.approx(90.0)
        assert stride.peak_speed_mps > 1.4 * 1000.0 / 295.0
        assert stride.peak_speed_mps == pytest.approx(0.9 * np.mean(kick_peaks), rel=0.12)


def test_kinematics_by_hand():
    # 100 m kick at a steady 8 m/s: 12.5 s, no fade.
    t = np.arange(0.0, 20.0, 0.1)
    v = np.full(len(t), 8.0)
    d = 8.0 * t
    steady = kick_kinematics(t, d, v, 1.0, 100.0)
    assert steady.end_s == pytest.approx(13.5)
    assert steady.avg_speed_mps == pytest.approx(8.0)
    assert steady.peak_speed_mps == pytest.approx(8.0)
    assert steady.fade_pct == pytest.approx(0.0, abs=1e-9)
    # 10 m/s for the first 80 m (8 s), then 5 m/s: the last 20 m at 5 m/s, fade 50 %.
    v = np.where(t < 8.0, 10.0, 5.0)
    d = np.where(t < 8.0, 10.0 * t, 80.0 + 5.0 * (t - 8.0))
    stepped = kick_kinematics(t, d, v, 0.0, 100.0)
    assert stepped.end_s == pytest.approx(12.0)
    assert stepped.final_speed_mps == pytest.approx(5.0)
    assert stepped.fade_pct == pytest.approx(50.0)
    assert time_at_distance_s(t, d, 85.0) == pytest.approx(9.0)
    with pytest.raises(ValueError):
        time_at_distance_s(t, d, 1e6)
