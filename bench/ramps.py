"""Where the truth sits on the speed ramps, on real files and on simulated ones.

For every rep (at least 40 s long) the speed the segmenter times boundaries on (the grid's
``speed_mps`` smoothed over ``BOUNDARY_SMOOTHING_S``) is read around the truth's start and end:

* start: the share of the way from the rest's level (the slowest tenth of the 12 s before) to
  the rep's level (median over 3-13 s after) that the speed has reached at the truth's start;
  split by whether the rest was a stand/walk (slower than 40 % of the rep) or a jog; the levels
  are the segmenter's (:mod:`hardkick_analyze.segment.place`), taken around the truth;
* end: the share of the way down from the rep's final level (10-3 s before its end) to the
  rest's level (4-20 s after) at the truth's end, split the same way;
* kick (simulated only, and the real ``kick200`` reps): the share of the way from the rep's pace
  to the kick's top speed at the kick's start.

The simulator fits the real world when its shares agree with the real ones::

    python -m bench.ramps                      # real files and the default scenarios
    python -m bench.ramps --scenario rolling_jog --seeds 4
    python -m bench.ramps --format fit         # the real FIT files only (the target)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from hardkick_analyze import read_activity
from hardkick_analyze.clean import make_grid, rolling_mean
from hardkick_analyze.models import Activity
from hardkick_analyze.segment.efforts import BOUNDARY_SMOOTHING_S
from hardkick_analyze.segment.place import STANDING_SHARE
from hardkick_analyze.simulate.benchmark import BENCHMARK, TRACK_BENCHMARK, benchmark_cases

from .real import DEFAULT_DATA

REAL_DIR = DEFAULT_DATA / "real_intervals"
MIN_REP_S = 40.0
DEFAULT_SCENARIOS = ("typical_watch", "no_laps", "rolling_jog", "strava_gpx", "structured", "smart", "clean")


def _level(time_s: np.ndarray, speed: np.ndarray, first_s: float, last_s: float, quantile: float = 0.5) -> float:
    chosen = speed[(time_s >= first_s) & (time_s <= last_s)]
    return float(np.quantile(chosen, quantile)) if len(chosen) else float("nan")


def boundary_speed(activity: Activity) -> tuple[np.ndarray, np.ndarray]:
    """Grid times [s] and the speed the segmenter places boundaries on [m/s]."""
    grid = make_grid(activity)
    speed = rolling_mean(grid.frame["speed_mps"].to_numpy(dtype=np.float64), BOUNDARY_SMOOTHING_S / grid.dt_s)
    return grid.time_s, speed


def _share(part: float, whole: float) -> float:
    """part / whole, NaN when the step is too small (under 0.3 m/s) to say."""
    return part / whole if np.isfinite(whole) and whole > 0.3 else float("nan")


def rep_fractions(time_s: np.ndarray, speed: np.ndarray, start_s: float, end_s: float) -> tuple[str, float, str, float]:
    """(start kind, share up at the start, end kind, share down at the end) of one rep."""
    rest = _level(time_s, speed, start_s - 12.0, start_s, quantile=0.1)
    hold = _level(time_s, speed, start_s + 3.0, min(start_s + 13.0, end_s - 3.0))
    up = _share(float(np.interp(start_s, time_s, speed)) - rest, hold - rest)
    final = _level(time_s, speed, end_s - 10.0, end_s - 3.0)
    after = _level(time_s, speed, end_s + 4.0, end_s + 20.0)
    down = _share(final - float(np.interp(end_s, time_s, speed)), final - after)
    start_kind = "stand" if rest < STANDING_SHARE * hold else "jog"
    end_kind = "stand" if after < STANDING_SHARE * final else "jog"
    return start_kind, up, end_kind, down


def kick_fraction(time_s: np.ndarray, speed: np.ndarray, kick_s: float, kick_end_s: float) -> float:
    """Share of the way from the rep's pace (15-5 s before) to the kick's top at its start."""
    pace = _level(time_s, speed, kick_s - 15.0, kick_s - 3.0)
    top = float(np.max(speed[(time_s >= kick_s) & (time_s <= kick_end_s)]))
    return _share(float(np.interp(kick_s, time_s, speed)) - pace, top - pace)


def _collect(rows: dict[str, list[float]], time_s: np.ndarray, speed: np.ndarray, reps: Iterable) -> None:
    for start_s, end_s in reps:
        if end_s - start_s < MIN_REP_S:
            continue
        start_kind, up, end_kind, down = rep_fractions(time_s, speed, start_s, end_s)
        if np.isfinite(up):
            rows.setdefault(f"start from {start_kind}", []).append(up)
        if np.isfinite(down):
            rows.setdefault(f"end into {end_kind}", []).append(down)


def real_fractions(directory: Path = REAL_DIR, formats: Sequence[str] | None = None) -> dict[str, list[float]]:
    """The shares on the real files of ``directory`` (truth from its ``truth.json``).

    ``formats`` keeps only the files of those formats (``'fit'``, ``'gpx'``; all when None):
    the GPX files' laps are mapped from a splits CSV and sit about a second later than a FIT
    file's lap messages, so the FIT files alone say where a lap really starts on the ramp.
    """
    truth = json.loads((directory / "truth.json").read_text())
    rows: dict[str, list[float]] = {}
    for name, entry in truth.items():
        if formats is not None and Path(name).suffix.lstrip(".").lower() not in formats:
            continue
        time_s, speed = boundary_speed(read_activity(directory / name))
        reps = entry["reps"]
        plain = [(r["start_s"], r["start_s"] + r["elapsed_s"]) for r in reps if r["kind"] != "kick200"]
        _collect(rows, time_s, speed, plain)
        for r in reps:
            if r["kind"] == "kick200":
                kick = kick_fraction(time_s, speed, r["start_s"], r["start_s"] + r["elapsed_s"])
                if np.isfinite(kick):
                    rows.setdefault("kick", []).append(kick)
    return rows


def simulated_fractions(scenarios: Sequence[str], seeds: int) -> dict[str, list[float]]:
    """The shares on the simulated sessions of ``scenarios`` against the simulator's truth."""
    chosen = tuple(s for s in (*BENCHMARK, *TRACK_BENCHMARK) if s.name in scenarios)
    rows: dict[str, list[float]] = {}
    for scenario, seed in benchmark_cases(seeds, scenarios=chosen):
        session = scenario.simulate(seed)
        activity = read_activity(scenario.file_bytes(session), name=f"{scenario.name}.{scenario.file_format}")
        time_s, speed = boundary_speed(activity)
        reps = [r for r in session.truth.run_reps if r.start_s is not None and r.end_s is not None]
        # A kick rep's paced part runs into the kick, not a rest: only plain reps' ends count.
        _collect(rows, time_s, speed, [(r.start_s, r.end_s) for r in reps if r.kick is None])
        for r in reps:
            if r.kick is not None:
                start_kind, up, _, _ = rep_fractions(time_s, speed, r.start_s, r.end_s)
                kick = kick_fraction(time_s, speed, r.kick.start_s, r.kick.end_s)
                for key, value in ((f"start from {start_kind}", up), ("kick", kick)):
                    if np.isfinite(value):
                        rows.setdefault(key, []).append(value)
    return rows


def _summary(rows: dict[str, list[float]]) -> dict[str, str]:
    return {
        key: (
            f"{np.median(values):.2f} "
            f"(IQR {np.percentile(values, 25):.2f}-{np.percentile(values, 75):.2f}, n={len(values)})"
        )
        for key, values in sorted(rows.items())
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ramps", description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", help="simulated scenarios (repeatable)")
    parser.add_argument("--seeds", type=int, default=2, help="seeds per scenario (default 2)")
    parser.add_argument("--no-real", action="store_true", help="skip the real files")
    parser.add_argument(
        "--format",
        action="append",
        choices=("fit", "gpx"),
        help="only the real files of this format (repeatable; default all); FIT laps are the target",
    )
    args = parser.parse_args(argv)
    if not args.no_real and REAL_DIR.exists():
        print("real" + (f" ({', '.join(args.format)})" if args.format else "") + ":")
        for key, text in _summary(real_fractions(formats=args.format)).items():
            print(f"  {key:16s} {text}")
    print("simulated:")
    for key, text in _summary(simulated_fractions(args.scenario or DEFAULT_SCENARIOS, args.seeds)).items():
        print(f"  {key:16s} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
