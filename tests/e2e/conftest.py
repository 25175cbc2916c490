"""Browser tests: the real server (gunicorn, `digitrec serve`) driven by Playwright with Debian's chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DIGITREC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("DIGITREC_SCREENSHOTS", Path(tempfile.gettempdir()) / "digitrec-screenshots"))


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(url: str, timeout_s: float = 20.0) -> float:
    """Poll /readyz until it answers 200; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=1) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} was not ready within {timeout_s} s")


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """`digitrec serve` on a free port, one worker; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "digitrec.cli", "serve", "--port", str(port), "--workers", "1"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_ready(url)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless chromium from Debian (Playwright's own download does not work offline)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, temporary user-data dir.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _unexpected(message) -> bool:
    # A designed 4xx answer (a file that is not an image) is logged by the browser; it is not a page error.
    return message.type == "error" and "responded with a status of 4" not in message.text


@pytest.fixture
def page(browser, live_server: str) -> Iterator[object]:
    """A fresh page on the reading page, failing the test on any console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if _unexpected(message) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server + "/")
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def screenshot(page, name: str) -> Path:
    """Save a screenshot of the page for people to look at; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
