"""A season review from the command line: options in, one library call, text or JSON out, an exit code."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

import typer

from ..errors import HardkickError
from ..present.season.tables import json_entries, reps_table
from ..present.season.text import render_season_text
from ..season.batch import ProgressCallback, analyze_season
from ..season.cache import ResultCache
from ..season.charts import draw_session_charts
from ..season.inputs import SessionInput, expand_paths
from ..season.plan import Plan, read_plan
from ..season.review import SeasonResult
from ..season.worker import AnalysisOptions
from .options import Options
from .season_charts import draw_side_by_side

__all__ = ["run_season"]

#: How long to keep trying to reach a Dask scheduler before giving up [s].
DASK_CONNECT_TIMEOUT_S = 30.0


def run_season(paths: Sequence[Path], options: Options) -> int:
    """Run a season review for the command line and return its exit code.

    0 when any file was read, 2 when none could be (or the plan, the scheduler or the PATHs
    are unusable). Failures go to stderr one line each; a failure that is a bug says so.
    """
    try:
        plan = read_plan(options.plan) if options.plan is not None else None
    except HardkickError as exc:
        typer.echo(f"hk-analyze: {exc}", err=True)
        return 2
    inputs = expand_paths(paths)
    if not inputs:
        typer.echo(f"hk-analyze: no activity files (FIT, GPX, TCX, zip) in {', '.join(map(str, paths))}", err=True)
        return 2
    cache = None if options.no_cache else ResultCache(options.cache_dir)
    try:
        with _executor(options.dask_scheduler) as (executor, slots), _progress(options.as_json) as progress:
            result = analyze_season(
                inputs,
                executor=executor,
                workers=slots or options.workers,
                cache=cache,
                workout=options.workout,
                pace_s_per_km=options.pace_s_per_km,
                goal_5k=options.goal_5k,
                plan=plan,
                progress=progress,
                # Even --workers 1 runs in a worker process: a file that crashes it cannot take the run along.
                isolate=True,
            )
    except _SchedulerError as exc:
        typer.echo(f"hk-analyze: {exc}", err=True)
        return 2
    _report_failures(result)
    if options.as_json:
        typer.echo(json.dumps(json_entries(result), indent=2, allow_nan=False))
    else:
        typer.echo(render_season_text(result, options.units.value))
    try:
        _write_outputs(result, inputs, plan, options)
    except OSError as exc:
        typer.echo(f"hk-analyze: cannot write the season's outputs: {exc.strerror or exc}", err=True)
        return 2
    return 0 if result.read_count else 2


def _write_outputs(result: SeasonResult, inputs: Sequence[SessionInput], plan: Plan | None, options: Options) -> None:
    """Each interval session's charts (--charts), every session's reps (--csv) and the season's files (--out)."""
    units = options.units.value
    session_charts = None
    if options.charts is not None:
        analysis = AnalysisOptions(
            workout=options.workout, pace_s_per_km=options.pace_s_per_km, goal_5k=options.goal_5k, plan=plan
        )
        drawn = draw_session_charts(
            result,
            inputs,
            options.charts,
            options=analysis,
            chart_format=options.chart_format.value,
            units=units,
            workers=options.workers,
        )
        for name, reason in drawn.failed.items():
            typer.echo(f"hk-analyze: {name}: no charts: {reason}", err=True)
        typer.echo(f"hk-analyze: drew the charts of {len(drawn.paths)} sessions in {options.charts}", err=True)
        session_charts = drawn.paths
    if options.csv is not None:
        reps_table(result).to_csv(options.csv, index=False)
    if options.out is not None:
        # Charts need matplotlib: import it only when they are asked for.
        from ..present.season.chart_cache import ChartCache
        from ..present.season.files import write_season

        charts = ChartCache(None if options.no_cache else ResultCache(options.cache_dir).directory / "season-charts")
        draw = functools.partial(draw_side_by_side, workers=options.workers)
        written = write_season(
            result, options.out, units=units, session_charts=session_charts, chart_cache=charts, draw_charts=draw
        )
        typer.echo(f"hk-analyze: wrote {len(written)} files to {options.out}", err=True)


def _report_failures(result: SeasonResult) -> None:
    for record in result.of_kind("failed"):
        if record.internal_error:
            typer.echo(f"hk-analyze: BUG, please report: {record.source}: {record.error}", err=True)
            if record.traceback:
                typer.echo(record.traceback.rstrip(), err=True)
        else:
            typer.echo(f"hk-analyze: {record.source}: {record.error}", err=True)


class _SchedulerError(Exception):
    """The Dask scheduler cannot be used (extra not installed, or unreachable)."""


@contextmanager
def _executor(address: str | None) -> Iterator[tuple[Executor | None, int | None]]:
    """A Dask cluster's executor and its thread count, or (None, None) for the local process pool."""
    if address is None:
        yield None, None
        return
    try:
        from distributed import Client
    except ImportError as exc:
        raise _SchedulerError("--dask-scheduler needs the dask extra: pip install 'hardkick-analyze[dask]'") from exc
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT_S)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise _SchedulerError(f"cannot reach the Dask scheduler at {address} ({exc})") from exc
    with client:
        threads = sum(client.nthreads().values())  # type: ignore[no-untyped-call]
        yield client.get_executor(), max(threads, 1)  # type: ignore[no-untyped-call]


@contextmanager
def _progress(as_json: bool) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr when it is a terminal and the output is not JSON, drawn as
    each file comes back (no refresh thread: a process with one thread may fork its workers)."""
    if as_json or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("analysing", total=None)

        def advance(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, refresh=True)

        yield advance
