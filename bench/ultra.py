"""Reading a 24 h ultra recorded every second: time and peak memory per format.

Run from the repository root::

    python -m bench.ultra            # prints the table and writes its section of docs/performance.md

Files are generated deterministically in memory (86,400 points on a slowly wandering path with
heart rate and cadence) in the three formats, and each is read with ``read_activity`` in a fresh
measurement (``tracemalloc`` peak of Python allocations, which covers numpy and pandas buffers).
"""

from __future__ import annotations

import argparse
import struct
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from bench.docs import write_section
from hardkick_analyze import read_activity
from hardkick_analyze.readers.fit_crc import crc16

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "performance.md"
SECTION = "## Reading a 24 h ultra"
POINTS = 86_400
START = pd.Timestamp("2026-05-01T00:00:00Z")
FIT_EPOCH = pd.Timestamp("1989-12-31T00:00:00Z")


def _path() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seconds = np.arange(POINTS)
    lat = 48.2 + 0.02 * np.sin(seconds / 3000.0)
    lon = 16.37 + 0.03 * np.cos(seconds / 2000.0)
    distance = np.cumsum(np.full(POINTS, 2.5))
    return lat, lon, distance


def _stamps() -> list[str]:
    return [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in pd.date_range(START, periods=POINTS, freq="s")]


def gpx_bytes() -> bytes:
    """A Strava-style GPX 1.1 file with heart rate and cadence."""
    lat, lon, _ = _path()
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><gpx creator="StravaGPX" version="1.1" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><type>running</type><trkseg>'
    )
    points = "".join(
        f'<trkpt lat="{a:.7f}" lon="{o:.7f}"><ele>200.0</ele><time>{t}</time><extensions>'
        "<gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr><gpxtpx:cad>85</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        for a, o, t in zip(lat, lon, _stamps(), strict=True)
    )
    return (head + points + "</trkseg></trk></gpx>").encode()


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
    """Read ``data`` once; (format, MB, seconds, peak MiB, rows)."""
    tracemalloc.start()
    started = time.perf_counter()
    activity = read_activity(data, name=name)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return name, len(data), elapsed, peak / 2**20, len(activity.track)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-report", action="store_true", help="print only")
    args = parser.parse_args()
    makers: dict[str, Callable[[], bytes]] = {"ultra.fit": fit_bytes, "ultra.tcx": tcx_bytes, "ultra.gpx": gpx_bytes}
    rows = [measure(name, make()) for name, make in makers.items()]
    table = "\n".join(
        ["| file | size | read time | peak memory (Python allocations) | samples |", "|---|---:|---:|---:|---:|"]
        + [f"| {n} | {b / 2**20:.1f} MiB | {s:.2f} s | {p:.0f} MiB | {r:,} |" for n, b, s, p, r in rows]
    )
    print(table)
    if not args.no_report:
        body = (
            "24 hours recorded every second (86,400 points), generated by `python -m bench.ultra` and read\n"
            "with `read_activity` (2 cores, shared machine). FIT is decoded by the columnar fast path; TCX\n"
            "is streamed element by element; GPX goes through gpxpy, which builds the whole document\n"
            "as objects, hence its larger peak.\n\n" + table
        )
        write_section(REPORT, SECTION, body, title="Performance")


if __name__ == "__main__":
    main()
