"""One error hierarchy for the service, and the single mapping from it to problem-details responses.

Every error a client can see is a :class:`ServiceError` with a fixed HTTP status and a message written
for the caller. Anything else that escapes a handler becomes a generic 500 whose body never echoes
internals (the exception is logged, without article text, under the request id).

Problem ``type`` URIs are relative references ``/problems/<slug>``; the service serves a page for
each (see :data:`PROBLEM_TYPES`), so every ``type`` a client receives resolves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

# The model layer's load error, re-exported: engines raise it, readiness reports it.
from models.types import ModelLoadError as ModelLoadError  # noqa: PLC0414 - explicit re-export
from service.engines.errors import EngineError, UnsupportedOption
from service.observability import exc_location
from service.schemas import FieldError, Problem

log = structlog.get_logger("service.errors")

PROBLEM_JSON = "application/problem+json"


class ServiceError(Exception):
    """Base of every error the service reports to clients."""

    status: int = 500
    title: str = "Internal Server Error"
    type_slug: str = "internal"
    #: What the OpenAPI document says of this status, and an example ``detail`` (and field pointer).
    about: str = "The service failed; the body names no internals."
    example: str = "the service failed to handle this request; it has been logged"
    example_pointer: str | None = None
    headers: dict[str, str]

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        pointer: str | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers or {}
        #: RFC 6901 pointer to the request field at fault, when there is one.
        self.pointer = pointer

    @property
    def type_uri(self) -> str:
        """A stable URI reference naming the problem type (RFC 9457 ``type``)."""
        return f"/problems/{self.type_slug}"


class BadRequest(ServiceError):
    """The request is malformed: bad JSON, invalid UTF-8, an unknown field, a wrong type."""

    status = 400
    title = "Bad Request"
    type_slug = "bad-request"
    about = "The body is not valid JSON, not valid UTF-8, empty, or nested too deeply."
    example = "the body is not valid JSON: truncated"


class Unauthorized(ServiceError):
    """A bearer token is required and was missing or wrong."""

    status = 401
    title = "Unauthorized"
    type_slug = "unauthorized"
    about = "A bearer token is configured and the request lacks a valid one."
    example = "a valid `Authorization: Bearer <token>` header is required"


class PayloadTooLarge(ServiceError):
    """The body exceeds the configured byte limit."""

    status = 413
    title = "Payload Too Large"
    type_slug = "payload-too-large"
    about = "The body is larger than the configured byte limit."
    example = "the request body is larger than this service accepts"


class UnsupportedMediaType(ServiceError):
    """The body is not ``application/json``."""

    status = 415
    title = "Unsupported Media Type"
    type_slug = "unsupported-media-type"
    about = "The body is not declared as application/json."
    example = "send the body as application/json (got 'text/plain')"


class InvalidInput(ServiceError):
    """The JSON is well formed but a value breaks a rule (empty text, text too long, bad option)."""

    status = 422
    title = "Unprocessable Content"
    type_slug = "invalid-input"
    about = (
        "Valid JSON that breaks the schema (unknown field, wrong type, limits, not exactly one of "
        "`text` and `html`, a page with no article text, `trim` without `max_words`; each field is "
        "listed in `errors`), an option the configured models cannot honour, or an article in an "
        "unsupported language (type `/problems/unsupported-language`). In a batch, a document's "
        "problem is in its slot; only a malformed envelope fails the request."
    )
    example = "`/summary/max_sentences`: Expected `int` >= 1"
    example_pointer = "/summary/max_sentences"


class Overloaded(ServiceError):
    """The inference queue is full; retry after the advertised delay."""

    status = 429
    title = "Too Many Requests"
    type_slug = "overloaded"
    about = "The inference queue is full; retry after the Retry-After header's seconds."
    example = "the inference queue is full (64 documents); retry later"


class NotReady(ServiceError):
    """Models are still loading, or the service is draining for shutdown."""

    status = 503
    title = "Service Unavailable"
    type_slug = "not-ready"
    about = "Models are loading, failed to load, or the service is shutting down; see Retry-After."
    example = "models are not loaded yet"


class DeadlineExceeded(ServiceError):
    """The request did not finish within the per-request deadline."""

    status = 504
    title = "Gateway Timeout"
    type_slug = "deadline-exceeded"
    about = "The request passed its deadline."
    example = "the request took longer than the service's deadline; retry with a shorter text or later"


class UnsupportedLanguage(InvalidInput):
    """The article is in a language the engines were not built for; ask for
    ``"on_unsupported_language": "empty"`` to get a 200 with empty parts and the reason instead."""

    type_slug = "unsupported-language"


class InternalError(ServiceError):
    """The service failed on this request (a bug); the body names no internals, the log has the
    exception's type and the engine's own source location under the request id."""


def from_engine(exc: EngineError) -> ServiceError:
    """The problem a client hears for an engine's own error (engines know nothing of HTTP)."""
    if isinstance(exc, UnsupportedOption):
        return InvalidInput(exc.detail, pointer=exc.field)
    return InternalError(INTERNAL_DETAIL)


