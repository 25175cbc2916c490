"""Train a digit model on MNIST, export it for serving, and write its model card and figures.

Reads top to bottom: prepare the data, build the model, train, evaluate, calibrate, export, report.
Training extra only (TensorFlow and Keras are imported here, never by the serving code).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import onnxruntime
import tensorflow as tf

from digitrec import artifacts, data, gate, reports
from digitrec.networks import ARCHITECTURES, INPUT_SHAPE
from digitrec.normalize import normalize_mnist
from digitrec.recognizer import OnnxModel, SecondOpinion
from digitrec.segment import Classifier

# Accepted predictions must be at least this accurate on the augmented validation set; below the threshold
# that achieves it, an answer is "unsure". It sits above what the models reach on all of that set (about 99.5%
# for the default), so that the threshold sets apart the answers most likely to be wrong.
TARGET_SELECTIVE_ACCURACY = 0.998
# A model named here is several networks of its architecture that read as one (``recognizer.SecondOpinion``),
# each trained with these changes to the configuration. Each misreads digits the other reads: the default's second
# network, trained with elastic distortion and blur besides, reads photographed numbers a little better alone but
# weighs the cuts between touching digits differently; averaged, the two read more of both evaluation sets than
# either. A reading the first network is at least SECOND_OPINION_BELOW sure of is left to it: on MNIST's test set
# and on both evaluation sets' 6,000 images at seeds 0 and 2, the average then read every image as the first did,
# and the second network reads about a quarter of the pieces of a number and few lone digits.
NETWORKS: dict[str, list[dict[str, float]]] = {
    "default": [{}, {"elastic_probability": 0.5, "soften_probability": 0.2}],
}
SECOND_OPINION_BELOW = 0.999


@dataclass
class TrainConfig:
    """Everything that decides a training run; recorded in the model card."""

    model: str = "default"
    epochs: int = 30
    batch_size: int = 128
    learning_rate: float = 3e-3
    seed: int = 2026
    validation_size: int = 5000
    patience: int = 10
    rotation_degrees: float = 12.0
    zoom: float = 0.12
    shift: float = 0.08
    shear: float = 0.15
    thickness_probability: float = 0.5
    elastic_probability: float = 0.0
    elastic_pixels: float = 2.0
    soften_probability: float = 0.0
    train_limit: int | None = None  # a subset, for quick test runs
    test_limit: int | None = None


@dataclass
class Prepared:
    """Normalised images (N, 28, 28, 1) in [0, 1] and their labels for each split."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def prepare_data(config: TrainConfig, data_dir: str | None) -> Prepared:
    """Load MNIST, normalise it with the inference normalisation, hold out a validation split from training."""
    train = data.load_split("train", data_dir)
    test = data.load_split("test", data_dir)
    rng = np.random.default_rng(config.seed)
    order = rng.permutation(len(train.labels))
    if config.train_limit:
        order = order[: config.train_limit + config.validation_size]
    val_index, train_index = order[: config.validation_size], order[config.validation_size :]
    test_images, test_labels = test.images[: config.test_limit], test.labels[: config.test_limit]
    print(f"normalising {len(order)} training and {len(test_labels)} test images ...", flush=True)

    def normalised(images: np.ndarray) -> np.ndarray:
        return normalize_mnist(images)[..., np.newaxis]

    return Prepared(
        x_train=normalised(train.images[train_index]),
        y_train=train.labels[train_index].astype(np.int64),
        x_val=normalised(train.images[val_index]),
        y_val=train.labels[val_index].astype(np.int64),
        x_test=normalised(test_images),
        y_test=test_labels.astype(np.int64),
    )


def build_augmenter(config: TrainConfig) -> keras.Sequential:
    """Random geometry aimed at real inputs: rotation, scale, shear and translation."""
    return keras.Sequential(
        [
            keras.layers.RandomRotation(config.rotation_degrees / 360.0, fill_mode="constant", seed=config.seed),
            keras.layers.RandomZoom(config.zoom, fill_mode="constant", seed=config.seed + 1),
            keras.layers.RandomShear(x_factor=config.shear, y_factor=0.0, fill_mode="constant", seed=config.seed + 2),
            keras.layers.RandomTranslation(config.shift, config.shift, fill_mode="constant", seed=config.seed + 3),
        ],
        name="augment",
    )


