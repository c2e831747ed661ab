"""Train the quote engine's confidence model for EXACT speaker names, calibrate it on held-out
folds and choose, by cross-validation, the confidence below which a name is withheld.

usage: train_quote_confidence.py [--data ../shared/data/polnear/train.jsonl]
                                 [--out models/weights/quote_confidence.json]
                                 [--cache /tmp/quote_confidence_rows.json]

Rows: every returned quote of a PolNeAR train article that the engine names (before any threshold)
and that matches a gold quote (Jaccard >= 0.5), labelled right when the name is exactly the
canonical one (``score_quotes.py --exact-names``' normalisation). Gold names come from
``bench/data/polnear_train_names.jsonl`` (hand-checked) and, for the other quotes, from PolNeAR
mentions that are themselves a full name ("Senate Majority Leader Mitch McConnell" -> "Mitch
McConnell": the run from the first given name to the end). Articles of the held-out name file are
left out entirely. Features: ``confidence.attribution_features``.

Model: L2 logistic regression (scikit-learn), Platt-scaled. Nested 5-fold cross-validation grouped
by article: for each outer fold the model is fitted on the other four, its Platt scaling on their
inner out-of-fold scores, and the fold is scored; so every reported figure (ROC AUC, calibration
error over 10 equal-count bins, precision of the more confident half, the table of confidence bins
against the share right, precision and coverage per threshold) is out of fold, with the spread over
folds. The threshold is the one with
the best mean held-out utility (right names minus twice the wrong ones); the lowest threshold that
reaches ``TARGET_PRECISION`` is printed with its coverage. The weights written are fitted on all
rows. Seeded and deterministic; about a minute on one core (the engine pass is cached with --cache).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

from bench.train_quote_ranker import _jacc, _trim
from service.engines.quotes import RuleQuoteEngine
from service.engines.quotes.confidence import attribution_features, occurrence_counts, quote_counts
from service.engines.quotes.evidence import is_given_name
from service.engines.quotes.speakers import evidence, resolve

ROOT = Path(__file__).resolve().parent.parent
FOLDS = 5
SEED = 26
C = 1.0
TARGET_PRECISION = 0.95
#: Also label quotes whose PolNeAR mention is a surname alone (right: the name given ends in it).
#: Off: it triples the rows but the hand-named rows' held-out ROC AUC fell from 0.72 to 0.62.
SURNAMES = False
#: A wrong name costs this many right ones.
WRONG_COST = 2.0
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(0, 20))
_HONORIFIC = re.compile(r"^(the|mr|mrs|ms|miss|dr)\.?\s+")
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "president", "vice", "senator", "judge"}


def norm_name(x: str | None) -> str:
    """The shared scorer's normalisation of a name (case, punctuation, a leading title)."""
    x = " ".join(re.sub(r"[^\w\s-]", " ", (x or "").casefold().replace("’", "'").replace("'s ", " ")).split())
    return _HONORIFIC.sub("", x)


def full_name(mention: str) -> str | None:
    """The person's full name when a PolNeAR mention is one ("Sen. Ted Cruz", "Republican
    front-runner Donald J. Trump"); None for pronouns, descriptions, surnames alone, possessives."""
    m = mention.strip().rstrip(",.")
    if re.search(r"['’]s?$", m) or "," in m or "(" in m:
        return None
    toks = m.split()
    run: list[str] = []
    for t in reversed(toks):
        if not t[:1].isupper():
            break
        run.insert(0, t)
    for i, t in enumerate(run):
        w = t.rstrip(".").lower()
        if w not in _TITLES and is_given_name(t.rstrip(".")) and len(run) - i >= 2:
            name = run[i:]
            if len(name[-1].rstrip(".")) <= 1:
                return None
            return " ".join(name)
    return None


