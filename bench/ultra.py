"""A 24 h ultra recorded every second: reading and analysing it, time and peak memory per format.

Run from the repository root::

    python -m bench.ultra            # prints the tables and writes its section of docs/performance.md

Files are generated deterministically (86,400 points on a slowly wandering path with heart rate
and cadence) in the three formats, and each is

- read with ``read_activity``: the time of a plain run (best of three), and the ``tracemalloc``
  peak of Python allocations (which covers numpy and pandas buffers) in a run of its own;
- analysed from the shell, ``hk-analyze FILE``: wall time with interpreter start, and the peak
  resident memory of the process (sampled every 20 ms).

A third table reads GPX files of growing length both ways, through gpxpy and streamed
(:mod:`hardkick_analyze.readers.gpx_stream`): where the streamed reader takes over.
"""

from __future__ import annotations

import argparse
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from bench.docs import write_section
from bench.season import TreeMonitor
from hardkick_analyze import read_activity
from hardkick_analyze.readers.fit_crc import crc16
from hardkick_analyze.readers.gpx import parse_gpx
from hardkick_analyze.readers.gpx_stream import STREAM_ABOVE_BYTES
from hardkick_analyze.readers.source import load_source

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "performance.md"
SECTION = "## Reading a 24 h ultra"
POINTS = 86_400
START = pd.Timestamp("2026-05-01T00:00:00Z")
FIT_EPOCH = pd.Timestamp("1989-12-31T00:00:00Z")


def _path(points: int = POINTS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seconds = np.arange(points)
    lat = 48.2 + 0.02 * np.sin(seconds / 3000.0)
    lon = 16.37 + 0.03 * np.cos(seconds / 2000.0)
    distance = np.cumsum(np.full(points, 2.5))
    return lat, lon, distance


def _stamps(points: int = POINTS) -> list[str]:
    return [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in pd.date_range(START, periods=points, freq="s")]


def gpx_bytes(points: int = POINTS) -> bytes:
    """A Strava-style GPX 1.1 file with heart rate and cadence, ``points`` seconds long."""
    lat, lon, _ = _path(points)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><gpx creator="StravaGPX" version="1.1" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><type>running</type><trkseg>'
    )
    body = "".join(
        f'<trkpt lat="{a:.7f}" lon="{o:.7f}"><ele>200.0</ele><time>{t}</time><extensions>'
        "<gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr><gpxtpx:cad>85</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        for a, o, t in zip(lat, lon, _stamps(points), strict=True)
    )
    return (head + body + "</trkseg></trk></gpx>").encode()


