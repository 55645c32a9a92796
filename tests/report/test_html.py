"""The static HTML report (report/html.py + templates): summary first, chips, the drawn map, one
panel script, earlier fact-checks, and big or hostile input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from importlib import resources

import pytest

from factaudit.report.html import csp_hash, page_script, to_html

from .builders import HOSTILE_NAMES, article_with_claims, article_with_map, fact_checked_article, report_of
from .test_report import check_html, make_report


def _view(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="factaudit-view">(.*?)</script>', page, re.S)
    assert found
    data: dict[str, object] = json.loads(found[1])
    return data


def test_the_page_opens_with_the_summary_and_puts_verdict_and_cw_chips_in_the_text() -> None:
    page = to_html(report_of(article_with_claims(12)))
    check_html(page)
    assert page.index('id="summary"') < page.index('id="article"') < page.index('id="claims"')
    summary = page.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert summary.count('<li><a href="#claim-') == 5 and "model confidence" in summary
    text = page.split('class="article-text"', 1)[1].split("</section>", 1)[0]
    assert text.count('class="vbadges"') == 12 and "· cw 1.00" in text
    assert "✗ Refuted" in text and "◐ Not enough evidence" in text and "○ Not checked" in text
    # check-worthy or decided claims in full, the rest (c7: not enough evidence, c9: opinion) folded away
    assert page.count('<li class="claim" id="claim-') == 12
    assert "2 more claims below the check-worthiness threshold or not checked" in page
    folded = page.split('id="more-claims"', 1)[1]
    assert folded.count('<li class="claim" id="claim-') == 2 and 'id="claim-c9"' in folded


def test_one_panel_renderer_builds_the_inline_script_pinned_by_the_csp() -> None:
    page = to_html(report_of(article_with_claims(5)))
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script and script[1] == page_script()
    panel = resources.files("factaudit.report").joinpath("templates", "panel.js").read_text(encoding="utf-8")
    assert script[1].startswith(panel) and "FactauditPanel.init(" in script[1]
    assert f"script-src '{csp_hash(script[1])}'" in page
    view = _view(page)
    claims = view["claims"]
    assert isinstance(claims, dict) and claims["c4"]["unchecked"] == "opinion"
    assert claims["c0"]["confidence"] == "model confidence 50%"
    assert [a["holder"] for a in view["assertions"]][:4] == [  # type: ignore[index]
        "the author",
        "Reuters (named, ORG)",
        "“critics” (an unnamed group)",
        "no one (agentless)",
    ]


def test_fact_checks_are_shown_beside_the_claim_and_never_styled_as_a_verdict() -> None:
    page = to_html(report_of(fact_checked_article()))
    check_html(page)
    c0 = page.split('id="claim-c0"', 1)[1].split('id="claim-c1"', 1)[0]
    assert "previously fact-checked: Mostly False — Snopes, 2023-05-01 (13 months before the article)" in c0
    assert "<q>The port handled no ships at all in 2023.</q>" in c0
    assert '<a href="https://www.snopes.com/fact-check/port-ships/" rel="noopener noreferrer nofollow">' in c0
    assert "⚑ disagrees with the machine verdict: for the reviewer" in c0
    assert "related fact-checks (1)" in c0 and "javascript:" not in page.split("factaudit-data", 1)[0]
    assert "&lt;b&gt;Bad&lt;/b&gt; Checks" in c0
    fcs = re.findall(r'<li class="fact-check[^"]*">(.*?)</li>', page, re.S)
    assert fcs and not any("vbadge" in f or "verdict" in f.split("⚑")[0] for f in fcs)
    assert "✓ Supported" in c0  # the machine verdict is untouched
    c2 = page.split('id="claim-c2"', 1)[1].split("</li>\n", 1)[0]
    assert "fact-check" not in c2  # nothing when a claim has none
    c1 = page.split('id="claim-c1"', 1)[1].split('id="claim-c2"', 1)[0]
    assert "not the same claim: the fact-check is about &lt;i&gt;Spain&lt;/i&gt;; the claim about" in c1
    assert _view(page)["claims"]["c1"]["related"][0]["why"].startswith("not the same claim")  # type: ignore[index]
    summary = page.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert "1 claim was fact-checked before (ratings: Mostly False); 2 related fact-checks." in summary
    assert (
        _view(page)["claims"]["c0"]["fact_checks"][0]["url"]
        == "https://www.snopes.com/fact-check/port-ships/"
    )  # type: ignore[index]


def test_500_claims_and_no_claims_render_whole_pages() -> None:
    page = to_html(report_of(article_with_claims(500)))
    checker = check_html(page)
    assert page.count('<li class="claim" id="claim-') == 500 and len(checker.marks) == 500
    empty = article_with_claims(0)
    empty.stages_run = ["ingest", "segment", "claims"]
    page = to_html(report_of(empty))
    check_html(page)
    assert "No claims found." in page and 'id="relations"' not in page


def test_a_30_node_map_degrades_to_the_list_and_hostile_names_are_escaped() -> None:
    page = to_html(report_of(article_with_map(30, names=HOSTILE_NAMES)))
    checker = check_html(page)
    assert '<svg class="relation-map"' not in page
    assert "30 entities and 29 relations are more than the map draws legibly" in page
    section = page.split('id="relations"', 1)[1].split("</section>", 1)[0]
    assert section.count('<button type="button" class="linkish" data-relation=') == 29
    assert "<bdi>وزارة الخارجية 2</bdi>" in section and "\u202e" not in section
    assert "<script>alert" not in page and "<img" not in page
    assert not any(k.startswith("on") for _, attrs in checker.tags for k in attrs)
    small = to_html(report_of(article_with_map(5, names=HOSTILE_NAMES)))
    check_html(small)
    assert small.count('<g class="edge') == 4 and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; 0" in small


#: A minimal DOM stand-in so node can run the page's script against its embedded JSON.
DOM_SHIM = r"""
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
class Node {
  constructor(tag) { this.tagName = tag; this.children = []; this._text = ""; this.className = "";
                     this.attrs = {}; this.classList = { add() {}, remove() {} }; }
  appendChild(c) { this.children.push(c); return c; }
  removeChild(c) { this.children.splice(this.children.indexOf(c), 1); }
  get firstChild() { return this.children[0] || null; }
  set textContent(t) { this._text = t; this.children = []; }
  get textContent() { return [this._text, ...this.children.map((c) => c.textContent)].join(" | "); }
  setAttribute(k, v) { this.attrs[k] = v; }
  getAttribute(k) { return this.attrs[k]; }
  closest() { return this.attrs["data-index"] !== undefined ? this : null; }
}
const byId = { "factaudit-data": Object.assign(new Node("script"), { _text: input.data }),
               "factaudit-view": Object.assign(new Node("script"), { _text: input.view }),
               "panel-body": new Node("div"), "panel-title": new Node("h3") };
