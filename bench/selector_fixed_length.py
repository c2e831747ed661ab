"""The probe of bench/selector_probe.py with selection at a fixed length: content compared with
LEAD-k at LEAD-k's length, not gained by picking shorter sentences.

The probe (logistic regression over [frozen MiniLM vector, one-hot position, 30 features], trained
on the greedy oracle's units of every cached CNN/DM article) scores each unit; k sentences are then
chosen so that their words are at least LEAD-k's (budget_eval's splitter and k, whitespace words as
the engine counts them):

- ``beam``: a beam search over exactly-k sets of units (the best ``--pool`` units by score plus the
  engine's first k units; trigram blocking, a dependent unit only after its predecessor) keeps
  every complete set it meets; the one of highest summed score whose words are >= ``ratio`` x
  LEAD-k's words is chosen (ratio 1.0 and 0.95), else the first k units.
- ``window`` (beside the brief's three): the beam's best set of 1.0 to 1.1 x LEAD-k's words.
- ``swap``: the probe's greedy picks (the engine's ``select``); if short, the last pick is swapped
  for the best-scoring unit that makes the length (then the one before it), else the first k units.

Every variant and position prior is measured by 5-fold CV grouped by article on the training styles
(cased ``cnndm_val`` and ``cnndm_train``, lower-cased CNN and Daily Mail); the setting is chosen by
CV alone (the best mean F delta over the CV rows among settings whose R1 recall delta is >= 0 on
every CV row), and only that setting is then scored once on the sets never trained on (FRANK CNN/DM
and XSum, SummEval, writers), beside today's scorer.

usage: python bench/selector_fixed_length.py --cache DIR [--prior W ...] [--beam B] [--pool P]
       (one thread; ~3 GB; the probe's fits take ~3 min, each beam pass ~2 min)
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.selector_probe import CNNDM, Row, group, probe_scores, report, sources  # noqa: E402
from bench.train_selector import CV_ONLY_SETS, REPORT_SETS, TRAIN_SETS, choose, deltas, folds_of, load  # noqa: E402
from models.registry import SCORER, load_json_model  # noqa: E402
from service.engines.summarizer.features import word_count  # noqa: E402
from service.engines.summarizer.scorer import SentenceScorer  # noqa: E402
from service.engines.summarizer.selection import SelectionParams  # noqa: E402

RATIOS = (1.0, 0.95)
#: The probe's own greedy picks, shown for comparison and never chosen.
BASELINE = "greedy (no length rule)"
#: CV rows smaller than this (the odd Daily Mail story in a CNN file) are not used to choose.
MIN_ROW = 30
Picks = tuple[int, ...]


def first_units(d: dict[str, Any]) -> list[int]:
    """The engine's first units up to k sentences (the fallback: LEAD-k's own length)."""
    out: list[int] = []
    used = 0
    for i, s in enumerate(d["sizes"]):
        if used + s > d["k"]:
            break
        out.append(i)
        used += s
    return out or [0]


def allowed(d: dict[str, Any], taken: Picks, i: int, used: int) -> bool:
    """Whether unit ``i`` may join ``taken`` (fits the count, its predecessor there when it
    depends on it, no trigram shared with a chosen unit)."""
    if i in taken or used + d["sizes"][i] > d["k"]:
        return False
    if d["dependent"][i] and i > 0 and i - 1 not in taken:
        return False
    return not any(d["tri"][i] & d["tri"][j] for j in taken)


def beam_sets(d: dict[str, Any], s: np.ndarray, width: int, pool: int) -> list[tuple[float, Picks]]:
    """Every complete set (k sentences, or no unit can join) the beam meets, with its summed score."""
    cands = sorted({*np.argsort(-s, kind="stable")[:pool].tolist(), *first_units(d)})
    beam: list[tuple[float, Picks, int]] = [(0.0, (), 0)]
    done: dict[Picks, float] = {}
    while beam:
        grown: dict[Picks, tuple[float, int]] = {}
        for total, taken, used in beam:
            if used >= d["k"]:
                done[tuple(sorted(taken))] = total
                continue
            more = False
            for i in cands:
                if allowed(d, taken, i, used):
                    more = True
                    key = tuple(sorted((*taken, i)))
                    if key not in grown:
                        grown[key] = (total + float(s[i]), used + d["sizes"][i])
            if not more and taken:
                done[tuple(sorted(taken))] = total
        ranked = sorted(grown.items(), key=lambda kv: -kv[1][0])[:width]
        beam = [(v[0], k, v[1]) for k, v in ranked]
    return [(v, k) for k, v in done.items()]


def at_length(
    d: dict[str, Any], sets: list[tuple[float, Picks]], need: float, most: float = float("inf")
) -> list[int]:
    """The best-scoring set with at least ``need`` words (and at most ``most``), else the first k
    units."""
    ok = [(v, k) for v, k in sets if need <= sum(d["words"][i] for i in k) <= most]
    return list(max(ok)[1]) if ok else first_units(d)


def swapped(d: dict[str, Any], s: np.ndarray, greedy: list[int], need: float) -> list[int]:
    """Greedy picks; if short of ``need`` words, the last pick (then the one before) swapped for the
    best-scoring unit that makes the length; else the first k units."""
    words = sum(d["words"][i] for i in greedy)
    if words >= need:
        return greedy
    order = sorted(greedy, key=lambda i: -s[i])  # the order greedy took them
    for drop in reversed(order):
        rest = tuple(i for i in order if i != drop)
        used = sum(d["sizes"][i] for i in rest)
        base = words - d["words"][drop]
        for i in np.argsort(-s, kind="stable").tolist():
            if i != drop and base + d["words"][i] >= need and allowed(d, rest, i, used):
                return sorted((*rest, i))
    return first_units(d)


def row(d: dict[str, Any], picks: list[int], fold: dict[str, int], lead_words: dict[str, int]) -> Row:
    """(fold, F delta, recall delta, words, LEAD-k words) of one article's picks."""
    f, r = deltas(d, picks)
    return fold.get(d["key"], 0), f, r, sum(d["words"][i] for i in picks), lead_words[d["key"]]