def tcx_bytes() -> bytes:
    """A Garmin-style TCX file with one lap, heart rate and run cadence."""
    lat, lon, distance = _path()
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f'<Id>{_stamps()[0]}</Id><Lap StartTime="{_stamps()[0]}"><TotalTimeSeconds>{POINTS}</TotalTimeSeconds>'
        f"<DistanceMeters>{distance[-1]}</DistanceMeters><Track>"
    )
    points = "".join(
        f"<Trackpoint><Time>{t}</Time><Position><LatitudeDegrees>{a:.7f}</LatitudeDegrees>"
        f"<LongitudeDegrees>{o:.7f}</LongitudeDegrees></Position><DistanceMeters>{d:.2f}</DistanceMeters>"
        "<HeartRateBpm><Value>140</Value></HeartRateBpm></Trackpoint>"
        for a, o, d, t in zip(lat, lon, distance, _stamps(), strict=True)
    )
    return (head + points + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>").encode()


def fit_bytes() -> bytes:
    """A FIT activity file: file_id and one record a second (time, position, distance, speed, HR)."""
    lat, lon, distance = _path()
    first = int((START - FIT_EPOCH).total_seconds())
    semicircles = 2**31 / 180.0
    # Definition: local 0 = file_id (type, manufacturer); local 1 = record.
    body = bytes([0x40, 0, 0]) + struct.pack("<HB", 0, 2) + bytes([0, 1, 0, 1, 2, 0x84])
    body += bytes([0]) + struct.pack("<BH", 4, 255)
    fields = [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (6, 2, 0x84), (3, 1, 0x02)]
    body += bytes([0x41, 0, 0]) + struct.pack("<HB", 20, len(fields)) + b"".join(bytes(f) for f in fields)
    rows = bytearray()
    for k in range(POINTS):
        rows += bytes([1]) + struct.pack(
            "<IiiIHB",
            first + k,
            round(lat[k] * semicircles),
            round(lon[k] * semicircles),
            round(distance[k] * 100),
            2500,
            140,
        )
    body += bytes(rows)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", crc16(header))
    data = header + body
    return data + struct.pack("<H", crc16(data))


def measure(name: str, data: bytes) -> tuple[str, int, float, float, int]:
    """Read ``data``: (name, bytes, best of three plain runs [s], tracemalloc peak [MiB], rows)."""
    best = np.inf
    for _ in range(3):
        started = time.perf_counter()
        activity = read_activity(data, name=name)
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    read_activity(data, name=name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return name, len(data), best, peak / 2**20, len(activity.track)


def analyse_from_shell(path: Path) -> tuple[float, float]:
    """``hk-analyze PATH``: wall time with interpreter start [s], peak resident memory [MiB]."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "hardkick_analyze", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    with TreeMonitor(process.pid) as monitor:
        _, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"hk-analyze {path.name} failed: {stderr.decode()[-2000:]}")
    return time.perf_counter() - started, monitor.peak_bytes / 2**20


def gpx_both_ways(points: int) -> tuple[int, float, float, float, float]:
    """A GPX file of ``points`` seconds parsed through gpxpy and streamed: (bytes, gpxpy s,
    gpxpy MiB, streamed s, streamed MiB), times the best of two, peaks by tracemalloc."""
    raw = load_source(gpx_bytes(points), name="ultra.gpx")
    figures: list[float] = [float(len(raw.data))]
    for stream in (False, True):
        best = np.inf
        for _ in range(2):
            started = time.perf_counter()
            parse_gpx(raw, stream=stream)
            best = min(best, time.perf_counter() - started)
        tracemalloc.start()
        parse_gpx(raw, stream=stream)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures += [best, peak / 2**20]
    size, gpxpy_s, gpxpy_mb, stream_s, stream_mb = figures
    return int(size), gpxpy_s, gpxpy_mb, stream_s, stream_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--no-report", action="store_true", help="print only")
    args = parser.parse_args()
    makers: dict[str, Callable[[], bytes]] = {"ultra.fit": fit_bytes, "ultra.tcx": tcx_bytes, "ultra.gpx": gpx_bytes}
    files = {name: make() for name, make in makers.items()}
    rows = [measure(name, data) for name, data in files.items()]
    with tempfile.TemporaryDirectory() as folder:
        shell = {}
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
            shell[name] = analyse_from_shell(Path(folder) / name)
    read_table = "\n".join(
        [
            "| file | size | read time | peak memory (Python allocations) | samples "
            "| `hk-analyze FILE`: wall time | peak memory (process) | goal (5 s, 300 MB) |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        + [
            f"| {n} | {b / 2**20:.1f} MiB | {s:.2f} s | {p:.0f} MiB | {r:,} | {shell[n][0]:.2f} s "
            f"| {shell[n][1]:.0f} MiB | {'met' if shell[n][0] <= 5 and shell[n][1] <= 300 else '**missed**'} |"
            for n, b, s, p, r in rows
        ]
    )
    gpx_rows = [gpx_both_ways(points) for points in (5_000, 20_000, 40_000, 86_400)]
    gpx_table = "\n".join(
        [
            "| GPX points | size | gpxpy: time | gpxpy: peak | streamed: time | streamed: peak |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        + [
            f"| {points:,} | {size / 2**20:.1f} MiB | {a:.2f} s | {b:.0f} MiB | {c:.2f} s | {d:.0f} MiB |"
            for points, (size, a, b, c, d) in zip((5_000, 20_000, 40_000, 86_400), gpx_rows, strict=True)
        ]
    )
    print(read_table, "", gpx_table, sep="\n")
    if not args.no_report:
        body = (
            "24 hours recorded every second (86,400 points), generated by `python -m bench.ultra`, read\n"
            "with `read_activity` and analysed from the shell with `hk-analyze FILE` (2 cores, shared\n"
            "machine). FIT is decoded by the columnar fast path; TCX is streamed element by element; GPX\n"
            f"larger than {STREAM_ABOVE_BYTES / 2**20:.0f} MiB is streamed with `ElementTree.iterparse` "
            "(`readers/gpx_stream.py`), smaller\nGPX goes through gpxpy.\n\n"
            + read_table
            + "\n\nGPX read both ways (the same samples, see `tests/test_gpx_stream.py`): gpxpy needs about\n"
            "eleven times the file's size and three times the time; the streamed reader takes over above\n"
            f"{STREAM_ABOVE_BYTES / 2**20:.0f} MiB, where gpxpy would pass 100 MiB.\n\n" + gpx_table
        )
        write_section(REPORT, SECTION, body, title="Performance")


if __name__ == "__main__":
    main()
