"""HTML input: the article's text, title and date extracted from a web page.

:func:`extract_article` runs trafilatura (main-content extraction: navigation, scripts, styles,
comments and page furniture are dropped, entities decoded) and writes the article back as plain
text, one paragraph per block, blocks separated by a blank line, so that the engines see the same
kind of text a caller would send as ``text``. Block quotes are kept as paragraphs; pull quotes
(``<aside class="pullquote">``, ``<figure class="pull-quote">``…), which trafilatura would drop as
page furniture, are kept as block quotes too, unless their words already appear in the article
(a pull quote usually repeats a sentence of the story: it is kept once).

trafilatura is imported on first use (about 0.7 s): importing this module costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Element names of trafilatura's output tree that hold a paragraph of text.
_BLOCKS = frozenset({"p", "head", "item", "cell", "quote", "code"})
#: ``class`` or ``id`` values that mark a pull quote (pullquote, pull-quote, pull_quote, PullQuote).
_PULL_QUOTE = re.compile(r"pull[-_ ]?quote", re.IGNORECASE)
#: ``class`` words of advertisement slots, dropped before extraction (the extractor keeps a short
#: "Advertisement" label between paragraphs).
_AD_CLASSES = frozenset({"ad", "ads", "advert", "advertisement", "sponsored", "promo"})
#: Quote marks and spaces ignored when a pull quote is compared with the article's paragraphs.
_MARKS = re.compile(r"[\s\"'“”‘’«»„‚‹›]+")


@dataclass(frozen=True, slots=True)
class Article:
    """What a page holds: the article's text, and its title and publication date when found."""

    text: str
    title: str | None = None
    date: str | None = None


def extract_article(html: str) -> Article:
    """The main text of ``html`` (paragraphs separated by blank lines), its title and its date
    (ISO 8601, ``YYYY-MM-DD``). An empty ``text`` means the page holds no article text."""
    import trafilatura
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    if html.lstrip().startswith("<?xml"):  # lxml refuses an encoding declaration in a str
        html = html.split("?>", 1)[-1]
    try:
        tree = lxml_html.document_fromstring(html)
    except (ParserError, ValueError):
        return Article(text="")
    _mark_pull_quotes(tree)
    doc: Any = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        deduplicate=False,
    )
    if doc is None or doc.body is None:
        return Article(text="")
    blocks = _blocks(doc.body)
    title = _clean(doc.title) or None
    if blocks and title and blocks[0][0] == title:
        blocks = blocks[1:]  # the headline is the title: returned once, as `title`
    return Article(text="\n\n".join(_dedupe_quotes(blocks)), title=title, date=doc.date or None)


def _mark_pull_quotes(tree: Any) -> None:
    """Turn pull quotes into block quotes, so that the extractor keeps them; drop ad slots."""
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.tag in ("html", "body") or el.getparent() is None:
            continue
        classes = el.get("class", "")
        if _AD_CLASSES.intersection(classes.lower().split()):
            el.drop_tree()
            continue
        marks = f"{classes} {el.get('id', '')}"
        if _PULL_QUOTE.search(marks):
            for caption in el.findall(".//figcaption"):
                caption.drop_tree()
            el.tag = "blockquote"
            el.attrib.clear()


def _blocks(body: Any) -> list[tuple[str, bool]]:
    """Each innermost block of trafilatura's output tree, whitespace collapsed, and whether it is
    (inside) a block quote."""
    out: list[tuple[str, bool]] = []
    for el in body.iter(*_BLOCKS):
        quoted = el.tag == "quote" or any(a.tag == "quote" for a in el.iterancestors())
        if not any(child.tag in _BLOCKS for child in el.iterdescendants()):  # else: its inner blocks
            text = _clean("".join(el.itertext()))
            if text:
                out.append((text, quoted))
        # Text right after a block, outside any (a <br>-separated page's paragraph after its heading).
        if el.tail and el.tail.strip():
            out.append((_clean(el.tail), quoted and el.tag != "quote"))
    return out


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _dedupe_quotes(blocks: list[tuple[str, bool]]) -> list[str]:
    """The paragraphs, less each block quote whose words (quote marks aside) are wholly inside
    another paragraph: a pull quote repeating the story's sentence is kept once, where the story
    has it."""
    keys = [_MARKS.sub(" ", text).strip().lower() for text, _ in blocks]
    kept = []
    for i, (text, quoted) in enumerate(blocks):
        key = keys[i]
        repeated = quoted and any(j != i and len(k) > len(key) and key in k for j, k in enumerate(keys))
        if not repeated:
            kept.append(text)
    return kept
