"""The one path from image bytes to the JSON view both the API and the pages show."""

from __future__ import annotations

from digitrec.recognizer import NumberReading, Prediction
from digitrec.web import images
from digitrec.web.registry import get_registry


def _explained(prediction: Prediction) -> dict[str, object]:
    view = prediction.to_dict()
    if prediction.normalized is not None:
        view["model_input"] = images.png_data_url(prediction.normalized)
    return view


def recognize(
    data: bytes, *, model: str | None = None, number: bool = False, explain: bool = False, preview: bool = False
) -> dict[str, object]:
    """Read one digit (or, with ``number``, a number) from image bytes with a served model.

    ``explain`` adds the 28x28 image the model saw and the ink map it was cut from (PNG data URLs); ``preview``
    adds the decoded image, re-encoded, with the digit boxes drawn on it. Raises the library's errors (InvalidImage
    and its kinds, ModelUnavailable) and the registry's (UnknownModel, Overloaded).
    """
    registry = get_registry()
    recognizer = registry.get(model)
    with registry.slot():
        result: Prediction | NumberReading = recognizer.read_number(data) if number else recognizer.predict(data)
        if isinstance(result, NumberReading):
            view = result.to_dict()
            if explain:
                view["digits"] = [_explained(digit) for digit in result.digits]
            boxes = [digit.box for digit in result.digits if digit.box]
            size = (result.width, result.height)
        else:
            view = _explained(result) if explain else result.to_dict()
            boxes = [result.box] if result.box else []
            size = tuple(result.image_size or (1, 1))
        if explain:
            view["ink"] = images.png_data_url(result.ink) if result.ink is not None else None
        if preview and result.source is not None:
            view["preview"] = images.preview_data_url(result.source, boxes, size)
    view["model"] = recognizer.name
    view["threshold"] = recognizer.threshold
    return view
