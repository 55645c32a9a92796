from __future__ import annotations

import pytest

from factaudit import credibility as cred

from ..helpers import analyse, seed_text


def test_seed_references_are_home_pages_tied_to_no_claim() -> None:
    a = analyse(seed_text())
    assert [(c.outlet, c.domain, c.specificity, c.anchored, c.assertion_ids) for c in a.citations] == [
        ("The Guardian", "theguardian.com", "home_page", False, []),
        ("Financial Times", "ft.com", "home_page", False, []),
    ]
    assert not any(c.supports_claims for c in a.citations)
    codes = {f.code for f in a.findings}
    assert {
        "sources_home_pages_only",
        "references_tied_to_no_claim",
        "faq_answers_unsourced",
        "agentless_attributions",
        "unnamed_group_attributions",
    } <= codes
    ft = a.citations[1].credibility
    assert ft is not None and ft.score is not None and ft.label == "high"


def test_footnotes_inline_urls_and_named_outlets() -> None:
    text = (
        "Markets fall on rate fears\n\n"
        "Shares fell sharply on Monday, according to Reuters [1]. The Bank of England said rates would "
        "rise, as reported at https://www.bbc.co.uk/news/business-12345678.\n\n"
        "Sources:\n[1] Reuters. https://www.reuters.com/markets/europe/shares-fall-2024-01-01/\n"
        "- Breitbart (URL: breitbart.com)"
    )
    a = analyse(text)
    by_kind = {c.kind: c for c in a.citations}
    fn = by_kind["footnote"]
    assert fn.anchored and fn.specificity == "article" and fn.domain == "reuters.com"
    tied = [x for x in a.assertions if x.id in fn.assertion_ids]
    assert tied and "according to Reuters [1]" in tied[0].text and tied[0].attributed
    inline = by_kind["inline_link"]
    assert inline.domain == "bbc.co.uk" and inline.specificity == "article"
    breit = next(c for c in a.citations if c.outlet == "Breitbart")
    assert breit.assertion_ids == [] and breit.credibility is not None and breit.credibility.label == "low"
    assert "low_credibility_sources" in {f.code for f in a.findings}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("www.theguardian.com", "home_page"),
        ("https://www.ft.com/", "home_page"),
        ("https://www.reuters.com/world", "section"),
        ("https://www.bbc.co.uk/news/business", "section"),
        ("https://www.bbc.co.uk/news/business-12345678", "article"),
        ("https://example.com/2024/01/02/some-long-article-slug-here", "article"),
        ("https://example.com/story?id=42", "article"),
    ],
)
def test_specificity(url: str, expected: str) -> None:
    assert cred.specificity(url) == expected


def test_registrable_domain_uses_the_public_suffix_list() -> None:
    assert cred.registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert cred.registrable_domain("www.theguardian.com") == "theguardian.com"


def test_unrated_domain() -> None:
    c = cred.lookup("surely-not-a-rated-domain.example")
    assert c.score is None and c.label == "unrated"
