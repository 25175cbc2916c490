"""The Recognizer: digits, numbers, honest answers, and errors, through the committed default model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from digitrec import normalize
from digitrec.errors import InvalidImage, ModelUnavailable
from digitrec.imaging import decode_image
from digitrec.recognizer import NO_DIGIT, OK, UNSURE, Recognizer, RememberingClassifier, SecondOpinion
from tests.conftest import drawn_digit, encode, mnist_on_paper, with_sensor_noise


def test_reads_mnist_digits_given_as_files(recognizer, mnist_test):
    hits = 0
    for image, label in zip(mnist_test.images[:100], mnist_test.labels[:100], strict=True):
        prediction = recognizer.predict(encode(Image.fromarray(image)))
        hits += prediction.digit == label
    assert hits >= 99


def test_reads_ink_on_paper_photos(recognizer, mnist_test):
    hits = 0
    for image, label in zip(mnist_test.images[:50], mnist_test.labels[:50], strict=True):
        prediction = recognizer.predict(encode(mnist_on_paper(image), "JPEG", quality=85))
        hits += prediction.digit == label
    assert hits >= 49


@pytest.mark.parametrize("dark_on_white", [False, True])
@pytest.mark.parametrize("enlarged", [1, 3])
def test_reads_digits_cropped_to_their_ink(recognizer, mnist_test, dark_on_white, enlarged):
    # A crop cut to the digit's box (by a program, or by hand without a margin): its ink reaches all four borders,
    # where it was taken for a frame, a border or the table beyond a sheet (50 of these 60 read right each way,
    # enlarged 3 times, before c5de720); at their own size, its faint edges kept the strokes a few pixels in from
    # the border, and a 7's bar or a 2's base was taken for a ruled line (56 of 60 before, each way).
    right = 0
    for index in range(60):
        image = mnist_test.images[index]
        rows, cols = np.flatnonzero(image.max(axis=1)), np.flatnonzero(image.max(axis=0))
        crop = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        crop = 255 - crop if dark_on_white else crop
        size = (crop.shape[1] * enlarged, crop.shape[0] * enlarged)
        cut = Image.fromarray(crop).resize(size, Image.Resampling.BICUBIC)
        right += recognizer.predict(encode(cut)).digit == mnist_test.labels[index]
    assert right >= 59  # measured: 60


def test_prediction_shape_and_json_view(recognizer, mnist_test):
    prediction = recognizer.predict(encode(mnist_on_paper(mnist_test.images[0], size=280)))
    view = prediction.to_dict()
    assert set(view) >= {"digit", "confidence", "probabilities", "status", "box"}
    assert view["digit"] == int(mnist_test.labels[0])
    assert view["status"] in (OK, UNSURE)
    assert len(view["probabilities"]) == 10 and sum(view["probabilities"]) == pytest.approx(1.0, abs=1e-4)
    assert view["confidence"] == max(view["probabilities"])
    x, y, w, h = view["box"]
    assert x >= 0 and y >= 0 and x + w <= 280 and y + h <= 280
    assert prediction.normalized.shape == (28, 28)


def test_blank_canvas_is_no_digit_not_a_confident_one(recognizer):
    for blank in (
        Image.new("RGBA", (280, 280), (0, 0, 0, 0)),
        Image.new("RGB", (280, 280), "white"),
        Image.new("L", (28, 28), 0),
    ):
        prediction = recognizer.predict(encode(blank))
        assert prediction.status == NO_DIGIT
        assert prediction.digit is None and prediction.confidence == 0.0


@pytest.mark.parametrize("size", [28, 64, 200, 400])
def test_an_empty_form_box_is_no_digit_and_a_digit_in_it_is_read(recognizer, mnist_test, size):
    # An empty printed box (a form's cell, with or without paper round it) was read as a 0 at every size.
    for outside, thickness in ((0.0, 0.02), (0.15, 0.05), (0.3, 0.02)):
        cell = Image.new("L", (size, size), 255)
        edge, width = int(outside * size), max(1, int(thickness * size))
        ImageDraw.Draw(cell).rectangle([edge, edge, size - 1 - edge, size - 1 - edge], outline=0, width=width)
        assert recognizer.predict(encode(cell)).status == NO_DIGIT
        if size >= 64:
            digit = Image.fromarray(255 - mnist_test.images[3]).resize((size // 2, size // 2))  # a 0
            cell.paste(digit, (size // 4, size // 4))
            assert recognizer.predict(encode(cell)).digit == mnist_test.labels[3] == 0


@pytest.mark.parametrize("touching", ["top", "bottom"])
def test_a_one_touching_its_form_box_is_read(recognizer, touching):
    # Written against the box's line, a 1 was read with the box as a 0: the box's lines go, the 1 stays.
    for size, outside in ((64, 0), (120, 18), (250, 0)):
        cell = Image.new("L", (size, int(size * 1.2)), 245)
        draw = ImageDraw.Draw(cell)
        width, height = cell.size
        draw.rectangle([outside, outside, width - 1 - outside, height - 1 - outside], outline=20, width=size // 50 or 1)
        top = outside if touching == "top" else height // 6
        bottom = height - 1 - (outside if touching == "bottom" else height // 6)
        draw.line([(width // 2, top), (width // 2, bottom)], fill=20, width=size // 16)
        assert recognizer.predict(encode(cell)).digit == 1


def test_ambiguous_digits_are_flagged_unsure(recognizer, mnist_test):
    # Two different digits written over each other: no honest reader is sure of either.
    images, labels = mnist_test.images, mnist_test.labels
    statuses = []
    for index in range(40):
        other = next(j for j in range(index + 1, len(labels)) if labels[j] != labels[index])
        overlay = np.maximum(images[index], images[other])
        prediction = recognizer.predict(encode(Image.fromarray(overlay)))
        unsure = prediction.confidence < recognizer.threshold or not prediction.looks_like_digit
        assert (prediction.status == UNSURE) == unsure
        statuses.append(prediction.status)
    clean = [recognizer.predict(encode(Image.fromarray(image))).status for image in images[:40]]
    # Measured with the committed model: about 1 in 8 overlays is flagged, against none of the clean digits.
    assert statuses.count(UNSURE) >= 4
    assert clean.count(UNSURE) <= 1
    assert recognizer.threshold == recognizer.card["unsure"]["threshold"]


HELD_OUT_FONT = Path("/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf")


@pytest.mark.skipif(not HELD_OUT_FONT.exists(), reason="fonts-humor-sans not installed (make system-deps)")
def test_letters_signs_and_drawings_are_not_read_as_sure_digits(recognizer):
    # A digit classifier knows ten answers: without the model's "not a digit" check, 26 of these 35, typed in a
    # handwriting font the check never saw, were read as sure digits (an H as a 4 at 100%, an M as a 7, an R as an
    # 8). Measured with the committed model: 27 found unlike a digit, 5 still read surely (&, +, ?, $, >).
    font = ImageFont.truetype(str(HELD_OUT_FONT), 150)
    results = []
    for character in "ACEFHKMNPRTUWXYaefhkmntwy#%&@+?$*<>":
        paper = Image.new("RGB", (240, 240), "white")
        ImageDraw.Draw(paper).text((120, 120), character, font=font, fill=(30, 30, 40), anchor="mm")
        results.append(recognizer.predict(encode(paper, "JPEG", quality=85)))
    unlike = [prediction for prediction in results if not prediction.looks_like_digit]
    assert all(prediction.status == UNSURE for prediction in unlike)
    assert len(unlike) >= 25
    assert sum(prediction.status == OK for prediction in results) <= 7
    assert recognizer.predict(encode(drawn_digit("7"))).looks_like_digit


def test_digits_look_like_digits(recognizer, mnist_test):
    # The check's threshold flags 0.1% of held-out MNIST digits, augmented; these 300, as files, none.
    flagged = [
        index
        for index, image in enumerate(mnist_test.images[:300])
        if not recognizer.predict(encode(mnist_on_paper(image), "JPEG", quality=85)).looks_like_digit
    ]
    assert len(flagged) <= 1


def test_reads_a_number_left_to_right(recognizer, mnist_test):
    chosen = [3, 2, 1, 18, 4]  # indexes of a 0, a 1, a 2, a 3 and a 4 in the test set
    digits = [mnist_test.images[i] for i in chosen]
    strip = np.concatenate([np.pad(d, ((6, 6), (2, 2))) for d in digits], axis=1)
    paper = Image.fromarray(255 - strip).resize((strip.shape[1] * 6, strip.shape[0] * 6), Image.Resampling.BICUBIC)
    reading = recognizer.read_number(encode(paper))
    assert reading.number == "".join(str(mnist_test.labels[i]) for i in chosen)
    assert [d.box[0] for d in reading.digits] == sorted(d.box[0] for d in reading.digits)
    view = reading.to_dict()
    assert view["number"] == reading.number and len(view["digits"]) == 5


def test_a_number_cropped_close_in_a_long_strip_is_read(recognizer, mnist_test):
    # Digits spaced wide in a strip 29 times longer than high: reduced to a first look 128 pixels long, the strip
    # was 4 pixels high and its digits specks ("no digit").
    chosen = [3, 2, 1, 18, 4]  # a 0, a 1, a 2, a 3 and a 4
    strip = np.concatenate([np.pad(mnist_test.images[i], ((2, 2), (80, 80))) for i in chosen], axis=1)
    paper = Image.fromarray(255 - strip).resize((strip.shape[1] * 4, strip.shape[0] * 4), Image.Resampling.BICUBIC)
    assert recognizer.read_number(encode(paper)).number == "01234"


def test_a_blank_number_is_no_digit(recognizer):
    reading = recognizer.read_number(encode(Image.new("RGB", (600, 200), "white")))
    assert reading.status == NO_DIGIT and reading.number == "" and reading.digits == []


@pytest.mark.parametrize("side, dot", [(390, 9), (280, 7), (600, 14)])
def test_a_dot_on_a_blank_canvas_is_no_number_and_a_full_stop_no_digit(recognizer, mnist_test, side, dot):
    # A pen's tap on an empty canvas, what predict calls a speck, was read as a number: "0", "4" or, cut in two, "46".
    canvas = Image.new("RGB", (side, side), "white")
    ImageDraw.Draw(canvas).ellipse([side * 0.6, side * 0.7, side * 0.6 + dot, side * 0.7 + dot], fill=(60, 60, 60))
    assert recognizer.predict(encode(canvas)).status == NO_DIGIT
    reading = recognizer.read_number(encode(canvas))
    assert reading.status == NO_DIGIT and reading.number == ""
    # A full stop between the digits of a number is no digit either.
    chosen = [3, 2, 1]  # a 0, a 1 and a 2
    strip = np.concatenate([np.pad(mnist_test.images[i], ((6, 6), (2, 2))) for i in chosen], axis=1)
    paper = Image.fromarray(255 - strip).resize((strip.shape[1] * 6, strip.shape[0] * 6), Image.Resampling.BICUBIC)
    x = 32 * 6 - dot // 2
    ImageDraw.Draw(paper).ellipse([x, 30 * 6 - dot, x + dot, 30 * 6], fill=0)
    assert recognizer.read_number(encode(paper)).number == "012"


def _squared_paper_photo(seed: int) -> bytes:
    """A JPEG photo of empty squared paper at a slant: its lines converge and close up towards the top, the light
    falls off to one side, with sensor noise."""
    rng = np.random.default_rng(seed)
    width, height = 800, 600
    image = Image.new("L", (width, height), 215)
    draw = ImageDraw.Draw(image)
    for column in range(-4, 25):
        bottom = column * 40
        draw.line([(bottom, height), (width / 2 + (bottom - width / 2) * 0.8, 0)], fill=150, width=2)
    row, step = float(height), 40.0
    while row > 0:
        draw.line([(0, row), (width, row - 12)], fill=150, width=2)
        row, step = row - step, step * 0.96
    photo = np.asarray(image, dtype=np.float32) * np.linspace(0.85, 1.05, width) + rng.normal(0, 4, (height, width))
    return encode(Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)), "JPEG", quality=70)


def test_a_photo_of_empty_squared_paper_is_no_number(recognizer):
    # The closer look that numbers need read the remnants of the grid's lines as digits ("111181181181", "1577"),
    # where a single digit's first look found none.
    for seed in (0, 1):
        photo = _squared_paper_photo(seed)
        assert recognizer.predict(photo).status == NO_DIGIT
        reading = recognizer.read_number(photo)
        assert reading.status == NO_DIGIT and reading.number == ""


def test_undecodable_bytes_raise_invalid_image(recognizer):
    with pytest.raises(InvalidImage):
        recognizer.predict(b"not an image at all")
    with pytest.raises(InvalidImage):
        recognizer.read_number(b"")


def test_unknown_or_broken_models_raise_model_unavailable(tmp_path):
    with pytest.raises(ModelUnavailable, match="unknown model"):
        Recognizer("nope")
    (tmp_path / "card.json").write_text("{}")
    (tmp_path / "model.onnx").write_bytes(b"corrupt")
    with pytest.raises(ModelUnavailable, match="cannot load model"):
        Recognizer(tmp_path)
    (tmp_path / "card.json").unlink()
    with pytest.raises(ModelUnavailable, match="card"):
        Recognizer(tmp_path)


def test_a_card_of_several_networks_must_name_their_files_and_when_the_others_read(tmp_path):
    import json
    import shutil

    from digitrec import artifacts

    shutil.copytree(artifacts.model_dir("default"), tmp_path / "default")
    card_path = tmp_path / "default" / artifacts.CARD_FILE
    card = json.loads(card_path.read_text())
    assert Recognizer(tmp_path / "default").model.below == card["second_opinion"]["below"]
    for broken in ({"second_opinion": None}, {"networks": [{"changes": {}}, {"onnx": "model_2.onnx"}]}):
        card_path.write_text(json.dumps(card | broken))
        with pytest.raises(ModelUnavailable, match="networks"):
            Recognizer(tmp_path / "default")
    card_path.write_text(json.dumps(card | {"networks": [{"onnx": "../default/model.onnx"}, {"onnx": "nope.onnx"}]}))
    with pytest.raises(ModelUnavailable, match="cannot load model .*nope.onnx"):
        Recognizer(tmp_path / "default")


def test_a_second_network_reads_only_what_the_first_doubts():
    sure = np.eye(10, dtype=np.float32)[3]  # the first network is sure of images marked 1.0
    doubtful = np.full(10, 0.1, dtype=np.float32)
    second_read = []

    def first(images):
        return np.stack([sure if image[0, 0, 0] == 1.0 else doubtful for image in images])

    def second(images):
        second_read.append(len(images))
        return np.tile(np.eye(10, dtype=np.float32)[5], (len(images), 1))

    images = np.zeros((3, 28, 28), dtype=np.float32)
    images[0, 0, 0] = 1.0
    read = SecondOpinion([first, second], below=0.999)(images)
    assert second_read == [2]  # the two doubted images, in one batch
    np.testing.assert_array_equal(read[0], sure)
    np.testing.assert_allclose(read[1:], np.tile((doubtful + np.eye(10)[5]) / 2, (2, 1)))
    assert SecondOpinion([first, second], below=0.999)(images[:1]).tolist() == [sure.tolist()]
    assert second_read == [2]


def test_the_default_model_is_two_networks_read_as_one():
    default = Recognizer("default")
    assert isinstance(default.model, SecondOpinion) and len(default.model.networks) == 2
    assert default.model.below == default.card["second_opinion"]["below"]


def test_the_readme_model_is_served_too(mnist_test):
    readme = Recognizer("readme")
    prediction = readme.predict(encode(Image.fromarray(mnist_test.images[0])))
    assert prediction.digit == mnist_test.labels[0]


def test_serving_never_imports_tensorflow():
    import subprocess
    import sys

    code = (
        "import sys, digitrec.recognizer, digitrec.imaging, digitrec.normalize, digitrec.segment;"
        "heavy = [m for m in ('tensorflow', 'keras') if m in sys.modules]; print(heavy); sys.exit(bool(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def digit_on_a_large_sheet(image: np.ndarray, digit_px: int, size: tuple[int, int], at: tuple[int, int]) -> bytes:
    """A JPEG photo of a light sheet ``size`` large with an MNIST digit, ``digit_px`` square, as dark ink ``at``."""
    digit = (
        Image.fromarray(255 - image)
        .resize((digit_px, digit_px), Image.Resampling.BICUBIC)
        .point(lambda v: 255 if v > 100 else 40)
    )
    photo = Image.new("L", size, 225)
    photo.paste(digit, at)
    return encode(photo, "JPEG", quality=85)


def test_a_small_digit_in_a_large_photo_is_read_from_the_source_pixels(recognizer, mnist_test):
    # A digit 120 px tall in a 2400x1800 photo, 10 px once the photo is reduced: it is read again from the
    # source around it, and its box is still given in the source's pixels.
    hits = 0
    for image, label in zip(mnist_test.images[:10], mnist_test.labels[:10], strict=True):
        prediction = recognizer.predict(digit_on_a_large_sheet(image, 168, (2400, 1800), (1500, 700)))
        hits += prediction.digit == label
        x, y, w, h = prediction.box
        assert x >= 1490 and y >= 690 and x + w <= 1680 and y + h <= 880  # in the source's pixels
    assert hits >= 9


def test_a_tiny_digit_on_a_large_sheet_is_found_and_a_tiny_mark_by_the_edge_is_not(recognizer, mnist_test):
    # A digit 90 px tall in a 3000x2250 photo is 4 px in the first look, under the 4% a digit must be there: a
    # mark that small counts only once the source's pixels around it show a digit.
    hits = 0
    for image, label in zip(mnist_test.images[:10], mnist_test.labels[:10], strict=True):
        prediction = recognizer.predict(digit_on_a_large_sheet(image, 126, (3000, 2250), (1700, 900)))
        hits += prediction.digit == label
    assert hits >= 7  # 8 of these 10 today; none before small marks were looked at again
    sheet = Image.new("L", (3000, 2250), 225)
    sheet.paste(40, (10, 900, 25, 990))  # the end of a line at the sheet's edge
    assert recognizer.predict(encode(sheet, "JPEG", quality=85)).status == NO_DIGIT


def small_four_near_the_edge(right: int) -> bytes:
    """A 1512x2016 photo of yellow paper with a 4 about 80 px tall whose right side is at ``right``."""
    image = Image.new("RGB", (1512, 2016), (225, 222, 160))
    draw = ImageDraw.Draw(image)
    left = right - 40
    draw.line([(left + 28, 1320), (left, 1370), (right, 1370)], fill=(20, 20, 20), width=9)
    draw.line([(left + 30, 1340), (left + 30, 1395)], fill=(20, 20, 20), width=9)
    noise = np.random.default_rng(0).normal(0, 3, (2016, 1512, 1))
    return encode(Image.fromarray(np.clip(np.asarray(image, np.float32) + noise, 0, 255).astype(np.uint8)), "JPEG")


def test_a_tiny_digits_clearance_of_the_border_is_judged_at_the_sources_resolution(recognizer):
    # 84 px from the right edge, clear of it by the 4% of the longer side (81 px) a tiny digit must be; in the
    # first look, a pixel for 16, its box ended 5 pixels from the edge where 5.1 were asked: "no digit".
    prediction = recognizer.predict(small_four_near_the_edge(1426))
    assert prediction.digit == 4 and 1380 <= prediction.box[0] <= 1390
    assert recognizer.predict(small_four_near_the_edge(1440)).status == NO_DIGIT  # 72 px: too near


def test_each_piece_of_a_number_is_classified_once():
    # split_digits reads pieces to choose its cuts; read_number reads the chosen ones again from memory.
    counting = Recognizer()
    model, classified = counting.model, []
    counting.model = lambda images: (classified.append(len(images)), model(images))[1]
    paper = Image.new("L", (600, 200), 245)
    for index, digit in enumerate("710"):
        paper.paste(drawn_digit(digit), (index * 200, 0))
    reading = counting.read_number(encode(paper))
    assert reading.number == "710"
    assert sum(classified) == 3


def test_a_remembering_classifier_reads_each_image_once():
    calls = []

    def classify(images: np.ndarray) -> np.ndarray:
        calls.append(len(images))
        return np.tile(np.arange(10, dtype=np.float32), (len(images), 1)) * images.sum(axis=(1, 2))[:, None]

    remembering = RememberingClassifier(classify)
    images = np.stack([np.full((28, 28), value, dtype=np.float32) for value in (0.1, 0.2)])
    first = remembering(images)
    again = remembering(images[::-1])
    assert calls == [2]
    np.testing.assert_array_equal(again, first[::-1])


def _zero_on_squared_paper(seed: int) -> bytes:
    """A 0 in pencil-grey on cream squared paper (the independent set's sheet), slightly turned."""
    from bench.independent import PAPERS, paper

    rng = np.random.default_rng(seed)
    width, height = int(rng.uniform(600, 1000)), int(rng.uniform(600, 1000))
    side = int(rng.uniform(0.2, 0.4) * min(width, height))
    rng.choice(["7", "1", "0"])  # the draw that chose the digit when these sheets were picked
    sheet = paper(rng, height, width, PAPERS["cream"], "grid", side * rng.uniform(0.4, 0.9), (170, 170, 170))
    sheet = sheet.mean(axis=2)
    ink = 1 - np.asarray(drawn_digit("0", size=side, ink=0, paper=255), np.float32) / 255
    x, y = int(rng.uniform(0.1, 0.6) * width), int(rng.uniform(0.1, 0.6) * height)
    sheet[y : y + side, x : x + side] *= 1 - 0.55 * ink
    image = Image.fromarray(np.clip(sheet, 0, 255).astype(np.uint8))
    return encode(image.rotate(rng.uniform(-3, 3), Image.Resampling.BICUBIC, fillcolor=235))


@pytest.mark.parametrize("seed", [1, 54])
def test_a_digit_across_a_faint_line_of_squared_paper_is_read_without_it(recognizer, seed):
    # The grid's line through the 0 was not found (the 0 breaks the clear rows beside it), and the 0 was read
    # as 1 with it; the grid's regular spacing puts a line there.
    prediction = recognizer.predict(_zero_on_squared_paper(seed))
    assert prediction.digit == 0


def _draw_thin(draw: ImageDraw.ImageDraw, digit: str, x: float, y: float, stroke: int) -> None:
    """A 7, 1 or 0 130 px tall, its top left at (x, y), in grey strokes ``stroke`` px wide."""
    px = 130
    if digit == "7":
        draw.line([(x, y), (x + 0.6 * px, y), (x + 0.2 * px, y + px)], fill=150, width=stroke)
    elif digit == "1":
        draw.line([(x + 0.1 * px, y + 0.15 * px), (x + 0.3 * px, y), (x + 0.3 * px, y + px)], fill=150, width=stroke)
    else:
        draw.ellipse([x, y, x + 0.6 * px, y + px], outline=150, width=stroke)


def _scanned(image: Image.Image) -> bytes:
    """A drawing on white paper as a scan with sensor noise, PNG."""
    paper = np.asarray(image, np.float32) + np.random.default_rng(0).normal(0, 3, image.size[::-1])
    return encode(Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8)))


