"""Frozen values passed between the stages: the activity a reader returns and the planned workout.

Times of day are UTC-aware ``pandas.Timestamp``; durations and offsets are seconds (``*_s``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

__all__ = [
    "PLAN_SOURCES",
    "REP_KINDS",
    "Activity",
    "ActivityMetadata",
    "Lap",
    "Pause",
    "PlannedRep",
    "Recovery",
    "SessionInfo",
    "Workout",
    "WorkoutStep",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Lap:
    """One lap as the device recorded it.

    ``end_time`` is ``start_time + elapsed_time_s`` and keeps the sub-second part FIT stores in
    ``total_elapsed_time`` (the lap message's own timestamp is rounded to whole seconds).
    """

    index: int
    start_time: pd.Timestamp
    end_time: pd.Timestamp
    elapsed_time_s: float
    timer_time_s: float | None = None
    distance_m: float | None = None
    trigger: str | None = None
    intensity: str | None = None
    wkt_step_index: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Pause:
    """The timer stopped (``source='timer'``) or the recording has a long gap (``'gap'``)."""

    start_time: pd.Timestamp
    end_time: pd.Timestamp
    source: str

    @property
    def duration_s(self) -> float:
        """Length of the pause [s]."""
        return (self.end_time - self.start_time).total_seconds()


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkoutStep:
    """One step of the structured workout stored in the file (FIT ``workout_step``).

    ``duration_value`` is in metres when ``duration_type`` is ``distance`` and in seconds when
    it is ``time``; speed targets are in m/s.

    A repeat step (``duration_type`` starting ``repeat_until_``) sends the watch back to the
    step whose ``index`` is ``repeat_from_step``. For ``repeat_until_steps_cmplt``,
    ``repeat_count`` is how many times the block runs in all, the first pass included (FIT's
    ``repeat_steps``); other repeat types (until a time, a distance, ...) have none. A repeat
    step has no ``duration_value`` and no target.
    """

    index: int
    name: str | None = None
    intensity: str | None = None
    duration_type: str | None = None
    duration_value: float | None = None
    target_type: str | None = None
    target_low: float | None = None
    target_high: float | None = None
    notes: str | None = None
    repeat_from_step: int | None = None
    repeat_count: int | None = None

    @property
    def is_repeat(self) -> bool:
        """Whether the step repeats earlier steps rather than being run itself."""
        return self.duration_type is not None and self.duration_type.startswith("repeat_until_")


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionInfo:
    """One session of a (possibly multi-sport) file."""

    sport: str | None
    sub_sport: str | None
    start_time: pd.Timestamp | None
    end_time: pd.Timestamp | None
    distance_m: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityMetadata:
    """What the file says about itself, and what the reader did to it.

    ``channel_sources`` maps each core channel to ``'device'``, ``'derived'`` (computed by the
    reader, e.g. distance from GPS positions in a GPX file) or ``'absent'``. ``decoder`` names
    the FIT decoder that read the file (and why it fell back, if it did).
    """

    source: str
    format: str
    compressed: bool = False
    manufacturer: str | None = None
    product: str | None = None
    device_name: str | None = None
    serial_number: str | None = None
    sport: str | None = None
    sub_sport: str | None = None
    start_time: pd.Timestamp | None = None
    recording: str = "unknown"
    recording_interval_s: float | None = None
    channel_sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    sessions: tuple[SessionInfo, ...] = ()
    workout_name: str | None = None
    decoder: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """A recorded activity: the normalized track and the structure kept beside it.

    Attributes
    ----------
    track
        The normalized time series (see :mod:`hardkick_analyze.schema`).
    metadata
        Device, sport, recording interval and channel provenance.
    laps, pauses, workout_steps
        The device's laps, timer pauses (and long recording gaps), and planned workout steps.
    warnings
        One line per repair the reader made to messy data.
    """

    track: pd.DataFrame
    metadata: ActivityMetadata
    laps: tuple[Lap, ...] = ()
    pauses: tuple[Pause, ...] = ()
    workout_steps: tuple[WorkoutStep, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def start_time(self) -> pd.Timestamp:
        """Timestamp of the first record (the origin of every ``*_s`` offset)."""
        return self.track.index[0]

    def seconds(self, when: pd.Timestamp) -> float:
        """Offset of ``when`` from the first record [s]."""
        return (when - self.start_time).total_seconds()

    @property
    def duration_s(self) -> float:
        """Clock time from the first to the last record [s]."""
        return float(self.track["elapsed_s"].iloc[-1])


#: What a planned rep is for. ``work``: a rep at a pace (or for a time); ``stride``: a short,
#: relaxed acceleration (20-30 s); ``sprint``: a short effort at full speed (``@max``).
REP_KINDS = ("work", "stride", "sprint")
#: Where the plan came from, in the order they are used (see :func:`hardkick_analyze.plan.resolve_plan`).
PLAN_SOURCES = ("given", "watch", "title", "detected", "preset")


@dataclass(frozen=True, slots=True, kw_only=True)
class Recovery:
    """The planned recovery after a rep: a distance or a time, jogged, walked or stood."""

    distance_m: float | None = None
    duration_s: float | None = None
    activity: str = "jog"


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedRep:
    """One planned repetition: a paced part, optionally followed directly by a full-sprint kick.

    A rep is set by its distance (``distance_m``) or by its time (``duration_s``); exactly one
    of them is given. ``pace_s_per_km`` is the target pace, or ``None`` when the plan sets
    none (``max_effort`` marks a rep run flat out, ``@max``). ``kick_m`` is the sprint that
    directly follows the paced part, ``recovery`` the rest planned after the rep.
    """

    distance_m: float | None = None
    duration_s: float | None = None
    pace_s_per_km: float | None = None
    max_effort: bool = False
    kick_m: float = 0.0
    recovery: Recovery | None = None
    kind: str = "work"

    def __post_init__(self) -> None:
        if (self.distance_m is None) == (self.duration_s is None):
            raise ValueError("a planned rep has either a distance or a duration")
        if self.kind not in REP_KINDS:
            raise ValueError(f"unknown rep kind {self.kind!r}")

    @property
    def has_kick(self) -> bool:
        """Whether the rep ends in a kick."""
        return self.kick_m > 0

    @property
    def is_timed(self) -> bool:
        """Whether the rep is set by its time rather than its distance."""
        return self.duration_s is not None

    def expected_distance_m(self, speed_mps: float | None = None) -> float | None:
        """The paced part's distance: planned, or for a timed rep its time at ``speed_mps`` [m]."""
        if self.distance_m is not None:
            return self.distance_m
        if speed_mps is not None and self.duration_s is not None:
            return self.duration_s * speed_mps
        pace = self.pace_s_per_km
        return None if pace is None or self.duration_s is None else self.duration_s / pace * 1000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Workout:
    """A planned workout: the reps in order, and where the plan and its target came from.

    ``flexible_plain_reps`` marks the presets, whose number of plain reps is not fixed (runners
    do 3-6): the segmenter matches what was run and reports reps below the planned count as
    missing. ``source`` is one of :data:`PLAN_SOURCES`; ``target_source`` says where the
    reps' target paces came from (``'spec'``, ``'pace'``, ``'goal'``, ``'watch'``,
    ``'inferred'`` or ``'none'``).
    """

    spec: str
    reps: tuple[PlannedRep, ...]
    name: str | None = None
    flexible_plain_reps: bool = False
    source: str = "given"
    target_source: str = "none"

    @property
    def kick_reps(self) -> tuple[PlannedRep, ...]:
        """The reps that end in a kick."""
        return tuple(r for r in self.reps if r.has_kick)
