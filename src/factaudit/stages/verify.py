"""Verify check-worthy claims: retrieve evidence, score claim–sentence pairs, aggregate to a verdict.

For each check-worthy claim (best ranked first, at most ``Settings.verify_max_claims``) the
stage retrieves passages (hybrid BM25 + dense) from the evidence store — by default the shipped
packs (Wikipedia vital-article summaries, CIA World Factbook 2025), built on first use — splits them
into sentences, drops sentences sharing no content word with the claim, and scores the rest with
the project's NLI verifier in one batch. :mod:`factaudit.verification` applies the number/date rules
and aggregates to SUPPORTED / REFUTED / NOT ENOUGH EVIDENCE / CONFLICTING with quoted evidence.
"""

from __future__ import annotations

import sys
from typing import Any

from ..checking import Retriever, Verifier, claim_entities, verify_claims
from ..document import Article, Claim, ModelInfo
from ..errors import StoreError
from ..relevance import value_judgement
from . import BaseStage


class VerifyStage(BaseStage):
    """Verdicts for the check-worthy factual claims (opinions, predictions and questions get a stated
    reason instead), from the evidence store and, with ``--online``, Wikipedia's search API."""

    name = "verify"
    requires: tuple[str, ...] = ("claims", "assertions", "blocks")
    assigns: tuple[str, ...] = ("claims.verdict", "claims.unchecked_reason")

    def __init__(
        self,
        settings: Any = None,
        *,
        retriever: Retriever | None = None,
        verifier: Verifier | None = None,
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
    def verifier(self) -> Verifier:
        if self._verifier is None:
            from ..models.hub import load_verifier

            self._verifier = load_verifier(self.settings.verifier_model)
        return self._verifier

    @property
    def retriever(self) -> Retriever:
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
                for c in article.claims:
                    c.unchecked_reason = "verification turned off"
            return article
        assertions = {a.id: a for a in article.assertions}
        todo = []
        for c in sorted(article.claims, key=lambda c: c.rank or 0):
            reason = _unchecked(assertions.get(c.assertion_id), c) or (
                None if self._wanted(article, c) else "below the check-worthiness threshold"
            )
            c.unchecked_reason = reason
            if reason is None:
                todo.append(c)
        not_factual = [c for c in article.claims if c.unchecked_reason in _NOT_FACTUAL]
        if not_factual:
            kinds = sorted({str(c.unchecked_reason) for c in not_factual})
            article.skipped.append(
                f"verify: {len(not_factual)} claim(s) not checked: {', '.join(kinds)} (only factual claims "
                "get verdicts)"
            )
        limit = self.settings.verify_max_claims
        if len(todo) > limit:
            article.skipped.append(
                f"verify: only the {limit} best-ranked of {len(todo)} check-worthy claims were verified"
            )
            for c in todo[limit:]:
                c.unchecked_reason = "not verified: article limit"
            todo = todo[:limit]
        if not todo:
            return article
        try:
            retriever = self.retriever
        except StoreError as exc:
            article.skipped.append(f"verify: skipped ({exc.message})")
            for c in todo:
                c.unchecked_reason = f"not verified: {exc.message}"
            return article
        if self._store is None and self.settings.online and self._store_error:
            article.skipped.append(
                "verify: the local evidence store could not be opened; searched online only"
            )
        # Per-article search state (an online retriever that failed is skipped for the rest of this
        # article only, and its errors are this article's): a session made here, never shared.
        make_session = getattr(retriever, "session", None)
        search = make_session() if callable(make_session) else retriever
        date = article.meta.get("date") if isinstance(article.meta, dict) else None
        verdicts = verify_claims(
            [c.text for c in todo], search, self.verifier, k=self.settings.evidence_k, packs=self._packs,
            article_date=str(date) if date else None,
        )
        for c, v in zip(todo, verdicts, strict=True):
            c.verdict = v
        if self._store is not None:  # a store searched with one index off or short of passages says so
            article.skipped.extend(f"verify: {w}" for w in self._store.warnings)
        errors = getattr(search, "errors", None)
        if errors:
            article.skipped.extend(f"verify: online evidence unavailable ({e})" for e in errors)
        if self._wiki_cache is not None and self._wiki_cache.error:
            article.skipped.append(f"verify: {self._wiki_cache.error}")
        return article


#: Modalities whose claims get no verdict: only factual claims are checked against evidence.
_NOT_FACTUAL = ("opinion", "prediction", "question")


def _unchecked(assertion: Any, claim: Claim) -> str | None:
    """Why a claim is not checked at all (opinion, prediction, question), or None for factual ones:
    the assertion's modality, or a value-judgement frame ("It is shameful that ...")."""
    modality = getattr(assertion, "modality", "factual") if assertion is not None else "factual"
    if modality in _NOT_FACTUAL:
        return str(modality)
    return value_judgement(claim.text)


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
