"""Text for a person at a terminal: the session report and the summary of what a file holds."""

from __future__ import annotations

import math

from ..models import Activity
from ..results import SessionReport
from ..units import format_clock, format_pace
from ..workout import planned_text

__all__ = ["format_split", "render_activity_summary", "render_report"]


def render_activity_summary(activity: Activity) -> str:
    """A few lines saying what was loaded: sport, start, duration, distance, samples, channels."""
    meta = activity.metadata
    track = activity.track
    distance = track["distance_m"].dropna()
    distance_text = f"{distance.iloc[-1] / 1000:.2f} km" if len(distance) else "-"
    device = meta.device_name or " ".join(x for x in (meta.manufacturer, meta.product) if x) or "unknown device"
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


def format_split(seconds: float | None) -> str:
    """A rep time with tenths: ``118.24`` -> ``'1:58.2'``."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    minutes, rest = divmod(abs(seconds), 60)
    return f"{'-' if seconds < 0 else ''}{int(minutes)}:{rest:04.1f}"


#: How the header says where the plan came from.
PLAN_SOURCE_TEXT = {
    "given": "as given",
    "watch": "the watch's workout",
    "title": "the activity's title",
    "detected": "found in the recording",
    "preset": "recognised",
}


def render_report(report: SessionReport, units: str = "km") -> str:
    """The report a runner reads after the session: reps and kicks table, verdicts, method."""
    target = format_pace(report.target_pace_s_per_km, units)
    header = f"{report.source}  {report.start_time.strftime('%Y-%m-%d %H:%M')} UTC"
    if not report.reps:
        lines = [header, *(f"  {v}" for v in report.verdicts)]
        lines += [f"  warning  {w}" for w in report.warnings]
        return "\n".join(lines)
    header += f"  {report.structure} ({PLAN_SOURCE_TEXT.get(report.workout.source, report.workout.source)})"
    header += f"  target {target} ({report.target_pace_source})"
    lines = [header, ""]
    lines.append(
        f"  {'rep':>3}  {'planned':<12} {'start':>7} {'time':>7} {'pace':>9} {'error':>7} "
        f"{'HR avg/max':>10} {'rest':>6}   {'kick':>6} {'avg m/s':>7} {'peak':>6} {'fade':>5}"
    )
    for rep in report.reps:
        planned = planned_text(rep.planned)
        if rep.time_error_s is not None:
            error = f"{rep.time_error_s:+.1f}s"
        elif rep.pace_error_s_per_km is not None:
            error = f"{rep.pace_error_s_per_km:+.0f}s/km"
        else:
            error = "-"
        heart = (
            f"{rep.avg_heart_rate_bpm:.0f}/{rep.max_heart_rate_bpm:.0f}"
            if rep.avg_heart_rate_bpm is not None and rep.max_heart_rate_bpm is not None
            else "-"
        )
        kick = rep.kick
        kick_text = (
            f"{format_split(kick.duration_s):>6} {_speed(kick.avg_speed_mps):>7} {_speed(kick.peak_speed_mps):>6} "
            f"{kick.fade_pct:>4.0f}%"
            if kick
            else ""
        )
        lines.append(
            f"  {rep.index:>3}  {planned:<12} {format_clock(rep.start_s):>7} {format_split(rep.duration_s):>7} "
            f"{format_pace(rep.pace_s_per_km, units):>9} {error:>7} {heart:>10} {format_clock(rep.rest_after_s):>6}   "
            f"{kick_text}"
        )
    for missing in report.missing:
        lines.append(f"    -  {planned_text(missing):<12} not run")
    if report.score is not None:
        parts = ", ".join(f"{k} {v:.0f}" for k, v in report.score.components.items())
        lines += ["", f"  score {report.score.total:.0f}/100 ({parts})"]
    lines += [""] + [f"  - {v}" for v in report.verdicts]
    lines += ["", "  " + _how_found(report)]
    if report.extra_efforts:
        lines.append(f"  extra efforts: {len(report.extra_efforts)} (strides or unplanned reps)")
    lines += [f"  warning  {w}" for w in report.warnings]
    return "\n".join(lines)


def _how_found(report: SessionReport) -> str:
    """One line on how the reps were found: the path, the watch's lag and distance error."""
    seg = report.segmentation
    path = {"laps": "on the watch's laps", "detected": "on the speed"}.get(seg.method, seg.method)
    parts = [f"reps found {path}"]
    calibration = seg.calibration
    if calibration.distance_lag_s:
        parts.append(f"watch distance lag {calibration.distance_lag_s:.1f} s corrected")
    track = calibration.track
    if track is not None:
        scale = f": the watch measured {100 * (track.device_scale - 1):+.1f} % on it" if track.device_scale else ""
        parts.append(f"400 m track recognised (lane {track.fit.lane}){scale}, distances corrected")
    elif calibration.distance_scale:
        parts.append(f"watch distance {100 * (calibration.distance_scale - 1):+.1f} % vs the planned metres")
    return "; ".join(parts) + " (details in --json)"


def _speed(value: float) -> str:
    return f"{value:.2f}" if math.isfinite(value) else "-"
