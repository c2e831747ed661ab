"""How much of an article survives HTML extraction: paragraphs kept, quotes kept, furniture leaked.

    .venv/bin/python -m bench.html_extraction

Pages are written here (no page of a real site is stored): three short stories, written for this
project, each laid out in the markup styles newsroom pages use (semantic <article>, div soup,
<br>-separated text, ads and "read more" links between paragraphs, fact boxes as lists, section
headings, pull quotes, a reader-comments section, a page rendered by script from JSON-LD). For
each layout the script prints, over the three stories: the share of the story's paragraphs whose
text is in the extracted text, the share of its quotes found there verbatim, the share the quote
engine attributes to the right speaker, and how many pieces of page furniture (navigation,
script, style, ads, comments) leaked in. The same for a naive baseline (lxml's text of the whole
body) shows what extraction buys.
"""

from __future__ import annotations

import html as htmlmod
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from service.html import extract_article


@dataclass(frozen=True)
class Story:
    title: str
    date: str
    paragraphs: list[str]
    #: (quote words, speaker's canonical name)
    quotes: list[tuple[str, str]]


STORIES = [
    Story(
        "Harbour ferry returns after two-year pause",
        "2026-04-02",
        [
            "The harbour ferry between Eastgate and the island resumed service on Wednesday after a "
            "two-year pause caused by repairs to the landing stage.",
            "“People have waited a long time for this morning,” said Captain Lena Moss, who steered the "
            "first crossing with forty passengers on board.",
            "The operator plans six crossings a day in spring and ten in summer, and tickets will cost "
            "the same as before the closure.",
            "Island shopkeepers said the pause had cut their trade by almost a third.",
            "“We kept the lights on, but only just,” said Omar Haddad, who runs the bakery by the pier.",
            "The council paid for most of the repairs from its maintenance budget.",
            "“The landing stage will now last another forty years,” the council's engineer, Priya Nair, "
            "said.",
        ],
        [
            ("People have waited a long time for this morning", "Lena Moss"),
            ("We kept the lights on, but only just", "Omar Haddad"),
            ("The landing stage will now last another forty years", "Priya Nair"),
        ],
    ),
    Story(
        "School garden wins regional prize",
        "2026-05-19",
        [
            "A vegetable garden planted by pupils at Millbrook Primary has won the regional prize for "
            "community projects.",
            "The garden grows beans, potatoes and herbs on land that was a car park until last year.",
            "“The children did the digging, the planting and most of the weeding,” said head teacher "
            "Grace Okafor.",
            "Produce from the garden is served in the school kitchen twice a week.",
            "“I did not know carrots could be purple,” said Sam Reilly, aged nine.",
            "The prize comes with a grant that the school will spend on a greenhouse.",
        ],
        [
            ("The children did the digging, the planting and most of the weeding", "Grace Okafor"),
            ("I did not know carrots could be purple", "Sam Reilly"),
        ],
    ),
    Story(
        "Night buses to run on weekends from June",
        "2026-05-27",
        [
            "Night buses will run every half hour on Friday and Saturday nights from June, the transport "
            "authority announced on Tuesday.",
            "The service covers four routes between the city centre and the outer districts.",
            "“Shift workers and students have asked for this for years,” said transport director Felix "
            "Brandt.",
            "Each bus will carry a trained steward after midnight.",
            "Taxi drivers' representatives said the plan would cut their income.",
            "“We are not against buses, we are against unfair competition,” said Maria Santos of the "
            "drivers' association.",
            "A review of passenger numbers is planned for the end of the year.",
        ],
        [
            ("Shift workers and students have asked for this for years", "Felix Brandt"),
            ("We are not against buses, we are against unfair competition", "Maria Santos"),
        ],
    ),
]

#: Furniture every page carries; none of it may reach the text.
FURNITURE = [
    "Subscribe now",
    "Top stories",
    "Cookie settings",
    "ticker()",
    "font-size",
    "Advertisement",
    "Read more:",
    "Comments (",
    "Share on",
    "All rights reserved",
]


def enc(text: str) -> str:
    """Entity-encode a paragraph the way CMSs do (curly quotes and apostrophes as entities)."""
    return (
        htmlmod.escape(text, quote=False)
        .replace("“", "&ldquo;")
        .replace("”", "&rdquo;")
        .replace("’", "&rsquo;")
    )