def _faint_pencil_scan(digit: str, stroke: int) -> bytes:
    """A digit 130 px tall drawn with a thin grey stroke on a 1100x1100 scan of white paper."""
    image = Image.new("L", (1100, 1100), 246)
    _draw_thin(ImageDraw.Draw(image), digit, 600, 440, stroke)
    return _scanned(image)


@pytest.mark.parametrize(("digit", "stroke"), [("7", 2), ("1", 2), ("7", 3), ("0", 3)])
def test_a_faint_thin_digit_on_a_large_scan_is_found(recognizer, digit, stroke):
    # Reduced eight times for the first look, a thin grey stroke faded into the paper: "no digit".
    prediction = recognizer.predict(_faint_pencil_scan(digit, stroke))
    assert prediction.digit == int(digit)


def test_a_faint_thin_number_on_a_large_scan_is_read(recognizer):
    # read_number reads only where a first look finds a mark a digit could be; reduced eight times, the thin grey
    # strokes faded into the paper there ("no digit") while predict, looking again at twice the size, read them.
    image = Image.new("L", (1400, 900), 246)
    for digit, x in (("7", 500), ("1", 630), ("0", 740)):
        _draw_thin(ImageDraw.Draw(image), digit, x, 380, stroke=3)
    reading = recognizer.read_number(_scanned(image))
    assert reading.number == "710"


