"""One self-contained, static HTML report: the article with every assertion highlighted in place.

The page makes no external requests (inline CSS and JS, a Content-Security-Policy that allows only
its own script) and opens offline. Article text reaches the page only through Jinja2 autoescaping;
the report JSON is embedded in ``<script type="application/json" id="factaudit-data">`` with ``<``,
``>`` and ``&`` written as ``\\u003c``/``\\u003e``/``\\u0026``, so no text can close the element.

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

from ..document import Article, Assertion, Citation, Claim, Report
from ._common import (
    SEVERITY_LABELS,
    SPECIFICITY_LABELS,
    TRAIT_ICONS,
    TRAIT_LABELS,
    check_text,
    confidence_text,
    credibility_text,
    entity_names,
    has_checks,
    hedges_text,
    holder_label,
    not_run_note,
    ranked_claims,
    relation_text,
    sorted_findings,
    sourced_text,
    span_text,
    tied_text,
    title_of,
    traits,
    verdict_text,
)
from .json_report import to_json_dict

__all__ = [
    "Piece",
    "Unit",
    "csp_hash",
    "html_environment",
    "resolve_overlaps",
    "script_json",
    "text_units",
    "to_html",
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
        span_text=span_text,
        safe_href=_safe_href,
    )
    return env


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


def csp_hash(script: str) -> str:
    """The CSP source ``sha256-…`` that allows exactly this inline script (one helper for every page)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _safe_href(url: str | None) -> str | None:
    """An ``http(s)`` URL for a link, else None (no ``javascript:`` or relative links)."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url, re.IGNORECASE):
        return url
    return None


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
) -> str:
    """The report as one static HTML page.

    ``template``, ``environment`` (e.g. an overlay of :func:`html_environment` whose loader also
    finds the web app's templates) and ``extra`` (added to the template context) let the web app
    extend the layout.
    """
    art = report.article
    citations = {c.id: c for c in art.citations}
    views = [_assertion_view(i, a, citations) for i, a in enumerate(art.assertions)]
    units = text_units(art)
    anchored: set[int] = set()
    for unit in units:
        for p in unit.pieces:
            if p.index is not None and p.index not in anchored:
                anchored.add(p.index)
                p.anchor = f"hl-{p.index}"
    claims_by_assertion: dict[str, list[Claim]] = {}
    for c in art.claims:
        claims_by_assertion.setdefault(c.assertion_id, []).append(c)
    script = _asset("report.js")
    names = entity_names(art.entities)
    block_kinds = Counter(b.kind for b in art.blocks)
    context = {
        "report": report,
        "article": art,
        "run": report.run,
        "title": title_of(art),
        "lang": _lang(art),
        "units": units,
        "anchored": anchored,
        "views": views,
        "views_by_id": {v["a"].id: v for v in views},
        "findings": sorted_findings(art),
        "claims": ranked_claims(art.claims),
        "claims_by_assertion": claims_by_assertion,
        "relations": [relation_text(r, names) for r in art.relations],
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
        "style": Markup(_asset("report.css")),
        "script": Markup(script),
        "script_hash": csp_hash(script),
    }
    if extra:
        context.update(extra)
    return (environment or html_environment()).get_template(template).render(context)
