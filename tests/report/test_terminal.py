"""The terminal report (report/terminal.py): a short default view, everything with ``full``."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from factaudit.report.terminal import SHORT_CLAIMS, render_terminal, to_text

from .builders import article_with_claims, article_with_map, fact_checked_article, report_of
from .test_report import make_report, seed_like_article


def test_the_default_view_of_500_claims_stays_short_and_says_how_to_see_the_rest() -> None:
    report = report_of(article_with_claims(500))
    short = to_text(report)
    lines = short.splitlines()
    assert len(lines) < 150, len(lines)
    assert f"… and {500 - 5 - SHORT_CLAIMS} more claims (" in short and "--full lists every claim" in short
    full = to_text(report, full=True)
    assert all(f"c{i} " in full for i in range(500))
    assert "[0–" in full and "[0–" not in short  # character offsets only in the full view


def test_no_claims_and_no_map_say_so_in_both_views() -> None:
    art = article_with_claims(0)
    art.stages_run = ["ingest", "segment", "claims"]
    for out in (to_text(report_of(art)), to_text(report_of(art), full=True)):
        assert "No claims found." in out and "Traceback" not in out


def test_every_not_checked_says_why_and_confidence_is_labelled_as_the_models() -> None:
    short = to_text(report_of(article_with_claims(12)), width=140)
    assert "not checked: opinion" in short
    assert "(model confidence " in short and not re.search(r"EVIDENCE \(\d+%\)", short)
    assert "said by no one (agentless)" in short and "held by agentless" not in short
    assert "said by “critics” (an unnamed group)" in short and "said by Reuters (named, ORG)" in short


def test_text_is_cut_at_word_boundaries() -> None:
    art = article_with_claims(8)
    for c in art.claims:
        c.text = c.text.replace("Statement", "Averyveryverylongwordthatgoeson " * 8 + "Statement")
    short = to_text(report_of(art), width=100)
    words = set(" ".join(c.text for c in art.claims).split())
    for cut in re.findall(r"(\S+)…", short):
        assert cut.strip("“[(") in words or cut.strip("“[(").rstrip(",;:") in words, cut


def test_the_map_is_a_compact_edge_list_each_edge_once() -> None:
    art = article_with_map(6)
    art.relations.append(art.relations[0])
    short = to_text(report_of(art), width=160)
    section = short.split("Entity–relation map", 1)[1].split("Sources", 1)[0]
    assert section.count("Entity 0 —partners with→ Entity 1") == 1
    assert "1 risk (1 by critics)" in section


@pytest.mark.parametrize("full", [False, True])
def test_earlier_fact_checks_are_shown_beside_never_as_the_verdict(full: bool) -> None:
    out = to_text(report_of(fact_checked_article()), width=200, full=full)
    assert "1 claim was fact-checked before (ratings: Mostly False); 2 related fact-checks." in out
    assert (
        "previously fact-checked: Mostly False — Snopes, 2023-05-01 (1 years before the article)" not in out
    )
    assert "previously fact-checked: Mostly False — Snopes, 2023-05-01 (13 months before the article)" in out
    assert "reviewed claim: “The port handled no ships at all in 2023.”" in out
    assert "https://www.snopes.com/fact-check/port-ships/" in out
    assert "⚑ disagrees with the machine verdict: for the reviewer" in out
    assert "related fact-checks (1):" in out
    assert "not the same claim: the fact-check is about <i>Spain</i>; the claim about Portugal" in out
    assert "SUPPORTED (model confidence 83%)" in out  # the verdict is the verifier's, unchanged


@pytest.mark.integration
def test_the_seeds_default_terminal_report_fits_in_150_lines() -> None:
    from factaudit.pipeline import Auditor

    from ..helpers import SEED

    report = Auditor().report(str(SEED))
    short = to_text(report)
    assert len(short.splitlines()) <= 150, len(short.splitlines())
    assert short.index("Summary") < short.index("Check first") < short.index("More claims")
    assert not re.search(r"\[\d+–\d+\)", short)
    assert len(to_text(report, full=True).splitlines()) > len(short.splitlines())


def test_terminal_short_view_opens_with_the_summary_and_full_view_has_the_detail() -> None:
    report = make_report()
    short = to_text(report, width=120)
    assert "\x1b[" not in short
    assert (
        short.index("Summary") < short.index("Check first") < short.index("Sourcing") < short.index("Sources")
    )
    for needle in (
        "factaudit report",
        "critics",
        "the author",
        "⚠ FAQ answers state contested claims as fact",
        "home page",
        "tied to no claim",
        "theguardian.com",
        "REFUTED (model confidence 81%)",
        "said by Reuters (named, ORG)",
        "Elon Musk —collaborates with→ Russia",
        "verifier-minilm",
        "--full (-v)",
    ):
        assert needle in short, needle
    for detail in ("[248–314)", "Q: Is Elon Musk collaborating", "no evidence pack installed", "faq_as_fact"):
        assert detail not in short, detail  # offsets, statements, structure and codes: --full only
    full = to_text(report, width=120, full=True)
    for needle in (
        "supporters",
        "agentless",
        "faq_as_fact",
        "[248–314)",
        "Q: Is Elon Musk collaborating",
        "no evidence pack installed",
        "“no factories in Russia” — wiki:Tesla (contradicts)",
        "ingest 0.010s",
    ):
        assert needle in full, needle


def test_terminal_keeps_rich_markup_in_article_text_literal_and_colours_a_tty() -> None:
    art = seed_like_article()
    art.assertions[2].holder.name = "[bold red]x[/bold red]"
    art.assertions[2].holder.kind = "unnamed_group"
    out = to_text(make_report(art), width=200, full=True)
    assert "[bold" in out and "red]x[/bold red]" in out
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="truecolor", width=120)
    render_terminal(make_report(), console)
    assert "\x1b[" in buf.getvalue()