def page(story: Story, body: str) -> str:
    """A whole page: head with title, date, style and script; navigation; footer."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{enc(story.title)} | Eastgate Courier</title>
<meta property="article:published_time" content="{story.date}T08:00:00Z">
<style>.story p {{ font-size: 18px; }}</style>
<script>function ticker() {{ return "“Markets up,” said the ticker."; }} ticker();</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">Top stories</a>
<a href="/sub">Subscribe now</a></nav></header>
<div class="consent">Cookie settings <button>OK</button></div>
{body}
<div class="share">Share on social media</div>
<footer>© 2026 Eastgate Courier. All rights reserved.</footer>
</body></html>"""


def semantic(s: Story) -> str:
    ps = "".join(f"<p>{enc(p)}</p>" for p in s.paragraphs)
    return f"<main><article class='story'><h1>{enc(s.title)}</h1>{ps}</article></main>"


def div_soup(s: Story) -> str:
    ps = "".join(f"<div class='para'>{enc(p)}</div>" for p in s.paragraphs)
    return f"<div id='content'><div class='story-body'><h1>{enc(s.title)}</h1>{ps}</div></div>"


def br_separated(s: Story) -> str:
    return f"<div class='story'><h1>{enc(s.title)}</h1>{'<br><br>'.join(enc(p) for p in s.paragraphs)}</div>"


def ads_between(s: Story) -> str:
    parts = []
    for i, p in enumerate(s.paragraphs):
        parts.append(f"<p>{enc(p)}</p>")
        if i % 2 == 1:
            parts.append("<div class='ad'>Advertisement</div>")
        if i == 2:
            parts.append("<div class='related'><a href='/x'>Read more: Council budget approved</a></div>")
    return f"<article><h1>{enc(s.title)}</h1>{''.join(parts)}</article>"


def fact_box(s: Story) -> str:
    ps = "".join(f"<p>{enc(p)}</p>" for p in s.paragraphs)
    box = "<ul><li>Route length: 12 km</li><li>Stops: 14</li></ul>"
    return f"<article><h1>{enc(s.title)}</h1>{ps}<h2>Key facts</h2>{box}</article>"


def sections(s: Story) -> str:
    half = len(s.paragraphs) // 2
    first = "".join(f"<p>{enc(p)}</p>" for p in s.paragraphs[:half])
    second = "".join(f"<p>{enc(p)}</p>" for p in s.paragraphs[half:])
    return (
        f"<article><h1>{enc(s.title)}</h1><section><h2>What happened</h2>{first}</section>"
        f"<section><h2>Reactions</h2>{second}</section></article>"
    )


def pull_quote(s: Story) -> str:
    words, _ = s.quotes[0]
    ps = [f"<p>{enc(p)}</p>" for p in s.paragraphs]
    ps.insert(2, f"<aside class='pullquote'><p>&ldquo;{enc(words)}&rdquo;</p></aside>")
    return f"<article><h1>{enc(s.title)}</h1>{''.join(ps)}</article>"


def with_comments(s: Story) -> str:
    ps = "".join(f"<p>{enc(p)}</p>" for p in s.paragraphs)
    comments = (
        "<section id='comments' class='comments'><h3>Comments (2)</h3>"
        "<div class='comment'><p>&ldquo;About time,&rdquo; said a reader.</p></div>"
        "<div class='comment'><p>Great news for the town.</p></div></section>"
    )
    return f"<article><h1>{enc(s.title)}</h1>{ps}</article>{comments}"


def script_rendered(s: Story) -> str:
    """The body is empty until a script renders it; the text is only in JSON-LD."""
    import json

    ld = json.dumps({"@type": "NewsArticle", "headline": s.title, "articleBody": " ".join(s.paragraphs)})
    return f"<div id='root'></div><script type='application/ld+json'>{ld}</script>"


def sidebar_box(s: Story) -> str:
    """The story's last paragraph (a quote) sits in a side box: an <aside> that is no pull quote."""
    ps = "".join(f"<p>{enc(p)}</p>" for p in s.paragraphs[:-1])
    box = f"<aside class='box'><h3>In their words</h3><p>{enc(s.paragraphs[-1])}</p></aside>"
    return f"<article><h1>{enc(s.title)}</h1>{ps}{box}</article>"


def caption(s: Story) -> str:
    """The story's second paragraph is a photo caption (<figcaption>)."""
    ps = [f"<p>{enc(p)}</p>" for p in s.paragraphs]
    ps[1] = f"<figure><img src='a.jpg' alt=''><figcaption>{enc(s.paragraphs[1])}</figcaption></figure>"
    return f"<article><h1>{enc(s.title)}</h1>{''.join(ps)}</article>"


