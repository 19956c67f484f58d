"""Reductions over many segments of one array at once: the array programs of the segmenter.

A *segment* is a run ``values[first:stop]``; the segmenter asks for the sum, extreme, median or
quantile of hundreds of overlapping ones (every effort at every threshold, every island at every
water level). Each function here answers for all of them with the same numbers as the
one-segment numpy call, to the last bit (sums: to rounding, see :func:`segment_reduce`): sums
and extremes in one pass over the array, medians and quantiles of the few tens of runs (the
efforts a plan is matched against) one partition each.
"""

from __future__ import annotations

import numpy as np

from ..units import median, quantile

__all__ = [
    "run_medians",
    "run_quantiles",
    "segment_members",
    "segment_reduce",
    "unique_pairs",
]


def segment_reduce(ufunc: np.ufunc, values: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(values[first[k]:stop[k]])`` for every k; NaN where the segment is empty.

    Extremes are exact; a sum adds a segment's values one after the other, where ``np.sum``
    adds them pairwise, so the two can differ in the last bit.
    """
    out = np.full(len(first), np.nan)
    full = stop > first
    if full.any():
        bounds = np.empty(2 * int(full.sum()), dtype=np.intp)
        bounds[0::2], bounds[1::2] = first[full], stop[full]
        # One pass for every segment; the appended sample lets a segment end at the last one.
        out[full] = ufunc.reduceat(np.append(values, 0.0), bounds)[0::2]
    return out


def segment_members(first: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every sample of every segment ``[first[k], stop[k])``: (segment number, sample index)."""
    lengths = np.maximum(stop - first, 0)
    owner = np.repeat(np.arange(len(first)), lengths)
    # Sample i of the whole list is sample i - offset of its segment, from that segment's first:
    # one repeat of the per-segment shift, no gather through ``owner``.
    shift = first - (np.cumsum(lengths) - lengths)
    return owner, np.arange(len(owner)) + np.repeat(shift, lengths)


def run_medians(values: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """``np.median(values[first[k]:stop[k]])`` for every k (the same numbers); NaN where the run
    is empty. A partition per run: for tens of runs, cheaper than gathering their samples."""
    runs = zip(first.tolist(), stop.tolist(), strict=True)
    return np.array([median(values[a:b]) if b > a else np.nan for a, b in runs], dtype=np.float64)


def run_quantiles(values: np.ndarray, first: np.ndarray, stop: np.ndarray, q: float) -> np.ndarray:
    """``np.quantile(values[first[k]:stop[k]], q)`` for every k (the same numbers); NaN where the
    run is empty."""
    runs = zip(first.tolist(), stop.tolist(), strict=True)
    return np.array([quantile(values[a:b], q) if b > a else np.nan for a, b in runs], dtype=np.float64)


def unique_pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(np.stack([first, second]), axis=1, return_inverse=True)`` without its overhead
    (a tenth of the time): the distinct ``(first, second)`` pairs as columns, sorted by ``first``
    then ``second``, and each pair's column among them."""
    order = np.lexsort((second, first))
    a, b = first[order], second[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    inverse = np.empty(len(order), dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return np.stack([a[new], b[new]]), inverse
