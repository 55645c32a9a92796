"""ClaimReview and W3C Web Annotation exports (report/claimreview.py, report/annotations.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from factaudit.document import Article, Assertion, Claim, Evidence, Holder, Report, Verdict
from factaudit.report import FORMATS, build_report, render
from factaudit.report.annotations import reanchor, text_selectors, to_annotations
from factaudit.report.claimreview import (
    RATINGS,
    REQUIRED_FIELDS,
    Review,
    claimreview_problems,
    effective_label,
    to_claimreview,
)
from factaudit.report.json_report import to_json_dict

REPEATED = "Tesla opened a factory in Shanghai."
TEXT = (
    "Musk’s Global Pursuits\n\n"
    f"Reuters reported that {REPEATED} Critics argue that his ties may undermine U.S. interests.\n\n"
    f"Supporters say {REPEATED} Elon Musk has engaged in collaborations with both Russia and China.\n\n"
    "Émoji 👍 and accents: Ünïcode offsets count code points. The factory employs 20,000 people."
)


def _span(needle: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = TEXT.index(needle, pos + 1)
    return pos, pos + len(needle)


def make_report(*, url: str | None = None) -> Report:
    """A small audited article: repeated sentences, a hedge, unnamed and named holders, non-BMP text."""
    art = Article(source="test.txt", text=TEXT, language="en", title="Musk’s Global Pursuits")
    if url:
        art.meta["url"] = url
    specs: list[tuple[str, tuple[int, int], Holder, Verdict | None]] = [
        (
            "a1",
            _span(REPEATED, 0),
            Holder(kind="named", name="Reuters", entity_type="ORG"),
            Verdict(
                label="SUPPORTED",
                confidence=0.91,
                evidence=[
                    Evidence(
                        source="Tesla, Inc.",
                        passage="Tesla opened Gigafactory Shanghai in 2019.",
                        quote="Tesla opened Gigafactory Shanghai in 2019.",
                    )
                ],
            ),
        ),
        (
            "a2",
            _span("his ties may undermine U.S. interests"),
            Holder(kind="unnamed_group", name="critics"),
            Verdict(label="NOT ENOUGH EVIDENCE", confidence=0.55),
        ),
        ("a3", _span(REPEATED, 1), Holder(kind="unnamed_group", name="supporters"), None),
        (
            "a4",
            _span("Elon Musk has engaged in collaborations with both Russia and China."),
            Holder(kind="author", name="the author"),
            Verdict(
                label="REFUTED",
                confidence=0.8,
                evidence=[
                    Evidence(source="Elon Musk", passage="…", quote="No partnership with Russia is recorded.")
                ],
            ),
        ),
        (
            "a5",
            _span("The factory employs 20,000 people."),
            Holder(kind="agentless", name="(agentless)"),
            Verdict(label="CONFLICTING", confidence=0.4),
        ),
    ]
    for n, (aid, (s, e), holder, verdict) in enumerate(specs, 1):
        art.assertions.append(
            Assertion(
                id=aid, sentence_id=f"s{n}", block_id=f"b{n}", start=s, end=e, text=TEXT[s:e], holder=holder
            )
        )
        art.claims.append(
            Claim(
                id=f"c{n}",
                assertion_id=aid,
                text=TEXT[s:e],
                start=s,
                end=e,
                checkworthiness=0.1 * n,
                check_worthy=n > 2,
                rank=n,
                verdict=verdict,
            )
        )
    art.stages_run = ["ingest", "claims", "verify"]
    return build_report(art, started_at="2026-03-01T10:00:00+00:00")


def review(claim_id: str, *, approved: bool = True, label: Any = None, note: str | None = None) -> Review:
    return Review(
        claim_id=claim_id,
        reviewer="Ada",
        reviewed_at="2026-03-02T09:30:00+00:00",
        label=label,
        note=note,
        approved=approved,
    )


# ----------------------------------------------------------------------------------------- ClaimReview


def _get(obj: Any, path: str) -> Any:
    for key in path.split("."):
        obj = obj[key]
    return obj


def assert_importable(cr: dict[str, Any]) -> None:
    """The fields Google's Fact Check markup and Meedan Check's importer require, checked directly."""
    assert cr["@context"] == "https://schema.org" and cr["@type"] == "ClaimReview"
    assert isinstance(cr["claimReviewed"], str) and cr["claimReviewed"]
    assert isinstance(cr["url"], str) and cr["url"]
    assert cr["author"]["@type"] == "Organization" and cr["author"]["name"]
    assert len(cr["datePublished"]) == 10 and cr["datePublished"][4] == "-"
    rating = cr["reviewRating"]
    for key in ("ratingValue", "bestRating", "worstRating"):
        assert isinstance(rating[key], int)
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert isinstance(rating["alternateName"], str) and rating["alternateName"]
    item = cr["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] in ("Person", "Organization") and item["author"]["name"]
    assert item["appearance"]
    if "datePublished" in item:  # the article's publication date, only when known
        assert len(item["datePublished"]) == 10 and item["datePublished"][4] == "-"
    assert all(a["@type"] == "CreativeWork" for a in item["appearance"])
    assert claimreview_problems(cr) == []


def test_claimreview_without_approved_reviews_publishes_nothing() -> None:
    report = make_report()
    assert to_claimreview(report) == []
    assert to_claimreview(report, [review("c1", approved=False), review("c4", approved=False)]) == []
    assert (
        json.loads(render(report, "claimreview")) == []
    )  # the CLI has no reviews: machine verdicts stay private


def test_claimreview_one_object_per_approved_claim_with_reviewer_verdict() -> None:
    report = make_report(url="https://news.example.com/musk")
    reviews = [
        review("c1"),  # confirms SUPPORTED
        review("c4", label="CONFLICTING", note="Some ties exist; others are disputed."),  # changes REFUTED
        review("c2", approved=False),  # not approved: left out
        review("c3"),  # approved, but no verdict at all: nothing to publish
        review("c5", label="REFUTED"),  # agentless claim: the article is its author
    ]
    out = to_claimreview(
        report,
        reviews,
        publisher="Example Checks",
        publisher_url="https://checks.example",
        review_url=lambda c: f"https://checks.example/a/1#claim-{c.id}",
    )
    assert [o["claimReviewed"] for o in out] == [report.article.claims[i].text for i in (0, 3, 4)]
    for o in out:
        assert_importable(o)
        assert o["author"] == {
            "@type": "Organization",
            "name": "Example Checks",
            "url": "https://checks.example",
        }
        assert o["datePublished"] == "2026-03-02"
        assert o["itemReviewed"]["appearance"][0]["url"] == "https://news.example.com/musk"
    c1, c4, c5 = out
    assert c1["reviewRating"]["alternateName"] == "True" and c1["reviewRating"]["ratingValue"] == 5
    assert c1["itemReviewed"]["author"] == {"@type": "Organization", "name": "Reuters"}
    assert c1["url"] == "https://checks.example/a/1#claim-c1"
    assert c4["reviewRating"]["alternateName"] == RATINGS["CONFLICTING"][1]
    assert c4["reviewBody"] == "Some ties exist; others are disputed."
    assert c4["itemReviewed"]["author"] == {"@type": "Organization", "name": "news.example.com"}
    assert c5["reviewRating"]["ratingValue"] == 1
    # An article with no known publication date gives its claims none (never the audit's date).
    assert "datePublished" not in c1["itemReviewed"]


def test_claimreview_unnamed_holder_and_fallback_urls() -> None:
    report = make_report()
    report.article.meta["date"] = "2024-05-06"
    [o] = to_claimreview(report, [review("c2")], appearance_url="http://localhost:8000/audits/x")
    assert_importable(o)
    assert o["itemReviewed"]["author"]["name"].startswith("critics")
    assert o["itemReviewed"]["datePublished"] == "2024-05-06"
    assert o["itemReviewed"]["appearance"][0]["url"] == "http://localhost:8000/audits/x"
    assert o["url"].startswith("urn:factaudit:") and o["url"].endswith(":c2")


def test_claimreview_problems_names_what_is_missing() -> None:
    [o] = to_claimreview(make_report(), [review("c1")])
    broken = json.loads(json.dumps(o))
    del broken["reviewRating"]["alternateName"]
    broken["itemReviewed"]["@type"] = "CreativeWork"
    broken["reviewRating"]["ratingValue"] = 9
    problems = claimreview_problems(broken)
    assert "missing reviewRating.alternateName" in problems
    assert "itemReviewed must be a Claim" in problems
    assert "ratingValue is outside worstRating..bestRating" in problems
    assert len(REQUIRED_FIELDS) >= 12
    broken["itemReviewed"]["datePublished"] = "last Tuesday"
    assert "itemReviewed.datePublished is not an ISO 8601 date" in claimreview_problems(broken)


def test_effective_label_prefers_the_reviewer() -> None:
    claims = make_report().article.claims
    assert effective_label(claims[0], None) == "SUPPORTED"
    assert effective_label(claims[0], review("c1", label="REFUTED")) == "REFUTED"
    assert effective_label(claims[2], None) is None


# ----------------------------------------------------------------------------------------- annotations


def test_annotations_are_w3c_assessing_annotations_that_reanchor() -> None:
    report = make_report()
    coll = to_annotations(report, [review("c4", label="CONFLICTING", note="disputed")])
    assert coll["type"] == "AnnotationCollection" and coll["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = coll["first"]["items"]
    assert coll["total"] == len(items) == len(report.article.claims)
    text = report.article.text
    by_id = {c.id: c for c in report.article.claims}
    for anno, claim in zip(items, sorted(by_id.values(), key=lambda c: c.start), strict=True):
        assert anno["type"] == "Annotation" and anno["motivation"] == "assessing"
        assert anno["id"].startswith("urn:uuid:")
        selectors = anno["target"]["selector"]
        quote = next(s for s in selectors if s["type"] == "TextQuoteSelector")
        pos = next(s for s in selectors if s["type"] == "TextPositionSelector")
        assert set(quote) == {"type", "exact", "prefix", "suffix"}
        assert text[pos["start"] : pos["end"]] == quote["exact"] == claim.text
        # Re-anchoring by the quote selector alone (no position hint) lands on the same span, even
        # for the sentence that occurs twice: prefix and suffix tell the two apart.
        assert reanchor(text, [quote]) == (claim.start, claim.end)
        assert reanchor(text, selectors) == (claim.start, claim.end)
        assert any(b["purpose"] == "assessing" for b in anno["body"])
    reviewed = next(a for a in items if "disputed" in json.dumps(a))
    assert any(b.get("creator", {}).get("name") == "Ada" for b in reviewed["body"])
    assert items[0]["target"]["source"].startswith("urn:sha256:")


def test_annotations_reanchor_after_the_text_shifts() -> None:
    report = make_report()
    items = to_annotations(report)["first"]["items"]
    shifted = "An editor’s note was added at the top.\n\n" + report.article.text
    for anno, claim in zip(items, sorted(report.article.claims, key=lambda c: c.start), strict=True):
        start, end = reanchor(shifted, anno["target"]["selector"]) or (-1, -1)
        assert shifted[start:end] == claim.text
        assert start == claim.start + len("An editor’s note was added at the top.\n\n")
    assert reanchor("nothing here", items[0]["target"]["selector"]) is None


def test_text_selectors_count_code_points() -> None:
    s, e = _span("Ünïcode")
    quote, pos = text_selectors(TEXT, s, e)
    assert quote["exact"] == "Ünïcode" and pos == {"type": "TextPositionSelector", "start": s, "end": e}
    assert "👍" in quote["prefix"]


# ----------------------------------------------------------------------------------------- formats


def test_render_knows_the_new_formats_and_the_report_round_trips() -> None:
    assert {"claimreview", "annotations"} <= set(FORMATS)
    report = make_report()
    anno = json.loads(render(report, "annotations"))
    assert anno["total"] == 5
    again = Report.from_dict(json.loads(json.dumps(to_json_dict(report))))
    assert to_json_dict(again) == to_json_dict(report)
    assert again.article.claims[0].verdict is not None
    assert again.article.claims[0].verdict.evidence[0].quote.startswith("Tesla opened")


@pytest.mark.parametrize("fmt", ["claimreview", "annotations"])
def test_cli_format_choices_include_exports(fmt: str) -> None:
    from factaudit.cli import Format

    assert Format(fmt).value == fmt


def test_claimreview_claim_date_is_the_articles_publication_date_from_html_metadata() -> None:
    from factaudit.config import Settings
    from factaudit.pipeline import Auditor

    html = (
        b"<html><head><title>Council backs tram line</title>"
        b'<meta property="article:published_time" content="2023-09-14T08:00:00Z"></head><body><article>'
        b"<h1>Council backs tram line</h1><p>The city council approved a 40 million euro tram line on "
        b"Tuesday. Construction will begin in March 2024 and last three years, the mayor said.</p>"
        b"<p>The line will connect the airport with the central station.</p></article></body></html>"
    )
    report = Auditor(Settings(verify=False)).report(html, name="tram.html")
    assert report.article.meta.get("date") == "2023-09-14"
    claim = next(c for c in report.article.claims if "tram line" in c.text)
    [cr] = to_claimreview(report, [review(claim.id, label="SUPPORTED")])
    assert cr["itemReviewed"]["datePublished"] == "2023-09-14"
    assert cr["datePublished"] == "2026-03-02"  # the review's own date
    assert claimreview_problems(cr) == []
