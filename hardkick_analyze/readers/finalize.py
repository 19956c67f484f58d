"""Repair a reader's raw samples into the normalized track, the same way for every format.

Messy real data is read, not rejected; every repair becomes one warning line.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import tzinfo
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..errors import NoUsableDataError
from ..geo import haversine_m
from ..models import Activity, ActivityMetadata, Lap, Pause
from ..schema import CORE_COLUMNS, GLOSSARY
from .parsed import ParsedActivity, seconds
from .source import RawSource

__all__ = ["finalize"]

#: A forward jump in time longer than this, with the timer running, is the device clock
#: jumping (GPS time fix, a bad RTC), not the runner stopping.
CLOCK_JUMP_S = 6 * 3600.0
#: A shorter hole is a clock jump only when the file's declared session length says so.
JUMP_CANDIDATE_S = 600.0
#: A stretch after a clock jump with this share of the records or fewer is junk and dropped.
JUNK_SHARE = 0.05
#: A hole in the recording at least this long, and at least :data:`GAP_PAUSE_INTERVALS` usual
#: intervals, that no timer pause explains is listed as a gap pause (auto-pause in a GPX export).
GAP_PAUSE_S = 15.0
GAP_PAUSE_INTERVALS = 4.0
#: Share of 1 s steps above which the recording counts as "1 s" rather than "smart".
ONE_SECOND_SHARE = 0.9

_DATA_COLUMNS = tuple(c for c in GLOSSARY if c != "elapsed_s")
#: Values no device can record (a flipped bit, a hand-edited 1e308): blanked before any arithmetic
#: overflows on them. Generous on purpose: the point is impossible values, not unusual ones.
PLAUSIBLE_RANGES = {
    "distance_m": (0.0, 1e7),  # 10,000 km in one activity
    "lat_deg": (-90.0, 90.0),
    "lon_deg": (-180.0, 180.0),
    "elevation_m": (-1000.0, 10000.0),  # the Dead Sea shore to above Everest
    "heart_rate_bpm": (0.0, 300.0),
    "cadence_spm": (0.0, 1000.0),
    "cadence_rpm": (0.0, 1000.0),
    "power_w": (0.0, 10000.0),
    "temperature_c": (-90.0, 90.0),
}


def finalize(parsed: ParsedActivity, raw: RawSource) -> Activity:
    """Order, de-duplicate and complete the samples; build the :class:`Activity`.

    The repairs work on plain arrays (times as UTC nanoseconds, each channel as float64); the
    track frame is built once, at the end.

    Raises
    ------
    NoUsableDataError
        No sample carries both a valid time and a value.
    """
    warnings = [*raw.warnings, *parsed.warnings]
    times, zone, out_of_range = _times_in_range(parsed.samples, warnings)
    columns = [c for c in _DATA_COLUMNS if c in parsed.samples.columns]
    channels = _blank_impossible(parsed.samples, columns, warnings)
    times, channels = _drop_untimed(times, channels, warnings, already_reported=out_of_range)
    if not len(times):
        raise NoUsableDataError(raw.name, "no sample has a valid time and a value")
    times, channels = _drop_backwards(times, channels, warnings)
    times, channels = _merge_duplicates(times, channels, warnings)
    shifts = _clock_jumps(times, zone, parsed.pauses, _session_span_s(parsed), warnings)
    times = _apply_shifts(times, shifts)
    times, channels = _drop_junk_after_jumps(times, channels, shifts, warnings)
    index = _time_index(times, zone)
    sources = {
        column: "device" if column in channels and not np.isnan(channels[column]).all() else "absent"
        for column in CORE_COLUMNS[1:]
    }
    # pandas' own seconds (whole seconds and the rest apart: a plain division differs in the last bit).
    elapsed_s = np.asarray(pd.array((times - times[0]).view("m8[ns]")).total_seconds(), dtype=np.float64)
    channels = _complete_channels(channels, elapsed_s, sources, warnings)
    track = _ordered_float_frame(index, channels, elapsed_s)
    start = track.index[0]

    laps = tuple(_shift_lap(lap, shifts) for lap in parsed.laps)
    timer_pauses = [_shift_pause(p, shifts) for p in parsed.pauses]
    steps_s = np.diff(times) / 1e9
    usual_s = float(np.median(steps_s)) if len(steps_s) else None
    gap_pauses = _gap_pauses(track.index, steps_s, usual_s, timer_pauses)
    pauses = tuple(sorted(timer_pauses + gap_pauses, key=lambda p: p.start_time))
    interval, recording = _recording(steps_s, usual_s)
    metadata = ActivityMetadata(
        source=raw.name,
        format=raw.format,
        compressed=raw.compressed,
        start_time=start,
        recording=recording,
        recording_interval_s=interval,
        channel_sources=MappingProxyType(sources),
        sessions=tuple(parsed.sessions),
        **parsed.metadata,
    )
    return Activity(
        track=track,
        metadata=metadata,
        laps=laps,
        pauses=pauses,
        workout_steps=tuple(parsed.workout_steps),
        warnings=tuple(warnings),
    )


#: Nanoseconds in one tick of each unit a reader's times may come in.
_NS_PER_TICK = {"s": 10**9, "ms": 10**6, "us": 10**3}
#: The integer a missing time (NaT) is stored as.
_NAT = np.iinfo(np.int64).min
#: Each channel by name, as float64 (NaN where missing).
Channels = dict[str, np.ndarray]


def _times_in_range(samples: pd.DataFrame, warnings: list[str]) -> tuple[np.ndarray, tzinfo, int]:
    """The sample times as UTC nanoseconds (NaT where missing), their time zone, and how many
    were dropped for lying outside 1677-2262.

    A reader may hand over times in another unit (a year 9999 or 0001 in a GPX file): one bad
    point must not cost the whole file.
    """
    times = samples["time"] if "time" in samples.columns else pd.Series(pd.NaT, index=samples.index)
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        times = pd.to_datetime(times, utc=True, errors="coerce")
    dtype = times.dtype
    assert isinstance(dtype, pd.DatetimeTZDtype)  # for mypy: pd.to_datetime(utc=True) gives one
    ticks = times.array.asi8
    if dtype.unit == "ns":
        return ticks, dtype.tz, 0
    # Compared as integers in the times' own unit (NaT is the least integer, never outside).
    per_tick_ns = _NS_PER_TICK[dtype.unit]
    lowest, highest = -(-pd.Timestamp.min.value // per_tick_ns), pd.Timestamp.max.value // per_tick_ns
    missing = ticks == _NAT
    outside = ~missing & ((ticks < lowest) | (ticks > highest))
    count = int(outside.sum())
    if count:
        warnings.append(f"{count} samples with a time outside the years 1678-2261 dropped")
    # The ticks outside (and NaT) wrap around when multiplied: they become NaT here.
    return np.where(missing | outside, _NAT, ticks * per_tick_ns), dtype.tz, count


def _blank_impossible(samples: pd.DataFrame, columns: list[str], warnings: list[str]) -> Channels:
    """The channels as float64 (anything not a number is missing); infinite values and values
    outside :data:`PLAUSIBLE_RANGES` become NaN, with one warning."""
    channels = {}
    counts = []
    for column in columns:
        series = samples[column]
        if series.dtype != np.float64:
            series = pd.to_numeric(series, errors="coerce")
        values = series.to_numpy(dtype=np.float64)
        low, high = PLAUSIBLE_RANGES.get(column, (-np.inf, np.inf))
        with np.errstate(invalid="ignore"):
            # Bounds or not, an infinite value is outside them.
            bad = (values < low) | (values > high) if column in PLAUSIBLE_RANGES else np.isinf(values)
        if bad.any():
            values = np.where(bad, np.nan, values)
            counts.append(f"{int(bad.sum())} {column}")
        channels[column] = values
    if counts:
        warnings.append(f"impossible values blanked: {', '.join(counts)}")
    return channels


def _rows(times: np.ndarray, channels: Channels, keep: np.ndarray) -> tuple[np.ndarray, Channels]:
    """The samples where ``keep`` is true."""
    return times[keep], {column: values[keep] for column, values in channels.items()}


def _drop_untimed(
    times: np.ndarray, channels: Channels, warnings: list[str], *, already_reported: int = 0
) -> tuple[np.ndarray, Channels]:
    timed = times != _NAT
    has_value = np.zeros(len(times), bool)
    for values in channels.values():
        has_value |= ~np.isnan(values)
    keep = timed & has_value
    if int((~timed).sum()) > already_reported:
        warnings.append(f"{int((~timed).sum()) - already_reported} samples without a valid time dropped")
    empty = timed & ~has_value
    if empty.any():
        warnings.append(f"{int(empty.sum())} samples without any value dropped")
    if keep.all():
        return times, channels
    return _rows(times, channels, keep)


def _drop_backwards(times: np.ndarray, channels: Channels, warnings: list[str]) -> tuple[np.ndarray, Channels]:
    """Drop samples stamped earlier than one already seen (a clock stepping back)."""
    previous_max = np.maximum.accumulate(times)
    backwards = np.zeros(len(times), dtype=bool)
    backwards[1:] = times[1:] < previous_max[:-1]
    if not backwards.any():
        return times, channels
    warnings.append(f"{int(backwards.sum())} samples with a time earlier than the one before dropped")
    return _rows(times, channels, ~backwards)


def _merge_duplicates(times: np.ndarray, channels: Channels, warnings: list[str]) -> tuple[np.ndarray, Channels]:
    """Merge samples sharing a time into one holding each channel's first value (the times are
    sorted by now: repeats are neighbours)."""
    repeated = times[1:] == times[:-1]
    if not repeated.any():
        return times, channels
    warnings.append(f"{int(repeated.sum())} samples with a repeated time merged into the first")
    starts = np.flatnonzero(np.concatenate([[True], ~repeated]))
    merged = {}
    for column, values in channels.items():
        # The first position in each group holding a value (len(values) when none does).
        positions = np.where(np.isnan(values), len(values), np.arange(len(values)))
        first = np.minimum.reduceat(positions, starts)
        found = first < len(values)
        merged[column] = np.where(found, values[np.where(found, first, 0)], np.nan)
    return times[starts], merged


def _session_span_s(parsed: ParsedActivity) -> float | None:
    """Total elapsed time the file's sessions declare [s], when they all declare one."""
    spans = [
        (s.end_time - s.start_time).total_seconds()
        for s in parsed.sessions
        if s.start_time is not None and s.end_time is not None
    ]
    return sum(spans) if spans and len(spans) == len(parsed.sessions) else None


