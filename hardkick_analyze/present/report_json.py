"""The JSON contract of one analysed session (``hk-analyze --json``), and the per-rep table.

``schema_version`` changes when a field changes meaning or disappears; new fields may appear at
any time. Numbers are plain JSON numbers in the units their names say; unknown values are null.

Version 2.0 (any interval session, not only the hard kick): ``structure`` says what the session
was in runners' words ("8x400 m, 200 m jog", "hard kick 500"; "steady 8.6 km in 47 min, no
intervals" for a run without them); ``workout.plan_source`` where the
plan came from (``given``, ``watch``, ``detected``, ``preset``); ``target_pace_source`` is now
``spec``, ``watch``, ``pace``, ``goal``, ``inferred`` or ``none`` (1.0 said ``given`` for the
first two); each planned rep has ``duration_s`` (a timed rep, ``distance_m`` null),
``max_effort``, ``kind`` and ``recovery``; each rep a ``kind`` (``work``, ``kick`` for a work rep
ending in a kick, ``stride``, ``sprint``); ``reps`` are listed for every session with reps
(1.0 listed them only for hard-kick sessions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..models import PlannedRep
from ..results import Effort, FormChange, KickResult, RepResult, Segmentation, SessionReport
from ..track import TrackCorrection

__all__ = ["SCHEMA_VERSION", "report_to_dict", "reps_table"]

SCHEMA_VERSION = "2.0"


def report_to_dict(report: SessionReport) -> dict[str, Any]:
    """The session as JSON-ready dict (see the module docstring for the contract)."""
    segmentation = report.segmentation
    return {
        "schema_version": SCHEMA_VERSION,
        "source": report.source,
        "format": report.format,
        "start_time": report.start_time.isoformat(),
        "structure": report.structure,
        "workout": {
            "plan_source": report.workout.source,
            "spec": report.workout.spec,
            "name": report.workout.name,
            "target_pace_s_per_km": _number(report.target_pace_s_per_km),
            "target_pace_source": report.target_pace_source,
            "planned": [_planned(r) for r in report.workout.reps],
        },
        "segmentation": _segmentation(segmentation),
        "is_hard_kick": report.is_hard_kick,
        "reps": [_rep(r) for r in report.reps],
        "missing_reps": [{"planned": _planned(r)} for r in report.missing],
        "extra_efforts": [_effort(e) for e in report.extra_efforts],
        "score": None
        if report.score is None
        else {
            "total": report.score.total,
            "components": dict(report.score.components),
            "mean_pace_error_s_per_km": _number(report.score.mean_pace_error_s_per_km),
            "mean_abs_pace_error_s_per_km": _number(report.score.mean_abs_pace_error_s_per_km),
            "pace_consistency_s_per_km": _number(report.score.pace_consistency_s_per_km),
            "kick_decrement_pct": _number(report.score.kick_decrement_pct),
            "warmup_s": _number(report.score.warmup_s),
            "cooldown_s": _number(report.score.cooldown_s),
        },
        "verdicts": list(report.verdicts),
        "warnings": list(report.warnings),
    }


def reps_table(report: SessionReport) -> pd.DataFrame:
    """One row per rep (kick columns empty for plain reps), units in the column names."""
    rows = []
    for rep in report.reps:
        row = {k: v for k, v in _rep(rep).items() if k not in ("planned", "form", "boundaries", "kick")}
        kick = rep.kick
        row.update(
            {
                "planned_distance_m": rep.planned.distance_m,
                "planned_kick_m": rep.planned.kick_m,
                "kick_start_s": kick.start_s if kick else None,
                "kick_end_s": kick.end_s if kick else None,
                "kick_duration_s": kick.duration_s if kick else None,
                "kick_avg_speed_mps": kick.avg_speed_mps if kick else None,
                "kick_peak_speed_mps": kick.peak_speed_mps if kick else None,
                "kick_fade_pct": kick.fade_pct if kick else None,
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)


def _rep(rep: RepResult) -> dict[str, Any]:
    return {
        "index": rep.index,
        "kind": "kick" if rep.planned.has_kick and rep.planned.kind == "work" else rep.planned.kind,
        "planned": _planned(rep.planned),
        "start_s": _number(rep.start_s),
        "end_s": _number(rep.end_s),
        "duration_s": _number(rep.duration_s),
        "distance_m": _number(rep.distance_m),
        "measured_distance_m": _number(rep.measured_distance_m),
        "gps_distance_m": _number(rep.gps_distance_m),
        "distance_error_m": _number(rep.distance_error_m),
        "pace_s_per_km": _number(rep.pace_s_per_km),
        "target_pace_s_per_km": _number(rep.target_pace_s_per_km),
        "pace_error_s_per_km": _number(rep.pace_error_s_per_km),
        "time_error_s": _number(rep.time_error_s),
        "first_half_s": _number(rep.first_half_s),
        "second_half_s": _number(rep.second_half_s),
        "avg_heart_rate_bpm": _number(rep.avg_heart_rate_bpm),
        "max_heart_rate_bpm": _number(rep.max_heart_rate_bpm),
        "heart_rate_drop_60s_bpm": _number(rep.heart_rate_drop_60s_bpm),
        "rest_after_s": _number(rep.rest_after_s),
        "form": _form(rep.form),
        "boundaries": dict(rep.how),
        "kick": _kick(rep.kick),
    }


def _kick(kick: KickResult | None) -> dict[str, Any] | None:
    if kick is None:
        return None
    return {
        "start_s": _number(kick.start_s),
        "end_s": _number(kick.end_s),
        "duration_s": _number(kick.duration_s),
        "distance_m": _number(kick.distance_m),
        "measured_distance_m": _number(kick.measured_distance_m),
        "gps_distance_m": _number(kick.gps_distance_m),
        "distance_error_m": _number(kick.distance_error_m),
        "avg_speed_mps": _number(kick.avg_speed_mps),
        "peak_speed_mps": _number(kick.peak_speed_mps),
        "final_speed_mps": _number(kick.final_speed_mps),
        "fade_pct": _number(kick.fade_pct),
        "time_to_peak_s": _number(kick.time_to_peak_s),
        "distance_to_peak_m": _number(kick.distance_to_peak_m),
        "speed_vs_rep_pct": _number(kick.speed_vs_rep_pct),
        "bins": [{"from_m": b.from_m, "to_m": b.to_m, "speed_mps": _number(b.speed_mps)} for b in kick.bins],
        "form": _form(kick.form),
    }


def _form(form: FormChange | None) -> dict[str, Any] | None:
    if form is None:
        return None
    return {
        "cadence_change_pct": _number(form.cadence_change_pct),
        "step_length_change_pct": _number(form.step_length_change_pct),
        "ground_contact_change_pct": _number(form.ground_contact_change_pct),
        "vertical_oscillation_change_pct": _number(form.vertical_oscillation_change_pct),
        "breakdown": form.breakdown,
        "notes": list(form.notes),
    }


def _planned(rep: PlannedRep) -> dict[str, Any]:
    recovery = rep.recovery
    return {
        "distance_m": rep.distance_m,
        "duration_s": rep.duration_s,
        "kick_m": rep.kick_m,
        "pace_s_per_km": _number(rep.pace_s_per_km),
        "max_effort": rep.max_effort,
        "kind": rep.kind,
        "recovery": None
        if recovery is None
        else {"distance_m": recovery.distance_m, "duration_s": recovery.duration_s, "activity": recovery.activity},
    }


def _effort(effort: Effort) -> dict[str, Any]:
    return {
        "start_s": _number(effort.start_s),
        "end_s": _number(effort.end_s),
        "distance_m": _number(effort.distance_m),
        "mean_speed_mps": _number(effort.mean_speed_mps),
    }


def _segmentation(segmentation: Segmentation) -> dict[str, Any]:
    """How the reps were found and what was measured about the watch (schema 1.0's keys)."""
    calibration = segmentation.calibration
    track = calibration.track
    return {
        "method": segmentation.method,
        "speed_source": calibration.speed_source,
        "speed_lag_s": round(calibration.speed_lag_s, 2),
        "distance_lag_s": round(calibration.distance_lag_s, 2),
        "lag_correlation": _rounded(calibration.lag_correlation, 3),
        "distance_scale": _rounded(calibration.distance_scale, 4),
        "speed_scale": _rounded(calibration.speed_scale, 4),
        "sharp_reps": calibration.sharp_reps,
        "start_line_m": _rounded(calibration.start_line_m, 1),
        **_plain(segmentation.diagnostics),
        "track_corrected": track is not None,
        "track": None if track is None else _track(track),
    }


def _track(track: TrackCorrection) -> dict[str, Any]:
    fit = track.fit
    return {
        "centre_lat_deg": round(fit.centre_lat_deg, 7),
        "centre_lon_deg": round(fit.centre_lon_deg, 7),
        "bearing_deg": round(fit.bearing_deg, 2),
        "direction": fit.direction,
        "scale": round(fit.scale, 4),
        "lane": fit.lane,
        "lane_probability": round(fit.lane_probability, 3),
        "lanes": list(track.lanes),
        "residual_rms_m": round(fit.residual_rms_m, 2),
        "on_track_share": round(fit.on_track_share, 3),
        "coverage": round(fit.coverage, 3),
        "laps": round(fit.laps, 2),
        "quality": round(fit.quality, 3),
        "source": fit.source,
        "on_track_m": round(track.on_track_m, 1),
        "device_scale": _rounded(track.device_scale, 4),
        "rep_error_pct": round(track.rep_error_pct, 3),
        "rep_error_m": round(track.rep_error_m, 2),
    }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _number(v) if isinstance(v, float) else v for k, v in values.items()}


def _number(value: float | None, digits: int = 3) -> float | None:
    if value is None:
        return None
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None
