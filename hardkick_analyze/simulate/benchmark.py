"""The accuracy benchmark's scenarios: one condition at a time, then everything at once, and the
track correction's sessions on a 400 m track (``bench/accuracy.py`` runs them, several seeds each)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from .config import RecordingMode, SessionConfig, Track, Treadmill, Watch
from .scenarios import (
    Scenario,
    perfect_watch,
    realistic_session,
    scenario_draws,
    timed_reps,
    with_plan,
)
from .session import FORMATS

__all__ = ["BENCHMARK", "TRACK_BENCHMARK", "VARIED_TRACK_CONDITION", "benchmark_cases", "track_benchmark_cases"]

#: How far outside the inner edge of their lane track runners run [m].
LINE_FROM_KERB_RANGE_M = (0.2, 0.5)
#: Distance bias of the varied track sessions' watches [%] and their GPS error [m].
TRACK_BIAS_RANGE_PCT = (-4.0, 4.0)
GPS_SIGMA_RANGE_M = (2.0, 6.0)
#: The condition of the track sessions whose lane, GPS error, distance bias and recording are
#: all drawn from the seed.
VARIED_TRACK_CONDITION = "track: varied"


def _scenario(
    name: str, condition: str, description: str, file_format: str, build: Callable[[int], SessionConfig]
) -> Scenario:
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    return Scenario(name=name, description=description, file_format=file_format, condition=condition, build=build)


def _skip_one(seed: int, config: SessionConfig) -> SessionConfig:
    """Skip the last plain rep (a runner cutting the session short), or the first rep."""
    reps = config.plan.workout.reps
    plain = [i for i, rep in enumerate(reps) if not rep.has_kick]
    return with_plan(config, skipped_reps=(plain[-1] if plain else 0,))


def _timed_session(seed: int) -> SessionConfig:
    """8 x 60 s with jogged recoveries, as a watch's time-step workout records it."""
    config = realistic_session(seed, watch=Watch(laps="manual"), rolling_start=True, rest_mode="jog")
    pace = config.plan.workout.reps[0].pace_s_per_km or 280.0
    return with_plan(config, workout=timed_reps(pace), rest_s=float(scenario_draws(seed).uniform(90.0, 180.0)))


def _low_contrast(seed: int) -> SessionConfig:
    """Reps only ~1.2x the recovery jog, started rolling (a tempo fartlek)."""
    config = realistic_session(seed, watch=Watch(laps="none"), rolling_start=True, rest_mode="jog")
    pace = config.plan.workout.reps[0].pace_s_per_km or 280.0
    return dataclasses.replace(config, athlete=dataclasses.replace(config.athlete, jog_speed_mps=1000.0 / pace / 1.2))


