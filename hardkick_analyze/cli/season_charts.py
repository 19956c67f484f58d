"""The season's charts from the command line, drawn side by side on processes forked from this one.

A season's charts are drawn once every file is analysed, a tenth of a second each (a season of
many workouts has dozens): the charts not in the cache are drawn on one process per core, each
forked with the chart code already imported. (Importing the chart code on a thread while the
workers analyse gains nothing when the workers take every core: it was tried.)
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib import import_module

from ..present.season.chart_cache import ChartRequest
from ..season.batch import default_workers, fork_is_safe

__all__ = ["draw_side_by_side"]

#: The module that draws the season's charts (it imports matplotlib).
CHART_CODE = "hardkick_analyze.plots.season"


def draw_side_by_side(
    render: Callable[[ChartRequest], bytes], requests: list[ChartRequest], *, workers: int | None
) -> list[bytes]:
    """The charts drawn on processes forked from this one, one per core (at most ``workers``),
    else one after the other here (one chart, one core, or other threads running)."""
    count = min(workers or default_workers(), default_workers(), len(requests))
    if count < 2 or not fork_is_safe():
        return [render(request) for request in requests]
    # The chart code imported here first: every forked process then starts with it.
    import_module(CHART_CODE)
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(render, requests))
    except (BrokenProcessPool, OSError):
        return [render(request) for request in requests]
