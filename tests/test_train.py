"""Training: a tiny run learns, exports a loadable ONNX model that matches Keras, and writes its report."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("tensorflow", reason="the 'train' extra is not installed")

from digitrec import artifacts
from digitrec.recognizer import Recognizer

pytestmark = [pytest.mark.training, pytest.mark.mnist]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, mnist_dir):
    from digitrec.train import TrainConfig, train

    out = tmp_path_factory.mktemp("models")
    config = TrainConfig(model="readme", epochs=3, train_limit=3000, validation_size=500, test_limit=500)
    card = train(config, str(mnist_dir), out)
    return out / "readme", card


def test_a_tiny_run_learns(tiny_run):
    _, card = tiny_run
    losses = card["history"]["loss"]
    assert losses[-1] < losses[0] * 0.6
    assert card["test"]["accuracy"] > 0.85
    assert card["training"]["train_images"] == 3000


def test_the_export_loads_in_onnx_runtime_and_matches_keras(tiny_run, mnist_test):
    import keras

    from digitrec.normalize import normalize_mnist

    folder, card = tiny_run
    assert card["export_parity_max_abs_diff"] < 1e-5
    images = normalize_mnist(mnist_test.images[:200])[..., np.newaxis]
    served = Recognizer(folder).classify(images)
    trained = keras.saving.load_model(folder / artifacts.KERAS_FILE).predict(images, verbose=0)
    assert np.abs(served - trained).max() < 1e-5


def test_the_report_is_complete(tiny_run):
    folder, _ = tiny_run
    card = json.loads((folder / artifacts.CARD_FILE).read_text())
    for key in ("architecture", "parameters", "training", "history", "test", "unsure", "versions", "training_seconds"):
        assert key in card
    assert card["training"]["seed"] == 2026
    for filename in artifacts.PLOT_FILES.values():
        assert (folder / filename).stat().st_size > 5000
