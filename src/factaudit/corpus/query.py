"""Filtering a corpus: the web view's entity, relation, verdict, outlet and date-range filters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from .model import ClaimRef, Corpus, CorpusRelation, RecurringClaim

__all__ = ["NOT_CHECKED", "CorpusFilter", "filter_corpus"]

#: The verdict filter's value for claims no verifier checked.
NOT_CHECKED: Final = "NOT CHECKED"


@dataclass(frozen=True)
class CorpusFilter:
    """Empty fields do not filter. ``entity`` matches an entity id or (case-insensitively) a word
    run of its name or aliases; ``relation`` a part of the relation label; dates are ISO and
    inclusive (undated claims drop out once a date bound is set)."""

    entity: str = ""
    relation: str = ""
    verdict: str = ""
    outlet: str = ""
    date_from: str = ""
    date_to: str = ""

    @property
    def active(self) -> bool:
        return any(vars(self).values())

    def keeps(self, c: ClaimRef) -> bool:
        if self.verdict and (c.verdict or NOT_CHECKED) != self.verdict:
            return False
        if self.outlet and c.outlet != self.outlet:
            return False
        if self.date_from and (not c.date or c.date < self.date_from):
            return False
        return not (self.date_to and (not c.date or c.date > self.date_to))


def _entity_ids(corpus: Corpus, query: str) -> set[str]:
    q = query.strip().lower()
    if not q:
        return set()
    out = set()
    for e in corpus.entities:
        if e.id.lower() == q or q in e.name.lower() or any(q == a.lower() for a in e.aliases):
            out.add(e.id)
    return out


def filter_corpus(corpus: Corpus, f: CorpusFilter) -> Corpus:
    """The part of ``corpus`` that ``f`` keeps: relations and recurring claims with the claims that
    pass (a relation or cluster with none left drops out); articles, outlets and timeline as they are."""
    if not f.active:
        return corpus
    ents = _entity_ids(corpus, f.entity) if f.entity else None
    relations: list[CorpusRelation] = []
    for r in corpus.relations:
        if ents is not None and r.source not in ents and r.target not in ents:
            continue
        if f.relation and f.relation.lower() not in r.relation.lower():
            continue
        claims = [c for c in r.claims if f.keeps(c)]
        if claims:
            relations.append(replace(r, claims=claims))
    recurring: list[RecurringClaim] = []
    names = [n.lower() for e in corpus.entities if ents and e.id in ents for n in (e.name, *e.aliases)]
    for rc in corpus.recurring_claims:
        if ents is not None and not any(n and n in rc.text.lower() for n in names):
            continue
        if f.relation and f.relation.lower() not in rc.text.lower():
            continue
        members = [m for m in rc.members if f.keeps(m)]
        if len({m.article for m in members}) > 1:
            recurring.append(replace(rc, members=members))
    return replace(corpus, relations=relations, recurring_claims=recurring)
