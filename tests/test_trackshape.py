"""The standard 400 m track: hand-checkable lengths, positions and the inverse projection."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardkick_analyze import trackshape as ts


def test_lane_1_is_400_m_on_a_line_30_cm_outside_the_kerb():
    assert ts.running_line_radius_m(1) == pytest.approx(36.80)
    # 2 * 84.39 + 2 * pi * 36.80 = 168.78 + 231.2212...
    assert ts.lap_length_m(1) == pytest.approx(400.00, abs=0.005)


def test_outer_lanes_are_measured_20_cm_outside_their_inner_line():
    # Lane 2: 36.50 + 1.22 + 0.20 = 37.92 m; the official 400 m stagger of lane 2 is 7.04 m.
    assert ts.running_line_radius_m(2) == pytest.approx(37.92)
    assert ts.lap_length_m(2) == pytest.approx(407.04, abs=0.005)
    assert ts.lap_length_m(2) - ts.lap_length_m(1) == pytest.approx(2 * np.pi * 1.12)
    # Each further lane adds 2 pi 1.22 = 7.67 m.
    assert ts.lap_length_m(8) - ts.lap_length_m(7) == pytest.approx(2 * np.pi * 1.22)
    assert ts.lane_offset_m(3) == pytest.approx(1.12 + 1.22)
    with pytest.raises(ValueError):
        ts.running_line_radius_m(0)


def test_positions_at_the_quarter_points_of_lane_1():
    radius, half = 36.80, 84.39 / 2
    bend = np.pi * radius
    lap = ts.lap_length_m(1)
    s = np.array([0.0, bend / 2, bend, bend + 84.39, 2 * bend + 84.39, lap - 84.39 / 2, lap])
    x, y = ts.position_xy_m(s)
    expected_x = [half, half + radius, half, -half, -half, 0.0, half]
    expected_y = [-radius, 0.0, radius, radius, -radius, -radius, -radius]
    np.testing.assert_allclose(x, expected_x, atol=1e-6)
    np.testing.assert_allclose(y, expected_y, atol=1e-6)


def test_offset_moves_points_outwards_and_heading_turns_anticlockwise():
    x, y = ts.position_xy_m(np.pi * 36.80 / 2, offset_m=1.0)  # apex of bend 1
    assert float(x) == pytest.approx(84.39 / 2 + 37.80)
    assert float(y) == pytest.approx(0.0, abs=1e-9)
    headings = ts.heading_rad(np.array([1.0, np.pi * 36.80 / 2, 150.0, 390.0]))
    np.testing.assert_allclose(headings, [1.0 / 36.80, np.pi / 2, np.pi, 0.0])


def test_lap_length_is_the_polyline_length_of_the_running_line():
    for lane in (1, 2, 5):
        s = np.linspace(0.0, ts.lap_length_m(lane), 200_001)
        x, y = ts.position_xy_m(s, lane=lane)
        assert np.hypot(np.diff(x), np.diff(y)).sum() == pytest.approx(ts.lap_length_m(lane), abs=1e-4)


@given(
    s=st.floats(min_value=0.0, max_value=399.999),
    offset=st.floats(min_value=-30.0, max_value=30.0),
    lane=st.integers(min_value=1, max_value=8),
)
def test_projection_inverts_position(s, offset, lane):
    s = s * ts.lap_length_m(lane) / 400.0
    x, y = ts.position_xy_m(s, lane=lane, offset_m=offset)
    back_s, back_offset = ts.project_xy_m(x, y, lane=lane)
    # The lap wraps: s just below a lap may come back as just above 0.
    wrapped = (float(back_s) - s + ts.lap_length_m(lane) / 2) % ts.lap_length_m(lane) - ts.lap_length_m(lane) / 2
    assert wrapped == pytest.approx(0.0, abs=1e-6)
    assert float(back_offset) == pytest.approx(offset, abs=1e-6)


def test_projection_is_vectorised_over_a_forward_run():
    s = np.arange(0.0, 400.0, 0.5)
    x, y = ts.position_xy_m(s, offset_m=0.4)
    back_s, back_offset = ts.project_xy_m(x, y)
    np.testing.assert_allclose(back_s, s, atol=1e-9)
    np.testing.assert_allclose(back_offset, 0.4, atol=1e-9)


def _same_numbers(a: np.ndarray, b: np.ndarray) -> bool:
    """The same numbers to the bit, the sign of a zero and NaN included."""
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("period", [ts.lap_length_m(1), 2.0 * np.pi, 3.0])
def test_wrapped_is_numpys_mod_to_the_bit(period):
    rng = np.random.default_rng(7)
    tiny = np.finfo(np.float64).eps * period
    edges = np.array([0.0, -0.0, -period, period, 2.0 * period, -tiny, tiny, period - tiny, -period + tiny, np.nan])
    inside = rng.uniform(-period, 2.0 * period, 2000)
    far = np.concatenate([inside, [5.0 * period, -3.5 * period, np.inf]])
    for values in (edges, inside, far, np.float64(-0.0)):
        with np.errstate(invalid="ignore"):
            assert _same_numbers(np.asarray(ts.wrapped(values, period)), np.asarray(np.mod(values, period)))
    # A new array, never the one given.
    values = np.array([1.0, 2.0])
    assert ts.wrapped(values, period) is not values
