"""TCX (Training Center Database v2) as Garmin Connect exports a run.

One ``Lap`` per device lap with ``StartTime`` (whole seconds, like the FIT lap it comes from),
``TotalTimeSeconds`` (the *timer* time), ``DistanceMeters``, ``MaximumSpeed``, heart-rate
summaries, ``Intensity`` (Active/Resting) and ``TriggerMethod``; the lap's points inside
``Track`` elements, a new ``Track`` after each timer pause. A ``Trackpoint`` holds ``Time``,
``Position`` (absent indoors), ``AltitudeMeters``, ``DistanceMeters``, ``HeartRateBpm`` and the
ActivityExtension ``TPX`` with ``Speed`` and ``RunCadence`` (per foot, as FIT stores it).
"""

from __future__ import annotations

import gzip as gzip_module
import math
from xml.sax.saxutils import escape

import pandas as pd

from ...models import Lap
from ..watch import Recording

__all__ = ["write_tcx"]

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase
  xsi:schemaLocation="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 \
http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd"
  xmlns:ns5="http://www.garmin.com/xmlschemas/ActivityGoals/v1"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"
  xmlns:ns2="http://www.garmin.com/xmlschemas/UserProfile/v2"
  xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xmlns:ns4="http://www.garmin.com/xmlschemas/ProfileExtension/v1">
  <Activities>
    <Activity Sport="Running">
      <Id>{start}</Id>
"""
_TAIL = """      <Creator xsi:type="Device_t">
        <Name>{device}</Name>
        <UnitId>{serial}</UnitId>
        <ProductID>1</ProductID>
        <Version>
          <VersionMajor>1</VersionMajor>
          <VersionMinor>0</VersionMinor>
          <BuildMajor>0</BuildMajor>
          <BuildMinor>0</BuildMinor>
        </Version>
      </Creator>
    </Activity>
  </Activities>
  <Author xsi:type="Application_t">
    <Name>Connect Api</Name>
    <Build>
      <Version>
        <VersionMajor>0</VersionMajor>
        <VersionMinor>0</VersionMinor>
        <BuildMajor>0</BuildMajor>
        <BuildMinor>0</BuildMinor>
      </Version>
    </Build>
    <LangID>en</LangID>
    <PartNumber>006-D2449-00</PartNumber>
  </Author>
</TrainingCenterDatabase>
"""
_TRIGGERS = {"manual": "Manual", "distance": "Distance", "time": "Time", "session_end": "Manual"}


def write_tcx(recording: Recording, *, gzip: bool = False) -> bytes:
    """Encode a recording as a Garmin-style TCX activity.

    Parameters
    ----------
    recording
        What the watch recorded.
    gzip
        Compress the result (deterministically: no name, zero modification time).
    """
    parts = [_HEAD.format(start=_time(recording.start_time))]
    records = recording.records
    times = records.index
    pause_ends = [p.end_time for p in recording.pauses]
    for number, lap in enumerate(recording.laps):
        last = number == len(recording.laps) - 1
        inside = (times >= lap.start_time) & ((times <= lap.end_time) if last else (times < lap.end_time))
        parts.append(_lap(lap, records.loc[inside], pause_ends))
    parts.append(_TAIL.format(device=escape(recording.product_name), serial=recording.serial_number))
    data = "".join(parts).encode("utf-8")
    return gzip_module.compress(data, compresslevel=9, mtime=0) if gzip else data


def _time(when: pd.Timestamp) -> str:
    """Garmin's TCX time: UTC with milliseconds."""
    return when.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _lap(lap: Lap, records: pd.DataFrame, pause_ends: list[pd.Timestamp]) -> str:
    timer = lap.timer_time_s if lap.timer_time_s is not None else lap.elapsed_time_s
    # Garmin Connect writes the FIT lap's start_time, which has whole seconds only.
    start = lap.start_time.floor("s")
    lines = [f'      <Lap StartTime="{_time(start)}">']
    lines.append(f"        <TotalTimeSeconds>{timer:.3f}</TotalTimeSeconds>")
    lines.append(f"        <DistanceMeters>{lap.distance_m or 0.0:.2f}</DistanceMeters>")
    speed = records["speed_mps"].dropna()
    if len(speed):
        lines.append(f"        <MaximumSpeed>{speed.max():.3f}</MaximumSpeed>")
    lines.append("        <Calories>0</Calories>")
    hr = records["heart_rate_bpm"].dropna()
    if len(hr):
        lines.append(f"        <AverageHeartRateBpm>\n          <Value>{round(hr.mean())}</Value>")
        lines.append("        </AverageHeartRateBpm>")
        lines.append(f"        <MaximumHeartRateBpm>\n          <Value>{round(hr.max())}</Value>")
        lines.append("        </MaximumHeartRateBpm>")
    intensity = "Resting" if lap.intensity == "rest" else "Active"
    lines.append(f"        <Intensity>{intensity}</Intensity>")
    lines.append(f"        <TriggerMethod>{_TRIGGERS.get(lap.trigger or 'manual', 'Manual')}</TriggerMethod>")
    lines.append("        <Track>")
    columns = zip(
        records.index,
        records["lat_deg"].tolist(),
        records["lon_deg"].tolist(),
        records["elevation_m"].tolist(),
        records["distance_m"].tolist(),
        records["heart_rate_bpm"].tolist(),
        records["speed_mps"].tolist(),
        (records["cadence_spm"] / 2.0).tolist(),
        strict=True,
    )
    for when, *values in columns:
        if when in pause_ends:
            lines.append("        </Track>\n        <Track>")
        lines.append(_trackpoint(when, *values))
    lines.append("        </Track>")
    if len(speed):
        lines.append("        <Extensions>\n          <ns3:LX>")
        lines.append(f"            <ns3:AvgSpeed>{(lap.distance_m or 0.0) / max(timer, 1e-9):.3f}</ns3:AvgSpeed>")
        lines.append("          </ns3:LX>\n        </Extensions>")
    lines.append("      </Lap>")
    return "\n".join(lines) + "\n"


def _trackpoint(
    when: pd.Timestamp,
    lat: float,
    lon: float,
    elevation: float,
    distance: float,
    heart_rate: float,
    speed: float,
    cadence: float,
) -> str:
    """One ``<Trackpoint>`` as Garmin Connect writes it; unknown values are left out."""
    point = ["          <Trackpoint>", f"            <Time>{_time(when)}</Time>"]
    if math.isfinite(lat):
        point.append(
            f"            <Position>\n              <LatitudeDegrees>{lat:.8f}</LatitudeDegrees>\n"
            f"              <LongitudeDegrees>{lon:.8f}</LongitudeDegrees>\n            </Position>"
        )
    point.append(f"            <AltitudeMeters>{elevation:.1f}</AltitudeMeters>")
    point.append(f"            <DistanceMeters>{distance:.2f}</DistanceMeters>")
    if math.isfinite(heart_rate):
        point.append(f"            <HeartRateBpm>\n              <Value>{round(heart_rate)}</Value>")
        point.append("            </HeartRateBpm>")
    extension = []
    if math.isfinite(speed):
        extension.append(f"                <ns3:Speed>{speed:.3f}</ns3:Speed>")
    if math.isfinite(cadence):
        extension.append(f"                <ns3:RunCadence>{round(cadence)}</ns3:RunCadence>")
    if extension:
        point += ["            <Extensions>", "              <ns3:TPX>", *extension]
        point += ["              </ns3:TPX>", "            </Extensions>"]
    point.append("          </Trackpoint>")
    return "\n".join(point)
