"""The independent evaluation set (bench/independent.py): every situation draws the same images for a seed, a
smaller count gives a prefix, labels are of the situation's kind, and every image decodes.

The recognizer's accuracy on it is not tested here: run ``python bench/independent.py`` for the table.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bench import independent
from bench.situations import Outcome, Sample
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


@pytest.mark.parametrize("situation", [s for s in SITUATIONS if s.values[0] in ("numbers_paper", "numbers_photo")])
def test_numbers_of_mnist_digits_carry_each_digit_alone_on_white_paper(situation, samples):
    for sample in samples:
        assert len(sample.digits) == len(sample.label)
        for data in sample.digits:
            gray = decode_image(data).gray
            assert gray.min() < 0.3  # the digit's ink
            assert gray[0].min() == gray[-1].min() == gray[:, 0].min() == gray[:, -1].min() == 1.0  # a white margin


def test_alone_summary_tells_the_classifiers_errors_from_the_readings():
    class ReadsBytes:
        """A recognizer stub that reads a digit's bytes as the digit."""

        def predict(self, data: bytes) -> SimpleNamespace:
            return SimpleNamespace(digit=int(data))

    def outcome(label: str, alone: str, correct: bool) -> Outcome:
        sample = Sample(b"", label, "", tuple(digit.encode() for digit in alone))
        return Outcome(sample, label if correct else "", "ok", correct, 0.0)

    outcomes = [
        outcome("12", "12", True),
        outcome("34", "34", False),  # the number misread, each digit read right alone
        outcome("56", "58", False),  # a digit misread alone too
        outcome("78", "71", True),  # read right in place, though a digit is misread alone
    ]
    line, misread = independent.alone_summary(ReadsBytes(), outcomes)
    assert misread == {2}
    assert "2 of 4 numbers" in line and "of the 2 read wrong, 1 have a digit misread alone" in line
    notes = independent.failure_notes("numbers_paper", outcomes, misread)
    assert len(notes) == 2 and notes[1].endswith("a digit misread alone too") and "alone" not in notes[0]
