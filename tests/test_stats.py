from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from digitrec import stats

floats = hnp.arrays(
    st.sampled_from([np.float32, np.float64]),
    st.integers(1, 300),
    elements=st.floats(-2, 2, width=32, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300, deadline=None)
@given(floats, st.lists(st.sampled_from([0, 1, 10, 50, 90, 99, 100, 37.5]), min_size=1, max_size=4))
def test_percentiles_equal_numpys_bit_for_bit(values, percents):
    expected = np.percentile(values, percents)
    assert stats.percentiles(values, tuple(percents)) == [float(value) for value in expected]


@settings(max_examples=300, deadline=None)
@given(floats, st.sampled_from([0, 1, 10, 50, 90, 99, 100, 37.5]))
def test_one_percentile_equals_numpys_bit_for_bit(values, percent):
    assert stats.percentile(values, percent) == float(np.percentile(values, percent))


@settings(max_examples=300, deadline=None)
@given(floats)
def test_median_equals_numpys_bit_for_bit(values):
    assert stats.median(values) == float(np.median(values))


@pytest.mark.parametrize("shape", [(28, 28), (75, 75), (1,), (2,)])
def test_images_as_the_normalisation_passes_them(shape):
    image = np.random.default_rng(0).random(shape, dtype=np.float32)
    assert stats.percentiles(image, (1, 50, 99)) == [float(v) for v in np.percentile(image, [1, 50, 99])]
    assert stats.percentile(image, 90) == float(np.percentile(image, 90))
    assert stats.median(image) == float(np.median(image))
    assert stats.median(np.abs(image - 0.3)) == float(np.median(np.abs(image - 0.3)))
