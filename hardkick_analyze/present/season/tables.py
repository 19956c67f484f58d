"""The season as tables and JSON: ``sessions.csv``, ``reps.csv``, ``season.json`` and the ``--json`` array.

Numbers are in the units their column names say (paces in s/km whatever ``--units``); unknown
values are empty (CSV) or null (JSON).

``season.json`` schema 2.0 (1.0 had the kinds ``hard_kick``/``other``/``failed`` and checks of
hard-kick sessions only): ``kind`` is ``interval``, ``run``, ``other`` or ``failed``; each session
row carries its ``structure``, ``plan_source``, workout ``group`` and 5 km ``fitness_*``
estimate; ``groups`` lists the workouts repeated over the season with their trends,
``fitness`` the estimate of each session, the current one and the goal, ``flags`` the checks'
flags ranked (most severe first), ``summary`` the report's three sentences.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ...season.checks import SessionCheck
from ...season.fitness import ZONES
from ...season.groups import WorkoutGroup
from ...season.records import KINDS, SessionRecord
from ...season.review import SeasonResult
from ..report_json import SCHEMA_VERSION
from ..summary import RepSummary
from .words import MODEL_NAME, flag_text, group_label, group_sentence, season_sentences

__all__ = [
    "REPS_COLUMNS",
    "SEASON_SCHEMA_VERSION",
    "SESSIONS_COLUMNS",
    "json_entries",
    "reps_table",
    "season_to_dict",
    "sessions_table",
    "write_season_tables",
]

SEASON_SCHEMA_VERSION = "2.0"
#: Kicks given their own columns in ``sessions.csv`` (both presets have two; more are in ``reps.csv``).
KICK_COLUMNS = 2

SESSIONS_COLUMNS = (
    "date",
    "start_time",
    "file",
    "kind",
    "title",
    "sport",
    "structure",
    "plan_source",
    "workout",
    "group",
    "group_label",
    "is_hard_kick",
    "target_pace_s_per_km",
    "target_pace_source",
    "reps_planned",
    "reps_done",
    "rep_pace_s_per_km",
    "rep_spread_s_per_km",
    "rep_heart_rate_bpm",
    "mean_pace_error_s_per_km",
    "pace_consistency_s_per_km",
    *(f"kick_{n}_avg_speed_mps" for n in range(1, KICK_COLUMNS + 1)),
    *(f"kick_{n}_fade_pct" for n in range(1, KICK_COLUMNS + 1)),
    "kick_decrement_pct",
    "score",
    "fitness_zone",
    "fitness_vdot",
    "fitness_5k_s",
    "fitness_5k_fast_s",
    "fitness_5k_slow_s",
    "goal_5k_s",
    "warmup_s",
    "cooldown_s",
    "day_after",
    "base_km_per_week",
    "flag_codes",
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
    "group",
    "structure",
    "rep",
    "kind",
    "part",
    "planned_distance_m",
    "planned_duration_s",
    "distance_m",
    "duration_s",
    "pace_s_per_km",
    "target_pace_s_per_km",
    "pace_error_s_per_km",
    "avg_speed_mps",
    "peak_speed_mps",
    "fade_pct",
    "avg_heart_rate_bpm",
    "rest_after_s",
)


def sessions_table(result: SeasonResult) -> pd.DataFrame:
    """One row per input file, in date order (columns: :data:`SESSIONS_COLUMNS`)."""
    rows = [_session_row(result, r) for r in result.records]
    return pd.DataFrame(rows, columns=list(SESSIONS_COLUMNS))


def reps_table(result: SeasonResult) -> pd.DataFrame:
    """One row per rep and one per kick of every interval session (columns: :data:`REPS_COLUMNS`).

    ``part`` is ``'rep'`` for a rep's paced part and ``'kick'`` for the sprint after it; a kick
    row has its rep's number, its distance and speeds, and no pace error.
    """
    rows: list[dict[str, Any]] = []
    for record in result.of_kind("interval"):
        if record.summary is None:
            continue
        group = result.review.group_of(record.source)
        common = {
            "date": _date(record),
            "file": record.source,
            "group": group.key if group is not None else None,
            "structure": record.summary.structure,
        }
        for rep in record.summary.reps:
            rows.append({**common, **_rep_row(rep)})
            if rep.kick is not None:
                kick = rep.kick
                rows.append(
                    {
                        **common,
                        "rep": rep.index,
                        "kind": rep.kind,
                        "part": "kick",
                        "planned_distance_m": rep.planned.kick_m,
                        "distance_m": kick.distance_m,
                        "duration_s": kick.duration_s,
                        "avg_speed_mps": kick.avg_speed_mps,
                        "peak_speed_mps": kick.peak_speed_mps,
                        "fade_pct": kick.fade_pct,
                    }
                )
    return pd.DataFrame(rows, columns=list(REPS_COLUMNS))


def json_entries(result: SeasonResult) -> list[dict[str, Any]]:
    """The ``--json`` array: the single-session contract for each read file, a failure object otherwise.

    A read file's object is :func:`~hardkick_analyze.present.report_json.report_to_dict` (``source`` is
    the file's name inside the folder or bundle) plus ``status`` (``'analysed'``), ``kind``,
    ``title``, ``group`` (the workout group's key), ``fitness`` (the session's 5 km estimate) and
    ``checks`` (for a hard session). A failed file is ``{"source", "status": "failed", "error",
    "error_kind"}``.
    """
    entries: list[dict[str, Any]] = []
    fitness = result.review.fitness
    for record in result.records:
        if record.summary is None:
            entries.append(
                {"source": record.source, "status": "failed", "error": record.error, "error_kind": record.error_kind}
            )
            continue
        check = result.check_for(record.source)
        group = result.review.group_of(record.source)
        estimate = fitness.for_session(record.source)
        entries.append(
            {
                **record.summary.to_dict(),
                "status": "analysed",
                "kind": record.kind,
                "title": record.title,
                "group": group.key if group is not None else None,
                "fitness": _plain(estimate) if estimate is not None else None,
                "checks": _check_dict(check) if check is not None else None,
            }
        )
    return entries


def season_to_dict(result: SeasonResult) -> dict[str, Any]:
    """``season.json``: counts, the three sentences, one row per file (as in ``sessions.csv``), the
    workout groups, the fitness estimate, the checks and the flags ranked."""
    table = sessions_table(result)
    review = result.review
    fitness = review.fitness
    return {
        "schema_version": SEASON_SCHEMA_VERSION,
        "session_schema_version": SCHEMA_VERSION,
        "counts": {kind: len(result.of_kind(kind)) for kind in KINDS} | {"files": len(result.records)},
        "cache_hits": result.cache_hits,
        "summary": list(season_sentences(result)),
        "sessions": [{k: _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")],
        "groups": [_group_dict(g) for g in review.groups],
        "fitness": {
            "model": MODEL_NAME,
            "zones_race_distances_m": {zone: list(distances) for zone, distances in ZONES.items()},
            **{k: _plain(v) for k, v in _fields(fitness).items() if k != "sessions"},
            "sessions": [_plain(e) for e in fitness.sessions],
        },
        "checks": [_check_dict(c) for c in review.checks],
        "flags": [
            {**_plain(flag), "severity": flag.severity, "text": flag_text(flag, _check(result, flag.source))}
            for flag in review.flags
        ],
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
    reps_table(result).to_csv(written["reps.csv"], index=False)
    text = json.dumps(season_to_dict(result), indent=2, allow_nan=False)
    written["season.json"].write_text(text + "\n", encoding="utf-8")
    return written


def _session_row(result: SeasonResult, record: SessionRecord) -> dict[str, Any]:
    summary = record.summary
    check = result.check_for(record.source)
    group = result.review.group_of(record.source)
    metrics = result.review.metrics_of(record.source)
    estimate = result.review.fitness.for_session(record.source)
    interval = record.kind == "interval" and summary is not None
    score = summary.score if summary is not None else None
    kicks = summary.kicks if summary is not None else ()
    row: dict[str, Any] = {
        "date": _date(record),
        "start_time": record.start_time.isoformat() if record.start_time is not None else None,
        "file": record.source,
        "kind": record.kind,
        "title": record.title,
        "sport": record.sport,
        "structure": summary.structure if summary is not None else None,
        "plan_source": summary.workout.plan_source if interval and summary is not None else None,
        "workout": summary.workout.spec if interval and summary is not None else None,
        "group": group.key if group is not None else None,
        "group_label": group_label(group) if group is not None else None,
        "is_hard_kick": summary.is_hard_kick if summary is not None else None,
        "target_pace_s_per_km": summary.workout.target_pace_s_per_km if interval and summary is not None else None,
        "target_pace_source": summary.workout.target_pace_source if interval and summary is not None else None,
        "reps_planned": len(summary.workout.planned) if interval and summary is not None else None,
        "reps_done": len(summary.reps) if interval and summary is not None else None,
        "rep_pace_s_per_km": metrics.rep_pace_s_per_km if metrics is not None else None,
        "rep_spread_s_per_km": metrics.rep_spread_s_per_km if metrics is not None else None,
        "rep_heart_rate_bpm": metrics.heart_rate_bpm if metrics is not None else None,
        "mean_pace_error_s_per_km": score.mean_pace_error_s_per_km if score is not None else None,
        "pace_consistency_s_per_km": score.pace_consistency_s_per_km if score is not None else None,
        "kick_decrement_pct": score.kick_decrement_pct if score is not None else None,
        "score": score.total if score is not None else None,
        "fitness_zone": estimate.zone if estimate is not None else None,
        "fitness_vdot": estimate.vdot if estimate is not None else None,
        "fitness_5k_s": estimate.time_5k_s if estimate is not None else None,
        "fitness_5k_fast_s": estimate.time_5k_fast_s if estimate is not None else None,
        "fitness_5k_slow_s": estimate.time_5k_slow_s if estimate is not None else None,
        "goal_5k_s": estimate.goal_5k_s if estimate is not None else None,
        "warmup_s": score.warmup_s if score is not None else None,
        "cooldown_s": score.cooldown_s if score is not None else None,
        "day_after": check.day_after if check is not None else None,
        "base_km_per_week": check.base_km_per_week if check is not None else None,
        "flag_codes": "; ".join(f.code for f in check.flags) if check is not None else None,
        "flags": "; ".join(flag_text(f, check) for f in check.flags) if check is not None else None,
        "duration_s": record.duration_s,
        "distance_m": record.distance_m,
        "device": record.device,
        "error_kind": record.error_kind,
        "error": record.error,
        "cached": record.cached,
    }
    for number in range(1, KICK_COLUMNS + 1):
        kick = kicks[number - 1] if len(kicks) >= number else None
        row[f"kick_{number}_avg_speed_mps"] = kick.avg_speed_mps if kick is not None else None
        row[f"kick_{number}_fade_pct"] = kick.fade_pct if kick is not None else None
    return row


def _rep_row(rep: RepSummary) -> dict[str, Any]:
    duration, distance = rep.duration_s, rep.distance_m
    return {
        "rep": rep.index,
        "kind": rep.kind,
        "part": "rep",
        "planned_distance_m": rep.planned.distance_m,
        "planned_duration_s": rep.planned.duration_s,
        "distance_m": distance,
        "duration_s": duration,
        "pace_s_per_km": rep.pace_s_per_km,
        "target_pace_s_per_km": rep.target_pace_s_per_km,
        "pace_error_s_per_km": rep.pace_error_s_per_km,
        "avg_speed_mps": round(distance / duration, 3) if distance and duration else None,
        "avg_heart_rate_bpm": rep.avg_heart_rate_bpm,
        "rest_after_s": rep.rest_after_s,
    }


def _group_dict(group: WorkoutGroup) -> dict[str, Any]:
    plain = {k: _plain(v) for k, v in _fields(group).items()}
    return {"key": group.key, "label": group_label(group), "sentence": group_sentence(group), **plain}


def _check_dict(check: SessionCheck) -> dict[str, Any]:
    plain = {k: _plain(v) for k, v in _fields(check).items()}
    plain["flags"] = [f.code for f in check.flags]
    return plain


def _check(result: SeasonResult, source: str) -> SessionCheck:
    check = result.check_for(source)
    if check is None:
        raise ValueError(f"a flag of {source} without its check")
    return check


def _fields(value: object) -> dict[str, Any]:
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        raise TypeError(f"not a dataclass value: {value!r}")
    # Underscored fields are a value's own indexes, not its data.
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if not f.name.startswith("_")}


def _plain(value: Any) -> Any:
    """A value as JSON: dataclasses as dicts, times as ISO text, NaN and missing as null."""
    if value is None:
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in _fields(value).items()}
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _date(record: SessionRecord) -> str | None:
    return record.start_time.date().isoformat() if record.start_time is not None else None
