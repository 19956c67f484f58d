"""What the watch records: the true session seen through a plausibly imperfect device.

The device works on a 1 s clock from the moment it starts (the first record) and writes whole
seconds, as FIT ``date_time`` does. What is modelled, and why:

* **Position**: true position plus a per-axis Ornstein-Uhlenbeck error (a few metres, drifting
  over tens of seconds; low-passed over 4 s because the receiver's filter makes it smooth from
  second to second) plus a little white noise; civilian single-frequency fixes have errors
  strongly correlated in time (Sensors 2020, 20(21), 6050), which is why a watch draws a track
  lap a few metres off, consistently, rather than jittering around it.
* **Speed**: measured speed (Doppler or footpod) with correlated noise, delayed by
  ``Watch.speed_lag_s`` and low-passed, since watches filter their speed before showing it.
* **Distance**: the integral of the measured speed scaled by ``1 + bias`` (bias drifting
  slowly), delayed like the speed; watches read tracks a few per cent long or short. A footpod's
  error depends on pace (a calibration fits one pace only).
* **Heart rate**: a first-order lag (about 20 s up, 40 s down) towards a target set by the
  effort, with cardiac drift of 3 % per hour; it never catches a 15 s kick.
* **Cadence**: steps/min from speed (walking ~110, running 150-200), lagging about a second.
* **Altitude**: barometric, with a calibration offset and a slow drift.
* **Sampling**: every second, or Garmin-style smart recording ("records key points where you
  change direction, speed, or heart rate", Garmin Edge manual): a point when speed or heading
  changed enough, at most 7 s apart.
* **Auto-pause**: the timer stops when the device speed drops below about 0.5 m/s and resumes
  above about 1 m/s; no history is recorded while stopped (Garmin manuals), and a FIT timer
  stop/start event pair marks each pause.
* **Laps**: the lap button pressed a little late at each rep's start and end, no laps, 1 km
  auto-laps, or a structured workout's steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..geo import latlon_from_xy_m
from ..models import Lap, Pause, PlannedRep, WorkoutStep
from .config import SessionConfig, Track, Treadmill, Watch
from .kinematics import time_at_distance_s
from .positions import TruePositions
from .processes import first_order_lag, ornstein_uhlenbeck
from .trajectory import Trajectory

__all__ = ["Recording", "record"]

#: Seconds the device speed must stay below the stop speed before auto-pause stops the timer.
_AUTO_PAUSE_DELAY_S = 2
#: Smart recording ignores heading changes over shorter displacements [m] (GPS jitter).
_SMART_MIN_MOVE_M = 3.0
#: Footpod errors are quoted relative to this speed [m/s].
_FOOTPOD_REFERENCE_MPS = 3.5


@dataclass(frozen=True, slots=True, kw_only=True)
class Recording:
    """What the device wrote, in the project's units (the writers convert to each format).

    Attributes
    ----------
    records
        One row per recorded sample; index ``time`` (UTC, whole seconds); columns
        ``lat_deg``, ``lon_deg``, ``elevation_m``, ``distance_m``, ``speed_mps``,
        ``heart_rate_bpm``, ``cadence_spm`` (steps/min, both feet), NaN where not recorded.
    laps
        The device's laps, with millisecond bounds.
    pauses
        Timer stops (auto-pause), ``source='timer'``.
    workout_steps
        The structured workout the watch followed, if any.
    start_time, end_time
        Timer start (the first record) and stop [UTC].
    sport, sub_sport
        FIT sport names (``'running'``; ``'generic'``, ``'track'`` or ``'treadmill'``).
    """

    records: pd.DataFrame
    laps: tuple[Lap, ...]
    pauses: tuple[Pause, ...]
    workout_steps: tuple[WorkoutStep, ...]
    start_time: pd.Timestamp
    end_time: pd.Timestamp
    sport: str
    sub_sport: str
    product_name: str
    serial_number: int
    activity_name: str
    workout_name: str | None
    utc_offset_s: int

    @property
    def first_record_time(self) -> pd.Timestamp:
        """Timestamp of the first record: the origin of every ``*_s`` in the truth."""
        return self.records.index[0]


def record(
    trajectory: Trajectory, positions: TruePositions | None, config: SessionConfig, rng: np.random.Generator
) -> Recording:
    """Record the session with the configured watch.

    Parameters
    ----------
    trajectory
        The true motion.
    positions
        Where it happened (``None`` on a treadmill).
    config
        The session's configuration; its ``watch`` says how the device behaves.
    rng
        Source of the device's errors.
    """
    watch = config.watch
    ticks = np.arange(0.0, np.floor(trajectory.duration_s) + 1.0)
    true_v = np.interp(ticks, trajectory.t_s, trajectory.speed_mps)
    venue = config.venue
    errors = _DeviceErrors.draw(ticks, watch, rng)
    device_d, device_v = _device_distance_and_speed(ticks, trajectory, errors, config)
    running = _timer_running(device_v, watch.auto_pause, watch.auto_pause_stop_mps, watch.auto_pause_resume_mps)
    # The distance does not grow while the timer is stopped.
    device_d = np.concatenate([[0.0], np.cumsum(np.diff(device_d) * running[1:])])

    columns, east, north = _positions(ticks, trajectory, positions, errors, config)
    nan = np.full(len(ticks), np.nan)
    columns["distance_m"] = device_d
    columns["speed_mps"] = device_v
    columns["heart_rate_bpm"] = (
        _heart_rate(ticks, true_v, trajectory, config) + errors.hr_bpm if watch.heart_rate else nan
    )
    columns["cadence_spm"] = (
        first_order_lag(ticks, _cadence_spm(true_v) + errors.cadence_spm * (true_v > 0.3), 1.0)
        if watch.cadence
        else nan
    )
    keep = _smart(ticks, device_v, east, north, running, watch) if watch.recording == "smart" else running.copy()
    start = config.plan.start_time
    index = pd.DatetimeIndex(start + pd.to_timedelta(ticks[keep], unit="s"), name="time")
    laps, steps_planned = _laps(trajectory, config, ticks, device_d, running, rng)
    return Recording(
        records=pd.DataFrame({name: values[keep] for name, values in columns.items()}, index=index),
        laps=laps,
        pauses=_pauses(ticks, running, start),
        workout_steps=steps_planned,
        start_time=start,
        end_time=start + pd.Timedelta(seconds=float(ticks[-1])),
        sport="running",
        sub_sport="treadmill"
        if isinstance(venue, Treadmill)
        else ("track" if watch.profile == "track_run" else "generic"),
        product_name=watch.product_name,
        serial_number=watch.serial_number,
        activity_name=config.plan.name,
        workout_name=(config.plan.workout.name or config.plan.workout.spec) if watch.laps == "workout" else None,
        utc_offset_s=config.plan.utc_offset_s,
    )


@dataclass(frozen=True, slots=True)
class _DeviceErrors:
    """The device's error processes, one value per tick."""

    gps_east_m: np.ndarray
    gps_north_m: np.ndarray
    gps_white_m: np.ndarray
    speed_mps: np.ndarray
    bias_drift: np.ndarray
    hr_bpm: np.ndarray
    cadence_spm: np.ndarray
    altimeter_m: np.ndarray

    @classmethod
    def draw(cls, ticks: np.ndarray, watch: Watch, rng: np.random.Generator) -> _DeviceErrors:
        """Drawn in a fixed order whatever is switched on, so one seed gives the same runner and
        the same errors across watch configurations.

        The receiver's Kalman filter makes the GPS error smooth from second to second: an OU path
        low-passed over a few seconds (a raw OU path would jitter ~0.5 m/s and inflate the
        distance summed from positions by several per cent, which real files do not show).
        """
        east = first_order_lag(ticks, ornstein_uhlenbeck(ticks, watch.gps_sigma_m, watch.gps_tau_s, rng), 4.0)
        north = first_order_lag(ticks, ornstein_uhlenbeck(ticks, watch.gps_sigma_m, watch.gps_tau_s, rng), 4.0)
        white = rng.standard_normal((2, len(ticks))) * watch.gps_white_m
        speed = ornstein_uhlenbeck(ticks, watch.speed_noise_mps, 3.0, rng)
        bias_drift = ornstein_uhlenbeck(ticks, watch.distance_bias_drift_pct / 100.0, 120.0, rng)
        hr = ornstein_uhlenbeck(ticks, watch.hr_noise_bpm, 5.0, rng)
        cadence = ornstein_uhlenbeck(ticks, watch.cadence_noise_spm, 3.0, rng)
        altimeter = rng.standard_normal() * watch.altimeter_error_m + ornstein_uhlenbeck(
            ticks, watch.altimeter_error_m / 5.0, 600.0, rng
        )
        return cls(east, north, white, speed, bias_drift, hr, cadence, altimeter)


