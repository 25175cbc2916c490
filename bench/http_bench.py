"""Benchmark the served API (not a test): `make bench` or `python bench/http_bench.py [--seconds 10]`.

For a 300x300 JPEG posted to /api/predict: latency at concurrency 1 (median, p99) and throughput at 16
concurrent clients, measured with wrk, beside the HTTP floor (the same server stack answering a constant JSON
for the same upload); memory per worker (RSS and PSS) and start-up time to ready. Then where the time of one
request goes, stage by stage, in process. Prints Markdown.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "digitrecbench"
LUA = """
wrk.method = "POST"
local file = io.open("{body}", "rb")
wrk.body = file:read("*all")
file:close()
wrk.headers["Content-Type"] = "multipart/form-data; boundary={boundary}"
"""


def jpeg_300() -> bytes:
    """A 300x300 phone-style JPEG of a 7: ink on shaded paper with noise."""
    rng = np.random.default_rng(0)
    paper = np.linspace(185, 240, 300)[np.newaxis, :] * np.ones((300, 1))
    image = Image.fromarray(paper.astype(np.uint8)).convert("RGB")
    ImageDraw.Draw(image).line([(110, 65), (190, 65), (140, 235)], fill=(30, 30, 60), width=12)
    noisy = np.asarray(image).astype(np.int16) + rng.integers(-8, 8, (300, 300, 1), dtype=np.int16)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def multipart(image: bytes) -> bytes:
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="seven.jpg"\r\n'
    head += "Content-Type: image/jpeg\r\n\r\n"
    return head.encode() + image + f"\r\n--{BOUNDARY}--\r\n".encode()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """A gunicorn server for ``factory`` in a subprocess, timed from launch to ready."""

    def __init__(self, factory: str, workers: int | None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        code = f"from digitrec.serve import serve; serve(port={self.port}, workers={workers!r}, factory={factory!r})"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while True:
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() - start > 30:
                    raise
                time.sleep(0.02)
        self.ready_s = time.monotonic() - start

    def workers_memory_mb(self) -> list[tuple[float, float]]:
        """(RSS, PSS) in MB of each worker process."""
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        memory = []
        for pid in children:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            rss = int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1)) / 1024
            pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) / 1024
            memory.append((rss, pss))
        return memory

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    """Run wrk; returns requests/s, the latency median and p99 in ms, and the count of non-2xx answers."""
    threads = min(connections, 2)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency_ms(percentile: str) -> float:
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "median_ms": latency_ms("50"),
        "p99_ms": latency_ms("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1) if errors else "none",
    }


def stage_profile(image: bytes, repeat: int = 300) -> list[tuple[str, float]]:
    """Median ms of each stage of one /api/predict, in process (decode, normalise, model, check, JSON)."""
    from digitrec import imaging
    from digitrec.normalize import normalize_digit
    from digitrec.recognizer import FIRST_LOOK_SIDE, Recognizer

    recognizer = Recognizer("default")
    timings: dict[str, list[float]] = {"decode (Pillow, draft mode)": [], "normalise": [], "model (ONNX Runtime)": []}
    timings["'not a digit' check (ONNX Runtime)"] = []
    timings["JSON view"] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        decoded = imaging.decode_image(image, side=FIRST_LOOK_SIDE)
        t1 = time.perf_counter()
        normalized = normalize_digit(decoded.gray, side=FIRST_LOOK_SIDE)
        t2 = time.perf_counter()
        recognizer.classify(normalized.image)
        t3 = time.perf_counter()
        recognizer.looks_like_digit(normalized.image)
        t4 = time.perf_counter()
        json.dumps(recognizer.predict_gray(decoded.gray).to_dict())
        t5 = time.perf_counter()
        timings["decode (Pillow, draft mode)"].append(t1 - t0)
        timings["normalise"].append(t2 - t1)
        timings["model (ONNX Runtime)"].append(t3 - t2)
        timings["'not a digit' check (ONNX Runtime)"].append(t4 - t3)
        timings["JSON view"].append((t5 - t4) - (t4 - t1))  # predict_gray less what it repeats of the above
    return [(name, 1000 * statistics.median(values)) for name, values in timings.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the core count)")
    args = parser.parse_args()

    image = jpeg_300()
    body = multipart(image)
    with tempfile.TemporaryDirectory() as folder:
        body_path = Path(folder) / "body.bin"
        body_path.write_bytes(body)
        script = Path(folder) / "post.lua"
        script.write_text(LUA.format(body=body_path, boundary=BOUNDARY))

        rows = {}
        for name, factory in (("floor", "bench.floor_app:create_floor_app"), ("digitrec", "digitrec.web:create_app")):
            served = Served(factory, args.workers)
            try:
                url = served.url + "/api/predict"
                wrk(url, script, 4, 2)  # warm up
                one = wrk(url, script, 1, args.seconds)
                sixteen = wrk(url, script, 16, args.seconds)
                rows[name] = (served.ready_s, one, sixteen, served.workers_memory_mb())
            finally:
                served.stop()

    print(
        f"300x300 JPEG ({len(image)} bytes) posted to /api/predict; wrk, {args.seconds} s per run, "
        f"{os.cpu_count()} cores, workers: {args.workers or os.cpu_count()}\n"
    )
    print(
        "| server | ready after | c=1 median | c=1 p99 | c=16 throughput | c=16 median | c=16 p99 | non-2xx |"
        " memory per worker (RSS / PSS) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, (ready_s, one, sixteen, memory) in rows.items():
        memory_text = ", ".join(f"{rss:.0f} / {pss:.0f} MB" for rss, pss in memory)
        print(
            f"| {name} | {ready_s:.2f} s | {one['median_ms']:.2f} ms | {one['p99_ms']:.2f} ms | "
            f"{sixteen['rps']:.0f} req/s | {sixteen['median_ms']:.2f} ms | {sixteen['p99_ms']:.2f} ms | "
            f"{one['non_2xx'] + sixteen['non_2xx']} | {memory_text} |"
        )
    floor, ours = rows["floor"], rows["digitrec"]
    print(
        f"\ndigitrec/floor: throughput {ours[2]['rps'] / floor[2]['rps']:.2f}, "
        f"c=1 median +{ours[1]['median_ms'] - floor[1]['median_ms']:.2f} ms\n"
    )
    print("Where the time of one request goes (in process, median of 300):\n")
    print("| stage | ms |\n|---|---|")
    for name, ms in stage_profile(image):
        print(f"| {name} | {ms:.3f} |")


if __name__ == "__main__":
    main()