#: The benchmark's scenarios, one per condition (each run with several seeds).
BENCHMARK: tuple[Scenario, ...] = (
    _scenario(
        "clean",
        "perfect watch",
        "perfect watch, laps at each rep",
        "fit",
        lambda s: realistic_session(s, watch=Watch.noiseless()),
    ),
    _scenario(
        "gps_noise",
        "alone: GPS error",
        "perfect watch but a noisy GPS (5 m, 30 s)",
        "fit",
        lambda s: realistic_session(s, watch=perfect_watch(gps_sigma_m=5.0, gps_tau_s=30.0, gps_white_m=1.0)),
    ),
    _scenario(
        "speed_lag",
        "alone: speed lag",
        "perfect watch but speed and distance 2.5 s late",
        "fit",
        lambda s: realistic_session(s, watch=perfect_watch(speed_lag_s=2.5, speed_smoothing_s=2.0)),
    ),
    _scenario(
        "speed_noise",
        "alone: speed noise",
        "perfect watch but a noisy speed channel",
        "fit",
        lambda s: realistic_session(s, watch=perfect_watch(speed_noise_mps=0.25)),
    ),
    _scenario(
        "reads_long",
        "alone: distance bias",
        "perfect watch but distance +4 %",
        "fit",
        lambda s: realistic_session(s, watch=perfect_watch(distance_bias_pct=4.0, distance_bias_drift_pct=1.0)),
    ),
    _scenario(
        "reads_short",
        "alone: distance bias",
        "perfect watch but distance -3 %",
        "fit",
        lambda s: realistic_session(s, watch=perfect_watch(distance_bias_pct=-3.0, distance_bias_drift_pct=1.0)),
    ),
    _scenario(
        "smart",
        "alone: smart recording",
        "perfect watch, smart recording",
        "fit",
        lambda s: realistic_session(s, watch=perfect_watch(recording="smart")),
    ),
    _scenario(
        "late_laps",
        "alone: late laps",
        "perfect watch, lap button 1-3 s late",
        "fit",
        lambda s: realistic_session(s, watch=Watch.noiseless(lap_press_delay_s=(1.0, 3.0))),
    ),
    _scenario(
        "auto_km",
        "alone: 1 km auto-laps",
        "perfect watch, 1 km auto-laps",
        "fit",
        lambda s: realistic_session(s, watch=perfect_watch(laps="auto_km")),
    ),
    _scenario(
        "auto_pause",
        "alone: auto-pause",
        "perfect watch, auto-pause, standing rests",
        "fit",
        lambda s: realistic_session(s, watch=perfect_watch(auto_pause=True), rest_mode="stand"),
    ),
    _scenario(
        "typical_watch",
        "typical watch",
        "a typical GPS watch, laps at each rep",
        "fit",
        lambda s: realistic_session(s),
    ),
    _scenario(
        "no_laps",
        "typical watch",
        "a typical GPS watch, no laps",
        "fit",
        lambda s: realistic_session(s, watch=Watch(laps="none")),
    ),
    _scenario(
        "structured",
        "typical watch",
        "a typical GPS watch following a structured workout",
        "fit",
        lambda s: realistic_session(s, watch=Watch(laps="workout")),
    ),
    _scenario(
        "strava_gpx",
        "GPX (no speed, no laps)",
        "typical watch exported by Strava as GPX",
        "gpx",
        lambda s: realistic_session(s, watch=Watch(laps="none")),
    ),
    _scenario(
        "garmin_gpx_smart",
        "GPX (no speed, no laps)",
        "smart recording exported by Garmin Connect as GPX",
        "gpx.gz",
        lambda s: realistic_session(s, watch=Watch(laps="none", recording="smart")),
    ),
    _scenario("tcx", "TCX", "typical watch, laps, exported as TCX", "tcx", lambda s: realistic_session(s)),
    _scenario(
        "treadmill",
        "treadmill",
        "treadmill with a footpod, no GPS",
        "fit",
        lambda s: realistic_session(s, watch=Watch(gps=False, footpod=True), venue=Treadmill(), rest_mode="stand"),
    ),
    _scenario(
        "strides",
        "runner: strides",
        "4-6 strides after the warm-up, no laps",
        "fit",
        lambda s: realistic_session(s, watch=Watch(laps="none"), strides=4 + s % 3),
    ),
    _scenario(
        "missing_rep",
        "runner: missing/extra rep",
        "a plain rep skipped",
        "fit",
        lambda s: _skip_one(s, realistic_session(s, watch=Watch(laps="none"))),
    ),
    _scenario(
        "extra_rep",
        "runner: missing/extra rep",
        "one plain rep more than planned",
        "fit",
        lambda s: with_plan(realistic_session(s, watch=Watch(laps="none")), extra_reps=1),
    ),
    _scenario(
        "pacing_errors",
        "runner: pacing",
        "first rep 5 % fast, then 2 % slower each rep",
        "fit",
        lambda s: realistic_session(s, watch=Watch(laps="none"), first_rep_fast_pct=5.0, fade_per_rep_pct=2.0),
    ),
    _scenario(
        "rolling_jog",
        "runner: pacing",
        "rolling starts from jogged rests",
        "fit",
        lambda s: realistic_session(s, watch=Watch(laps="none"), rolling_start=True, rest_mode="jog"),
    ),
    _scenario(
        "sprinters_250",
        "workout: 200/250",
        "sprinters' 200 m / 200 m + 50 m kick",
        "fit",
        lambda s: realistic_session(s, workout="250", watch=Watch(laps="none"), sprint_speed_max_mps=9.0),
    ),
    _scenario(
        "custom_800_200",
        "workout: 3x(800+200)",
        "3 x (800 m + 200 m kick)",
        "fit",
        lambda s: realistic_session(s, workout="800", watch=Watch(laps="none")),
    ),
    _scenario(
        "everything",
        "combined",
        "smart, noisy GPS, +3 %, 2 s lag, auto-pause, strides, late laps, a skipped rep, gzipped",
        "fit.gz",
        lambda s: _skip_one(
            s,
            realistic_session(
                s,
                watch=Watch(
                    recording="smart",
                    gps_sigma_m=5.0,
                    gps_white_m=1.0,
                    speed_lag_s=2.0,
                    distance_bias_pct=3.0,
                    auto_pause=True,
                    lap_press_delay_s=(0.5, 3.0),
                ),
                strides=4,
                rest_mode="walk_then_stand",
            ),
        ),
    ),
    # Failure kinds of the real sessions (shared/real_intervals).
    _scenario(
        "timed_60s",
        "real-like: timed reps",
        "8 x 60 s by time with jogged recoveries, laps at each rep",
        "fit",
        _timed_session,
    ),
    _scenario(
        "no_warmup",
        "real-like: no warm-up",
        "the watch started on the line: the file begins with rep 1",
        "fit",
        lambda s: realistic_session(s, watch=Watch(laps="none"), warmup_s=0.0),
    ),
    _scenario(
        "low_contrast",
        "real-like: low contrast",
        "reps ~1.2x the recovery jog, rolling starts, no laps",
        "fit",
        _low_contrast,
    ),
    _scenario(
        "walk_recoveries",
        "real-like: walk recoveries",
        "walked recoveries, reps started from the walk, smart recording",
        "fit",
        lambda s: realistic_session(
            s, watch=Watch(laps="none", recording="smart"), rolling_start=True, rest_mode="walk"
        ),
    ),
)


