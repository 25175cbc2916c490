"""Keras architectures, each a short function returning an uncompiled model (training extra only)."""

from __future__ import annotations

from collections.abc import Callable

import keras
from keras import layers

INPUT_SHAPE = (28, 28, 1)


def build_readme() -> keras.Model:
    """The original project's network, exactly: Conv2D(32, 3x3) -> MaxPool 2x2 -> Dense(64) -> Dense(10)."""
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE, name="image"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name="readme",
    )


def _conv_block(filters: int, kernel: int) -> list[layers.Layer]:
    return [
        layers.Conv2D(filters, kernel, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
    ]


def build_default() -> keras.Model:
    """A small, fast CNN: batch-normalised conv stages (5x5, then two 3x3 at 14x14, then 3x3 at 7x7) and a
    dropout-regularised dense head.

    About 15 million multiply-adds an image, so ONNX Runtime reads one in a fraction of a millisecond.
    """
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE, name="image"),
            *_conv_block(32, 5),
            layers.MaxPooling2D(2),  # 14x14
            *_conv_block(64, 3),
            *_conv_block(64, 3),
            layers.MaxPooling2D(2),  # 7x7
            *_conv_block(128, 3),
            layers.MaxPooling2D(2),  # 3x3
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(128, use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Dropout(0.3),
            layers.Dense(10, activation="softmax"),
        ],
        name="default",
    )


ARCHITECTURES: dict[str, Callable[[], keras.Model]] = {"default": build_default, "readme": build_readme}
