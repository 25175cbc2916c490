"""The OpenAPI 3.1 description of the JSON API, built once from plain dicts."""

from __future__ import annotations

from functools import cache

from digitrec import __version__
from digitrec.artifacts import MODEL_NAMES

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "examples": ["invalid_image"]},
                "message": {"type": "string"},
            },
        }
    },
}

_BOX = {
    "type": ["array", "null"],
    "items": {"type": "integer"},
    "minItems": 4,
    "maxItems": 4,
    "description": "[x, y, width, height] of the digit in the source image's pixels",
}

_PREDICTION = {
    "type": "object",
    "required": ["digit", "confidence", "probabilities", "status"],
    "properties": {
        "digit": {"type": ["integer", "null"], "minimum": 0, "maximum": 9, "description": "null for no_digit"},
        "confidence": {"type": "number", "description": "the probability of the digit read (0 for no_digit)"},
        "probabilities": {"type": "array", "items": {"type": "number"}, "minItems": 10, "maxItems": 10},
        "status": {
            "type": "string",
            "enum": ["ok", "unsure", "no_digit"],
            "description": "unsure: the confidence is below the model's calibrated threshold, or the shape does not "
            "look like a digit (looks_like_digit false); no_digit: blank image",
        },
        "looks_like_digit": {
            "type": ["boolean", "null"],
            "description": "false where the model's 'not a digit' check finds the shape unlike any digit (a letter, "
            "a sign, a drawing): the reading is then unsure whatever its confidence; null for no_digit",
        },
        "box": _BOX,
        "image_size": {"type": ["array", "null"], "items": {"type": "integer"}, "description": "[width, height]"},
        "model": {"type": "string", "enum": list(MODEL_NAMES)},
        "threshold": {"type": "number", "description": "the confidence below which a reading is unsure"},
        "model_input": {"type": "string", "description": "with explain: the 28x28 image the model saw (PNG data URL)"},
        "ink": {"type": ["string", "null"], "description": "with explain: the ink map after clean-up (PNG data URL)"},
    },
}

_READING = {
    "type": "object",
    "required": ["number", "digits", "status"],
    "properties": {
        "number": {"type": "string", "examples": ["2026"], "description": "empty for no_digit"},
        "digits": {"type": "array", "items": _PREDICTION, "description": "left to right"},
        "status": {"type": "string", "enum": ["ok", "unsure", "no_digit"]},
        "image_size": {"type": "array", "items": {"type": "integer"}},
        "model": {"type": "string"},
        "threshold": {"type": "number"},
    },
}

_OPTIONS = {
    "model": {"type": "string", "enum": list(MODEL_NAMES), "default": "default"},
    "explain": {"type": "boolean", "default": False, "description": "add the model's input and the ink map"},
}

_IMAGE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["image"],
                "properties": {"image": {"type": "string", "format": "binary"}, **_OPTIONS},
            }
        },
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["image"],
                "properties": {
                    "image": {"type": "string", "description": "base64, or a data URL (data:image/png;base64,...)"},
                    **_OPTIONS,
                },
            }
        },
        "image/*": {"schema": {"type": "string", "format": "binary"}},
    },
}


def _error(description: str) -> dict[str, object]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


_IMAGE_ERRORS = {
    "400": _error("missing field, empty file, bad base64 or JSON, bytes that are not an image, unknown model"),
    "413": _error("body over 10 MB, too many form parts, or more pixels than allowed (decompression bomb)"),
    "415": _error("a format outside PNG, JPEG, GIF, BMP, WebP (SVG, PDF, HTML, TIFF...) or an unsupported body"),
    "503": _error("the model is not loaded, or the server is busy (see Retry-After)"),
}


def _image_operation(summary: str, description: str, schema: str) -> dict[str, object]:
    return {
        "summary": summary,
        "description": description,
        "requestBody": _IMAGE_BODY,
        "responses": {
            "200": {
                "description": "what the model reads",
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
            },
            **_IMAGE_ERRORS,
        },
    }


@cache
def document() -> dict[str, object]:
    """The OpenAPI document served at /api/openapi.json and rendered by /api/docs."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "digitrec",
            "version": __version__,
            "description": "Reads handwritten digits and numbers from images. Send PNG, JPEG, GIF, BMP or WebP; "
            "photos, scans, canvas drawings (transparent PNG) and MNIST-style images all work.",
        },
        "paths": {
            "/api/predict": {
                "post": _image_operation(
                    "Read one digit",
                    "The digit, its confidence, all ten probabilities and a status: ok, unsure (below the "
                    "calibrated threshold, or a shape unlike any digit) or no_digit (a blank image).",
                    "Prediction",
                )
            },
            "/api/read": {
                "post": _image_operation(
                    "Read a number",
                    "A number of up to 12 digits written left to right, with a box and confidence for each digit.",
                    "Reading",
                )
            },
            "/api/model": {
                "get": {
                    "summary": "The model card",
                    "description": "Architecture, training configuration, test accuracy, confusion matrix, threshold.",
                    "parameters": [{"name": "model", "in": "query", "schema": _OPTIONS["model"]}],
                    "responses": {
                        "200": {"description": "the model card", "content": {"application/json": {}}},
                        "400": _error("unknown model"),
                        "503": _error("the model is not loaded"),
                    },
                }
            },
            "/healthz": {"get": {"summary": "Alive", "responses": {"200": {"description": "the process answers"}}}},
            "/readyz": {
                "get": {
                    "summary": "Ready",
                    "responses": {
                        "200": {"description": "the default model is loaded"},
                        "503": {"description": "the default model is missing or corrupt"},
                    },
                }
            },
        },
        "components": {"schemas": {"Prediction": _PREDICTION, "Reading": _READING, "Error": _ERROR}},
    }
