"""Train the summary checker's head (service/engines/verify) on FRANK validation, by cross-validation
grouped by article, and report what it does per dataset.

usage: .venv/bin/python bench/train_summary_checker.py [DATA.jsonl] [--folds 5] [--seeds 13 1 2]
       [--cache DIR] [--write]

DATA (default ../shared/data/faithfulness/frank_validation.jsonl): summaries written by models
for CNN/DM and BBC (XSum) articles, each judged by people (``factual``). Every summary goes through
the checker's own feature code (SummaryChecker.evidence: the same encoder, sentence split, token
alignment and lexical checks as in service); the features are cached per summary id under --cache.

The head is a logistic regression (L2, C chosen below) over the standardised features, fitted on
summaries (each summary's features = the worst value of each over its sentences) and applied per
sentence; a summary is supported only if every sentence is (a sentence verbatim in the article
scores 1), and its score (what the AUC ranks) is the geometric mean of its sentences' scores
(bench/checker_binding.py chose it over the minimum by nested CV). Reported figures are out of
fold: 5 folds grouped by article (an article's summaries never straddle train and test), dealt per
dataset, repeated over several fold seeds; the threshold used on fold k is the one that maximises
the mean of the two datasets' balanced accuracies on the other folds (training predictions).
Printed per dataset: balanced accuracy, precision of "supported", ROC AUC, mean and spread (sd and
min-max over folds).
``--write`` fits on all summaries, takes the threshold that is best on the pooled out-of-fold
scores, writes models/weights/summary_checker.json and prints its sha256 for models/registry.py.
Seeded and deterministic (liblinear/lbfgs on fixed folds); cost: the feature pass is ~1-2 s per
summary on one core the first time (cached after), the fits take seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.engines.verify.features import FEATURES, WORSE_WHEN_HIGH  # noqa: E402
from service.engines.verify.head import CheckerHead, CheckerHeads, summary_score  # noqa: E402
from service.engines.verify.likelihood import LM_FEATURES, LM_WORSE  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "faithfulness" / "frank_validation.jsonl"
WEIGHTS = ROOT / "models" / "weights" / "summary_checker.json"
#: The heads for the checker with the language model's likelihood features (``--lm``).
WEIGHTS_LM = ROOT / "models" / "weights" / "summary_checker_lm.json"
#: The features the heads are fitted on: the engine's, plus the likelihood ones with ``--lm``.
FEATURE_NAMES: tuple[str, ...] = FEATURES
CS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: Problems that make a sentence unsupported whatever its score: a quotation that is not the
#: article's (or not its speaker's) always does; whether an unsupported number does is chosen by CV.
VETO_CHOICES: tuple[tuple[str, ...], ...] = (
    ("quotation", "quote_speaker"),
    ("quotation", "quote_speaker", "number", "amount", "date"),
    ("quotation", "quote_speaker", "number", "amount", "date", "negation"),
)


class CachedEncoder:
    """The checker's encoder with every sentence's vectors kept on disk (one pickle per run), so a
    change of the lexical features costs no encoder pass."""

    def __init__(self, path: Path) -> None:
        from models.loaders import load_encoder

        self.inner = load_encoder(None, dtype="float32")
        self.dim = self.inner.dim
        self.path = path
        self.memo: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if path.exists():
            with path.open("rb") as fh:
                self.memo = pickle.load(fh)

    def encode_with_tokens(
        self, sentences: list[str]
    ) -> tuple[np.ndarray, list[np.ndarray], list[list[str]]]:
        todo = sorted({s for s in sentences if s not in self.memo})
        if todo:
            pooled, tokens, _ = self.inner.encode_with_tokens(todo)
            for i, s in enumerate(todo):
                self.memo[s] = (pooled[i], tokens[i].astype(np.float16))
        pooled_out = np.array([self.memo[s][0] for s in sentences], dtype=np.float32).reshape(-1, self.dim)
        tok = self.inner.tokenizer
        ids = (
            tok(sentences, truncation=True, max_length=self.inner.max_tokens)["input_ids"]
            if sentences
            else []
        )
        pieces = [list(tok.convert_ids_to_tokens(row[1:-1])) for row in ids]
        return pooled_out, [self.memo[s][1].astype(np.float32) for s in sentences], pieces

    def save(self) -> None:
        with self.path.open("wb") as fh:
            pickle.dump(self.memo, fh)


def featurise(rows: list[dict], cache: Path, refresh: bool = False) -> list[dict]:
    """Per summary: its sentences' feature rows and problem kinds (cached by summary id)."""
    import torch

    from service.engines.verify import SummaryChecker

    torch.set_num_threads(1)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / "checker_features.jsonl"
    done = {}
    if path.exists() and not refresh:
        for line in path.read_text().splitlines():
            d = json.loads(line)
            # A row cached before the feature set changed is recomputed.
            if all(len(s["values"]) == len(FEATURES) for s in d["sentences"]):
                done[d["id"]] = d
    elif path.exists():
        path.unlink()
    encoder = CachedEncoder(cache / "encodings.pkl")
    # The features need no head: a neutral one stands in until the real one is trained.
    n = len(FEATURES)
    neutral = CheckerHead([0.0] * n, [1.0] * n, [0.0] * n, 0.0, 0.5, frozenset())
    checker = SummaryChecker(heads=CheckerHeads(neutral, neutral), encoder=encoder)  # type: ignore[arg-type]
    t0, n_new = time.time(), 0
    with path.open("a") as out:
        for r in rows:
            if r["id"] in done:
                continue
            _, evs = checker.evidence(r["article"], r["summary"])
            d = {
                "id": r["id"],
                "sentences": [
                    {
                        "values": ev.values,
                        "verbatim": ev.verbatim_at is not None,
                        "kinds": sorted(
                            {m.kind for m in [*ev.bad_numbers, *ev.bad_names]}
                            | {p.kind for p in qp}
                            | ({"negation"} if ev.negation is not None else set())
                        ),
                    }
                    for _, ev, qp in evs
                ],
            }
            out.write(json.dumps(d) + "\n")
            out.flush()
            done[r["id"]] = d
            n_new += 1
            if n_new % 25 == 0:
                print(f"  features: {n_new} new in {time.time() - t0:.0f}s", file=sys.stderr)
                encoder.save()
    encoder.save()
    return [done[r["id"]] for r in rows]