def _device_distance_and_speed(
    ticks: np.ndarray, trajectory: Trajectory, errors: _DeviceErrors, config: SessionConfig
) -> tuple[np.ndarray, np.ndarray]:
    """The watch's distance [m] and speed [m/s] per tick: biased (a foot pod's by speed), noisy,
    lagged and smoothed, before auto-pause."""
    watch = config.watch
    true_d = np.interp(ticks, trajectory.t_s, trajectory.distance_m)
    true_v = np.interp(ticks, trajectory.t_s, trajectory.speed_mps)
    if watch.footpod or isinstance(config.venue, Treadmill):
        slope = watch.footpod_slope_pct_per_mps * (true_v - _FOOTPOD_REFERENCE_MPS)
        scale = 1.0 + (watch.footpod_bias_pct + slope) * (true_v > 0) / 100.0
    else:
        scale = 1.0 + watch.distance_bias_pct / 100.0 + errors.bias_drift
    steps = np.diff(true_d) + errors.speed_mps[1:] * np.diff(ticks)
    device_d = np.concatenate([[0.0], np.cumsum(scale[1:] * np.maximum(steps, 0.0))])
    measured_v = scale * np.maximum(true_v + errors.speed_mps, 0.0)
    lagged = ticks - watch.speed_lag_s
    device_d = np.interp(lagged, ticks, device_d, left=0.0)
    device_v = first_order_lag(ticks, np.interp(lagged, ticks, measured_v, left=0.0), watch.speed_smoothing_s)
    return device_d, device_v