def benchmark_cases(
    seeds_per_scenario: int = 2, first_seed: int = 1000, scenarios: tuple[Scenario, ...] = BENCHMARK
) -> list[tuple[Scenario, int]]:
    """The benchmark's sessions: every :data:`BENCHMARK` scenario with ``seeds_per_scenario`` seeds."""
    return [
        (scenario, first_seed + 100 * position + k)
        for position, scenario in enumerate(scenarios)
        for k in range(seeds_per_scenario)
    ]


# --- the track correction's benchmark -----------------------------------------------------------


def _track_session(
    seed: int,
    *,
    watch: Watch,
    workout: str = "500",
    rep_lane: int = 1,
    easy_lane: int = 3,
    road_share: float = 0.6,
    **athlete_changes: object,
) -> SessionConfig:
    """A session on a track drawn from the seed, without laps, reps in ``rep_lane``.

    The runner's line is drawn 0.2-0.5 m outside the inner edge of the lane (real runners do
    not run the measured line), from a stream of its own so the other draws keep their values.
    """
    config = realistic_session(seed, workout=workout, watch=watch)
    if not isinstance(config.venue, Track):
        raise TypeError("a track session needs a track")
    line_m = float(np.random.default_rng([seed, 0x7AC4]).uniform(*LINE_FROM_KERB_RANGE_M))
    venue = dataclasses.replace(
        config.venue, rep_lane=rep_lane, easy_lane=easy_lane, road_share=road_share, line_from_kerb_m=line_m
    )
    athlete = dataclasses.replace(config.athlete, **athlete_changes)  # type: ignore[arg-type]
    return dataclasses.replace(config, venue=venue, athlete=athlete)


def _track_watch(bias_pct: float, **changes: object) -> Watch:
    """A typical GPS watch without laps that reads the track ``bias_pct`` long (negative: short)."""
    return dataclasses.replace(Watch(laps="none", distance_bias_pct=bias_pct), **changes)  # type: ignore[arg-type]


def _biased(bias_pct: float) -> Callable[[int], SessionConfig]:
    """The build of a track session whose watch reads ``bias_pct`` long."""
    return lambda seed: _track_session(seed, watch=_track_watch(bias_pct))


def _varied(seed: int, *, workout: str = "500", recording: RecordingMode = "1s") -> SessionConfig:
    """A track session whose lane, GPS error and distance bias are all drawn from the seed.

    Reps in lane 1-3 (easy running two lanes out), a watch reading the track -4 % to +4 %,
    a correlated GPS error of 2-6 m (30-60 s) with 0.3-1 m of white noise.
    """
    rng = np.random.default_rng([seed, 0x7A4E])
    lane = int(rng.integers(1, 4))
    watch = _track_watch(
        float(rng.uniform(*TRACK_BIAS_RANGE_PCT)),
        gps_sigma_m=float(rng.uniform(*GPS_SIGMA_RANGE_M)),
        gps_tau_s=float(rng.uniform(30.0, 60.0)),
        gps_white_m=float(rng.uniform(0.3, 1.0)),
        recording=recording,
    )
    return _track_session(seed, watch=watch, workout=workout, rep_lane=lane, easy_lane=lane + 2)


def _track_scenario(name: str, condition: str, description: str, build: Callable[[int], SessionConfig]) -> Scenario:
    return _scenario(name, condition, description, "fit", build)


