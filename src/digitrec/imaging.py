"""Bytes -> a decoded, upright, flattened grayscale image, safely.

Only PNG, JPEG, GIF, BMP and WebP are opened. The pixel count is checked from the header before any pixel
is decoded (decompression bombs), and Pillow's own bomb warning is an error. Large JPEGs are decoded at a
reduced size (draft mode), EXIF orientation is honoured, animations give their first frame, 16-bit and
float images are scaled, palette, CMYK and bilevel images converted, and transparency is composited onto
the background that contrasts with the strokes, so a transparent canvas export reads as its drawing.
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

from digitrec.errors import EmptyImage, ImageTooLarge, InvalidImage, UnsupportedFormat

ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
MAX_PIXELS = 40_000_000  # a 6000x4000 photo is 24 MP; a 12000x12000 bomb is 144 MP
DECODE_SIDE = 1024  # large images are brought down to about this before any processing
STRIP_GAIN = 4  # a long strip may be decoded up to this many times longer, to keep its shorter side
EXIF_ORIENTATION = 0x0112

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
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float32)
        top = 65535.0 if mode.startswith("I;16") or values.max() > 255 else 255.0
        if mode == "F":
            top = max(float(values.max()), 1.0)
        return np.clip(values / top, 0.0, 1.0)
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in ("PA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif mode not in ("1", "L", "LA", "RGB", "RGBA"):
        image = image.convert("RGB")  # CMYK, YCbCr, LAB, HSV
    if image.mode in ("LA", "RGBA"):
        alpha = np.asarray(image.getchannel("A"), dtype=np.float32) / 255.0
        gray = np.asarray(image.convert("L"), dtype=np.float32) / 255.0
        return _composite(gray, alpha)
    return np.asarray(image if image.mode == "L" else image.convert("L"), dtype=np.float32) / 255.0


def _composite(gray: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Composite onto white when the visible strokes are dark, onto black when they are light."""
    if alpha.min() > 0.98:
        return gray
    weight = float(alpha.sum())
    stroke_level = float((gray * alpha).sum() / weight) if weight > 0 else 0.0
    background = 1.0 if stroke_level < 0.5 else 0.0
    return gray * alpha + background * (1.0 - alpha)


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
    with _decoding(data, max_pixels) as image:
        source_format = image.format or "unknown"
        width, height = _upright_size(image)
        side = min(max(side, -(-short_side * max(width, height) // max(min(width, height), 1))), STRIP_GAIN * side)
        if source_format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when that still leaves at least half of ``side``.
            image.draft(_draft_mode(image), (side // 2, side // 2))
        image.load()
        upright = _upright(image)
        if max(upright.size) > side:
            upright.thumbnail((side, side), Image.Resampling.BOX, reducing_gap=2.0)
        gray = _to_array(upright)
    return DecodedImage(
        gray=np.ascontiguousarray(gray, dtype=np.float32), width=width, height=height, format=source_format
    )


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
