"""How long all charts of one session take, once the session is analysed.

Run from the repository root (about 20 s on 2 cores)::

    python -m bench.charts [--repeat 5] [--format svg] [--write-docs]

For each file in ``sample_data/`` it analyses the session once, then times
:func:`hardkick_analyze.plots.save_session_charts` (draw and write the overview, rep and kick-fade
charts) ``--repeat`` times into a temporary folder. It prints a Markdown table of the median wall
and CPU time per session (CPU time is what a shared machine cannot inflate) and, with
``--write-docs``, puts it in ``docs/performance.md`` under "## Charts" (other sections kept).
Importing matplotlib and the first charts of a process (fonts loaded) are one-time costs, timed
separately. Most of the time is matplotlib's fixed cost per figure (ticks, text, layout), not the
number of samples.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import matplotlib

from bench.docs import write_section
from hardkick_analyze import analyze_session

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_data"
DOCS = REPO / "docs" / "performance.md"
SECTION = "## Charts"


def main(argv: Sequence[str] | None = None) -> int:
    """Time the charts of every sample session and print a table; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per session")
    parser.add_argument("--format", default="png", choices=("png", "svg"), help="chart file format")
    parser.add_argument("--write-docs", action="store_true", help=f"write the table to {DOCS.relative_to(REPO)}")
    args = parser.parse_args(argv)

    load = os.getloadavg()[0]
    started = time.perf_counter()
    from hardkick_analyze import plots  # the import is part of what a first run pays

    import_s = time.perf_counter() - started
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".fit", ".gpx", ".tcx"))
    reports = {path.name: analyze_session(path) for path in files}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        plots.save_session_charts(reports[files[0].name], folder, args.format)
        first_s = time.perf_counter() - started
        for name, report in reports.items():
            wall, cpu = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                plots.save_session_charts(report, folder, args.format)
                wall.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            samples = len(report.grid.frame) if report.grid is not None else 0
            rows.append(
                f"| `{name}` | {samples:,} | {statistics.median(wall):.2f} s | {min(wall):.2f} s "
                f"| {statistics.median(cpu):.2f} s |"
            )
    table = "\n".join(
        [
            f"| session ({args.format.upper()}) | grid samples | wall, median | wall, fastest | CPU, median |",
            "|---|---:|---:|---:|---:|",
            *rows,
        ]
    )
    body = (
        f"Measured {time.strftime('%Y-%m-%d')} with `python -m bench.charts --repeat {args.repeat}"
        f"{' --format svg' if args.format == 'svg' else ''} --write-docs`: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, load average {load:.1f} "
        "at the start.\n\n"
        "All three charts of one analysed session (overview, reps, kick fade), drawn and written:\n\n"
        f"{table}\n\n"
        f"One-time costs of a process: importing `hardkick_analyze.plots` (matplotlib) {import_s:.2f} s, "
        f"the first charts {first_s:.2f} s."
    )
    print(body)
    if args.write_docs:
        write_section(DOCS, SECTION, body, title="Performance")
    return 0


if __name__ == "__main__":
    sys.exit(main())
