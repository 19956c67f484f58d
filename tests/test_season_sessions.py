"""Sessions built in code for the season tests (GPX and TCX, also gzipped), and their known kinds.

Until the project's simulator writes FIT sessions, these small writers give hard-kick sessions
and the other kinds a season holds (easy, long and tempo runs, a fartlek, a track session
without kicks, a ride), each with the kind the season review must give it. The helpers are
imported by the other ``test_season_*`` modules.
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from hardkick_analyze.season.records import record_from_entry
from hardkick_analyze.season.worker import AnalysisOptions, analyze_file

# A 400 m track: two 84.39 m straights joined by half circles of 36.5 m radius.
_STRAIGHT_M = 84.39
_RADIUS_M = 36.5
_LAT0_DEG, _LON0_DEG = 48.137, 11.575
_M_PER_DEG_LAT = 111_320.0

#: Rep speed for 4:55/km, the pace a 25:00 5 km goal gives [m/s].
REP_SPEED_MPS = 1000.0 / 295.0


@dataclass(frozen=True)
class Simulated:
    """One simulated activity: what it is, when, and the kind the season review must give it
    (``interval``, ``run`` or ``other``)."""

    name: str
    kind: str
    start: dt.datetime
    segments: tuple[tuple[float, float], ...]
    sport: str = "running"


def hard_kick(*, plain: int = 4, kicks: int = 2, warmup_s: float = 900.0) -> tuple:
    """Warm-up, a short stop, ``plain`` 400 m reps, ``kicks`` 400 m reps each run into a 100 m sprint, cool-down."""
    segments = [(warmup_s, 2.8), (120.0, 1.0)]
    for _ in range(plain):
        segments += [(400.0 / REP_SPEED_MPS, REP_SPEED_MPS), (90.0, 1.0)]
    for _ in range(kicks):
        segments += [(400.0 / REP_SPEED_MPS, REP_SPEED_MPS), (100.0 / 6.2, 6.2), (120.0, 1.0)]
    segments.append((600.0, 2.7))
    return tuple(segments)


def easy_run(minutes: float = 35.0, speed_mps: float = 2.75) -> tuple:
    """A steady easy run."""
    return ((minutes * 60.0, speed_mps),)


def tempo_run() -> tuple:
    """10 min easy, 20 min at threshold, 10 min easy."""
    return ((600.0, 2.8), (1200.0, 3.7), (600.0, 2.8))


def fartlek() -> tuple:
    """Surges of uneven length and speed between jogs."""
    segments = [(600.0, 2.8)]
    for surge_s, speed in ((60, 3.9), (150, 3.5), (30, 4.6), (120, 3.7), (45, 4.3)):
        segments += [(surge_s, speed), (90.0, 2.6)]
    return (*segments, (300.0, 2.8))


def track_without_kicks() -> tuple:
    """Six 400 m reps at the same pace, no sprint after any."""
    segments = [(900.0, 2.8)]
    for _ in range(6):
        segments += [(400.0 / REP_SPEED_MPS, REP_SPEED_MPS), (90.0, 1.0)]
    return (*segments, (600.0, 2.7))


def ride() -> tuple:
    """40 min on a bike."""
    return ((2400.0, 8.0),)


def samples(segments: tuple, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Times [s], speeds [m/s], latitudes and longitudes [deg] at 1 s, moving round the track."""
    edges = np.cumsum([0.0, *(s[0] for s in segments)])
    time_s = np.arange(0.0, edges[-1], 1.0)
    speed = np.array([s[1] for s in segments])[np.searchsorted(edges, time_s, side="right") - 1]
    speed = speed + np.random.default_rng(seed).normal(0.0, 0.04, len(speed))
    distance = np.concatenate([[0.0], np.cumsum((speed[1:] + speed[:-1]) / 2.0)])
    lat, lon = _on_track(distance)
    return time_s, speed, lat, lon


