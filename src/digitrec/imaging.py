"""Bytes -> a decoded, upright, flattened grayscale image, safely.

Only PNG, JPEG, GIF, BMP and WebP are opened. The pixel count is checked from the header before any pixel
is decoded (decompression bombs), and Pillow's own bomb warning is an error. Large JPEGs are decoded at a
reduced size (draft mode), EXIF orientation is honoured, animations give their first frame, 16-bit and
float images are scaled, palette, CMYK and bilevel images converted, and transparency is composited onto
the background that contrasts with the strokes, so a transparent canvas export reads as its drawing.

Grayscale is the image's lightness (luma). Ink about as light as its paper, told apart by its colour only (a
pastel pen on a coloured note, a coloured brush on a coloured canvas), is invisible there; ``decode_colour``
gives a second grayscale image, for an image where the first shows nothing, in which such ink is dark.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from scipy import ndimage

from digitrec.errors import EmptyImage, ImageTooLarge, InvalidImage, UnsupportedFormat

ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
MAX_PIXELS = 40_000_000  # a 6000x4000 photo is 24 MP; a 12000x12000 bomb is 144 MP
DECODE_SIDE = 1024  # large images are brought down to about this before any processing
STRIP_GAIN = 4  # a long strip may be decoded up to this many times longer, to keep its shorter side
EXIF_ORIENTATION = 0x0112
_WIDE_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")  # 16-bit, 32-bit and float: one channel, scaled
LUMA = np.array((0.299, 0.587, 0.114), dtype=np.float32)  # Pillow's (ITU-R 601) weights: what convert("L") gives
# Colour-only ink (decode_colour): where ink's lightness differs from the paper's round it (the median of the
# paper-hued pixels of a block, PAPER_BLOCKS to the image's longer side) by COLOUR_ONLY_SHARE of its colour's
# difference or more, lightness already shows it (a blue grid line on white: coloured, but darker too) and its
# colour adds nothing; where less, its colour darkens it. An image whose colour darkens nothing by
# MIN_COLOUR_CONTRAST (of the 0-1 range) has no such ink.
COLOUR_ONLY_SHARE = 0.5
PAPER_BLOCKS = 16
COLOUR_REACH = 0.04
MIN_COLOUR_CONTRAST = 0.1
COLOUR_SAMPLES = 5_000
DARK_PAPER = 0.1  # the norm of the paper's RGB (0-1 each) below which it is black

# Formats people send that we refuse by name rather than as "not an image".
_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"%!PS", "a PostScript/EPS document"),
    (b"\xc5\xd0\xd3\xc6", "an EPS document"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"8BPS", "a Photoshop document"),
)
_TEXT_MARKERS = (b"<svg", b"<?xml", b"<html", b"<!doctype", b"<script", b"<body", b"<head")


@dataclass(frozen=True)
class DecodedImage:
    """A grayscale image in [0, 1] (0 black), the source's size after orientation, and its format."""

    gray: np.ndarray  # float32 (H, W), possibly reduced from the source size
    width: int
    height: int
    format: str

    @property
    def scale(self) -> float:
        """Source pixels per pixel of ``gray``."""
        return self.width / self.gray.shape[1]


@dataclass(frozen=True)
class DecodedRegion:
    """Part of an image, grayscale in [0, 1] (0 black), and where it lies in the upright source."""

    gray: np.ndarray  # float32 (H, W), possibly reduced from the region's size in the source
    box: tuple[int, int, int, int]  # (x, y, w, h) in the source's pixels

    @property
    def scale(self) -> float:
        """Source pixels per pixel of ``gray``."""
        return self.box[2] / self.gray.shape[1]


