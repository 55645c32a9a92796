"""Verify check-worthy claims: retrieve evidence, score claim–sentence pairs, aggregate to a verdict.

For each check-worthy claim (best ranked first, at most ``Settings.verify_max_claims``) the
stage retrieves passages (hybrid BM25 + dense) from the evidence store — by default the shipped
packs (Wikipedia vital-article summaries, CIA World Factbook 2025), built on first use — splits them
into sentences, drops sentences sharing no content word with the claim, and scores the rest with
the project's NLI verifier in one batch. :mod:`factaudit.verification` applies the number/date rules
and aggregates to SUPPORTED / REFUTED / NOT ENOUGH EVIDENCE / CONFLICTING with quoted evidence.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any, Protocol

from ..document import Article, Claim, Evidence, ModelInfo, Verdict
from ..errors import StoreError
from ..lexicon import STOP_WORDS
from ..verification import NAME, Scored, aggregate
from . import BaseStage

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PRONOUN_START = re.compile(r"^(?:he|she|it|they|his|her|its|their|this|these)\b", re.IGNORECASE)
#: Most claims that one article can make costly: verify at most this many sentences per claim.
MAX_SENTENCES_PER_CLAIM = 10


class _Retriever(Protocol):
    def search(self, query: str, k: int = 10, entities: Sequence[str] = ()) -> list[Any]: ...


class _Verifier(Protocol):
    def predict(self, pairs: Sequence[tuple[str, str]]) -> Any: ...

    def info(self) -> dict[str, Any]: ...


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2}


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


class VerifyStage(BaseStage):
    name = "verify"
    requires: tuple[str, ...] = ("claims",)
    assigns: tuple[str, ...] = ("verdicts",)

    def __init__(
        self,
        settings: Any = None,
        *,
        retriever: _Retriever | None = None,
        verifier: _Verifier | None = None,
        transport: Any = None,
        resolver: Any = None,
    ) -> None:
        super().__init__(settings)
        self._retriever = retriever
        self._verifier = verifier
        self._store: Any = None
        self._packs: list[str] = []
        self._store_error = False
        self._wiki_cache: Any = None
        #: httpx transport / DNS resolver for the online retriever (tests pass fakes).
        self.transport = transport
        self.resolver = resolver

    # -- models and store ---------------------------------------------------------------------

    def warm_up(self) -> None:
        if self.settings.verify:
            self.verifier.info()
            _ = self.retriever

    @property
    def verifier(self) -> _Verifier:
        if self._verifier is None:
            from ..models.hub import load_verifier

            self._verifier = load_verifier(self.settings.verifier_model)
        return self._verifier

    @property
    def retriever(self) -> _Retriever:
        if self._retriever is None:
            from ..evidence.packs import open_default_store
            from ..evidence.retrieve import Retriever

            path = self.settings.store
            progress = None if path else _pack_progress()
            try:
                self._store = open_default_store(path, progress=progress)
            except StoreError:
                if not self.settings.online:
                    raise
                self._store_error = True
            local: list[Any] = []
            if self._store is not None:
                self._packs = [f"{c.name} ({c.passages} passages)" for c in self._store.corpora()]
                local = [Retriever(self._store)]
            if self.settings.online:
                from ..evidence.online import (
                    CombinedRetriever,
                    SearchCache,
                    WikipediaSearch,
                    default_cache_path,
                )

                days = self.settings.wikipedia_cache_days
                self._wiki_cache = SearchCache(default_cache_path(), ttl_s=days * 86400) if days > 0 else None
                wiki = WikipediaSearch(self.settings.wikipedia_api, transport=self.transport,
                                       resolver=self.resolver, cache=self._wiki_cache)
                self._packs.append(f"{wiki.pack} (live search: {self.settings.wikipedia_api})")
                self._retriever = CombinedRetriever([*local, wiki])
            else:
                self._retriever = local[0]
        return self._retriever

    def model_info(self) -> list[ModelInfo]:
        out: list[ModelInfo] = []
        if self._verifier is not None:
            info = self._verifier.info()
            out.append(
                ModelInfo(
                    name=str(info.get("name")),
                    version=str(info.get("version")),
                    sha256=info.get("sha256"),
                    path=info.get("path"),
                )
            )
        if self._store is not None:
            emb = self._store.embedder.info()
            out.append(ModelInfo(name=emb.name, version=emb.version, sha256=emb.sha256))
        return out

    # -- the stage ------------------------------------------------------------------------------

    def _wanted(self, article: Article, claim: Claim) -> bool:
        """Check-worthy claims, plus unhedged factual claims in the author's voice naming an entity
        (the check-worthiness model, trained on debates, under-rates plain facts such as capitals)."""
        return bool(self.settings.verify_all or claim.check_worthy or _factual_named(article, claim))

    def __call__(self, article: Article) -> Article:
        if not article.auditable or not self.settings.verify:
            if not self.settings.verify:
                article.skipped.append("verify: skipped (verification turned off)")
            return article
        todo = sorted(
            (c for c in article.claims if self._wanted(article, c)),
            key=lambda c: c.rank or 0,
        )
        limit = self.settings.verify_max_claims
        if len(todo) > limit:
            article.skipped.append(
                f"verify: only the {limit} best-ranked of {len(todo)} check-worthy claims were verified"
            )
            todo = todo[:limit]
        if not todo:
            return article
        try:
            retriever = self.retriever
        except StoreError as exc:
            article.skipped.append(f"verify: skipped ({exc.message})")
            return article
        if self._store is None and self.settings.online and self._store_error:
            article.skipped.append(
                "verify: the local evidence store could not be opened; searched online only"
            )
        verdicts = verify_claims(
            [c.text for c in todo], retriever, self.verifier, k=self.settings.evidence_k, packs=self._packs
        )
        for c, v in zip(todo, verdicts, strict=True):
            c.verdict = v
        errors = getattr(retriever, "errors", None)
        if errors:
            article.skipped.extend(f"verify: online evidence unavailable ({e})" for e in errors)
        if self._wiki_cache is not None and self._wiki_cache.error:
            article.skipped.append(f"verify: {self._wiki_cache.error}")
        reset = getattr(retriever, "reset", None)
        if reset is not None:
            reset()
        return article


def _factual_named(article: Article, claim: Claim) -> bool:
    """A factual statement in the author's own voice that names something (checkable against packs)."""
    a = next((x for x in article.assertions if x.id == claim.assertion_id), None)
    kinds = {b.id: b.kind for b in article.blocks}
    return (
        a is not None
        and kinds.get(a.block_id) not in ("title", "heading")
        and a.modality == "factual"
        and a.holder.kind == "author"
        and not a.hedged
        and bool(claim_entities(claim.text))
    )


