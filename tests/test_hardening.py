"""Hostile, broken and awkward uploads through the API: every one gets a clear 4xx JSON (or the right digit),
never a 500, a hang or a memory spike, and the server answers normally afterwards."""

from __future__ import annotations

import io
import resource
import time

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.conftest import drawn_digit, encode
from tests.test_imaging import png_header_only

MEGABYTE = 1024 * 1024


@pytest.fixture(scope="module")
def real_bomb() -> bytes:
    """A real 12000 x 12000 PNG of about 140 KB: 144 megapixels once decoded."""
    return encode(Image.new("1", (12000, 12000), 1), optimize=True)


def post(client, data: bytes, name: str = "upload.png", path: str = "/api/predict"):
    return client.post(path, data={"image": (io.BytesIO(data), name)})


def multipart(fields: list[tuple[str, bytes]], image: bytes) -> dict[str, object]:
    """A multipart body built by hand (the test client would spool a big one to a temporary file)."""
    parts = [b'--b\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (k.encode(), v) for k, v in fields]
    parts.append(b'--b\r\nContent-Disposition: form-data; name="image"; filename="x.png"\r\n\r\n' + image + b"\r\n")
    return {"data": b"".join(parts) + b"--b--\r\n", "content_type": "multipart/form-data; boundary=b"}


def assert_json_error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] and error["message"] and "Traceback" not in error["message"]
    return error["code"]


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


SEVEN_JPEG = encode(drawn_digit("7").convert("RGB"), "JPEG", quality=90)
SEVEN_PNG = encode(drawn_digit("7"))

BAD_FILES = {
    "random bytes": (np.random.default_rng(1).bytes(5000), 400),
    "truncated PNG": (truncated(SEVEN_PNG), 400),
    "truncated JPEG": (truncated(SEVEN_JPEG), 400),
    "PNG signature only": (b"\x89PNG\r\n\x1a\n", 400),
    "HTML as PNG": (b"<!DOCTYPE html><html><script>alert(1)</script></html>", 415),
    "SVG as PNG": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>', 415),
    "PDF as PNG": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", 415),
    "EPS as PNG": (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage", 415),
    "TIFF": (encode(drawn_digit("7"), "TIFF"), 415),
    "header-only bomb": (png_header_only(100_000, 100_000), 413),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_get_a_clear_json_error(client, name):
    data, status = BAD_FILES[name]
    assert_json_error(post(client, data), status)
    assert_json_error(post(client, data, path="/api/read"), status)


def test_a_real_decompression_bomb_is_refused_fast_and_without_a_memory_spike(client, real_bomb):
    assert len(real_bomb) < 200_000
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    assert assert_json_error(post(client, real_bomb), 413) == "image_too_large"
    assert time.perf_counter() - start < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_kb < 100 * 1024


def test_a_30_mb_body_gets_a_413_json(client):
    response = client.post("/api/predict", data=b"\xff" * (30 * MEGABYTE), content_type="image/jpeg")
    assert "10 MB" in response.get_json()["error"]["message"]
    assert_json_error(response, 413)
    response = client.post("/api/predict", **multipart([], b"\xff" * (30 * MEGABYTE)))
    assert_json_error(response, 413)


def test_thousands_of_form_parts(client):
    response = client.post("/api/predict", **multipart([("field", b"x")] * 5000, SEVEN_PNG))
    assert_json_error(response, 413)


def test_a_huge_text_field(client):
    response = client.post("/api/predict", **multipart([("model", b"x" * MEGABYTE)], SEVEN_PNG))
    assert_json_error(response, 413)


@pytest.mark.parametrize(
    "body",
    [
        b'--boundary\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n\x89PNG',  # no end
        b"no boundary at all",
        b"--other\r\n\r\n--other--\r\n",
    ],
)
def test_malformed_multipart(client, body):
    response = client.post("/api/predict", data=body, content_type="multipart/form-data; boundary=boundary")
    assert_json_error(response, 400)
    response = client.post("/api/predict", data=body, content_type="multipart/form-data")  # no boundary given
    assert_json_error(response, 400)


def test_json_where_multipart_is_expected_and_wrong_methods(client):
    assert assert_json_error(client.post("/api/predict", json={"file": "x"}), 400) == "missing_image"
    for method in ("get", "put", "delete", "patch"):
        assert_json_error(getattr(client, method)("/api/read"), 405)


def test_the_server_answers_normally_after_all_that(client, real_bomb):
    for data, _ in BAD_FILES.values():
        post(client, data)
    post(client, real_bomb)
    client.post("/api/predict", data=b"\x00" * (12 * MEGABYTE), content_type="image/png")
    assert post(client, SEVEN_PNG).get_json()["digit"] == 7


# Legitimate but awkward images: each must read as the digit drawn.
def exif_rotated_jpeg() -> bytes:
    """A phone JPEG stored on its side with EXIF orientation 6 (rotate 90 degrees clockwise to view)."""
    upright = drawn_digit("7").convert("RGB")
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what the sensor wrote
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(stored, "JPEG", exif=exif.tobytes(), quality=90)


def sixteen_bit_png() -> bytes:
    image = Image.fromarray(np.asarray(drawn_digit("7")).astype(np.uint16) * 257)
    assert image.mode.startswith("I;16")
    return encode(image)


def palette_png_with_transparency() -> bytes:
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(60, 45), (140, 45), (85, 165)], fill=(20, 20, 20, 255), width=12)
    palette = image.convert("P")
    return encode(palette, transparency=palette.getpixel((0, 0)))


