"""Synthetic (evidence, claim) pairs for the summary checker's cross-encoder, made from
../shared/data/summaries/train/ (never from the FRANK sets).

usage: .venv/bin/python bench/checker_pairs.py [--out DIR/pairs.jsonl] [--articles 1400] [--seed 28]

Supported claims: reference summary sentences that the article backs word for word (every content
word's stem in the article, no number or name it lacks), and article sentences lightly compressed
(a clause, a parenthesis or an attribution dropped). Unsupported claims are made from supported ones:
a name swapped for another name of the same article, two names of the claim swapped, a number
changed, a negation inserted or removed, a pronoun swapped, a word of a quotation replaced, a weekday
or month changed, a clause of another article appended, or a claim of another article. The evidence
of every claim is what the cross-encoder reads (models.crossenc.evidence_text): the
article sentences most similar to the claim by the shipped sentence encoder, in article order. About
half the claims are then written lower-cased and tokenised, as several FRANK systems write.

Seeded and deterministic; the pairs (article text) stay in the cache folder, out of the repository.
Cost: one encoder pass over the chosen articles' sentences, ~4-6 min on one core, < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.crossenc import evidence_text  # noqa: E402
from service.engines.text import split_sentences  # noqa: E402
from service.engines.verify.features import unsupported_names, unsupported_numbers  # noqa: E402
from service.engines.verify.lexical import (  # noqa: E402
    ArticleIndex,
    content,
    names_in,
    numbers_in,
    stem,
    words,
)

#: What the edits draw on from an article (see ``context``).
Context = dict[str, Any]

DATA = ROOT.parent / "shared" / "data" / "summaries" / "train"
SOURCES = ("cnndm_train.jsonl", "cnndm_val.jsonl", "bbc.jsonl")
AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|would|could|can|should|did|does|do|may|must)\b")
NEG = re.compile(r"\s+not\b|n't\b|\s+never\b|\bno longer\s+")
PRONOUNS = {"he": "she", "she": "he", "his": "her", "her": "his", "him": "her", "they": "he"}
PRONOUNS |= {"He": "She", "She": "He", "His": "Her", "Her": "His", "They": "He"}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def sub_once(rng: random.Random, text: str, old: str, new: str) -> str | None:
    """``text`` with one whole-word occurrence of ``old`` (chosen at random) replaced by ``new``."""
    hits = list(re.finditer(rf"(?<![\w]){re.escape(old)}(?![\w])", text))
    if not hits:
        return None
    m = rng.choice(hits)
    return text[: m.start()] + new + text[m.end() :]


def swap_name(rng: random.Random, claim: str, ctx: Context) -> str | None:
    """A name of the claim replaced by another name of the article (the same kind when it can)."""
    mine = [m for m in names_in(claim) if m.kind != "date"]
    if not mine:
        return None
    m = rng.choice(mine)
    pool = [n for n in ctx["names"] if n.lower() not in claim.lower() and m.text.lower() not in n.lower()]
    same = [n for n in pool if ctx["kinds"].get(n) == m.kind]
    pool = same or pool
    if not pool:
        return None
    return claim[: m.start] + str(rng.choice(pool)) + claim[m.end :]


def swap_args(rng: random.Random, claim: str, ctx: Context) -> str | None:
    """Two different names of the claim exchanged (who did what to whom)."""
    mine = [m for m in names_in(claim) if m.kind != "date"]
    if len(mine) < 2 or mine[0].text == mine[1].text:
        return None
    a, b = mine[0], mine[1]
    return claim[: a.start] + b.text + claim[a.end : b.start] + a.text + claim[b.end :]


def change_number(rng: random.Random, claim: str, ctx: Context) -> str | None:
    """A number of the claim replaced by another of the article, or changed."""
    mine = [m for m in numbers_in(claim) if any(c.isdigit() for c in m.text)]
    if not mine:
        return None
    m = rng.choice(mine)
    pool = [n for n in ctx["numbers"] if n not in claim]
    if pool and rng.random() < 0.5:
        new = rng.choice(pool)
    else:
        digits = re.search(r"\d+", m.text)
        assert digits is not None
        n = int(digits.group())
        k = rng.choice([n + rng.randint(1, 9), max(0, n - rng.randint(1, 9)), n * 2, n * 10, n + 100])
        if k == n:
            k = n + 1
        new = m.text[: digits.start()] + str(k) + m.text[digits.end() :]
    return claim[: m.start] + str(new) + claim[m.end :]


def flip_negation(rng: random.Random, claim: str, ctx: Context) -> str | None:
    """A negation removed from the claim, or one inserted after its first auxiliary verb."""
    m = NEG.search(claim)
    if m is not None:
        out = claim[: m.start()] + (" " if m.group().startswith(" ") else "") + claim[m.end() :]
        return out.replace("  ", " ").replace("wo ", "will ").replace("ca ", "can ")
    a = AUX.search(claim)
    if a is None:
        return None
    return claim[: a.end()] + " not" + claim[a.end() :]


def swap_pronoun(rng: random.Random, claim: str, ctx: Context) -> str | None:
    """A personal pronoun of the claim changed (he for she, his for her...)."""
    found = [p for p in PRONOUNS if re.search(rf"\b{p}\b", claim)]
    if not found:
        return None
    p = rng.choice(found)
    return sub_once(rng, claim, p, PRONOUNS[p])


def edit_quote(rng: random.Random, claim: str, ctx: Context) -> str | None:
    """One word inside a quotation of the claim replaced by another word of the article."""
    q = re.search(r"[\"“]([^\"”]{8,})[\"”]", claim)
    if q is None:
        return None
    inner = list(re.finditer(r"[A-Za-z]{4,}", q.group(1)))
    if not inner:
        return None
    w = rng.choice(inner)
    new = rng.choice(ctx["vocab"])
    at = q.start(1) + w.start()
    return claim[:at] + str(new) + claim[at + len(w.group()) :]


def change_when(rng: random.Random, claim: str, ctx: Context) -> str | None:
    """A weekday or month of the claim changed."""
    for names in (DAYS, MONTHS):
        found = [d for d in names if re.search(rf"\b{d}\b", claim)]
        if found:
            d = rng.choice(found)
            return sub_once(rng, claim, d, rng.choice([n for n in names if n != d]))
    return None


def add_clause(rng: random.Random, claim: str, ctx: Context) -> str | None:
    """A clause of a sentence from another article appended to the claim."""
    other = str(rng.choice(ctx["foreign"]))
    parts = other.split(", ", 1)
    if len(parts) < 2 or len(parts[1].split()) < 4:
        return None
    tail = parts[1].rstrip(" .")
    return claim.rstrip(" .") + rng.choice([", ", " and ", " after ", " as "]) + tail + "."


EDITS = {
    "swap_name": swap_name,
    "swap_args": swap_args,
    "number": change_number,
    "negation": flip_negation,
    "pronoun": swap_pronoun,
    "quote": edit_quote,
    "when": change_when,
    "addition": add_clause,
}


def compress(rng: random.Random, sentence: str) -> str | None:
    """An article sentence lightly compressed: a parenthesis, a clause between commas, a trailing
    attribution or a leading connective dropped (None when nothing applies)."""
    options = []
    if re.search(r"\s\([^)]*\)", sentence):
        options.append(re.sub(r"\s\([^)]*\)", "", sentence, count=1))
    m = re.search(r", (who|which|where|when|while|after|before|according to)[^,]*,", sentence)
    if m:
        options.append(sentence[: m.start()] + sentence[m.end() - 1 :].lstrip(","))
    m = re.search(
        r", (he|she|they|it|[A-Z][a-z]+(?: [A-Z][a-z]+)?) (said|says|told [^.]*|added)\.$", sentence
    )
    if m:
        options.append(sentence[: m.start()] + ".")
    m = re.match(r"(But|However|And|Meanwhile|Now|Still|Yet),? ", sentence)
    if m:
        rest = sentence[m.end() :]
        options.append(rest[:1].upper() + rest[1:])
    options = [o.strip() for o in options if len(o.split()) >= 6 and o.strip() != sentence]
    return rng.choice(options) if options else None


def supported_reference(index: ArticleIndex, sentence: str) -> bool:
    """A reference sentence the article backs word for word: every content stem, number and name."""
    cw = content(words(sentence))
    if len(cw) < 3 or any(stem(w) not in index.stems and w not in index.words for w in cw):
        return False
    return not unsupported_numbers(index, sentence) and not unsupported_names(index, sentence)


def tokenised(text: str) -> str:
    """``text`` lower-cased and tokenised as FRANK's pointer-generator era summaries are."""
    t = text.lower().replace("n't", " n't").replace("'s ", " 's ")
    t = re.sub(r"([,.!?;:()\"“”])", r" \1 ", t)
    return " ".join(t.split())