def folds_of(rows: list[dict], k: int, seed: int) -> list[int]:
    """Fold of every summary: articles shuffled per dataset and dealt out, so folds are balanced."""
    fold: dict[str, int] = {}
    for ds in sorted({r["dataset"] for r in rows}):
        groups = sorted({r["hash"] for r in rows if r["dataset"] == ds})
        random.Random(seed).shuffle(groups)
        for i, g in enumerate(groups):
            fold[g] = i % k
    return [fold[r["hash"]] for r in rows]


def fit(x: np.ndarray, y: np.ndarray, c: float) -> dict:
    """A standardised, class-balanced L2 logistic regression as one head's weights (threshold later)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    lr.fit((x - mean) / scale, y)
    return {
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": lr.coef_[0].tolist(),
        "intercept": float(lr.intercept_[0]),
        "threshold": 0.5,
    }


def summary_scores(
    head: CheckerHead, feats: list[dict], veto: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Per summary, as the engine computes it: min sentence score, and whether any sentence is vetoed."""
    scores, vetoed = [], []
    for f in feats:
        ss, bad = [], False
        for s in f["sentences"]:
            ss.append(1.0 if s["verbatim"] else head.score(s["values"]))
            bad |= (not s["verbatim"]) and any(k in veto for k in s["kinds"])
        scores.append(min(ss) if ss else 0.0)
        vetoed.append(bad)
    return np.array(scores), np.array(vetoed)


def ranking_scores(head: CheckerHead, feats: list[dict]) -> np.ndarray:
    """Per summary, the score the engine answers: the geometric mean of its sentences' scores."""
    return np.array(
        [
            summary_score([1.0 if s["verbatim"] else head.score(s["values"]) for s in f["sentences"]])
            for f in feats
        ]
    )


def metrics(y: np.ndarray, supported: np.ndarray, score: np.ndarray) -> dict:
    """Balanced accuracy, precision of supported and ROC AUC, as score_faithfulness.py computes them."""
    from sklearn.metrics import roc_auc_score

    prec = y[supported].mean() if supported.any() else float("nan")
    auc = roc_auc_score(y, score) if 0 < y.sum() < len(y) else float("nan")
    return {"ba": balanced_accuracy(y, supported), "precision": float(prec), "auc": float(auc)}


