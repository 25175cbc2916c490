"""Resizing small float images as two matrix products: Pillow's resampling, without its per-call cost.

Pillow resizes a mode "F" image in two linear passes, one along each axis, so a resize of an (h, w) image to
(height, width) is ``rows @ image @ columns.T`` with ``rows`` (height x h) and ``columns`` (width x w) holding
Pillow's own filter weights. Each weight matrix is read once from Pillow, by resizing an identity image along
one axis, and kept: on the digit-sized images of the normalisation the two products cost a few microseconds,
where wrapping, resizing and unwrapping a Pillow image costs tens. The results equal Pillow's up to float32
rounding (``tests/test_resample.py``).

Meant for the small images the normalisation resizes (at most a few hundred pixels a side): each matrix costs
the product of the two sizes in memory and time, where Pillow's passes cost only the filter's support.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

# Matrices kept: the normalisation resizes between a few hundred pairs of sizes at most (crops of a digit at
# working size to 20 px, working sizes to the background's grid and back), each matrix a few kilobytes.
CACHED_MATRICES = 512


@lru_cache(maxsize=CACHED_MATRICES)
def weights(source: int, target: int, method: Image.Resampling) -> np.ndarray:
    """The (target x source) float32 matrix that resamples a line of ``source`` pixels to ``target`` pixels
    as Pillow's ``method`` does (read-only)."""
    identity = Image.fromarray(np.eye(source, dtype=np.float32), mode="F")
    # Resizing only the height: column j of the result is what Pillow makes of a single bright pixel at row j.
    matrix = np.asarray(identity.resize((source, target), method), dtype=np.float32)
    matrix.flags.writeable = False
    return matrix


def resize(image: np.ndarray, size: tuple[int, int], method: Image.Resampling) -> np.ndarray:
    """``image`` (float, h x w) resized to ``size`` (width, height) as Pillow's ``method`` would: float32."""
    height, width = image.shape
    rows = weights(height, size[1], method)
    columns = weights(width, size[0], method)
    return rows @ np.asarray(image, dtype=np.float32) @ columns.T
