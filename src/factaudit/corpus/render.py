"""The corpus as JSON or Markdown (the HTML page is the web app's, ``web/corpus.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .findings import voices
from .model import Corpus

__all__ = ["CORPUS_FORMATS", "render_json", "render_markdown"]

#: ``factaudit corpus -f`` choices.
CORPUS_FORMATS = ("json", "md", "html")


def render_json(corpus: Corpus) -> str:
    return json.dumps(corpus.to_dict(), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _share(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _table(head: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    head = list(head)
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return out


def render_markdown(corpus: Corpus, *, limit: int = 50) -> str:
    """Findings, relations, recurring claims, outlets and the timeline as Markdown tables."""
    names = {e.id: e.name for e in corpus.entities}
    run = corpus.run
    lines = [
        "# Corpus audit",
        "",
        f"{run.reports} reports, {len(corpus.entities)} entities, {len(corpus.relations)} relations, "
        f"{len(corpus.recurring_claims)} recurring claims, {len(corpus.outlets)} outlets "
        f"(factaudit {run.package_version}, {run.started_at}, {run.duration_s:.1f} s).",
        "",
        "Counts say how often something is asserted, not that it is true: each line keeps who "
        "asserted it, how it was hedged and whether it cites a specific source.",
    ]
    if run.skipped:
        lines += ["", f"**{len(run.skipped)} reports skipped:**", ""]
        lines += [f"- {_cell(s)}" for s in run.skipped[:limit]]
    lines += ["", "## Findings", ""]
    if corpus.findings:
        lines += [f"- **{f.severity}** `{f.code}`: {_cell(f.message)}" for f in corpus.findings[:limit]]
    else:
        lines.append("No corpus findings.")
    lines += ["", "## Relations", ""]
    lines += _table(
        ("Relation", "Articles", "Outlets", "First seen", "Who asserts it", "Verdicts"),
        (
            (
                f"{names.get(r.source, r.source)} — {r.relation} → {names.get(r.target, r.target)}",
                len(r.articles),
                ", ".join(r.outlets),
                r.first_seen or "–",
                voices(r.claims)[0],
                ", ".join(sorted({c.verdict or "not checked" for c in r.claims})),
            )
            for r in corpus.relations[:limit]
        ),
    )
    lines += ["", "## Recurring claims", ""]
    lines += _table(
        ("Claim", "Articles", "Outlets", "First seen", "Who asserts it"),
        (
            (
                rc.text,
                len(rc.articles),
                ", ".join(rc.outlets),
                (f"{rc.first_seen.date} ({rc.first_seen.outlet})" if rc.first_seen else "–"),
                voices(rc.members)[0],
            )
            for rc in corpus.recurring_claims[:limit]
        ),
    )
    lines += ["", "## Outlets", ""]
    lines += _table(
        ("Outlet", "Articles", "Home-page citations", "Unnamed-group attributions", "Agentless", "Dates"),
        (
            (
                o.outlet,
                o.articles,
                f"{o.home_page_citations} of {o.url_citations} ({_share(o.home_page_share)})",
                f"{o.unnamed_group} of {o.assertions} ({_share(o.unnamed_group_share)})",
                f"{o.agentless} ({_share(o.agentless_share)})",
                f"{o.first_date} – {o.last_date}" if o.first_date else "–",
            )
            for o in corpus.outlets[:limit]
        ),
    )
    if corpus.timeline:
        lines += ["", "## Timeline", ""]
        lines += _table(
            ("Date", "Articles", "New relations", "Recurring claims first made"),
            (
                (
                    t.date,
                    len(t.articles),
                    ", ".join(t.new_relations) or "–",
                    ", ".join(t.new_recurring) or "–",
                )
                for t in corpus.timeline[:limit]
            ),
        )
    return "\n".join(lines) + "\n"
