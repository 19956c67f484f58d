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
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .clean import SessionGrid, rolling_mean
from .models import PlannedRep
from .results import FormChange, KickResult, RepBounds, RepResult, Segmentation, SessionScore, SpeedBin
from .track import TrackCorrection

__all__ = [
    "FADE_FINAL_SHARE",
    "PEAK_WINDOW_S",
    "GridColumns",
    "SpeedTrace",
    "grid_columns",
    "score_kick",
    "score_rep",
    "score_session",
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
#: The workout calls for a long warm-up and cool-down; shorter ones are flagged [s].
MIN_WARMUP_S = 10 * 60.0
MIN_COOLDOWN_S = 5 * 60.0
#: A stretch is measured on the track when at least this share of it is on the track.
ON_TRACK_SHARE = 0.9
#: Score weights (sum 100) and the errors at which a component reaches zero.
WEIGHTS = {"pace": 40.0, "consistency": 20.0, "kick": 25.0, "completion": 15.0}
PACE_ERROR_ZERO_S_PER_KM = 15.0
CONSISTENCY_ZERO_S_PER_KM = 10.0
FADE_ZERO_PCT = 25.0
FADE_FULL_PCT = 5.0


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

    Parameters
    ----------
    grid
        The session on its uniform grid.
    bounds
        Where the rep was run.
    planned
        What was planned for it.
    position
        1-based number of the rep in the session (for display).
    target_pace_s_per_km
        Pace to compare with [s/km]; None when unknown.
    distance_scale, speed_scale
        Watch distance (and integrated watch speed) / true distance for this session, measured
        on its reps (1.0 when unknown): speeds and distances inside kicks are divided by them.
    next_start_s
        Start of the next rep, to measure the rest in between [s].
    track
        The track stage's answer when the distance was corrected on a track: distances on it
        get an error estimate.
    columns
        The grid's columns (:func:`grid_columns`), when many reps are scored on one grid;
        read here when not given.
    """
    cols = columns if columns is not None else grid_columns(grid)
    duration = bounds.end_s - bounds.start_s
    measured = _distance_between(cols, bounds.start_s, bounds.end_s)
    # A rep set by its time covers what the runner ran: its pace is measured, not planned.
    distance_m = planned.distance_m if planned.distance_m is not None else measured
    pace = duration / distance_m * 1000.0 if distance_m > 0 else math.nan
    half = _time_at_fraction(cols, bounds.start_s, bounds.end_s, 0.5)
    heart = _window_values(cols, cols.heart_rate_bpm, bounds.start_s, bounds.effort_end_s)
    recovery = _value_at(cols, cols.heart_rate_bpm, bounds.effort_end_s + HR_RECOVERY_S)
    at_end = _value_at(cols, cols.heart_rate_bpm, bounds.effort_end_s)
    target_time = (
        target_pace_s_per_km * planned.distance_m / 1000.0
        if target_pace_s_per_km and planned.distance_m is not None
        else None
    )
    kick = (
        score_kick(
            grid,
            bounds.end_s,
            bounds.kick_end_s,
            planned.kick_m,
            rep_speed_mps=distance_m / duration,
            distance_scale=distance_scale,
            speed_scale=speed_scale,
            track=track,
            columns=cols,
        )
        if planned.has_kick and bounds.kick_end_s is not None
        else _sprint(grid, bounds, distance_m, distance_scale, speed_scale, track, cols)
        if planned.max_effort
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
        gps_distance_m=_gps_distance_between(cols, bounds.start_s, bounds.end_s),
        distance_error_m=_distance_error(cols, track, bounds.start_s, bounds.end_s, measured),
        pace_s_per_km=pace,
        target_pace_s_per_km=target_pace_s_per_km,
        pace_error_s_per_km=pace - target_pace_s_per_km if target_pace_s_per_km else None,
        time_error_s=duration - target_time if target_time else None,
        first_half_s=half - bounds.start_s,
        second_half_s=bounds.end_s - half,
        avg_heart_rate_bpm=_finite(float(np.nanmean(heart))) if np.isfinite(heart).any() else None,
        max_heart_rate_bpm=_finite(float(np.nanmax(heart))) if np.isfinite(heart).any() else None,
        heart_rate_drop_60s_bpm=_finite(at_end - recovery)
        if next_start_s is None or next_start_s >= bounds.effort_end_s + HR_RECOVERY_S
        else None,
        rest_after_s=next_start_s - bounds.effort_end_s if next_start_s is not None else None,
        form=form_change(grid, bounds.start_s, bounds.end_s, cols),
        kick=kick,
        how=bounds.how,
    )


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
    measured = _distance_between(cols, start_s, end_s)
    trace = _speed_trace(cols, start_s, end_s, distance_scale=distance_scale, speed_scale=speed_scale)
    if trace.on_grid.any():
        peak_row = int(np.flatnonzero(trace.on_grid)[np.nanargmax(trace.smoothed_speed_mps[trace.on_grid])])
        peak, peak_time = float(trace.smoothed_speed_mps[peak_row]), float(trace.time_s[peak_row])
    else:
        peak, peak_time = math.nan, start_s
    final_from = _time_at_fraction(cols, start_s, end_s, 1.0 - FADE_FINAL_SHARE)
    final = _mean(trace.time_s, trace.speed_mps, final_from, end_s)
    average = _mean(trace.time_s, trace.speed_mps, start_s, end_s)
    return KickResult(
        start_s=start_s,
        end_s=end_s,
        duration_s=duration,
        distance_m=kick_m,
        measured_distance_m=measured,
        gps_distance_m=_gps_distance_between(cols, start_s, end_s),
        distance_error_m=_distance_error(cols, track, start_s, end_s, measured),
        avg_speed_mps=average,
        peak_speed_mps=peak,
        final_speed_mps=final,
        fade_pct=100.0 * (peak - final) / peak if peak > 0 else math.nan,
        time_to_peak_s=peak_time - start_s,
        distance_to_peak_m=_distance_between(cols, start_s, peak_time) / distance_scale,
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
    time = cols.time_s
    speed = cols.raw_speed_mps / speed_scale
    # A recorded speed is already an average over the recording interval; smooth only by what
    # the 2 s of the definition leave (box widths add in quadrature).
    window_s = math.sqrt(max(PEAK_WINDOW_S**2 - cols.sample_interval_s**2, 0.0))
    smoothed = rolling_mean(speed, window_s / cols.dt_s)
    distance = cols.distance_m
    inside = _inside(time, start_s, end_s, closed=False)
    ends = np.array([start_s, end_s])
    rows = np.concatenate([[start_s], time[inside], [end_s]])
    on_grid = np.concatenate([_on_grid(time, ends[:1]), np.ones(len(rows) - 2, dtype=bool), _on_grid(time, ends[1:])])
    return SpeedTrace(
        time_s=rows,
        distance_m=(_with_ends(time, distance, inside, ends) - _distance_at(cols, start_s)) / distance_scale,
        speed_mps=_with_ends(time, speed, inside, ends),
        smoothed_speed_mps=_with_ends(time, smoothed, inside, ends),
        on_grid=on_grid,
    )


def _on_grid(time: np.ndarray, at_s: np.ndarray) -> np.ndarray:
    """Whether each of ``at_s`` is one of the sorted grid times (``np.isin`` without sorting them) [s]."""
    position = np.minimum(np.searchsorted(time, at_s), len(time) - 1)
    return time[position] == at_s


def _with_ends(time: np.ndarray, values: np.ndarray, inside: slice, ends: np.ndarray) -> np.ndarray:
    """``values`` strictly inside a window, with the values interpolated at its two ends."""
    at_ends = np.interp(ends, time, values)
    return np.concatenate([at_ends[:1], values[inside], at_ends[1:]])


@dataclass(frozen=True, slots=True, eq=False)
class GridColumns:
    """The grid's columns the scoring reads, taken out of the frame once for every rep and kick
    scored on it (:func:`grid_columns`).

    ``time_s``, ``distance_m``, ``gps_distance_m`` (the watch's own distance; the distance when
    no track correction kept it), ``raw_speed_mps``; ``heart_rate_bpm`` and ``on_track`` when the
    grid has them; the running-form channels ``cadence``, ``step_length`` (recorded, else speed
    over cadence), ``ground_contact`` and ``vertical_oscillation``, each None when the file has
    none of it. ``sample_interval_s`` and ``dt_s`` are the grid's.
    """

    time_s: np.ndarray
    distance_m: np.ndarray
    gps_distance_m: np.ndarray
    raw_speed_mps: np.ndarray
    heart_rate_bpm: np.ndarray | None
    on_track: np.ndarray | None
    cadence: np.ndarray | None
    step_length: np.ndarray | None
    ground_contact: np.ndarray | None
    vertical_oscillation: np.ndarray | None
    sample_interval_s: float
    dt_s: float


def grid_columns(grid: SessionGrid) -> GridColumns:
    """The grid's columns for scoring (see :class:`GridColumns`)."""
    frame = grid.frame

    def channel(name: str) -> np.ndarray | None:
        if name not in frame:
            return None
        values = frame[name].to_numpy(dtype=np.float64)
        return values if (~np.isnan(values)).any() else None

    cadence = channel("cadence_spm")
    step_length = channel("step_length_m")
    if step_length is None and "step_length_m" not in frame and cadence is not None:
        # Step length from speed and cadence when the watch does not record it.
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = frame["speed_mps"].to_numpy(dtype=np.float64) * 60.0 / np.where(cadence > 0, cadence, np.nan)
        step_length = derived if (~np.isnan(derived)).any() else None
    distance = frame["distance_m"].to_numpy(dtype=np.float64)
    return GridColumns(
        time_s=grid.time_s,
        distance_m=distance,
        gps_distance_m=frame["gps_distance_m"].to_numpy(dtype=np.float64) if "gps_distance_m" in frame else distance,
        raw_speed_mps=frame["raw_speed_mps"].to_numpy(dtype=np.float64),
        heart_rate_bpm=frame["heart_rate_bpm"].to_numpy(dtype=np.float64) if "heart_rate_bpm" in frame else None,
        on_track=frame["on_track"].to_numpy(dtype=bool) if "on_track" in frame else None,
        cadence=cadence,
        step_length=step_length,
        ground_contact=channel("ground_contact_time_ms"),
        vertical_oscillation=channel("vertical_oscillation_mm"),
        sample_interval_s=grid.sample_interval_s,
        dt_s=grid.dt_s,
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
        first = _window_values(cols, values, start_s, start_s + quarter)
        last = _window_values(cols, values, end_s - quarter, end_s)
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


def score_session(
    reps: Sequence[RepResult],
    segmentation: Segmentation,
    *,
    duration_s: float,
) -> SessionScore:
    """Pacing accuracy and consistency, kick decrement, warm-up/cool-down and the 0-100 score."""
    errors = [r.pace_error_s_per_km for r in reps if r.pace_error_s_per_km is not None]
    kicks = [r.kick for r in reps if r.kick is not None]
    mean_error = float(np.mean(errors)) if errors else None
    mean_abs = float(np.mean(np.abs(errors))) if errors else None
    spread = pace_spread_s_per_km(reps)
    decrement = kick_decrement_pct([k.duration_s for k in kicks]) if len(kicks) >= 2 else None
    warmup = reps[0].start_s if reps else duration_s
    last_end = max((r.kick.end_s if r.kick else r.end_s) for r in reps) if reps else duration_s
    planned = len(segmentation.workout.reps)
    done = len(reps)
    credits = {
        "pace": _linear_credit(mean_abs, 0.0, PACE_ERROR_ZERO_S_PER_KM) if mean_abs is not None else None,
        "consistency": _linear_credit(spread, 0.0, CONSISTENCY_ZERO_S_PER_KM) if spread is not None else None,
        "kick": _kick_credit(kicks) if kicks or any(r.has_kick for r in segmentation.workout.reps) else None,
        "completion": min(1.0, done / planned) if planned else 0.0,
    }
    # A session is not marked down for what it does not hold (no target, no kick, one rep of
    # each size): the parts it holds count out of 100.
    held = {k: c for k, c in credits.items() if c is not None}
    total_weight = sum(WEIGHTS[k] for k in held)
    components = {k: WEIGHTS[k] * c * 100.0 / total_weight for k, c in held.items()}
    return SessionScore(
        total=round(sum(components.values()), 1),
        components={k: round(v, 1) for k, v in components.items()},
        mean_pace_error_s_per_km=mean_error,
        mean_abs_pace_error_s_per_km=mean_abs,
        pace_consistency_s_per_km=spread,
        kick_decrement_pct=decrement,
        warmup_s=warmup,
        cooldown_s=max(duration_s - last_end, 0.0),
    )


def pace_spread_s_per_km(reps: Sequence[RepResult]) -> float | None:
    """How evenly reps of one kind were run: the pooled standard deviation of each rep's pace
    from the mean of the reps of its size (a ladder's 1000s and 200s are not compared) [s/km].

    Sprints run flat out are left out; None with fewer than two reps of a size.
    """
    groups: dict[tuple[float | None, float | None, str], list[float]] = {}
    for rep in reps:
        if rep.planned.max_effort or not math.isfinite(rep.pace_s_per_km):
            continue
        key = (rep.planned.distance_m, rep.planned.duration_s, rep.planned.kind)
        groups.setdefault(key, []).append(rep.pace_s_per_km)
    deviations = [p - float(np.mean(paces)) for paces in groups.values() if len(paces) >= 2 for p in paces]
    freedom = sum(len(paces) - 1 for paces in groups.values() if len(paces) >= 2)
    return math.sqrt(sum(d * d for d in deviations) / freedom) if freedom else None


def kick_decrement_pct(times_s: Sequence[float]) -> float:
    """Fitzsimons' percentage decrement over repeated sprints: ``100 * sum / (best * n) - 100``."""
    best = min(times_s)
    return 100.0 * sum(times_s) / (best * len(times_s)) - 100.0


def _kick_credit(kicks: Sequence[KickResult]) -> float:
    if not kicks:
        return 0.0
    fades = [k.fade_pct for k in kicks if math.isfinite(k.fade_pct)]
    if not fades:
        return 0.0
    worst = max(fades)
    return _linear_credit(worst, FADE_FULL_PCT, FADE_ZERO_PCT)


def _linear_credit(value: float | None, full_at: float, zero_at: float) -> float:
    """1 at or below ``full_at``, 0 at or above ``zero_at``, linear between; 0 when unknown."""
    if value is None or not math.isfinite(value):
        return 0.0
    return float(np.clip((zero_at - abs(value)) / (zero_at - full_at), 0.0, 1.0))


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
    origin = _distance_at(cols, start_s)
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


def _mean(time: np.ndarray, values: np.ndarray, start_s: float, end_s: float) -> float:
    """Time-weighted mean of ``values`` over ``[start_s, end_s]``, interpolated at the edges."""
    inside = _inside(time, start_s, end_s, closed=False)
    t = np.concatenate([[start_s], time[inside], [end_s]])
    v = np.concatenate([[np.interp(start_s, time, values)], values[inside], [np.interp(end_s, time, values)]])
    return float(np.trapezoid(v, t) / (end_s - start_s)) if end_s > start_s else math.nan


def _distance_at(cols: GridColumns, when_s: float) -> float:
    return float(np.interp(when_s, cols.time_s, cols.distance_m))


def _distance_between(cols: GridColumns, start_s: float, end_s: float) -> float:
    return _distance_at(cols, end_s) - _distance_at(cols, start_s)


def _gps_distance_between(cols: GridColumns, start_s: float, end_s: float) -> float:
    """The watch's own distance over a window (before any track correction) [m]."""
    values = cols.gps_distance_m
    return float(np.interp(end_s, cols.time_s, values) - np.interp(start_s, cols.time_s, values))


def _distance_error(
    cols: GridColumns, track: TrackCorrection | None, start_s: float, end_s: float, measured_m: float
) -> float | None:
    """Error estimate of a distance measured on the track [m]; None off the track or uncorrected."""
    if track is None or cols.on_track is None:
        return None
    inside = _inside(cols.time_s, start_s, end_s)
    on = cols.on_track
    if inside.stop == inside.start or on[inside].mean() < ON_TRACK_SHARE:
        return None
    return track.distance_error_m(measured_m)


def _time_at_fraction(cols: GridColumns, start_s: float, end_s: float, fraction: float) -> float:
    """When the watch's distance had covered ``fraction`` of its distance over the window [s]."""
    time = cols.time_s
    inside = _inside(time, start_s, end_s)
    distance = cols.distance_m
    d0, d1 = _distance_at(cols, start_s), _distance_at(cols, end_s)
    if inside.stop == inside.start or d1 <= d0 or not math.isfinite(d1 - d0):
        return start_s + fraction * (end_s - start_s)
    target = d0 + fraction * (d1 - d0)
    t = np.concatenate([[start_s], time[inside], [end_s]])
    d = np.maximum.accumulate(np.concatenate([[d0], distance[inside], [d1]]))
    return float(np.interp(target, d, t))


def _window_values(cols: GridColumns, values: np.ndarray | None, start_s: float, end_s: float) -> np.ndarray:
    """``values`` over ``[start_s, end_s]``; one NaN when there are none (or no such column)."""
    if values is None:
        return np.array([np.nan])
    inside = _inside(cols.time_s, start_s, end_s)
    return values[inside] if inside.stop > inside.start else np.array([np.nan])


def _inside(time: np.ndarray, start_s: float, end_s: float, *, closed: bool = True) -> slice:
    """The samples of the sorted grid ``time`` in ``[start_s, end_s]`` (``closed=False``:
    strictly between the two), as a slice [s]."""
    first = int(np.searchsorted(time, start_s, side="left" if closed else "right"))
    stop = int(np.searchsorted(time, end_s, side="right" if closed else "left"))
    return slice(first, max(stop, first))


def _value_at(cols: GridColumns, values: np.ndarray | None, when_s: float) -> float:
    if values is None or when_s > cols.time_s[-1]:
        return math.nan
    finite = np.isfinite(values)
    return float(np.interp(when_s, cols.time_s[finite], values[finite])) if finite.any() else math.nan


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
