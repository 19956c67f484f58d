"""Season review benchmark: a realistic season of about 250 files, cold and warm, against a plain loop.

Writes the season (deterministically, :mod:`bench.season_mix`: hard-kick and other interval
sessions, easy and long runs, rides, smart and 1 s recording, one- and three-hour files, a few
broken files), then in one run measures

- **cold**: ``hk-analyze SEASON --out OUT`` with an empty cache and the default ``--workers``
  (the best of three runs, each with a cache of its own: a run of a few seconds is slowed whole
  by a moment of other work on the machine, where the baseline's two minutes average it out);
- **warm**: the same command again, every file now in the cache (the best of three);
- **baseline**: a plain loop reading the same FIT files with fitparse into pandas
  (records -> DataFrame; a file fitparse cannot read is skipped), timed alone like the cold runs,
  its memory and CPU time from the kernel's account of its one process;
- **peak memory** and **CPU time**: the largest sum of resident memory over the whole process tree
  during a cold and a warm run, sampled every 20 ms (and the largest single process, from
  ``getrusage``), and the CPU time of all its processes, in runs of their own (the sampling slows
  what it watches; the wall times are taken without it);
- **per file, in this process**: the time to read each file and to analyse it, split into the
  stages of :func:`hardkick_analyze.pipeline.analyze_session` (clean, track, segment, score) and
  writing its JSON entry, against the file's duration;
- **one file from the shell**: ``hk-analyze one-hour.fit`` wall time, interpreter start included.

Every command runs as an installed copy does, its modules' bytecode cached (see
:func:`installed_like`).

It prints Markdown tables and, with ``--write-docs``, puts them in ``docs/performance.md`` under
"## Season review" (other sections of that file are kept).

Usage::

    python -m bench.season [--sessions 250] [--write-docs] [--profile] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import io
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

from bench.docs import write_section
from bench.season_mix import SeasonFile, write_season

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "performance.md"
SECTION = "## Season review"
STAGES = ("read", "clean", "track", "segment", "score", "write")
#: The functions of the pipeline each stage is made of (names in hardkick_analyze.pipeline).
_STAGE_FUNCTIONS = {
    "clean": ("make_grid",),
    "track": ("correct_session", "track_correction"),
    "segment": (
        "detection_speed",
        "find_efforts",
        "effort_sweep",
        "segment_session",
        "workout_from_efforts",
        "laps_as_efforts",
        "_placed_efforts",
        "kicks_possible",
        "lap_table",
    ),
    "score": ("_score_reps", "score_session", "session_verdicts", "sparse_recording_warnings", "grid_columns"),
}

# --- measuring ------------------------------------------------------------------------------


class TreeMonitor:
    """Samples a process and all its descendants: peak summed resident memory [bytes], CPU time [s].

    The machine may be shared: CPU time shows the work done, whatever else ran beside it.
    """

    def __init__(self, pid: int, every_s: float = 0.02) -> None:
        self.root = psutil.Process(pid)
        self.every_s = every_s
        self.peak_bytes = 0
        self._cpu_s: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def cpu_s(self) -> float:
        return sum(self._cpu_s.values())

    def __enter__(self) -> TreeMonitor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                processes = []
            for process in processes:
                try:
                    with process.oneshot():
                        total += process.memory_info().rss
                        times = process.cpu_times()
                except psutil.Error:
                    continue
                self._cpu_s[process.pid] = times.user + times.system
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop.wait(self.every_s)


def run_command(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall time [s], peak process-tree memory [bytes] and process-tree CPU time [s] of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    with TreeMonitor(process.pid) as monitor:
        _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{stderr.decode()[-3000:]}")
    return elapsed, monitor.peak_bytes, monitor.cpu_s


BASELINE = """
import sys
from pathlib import Path
import fitparse
import pandas as pd
frames = []
for path in sorted(Path(sys.argv[1]).glob("*.fit")):
    try:
        fit = fitparse.FitFile(str(path))
        frames.append(pd.DataFrame([message.get_values() for message in fit.get_messages("record")]))
    except Exception:
        continue
print(sum(len(f) for f in frames))
"""


@dataclass(frozen=True, slots=True)
class FileTiming:
    """One file read and analysed in this process: its kind, duration [s] and stage times [s]."""

    file: SeasonFile
    stages: dict[str, float]

    @property
    def analysis_s(self) -> float:
        """Everything after reading, writing the entry excluded [s]."""
        return sum(v for k, v in self.stages.items() if k not in ("read", "write"))


@contextmanager
def _stage_clock(times: dict[str, float]) -> Iterator[None]:
    """Add the time spent in each stage's pipeline functions to ``times`` while inside."""
    import hardkick_analyze.pipeline as pipeline
    import hardkick_analyze.untold as untold

    originals = {}
    for module in (pipeline, untold):
        for stage, names in _STAGE_FUNCTIONS.items():
            for name in names:
                if hasattr(module, name):
                    originals[module, name] = getattr(module, name)
                    setattr(module, name, _timed(originals[module, name], stage, times))
    try:
        yield
    finally:
        for (module, name), function in originals.items():
            setattr(module, name, function)