def variants(
    docs: list[dict[str, Any]], scores: dict[str, np.ndarray], args: argparse.Namespace, ctx: dict[str, Any]
) -> dict[str, dict[str, dict[str, Row]]]:
    """Per setting (variant, prior), per group, per article: its row."""
    out: dict[str, dict[str, dict[str, Row]]] = {}
    for prior in args.prior:
        params = SelectionParams(position_weight=prior)
        for d in docs:
            s = scores[d["key"]] - np.float32(prior) * np.log1p(np.arange(len(d["words"]), dtype=np.float32))
            need = word_count(d["lead_k"])
            greedy = choose(d, scores[d["key"]], params, True)
            sets = beam_sets(d, s, args.beam, args.pool)
            picks = {
                BASELINE: greedy,
                **{f"beam, >= {r:.2f} x LEAD-k words": at_length(d, sets, r * need) for r in RATIOS},
                "beam, 1.00 to 1.10 x LEAD-k words": at_length(d, sets, need, 1.1 * need),
                "greedy, swap last if short": swapped(d, s, greedy, need),
            }
            lede = first_units(d)
            for name, p in picks.items():
                grp = out.setdefault(f"{name}, prior {prior}", {}).setdefault(group(d, ctx["src"]), {})
                grp[d["key"]] = row(d, p, ctx["fold"], ctx["lead_words"])
                per = ctx["lede"].setdefault(f"{name}, prior {prior}", {})
                per.setdefault(group(d, ctx["src"]), []).append(sorted(p) == lede)
        print(f"prior {prior} done ({time.time() - ctx['t0']:.0f}s)", flush=True)
    return out


