"""Fuzz the decode-and-normalise path (not a test): `python bench/fuzz_decode.py [--seconds 300] [--seed 0]`.

Mutates valid images of every allowed format and many modes (bit flips, byte runs, truncation, spliced chunks,
header sizes changed) and feeds each to Recognizer.predict and read_number. Every outcome must be a reading or
one of the library's clear decoding errors (InvalidImage and its kinds); anything else, or a case slower than
--slow-s, is a finding, saved under --out for replay. Prints a Markdown summary.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import time
import traceback
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from digitrec.errors import InvalidImage
from digitrec.recognizer import Recognizer

FORMATS = {
    "PNG": ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"),
    "JPEG": ("L", "RGB", "CMYK"),
    "GIF": ("L", "P"),
    "BMP": ("1", "L", "P", "RGB"),
    "WEBP": ("RGB", "RGBA"),
}


def seeds() -> list[bytes]:
    """Valid images: a 7 in each format and mode, at a few sizes."""
    found = []
    for size in (28, 96, 300):
        base = Image.new("L", (size, size), 235)
        ImageDraw.Draw(base).line(
            [(size * 0.3, size * 0.2), (size * 0.7, size * 0.2), (size * 0.45, size * 0.85)],
            fill=20,
            width=max(2, size // 12),
        )
        for fmt, modes in FORMATS.items():
            for mode in modes:
                image = (
                    Image.fromarray(np.asarray(base).astype(np.uint16) * 257) if mode == "I;16" else base.convert(mode)
                )
                buffer = io.BytesIO()
                image.save(buffer, fmt)
                found.append(buffer.getvalue())
    return found


def mutate(data: bytes, rng: np.random.Generator) -> bytes:
    """One random mutation (sometimes several)."""
    array = bytearray(data)
    for _ in range(int(rng.integers(1, 4))):
        kind = rng.integers(0, 6)
        if not array:
            break
        at = int(rng.integers(0, len(array)))
        if kind == 0:  # flip bits
            array[at] ^= 1 << int(rng.integers(0, 8))
        elif kind == 1:  # overwrite a run with random bytes
            run = int(rng.integers(1, 16))
            array[at : at + run] = rng.bytes(run)
        elif kind == 2:  # truncate
            del array[at:]
        elif kind == 3:  # duplicate a chunk somewhere else
            run = int(rng.integers(1, 256))
            array[int(rng.integers(0, len(array))) : 0] = array[at : at + run]
        elif kind == 4:  # extreme values in the header (sizes, depths, counts)
            header = int(rng.integers(0, min(64, len(array))))
            array[header : header + 2] = bytes(rng.choice([b"\xff\xff", b"\x00\x00", b"\x7f\xff", b"\x80\x00"]))
        else:  # insert random bytes
            array[at:at] = rng.bytes(int(rng.integers(1, 64)))
    return bytes(array)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow-s", type=float, default=2.0)
    parser.add_argument("--out", default="/tmp/digitrec-fuzz")
    args = parser.parse_args()

    recognizer = Recognizer("default")
    rng = np.random.default_rng(args.seed)
    corpus = seeds()
    outcomes: collections.Counter[str] = collections.Counter()
    findings: list[str] = []
    slowest = 0.0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        data = mutate(corpus[int(rng.integers(0, len(corpus)))], rng)
        for name, call in (("predict", recognizer.predict), ("read_number", recognizer.read_number)):
            start = time.perf_counter()
            try:
                outcomes[f"{name}: {call(data).status}"] += 1
            except InvalidImage as error:
                outcomes[f"{name}: {error.code}"] += 1
            except Exception:  # a finding: anything but a reading or a clear decoding error
                digest = hashlib.sha1(data).hexdigest()[:12]
                Path(args.out).mkdir(parents=True, exist_ok=True)
                (Path(args.out) / f"{digest}.bin").write_bytes(data)
                findings.append(f"{name} {digest}: {traceback.format_exc(limit=3).splitlines()[-1]}")
            elapsed = time.perf_counter() - start
            slowest = max(slowest, elapsed)
            if elapsed > args.slow_s:
                findings.append(f"{name}: {elapsed:.1f} s on {len(data)} bytes")

    total = sum(outcomes.values())
    print(
        f"{total} fuzzed calls in {args.seconds:.0f} s from {len(corpus)} seed images; "
        f"slowest {slowest * 1000:.0f} ms\n"
    )
    print("| outcome | calls |\n|---|---|")
    for outcome, count in sorted(outcomes.items()):
        print(f"| {outcome} | {count} |")
    print(f"\nfindings: {len(findings)}")
    for finding in findings[:20]:
        print(f"- {finding}")


if __name__ == "__main__":
    main()
