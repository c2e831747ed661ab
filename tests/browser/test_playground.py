"""The playground page at /playground, driven in headless Chromium against a live service.

The browser tests start the app under uvicorn on 127.0.0.1 (a free port, in a thread), paste an
article written here, and compare what the page highlights with what /v1/analyze answers for the
same text. They skip when Chromium or Playwright is missing (`make browser-deps` installs both).
The API tests at the end need no browser and run with the fast suite.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
import uvicorn
from litestar.testing import TestClient

from service.app import create_app
from service.config import load_settings
from service.schemas import ModelInfo, Quote, QuotesResult, Speaker, SpeakerRef
from tests.browser.csp import PAGE, block_hashes, policy_hashes
from tests.conftest import app_with, make_settings

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless and quiet: without the background-networking flags Chromium keeps trying to reach out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "playground-test-token-0123456789"

# Written for these tests. Two named speakers (one also quoted as "she"), one quote without a
# speaker, and astral characters (emoji) before the quotes, so that code-point offsets and UTF-16
# indices differ.
ARTICLE = (
    "Harbour board keeps the winter ferry 🚢 timetable\n\n"
    "The harbour board met on Monday to settle the winter crossings. 🌊 "
    "“We cannot run boats at a loss through January,” said Marta Lindqvist. Residents filled the hall.\n"
    "“The island needs a morning crossing, not just an afternoon one,” said Tomas Berg.\n"
    "Later the chair spoke again. “We will publish the passenger figures next week,” she said.\n"
    "A letter pinned to the door 📌 read: “Nobody asked the people who fish.”\n"
)

LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ScriptedQuoteEngine:
    """Quotes between curly marks, attributed by "…,” said NAME" or "…,” NAME said" to known people.

    The stock fake engine returns no speakers, and the page is mostly about speakers: this one
    gives it canonical names, a pronoun mention, aliases, a role and an unattributed quote.
    """

    PEOPLE: ClassVar[dict[str, str]] = {
        "Marta Lindqvist": "Marta Lindqvist",
        "Tomas Berg": "Tomas Berg",
        "she": "Marta Lindqvist",
    }
    _QUOTE = re.compile(r"“([^”]+)”")
    _CUE = re.compile(
        r",?\s+(?:(said|says|added) (Marta Lindqvist|Tomas Berg)|(she|Tomas Berg) (said|added))"
    )

    def load(self) -> None:
        """Nothing to load."""

    def warmup(self) -> None:
        """Nothing to warm."""

    def extract(self, text: str) -> QuotesResult:
        """Every curly-quoted span, with its speaker where a known cue pattern follows it."""
        quotes: list[Quote] = []
        counts: dict[str, int] = {}
        for m in self._QUOTE.finditer(text):
            ref, cue = None, None
            said = self._CUE.match(text, m.end())
            if said:
                mention = said.group(2) or said.group(3)
                cue = said.group(1) or said.group(4)
                start = said.start(2) if said.group(2) else said.start(3)
                name = self.PEOPLE[mention]
                ref = SpeakerRef(name=name, mention=mention, start=start, end=start + len(mention))
                counts[name] = counts.get(name, 0) + 1
            body = m.group(1).rstrip(",")
            quotes.append(
                Quote(text=body, start=m.start(1), end=m.start(1) + len(body), speaker=ref, cue=cue)
            )
        speakers = [
            Speaker(
                name=n,
                quote_count=c,
                kind="person",
                aliases=[n, "she"] if n == "Marta Lindqvist" else [n],
                role="harbour board chair" if n == "Marta Lindqvist" else None,
            )
            for n, c in counts.items()
        ]
        return QuotesResult(quotes=quotes, speakers=speakers)

    def models(self) -> list[ModelInfo]:
        """No model behind the script."""
        return []


# --------------------------------------------------------------------------------------------------
# A live service and a browser


@contextlib.contextmanager
def running_service(quotes: Any = None, ready_s: float = 20.0, **settings: Any) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1 and a free port; yields its base URL once ready."""
    if settings.get("engines") == "real":
        app = create_app(make_settings(**settings))
    else:
        app = app_with(quotes=quotes or ScriptedQuoteEngine(), **settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # log_config=None: uvicorn must not reconfigure the test process's logging.
    config = uvicorn.Config(app, lifespan="on", ws="none", log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_s
        while True:
            with contextlib.suppress(OSError), LOOPBACK.open(f"{base}/health/ready", timeout=2) as r:
                if r.status == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError("the service did not become ready")
            time.sleep(0.05)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def api(base: str, path: str, body: dict[str, Any], token: str | None = None) -> Any:
    """POST JSON straight to the service, as any other client would."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers=headers, method="POST")
    with LOOPBACK.open(req, timeout=30) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile, or a skip saying what is missing."""
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("playwright is not installed (make browser-deps)")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM} (make browser-deps, or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1360, "height": 1000},
            timeout=60_000,
        )
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    """An open service with the fake engines."""
    with running_service() as base:
        yield base


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    """A fresh tab; fails the test if the page threw or broke its own Content-Security-Policy."""
    tab = browser.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    tab.on(
        "console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    yield tab
    tab.close()
    assert not problems, problems


def artifact_dir(tmp_path: Path) -> Path:
    """ARTIFACTS_DIR when set (CI collects it), else the test's own tmp_path."""
    where = Path(os.environ.get("ARTIFACTS_DIR") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    return where


def analyze_in_page(page: Page, text: str) -> None:
    """Paste the article, press Analyze, wait until the page reports the result."""
    page.fill("#article", text)
    page.click("#analyze")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Done')")


def shown_quotes(page: Page) -> list[dict[str, Any]]:
    """Every highlighted quote on the page: its offsets, the text shaded, the speaker shown."""
    result: list[dict[str, Any]] = page.eval_on_selector_all(
        "#article-view mark.quote",
        """ms => ms.map(m => ({
            start: Number(m.dataset.start), end: Number(m.dataset.end),
            text: m.querySelector('.quote-text').textContent,
            speaker: m.querySelector('.who').textContent }))""",
    )
    return result


def expected_label(quote: dict[str, Any]) -> str:
    speaker = quote.get("speaker")
    if not speaker:
        return "no speaker"
    return str(speaker.get("name") or speaker.get("mention") or "unknown speaker")


def check_page_matches_api(page: Page, text: str, answer: dict[str, Any]) -> None:
    """The quotes, speakers and summary marks on the page are exactly those of the API's answer."""
    shown = shown_quotes(page)
    assert [(q["start"], q["end"]) for q in shown] == [(q["start"], q["end"]) for q in answer["quotes"]]
    for got, want in zip(shown, answer["quotes"], strict=True):
        assert got["text"] == want["text"] == text[want["start"] : want["end"]]
        assert got["speaker"] == expected_label(want)
    rows = page.eval_on_selector_all(
        "#speakers-table tbody tr[data-speaker]",
        "rs => rs.map(r => [r.dataset.speaker, Number(r.lastElementChild.textContent)])",
    )
    assert rows == [[s["name"], s["quote_count"]] for s in answer["speakers"]]
    for n, sentence in enumerate(answer["summary"]["sentences"], start=1):
        if sentence.get("start") is None:
            continue
        marked = page.eval_on_selector_all(
            f'#article-view [data-summary="{n}"]', "ps => ps.map(p => p.textContent).join('')"
        )
        assert marked == sentence["text"]


# --------------------------------------------------------------------------------------------------
# Browser tests


@pytest.mark.browser
def test_page_highlights_the_quotes_and_speakers_the_api_returns(
    page: Page, service: str, tmp_path: Path
) -> None:
    """Pasted text with emoji: each shaded quote and speaker name equals the API's answer."""
    page.goto(f"{service}/playground")
    page.wait_for_function("() => document.getElementById('service-state').dataset.state === 'ok'")
    with page.expect_response(lambda r: r.url.endswith("/v1/analyze")) as response:
        analyze_in_page(page, ARTICLE)
    own = response.value.json()  # what the page itself received
    sent = json.loads(response.value.request.post_data or "{}")
    assert sent["text"] == ARTICLE, "the page sends the text exactly as pasted"
    answer = api(service, "/v1/analyze", sent)
    # The test is only meaningful if astral characters really precede quotes.
    assert any(ord(c) > 0xFFFF for c in ARTICLE[: answer["quotes"][0]["start"]])
    assert {s["name"] for s in answer["speakers"]} == {"Marta Lindqvist", "Tomas Berg"}
    assert any("speaker" not in q for q in answer["quotes"])
    check_page_matches_api(page, ARTICLE, answer)

    total = own["timings"]["total_ms"]
    assert page.text_content("#t-total") == f"{total:.{2 if total < 10 else 1}f} ms"
    assert (page.text_content("#t-round") or "").endswith(" ms")
    assert own["summary"]["model"] == "fake-lead"
    assert "fake-lead" in (page.text_content("#summary-model") or "")
    page.wait_for_function("() => document.getElementById('models-list').textContent.includes('fake-lead')")
    assert "Done: 4 quotes, 2 speakers" in (page.text_content("#status") or "")

    shot = artifact_dir(tmp_path) / "playground-fake.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")


@pytest.mark.browser
def test_hover_and_keyboard_focus_show_mention_and_cue(page: Page, service: str) -> None:
    """Tabbing to a quote (or hovering it) shows its speaker, mention as written and cue verb."""
    page.goto(f"{service}/playground")
    analyze_in_page(page, ARTICLE)
    page.focus("#clear")
    for _ in range(10):  # Tab onwards from the last button to the first quote, as a keyboard user
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('mark.quote')"):
            break
    first = page.locator("mark.quote").first
    assert first.evaluate("m => m === document.activeElement")
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert "Marta Lindqvist" in tip.inner_text()
    assert "“Marta Lindqvist”" in tip.inner_text()
    assert re.search(r"Cue\s+said", tip.inner_text())
    outline = first.evaluate("m => getComputedStyle(m).outlineStyle")
    assert outline != "none", "a focused quote shows a visible focus ring"
    page.keyboard.press("Escape")
    assert not tip.is_visible()

    last = page.locator("mark.quote").last
    last.hover()
    assert "no speaker found" in tip.inner_text()


@pytest.mark.browser
def test_every_control_is_reachable_with_the_keyboard(page: Page, service: str) -> None:
    """Tab alone reaches every input and button, then the highlighted quotes."""
    page.goto(f"{service}/playground")
    analyze_in_page(page, ARTICLE)
    page.locator("body").focus()
    page.evaluate("document.activeElement.blur()")
    reached: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "(() => { const a = document.activeElement;"
                " return a.id || a.tagName.toLowerCase() + '.' + a.className; })()"
            )
        )
    for control in (
        "article",
        "open-file",
        "max-sentences",
        "method",
        "token",
        "remember",
        "analyze",
        "copy-curl",
        "clear",
    ):
        assert control in reached, f"{control} is not reachable with Tab"
    assert any(r.startswith("mark.quote") for r in reached)


