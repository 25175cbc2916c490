"""Pictures the app shows: arrays re-encoded as small PNG data URLs (an upload is never served back as sent)."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image, ImageDraw

PREVIEW_SIDE = 480  # previews of the decoded image are at most this wide or high
BOX_COLOUR = (230, 57, 70)


def _to_uint8(array: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(array, dtype=np.float32) * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _data_url(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False, compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def png_data_url(array: np.ndarray) -> str:
    """A grayscale float array in [0, 1] as a PNG data URL, pixel for pixel."""
    return _data_url(Image.fromarray(_to_uint8(array), mode="L"))


def preview_data_url(gray: np.ndarray, boxes: list[list[int]], image_size: tuple[int, int]) -> str:
    """The decoded image, re-encoded at preview size, with each box ([x, y, w, h] in source pixels) drawn on it."""
    image = Image.fromarray(_to_uint8(gray), mode="L").convert("RGB")
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    scale = image.width / max(image_size[0], 1)
    draw = ImageDraw.Draw(image)
    line = max(2, round(image.width / 160))
    for x, y, w, h in boxes:
        draw.rectangle(
            [x * scale - line, y * scale - line, (x + w) * scale + line, (y + h) * scale + line],
            outline=BOX_COLOUR,
            width=line,
        )
    return _data_url(image)
