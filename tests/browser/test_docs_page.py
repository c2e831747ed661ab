"""The API docs page at /schema, in headless Chromium: it renders the OpenAPI document with Swagger UI
files served by the service itself, and no request leaves the host."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

# The live service and browser fixtures of the playground tests, shared.
from tests.browser.test_playground import browser, page, service  # noqa: F401

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
def test_docs_page_renders_with_no_request_leaving_the_host(page: Page, service: str, path: str) -> None:  # noqa: F811
    """Every request the docs page makes goes to the service's own host, and the page renders."""
    host = urlsplit(service).netloc
    seen: list[str] = []

    def record(route: Route) -> None:
        seen.append(route.request.url)
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", record)
    page.goto(service + path)
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Newsroom Analyzer" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("#operations-analysis-analyze")
    assert len(seen) >= 4  # the page, its script, preset, style and icon
    outside = [u for u in seen if urlsplit(u).netloc != host and not u.startswith("data:")]
    assert outside == []
