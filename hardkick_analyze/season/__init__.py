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

from .batch import analyze_season, default_workers
from .cache import ResultCache, default_cache_dir
from .checks import Flag, SessionCheck
from .fitness import FitnessEstimate, SeasonFitness
from .groups import WorkoutGroup
from .inputs import BundleCaps, SessionInput, expand_paths, is_bundle
from .plan import Plan, PlanEntry, read_plan
from .records import SessionRecord
from .review import SeasonResult, SeasonReview

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
