"""Decoding: formats, modes, transparency, orientation, limits and clear errors."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from digitrec import imaging
from digitrec.errors import EmptyImage, ImageTooLarge, InvalidImage, UnsupportedFormat
from tests.conftest import encode


def stroke_image(mode: str = "L", size: int = 64, ink=0, paper=255) -> Image.Image:
    """A vertical bar (a '1') of ``ink`` on ``paper``."""
    image = Image.new(mode, (size, size), paper)
    ImageDraw.Draw(image).rectangle([size // 2 - 3, size // 5, size // 2 + 3, size * 4 // 5], fill=ink)
    return image


def broad_stroke(mode: str, ink, paper) -> Image.Image:
    """A bar a third of the image wide (a huge brush): the paper's lightness round it is the bar's own."""
    image = Image.new(mode, (64, 64), paper)
    ImageDraw.Draw(image).rectangle([22, 6, 43, 57], fill=ink)
    return image


def bar_is_dark_on_light(gray: np.ndarray) -> bool:
    middle = gray.shape[1] // 2
    return gray[gray.shape[0] // 2, middle] < 0.2 and gray[gray.shape[0] // 2, 2] > 0.8


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "WEBP"])
def test_each_allowed_format_decodes(fmt):
    decoded = imaging.decode_image(encode(stroke_image("RGB", ink=(0, 0, 0), paper=(255, 255, 255)), fmt))
    assert decoded.format == fmt
    assert decoded.gray.dtype == np.float32
    assert decoded.gray.shape == (64, 64)
    assert bar_is_dark_on_light(decoded.gray)


def test_transparent_canvas_with_dark_strokes_reads_as_the_drawing():
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle([29, 12, 35, 51], fill=(0, 0, 0, 255))
    assert bar_is_dark_on_light(imaging.decode_image(encode(image)).gray)


def test_transparent_canvas_with_light_strokes_keeps_them_visible():
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle([29, 12, 35, 51], fill=(255, 255, 255, 255))
    gray = imaging.decode_image(encode(image)).gray
    assert gray[32, 32] > 0.8 and gray[32, 2] < 0.2


def test_la_and_palette_transparency_are_composited():
    la = Image.new("LA", (64, 64), (255, 0))
    ImageDraw.Draw(la).rectangle([29, 12, 35, 51], fill=(0, 255))
    assert bar_is_dark_on_light(imaging.decode_image(encode(la)).gray)
    palette = la.convert("RGBA").convert("P")
    palette.info["transparency"] = palette.getpixel((0, 0))
    assert bar_is_dark_on_light(imaging.decode_image(encode(palette, transparency=palette.getpixel((0, 0)))).gray)


def test_sixteen_bit_png_is_scaled():
    image = Image.fromarray(np.asarray(stroke_image()).astype(np.uint16) * 257)
    assert image.mode.startswith("I;16")
    gray = imaging.decode_image(encode(image)).gray
    assert bar_is_dark_on_light(gray) and gray.max() <= 1.0


def test_cmyk_jpeg_and_bilevel_png():
    cmyk = stroke_image("RGB", ink=(0, 0, 0), paper=(255, 255, 255)).convert("CMYK")
    assert bar_is_dark_on_light(imaging.decode_image(encode(cmyk, "JPEG")).gray)
    bilevel = stroke_image("1", ink=0, paper=1)
    assert bar_is_dark_on_light(imaging.decode_image(encode(bilevel)).gray)


def test_animated_gif_gives_its_first_frame():
    first = stroke_image()
    second = Image.new("L", (64, 64), 0)
    data = encode(first, "GIF", save_all=True, append_images=[second], duration=100)
    assert bar_is_dark_on_light(imaging.decode_image(data).gray)


def test_exif_orientation_is_honoured():
    wide = Image.new("L", (80, 40), 255)
    ImageDraw.Draw(wide).rectangle([0, 0, 9, 39], fill=0)  # a dark band on the left
    exif = Image.Exif()
    exif[imaging.EXIF_ORIENTATION] = 6  # rotate 90 degrees clockwise to display
    decoded = imaging.decode_image(encode(wide, "JPEG", exif=exif))
    assert (decoded.width, decoded.height) == (40, 80)
    assert decoded.gray[:8].mean() < 0.3  # the band is now at the top
    assert decoded.gray[-10:].mean() > 0.8


def test_large_jpeg_is_decoded_at_reduced_size_with_its_source_size_kept():
    photo = stroke_image("RGB", size=3000, ink=(0, 0, 0), paper=(250, 250, 250))
    decoded = imaging.decode_image(encode(photo, "JPEG"), side=200)
    assert max(decoded.gray.shape) <= 200
    assert (decoded.width, decoded.height) == (3000, 3000)
    assert decoded.scale == pytest.approx(15, rel=0.05)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_long_strip_keeps_its_shorter_side_up_to_a_limit(fmt):
    strip = encode(Image.new("L", (4000, 100), 255), fmt)
    assert imaging.decode_image(strip, side=128).gray.shape[1] <= 128  # 3 pixels high
    kept = imaging.decode_image(strip, side=128, short_side=32).gray.shape
    assert kept[0] >= 12 and kept[1] == 128 * imaging.STRIP_GAIN  # as long as allowed: 32 high would need 1280
    wide = imaging.decode_image(encode(Image.new("L", (800, 100), 255), fmt), side=128, short_side=32).gray.shape
    assert wide[0] >= 32 and wide[1] <= 260
    photo = imaging.decode_image(encode(Image.new("L", (800, 600), 255), fmt), side=128, short_side=32).gray.shape
    assert max(photo) <= 128  # a photo's shorter side is long enough as it is


def test_empty_bytes():
    with pytest.raises(EmptyImage, match="empty"):
        imaging.decode_image(b"")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%...", "PDF"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n", "PostScript"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "SVG/HTML"),
        (b"II*\x00" + b"\x00" * 100, "TIFF"),
    ],
)
def test_documents_posing_as_images_are_refused_by_name(data, message):
    with pytest.raises(UnsupportedFormat, match=message):
        imaging.decode_image(data)


def test_random_bytes_and_truncated_images_are_invalid():
    with pytest.raises(InvalidImage, match="not an image"):
        imaging.decode_image(np.random.default_rng(1).bytes(5000))
    png = encode(stroke_image(size=256))
    with pytest.raises(InvalidImage, match="damaged or truncated"):
        imaging.decode_image(png[: len(png) // 2])


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size: signature, IHDR and an empty IDAT."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_pixel_cap_is_checked_before_decoding():
    with pytest.raises(ImageTooLarge, match="limit"):
        imaging.decode_image(png_header_only(12000, 12000))
    with pytest.raises(ImageTooLarge):
        imaging.decode_image(encode(Image.new("L", (300, 300), 255)), max_pixels=10_000)


def test_a_real_decompression_bomb_is_refused_quickly():
    bomb = encode(Image.new("1", (12000, 12000), 1), optimize=True)
    assert len(bomb) < 200_000
    with pytest.raises(ImageTooLarge):
        imaging.decode_image(bomb)


# A pink as light as a blue (ITU-R 601 luma 141 against 138): a pastel pen on a coloured note.
BLUE_PAPER, PINK_INK = (90, 150, 200), (230, 100, 120)


def test_ink_as_light_as_its_paper_is_dark_in_the_colour_contrast():
    data = encode(stroke_image("RGB", ink=PINK_INK, paper=BLUE_PAPER), "JPEG", quality=90)
    lightness = imaging.decode_image(data).gray
    assert abs(float(lightness[32, 32]) - float(lightness[32, 2])) < 0.05  # invisible by lightness
    colour = imaging.decode_colour(data)
    assert colour is not None and colour.gray.shape == (64, 64) and colour.format == "JPEG"
    assert float(colour.gray[32, 2]) - float(colour.gray[32, 32]) > 0.3
    assert abs(float(colour.gray[32, 2]) - float(lightness[32, 2])) < 0.02  # the paper keeps its lightness


@pytest.mark.parametrize(
    "image",
    [
        stroke_image("L"),  # no colour at all
        stroke_image("RGB", ink=(0, 0, 0), paper=(255, 255, 255)),  # colour channels, gray content
        stroke_image("RGB", ink=(40, 60, 200), paper=(250, 250, 245)),  # coloured ink, but darker than its paper
        Image.new("RGB", (64, 64), BLUE_PAPER),  # coloured paper, no ink
        broad_stroke("RGB", ink=(255, 128, 0), paper=(0, 0, 0)),  # orange on black: no paper hue, much lighter
        broad_stroke("RGBA", ink=(255, 255, 255, 255), paper=(255, 255, 255, 0)),  # a huge white brush on a canvas
    ],
)
def test_colour_adds_nothing_where_lightness_already_shows_the_ink(image):
    assert imaging.decode_colour(encode(image)) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mode=st.sampled_from(["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I", "F"]),
    width=st.integers(1, 300),
    height=st.integers(1, 300),
    fmt=st.sampled_from(["PNG", "JPEG", "GIF", "BMP", "WEBP"]),
    seed=st.integers(0, 2**16),
)
def test_any_mode_and_size_decodes_to_gray_in_unit_range_or_a_clear_error(mode, width, height, fmt, seed):
    rng = np.random.default_rng(seed)
    image = Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8)).convert(mode)
    try:
        data = encode(image, fmt)
    except (OSError, ValueError, KeyError):
        return  # Pillow cannot write this mode in this format; nothing to decode
    for decode in (imaging.decode_image, imaging.decode_colour):
        try:
            decoded = decode(data)
        except InvalidImage:
            return
        if decoded is None:
            continue  # no colour contrast
        assert decoded.gray.ndim == 2 and decoded.gray.dtype == np.float32
        assert float(decoded.gray.min()) >= 0.0 and float(decoded.gray.max()) <= 1.0


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_invalid_image(data):
    try:
        imaging.decode_image(data)
    except InvalidImage:
        pass


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(1, 400), flips=st.lists(st.integers(0, 10_000), max_size=6))
def test_damaged_real_images_never_raise_anything_but_invalid_image(cut, flips):
    data = bytearray(encode(stroke_image("RGB", size=40, ink=(0, 0, 0), paper=(255, 255, 255)), "PNG"))
    for position in flips:
        data[position % len(data)] ^= 0x5A
    try:
        imaging.decode_image(bytes(data[: max(1, len(data) - cut)]))
    except InvalidImage:
        pass


def test_a_region_is_decoded_at_up_to_the_source_resolution():
    photo = Image.new("RGB", (3000, 2000), (250, 250, 250))
    ImageDraw.Draw(photo).rectangle([1500, 1000, 1509, 1099], fill=(0, 0, 0))  # a bar 10 px wide, 100 px tall
    data = encode(photo, "JPEG", quality=95)
    region = imaging.decode_region(data, (1450, 950, 110, 180), side=192)
    assert region.box == (1450, 950, 110, 180) and region.gray.shape == (180, 110)  # small enough: full resolution
    assert region.scale == pytest.approx(1.0)
    assert region.gray[100, 55] < 0.2 and region.gray[100, 10] > 0.8  # the bar, then paper
    wider = imaging.decode_region(data, (1000, 500, 1000, 1000), side=192)
    assert max(wider.gray.shape) <= 192 and wider.scale == pytest.approx(1000 / wider.gray.shape[1])


def test_a_region_is_clipped_to_the_image_and_follows_exif_orientation():
    wide = Image.new("L", (80, 40), 255)
    ImageDraw.Draw(wide).rectangle([0, 0, 9, 39], fill=0)  # a dark band on the left, at the top once upright
    exif = Image.Exif()
    exif[imaging.EXIF_ORIENTATION] = 6
    region = imaging.decode_region(encode(wide, "JPEG", exif=exif), (-10, -10, 60, 30))
    assert region.box == (0, 0, 40, 20)
    assert region.gray[:8].mean() < 0.3 and region.gray[-6:].mean() > 0.8
    with pytest.raises(InvalidImage):
        imaging.decode_region(encode(wide), (500, 500, 10, 10))