def canvas_export(mode: str) -> bytes:
    image = Image.new(mode, (280, 280), (0,) * len(mode))  # fully transparent
    colour = (0,) * (len(mode) - 1) + (255,)
    ImageDraw.Draw(image).line([(84, 63), (196, 63), (119, 231)], fill=colour, width=18)
    return encode(image)


def animated_gif() -> bytes:
    first = drawn_digit("7").convert("P")
    second = drawn_digit("0").convert("P")
    buffer = io.BytesIO()
    first.save(buffer, "GIF", save_all=True, append_images=[second], duration=200, loop=0)
    return buffer.getvalue()


def big_photo() -> bytes:
    """A 6000 x 4000 photo: a 7 in ink on slightly uneven paper."""
    paper = Image.linear_gradient("L").resize((6000, 4000)).point(lambda v: 200 + v // 6)
    digit = drawn_digit("7", size=1600, paper=0, ink=255)
    paper.paste(0, (2200, 1200), digit)  # dark ink where the digit's strokes are
    return encode(paper.convert("RGB"), "JPEG", quality=80)


AWKWARD = {
    "EXIF-rotated JPEG": exif_rotated_jpeg,
    "16-bit PNG": sixteen_bit_png,
    "CMYK JPEG": lambda: encode(drawn_digit("7").convert("CMYK"), "JPEG"),
    "palette PNG with transparency": palette_png_with_transparency,
    "LA canvas export": lambda: canvas_export("LA"),
    "RGBA canvas export": lambda: canvas_export("RGBA"),
    "animated GIF (first frame)": animated_gif,
    "WebP": lambda: encode(drawn_digit("7").convert("RGB"), "WEBP"),
    "BMP": lambda: encode(drawn_digit("7").convert("RGB"), "BMP"),
    "bilevel PNG": lambda: encode(drawn_digit("7").convert("1")),
    "6000x4000 photo": big_photo,
}


@pytest.mark.parametrize("name", list(AWKWARD))
def test_awkward_but_legitimate_images_read_right(client, name):
    response = post(client, AWKWARD[name]())
    assert response.status_code == 200
    assert response.get_json()["digit"] == 7, response.get_json()


@pytest.mark.parametrize(
    "blank",
    [
        Image.new("RGBA", (280, 280), (0, 0, 0, 0)),
        Image.new("RGBA", (280, 280), (255, 255, 255, 0)),
        Image.new("L", (640, 480), 255),
        Image.new("L", (640, 480), 0),
        Image.new("RGB", (800, 600), (228, 220, 200)),
        Image.linear_gradient("L").resize((800, 600)).point(lambda v: 150 + v // 3),
    ],
    ids=["transparent", "transparent white", "white", "black", "tinted paper", "paper with a light gradient"],
)
def test_blank_images_are_no_digit(client, blank):
    assert post(client, encode(blank)).get_json()["status"] == "no_digit"
    assert post(client, encode(blank), path="/api/read").get_json()["status"] == "no_digit"
