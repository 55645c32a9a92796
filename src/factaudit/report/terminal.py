"""The terminal report (rich): a summary first, then the claims, the map's edges, the sources and the
findings; ``full`` (the CLI's ``--full`` / ``-v``) adds evidence, offsets, statements and structure.

Article text always goes through :class:`rich.text.Text`, never through console markup, so square
brackets in an article cannot restyle the output.
"""

from __future__ import annotations

import io
from collections import Counter

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..document import (
    CONFLICTING,
    NOT_ENOUGH_EVIDENCE,
    REFUTED,
    SUPPORTED,
    Article,
    Assertion,
    Citation,
    Claim,
    Report,
)
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
    is_prominent,
    not_run_note,
    ranked_claims,
    sorted_findings,
    sourced_text,
    span_text,
    split_nearest,
    tied_text,
    title_of,
    truncate,
    verdict_style,
    why_related_text,
)
from .relation_map import edge_text, edges
from .summary import CHECK_FIRST, FOLDED_FINDINGS, summarise

__all__ = ["render_terminal", "to_text"]

SEVERITY_STYLES = {"problem": "bold red", "warning": "yellow", "info": "cyan"}
HOLDER_STYLES = {"agentless": "bold red", "unnamed_group": "magenta", "named": "green", "author": "cyan"}
HEDGE_STYLE = "bold yellow"
VERDICT_STYLES: dict[str, str] = {
    SUPPORTED: "green",
    REFUTED: "bold red",
    NOT_ENOUGH_EVIDENCE: "yellow",
    CONFLICTING: "magenta",
}
#: Longest assertion text shown in the table (the JSON and HTML reports keep it whole).
TEXT_LIMIT = 240
#: Longest claim text in the default view (cut at a word boundary).
CLAIM_LIMIT = 150
#: Claims listed in the default view; ``--full`` lists every one.
SHORT_CLAIMS = 30


def to_text(report: Report, width: int = 100, *, full: bool = False) -> str:
    """The terminal report as plain text (no colour codes), ``width`` columns wide.

    The default view is short (the summary, every claim in two lines, the map as an edge list, the
    sources); ``full`` adds the detail: evidence, character offsets, every statement, the structure.
    """
    console = Console(
        file=io.StringIO(),
        record=True,
        width=width,
        force_terminal=False,
        color_system=None,
        highlight=False,
        emoji=False,
    )
    render_terminal(report, console, full=full)
    return console.export_text(styles=False)


def render_terminal(report: Report, console: Console, *, full: bool = False) -> None:
    """Print the report to ``console`` (colour follows the console: none when it is not a TTY)."""
    art = report.article
    console.print(_header(report))
    console.print(_summary(art))
    console.print(_claims(art, full, console.width))
    if art.relations:
        console.print(_section("Entity–relation map"))
        console.print(_list([("•", Text(edge_text(e))) for e in edges(art)]))
    console.print(_sources(art))
    console.print(_findings(art, full))
    if full:
        console.print(_assertions(art))
        console.print(_structure(art))
        if art.skipped:
            console.print(_section("Skipped"))
            console.print(_list([("•", Text(s)) for s in art.skipped]))
    console.print(_footer(report, full))


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _list(items: list[tuple[str | Text, Text]]) -> Table:
    """Bulleted or numbered items with a hanging indent."""
    grid = Table.grid(padding=(0, 1), pad_edge=True)
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(ratio=1)
    for marker, body in items:
        grid.add_row(Text("  ") + (marker if isinstance(marker, Text) else Text(marker)), body)
    return grid


def _header(report: Report) -> Panel:
    art = report.article
    lang = art.language or "unknown"
    if art.language_confidence is not None:
        lang += f" ({art.language_confidence:.2f})"
    worthy = sum(1 for c in art.claims if c.check_worthy)
    lines = [
        Text(title_of(art), style="bold"),
        Text.assemble(
            ("source: ", "dim"),
            art.source,
            ("   language: ", "dim"),
            lang,
            ("   format: ", "dim"),
            art.format,
        ),
        Text.assemble(
            ("statements: ", "dim"),
            str(len(art.assertions)),
            ("   claims: ", "dim"),
            f"{len(art.claims)} ({worthy} check-worthy)",
            ("   sources: ", "dim"),
            str(len(art.citations)),
            ("   findings: ", "dim"),
            str(len(art.findings)),
        ),
    ]
    if not art.auditable:
        lines.append(Text("not auditable: structure only", style="bold red"))
    return Panel(Group(*lines), title="factaudit report", title_align="left", box=box.ROUNDED)


