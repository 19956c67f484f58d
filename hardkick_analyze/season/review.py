"""What a season says once every file is read: checks, repeated workouts, fitness against the goal, flags.

:func:`review_season` composes :mod:`.checks`, :mod:`.groups` and :mod:`.fitness` over the
records; :class:`SeasonResult` holds the records and their review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from ..units import parse_clock
from .checks import Flag, SessionCheck, season_checks
from .fitness import GoalAt, SeasonFitness, season_fitness
from .groups import SessionMetrics, WorkoutGroup, workout_groups
from .plan import Plan
from .records import SessionRecord

__all__ = ["SeasonResult", "SeasonReview", "goal_timeline", "review_season"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonReview:
    """The season's checks, workout groups and fitness.

    Attributes
    ----------
    checks
        One per dated hard session, in date order.
    groups
        The interval sessions by workout, most sessions first.
    fitness
        The 5 km estimate of each interval session, the current one and the goal.
    flags
        Every check's flags, the most severe first, then the most recent first.
    """

    checks: tuple[SessionCheck, ...] = ()
    groups: tuple[WorkoutGroup, ...] = ()
    fitness: SeasonFitness = field(default_factory=SeasonFitness)
    flags: tuple[Flag, ...] = ()
    # Looked up once per file by every output: built once.
    _group_of: Mapping[str, WorkoutGroup] = field(init=False, repr=False, compare=False)
    _check_for: Mapping[str, SessionCheck] = field(init=False, repr=False, compare=False)
    _metrics_of: Mapping[str, SessionMetrics] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups = {s.source: g for g in self.groups for s in g.sessions}
        object.__setattr__(self, "_group_of", MappingProxyType(groups))
        metrics = {s.source: s for g in self.groups for s in g.sessions}
        object.__setattr__(self, "_metrics_of", MappingProxyType(metrics))
        object.__setattr__(self, "_check_for", MappingProxyType({c.source: c for c in self.checks}))

    def group_of(self, source: str) -> WorkoutGroup | None:
        """The workout group a session belongs to, by its file name."""
        return self._group_of.get(source)

    def check_for(self, source: str) -> SessionCheck | None:
        """The checks of one hard session, by its file name."""
        return self._check_for.get(source)

    def metrics_of(self, source: str) -> SessionMetrics | None:
        """A session measured on the reps of its workout, by its file name."""
        return self._metrics_of.get(source)


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonResult:
    """Every input of a season review, in date order, and what the season says.

    Attributes
    ----------
    records
        One per input, ordered by start time (undated ones last), then by name.
    review
        The checks around each hard session, the workouts repeated over the season, the fitness
        estimate against the goal, and the flags ranked.
    analysed_now
        Files analysed in this run (not served from the cache) [count].
    cache_hits
        Files served from the cache [count].
    """

    records: tuple[SessionRecord, ...]
    review: SeasonReview = field(default_factory=SeasonReview)
    analysed_now: int = 0
    cache_hits: int = 0

    def of_kind(self, kind: str) -> tuple[SessionRecord, ...]:
        """The records of one kind (see :data:`~hardkick_analyze.season.records.KINDS`)."""
        return tuple(r for r in self.records if r.kind == kind)

    @property
    def read_count(self) -> int:
        """Files that could be read [count]."""
        return sum(r.kind != "failed" for r in self.records)

    @property
    def checks(self) -> tuple[SessionCheck, ...]:
        """The checks of every hard session, in date order."""
        return self.review.checks

    def check_for(self, source: str) -> SessionCheck | None:
        """The checks of one hard session, by its file name."""
        return self.review.check_for(source)


def review_season(
    records: Sequence[SessionRecord], *, goal_5k: str | None = None, plan: Plan | None = None
) -> SeasonReview:
    """Check, group and estimate a season's records.

    Parameters
    ----------
    records
        Every record of the season, in date order.
    goal_5k
        Goal 5 km time (``'25:00'``) where the plan sets none.
    plan
        Dates -> goal, pace or workout (:func:`~hardkick_analyze.season.plan.read_plan`).
    """
    checks = season_checks(records)
    flags = sorted(
        (flag for check in checks for flag in check.flags),
        key=lambda f: (f.severity, -f.start_time.value, f.source),
    )
    return SeasonReview(
        checks=checks,
        groups=workout_groups(records),
        fitness=season_fitness(records, goal_timeline(goal_5k, plan)),
        flags=tuple(flags),
    )


def goal_timeline(goal_5k: str | None, plan: Plan | None) -> GoalAt:
    """The goal 5 km time in force at a time [s]: the plan's entry for the day, else ``goal_5k``."""
    default = parse_clock(goal_5k) if goal_5k is not None else None

    def goal_at(when: pd.Timestamp) -> float | None:
        entry = plan.for_time(when) if plan is not None else None
        if entry is not None and entry.goal_5k is not None:
            return parse_clock(entry.goal_5k)
        return default

    return goal_at