@pytest.mark.parametrize("digit", ["7", "1"])
def test_a_circled_digit_on_a_photo_is_read(recognizer, digit):
    # A loop drawn round an answer was read with it as a 0.
    photo = Image.new("RGB", (640, 480), (235, 232, 225))
    photo.paste(drawn_digit(digit, size=200, paper=235).convert("RGB"), (220, 140))
    ImageDraw.Draw(photo).ellipse([(225, 130), (415, 350)], outline=(60, 60, 90), width=5)
    prediction = recognizer.predict(encode(photo, "JPEG", quality=85))
    assert prediction.digit == int(digit) and prediction.status == OK


def test_a_digit_on_a_note_lying_on_a_dark_table_is_read(recognizer):
    # The note was taken for a light mark on the dark table, a filled square: read as a 0.
    photo = Image.new("RGB", (1024, 768), (70, 50, 35))
    note = Image.new("RGB", (260, 260), (250, 235, 120))
    ImageDraw.Draw(note).line([(80, 60), (180, 60), (115, 200)], fill=(20, 20, 70), width=12, joint="curve")
    photo.paste(note.rotate(8, expand=True, fillcolor=(70, 50, 35)), (600, 120))
    prediction = recognizer.predict(encode(photo, "JPEG", quality=85))
    assert prediction.digit == 7 and prediction.status == OK
    assert recognizer.read_number(encode(photo, "JPEG", quality=85)).number == "7"


