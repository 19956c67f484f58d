"""The ``hk-analyze`` command: parse arguments, call the library, render. Errors become exit 2 here."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .edges import check_goal_5k, check_output_file, check_output_folder, read_pace
from .errors import HardkickError, OutputPathError, WorkoutSpecError
from .pipeline import analyze_session
from .readers import read_activity
from .render import render_activity_summary, render_report
from .report_json import report_to_dict, reps_table
from .results import SessionReport
from .season.cli_support import SeasonOptions, is_season, run_season_cli
from .workout import parse_workout

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


class Units(str, Enum):
    """Distance unit for paces in the text report and the charts."""

    km = "km"
    mi = "mi"


class ChartFormat(str, Enum):
    """File format of the charts."""

    png = "png"
    svg = "svg"


@app.command()
def analyze(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Watch files (FIT, GPX, TCX, also .gz); folders or export zips for a season.", show_default=False
        ),
    ],
    workout: Annotated[
        str | None,
        typer.Option(
            "--workout",
            "-w",
            help="Planned workout, e.g. '4x400@4:55/km, 2x(400@4:55/km+100@max)' or a preset "
            "(hard-kick-500, hard-kick-250). Default: the preset that fits.",
        ),
    ] = None,
    pace: Annotated[
        str | None,
        typer.Option(help="Target rep pace M:SS per km (or M:SS/mi) for reps whose spec has none."),
    ] = None,
    goal_5k: Annotated[
        str | None,
        typer.Option("--goal-5k", help="Goal 5 km time M:SS; rep pace = goal pace - 5 s/km."),
    ] = None,
    units: Annotated[Units, typer.Option(help="Pace unit in the text report and the charts.")] = Units.km,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract instead of text.")] = False,
    csv: Annotated[Path | None, typer.Option(help="Also write the per-rep table to this CSV file.")] = None,
    summary: Annotated[bool, typer.Option(help="Only summarise what the file holds.")] = False,
    out: Annotated[
        Path | None,
        typer.Option(help="Season review: write sessions.csv, reps.csv, season.json, charts and report.html here."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Season review: parallel processes. Default and most: every core.")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Season review: analyse every file again.")] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="Season review: cache folder. Default: $HARDKICK_CACHE_DIR or ~/.cache/hardkick-analyze."),
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(help="Season review: plan file (CSV or JSON) of dates -> goal_5k, pace or workout."),
    ] = None,
    dask_scheduler: Annotated[
        str | None,
        typer.Option(help="Season review: run the files on this Dask scheduler (needs the 'dask' extra)."),
    ] = None,
    charts: Annotated[
        Path | None,
        typer.Option(help="Also draw the session, rep and kick-fade charts into this folder.", file_okay=False),
    ] = None,
    chart_format: Annotated[ChartFormat, typer.Option(help="File format of the charts.")] = ChartFormat.png,
) -> None:
    """Tell how a hard-kick interval session really went, from the watch file.

    Several files, a folder or an export bundle (Strava or Garmin zip) give a season review:
    hk-analyze ~/watch-files/2026 --out review/

    Example: hk-analyze sample_data/hard_kick_500_laps.fit --goal-5k 25:00
    """
    try:
        pace_s_per_km = read_pace(pace) if pace is not None else None
        if goal_5k is not None:
            check_goal_5k(goal_5k, label="--goal-5k")
        if workout is not None:
            parse_workout(workout)
    except WorkoutSpecError as exc:
        typer.echo(f"hk-analyze: {exc.reason}\n  {exc.caret().replace(chr(10), chr(10) + '  ')}", err=True)
        raise typer.Exit(code=2) from None
    except HardkickError as exc:
        typer.echo(f"hk-analyze: {exc}", err=True)
        raise typer.Exit(code=2) from None
    season_run = not summary and is_season(paths)
    _check_outputs(paths, season_run=season_run, out=out, csv=csv, charts=charts)
    if season_run:
        season = SeasonOptions(
            workout=workout,
            pace_s_per_km=pace_s_per_km,
            goal_5k=goal_5k,
            out=out,
            workers=workers,
            cache_dir=cache_dir,
            no_cache=no_cache,
            plan=plan,
            dask_scheduler=dask_scheduler,
            as_json=as_json,
        )
        raise typer.Exit(code=run_season_cli(paths, season))
    failed = 0
    outputs: list[dict[str, object]] = []
    for path in paths:
        try:
            if summary:
                typer.echo(render_activity_summary(read_activity(path)))
                continue
            report = analyze_session(path, workout=workout, pace_s_per_km=pace_s_per_km, goal_5k=goal_5k)
        except HardkickError as exc:
            typer.echo(f"hk-analyze: {exc}", err=True)
            failed += 1
            if as_json:
                outputs.append({"source": path.name, "status": "failed", "error": exc.reason})
            continue
        except Exception as exc:  # a bug of ours: one line, not a traceback, and say so
            typer.echo(
                f"hk-analyze: {path.name}: internal error ({type(exc).__name__}: {exc}); please report it", err=True
            )
            failed += 1
            if as_json:
                outputs.append({"source": path.name, "status": "failed", "error": f"internal error: {exc}"})
            continue
        if as_json:
            outputs.append(report_to_dict(report))
        else:
            typer.echo(render_report(report, units.value))
        if csv is not None:
            reps_table(report).to_csv(csv, index=False)
        if charts is not None:
            _write_charts(report, charts, chart_format.value, units.value, to_stderr=as_json)
    if as_json:
        typer.echo(json.dumps(outputs[0] if len(paths) == 1 and outputs else outputs, indent=2))
    if failed == len(paths):
        raise typer.Exit(code=2)


def _check_outputs(
    paths: list[Path], *, season_run: bool, out: Path | None, csv: Path | None, charts: Path | None
) -> None:
    """Refuse, before any file is read, an output option that would be ignored or could not be written."""
    try:
        if out is not None and not season_run:
            raise OutputPathError("--out", "writes a season review: give a folder, a bundle or several files")
        if csv is not None and season_run:
            raise OutputPathError("--csv", "writes one session's reps; a season review writes reps.csv with --out")
        if out is not None:
            check_output_folder(out, paths, option="--out")
        if csv is not None:
            check_output_file(csv, paths, option="--csv")
        if charts is not None:
            check_output_folder(charts, paths, option="--charts")
    except HardkickError as exc:
        typer.echo(f"hk-analyze: {exc}", err=True)
        raise typer.Exit(code=2) from None


def _write_charts(report: SessionReport, folder: Path, fmt: str, units: str, *, to_stderr: bool) -> None:
    """Draw the charts and print their paths (on stderr beside JSON, which owns stdout)."""
    # Imported here: matplotlib is slow to import and only charts need it.
    from .plots import save_session_charts

    try:
        paths = save_session_charts(report, folder, fmt, units=units)
    except OSError as exc:
        typer.echo(f"hk-analyze: cannot write the charts to {folder}: {exc.strerror or exc}", err=True)
        raise typer.Exit(code=2) from None
    for path in paths:
        typer.echo(str(path), err=to_stderr)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
