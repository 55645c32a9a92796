"""The corpus page over a real SQLite store holding the fixture's reports (FastAPI's TestClient)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factaudit.web.app import WebSettings, create_app
from factaudit.web.storage import open_store, record_from_report
from tests.web.test_api import make_test_auditor

from ..helpers import FIXTURES

REPORTS = FIXTURES / "corpus" / "reports"


def fill_store(path: Path) -> None:
    store = open_store(path)
    try:
        for report in sorted(REPORTS.glob("*.json")):
            data = json.loads(report.read_text(encoding="utf-8"))
            store.add_audit(record_from_report(data, source=report.name, input_kind="text"))
    finally:
        store.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("corpus-web")
    fill_store(tmp / "audits.sqlite3")
    settings = WebSettings(store=tmp / "audits.sqlite3")
    with TestClient(create_app(settings, auditor=make_test_auditor()), base_url="http://localhost") as c:
        yield c


def test_corpus_page_shows_graph_recurring_claims_and_outlets(client: TestClient) -> None:
    r = client.get("/corpus")
    assert r.status_code == 200
    assert "script-src 'none'" in r.headers["content-security-policy"]
    html = unescape(r.text)
    assert "22 audits merged" in html
    assert '<svg viewBox="0 0 900 560"' in r.text and 'class="edge' in r.text
    assert "Tesla — partners with → Russian energy companies" in html
    assert "Tesla has formed partnerships with Russian energy companies to secure nickel supplies." in html
    for outlet in ("Daily Ledger", "Northern Courier", "Metro Wire", "Harbour Post"):
        assert outlet in html
    assert '<a href="/corpus">Corpus</a>' in r.text  # the site navigation links the page


def test_an_edge_opens_its_articles_and_claims(client: TestClient) -> None:
    page = client.get("/corpus").text
    href = re.search(r'href="(\?edge=r\d+#edge-panel)"', page)
    assert href is not None
    r = client.get("/corpus" + unescape(href.group(1)).split("#")[0])
    html = unescape(r.text)
    panel = html[html.index('id="edge-panel"') :]
    assert "Every claim behind this relation" in panel
    assert re.search(r'<a href="/audits/[0-9a-f]{16}#claim-c\d+">', panel)  # each claim links its audit
    assert "unnamed group" in panel and "reportedly" in panel


def test_filters_narrow_relations_and_recurring_claims(client: TestClient) -> None:
    html = unescape(client.get("/corpus", params={"outlet": "Metro Wire"}).text)
    assert "Filtered:" in html
    table = html[html.index('id="corpus-recurring"') :]
    assert "The Chinese government approved a new battery plant in Shanghai." in table
    assert "Russian energy companies to secure nickel" not in table.split('id="corpus-outlets"')[0]
    html = unescape(client.get("/corpus", params={"from": "2026-03-10", "to": "2026-03-12"}).text)
    assert "No claim recurs under the filter" in html  # each claim is made once from 03-10 on
    assert client.get("/corpus", params={"verdict": "REFUTED"}).status_code == 200
    assert client.get("/corpus", params={"entity": "x" * 201}).status_code == 422


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    settings = WebSettings(store=tmp_path / "empty.sqlite3")
    with TestClient(create_app(settings, auditor=make_test_auditor()), base_url="http://localhost") as c:
        r = c.get("/corpus")
    assert r.status_code == 200 and "No audits are stored yet" in r.text