def _in_colour(digits: str, ink: tuple[int, int, int], paper: tuple[int, int, int]) -> bytes:
    """A phone photo (640x480 JPEG, sensor noise) of ``digits`` (drawn_digit's strokes, side by side) in ``ink`` on
    ``paper``."""
    photo = Image.new("RGB", (640, 480), paper)
    for index, digit in enumerate(digits):
        mask = drawn_digit(digit, size=200, ink=255, paper=0)
        photo.paste(Image.new("RGB", mask.size, ink), (220 - 100 * (len(digits) - 1) + 200 * index, 140), mask)
    return encode(with_sensor_noise(photo, 6), "JPEG", quality=85)


@pytest.mark.parametrize(
    ("ink", "paper"),
    [((230, 100, 120), (90, 150, 200)), ((60, 200, 190), (200, 160, 40)), ((200, 60, 220), (90, 160, 120))],
)
def test_a_digit_as_light_as_its_coloured_paper_is_read(recognizer, ink, paper):
    # A pastel pen on a coloured note, a coloured brush on a coloured canvas: the ink differs from its paper by its
    # colour only, and in lightness (grayscale) there was nothing ("no digit").
    prediction = recognizer.predict(_in_colour("7", ink, paper))
    assert prediction.digit == 7 and prediction.status == OK
    assert recognizer.read_number(_in_colour("71", ink, paper)).number == "71"


