"""Frozen values of a season: one record per input file, the workout checks, the whole result.

A :class:`SessionRecord` is built from the small JSON-ready entry the worker returns (the same
entry the cache stores), so a cached and a fresh result cannot differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["KINDS", "SeasonResult", "SessionCheck", "SessionRecord", "record_from_entry"]

#: What a file turned out to be: the workout, any other activity, or unreadable.
KINDS = ("hard_kick", "other", "failed")


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRecord:
    """One input file of the season and what became of it.

    Attributes
    ----------
    source
        The file's name inside the folder or bundle (text from the input: escape it in HTML).
    kind
        ``'hard_kick'``, ``'other'`` (read, but not the workout: rides, easy runs, ...) or
        ``'failed'``.
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
    report
        The single-session JSON contract (:func:`hardkick_analyze.present.report_json.report_to_dict`)
        with ``source`` set to this input's name; None for a failed file.
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
    report: Mapping[str, Any] | None = None
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


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionCheck:
    """What the workout itself asks around one hard-kick session.

    Attributes
    ----------
    source
        The hard-kick session's file.
    day_after
        ``'rest'``, ``'easy run'``, ``'hard'`` (another hard session, a fast or long run, or
        another sport) or ``'unknown'`` (no files after the session's day).
    day_after_detail
        What was found on the next day, for a person.
    warmup_s, cooldown_s
        Warm-up before the first rep and cool-down after the last [s].
    warmup_ok, cooldown_ok
        Whether they are as long as the workout asks.
    weekly_run_km
        Running distance in each of the 4 weeks before the session, most recent first [km];
        None for a week the season's files do not cover.
    base_km_per_week
        Mean of the covered weeks [km/week], None when none is covered.
    base_ok
        Whether that base reaches the minimum (None when unknown).
    flags
        One line per problem, for a person.
    """

    source: str
    day_after: str
    day_after_detail: str
    warmup_s: float | None
    cooldown_s: float | None
    warmup_ok: bool | None
    cooldown_ok: bool | None
    weekly_run_km: tuple[float | None, ...]
    base_km_per_week: float | None
    base_ok: bool | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonResult:
    """Every input of a season review, in date order, with the checks of each hard-kick session.

    Attributes
    ----------
    records
        One per input, ordered by start time (undated ones last), then by name.
    checks
        One per hard-kick session, in the same order.
    analysed_now
        Files analysed in this run (not served from the cache) [count].
    cache_hits
        Files served from the cache [count].
    """

    records: tuple[SessionRecord, ...]
    checks: tuple[SessionCheck, ...] = ()
    analysed_now: int = 0
    cache_hits: int = 0

    def of_kind(self, kind: str) -> tuple[SessionRecord, ...]:
        """The records of one kind (``'hard_kick'``, ``'other'`` or ``'failed'``)."""
        return tuple(r for r in self.records if r.kind == kind)

    @property
    def read_count(self) -> int:
        """Files that could be read [count]."""
        return sum(r.kind != "failed" for r in self.records)

    def check_for(self, source: str) -> SessionCheck | None:
        """The checks of one hard-kick session, by its file name."""
        return next((c for c in self.checks if c.source == source), None)


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
    """Build a record from a worker's (or the cache's) entry, under this input's name."""
    activity = entry.get("activity") or {}
    report = entry.get("report")
    if report is not None:
        report = {**report, "source": source}
    start = _time(activity.get("start_time"))
    if start is None or (date_hint is not None and activity.get("clock_relative")):
        start = date_hint
    return SessionRecord(
        source=source,
        kind=str(entry["kind"]),
        start_time=start,
        title=title_hint,
        sport=activity.get("sport"),
        duration_s=activity.get("duration_s"),
        distance_m=activity.get("distance_m"),
        device=activity.get("device"),
        report=report,
        error=entry.get("error"),
        error_kind=entry.get("error_kind"),
        internal_error=bool(entry.get("internal_error", False)),
        content_sha256=content_sha256,
        cached=cached,
        traceback=traceback,
    )


def _time(text: str | None) -> pd.Timestamp | None:
    if not text:
        return None
    stamp = pd.Timestamp(text)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
