"""Atomic stand-alone claims, check-worthiness ranking and the entity–relation map on the seed."""

from __future__ import annotations

import pytest

from factaudit.document import Article
from factaudit.stages.claims import ClaimsStage
from factaudit.stages.relations import RelationsStage

from .helpers import analyse, seed_text


@pytest.fixture(scope="module")
def seed() -> Article:
    a = analyse(seed_text())
    a = ClaimsStage()(a)
    return RelationsStage()(a)


def _claims(a: Article, needle: str) -> list[str]:
    return [c.text for c in a.claims if needle in c.text]


def test_coordination_is_split_into_atomic_claims(seed: Article) -> None:
    assert "Elon Musk has engaged in collaborations with Russia." in _claims(seed, "engaged in")
    assert "Elon Musk has engaged in collaborations with China." in _claims(seed, "engaged in")


def test_pronouns_and_demonstratives_are_resolved(seed: Article) -> None:
    (c,) = _claims(seed, "is instrumental in promoting")
    assert c.startswith("Tesla’s partnerships with Russian energy companies is instrumental")
    (crit,) = _claims(seed, "may undermine U.S. interests")
    assert crit == "Musk’s collaborations may undermine U.S. interests."
    (sup,) = _claims(seed, "foster global cooperation")
    assert sup == "Musk’s collaborations foster global cooperation."
    (vary,) = _claims(seed, "Opinions on")
    assert "Is Musk’s cooperation detrimental to U.S. interests?" in vary


def test_claims_keep_their_source_assertion_and_span(seed: Article) -> None:
    by_id = {a.id: a for a in seed.assertions}
    for c in seed.claims:
        a = by_id[c.assertion_id]
        assert (c.start, c.end) == (a.start, a.end)
        assert seed.text[c.start : c.end] == a.text
    held = [c for c in seed.claims if by_id[c.assertion_id].holder.name == "critics"]
    assert held and all(by_id[c.assertion_id].hedged for c in held)


def test_check_worthiness_targets_on_the_seed(seed: Article) -> None:
    def worthy(needle: str) -> bool:
        hits = [c for c in seed.claims if needle in c.text]
        assert hits, needle
        return all(c.check_worthy for c in hits)

    assert worthy("has engaged in collaborations with")
    assert worthy("developed partnerships with Russian energy companies")
    assert worthy("constructing Gigafactories in China")
    assert worthy("concerns over intellectual property rights and technology transfer, as China")
    opinions = [c for c in seed.claims if c.text.startswith("Opinions on")]
    assert opinions and not any(c.check_worthy for c in opinions)
    # Questions (the title, the FAQ questions) are never claims.
    assert not [c for c in seed.claims if c.text.endswith("?")]
    ranks = sorted(c.rank for c in seed.claims if c.rank is not None)
    assert ranks == list(range(1, len(seed.claims) + 1))


def test_relation_map_links_musk_and_tesla_to_russia_and_china(seed: Article) -> None:
    names = {e.id: e.name for e in seed.entities}
    edges = {(names[r.source], r.relation, names[r.target]) for r in seed.relations}
    assert ("Elon Musk", "partners with", "Russia") in edges
    assert ("Elon Musk", "partners with", "China") in edges
    assert ("Tesla", "partners with", "Russian energy companies") in edges
    assert ("Elon Musk", "partners with", "Chinese government") in edges
    assert any(s == "Elon Musk" and "gigafactories" in rel and t == "China" for s, rel, t in edges)
    musk_russia = next(
        r for r in seed.relations if names[r.source] == "Elon Musk" and names[r.target] == "Russia"
    )
    assert musk_russia.claim_ids
    assert any("critics:" in r and "undermine" in r for r in musk_russia.risks)
    assert any("supporters:" in b for b in musk_russia.benefits)


def test_bbc_style_article_gets_claims_and_entities() -> None:
    text = (
        "Ad sales boost Time Warner profit\n\n"
        "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three months to "
        "December, from $639m year-earlier. Time Warner said on Friday that it now owns 8% of "
        "search-engine Google. Thank you very much."
    )
    a = RelationsStage()(ClaimsStage()(analyse(text)))
    top = min(a.claims, key=lambda c: c.rank or 99)
    assert "76%" in top.text or "8%" in top.text
    thanks = next(c for c in a.claims if c.text.startswith("Thank you"))
    assert not thanks.check_worthy
