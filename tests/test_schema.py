"""The contract check itself must catch what it claims to."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hardkick_analyze.schema import CORE_COLUMNS, validate_track


def _frame(times, **columns):
    index = pd.DatetimeIndex(times, name="time")
    data = {c: np.zeros(len(index)) for c in CORE_COLUMNS}
    data["elapsed_s"] = (index - index[0]).total_seconds().to_numpy(dtype=float)
    data.update(columns)
    return pd.DataFrame(data, index=index)


def test_valid_frame_passes():
    assert validate_track(_frame(pd.date_range("2024-01-01", periods=3, freq="s", tz="UTC"))) == []


def test_naive_index_is_caught():
    problems = validate_track(_frame(pd.date_range("2024-01-01", periods=3, freq="s")))
    assert any("not UTC" in p for p in problems)


def test_repeated_time_is_caught():
    times = pd.DatetimeIndex(["2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z"])
    frame = _frame(times).assign(elapsed_s=[0.0, 0.5, 1.0])
    assert any("strictly increasing" in p for p in validate_track(frame))


def test_missing_column_unknown_column_and_bounds():
    frame = _frame(pd.date_range("2024-01-01", periods=3, freq="s", tz="UTC"), lat_deg=[0.0, 95.0, 0.0])
    frame = frame.drop(columns="power_w").assign(pace=1.0)
    problems = validate_track(frame)
    assert any("missing core columns: power_w" in p for p in problems)
    assert any("outside the glossary: pace" in p for p in problems)
    assert any("lat_deg outside" in p for p in problems)


def test_decreasing_distance_is_caught():
    frame = _frame(pd.date_range("2024-01-01", periods=3, freq="s", tz="UTC"), distance_m=[0.0, 5.0, 4.0])
    assert any("distance_m decreases" in p for p in validate_track(frame))
