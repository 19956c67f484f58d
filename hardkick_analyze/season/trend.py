"""A straight-line trend over a season's sessions: the one fit the workout groups and the fitness estimate share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["TREND_MIN_DAYS", "TREND_MIN_SESSIONS", "Line", "days_since", "fit_line"]

#: A trend needs this many sessions, spread over at least this many days: two sessions, or a
#: week's, are a change, not a trend.
TREND_MIN_SESSIONS = 3
TREND_MIN_DAYS = 14.0


@dataclass(frozen=True, slots=True)
class Line:
    """``value = start + per_day * days since the first session``."""

    start: float
    per_day: float


def days_since(times: Sequence[pd.Timestamp], origin: pd.Timestamp) -> np.ndarray:
    """Days from ``origin`` to each time [days]."""
    return np.array([(t - origin) / pd.Timedelta(days=1) for t in times], dtype=float)


def fit_line(times: Sequence[pd.Timestamp], values: Sequence[float]) -> Line | None:
    """The least-squares line through the values over the days since the first time; None with
    fewer than :data:`TREND_MIN_SESSIONS` over :data:`TREND_MIN_DAYS`."""
    if len(times) < TREND_MIN_SESSIONS:
        return None
    days = days_since(times, times[0])
    if days[-1] - days[0] < TREND_MIN_DAYS:
        return None
    per_day, start = np.polyfit(days, np.asarray(values, dtype=float), 1)
    return Line(start=float(start), per_day=float(per_day))
