"""What a request's document is before the engines see it: one of ``text`` and ``html``, a batch's
documents each decoded on its own, and pages turned into text off the event loop."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import msgspec

from service.errors import (
    DeadlineExceeded,
    InvalidInput,
    ServiceError,
    as_problem,
    json_pointer,
    pointed_detail,
)
from service.html import Article, extract_article
from service.schemas import AnalyzeRequest, FieldError, Problem

T = TypeVar("T", bound=msgspec.Struct)

_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


class SchemaMismatch(InvalidInput):
    """A document that breaks the request's schema (its detail is the decoder's message alone)."""


def invalid_from(e: msgspec.ValidationError) -> InvalidInput:
    """A decoder's error as the service's: the message, and a pointer into the document."""
    m = _AT.match(str(e))
    message, path = (m.group("message"), m.group("path") or "") if m else (str(e), "")
    pointer = json_pointer(path.lstrip("."), message) or ""
    return SchemaMismatch(message, pointer=pointer)


def decode_as(doc: Any, kind: type[T]) -> T:
    """One batch document (decoded JSON) as a request of type ``kind``, by the same type and
    limits as the single-document route; raises :class:`InvalidInput` with a pointer into the
    document."""
    if isinstance(doc, kind):
        return doc
    try:
        return msgspec.convert(doc, kind)
    except msgspec.ValidationError as e:
        raise invalid_from(e) from None


def decode_document(doc: Any) -> AnalyzeRequest:
    """One ``/v1/analyze/batch`` document as the request ``POST /v1/analyze`` takes."""
    return decode_as(doc, AnalyzeRequest)


def raw_id(raw: object) -> str | None:
    """The id of a batch document that could not be decoded, when it has a usable one."""
    rid = raw.get("id") if isinstance(raw, dict) else None
    return rid if isinstance(rid, str) and 0 < len(rid) <= 256 else None


def slot_problem(index: int, e: ServiceError) -> Problem:
    """A batch document's problem: the single request's, its field pointers into the batch body
    (a schema problem's detail names the field by that pointer, as the single request's does)."""
    problem = as_problem(e)
    errors = problem.errors or []
    if isinstance(e, SchemaMismatch) and errors and errors[0].pointer:
        problem.detail = pointed_detail(
            [FieldError(f"/documents/{index}{x.pointer}", x.detail) for x in errors]
        )
    for err in errors:
        err.pointer = f"/documents/{index}{err.pointer}"
    return problem


def check_source(req: AnalyzeRequest) -> None:
    """Exactly one of ``text`` and ``html``."""
    if req.text and req.html:
        raise InvalidInput("send exactly one of `text` and `html`, not both", pointer="/html")
    if not req.text and not req.html:
        raise InvalidInput("send the article as `text` (or its page as `html`)", pointer="/text")


class PageReader:
    """Extracts pages' text on a thread of its own (never on the event loop), one page at a time:
    a large page then costs one core, and a request waits for it within its deadline."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="html")

    async def read(self, html: str, deadline: float) -> Article:
        """The page's article; raises :class:`DeadlineExceeded` past ``deadline`` (monotonic)."""
        remaining = deadline - time.monotonic()
        fut = self._pool.submit(extract_article, html)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(fut), timeout=max(remaining, 0.001))
        except TimeoutError:
            raise DeadlineExceeded(
                "the page took longer than the service's deadline to read; retry with a smaller page"
            ) from None

    def close(self) -> None:
        """Finish the page being read and stop the thread."""
        self._pool.shutdown(wait=True)
