"""Named, seeded scenarios: the sample files and the accuracy benchmark's sessions.

A :class:`Scenario` turns a seed into a :class:`~.config.SessionConfig` (drawing the pace, the
workout variant, the warm-up and so on from the seed) and names the file format it is written
in. :data:`SAMPLES` are the files in ``sample_data/``; :func:`benchmark_cases` lists the
benchmark's sessions: every watch imperfection alone (on an otherwise perfect watch), then
combined, across both workout presets, a custom 3x(800 m + 200 m kick) and paces from 3:00 to
6:30/km. :data:`TRACK_BENCHMARK` are the sessions the track correction is measured on
(:func:`track_benchmark_cases`): a typical watch reading the track 5 % short to 5 % long, a
6 m GPS error, reps in lanes 1-3, a clockwise session, a long road warm-up, rolling starts,
gentle starts built up over 10-15 s, a GPX export, a watch in its track mode, the other two
workouts, and sessions with everything drawn at once (lane 1-3, -4 % to +4 %, a 2-6 m GPS
error, 1 s or smart recording). Every track runner runs 0.2-0.5 m outside the inner edge of
the lane, not on its measured line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..geo import latlon_from_xy_m
from ..models import PlannedRep, Workout
from ..workout import format_workout
from ..workout.presets import preset_workout
from .config import Athlete, RecordingMode, RestMode, SessionConfig, SessionPlan, Track, Treadmill, Watch
from .place import track_xy_from_latlon
from .session import FORMATS, SimulatedSession, simulate_session

__all__ = [
    "BENCHMARK",
    "SAMPLES",
    "TRACK_BENCHMARK",
    "Scenario",
    "benchmark_cases",
    "custom_800_200",
    "hard_kick_250",
    "hard_kick_500",
    "track_benchmark_cases",
]

#: Fastest and slowest rep paces the benchmark draws from [s/km].
PACE_RANGE_S_PER_KM = (180.0, 390.0)
#: How far outside the inner edge of their lane track runners run [m].
LINE_FROM_KERB_RANGE_M = (0.2, 0.5)
#: Distance bias of the varied track sessions' watches [%] and their GPS error [m].
TRACK_BIAS_RANGE_PCT = (-4.0, 4.0)
GPS_SIGMA_RANGE_M = (2.0, 6.0)
_REST_MODES: tuple[RestMode, ...] = ("walk", "stand", "walk_then_stand", "jog")


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A recipe for sessions: ``build(seed)`` gives the config; files are written as ``file_format``.

    ``condition`` groups scenarios in the benchmark's breakdown. ``clockwise`` mirrors the
    recorded positions across the track's long axis: the simulator lays every session out
    anticlockwise, and the mirror image of an anticlockwise session is a clockwise one (the
    runner, the watch's distance and the truth are unchanged).
    """

    name: str
    description: str
    file_format: str
    condition: str
    build: Callable[[int], SessionConfig]
    clockwise: bool = False

    def simulate(self, seed: int) -> SimulatedSession:
        """Simulate this scenario with ``seed``."""
        session = simulate_session(self.build(seed), seed, scenario=self.name)
        return _mirrored(session) if self.clockwise else session

    def file_bytes(self, session: SimulatedSession) -> bytes:
        """The session written in this scenario's format."""
        return session.to_bytes(self.file_format)


def hard_kick_500(pace_s_per_km: float, plain: int = 4, kicks: int = 2) -> Workout:
    """The hard kick preset: 400 m reps at the pace, the last ones with a 100 m kick."""
    return _preset("hard-kick-500", pace_s_per_km, plain, kicks)


def hard_kick_250(pace_s_per_km: float, plain: int = 4, kicks: int = 2) -> Workout:
    """The sprinters' preset: 200 m reps, then 250 m reps (200 m + 50 m kick)."""
    return _preset("hard-kick-250", pace_s_per_km, plain, kicks)


def _preset(name: str, pace_s_per_km: float, plain: int, kicks: int) -> Workout:
    """The preset of :mod:`hardkick_analyze.workout` at a pace, with ``plain`` reps then ``kicks`` kick reps."""
    preset = preset_workout(name)
    assert preset is not None, name
    plain_rep, kick_rep = (
        dataclasses.replace(r, pace_s_per_km=pace_s_per_km) for r in (preset.reps[0], preset.reps[-1])
    )
    return _written(
        Workout(
            spec="",
            reps=(plain_rep,) * plain + (kick_rep,) * kicks,
            name=name.replace("-", " "),
            flexible_plain_reps=True,
        )
    )


