"""The per-file job of a season review: bytes in, a small JSON-ready entry out, never an exception.

:func:`analyze_file` is a top-level function of plain, picklable arguments, so any
``concurrent.futures.Executor`` can run it: a process pool on this machine, or a Dask cluster.
"""

from __future__ import annotations

import dataclasses
import math
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import HardkickError
from ..models import Activity
from ..pipeline import analyze_session
from ..present.report_json import report_to_dict
from ..readers import read_activity
from .plan import Plan

__all__ = ["AnalysisOptions", "analyze_file", "options_for"]

#: Starts before this are a device's power-on clock, not a date.
_EARLIEST_REAL_START = pd.Timestamp("2000-01-01", tz="UTC")


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisOptions:
    """How every file of the season is analysed.

    Attributes
    ----------
    workout
        Workout spec or preset for every file; None tries the known workouts on each.
    pace_s_per_km
        Target rep pace for files the plan does not cover [s/km]; None infers it from the reps.
    goal_5k
        Goal 5 km time (``'25:00'``) for files the plan does not cover.
    plan
        Dates -> goal, pace or workout; an entry in force for a file's date wins over the above.
    """

    workout: str | None = None
    pace_s_per_km: float | None = None
    goal_5k: str | None = None
    plan: Plan | None = None

    def as_key(self) -> dict[str, Any]:
        """The options as plain JSON values, for the cache key."""
        plain = dataclasses.asdict(self)
        if self.plan is not None:
            entries = self.plan.entries
            plain["plan"] = [{**dataclasses.asdict(e), "start_date": e.start_date.isoformat()} for e in entries]
        return plain


def analyze_file(name: str, data: bytes, options: AnalysisOptions) -> dict[str, Any]:
    """Read and analyse one file's bytes.

    Parameters
    ----------
    name
        The file's name inside the folder or bundle, used in the report and in errors.
    data
        The file's bytes as stored (gzip and single-activity zips are unwrapped here).
    options
        The season's analysis options.

    Returns
    -------
    dict
        ``kind`` (``'analysed'`` or ``'failed'``), ``report`` (the session's JSON
        contract), ``activity`` (sport, start, duration, distance, device), and for a failure
        ``error``, ``error_kind`` and ``internal_error`` (True when the analysis itself broke,
        with the traceback in ``traceback``). Never raises.
    """
    try:
        activity = read_activity(data, name=name)
        workout, pace, goal = options_for(activity, options)
        report = analyze_session(activity, workout=workout, pace_s_per_km=pace, goal_5k=goal)
        return {
            "kind": "analysed",
            "report": report_to_dict(report),
            "activity": _activity_summary(activity),
        }
    except HardkickError as exc:
        return {"kind": "failed", "error": exc.reason, "error_kind": exc.kind, "internal_error": False}
    except Exception as exc:
        # A bug, not a bad file: the batch goes on, and the traceback travels with the entry.
        return {
            "kind": "failed",
            "error": f"{type(exc).__name__}: {exc}",
            "error_kind": "internal error",
            "internal_error": True,
            "traceback": traceback.format_exc(),
        }


def options_for(activity: Activity, options: AnalysisOptions) -> tuple[str | None, float | None, str | None]:
    """Workout, pace and goal for this file: the plan entry of its date first, then the season's."""
    entry = options.plan.for_time(activity.start_time) if options.plan is not None else None
    workout = entry.workout if entry is not None and entry.workout is not None else options.workout
    if entry is not None and entry.pace_s_per_km is not None:
        return workout, entry.pace_s_per_km, None
    if entry is not None and entry.goal_5k is not None:
        return workout, None, entry.goal_5k
    return workout, options.pace_s_per_km, options.goal_5k


def _activity_summary(activity: Activity) -> dict[str, Any]:
    meta = activity.metadata
    distance = activity.track["distance_m"].to_numpy(dtype=float)
    finite = distance[np.isfinite(distance)]
    start = activity.start_time
    device = " ".join(x for x in (meta.manufacturer, meta.product) if x) or meta.device_name
    return {
        "sport": meta.sport,
        "sub_sport": meta.sub_sport,
        "format": meta.format,
        "start_time": start.isoformat(),
        "clock_relative": bool(start < _EARLIEST_REAL_START),
        "duration_s": _finite(activity.duration_s),
        "distance_m": _finite(float(finite[-1] - finite[0])) if len(finite) else None,
        "device": device,
    }


def _finite(value: float) -> float | None:
    return round(float(value), 3) if math.isfinite(value) else None
