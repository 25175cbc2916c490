"""The web app: ``create_app()`` builds a Flask application with the pages and the JSON API.

Configuration: the defaults below, then ``DIGITREC_*`` environment variables (``DIGITREC_MODEL=readme``,
``DIGITREC_MAX_IN_FLIGHT=8``, ...), then the dict a test passes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO

from flask import Flask, Request

from digitrec import artifacts, imaging

MEGABYTE = 1024 * 1024

DEFAULTS: dict[str, object] = {
    "MODEL": "default",  # the model a request gets when it names none
    "MODELS_ROOT": str(artifacts.MODELS_DIR),  # folder holding default/ and readme/
    "MAX_CONTENT_LENGTH": 10 * MEGABYTE,  # request body cap: larger bodies get 413
    # Text fields of a form (the image travels as a file part). Werkzeug's multipart parser also holds each 64 KB
    # chunk it reads, file parts' included, to this cap: at 64 KB every upload larger than one chunk got a 413.
    "MAX_FORM_MEMORY_SIZE": 512 * 1024,
    "MAX_FORM_PARTS": 16,
    "MAX_DRAIN_BYTES": 64 * MEGABYTE,  # a refused body up to this size is read to the end so the 413 can be read
    "MAX_PIXELS": imaging.MAX_PIXELS,  # checked from the header, before decoding
    "MAX_IN_FLIGHT": 4,  # recognitions running at once in one worker (about 1 to 2 ms each) ...
    "MAX_QUEUED": 16,  # ... requests waiting for one of them; beyond that, an immediate 503 with Retry-After ...
    "QUEUE_WAIT_S": 0.5,  # ... as for a request that waits longer than this
    "RETRY_AFTER_S": 1,
    "MODEL_RETRY_S": 5.0,  # how often a model that failed to load is tried again
}


class InMemoryRequest(Request):
    """Uploaded files stay in memory (the body is capped at MAX_CONTENT_LENGTH): nothing a user sends touches disk."""

    def _get_file_stream(self, *args: object, **kwargs: object) -> IO[bytes]:
        return io.BytesIO()


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    """Build the application: configuration, the loaded models, security headers, error pages, blueprints."""
    app = Flask(__name__)
    app.request_class = InMemoryRequest
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("DIGITREC")
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["DEBUG"] = bool(test_config and test_config.get("DEBUG"))  # never from the environment

    from digitrec.web import api, pages, security
    from digitrec.web.registry import ModelRegistry

    app.extensions["digitrec"] = ModelRegistry(
        root=app.config["MODELS_ROOT"],
        default=str(app.config["MODEL"]),
        max_pixels=int(app.config["MAX_PIXELS"]),
        max_in_flight=int(app.config["MAX_IN_FLIGHT"]),
        max_queued=int(app.config["MAX_QUEUED"]),
        queue_wait_s=float(app.config["QUEUE_WAIT_S"]),
        retry_s=float(app.config["MODEL_RETRY_S"]),
    )
    security.init_app(app)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(api.blueprint)
    api.register_error_handlers(app)
    return app
