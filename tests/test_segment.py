"""Splitting a number into digits: order, separate strokes, touching digits, marks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitrec import segment


def paper(width: int = 600, height: int = 200, tone: int = 255) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A sheet to draw on: white, or a photographed sheet's grey (``tone`` 225)."""
    image = Image.new("L", (width, height), tone)
    return image, ImageDraw.Draw(image)


def gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float32) / 255.0


def with_noise(image: Image.Image) -> np.ndarray:
    """A drawing as a photo's grayscale: the paper's grain as sensor noise."""
    noise = np.random.default_rng(1).normal(0, 0.01, (image.height, image.width)).astype(np.float32)
    return np.clip(gray(image) + noise, 0, 1)


def test_separate_digits_come_left_to_right_with_boxes():
    image, draw = paper()
    starts = [60, 220, 400]
    for x in reversed(starts):  # draw right to left: order must come from position
        draw.ellipse([x, 50, x + 80, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image))
    assert len(digits) == 3
    lefts = [digit.box[0] for digit in digits]
    assert lefts == sorted(lefts)
    for digit, start in zip(digits, starts, strict=True):
        x, y, w, h = digit.box
        assert abs(x - start) <= 4 and abs(y - 50) <= 4 and abs(w - 81) <= 6 and abs(h - 111) <= 6
        assert digit.image.shape == (28, 28)


def test_a_digit_of_two_strokes_that_do_not_touch_stays_one():
    image, draw = paper()
    draw.line([(100, 60), (100, 160)], fill=0, width=10)  # a '1'
    draw.line([(240, 50), (310, 50)], fill=0, width=10)  # a '5': its bar does not touch its body
    draw.line([(245, 65), (245, 100)], fill=0, width=10)
    draw.arc([230, 90, 310, 165], start=270, end=160, fill=0, width=10)
    digits = segment.split_digits(gray(image))
    assert len(digits) == 2


def test_touching_digits_are_split():
    image, draw = paper()
    draw.ellipse([100, 50, 180, 160], outline=0, width=10)
    draw.ellipse([172, 50, 252, 160], outline=0, width=10)  # touches the first
    digits = segment.split_digits(gray(image))
    assert len(digits) == 2
    assert digits[0].box[0] < digits[1].box[0]
    assert abs(digits[0].box[2] - digits[1].box[2]) < 25


def test_small_marks_between_digits_are_not_digits():
    image, draw = paper()
    draw.ellipse([60, 50, 140, 160], outline=0, width=10)
    draw.ellipse([180, 145, 192, 157], fill=0)  # a decimal point
    draw.ellipse([240, 50, 320, 160], outline=0, width=10)
    assert len(segment.split_digits(gray(image))) == 2


def test_blank_is_no_digits():
    image, _ = paper()
    assert segment.split_digits(gray(image)) == []


def sure_of(digit: int) -> segment.Classifier:
    """A classifier sure that every image is ``digit``."""

    def classify(images: np.ndarray) -> np.ndarray:
        probabilities = np.zeros((len(images), 10), dtype=np.float32)
        probabilities[:, digit] = 1.0
        return probabilities

    return classify


sure_of_anything = sure_of(0)  # as sure of two touching digits read as one as of each digit alone


def by_ink_shape(read: Callable[[int, int], tuple[int, float]]) -> segment.Classifier:
    """A classifier that judges each image by the rows and columns its ink spans alone: ``read(rows, cols)`` gives
    the digit and how sure it is of it."""

    def classify(images: np.ndarray) -> np.ndarray:
        probabilities = np.zeros((len(images), 10), dtype=np.float32)
        for index, image in enumerate(images):
            digit, sureness = read(np.count_nonzero(image.any(axis=1)), np.count_nonzero(image.any(axis=0)))
            probabilities[index, digit] = sureness
        return probabilities

    return classify


def test_touching_digits_are_split_even_when_the_classifier_is_sure_of_one():
    image, draw = paper(800)
    for x in (60, 200, 340):
        draw.ellipse([x, 50, x + 80, 160], outline=0, width=10)
    draw.ellipse([480, 50, 560, 160], outline=0, width=10)
    draw.ellipse([552, 50, 632, 160], outline=0, width=10)  # touches the one before
    assert len(segment.split_digits(gray(image), classify=sure_of_anything)) == 5


def test_touching_digits_at_different_heights_are_split():
    image, draw = paper(800, 260)
    for x in (60, 200, 340):
        draw.ellipse([x, 50, x + 80, 160], outline=0, width=10)
    draw.ellipse([480, 30, 560, 140], outline=0, width=10)
    draw.ellipse([548, 84, 628, 194], outline=0, width=10)  # lower, touching: the pair is not wider than tall
    digits = segment.split_digits(gray(image))
    assert len(digits) == 5
    assert digits[3].box[1] < digits[4].box[1]


