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
from .config import Athlete, RestMode, SessionConfig, SessionPlan, Track, Treadmill, Watch
from .positions import track_xy_from_latlon
from .session import SimulatedSession, simulate_session

__all__ = [
    "SAMPLES",
    "Scenario",
    "custom_800_200",
    "hard_kick_250",
    "hard_kick_500",
    "perfect_watch",
    "realistic_session",
    "scenario_draws",
    "timed_reps",
    "with_plan",
    "written",
]

#: Fastest and slowest rep paces the benchmark draws from [s/km].
PACE_RANGE_S_PER_KM = (180.0, 390.0)
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
    return written(
        Workout(
            spec="",
            reps=(plain_rep,) * plain + (kick_rep,) * kicks,
            name=name.replace("-", " "),
            flexible_plain_reps=True,
        )
    )


def custom_800_200(pace_s_per_km: float) -> Workout:
    """A custom spec: 3 x (800 m at the pace + 200 m kick)."""
    return written(
        Workout(spec="", reps=(PlannedRep(distance_m=800.0, pace_s_per_km=pace_s_per_km, kick_m=200.0),) * 3)
    )


def written(workout: Workout) -> Workout:
    """The workout with its spec in the notation :func:`~hardkick_analyze.workout.parse_workout` reads."""
    return dataclasses.replace(workout, spec=format_workout(workout))


def timed_reps(pace_s_per_km: float, count: int = 8, duration_s: float = 60.0) -> Workout:
    """``count`` x ``duration_s`` reps at a pace, set by time (a watch's time steps)."""
    reps = (PlannedRep(duration_s=duration_s, pace_s_per_km=pace_s_per_km),) * count
    return written(Workout(spec="", reps=reps, name=f"{count}x{duration_s:g} s"))


def scenario_draws(seed: int) -> np.random.Generator:
    """Scenario-level choices, independent of the simulator's own streams for the same seed."""
    return np.random.default_rng([seed, 0x5CE7])


def realistic_session(
    seed: int,
    *,
    workout: str = "500",
    watch: Watch | None = None,
    venue: Track | Treadmill | None = None,
    **athlete_changes: object,
) -> SessionConfig:
    """A realistic session for ``seed``: pace, rests, warm-up and rest habits drawn from it."""
    rng = scenario_draws(seed)
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


def with_plan(config: SessionConfig, **changes: object) -> SessionConfig:
    return dataclasses.replace(config, plan=dataclasses.replace(config.plan, **changes))  # type: ignore[arg-type]


def perfect_watch(**changes: object) -> Watch:
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