def _positions(
    ticks: np.ndarray,
    trajectory: Trajectory,
    positions: TruePositions | None,
    errors: _DeviceErrors,
    config: SessionConfig,
) -> tuple[dict[str, np.ndarray], np.ndarray | None, np.ndarray | None]:
    """Latitude, longitude and elevation columns as recorded, and the GPS east/north [m] (None without GPS)."""
    venue = config.venue
    columns: dict[str, np.ndarray] = {}
    east: np.ndarray | None = None
    north: np.ndarray | None = None
    if config.watch.gps and positions is not None and isinstance(venue, Track):
        east = np.interp(ticks, trajectory.t_s, positions.east_m) + errors.gps_east_m + errors.gps_white_m[0]
        north = np.interp(ticks, trajectory.t_s, positions.north_m) + errors.gps_north_m + errors.gps_white_m[1]
        columns["lat_deg"], columns["lon_deg"] = latlon_from_xy_m(east, north, venue.lat_deg, venue.lon_deg)
        true_elevation = np.interp(ticks, trajectory.t_s, positions.elevation_m)
    else:
        columns["lat_deg"] = columns["lon_deg"] = np.full(len(ticks), np.nan)
        true_elevation = np.full(len(ticks), venue.elevation_m)
    columns["elevation_m"] = true_elevation + errors.altimeter_m
    return columns, east, north


