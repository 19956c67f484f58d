"""Profile the analysis of a season's one-hour sessions: cProfile, or a loop for py-spy to sample.

Run from the repository root, on a season kept by the season benchmark::

    python -m bench.season --keep build/season              # writes the season (and measures it)
    python -m bench.profile build/season --cprofile         # cProfile, top functions
    py-spy record --format raw -o profile.txt -- python -m bench.profile build/season
    python -m bench.profile --shares profile.txt           # py-spy's samples, share per part

Every one-hour session of the season (hard kick, other intervals, easy runs) is read once, then
analysed ``--passes`` times; reading is outside what is profiled (``--shares`` counts only the
samples inside ``analyze_session``).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import sys
from pathlib import Path

from hardkick_analyze import read_activity
from hardkick_analyze.errors import HardkickError
from hardkick_analyze.pipeline import analyze_session

__all__ = ["PARTS", "main", "shares"]

#: The parts of the analysis counted by ``--shares``: label -> the function whose samples it counts.
PARTS = {
    "track stage: fitting the track": "fit_track_positions",
    "track stage: correcting the distance": "correct_grid",
    "segment: a plan's alignment, laps and boundaries": "segment_session",
    "... of which the boundaries": ("place_rep", "resolve"),
    "segment: plan-free efforts": "find_efforts",
    "... of which the speed's levels": "speed_levels",
    "segment: the threshold sweep": "effort_sweep",
    "segment: the session's own plan (structure, laps as reps)": "untold_plans",
    "segment: which presets may hold a kick": "kicks_possible",
    "clean: the grid": "make_grid",
    "score": "_score_reps",
}
_KINDS = ("hard-kick", "intervals", "easy")


def shares(raw: Path) -> dict[str, float]:
    """Each part's share of the samples inside ``analyze_session`` in a py-spy raw profile."""
    inside = 0
    counted: collections.Counter[str] = collections.Counter()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = {frame.split(" (")[0] for frame in stack.split(";")}
        if "analyze_session" not in frames:
            continue
        inside += int(count)
        for label, names in PARTS.items():
            if frames & ({names} if isinstance(names, str) else set(names)):
                counted[label] += int(count)
    return {label: counted[label] / inside for label in PARTS} if inside else {}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("season", nargs="?", type=Path, help="a season written by python -m bench.season --keep")
    parser.add_argument("--passes", type=int, default=3, help="analyses of each session (default 3)")
    parser.add_argument("--cprofile", action="store_true", help="print cProfile's top functions")
    parser.add_argument("--shares", type=Path, help="summarise a py-spy raw profile instead")
    args = parser.parse_args(argv)
    if args.shares is not None:
        print("| part | share of the analysis |\n|---|---:|")
        for label, share in shares(args.shares).items():
            print(f"| {label} | {100 * share:.0f} % |")
        return
    if args.season is None:
        parser.error("give the season's folder, or --shares")
    activities = []
    for path in sorted(args.season.iterdir()):
        if any(kind in path.name for kind in _KINDS):
            try:
                activities.append(read_activity(path))
            except HardkickError:
                continue
    print(f"{len(activities)} one-hour sessions, {args.passes} passes", file=sys.stderr)
    profiler = cProfile.Profile() if args.cprofile else None
    if profiler is not None:
        profiler.enable()
    for _ in range(args.passes):
        for activity in activities:
            analyze_session(activity)
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