def verify_claims(
    texts: list[str], retriever: _Retriever, verifier: _Verifier, *, k: int = 5, packs: Sequence[str] = ()
) -> list[Verdict]:
    """Verdicts for stand-alone claim texts (shared by the stage and `factaudit eval climate-fever`)."""
    per_claim: list[list[Scored]] = []
    pairs: list[tuple[str, str]] = []
    owners: list[tuple[int, Scored]] = []
    searched: list[list[str]] = []
    for i, text in enumerate(texts):
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
                                                             retrieval_rank=h.rank)))
        # The sentences sharing most of the claim's words, retrieval order breaking ties: a long
        # passage's later sentence can matter more than a short passage's only one.
        ranked.sort(key=lambda x: (x[0], x[1]))
        cands = [x[2] for x in ranked[:MAX_SENTENCES_PER_CLAIM]]
        per_claim.append(cands)
        for s in cands:
            title = s.evidence.source
            # The verifier was trained on bare evidence sentences; name the subject only where the
            # sentence refers to it by a pronoun ("He was born ...").
            quote = s.evidence.quote
            premise = f"{title}: {quote}" if _PRONOUN_START.match(quote) else quote
            pairs.append((premise, text))
            owners.append((i, s))
    if pairs:
        probs = verifier.predict(pairs)
        for (_, s), p in zip(owners, probs, strict=True):
            s.probs = (float(p[0]), float(p[1]), float(p[2]))
    return [
        aggregate(t, cands, searched[i]) for i, (t, cands) in enumerate(zip(texts, per_claim, strict=True))
    ]


def _sentences(hit: Any) -> list[tuple[str, int, int]]:
    from ..evidence.retrieve import split_sentences

    return [(s.text, s.start, s.end) for s in split_sentences(hit)] or [(hit.text, 0, len(hit.text))]


def _pack_progress() -> Any:
    """A stderr progress line while the default packs are built on first use."""
    state: dict[str, float] = {}

    def cb(pack: str, p: Any) -> None:
        done = getattr(p, "documents", 0)
        total = getattr(p, "total_documents", None) or 0
        key = f"{pack}:{int(done * 20 / total) if total else 0}"
        if key not in state:
            state[key] = 1
            sys.stderr.write(f"\rbuilding evidence pack {pack}: {done}/{total or '?'} documents ")
            sys.stderr.flush()

    return cb
