"""Do two versions of the analysis give the same reports? For work that should change speed, not answers.

Run from the repository root, with ``shared/`` beside the repository::

    python -m bench.equivalence --write build/reference        # before the change
    python -m bench.equivalence --compare build/reference      # after it: every difference, per file

The inputs are every interval session of ``real_intervals`` in three modes (the file's own plan,
untold with every file-held plan ignored, and the laps ignored too), the five run-stats 6x400
sessions, and the runs of a simulated season (``bench.season_mix``, 40 files written to a
temporary folder: hard kicks, other intervals, easy and long runs, smart and 1 s recording).
Each report is compared as its JSON: text and counts exactly, numbers to ``--rtol``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hardkick_analyze import analyze_session
from hardkick_analyze.errors import HardkickError
from hardkick_analyze.present.report_json import report_to_dict

from .real import DEFAULT_DATA
from .season_mix import write_season

__all__ = ["differences", "main", "reports"]

#: Analyses of each real file: keyword arguments of ``analyze_session``.
MODES = {
    "file-plan": {},
    "untold": {"file_plan": False},
    "speed-only": {"file_plan": False, "use_laps": False},
}
SEASON_FILES = 40


def _inputs(data: Path, season: Path) -> Iterator[tuple[str, Path, dict[str, bool]]]:
    real = sorted(p for p in (data / "real_intervals").iterdir() if p.suffix in (".fit", ".gpx"))
    run_stats = sorted((data / "real_activities" / "run-stats").glob("**/*.fit"))
    for path in real + run_stats:
        for mode, options in MODES.items():
            yield f"{path.name} [{mode}]", path, options
    for path in sorted(season.iterdir()):
        yield path.name, path, {}


def reports(data: Path) -> dict[str, object]:
    """Every input's report as JSON (or its error's text), by name."""
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        write_season(Path(folder), SEASON_FILES)
        for name, path, options in _inputs(data, Path(folder)):
            try:
                out[name] = report_to_dict(analyze_session(path, **options))
            except HardkickError as error:
                out[name] = f"error: {error}"
    return out


def differences(before: object, after: object, rtol: float, where: str = "") -> Iterator[str]:
    """Where two JSON values differ: numbers beyond ``rtol``, anything else at all."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if key not in before or key not in after:
                yield f"{where}.{key}: only {'after' if key in after else 'before'}"
            else:
                yield from differences(before[key], after[key], rtol, f"{where}.{key}")
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            yield f"{where}: {len(before)} items -> {len(after)}"
        for k, (a, b) in enumerate(zip(before, after, strict=False)):
            yield from differences(a, b, rtol, f"{where}[{k}]")
    elif _number(before) and _number(after):
        both_nan = math.isnan(before) and math.isnan(after)
        if not both_nan and not math.isclose(before, after, rel_tol=rtol, abs_tol=rtol):
            yield f"{where}: {before} -> {after}"
    elif before != after:
        yield f"{where}: {before!r} -> {after!r}"


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="write the reports here (reports.json)")
    action.add_argument("--compare", type=Path, help="compare with the reports written here")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--rtol", type=float, default=1e-9, help="relative tolerance of numbers")
    args = parser.parse_args(argv)
    now = reports(args.data)
    if args.write is not None:
        args.write.mkdir(parents=True, exist_ok=True)
        (args.write / "reports.json").write_text(json.dumps(now, indent=1, allow_nan=True), encoding="utf-8")
        print(f"{len(now)} reports written to {args.write / 'reports.json'}")
        return 0
    before = json.loads((args.compare / "reports.json").read_text(encoding="utf-8"))
    changed = 0
    for name in sorted(set(before) | set(now)):
        found = list(differences(before.get(name), now.get(name), args.rtol))
        if found:
            changed += 1
            print(f"{name}: {len(found)} differences", *(f"  {line}" for line in found[:12]), sep="\n")
    print(f"{changed} of {len(now)} reports differ (numbers beyond rtol {args.rtol:g})")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