def _verdict_line(c: Claim, art: Article) -> Text:
    """``NOT ENOUGH EVIDENCE (model confidence 97%) · check-worthiness 0.86 · said by the author``."""
    label = c.verdict.label if c.verdict else None
    style = verdict_style(label)
    line = Text(f"{style['icon']} ", style=VERDICT_STYLES.get(label or "", "dim"))
    text = claim_verdict_text(c, art)
    if c.checkworthiness is not None and text.endswith("threshold"):
        # "not checked: below the check-worthiness threshold (0.32)": the score said once
        line.append(f"{text} ({c.checkworthiness:.2f})", style="dim")
        return line
    line.append(text, style=VERDICT_STYLES.get(label or "", "dim"))
    if c.checkworthiness is not None:
        line.append(f" · check-worthiness {c.checkworthiness:.2f}", style="dim")
    return line


def _said_by(c: Claim, assertions: dict[str, Assertion], full: bool) -> str:
    """`` · said by “critics” (an unnamed group)``; the short view leaves out the author, the
    common case (the summary's check-first list and the full view always say it)."""
    a = assertions.get(c.assertion_id)
    if a is None:
        return ""
    if a.holder.kind == "author" and not full:
        return ""
    return f" · said by {holder_phrase(a.holder)}"


def _summary(art: Article) -> Group:
    s = summarise(art)
    parts: list[Text | Table] = [_section("Summary")]
    assertions = {a.id: a for a in art.assertions}
    if s.check_first:
        parts.append(Text(f"  Check first ({s.check_worthy} of {s.claims} claims are check-worthy):"))
        items: list[tuple[str | Text, Text]] = []
        for i, c in enumerate(s.check_first, 1):
            body = Text(f"“{truncate(c.text, 100)}” ") + Text(c.id, style="dim")
            body.append("\n")
            body.append_text(_verdict_line(c, art))
            body.append(_said_by(c, assertions, True), style="dim")
            _fact_check_lines(c, body, False)
            items.append((f"{i}.", body))
        parts.append(_list(items))
    else:
        parts.append(Text("  " + not_run_note(art, "claims", "claims")))
    rows = Table.grid(padding=(0, 2), pad_edge=True)
    rows.add_column(no_wrap=True, style="bold")
    rows.add_column(ratio=1)
    if s.sourcing:
        sourcing = Text()
        for i, f in enumerate(s.sourcing):
            if i:
                sourcing.append("\n")
            sourcing.append(
                SEVERITY_LABELS.get(f.severity, f.severity).split()[0] + " ",
                style=SEVERITY_STYLES.get(f.severity, ""),
            )
            sourcing.append(f.message)
        rows.add_row("  Sourcing", sourcing)
    elif art.citations or art.assertions:
        rows.add_row("  Sourcing", Text("no sourcing or attribution problem found"))
    if art.claims:
        rows.add_row("  Verdicts", Text(s.verdict_line()))
    if s.evidence:
        rows.add_row("  Evidence", Text(s.evidence))
    fc = s.fact_check_line()
    if fc:
        text = Text(fc)
        for c, m in s.fact_checked[:5]:
            text.append(f"\n{c.id}: {m.rating} — {m.publisher or 'publisher unknown'}", style="dim")
        rows.add_row("  Fact-checks", text)
    parts.append(rows)
    return Group(*parts)


def _fact_check_lines(c: Claim, body: Text, full: bool) -> None:
    same, related = fact_checks_of(c)
    for m in same:
        body.append("\n⟲ " + fact_check_text(m), style="bold")
        body.append(f"\n  reviewed claim: “{truncate(m.claim_reviewed, 140)}”", style="italic")
        body.append(f"\n  {m.url}", style="dim")
        if m.conflicts_with_verdict:
            body.append(f"\n  {FACT_CHECK_CONFLICT}", style="bold yellow")
    if related:
        body.append(f"\nrelated fact-checks ({len(related)}):", style="dim")
        for m in related if full else related[:2]:
            body.append(
                f"\n  “{truncate(m.claim_reviewed, 100)}” — {m.rating}, {m.publisher or '?'} {m.url}",
                style="dim",
            )
            if m.why_related:
                body.append(f"\n    {why_related_text(m)}", style="dim italic")
            if m.conflicts_with_verdict:
                body.append(f" {FACT_CHECK_CONFLICT}", style="yellow")


