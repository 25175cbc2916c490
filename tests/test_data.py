"""The IDX reader: good files, truncated files, wrong magic numbers, checksum mismatches."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from digitrec import data
from digitrec.errors import DataError


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_gz(path: Path, raw: bytes) -> Path:
    path.write_bytes(gzip.compress(raw))
    return path


def test_parse_idx_reads_images_and_labels():
    images = np.arange(2 * 28 * 28, dtype=np.uint32).reshape(2, 28, 28) % 256
    parsed = data.parse_idx(idx_bytes(images, data.IMAGES_MAGIC), name="x", magic=data.IMAGES_MAGIC)
    assert parsed.shape == (2, 28, 28)
    assert np.array_equal(parsed, images)
    labels = data.parse_idx(idx_bytes(np.array([3, 7]), data.LABELS_MAGIC), name="y", magic=data.LABELS_MAGIC)
    assert labels.tolist() == [3, 7]


def test_parse_idx_rejects_wrong_magic():
    raw = idx_bytes(np.array([1, 2, 3]), data.LABELS_MAGIC)
    with pytest.raises(DataError, match=r"labels\.gz has magic number 0x00000801, expected 0x00000803"):
        data.parse_idx(raw, name="labels.gz", magic=data.IMAGES_MAGIC)


def test_parse_idx_rejects_truncated_data():
    raw = idx_bytes(np.zeros((3, 28, 28)), data.IMAGES_MAGIC)[:-10]
    with pytest.raises(DataError, match=r"images\.gz holds 2342 data bytes, its header promises 2352"):
        data.parse_idx(raw, name="images.gz", magic=data.IMAGES_MAGIC)


def test_parse_idx_rejects_a_short_header():
    with pytest.raises(DataError, match="too short"):
        data.parse_idx(b"\x00\x00", name="x.gz", magic=data.LABELS_MAGIC)


def test_read_verified_checks_the_uncompressed_md5(tmp_path):
    raw = idx_bytes(np.array([1, 2]), data.LABELS_MAGIC)
    path = write_gz(tmp_path / "labels.gz", raw)
    assert data.read_verified(path, hashlib.md5(raw).hexdigest()) == raw
    with pytest.raises(DataError, match="labels.gz fails its checksum"):
        data.read_verified(path, "0" * 32)


def test_read_verified_names_a_truncated_gzip(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    payload = np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    path.write_bytes(gzip.compress(payload)[:2000])
    with pytest.raises(DataError, match="train-images-idx3-ubyte.gz is truncated"):
        data.read_verified(path, "0" * 32)


def test_read_verified_names_a_missing_file(tmp_path):
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz is missing"):
        data.read_verified(tmp_path / "t10k-labels-idx1-ubyte.gz", "0" * 32)


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        data.resolve_data_dir(tmp_path / "nowhere")


def test_a_corrupt_copy_of_mnist_names_the_file(tmp_path, mnist_dir):
    for name in data.FILES:
        (tmp_path / name).write_bytes((mnist_dir / name).read_bytes())
    broken = tmp_path / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.decompress(broken.read_bytes()))
    raw[100] ^= 0xFF
    broken.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz fails its checksum"):
        data.load_split("test", tmp_path)


def test_the_real_test_split_loads_verified(mnist_test):
    assert mnist_test.images.shape == (10000, 28, 28)
    assert mnist_test.images.dtype == np.uint8
    assert np.bincount(mnist_test.labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
