"""The HTML pages through the Flask test client: the form post without JavaScript, CSRF, the model and docs pages."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from digitrec.web.security import CSRF_COOKIE
from tests.conftest import drawn_digit, drawn_shape, encode


def csrf(client) -> str:
    """Open the page as a browser would and return the form's token (the cookie is now set)."""
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def post_form(client, data: bytes, token: str, **fields):
    form = {"csrf_token": token, "image": (io.BytesIO(data), "photo.jpg"), **fields}
    return client.post("/", data=form)


def test_the_page_has_every_way_to_give_a_digit(client):
    page = client.get("/").get_data(as_text=True)
    for marker in (
        'id="drop-zone"',
        'type="file"',
        'capture="environment"',
        'id="pad"',
        'id="undo"',
        'id="clear"',
        'id="brush"',
        'name="mode"',
        'name="model"',
    ):
        assert marker in page
    assert "http://" not in page and "https://" not in page  # nothing from a CDN


def test_form_post_without_javascript_renders_the_result(client):
    response = post_form(client, encode(drawn_digit("7"), "JPEG"), csrf(client))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-status="ok"' in page and 'data-digit="7"' in page
    assert page.count("<meter") == 10
    assert "data:image/png;base64," in page  # the re-encoded preview and the 28x28 input


def test_form_post_reads_a_number(client):
    sheet = Image.new("L", (420, 200), 245)
    for index, digit in enumerate("17"):
        sheet.paste(drawn_digit(digit, size=180), (20 + 200 * index, 10))
    page = post_form(client, encode(sheet), csrf(client), mode="number").get_data(as_text=True)
    assert 'data-number="17"' in page


def test_the_script_gets_only_the_result_panel(client):
    token = csrf(client)
    response = client.post(
        "/",
        data={"csrf_token": token, "image": (io.BytesIO(encode(drawn_digit("0"))), "d.png")},
        headers={"X-Fragment": "result"},
    )
    assert response.headers["X-Fragment"] == "result"
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'data-digit="0"' in body


def test_a_drawing_that_is_no_digit_says_so(client):
    page = post_form(client, encode(drawn_shape("hash")), csrf(client)).get_data(as_text=True)
    assert 'data-status="unsure"' in page and "does not look like a digit" in page
    assert "Your image, mark read boxed" in page


def test_a_blank_upload_says_no_digit(client):
    page = post_form(client, encode(Image.new("L", (300, 300), 250)), csrf(client)).get_data(as_text=True)
    assert 'data-status="no_digit"' in page and "No digit" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"%PDF-1.4 not a digit", "not an image we read"), (b"\x89PNG\r\n\x1a\n broken", "not an image")],
)
def test_bad_uploads_get_a_friendly_message_on_the_page(client, data, message):
    response = post_form(client, data, csrf(client))
    assert 400 <= response.status_code < 500
    page = response.get_data(as_text=True)
    assert message in page and 'role="alert"' in page and "Traceback" not in page


def test_form_post_without_csrf_token_is_refused(client):
    csrf(client)
    response = client.post("/", data={"image": (io.BytesIO(encode(drawn_digit("7"))), "x.png")})
    assert response.status_code == 400 and "Reload the page" in response.get_data(as_text=True)
    response = client.post("/", data={"csrf_token": "x" * 43, "image": (io.BytesIO(b"x"), "x.png")})
    assert response.status_code == 400


def test_csrf_cookie_is_strict_and_http_only(client):
    client.get("/")
    cookie = client.get_cookie(CSRF_COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"


@pytest.mark.parametrize("name", ["default", "readme"])
def test_model_pages(client, name):
    page = client.get(f"/model/{name}").get_data(as_text=True)
    assert "MNIST test accuracy" in page and "Confusion matrix" in page
    for plot in ("curves", "confusion", "misclassified"):
        assert f"/model/{name}/{plot}.png" in page
        with client.get(f"/model/{name}/{plot}.png") as response:
            assert response.status_code == 200 and response.mimetype == "image/png"
    assert ("2 networks of this architecture" in page) == (name == "default")  # the default's two, read as one


@pytest.mark.parametrize("path", ["/model/other", "/model/default/card.png", "/model/default/..%2Fmodel.onnx.png"])
def test_nothing_else_is_served_from_the_model_folders(client, path):
    assert client.get(path).status_code == 404


def test_unknown_page_is_friendly_html(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_docs_page_lists_every_endpoint(client):
    page = client.get("/api/docs").get_data(as_text=True)
    for path in ("/api/predict", "/api/read", "/api/model", "/healthz", "/readyz"):
        assert path in page


@pytest.mark.parametrize("path", ["/", "/model", "/api/docs", "/api/openapi.json", "/healthz", "/nope", "/api/nope"])
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:
        headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_static_files_are_served(client):
    for name in ("app.js", "app.css", "favicon.svg"):
        with client.get(f"/static/{name}") as response:
            assert response.status_code == 200
