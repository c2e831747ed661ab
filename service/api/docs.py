"""The contract as served: the OpenAPI document (completed from the settings the server enforces),
the docs page with its assets from an installed package (no request leaves the host), and a page
for every problem ``type`` the service sends.
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import Any

from litestar import Response, Router, get
from litestar.exceptions import NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    Example,
    OpenAPI,
    OpenAPIHeader,
    Operation,
    Parameter,
    Reference,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.params import FromPath
from litestar.response import File
from swagger_ui_bundle import swagger_ui_path

from service import __version__
from service.api.examples import REQUESTS, UNSUPPORTED_LANGUAGE, VERIFY_REQUESTS, success_example
from service.config import Settings
from service.errors import PROBLEM_JSON, PROBLEM_TYPES
from service.observability import REQUEST_ID_PATTERN
from service.schemas import MAX_TEXT_CHARS, Problem

#: The Swagger UI files the page uses, from the pinned ``swagger-ui-bundle-v2`` package.
ASSETS_DIR = Path(str(swagger_ui_path))
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
ASSET_PATH = "/schema/assets"

DESCRIPTION = """\
Summaries from a local transformer model and every direct quote with its speaker. Offsets are
Python str (code point) offsets into the request's `text`.

Errors are RFC 9457 problem details (`application/problem+json`). Each `type` is a relative
reference `/problems/<slug>` that this service serves (GET it for a description): {types}.
A 422 for invalid fields lists each one in `errors` as `{{pointer, detail}}` (RFC 6901 pointers).
Every response carries `X-Request-ID` (the caller's, when valid, else a new one); 429 and 503
carry `Retry-After` in seconds.
"""


@get(f"{ASSET_PATH}/{{name:str}}", include_in_schema=False, sync_to_thread=False)
def asset(name: FromPath[str]) -> File:
    """One file of the docs page (Swagger UI), served from the installed package."""
    if name not in ASSETS:
        raise NotFoundException(f"no asset {name!r}")
    return File(path=ASSETS_DIR / name, media_type=ASSETS[name], content_disposition_type="inline")


@get("/problems/{slug:str}", include_in_schema=False, sync_to_thread=False)
def problem_type(slug: FromPath[str]) -> Response[str]:
    """The page a problem ``type`` URI resolves to: its status, title and meaning."""
    kind = PROBLEM_TYPES.get(slug)
    if kind is None:
        raise NotFoundException(f"no problem type {slug!r}")
    page = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(kind.title)}"
        f"</title></head><body><h1>{kind.status} {html.escape(kind.title)}</h1>"
        f"<p><code>{html.escape(kind.uri)}</code></p><p>{html.escape(kind.description)}</p></body></html>"
    )
    return Response(page, media_type="text/html")


def _schema_404_as_problem(response: Response[Any]) -> Response[Any]:
    # Litestar answers unknown /schema/* paths with an HTML page; the API answers problems.
    if response.status_code != 404:
        return response
    body = Problem(title="Not Found", status=404, type="/problems/not-found", detail="no such page")
    return Response(body, status_code=404, media_type=PROBLEM_JSON)


def openapi_config(settings: Settings, guards: list[Any]) -> OpenAPIConfig:
    """The OpenAPI document and the Swagger UI page at /schema (also /schema/swagger)."""
    page = SwaggerRenderPlugin(
        path=["/", "/swagger"],
        js_url=f"{ASSET_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSET_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSET_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSET_PATH}/favicon-32x32.png'>",
    )
    secured = settings.api_token is not None
    bearer = SecurityScheme(
        type="http", scheme="bearer", description="Set when the service runs with ANALYZER_API_TOKEN."
    )
    return OpenAPIConfig(
        title="Newsroom Analyzer",
        version=__version__,
        description=DESCRIPTION.format(types=", ".join(f"`{s}`" for s in sorted(PROBLEM_TYPES))),
        path="/schema",
        # The schema document and docs page sit behind the same guard as health and metrics.
        openapi_router=Router(
            "/schema",
            route_handlers=[],
            guards=guards,
            include_in_schema=False,
            after_request=_schema_404_as_problem,
        ),
        render_plugins=[page],
        components=Components(security_schemes={"bearer": bearer}) if secured else Components(),
        security=[{"bearer": []}] if secured else None,
    )


def complete(doc: OpenAPI, settings: Settings) -> None:
    """What the generator cannot know: the limits as configured, and the headers every response
    carries. Called once on the generated document, so the served contract is the enforced one."""
    limit = settings.max_text_chars
    schemas = doc.components.schemas or {}
    for envelope, single in (("BatchRequest", "AnalyzeRequest"), ("VerifyBatchRequest", "VerifyRequest")):
        batch = schemas.get(envelope)
        documents = (batch.properties or {}).get("documents") if batch else None
        if isinstance(documents, Schema) and single in schemas:
            # Decoded one by one (a bad document fails its slot only), each the single request.
            documents.items = Reference(ref=f"#/components/schemas/{single}")
    for schema in schemas.values():
        text = (schema.properties or {}).get("text")
        if isinstance(text, Schema) and text.max_length == MAX_TEXT_CHARS:
            text.max_length = limit
            text.description = f"{text.description or ''} At most {limit} characters.".strip()
    request_id = Schema(type="string", pattern=REQUEST_ID_PATTERN)  # type: ignore[arg-type]
    retry_after = OpenAPIHeader(
        schema=Schema(type="integer", minimum=1),  # type: ignore[arg-type]
        description="Seconds to wait before retrying.",
        example=5,
    )
    echo = OpenAPIHeader(
        schema=request_id,
        description="The caller's X-Request-ID when it is valid, else one made by the service.",
        example="3f2c9a61d4b54e0e9c1f7a8b2d6e4c10",
    )
    for path, item in (doc.paths or {}).items():
        for op in (item.get, item.post):
            if op is None:
                continue
            op.parameters = [
                *(op.parameters or []),
                Parameter(
                    name="X-Request-ID",
                    param_in="header",
                    schema=request_id,
                    description="Optional id to trace the request by; echoed in the response.",
                ),
            ]
            _examples(op, settings)
            _instances(op, path)
            for status, response in (op.responses or {}).items():
                if isinstance(response, Reference):
                    continue
                headers: dict[str, OpenAPIHeader | Reference] = {
                    **(response.headers or {}),
                    "X-Request-ID": echo,
                }
                if status in ("429", "503"):
                    headers["Retry-After"] = retry_after
                response.headers = headers


def _instances(op: Operation, path: str) -> None:
    """Every problem example of the operation names the operation's own path as its ``instance``
    (the documented errors are shared by the routes, and would all name one)."""
    for response in (op.responses or {}).values():
        if isinstance(response, Reference):
            continue
        for media in (response.content or {}).values():
            if media.examples:  # a dict of its own: the generator may share one between routes
                media.examples = {name: _at(example, path) for name, example in media.examples.items()}


def _at(example: Example | Reference, path: str) -> Example | Reference:
    """The example with ``instance`` set to ``path`` when it is a problem body."""
    value = example.value if isinstance(example, Example) else None
    if isinstance(example, Example) and isinstance(value, dict) and "instance" in value:
        return replace(example, value={**value, "instance": path})
    return example


def _examples(op: Operation, settings: Settings) -> None:
    """A 200 example per operation, the unsupported-language 422, and the configured byte limit;
    for the single-article operations, a request as text and one as an HTML page; for the verify
    operations, a request."""
    request = op.request_body
    if op.operation_id in ("analyze", "summarize", "quotes") and isinstance(request, RequestBody):
        for sent in (request.content or {}).values():
            sent.examples = {
                kind: Example(summary=f"An article as {kind}", value=value)
                for kind, value in REQUESTS.items()
            }
    elif op.operation_id in VERIFY_REQUESTS and isinstance(request, RequestBody):
        for sent in (request.content or {}).values():
            value = VERIFY_REQUESTS[op.operation_id]
            sent.examples = {"request": Example(summary="An article and a summary of it", value=value)}
    for status, response in (op.responses or {}).items():
        if isinstance(response, Reference) or not response.content:
            continue
        media = next(iter(response.content.values()))
        if status == "200" and (body := success_example(op.operation_id or "")) is not None:
            media.examples = {"ok": Example(summary="A result", value=body)}
        elif status == "422" and media.examples is not None:
            media.examples["unsupported-language"] = Example(
                summary="unsupported-language", value={**UNSUPPORTED_LANGUAGE, "instance": "/v1/analyze"}
            )
        elif status == "413":
            response.description = f"The body is larger than {settings.max_body_bytes} bytes."
