"""A training plan file: from a date on, the goal 5 km time or the target rep pace (and the workout).

CSV with a header (``date`` and at least one of ``goal_5k``, ``pace``, ``workout``)::

    date,goal_5k,pace,workout
    2026-03-01,25:00,,
    2026-05-01,,4:45/km,hard-kick-500

or JSON, a list of such objects (``[{"date": "2026-03-01", "goal_5k": "25:00"}, ...]``). Each
row holds from its date until the next row's date; sessions before the first row have no plan.
Dates are calendar days of the session start in UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import PlanError, WorkoutSpecError
from ..workout import goal_5k_to_rep_pace, parse_pace, parse_workout

__all__ = ["Plan", "PlanEntry", "read_plan"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanEntry:
    """What the plan prescribes from ``start_date`` on (UTC calendar day)."""

    start_date: dt.date
    goal_5k: str | None = None
    pace_s_per_km: float | None = None
    workout: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """Plan entries in date order."""

    entries: tuple[PlanEntry, ...]

    def for_time(self, when: pd.Timestamp | None) -> PlanEntry | None:
        """The entry in force at ``when`` (a UTC-aware time), or None before the first one."""
        if when is None or pd.isna(when):
            return None
        day = when.tz_convert("UTC").date()
        current = None
        for entry in self.entries:
            if entry.start_date <= day:
                current = entry
        return current


def read_plan(path: str | os.PathLike[str]) -> Plan:
    """Read a plan file (CSV or JSON, recognised from the content).

    Raises
    ------
    HardkickError
        The file cannot be read, or a row has a bad date, pace, goal time or workout.
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(source.name, f"cannot read the plan file ({exc})") from exc
    rows = _json_rows(text, source.name) if text.lstrip().startswith(("[", "{")) else _csv_rows(text)
    entries = [_entry(row, source.name, number) for number, row in enumerate(rows, start=1)]
    if not entries:
        raise PlanError(source.name, "the plan file has no rows")
    return Plan(entries=tuple(sorted(entries, key=lambda e: e.start_date)))


def _json_rows(text: str, name: str) -> list[dict[str, Any]]:
    try:
        rows = json.loads(text)
    except ValueError as exc:
        raise PlanError(name, f"the plan file is not valid JSON ({exc})") from exc
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise PlanError(name, "a JSON plan is a list of objects with a 'date'")
    return rows


def _csv_rows(text: str) -> list[dict[str, Any]]:
    return [{k.strip().lower(): v for k, v in row.items() if k} for row in csv.DictReader(io.StringIO(text))]


def _entry(row: dict[str, Any], name: str, number: int) -> PlanEntry:
    where = f"row {number}"
    values = {k: str(v).strip() for k, v in row.items() if v is not None and str(v).strip()}
    try:
        start = dt.date.fromisoformat(values.get("date", ""))
    except ValueError:
        raise PlanError(name, f"{where}: expected a date such as 2026-03-01") from None
    try:
        pace = parse_pace(values["pace"]) if "pace" in values else None
        goal = values.get("goal_5k")
        if goal is not None:
            goal_5k_to_rep_pace(goal)
        workout = values.get("workout")
        if workout is not None:
            parse_workout(workout)
    except WorkoutSpecError as exc:
        raise PlanError(name, f"{where}: {exc.reason}") from exc
    if pace is None and goal is None and workout is None:
        raise PlanError(name, f"{where}: give a goal_5k, a pace or a workout")
    return PlanEntry(start_date=start, goal_5k=goal, pace_s_per_km=pace, workout=workout)
