"""Season review benchmark: 250 one-hour sessions recorded at 1 s, cold and warm, against a plain loop.

Writes the season (deterministically) as FIT files, then in one run measures

- **cold**: ``hk-analyze SEASON --out OUT`` with an empty cache and the default ``--workers``;
- **warm**: the same command again, every file now in the cache;
- **baseline**: a plain loop reading the same files with fitparse into pandas (records -> DataFrame);
- **peak memory**: the largest sum of resident memory over the whole process tree during each run,
  sampled every 20 ms (and the largest single process, from ``getrusage``).

It prints a Markdown table and, with ``--write-docs``, puts it in ``docs/performance.md`` under
"## Season review" (other sections of that file are kept).

Usage::

    python -m bench.season [--sessions 250] [--write-docs] [--profile]

The files come from the project's session simulator (:mod:`hardkick_analyze.simulate`) and its
FIT writer: a watch recording every second, with GPS, heart rate, cadence and manual laps; a
hard-kick session every third day (paces 4:20-5:20/km, 3-5 plain reps, 1-2 kicks), easy runs on
the other days.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as dt
import io
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
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from bench.docs import write_section
from hardkick_analyze.models import Workout
from hardkick_analyze.simulate import Athlete, SessionConfig, SessionPlan, simulate_session
from hardkick_analyze.simulate.scenarios import hard_kick_500

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "performance.md"
SECTION = "## Season review"
SESSION_S = 3600.0

# --- the season -----------------------------------------------------------------------------


def session_config(number: int, start: dt.datetime) -> SessionConfig:
    """One hour at 1 s, deterministic from ``number``: a hard-kick session every third day, else an easy run."""
    rng = np.random.default_rng([number, 0x5EA5])
    athlete = Athlete(warmup_speed_mps=float(rng.uniform(2.5, 3.1)), cooldown_s=600.0)
    when = pd.Timestamp(start)
    if number % 3:
        easy = SessionPlan(workout=Workout(spec="easy run", reps=()), start_time=when, name="Easy run")
        # The simulated watch runs about 150 s beyond the jog (standing at the start and the end).
        jog = dataclasses.replace(athlete, warmup_s=SESSION_S - 150.0, cooldown_s=0.0)
        return SessionConfig(plan=easy, athlete=jog)
    pace = float(rng.uniform(260.0, 320.0))
    workout = hard_kick_500(pace, plain=int(rng.integers(3, 6)), kicks=int(rng.integers(1, 3)))
    rest_s = float(rng.uniform(90.0, 150.0))
    # Fill the hour: the reps and rests, a little slack the simulator adds, then the warm-up.
    reps_s = sum(r.distance_m * pace / 1000.0 + r.kick_m / 6.0 + rest_s for r in workout.reps) + 170.0
    warmup_s = max(SESSION_S - athlete.cooldown_s - reps_s, 900.0)
    plan = SessionPlan(workout=workout, rest_s=rest_s, start_time=when, name="Hard kick")
    return SessionConfig(plan=plan, athlete=dataclasses.replace(athlete, warmup_s=warmup_s))


def write_season(folder: Path, sessions: int) -> list[Path]:
    """``sessions`` files, one a day from 2026-01-01, 07:00 UTC."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(sessions):
        start = dt.datetime(2026, 1, 1, 7, tzinfo=dt.timezone.utc) + dt.timedelta(days=number)
        path = folder / f"{start:%Y-%m-%d}-{number:03d}.fit"
        path.write_bytes(simulate_session(session_config(number, start), seed=number).to_fit())
        paths.append(path)
    return paths


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


def run_command(args: list[str]) -> tuple[float, int, float]:
    """Wall time [s], peak process-tree memory [bytes] and process-tree CPU time [s] of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
    fit = fitparse.FitFile(str(path))
    frames.append(pd.DataFrame([message.get_values() for message in fit.get_messages("record")]))
print(sum(len(f) for f in frames))
"""


def time_split(paths: list[Path]) -> tuple[float, float]:
    """Mean time per file to read (decode and normalise) and to analyse, in this process [s]."""
    from hardkick_analyze.pipeline import analyze_session
    from hardkick_analyze.readers import read_activity

    read_s = analyse_s = 0.0
    for path in paths:
        started = time.perf_counter()
        activity = read_activity(path)
        read_s += time.perf_counter() - started
        started = time.perf_counter()
        analyze_session(activity)
        analyse_s += time.perf_counter() - started
    return read_s / len(paths), analyse_s / len(paths)


