"""Score the reps and kicks the segmenter found against the prescription.

Distances: on a track the planned distance is exact and GPS distance is not, so paces use the
planned distance over the measured time; the measured distance over the same seconds is reported
beside it (on a recognised track, the along-track distance of :mod:`hardkick_analyze.track`,
with the watch's own distance and an error estimate). Inside a kick, speeds come from the
lag-corrected speed channel and the distance channel rescaled by the session's measured distance
scale (the watch's over- or under-measurement, estimated by the segmenter from all reps).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .clean import SessionGrid, rolling_mean
from .grid_columns import (
    GridColumns,
    distance_at,
    distance_between,
    gps_distance_between,
    grid_columns,
    mean_between,
    on_grid_mask,
    time_at_fraction,
    value_at,
    window_slice,
    window_values,
    with_ends,
)
from .models import PlannedRep
from .results import FormChange, KickResult, RepBounds, RepResult, SpeedBin
from .track import TrackCorrection
from .units import ON_TRACK_SHARE

__all__ = [
    "FADE_FINAL_SHARE",
    "PEAK_WINDOW_S",
    "SpeedTrace",
    "score_kick",
    "score_rep",
    "speed_trace",
]

#: Peak speed is the top of the speed smoothed over this window [s].
PEAK_WINDOW_S = 2.0
#: The kick's final speed is its mean over this last share of the kick distance.
FADE_FINAL_SHARE = 0.2
#: Kick speed is also reported over bins of this length [m].
KICK_BIN_M = 25.0
#: Heart-rate recovery is read this long after the effort ends [s].
HR_RECOVERY_S = 60.0
#: A change of running form this large (in the worse direction) flags a breakdown [%]. Step
#: length is reported but not judged: it follows the speed (speed = cadence x step length), and
#: a runner who started too fast shortens it without any loss of form.
FORM_LIMITS_PCT = {"cadence": -4.0, "ground_contact": 6.0, "vertical_oscillation": 8.0}
#: Form is compared away from the accelerating and slowing seconds at the ends [s].
FORM_EDGE_S = 4.0


def score_rep(
    grid: SessionGrid,
    bounds: RepBounds,
    planned: PlannedRep,
    *,
    position: int,
    target_pace_s_per_km: float | None,
    distance_scale: float,
    speed_scale: float,
    next_start_s: float | None,
    track: TrackCorrection | None = None,
    columns: GridColumns | None = None,
) -> RepResult:
    """Measure one rep (and its kick) between the segmenter's boundaries.

    ``position`` is the rep's 1-based number in the session; ``target_pace_s_per_km`` the pace to
    compare with (None when unknown); ``distance_scale`` and ``speed_scale`` the watch's distance
    (and integrated speed) over the true distance, measured on the session's reps (1.0 when
    unknown): speeds and distances inside kicks are divided by them. ``next_start_s`` is when the
    next rep starts, for the rest between [s]; ``track`` the track stage's answer (distances on it
    get an error estimate); ``columns`` the grid's columns when many reps are scored on one grid.
    """
    cols = columns if columns is not None else grid_columns(grid)
    duration = bounds.end_s - bounds.start_s
    measured = distance_between(cols, bounds.start_s, bounds.end_s)
    # A rep set by its time covers what the runner ran: its pace is measured, not planned.
    distance_m = planned.distance_m if planned.distance_m is not None else measured
    pace = duration / distance_m * 1000.0 if distance_m > 0 else math.nan
    half = time_at_fraction(cols, bounds.start_s, bounds.end_s, 0.5)
    avg_hr, max_hr, hr_drop = _heart_rates(cols, bounds, next_start_s)
    target_time = (
        target_pace_s_per_km * planned.distance_m / 1000.0
        if target_pace_s_per_km and planned.distance_m is not None
        else None
    )
    return RepResult(
        index=position,
        planned=planned,
        start_s=bounds.start_s,
        end_s=bounds.end_s,
        duration_s=duration,
        distance_m=distance_m,
        measured_distance_m=measured,
        gps_distance_m=gps_distance_between(cols, bounds.start_s, bounds.end_s),
        distance_error_m=_distance_error(cols, track, bounds.start_s, bounds.end_s, measured),
        pace_s_per_km=pace,
        target_pace_s_per_km=target_pace_s_per_km,
        pace_error_s_per_km=pace - target_pace_s_per_km if target_pace_s_per_km else None,
        time_error_s=duration - target_time if target_time else None,
        first_half_s=half - bounds.start_s,
        second_half_s=bounds.end_s - half,
        avg_heart_rate_bpm=avg_hr,
        max_heart_rate_bpm=max_hr,
        heart_rate_drop_60s_bpm=hr_drop,
        rest_after_s=next_start_s - bounds.effort_end_s if next_start_s is not None else None,
        form=form_change(grid, bounds.start_s, bounds.end_s, cols),
        kick=_rep_kick(grid, bounds, planned, distance_m, (distance_scale, speed_scale), track, cols),
        how=bounds.how,
    )


def _heart_rates(
    cols: GridColumns, bounds: RepBounds, next_start_s: float | None
) -> tuple[float | None, float | None, float | None]:
    """Average and highest heart rate over the effort, and the drop in the minute after it
    (None when the next rep starts before that minute is over) [bpm]."""
    heart = window_values(cols, cols.heart_rate_bpm, bounds.start_s, bounds.effort_end_s)
    known = bool(np.isfinite(heart).any())
    recovered = next_start_s is None or next_start_s >= bounds.effort_end_s + HR_RECOVERY_S
    at_end = value_at(cols, cols.heart_rate_bpm, bounds.effort_end_s)
    recovery = value_at(cols, cols.heart_rate_bpm, bounds.effort_end_s + HR_RECOVERY_S)
    return (
        _finite(float(np.nanmean(heart))) if known else None,
        _finite(float(np.nanmax(heart))) if known else None,
        _finite(at_end - recovery) if recovered else None,
    )


def _rep_kick(
    grid: SessionGrid,
    bounds: RepBounds,
    planned: PlannedRep,
    distance_m: float,
    scales: tuple[float, float],
    track: TrackCorrection | None,
    cols: GridColumns,
) -> KickResult | None:
    """The rep's kick, a sprint measured as a kick, or None; ``distance_m`` is the rep's and
    ``scales`` the session's distance and speed scales."""
    distance_scale, speed_scale = scales
    if planned.has_kick and bounds.kick_end_s is not None:
        return score_kick(
            grid,
            bounds.end_s,
            bounds.kick_end_s,
            planned.kick_m,
            rep_speed_mps=distance_m / (bounds.end_s - bounds.start_s),
            distance_scale=distance_scale,
            speed_scale=speed_scale,
            track=track,
            columns=cols,
        )
    if planned.max_effort:
        return _sprint(grid, bounds, distance_m, distance_scale, speed_scale, track, cols)
    return None


