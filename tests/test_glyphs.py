"""Typed characters in MNIST form, for the 'not a digit' check."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from digitrec import glyphs

FONTS = glyphs.font_files()
needs_fonts = pytest.mark.skipif(not FONTS, reason="no fonts installed (make system-deps)")


def test_no_character_a_hand_writes_like_a_digit_is_taken_for_a_shape():
    assert not set("0123456789OoQIlij!|/SsZzBbGgqЗЧБЭ") & set(glyphs.NOT_DIGITS)
    assert len(set(glyphs.NOT_DIGITS)) == len(glyphs.NOT_DIGITS)


@needs_fonts
def test_glyphs_come_out_as_mnist_images():
    font = next(path for path in FONTS if path.name == "DejaVuSans.ttf")
    drawn = list(glyphs.render("A7☺", [font]))
    assert [character for _, character, _ in drawn] == ["A", "7", "☺"]
    for image, _, name in drawn:
        assert image.shape == (28, 28) and image.dtype == np.float32 and name == "DejaVuSans.ttf"
        assert image.min() >= 0.0 and image.max() == pytest.approx(1.0, abs=0.05)
        rows, cols = np.flatnonzero(image.max(axis=1) > 0.1), np.flatnonzero(image.max(axis=0) > 0.1)
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 <= 22  # fitted into 20x20, as MNIST's digits


@needs_fonts
def test_characters_a_font_lacks_are_skipped():
    # Liberation has no star: drawn, it would be the font's 'missing' box, not the shape asked for.
    font = next(path for path in FONTS if path.name == "LiberationSans-Regular.ttf")
    assert [character for _, character, _ in glyphs.render("A★", [font])] == ["A"]


def test_no_fonts_no_glyphs(tmp_path: Path):
    assert glyphs.font_files(tmp_path) == []
    assert list(glyphs.render("A", [])) == []


@pytest.mark.training
def test_training_the_check_without_its_fonts_fails_at_once(monkeypatch):
    pytest.importorskip("tensorflow")
    from digitrec import gate
    from digitrec.errors import FontsMissing

    monkeypatch.setattr(glyphs, "font_files", lambda folder=glyphs.FONT_DIR: [])
    with pytest.raises(FontsMissing, match="make system-deps"):
        gate.training_fonts()
    if FONTS:
        monkeypatch.setattr(glyphs, "font_files", lambda folder=glyphs.FONT_DIR: FONTS)
        assert gate.training_fonts() == FONTS
