"""A small FIT activity encoder: header, definition and data messages, CRC-16.

Written from the FIT protocol description (Garmin FIT SDK, "FIT Protocol" and ``Profile.xlsx``;
the same numbers are in python-fitparse's ``profile.py``): a 14-byte header whose last two
bytes are the CRC of the first twelve, then records, each a one-byte header followed by either a
definition (reserved byte, architecture 0 = little-endian, global message number, field count,
then number/size/base type per field) or data in the layout last defined for that local type,
then the CRC of everything before it. ``date_time`` counts seconds since 1989-12-31T00:00:00Z;
positions are semicircles (``deg * 2**31 / 180``); scaled fields store ``(value + offset) *
scale`` rounded to an integer, and the base type's "invalid" value means "no value".

The CRC is CRC-16/ARC (reflected polynomial 0xA001, initial value 0), which is what the FIT
SDK's nibble-table routine computes; here it runs from a 256-entry table built at import.

Messages, in the order a Garmin watch writes them: file_id, the timer start event, sport,
optionally workout and workout_step, then records with auto-pause timer events and laps
interleaved in time order, the timer stop event, the last lap, session and activity. Nothing
depends on the wall clock, so the same recording always gives the same bytes.
"""

from __future__ import annotations

import gzip as gzip_module
import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...models import Lap, WorkoutStep
from ..watch import Recording

__all__ = ["FIT_EPOCH", "fit_crc16", "write_fit"]

#: Origin of FIT ``date_time`` values.
FIT_EPOCH = pd.Timestamp("1989-12-31T00:00:00Z")
_PROTOCOL_VERSION = 0x20  # 2.0
_PROFILE_VERSION = 2132  # 21.32
_SEMICIRCLES_PER_DEG = 2**31 / 180.0


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def fit_crc16(data: bytes, crc: int = 0) -> int:
    """FIT's CRC-16 of ``data``, continuing from ``crc``."""
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@dataclass(frozen=True, slots=True)
class _Base:
    """A FIT base type: its id byte, struct code and "invalid" value."""

    type_id: int
    code: str
    invalid: int
    low: int
    high: int


_ENUM = _Base(0x00, "B", 0xFF, 0, 0xFE)
_UINT8 = _Base(0x02, "B", 0xFF, 0, 0xFE)
_UINT16 = _Base(0x84, "H", 0xFFFF, 0, 0xFFFE)
_SINT32 = _Base(0x85, "i", 0x7FFFFFFF, -0x7FFFFFFF, 0x7FFFFFFE)
_UINT32 = _Base(0x86, "I", 0xFFFFFFFF, 0, 0xFFFFFFFE)
_UINT32Z = _Base(0x8C, "I", 0x00000000, 1, 0xFFFFFFFF)
_STRING = _Base(0x07, "s", 0, 0, 0)


@dataclass(frozen=True, slots=True)
class _Field:
    """A field of a message: profile number, base type, scale/offset, byte size for strings."""

    number: int
    base: _Base
    scale: float = 1.0
    offset: float = 0.0
    size: int = 0

    @property
    def byte_size(self) -> int:
        return self.size if self.base is _STRING else struct.calcsize("<" + self.base.code)

    def raw(self, value: object) -> object:
        """The stored value: scaled, rounded, clipped; the base type's invalid for no value."""
        if self.base is _STRING:
            text = str(value or "").encode("utf-8")[: self.size - 1]
            return text.ljust(self.size, b"\0")
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.base.invalid
        number = round((float(value) + self.offset) * self.scale)  # type: ignore[arg-type]
        return min(max(number, self.base.low), self.base.high)


# Global message numbers and the fields written (numbers from the FIT profile).
_FILE_ID, _SPORT, _SESSION, _LAP, _RECORD, _EVENT, _WORKOUT, _WORKOUT_STEP, _ACTIVITY = (
    0, 12, 18, 19, 20, 21, 26, 27, 34,
)  # fmt: skip
_TIMESTAMP = _Field(253, _UINT32)
_MESSAGE_INDEX = _Field(254, _UINT16)

# Profile enums used here (name -> value).
_EVENTS = {"timer": 0, "session": 8, "lap": 9, "activity": 26}
_EVENT_TYPES = {"start": 0, "stop": 1, "stop_all": 4}
_TIMER_TRIGGERS = {"manual": 0, "auto": 1}
_LAP_TRIGGERS = {"manual": 0, "time": 1, "distance": 2, "session_end": 7}
_INTENSITIES = {"active": 0, "rest": 1, "warmup": 2, "cooldown": 3}
_SPORTS = {"running": 1, "cycling": 2}
_SUB_SPORTS = {"generic": 0, "treadmill": 1, "track": 4}
_SPORT_NAMES = {"generic": "Run", "treadmill": "Treadmill", "track": "Track Run"}
_DURATION_TYPES = {"time": 0, "distance": 1, "open": 5}
_TARGET_TYPES = {"speed": 0, "open": 2}
_MANUFACTURER_DEVELOPMENT = 255