def custom_800_200(pace_s_per_km: float) -> Workout:
    """A custom spec: 3 x (800 m at the pace + 200 m kick)."""
    return _written(
        Workout(spec="", reps=(PlannedRep(distance_m=800.0, pace_s_per_km=pace_s_per_km, kick_m=200.0),) * 3)
    )


def _written(workout: Workout) -> Workout:
    """The workout with its spec in the notation :func:`~hardkick_analyze.workout.parse_workout` reads."""
    return dataclasses.replace(workout, spec=format_workout(workout))


def _draws(seed: int) -> np.random.Generator:
    """Scenario-level choices, independent of the simulator's own streams for the same seed."""
    return np.random.default_rng([seed, 0x5CE7])


def _session(
    seed: int,
    *,
    workout: str = "500",
    watch: Watch | None = None,
    venue: Track | Treadmill | None = None,
    **athlete_changes: object,
) -> SessionConfig:
    """A realistic session for ``seed``: pace, rests, warm-up and rest habits drawn from it."""
    rng = _draws(seed)
    pace = float(rng.uniform(*PACE_RANGE_S_PER_KM))
    if workout == "250":
        # Sprinters run their 200s fast: 2:50-4:00/km.
        plan_workout = hard_kick_250(float(rng.uniform(170.0, 240.0)), plain=int(rng.integers(3, 6)))
    elif workout == "800":
        plan_workout = custom_800_200(pace)
    else:
        plan_workout = hard_kick_500(pace, plain=int(rng.integers(3, 6)), kicks=int(rng.integers(1, 3)))
    athlete = Athlete(
        warmup_s=float(rng.uniform(600.0, 1200.0)),
        cooldown_s=float(rng.uniform(300.0, 720.0)),
        rest_mode=_REST_MODES[int(rng.integers(len(_REST_MODES)))],
        # Easy speeds scale with the runner: a 6:30/km rep runner jogs at 8:30-9:30/km, not at
        # a fast runner's 7:00/km. Recovery jogs run at 60-72 % of the rep speed.
        warmup_speed_mps=float(np.clip(1000.0 / pace * 0.78, 1.9, 3.8)),
        cooldown_speed_mps=float(np.clip(1000.0 / pace * 0.72, 1.8, 3.4)),
        jog_speed_mps=float(np.clip(1000.0 / pace * rng.uniform(0.60, 0.72), 1.7, 3.4)),
    )
    athlete = dataclasses.replace(athlete, **athlete_changes)  # type: ignore[arg-type]
    plan = SessionPlan(
        workout=plan_workout,
        rest_s=float(rng.uniform(60.0, 180.0)),
        name=plan_workout.name or "Intervals",
    )
    # Tracks all over the world, in every orientation.
    track = Track(
        lat_deg=float(rng.uniform(-45.0, 62.0)),
        lon_deg=float(rng.uniform(-125.0, 150.0)),
        bearing_deg=float(rng.uniform(0.0, 360.0)),
        elevation_m=float(rng.uniform(0.0, 1500.0)),
    )
    return SessionConfig(plan=plan, athlete=athlete, watch=watch or Watch(), venue=venue or track)


def _with_plan(config: SessionConfig, **changes: object) -> SessionConfig:
    return dataclasses.replace(config, plan=dataclasses.replace(config.plan, **changes))  # type: ignore[arg-type]


def _perfect(**changes: object) -> Watch:
    """The benchmark's base watch for "one imperfection alone": perfect, no laps."""
    return Watch.noiseless(**{"laps": "none", **changes})


# --- the sample files ---------------------------------------------------------------------------


def _sample_500_laps(seed: int) -> SessionConfig:
    return SessionConfig(
        plan=SessionPlan(workout=hard_kick_500(295.0), rest_s=120.0, name="Hard kick 500"),
        athlete=Athlete(warmup_s=720.0, cooldown_s=360.0),
        watch=Watch(profile="track_run"),
    )


def _sample_500_strava(seed: int) -> SessionConfig:
    return SessionConfig(
        plan=SessionPlan(workout=hard_kick_500(280.0, plain=5, kicks=1), rest_s=90.0, name="Evening hard kick"),
        athlete=Athlete(warmup_s=660.0, cooldown_s=300.0, rest_mode="walk_then_stand"),
        watch=Watch(laps="none", recording="smart"),
        venue=Track(lat_deg=51.4937, lon_deg=-0.1016, bearing_deg=160.0, elevation_m=12.0),
    )


