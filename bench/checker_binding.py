"""Name-fact binding features for the summary checker, measured by grouped CV on FRANK validation.

usage: .venv/bin/python bench/checker_binding.py [--cache DIR] [--features NAME,...] [--nested]

FRANK's CNN/DM errors are mostly *which name goes with which fact*: a summary that copies the
article's words but recombines them ("Brandt criticised the company" -> "the company criticised
Brandt"). The shipped features (token alignment, novel words and bigrams, unsupported names and
numbers) do not see that, since every word is the article's. This script computes, per summary
sentence and from the article's own words (no parser, no word lists):

- ``bind_min`` / ``bind_mean``: for each name or number of the sentence, its nearest content words
  on each side (its predicate, in a window); the share of those that some single article sentence
  has together with the name (any of its words, so a surname stands for the full name);
- ``triple_bad``: for two names with a content word between them ("A verb B"), whether no article
  sentence has all three in that order (a swap "B verb A", or "C verb B");
- ``fuse_pairs`` / ``fuse_ent_pairs``: consecutive content words of the sentence that no single
  article sentence has together (all pairs; pairs that join a name and a predicate);
- ``cover1`` / ``cover_gain``: the share of the sentence's content words covered by its best single
  article sentence, and what the best union of two adds (fusion across sentences).

A "name" is a summary word the article writes capitalised away from a sentence start (FRANK's
summaries are mostly lower-cased), or a number. The summaries' shipped features come from the
checker's feature cache (``bench/train_summary_checker.py --features-only --cache DIR``); the
folds, heads, thresholds and metrics are that script's. Printed: per dataset, the 15 folds' mean,
sd and range for the shipped 20 features and for 20 + the new ones, with the same (C, veto) and
the same folds, and the paired per-fold difference (mean, sd) of each metric. ``--nested`` also
chooses C and the veto inside every outer fold (on its training folds only).
Seeded, deterministic; cost: a few seconds of features, about a minute of fits per setting.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from service.engines.text import split_sentences  # noqa: E402
from service.engines.verify.binding import WINDOW, ArticleWords, is_content, mentions  # noqa: E402
from service.engines.verify.lexical import stem, summary_sentences, words  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "faithfulness" / "frank_validation.jsonl"
NEW = (
    "bind_min", "bind_mean", "triple_bad", "fuse_pairs", "fuse_ent_pairs", "cover1", "cover_gain",
    "dangling", "splices", "splice_sents",
)  # fmt: skip
NEW_WORSE = frozenset(
    {"triple_bad", "fuse_pairs", "fuse_ent_pairs", "cover_gain", "dangling", "splices", "splice_sents"}
)
#: Third-person personal pronouns: a summary that says "he" before it names anyone lost the antecedent.
PRONOUNS = frozenset({"he", "she", "him", "his", "her", "hers", "they", "them", "their"})


class Article(ArticleWords):
    """The shipped checker's article words (sentence stem sets, name stems), plus each sentence's
    stems in order and the article's number stems, which the features not shipped read."""

    def __init__(self, article: str) -> None:
        spans = split_sentences(article)
        super().__init__(article, spans)
        self.sents = [[stem(w) for w in words(article[s:e])] for s, e in spans]
        self.numbers = {stem(w) for s in self.sents for w in s if w[:1].isdigit()}


def binding_features(art: Article, sentence: str, before: str = "") -> list[float]:
    """The ``NEW`` features of one summary sentence (``before``: the summary's earlier sentences)."""
    ws = words(sentence)
    st = [stem(w) for w in ws]
    runs = mentions(ws, art, sentence)
    in_run = {k for a, b in runs for k in range(a, b)}
    preds = [k for k in range(len(ws)) if k not in in_run and is_content(ws[k])]
    scores = []
    for a, b in runs:
        ent = {st[k] for k in range(a, b)}
        near = [k for k in preds if k < a][-WINDOW:] + [k for k in preds if k >= b][:WINDOW]
        if not near:
            continue
        with_ent = [s for s in art.sets if ent & s]
        scores.append(sum(any(st[k] in s for s in with_ent) for k in near) / len(near))
    triples = []
    for (a1, b1), (a2, b2) in itertools.pairwise(runs):
        between = [k for k in preds if b1 <= k < a2]
        if not between:
            continue
        v = st[between[0]]
        e1, e2 = {st[k] for k in range(a1, b1)}, {st[k] for k in range(a2, b2)}
        triples.append(float(not any(_in_order(s, e1, v, e2) for s in art.sents)))
    cont = [k for k in range(len(ws)) if is_content(ws[k])]
    pairs = list(itertools.pairwise(cont))
    fused = [not any(st[i] in s and st[j] in s for s in art.sets) for i, j in pairs]
    ent_pair = [(i in in_run) != (j in in_run) for i, j in pairs]
    fused_ent = [f for f, e in zip(fused, ent_pair, strict=True) if e]
    cover1, cover2 = _coverage(art, {st[k] for k in cont})
    return [
        min(scores) if scores else 1.0,
        float(np.mean(scores)) if scores else 1.0,
        max(triples) if triples else 0.0,
        float(np.mean(fused)) if fused else 0.0,
        float(np.mean(fused_ent)) if fused_ent else 0.0,
        cover1,
        cover2 - cover1,
        _dangling(art, words(before), ws),
        *_splices(art, st),
    ]