def balanced_accuracy(y: np.ndarray, supported: np.ndarray) -> float:
    """The mean of the recall on factual and on unfaithful summaries."""
    return float((supported[y == 1].mean() + (~supported[y == 0]).mean()) / 2)


def best_threshold(y: np.ndarray, score: np.ndarray, vetoed: np.ndarray) -> float:
    """The threshold maximising the balanced accuracy of ``score >= t`` (and not vetoed)."""
    best, best_t = -1.0, 0.5
    for t in np.unique(np.round(score, 4)):
        value = balanced_accuracy(y, (score >= t) & ~vetoed)
        if value > best:
            best, best_t = value, float(t)
    return best_t


def design(feats: list[dict]) -> np.ndarray:
    """Summary-level training rows: each feature's worst value over the summary's sentences (as
    features.aggregate, for FEATURE_NAMES)."""
    worse = [n in WORSE_WHEN_HIGH or n in LM_WORSE for n in FEATURE_NAMES]
    rows = []
    for f in feats:
        cols = list(zip(*[s["values"] for s in f["sentences"]], strict=True))
        rows.append([max(c) if w else min(c) for c, w in zip(cols, worse, strict=True)])
    return np.array(rows)


def regimes(feats: list[dict]) -> np.ndarray:
    """Which head a summary uses: "single" (one sentence) or "multi", as the engine decides."""
    return np.array(["single" if len(f["sentences"]) <= 1 else "multi" for f in feats])


def fit_head(x, y, feats, c, veto) -> CheckerHead:
    """One head fitted on these summaries, its threshold the best balanced accuracy on them."""
    doc = fit(x, y, c)
    head = CheckerHead.from_dict(doc, frozenset(veto), len(FEATURE_NAMES))
    s, v = summary_scores(head, feats, veto)
    doc["threshold"] = best_threshold(y, s, v)
    return CheckerHead.from_dict(doc, frozenset(veto), len(FEATURE_NAMES))


def cross_validate(rows, feats, y, setting, *, k, seeds) -> tuple[dict, np.ndarray, np.ndarray]:
    """Out-of-fold metrics per dataset and fold for one setting {regime: (C, veto)}; also the
    out-of-fold scores and vetoes of the first fold seed."""
    x, reg, ds = design(feats), regimes(feats), np.array([r["dataset"] for r in rows])
    per: dict[str, list[dict]] = {d: [] for d in sorted(set(ds))}
    oof, oof_veto = np.zeros(len(rows)), np.zeros(len(rows), dtype=bool)
    for si, seed in enumerate(seeds):
        folds = np.array(folds_of(rows, k, seed))
        for fold in range(k):
            score, sup = np.zeros(len(rows)), np.zeros(len(rows), dtype=bool)
            te = folds == fold
            for name, (c, veto) in setting.items():
                tr_m, te_m = (folds != fold) & (reg == name), te & (reg == name)
                if not te_m.any():
                    continue
                head = fit_head(x[tr_m], y[tr_m], [feats[i] for i in np.flatnonzero(tr_m)], c, veto)
                s_te, v_te = summary_scores(head, [feats[i] for i in np.flatnonzero(te_m)], veto)
                score[te_m] = ranking_scores(head, [feats[i] for i in np.flatnonzero(te_m)])
                sup[te_m] = (s_te >= head.threshold) & ~v_te
                if si == 0:
                    oof[te_m], oof_veto[te_m] = s_te, v_te
            for d, fold_metrics in per.items():
                m = te & (ds == d)
                fold_metrics.append(metrics(y[m], sup[m], score[m]))
    return per, oof, oof_veto


def report(per: dict) -> dict:
    """Mean, sd, min and max over folds of each metric, per dataset."""
    out: dict = {}
    for d, ms in per.items():
        out[d] = {}
        for key in ("ba", "precision", "auc"):
            v = np.array([m[key] for m in ms])
            out[d][key] = {
                "mean": round(float(np.nanmean(v)), 3),
                "sd": round(float(np.nanstd(v)), 3),
                "min": round(float(np.nanmin(v)), 3),
                "max": round(float(np.nanmax(v)), 3),
            }
    return out


