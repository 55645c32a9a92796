"""The summary every report opens with (report/summary.py)."""

from __future__ import annotations

from factaudit.document import Article, Finding
from factaudit.report.summary import CHECK_FIRST, summarise

from .builders import article_with_claims, fact_checked_article


def test_summary_lists_the_claims_to_check_first_and_counts_the_verdicts() -> None:
    art = article_with_claims(12)
    s = summarise(art)
    assert [c.id for c in s.check_first] == [f"c{i}" for i in range(CHECK_FIRST)]
    assert s.claims == 12 and s.check_worthy == 6
    counts = dict(s.verdicts)
    assert counts == {"SUPPORTED": 3, "REFUTED": 3, "NOT ENOUGH EVIDENCE": 2, "CONFLICTING": 2, None: 2}
    assert s.unchecked == [("opinion", 2)]
    assert s.verdict_line() == (
        "3 supported, 3 refuted, 2 not enough evidence, 2 conflicting; 2 not checked (2 opinion)"
    )


def test_summary_says_whether_the_evidence_could_speak_to_the_article() -> None:
    art = article_with_claims(6)  # on_subject cycles 0, 1, 2: two of the five checked saw nothing
    s = summarise(art)
    assert s.evidence == (
        "The evidence searched could speak to 3 of the 5 claims checked; for 2 it holds nothing "
        "about their subject; 4 of them got a verdict other than not enough evidence."
    )
    for c in art.claims:
        if c.verdict:
            c.verdict.on_subject = 4
            c.verdict.label = "NOT ENOUGH EVIDENCE"
    assert summarise(art).evidence == (
        "The evidence searched holds passages on the subject of all 5 claims checked; "
        "none was supported or refuted by it."
    )
    unverified = article_with_claims(2, stages=("segment", "claims"))
    for c in unverified.claims:
        c.verdict = None
    assert summarise(unverified).evidence is None  # no verify run: nothing to say


def test_summary_sourcing_problems_leave_out_info_and_what_it_says_itself() -> None:
    art = Article(source="<text>", text="x")
    art.findings = [
        Finding("check_first", "info", "check c1 first"),
        Finding("evidence_coverage", "warning", "the evidence holds nothing"),
        Finding("heavily_hedged", "info", "9 of 27 statements are hedged."),
        Finding("unnamed_group_attributions", "warning", "6 statements are put in unnamed mouths."),
        Finding("sources_home_pages_only", "problem", "All cited URLs are home pages."),
    ]
    s = summarise(art)
    assert [f.code for f in s.sourcing] == ["sources_home_pages_only", "unnamed_group_attributions"]
    assert s.check_first == [] and s.fact_check_line() is None


def test_summary_names_earlier_fact_checks_with_their_ratings() -> None:
    s = summarise(fact_checked_article())
    assert [(c.id, m.rating) for c, m in s.fact_checked] == [("c0", "Mostly False")]
    assert s.related == 2
    assert s.fact_check_line() == (
        "1 claim was fact-checked before (ratings: Mostly False); 2 related fact-checks."
    )
    plain = article_with_claims(2)
    assert summarise(plain).fact_check_line() is None  # no fact-check stage: nothing shown
    plain.stages_run.append("factchecks")
    assert summarise(plain).fact_check_line() == "No earlier fact-check matched these claims."
