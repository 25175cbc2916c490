"""The HTML pages: the reading page (which also works as a plain form post without JavaScript), the model pages
and the API docs page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, send_from_directory

from digitrec import artifacts
from digitrec.errors import DigitrecError, EmptyImage
from digitrec.web import openapi, security
from digitrec.web.registry import get_registry
from digitrec.web.service import recognize

blueprint = Blueprint("pages", __name__)

DIGITS = tuple(range(10))
FRAGMENT_HEADER = "X-Fragment"


def _wants_fragment() -> bool:
    """The page's script asks for the result panel only, to swap it in without a reload."""
    return request.headers.get(FRAGMENT_HEADER) == "result"


def _fragment(status: int, **context: object) -> Response:
    response = Response(render_template("_result.html", **context), status=status)
    response.headers[FRAGMENT_HEADER] = "result"
    return response


def _index(status: int = 200, **context: object) -> Response:
    if _wants_fragment():
        return _fragment(status, **context)
    registry = get_registry()
    page = render_template("index.html", models=registry.names, default_model=registry.default, **context)
    return Response(page, status=status)


@blueprint.get("/")
def index() -> Response:
    """The reading page."""
    return _index()


@blueprint.post("/")
def read_upload() -> Response:
    """The form post without JavaScript: read the uploaded file and render the same page with the result."""
    security.check_csrf()
    mode = "number" if request.form.get("mode") == "number" else "digit"
    model = request.form.get("model") or None
    upload = request.files.get("image")
    try:
        data = upload.read() if upload is not None else b""
        if not data:
            raise EmptyImage("Choose an image file first.")
        result = recognize(data, model=model, number=mode == "number", explain=True, preview=True)
    except DigitrecError as error:
        from digitrec.web.api import status_of

        return _index(status_of(error), error=friendly_message(error), mode=mode, model=model)
    return _index(result=result, mode=mode, model=result["model"])


def friendly_message(error: DigitrecError) -> str:
    """What the page says about an error, in plain words."""
    messages = {
        "empty_image": "That file is empty. Choose an image of a digit.",
        "unsupported_format": "That file is not an image we read. Use a PNG, JPEG, GIF, BMP or WebP image.",
        "image_too_large": "That image is too large to read. Use a photo under 40 megapixels.",
        "invalid_image": "That file is not an image we can read (it may be damaged or only part of a file).",
        "overloaded": "The server is busy right now. Try again in a moment.",
        "model_unavailable": "The model is not available right now. Try again in a moment.",
    }
    return messages.get(error.code, str(error))


def error_page(status: int, message: str) -> Response:
    """A friendly HTML error page (or the result panel saying it, for the page's script)."""
    if _wants_fragment():
        return _fragment(status, error=message)
    return Response(render_template("error.html", status=status, message=message), status=status)


@blueprint.get("/model")
@blueprint.get("/model/<name>")
def model_page(name: str | None = None) -> str:
    """A model's card: architecture, accuracy, training curves, confusion matrix, misclassified digits."""
    registry = get_registry()
    name = name or registry.default
    if name not in registry.names:
        abort(404)
    card = registry.get(name).card
    return render_template("model.html", name=name, card=card, names=registry.names, digits=DIGITS)


@blueprint.get("/model/<name>/<plot>.png")
def model_plot(name: str, plot: str) -> Response:
    """One of a model's committed figures (only the named ones; no other file can be reached)."""
    registry = get_registry()
    if name not in registry.names or plot not in artifacts.PLOT_FILES:
        abort(404)
    return send_from_directory(registry.root / name, artifacts.PLOT_FILES[plot], mimetype="image/png", max_age=3600)


@blueprint.get("/api/docs")
def api_docs() -> str:
    """The API, readable: rendered from the same OpenAPI document that /api/openapi.json serves."""
    return render_template("docs.html", spec=openapi.document())
