"""schema.org ClaimReview JSON-LD: one object per claim a human reviewer approved.

A machine verdict is never published as a fact-check on its own: :func:`to_claimreview` emits
only claims with an approved :class:`Review` (the web app's human review; the CLI has none, so its
``claimreview`` export is an empty list). The verdict published is the reviewer's label, or the
machine's when the reviewer confirmed it.

The fields are those Google's Fact Check markup and Meedan Check's ClaimReview importer read:
``claimReviewed``, ``reviewRating{ratingValue, bestRating, worstRating, alternateName}``,
``itemReviewed{@type Claim, author, datePublished, appearance}``, ``url``,
``author{@type Organization, name}`` and ``datePublished``; :func:`claimreview_problems` checks them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..document import (
    CONFLICTING,
    NOT_ENOUGH_EVIDENCE,
    REFUTED,
    SUPPORTED,
    Article,
    Assertion,
    Claim,
    Report,
    VerdictLabel,
)
from ._common import title_of

__all__ = [
    "RATINGS",
    "Review",
    "claimreview_problems",
    "effective_label",
    "to_claimreview",
    "to_claimreview_json",
]

#: Verdict label → (ratingValue, alternateName) on a 1 (worst) .. 5 (best) scale.
RATINGS: dict[str, tuple[int, str]] = {
    REFUTED: (1, "False"),
    NOT_ENOUGH_EVIDENCE: (3, "Unproven"),
    CONFLICTING: (3, "Mixed"),
    SUPPORTED: (5, "True"),
}
BEST_RATING, WORST_RATING = 5, 1
DEFAULT_PUBLISHER = "factaudit"


@dataclass
class Review:
    """A human reviewer's decision on one claim; the machine verdict stays in the report."""

    claim_id: str
    reviewer: str
    #: ISO 8601 timestamp (UTC) of the decision.
    reviewed_at: str
    #: The reviewer's verdict; ``None`` confirms the machine's.
    label: VerdictLabel | None = None
    note: str | None = None
    #: Only approved claims are published (ClaimReview export).
    approved: bool = False


def effective_label(claim: Claim, review: Review | None) -> str | None:
    """The verdict a reader sees: the reviewer's label, else the machine's, else ``None``."""
    if review is not None and review.label:
        return review.label
    return claim.verdict.label if claim.verdict is not None else None


def _date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or timestamp (``None`` when it does not start with one)."""
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        return value[:10]
    return None


def _thing(kind: str, name: str) -> dict[str, str]:
    return {"@type": kind, "name": name}


def _article_author(article: Article) -> dict[str, str]:
    """Who stands behind the article's own statements: its author, site or domain."""
    meta = article.meta
    if isinstance(meta.get("author"), str) and meta["author"].strip():
        return _thing("Person", meta["author"].strip())
    if isinstance(meta.get("sitename"), str) and meta["sitename"].strip():
        return _thing("Organization", meta["sitename"].strip())
    url = _article_url(article)
    if url:
        return _thing("Organization", urlsplit(url).hostname or url)
    return _thing("Person", f"author of “{title_of(article)}”")


def _claim_author(article: Article, assertion: Assertion | None) -> dict[str, str]:
    """The claim's author from the assertion's holder (a named person or body, an unnamed group)."""
    if assertion is None or assertion.holder.kind in ("author", "agentless"):
        return _article_author(article)
    holder = assertion.holder
    if holder.kind == "unnamed_group":
        return _thing("Organization", f"{holder.name} (unnamed, as cited by the article)")
    return _thing("Person" if holder.entity_type in (None, "PERSON") else "Organization", holder.name)


def _article_url(article: Article) -> str | None:
    for key in ("canonical_url", "final_url", "url"):
        value = article.meta.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None


def _fallback_url(article: Article, claim: Claim) -> str:
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()[:16]
    return f"urn:factaudit:{digest}:{claim.id}"


