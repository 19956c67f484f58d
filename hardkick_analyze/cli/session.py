"""One file (or a few, each its own session) after a workout: analyse, print, and write what was asked."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import typer

from ..errors import HardkickError
from ..pipeline import analyze_session
from ..present.report_json import report_to_dict, reps_table
from ..present.text import render_activity_summary, render_report
from ..readers import read_activity
from ..results import SessionReport
from .options import Options


def run_sessions(paths: Sequence[Path], options: Options) -> int:
    """Analyse each file on its own and return the exit code: 2 when none could be analysed."""
    failed = 0
    outputs: list[dict[str, object]] = []
    for path in paths:
        try:
            report = analyze_session(
                path, workout=options.workout, pace_s_per_km=options.pace_s_per_km, goal_5k=options.goal_5k
            )
        except HardkickError as exc:
            typer.echo(f"hk-analyze: {exc}", err=True)
            failed += 1
            outputs.append({"source": path.name, "status": "failed", "error": exc.reason})
            continue
        except Exception as exc:  # a bug of ours: one line, not a traceback, and say so
            typer.echo(
                f"hk-analyze: {path.name}: internal error ({type(exc).__name__}: {exc}); please report it", err=True
            )
            failed += 1
            outputs.append({"source": path.name, "status": "failed", "error": f"internal error: {exc}"})
            continue
        _emit(report, options, outputs)
    if options.as_json:
        typer.echo(json.dumps(outputs[0] if len(paths) == 1 and outputs else outputs, indent=2))
    return 2 if failed == len(paths) else 0


def run_summaries(paths: Sequence[Path], options: Options) -> int:
    """Say what each file holds (folders and bundles are opened); 2 when no file could be read."""
    # Imported here: only a summary of a folder or a bundle walks them.
    from ..season.inputs import expand_paths

    inputs = expand_paths(paths)
    read = 0
    for item in inputs:
        try:
            activity = read_activity(item.loader(), name=item.source_name)
        except HardkickError as exc:
            typer.echo(f"hk-analyze: {exc}", err=True)
            continue
        typer.echo(render_activity_summary(activity))
        read += 1
    if not inputs:
        typer.echo(f"hk-analyze: no activity files (FIT, GPX, TCX, zip) in {', '.join(map(str, paths))}", err=True)
    return 0 if read else 2


def _emit(report: SessionReport, options: Options, outputs: list[dict[str, object]]) -> None:
    """Print one session (or keep its JSON for the end) and write its CSV and charts."""
    if options.as_json:
        outputs.append(report_to_dict(report))
    else:
        typer.echo(render_report(report, options.units.value))
    if options.csv is not None:
        reps_table(report).to_csv(options.csv, index=False)
    if options.charts is not None:
        write_charts(report, options, to_stderr=options.as_json)


def write_charts(report: SessionReport, options: Options, *, to_stderr: bool) -> None:
    """Draw the session's charts and print their paths (on stderr beside JSON, which owns stdout)."""
    assert options.charts is not None
    # Imported here: matplotlib is slow to import and only charts need it.
    from ..plots import save_session_charts

    try:
        paths = save_session_charts(report, options.charts, options.chart_format.value, units=options.units.value)
    except OSError as exc:
        typer.echo(f"hk-analyze: cannot write the charts to {options.charts}: {exc.strerror or exc}", err=True)
        raise typer.Exit(code=2) from None
    for path in paths:
        typer.echo(str(path), err=to_stderr)
