"""FIT: decoded messages -> samples, laps, pauses and workout steps in the glossary's units."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import NoUsableDataError, UnsupportedFormatError
from ..models import Lap, Pause, SessionInfo, WorkoutStep
from .fit_fast import decode_fast
from .fit_messages import FIT_EPOCH_UNIX_S, FitMessages
from .parsed import ParsedActivity, seconds
from .source import RawSource

__all__ = ["parse_fit", "parsed_from_fit_messages"]

_SEMICIRCLE_DEG = 180.0 / 2**31
# FIT date_time values below this are seconds since the device powered on, not since 1989.
_MIN_ABSOLUTE_FIT_S = 0x10000000
_MAX_FIT_S = 2**32
# Sports whose FIT cadence counts one foot (strides/min): steps/min is twice that.
_FOOT_SPORTS = frozenset({"running", "walking", "hiking", "training", "generic", "transition"})
# Intensity values newer than fitparse's profile (FIT SDK 21.x) arrive as integers.
_INTENSITY_NAMES = {
    0: "active",
    1: "rest",
    2: "warmup",
    3: "cooldown",
    4: "recovery",
    5: "interval",
    6: "other",
}
_TIMER_STOPS = frozenset({"stop", "stop_all", "stop_disable", "stop_disable_all"})
# Record field -> (glossary column, factor) for the channels copied as they are.
_DIRECT_CHANNELS = {
    "heart_rate": ("heart_rate_bpm", 1.0),
    "power": ("power_w", 1.0),
    "distance": ("distance_m", 1.0),
    "stance_time": ("ground_contact_time_ms", 1.0),
    "stance_time_balance": ("ground_contact_balance_pct", 1.0),
    "vertical_oscillation": ("vertical_oscillation_mm", 1.0),
    "vertical_ratio": ("vertical_ratio_pct", 1.0),
    "step_length": ("step_length_m", 1e-3),
    "temperature": ("temperature_c", 1.0),
}


def parse_fit(raw: RawSource) -> ParsedActivity:
    """Decode and normalize a FIT file's bytes (the fast path; fitparse where it must)."""
    return parsed_from_fit_messages(decode_fast(raw.data, raw.name), raw.name)


def parsed_from_fit_messages(messages: FitMessages, name: str) -> ParsedActivity:
    """Turn decoded FIT messages into a :class:`ParsedActivity` (units converted once, here)."""
    file_ids = messages.messages.get("file_id", [])
    file_type = file_ids[0].get("type") if file_ids else None
    if messages.record_count == 0:
        if file_type not in (None, "activity"):
            raise UnsupportedFormatError(name, f"FIT file of type '{file_type}', not an activity")
        raise NoUsableDataError(name, "the FIT file has no records")
    warnings = list(messages.warnings)
    clock = _FitClock.for_records(messages.records["timestamp"])
    if clock.relative:
        warnings.append("timestamps count from the device's power-on, not real dates: the date is unknown")
    sessions = [_session_info(s, clock) for s in messages.messages.get("session", [])]
    chosen = _choose_sessions(sessions)
    sport, sub_sport = _sport(messages, chosen)
    samples = _samples(messages.records, sport, clock)
    if chosen and len(chosen) < len(sessions):
        keep = np.zeros(len(samples), dtype=bool)
        for session in chosen:
            if session.start_time is not None and session.end_time is not None:
                keep |= (samples["time"] >= session.start_time).to_numpy() & (
                    samples["time"] <= session.end_time
                ).to_numpy()
        warnings.append(
            f"multi-sport file: kept the {sport} session(s), {int((~keep).sum())} records of other sessions left out"
        )
        samples = samples.loc[keep].reset_index(drop=True)
        # The device's distance runs on across the legs; the run starts at its own zero.
        samples["distance_m"] = samples["distance_m"] - samples["distance_m"].min()
    file_id = file_ids[0] if file_ids else {}
    workouts = messages.messages.get("workout", [])
    metadata: dict[str, Any] = {
        "manufacturer": _text(file_id.get("manufacturer")),
        "product": _text(file_id.get("garmin_product", file_id.get("product"))),
        "device_name": _text(file_id.get("product_name")),
        "serial_number": _text(file_id.get("serial_number")),
        "sport": sport,
        "sub_sport": sub_sport,
        "workout_name": _text(workouts[0].get("wkt_name")) if workouts else None,
        "decoder": messages.decoder,
    }
    return ParsedActivity(
        samples=samples,
        metadata=metadata,
        laps=_laps(messages.messages.get("lap", []), clock),
        pauses=_pauses(messages.messages.get("event", []), clock),
        workout_steps=_workout_steps(messages.messages.get("workout_step", [])),
        sessions=sessions,
        warnings=warnings,
    )


