"""The ``hk-analyze`` command: parse arguments, call the library, render. Errors become exit 2 here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import HardkickError
from .readers import read_activity
from .render import render_activity_summary

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def analyze(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Watch files (FIT, GPX, TCX, also .gz).", show_default=False),
    ],
) -> None:
    """Tell how a hard-kick interval session really went, from the watch file.

    Example: hk-analyze sample_data/hard_kick_500_laps.fit
    """
    failed = 0
    for path in paths:
        try:
            activity = read_activity(path)
        except HardkickError as exc:
            typer.echo(f"hk-analyze: {exc}", err=True)
            failed += 1
            continue
        typer.echo(render_activity_summary(activity))
    if failed == len(paths):
        raise typer.Exit(code=2)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
