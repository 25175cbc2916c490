"""Grayscale image -> MNIST form: a white digit on black, fitted into 20x20, centred by centre of mass in 28x28.

This is the one normalisation of the project: training data (MNIST itself) and every upload pass through
``normalize_digit``, so the model sees in use what it saw in training. The steps, each a function:

1. ``ink_map``: bring the image to a working size, detect polarity (ink is the minority far from the median;
   a sheet lying on a darker table is found and the table painted over), remove uneven lighting and paper tone
   (a coarse background estimate), suppress noise while keeping anti-aliased edges, and decide whether there
   is any ink at all ("no digit").
2. ``find_strokes``: connected components of the ink, without specks, ruled lines and dark borders.
3. ``fit_mnist``: crop to the digit, normalise stroke width, fit the longer side to 20 px keeping the aspect
   ratio, and place it in 28x28 with its centre of mass at the centre, as MNIST was made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image
from scipy import ndimage, spatial

from digitrec import resample, stats

MNIST_SIDE = 28
FIT_SIDE = 20
# Measured on the MNIST training set: the mean centre of mass (row, column) in index coordinates.
MNIST_CENTRE = (14.0, 14.0)
# Typical MNIST stroke width in pixels once a digit is fitted into 20x20.
MNIST_STROKE_PX = 2.2
# Strokes wider than this many times MNIST's (a broad brush on a canvas, a marker) are thinned to BROAD_STROKE_TO
# times it before fitting.
BROAD_STROKE = 2.0
BROAD_STROKE_TO = 2.0
WORK_SIDE = 192
SMALL_IMAGE_SIDE = 64  # at or below this, an image is a digit crop, not a photo: no lighting correction
# Half an 8-bit grey level: the median deviation from the paper's tone below which the paper is one exact tone
# (a drawing canvas, a rendered image), which no photo or scan shows.
FLAT_PAPER_MAD = 0.5 / 255
# A drawing whose strokes cover about as much of the canvas as the paper does (a broad brush filling it) has no
# median paper tone: where it is two exact tones, each at least CANVAS_TONE_SHARE of it and together
# CANVAS_TWO_TONES, the paper is the tone more of its border shows. A photo or a scan is never two exact tones.
CANVAS_TONE_SHARE = 0.2
CANVAS_TWO_TONES = 0.6
# Polarity is judged by the tails of the tones, the darkest and lightest POLARITY_TAIL percent of the pixels: the ink
# is the tail that reaches further from the paper. A small digit on a scan can be under 1% of the pixels, where the
# white lid round a turned sheet is more; at 1% such digits on grey paper were read as light ink on dark paper.
POLARITY_TAIL = 0.2
# Paper lighter than this carries dark ink: a small digit's ink can be fewer pixels than even that tail, and the
# white lid round a scanned sheet then reaches further than the ink.
WHITE_PAPER = 0.85
POLARITY_CLEARER = 2.0  # where the tones leave the polarity open, one polarity's ink stands out this much more
POLARITY_EXTREME = 0.02  # failing both, the polarity whose darkest or lightest 2% lie less on the border
POLARITY_BORDER = 0.05  # (within this share of the image's side) is the ink's
POLARITY_LID = 0.9  # light ink lying this much along the border is a scanner's lid, however clearly it stands out
MIN_CONTRAST = 0.12  # ink peak below this (on a 0..1 scale) is "no digit"
# A sheet or a note photographed on a darker table, the table most of the photo: the tones alone make the sheet the
# ink (light on a dark background). The lightest region (above Otsu's threshold) is a sheet with dark marks on it,
# not a light digit round its loops, when it is a quadrilateral (with what it encloses, at least SHEET_SOLIDITY of
# the smallest box round it at any angle: a bold light 0 or 8 filled is an ellipse or two, about pi/4 of it),
# at least SHEET_MIN_SHARE of the photo, clearly lighter than what lies round it (SHEET_MIN_STEP), holds paper
# broader than any light digit's stroke (SHEET_MIN_PAPER of its longer side, across), and the marks it encloses are
# drawn with a pen: together at most SHEET_MAX_INK of it, the largest at most SHEET_MAX_PEN of its extent wide (a
# light digit's loop, the hole of a 0, an 8 or a 4, is about as wide as it is long). A blank sheet is broad, at
# least SHEET_BLANK_PAPER of its longer side across where a light 1 is a bar.
SHEET_SOLIDITY = 0.87
SHEET_ANGLES = np.deg2rad(np.arange(0, 90, 5))  # the angles the box round it is tried at
SHEET_MIN_SHARE = 0.01
SHEET_MIN_STEP = 0.15
SHEET_MIN_PAPER = 0.2
SHEET_MAX_INK = 0.3
SHEET_MAX_PEN = 0.5
SHEET_BLANK_PAPER = 0.5
SHEET_EDGE = 2  # the sheet's blurred edge, in working pixels, is painted with the table
# A crop cut to its digit's box (by a program, or by hand without a margin) has ink within CROP_BAND of its longer
# side (and at least 3 pixels: never MNIST's, whose 20x20 box leaves 8 pixels across) of all four borders, where
# it passed for a frame, a dark border or what lies beyond a sheet: such a crop is given a margin of its paper,
# CROP_MARGIN of its longer side, before anything else (``framed``).
CROP_MARGIN = 0.1
CROP_BAND = 0.08
# Ink counts there from this share of the image's contrast where the paper along the border is of one tone (half
# the border within CLEAN_PAPER_MAD of it), from half of it elsewhere: a digit cut to the box of all its ink, faint
# anti-aliased edges included, has its strokes' cores a few pixels in from the border.
CROP_INK = 0.3
CLEAN_PAPER_MAD = 2 / 255
# A mark with other ink round it, over this share of its own, is a box round a digit, unless it meets two borders
# along less than half their length; alone, it is a digit unless it meets three borders along CROP_ALONG of their
# length (the paper inside a dark border) or covers more than CROP_MOST of the image (a photographed sheet with the
# table along its edges) (``framed``).
CROP_ALONE_SHARE = 0.1
CROP_ALONG = 0.8
CROP_MOST = 0.7
# A mark enclosing a rectangle (this share of the rectangle's box) that fills this share of the mark's own box is a
# printed box (``_printed_box``).
PRINTED_BOX_HOLLOW = 0.5
PRINTED_BOX_SQUARE = 0.9
PRINTED_BOX_LINE = 0.08  # ... with lines at most this share of its shorter side thick (area over perimeter), +1 px
BORDER_MIN_CONTRAST = 0.2  # in photos, ink touching the border fainter than this is light and shadow
BORDER_RELATIVE_CONTRAST = 0.5  # ... and so is ink touching it less than half as dark as a mark clear of it
# In a number cropped close on flat paper, a mark touching the border between these times as tall as the tallest
# digit clear of it is a digit, whatever frame it looks like.
CUT_CLOSE_LOW, CUT_CLOSE_HIGH = 0.5, 1.5
HUGE_BRUSH_SHARE = 0.08  # on a canvas, a mark spanning it with a stroke this share of its size wide is a digit
BORDER_LINE_ASPECT = 8.0  # a mark from the border this many times longer than wide is a line, beside a digit
NOISE_SIGMAS = 6.0
# Where a digit and what lies beyond the sheet fill most of a tight crop, no side of the tones' median is the
# paper's alone. The last judge of noise is then the difference between neighbouring pixels, which the grain
# sets and the few edges of broad strokes do not; JPEG and the lens smooth the grain between neighbours, so
# the ink must stand this many times further clear of it, and of MIN_CONTRAST, than NOISE_SIGMAS asks.
NEIGHBOUR_NOISE_MARGIN = 2.0
SPECK_FRACTION = 0.03  # components smaller than this share of the largest one are specks
# In a number, a faint line is taken out only where the ink is no more than PEN_OVER_LINE times as strong as the
# line's own (and PEN_LEAST, a share of the strongest ink): a pen's stroke crossing it or lying along it stays
# whole. The line's own strength is its median over PEN_LINE_SPAN of its length (a digit's stroke along it is
# shorter).
PEN_OVER_LINE = 2.0
PEN_LEAST = 0.5
PEN_LINE_SPAN = 0.25
LINE_OWN_PERCENTILE = 25  # ... for a ruled line, the lower quarter of it where it runs alone (_pen_levels)
MIN_DIGIT_FRACTION = 0.04  # a digit shorter than this share of the image's longer side is a speck
# In a photo, a mark that lies along the image's edge for at least this share of its longer side is what lies
# beyond the sheet (the table in a tilted photo, a scanner's lid, a shadow's wedge): a digit only touches the edge
# with the ends of its strokes, a stroke's width or two. Digit crops (MNIST among them) are read as before.
BORDER_HUG_SHARE = 0.5
# ... except a compact mark (a box no more than this many times longer than wide), which must lie along it for
# this share: a digit the frame cuts where a stroke runs along the cut (a 3's foot) touches it for about half its
# width, where what lies beyond a sheet is long (a strip, a wedge) or runs along two edges.
COMPACT_ASPECT = 1.5
COMPACT_HUG_SHARE = 0.6
# Where a ruled line was found by the border, the rest of the ink a line must reach beyond leaves out what lies
# beyond the sheet by that border within this share of the photo's longer side (the line's band cut it off).
HUG_REACH = 0.0125
# What lies beyond the sheet is not cut by a ruled line where it is thicker than this share of the photo's side
# (than any line): its pieces would pass for digits.
SHEET_BEYOND_THICKNESS = 0.008
# A printed box round a digit (a form's field, or a cell of a comb of them) is straight lines, each at least this
# share of the photo's width or height: two along the rows, joined by two or more along the columns (its sides, a
# comb's walls), with ink inside; the lines along the rows must be drawn along this share of the box's width.
FRAME_MIN_SHARE = 0.25
FRAME_SIDE_COVER = 0.7
# A form's printed lines are looked for in bands this many pixels across: a line that a scan's rotation or a
# photo's perspective tilts (up to about 0.06) steps between rows, and stays in a band of 5 for some 80 pixels ...
FRAME_BAND = 5
# ... with gaps up to this many pixels bridged: a thin line's anti-aliased steps fall under the ink threshold here
# and there.
FRAME_GAP = 4
# ... in ink from this strength: a thin line that falls between two rows of pixels is split between them, each
# under the ink threshold, for long stretches.
FRAME_FAINT_INK = 0.15
# A box's side or a cell's wall is straight: the middle of its ink in each row lies within this many pixels of a
# straight line (the curved side of a 0 or an 8 that fills the box bends by more).
FRAME_STRAIGHTNESS = 1.5
# ... and a box's top or bottom, whose ends are not all drawn where the walls are, within this many.
FRAME_EDGE_STRAIGHTNESS = 3.0
# A box is drawn to be written in: its ink reaches along at least this share of its height. (A typed 0's straight
# sides and flat top and bottom, with the dot inside, are no box round the dot.)
FRAME_INSIDE_SHARE = 0.3
# A box's side or a cell's wall is printed with the pen of the lines it joins: at most this many times as thick
# (and two pixels: a line's thickness is measured in the ink over the threshold alone), where a digit's stroke
# between them (a bold typed 1's stem) is thicker.
FRAME_WALL_RATIO = 2.0
# ... and that pen is fine beside the box: at most this share of the box's height inside its lines. A digit's loop
# (a 9's, a 0's) is drawn with a stroke about a fifth of its size; a form's box, with one under a tenth.
FRAME_MAX_PEN_SHARE = 0.15
# A solid round mark (a punched hole in a scan) is no digit: a box at most BLOB_ASPECT times longer than wide, at
# least BLOB_SOLIDITY filled (a small disc's pixels fill less of its box than pi/4), with a stroke at least
# BLOB_WIDTH of its longer side wide (a disc's: half). A bold 0 keeps a loop; it goes only when other strokes remain.
BLOB_ASPECT = 1.4
BLOB_SOLIDITY = 0.6
BLOB_WIDTH = 0.4
SOLID_MARK_MAX_SHARE = 0.1  # ... and a punched hole is at most this share of a photographed sheet's longer side
# A loop drawn round a digit (a circled answer, a round cell) is no part of it (``_without_rings``): a loop at least
# RING_MIN_SIDE working pixels across, traced in ink from RING_INK (a fine loop breaks into arcs in the mask), ...
RING_MIN_SIDE = 8
RING_INK = 0.1
# ... round strokes this share of its inside's height tall or more, or together as large as this share of its
# larger side (a small digit in a large loop, often broken into pieces at the working size, or wider than tall)
RING_HELD = 0.3
RING_OFF_CENTRE = 0.15  # ... in the middle of it: the strokes' centre at most this share of it off its centre
RING_GAP = 0.2  # ... with room between them at least this share of the loop's size across
RING_SOLIDITY = 0.9  # ... and convex: filled, at least this share of its convex hull
UNDERLINE_SPAN = 0.6  # a flat stroke wholly below a digit and this share of its width long underlines it
# A line drawn under a digit and touching it (``touching_underline``): the lowest ink of a run of columns at least
# UNDERLINE_TOUCHING_SPAN of the mark's width, within its lowest UNDERLINE_ZONE, straight (UNDERLINE_BEND pixels off
# a line at most, sloping UNDERLINE_SLOPE at most) and thin (UNDERLINE_THIN of the mark's height at most), reaching
# beyond where the digit meets it by UNDERLINE_BEYOND of the mark's width on both sides (a 2's base mostly starts
# where its curve comes down to it), under a mark at least UNDERLINE_ASPECT as wide as tall (a typed 1's foot serif
# is narrower).
UNDERLINE_TOUCHING_SPAN = 0.9
UNDERLINE_ZONE = 0.3
UNDERLINE_BEND = 1.5
UNDERLINE_SLOPE = 0.2
UNDERLINE_THIN = 0.15
UNDERLINE_BEYOND = 0.2
UNDERLINE_ASPECT = 0.9
UNDERLINE_DIGITS_SPAN = 1.5  # under a number, this many times as long as the digits above it are tall
UNDERLINE_ALONE = 1.2  # ... or running on alone beyond the digits meeting it this many times as far
# A line touching a digit from below and under this share of its strokes' width thick was drawn apart from it, with
# another pen: no 2's base (``Normalized.uncut``).
UNDERLINE_OTHER_PEN = 0.6
# A solid object coming into a photo from beyond its edge (a thumb, a finger) is no digit. The lighting correction
# takes its middle for background and leaves its rim, a broad crescent open to the edge (its stroke at least
# EDGE_BLOB_RIM of its longer side wide: 0.11-0.32 for thumbs, where the lines of a sheet's grid joined into one mark
# are thin for its size): closed against the edge it is a solid blob (at least EDGE_BLOB_SOLIDITY of its box, its
# stroke at least EDGE_BLOB_WIDTH of its longer side wide), and the middle it encloses there still holds faint ink
# (EDGE_BLOB_INTERIOR on average: 0.04-0.18 for thumbs; a digit cut by the frame encloses paper, under 0.02).
EDGE_BLOB_RIM = 0.1
EDGE_BLOB_SOLIDITY = 0.7
EDGE_BLOB_WIDTH = 0.3
EDGE_BLOB_INTERIOR = 0.04
MAX_DIGIT_FLATNESS = 3.0  # a mark this many times wider than tall is no digit (a piece of ruled line, a shadow's edge)
LINE_MIN_FRACTION = 0.5  # a horizontal run at least this share of the width may be a ruled line
LINE_SMOOTH_DIVISOR = 10  # in photos, line strength is averaged along 1/10 of the width
MARGIN_MIN_FRACTION = 0.9  # a vertical run this share of the height in a photo may be a margin line
MARGIN_BRIDGE_DIVISOR = 4  # ... running on across a digit written against it up to 1/4 of the averaging length
LINE_EDGE_SHARE = 0.8  # in photos, a line this share of the width long is taken to run edge to edge
LINE_REST_MIN_SHARE = 0.002  # in photos, ink a line must reach beyond is at least this share of the image
LINE_EVIDENCE = 0.2  # a photographed line's ink strength, averaged along it, is above this
LINE_RUN_ON = 0.05  # a line found up to a digit runs on beyond it where its ink reaches this share of the width
LINE_RUN_GAP = 6  # ... from the edge, with gaps this wide at most
# A ruled line is thin: the runs of a photo's rows that it makes are on average at most this share of the photo's
# height (and LINE_MIN_THICK_ROWS) across. Runs across more rows are a digit's broad stroke (a brush on a drawing
# canvas, a marker), as long as a line is where it fills the image.
LINE_MAX_THICKNESS = 0.04
LINE_MIN_THICK_ROWS = 4
LINE_CLEARANCE = 0.02  # ... and stronger than the rows this share of the height above and below it
LINE_MAX_SLOPE = 0.07  # ruled lines in photos are looked for up to about 4 degrees from horizontal
LINE_SLOPE_STEPS = 7  # ... at this many slopes on each side
LINE_SLOPE_CAP = 0.25  # ... judged by row sums of ink strength, each pixel counted up to this
MARGIN_MAX_SLOPE = 0.14  # ... margin lines, leaning more under perspective, up to about 8 degrees
LINE_PASSES = 3  # ... and looked for again at the slope of the ink left (under perspective lines converge)
# Squared and ruled paper is printed at a regular spacing: where at least RULING_MIN_LINES lines found are spaced
# at whole multiples of one period (within RULING_TOLERANCE of it), a line is looked for at each place the
# spacing puts one, and taken where ink of a line's strength lies along RULING_MIN_COVER of it (a digit crossing
# a faint line breaks the clear rows beside it that a line is otherwise found by).
RULING_MIN_LINES = 3
RULING_TOLERANCE = 0.12
RULING_MIN_COVER = 0.6
MARGIN_MIN_ASPECT = 0.5  # ... unless the image is a narrow crop (a tall 1 fills a crop top to bottom)
# ... or, in a number, a lone line crosses RULING_MIN_LINES ruled lines or more: a 1 does not span two of them
# A hollow (outline) glyph draws each stroke as two thin contours around an empty inside, where MNIST has solid
# strokes. An inside is filled when it is what a stroke's inside is and a digit's real loop (a 0, 4, 6, 8 or 9)
# is not; each of the tests below, left out, lets real loops of MNIST digits drawn with a fine pen be filled.
OUTLINE_INK = 0.2  # the contours' anti-aliased edges count as ink from this strength
OUTLINE_MAX_HALF_WIDTH = 0.15  # a stroke's inside is thin: its half-width at most this share of the digit's size
OUTLINE_MIN_ELONGATION = 8.0  # ... runs along the stroke: area at least this times half-width squared (a disc: pi)
OUTLINE_MIN_WALL_RATIO = 3.5  # ... is this many times wider than the contours around it
OUTLINE_WALL_SHARE = 0.8  # ... and the contours are the glyph: this share of its ink lines such insides

EIGHT_CONNECTED = np.ones((3, 3), dtype=bool)
FOUR_CONNECTED = ndimage.generate_binary_structure(2, 1)
_ROWS = np.arange(MNIST_SIDE, dtype=np.float64)[:, np.newaxis]
_COLS = np.arange(MNIST_SIDE, dtype=np.float64)[np.newaxis, :]


@dataclass
class InkMap:
    """The image as ink strength in [0, 1] (1 = full ink) at working size, with its binary mask."""

    ink: np.ndarray  # float32 (H, W)
    mask: np.ndarray  # bool (H, W): confident ink
    scale: float  # source pixels per working pixel
    inverted: bool  # True when the source was dark ink on a light background
    # Ink strength 0 and 1 as shares of the way from the paper's tone to full ink, before the strengths were
    # stretched to [0, 1]: how dark the ink really is.
    contrast_floor: float = 0.0
    contrast_full: float = 1.0
    flat_paper: bool = False  # the paper is one exact tone: a drawing or a rendered image, not a photo or a scan
    sheet: np.ndarray | None = None  # bool (H, W): a sheet found on a darker table, which was painted over

    def contrast(self, strength: float) -> float:
        """The real contrast (a share of the way from the paper's tone to full ink) of ink of ``strength``."""
        return self.contrast_floor + strength * (self.contrast_full - self.contrast_floor)


@dataclass
class Stroke:
    """One connected component of ink: its label in the label image and its box (x, y, w, h)."""

    label: int
    box: tuple[int, int, int, int]
    area: int


@dataclass
class Normalized:
    """A digit in MNIST form and where it was found."""

    image: np.ndarray  # float32 (28, 28) in [0, 1]
    box: tuple[int, int, int, int]  # (x, y, w, h) in the source image's pixels
    ink: InkMap = field(repr=False)
    # The digit with the line taken for an underline touching it (``touching_underline``) kept: a 2's base.
    uncut: Normalized | None = field(default=None, repr=False)


def to_working_size(gray: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """Shrink a float image so that its longer side is at most ``side``; return it and the scale factor."""
    height, width = gray.shape
    longer = max(height, width)
    if longer <= side:
        return gray.astype(np.float32, copy=False), 1.0
    scale = longer / side
    size = (max(1, round(width / scale)), max(1, round(height / scale)))
    small = Image.fromarray(gray.astype(np.float32), mode="F").resize(size, Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32), scale


def _background(ink: np.ndarray) -> np.ndarray:
    """A smooth estimate of the background (paper tone, shadows) of an ink-bright image."""
    height, width = ink.shape
    cells = 16
    coarse_size = (max(2, width * cells // max(height, width)), max(2, height * cells // max(height, width)))
    coarse = resample.resize(ink, coarse_size, Image.Resampling.BOX)
    # An opening (minimum, then maximum, over neighbouring cells) drops the strokes but keeps gradients;
    # the mean over neighbouring cells smooths the steps between them as the grid is enlarged.
    opened = _over_window(_over_window(coarse, 1, 1, np.minimum), 1, 1)
    return _smooth_enlargement(coarse_size[1], height) @ opened @ _smooth_enlargement(coarse_size[0], width).T


@lru_cache(maxsize=resample.CACHED_MATRICES)
def _smooth_enlargement(cells: int, side: int) -> np.ndarray:
    """(side x cells): the mean of each cell and its two neighbours (the edge cell repeated, as scipy's
    ``uniform_filter(size=3, mode="nearest")``), then Pillow's bilinear enlargement to ``side``, as one matrix."""
    mean = np.zeros((cells, cells), dtype=np.float32)
    for cell in range(cells):
        for neighbour in (cell - 1, cell, cell + 1):
            mean[cell, min(max(neighbour, 0), cells - 1)] += 1.0 / 3.0
    matrix = resample.weights(cells, side, Image.Resampling.BILINEAR) @ mean
    matrix.flags.writeable = False
    return matrix


def _flat_paper(sample: np.ndarray, paper: float) -> bool:
    """Whether most of an image (``sample``, its median ``paper``) is one exact tone, as the empty part of a drawing
    canvas is: there is no lighting to correct, and that tone is the background.

    Light and paper always vary by some grey levels in a photo or a scan (sensor noise alone does), and there the
    background estimate removes shadows and tints. A canvas has no lighting to remove, and the estimate, made for
    pen strokes, takes the inside of a brush stroke wider than a few of its cells for background and hollows it.
    """
    return stats.median(np.abs(sample - np.float32(paper))) < FLAT_PAPER_MAD


def _two_tone_paper(work: np.ndarray, sample: np.ndarray, darkest: float, lightest: float) -> float | None:
    """The paper's tone of a drawing whose strokes cover about as much of it as the paper does (a digit drawn with
    a broad brush that fills the canvas): the image (``sample`` of ``work``) is two exact tones, its ``darkest``
    and ``lightest``, each at least ``CANVAS_TONE_SHARE`` of it and together ``CANVAS_TWO_TONES``, and the paper
    is the one more of the border shows. None for any other image, whose paper is its median tone."""
    size = sample.size
    dark, light = np.count_nonzero(sample == darkest), np.count_nonzero(sample == lightest)
    if darkest == lightest or min(dark, light) < CANVAS_TONE_SHARE * size or dark + light < CANVAS_TWO_TONES * size:
        return None
    border = np.concatenate([work[0], work[-1], work[:, 0], work[:, -1]])
    return lightest if np.count_nonzero(border == lightest) >= np.count_nonzero(border == darkest) else darkest


# Sums of four pixels at least this large hold no subnormal pair mean that could round otherwise.
_NORMAL_SUMS = np.float32(2.0**-90)


def _pair_peak(ink: np.ndarray) -> float:
    """The highest mean of 2x2 neighbouring pixels: ``ndimage.uniform_filter(ink, size=2).max()`` for ink in
    [0, 1] (the same windows, the first row and column paired with themselves), a single bright pixel of noise
    counting for a quarter.

    Bit for bit the filter's result, in float32 throughout: halving is exact, so each of its two passes, a
    float64 mean rounded to float32, is the float32 sum of the pair halved; and the largest of the rounded
    means is the rounded largest, since rounding keeps order. Halving is not exact among subnormal numbers:
    an image whose every pair is that faint (no ink by far) is left to the filter itself.
    """
    rows = np.empty_like(ink)
    rows[0] = ink[0] + ink[0]
    np.add(ink[1:], ink[:-1], out=rows[1:])
    both = np.empty_like(ink)
    both[:, 0] = rows[:, 0] + rows[:, 0]
    np.add(rows[:, 1:], rows[:, :-1], out=both[:, 1:])
    largest = both.max()
    if largest < _NORMAL_SUMS:
        return float(ndimage.uniform_filter(ink, size=2).max())
    return float(largest * np.float32(0.25))


def _lit_evenly(ink: np.ndarray, background: np.ndarray | np.float32) -> np.ndarray:
    """An ink-bright image with its ``background`` (paper tone, shadows) taken out and the contrast under it
    restored: the lighting correction."""
    return (ink - background) / np.maximum(1.0 - background, 0.25)


def _noise(sample: np.ndarray) -> tuple[float, float]:
    """The paper's level in a lighting-corrected ``sample`` (its median) and its noise (the median absolute
    deviation, scaled to a normal distribution's sigma)."""
    level = stats.median(sample)
    return level, 1.4826 * stats.median(np.abs(sample - level))


def _standing_out(ink: np.ndarray) -> float:
    """How far the brightest ink of an ink-bright photo stands out of its background (``ink_map``'s lighting
    correction), in noise sigmas."""
    corrected = _lit_evenly(ink, _background(ink))
    level, sigma = _noise(_sample(corrected))
    return (_pair_peak(np.clip(corrected, 0.0, 1.0)) - max(level, 0.0)) / max(sigma, 1e-3)


def _clearer_polarity(work: np.ndarray) -> bool | None:
    """Whether a photo (``work``, 0 black .. 1 white) holds dark ink, judged by which polarity's ink stands out of
    its background ``POLARITY_CLEARER`` times more clearly than the other's: a pen's strokes survive the lighting
    correction, light paper between shadows does not. None when neither does."""
    dark, light = _standing_out(1.0 - work), _standing_out(work.copy())
    if dark >= POLARITY_CLEARER * light:
        return True
    if light >= POLARITY_CLEARER * dark:
        return False
    return None


def _border_polarity(work: np.ndarray, clearer: bool | None) -> bool | None:
    """Whether a photo (``work``, 0 black .. 1 white) holds dark ink, judged by where its extreme tones lie, given
    the polarity whose ink stands out more ``clearer`` (``_clearer_polarity``: False or None). A digit's ink stays
    clear of the border, where the paper's brightest and darkest parts under uneven light meet it: the darkest and
    the lightest ``POLARITY_EXTREME`` of the pixels are compared by the share of them within ``POLARITY_BORDER`` of
    the border, and the one with less than half the other's is the ink (a bold marker's digit filling a photo lit
    from one side leaves neither tail of the tones nor either polarity's ink clearer). Light ink standing out more
    clearly is overruled only where its extreme lies nearly all along the border (``POLARITY_LID``: a scanner's lid
    beyond a grey sheet, lighter than it, stood out more than a faint pencil digit). ``clearer`` where neither."""
    height, width = work.shape
    band = max(1, round(POLARITY_BORDER * max(height, width)))
    inner = np.zeros(work.shape, dtype=bool)
    inner[band:-band, band:-band] = True
    low, high = stats.percentiles(_sample(work), (100 * POLARITY_EXTREME, 100 * (1 - POLARITY_EXTREME)))
    dark, light = work <= low, work >= high
    dark_out = np.count_nonzero(dark & ~inner) / max(np.count_nonzero(dark), 1)
    light_out = np.count_nonzero(light & ~inner) / max(np.count_nonzero(light), 1)
    if dark_out < 0.5 * light_out and (clearer is None or light_out >= POLARITY_LID):
        return True
    if clearer is None and light_out < 0.5 * dark_out:
        return False
    return clearer


def _otsu(sample: np.ndarray) -> float | None:
    """Otsu's threshold of tones in [0, 1]: the one that best parts them into two classes (64 bins); None when
    they are all of one bin."""
    counts, edges = np.histogram(sample, bins=64, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    below = np.cumsum(counts)[:-1]
    above = counts.sum() - below
    below_sum = np.cumsum(counts * centres)[:-1]
    parted = (below > 0) & (above > 0)
    if not parted.any():
        return None
    below, above, below_sum = below[parted], above[parted], below_sum[parted]
    means_apart = below_sum / below - (float(np.dot(counts, centres)) - below_sum) / above
    between = below * above * means_apart**2
    return float(edges[1:-1][parted][int(between.argmax())])


def _width(mask: np.ndarray) -> float:
    """How wide a mask is where it is widest: twice the largest distance from its pixels to the nearest pixel
    outside it (beyond its edges too)."""
    return 2 * float(ndimage.distance_transform_edt(np.pad(mask, 1)).max())


def _turned_box_area(mask: np.ndarray) -> float:
    """The area of the smallest box round a mask's pixels, its sides at any of ``SHEET_ANGLES``."""
    rows, columns = np.nonzero(mask)
    cos, sin = np.cos(SHEET_ANGLES)[:, np.newaxis], np.sin(SHEET_ANGLES)[:, np.newaxis]
    along, across = columns * cos + rows * sin, rows * cos - columns * sin
    spans = (np.ptp(along, axis=1) + 1) * (np.ptp(across, axis=1) + 1)
    return float(spans.min())


def _sheet_on_table(work: np.ndarray) -> np.ndarray | None:
    """In a photo (``work``, 0 black .. 1 white) whose tones make light ink of its lightest region, that region
    where it is a sheet of paper on a darker table with dark marks on it (the ``SHEET_`` constants): the sheet's
    mask, its blurred edge left out, else None. The region is what lies above Otsu's threshold or, failing that,
    above the tone halfway down to the darker class's median (a shadow across the sheet leaves its lit part alone
    above the first)."""
    threshold = _otsu(_sample(work))
    if threshold is None:
        return None
    sheet = _sheet_above(work, threshold)
    if sheet is None:
        darker = work[work <= threshold]
        sheet = _sheet_above(work, (threshold + stats.median(darker)) / 2) if darker.size else None
    return sheet


def _sheet_above(work: np.ndarray, threshold: float) -> np.ndarray | None:
    """``_sheet_on_table``'s sheet, made of what lies above ``threshold``."""
    light = work > threshold
    labels, regions, areas = _components(light)
    if len(regions) == 0:
        return None
    largest = int(areas[1:].argmax()) + 1
    region = regions[largest - 1]
    paper = labels[region] == largest
    sheet = ndimage.binary_fill_holes(paper)
    area = np.count_nonzero(sheet)
    if area < SHEET_MIN_SHARE * work.size or area == work.size or area < SHEET_SOLIDITY * _turned_box_area(sheet):
        return None
    marks = sheet & ~light[region]
    if np.count_nonzero(marks) > SHEET_MAX_INK * area:
        return None
    broad = _width(paper) / max(sheet.shape)
    if broad < SHEET_MIN_PAPER or (not marks.any() and broad < SHEET_BLANK_PAPER):
        return None
    if marks.any():
        mark_labels, mark_regions, mark_areas = _components(marks)
        biggest = int(mark_areas[1:].argmax()) + 1
        mark = mark_labels[mark_regions[biggest - 1]] == biggest
        if _width(mark) > SHEET_MAX_PEN * max(mark.shape):
            return None
    whole = np.zeros(work.shape, dtype=bool)
    whole[region] = sheet
    if stats.median(work[region][sheet]) - stats.median(work[~whole]) < SHEET_MIN_STEP:
        return None
    inside = ndimage.binary_erosion(whole, iterations=SHEET_EDGE)
    return inside if inside.any() else None


def beyond_sheet_painted(gray: np.ndarray, ink: InkMap, origin: tuple[float, float], step: float) -> np.ndarray:
    """A part of a photo (``gray``) with what lies beyond the sheet that ``ink`` found on a table painted over with
    the sheet's tone, as ``ink_map`` did: the part's pixel (row, column) lies at ``origin`` + (row, column) *
    ``step`` in the image ``ink`` was made from (its pixels). The part as it is where ``ink`` found no sheet."""
    if ink.sheet is None:
        return gray
    height, width = ink.sheet.shape
    rows = ((origin[0] + (np.arange(gray.shape[0]) + 0.5) * step) / ink.scale).astype(int)
    columns = ((origin[1] + (np.arange(gray.shape[1]) + 0.5) * step) / ink.scale).astype(int)
    on_sheet = ink.sheet[np.ix_(np.clip(rows, 0, height - 1), np.clip(columns, 0, width - 1))]
    if on_sheet.all() or not on_sheet.any():
        return gray
    return np.where(on_sheet, gray, np.float32(stats.median(gray[on_sheet])))


def _neighbour_noise(image: np.ndarray) -> float:
    """The noise of an image as its neighbouring pixels along the rows differ (the median absolute difference,
    scaled to a normal distribution's sigma): the grain, whatever share of the image the ink covers."""
    if image.shape[1] < 2:
        return 0.0
    return 1.4826 * stats.median(np.abs(np.diff(image, axis=1))) / float(np.sqrt(2.0))


def _sample(image: np.ndarray) -> np.ndarray:
    """Every other pixel of a large image: statistics of the whole at a quarter of the cost."""
    return image[::2, ::2] if image.size > 8192 else image


def ink_map(gray: np.ndarray, side: int = WORK_SIDE) -> InkMap | None:
    """Turn a grayscale image (float, 0 black .. 1 white, either polarity) into an ink map.

    Returns None when the image holds no ink worth reading: blank, uniform, or only noise.
    """
    work, scale = to_working_size(np.asarray(gray, dtype=np.float32), side)
    if work.size == 0:
        return None
    sample = _sample(work)
    darkest, low, median, high, lightest = stats.percentiles(sample, (0, POLARITY_TAIL, 50, 100 - POLARITY_TAIL, 100))
    dark_tail, light_tail = median - low, high - median
    photo = max(work.shape) > SMALL_IMAGE_SIDE  # a crop (MNIST among them) has no lighting to correct
    canvas = None
    if photo and low == darkest and high == lightest:
        canvas = _two_tone_paper(work, sample, darkest, lightest)
    if canvas is not None:
        inverted = canvas == lightest  # light paper under dark strokes
        median = canvas  # the paper's tone, which the strokes' may outnumber
    elif median > WHITE_PAPER:
        inverted = True  # lighter than near-white paper is a scanner's lid or a highlight, never ink
    elif abs(dark_tail - light_tail) > 0.1 * (high - low) + 0.02:
        # The ink is the tail that reaches further from the paper. In a photo, light ink must also stand out of
        # its background no less clearly than dark ink would (a shadow over most of a sheet leaves the sheet's
        # light part as the further tail), and not lie all along the border (a scanner's lid beyond grey paper).
        inverted = bool(dark_tail > light_tail) or (photo and _clearer_polarity(work) is True)
        if photo and not inverted:
            inverted = _border_polarity(work, False) is True
    else:
        # No clear ink by the tones alone (a shadow darkens half the paper): in a photo, the ink is what stands
        # out of its background more clearly, or lies clear of the border (_border_polarity); failing that, judge
        # by the paper's tone.
        clearer = _clearer_polarity(work) if photo else None
        if photo and clearer is not True:
            clearer = _border_polarity(work, clearer)
        inverted = bool(median > 0.5) if clearer is None else clearer
    # Dark paper may be a table round a sheet; on a canvas of two exact tones, a dark frame round a page (a
    # bilevel scan's margins) is as much of the border as a dark canvas is.
    sheet = _sheet_on_table(work) if photo and not inverted else None
    if sheet is not None:
        # Dark ink on a sheet lying on a table: the table is painted over with the sheet's tone, the paper's.
        inverted, median = True, stats.median(work[sheet])
        work = np.where(sheet, work, np.float32(median))
    ink = 1.0 - work if inverted else work.copy()
    paper = 1.0 - median if inverted else median
    flat_paper = False
    if photo:
        # Paper of one exact tone is its own background.
        flat_paper = canvas is not None or (sheet is None and _flat_paper(_sample(ink), paper))
        ink = _lit_evenly(ink, np.float32(paper) if flat_paper else _background(ink))
    elif paper > 0:
        ink = _lit_evenly(ink, np.float32(paper))  # a crop's paper is its own tone, grey or coloured

    # Noise is measured before clipping, where it is still symmetric around the paper's level (on the sheet alone
    # where the table was painted over). (A canvas of two exact tones has none, and its strokes may be most of it.)
    sample = _sample(ink) if sheet is None else ink[sheet]
    level, sigma = _noise(sample) if canvas is None else (0.0, 0.0)
    ink_before_clip = ink
    ink = np.clip(ink, 0.0, 1.0)  # a copy: ``sample`` keeps the tones below the paper's level
    peak = _pair_peak(ink) if min(ink.shape) > 2 else float(ink.max())
    paper_level, level = level, max(level, 0.0)

    def lost_in(noise: float) -> bool:
        return peak < max(MIN_CONTRAST, level + NOISE_SIGMAS * noise)

    if lost_in(sigma):
        # A digit filling much of a tight crop widens the spread of tones round the paper's level as noise does:
        # before finding no ink, the noise is judged by the paper's side of that level alone, where ink never is,
        # and then by the differences between neighbouring pixels (NEIGHBOUR_NOISE_MARGIN).
        paper_side = paper_level - sample[sample <= paper_level]
        sigma = 1.4826 * stats.median(paper_side) if paper_side.size else sigma
        if lost_in(sigma):
            sigma = _neighbour_noise(ink_before_clip)
            if peak < NEIGHBOUR_NOISE_MARGIN * max(MIN_CONTRAST, level + NOISE_SIGMAS * sigma):
                return None
    threshold = max(level + 4.0 * sigma, 0.3 * peak)
    mask = ink > threshold
    strong = stats.percentile(ink[mask], 90) if mask.any() else peak
    floor = min(level + 3.0 * sigma, 0.5 * threshold)
    ink -= np.float32(floor)
    ink /= np.float32(max(strong - floor, 1e-3))
    np.clip(ink, 0.0, 1.0, out=ink)
    return InkMap(
        ink=ink,
        mask=mask,
        scale=scale,
        inverted=inverted,
        contrast_floor=floor,
        contrast_full=max(strong, floor + 1e-3),
        flat_paper=flat_paper,
        sheet=sheet,
    )


def _line_bands(mask: np.ndarray, length: int, edges: str = "reflect", bridge: bool = False) -> np.ndarray:
    """Where ``mask`` holds horizontal runs at least ``length`` long.

    A run is looked for in a band three rows high, so that a slightly tilted line, which steps from one row to
    the next, still forms one run. With ``edges="constant"`` a run must lie wholly inside the image; with
    "reflect" (digit crops, MNIST among them) a run half as long that reaches the edge counts too. With
    ``bridge`` (a photo straightened at the nearest slope tried), one-pixel gaps in a band count as ink: where
    the line's slope and the one tried differ, a thin line steps out of the band for a pixel now and then.
    """
    thick = ndimage.maximum_filter1d(mask, size=3, axis=0)
    if bridge:
        thick[:, 1:-1] |= thick[:, :-2] & thick[:, 2:]
    full = ndimage.uniform_filter1d(thick.astype(np.float32), size=length, axis=1, mode=edges) > 0.999
    return ndimage.maximum_filter1d(full, size=length, axis=1)


def _faint_line_bands(strength: np.ndarray, length: int, smooth: int, bridge: int = 0) -> np.ndarray:
    """Where horizontal lines at least ``length`` long run through an ink-strength image, faint ones included.

    The strength of three rows together (a line between two rows is split between them) is averaged along
    the row over ``smooth`` pixels: noise averages away, a line stays, even where it fades for a stretch. With
    ``bridge``, a line runs on across gaps up to that long where ink lies close beside it but its own strength
    holds (a digit written against a margin line).
    """
    rows = ndimage.uniform_filter1d(strength, size=3, axis=0, mode="constant") * 3.0
    along = ndimage.uniform_filter1d(rows, size=smooth, axis=1, mode="nearest")
    # A line is thin: the rows a little above and below it are clear, where a row through a number is not.
    step = max(4, round(LINE_CLEARANCE * strength.shape[0]))
    beside = np.zeros_like(along)
    beside[step:] = along[:-step]
    beside[:-step] = np.maximum(beside[:-step], along[step:])
    evidence = along - beside > LINE_EVIDENCE
    if bridge:
        evidence |= _closed_along(evidence, bridge) & (along > LINE_EVIDENCE)
    # Averaging spreads a stroke by ``smooth``: a run must be that much longer to count as a line.
    window = min(length + smooth, strength.shape[1])
    full = ndimage.uniform_filter1d(evidence.astype(np.float32), size=window, axis=1) > 0.999
    return ndimage.maximum_filter1d(full, size=max(1, window - smooth), axis=1)


def _closed_along(mask: np.ndarray, gap: int) -> np.ndarray:
    """``mask`` with the gaps along its rows (its last axis) up to ``gap`` long filled."""
    closed = ndimage.maximum_filter1d(mask, size=gap + 1, axis=-1, mode="nearest")
    return ndimage.minimum_filter1d(closed, size=gap + 1, axis=-1, mode="nearest")


def _may_hold_lines(strength: np.ndarray, mask: np.ndarray, length: int, smooth: int) -> bool:
    """Whether a line ``length`` long could be found along the rows of a photo (ink ``strength``, ``mask``).

    Every column of a line, crisp or faint, holds mask ink or ink above LINE_EVIDENCE / 3 within ``smooth``
    columns. The search measures runs with the image reflected at its edges, so it needs such columns for
    ``length`` in a row, or for half of that from an edge. A lone digit on a sheet has neither, and the search
    is skipped. Tilting a line moves ink between rows only, so the test holds for tilted lines too.
    """
    active = (strength.max(axis=0) > LINE_EVIDENCE / 3 * 0.99) | mask.any(axis=0)
    size = active.size
    for start, stop in _spread_runs(np.flatnonzero(active).tolist(), smooth + 2, size):
        run = stop - start
        if run >= length or ((start == 0 or stop == size) and run >= (length + 1) // 2):
            return True
    return False


def _spread_runs(positions: list[int], window: int, size: int) -> Iterator[tuple[int, int]]:
    """The runs (start, stop) of a row of ``size`` cells where a maximum filter ``window`` wide (scipy's, mode
    "constant") finds one of the sorted ``positions``."""
    before, after = (window - 1) // 2, window // 2
    for index, position in enumerate(positions):
        if index == 0 or position - positions[index - 1] > window:
            start = position
        if index + 1 == len(positions) or positions[index + 1] - position > window:
            yield max(0, start - before), min(size, position + after + 1)


def _bands(rows: np.ndarray) -> Iterator[tuple[int, int]]:
    """The runs (start, stop) of True in a boolean vector: the bands of rows that each line found covers."""
    return _spread_runs(np.flatnonzero(rows).tolist(), 1, rows.size)


def _widest_band(runs: np.ndarray) -> int:
    """The widest band of rows that the straightened line ``runs`` cover away from the image's edges (a band along
    an edge is what lies beyond the sheet, found as a line)."""
    rows = runs.any(axis=1)
    return max((stop - start for start, stop in _bands(rows) if start > 0 and stop < rows.size), default=0)


def _shear(mask: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Shift each column of ``mask`` up by ``shifts[column]`` rows (pixels shifted out are lost, zeros come in)."""
    if not shifts.any():
        return mask.copy()
    height, _width = mask.shape
    rows = np.arange(height)[:, np.newaxis] + shifts[np.newaxis, :]
    inside = (rows >= 0) & (rows < height)
    sheared = np.take_along_axis(mask, np.clip(rows, 0, height - 1), axis=0)
    sheared[~inside] = 0
    return sheared


def _line_shifts(mask: np.ndarray, max_slope: float = LINE_MAX_SLOPE) -> np.ndarray:
    """Per-column row shifts that make the dominant near-horizontal lines of ``mask`` (ink strength) horizontal.

    Tries slopes up to ``max_slope`` in steps of ``LINE_MAX_SLOPE / LINE_SLOPE_STEPS``, the level one first,
    and keeps the one under which the rows' ink is most concentrated (the highest row sum): ruled lines then
    each fall in a row or two. Row sums are taken from the inked pixels alone, without shearing the image, each
    pixel counted up to ``LINE_SLOPE_CAP``: a long faint line then outweighs a short bold stroke, as in a close
    crop of a digit on ruled paper.
    """
    height, width = mask.shape
    offsets = np.arange(width) - width / 2
    ys, xs = np.nonzero(mask)
    weights = np.minimum(mask[ys, xs].astype(np.float64), LINE_SLOPE_CAP)
    best, best_shifts = -1.0, np.zeros(width, dtype=int)
    steps = round(LINE_SLOPE_STEPS * max_slope / LINE_MAX_SLOPE)
    slopes = np.linspace(-max_slope, max_slope, 2 * steps + 1)
    for slope in sorted(slopes, key=abs):  # a tie keeps the smaller tilt
        shifts = np.round(slope * offsets).astype(int)
        rows = ys - shifts[xs]
        inside = (rows >= 0) & (rows < height)
        profile = np.bincount(rows[inside], weights=weights[inside], minlength=height)
        peak = float(np.max(profile[:-1] + profile[1:])) if profile.size > 1 else float(profile.max())
        if peak > best + 0.5 * LINE_SLOPE_CAP:
            best, best_shifts = peak, shifts
    return best_shifts


def _ruled_lines(
    mask: np.ndarray,
    ink: np.ndarray | None = None,
    flat_paper: bool = False,
    complete_ruling: bool = False,
    in_number: bool = False,
) -> np.ndarray:
    """Pixels of long horizontal runs that reach beyond the rest of the ink on both sides (ruled lines).

    In photo-sized images (longer side above ``SMALL_IMAGE_SIDE``), lines are straightened first and found in
    the ink strength ``ink`` (when given) averaged along them, so a faint line is taken whole where it fades
    below the mask's threshold; specks, and what lies beyond the sheet, do not count as ink a line must reach
    beyond, and are not cut by a line; and a vertical line running the sheet's whole height (a margin line) is
    found as well, neither family counting as ink the other must reach beyond (a grid's rows and columns). With
    ``complete_ruling``, lines a regular ruling has where none was found are taken too (``_ruling_completed``).
    With ``in_number`` (a number, not one digit), in a photo, ink much darker than the line it lies on
    (``_pen_levels``) is a pen's stroke crossing a faint line or lying along it, and stays; and a faint margin line
    runs on across a digit written against it (``_margin_runs``).
    On ``flat_paper`` (a drawing canvas, a page made on a computer), a line runs nearly edge to edge
    (``LINE_EDGE_SHARE``). In a digit-sized crop (MNIST's digits among them), a line runs from edge to edge.
    """
    height, width = mask.shape
    photo = max(height, width) > SMALL_IMAGE_SIDE
    length = max(8, int(width * (LINE_EDGE_SHARE if flat_paper else LINE_MIN_FRACTION)))
    strength = mask.astype(np.float32) if ink is None else ink
    # In a number, what is darker than the lines it lies on (_pen_levels); 0 off them.
    levels = np.zeros(mask.shape, dtype=np.float32) if in_number else None
    widest = 0  # the widest band of rows a line taken covers
    smooth = max(3, width // LINE_SMOOTH_DIVISOR)
    # In a crop, a line must show as one row of ink; in a photo, a tilted line steps between rows. A photo of a
    # lone digit has no run of ink long enough for any line: no search.
    crop_without_line = not photo and not (mask.sum(axis=1) >= length).any()
    margins = _margin_runs(mask, strength, complete_ruling, bridge=in_number) if photo else []
    lone_line = bool(margins) and _lone_line_in_narrow_crop(margins, mask.shape)
    if lone_line and not in_number:
        margins = []
    if width < 16 or crop_without_line or (photo and not _may_hold_lines(strength, mask, length, smooth)):
        lines = np.zeros_like(mask)
    elif photo:
        # Crisp lines show as unbroken runs of ink (even across a digit's bar); faint ones in the averaged ink.
        # Paper of one exact tone (a drawing canvas, a page made on a computer) is taken to show no faint lines,
        # and a line on it to be drawn whole: a stroke drawn off the canvas's edge is not half of one. (A clean
        # scan's paper can be one exact tone too, and its faint ruled lines are then left in.)
        def ruled_runs(straight: np.ndarray, straight_strength: np.ndarray) -> np.ndarray:
            crisp = _thin_runs(_line_bands(straight, length, edges="constant" if flat_paper else "reflect"), height)
            if flat_paper:
                return crisp
            return crisp | _faint_line_bands(straight_strength, length, smooth)

        # The ink a ruled line must reach beyond leaves out the margin lines: on squared paper they are the
        # grid's columns, which run from edge to edge and would hide every row of it.
        rest = mask
        for runs, shifts in margins:
            rest = rest & ~_margin_lines(runs.any(axis=1), shifts).T
        lines = np.zeros_like(mask)
        found = _straightened_runs(mask, strength, ruled_runs, complete_ruling=complete_ruling)
        for runs, shifts in _beyond_the_rest_straightened(found, rest, not flat_paper, edge_to_edge=in_number):
            # A ruled line runs from edge to edge, also where it is too faint to be found: its remnants go too.
            lines |= _shear(np.broadcast_to(runs.any(axis=1, keepdims=True), mask.shape), -shifts)
            widest = max(widest, _widest_band(runs))
            if in_number:
                np.maximum(levels, _pen_levels(runs, shifts, strength, where_alone=True), out=levels)
    else:
        runs = _line_bands(mask, length) & mask
        lines = _beyond_the_rest(runs, mask)
    if lone_line and len(list(_bands(lines.any(axis=1)))) < RULING_MIN_LINES:
        margins = []  # in a number, a lone line in a narrow crop counts where it crosses the ruled lines
    if margins:
        rest = (mask & ~lines).T
        for runs, shifts in _beyond_the_rest_straightened(margins, rest, beyond_sheet=not flat_paper):
            lines |= _margin_lines(runs.any(axis=1), shifts).T
            widest = max(widest, _widest_band(runs))
            if in_number:
                np.maximum(levels, _pen_levels(runs, shifts, strength.T).T, out=levels)
    if photo and not flat_paper and lines.any():
        lines &= ~_beyond_the_sheet(mask, widest)
    if in_number:  # a pen's stroke crossing a faint line, or lying along it, is much darker than the line: it stays
        lines &= ~((levels > 0) & (strength > levels))
    return lines & mask


def _pen_levels(runs: np.ndarray, shifts: np.ndarray, strength: np.ndarray, where_alone: bool = False) -> np.ndarray:
    """Over the rows of each line of a pass (``runs`` straightened by ``shifts``), in the photo's pixels, the ink
    strength above which a pixel is a pen's, not the line's: PEN_OVER_LINE times the line's own, and at least
    PEN_LEAST; 0 elsewhere. The line's own is, along it, the median of the darkest ``strength`` across it over
    PEN_LINE_SPAN of its length (uneven light darkens a line towards a corner).

    With ``where_alone`` (ruled lines, not margin lines or a grid's columns), it is measured only where the line
    runs alone, the rows just beyond it clear (a pen's stroke crossing it or lying along it reaches beyond), as
    the lower LINE_OWN_PERCENTILE there (a stroke lying wholly in the line's rows shows as the line's), and along a
    digit wider than the stretch measured, as the nearest such measure: in a small image a 9's loop along a row of
    squared paper was longer than half the stretch, the median was the pen's, and the stroke went with the line.
    """
    straight = _shear(strength, shifts)
    rows = runs.any(axis=1)
    width = strength.shape[1]
    step = max(1, width // 64)
    size = max(3, int(PEN_LINE_SPAN * width / step) | 1)
    levels = np.zeros(strength.shape, dtype=np.float32)
    for start, stop in _bands(rows):
        darkest = straight[start:stop, ::step].max(axis=0)
        line = _line_alone(straight, darkest, start, stop, step, size) if where_alone else None
        if line is None:
            line = ndimage.median_filter(darkest, size=size, mode="nearest")
        levels[start:stop] = np.maximum(PEN_OVER_LINE * np.repeat(line, step)[:width], PEN_LEAST)
    return _shear(levels, -shifts)


def _line_alone(
    straight: np.ndarray, darkest: np.ndarray, start: int, stop: int, step: int, size: int
) -> np.ndarray | None:
    """A straightened line's own strength along it (rows ``start:stop``, every ``step``-th column, its
    ``darkest`` strength across it): the lower LINE_OWN_PERCENTILE over ``size`` samples of those where the rows
    just beyond it are clear, the nearest such measure where there are none; None where the line never runs
    alone."""
    beyond = np.zeros_like(darkest)
    for first, last in ((start - 4, start - 2), (stop + 2, stop + 4)):
        if first >= 0 and last <= straight.shape[0]:
            np.maximum(beyond, straight[first:last, ::step].max(axis=0), out=beyond)
    alone = np.where(beyond < 0.5 * darkest, darkest, np.nan)
    if np.isnan(alone).all():
        return None
    window = np.lib.stride_tricks.sliding_window_view(np.pad(alone, size // 2, mode="edge"), size)
    measured = ~np.isnan(window).all(axis=1)
    places = np.flatnonzero(measured)
    own = np.nanpercentile(window[measured], LINE_OWN_PERCENTILE, axis=1)
    return np.interp(np.arange(darkest.size), places, own).astype(np.float32)


def _margin_runs(
    mask: np.ndarray, strength: np.ndarray, complete_ruling: bool, bridge: bool = False
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The runs of margin lines in a photo (``mask``, its ink ``strength``) turned on its side, straightened
    (``_straightened_runs``): vertical lines nearly the sheet's whole height (``MARGIN_MIN_FRACTION``).
    With ``bridge``, a faint one runs on across a digit written against it for up to
    1/MARGIN_BRIDGE_DIVISOR of the averaging length (in numbers: round one digit, a grid's column found so, only
    one of its two pixels wide, left the other joined to a 6, read as a 9)."""
    height = mask.shape[0]
    strength = strength.T
    smooth = max(3, height // LINE_SMOOTH_DIVISOR)
    tall = max(1, int(MARGIN_MIN_FRACTION * height))
    if not _may_hold_lines(strength, mask.T, tall, smooth):
        return []

    gap = smooth // MARGIN_BRIDGE_DIVISOR if bridge else 0

    # A faint margin line is found in the averaged ink; a crisp one as an unbroken run, also where a digit
    # written against it leaves no clear columns beside it. Ruled lines printed over it break it where they cross
    # (lighter than it, their ink under the mask's level): with ``bridge``, such short breaks, where ink lies at
    # half a faint line's strength or more (the crossing, darker than either line), are no breaks.
    def margin_runs(straight: np.ndarray, straight_strength: np.ndarray) -> np.ndarray:
        margins = _faint_line_bands(straight_strength, tall, smooth, bridge=gap)
        if gap:
            straight = straight | (_closed_along(straight, gap) & (straight_strength > LINE_EVIDENCE / 2))
        return margins | _line_bands(straight, tall, edges="constant", bridge=True)

    return _straightened_runs(
        mask.T, strength, margin_runs, max_slope=MARGIN_MAX_SLOPE, complete_ruling=complete_ruling
    )


def _lone_line_in_narrow_crop(margins: list[tuple[np.ndarray, np.ndarray]], shape: tuple[int, int]) -> bool:
    """Whether ``_margin_runs`` found fewer than two lines in a narrow crop (``MARGIN_MIN_ASPECT``), where a tall 1
    fills the crop top to bottom: there only the columns of a grid count, two lines or more."""
    height, width = shape
    return width < MARGIN_MIN_ASPECT * height and sum(len(list(_bands(runs.any(axis=1)))) for runs, _ in margins) < 2


def _thin_runs(runs: np.ndarray, height: int) -> np.ndarray:
    """The runs of a photo's rows (``_line_bands``) that are a line's: on average no thicker than
    ``LINE_MAX_THICKNESS`` of its ``height`` (and the band's two rows), where a digit drawn with a broad brush or
    marker fills many rows with runs as long as a line's. (A digit's stroke along a line thickens it only there.)"""
    labels, regions, areas = _components(runs)
    most = max(LINE_MIN_THICK_ROWS, round(LINE_MAX_THICKNESS * height)) + 2
    thin = np.zeros(len(areas), dtype=bool)
    for label, (_rows, columns) in enumerate(regions, start=1):
        thin[label] = areas[label] <= most * (columns.stop - columns.start)
    return thin[labels]


def _straightened_runs(
    mask: np.ndarray,
    strength: np.ndarray,
    find_runs: Callable[[np.ndarray, np.ndarray], np.ndarray],
    max_slope: float = LINE_MAX_SLOPE,
    complete_ruling: bool = False,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The runs of near-horizontal lines that ``find_runs`` finds in ``mask`` and its ink ``strength``, both
    straightened, each pass's runs with the per-column shifts that straightened them.

    A photographed sheet is seldom square to the frame, and under perspective its lines are not parallel
    either, nor parallel to the sheet's edge: the lines are straightened at the slope that suits most of them,
    then looked for again at the slope that suits most of the ink left, up to ``LINE_PASSES`` times, each time
    at slopes up to ``max_slope``. With ``complete_ruling``, lines that a regular ruling has where none was found
    are added (``_ruling_completed``).
    """
    found: list[tuple[np.ndarray, np.ndarray]] = []
    left = strength
    for _pass in range(LINE_PASSES):
        shifts = _line_shifts(left, max_slope)
        if any(np.array_equal(shifts, earlier) for _runs, earlier in found):
            break  # what is left suits a slope already tried: its lines were found then
        straight_strength = _shear(strength, shifts)
        runs = find_runs(_shear(mask, shifts), straight_strength)
        if complete_ruling:
            runs = _ruling_completed(runs, straight_strength)
        if not runs.any():
            break
        found.append((runs, shifts))
        taken = _shear(ndimage.maximum_filter1d(runs, size=5, axis=0), -shifts)
        left = np.where(taken, np.float32(0.0), left)
    return found


def _ruling_completed(runs: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """``runs`` (straightened line runs) with the lines a regular ruling has where none was found: rows spaced
    as the lines found are (``RULING_*``) along which the ink ``strength`` is a line's (``LINE_EVIDENCE``)."""
    rows = runs.any(axis=1)
    found = [(start + stop - 1) / 2 for start, stop in _bands(rows)]
    if len(found) < RULING_MIN_LINES:
        return runs
    gaps = np.diff(found)
    period = float(gaps.min())
    steps = np.round(gaps / period)
    if period < 4 or np.abs(gaps - steps * period).max() > RULING_TOLERANCE * period:
        return runs
    expected = [found[0] - k * period for k in range(1, int(found[0] / period) + 1)]
    expected += [found[-1] + k * period for k in range(1, int((rows.size - 1 - found[-1]) / period) + 1)]
    for start, gap, step in zip(found, gaps, steps):
        expected += [start + k * gap / step for k in range(1, int(step))]
    completed = runs.copy()
    for centre in expected:
        row = int(round(centre))
        band = strength[max(0, row - 1) : row + 2].max(axis=0) > LINE_EVIDENCE
        if band.mean() >= RULING_MIN_COVER:
            completed[max(0, row - 1) : row + 2] |= band
    return completed


def _beyond_the_rest_straightened(
    found: list[tuple[np.ndarray, np.ndarray]], mask: np.ndarray, beyond_sheet: bool, edge_to_edge: bool = False
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Of the runs found in a photo, each pass's straightened by its shifts (``_straightened_runs``), the
    components that reach beyond the rest of the ink (``mask``) at both ends along the rows, with their shifts.

    The rest leaves out every run found and the rows of runs that cross nearly the whole image from edge to
    edge, so that a line's faint ends are not taken for ink it must reach beyond; it leaves out specks (dust,
    noise, the paper's edge) and, with ``beyond_sheet`` (paper, not a drawing canvas), ink that hugs the photo's
    border (the table beyond a sheet shot at a tilt) and small solid round marks standing apart (a punched hole
    by a line's end, ``_solid_marks``). Runs on the same rows count as one line: a line that passes behind a
    digit may be found as two runs, one on each side. With ``edge_to_edge`` (the rows of a number, whose digits
    are each far narrower than the image), a line ``LINE_EDGE_SHARE`` of the width long is a line whatever ink
    lies beyond its ends: it fades under the mask's level towards one side, or stops at a digit by the edge.
    """
    passes = []  # each pass's runs labelled, once, with the columns each line spans (``_line_spans``)
    for runs, shifts in found:
        labels, _count = ndimage.label(runs, structure=EIGHT_CONNECTED)
        regions = ndimage.find_objects(labels)
        passes.append((labels, regions, shifts, _line_spans(regions, _shear(mask, shifts))))
    near = np.zeros_like(mask)
    for labels, regions, shifts, spans in passes:
        band = ndimage.maximum_filter1d(labels > 0, size=5, axis=0)
        for (rows, columns), (start, stop) in zip(regions, spans):
            if stop - start >= LINE_EDGE_SHARE * labels.shape[1]:
                band[rows] = True
            around = slice(max(0, rows.start - 2), rows.stop + 2)
            band[around, start : columns.start] = True  # where it runs on unfound
            band[around, columns.stop : stop] = True
        near |= _shear(band, -shifts)
    rest = mask & ~near
    if beyond_sheet:
        rest &= ~_solid_marks(mask)
    if rest.any():
        rest_labels, count = ndimage.label(rest, structure=EIGHT_CONNECTED)
        kept = np.bincount(rest_labels.ravel(), minlength=count + 1) >= LINE_REST_MIN_SHARE * rest.size
        if beyond_sheet:
            # A line found by the border cuts what lies beyond the sheet off it: near it, it still hugs it.
            reach = max(1, round(HUG_REACH * max(mask.shape)))
            kept &= ~_hugging(rest_labels, ndimage.find_objects(rest_labels), reach)
        kept[0] = False
        rest = kept[rest_labels]
    positions = np.flatnonzero(rest.any(axis=0))
    margin = 0.05 * mask.shape[1]
    for labels, regions, shifts, spans in passes:
        lines = np.zeros(labels.shape, dtype=bool)
        for index, region in enumerate(regions, start=1):
            same_line = [span for other, span in zip(regions, spans) if _overlaps(other[0], region[0])]
            start = min(span[0] for span in same_line)
            stop = max(span[1] for span in same_line)
            long = edge_to_edge and stop - start >= LINE_EDGE_SHARE * labels.shape[1]
            if long or positions.size == 0 or (start < positions[0] - margin and stop > positions[-1] + margin):
                lines[region] |= labels[region] == index
        if lines.any():
            yield lines, shifts


def _line_spans(regions: list[tuple[slice, slice]], mask: np.ndarray) -> list[tuple[int, int]]:
    """The columns (start, stop) each straightened line run (``regions``) spans, taken on to the image's edge where
    the line runs on unfound beyond what stops it: ``mask`` (straightened) holds ink in the run's rows (and one
    more on each side), and none two and three rows further out, from that edge inward along at least
    ``LINE_RUN_ON`` of the width, with gaps of at most ``LINE_RUN_GAP`` columns (where other lines were taken out).
    A run along the image's top or bottom edge (the sheet's edge, the table beyond it) is taken as found.

    A line that a digit crosses may be found only up to the digit, where its part beyond is too short to count on
    its own (a grid's column through the last digit of a number): that part is the line's, not ink the line must
    reach beyond.
    """
    height, width = mask.shape
    spans = []
    for rows, columns in regions:
        if rows.start < 4 or rows.stop + 4 > height:  # along the image's edge: the sheet's, or what lies beyond
            spans.append((columns.start, columns.stop))
            continue
        drawn = mask[rows.start - 1 : rows.stop + 1].any(axis=0)
        beside = mask[rows.start - 4 : rows.start - 2].any(axis=0)
        beside |= mask[rows.stop + 2 : rows.stop + 4].any(axis=0)
        broad = mask[rows.start - 4 : rows.stop + 4].all(axis=0)
        drawn &= ~beside  # a line is thin: what lies beyond the sheet is broad
        bridged = _closed_along(drawn, LINE_RUN_GAP)
        least = LINE_RUN_ON * width
        start, stop = columns.start, columns.stop
        if start > 0 and (bridged[:start].all() or _run_from_edge(bridged, broad) >= least):
            start = 0
        if stop < width and (bridged[stop:].all() or _run_from_edge(bridged[::-1], broad[::-1]) >= least):
            stop = width
        spans.append((start, stop))
    return spans


def _run_from_edge(drawn: np.ndarray, broad: np.ndarray) -> int:
    """How far a line's ink (``drawn``, along it) runs in from the image's edge at index 0, or from the sheet's
    edge where what lies beyond the sheet covers the image's edge (``broad``: ink all across the line's rows;
    the line may start up to ``LINE_RUN_GAP`` beyond it, where the sheet's edge is ragged)."""
    start = beyond = _leading(broad)
    if beyond:
        ahead = drawn[beyond : beyond + LINE_RUN_GAP + 1]
        start = beyond + int(np.argmax(ahead)) if ahead.any() else drawn.size
    return _leading(drawn[start:])


def _leading(values: np.ndarray) -> int:
    """How many of ``values`` are True from the first on."""
    return values.size if values.all() else int(np.argmin(values))


def _solid_marks(mask: np.ndarray) -> np.ndarray:
    """The small solid round marks of ``mask`` standing apart (punched holes, pin heads), with the pixels round
    them: what an opening by a 3x3 square keeps (no pen stroke or line is that broad) where it is a blob
    (``is_blob``) at most ``SOLID_MARK_MAX_SHARE`` of the image's longer side, and nothing else it keeps lies
    within the blob's size (the pieces of a broad digit that lines cut lie close together)."""
    core = ndimage.binary_opening(mask, structure=np.ones((3, 3), dtype=bool))
    if not core.any():
        return core
    labels, marks = stroke_components(core)
    solid = np.zeros(len(marks) + 1, dtype=bool)
    for mark in marks:
        small = max(mark.box[2:]) <= SOLID_MARK_MAX_SHARE * max(mask.shape)
        solid[mark.label] = small and is_blob(labels, mark) and _apart(mark, marks)
    return ndimage.binary_dilation(solid[labels], iterations=1) & mask


def _hugging(labels: np.ndarray, regions: list[tuple[slice, slice]], reach: int = 1) -> np.ndarray:
    """For each label (its ``regions`` from ``ndimage.find_objects``), whether its pixels hug the image's border,
    as what lies beyond a photographed sheet does: ``BORDER_HUG_SHARE`` of its longer side lies on it
    (``COMPACT_HUG_SHARE`` for a compact mark), or within ``reach`` pixels of it (``_border_contact``)."""
    contact = _border_contact(labels, len(regions), reach)
    if not contact[1:].any():
        return np.zeros(len(regions) + 1, dtype=bool)  # nothing reaches the border (a lone digit)
    extents = np.zeros((len(regions) + 1, 2))
    for label, (rows, columns) in enumerate(regions, start=1):
        extents[label] = rows.stop - rows.start, columns.stop - columns.start
    longer, shorter = extents.max(axis=1), extents.min(axis=1)
    share = np.where(longer <= COMPACT_ASPECT * shorter, COMPACT_HUG_SHARE, BORDER_HUG_SHARE)
    hugging = contact >= share * longer
    hugging[0] = False
    return hugging


def _beyond_the_sheet(mask: np.ndarray, widest_line: int = 0) -> np.ndarray:
    """What lies beyond a photographed sheet (a table, the dark round a sheet shot at a tilt): the parts of
    ``mask`` thicker than any line (``SHEET_BEYOND_THICKNESS`` of the photo's longer side, and than the widest
    band of rows a line found covers, ``widest_line``) that hug its border. Lines are not cut out of it: its
    pieces would pass for digits. (A margin line drawn with a broad pen, joined to the border by the sheet's edge,
    is no such part: left in, a digit touching it was taken with it for a piece of line.)"""
    side = max(3, round(SHEET_BEYOND_THICKNESS * max(mask.shape)))
    side = max(side, min(widest_line, 2 * side))
    thick = mask
    for filter1d in (ndimage.minimum_filter1d, ndimage.maximum_filter1d):  # an opening by a square, side by side
        thick = filter1d(filter1d(thick, size=side, axis=0, mode="nearest"), size=side, axis=1, mode="nearest")
    labels, _count = ndimage.label(thick, structure=EIGHT_CONNECTED)
    return _hugging(labels, ndimage.find_objects(labels))[labels]


def _margin_lines(rows: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """The margin lines found at ``rows`` of a photo turned on its side and straightened by ``shifts``, back in
    the turned photo's pixels: each runs the sheet's whole height, also where it fades or a digit crosses it.

    A band along the photo's edge is no margin line but what lies beyond the sheet (a table, a scanner's lid):
    it is left whole, for the border rules of ``find_strokes`` (a piece of it cut off would pass for a 1).
    """
    lines = np.zeros((rows.size, shifts.size), dtype=bool)
    for start, stop in _bands(rows):
        band = np.zeros_like(rows)
        band[start:stop] = True
        line = _shear(np.broadcast_to(band[:, np.newaxis], lines.shape), -shifts)
        if not (line[0].any() or line[-1].any()):
            lines |= line
    return lines


def _beyond_the_rest(runs: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The components of ``runs`` that reach beyond the rest of the ink in ``mask`` at both ends along the rows
    (in a digit-sized crop; photos use ``_beyond_the_rest_straightened``)."""
    if not runs.any():
        return runs
    near = ndimage.maximum_filter1d(runs, size=5, axis=0)
    labels, _count = ndimage.label(runs, structure=EIGHT_CONNECTED)
    positions = np.flatnonzero((mask & ~near).any(axis=0))
    lines = np.zeros_like(runs)
    margin = 0.05 * runs.shape[1]
    for index, region in enumerate(ndimage.find_objects(labels), start=1):
        start, stop = region[1].start, region[1].stop
        # The crop cuts a ruled line: it runs from edge to edge (a 2's base or a 7's bar, however wide, does not
        # unless the crop is cut to it, and then it is framed first).
        edge_to_edge = start <= margin and stop >= runs.shape[1] - margin
        if edge_to_edge and (positions.size == 0 or (start < positions[0] - margin and stop > positions[-1] + margin)):
            lines[region] |= labels[region] == index
    return lines


def _overlaps(a: slice, b: slice) -> bool:
    return a.start < b.stop and b.start < a.stop


def stroke_contrast(ink: InkMap, labels: np.ndarray, stroke: Stroke) -> float:
    """How dark a stroke's ink really is (``InkMap.contrast`` of its 90th percentile strength)."""
    x, y, w, h = stroke.box
    strengths = ink.ink[y : y + h, x : x + w][labels[y : y + h, x : x + w] == stroke.label]
    return ink.contrast(stats.percentile(strengths, 90))


def _box_frame(mask: np.ndarray, ruled: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """The pixels of a printed box drawn round other ink (a form's field), or of the cell a digit is written in
    in a comb of cells (a row of boxes sharing their walls). ``ruled`` holds the ruled lines already taken out of
    ``mask`` (a comb's rows run from edge to edge and are taken for ruled lines, its walls are not); ``strength``
    is the ink's strength, where lines are looked for in fainter ink too.

    A box is two straight lines along the rows (``ruled`` among them) and at least two straight lines along the
    columns that join the one to the other (a closed box's sides, a comb's walls), each at least
    ``FRAME_MIN_SHARE`` of the image's width or height (``_form_lines``), the sides printed with the lines' pen
    (``FRAME_WALL_RATIO``) and straight, at least that far apart with ink between them along ``FRAME_INSIDE_SHARE``
    of the box's height; the top and bottom must be drawn along at least ``FRAME_SIDE_COVER`` of the width between
    the outermost sides. A digit's stroke inside (a typed 1's stem) ends short of a line, or is bolder than the
    lines, and stays, and so do a digit's pixels beside a side it touches (only the line's own go). Returns the
    box's pixels of ``mask``; none when there is no such box, or not enough inside it.
    """
    height, width = mask.shape
    none = np.zeros_like(mask)
    across, down = max(8, int(FRAME_MIN_SHARE * width)), max(8, int(FRAME_MIN_SHARE * height))
    # A thin line that falls between two rows or columns of pixels is split between them, each under the ink
    # threshold: the lines are looked for in fainter ink too.
    faint = (strength > FRAME_FAINT_INK) | mask
    if not (_may_span(faint | ruled, across, down, axis=0) and _may_span(faint & ~ruled, down, across, axis=1)):
        return none
    along_rows = _form_lines(faint | ruled, across) | ruled
    lines = _line_blocks(along_rows)
    if len(lines) < 2:
        return none
    along_columns = _form_lines((faint & ~ruled).T, down).T
    labels, _count = ndimage.label(along_columns, structure=EIGHT_CONNECTED)
    walls: dict[tuple[int, int], list[tuple[np.ndarray, slice, slice, float]]] = {}  # by the lines they join
    for label, (rows, columns) in enumerate(ndimage.find_objects(labels), start=1):
        joined = _joined_lines(lines, rows, down)
        if joined is None:
            continue
        line = (labels[rows, columns] == label).T
        width = _line_width(line)
        thin = width <= FRAME_WALL_RATIO * max(lines[joined[0]][2], lines[joined[1]][2]) + 2
        lean = MARGIN_MAX_SLOPE * (rows.stop - rows.start) + 1  # leaning as far as a margin line may
        if not thin or columns.stop - columns.start > width + lean:
            continue
        wall = _on_straight_line(line, width)
        if wall is not None:
            walls.setdefault(joined, []).append((wall.T, rows, columns, width))
    for (upper, lower), sides in walls.items():
        left, right = min(side[2].start for side in sides), max(side[2].stop for side in sides)
        if len(sides) < 2 or right - left <= across:
            continue
        edges = [slice(lines[index][0], lines[index][1] + 1) for index in (upper, lower)]
        if any(along_rows[rows, left:right].any(axis=0).mean() < FRAME_SIDE_COVER for rows in edges):
            continue
        width = float(np.median([side[3] for side in sides]))  # the pen the form was printed with
        inner_height = edges[1].start - edges[0].stop
        if width > FRAME_MAX_PEN_SHARE * inner_height:
            continue
        frame = np.zeros_like(mask)
        for wall, rows, columns, _width in sides:
            frame[rows, columns] |= wall
        for rows, outside_first in zip(edges, (True, False)):
            # The line goes whole, also where it runs on beyond the box (a comb's line not taken for a ruled one).
            columns = _line_extent(along_rows[rows], left, right)
            edge = _outer_line(along_rows[rows, columns], width, outside_first)
            frame[rows, columns] |= along_rows[rows, columns] if edge is None else edge
        inside = (mask & ~frame)[edges[0].stop : edges[1].start, left:right].any(axis=1)
        if np.count_nonzero(inside) >= FRAME_INSIDE_SHARE * inner_height:
            return frame & mask
    return none


def _line_blocks(along_rows: np.ndarray) -> list[tuple[int, int, float]]:
    """The lines in ``along_rows`` (pixels of straight lines along the rows), as blocks of rows that follow on from
    one another (a tilted line steps across several): each block's first and last row and its lines' thickness
    (their pixels in a column, the lower quartile: a digit's stroke that joins a line does not count)."""
    rows = np.flatnonzero(along_rows.any(axis=1))
    blocks = []
    for start, stop in _spread_runs(rows.tolist(), 1, along_rows.shape[0]):
        block = along_rows[start:stop]
        counts = block.sum(axis=0)
        drawn = np.sort(counts[counts > 0])
        blocks.append((start, stop - 1, float(drawn[drawn.size // 4])))
    return blocks


def _joined_lines(lines: list[tuple[int, int, float]], rows: slice, length: int) -> tuple[int, int] | None:
    """The two lines (their indices in ``lines``, from ``_line_blocks``) that a line along the columns spanning
    ``rows`` joins, the one at its top end and the other at its bottom end, at least ``length`` apart; None when
    it does not end on two such lines. It may cross a line by ``FRAME_BAND`` rows, not stop short of one."""
    first, last = rows.start, rows.stop - 1
    upper = [index for index, (top, bottom, _) in enumerate(lines) if top - FRAME_BAND <= first <= bottom + 1]
    lower = [index for index, (top, bottom, _) in enumerate(lines) if top - 1 <= last <= bottom + FRAME_BAND]
    if not upper or not lower or lines[lower[-1]][0] - lines[upper[0]][1] < length:
        return None
    return upper[0], lower[-1]


def _on_straight_line(line: np.ndarray, thickness: float) -> np.ndarray | None:
    """The pixels of a line drawn along the columns of ``line`` (a mask cut to it) that lie on it, ``thickness``
    thick, or None when it is not straight: the middle of its pixels in each column lies within
    ``FRAME_STRAIGHTNESS`` of the straight line fitted to them. The line is fitted to the columns where it is
    no thicker than it is drawn, and its ends, where its pixels mix with those of the lines it joins, are left
    out: a digit's stroke that touches it does not bend it, and keeps its pixels off the line.
    """
    rows, columns = np.nonzero(line)
    length = line.shape[1]
    counts = np.bincount(columns, minlength=length)
    middles = np.bincount(columns, weights=rows, minlength=length) / np.maximum(counts, 1)
    inner = np.zeros(length, dtype=bool)
    inner[FRAME_BAND : length - FRAME_BAND] = True
    fit = inner & (counts > 0) & (counts <= thickness + 1)
    if np.count_nonzero(fit) < 2:
        return None
    positions = np.flatnonzero(fit)
    slope, offset = np.polyfit(positions, middles[fit], 1)
    if np.abs(middles[fit] - (slope * positions + offset)).max() > FRAME_STRAIGHTNESS:
        return None
    distance = np.abs(rows - (slope * columns + offset))
    on_line = np.zeros_like(line)
    near = distance <= thickness / 2 + 1
    on_line[rows[near], columns[near]] = True
    return on_line


def _line_extent(block: np.ndarray, left: int, right: int) -> slice:
    """The columns of the lines in ``block`` (pixels of straight lines along the rows) that run between columns
    ``left`` and ``right``, as far as they run."""
    labels, _count = ndimage.label(block, structure=EIGHT_CONNECTED)
    between = np.unique(labels[:, left:right])
    regions = [region for label, region in enumerate(ndimage.find_objects(labels), start=1) if label in between]
    return slice(min(region[1].start for region in regions), max(region[1].stop for region in regions))


def _line_width(line: np.ndarray) -> float:
    """How thick a line drawn along the columns of ``line`` (a mask cut to it) is: the median of its pixels in a
    column, where a stroke that touches it does not count."""
    counts = line.sum(axis=0)
    return float(np.median(counts[counts > 0]))


def _outer_line(line: np.ndarray, thickness: float, outside_first: bool) -> np.ndarray | None:
    """The pixels of a box's top or bottom drawn along the columns of ``line`` (a mask cut to it), ``thickness``
    thick, with the box's outside at its first row (``outside_first``) or its last. They lie within ``thickness``
    of its outer edge, fitted as a straight line to each column's outermost pixel (a digit's stroke that joins it
    from inside keeps its own pixels); None when that edge is not straight (``FRAME_EDGE_STRAIGHTNESS``)."""
    rows, columns = np.nonzero(line)
    if not outside_first:
        rows = line.shape[0] - 1 - rows
    outermost = np.full(line.shape[1], line.shape[0])
    np.minimum.at(outermost, columns, rows)
    drawn = np.flatnonzero(outermost < line.shape[0])
    if drawn.size < 2:
        return None
    slope, offset = np.polyfit(drawn, outermost[drawn], 1)
    if np.abs(outermost[drawn] - (slope * drawn + offset)).max() > FRAME_EDGE_STRAIGHTNESS:
        return None
    near = rows - (slope * columns + offset) <= thickness + 1
    if not outside_first:
        rows = line.shape[0] - 1 - rows
    edge = np.zeros_like(line)
    edge[rows[near], columns[near]] = True
    return edge


def _may_span(mask: np.ndarray, length: int, apart: int, axis: int) -> bool:
    """Whether ``mask`` may hold two lines across ``axis`` (0: along the rows) at least ``length`` long and ``apart``
    pixels apart, as ``_form_lines`` finds them: bands ``FRAME_BAND`` wide that far apart hold at least half that
    many pixels (a line's gaps bridged are shorter than what is drawn). A lone digit's strokes seldom do, and the
    search for a box round it is skipped."""
    band = mask.copy()  # grown by FRAME_BAND // 2 pixels each way across ``axis``, as a maximum filter would
    for step in range(1, FRAME_BAND // 2 + 1):
        if axis == 0:
            band[step:] |= mask[:-step]
            band[:-step] |= mask[step:]
        else:
            band[:, step:] |= mask[:, :-step]
            band[:, :-step] |= mask[:, step:]
    drawn = np.flatnonzero(band.sum(axis=1 - axis) * 2 >= length)
    return drawn.size > 0 and drawn[-1] - drawn[0] >= apart


def _form_lines(mask: np.ndarray, length: int) -> np.ndarray:
    """The pixels of ``mask`` on straight lines along its rows at least ``length`` long, as a form's printed lines
    are: looked for in bands ``FRAME_BAND`` rows high with gaps up to ``FRAME_GAP`` bridged, so that a line a
    scan's rotation or a photo's perspective tilts, or whose thin anti-aliased steps fall under the ink threshold
    here and there, is found whole. Lines lying along the image's top or bottom edge (a sheet's edge, the table
    beyond it) are left out."""
    length |= 1  # odd windows: a run found is exactly as long as it is drawn
    thick = ndimage.maximum_filter1d(mask, size=FRAME_BAND, axis=0)
    bridge = FRAME_GAP + 1
    bridged = ndimage.minimum_filter1d(ndimage.maximum_filter1d(thick, size=bridge, axis=1), size=bridge, axis=1)
    full = ndimage.uniform_filter1d(bridged.astype(np.float32), size=length, axis=1, mode="constant") > 0.999
    lines = ndimage.maximum_filter1d(full, size=length, axis=1) & mask
    labels, _count = ndimage.label(lines, structure=EIGHT_CONNECTED)
    along_edge = np.zeros(labels.max() + 1, dtype=bool)
    along_edge[labels[[0, -1]]] = True
    along_edge[0] = False
    return lines & ~along_edge[labels]


def _stroke_pixels(labels: np.ndarray, stroke: Stroke) -> np.ndarray:
    """A stroke's own pixels in its box (boolean)."""
    x, y, w, h = stroke.box
    return labels[y : y + h, x : x + w] == stroke.label


def _region_box(region: tuple[slice, slice]) -> tuple[int, int, int, int]:
    """The box (x, y, w, h) of a region from ``ndimage.find_objects``."""
    rows, columns = region
    return columns.start, rows.start, columns.stop - columns.start, rows.stop - rows.start


def _border_contact(labels: np.ndarray, count: int, reach: int = 1) -> np.ndarray:
    """For each label, how many of its pixels lie on the image's outermost rows and columns (corners twice); with
    ``reach``, at how many of the border's pixels it is the first label met within ``reach`` pixels inward."""
    if reach == 1:
        edges = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
        return np.bincount(edges, minlength=count + 1)
    reach = min(reach, *labels.shape)
    seen = []
    for strip in (labels[:reach], labels[::-1][:reach], labels.T[:reach], labels.T[::-1][:reach]):
        first = np.argmax(strip > 0, axis=0)  # the border's own pixel where nothing lies within reach (0)
        seen.append(strip[first, np.arange(strip.shape[1])])
    return np.bincount(np.concatenate(seen), minlength=count + 1)


def find_strokes(ink: InkMap, *, one_digit: bool = False, keep_specks: bool = False) -> tuple[np.ndarray, list[Stroke]]:
    """Label the ink's connected components and drop ruled lines, dark borders and specks (``without_specks``; with
    ``keep_specks`` they stay), and with ``one_digit`` the lines of printed boxes (``_printed_box_lines``), and in a
    photo a printed box or a comb's cell round the digit and solid round marks apart from it (not in a number:
    there, without such a mark, a line's remnant beside it was read as a 1).

    Returns the label image and the kept strokes (largest first).
    """
    height, width = ink.mask.shape
    photo = max(height, width) > SMALL_IMAGE_SIDE
    mask = ink.mask
    if one_digit and photo and not ink.flat_paper:
        # A thumb in the frame: neither a digit nor ink a ruled line must reach beyond.
        mask = mask & ~_edge_blobs(ink)
    # Lines missing from a regular ruling are looked for round one digit only: in a number, one may lie along a
    # digit (a 1 on a column of the grid) and cut it into pieces read as digits of their own. (Paper of one exact
    # tone is taken to show no faint lines.)
    complete = one_digit and not ink.flat_paper
    # In a number, a faint line is not taken out where a pen's stroke crosses it or lies along it: cut, the
    # digit's pieces read as digits of their own. (Round one digit, measured, it fixed as many as it lost: the
    # pieces of a cut digit are chosen among, and a line's darker stretch by it was read with it.)
    ruled = _ruled_lines(mask, ink.ink, flat_paper=ink.flat_paper, complete_ruling=complete, in_number=not one_digit)
    if one_digit and ruled.any():
        # A printed box's top and bottom are long runs too: taken out as lines, its sides were read as 1s. Its
        # lines go first, and the ruled lines are looked for again without them.
        boxes = _printed_box_lines(*_components(mask), ink.flat_paper)
        if boxes.any():
            mask = mask & ~boxes
            ruled = _ruled_lines(mask, ink.ink, flat_paper=ink.flat_paper, complete_ruling=complete)
    mask = mask & ~ruled
    # Only round one digit: the straight sides of a number's bold typed digits can pass for a box's.
    if one_digit and photo:
        mask &= ~_box_frame(mask, ruled, ink.ink)
    labels, regions, areas = _components(mask)
    if one_digit:
        # A printed box (a form's cell) is no digit nor part of one; a digit touching it keeps its strokes.
        boxes = _printed_box_lines(labels, regions, areas, ink.flat_paper)
        if boxes.any():
            mask = mask & ~boxes
            labels, regions, areas = _components(mask)
    if not regions:
        return labels, []
    strokes = []
    for index, region in enumerate(regions, start=1):
        strokes.append(Stroke(label=index, box=_region_box(region), area=int(areas[index])))

    def touches_border(stroke: Stroke) -> bool:
        x, y, w, h = stroke.box
        return x == 0 or y == 0 or x + w == width or y + h == height

    hugs = _hugging(labels, regions) if photo else None

    def cut_close(stroke: Stroke) -> bool:
        # A number cropped close on a drawing canvas or a page made on a computer: its first or last digit
        # touches the border, spanning the height and hugging the edge as a frame would, and is as tall as the
        # digits clear of the border. (In a photo, the table beyond the sheet can be too.)
        _, _, w, h = stroke.box
        tallest = max((s.box[3] for s in interior), default=0)
        return (
            not one_digit
            and ink.flat_paper
            and w <= 0.7 * width
            and CUT_CLOSE_LOW * tallest <= h <= CUT_CLOSE_HIGH * tallest
        )

    def hugging(stroke: Stroke) -> bool:
        return photo and bool(hugs[stroke.label])

    def is_frame(stroke: Stroke) -> bool:
        if not touches_border(stroke) or cut_close(stroke):
            return False
        _, _, w, h = stroke.box
        solid = stroke.area / (w * h) > 0.7 and w * h > 0.1 * width * height
        spanning = w > 0.7 * width or h > 0.7 * height
        if spanning and ink.flat_paper:
            # On a drawing canvas, a digit drawn with a huge brush spans it edge to edge: no frame.
            spanning = stroke_width(_stroke_pixels(labels, stroke)) < HUGE_BRUSH_SHARE * max(w, h)
        # A thin straight mark from the border half across a photo or scan is the page's edge or a line's end.
        line = photo and max(w, h) >= BORDER_LINE_ASPECT * min(w, h) and (h >= height / 2 if h > w else w >= width / 2)
        return solid or spanning or line or hugging(stroke)

    if photo:
        # Uneven light (a shadow's edge, a dark corner) leaves faint ink along the border of a photo, and
        # nothing else does: ink that reaches the border must be clearly darker than the paper to count.
        # Nor is what touches the border less than half as dark as the darkest mark clear of it (a thumb's rim
        # beside a digit), specks apart.
        marks = without_specks(sorted(strokes, key=lambda s: s.area, reverse=True))[0]
        clear = max((stroke_contrast(ink, labels, s) for s in marks if not touches_border(s)), default=0.0)
        least = max(BORDER_MIN_CONTRAST, BORDER_RELATIVE_CONTRAST * clear)
        strokes = [s for s in strokes if not (touches_border(s) and stroke_contrast(ink, labels, s) < least)]
        if not ink.flat_paper:
            # What lies beyond a photographed or scanned sheet is no digit even alone (a blank sheet shot at a
            # tilt). On a drawing canvas, a stroke may run along the edge: there it goes only when a digit remains.
            strokes = [s for s in strokes if not hugging(s)]
        if not strokes:
            return labels, []
    largest = max(stroke.area for stroke in strokes)
    interior = [s for s in strokes if not touches_border(s) and s.area >= SPECK_FRACTION * largest]
    if interior:
        # Shadows, table edges and frames touch the border; drop them only when something else remains.
        strokes = [s for s in strokes if not is_frame(s)]
    if not strokes:
        return labels, []
    if one_digit:
        strokes = _without_rings(ink, labels, strokes)
    if one_digit and photo:
        # A solid round mark standing apart (a punched hole, a magnet, a pin's head) is no pen stroke. Next to
        # other ink it may be a piece of a bold digit that a ruled line cut off, and stays.
        strokes = [s for s in strokes if not (is_blob(labels, s) and _apart(s, strokes))] or strokes
    strokes.sort(key=lambda s: s.area, reverse=True)
    return labels, strokes if keep_specks else without_specks(strokes)[0]


def _convex(mask: np.ndarray) -> bool:
    """Whether a filled shape is nearly convex: at least RING_SOLIDITY of its convex hull (through its pixels'
    centres, so a small shape's pixels can count for more than its hull)."""
    points = np.argwhere(mask)
    try:
        hull = spatial.ConvexHull(points)
    except spatial.QhullError:  # all in a line
        return False
    return len(points) >= RING_SOLIDITY * hull.volume


def _without_rings(ink: InkMap, labels: np.ndarray, strokes: list[Stroke]) -> list[Stroke]:
    """The strokes without a loop drawn round the digit (a circled answer, a round cell): a convex loop
    (RING_SOLIDITY) whose inside holds other strokes in its middle (RING_OFF_CENTRE), together at least RING_HELD
    of the inside's height tall or of its larger side large, with room round them (RING_GAP). A digit's own loop
    holds nothing so large (a dotted zero's dot is a tenth of it); an outline glyph's outer contour holds its inner
    one a stroke's width away all round, or off its middle (a 6's loop). A loop drawn finer or fainter than the
    digit breaks into arcs: it is traced in its faint ink too (RING_INK), the strokes along it going with it, and
    where it is still open, closed across gaps of a pixel or two."""
    if len(strokes) < 2:
        return strokes
    loops = ndimage.label(ink.mask | (ink.ink > RING_INK), structure=EIGHT_CONNECTED)[0]
    loop_of = np.zeros(int(labels.max()) + 1, dtype=np.int64)
    loop_of[labels.ravel()] = loops.ravel()  # each stroke lies in one loop's ink
    rings = set()
    for loop, region in enumerate(ndimage.find_objects(loops), start=1):
        if region is None or min(region[0].stop - region[0].start, region[1].stop - region[1].start) < RING_MIN_SIDE:
            continue
        own = loops[region] == loop
        inside = ndimage.binary_fill_holes(own) & ~own
        if not inside.any():  # a fine loop's stroke broken for a pixel or two
            own = ndimage.binary_dilation(own, structure=EIGHT_CONNECTED)
            inside = ndimage.binary_fill_holes(own) & ~own
        inside_labels = set(np.unique(labels[region][inside]).tolist())
        held = [s for s in strokes if s.label in inside_labels and loop_of[s.label] != loop]
        if not held:
            continue
        rows, columns = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
        tall, wide = rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1
        x, y, w, h = union_box([s.box for s in held])
        if max(h / tall, max(w, h) / max(tall, wide)) < RING_HELD:
            continue
        off_x = abs(x + w / 2 - region[1].start - (columns[0] + columns[-1] + 1) / 2) / wide
        off_y = abs(y + h / 2 - region[0].start - (rows[0] + rows[-1] + 1) / 2) / tall
        if max(off_x, off_y) > RING_OFF_CENTRE:
            continue
        # An outline glyph's outer contour holds its inner one a stroke's width inside it all round, or is the
        # digit's shape round its loop (a 6's, with the hook of its stem): a loop drawn round a digit is convex.
        gap = inside & ~ndimage.binary_fill_holes(np.isin(labels[region], [s.label for s in held]))
        if _width(gap) >= RING_GAP * max(own.shape) and _convex(own | inside):
            rings.add(loop)
    return [stroke for stroke in strokes if loop_of[stroke.label] not in rings] if rings else strokes


def _apart(stroke: Stroke, strokes: list[Stroke]) -> bool:
    """Whether no other stroke lies within the stroke's own size of it."""
    size = max(stroke.box[2:])
    return all(other is stroke or box_gap(other.box, stroke.box) > size for other in strokes)


def is_blob(labels: np.ndarray, stroke: Stroke) -> bool:
    """Whether a stroke is a solid, roughly round mark rather than a line: its box nearly square (``BLOB_ASPECT``),
    mostly filled (``BLOB_SOLIDITY``) and its stroke as wide as a good share of it (``BLOB_WIDTH``: a disc's is
    half its diameter), with no room for a digit's loop."""
    _, _, w, h = stroke.box
    if max(w, h) > BLOB_ASPECT * min(w, h) or stroke.area < BLOB_SOLIDITY * w * h:
        return False
    return stroke_width(_stroke_pixels(labels, stroke)) >= BLOB_WIDTH * max(w, h)


def _edge_blobs(ink: InkMap) -> np.ndarray:
    """The ink of solid objects coming into a photo from beyond its edge (a thumb, a finger): marks touching the
    border that are the rim of a blob whose middle holds ink too (``_is_edge_blob``)."""
    mask = ink.mask
    if not (mask[0].any() or mask[-1].any() or mask[:, 0].any() or mask[:, -1].any()):
        return np.zeros_like(mask)
    labels, count = ndimage.label(mask, structure=EIGHT_CONNECTED)
    regions = ndimage.find_objects(labels)
    blobs = np.zeros(count + 1, dtype=bool)
    for label in np.flatnonzero(_border_contact(labels, count)[1:]) + 1:
        blobs[label] = _is_edge_blob(ink, labels, label, _region_box(regions[label - 1]))
    return blobs[labels]


def _is_edge_blob(ink: InkMap, labels: np.ndarray, label: int, box: tuple[int, int, int, int]) -> bool:
    """Whether the mark ``label`` (its ``box``), touching the border, is the broad rim of a solid object coming in
    from beyond it (a thumb): closed against the border it is a solid blob, and the middle it encloses there, where
    there is no mark, holds faint ink (``EDGE_BLOB_*``)."""
    x, y, w, h = box
    height, width = labels.shape
    mark = labels[y : y + h, x : x + w] == label
    if stroke_width(mark) < EDGE_BLOB_RIM * max(w, h):
        return False
    closed = np.pad(mark, 1)
    closed[0] |= y == 0
    closed[-1] |= y + h == height
    closed[:, 0] |= x == 0
    closed[:, -1] |= x + w == width
    filled = ndimage.binary_fill_holes(closed)[1:-1, 1:-1]
    if np.count_nonzero(filled) < EDGE_BLOB_SOLIDITY * w * h or stroke_width(filled) < EDGE_BLOB_WIDTH * max(w, h):
        return False
    middle = filled & ~ink.mask[y : y + h, x : x + w]
    return bool(middle.any()) and float(ink.ink[y : y + h, x : x + w][middle].mean()) >= EDGE_BLOB_INTERIOR


def without_specks(strokes: list[Stroke]) -> tuple[list[Stroke], list[Stroke]]:
    """Strokes (largest first) parted into those kept and the specks: small and compact beside the largest (dust,
    noise, a pen tap). A thin bar (a 5's top) is small but long, and stays."""
    if not strokes:
        return [], []
    largest, extent = strokes[0].area, max(strokes[0].box[2:])
    kept, specks = [], []
    for stroke in strokes:
        speck = stroke.area < max(2, SPECK_FRACTION * largest) and max(stroke.box[2:]) < 0.25 * extent
        (specks if speck else kept).append(stroke)
    return kept, specks


def union_box(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    """The smallest (x, y, w, h) box holding every box given."""
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def digit_strokes(strokes: list[Stroke], *, underlined: bool = False) -> list[Stroke]:
    """The strokes of the main digit: the largest stroke and, step by step, those close to what is chosen.

    Growing step by step keeps a digit whole when it is drawn in several strokes (a 5's bar, a 4 in two
    strokes) or cut into pieces where a ruled line crossed it. A flat piece (a 5's bar, or what a ruled line
    left) joins the digit it is near but does not reach further for it: pieces of lines would chain a digit to
    every mark along them. With ``underlined`` (a photo or a drawing, not a crop such as MNIST's: there a 3's
    lower bowl can be a flat stroke apart), nor does a line drawn under the digit, wholly below it and most of its
    width long: a 2's base is drawn down to from its curve. Such a line, even the largest stroke, is no start:
    the largest upright stroke above it is.
    """
    first = strokes[0]
    if underlined and is_flat(first.box):
        y = first.box[1]
        above = [s for s in strokes if not is_flat(s.box) and s.box[1] < y and _overlap_x(s.box, first.box)]
        first = above[0] if above else first
    chosen, rest = [first], [stroke for stroke in strokes if stroke is not first]
    grew = True
    while grew and rest:
        core = [stroke for stroke in chosen if not is_flat(stroke.box)] or chosen
        x, y, w, h = union_box([stroke.box for stroke in core])
        reach = 0.35 * max(w, h)
        upright = underlined and core is not chosen
        near = [
            s
            for s in rest
            if box_gap(s.box, (x, y, w, h)) <= reach and not (upright and underlines(s.box, (x, y, w, h)))
        ]
        grew = bool(near)
        chosen += near
        rest = [s for s in rest if s not in near]
    return chosen


def _overlap_x(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether two boxes (x, y, w, h) share some columns."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2]


def underlines(box: tuple[int, int, int, int], digit: tuple[int, int, int, int], height: int | None = None) -> bool:
    """Whether a stroke's box is a line drawn under a digit's box: flat, below it and most of its width. Below: its
    top may reach up beside the digit's foot by a pixel, or by half its own height where it is longer than
    UNDERLINE_DIGITS_SPAN times the digits' ``height`` (the box's by default): slanting or wavy under a number."""
    long = box[2] >= UNDERLINE_DIGITS_SPAN * (digit[3] if height is None else height)
    below = box[1] + (box[3] // 2 if long else 1) >= digit[1] + digit[3]
    return is_flat(box) and below and box[2] >= UNDERLINE_SPAN * digit[2]


def touching_underline(keep: np.ndarray, *, several: bool = False) -> np.ndarray | None:
    """A line drawn under a digit and touching it, as a mask of ``keep`` (the digit's strokes in their box), or
    None: the lowest ink of nearly every column, straight and thin, which the digit meets with the line reaching on
    beyond it on both sides (see UNDERLINE_TOUCHING_SPAN), or on one side only where it was drawn with a finer pen
    than the digit (UNDERLINE_OTHER_PEN). A 7's or a 9's stem meets an underline somewhere along it, or crosses it
    (poking below it over a stroke's width or two: the line's foot is taken to run on past it); a 2's base is
    often such a line too (``Normalized.uncut`` keeps the reading with it). With ``several`` (the
    digits of a number), the line runs alone between digits meeting it, under a mark wider than a digit
    (UNDERLINE_DIGITS_SPAN), or on beyond them further than a digit is wide (UNDERLINE_ALONE) instead.
    """
    height, width = keep.shape
    if width < UNDERLINE_ASPECT * height or height < 4:
        return None
    # Each column's lowest ink; where a stroke crosses the line and pokes below it (a stroke's width or two), the
    # line's foot runs on past it.
    lowest = _lowest_ink(keep)
    bottom = ndimage.median_filter(lowest, size=4 * int(round(stroke_width(keep))) + 1, mode="nearest")
    bottom = np.where(lowest >= 0, np.minimum(bottom, lowest), -1)
    run = _runs_up(keep, bottom)
    low = bottom >= height - max(3, int(UNDERLINE_ZONE * height))
    # The longest run of low columns, each column's lowest ink within a pixel of the last one's.
    ids = np.cumsum(np.r_[True, np.abs(np.diff(bottom)) > 1] | ~low)
    ids[~low] = 0
    counts = np.bincount(ids)
    counts[0] = 0
    if counts.max() < UNDERLINE_TOUCHING_SPAN * width:
        return None
    columns = np.flatnonzero(ids == counts.argmax())
    along, lowest = columns.astype(np.float64), bottom[columns].astype(np.float64)
    slope = np.cov(along, lowest, bias=True)[0, 1] / along.var()
    bend = np.abs(lowest - lowest.mean() - slope * (along - along.mean())).max()
    if abs(slope) > UNDERLINE_SLOPE or bend > UNDERLINE_BEND:
        return None
    # Ink runs up from each column's lowest: the line's thickness, and more where the digit meets it.
    thickness = int(round(float(np.median(run[columns]))))
    met = columns[run[columns] >= thickness + 2]
    beyond = max(UNDERLINE_BEYOND * width, 2 * thickness + 1)
    if thickness > UNDERLINE_THIN * height or not met.size:
        return None
    line = np.zeros_like(keep)
    line[:, columns] = np.arange(height)[:, np.newaxis] >= bottom[columns] - thickness
    line &= keep
    left, right = met[0] - columns[0], columns[-1] - met[-1]
    if several:
        tall = height - thickness
        apart = np.diff(met) > 2 * thickness + 1  # the line runs alone between digits meeting it
        if (
            not (apart.any() and columns.size >= UNDERLINE_DIGITS_SPAN * tall)
            and max(left, right) < UNDERLINE_ALONE * tall  # ... or beyond them
        ):
            return None
    elif min(left, right) < beyond and (max(left, right) < beyond or underline_pen(keep, line) >= UNDERLINE_OTHER_PEN):
        return None
    return line


def _lowest_ink(keep: np.ndarray) -> np.ndarray:
    """Each column's lowest ink: its row, -1 in an empty column."""
    return np.where(keep, np.arange(keep.shape[0])[:, np.newaxis], -1).max(axis=0)


def _runs_up(keep: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """The run of ink up from each column's row ``bottom``."""
    rows = np.arange(keep.shape[0])[:, np.newaxis]
    return bottom - np.where(~keep & (rows < bottom), rows, -1).max(axis=0)


def _above_underline(
    crop: np.ndarray, keep: np.ndarray, line: np.ndarray, box: tuple[int, int, int, int]
) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The crop and its box without an underline (``touching_underline``), and without the bits of its ends the
    line's mask left (specks beside the rest)."""
    labels, _regions, areas = _components(keep & ~line)
    areas[0] = 0
    rest = labels > 0 if len(areas) < 3 else (areas >= SPECK_FRACTION * areas.max())[labels]
    crop = np.where(_over_window(rest, 2, 2) & ~line, crop, 0.0)
    rows, columns = np.flatnonzero(rest.any(axis=1)), np.flatnonzero(rest.any(axis=0))
    top, left = int(rows[0]), int(columns[0])
    crop = crop[top : rows[-1] + 1, left : columns[-1] + 1]
    return crop.astype(np.float32), (box[0] + left, box[1] + top, crop.shape[1], crop.shape[0])


def is_flat(box: tuple[int, int, int, int]) -> bool:
    """Whether a box (x, y, w, h) is far wider than tall, as no digit is."""
    return box[2] > MAX_DIGIT_FLATNESS * box[3]


def border_margin(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> int:
    """How far ``box`` (x, y, w, h) lies from the nearest edge of an image of ``shape`` (0 when it touches one)."""
    height, width = shape[:2]
    x, y, w, h = box
    return min(x, y, width - x - w, height - y - h)


def box_gap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """The larger of the horizontal and vertical gaps between two boxes (0 when they overlap)."""
    gap_x = max(0, a[0] - (b[0] + b[2]), b[0] - (a[0] + a[2]))
    gap_y = max(0, a[1] - (b[1] + b[3]), b[1] - (a[1] + a[3]))
    return max(gap_x, gap_y)


def stroke_width(mask: np.ndarray) -> float:
    """Estimate the mean stroke width of a binary mask: twice its area over its boundary length."""
    area = np.count_nonzero(mask)
    if area == 0:
        return 0.0
    # Eroded by the 4-neighbourhood, nothing outside the image counting as ink: only pixels off the border remain.
    inner = mask[1:-1, 1:-1] & mask[:-2, 1:-1]
    inner &= mask[2:, 1:-1]
    inner &= mask[1:-1, :-2]
    inner &= mask[1:-1, 2:]
    boundary = area - np.count_nonzero(inner)
    return 2.0 * area / max(boundary, 1)


def fit_mnist(ink: np.ndarray) -> np.ndarray:
    """Fit a cropped ink image into MNIST form: stroke width normalised, longer side 20 px, centre of mass central.

    ``ink`` is float in [0, 1] (ink bright) cropped to the digit. Returns a float32 (28, 28) array in [0, 1].
    """
    height, width = ink.shape
    scale = FIT_SIDE / max(height, width)
    # A stroke's width is measured at half its ink's strength: faint or blurred ink (a photo's pencil, a small
    # digit out of focus) barely reaches 0.5, and measured there its strokes looked hairline and were thickened
    # into blobs (a 9's loop filled, read as an 8).
    width_px = stroke_width(ink > 0.5 * min(float(ink.max()), 1.0)) * scale
    if width_px < 0.75 * MNIST_STROKE_PX and scale < 1.0:
        # Thin pen strokes would fade to grey at 20 px: thicken them first, as a wider pen would have drawn.
        grow = int(round((MNIST_STROKE_PX - width_px) / scale))
        if grow >= 2:
            ink = _over_window(ink, (grow - 1) // 2, grow // 2)  # ndimage.grey_dilation(ink, size=grow)
    elif width_px > BROAD_STROKE * MNIST_STROKE_PX and scale < 1.0:
        # A broad brush fills a digit's loops and bends (a 5 read as an 8, a 4 as a 9): thin its strokes first,
        # as a narrower brush would have drawn them.
        shrink = int(round((width_px - BROAD_STROKE_TO * MNIST_STROKE_PX) / scale))
        if shrink >= 2:
            ink = _over_window(ink, (shrink - 1) // 2, shrink // 2, np.minimum)  # ndimage.grey_erosion
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    fitted = resample.resize(ink, size, Image.Resampling.LANCZOS)
    fitted = np.clip(fitted, 0.0, 1.0)
    peak = float(fitted.max())
    if peak <= 0:
        return np.zeros((MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    fitted = np.minimum(fitted / max(peak, 0.5), 1.0)

    canvas = np.zeros((MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    fh, fw = fitted.shape
    top, left = (MNIST_SIDE - fh) // 2, (MNIST_SIDE - fw) // 2
    canvas[top : top + fh, left : left + fw] = fitted
    total = canvas.sum()  # the centre of mass as scipy.ndimage computes it, without its overhead
    row, col = float((canvas * _ROWS).sum() / total), float((canvas * _COLS).sum() / total)
    shift_rows = int(round(MNIST_CENTRE[0] - row))
    shift_cols = int(round(MNIST_CENTRE[1] - col))
    # Keep the whole digit in the frame even when the shift would push it out.
    shift_rows = min(max(shift_rows, -top), MNIST_SIDE - fh - top)
    shift_cols = min(max(shift_cols, -left), MNIST_SIDE - fw - left)
    placed = np.zeros_like(canvas)
    placed[top + shift_rows : top + shift_rows + fh, left + shift_cols : left + shift_cols + fw] = fitted
    return placed


def _over_window(image: np.ndarray, before: int, after: int, combine: np.ufunc = np.maximum) -> np.ndarray:
    """``combine`` (np.maximum or np.minimum) over each pixel's window, from ``before`` pixels before it to
    ``after`` pixels after it along both axes, within the image. With np.maximum: a boolean mask grown by a square
    (``before == after == 1``: 3x3 dilation), or scipy's grey dilation of size ``before + after + 1``; with
    ``before == after``, scipy's maximum or minimum filter of that size with mode "nearest" (edges repeated or
    reflected add no new values)."""
    rows = image.copy()
    for step in range(1, before + 1):
        combine(rows[step:], image[:-step], out=rows[step:])
    for step in range(1, after + 1):
        combine(rows[:-step], image[step:], out=rows[:-step])
    both = rows.copy()
    for step in range(1, before + 1):
        combine(both[:, step:], rows[:, :-step], out=both[:, step:])
    for step in range(1, after + 1):
        combine(both[:, :-step], rows[:, step:], out=both[:, :-step])
    return both


def fill_outlines(crop: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Fill the insides of a hollow (outline) glyph's strokes, so that they become solid strokes as in MNIST.

    ``crop`` is ink in [0, 1] cut to one digit, ``keep`` its strokes' mask. An inside is a hole in the ink (after
    bridging the one-pixel gaps a sketchy contour leaves) that is thin, long and much wider than its contours,
    has only a contour between it and the outside, and whose contours are nearly all the glyph's ink. Real loops
    are round, or wide, or drawn with a stroke about as wide as the loop, or lined by only part of the ink (an
    8's loop), and the loops inside a hollow 0, 6, 8 or 9 lie behind the filled stroke: all stay open. Returns
    ``crop`` itself when nothing is filled, else a filled copy.
    """
    longer = max(crop.shape)
    wall = stroke_width(keep)
    # An inside is at least OUTLINE_MIN_WALL_RATIO times as wide as its contours and at most a share of the
    # digit's size: a digit drawn with broader strokes has none, and the search is skipped.
    if wall > 2.0 * OUTLINE_MAX_HALF_WIDTH * longer / OUTLINE_MIN_WALL_RATIO:
        return crop
    outline = crop > OUTLINE_INK
    # A 3x3 closing: the one-pixel gaps a sketchy contour leaves are bridged.
    closed = ~_over_window(~_over_window(outline, 1, 1), 1, 1)
    # An inside's area is at least its elongation times its half-width squared, and its half-width at least half
    # the wall ratio times the contours' width: smaller holes are no inside. Most digits have no room for one.
    least_area = OUTLINE_MIN_ELONGATION * (OUTLINE_MIN_WALL_RATIO * wall / 2.0) ** 2
    if _enclosed_bound(closed) < least_area:
        return crop
    background, count = ndimage.label(~closed, structure=FOUR_CONNECTED)  # holes as scipy's fill_holes finds them
    is_outside = np.zeros(count + 1, dtype=bool)
    is_outside[background[[0, -1]]] = True
    is_outside[background[:, [0, -1]]] = True
    areas = np.bincount(background.ravel(), minlength=count + 1)
    candidate = ~is_outside & (areas >= least_area)
    candidate[0] = False  # the ink
    if not candidate.any():
        return crop
    reach = int(np.ceil(wall)) + 2  # a contour and its anti-aliased edges
    outside = np.pad(is_outside[background], 1, constant_values=True)
    behind_one_contour = np.zeros(count + 1, dtype=bool)
    behind_one_contour[background[_over_window(outside, reach, reach)[1:-1, 1:-1]]] = True
    candidate &= behind_one_contour
    # The contours must be nearly all the ink: measured first for every candidate together, it rules out most
    # real loops (those of a 6, 8 or 9 are lined by part of the ink only) before the costlier measures.
    if not _lined(closed, candidate[background], reach):
        return crop
    holes = candidate[background]
    distance = ndimage.distance_transform_edt(holes)
    is_inside = np.zeros(count + 1, dtype=bool)
    for label in np.flatnonzero(candidate):
        half_width = float(distance[background == label].max())
        is_inside[label] = (
            half_width <= OUTLINE_MAX_HALF_WIDTH * longer
            and areas[label] >= OUTLINE_MIN_ELONGATION * half_width**2
            and 2.0 * half_width >= OUTLINE_MIN_WALL_RATIO * wall
        )
    fill = is_inside[background]
    if not fill.any() or not _lined(closed, fill, reach):
        return crop
    # The gaps bridged in the contours next to a filled inside are part of the stroke too.
    fill |= closed & ~outline & _over_window(fill, 1, 1)
    return np.where(fill, np.float32(1.0), crop)


def _enclosed_bound(ink: np.ndarray) -> int:
    """At least the area of the holes in ``ink`` (a boolean mask): the pixels without ink that have ink on both
    sides along their row and along their column (a hole's pixels all have)."""
    height, width = ink.shape
    rows, cols = np.arange(height)[:, np.newaxis], np.arange(width)[np.newaxis, :]
    left, right = ink.argmax(axis=1)[:, np.newaxis], width - 1 - ink[:, ::-1].argmax(axis=1)[:, np.newaxis]
    top, bottom = ink.argmax(axis=0)[np.newaxis, :], height - 1 - ink[::-1].argmax(axis=0)[np.newaxis, :]
    return np.count_nonzero((cols > left) & (cols < right) & (rows > top) & (rows < bottom) & ~ink)


def _lined(ink: np.ndarray, holes: np.ndarray, reach: int) -> bool:
    """Whether at least OUTLINE_WALL_SHARE of the ``ink`` lies within ``reach`` pixels of ``holes``."""
    return bool((ink & _over_window(holes, reach, reach)).sum() >= OUTLINE_WALL_SHARE * ink.sum())


def crop_strokes(
    ink: InkMap, labels: np.ndarray, chosen: list[Stroke], box: tuple[int, int, int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Cut ``box`` out of the ink map keeping only the chosen strokes and their anti-aliased edges.

    A hollow glyph's strokes are filled (``fill_outlines``). Returns the crop and the chosen strokes' mask.
    """
    x, y, w, h = box
    inside = labels[y : y + h, x : x + w]
    if len(chosen) == 1:
        keep = inside == chosen[0].label
    else:
        wanted = np.zeros(max(int(inside.max()), *(stroke.label for stroke in chosen)) + 1, dtype=bool)
        wanted[[stroke.label for stroke in chosen]] = True
        keep = wanted[inside]
    near = _over_window(keep, 2, 2)
    crop = np.where(near, ink.ink[y : y + h, x : x + w], 0.0).astype(np.float32)
    return fill_outlines(crop, keep), keep


def source_box(box: tuple[int, int, int, int], scale: float) -> tuple[int, int, int, int]:
    """A working-size box in the source image's pixels."""
    return tuple(int(round(value * scale)) for value in box)  # type: ignore[return-value]


def framed(gray: np.ndarray) -> tuple[np.ndarray, int]:
    """A crop cut to its digit's box (one mark within ``CROP_BAND`` of all four sides of the border, no printed box
    (``_printed_box``), and either all the ink there is or meeting two borders along less than half their length:
    the table beyond a photographed sheet shows in pieces along two or three) with a margin of its paper round it
    (``CROP_MARGIN`` of its longer side), and the margin's width; any other image as it is, and 0. The paper is the
    border's median tone: even cut to the digit's box, the border is mostly paper."""
    border = np.concatenate([gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]])
    paper = float(np.median(border))
    spread = max(float(gray.max()) - paper, paper - float(gray.min()))
    if spread < MIN_CONTRAST:
        return gray, 0
    band = max(3, round(CROP_BAND * max(gray.shape)))
    # On paper of one tone (a program's crop), ink counts from its faint edges; on a photo's grainy, unevenly lit
    # paper, from half the contrast (the table beyond the sheet, fainter, would join the digit to the borders).
    clean = 2 * np.count_nonzero(np.abs(border - paper) <= CLEAN_PAPER_MAD) >= border.size
    marked = np.abs(gray - paper) > (CROP_INK if clean else 0.5) * spread
    if not (marked[:band].any() and marked[-band:].any() and marked[:, :band].any() and marked[:, -band:].any()):
        return gray, 0
    labels = ndimage.label(marked, structure=EIGHT_CONNECTED)[0]
    near = [labels[:band], labels[-band:], labels[:, :band], labels[:, -band:]]
    common = set.intersection(*(set(np.unique(side[side > 0]).tolist()) for side in near))
    if not common:
        return gray, 0
    mark = np.isin(labels, list(common))
    rows, columns = np.flatnonzero(mark.any(axis=1)), np.flatnonzero(mark.any(axis=0))
    if _printed_box(mark[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]):
        return gray, 0  # empty or round a digit
    # A box open on a side, or seen in perspective, runs along most of three or four borders, with the digit
    # inside it; a digit cut to its box meets two of them briefly, or is all the ink there is (a 0, a narrow 1
    # meeting two along their length). The paper inside a dark border meets all four along their length.
    outward = (mark[:band], mark[-band:][::-1], mark[:, :band].T, mark[:, -band:].T[::-1])  # rows from the border in
    contacts = [_contact(side) for side in outward]
    briefly = sum(contact < 0.5 for contact in contacts) >= 2
    along = sum(contact >= CROP_ALONG for contact in contacts)
    area = np.count_nonzero(mark)
    alone = np.count_nonzero(marked & ~mark) <= CROP_ALONE_SHARE * area and area <= CROP_MOST * mark.size
    if not briefly and not (alone and along <= 2):
        return gray, 0
    margin = max(2, round(CROP_MARGIN * max(gray.shape)))
    return np.pad(gray, margin, constant_values=paper), margin


def _printed_box(mark: np.ndarray) -> bool:
    """Whether a mark (a boolean image cut to its box) is a printed box (a form's cell): thin lines along its box's
    edges (``PRINTED_BOX_LINE``) round one hole that fills most of its box (``PRINTED_BOX_HOLLOW``), a rectangle
    (``PRINTED_BOX_SQUARE``; a 0's hole is rounder), a digit inside it or not (a digit touching the box takes a little
    of the hole; one across it, or a comb of cells, leaves no hole that large)."""
    # Cheap measures first: a box's sides are its box's edges, give or take a pixel of a JPEG's ringing (no
    # digit's strokes run along half of all four), and its lines leave room for little ink.
    sides = (mark[:2].any(axis=0), mark[-2:].any(axis=0), mark[:, :2].any(axis=1), mark[:, -2:].any(axis=1))
    if min(np.count_nonzero(side) / side.size for side in sides) < 0.5:
        return False
    if np.count_nonzero(mark) > _box_lines_ink(*mark.shape):
        return False
    background, count = ndimage.label(~mark, structure=FOUR_CONNECTED)
    areas = np.bincount(background.ravel(), minlength=count + 1)
    outside = np.concatenate([background[[0, -1]].ravel(), background[:, [0, -1]].ravel()])
    areas[0], areas[outside] = 0, 0
    hole = int(areas.argmax())
    if areas[hole] < PRINTED_BOX_HOLLOW * mark.size:
        return False
    inside = background == hole
    rows, columns = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
    return areas[hole] >= PRINTED_BOX_SQUARE * (rows[-1] - rows[0] + 1) * (columns[-1] - columns[0] + 1)


def _box_lines_ink(height: int, width: int) -> float:
    """The most ink a printed box this large holds in its thin lines (``PRINTED_BOX_LINE``, and a pixel)."""
    return (PRINTED_BOX_LINE * min(height, width) + 1) * 2 * (height + width)


def _components(mask: np.ndarray) -> tuple[np.ndarray, list[tuple[slice, slice]], np.ndarray]:
    """The connected components of ``mask``: their labels, regions (``ndimage.find_objects``) and areas."""
    labels, count = ndimage.label(mask, structure=EIGHT_CONNECTED)
    return labels, ndimage.find_objects(labels), np.bincount(labels.ravel(), minlength=count + 1)


def stroke_components(mask: np.ndarray) -> tuple[np.ndarray, list[Stroke]]:
    """The connected components of ``mask`` as strokes (labelled from 1), with their label image."""
    labels, regions, areas = _components(mask)
    return labels, [Stroke(label, _region_box(region), int(areas[label])) for label, region in enumerate(regions, 1)]


def _printed_box_lines(
    labels: np.ndarray, regions: list[tuple[slice, slice]], areas: np.ndarray, flat_paper: bool
) -> np.ndarray:
    """The lines of the printed boxes among labelled marks (``_components``; ``_printed_box``): each side as thick
    as the box's ink runs in from its edge (the median along it), and a pixel more for its anti-aliased edge; on a
    photo's or a scan's paper (not ``flat_paper``), the whole of a box touching the border."""
    lines = np.zeros(labels.shape, dtype=bool)
    # A box at least 8 pixels across has at least 32 pixels of ink (specks stop here), and no more than its thin
    # lines hold (most digits stop there).
    for label in np.flatnonzero(areas[1:] >= 32) + 1:
        rows, columns = regions[label - 1]
        height, width = rows.stop - rows.start, columns.stop - columns.start
        if min(height, width) < 8 or areas[label] > _box_lines_ink(height, width):
            continue
        mark = labels[rows, columns] == label
        if not _printed_box(mark):
            continue
        if not flat_paper and (
            rows.start == 0 or columns.start == 0 or rows.stop == labels.shape[0] or columns.stop == labels.shape[1]
        ):
            # Along the border of a photo or a scan, a box may be what lies beyond the sheet, thicker in places
            # than its lines measure: all of it goes.
            lines[rows, columns] |= mark
            continue
        band = np.zeros_like(mark)
        for side, along in ((mark, band), (mark[::-1], band[::-1]), (mark.T, band.T), (mark.T[::-1], band.T[::-1])):
            inward = np.argmin(side, axis=0)[side[0]]  # views with the side's edge as their first row
            along[: int(np.median(inward)) + 1] = True
        lines[rows, columns] |= band & mark
    return lines


def _contact(band: np.ndarray) -> float:
    """The share of a border a mark meets: of its outermost two rows in a band (rows counted from the border)."""
    first = int(np.flatnonzero(band.any(axis=1))[0])
    return float(band[first : first + 2].any(axis=0).mean())


def normalize_digit(
    gray: np.ndarray,
    side: int = WORK_SIDE,
    *,
    min_digit_fraction: float = MIN_DIGIT_FRACTION,
    framing: bool = False,
) -> Normalized | None:
    """Bring one digit in a grayscale image (float in [0, 1], any polarity) into MNIST form.

    Returns None when there is no digit (blank, uniform, noise, or specks: marks shorter than
    ``min_digit_fraction`` of the image's longer side). With ``framing`` (a small image, not a photo: in photos a
    grid, a shadow or the table's edge reaches all four borders as one mark), a crop cut to its digit's box is
    given a margin of its paper first (``framed``); MNIST's digits never are.
    """
    gray, margin = framed(np.asarray(gray, dtype=np.float32)) if framing else (gray, 0)
    ink = ink_map(gray, side)
    if ink is None:
        return None
    labels, strokes = find_strokes(ink, one_digit=True)
    # Not in crops of MNIST's size, nor where lines were taken out (``lines_taken_out``): a digit's flat base lying
    # on one is left below the rest of it as an underline would be, and stays with the digit.
    photo = max(ink.ink.shape) > SMALL_IMAGE_SIDE
    underlined = len(strokes) > 1 and photo and not lines_taken_out(ink, labels)
    while strokes:
        chosen = digit_strokes(strokes, underlined=underlined)
        box = union_box([stroke.box for stroke in chosen])
        upright = [stroke for stroke in chosen if not is_flat(stroke.box)]
        if is_flat(box) and upright:
            # Flat pieces (a ruled line's remnants) chained to a digit made the whole flat: the digit without them.
            chosen, box = upright, union_box([stroke.box for stroke in upright])
        if not is_flat(box) and not all(is_flat(stroke.box) for stroke in chosen):
            break
        # A flat mark (a piece of ruled line, a shadow's edge) is no digit, even the largest, and neither are
        # several together (pieces of ruled lines too faint to be found whole): look among the rest.
        strokes = [stroke for stroke in strokes if stroke not in chosen]
    if not strokes:
        return None
    if max(box[2], box[3]) < min_digit_fraction * max(ink.ink.shape) or max(box[2], box[3]) < 2:
        return None
    crop, keep = crop_strokes(ink, labels, chosen, box)
    x, y, w, h = source_box(box, ink.scale)
    whole = Normalized(image=fit_mnist(crop), box=(x - margin, y - margin, w, h), ink=ink)  # in the image as it came
    line = touching_underline(keep) if photo else None
    if line is None or lines_taken_out(ink, labels):
        return whole
    apart = underline_pen(keep, line) < UNDERLINE_OTHER_PEN
    crop, box = _above_underline(crop, keep, line, box)
    x, y, w, h = source_box(box, ink.scale)
    uncut = None if apart else whole
    return Normalized(image=fit_mnist(crop), box=(x - margin, y - margin, w, h), ink=ink, uncut=uncut)


def underline_pen(keep: np.ndarray, line: np.ndarray) -> float:
    """How thick a line touching a digit from below (``touching_underline``'s mask of ``keep``) is, as a share of
    the stroke width of the digit above it: the mean run of ink up from each of its columns' lowest, where the
    digit does not meet it (runs at most a pixel over their median)."""
    run = _runs_up(keep, _lowest_ink(keep))[line.any(axis=0)]
    thickness = float(run[run <= np.median(run) + 1].mean())
    return thickness / max(stroke_width(keep & ~line), 1e-6)


def lines_taken_out(ink: InkMap, labels: np.ndarray) -> bool:
    """Whether ``find_strokes`` left out ink (its ``labels``) across half the image's width or more: ruled or
    squared paper's lines."""
    return np.count_nonzero((ink.mask & (labels == 0)).any(axis=0)) >= LINE_MIN_FRACTION * labels.shape[1]


def normalize_mnist(images: np.ndarray) -> np.ndarray:
    """Normalise MNIST images (uint8, N x 28 x 28, white on black) exactly as uploads are: float32 N x 28 x 28."""
    out = np.zeros(images.shape, dtype=np.float32)
    for index, image in enumerate(images):
        result = normalize_digit(image.astype(np.float32) / 255.0)
        if result is not None:
            out[index] = result.image
    return out
