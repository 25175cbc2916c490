"""The page in a real browser: upload, drop, draw, empty canvas, no JavaScript, phone width, the model page."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image, ImageDraw

from tests.conftest import encode, mnist_on_paper, with_sensor_noise
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

RESULT_TIMEOUT_MS = 15_000
PREVIEW_TIMEOUT_MS = 5_000  # the preview is drawn from the file in the browser: waits only when the machine is loaded


def seven_on_paper() -> bytes:
    """A 7 in dark ink on off-white paper, as a JPEG photo."""
    image = Image.new("RGB", (300, 300), (236, 232, 222))
    ImageDraw.Draw(image).line([(95, 80), (205, 80), (130, 235)], fill=(30, 30, 40), width=14, joint="curve")
    return encode(image, "JPEG", quality=85)


def verdict(page) -> dict[str, str]:
    """The result panel's status and reading, once it has one."""
    page.wait_for_selector("#verdict[data-status]:not([data-status='waiting'])", timeout=RESULT_TIMEOUT_MS)
    element = page.locator("#verdict")
    return {key: element.get_attribute(f"data-{key}") or "" for key in ("status", "digit", "number")}


def draw(page, strokes: list[list[tuple[float, float]]]) -> None:
    """Draw strokes on the pad with the mouse; points are fractions of the pad's width and height."""
    box = page.locator("#pad").bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
        page.mouse.up()


def test_upload_a_photo_shows_the_digit_probabilities_and_the_model_input(page, tmp_path):
    photo = tmp_path / "seven.jpg"
    photo.write_bytes(seven_on_paper())
    page.set_input_files("#file", str(photo))
    page.wait_for_selector("#local-preview", state="visible", timeout=PREVIEW_TIMEOUT_MS)  # shown before the answer
    result = verdict(page)
    assert result["status"] == "ok" and result["digit"] == "7"
    assert page.locator(".probabilities meter").count() == 10
    assert page.locator("#model-input").evaluate("img => img.naturalWidth") == 28
    screenshot(page, "upload")


def test_upload_a_phone_sized_photo(page, tmp_path):
    # Uploads over 64 KB were refused with "That file is too large" (the multipart parser's cap); a phone's photo
    # is megabytes.
    image = Image.open(io.BytesIO(seven_on_paper())).resize((3000, 3000), Image.Resampling.BICUBIC)
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(encode(with_sensor_noise(image, 10), "JPEG", quality=92))
    assert photo.stat().st_size > 1024 * 1024
    page.set_input_files("#file", str(photo))
    result = verdict(page)
    assert result["status"] == "ok" and result["digit"] == "7"


def test_upload_an_mnist_digit(page, tmp_path, mnist_test):
    path = tmp_path / "digit.png"
    path.write_bytes(encode(mnist_on_paper(mnist_test.images[0])))
    page.set_input_files("#file", str(path))
    assert verdict(page)["digit"] == str(mnist_test.labels[0])


def test_drop_a_file(page):
    data = base64.b64encode(seven_on_paper()).decode()
    page.evaluate(
        """async (data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "seven.jpg", { type: "image/jpeg" }));
            const drop = new DragEvent("drop", { dataTransfer: transfer, bubbles: true });
            document.getElementById("drop-zone").dispatchEvent(drop);
        }""",
        data,
    )
    assert verdict(page)["digit"] == "7"


def test_draw_a_digit_with_pointer_events(page):
    draw(page, [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]])
    result = verdict(page)
    assert result["status"] == "ok" and result["digit"] == "7"
    screenshot(page, "drawing")


def test_draw_a_zero_then_undo_and_clear(page):
    ring = [(0.5 + 0.22 * c, 0.5 + 0.32 * s) for c, s in _circle(24)]
    draw(page, [ring])
    assert verdict(page)["digit"] == "0"
    page.click("#clear")
    page.click("#read-drawing")
    page.wait_for_selector("#verdict[data-status='no_digit']", timeout=RESULT_TIMEOUT_MS)


def _circle(points: int) -> list[tuple[float, float]]:
    import math

    return [(math.cos(2 * math.pi * i / points), math.sin(2 * math.pi * i / points)) for i in range(points + 1)]


def test_a_drawing_that_is_no_digit_is_not_read_as_one(page):
    # A star drawn in one stroke: read as a 4 before the model's "not a digit" check.
    import math

    star = [(0.5 + 0.3 * math.sin(math.pi * k * 4 / 5), 0.52 - 0.3 * math.cos(math.pi * k * 4 / 5)) for k in range(6)]
    draw(page, [star])
    result = verdict(page)
    assert result["status"] == "unsure"
    assert "does not look like a digit" in page.locator("#verdict").inner_text()
    screenshot(page, "not-a-digit")


def test_empty_canvas_says_no_digit(page):
    page.click("#read-drawing")
    page.wait_for_selector("#verdict[data-status='no_digit']", timeout=RESULT_TIMEOUT_MS)
    assert "No digit" in page.locator("#verdict").inner_text()
    screenshot(page, "empty-canvas")


def test_a_number_drawn_in_number_mode(page):
    page.check("input[name='mode'][value='number']")
    one = [(0.16, 0.2), (0.16, 0.85)]
    seven = [(0.38, 0.2), (0.58, 0.2), (0.46, 0.85)]
    four = [(0.80, 0.2), (0.72, 0.6), (0.9, 0.6)]
    four_stem = [(0.85, 0.35), (0.85, 0.88)]
    draw(page, [one, seven, four, four_stem])
    page.wait_for_selector("#verdict[data-number='174']", timeout=RESULT_TIMEOUT_MS)
    screenshot(page, "number")


def test_a_file_that_is_not_an_image_gets_a_friendly_message(page, tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("these are not pixels")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#verdict[data-status='error']", timeout=RESULT_TIMEOUT_MS)
    assert "not an image" in page.locator("#verdict").inner_text()


def test_upload_works_without_javascript(browser, live_server, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    assert not page.locator("#pad").is_visible()  # drawing needs JavaScript; the form does not
    photo = tmp_path / "seven.jpg"
    photo.write_bytes(seven_on_paper())
    page.set_input_files("#file", str(photo))
    page.click("#upload-submit")
    page.wait_for_load_state()
    assert page.locator("#verdict").get_attribute("data-digit") == "7"
    screenshot(page, "no-javascript")
    context.close()


def test_phone_width_has_no_sideways_scrolling(browser, live_server, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    page.goto(live_server + "/")
    photo = tmp_path / "seven.jpg"
    photo.write_bytes(seven_on_paper())
    page.set_input_files("#file", str(photo))
    assert verdict(page)["digit"] == "7"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "phone")
    context.close()


def test_model_page_shows_the_figures(page, live_server):
    page.goto(live_server + "/model")
    for image in page.locator("img.figure").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "MNIST test accuracy" in page.content()
    screenshot(page, "model")
