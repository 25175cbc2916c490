"""The JSON API through the Flask test client: inputs, answers, errors, the OpenAPI document and the probes."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from tests.conftest import drawn_digit, drawn_shape, encode, with_sensor_noise


@pytest.fixture
def seven_png() -> bytes:
    return encode(drawn_digit("7"))


def post_file(client, path: str, data: bytes, **fields):
    return client.post(path, data={"image": (io.BytesIO(data), "upload.png"), **fields})


def test_predict_multipart(client, seven_png):
    response = post_file(client, "/api/predict", seven_png)
    assert response.status_code == 200
    body = response.get_json()
    assert body["digit"] == 7 and body["status"] == "ok"
    assert len(body["probabilities"]) == 10 and sum(body["probabilities"]) == pytest.approx(1.0, abs=1e-4)
    assert body["confidence"] == max(body["probabilities"])
    assert body["model"] == "default"
    x, y, w, h = body["box"]
    assert 40 <= x <= 70 and 30 <= y <= 50 and 60 <= w <= 100 and 110 <= h <= 140


@pytest.mark.parametrize("side", [600, 2000])
def test_a_phone_sized_upload_is_read(client, side):
    # Werkzeug's multipart parser reads the body in 64 KB chunks and held each chunk to the form's text-field cap:
    # with that cap at 64 KB, every upload larger than one chunk (any phone photo) was refused with a 413.
    data = encode(with_sensor_noise(drawn_digit("7", size=side).convert("RGB"), 12), "JPEG", quality=95)
    assert len(data) > 128 * 1024
    # The body is built here: the test client would spool a large one to a temporary file of its own.
    boundary = "----digitrecTestBoundary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="photo.jpg"\r\n'
    body = head.encode() + b"Content-Type: image/jpeg\r\n\r\n" + data + f"\r\n--{boundary}--\r\n".encode()
    for path in ("/api/predict", "/api/read"):
        response = client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] != "no_digit"


def test_predict_json_base64_and_data_url(client, seven_png):
    plain = base64.b64encode(seven_png).decode()
    for image in (plain, "data:image/png;base64," + plain):
        response = client.post("/api/predict", json={"image": image})
        assert response.status_code == 200 and response.get_json()["digit"] == 7


def test_predict_raw_body(client, seven_png):
    response = client.post("/api/predict", data=seven_png, content_type="image/png")
    assert response.get_json()["digit"] == 7


@pytest.mark.parametrize("how", ["form", "json", "query"])
def test_the_readme_model_can_be_chosen(client, seven_png, how):
    if how == "form":
        response = post_file(client, "/api/predict", seven_png, model="readme")
    elif how == "json":
        response = client.post("/api/predict", json={"image": base64.b64encode(seven_png).decode(), "model": "readme"})
    else:
        response = post_file(client, "/api/predict?model=readme", seven_png)
    body = response.get_json()
    assert body["model"] == "readme" and body["digit"] == 7


def test_explain_adds_the_model_input_and_ink_map(client, seven_png):
    body = post_file(client, "/api/predict", seven_png, explain="true").get_json()
    for key in ("model_input", "ink"):
        assert body[key].startswith("data:image/png;base64,")
    seen = Image.open(io.BytesIO(base64.b64decode(body["model_input"].split(",", 1)[1])))
    assert seen.size == (28, 28)
    assert "model_input" not in post_file(client, "/api/predict", seven_png).get_json()


def test_a_blank_canvas_is_no_digit(client):
    transparent = encode(Image.new("RGBA", (280, 280), (0, 0, 0, 0)))
    body = post_file(client, "/api/predict", transparent).get_json()
    assert body == body | {"status": "no_digit", "digit": None, "confidence": 0.0}


@pytest.mark.parametrize("shape", ["hash", "star", "smiley"])
def test_a_shape_that_is_no_digit_is_unsure(client, shape):
    # Read as a 4 (the hash sign, the star) or a 0 (the smiley) at 73-99.9% before the model's "not a digit" check.
    body = post_file(client, "/api/predict", encode(drawn_shape(shape))).get_json()
    assert body["status"] == "unsure" and body["looks_like_digit"] is False and body["digit"] in range(10)
    seven = post_file(client, "/api/predict", encode(drawn_digit("7"))).get_json()
    assert seven["status"] == "ok" and seven["looks_like_digit"] is True


def test_read_a_number(client):
    sheet = Image.new("L", (600, 200), 245)
    for index, digit in enumerate("710"):
        sheet.paste(drawn_digit(digit, size=180), (20 + 190 * index, 10))
    response = post_file(client, "/api/read", encode(sheet))
    body = response.get_json()
    assert response.status_code == 200
    assert body["number"] == "710" and body["status"] == "ok"
    boxes = [digit["box"] for digit in body["digits"]]
    assert [box[0] for box in boxes] == sorted(box[0] for box in boxes)
    assert all(set(digit) >= {"digit", "confidence", "box"} for digit in body["digits"])


def test_read_a_blank_image(client):
    body = post_file(client, "/api/read", encode(Image.new("L", (400, 200), 250))).get_json()
    assert body["status"] == "no_digit" and body["number"] == "" and body["digits"] == []


def test_model_card(client):
    card = client.get("/api/model").get_json()
    assert card["name"] == "default" and card["test"]["accuracy"] > 0.99
    assert client.get("/api/model?model=readme").get_json()["name"] == "readme"


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        ({"data": {"model": "default"}}, 400, "missing_image"),
        ({}, 415, "unsupported_media_type"),
        ({"data": {"picture": (io.BytesIO(b"x"), "x.png")}}, 400, "missing_image"),
        ({"data": {"image": (io.BytesIO(b""), "x.png")}}, 400, "empty_image"),
        ({"data": {"image": (io.BytesIO(b"\x00\x01" * 500), "x.png")}}, 400, "invalid_image"),
        ({"json": {"image": "not base64!"}}, 400, "invalid_base64"),
        ({"json": {"picture": "AAAA"}}, 400, "missing_image"),
        ({"json": ["image"]}, 400, "invalid_json"),
        ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json"),
        ({"data": "image=abc", "content_type": "text/plain"}, 415, "unsupported_media_type"),
        (
            {"data": b"<svg xmlns='http://www.w3.org/2000/svg'/>", "content_type": "image/svg+xml"},
            415,
            "unsupported_format",
        ),
    ],
)
def test_bad_requests_get_json_errors(client, request_kwargs, status, code):
    response = client.post("/api/predict", **request_kwargs)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]


def test_unknown_model(client, seven_png):
    response = post_file(client, "/api/predict", seven_png, model="huge")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "unknown_model"


def test_wrong_method_and_unknown_path_are_json(client):
    response = client.get("/api/predict")
    assert response.status_code == 405 and response.is_json and "POST" in response.headers["Allow"]
    response = client.get("/api/nothing")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_openapi_document(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/predict", "/api/read", "/api/model"} <= set(spec["paths"])
    assert "multipart/form-data" in spec["paths"]["/api/predict"]["post"]["requestBody"]["content"]
    assert client.get("/api/docs").status_code == 200


def test_probes(client):
    assert client.get("/healthz").get_json() == {"status": "alive"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["models"] == {"default": "loaded", "readme": "loaded"}
