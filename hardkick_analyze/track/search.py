"""Candidates for the track's place: the bearings its straights may have, and the centre that
fits the fast running best for each (steps 1 and 2 of :mod:`.recognise`).

The centre search scores a truncated squared distance of the fast positions to lane 1's
running line, ``hypot(max(|u - cu| - 42.195, 0), v - cv) - R``, for every centre ``(cu, cv)``
of a grid in the frame of a candidate bearing. The first term depends only on the centre's
along-track place and the second only on its across-track place, so both are computed once per
row and column of the grid and only their sum, its root and the score per centre are computed
for every centre, in single precision; the centres whose score is within that precision's error
of the best are scored again in double precision, which picks the same centre as a search all
in double precision would. The search costs under a millisecond for all the bearings of a session.
"""

from __future__ import annotations

import math

import numpy as np

from .. import trackshape
from ..units import median
from .lanes import LANE1_RADIUS_M

__all__ = ["HALF_STRAIGHT_M", "best_candidate", "thin", "to_axis_frame"]

#: Half the length of a straight [m].
HALF_STRAIGHT_M = trackshape.STRAIGHT_M / 2.0
#: Positions used by the fine and the coarse centre search, at most this many (evenly thinned) [-].
MAX_SEARCH_POINTS = 400
COARSE_SEARCH_POINTS = 150
#: Centre search: half-widths along and across the candidate axis, the coarse and the fine
#: step [m].
SEARCH_ALONG_M = 70.0
SEARCH_ACROSS_M = 45.0
COARSE_STEP_M = 6.0
SEARCH_STEP_M = 2.0
#: Truncation of the squared distance in the centre search [m].
SEARCH_TRUNCATION_M = 6.0
#: A centre score in single precision is this close to its double-precision value, and far
#: closer (a position's error is below 1e-4 m**2 where it is not truncated; the sum's, in any
#: order of summation, below 150 x 2**-24 x 36 m**2 = 4e-4 m**2 of the mean) [m**2].
ROUGH_SCORE_ERROR_M2 = 0.01


def best_candidate(x: np.ndarray, y: np.ndarray, fast_idx: np.ndarray, dt_s: float) -> np.ndarray | None:
    """Centre, bearing, scale 1 and offset 0 of the best coarse candidate (None: no fast running).

    For each candidate bearing, centres are searched on a coarse grid with a few of the fast
    positions, then on a fine grid around the best with more of them; all the bearings at once.
    """
    if len(fast_idx) < 20:
        return None
    bearings = _candidate_bearings(x, y, fast_idx, dt_s)
    if not bearings:
        return None
    coarse = thin(fast_idx, COARSE_SEARCH_POINTS)
    fine = thin(fast_idx, MAX_SEARCH_POINTS)
    coarse_along = np.arange(-SEARCH_ALONG_M, SEARCH_ALONG_M + 1e-9, COARSE_STEP_M)
    coarse_across = np.arange(-SEARCH_ACROSS_M, SEARCH_ACROSS_M + 1e-9, COARSE_STEP_M)
    steps = np.arange(-COARSE_STEP_M, COARSE_STEP_M + 1e-9, SEARCH_STEP_M)
    u, v = _axis_frames(x[coarse], y[coarse], bearings)
    along = coarse_along + np.array([median(row) for row in u])[:, None]
    across = coarse_across + np.array([median(row) for row in v])[:, None]
    _, cu, cv = _search(u, v, along, across)
    u, v = _axis_frames(x[fine], y[fine], bearings)
    score, cu, cv = _search(u, v, cu[:, None] + steps, cv[:, None] + steps)
    # The first of the best, as the bearings come.
    k = int(np.argmin(score))
    bearing, best_u, best_v = bearings[k], float(cu[k]), float(cv[k])
    # Back from the axis frame to east/north.
    east = best_u * math.sin(bearing) - best_v * math.cos(bearing)
    north = best_u * math.cos(bearing) + best_v * math.sin(bearing)
    return np.array([east, north, bearing, 1.0, 0.0])


