"""Evaluation set: digits as people really send them, rendered in memory, and the recognizer's accuracy on each.

    python bench/situations.py [--data DIR] [--count N] [--model NAME] [--seed S] [--out DIR] [--only NAME ...]

Every situation is built from the MNIST *test* split (never seen in training) or from installed fonts, with a
fixed seed: image ``i`` of a situation depends only on the seed, the situation and ``i``, so a smaller
``--count`` gives a prefix of the full set (the golden tests use such a prefix). Prints a Markdown table:
images, correct (the digit, or the whole number, read right, whatever the status), unsure and no_digit counts,
and milliseconds per image spent in the recognizer (decoding included, rendering not). For ``blank`` a
"correct" answer is status "no_digit" from both ``predict`` and ``read_number``; for an empty cell of
``form_cells``, "no_digit" from ``predict``.

With ``--out DIR`` the table is also written to DIR/situations.md and every failing image to
DIR/failures/<situation>/, named by index, label and answer (derived from MNIST: never commit them).
"""

from __future__ import annotations

import argparse
import colorsys
import io
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from digitrec import glyphs, imaging
from digitrec.data import Split, load_split
from digitrec.normalize import MNIST_SIDE
from digitrec.recognizer import NO_DIGIT, UNSURE, Recognizer

SEED = 2026
DEFAULT_COUNT = 1000
FONT_DIR = glyphs.FONT_DIR
ORDINARY_FONTS = (
    "truetype/dejavu/DejaVuSans.ttf",
    "truetype/dejavu/DejaVuSans-Bold.ttf",
    "truetype/dejavu/DejaVuSans-Oblique.ttf",
    "truetype/dejavu/DejaVuSerif.ttf",
    "truetype/dejavu/DejaVuSerif-Bold.ttf",
    "truetype/dejavu/DejaVuSerif-Italic.ttf",
    "truetype/dejavu/DejaVuSansMono.ttf",
    "truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "truetype/liberation2/LiberationSans-Regular.ttf",
    "truetype/liberation2/LiberationSans-Bold.ttf",
    "truetype/liberation2/LiberationSans-Italic.ttf",
    "truetype/liberation2/LiberationSerif-Regular.ttf",
    "truetype/liberation2/LiberationSerif-Bold.ttf",
    "truetype/liberation2/LiberationSerif-Italic.ttf",
    "truetype/liberation2/LiberationMono-Regular.ttf",
    "truetype/liberation2/LiberationMono-Bold.ttf",
)
# Every handwriting-style font installed (make system-deps). femkeklaver draws its digits as sketchy hollow
# outlines and Breip's 1 is a tall hooked stroke: real hard cases, kept.
HANDWRITING_FONTS = (
    "truetype/fifthhorseman/dkg.ttf",
    "truetype/fifthhorseman/dkgBd.ttf",
    "truetype/fifthhorseman/dkgIt.ttf",
    "truetype/fifthhorseman/dkgBI.ttf",
    "truetype/breip/Breip.ttf",
    "truetype/humor-sans/Humor-Sans.ttf",
    "opentype/comic-neue/ComicNeue-Regular.otf",
    "opentype/comic-neue/ComicNeue-Bold.otf",
    "opentype/comic-neue/ComicNeue-Light.otf",
    "opentype/comic-neue/ComicNeue-Italic.otf",
    "truetype/femkeklaver/femkeklaver.ttf",
)
PHOTO_SIZES = ((800, 600), (1024, 768), (1280, 960), (1600, 1200), (1200, 1600), (960, 1280))
LARGE_PHOTO = (4000, 3000)
LARGE_PHOTO_SHARE = 0.03  # 12 MP photos are slow to render; a few are enough to cover them
PEN_COLOURS = ((0.08, 0.08, 0.1), (0.1, 0.12, 0.35), (0.05, 0.1, 0.45), (0.2, 0.2, 0.2))
CANVAS_COLOURS = ((0, 0, 0), (20, 20, 20), (30, 60, 200), (200, 30, 40), (20, 120, 40))
FORM_LINE_COLOURS = ((0.1, 0.1, 0.12), (0.45, 0.45, 0.48), (0.2, 0.3, 0.7), (0.8, 0.35, 0.35))


@dataclass
class Sample:
    """One rendered input: its bytes, the expected answer ("" for blank) and a note on how it was made; for a
    number of redrawn MNIST digits (bench/independent.py), each digit drawn alone on white paper as well."""

    data: bytes
    label: str
    note: str
    digits: tuple[bytes, ...] = ()


# --- rendering helpers --------------------------------------------------------------------------------------


def image_rng(seed: int, situation: str, index: int) -> np.random.Generator:
    """The random source of one image: depends on the seed, the situation's name and the index only."""
    return np.random.default_rng([seed, zlib.crc32(situation.encode()), index])


def pick_digits(split: Split, count: int, seed: int, situation: str) -> np.ndarray:
    """Indices into the test split for a situation: a seeded permutation, so smaller counts are prefixes."""
    order = np.random.default_rng([seed, zlib.crc32(situation.encode())]).permutation(len(split.labels))
    return order[np.arange(count) % len(order)]


def pen_alpha(digit: np.ndarray, height_px: float, rng: np.random.Generator) -> np.ndarray:
    """An MNIST digit (uint8 28x28) as pen coverage in [0, 1] whose ink is about ``height_px`` tall.

    MNIST digits fill 20 of their 28 pixels and were drawn with a broad pen; scaled up they are blurry and
    fat. The coverage is given the crisp edge of a pen line and, at sizes where it shows, a pen from as broad
    as MNIST's down to a ballpoint's (the stroke's edge moved inwards by up to 2% of the digit's height).
    """
    side = max(8, int(round(height_px * 28 / 20)))
    big = Image.fromarray(digit.astype(np.float32) / 255.0, mode="F").resize((side, side), Image.Resampling.BICUBIC)
    coverage = np.asarray(big, dtype=np.float32)
    if side <= 40:
        return np.clip(coverage, 0.0, 1.0)
    shape = coverage > rng.uniform(0.35, 0.5)
    edge_distance = (ndimage.distance_transform_edt(shape) - ndimage.distance_transform_edt(~shape)).astype(np.float32)
    thinned = edge_distance - rng.uniform(0.0, 0.02) * height_px
    # A finer pen draws the same strokes: where thinning would break a stroke apart, keep the broad pen.
    if ndimage.label(thinned > 0)[1] > ndimage.label(shape)[1]:
        thinned = edge_distance
    return np.clip(thinned + 0.5, 0.0, 1.0)