def _clock_jumps(
    ticks: np.ndarray, zone: tzinfo, pauses: list[Pause], declared_span_s: float | None, warnings: list[str]
) -> list[tuple[pd.Timestamp, pd.Timedelta]]:
    """(first time after the jump, how far to move it back) for each forward clock jump.

    A hole is a clock jump when the timer kept running across it and either it is longer than
    :data:`CLOCK_JUMP_S`, or the file's own session length only adds up without it.
    """
    if len(ticks) < 3 or not (np.diff(ticks) > int(JUMP_CANDIDATE_S) * 10**9).any():
        return []  # no hole long enough to be a jump
    times = pd.Series(_time_index(ticks, zone))
    steps = times.diff().dt.total_seconds().to_numpy()
    usual = float(np.nanmedian(steps[1:]))
    span = (times.iloc[-1] - times.iloc[0]).total_seconds()
    shifts = []
    for position in np.flatnonzero(steps > JUMP_CANDIDATE_S):
        before, after = times.iloc[position - 1], times.iloc[position]
        margin = pd.Timedelta(seconds=60)
        if any(p.start_time <= before + margin and p.end_time >= after - margin for p in pauses):
            continue  # the timer was stopped: a real (if very long) pause
        explained = declared_span_s is not None and abs(span - steps[position] - declared_span_s) <= max(
            60.0, 0.1 * declared_span_s
        )
        if steps[position] <= CLOCK_JUMP_S and not explained:
            continue
        jump = pd.Timedelta(seconds=steps[position] - usual)
        shifts.append((after, jump))
        warnings.append(
            f"the device clock jumps {_human(jump)} forward after {_human(before - times.iloc[0])}; gap closed"
        )
    return shifts


