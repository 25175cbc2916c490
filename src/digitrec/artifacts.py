"""Where the committed models live and how their model cards are read (serving side: no TensorFlow)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from digitrec.errors import ModelUnavailable

MODELS_DIR = Path(__file__).parent / "models"
MODEL_NAMES = ("default", "readme")
ONNX_FILE = "model.onnx"
KERAS_FILE = "model.keras"
CARD_FILE = "card.json"
GATE_FILE = "gate.onnx"  # the "not a digit" check (digitrec.gate), beside the model
PLOT_FILES = {"curves": "curves.png", "confusion": "confusion.png", "misclassified": "misclassified.png"}


def model_dir(name: str, root: str | os.PathLike[str] | None = None) -> Path:
    """The folder of a model by name. Raises ModelUnavailable for a name that is not a committed model."""
    if root is None and name not in MODEL_NAMES:
        raise ModelUnavailable(f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    return Path(root or MODELS_DIR) / name


def onnx_files(card: dict[str, object]) -> list[str]:
    """The ONNX files of a model's networks, the first read first: its card's ``networks``, or ONNX_FILE alone.
    Raises ModelUnavailable for a card whose networks name no file (only a name: the files lie in its folder)."""
    networks = card.get("networks")
    if not isinstance(networks, list):
        return [ONNX_FILE]
    names = [Path(str(network.get("onnx", ""))).name if isinstance(network, dict) else "" for network in networks]
    if not names or not all(names):
        raise ModelUnavailable("the model card's networks name no ONNX file")
    return names


def load_card(folder: Path) -> dict[str, object]:
    """The model card (JSON) of a model folder. Raises ModelUnavailable when missing or unreadable."""
    try:
        return json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelUnavailable(f"model card {folder / CARD_FILE} is missing or unreadable") from error
