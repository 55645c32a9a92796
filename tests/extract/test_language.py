"""Language identification: the batched classifier agrees with py3langid text by text."""

from __future__ import annotations

import gzip
import json

import pytest

from factaudit.extract.language import classify_many, load_identifier
from factaudit.factchecks.default import SHIPPED_FILE

EDGE = [
    "",
    "   ",
    "x",
    "\x00\x01\x02",
    "THIS CLAIM IS WRITTEN IN CAPITALS ABOUT THE SENATE",
    "Ceci est une phrase en français sur le président de la République.",
    "Das ist ein deutscher Satz über die Politik der Bundesregierung.",
    "¿Es verdad que el presidente dijo esto en la televisión?",
    "这是一个关于政府的中文句子。",
    "Это предложение написано на русском языке.",
    "Obama 😀 said the economy grew 2.4% in 2015.",
    "é" * 3000,
]


@pytest.fixture(scope="module")
def claims() -> list[str]:
    with gzip.open(SHIPPED_FILE, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["claim"] for _, line in zip(range(1500), fh, strict=False)]


def test_batch_equals_one_by_one(claims: list[str]) -> None:
    texts = claims + EDGE
    ident = load_identifier()
    single = [ident.classify(t) for t in texts]
    batch = classify_many(texts, chunk=97)  # chunks that split texts of like length
    assert len(batch) == len(texts)
    for text, (lang, prob), (blang, bprob) in zip(texts, single, batch, strict=True):
        assert blang == lang, text
        assert bprob == pytest.approx(prob, abs=1e-4), text


def test_batch_finds_the_languages() -> None:
    got = [lang for lang, _ in classify_many(EDGE[5:10])]
    assert got == ["fr", "de", "es", "zh", "ru"]
    assert classify_many([]) == []
