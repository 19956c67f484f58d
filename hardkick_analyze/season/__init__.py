"""Season review: many files at once, what each was, the same workout over time, fitness against the goal.

Stages, one module each: :mod:`.inputs` (PATHs -> inputs, bundles walked safely), :mod:`.cache`
(results by file content), :mod:`.worker` (one file -> one small entry, never raising),
:mod:`.batch` (the composer, over any ``concurrent.futures.Executor``), :mod:`.records` (the
entry as a typed record), :mod:`.checks` (the day after, warm-up and cool-down, the base),
:mod:`.groups` (sessions of one workout and their trends), :mod:`.fitness` (the 5 km estimate,
Daniels' VDOT), :mod:`.trend` (the straight line both fit), :mod:`.review` (all three over the
season), :mod:`.plan` (dates -> goal or pace) and :mod:`.charts` (each session's own charts).
The season in words, tables, JSON and HTML is in :mod:`hardkick_analyze.present.season`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .batch import analyze_season as analyze_season
    from .batch import default_workers as default_workers
    from .cache import ResultCache as ResultCache
    from .cache import default_cache_dir as default_cache_dir
    from .checks import Flag as Flag
    from .checks import SessionCheck as SessionCheck
    from .fitness import FitnessEstimate as FitnessEstimate
    from .fitness import SeasonFitness as SeasonFitness
    from .groups import WorkoutGroup as WorkoutGroup
    from .inputs import BundleCaps as BundleCaps
    from .inputs import SessionInput as SessionInput
    from .inputs import expand_paths as expand_paths
    from .inputs import is_bundle as is_bundle
    from .plan import Plan as Plan
    from .plan import PlanEntry as PlanEntry
    from .plan import read_plan as read_plan
    from .records import SessionRecord as SessionRecord
    from .review import SeasonResult as SeasonResult
    from .review import SeasonReview as SeasonReview

__all__ = [
    "BundleCaps",
    "FitnessEstimate",
    "Flag",
    "Plan",
    "PlanEntry",
    "ResultCache",
    "SeasonFitness",
    "SeasonResult",
    "SeasonReview",
    "SessionCheck",
    "SessionInput",
    "SessionRecord",
    "WorkoutGroup",
    "analyze_season",
    "default_cache_dir",
    "default_workers",
    "expand_paths",
    "is_bundle",
    "read_plan",
]

#: Each name this package offers, and the module that holds it: imported on first use, so a
#: command that reads one file never pays for the season's modules.
_EXPORTS = {
    "BundleCaps": ".inputs",
    "FitnessEstimate": ".fitness",
    "Flag": ".checks",
    "Plan": ".plan",
    "PlanEntry": ".plan",
    "ResultCache": ".cache",
    "SeasonFitness": ".fitness",
    "SeasonResult": ".review",
    "SeasonReview": ".review",
    "SessionCheck": ".checks",
    "SessionInput": ".inputs",
    "SessionRecord": ".records",
    "WorkoutGroup": ".groups",
    "analyze_season": ".batch",
    "default_cache_dir": ".cache",
    "default_workers": ".batch",
    "expand_paths": ".inputs",
    "is_bundle": ".inputs",
    "read_plan": ".plan",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