def _refuse_unknown(data: bytes) -> InvalidImage:
    head = data[:512].lstrip().lower()
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return UnsupportedFormat(f"this is {name}; send a PNG, JPEG, GIF, BMP or WebP image")
    if any(marker in head for marker in _TEXT_MARKERS):
        return UnsupportedFormat(
            "this is an SVG/HTML/XML document, not a bitmap image; send a PNG, JPEG, GIF, BMP or WebP"
        )
    return InvalidImage("the file is not an image we can read (PNG, JPEG, GIF, BMP or WebP)")


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Open (header only) and check the format and pixel count."""
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except UnidentifiedImageError as error:
        raise _refuse_unknown(data) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge(
            f"the image has far too many pixels; the limit is {max_pixels // 1_000_000} megapixels"
        ) from error
    except (OSError, ValueError, SyntaxError, EOFError, struct.error) as error:
        raise InvalidImage(f"the image is damaged or truncated ({error})") from error
    width, height = image.size
    if width <= 0 or height <= 0:
        raise InvalidImage("the image has no pixels")
    if width * height > max_pixels:
        raise ImageTooLarge(f"the image is {width}x{height} pixels; the limit is {max_pixels // 1_000_000} megapixels")
    return image


def _to_array(image: Image.Image) -> np.ndarray:
    """Flatten any mode to grayscale float32 in [0, 1], compositing transparency."""
    mode = image.mode
    if mode in _WIDE_MODES:
        values = np.asarray(image, dtype=np.float32)
        top = 65535.0 if mode.startswith("I;16") or values.max() > 255 else 255.0
        if mode == "F":
            top = max(float(values.max()), 1.0)
        return np.clip(values / top, 0.0, 1.0)
    image = _eight_bit(image)
    if image.mode in ("LA", "RGBA"):
        alpha = np.asarray(image.getchannel("A"), dtype=np.float32) / 255.0
        gray = np.asarray(image.convert("L"), dtype=np.float32) / 255.0
        return _composite(gray, alpha)
    return np.asarray(image if image.mode == "L" else image.convert("L"), dtype=np.float32) / 255.0


def _eight_bit(image: Image.Image) -> Image.Image:
    """An 8-bit image in one of the modes 1, L, LA, RGB or RGBA (palette, CMYK and the rest converted)."""
    mode = image.mode
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode in ("PA", "La", "RGBa"):
        return image.convert("RGBA")
    if mode not in ("1", "L", "LA", "RGB", "RGBA"):
        return image.convert("RGB")  # CMYK, YCbCr, LAB, HSV
    return image


def _composite(values: np.ndarray, alpha: np.ndarray, gray: np.ndarray | None = None) -> np.ndarray:
    """Composite ``values`` (grayscale (H, W) or RGB (H, W, 3)) with ``alpha`` (H, W) onto white when the visible
    strokes are dark, onto black when they are light, judged by ``gray`` (the values themselves when grayscale)."""
    if alpha.min() > 0.98:
        return values
    gray = values if gray is None else gray
    weight = float(alpha.sum())
    stroke_level = float((gray * alpha).sum() / weight) if weight > 0 else 0.0
    background = 1.0 if stroke_level < 0.5 else 0.0
    cover = alpha if values.ndim == 2 else alpha[..., np.newaxis]
    return values * cover + background * (1.0 - cover)


def _to_rgb(image: Image.Image) -> np.ndarray | None:
    """A colour image as RGB float32 (H, W, 3) in [0, 1], transparency composited as ``_to_array`` does; None for an
    image without colour channels (bilevel, grayscale, 16-bit)."""
    if image.mode in _WIDE_MODES:
        return None
    image = _eight_bit(image)
    if image.mode not in ("RGB", "RGBA"):
        return None
    rgb = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    if image.mode == "RGBA":
        alpha = np.asarray(image.getchannel("A"), dtype=np.float32) / 255.0
        rgb = _composite(rgb, alpha, gray=rgb @ LUMA)
    return rgb


def _paper_lightness(luma: np.ndarray, paper_hue: np.ndarray) -> np.ndarray:
    """The paper's lightness around each pixel of a grayscale image, from the pixels of the paper's hue (boolean
    ``paper_hue``; the others count as the median of those, so a stroke of another hue, however broad, is no part
    of it): the median of blocks PAPER_BLOCKS to the longer side, smoothly enlarged back (light and shade)."""
    height, width = luma.shape
    thin = max(1, luma.size // COLOUR_SAMPLES)
    values, hued = luma.ravel()[::thin], paper_hue.ravel()[::thin]
    paper = float(np.median(values[hued])) if hued.any() else float(np.median(values))
    step = max(1, min(max(height, width) // PAPER_BLOCKS, height, width))
    every = max(1, step // 4)  # 4x4 pixels a block are enough for its median
    sample = np.where(paper_hue, luma, paper)[::every, ::every]
    step = max(1, step // every)
    rows, cols = max(1, sample.shape[0] // step), max(1, sample.shape[1] // step)
    blocks = sample[: rows * step, : cols * step].reshape(rows, step, cols, step).transpose(0, 2, 1, 3)
    medians = np.median(blocks.reshape(rows, cols, -1), axis=2).astype(np.float32)
    return np.asarray(Image.fromarray(medians, mode="F").resize((width, height), Image.Resampling.BILINEAR))


def colour_contrast(rgb: np.ndarray) -> np.ndarray | None:
    """Grayscale (H, W) in [0, 1] from an RGB image: its lightness, darkened where ink differs from the paper by its
    colour but hardly by its lightness; None where nothing is darkened by MIN_COLOUR_CONTRAST.

    Light and shadow on the paper change a colour's strength, not its direction in RGB; so what is left of each
    pixel's colour once the component along the paper's (the median colour; on black paper, the gray axis) is
    taken away is its difference of hue, and the main direction of those differences (the largest eigenvector of
    their scatter) is the ink's, with the sign of its longer tail. Ink with a lightness of its own keeps it and
    gains nothing (COLOUR_ONLY_SHARE).
    """
    height, width = rgb.shape[:2]
    pixels = rgb.reshape(-1, 3)
    every = max(1, len(pixels) // COLOUR_SAMPLES)  # medians and percentiles of a sample: sorting is what costs
    paper = np.median(pixels[::every], axis=0)
    if float(np.linalg.norm(paper)) < DARK_PAPER:
        paper = np.ones(3, dtype=np.float32)  # black paper has no hue to hold on to: the gray axis
    direction = paper / float(np.linalg.norm(paper))
    # Each pixel's hue difference is (pixel @ away) - centre; their scatter is worked out from the pixels' (3x3).
    away = np.eye(3, dtype=np.float32) - np.outer(direction, direction).astype(np.float32)
    centre = np.median(pixels[::every] @ away, axis=0)
    mean = pixels.mean(axis=0) @ away
    scatter = away @ (pixels.T @ pixels / len(pixels)) @ away - np.outer(mean, centre) - np.outer(centre, mean)
    main = np.linalg.eigh(scatter + np.outer(centre, centre))[1][:, -1].astype(np.float32)
    along = pixels @ (away @ main) - float(centre @ main)
    low, high = np.percentile(along[::every], (0.5, 99.5))
    along = np.maximum(-along if -low > high else along, 0.0).reshape(height, width)
    if float(along.max()) < MIN_COLOUR_CONTRAST:
        return None  # nothing differs from the paper's hue enough to be darkened by it
    luma = (pixels @ LUMA).reshape(height, width)
    # Lightness is taken as the most there is nearby: at the soft edge of a mark that differs by lightness too (a
    # thumb, the table beyond the sheet) it rises with the colour, and weighing each pixel alone draws a ring there.
    reach = max(3, int(COLOUR_REACH * max(height, width)) | 1)
    paper_hue = along < MIN_COLOUR_CONTRAST / 2
    lightness = ndimage.maximum_filter(np.abs(luma - _paper_lightness(luma, paper_hue)), size=reach)
    darker = along * np.clip(1.0 - lightness / np.maximum(COLOUR_ONLY_SHARE * along, 1e-6), 0.0, 1.0)
    if float(darker.max()) < MIN_COLOUR_CONTRAST:
        return None
    return np.clip(luma - darker, 0.0, 1.0).astype(np.float32)


@contextmanager
def _decoding(data: bytes, max_pixels: int) -> Iterator[Image.Image]:
    """Open ``data`` with its format and pixel count checked; decoding errors inside become our typed errors."""
    if not data:
        raise EmptyImage("the file is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(data, max_pixels)
        try:
            with image:
                yield image
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise ImageTooLarge(
                f"the image has far too many pixels; the limit is {max_pixels // 1_000_000} megapixels"
            ) from error
        except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, struct.error) as error:
            raise InvalidImage(f"the image is damaged or truncated ({error})") from error


def _draft_mode(image: Image.Image) -> str:
    """The mode to decode a JPEG in: grayscale straight from the decoder (its luma) unless it is CMYK."""
    return "L" if image.mode in ("L", "RGB") else image.mode


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation of an opened image (1, upright, when it has none)."""
    return image.getexif().get(EXIF_ORIENTATION, 1)


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """The width and height of an opened image once its EXIF orientation is applied."""
    width, height = image.size
    return (height, width) if _orientation(image) in (5, 6, 7, 8) else (width, height)


