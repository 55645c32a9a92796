"""Match check-worthy claims to earlier published fact-checks (the fact-check library).

Runs after claims (and relations), before verify. For each check-worthy claim, best ranked first
(at most ``Settings.factcheck_max_claims``), :class:`factaudit.factchecks.match.Matcher` retrieves
candidates for the claim and its whole source sentence, gates them with a cheap score and reranks
the few that pass with the project's cross-encoder. Fact-checks at or above the model's calibrated
threshold are matches, unless the fact-check is about another subject (another person or place
as the subject, neither named in the other text: ``factaudit.factchecks.subjects``); candidates
that passed the gate but are no match are kept apart as ``related``. Only entries in the
article's language are matched.

A match is not a verdict: it fills ``Claim.fact_checks`` beside the verdict the verify stage
gives. ``conflicts_with_verdict`` needs that verdict, so the findings stage sets it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..document import Article, Claim, FactCheckMatch, ModelInfo
from ..errors import StoreError
from . import BaseStage

#: Matches (same claim) and related fact-checks kept per claim.
MAX_MATCHES = 3
MAX_RELATED = 2


def _day(value: Any) -> date | None:
    from ..factchecks.readers import iso_date

    iso = iso_date(value)
    return date.fromisoformat(iso) if iso else None


#: What a report says when matching was not asked for (reports then claim no "no match").
OFF = "factchecks: off (--factchecks matches claims to earlier published fact-checks)"


class FactChecksStage(BaseStage):
    """Earlier fact-checks of the check-worthy claims, with their rating, date, link and stance."""

    name = "factchecks"
    requires: tuple[str, ...] = ("claims", "sentences")
    assigns: tuple[str, ...] = ("claims.fact_checks",)
    uses: tuple[str, ...] = ("meta", "language")

    def __init__(self, settings: Any = None, *, matcher: Any = None) -> None:
        super().__init__(settings)
        self._matcher = matcher
        self._library: Any = None

    @property
    def matcher(self) -> Any:
        if self._matcher is None:
            from ..factchecks.default import open_default_library
            from ..factchecks.match import Matcher

            self._library = open_default_library(self.settings.factcheck_library)
            self._matcher = Matcher(self._library, model=self.settings.claim_matcher_model)
        return self._matcher

    def warm_up(self) -> None:
        if self.settings.factchecks:
            _ = self.matcher.model

    def model_info(self) -> list[ModelInfo]:
        if self._matcher is None or self._matcher._model is None or isinstance(self._matcher._model, str):
            return []
        return [self._matcher.model.info()]

    def __call__(self, article: Article) -> Article:
        if not article.auditable:
            return article
        if not self.settings.factchecks:
            article.skipped.append(OFF)
            return article
        wanted = sorted((c for c in article.claims if c.check_worthy), key=lambda c: c.rank or 0)
        if not wanted:
            return article
        try:
            matcher = self.matcher
        except StoreError as exc:
            if self.settings.factcheck_library:
                raise
            article.skipped.append(f"factchecks: the default fact-check library cannot be opened ({exc})")
            return article
        for warning in matcher.library.warnings:
            article.skipped.append(f"factchecks: {warning}")
        limit = self.settings.factcheck_max_claims
        if len(wanted) > limit:
            article.skipped.append(f"factchecks: {len(wanted) - limit} check-worthy claims not matched "
                                   f"(limit {limit} per article)")
        sentences = {s.id: s.text for s in article.sentences}
        published = _day(article.meta.get("date"))
        for claim in wanted[:limit]:
            claim.fact_checks = self._matches(matcher, claim, sentences.get(claim.sentence_id or ""),
                                              article.language, published)
        return article

    @staticmethod
    def _matches(matcher: Any, claim: Claim, sentence: str | None, language: str | None,
                 published: date | None) -> list[FactCheckMatch]:
        from ..factchecks.stance import stance

        same: list[FactCheckMatch] = []
        related: list[FactCheckMatch] = []
        seen: set[str] = set()
        for cand in matcher.match(claim.plain_text, sentence, language=language):
            is_match = matcher.is_match(cand)
            for e in cand.entries:
                if e.url in seen:
                    continue
                seen.add(e.url)
                day = _day(e.date)
                m = FactCheckMatch(
                    claim_reviewed=e.claim_reviewed, rating=e.rating, normalised=e.normalised or "other",
                    url=e.url, publisher=e.publisher, date=e.date, language=e.language,
                    probability=round(float(cand.probability or 0.0), 4),
                    age_days=(published - day).days if published and day else None,
                    stance=stance(sentence or claim.text, e.claim_reviewed), related=not is_match,
                    why_related=cand.mismatch,
                )
                (same if is_match else related).append(m)
        return same[:MAX_MATCHES] + related[:MAX_RELATED]