def _dangling(art: Article, before: list[str], ws: list[str]) -> float:
    """1 when the sentence has a personal pronoun and the summary has named nobody before it."""
    for k, w in enumerate(ws):
        if w in PRONOUNS:
            return float(not any(stem(x) in art.names for x in [*before, *ws[:k]]))
    return 0.0


def _splices(art: Article, st: list[str]) -> list[float]:
    """How the sentence is stitched from the article: greedy longest runs copied from one article
    sentence each (two words or more); the number of joins between runs (capped at 4) and the number
    of distinct article sentences they come from beyond the first (capped at 3)."""
    runs, i = [], 0
    while i < len(st):
        best, src = 1, -1
        for n, sent in enumerate(art.sents):
            length = _longest_at(sent, st, i)
            if length > best:
                best, src = length, n
        if src >= 0:
            runs.append(src)
        i += best
    return [float(min(4, max(0, len(runs) - 1))), float(min(3, max(0, len(set(runs)) - 1)))]


def _longest_at(sent: list[str], st: list[str], i: int) -> int:
    """The longest run of ``st`` from ``i`` that ``sent`` has word for word."""
    best = 0
    for j, w in enumerate(sent):
        if w == st[i]:
            n = 1
            while i + n < len(st) and j + n < len(sent) and sent[j + n] == st[i + n]:
                n += 1
            best = max(best, n)
    return best


def _in_order(sent: list[str], e1: set[str], v: str, e2: set[str]) -> bool:
    """Whether ``sent`` has a word of e1, then v, then a word of e2, in this order."""
    pos1 = [i for i, w in enumerate(sent) if w in e1]
    posv = [i for i, w in enumerate(sent) if w == v]
    pos2 = [i for i, w in enumerate(sent) if w in e2]
    return bool(pos1 and posv and pos2) and any(p < q < r for p in pos1 for q in posv for r in pos2)


def _coverage(art: Article, cs: set[str]) -> tuple[float, float]:
    """Share of ``cs`` in the best article sentence, and in the best union of two."""
    if not cs or not art.sets:
        return 1.0, 1.0
    hits = [cs & s for s in art.sets]
    order = sorted(range(len(hits)), key=lambda i: -len(hits[i]))[:8]
    best1 = len(hits[order[0]])
    best2 = max((len(hits[i] | hits[j]) for i, j in itertools.combinations(order, 2)), default=best1)
    return best1 / len(cs), best2 / len(cs)


def load(data: Path, cache: Path, extra: Path | None = None) -> tuple[list[dict], list[dict]]:
    """FRANK rows and their cached shipped features, each sentence's values extended by ``NEW``
    (and by the features of ``extra``: a JSON line per summary, ``{"id", "names", "new"}``, from
    ``bench/checker_binding_parse.py``)."""
    rows = [json.loads(line) for line in data.read_text().splitlines() if line.strip()]
    cached = {}
    for line in (cache / "checker_features.jsonl").read_text().splitlines():
        d = json.loads(line)
        cached[d["id"]] = d
    feats = []
    for r in rows:
        d = cached[r["id"]]
        art = Article(r["article"])
        spans = summary_sentences(r["summary"])
        assert len(spans) == len(d["sentences"]), r["id"]
        for (s, e), sent in zip(spans, d["sentences"], strict=True):
            sent["new"] = binding_features(art, r["summary"][s:e], r["summary"][:s])
        feats.append(d)
    if extra is not None:
        _add_extra(feats, extra)
    return rows, feats


