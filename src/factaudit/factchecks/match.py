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

**Learned fusion** (a model whose metadata's ``fusion`` names ``features``, fitted by
``factaudit.training.claim_matching calibrate``): the first stage is BM25 alone (claim + title; on
CheckThat! 2020 train its recall@10 is at least the hybrid's and its top 1 is far better), the
dense cosine of each candidate is filled in, and the probability is a logistic regression over
:func:`candidate_features` — the int8 logit, BM25 (raw and over the query's best), dense cosine,
coverage, the cheap score and the first-stage rank —; :meth:`Matcher.rank` orders by a second
one (``fusion.rank``: a ranking may lean on scores relative to the query's other candidates, a
match decision may not). The gate is then no cheap-score cut: a candidate
is reranked when the fusion, with the gate's logit (``gate_logit``: the least logit that keeps every
calibration match reachable; older metadata: the largest logit seen, ``logit_max``), can reach the
threshold. Older metadata (``fusion`` of ``logit``/``cheap``/``bias``, or none) keep the hybrid
first stage and the cheap-score gate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..evidence.retrieve import Retriever, query_terms
from .library import FactCheckLibrary
from .readers import FactCheck
from .subjects import subjects_conflict

__all__ = ["FEATURES", "GATE", "RERANK_MAX", "Candidate", "Matcher", "amounts", "amounts_conflict",
           "candidate_features", "cheap_score", "coverage", "numbers_differ", "quantities"]

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
#: What a learned fusion may weigh, per candidate (see :func:`candidate_features`).
FEATURES = ("logit", "bm25", "bm25_rel", "dense", "coverage", "cheap", "inv_rank", "numbers_differ")
#: A number with its scale: "$3,500", "5 million", "17%", "2.5bn".
_QUANTITY = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|percent\b|per cent\b|thousand\b|million\b|"
    r"billion\b|trillion\b|bn\b|mil\b|m\b|k\b)?",
    re.I,
)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mil": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
           "trillion": 1e12}
#: A sum of money: a currency sign before a quantity ("$400 billion", "£1.2bn", "US$33 mil").
_MONEY = re.compile(r"(?:\b(?:US|AU|C|NZ|HK))?[$£€]\s?(?=\d)")


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


def quantities(text: str) -> set[tuple[str, float]]:
    """The numbers a text states, scaled ("5 million" → 5e6) and kept apart from percentages."""
    out: set[tuple[str, float]] = set()
    for m in _QUANTITY.finditer(text):
        value = float(m.group(1).replace(",", ""))
        unit = (m.group(2) or "").lower()
        if unit in ("%", "percent", "per cent"):
            out.add(("%", value))
        else:
            out.add(("n", value * _SCALES.get(unit, 1.0)))
    return out


def numbers_differ(query: str, candidate: str) -> bool:
    """Both state numbers and share none ("a trade deficit with China of $500 billion" against "a
    global trade deficit of $800 billion"): rarely the same claim."""
    a, b = quantities(query), quantities(candidate)
    return bool(a and b) and not any(
        x[0] == y[0] and abs(x[1] - y[1]) <= 0.01 * max(abs(x[1]), abs(y[1]), 1.0) for x in a for y in b
    )


def amounts(text: str) -> list[tuple[str, float]]:
    """The sums of money a text states, as written and scaled ("$400 billion" → 4e11)."""
    out = []
    for sign in _MONEY.finditer(text):
        m = _QUANTITY.match(text, sign.end())
        if m and (m.group(2) or "").lower() not in ("%", "percent", "per cent"):
            value = float(m.group(1).replace(",", "")) * _SCALES.get((m.group(2) or "").lower(), 1.0)
            out.append((text[sign.start() : m.end()].strip(), value))
    return out