def vary_thickness(images: tf.Tensor, probability: float, seed: int) -> tf.Tensor:
    """Thicken or thin the strokes of some images by one pixel (grey dilation or erosion, 2x2)."""
    thick = tf.nn.max_pool2d(images, 2, 1, "SAME")
    thin = -tf.nn.max_pool2d(-images, 2, 1, "SAME")
    choice = tf.random.stateless_uniform([tf.shape(images)[0], 1, 1, 1], seed=[seed, 0])
    half = probability / 2
    return tf.where(choice < half, thick, tf.where(choice < probability, thin, images))


def distort_elastically(images: tf.Tensor, probability: float, pixels: float, seed: tf.Tensor) -> tf.Tensor:
    """Bend the strokes of some images smoothly, as one hand's digits differ from another's: every pixel moves
    by a field that varies slowly across the image (random shifts of up to ``pixels`` at 4x4 points, interpolated
    bicubically), sampled bilinearly with nothing beyond the image's edge."""
    batch, height, width = tf.shape(images)[0], images.shape[1], images.shape[2]
    coarse = tf.random.stateless_uniform([batch, 4, 4, 2], seed=[seed, 1], minval=-pixels, maxval=pixels)
    field = tf.image.resize(coarse, [height, width], method="bicubic")
    rows = tf.range(height, dtype=tf.float32)[tf.newaxis, :, tf.newaxis] + field[..., 0]
    columns = tf.range(width, dtype=tf.float32)[tf.newaxis, tf.newaxis, :] + field[..., 1]
    padded = tf.pad(images[..., 0], [[0, 0], [1, 1], [1, 1]])  # a border of nothing round the image
    top, left = tf.floor(rows), tf.floor(columns)
    down, right = rows - top, columns - left
    index = tf.broadcast_to(tf.range(batch)[:, tf.newaxis, tf.newaxis], [batch, height, width])

    def at(row: tf.Tensor, column: tf.Tensor) -> tf.Tensor:
        row = tf.cast(tf.clip_by_value(row + 1, 0, height + 1), tf.int32)
        column = tf.cast(tf.clip_by_value(column + 1, 0, width + 1), tf.int32)
        return tf.gather_nd(padded, tf.stack([index, row, column], axis=-1))

    warped = (1 - down) * ((1 - right) * at(top, left) + right * at(top, left + 1))
    warped += down * ((1 - right) * at(top + 1, left) + right * at(top + 1, left + 1))
    choice = tf.random.stateless_uniform([batch, 1, 1, 1], seed=[seed, 2])
    return tf.where(choice < probability, warped[..., tf.newaxis], images)


def soften(images: tf.Tensor, probability: float, seed: tf.Tensor) -> tf.Tensor:
    """Blur some images as a digit photographed or scanned small is: shrunk to 12-18 pixels and enlarged back,
    its brightest ink brought back to full as ``normalize.fit_mnist`` brings it."""
    side = images.shape[1]
    small = tf.random.stateless_uniform([], seed=[seed, 3], minval=12, maxval=19, dtype=tf.int32)
    blurred = tf.image.resize(tf.image.resize(images, [small, small], antialias=True), [side, side])
    peak = tf.reduce_max(blurred, axis=[1, 2, 3], keepdims=True)
    blurred = tf.minimum(blurred / tf.maximum(peak, 0.5), 1.0)
    choice = tf.random.stateless_uniform([tf.shape(images)[0], 1, 1, 1], seed=[seed, 4])
    return tf.where(choice < probability, blurred, images)


