"""The committed models: files, model cards, and accuracy on the real MNIST test set."""

from __future__ import annotations

import json

import pytest

from digitrec import artifacts
from digitrec.evaluate import evaluate_model

TARGETS = {"default": 0.997, "readme": 0.988}
MAX_FILE_BYTES = 5 * 1024 * 1024


@pytest.mark.parametrize("name", artifacts.MODEL_NAMES)
def test_committed_model_files_are_small_and_complete(name):
    folder = artifacts.model_dir(name)
    card = json.loads((folder / artifacts.CARD_FILE).read_text())
    networks = artifacts.onnx_files(card)
    for filename in (*networks, artifacts.KERAS_FILE, artifacts.CARD_FILE, *artifacts.PLOT_FILES.values()):
        path = folder / filename
        assert path.is_file(), f"{path} is missing"
        assert path.stat().st_size < MAX_FILE_BYTES
    assert networks[0] == artifacts.ONNX_FILE
    assert card["name"] == name
    assert card["export_parity_max_abs_diff"] < 1e-5
    assert 0.0 < card["unsure"]["threshold"] < 1.0
    assert card["data_checksums_md5"]["t10k-images-idx3-ubyte.gz"] == "2646ac647ad5339dbf082846283269ea"
    assert len(card["test"]["confusion_matrix"]) == 10
    gate = card["gate"]  # the "not a digit" check: its file, its threshold, what it flags
    assert gate["onnx"] == artifacts.GATE_FILE and (folder / gate["onnx"]).stat().st_size < MAX_FILE_BYTES
    assert gate["flagged"]["validation digits"] <= 0.001 and gate["flagged"]["augmented validation digits"] <= 0.001
    assert gate["flagged"]["held-out fonts' letters and signs"] >= 0.5


@pytest.mark.mnist
@pytest.mark.parametrize("name", artifacts.MODEL_NAMES)
def test_committed_model_accuracy_on_the_mnist_test_set(name, mnist_dir):
    report = evaluate_model(name, mnist_dir)
    assert report["images"] == 10000
    assert report["accuracy"] >= TARGETS[name], f"{name}: {report['accuracy']:.4f}"
    card = json.loads((artifacts.model_dir(name) / artifacts.CARD_FILE).read_text())
    # Serving (ONNX Runtime) reproduces the accuracy that training measured with Keras.
    assert abs(report["accuracy"] - card["test"]["accuracy"]) <= 0.0002