def surname(mention: str) -> str | None:
    """The surname when a PolNeAR mention is one, with at most titles before it ("Rubio", "Sen.
    Cruz", "Mr. Trump"); None otherwise."""
    toks = mention.strip().rstrip(",.").split()
    while len(toks) > 1 and toks[0].lower().rstrip(".") in _TITLES | {"sen", "rep", "gov", "gen"}:
        toks = toks[1:]
    if len(toks) != 1 or not toks[0][:1].isupper() or re.search(r"['’]s?$", toks[0]):
        return None
    word = toks[0]
    if word.lower() in {"he", "she", "it", "they", "i", "we", "you"} or not word.isalpha():
        return None
    return word


def same_person(given: str, mention_name: str) -> bool:
    """For a name derived from a PolNeAR mention, which may be shorter or longer than the article's
    fullest form ("Hillary Clinton" / "Hillary Rodham Clinton"): the same first and last words, or
    one name's words within the other's with the same last word."""
    a, b = norm_name(given).split(), norm_name(mention_name).split()
    if not a or not b or a[-1] != b[-1]:
        return False
    return a[0] == b[0] or set(a) <= set(b) or set(b) <= set(a)


def org_name(mention: str) -> str | None:
    """An organisation's name when a PolNeAR mention is one written with its article ("The State
    Department", "the DNC"): the capitalised words after "the", none of them a given name."""
    toks = mention.strip().rstrip(",.").split()
    if len(toks) < 2 or toks[0].lower() != "the" or re.search(r"['’]s?$", toks[-1]):
        return None
    rest = toks[1:]
    if (
        not all(t[:1].isupper() or t in ("of", "for", "and", "on") for t in rest)
        or not rest[-1][:1].isupper()
    ):
        return None
    if any(is_given_name(t.rstrip(".")) for t in rest if t[:1].isupper() and not t.isupper()):
        return None
    return " ".join(rest)


