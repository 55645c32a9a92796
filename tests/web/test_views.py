"""The audit page's rendering (web/views.py): the static report's page plus reviews and forms."""

from __future__ import annotations

import re
from importlib import resources

from factaudit.report import render
from factaudit.report.html import csp_hash
from factaudit.web.storage import ReviewRecord
from factaudit.web.views import render_audit_page

from ..report.builders import article_with_map, report_of
from ..report.test_report import check_html


def _review(claim_id: str, label: str | None, approved: bool = True) -> ReviewRecord:
    return ReviewRecord(
        audit_id="a" * 16,
        claim_id=claim_id,
        reviewer="Rita <b>Reviewer</b>",
        reviewed_at="2026-12-02T10:00:00+00:00",
        label=label,
        note="Checked the port's own figures.",
        approved=approved,
    )


def test_the_live_page_is_the_static_report_plus_closed_review_forms() -> None:
    report = report_of(article_with_map(6))
    page, csp = render_audit_page(report, audit_id="a" * 16)
    check_html(page)
    static = render(report, "html")
    for section in ("summary", "article", "claims", "relations", "sources", "findings", "details"):
        assert f'<section id="{section}"' in page and f'<section id="{section}"' in static, section
    assert page.count('<details class="review" id="review-') == len(report.article.claims)
    assert '<details class="review" id="review-c1" open' not in page
    assert page.count('<form class="review-form"') == len(report.article.claims)
    assert "Keep the machine verdict (refuted)" in page  # c1's menu says it whole
    assert '<svg class="relation-map"' in page and '<svg class="relation-map"' in static
    # one panel renderer: both inline scripts start with panel.js, each pinned by its own hash
    panel = resources.files("factaudit.report").joinpath("templates", "panel.js").read_text(encoding="utf-8")
    glue = resources.files("factaudit.web").joinpath("templates", "audit.js").read_text(encoding="utf-8")
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    static_script = re.search(r"<script>(.*?)</script>", static, re.S)
    assert script and static_script
    assert script[1] == panel + "\n" + glue and static_script[1].startswith(panel)
    assert f"script-src '{csp_hash(script[1])}'" in csp and "frame-ancestors 'none'" in csp


def test_reviews_show_on_the_chips_the_map_and_the_claim_and_the_export_has_no_forms() -> None:
    report = report_of(article_with_map(6))
    reviews = {"c1": _review("c1", "SUPPORTED"), "c2": _review("c2", None, approved=False)}
    page, _ = render_audit_page(
        report, audit_id="a" * 16, reviews=reviews, history={"c1": [reviews["c1"]] * 2}
    )
    check_html(page)
    c1 = page.split('id="claim-c1"', 1)[1].split('<li class="claim"', 1)[0]
    assert 'Reviewer: <span class="vbadge v-supported">✓ Supported</span>' in c1 and "✔ approved" in c1
    assert "Rita &lt;b&gt;Reviewer&lt;/b&gt;" in c1 and "Review history (2)" in c1
    assert '<strong>c1</strong> <span class="vbadge v-refuted">✗ Refuted</span>' in c1  # machine beside it
    chips = page.split('data-assertion="a1"', 1)[1].split("</span></span>", 1)[0]
    assert "✓ Supported · cw" in chips and "✔ approved" in chips
    edge = re.search(r'<g class="edge v-(\w+)" id="rel-0"', page)
    assert edge and edge[1] == "supported"  # the edge of c1 takes the reviewed label
    exported, csp = render_audit_page(report, audit_id="a" * 16, reviews=reviews, static=True)
    check_html(exported)
    assert "<form" not in exported and "form-action 'none'" in csp and "/api/audits" not in exported
    assert "✔ approved" in exported and '<svg class="relation-map"' in exported
