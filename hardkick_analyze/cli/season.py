"""A season review from the command line: options in, one library call, text or JSON out, an exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

import typer

from ..errors import HardkickError
from ..season.batch import ProgressCallback, analyze_season
from ..season.cache import ResultCache
from ..season.inputs import expand_paths, is_bundle
from ..season.outputs import json_entries
from ..season.plan import read_plan
from ..season.records import SeasonResult, SessionRecord
from ..units import format_pace
from .options import Options

__all__ = ["is_season", "run_season"]

#: How long to keep trying to reach a Dask scheduler before giving up [s].
DASK_CONNECT_TIMEOUT_S = 30.0


def is_season(paths: Sequence[Path]) -> bool:
    """Several PATHs, a folder or a bundle make a season review; one plain file does not."""
    return len(paths) > 1 or any(p.is_dir() or is_bundle(p) for p in paths)


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
        typer.echo(render_season_text(result))
    if options.out is not None:
        # Charts need matplotlib: import it only when they are asked for.
        from ..season.report import write_season

        written = write_season(result, options.out)
        typer.echo(f"hk-analyze: wrote {len(written)} files to {options.out}", err=True)
    return 0 if result.read_count else 2


def render_season_text(result: SeasonResult) -> str:
    """One line per file, then the counts, for a person at a terminal."""
    lines = [_line(result, r) for r in result.records]
    counts = (
        f"{len(result.records)} files: {len(result.of_kind('hard_kick'))} hard-kick sessions, "
        f"{len(result.of_kind('other'))} other, {len(result.of_kind('failed'))} failed"
    )
    if result.cache_hits:
        counts += f" ({result.cache_hits} from the cache)"
    return "\n".join([*lines, counts])


def _line(result: SeasonResult, record: SessionRecord) -> str:
    date = record.start_time.date().isoformat() if record.start_time is not None else "----------"
    head = f"{date}  {record.kind:<9}  {record.source}"
    if record.kind == "failed":
        return f"{head}: {record.error_kind}: {record.error}"
    if record.kind == "other":
        return f"{head}  ({record.sport or 'unknown sport'})"
    report = record.report or {}
    workout = report.get("workout") or {}
    score = (report.get("score") or {}).get("total")
    check = result.check_for(record.source)
    parts = [
        str(workout.get("spec")),
        f"{len(report.get('reps', []))} reps",
        f"target {format_pace(workout.get('target_pace_s_per_km'))} ({workout.get('target_pace_source')})",
        f"score {score:.0f}" if score is not None else "",
        "; ".join(check.flags) if check is not None else "",
    ]
    return f"{head}  " + ", ".join(p for p in parts if p)


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
    """A rich progress bar on stderr when it is a terminal and the output is not JSON."""
    if as_json or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("analysing", total=None)

        def advance(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
