"""create_app: configuration from defaults, the environment and tests; models that are missing or corrupt."""

from __future__ import annotations

import io
import shutil

import pytest

from digitrec import artifacts
from digitrec.web import create_app
from tests.conftest import drawn_digit, encode


def test_testing_config():
    assert not create_app().testing
    assert create_app({"TESTING": True}).testing


def test_configuration_from_the_environment(monkeypatch):
    monkeypatch.setenv("DIGITREC_MODEL", "readme")
    monkeypatch.setenv("DIGITREC_MAX_CONTENT_LENGTH", "1048576")
    app = create_app()
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    response = app.test_client().post("/api/predict", data=encode(drawn_digit("7")), content_type="image/png")
    assert response.get_json()["model"] == "readme"


def test_debug_never_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DIGITREC_DEBUG", "true")
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert not create_app().debug


@pytest.fixture
def models_copy(tmp_path):
    """A writable copy of the committed models' folder."""
    root = tmp_path / "models"
    shutil.copytree(artifacts.MODELS_DIR, root)
    return root


def test_a_corrupt_model_makes_the_server_unready_not_crash(models_copy):
    (models_copy / "default" / artifacts.ONNX_FILE).write_bytes(b"this is not an onnx model")
    client = create_app({"MODELS_ROOT": str(models_copy), "MODEL_RETRY_S": 0.0}).test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["models"]["readme"] == "loaded"
    response = client.post("/api/predict", data={"image": (io.BytesIO(encode(drawn_digit("7"))), "x.png")})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "model_unavailable"
    assert response.headers["Retry-After"]
    # The readme model still answers, and a repaired file is picked up without a restart.
    assert (
        client.post("/api/predict?model=readme", data=encode(drawn_digit("7")), content_type="image/png").status_code
        == 200
    )
    shutil.copy(artifacts.MODELS_DIR / "default" / artifacts.ONNX_FILE, models_copy / "default" / artifacts.ONNX_FILE)
    assert client.get("/readyz").status_code == 200


def test_a_missing_model_folder(models_copy):
    shutil.rmtree(models_copy / "default")
    client = create_app({"MODELS_ROOT": str(models_copy)}).test_client()
    assert client.get("/readyz").status_code == 503
    response = client.get("/api/model")
    assert response.status_code == 503 and "missing" in response.get_json()["error"]["message"]


def test_the_server_answers_busy_beyond_its_bound():
    app = create_app({"MAX_IN_FLIGHT": 1, "MAX_QUEUED": 0, "QUEUE_WAIT_S": 0.0})
    registry = app.extensions["digitrec"]
    with registry.slot():  # another request holds the only slot
        response = app.test_client().post("/api/predict", data=encode(drawn_digit("7")), content_type="image/png")
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "overloaded"
    assert response.headers["Retry-After"] == "1"
    response = app.test_client().post("/api/predict", data=encode(drawn_digit("7")), content_type="image/png")
    assert response.status_code == 200


def test_serving_imports_neither_tensorflow_nor_keras():
    import subprocess
    import sys

    code = (
        "import sys; from digitrec.web import create_app; create_app();"
        "import digitrec.serve;"
        "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60).returncode == 0


def test_a_request_that_waits_too_long_for_a_slot_gets_503_and_one_that_waits_briefly_is_served():
    import threading
    import time

    app = create_app({"MAX_IN_FLIGHT": 1, "MAX_QUEUED": 1, "QUEUE_WAIT_S": 0.2})
    registry = app.extensions["digitrec"]
    seven = encode(drawn_digit("7"))
    with registry.slot():
        start = time.monotonic()
        response = app.test_client().post("/api/predict", data=seven, content_type="image/png")
        assert response.status_code == 503 and 0.15 < time.monotonic() - start < 2.0
    holder = threading.Thread(target=lambda: _hold(registry, 0.05))
    holder.start()
    time.sleep(0.01)
    assert app.test_client().post("/api/predict", data=seven, content_type="image/png").status_code == 200
    holder.join()


def _hold(registry, seconds: float) -> None:
    import time

    with registry.slot():
        time.sleep(seconds)
