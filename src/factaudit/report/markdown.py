"""A fact-checker's Markdown summary: findings first, then assertions, claims, relations, sources."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..document import Article, Assertion, Report, RunRecord
from ._common import (
    NEAREST_HEADING,
    SEVERITY_LABELS,
    SPECIFICITY_LABELS,
    TRAIT_ICONS,
    TRAIT_LABELS,
    check_text,
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
    split_nearest,
    tied_text,
    title_of,
    traits,
    truncate,
    verdict_text,
)

__all__ = ["md_escape", "to_markdown"]

#: Characters that carry meaning in CommonMark/GFM inline text (``|`` splits table cells).
_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|~#&!])")
#: Longest assertion or claim text shown before truncating.
TEXT_LIMIT = 140


def md_escape(text: str) -> str:
    """Article text as inline Markdown: whitespace collapsed, special characters backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    """An identifier as a code span, or escaped text when it cannot be one."""
    if text and not any(ch in text for ch in "`|\n\\"):
        return f"`{text}`"
    return md_escape(text)


def to_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown."""
    art = report.article
    parts: list[str] = [_header(art)]
    parts.append(_findings(art))
    parts.append(_assertions(art))
    parts.append(_claims(art))
    if art.relations or art.entities:
        parts.append(_relations(art))
    parts.append(_sources(art))
    parts.append(_structure(art))
    if art.skipped:
        parts.append("## Skipped\n\n" + _bullets(md_escape(s) for s in art.skipped))
    parts.append(_footer(report.run, report.schema_version))
    return "\n\n".join(p.rstrip() for p in parts) + "\n"


def _header(art: Article) -> str:
    lang = art.language or "unknown"
    if art.language_confidence is not None:
        lang += f" ({art.language_confidence:.2f})"
    lines = [
        f"# Audit: {md_escape(title_of(art))}",
        "",
        f"**Source:** {md_escape(art.source)} · **Language:** {md_escape(lang)} · "
        f"**Format:** {md_escape(art.format)}" + ("" if art.auditable else " · **Not auditable**"),
        "",
        "Legend: " + " · ".join(f"{icon} {TRAIT_LABELS[k]}" for k, icon in TRAIT_ICONS.items()),
    ]
    return "\n".join(lines)


def _findings(art: Article) -> str:
    if not art.findings:
        return "## Findings\n\nNo findings."
    items = []
    for f in sorted_findings(art):
        label = SEVERITY_LABELS.get(f.severity, f.severity)
        refs = f" (refs: {md_escape(', '.join(f.refs))})" if f.refs else ""
        items.append(f"**{label}** · {_code(f.code)} — {md_escape(f.message)}{refs}")
    return "## Findings\n\n" + _bullets(items)


def _assertions(art: Article) -> str:
    if not art.assertions:
        return "## Assertions\n\n" + not_run_note(art, "attribution", "assertions")
    citations = {c.id: c for c in art.citations}
    rows = []
    for a in art.assertions:
        rows.append(
            [
                a.id,
                f"{md_escape(truncate(a.text, TEXT_LIMIT))} {span_text(a.start, a.end)}"
                + (f" (+{len(a.occurrences)} repeats)" if a.occurrences else ""),
                _holder_cell(a),
                md_escape(a.reporting_verb) if a.reporting_verb else "—",
                ("≈ " if a.hedged else "") + md_escape(hedges_text(a)),
                a.modality,
                md_escape(sourced_text(a, citations)),
                md_escape(truncate(a.context, 80)) if a.context else "—",
            ]
        )
    head = ["id", "assertion [span]", "holder", "reporting verb", "hedges", "modality", "sourced?", "context"]
    return "## Assertions\n\n" + _table(head, rows)


def _holder_cell(a: Assertion) -> str:
    icons = "".join(TRAIT_ICONS[t] + " " for t in traits(a) if t != "hedged")
    return icons + md_escape(holder_label(a.holder))


def _claims(art: Article) -> str:
    if not art.claims:
        return "## Claims (check first)\n\n" + not_run_note(art, "claims", "claims")
    assertions = {a.id: a for a in art.assertions}
    items = []
    for c in ranked_claims(art.claims):
        cw = f" · check-worthiness {c.checkworthiness:.2f}" if c.checkworthiness is not None else ""
        said = md_escape(verdict_text(c.verdict, c.unchecked_reason))
        lines = [f"**{md_escape(c.id)}** “{md_escape(c.text)}”{cw} · **{said}**"]
        source = assertions.get(c.assertion_id)
        origin = f"from {md_escape(c.assertion_id)} {span_text(c.start, c.end)}"
        if source is not None:
            origin += f", held by {md_escape(holder_label(source.holder))}"
        lines.append(origin)
        if c.context:
            lines.append(f"answers: {md_escape(c.context)}")
        if c.verdict is not None and c.verdict.note:
            lines.append(f"note: {md_escape(c.verdict.note)}")
        item = "  \n   ".join(lines)  # hard line breaks inside the list item
        if c.verdict is not None:
            evidence, nearest = split_nearest(c.verdict)
            for ev in evidence:
                label = f" ({md_escape(ev.label)})" if ev.label else ""
                score = f", score {ev.score:.2f}" if ev.score is not None else ""
                item += (
                    f"\n\n   > “{md_escape(ev.quote or ev.passage)}” — {md_escape(ev.source)}{label}{score}"
                )
            if nearest:  # no verdict beside them: they are not evidence
                item += f"\n\n   *{NEAREST_HEADING}:*"
                for ev in nearest:
                    item += f"\n\n   > “{md_escape(ev.quote or ev.passage)}” — {md_escape(ev.source)}"
            if not c.verdict.evidence:
                item += "\n\n   No evidence quoted."
        items.append(item)
    body = "\n\n".join(f"{i}. {text}" for i, text in enumerate(items, 1))
    return "## Claims (check first)\n\n" + body


def _relations(art: Article) -> str:
    names = entity_names(art.entities)
    parts = ["## Entity–relation map"]
    if art.relations:
        parts.append(_bullets(md_escape(relation_text(r, names)) for r in art.relations))
    else:
        parts.append("No relations found.")
    if art.entities:
        parts.append(
            "Entities: " + ", ".join(f"{md_escape(e.name)} ({md_escape(e.type)})" for e in art.entities)
        )
    return "\n\n".join(parts)


def _sources(art: Article) -> str:
    if not art.citations:
        return "## Sources\n\n" + not_run_note(art, "sources", "cited sources")
    rows = []
    checked = has_checks(art.citations)
    for c in art.citations:
        rows.append(
            [
                c.id,
                md_escape(c.outlet) if c.outlet else "—",
                md_escape(c.url) if c.url else "—",
                md_escape(c.domain) if c.domain else "—",
                SPECIFICITY_LABELS.get(c.specificity, c.specificity),
                md_escape(credibility_text(c.credibility)),
                md_escape(tied_text(c)),
                "yes" if c.supports_claims else "no",
            ]
            + ([md_escape(check_text(c))] if checked else [])
        )
    head = ["id", "outlet", "URL", "domain", "specificity", "credibility", "tied to", "supports claims"]
    if checked:
        head.append("cited page")
    return "## Sources\n\n" + _table(head, rows)


def _structure(art: Article) -> str:
    kinds = Counter(b.kind for b in art.blocks)
    kind_text = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    lines = [
        f"- blocks: {len(art.blocks)}" + (f" ({kind_text})" if kind_text else ""),
        f"- sentences: {len(art.sentences)}",
        f"- Q&A pairs: {len(art.qa_pairs)}",
    ]
    parts = ["## Structure", "\n".join(lines)]
    if art.qa_pairs:
        pairs = [
            f"{i}. **Q:** {md_escape(qa.question)}  \n   **A:** {md_escape(qa.answer)}"
            for i, qa in enumerate(art.qa_pairs, 1)
        ]
        parts.append("### Q&A pairs\n\n" + "\n".join(pairs))
    return "\n\n".join(parts)


def _footer(run: RunRecord, schema_version: str) -> str:
    models = ", ".join(f"{m.name} {m.version}" for m in run.models) or "none"
    timings = ", ".join(f"{k} {v:.3f} s" for k, v in run.timings.items()) or "—"
    lines = [
        "---",
        "",
        f"*factaudit {md_escape(run.package_version)} · report schema {md_escape(schema_version)} · "
        f"started {md_escape(run.started_at)} · {run.duration_s:.2f} s*  ",
        f"*stages: {md_escape(' → '.join(run.stages) or '—')} · models: {md_escape(models)}*  ",
        f"*timings: {md_escape(timings)}*",
    ]
    if run.python or run.platform:
        lines[-1] += "  "
        lines.append(f"*{md_escape(run.python)} on {md_escape(run.platform)}*")
    return "\n".join(lines)


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.extend("| " + " | ".join(cell or "—" for cell in row) + " |" for row in rows)
    return "\n".join(lines)
