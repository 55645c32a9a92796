"""Article-level findings (stages/findings.py) on real inputs: the seed and small articles made here."""

from __future__ import annotations

import copy

from factaudit.config import Settings
from factaudit.document import REFUTED, Article, Evidence, Verdict
from factaudit.pipeline import Auditor, default_stages

from ..helpers import analyse, seed_text


def _codes(a: Article) -> set[str]:
    return {f.code for f in a.findings}


def test_the_seed_gets_its_sourcing_and_attribution_findings() -> None:
    a = analyse(seed_text())
    codes = _codes(a)
    assert {"sources_home_pages_only", "references_tied_to_no_claim", "unnamed_group_attributions"} <= codes
    assert "agentless_attributions" in codes
    for f in a.findings:
        assert f.severity in ("info", "warning", "problem") and f.message


def test_an_article_with_no_sources_says_so() -> None:
    a = analyse("The council approved the budget on Monday. Taxes will rise by 4 percent next year.")
    assert "no_sources" in _codes(a)


def _findings_after(claims_article: Article) -> set[str]:
    findings = [s for s in default_stages(Settings()) if s.name == "findings"]
    given = ("blocks", "assertions", "citations", "claims", "claims.verdict")
    article = copy.deepcopy(claims_article)
    article.findings = []
    return _codes(Auditor(stages=findings, given=given, check_writes=True).run(article))


def test_only_gated_refutations_count_as_contradicted_claims() -> None:
    a = analyse("Paris is the capital of Germany, the mayor said on Monday.", claims=True)
    claim = a.claims[0]
    quote = "Paris is the capital of France."
    about = Evidence(source="Paris", passage=quote, quote=quote, label=REFUTED)
    claim.verdict = Verdict(label=REFUTED, confidence=0.9, evidence=[about], on_subject=1)
    assert "refuted_claims" in _findings_after(a)
    # A REFUTED resting on nothing about the claim's subject is not reported as contradicted.
    claim.verdict = Verdict(label=REFUTED, confidence=0.9, evidence=[], on_subject=0)
    assert "refuted_claims" not in _findings_after(a)


def test_check_first_quotes_claims_cut_at_a_word_boundary() -> None:
    seed = analyse(seed_text(), claims=True)
    [f] = [f for f in seed.findings if f.code == "check_first"]
    quoted = f.message.split("check first: ", 1)[1].split("; ")
    assert quoted and all(q.startswith("“") and q.endswith("”") for q in quoted)
    for q in quoted:
        body = q.strip("“”")
        assert len(body) <= 100
        # Whole words only: either the whole claim, or a cut marked with an ellipsis after a word.
        assert any(c.text == body for c in seed.claims) or body.endswith(" …")