def _apply_shifts(ticks: np.ndarray, shifts: list[tuple[pd.Timestamp, pd.Timedelta]]) -> np.ndarray:
    out = ticks
    for after, jump in shifts:
        out = np.where(ticks < after.as_unit("ns").value, out, out - jump.as_unit("ns").value)
    return out


def _shift_time(when: pd.Timestamp, shifts: list[tuple[pd.Timestamp, pd.Timedelta]]) -> pd.Timestamp:
    moved = when
    for after, jump in shifts:
        if when >= after:
            moved = moved - jump
    return moved


def _shift_lap(lap: Lap, shifts: list[tuple[pd.Timestamp, pd.Timedelta]]) -> Lap:
    if not shifts:
        return lap
    start = _shift_time(lap.start_time, shifts)
    return dataclasses.replace(lap, start_time=start, end_time=start + seconds(lap.elapsed_time_s))


def _shift_pause(pause: Pause, shifts: list[tuple[pd.Timestamp, pd.Timedelta]]) -> Pause:
    if not shifts:
        return pause
    return dataclasses.replace(
        pause, start_time=_shift_time(pause.start_time, shifts), end_time=_shift_time(pause.end_time, shifts)
    )


def _drop_junk_after_jumps(
    times: np.ndarray, channels: Channels, shifts: list[tuple[pd.Timestamp, pd.Timedelta]], warnings: list[str]
) -> tuple[np.ndarray, Channels]:
    """A handful of records after a jump (a phone writing one bogus final point) are dropped."""
    if not shifts:
        return times, channels
    total = len(times)
    keep = np.ones(total, dtype=bool)
    bounds = [0]
    for after, jump in shifts:
        bounds.append(int(np.searchsorted(times, (after - jump).as_unit("ns").value)))
    bounds.append(total)
    for start, stop in itertools.pairwise(bounds):
        if 0 < stop - start <= JUNK_SHARE * total:
            keep[start:stop] = False
    if keep.all():
        return times, channels
    warnings.append(f"{int((~keep).sum())} samples stranded by a clock jump dropped")
    return _rows(times, channels, keep)