@pytest.mark.browser
def test_highlight_colours_meet_wcag_aa_contrast(page: Page, service: str) -> None:
    """Quote text on its tint and speaker names on their pill have at least 4.5:1 contrast."""
    page.goto(f"{service}/playground")
    analyze_in_page(page, ARTICLE)
    # Text colour against the first opaque background behind it; the S-badges are ::before boxes.
    pairs: list[list[str]] = page.evaluate(
        """() => {
            const bg = (e) => {
                for (; e; e = e.parentElement) {
                    const c = getComputedStyle(e).backgroundColor;
                    if (c !== 'rgba(0, 0, 0, 0)') return c;
                }
                return 'rgb(255, 255, 255)';
            };
            const sel = 'mark.quote, .who, .mention, button.primary, .hint, .meta, #error h3, #tip';
            const boxes = [...document.querySelectorAll(sel)]
                .map(e => [getComputedStyle(e).color, bg(e), e.className]);
            const badges = [...document.querySelectorAll('.sum[data-sentence]')].map(e => {
                const b = getComputedStyle(e, '::before');
                return [b.color, b.backgroundColor, 'summary badge'];
            });
            return [...boxes, ...badges];
        }"""
    )
    assert len(pairs) > 12

    def luminance(css: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for fg, bg, cls in pairs:
        hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (cls, fg, bg)


@pytest.mark.browser
def test_dropping_a_txt_file_loads_the_article(page: Page, service: str) -> None:
    """A .txt file dropped on the page fills the article field, emoji intact."""
    page.goto(f"{service}/playground")
    page.evaluate(
        """text => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], 'article.txt', { type: 'text/plain' }));
            const zone = document.getElementById('drop');
            const init = { dataTransfer: dt, bubbles: true, cancelable: true };
            zone.dispatchEvent(new DragEvent('dragover', init));
            zone.dispatchEvent(new DragEvent('drop', init));
        }""",
        ARTICLE,
    )
    page.wait_for_function("() => document.getElementById('article').value.length > 0")
    assert page.input_value("#article") == ARTICLE
    assert "Loaded article.txt" in (page.text_content("#status") or "")


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl command")
def test_copy_as_curl_reproduces_the_request(page: Page, service: str) -> None:
    """The copied curl command, run in a shell, gets the same quotes; it carries no token."""
    page.goto(f"{service}/playground")
    page.fill("#article", ARTICLE)
    page.fill("#token", "not-a-real-token-but-long-enough")
    page.click("#copy-curl")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('curl')")
    command = page.input_value("#curl-box")
    assert "not-a-real-token" not in command
    assert "$ANALYZER_API_TOKEN" in command
    out = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ANALYZER_API_TOKEN": "unused"},
    )
    assert json.loads(out.stdout)["quotes"] == api(service, "/v1/analyze", {"text": ARTICLE})["quotes"]


