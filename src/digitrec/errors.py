"""The typed errors the library raises. The library never knows about HTTP; the web layer maps these once."""


class DigitrecError(Exception):
    """Base class: every error the library raises on purpose."""

    code = "error"


class InvalidImage(DigitrecError):
    """The bytes are not an image we can decode (random bytes, truncated, corrupt)."""

    code = "invalid_image"


class EmptyImage(InvalidImage):
    """No bytes at all were given."""

    code = "empty_image"


class UnsupportedFormat(InvalidImage):
    """The bytes are an image (or a document) in a format outside the allow-list."""

    code = "unsupported_format"


class ImageTooLarge(InvalidImage):
    """The image has more pixels (or bytes) than the configured limit: a decompression bomb or a huge photo."""

    code = "image_too_large"


class ModelUnavailable(DigitrecError):
    """The model file is missing, corrupt or unknown."""

    code = "model_unavailable"


class DataError(DigitrecError):
    """An MNIST file is missing, truncated, corrupt or fails its checksum."""

    code = "data_error"


class FontsMissing(DigitrecError):
    """The installed fonts that training the "not a digit" check needs are not there (make system-deps)."""

    code = "fonts_missing"
