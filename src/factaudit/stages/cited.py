"""Read the article's cited pages against the statements that cite them (only with ``--online``).

Does the cited page back the sentence that cites it? For every citation with a specific URL tied
to statements, the page is fetched through the guarded fetcher (``factaudit.net``: the URL comes
from an untrusted article), its main text extracted as ingest would, cut into short passages, and
each citing statement is verified against the passages that share its words — the same verifier,
rules and aggregation as claims against the evidence store. Home pages and untied references are
marked ``not_checked`` with the reason; a page that cannot be fetched is ``unreachable`` with the
fetcher's error, never a failed audit.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from ..config import FetchSettings
from ..document import (
    CONFLICTING,
    REFUTED,
    SUPPORTED,
    Article,
    Assertion,
    Citation,
    CitationCheck,
    CitationStatus,
    CitedBacking,
)
from ..errors import FetchError, InputError
from . import BaseStage

#: Cited pages are read for a few sentences each: a smaller cap than an audited input.
CITED_PAGE_MAX_BYTES = 10 * 1024 * 1024
CITED_PAGE_TIMEOUT_S = 10.0
#: Cited pages fetched at once.
FETCH_WORKERS = 4


@dataclasses.dataclass
class _Page:
    text: str
    title: str | None


def statement_text(article: Article, a: Assertion) -> str:
    """The asserted proposition of ``a`` (its content span), or the whole clause."""
    if a.content is not None and a.content.end > a.content.start:
        return article.text[a.content.start : a.content.end]
    return a.text


def summarise(labels: list[str]) -> CitationStatus:
    """One status for a citation from the verdicts of its citing statements."""
    if (SUPPORTED in labels and REFUTED in labels) or CONFLICTING in labels:
        return "mixed"
    if SUPPORTED in labels:
        return "backs"
    if REFUTED in labels:
        return "contradicts"
    return "does_not_back"


class CitedPagesStage(BaseStage):
    """Fetch each specifically cited page and record whether it backs the statements citing it
    (``Citation.check``); a no-op offline. ``transport``/``resolver`` go to the guarded fetcher."""

    name = "cited_pages"
    requires: tuple[str, ...] = ("citations", "assertions")
    assigns: tuple[str, ...] = ("citations.check",)

    def __init__(
        self, settings: Any = None, *, verifier: Any = None, transport: Any = None, resolver: Any = None
    ) -> None:
        super().__init__(settings)
        self._verifier = verifier
        self.transport = transport
        self.resolver = resolver

    @property
    def verifier(self) -> Any:
        """The verifier given, else the one ``settings.verifier_model`` names (loaded on first use)."""
        if self._verifier is None:
            from ..models.hub import load_verifier

            self._verifier = load_verifier(self.settings.verifier_model)
        return self._verifier

    def warm_up(self) -> None:
        if self.settings.online:
            _ = self.verifier

    def __call__(self, article: Article) -> Article:
        if not article.auditable or not self.settings.online:
            return article
        by_id = {a.id: a for a in article.assertions}
        todo: list[Citation] = []
        urls: list[str] = []
        for c in article.citations:
            if not c.url:
                continue
            reason = self._not_checkable(c)
            if reason is None and c.url not in urls and len(urls) >= self.settings.max_cited_pages:
                reason = f"only the first {self.settings.max_cited_pages} cited pages are fetched"
            if reason:
                c.check = CitationCheck(status="not_checked", error=reason)
                continue
            if c.url not in urls:
                urls.append(c.url)
            todo.append(c)
        if not todo:
            return article
        # Pages are fetched in parallel (network-bound); each has its own deadline and byte cap.
        with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, len(urls))) as pool:
            pages = dict(zip(urls, pool.map(self._fetch, urls), strict=True))
        for c in todo:
            assert c.url is not None
            page, content = pages[c.url]
            if content is None:
                c.check = dataclasses.replace(page, backing=[])
                continue
            statements = [by_id[i] for i in c.assertion_ids if i in by_id]
            c.check = self._check(article, page, content, statements)
        return article

    @staticmethod
    def _not_checkable(c: Citation) -> str | None:
        if c.specificity == "home_page":
            return "a home page backs no specific statement"
        if not c.assertion_ids:
            return "tied to no statement in the article"
        return None

    def _fetch(self, url: str) -> tuple[CitationCheck, _Page | None]:
        from .. import net
        from ..extract import extract_document

        settings = FetchSettings(
            timeout_s=min(self.settings.fetch.timeout_s, CITED_PAGE_TIMEOUT_S),
            max_bytes=min(self.settings.fetch.max_bytes, CITED_PAGE_MAX_BYTES),
            max_redirects=self.settings.fetch.max_redirects,
            user_agent=self.settings.fetch.user_agent,
        )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            result = net.fetch(url, settings, transport=self.transport, resolver=self.resolver)
            doc = extract_document(result.content, self.settings, content_type=result.content_type,
                                   url=result.final_url)
        except FetchError as exc:
            return CitationCheck(status="unreachable", fetched_at=now, error=exc.message), None
        except InputError as exc:
            msg = f"no readable text: {exc.message}"
            return CitationCheck(status="unreachable", fetched_at=now, error=msg), None
        check = CitationCheck(status="does_not_back", final_url=result.final_url, fetched_at=now)
        title = doc.meta.get("title")
        return check, _Page(doc.text, str(title) if title else None)

    def _check(
        self, article: Article, page: CitationCheck, content: _Page, statements: list[Assertion]
    ) -> CitationCheck:
        from ..checking import verify_claims
        from ..evidence.online import PageRetriever

        url = page.final_url or ""
        # No as-of date: the day the page was fetched says nothing about when its figures held.
        retriever = PageRetriever(content.text, url=url, title=content.title or url)
        claims = [statement_text(article, a) for a in statements]
        verdicts = verify_claims(claims, retriever, self.verifier, k=self.settings.evidence_k,
                                 packs=[f"the cited page {url}"])
        backing = [CitedBacking(a.id, v) for a, v in zip(statements, verdicts, strict=True)]
        return dataclasses.replace(page, status=summarise([v.label for v in verdicts]), backing=backing)
