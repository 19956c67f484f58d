"""One record per input file of a season, and what the file turned out to be.

A :class:`SessionRecord` is built from the small JSON-ready entry the worker returns (the same
entry the cache stores), so a cached and a fresh result cannot differ; the session's JSON is
read once, here, into a typed :class:`~hardkick_analyze.summary.SessionSummary`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..pipeline import RUNNING_SPORTS
from ..present.summary import SessionSummary

__all__ = ["ENTRY_KINDS", "KINDS", "SessionRecord", "record_from_entry", "session_kind"]

#: What a file turned out to be: a session with reps, a run without, any other activity, or unreadable.
KINDS = ("interval", "run", "other", "failed")
#: What the worker (or the cache) says of a file: analysed (with its JSON) or failed.
ENTRY_KINDS = ("analysed", "failed")


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRecord:
    """One input file of the season and what became of it.

    Attributes
    ----------
    source
        The file's name inside the folder or bundle (text from the input: escape it in HTML).
    kind
        ``'interval'`` (a run with reps: the workout found or planned), ``'run'`` (a run without:
        easy, long, steady), ``'other'`` (another sport: rides, swims, ...) or ``'failed'``.
    start_time
        Start of the activity (UTC), else the bundle's date for it, else None.
    title
        The bundle's name for the activity (Strava ``Activity Name``), if any.
    sport
        Sport the file declares (``'running'``, ``'cycling'``, ...), None when it does not say.
    duration_s
        Clock time from the first to the last record [s].
    distance_m
        Distance covered [m].
    device
        Device the file names (text from the input).
    summary
        The session as the single-session JSON contract states it, typed, with ``source`` set to
        this input's name; None for a failed file.
    error, error_kind
        One-line reason and its kind (``'corrupt'``, ``'truncated'``, ``'empty'``,
        ``'unsupported'``, ... or ``'internal error'``) for a failed file.
    internal_error
        The failure is a bug in the analysis, not a problem of the file.
    content_sha256
        SHA-256 of the file's bytes as stored (None when they could not be read).
    cached
        The result came from the cache.
    traceback
        Where the analysis broke, for an internal error (never cached).
    """

    source: str
    kind: str
    start_time: pd.Timestamp | None = None
    title: str | None = None
    sport: str | None = None
    duration_s: float | None = None
    distance_m: float | None = None
    device: str | None = None
    summary: SessionSummary | None = None
    error: str | None = None
    error_kind: str | None = None
    internal_error: bool = False
    content_sha256: str | None = None
    cached: bool = False
    traceback: str | None = field(default=None, repr=False)

    @property
    def status(self) -> str:
        """``'analysed'`` when the file was read, else ``'failed'``."""
        return "failed" if self.kind == "failed" else "analysed"

    @property
    def is_running(self) -> bool:
        """A run of any kind (the sport says running, or says nothing)."""
        return self.kind in ("interval", "run")

    @property
    def is_hard(self) -> bool:
        """A session a runner recovers from: reps of the workout proper or sprints, not only strides."""
        return self.summary is not None and any(r.kind != "stride" for r in self.summary.reps)

    @property
    def pace_s_per_km(self) -> float | None:
        """Mean pace over the whole activity [s/km] (None under 100 m)."""
        if not self.distance_m or not self.duration_s or self.distance_m < 100.0:
            return None
        return self.duration_s / self.distance_m * 1000.0


def record_from_entry(
    entry: Mapping[str, Any],
    *,
    source: str,
    content_sha256: str | None,
    cached: bool,
    date_hint: pd.Timestamp | None = None,
    title_hint: str | None = None,
    traceback: str | None = None,
) -> SessionRecord:
    """Build a record from a worker's (or the cache's) entry, under this input's name.

    Raises
    ------
    SummaryError
        The entry's session JSON does not follow the contract (a bug: entries come from this
        version of the analysis).
    """
    activity = entry.get("activity") or {}
    report = entry.get("report")
    summary = None
    if report is not None:
        summary = dataclasses.replace(SessionSummary.from_dict(report), source=source)
    sport = activity.get("sport")
    start = _time(activity.get("start_time"))
    if start is None or (date_hint is not None and activity.get("clock_relative")):
        start = date_hint
    return SessionRecord(
        source=source,
        kind="failed" if entry.get("kind") == "failed" else session_kind(summary, sport),
        start_time=start,
        title=title_hint,
        sport=sport,
        duration_s=activity.get("duration_s"),
        distance_m=activity.get("distance_m"),
        device=activity.get("device"),
        summary=summary,
        error=entry.get("error"),
        error_kind=entry.get("error_kind"),
        internal_error=bool(entry.get("internal_error", False)),
        content_sha256=content_sha256,
        cached=cached,
        traceback=traceback,
    )


def session_kind(summary: SessionSummary | None, sport: str | None) -> str:
    """``'interval'``, ``'run'`` or ``'other'`` for a file that was read (see :data:`KINDS`)."""
    if sport not in RUNNING_SPORTS:
        return "other"
    return "interval" if summary is not None and summary.reps else "run"


def _time(text: str | None) -> pd.Timestamp | None:
    if not text:
        return None
    stamp = pd.Timestamp(text)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
