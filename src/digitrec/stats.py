"""Percentiles and medians of small arrays, equal bit for bit to NumPy's, at a fraction of the cost.

``np.percentile`` and ``np.median`` spend most of their time on small arrays (a digit's thousands of pixels)
checking and dispatching around one ``np.partition``. The normalisation takes a handful of them per image, so
these do the same arithmetic directly: linear interpolation between the two order statistics around each
position, with NumPy's dtypes and its rule for weights at or above one half. ``tests/test_stats.py`` holds them
equal to NumPy's.
"""

from __future__ import annotations

import math

import numpy as np


def percentiles(values: np.ndarray, percents: tuple[float, ...]) -> list[float]:
    """``np.percentile(values, list(percents))`` (the linear method; the results in float64), as floats.

    ``values`` must be a non-empty float array without NaNs.
    """
    flat = np.asarray(values).ravel()
    last = flat.size - 1
    positions = [last * (percent / 100) for percent in percents]
    below = [last if position >= last else math.floor(position) for position in positions]
    above = [last if position >= last else index + 1 for position, index in zip(positions, below)]
    ordered = np.partition(flat, sorted({0, last, *below, *above}))
    results = []
    for position, low, high in zip(positions, below, above):
        a, b = ordered[low], ordered[high]
        gap = b - a  # in the values' own dtype, as NumPy takes it, before widening
        weight = position - low if position < last else 0.0
        if weight >= 0.5:
            results.append(float(np.float64(b) - np.float64(gap) * (1.0 - weight)))
        else:
            results.append(float(np.float64(a) + np.float64(gap) * weight))
    return results


def percentile(values: np.ndarray, percent: float) -> float:
    """``float(np.percentile(values, percent))`` for one percent (computed in the values' own dtype, as NumPy
    does for a scalar), for a non-empty float array without NaNs."""
    flat = np.asarray(values).ravel()
    last = flat.size - 1
    position = last * (percent / 100)
    low = last if position >= last else math.floor(position)
    high = last if position >= last else low + 1
    ordered = np.partition(flat, sorted({0, last, low, high}))
    a, b = ordered[low], ordered[high]
    gap = b - a
    weight = position - low if position < last else 0.0
    return float(b - gap * (1.0 - weight) if weight >= 0.5 else a + gap * weight)


def median(values: np.ndarray) -> float:
    """``float(np.median(values))`` (the mean of the two middle values, in the values' dtype, when their count
    is even), for a non-empty float array without NaNs."""
    flat = np.asarray(values).ravel()
    middle = flat.size // 2
    if flat.size % 2:
        return float(np.partition(flat, middle)[middle])
    ordered = np.partition(flat, [middle - 1, middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2)
