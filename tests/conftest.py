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


def mnist_on_paper(digit: np.ndarray, size: int = 200) -> Image.Image:
    """An MNIST digit (uint8 28x28, white on black) as dark ink on white paper at ``size`` pixels."""
    ink = Image.fromarray(255 - digit).resize((size, size), Image.Resampling.BICUBIC)
    return ink.convert("RGB")
