"""A number in one image -> its digits, left to right, each in MNIST form with its box.

Strokes (connected components, from ``normalize.find_strokes``) that overlap horizontally belong to one digit,
so a digit drawn in two strokes that do not touch stays one digit. A group much wider than it is tall, or than
the number's digits are tall, may hold touching digits: it is cut at the columns with the least ink near where
the cuts are expected, and the cut is chosen by the classifier's confidence and by how well the pieces fit the
number's digit height (digits in one number share a height; a piece that is half as tall is half a digit).
A group no wider than one digit may still hold two that touch (a 1 against a 5): it is parted only at a
column crossed by about one stroke, between two pieces as tall as the number's digits that the classifier is
sure of, or, when the classifier is unsure of it whole, at its thinnest column near the middle. The classifier is
asked again only about doubtful pieces: a cut whose pieces all read as the digit the whole reads as, made across
two strokes, is one wide digit (a long 2 is not 22), and a piece it is unsure of joins the digit it overlaps or
all but touches when it is sure of the two together (a 4 in two strokes), as do the pieces of a digit that a line
taken out of the image (a margin line, a grid's column) cut apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from digitrec.normalize import (
    MIN_DIGIT_FRACTION,
    SMALL_IMAGE_SIDE,
    SPECK_FRACTION,
    InkMap,
    Normalized,
    Stroke,
    border_margin,
    box_gap,
    crop_strokes,
    find_strokes,
    fit_mnist,
    ink_map,
    is_blob,
    is_flat,
    lines_taken_out,
    source_box,
    stroke_components,
    stroke_contrast,
    stroke_width,
    touching_underline,
    underlines,
    union_box,
    without_specks,
)

Classifier = Callable[[np.ndarray], np.ndarray]  # (N, 28, 28) normalised digits -> (N, 10) probabilities

NUMBER_WORK_SIDE = 640
MAX_DIGITS = 12
# A number's boldest strokes are at least this dark (a share of the way from the paper's tone to black; pencil
# reaches about 0.25). Numbers are looked for closely, where the grain and shading of blank paper leave marks of
# up to about 0.15 that the classifier may read as digits.
NUMBER_MIN_CONTRAST = 0.2
BOLDEST_STROKES = 8  # ... judged among this many largest strokes
SAME_DIGIT_OVERLAP = 0.5  # strokes overlapping horizontally by this share of the narrower one are one digit
# ... but a flat stroke (a bar) joins a digit only when it lies within BAR_REACH of the taller one's height above
# or below it (a piece of line or of the sheet's edge far above a digit is not its bar), and any other stroke within
# STROKE_REACH of the tallest stroke's height (about a digit's): a speck at the sheet's edge far below a 2 made it,
# joined, a piece of a line three times its height. The dashes of one stroke lie closer.
BAR_REACH = 0.5
STROKE_REACH = 1.0
# A mark whose narrower side is under this share of the pen's stroke width is a hairline (a piece of a fine
# printed line), not the pen's.
HAIR_SHARE = 0.5
# A thin group (this many times taller than wide) at least this many times taller than any other group is a
# piece of a line (a margin, the sheet's edge), not a 1: the digits of one number share a height, give or take
# the differences of handwriting (a 1 half as tall again as a 5 beside it).
LINE_ASPECT = 4.0
LINE_HEIGHT_SHARE = 2.5
# A thin group within EDGE_REACH of the image's width from its left or right border, or of its height from its top
# or bottom border (a number cropped close lies near both of those), is a piece of a line or of the sheet's edge (a
# line seldom ends right at the edge), not a 1, when it stands apart from the number's other groups: less than half
# of its height beside the rows of the nearest, or further from it sideways than EDGE_APART times the number's
# digit height (digits spaced wide, as MNIST's in a row a cell apart, stand up to about twice their height apart:
# a 1 beginning or ending a number cropped close lies near the border); or when it touches the border and is
# EDGE_HEIGHT_SHARE times taller than the number's digits (a 1 as tall near the border, clear of it, is as likely
# a tall 1).
EDGE_REACH = 0.05
EDGE_APART = 3.0
EDGE_HEIGHT_SHARE = 1.5
MIN_HEIGHT_SHARE = 0.4  # groups shorter than this share of the tallest are marks or pieces, not digits
MIN_DIGIT_PX = 8  # ... and so are groups shorter than this (working pixels): a line's remnant cut into slivers
FRAGMENT_REACH = 0.05  # such a piece within this share of the tallest digit's height of a digit belongs to it
# Digits of a number stand side by side: two neighbouring groups one wholly above the other, no further apart
# sideways than FRAGMENT_REACH, are the pieces of one digit broken across (a slanted 1 in two strokes).
# A thin stroke may break into pieces that are specks beside the number's boldest digit (a 7's bar in dashes).
# Such a speck within this share of a digit's height of it belongs to it, when it is no speck beside that digit's
# own largest stroke (SPECK_FRACTION of its area) and at least PIECE_CONTRAST as dark: the grain of the paper is
# fainter, and smaller.
PIECE_GAP = 0.1
PIECE_CONTRAST = 0.5
TOUCHING_ASPECT = 1.1  # a group wider than this times its height holds touching digits
DIGIT_ASPECT = 0.7  # the width of a typical digit over its height, to count touching digits
WIDE_SHARE = 1.25  # a group wider than this times the number's typical digit height may hold touching digits
# How a candidate cut is judged besides the classifier's confidence: the digits of one number share a height
# and roughly a width, so a piece much shorter than the number's digits (half of a slanted 1 or 0) or much
# wider (two touching digits read as one) costs SHAPE_WEIGHT times its squared log-ratio, in log-confidence.
SHAPE_WEIGHT = 8.0
# Two digits that touch can make a group no wider than one digit (a 1 tucked against a 5), which a classifier
# may read as one digit with full confidence. Such a group is parted where they touch: a column crossed by no
# more ink than TOUCH_INK stroke widths (one stroke, even a slanted one), leaving on each side a piece at least
# TOUCH_HEIGHT of the number's digit height tall and MIN_PIECE_WIDTH of it wide (a 1 is about 0.15), when the
# classifier is at least SURE_PIECE sure of both pieces. The sides of one digit cut in two are seldom all that,
# except a 4 drawn open at the top: two upright strokes joined by its bar, which parted at the bar read as two 1s
# the classifier is sure of. Such a group is not parted into two 1s (two 1s that touch seldom meet by a bar).
TOUCH_INK = 1.25
TOUCH_HEIGHT = 0.8
MIN_PIECE_WIDTH = 0.1
SURE_PIECE = 0.99
LINE_GAP_ROWS = 0.8  # a line taken out between two pieces crosses this share of the rows they share
# A group wider than WIDE_SHARE of the number's digit height is wider than nearly every single digit (about 1 in
# 2000 MNIST digits in a number), yet the classifier may be as sure of it whole as of one digit (two touching 0s
# read as one 0), and its width costs too little to outweigh that. Such a group is cut in two when the classifier
# is SURE_PIECE sure of both pieces and both are at least TOUCH_HEIGHT of the digit height tall, as a pair of
# touching digits is; the halves of one wide digit seldom are (a flat 2's halves are short, a 5's bar is short).
# A group the classifier reads as one digit with less confidence than UNSURE_WHOLE may hold two touching digits
# (a 7 against a 9 read as a 7 at 0.57): it is cut in two the same way, at a thin column or at the column with the
# least ink near its middle, when the classifier is SURE_PIECE sure of two tall pieces. The recognizer's own
# threshold for an unsure digit is about 0.66; well above it, a doubtful whole is still tried.
UNSURE_WHOLE = 0.9
# The parts of one wide digit may read as digits the classifier is sure of: the halves of a long 2 as 2 and 2, of
# a wide 0, closed or open, as a 6 and a 3 (as the halves of two touching 0s read as 0 and 0). Where two digits
# touch, a column crosses one stroke (where they meet); through the middle of one wide digit it crosses two or
# more (a 2's arc and its base, a 0's top and bottom). A cut at columns each crossing at least ECHO_STROKES
# separate strokes of a group the classifier is SURE_PIECE sure is one digit is undone.
ECHO_STROKES = 2
# A digit drawn in strokes that do not touch may come apart into pieces that overlap sideways too little to be
# grouped (a 4's left arm and bar beside its long stroke, read as 1 and 1 or 4 and 1; a 9's stem broken from its
# loop). A group that the classifier is not SURE_PIECE sure of, whatever its height, joins a neighbour it overlaps
# sideways or lies within FRAGMENT_REACH of the digit height of, when the classifier is SURE_PIECE sure of the two
# together and they are no wider than WIDE_SHARE of the digit height (a digit the classifier is sure of stays a
# digit). Further apart, a 1 the classifier is unsure of beside a 7 reads as a 7 with it. A group at least
# TOUCH_HEIGHT of the digit height tall joins only where the two together are no wider than TALL_JOIN_WIDTH of it:
# a 3 or a 4 read unsurely, a 1 close beside it, read as a 2 or a 4 together ("31" read "2").
TALL_JOIN_WIDTH = 1.0
# A short piece the classifier reads as no digit at even odds (less than ILLEGIBLE sure) reaches a neighbour as far
# as a break in a stroke (PIECE_GAP of the digit height): the end of a 9's stem a gap apart, read as a 1 ("979"
# read "9179").
ILLEGIBLE = 0.5
# Slanted glyphs (an italic or script font, a slanting hand) overlap sideways where they touch: no column parts a
# 1 from the 9 it leans on ("19" read as a 0). A group read unsurely whose ink slants by at least SLANT (columns
# per row, from its second moments) is cut along its slant too.
SLANT = 0.15


def _overlap_share(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    overlap = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    return max(0, overlap) / max(1, min(a[2], b[2]))


def _gap_x(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    """The horizontal gap between two boxes, negative when they overlap."""
    return max(a[0], b[0]) - min(a[0] + a[2], b[0] + b[2])


def group_strokes(strokes: list[Stroke]) -> list[list[Stroke]]:
    """Group strokes that overlap horizontally into digits, ordered left to right.

    A group much shorter than the digits (a 5's or a 7's bar that came apart, half of a broken stroke) joins
    the digit it overlaps or nearly touches; one that stands apart (a decimal point, a dash) is dropped, and so
    are a thin group far taller than the other digits (a piece of a margin line or of the sheet's edge) and
    groups under ``MIN_DIGIT_PX`` tall. Returns no groups when no digit is left.
    """
    groups: list[list[Stroke]] = []
    tallest_stroke = max(stroke.box[3] for stroke in strokes)
    for stroke in sorted(strokes, key=lambda s: (s.box[0], s.box[1])):
        for group in groups:
            if _same_digit(union_box([s.box for s in group]), stroke.box, tallest_stroke):
                group.append(stroke)
                break
        else:
            groups.append([stroke])
    groups = _without_line_pieces(groups)
    tallest = max(union_box([s.box for s in group])[3] for group in groups)
    least = max(MIN_HEIGHT_SHARE * tallest, MIN_DIGIT_PX)
    digits = [group for group in groups if union_box([s.box for s in group])[3] >= least]
    if not digits:
        return []
    for group in groups:
        if any(group is digit for digit in digits):
            continue
        box = union_box([s.box for s in group])
        nearest = min(digits, key=lambda digit: _gap_x(union_box([s.box for s in digit]), box))
        nearest_box = union_box([s.box for s in nearest])
        if _gap_x(nearest_box, box) <= FRAGMENT_REACH * tallest and not _far_apart(nearest_box, box):
            nearest.extend(group)
    return _join_stacked(sorted(digits, key=lambda group: union_box([s.box for s in group])[0]), tallest)


def _same_digit(group: tuple[int, int, int, int], stroke: tuple[int, int, int, int], tallest: int) -> bool:
    """Whether a stroke's box belongs to the digit of a group's box: they overlap horizontally, and lie near each
    other vertically (a flat one, a bar: ``_far_apart``; any other: within ``STROKE_REACH`` of the ``tallest``
    stroke's height)."""
    if _overlap_share(group, stroke) < SAME_DIGIT_OVERLAP:
        return False
    if is_flat(group) or is_flat(stroke):
        return not _far_apart(group, stroke)
    return _gap_y(group, stroke) <= STROKE_REACH * tallest


def _far_apart(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether two boxes lie further apart vertically than ``BAR_REACH`` of the taller one's height."""
    return _gap_y(a, b) > BAR_REACH * max(a[3], b[3])


def _without_dots(labels: np.ndarray, groups: list[list[Stroke]]) -> list[list[Stroke]]:
    """The groups less lone dots: one solid round mark (``is_blob``) shorter than ``MIN_DIGIT_FRACTION`` of the
    image's longer side, what a single digit's reading takes for a speck (a pen's tap on a blank canvas, a full
    stop). Read as a number, such a dot was a "0" or a "4", or cut in two ("46")."""
    least = MIN_DIGIT_FRACTION * max(labels.shape)
    return [
        group
        for group in groups
        if not (len(group) == 1 and max(group[0].box[2:]) < least and is_blob(labels, group[0]))
    ]


def _without_line_pieces(groups: list[list[Stroke]]) -> list[list[Stroke]]:
    """The groups less the one that is thin and far taller than any other (``LINE_HEIGHT_SHARE``): only the
    tallest group can be, and only when there is another."""
    if len(groups) < 2:
        return groups
    boxes = [union_box([s.box for s in group]) for group in groups]
    order = sorted(range(len(groups)), key=lambda index: boxes[index][3], reverse=True)
    tallest, next_tallest = boxes[order[0]], boxes[order[1]]
    if tallest[3] >= LINE_ASPECT * tallest[2] and tallest[3] >= LINE_HEIGHT_SHARE * next_tallest[3]:
        return [group for index, group in enumerate(groups) if index != order[0]]
    return groups


def _without_edge_pieces(groups: list[list[Stroke]], shape: tuple[int, int]) -> list[list[Stroke]]:
    """The groups less thin ones near the border of an image of ``shape`` (``EDGE_REACH``) that stand apart from
    the number's other groups (``EDGE_APART``): those clear of the border, and the thin ones near it found on the
    number's row, one after another. All of them when that would leave none."""
    if not groups:
        return groups
    boxes = [union_box([s.box for s in group]) for group in groups]
    height = float(np.median([box[3] for box in boxes]))
    edge = [box[3] >= LINE_ASPECT * box[2] and _near_border(box, shape) for box in boxes]
    others = [box for box, near in zip(boxes, edge) if not near]
    if not others:
        return groups

    def apart(box: tuple[int, int, int, int]) -> bool:
        _x, y, _w, h = box
        nearest = min(others, key=lambda other: max(_gap_x(box, other), 0))
        beside = min(y + h, nearest[1] + nearest[3]) - max(y, nearest[1])
        far = beside < 0.5 * h or _gap_x(box, nearest) > EDGE_APART * height
        return far or (border_margin(box, shape) == 0 and h >= EDGE_HEIGHT_SHARE * height)

    pending = [index for index, near in enumerate(edge) if near]
    grown = True
    while grown:  # two 1s near the border: the one beside the number vouches for the one beyond it
        grown = False
        for index in list(pending):
            if not apart(boxes[index]):
                others.append(boxes[index])
                pending.remove(index)
                grown = True
    return [group for index, group in enumerate(groups) if index not in pending]


def _near_border(box: tuple[int, int, int, int], shape: tuple[int, int]) -> bool:
    """Whether a box lies within ``EDGE_REACH`` of the image's width from its left or right edge, or of its height
    from its top or bottom edge."""
    height, width = shape
    x, y, w, h = box
    return min(x, width - x - w) <= EDGE_REACH * width or min(y, height - y - h) <= EDGE_REACH * height


def _gap_y(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    """The vertical gap between two boxes (0 when they overlap)."""
    return max(0, max(a[1], b[1]) - min(a[1] + a[3], b[1] + b[3]))


def _stacked(a: tuple[int, int, int, int], b: tuple[int, int, int, int], reach: float) -> bool:
    """Whether two boxes lie one wholly above the other, no more than ``reach`` apart sideways."""
    apart = max(a[1], b[1]) >= min(a[1] + a[3], b[1] + b[3])
    return apart and _gap_x(a, b) <= reach


def _join_stacked(digits: list[list[Stroke]], tallest: int) -> list[list[Stroke]]:
    """Neighbouring groups (ordered left to right) that lie one above the other joined into one digit."""
    joined: list[list[Stroke]] = []
    for group in digits:
        box = union_box([s.box for s in group])
        if joined and _stacked(union_box([s.box for s in joined[-1]]), box, FRAGMENT_REACH * tallest):
            joined[-1] = joined[-1] + group
        else:
            joined.append(group)
    return joined


def cut_columns(ink: np.ndarray, count: int) -> list[int]:
    """Where to cut a crop holding ``count`` touching digits.

    Near each expected cut, the column with the least ink when it is a clear valley (where two digits
    merely touch); otherwise the expected position itself (where they overlap, no column is better).
    """
    profile = ink.sum(axis=0)
    width = ink.shape[1]
    step = width / count
    valley = 0.5 * float(np.median(profile))
    cuts = []
    for index in range(1, count):
        expected = int(index * step)
        low, high = max(1, int(expected - 0.3 * step)), min(width - 1, int(expected + 0.3 * step) + 1)
        best = low + int(np.argmin(profile[low:high])) if high > low else expected
        cuts.append(best if profile[best] <= valley else expected)
    return cuts


def touch_columns(keep: np.ndarray, min_height: float, min_width: float) -> list[int]:
    """Where a crop of ink (``keep``, a boolean mask) may hold two digits that touch: in each run of columns
    crossed by little ink (at most ``TOUCH_INK`` stroke widths), the column with the least, when the ink on each
    side of it is at least ``min_height`` tall and each side at least ``min_width`` columns and a stroke wide."""
    height, width = keep.shape
    pen = stroke_width(keep)
    min_width = max(1, int(np.ceil(max(min_width, pen))))
    if width < 2 * min_width:
        return []
    profile = keep.sum(axis=0)
    thin = profile <= TOUCH_INK * pen
    thin[:min_width] = False
    thin[width - min_width + 1 :] = False
    if not thin.any():
        return []
    # The rows each side of every column reaches: running extremes of each column's top and bottom row of ink.
    inked = keep.any(axis=0)
    tops = np.where(inked, keep.argmax(axis=0), height)
    bottoms = np.where(inked, height - keep[::-1].argmax(axis=0), 0)
    left_height = np.maximum.accumulate(bottoms) - np.minimum.accumulate(tops)
    right_height = np.maximum.accumulate(bottoms[::-1])[::-1] - np.minimum.accumulate(tops[::-1])[::-1]
    cuts = []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], thin.astype(np.int8), [0]))))
    for start, stop in zip(edges[::2], edges[1::2]):
        cut = start + int(np.argmin(profile[start:stop]))
        if left_height[cut - 1] >= min_height and right_height[cut] >= min_height:
            cuts.append(cut)
    return cuts


