"""The terminal report (rich): header, findings, assertions, claims, sources, Q&A pairs.

Article text always goes through :class:`rich.text.Text`, never through console markup, so square
brackets in an article cannot restyle the output.
"""

from __future__ import annotations

import io

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
    Report,
)
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
    truncate,
    verdict_text,
)

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


def to_text(report: Report, width: int = 100) -> str:
    """The terminal report as plain text (no colour codes), ``width`` columns wide."""
    console = Console(
        file=io.StringIO(),
        record=True,
        width=width,
        force_terminal=False,
        color_system=None,
        highlight=False,
        emoji=False,
    )
    render_terminal(report, console)
    return console.export_text(styles=False)


def render_terminal(report: Report, console: Console) -> None:
    """Print the report to ``console`` (colour follows the console: none when it is not a TTY)."""
    art = report.article
    console.print(_header(report))
    console.print(_findings(art))
    console.print(_assertions(art))
    console.print(_claims(art))
    if art.relations:
        names = entity_names(art.entities)
        console.print(_section("Entity–relation map"))
        console.print(_list([("•", Text(relation_text(r, names))) for r in art.relations]))
    console.print(_sources(art))
    console.print(_structure(art))
    if art.skipped:
        console.print(_section("Skipped"))
        console.print(_list([("•", Text(s)) for s in art.skipped]))
    console.print(_footer(report))


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
            ("assertions: ", "dim"),
            str(len(art.assertions)),
            ("   claims: ", "dim"),
            str(len(art.claims)),
            ("   sources: ", "dim"),
            str(len(art.citations)),
            ("   findings: ", "dim"),
            str(len(art.findings)),
        ),
        Text(
            "legend: " + "   ".join(f"{icon} {TRAIT_LABELS[k]}" for k, icon in TRAIT_ICONS.items()),
            style="dim",
        ),
    ]
    if not art.auditable:
        lines.append(Text("not auditable: structure only", style="bold red"))
    return Panel(Group(*lines), title="factaudit report", title_align="left", box=box.ROUNDED)


def _findings(art: Article) -> Group:
    if not art.findings:
        return Group(_section("Findings"), Text("  No findings."))
    grid = Table.grid(padding=(0, 2), pad_edge=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(ratio=1)
    for f in sorted_findings(art):
        label = Text("  ") + Text(
            SEVERITY_LABELS.get(f.severity, f.severity), style=SEVERITY_STYLES.get(f.severity, "")
        )
        message = Text(f.message)
        if f.refs:
            message.append(f" ({', '.join(f.refs)})", style="dim")
        grid.add_row(label, Text(f.code), message)
    return Group(_section("Findings"), grid)


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
        return Text.assemble(_section("Assertions"), "\n  ", not_run_note(art, "attribution", "assertions"))
    citations = {c.id: c for c in art.citations}
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_lines=True)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("assertion", ratio=3)
    table.add_column("attribution", ratio=2)
    for a in art.assertions:
        table.add_row(Text(a.id), _assertion_text(a), _attribution_text(a, citations))
    return Group(_section("Assertions"), table)


def _claims(art: Article) -> Group:
    if not art.claims:
        return Group(_section("Claims (check first)"), Text("  " + not_run_note(art, "claims", "claims")))
    assertions = {a.id: a for a in art.assertions}
    items: list[tuple[str | Text, Text]] = []
    for i, c in enumerate(ranked_claims(art.claims), 1):
        body = Text(f"{c.id} ", style="dim") + Text(c.text)
        label = c.verdict.label if c.verdict else ""
        body.append("\n")
        body.append(verdict_text(c.verdict, c.unchecked_reason), style=VERDICT_STYLES.get(label, "dim"))
        if c.checkworthiness is not None:
            body.append(f"  check-worthiness {c.checkworthiness:.2f}", style="dim")
        source = assertions.get(c.assertion_id)
        origin = f"\nfrom {c.assertion_id}" + (f", held by {holder_label(source.holder)}" if source else "")
        body.append(origin, style="dim")
        if c.context:
            body.append(f"\nanswers: {c.context}", style="italic dim")
        if c.verdict is not None:
            if c.verdict.note:
                body.append(f"\nnote: {c.verdict.note}", style="dim")
            evidence, nearest = split_nearest(c.verdict)
            for ev in evidence:
                body.append(f"\n“{ev.quote or ev.passage}”", style="italic")
                body.append(f" — {ev.source}", style="dim")
            if nearest:  # no verdict beside them: they are not evidence
                body.append(f"\n{NEAREST_HEADING}:", style="dim")
                for ev in nearest:
                    body.append(f"\n  “{truncate(ev.quote or ev.passage)}”", style="dim italic")
                    body.append(f" — {ev.source}", style="dim")
        items.append((f"{i}.", body))
    return Group(_section("Claims (check first)"), _list(items))


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


def _footer(report: Report) -> Text:
    run = report.run
    models = ", ".join(f"{m.name} {m.version}" for m in run.models) or "none"
    timings = ", ".join(f"{k} {v:.3f}s" for k, v in run.timings.items()) or "—"
    return Text(
        f"\nfactaudit {run.package_version} · schema {report.schema_version} · started {run.started_at} · "
        f"{run.duration_s:.2f} s\n"
        f"stages: {' → '.join(run.stages) or '—'} · models: {models}\n"
        f"timings: {timings}",
        style="dim",
    )