def claims_for(rng: random.Random, row: dict[str, Any], sents: list[str]) -> list[str]:
    """The supported claims of one article (at most four)."""
    index = ArticleIndex(row["article"])
    out: list[str] = []
    sents = [s for s in sents if s.count(";") <= 1 and 6 <= len(s.split()) <= 60]
    if not sents:
        return out
    if row.get("reference_style") == "highlights":
        out += [s.strip() for s in row["reference"].split("\n") if supported_reference(index, s.strip())]
    picks = rng.sample(range(len(sents)), min(len(sents), 8))
    out += [c for c in (compress(rng, sents[i]) for i in picks) if c]
    rng.shuffle(out)
    return out[:4]


def context(row: dict[str, Any], sents: list[str]) -> Context:
    """What the edits draw on from the article: its names (with kinds), numbers and words."""
    kinds: dict[str, str] = {}
    for s in sents:
        for m in names_in(s):
            if m.kind != "date":
                kinds.setdefault(m.text, m.kind)
    nums = sorted({m.text for s in sents for m in numbers_in(s) if any(c.isdigit() for c in m.text)})
    vocab = sorted(set(re.findall(r"[a-z]{4,}", row["article"])))
    return {"names": sorted(kinds), "kinds": kinds, "numbers": nums, "vocab": vocab or ["thing"]}