def amounts_conflict(texts: Sequence[str], claim_reviewed: str) -> str | None:
    """Why the fact-check is about another sum of money than the query ``texts`` (the claim and its
    sentence): both state sums and share none within 1% ("would cost $400 billion" against "paid ISIS
    $400 million"). None when they may be the same claim. Counts, years and percentages are not
    compared: "22 administration officials" is no conflict with "22 million e-mails"."""
    ours = [a for t in texts for a in amounts(t)]
    theirs = amounts(claim_reviewed)
    if not ours or not theirs or any(
        abs(x - y) <= 0.01 * max(x, y) for _, x in ours for _, y in theirs
    ):
        return None
    return (f"the fact-check is about {', '.join(dict.fromkeys(a for a, _ in theirs))}; the claim about "
            f"{', '.join(dict.fromkeys(a for a, _ in ours))}")


def cheap_score(dense: float | None, cover: float) -> float:
    return 0.5 * max(0.0, float(dense or 0.0)) + 0.5 * cover


def candidate_features(candidates: Sequence[Candidate]) -> dict[str, np.ndarray]:
    """The fusion's inputs for one query's candidates, in their first-stage order: ``bm25`` (raw, 0
    when BM25 did not retrieve it), ``bm25_rel`` (over the best BM25 score among these candidates),
    ``dense`` (cosine, at least 0), ``coverage``, ``cheap``, ``inv_rank`` (1 / first-stage rank),
    ``numbers_differ`` (0 or 1) and ``logit`` (the cross-encoder's, 0 until reranked)."""
    bm25 = np.array([float(c.bm25 or 0.0) for c in candidates], dtype=np.float64)
    top = float(bm25.max()) if len(bm25) else 0.0
    return {
        "logit": np.array([float(c.scores.get("logit", 0.0)) for c in candidates], dtype=np.float64),
        "bm25": bm25,
        "bm25_rel": bm25 / top if top > 0 else np.zeros_like(bm25),
        "dense": np.array([max(0.0, float(c.dense or 0.0)) for c in candidates], dtype=np.float64),
        "coverage": np.array([c.coverage for c in candidates], dtype=np.float64),
        "cheap": np.array([c.cheap for c in candidates], dtype=np.float64),
        "inv_rank": 1.0 / np.arange(1, len(candidates) + 1, dtype=np.float64),
        "numbers_differ": np.array([c.numbers_differ for c in candidates], dtype=np.float64),
    }


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
    #: 1.0 when every query text and the fact-check state numbers and share none (:func:`numbers_differ`).
    numbers_differ: float = 0.0
    #: Calibrated P(same claim); None when the candidate did not reach the reranker.
    probability: float | None = None
    #: Why a candidate at or above the threshold is still not the same claim: it is about another
    #: subject (:func:`factaudit.factchecks.subjects.subjects_conflict`) or another sum of money
    #: (:func:`amounts_conflict`). Such a candidate is related, not a match.
    mismatch: str | None = None
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def entry(self) -> FactCheck:
        return self.entries[0]