def _upright(image: Image.Image) -> Image.Image:
    """A loaded image turned as its EXIF orientation says (the image itself when it is upright)."""
    return ImageOps.exif_transpose(image) if _orientation(image) != 1 else image


def decode_image(
    data: bytes, *, max_pixels: int = MAX_PIXELS, side: int = DECODE_SIDE, short_side: int = 0
) -> DecodedImage:
    """Decode image bytes into an upright grayscale image whose longer side is at most about ``side``; a long
    strip (a number written in a row, cropped close) as much longer, up to ``STRIP_GAIN`` times, as keeps its
    shorter side at least ``short_side``, when the source is that large.

    Raises EmptyImage, UnsupportedFormat, ImageTooLarge or InvalidImage (all InvalidImage) with a clear message.
    """
    with _reduced(data, max_pixels, side, short_side, colour=False) as (image, width, height, source_format):
        gray = _to_array(image)
    return DecodedImage(
        gray=np.ascontiguousarray(gray, dtype=np.float32), width=width, height=height, format=source_format
    )


def decode_colour(
    data: bytes, *, max_pixels: int = MAX_PIXELS, side: int = DECODE_SIDE, short_side: int = 0
) -> DecodedImage | None:
    """Decode image bytes as ``decode_image`` does, into the grayscale image in which ink told from its paper by
    colour only is dark (``colour_contrast``); None for an image without colour or without such ink."""
    with _reduced(data, max_pixels, side, short_side, colour=True) as (image, width, height, source_format):
        rgb = _to_rgb(image)
    gray = None if rgb is None else colour_contrast(rgb)
    return None if gray is None else DecodedImage(gray=gray, width=width, height=height, format=source_format)


