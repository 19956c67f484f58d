"""Accuracy on real interval sessions: the reps the analysis finds against the watch's laps.

Run from the repository root, with ``shared/`` beside the repository (about a minute)::

    python -m bench.real --write-docs          # the tables, printed and written to docs/accuracy-real.md
    python -m bench.real --detail              # one line per file and mode
    python -m bench.real --data DIR            # another folder holding truth.json
    python -m bench.real --corpus              # the real_activities runs reported with reps

Each file of ``real_intervals/truth.json`` is analysed in four modes:

- **told**: ``analyze_session(path, workout=<the runner's notation from truth.json>)``;
- **file plan**: ``analyze_session(path)``: no workout, the plan the file holds used (the
  FIT workout steps of 7 files, the repeats a GPX track's name spells out in 5);
- **untold**: ``analyze_session(path, file_plan=False)``: no workout, and every plan the file
  holds (the FIT ``workout`` steps and the laps' step indices) ignored, so the reps are found from the
  recording alone (the watch's laps still count as evidence, as they would for any runner);
- **speed only**: as untold, with the laps ignored too (``use_laps=False``): what the speed
  alone finds, for files without laps.

A rep's paced part and its kick are separate segments (the truth lists a kick run straight
after a rep as a rep of its own). A found segment matches a true rep when they overlap by at
least half of the shorter of the two (one-to-one, largest overlaps first). Start error is the
found start minus the lap's start (negative: early); duration error the found wall-clock span
minus the lap's.

A file's **common shift** is the median over its reps of the mean of the start and end errors:
a boundary placed too low or too high on its speed ramp moves a rep's start and end opposite
ways, a truth whose laps sit elsewhere on the ramps (another device's lap convention, a clock
offset) moves both the same way. The told table is repeated with each file's shift taken off
its start errors: what is left is the placement from rep to rep within a file.

The sessions the analysis finds on a 400 m track are listed with the lane it found and each
rep's distance as measured on the track beside the watch's lap distance (the watch's own
measure, a few percent off on a track, so no truth for the distance).

The five ``real_activities/run-stats`` 6x400 m sessions are scored the same way, with their
truth taken from the laps of the structured workout's ``active`` step.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hardkick_analyze import analyze_session, read_activity
from hardkick_analyze.errors import HardkickError

__all__ = ["FileResult", "Segment", "found_segments", "main", "match_segments"]

#: Segments overlapping by at least this share of the shorter one are the same rep.
MATCH_OVERLAP = 0.5
MODES = ("told", "file plan", "untold", "speed only")
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "accuracy-real.md"


@dataclass(frozen=True, slots=True)
class Segment:
    """A rep (or a kick) as a span of clock time since the first record [s]."""

    start_s: float
    end_s: float
    kind: str = ""


@dataclass(frozen=True, slots=True)
class FileResult:
    """One file analysed in one mode: the true and found segments and the matched pairs."""

    name: str
    mode: str
    truth: tuple[Segment, ...]
    found: tuple[Segment, ...]
    pairs: tuple[tuple[int, int], ...]
    structure: str
    error: str | None = None

    @property
    def start_errors_s(self) -> list[float]:
        return [self.found[j].start_s - self.truth[i].start_s for i, j in self.pairs]

    @property
    def duration_errors_s(self) -> list[float]:
        return [
            (self.found[j].end_s - self.found[j].start_s) - (self.truth[i].end_s - self.truth[i].start_s)
            for i, j in self.pairs
        ]

    @property
    def common_shift_s(self) -> float:
        """The shift every boundary of the file shares: the median over its reps of the mean of
        the start and end errors (NaN with no rep matched) [s].

        A boundary placed too low or too high on its speed ramp moves a rep's start and end in
        opposite directions; a truth whose laps sit elsewhere on the ramps than the analysis's
        boundaries (another device's lap convention, a clock offset) moves both the same way.
        """
        shifts = [
            0.5 * ((self.found[j].start_s - self.truth[i].start_s) + (self.found[j].end_s - self.truth[i].end_s))
            for i, j in self.pairs
        ]
        return float(np.median(shifts)) if shifts else float("nan")


def found_segments(report: object) -> tuple[Segment, ...]:
    """The paced parts and kicks of a report's reps, in time order."""
    segments = []
    for rep in report.segmentation.reps:  # type: ignore[attr-defined]
        segments.append(Segment(rep.start_s, rep.end_s, "rep"))
        if rep.kick_end_s is not None:
            segments.append(Segment(rep.end_s, rep.kick_end_s, "kick"))
    return tuple(sorted(segments, key=lambda s: s.start_s))


def match_segments(truth: Sequence[Segment], found: Sequence[Segment]) -> tuple[tuple[int, int], ...]:
    """One-to-one matches, largest overlaps first, each at least :data:`MATCH_OVERLAP` of the shorter."""
    candidates = []
    for i, t in enumerate(truth):
        for j, f in enumerate(found):
            overlap = min(t.end_s, f.end_s) - max(t.start_s, f.start_s)
            shorter = min(t.end_s - t.start_s, f.end_s - f.start_s)
            if shorter > 0 and overlap >= MATCH_OVERLAP * shorter:
                candidates.append((overlap / max(t.end_s - t.start_s, f.end_s - f.start_s), i, j))
    used_t: set[int] = set()
    used_f: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            pairs.append((i, j))
    return tuple(sorted(pairs))


def _interval_truth(data: Path) -> list[tuple[Path, str | None, tuple[Segment, ...]]]:
    folder = data / "real_intervals"
    entries = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    files = []
    for name, entry in entries.items():
        truth = tuple(Segment(rep["start_s"], rep["start_s"] + rep["elapsed_s"], rep["kind"]) for rep in entry["reps"])
        files.append((folder / name, entry.get("workout"), truth))
    return files


def _run_stats_truth(data: Path) -> list[tuple[Path, str | None, tuple[Segment, ...]]]:
    files = []
    for path in sorted((data / "real_activities" / "run-stats").glob("*.fit")):
        activity = read_activity(path)
        active = {step.index for step in activity.workout_steps if step.intensity == "active"}
        truth = tuple(
            Segment(activity.seconds(lap.start_time), activity.seconds(lap.end_time), "rep400")
            for lap in activity.laps
            if lap.wkt_step_index in active
        )
        files.append((path, "6x400", truth))
    return files


def analyse_file(path: Path, workout: str | None, truth: tuple[Segment, ...], mode: str) -> FileResult:
    """Analyse one file in one of :data:`MODES` and match what it found to the truth."""
    try:
        if mode == "told":
            report = analyze_session(path, workout=workout)
        elif mode == "file plan":
            report = analyze_session(path)
        else:
            report = analyze_session(path, file_plan=False, use_laps=mode != "speed only")
    except HardkickError as exc:
        return FileResult(path.name, mode, truth, (), (), "", error=str(exc))
    found = found_segments(report)
    structure = getattr(report, "structure", None) or report.workout.spec
    return FileResult(path.name, mode, truth, found, match_segments(truth, found), str(structure))


def _summary(results: Sequence[FileResult]) -> dict[str, float]:
    true = sum(len(r.truth) for r in results)
    found = sum(len(r.found) for r in results)
    matched = sum(len(r.pairs) for r in results)
    starts = np.array([e for r in results for e in r.start_errors_s])
    durations = np.array([e for r in results for e in r.duration_errors_s])

    def q(values: np.ndarray, quantile: float) -> float:
        return float(np.quantile(values, quantile)) if len(values) else float("nan")

    return {
        "files": len(results),
        "true": true,
        "found": found,
        "recall": matched / true if true else float("nan"),
        "precision": matched / found if found else float("nan"),
        "start_signed_median": q(starts, 0.5),
        "start_abs_median": q(np.abs(starts), 0.5),
        "start_abs_p90": q(np.abs(starts), 0.9),
        "duration_signed_median": q(durations, 0.5),
        "duration_abs_median": q(np.abs(durations), 0.5),
        "duration_abs_p90": q(np.abs(durations), 0.9),
    }


def _table(title: str, rows: dict[str, dict[str, float]]) -> str:
    lines = [
        f"### {title}",
        "",
        "| mode | files | reps true/found | recall | precision | start err signed median (s) "
        "| start err abs median / p90 (s) | duration err signed median (s) | duration err abs median / p90 (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, s in rows.items():
        lines.append(
            f"| {mode} | {s['files']} | {s['true']}/{s['found']} | {s['recall']:.2f} | {s['precision']:.2f} "
            f"| {s['start_signed_median']:+.2f} | {s['start_abs_median']:.2f} / {s['start_abs_p90']:.2f} "
            f"| {s['duration_signed_median']:+.2f} | {s['duration_abs_median']:.2f} / {s['duration_abs_p90']:.2f} |"
        )
    return "\n".join(lines)


def _shift_table(results: Sequence[FileResult]) -> str:
    """Start errors told the workout, as measured and with each file's common shift taken off."""
    lines = [
        "### told: each file's common shift",
        "",
        "| format | files | reps matched | common shift median (range) (s) | start err abs median / p90 (s) "
        "| start err abs median / p90, shift taken off (s) |",
        "|---|---|---|---|---|---|",
    ]
    for label, suffix in (("all", ""), ("FIT", ".fit"), ("GPX", ".gpx")):
        chosen = [r for r in results if r.name.endswith(suffix) and r.pairs]
        shifts = np.array([r.common_shift_s for r in chosen])
        raw = np.abs([e for r in chosen for e in r.start_errors_s])
        removed = np.abs([e - r.common_shift_s for r in chosen for e in r.start_errors_s])
        lines.append(
            f"| {label} | {len(chosen)} | {len(raw)} | {np.median(shifts):+.2f} ({shifts.min():+.1f} to "
            f"{shifts.max():+.1f}) | {np.median(raw):.2f} / {np.quantile(raw, 0.9):.2f} "
            f"| {np.median(removed):.2f} / {np.quantile(removed, 0.9):.2f} |"
        )
    return "\n".join(lines)


def _detail(result: FileResult) -> str:
    starts = result.start_errors_s
    median = f"{np.median(starts):+.1f}" if starts else "  -"
    shift = f"{result.common_shift_s:+.1f}" if starts else "  -"
    error = f"  ERROR {result.error}" if result.error else ""
    return (
        f"{result.mode:10s} {result.name[:44]:44s} {len(result.pairs):2d}/{len(result.truth):2d} true, "
        f"{len(result.found):2d} found, start {median} s, shift {shift} s  [{result.structure}]{error}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/ folder")
    parser.add_argument("--detail", action="store_true", help="one line per file and mode")
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--write-docs", action="store_true", help=f"also write {DOCS}")
    parser.add_argument(
        "--corpus", action="store_true", help="instead: the real_activities runs reported with reps, no plan given"
    )
    args = parser.parse_args(argv)
    if args.corpus:
        return _corpus(args.data / "real_activities")
    if not (args.data / "real_intervals" / "truth.json").exists():
        print(f"no real_intervals/truth.json under {args.data}", file=sys.stderr)
        return 2
    sets = {
        "real_intervals": _interval_truth(args.data),
        "run-stats 6x400": _run_stats_truth(args.data),
    }
    tables, details = [], []
    shifts = ""
    for title, files in sets.items():
        rows = {}
        for mode in MODES:
            results = [
                analyse_file(path, workout, truth, mode) for path, workout, truth in files if args.only in path.name
            ]
            details += [_detail(result) for result in results]
            rows[mode] = _summary(results)
            if title == "real_intervals":
                for suffix in (".fit", ".gpx"):
                    rows[f"{mode}, {suffix[1:].upper()} only"] = _summary(
                        [r for r in results if r.name.endswith(suffix)]
                    )
                if mode == "told":
                    shifts = _shift_table(results)
        tables.append(_table(title, rows))
        if title == "real_intervals" and shifts:
            tables.append(shifts)
        if title == "real_intervals" and not args.only:
            tables.append(_track_table(args.data))
    if args.detail:
        print("\n".join(details))
    print("\n\n".join(tables))
    if args.write_docs:
        DOCS.write_text(_document(tables, details), encoding="utf-8")
    return 0


def _track_table(data: Path) -> str:
    """The real sessions on a 400 m track, told the workout: the lane and scale the track stage
    found, and each rep's distance as the watch's lap gives it and as measured on the track."""
    folder = data / "real_intervals"
    entries = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    lines = [
        "### real_intervals on a 400 m track (told)",
        "",
        "| file | reps lane (probability) | watch / track distance | reps: lap distance (watch) -> measured on the "
        "track [m] | track - lap, median |",
        "|---|---|---|---|---|",
    ]
    for name, entry in entries.items():
        report = analyze_session(folder / name, workout=entry.get("workout"))
        track = report.segmentation.calibration.track
        if track is None:
            continue
        truth = [Segment(r["start_s"], r["start_s"] + r["elapsed_s"]) for r in entry["reps"]]
        found = [Segment(r.start_s, r.end_s) for r in report.reps]
        pairs = match_segments(truth, found)
        laps = [float(entry["reps"][i]["distance_m"]) for i, _ in pairs]
        measured = [report.reps[j].measured_distance_m for _, j in pairs]
        listed = ", ".join(f"{a:.0f} -> {b:.1f}" for a, b in zip(laps, measured, strict=True))
        scale = f"{track.device_scale:.3f}" if track.device_scale is not None else "-"
        difference = np.median(np.array(measured) - np.array(laps)) if pairs else float("nan")
        lines.append(
            f"| {name} | {track.fit.lane} ({track.fit.lane_probability:.2f}) | {scale} | {listed} "
            f"| {difference:+.1f} m |"
        )
    return "\n".join(lines)


#: Files of the corpus the analysis reads (the rest are notes and manifests).
CORPUS_SUFFIXES = (".fit", ".gpx", ".tcx", ".gz", ".zip")


def _corpus(folder: Path) -> int:
    """Print each file of the corpus (easy runs, races, rides, a few interval sessions) that
    ``analyze_session(path)`` reports reps in, with what it says the session was; then the count."""
    if not folder.is_dir():
        print(f"no {folder}", file=sys.stderr)
        return 2
    reported = 0
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in CORPUS_SUFFIXES)
    for path in files:
        try:
            report = analyze_session(path)
        except HardkickError:
            continue
        if report.segmentation.reps:
            reported += 1
            print(f"{path.relative_to(folder)}: {len(report.segmentation.reps)} reps, {report.structure}")
    print(f"{reported} of {len(files)} files reported with reps")
    return 0


def _document(tables: list[str], details: list[str]) -> str:
    header = (__doc__ or "").split("\n\n", 2)[2].strip()
    return (
        "# Accuracy on real sessions\n\n"
        "Written by `python -m bench.real --write-docs` (from the repository root, `shared/` beside it).\n\n"
        f"{header}\n\n" + "\n\n".join(tables) + "\n\n## Per file\n\n```\n" + "\n".join(details) + "\n```\n"
    )


if __name__ == "__main__":
    sys.exit(main())