const handlers = {};
global.Node = Node;
Node.prototype.matches = function (sel) {
  return sel.startsWith("mark") && this.attrs["data-index"] !== undefined;
};
global.window = { location: { hash: "" }, addEventListener() {}, history: null };
global.document = {
  getElementById: (id) => byId[id] || null,
  createElement: (tag) => new Node(tag),
  createTextNode: (t) => Object.assign(new Node("#text"), { _text: t }),
  querySelectorAll: () => [],
  addEventListener: (type, fn) => { handlers[type] = fn; },
};
new Function(input.script)();
const mark = new Node("mark");
mark.setAttribute("data-index", String(input.index));
handlers[input.event]({ target: mark, key: "Enter", preventDefault() {} });
process.stdout.write(JSON.stringify({ title: byId["panel-title"].textContent,
                                      body: byId["panel-body"].textContent }));
"""


@pytest.mark.parametrize(
    ("index", "event", "expected"),
    [
        (
            0,
            "click",
            [
                "Statement a1",
                "“critics” (an unnamed group)",
                "attributed to an unnamed group, “critics” (“argue”): no named source",
                "may (modal)",
                "none cited",
            ],
        ),
        (
            1,
            "keydown",
            [
                "Statement a2",
                "stated in the author’s own voice; no source cited",
                "Answers the question",
                "✗ Refuted",
                "model confidence 81%",
                "no factories in Russia",
            ],
        ),
        (
            4,
            "focusin",
            [
                "Statement a5",
                "Reuters (named, ORG)",
                "attributed to a named source, Reuters (“reported”); cites src2",
                "Financial Times",
                "specific article",
                "not checked: verification did not run",
            ],
        ),
    ],
)
def test_inline_script_fills_the_panel_from_the_embedded_json(
    index: int, event: str, expected: list[str]
) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    page = to_html(make_report())
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    data = re.search(r'<script type="application/json" id="factaudit-data">(.*?)</script>', page, re.S)
    view = re.search(r'<script type="application/json" id="factaudit-view">(.*?)</script>', page, re.S)
    assert script and data and view
    payload = json.dumps(
        {"script": script[1], "data": data[1], "view": view[1], "index": index, "event": event}
    )
    proc = subprocess.run(
        [node, "-e", DOM_SHIM], input=payload, capture_output=True, text=True, timeout=60, check=True
    )
    shown = json.loads(proc.stdout)
    text = shown["title"] + " " + shown["body"]
    for needle in expected:
        assert needle in text, (needle, text)