def augmentation(config: TrainConfig) -> gate.Augment:
    """The training images' augmentation, batch by batch: thickness, then bending and blur where the
    configuration asks for them, then geometry (``build_augmenter``); each batch draws anew."""
    augmenter = build_augmenter(config)
    counter = tf.Variable(0, dtype=tf.int64, trainable=False)

    def augment(images: tf.Tensor, labels: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        step = counter.assign_add(1)
        seed = config.seed + tf.cast(step, tf.int32)
        images = vary_thickness(images, config.thickness_probability, seed)
        if config.elastic_probability:
            images = distort_elastically(images, config.elastic_probability, config.elastic_pixels, seed)
        if config.soften_probability:
            images = soften(images, config.soften_probability, seed)
        return tf.clip_by_value(augmenter(images, training=True), 0.0, 1.0), labels

    return augment


def make_datasets(prepared: Prepared, config: TrainConfig) -> tuple[tf.data.Dataset, tf.data.Dataset]:
    """The augmented, shuffled training stream and the plain validation stream."""
    train = (
        tf.data.Dataset.from_tensor_slices((prepared.x_train, prepared.y_train))
        .shuffle(len(prepared.y_train), seed=config.seed, reshuffle_each_iteration=True)
        .batch(config.batch_size)
        .map(augmentation(config), num_parallel_calls=1)
        .prefetch(tf.data.AUTOTUNE)
    )
    validation = tf.data.Dataset.from_tensor_slices((prepared.x_val, prepared.y_val)).batch(512)
    return train, validation


def build_model(config: TrainConfig, steps_per_epoch: int) -> keras.Model:
    """The named architecture, compiled with Adam on a warm-up then cosine learning-rate schedule."""
    model = ARCHITECTURES[config.model]()
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=config.learning_rate / 10,
        decay_steps=max(1, (config.epochs - 1) * steps_per_epoch),
        warmup_target=config.learning_rate,
        warmup_steps=steps_per_epoch,
        alpha=0.01,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=["accuracy"],
    )
    return model


def network_configs(config: TrainConfig) -> list[TrainConfig]:
    """The configuration each network of the named model is trained with (one, unless ``NETWORKS`` names it)."""
    return [replace(config, **changes) for changes in NETWORKS.get(config.model, [{}])]


def clean_copies(networks: list[keras.Model], config: TrainConfig) -> list[keras.Model]:
    """Each trained network's weights in a fresh copy of its architecture, without optimizer state, named
    ``network_1``... (a single one by the model's name)."""
    copies = []
    for index, network in enumerate(networks, start=1):
        copy = ARCHITECTURES[config.model]()
        copy.set_weights(network.get_weights())
        copy.name = config.model if len(networks) == 1 else f"network_{index}"
        copy(np.zeros((1, *INPUT_SHAPE), dtype=np.float32))  # the exporter needs a model that has been called
        copies.append(copy)
    return copies


def as_model(networks: list[keras.Model]) -> Classifier:
    """The served model made of Keras networks (``_read_as_one``)."""
    return _read_as_one([partial(_predict, network) for network in networks])


def _read_as_one(readers: list[Classifier]) -> Classifier:
    """One network's reader, or several's read as ``SecondOpinion`` reads them (Keras networks or ONNX files)."""
    return readers[0] if len(readers) == 1 else SecondOpinion(readers, SECOND_OPINION_BELOW)


def _predict(network: keras.Model, images: np.ndarray) -> np.ndarray:
    return network.predict(np.asarray(images, dtype=np.float32), batch_size=512, verbose=0)


def fit(model: keras.Model, train: tf.data.Dataset, validation: tf.data.Dataset, config: TrainConfig) -> dict:
    """Train with early stopping on validation loss, keeping the best weights. Returns the history.

    The best epoch is chosen from the last third of the schedule on: early epochs at a high learning rate
    sometimes hit a lucky validation score (5,000 images: one image is 0.02%) that the annealed weights beat
    on unseen data.
    """
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss",
        patience=config.patience,
        restore_best_weights=True,
        start_from_epoch=config.epochs * 2 // 3,
        verbose=1,
    )
    verbose = 1 if sys.stdout.isatty() else 2
    history = model.fit(train, validation_data=validation, epochs=config.epochs, callbacks=[stop], verbose=verbose)
    return {key: [float(value) for value in values] for key, values in history.history.items()}


