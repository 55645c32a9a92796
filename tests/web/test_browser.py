"""End-to-end browser tests: the real server (``factaudit serve``) in Debian's headless Chromium.

Playwright's Python package drives ``/usr/bin/chromium`` (never ``playwright install``); axe-core
(``npm install`` → ``node_modules/axe-core/axe.min.js``) checks accessibility. The server runs as a
subprocess on a free localhost port with its own SQLite store and one worker process; it runs the
most real pipeline whose model files are present (``tests.web.test_api.auditor_factory_for_tests``:
the default Auditor; else the default stages with stand-in verdicts; else stand-in claims too).
Screenshots go to ``runs/`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factaudit.report.claimreview import claimreview_problems
from tests.web.test_api import auditor_factory_for_tests

from ..helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SEED = (ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8")
RUNS = ROOT / "runs"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (scripts/ci_system_deps.sh installs it)",
    ),
]
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs the playwright Python package (dev extra)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _health(base: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
            data: dict[str, Any] = json.load(r)
            return data
    except OSError:
        return None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``factaudit serve`` on a free port; yields its base URL."""
    tmp = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = dict(os.environ)
    env["FACTAUDIT_AUDITOR_FACTORY"] = auditor_factory_for_tests()
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factaudit",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--store",
            str(tmp / "audits.sqlite3"),
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    try:
        while True:
            health = _health(base)
            if health and health["workers_ready"] >= 1:
                break
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail("server did not start:\n" + (tmp / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser_context(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1366, "height": 900},
            accept_downloads=True,
        )
        try:
            yield ctx
        finally:
            ctx.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the current page (run under the page's own CSP)."""
    if not AXE.exists():
        pytest.skip("axe-core is missing: run `npm install` (scripts/ci_system_deps.sh)")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: not blocked by the page's CSP
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in bad
    ]


#: The seed's audit page, all review forms closed, fits in this many CSS pixels (issue #13).
MAX_PAGE_HEIGHT = 6000


def _watch(page: Any) -> tuple[list[str], list[str]]:
    """Requests and script errors (CSP violations included) of ``page``, as they happen."""
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return requests, problems


def _in_view(page: Any, selector: str) -> bool:
    """Whether the top of ``selector`` lies inside the viewport (where the reader looks)."""
    top = page.evaluate(f"document.querySelector({json.dumps(selector)}).getBoundingClientRect().top")
    return bool(-4 <= top < page.viewport_size["height"] - 40)


def _panel_from_text_and_map(page: Any, shots: str) -> None:
    """Open a claim's panel from the article text (mouse and keyboard) and from the map."""
    mark = page.locator("mark.has-claim").first
    mark.click()
    assert re.match(r"Statement a\d+", page.locator("#panel-title").inner_text())
    text = page.locator("#panel").inner_text()
    for label in (
        "Who says it",
        "Attribution",
        "Hedges",
        "Cited sources",
        "Machine verdict",
        "Check-worthiness",
    ):
        assert label in text, label
    assert "model confidence" in text or "not checked:" in text
    assert mark.get_attribute("aria-expanded") == "true"
    hedged = page.locator("mark.has-claim.hedged").first
    hedged.focus()
    page.keyboard.press("Enter")
    assert page.locator("#panel-title").inner_text() == f"Statement {hedged.get_attribute('data-assertion')}"
    assert page.evaluate("document.activeElement.id") == "panel"
    page.screenshot(path=str(RUNS / f"{shots}_panel.png"))
    edge = page.locator("svg.relation-map g.edge").first
    if edge.count():
        edge.click()
        assert page.locator("#panel-title").inner_text().startswith("Relation: ")
        assert "Machine verdict" in page.locator("#panel").inner_text()  # the claims behind the edge
        page.locator("#relations figure").screenshot(path=str(RUNS / f"{shots}_map.png"))
        page.screenshot(path=str(RUNS / f"{shots}_map_panel.png"))
        edge.focus()
        page.keyboard.press("Enter")
        assert page.locator("#panel-title").inner_text().startswith("Relation: ")


def test_submit_review_and_export_claimreview_in_chromium(server: str, browser_context: Any) -> None:
    RUNS.mkdir(exist_ok=True)
    page = browser_context.new_page()
    requests, problems = _watch(page)

    page.goto(server + "/")
    assert axe_violations(page) == []
    page.screenshot(path=str(RUNS / "web_submit.png"))
    page.fill("#text", SEED)
    t0 = time.perf_counter()
    page.get_by_role("button", name="Audit").click()
    page.wait_for_url(
        re.compile(r".*/audits/[0-9a-f]{16}$"), timeout=600_000
    )  # the first audit may build evidence indexes
    audit_url = page.url
    audit_id = audit_url.rsplit("/", 1)[1]
    print(f"submit → audit page: {time.perf_counter() - t0:.2f} s")
    assert "Global Pursuits" in page.title()
    # A calm page: the summary first, every review form closed, the whole page a few screens tall.
    assert page.locator("main > section:not(#exports)").first.get_attribute("id") == "summary"
    assert page.locator("details.review").count() >= 1 and page.locator("details.review[open]").count() == 0
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"seed audit page height: {height} px")
    assert height <= MAX_PAGE_HEIGHT
    page.screenshot(path=str(RUNS / "web_audit_page_top.png"))
    page.screenshot(path=str(RUNS / "web_audit_page.png"), full_page=True)

    _panel_from_text_and_map(page, "web")

    # Review the first claim from the panel: its form opens on demand, the verdict menu shows its
    # whole text, and saving lands on the reviewed claim.
    page.locator("mark.has-claim").first.click()
    link = page.locator("#panel a[data-claim]").first
    claim_id = link.get_attribute("data-claim")
    assert link.inner_text() == f"Review {claim_id}"
    link.click()
    form = page.locator(f"#review-{claim_id}")
    assert form.get_attribute("open") is not None
    assert page.evaluate("document.activeElement.id") == f"rv-label-{claim_id}"
    cut = page.evaluate(
        """(id) => { const sel = document.getElementById(id); const probe = document.createElement("span");
        probe.style.font = getComputedStyle(sel).font; probe.style.whiteSpace = "pre";
        document.body.appendChild(probe); let widest = 0;
        for (const o of sel.options) {
          probe.textContent = o.text; widest = Math.max(widest, probe.offsetWidth);
        }
        probe.remove(); return widest + 24 - sel.clientWidth; }""",
        f"rv-label-{claim_id}",
    )
    assert cut <= 0, f"the verdict menu cuts {cut} px of its longest option"
    form.locator("select").select_option("REFUTED")
    form.locator("textarea").fill("Checked against the company filings.")
    form.locator("input[name=reviewer]").fill("Browser Tester")
    form.locator("input[type=checkbox]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/audits/{audit_id}#claim-{claim_id}$"))
    page.wait_for_load_state("load")
    item = page.locator(f"#claim-{claim_id}")
    assert _in_view(page, f"#claim-{claim_id}"), "the page did not land on the reviewed claim"
    assert "✔ approved" in item.inner_text() and "Browser Tester" in item.inner_text()
    assert "Checked against the company filings." in item.inner_text()
    assert "1 of" in page.locator("#exports").inner_text()
    page.screenshot(path=str(RUNS / "web_review_landed.png"))

    # Export ClaimReview: one object, for the approved claim, with the fields importers need.
    with page.expect_download() as dl:
        page.locator("#export-claimreview").click()
    reviews = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert len(reviews) == 1
    cr = reviews[0]
    assert claimreview_problems(cr) == []
    assert cr["reviewRating"]["alternateName"] == "False"
    assert cr["url"] == f"{server}/audits/{audit_id}#claim-{claim_id}"
    assert cr["reviewBody"] == "Checked against the company filings."

    assert axe_violations(page) == []
    page.goto(server + "/audits?q=Musk")
    assert audit_id in page.content()
    assert axe_violations(page) == []

    external = [u for u in requests if not u.startswith((server, "data:", "about:", "blob:"))]
    assert external == []  # no CDN, no external requests
    assert problems == []  # no CSP violations, no script errors
    page.close()


