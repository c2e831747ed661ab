"""Language: detected and returned; an unsupported language is a documented 422, or on request a
200 with empty parts and the reason, never a silent empty 200; English is never refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from service.engines.language import LanguageDetector

# Written for these tests: a short news item in each language, with its own quote marks.
RUSSIAN = (
    "Городской совет во вторник одобрил строительство новой трамвайной линии после долгих споров. "
    "«Это самое важное решение за десять лет», — сказала мэр Анна Петрова. "
    "Противники заявили, что стоимость проекта слишком высока."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag nach langer Debatte eine neue Straßenbahnlinie beschlossen. "
    "„Das ist die wichtigste Entscheidung seit zehn Jahren“, sagte Bürgermeisterin Jana Krüger. "
    "Die Gegner halten die Kosten von 300 Millionen Euro für zu hoch."
)
FRENCH = (
    "Le conseil municipal a approuvé mardi une nouvelle ligne de tramway après un long débat. "
    "« C'est la décision la plus importante depuis dix ans », a déclaré la maire Claire Dubois. "
    "Les opposants jugent le coût de 300 millions d'euros trop élevé."
)
ENGLISH_EDGE = [
    "Yes.",
    "“No,” said Zoë.",
    "Łukasz Nowak and Zoë Brontë met Ann.",
    "MAYOR QUITS AFTER TRAM VOTE",
    "The mayor said the word was “Straßenbahn”, the German for tram, and smiled.",
    "Shares rose 3% to $41.20 on Tuesday (NYSE: ACME).",
]
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.parametrize(("text", "code"), [(RUSSIAN, "ru"), (GERMAN, "de"), (FRENCH, "fr")])
def test_unsupported_language_is_a_documented_422(client: TestClient[Any], text: str, code: str) -> None:
    """Russian, German and French articles are refused with the unsupported-language problem."""
    r = client.post("/v1/analyze", json={"text": text})
    assert r.status_code == 422
    body = r.json()
    assert body["type"] == "/problems/unsupported-language"
    assert f"'{code}'" in body["detail"]
    assert body["errors"][0]["pointer"] == "/text"
    assert client.get(body["type"]).status_code == 200


@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/summarize", "/v1/quotes"])
def test_empty_option_answers_200_with_the_language_and_reason(client: TestClient[Any], path: str) -> None:
    """`on_unsupported_language: empty`: 200, empty parts, the language and why, on every route."""
    r = client.post(path, json={"text": GERMAN, "on_unsupported_language": "empty"})
    assert r.status_code == 200
    body = r.json()
    assert body["language"]["code"] == "de"
    assert body["language"]["supported"] is False
    assert "'de'" in body["reason"]
    if path != "/v1/quotes":
        assert body["summary"]["sentences"] == []
    if path != "/v1/summarize":
        assert body["quotes"] == []


def test_batch_refuses_only_the_unsupported_document(client: TestClient[Any]) -> None:
    """In a batch, the German document answers 422 in its slot; the English one is analysed."""
    english = "The council approved the tram line on Tuesday. “It is done,” said Ann Lee."
    docs = [{"text": english}, {"text": GERMAN}, {"text": FRENCH, "on_unsupported_language": "empty"}]
    results = client.post("/v1/analyze/batch", json={"documents": docs}).json()["results"]
    assert [x["status"] for x in results] == [200, 422, 200]
    assert results[1]["error"]["type"] == "/problems/unsupported-language"
    assert results[2]["result"]["reason"]


def test_english_answers_carry_the_language(client: TestClient[Any]) -> None:
    """An English answer says `en`, supported, with a probability."""
    text = "The council approved the new tram line on Tuesday after a long and heated debate."
    lang = client.post("/v1/analyze", json={"text": text}).json()["language"]
    assert lang["code"] == "en"
    assert lang["supported"] is True
    assert 0.5 < lang["confidence"] <= 1


@pytest.mark.parametrize("text", ENGLISH_EDGE)
def test_short_names_and_foreign_words_are_not_refused(client: TestClient[Any], text: str) -> None:
    """Very short texts, non-ASCII names, capitals and a foreign word in English are analysed."""
    r = client.post("/v1/analyze", json={"text": text})
    assert r.status_code == 200, r.text
    assert r.json()["language"]["supported"] is True


def test_detection_reads_a_bounded_sample() -> None:
    """A long article costs the same as its first few thousand characters: its tail is not read."""
    detector = LanguageDetector()
    english = "The council approved the new tram line on Tuesday after a long debate. " * 100
    assert detector.detect(english + RUSSIAN * 200).code == "en"
    assert detector.detect(RUSSIAN * 200 + english).code == "ru"


def _english_articles() -> list[str]:
    texts = []
    for path in sorted(DATA.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts.append(record.get("text") or record.get("article") or "")
    seed = DATA / "seed" / "article.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    return [t for t in texts if t.strip()]


@pytest.mark.skipif(not DATA.is_dir(), reason="the evaluation data is not beside the checkout")
def test_no_english_article_of_the_evaluation_data_is_refused() -> None:
    """Every English article under shared/data, as written and lower-cased, is served (upper case
    is lower-cased by the detector itself)."""
    detector = LanguageDetector()
    articles = _english_articles()
    assert len(articles) > 1000
    refused = [
        i for i, t in enumerate(articles) for form in (t, t.lower()) if not detector.detect(form).supported
    ]
    assert refused == []


@pytest.mark.skipif(not DATA.is_dir(), reason="the evaluation data is not beside the checkout")
def test_no_short_english_paragraph_of_the_evaluation_data_is_refused() -> None:
    """Short English texts (every 10th paragraph of the evaluation articles) are never refused."""
    detector = LanguageDetector()
    paragraphs = [p.strip() for t in _english_articles() for p in t.split("\n") if len(p.strip()) >= 20]
    sample = paragraphs[::10]
    assert len(sample) > 1000
    assert [i for i, p in enumerate(sample) if not detector.detect(p).supported] == []
