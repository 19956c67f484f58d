"""TCX (Garmin Training Center XML): Trackpoints, laps and sport, streamed in bounded memory."""

from __future__ import annotations

import dataclasses
import io
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pandas as pd

from ..errors import CorruptFileError, NoUsableDataError
from ..models import Lap, SessionInfo
from .parsed import ParsedActivity, seconds
from .source import RawSource
from .xml_safety import checked_xml

__all__ = ["parse_tcx"]

# TCX Trackpoint element (local name) -> glossary column.
_TRACKPOINT_VALUES = {
    "AltitudeMeters": "elevation_m",
    "DistanceMeters": "distance_m",
    "Cadence": "cadence_raw",
    "RunCadence": "run_cadence",
    "Speed": "speed_mps",
    "Watts": "power_w",
}
#: A lap longer than this is a broken number, not a lap (``TotalTimeSeconds`` of 1e308) [s].
MAX_LAP_S = 7 * 86400.0
#: A lap whose last trackpoint comes this much after start + timer time held a pause [s]
#: (trackpoints are whole seconds, so up to a second of difference is just rounding).
PAUSED_LAP_SLACK_S = 1.5
_SPORTS = {"running": "running", "biking": "cycling", "other": None}
_TRIGGERS = {
    "manual": "manual",
    "distance": "distance",
    "location": "position_marked",
    "time": "time",
    "heartrate": "heart_rate",
}
_INTENSITIES = {"active": "active", "resting": "rest"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_tcx(raw: RawSource) -> ParsedActivity:
    """Parse TCX bytes; every ``Activity`` becomes a session and the running ones are kept."""
    warnings: list[str] = []
    body = checked_xml(raw.data, raw.name, warnings)
    parse = _Parse()
    try:
        for event, element in ET.iterparse(io.BytesIO(body), events=("start", "end")):
            if event == "start":
                parse.start(element)
            else:
                parse.end(element)
    except LookupError as exc:  # an encoding the XML declaration names and Python does not know
        raise CorruptFileError(raw.name, f"the XML declares an unknown encoding ({exc})") from exc
    except ET.ParseError as exc:
        if not parse.rows:
            raise CorruptFileError(raw.name, f"broken XML ({exc})") from exc
        warnings.append(f"the XML breaks off ({exc}); kept the {len(parse.rows)} points before the break")
        parse.sessions.append(_session(parse.sport, parse.rows[parse.activity_rows :]))
    if not parse.rows:
        raise NoUsableDataError(raw.name, "the TCX file has no track points")
    samples, laps = pd.DataFrame(parse.rows), parse.laps
    sessions = parse.sessions
    running = [i for i, s in enumerate(sessions) if s.sport == "running"]
    if running and len(running) < len(sessions):
        samples = samples[samples["activity"].isin(running)]
        laps = [lap for lap, owner in zip(laps, parse.lap_activity, strict=True) if owner in running]
        laps = [dataclasses.replace(lap, index=i) for i, lap in enumerate(laps)]
        warnings.append("multi-sport file: kept the running activities")
    chosen = sessions[running[0]] if running else sessions[0]
    return ParsedActivity(
        samples=_columns(samples.drop(columns="activity"), chosen.sport),
        metadata={"sport": chosen.sport, "device_name": parse.device_name},
        laps=laps,
        sessions=sessions,
        warnings=warnings,
    )


class _Parse:
    """The streaming parse so far: rows, laps and sessions, and where the current activity and lap began."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.laps: list[Lap] = []
        self.lap_activity: list[int] = []
        self.sessions: list[SessionInfo] = []
        self.device_name: str | None = None
        self.sport: str | None = None
        self.activity_rows = 0
        self.lap_start: str | None = None
        self.lap_rows = 0

    def start(self, element: ET.Element) -> None:
        name = _local(element.tag)
        if name == "Activity":
            self.sport = _SPORTS.get(element.get("Sport", "").strip().lower(), element.get("Sport"))
            self.activity_rows = len(self.rows)
        elif name == "Lap":
            self.lap_start = element.get("StartTime")
            self.lap_rows = len(self.rows)

    def end(self, element: ET.Element) -> None:
        name = _local(element.tag)
        if name == "Trackpoint":
            row = _trackpoint(element)
            row["activity"] = len(self.sessions)
            self.rows.append(row)
            element.clear()
        elif name == "Lap":
            last_point = next((r["time"] for r in reversed(self.rows[self.lap_rows :]) if "time" in r), None)
            lap = _lap(element, self.lap_start, last_point, len(self.laps))
            if lap is not None:
                self.laps.append(lap)
                self.lap_activity.append(len(self.sessions))
            element.clear()
        elif name == "Activity":
            self.sessions.append(_session(self.sport, self.rows[self.activity_rows :]))
            element.clear()
        elif name == "Creator":
            name_element = next((c for c in element if _local(c.tag) == "Name"), None)
            if name_element is not None and name_element.text and self.device_name is None:
                self.device_name = name_element.text.strip()


def _trackpoint(element: ET.Element) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for child in element.iter():
        name = _local(child.tag)
        text = (child.text or "").strip()
        if not text:
            continue
        if name == "Time":
            row["time"] = text
        elif name == "LatitudeDegrees":
            row["lat_deg"] = _float(text)
        elif name == "LongitudeDegrees":
            row["lon_deg"] = _float(text)
        elif name == "Value" and "heart_rate_bpm" not in row:
            row["heart_rate_bpm"] = _float(text)
        elif name in _TRACKPOINT_VALUES:
            row.setdefault(_TRACKPOINT_VALUES[name], _float(text))
    return row


def _lap(element: ET.Element, start_text: str | None, last_point: str | None, index: int) -> Lap | None:
    """A lap; it ends at its last trackpoint when that is well after start + TotalTimeSeconds.

    Garmin writes the *timer* time as TotalTimeSeconds, so a lap holding a pause would
    otherwise end before its own last point.
    """
    values = {_local(c.tag): (c.text or "").strip() for c in element}
    start = _time(start_text)
    timer = _float(values.get("TotalTimeSeconds", ""))
    if start is None or not np.isfinite(timer) or not 0.0 <= timer <= MAX_LAP_S:
        return None
    end = start + seconds(timer)
    last = _time(last_point)
    if last is not None and (last - end).total_seconds() > PAUSED_LAP_SLACK_S:
        end = last
    return Lap(
        index=index,
        start_time=start,
        end_time=end,
        elapsed_time_s=(end - start).total_seconds(),
        timer_time_s=timer,
        distance_m=_finite_or_none(_float(values.get("DistanceMeters", ""))),
        trigger=_TRIGGERS.get(values.get("TriggerMethod", "").lower(), values.get("TriggerMethod") or None),
        intensity=_INTENSITIES.get(values.get("Intensity", "").lower(), values.get("Intensity") or None),
    )


def _session(sport: str | None, rows: list[dict[str, Any]]) -> SessionInfo:
    times = [r["time"] for r in rows if "time" in r]
    return SessionInfo(
        sport=sport,
        sub_sport=None,
        start_time=_time(times[0]) if times else None,
        end_time=_time(times[-1]) if times else None,
    )


def _columns(samples: pd.DataFrame, sport: str | None) -> pd.DataFrame:
    out = samples.copy()
    out["time"] = pd.to_datetime(out["time"], utc=True, errors="coerce", format="ISO8601") if "time" in out else pd.NaT
    # RunCadence (Garmin's TPX extension) counts one foot; <Cadence> is a bike's rpm, but
    # running watches without the extension write strides/min there too.
    run = out.pop("run_cadence") if "run_cadence" in out else None
    cadence = out.pop("cadence_raw") if "cadence_raw" in out else None
    per_foot = run if run is not None else (cadence if sport in (None, "running") else None)
    if per_foot is not None:
        out["cadence_spm"] = 2.0 * per_foot
    elif cadence is not None:
        out["cadence_rpm"] = cadence
    return out


def _time(text: str | None) -> pd.Timestamp | None:
    if not text:
        return None
    try:
        stamp = pd.Timestamp(text)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return stamp.as_unit("ns")  # out of the nanosecond range (year 9999) raises here
    except (ValueError, OverflowError):
        return None


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return np.nan


def _finite_or_none(value: float) -> float | None:
    return value if np.isfinite(value) else None
