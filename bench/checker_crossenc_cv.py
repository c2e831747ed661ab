"""Does the cross-encoder (models/crossenc.py, bench/train_checker_crossenc.py) help the summary
checker? The same grouped cross-validation on FRANK validation as bench/train_summary_checker.py,
for three feature sets side by side: the shipped 20 features, the same plus the cross-encoder's
probability per sentence ("support", a summary's value being its weakest sentence's), and that
probability alone.

usage: .venv/bin/python bench/checker_crossenc_cv.py CHECKPOINT [DATA.jsonl] [--cache DIR]

CHECKPOINT: a safetensors file of bench/train_checker_crossenc.py. --cache: the folder of
bench/train_summary_checker.py (its cached features and encodings are reused; the cross-encoder's
probabilities are cached there too, per checkpoint digest). Printed per feature set and dataset:
balanced accuracy, precision of "supported" and ROC AUC, mean ± sd [min-max] over 5 folds grouped
by article x fold seeds 13, 1, 2, each head's C and veto chosen as that script chooses them.
Cost: one cross-encoder pass over ~1,900 summary sentences, ~3 min on one core, then ~2 min of
fits per feature set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_summary_checker as T  # noqa: E402

from service.engines.verify.features import FEATURES, WORSE_WHEN_HIGH  # noqa: E402
from service.engines.verify.head import CheckerHead  # noqa: E402


def probabilities(rows: list[dict], cache: Path, checkpoint: Path) -> dict[str, list[float]]:
    """Per summary id: the cross-encoder's probability for each summary sentence (cached)."""
    import torch

    from models.crossenc import SupportModel, evidence_text, load_trained
    from service.engines.text import split_sentences
    from service.engines.verify.lexical import summary_sentences

    torch.set_num_threads(1)
    digest = hashlib.sha256(checkpoint.read_bytes()).hexdigest()[:12]
    path = cache / f"crossenc_probs-{digest}.jsonl"
    done = {}
    if path.exists():
        done = {d["id"]: d["p"] for d in map(json.loads, path.read_text().splitlines())}
    todo = [r for r in rows if r["id"] not in done]
    if todo:
        encoder = T.CachedEncoder(cache / "encodings.pkl")
        model = SupportModel(load_trained(encoder.inner.model, checkpoint), encoder.inner.tokenizer)
        with path.open("a") as out:
            for r in todo:
                sents = [r["article"][s:e] for s, e in split_sentences(r["article"])]
                claims = [r["summary"][s:e] for s, e in summary_sentences(r["summary"])]
                emb, _, _ = encoder.encode_with_tokens(sents)
                cemb, _, _ = encoder.encode_with_tokens(claims)
                ev = [evidence_text(sents, [int(i) for i in np.argsort(-(emb @ c))]) for c in cemb]
                done[r["id"]] = model.score(claims, ev)
                out.write(json.dumps({"id": r["id"], "p": done[r["id"]]}) + "\n")
    return done


def use_features(worse: list[bool]) -> None:
    """Point the training script's summary rows and head fits at a feature set other than the
    engine's (``worse``: per column, whether a larger value is worse support)."""

    def design(feats: list[dict]) -> np.ndarray:
        out = []
        for f in feats:
            cols = list(zip(*[s["values"] for s in f["sentences"]], strict=True))
            out.append([max(c) if w else min(c) for c, w in zip(cols, worse, strict=True)])
        return np.array(out)

    def fit_head(x, y, feats, c, veto) -> CheckerHead:
        doc = T.fit(x, y, c)
        head = CheckerHead(doc["mean"], doc["scale"], doc["coef"], doc["intercept"], 0.5, frozenset(veto))
        s, v = T.summary_scores(head, feats, veto)
        return CheckerHead(
            doc["mean"],
            doc["scale"],
            doc["coef"],
            doc["intercept"],
            T.best_threshold(y, s, v),
            frozenset(veto),
        )

    T.design = design  # type: ignore[assignment]
    T.fit_head = fit_head  # type: ignore[assignment]


def with_values(feats: list[dict], probs: list[list[float]], mode: str) -> list[dict]:
    """Copies of the cached features with the support probability added ("plus") or alone."""
    out = []
    for f, ps in zip(feats, probs, strict=True):
        if len(ps) != len(f["sentences"]):
            raise ValueError(f"{f['id']}: {len(ps)} probabilities for {len(f['sentences'])} sentences")
        sentences = [
            s | {"values": (s["values"] + [p]) if mode == "plus" else [p]}
            for s, p in zip(f["sentences"], ps, strict=True)
        ]
        out.append(f | {"sentences": sentences})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoint")
    ap.add_argument("data", nargs="?", default=str(T.DEFAULT_DATA))
    ap.add_argument("--cache", default=str(ROOT / "out" / "checker-cache"))
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    cache = Path(args.cache)
    feats = T.featurise(rows, cache)
    probs = probabilities(rows, cache, Path(args.checkpoint))
    y = np.array([int(r["factual"]) for r in rows])
    base_worse = [name in WORSE_WHEN_HIGH for name in FEATURES]
    table = {}
    for name, fs, worse in (
        ("shipped 20 features", feats, base_worse),
        (
            "20 features + cross-encoder",
            with_values(feats, [probs[r["id"]] for r in rows], "plus"),
            [*base_worse, False],
        ),
        ("cross-encoder alone", with_values(feats, [probs[r["id"]] for r in rows], "alone"), [False]),
    ):
        use_features(worse)
        setting = T.choose(rows, fs, y, 5, [13, 1, 2])
        per, _, _ = T.cross_validate(rows, fs, y, setting, k=5, seeds=[13, 1, 2])
        table[name] = T.report(per)
    print("| features | dataset | balanced accuracy | precision of supported | ROC AUC |")
    print("|---|---|---|---|---|")
    for name, rep in table.items():
        for ds, m in rep.items():
            cells = [
                f"{m[k]['mean']:.3f} ± {m[k]['sd']:.3f} [{m[k]['min']:.2f}-{m[k]['max']:.2f}]"
                for k in ("ba", "precision", "auc")
            ]
            print(f"| {name} | {ds} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
