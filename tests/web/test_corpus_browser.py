"""The corpus page in Debian's headless Chromium: axe-clean, and usable from the keyboard alone
(tab to an arrow of the map, Enter opens the claims behind it; the filter form submits)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from factaudit.web.app import WebSettings, create_app
from tests.web.test_api import make_test_auditor
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, RUNS, _free_port, axe_violations
from tests.web.test_corpus import fill_store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs the playwright Python package (dev extra)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    tmp = tmp_path_factory.mktemp("corpus-browser")
    fill_store(tmp / "audits.sqlite3")
    app = create_app(WebSettings(store=tmp / "audits.sqlite3"), auditor=make_test_auditor())
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not srv.started:
        if time.time() > deadline or not thread.is_alive():
            pytest.fail("the corpus test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=20)


@pytest.fixture(scope="module")
def page(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-corpus")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1366, "height": 900},
        )
        try:
            yield ctx.new_page()
        finally:
            ctx.close()


def test_corpus_page_in_chromium_keyboard_and_axe(server: str, page: Any) -> None:
    RUNS.mkdir(exist_ok=True)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server + "/corpus", timeout=120_000)  # the first visit aggregates the store
    assert page.title() == "factaudit: corpus"
    assert axe_violations(page) == []
    page.screenshot(path=str(RUNS / "web_corpus.png"), full_page=True)

    # Keyboard: Tab until an arrow of the relation map has focus, then Enter opens its claims.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg') !== null"):
            break
    else:
        pytest.fail("no arrow of the relation map took the keyboard focus")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert " articles" in label or " article" in label
    page.keyboard.press("Enter")
    page.wait_for_url("**edge=r*")
    panel = page.locator("#edge-panel")
    assert "Every claim behind this relation" in panel.inner_text()
    assert panel.locator("tbody tr").count() >= 1
    assert axe_violations(page) == []
    panel.screenshot(path=str(RUNS / "web_corpus_edge.png"))

    # The filter form, from the keyboard: choose an outlet and submit.
    page.focus("#f-outlet")
    page.select_option("#f-outlet", "Metro Wire")
    page.focus("#f-to")
    page.keyboard.press("Enter")
    page.wait_for_url("**outlet=Metro+Wire**")
    assert "Filtered:" in page.locator("#filter-summary").inner_text()
    recurring = page.locator("#corpus-recurring").inner_text()
    assert "battery plant in Shanghai" in recurring and "Russian energy" not in recurring
    assert axe_violations(page) == []
    assert problems == []
