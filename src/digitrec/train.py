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
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import onnxruntime
import tensorflow as tf

from digitrec import artifacts, data, reports
from digitrec.networks import ARCHITECTURES, INPUT_SHAPE
from digitrec.normalize import normalize_mnist

# Accepted predictions must be at least this accurate on the augmented validation set; below the threshold
# that achieves it, an answer is "unsure". It sits above what the models reach on all of that set (about 99.5%
# for the default), so that the threshold sets apart the answers most likely to be wrong.
TARGET_SELECTIVE_ACCURACY = 0.998


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


def make_datasets(prepared: Prepared, config: TrainConfig) -> tuple[tf.data.Dataset, tf.data.Dataset]:
    """The augmented, shuffled training stream and the plain validation stream."""
    augmenter = build_augmenter(config)
    counter = tf.Variable(0, dtype=tf.int64, trainable=False)

    def augment(images: tf.Tensor, labels: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        step = counter.assign_add(1)
        images = vary_thickness(images, config.thickness_probability, config.seed + tf.cast(step, tf.int32))
        return tf.clip_by_value(augmenter(images, training=True), 0.0, 1.0), labels

    train = (
        tf.data.Dataset.from_tensor_slices((prepared.x_train, prepared.y_train))
        .shuffle(len(prepared.y_train), seed=config.seed, reshuffle_each_iteration=True)
        .batch(config.batch_size)
        .map(augment, num_parallel_calls=1)
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


def calibrate_unsure(model: keras.Model, prepared: Prepared, config: TrainConfig) -> dict[str, float]:
    """Pick the confidence below which an answer is 'unsure', on held-out validation data.

    The validation images are augmented as in training (harder, closer to real inputs); the threshold is the
    lowest confidence at which the predictions kept reach TARGET_SELECTIVE_ACCURACY.
    """
    augmenter = build_augmenter(config)
    images = tf.clip_by_value(augmenter(prepared.x_val, training=True), 0.0, 1.0)
    probabilities = model.predict(images, batch_size=512, verbose=0)
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == prepared.y_val
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


def score(model: keras.Model, prepared: Prepared) -> tuple[dict[str, object], np.ndarray]:
    """Test-set accuracy, per-class accuracy and confusion matrix; also returns the probabilities."""
    probabilities = model.predict(prepared.x_test, batch_size=512, verbose=0)
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


def export(model: keras.Model, folder: Path, config: TrainConfig) -> None:
    """Write the ONNX file that serving loads and a .keras file without optimizer state."""
    folder.mkdir(parents=True, exist_ok=True)
    clean = ARCHITECTURES[config.model]()
    clean.set_weights(model.get_weights())
    clean(np.zeros((1, *INPUT_SHAPE), dtype=np.float32))  # the exporter needs a model that has been called
    clean.save(folder / artifacts.KERAS_FILE)
    clean.export(str(folder / artifacts.ONNX_FILE), format="onnx", verbose=False)


def check_parity(model: keras.Model, folder: Path, images: np.ndarray) -> float:
    """The largest difference between Keras and ONNX Runtime probabilities on the given images."""
    session = onnxruntime.InferenceSession(str(folder / artifacts.ONNX_FILE), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    served = session.run(None, {name: images.astype(np.float32)})[0]
    return float(np.abs(served - model.predict(images, verbose=0)).max())


def architecture_summary(model: keras.Model) -> list[dict[str, object]]:
    """Each layer's class, output shape and parameter count."""
    return [
        {
            "layer": layer.__class__.__name__,
            "output_shape": list(layer.output.shape[1:]),
            "parameters": layer.count_params(),
        }
        for layer in model.layers
    ]


def write_report(
    model: keras.Model,
    folder: Path,
    config: TrainConfig,
    prepared: Prepared,
    history: dict,
    test: dict,
    probabilities: np.ndarray,
    extra: dict[str, object],
) -> dict[str, object]:
    """Write card.json and the three figures; return the card."""
    card = {
        "name": config.model,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "architecture": architecture_summary(model),
        "parameters": int(model.count_params()),
        "input": {"shape": [1, 28, 28, 1], "dtype": "float32", "range": [0, 1], "polarity": "white digit on black"},
        "training": asdict(config)
        | {
            "train_images": len(prepared.y_train),
            "validation_images": len(prepared.y_val),
            "epochs_run": len(history["loss"]),
        },
        "history": history,
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
    reports.plot_curves(history, folder / artifacts.PLOT_FILES["curves"], title)
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
    """Recompute the "unsure" threshold of a trained model from its .keras file and its card's training
    configuration (same validation split, same augmentation), and write it into the card. Returns it."""
    card = artifacts.load_card(folder)
    fields = TrainConfig.__dataclass_fields__
    config = TrainConfig(**{key: value for key, value in card["training"].items() if key in fields})
    keras.utils.set_random_seed(config.seed)
    prepared = prepare_data(config, data_dir)
    model = keras.models.load_model(folder / artifacts.KERAS_FILE)
    card["unsure"] = calibrate_unsure(model, prepared, config)
    (folder / artifacts.CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    print(f"{folder.name}: unsure below {card['unsure']['threshold']} (coverage {card['unsure']['coverage']})")
    return card["unsure"]


def train(config: TrainConfig, data_dir: str | None = None, out_dir: str | os.PathLike[str] | None = None) -> dict:
    """Run the whole pipeline for one model; returns its model card. The test set chooses nothing."""
    keras.utils.set_random_seed(config.seed)
    folder = Path(out_dir) / config.model if out_dir else artifacts.model_dir(config.model)
    started = time.perf_counter()
    prepared = prepare_data(config, data_dir)
    train_stream, validation = make_datasets(prepared, config)
    steps = int(np.ceil(len(prepared.y_train) / config.batch_size))
    model = build_model(config, steps)
    fit_started = time.perf_counter()
    history = fit(model, train_stream, validation, config)
    fit_seconds = time.perf_counter() - fit_started
    test, probabilities = score(model, prepared)
    unsure = calibrate_unsure(model, prepared, config)
    export(model, folder, config)
    parity = check_parity(model, folder, prepared.x_test[:1000])
    extra = {
        "unsure": unsure,
        "export_parity_max_abs_diff": parity,
        "training_seconds": round(fit_seconds, 1),
        "pipeline_seconds": round(time.perf_counter() - started, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    card = write_report(model, folder, config, prepared, history, test, probabilities, extra)
    print(
        f"{config.model}: test accuracy {test['accuracy']:.4f} ({test['errors']} errors), "
        f"unsure below {unsure['threshold']}, parity {parity:.2e}, trained in {fit_seconds:.0f} s -> {folder}",
        flush=True,
    )
    return card
