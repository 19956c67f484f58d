"""Season review: many files at once, which were hard-kick sessions, and how the reps and kicks trend.

Stages, one module each: :mod:`.inputs` (PATHs -> inputs, bundles walked safely), :mod:`.cache`
(results by file content), :mod:`.worker` (one file -> one small entry, never raising),
:mod:`.batch` (the composer, over any ``concurrent.futures.Executor``), :mod:`.checks` (the
day after, warm-up and cool-down, the base), :mod:`.plan` (dates -> goal or pace),
:mod:`.outputs` (CSV, JSON), :mod:`.html` (the self-contained report) and :mod:`.report`
(everything ``--out`` writes, charts included).
"""

from __future__ import annotations

from .batch import analyze_season, default_workers
from .cache import ResultCache, default_cache_dir
from .inputs import BundleCaps, SessionInput, expand_paths, is_bundle
from .outputs import json_entries, reps_long_table, season_to_dict, sessions_table, write_season_tables
from .plan import Plan, PlanEntry, read_plan
from .records import SeasonResult, SessionCheck, SessionRecord
from .report import write_season

__all__ = [
    "BundleCaps",
    "Plan",
    "PlanEntry",
    "ResultCache",
    "SeasonResult",
    "SessionCheck",
    "SessionInput",
    "SessionRecord",
    "analyze_season",
    "default_cache_dir",
    "default_workers",
    "expand_paths",
    "is_bundle",
    "json_entries",
    "read_plan",
    "reps_long_table",
    "season_to_dict",
    "sessions_table",
    "write_season",
    "write_season_tables",
]
