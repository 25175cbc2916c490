"""MNIST in its original IDX form: find the four files, verify them, read them into NumPy arrays.

The files come from a folder given with ``--data`` or ``DIGITREC_DATA``; with neither, from the cache
``~/.cache/digitrec/mnist``, which is filled from the public mirrors on first use. Every file is checked
against the published MD5 of its uncompressed bytes, so a truncated or corrupt file is caught by name.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitrec.errors import DataError

DATA_ENV = "DIGITREC_DATA"
CACHE_DIR = Path.home() / ".cache" / "digitrec" / "mnist"

# The published MD5 of each file's uncompressed bytes.
FILES: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte.gz": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte.gz": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte.gz": "27ae3e4e09519cfbb04c329615203637",
}
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions
LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension


@dataclass(frozen=True)
class Split:
    """One MNIST split: uint8 images (N, 28, 28), white digit on black, and uint8 labels (N,)."""

    images: np.ndarray
    labels: np.ndarray


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None, *, download: bool = True) -> Path:
    """Return the folder holding the four MNIST files.

    Order: the argument, then ``DIGITREC_DATA``, then the cache (downloaded into when ``download`` is true).
    Raises DataError when no folder is usable.
    """
    chosen = data_dir or os.environ.get(DATA_ENV)
    if chosen:
        folder = Path(chosen).expanduser()
        if not folder.is_dir():
            raise DataError(f"MNIST folder {folder} does not exist")
        return folder
    if all((CACHE_DIR / name).is_file() for name in FILES):
        return CACHE_DIR
    if not download:
        raise DataError(f"no MNIST folder given (--data or {DATA_ENV}) and no cached copy in {CACHE_DIR}")
    download_mnist(CACHE_DIR)
    return CACHE_DIR


def download_mnist(folder: Path) -> None:
    """Download the four files from the first public mirror that answers, verifying each. Raises DataError."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, md5 in FILES.items():
        target = folder / name
        if target.is_file():
            try:
                read_verified(target, md5)
                continue
            except DataError:
                target.unlink()
        failures = []
        for mirror in MIRRORS:
            partial = target.with_suffix(".part")
            try:
                urllib.request.urlretrieve(mirror + name, partial)  # noqa: S310 - fixed https mirrors
                read_verified(partial, md5)
            except (OSError, DataError) as error:
                failures.append(f"{mirror}: {error}")
                partial.unlink(missing_ok=True)
                continue
            partial.rename(target)
            break
        else:
            raise DataError(f"could not download {name}: " + "; ".join(failures))


def read_verified(path: Path, md5: str) -> bytes:
    """Return the uncompressed bytes of a gzip file after checking their MD5. Raises DataError naming the file."""
    if not path.is_file():
        raise DataError(f"{path.name} is missing from {path.parent}")
    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(f"{path.name} is truncated or not a gzip file ({error})") from error
    digest = hashlib.md5(raw).hexdigest()  # noqa: S324 - a published checksum, not security
    if digest != md5:
        raise DataError(f"{path.name} fails its checksum: MD5 {digest}, expected {md5}")
    return raw


def parse_idx(raw: bytes, *, name: str, magic: int) -> np.ndarray:
    """Parse IDX bytes (big-endian header, unsigned bytes) into an array. Raises DataError naming the file."""
    if len(raw) < 8:
        raise DataError(f"{name} is too short to hold an IDX header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise DataError(f"{name} has magic number {found:#010x}, expected {magic:#010x}")
    dims = magic & 0xFF
    header = 4 + 4 * dims
    if len(raw) < header:
        raise DataError(f"{name} is truncated inside its header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    expected = int(np.prod(shape))
    if len(raw) - header != expected:
        raise DataError(f"{name} holds {len(raw) - header} data bytes, its header promises {expected} {shape}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def load_split(split: str, data_dir: str | os.PathLike[str] | None = None) -> Split:
    """Load ``"train"`` (60,000) or ``"test"`` (10,000) images and labels, verified. Raises DataError."""
    prefix = {"train": "train", "test": "t10k"}.get(split)
    if prefix is None:
        raise ValueError(f"unknown split {split!r}")
    folder = resolve_data_dir(data_dir)
    image_name = f"{prefix}-images-idx3-ubyte.gz"
    label_name = f"{prefix}-labels-idx1-ubyte.gz"
    images = parse_idx(read_verified(folder / image_name, FILES[image_name]), name=image_name, magic=IMAGES_MAGIC)
    labels = parse_idx(read_verified(folder / label_name, FILES[label_name]), name=label_name, magic=LABELS_MAGIC)
    if len(images) != len(labels):
        raise DataError(f"{image_name} has {len(images)} images but {label_name} has {len(labels)} labels")
    return Split(images=images, labels=labels)


def checksums() -> dict[str, str]:
    """The uncompressed MD5 of each file, as recorded in model cards."""
    return dict(FILES)
