"""GPX 1.0/1.1 through gpxpy, with heart rate, cadence and power from the common extensions.

Files larger than :data:`.gpx_stream.STREAM_ABOVE_BYTES` are streamed instead
(:mod:`.gpx_stream`): gpxpy's object model needs about eleven times the file's size in memory.
Both give the same samples.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import CorruptFileError, NoUsableDataError
from .gpx_stream import STREAM_ABOVE_BYTES, StreamedGPX, stream_gpx
from .parsed import ParsedActivity
from .source import RawSource
from .xml_safety import checked_xml

if TYPE_CHECKING:
    import gpxpy.gpx

__all__ = ["parse_gpx"]

# Extension element local names (Garmin TrackPointExtension v1/v2, Cluetrust gpxdata, Suunto,
# Strava's bare <power>) -> glossary column.
_EXTENSION_CHANNELS = {
    "hr": "heart_rate_bpm",
    "heartrate": "heart_rate_bpm",
    "cad": "cadence_raw",
    "cadence": "cadence_raw",
    "runcadence": "cadence_raw",
    "power": "power_w",
    "watts": "power_w",
    "atemp": "temperature_c",
    "temp": "temperature_c",
    "speed": "speed_mps",
}
_SPORTS = {
    "running": "running",
    "run": "running",
    "9": "running",
    "cycling": "cycling",
    "biking": "cycling",
    "ride": "cycling",
    "1": "cycling",
}
# Running cadence in GPX exports (Garmin, Strava) is the FIT per-foot value; a median
# below this [1/min] during movement means per-foot and is doubled to steps/min.
_PER_FOOT_CADENCE_MAX = 120.0
_ENCODING = re.compile(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")


def parse_gpx(raw: RawSource, *, stream: bool | None = None) -> ParsedActivity:
    """Parse GPX bytes: all track segments, in order; routes and waypoints are ignored.

    ``stream`` forces (True) or forbids (False) streaming; by default files larger than
    :data:`.gpx_stream.STREAM_ABOVE_BYTES` are streamed.
    """
    warnings: list[str] = []
    body = checked_xml(raw.data, raw.name, warnings)
    if stream if stream is not None else len(body) > STREAM_ABOVE_BYTES:
        streamed = _streamed(body, raw.name)
        if streamed.dropped_points:
            warnings.append(f"{streamed.dropped_points} track points without coordinates dropped")
        samples, creator = streamed.samples, streamed.creator
        names, types = streamed.track_names, streamed.track_types
    else:
        gpx = _parse(body, raw.name, warnings)
        points = [point for track in gpx.tracks for segment in track.segments for point in segment.points]
        samples, creator = pd.DataFrame([_point_row(point) for point in points]), gpx.creator
        names, types = tuple(t.name for t in gpx.tracks), tuple(t.type for t in gpx.tracks)
    if not len(samples):
        raise NoUsableDataError(raw.name, "the GPX file has no track points")
    track_type = next((t for t in types if t), None)
    sport = _SPORTS.get(track_type.strip().lower(), track_type.strip().lower()) if track_type else None
    samples = _cadence(samples, sport)
    return ParsedActivity(
        samples=samples,
        metadata={
            "sport": sport,
            "device_name": (creator or "").strip() or None,
            # Garmin Connect names the track after the workout ("W03 - Reps 6x600m @4.15").
            "workout_name": next((n.strip() for n in names if n and n.strip()), None),
        },
        warnings=warnings,
    )


def _parse(body: bytes, name: str, warnings: list[str]) -> gpxpy.gpx.GPX:
    # Imported here: gpxpy (with the XML and HTTP modules it pulls in) costs a FIT file's
    # analysis 20 ms of start-up for nothing.
    import gpxpy
    import gpxpy.gpx

    text = _decode(body)
    try:
        return gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        raise CorruptFileError(name, f"broken XML ({_first_line(exc)})") from exc
    except gpxpy.gpx.GPXException as exc:
        repaired, dropped = _without_unpositioned_points(body, name)
        if not dropped:
            raise CorruptFileError(name, f"invalid GPX ({_first_line(exc)})") from exc
        warnings.append(f"{dropped} track points without coordinates dropped")
        try:
            return gpxpy.parse(repaired)
        except gpxpy.gpx.GPXException as again:
            raise CorruptFileError(name, f"invalid GPX ({_first_line(again)})") from again


def _decode(body: bytes) -> str:
    """Text of the document in its declared encoding (gpxpy wants ``str``)."""
    declared = _ENCODING.match(body)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _streamed(body: bytes, name: str) -> StreamedGPX:
    """The document streamed (:func:`.gpx_stream.stream_gpx`) as gpxpy reads its text: in its
    declared encoding, with bytes that do not decode replaced (see :func:`_decode`).

    A UTF-8 document is streamed from its bytes as they are, with no copy; only when that
    fails is it decoded as gpxpy would and streamed again, so a broken byte costs a second pass
    and a valid file nothing.
    """
    declared = _ENCODING.match(body)
    if declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        text = _decode(body).replace(declared.group(1).decode("ascii"), "UTF-8", 1)
        return stream_gpx(text.encode("utf-8"), name, _EXTENSION_CHANNELS)
    try:
        return stream_gpx(body, name, _EXTENSION_CHANNELS)
    except CorruptFileError:
        repaired = body.decode("utf-8", errors="replace").encode("utf-8")
        if repaired == body:
            raise
        return stream_gpx(repaired, name, _EXTENSION_CHANNELS)


def _without_unpositioned_points(body: bytes, name: str) -> tuple[str, int]:
    """The document with every ``trkpt`` lacking ``lat``/``lon`` removed (gpxpy rejects them)."""
    try:
        root = ET.parse(io.BytesIO(body)).getroot()
    except ET.ParseError as exc:
        raise CorruptFileError(name, f"broken XML ({exc})") from exc
    dropped = 0
    for segment in root.iter():
        if segment.tag.rsplit("}", 1)[-1] != "trkseg":
            continue
        for point in list(segment):
            if point.tag.rsplit("}", 1)[-1] == "trkpt" and (point.get("lat") is None or point.get("lon") is None):
                segment.remove(point)
                dropped += 1
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace:
        ET.register_namespace("", namespace)
    return ET.tostring(root, encoding="unicode"), dropped


def _point_row(point: gpxpy.gpx.GPXTrackPoint) -> dict[str, Any]:
    row: dict[str, Any] = {
        "time": point.time,
        "lat_deg": point.latitude,
        "lon_deg": point.longitude,
        "elevation_m": point.elevation,
    }
    if point.speed is not None:
        row["speed_mps"] = point.speed
    for extension in point.extensions:
        for element in extension.iter():
            column = _EXTENSION_CHANNELS.get(element.tag.rsplit("}", 1)[-1].lower())
            if column and column not in row and element.text and element.text.strip():
                try:
                    row[column] = float(element.text)
                except ValueError:
                    continue
    return row


def _cadence(samples: pd.DataFrame, sport: str | None) -> pd.DataFrame:
    out = samples.copy()
    out["time"] = pd.to_datetime(out["time"], utc=True, errors="coerce")
    if "cadence_raw" not in out:
        return out
    cadence = out.pop("cadence_raw").astype(np.float64)
    if sport not in (None, "running", "walking", "hiking"):
        out["cadence_rpm"] = cadence
        return out
    moving = cadence[cadence > 0]
    per_foot = bool(len(moving)) and float(moving.median()) < _PER_FOOT_CADENCE_MAX
    out["cadence_spm"] = 2.0 * cadence if per_foot else cadence
    return out


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