def _time_index(ticks: np.ndarray, zone: tzinfo) -> pd.DatetimeIndex:
    """The track's index: ``ticks`` (UTC nanoseconds) in the time zone the reader gave."""
    return pd.DatetimeIndex(ticks.view("M8[ns]"), name="time").tz_localize("UTC").tz_convert(zone)


def _complete_channels(
    channels: Channels, elapsed_s: np.ndarray, sources: dict[str, str], warnings: list[str]
) -> Channels:
    """Add missing core channels; derive distance from positions and speed from distance."""
    track = dict(channels)
    for column in CORE_COLUMNS[1:]:
        if column not in track:
            track[column] = np.full(len(elapsed_s), np.nan)
    has_positions = bool((~np.isnan(track["lat_deg"]) & ~np.isnan(track["lon_deg"])).any())
    if sources["distance_m"] == "absent" and has_positions:
        track["distance_m"] = _distance_from_positions(track["lat_deg"], track["lon_deg"])
        sources["distance_m"] = "derived"
    distance = track["distance_m"]
    if sources["distance_m"] == "device":
        steps = np.diff(distance[np.isfinite(distance)])
        if (steps < -1e-6).any():
            warnings.append(f"distance decreases at {int((steps < -1e-6).sum())} samples; held at its maximum")
            finite = np.isfinite(distance)
            distance = distance.copy()
            distance[finite] = np.maximum.accumulate(distance[finite])
            track["distance_m"] = distance
    if sources["speed_mps"] == "absent" and sources["distance_m"] != "absent":
        track["speed_mps"] = _speed_from_distance(elapsed_s, track["distance_m"])
        sources["speed_mps"] = "derived"
    with np.errstate(invalid="ignore"):
        implausible = track["speed_mps"] > 100.0
    if implausible.any():
        warnings.append(f"{int(implausible.sum())} speeds above 100 m/s blanked")
        track["speed_mps"] = np.where(implausible, np.nan, track["speed_mps"])
    return track


