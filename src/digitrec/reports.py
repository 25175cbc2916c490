"""The training report's figures: curves, confusion matrix, misclassified gallery (training extra only)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def plot_curves(histories: list[dict[str, list[float]]], path: Path, title: str) -> None:
    """Accuracy and loss per epoch, training beside validation, in one figure of two panels; each network of
    a model of several in its own colour, validation dashed."""
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    several = len(histories) > 1
    for number, history in enumerate(histories, start=1):
        name = f"network {number} " if several else ""
        epochs = np.arange(1, len(history["loss"]) + 1)
        for axis, metric in ((left, "accuracy"), (right, "loss")):
            line = axis.plot(epochs, history[metric], marker="o", markersize=3, label=f"{name}training")[0]
            axis.plot(
                epochs,
                history[f"val_{metric}"],
                "--" if several else "-",
                marker="o",
                markersize=3,
                color=line.get_color() if several else None,
                label=f"{name}validation",
            )
    for axis, metric in ((left, "accuracy"), (right, "loss")):
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.grid(alpha=0.3)
        axis.legend()
    left.set_title(f"{title}: accuracy")
    right.set_title(f"{title}: loss")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def plot_confusion(matrix: np.ndarray, path: Path, title: str) -> None:
    """The 10x10 confusion matrix on the test set, counts written in each cell."""
    figure, axis = plt.subplots(figsize=(6, 5.4))
    shown = np.log1p(matrix)
    axis.imshow(shown, cmap="Blues")
    for true in range(10):
        for predicted in range(10):
            count = int(matrix[true, predicted])
            if count:
                colour = "white" if shown[true, predicted] > shown.max() * 0.6 else "black"
                axis.text(predicted, true, str(count), ha="center", va="center", fontsize=8, color=colour)
    axis.set_xticks(range(10))
    axis.set_yticks(range(10))
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    axis.set_title(f"{title}: confusion matrix (test set)")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def plot_misclassified(
    images: np.ndarray, labels: np.ndarray, predicted: np.ndarray, confidence: np.ndarray, path: Path, title: str
) -> None:
    """A gallery of up to 40 misclassified test digits, each captioned 'true -> predicted (confidence)'."""
    wrong = np.flatnonzero(labels != predicted)[:40]
    columns = 10
    rows = max(1, int(np.ceil(len(wrong) / columns)))
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.1, rows * 1.3 + 0.4))
    for axis in np.atleast_1d(axes).ravel():
        axis.axis("off")
    for axis, index in zip(np.atleast_1d(axes).ravel(), wrong):
        axis.imshow(images[index], cmap="gray", vmin=0, vmax=1)
        axis.set_title(f"{labels[index]}→{predicted[index]} ({confidence[index]:.2f})", fontsize=7)
    figure.suptitle(f"{title}: misclassified test digits ({int((labels != predicted).sum())} in all)")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