def _add_extra(feats: list[dict], path: Path) -> None:
    """Append another script's per-sentence features (and their names to ``NEW``)."""
    global NEW, NEW_WORSE  # noqa: PLW0603 - the feature names are this script's configuration
    by_id = {}
    for line in path.read_text().splitlines():
        d = json.loads(line)
        by_id[d["id"]] = d
    first = next(iter(by_id.values()))
    NEW = (*NEW, *first["names"])
    NEW_WORSE = NEW_WORSE | frozenset(first.get("worse", []))
    for f in feats:
        for sent, more in zip(f["sentences"], by_id[f["id"]]["new"], strict=True):
            sent["new"] = sent["new"] + more


def write_spans(data: Path, out: Path) -> None:
    """Each summary's sentences as the checker splits them (for the parse features' script)."""
    with out.open("w") as fh:
        for line in data.read_text().splitlines():
            if line.strip():
                r = json.loads(line)
                sents = [r["summary"][s:e] for s, e in summary_sentences(r["summary"])]
                fh.write(json.dumps({"id": r["id"], "sentences": sents}) + "\n")


#: The checker's features before this experiment (the cache now holds the shipped 24: the first
#: 20 are the baseline every comparison here starts from).
BASE = 20


def with_features(feats: list[dict], extra: tuple[str, ...]) -> list[dict]:
    """The summaries' 20 baseline features with ``extra`` (names of ``NEW``) appended to each
    sentence's values."""
    idx = [NEW.index(n) for n in extra]
    return [
        {
            **f,
            "sentences": [
                {**s, "values": s["values"][:BASE] + [s["new"][i] for i in idx]} for s in f["sentences"]
            ],
        }
        for f in feats
    ]


def use_features(names: tuple[str, ...]) -> None:
    """Point the checker's feature list (and what counts as worse when high) at ``names``."""
    import service.engines.verify.features as F
    import service.engines.verify.head as H

    base = F.FEATURES[:BASE]
    F.FEATURES = H.FEATURES = (*base, *names)  # type: ignore[misc]
    F.WORSE_WHEN_HIGH = F.WORSE_WHEN_HIGH | NEW_WORSE  # type: ignore[misc]


#: How a summary's score is made from its sentences' scores (``supported`` stays "every sentence is").
AGGREGATES = {
    "min": min,
    "gmean": lambda s: float(np.exp(np.mean(np.log(np.maximum(s, 1e-6))))),
    "min+mean": lambda s: (min(s) + float(np.mean(s))) / 2,
    "mean": lambda s: float(np.mean(s)),
}


def fold_metrics(rows, fx, y, setting, *, train, test, agg="min"):
    """Fit the heads on ``train`` (a mask) and score ``test``: per dataset, balanced accuracy and
    precision of ``supported`` (every sentence supported, as the engine decides) and the ROC AUC of
    the summary score aggregated by ``agg``."""
    import train_summary_checker as T

    x, reg, ds = T.design(fx), T.regimes(fx), np.array([r["dataset"] for r in rows])
    score, sup = np.zeros(len(rows)), np.zeros(len(rows), dtype=bool)
    for name, (c, veto) in setting.items():
        tr_m, te_m = train & (reg == name), test & (reg == name)
        if not te_m.any():
            continue
        head = T.fit_head(x[tr_m], y[tr_m], [fx[i] for i in np.flatnonzero(tr_m)], c, veto)
        weakest, vetoed = T.summary_scores(head, [fx[i] for i in np.flatnonzero(te_m)], veto)
        sup[te_m] = (weakest >= head.threshold) & ~vetoed
        score[te_m] = [
            AGGREGATES[agg]([1.0 if s["verbatim"] else head.score(s["values"]) for s in fx[i]["sentences"]])
            for i in np.flatnonzero(te_m)
        ]
    return {
        d: T.metrics(y[test & (ds == d)], sup[test & (ds == d)], score[test & (ds == d)])
        for d in sorted(set(ds))
        if (test & (ds == d)).any()
    }


def cv(rows, fx, y, setting, *, k, seeds, agg="min", within=None):
    """Per dataset, the metrics of every held-out fold (``within``: a mask of the summaries to use)."""
    import train_summary_checker as T

    within = np.ones(len(rows), dtype=bool) if within is None else within
    sub = [rows[i] for i in np.flatnonzero(within)]
    per: dict[str, list[dict]] = {}
    for seed in seeds:
        folds = np.full(len(rows), -1)
        folds[within] = T.folds_of(sub, k, seed)
        for fold in range(k):
            split = {"train": within & (folds != fold), "test": folds == fold}
            for d, m in fold_metrics(rows, fx, y, setting, **split, agg=agg).items():
                per.setdefault(d, []).append(m)
    return per


