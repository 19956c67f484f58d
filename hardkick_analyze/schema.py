"""The normalized track: column names with units, their glossary, and the contract check.

Every reader returns a frame with a UTC-aware, strictly increasing ``DatetimeIndex`` named
``time`` and the :data:`CORE_COLUMNS` (NaN where the source has nothing); optional columns
appear only when the source records them. Units are in the names and converted once, in the
reader that owns the source's field map.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "CORE_COLUMNS",
    "GLOSSARY",
    "OPTIONAL_COLUMNS",
    "validate_track",
]

#: Column -> meaning [unit]. The order is the column order of every normalized track.
GLOSSARY: dict[str, str] = {
    "elapsed_s": "clock time since the first record, pauses included [s]",
    "distance_m": "cumulative distance as the device (or the reader) measured it [m]",
    "speed_mps": "instantaneous speed [m/s]",
    "lat_deg": "latitude, WGS84 [deg]",
    "lon_deg": "longitude, WGS84 [deg]",
    "elevation_m": "elevation above sea level [m]",
    "heart_rate_bpm": "heart rate [beats/min]",
    "cadence_spm": "running cadence, both feet [steps/min]",
    "power_w": "power [W]",
    # Optional: present only when the source records them.
    "cadence_rpm": "pedalling or other non-running cadence [rev/min]",
    "ground_contact_time_ms": "ground contact (stance) time [ms]",
    "ground_contact_balance_pct": "left-foot share of ground contact time [%]",
    "vertical_oscillation_mm": "vertical oscillation of the torso [mm]",
    "vertical_ratio_pct": "vertical oscillation / step length [%]",
    "step_length_m": "step length [m]",
    "temperature_c": "temperature measured by the device [degC]",
}

CORE_COLUMNS: tuple[str, ...] = (
    "elapsed_s",
    "distance_m",
    "speed_mps",
    "lat_deg",
    "lon_deg",
    "elevation_m",
    "heart_rate_bpm",
    "cadence_spm",
    "power_w",
)
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(c for c in GLOSSARY if c not in CORE_COLUMNS)

#: Plausibility bounds used by :func:`validate_track` (inclusive).
_BOUNDS: dict[str, tuple[float, float]] = {
    "lat_deg": (-90.0, 90.0),
    "lon_deg": (-180.0, 180.0),
    "speed_mps": (0.0, 200.0),
    "heart_rate_bpm": (0.0, 255.0),
    "distance_m": (0.0, 1e8),
}


def validate_track(track: pd.DataFrame) -> list[str]:
    """Check a frame against the normalized-track contract.

    Parameters
    ----------
    track
        A frame as returned in ``Activity.track``.

    Returns
    -------
    list of str
        Every violation found, one line each; empty when the frame honours the contract.
    """
    problems: list[str] = []
    index = track.index
    if not isinstance(index, pd.DatetimeIndex):
        return [f"index is {type(index).__name__}, not a DatetimeIndex"]
    if index.tz is None or str(index.tz) != "UTC":
        problems.append(f"index time zone is {index.tz}, not UTC")
    if not index.is_monotonic_increasing or not index.is_unique:
        problems.append("index is not strictly increasing")
    missing = [c for c in CORE_COLUMNS if c not in track.columns]
    if missing:
        problems.append(f"missing core columns: {', '.join(missing)}")
    unknown = [c for c in track.columns if c not in GLOSSARY]
    if unknown:
        problems.append(f"columns outside the glossary: {', '.join(unknown)}")
    for column in track.columns:
        if column in GLOSSARY and not np.issubdtype(track[column].dtype, np.floating):
            problems.append(f"{column} is {track[column].dtype}, not float")
    if "elapsed_s" in track.columns and len(track):
        elapsed = track["elapsed_s"].to_numpy()
        if elapsed[0] != 0.0 or np.any(np.diff(elapsed) <= 0):
            problems.append("elapsed_s does not start at 0 and increase")
    if "distance_m" in track.columns:
        distance = track["distance_m"].dropna().to_numpy()
        if np.any(np.diff(distance) < -1e-6):
            problems.append("distance_m decreases")
    for column, (low, high) in _BOUNDS.items():
        if column in track.columns:
            values = track[column].dropna()
            if ((values < low) | (values > high)).any():
                problems.append(f"{column} outside [{low}, {high}]")
    return problems
