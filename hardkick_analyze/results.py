"""Frozen values the analysis produces: where the reps are, and how they went.

Every ``*_s`` is seconds of clock time since the file's first record (pauses included); speeds
are m/s, paces s/km, distances m. The segmenter fills :class:`Segmentation`; the scorer turns
it into :class:`RepResult` / :class:`KickResult` / :class:`SessionScore`, gathered in a
:class:`SessionReport`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from .clean import SessionGrid
from .models import PlannedRep, Workout
from .track.correct import TrackCorrection

__all__ = [
    "Calibration",
    "Effort",
    "FormChange",
    "KickResult",
    "RepBounds",
    "RepResult",
    "Segmentation",
    "SessionReport",
    "SessionScore",
    "SpeedBin",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Effort:
    """A stretch of running clearly faster than what surrounds it."""

    start_s: float
    end_s: float
    distance_m: float
    mean_speed_mps: float

    @property
    def duration_s(self) -> float:
        """Length of the effort [s]."""
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True, kw_only=True)
class RepBounds:
    """Where one planned rep was run.

    ``end_s`` closes the paced part: for a kick rep it is the moment the kick begins, and
    ``kick_end_s`` the moment the kick distance is covered. ``how`` says where each boundary
    came from (e.g. ``{'start': 'speed onset', 'end': 'lap'}``).
    """

    planned_index: int
    start_s: float
    end_s: float
    kick_end_s: float | None = None
    how: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def effort_end_s(self) -> float:
        """When the whole effort (paced part and kick) ended [s]."""
        return self.kick_end_s if self.kick_end_s is not None else self.end_s


@dataclass(frozen=True, slots=True, kw_only=True)
class Calibration:
    """What the analysis measured about the watch on this session, for the stages after it.

    ``speed_lag_s`` / ``distance_lag_s``: how late the watch's speed and distance were (undone
    on the grid) [s], ``lag_correlation`` how sure that is; ``distance_scale`` /
    ``speed_scale``: watch metres per true metre on the session's sharply timed reps (None when
    none was); ``start_line_m``: the start line most sharp starts agree on, along a recognised
    track [m]; ``track``: the track the positions fit and the correction made on it.
    """

    speed_source: str
    speed_lag_s: float = 0.0
    distance_lag_s: float = 0.0
    lag_correlation: float | None = None
    distance_scale: float | None = None
    speed_scale: float | None = None
    sharp_reps: int = 0
    start_line_m: float | None = None
    track: TrackCorrection | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Segmentation:
    """The segmenter's answer: which path it took, the reps it found and what did not fit.

    ``calibration`` is what it measured about the watch (read by the scorer and the charts);
    ``diagnostics`` holds the path's thresholds and costs as plain values, for the JSON only.
    """

    method: str
    workout: Workout
    reps: tuple[RepBounds, ...]
    missing: tuple[int, ...] = ()
    extra_efforts: tuple[Effort, ...] = ()
    calibration: Calibration = field(default_factory=lambda: Calibration(speed_source="none"))
    diagnostics: Mapping[str, float | int | str | None] = field(default_factory=lambda: MappingProxyType({}))
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeedBin:
    """Speed over one distance bin of a kick."""

    from_m: float
    to_m: float
    speed_mps: float


@dataclass(frozen=True, slots=True, kw_only=True)
class FormChange:
    """Running form at the start vs the end of an effort (NaN where the file has no such channel).

    Changes are relative, in percent of the start value.
    """

    cadence_change_pct: float
    step_length_change_pct: float
    ground_contact_change_pct: float
    vertical_oscillation_change_pct: float
    breakdown: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class KickResult:
    """How one kick went.

    ``distance_m`` is the planned kick distance, used for its pace; ``measured_distance_m``
    is what was measured over the same seconds (on a recognised track, the along-track
    distance), ``gps_distance_m`` the watch's own distance over them and ``distance_error_m``
    the error estimate (one standard deviation) of ``measured_distance_m`` when it was measured
    on the track (None otherwise). ``fade_pct`` is
    ``100 * (peak - final) / peak`` with ``final_speed_mps`` the mean over the kick's last 20 %
    of distance and ``peak_speed_mps`` the top of the speed smoothed over 2 s.
    """

    start_s: float
    end_s: float
    duration_s: float
    distance_m: float
    measured_distance_m: float
    gps_distance_m: float | None = None
    distance_error_m: float | None = None
    avg_speed_mps: float
    peak_speed_mps: float
    final_speed_mps: float
    fade_pct: float
    time_to_peak_s: float
    distance_to_peak_m: float
    speed_vs_rep_pct: float
    bins: tuple[SpeedBin, ...] = ()
    form: FormChange | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RepResult:
    """How one rep's paced part went, and its kick if it had one (for a sprint run ``@max``,
    ``kick`` measures the sprint itself from its start).

    ``measured_distance_m`` is the distance measured between the boundaries (on a recognised
    track, the along-track distance); ``gps_distance_m`` is the watch's own distance over the
    same seconds, and ``distance_error_m`` the error estimate (one standard deviation) of the
    measured distance when it was measured on the track (None otherwise).
    """

    index: int
    planned: PlannedRep
    start_s: float
    end_s: float
    duration_s: float
    distance_m: float
    measured_distance_m: float
    gps_distance_m: float | None = None
    distance_error_m: float | None = None
    pace_s_per_km: float
    target_pace_s_per_km: float | None
    pace_error_s_per_km: float | None
    time_error_s: float | None
    first_half_s: float
    second_half_s: float
    avg_heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None
    heart_rate_drop_60s_bpm: float | None
    rest_after_s: float | None
    form: FormChange | None
    kick: KickResult | None
    how: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionScore:
    """The session's 0-100 score, its components, and the session-level numbers behind them."""

    total: float
    components: Mapping[str, float]
    mean_pace_error_s_per_km: float | None
    mean_abs_pace_error_s_per_km: float | None
    pace_consistency_s_per_km: float | None
    kick_decrement_pct: float | None
    warmup_s: float
    cooldown_s: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionReport:
    """Everything the analysis says about one session.

    ``structure`` says what the session was in runners' words ("6x600 m, 2 min jog", "hard
    kick 500"; with no reps what it was instead: "steady 8.6 km in 47 min, no intervals").
    ``grid`` is the session on the uniform time grid the analysis measured on (for charts and
    notebooks); it is not part of the JSON contract.
    """

    source: str
    format: str
    start_time: pd.Timestamp
    workout: Workout
    target_pace_s_per_km: float | None
    target_pace_source: str
    segmentation: Segmentation
    reps: tuple[RepResult, ...]
    missing: tuple[PlannedRep, ...]
    extra_efforts: tuple[Effort, ...]
    is_hard_kick: bool
    score: SessionScore | None
    verdicts: tuple[str, ...]
    warnings: tuple[str, ...]
    structure: str = ""
    grid: SessionGrid | None = field(default=None, repr=False, compare=False)
