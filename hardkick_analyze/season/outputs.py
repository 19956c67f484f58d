"""The season as tables and JSON: ``sessions.csv``, ``reps.csv``, ``season.json`` and the ``--json`` array.

Numbers are in the units their column names say; unknown values are empty (CSV) or null (JSON).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..present.report_json import SCHEMA_VERSION
from .records import KINDS, SeasonResult, SessionCheck, SessionRecord

__all__ = [
    "REPS_COLUMNS",
    "SEASON_SCHEMA_VERSION",
    "SESSIONS_COLUMNS",
    "json_entries",
    "reps_long_table",
    "season_to_dict",
    "sessions_table",
    "write_season_tables",
]

SEASON_SCHEMA_VERSION = "1.0"
#: Kicks given their own columns in ``sessions.csv`` (both presets have two; more are in ``reps.csv``).
KICK_COLUMNS = 2

SESSIONS_COLUMNS = (
    "date",
    "start_time",
    "file",
    "kind",
    "title",
    "sport",
    "workout",
    "target_pace_s_per_km",
    "target_pace_source",
    "reps_planned",
    "reps_done",
    "mean_pace_error_s_per_km",
    "pace_consistency_s_per_km",
    *(f"kick_{n}_avg_speed_mps" for n in range(1, KICK_COLUMNS + 1)),
    *(f"kick_{n}_fade_pct" for n in range(1, KICK_COLUMNS + 1)),
    "kick_decrement_pct",
    "score",
    "warmup_s",
    "cooldown_s",
    "day_after",
    "base_km_per_week",
    "flags",
    "duration_s",
    "distance_m",
    "device",
    "error_kind",
    "error",
    "cached",
)
REPS_COLUMNS = (
    "date",
    "file",
    "rep",
    "part",
    "planned_distance_m",
    "distance_m",
    "duration_s",
    "pace_s_per_km",
    "target_pace_s_per_km",
    "pace_error_s_per_km",
    "avg_speed_mps",
    "peak_speed_mps",
    "fade_pct",
    "avg_heart_rate_bpm",
)


def sessions_table(result: SeasonResult) -> pd.DataFrame:
    """One row per input file, in date order (columns: :data:`SESSIONS_COLUMNS`)."""
    rows = [_session_row(r, result.check_for(r.source)) for r in result.records]
    return pd.DataFrame(rows, columns=list(SESSIONS_COLUMNS))


def reps_long_table(result: SeasonResult) -> pd.DataFrame:
    """One row per rep and one per kick of every hard-kick session (columns: :data:`REPS_COLUMNS`).

    ``part`` is ``'rep'`` for a rep's paced part and ``'kick'`` for the sprint after it; a kick
    row has its rep's number, its distance and speeds, and no pace error.
    """
    rows: list[dict[str, Any]] = []
    for record in result.of_kind("hard_kick"):
        date = _date(record)
        for rep in (record.report or {}).get("reps", []):
            planned = rep.get("planned") or {}
            duration = rep.get("duration_s")
            distance = rep.get("distance_m")
            rows.append(
                {
                    "date": date,
                    "file": record.source,
                    "rep": rep.get("index"),
                    "part": "rep",
                    "planned_distance_m": planned.get("distance_m"),
                    "distance_m": distance,
                    "duration_s": duration,
                    "pace_s_per_km": rep.get("pace_s_per_km"),
                    "target_pace_s_per_km": rep.get("target_pace_s_per_km"),
                    "pace_error_s_per_km": rep.get("pace_error_s_per_km"),
                    "avg_speed_mps": round(distance / duration, 3) if distance and duration else None,
                    "peak_speed_mps": None,
                    "fade_pct": None,
                    "avg_heart_rate_bpm": rep.get("avg_heart_rate_bpm"),
                }
            )
            kick = rep.get("kick")
            if kick:
                rows.append(
                    {
                        "date": date,
                        "file": record.source,
                        "rep": rep.get("index"),
                        "part": "kick",
                        "planned_distance_m": planned.get("kick_m"),
                        "distance_m": kick.get("distance_m"),
                        "duration_s": kick.get("duration_s"),
                        "pace_s_per_km": None,
                        "target_pace_s_per_km": None,
                        "pace_error_s_per_km": None,
                        "avg_speed_mps": kick.get("avg_speed_mps"),
                        "peak_speed_mps": kick.get("peak_speed_mps"),
                        "fade_pct": kick.get("fade_pct"),
                        "avg_heart_rate_bpm": None,
                    }
                )
    return pd.DataFrame(rows, columns=list(REPS_COLUMNS))


def json_entries(result: SeasonResult) -> list[dict[str, Any]]:
    """The ``--json`` array: the single-session contract for each read file, a failure object otherwise.

    A read file's object is :func:`~hardkick_analyze.present.report_json.report_to_dict` (``source`` is
    the file's name inside the folder or bundle) plus ``status`` (``'analysed'``), ``kind``,
    ``title`` and ``checks`` (for a hard-kick session). A failed file is
    ``{"source", "status": "failed", "error", "error_kind"}``.
    """
    entries: list[dict[str, Any]] = []
    for record in result.records:
        if record.report is None:
            entries.append(
                {"source": record.source, "status": "failed", "error": record.error, "error_kind": record.error_kind}
            )
            continue
        check = result.check_for(record.source)
        entries.append(
            {
                **record.report,
                "status": "analysed",
                "kind": record.kind,
                "title": record.title,
                "checks": _check_dict(check) if check is not None else None,
            }
        )
    return entries


def season_to_dict(result: SeasonResult) -> dict[str, Any]:
    """``season.json``: counts, one summary per file (as in ``sessions.csv``) and the sessions' checks."""
    table = sessions_table(result)
    return {
        "schema_version": SEASON_SCHEMA_VERSION,
        "session_schema_version": SCHEMA_VERSION,
        "counts": {kind: len(result.of_kind(kind)) for kind in KINDS} | {"files": len(result.records)},
        "cache_hits": result.cache_hits,
        "sessions": [{k: _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")],
        "checks": [_check_dict(c) for c in result.checks],
    }


def write_season_tables(result: SeasonResult, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``sessions.csv``, ``reps.csv`` and ``season.json`` into ``out_dir`` (created if needed).

    Returns
    -------
    dict
        Output name -> path written.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = {
        "sessions.csv": folder / "sessions.csv",
        "reps.csv": folder / "reps.csv",
        "season.json": folder / "season.json",
    }
    sessions_table(result).to_csv(written["sessions.csv"], index=False)
    reps_long_table(result).to_csv(written["reps.csv"], index=False)
    text = json.dumps(season_to_dict(result), indent=2, allow_nan=False)
    written["season.json"].write_text(text + "\n", encoding="utf-8")
    return written


def _session_row(record: SessionRecord, check: SessionCheck | None) -> dict[str, Any]:
    report: Mapping[str, Any] = record.report or {}
    workout = report.get("workout") or {}
    score = report.get("score") or {}
    hard_kick = record.kind == "hard_kick"
    kicks = [r["kick"] for r in report.get("reps", []) if r.get("kick")]
    row: dict[str, Any] = {
        "date": _date(record),
        "start_time": record.start_time.isoformat() if record.start_time is not None else None,
        "file": record.source,
        "kind": record.kind,
        "title": record.title,
        "sport": record.sport,
        "workout": workout.get("spec") if hard_kick else None,
        "target_pace_s_per_km": workout.get("target_pace_s_per_km") if hard_kick else None,
        "target_pace_source": workout.get("target_pace_source") if hard_kick else None,
        "reps_planned": len(workout.get("planned", [])) if hard_kick else None,
        "reps_done": len(report.get("reps", [])) if hard_kick else None,
        "mean_pace_error_s_per_km": score.get("mean_pace_error_s_per_km"),
        "pace_consistency_s_per_km": score.get("pace_consistency_s_per_km"),
        "kick_decrement_pct": score.get("kick_decrement_pct"),
        "score": score.get("total"),
        "warmup_s": score.get("warmup_s"),
        "cooldown_s": score.get("cooldown_s"),
        "day_after": check.day_after if check else None,
        "base_km_per_week": check.base_km_per_week if check else None,
        "flags": "; ".join(check.flags) if check else None,
        "duration_s": record.duration_s,
        "distance_m": record.distance_m,
        "device": record.device,
        "error_kind": record.error_kind,
        "error": record.error,
        "cached": record.cached,
    }
    for number in range(1, KICK_COLUMNS + 1):
        kick = kicks[number - 1] if len(kicks) >= number else {}
        row[f"kick_{number}_avg_speed_mps"] = kick.get("avg_speed_mps")
        row[f"kick_{number}_fade_pct"] = kick.get("fade_pct")
    return row


def _check_dict(check: SessionCheck) -> dict[str, Any]:
    return {
        "source": check.source,
        "day_after": check.day_after,
        "day_after_detail": check.day_after_detail,
        "warmup_s": check.warmup_s,
        "cooldown_s": check.cooldown_s,
        "warmup_ok": check.warmup_ok,
        "cooldown_ok": check.cooldown_ok,
        "weekly_run_km": list(check.weekly_run_km),
        "base_km_per_week": check.base_km_per_week,
        "base_ok": check.base_ok,
        "flags": list(check.flags),
    }


def _date(record: SessionRecord) -> str | None:
    return record.start_time.date().isoformat() if record.start_time is not None else None


def _plain(value: Any) -> Any:
    """A table cell as a JSON value: NaN and missing become null, numpy scalars plain numbers."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value