def to_claimreview(
    report: Report,
    reviews: Mapping[str, Review] | Iterable[Review] = (),
    *,
    publisher: str = DEFAULT_PUBLISHER,
    publisher_url: str | None = None,
    review_url: Callable[[Claim], str] | None = None,
    appearance_url: str | None = None,
) -> list[dict[str, Any]]:
    """One ClaimReview per approved claim (claims without an approved review are left out).

    ``review_url(claim)`` gives the published review's URL (the web app's audit page); without it a
    ``urn:factaudit:...`` id is used. The claim's ``appearance`` is the article's URL, else
    ``appearance_url`` (where the audited text can be read), else the article's title alone.
    """
    by_claim = dict(reviews) if isinstance(reviews, Mapping) else {r.claim_id: r for r in reviews}
    article = report.article
    assertions = {a.id: a for a in article.assertions}
    title = title_of(article)
    seen = _date(report.run.started_at)
    # The claim appeared when the article was published; the audit's own date is not that date.
    claim_date = _date(str(article.meta.get("date") or ""))
    where = _article_url(article) or appearance_url
    appearance: dict[str, str] = {"@type": "CreativeWork", "headline": title}
    if where:
        appearance["url"] = where
    org: dict[str, str] = _thing("Organization", publisher)
    if publisher_url:
        org["url"] = publisher_url
    out: list[dict[str, Any]] = []
    for claim in article.claims:
        review = by_claim.get(claim.id)
        if review is None or not review.approved:
            continue
        label = effective_label(claim, review)
        if label not in RATINGS:
            continue  # nothing to publish without a verdict
        value, name = RATINGS[label]
        item: dict[str, Any] = {
            "@type": "Claim",
            "author": _claim_author(article, assertions.get(claim.assertion_id)),
            "appearance": [dict(appearance)],
        }
        if claim_date:
            item["datePublished"] = claim_date
        obj: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": review_url(claim) if review_url else _fallback_url(article, claim),
            "claimReviewed": claim.text,
            "author": dict(org),
            "datePublished": _date(review.reviewed_at) or seen,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": BEST_RATING,
                "worstRating": WORST_RATING,
                "alternateName": name,
            },
            "itemReviewed": item,
        }
        if review.note:
            obj["reviewBody"] = review.note
        out.append(obj)
    return out


def to_claimreview_json(
    report: Report, reviews: Mapping[str, Review] | Iterable[Review] = (), **kwargs: Any
) -> str:
    """:func:`to_claimreview` as JSON text (a JSON array; empty when nothing is approved)."""
    return json.dumps(to_claimreview(report, reviews, **kwargs), ensure_ascii=False, indent=2)


def _get(obj: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(obj, Mapping) or key not in obj:
            return None
        obj = obj[key]
    return obj


#: Fields every ClaimReview must carry for Google's and Meedan Check's importers.
REQUIRED_FIELDS = (
    "claimReviewed",
    "url",
    "datePublished",
    "author.@type",
    "author.name",
    "reviewRating.ratingValue",
    "reviewRating.bestRating",
    "reviewRating.worstRating",
    "reviewRating.alternateName",
    "itemReviewed.@type",
    "itemReviewed.author.name",
    "itemReviewed.appearance",
)


def claimreview_problems(obj: Mapping[str, Any]) -> list[str]:
    """What is missing or wrong in one ClaimReview object (empty when it is importable)."""
    problems = [f"missing {p}" for p in REQUIRED_FIELDS if _get(obj, p) in (None, "", [])]
    if obj.get("@type") != "ClaimReview":
        problems.append("@type is not ClaimReview")
    if obj.get("@context") not in ("https://schema.org", "http://schema.org"):
        problems.append("@context is not schema.org")
    if _get(obj, "author.@type") not in (None, "Organization"):
        problems.append("author must be an Organization")
    if _get(obj, "itemReviewed.@type") not in (None, "Claim"):
        problems.append("itemReviewed must be a Claim")
    rating = obj.get("reviewRating")
    if isinstance(rating, Mapping):
        values = [rating.get(k) for k in ("worstRating", "ratingValue", "bestRating")]
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        if len(numbers) == 3 and not numbers[0] <= numbers[1] <= numbers[2]:
            problems.append("ratingValue is outside worstRating..bestRating")
    for key in ("datePublished", "itemReviewed.datePublished"):
        value = _get(obj, key)
        if value and _date(str(value)) is None:
            problems.append(f"{key} is not an ISO 8601 date")
    return problems
