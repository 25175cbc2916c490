"""Load test the served API (not a test): `python bench/load_test.py [--seconds 15] [--clients 16 64 256]`.

Starts `digitrec serve` (default settings, one worker per core) and, for each number of concurrent clients,
keeps that many keep-alive connections posting a 300x300 JPEG to /api/predict. Every request must get an
answer: 200, or the designed 503 (with Retry-After) when the server is beyond its bound; any other status or a
lost request (connection error, timeout) is a failure. Prints Markdown.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_bench import Served, jpeg_300, multipart

BOUNDARY_HEADER = "multipart/form-data; boundary=digitrecbench"


def client(port: int, body: bytes, stop_at: float, record) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop_at:
        start = time.perf_counter()
        try:
            connection.request("POST", "/api/predict", body=body, headers={"Content-Type": BOUNDARY_HEADER})
            response = connection.getresponse()
            response.read()
            record(response.status, time.perf_counter() - start, response.getheader("Retry-After"))
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException) as error:
            record(f"lost: {type(error).__name__}", time.perf_counter() - start, None)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()


def run(port: int, body: bytes, clients: int, seconds: float) -> dict[str, object]:
    statuses: collections.Counter[object] = collections.Counter()
    latencies: dict[object, list[float]] = collections.defaultdict(list)
    retry_after_missing = 0
    lock = threading.Lock()

    def record(status: object, elapsed: float, retry_after: str | None) -> None:
        nonlocal retry_after_missing
        with lock:
            statuses[status] += 1
            latencies[status].append(elapsed)
            if status == 503 and not retry_after:
                retry_after_missing += 1

    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, body, stop_at, record)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"statuses": statuses, "latencies": latencies, "retry_after_missing": retry_after_missing}


def percentile_ms(values: list[float], fraction: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64, 256])
    args = parser.parse_args()

    body = multipart(jpeg_300())
    served = Served("digitrec.web:create_app", None)
    failed = False
    print("| clients | requests | 200 | 503 | other | lost | 200: median / p99 ms | 503: median / p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    try:
        for clients in args.clients:
            result = run(served.port, body, clients, args.seconds)
            statuses, latencies = result["statuses"], result["latencies"]
            other = {k: v for k, v in statuses.items() if k not in (200, 503) and not str(k).startswith("lost")}
            lost = sum(v for k, v in statuses.items() if str(k).startswith("lost"))
            failed |= bool(other) or lost > 0 or result["retry_after_missing"] > 0
            ok, busy = latencies.get(200, []), latencies.get(503, [])
            print(
                f"| {clients} | {sum(statuses.values())} | {statuses[200]} | {statuses[503]} | "
                f"{dict(other) or 0} | {lost} | {percentile_ms(ok, 0.5)} / {percentile_ms(ok, 0.99)} | "
                f"{percentile_ms(busy, 0.5)} / {percentile_ms(busy, 0.99)} |"
            )
        status, _, _ = None, None, None
        check = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        check.request("GET", "/readyz")
        status = check.getresponse().status
        print(
            f"\nafter the load: /readyz {status}; " + ("FAILED" if failed else "no 5xx but the designed 503, none lost")
        )
    finally:
        served.stop()
    if statistics and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
