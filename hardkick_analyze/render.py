"""Text renderings for people: durations, paces and the activity summary. Pace is formatted here only."""

from __future__ import annotations

import math

from .models import Activity

__all__ = ["format_clock", "format_pace", "render_activity_summary"]

_METRES_PER_MILE = 1609.344


def format_clock(seconds: float | None) -> str:
    """``3725.4`` -> ``'1:02:05'``; ``75.0`` -> ``'1:15'``; None/NaN -> ``'-'``."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


def format_pace(pace_s_per_km: float | None, units: str = "km") -> str:
    """``295.0`` -> ``'4:55/km'`` (or per mile with ``units='mi'``)."""
    if pace_s_per_km is None or not math.isfinite(pace_s_per_km) or pace_s_per_km <= 0:
        return "-"
    per_unit = pace_s_per_km * (_METRES_PER_MILE / 1000.0 if units == "mi" else 1.0)
    minutes, secs = divmod(round(per_unit), 60)
    return f"{minutes}:{secs:02d}/{units}"


def render_activity_summary(activity: Activity) -> str:
    """A few lines saying what was loaded: sport, start, duration, distance, samples, channels."""
    meta = activity.metadata
    track = activity.track
    distance = track["distance_m"].dropna()
    distance_text = f"{distance.iloc[-1] / 1000:.2f} km" if len(distance) else "-"
    device = (
        " ".join(x for x in (meta.manufacturer, meta.product) if x) or meta.device_name or "unknown device"
    )
    sport = "/".join(x for x in (meta.sport, meta.sub_sport) if x) or "unknown sport"
    interval = (
        f"{meta.recording} ({meta.recording_interval_s:g} s median)"
        if meta.recording_interval_s is not None
        else meta.recording
    )
    channels = ", ".join(
        f"{name}{' (derived)' if source == 'derived' else ''}"
        for name, source in meta.channel_sources.items()
        if source != "absent"
    )
    timer_pauses = [p for p in activity.pauses if p.source == "timer"]
    gaps = [p for p in activity.pauses if p.source == "gap"]
    lines = [
        f"{meta.source}  ({meta.format.upper()}{', compressed' if meta.compressed else ''}, {device})",
        f"  sport      {sport}",
        f"  start      {activity.start_time.isoformat()}",
        f"  duration   {format_clock(activity.duration_s)}",
        f"  distance   {distance_text}",
        f"  samples    {len(track)}, recording {interval}",
        f"  laps       {len(activity.laps)}" + _lap_triggers(activity),
        f"  pauses     {len(timer_pauses)} timer, {len(gaps)} recording gaps",
        f"  channels   {channels or 'none'}",
    ]
    if activity.workout_steps:
        lines.append(f"  workout    {len(activity.workout_steps)} planned steps")
    lines += [f"  warning    {w}" for w in activity.warnings]
    return "\n".join(lines)


def _lap_triggers(activity: Activity) -> str:
    triggers: dict[str, int] = {}
    for lap in activity.laps:
        key = lap.trigger or "unknown"
        triggers[key] = triggers.get(key, 0) + 1
    return f" ({', '.join(f'{n} {t}' for t, n in triggers.items())})" if triggers else ""