def _seed_audit(server: str) -> dict[str, Any]:
    body = json.dumps({"text": SEED}).encode()
    req = urllib.request.Request(
        server + "/api/audits", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=300) as r:
        audit: dict[str, Any] = json.load(r)
    return audit


def _offline_checks(browser_context: Any, path: Path, shots: str) -> None:
    """The panel from the text and from the map, landing on a claim, no requests, axe."""
    page = browser_context.new_page()
    requests, errors = _watch(page)
    page.goto(path.as_uri())
    assert page.locator("main > section:not(#exports)").first.get_attribute("id") == "summary"
    assert page.locator("form").count() == 0
    page.screenshot(path=str(RUNS / f"{shots}_top.png"))
    page.screenshot(path=str(RUNS / f"{shots}_page.png"), full_page=True)
    _panel_from_text_and_map(page, shots)
    page.locator("mark.has-claim").first.click()
    go = page.locator("#panel a[data-claim]").first
    claim_id = go.get_attribute("data-claim")
    go.click()
    assert _in_view(page, f"#claim-{claim_id}")
    assert page.url.endswith(f"#claim-{claim_id}")
    assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == [] and errors == []
    assert axe_violations(page) == []
    page.close()


def test_exported_html_opens_offline_and_works(server: str, browser_context: Any, tmp_path: Path) -> None:
    audit = _seed_audit(server)
    with urllib.request.urlopen(server + audit["links"]["exports"]["html"], timeout=60) as r:
        html = r.read()
    path = tmp_path / "audit.html"
    path.write_bytes(html)
    _offline_checks(browser_context, path, "export")


def test_static_cli_report_matches_the_web_page_in_chromium(
    server: str, browser_context: Any, tmp_path: Path
) -> None:
    """``factaudit audit -f html``'s file: the same summary, chips, panel, map and sources, offline."""
    from factaudit.document import Report
    from factaudit.report import render

    report = Report.from_dict(_seed_audit(server)["report"])
    path = tmp_path / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    _offline_checks(browser_context, path, "static")
    page = browser_context.new_page()
    page.goto(path.as_uri())
    for section in ("summary", "article", "claims", "sources", "findings"):
        assert page.locator(f"section#{section}").count() == 1, section
    assert page.locator(".article-text .vbadges .vbadge").count() >= 1  # verdict and cw chips in the text
    page.close()