class Matcher:
    """Matches claims against a :class:`FactCheckLibrary` (see the module docstring).

    ``model``: a :class:`~factaudit.models.claim_matcher.ClaimMatcherModel`, a folder holding one,
    or None for the shipped model (loaded on first use). ``first_stage``: ``bm25`` or ``hybrid``;
    None takes the model's (``bm25`` with a learned fusion, else ``hybrid``)."""

    def __init__(self, library: FactCheckLibrary, *, model: Any = None, gate: float | None = None,
                 rerank_max: int = RERANK_MAX, threshold: float | None = None, threads: int = 2,
                 first_stage: str | None = None) -> None:
        self.library = library
        self.retriever = Retriever(library.store, candidates=RETRIEVE_K * 2)
        self._bm25_only: Retriever | None = None
        self._model = model
        self._gate = gate
        self.rerank_max = rerank_max
        self._threshold = threshold
        self._first_stage = first_stage
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
    def fusion(self) -> dict[str, Any] | None:
        """The model's learned fusion (``features``, ``bias``, ``first_stage``, ``gate_logit``), or
        None for an older model (logit + cheap score, or Platt scaling alone)."""
        fusion = self.model.meta.get("fusion")
        return fusion if isinstance(fusion, dict) and isinstance(fusion.get("features"), dict) else None

    @property
    def first_stage(self) -> str:
        """``bm25`` or ``hybrid``: whose candidates are scored and reranked."""
        if self._first_stage is not None:
            return self._first_stage
        fusion = self.fusion
        return str(fusion.get("first_stage", "hybrid")) if fusion else "hybrid"

    @property
    def gate(self) -> float:
        """The cheap score a candidate needs to reach the reranker (the model's, else :data:`GATE`);
        with a learned fusion the gate is the fusion's bound instead (see :meth:`match`), and this
        cut applies only when given."""
        if self._gate is not None:
            return self._gate
        if self.fusion is not None:
            return 0.0
        return float(self.model.meta.get("gate", GATE))

    @property
    def threshold(self) -> float:
        return float(self._threshold if self._threshold is not None else self.model.threshold)

    def bm25_retriever(self) -> Retriever:
        if self._bm25_only is None:
            self._bm25_only = Retriever(self.library.store, mode="bm25", candidates=RETRIEVE_K * 2)
        return self._bm25_only

    def candidates(self, texts: Sequence[str], *, language: str | None = None,
                   k: int = RETRIEVE_K, retriever: Retriever | None = None,
                   first_stage: str | None = None) -> list[Candidate]:
        """Retrieved candidates for the query ``texts`` (claim, sentence), in the first stage's
        order (``first_stage``: ``hybrid``, the default — the fused order —, or ``bm25`` — BM25's
        order, dense cosines filled in —; ``retriever`` overrides the hybrid one), with
        :func:`candidate_features` in each one's ``scores``."""
        bm25_stage = first_stage == "bm25"
        if bm25_stage:
            retriever = self.bm25_retriever()
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
            differ = float(all(numbers_differ(t, found[0].claim_reviewed) for t in texts))
            out.append(Candidate(pid, found, bm25, dense, cover, cheap_score(dense, cover), fused, differ))
        if bm25_stage:
            self._fill_dense(texts, out)
            out.sort(key=lambda c: (-(c.bm25 or 0.0), c.passage_id))
        else:
            out.sort(key=lambda c: (-c.fused, c.passage_id))
        feats = candidate_features(out)
        for i, c in enumerate(out):
            c.scores.update({f: float(v[i]) for f, v in feats.items() if f != "logit"})
        return out

    def _fill_dense(self, texts: Sequence[str], cands: list[Candidate]) -> None:
        """The dense cosine (best over ``texts``) of candidates BM25 alone retrieved."""
        store = self.library.store
        missing = [c for c in cands if c.dense is None]
        if not missing or not store.vectors_available:
            return
        vectors = store.vectors_for([c.passage_id for c in missing])
        if not vectors:
            return
        queries = [self.retriever.embed_query(t) for t in texts]
        for c in missing:
            vec = vectors.get(c.passage_id)
            if vec is None:
                continue
            norm = float(np.linalg.norm(vec)) or 1.0
            c.dense = max(float(np.dot(vec, q)) / norm for q in queries)
            c.cheap = cheap_score(c.dense, c.coverage)

    def _features(self, candidates: Sequence[Candidate]) -> dict[str, np.ndarray]:
        return {f: np.array([c.scores.get(f, 0.0) for c in candidates], dtype=np.float64) for f in FEATURES}

    def rerank(self, texts: Sequence[str], candidates: list[Candidate]) -> None:
        """Set ``probability`` on each candidate: the largest logit over the query texts, fused
        with the candidate's first-stage features (see :meth:`ClaimMatcherModel.probability`)."""
        if not candidates:
            return
        pairs = [(t, c.entry.claim_reviewed) for c in candidates for t in texts]
        logits = self.model.logits(pairs)
        n = len(texts)
        for i, c in enumerate(candidates):
            c.scores["logit"] = float(max(logits[i * n : (i + 1) * n]))
        probs = self.model.probability(np.array([c.scores["logit"] for c in candidates]),
                                       [c.cheap for c in candidates], features=self._features(candidates))
        for c, p in zip(candidates, probs, strict=True):
            c.probability = float(p)

    def match(self, claim: str, sentence: str | None = None, *, language: str | None = None
              ) -> list[Candidate]:
        """Candidates that reached the reranker, best first (``probability`` set, and
        ``mismatch`` on those at the threshold that are about another subject or sum); :meth:`is_match`
        tells the matches. Empty when none passed the gate."""
        texts = [claim]
        if sentence and len(" ".join(claim.split())) < SENTENCE_RATIO * len(" ".join(sentence.split())):
            texts.append(sentence)
        self.queries += 1
        cands = self.candidates(texts, language=language, first_stage=self.first_stage)
        fusion = self.fusion
        if fusion is None:
            gated = [c for c in cands if c.cheap >= self.gate]
        else:
            # reranked only if the fusion could reach the threshold with the largest logit seen
            if self._gate is not None:
                cands = [c for c in cands if c.cheap >= self._gate]
            feats = self._features(cands)
            gate_logit = fusion.get("gate_logit", fusion.get("logit_max", 10.0))
            feats["logit"] = np.full(len(cands), float(gate_logit))
            bound = self.model.fusion_logit(feats)
            need = _log_odds(self.threshold)
            order = sorted((i for i in range(len(cands)) if bound[i] >= need), key=lambda i: -bound[i])
            gated = [cands[i] for i in order]
        gated = gated[: self.rerank_max]
        if not gated:
            return []
        self.reranked_queries += 1
        self.rerank(texts, gated)
        gated.sort(key=lambda c: (-(c.probability or 0.0), -c.cheap))
        for c in gated:
            if (c.probability or 0.0) >= self.threshold:
                c.mismatch = (subjects_conflict(texts, c.entry.claim_reviewed)
                              or amounts_conflict(texts, c.entry.claim_reviewed))
        return gated

    def is_match(self, candidate: Candidate) -> bool:
        """A reranked candidate at or above the threshold and not about another subject or sum."""
        return (candidate.probability or 0.0) >= self.threshold and candidate.mismatch is None

    def rank(self, query: str, *, k: int = 10, mode: str = "rerank", rerank: int | None = None
             ) -> list[Candidate]:
        """Every candidate for ``query``, ranked (``mode``: ``rerank`` — the cross-encoder over the
        top ``rerank`` (default: the fusion's ``rank_depth``, else :data:`RERANK_EVAL`) of the
        model's first stage, ungated, as a ranking task is scored —, ``first_stage`` (the hybrid's
        fused order) or ``bm25``)."""
        if mode == "bm25":
            cands = self.candidates([query], k=max(k, RETRIEVE_K), first_stage="bm25")
            return cands[:k]
        if mode == "first_stage":
            return self.candidates([query], k=max(k, RETRIEVE_K))[:k]
        fusion = self.fusion
        if rerank is None:
            rerank = int(fusion.get("rank_depth", RERANK_EVAL)) if fusion else RERANK_EVAL
        cands = self.candidates([query], k=max(k, RETRIEVE_K, rerank), first_stage=self.first_stage)
        head = cands[:rerank]
        self.rerank([query], head)
        if fusion is not None and head:
            order = self.model.fusion_logit(self._features(head), rank=True)
            for c, z in zip(head, order, strict=True):
                c.scores["rank_score"] = float(z)
            head.sort(key=lambda c: (-c.scores["rank_score"], -(c.bm25 or 0.0), c.passage_id))
        else:
            head.sort(key=lambda c: (-(c.probability or 0.0), -c.fused))
        return (head + cands[rerank:])[:k]


def _log_odds(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))
