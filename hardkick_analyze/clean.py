"""Put an activity on a uniform time grid and undo the device's lag.

Smart recording leaves 1-7 s between samples and auto-pause leaves holes; the segmenter wants
one sample every :data:`GRID_STEP_S`. Watches also report speed and distance late (the speed is
filtered on the device: in the corpus the speed channel trails the GPS positions by 1.5 s on a
Fenix 3 and up to 5.5 s on a COROS), which would put every boundary late by as much. The lags
are measured, not assumed: each channel is cross-correlated with the speed implied by the GPS
positions, which carry noise but no lag, and shifted back by its best lag.

The speed the segmenter times boundaries on is the derivative of the lag-corrected distance:
unlike the speed channel it is not low-passed by the watch, so ramps keep their shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .geo import local_xy_m
from .models import Activity
from .units import median

__all__ = ["GRID_STEP_S", "SessionGrid", "distance_speeds", "make_grid", "position_origin_deg", "rolling_mean"]

#: Spacing of the uniform grid [s].
GRID_STEP_S = 0.5
#: Holes in the recording longer than this are treated as stopped (auto-pause) [s].
STOPPED_GAP_S = 10.0
#: Lags searched when aligning a channel to the position speed [s]. Real watches in the corpus
#: lag 1.5 s (Fenix 3) to 5.5 s (COROS); the Garmin FR920XT and FR645 about 4 s.
MAX_LAG_S = 8.0
#: Position speed is this noisy per sample; smooth it over this window before correlating [s].
POSITION_SPEED_WINDOW_S = 3.0
#: Smoothing of the distance derivative: device distance is clean, distance summed from raw
#: GPS positions (a GPX file) is not [s].
DEVICE_DISTANCE_SPEED_WINDOW_S = 2.0
DERIVED_DISTANCE_SPEED_WINDOW_S = 4.0
DERIVED_RAW_SPEED_WINDOW_S = 2.0
#: A lag is only trusted when the correlation at the best lag is at least this.
MIN_LAG_CORRELATION = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionGrid:
    """The activity resampled every ``dt_s`` seconds.

    ``frame`` is indexed by ``elapsed_s`` (seconds since the first record) and holds
    ``distance_m`` (device or derived, lag-corrected, held through pauses), ``speed_mps`` (the
    best speed: the derivative of ``distance_m`` smoothed over 2 s, or the lag-corrected speed
    channel without a distance), ``raw_speed_mps`` (the same unsmoothed), ``device_speed_mps``
    (the speed channel, lag-corrected), ``position_speed_mps`` (from GPS positions, NaN without
    them), ``x_m``/``y_m`` (local east/north position, interpolated between fixes),
    ``position_recorded`` (the grid point nearest a recorded position: between sparse fixes the
    interpolated positions cut the bends of a track), ``heart_rate_bpm``, ``cadence_spm`` and any
    running-dynamics channel, and ``stopped`` (inside a timer pause or a long recording hole).
    """

    frame: pd.DataFrame
    dt_s: float
    sample_interval_s: float
    speed_window_s: float
    speed_source: str
    speed_lag_s: float
    distance_lag_s: float
    lag_correlation: float | None

    @property
    def time_s(self) -> np.ndarray:
        """Grid times [s]."""
        return self.frame.index.to_numpy()


def make_grid(activity: Activity, dt_s: float = GRID_STEP_S) -> SessionGrid:
    """Resample an activity onto a uniform grid and undo the lags of its speed and distance.

    Parameters
    ----------
    activity
        As returned by :func:`hardkick_analyze.read_activity`; not modified.
    dt_s
        Grid spacing [s].
    """
    track = activity.track
    elapsed = track["elapsed_s"].to_numpy()
    grid_s = np.arange(0.0, elapsed[-1] + dt_s / 2, dt_s)
    stopped = _stopped_mask(activity, elapsed, grid_s)
    sources = activity.metadata.channel_sources
    columns: dict[str, np.ndarray] = {}

    origin = position_origin_deg(track)
    has_positions = origin is not None
    columns.update(_position_columns(track, origin, elapsed, grid_s, stopped, dt_s))
    position_speed = columns["position_speed_mps"]

    distance = _interp(elapsed, track["distance_m"].to_numpy(), grid_s)
    distance_lag = 0.0
    distance_speed = np.where(stopped, 0.0, np.gradient(distance, dt_s))
    if sources.get("distance_m") == "device" and has_positions:
        distance_lag, _ = estimate_lag(distance_speed, position_speed, dt_s)
    distance = _shift(distance, distance_lag, dt_s)
    derived = sources.get("distance_m") == "derived"
    window = DERIVED_DISTANCE_SPEED_WINDOW_S if derived else DEVICE_DISTANCE_SPEED_WINDOW_S
    distance_speed, raw_distance_speed = distance_speeds(distance, stopped, dt_s, derived=derived)
    columns["distance_m"] = distance

    speed_source = sources.get("speed_mps", "absent")
    device_speed = np.where(stopped, 0.0, _interp(elapsed, track["speed_mps"].to_numpy(), grid_s))
    lag_s, correlation = 0.0, None
    if speed_source == "device" and has_positions:
        lag_s, correlation = estimate_lag(device_speed, position_speed, dt_s)
    columns["device_speed_mps"] = np.clip(_shift(device_speed, lag_s, dt_s), 0.0, None)
    has_distance = bool(np.isfinite(distance).any())
    columns["speed_mps"] = distance_speed if has_distance else columns["device_speed_mps"]
    columns["raw_speed_mps"] = raw_distance_speed if has_distance else columns["device_speed_mps"]

    for name in track.columns:
        if name in ("elapsed_s", "distance_m", "speed_mps", "lat_deg", "lon_deg"):
            continue
        columns[name] = _interp(elapsed, track[name].to_numpy(), grid_s, hold=True)
    columns["stopped"] = stopped
    frame = pd.DataFrame(columns, index=pd.Index(grid_s, name="elapsed_s"))
    return SessionGrid(
        frame=frame,
        dt_s=dt_s,
        sample_interval_s=activity.metadata.recording_interval_s or 1.0,
        speed_window_s=window if has_distance else 0.0,
        speed_source=f"{sources.get('distance_m')} distance" if has_distance else f"{speed_source} speed",
        speed_lag_s=lag_s,
        distance_lag_s=distance_lag,
        lag_correlation=correlation,
    )


def _position_columns(
    track: pd.DataFrame,
    origin: tuple[float, float] | None,
    elapsed: np.ndarray,
    grid_s: np.ndarray,
    stopped: np.ndarray,
    dt_s: float,
) -> dict[str, np.ndarray]:
    """Local ``x_m``/``y_m`` (about ``origin``, :func:`position_origin_deg`) on the grid, the speed
    they give (0 when stopped, smoothed) and whether a fix was recorded at each grid time; NaN
    (and no fixes) without positions."""
    recorded = np.zeros(len(grid_s), dtype=bool)
    if origin is None:
        nan = np.full(len(grid_s), np.nan)
        return {"x_m": nan, "y_m": nan.copy(), "position_speed_mps": nan.copy(), "position_recorded": recorded}
    valid = track["lat_deg"].notna().to_numpy() & track["lon_deg"].notna().to_numpy()
    lat, lon = track["lat_deg"].to_numpy()[valid], track["lon_deg"].to_numpy()[valid]
    x, y = local_xy_m(lat, lon, *origin)
    x_m, y_m = _interp(elapsed[valid], x, grid_s), _interp(elapsed[valid], y, grid_s)
    recorded[np.clip(np.round(elapsed[valid] / dt_s).astype(np.int64), 0, len(grid_s) - 1)] = True
    speed = np.hypot(np.gradient(x_m, dt_s), np.gradient(y_m, dt_s))
    speed = rolling_mean(np.where(stopped, 0.0, speed), POSITION_SPEED_WINDOW_S / dt_s)
    return {"x_m": x_m, "y_m": y_m, "position_speed_mps": speed, "position_recorded": recorded}


def distance_speeds(
    distance_m: np.ndarray, stopped: np.ndarray, dt_s: float, *, derived: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The speeds the analysis times boundaries on, from a cumulative distance on the grid [m/s].

    Parameters
    ----------
    distance_m
        Cumulative distance on the grid [m].
    stopped
        Grid points inside a pause (speed 0 there).
    dt_s
        Grid spacing [s].
    derived
        Whether the distance was summed from GPS positions (smoothed more) rather than measured
        by the device.

    Returns
    -------
    speed_mps, raw_speed_mps
        The derivative smoothed over :data:`DEVICE_DISTANCE_SPEED_WINDOW_S` (or
        :data:`DERIVED_DISTANCE_SPEED_WINDOW_S`), and the unsmoothed one for metrics that define
        their own smoothing (a kick's peak over 2 s); both clipped at 0.
    """
    window = DERIVED_DISTANCE_SPEED_WINDOW_S if derived else DEVICE_DISTANCE_SPEED_WINDOW_S
    raw = np.where(stopped, 0.0, np.gradient(distance_m, dt_s))
    smooth = rolling_mean(raw, window / dt_s)
    # A distance summed from raw GPS positions is too jittery to use unsmoothed.
    if derived:
        raw = rolling_mean(raw, DERIVED_RAW_SPEED_WINDOW_S / dt_s)
    return np.clip(smooth, 0.0, None), np.clip(raw, 0.0, None)


