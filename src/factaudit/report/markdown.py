"""A fact-checker's Markdown report: the summary first, then the claims, the map's edges, the sources,
the findings, the statements and the structure (no character offsets: those are in the JSON)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..document import Article, Assertion, Claim, Report, RunRecord
from ._common import (
    FACT_CHECK_CONFLICT,
    NEAREST_HEADING,
    SEVERITY_LABELS,
    SPECIFICITY_LABELS,
    TRAIT_ICONS,
    TRAIT_LABELS,
    check_text,
    claim_verdict_text,
    credibility_text,
    fact_check_text,
    fact_checks_of,
    has_checks,
    hedges_text,
    holder_label,
    holder_phrase,
    not_run_note,
    ranked_claims,
    sorted_findings,
    sourced_text,
    split_nearest,
    tied_text,
    title_of,
    traits,
    truncate,
    verdict_style,
    why_related_text,
)
from .relation_map import clean_name, edge_text, edges, isolate
from .summary import FOLDED_FINDINGS, summarise

__all__ = ["md_escape", "to_markdown"]

#: Characters that carry meaning in CommonMark/GFM inline text (``|`` splits table cells).
_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|~#&!])")
#: Longest assertion or claim text shown before truncating.
TEXT_LIMIT = 140


def md_escape(text: str) -> str:
    """Article text as inline Markdown: whitespace collapsed, special characters backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _anchor(claim_id: str) -> str:
    """A claim id as an HTML id / fragment (the raw ``<a id>`` must not carry markup)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", claim_id)


def _code(text: str) -> str:
    """An identifier as a code span, or escaped text when it cannot be one."""
    if text and not any(ch in text for ch in "`|\n\\"):
        return f"`{text}`"
    return md_escape(text)


def to_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown."""
    art = report.article
    parts: list[str] = [_header(art)]
    parts.append(_summary(art))
    parts.append(_claims(art))
    if art.relations or art.entities:
        parts.append(_relations(art))
    parts.append(_sources(art))
    parts.append(_findings(art))
    parts.append(_assertions(art))
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
    ]
    return "\n".join(lines)


def _verdict(c: Claim, art: Article) -> str:
    style = verdict_style(c.verdict.label if c.verdict else None)
    return f"{style['icon']} {md_escape(claim_verdict_text(c, art))}"


def _summary(art: Article) -> str:
    s = summarise(art)
    holders = {a.id: a.holder for a in art.assertions}
    parts = ["## Summary"]
    if s.check_first:
        lines = [f"**Check first** ({s.check_worthy} of {s.claims} claims are check-worthy):", ""]
        for i, c in enumerate(s.check_first, 1):
            cw = f" · check-worthiness {c.checkworthiness:.2f}" if c.checkworthiness is not None else ""
            who = (
                f" · said by {md_escape(holder_phrase(holders[c.assertion_id]))}"
                if c.assertion_id in holders
                else ""
            )
            lines.append(
                f"{i}. “{md_escape(truncate(c.text, 160))}” ([{md_escape(c.id)}](#claim-{_anchor(c.id)})) — "
                f"**{_verdict(c, art)}**{cw}{who}"
            )
        parts.append("\n".join(lines))
    else:
        parts.append(not_run_note(art, "claims", "claims"))
    if s.sourcing:
        parts.append(
            "**Sourcing problems:**\n\n"
            + _bullets(
                f"{SEVERITY_LABELS.get(f.severity, f.severity)}: {md_escape(f.message)}" for f in s.sourcing
            )
        )
    elif art.citations or art.assertions:
        parts.append("**Sourcing:** no sourcing or attribution problem found.")
    facts = []
    if art.claims:
        facts.append(f"**Verdicts:** {md_escape(s.verdict_line())}")
    if s.evidence:
        facts.append(f"**Evidence:** {md_escape(s.evidence)}")
    fc = s.fact_check_line()
    if fc:
        facts.append(f"**Earlier fact-checks:** {md_escape(fc)}")
    if facts:
        parts.append("  \n".join(facts))
    return "\n\n".join(parts)


def _findings(art: Article) -> str:
    # check_first and evidence_coverage are said in the summary's own words
    found = [f for f in sorted_findings(art) if f.code not in FOLDED_FINDINGS]
    if not found:
        return "## Findings\n\nNo findings."
    items = []
    for f in found:
        label = SEVERITY_LABELS.get(f.severity, f.severity)
        refs = f" (refs: {md_escape(', '.join(f.refs))})" if f.refs else ""
        items.append(f"**{label}** · {_code(f.code)} — {md_escape(f.message)}{refs}")
    return "## Findings\n\n" + _bullets(items)


