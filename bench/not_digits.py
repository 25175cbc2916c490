"""Shapes that are no digit, and digits, as people give them: how the recognizer answers (not a test).

    python bench/not_digits.py [--model default]

Letters, signs and drawings (``glyphs.NOT_DIGITS``, those the font has) and the ten digits, typed in the
handwriting-style fonts that the model's "not a digit" check never trained on (``gate.GATE_HELD_OUT_FONTS``),
each given twice: as a phone photo of dark ink on white paper (JPEG) and as a transparent canvas PNG. Prints how
many of each were answered ok, unsure (and how many found unlike a digit) or no digit; a shape answered "ok" is a
letter or a sign read surely as a digit.
"""

from __future__ import annotations

import argparse
import io
from collections import Counter
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from digitrec import glyphs
from digitrec.recognizer import Recognizer

HELD_OUT_FONTS = ("Humor-Sans.ttf", "femkeklaver.ttf")  # as gate.GATE_HELD_OUT_FONTS (gate needs TensorFlow)
SIZE = 240


def given(character: str, font: ImageFont.FreeTypeFont) -> dict[str, bytes]:
    """The character as a photo of ink on paper and as a transparent canvas drawing."""
    paper = Image.new("RGB", (SIZE, SIZE), "white")
    ImageDraw.Draw(paper).text((SIZE // 2, SIZE // 2), character, font=font, fill=(30, 30, 40), anchor="mm")
    canvas = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((SIZE // 2, SIZE // 2), character, font=font, fill=(0, 0, 0, 255), anchor="mm")
    photo, drawing = io.BytesIO(), io.BytesIO()
    paper.save(photo, "JPEG", quality=85)
    canvas.save(drawing, "PNG")
    return {"photo": photo.getvalue(), "canvas": drawing.getvalue()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default", help="a committed model's name or a model folder")
    args = parser.parse_args()
    recognizer = Recognizer(args.model)
    fonts = [path for path in glyphs.font_files() if path.name in HELD_OUT_FONTS]
    counts: Counter[tuple[str, str]] = Counter()
    for path in fonts:
        font = ImageFont.truetype(str(path), SIZE * 5 // 8)
        for character in glyphs.drawable(glyphs.NOT_DIGITS + glyphs.DIGITS, path):
            kind = "digit" if character in glyphs.DIGITS else "shape"
            for data in given(character, font).values():
                prediction = recognizer.predict(data)
                right = kind == "shape" or prediction.digit == int(character)
                counts[kind, prediction.status + ("" if right else " (wrong digit)")] += 1
                counts[kind, "unlike a digit"] += not prediction.looks_like_digit
    print(f"model {Path(args.model).name}; fonts: {', '.join(path.name for path in fonts)}")
    for kind in ("shape", "digit"):
        total = sum(count for (k, status), count in counts.items() if k == kind and status != "unlike a digit")
        parts = ", ".join(f"{status} {count}" for (k, status), count in sorted(counts.items()) if k == kind)
        print(f"{kind}s ({total}): {parts}")


if __name__ == "__main__":
    main()
