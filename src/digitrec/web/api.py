"""The JSON API: /api/predict, /api/read, /api/model, /api/openapi.json, and the /healthz and /readyz probes.

Every error leaves as ``{"error": {"code", "message"}}`` with a 4xx (or a designed 503), mapped here once.
"""

from __future__ import annotations

import base64
import binascii
import logging

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import ClientDisconnected, HTTPException

from digitrec.errors import (
    DigitrecError,
    EmptyImage,
    ImageTooLarge,
    InvalidImage,
    ModelUnavailable,
    UnsupportedFormat,
)
from digitrec.web import openapi
from digitrec.web.registry import Overloaded, UnknownModel, get_registry
from digitrec.web.service import recognize

blueprint = Blueprint("api", __name__)
log = logging.getLogger(__name__)

TRUE_WORDS = ("1", "true", "yes", "on")


class RequestError(DigitrecError):
    """The request itself is wrong (a missing field, bad JSON or base64, a media type we do not take)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


# Most specific first: the first class an error is an instance of gives its status.
STATUS_BY_ERROR: tuple[tuple[type[DigitrecError], int], ...] = (
    (EmptyImage, 400),
    (UnsupportedFormat, 415),
    (ImageTooLarge, 413),
    (InvalidImage, 400),
    (UnknownModel, 400),
    (Overloaded, 503),
    (ModelUnavailable, 503),
)


def error_response(status: int, code: str, message: str) -> Response:
    """The one JSON error body."""
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def status_of(error: DigitrecError) -> int:
    """The HTTP status for a library or request error."""
    if isinstance(error, RequestError):
        return error.status
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(error, kind)), 400)


def _decode_base64(text: object) -> bytes:
    if not isinstance(text, str):
        raise RequestError("missing_image", 'give the image as a base64 string or data URL in "image"')
    if text.startswith("data:"):
        header, _, text = text.partition(",")
        if not header.endswith(";base64"):
            raise RequestError("invalid_base64", "the data URL must be base64-encoded (data:image/png;base64,...)")
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise RequestError("invalid_base64", f'"image" is not valid base64: {error}') from None


def read_request() -> tuple[bytes, dict[str, str]]:
    """The image bytes and the options (model, explain) of an API request.

    Takes multipart/form-data with a file field ``image``, JSON ``{"image": "<base64 or data URL>"}``, or the raw
    image as the body (``Content-Type: image/...``). Raises RequestError or EmptyImage.
    """
    options = {key: value for key, value in request.args.items() if key in ("model", "explain")}
    mimetype = request.mimetype
    if mimetype == "application/json":
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            raise RequestError("invalid_json", 'the body must be a JSON object like {"image": "<base64>"}')
        options.update({key: str(payload[key]) for key in ("model", "explain") if payload.get(key) is not None})
        if "image" not in payload:
            raise RequestError("missing_image", 'the JSON object has no "image" field')
        data = _decode_base64(payload["image"])
    elif mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        options.update({key: request.form[key] for key in ("model", "explain") if key in request.form})
        upload = request.files.get("image")
        if upload is None:
            raise RequestError("missing_image", 'send the image as a file in the multipart field "image"')
        data = upload.read()
    elif mimetype.startswith("image/") or mimetype == "application/octet-stream":
        data = request.get_data(cache=False)
    else:
        raise RequestError(
            "unsupported_media_type",
            'send multipart/form-data with a file field "image", JSON {"image": "<base64>"}, or the image itself',
            415,
        )
    if not data:
        raise EmptyImage("the image is empty (0 bytes)")
    return data, options


def _answer(number: bool) -> Response:
    data, options = read_request()
    view = recognize(
        data, model=options.get("model") or None, number=number, explain=options.get("explain", "") in TRUE_WORDS
    )
    return jsonify(view)


@blueprint.post("/api/predict")
def predict() -> Response:
    """Read one digit."""
    return _answer(number=False)


@blueprint.post("/api/read")
def read() -> Response:
    """Read a number written left to right."""
    return _answer(number=True)


@blueprint.get("/api/model")
def model_card() -> Response:
    """The model card of a served model (``?model=readme``; the default otherwise)."""
    recognizer = get_registry().get(request.args.get("model") or None)
    return jsonify(recognizer.card)


@blueprint.get("/api/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI description of this API."""
    return jsonify(openapi.document())


@blueprint.get("/healthz")
def healthz() -> Response:
    """Alive: the process answers."""
    return jsonify({"status": "alive"})


@blueprint.get("/readyz")
def readyz() -> Response:
    """Ready: 200 once the default model is loaded, else 503 with the reason."""
    registry = get_registry()
    ready = registry.ready()
    response = jsonify({"status": "ready" if ready else "not_ready", "models": registry.status()})
    response.status_code = 200 if ready else 503
    return response


def wants_json() -> bool:
    """True for requests to the API (everything under /api/ but its docs page) and the probes."""
    path = request.path
    return (path.startswith("/api/") and path != "/api/docs") or path in ("/healthz", "/readyz")


def _with_retry_after(response: Response) -> Response:
    if response.status_code == 503:
        response.headers["Retry-After"] = str(current_app.config["RETRY_AFTER_S"])
    return response


def _drain_body(limit: int) -> None:
    """Read and drop the rest of a refused body (up to ``limit`` bytes), so that a client that sends its whole
    body before reading can still read the 413 instead of meeting a reset connection."""
    stream = request.environ.get("wsgi.input")
    remaining = min(request.content_length or 0, limit)
    while stream is not None and remaining > 0:
        chunk = stream.read(min(1 << 16, remaining))
        if not chunk:
            break
        remaining -= len(chunk)


def register_error_handlers(app: Flask) -> None:
    """Map every error to a JSON body for the API (the pages register their own friendly versions)."""
    from digitrec.web import pages

    @app.errorhandler(DigitrecError)
    def library_error(error: DigitrecError):
        status = status_of(error)
        if not wants_json():
            return _with_retry_after(pages.error_page(status, pages.friendly_message(error)))
        return _with_retry_after(error_response(status, error.code, str(error)))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = error.description or error.name
        if isinstance(error, ClientDisconnected):  # the body stopped arriving (timed out or cut short)
            status, message = 408, "the request body stopped arriving before it was complete"
        if status == 413:
            _drain_body(int(app.config["MAX_DRAIN_BYTES"]))
            limit_mb = app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
            message = (
                f"the request is too large: the limit is {limit_mb:g} MB (or {app.config['MAX_FORM_PARTS']} parts)"
            )
        if not wants_json():
            response = pages.error_page(status, message)
        else:
            code = "request_timeout" if status == 408 else error.name.lower().replace(" ", "_")
            response = error_response(status, code, message)
        valid_methods = getattr(error, "valid_methods", None)
        if valid_methods:
            response.headers["Allow"] = ", ".join(valid_methods)
        return response

    @app.errorhandler(TimeoutError)
    def timeout_error(error: TimeoutError):
        message = "the request body arrived too slowly"
        if not wants_json():
            return pages.error_page(408, message)
        return error_response(408, "request_timeout", message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        message = "something went wrong on our side; the error was logged"
        if not wants_json():
            return pages.error_page(500, message)
        return error_response(500, "internal_error", message)
