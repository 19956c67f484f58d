"""Write every chart of one session to files."""

from __future__ import annotations

import re
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..results import SessionReport
from .kick import plot_kick_fade
from .reps import plot_reps
from .session import plot_session_overview
from .style import style_context

__all__ = ["CHART_FORMATS", "save_session_charts"]

#: File formats the charts can be written in.
CHART_FORMATS = ("png", "svg")


def save_session_charts(
    report: SessionReport, out_dir: str | Path, fmt: str = "png", *, units: str = "km"
) -> list[Path]:
    """Draw the session overview, the rep chart and (with kicks or sprints) the kick-fade chart
    and write them to ``out_dir``.

    Parameters
    ----------
    report
        An analysed session.
    out_dir
        Folder to write to; created if missing. Files are named after the session's source,
        e.g. ``hard_kick_500_laps_overview.png``, ``..._reps.png``, ``..._kicks.png``.
    fmt
        ``'png'`` or ``'svg'``.
    units
        ``'km'`` or ``'mi'`` for paces.

    Returns
    -------
    list of Path
        The files written, in the order overview, reps, kicks (only when there are kicks).
    """
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(CHART_FORMATS)}, not {fmt!r}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stem = _stem(report.source)
    charts = {
        "overview": plot_session_overview(report, units=units),
        "reps": plot_reps(report, units=units),
    }
    if any(rep.kick is not None for rep in report.reps):
        charts["kicks"] = plot_kick_fade(report, units=units)
    paths = []
    for name, axes in charts.items():
        path = folder / f"{stem}_{name}.{fmt}"
        _save(axes, path, fmt)
        paths.append(path)
    return paths


def _save(axes: Axes, path: Path, fmt: str) -> None:
    """Write the figure ``axes`` sits on, in the house style."""
    # No creation date or version in the file, so the same session gives the same bytes.
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with style_context():
        figure = axes.figure
        root = figure if isinstance(figure, Figure) else figure.figure
        root.savefig(path, format=fmt, metadata=metadata)


def _stem(source: str) -> str:
    """A file-name-safe stem of the session's source (``'<bytes>'`` -> ``'session'``)."""
    if source.startswith("<"):
        return "session"
    name = Path(source).name
    for suffix in (".gz", ".fit", ".gpx", ".tcx"):
        name = name.removesuffix(suffix).removesuffix(suffix.upper())
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return safe or "session"