def _ordered_float_frame(index: pd.DatetimeIndex, channels: Channels, elapsed_s: np.ndarray) -> pd.DataFrame:
    """The glossary's columns in its order, as one float64 block, with ``elapsed_s`` first."""
    names = [c for c in GLOSSARY if c != "elapsed_s" and c in channels]
    values = np.column_stack([elapsed_s, *(channels[c] for c in names)])
    return pd.DataFrame(values, index=index, columns=["elapsed_s", *names], copy=False)  # values is new


def _distance_from_positions(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Cumulative great-circle distance through the valid fixes, held across missing ones [m]."""
    valid = np.isfinite(lat_deg) & np.isfinite(lon_deg)
    cumulative = np.full(len(lat_deg), np.nan)
    if not valid.any():
        return cumulative
    lat, lon = lat_deg[valid], lon_deg[valid]
    steps = np.concatenate([[0.0], haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])])
    cumulative[valid] = np.cumsum(steps)
    first = int(np.argmax(valid))
    filled = pd.Series(cumulative).ffill().to_numpy(copy=True)
    filled[:first] = 0.0
    return filled


def _speed_from_distance(seconds: np.ndarray, distance_m: np.ndarray) -> np.ndarray:
    """Speed as the centred difference of distance over time [m/s] (``seconds``: elapsed time)."""
    if len(seconds) < 2:
        return np.full(len(seconds), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.gradient(distance_m, seconds)
    return np.where(np.isfinite(speed) & (speed >= 0), speed, np.nan)


def _gap_pauses(
    index: pd.DatetimeIndex, steps_s: np.ndarray, usual_s: float | None, timer_pauses: list[Pause]
) -> list[Pause]:
    """Recording holes of at least :data:`GAP_PAUSE_S` that no timer pause explains
    (``steps_s``: the steps between the index's times, ``usual_s`` their median)."""
    if usual_s is None:
        return []
    threshold = max(GAP_PAUSE_S, GAP_PAUSE_INTERVALS * usual_s)
    gaps = []
    for position in np.flatnonzero(steps_s >= threshold):
        start, end = index[position], index[position + 1]
        if any(p.start_time < end and p.end_time > start for p in timer_pauses):
            continue
        gaps.append(Pause(start_time=start, end_time=end, source="gap"))
    return gaps


def _recording(steps_s: np.ndarray, usual_s: float | None) -> tuple[float | None, str]:
    """The recording interval and kind, from the steps between the times [s] and their median."""
    if usual_s is None:
        return None, "unknown"
    one_second = float(np.mean(np.abs(steps_s - 1.0) < 0.05))
    if one_second >= ONE_SECOND_SHARE:
        return 1.0, "1s"
    if usual_s < 1.0 and float(np.mean(steps_s < 1.0)) >= ONE_SECOND_SHARE:
        return usual_s, "sub-second"
    return usual_s, "smart"


def _human(delta: pd.Timedelta) -> str:
    seconds = abs(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.1f} h"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d} min"