def reads_strokes_across(images: np.ndarray) -> np.ndarray:
    """Sure of a 1 where the middle rows of an image cross one stroke each, of a 0 where they cross two; unsure
    where they cross three, or where they differ (a cut through the middle of a digit)."""
    probabilities = np.zeros((len(images), 10), dtype=np.float32)
    for index, image in enumerate(images):
        rows = np.flatnonzero(image.any(axis=1))
        ink = image[rows[0] + len(rows) // 5 : rows[-1] + 1 - len(rows) // 5] > 0.3
        crossed = (np.diff(ink.astype(np.int8), axis=1) == 1).sum(axis=1) + ink[:, 0]
        counts = np.bincount(crossed, minlength=4)
        strokes = int(np.argmax(counts))
        sure = counts[strokes] >= 0.8 * len(crossed) and strokes in (1, 2)
        probabilities[index, 1 if strokes == 1 else 0] = 1.0 if sure else 0.5
    return probabilities


def test_slanted_digits_that_touch_are_cut_along_their_slant():
    # An italic 1 whose foot runs into the 0 after it: no column parts them (at the bottom the 0 lies left of the
    # 1's top), and the pair was read as one digit: "191" read "01".
    image, draw = paper()
    slant = 0.3  # columns per row up
    draw.line([(100, 160), (100 + slant * 110, 50)], fill=0, width=10)  # the 1
    draw.line([(100, 160), (138, 160)], fill=0, width=10)  # its foot
    angles = np.linspace(0, 2 * np.pi, 73)
    points = [(155 + 20 * np.cos(a) - slant * 55 * np.sin(a), 105 + 55 * np.sin(a)) for a in angles]
    draw.line(points, fill=0, width=10, joint="curve")  # the 0, leaning as much
    for x in (300, 450):
        draw.ellipse([x, 50, x + 60, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image), classify=reads_strokes_across)
    assert [digit.box[0] // 10 for digit in digits] == [9, 10, 30, 45]
    assert digits[0].box[2] < 50  # the 1 alone


def test_a_piece_shorter_or_wider_than_the_numbers_digits_misfits():
    size = segment.DigitSize(height=100.0)
    assert size.misfit((0, 0, 60, 100)) == 0.0
    assert size.misfit((0, 0, 20, 110)) == 0.0  # a 1: narrow is fine
    assert size.misfit((0, 0, 60, 50)) > 0.4  # half of a digit cut across
    assert size.misfit((0, 0, 200, 100)) > 0.2  # two digits read as one


def test_a_one_tucked_against_a_digit_is_parted_where_they_touch():
    image, draw = paper()
    draw.line([(40, 50), (40, 160)], fill=0, width=10)  # digits of the same height before it
    draw.ellipse([260, 50, 340, 160], outline=0, width=10)
    draw.line([(112, 50), (112, 160)], fill=0, width=10)  # a 1, and a 5 whose bar starts at the 1
    draw.line([(112, 55), (195, 55)], fill=0, width=10)
    draw.line([(135, 55), (135, 100)], fill=0, width=10)
    draw.arc([125, 90, 200, 165], start=270, end=160, fill=0, width=10)
    digits = segment.split_digits(gray(image), classify=sure_of_anything)
    assert len(digits) == 4  # the pair is narrower than it is tall: no wide group to cut
    assert digits[1].box[2] < 30 and digits[2].box[2] > 50  # the 1, then the 5


def test_a_digit_is_not_parted_where_its_own_strokes_cross():
    image, draw = paper()
    draw.ellipse([60, 50, 150, 160], outline=0, width=10)  # a 0: every column crosses two strokes
    draw.line([(250, 50), (250, 115), (300, 115)], fill=0, width=10)  # a 4: the bar joins a short stroke
    draw.line([(300, 50), (300, 160)], fill=0, width=10)
    assert len(segment.split_digits(gray(image), classify=sure_of_anything)) == 2


def test_touch_columns_find_a_thin_joint_between_tall_strokes():
    keep = np.zeros((100, 60), dtype=bool)
    keep[:, 5:15] = True  # two tall strokes 10 wide...
    keep[:, 45:55] = True
    keep[45:55, 15:45] = True  # ...joined by a bar as thick as they are
    assert segment.touch_columns(keep, min_height=80, min_width=10) != []
    assert segment.touch_columns(keep, min_height=101, min_width=10) == []  # neither side tall enough
    keep[20:30, 15:45] = True  # a second bar: every column between crosses two strokes
    assert segment.touch_columns(keep, min_height=80, min_width=10) == []


# Fully sure of a piece whose ink is wider than tall (two touching digits read as one), SURE_PIECE sure of any other.
sure_of_wide_ones = by_ink_shape(lambda rows, cols: (0, 1.0 if cols > rows else segment.SURE_PIECE))


def test_a_group_wider_than_any_digit_is_split_when_sure_of_both_halves():
    image, draw = paper(800)
    for x in (60, 200, 340):
        draw.ellipse([x, 50, x + 80, 160], outline=0, width=10)
    draw.ellipse([480, 50, 555, 160], outline=0, width=10)  # two 0s touching: 1.3 times the digits' height wide
    draw.ellipse([548, 50, 623, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image), classify=sure_of_wide_ones)
    assert len(digits) == 5


def test_a_digit_broken_into_pieces_one_above_the_other_stays_one():
    image, draw = paper()
    draw.ellipse([60, 50, 140, 160], outline=0, width=10)
    draw.line([(232, 50), (217, 95)], fill=0, width=10)  # a slanted 1 broken across: the pieces overlap little
    draw.line([(212, 115), (197, 160)], fill=0, width=10)  # sideways, and each is a digit's height tall
    draw.ellipse([300, 50, 380, 160], outline=0, width=10)
    assert len(segment.split_digits(gray(image))) == 3


def test_pieces_of_lines_are_not_digits():
    image, draw = paper(600, 400)
    for x in (60, 240, 420):
        draw.ellipse([x, 150, x + 80, 260], outline=0, width=10)
    draw.line([(100, 10), (100, 60)], fill=0, width=1)  # a fine dashed line's pieces above and below a digit
    draw.line([(100, 290), (100, 340)], fill=0, width=1)
    draw.line([(560, 0), (560, 300)], fill=0, width=5)  # a thin line far taller than the digits
    draw.line([(400, 20), (520, 20)], fill=0, width=5)  # a flat piece far above a digit: no bar of it
    digits = segment.split_digits(gray(image))
    assert [digit.box[0] // 10 for digit in digits] == [6, 24, 42]
    assert all(digit.box[1] >= 145 and digit.box[3] <= 120 for digit in digits)


def test_what_lies_beyond_the_sheet_along_the_edge_is_not_a_digit():
    rng = np.random.default_rng(0)
    sheet = np.clip(rng.normal(0.85, 0.01, (480, 640)), 0, 1).astype(np.float32)  # photographed paper
    for row in range(480):
        sheet[row, : 18 - row // 60] = 0.25  # the table beyond a tilted sheet, a wedge along the left edge
    image = Image.fromarray((sheet * 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for x in (200, 380):
        draw.ellipse([x, 300, x + 70, 400], outline=40, width=9)
    digits = segment.split_digits(gray(image))
    assert [digit.box[0] // 10 for digit in digits] == [20, 38]


def test_a_one_standing_apart_in_a_number_cropped_close_is_a_digit():
    # Cropped close, every digit lies near the top and bottom borders: a 1 further from its neighbours than a
    # digit's height lay within 5% of the image's longer side of the top border and was taken for a line's remnant.
    image, draw = paper(700, 120)
    draw.ellipse([20, 15, 90, 105], outline=0, width=9)
    draw.line([(340, 15), (340, 105)], fill=0, width=9)
    draw.ellipse([600, 15, 670, 105], outline=0, width=9)
    digits = segment.split_digits(gray(image))
    assert [digit.box[0] // 10 for digit in digits] == [2, 33, 60]


def test_a_one_beginning_a_number_cropped_close_is_a_digit_however_far_from_the_next():
    # A 1 near the left border further from its neighbour than a digit's height was taken for a line's remnant.
    image, draw = paper(520, 120)
    draw.line([(22, 15), (22, 105)], fill=0, width=9)
    draw.ellipse([170, 15, 240, 105], outline=0, width=9)
    draw.ellipse([330, 15, 400, 105], outline=0, width=9)
    digits = segment.split_digits(gray(image))
    assert [digit.box[0] // 10 for digit in digits] == [1, 17, 33]


def test_two_ones_beginning_a_number_cropped_close_are_digits():
    # The first 1 lies near the border and so does the second (the crop's top and bottom borders are near every
    # digit): it was measured against the 0 alone, more than three digit heights away.
    image, draw = paper(560, 120)
    for x in (22, 160):
        draw.line([(x, 4), (x, 114)], fill=0, width=9)
    draw.ellipse([440, 4, 510, 114], outline=0, width=9)
    digits = segment.split_digits(gray(image))
    assert [digit.box[0] // 10 for digit in digits] == [1, 15, 44]


def test_digits_cut_by_the_border_of_a_number_cropped_close_are_digits():
    # Cropped close on a page made on a computer, the first 0 lies along the left border and reaches the bottom
    # one: spanning the height and hugging the edge, it was taken for a frame.
    image, draw = paper(420, 120)
    draw.rounded_rectangle([0, 10, 60, 119], radius=24, outline=0, width=10)
    draw.ellipse([170, 10, 240, 110], outline=0, width=9)
    draw.ellipse([330, 10, 400, 110], outline=0, width=9)
    digits = segment.split_digits(gray(image))
    assert [digit.box[0] // 10 for digit in digits] == [0, 17, 33]


def test_a_lines_remnant_is_no_number():
    image, draw = paper(640, 480)
    draw.line([(0, 400), (70, 400)], fill=0, width=2)  # what is left of a ruled line: no digits, however cut
    assert segment.split_digits(gray(image)) == []


def test_a_line_slanting_under_a_number_apart_from_it_is_no_part_of_it():
    # The line's box reached above the last digit's foot, though the line passes below it: it was not taken for
    # an underline, and joined every digit into one ("9257" read "2").
    image, draw = paper()
    for x, foot in [(60, 140), (220, 150), (400, 168)]:
        draw.ellipse([x, foot - 110, x + 80, foot], outline=0, width=10)
    draw.line([(40, 160), (500, 181)], fill=0, width=6)
    digits = segment.split_digits(with_noise(image))
    assert [digit.box[0] for digit in digits] == [60, 220, 400] and all(digit.box[3] == 111 for digit in digits)


def test_a_stroke_broken_into_dashes_stays_with_its_digit():
    # A thin 7 whose bar came apart into dashes beside a bold 0: each dash is a speck beside the 0, yet part of
    # the 7 (a 7 without its bar reads as a 1).
    image, draw = paper()
    draw.ellipse([60, 50, 160, 170], outline=0, width=16)
    for x in range(230, 290, 8):
        draw.line([(x, 60), (x + 5, 60)], fill=0, width=3)
    draw.line([(290, 65), (250, 170)], fill=0, width=4)
    digits = segment.split_digits(gray(image))
    assert len(digits) == 2
    x, y, w, _h = digits[1].box
    assert abs(x - 230) <= 3 and abs(y - 59) <= 3 and x + w >= 290


def ruled_sheet_in_perspective(digit: bool = False, table: bool = False) -> np.ndarray:
    """A photo of a ruled sheet shot at an angle: its lines converge (their slopes differ down the page), the
    margin line leans, and with ``table`` the dark table shows in a wedge beyond the sheet's top edge."""
    image, draw = paper(480, 640, tone=225)
    for row in range(30, 640, 32):
        slope = -0.05 + 0.06 * row / 640  # from about -3 degrees at the top to +0.5 at the bottom
        draw.line([(0, row), (480, row + slope * 480)], fill=150, width=2)
    draw.line([(70, 0), (44, 640)], fill=140, width=3)
    if table:
        draw.polygon([(250, 0), (480, 0), (480, 22)], fill=60)
    if digit:
        draw.line([(200, 300), (240, 300), (215, 360)], fill=20, width=6)  # a 7
    return with_noise(image)


def test_a_blank_ruled_sheet_in_perspective_is_no_number():
    # One slope straightened only some of the converging lines: the others were read as a row of 1s.
    assert segment.split_digits(ruled_sheet_in_perspective()) == []
    assert segment.split_digits(ruled_sheet_in_perspective(table=True)) == []


def test_a_digit_on_a_ruled_sheet_in_perspective_is_read_without_the_lines():
    # The table beyond the sheet is no ink a line must reach beyond: with it, no line was removed and the 7 was
    # lost among them.
    for table in (False, True):
        digits = segment.split_digits(ruled_sheet_in_perspective(digit=True, table=table))
        assert len(digits) == 1
        x, y, w, h = digits[0].box
        assert 195 <= x <= 205 and 292 <= y <= 302 and w <= 50 and h <= 72


def ruled_sheet_with_a_leaning_margin(digit: bool) -> np.ndarray:
    """A photo of a ruled sheet whose margin line leans about 6 degrees (perspective); a 0 beside it or nothing."""
    image, draw = paper(480, 640, tone=225)
    for row in range(30, 640, 32):
        draw.line([(0, row), (480, row + 10)], fill=150, width=2)
    draw.line([(104, 0), (40, 640)], fill=140, width=3)
    if digit:
        draw.ellipse([(100, 280), (170, 370)], outline=20, width=8)
    return with_noise(image)


def test_a_margin_line_leaning_in_perspective_is_no_digit():
    # Ruled lines were looked for up to 4 degrees from level, and so was the margin line: leaning further, it
    # was read as a 1, or took the 0 written beside it into one tall digit.
    assert segment.split_digits(ruled_sheet_with_a_leaning_margin(digit=False)) == []
    digits = segment.split_digits(ruled_sheet_with_a_leaning_margin(digit=True))
    assert [digit.box[0] // 10 for digit in digits] == [10]
    assert 85 <= digits[0].box[3] <= 100


def test_a_digit_against_a_margin_line_drawn_broad_is_read_without_it():
    # A margin line as broad as what lies beyond the sheet counts as thick, and through the sheet's edge it reached
    # the border: it was left in as part of what lies beyond the sheet, and the 7 written against it went with it.
    image, draw = paper(width=640, height=480, tone=225)
    draw.rectangle([0, 0, 640, 3], fill=60)  # the table beyond the sheet's top and left edges
    draw.rectangle([0, 0, 3, 480], fill=60)
    for row in range(20, 480, 90):
        draw.line([(0, row), (640, row)], fill=180, width=3)
    draw.line([(84, 0), (84, 480)], fill=150, width=9)  # the margin line
    draw.line([(88, 240), (175, 235), (130, 350)], fill=20, width=8)  # a 7 against it
    draw.line([(250, 235), (250, 350)], fill=20, width=8)  # a 1
    draw.ellipse([(320, 235), (390, 350)], outline=20, width=8)  # a 0
    digits = segment.split_digits(with_noise(image))
    assert [digit.box[0] // 10 for digit in digits] == [8, 24, 32]
    assert digits[0].box[2] <= 100


def test_the_sheets_edge_just_inside_the_frame_does_not_hide_the_margin_line():
    # The sheet's top edge, a line a few pixels inside the frame, did not touch the border: it counted as ink the
    # margin line must reach beyond, so the margin line was left in and the 7 written against it went with it.
    image, draw = paper(width=640, height=480, tone=225)
    draw.line([(200, 2), (640, 6)], fill=120, width=3)  # the sheet's top edge
    for row in range(40, 480, 85):
        draw.line([(0, row), (640, row + 4)], fill=170, width=2)
    draw.line([(60, 0), (68, 480)], fill=140, width=3)  # the margin line
    draw.line([(64, 240), (150, 235), (110, 350)], fill=20, width=8)  # a 7 against it
    draw.line([(230, 235), (230, 350)], fill=20, width=8)  # a 1
    draw.ellipse([(300, 235), (370, 350)], outline=20, width=8)  # a 0
    digits = segment.split_digits(with_noise(image))
    assert [digit.box[0] // 10 for digit in digits] == [6, 22, 30]
    assert digits[0].box[2] <= 100


def test_a_faint_margin_line_through_a_digit_is_found_across_it():
    # Where the 0's stroke lay close beside the margin line, the rows beside it were not clear: the line, fading
    # down the sheet, was found nowhere (it starts below the table beyond the sheet's top edge, so it must run
    # unbroken to the bottom), its dark upper part stayed, and the 0 it runs through went with it: "034264" read
    # "34264".
    image, draw = paper(width=640, height=480, tone=225)
    draw.rectangle([0, 0, 640, 6], fill=90)  # the table beyond the sheet's top edge
    for row in range(7, 480):
        draw.line([(44, row), (48, row)], fill=150 + 55 * row // 480)  # the margin line, fading down the sheet
    for row in range(60, 480, 85):
        draw.line([(0, row), (640, row)], fill=200, width=2)
    draw.ellipse([(6, 230), (56, 320)], outline=20, width=8)  # a 0 the margin line runs through
    draw.line([(150, 235), (150, 320)], fill=20, width=8)  # a 1
    draw.line([(200, 240), (260, 235), (225, 320)], fill=20, width=8)  # a 7
    digits = segment.split_digits(with_noise(image))
    assert [digit.box[0] // 10 for digit in digits] == [0, 14, 20]
    assert digits[0].box[3] <= 100


def test_ruled_lines_fading_towards_one_side_are_taken_out_of_a_number():
    # The lines fade under the ink's level beyond five sixths of the width, so they are found only up to there,
    # short of the 0 by the right edge: they did not reach beyond the rest of the ink, stayed, and took the 1 and
    # the 7 written on them along, as one wide piece of line ("21783" read "3").
    image, draw = paper(width=640, height=220, tone=225)
    for column in range(640):
        tone = 150 + 75 * max(0, column - 420) // 220
        for row in (60, 150):
            draw.line([(column, row), (column, row + 2)], fill=tone)
    draw.line([(90, 60), (90, 150)], fill=20, width=8)  # a 1 from line to line
    draw.line([(180, 62), (240, 60), (205, 150)], fill=20, width=8)  # a 7 on the upper line
    draw.ellipse([(560, 58), (615, 152)], outline=20, width=8)  # a 0 by the right edge, on both lines
    digits = segment.split_digits(with_noise(image))
    assert [digit.box[0] // 10 for digit in digits] == [8, 18, 56]


# Sure of a piece much narrower than tall (one digit), unsure of a broader one (two touching digits read as one).
sure_of_narrow_ones = by_ink_shape(lambda rows, cols: (0, 1.0 if cols < 0.6 * rows else 0.5))


def test_touching_digits_no_wider_than_one_are_split_when_the_classifier_is_unsure_of_the_whole():
    image, draw = paper()
    for x in (40, 130):
        draw.ellipse([x, 50, x + 45, 160], outline=0, width=10)
    draw.ellipse([250, 50, 295, 160], outline=0, width=10)  # two narrow 0s touching: no wider than tall, and
    draw.ellipse([288, 50, 333, 160], outline=0, width=10)  # every column where they touch crosses two strokes
    assert len(segment.split_digits(gray(image), classify=sure_of_narrow_ones)) == 4


# Sure of a piece much narrower than tall or wider than tall, unsure of one in between.
unsure_of_middling = by_ink_shape(lambda rows, cols: (6, 1.0 if not 0.6 * rows <= cols <= 0.9 * rows else 0.5))


def test_a_digit_the_classifier_is_unsure_of_is_not_cut_into_a_short_piece():
    image, draw = paper()
    for x in (40, 130):
        draw.ellipse([x, 50, x + 45, 160], outline=0, width=10)
    draw.ellipse([220, 120, 300, 160], outline=0, width=10)  # a small loop against a tall stroke, as in a 6 with
    draw.line([(300, 50), (300, 160)], fill=0, width=10)  # a long tail: cut off, the loop is a short piece
    digits = segment.split_digits(gray(image), classify=unsure_of_middling)
    assert len(digits) == 3


def sides_of_a_zero(whole: float, broad: float) -> segment.Classifier:
    """A classifier that reads a piece at least ``broad`` times as wide as tall as a 0 (``whole`` sure), a narrow
    one as a 1 and a middling one as a 7 (0.995 sure), as the sides of an open or serif 0 read."""

    def read(rows: int, cols: int) -> tuple[int, float]:
        aspect = cols / rows
        return (0, whole) if aspect >= broad else (1 if aspect < 0.3 else 7, 0.995)

    return by_ink_shape(read)


def open_zero(width: int) -> np.ndarray:
    """Two 1s and a 0 ``width`` wide, open at the top: two sides joined at the bottom, the right one with a serif."""
    image, draw = paper()
    for x in (40, 130):
        draw.line([(x, 50), (x, 160)], fill=0, width=10)
    right = 250 + width
    draw.line([(250, 50), (250, 130)], fill=0, width=10)
    draw.arc([250, 100, right, 160], start=0, end=180, fill=0, width=10)
    draw.line([(right, 130), (right, 50), (right - 20, 60)], fill=0, width=10)
    return gray(image)


SIZES = [(70, 0.55), (150, 1.0)]  # a 0 no wider than one digit, and one wider than any (its halves are broad)


@pytest.mark.parametrize(("width", "broad"), SIZES)
def test_a_digit_read_surer_whole_than_its_sides_is_not_parted(width, broad):
    assert len(segment.split_digits(open_zero(width), classify=sides_of_a_zero(1.0, broad))) == 3


@pytest.mark.parametrize(("width", "broad"), SIZES)
def test_touching_digits_read_less_surely_whole_than_apart_are_parted(width, broad):
    assert len(segment.split_digits(open_zero(width), classify=sides_of_a_zero(0.992, broad))) == 4


# Sure that a narrow piece is a 1 and that anything broader is a 4.
ones_and_fours = by_ink_shape(lambda rows, cols: (1 if cols < 0.5 * rows else 4, 1.0))


def test_an_open_four_is_not_parted_into_two_ones():
    image, draw = paper()
    draw.ellipse([60, 50, 140, 160], outline=0, width=10)
    draw.line([(240, 55), (240, 145), (290, 145)], fill=0, width=10)  # a 4 open at the top: two upright strokes
    draw.line([(290, 50), (290, 160)], fill=0, width=10)  # joined by a bar, all that crosses the columns between
    draw.ellipse([360, 50, 440, 160], outline=0, width=10)
    assert len(segment.split_digits(gray(image), classify=ones_and_fours)) == 3


sure_of_twos = sure_of(2)  # every piece a 2: the halves of a long 2 look like 2s


def test_a_wide_digit_whose_halves_read_as_itself_stays_whole():
    image, draw = paper(700)
    for x in (60, 200):
        draw.ellipse([x, 50, x + 80, 160], outline=0, width=10)
    draw.arc([340, 50, 500, 130], start=180, end=360, fill=0, width=10)  # a 2 half as wide again as tall: its
    draw.line([(500, 90), (345, 155)], fill=0, width=10)  # middle crosses the arc, the stroke down and the base
    draw.line([(340, 155), (500, 155)], fill=0, width=10)
    digits = segment.split_digits(gray(image), classify=sure_of_twos)
    assert len(digits) == 3
    assert digits[2].box[2] > 150


# Fully sure that a piece wider than tall is a 0, and that any other is a 6 (as the halves of a wide 0 read: a 6
# and a 3, a 1 and a 7).
zero_when_wide = by_ink_shape(lambda rows, cols: (0 if cols > rows else 6, 1.0))


@pytest.mark.parametrize("gap", [0, 40])
def test_a_wide_zero_is_not_cut_down_its_middle(gap):
    image, draw = paper(700)
    draw.line([(100, 50), (100, 160)], fill=0, width=10)
    # A 0 1.6 times as wide as tall, closed or open at the top right: its halves are sure 6s.
    draw.arc([200, 50, 380, 160], start=-45 + gap, end=315, fill=0, width=10)
    draw.ellipse([460, 50, 540, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image), classify=zero_when_wide)
    assert len(digits) == 3
    assert digits[1].box[2] > 170


# Unsure of a piece wider than tall (a 4's bar come apart), sure of any other.
unsure_of_flat_ones = by_ink_shape(lambda rows, cols: (4, 0.5 if cols > 1.05 * rows else 1.0))


def test_a_short_piece_that_overlaps_a_digit_is_joined_to_it_when_the_classifier_is_sure_of_both():
    image, draw = paper()
    draw.ellipse([60, 50, 140, 160], outline=0, width=10)
    draw.line([(240, 80), (240, 125), (295, 125)], fill=0, width=10)  # a 4 in two strokes: its short left arm
    draw.line([(340, 50), (293, 160)], fill=0, width=10)  # with the bar, apart from the long stroke it overlaps
    draw.ellipse([420, 50, 500, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image), classify=unsure_of_flat_ones)
    assert len(digits) == 3
    assert digits[1].box[0] <= 240 and digits[1].box[0] + digits[1].box[2] >= 340


def test_a_digit_a_margin_line_cuts_in_two_is_one_digit():
    # The loop of a 9 cut from its stem by the margin line read as a 6 the classifier was sure of: "9" read "61".
    image, draw = paper(tone=225)
    draw.line([(152, 0), (152, 200)], fill=140, width=4)  # the margin line
    draw.ellipse([105, 50, 165, 100], outline=20, width=8)  # a 9's loop across it ...
    draw.line([(161, 75), (161, 160)], fill=20, width=8)  # ... and its stem
    for x in (300, 450):
        draw.ellipse([x, 50, x + 80, 160], outline=20, width=8)
    digits = segment.split_digits(with_noise(image), classify=sure_of_anything)
    assert [digit.box[0] // 10 for digit in digits] == [10, 30, 45]
    assert digits[0].box[0] + digits[0].box[2] >= 164


# Sure of a piece at least half as wide as tall, unsure of a narrower one (half of a 0).
unsure_of_slivers = by_ink_shape(lambda rows, cols: (0, 1.0 if cols >= 0.5 * rows else 0.6))


def test_the_halves_of_a_digit_a_margin_line_cuts_down_its_middle_are_one_digit():
    # Both halves are as tall as the number's digits: "0" read as "17" (a 7 cut by the margin line read "17").
    image, draw = paper(tone=225)
    draw.line([(152, 0), (152, 200)], fill=140, width=4)  # the margin line
    for x in (112, 300, 450):  # the first 0 written across it
        draw.ellipse([x, 50, x + 80, 160], outline=20, width=8)
    digits = segment.split_digits(with_noise(image), classify=unsure_of_slivers)
    assert [digit.box[0] // 10 for digit in digits] == [11, 30, 45]
    assert digits[0].box[2] >= 78


# Unsure of a thin stroke (a 1 or the long stroke of a 4), sure of any other.
unsure_of_strokes = by_ink_shape(lambda rows, cols: (1, 0.6) if cols < 0.3 * rows else (4, 1.0))


def test_a_stroke_the_classifier_is_unsure_of_joins_the_digit_it_nearly_touches():
    # A 4 in two strokes, its long stroke as tall as the digits and a few pixels from the end of the bar: "4" read
    # as "41" (a 9's stem broken from its loop the same, "9" read as "91").
    image, draw = paper()
    draw.ellipse([60, 50, 140, 160], outline=0, width=10)
    draw.line([(240, 50), (240, 125), (290, 125)], fill=0, width=10)  # the left arm and the bar
    draw.line([(299, 50), (299, 160)], fill=0, width=10)  # the long stroke, a few pixels from the bar's end
    draw.ellipse([420, 50, 500, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image), classify=unsure_of_strokes)
    assert [digit.box[0] // 10 for digit in digits] == [6, 23, 42]
    assert digits[1].box[0] + digits[1].box[2] >= 303


@pytest.mark.parametrize(
    "mark",
    [
        [(12, 200), (12, 310)],  # beside the digits' rows, but further from them than 3 digits are tall
        [(630, 20), (630, 120)],  # near them, but beside no digit's rows
        [(626, 150), (639, 330)],  # near them and beside them, but reaching the border and 1.6 times as tall
    ],
)
def test_a_thin_mark_near_the_border_apart_from_the_number_is_no_digit(mark):
    # What is left of a margin line or of the sheet's edge, as wide as the pen's strokes: read as a 1.
    image, draw = paper(640, 480)
    for x in (400, 500):
        draw.ellipse([x, 200, x + 80, 310], outline=0, width=10)
    draw.line(mark, fill=0, width=8)
    digits = segment.split_digits(gray(image), classify=sure_of_anything)
    assert [digit.box[0] // 10 for digit in digits] == [40, 50]


def test_a_one_at_the_border_of_a_tight_crop_is_a_digit():
    image, draw = paper(260, 140)
    draw.ellipse([20, 15, 110, 125], outline=0, width=10)
    draw.line([(175, 15), (175, 125)], fill=0, width=10)  # a 1 the crop's edge nearly touches
    draw.line([(248, 15), (248, 125)], fill=0, width=10)
    digits = segment.split_digits(gray(image), classify=sure_of_anything)
    assert [digit.box[0] // 10 for digit in digits] == [2, 17, 24]


# Sure of a thin stroke (a 1) and of a piece about as wide as tall (two digits read as one), unsure between.
unsure_of_broad_digits = by_ink_shape(
    lambda rows, cols: (1, 1.0) if cols < 0.3 * rows else (3, 0.92) if cols < 0.95 * rows else (2, 0.995)
)


def test_a_one_close_beside_a_digit_the_classifier_is_unsure_of_stays_a_digit():
    # A 3 read unsurely and a 1 two pixels from it, wider together than the digits are tall, read surely as one
    # digit: "31" read "2".
    image, draw = paper()
    draw.ellipse([60, 50, 140, 160], outline=0, width=10)
    draw.arc([200, 50, 300, 160], start=-90, end=90, fill=0, width=10)  # the 3's right side, a digit's height
    draw.line([(200, 52), (250, 52)], fill=0, width=6)
    draw.line([(200, 158), (250, 158)], fill=0, width=6)
    draw.line([(308, 50), (308, 160)], fill=0, width=10)  # the 1, a few pixels from it
    draw.ellipse([420, 50, 500, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image), classify=unsure_of_broad_digits)
    assert [digit.box[0] // 10 for digit in digits] == [6, 20, 30, 42]


# Sure of every piece: a tall one at least three quarters as wide as tall is a 1 (a 4's arm with part of its bar).
arm_read_as_one = by_ink_shape(lambda rows, cols: (1, 1.0) if rows > cols >= 0.75 * rows else (4, 1.0))


def test_a_wide_digit_read_surely_whole_is_not_cut_into_itself_and_a_one():
    # A 4 wider than the digits are tall, read surely whole; cut, its left arm read as a 1: "4" read "14".
    image, draw = paper()
    draw.ellipse([60, 50, 140, 160], outline=0, width=10)
    draw.line([(200, 50), (200, 140), (345, 140)], fill=0, width=10)  # the left arm and a long bar
    draw.line([(290, 50), (290, 160)], fill=0, width=10)  # the long stroke, across the bar
    draw.ellipse([420, 50, 500, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image), classify=arm_read_as_one)
    assert [digit.box[0] // 10 for digit in digits] == [6, 19, 42]


def test_a_digit_no_wider_than_one_read_surely_whole_is_not_cut_into_itself_and_a_one():
    # A 4 whose long stroke has a sliver beside it (a stroke along a grid's column, the column taken out between),
    # joined at the top: the touching-digit search cut the sliver off at that joint, read surely as a 1, and the 4
    # read surely too: "744240" read "7441240".
    image, draw = paper()
    draw.ellipse([60, 50, 140, 160], outline=0, width=10)
    draw.line([(200, 50), (200, 120), (250, 120)], fill=0, width=10)  # the 4's left arm and bar
    draw.line([(250, 40), (250, 160)], fill=0, width=10)  # its long stroke
    draw.line([(250, 40), (276, 40)], fill=0, width=6)  # the sliver, joined to it at the top
    draw.line([(276, 40), (276, 160)], fill=0, width=14)
    draw.ellipse([420, 50, 500, 160], outline=0, width=10)
    narrow_read_as_one = by_ink_shape(lambda rows, cols: (1, 1.0) if cols < 0.4 * rows else (4, 1.0))
    digits = segment.split_digits(gray(image), classify=narrow_read_as_one)
    assert [digit.box[0] // 10 for digit in digits] == [6, 19, 42]


def test_a_speck_far_below_a_digit_does_not_make_it_a_piece_of_line():
    # A speck by the sheet's bottom edge, under the last digit, joined it (they overlap sideways): the two made a
    # group thin and three times as tall as the digits, taken for a piece of a margin line, and the digit was lost.
    image, draw = paper(height=420)
    for x in (60, 180, 300):
        draw.ellipse([x, 50, x + 60, 140], outline=0, width=10)
    draw.line([(430, 50), (430, 140)], fill=0, width=10)  # a 1
    draw.rectangle([422, 400, 440, 407], fill=0)  # the speck, far below it
    digits = segment.split_digits(with_noise(image))
    assert [digit.box[0] // 10 for digit in digits] == [6, 18, 30, 42]
    assert digits[-1].box[3] <= 100


def test_the_dashes_of_a_stroke_stay_one_digit():
    # A 1 drawn in dashes further apart than a dash is long is still one 1.
    image, draw = paper()
    for x in (60, 180):
        draw.ellipse([x, 50, x + 60, 140], outline=0, width=10)
    for top in (50, 78, 106, 134):
        draw.line([(330 - top // 10, top), (330 - (top + 12) // 10, top + 12)], fill=0, width=7)
    digits = segment.split_digits(with_noise(image))
    assert len(digits) == 3
    assert digits[-1].box[3] >= 85


def test_the_columns_of_a_grid_in_a_narrow_crop_are_no_digits():
    # A two-digit number on squared paper cropped narrow (less than half as wide as tall): no margin line was looked
    # for, lest a tall 1 filling the crop be taken for one, and the grid's columns were read as 1s with the digits.
    image, draw = paper(width=200, height=460)
    for step in range(10, 460, 66):
        draw.line([(0, step), (200, step)], fill=150, width=3)
    for step in (10, 76, 142):
        draw.line([(step, 0), (step, 460)], fill=150, width=3)
    draw.line([(40, 210), (40, 320)], fill=20, width=9)  # a 1
    draw.ellipse([90, 260, 140, 320], outline=20, width=9)  # a 6
    draw.line([(95, 290), (120, 205)], fill=20, width=9)
    digits = segment.split_digits(with_noise(image))
    assert len(digits) == 2
    assert all(digit.box[3] <= 130 for digit in digits)


def test_a_tall_one_filling_a_narrow_crop_is_a_digit():
    image, draw = paper(width=120, height=300)
    draw.line([(60, 5), (58, 295)], fill=20, width=12)
    digits = segment.split_digits(with_noise(image))
    assert len(digits) == 1 and digits[0].box[3] >= 280


def test_a_lone_grid_column_across_the_ruled_lines_of_a_narrow_crop_is_no_digit():
    # "01" on squared paper cropped narrow, one of the grid's columns through the 0: one line in a narrow crop was
    # taken for a tall 1, left in, and the 0 on it went with it (dropped as a mark from edge to edge): "01" read "1".
    image, draw = paper(width=200, height=460, tone=225)
    for step in range(40, 460, 110):
        draw.line([(0, step), (200, step)], fill=170, width=4)
    draw.line([(70, 0), (70, 460)], fill=150, width=4)  # the grid's column
    draw.ellipse([20, 170, 90, 260], outline=20, width=8)  # a 0 across it
    draw.line([(140, 165), (140, 262)], fill=20, width=8)  # a 1
    digits = segment.split_digits(with_noise(image))
    assert [digit.box[0] // 10 for digit in digits] == [2, 13]
    assert all(digit.box[3] <= 110 for digit in digits)


def test_a_margin_line_broken_where_lighter_ruled_lines_cross_it_is_found():
    # The ruled lines printed over the margin line are lighter than it: where they cross it, it fell under the
    # mask's level and showed as no unbroken run, and with a 4's strokes along it, as no faint line either: it was
    # left in, and the 4 on it went with it ("47" read "7").
    image, draw = paper(width=440, height=640, tone=225)
    draw.line([(78, 0), (78, 640)], fill=110, width=5)  # the margin line
    for row in range(42, 640, 84):
        draw.line([(0, row), (440, row)], fill=185, width=4)  # ruled lines printed over it
    draw.line([(68, 325), (190, 315)], fill=50, width=8)  # a 4 whose bar crosses the margin line
    draw.line([(68, 325), (88, 240)], fill=50, width=8)
    draw.line([(190, 240), (185, 380)], fill=50, width=8)
    draw.line([(300, 290), (380, 290), (300, 440)], fill=50, width=8)  # a 7
    digits = segment.split_digits(with_noise(image))
    assert [digit.box[0] // 10 for digit in digits] == [6, 29]
    assert digits[0].box[3] <= 150  # the 4 alone (142), without the line's stretch above it


def test_a_stroke_beside_a_broad_margin_line_joins_the_digit_across_it():
    # A 4's arm written down the left of a broad margin line, its bar from the line's right: taken out, the line
    # left a gap wider than a break in a stroke, and the arm was read as a 1 before the 4: "4753" read "14753".
    image, draw = paper(tone=225)
    draw.rectangle([100, 0, 113, 200], fill=140)  # the margin line, 14 pixels wide
    draw.line([(97, 50), (97, 125)], fill=90, width=8)  # the 4's arm, against the line (a pen hardly darker)
    draw.line([(107, 125), (170, 125)], fill=90, width=8)  # its bar, from the line
    draw.line([(150, 50), (150, 165)], fill=90, width=8)  # its stem
    for x in (300, 450):
        draw.ellipse([x, 50, x + 80, 165], outline=90, width=8)
    digits = segment.split_digits(with_noise(image), classify=sure_of_anything)
    assert [digit.box[0] // 10 for digit in digits] == [9, 30, 45]


# Sure of anything as wide as a quarter of its height, reads a narrower piece as a 1 at less than even odds.
cannot_read_slivers = by_ink_shape(lambda rows, cols: (1, 0.4) if cols < 0.25 * rows else (0, 1.0))


def test_a_short_piece_the_classifier_cannot_read_joins_the_digit_a_break_away():
    # The end of a 9's stem, broken off a little further from it than a speck's reach, was read as a 1 at 0.48
    # ("979" read "9179").
    image, draw = paper()
    draw.ellipse([100, 50, 170, 160], outline=0, width=10)
    draw.line([(184, 110), (184, 160)], fill=0, width=10)  # a short piece 8 pixels from it
    for x in (300, 450):
        draw.ellipse([x, 50, x + 70, 160], outline=0, width=10)
    digits = segment.split_digits(gray(image), classify=cannot_read_slivers)
    assert [digit.box[0] // 10 for digit in digits] == [10, 30, 45]
    assert digits[0].box[2] >= 85


@pytest.mark.parametrize("touching", [False, True])
def test_a_line_drawn_under_a_number_is_no_part_of_its_digits(touching):
    # Apart, the line joined every digit above it as their bar, one group cut anyhow ("2026" read "36"); touching
    # their feet, it made them one stroke.
    image, draw = paper(1400, 260, tone=225)  # the line under half the width: no ruled line
    starts = [480, 630, 780, 930]
    for x in starts:
        draw.ellipse([x, 40, x + 90, 170], outline=30, width=12)
    y = 168 if touching else 200
    draw.line([(460, y), (1050, y + 4)], fill=30, width=9)
    digits = segment.split_digits(with_noise(image))
    assert len(digits) == 4
    for digit, start in zip(digits, starts, strict=True):
        x, top, w, h = digit.box
        assert abs(x - start) <= 6 and abs(top - 40) <= 6 and w <= 100 and h <= 140