def position_origin_deg(track: pd.DataFrame) -> tuple[float, float] | None:
    """Origin of the grid's local ``x_m``/``y_m`` frame: the median position [deg], None without GPS."""
    lat, lon = track["lat_deg"].to_numpy(dtype=np.float64), track["lon_deg"].to_numpy(dtype=np.float64)
    valid = ~np.isnan(lat) & ~np.isnan(lon)
    if valid.sum() < 2:
        return None
    return median(lat[valid]), median(lon[valid])


def estimate_lag(device_speed: np.ndarray, reference_speed: np.ndarray, dt_s: float) -> tuple[float, float]:
    """Delay of ``device_speed`` behind ``reference_speed`` [s], and the correlation there.

    Searches 0 to :data:`MAX_LAG_S` on the grid, refines the peak with a parabola, and returns
    a lag of 0 when the best correlation is below :data:`MIN_LAG_CORRELATION`.
    """
    valid = np.isfinite(device_speed) & np.isfinite(reference_speed)
    a = np.where(valid, device_speed, 0.0)
    b = np.where(valid, reference_speed, 0.0)
    a = np.where(valid, a - a[valid].mean(), 0.0) if valid.any() else a
    b = np.where(valid, b - b[valid].mean(), 0.0) if valid.any() else b
    max_shift = round(MAX_LAG_S / dt_s)
    scores = np.array([_correlation(a[shift:], b[: len(b) - shift]) for shift in range(max_shift + 1)])
    best = int(np.nanargmax(scores)) if np.isfinite(scores).any() else 0
    peak = float(scores[best]) if np.isfinite(scores[best]) else 0.0
    if peak < MIN_LAG_CORRELATION:
        return 0.0, peak
    offset = 0.0
    if 0 < best < max_shift:
        left, centre, right = scores[best - 1], scores[best], scores[best + 1]
        denominator = left - 2 * centre + right
        if denominator < 0:
            offset = 0.5 * (left - right) / denominator
    return (best + offset) * dt_s, peak