@contextmanager
def _reduced(
    data: bytes, max_pixels: int, side: int, short_side: int, *, colour: bool
) -> Iterator[tuple[Image.Image, int, int, str]]:
    """The image opened, upright and reduced for ``decode_image``, with its source's upright size and format."""
    with _decoding(data, max_pixels) as image:
        source_format = image.format or "unknown"
        width, height = _upright_size(image)
        side = min(max(side, -(-short_side * max(width, height) // max(min(width, height), 1))), STRIP_GAIN * side)
        if source_format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when that still leaves at least half of ``side``.
            image.draft(image.mode if colour else _draft_mode(image), (side // 2, side // 2))
        image.load()
        upright = _upright(image)
        if max(upright.size) > side:
            upright.thumbnail((side, side), Image.Resampling.BOX, reducing_gap=2.0)
        yield upright, width, height, source_format


def decode_region(
    data: bytes, box: tuple[int, int, int, int], *, max_pixels: int = MAX_PIXELS, side: int = DECODE_SIDE
) -> DecodedRegion:
    """Decode the part ``box`` (x, y, w, h in the upright source's pixels) of an image, its longer side at most
    about ``side``: a closer look at a small detail of a large image, at up to the source's own resolution.

    A large JPEG is decoded only as finely as the region needs. The box is clipped to the image. Raises as
    ``decode_image`` does.
    """
    with _decoding(data, max_pixels) as image:
        width, height = _upright_size(image)
        left, top = max(0, box[0]), max(0, box[1])
        right, bottom = min(width, box[0] + box[2]), min(height, box[1] + box[3])
        if right <= left or bottom <= top:
            raise InvalidImage("the region lies outside the image")
        reduction = min(1.0, side / max(right - left, bottom - top))
        if image.format == "JPEG" and reduction < 1.0:
            wanted = (int(np.ceil(image.size[0] * reduction)), int(np.ceil(image.size[1] * reduction)))
            image.draft(_draft_mode(image), wanted)
        image.load()
        upright = _upright(image)
        factor = upright.size[0] / width  # decoded pixels per source pixel (below 1 after a JPEG draft)
        region = upright.crop(
            (int(left * factor), int(top * factor), int(np.ceil(right * factor)), int(np.ceil(bottom * factor)))
        )
        if max(region.size) > side:
            region.thumbnail((side, side), Image.Resampling.BOX, reducing_gap=2.0)
        gray = _to_array(region)
    return DecodedRegion(gray=np.ascontiguousarray(gray, dtype=np.float32), box=(left, top, right - left, bottom - top))
