"""The Markdown report (report/markdown.py): the summary first, fact-checks, big and hostile input."""

from __future__ import annotations

import re

from factaudit.report.markdown import md_escape, to_markdown

from .builders import HOSTILE_NAMES, article_with_claims, article_with_map, fact_checked_article, report_of
from .test_report import TITLE, Article, make_report


def test_markdown_opens_with_the_summary_and_has_no_offsets() -> None:
    md = to_markdown(report_of(article_with_claims(12)))
    first = md.split("\n## ", 2)[1]
    assert first.startswith("Summary") and "**Check first** (6 of 12 claims are check-worthy):" in first
    assert (
        "**Verdicts:** 3 supported, 3 refuted, 2 not enough evidence, 2 conflicting; 2 not checked" in first
    )
    assert "model confidence" in first
    assert not re.search(r"\[\d+–\d+\)", md)


def test_markdown_shows_fact_checks_apart_from_the_verdict() -> None:
    md = to_markdown(report_of(fact_checked_article()))
    assert "**Earlier fact-checks:** 1 claim was fact-checked before (ratings: Mostly False); 2 related" in md
    c0 = md.split('<a id="claim-c0"></a>', 1)[1].split('<a id="claim-', 1)[0]
    assert "SUPPORTED (model confidence 83%)" in c0
    assert "⟲ previously fact-checked: Mostly False — Snopes, 2023-05-01 (13 months before the article)" in c0
    assert "reviewed claim: “The port handled no ships at all in 2023.”" in c0
    assert "[read the fact-check](https://www.snopes.com/fact-check/port-ships/)" in c0
    assert md_escape("⚑ disagrees with the machine verdict: for the reviewer") in c0
    assert "*related fact-checks:*" in c0 and "javascript:" not in md.replace(
        md_escape("javascript:alert(1)"), ""
    )
    assert md_escape("<b>Bad</b> Checks") in c0
    c2 = md.split('<a id="claim-c2"></a>', 1)[1].split("\n\n3. ", 1)[0] if "\n\n3. " in md else ""
    assert "fact-check" not in c2  # nothing shown when a claim has none
    c1 = md.split('<a id="claim-c1"></a>', 1)[1].split('<a id="claim-', 1)[0]
    assert md_escape("not the same claim: the fact-check is about <i>Spain</i>; the claim about") in c1


def test_markdown_of_500_claims_and_a_30_node_map_with_hostile_names_is_escaped_and_complete() -> None:
    md = to_markdown(report_of(article_with_claims(500)))
    assert md.count('<a id="claim-c') == 500 and "Traceback" not in md
    art = article_with_map(30, names=HOSTILE_NAMES)
    md = to_markdown(report_of(art))
    section = md.split("## Entity–relation map", 1)[1].split("\n## ", 1)[0]
    assert section.count("\n- ") == 29
    assert not re.search(r"(?<!\\)<(script|img)", md) and md_escape('<script>alert("x")</script>') in md
    assert "\u2068وزارة الخارجية 2\u2069" in section  # a right-to-left name is isolated in its line
    assert "\u202e" not in md  # a bidi override in a name cannot reorder the report


def _table_rows(md: str, heading: str) -> list[str]:
    section = md.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|")]


def test_markdown_opens_with_the_summary_and_escapes_pipes() -> None:
    md = to_markdown(make_report())
    assert md.startswith(f"# Audit: {md_escape(TITLE)}")
    headings = ("Summary", "Claims", "Entity–relation map", "Sources", "Findings", "Statements", "Structure")
    order = [md.index(f"## {h}") for h in headings]
    assert order == sorted(order)
    summary = md.split("## Summary", 1)[1].split("\n## ", 1)[0]
    assert "**Check first**" in summary and "REFUTED (model confidence 81%)" in summary
    # the sourcing problems in plain words, most severe first; info findings are not among them
    assert summary.index("⚠ problem") < summary.index("▲ warning") and "ℹ info" not in summary
    assert "FAQ answers state contested claims as fact" in summary
    findings = md.split("## Findings", 1)[1].split("\n## ", 1)[0]
    assert findings.index("⚠ problem") < findings.index("▲ warning") < findings.index("ℹ info")
    # every table row has as many unescaped cell separators as its header
    for heading in ("Statements", "Sources"):
        rows = _table_rows(md, heading)
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, (heading, rows)
    assert r"U.S. goals \| strategy" in md


def test_markdown_shows_holders_hedges_sources_claims_and_structure() -> None:
    md = to_markdown(make_report())
    assertions = "\n".join(_table_rows(md, "Statements"))
    for label in (
        "? unnamed group: critics",
        "the author",
        "∅ agentless",
        "named: Reuters (ORG)",
        "unnamed group: supporters [from “they”]",
        "≈ may (modal)",
        "argue",
        "cited: src2 (Financial Times)",
        "(+1 repeats)",
        "Is Elon Musk collaborating with Russia and China?",
    ):
        assert md_escape(label) in assertions, label
    sources = "\n".join(_table_rows(md, "Sources"))
    assert "home page" in sources and "tied to no claim" in sources and "0.90 (high)" in sources
    assert "unrated (not rated)" in sources
    claims = md.split("## Claims (check first)", 1)[1].split("\n## ", 1)[0]
    assert claims.index("c1") < claims.index("c2")
    assert "REFUTED (model confidence 81%)" in claims and "“no factories in Russia” — wiki:Tesla" in claims
    assert "not checked: verification did not run" in claims  # c2: the verify stage did not run
    assert "from a2, said by the author" in claims
    assert "[248–314)" not in md  # offsets only in JSON and the verbose terminal view
    assert "answers: Is Elon Musk collaborating with Russia and China?" in claims
    assert "Elon Musk —collaborates with→ Russia · claims c1 · stated by critics · 1 risk (1 by" in md
    assert "- Q&A pairs: 1" in md and "**Q:** Is Elon Musk collaborating" in md
    assert "## Skipped" in md and "no evidence pack installed" in md
    assert "verifier-minilm 0.1" in md and "ingest 0.010 s" in md


def test_markdown_renders_an_unaudited_article_gracefully() -> None:
    md = to_markdown(make_report(Article(source="<text>", text="Hello | world.")))
    assert "No findings." in md
    assert "the attribution stage did not run" in md
    assert "the claims stage did not run" in md
    assert "the sources stage did not run" in md


def test_md_escape_neutralises_markup() -> None:
    assert md_escape("a | b") == r"a \| b"
    assert md_escape("<script>*x*_y_ [l](u)\n#") == r"\<script\>\*x\*\_y\_ \[l\](u) \#"
