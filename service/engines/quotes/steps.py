"""The quote engine as a pipeline of steps over one :class:`Article`; each step reads the article
and the draft the step before returned, and returns new values (nothing is edited in place):

1. spans (:func:`rules`, with ``article.find_quotes``): the quotes found between marks;
2. cues (``article.transcript_labels``, ``attribution.by_cues``): transcript labels, then a cue
   verb after or before each quote;
3. attribution (``attribution.by_context``): neighbouring quotes, continued paragraphs, the
   sentence's subject; single-marked spans that no cue next to them attributes are dropped;
4. verdicts (:func:`verdicts`): which spans are quotes at all (the span classifier, one guard, lists
   of quoted terms);
5. speaker resolution (:func:`rank`): the learned ranker may overrule weak or missing attributions
   (the names themselves are resolved against the cast in ``speakers.build_result``);
6. output (:func:`output`): the returned quotes, as :class:`Attributed`.
"""

from __future__ import annotations

import dataclasses
import re

from service.engines.quotes.article import (
    MAX_ATTRIBUTED,
    Article,
    find_quotes,
    read_article,
    transcript_labels,
)
from service.engines.quotes.article import words as word_count
from service.engines.quotes.attribution import by_context, by_cues
from service.engines.quotes.cited import named_not_spoken
from service.engines.quotes.context import Mention, MentionKind
from service.engines.quotes.lexicon import LABEL_CUES, METALINGUISTIC, TITLE_SMALL
from service.engines.quotes.outcomes import Attr, Draft, Found, How
from service.engines.quotes.ranker import WEAK, Candidate, QuoteSite, Ranker, candidates
from service.engines.quotes.spans import SpanScorer, features
from service.engines.quotes.speakers import Attributed
from service.engines.quotes.terms import term_list


def _title_case(s: str) -> bool:
    ws = re.findall(r"[A-Za-z][\w’'-]*", s)
    return bool(ws) and ws[0][:1].isupper() and all(w[:1].isupper() or w in TITLE_SMALL for w in ws)


def _group_label(words: int, attr: Attr | None) -> bool:
    """ "critics called its ending “divisive”": a one- or two-word label by an unnamed group is a
    scare quote (a hard case held fixed)."""
    return (
        attr is not None and words <= 2 and attr.cue in LABEL_CUES and attr.mention.kind == MentionKind.DESC
    )


_METALINGUISTIC = re.compile(r"\b(?:" + "|".join(sorted(METALINGUISTIC)) + r")\b", re.IGNORECASE)


def _cited_words(art: Article, q: Found, attr: Attr | None) -> bool:
    """An item of a pair (or more) of short quoted words in a sentence that speaks of them as
    words ("Experts added “circle back” and “synergy” to their list of words"), which no named
    person is said to use: cited words, not quoted speech."""
    if word_count(art.text[q.start : q.end]) > 2 or (
        attr is not None and attr.mention.kind != MentionKind.DESC
    ):
        return False
    masked = art.masked
    lo = max(masked.rfind(". ", 0, q.span.open_at), masked.rfind("\n", 0, q.span.open_at), 0)
    ends = (masked.find(". ", q.span.close_at), masked.find("\n", q.span.close_at), len(masked))
    return bool(_METALINGUISTIC.search(masked, lo, min(x for x in ends if x >= 0)))


# ---------------------------------------------------------------------------- steps 1-3: the rules


def rules(art: Article) -> Draft:
    """Steps 1-3: every quote with the rules' attribution (the first MAX_ATTRIBUTED quotes only;
    the rest stay unattributed)."""
    found = find_quotes(art)
    head = by_context(art, by_cues(art, transcript_labels(art, found[:MAX_ATTRIBUTED])))
    rest = found[MAX_ATTRIBUTED:]
    draft = Draft((*head.quotes, *rest), (*head.attrs, *[None for _ in rest]))
    if not art.tentative:
        return draft
    kept = [
        (q, a)
        for q, a in zip(draft.quotes, draft.attrs, strict=True)
        if q.span not in art.tentative or (a is not None and a.how in (How.AFTER, How.BEFORE))
    ]
    return Draft(tuple(q for q, _ in kept), tuple(a for _, a in kept))


def prepare(text: str, apostrophe_pairs: bool) -> tuple[Article, Draft]:
    """The article and its quotes with the rules' attributions, before the ranker (the training
    scripts read the same)."""
    art = read_article(text, apostrophe_pairs)
    return art, rules(art)


# ---------------------------------------------------------------------------- step 4: verdicts


def span_table(art: Article, draft: Draft) -> list[dict[str, float]]:
    """Span-classifier features of every quote of ``draft``, from the rules' attribution (before
    the ranker); the training script reads the same table."""
    n = len(draft.quotes)
    return [features(art, q, a, quotes_in_article=n) for q, a in zip(draft.quotes, draft.attrs, strict=True)]