@dataclass(frozen=True)
class DigitSize:
    """The typical height of the digits of one number, in source pixels (their widths vary too much: a 1)."""

    height: float

    @classmethod
    def of(cls, boxes: list[tuple[int, int, int, int]], scale: float) -> DigitSize:
        """The median height of the groups of strokes (touching digits share a height too)."""
        return cls(height=float(np.median([box[3] for box in boxes])) * scale)

    def misfit(self, box: tuple[int, int, int, int]) -> float:
        """How far a piece's box is from a digit of this number: the squared log-ratios of a shortfall in
        height and of an excess in width over the widest a single digit is expected to be (0 when it fits)."""
        short = min(0.0, float(np.log(max(box[3], 1) / self.height)))
        wide = max(0.0, float(np.log(box[2] / (WIDE_SHARE * self.height))))
        return short**2 + wide**2


def _trim_rows(keep: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero(keep.any(axis=1))
    return (int(rows[0]), int(rows[-1]) + 1) if rows.size else (0, keep.shape[0])


def _cut(
    ink: InkMap, crop: np.ndarray, keep: np.ndarray, box: tuple[int, int, int, int], cuts: list[int]
) -> list[Normalized]:
    """A crop of touching digits cut at the columns ``cuts`` into normalised digits."""
    edges = [0, *cuts, box[2]]
    return [
        _part(ink, crop, keep, box, left, right) for left, right in zip(edges, edges[1:]) if keep[:, left:right].any()
    ]


def _part(
    ink: InkMap, crop: np.ndarray, keep: np.ndarray, box: tuple[int, int, int, int], left: int, right: int
) -> Normalized:
    """The columns ``left:right`` of a crop (at ``box``), trimmed to the rows its strokes ``keep`` fill there,
    as a normalised digit."""
    x, y, _w, _h = box
    top, bottom = _trim_rows(keep[:, left:right])
    part_box = (x + left, y + top, right - left, bottom - top)
    return Normalized(image=fit_mnist(crop[top:bottom, left:right]), box=source_box(part_box, ink.scale), ink=ink)


def _slant(keep: np.ndarray) -> float:
    """How far the ink of ``keep`` leans: the columns its middle moves right per row up (its second moments)."""
    rows, columns = np.nonzero(keep)
    rows = rows - rows.mean()
    spread = float((rows * rows).sum())
    return 0.0 if spread == 0 else -float((rows * (columns - columns.mean())).sum()) / spread


def _cut_slanted(
    ink: InkMap, crop: np.ndarray, keep: np.ndarray, box: tuple[int, int, int, int], slant: float
) -> list[list[Normalized]]:
    """A crop of two touching digits that lean by ``slant`` cut in two along it, at each place ``cut_columns`` and
    ``touch_columns`` take in the crop straightened: one pair of normalised digits per place."""
    height, width = keep.shape
    rows = np.arange(height)[:, np.newaxis]
    shifts = np.round(slant * (rows - (height - 1) / 2)).astype(int)  # straightened column = column + shift
    spread = int(np.abs(shifts).max())
    columns = np.arange(width)[np.newaxis, :] + shifts + spread
    straight_keep = np.zeros((height, width + 2 * spread), dtype=bool)
    straight = np.zeros(straight_keep.shape, dtype=np.float32)
    np.put_along_axis(straight_keep, columns, keep, axis=1)
    np.put_along_axis(straight, columns, crop, axis=1)
    pen = stroke_width(keep)
    cuts = {*cut_columns(straight, 2), *touch_columns(straight_keep, 0.0, pen)}
    pairs = []
    for cut in sorted(cuts):
        pair = []
        for side in (columns < cut, columns >= cut):
            part_keep = keep & side
            if not part_keep.any():
                break
            used = np.flatnonzero(part_keep.any(axis=0))
            pair.append(_part(ink, np.where(side, crop, 0.0), part_keep, box, int(used[0]), int(used[-1]) + 1))
        if len(pair) == 2:
            pairs.append(pair)
    return pairs


def _surest_pair(pairs: list[list[Normalized]], classify: Classifier, two_ones: bool = True) -> list[Normalized] | None:
    """Of groups cut in two where digits may touch, the one whose less sure piece the classifier is surest of,
    when it is at least ``SURE_PIECE`` sure of both; None when there is none. Without ``two_ones``, a cut whose
    pieces both read as 1 counts as none (the sides of an open 4)."""
    pairs = [pair for pair in pairs if len(pair) == 2]
    if not pairs:
        return None
    probabilities = classify(np.stack([piece.image for pair in pairs for piece in pair]))
    surest = probabilities.max(axis=1).reshape(len(pairs), 2).min(axis=1)
    if not two_ones:
        surest[(probabilities.argmax(axis=1) == 1).reshape(len(pairs), 2).all(axis=1)] = 0.0
    best = int(np.argmax(surest))
    return pairs[best] if surest[best] >= SURE_PIECE else None


def _pieces(
    ink: InkMap, labels: np.ndarray, group: list[Stroke], size: DigitSize, classify: Classifier | None
) -> list[Normalized]:
    """One group of strokes -> one or more normalised digits (several when digits touch).

    A group wider than its height, or than the number's typical digit, may hold touching digits or be one
    broad digit. With ``classify``, every count from one to one more than the width suggests is tried, and the
    cut wins whose digits the classifier is surest of, all together (the sum of their log-confidences), less
    how badly their boxes fit the number's digit size; without, the width decides. A group wider than any one
    digit, or that the classifier is unsure of, that this leaves whole is still cut in two where the classifier
    is sure of two tall pieces. A group no wider than one digit is parted only where two digits touch
    (``touch_columns``), or, when the classifier is unsure of it whole, at its thinnest column near the middle
    or, where its ink slants, along the slant (``_cut_slanted``), and the classifier is sure of both pieces,
    both at least ``TOUCH_HEIGHT`` of the number's digit height tall (a 6's small loop cut from its long tail,
    or a 5's bar from its body, read surely as a 6 or a 2). A cut into two pieces the classifier is less sure of
    than of the whole, neither read as its digit (``_surer_whole``), into a digit read surely whole and a 1
    (``_arm_cut``), or across the loop of a digit read surely (``_across_loop``: the halves of a long 2 read as 2
    and 2, of a wide 0 as 6 and 3), is undone.
    """
    box = union_box([stroke.box for stroke in group])
    crop, keep = crop_strokes(ink, labels, group, box)
    _x, _y, w, h = box
    typical_height = size.height / ink.scale
    if classify is None:
        touches = []
    else:
        touches = touch_columns(keep, TOUCH_HEIGHT * typical_height, MIN_PIECE_WIDTH * typical_height)
    if w <= TOUCHING_ASPECT * h and w <= WIDE_SHARE * typical_height:
        whole = _cut(ink, crop, keep, box, [])
        if classify is None or not whole:
            return whole
        slanted: list[list[Normalized]] = []
        if _unsure(whole[0], classify):
            touches = sorted({*touches, *cut_columns(crop, 2)})
            if abs(slant := _slant(keep)) >= SLANT:
                slanted = _cut_slanted(ink, crop, keep, box, slant)
        if not touches and not slanted:
            return whole
        pairs = _tall_options([_cut(ink, crop, keep, box, [cut]) for cut in touches] + slanted, size)
        pair = _surest_pair(pairs, classify, two_ones=False)
        if pair is None:
            return whole
        return whole if _whole_kept(_whole_and_pair(whole[0], pair, classify)) else pair
    guess = max(1, min(int(round(w / (DIGIT_ASPECT * min(h, typical_height)))), MAX_DIGITS))
    if classify is None:
        return _cut(ink, crop, keep, box, cut_columns(crop, guess))
    counts = range(1, min(guess + 1, MAX_DIGITS) + 1)
    cut_sets = [cut_columns(crop, count) for count in counts] + [[cut] for cut in touches]
    choices = [(cuts, option) for cuts in cut_sets if (option := _cut(ink, crop, keep, box, cuts))]
    options = [option for _cuts, option in choices]
    confidences = classify(np.stack([piece.image for option in options for piece in option])).max(axis=1)
    scores, start = [], 0
    for option in options:
        confidence = float(np.log(np.maximum(confidences[start : start + len(option)], 1e-9)).sum())
        scores.append(confidence - SHAPE_WEIGHT * sum(size.misfit(piece.box) for piece in option))
        start += len(option)
    best = options[int(np.argmax(scores))]
    if len(best) == 1 and (w > WIDE_SHARE * typical_height or _unsure(best[0], classify)):
        best = _surest_pair(_tall_options(options, size), classify) or best
    cuts = next(cuts for cuts, option in choices if option is best)
    whole = options[0]  # a count of one: no cut
    read = _whole_and_pair(whole[0], best, classify) if len(best) == 2 else None
    surer_whole = read is not None and _whole_kept(read)
    return whole if surer_whole or _across_loop(whole, keep, cuts, classify) else best


def _crossings(keep: np.ndarray, cuts: list[int]) -> int:
    """The fewest strokes that any of the columns ``cuts`` crosses: runs of ink down the column at least
    ``HAIR_SHARE`` of the stroke width long (less is the tip of a stroke that grazes it)."""
    pen = stroke_width(keep)
    crossings = []
    for cut in cuts:
        edges = np.flatnonzero(np.diff(np.concatenate(([0], keep[:, cut].astype(np.int8), [0]))))
        crossings.append(int((edges[1::2] - edges[::2] >= HAIR_SHARE * pen).sum()))
    return min(crossings, default=0)


def _across_loop(whole: list[Normalized], keep: np.ndarray, cuts: list[int], classify: Classifier) -> bool:
    """Whether the columns ``cuts`` all cut across the loop of a group (its strokes' mask ``keep``) that the
    classifier is sure is one digit (``whole``): each crosses at least ``ECHO_STROKES`` strokes."""
    if not cuts or len(whole) != 1 or _crossings(keep, cuts) < ECHO_STROKES:
        return False
    return _confidence(whole[0], classify) >= SURE_PIECE


def _whole_and_pair(whole: Normalized, pair: list[Normalized], classify: Classifier) -> np.ndarray:
    """The classifier's probabilities (3, 10) for a group read whole and for the two pieces it was cut into."""
    return classify(np.stack([piece.image for piece in [whole, *pair]]))


def _whole_kept(read: np.ndarray) -> bool:
    """Whether a group cut in two stays whole (``read``: ``_whole_and_pair``): ``_surer_whole`` or ``_arm_cut``."""
    return _surer_whole(read) or _arm_cut(read)


def _surer_whole(read: np.ndarray) -> bool:
    """Whether the classifier is surer of a group read whole than of the less sure of the two pieces it was cut
    into, neither of which reads as the whole's digit (``read``: ``_whole_and_pair``): one digit, its sides read
    as others (an open or serif 0 read as a 1 and a 7)."""
    digits, sureness = read.argmax(axis=1), read.max(axis=1)
    return bool(sureness[0] > sureness[1:].min() and digits[0] not in digits[1:])


def _arm_cut(read: np.ndarray) -> bool:
    """Whether a group the classifier is ``SURE_PIECE`` sure is one digit was cut into that digit and a 1
    (``read``: ``_whole_and_pair``): its own arm or stem cut off (a 4 wider than the digits, its left arm read as a
    1: "4" read "14"; a 4 no wider than one digit, a sliver of its stem along a grid's column: "744240" read
    "7441240")."""
    digits = read.argmax(axis=1)
    return bool(read[0].max() >= SURE_PIECE and sorted(digits[1:]) == sorted([digits[0], 1]))


def _confidence(piece: Normalized, classify: Classifier) -> float:
    """How sure the classifier is of a piece read as one digit: its highest probability."""
    return float(classify(piece.image[np.newaxis]).max())


def _unsure(piece: Normalized, classify: Classifier) -> bool:
    """Whether the classifier is less than ``UNSURE_WHOLE`` sure of a piece read as one digit."""
    return _confidence(piece, classify) < UNSURE_WHOLE


def _tall_options(options: list[list[Normalized]], size: DigitSize) -> list[list[Normalized]]:
    """The options whose every piece is at least ``TOUCH_HEIGHT`` of the number's digit height tall."""
    return [option for option in options if all(piece.box[3] >= TOUCH_HEIGHT * size.height for piece in option)]


def _underlines_cut_off(ink: InkMap, labels: np.ndarray, strokes: list[Stroke]) -> list[Stroke]:
    """The strokes, with lines drawn under digits and touching them cut off (``touching_underline``): what is
    left of each such stroke is its pieces, labelled anew in ``labels``. Only in photos and drawings, where no
    ruled lines were taken out (a digit's flat base may lie on one)."""
    if max(labels.shape) <= SMALL_IMAGE_SIDE:
        return strokes
    cut = []
    for stroke in strokes:
        x, y, w, h = stroke.box
        if w < h:
            continue
        window = labels[y : y + h, x : x + w]
        line = touching_underline(window == stroke.label, several=True)
        if line is None:
            continue
        if not cut and lines_taken_out(ink, labels):  # asked before a line cut off counts as taken out
            break
        window[line] = 0
        cut.append(stroke)
    if not cut:
        return strokes
    kept = [stroke for stroke in strokes if stroke not in cut]
    for stroke in cut:
        x, y, w, h = stroke.box
        window = labels[y : y + h, x : x + w]
        pieces, found = stroke_components(window == stroke.label)
        last = int(labels.max())
        window[pieces > 0] = pieces[pieces > 0] + last
        kept += [Stroke(last + p.label, (x + p.box[0], y + p.box[1], *p.box[2:]), p.area) for p in found]
    return sorted(kept, key=lambda stroke: stroke.area, reverse=True)


def _without_underlines(strokes: list[Stroke]) -> list[Stroke]:
    """The strokes less lines drawn under digits: flat strokes wholly below the upright strokes overlapping them
    sideways (``SAME_DIGIT_OVERLAP``) and most of their width long (``underlines``), and no further below them
    than ``STROKE_REACH`` of the tallest's height (a number's total underlined was joined to every digit above
    it as their bar: "2026" read "36"). A 5's or a 7's bar lies above the rest of its digit."""
    upright = [stroke for stroke in strokes if not is_flat(stroke.box)]
    if not upright:
        return strokes
    tallest = max(stroke.box[3] for stroke in upright)

    def underline(line: Stroke) -> bool:
        over = [s for s in upright if _overlap_share(line.box, s.box) >= SAME_DIGIT_OVERLAP]
        if not over:
            return False
        digits = union_box([s.box for s in over])
        return underlines(line.box, digits, tallest) and line.box[1] - digits[1] - digits[3] <= STROKE_REACH * tallest

    return [stroke for stroke in strokes if not (is_flat(stroke.box) and underline(stroke))]


def _without_hairs(labels: np.ndarray, strokes: list[Stroke]) -> list[Stroke]:
    """The strokes less hairlines: marks whose narrower side is under ``HAIR_SHARE`` of the stroke width of all
    the strokes together (the pen's). All of them when that would leave none."""
    kept = np.zeros(int(labels.max()) + 1, dtype=bool)
    kept[[stroke.label for stroke in strokes]] = True
    pen = stroke_width(kept[labels])
    return [stroke for stroke in strokes if min(stroke.box[2:]) >= HAIR_SHARE * pen] or strokes


def _add_pieces(groups: list[list[Stroke]], specks: list[Stroke], contrast: Callable[[Stroke], float]) -> None:
    """Add to each group (a digit) the specks that are pieces of its strokes (``PIECE_GAP``), growing it piece
    by piece: a stroke broken into dashes is taken whole."""
    boxes = [union_box([stroke.box for stroke in group]) for group in groups]
    largest = [max(group, key=lambda stroke: stroke.area) for group in groups]
    darkness = [contrast(stroke) for stroke in largest]
    pending = sorted(specks, key=lambda speck: speck.area, reverse=True)
    grew = True
    while grew and pending:
        grew = False
        for speck in list(pending):
            for index, box in enumerate(boxes):
                near = box_gap(box, speck.box) <= PIECE_GAP * box[3]
                if (
                    near
                    and speck.area >= SPECK_FRACTION * largest[index].area
                    and contrast(speck) >= PIECE_CONTRAST * darkness[index]
                ):
                    groups[index].append(speck)
                    boxes[index] = union_box([box, speck.box])
                    pending.remove(speck)
                    grew = True
                    break


def _join_pieces(
    ink: InkMap, labels: np.ndarray, groups: list[list[Stroke]], height: float, classify: Classifier
) -> list[list[Stroke]]:
    """The groups (left to right), each one the classifier is unsure of joined to a neighbour it overlaps sideways
    or lies within ``FRAGMENT_REACH`` of the digits' ``height`` (working pixels) of (a short one it cannot read,
    ``ILLEGIBLE``, within ``PIECE_GAP``), when the classifier is ``SURE_PIECE`` sure of the two together and they
    are no wider than one digit.

    A group and its neighbour on the other side of a line taken out of the ink (``_across_line``: a margin line, a
    grid's column through a digit) are joined, whatever their height, when the classifier is ``SURE_PIECE`` sure
    of the two together and at least as sure as of the group alone (the loop of a 9 cut from its stem reads as a
    6, the halves of a 0 as 1 and 7); the line's width is none of theirs."""
    removed = ink.mask & (labels == 0)  # the lines find_strokes took out
    groups = list(groups)
    index = 0
    while index < len(groups) and len(groups) > 1:
        box = union_box([stroke.box for stroke in groups[index]])
        widest = (TALL_JOIN_WIDTH if box[3] >= TOUCH_HEIGHT * height else WIDE_SHARE) * height
        alone = None
        best, sureness = None, SURE_PIECE
        for other in (index - 1, index + 1):
            if not 0 <= other < len(groups):
                continue
            other_box = union_box([stroke.box for stroke in groups[other]])
            gap = _gap_x(box, other_box)
            line = gap if gap > 0 and _across_line(box, other_box, removed, height) else 0
            width = union_box([box, other_box])[2] - line
            reach = max(line, FRAGMENT_REACH * height)
            if reach < gap <= PIECE_GAP * height and box[3] < TOUCH_HEIGHT * height:
                if alone is None:
                    alone = _sureness(ink, labels, groups[index], classify)
                if alone < ILLEGIBLE:
                    reach = PIECE_GAP * height  # a short piece the classifier cannot read reaches a break's width
            if gap > reach or width > (WIDE_SHARE * height if line else widest):
                continue
            if alone is None:
                alone = _sureness(ink, labels, groups[index], classify)
            if alone >= SURE_PIECE and not line:
                continue  # a short digit the classifier is sure of stays a digit
            together = _sureness(ink, labels, groups[index] + groups[other], classify)
            if together >= max(sureness, alone):
                best, sureness = other, together
        if best is None:
            index += 1
            continue
        groups[best] = groups[best] + groups[index]
        del groups[index]
        index = max(0, index - 1)
    return groups


def _across_line(
    a: tuple[int, int, int, int], b: tuple[int, int, int, int], removed: np.ndarray, height: float
) -> bool:
    """Whether the gap between two boxes side by side is a line taken out of the ink along the columns (a margin
    line, a grid's column): ``removed`` ink in it along ``LINE_GAP_ROWS`` of the rows both boxes span (a ruled line
    along the rows crosses a few), and the gap, less the line's own columns (removed along as many rows: a thick
    margin line through a 4's arm), no wider than ``PIECE_GAP`` of the digits' ``height``."""
    left = min(a[0] + a[2], b[0] + b[2])
    right = max(a[0], b[0])
    top, bottom = max(a[1], b[1]), min(a[1] + a[3], b[1] + b[3])
    if bottom <= top or right <= left:
        return False
    gap = removed[top:bottom, left:right]
    line = int((gap.mean(axis=0) >= LINE_GAP_ROWS).sum())
    return right - left - line <= PIECE_GAP * height and bool(gap.any(axis=1).mean() >= LINE_GAP_ROWS)


def _sureness(ink: InkMap, labels: np.ndarray, group: list[Stroke], classify: Classifier) -> float:
    """How sure the classifier is of a group of strokes read whole as one digit."""
    box = union_box([stroke.box for stroke in group])
    crop, keep = crop_strokes(ink, labels, group, box)
    return _confidence(_cut(ink, crop, keep, box, [])[0], classify)


def split_digits(
    gray: np.ndarray, side: int = NUMBER_WORK_SIDE, classify: Classifier | None = None
) -> list[Normalized]:
    """The digits of a number written left to right in a grayscale image (float in [0, 1], either polarity).

    ``classify`` (normalised 28x28 images -> class probabilities), when given, decides how wide groups of
    strokes are cut into touching digits. Returns an empty list when the image holds no digit.
    """
    ink = ink_map(gray, side)
    if ink is None:
        return []
    labels, strokes = find_strokes(ink, keep_specks=True)
    strokes, specks = without_specks(_underlines_cut_off(ink, labels, strokes))
    if not strokes:
        return []
    if max(stroke_contrast(ink, labels, stroke) for stroke in strokes[:BOLDEST_STROKES]) < NUMBER_MIN_CONTRAST:
        return []
    groups = group_strokes(_without_underlines(_without_hairs(labels, strokes)))
    groups = _without_edge_pieces(_without_dots(labels, groups), ink.mask.shape)
    if not groups:
        return []
    _add_pieces(groups, specks, lambda stroke: stroke_contrast(ink, labels, stroke))
    size = DigitSize.of([union_box([stroke.box for stroke in group]) for group in groups], ink.scale)
    if classify is not None:
        groups = _join_pieces(ink, labels, groups, size.height / ink.scale, classify)
    digits: list[Normalized] = []
    for group in groups:
        digits.extend(_pieces(ink, labels, group, size, classify))
    return digits[:MAX_DIGITS]
