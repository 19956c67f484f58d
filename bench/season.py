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

    python bench/season.py [--sessions 250] [--write-docs] [--profile]

The files come from a small FIT writer in this script (file_id, timer events, 1 s records with
position, distance, speed, heart rate, cadence and altitude, a lap per segment, session and
activity messages), mixing hard-kick sessions with easy runs, tempo runs and fartleks.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import math
import os
import platform
import pstats
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "performance.md"
SECTION = "## Season review"
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.timezone.utc)
SESSION_S = 3600
SEMICIRCLES_PER_DEG = 2**31 / 180.0
REP_SPEED_MPS = 1000.0 / 295.0

# --- a minimal FIT writer -------------------------------------------------------------------

_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)  # fmt: skip
# Base types: (FIT code, struct format).
_ENUM, _U8, _U16, _S32, _U32, _U32Z = (0x00, "B"), (0x02, "B"), (0x84, "H"), (0x85, "i"), (0x86, "I"), (0x8C, "I")
# Message number -> (local type, fields as (field number, base type)).
_MESSAGES = {
    "file_id": (0, 0, ((0, _ENUM), (1, _U16), (2, _U16), (3, _U32Z), (4, _U32))),
    "event": (1, 21, ((253, _U32), (0, _ENUM), (1, _ENUM))),
    "record": (2, 20, ((253, _U32), (0, _S32), (1, _S32), (2, _U16), (3, _U8), (4, _U8), (5, _U32), (6, _U16))),
    "lap": (
        3,
        19,
        (
            (254, _U16),
            (253, _U32),
            (2, _U32),
            (7, _U32),
            (8, _U32),
            (9, _U32),
            (0, _ENUM),
            (1, _ENUM),
            (24, _ENUM),
            (25, _ENUM),
            (23, _ENUM),
        ),
    ),
    "session": (
        4,
        18,
        (
            (253, _U32),
            (2, _U32),
            (7, _U32),
            (8, _U32),
            (9, _U32),
            (5, _ENUM),
            (6, _ENUM),
            (0, _ENUM),
            (1, _ENUM),
            (25, _U16),
            (26, _U16),
        ),
    ),
    "activity": (5, 34, ((253, _U32), (0, _U32), (1, _U16), (2, _ENUM), (3, _ENUM), (4, _ENUM))),
}


def _crc(data: bytes, crc: int = 0) -> int:
    for byte in data:
        for nibble in (byte & 0x0F, byte >> 4):
            tmp = _CRC_TABLE[crc & 0x0F]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return crc