def chosen(settings: dict[str, dict[str, dict[str, Row]]]) -> str:
    """The fixed-length setting of best mean F delta over the CV rows (of ``MIN_ROW`` articles or
    more, unweighted) among those with R1 recall delta >= 0 on each."""

    def cv(rows: dict[str, dict[str, Row]]) -> tuple[bool, float]:
        cells = [np.asarray(list(v.values())) for v in rows.values() if len(v) >= MIN_ROW]
        return all(c[:, 2].mean() >= 0 for c in cells), float(np.mean([c[:, 1].mean() for c in cells]))

    fixed = [name for name in settings if not name.startswith(BASELINE)]
    return max(fixed, key=lambda name: cv(settings[name]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/content_selector_cache"))
    ap.add_argument("--dtype", default="int8")
    ap.add_argument("--prior", type=float, nargs="+", default=[0.0, 0.5, 1.0])
    ap.add_argument("--beam", type=int, default=16)
    ap.add_argument("--pool", type=int, default=15)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--scores", type=Path, help="a pickle of the probe's unit scores (written if absent)")
    ap.add_argument("--limit", type=int, default=0, help="score about this many CV articles (0: all)")
    args = ap.parse_args()
    probe = argparse.Namespace(features="all", target="oracle", folds=args.folds, fraction=1.0, c=1.0)
    t0 = time.time()
    docs = load(args.cache, args.dtype)
    src, lead_words = sources()
    train = [d for d in docs if d["set"] in CNNDM]
    fold = folds_of([d for d in docs if d["set"] in TRAIN_SETS + CV_ONLY_SETS], args.folds, 13)
    fold = {k: v for k, v in fold.items() if k.split(":", 1)[0] in CNNDM}
    cv_docs = [d for d in docs if d["set"] in CNNDM]
    unseen = [d for d in docs if d["set"] in REPORT_SETS]
    print(
        f"{len(train)} training articles, {len(unseen)} never trained on ({time.time() - t0:.0f}s)",
        flush=True,
    )
    ctx = {"src": src, "fold": fold, "lead_words": lead_words, "t0": t0, "lede": {}}
    if args.scores and args.scores.exists():
        scores = pickle.loads(args.scores.read_bytes())
    else:
        scores = probe_scores(cv_docs + unseen, train, fold, probe, lead_words)
        if args.scores:
            args.scores.write_bytes(pickle.dumps(scores))
    if args.limit:
        cv_docs = cv_docs[:: max(1, len(cv_docs) // args.limit)]
    print(f"probe scored ({time.time() - t0:.0f}s)", flush=True)
    scorer = load_json_model(SCORER, SentenceScorer.from_dict)
    assert scorer is not None
    today: dict[str, dict[str, Row]] = {}
    for d in cv_docs + unseen:
        picks = choose(d, scorer.score(d["feats"]), scorer.selection_for(d["feats"]), False)
        today.setdefault(group(d, src), {})[d["key"]] = row(d, picks, fold, lead_words)
    cv_today = {g: v for g, v in today.items() if g.split(" ")[0] in CNNDM}
    report("CV rows: today's scorer (the engine's max_sentences path)", cv_today, None)
    settings = variants(cv_docs, scores, args, ctx)
    for name, rows in settings.items():
        report(f"CV: probe, {name}", rows, cv_today)
        lede = np.concatenate([np.asarray(v, bool) for v in ctx["lede"][name].values()])
        print(f"the engine's first k units chosen in {100 * lede.mean():.1f}% of CV articles")
    best = chosen(settings)
    print(f"\nchosen by CV: {best}", flush=True)
    _, prior = best.rsplit(", prior ", 1)
    args.prior = [float(prior)]
    ctx["lede"] = {}
    once = variants(unseen, scores, args, ctx)[best]
    today = {g: v for g, v in today.items() if g in REPORT_SETS}
    report("never trained on: today's scorer (the engine's max_sentences path)", today, None)
    report(f"never trained on: probe, {best} (vs today: paired)", once, today)
    for name, arts in once.items():
        r = np.asarray([arts[key][2] for key in sorted(arts)])
        print(f"{name}: first k units chosen in {100 * np.mean(ctx['lede'][best][name]):.0f}%", end="; ")
        print(f"recall delta {r.mean():+.2f} (se {r.std(ddof=1) / np.sqrt(len(r)):.2f})")


if __name__ == "__main__":
    main()