def _assertions(art: Article) -> str:
    if not art.assertions:
        return "## Statements\n\n" + not_run_note(art, "attribution", "assertions")
    citations = {c.id: c for c in art.citations}
    rows = []
    for a in art.assertions:
        rows.append(
            [
                a.id,
                md_escape(truncate(a.text, TEXT_LIMIT))
                + (f" (+{len(a.occurrences)} repeats)" if a.occurrences else ""),
                _holder_cell(a),
                md_escape(a.reporting_verb) if a.reporting_verb else "—",
                ("≈ " if a.hedged else "") + md_escape(hedges_text(a)),
                a.modality,
                md_escape(sourced_text(a, citations)),
                md_escape(truncate(a.context, 80)) if a.context else "—",
            ]
        )
    head = ["id", "statement", "holder", "reporting verb", "hedges", "modality", "sourced?", "context"]
    legend = "Legend: " + " · ".join(f"{icon} {TRAIT_LABELS[k]}" for k, icon in TRAIT_ICONS.items())
    return "## Statements\n\n" + legend + "\n\n" + _table(head, rows)


def _holder_cell(a: Assertion) -> str:
    icons = "".join(TRAIT_ICONS[t] + " " for t in traits(a) if t != "hedged")
    return icons + md_escape(holder_label(a.holder))


def _fact_checks(c: Claim) -> str:
    """Earlier fact-checks of a claim (nothing when there are none). A match is never a verdict."""
    same, related = fact_checks_of(c)
    out = ""
    for m in same:
        out += (
            f"\n\n   ⟲ {md_escape(fact_check_text(m))}  \n   reviewed claim: “{md_escape(m.claim_reviewed)}”"
        )
        out += f"  \n   {_link(m.url, 'read the fact-check')}"
        if m.conflicts_with_verdict:
            out += f"  \n   **{md_escape(FACT_CHECK_CONFLICT)}**"
    if related:
        out += "\n\n   *related fact-checks:*\n"
        for m in related:
            flag = f" **{md_escape(FACT_CHECK_CONFLICT)}**" if m.conflicts_with_verdict else ""
            out += (
                f"\n   - “{md_escape(m.claim_reviewed)}” — {md_escape(m.rating)}"
                f"{', ' + md_escape(m.publisher) if m.publisher else ''} · {_link(m.url, 'fact-check')}{flag}"
            )
            if m.why_related:
                out += f" — *{md_escape(why_related_text(m))}*"
    return out


def _link(url: str, text: str) -> str:
    """A Markdown link to an http(s) URL, else the URL as escaped text."""
    if re.match(r"^https?://[^\s()<>]+$", url, re.IGNORECASE):
        return f"[{md_escape(text)}]({url})"
    return md_escape(url)


def _claims(art: Article) -> str:
    if not art.claims:
        return "## Claims (check first)\n\n" + not_run_note(art, "claims", "claims")
    holders = {a.id: a.holder for a in art.assertions}
    items = []
    for c in ranked_claims(art.claims):
        cw = f" · check-worthiness {c.checkworthiness:.2f}" if c.checkworthiness is not None else ""
        lines = [
            f'<a id="claim-{_anchor(c.id)}"></a>**{md_escape(c.id)}** “{md_escape(c.text)}” · '
            f"**{_verdict(c, art)}**{cw}"
        ]
        origin = f"from {md_escape(c.assertion_id)}"
        if c.assertion_id in holders:
            origin += f", said by {md_escape(holder_phrase(holders[c.assertion_id]))}"
        lines.append(origin)
        if c.context:
            lines.append(f"answers: {md_escape(c.context)}")
        if c.verdict is not None and c.verdict.note:
            lines.append(f"note: {md_escape(c.verdict.note)}")
        item = "  \n   ".join(lines)  # hard line breaks inside the list item
        item += _fact_checks(c)
        if c.verdict is not None:
            evidence, nearest = split_nearest(c.verdict)
            for ev in evidence:
                label = f" ({md_escape(ev.label)})" if ev.label else ""
                score = f", score {ev.score:.2f}" if ev.score is not None else ""
                item += (
                    f"\n\n   > “{md_escape(ev.quote or ev.passage)}” — {md_escape(ev.source)}{label}{score}"
                )
            if nearest:  # collapsed, with no verdict beside them: they are not evidence
                item += f"\n\n   <details><summary>{NEAREST_HEADING} ({len(nearest)})</summary>\n"
                for ev in nearest:
                    quote = md_escape(truncate(ev.quote or ev.passage, 200))
                    item += f"\n   > “{quote}” — {md_escape(ev.source)}\n"
                item += "\n   </details>"
            if not c.verdict.evidence:
                item += "\n\n   No evidence quoted."
        items.append(item)
    body = "\n\n".join(f"{i}. {text}" for i, text in enumerate(items, 1))
    return "## Claims (check first)\n\n" + body


def _relations(art: Article) -> str:
    parts = ["## Entity–relation map"]
    es = edges(art)
    if es:
        parts.append(_bullets(md_escape(edge_text(e)) for e in es))
    else:
        parts.append("No relations found.")
    if art.entities:
        parts.append(
            "Entities: "
            + ", ".join(
                f"{md_escape(isolate(clean_name(e.name)))} ({md_escape(e.type)})" for e in art.entities
            )
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
