"""The models a worker serves, loaded once and kept on the app, and the bound on recognitions in flight."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from flask import current_app

from digitrec import artifacts
from digitrec.errors import DigitrecError, ModelUnavailable
from digitrec.normalize import MNIST_SIDE
from digitrec.recognizer import Recognizer


class UnknownModel(DigitrecError):
    """A request named a model that this server does not have."""

    code = "unknown_model"


class Overloaded(DigitrecError):
    """More recognitions are in flight than the worker allows; the client should retry shortly."""

    code = "overloaded"


class ModelRegistry:
    """The committed models by name. A model that fails to load is recorded, and tried again now and then,
    so that a missing or corrupt file makes the server unready rather than crashing it."""

    def __init__(
        self,
        root: str | Path,
        default: str,
        max_pixels: int,
        max_in_flight: int,
        max_queued: int,
        queue_wait_s: float,
        retry_s: float,
    ) -> None:
        self.root = Path(root)
        self.default = default
        self.names = artifacts.MODEL_NAMES
        if default not in self.names:
            raise UnknownModel(f"unknown default model {default!r}; choose one of {', '.join(self.names)}")
        self.max_pixels = max_pixels
        self.retry_s = retry_s
        self.queue_wait_s = queue_wait_s
        self._loaded: dict[str, Recognizer] = {}
        self._failed: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._running = threading.BoundedSemaphore(max_in_flight)
        self._admitted = threading.BoundedSemaphore(max_in_flight + max_queued)
        for name in self.names:
            self._load(name)

    def _load(self, name: str) -> None:
        folder = self.root / name
        try:
            if not folder.is_dir():
                raise ModelUnavailable(f"model folder {folder} is missing")
            recognizer = Recognizer(folder, max_pixels=self.max_pixels)
            recognizer.classify(
                np.zeros((1, MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
            )  # warm up: no slow first request
            self._loaded[name] = recognizer
            self._failed.pop(name, None)
        except ModelUnavailable as error:
            self._failed[name] = (time.monotonic(), str(error))

    def get(self, name: str | None = None) -> Recognizer:
        """The recognizer for a model name (the default when None).

        Raises UnknownModel for a name not served, ModelUnavailable when its files cannot be loaded.
        """
        name = name or self.default
        if name not in self.names:
            raise UnknownModel(f"unknown model {name!r}; choose one of {', '.join(self.names)}")
        recognizer = self._loaded.get(name)
        if recognizer is not None:
            return recognizer
        with self._lock:
            failed_at, _ = self._failed.get(name, (0.0, ""))
            if name not in self._loaded and time.monotonic() - failed_at >= self.retry_s:
                self._load(name)
        if name in self._loaded:
            return self._loaded[name]
        raise ModelUnavailable(f"the model {name!r} is not available: {self._failed[name][1]}")

    def ready(self) -> bool:
        """True once the default model is loaded."""
        try:
            self.get()
        except ModelUnavailable:
            return False
        return True

    def status(self) -> dict[str, str]:
        """Each model's state, "loaded" or why it is not."""
        return {name: "loaded" if name in self._loaded else self._failed[name][1] for name in self.names}

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the worker's recognition slots.

        Raises Overloaded at once when the slots and the short queue are full, or when no slot frees up within
        the queue's wait: a quick 503 rather than latency that grows with the load.
        """
        if not self._admitted.acquire(blocking=False):
            raise Overloaded("the server is busy; retry in a moment")
        try:
            if not self._running.acquire(timeout=self.queue_wait_s):
                raise Overloaded("the server is busy; retry in a moment")
            try:
                yield
            finally:
                self._running.release()
        finally:
            self._admitted.release()


def get_registry() -> ModelRegistry:
    """The current app's models."""
    return current_app.extensions["digitrec"]
