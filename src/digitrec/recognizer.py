"""The Recognizer: the one API that the CLI, the web app and the tests call.

It loads a served model (ONNX Runtime, no TensorFlow) and its model card, and turns image bytes into a
``Prediction`` (one digit) or a ``NumberReading`` (a number written left to right).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from digitrec import artifacts, imaging, segment
from digitrec.errors import ModelUnavailable
from digitrec.normalize import (
    MIN_DIGIT_FRACTION,
    MNIST_SIDE,
    WORK_SIDE,
    Normalized,
    beyond_sheet_painted,
    border_margin,
    find_strokes,
    ink_map,
    is_flat,
    normalize_digit,
    source_box,
)

OK, UNSURE, NO_DIGIT = "ok", "unsure", "no_digit"
NUMBER_SIDE = 640  # numbers are wide: decode them larger than single digits
DEFAULT_THRESHOLD = 0.9  # used only when a model card carries no calibrated threshold
# A digit is first looked for in the image reduced to about this size (JPEGs decode straight to it in draft
# mode): enough for a digit that fills a good part of the image, and cheap.
FIRST_LOOK_SIDE = 128
# An image no longer than this may be a crop cut to its digit's box, and is read with a margin round it when one
# mark reaches all four of its borders (normalize.framed); a larger one is a photo, where a grid, a shadow or the
# table beyond the sheet reach all four as one mark.
CROP_SIDE = 4 * FIRST_LOOK_SIDE
# A number cropped close in a long strip (digits spaced wide, 20 times longer than high) is looked at first as much
# longer (imaging.STRIP_GAIN) as keeps its shorter side at least this: reduced to FIRST_LOOK_SIDE, its digits were
# specks ("no digit"). Marks must reach the size they would have to at FIRST_LOOK_SIDE.
STRIP_LOOK_PX = FIRST_LOOK_SIDE // 4
# A digit shorter than this (working pixels) in a reduced photo is read again from the source's own pixels, where
# thin strokes that broke up in the reduction are whole; the region read again reaches as far beyond it on each
# side as this share of the digit's size (all of it: a part of the digit the first look missed, such as the bar
# of a 2 parted from it by a ruled line, is in the region), and the source must hold at least this many times
# more pixels along a side.
CLOSER_LOOK_PX = FIRST_LOOK_SIDE // 4
# In a photo this many times larger than the first look, a mark half as small as a digit must be (half of
# MIN_DIGIT_FRACTION of the image) may be a tiny digit on a large sheet: it counts only if the closer look, at
# the source's resolution, finds a digit there, and if it lies clear of the photo's border by as much as a digit
# must be tall (near the border, such marks are the ends of lines and of the sheet's edge).
TINY_DIGIT_GAIN = 8.0
TINY_DIGIT_FRACTION = MIN_DIGIT_FRACTION / 2
CLOSER_LOOK_MARGIN = 1.0
CLOSER_LOOK_GAIN = 1.5
# Where the first look at a photo at least this many times larger finds no digit, it looks again at twice its
# size: a thin, faint stroke (pencil on a large scan) fades into the paper when reduced eight times or more. What
# only that look finds must lie clear of the border by this share of the image's longer side: there, the grain
# of blank paper in uneven light and the sheet's edge leave small marks that pass for digits.
FINER_LOOK_GAIN = 3.0
FINER_LOOK_SIDE = 2 * FIRST_LOOK_SIDE
FINER_LOOK_CLEARANCE = 2 * MIN_DIGIT_FRACTION
# What only the colour look finds (Recognizer._colour_look) in a photo (an image larger than CROP_SIDE) must lie clear
# of the border by this share of its longer side: a thumb over the sheet, skin about as light as a green paper, is
# colour-only ink too, and its rim read as a 3. A canvas drawing may reach its edges.
COLOUR_LOOK_CLEARANCE = MIN_DIGIT_FRACTION / 2
# A 2 is likelier than a 7 standing on a line drawn under it: where the two readings of such a shape are averaged
# (``Recognizer._read``), the one as drawn, a 2, weighs this much.
UNCUT_WEIGHT = 0.6


@dataclass
class Prediction:
    """One digit read from an image. ``digit`` is None when ``status`` is "no_digit"."""

    status: str
    digit: int | None
    confidence: float
    probabilities: list[float]
    box: list[int] | None = None  # [x, y, w, h] in the source image's pixels
    image_size: list[int] | None = None  # [width, height] of the source image
    # False where the model's "not a digit" check (digitrec.gate) finds the shape unlike any digit (a letter, a
    # sign, a drawing): the reading is then unsure, however sure the classifier, which knows only digits, is.
    looks_like_digit: bool = True
    normalized: np.ndarray | None = field(default=None, repr=False)  # the 28x28 the model saw
    ink: np.ndarray | None = field(default=None, repr=False)  # the ink map it was cut from (working size)
    source: np.ndarray | None = field(default=None, repr=False)  # the decoded grayscale image

    def to_dict(self) -> dict[str, object]:
        """The JSON view."""
        return {
            "digit": self.digit,
            "confidence": round(self.confidence, 6),
            "probabilities": [round(p, 6) for p in self.probabilities],
            "status": self.status,
            "looks_like_digit": self.looks_like_digit if self.status != NO_DIGIT else None,
            "box": self.box,
            "image_size": self.image_size,
        }


@dataclass
class NumberReading:
    """A number read left to right; ``number`` is "" when there are no digits."""

    status: str
    number: str
    digits: list[Prediction]
    width: int
    height: int
    ink: np.ndarray | None = field(default=None, repr=False)  # the ink map the digits were cut from
    source: np.ndarray | None = field(default=None, repr=False)  # the decoded grayscale image

    def to_dict(self) -> dict[str, object]:
        """The JSON view."""
        return {
            "number": self.number,
            "status": self.status,
            "digits": [digit.to_dict() for digit in self.digits],
            "image_size": [self.width, self.height],
        }


def _least_digit_fraction(scale: float) -> float:
    """The share of a first look's side that a digit must reach (shorter marks are specks) in an image reduced
    ``scale`` times: in a large photo, a mark half as small may be a tiny digit (TINY_DIGIT_GAIN)."""
    return TINY_DIGIT_FRACTION if scale >= TINY_DIGIT_GAIN else MIN_DIGIT_FRACTION


def _holds_marks(gray: np.ndarray) -> bool:
    """Whether a first look (an image about FIRST_LOOK_SIDE long) finds any mark a digit could be: one not flat, at
    least TINY_DIGIT_FRACTION of the image's side, once ruled and squared lines, specks, printed boxes and what
    lies beyond the sheet are gone."""
    ink = ink_map(gray, max(gray.shape))
    if ink is None:
        return False
    least = TINY_DIGIT_FRACTION * min(max(ink.ink.shape), FIRST_LOOK_SIDE)
    strokes = find_strokes(ink, one_digit=True)[1]
    return any(not is_flat(stroke.box) and max(stroke.box[2:]) >= least for stroke in strokes)


def _clear_of_border(box: tuple[int, int, int, int], shape: tuple[int, ...], share: float) -> bool:
    """Whether ``box`` (x, y, w, h) lies at least ``share`` of the image's longer side from each of its edges."""
    return border_margin(box, shape) >= share * max(shape[:2])


