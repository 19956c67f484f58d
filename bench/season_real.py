"""The season review on real files: every real interval session and the five run-stats 6x400 m sessions.

Builds a season folder in a temporary directory from ``shared/real_intervals/`` (the FIT and GPX
files; their lap truth is in ``truth.json``) and ``shared/real_activities/run-stats/`` (links, never
copies in the repository), runs ``hk-analyze FOLDER --out OUT`` on it and reports, per file, the
workout its laps show against the structure the analysis found, the plan it came from, the reps
found and the workout group. With ``--write-docs`` the table goes into ``docs/season.md`` under
"## The real season" (other sections are kept); with ``--screenshot`` headless Chromium takes a
picture of the report into ``docs/season-report.png``.

Usage::

    python -m bench.season_real [--workers 2] [--write-docs] [--screenshot]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.docs import write_section
from hardkick_analyze.cli.options import Options
from hardkick_analyze.cli.season import run_season
from hardkick_analyze.present.season.words import group_label
from hardkick_analyze.season import analyze_season
from hardkick_analyze.season.review import SeasonResult

__all__ = ["RUN_STATS", "build_season_folder", "truth_workouts"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
INTERVALS = SHARED / "real_intervals"
RUN_STATS = SHARED / "real_activities" / "run-stats"
#: What a runner sees in the run-stats files' laps (shared/real_activities/MANIFEST.md).
RUN_STATS_WORKOUT = "6x400 (200 m jog)"
DOCS = REPO / "docs" / "season.md"
SCREENSHOT = REPO / "docs" / "season-report.png"
SECTION = "## The real season"
CHROMIUM = Path("/usr/bin/chromium")


def build_season_folder(folder: Path) -> list[Path]:
    """Link the real interval sessions and the run-stats files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [*sorted(INTERVALS.glob("*.fit")), *sorted(INTERVALS.glob("*.gpx")), *sorted(RUN_STATS.glob("*.fit"))]
    for source in sources:
        (folder / source.name).symlink_to(source.resolve())
    return sources


def truth_workouts() -> dict[str, tuple[str, int]]:
    """File name -> (the workout its laps show, its number of reps)."""
    truth = json.loads((INTERVALS / "truth.json").read_text(encoding="utf-8"))
    found = {name: (entry["workout"] or "run/walk, irregular", len(entry["reps"])) for name, entry in truth.items()}
    found |= {path.name: (RUN_STATS_WORKOUT, 6) for path in RUN_STATS.glob("*.fit")}
    return found


def table(result: SeasonResult) -> str:
    """One row per file: the laps' workout, what was found, the plan's source, reps, group."""
    truth = truth_workouts()
    lines = [
        "| file | the laps show | found | plan | reps found / run | workout group |",
        "|---|---|---|---|---:|---|",
    ]
    for record in sorted(result.records, key=lambda r: r.source):
        workout, reps = truth.get(record.source, ("?", 0))
        summary = record.summary
        group = result.review.group_of(record.source)
        found = summary.structure if summary is not None else record.error or ""
        lines.append(
            f"| {record.source} | {workout} | {found} | {summary.workout.plan_source if summary else '-'} | "
            f"{len(summary.reps) if summary else 0} / {reps} | {group_label(group) if group else record.kind} |"
        )
    return "\n".join(lines)


def gaps(result: SeasonResult) -> str:
    """What the segmenter missed, in words (its own issue; the season shows what it is given)."""
    truth = truth_workouts()
    missed = [r.source for r in result.records if r.kind != "interval"]
    short = [
        f"{r.source} ({len(r.summary.reps)} of {truth[r.source][1]})"
        for r in result.of_kind("interval")
        if r.summary is not None and len(r.summary.reps) < truth[r.source][1] and not r.summary.kicks
    ]
    lines = [
        "Not found as interval sessions: " + (", ".join(missed) or "none") + ".",
        "Found with fewer reps than their laps show: " + (", ".join(short) or "none") + ".",
        "A rep run straight into a faster finish is one rep with a kick here (`4x1 km + 200 m kick`),",
        "two laps in the truth.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=None, help="Parallel processes.")
    parser.add_argument("--write-docs", action="store_true", help="Write the table into docs/season.md.")
    parser.add_argument("--screenshot", action="store_true", help="Picture the report into docs/.")
    options = parser.parse_args(argv)
    if not INTERVALS.is_dir() or not RUN_STATS.is_dir():
        print(f"no real files beside the repository ({SHARED})", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="season-real-") as temporary:
        folder, out = Path(temporary) / "season", Path(temporary) / "review"
        files = build_season_folder(folder)
        began = time.perf_counter()
        result = analyze_season([folder], workers=options.workers)
        seconds = time.perf_counter() - began
        # The command itself writes the report (the same analysis again, from the cache).
        run_season([folder], Options(out=out, workers=options.workers, cache_dir=Path(temporary) / "cache"))
        if options.screenshot:
            _screenshot(out / "report.html", Path(temporary) / "profile")
    recognised = sum(r.kind == "interval" for r in result.records)
    text = (
        f"Command: `python -m bench.season_real --write-docs --screenshot` ({len(files)} files, analysed in "
        f"{seconds:.0f} s on this machine); {recognised} of {len(files)} are interval sessions, in "
        f"{len(result.review.groups)} workout groups.\n\n" + table(result) + "\n\n" + gaps(result)
    )
    print(text)
    if options.write_docs:
        write_section(DOCS, SECTION, text, title="Season review")
    return 0


def _screenshot(page: Path, profile: Path) -> None:
    chromium = shutil.which("chromium") or str(CHROMIUM)
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--window-size=1200,1900",
            f"--screenshot={SCREENSHOT}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


if __name__ == "__main__":
    sys.exit(main())
