"""Benchmark: decoding + normalisation + inference time of the Recognizer, by stage (not a test).

    python bench/recognizer_speed.py [--model default] [--repeat 300]

Prints a markdown table: a 300x300 JPEG (the web app's typical upload), a 12-megapixel phone JPEG, and a
number in a 1200x300 PNG, each as the median and p99 of repeated runs, plus where the time goes for the
300x300 case.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

from digitrec import imaging, normalize
from digitrec.recognizer import FIRST_LOOK_SIDE, Recognizer


def photo(width: int, height: int, seed: int = 0) -> bytes:
    """A JPEG of a '7' in dark ink on shaded paper with sensor noise."""
    rng = np.random.default_rng(seed)
    paper = np.linspace(185, 240, width)[np.newaxis, :] * np.ones((height, 1))
    image = Image.fromarray(paper.astype(np.uint8)).convert("RGB")
    s = min(width, height) / 300
    ImageDraw.Draw(image).line(
        [
            (width / 2 - 40 * s, height / 2 - 85 * s),
            (width / 2 + 40 * s, height / 2 - 85 * s),
            (width / 2 - 10 * s, height / 2 + 85 * s),
        ],
        fill=(30, 30, 60),
        width=max(2, int(12 * s)),
    )
    noisy = np.asarray(image).astype(np.int16) + rng.integers(-8, 8, (height, width, 1), dtype=np.int16)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def number_png() -> bytes:
    """A PNG of '2026' drawn as simple strokes."""
    image = Image.new("L", (1200, 300), 255)
    draw = ImageDraw.Draw(image)
    for index in range(4):
        x = 100 + index * 260
        draw.ellipse([x, 60, x + 150, 240], outline=0, width=18)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and 99th percentile in milliseconds."""
    for _ in range(min(20, repeat)):
        function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return float(np.median(samples)), float(np.percentile(samples, 99))


def main() -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    recognizer = Recognizer(args.model)
    small, large, number = photo(300, 300), photo(4000, 3000), number_png()

    print("| input | median ms | p99 ms |\n| --- | --- | --- |")
    for label, function, repeat in (
        ("300x300 JPEG, predict", lambda: recognizer.predict(small), args.repeat),
        ("12 MP phone JPEG (4000x3000), predict", lambda: recognizer.predict(large), max(10, args.repeat // 20)),
        ("1200x300 PNG number, read_number", lambda: recognizer.read_number(number), max(10, args.repeat // 5)),
    ):
        median, p99 = timed(function, repeat)
        print(f"| {label} | {median:.2f} | {p99:.2f} |")

    side = FIRST_LOOK_SIDE  # what predict() decodes a single digit at
    decoded = imaging.decode_image(small, side=side)
    ink = normalize.ink_map(decoded.gray, side)
    digit = normalize.normalize_digit(decoded.gray, side)
    stages = {
        "decode (draft JPEG, grayscale)": lambda: imaging.decode_image(small, side=side),
        "ink map (polarity, lighting, noise)": lambda: normalize.ink_map(decoded.gray, side),
        "strokes (components, lines, specks)": lambda: normalize.find_strokes(ink),
        "whole normalisation": lambda: normalize.normalize_digit(decoded.gray, side),
        "ONNX Runtime inference": lambda: recognizer.classify(digit.image),
    }
    print("\n| stage (300x300 JPEG) | median ms |\n| --- | --- |")
    for label, function in stages.items():
        print(f"| {label} | {timed(function, args.repeat)[0]:.3f} |")


if __name__ == "__main__":
    main()
