"""The web app over a database URL (``WebSettings.database``): article metadata given with an API
submission lands in the stored audit, bad metadata is a 422, and ``factaudit token ... --database``
manages the tokens of a server on that database (a real PostgreSQL when one can be started)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factaudit.cli import main
from factaudit.pipeline import Auditor
from factaudit.web.app import WebSettings, create_app
from factaudit.web.security import TokenAuth
from factaudit.web.storage import open_store

from ..postgres import TempPostgres, unavailable_reason
from .test_api import make_test_auditor

PG_MISSING = unavailable_reason()


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    a = make_test_auditor()
    a.warm_up()
    return a


@pytest.fixture(scope="module")
def pg() -> Iterator[TempPostgres]:
    if PG_MISSING is not None:
        pytest.skip(PG_MISSING)
    with TempPostgres() as server:
        yield server


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """PostgreSQL, or SQLite where no server can be started."""
    if PG_MISSING is not None:
        return f"sqlite:///{tmp_path / 'audits.sqlite3'}"
    url: str = request.getfixturevalue("pg").new_database()
    return url


def test_api_metadata_is_kept_with_the_audit(auditor: Auditor, database: str) -> None:
    app = create_app(WebSettings(database=database), auditor=auditor)
    with TestClient(app, base_url="http://localhost") as c:
        text = "Plant opens\n\nThe council said on Monday that the new water plant would open in May."
        r = c.post("/api/audits", json={"text": text, "date": "2024-03-05", "outlet": "Gazette"})
        assert r.status_code == 201, r.text
        meta = r.json()["report"]["article"]["meta"]
        assert (meta["date"], meta["outlet"]) == ("2024-03-05", "Gazette")
        bad = c.post("/api/audits", json={"text": text, "date": "last Tuesday"})
        assert bad.status_code == 422 and "not ISO 8601" in bad.json()["error"]["message"]
        assert c.get("/api/audits").json()["total"] == 1
    store = open_store(database)
    try:
        (summary,), _ = store.list_audits()
        assert (summary.article_date, summary.outlet) == ("2024-03-05", "Gazette")
        (report,) = store.iter_reports()
        assert report.article.meta["outlet"] == "Gazette"
    finally:
        store.close()


def test_token_commands_work_on_a_database(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "create", "newsroom", "--database", database]) == 0
    token = capsys.readouterr().out.strip()
    assert main(["token", "list", "--database", database]) == 0
    assert "newsroom" in capsys.readouterr().out
    store = open_store(database)
    try:
        assert TokenAuth(store).verify(token) == "newsroom"
        assert main(["token", "revoke", "newsroom", "--database", database]) == 0
        assert TokenAuth(store).verify(token) is None
    finally:
        store.close()
