"""The HTTP floor for `make bench`: the same stack as digitrec (Flask, the same request class, limits and
headers, gunicorn with the same worker) that reads the upload and answers a constant JSON without decoding it."""

from __future__ import annotations

from flask import Flask, jsonify, request

from digitrec.web import DEFAULTS, InMemoryRequest, security

ANSWER = {"digit": 7, "confidence": 1.0, "probabilities": [0.0] * 7 + [1.0, 0.0, 0.0], "status": "ok"}


def create_floor_app() -> Flask:
    """A Flask app whose /api/predict reads the multipart upload and answers ANSWER."""
    app = Flask(__name__)
    app.request_class = InMemoryRequest
    app.config.from_mapping(DEFAULTS)
    security.init_app(app)

    @app.post("/api/predict")
    def predict():
        data = request.files["image"].read()
        return jsonify(ANSWER | {"bytes": len(data)})

    @app.get("/readyz")
    def readyz():
        return jsonify({"status": "ready"})

    return app