def _timed(function: Callable[..., object], stage: str, times: dict[str, float]) -> Callable[..., object]:
    @functools.wraps(function)
    def timed(*args: object, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            times[stage] += time.perf_counter() - started

    return timed


def time_files(files: list[SeasonFile], repeats: int = 3) -> list[FileTiming]:
    """Read, analyse and write each file's entry here, one after the other, timing each stage;
    each file ``repeats`` times, its fastest run kept (the machine may be shared: other work
    only ever makes a run slower)."""
    from hardkick_analyze.pipeline import analyze_session
    from hardkick_analyze.readers import read_activity

    analyze_session(read_activity(next(f.path for f in files if f.kind == "hard kick")))  # warm the caches
    timings = []
    for file in files:
        runs = [_time_file(file) for _ in range(repeats)]
        timings.append(min(runs, key=lambda t: sum(t.stages.values())))
    return timings


def _time_file(file: SeasonFile) -> FileTiming:
    from hardkick_analyze.errors import HardkickError
    from hardkick_analyze.pipeline import analyze_session
    from hardkick_analyze.present.report_json import report_to_dict
    from hardkick_analyze.readers import read_activity

    times: dict[str, float] = collections.defaultdict(float)
    started = time.perf_counter()
    try:
        activity = read_activity(file.path)
    except HardkickError:
        times["read"] = time.perf_counter() - started
        return FileTiming(file, dict(times))
    times["read"] = time.perf_counter() - started
    started = time.perf_counter()
    with _stage_clock(times):
        report = analyze_session(activity)
    total = time.perf_counter() - started
    times["other"] = total - sum(times[s] for s in _STAGE_FUNCTIONS)
    started = time.perf_counter()
    json.dumps(report_to_dict(report))
    times["write"] = time.perf_counter() - started
    return FileTiming(file, dict(times))


@contextmanager
def installed_like(files: list[SeasonFile]) -> Iterator[dict[str, str]]:
    """The environment every command is timed in: as an installed copy runs, its modules' bytecode
    cached.

    Untimed first runs (one file, a small season with charts, the plain loop's imports) write the
    bytecode of every module the timed runs import to a temporary ``PYTHONPYCACHEPREFIX`` (neither
    the repository nor the environment is written to). Without it, ``PYTHONDONTWRITEBYTECODE`` in
    the environment makes every run compile the package's source again, 0.1-0.2 s that no
    installed copy spends (pip compiles on install).
    """
    with tempfile.TemporaryDirectory(prefix="hk-pycache-") as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": pycache}
        kinds = {f.kind: f.path for f in files}
        few = Path(pycache) / "few"
        few.mkdir()
        for path in kinds.values():
            shutil.copy(path, few / path.name)
        for args in ([*hk_analyze(), str(kinds["hard kick"])], [*hk_analyze(), str(few), "--out", str(few / "out")]):
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        subprocess.run([sys.executable, "-c", "import fitparse, pandas"], check=True, env=env)
        yield env


def hk_analyze() -> list[str]:
    """The command, as installed beside this Python (else run as a module)."""
    script = Path(sys.executable).with_name("hk-analyze")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hardkick_analyze"]


def one_file_wall_s(path: Path, env: dict[str, str], runs: int = 5) -> float:
    """Best wall time of ``hk-analyze PATH`` over ``runs`` runs, interpreter start included [s]."""
    best = np.inf
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*hk_analyze(), str(path)], check=True, stdout=subprocess.DEVNULL, env=env)
        best = min(best, time.perf_counter() - started)
    return float(best)