def choose(rows, feats, y, k, seeds) -> dict:
    """Per regime, the (C, veto) with the best mean out-of-fold balanced accuracy on its summaries."""
    reg = regimes(feats)
    ds = np.array([r["dataset"] for r in rows])
    chosen = {}
    for name in ("single", "multi"):
        tried = []
        for c in CS:
            for strictness, veto in enumerate(VETO_CHOICES):
                per, _, _ = cross_validate(rows, feats, y, {name: (c, veto)}, k=k, seeds=seeds)
                # The regime's summaries are nearly all of one dataset: score it on that one.
                main_ds = max(set(ds[reg == name]), key=lambda d: int(((ds == d) & (reg == name)).sum()))
                bas = [m["ba"] for m in per[main_ds]]
                ba, se = float(np.mean(bas)), float(np.std(bas) / np.sqrt(len(bas)))
                auc = float(np.mean([m["auc"] for m in per[main_ds]]))
                print(
                    json.dumps(
                        {"regime": name, "C": c, "veto": list(veto), main_ds: [round(ba, 3), round(auc, 3)]}
                    )
                )
                tried.append((ba, strictness, c, veto, se))
        # The one-standard-error rule: settings within one standard error of the best balanced
        # accuracy are a tie; a tie goes to the stricter veto, since a wrong "supported" costs more.
        best = max(tried, key=lambda t: t[0])
        _, _, c, veto, _ = max((t for t in tried if t[0] >= best[0] - best[4]), key=lambda t: (t[1], t[0]))
        chosen[name] = (c, veto)
    return chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 1, 2])
    ap.add_argument("--cache", default=str(ROOT / "out" / "checker-cache"))
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--refresh", action="store_true", help="recompute the features (encodings stay cached)")
    ap.add_argument("--features-only", action="store_true")
    ap.add_argument(
        "--lm",
        metavar="MODEL_DIR",
        help="add the likelihood features of this converted SmolLM2 directory (bench/checker_lm.py's "
        "pass, cached in --cache) and write summary_checker_lm.json",
    )
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    feats = featurise(rows, Path(args.cache), args.refresh)
    if args.lm:
        feats = with_likelihood(rows, feats, Path(args.cache), Path(args.lm))
    if args.features_only:
        return
    y = np.array([int(r["factual"]) for r in rows])
    setting = choose(rows, feats, y, args.folds, args.seeds)
    per, oof, oof_veto = cross_validate(rows, feats, y, setting, k=args.folds, seeds=args.seeds)
    rep = report(per)
    print(
        json.dumps(
            {"chosen": {k: {"C": c, "veto": list(v)} for k, (c, v) in setting.items()}, "cv": rep}, indent=1
        )
    )
    if args.write:
        write(rows, feats, y, setting, oof=oof, oof_veto=oof_veto, rep=rep, data=Path(args.data))


def with_likelihood(rows: list[dict], feats: list[dict], cache: Path, model_dir: Path) -> list[dict]:
    """The features with the likelihood ones appended (the LM pass cached per summary)."""
    global FEATURE_NAMES  # noqa: PLW0603 (one switch for design, fit_head and write)
    from bench.checker_lm import lm_pass, scorer_of, with_lm

    lm = lm_pass(rows, cache / "lm_tokens.jsonl", lambda: scorer_of(model_dir, 1))
    FEATURE_NAMES = (*FEATURES, *LM_FEATURES)
    return with_lm(rows, feats, lm, "plus")


def write(rows, feats, y, setting, *, oof, oof_veto, rep, data: Path) -> None:
    """Fit each head on all its summaries; its threshold is the best on the pooled out-of-fold scores."""
    x, reg = design(feats), regimes(feats)
    doc: dict = {"features": list(FEATURE_NAMES), "heads": {}}
    for name, (c, veto) in setting.items():
        m = reg == name
        head = fit(x[m], y[m], c)
        head["threshold"] = best_threshold(y[m], oof[m], oof_veto[m])
        head["C"] = c
        head["veto"] = list(veto)
        doc["heads"][name] = head
    doc["trained_on"] = f"{data.name}: {len(rows)} summaries of {len({r['hash'] for r in rows})} articles"
    doc["cv"] = rep
    out = WEIGHTS_LM if FEATURE_NAMES != FEATURES else WEIGHTS
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {out} sha256 {hashlib.sha256(out.read_bytes()).hexdigest()}")


if __name__ == "__main__":
    main()
