"""The command line: its options, checked before any file is read, then one of the two modes."""

from __future__ import annotations

import atexit
import gc
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..edges import check_goal_5k, check_output_file, check_output_folder, read_pace
from ..errors import ArgumentError, HardkickError, WorkoutSpecError
from ..workout import parse_workout
from .options import ChartFormat, Options, Units, is_season
from .session import run_sessions, run_summaries

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


Paths = Annotated[
    list[Path],
    typer.Argument(
        help="Watch files (FIT, GPX, TCX, also .gz); folders or export zips for a season.", show_default=False
    ),
]
WorkoutOption = Annotated[
    str | None,
    typer.Option(
        "--workout",
        "-w",
        help="Planned workout, e.g. '8x400/200m jog', '5x60s', '4x400@4:55/km, 2x(400@4:55/km+100@max)' or a "
        "preset (hard-kick-500, hard-kick-250). Default: the watch's workout, else the structure found.",
    ),
]
PaceOption = Annotated[
    str | None, typer.Option(help="Target rep pace M:SS per km (or M:SS/mi) for reps whose spec has none.")
]
Goal5kOption = Annotated[
    str | None, typer.Option("--goal-5k", help="Goal 5 km time M:SS; rep pace = goal pace - 5 s/km.")
]
UnitsOption = Annotated[Units, typer.Option(help="Pace unit in the text report, the season report and the charts.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the JSON contract instead of text.")]
CsvOption = Annotated[
    Path | None, typer.Option(help="Also write the per-rep table to this CSV file (a season's: every session's).")
]
SummaryOption = Annotated[bool, typer.Option(help="Only summarise what the file holds.")]
OutOption = Annotated[
    Path | None,
    typer.Option(help="Season review: write sessions.csv, reps.csv, season.json, charts and report.html here."),
]
WorkersOption = Annotated[
    int | None, typer.Option(min=1, help="Season review: parallel processes. Default and most: every core.")
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Season review: analyse every file again.")]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(help="Season review: cache folder. Default: $HARDKICK_CACHE_DIR or ~/.cache/hardkick-analyze."),
]
PlanOption = Annotated[
    Path | None,
    typer.Option(help="Season review: plan file (CSV or JSON) of dates -> goal_5k, pace or workout."),
]
DaskOption = Annotated[
    str | None,
    typer.Option(help="Season review: run the files on this Dask scheduler (needs the 'dask' extra)."),
]
ChartsOption = Annotated[
    Path | None,
    typer.Option(
        help="Also draw the session, rep and kick-fade charts into this folder (a season: each interval "
        "session's, and report.html links to them).",
        file_okay=False,
    ),
]
ChartFormatOption = Annotated[ChartFormat, typer.Option(help="File format of the charts.")]


@app.command()
def analyze(
    paths: Paths,
    workout: WorkoutOption = None,
    pace: PaceOption = None,
    goal_5k: Goal5kOption = None,
    units: UnitsOption = Units.km,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    summary: SummaryOption = False,
    out: OutOption = None,
    workers: WorkersOption = None,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    plan: PlanOption = None,
    dask_scheduler: DaskOption = None,
    charts: ChartsOption = None,
    chart_format: ChartFormatOption = ChartFormat.png,
) -> None:
    """Tell how an interval session really went, from the watch file.

    Several files, a folder or an export bundle (Strava or Garmin zip) give a season review:
    hk-analyze ~/watch-files/2026 --out review/

    Example: hk-analyze sample_data/hard_kick_500_laps.fit --goal-5k 25:00
    """
    options = Options(
        workout=workout,
        pace_s_per_km=_checked_plan(workout, pace, goal_5k),
        goal_5k=goal_5k,
        units=units,
        as_json=as_json,
        csv=csv,
        summary=summary,
        out=out,
        workers=workers,
        no_cache=no_cache,
        cache_dir=cache_dir,
        plan=plan,
        dask_scheduler=dask_scheduler,
        charts=charts,
        chart_format=chart_format,
    )
    season_run = not summary and is_season(paths)
    _check_outputs(paths, options, season_run=season_run)
    if summary:
        raise typer.Exit(code=run_summaries(paths, options))
    if season_run:
        # Imported here: one file after a workout needs none of the season's modules.
        from .season import run_season

        raise typer.Exit(code=run_season(paths, options))
    raise typer.Exit(code=run_sessions(paths, options))


def _checked_plan(workout: str | None, pace: str | None, goal_5k: str | None) -> float | None:
    """Check the plan options before any file is read; return the --pace in s/km."""
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
    return pace_s_per_km


#: The options only a season review uses, and why a single session refuses them.
SEASON_ONLY = {
    "out": ("--out", "writes a season review: give a folder, a bundle or several files"),
    "plan": ("--plan", "is a season's plan of dates: give a folder, a bundle or several files, or use --workout"),
    "workers": ("--workers", "runs a season's files in parallel: give a folder, a bundle or several files"),
    "no_cache": ("--no-cache", "concerns a season review's cache: give a folder, a bundle or several files"),
    "cache_dir": ("--cache-dir", "concerns a season review's cache: give a folder, a bundle or several files"),
    "dask_scheduler": ("--dask-scheduler", "runs a season's files: give a folder, a bundle or several files"),
}


def _check_outputs(paths: list[Path], options: Options, *, season_run: bool) -> None:
    """Refuse, before any file is read, an option that would be ignored or an output that could not be written."""
    try:
        if not season_run:
            for field, (option, why) in SEASON_ONLY.items():
                if getattr(options, field) not in (None, False):
                    raise ArgumentError(option, why)
        if options.out is not None:
            check_output_folder(options.out, paths, option="--out")
        if options.csv is not None:
            check_output_file(options.csv, paths, option="--csv")
        if options.charts is not None:
            check_output_folder(options.charts, paths, option="--charts")
    except HardkickError as exc:
        typer.echo(f"hk-analyze: {exc}", err=True)
        raise typer.Exit(code=2) from None


def main() -> None:
    """Console-script entry point."""
    # At exit (after the command and the other exit handlers, which were registered later), the
    # objects still alive are frozen: the interpreter's garbage collections at shutdown then skip
    # them and the OS frees the memory. With pandas and numpy loaded those collections take about
    # 0.1 s, a fifth of ``hk-analyze FILE``; a caller that goes on running is not affected.
    atexit.register(gc.freeze)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