def rolling_mean(values: np.ndarray, window_samples: float) -> np.ndarray:
    """Centred moving average over ``window_samples`` samples, NaN-aware, same length."""
    width = max(round(window_samples), 1)
    if width == 1:
        return values.astype(np.float64, copy=True)
    series = pd.Series(values)
    return series.rolling(width, center=True, min_periods=1).mean().to_numpy(dtype=np.float64)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    norm = float(np.sqrt(_dot(a, a) * _dot(b, b)))
    return float(_dot(a, b) / norm) if norm > 0 else np.nan


#: BLAS splits a dot product of more than 10,000 terms between threads: its sum then depends on
#: the machine's core count, and on a busy machine the threads wait for each other (seconds on a
#: three-hour session). Longer products are summed in parts of this many terms, on one thread.
_DOT_PART = 10_000


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """``np.dot(a, b)`` of two vectors, the same on every machine."""
    if len(a) <= _DOT_PART:
        return float(np.dot(a, b))
    return float(sum(np.dot(a[k : k + _DOT_PART], b[k : k + _DOT_PART]) for k in range(0, len(a), _DOT_PART)))


def _shift(values: np.ndarray, lag_s: float, dt_s: float) -> np.ndarray:
    """``values`` moved ``lag_s`` earlier (value at t becomes the value recorded at t + lag)."""
    if lag_s == 0.0:
        return values.copy()
    positions = np.arange(len(values)) + lag_s / dt_s
    return np.interp(positions, np.arange(len(values)), values)


def _interp(x: np.ndarray, y: np.ndarray, at: np.ndarray, *, hold: bool = False) -> np.ndarray:
    """Linear interpolation through the finite samples (nearest-sample hold with ``hold``)."""
    finite = np.isfinite(y)
    if finite.sum() == 0:
        return np.full(len(at), np.nan)
    if hold:
        index = np.clip(np.searchsorted(x[finite], at, side="right") - 1, 0, finite.sum() - 1)
        return y[finite][index]
    return np.interp(at, x[finite], y[finite])


def _stopped_mask(activity: Activity, elapsed: np.ndarray, grid_s: np.ndarray) -> np.ndarray:
    """Grid points inside a timer pause or a recording hole longer than :data:`STOPPED_GAP_S`."""
    stopped = np.zeros(len(grid_s), dtype=bool)
    for pause in activity.pauses:
        start, end = activity.seconds(pause.start_time), activity.seconds(pause.end_time)
        stopped |= (grid_s > start) & (grid_s < end)
    steps = np.diff(elapsed)
    for position in np.flatnonzero(steps > STOPPED_GAP_S):
        stopped |= (grid_s > elapsed[position]) & (grid_s < elapsed[position + 1])
    return stopped
