"""Frozen values passed between the stages: the activity a reader returns and the planned workout.

Times of day are UTC-aware ``pandas.Timestamp``; durations and offsets are seconds (``*_s``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

__all__ = [
    "Activity",
    "ActivityMetadata",
    "Lap",
    "Pause",
    "PlannedRep",
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


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedRep:
    """One planned repetition: a paced part, optionally followed directly by a full-sprint kick.

    ``pace_s_per_km`` is ``None`` until a target pace is known (a spec without a pace takes
    ``--pace``).
    """

    distance_m: float
    pace_s_per_km: float | None = None
    kick_m: float = 0.0

    @property
    def has_kick(self) -> bool:
        """Whether the rep ends in a kick."""
        return self.kick_m > 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Workout:
    """A planned workout: the reps in order.

    ``flexible_plain_reps`` marks the presets, whose number of plain reps is not fixed (runners
    do 3-6): the segmenter matches what was run and reports reps below the planned count as
    missing.
    """

    spec: str
    reps: tuple[PlannedRep, ...]
    name: str | None = None
    flexible_plain_reps: bool = False

    @property
    def kick_reps(self) -> tuple[PlannedRep, ...]:
        """The reps that end in a kick."""
        return tuple(r for r in self.reps if r.has_kick)
