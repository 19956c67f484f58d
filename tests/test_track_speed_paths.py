"""The track stage's fast paths give the numbers of the plain computations they replace: numpy's
median and quantile, the centre search's score per centre, the derivatives of the fit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hardkick_analyze import trackshape
from hardkick_analyze.track import stadium_offset_m
from hardkick_analyze.track.lanes import trimmed_mean
from hardkick_analyze.track.recognise import _could_be_on_one_track, _residuals
from hardkick_analyze.track.search import SEARCH_TRUNCATION_M, _search, to_axis_frame
from hardkick_analyze.units import median, nan_as_zero, quantile, quantiles


def _samples(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(size=n) * scale for n in (1, 2, 3, 4, 7, 50, 699, 700) for scale in (1e-3, 1.0, 1e3)]
    return arrays + [np.round(a, 1) for a in arrays] + [np.array([-0.0, -0.0]), np.array([-0.0])]


@pytest.mark.parametrize("seed", [0, 1])
def test_median_is_numpys_to_the_bit(seed):
    for values in _samples(seed):
        expected = float(np.median(values))
        assert median(values) == expected
        assert math.copysign(1.0, median(values)) == math.copysign(1.0, expected)
    assert math.isnan(median(np.array([1.0, np.nan, 2.0])))


@pytest.mark.parametrize("seed", [0, 1])
def test_quantile_is_numpys_to_the_bit(seed):
    for values in _samples(seed):
        for q in (0.0, 0.2, 1.0 - 0.2, 0.5, 0.9, 1.0):
            assert quantile(values, q) == float(np.quantile(values, q))
    assert math.isnan(quantile(np.array([1.0, np.nan, 2.0]), 0.5))


@pytest.mark.parametrize("seed", [0, 1])
def test_quantiles_are_numpys_to_the_bit(seed):
    qs = (0.2, 1.0 - 0.2, 0.0, 0.9, 1.0, 0.5)
    for values in _samples(seed):
        assert quantiles(values, qs) == tuple(float(np.quantile(values, q)) for q in qs)
    assert all(math.isnan(q) for q in quantiles(np.array([1.0, np.nan, 2.0]), (0.2, 0.8)))


@pytest.mark.parametrize("seed", [0, 1])
def test_trimmed_mean_is_the_mean_between_numpys_quantiles(seed):
    for values in _samples(seed):
        low, high = np.quantile(values, [0.2, 0.8])
        inside = values[(values >= low) & (values <= high)]
        assert trimmed_mean(values) == (float(np.mean(inside)) if len(inside) else float(np.median(values)))


def test_a_position_without_coordinates_is_nowhere_on_the_track():
    s, offset = trackshape.project_xy_m(np.array([np.nan, 0.0]), np.array([np.nan, -36.8]))
    assert math.isnan(s[0]) and math.isnan(offset[0])
    assert s[1] == pytest.approx(trackshape.lap_length_m(1) - trackshape.STRAIGHT_M / 2.0)
    assert offset[1] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_the_centre_search_finds_the_centre_scored_best_in_double_precision(seed):
    rng = np.random.default_rng(seed)
    s = rng.uniform(0.0, 400.0, 150)
    u, v = trackshape.position_xy_m(s, offset_m=rng.normal(0.0, 3.0 + seed, 150))
    # A third of the positions elsewhere (roads), the track's centre off the grid's.
    u[:50], v[:50] = rng.uniform(-150.0, 150.0, 50), rng.uniform(-100.0, 100.0, 50)
    # Two searches at once (two bearings): the track's centre off the grid's by different amounts.
    centres = rng.uniform(-10.0, 10.0, (2, 2))
    u, v = u + centres[:, :1], v + centres[:, 1:]
    along, across = np.arange(-30.0, 30.1, 6.0), np.arange(-21.0, 21.1, 6.0)
    score, cu, cv = _search(u, v, np.stack([along, along + 1.0]), np.stack([across, across - 1.0]))
    for k, (a_k, c_k) in enumerate([(along, across), (along + 1.0, across - 1.0)]):
        grid = [(a, c) for a in a_k for c in c_k]
        plain = [
            np.mean(np.minimum(stadium_offset_m(u[k] - a, v[k] - c) ** 2, SEARCH_TRUNCATION_M**2)) for a, c in grid
        ]
        best = int(np.argmin(plain))
        assert (cu[k], cv[k]) == grid[best]
        assert score[k] == pytest.approx(plain[best], rel=1e-12)


def test_the_fits_jacobian_is_the_derivative_of_the_offsets_one_parameter_at_a_time():
    rng = np.random.default_rng(4)
    x, y = rng.uniform(-120.0, 120.0, 300), rng.uniform(-80.0, 80.0, 300)
    params = np.array([3.0, -2.0, 0.4, 1.01, 1.5])

    def plain(p: np.ndarray) -> np.ndarray:
        u, v = to_axis_frame(x, y, p)
        return stadium_offset_m(u, v, float(p[3])) - p[4]

    residual, jacobian = _residuals(params, x, y)
    assert np.array_equal(residual, plain(params))
    for k, step in enumerate([1e-5, 1e-5, 1e-7, 1e-7, 1e-5]):
        up, down = params.copy(), params.copy()
        up[k] += step
        down[k] -= step
        central = (plain(up) - plain(down)) / (2.0 * step)
        assert np.allclose(jacobian[:, k], central, rtol=1e-5, atol=1e-6)


def test_a_road_run_is_no_track_before_any_search():
    along = np.linspace(0.0, 5000.0, 1500)
    assert not _could_be_on_one_track(along * 0.6, along * 0.8)


@pytest.mark.parametrize("far_m", [300.0, 2000.0])
def test_fast_running_mostly_on_a_track_always_could_be(far_m):
    # 60 % of the fast positions on the track's outermost lane and gate, the rest in one place
    # far away: the medians fall on the track's side, and the track is not ruled out.
    rng = np.random.default_rng(5)
    s = rng.uniform(0.0, 400.0, 600)
    x, y = trackshape.position_xy_m(s, offset_m=trackshape.lane_offset_m(8) + 14.0)
    east = np.concatenate([x + 500.0, np.full(400, 500.0 + far_m)])
    north = np.concatenate([y - 300.0, np.full(400, -300.0 - far_m)])
    assert _could_be_on_one_track(east, north)


def test_nan_as_zero_is_numpys_nan_to_num_to_the_bit():
    values = np.array([1.5, np.nan, -0.0, 0.0, -2.0, np.nan])
    assert nan_as_zero(values).tobytes() == np.nan_to_num(values).tobytes()
    infinite = np.array([np.inf, np.nan, -np.inf, 3.0])
    assert nan_as_zero(infinite).tobytes() == np.nan_to_num(infinite).tobytes()
    # A new array: the one given keeps its NaN.
    assert np.isnan(values[1]) and nan_as_zero(values) is not values
