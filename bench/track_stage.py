"""Time the track stage alone on a season's one-hour sessions: the fit, and the fit with the correction.

Run from the repository root, on a season kept by the season benchmark (or written by
``bench.season_mix.write_season``)::

    python -m bench.track_stage build/season               # best of 3 per session
    python -m bench.track_stage build/season --runs 5 --kind easy

Each session is read and put on its grid once (outside the timing); then ``correct_session``
(the stage as the pipeline runs it: the fit, and the correction when a track is found) and
``fit_track`` alone are timed ``--runs`` times, and each session keeps its fastest run. Printed
per kind of session: how many were found on a track and the median over the sessions, with the
10th-90th percentiles. The times are the thread's CPU time, which other programs on a shared
machine disturb less than the wall clock.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from hardkick_analyze import read_activity
from hardkick_analyze.clean import make_grid
from hardkick_analyze.track import correct_session, fit_track

__all__ = ["main"]

_KINDS = ("hard-kick", "intervals", "easy")


def _times_ms(path: Path, runs: int) -> tuple[float, float, bool]:
    """The fastest stage and fit of ``runs`` [ms], and whether a track was found."""
    activity = read_activity(path)
    grid = make_grid(activity)
    stage = fit = float("inf")
    found = False
    for _ in range(runs):
        start = time.thread_time()
        found = correct_session(grid, activity)[1] is not None
        middle = time.thread_time()
        fit_track(grid, activity)
        end = time.thread_time()
        stage, fit = min(stage, middle - start), min(fit, end - middle)
    return 1e3 * stage, 1e3 * fit, found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("season", type=Path, help="a folder of season files (names holding their kind)")
    parser.add_argument("--runs", type=int, default=3, help="runs per session, the fastest kept (default 3)")
    parser.add_argument("--kind", action="append", help="only these kinds (default: hard-kick, intervals, easy)")
    args = parser.parse_args(argv)
    print("| sessions | found on a track | stage median (10-90 %) | fit_track median |\n|---|---:|---:|---:|")
    for kind in args.kind or _KINDS:
        paths = sorted(p for p in args.season.iterdir() if kind in p.name)
        if len(paths) < 2:
            continue
        times = [_times_ms(path, args.runs) for path in paths]
        stage = [t[0] for t in times]
        deciles = statistics.quantiles(stage, n=10)
        print(
            f"| {kind} ({len(paths)}) | {sum(t[2] for t in times)} | {statistics.median(stage):.2f} ms "
            f"({deciles[0]:.2f}-{deciles[-1]:.2f}) | {statistics.median(t[1] for t in times):.2f} ms |"
        )


if __name__ == "__main__":
    main()
