"""Shared fixtures: MNIST location, images built in memory, the recognizer, the Flask app and client."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitrec.data import DATA_ENV


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The MNIST folder from DIGITREC_DATA; tests that need it are skipped without it."""
    folder = os.environ.get(DATA_ENV)
    if not folder or not Path(folder).is_dir():
        pytest.skip(f"{DATA_ENV} is not set to the MNIST folder")
    return Path(folder)


@pytest.fixture(scope="session")
def mnist_test(mnist_dir: Path):
    """The verified MNIST test split."""
    from digitrec.data import load_split

    return load_split("test", mnist_dir)


@pytest.fixture(scope="session")
def recognizer():
    """The committed default model, loaded once."""
    from digitrec.recognizer import Recognizer

    return Recognizer("default")


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    """An in-memory image encoded as bytes."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def with_sensor_noise(image: Image.Image, amount: int) -> Image.Image:
    """An RGB image with a camera sensor's noise: each channel of each pixel off by up to ``amount`` levels."""
    pixels = np.asarray(image, dtype=np.int16)
    noisy = pixels + np.random.default_rng(0).integers(-amount, amount, pixels.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def mnist_on_paper(digit: np.ndarray, size: int = 200) -> Image.Image:
    """An MNIST digit (uint8 28x28, white on black) as dark ink on white paper at ``size`` pixels."""
    ink = Image.fromarray(255 - digit).resize((size, size), Image.Resampling.BICUBIC)
    return ink.convert("RGB")


@pytest.fixture
def app():
    """A fresh app for each test, with the committed models."""
    from digitrec.web import create_app

    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    """The Flask test client."""
    return app.test_client()


def drawn_digit(digit: str = "7", size: int = 200, ink: int = 20, paper: int = 245) -> Image.Image:
    """A digit drawn with strokes in dark ink on light paper (no font needed): 7, 1 or 0."""
    from PIL import ImageDraw

    image = Image.new("L", (size, size), paper)
    draw = ImageDraw.Draw(image)
    s = size / 200
    width = max(2, round(12 * s))
    if digit == "7":
        draw.line([(60 * s, 45 * s), (140 * s, 45 * s), (85 * s, 165 * s)], fill=ink, width=width, joint="curve")
    elif digit == "1":
        draw.line([(100 * s, 40 * s), (100 * s, 165 * s)], fill=ink, width=width)
    elif digit == "0":
        draw.ellipse([(65 * s, 40 * s), (135 * s, 165 * s)], outline=ink, width=width)
    else:
        raise ValueError(f"no strokes for {digit!r}")
    return image


def drawn_shape(shape: str, size: int = 200, ink: int = 20, paper: int = 245) -> Image.Image:
    """A shape that is no digit, drawn with strokes in dark ink on light paper: a hash sign, a star or a smiley."""
    from PIL import ImageDraw

    image = Image.new("L", (size, size), paper)
    draw = ImageDraw.Draw(image)
    s = size / 200
    width = max(2, round(10 * s))
    if shape == "hash":
        for x in (80, 120):
            draw.line([((x + 8) * s, 40 * s), ((x - 8) * s, 160 * s)], fill=ink, width=width)
        for y in (80, 120):
            draw.line([(45 * s, y * s), (155 * s, y * s)], fill=ink, width=width)
    elif shape == "star":
        points = [
            (100 + 70 * np.sin(np.pi * k * 4 / 5), 105 - 70 * np.cos(np.pi * k * 4 / 5)) for k in range(6)
        ]  # drawn in one stroke, as by hand
        draw.line([(x * s, y * s) for x, y in points], fill=ink, width=width, joint="curve")
    elif shape == "smiley":
        draw.ellipse([(30 * s, 30 * s), (170 * s, 170 * s)], outline=ink, width=width)
        for x in (75, 125):
            draw.ellipse([((x - 8) * s, 70 * s), ((x + 8) * s, 86 * s)], fill=ink)
        draw.arc([(60 * s, 70 * s), (140 * s, 140 * s)], 20, 160, fill=ink, width=width)
    else:
        raise ValueError(f"no strokes for {shape!r}")
    return image
