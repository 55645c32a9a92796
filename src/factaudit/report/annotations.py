"""W3C Web Annotation JSON-LD: one ``assessing`` annotation per claim, anchored on the article text.

Each target carries a ``TextQuoteSelector`` (``exact`` plus up to :data:`CONTEXT_CHARS` characters
of ``prefix``/``suffix``) and a ``TextPositionSelector`` (``start``/``end`` in Unicode code points
of the normalised text, which is what Python string offsets count), so a client can re-anchor each
annotation on the text even after the position drifts: :func:`reanchor` does that.

The annotations describe the machine's assessment (and a reviewer's, where one exists); they are
not a publication of fact-checks (that is ClaimReview, for approved claims only).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..document import Article, Claim, Report
from ._common import confidence_text
from .claimreview import Review, effective_label

__all__ = ["CONTEXT_CHARS", "reanchor", "text_selectors", "to_annotations", "to_annotations_json"]

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: How much text around the quote goes into ``prefix`` and ``suffix``.
CONTEXT_CHARS = 32
_NAMESPACE = uuid.UUID("8b1f3d6e-6c55-4e39-9d3f-5a9a2f0e7c41")


def text_selectors(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> list[dict[str, Any]]:
    """The quote and position selectors for ``text[start:end]``."""
    return [
        {
            "type": "TextQuoteSelector",
            "exact": text[start:end],
            "prefix": text[max(0, start - context) : start],
            "suffix": text[end : end + context],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def reanchor(text: str, selectors: Sequence[Mapping[str, Any]]) -> tuple[int, int] | None:
    """Where a ``TextQuoteSelector`` lands in ``text``: ``(start, end)``, or ``None`` if nowhere.

    Among the occurrences of ``exact``, those whose surrounding text agrees with ``prefix`` and
    ``suffix`` the most win; a ``TextPositionSelector`` (if any) breaks ties by distance.
    """
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    if quote is None or not quote.get("exact"):
        return None
    exact, prefix, suffix = str(quote["exact"]), str(quote.get("prefix", "")), str(quote.get("suffix", ""))
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    hint = int(position["start"]) if position is not None else 0
    best: tuple[int, int, int] | None = None  # (-context match, distance, start)
    pos = text.find(exact)
    while pos != -1:
        before = text[max(0, pos - len(prefix)) : pos]
        after = text[pos + len(exact) : pos + len(exact) + len(suffix)]
        score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        key = (-score, abs(pos - hint), pos)
        if best is None or key < best:
            best = key
        pos = text.find(exact, pos + 1)
    return None if best is None else (best[2], best[2] + len(exact))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _target_source(article: Article) -> str:
    for key in ("canonical_url", "final_url", "url"):
        value = article.meta.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return "urn:sha256:" + hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def _body(claim: Claim, review: Review | None) -> list[dict[str, Any]]:
    verdict = claim.verdict
    machine = f"{verdict.label} ({confidence_text(verdict.confidence)})" if verdict else "not checked"
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "value": claim.text},
        {
            "type": "TextualBody",
            "purpose": "assessing",
            "format": "text/plain",
            "value": f"machine verdict: {machine}",
            "creator": {"type": "Software", "name": "factaudit"},
        },
    ]
    if claim.checkworthiness is not None:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "tagging",
                "format": "text/plain",
                "value": f"check-worthiness {claim.checkworthiness:.2f}",
            }
        )
    if review is not None:
        label = effective_label(claim, review) or "no verdict"
        state = "approved" if review.approved else "not approved"
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "format": "text/plain",
                "value": f"reviewer verdict: {label} ({state})",
                "creator": {"type": "Person", "name": review.reviewer},
                "created": review.reviewed_at,
            }
        )
        if review.note:
            bodies.append(
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "format": "text/plain",
                    "value": review.note,
                    "creator": {"type": "Person", "name": review.reviewer},
                }
            )
    return bodies


def to_annotations(
    report: Report,
    reviews: Mapping[str, Review] | Iterable[Review] = (),
    *,
    collection_id: str | None = None,
) -> dict[str, Any]:
    """An ``AnnotationCollection`` with one ``assessing`` annotation per claim (in text order)."""
    by_claim = dict(reviews) if isinstance(reviews, Mapping) else {r.claim_id: r for r in reviews}
    article = report.article
    text = article.text
    source = _target_source(article)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    items = []
    for claim in sorted(article.claims, key=lambda c: (c.start, c.end, c.id)):
        if not 0 <= claim.start < claim.end <= len(text):
            continue
        items.append(
            {
                "@context": ANNO_CONTEXT,
                "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{digest}:{claim.id}')}",
                "type": "Annotation",
                "motivation": "assessing",
                "created": report.run.started_at,
                "generator": {"type": "Software", "name": f"factaudit {report.run.package_version}"},
                "body": _body(claim, by_claim.get(claim.id)),
                "target": {"source": source, "selector": text_selectors(text, claim.start, claim.end)},
            }
        )
    return {
        "@context": ANNO_CONTEXT,
        "id": collection_id or f"urn:uuid:{uuid.uuid5(_NAMESPACE, digest)}",
        "type": "AnnotationCollection",
        "label": f"factaudit claims for {source}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def to_annotations_json(
    report: Report, reviews: Mapping[str, Review] | Iterable[Review] = (), **kwargs: Any
) -> str:
    """:func:`to_annotations` as JSON text."""
    return json.dumps(to_annotations(report, reviews, **kwargs), ensure_ascii=False, indent=2)
