"""hardkick-analyze: how an interval session really went, from the watch file."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .errors import HardkickError
from .models import Activity, PlannedRep, Workout
from .pipeline import analyze_session
from .present.report_json import report_to_dict, reps_table
from .readers import read_activity
from .results import SessionReport
from .version import __version__ as __version__
from .workout import parse_workout

__all__ = [
    "Activity",
    "HardkickError",
    "PlannedRep",
    "SessionReport",
    "Workout",
    "analyze_season",
    "analyze_session",
    "parse_workout",
    "read_activity",
    "report_to_dict",
    "reps_table",
]

if TYPE_CHECKING:
    from . import plots as plots
    from .season import analyze_season as analyze_season


def __getattr__(name: str) -> object:
    # ``hardkick_analyze.plots`` (charts) imports matplotlib, which analysis and JSON never need
    # and which takes a while to import, and the season review is not needed for one file: both
    # are loaded on first use.
    if name == "plots":
        return importlib.import_module(".plots", __name__)
    if name == "analyze_season":
        return importlib.import_module(".season.batch", __name__).analyze_season
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
