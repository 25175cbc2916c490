from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from digitrec import resample

METHODS = [Image.Resampling.BOX, Image.Resampling.BILINEAR, Image.Resampling.LANCZOS]
images = hnp.arrays(
    np.float32,
    st.tuples(st.integers(1, 80), st.integers(1, 80)),
    elements=st.floats(0, 1, width=32, allow_nan=False),
)


def pillows(image: np.ndarray, size: tuple[int, int], method: Image.Resampling) -> np.ndarray:
    return np.asarray(Image.fromarray(image, mode="F").resize(size, method))


@settings(max_examples=300, deadline=None)
@given(images, st.integers(1, 40), st.integers(1, 40), st.sampled_from(METHODS))
def test_a_resize_equals_pillows_up_to_float_rounding(image, width, height, method):
    resized = resample.resize(image, (width, height), method)
    assert resized.dtype == np.float32
    np.testing.assert_allclose(resized, pillows(image, (width, height), method), rtol=0, atol=2e-6)


@pytest.mark.parametrize("method", METHODS)
def test_the_same_size_leaves_an_image_as_it_is(method):
    image = np.random.default_rng(0).random((17, 23), dtype=np.float32)
    assert np.array_equal(resample.resize(image, (23, 17), method), image)


def test_weights_are_kept_and_cannot_be_changed():
    matrix = resample.weights(75, 16, Image.Resampling.BOX)
    assert matrix is resample.weights(75, 16, Image.Resampling.BOX)
    assert matrix.shape == (16, 75)
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=1e-6)  # a box filter averages
    with pytest.raises(ValueError):
        matrix[0, 0] = 1.0
