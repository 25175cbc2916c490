"""Score a committed model on the MNIST test set, through the same normalisation and runtime as serving."""

from __future__ import annotations

import os
import time

import numpy as np

from digitrec import data
from digitrec.normalize import normalize_mnist
from digitrec.recognizer import Recognizer


def evaluate_model(model: str = "default", data_dir: str | os.PathLike[str] | None = None) -> dict[str, object]:
    """Accuracy, per-class accuracy and confusion matrix of a model on the 10,000 MNIST test images.

    Raises DataError when the data cannot be read and ModelUnavailable when the model cannot be loaded.
    """
    recognizer = Recognizer(model)
    test = data.load_split("test", data_dir)
    started = time.perf_counter()
    images = normalize_mnist(test.images)
    probabilities = np.concatenate([recognizer.classify(images[i : i + 1000]) for i in range(0, len(images), 1000)])
    seconds = time.perf_counter() - started
    predicted = probabilities.argmax(axis=1)
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (test.labels, predicted), 1)
    return {
        "model": recognizer.name,
        "images": len(test.labels),
        "accuracy": float((predicted == test.labels).mean()),
        "errors": int((predicted != test.labels).sum()),
        "per_class": {str(d): float(matrix[d, d] / matrix[d].sum()) for d in range(10)},
        "confusion_matrix": matrix.tolist(),
        "ms_per_image": 1000 * seconds / len(test.labels),
    }
