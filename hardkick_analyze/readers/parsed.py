"""What a format reader hands to :func:`~.finalize.finalize`: samples plus structure, not yet repaired."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..models import Lap, Pause, SessionInfo, WorkoutStep

__all__ = ["ParsedActivity", "seconds"]


@dataclass(kw_only=True)
class ParsedActivity:
    """A reader's raw result.

    ``samples`` has a ``time`` column (UTC ``Timestamp``, maybe unsorted, duplicated or NaT)
    and any glossary columns the source records, already in the glossary's units.
    ``metadata`` holds :class:`~hardkick_analyze.models.ActivityMetadata` fields the reader
    knows (device, sport, ...); ``device_channels`` names the columns the device recorded.
    """

    samples: pd.DataFrame
    metadata: dict[str, Any] = field(default_factory=dict)
    laps: list[Lap] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    workout_steps: list[WorkoutStep] = field(default_factory=list)
    sessions: list[SessionInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def seconds(value: float) -> pd.Timedelta:
    """A duration of ``value`` seconds, rounded to the microsecond.

    ``pd.Timedelta(seconds=133.307)`` truncates to 133.306999999 s; lap times read from a file
    must keep the value the file holds.
    """
    return pd.Timedelta(round(float(value) * 1e6), unit="us")