def _claims(art: Article, full: bool, width: int) -> Group:
    if not art.claims:
        return Group(_section("Claims"), Text("  " + not_run_note(art, "claims", "claims")))
    assertions = {a.id: a for a in art.assertions}
    items: list[tuple[str | Text, Text]] = []
    ranked = ranked_claims(art.claims)
    # The short view: the summary already listed the first CHECK_FIRST claims; the list goes on with
    # the prominent ones (check-worthy, decided, fact-checked) and counts the rest in one line.
    first = 0 if full else min(CHECK_FIRST, len(ranked))
    rest = ranked[first:]
    shown = ranked if full else [c for c in rest if is_prominent(c)][:SHORT_CLAIMS]
    folded = [] if full else [c for c in rest if c not in shown]
    for i, c in enumerate(shown, first + 1):
        # The short view keeps a claim to about two lines, cut at a word boundary.
        limit = min(CLAIM_LIMIT, 2 * (width - 12))
        body = Text(f"{c.id} ", style="dim") + Text(c.text if full else truncate(c.text, limit))
        body.append("\n")
        body.append_text(_verdict_line(c, art))
        body.append(_said_by(c, assertions, full), style="dim")
        if full:
            body.append(f"\nfrom {c.assertion_id} {span_text(c.start, c.end)}", style="dim")
            if c.context:
                body.append(f"\nanswers: {c.context}", style="italic dim")
        _fact_check_lines(c, body, full)
        if c.verdict is not None:
            evidence, nearest = split_nearest(c.verdict)
            for ev in evidence if full else evidence[:1]:
                quote = ev.quote or ev.passage
                body.append(f"\n“{quote if full else truncate(quote, 140)}”", style="italic")
                body.append(f" — {ev.source}" + (f" ({ev.label})" if full and ev.label else ""), style="dim")
            if full:
                if c.verdict.note:
                    body.append(f"\nnote: {c.verdict.note}", style="dim")
                if nearest:  # no verdict beside them: they are not evidence
                    body.append(f"\n{NEAREST_HEADING}:", style="dim")
                    for ev in nearest:
                        body.append(f"\n  “{truncate(ev.quote or ev.passage)}”", style="dim italic")
                        body.append(f" — {ev.source}", style="dim")
        items.append((f"{i}.", body))
    title = f"Claims ({len(art.claims)}, check first)" if full else "More claims to check"
    parts: list[Text | Table] = [_section(title)]
    if items:
        parts.append(_list(items))
    if folded:
        words = Counter(verdict_style(c.verdict.label if c.verdict else None)["word"].lower() for c in folded)
        why = ", ".join(f"{n} {word}" for word, n in words.most_common())
        also = sum(1 for c in folded if is_prominent(c))
        what = f"{also} of them check-worthy, decided or fact-checked" if also else "below the threshold"
        parts.append(
            Text(f"  … and {len(folded)} more claims ({what}; {why}): --full lists every claim", style="dim")
        )
    return Group(*parts) if len(parts) > 1 else Group()


def _findings(art: Article, full: bool) -> Group:
    # check_first and evidence_coverage are said in the summary's own words (whole words, no offsets)
    found = [f for f in sorted_findings(art) if f.code not in FOLDED_FINDINGS]
    if not full:  # the summary already said the problems and warnings
        found = [f for f in found if f.severity == "info"]
    if not found:
        return Group() if not full else Group(_section("Findings"), Text("  No findings."))
    grid = Table.grid(padding=(0, 2), pad_edge=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(ratio=1)
    for f in found:
        label = Text("  ") + Text(
            SEVERITY_LABELS.get(f.severity, f.severity), style=SEVERITY_STYLES.get(f.severity, "")
        )
        message = Text(f.message)
        if f.refs and full:
            message.append(f" ({', '.join(f.refs)})", style="dim")
        grid.add_row(label, Text(f.code), message)
    return Group(_section("Findings" if full else "Other findings"), grid)


def _assertion_text(a: Assertion) -> Text:
    text = Text(a.text)
    for h in a.hedges:
        s, e = h.start - a.start, h.end - a.start
        if 0 <= s < e <= len(a.text):
            text.stylize(HEDGE_STYLE, s, e)
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 1] + Text("…")
    text.append(f" {span_text(a.start, a.end)}", style="dim")
    if a.occurrences:
        text.append(f" +{len(a.occurrences)} repeats", style="dim")
    if a.context:
        text.append(f"\nQ: {a.context}", style="italic dim")
    return text