class FitWriter:
    """Definitions first, then data messages; ``finish()`` adds the header and the CRCs."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.formats = {}
        for name, (local, number, fields) in _MESSAGES.items():
            definition = struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
            sizes = {"B": 1, "H": 2, "i": 4, "I": 4}
            definition += b"".join(struct.pack("BBB", f, sizes[t[1]], t[0]) for f, t in fields)
            self.body += definition
            self.formats[name] = (local, struct.Struct("<B" + "".join(t[1] for _, t in fields)))

    def write(self, name: str, *values: int) -> None:
        local, layout = self.formats[name]
        self.body += layout.pack(local, *values)

    def finish(self) -> bytes:
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.body), b".FIT")
        header += struct.pack("<H", _crc(header))
        data = header + bytes(self.body)
        return data + struct.pack("<H", _crc(data))


# --- the season -----------------------------------------------------------------------------


def _segments(kind: str, rng: np.random.Generator) -> list[tuple[float, float, int, bool]]:
    """(duration s, speed m/s, lap intensity, starts a lap) for one session.

    Intensity is FIT's: 0 active, 1 rest, 2 warm-up, 3 cool-down. A kick runs on in its rep's lap,
    as a runner sprints through without pressing the lap button.
    """
    if kind == "hard_kick":
        rep = REP_SPEED_MPS * rng.uniform(0.97, 1.03)
        segments = [(900.0, 2.8, 2, True), (120.0, 1.0, 1, True)]
        for _ in range(int(rng.integers(3, 6))):
            segments += [(400.0 / rep, rep, 0, True), (90.0, 1.0, 1, True)]
        for _ in range(2):
            kick = rng.uniform(5.6, 6.6)
            segments += [(400.0 / rep, rep, 0, True), (100.0 / kick, kick, 0, False), (120.0, 1.0, 1, True)]
        return segments
    if kind == "tempo":
        return [(900.0, 2.8, 2, True), (1500.0, 3.7, 0, True)]
    if kind == "fartlek":
        segments = [(600.0, 2.8, 2, True)]
        while sum(s[0] for s in segments) < 2700:
            surge = (float(rng.integers(30, 180)), rng.uniform(3.4, 4.6), 0, True)
            segments += [surge, (float(rng.integers(60, 150)), 2.6, 1, True)]
        return segments
    return [(float(SESSION_S - 600), rng.uniform(2.6, 3.0), 0, True)]


def session_fit(number: int, start: dt.datetime) -> bytes:
    """One hour at 1 s, deterministic from ``number``: a hard-kick session every fifth day."""
    rng = np.random.default_rng(number)
    kind = ("hard_kick", "easy", "tempo", "easy", "fartlek")[number % 5]
    segments = _segments(kind, rng)
    segments.append((SESSION_S - sum(s[0] for s in segments), 2.7, 3, True))
    edges = np.cumsum([0.0, *(s[0] for s in segments)])
    time_s = np.arange(0.0, float(SESSION_S))
    index = np.minimum(np.searchsorted(edges, time_s, side="right") - 1, len(segments) - 1)
    target = np.array([s[1] for s in segments])[index]
    # The body does not change speed at once: a first-order lag of about 2 s, plus noise.
    speed = np.empty_like(target)
    speed[0] = target[0]
    for i in range(1, len(target)):
        speed[i] = speed[i - 1] + (target[i] - speed[i - 1]) * 0.45
    speed = np.clip(speed + rng.normal(0.0, 0.05, len(speed)), 0.0, None)
    distance = np.concatenate([[0.0], np.cumsum((speed[1:] + speed[:-1]) / 2.0)])
    heart = np.clip(95 + 20 * speed + np.convolve(rng.normal(0, 1.5, len(speed)), np.ones(5) / 5, "same"), 60, 200)
    cadence = np.clip(75 + 4 * speed + rng.normal(0, 1, len(speed)), 50, 120)
    lat, lon = _track(distance)
    t0 = int((start - FIT_EPOCH).total_seconds())
    fit = FitWriter()
    fit.write("file_id", 4, 1, 3113, 3_900_000_000 + number, t0)
    fit.write("event", t0, 0, 0)
    for i in range(len(time_s)):
        fit.write(
            "record",
            t0 + i,
            round(lat[i] * SEMICIRCLES_PER_DEG),
            round(lon[i] * SEMICIRCLES_PER_DEG),
            round((521.0 + 500.0) * 5),
            round(heart[i]),
            round(cadence[i]),
            round(distance[i] * 100),
            round(speed[i] * 1000),
        )
    end = t0 + SESSION_S - 1
    fit.write("event", end, 0, 4)
    laps = [(edges[i], segments[i][2]) for i in range(len(segments)) if segments[i][3]]
    for number_in_file, ((begin, intensity), finish) in enumerate(
        zip(laps, [b for b, _ in laps[1:]] + [float(SESSION_S)], strict=True)
    ):
        first, last = int(begin), min(int(finish), SESSION_S - 1)
        elapsed = round((finish - begin) * 1000)
        lap_distance = round((distance[last] - distance[first]) * 100)
        fit.write("lap", number_in_file, t0 + last, t0 + first, elapsed, elapsed, lap_distance, 9, 1, 0, 1, intensity)
    total = SESSION_S * 1000
    fit.write("session", end, t0, total, total, round(distance[-1] * 100), 1, 0, 8, 1, 0, len(laps))
    fit.write("activity", end, total, 1, 0, 26, 1)
    return fit.finish()


def _track(distance_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions round a 400 m track (two 84.39 m straights, 36.5 m bends)."""
    straight, radius = 84.39, 36.5
    bend = math.pi * radius
    s = distance_m % (2 * straight + 2 * bend)
    x = np.where(s < straight, s, 0.0)
    y = np.zeros_like(s)
    turn = (s >= straight) & (s < straight + bend)
    x = np.where(turn, straight + radius * np.sin((s - straight) / radius), x)
    y = np.where(turn, radius * (1 - np.cos((s - straight) / radius)), y)
    back = (s >= straight + bend) & (s < 2 * straight + bend)
    x = np.where(back, straight - (s - straight - bend), x)
    y = np.where(back, 2 * radius, y)
    last = s >= 2 * straight + bend
    x = np.where(last, -radius * np.sin((s - 2 * straight - bend) / radius), x)
    y = np.where(last, radius * (1 + np.cos((s - 2 * straight - bend) / radius)), y)
    return 48.137 + y / 111_320.0, 11.575 + x / (111_320.0 * math.cos(math.radians(48.137)))


def write_season(folder: Path, sessions: int) -> list[Path]:
    """``sessions`` files, one a day from 2026-01-01, 07:00 UTC."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(sessions):
        start = dt.datetime(2026, 1, 1, 7, tzinfo=dt.timezone.utc) + dt.timedelta(days=number)
        path = folder / f"{start:%Y-%m-%d}-{number:03d}.fit"
        path.write_bytes(session_fit(number, start))
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
        f"command: `python bench/season.py --sessions {sessions} --write-docs`",
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
        f"| per file, one process: read (fitparse + normalise) | {read_s:.3f} s | |",
        f"| per file, one process: analyse (grid, segment, score) | {analyse_s:.3f} s | |",
    ]
    return "\n".join(lines)


_START = "<!-- season-bench:start -->"
_END = "<!-- season-bench:end -->"


def _write_docs(table: str) -> None:
    """Replace the measured block of the Season review section; keep every other word of the file."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    block = f"{_START}\n{table}\n{_END}"
    if _START in text and _END in text:
        head, _, rest = text.partition(_START)
        text = head + block + rest.partition(_END)[2]
    elif SECTION in text:
        head, _, rest = text.partition(SECTION)
        text = f"{head}{SECTION}\n\n{block}\n{rest}"
    else:
        text = f"{text.rstrip()}\n\n{SECTION}\n\n{block}\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