def test_an_outline_six_in_a_photo_is_not_read_as_its_loop(recognizer):
    # femkeklaver draws a 6 as an outline round its stem and loop, holding the loop's inner contour: that outline
    # was taken for a loop drawn round a digit, and the contour alone read as a 0. (Image 106 of typed_handwriting
    # at seed SEED + 2, rebuilt alone.)
    from bench import situations

    font = situations.FONT_DIR / "truetype/femkeklaver/femkeklaver.ttf"
    if not font.is_file():
        pytest.skip("femkeklaver is not installed (make system-deps)")
    rng = situations.image_rng(situations.SEED + 2, "typed_handwriting", 106)
    alpha = situations.glyph_alpha("6", font, int(rng.integers(20, 160)))
    assert recognizer.predict(situations.jpeg(situations.photo_of(alpha, rng, share=(0.1, 0.35)), rng)).digit == 6


def _on_a_line(strokes: list[tuple[list[tuple[int, int]], str]]) -> bytes:
    """Pen strokes (points, "line", "fine" (a line drawn with a finer pen) or "loop") on a 640x480 photo of
    paper, JPEG."""
    photo = Image.new("RGB", (640, 480), (232, 230, 222))
    draw = ImageDraw.Draw(photo)
    for points, kind in strokes:
        if kind == "loop":
            draw.ellipse(points, outline=(30, 30, 60), width=11)
        else:
            draw.line(points, fill=(30, 30, 60), width=4 if kind == "fine" else 11, joint="curve")
    return encode(photo, "JPEG", quality=85)