#: Sessions on a 400 m track for the track correction (each run with several seeds): a watch
#: without laps reading the track from 5 % short to 5 % long, then one condition at a time.
TRACK_BENCHMARK: tuple[Scenario, ...] = (
    *(
        _track_scenario(
            f"track_bias_{bias:+g}",
            f"track: bias {bias:+g} %",
            f"typical watch reading the track {bias:+g} %",
            _biased(bias),
        )
        for bias in (-5.0, -2.5, 2.5, 5.0)
    ),
    _track_scenario(
        "track_gps_6m",
        "track: GPS error 6 m",
        "6 m correlated GPS error (30 s), +3 %",
        lambda s: _track_session(s, watch=_track_watch(3.0, gps_sigma_m=6.0, gps_tau_s=30.0, gps_white_m=1.0)),
    ),
    _track_scenario(
        "track_lane_2",
        "track: lanes 2-3",
        "reps in lane 2, easy running in lane 4, -3 %",
        lambda s: _track_session(s, watch=_track_watch(-3.0), rep_lane=2, easy_lane=4),
    ),
    _track_scenario(
        "track_lane_3",
        "track: lanes 2-3",
        "reps in lane 3, easy running in lane 5, +3 %",
        lambda s: _track_session(s, watch=_track_watch(3.0), rep_lane=3, easy_lane=5),
    ),
    dataclasses.replace(
        _track_scenario(
            "track_clockwise",
            "track: clockwise",
            "the session run clockwise, +4 %",
            lambda s: _track_session(s, watch=_track_watch(4.0)),
        ),
        clockwise=True,
    ),
    _track_scenario(
        "track_road_warmup",
        "track: road warm-up",
        "95 % of the warm-up on the roads around the stadium, -4 %",
        lambda s: _track_session(s, watch=_track_watch(-4.0), road_share=0.95),
    ),
    _track_scenario(
        "track_rolling",
        "track: rolling starts",
        "reps started from jogged rests, +4 %",
        lambda s: _track_session(s, watch=_track_watch(4.0), rolling_start=True, rest_mode="jog"),
    ),
    _track_scenario(
        "track_gentle_starts",
        "track: gentle starts",
        "reps built up from jogged rests over 10-15 s (no sharp start to time them on), +4 %",
        lambda s: _track_session(s, watch=_track_watch(4.0), rolling_start=True, rest_mode="jog", accel_tau_s=4.0),
    ),
    _scenario(
        "track_gpx",
        "track: GPX",
        "typical watch exported as GPX (distance summed from positions)",
        "gpx",
        lambda s: _track_session(s, watch=_track_watch(0.0)),
    ),
    _track_scenario(
        "track_mode",
        "track: watch in track mode",
        "FIT sub_sport track, -4 %",
        lambda s: _track_session(s, watch=_track_watch(-4.0, profile="track_run")),
    ),
    _track_scenario(
        "track_250",
        "track: 200/250",
        "sprinters' 200 m / 200 m + 50 m kick, +4 %",
        lambda s: _track_session(s, workout="250", watch=_track_watch(4.0)),
    ),
    _track_scenario(
        "track_800",
        "track: 3x(800+200)",
        "3 x (800 m + 200 m kick), -4 %",
        lambda s: _track_session(s, workout="800", watch=_track_watch(-4.0)),
    ),
    # Everything drawn at once: lane 1-3, -4 % to +4 %, a 2-6 m GPS error, 1 s or smart recording.
    _track_scenario(
        "track_varied",
        VARIED_TRACK_CONDITION,
        "lane 1-3, -4 % to +4 %, GPS error 2-6 m, 1 s recording",
        _varied,
    ),
    _track_scenario(
        "track_varied_smart",
        VARIED_TRACK_CONDITION,
        "lane 1-3, -4 % to +4 %, GPS error 2-6 m, smart recording",
        lambda s: _varied(s, recording="smart"),
    ),
    _track_scenario(
        "track_varied_250",
        VARIED_TRACK_CONDITION,
        "sprinters' 200/250 in lane 1-3, -4 % to +4 %, GPS error 2-6 m, smart recording",
        lambda s: _varied(s, workout="250", recording="smart"),
    ),
    _track_scenario(
        "track_varied_800",
        VARIED_TRACK_CONDITION,
        "3 x (800 m + 200 m kick) in lane 1-3, -4 % to +4 %, GPS error 2-6 m, 1 s recording",
        lambda s: _varied(s, workout="800"),
    ),
)


def track_benchmark_cases(seeds_per_scenario: int = 2, first_seed: int = 5000) -> list[tuple[Scenario, int]]:
    """The track correction's sessions: every :data:`TRACK_BENCHMARK` scenario with its seeds."""
    return benchmark_cases(seeds_per_scenario, first_seed, TRACK_BENCHMARK)