def _timer_running(speed_mps: np.ndarray, enabled: bool, stop_mps: float, resume_mps: float) -> np.ndarray:
    """Whether the timer runs at each tick; auto-pause engages only once the runner has moved."""
    running = np.ones(len(speed_mps), dtype=bool)
    if not enabled:
        return running
    moved = False
    slow_for = 0
    state = True
    for k, speed in enumerate(speed_mps.tolist()):
        moved = moved or speed > resume_mps
        if state:
            slow_for = slow_for + 1 if (moved and speed < stop_mps) else 0
            if slow_for > _AUTO_PAUSE_DELAY_S:
                state = False
        elif speed > resume_mps:
            state = True
            slow_for = 0
        running[k] = state
    running[-1] = True  # the stop button records a last point
    return running


def _pauses(ticks: np.ndarray, running: np.ndarray, start: pd.Timestamp) -> tuple[Pause, ...]:
    """Timer stop at the first stopped tick, start again at the next running one."""
    edges = np.diff(running.astype(np.int8))
    stops = np.flatnonzero(edges == -1) + 1
    starts = np.flatnonzero(edges == 1) + 1
    return tuple(
        Pause(
            start_time=start + pd.Timedelta(seconds=float(ticks[a])),
            end_time=start + pd.Timedelta(seconds=float(ticks[b])),
            source="timer",
        )
        for a, b in zip(stops, starts, strict=True)
    )


def _heart_rate(ticks: np.ndarray, true_v: np.ndarray, trajectory: Trajectory, config: SessionConfig) -> np.ndarray:
    """Heart rate lagging an effort-dependent target [bpm]."""
    watch = config.watch
    reference = max((1000.0 / r.aimed_pace_s_per_km for r in trajectory.reps), default=3.5)
    effort = np.clip(0.3 + 0.55 * (true_v / reference) ** 1.3, 0.0, 1.0)
    effort = np.where(true_v < 0.3, 0.2, effort)
    target = watch.hr_rest_bpm + (watch.hr_max_bpm - watch.hr_rest_bpm) * effort
    target *= 1.0 + 0.03 * ticks / 3600.0
    return np.clip(first_order_lag(ticks, target, watch.hr_tau_up_s, watch.hr_tau_down_s), 40.0, 220.0)


def _cadence_spm(speed_mps: np.ndarray) -> np.ndarray:
    """Steps per minute (both feet) for a speed: walking ~110, running 150 + 9 per m/s over 2."""
    walking = 95.0 + 12.0 * speed_mps
    running = 150.0 + 9.0 * (speed_mps - 2.0)
    cadence = np.where(speed_mps < 1.9, walking, running)
    return np.clip(np.where(speed_mps < 0.3, 0.0, cadence), 0.0, 230.0)


def _smart(
    ticks: np.ndarray,
    speed_mps: np.ndarray,
    east: np.ndarray | None,
    north: np.ndarray | None,
    running: np.ndarray,
    watch: Watch,
) -> np.ndarray:
    """Smart recording: keep a tick when speed or heading changed enough, or the gap got long.

    The first and last ticks and both sides of every timer pause are always kept.
    """
    before = np.concatenate([[False], running[:-1]])
    after = np.concatenate([running[1:], [False]])
    keep = running & (~before | ~after)
    speeds = speed_mps.tolist()
    xs = east.tolist() if east is not None else None
    ys = north.tolist() if north is not None else None
    threshold = np.radians(watch.smart_heading_step_deg)
    candidates = np.flatnonzero(running).tolist()
    last = candidates[0]
    heading: float | None = None
    for k in candidates[1:]:
        take = bool(keep[k]) or k - last >= watch.smart_max_gap_s
        take = take or abs(speeds[k] - speeds[last]) >= watch.smart_speed_step_mps
        direction: float | None = None
        if xs is not None and ys is not None:
            dx, dy = xs[k] - xs[last], ys[k] - ys[last]
            if dx * dx + dy * dy >= _SMART_MIN_MOVE_M**2:
                direction = float(np.arctan2(dy, dx))
                if heading is not None:
                    turn = abs((direction - heading + np.pi) % (2 * np.pi) - np.pi)
                    take = take or turn >= threshold
        if take:
            keep[k] = True
            heading = direction if direction is not None else heading
            last = k
    return keep