@dataclass(frozen=True, slots=True)
class _FitClock:
    """FIT ``date_time`` -> UTC. Values below 0x10000000 count from the device's power-on; a
    file holding only such values is read on that relative clock (anchored at the FIT epoch)."""

    relative: bool

    @classmethod
    def for_records(cls, fit_seconds: np.ndarray) -> _FitClock:
        finite = fit_seconds[np.isfinite(fit_seconds)]
        return cls(relative=bool(len(finite)) and not bool((finite >= _MIN_ABSOLUTE_FIT_S).any()))

    def valid(self, fit_seconds: np.ndarray) -> np.ndarray:
        # date_time is a uint32: a larger value (a float64 timestamp field in a damaged file) is
        # not a time, and would overflow pandas' nanosecond range past the year 2262.
        with np.errstate(invalid="ignore"):
            finite = np.isfinite(fit_seconds) & (fit_seconds < _MAX_FIT_S)
            return finite if self.relative else finite & (fit_seconds >= _MIN_ABSOLUTE_FIT_S)

    def time(self, seconds: Any) -> pd.Timestamp | None:
        # One value at a time (laps, events, sessions): the checks of valid(), without numpy.
        number = _number(seconds)
        if number is None or number >= _MAX_FIT_S or (not self.relative and number < _MIN_ABSOLUTE_FIT_S):
            return None
        return pd.Timestamp(round(number * 1000) + FIT_EPOCH_UNIX_S * 1000, unit="ms", tz="UTC")


def _samples(records: dict[str, np.ndarray], sport: str | None, clock: _FitClock) -> pd.DataFrame:
    columns: dict[str, Any] = {"time": _record_times(records["timestamp"], clock)}
    columns["lat_deg"] = records["position_lat"] * _SEMICIRCLE_DEG
    columns["lon_deg"] = records["position_long"] * _SEMICIRCLE_DEG
    columns["speed_mps"] = _prefer(records["enhanced_speed"], records["speed"])
    columns["elevation_m"] = _prefer(records["enhanced_altitude"], records["altitude"])
    cadence = records["cadence"] + np.nan_to_num(records["fractional_cadence"])
    if sport is None or sport in _FOOT_SPORTS:
        columns["cadence_spm"] = 2.0 * cadence
    elif np.isfinite(cadence).any():
        columns["cadence_rpm"] = cadence
    for field_name, (column, factor) in _DIRECT_CHANNELS.items():
        values = records[field_name]
        if column in ("distance_m", "heart_rate_bpm", "power_w") or np.isfinite(values).any():
            columns[column] = values * factor
    return pd.DataFrame(columns, copy=False)  # every column is a new array


def _record_times(fit_seconds: np.ndarray, clock: _FitClock) -> pd.DatetimeIndex:
    """The records' times in UTC (NaT where invalid)."""
    valid = clock.valid(fit_seconds)
    unix_s = np.where(valid, fit_seconds + FIT_EPOCH_UNIX_S, 0.0)
    if (unix_s == np.floor(unix_s)).all():
        # Whole seconds (every file but a damaged one): exact in integer nanoseconds.
        nanoseconds = np.where(valid, unix_s.astype(np.int64) * 10**9, np.iinfo(np.int64).min)
        return pd.DatetimeIndex(nanoseconds.view("M8[ns]")).tz_localize("UTC")
    return pd.to_datetime(np.where(valid, unix_s * 1000.0, np.nan), unit="ms", utc=True)


def _prefer(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(first), first, second)


def _session_info(session: dict[str, Any], clock: _FitClock) -> SessionInfo:
    start = clock.time(session.get("start_time"))
    elapsed = session.get("total_elapsed_time")
    end = start + seconds(elapsed) if start is not None and elapsed is not None else None
    return SessionInfo(
        sport=_text(session.get("sport")),
        sub_sport=_text(session.get("sub_sport")),
        start_time=start,
        end_time=end if end is not None else clock.time(session.get("timestamp")),
        distance_m=_number(session.get("total_distance")),
    )