def brief(s: Story) -> str:
    """A news brief: the first two paragraphs only, in a page otherwise full of links."""
    links = "".join(f"<li><a href='/{i}'>Another story number {i} today</a></li>" for i in range(12))
    ps = "".join(f"<p>{enc(p)}</p>" for p in s.paragraphs[:2])
    return f"<div class='brief'><h1>{enc(s.title)}</h1>{ps}</div><ul class='more'>{links}</ul>"


LAYOUTS: dict[str, Callable[[Story], str]] = {
    "semantic <article>": semantic,
    "div soup (no <p>)": div_soup,
    "<br><br> paragraphs": br_separated,
    "ads and links between": ads_between,
    "fact box list": fact_box,
    "sections with <h2>": sections,
    "pull quote <aside>": pull_quote,
    "reader comments": with_comments,
    "rendered by script": script_rendered,
    "quote in a side box": sidebar_box,
    "paragraph as caption": caption,
    "two-paragraph brief": brief,
}


def naive(html: str) -> str:
    """Baseline: every text node of the body (what stripping tags gives)."""
    from lxml import html as lxml_html

    return " ".join(lxml_html.document_fromstring(html).body.text_content().split())


def on_page(story: Story, layout: str) -> Story:
    """The part of the story the layout puts on the page (a brief carries two paragraphs)."""
    if layout != "two-paragraph brief":
        return story
    kept = story.paragraphs[:2]
    return Story(story.title, story.date, kept, [q for q in story.quotes if any(q[0] in p for p in kept)])


def score(text: str, story: Story, engine: Any) -> tuple[float, float, float, int]:
    """Paragraphs kept, quotes kept, quotes with the right speaker (shares), furniture leaked."""
    flat = " ".join(text.split())
    paras = sum(" ".join(p.split()) in flat for p in story.paragraphs) / len(story.paragraphs)
    n = max(1, len(story.quotes))
    quotes = sum(w in flat for w, _ in story.quotes) / n if story.quotes else 1.0
    found = {
        q.text.rstrip(",."): (q.speaker.name if q.speaker else None) for q in engine.extract(text).quotes
    }
    right = sum(found.get(w.rstrip(",.")) == who for w, who in story.quotes) / n if story.quotes else 1.0
    leaked = sum(f in text for f in FURNITURE) + ("the ticker" in text) + ("a reader" in text)
    return paras, quotes, right, leaked


@dataclass(frozen=True)
class Row:
    """One layout over the stories: shares kept (extraction, then the naive baseline), leaks."""

    layout: str
    paragraphs: float
    quotes: float
    speakers: float
    leaked: int
    naive_paragraphs: float
    naive_quotes: float
    naive_leaked: int


def measure() -> list[Row]:
    """Every layout, scored over the three stories."""
    from service.engines.quotes import RuleQuoteEngine

    engine = RuleQuoteEngine()
    engine.load()
    out = []
    for name, layout in LAYOUTS.items():
        rows, base = [], []
        for story in STORIES:
            doc = page(story, layout(story))
            rows.append(score(extract_article(doc).text, on_page(story, name), engine))
            base.append(score(naive(doc), on_page(story, name), engine))
        p, q, s = (statistics.mean(r[i] for r in rows) for i in range(3))
        bp, bq = (statistics.mean(r[i] for r in base) for i in range(2))
        out.append(Row(name, p, q, s, sum(r[3] for r in rows), bp, bq, sum(r[3] for r in base)))
    return out


def main() -> None:
    rows = measure()
    print(f"{'layout':<24} {'paragraphs':>10} {'quotes':>7} {'speaker':>8} {'leaked':>7}", end="")
    print(" | naive: para quote leaked")
    for r in rows:
        print(
            f"{r.layout:<24} {r.paragraphs:>10.0%} {r.quotes:>7.0%} {r.speakers:>8.0%} {r.leaked:>7} | "
            f"{r.naive_paragraphs:>11.0%} {r.naive_quotes:>5.0%} {r.naive_leaked:>6}"
        )
    p, q, s = (statistics.mean(getattr(r, k) for r in rows) for k in ("paragraphs", "quotes", "speakers"))
    print(f"{'mean over layouts':<24} {p:>10.0%} {q:>7.0%} {s:>8.0%}")


if __name__ == "__main__":
    main()