def profile_one(path: Path) -> str:
    """Where the time of one file's analysis goes (cumulative, top entries)."""
    from hardkick_analyze.season.worker import AnalysisOptions, analyze_file

    data = path.read_bytes()
    profiler = cProfile.Profile()
    profiler.enable()
    analyze_file(path.name, data, AnalysisOptions())
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
    return stream.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=250)
    parser.add_argument("--write-docs", action="store_true", help=f"write the tables to {DOCS.relative_to(REPO)}")
    parser.add_argument("--profile", action="store_true", help="profile one hard-kick file's analysis")
    parser.add_argument("--keep", type=Path, help="write the season here and keep it")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hk-season-bench-"))
    season = options.keep or work / "season"
    try:
        started = time.perf_counter()
        if season.exists():
            shutil.rmtree(season)
        files = write_season(season, options.sessions)
        size_mb = sum(f.path.stat().st_size for f in files) / 1e6
        print(f"wrote {len(files)} files ({size_mb:.1f} MB) in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        load = os.getloadavg()[0]
        one_hour = next(f.path for f in files if f.kind == "hard kick" and f.recording == "1s")
        with installed_like(files) as env:
            cold_s, cold_bytes, cold_cpu_s, warm_s, warm_bytes = _cold_and_warm(season, work, env)
            print(f"cold {cold_s:.1f} s, warm {warm_s:.2f} s", file=sys.stderr)
            base_s, base_bytes, base_cpu_s = _one_process([sys.executable, "-c", BASELINE, str(season)], env)
            print(f"baseline {base_s:.1f} s", file=sys.stderr)
            wall_s = one_file_wall_s(one_hour, env)
        largest_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        timings = time_files(files)
        report = "\n\n".join(
            [
                _summary(
                    load=load,
                    files=files,
                    size_mb=size_mb,
                    runs={
                        "cold": cold_s,
                        "warm": warm_s,
                        "base": base_s,
                        "cold_cpu": cold_cpu_s,
                        "base_cpu": base_cpu_s,
                    },
                    memory_mb={
                        "peak": max(cold_bytes, warm_bytes) / 2**20,
                        "base": base_bytes / 2**20,
                        "largest": largest_mb,
                    },
                    timings=timings,
                    wall_s=wall_s,
                ),
                _stage_table(timings),
                _duration_table(timings),
            ]
        )
        print(report)
        if options.profile:
            print(profile_one(one_hour))
        if options.write_docs:
            _write_docs(report)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cold_and_warm(
    season: Path, work: Path, env: dict[str, str], runs: int = 3
) -> tuple[float, int, float, float, int]:
    """``hk-analyze SEASON --out OUT`` with an empty cache, then again with the cache filled: cold
    wall time [s], memory [bytes] and CPU time [s], warm wall time [s] and memory [bytes].

    The wall times are the best of ``runs`` runs each (every cold run with a cache of its own),
    timed alone: the memory and CPU come from one more run of each under :class:`TreeMonitor`,
    whose sampling (psutil walks every process of the machine to find the children) takes a
    share of the two cores, half a second of a cold run.
    """

    def command(run: int) -> list[str]:
        return [*hk_analyze(), str(season), "--out", str(work / f"out{run}"), "--cache-dir", str(work / f"cache{run}")]

    cold_s = min(_wall_s(command(run), env) for run in range(runs))
    _, cold_bytes, cold_cpu_s = run_command(command(runs), env)
    warm_s = min(_wall_s(command(runs), env) for _ in range(runs))
    _, warm_bytes, _ = run_command(command(runs), env)
    return cold_s, cold_bytes, cold_cpu_s, warm_s, warm_bytes


def _one_process(args: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Wall time [s], peak memory [bytes] and CPU time [s] of a command that runs in one process,
    from the kernel's account of it (nothing sampling beside it)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed ({process.returncode})")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def _wall_s(args: list[str], env: dict[str, str]) -> float:
    """Wall time of one command, nothing else watching [s]."""
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def _one_hour_runs(timings: list[FileTiming]) -> list[FileTiming]:
    """The one-hour sessions recorded every second (57-77 min) that were analysed
    (rides and broken files too are files of the season, but not sessions)."""
    return [
        t for t in timings if t.file.hours == 1 and t.file.recording == "1s" and t.file.kind not in ("ride", "broken")
    ]


def _summary(
    *,
    load: float,
    files: list[SeasonFile],
    size_mb: float,
    runs: dict[str, float],
    memory_mb: dict[str, float],
    timings: list[FileTiming],
    wall_s: float,
) -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    kinds = collections.Counter(f.kind for f in files)
    speedup = runs["base"] / runs["cold"]
    median_ms = 1000.0 * float(np.median([t.analysis_s for t in _one_hour_runs(timings)]))

    def met(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [
        f"{len(files)} files ({size_mb:.1f} MB of FIT and GPX: "
        + ", ".join(f"{n} {k}" for k, n in kinds.items())
        + f"), {cores} cores, Python {platform.python_version()}, {platform.machine()}, "
        f"load average {load:.1f} at the start; command: `python -m bench.season --sessions {len(files)} --write-docs`",
        "",
        "| measure | value | goal |",
        "|---|---:|---|",
        f"| analysis of a one-hour 1 s session, reading excluded, median over the "
        f"{len(_one_hour_runs(timings))} of the season | {median_ms:.1f} ms | <= 25 ms: {met(median_ms <= 25)} |",
        f"| cold run (empty cache, default --workers, with --out; the best of three) | {runs['cold']:.1f} s | |",
        f"| plain loop: fitparse into pandas | {runs['base']:.1f} s | |",
        f"| cold speed-up over the plain loop | {speedup:.1f}x | >= 20x: {met(speedup >= 20)} |",
        f"| warm run (all cached, with --out; the best of three) | {runs['warm']:.2f} s "
        f"| <= 2 s: {met(runs['warm'] <= 2)} |",
        f"| `hk-analyze one-hour.fit`, wall time with interpreter start (best of 5) | {wall_s:.2f} s "
        f"| <= 0.5 s: {met(wall_s <= 0.5)} |",
        f"| peak memory, whole process tree | {memory_mb['peak']:.0f} MiB "
        f"| <= 1 GiB: {met(memory_mb['peak'] <= 1024)} |",
        f"| CPU time, cold run (all processes) | {runs['cold_cpu']:.1f} s | |",
        f"| CPU time, plain loop | {runs['base_cpu']:.1f} s | |",
        f"| peak memory of the plain loop | {memory_mb['base']:.0f} MiB | |",
        f"| largest single process (getrusage) | {memory_mb['largest']:.0f} MiB | |",
    ]
    return "\n".join(lines)


def _stage_table(timings: list[FileTiming]) -> str:
    """Time per stage, summed over the season and as a median per one-hour 1 s session of each kind."""
    total = {stage: sum(t.stages.get(stage, 0.0) for t in timings) for stage in (*STAGES, "other")}
    whole = sum(total.values())
    hour = _one_hour_runs(timings)
    kinds = ("hard kick", "intervals", "easy")
    lines = [
        "Per stage, every file read and analysed one after the other in one process, the fastest of "
        "three runs of each (`other`: the pipeline's own bookkeeping between stages); the medians are "
        "over the one-hour sessions recorded every second:",
        "",
        "| stage | season total | share | median, hard kick | median, other intervals | median, easy run |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for stage, seconds in total.items():
        medians = [
            1000.0 * float(np.median([t.stages.get(stage, 0.0) for t in hour if t.file.kind == k])) for k in kinds
        ]
        lines.append(
            f"| {stage} | {seconds:.2f} s | {100 * seconds / whole:.0f} % | "
            + " | ".join(f"{m:.1f} ms" for m in medians)
            + " |"
        )
    analysis = [1000.0 * float(np.median([t.analysis_s for t in hour if t.file.kind == k])) for k in kinds]
    lines.append("| analysis (clean to score) | | | " + " | ".join(f"**{m:.1f} ms**" for m in analysis) + " |")
    return "\n".join(lines)


def _duration_table(timings: list[FileTiming]) -> str:
    """Time per file against its duration, by kind and recording: cost per recorded hour."""
    groups: dict[tuple[str, str, float], list[FileTiming]] = collections.defaultdict(list)
    for t in timings:
        if t.file.kind != "broken":
            groups[(t.file.kind, t.file.recording, t.file.hours)].append(t)
    lines = [
        "Time per file against the file's duration (medians; rides last 1-2 h and stop at the sport "
        "check). Linear cost shows as a flat time per recorded hour:",
        "",
        "| kind | recording | hours | files | read | analysis | analysis per hour |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for (kind, recording, hours), members in sorted(groups.items()):
        read = 1000.0 * float(np.median([t.stages["read"] for t in members]))
        analysis = 1000.0 * float(np.median([t.analysis_s for t in members]))
        per_hour = 1000.0 * float(np.median([t.analysis_s / (t.file.duration_s / 3600.0) for t in members]))
        lines.append(
            f"| {kind} | {recording} | {hours:g} | {len(members)} | {read:.1f} ms | {analysis:.1f} ms "
            f"| {per_hour:.1f} ms |"
        )
    runs = [t for t in timings if t.file.kind in ("easy", "long") and t.file.recording == "1s"]
    if runs:
        durations_h = np.array([t.file.duration_s / 3600.0 for t in runs])
        seconds = np.array([t.analysis_s for t in runs])
        slope, intercept = np.polyfit(durations_h, seconds, 1)
        fitted = slope * durations_h + intercept
        r2 = 1.0 - float(np.sum((seconds - fitted) ** 2) / np.sum((seconds - seconds.mean()) ** 2))
        lines += [
            "",
            f"Steady runs at 1 s (one and three hours): analysis = {1000 * intercept:.1f} ms + "
            f"{1000 * slope:.1f} ms per hour (R^2 {r2:.2f}).",
        ]
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    """Replace the measured block of the Season review section; keep every other word of the file."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    section = text.partition(SECTION)[2].split("\n## ")[0] if SECTION in text else ""
    block = f"{_START}\n{report}\n{_END}"
    if _START in section and _END in section:
        head, _, rest = section.partition(_START)
        body = head + block + rest.partition(_END)[2]
    else:
        body = f"{block}\n{section}"
    write_section(DOCS, SECTION, body, title="Performance")


_START = "<!-- season-bench:start -->"
_END = "<!-- season-bench:end -->"


if __name__ == "__main__":
    main()
