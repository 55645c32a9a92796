"""One self-contained, static HTML report: the summary, then the article with every assertion
highlighted in place (verdict and check-worthiness chips beside the statements that carry claims), a
side panel, the claims, the drawn entity–relation map, the sources and the findings. The web app's
audit page extends the same template, so the static file and the web page look alike.

The page makes no external requests (inline CSS and JS, a Content-Security-Policy that allows only
its own script) and opens offline. Article text reaches the page only through Jinja2 autoescaping;
the report JSON is embedded in ``<script type="application/json" id="factaudit-data">`` with ``<``,
``>`` and ``&`` written as ``\\u003c``/``\\u003e``/``\\u0026``, so no text can close the element.

The side panel is filled by one script, ``panel.js`` (shared with the web page, which adds its own
glue), from the embedded report JSON plus a small ``factaudit-view`` JSON of the report's wording
(:func:`view_data`), so the panel says exactly what the rest of the page says.

Highlights are built by :func:`text_units`: the article is cut into paragraphs (its blocks, or blank
line separated runs when segmentation did not run), assertion spans are made non-overlapping by
:func:`resolve_overlaps` (sorted by start, longer first, then by order; a span that starts inside an
earlier one is clipped to begin where that one ends, and dropped when nothing is left), and each
paragraph is walked as a sequence of plain and highlighted slices of ``article.text``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from ..document import VERDICT_LABELS, Article, Assertion, Citation, Claim, Report
from ._common import (
    FACT_CHECK_CONFLICT,
    NEAREST_HEADING,
    SEVERITY_LABELS,
    SPECIFICITY_LABELS,
    TRAIT_ICONS,
    TRAIT_LABELS,
    attribution_text,
    check_text,
    claim_verdict_text,
    confidence_text,
    credibility_text,
    fact_check_text,
    fact_checks_of,
    has_checks,
    hedges_text,
    holder_label,
    holder_phrase,
    is_prominent,
    most_serious,
    not_run_note,
    ranked_claims,
    sorted_findings,
    sourced_text,
    span_text,
    split_nearest,
    tied_text,
    title_of,
    traits,
    truncate,
    unchecked_reason,
    verdict_style,
    verdict_text,
    why_related_text,
)
from .json_report import to_json_dict
from .relation_map import NODE_KINDS, Edge, edge_text, isolate, layout, legend_shape, render_svg
from .summary import FOLDED_FINDINGS, summarise

__all__ = [
    "ClaimView",
    "Piece",
    "Unit",
    "claim_views",
    "csp_hash",
    "html_environment",
    "page_script",
    "resolve_overlaps",
    "script_json",
    "text_units",
    "to_html",
    "view_data",
]

_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Span:
    """A highlight candidate: ``[start, end)`` of assertion number ``index`` (an occurrence or not)."""

    start: int
    end: int
    index: int
    occurrence: bool = False
    clipped: bool = False


@dataclass
class Piece:
    """A slice of ``article.text``; a highlight when ``index`` (the assertion's position) is set.

    ``parts`` splits a highlight's text into ``(text, is_hedge_cue)`` runs.
    """

    text: str
    start: int
    end: int
    index: int | None = None
    occurrence: bool = False
    clipped: bool = False
    parts: list[tuple[str, bool]] = field(default_factory=list)
    #: DOM id of the first highlight of an assertion (``hl-<index>``), a target for "show in text".
    anchor: str | None = None


@dataclass
class Unit:
    """A paragraph of the article: a block (``kind`` is its kind) or a run of text between blocks."""

    kind: str
    start: int
    end: int
    block_id: str | None = None
    pieces: list[Piece] = field(default_factory=list)


def resolve_overlaps(spans: Iterable[Span], length: int) -> list[Span]:
    """Sorted, non-overlapping spans within ``[0, length)``, chosen deterministically.

    Spans are taken by start, longer first, then by assertion order; one that starts inside an
    already kept span is clipped to start where that ends (``clipped=True``) or dropped if nothing
    is left. Empty and out-of-range spans are dropped.
    """
    ordered = sorted(
        (s for s in spans if 0 <= s.start < s.end <= length),
        key=lambda s: (s.start, -s.end, s.occurrence, s.index),
    )
    kept: list[Span] = []
    cursor = 0
    for s in ordered:
        if s.end <= cursor:
            continue
        if s.start < cursor:
            s = Span(cursor, s.end, s.index, s.occurrence, clipped=True)
        kept.append(s)
        cursor = s.end
    return kept


def _paragraph_ranges(article: Article) -> list[tuple[int, int, str, str | None]]:
    """``(start, end, kind, block_id)`` for each paragraph, covering every non-blank character."""
    text = article.text
    ranges: list[tuple[int, int, str, str | None]] = []
    blocks = sorted(
        (b for b in article.blocks if 0 <= b.start < b.end <= len(text)), key=lambda b: (b.start, -b.end)
    )
    kept_blocks = []
    cursor = 0
    for b in blocks:
        if b.start >= cursor:
            kept_blocks.append(b)
            cursor = b.end
    duplicates = {(d.start, d.end) for b in article.blocks for d in b.duplicates}

    def gap(start: int, end: int) -> None:
        pos = start
        for m in [*_BLANK_LINES.finditer(text, start, end), None]:
            stop = m.start() if m else end
            chunk = text[pos:stop]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk.rstrip())
            if trail > lead:
                s, e = pos + lead, pos + trail
                ranges.append((s, e, "duplicate" if (s, e) in duplicates else "text", None))
            if m:
                pos = m.end()

    cursor = 0
    for b in kept_blocks:
        gap(cursor, b.start)
        ranges.append((b.start, b.end, b.kind, b.id))
        cursor = b.end
    gap(cursor, len(text))
    return ranges


def text_units(article: Article) -> list[Unit]:
    """The article as paragraphs of plain and highlighted pieces (see the module docstring)."""
    text = article.text
    candidates: list[Span] = []
    for i, a in enumerate(article.assertions):
        candidates.append(Span(a.start, a.end, i))
        candidates.extend(Span(o.start, o.end, i, occurrence=True) for o in a.occurrences)
    spans = resolve_overlaps(candidates, len(text))

    units = []
    j = 0
    for start, end, kind, block_id in _paragraph_ranges(article):
        unit = Unit(kind=kind, start=start, end=end, block_id=block_id)
        pos = start
        while j < len(spans) and spans[j].end <= start:
            j += 1
        k = j
        while k < len(spans) and spans[k].start < end:
            s = spans[k]
            ms, me = max(s.start, start), min(s.end, end)
            if ms > pos:
                unit.pieces.append(Piece(text[pos:ms], pos, ms))
            a = article.assertions[s.index]
            unit.pieces.append(
                Piece(
                    text[ms:me],
                    ms,
                    me,
                    index=s.index,
                    occurrence=s.occurrence,
                    clipped=s.clipped or (ms, me) != (s.start, s.end),
                    parts=_hedge_parts(text, ms, me, a, s),
                )
            )
            pos = me
            if s.end > end:
                break  # the span continues in the next paragraph
            k += 1
        j = k
        if pos < end:
            unit.pieces.append(Piece(text[pos:end], pos, end))
        units.append(unit)
    return units


def _hedge_parts(text: str, start: int, end: int, a: Assertion, span: Span) -> list[tuple[str, bool]]:
    """Split ``text[start:end]`` into runs, marking the assertion's hedge cues."""
    shift = 0
    if span.occurrence:
        # Hedge offsets point into the first occurrence: reuse them only on an identical, whole repeat.
        length = a.end - a.start
        if span.clipped or text[span.start : span.start + length] != text[a.start : a.end]:
            return [(text[start:end], False)]
        shift = span.start - a.start
    cues = sorted(
        (max(h.start + shift, start), min(h.end + shift, end))
        for h in a.hedges
        if h.start + shift < end and h.end + shift > start
    )
    parts: list[tuple[str, bool]] = []
    pos = start
    for cs, ce in cues:
        if cs < pos:
            cs = pos
        if ce <= cs:
            continue
        if cs > pos:
            parts.append((text[pos:cs], False))
        parts.append((text[cs:ce], True))
        pos = ce
    if pos < end:
        parts.append((text[pos:end], False))
    return parts


def script_json(data: Any) -> Markup:
    """JSON that is safe inside ``<script type="application/json">`` (no ``</script>``, no ``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@cache
def html_environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (autoescape on; the web app reuses it)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factaudit.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        severity_label=lambda s: SEVERITY_LABELS.get(s, s),
        specificity_label=lambda s: SPECIFICITY_LABELS.get(s, s),
        credibility_text=credibility_text,
        confidence_text=confidence_text,
        verdict_text=verdict_text,
        verdict_style=verdict_style,
        span_text=span_text,
        safe_href=_safe_href,
        fact_check_text=fact_check_text,
        cut=truncate,
        fact_checks_of=fact_checks_of,
        why_related_text=why_related_text,
        split_nearest=split_nearest,
        legend_shape=legend_shape,
        nearest_heading=NEAREST_HEADING,
        fact_check_conflict=FACT_CHECK_CONFLICT,
    )
    return env


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


@cache
def page_script(*glue: str) -> str:
    """One page's inline script: the shared panel renderer (``panel.js``) followed by the page's glue
    (the static report's ``report.js``, or the web page's own script text). The page pins exactly
    this text with :func:`csp_hash`."""
    return _asset("panel.js") + "\n" + ("\n".join(glue) if glue else _asset("report.js"))


def csp_hash(script: str) -> str:
    """The CSP source ``sha256-…`` that allows exactly this inline script (one helper for every page)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _safe_href(url: str | None) -> str | None:
    """An ``http(s)`` URL for a link, else None (no ``javascript:`` or relative links)."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url, re.IGNORECASE):
        return url
    return None


@dataclass
class ClaimView:
    """A claim as the pages show it: its machine verdict, and (on the web page) a reviewer's verdict.

    ``label`` is the verdict a reader sees (the reviewer's when there is one); ``review`` and
    ``history`` are the web app's review records (None and empty in the static report).
    """

    claim: Claim
    label: str | None
    style: dict[str, str]
    machine: dict[str, str]
    verdict_text: str
    holder: str
    review: Any = None
    history: list[Any] = field(default_factory=list)

    @property
    def prominent(self) -> bool:
        """Listed in full on the page (the rest are folded away): check-worthy, decided (supported,
        refuted, conflicting), fact-checked before, or reviewed."""
        return is_prominent(self.claim) or self.review is not None

    @property
    def cw_text(self) -> str:
        c = self.claim
        if c.checkworthiness is None:
            return "check-worthiness not scored"
        worthy = (
            "" if c.check_worthy is None else (" (check-worthy)" if c.check_worthy else " (below threshold)")
        )
        return f"check-worthiness {c.checkworthiness:.2f}{worthy}"

    @property
    def cw_short(self) -> str:
        """``"check-worthiness 0.86"`` (``cw_text`` without the threshold's verdict)."""
        c = self.claim
        return (
            "check-worthiness not scored"
            if c.checkworthiness is None
            else f"check-worthiness {c.checkworthiness:.2f}"
        )

    @property
    def description(self) -> str:
        bits = [f"Claim {self.claim.id}: machine verdict {self.verdict_text}", self.cw_text]
        if self.review is not None:
            approved = ", approved" if getattr(self.review, "approved", False) else ", not approved"
            bits.append(f"reviewer {getattr(self.review, 'reviewer', '')}: {self.style['label']}{approved}")
        return "; ".join(bits)


def claim_views(
    article: Article,
    reviewed: Mapping[str, tuple[str | None, Any]] | None = None,
    history: Mapping[str, list[Any]] | None = None,
) -> dict[str, ClaimView]:
    """A :class:`ClaimView` per claim id; ``reviewed``: claim id → (label a reader sees, review)."""
    holders = {a.id: a.holder for a in article.assertions}
    out = {}
    for c in article.claims:
        machine = c.verdict.label if c.verdict else None
        label, review = (reviewed or {}).get(c.id, (machine, None))
        h = holders.get(c.assertion_id)
        out[c.id] = ClaimView(
            claim=c,
            label=label,
            style=verdict_style(label),
            machine=verdict_style(machine),
            verdict_text=claim_verdict_text(c, article),
            holder=holder_phrase(h) if h else "unknown",
            review=review,
            history=list((history or {}).get(c.id, [])),
        )
    return out


def _safe(url: str | None) -> str | None:
    return _safe_href(url)


def view_data(
    article: Article,
    views: Mapping[str, ClaimView],
    edge_list: list[Edge],
    reviews: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The report's wording for the panel script (the JSON report has the facts, this the words)."""
    claims: dict[str, Any] = {}
    for cid, v in views.items():
        c = v.claim
        same, related = fact_checks_of(c)
        claims[cid] = {
            "verdict": v.verdict_text,
            "machine": v.machine,
            "style": v.style,
            "confidence": f"model confidence {confidence_text(c.verdict.confidence)}" if c.verdict else None,
            "unchecked": None if c.verdict else unchecked_reason(c, article),
            "cw": v.cw_text.removeprefix("check-worthiness "),
            "holder": v.holder,
            "fact_checks": [
                {
                    "text": fact_check_text(m),
                    "reviewed": m.claim_reviewed,
                    "url": _safe(m.url),
                    "conflict": FACT_CHECK_CONFLICT if m.conflicts_with_verdict else None,
                }
                for m in same
            ],
            "related": [
                {
                    "text": f"“{m.claim_reviewed}” — {m.rating}"
                    + (f", {m.publisher}" if m.publisher else ""),
                    "why": why_related_text(m) or None,
                    "url": _safe(m.url),
                    "conflict": FACT_CHECK_CONFLICT if m.conflicts_with_verdict else None,
                }
                for m in related
            ],
        }
        if reviews and cid in reviews:
            claims[cid]["review"] = reviews[cid]
    return {
        "assertions": [
            {"holder": holder_phrase(a.holder), "attribution": attribution_text(a), "hedges": hedges_text(a)}
            for a in article.assertions
        ],
        "claims": claims,
        "relations": [
            {
                "title": f"{isolate(e.source_name)} —{e.relation}→ {isolate(e.target_name)}",
                "summary": edge_text(e),
                "claims": e.claim_ids,
                "style": verdict_style(e.label),
                "risks": e.risk_texts,
                "benefits": e.benefit_texts,
            }
            for e in edge_list
        ],
        "nearest_heading": NEAREST_HEADING,
    }


def _describe(a: Assertion, citations: dict[str, Citation]) -> str:
    """One sentence for screen readers: who asserts it, how it is hedged and sourced."""
    bits = [f"Assertion {a.id}", f"holder: {holder_label(a.holder)}"]
    if a.reporting_verb:
        bits.append(f"reporting verb: {a.reporting_verb}")
    bits.append(f"hedges: {hedges_text(a)}" if a.hedged else "not hedged")
    bits.append(f"modality: {a.modality}")
    bits.append(f"sourced: {sourced_text(a, citations)}")
    return "; ".join(bits) + "."


def _assertion_view(i: int, a: Assertion, citations: dict[str, Citation]) -> dict[str, Any]:
    ts = traits(a)
    return {
        "index": i,
        "a": a,
        "traits": ts,
        "classes": " ".join(
            ["hl", *(("unnamed" if t == "unnamed_group" else t) for t in ts), f"holder-{a.holder.kind}"]
        ),
        "icons": "".join(TRAIT_ICONS[t] for t in ts),
        "trait_labels": ", ".join(TRAIT_LABELS[t] for t in ts),
        "holder": holder_label(a.holder),
        "hedges": hedges_text(a),
        "sourced": sourced_text(a, citations),
        "description": _describe(a, citations),
    }


def _lang(article: Article) -> str:
    lang = (article.language or "").strip()
    return lang if _LANG.match(lang) else "und"


def to_html(
    report: Report,
    *,
    template: str = "report.html.j2",
    environment: jinja2.Environment | None = None,
    extra: Mapping[str, Any] | None = None,
    views: Mapping[str, ClaimView] | None = None,
    reviews: Mapping[str, dict[str, Any]] | None = None,
    script: str | None = None,
) -> str:
    """The report as one static HTML page.

    ``template``, ``environment`` (e.g. an overlay of :func:`html_environment` whose loader also
    finds the web app's templates) and ``extra`` (added to the template context) let the web app
    extend the layout; ``views`` (claim views with reviewer verdicts), ``reviews`` (review wording
    for the panel) and ``script`` (the page's inline script, :func:`page_script`) are the web page's.
    """
    art = report.article
    citations = {c.id: c for c in art.citations}
    aviews = [_assertion_view(i, a, citations) for i, a in enumerate(art.assertions)]
    units = text_units(art)
    anchored: set[int] = set()
    for unit in units:
        for p in unit.pieces:
            if p.index is not None and p.index not in anchored:
                anchored.add(p.index)
                p.anchor = f"hl-{p.index}"
    cviews = dict(views) if views is not None else claim_views(art)
    by_assertion: dict[str, list[ClaimView]] = {}
    for v in cviews.values():
        by_assertion.setdefault(v.claim.assertion_id, []).append(v)
    assertion_claims = {
        aid: {
            "style": verdict_style(most_serious(v.label for v in vs)),
            "claims": vs,
            "description": " ".join(v.description + "." for v in vs),
        }
        for aid, vs in by_assertion.items()
    }
    labels = {cid: v.label for cid, v in cviews.items()}
    relation_map = layout(art, labels)
    edge_list = relation_map.edges if relation_map else []
    script = script if script is not None else page_script()
    block_kinds = Counter(b.kind for b in art.blocks)
    index_of = {a.id: i for i, a in enumerate(art.assertions)}
    context = {
        "report": report,
        "article": art,
        "run": report.run,
        "title": title_of(art),
        "lang": _lang(art),
        "units": units,
        "anchored": anchored,
        "views": aviews,
        "views_by_id": {v["a"].id: v for v in aviews},
        "index_of": index_of,
        "summary": summarise(art),
        "findings": sorted_findings(art),
        "folded_findings": FOLDED_FINDINGS,
        "claims": ranked_claims(art.claims),
        "claim_views": cviews,
        "ranked_views": [cviews[c.id] for c in ranked_claims(art.claims)],
        "assertion_claims": assertion_claims,
        "relation_map": relation_map,
        "map_svg": render_svg(relation_map) if relation_map else Markup(""),
        "edges": edge_list,
        "edge_text": edge_text,
        "node_kinds": NODE_KINDS,
        "verdict_legend": [verdict_style(k) for k in (*VERDICT_LABELS, None)],
        "labels": VERDICT_LABELS,
        "claim_review_template": "claim_review.html.j2",
        "citations": art.citations,
        "tied_text": tied_text,
        "check_text": check_text,
        "citations_checked": has_checks(art.citations),
        "block_kinds": sorted(block_kinds.items()),
        "trait_icons": TRAIT_ICONS,
        "trait_labels": TRAIT_LABELS,
        "notes": {
            "assertions": not_run_note(art, "attribution", "assertions"),
            "claims": not_run_note(art, "claims", "claims"),
            "sources": not_run_note(art, "sources", "cited sources"),
        },
        "settings_json": json.dumps(report.run.settings, indent=2, ensure_ascii=False, default=str),
        "data_json": script_json(to_json_dict(report)),
        "view_json": script_json(view_data(art, cviews, edge_list, reviews)),
        "style": Markup(_asset("report.css")),
        "script": Markup(script),
        "script_hash": csp_hash(script),
    }
    if extra:
        context.update(extra)
    return (environment or html_environment()).get_template(template).render(context)
