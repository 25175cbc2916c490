"""Independent evaluation set: a second generator of digits as people send them, and the recognizer's accuracy.

    python bench/independent.py [--count 200] [--only SITUATION ...] [--seed 0] [--data DIR] [--out DIR] [--alone]

Its images were designed without reading bench/situations.py (only the fonts, the judging and the table come
from there), to check the recognizer on situations our own set does not cover: phone photos in coloured ink on
coloured paper, squared and dotted paper, a small digit in a 12 MP photo, a digit cut by the frame, shadows and
thumbs, canvas drawings of every size and brush, scans with staples and punched holes, typed digits, digits in
printed form boxes, MNIST files as they are, numbers on paper, in photos and typed, and blank inputs. MNIST
digits are thinned to their skeleton and redrawn with a round pen of any width. Image ``i`` of a situation
depends only on the seed, the situation and ``i``, so a smaller ``--count`` gives a prefix of the full set.

MNIST's test split is read from ``--data DIR`` or DIGITREC_DATA as bench/situations.py reads it. The fonts are
bench/situations.py's, which ``make system-deps`` installs, so every machine set up by it draws the same
images. This is where the set differs from the scratch generator it came from (the same random draws in the
same order otherwise): that one drew from every font on the machine, so ``typed``, ``numbers_typed`` and the
typed quarter of ``boxed`` show other fonts for the same seed.

Prints the Markdown table of bench/situations.py, judged as it judges: a digit (or a whole number, for the
numbers_* situations) read right whatever the status; for ``blank``, status "no_digit" from both ``predict``
and ``read_number``. With ``--out DIR`` the table is also written to DIR/independent.md, every failing image to
DIR/failures/<situation>/ named by index, label and answer, and DIR/failures.md says how each failing image was
drawn (derived from MNIST: never commit them). With ``--alone``, each digit of the numbers of redrawn MNIST digits
is also read alone on white paper: how many numbers have every digit read right so (what reading the number in
place can reach with this classifier), and which failing numbers have a digit misread even alone.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from scipy import ndimage

# Run as a script, Python puts bench/ on the path, not the repository that holds the bench package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.situations import (
    FONT_DIR,
    HANDWRITING_FONTS,
    ORDINARY_FONTS,
    TABLE_HEAD,
    Outcome,
    Sample,
    answer,
    encode,
    lay_ink,
    save_failures,
    table_row,
)
from digitrec.data import Split, load_split
from digitrec.recognizer import Recognizer

DEFAULT_COUNT = 200
FONTS = tuple(FONT_DIR / name for name in ORDINARY_FONTS + HANDWRITING_FONTS)
PAPERS = {
    "white": (245, 245, 242),
    "cream": (240, 232, 210),
    "yellow_note": (250, 236, 130),
    "pink_note": (248, 190, 205),
    "blue_note": (180, 215, 240),
    "green_note": (200, 235, 180),
    "grey_recycled": (205, 203, 196),
}
INKS = {  # colour, opacity
    "black": ((25, 25, 30), 1.0),
    "blue_ball": ((30, 45, 150), 0.95),
    "blue_gel": ((20, 70, 210), 1.0),
    "red": ((190, 30, 40), 1.0),
    "green": ((30, 120, 60), 1.0),
    "pencil": ((80, 80, 85), 0.6),
    "marker_black": ((10, 10, 10), 1.0),
}
RULE_COLOUR = (150, 180, 220)
GRID_COLOURS = ((150, 180, 220), (170, 170, 170), (120, 150, 200), (200, 160, 160))
FORM_FRAME_COLOURS = {
    "black": (20, 20, 20),
    "grey": (120, 120, 120),
    "dropout_red": (230, 120, 120),
    "light_blue": (150, 190, 230),
}
CANVAS_STYLES = (
    "transparent_black",
    "white_on_black",
    "colour_on_transparent",
    "black_on_white",
    "colour_on_white",
    "white_on_transparent",
)
CANVAS_COLOURS = ((255, 0, 0), (0, 90, 255), (0, 160, 0), (255, 200, 0), (160, 0, 200), (255, 120, 0))
PHOTO_SIZES = ((640, 480), (800, 600), (1024, 768), (1280, 960), (1600, 1200), (1512, 2016), (960, 1280))
LARGE_PHOTO_SIZES = ((2016, 1512), (1512, 2016), (3024, 4032), (4032, 3024), (2560, 1920))
CANVAS_SIZES = ((280, 280), (560, 560), (390, 390), (1080, 1080), (360, 600), (750, 1000), (400, 300))
TYPED_SIZES = ((100, 100), (200, 200), (300, 300), (640, 480), (64, 64), (40, 60), (1000, 600))
BLANK_CASES = (
    "transparent",
    "white",
    "black",
    "paper_photo",
    "grid_only",
    "ruled_only",
    "speck",
    "jpeg_noise",
    "paper_photo_shadow",
    "dots_only",
)
MNIST_INK = 40  # an MNIST pixel above this is the digit's ink
PEN_INSET_PX = 4  # a pen drawing's ink starts about this far inside its frame (the padding less the pen's radius)


@dataclass(frozen=True)
class Skeleton:
    """An MNIST digit's centre line as (N, 4) segments x0 y0 x1 y1 at unit height, its width / height, its label."""

    segments: np.ndarray
    aspect: float
    label: int


# --- digits ---------------------------------------------------------------------------------------------------


