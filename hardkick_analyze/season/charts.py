"""Each interval session's own charts (session, reps, kick fade) for a season, drawn in parallel.

A season's records keep the session's JSON, not its time series, so each interval session is read
and analysed again (with the same options and plan as in the season) and drawn by
:func:`hardkick_analyze.plots.save_session_charts`. Files are named after the session's name in
the folder or bundle, its folders joined by ``_``, so two ``run.fit`` in two folders do not
overwrite each other. A session that cannot be drawn is reported, never raised.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import warnings
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HardkickError
from ..pipeline import analyze_session
from ..readers import read_activity
from .batch import default_workers
from .inputs import SessionInput
from .review import SeasonResult
from .worker import AnalysisOptions, options_for

__all__ = ["SessionCharts", "draw_session_charts"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionCharts:
    """The chart files of each session drawn, and why the others were not.

    Attributes
    ----------
    paths
        Session file name -> its chart files (session overview, reps, kick fade when it has kicks).
    failed
        Session file name -> one-line reason.
    """

    paths: dict[str, tuple[Path, ...]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def draw_session_charts(
    result: SeasonResult,
    inputs: Sequence[SessionInput],
    out_dir: str | os.PathLike[str],
    *,
    options: AnalysisOptions | None = None,
    chart_format: str = "png",
    units: str = "km",
    workers: int | None = None,
    executor: Executor | None = None,
) -> SessionCharts:
    """Draw the charts of every interval session of a season into ``out_dir``.

    Parameters
    ----------
    result
        The season (its interval sessions are drawn).
    inputs
        The inputs the season was analysed from (their loaders give the bytes again).
    out_dir
        Folder to write to; created if missing.
    options
        The season's analysis options (workout, pace, goal, plan), so each session is analysed
        as it was in the season.
    chart_format
        ``'png'`` or ``'svg'``.
    units
        ``'km'`` or ``'mi'`` for paces.
    workers
        Parallel processes; default, and at most, every core this process may use (1: here).
    executor
        Runs the drawing instead of a process pool of ``workers``.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    jobs, failed = _jobs(result, inputs)
    chosen = AnalysisOptions() if options is None else options
    count = min(workers or default_workers(), default_workers(), max(len(jobs), 1))
    arguments = [(name, data, chosen, str(folder), chart_format, units) for name, data in jobs]
    if executor is not None:
        outcomes = list(executor.map(_draw, *zip(*arguments, strict=True))) if arguments else []
    elif count <= 1:
        outcomes = [_draw(*a) for a in arguments]
    else:
        with ProcessPoolExecutor(count, mp_context=_context()) as pool:
            outcomes = list(pool.map(_draw, *zip(*arguments, strict=True)))
    paths = {}
    for (name, _), (drawn, reason) in zip(jobs, outcomes, strict=True):
        if reason is not None:
            failed[name] = reason
        else:
            paths[name] = tuple(Path(p) for p in drawn)
    return SessionCharts(paths=paths, failed=failed)


def _jobs(result: SeasonResult, inputs: Sequence[SessionInput]) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    """Each interval session's bytes again, and why a session's could not be had."""
    by_name = {item.source_name: item for item in inputs}
    jobs: list[tuple[str, bytes]] = []
    failed: dict[str, str] = {}
    for record in result.of_kind("interval"):
        item = by_name.get(record.source)
        try:
            data = item.loader() if item is not None else None
        except HardkickError as exc:
            data, failed[record.source] = None, exc.reason
        if data is None:
            failed.setdefault(record.source, "not among the inputs")
        elif record.content_sha256 is not None and hashlib.sha256(data).hexdigest() != record.content_sha256:
            failed[record.source] = "the file changed since it was analysed"
        else:
            jobs.append((record.source, data))
    return jobs, failed


def chart_name(source: str) -> str:
    """The name a session's charts are drawn under: its folders and bundle joined by ``_``."""
    return re.sub(r"[/\\!]+", "_", source)


def _draw(
    name: str, data: bytes, options: AnalysisOptions, folder: str, chart_format: str, units: str
) -> tuple[list[str], str | None]:
    """Analyse one session again and draw it: (paths written, None) or ([], the reason it failed)."""
    # matplotlib is imported by the process that draws, and only when charts are asked for.
    from ..plots import save_session_charts

    try:
        activity = read_activity(data, name=chart_name(name))
        workout, pace, goal = options_for(activity, options)
        report = analyze_session(activity, workout=workout, pace_s_per_km=pace, goal_5k=goal)
        with warnings.catch_warnings():
            # A workout named in a script the charts' font lacks (a watch's Chinese step names)
            # draws its letters as boxes: a blemish, not a line on stderr for every letter.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
            drawn = save_session_charts(report, folder, chart_format, units=units)
    except HardkickError as exc:
        return [], exc.reason
    except OSError as exc:
        return [], f"cannot write the charts: {exc.strerror or exc}"
    except Exception as exc:  # a bug of ours: the other sessions are still drawn
        return [], f"internal error: {type(exc).__name__}: {exc}"
    return [str(p) for p in drawn], None


def _context() -> multiprocessing.context.BaseContext:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)