def gpx_bytes(activity: Simulated, seed: int = 0) -> bytes:
    """The activity as GPX 1.1 (positions and times only, as many phones write it)."""
    time_s, _, lat, lon = samples(activity.segments, seed)
    points = "".join(
        f'<trkpt lat="{a:.7f}" lon="{o:.7f}"><time>{_iso(activity.start, t)}</time></trkpt>'
        for t, a, o in zip(time_s, lat, lon, strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="season-test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{activity.name}</name><type>{activity.sport}</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def tcx_bytes(activity: Simulated, seed: int = 0) -> bytes:
    """The activity as TCX: one lap, distance and heart rate per point."""
    time_s, speed, lat, lon = samples(activity.segments, seed)
    distance = np.concatenate([[0.0], np.cumsum((speed[1:] + speed[:-1]) / 2.0)])
    heart = 120 + 50 * np.clip((speed - 2.5) / 3.5, 0, 1)
    sport = "Running" if activity.sport == "running" else "Biking"
    points = "".join(
        f"<Trackpoint><Time>{_iso(activity.start, t)}</Time><Position><LatitudeDegrees>{a:.7f}</LatitudeDegrees>"
        f"<LongitudeDegrees>{o:.7f}</LongitudeDegrees></Position><DistanceMeters>{d:.2f}</DistanceMeters>"
        f"<HeartRateBpm><Value>{h:.0f}</Value></HeartRateBpm></Trackpoint>"
        for t, a, o, d, h in zip(time_s, lat, lon, distance, heart, strict=True)
    )
    start = _iso(activity.start, 0.0)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{start}</Id><Lap StartTime="{start}">'
        f"<TotalTimeSeconds>{time_s[-1]:.0f}</TotalTimeSeconds><DistanceMeters>{distance[-1]:.1f}</DistanceMeters>"
        f"<Track>{points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


def write(activity: Simulated, folder: Path, file_name: str, seed: int = 0) -> Path:
    """Write the activity as GPX or TCX by the file name's suffix (``.gz`` compresses)."""
    lower = file_name.lower()
    data = tcx_bytes(activity, seed) if ".tcx" in lower else gpx_bytes(activity, seed)
    if lower.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    path = folder / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def day(number: int, hour: int = 7) -> dt.datetime:
    """A day of March 2026 (UTC)."""
    return dt.datetime(2026, 3, number, hour, tzinfo=dt.timezone.utc)


def _on_track(distance_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lap = 2 * _STRAIGHT_M + 2 * math.pi * _RADIUS_M
    s = distance_m % lap
    bend = math.pi * _RADIUS_M
    x = np.empty_like(s)
    y = np.empty_like(s)
    first = s < _STRAIGHT_M
    x[first], y[first] = s[first], 0.0
    turn = (s >= _STRAIGHT_M) & (s < _STRAIGHT_M + bend)
    angle = (s[turn] - _STRAIGHT_M) / _RADIUS_M
    x[turn], y[turn] = _STRAIGHT_M + _RADIUS_M * np.sin(angle), _RADIUS_M * (1 - np.cos(angle))
    back = (s >= _STRAIGHT_M + bend) & (s < 2 * _STRAIGHT_M + bend)
    x[back], y[back] = _STRAIGHT_M - (s[back] - _STRAIGHT_M - bend), 2 * _RADIUS_M
    last = s >= 2 * _STRAIGHT_M + bend
    angle = (s[last] - 2 * _STRAIGHT_M - bend) / _RADIUS_M
    x[last], y[last] = -_RADIUS_M * np.sin(angle), _RADIUS_M * (1 + np.cos(angle))
    lat = _LAT0_DEG + y / _M_PER_DEG_LAT
    lon = _LON0_DEG + x / (_M_PER_DEG_LAT * math.cos(math.radians(_LAT0_DEG)))
    return lat, lon


def _iso(start: dt.datetime, offset_s: float) -> str:
    return (start + dt.timedelta(seconds=float(offset_s))).strftime("%Y-%m-%dT%H:%M:%SZ")


KINDS = [
    Simulated("hard kick", "interval", day(2), hard_kick()),
    Simulated("hard kick, 3 plain reps", "interval", day(9), hard_kick(plain=3)),
    Simulated("easy run", "run", day(3), easy_run()),
    Simulated("long run", "run", day(7), easy_run(minutes=95.0, speed_mps=2.9)),
    Simulated("tempo run", "run", day(4), tempo_run()),
    Simulated("fartlek", "run", day(5), fartlek()),
    Simulated("track session without kicks", "interval", day(6), track_without_kicks()),
    Simulated("ride", "other", day(8), ride(), sport="cycling"),
]


@pytest.mark.parametrize("activity", KINDS, ids=lambda a: a.name)
@pytest.mark.parametrize("suffix", [".gpx", ".tcx.gz"])
def test_each_simulated_kind_is_classified(activity, suffix, tmp_path):
    path = write(activity, tmp_path, f"session{suffix}")
    entry = analyze_file(path.name, path.read_bytes(), AnalysisOptions())
    record = record_from_entry(entry, source=path.name, content_sha256=None, cached=False)
    assert record.kind == activity.kind, entry.get("report", {}).get("verdicts")


def test_a_hard_kick_session_recognises_the_preset_and_infers_the_pace(tmp_path):
    path = write(KINDS[0], tmp_path, "hk.gpx")
    report = analyze_file("hk.gpx", path.read_bytes(), AnalysisOptions())["report"]
    assert report["workout"]["spec"] == "hard-kick-500"
    assert report["workout"]["target_pace_source"] == "inferred"
    # The speed here changes in instant steps; boundaries sit where real runners' laps sit on
    # their ramps (docs/accuracy.md), a second inside a step at either end: 2 % of a 400 m rep.
    assert report["workout"]["target_pace_s_per_km"] == pytest.approx(295.0, abs=7.0)
    assert len(report["reps"]) == 6
    assert sum(r["kick"] is not None for r in report["reps"]) == 2
