"""GPX 1.1 as Strava and Garmin Connect export a run: track points with elevation, time, and the
Garmin TrackPointExtension carrying heart rate and cadence.

Both exports drop what GPX has no place for: laps, the device's distance and speed channels, and
timer events (a pause is a gap in time between two points). Cadence is FIT's per-foot value
(strides/min), as both exports write it. Strava (creator ``StravaGPX``) writes whole-second
times and positions to 7 decimals; Garmin Connect (creator ``Garmin Connect``, prefix ``ns3``)
writes milliseconds and full-precision coordinates.
"""

from __future__ import annotations

import gzip as gzip_module
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from ..watch import Recording

__all__ = ["GpxFlavor", "write_gpx"]

GpxFlavor = Literal["strava", "garmin"]

_STRAVA_SCHEMAS = " ".join(
    [
        "http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd",
        "http://www.garmin.com/xmlschemas/GpxExtensions/v3 http://www.garmin.com/xmlschemas/GpxExtensionsv3.xsd",
        "http://www.garmin.com/xmlschemas/TrackPointExtension/v1",
        "http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd",
    ]
)
_STRAVA_HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{_STRAVA_SCHEMAS}" \
xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" \
xmlns:gpxx="http://www.garmin.com/xmlschemas/GpxExtensions/v3">
 <metadata>
  <time>{{time}}</time>
 </metadata>
 <trk>
  <name>{{name}}</name>
  <type>running</type>
  <trkseg>
"""
_GARMIN_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="Garmin Connect" version="1.1"
  xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/11.xsd"
  xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
  xmlns="http://www.topografix.com/GPX/1/1"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xmlns:ns2="http://www.garmin.com/xmlschemas/GpxExtensions/v3">
  <metadata>
    <link href="connect.garmin.com">
      <text>Garmin Connect</text>
    </link>
    <time>{time}</time>
  </metadata>
  <trk>
    <name>{name}</name>
    <type>running</type>
    <trkseg>
"""


def write_gpx(recording: Recording, *, flavor: GpxFlavor = "strava", gzip: bool = False) -> bytes:
    """Encode a recording as a GPX 1.1 track, the way Strava or Garmin Connect exports it.

    Parameters
    ----------
    recording
        What the watch recorded; it must have positions.
    flavor
        ``'strava'`` or ``'garmin'`` (Garmin Connect).
    gzip
        Compress the result (deterministically: no name, zero modification time).

    Raises
    ------
    ValueError
        The recording has no positions (a treadmill run): GPX cannot hold it.
    """
    records = recording.records
    lat = records["lat_deg"].to_numpy()
    if not np.isfinite(lat).any():
        raise ValueError("GPX needs positions; this recording has none (use FIT or TCX)")
    strava = flavor == "strava"
    head = _STRAVA_HEAD if strava else _GARMIN_HEAD
    parts = [head.format(time=_times([recording.start_time], strava)[0], name=escape(recording.activity_name))]
    indent = "   " if strava else "      "
    prefix = "gpxtpx" if strava else "ns3"
    coordinate = "{:.7f}" if strava else "{!r}"
    columns = zip(
        _times(records.index, strava),
        lat.tolist(),
        records["lon_deg"].tolist(),
        records["elevation_m"].tolist(),
        records["heart_rate_bpm"].tolist(),
        (records["cadence_spm"] / 2.0).tolist(),
        strict=True,
    )
    for when, latitude, longitude, elevation, hr, cadence in columns:
        if math.isfinite(latitude):
            point = _TrackPoint(coordinate.format(latitude), coordinate.format(longitude), elevation, when, hr, cadence)
            parts.append(point.xml(indent, prefix))
    closing = "  </trkseg>\n </trk>\n</gpx>\n" if strava else "    </trkseg>\n  </trk>\n</gpx>\n"
    parts.append(closing)
    data = "".join(parts).encode("utf-8")
    return gzip_module.compress(data, compresslevel=9, mtime=0) if gzip else data


@dataclass(frozen=True, slots=True)
class _TrackPoint:
    """One ``<trkpt>`` as an exporter writes it: coordinates already formatted, HR and cadence if known."""

    lat: str
    lon: str
    elevation_m: float
    when: str
    heart_rate_bpm: float
    cadence_rpm: float

    def xml(self, indent: str, prefix: str) -> str:
        lines = [
            f'{indent}<trkpt lat="{self.lat}" lon="{self.lon}">',
            f"{indent} <ele>{self.elevation_m:.1f}</ele>",
            f"{indent} <time>{self.when}</time>",
        ]
        extension = []
        if math.isfinite(self.heart_rate_bpm):
            extension.append(f"{indent}   <{prefix}:hr>{round(self.heart_rate_bpm)}</{prefix}:hr>")
        if math.isfinite(self.cadence_rpm):
            extension.append(f"{indent}   <{prefix}:cad>{round(self.cadence_rpm)}</{prefix}:cad>")
        if extension:
            lines += [
                f"{indent} <extensions>",
                f"{indent}  <{prefix}:TrackPointExtension>",
                *extension,
                f"{indent}  </{prefix}:TrackPointExtension>",
                f"{indent} </extensions>",
            ]
        lines.append(f"{indent}</trkpt>")
        return "\n".join(lines) + "\n"


def _times(times: Sequence[pd.Timestamp] | pd.DatetimeIndex, strava: bool) -> list[str]:
    """ISO 8601 UTC: whole seconds for Strava, milliseconds for Garmin Connect."""
    values = pd.DatetimeIndex(times).tz_convert("UTC").tz_localize(None).to_numpy()
    return [f"{text}Z" for text in np.datetime_as_string(values, unit="s" if strava else "ms")]