def test_a_nine_standing_on_its_underline_is_read(recognizer):
    # Its stem comes down onto the line: one stroke with it, read with it (as a 2, in MNIST digits photographed so).
    nine = _on_a_line([([(270, 120), (360, 215)], "loop"), ([(355, 170), (345, 330)], "line")])
    underlined = _on_a_line(
        [([(270, 120), (360, 215)], "loop"), ([(355, 170), (345, 330)], "line"), ([(230, 330), (430, 336)], "line")]
    )
    assert recognizer.predict(nine).digit == 9
    prediction = recognizer.predict(underlined)
    assert prediction.digit == 9 and prediction.box[2] < 120  # the line is no part of it


def test_a_seven_standing_on_a_line_drawn_with_a_finer_pen_is_a_seven(recognizer):
    # The line is no 2's base: far thinner than the digit's strokes, it was drawn apart ("2, unsure" before).
    seven = _on_a_line([([(250, 120), (420, 120), (260, 330)], "line"), ([(200, 332), (460, 338)], "fine")])
    prediction = recognizer.predict(seven)
    assert prediction.digit == 7 and prediction.status == OK and prediction.box[3] < 225


def test_a_digit_whose_stem_crosses_its_underline_is_read_without_it(recognizer):
    # The stem poking below the line broke its foot into two runs, neither across the mark: the line stayed, and
    # the 7 with it read as a 1, the 4's box took in the line.
    seven = _on_a_line([([(250, 120), (420, 120), (320, 350)], "line"), ([(200, 330), (460, 336)], "line")])
    four = _on_a_line(
        [
            ([(330, 110), (260, 260), (400, 260)], "line"),
            ([(360, 180), (360, 355)], "line"),
            ([(220, 335), (450, 340)], "line"),
        ]
    )
    prediction = recognizer.predict(seven)
    assert prediction.digit == 7 and prediction.box[2] < 200
    prediction = recognizer.predict(four)
    assert prediction.digit == 4 and prediction.box[2] < 170


def test_a_two_whose_base_reaches_back_beyond_its_curve_stays_a_two(recognizer):
    # Its base looks like a line the 2 stands on: without it, a 7, as a 7 standing on an underline. The two
    # readings are averaged, the 2 as drawn weighing more: a 2, unsure (not a sure 7).
    curve = [(250, 170), (290, 120), (360, 112), (410, 150), (400, 200), (300, 330)]
    two = _on_a_line([(curve, "line"), ([(230, 330), (450, 334)], "line")])
    prediction = recognizer.predict(two)
    assert prediction.digit == 2 and prediction.status == UNSURE and prediction.box[3] > 200
    assert prediction.probabilities[7] > 0.3
    assert normalize.normalize_digit(decode_image(two).gray).uncut is not None  # the base was taken for a line
