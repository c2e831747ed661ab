"""One error hierarchy for the service, and the single mapping from it to problem-details responses.

Every error a client can see is a :class:`ServiceError` with a fixed HTTP status and a message written
for the caller. Anything else that escapes a handler becomes a generic 500 whose body never echoes
internals (the exception is logged, without article text, under the request id).
"""

from __future__ import annotations

from http import HTTPStatus


class ServiceError(Exception):
    """Base of every error the service reports to clients."""

    status: int = 500
    title: str = "Internal Server Error"
    type_slug: str = "internal"
    headers: dict[str, str]

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers or {}

    @property
    def type_uri(self) -> str:
        """A stable URI reference naming the problem type (RFC 9457 ``type``)."""
        return f"/problems/{self.type_slug}"


class BadRequest(ServiceError):
    """The request is malformed: bad JSON, invalid UTF-8, an unknown field, a wrong type."""

    status = 400
    title = "Bad Request"
    type_slug = "bad-request"


class Unauthorized(ServiceError):
    """A bearer token is required and was missing or wrong."""

    status = 401
    title = "Unauthorized"
    type_slug = "unauthorized"


class PayloadTooLarge(ServiceError):
    """The body exceeds the configured byte limit."""

    status = 413
    title = "Payload Too Large"
    type_slug = "payload-too-large"


class UnsupportedMediaType(ServiceError):
    """The body is not ``application/json``."""

    status = 415
    title = "Unsupported Media Type"
    type_slug = "unsupported-media-type"


class InvalidInput(ServiceError):
    """The JSON is well formed but a value breaks a rule (empty text, text too long, bad option)."""

    status = 422
    title = "Unprocessable Content"
    type_slug = "invalid-input"


class Overloaded(ServiceError):
    """The inference queue is full; retry after the advertised delay."""

    status = 429
    title = "Too Many Requests"
    type_slug = "overloaded"


class NotReady(ServiceError):
    """Models are still loading, or the service is draining for shutdown."""

    status = 503
    title = "Service Unavailable"
    type_slug = "not-ready"


class DeadlineExceeded(ServiceError):
    """The request did not finish within the per-request deadline."""

    status = 504
    title = "Gateway Timeout"
    type_slug = "deadline-exceeded"


class ModelLoadError(ServiceError):
    """Weights are missing, unreadable, or fail their checksum. Raised at startup, never to clients
    directly: readiness stays 503 and the reason is logged."""

    status = 503
    title = "Model Unavailable"
    type_slug = "model-unavailable"


def status_title(status: int) -> str:
    """The standard reason phrase of an HTTP status code."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
