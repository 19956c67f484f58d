"""How long all charts of one session take, once the session is analysed.

Run from the repository root (about 20 s on 2 cores)::

    python -m bench.charts                 # every sample session, PNG, 5 repeats
    python -m bench.charts --format svg --repeat 3

For each file in ``sample_data/`` it analyses the session once, then times
:func:`hardkick_analyze.plots.save_session_charts` (draw and write the overview, rep and kick-fade
charts) ``--repeat`` times into a temporary folder and prints the median and the fastest.
Importing matplotlib and the first charts of a process (fonts loaded) are one-time costs, timed
separately. Most of the time is matplotlib's fixed cost per figure (ticks, text, layout), not
the number of samples.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from hardkick_analyze import analyze_session

__all__ = ["main"]

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def main(argv: Sequence[str] | None = None) -> int:
    """Time the charts of every sample session and print a table; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per session")
    parser.add_argument("--format", default="png", choices=("png", "svg"), help="chart file format")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from hardkick_analyze import plots  # the import is part of what a first run pays

    import_s = time.perf_counter() - started
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".fit", ".gpx", ".tcx"))
    reports = {path.name: analyze_session(path) for path in files}
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        plots.save_session_charts(reports[files[0].name], folder, args.format)
        first_s = time.perf_counter() - started
        print(f"import hardkick_analyze.plots (matplotlib) {import_s:.2f} s; first charts of a process {first_s:.2f} s")
        print(f"{'session':<28} {'samples':>7} {'median':>8} {'fastest':>8}")
        for name, report in reports.items():
            totals = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                plots.save_session_charts(report, folder, args.format)
                totals.append(time.perf_counter() - started)
            samples = len(report.grid.frame) if report.grid is not None else 0
            print(f"{name:<28} {samples:>7} {statistics.median(totals):>7.3f}s {min(totals):>7.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
