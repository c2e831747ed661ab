"""HTML extraction: the article's paragraphs, block and pull quotes, title and date; no furniture."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.engines.quotes import RuleQuoteEngine
from service.html import extract_article

PAGE = (Path(__file__).parents[1] / "data" / "article_page.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def quotes() -> RuleQuoteEngine:
    engine = RuleQuoteEngine()
    engine.load()
    return engine


def test_keeps_the_article_and_drops_the_furniture() -> None:
    """Paragraphs and the block quote stay; navigation, script, style, banner and footer go."""
    a = extract_article(PAGE)
    paragraphs = a.text.split("\n\n")
    assert len(paragraphs) == 7
    assert paragraphs[0].startswith("The Riverside city council approved")
    assert "“We cannot afford another decade of gridlock,” the mayor told the chamber." in paragraphs
    for furniture in (
        "Home",
        "Weather",
        "Buy now",
        "Script Person",
        "Styled",
        "cookies",
        "Related stories",
        "All rights reserved",
        "font-family",
        "By Ruth Adler",
    ):
        assert furniture not in a.text, furniture
    assert "<" not in a.text
    assert "&" not in a.text


def test_title_and_date_come_from_the_page() -> None:
    """The title is the page's headline (not repeated in the text) and the date its publication day."""
    a = extract_article(PAGE)
    assert a.title == "Council backs tram line after long debate"
    assert a.date == "2026-03-14"
    assert not a.text.startswith(a.title)


def test_entities_are_decoded_and_both_speakers_found(quotes: RuleQuoteEngine) -> None:
    """&ldquo;…&rdquo; become curly quotes; the quote engine finds each quote and its speaker."""
    a = extract_article(PAGE)
    r = quotes.extract(a.text)
    found = {q.text: q.speaker.name if q.speaker else None for q in r.quotes}
    assert found == {
        "This is the most important decision we have made in a decade": "Jane Porter",
        "We cannot afford another decade of gridlock": "Jane Porter",
        "The numbers simply do not add up": "Tomas Brill",
    }
    for q in r.quotes:
        assert a.text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    "markup",
    [
        '<aside class="pullquote"><p>&ldquo;Trams are our future&rdquo;</p></aside>',
        '<figure class="pull-quote"><blockquote><p>&ldquo;Trams are our future&rdquo;</p></blockquote>'
        "<figcaption>Jane Porter</figcaption></figure>",
        '<div class="PullQuote">&ldquo;Trams are our future&rdquo;</div>',
    ],
)
def test_pull_quotes_are_kept(markup: str) -> None:
    """A pull quote the extractor would drop as page furniture is kept as a block quote."""
    page = PAGE.replace(
        '<aside class="pullquote">&ldquo;The numbers simply do not add up&rdquo;</aside>', markup
    )
    text = extract_article(page).text
    assert "“Trams are our future”" in text.split("\n\n")
    assert "Jane Porter\n" not in text


def test_a_pull_quote_repeating_the_story_is_kept_once() -> None:
    """The pull quote repeating Brill's sentence does not make a second copy of his quote."""
    assert extract_article(PAGE).text.count("The numbers simply do not add up") == 1


@pytest.mark.parametrize("page", ["", "   ", "<html><body><nav><a href='/'>Home</a></nav></body></html>"])
def test_a_page_without_article_text_gives_empty_text(page: str) -> None:
    """No article on the page: empty text (the service refuses it), never an exception."""
    assert extract_article(page).text == ""


def test_br_separated_text_after_the_headline_is_kept() -> None:
    """A <br>-separated page's first paragraph (text right after the <h1>) is not lost."""
    body = "The first paragraph follows the headline.<br><br>The second one is here.<br><br>A third."
    page = f"<html><body><div class='story'><h1>A headline for the story</h1>{body}</div></body></html>"
    text = extract_article(page).text
    assert text.startswith("The first paragraph follows the headline.")
    assert "A third." in text


def test_advertisement_slots_are_dropped() -> None:
    """An ad slot between paragraphs (class `ad`) leaves no "Advertisement" label in the text."""
    page = PAGE.replace(
        "<p>Opponents said",
        "<div class='ad'>Advertisement</div><div class='Ads'>Sponsored</div><p>Opponents said",
    )
    text = extract_article(page).text
    assert "Advertisement" not in text
    assert "Sponsored" not in text
    assert "Opponents said the cost" in text


def test_an_xhtml_page_with_an_xml_declaration_is_read() -> None:
    """An XHTML page's `<?xml … encoding=…?>` declaration does not stop the extraction."""
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE
    assert extract_article(page).text == extract_article(PAGE).text


async def test_pages_are_read_off_the_event_loop_within_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """PageReader extracts on its own thread; past the deadline the caller gets DeadlineExceeded."""
    import threading
    import time

    from service.documents import PageReader
    from service.errors import DeadlineExceeded
    from service.html import Article

    seen: list[str] = []

    def slow(html: str) -> Article:
        seen.append(threading.current_thread().name)
        time.sleep(0.3 if "slow" in html else 0)
        return Article(text=html)

    monkeypatch.setattr("service.documents.extract_article", slow)
    reader = PageReader()
    try:
        assert (await reader.read("fast", time.monotonic() + 5)).text == "fast"
        with pytest.raises(DeadlineExceeded):
            await reader.read("slow", time.monotonic() + 0.05)
    finally:
        reader.close()
    assert seen
    assert all(name.startswith("html") for name in seen)
    assert threading.main_thread().name not in seen
