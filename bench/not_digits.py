"""Shapes that are no digit, and digits, as people give them: how the recognizer answers (not a test).

    python bench/not_digits.py [--model default]

Letters, signs and drawings (``glyphs.NOT_DIGITS``, those the font has) and the ten digits, typed in the
handwriting-style fonts that the model's "not a digit" check never trained on (``glyphs.HELD_OUT_FONTS``),
each given twice: as a phone photo of dark ink on white paper (JPEG) and as a transparent canvas PNG; and a few
drawings no font holds (a face, a house, a spiral, a tick, a page of text...), photographed. Prints how many of
each were answered ok, unsure (and how many found unlike a digit) or no digit; a shape or a drawing answered "ok"
is read surely as a digit.
"""

from __future__ import annotations

import argparse
import io
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitrec import glyphs
from digitrec.recognizer import Recognizer

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


def drawings() -> dict[str, Image.Image]:
    """Things people draw or photograph that no font holds, in dark ink on white paper."""
    made: dict[str, Image.Image] = {}

    def sheet(name: str, width: int = SIZE, height: int = SIZE) -> ImageDraw.ImageDraw:
        made[name] = Image.new("RGB", (width, height), "white")
        return ImageDraw.Draw(made[name])

    ink, pen = (20, 20, 30), 6
    draw = sheet("face")
    draw.ellipse((50, 30, 190, 210), outline=ink, width=pen)
    for x in (95, 145):
        draw.ellipse((x - 9, 85, x + 9, 103), fill=ink)
    draw.arc((80, 120, 160, 180), 20, 160, fill=ink, width=pen)
    draw = sheet("house")
    draw.rectangle((60, 110, 180, 210), outline=ink, width=pen)
    draw.line((50, 120, 120, 40, 190, 120), fill=ink, width=pen)
    draw.rectangle((105, 160, 135, 210), outline=ink, width=pen)
    draw = sheet("spiral")
    turns = np.linspace(0, 14, 200)
    draw.line([(120 + 7 * t * np.cos(t), 120 + 7 * t * np.sin(t)) for t in turns], fill=ink, width=pen)
    draw = sheet("cross")
    draw.line((50, 50, 190, 190), fill=ink, width=pen + 4)
    draw.line((190, 50, 50, 190), fill=ink, width=pen + 4)
    sheet("triangle").polygon([(120, 40), (200, 200), (40, 200)], outline=ink, width=pen)
    draw = sheet("arrow")
    draw.line((30, 120, 210, 120), fill=ink, width=pen)
    draw.line((165, 75, 210, 120, 165, 165), fill=ink, width=pen)
    sheet("tick").line((45, 130, 95, 190, 200, 55), fill=ink, width=pen + 4, joint="curve")
    font = ImageFont.truetype(str(glyphs.FONT_DIR / "truetype/dejavu/DejaVuSans.ttf"), 80)
    sheet("the word Hi").text((SIZE // 2, SIZE // 2), "Hi", font=font, fill=ink, anchor="mm")
    draw, font = sheet("a page of text", 600, 400), ImageFont.truetype(str(font.path), 20)
    for line in range(12):
        draw.text((20, 20 + 30 * line), "The quick brown fox jumps over the lazy dog", font=font, fill=ink)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default", help="a committed model's name or a model folder")
    args = parser.parse_args()
    recognizer = Recognizer(args.model)
    fonts = [path for path in glyphs.font_files() if path.name in glyphs.HELD_OUT_FONTS]
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
    for name, image in drawings().items():
        photo = io.BytesIO()
        image.save(photo, "JPEG", quality=85)
        prediction = recognizer.predict(photo.getvalue())
        counts["drawing", prediction.status] += 1
        counts["drawing", "unlike a digit"] += not prediction.looks_like_digit
        print(f"{name}: {prediction.digit} ({prediction.confidence:.1%}, {prediction.status})")
    print(f"model {Path(args.model).name}; fonts: {', '.join(path.name for path in fonts)}")
    for kind in ("shape", "digit", "drawing"):
        total = sum(count for (k, status), count in counts.items() if k == kind and status != "unlike a digit")
        parts = ", ".join(f"{status} {count}" for (k, status), count in sorted(counts.items()) if k == kind)
        print(f"{kind}s ({total}): {parts}")


if __name__ == "__main__":
    main()
