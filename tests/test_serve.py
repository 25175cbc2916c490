"""The real server (gunicorn through `digitrec serve`): start-up time, a 413 a client can read, slow clients,
load beyond the bound, and a graceful stop."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from digitrec.serve import default_workers, server_options
from tests.conftest import drawn_digit, encode
from tests.e2e.conftest import free_port, wait_ready

SEVEN = encode(drawn_digit("7"))


class Server:
    """`digitrec serve` in a subprocess."""

    def __init__(self, workers: int = 1, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        command = [sys.executable, "-m", "digitrec.cli", "serve", "--port", str(self.port), "--workers", str(workers)]
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        self.ready_s = wait_ready(f"http://127.0.0.1:{self.port}")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def predict(self, data: bytes = SEVEN):
        return self.request("POST", "/api/predict", data, {"Content-Type": "image/png"})

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        code = self.process.wait(timeout=60)
        self.log.close()
        return code


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server(workers=1)
    yield running
    running.stop()


def test_ready_within_two_seconds_of_starting(server):
    assert server.ready_s < 2.0
    status, _, body = server.predict()
    assert status == 200 and json.loads(body)["digit"] == 7


def test_workers_follow_the_core_count():
    assert default_workers() == os.cpu_count()
    options = server_options("127.0.0.1", 8000, None)
    assert options["workers"] == os.cpu_count() and options["worker_class"].endswith("DigitrecWorker")


def test_a_30_mb_body_gets_a_413_the_client_can_read(server):
    # http.client sends the whole body before it reads: the server must not reset the connection.
    status, _, body = server.request("POST", "/api/predict", b"\0" * (30 * 1024 * 1024), {"Content-Type": "image/png"})
    assert status == 413 and json.loads(body)["error"]["code"] == "request_entity_too_large"
    assert server.predict()[0] == 200


def test_a_slow_client_does_not_stall_others(server):
    slow = socket.create_connection(("127.0.0.1", server.port))
    slow.sendall(
        b"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\nab"
    )
    try:
        start = time.monotonic()
        for _ in range(5):
            assert server.predict()[0] == 200
        assert time.monotonic() - start < 2.0
    finally:
        slow.close()


def test_a_silent_body_times_out_instead_of_holding_a_thread(server):
    slow = socket.create_connection(("127.0.0.1", server.port))
    slow.settimeout(30)
    slow.sendall(b"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 5000\r\n\r\nab")
    start = time.monotonic()
    answer = slow.recv(4096)
    slow.close()
    assert b"408" in answer.split(b"\r\n", 1)[0]
    assert 5 < time.monotonic() - start < 20


def test_bad_bodies_over_a_real_socket_never_get_a_500(server):
    cases = [
        (b"\x89PNG\r\n\x1a\n" + os.urandom(3000), "image/png"),
        (b'--x\r\nContent-Disposition: form-data; name="image"\r\n\r\nabc', "multipart/form-data; boundary=x"),
        (b'{"image": 12}', "application/json"),
        (b"\0" * 11_000_000, "multipart/form-data; boundary=x"),
    ]
    for body, content_type in cases:
        status, headers, _ = server.request("POST", "/api/predict", body, {"Content-Type": content_type})
        assert 400 <= status < 500 and headers["Content-Type"] == "application/json"
    assert server.predict()[0] == 200


def test_beyond_the_bound_requests_get_a_quick_503_and_none_is_lost():
    busy = Server(workers=1, env={"DIGITREC_MAX_IN_FLIGHT": "1", "DIGITREC_MAX_QUEUED": "0"})
    try:
        big = encode(drawn_digit("7", size=1400).convert("RGB"), "JPEG")  # a slower image, so requests overlap
        with ThreadPoolExecutor(max_workers=12) as pool:
            answers = list(pool.map(lambda _: busy.predict(big), range(96)))
        statuses = [status for status, _, _ in answers]
        assert len(answers) == 96 and set(statuses) <= {200, 503}
        assert statuses.count(200) >= 1 and statuses.count(503) >= 1
        assert all(headers.get("Retry-After") == "1" for status, headers, _ in answers if status == 503)
    finally:
        busy.stop()


def test_sigterm_lets_a_request_in_flight_finish():
    stopping = Server(workers=1)
    try:
        connection = socket.create_connection(("127.0.0.1", stopping.port))
        head = (
            f"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: {len(SEVEN)}\r\n\r\n"
        )
        connection.sendall(head.encode() + SEVEN[:100])
        time.sleep(0.3)
        stopping.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        connection.sendall(SEVEN[100:])
        connection.settimeout(20)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
        connection.close()
        assert answer.startswith(b"HTTP/1.1 200")
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["digit"] == 7
    finally:
        assert stopping.stop() == 0


def test_threads_do_not_share_one_failure():
    # A worker answers many requests at once from several threads, all correctly.
    running = Server(workers=1)
    try:
        results: list[int] = []
        lock = threading.Lock()

        def call() -> None:
            status, _, body = running.predict()
            with lock:
                results.append(json.loads(body)["digit"] if status == 200 else -status)

        threads = [threading.Thread(target=call) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [7] * 16
    finally:
        running.stop()