def rotate(alpha: np.ndarray, degrees: float) -> np.ndarray:
    """Coverage rotated about its centre (the frame grows to hold it)."""
    if abs(degrees) < 0.1:
        return alpha
    image = Image.fromarray(alpha, mode="F").rotate(degrees, Image.Resampling.BICUBIC, expand=True)
    return np.clip(np.asarray(image, dtype=np.float32), 0.0, 1.0)


def soften(alpha: np.ndarray, sigma: float) -> np.ndarray:
    """Out-of-focus or scanner blur of the ink."""
    return ndimage.gaussian_filter(alpha, sigma) if sigma > 0.05 else alpha


def paper(height: int, width: int, rng: np.random.Generator, tint: float = 0.04, tone: float = 0.93) -> np.ndarray:
    """Paper colour (H, W, 3) in [0, 1]: slightly tinted, with a faint low-frequency mottle."""
    colour = tone + rng.uniform(-tint, tint, 3) - rng.uniform(0, tint)
    coarse = rng.normal(0.0, 0.012, (max(2, height // 64), max(2, width // 64))).astype(np.float32)
    mottle = np.asarray(Image.fromarray(coarse, mode="F").resize((width, height), Image.Resampling.BICUBIC))
    return np.clip(colour[np.newaxis, np.newaxis, :] + mottle[..., np.newaxis], 0.0, 1.0).astype(np.float32)


def illumination(height: int, width: int, rng: np.random.Generator, strength: float, shadow: bool) -> np.ndarray:
    """Light falling on the page (H, W) around 1: a gradient in a random direction, a vignette, maybe a shadow."""
    rows = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, np.newaxis]
    cols = np.linspace(-1.0, 1.0, width, dtype=np.float32)[np.newaxis, :]
    angle = rng.uniform(0, 2 * np.pi)
    light = 1.0 - strength * (0.5 + 0.5 * (np.cos(angle) * cols + np.sin(angle) * rows))
    light = light * (1.0 - rng.uniform(0.0, 0.15) * (rows**2 + cols**2) / 2)
    if shadow:
        # The phone's or the hand's shadow: a half-plane with a soft edge, from a random side.
        angle = rng.uniform(0, 2 * np.pi)
        distance = np.cos(angle) * cols + np.sin(angle) * rows - rng.uniform(0.3, 0.9)
        edge = rng.uniform(0.05, 0.3)
        depth = rng.uniform(0.15, 0.4)
        light = light * (1.0 - depth / (1.0 + np.exp(-distance / edge)))
    return light.astype(np.float32)


def lay_ink(surface: np.ndarray, alpha: np.ndarray, x: int, y: int, colour: np.ndarray) -> None:
    """Put ink of ``colour`` with coverage ``alpha`` onto an (H, W, 3) surface at (x, y), clipped to the frame."""
    height, width = surface.shape[:2]
    top, left = max(0, y), max(0, x)
    bottom, right = min(height, y + alpha.shape[0]), min(width, x + alpha.shape[1])
    if bottom <= top or right <= left:
        return
    cover = alpha[top - y : bottom - y, left - x : right - x, np.newaxis]
    patch = surface[top:bottom, left:right]
    surface[top:bottom, left:right] = patch * (1.0 - cover) + colour * cover


def finish(surface: np.ndarray, rng: np.random.Generator, noise: float) -> Image.Image:
    """Sensor noise (a little stronger in the dark) and 8-bit quantisation."""
    grain = rng.standard_normal(surface.shape[:2], dtype=np.float32)[..., np.newaxis]
    colour_grain = rng.standard_normal(surface.shape, dtype=np.float32)
    noisy = surface + noise * (1.3 - 0.5 * surface) * (0.7 * grain + 0.5 * colour_grain)
    return Image.fromarray((np.clip(noisy, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    """An image as file bytes."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(image: Image.Image, rng: np.random.Generator, low: int = 70, high: int = 85) -> bytes:
    """A phone camera's JPEG at a random quality."""
    return encode(image, "JPEG", quality=int(rng.integers(low, high + 1)))


def scanned(image: Image.Image, rng: np.random.Generator) -> tuple[bytes, str]:
    """A scanner's file of a grayscale image, and its kind: gray PNG, bilevel PNG or JPEG."""
    kind = rng.random()
    if kind < 0.4:
        return encode(image, "PNG"), "gray PNG"
    if kind < 0.7:
        return encode(image.point(lambda v: 255 if v > 140 else 0).convert("1"), "PNG"), "bilevel PNG"
    return encode(image, "JPEG", quality=90), "gray JPEG"


def ruled_lines(surface: np.ndarray, rng: np.random.Generator, spacing: float, top: float, margin: bool) -> None:
    """Draw a ruled sheet's horizontal lines (blue or grey) and maybe a red margin line onto ``surface``."""
    height, width = surface.shape[:2]
    colour = np.array((0.55, 0.68, 0.88) if rng.random() < 0.7 else (0.62, 0.62, 0.65), dtype=np.float32)
    thickness = max(1.0, spacing * rng.uniform(0.03, 0.07))
    strength = rng.uniform(0.6, 1.0)
    tilt = rng.uniform(-0.01, 0.01)
    rows = np.arange(height, dtype=np.float32)[:, np.newaxis]
    cols = np.arange(width, dtype=np.float32)[np.newaxis, :]
    phase = (rows - top - tilt * cols) % spacing
    distance = np.minimum(phase, spacing - phase)
    cover = strength * np.clip(thickness / 2 + 0.5 - distance, 0.0, 1.0)
    surface[:] = surface * (1 - cover[..., np.newaxis]) + colour * cover[..., np.newaxis]
    if margin:
        x = rng.uniform(0.08, 0.2) * width
        red = np.array((0.85, 0.35, 0.4), dtype=np.float32)
        cover = 0.8 * np.clip(thickness / 2 + 0.5 - np.abs(cols - x), 0.0, 1.0)
        surface[:] = surface * (1 - cover[..., np.newaxis]) + red * cover[..., np.newaxis]


def cropped(image: np.ndarray) -> np.ndarray:
    """An image cut to the box of its non-zero pixels (its ink)."""
    rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def glyph_alpha(character: str, font_path: Path, size: int) -> np.ndarray:
    """A character of a font rendered as coverage in [0, 1], cropped to its ink."""
    font = ImageFont.truetype(str(font_path), size)
    left, top, right, bottom = font.getbbox(character)
    image = Image.new("L", (right - left + 4, bottom - top + 4), 0)
    ImageDraw.Draw(image).text((2 - left, 2 - top), character, font=font, fill=255)
    return cropped(np.asarray(image, dtype=np.float32) / 255.0)


def photo_of(alpha: np.ndarray, rng: np.random.Generator, *, share: tuple[float, float]) -> Image.Image:
    """A phone photo of ink ``alpha``: tinted paper, uneven light, maybe a shadow, noise, the ink off-centre.

    ``share`` bounds the ink's height as a share of the frame's shorter side.
    """
    width, height = LARGE_PHOTO if rng.random() < LARGE_PHOTO_SHARE else PHOTO_SIZES[rng.integers(len(PHOTO_SIZES))]
    target = rng.uniform(*share) * min(width, height)
    zoom = target / alpha.shape[0]
    size = (max(1, round(alpha.shape[1] * zoom)), max(1, round(target)))
    ink = np.asarray(Image.fromarray(alpha, mode="F").resize(size, Image.Resampling.BICUBIC), dtype=np.float32)
    ink = soften(rotate(np.clip(ink, 0, 1), rng.uniform(-7, 7)), rng.uniform(0.3, 1.5) * target / 200)
    surface = paper(height, width, rng, tint=0.05, tone=rng.uniform(0.85, 0.97))
    x = int(rng.uniform(0.12, 0.88) * width - ink.shape[1] / 2)
    y = int(rng.uniform(0.12, 0.88) * height - ink.shape[0] / 2)
    x = int(np.clip(x, 0, width - ink.shape[1]))
    y = int(np.clip(y, 0, height - ink.shape[0]))
    lay_ink(surface, ink, x, y, np.array(PEN_COLOURS[rng.integers(len(PEN_COLOURS))], dtype=np.float32))
    surface *= illumination(height, width, rng, rng.uniform(0.05, 0.35), shadow=rng.random() < 0.6)[..., np.newaxis]
    return finish(surface, rng, rng.uniform(0.01, 0.035))


# --- situations ---------------------------------------------------------------------------------------------


def phone_photo(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """A digit in ink on paper photographed with a phone: small, off-centre, tilted, uneven light, JPEG."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, "phone_photo")):
        rng = image_rng(seed, "phone_photo", index)
        alpha = pen_alpha(split.images[digit], 200, rng)
        image = photo_of(alpha, rng, share=(0.15, 0.35))
        samples.append(Sample(jpeg(image, rng), str(split.labels[digit]), f"{image.width}x{image.height}"))
    return samples


def desk(height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """A desk or table (H, W, 3) darker than paper: dark, grey or wooden, with grain along one direction."""
    tone = rng.uniform(0.08, 0.5)
    colour = tone * np.array(((1.0, 0.72, 0.5), (1.0, 1.0, 1.0), (0.9, 0.95, 1.05))[rng.integers(3)], np.float32)
    streaks = rng.normal(0.0, rng.uniform(0.01, 0.05), (max(2, height // 6), 6)).astype(np.float32)
    grain = np.asarray(Image.fromarray(streaks, mode="F").resize((width, height), Image.Resampling.BICUBIC))
    return np.clip(colour * (1.0 + grain[..., np.newaxis] / max(tone, 0.1)), 0.0, 1.0).astype(np.float32)


def note_on_table(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """A digit on a sticky note or a scrap of paper lying on a darker desk, photographed from above: the paper a
    quarter to a half of the frame's shorter side, turned, anywhere in the frame; the desk most of the photo."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, "note_on_table")):
        rng = image_rng(seed, "note_on_table", index)
        width, height = PHOTO_SIZES[rng.integers(len(PHOTO_SIZES))]
        side = rng.uniform(0.25, 0.55) * min(width, height)
        note_h, note_w = int(side), int(side * rng.uniform(0.8, 1.3))
        tones = ((0.95, 0.95, 0.93), (0.98, 0.92, 0.45), (0.98, 0.75, 0.8), (0.7, 0.95, 0.7), (0.65, 0.85, 0.98))
        sheet = paper(note_h, note_w, rng, tint=0.02) * (np.array(tones[rng.integers(len(tones))]) / 0.93)
        alpha = pen_alpha(split.images[digit], rng.uniform(0.45, 0.75) * note_h, rng)
        x = int((note_w - alpha.shape[1]) * rng.uniform(0.3, 0.7))
        y = int((note_h - alpha.shape[0]) * rng.uniform(0.3, 0.7))
        lay_ink(sheet, alpha, x, y, np.array(PEN_COLOURS[rng.integers(len(PEN_COLOURS))], dtype=np.float32))
        angle = rng.uniform(-20, 20)
        turned = [rotate(np.ascontiguousarray(sheet[..., channel], dtype=np.float32), angle) for channel in range(3)]
        cover = rotate(np.ones((note_h, note_w), np.float32), angle)
        surface = desk(height, width, rng)
        left = int(rng.uniform(0.05, 0.95) * (width - cover.shape[1]))
        top = int(rng.uniform(0.05, 0.95) * (height - cover.shape[0]))
        window = surface[top : top + cover.shape[0], left : left + cover.shape[1]]
        window[:] = window * (1 - cover[..., np.newaxis]) + np.stack(turned, axis=-1) * cover[..., np.newaxis]
        surface *= illumination(height, width, rng, rng.uniform(0.05, 0.3), shadow=rng.random() < 0.3)[..., None]
        image = finish(ndimage.gaussian_filter(surface, (0.6, 0.6, 0)), rng, rng.uniform(0.01, 0.03))
        samples.append(Sample(jpeg(image, rng), str(split.labels[digit]), f"{width}x{height}, paper {side:.0f}px"))
    return samples


def marked(split: Split, count: int, seed: int, situation: str, mark: Callable[..., None]) -> list[Sample]:
    """A digit photographed as ``phone_photo``'s, with a pen's mark ``mark(draw, digit_box, rng)`` drawn by it."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, situation)):
        rng = image_rng(seed, situation, index)
        alpha = pen_alpha(split.images[digit], 200, rng)
        height, width = alpha.shape
        pad = height // 2
        canvas = Image.new("F", (width + 2 * pad, height + 2 * pad), 0.0)
        mark(ImageDraw.Draw(canvas), (pad, pad, width, height), rng)
        ink = np.asarray(canvas, dtype=np.float32).copy()
        window = ink[pad : pad + height, pad : pad + width]
        np.maximum(window, alpha, out=window)
        image = photo_of(cropped(ink), rng, share=(0.2, 0.45))
        samples.append(Sample(jpeg(image, rng), str(split.labels[digit]), f"{image.width}x{image.height}"))
    return samples


def draw_loop(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: np.random.Generator) -> None:
    """A loop drawn round a digit's frame by hand: a wobbly ellipse, closed with a little overlap, a pen as fine
    as a ballpoint's to as broad as the digit's."""
    x, y, w, h = box
    centre_x, centre_y = x + w / 2 + rng.uniform(-5, 5), y + h / 2 + rng.uniform(-5, 5)
    radius_x, radius_y = w / 2 + rng.uniform(0.1, 0.45) * h, h / 2 + rng.uniform(0.1, 0.45) * h
    start = rng.uniform(0, 2 * np.pi)
    turn = np.linspace(start, start + 2 * np.pi * rng.uniform(1.0, 1.12), 200)
    wobble = 1 + 0.04 * np.sin(3 * turn + rng.uniform(0, 2 * np.pi))
    points = list(zip(centre_x + radius_x * wobble * np.cos(turn), centre_y + radius_y * wobble * np.sin(turn)))
    draw.line(points, fill=1.0, width=int(rng.uniform(6, 20)), joint="curve")


def draw_underline(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: np.random.Generator) -> None:
    """A line drawn under a digit by hand, a little slanted, from about its left to about its right (MNIST's ink
    ends about a seventh of its frame above the frame's foot: the line may touch a descending stroke)."""
    x, y, w, h = box
    below = y + h * rng.uniform(0.9, 1.05)
    left, right = x + rng.uniform(-0.1, 0.15) * w, x + w * rng.uniform(0.85, 1.1)
    width = int(rng.uniform(6, 14))
    draw.line([(left, below + rng.uniform(-6, 6)), (right, below + rng.uniform(-6, 6))], fill=1.0, width=width)


def circled(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """A digit circled by hand (an answer picked out), photographed: the loop may touch the digit."""
    return marked(split, count, seed, "circled", draw_loop)


def underlined(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """A digit underlined by hand, photographed: the line may touch its foot."""
    return marked(split, count, seed, "underlined", draw_underline)


def ruled_paper(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """A digit written on ruled paper: the lines cross it or run just above or below, photographed, JPEG."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, "ruled_paper")):
        rng = image_rng(seed, "ruled_paper", index)
        width, height = ((640, 480), (800, 600), (480, 640), (1024, 768))[rng.integers(4)]
        spacing = rng.uniform(0.08, 0.14) * height
        digit_height = spacing * rng.uniform(0.7, 1.6)
        alpha = soften(rotate(pen_alpha(split.images[digit], digit_height, rng), rng.uniform(-5, 5)), 0.5)
        surface = paper(height, width, rng, tint=0.03, tone=rng.uniform(0.88, 0.97))
        first_line = rng.uniform(0, spacing)
        ruled_lines(surface, rng, spacing, first_line, margin=rng.random() < 0.4)
        x = int(rng.uniform(0.25, 0.75) * width - alpha.shape[1] / 2)
        # Written on a line: the digit's foot near a ruled line, a little above or below it.
        line = first_line + spacing * int(rng.integers(3, max(4, int(height / spacing) - 2)))
        ink_bottom = alpha.shape[0] * (24 / 28)  # MNIST's ink ends about 4 px above the frame's foot
        y = int(line - ink_bottom + rng.uniform(-0.25, 0.15) * spacing)
        lay_ink(surface, alpha, x, y, np.array(PEN_COLOURS[rng.integers(len(PEN_COLOURS))], dtype=np.float32))
        surface *= illumination(height, width, rng, rng.uniform(0.05, 0.25), shadow=rng.random() < 0.3)[..., None]
        image = finish(surface, rng, rng.uniform(0.01, 0.03))
        samples.append(Sample(jpeg(image, rng), str(split.labels[digit]), f"spacing {spacing:.0f}px"))
    return samples


def canvas_transparent(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """A browser canvas export, 280x280 PNG: transparent (RGBA 0,0,0,0) background or white, pen strokes."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, "canvas_transparent")):
        rng = image_rng(seed, "canvas_transparent", index)
        height = rng.uniform(120, 230)
        alpha = pen_alpha(split.images[digit], height, rng)
        alpha = alpha[: 280 - 1, : 280 - 1]
        x = int(rng.uniform(0, 280 - alpha.shape[1])) if alpha.shape[1] < 280 else 0
        y = int(rng.uniform(0, 280 - alpha.shape[0])) if alpha.shape[0] < 280 else 0
        coverage = np.zeros((280, 280), dtype=np.float32)
        coverage[y : y + alpha.shape[0], x : x + alpha.shape[1]] = alpha
        colour = CANVAS_COLOURS[rng.integers(len(CANVAS_COLOURS))]
        background = rng.random()
        if background < 0.7:
            # What canvas.toDataURL() gives: colour only where painted, fully transparent elsewhere.
            rgba = np.zeros((280, 280, 4), dtype=np.uint8)
            rgba[..., :3] = np.where(coverage[..., None] > 0, np.array(colour, dtype=np.uint8), 0)
            rgba[..., 3] = (coverage * 255 + 0.5).astype(np.uint8)
            image, note = Image.fromarray(rgba, "RGBA"), "transparent"
        else:
            surface = np.ones((280, 280, 3), dtype=np.float32)
            lay_ink(surface, coverage, 0, 0, np.array(colour, dtype=np.float32) / 255)
            image = Image.fromarray((surface * 255 + 0.5).astype(np.uint8))
            image, note = (image.convert("RGBA"), "white RGBA") if background < 0.85 else (image, "white RGB")
        samples.append(Sample(encode(image, "PNG"), str(split.labels[digit]), note))
    return samples


def colour_only(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """Coloured ink about as light as coloured paper: a pen of one hue on a note of another, photographed (uneven
    light, noise, JPEG), or a brush on a drawing app's coloured canvas (flat PNG). The ink's lightness (ITU-R 601
    luma) is within 0.1 of the paper's, so a grayscale image hardly shows it; a person sees it plainly."""
    samples = []
    luma = imaging.LUMA
    for index, digit in enumerate(pick_digits(split, count, seed, "colour_only")):
        rng = image_rng(seed, "colour_only", index)
        hue = rng.uniform(0, 1)
        tone = np.array(colorsys.hsv_to_rgb(hue, rng.uniform(0.3, 0.7), rng.uniform(0.6, 0.95)), dtype=np.float32)
        ink_hue = (hue + rng.uniform(0.25, 0.75)) % 1  # a hue at least a quarter of the circle away
        ink = np.array(colorsys.hsv_to_rgb(ink_hue, rng.uniform(0.6, 1.0), 1.0), dtype=np.float32)
        ink = np.clip(ink * (float(tone @ luma) + rng.uniform(-0.1, 0.1)) / float(ink @ luma), 0.0, 1.0)
        if rng.random() < 0.7:
            width, height = PHOTO_SIZES[rng.integers(len(PHOTO_SIZES))]
            alpha = pen_alpha(split.images[digit], rng.uniform(0.2, 0.4) * min(width, height), rng)
            alpha = soften(rotate(alpha, rng.uniform(-7, 7)), rng.uniform(0.3, 1.5))
            surface = paper(height, width, rng, tint=0.01, tone=0.93) / 0.93 * tone
            x, y = (
                int(rng.uniform(0.1, 0.9) * (width - alpha.shape[1])),
                int(rng.uniform(0.1, 0.9) * (height - alpha.shape[0])),
            )
            lay_ink(surface, alpha, x, y, ink)
            surface *= illumination(height, width, rng, rng.uniform(0.05, 0.3), shadow=rng.random() < 0.5)[..., None]
            image = finish(np.clip(surface, 0.0, 1.0), rng, rng.uniform(0.01, 0.03))
            samples.append(Sample(jpeg(image, rng), str(split.labels[digit]), "photo"))
        else:
            side = 400
            alpha = pen_alpha(split.images[digit], rng.uniform(0.4, 0.65) * side, rng)[: side - 1, : side - 1]
            surface = np.ones((side, side, 3), dtype=np.float32) * tone
            x, y = int(rng.uniform(0, side - alpha.shape[1])), int(rng.uniform(0, side - alpha.shape[0]))
            lay_ink(surface, alpha, x, y, ink)
            image = Image.fromarray((surface * 255 + 0.5).astype(np.uint8))
            samples.append(Sample(encode(image, "PNG"), str(split.labels[digit]), "canvas"))
    return samples


def scan(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """A scanned form's digit box: a tight crop, dark ink on white, slightly blurred; gray, bilevel or JPEG."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, "scan")):
        rng = image_rng(seed, "scan", index)
        height = rng.uniform(40, 160)
        alpha = soften(pen_alpha(split.images[digit], height, rng), rng.uniform(0.3, 1.0) * height / 80)
        margin = int(height * rng.uniform(0.0, 0.12))
        surface = np.full((alpha.shape[0] + 2 * margin, alpha.shape[1] + 2 * margin, 3), 0.97, dtype=np.float32)
        lay_ink(surface, alpha, margin, margin, np.array((0.1, 0.1, 0.12), dtype=np.float32))
        data, note = scanned(finish(surface, rng, 0.01).convert("L"), rng)
        samples.append(Sample(data, str(split.labels[digit]), note))
    return samples


def low_contrast(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """Light pencil on grey paper in dim light: ink only 0.2 to 0.3 darker than the paper, grainy, JPEG."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, "low_contrast")):
        rng = image_rng(seed, "low_contrast", index)
        width, height = ((400, 300), (640, 480), (800, 600), (1024, 768))[rng.integers(4)]
        alpha = pen_alpha(split.images[digit], rng.uniform(0.3, 0.6) * height, rng)
        alpha = soften(rotate(alpha, rng.uniform(-5, 5)), 0.7)
        # Graphite is grainy: its coverage varies along the stroke.
        alpha *= np.clip(rng.normal(0.85, 0.15, alpha.shape), 0.4, 1.0).astype(np.float32)
        tone = rng.uniform(0.55, 0.75)
        contrast = rng.uniform(0.2, 0.3)
        surface = paper(height, width, rng, tint=0.02, tone=tone)
        x = int(rng.uniform(0.2, 0.8) * width - alpha.shape[1] / 2)
        y = int(rng.uniform(0.25, 0.75) * height - alpha.shape[0] / 2)
        pencil = np.full(3, tone - contrast, dtype=np.float32)
        lay_ink(surface, alpha, x, y, pencil)
        surface *= illumination(height, width, rng, rng.uniform(0.05, 0.2), shadow=False)[..., np.newaxis]
        image = finish(surface, rng, rng.uniform(0.01, 0.025))
        samples.append(Sample(jpeg(image, rng), str(split.labels[digit]), f"contrast {contrast:.2f}"))
    return samples


def mnist_style(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """MNIST as it is, white on black, as a PNG of 28, 56 or 280 pixels."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, "mnist_style")):
        side = (28, 56, 280)[index % 3]
        image = Image.fromarray(split.images[digit])
        if side != 28:
            image = image.resize((side, side), Image.Resampling.BICUBIC)
        samples.append(Sample(encode(image, "PNG"), str(split.labels[digit]), f"{side}px"))
    return samples


def cropped_to_ink(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """MNIST digits cut to the box of their ink, with 0 to 2 pixels to spare (a program's crop, or one by hand
    without a margin): white on black as MNIST or dark on white, enlarged 1 to 8 times, PNG or JPEG."""
    samples = []
    for index, digit in enumerate(pick_digits(split, count, seed, "cropped_to_ink")):
        rng = image_rng(seed, "cropped_to_ink", index)
        crop = np.pad(cropped(split.images[digit]), int(rng.integers(0, 3)))
        mnist_polarity = rng.random() < 0.5
        enlarge = rng.uniform(1.0, 8.0)
        size = (round(crop.shape[1] * enlarge), round(crop.shape[0] * enlarge))
        picture = Image.fromarray(crop if mnist_polarity else 255 - crop).resize(size, Image.Resampling.BICUBIC)
        data = jpeg(picture, rng, 80, 95) if rng.random() < 0.5 else encode(picture, "PNG")
        samples.append(Sample(data, str(split.labels[digit]), "white on black" if mnist_polarity else "dark on white"))
    return samples


def _typed(fonts: tuple[str, ...], situation: str, count: int, seed: int) -> list[Sample]:
    """Typed digits: each digit in each font in turn, as a clean crop, a page photo, or white on a dark screen."""
    samples = []
    for index in range(count):
        rng = image_rng(seed, situation, index)
        character = str(index % 10)
        font = FONT_DIR / fonts[(index // 10) % len(fonts)]
        alpha = glyph_alpha(character, font, int(rng.integers(20, 160)))
        kind = index // 10 % 3  # crop, photo, screen; with 3 prime to the font count, every pair comes round
        if kind == 0:
            margin = int(alpha.shape[0] * rng.uniform(0.1, 0.6))
            surface = paper(alpha.shape[0] + 2 * margin, alpha.shape[1] + 2 * margin, rng, tint=0.02, tone=0.96)
            lay_ink(surface, alpha, margin, margin, np.array((0.05, 0.05, 0.05), dtype=np.float32))
            data, note = encode(finish(surface, rng, 0.01), "PNG"), "crop"
        elif kind == 1:
            data, note = jpeg(photo_of(alpha, rng, share=(0.1, 0.35)), rng), "photo"
        else:
            margin = int(alpha.shape[0] * rng.uniform(0.2, 1.0))
            surface = np.full((alpha.shape[0] + 2 * margin, alpha.shape[1] + 3 * margin, 3), 0.12, dtype=np.float32)
            lay_ink(surface, alpha, int(1.5 * margin), margin, np.array((0.95, 0.95, 0.95), dtype=np.float32))
            data, note = encode(finish(surface, rng, 0.0), "PNG"), "screen"
        samples.append(Sample(data, character, f"{font.stem} {note}"))
    return samples


def typed_ordinary(split: Split | None, count: int, seed: int = SEED) -> list[Sample]:
    """Digits in ordinary fonts (DejaVu, Liberation: sans, serif, mono, bold, italic), on paper and screens."""
    return _typed(ORDINARY_FONTS, "typed_ordinary", count, seed)


def typed_handwriting(split: Split | None, count: int, seed: int = SEED) -> list[Sample]:
    """Digits in handwriting-style fonts (dkg-handwriting, Breip, Humor Sans, Comic Neue, femkeklaver)."""
    return _typed(HANDWRITING_FONTS, "typed_handwriting", count, seed)


def number_strip(digits: list[np.ndarray], rng: np.random.Generator, height: float) -> tuple[np.ndarray, list[str]]:
    """MNIST digits written left to right as one coverage strip, with random gaps: mostly clear, some small,
    a few touching. Returns the strip and the kind of each gap."""
    pieces, gaps = [], []
    for digit in digits:
        alpha = rotate(pen_alpha(digit, height * rng.uniform(0.9, 1.1), rng), rng.uniform(-4, 4))
        cols = np.flatnonzero(alpha.max(axis=0) > 0.05)
        pieces.append(alpha[:, cols[0] : cols[-1] + 1])
    strip_height = max(piece.shape[0] for piece in pieces) + int(0.2 * height)
    positions, x = [], 0
    for number, piece in enumerate(pieces):
        if number:
            chance = rng.random()
            if chance < 0.05:
                gap, kind = -int(rng.uniform(0.0, 0.04) * height), "touching"
            elif chance < 0.25:
                gap, kind = int(rng.uniform(0.03, 0.1) * height), "small"
            else:
                gap, kind = int(rng.uniform(0.1, 0.5) * height), "clear"
            x += gap
            gaps.append(kind)
        positions.append((x, int(rng.uniform(0, strip_height - piece.shape[0]))))
        x += piece.shape[1]
    strip = np.zeros((strip_height, x), dtype=np.float32)
    for piece, (left, top) in zip(pieces, positions):
        window = strip[top : top + piece.shape[0], left : left + piece.shape[1]]
        np.maximum(window, piece, out=window)
    return strip, gaps


def number_draws(
    split: Split, count: int, seed: int, situation: str
) -> Iterator[tuple[np.random.Generator, np.ndarray]]:
    """For each of ``count`` numbers of a situation, its random source and the test split's indices of its 2 to 10
    digits."""
    order = pick_digits(split, count * 10, seed, situation)
    for index in range(count):
        rng = image_rng(seed, situation, index)
        length = int(rng.integers(2, 11))
        yield rng, order[index * 10 : index * 10 + length]


def numbers(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """Numbers of 2 to 10 MNIST digits written left to right on paper, photographed or scanned."""
    return numbers_on_paper(split, count, seed, "numbers")


def numbers_underlined(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """``numbers``, with a line drawn under the whole number by hand (a total picked out): it may touch the feet
    of the digits written lowest."""
    return numbers_on_paper(split, count, seed, "numbers_underlined", underlined=True)


def numbers_on_paper(split: Split, count: int, seed: int, situation: str, underlined: bool = False) -> list[Sample]:
    """Numbers of 2 to 10 MNIST digits written on paper, photographed or scanned, maybe underlined."""
    samples = []
    for rng, chosen in number_draws(split, count, seed, situation):
        height = rng.uniform(50, 110)
        strip, gaps = number_strip([split.images[i] for i in chosen], rng, height)
        if underlined:
            strip = underline_strip(strip, height, rng)
        margin_x, margin_y = int(rng.uniform(0.3, 1.5) * height), int(rng.uniform(0.3, 1.0) * height)
        surface = paper(strip.shape[0] + 2 * margin_y, strip.shape[1] + 2 * margin_x, rng, tone=rng.uniform(0.88, 0.97))
        colour = np.array(PEN_COLOURS[rng.integers(len(PEN_COLOURS))], dtype=np.float32)
        lay_ink(surface, soften(strip, 0.6), margin_x, margin_y, colour)
        surface *= illumination(*surface.shape[:2], rng, rng.uniform(0.0, 0.2), shadow=False)[..., np.newaxis]
        image = finish(surface, rng, rng.uniform(0.005, 0.025))
        data = jpeg(image, rng, 75, 92) if rng.random() < 0.6 else encode(image, "PNG")
        label = "".join(str(split.labels[i]) for i in chosen)
        note = "touching" if "touching" in gaps else "small gap" if "small" in gaps else "clear gaps"
        samples.append(Sample(data, label, note))
    return samples


def underline_strip(strip: np.ndarray, height: float, rng: np.random.Generator) -> np.ndarray:
    """A number's strip (``number_strip``) with a line drawn by hand under it, a little slanted, from about its
    left to about its right: up to a sixth of a digit above the lowest frame's foot (MNIST's
    ink ends about a seventh of its frame above the frame's foot), so it may touch the digits written lowest."""
    below = strip.shape[0] + rng.uniform(-0.16, 0.0) * height
    pad = int(0.3 * height)
    canvas = Image.new("F", (strip.shape[1] + 2 * pad, strip.shape[0] + 2 * pad), 0.0)
    left, right = pad + rng.uniform(-0.2, 0.1) * height, pad + strip.shape[1] + rng.uniform(-0.1, 0.2) * height
    tilt = rng.uniform(-0.06, 0.06) * height
    width = max(2, int(rng.uniform(0.03, 0.07) * height))
    ImageDraw.Draw(canvas).line([(left, pad + below - tilt), (right, pad + below + tilt)], fill=1.0, width=width)
    ink = np.asarray(canvas, dtype=np.float32).copy()
    window = ink[pad : pad + strip.shape[0], pad : pad + strip.shape[1]]
    np.maximum(window, strip, out=window)
    return cropped(ink)


def numbers_cropped(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """Numbers of 2 to 10 MNIST digits as they are (28x28 cells, no pen), side by side with random spacing
    (cells overlapping by a few pixels to a cell's width apart), cropped close: a number cut from a form, or
    MNIST digits put in a row. White on black as MNIST or dark on white, enlarged up to 4 times, PNG or JPEG."""
    samples = []
    for rng, chosen in number_draws(split, count, seed, "numbers_cropped"):
        length = len(chosen)
        gaps = rng.integers(-6, MNIST_SIDE + 1, size=length - 1)
        lifts = rng.integers(0, 5, size=length)
        width = length * MNIST_SIDE + int(gaps.sum())
        strip = np.zeros((MNIST_SIDE + 4, width), dtype=np.uint8)
        x = 0
        for number, digit in enumerate(chosen):
            window = strip[lifts[number] : lifts[number] + MNIST_SIDE, x : x + MNIST_SIDE]
            np.maximum(window, split.images[digit], out=window)
            x += MNIST_SIDE + (int(gaps[number]) if number < length - 1 else 0)
        strip = np.pad(cropped(strip), int(rng.integers(0, 7)))
        mnist_polarity = rng.random() < 0.5
        image = Image.fromarray(strip if mnist_polarity else 255 - strip)
        enlarge = rng.uniform(1.0, 4.0)
        image = image.resize((round(image.width * enlarge), round(image.height * enlarge)), Image.Resampling.BICUBIC)
        data = jpeg(image, rng, 80, 95) if rng.random() < 0.5 else encode(image, "PNG")
        label = "".join(str(split.labels[i]) for i in chosen)
        note = "white on black" if mnist_polarity else "dark on white"
        samples.append(Sample(data, label, note))
    return samples


def form_cells(split: Split, count: int, seed: int = SEED) -> list[Sample]:
    """A form's printed cell, cut out by a program or scanned: a box (lines 1 to 4% of its side, black, grey, blue
    or red) with up to 30% of its side of paper round it, every other one empty (*no digit*), the rest holding an
    MNIST digit written with a pen; 28 to 400 pixels, gray PNG, bilevel PNG or JPEG."""
    digits = pick_digits(split, count, seed, "form_cells")
    return [form_cell(split, index, digit, seed) for index, digit in enumerate(digits)]


def form_cell(split: Split, index: int, digit: int, seed: int = SEED) -> Sample:
    """Cell ``index`` of ``form_cells`` (``digit`` its MNIST test digit, written in it if the index is odd)."""
    rng = image_rng(seed, "form_cells", index)
    box_width = int(rng.uniform(28, 400))
    box_height = int(box_width * rng.uniform(0.9, 1.3))
    outside = int(rng.uniform(0.0, 0.3) * box_width)
    line = max(1, int(rng.uniform(0.01, 0.04) * box_width))
    width, height = box_width + 2 * outside, box_height + 2 * outside
    surface = np.full((height, width, 3), rng.uniform(0.9, 0.99), dtype=np.float32)
    frame = np.zeros((height, width), dtype=np.float32)
    frame[outside : outside + box_height, outside : outside + box_width] = 1.0
    frame[outside + line : outside + box_height - line, outside + line : outside + box_width - line] = 0.0
    colour = FORM_LINE_COLOURS[rng.integers(len(FORM_LINE_COLOURS))]
    lay_ink(surface, frame, 0, 0, np.array(colour, dtype=np.float32))
    label, note = "", "empty"
    if index % 2:
        alpha = pen_alpha(split.images[digit], rng.uniform(0.45, 0.75) * box_height, rng)
        room_x, room_y = box_width - 2 * line - alpha.shape[1], box_height - 2 * line - alpha.shape[0]
        x = outside + line + int(rng.uniform(0, 1) * max(0, room_x))
        y = outside + line + int(rng.uniform(0, 1) * max(0, room_y))
        lay_ink(surface, alpha, x, y, np.array(PEN_COLOURS[rng.integers(len(PEN_COLOURS))], dtype=np.float32))
        label, note = str(split.labels[digit]), "with a digit"
    data, form = scanned(finish(surface, rng, rng.uniform(0.0, 0.015)).convert("L"), rng)
    return Sample(data, label, f"{note}, {form}")


def blank(split: Split | None, count: int, seed: int = SEED) -> list[Sample]:
    """Inputs with no digit: an empty canvas, white paper, tinted paper in uneven light, a ruled sheet."""
    samples = []
    for index in range(count):
        rng = image_rng(seed, "blank", index)
        kind = index % 4
        if kind == 0:
            image = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
            samples.append(Sample(encode(image, "PNG"), "", "empty canvas"))
            continue
        width, height = PHOTO_SIZES[rng.integers(len(PHOTO_SIZES))]
        if kind == 1:
            surface = paper(height, width, rng, tint=0.01, tone=0.95)
            surface *= illumination(height, width, rng, rng.uniform(0.0, 0.08), shadow=False)[..., np.newaxis]
            note = "white paper"
        elif kind == 2:
            surface = paper(height, width, rng, tint=0.06, tone=rng.uniform(0.8, 0.92))
            surface *= illumination(height, width, rng, rng.uniform(0.15, 0.4), shadow=rng.random() < 0.5)[..., None]
            note = "tinted paper, uneven light"
        else:
            surface = paper(height, width, rng, tint=0.03, tone=rng.uniform(0.88, 0.97))
            ruled_lines(surface, rng, rng.uniform(0.06, 0.12) * height, rng.uniform(0, 50), margin=rng.random() < 0.5)
            surface *= illumination(height, width, rng, rng.uniform(0.05, 0.25), shadow=False)[..., np.newaxis]
            note = "ruled sheet"
        samples.append(Sample(jpeg(finish(surface, rng, rng.uniform(0.01, 0.03)), rng), "", note))
    return samples


Builder = Callable[[Split, int, int], list[Sample]]
SITUATIONS: dict[str, Builder] = {
    "phone_photo": phone_photo,
    "note_on_table": note_on_table,
    "circled": circled,
    "underlined": underlined,
    "ruled_paper": ruled_paper,
    "canvas_transparent": canvas_transparent,
    "scan": scan,
    "low_contrast": low_contrast,
    "mnist_style": mnist_style,
    "cropped_to_ink": cropped_to_ink,
    "typed_ordinary": typed_ordinary,
    "typed_handwriting": typed_handwriting,
    "numbers": numbers,
    "numbers_underlined": numbers_underlined,
    "numbers_cropped": numbers_cropped,
    "form_cells": form_cells,
    "colour_only": colour_only,
    "blank": blank,
}


# --- scoring ------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The recognizer's answer on one sample."""

    sample: Sample
    answer: str  # the digit or number read, "" for no digit
    status: str
    correct: bool
    seconds: float


def answer(recognizer: Recognizer, situation: str, sample: Sample) -> Outcome:
    """Run the recognizer on one sample the way its situation is used and judge the answer."""
    started = time.perf_counter()
    if situation.startswith("numbers"):
        reading = recognizer.read_number(sample.data)
        text, status = reading.number, reading.status
    elif situation == "blank":
        prediction = recognizer.predict(sample.data)
        reading = recognizer.read_number(sample.data)
        text = "" if prediction.digit is None else str(prediction.digit)
        text += f"/{reading.number}" if reading.number else ""
        status = prediction.status if prediction.status != NO_DIGIT else reading.status
    else:
        prediction = recognizer.predict(sample.data)
        text = "" if prediction.digit is None else str(prediction.digit)
        status = prediction.status
    seconds = time.perf_counter() - started
    correct = status == NO_DIGIT if situation == "blank" else text == sample.label
    return Outcome(sample, text, status, correct, seconds)


def evaluate(recognizer: Recognizer, situation: str, samples: list[Sample]) -> list[Outcome]:
    """Every sample of a situation through the recognizer."""
    return [answer(recognizer, situation, sample) for sample in samples]


def table_row(situation: str, outcomes: list[Outcome]) -> str:
    """One Markdown table row."""
    total = len(outcomes)
    correct = sum(outcome.correct for outcome in outcomes)
    unsure = sum(outcome.status == UNSURE for outcome in outcomes)
    no_digit = sum(outcome.status == NO_DIGIT for outcome in outcomes)
    milliseconds = 1000 * sum(outcome.seconds for outcome in outcomes) / max(total, 1)
    accuracy = 100 * correct / max(total, 1)
    return f"| {situation} | {total} | {correct} | {accuracy:.1f}% | {unsure} | {no_digit} | {milliseconds:.1f} |"


TABLE_HEAD = (
    "| situation | images | correct | accuracy | unsure | no_digit | ms per image |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def save_failures(folder: Path, situation: str, outcomes: list[Outcome]) -> None:
    """Write every failing image of a situation to ``folder/failures/<situation>/``."""
    target = folder / "failures" / situation
    target.mkdir(parents=True, exist_ok=True)
    for index, outcome in enumerate(outcomes):
        if not outcome.correct:
            suffix = ".jpg" if outcome.sample.data[:2] == b"\xff\xd8" else ".png"
            name = f"{index:04d}_label{outcome.sample.label or 'none'}_read{outcome.answer or 'none'}"
            (target / (name.replace("/", "-") + suffix)).write_bytes(outcome.sample.data)


def main() -> None:
    """Build each situation, run the recognizer on it and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="MNIST folder (default: DIGITREC_DATA or the cache)")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="images per situation")
    parser.add_argument("--model", default="default")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=None, help="write the table and the failing images here")
    parser.add_argument("--only", nargs="*", choices=sorted(SITUATIONS), help="run only these situations")
    parser.add_argument("--details", action="store_true", help="also print accuracy per note (font, format, size)")
    args = parser.parse_args()

    split = load_split("test", args.data)
    recognizer = Recognizer(args.model)
    lines = [TABLE_HEAD]
    print(f"model {args.model}, {args.count} images per situation, seed {args.seed}\n", file=sys.stderr)
    print(TABLE_HEAD, flush=True)
    for situation in args.only or SITUATIONS:
        outcomes = evaluate(recognizer, situation, SITUATIONS[situation](split, args.count, args.seed))
        lines.append(table_row(situation, outcomes))
        print(lines[-1], flush=True)
        if args.details:
            notes: dict[str, list[Outcome]] = {}
            for outcome in outcomes:
                notes.setdefault(outcome.sample.note, []).append(outcome)
            for note, group in sorted(notes.items()):
                hits = sum(outcome.correct for outcome in group)
                print(f"    {note or '-'}: {hits}/{len(group)}", file=sys.stderr)
        if args.out:
            save_failures(args.out, situation, outcomes)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "situations.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