@pytest.mark.browser
def test_token_protected_service_works_once_the_token_is_entered(
    browser: BrowserContext, tmp_path: Path
) -> None:
    """Without the token the 401 problem detail is shown; with it the quotes appear; no token in URL."""
    with running_service(api_token=TOKEN) as base:
        tab = browser.new_page()
        try:
            tab.goto(f"{base}/playground")
            tab.fill("#article", ARTICLE)
            tab.click("#analyze")
            tab.wait_for_selector("#error h3")
            assert (tab.text_content("#error h3") or "").startswith("401")
            assert "Authorization: Bearer" in (tab.text_content("#error-detail") or "")

            tab.fill("#token", TOKEN)
            analyze_in_page(tab, ARTICLE)
            assert (tab.text_content("#error") or "") == ""
            answer = api(base, "/v1/analyze", {"text": ARTICLE}, token=TOKEN)
            check_page_matches_api(tab, ARTICLE, answer)
            tab.wait_for_function(
                "() => document.getElementById('models-list').textContent.includes('fake-lead')"
            )

            assert TOKEN not in tab.url
            stored = tab.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage}])")
            assert TOKEN not in stored, "the token stays in memory unless the user asks to keep it"
            tab.check("#remember")  # asked to keep it: this tab's sessionStorage, never localStorage
            assert TOKEN in tab.evaluate("() => JSON.stringify({...sessionStorage})")
            assert TOKEN not in tab.evaluate("() => JSON.stringify({...localStorage})")
            shot = artifact_dir(tmp_path) / "playground-token.png"
            tab.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")
        finally:
            tab.close()


