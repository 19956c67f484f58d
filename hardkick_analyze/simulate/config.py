"""What to simulate: the athlete, the venue, the watch and the session plan, as frozen values.

Every imperfection is a field with a plausible default and an off switch, so that
:meth:`Watch.noiseless` and :meth:`Athlete.metronomic` give a session whose recording is the
truth itself (up to the file format's resolution). Fields hold intentions; the simulator adds
the natural variation around them from the seed (rest lengths, pace drift, kick fade).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..models import Workout

__all__ = [
    "Athlete",
    "LapMode",
    "Profile",
    "RecordingMode",
    "RestMode",
    "SessionConfig",
    "SessionPlan",
    "Track",
    "Treadmill",
    "Venue",
    "Watch",
]

RestMode = Literal["stand", "walk", "jog", "walk_then_stand"]
LapMode = Literal["manual", "none", "auto_km", "workout"]
Profile = Literal["run", "track_run"]
RecordingMode = Literal["1s", "smart"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Athlete:
    """How the runner moves.

    Attributes
    ----------
    accel_tau_s
        Time constant of the exponential approach to rep pace at the start of a rep [s]; 1.2 s
        reaches 95 % of the pace in about 3.6 s, as sprint-start models (Furusawa et al. 1927;
        Clark & Ryan 2022: tau about 1 s) suggest for a hard, not maximal, start.
    rolling_start
        Start reps from the rest's walk or jog instead of from standing.
    start_lead_stand_s, start_lead_jog_s
        How long before the start line the runner begins to speed up, from a stand or a walk
        and from a jog, drawn per rep from the range [s]. On the real FIT files' lap messages
        (``python -m bench.ramps --format fit`` on ``shared/real_intervals``) a lap from a
        stand starts about 0.3 of the way up the recorded speed ramp, one from a jog about 0.57:
        the lap is pressed as the runner moves off, and a runner jogging in speeds up into the
        line. (The GPX files' laps, mapped from a splits CSV, sit about a second later and are
        not the target.)
    end_lead_s
        How long before the finish line the runner begins to ease into the rest [s]; real FIT
        laps end at the very start of the ramp down (0.0 of the way into a stand, 0.08 into a
        jog): the runner stops the lap at the line and eases only after it.
    kick_lead_s
        How long before the kick's mark the wind-up begins [s]: the kick starts where the
        sprint leaves the rep's pace, a fifth of the way up (the segmenter's ``KICK_FRACTION``).
    pace_drift_pct, pace_drift_tau_s
        Slow wandering of the speed within a rep (Ornstein-Uhlenbeck, std [%], correlation
        time [s]); the runner corrects on feel, not on a metronome.
    rep_pace_sd_pct
        Rep-to-rep scatter of the pace actually run [% of the target pace].
    first_rep_fast_pct
        The first rep run this much faster than prescribed [%] (a classic pacing error).
    fade_per_rep_pct
        Each rep run this much slower than the one before [%] (a tiring runner).
    kick_peak_ratio
        Kick top speed / rep speed; ``None`` chooses by level: 2.0 at 2.5 m/s falling to 1.4
        at 5.5 m/s, since slow runners have proportionally more sprint reserve.
    sprint_speed_max_mps
        Highest speed this runner can reach [m/s]; caps the kick and the strides.
    kick_rise_s
        Time from the kick's start to its top speed [s].
    kick_fade_pct
        Range the fade of each kick is drawn from, per the analysis issue's definition [%].
    rest_mode
        What the runner does between reps.
    walk_speed_mps, jog_speed_mps, warmup_speed_mps, cooldown_speed_mps
        Easy speeds [m/s].
    warmup_s, cooldown_s
        Length of the warm-up and cool-down jogs [s].
    strides
        Number of strides (80-100 m accelerations that look like kicks) after the warm-up.
    stride_m
        Length of a stride [m].
    """

    accel_tau_s: float = 1.2
    rolling_start: bool = False
    start_lead_stand_s: tuple[float, float] = (0.6, 1.5)
    start_lead_jog_s: tuple[float, float] = (1.4, 2.7)
    end_lead_s: tuple[float, float] = (0.0, 0.5)
    kick_lead_s: tuple[float, float] = (0.8, 1.6)
    pace_drift_pct: float = 1.0
    pace_drift_tau_s: float = 20.0
    rep_pace_sd_pct: float = 1.0
    first_rep_fast_pct: float = 0.0
    fade_per_rep_pct: float = 0.0
    kick_peak_ratio: float | None = None
    sprint_speed_max_mps: float = 8.0
    kick_rise_s: float = 3.0
    kick_fade_pct: tuple[float, float] = (4.0, 18.0)
    rest_mode: RestMode = "walk"
    walk_speed_mps: float = 1.35
    jog_speed_mps: float = 2.4
    warmup_speed_mps: float = 2.8
    cooldown_speed_mps: float = 2.6
    warmup_s: float = 900.0
    cooldown_s: float = 600.0
    strides: int = 0
    stride_m: float = 90.0

    @classmethod
    def metronomic(cls, **changes: object) -> Athlete:
        """A runner without pace drift or rep-to-rep scatter (for exact tests)."""
        base = cls(pace_drift_pct=0.0, rep_pace_sd_pct=0.0)
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True, kw_only=True)
class Track:
    """A standard 400 m track, placed on the Earth, with a road loop around the stadium.

    Attributes
    ----------
    lat_deg, lon_deg
        Centre of the infield [deg].
    bearing_deg
        Compass bearing of the home straight in the running direction [deg from north].
    elevation_m
        Height of the track [m]; the roads undulate by a few metres around it.
    rep_lane
        Lane the reps, kicks and strides are run in.
    easy_lane
        Lane used for jogging and walking on the track (lane 1 is left free for reps).
    line_from_kerb_m
        How far outside the inner edge of the lane (the kerb in lane 1, the lane's left line
        beyond) the runner runs on average [m]; ``None`` runs the lane's measured line (0.30 m
        in lane 1, 0.20 m beyond). Real runners hug the kerb by 0.2-0.5 m, so a rep run at
        0.5 m in lane 1 covers 2 pi 0.2 = 1.26 m more per lap than the 400 m line.
    lane_wander_m
        Standard deviation of the runner's zero-mean sideways wander about that line [m].
    road_share
        Share of the warm-up run on the roads before entering the track (the rest, and the
        start of the cool-down until the exit is reached, is on the track).
    """

    lat_deg: float = 48.2082
    lon_deg: float = 16.3738
    bearing_deg: float = 75.0
    elevation_m: float = 180.0
    rep_lane: int = 1
    easy_lane: int = 3
    line_from_kerb_m: float | None = None
    lane_wander_m: float = 0.25
    road_share: float = 0.6


@dataclass(frozen=True, slots=True, kw_only=True)
class Treadmill:
    """An indoor treadmill: the belt limits top speed and how fast the speed can change.

    Attributes
    ----------
    max_speed_mps
        Top belt speed [m/s] (25 km/h on common gym treadmills).
    accel_mps2
        How fast the belt speeds up [m/s^2].
    elevation_m
        Altitude the barometer reads indoors [m].
    """

    max_speed_mps: float = 6.94
    accel_mps2: float = 0.5
    elevation_m: float = 180.0


Venue = Track | Treadmill


@dataclass(frozen=True, slots=True, kw_only=True)
class Watch:
    """What the device records and how badly.

    The defaults describe a mid-range GPS running watch; :meth:`noiseless` switches every
    imperfection off.

    Attributes
    ----------
    recording
        ``'1s'`` (every second) or ``'smart'`` (Garmin "smart recording": a point when speed or
        heading changes, at most ``smart_max_gap_s`` apart).
    smart_max_gap_s, smart_speed_step_mps, smart_heading_step_deg
        Smart-recording thresholds: longest gap [s], speed change [m/s], heading change [deg].
    gps
        Record positions (a watch on a :class:`Treadmill` never does).
    gps_sigma_m, gps_tau_s, gps_white_m
        Horizontal position error: a per-axis Ornstein-Uhlenbeck process (standard deviation
        [m], correlation time [s]) plus white noise [m]. Civilian single-frequency fixes have
        errors correlated over tens of seconds to minutes (e.g. Sensors 2020, 20(21), 6050);
        epoch-to-epoch jitter is small because the receiver filters its fixes, and a metre of
        white noise already inflates the distance summed from 1 s positions by ~10 %.
    speed_lag_s
        Delay of the speed and distance channels behind the truth (device filtering) [s].
    speed_smoothing_s
        Time constant of the extra low-pass filter on the speed channel [s].
    speed_noise_mps
        Standard deviation of the speed measurement noise (Doppler or footpod) [m/s].
    distance_bias_pct, distance_bias_drift_pct
        Systematic over- (+) or under- (-) measurement of distance, and the standard deviation
        of its slow drift [%]. Watches read a track a few per cent long or short (bends cut or
        widened by the position filter, runners wide of the measured line).
    altimeter_error_m
        Calibration error of the barometric altitude [m] (a constant offset plus a slow
        drift of a fifth of it).
    heart_rate, hr_rest_bpm, hr_max_bpm, hr_tau_up_s, hr_tau_down_s
        Heart-rate channel: a first-order lag towards an effort-dependent target [bpm, s]
        (the heart's own lag, so :meth:`noiseless` keeps it).
    hr_noise_bpm
        Standard deviation of the sensor's heart-rate noise [bpm].
    cadence, cadence_noise_spm
        Record running cadence, and its noise [steps/min].
    laps
        ``'manual'`` (lap button at each rep's start and end), ``'none'`` (one lap),
        ``'auto_km'`` (a lap every device kilometre), ``'workout'`` (a structured workout whose
        run steps end on device distance and whose recoveries end on the lap button).
    lap_press_delay_s
        The lap button is pressed this much after the event, drawn from the range [s].
    auto_pause, auto_pause_stop_mps, auto_pause_resume_mps
        Stop the timer (no records) when the device speed falls below the stop speed, resume
        above the resume speed [m/s]; FIT timer stop/start events mark it.
    footpod, footpod_bias_pct, footpod_slope_pct_per_mps
        Speed and distance from a footpod instead of GPS; its error depends on pace because a
        single calibration cannot fit every pace [%, %/(m/s)] (accelerometer pods read within a
        few per cent once calibrated, at the calibration pace; fellrnr.com, "Footpod"). On a
        :class:`Treadmill` the footpod is always used.
    profile
        The watch's activity profile: ``'run'`` (FIT sub_sport generic) or ``'track_run'``
        (sub_sport track). A treadmill session is always sub_sport treadmill.
    product_name
        Device name written to the file.
    serial_number
        Device serial number written to FIT's file_id.
    """

    recording: RecordingMode = "1s"
    smart_max_gap_s: int = 7
    smart_speed_step_mps: float = 0.4
    smart_heading_step_deg: float = 15.0
    gps: bool = True
    gps_sigma_m: float = 2.5
    gps_tau_s: float = 40.0
    gps_white_m: float = 0.3
    speed_lag_s: float = 1.0
    speed_smoothing_s: float = 1.0
    speed_noise_mps: float = 0.08
    distance_bias_pct: float = 1.0
    distance_bias_drift_pct: float = 0.5
    altimeter_error_m: float = 3.0
    heart_rate: bool = True
    hr_rest_bpm: float = 55.0
    hr_max_bpm: float = 188.0
    hr_tau_up_s: float = 22.0
    hr_tau_down_s: float = 40.0
    hr_noise_bpm: float = 1.5
    cadence: bool = True
    cadence_noise_spm: float = 1.5
    laps: LapMode = "manual"
    lap_press_delay_s: tuple[float, float] = (0.2, 1.8)
    auto_pause: bool = False
    auto_pause_stop_mps: float = 0.5
    auto_pause_resume_mps: float = 1.0
    footpod: bool = False
    footpod_bias_pct: float = 2.0
    footpod_slope_pct_per_mps: float = -1.5
    profile: Profile = "run"
    product_name: str = "hardkick-analyze simulator"
    serial_number: int = 3_900_000_001

    @classmethod
    def noiseless(cls, **changes: object) -> Watch:
        """A perfect 1 s recorder: no sensor error of any kind, no lag, laps pressed on time."""
        base = cls(
            gps_sigma_m=0.0,
            gps_white_m=0.0,
            speed_lag_s=0.0,
            speed_smoothing_s=0.0,
            speed_noise_mps=0.0,
            distance_bias_pct=0.0,
            distance_bias_drift_pct=0.0,
            altimeter_error_m=0.0,
            hr_noise_bpm=0.0,
            cadence_noise_spm=0.0,
            lap_press_delay_s=(0.0, 0.0),
            footpod_bias_pct=0.0,
            footpod_slope_pct_per_mps=0.0,
        )
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionPlan:
    """The workout and how the session around it is organised.

    Attributes
    ----------
    workout
        The planned reps (every rep needs a pace).
    rest_s, rest_jitter_s
        Planned rest between reps and the spread of the rest actually taken [s].
    skipped_reps
        Planned rep indices the runner does not run (reported missing in the truth).
    extra_reps
        Plain reps the runner adds after the last plain rep (truth ``planned_index=None``).
    start_time
        When the watch starts (the first record) [UTC].
    utc_offset_s
        Local time offset written to FIT's ``local_timestamp`` [s].
    name
        Activity name written into GPX/TCX/FIT.
    """

    workout: Workout
    rest_s: float = 120.0
    rest_jitter_s: float = 10.0
    skipped_reps: tuple[int, ...] = ()
    extra_reps: int = 0
    start_time: pd.Timestamp = field(default_factory=lambda: pd.Timestamp("2026-05-12T16:30:00Z"))
    utc_offset_s: int = 7200
    name: str = "Hard kick"


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionConfig:
    """Everything :func:`~hardkick_analyze.simulate.simulate_session` needs besides the seed."""

    plan: SessionPlan
    athlete: Athlete = field(default_factory=Athlete)
    watch: Watch = field(default_factory=Watch)
    venue: Venue = field(default_factory=Track)
