"""Hybrid retrieval over an evidence store: BM25 (tantivy) + dense (static embeddings, usearch),
fused with reciprocal rank fusion, near-duplicates removed.

The verifier calls::

    hits = Retriever(store).search(claim.text, k=10, entities=["Angela Merkel", "Germany"])
    for hit in hits:
        for sent in split_sentences(hit): ...   # sentence text + offsets in the passage / document

User text never reaches tantivy's query parser as syntax: the query is rebuilt from its word
tokens (lower-cased, stop words dropped), so quotes, colons, brackets or ``AND (`` are just text.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from ..lexicon import STOP_WORDS
from .passages import sentence_spans
from .store import EvidenceStore

Mode = Literal["hybrid", "bm25", "dense"]

#: Reciprocal rank fusion constant (Cormack et al. 2009).
RRF_K = 60
#: Weight of the dense ranking in the fusion (BM25's is 1) unless the embedder's metadata sets
#: ``dense_weight`` (the shipped static embedder: 0.25, tuned on FEVER-Symmetric dev).
DENSE_WEIGHT = 1.0
#: Candidates taken from each retriever before fusion (at least 3 × k).
CANDIDATES = 50
#: Weight of a match in the document title relative to the passage body.
TITLE_BOOST = 0.5
#: Boost of an entity (as a phrase) in the BM25 query.
ENTITY_BOOST = 2.0
#: Token-set Jaccard similarity above which two passages count as the same.
NEAR_DUPLICATE_JACCARD = 0.9
MAX_QUERY_TERMS = 40

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass
class Hit:
    """One retrieved passage with its source and the scores that ranked it."""

    passage_id: int
    doc_id: int
    title: str | None
    #: The corpus (pack) it came from: "wiki-vital", "factbook", or a name given to ``factaudit index``.
    pack: str
    url: str | None
    #: As-of date of the passage (or its document), as the source gives it.
    date: str | None
    text: str
    #: Character offsets of the passage in its source document's text.
    start: int
    end: int
    bm25: float | None
    dense: float | None
    score: float
    licence: str | None = None
    rank: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SentenceSpan:
    """A sentence of a hit: offsets into ``hit.text`` and into the source document."""

    text: str
    start: int
    end: int
    doc_start: int
    doc_end: int


def split_sentences(hit: Hit) -> list[SentenceSpan]:
    """The hit's sentences with offsets (the same rules the store uses to cut passages)."""
    return [
        SentenceSpan(hit.text[s:e], s, e, hit.start + s, hit.start + e) for s, e in sentence_spans(hit.text)
    ]


def query_terms(text: str) -> list[str]:
    """Lower-cased word tokens without stop words, de-duplicated, in order."""
    seen: dict[str, None] = {}
    for tok in _WORD.findall(text.lower()):
        if tok in STOP_WORDS or (len(tok) == 1 and not tok.isdigit()):
            continue
        seen.setdefault(tok, None)
    return list(seen)[:MAX_QUERY_TERMS]


def build_bm25_query_string(query: str, entities: Sequence[str] = ()) -> str:
    """A tantivy query string made only of word tokens: the query's terms, plus each entity as a
    boosted phrase (or boosted term). Never contains user-supplied syntax."""
    parts = query_terms(query)
    for ent in entities:
        toks = [t for t in _WORD.findall(str(ent).lower())]
        if not toks:
            continue
        if len(toks) == 1:
            parts.append(f"{toks[0]}^{ENTITY_BOOST}")
        else:
            parts.append(f'"{" ".join(toks[:8])}"^{ENTITY_BOOST}')
    return " ".join(parts)


