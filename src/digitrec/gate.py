"""The "not a digit" check, trained beside a model: a small network that tells digits from other shapes.

A digit classifier has only ten answers, and reads a letter, a sign or a smiley as a digit, often surely (an A as a
4 at 99%). This network reads the same normalised 28x28 image and says how unlike a digit it is: trained on
MNIST's training digits and typed digits against typed letters, signs and symbols (``glyphs``), all augmented as
the model's training images are. A reading it finds unlike any digit is "unsure" (``recognizer``). Its threshold
flags at most GATE_FLAG_SHARE of the held-out validation digits, plain or augmented; the card also records how
many of the letters and digits of fonts it never saw it flags (glyphs.HELD_OUT_FONTS, handwriting-style fonts: the
nearest to letters drawn by hand that can be made here).

Training extra only (TensorFlow).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from digitrec import artifacts, glyphs
from digitrec.errors import FontsMissing

GATE_FLAG_SHARE = 0.001
GATE_EPOCHS = 12
GATE_BATCH = 128
# Typed digits are a sixth of the digits it learns from: enough that printed shapes are not taken for letters,
# few enough that handwriting stays what a digit looks like.
TYPED_DIGIT_SHARE = 1 / 6

Augment = Callable[[tf.Tensor, tf.Tensor], tuple[tf.Tensor, tf.Tensor]]


def build_gate() -> keras.Model:
    """Three small convolution blocks and a dense layer; one output, the logit of 'not a digit'."""
    layers = keras.layers
    image = keras.Input(shape=(28, 28, 1), name="image")
    x = image
    for filters in (32, 64, 64):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    return keras.Model(image, layers.Dense(1, name="not_a_digit")(x), name="gate")


def training_fonts() -> list[Path]:
    """The installed fonts the check learns from and is measured on. Raises FontsMissing where none of either kind
    is installed (training calls it before anything else)."""
    fonts = glyphs.font_files()
    held_out = [path for path in fonts if path.name in glyphs.HELD_OUT_FONTS]
    if not held_out or len(held_out) == len(fonts):
        raise FontsMissing(
            f"the 'not a digit' check needs the fonts it learns from and {', '.join(glyphs.HELD_OUT_FONTS)} under "
            f"{glyphs.FONT_DIR}: install them with 'make system-deps'"
        )
    return fonts


@functools.lru_cache(maxsize=2)
def typed_shapes(fonts: tuple[Path, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Normalised images of the shapes that are not digits, and of digits, in ``fonts`` (drawn once a process)."""
    shapes = [image for image, _, _ in glyphs.render(glyphs.NOT_DIGITS, fonts)]
    digits = [image for image, _, _ in glyphs.render(glyphs.DIGITS, fonts)]
    return np.array(shapes, dtype=np.float32), np.array(digits, dtype=np.float32)


def _stream(digits: np.ndarray, typed: np.ndarray, shapes: np.ndarray, augment: Augment, seed: int) -> tf.data.Dataset:
    """Digits, handwritten and typed (label 0), and shapes (label 1) repeated to half as many as the handwritten
    digits and weighted to count as much as all digits, shuffled and augmented."""
    typed_copies = max(1, int(len(digits) * TYPED_DIGIT_SHARE / max(1, len(typed))))
    shape_copies = max(1, len(digits) // (2 * max(1, len(shapes))))
    images = np.concatenate([digits, np.tile(typed, (typed_copies, 1, 1)), np.tile(shapes, (shape_copies, 1, 1))])
    labels = np.concatenate([np.zeros(len(digits) + typed_copies * len(typed)), np.ones(shape_copies * len(shapes))])
    weights = np.where(labels == 1, (len(labels) - labels.sum()) / max(1.0, labels.sum()), 1.0)
    return (
        tf.data.Dataset.from_tensor_slices(
            (images[..., np.newaxis], labels.astype(np.float32)[:, np.newaxis], weights.astype(np.float32))
        )
        .shuffle(len(labels), seed=seed, reshuffle_each_iteration=True)
        .batch(GATE_BATCH)
        .map(lambda x, y, w: (*augment(x, y), w), num_parallel_calls=1)
        .prefetch(tf.data.AUTOTUNE)
    )


def _logits(network: keras.Model, images: np.ndarray) -> np.ndarray:
    batch = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
    return network.predict(batch, batch_size=512, verbose=0)[:, 0]


def train_gate(
    train_digits: np.ndarray,
    calibration: dict[str, np.ndarray],
    measured: dict[str, np.ndarray],
    augment: Augment,
    folder: Path,
    seed: int,
    epochs: int = GATE_EPOCHS,
    fonts: list[Path] | None = None,
) -> dict[str, object]:
    """Train the check on ``train_digits`` and the fonts' shapes, choose its threshold on ``calibration`` (named
    sets of held-out digits: the threshold flags at most GATE_FLAG_SHARE of each), export it to ``folder`` and
    return the card's section: the threshold and the share of each set it flags (``measured``: more digits it
    never trained on; the held-out fonts' letters and digits are added)."""
    started = time.perf_counter()
    fonts = training_fonts() if fonts is None else fonts
    held_out = tuple(path for path in fonts if path.name in glyphs.HELD_OUT_FONTS)
    trained_on = tuple(path for path in fonts if path.name not in glyphs.HELD_OUT_FONTS)
    shapes, typed = typed_shapes(trained_on)
    held_shapes, held_digits = typed_shapes(held_out)
    keras.utils.set_random_seed(seed)
    network = build_gate()
    stream = _stream(np.asarray(train_digits).reshape(-1, 28, 28), typed, shapes, augment, seed)
    steps = int(stream.cardinality())
    schedule = keras.optimizers.schedules.CosineDecay(2e-4, epochs * steps, warmup_target=2e-3, warmup_steps=steps)
    network.compile(optimizer=keras.optimizers.Adam(schedule), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    network.fit(stream, epochs=epochs, verbose=2)
    # Its digits are all augmented in training, so crisp plain ones can seem the odder: each set has its say.
    quantiles = [np.quantile(_logits(network, images), 1.0 - GATE_FLAG_SHARE) for images in calibration.values()]
    threshold = float(max(quantiles))
    measured = {**calibration, **measured}
    measured |= {"held-out fonts' digits": held_digits, "held-out fonts' letters and signs": held_shapes}
    flagged = {
        name: round(float((_logits(network, images) > threshold).mean()), 4) for name, images in measured.items()
    }
    folder.mkdir(parents=True, exist_ok=True)
    network.export(str(folder / artifacts.GATE_FILE), format="onnx", verbose=False)
    return {
        "onnx": artifacts.GATE_FILE,
        "threshold": round(threshold, 4),
        "flagged": flagged,
        "images": {name: len(images) for name, images in measured.items()},
        "trained_on": {
            "digits": len(train_digits),
            "typed_digits": len(typed),
            "shapes": len(shapes),
            "fonts": len(trained_on),
            "characters": glyphs.NOT_DIGITS,
        },
        "held_out_fonts": list(glyphs.HELD_OUT_FONTS),
        "epochs": epochs,
        "seconds": round(time.perf_counter() - started, 1),
        "method": "a reading whose 'not a digit' logit is above the threshold is unsure; the threshold flags at "
        f"most {GATE_FLAG_SHARE:.1%} of the held-out validation digits, plain and augmented as in training",
    }
