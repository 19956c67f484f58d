"""Everything a season review writes into ``--out``: tables, JSON, trend charts and ``report.html``."""

from __future__ import annotations

import io
import os
from pathlib import Path

from .html import render_season_html
from .outputs import reps_long_table, write_season_tables
from .records import SeasonResult

__all__ = ["write_season"]

#: Resolution of the chart PNGs, on disk and embedded in the report [dots per inch].
CHART_DPI = 110


def write_season(result: SeasonResult, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``sessions.csv``, ``reps.csv``, ``season.json``, one PNG per trend chart and ``report.html``.

    Parameters
    ----------
    result
        The season.
    out_dir
        Folder to write into (created if needed; files of the same names are replaced).

    Returns
    -------
    dict
        Output name -> path written.
    """
    # Charts need matplotlib; importing the season package alone (e.g. for --json) does not.
    from ..plots.season import season_figures

    folder = Path(out_dir)
    written = write_season_tables(result, folder)
    charts = {}
    for stem, figure in season_figures(reps_long_table(result)).items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=CHART_DPI)
        charts[stem] = buffer.getvalue()
        path = folder / f"{stem}.png"
        path.write_bytes(charts[stem])
        written[path.name] = path
    report = folder / "report.html"
    report.write_text(render_season_html(result, charts), encoding="utf-8")
    written[report.name] = report
    return written
