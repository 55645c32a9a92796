"""Matching a claim to earlier fact-checks: retrieve, score cheaply, rerank the few that pass.

1. **Candidates**: hybrid BM25 + dense retrieval (:class:`factaudit.evidence.retrieve.Retriever`)
   over the library, once for the claim text and once for its whole source sentence when that
   says more; entries in another language than the article's are dropped.
2. **Cheap first-stage score** per candidate, ``0.5 · dense cosine + 0.5 · coverage`` (the share
   of the fact-check's content words the query contains, crudely stemmed, over at least
   :data:`MIN_CONTENT_WORDS`): milliseconds in all.
3. **Reranker**: only candidates whose cheap score reaches :data:`GATE` (at most
   :data:`RERANK_MAX`) go to the project's cross-encoder (:mod:`factaudit.models.claim_matcher`),
   which gives a calibrated P(same claim) — the larger of (claim, fact-check) and (sentence,
   fact-check). At or above the model's threshold a candidate is a match; below it a candidate
   that passed the gate is "related" (same topic).

Ranking (for evaluation, :meth:`Matcher.rank`): the top :data:`RERANK_EVAL` retrieved candidates
reranked by probability, ungated, then the rest in the retriever's order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..evidence.retrieve import Retriever, query_terms
from .library import FactCheckLibrary
from .readers import FactCheck

__all__ = ["GATE", "RERANK_MAX", "Candidate", "Matcher", "cheap_score", "coverage"]

#: Cheap-score gate for the reranker when the model's metadata sets none (the shipped model's is
#: chosen on CheckThat! 2020 train by ``factaudit.training.claim_matching calibrate``).
GATE = 0.5
#: Most candidates reranked per claim.
RERANK_MAX = 3
#: The whole source sentence is a second query only when the claim is less than this share of it
#: (a claim cut from a longer sentence); otherwise the two say the same.
SENTENCE_RATIO = 0.7
#: Candidates reranked per query when ranking for evaluation (:meth:`Matcher.rank`).
RERANK_EVAL = 10
#: The least number of content words a fact-check's coverage is counted over.
MIN_CONTENT_WORDS = 5
#: Candidates retrieved per query.
RETRIEVE_K = 20
_SUFFIX = re.compile(r"(ies|es|s|ed|ing|ly)$")


def _stems(text: str) -> set[str]:
    return {(_SUFFIX.sub("", t) or t)[:7] for t in query_terms(text)}


def coverage(query: str, candidate: str) -> float:
    """The share of the candidate's content words (crudely stemmed) that the query contains,
    counting at least :data:`MIN_CONTENT_WORDS` (a two-word fact-check is not covered by any
    sentence that names its two words)."""
    cand = _stems(candidate)
    if not cand:
        return 0.0
    return len(cand & _stems(query)) / max(len(cand), MIN_CONTENT_WORDS)


def cheap_score(dense: float | None, cover: float) -> float:
    return 0.5 * max(0.0, float(dense or 0.0)) + 0.5 * cover


@dataclass
class Candidate:
    """One fact-check (or several sharing one claim text) for a query, with its scores."""

    passage_id: int
    entries: list[FactCheck]
    bm25: float | None
    dense: float | None
    coverage: float
    cheap: float
    #: The retriever's fused (reciprocal rank) score: the candidates' order before reranking.
    fused: float = 0.0
    #: Calibrated P(same claim); None when the candidate did not reach the reranker.
    probability: float | None = None
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def entry(self) -> FactCheck:
        return self.entries[0]


class Matcher:
    """Matches claims against a :class:`FactCheckLibrary` (see the module docstring).

    ``model``: a :class:`~factaudit.models.claim_matcher.ClaimMatcherModel`, a folder holding one,
    or None for the shipped model (loaded on first use)."""

    def __init__(self, library: FactCheckLibrary, *, model: Any = None, gate: float | None = None,
                 rerank_max: int = RERANK_MAX, threshold: float | None = None, threads: int = 2) -> None:
        self.library = library
        self.retriever = Retriever(library.store, candidates=RETRIEVE_K * 2)
        self._bm25_only: Retriever | None = None
        self._model = model
        self._gate = gate
        self.rerank_max = rerank_max
        self._threshold = threshold
        self.threads = threads
        #: Claims whose candidates reached the reranker / all claims matched (for benchmarks).
        self.reranked_queries = 0
        self.queries = 0

    @property
    def model(self) -> Any:
        if self._model is None or isinstance(self._model, str):
            from ..models.claim_matcher import get_claim_matcher

            self._model = get_claim_matcher(self._model, threads=self.threads)
        return self._model

    @property
    def gate(self) -> float:
        """The cheap score a candidate needs to reach the reranker (the model's, else :data:`GATE`)."""
        if self._gate is not None:
            return self._gate
        return float(self.model.meta.get("gate", GATE))

    @property
    def threshold(self) -> float:
        return float(self._threshold if self._threshold is not None else self.model.threshold)

    def candidates(self, texts: Sequence[str], *, language: str | None = None,
                   k: int = RETRIEVE_K, retriever: Retriever | None = None) -> list[Candidate]:
        """Retrieved candidates for the query ``texts`` (claim, sentence), in the retriever's order."""
        best: dict[int, tuple[float | None, float | None, float]] = {}
        for text in texts:
            for hit in (retriever or self.retriever).search(text, k=k):
                old = best.get(hit.passage_id)
                if old is None:
                    best[hit.passage_id] = (hit.bm25, hit.dense, hit.score)
                else:
                    best[hit.passage_id] = (max(old[0] or 0.0, hit.bm25 or 0.0) or None,
                                            max(old[1] or 0.0, hit.dense or 0.0) or None,
                                            max(old[2], hit.score))
        entries = self.library.entries_for(best)
        out: list[Candidate] = []
        for pid, (bm25, dense, fused) in best.items():
            found = entries.get(pid)
            if not found:
                continue
            if language:
                found = [e for e in found if not e.language or e.language == language]
                if not found:
                    continue
            cover = max(coverage(t, found[0].claim_reviewed) for t in texts)
            out.append(Candidate(pid, found, bm25, dense, cover, cheap_score(dense, cover), fused))
        out.sort(key=lambda c: (-c.fused, c.passage_id))
        return out

    def rerank(self, texts: Sequence[str], candidates: list[Candidate]) -> None:
        """Set ``probability`` on each candidate: the largest over the query texts."""
        if not candidates:
            return
        pairs = [(t, c.entry.claim_reviewed) for c in candidates for t in texts]
        logits = self.model.logits(pairs)
        n = len(texts)
        for i, c in enumerate(candidates):
            c.scores["logit"] = float(max(logits[i * n : (i + 1) * n]))
        probs = self.model.probability(np.array([c.scores["logit"] for c in candidates]),
                                       [c.cheap for c in candidates])
        for c, p in zip(candidates, probs, strict=True):
            c.probability = float(p)

    def match(self, claim: str, sentence: str | None = None, *, language: str | None = None
              ) -> list[Candidate]:
        """Candidates that reached the reranker, best first (``probability`` set); the caller
        compares it with :attr:`threshold`. Empty when none passed the gate."""
        texts = [claim]
        if sentence and len(" ".join(claim.split())) < SENTENCE_RATIO * len(" ".join(sentence.split())):
            texts.append(sentence)
        self.queries += 1
        gated = [c for c in self.candidates(texts, language=language) if c.cheap >= self.gate]
        gated = gated[: self.rerank_max]
        if not gated:
            return []
        self.reranked_queries += 1
        self.rerank(texts, gated)
        gated.sort(key=lambda c: (-(c.probability or 0.0), -c.cheap))
        return gated

    def rank(self, query: str, *, k: int = 10, mode: str = "rerank", rerank: int = RERANK_EVAL
             ) -> list[Candidate]:
        """Every candidate for ``query``, ranked (``mode``: ``rerank`` — the cross-encoder over the
        top ``rerank`` retrieved, ungated, as a ranking task is scored —, ``first_stage`` or ``bm25``)."""
        if mode == "bm25":
            if self._bm25_only is None:
                self._bm25_only = Retriever(self.library.store, mode="bm25", candidates=RETRIEVE_K * 2)
            cands = self.candidates([query], k=max(k, RETRIEVE_K), retriever=self._bm25_only)
            cands.sort(key=lambda c: (-(c.bm25 or 0.0), c.passage_id))
            return cands[:k]
        cands = self.candidates([query], k=max(k, RETRIEVE_K))
        if mode == "first_stage":
            return cands[:k]
        head = cands[:rerank]
        self.rerank([query], head)
        head.sort(key=lambda c: (-(c.probability or 0.0), -c.fused))
        return (head + cands[rerank:])[:k]