def verdicts(art: Article, draft: Draft, scorer: SpanScorer | None) -> list[bool] | None:
    """Which quotes are kept (None: all, and the output's title rules apply): the classifier's
    verdict on the first MAX_ATTRIBUTED, overruled by the group-label guard; titles, labels and
    cited words (cited.py) and items of a list of quoted terms that no cue attributes dropped."""
    head = draft.head(MAX_ATTRIBUTED)
    keep: list[bool] | None = None
    if scorer is not None:
        keep = [
            scorer.keep(f) and not _group_label(word_count(art.text[q.start : q.end]), a)
            for q, a, f in zip(head.quotes, head.attrs, span_table(art, head), strict=True)
        ]
        keep += [True] * (len(draft.quotes) - len(head.quotes))
    for i, (q, a) in enumerate(zip(head.quotes, head.attrs, strict=True)):
        ps, pe = art.paras[q.para]
        right = art.text[q.span.close_at + 1 : pe] if q.span.closed else ""
        if named_not_spoken(art.text[ps : q.span.open_at], art.text[q.start : q.end], right, a):
            # A title of a work, a "so-called" label, a word cited as a word (cited.py).
            keep = keep if keep is not None else [True] * len(draft.quotes)
            keep[i] = False
    for i in term_list(art.text, [q.span for q in head.quotes], items=2):
        if _cited_words(art, head.quotes[i], head.attrs[i]):
            keep = keep if keep is not None else [True] * len(draft.quotes)
            keep[i] = False
    for i in term_list(art.text, [q.span for q in head.quotes]):
        attr = head.attrs[i]
        if attr is None or attr.cue is None:
            # An item of a list of quoted terms that no cue attributes: a term, not a quote.
            keep = keep if keep is not None else [True] * len(draft.quotes)
            keep[i] = False
    return keep


# ---------------------------------------------------------------------------- step 5: the ranker


def _weak_cue(art: Article, attr: Attr) -> bool:
    """A cue-verb attribution whose speaker is not plainly a person: a description ("a
    marketing video said"), a capitalised word the cast does not know as a person, a
    possessive ("Trump's remarks said"). On train these are right only ~50-75% of the time
    (named persons and pronouns ~94%), so the ranker may overrule them."""
    if attr.how != How.BEFORE:
        return False
    m = attr.mention
    if m.kind in (MentionKind.DESC, MentionKind.ORG, MentionKind.POSSESSIVE):
        return True
    if m.kind != MentionKind.NAME:
        return False
    if art.text[m.start : m.end].endswith(("'s", "’s", "'", "’")):
        return True
    ent = art.cast.entity_at(m.start, m.end)
    return ent is None or art.cast.entities[ent].kind != "person"


def candidate_table(art: Article, draft: Draft) -> list[list[Candidate] | None]:
    """Ranker candidates for every quote the rules left open or settled weakly (None for the
    rest); the training script reads the same table."""
    out: list[list[Candidate] | None] = []
    prev: Mention | None = None
    spoken: set[int] = set()
    for q, a in zip(draft.quotes, draft.attrs, strict=True):
        if a is not None and a.mention.kind == MentionKind.LABEL:
            out.append(None)  # a transcript label, or a paragraph continuing one
        elif a is None or a.how in WEAK or _weak_cue(art, a):
            site = QuoteSite(
                q.span.open_at,
                q.span.close_at,
                q.para,
                a.mention if a else None,
                a.how if a else None,
                prev,
                frozenset(spoken),
            )
            out.append(candidates(art.text, art.masked, art.paras, site, art.cast))
        else:
            out.append(None)
        if a is not None:
            prev = a.mention
            if a.how in (How.AFTER, How.BEFORE):
                ent = art.cast.entity_at(prev.start, prev.end)
                if ent is not None:
                    spoken.add(ent)
    return out


def rank(art: Article, draft: Draft, ranker: Ranker) -> Draft:
    """The ranker's speaker, where it is sure enough to overrule the rules (or they found none),
    for the first MAX_ATTRIBUTED quotes; candidates are read from the rules' attributions."""
    head = draft.head(MAX_ATTRIBUTED)
    attrs = list(head.attrs)
    asked: list[tuple[Mention | None, float] | None] = [None] * len(draft.quotes)
    for i, cands in enumerate(candidate_table(art, head)):
        if cands is None:
            continue
        a = attrs[i]
        asked[i] = (a.mention if a else None, ranker.best(cands)[1])
        m = ranker.pick(cands, a.how if a else None)
        # Below the threshold the rules' own pick (if any) stands.
        if m is not None and (a is None or (m.start, m.end) != (a.mention.start, a.mention.end)):
            attrs[i] = Attr(m, a.cue if a else None, How.RANKED)
    return dataclasses.replace(draft.with_attrs(attrs), asked=tuple(asked))


# ---------------------------------------------------------------------------- step 6: output


def _returned(
    text: str,
    q: Found,
    attr: Attr | None,
    screened: bool,
    asked: tuple[Mention | None, float] | None = None,
) -> Attributed | None:
    """One quote as returned, or None when it is dropped. Without the span classifier
    (``screened`` False): a title (a show, a book, a slogan in title case) is not a quote of the
    sentence's subject, and a label by an unnamed group is a scare quote. The classifier keeps
    such spans only when they read as attributed, so then the speaker stands."""
    words = word_count(text[q.start : q.end])
    titled = not screened and words <= 6 and _title_case(text[q.start : q.end])
    if titled and attr is not None and attr.how != How.AFTER:
        attr = None
    if attr is None:
        return None if titled else Attributed(q.start, q.end)
    if not screened and _group_label(words, attr):
        return None
    rules, ranker_p = asked if asked is not None else (attr.mention, None)
    return Attributed(q.start, q.end, attr.mention, attr.cue, attr.how, rules, ranker_p)


def output(art: Article, draft: Draft, keep: list[bool] | None) -> tuple[list[Attributed], int | None]:
    """The quotes that are returned, as :class:`Attributed`, and where the per-text limit began
    (the index from which quotes went unattributed)."""
    out: list[Attributed] = []
    unattributed_from = None
    for i, (q, a) in enumerate(zip(draft.quotes, draft.attrs, strict=True)):
        if keep is not None and not keep[i]:
            continue
        if i == MAX_ATTRIBUTED:
            unattributed_from = len(out)
        returned = _returned(
            art.text, q, a, keep is not None, draft.asked[i] if i < len(draft.asked) else None
        )
        if returned is not None:
            out.append(returned)
    return out, unattributed_from