def _sample_250(seed: int) -> SessionConfig:
    return SessionConfig(
        plan=SessionPlan(workout=hard_kick_250(190.0), rest_s=150.0, name="Hard kick 250"),
        athlete=Athlete(warmup_s=600.0, cooldown_s=300.0, sprint_speed_max_mps=9.0, rest_mode="stand"),
        watch=Watch(recording="smart"),
        venue=Track(lat_deg=40.4400, lon_deg=-3.6870, bearing_deg=20.0, elevation_m=655.0),
    )


def _sample_noisy(seed: int) -> SessionConfig:
    watch = Watch(
        recording="smart",
        gps_sigma_m=5.0,
        gps_tau_s=30.0,
        gps_white_m=1.0,
        speed_lag_s=2.0,
        speed_noise_mps=0.15,
        distance_bias_pct=3.0,
        lap_press_delay_s=(0.5, 3.0),
    )
    return SessionConfig(
        plan=SessionPlan(workout=hard_kick_500(320.0), rest_s=100.0, name="Hard kick, cloudy day"),
        athlete=Athlete(warmup_s=780.0, cooldown_s=300.0, strides=4, first_rep_fast_pct=4.0),
        watch=watch,
        venue=Track(lat_deg=47.3769, lon_deg=8.5417, bearing_deg=105.0, elevation_m=410.0, lane_wander_m=0.4),
    )


def _sample_treadmill(seed: int) -> SessionConfig:
    return SessionConfig(
        plan=SessionPlan(workout=hard_kick_500(300.0, plain=4, kicks=1), rest_s=90.0, name="Treadmill hard kick"),
        athlete=Athlete(warmup_s=600.0, cooldown_s=300.0, rest_mode="stand"),
        watch=Watch(gps=False, footpod=True),
        venue=Treadmill(),
    )


#: The files in ``sample_data/``: name -> (scenario, seed).
SAMPLES: dict[str, tuple[Scenario, int]] = {
    s.name: (s, seed)
    for s, seed in (
        (
            Scenario(
                name="hard_kick_500_laps",
                description="4x400 m @ 4:55/km + 2x(400 m + 100 m kick), lap button at each rep, 1 s",
                file_format="fit",
                condition="sample",
                build=_sample_500_laps,
            ),
            500,
        ),
        (
            Scenario(
                name="hard_kick_500_strava",
                description="5x400 m @ 4:40/km + 400 m + 100 m kick, no laps, smart recording, Strava GPX",
                file_format="gpx",
                condition="sample",
                build=_sample_500_strava,
            ),
            501,
        ),
        (
            Scenario(
                name="hard_kick_250",
                description="sprinters: 4x200 m @ 3:10/km + 2x(200 m + 50 m kick), standing rests, TCX",
                file_format="tcx",
                condition="sample",
                build=_sample_250,
            ),
            250,
        ),
        (
            Scenario(
                name="noisy_smart_strides",
                description="4x400 m @ 5:20/km + 2x(400 m + 100 m kick) after 4 strides; noisy GPS, +3 % "
                "distance, 2 s lag, late laps, too-fast first rep, smart recording",
                file_format="fit",
                condition="sample",
                build=_sample_noisy,
            ),
            502,
        ),
        (
            Scenario(
                name="treadmill",
                description="treadmill, footpod distance, no GPS: 4x400 m @ 5:00/km + 400 m + 100 m kick",
                file_format="fit",
                condition="sample",
                build=_sample_treadmill,
            ),
            503,
        ),
    )
}


# --- the benchmark ------------------------------------------------------------------------------


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
    return _with_plan(config, skipped_reps=(plain[-1] if plain else 0,))


def timed_reps(pace_s_per_km: float, count: int = 8, duration_s: float = 60.0) -> Workout:
    """``count`` x ``duration_s`` reps at a pace, set by time (a watch's time steps)."""
    reps = (PlannedRep(duration_s=duration_s, pace_s_per_km=pace_s_per_km),) * count
    return _written(Workout(spec="", reps=reps, name=f"{count}x{duration_s:g} s"))


def _timed_session(seed: int) -> SessionConfig:
    """8 x 60 s with jogged recoveries, as a watch's time-step workout records it."""
    config = _session(seed, watch=Watch(laps="manual"), rolling_start=True, rest_mode="jog")
    pace = config.plan.workout.reps[0].pace_s_per_km or 280.0
    return _with_plan(config, workout=timed_reps(pace), rest_s=float(_draws(seed).uniform(90.0, 180.0)))