def _hand(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    out: dict[str, dict[tuple[int, int], str]] = {}
    for line in path.read_text(encoding="utf8").splitlines():
        if line.strip():
            a = json.loads(line)
            out.setdefault(a["article"], {})[(a["start"], a["end"])] = a["name"]
    return out


def _gold(doc: dict[str, Any], hand: dict[tuple[int, int], str]) -> list[tuple[tuple[int, int], str, str]]:
    """(trimmed segment, canonical name or "" for none, origin) of each gold segment with a name."""
    text, out = doc["text"], []
    for q in doc["quotes"]:
        first = q["quote_segments"][0]
        name = hand.get((first["start"], first["end"]))
        origin = "hand"
        if name is None:
            src = q["source"][0]["text"] if q["source"] else ""
            name, origin = full_name(src) or org_name(src), "derived"
            if name is None and SURNAMES:
                name, origin = surname(src), "surname"
            if name is None:
                continue
        for seg in q["quote_segments"]:
            s, e = _trim(text, seg["start"], seg["end"])
            if e > s:
                out.append(((s, e), name, origin))
    return out


def rows(data: Path, names: Path, heldout: Path) -> list[dict[str, Any]]:
    """One row per named, matched quote: article, origin, features, right."""
    engine = RuleQuoteEngine(confidence=False)
    hand, skip = _hand(names), set(_hand(heldout))
    out = []
    for line in data.open(encoding="utf8"):
        doc = json.loads(line)
        if doc["article"] in skip:
            continue
        text = doc["text"]
        gold = _gold(doc, hand.get(doc["article"], {}))
        if not gold:
            continue
        quotes, cast, _ = engine.attributed(text)
        counts = occurrence_counts(cast)
        resolved = [
            resolve(text, q.mention, cast) if q.mention is not None and q.how is not None else None
            for q in quotes
        ]
        quoted = quote_counts(n.entity for n in resolved if n is not None)
        for q, named in zip(quotes, resolved, strict=True):
            if named is None or named.name is None:
                continue
            span = _trim(text, q.start, q.end)
            best = max(gold, key=lambda g: _jacc(g[0], span))
            if _jacc(best[0], span) < 0.5:
                continue
            feats = attribution_features(text, evidence(q, named), cast, counts, quoted)
            if best[2] == "surname":
                right = norm_name(named.name).split()[-1:] == [best[1].lower()]
            elif best[2] == "derived":
                right = same_person(named.name, best[1])
            else:
                right = norm_name(named.name) == norm_name(best[1])
            out.append({"article": doc["article"], "origin": best[2], "feats": feats, "right": right})
    return out


def fold_of(article: str) -> int:
    """A stable fold for an article (its id's digest)."""
    return int(hashlib.sha256(article.encode()).hexdigest(), 16) % FOLDS


def _fit(rs: list[dict[str, Any]], platt: bool) -> dict[str, Any]:
    """Logistic weights on ``rs``; with ``platt``, Platt scaling fitted on inner out-of-fold scores."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([r["feats"] for r in rs])
    y = np.array([r["right"] for r in rs], dtype=int)
    lr = LogisticRegression(C=C, max_iter=2000, random_state=SEED).fit(x, y)
    doc: dict[str, Any] = {
        "model": "logistic regression, Platt-scaled",
        "weights": {k: round(float(w), 6) for k, w in zip(vec.feature_names_, lr.coef_[0], strict=True)},
        "bias": round(float(lr.intercept_[0]), 6),
        "platt": {"scale": 1.0, "shift": 0.0},
    }
    if platt:
        inner = []
        for f in range(FOLDS):
            sub = _fit([r for r in rs if fold_of(r["article"] + "#") != f], False)
            inner += [(margin(sub, r), r["right"]) for r in rs if fold_of(r["article"] + "#") == f]
        pm = LogisticRegression(C=1e4, max_iter=2000).fit(
            np.array([[m] for m, _ in inner]), np.array([ok for _, ok in inner], dtype=int)
        )
        doc["platt"] = {"scale": round(float(pm.coef_[0][0]), 6), "shift": round(float(pm.intercept_[0]), 6)}
    return doc


def margin(doc: dict[str, Any], r: dict[str, Any]) -> float:
    return float(doc["bias"] + sum(doc["weights"].get(k, 0.0) * v for k, v in r["feats"].items()))


def prob(doc: dict[str, Any], r: dict[str, Any]) -> float:
    z = doc["platt"]["scale"] * margin(doc, r) + doc["platt"]["shift"]
    return float(1.0 / (1.0 + np.exp(-z)))


def calibration(pairs: list[tuple[float, bool]], bins: int = 10) -> dict[str, float]:
    """ECE over equal-count bins, precision of the more confident half, ROC AUC (the scorer's)."""
    pairs = sorted(pairs)
    n = len(pairs)
    ece = 0.0
    for b in range(bins):
        part = pairs[b * n // bins : (b + 1) * n // bins]
        if part:
            ece += (
                len(part)
                / n
                * abs(sum(c for c, _ in part) / len(part) - sum(ok for _, ok in part) / len(part))
            )
    top = pairs[n // 2 :]
    right = [c for c, ok in pairs if ok]
    wrong = sorted(c for c, ok in pairs if not ok)
    import bisect

    auc = (
        sum(
            bisect.bisect_left(wrong, c)
            + 0.5 * (bisect.bisect_right(wrong, c) - bisect.bisect_left(wrong, c))
            for c in right
        )
        / (len(right) * len(wrong))
        if right and wrong
        else float("nan")
    )
    return {"ece": ece, "top_half": sum(ok for _, ok in top) / max(1, len(top)), "auc": auc}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl")
    ap.add_argument("--names", type=Path, default=ROOT / "bench" / "data" / "polnear_train_names.jsonl")
    ap.add_argument(
        "--heldout", type=Path, default=ROOT / "bench" / "data" / "polnear_train_names_heldout.jsonl"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "weights" / "quote_confidence.json")
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args()
    if args.cache is not None and args.cache.exists():
        data = json.loads(args.cache.read_text())
    else:
        data = rows(args.data, args.names, args.heldout)
        if args.cache is not None:
            args.cache.write_text(json.dumps(data))
    print(
        f"rows: {len(data)} ({sum(r['origin'] == 'hand' for r in data)} hand-named), "
        f"right {sum(r['right'] for r in data) / len(data):.3f}"
    )
    oof: list[tuple[float, dict[str, Any]]] = []
    for f in range(FOLDS):
        doc = _fit([r for r in data if fold_of(r["article"]) != f], True)
        oof += [(prob(doc, r), r) for r in data if fold_of(r["article"]) == f]
    report(oof)
    threshold = choose(oof)
    doc = _fit(data, True)
    doc.update(
        {
            "threshold": threshold,
            "rows": len(data),
            "target_precision": TARGET_PRECISION,
            "wrong_cost": WRONG_COST,
        }
    )
    raw = (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()
    args.out.write_bytes(raw)
    print(f"chosen threshold {threshold}; wrote {args.out} sha256 {hashlib.sha256(raw).hexdigest()}")


def report(oof: list[tuple[float, dict[str, Any]]]) -> None:
    """Out-of-fold figures: per origin and per fold, and the table of bins against share right."""
    for origin in ("all", "hand"):
        sel = [(p, r) for p, r in oof if origin == "all" or r["origin"] == origin]
        c = calibration([(p, r["right"]) for p, r in sel])
        per = [
            calibration([(p, r["right"]) for p, r in sel if fold_of(r["article"]) == f]) for f in range(FOLDS)
        ]
        spread = {k: f"{min(x[k] for x in per):.3f}-{max(x[k] for x in per):.3f}" for k in c}
        print(
            f"[{origin}] n={len(sel)} AUC {c['auc']:.3f} ({spread['auc']}), ECE {c['ece']:.3f} "
            f"({spread['ece']}), top-half precision {c['top_half']:.3f} ({spread['top_half']})"
        )
        edges = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 1.01)
        for lo, hi in itertools.pairwise(edges):
            b = [(p, r["right"]) for p, r in sel if lo <= p < hi]
            if b:
                print(
                    f"   conf [{lo:.2f}, {min(hi, 1.0):.2f}): n={len(b):4d} mean conf "
                    f"{sum(p for p, _ in b) / len(b):.3f} share right {sum(ok for _, ok in b) / len(b):.3f}"
                )


def _curve(oof: list[tuple[float, dict[str, Any]]], t: float, origin: str) -> tuple[list[float], list[float]]:
    """Per fold: precision of the names given at threshold ``t`` and their coverage."""
    precs, covs = [], []
    for f in range(FOLDS):
        held = [(p, r) for p, r in oof if origin in ("all", r["origin"]) and fold_of(r["article"]) == f]
        given = [r for p, r in held if p >= t]
        precs.append(sum(r["right"] for r in given) / max(1, len(given)))
        covs.append(len(given) / max(1, len(held)))
    return precs, covs


def choose(oof: list[tuple[float, dict[str, Any]]]) -> float:
    """The threshold with the best mean held-out utility (right names minus ``WRONG_COST`` times
    wrong ones: a wrong name costs more than none) over all rows; printed beside it, each
    threshold's precision and coverage of the names given (all rows and hand-named rows) and the
    lowest threshold whose precision reaches ``TARGET_PRECISION``."""
    best, best_u, target = 0.0, -1e9, None
    for t in THRESHOLDS:
        line = f"t={t:.2f}:"
        for origin in ("all", "hand"):
            precs, covs = _curve(oof, t, origin)
            line += (
                f" [{origin}] precision {np.mean(precs):.3f} ({min(precs):.3f}-{max(precs):.3f}),"
                f" coverage {np.mean(covs):.3f} ({min(covs):.3f}-{max(covs):.3f})"
            )
            if origin == "all" and target is None and np.mean(precs) >= TARGET_PRECISION:
                target = t
        given = [r for p, r in oof if p >= t]
        u = (sum(r["right"] for r in given) - WRONG_COST * sum(not r["right"] for r in given)) / FOLDS
        print(f"{line} utility {u:.1f}")
        if u > best_u + 1e-9:
            best, best_u = t, u
    print(f"precision {TARGET_PRECISION} first reached at t={target}; best utility at t={best}")
    return best


if __name__ == "__main__":
    main()