class _Encoder:
    """Accumulates FIT records, emitting a definition whenever a local type changes layout."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.layouts: dict[int, tuple[int, tuple[_Field, ...]]] = {}
        self.packers: dict[int, struct.Struct] = {}

    def message(self, local: int, global_number: int, fields: Sequence[tuple[_Field, object]]) -> None:
        layout = (global_number, tuple(f for f, _ in fields))
        if self.layouts.get(local) != layout:
            self._define(local, *layout)
        values = [f.raw(v) for f, v in fields]
        self.body += bytes([local]) + self.packers[local].pack(*values)

    def _define(self, local: int, global_number: int, fields: tuple[_Field, ...]) -> None:
        self.layouts[local] = (global_number, fields)
        codes = "".join(f"{f.size}s" if f.base is _STRING else f.base.code for f in fields)
        self.packers[local] = struct.Struct("<" + codes)
        self.body += struct.pack("<BBBHB", 0x40 | local, 0, 0, global_number, len(fields))
        for f in fields:
            self.body += struct.pack("<BBB", f.number, f.byte_size, f.base.type_id)

    def file(self) -> bytes:
        header = struct.pack("<BBHI4s", 14, _PROTOCOL_VERSION, _PROFILE_VERSION, len(self.body), b".FIT")
        header += struct.pack("<H", fit_crc16(header))
        data = header + bytes(self.body)
        return data + struct.pack("<H", fit_crc16(data))


def write_fit(recording: Recording, *, gzip: bool = False) -> bytes:
    """Encode a recording as a FIT activity file.

    Parameters
    ----------
    recording
        What the watch recorded.
    gzip
        Compress the result (deterministically: no name, zero modification time).

    Returns
    -------
    bytes
        The file's bytes.
    """
    encoder = _Encoder()
    start = _fit_time(recording.start_time)
    end = _fit_time(recording.end_time)
    _file_id_and_sport(encoder, recording, start)
    if recording.workout_steps:
        _workout(encoder, recording)
    _body(encoder, recording)
    _event(encoder, end, "timer", "stop_all", "manual")
    _lap(encoder, recording, recording.laps[-1])
    _session(encoder, recording)
    encoder.message(
        6,
        _ACTIVITY,
        [
            (_TIMESTAMP, end),
            (_Field(0, _UINT32, 1000.0), _timer_s(recording)),
            (_Field(1, _UINT16), 1),
            (_Field(2, _ENUM), 0),  # manual
            (_Field(3, _ENUM), _EVENTS["activity"]),
            (_Field(4, _ENUM), _EVENT_TYPES["stop"]),
            (_Field(5, _UINT32), end + recording.utc_offset_s),
        ],
    )
    data = encoder.file()
    return gzip_module.compress(data, compresslevel=9, mtime=0) if gzip else data


def _file_id_and_sport(encoder: _Encoder, recording: Recording, start: int) -> None:
    """The file's identity, the timer's start and the sport, as a watch writes them first."""
    encoder.message(
        0,
        _FILE_ID,
        [
            (_Field(0, _ENUM), 4),  # type: activity
            (_Field(1, _UINT16), _MANUFACTURER_DEVELOPMENT),
            (_Field(3, _UINT32Z), recording.serial_number),
            (_Field(4, _UINT32), start),
            (_Field(8, _STRING, size=32), recording.product_name),
        ],
    )
    _event(encoder, start, "timer", "start", "manual")
    encoder.message(
        2,
        _SPORT,
        [
            (_Field(0, _ENUM), _SPORTS[recording.sport]),
            (_Field(1, _ENUM), _SUB_SPORTS[recording.sub_sport]),
            (_Field(3, _STRING, size=16), _SPORT_NAMES[recording.sub_sport]),
        ],
    )


def _fit_time(when: pd.Timestamp) -> int:
    """FIT ``date_time``: whole seconds since the FIT epoch (FIT cannot store fractions)."""
    return math.floor((when - FIT_EPOCH).total_seconds())


def _event(encoder: _Encoder, when: int, event: str, kind: str, trigger: str) -> None:
    encoder.message(
        1,
        _EVENT,
        [
            (_TIMESTAMP, when),
            (_Field(0, _ENUM), _EVENTS[event]),
            (_Field(1, _ENUM), _EVENT_TYPES[kind]),
            (_Field(3, _UINT32), _TIMER_TRIGGERS[trigger]),
            (_Field(4, _UINT8), 0),
        ],
    )


def _record_fields(records: pd.DataFrame) -> list[tuple[_Field, str]]:
    """Record fields for the channels the recording has, with the column each comes from."""
    present = {c for c in records.columns if bool(records[c].notna().any())}
    fields: list[tuple[_Field, str]] = []
    if {"lat_deg", "lon_deg"} <= present:
        fields += [(_Field(0, _SINT32, _SEMICIRCLES_PER_DEG), "lat_deg")]
        fields += [(_Field(1, _SINT32, _SEMICIRCLES_PER_DEG), "lon_deg")]
    fields += [
        (_Field(5, _UINT32, 100.0), "distance_m"),
        (_Field(73, _UINT32, 1000.0), "speed_mps"),
        (_Field(78, _UINT32, 5.0, 500.0), "elevation_m"),
        (_Field(6, _UINT16, 1000.0), "speed_mps"),
        (_Field(2, _UINT16, 5.0, 500.0), "elevation_m"),
    ]
    if "heart_rate_bpm" in present:
        fields.append((_Field(3, _UINT8), "heart_rate_bpm"))
    if "cadence_spm" in present:
        # FIT running cadence counts one foot: strides/min, the fraction in 1/128 steps.
        fields += [(_Field(4, _UINT8), "cadence_whole"), (_Field(53, _UINT8, 128.0), "cadence_fraction")]
    return fields


def _body(encoder: _Encoder, recording: Recording) -> None:
    """Records, auto-pause events and completed laps, in time order."""
    records = recording.records
    fields = _record_fields(records)
    columns = {name: records[name].to_numpy(dtype=np.float64) for name in records.columns}
    strides = np.round(columns["cadence_spm"] / 2.0 * 128.0) / 128.0
    columns["cadence_whole"] = np.floor(strides)
    columns["cadence_fraction"] = strides - np.floor(strides)
    columns["heart_rate_bpm"] = np.round(columns["heart_rate_bpm"])
    rows = list(zip(*(columns[name].tolist() for _, name in fields), strict=True))
    times = [_fit_time(t) for t in records.index]
    # At one timestamp: the timer restarting, then the record, then a lap ending there.
    items = [(_fit_time(p.end_time), 0, i) for i, p in enumerate(recording.pauses)]
    items += [(when, 1, i) for i, when in enumerate(times)]
    items += [(_lap_end(lap), 2, i) for i, lap in enumerate(recording.laps[:-1])]
    items += [(_fit_time(p.start_time), 3, i) for i, p in enumerate(recording.pauses)]
    record_layout = [_TIMESTAMP, *(f for f, _ in fields)]
    for when, rank, position in sorted(items):
        if rank == 1:
            encoder.message(3, _RECORD, list(zip(record_layout, (when, *rows[position]), strict=True)))
        elif rank == 2:
            _lap(encoder, recording, recording.laps[position])
        else:
            _event(encoder, when, "timer", "start" if rank == 0 else "stop_all", "auto")


def _lap_end(lap: Lap) -> int:
    return _fit_time(lap.end_time)


def _summary(recording: Recording, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, float | None]:
    """Averages and maxima of the records inside ``[start, end]``."""
    inside = recording.records.loc[(recording.records.index >= start) & (recording.records.index <= end)]

    def stat(column: str, how: str) -> float | None:
        values = inside[column].dropna() if column in inside else inside.iloc[0:0, 0]
        if values.empty:
            return None
        return float(values.max() if how == "max" else values.mean())

    cadence = stat("cadence_spm", "mean")
    return {
        "max_speed": stat("speed_mps", "max"),
        "avg_hr": stat("heart_rate_bpm", "mean"),
        "max_hr": stat("heart_rate_bpm", "max"),
        "avg_cadence": None if cadence is None else cadence / 2.0,
    }


def _lap(encoder: _Encoder, recording: Recording, lap: Lap) -> None:
    summary = _summary(recording, lap.start_time, lap.end_time)
    timer = lap.timer_time_s if lap.timer_time_s is not None else lap.elapsed_time_s
    distance = lap.distance_m or 0.0
    average = distance / timer if timer > 0 else 0.0
    sub_sport = _SUB_SPORTS[recording.sub_sport]
    encoder.message(
        4,
        _LAP,
        [
            (_MESSAGE_INDEX, lap.index),
            (_TIMESTAMP, _lap_end(lap)),
            (_Field(2, _UINT32), _fit_time(lap.start_time)),
            (_Field(7, _UINT32, 1000.0), lap.elapsed_time_s),
            (_Field(8, _UINT32, 1000.0), timer),
            (_Field(9, _UINT32, 100.0), distance),
            (_Field(110, _UINT32, 1000.0), average),
            (_Field(111, _UINT32, 1000.0), summary["max_speed"]),
            (_Field(13, _UINT16, 1000.0), average),
            (_Field(14, _UINT16, 1000.0), summary["max_speed"]),
            (_Field(15, _UINT8), summary["avg_hr"]),
            (_Field(16, _UINT8), summary["max_hr"]),
            (_Field(17, _UINT8), summary["avg_cadence"]),
            (_Field(0, _ENUM), _EVENTS["lap"]),
            (_Field(1, _ENUM), _EVENT_TYPES["stop"]),
            (_Field(23, _ENUM), _INTENSITIES[lap.intensity or "active"]),
            (_Field(24, _ENUM), _LAP_TRIGGERS[lap.trigger or "manual"]),
            (_Field(25, _ENUM), _SPORTS[recording.sport]),
            (_Field(39, _ENUM), sub_sport),
            (_Field(71, _UINT16), lap.wkt_step_index),
        ],
    )


def _timer_s(recording: Recording) -> float:
    elapsed = (recording.end_time - recording.start_time).total_seconds()
    return elapsed - sum(p.duration_s for p in recording.pauses)


def _session(encoder: _Encoder, recording: Recording) -> None:
    summary = _summary(recording, recording.start_time, recording.end_time)
    distance = float(recording.records["distance_m"].iloc[-1])
    timer = _timer_s(recording)
    encoder.message(
        5,
        _SESSION,
        [
            (_MESSAGE_INDEX, 0),
            (_TIMESTAMP, _fit_time(recording.end_time)),
            (_Field(2, _UINT32), _fit_time(recording.start_time)),
            (_Field(7, _UINT32, 1000.0), (recording.end_time - recording.start_time).total_seconds()),
            (_Field(8, _UINT32, 1000.0), timer),
            (_Field(9, _UINT32, 100.0), distance),
            (_Field(124, _UINT32, 1000.0), distance / timer if timer > 0 else 0.0),
            (_Field(125, _UINT32, 1000.0), summary["max_speed"]),
            (_Field(16, _UINT8), summary["avg_hr"]),
            (_Field(17, _UINT8), summary["max_hr"]),
            (_Field(18, _UINT8), summary["avg_cadence"]),
            (_Field(25, _UINT16), 0),
            (_Field(26, _UINT16), len(recording.laps)),
            (_Field(0, _ENUM), _EVENTS["session"]),
            (_Field(1, _ENUM), _EVENT_TYPES["stop"]),
            (_Field(5, _ENUM), _SPORTS[recording.sport]),
            (_Field(6, _ENUM), _SUB_SPORTS[recording.sub_sport]),
            (_Field(28, _ENUM), 0),  # trigger: activity_end
        ],
    )


def _workout(encoder: _Encoder, recording: Recording) -> None:
    encoder.message(
        7,
        _WORKOUT,
        [
            (_Field(8, _STRING, size=32), recording.workout_name),
            (_Field(4, _ENUM), _SPORTS[recording.sport]),
            (_Field(11, _ENUM), _SUB_SPORTS[recording.sub_sport]),
            (_Field(6, _UINT16), len(recording.workout_steps)),
        ],
    )
    for step in recording.workout_steps:
        encoder.message(8, _WORKOUT_STEP, list(_step_fields(step)))


def _step_fields(step: WorkoutStep) -> Iterable[tuple[_Field, object]]:
    duration_type = step.duration_type or "open"
    target_type = step.target_type or "open"
    # duration_value is a distance in cm or a time in ms, by duration_type (FIT subfields).
    scale = {"distance": 100.0, "time": 1000.0}.get(duration_type, 1.0)
    yield _MESSAGE_INDEX, step.index
    yield _Field(0, _STRING, size=24), step.name
    yield _Field(1, _ENUM), _DURATION_TYPES[duration_type]
    yield _Field(2, _UINT32, scale), step.duration_value
    yield _Field(3, _ENUM), _TARGET_TYPES[target_type]
    yield _Field(4, _UINT32), 0 if target_type == "speed" else None  # 0 = custom range
    yield _Field(5, _UINT32, 1000.0), step.target_low
    yield _Field(6, _UINT32, 1000.0), step.target_high
    yield _Field(7, _ENUM), _INTENSITIES[step.intensity or "active"]