def make_pairs(rows: list[dict[str, Any]], rng: random.Random, encoder: Any) -> list[dict[str, Any]]:
    """Claims (supported, then edits), their evidence from the encoder, in one pass per article."""
    foreign = [s for r in rng.sample(rows, min(300, len(rows))) for s in split_sentences_text(r["article"])]
    all_claims: list[str] = []
    out = []
    t0 = time.time()
    for n, row in enumerate(rows):
        sents = split_sentences_text(row["article"])
        if len(sents) < 4:
            continue
        ctx = context(row, sents) | {"foreign": foreign}
        items = []
        for claim in claims_for(rng, row, sents):
            items.append((claim, 1, "supported"))
            kinds = list(EDITS)
            rng.shuffle(kinds)
            for kind in kinds:
                bad = EDITS[kind](rng, claim, ctx)
                if bad and bad != claim:
                    items.append((bad, 0, kind))
                    break
        if all_claims and rng.random() < 0.5:
            items.append((rng.choice(all_claims), 0, "other_article"))
        all_claims += [c for c, y, _ in items if y == 1]
        if not items:
            continue
        emb = encoder.encode(sents)
        cemb = encoder.encode([c for c, _, _ in items])
        for (claim, y, kind), e in zip(items, cemb, strict=True):
            order = np.argsort(-(emb @ e))
            style = rng.random() < 0.5
            ev = evidence_text(sents, [int(i) for i in order])
            out.append(
                {
                    "id": row["id"],
                    "claim": tokenised(claim) if style else claim,
                    "evidence": ev,
                    "label": y,
                    "kind": kind,
                }
            )
        if n % 100 == 0:
            print(f"  {n} articles, {len(out)} pairs, {time.time() - t0:.0f}s", file=sys.stderr)
    return out


def split_sentences_text(article: str) -> list[str]:
    """The article's sentences as the checker splits them."""
    return [article[s:e] for s, e in split_sentences(article)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "out" / "checker-cache" / "pairs.jsonl"))
    ap.add_argument("--articles", type=int, default=2600)
    ap.add_argument("--seed", type=int, default=28)
    args = ap.parse_args()
    import torch

    from models.loaders import load_encoder

    torch.set_num_threads(1)
    rng = random.Random(args.seed)
    rows = [
        json.loads(line) for src in SOURCES for line in (DATA / src).read_text().splitlines() if line.strip()
    ]
    rng.shuffle(rows)
    rows = rows[: args.articles]
    pairs = make_pairs(rows, rng, load_encoder(None, dtype="float32"))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(p) + "\n" for p in pairs))
    counts: dict[str, int] = {}
    for p in pairs:
        counts[p["kind"]] = counts.get(p["kind"], 0) + 1
    print(json.dumps({"pairs": len(pairs), "articles": len({p["id"] for p in pairs}), "kinds": counts}))


if __name__ == "__main__":
    main()
