"""The wording every report format shares (report/_common.py)."""

from __future__ import annotations

import pytest

from factaudit.document import Article, Assertion, Claim, FactCheckMatch, Holder, Verdict
from factaudit.report._common import (
    VERDICT_STYLES,
    attribution_text,
    claim_verdict_text,
    fact_check_text,
    holder_phrase,
    truncate,
    unchecked_reason,
    verdict_text,
)


def _assertion(holder: Holder, **kw: object) -> Assertion:
    return Assertion(
        id="a1", sentence_id="s1", block_id="b1", start=0, end=4, text="text", holder=holder, **kw
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("holder", "verb", "cited", "phrase", "attribution"),
    [
        (
            Holder("author", "the author"),
            None,
            [],
            "the author",
            "stated in the author’s own voice; no source cited",
        ),
        (
            Holder("named", "Reuters", entity_type="ORG"),
            "reported",
            ["src2"],
            "Reuters (named, ORG)",
            "attributed to a named source, Reuters (“reported”); cites src2",
        ),
        (
            Holder("unnamed_group", "critics"),
            "argue",
            [],
            "“critics” (an unnamed group)",
            "attributed to an unnamed group, “critics” (“argue”): no named source",
        ),
        (
            Holder("agentless", "(agentless)"),
            "concerns are raised",
            [],
            "no one (agentless)",
            "attributed to no one (“concerns are raised”): no source is named",
        ),
        (
            Holder("named", "he", unresolved=True),
            "said",
            [],
            "“he” (a pronoun the article does not resolve)",
            "attributed to “he”, whom the article does not make certain",
        ),
        (
            # BBC politics/128: "The shadow chancellor" is no pronoun
            Holder("named", "The shadow chancellor", unresolved=True),
            "said",
            [],
            "“The shadow chancellor” (a description the article does not resolve to a name)",
            "attributed to “The shadow chancellor”, whom the article does not make certain",
        ),
    ],
)
def test_every_holder_kind_gets_its_own_attribution_line(
    holder: Holder, verb: str | None, cited: list[str], phrase: str, attribution: str
) -> None:
    a = _assertion(holder, reporting_verb=verb, citation_ids=cited)
    assert holder_phrase(holder) == phrase
    assert attribution_text(a) == attribution
    assert "Attributed: no" not in attribution


def test_confidence_is_the_models_and_every_unchecked_claim_says_why() -> None:
    assert verdict_text(Verdict("NOT ENOUGH EVIDENCE", 0.91)) == "NOT ENOUGH EVIDENCE (model confidence 91%)"
    art = Article(source="<text>", text="x", stages_run=["claims", "verify"])
    claim = Claim(id="c1", assertion_id="a1", text="x", start=0, end=1, check_worthy=False)
    assert unchecked_reason(claim, art) == "below the check-worthiness threshold"
    claim.unchecked_reason = "hedged"
    assert claim_verdict_text(claim, art) == "not checked: hedged"
    assert unchecked_reason(Claim("c2", "a1", "x", 0, 1), Article(source="-", text="x")) == (
        "verification did not run"
    )


def test_the_not_enough_evidence_icon_is_not_punctuation() -> None:
    icon = VERDICT_STYLES["NOT ENOUGH EVIDENCE"][1]
    assert icon not in "….?!" and icon.isprintable()
    assert len({v[1] for v in VERDICT_STYLES.values()}) == len(VERDICT_STYLES)


def test_fact_check_wording_and_word_boundary_cuts() -> None:
    m = FactCheckMatch(
        claim_reviewed="x",
        rating="Miscaptioned",
        normalised="other",
        url="u",
        publisher="Snopes",
        age_days=-3,
    )
    assert fact_check_text(m) == "previously fact-checked: Miscaptioned — Snopes (3 days after the article)"
    m.related, m.publisher, m.age_days = True, None, None
    assert fact_check_text(m) == "related fact-check: Miscaptioned — publisher unknown"
    cut = truncate("In terms of his connection with Russian energy companies", 40)
    assert cut == "In terms of his connection with Russian…"