def status_title(status: int) -> str:
    """The standard reason phrase of an HTTP status code."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# --------------------------------------------------------------------------------------------------
# Problem types: every ``type`` the service sends, with the page served at that URI


@dataclass(frozen=True, slots=True)
class ProblemType:
    """A documented problem type: its slug (``/problems/<slug>``), status and description."""

    slug: str
    status: int
    title: str
    description: str

    @property
    def uri(self) -> str:
        """The ``type`` member of problems of this type."""
        return f"/problems/{self.slug}"


def _doc(cls: type[ServiceError]) -> str:
    return " ".join((cls.__doc__ or cls.title).split())


_HTTP_ONLY = {
    "not-found": (404, "No such route."),
    "method-not-allowed": (405, "The route exists but not for this HTTP method."),
    "http-error": (400, "Another HTTP-level error; `status` says which."),
}
_ERRORS: list[type[ServiceError]] = [
    BadRequest,
    Unauthorized,
    PayloadTooLarge,
    UnsupportedMediaType,
    InvalidInput,
    UnsupportedLanguage,
    Overloaded,
    NotReady,
    DeadlineExceeded,
    InternalError,
]
#: The error documented for each status a /v1 POST can answer (the first class of that status).
DOCUMENTED: dict[int, type[ServiceError]] = {
    st: next(c for c in _ERRORS if c.status == st) for st in sorted({c.status for c in _ERRORS})
}
#: Every problem type the service can answer with, by slug.
PROBLEM_TYPES: dict[str, ProblemType] = {
    **{c.type_slug: ProblemType(c.type_slug, c.status, c.title, _doc(c)) for c in _ERRORS},
    **{s: ProblemType(s, st, status_title(st), d) for s, (st, d) in _HTTP_ONLY.items()},
}


# --------------------------------------------------------------------------------------------------
# The mapping: exceptions → RFC 9457 problem-details responses

Req = Request[Any, Any, Any]


def problem(
    request: Req,
    status: int,
    title: str,
    detail: str | None,
    type_uri: str = "about:blank",
    *,
    headers: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
) -> Response[Problem]:
    """A problem-details response."""
    body = Problem(
        title=title, status=status, type=type_uri, detail=detail, instance=request.url.path, errors=errors
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def as_problem(exc: ServiceError) -> Problem:
    """The problem body of a service error (used per document inside a batch, too)."""
    has_pointer = exc.pointer is not None  # "" points at the whole document (of a batch slot)
    errors = [FieldError(pointer=exc.pointer or "", detail=exc.detail or exc.title)] if has_pointer else None
    return Problem(title=exc.title, status=exc.status, type=exc.type_uri, detail=exc.detail, errors=errors)


def _service_error(request: Req, exc: ServiceError) -> Response[Problem]:
    if exc.status >= 500 and not isinstance(exc, NotReady | DeadlineExceeded):
        log.error("request failed", **exc_location(exc))
    body = as_problem(exc)
    body.instance = request.url.path
    return Response(body, status_code=exc.status, media_type=PROBLEM_JSON, headers=exc.headers)


_INDEX = re.compile(r"\[(\d+)\]")
_UNKNOWN = re.compile(r"unknown field `([^`]*)`")


def json_pointer(key: str | None, message: str = "") -> str:
    """RFC 6901 pointer from a decoder's dotted path (``documents[1].text`` → ``/documents/1/text``)."""
    parts = [] if not key or key == "data" else _INDEX.sub(r".\1", key).split(".")
    if m := _UNKNOWN.search(message):
        parts.append(m.group(1))
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts if p != "")


def _validation_error(request: Req, exc: ValidationException) -> Response[Problem]:
    # Litestar reports msgspec's type/limit errors with `extra`; a malformed document without.
    items = [i for i in exc.extra if isinstance(i, dict)] if isinstance(exc.extra, list) else []
    if not items:
        return problem(request, 400, "Bad Request", _clean_detail(exc.detail), BadRequest().type_uri)
    errors = []
    for item in items:
        message = str(item.get("message", "invalid value"))
        errors.append(FieldError(pointer=json_pointer(item.get("key"), message), detail=message))
    detail = pointed_detail(errors)
    return problem(request, 422, InvalidInput.title, detail, InvalidInput().type_uri, errors=errors)


def pointed_detail(errors: list[FieldError]) -> str:
    """A schema problem's ``detail``: each field's message after its pointer (``/text``: ...)."""
    return "; ".join(f"`{e.pointer}`: {e.detail}" if e.pointer else e.detail for e in errors)


def _clean_detail(detail: str) -> str:
    if "JSON is malformed" in detail or "truncated" in detail or "utf-8" in detail.lower():
        return f"the body is not valid JSON: {detail.split(': ', 1)[-1]}"
    return detail


_HTTP_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
}


def _http_error(request: Req, exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    detail = exc.detail if status < 500 else None
    if status == 413:
        detail = "the request body is larger than this service accepts"
    elif status == 400:
        detail = _clean_detail(exc.detail)
    slug = _HTTP_SLUGS.get(status, "internal" if status >= 500 else "http-error")
    headers = dict((exc.headers or {}).items())
    return problem(request, status, status_title(status), detail, f"/problems/{slug}", headers=headers)


def _bad_encoding(request: Req, exc: UnicodeDecodeError) -> Response[Problem]:
    return problem(request, 400, "Bad Request", "the body is not valid UTF-8", BadRequest().type_uri)


def _too_deep(request: Req, exc: RecursionError) -> Response[Problem]:
    return problem(request, 400, "Bad Request", "the JSON body is nested too deeply", BadRequest().type_uri)


#: The detail of every 500 answered for a whole request: nothing internal.
INTERNAL_DETAIL = "the service failed to handle this request; it has been logged"


def _internal_error(request: Req, exc: Exception) -> Response[Problem]:
    # Logged with its type and the innermost frame (the engine's own line), never returned.
    log.error("unhandled error", **exc_location(exc))
    err = InternalError(INTERNAL_DETAIL)
    return problem(request, 500, err.title, err.detail, err.type_uri)


def exception_handlers() -> ExceptionHandlersMap:
    """The app's exception handlers: the one mapping from errors to problem details."""
    return {
        ServiceError: _service_error,
        ValidationException: _validation_error,
        HTTPException: _http_error,
        UnicodeDecodeError: _bad_encoding,
        RecursionError: _too_deep,
        Exception: _internal_error,
    }
