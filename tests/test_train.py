"""Training: a tiny run learns, exports a loadable ONNX model that matches Keras, and writes its report."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

pytest.importorskip("tensorflow", reason="the 'train' extra is not installed")

from digitrec import artifacts
from digitrec.recognizer import Recognizer

pytestmark = [pytest.mark.training, pytest.mark.mnist]


def train_tiny(tmp_path_factory, mnist_dir, **settings):
    """A training run of the pipeline on a subset: its model's folder and card."""
    from digitrec.train import TrainConfig, train

    out = tmp_path_factory.mktemp("models")
    config = TrainConfig(**settings)
    return out / config.model, train(config, str(mnist_dir), out)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, mnist_dir):
    return train_tiny(
        tmp_path_factory, mnist_dir, model="readme", epochs=3, train_limit=3000, validation_size=500, test_limit=500
    )


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


def test_the_not_a_digit_check_is_trained_beside_the_model(tiny_run):
    folder, card = tiny_run
    gate = card["gate"]
    assert (folder / gate["onnx"]).is_file() and gate["epochs"] == 3
    assert gate["flagged"]["validation digits"] <= 0.002 and gate["flagged"]["augmented validation digits"] <= 0.002
    # Three epochs on 3,000 digits already set most letters apart; fonts it never saw, and the test digits.
    assert gate["flagged"]["held-out fonts' letters and signs"] > 0.2 > gate["flagged"]["test digits"]
    recognizer = Recognizer(folder)
    assert recognizer.gate is not None and recognizer.gate_threshold == gate["threshold"]


@pytest.fixture(scope="module")
def tiny_pair(tmp_path_factory, mnist_dir):
    return train_tiny(
        tmp_path_factory, mnist_dir, model="default", epochs=2, train_limit=1000, validation_size=300, test_limit=300
    )


def test_a_model_of_two_networks_is_served_as_the_first_with_a_second_opinion(tiny_pair, mnist_test):
    import keras

    from digitrec.normalize import normalize_mnist

    folder, card = tiny_pair
    assert [network["changes"] for network in card["networks"]] == [
        {},
        {"elastic_probability": 0.5, "soften_probability": 0.2},
    ]
    assert card["training"]["epochs_run"] == [2, 2] and "history" not in card
    images = normalize_mnist(mnist_test.images[:100])[..., np.newaxis]
    model = keras.saving.load_model(folder / artifacts.KERAS_FILE)
    first, second = (model.get_layer(f"network_{index}").predict(images, verbose=0) for index in (1, 2))
    assert np.abs(first - second).max() > 1e-3  # trained apart, they differ
    doubted = first.max(axis=1) < card["second_opinion"]["below"]
    served = Recognizer(folder).classify(images)
    assert np.abs(served - np.where(doubted[:, np.newaxis], (first + second) / 2, first)).max() < 1e-5
    assert card["parameters"] == 2 * sum(layer["parameters"] for layer in card["architecture"])


def test_elastic_distortion_bends_strokes_and_keeps_the_range(mnist_test):
    import tensorflow as tf

    from digitrec.normalize import normalize_mnist
    from digitrec.train import distort_elastically

    images = tf.constant(normalize_mnist(mnist_test.images[:64])[..., np.newaxis])
    bent = distort_elastically(images, 1.0, 2.0, tf.constant(7)).numpy()
    assert bent.shape == images.shape and bent.min() >= 0.0 and bent.max() <= 1.0
    moved = np.abs(bent - images.numpy()).mean(axis=(1, 2, 3))
    assert (moved > 0.01).all()
    ink = images.numpy().sum(axis=(1, 2, 3))
    ratio = bent.sum(axis=(1, 2, 3)) / ink
    assert (ratio > 0.5).all() and (ratio < 2.0).all()  # stretched or squeezed, not erased or smeared
    untouched = distort_elastically(images, 0.0, 2.0, tf.constant(7)).numpy()
    assert np.array_equal(untouched, images.numpy())


def test_softening_blurs_and_restores_the_peak(mnist_test):
    import tensorflow as tf

    from digitrec.normalize import normalize_mnist
    from digitrec.train import soften

    images = tf.constant(normalize_mnist(mnist_test.images[:32])[..., np.newaxis])
    soft = soften(images, 1.0, tf.constant(3)).numpy()
    assert np.allclose(soft.max(axis=(1, 2, 3)), 1.0)
    assert ((soft > 0.05).sum(axis=(1, 2, 3)) > (images.numpy() > 0.05).sum(axis=(1, 2, 3))).all()


def test_a_trained_model_is_calibrated_and_checked_again_from_its_card(tiny_run, mnist_dir, tmp_path):
    from digitrec.cli import main

    folder, _ = tiny_run
    card = json.loads((folder / artifacts.CARD_FILE).read_text())
    copy = shutil.copytree(folder, tmp_path / folder.name)
    (copy / artifacts.GATE_FILE).unlink()
    for option in ("--calibrate-only", "--gate-only"):
        assert main(["train", "--model", folder.name, "--out", str(tmp_path), "--data", str(mnist_dir), option]) == 0
    again = json.loads((copy / artifacts.CARD_FILE).read_text())
    assert (copy / artifacts.GATE_FILE).is_file()
    assert {key: value for key, value in again.items() if key != "gate"} == {
        key: value for key, value in card.items() if key != "gate"
    }
    assert again["gate"]["threshold"] == card["gate"]["threshold"]