def _laps(
    trajectory: Trajectory,
    config: SessionConfig,
    ticks: np.ndarray,
    device_d: np.ndarray,
    running: np.ndarray,
    rng: np.random.Generator,
) -> tuple[tuple[Lap, ...], tuple[WorkoutStep, ...]]:
    """The device's laps for the configured lap mode, and the workout steps it followed."""
    watch = config.watch
    end_s = float(ticks[-1])
    low, high = watch.lap_press_delay_s
    # One delay pair per rep, drawn whatever the mode, to keep the random stream aligned.
    delays = rng.uniform(low, high, size=(max(len(trajectory.reps), 1), 2))
    reps = trajectory.phases_of("rep")
    effort_ends = _effort_ends(trajectory)
    bounds: list[tuple[float, str, str, int | None]] = []  # (end, trigger, intensity, step)
    steps: tuple[WorkoutStep, ...] = ()
    if watch.laps == "manual":
        for k, rep in enumerate(reps):
            bounds.append((rep.start_s + delays[k, 0], "manual", "active", None))
            bounds.append((effort_ends[k] + delays[k, 1], "manual", "active", None))
    elif watch.laps == "auto_km":
        bounds = [
            (time_at_distance_s(ticks, device_d, km), "distance", "active", None)
            for km in np.arange(1000.0, device_d[-1], 1000.0)
        ]
    elif watch.laps == "workout":
        steps = _workout_steps(config)
        bounds = _workout_laps(trajectory, config.plan.workout.reps, ticks, device_d, running, delays)
    final_intensity = "cooldown" if watch.laps == "workout" else "active"
    final_step = len(steps) - 1 if steps else None
    bounds = _increasing([b for b in bounds if 0.0 < b[0] < end_s])
    bounds.append((end_s, "session_end", final_intensity, final_step))
    start = config.plan.start_time
    paused = ~running
    laps = []
    previous = 0.0
    for index, (end, trigger, intensity, step) in enumerate(bounds):
        end = round(end, 3)
        inside = (ticks >= previous) & (ticks < end)
        stopped_s = float(np.sum(paused[inside]))
        laps.append(
            Lap(
                index=index,
                start_time=start + pd.Timedelta(seconds=previous),
                end_time=start + pd.Timedelta(seconds=end),
                elapsed_time_s=round(end - previous, 3),
                timer_time_s=round(end - previous - stopped_s, 3),
                distance_m=round(float(np.interp(end, ticks, device_d) - np.interp(previous, ticks, device_d)), 2),
                trigger=trigger,
                intensity=intensity,
                wkt_step_index=step,
            )
        )
        previous = end
    return tuple(laps), steps


def _increasing(bounds: list[tuple[float, str, str, int | None]]) -> list[tuple[float, str, str, int | None]]:
    """Drop lap ends that do not come after the one before (two presses within a millisecond)."""
    kept: list[tuple[float, str, str, int | None]] = []
    for bound in bounds:
        if not kept or bound[0] > kept[-1][0] + 1e-3:
            kept.append(bound)
    return kept


def _effort_ends(trajectory: Trajectory) -> list[float]:
    """When each rep's effort ends: the end of its kick, or of its paced part [s]."""
    kicks = {p.rep: p.end_s for p in trajectory.phases_of("kick")}
    return [kicks.get(p.rep, p.end_s) for p in trajectory.phases_of("rep")]


