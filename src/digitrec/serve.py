"""Serve the web app with gunicorn: ``digitrec serve [--host] [--port] [--workers] [--model]``.

Threaded workers (gthread): recognition is short and CPU-bound, so each process runs a few at once (bounded by
the app's MAX_IN_FLIGHT), while other threads read and write slow clients' sockets. A body that trickles in
times out after BODY_TIMEOUT_S instead of holding a thread; SIGTERM lets requests in flight finish.
"""

from __future__ import annotations

import ctypes
import importlib
import os
from collections.abc import Callable

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

THREADS = 32  # per worker: more than the app admits (MAX_IN_FLIGHT + MAX_QUEUED), so that excess gets a quick 503
BODY_TIMEOUT_S = 10.0  # a request body must keep arriving; a silent client is dropped after this
GRACEFUL_TIMEOUT_S = 20  # after SIGTERM, requests in flight get this long to finish
KEEPALIVE_S = 5
WORKER_CONNECTIONS = 256  # connections one worker holds open; beyond them the kernel backlog waits


M_ARENA_MAX = -8  # glibc's mallopt parameter number
MALLOC_ARENAS = 2  # glibc gives each thread its own arena by default: 32 threads would hold tens of MB apart


def limit_malloc_arenas() -> None:
    """Share glibc's malloc arenas between a worker's threads (no-op where glibc is absent)."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    except (OSError, AttributeError):
        pass


class DigitrecWorker(ThreadWorker):
    """gthread, with a read timeout while the request body arrives (gunicorn only waits for the first bytes),
    and few malloc arenas."""

    def init_process(self) -> None:
        limit_malloc_arenas()
        super().init_process()

    def handle_request(self, req, conn):
        conn.sock.settimeout(BODY_TIMEOUT_S)
        return super().handle_request(req, conn)


def default_workers() -> int:
    """One worker per core (each runs recognitions on one core at a time)."""
    return max(1, os.cpu_count() or 1)


class Server(BaseApplication):
    """gunicorn running a WSGI app built by ``factory`` ("module:function") in each worker."""

    def __init__(self, options: dict[str, object], factory: str = "digitrec.web:create_app") -> None:
        self.options = options
        self.factory = factory
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable:
        module, _, name = self.factory.partition(":")
        return getattr(importlib.import_module(module), name)()


def server_options(host: str, port: int, workers: int | None) -> dict[str, object]:
    """The gunicorn settings digitrec runs with."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "digitrec.serve.DigitrecWorker",
        "threads": THREADS,
        "worker_connections": WORKER_CONNECTIONS,
        "timeout": 30,
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        "keepalive": KEEPALIVE_S,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "digitrec",
        "control_socket_disable": True,  # several servers (tests, benchmarks) may run side by side
    }


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    model: str | None = None,
    factory: str = "digitrec.web:create_app",
) -> int:
    """Serve until stopped; returns the exit status. ``model`` is the model answered by default."""
    if model:
        os.environ["DIGITREC_MODEL"] = model
    Server(server_options(host, port, workers), factory).run()
    return 0