def augmented_validation(prepared: Prepared, config: TrainConfig) -> np.ndarray:
    """The held-out validation images augmented as in training (harder, closer to real inputs)."""
    return np.asarray(tf.clip_by_value(build_augmenter(config)(prepared.x_val, training=True), 0.0, 1.0))


def calibrate_unsure(model: Classifier, images: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Pick the confidence below which an answer is 'unsure', on held-out validation data.

    The validation ``images`` are augmented as in training (``augmented_validation``); the threshold is the
    lowest confidence at which the predictions kept reach TARGET_SELECTIVE_ACCURACY.
    """
    probabilities = model(images)
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    order = np.argsort(-confidence)
    running = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    passing = np.flatnonzero(running >= TARGET_SELECTIVE_ACCURACY)
    last = passing[-1] if passing.size else 0
    threshold = float(confidence[order][last])
    return {
        "threshold": round(threshold, 4),
        "target_accuracy": TARGET_SELECTIVE_ACCURACY,
        "coverage": round(float((confidence >= threshold).mean()), 4),
        "augmented_validation_accuracy": round(float(correct.mean()), 4),
        "method": "lowest confidence at which predictions kept reach the target accuracy "
        "on the augmented held-out validation split",
    }


def check_second_opinion(networks: list[keras.Model], images: np.ndarray) -> dict[str, object]:
    """How the networks of a model of several share the reading, on the augmented validation ``images``: the share
    the first leaves to the others, and how many images it is sure enough of that the average reads differently."""
    readings = [_predict(network, images) for network in networks]
    first, average = readings[0], np.mean(readings, axis=0)
    left_alone = first.max(axis=1) >= SECOND_OPINION_BELOW
    return {
        "below": SECOND_OPINION_BELOW,
        "asked_share": round(float(1.0 - left_alone.mean()), 4),
        "read_otherwise_when_left_alone": int((first.argmax(axis=1) != average.argmax(axis=1))[left_alone].sum()),
        "images": len(images),
        "method": "the first network reads every image; below this confidence the others read it too and all "
        "are averaged (figures on the augmented held-out validation split)",
    }


def score(model: Classifier, prepared: Prepared) -> tuple[dict[str, object], np.ndarray]:
    """Test-set accuracy, per-class accuracy and confusion matrix; also returns the probabilities."""
    probabilities = model(prepared.x_test)
    predicted = probabilities.argmax(axis=1)
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (prepared.y_test, predicted), 1)
    per_class = {str(d): round(float(matrix[d, d] / max(1, matrix[d].sum())), 4) for d in range(10)}
    return {
        "accuracy": round(float((predicted == prepared.y_test).mean()), 4),
        "errors": int((predicted != prepared.y_test).sum()),
        "images": len(prepared.y_test),
        "per_class": per_class,
        "confusion_matrix": matrix.tolist(),
    }, probabilities


def export(networks: list[keras.Model], folder: Path) -> list[str]:
    """Write each network's ONNX file (``clean_copies``; the first is ONNX_FILE) and a .keras file holding them
    all (one output each). Returns the ONNX files' names."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [artifacts.ONNX_FILE] + [f"model_{index}.onnx" for index in range(2, len(networks) + 1)]
    for network, name in zip(networks, names):
        network.export(str(folder / name), format="onnx", verbose=False)
    if len(networks) == 1:
        networks[0].save(folder / artifacts.KERAS_FILE)
    else:
        image = keras.Input(shape=INPUT_SHAPE, name="image")
        keras.Model(image, [network(image) for network in networks]).save(folder / artifacts.KERAS_FILE)
    return names


def check_parity(model: Classifier, folder: Path, onnx_files: list[str], images: np.ndarray) -> float:
    """The largest difference between Keras and ONNX Runtime probabilities on the given images."""
    served = _read_as_one([OnnxModel(folder / name) for name in onnx_files])
    return float(np.abs(served(images) - model(images)).max())


def architecture_summary(network: keras.Model) -> list[dict[str, object]]:
    """Each layer's class, output shape and parameter count (of one network)."""
    return [
        {
            "layer": layer.__class__.__name__,
            "output_shape": list(layer.output.shape[1:]),
            "parameters": layer.count_params(),
        }
        for layer in network.layers
    ]


def write_report(
    networks: list[keras.Model],
    folder: Path,
    config: TrainConfig,
    prepared: Prepared,
    histories: list[dict],
    onnx_files: list[str],
    test: dict,
    probabilities: np.ndarray,
    extra: dict[str, object],
) -> dict[str, object]:
    """Write card.json and the three figures; return the card. One network's history is the card's "history";
    several networks' are its "networks", each with the changes to the configuration it was trained with and its
    ONNX file (of ``onnx_files``)."""
    epochs = [len(history["loss"]) for history in histories]
    if len(histories) == 1:
        trained = {"history": histories[0]}
    else:
        changes = NETWORKS[config.model]
        trained = {
            "networks": [
                {"changes": change, "onnx": onnx, "history": history}
                for change, onnx, history in zip(changes, onnx_files, histories)
            ]
        }
    card = {
        "name": config.model,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "architecture": architecture_summary(networks[0]),
        "parameters": int(sum(network.count_params() for network in networks)),
        "input": {"shape": [1, 28, 28, 1], "dtype": "float32", "range": [0, 1], "polarity": "white digit on black"},
        "training": asdict(config)
        | {
            "train_images": len(prepared.y_train),
            "validation_images": len(prepared.y_val),
            "epochs_run": epochs[0] if len(epochs) == 1 else epochs,
        },
        **trained,
        "test": test,
        "data_checksums_md5": data.checksums(),
        "versions": {
            "python": platform.python_version(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "numpy": np.__version__,
            "onnxruntime": onnxruntime.__version__,
        },
        "files": {"onnx": artifacts.ONNX_FILE, "keras": artifacts.KERAS_FILE, **artifacts.PLOT_FILES},
    } | extra
    (folder / artifacts.CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    title = f"{config.model} model"
    reports.plot_curves(histories, folder / artifacts.PLOT_FILES["curves"], title)
    reports.plot_confusion(np.array(test["confusion_matrix"]), folder / artifacts.PLOT_FILES["confusion"], title)
    reports.plot_misclassified(
        prepared.x_test[..., 0],
        prepared.y_test,
        probabilities.argmax(axis=1),
        probabilities.max(axis=1),
        folder / artifacts.PLOT_FILES["misclassified"],
        title,
    )
    return card


def recalibrate(folder: Path, data_dir: str | None = None) -> dict[str, object]:
    """Recompute the "unsure" threshold of a trained model from its .keras file (``_update_card``). Returns it."""

    def calibrated(card: dict[str, object], config: TrainConfig, prepared: Prepared) -> dict[str, object]:
        saved = keras.models.load_model(folder / artifacts.KERAS_FILE)
        count = len(card.get("networks") or [None])
        networks = [saved] if count == 1 else [saved.get_layer(f"network_{index}") for index in range(1, count + 1)]
        return calibrate_unsure(as_model(networks), augmented_validation(prepared, config), prepared.y_val)

    unsure = _update_card(folder, data_dir, "unsure", calibrated)
    print(f"{folder.name}: unsure below {unsure['threshold']} (coverage {unsure['coverage']})")
    return unsure


def add_gate(folder: Path, data_dir: str | None = None) -> dict[str, object]:
    """Train the "not a digit" check of a trained model (``fit_gate``) and write it beside the model and into its
    card (``_update_card``). Returns the card's section."""
    gate.training_fonts()  # fail now, not after preparing the data, where the fonts are missing

    def trained(card: dict[str, object], config: TrainConfig, prepared: Prepared) -> dict[str, object]:
        return fit_gate(prepared, config, folder, augmented_validation(prepared, config))

    section = _update_card(folder, data_dir, "gate", trained)
    print(f"{folder.name}: 'not a digit' above {section['threshold']}: flags {section['flagged']}")
    return section


def _update_card(
    folder: Path, data_dir: str | None, key: str, compute: Callable[[dict, TrainConfig, Prepared], dict]
) -> dict[str, object]:
    """Compute one section of a trained model's card anew from the training configuration it records (the same
    validation split, the same augmentation) and write it into the card. Returns it."""
    card = artifacts.load_card(folder)
    fields = TrainConfig.__dataclass_fields__
    config = TrainConfig(**{name: value for name, value in card["training"].items() if name in fields})
    keras.utils.set_random_seed(config.seed)
    card[key] = compute(card, config, prepare_data(config, data_dir))
    (folder / artifacts.CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card[key]


def fit_gate(prepared: Prepared, config: TrainConfig, folder: Path, validation: np.ndarray) -> dict[str, object]:
    """The model's "not a digit" check (``gate.train_gate``), its digits augmented as its last network's are;
    its threshold chosen on the held-out validation split, plain and ``validation`` (augmented); its flags
    counted on the test split too."""
    calibration = {"validation digits": prepared.x_val, "augmented validation digits": validation}
    augment = augmentation(network_configs(config)[-1])
    epochs = min(gate.GATE_EPOCHS, config.epochs)  # a quick run's check is quick too
    return gate.train_gate(
        prepared.x_train, calibration, {"test digits": prepared.x_test}, augment, folder, config.seed, epochs
    )


def train(config: TrainConfig, data_dir: str | None = None, out_dir: str | os.PathLike[str] | None = None) -> dict:
    """Run the whole pipeline for one model; returns its model card. The test set chooses nothing."""
    gate.training_fonts()  # fail now, not after an hour of training, where the check's fonts are missing
    keras.utils.set_random_seed(config.seed)
    folder = Path(out_dir) / config.model if out_dir else artifacts.model_dir(config.model)
    started = time.perf_counter()
    prepared = prepare_data(config, data_dir)
    steps = int(np.ceil(len(prepared.y_train) / config.batch_size))
    networks, histories = [], []
    fit_started = time.perf_counter()
    for network_config in network_configs(config):
        keras.utils.set_random_seed(config.seed)  # each network as if trained alone
        train_stream, validation = make_datasets(prepared, network_config)
        network = build_model(network_config, steps)
        histories.append(fit(network, train_stream, validation, network_config))
        networks.append(network)
    fit_seconds = time.perf_counter() - fit_started
    return finish(clean_copies(networks, config), histories, config, prepared, folder, fit_seconds, started)


def finish(
    networks: list[keras.Model],
    histories: list[dict],
    config: TrainConfig,
    prepared: Prepared,
    folder: Path,
    fit_seconds: float,
    started: float,
) -> dict:
    """The pipeline after training (``networks`` from ``clean_copies``): score, calibrate, export, check, report."""
    model = as_model(networks)
    test, probabilities = score(model, prepared)
    validation = augmented_validation(prepared, config)  # augmented once: calibration and the check read the same
    unsure = calibrate_unsure(model, validation, prepared.y_val)
    onnx_files = export(networks, folder)
    parity = check_parity(model, folder, onnx_files, prepared.x_test[:1000])
    extra: dict[str, object] = {"unsure": unsure}
    if len(networks) > 1:
        extra["second_opinion"] = check_second_opinion(networks, validation)
    extra["gate"] = fit_gate(prepared, config, folder, validation)
    extra |= {
        "export_parity_max_abs_diff": parity,
        "training_seconds": round(fit_seconds, 1),
        "pipeline_seconds": round(time.perf_counter() - started, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    card = write_report(networks, folder, config, prepared, histories, onnx_files, test, probabilities, extra)
    print(
        f"{config.model}: test accuracy {test['accuracy']:.4f} ({test['errors']} errors), "
        f"unsure below {unsure['threshold']}, parity {parity:.2e}, trained in {fit_seconds:.0f} s -> {folder}",
        flush=True,
    )
    return card