def _low_contrast(seed: int) -> SessionConfig:
    """Reps only ~1.2x the recovery jog, started rolling (a tempo fartlek)."""
    config = _session(seed, watch=Watch(laps="none"), rolling_start=True, rest_mode="jog")
    pace = config.plan.workout.reps[0].pace_s_per_km or 280.0
    return dataclasses.replace(config, athlete=dataclasses.replace(config.athlete, jog_speed_mps=1000.0 / pace / 1.2))


#: The benchmark's scenarios, one per condition (each run with several seeds).
BENCHMARK: tuple[Scenario, ...] = (
    _scenario(
        "clean",
        "perfect watch",
        "perfect watch, laps at each rep",
        "fit",
        lambda s: _session(s, watch=Watch.noiseless()),
    ),
    _scenario(
        "gps_noise",
        "alone: GPS error",
        "perfect watch but a noisy GPS (5 m, 30 s)",
        "fit",
        lambda s: _session(s, watch=_perfect(gps_sigma_m=5.0, gps_tau_s=30.0, gps_white_m=1.0)),
    ),
    _scenario(
        "speed_lag",
        "alone: speed lag",
        "perfect watch but speed and distance 2.5 s late",
        "fit",
        lambda s: _session(s, watch=_perfect(speed_lag_s=2.5, speed_smoothing_s=2.0)),
    ),
    _scenario(
        "speed_noise",
        "alone: speed noise",
        "perfect watch but a noisy speed channel",
        "fit",
        lambda s: _session(s, watch=_perfect(speed_noise_mps=0.25)),
    ),
    _scenario(
        "reads_long",
        "alone: distance bias",
        "perfect watch but distance +4 %",
        "fit",
        lambda s: _session(s, watch=_perfect(distance_bias_pct=4.0, distance_bias_drift_pct=1.0)),
    ),
    _scenario(
        "reads_short",
        "alone: distance bias",
        "perfect watch but distance -3 %",
        "fit",
        lambda s: _session(s, watch=_perfect(distance_bias_pct=-3.0, distance_bias_drift_pct=1.0)),
    ),
    _scenario(
        "smart",
        "alone: smart recording",
        "perfect watch, smart recording",
        "fit",
        lambda s: _session(s, watch=_perfect(recording="smart")),
    ),
    _scenario(
        "late_laps",
        "alone: late laps",
        "perfect watch, lap button 1-3 s late",
        "fit",
        lambda s: _session(s, watch=Watch.noiseless(lap_press_delay_s=(1.0, 3.0))),
    ),
    _scenario(
        "auto_km",
        "alone: 1 km auto-laps",
        "perfect watch, 1 km auto-laps",
        "fit",
        lambda s: _session(s, watch=_perfect(laps="auto_km")),
    ),
    _scenario(
        "auto_pause",
        "alone: auto-pause",
        "perfect watch, auto-pause, standing rests",
        "fit",
        lambda s: _session(s, watch=_perfect(auto_pause=True), rest_mode="stand"),
    ),
    _scenario(
        "typical_watch",
        "typical watch",
        "a typical GPS watch, laps at each rep",
        "fit",
        lambda s: _session(s),
    ),
    _scenario(
        "no_laps",
        "typical watch",
        "a typical GPS watch, no laps",
        "fit",
        lambda s: _session(s, watch=Watch(laps="none")),
    ),
    _scenario(
        "structured",
        "typical watch",
        "a typical GPS watch following a structured workout",
        "fit",
        lambda s: _session(s, watch=Watch(laps="workout")),
    ),
    _scenario(
        "strava_gpx",
        "GPX (no speed, no laps)",
        "typical watch exported by Strava as GPX",
        "gpx",
        lambda s: _session(s, watch=Watch(laps="none")),
    ),
    _scenario(
        "garmin_gpx_smart",
        "GPX (no speed, no laps)",
        "smart recording exported by Garmin Connect as GPX",
        "gpx.gz",
        lambda s: _session(s, watch=Watch(laps="none", recording="smart")),
    ),
    _scenario("tcx", "TCX", "typical watch, laps, exported as TCX", "tcx", lambda s: _session(s)),
    _scenario(
        "treadmill",
        "treadmill",
        "treadmill with a footpod, no GPS",
        "fit",
        lambda s: _session(s, watch=Watch(gps=False, footpod=True), venue=Treadmill(), rest_mode="stand"),
    ),
    _scenario(
        "strides",
        "runner: strides",
        "4-6 strides after the warm-up, no laps",
        "fit",
        lambda s: _session(s, watch=Watch(laps="none"), strides=4 + s % 3),
    ),
    _scenario(
        "missing_rep",
        "runner: missing/extra rep",
        "a plain rep skipped",
        "fit",
        lambda s: _skip_one(s, _session(s, watch=Watch(laps="none"))),
    ),
    _scenario(
        "extra_rep",
        "runner: missing/extra rep",
        "one plain rep more than planned",
        "fit",
        lambda s: _with_plan(_session(s, watch=Watch(laps="none")), extra_reps=1),
    ),
    _scenario(
        "pacing_errors",
        "runner: pacing",
        "first rep 5 % fast, then 2 % slower each rep",
        "fit",
        lambda s: _session(s, watch=Watch(laps="none"), first_rep_fast_pct=5.0, fade_per_rep_pct=2.0),
    ),
    _scenario(
        "rolling_jog",
        "runner: pacing",
        "rolling starts from jogged rests",
        "fit",
        lambda s: _session(s, watch=Watch(laps="none"), rolling_start=True, rest_mode="jog"),
    ),
    _scenario(
        "sprinters_250",
        "workout: 200/250",
        "sprinters' 200 m / 200 m + 50 m kick",
        "fit",
        lambda s: _session(s, workout="250", watch=Watch(laps="none"), sprint_speed_max_mps=9.0),
    ),
    _scenario(
        "custom_800_200",
        "workout: 3x(800+200)",
        "3 x (800 m + 200 m kick)",
        "fit",
        lambda s: _session(s, workout="800", watch=Watch(laps="none")),
    ),
    _scenario(
        "everything",
        "combined",
        "smart, noisy GPS, +3 %, 2 s lag, auto-pause, strides, late laps, a skipped rep, gzipped",
        "fit.gz",
        lambda s: _skip_one(
            s,
            _session(
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
        lambda s: _session(s, watch=Watch(laps="none"), warmup_s=0.0),
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
        lambda s: _session(s, watch=Watch(laps="none", recording="smart"), rolling_start=True, rest_mode="walk"),
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
    config = _session(seed, workout=workout, watch=watch)
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


def _mirrored(session: SimulatedSession) -> SimulatedSession:
    """The session run clockwise: positions mirrored across the track's long axis."""
    venue = session.config.venue
    records = session.recorded.records
    if not isinstance(venue, Track) or records["lat_deg"].isna().all():
        return session
    x, y = track_xy_from_latlon(records["lat_deg"].to_numpy(), records["lon_deg"].to_numpy(), venue)
    bearing = np.radians(venue.bearing_deg)
    # Track frame -> east/north with y mirrored (the inverse of track_xy_from_latlon, y -> -y).
    east = x * np.sin(bearing) + y * np.cos(bearing)
    north = x * np.cos(bearing) - y * np.sin(bearing)
    lat, lon = latlon_from_xy_m(east, north, venue.lat_deg, venue.lon_deg)
    mirrored = records.assign(lat_deg=lat, lon_deg=lon)
    return dataclasses.replace(session, recorded=dataclasses.replace(session.recorded, records=mirrored))


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
        "track: varied",
        "lane 1-3, -4 % to +4 %, GPS error 2-6 m, 1 s recording",
        _varied,
    ),
    _track_scenario(
        "track_varied_smart",
        "track: varied",
        "lane 1-3, -4 % to +4 %, GPS error 2-6 m, smart recording",
        lambda s: _varied(s, recording="smart"),
    ),
    _track_scenario(
        "track_varied_250",
        "track: varied",
        "sprinters' 200/250 in lane 1-3, -4 % to +4 %, GPS error 2-6 m, smart recording",
        lambda s: _varied(s, workout="250", recording="smart"),
    ),
    _track_scenario(
        "track_varied_800",
        "track: varied",
        "3 x (800 m + 200 m kick) in lane 1-3, -4 % to +4 %, GPS error 2-6 m, 1 s recording",
        lambda s: _varied(s, workout="800"),
    ),
)


def track_benchmark_cases(seeds_per_scenario: int = 2, first_seed: int = 5000) -> list[tuple[Scenario, int]]:
    """The track correction's sessions: every :data:`TRACK_BENCHMARK` scenario with its seeds."""
    return benchmark_cases(seeds_per_scenario, first_seed, TRACK_BENCHMARK)
