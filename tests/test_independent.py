"""The independent evaluation set (bench/independent.py): every situation draws the same images for a seed, a
smaller count gives a prefix, labels are of the situation's kind, and every image decodes.

The recognizer's accuracy on it is not tested here: run ``python bench/independent.py`` for the table.
"""

from __future__ import annotations

import pytest

from bench import independent
from bench.situations import Sample
from digitrec.data import Split
from digitrec.imaging import decode_image

USES_FONTS = ("typed", "boxed", "numbers_typed")
SITUATIONS = [
    pytest.param(situation, marks=() if situation in independent.WITHOUT_MNIST else pytest.mark.mnist)
    for situation in independent.SITUATIONS
]


@pytest.fixture(scope="module")
def drawn() -> dict[str, list[Sample]]:
    """Two samples of each situation, drawn once for the module."""
    return {}


@pytest.fixture
def split(situation: str, request: pytest.FixtureRequest) -> Split | None:
    """The MNIST test split for the situations that draw MNIST digits (skipped without it), else None; skipped
    where the situation types digits and the fonts are not installed."""
    if situation in USES_FONTS:
        missing = [font.name for font in independent.FONTS if not font.is_file()]
        if missing:
            pytest.skip(f"fonts not installed (make system-deps): {', '.join(missing)}")
    return None if situation in independent.WITHOUT_MNIST else request.getfixturevalue("mnist_test")


@pytest.fixture
def samples(situation: str, split: Split | None, drawn: dict[str, list[Sample]]) -> list[Sample]:
    """The first two samples of ``situation`` at seed 0."""
    if situation not in drawn:
        drawn[situation] = independent.generate(split, situation, 2)
    return drawn[situation]


@pytest.mark.parametrize("situation", SITUATIONS)
def test_same_seed_draws_the_same_images_and_a_smaller_count_is_a_prefix(situation, split, samples):
    again = independent.generate(split, situation, 1)
    assert [sample.data for sample in again] == [samples[0].data]
    assert again[0].label == samples[0].label
    assert samples[0].data != samples[1].data


@pytest.mark.parametrize("situation", SITUATIONS)
def test_labels_are_of_the_situations_kind(situation, samples):
    kind = independent.kind(situation)
    for sample in samples:
        if kind == "digit":
            assert len(sample.label) == 1 and sample.label.isdigit()
        elif kind == "number":
            assert 2 <= len(sample.label) <= 6 and sample.label.isdigit()
        else:
            assert sample.label == ""


@pytest.mark.parametrize("situation", SITUATIONS)
def test_images_decode(situation, samples):
    for sample in samples:
        decoded = decode_image(sample.data)
        assert decoded.format in ("PNG", "JPEG")
        assert decoded.width > 0 and decoded.height > 0
