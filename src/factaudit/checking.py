"""Stand-alone claims checked against evidence: retrieve passages, pick the sentences that share the
claim's words, score them with the verifier, aggregate into verdicts.

Shared by the verify stage, the cited-pages stage (the article's own cited pages as the retriever)
and ``factaudit eval climate-fever``; a module of its own so that no stage imports another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from .document import Evidence, Verdict
from .lexicon import STOP_WORDS
from .relevance import claim_problem, content_words
from .verification import DEFAULT_HEAD, NAME, Scored, aggregate, premise

__all__ = [
    "MAX_SENTENCES_PER_CLAIM",
    "Retriever",
    "Verifier",
    "claim_entities",
    "content_words",
    "verify_claims",
]

#: Most claims that one article can make costly: verify at most this many sentences per claim.
MAX_SENTENCES_PER_CLAIM = 10


class Retriever(Protocol):
    def search(self, query: str, k: int = 10, entities: Sequence[str] = ()) -> list[Any]: ...


class Verifier(Protocol):
    def predict(self, pairs: Sequence[tuple[str, str]]) -> Any: ...

    def info(self) -> dict[str, Any]: ...


def claim_entities(text: str) -> list[str]:
    """Capitalised name sequences in a claim ("Elon Musk", "Russia"), sentence-initial words excepted."""
    out: list[str] = []
    for m in NAME.finditer(text):
        name = m.group(0).strip(" .’'")
        if m.start() == 0 and " " not in name and name.lower() in STOP_WORDS:
            continue
        if len(name) > 1 and name not in out:
            out.append(name)
    return out[:6]


def verify_claims(
    texts: list[str],
    retriever: Retriever,
    verifier: Verifier,
    *,
    k: int = 5,
    packs: Sequence[str] = (),
    article_date: str | None = None,
    head: Any = DEFAULT_HEAD,
) -> list[Verdict]:
    """Verdicts for stand-alone claim texts (shared by the stage and `factaudit eval climate-fever`).

    A claim that cannot be checked at all (a fragment such as "Release.", a claim naming nothing) is
    not searched: NOT ENOUGH EVIDENCE with the reason. ``head``: the relevance head (see
    :func:`factaudit.verification.aggregate`); ``article_date``: evidence dated after it is marked.
    """
    per_claim: list[list[Scored]] = []
    pairs: list[tuple[str, str]] = []
    owners: list[tuple[int, Scored]] = []
    searched: list[list[str]] = []
    for i, text in enumerate(texts):
        problem = claim_problem(text)
        if problem is not None:
            searched.append([f"not searched: {problem}"])
            per_claim.append([])
            continue
        ents = claim_entities(text)
        hits = retriever.search(text[:2000], k=k, entities=ents)
        searched.append(
            [f"query: {text[:300]}"]
            + ([f"entities: {', '.join(ents)}"] if ents else [])
            + ([f"in: {', '.join(packs)}"] if packs else [])
            + [f"{len(hits)} passages retrieved"]
        )
        words = content_words(text)
        ranked: list[tuple[int, int, Scored]] = []
        for h in hits:
            for sent in _sentences(h):
                overlap = len(words & content_words(sent[0]))
                if overlap == 0:
                    continue
                ev = Evidence(
                    source=h.title or h.url or h.pack,
                    passage=h.text,
                    quote=sent[0],
                    start=sent[1],
                    end=sent[2],
                    score=round(float(h.score), 5),
                    pack=h.pack,
                    url=h.url,
                    date=h.date,
                    licence=getattr(h, "licence", None),
                )
                ranked.append((-overlap, len(ranked), Scored(evidence=ev, probs=(0.0, 0.0, 1.0),
                                                             retrieval_rank=h.rank, title=h.title,
                                                             untitled=not h.title)))
        # The sentences sharing most of the claim's words, retrieval order breaking ties: a long
        # passage's later sentence can matter more than a short passage's only one.
        ranked.sort(key=lambda x: (x[0], x[1]))
        cands = [x[2] for x in ranked[:MAX_SENTENCES_PER_CLAIM]]
        per_claim.append(cands)
        for s in cands:
            pairs.append((premise(s.evidence.quote, s.title), text))
            owners.append((i, s))
    if pairs:
        probs = verifier.predict(pairs)
        for (_, s), p in zip(owners, probs, strict=True):
            s.probs = (float(p[0]), float(p[1]), float(p[2]))
    return [
        aggregate(t, cands, searched[i], head=head, packs=list(packs), article_date=article_date)
        for i, (t, cands) in enumerate(zip(texts, per_claim, strict=True))
    ]


def _sentences(hit: Any) -> list[tuple[str, int, int]]:
    from .evidence.retrieve import split_sentences

    return [(s.text, s.start, s.end) for s in split_sentences(hit)] or [(hit.text, 0, len(hit.text))]