def _choose_sessions(sessions: list[SessionInfo]) -> list[SessionInfo]:
    """The running sessions of a multi-sport file (all sessions when none is a run)."""
    running = [s for s in sessions if s.sport == "running"]
    return running or sessions


def _sport(messages: FitMessages, chosen: list[SessionInfo]) -> tuple[str | None, str | None]:
    if chosen:
        return chosen[0].sport, chosen[0].sub_sport
    for kind in ("sport", "lap"):
        for message in messages.messages.get(kind, []):
            if message.get("sport") is not None:
                return _text(message.get("sport")), _text(message.get("sub_sport"))
    return None, None


def _laps(laps: list[dict[str, Any]], clock: _FitClock) -> list[Lap]:
    """Laps with sub-second bounds: a lap that starts where the previous ended inherits its end."""
    result: list[Lap] = []
    previous_end: pd.Timestamp | None = None
    for lap in laps:
        start = clock.time(lap.get("start_time"))
        elapsed = _number(lap.get("total_elapsed_time"))
        stamp = clock.time(lap.get("timestamp"))
        if start is None or elapsed is None:
            if stamp is None or elapsed is None:
                continue
            start = stamp - seconds(elapsed)
        if previous_end is not None and abs((start - previous_end).total_seconds()) < 1.0:
            start = previous_end
        end = start + seconds(elapsed)
        intensity = lap.get("intensity")
        result.append(
            Lap(
                index=len(result),
                start_time=start,
                end_time=end,
                elapsed_time_s=elapsed,
                timer_time_s=_number(lap.get("total_timer_time")),
                distance_m=_number(lap.get("total_distance")),
                trigger=_text(lap.get("lap_trigger")),
                intensity=_INTENSITY_NAMES.get(intensity, _text(intensity))
                if isinstance(intensity, int)
                else _text(intensity),
                wkt_step_index=_integer(lap.get("wkt_step_index")),
            )
        )
        previous_end = end
    return result


def _pauses(events: list[dict[str, Any]], clock: _FitClock) -> list[Pause]:
    """Timer stop -> next timer start, from the FIT event messages."""
    pauses: list[Pause] = []
    stopped_at: pd.Timestamp | None = None
    for event in events:
        if event.get("event") != "timer":
            continue
        when = clock.time(event.get("timestamp"))
        if when is None:
            continue
        kind = event.get("event_type")
        if kind in _TIMER_STOPS:
            stopped_at = stopped_at or when
        elif kind == "start" and stopped_at is not None:
            if when > stopped_at:
                pauses.append(Pause(start_time=stopped_at, end_time=when, source="timer"))
            stopped_at = None
    return pauses


def _workout_steps(steps: list[dict[str, Any]]) -> list[WorkoutStep]:
    result = []
    for position, step in enumerate(steps):
        duration_type = _text(step.get("duration_type"))
        repeat = duration_type is not None and duration_type.startswith("repeat_until_")
        # A repeat step's duration_value is a step index and its target_value a count (FIT
        # names them duration_step and repeat_steps): neither is a length or a target.
        duration = (
            None if repeat else step.get("duration_distance", step.get("duration_time", step.get("duration_value")))
        )
        low = None if repeat else step.get("custom_target_speed_low", step.get("custom_target_value_low"))
        high = None if repeat else step.get("custom_target_speed_high", step.get("custom_target_value_high"))
        intensity = step.get("intensity")
        result.append(
            WorkoutStep(
                index=_integer(step.get("message_index")) or position,
                name=_text(step.get("wkt_step_name")),
                intensity=_INTENSITY_NAMES.get(intensity) if isinstance(intensity, int) else _text(intensity),
                duration_type=duration_type,
                duration_value=_number(duration),
                target_type=None if repeat else _text(step.get("target_type")),
                target_low=_number(low),
                target_high=_number(high),
                notes=_text(step.get("notes")),
                repeat_from_step=_integer(step.get("duration_step", step.get("duration_value"))) if repeat else None,
                repeat_count=_integer(step.get("repeat_steps"))
                if duration_type == "repeat_until_steps_cmplt"
                else None,
            )
        )
    return result


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().strip("\x00")
    return text or None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None