def _sprint(
    grid: SessionGrid,
    bounds: RepBounds,
    distance_m: float,
    distance_scale: float,
    speed_scale: float,
    track: TrackCorrection | None,
    columns: GridColumns,
) -> KickResult:
    """A sprint (``@max``) measured as a kick from its start: top speed, where it came, fade."""
    duration = bounds.end_s - bounds.start_s
    return score_kick(
        grid,
        bounds.start_s,
        bounds.end_s,
        distance_m,
        rep_speed_mps=distance_m / duration if duration > 0 else math.nan,
        distance_scale=distance_scale,
        speed_scale=speed_scale,
        track=track,
        columns=columns,
    )


def score_kick(
    grid: SessionGrid,
    start_s: float,
    end_s: float,
    kick_m: float,
    *,
    rep_speed_mps: float,
    distance_scale: float,
    speed_scale: float,
    track: TrackCorrection | None = None,
    columns: GridColumns | None = None,
) -> KickResult:
    """Speed, peak, fade and distance bins of one kick between ``start_s`` and ``end_s``.

    ``track`` and ``columns`` are as for :func:`score_rep`.
    """
    cols = columns if columns is not None else grid_columns(grid)
    duration = end_s - start_s
    measured = distance_between(cols, start_s, end_s)
    trace = _speed_trace(cols, start_s, end_s, distance_scale=distance_scale, speed_scale=speed_scale)
    if trace.on_grid.any():
        peak_row = int(np.flatnonzero(trace.on_grid)[np.nanargmax(trace.smoothed_speed_mps[trace.on_grid])])
        peak, peak_time = float(trace.smoothed_speed_mps[peak_row]), float(trace.time_s[peak_row])
    else:
        peak, peak_time = math.nan, start_s
    final_from = time_at_fraction(cols, start_s, end_s, 1.0 - FADE_FINAL_SHARE)
    final = mean_between(trace.time_s, trace.speed_mps, final_from, end_s)
    average = mean_between(trace.time_s, trace.speed_mps, start_s, end_s)
    return KickResult(
        start_s=start_s,
        end_s=end_s,
        duration_s=duration,
        distance_m=kick_m,
        measured_distance_m=measured,
        gps_distance_m=gps_distance_between(cols, start_s, end_s),
        distance_error_m=_distance_error(cols, track, start_s, end_s, measured),
        avg_speed_mps=average,
        peak_speed_mps=peak,
        final_speed_mps=final,
        fade_pct=100.0 * (peak - final) / peak if peak > 0 else math.nan,
        time_to_peak_s=peak_time - start_s,
        distance_to_peak_m=distance_between(cols, start_s, peak_time) / distance_scale,
        speed_vs_rep_pct=100.0 * average / rep_speed_mps if rep_speed_mps > 0 else math.nan,
        bins=_speed_bins(cols, start_s, kick_m, distance_scale),
        form=form_change(grid, start_s, end_s, cols),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeedTrace:
    """The samples a kick is scored on (and charted from), over ``[start_s, end_s]``.

    Rows are ``start_s``, every grid time strictly inside, and ``end_s``; the two ends are
    interpolated between their neighbouring grid samples, so the trace spans the window exactly
    and its time-weighted mean is the kick's average speed.

    Attributes
    ----------
    time_s
        Clock time of each row [s].
    distance_m
        Distance from ``start_s``: the watch's distance divided by the session's distance scale [m].
    speed_mps
        The unsmoothed lag-corrected speed divided by the session's speed scale [m/s].
    smoothed_speed_mps
        The same smoothed over :data:`PEAK_WINDOW_S` (the peak is its top) [m/s].
    on_grid
        True where the row is a grid sample (the peak is searched there), False at an
        interpolated end.
    """

    time_s: np.ndarray
    distance_m: np.ndarray
    speed_mps: np.ndarray
    smoothed_speed_mps: np.ndarray
    on_grid: np.ndarray


def speed_trace(
    grid: SessionGrid, start_s: float, end_s: float, *, distance_scale: float, speed_scale: float
) -> SpeedTrace:
    """The speed against distance between ``start_s`` and ``end_s``, as the kick scorer sees it.

    Parameters
    ----------
    grid
        The session on its uniform grid.
    start_s, end_s
        The window, e.g. a kick's start and end [s].
    distance_scale, speed_scale
        Watch distance (and integrated watch speed) / true distance for the session (1.0 when
        unknown); distances and speeds are divided by them.

    Returns
    -------
    SpeedTrace
        One row per grid sample inside the window plus its two interpolated ends.
    """
    return _speed_trace(grid_columns(grid), start_s, end_s, distance_scale=distance_scale, speed_scale=speed_scale)


def _speed_trace(
    cols: GridColumns, start_s: float, end_s: float, *, distance_scale: float, speed_scale: float
) -> SpeedTrace:
    # A recorded speed is already an average over the recording interval; smooth only by what
    # the 2 s of the definition leave (box widths add in quadrature).
    window_s = math.sqrt(max(PEAK_WINDOW_S**2 - cols.sample_interval_s**2, 0.0))
    # Only the samples near the window are read: a centred mean reaches half its width either
    # side, and the ends are interpolated from the samples next to them.
    margin = round(window_s / cols.dt_s) + 1
    whole = window_slice(cols.time_s, start_s, end_s, closed=False)
    near = slice(max(whole.start - margin, 0), min(whole.stop + margin, len(cols.time_s)))
    time, distance = cols.time_s[near], cols.distance_m[near]
    speed = cols.raw_speed_mps[near] / speed_scale
    smoothed = rolling_mean(speed, window_s / cols.dt_s)
    inside = slice(whole.start - near.start, whole.stop - near.start)
    ends = np.array([start_s, end_s])
    rows = np.concatenate([[start_s], time[inside], [end_s]])
    on_grid = np.concatenate(
        [on_grid_mask(time, ends[:1]), np.ones(len(rows) - 2, dtype=bool), on_grid_mask(time, ends[1:])]
    )
    return SpeedTrace(
        time_s=rows,
        distance_m=(with_ends(time, distance, inside, ends) - distance_at(cols, start_s)) / distance_scale,
        speed_mps=with_ends(time, speed, inside, ends),
        smoothed_speed_mps=with_ends(time, smoothed, inside, ends),
        on_grid=on_grid,
    )


def form_change(
    grid: SessionGrid, start_s: float, end_s: float, columns: GridColumns | None = None
) -> FormChange | None:
    """Running form over the first vs the last quarter of ``[start_s, end_s]``.

    Returns None when the file has none of cadence, step length, ground contact time or
    vertical oscillation. ``columns`` are the grid's (:func:`grid_columns`), read here when
    not given.
    """
    start_s, end_s = start_s + FORM_EDGE_S, end_s - FORM_EDGE_S
    quarter = (end_s - start_s) / 4.0
    if quarter <= 0:
        return None
    cols = columns if columns is not None else grid_columns(grid)
    changes: dict[str, float] = {}
    for name in ("cadence", "step_length", "ground_contact", "vertical_oscillation"):
        values = getattr(cols, name)
        if values is None:
            changes[name] = math.nan
            continue
        first = window_values(cols, values, start_s, start_s + quarter)
        last = window_values(cols, values, end_s - quarter, end_s)
        base = np.nanmean(first) if np.isfinite(first).any() else math.nan
        late = np.nanmean(last) if np.isfinite(last).any() else math.nan
        changes[name] = 100.0 * (late - base) / base if base and np.isfinite(base) and base > 0 else math.nan
    if all(math.isnan(v) for v in changes.values()):
        return None
    notes = []
    for name, limit in FORM_LIMITS_PCT.items():
        value = changes[name]
        if math.isfinite(value) and (value <= limit if limit < 0 else value >= limit):
            notes.append(f"{name.replace('_', ' ')} {value:+.0f} %")
    return FormChange(
        cadence_change_pct=changes["cadence"],
        step_length_change_pct=changes["step_length"],
        ground_contact_change_pct=changes["ground_contact"],
        vertical_oscillation_change_pct=changes["vertical_oscillation"],
        breakdown=bool(notes),
        notes=tuple(notes),
    )


def _speed_bins(cols: GridColumns, start_s: float, kick_m: float, distance_scale: float) -> tuple[SpeedBin, ...]:
    """Speed over each :data:`KICK_BIN_M` of the kick, timed on the watch's distance.

    The bins are measured from the kick's start in true metres (the watch's distance divided by
    the session's distance scale), not as fractions of the kick window, so a window ending a
    little late does not stretch every bin.
    """
    edges = np.arange(0.0, kick_m + 1e-9, KICK_BIN_M)
    if edges[-1] < kick_m:
        edges = np.append(edges, kick_m)
    distance = np.maximum.accumulate(np.nan_to_num(cols.distance_m, nan=-np.inf))
    origin = distance_at(cols, start_s)
    targets = origin + edges * distance_scale
    reachable = targets <= distance[-1]
    times = np.interp(targets, distance, cols.time_s)
    times[0] = start_s
    bins = []
    for k in range(len(edges) - 1):
        if reachable[k + 1] and times[k + 1] > times[k]:
            bins.append(
                SpeedBin(
                    from_m=float(edges[k]),
                    to_m=float(edges[k + 1]),
                    speed_mps=float(edges[k + 1] - edges[k]) / float(times[k + 1] - times[k]),
                )
            )
    return tuple(bins)


def _distance_error(
    cols: GridColumns, track: TrackCorrection | None, start_s: float, end_s: float, measured_m: float
) -> float | None:
    """Error estimate of a distance measured on the track [m]; None off the track or uncorrected."""
    if track is None or cols.on_track is None:
        return None
    inside = window_slice(cols.time_s, start_s, end_s)
    on = cols.on_track
    if inside.stop == inside.start or on[inside].mean() < ON_TRACK_SHARE:
        return None
    return track.distance_error_m(measured_m)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