@pytest.mark.browser
def test_page_matches_the_rule_based_quote_engine(browser: BrowserContext, tmp_path: Path) -> None:
    """With the production quote engine, the shaded quotes, speakers and aliases equal the API's."""
    from service.engines.quotes import RuleQuoteEngine

    text = ARTICLE + (
        "Berg, a ferry captain for twenty years 🛳️, disagreed. "
        "“Mornings are when the island works,” Mr Berg told the meeting.\n"
    )
    with running_service(quotes=RuleQuoteEngine()) as base:
        tab = browser.new_page()
        try:
            tab.goto(f"{base}/playground")
            analyze_in_page(tab, text)
            answer = api(base, "/v1/analyze", {"text": text})
            assert any(q.get("speaker", {}).get("mention") == "Mr Berg" for q in answer["quotes"])
            check_page_matches_api(tab, text, answer)
            berg = tab.locator("#speakers-table tr[data-speaker='Tomas Berg']")
            assert "Mr Berg" in berg.inner_text()
            tab.locator("mark.quote").last.hover()
            assert "“Mr Berg”" in tab.inner_text("#tip")
            shot = artifact_dir(tmp_path) / "playground-rule-quotes.png"
            tab.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")
        finally:
            tab.close()


def _real_engines_available() -> bool:
    try:
        from service.engines import summarizer
    except ImportError:
        return False
    return hasattr(summarizer, "create_summary_engine")


@pytest.mark.browser
@pytest.mark.model
@pytest.mark.skipif(not _real_engines_available(), reason="the real summary engine is not in this tree")
def test_page_works_with_the_real_engines(page: Page, tmp_path: Path) -> None:
    """With the real engines, the page's highlights again equal the API's answer for the text."""
    with running_service(engines="real", ready_s=180) as base:
        page.goto(f"{base}/playground")
        page.wait_for_function("() => document.getElementById('service-state').dataset.state === 'ok'")
        analyze_in_page(page, ARTICLE)
        check_page_matches_api(page, ARTICLE, api(base, "/v1/analyze", {"text": ARTICLE}))
        shot = artifact_dir(tmp_path) / "playground-real.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")


# --------------------------------------------------------------------------------------------------
# API tests (no browser)


def test_playground_is_served_as_html() -> None:
    """GET /playground answers the page as inline text/html."""
    with TestClient(create_app(make_settings())) as c:
        r = c.get("/playground")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "<title>Playground" in r.text


def test_playground_off_by_environment() -> None:
    """ANALYZER_PLAYGROUND=false removes the route: /playground answers 404, the API still works."""
    settings = load_settings({"ANALYZER_PLAYGROUND": "false", "ANALYZER_ENGINES": "fake"})
    with TestClient(create_app(settings)) as c:
        assert c.get("/playground").status_code == 404
        assert c.get("/health/live").status_code == 200


def test_page_loads_nothing_from_other_origins() -> None:
    """The page has no external scripts, styles, fonts or images, and calls relative URLs only."""
    html = PAGE.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert not re.search(r"fetch\(\s*['\"`]https?:", html)


def test_article_text_is_never_parsed_as_html() -> None:
    """The script builds text nodes only: no innerHTML, outerHTML, insertAdjacentHTML or write."""
    script = PAGE.read_text(encoding="utf-8").split("<script>", 1)[1]
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink


def test_csp_hashes_match_the_inline_blocks() -> None:
    """The page's CSP names the hashes of its own style and script (run tests.browser.csp after edits)."""
    html = PAGE.read_text(encoding="utf-8")
    assert policy_hashes(html) == block_hashes(html), "run: .venv/bin/python -m tests.browser.csp"