def _workout_steps(config: SessionConfig) -> tuple[WorkoutStep, ...]:
    """Warm-up (lap button), each rep as a distance or a time step with a pace target,
    recoveries (lap button), cool-down."""
    reps = config.plan.workout.reps
    steps = [WorkoutStep(index=0, name="Warm up", intensity="warmup", duration_type="open")]
    for i, rep in enumerate(reps):
        pace = rep.pace_s_per_km or 300.0
        speed = 1000.0 / pace
        if rep.duration_s is not None:
            # A watch's time step knows nothing of a kick: the step is the rep's time.
            name = f"{rep.duration_s:g} s" + (f" + {rep.kick_m:g} m kick" if rep.has_kick else "")
            duration_type, duration_value = "time", rep.duration_s
        else:
            distance_m = rep.distance_m or 0.0
            name = f"{distance_m:g} m + {rep.kick_m:g} m kick" if rep.has_kick else f"{distance_m:g} m"
            duration_type, duration_value = "distance", distance_m + rep.kick_m
        steps.append(
            WorkoutStep(
                index=len(steps),
                name=name,
                intensity="active",
                duration_type=duration_type,
                duration_value=duration_value,
                target_type="speed",
                target_low=round(speed * 0.97, 3),
                target_high=round(speed * 1.03, 3),
            )
        )
        if i < len(reps) - 1:
            steps.append(WorkoutStep(index=len(steps), name="Recover", intensity="rest", duration_type="open"))
    steps.append(WorkoutStep(index=len(steps), name="Cool down", intensity="cooldown", duration_type="open"))
    return tuple(steps)


def _workout_laps(
    trajectory: Trajectory,
    planned_reps: tuple[PlannedRep, ...],
    ticks: np.ndarray,
    device_d: np.ndarray,
    running: np.ndarray,
    delays: np.ndarray,
) -> list[tuple[float, str, str, int | None]]:
    """Laps of a structured workout: the lap button starts each rep; the watch ends a distance
    step when its own distance reaches the step's distance (so a distance bias moves the lap
    end), a time step when its timer has run the step's time."""
    bounds: list[tuple[float, str, str, int | None]] = []
    presses = [p.start_s + delays[k, 0] for k, p in enumerate(trajectory.phases_of("rep"))]
    # The timer [s] at each tick: it stands still while auto-paused, and so does a time step.
    timer_s = np.concatenate([[0.0], np.cumsum(np.diff(ticks) * running[1:])])
    step = planned = 0
    for k, (run, press) in enumerate(zip(trajectory.reps, presses, strict=True)):
        bounds.append((press, "manual", "warmup" if k == 0 else "rest", step))
        # An extra rep repeats the step of the rep before it.
        planned = run.planned_index if run.planned_index is not None else planned
        step = 1 + 2 * planned
        duration_s = planned_reps[planned].duration_s
        trigger = "time" if duration_s is not None else "distance"
        if duration_s is not None:
            done = _time_at_timer_s(ticks, timer_s, float(np.interp(press, ticks, timer_s)) + duration_s)
        else:
            target = float(np.interp(press, ticks, device_d)) + run.distance_m + run.kick_m
            done = time_at_distance_s(ticks, device_d, target) if target < device_d[-1] else float(ticks[-1])
        if k + 1 < len(presses) and done >= presses[k + 1]:
            # The step not done at the next start (a watch reading short): the lap button ends it.
            bounds.append((presses[k + 1], "manual", "active", step))
            step += 1
            continue
        bounds.append((done, trigger, "active", step))
        step += 1
    return bounds


def _time_at_timer_s(ticks: np.ndarray, timer_s: np.ndarray, target_s: float) -> float:
    """When the timer first reads ``target_s`` (the session's end if it never does) [s]."""
    if target_s >= timer_s[-1]:
        return float(ticks[-1])
    k = int(np.searchsorted(timer_s, target_s, side="left"))
    if k == 0:
        return float(ticks[0])
    # The timer runs at one second per second within a running tick.
    return float(ticks[k - 1] + (target_s - timer_s[k - 1]) / (timer_s[k] - timer_s[k - 1]) * (ticks[k] - ticks[k - 1]))