def profile_one(path: Path) -> str:
    """Where the time of one file's analysis goes (cumulative, top entries)."""
    from hardkick_analyze.season.worker import AnalysisOptions, analyze_file

    data = path.read_bytes()
    profiler = cProfile.Profile()
    profiler.enable()
    analyze_file(path.name, data, AnalysisOptions())
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(15)
    return stream.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=250)
    parser.add_argument("--write-docs", action="store_true", help=f"write the table to {DOCS.relative_to(REPO)}")
    parser.add_argument("--profile", action="store_true", help="profile one file's analysis")
    parser.add_argument("--keep", type=Path, help="generate the season here and keep it")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hk-season-bench-"))
    season = options.keep or work / "season"
    try:
        started = time.perf_counter()
        paths = write_season(season, options.sessions)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        took_s = time.perf_counter() - started
        print(f"wrote {len(paths)} sessions ({size_mb:.1f} MB) in {took_s:.1f} s", file=sys.stderr)
        load = os.getloadavg()[0]
        command = [sys.executable, "-m", "hardkick_analyze", str(season), "--out", str(work / "out")]
        command += ["--cache-dir", str(work / "cache")]
        cold_s, cold_bytes, cold_cpu_s = run_command(command)
        print(f"cold {cold_s:.1f} s", file=sys.stderr)
        warm_s, warm_bytes, _ = run_command(command)
        print(f"warm {warm_s:.2f} s", file=sys.stderr)
        base_s, base_bytes, base_cpu_s = run_command([sys.executable, "-c", BASELINE, str(season)])
        print(f"baseline {base_s:.1f} s", file=sys.stderr)
        largest_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        read_s, analyse_s = time_split(paths[:10])
        table = _table(
            load=load,
            read_s=read_s,
            analyse_s=analyse_s,
            sessions=len(paths),
            size_mb=size_mb,
            cold_s=cold_s,
            warm_s=warm_s,
            base_s=base_s,
            cold_cpu_s=cold_cpu_s,
            base_cpu_s=base_cpu_s,
            peak_mb=max(cold_bytes, warm_bytes) / 2**20,
            base_mb=base_bytes / 2**20,
            largest_mb=largest_mb,
        )
        print(table)
        if options.profile:
            print(profile_one(paths[0]))
        if options.write_docs:
            _write_docs(table)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _table(
    *,
    load: float,
    read_s: float,
    analyse_s: float,
    sessions: int,
    size_mb: float,
    cold_s: float,
    warm_s: float,
    base_s: float,
    cold_cpu_s: float,
    base_cpu_s: float,
    peak_mb: float,
    base_mb: float,
    largest_mb: float,
) -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    speedup = base_s / cold_s
    lines = [
        f"{sessions} one-hour sessions at 1 s ({size_mb:.1f} MB of FIT), {cores} cores, "
        f"Python {platform.python_version()}, {platform.machine()}, load average {load:.1f} at the start; "
        f"command: `python -m bench.season --sessions {sessions} --write-docs`",
        "",
        "| measure | value | target |",
        "|---|---:|---|",
        f"| cold run (empty cache, default --workers, with --out) | {cold_s:.1f} s | |",
        f"| warm run (all cached, with --out) | {warm_s:.2f} s | < 3 s: {'met' if warm_s < 3 else 'missed'} |",
        f"| plain loop: fitparse into pandas | {base_s:.1f} s | |",
        f"| cold speed-up over the plain loop | {speedup:.2f}x | >= 5x: {'met' if speedup >= 5 else 'missed'} |",
        f"| CPU time, cold run (all processes) | {cold_cpu_s:.1f} s | |",
        f"| CPU time, plain loop | {base_cpu_s:.1f} s | |",
        f"| peak memory, whole process tree | {peak_mb:.0f} MiB | < 1 GiB: {'met' if peak_mb < 1024 else 'missed'} |",
        f"| peak memory of the plain loop | {base_mb:.0f} MiB | |",
        f"| largest single process (getrusage) | {largest_mb:.0f} MiB | |",
        f"| per file, one process: read (decode + normalise) | {read_s:.3f} s | |",
        f"| per file, one process: analyse (grid, segment, score) | {analyse_s:.3f} s | |",
    ]
    return "\n".join(lines)


def _write_docs(table: str) -> None:
    """Replace the measured block of the Season review section; keep every other word of the file."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    section = text.partition(SECTION)[2].split("\n## ")[0] if SECTION in text else ""
    block = f"{_START}\n{table}\n{_END}"
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
