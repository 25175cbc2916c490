"""Typed characters in MNIST form: the shapes that are not digits, and digits, from the installed fonts.

The "not a digit" check (``gate``, trained beside a model) learns from these what a digit is not: letters,
signs and symbols that people draw or upload to see what the app does, each normalised exactly as an upload is.
Characters that a hand writes like a digit (O and 0, I and 1, S and 5, Z and 2, B and 8, G and b and 6, g and q
and 9, Cyrillic З and 3, Ч and 4...) are left out: for them, a digit is a fair answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitrec.normalize import normalize_digit

FONT_DIR = Path("/usr/share/fonts")
NOT_DIGITS = "ACDEFHJKLMNPRTUVWXYacdefhkmnprtuvwxyαβγελμπψωΓΔΛΠΣΦΨΩЖДФЯШЩЮИЛПЦЫ#@%&?+=*$<>~€£¥©§¶∞☺♥★✓✗→←↑↓♪☂☀"
DIGITS = "0123456789"
GLYPH_PX = 96  # the size glyphs are drawn at before normalisation (about MNIST's digits' 20 px, enlarged)
_MISSING = "\ue000"  # a private-use character: what a font draws for characters it lacks
# Handwriting-style fonts the check never learns from, kept to measure it on shapes drawn in a hand it never saw.
HELD_OUT_FONTS = ("Humor-Sans.ttf", "femkeklaver.ttf")


def font_files(folder: Path = FONT_DIR) -> list[Path]:
    """Every TrueType and OpenType font installed under ``folder``, in a stable order (math fonts left out: their
    glyphs are symbols at odd sizes)."""
    found = [path for pattern in ("*.ttf", "*.otf") for path in folder.rglob(pattern)]
    return sorted(path for path in found if "Math" not in path.name)


def _draw(character: str, font: ImageFont.FreeTypeFont) -> np.ndarray:
    canvas = Image.new("L", (2 * GLYPH_PX, 2 * GLYPH_PX), 0)
    ImageDraw.Draw(canvas).text((GLYPH_PX, GLYPH_PX), character, font=font, fill=255, anchor="mm")
    return np.asarray(canvas, dtype=np.float32) / 255.0


def _drawn(characters: Iterable[str], path: Path) -> Iterator[tuple[str, np.ndarray]]:
    """Each character the font at ``path`` draws, and its drawing: those it lacks, it draws as its 'missing' box
    (or nothing), and they are skipped."""
    font = ImageFont.truetype(str(path), GLYPH_PX)
    missing = _draw(_MISSING, font)
    for character in characters:
        drawn = _draw(character, font)
        if not np.array_equal(drawn, missing):
            yield character, drawn


def drawable(characters: Iterable[str], path: Path) -> str:
    """The characters the font at ``path`` draws."""
    return "".join(character for character, _ in _drawn(characters, path))


def render(characters: Iterable[str], fonts: Iterable[Path]) -> Iterator[tuple[np.ndarray, str, str]]:
    """(image, character, font file name) for each character each font draws (``drawable``): the image white on
    black, 28x28 in [0, 1], normalised as an upload is."""
    characters = list(characters)
    for path in fonts:
        for character, drawn in _drawn(characters, path):
            normalized = normalize_digit(drawn)
            if normalized is not None:
                yield normalized.image, character, path.name
