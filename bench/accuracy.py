"""Accuracy benchmark: simulate sessions with known truth, analyze their files, score the analyzers.

Run from the repository root (about a minute on 2 cores)::

    python -m bench.accuracy                      # every registered analyzer, docs/accuracy.md
    python -m bench.accuracy --analyzer speed_threshold --seeds 1 --output -
    python -m bench.accuracy --analyzer mypackage.module:function

Each session of :func:`hardkick_analyze.simulate.scenarios.benchmark_cases` is simulated, written
in its scenario's format, read back with :func:`hardkick_analyze.read_activity` and handed to
each analyzer (``analyzer(activity, workout) -> Prediction``, see :mod:`bench`). A predicted rep
matches a true rep when their paced parts overlap by more than half of the longer of the two
(one-to-one, largest overlaps first). Kick metrics are taken over matched reps whose truth has
a kick; a kick reported on a plain rep or on an unmatched effort is spurious. Missing-rep
agreement counts the planned reps whose missing/present status the analyzer got right.

To benchmark a new analyzer, add one line to :data:`ANALYZERS`.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hardkick_analyze import read_activity
from hardkick_analyze.simulate import RepTruth, SessionTruth
from hardkick_analyze.simulate.scenarios import BENCHMARK, benchmark_cases

from . import Analyzer, PredictedRep, Prediction
from .baselines import laps_as_reps, speed_threshold
from .hardkick import hardkick

__all__ = ["ANALYZERS", "SessionScore", "main", "match_reps", "score_session"]

#: Registered analyzers: name -> callable. One line per analyzer.
ANALYZERS: dict[str, Analyzer] = {
    "laps_as_reps": laps_as_reps,
    "speed_threshold": speed_threshold,
    "hardkick": hardkick,
}

#: Paced parts overlapping by more than this share of the longer one are the same rep.
MATCH_OVERLAP = 0.5
_SCENARIOS = {s.name: s for s in BENCHMARK}


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionScore:
    """One analyzer on one session: counts and signed errors (predicted - true) [s, m/s, pp]."""

    analyzer: str
    scenario: str
    condition: str
    seed: int
    true_reps: int
    predicted_reps: int
    matched: int
    start_errors_s: tuple[float, ...] = ()
    end_errors_s: tuple[float, ...] = ()
    duration_errors_s: tuple[float, ...] = ()
    true_kicks: int = 0
    kicks_found: int = 0
    spurious_kicks: int = 0
    kick_start_errors_s: tuple[float, ...] = ()
    kick_speed_errors_mps: tuple[float, ...] = ()
    fade_errors_pct: tuple[float, ...] = ()
    planned_reps: int = 0
    missing_agreements: int = 0
    analyze_s: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseResult:
    """Everything one worker measured on one session."""

    scores: tuple[SessionScore, ...]
    simulate_s: float
    write_s: float
    read_s: float
    file_bytes: int
    failures: tuple[str, ...] = field(default=())


def match_reps(truth: Sequence[RepTruth], predicted: Sequence[PredictedRep]) -> list[tuple[int, int]]:
    """Pair true and predicted reps whose paced parts overlap by more than :data:`MATCH_OVERLAP`.

    Returns
    -------
    list of (true position, predicted position)
        One-to-one pairs, the largest overlaps taken first, sorted by true position.
    """
    candidates = []
    for i, true_rep in enumerate(truth):
        assert true_rep.start_s is not None and true_rep.end_s is not None
        for j, rep in enumerate(predicted):
            overlap = min(true_rep.end_s, rep.end_s) - max(true_rep.start_s, rep.start_s)
            longer = max(true_rep.end_s - true_rep.start_s, rep.end_s - rep.start_s)
            if longer > 0 and overlap > MATCH_OVERLAP * longer:
                candidates.append((overlap / longer, i, j))
    pairs: list[tuple[int, int]] = []
    used_true: set[int] = set()
    used_predicted: set[int] = set()
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_true and j not in used_predicted:
            pairs.append((i, j))
            used_true.add(i)
            used_predicted.add(j)
    return sorted(pairs)


def score_session(
    truth: SessionTruth, prediction: Prediction, *, analyzer: str, scenario: str, condition: str
) -> SessionScore:
    """Compare one prediction with the truth of its session."""
    true_reps = truth.run_reps
    predicted = prediction.reps
    pairs = match_reps(true_reps, predicted)
    matched_predicted = {j for _, j in pairs}
    starts, ends, durations = [], [], []
    kick_starts, kick_speeds, fades = [], [], []
    kicks_found = spurious = 0
    for i, j in pairs:
        true_rep, rep = true_reps[i], predicted[j]
        assert true_rep.start_s is not None and true_rep.end_s is not None
        starts.append(rep.start_s - true_rep.start_s)
        ends.append(rep.end_s - true_rep.end_s)
        durations.append((rep.end_s - rep.start_s) - (true_rep.end_s - true_rep.start_s))
        if true_rep.kick is None:
            spurious += rep.kick is not None
            continue
        if rep.kick is None:
            continue
        kicks_found += 1
        kick_starts.append(rep.kick.start_s - true_rep.kick.start_s)
        kick_speeds.append(rep.kick.avg_speed_mps - true_rep.kick.avg_speed_mps)
        fades.append(rep.kick.fade_pct - true_rep.kick.fade_pct)
    spurious += sum(1 for j, rep in enumerate(predicted) if j not in matched_predicted and rep.kick is not None)
    planned = len(truth.reps) - sum(1 for r in truth.reps if r.planned_index is None)
    truly_missing = set(truth.missing_planned_indices)
    said_missing = set(prediction.missing_planned_indices)
    agreements = sum(1 for i in range(planned) if (i in truly_missing) == (i in said_missing))
    return SessionScore(
        analyzer=analyzer,
        scenario=scenario,
        condition=condition,
        seed=truth.seed,
        true_reps=len(true_reps),
        predicted_reps=len(predicted),
        matched=len(pairs),
        start_errors_s=tuple(starts),
        end_errors_s=tuple(ends),
        duration_errors_s=tuple(durations),
        true_kicks=sum(1 for r in true_reps if r.kick is not None),
        kicks_found=kicks_found,
        spurious_kicks=spurious,
        kick_start_errors_s=tuple(kick_starts),
        kick_speed_errors_mps=tuple(kick_speeds),
        fade_errors_pct=tuple(fades),
        planned_reps=planned,
        missing_agreements=agreements,
    )


def run_case(scenario_name: str, seed: int, analyzer_specs: Sequence[str]) -> CaseResult:
    """Simulate, write, read and analyze one session (runs in a worker process)."""
    scenario = _SCENARIOS[scenario_name]
    begin = time.perf_counter()
    session = scenario.simulate(seed)
    simulated = time.perf_counter()
    data = scenario.file_bytes(session)
    written = time.perf_counter()
    activity = read_activity(data, name=f"{scenario.name}-{seed}.{scenario.file_format}")
    read = time.perf_counter()
    workout = session.config.plan.workout
    scores = []
    failures = []
    for spec in analyzer_specs:
        analyzer = resolve_analyzer(spec)
        started = time.perf_counter()
        try:
            prediction = analyzer(activity, workout)
        except Exception as exc:  # one failing session must not stop the benchmark
            failures.append(f"{spec} on {scenario.name}/{seed}: {type(exc).__name__}: {exc}")
            prediction = Prediction()
        score = score_session(
            session.truth, prediction, analyzer=spec, scenario=scenario.name, condition=scenario.condition
        )
        scores.append(dataclasses.replace(score, analyze_s=time.perf_counter() - started))
    return CaseResult(
        scores=tuple(scores),
        simulate_s=simulated - begin,
        write_s=written - simulated,
        read_s=read - written,
        file_bytes=len(data),
        failures=tuple(failures),
    )


def resolve_analyzer(spec: str) -> Analyzer:
    """A registered name, or ``module:function`` for an analyzer that is not registered."""
    if spec in ANALYZERS:
        return ANALYZERS[spec]
    module_name, _, function = spec.partition(":")
    if not function:
        known = ", ".join(ANALYZERS)
        raise SystemExit(f"unknown analyzer {spec!r}: register it in ANALYZERS ({known}) or give module:function")
    analyzer: Analyzer = getattr(importlib.import_module(module_name), function)
    return analyzer


def _abs_stats(values: Sequence[float]) -> str:
    """``median / p90`` of the absolute values, or a dash."""
    if not values:
        return "-"
    absolute = np.abs(np.asarray(values, dtype=np.float64))
    return f"{np.median(absolute):.2f} / {np.percentile(absolute, 90):.2f}"


def _mean_time(scores: Sequence[SessionScore], analyzer: str) -> float:
    return float(np.mean([s.analyze_s for s in scores if s.analyzer == analyzer]))


def _ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "-"


def _gather(scores: Sequence[SessionScore], name: str) -> list[float]:
    return [value for score in scores for value in getattr(score, name)]


def _summary_row(label: str, scores: Sequence[SessionScore]) -> list[str]:
    true_reps = sum(s.true_reps for s in scores)
    predicted = sum(s.predicted_reps for s in scores)
    matched = sum(s.matched for s in scores)
    precision = matched / predicted if predicted else 0.0
    recall = matched / true_reps if true_reps else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return [
        label,
        str(len(scores)),
        f"{true_reps}/{predicted}",
        f"{precision:.2f}",
        f"{recall:.2f}",
        f"{f1:.2f}",
        _abs_stats(_gather(scores, "start_errors_s")),
        _abs_stats(_gather(scores, "end_errors_s")),
        _abs_stats(_gather(scores, "duration_errors_s")),
        _ratio(sum(s.kicks_found for s in scores), sum(s.true_kicks for s in scores)),
        str(sum(s.spurious_kicks for s in scores)),
        _abs_stats(_gather(scores, "kick_start_errors_s")),
        _abs_stats(_gather(scores, "kick_speed_errors_mps")),
        _abs_stats(_gather(scores, "fade_errors_pct")),
        _ratio(sum(s.missing_agreements for s in scores), sum(s.planned_reps for s in scores)),
    ]


_HEADER = [
    "",
    "sessions",
    "reps true/pred",
    "precision",
    "recall",
    "F1",
    "rep start err (s)",
    "rep end err (s)",
    "rep duration err (s)",
    "kick recall",
    "spurious kicks",
    "kick start err (s)",
    "kick avg speed err (m/s)",
    "fade err (pp)",
    "missing-rep agreement",
]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render_report(
    results: Sequence[CaseResult], analyzers: Sequence[str], command: str, workers: int, wall_s: float
) -> str:
    """The benchmark's Markdown report: overall table, per-condition tables, timings."""
    scores = [s for r in results for s in r.scores]
    overall = _table(
        ["analyzer", *_HEADER[1:]],
        [_summary_row(name, [s for s in scores if s.analyzer == name]) for name in analyzers],
    )
    sections = [
        "# Accuracy benchmark",
        "",
        "Produced by (from the repository root):",
        "",
        "```bash",
        command,
        "```",
        "",
        f"{len(results)} simulated sessions ({len(BENCHMARK)} scenarios, "
        f"`hardkick_analyze.simulate.scenarios.BENCHMARK`), each written in its scenario's format and "
        "read back with `read_activity`. Errors are absolute, as median / 90th percentile; reps match "
        f"when their paced parts overlap by more than {MATCH_OVERLAP:.0%} of the longer one. Kick metrics "
        "cover matched reps whose truth has a kick; a kick on a plain rep or an unmatched effort is "
        "spurious. Missing-rep agreement: share of planned reps whose missing/present status is right.",
        "",
        "`laps_as_reps` and `speed_threshold` are the naive baselines of `bench/baselines.py`, kept for "
        "comparison. An analyzer is added with one line in `bench.accuracy.ANALYZERS` (or, unregistered, "
        "`--analyzer module:function`); it is called as `analyzer(activity, workout) -> Prediction`.",
        "",
        "## All sessions",
        "",
        overall,
    ]
    conditions = list(dict.fromkeys(s.condition for s in BENCHMARK))
    for name in analyzers:
        mine = [s for s in scores if s.analyzer == name]
        rows = [_summary_row(c, [s for s in mine if s.condition == c]) for c in conditions]
        sections += ["", f"## By condition: `{name}`", "", _table(["condition", *_HEADER[1:]], rows)]
    simulate = [r.simulate_s for r in results]
    sections += [
        "",
        "## Timing",
        "",
        f"- simulating a session: mean {np.mean(simulate):.3f} s, max {np.max(simulate):.3f} s",
        f"- writing its file: mean {np.mean([r.write_s for r in results]):.3f} s; "
        f"reading it back: mean {np.mean([r.read_s for r in results]):.3f} s",
        f"- files: {sum(r.file_bytes for r in results) / 2**20:.1f} MiB in total",
        *(f"- `{name}`: mean {_mean_time(scores, name):.3f} s per session" for name in analyzers),
        f"- whole benchmark: {wall_s:.0f} s with {workers} worker processes",
    ]
    failures = [f for r in results for f in r.failures]
    if failures:
        sections += ["", "## Failures", "", *(f"- {f}" for f in failures)]
    return "\n".join(sections) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the report and write it to ``--output``."""
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--analyzer",
        action="append",
        help="registered name or module:function (repeatable; default: every registered analyzer)",
    )
    parser.add_argument("--seeds", type=int, default=2, help="seeds per scenario (default 2)")
    parser.add_argument("--scenario", action="append", help="only these scenarios (repeatable)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--output", default="docs/accuracy.md", help="Markdown report path, '-' for none")
    args = parser.parse_args(argv)
    analyzers = args.analyzer or list(ANALYZERS)
    for spec in analyzers:
        resolve_analyzer(spec)
    cases = [(s.name, seed) for s, seed in benchmark_cases(args.seeds) if not args.scenario or s.name in args.scenario]
    begin = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run_case, *zip(*cases, strict=True), [analyzers] * len(cases)))
    wall = time.perf_counter() - begin
    command = " ".join(["python -m bench.accuracy", *(argv if argv is not None else sys.argv[1:])])
    report = render_report(results, analyzers, command, args.workers, wall)
    print(report)
    if args.output != "-":
        output = Path(args.output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
