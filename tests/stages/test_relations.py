"""The entity–relation map (stages/relations.py): nodes, edges from their own claims, stated risks
and benefits."""

from __future__ import annotations

import pytest

from factaudit.document import Article

from ..helpers import analyse, seed_text


@pytest.fixture(scope="module")
def seed() -> Article:
    return analyse(seed_text(), claims=True)


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


def test_every_claim_on_an_edge_names_both_of_its_ends(seed: Article) -> None:
    names = {e.id: e.name for e in seed.entities}
    claims = {c.id: c.plain_text.lower() for c in seed.claims}
    checked = 0
    for r in seed.relations:
        for cid in r.claim_ids:
            for end in (r.source, r.target):
                name = names[end].lower()
                assert name in claims[cid] or name.split()[-1] in claims[cid], (names[end], claims[cid])
            checked += 1
    assert checked >= 4
    musk_russia = next(
        r for r in seed.relations if names[r.source] == "Elon Musk" and names[r.target] == "Russia"
    )
    assert not any("china" in claims[c] and "russia" not in claims[c] for c in musk_russia.claim_ids)


def test_risks_and_benefits_are_stated_harms_and_gains_only(seed: Article) -> None:
    notes = [n for r in seed.relations for n in (*r.risks, *r.benefits)]
    assert notes
    assert not any("Opinions on this matter vary" in n for n in notes)
    assert not any("necessitates vigilant oversight" in n for n in notes)
    for r in seed.relations:
        assert len(r.risks) == len(set(r.risks)) and len(r.benefits) == len(set(r.benefits))


def test_a_pronoun_is_a_node_only_when_the_claims_stage_resolved_it() -> None:
    a = analyse(
        "Obama met Trump in Washington on Monday. He later partnered with Chinese companies on solar power.",
        claims=True,
    )
    names = {e.id: e.name for e in a.entities}
    edges = {(names[r.source], names[r.target]) for r in a.relations}
    assert ("Obama", "Washington") in edges  # the first sentence's own edge
    # "He" has two possible referents: no partnership edge is drawn from a guess.
    assert not [e for e in edges if "Chinese" in e[1]]


def test_an_edge_with_no_claim_behind_it_is_not_drawn() -> None:
    # Horne Satire/272: the frame's relative clause draws "Biden —sneaking into→ West Wing", but the
    # sentence's only claim is the quote, so the edge had "no claims" a reader could check.
    a = analyse(
        "“Those glorified security guards had to go and put the kibosh on it,” said Biden, who had "
        "reportedly been making some extra cash by approaching groups of tourists waiting in line outside "
        "the White House and asking them if they wanted to see the “real deal,” before sneaking ahead into "
        "the West Wing to check if the coast was clear.",
        claims=True,
    )
    assert a.claims
    assert all(r.claim_ids for r in a.relations)
    names = {e.id: e.name for e in a.entities}
    assert not [r for r in a.relations if "West Wing" in names[r.target]]