def _token_set(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


class Retriever:
    """Hybrid BM25 + dense search over an :class:`EvidenceStore`."""

    def __init__(
        self,
        store: EvidenceStore,
        *,
        mode: Mode = "hybrid",
        candidates: int = CANDIDATES,
        rrf_k: int = RRF_K,
        dense_weight: float | None = None,
        title_boost: float = TITLE_BOOST,
    ) -> None:
        self.store = store
        self.mode: Mode = mode
        self.candidates = candidates
        self.rrf_k = rrf_k
        if dense_weight is None:
            meta = getattr(store.embedder, "meta", None)
            dense_weight = (
                float(meta.get("dense_weight", DENSE_WEIGHT)) if isinstance(meta, dict) else DENSE_WEIGHT
            )
        self.dense_weight = dense_weight
        self.title_boost = title_boost

    def bm25(self, query: str, k: int, entities: Sequence[str] = ()) -> list[tuple[int, float]]:
        qs = build_bm25_query_string(query, entities)
        if not qs or not self.store.bm25_available:
            return []
        index = self.store.bm25_index()
        try:
            q = index.parse_query(qs, ["title", "body"], field_boosts={"title": self.title_boost})
        except ValueError:
            q = index.parse_query_lenient(qs, ["title", "body"], field_boosts={"title": self.title_boost})[0]
        return self.store.bm25_search(q, k)

    def embed_query(self, query: str) -> np.ndarray:
        vec: np.ndarray = self.store.embedder.encode([query])[0]
        return vec

    def dense(self, query: str, k: int, vector: np.ndarray | None = None) -> list[tuple[int, float]]:
        vec = self.embed_query(query) if vector is None else vector
        return self.store.dense_search(vec, k)

    def _dense_side(self, text: str, n: int) -> tuple[np.ndarray, list[tuple[int, float]]]:
        vec = self.embed_query(text)
        return vec, self.dense(text, n, vec)

    def search(self, query: str, k: int = 10, entities: Sequence[str] = ()) -> list[Hit]:
        """The ``k`` best passages for ``query`` (a stand-alone claim), ``entities`` boosted in BM25."""
        query = str(query or "").strip()
        if k <= 0 or not (query or entities):
            return []
        n = max(self.candidates, 3 * k)
        self.store.refresh()  # a read-only store reopens if it changed on disk since the last search
        hi = self.store.high_water
        bm25: list[tuple[int, float]] = []
        dense: list[tuple[int, float]] = []
        qvec: np.ndarray | None = None
        dense_job: Future[tuple[np.ndarray, list[tuple[int, float]]]] | None = None
        if self.mode == "hybrid" and self.store.vectors_available:
            # the dense side runs on another core while BM25 runs here (both release the GIL)
            dense_job = _search_pool().submit(self._dense_side, query or " ".join(entities), n)
        elif self.mode == "dense":
            qvec, dense = self._dense_side(query or " ".join(entities), n)
        try:
            if self.mode in ("hybrid", "bm25"):
                bm25 = [(p, s) for p, s in self.bm25(query, n, entities) if p < hi]
        finally:
            if dense_job is not None:
                qvec, dense = dense_job.result()
        dense = [(p, s) for p, s in dense if p < hi]
        fused: dict[int, float] = {}
        for ranked, weight in ((bm25, 1.0), (dense, self.dense_weight)):
            for rank, (pid, _) in enumerate(ranked, 1):
                fused[pid] = fused.get(pid, 0.0) + weight / (self.rrf_k + rank)
        bm25_score = dict(bm25)
        dense_score = dict(dense)
        order = sorted(fused, key=lambda p: (-fused[p], p))
        records = self.store.passages(order[: 3 * k + 10])
        hits: list[Hit] = []
        kept_sets: list[frozenset[str]] = []
        for pid in order[: 3 * k + 10]:
            rec = records.get(pid)
            if rec is None:
                continue
            toks = _token_set(rec.text)
            if any(_jaccard(toks, other) >= NEAR_DUPLICATE_JACCARD for other in kept_sets):
                continue
            kept_sets.append(toks)
            hits.append(
                Hit(
                    passage_id=pid,
                    doc_id=rec.doc_id,
                    title=rec.title,
                    pack=rec.corpus,
                    url=rec.url,
                    date=rec.date,
                    text=rec.text,
                    start=rec.start,
                    end=rec.end,
                    bm25=bm25_score.get(pid),
                    dense=dense_score.get(pid),
                    score=fused[pid],
                    licence=rec.licence,
                    rank=len(hits) + 1,
                )
            )
            if len(hits) >= k:
                break
        if qvec is not None:
            missing = [h.passage_id for h in hits if h.dense is None]
            for pid, vec in self.store.vectors_for(missing).items():
                for h in hits:
                    if h.passage_id == pid:
                        h.dense = float(np.dot(vec, qvec) / (np.linalg.norm(vec) or 1.0))
        return hits


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _search_pool() -> ThreadPoolExecutor:
    """The threads that run dense searches next to BM25 (shared by every Retriever)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="factaudit-dense")
        return _POOL


def _forget_pool_after_fork() -> None:
    # A forked batch worker inherits the executor but not its threads: work queued there would
    # never run. The child starts its own pool on first use.
    global _POOL, _POOL_LOCK
    _POOL, _POOL_LOCK = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool_after_fork)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    small, large = sorted((len(a), len(b)))
    if small < NEAR_DUPLICATE_JACCARD * large:  # J ≤ |small| / |large|: cannot be a near-duplicate
        return small / large
    return len(a & b) / len(a | b)


__all__ = [
    "Hit",
    "Mode",
    "Retriever",
    "SentenceSpan",
    "build_bm25_query_string",
    "query_terms",
    "split_sentences",
]