class OnnxModel:
    """An ONNX digit classifier: (N, 28, 28, 1) float32 in [0, 1] -> (N, 10) probabilities."""

    def __init__(self, path: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one image is tiny; threads cost more than they give
        options.inter_op_num_threads = 1
        # The arena and memory patterns cost ~12 MB a session and nothing measurable in speed for a model this small.
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        try:
            self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own untyped errors for missing or corrupt files
            raise ModelUnavailable(f"cannot load model {path}: {error}") from error
        self.input_name = self.session.get_inputs()[0].name

    def __call__(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities for a batch of normalised images."""
        batch = np.asarray(images, dtype=np.float32).reshape(-1, MNIST_SIDE, MNIST_SIDE, 1)
        return self.session.run(None, {self.input_name: batch})[0]


class SecondOpinion:
    """Networks that read as one model: the first reads every image, and where it is less than ``below`` sure of
    one, the others read that image too and the probabilities of all of them are averaged. The model is trained,
    scored and calibrated as exactly this (``train``); a reading the first network is that sure of, the average
    would read as the same digit (the card's ``second_opinion`` says how often it did not on held-out data)."""

    def __init__(self, networks: list[segment.Classifier], below: float) -> None:
        self.networks = networks
        self.below = below

    def __call__(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities for a batch of normalised images."""
        images = np.asarray(images, dtype=np.float32).reshape(-1, MNIST_SIDE, MNIST_SIDE, 1)
        probabilities = np.array(self.networks[0](images))
        doubted = probabilities.max(axis=1) < self.below
        if doubted.any():
            readings = [probabilities[doubted]] + [network(images[doubted]) for network in self.networks[1:]]
            probabilities[doubted] = np.mean(readings, axis=0)
        return probabilities


def _second_opinion_below(card: dict[str, object]) -> float:
    """The confidence of the first network below which a model's other networks read too (its card's
    ``second_opinion``). Raises ModelUnavailable when the card of a model of several networks lacks it."""
    opinion = card.get("second_opinion")
    below = opinion.get("below") if isinstance(opinion, dict) else None
    if not isinstance(below, int | float) or not 0.0 < below <= 1.0:
        raise ModelUnavailable("the model card names several networks but no second_opinion.below in (0, 1]")
    return float(below)


class RememberingClassifier:
    """A classifier that remembers what it read: ``split_digits`` reads pieces to choose how to cut a number, and
    ``read_number`` reads the pieces it chose again, at no cost the second time."""

    def __init__(self, classify: segment.Classifier) -> None:
        self.classify = classify
        self.read: dict[bytes, np.ndarray] = {}

    def __call__(self, images: np.ndarray) -> np.ndarray:
        """Probabilities (N, 10) for normalised 28x28 images, each image classified once."""
        images = np.asarray(images, dtype=np.float32).reshape(-1, MNIST_SIDE, MNIST_SIDE)
        keys = [image.tobytes() for image in images]
        unread = [index for index, key in enumerate(keys) if key not in self.read]
        if unread:
            for index, row in zip(unread, self.classify(images[unread])):
                self.read[keys[index]] = row
        return np.stack([self.read[key] for key in keys])


class Recognizer:
    """Reads digits and numbers from image bytes with one model.

    ``model`` is a committed model's name (``default``, ``readme``) or a folder holding model.onnx and card.json
    (and the ONNX files of the model's other networks, when its card names them).
    Raises ModelUnavailable when the model cannot be loaded.
    """

    def __init__(self, model: str | os.PathLike[str] = "default", *, max_pixels: int = imaging.MAX_PIXELS) -> None:
        folder = Path(model) if Path(model).is_dir() else artifacts.model_dir(str(model))
        self.name = folder.name
        self.card = artifacts.load_card(folder)
        networks = [OnnxModel(folder / filename) for filename in artifacts.onnx_files(self.card)]
        self.model = SecondOpinion(networks, _second_opinion_below(self.card)) if len(networks) > 1 else networks[0]
        unsure = self.card.get("unsure") or {}
        self.threshold = (
            float(unsure.get("threshold", DEFAULT_THRESHOLD)) if isinstance(unsure, dict) else DEFAULT_THRESHOLD
        )
        gate = self.card.get("gate")
        self.gate = OnnxModel(folder / Path(str(gate["onnx"])).name) if isinstance(gate, dict) else None
        self.gate_threshold = float(gate["threshold"]) if isinstance(gate, dict) else float("inf")
        self.max_pixels = max_pixels

    def looks_like_digit(self, image: np.ndarray) -> bool:
        """Whether the model's "not a digit" check (if it has one) finds a normalised 28x28 image like a digit."""
        return self.gate is None or float(self.gate(image)[0, 0]) <= self.gate_threshold

    def classify(self, images: np.ndarray) -> np.ndarray:
        """Probabilities (N, 10) for normalised 28x28 images."""
        return self.model(images)

    def _read(self, normalized: Normalized) -> tuple[Normalized, np.ndarray]:
        """The digit's reading: its probabilities, and which normalisation they are of. Where a line touching the
        digit from below was taken for an underline (``Normalized.uncut``) and the reading without it is a 7, the
        reading with it a 2 (a 7 standing on a line is a 2's shape, and so is a 2 whose base reaches back beyond
        its curve: only the top, a 7's bar or a 2's curve, tells them apart, and the classifier saw it in both),
        the two readings are averaged, the one as drawn weighing UNCUT_WEIGHT: a 2, unsure. A 9 on a line is no 2.
        """
        probabilities = self.classify(normalized.image)[0]
        if normalized.uncut is not None and probabilities.argmax() == 7:
            whole = self.classify(normalized.uncut.image)[0]
            if whole.argmax() == 2:
                return normalized.uncut, UNCUT_WEIGHT * whole + (1 - UNCUT_WEIGHT) * probabilities
        return normalized, probabilities

    def _judge(self, probabilities: np.ndarray, normalized: Normalized, scale: float) -> Prediction:
        digit = int(probabilities.argmax())
        confidence = float(probabilities[digit])
        box = [int(round(value * scale)) for value in normalized.box]
        like = self.looks_like_digit(normalized.image)
        return Prediction(
            status=OK if confidence >= self.threshold and like else UNSURE,
            digit=digit,
            confidence=confidence,
            probabilities=[float(p) for p in probabilities],
            box=box,
            looks_like_digit=like,
            normalized=normalized.image,
            ink=normalized.ink.ink,
        )

    def predict_gray(self, gray: np.ndarray, scale: float = 1.0) -> Prediction:
        """Read one digit from a grayscale image (float in [0, 1], either polarity)."""
        normalized = normalize_digit(gray)
        if normalized is None:
            return Prediction(status=NO_DIGIT, digit=None, confidence=0.0, probabilities=[0.0] * 10)
        normalized, probabilities = self._read(normalized)
        return self._judge(probabilities, normalized, scale)

    def predict(self, data: bytes) -> Prediction:
        """Read one digit from image bytes. Raises InvalidImage (or a subclass) for bytes it cannot decode.

        Where the image's lightness shows no digit, or only one the classifier is unsure of, the digit that ink told
        from its paper by colour only draws is read instead, if there is one (``_colour_look``): in place of no
        digit whatever its status, in place of an unsure one only when it is sure.
        """
        decoded = imaging.decode_image(data, max_pixels=self.max_pixels, side=FIRST_LOOK_SIDE)
        fraction = _least_digit_fraction(decoded.scale)
        framing = max(decoded.width, decoded.height) <= CROP_SIDE
        normalized = normalize_digit(decoded.gray, side=FIRST_LOOK_SIDE, min_digit_fraction=fraction, framing=framing)
        closer = None
        if normalized is None and decoded.scale >= FINER_LOOK_GAIN:
            decoded, normalized = self._finer_look(data, fraction)
        if normalized is not None and max(normalized.box[2:]) < MIN_DIGIT_FRACTION * max(decoded.gray.shape):
            normalized, closer = self._confirm_tiny(data, normalized, decoded)
        prediction = self._reading(data, decoded, normalized, closer)
        if prediction.status != OK:
            coloured = self._colour_look(data, fraction, framing)
            if coloured is not None:
                # The closer look decodes lightness only: it cannot see such ink.
                by_colour = self._reading(data, *coloured, closer=None, look_closer=False)
                if prediction.status == NO_DIGIT or by_colour.status == OK:
                    prediction = by_colour
        return prediction

    def _reading(
        self,
        data: bytes,
        decoded: imaging.DecodedImage,
        normalized: Normalized | None,
        closer: Normalized | None,
        look_closer: bool = True,
    ) -> Prediction:
        """The prediction for the digit ``normalized`` found in ``decoded`` (None: no digit), read again from the
        source's own pixels where it is small (``closer``, when that look was taken already; unless not
        ``look_closer``)."""
        if normalized is None:
            prediction = Prediction(status=NO_DIGIT, digit=None, confidence=0.0, probabilities=[0.0] * 10)
        else:
            scale = decoded.scale
            normalized, probabilities = self._read(normalized)
            if look_closer and max(normalized.box[2:]) < CLOSER_LOOK_PX and scale >= CLOSER_LOOK_GAIN:
                if closer is None:
                    closer = self._closer_look(data, normalized, scale)
                if closer is not None:
                    closer, closer_probabilities = self._read(closer)
                    # Both readings are of the same digit: the one the classifier is surer of is the clearer.
                    if closer_probabilities.max() >= probabilities.max():
                        normalized, scale, probabilities = closer, 1.0, closer_probabilities
            prediction = self._judge(probabilities, normalized, scale)
        prediction.source = decoded.gray
        prediction.image_size = [decoded.width, decoded.height]
        return prediction

    def _colour_look(
        self, data: bytes, fraction: float, framing: bool
    ) -> tuple[imaging.DecodedImage, Normalized] | None:
        """For an image whose lightness shows no digit, or an unsure one: the digit that ink told from its paper by
        colour only (a pastel pen on a coloured note) draws in the image's colour contrast (``imaging.decode_colour``)
        at the first look's size, and that image. None where it draws none, or none as large as a digit must be
        without a closer look to confirm it (that look sees lightness only), or in a photo none clear of the border
        (COLOUR_LOOK_CLEARANCE)."""
        coloured = imaging.decode_colour(data, max_pixels=self.max_pixels, side=FIRST_LOOK_SIDE)
        if coloured is None:
            return None
        found = normalize_digit(coloured.gray, side=FIRST_LOOK_SIDE, min_digit_fraction=fraction, framing=framing)
        if found is None or max(found.box[2:]) < MIN_DIGIT_FRACTION * max(coloured.gray.shape):
            return None
        if not framing and not _clear_of_border(found.box, coloured.gray.shape, COLOUR_LOOK_CLEARANCE):
            return None
        return coloured, found

    def _finer_look(self, data: bytes, fraction: float) -> tuple[imaging.DecodedImage, Normalized | None]:
        """The image decoded at FINER_LOOK_SIDE and the digit found there (digits shorter than ``fraction`` of its
        side are specks), None unless it lies clear of the border (FINER_LOOK_CLEARANCE)."""
        decoded = imaging.decode_image(data, max_pixels=self.max_pixels, side=FINER_LOOK_SIDE)
        finer = normalize_digit(decoded.gray, side=FINER_LOOK_SIDE, min_digit_fraction=fraction)
        if finer is None or not _clear_of_border(finer.box, decoded.gray.shape, FINER_LOOK_CLEARANCE):
            return decoded, None
        return decoded, finer

    def _confirm_tiny(
        self, data: bytes, tiny: Normalized, decoded: imaging.DecodedImage
    ) -> tuple[Normalized | None, Normalized | None]:
        """A mark too small to be a digit in the first look of a large photo (its box in the first look's pixels),
        with the closer look that confirms it is one: (None, None) when it lies near the border or is none. Within
        a first-look pixel of the border's clearance, the clearance is judged at the source's resolution, on the
        closer look's box (the first look's box is a pixel coarse: a tiny 4 missed it by a tenth of one)."""
        shape = decoded.gray.shape
        clear = _clear_of_border(tiny.box, shape, MIN_DIGIT_FRACTION)
        x, y, w, h = tiny.box
        if not clear and not _clear_of_border((x + 1, y + 1, max(w - 2, 0), max(h - 2, 0)), shape, MIN_DIGIT_FRACTION):
            return None, None
        closer = self._closer_look(data, tiny, decoded.scale)
        if closer is None:
            return None, None
        if not clear and not _clear_of_border(closer.box, (decoded.height, decoded.width), MIN_DIGIT_FRACTION):
            return None, None
        return tiny, closer

    def _closer_look(self, data: bytes, normalized: Normalized, scale: float) -> Normalized | None:
        """The digit found at ``normalized.box`` (in pixels of an image reduced ``scale`` times from the source)
        read again from the region around it, decoded at up to the source's resolution, with its box in the
        source's pixels. None when no digit is found there.
        """
        x, y, w, h = normalized.box
        margin = CLOSER_LOOK_MARGIN * max(w, h)
        around = (x - margin, y - margin, w + 2 * margin, h + 2 * margin)
        region = imaging.decode_region(data, source_box(around, scale), max_pixels=self.max_pixels, side=WORK_SIDE)
        origin = (region.box[1] / scale, region.box[0] / scale)
        closer = normalize_digit(beyond_sheet_painted(region.gray, normalized.ink, origin, region.scale / scale))
        if closer is None:
            return None

        def in_source(found: Normalized) -> Normalized:
            inside = source_box(found.box, region.scale)
            return replace(found, box=(region.box[0] + inside[0], region.box[1] + inside[1], *inside[2:]))

        return replace(in_source(closer), uncut=closer.uncut and in_source(closer.uncut))

    def _may_hold_digits(self, data: bytes) -> bool:
        """Whether a single digit's first look at an image finds any mark a digit could be: one not flat, at least
        TINY_DIGIT_FRACTION of the image's side, once ruled and squared lines, specks, printed boxes and what lies
        beyond the sheet are gone; or, where it finds none in a large image, whether predict's finer look finds a
        digit. Where neither does (blank paper, or only its lines), the closer look that numbers need would read
        digits in the grain of the paper and in what is left of its lines."""
        first = imaging.decode_image(data, max_pixels=self.max_pixels, side=FIRST_LOOK_SIDE, short_side=STRIP_LOOK_PX)
        if _holds_marks(first.gray):
            return True
        if first.scale < FINER_LOOK_GAIN:
            return False
        return self._finer_look(data, _least_digit_fraction(first.scale))[1] is not None

    def _colour_number_look(self, data: bytes) -> imaging.DecodedImage | None:
        """For an image whose lightness shows no number, or an unsure one: its colour contrast
        (``imaging.decode_colour``) at the size numbers are read at, where the first look at it finds marks a digit
        could be; else None."""
        first = imaging.decode_colour(data, max_pixels=self.max_pixels, side=FIRST_LOOK_SIDE, short_side=STRIP_LOOK_PX)
        if first is None or not _holds_marks(first.gray):
            return None
        return imaging.decode_colour(data, max_pixels=self.max_pixels, side=NUMBER_SIDE)

    def read_number(self, data: bytes) -> NumberReading:
        """Read a number written left to right. Raises InvalidImage (or a subclass) for bytes it cannot decode.

        As ``predict`` does, where lightness shows no number or one read unsure, the number that ink told from its
        paper by colour only writes is read instead (``_colour_number_look``): in place of none whatever its
        status, in place of an unsure one only when it is sure.
        """
        decoded = imaging.decode_image(data, max_pixels=self.max_pixels, side=NUMBER_SIDE)
        reading = self._number_reading(decoded, self._may_hold_digits(data))
        if reading.status != OK:
            coloured = self._colour_number_look(data)
            if coloured is not None:
                photo = max(coloured.width, coloured.height) > CROP_SIDE
                by_colour = self._number_reading(coloured, True, clearance=COLOUR_LOOK_CLEARANCE if photo else 0.0)
                if reading.status == NO_DIGIT or by_colour.status == OK:
                    reading = by_colour
        return reading

    def _number_reading(self, decoded: imaging.DecodedImage, seen: bool, clearance: float = 0.0) -> NumberReading:
        """The number read in ``decoded`` (none unless ``seen``, or unless each digit lies ``clearance`` of the
        image's longer side clear of its border)."""
        classify = RememberingClassifier(self.classify)
        pieces = segment.split_digits(decoded.gray, classify=classify) if seen else []
        if clearance and not all(_clear_of_border(piece.box, decoded.gray.shape, clearance) for piece in pieces):
            pieces = []
        if not pieces:
            return NumberReading(
                status=NO_DIGIT, number="", digits=[], width=decoded.width, height=decoded.height, source=decoded.gray
            )
        probabilities = classify(np.stack([piece.image for piece in pieces]))
        digits = [self._judge(row, piece, decoded.scale) for row, piece in zip(probabilities, pieces)]
        status = UNSURE if any(digit.status == UNSURE for digit in digits) else OK
        return NumberReading(
            status=status,
            number="".join(str(digit.digit) for digit in digits),
            digits=digits,
            width=decoded.width,
            height=decoded.height,
            ink=pieces[0].ink.ink,
            source=decoded.gray,
        )