def thin(mask: np.ndarray) -> np.ndarray:
    """The one-pixel skeleton of a boolean mask (Zhang-Suen thinning)."""
    image = np.pad(mask.astype(np.uint8), 1)
    while True:
        changed = False
        for step in (0, 1):
            p2, p3, p4 = image[:-2, 1:-1], image[:-2, 2:], image[1:-1, 2:]
            p5, p6, p7 = image[2:, 2:], image[2:, 1:-1], image[2:, :-2]
            p8, p9 = image[1:-1, :-2], image[:-2, :-2]
            ring = [p2, p3, p4, p5, p6, p7, p8, p9, p2]
            neighbours = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9
            transitions = sum(((ring[i] == 0) & (ring[i + 1] == 1)).astype(np.uint8) for i in range(8))
            removable = (image[1:-1, 1:-1] == 1) & (neighbours >= 2) & (neighbours <= 6) & (transitions == 1)
            if step == 0:
                removable &= (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                removable &= (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            if removable.any():
                image[1:-1, 1:-1][removable] = 0
                changed = True
        if not changed:
            return image[1:-1, 1:-1].astype(bool)


def crop_to_ink(image: np.ndarray, threshold: float = 0) -> np.ndarray:
    """The smallest crop of ``image`` that holds every pixel above ``threshold``."""
    rows = np.flatnonzero(image.max(axis=1) > threshold)
    cols = np.flatnonzero(image.max(axis=0) > threshold)
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def mnist_skeleton(split: Split, index: int) -> Skeleton:
    """The skeleton of test digit ``index``, thinned from the digit upscaled four times."""
    digit = crop_to_ink(split.images[index], MNIST_INK)
    size = (digit.shape[1] * 4, digit.shape[0] * 4)
    large = np.asarray(Image.fromarray(digit).resize(size, Image.Resampling.BICUBIC))
    skeleton = thin(large > 110)
    ys, xs = np.nonzero(skeleton)
    segments = []
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
        linked = skeleton[np.clip(ys + dy, 0, skeleton.shape[0] - 1), np.clip(xs + dx, 0, skeleton.shape[1] - 1)]
        linked &= (ys + dy < skeleton.shape[0]) & (xs + dx >= 0) & (xs + dx < skeleton.shape[1])
        for y, x in zip(ys[linked], xs[linked]):
            segments.append((x, y, x + dx, y + dy))
    for y, x in zip(ys, xs):
        segments.append((x, y, x, y))
    height = float(large.shape[0])
    unit = (np.array(segments, dtype=np.float64) + 0.5) / height
    return Skeleton(unit, large.shape[1] / height, int(split.labels[index]))


def pen_alpha(
    skeleton: Skeleton, height: int, radius: float, wobble: float = 0.0, rng: np.random.Generator | None = None
) -> np.ndarray:
    """A skeleton drawn ``height`` px tall with a round pen of ``radius`` px: antialiased coverage in [0, 1].

    With ``wobble`` and ``rng`` the strokes follow a slow hand: a smooth displacement of up to ``wobble`` of the
    height.
    """
    pad = int(math.ceil(radius)) + 3
    width = max(1, int(round(skeleton.aspect * height)))
    canvas = Image.new("L", (width + 2 * pad, height + 2 * pad), 0)
    draw = ImageDraw.Draw(canvas)
    points = skeleton.segments * (height - 1)
    if wobble and rng is not None:
        ax, ay, fx, fy = rng.uniform(-wobble, wobble, 4)
        points = points.copy()
        for x_col, y_col in ((0, 1), (2, 3)):
            x, y = points[:, x_col].copy(), points[:, y_col].copy()
            points[:, x_col] += ax * height * np.sin(y / height * 3 + fx)
            points[:, y_col] += ay * height * np.sin(x / height * 3 + fy)
    for x0, y0, x1, y1 in points:
        draw.line([(x0 + pad, y0 + pad), (x1 + pad, y1 + pad)], fill=255, width=1)
    distance = ndimage.distance_transform_edt(np.asarray(canvas) == 0)
    return np.clip(radius + 0.5 - distance, 0.0, 1.0).astype(np.float32)


def font_alpha(text: str, font_path: Path, height: int) -> np.ndarray:
    """Text rendered in a font, cropped to its ink and scaled so that the ink is ``height`` px tall, padded."""
    font = ImageFont.truetype(str(font_path), 200)
    canvas = Image.new("L", (260 * len(text) + 100, 400), 0)
    ImageDraw.Draw(canvas).text((50, 50), text, font=font, fill=255)
    ink = crop_to_ink(np.asarray(canvas))
    width = max(1, int(round(ink.shape[1] * height / ink.shape[0])))
    scaled = Image.fromarray(ink).resize((width, height), Image.Resampling.LANCZOS)
    return np.pad(np.clip(np.asarray(scaled, dtype=np.float32) / 255, 0, 1), 3)


def random_mnist(rng: np.random.Generator, split: Split) -> int:
    """A random index into the test split."""
    return int(rng.integers(len(split.labels)))


def pen_digit(
    rng: np.random.Generator, split: Split, height: int, radius_share: tuple[float, float], wobble: float = 0.0
) -> tuple[np.ndarray, int]:
    """A random MNIST test digit redrawn with a pen of a random width: (coverage, label)."""
    skeleton = mnist_skeleton(split, random_mnist(rng, split))
    radius = max(0.6, rng.uniform(*radius_share) * height)
    return pen_alpha(skeleton, height, radius, wobble, rng), skeleton.label


def number_alpha(
    rng: np.random.Generator,
    split: Split,
    length: int,
    height: int,
    radius_share: tuple[float, float],
    gap_share: tuple[float, float],
) -> tuple[np.ndarray, str, list[np.ndarray]]:
    """``length`` MNIST digits written side by side with one pen, gaps of ``gap_share`` of the height (negative:
    overlapping), each a little higher or lower: (coverage, the number, each digit's coverage alone)."""
    radius = max(0.8, rng.uniform(*radius_share) * height)
    pieces, label = [], ""
    for _ in range(length):
        skeleton = mnist_skeleton(split, random_mnist(rng, split))
        pieces.append(pen_alpha(skeleton, int(height * rng.uniform(0.85, 1.1)), radius))
        label += str(skeleton.label)
    strip_height = max(piece.shape[0] for piece in pieces) + int(0.2 * height)
    gaps = [int(rng.uniform(*gap_share) * height) for _ in range(length - 1)] + [0]
    width = sum(piece.shape[1] for piece in pieces) + sum(gaps) + 10
    strip = np.zeros((strip_height, max(width, 10)), np.float32)
    x = 5
    for piece, gap in zip(pieces, gaps):
        y = int((strip_height - piece.shape[0]) * rng.uniform(0.3, 0.7))
        x = max(0, x)
        window = strip[y : y + piece.shape[0], x : x + piece.shape[1]]
        np.maximum(window, piece[: window.shape[0], : window.shape[1]], out=window)
        x += piece.shape[1] + gap
    cols = np.flatnonzero(strip.max(axis=0) > 0)
    return strip[:, max(0, cols[0] - 3) : cols[-1] + 4], label, pieces


def alone_on_paper(pieces: list[np.ndarray]) -> tuple[bytes, ...]:
    """Each digit of a number drawn alone in black on white paper, with a margin of half its height: PNG bytes."""
    return tuple(encode(to_image(255 * (1 - np.pad(piece, piece.shape[0] // 2))), "PNG") for piece in pieces)


def resized(alpha: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Coverage resized to ``size`` (width, height) with bilinear interpolation."""
    return np.asarray(Image.fromarray(alpha, "F").resize(size, Image.Resampling.BILINEAR))


# --- paper and ink --------------------------------------------------------------------------------------------


def paper(
    rng: np.random.Generator,
    height: int,
    width: int,
    tone: tuple[int, int, int],
    lines: str | None,
    line_step: float,
    line_colour: tuple[int, int, int] = RULE_COLOUR,
) -> np.ndarray:
    """A sheet (H, W, 3) of floats in 0..255 with fibre noise and ``lines``: None, "ruled" (maybe with a red
    margin line), "grid" (squared) or "dots", ``line_step`` px apart."""
    sheet = np.array(tone, np.float32)[None, None, :] * np.ones((height, width, 1), np.float32)
    fibre = ndimage.gaussian_filter(rng.normal(0, 1, (height // 4 + 1, width // 4 + 1)).astype(np.float32), 1)
    fibre = np.asarray(Image.fromarray(fibre, "F").resize((width, height), Image.Resampling.BILINEAR))
    sheet += fibre[..., None] * 3.0
    if not lines:
        return sheet
    step = max(6, int(line_step))
    thickness = max(1, int(round(step / 18)))
    strength = rng.uniform(0.5, 0.9)
    mask = np.zeros((height, width), np.float32)
    off_y, off_x = rng.integers(step), rng.integers(step)
    if lines in ("ruled", "grid"):
        for y in range(off_y, height, step):
            mask[y : y + thickness] = 1.0
    if lines == "grid":
        for x in range(off_x, width, step):
            mask[:, x : x + thickness] = 1.0
    if lines == "dots":
        mask[off_y::step, off_x::step] = 1.0
        mask = ndimage.maximum_filter(mask, size=thickness + 1)
    if lines == "ruled" and rng.random() < 0.4:
        x = int(width * rng.uniform(0.05, 0.2))
        sheet[:, x : x + thickness + 1] = sheet[:, x : x + thickness + 1] * 0.3 + np.array([220, 90, 90]) * 0.7
    mask *= strength
    return sheet * (1 - mask[..., None]) + np.array(line_colour, np.float32) * mask[..., None]


def choose_paper(
    rng: np.random.Generator, variant: dict[str, object], grid_only: bool = False
) -> tuple[tuple[int, int, int], str | None]:
    """A random paper tone and its lines (mostly plain; squared or dotted only with ``grid_only``)."""
    lines = rng.choice(["grid", "dots"] if grid_only else [None, None, None, "ruled", "grid"])
    tone_name = str(rng.choice(list(PAPERS)))
    variant["paper"], variant["lines"] = tone_name, lines
    return PAPERS[tone_name], lines


def put_ink(sheet: np.ndarray, alpha: np.ndarray, x: int, y: int, ink: str, rng: np.random.Generator) -> None:
    """Lay ``ink`` (a name in INKS) with the coverage ``alpha`` at (x, y) on the sheet, clipped at its edges, with
    the uneven texture of ink on paper."""
    colour, opacity = INKS[ink]
    height, width = sheet.shape[:2]
    left, top = max(0, x), max(0, y)
    right, bottom = min(width, x + alpha.shape[1]), min(height, y + alpha.shape[0])
    if right <= left or bottom <= top:
        return
    cover = alpha[top - y : bottom - y, left - x : right - x] * opacity
    cover = cover * np.clip(1 - np.abs(rng.normal(0, 0.12, cover.shape)), 0.5, 1).astype(np.float32)
    lay_ink(sheet, cover, left, top, np.array(colour, np.float32))


def to_image(array: np.ndarray) -> Image.Image:
    """Floats in 0..255 as an 8-bit image."""
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


# --- the camera -----------------------------------------------------------------------------------------------


def perspective_coefficients(source: np.ndarray, target: np.ndarray) -> list[float]:
    """The coefficients of PIL's PERSPECTIVE transform that map the ``target`` corners to the ``source`` ones."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return np.linalg.solve(np.array(rows, float), np.array(values, float)).tolist()


def perspective(image: Image.Image, rng: np.random.Generator, amount: float, table: tuple[int, ...]) -> Image.Image:
    """The image seen at an angle: each corner moved by up to ``amount`` of the frame, the table seen beyond."""
    width, height = image.size
    corners = np.array([(0, 0), (width, 0), (width, height), (0, height)])
    moved = corners + rng.uniform(-amount, amount, (4, 2)) * (width, height)
    coefficients = perspective_coefficients(moved, corners)
    return image.transform(
        (width, height), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR, fillcolor=table
    )


def smooth_field(height: int, width: int, field: Callable, factor: int = 8) -> np.ndarray:
    """``field(y, x)`` (in the full image's pixels) computed on a grid ``factor`` times coarser, then enlarged."""
    coarse_height, coarse_width = max(2, height // factor), max(2, width // factor)
    ys = (np.arange(coarse_height, dtype=np.float32)[:, None] + 0.5) * (height / coarse_height)
    xs = (np.arange(coarse_width, dtype=np.float32)[None, :] + 0.5) * (width / coarse_width)
    coarse = np.asarray(field(ys, xs) * np.ones((coarse_height, coarse_width), np.float32), np.float32)
    return np.asarray(Image.fromarray(coarse, "F").resize((width, height), Image.Resampling.BILINEAR))


def lighting(array: np.ndarray, rng: np.random.Generator, strength: float = 0.35) -> np.ndarray:
    """Light falling across the sheet: a gradient in a random direction, vignetting and a colour cast."""
    height, width = array.shape[:2]
    angle = rng.uniform(0, 2 * np.pi)
    amount = strength * rng.uniform(0.2, 1)
    vignette = rng.uniform(0, 0.35)

    def light(ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        gradient = np.cos(angle) * xs / width + np.sin(angle) * ys / height
        gradient = 1 - amount * (gradient - gradient.min()) / max(np.ptp(gradient), 1e-6)
        radius2 = ((xs - width / 2) / (width / 2)) ** 2 + ((ys - height / 2) / (height / 2)) ** 2
        return gradient * (1 - vignette * np.clip(radius2 / 2, 0, 1))

    lit = array * smooth_field(height, width, light)[..., None]
    return lit * rng.uniform([0.85, 0.85, 0.8], [1.05, 1.0, 1.1])[None, None, :].astype(np.float32)


def shadow_or_thumb(array: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """The sheet with a soft shadow (of the phone or the hand) over one side, or a thumb at an edge."""
    height, width = array.shape[:2]
    if rng.random() < 0.5:
        angle = rng.uniform(0, 2 * np.pi)
        edge = rng.uniform(-0.1, 0.3)
        softness = rng.uniform(0.02, 0.1)
        darkness = rng.uniform(0.35, 0.6)

        def shade(ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
            distance = (np.cos(angle) * (xs - width / 2) + np.sin(angle) * (ys - height / 2)) / max(height, width)
            return 1 - darkness / (1 + np.exp(-(distance - edge) / softness))

        return array * smooth_field(height, width, shade, 4)[..., None], "shadow"
    # A skin-coloured blurred ellipse entering from an edge.
    side = rng.integers(4)
    cx = {0: rng.uniform(0.2, 0.8) * width, 1: width, 2: rng.uniform(0.2, 0.8) * width, 3: 0}[side]
    cy = {0: height, 1: rng.uniform(0.2, 0.8) * height, 2: 0, 3: rng.uniform(0.2, 0.8) * height}[side]
    rx, ry = rng.uniform(0.1, 0.16) * width, rng.uniform(0.15, 0.25) * height
    if side in (1, 3):
        rx, ry = ry * width / height, rx * height / width
    ellipse = smooth_field(height, width, lambda ys, xs: ((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2, 4)
    cover = np.clip((1.15 - ellipse) / 0.3, 0, 1)
    skin = np.array(rng.choice([[225, 170, 140], [190, 135, 100], [140, 95, 70]]), np.float32)
    shading = 0.75 + 0.25 * np.clip(1 - ellipse, 0, 1)
    return array * (1 - cover[..., None]) + (skin * shading[..., None]) * cover[..., None], "thumb"


def blur(image: Image.Image, rng: np.random.Generator, scale: float) -> tuple[Image.Image, str]:
    """The image sharp, out of focus or shaken (motion blur), ``scale`` times a 1000 px image's blur."""
    chance = rng.random()
    if chance < 0.35:
        return image, "sharp"
    if chance < 0.7:
        return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.5) * scale)), "defocus"
    array = np.asarray(image, np.float32)
    length = max(2, int(rng.uniform(3, 10) * scale))
    angle = rng.uniform(0, np.pi)
    dx, dy = np.cos(angle), np.sin(angle)
    total = np.zeros_like(array)
    for i in range(length):
        t = i - length / 2
        total += np.roll(array, (int(round(t * dy)), int(round(t * dx))), axis=(0, 1))
    return Image.fromarray(np.clip(total / length, 0, 255).astype(np.uint8)), "motion"


def photograph(
    rng: np.random.Generator,
    sheet: np.ndarray,
    variant: dict[str, object],
    tilt: float = 0.07,
    shadow_chance: float = 0.0,
    final_size: tuple[int, int] | None = None,
) -> bytes:
    """A phone photo of a sheet, as JPEG bytes: perspective (corners moved by up to ``tilt``), light and colour
    cast, maybe a shadow or a thumb, sensor noise, blur; made at the sheet's size and enlarged to ``final_size``
    (a phone's own processing)."""
    image = to_image(sheet)
    if tilt and rng.random() < 0.8:
        image = perspective(image, rng, tilt, table=tuple(int(c) for c in rng.integers(40, 140, 3)))
        variant["perspective"] = True
    array = lighting(np.asarray(image, np.float32), rng)
    if shadow_chance and rng.random() < shadow_chance:
        array, variant["occluder"] = shadow_or_thumb(array, rng)
    sigma = np.float32(rng.uniform(1, 6))
    array = array + rng.standard_normal((*array.shape[:2], 1), dtype=np.float32) * sigma
    image, variant["blur"] = blur(to_image(array), rng, max(image.size) / 1000)
    if final_size is not None:
        image = image.resize(final_size, Image.Resampling.BICUBIC)
    quality = int(rng.integers(40, 91))
    variant["quality"] = quality
    return encode(image, "JPEG", quality=quality)


def note(variant: dict[str, object]) -> str:
    """How a sample was drawn, as ``key=value`` words."""
    return " ".join(f"{key}={value}" for key, value in variant.items())


# --- situations -----------------------------------------------------------------------------------------------
# Each takes its own random source and the MNIST test split (None for those that draw no MNIST digit).


def place(rng: np.random.Generator, frame: int, size: int, low: float = 0.1, high: float = 0.9) -> int:
    """A random position of something ``size`` long in a ``frame``, between ``low`` and ``high`` of the room."""
    return int(rng.uniform(low, high) * (frame - size))


def photo_of_a_digit(
    rng: np.random.Generator,
    split: Split,
    digit_share: tuple[float, float],
    inks: list[str],
    room: tuple[float, float],
    tilt: float,
    shadow_chance: float = 0.0,
) -> Sample:
    """A phone photo of one handwritten digit, ``digit_share`` of the shorter side tall, in one of ``inks`` on paper
    of any tone and lines, placed between ``room`` of the free space across and down."""
    variant: dict[str, object] = {}
    width, height = PHOTO_SIZES[rng.integers(len(PHOTO_SIZES))]
    tone, lines = choose_paper(rng, variant)
    digit_height = int(min(width, height) * rng.uniform(*digit_share))
    sheet = paper(rng, height, width, tone, lines, digit_height * rng.uniform(0.35, 0.8))
    alpha, label = pen_digit(rng, split, digit_height, (0.02, 0.06), wobble=0.02)
    ink = str(rng.choice(inks))
    variant.update(ink=ink, size=(width, height), digit_height=digit_height)
    x, y = place(rng, width, alpha.shape[1], *room), place(rng, height, alpha.shape[0], *room)
    put_ink(sheet, alpha, x, y, ink, rng)
    return Sample(photograph(rng, sheet, variant, tilt, shadow_chance), str(label), note(variant))


def photo_colour(rng: np.random.Generator, split: Split) -> Sample:
    """A phone photo of one handwritten digit: coloured ink and paper, perspective, light, blur, JPEG."""
    return photo_of_a_digit(rng, split, (0.15, 0.6), list(INKS), (0.1, 0.9), tilt=0.07)


def photo_grid(rng: np.random.Generator, split: Split) -> Sample:
    """A phone photo of a digit on squared or dotted paper, the grid's step a fifth to a whole digit height."""
    variant: dict[str, object] = {}
    width, height = PHOTO_SIZES[rng.integers(len(PHOTO_SIZES))]
    tone, lines = choose_paper(rng, variant, grid_only=True)
    digit_height = int(min(width, height) * rng.uniform(0.15, 0.5))
    step = digit_height * rng.uniform(0.2, 1.0)
    line_colour = tuple(int(c) for c in rng.choice(GRID_COLOURS))
    sheet = paper(rng, height, width, tone, lines, step, line_colour)
    alpha, label = pen_digit(rng, split, digit_height, (0.02, 0.05), wobble=0.02)
    ink = str(rng.choice(["black", "blue_ball", "blue_gel", "pencil", "red"]))
    variant.update(ink=ink, size=(width, height), digit_height=digit_height, step_share=round(step / digit_height, 2))
    x, y = place(rng, width, alpha.shape[1]), place(rng, height, alpha.shape[0])
    put_ink(sheet, alpha, x, y, ink, rng)
    return Sample(photograph(rng, sheet, variant, tilt=0.05), str(label), note(variant))


def photo_tiny(rng: np.random.Generator, split: Split) -> Sample:
    """A large phone photo (up to 12 MP) with a small digit somewhere in it."""
    variant: dict[str, object] = {}
    final_width, final_height = LARGE_PHOTO_SIZES[rng.integers(len(LARGE_PHOTO_SIZES))]
    width, height = final_width // 2, final_height // 2  # made at half resolution, enlarged at the end
    tone = PAPERS[str(rng.choice(["white", "cream", "grey_recycled", "yellow_note"]))]
    share = rng.uniform(0.06, 0.15)
    digit_height = int(min(width, height) * share)
    sheet = paper(rng, height, width, tone, None, 0)
    alpha, label = pen_digit(rng, split, digit_height, (0.03, 0.07))
    ink = str(rng.choice(["black", "blue_ball", "pencil", "marker_black"]))
    variant.update(ink=ink, size=(final_width, final_height), digit_share=round(share, 3))
    x, y = place(rng, width, alpha.shape[1], 0.05, 0.95), place(rng, height, alpha.shape[0], 0.05, 0.95)
    put_ink(sheet, alpha, x, y, ink, rng)
    data = photograph(rng, sheet, variant, tilt=0.04, final_size=(final_width, final_height))
    return Sample(data, str(label), note(variant))


def photo_edge(rng: np.random.Generator, split: Split) -> Sample:
    """A tight crop of a photo: the digit touches the image's border on some sides, or a sliver is cut off."""
    variant: dict[str, object] = {}
    digit_height = int(rng.uniform(150, 500))
    alpha, label = pen_digit(rng, split, digit_height, (0.03, 0.07), wobble=0.02)
    sides = str(rng.choice(["top", "bottom", "left", "right", "top+bottom", "left+top", "all"]))
    margins = {side: int(rng.uniform(0.0, 0.6) * digit_height) for side in ("left", "right", "top", "bottom")}
    for side in sides.split("+") if sides != "all" else ["top", "bottom", "left", "right"]:
        cut = -int(rng.uniform(-0.01, 0.03) * digit_height)  # touching, or a sliver cut off
        margins[side] = cut - PEN_INSET_PX
    height = max(20, alpha.shape[0] + margins["top"] + margins["bottom"])
    width = max(20, alpha.shape[1] + margins["left"] + margins["right"])
    tone, lines = choose_paper(rng, variant)
    sheet = paper(rng, height, width, tone, lines, digit_height * rng.uniform(0.3, 0.7))
    ink = str(rng.choice(["black", "blue_ball", "blue_gel", "pencil", "red"]))
    put_ink(sheet, alpha, margins["left"], margins["top"], ink, rng)
    variant.update(ink=ink, sides=sides, size=(width, height))
    return Sample(photograph(rng, sheet, variant, tilt=0.0), str(label), note(variant))


def photo_occluded(rng: np.random.Generator, split: Split) -> Sample:
    """A phone photo with a shadow across it or a thumb at its edge."""
    inks = ["black", "blue_ball", "blue_gel", "pencil"]
    return photo_of_a_digit(rng, split, (0.2, 0.55), inks, (0.2, 0.8), tilt=0.05, shadow_chance=1.0)


def edge_position(rng: np.random.Generator, frame: int, size: int, pad: int, radius: float) -> int:
    """Where a pen drawing ``size`` long, its ink ``pad`` px inside its frame, starts in a ``frame``: past the near
    or the far edge, cut off by up to the pen's ``radius`` there, or anywhere in between."""
    near = -pad - radius * rng.uniform(0, 1)
    far = frame - size + pad + radius * rng.uniform(0, 1)
    between = rng.uniform(0, max(1, frame - size))
    return int(rng.choice([near, far, between]))


def canvas_drawing(
    rng: np.random.Generator,
    split: Split,
    variant: dict[str, object],
    radius_share: tuple[float, float],
    fill_share: tuple[float, float],
    into_edge: bool = False,
) -> Sample:
    """A drawing exported from a browser canvas: a brush ``radius_share`` of the digit's height, the digit
    ``fill_share`` of the canvas; with ``into_edge``, the drawing runs off the canvas on a side or two."""
    width, height = CANVAS_SIZES[rng.integers(len(CANVAS_SIZES))]
    style = str(rng.choice(CANVAS_STYLES))
    digit_height = int(min(width, height) * rng.uniform(*fill_share))
    skeleton = mnist_skeleton(split, random_mnist(rng, split))
    radius = max(1.5, rng.uniform(*radius_share) * digit_height)
    alpha = pen_alpha(skeleton, digit_height, radius, 0.02, rng)
    alpha_height, alpha_width = alpha.shape
    pad = int(math.ceil(radius)) + 3
    if into_edge:
        x = edge_position(rng, width, alpha_width, pad, radius)
        y = edge_position(rng, height, alpha_height, pad, radius)
    else:
        x = int(rng.uniform(0, 1) * max(0, width - alpha_width))
        y = int(rng.uniform(0, 1) * max(0, height - alpha_height))
    cover = np.zeros((height, width), np.float32)
    left, top = max(0, x), max(0, y)
    right, bottom = min(width, x + alpha_width), min(height, y + alpha_height)
    cover[top:bottom, left:right] = alpha[top - y : bottom - y, left - x : right - x]
    colour = CANVAS_COLOURS[rng.integers(len(CANVAS_COLOURS))]
    cover8 = (cover * 255).astype(np.uint8)
    if style in ("transparent_black", "white_on_transparent", "colour_on_transparent"):
        pixels = np.zeros((height, width, 4), np.uint8)
        pixels[..., :3] = {"transparent_black": 0, "white_on_transparent": 255, "colour_on_transparent": colour}[style]
        pixels[..., 3] = cover8
    elif style == "white_on_black":
        pixels = np.repeat(cover8[..., None], 3, axis=2)
    elif style == "black_on_white":
        pixels = np.repeat((255 - cover8)[..., None], 3, axis=2)
    else:
        surface = np.full((height, width, 3), 255, np.float32)
        lay_ink(surface, cover, 0, 0, np.array(colour, np.float32))
        pixels = surface.astype(np.uint8)
    variant.update(
        style=style,
        size=(width, height),
        radius_share=round(radius / digit_height, 3),
        fill=round(digit_height / min(width, height), 2),
    )
    image = Image.fromarray(pixels)
    if style in ("white_on_black", "black_on_white", "colour_on_white") and rng.random() < 0.3:
        return Sample(encode(image, "JPEG", quality=int(rng.integers(70, 95))), str(skeleton.label), note(variant))
    return Sample(encode(image, "PNG"), str(skeleton.label), note(variant))


def canvas_brush(rng: np.random.Generator, split: Split) -> Sample:
    """A browser canvas drawing: a thick round brush, transparent, dark or coloured canvases of many sizes."""
    return canvas_drawing(rng, split, {}, (0.04, 0.12), (0.4, 0.9))


def canvas_edge_huge(rng: np.random.Generator, split: Split) -> Sample:
    """A canvas drawing that fills the canvas and runs into its edge, or is drawn with a huge brush."""
    if rng.random() < 0.5:
        return canvas_drawing(rng, split, {"case": "huge_brush"}, (0.12, 0.2), (0.5, 0.85))
    return canvas_drawing(rng, split, {"case": "edge"}, (0.04, 0.12), (0.7, 1.0), into_edge=True)


def scan(rng: np.random.Generator, split: Split) -> Sample:
    """A greyscale scan: slight rotation, scanner noise and streak, a staple, a punched hole or the lid beyond the
    paper's edge; PNG or JPEG."""
    variant: dict[str, object] = {}
    width, height = int(rng.uniform(500, 1400)), int(rng.uniform(500, 1200))
    digit_height = int(rng.uniform(0.15, 0.5) * min(width, height))
    tone_name = str(rng.choice(["white", "cream", "grey_recycled"]))
    _, lines = choose_paper(rng, variant)  # its tone is not used: a scanned sheet is one of the three above
    variant["paper"] = tone_name
    sheet = paper(rng, height, width, PAPERS[tone_name], lines, digit_height * rng.uniform(0.4, 0.9), (170, 170, 170))
    alpha, label = pen_digit(rng, split, digit_height, (0.02, 0.05), wobble=0.02)
    ink = str(rng.choice(["black", "blue_ball", "pencil", "red"]))
    x, y = place(rng, width, alpha.shape[1]), place(rng, height, alpha.shape[0])
    put_ink(sheet, alpha, x, y, ink, rng)
    extra = str(rng.choice(["none", "staple", "hole", "hole", "edge"]))
    gray = Image.fromarray(sheet.mean(axis=2).astype(np.float32), "F")
    if extra == "staple":
        sx, sy = int(rng.uniform(0.02, 0.3) * width), int(rng.uniform(0.02, 0.2) * height)
        length = int(0.04 * width + 20)
        end = (sx + length, sy + int(rng.uniform(-0.3, 0.3) * length))
        ImageDraw.Draw(gray).line([(sx, sy), end], fill=60.0, width=max(3, length // 8))
    elif extra == "hole":
        r = int(0.012 * max(width, height) * 300 / 150 + 6)
        hx = int(rng.choice([rng.uniform(0.02, 0.1), rng.uniform(0.9, 0.98)]) * width)
        hy = int(rng.uniform(0.1, 0.9) * height)
        ImageDraw.Draw(gray).ellipse([hx - r, hy - r, hx + r, hy + r], fill=float(rng.choice([20.0, 90.0])))
    elif extra == "edge":
        lid = np.asarray(gray).copy()
        lid[:, : int(rng.uniform(0.0, 0.06) * width)] = 30  # the scanner's lid beyond the paper's edge
        gray = Image.fromarray(lid, "F")
    image = Image.fromarray(np.clip(np.asarray(gray), 0, 255).astype(np.uint8))
    angle = rng.uniform(-4, 4)
    image = image.rotate(angle, Image.Resampling.BICUBIC, fillcolor=int(rng.choice([255, 235, 40])))
    array = np.asarray(image, np.float32) + rng.normal(0, rng.uniform(1, 5), (height, width))
    if rng.random() < 0.3:
        array[:, int(rng.uniform(0, width))] -= rng.uniform(20, 60)  # a streak along the scan
    variant.update(ink=ink, extra=extra, angle=round(angle, 1), size=(width, height))
    fmt = "PNG" if rng.random() < 0.5 else "JPEG"
    return Sample(encode(to_image(array), fmt, quality=int(rng.integers(60, 95))), str(label), note(variant))


def typed(rng: np.random.Generator, split: Split | None) -> Sample:
    """A digit typed in a font: many sizes, dark on light, light on dark, or on a coloured background."""
    label = int(rng.integers(10))
    font = FONTS[rng.integers(len(FONTS))]
    width, height = TYPED_SIZES[rng.integers(len(TYPED_SIZES))]
    alpha = font_alpha(str(label), font, max(8, int(min(width, height) * rng.uniform(0.25, 0.8))))
    style = str(rng.choice(["dark_on_light", "light_on_dark", "coloured"]))
    if style == "dark_on_light":
        background, colour = (255, 255, 255), (0, 0, 0)
    elif style == "light_on_dark":
        background = tuple(int(c) for c in rng.integers(0, 70, 3))
        colour = (255, 255, 255) if rng.random() < 0.6 else (250, 220, 60)
    else:
        background = tuple(int(c) for c in rng.integers(150, 256, 3))
        colour = tuple(int(c) for c in rng.integers(0, 100, 3))
    surface = np.ones((height, width, 3), np.float32) * np.array(background, np.float32)
    x = int(rng.uniform(0, 1) * max(0, width - alpha.shape[1]))
    y = int(rng.uniform(0, 1) * max(0, height - alpha.shape[0]))
    lay_ink(surface, alpha, x, y, np.array(colour, np.float32))
    fmt = str(rng.choice(["PNG", "JPEG"]))
    data = encode(to_image(surface), fmt, quality=int(rng.integers(50, 95)))
    return Sample(data, str(label), note({"font": font.name, "style": style, "size": (width, height)}))


def boxed(rng: np.random.Generator, split: Split) -> Sample:
    """A digit in a printed form's box (maybe a comb of boxes), handwritten or typed, scanned or photographed."""
    variant: dict[str, object] = {}
    box_width = int(rng.uniform(60, 300))
    box_height = int(box_width * rng.uniform(0.9, 1.5))
    outside = int(rng.uniform(0.1, 1.0) * box_width)
    width, height = box_width + 2 * outside, box_height + 2 * outside
    form = to_image(paper(rng, height, width, PAPERS[str(rng.choice(["white", "cream"]))], None, 0))
    frame = str(rng.choice(list(FORM_FRAME_COLOURS)))
    thickness = max(1, int(rng.uniform(0.01, 0.04) * box_width))
    comb = rng.random() < 0.3
    for k in (0, -1, 1) if comb else (0,):  # a comb's empty neighbours on either side
        left = outside + k * box_width
        box = [left, outside, left + box_width, outside + box_height]
        ImageDraw.Draw(form).rectangle(box, outline=FORM_FRAME_COLOURS[frame], width=thickness)
    sheet = np.asarray(form, np.float32).copy()
    inner = rng.uniform(0.6, 0.95)
    digit_height = int(box_height * inner)
    if rng.random() < 0.75:
        alpha, label = pen_digit(rng, split, digit_height, (0.03, 0.07), wobble=0.02)
        ink = str(rng.choice(["black", "blue_ball", "blue_gel"]))
        if alpha.shape[1] > box_width:  # a wide digit is written smaller to fit the box
            scale = box_width / alpha.shape[1]
            alpha = resized(alpha, (max(1, int(alpha.shape[1] * scale)), max(1, int(alpha.shape[0] * scale))))
    else:
        label = int(rng.integers(10))
        alpha = font_alpha(str(label), FONTS[rng.integers(len(FONTS))], digit_height)
        ink = "black"
    # In the box, maybe touching its frame.
    x = outside + int(rng.uniform(0, 1) * max(1, box_width - alpha.shape[1]))
    y = outside + int(rng.uniform(0, 1) * max(1, box_height - alpha.shape[0]))
    put_ink(sheet, alpha, x, y, ink, rng)
    variant.update(frame=frame, comb=comb, thickness=thickness, inner=round(inner, 2))
    variant["outside"] = round(outside / box_width, 2)
    if rng.random() < 0.5:
        variant["capture"] = "photo"
        return Sample(photograph(rng, sheet, variant, tilt=0.03), str(label), note(variant))
    variant["capture"] = "scan"
    scanned = to_image(sheet).convert("L").rotate(rng.uniform(-2, 2), Image.Resampling.BICUBIC, fillcolor=255)
    return Sample(encode(scanned, "PNG"), str(label), note(variant))


def mnist_png(rng: np.random.Generator, split: Split) -> Sample:
    """An MNIST test digit as a file: the 28x28 PNG, enlarged (nearest, bilinear), inverted, or a JPEG."""
    index = random_mnist(rng, split)
    digit = split.images[index]
    case = str(rng.choice(["raw28", "up_nearest", "up_bilinear", "inverted", "jpeg", "rgb_up_inverted"]))
    image = Image.fromarray(digit)
    side = int(rng.choice([56, 112, 200, 280, 560]))
    if case == "up_nearest":
        image = image.resize((side, side), Image.Resampling.NEAREST)
    elif case == "up_bilinear":
        image = image.resize((side, side), Image.Resampling.BILINEAR)
    elif case == "inverted":
        image = Image.fromarray(255 - digit)
    elif case == "rgb_up_inverted":
        image = Image.fromarray(255 - digit).resize((side, side), Image.Resampling.BICUBIC).convert("RGB")
    label = str(split.labels[index])
    if case == "jpeg":
        image = image.resize((side, side), Image.Resampling.BICUBIC)
        return Sample(encode(image, "JPEG", quality=int(rng.integers(40, 90))), label, note({"case": case}))
    return Sample(encode(image, "PNG"), label, note({"case": case}))


def numbers_paper(rng: np.random.Generator, split: Split) -> Sample:
    """A number of 2 to 6 MNIST digits on plain, ruled or squared paper, scanned flat; some digits touch."""
    variant: dict[str, object] = {}
    length = int(rng.integers(2, 7))
    digit_height = int(rng.uniform(60, 200))
    touching = rng.random() < 0.3
    gap = (-0.08, 0.02) if touching else (0.05, 0.6)
    alpha, label, pieces = number_alpha(rng, split, length, digit_height, (0.025, 0.06), gap)
    alpha_height, alpha_width = alpha.shape
    width = alpha_width + int(rng.uniform(0.2, 1.0) * alpha_width)
    height = alpha_height + int(rng.uniform(0.5, 2.0) * alpha_height)
    tone, lines = choose_paper(rng, variant)
    sheet = paper(rng, height, width, tone, lines, digit_height * rng.uniform(0.4, 0.9))
    ink = str(rng.choice(["black", "blue_ball", "blue_gel", "pencil"]))
    put_ink(sheet, alpha, place(rng, width, alpha_width), place(rng, height, alpha_height), ink, rng)
    variant.update(length=length, touching=touching, ink=ink, size=(width, height))
    image = to_image(sheet)
    if rng.random() < 0.5:
        image = image.convert("L")
    return Sample(encode(image, "PNG"), label, note(variant), alone_on_paper(pieces))


def numbers_photo(rng: np.random.Generator, split: Split) -> Sample:
    """A photographed number of 2 to 6 MNIST digits: perspective, light, colour, blur, JPEG; some digits touch."""
    variant: dict[str, object] = {}
    length = int(rng.integers(2, 7))
    width, height = PHOTO_SIZES[rng.integers(len(PHOTO_SIZES))]
    digit_height = int(min(width, height) * rng.uniform(0.1, 0.3))
    touching = rng.random() < 0.25
    gap = (-0.08, 0.02) if touching else (0.05, 0.5)
    alpha, label, pieces = number_alpha(rng, split, length, digit_height, (0.025, 0.06), gap)
    if alpha.shape[1] > 0.9 * width:  # written smaller to fit the page
        scale = 0.9 * width / alpha.shape[1]
        size = (int(alpha.shape[1] * scale), int(alpha.shape[0] * scale))
        alpha = np.asarray(Image.fromarray(alpha, "F").resize(size))
    alpha_height, alpha_width = alpha.shape
    tone, lines = choose_paper(rng, variant)
    sheet = paper(rng, height, width, tone, lines, digit_height * rng.uniform(0.4, 0.9))
    ink = str(rng.choice(["black", "blue_ball", "blue_gel", "pencil", "red"]))
    put_ink(sheet, alpha, place(rng, width, alpha_width), place(rng, height, alpha_height), ink, rng)
    variant.update(length=length, touching=touching, ink=ink, size=(width, height))
    return Sample(photograph(rng, sheet, variant, tilt=0.04), label, note(variant), alone_on_paper(pieces))


def numbers_typed(rng: np.random.Generator, split: Split | None) -> Sample:
    """A number of 2 to 6 digits typed in a font, dark on white or white on dark."""
    length = int(rng.integers(2, 7))
    label = "".join(str(digit) for digit in rng.integers(0, 10, length))
    font = FONTS[rng.integers(len(FONTS))]
    alpha = font_alpha(label, font, int(rng.uniform(20, 150)))
    alpha_height, alpha_width = alpha.shape
    width = alpha_width + int(rng.uniform(0.1, 1.0) * alpha_width) + 10
    height = alpha_height + int(rng.uniform(0.3, 2.0) * alpha_height) + 10
    dark = rng.random() < 0.3
    background = np.array((20, 20, 40) if dark else (255, 255, 255), np.float32)
    colour = np.array((255, 255, 255) if dark else (0, 0, 0), np.float32)
    surface = np.ones((height, width, 3), np.float32) * background
    x, y = int(rng.uniform(0, 1) * (width - alpha_width)), int(rng.uniform(0, 1) * (height - alpha_height))
    lay_ink(surface, alpha, x, y, colour)
    return Sample(encode(to_image(surface), "PNG"), label, note({"font": font.name, "dark": dark, "length": length}))


def blank(rng: np.random.Generator, split: Split | None) -> Sample:
    """An input with no digit: an empty canvas, a plain colour, a speck, JPEG noise, or a photo of an empty sheet
    (plain, squared, ruled or dotted; maybe in a shadow)."""
    case = str(rng.choice(BLANK_CASES))
    variant: dict[str, object] = {"case": case}
    width, height = CANVAS_SIZES[rng.integers(len(CANVAS_SIZES))]
    if case == "transparent":
        pixels = np.zeros((height, width, 4), np.uint8)
        if rng.random() < 0.5:
            pixels[..., :3] = 255
        return Sample(encode(Image.fromarray(pixels), "PNG"), "", note(variant))
    if case in ("white", "black"):
        level = 255 if case == "white" else 0
        return Sample(encode(Image.new("RGB", (width, height), (level,) * 3), "PNG"), "", note(variant))
    if case == "speck":
        image = Image.new("L", (width, height), 255)
        r = rng.uniform(1, 4)
        cx, cy = rng.uniform(0.1, 0.9) * width, rng.uniform(0.1, 0.9) * height
        ImageDraw.Draw(image).ellipse([cx - r, cy - r, cx + r, cy + r], fill=int(rng.integers(0, 120)))
        return Sample(encode(image, str(rng.choice(["PNG", "JPEG"])), quality=85), "", note(variant))
    if case == "jpeg_noise":
        noise = np.full((height, width), rng.uniform(100, 240)) + rng.normal(0, rng.uniform(2, 10), (height, width))
        return Sample(encode(to_image(noise), "JPEG", quality=int(rng.integers(30, 70))), "", note(variant))
    photo_width, photo_height = PHOTO_SIZES[rng.integers(len(PHOTO_SIZES))]
    lines = {"grid_only": "grid", "ruled_only": "ruled", "dots_only": "dots"}.get(case)
    tone = PAPERS[str(rng.choice(list(PAPERS)))]
    step = min(photo_width, photo_height) * rng.uniform(0.04, 0.12)
    sheet = paper(rng, photo_height, photo_width, tone, lines, step)
    shadow_chance = 0.5 if case == "paper_photo_shadow" else 0.0
    return Sample(photograph(rng, sheet, variant, tilt=0.06, shadow_chance=shadow_chance), "", note(variant))


Situation = Callable[[np.random.Generator, Split | None], Sample]
SITUATIONS: dict[str, Situation] = {
    "photo_colour": photo_colour,
    "photo_grid": photo_grid,
    "photo_tiny": photo_tiny,
    "photo_edge": photo_edge,
    "photo_occluded": photo_occluded,
    "canvas_brush": canvas_brush,
    "canvas_edge_huge": canvas_edge_huge,
    "scan": scan,
    "typed": typed,
    "boxed": boxed,
    "mnist_png": mnist_png,
    "numbers_paper": numbers_paper,
    "numbers_photo": numbers_photo,
    "numbers_typed": numbers_typed,
    "blank": blank,
}
NUMBERS = ("numbers_paper", "numbers_photo", "numbers_typed")  # each image is a number, read with read_number
WITHOUT_MNIST = ("typed", "numbers_typed", "blank")


def kind(situation: str) -> str:
    """What a situation's labels are: "digit", "number" or "blank" (the empty label)."""
    return "blank" if situation == "blank" else "number" if situation in NUMBERS else "digit"


def generate(split: Split | None, situation: str, count: int, seed: int = 0) -> list[Sample]:
    """The first ``count`` samples of a situation; ``split`` (the MNIST test split) may be None for the situations
    in WITHOUT_MNIST. Image ``i`` has its own random source, from the seed, the situation and ``i`` only."""
    first = seed * 10_000_000 + sorted(SITUATIONS).index(situation) * 100_000
    return [SITUATIONS[situation](np.random.default_rng(first + index), split) for index in range(count)]


# --- scoring --------------------------------------------------------------------------------------------------


def evaluate(recognizer: Recognizer, situation: str, samples: list[Sample]) -> list[Outcome]:
    """Every sample through the recognizer, judged by bench/situations.py: it reads a number for "numbers",
    wants no digit from both readers for "blank", and reads one digit for any other name."""
    judged_as = {"number": "numbers", "blank": "blank", "digit": situation}[kind(situation)]
    return [answer(recognizer, judged_as, sample) for sample in samples]


def misread_alone(recognizer: Recognizer, sample: Sample) -> bool:
    """Whether a digit of a number of redrawn MNIST digits is misread even when drawn alone on white paper (the
    classifier's error, not the reading of the number's image)."""
    return any(recognizer.predict(data).digit != int(digit) for data, digit in zip(sample.digits, sample.label))


def alone_summary(recognizer: Recognizer, outcomes: list[Outcome]) -> tuple[str, set[int]]:
    """For numbers of redrawn MNIST digits: how many have every digit read right alone (what reading the number
    in place can reach with this classifier), and which of the failing images have a digit misread alone."""
    misread = {index for index, outcome in enumerate(outcomes) if misread_alone(recognizer, outcome.sample)}
    wrong = {index for index, outcome in enumerate(outcomes) if not outcome.correct}
    line = (
        f"    every digit read right alone: {len(outcomes) - len(misread)} of {len(outcomes)} numbers; "
        f"of the {len(wrong)} read wrong, {len(wrong & misread)} have a digit misread alone"
    )
    return line, wrong & misread


def failure_notes(situation: str, outcomes: list[Outcome], misread: set[int] = frozenset()) -> list[str]:
    """A Markdown line for each failing image: its index, label, answer, status and how it was drawn (and whether
    one of its digits is misread alone, where ``misread`` says so)."""
    return [
        f"- {situation} {index:04d}: {outcome.sample.label or 'blank'} read as {outcome.answer or 'none'} "
        f"({outcome.status}); {outcome.sample.note}" + ("; a digit misread alone too" if index in misread else "")
        for index, outcome in enumerate(outcomes)
        if not outcome.correct
    ]


def main() -> None:
    """Generate each situation, run the recognizer on it and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="images per situation")
    parser.add_argument("--only", nargs="*", choices=list(SITUATIONS), help="run only these situations")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=None, help="MNIST folder (default: DIGITREC_DATA or the cache)")
    parser.add_argument("--out", type=Path, default=None, help="write the table and the failing images here")
    parser.add_argument("--model", default="default", help="a committed model's name or a model folder")
    parser.add_argument(
        "--alone", action="store_true", help="also read each digit of the MNIST numbers alone on white paper"
    )
    args = parser.parse_args()

    situations = args.only or list(SITUATIONS)
    needs_mnist = any(situation not in WITHOUT_MNIST for situation in situations)
    split = load_split("test", args.data) if needs_mnist else None
    recognizer = Recognizer(args.model)
    table, failures = [TABLE_HEAD], []
    print(f"{args.count} images per situation, seed {args.seed}\n", file=sys.stderr)
    print(TABLE_HEAD, flush=True)
    for situation in situations:
        started = time.perf_counter()
        outcomes = evaluate(recognizer, situation, generate(split, situation, args.count, args.seed))
        table.append(table_row(situation, outcomes))
        print(table[-1], flush=True)
        print(f"    ({time.perf_counter() - started:.0f} s with generation)", file=sys.stderr)
        misread: set[int] = set()
        if args.alone and any(outcome.sample.digits for outcome in outcomes):
            line, misread = alone_summary(recognizer, outcomes)
            print(line, file=sys.stderr)
        failures += failure_notes(situation, outcomes, misread)
        if args.out:
            save_failures(args.out, situation, outcomes)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "independent.md").write_text("\n".join(table) + "\n")
        (args.out / "failures.md").write_text("\n".join(["# Failing images", "", *failures]) + "\n")


if __name__ == "__main__":
    main()