def _holder_text(a: Assertion) -> Text:
    icon = TRAIT_ICONS.get(a.holder.kind, "")
    label = (f"{icon} " if icon else "") + holder_label(a.holder)
    return Text(label, style=HOLDER_STYLES.get(a.holder.kind, ""))


def _attribution_text(a: Assertion, citations: dict[str, Citation]) -> Text:
    """Holder, reporting verb and modality, hedges and sourcing, one per line."""
    text = _holder_text(a)
    text.append(f"\n{a.reporting_verb or 'no reporting verb'} · {a.modality}")
    if a.hedged:
        text.append("\n≈ " + hedges_text(a), style=HEDGE_STYLE)
    sourced = sourced_text(a, citations)
    text.append(f"\nsourced: {sourced}", style="red" if sourced == "no" else "green")
    return text


def _assertions(art: Article) -> Group | Text:
    if not art.assertions:
        return Text.assemble(_section("Statements"), "\n  ", not_run_note(art, "attribution", "assertions"))
    citations = {c.id: c for c in art.citations}
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_lines=True)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("statement [characters]", ratio=3)
    table.add_column("attribution", ratio=2)
    for a in art.assertions:
        table.add_row(Text(a.id), _assertion_text(a), _attribution_text(a, citations))
    legend = Text(
        "  legend: " + "   ".join(f"{icon} {TRAIT_LABELS[k]}" for k, icon in TRAIT_ICONS.items()), style="dim"
    )
    return Group(_section("Statements"), legend, table)


def _sources(art: Article) -> Group | Text:
    if not art.citations:
        return Text.assemble(_section("Sources"), "\n  ", not_run_note(art, "sources", "cited sources"))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("outlet / domain")
    table.add_column("URL", overflow="fold")
    table.add_column("specificity", no_wrap=True)
    table.add_column("credibility")
    table.add_column("tied to")
    checked = has_checks(art.citations)
    if checked:
        table.add_column("cited page")
    for c in art.citations:
        spec = SPECIFICITY_LABELS.get(c.specificity, c.specificity)
        weak = c.specificity in ("home_page", "unknown")
        outlet = Text(c.outlet or "—")
        if c.domain:
            outlet.append(f"\n{c.domain}", style="dim")
        cells = [
            Text(c.id),
            outlet,
            Text(c.url or "—"),
            Text(("⚠ " if weak else "") + spec, style="yellow" if weak else "green"),
            Text(credibility_text(c.credibility)),
            Text(tied_text(c), style="red" if not c.assertion_ids else ""),
        ]
        if checked:
            status = c.check.status if c.check else ""
            style = {"backs": "green", "contradicts": "red", "does_not_back": "yellow"}.get(status, "dim")
            cells.append(Text(check_text(c), style=style))
        table.add_row(*cells)
    return Group(_section("Sources"), table)


def _structure(art: Article) -> Group:
    counts = Text(
        f"  blocks: {len(art.blocks)}   sentences: {len(art.sentences)}   Q&A pairs: {len(art.qa_pairs)}"
    )
    items: list[tuple[str | Text, Text]] = []
    for i, qa in enumerate(art.qa_pairs, 1):
        items.append((f"{i}.", Text("Q: ", style="bold") + Text(qa.question)))
        items.append(("", Text("A: ", style="bold") + Text(qa.answer)))
    if not items:
        return Group(_section("Structure"), counts)
    return Group(_section("Structure"), counts, _list(items))


def _footer(report: Report, full: bool) -> Text:
    run = report.run
    models = ", ".join(f"{m.name} {m.version}" for m in run.models) or "none"
    timings = ", ".join(f"{k} {v:.3f}s" for k, v in run.timings.items()) or "—"
    if not full:
        return Text(
            f"\nfactaudit {run.package_version} · {run.duration_s:.2f} s · models: {models}\n"
            "--full (-v) adds evidence, nearest passages, character offsets, every statement and "
            "the structure",
            style="dim",
        )
    return Text(
        f"\nfactaudit {run.package_version} · schema {report.schema_version} · started {run.started_at} · "
        f"{run.duration_s:.2f} s\n"
        f"stages: {' → '.join(run.stages) or '—'} · models: {models}\n"
        f"timings: {timings}",
        style="dim",
    )