def run(rows, feats, y, extra, setting, *, k, seeds, agg="min"):
    """Per-fold metrics of the heads over the shipped features plus ``extra``."""
    use_features(extra)
    return cv(rows, with_features(feats, extra), y, setting, k=k, seeds=seeds, agg=agg)


def nested(rows, feats, y, configs, setting, *, k, seeds):
    """Per-fold metrics when the feature set and the score's aggregate are chosen, in each outer
    fold, by the inner CV's CNN/DM AUC on that fold's training summaries only; also the choices."""
    import train_summary_checker as T

    per: dict[str, list[dict]] = {}
    chosen = []
    for seed in seeds:
        folds = np.array(T.folds_of(rows, k, seed))
        for fold in range(k):
            train = folds != fold
            best, best_auc = configs[0], -1.0
            for agg, extra in configs:
                use_features(extra)
                fx = with_features(feats, extra)
                inner = cv(rows, fx, y, setting, k=k, seeds=[seed + 100], agg=agg, within=train)
                auc = float(np.nanmean([m["auc"] for m in inner["cnndm"]]))
                if auc > best_auc:
                    best, best_auc = (agg, extra), auc
            chosen.append(best)
            use_features(best[1])
            fx = with_features(feats, best[1])
            for d, m in fold_metrics(rows, fx, y, setting, train=train, test=~train, agg=best[0]).items():
                per.setdefault(d, []).append(m)
    return per, chosen


def summarise(name: str, base: dict, new: dict) -> dict:
    """Mean, sd and range of each metric for both, and the paired per-fold difference."""
    out = {}
    for d, folds in base.items():
        out[d] = {}
        for key in ("ba", "precision", "auc"):
            b = np.array([m[key] for m in folds])
            n = np.array([m[key] for m in new[d]])
            diff = n - b
            out[d][key] = {
                "shipped": _stats(b),
                name: _stats(n),
                "diff": [round(float(np.nanmean(diff)), 3), round(float(np.nanstd(diff)), 3)],
            }
    return out


def _stats(v: np.ndarray) -> list[float]:
    return [round(float(f(v)), 3) for f in (np.nanmean, np.nanstd, np.nanmin, np.nanmax)]


def main() -> None:
    import train_summary_checker as T

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--cache", default=str(ROOT / "out" / "checker-cache"))
    ap.add_argument("--features", default=";".join([",".join(NEW), *NEW, "cover1,cover_gain"]))
    ap.add_argument("--aggregates", default="min,gmean")
    ap.add_argument("--nested", action="store_true")
    ap.add_argument("--extra", help="per-sentence features of bench/checker_binding_parse.py")
    ap.add_argument("--write-spans", help="write the summaries' sentences here and stop")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 1, 2])
    args = ap.parse_args()
    if args.write_spans:
        write_spans(Path(args.data), Path(args.write_spans))
        return
    rows, feats = load(Path(args.data), Path(args.cache), Path(args.extra) if args.extra else None)
    y = np.array([int(r["factual"]) for r in rows])
    shipped = json.loads(T.WEIGHTS.read_text())["heads"]
    setting = {k: (h["C"], tuple(h["veto"])) for k, h in shipped.items()}
    base = run(rows, feats, y, (), setting, k=args.folds, seeds=args.seeds)
    groups = [tuple(n for n in g.split(",") if n) for g in args.features.split(";")]
    aggs = args.aggregates.split(",")
    for agg in aggs:
        for extra in [g for g in [(), *groups] if g or agg != "min"]:
            new = run(rows, feats, y, extra, setting, k=args.folds, seeds=args.seeds, agg=agg)
            out = {"features": extra, "aggregate": agg, "cv": summarise("new", base, new)}
            print(json.dumps(out), flush=True)
    if args.nested:
        configs = [(agg, extra) for agg in aggs for extra in [(), *groups]]
        new, chosen = nested(rows, feats, y, configs, setting, k=args.folds, seeds=args.seeds)
        out = {"nested": [f"{a}:{','.join(e)}" for a, e in chosen], "cv": summarise("new", base, new)}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