def _axis_frames(x: np.ndarray, y: np.ndarray, bearings: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """East/north [m] into the axis frame (:func:`to_axis_frame`) about the origin of each of
    ``bearings`` [rad]: bearings x positions [m]."""
    sin_b = np.array([[math.sin(b)] for b in bearings])
    cos_b = np.array([[math.cos(b)] for b in bearings])
    return x * sin_b + y * cos_b, -x * cos_b + y * sin_b


def _search(
    u: np.ndarray, v: np.ndarray, along: np.ndarray, across: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each bearing (a row of ``u``, ``v`` [m]), the centre among its ``along`` x ``across``
    whose line the positions fit best: its score and place [m**2, m, m]."""
    # Squared distance from the straights' segment: its along part per row of centres, its
    # across part per column; their sum for every centre and position.
    along_sq = np.maximum(np.abs(u[:, None, :] - along[:, :, None]) - HALF_STRAIGHT_M, 0.0)
    along_sq *= along_sq
    across_sq = v[:, None, :] - across[:, :, None]
    across_sq *= across_sq
    # Every centre scored in single precision, then those within its error of the best again
    # in double: the centre of a search all in double precision (the first of equals), in
    # about half its time.
    rough = _truncated(along_sq.astype(np.float32)[:, :, None, :] + across_sq.astype(np.float32)[:, None, :, :])
    # The mean summed by einsum, several times faster than np.mean over a short last axis; in
    # another order, which a single-precision score may be summed in (its error stays far below
    # ROUGH_SCORE_ERROR_M2). No BLAS: its threads would wait for each other on a busy machine.
    scores = np.einsum("...p->...", rough) / rough.shape[-1]
    near = scores <= scores.min(axis=(1, 2), keepdims=True) + ROUGH_SCORE_ERROR_M2
    score, best_along, best_across = (np.empty(len(u)) for _ in range(3))
    for b, candidates in enumerate(near):
        rows, columns = np.nonzero(candidates)
        exact = _truncated(along_sq[b, rows] + across_sq[b, columns]).mean(axis=1)
        k = int(np.argmin(exact))
        score[b], best_along[b], best_across[b] = exact[k], along[b, rows[k]], across[b, columns[k]]
    return score, best_along, best_across


def _truncated(squared_distance: np.ndarray) -> np.ndarray:
    """The truncated squared offset from lane 1's line of squared distances from the straights'
    segment [m**2], in their own precision (overwritten)."""
    offset = np.sqrt(squared_distance, out=squared_distance)
    offset -= LANE1_RADIUS_M
    offset *= offset
    return np.minimum(offset, SEARCH_TRUNCATION_M**2, out=offset)


def _candidate_bearings(x: np.ndarray, y: np.ndarray, fast_idx: np.ndarray, dt_s: float) -> list[float]:
    """Bearings the straights may have [rad]: peaks of the travel direction, the principal axis."""
    step = max(round(2.0 / dt_s), 1)
    later = fast_idx + step
    later = later[later < len(x)]
    start = later - step
    de, dn = x[later] - x[start], y[later] - y[start]
    length = np.hypot(de, dn)
    keep = np.isfinite(length) & (length > 3.0)
    bearings: list[float] = []
    if keep.sum() >= 10:
        direction = np.mod(np.degrees(np.arctan2(de[keep], dn[keep])), 180.0)
        counts = np.bincount(np.floor(direction).astype(int) % 180, minlength=180).astype(np.float64)
        # Circular smoothing over +-3 degrees: GPS wobbles the direction of a straight.
        kernel = np.ones(7)
        smooth = np.convolve(np.concatenate([counts[-3:], counts, counts[:3]]), kernel, mode="valid")
        for _ in range(3):
            peak = int(np.argmax(smooth))
            if smooth[peak] <= 0:
                break
            bearings.append(math.radians(peak + 0.5))
            smooth[np.arange(peak - 15, peak + 16) % 180] = 0.0
    px, py = x[fast_idx], y[fast_idx]
    finite = np.isfinite(px) & np.isfinite(py)
    if finite.sum() >= 3:
        cov = np.cov(np.vstack([px[finite], py[finite]]))
        values, vectors = np.linalg.eigh(cov)
        major = vectors[:, int(np.argmax(values))]
        bearings.append(math.atan2(major[0], major[1]) % math.pi)
    return bearings


def to_axis_frame(x: np.ndarray, y: np.ndarray, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """East/north [m] into (along the straights, across them) about the centre [m]; ``params``
    starts with the centre east and north [m] and the bearing [rad]."""
    de, dn = x - params[0], y - params[1]
    sin_b, cos_b = math.sin(params[2]), math.cos(params[2])
    return de * sin_b + dn * cos_b, -de * cos_b + dn * sin_b


def thin(indices: np.ndarray, at_most: int) -> np.ndarray:
    """At most ``at_most`` of ``indices``, evenly spread."""
    if len(indices) <= at_most:
        return indices
    return indices[np.linspace(0, len(indices) - 1, at_most).round().astype(int)]
