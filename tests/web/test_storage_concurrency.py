"""20 concurrent API audits and reviews through the real app, on each backend (SQLite, and a real
PostgreSQL started by the test): no lost or duplicated rows, and of reviewers who all saw the same
version of a claim's review exactly one is stored, the others answered 409."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factaudit.pipeline import Auditor
from factaudit.web.app import WebSettings, create_app
from factaudit.web.jobs import InlineRunner
from factaudit.web.storage import SQLStore, open_store

from ..postgres import TempPostgres, unavailable_reason
from .test_api import SEED, make_test_auditor

PG_MISSING = unavailable_reason()
N = 20


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


needs_pg = pytest.mark.skipif(PG_MISSING is not None, reason=PG_MISSING or "")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_pg)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audits.sqlite3'}"
    url: str = request.getfixturevalue("pg").new_database()
    return url


def story(i: int) -> str:
    return (
        f"Budget story {i}\n\nThe council of town number {i} said on Monday that it had approved a "
        f"budget of {i + 2} million pounds. Critics say the plan could raise taxes."
    )


def test_20_concurrent_audits_and_reviews_lose_and_duplicate_nothing(auditor: Auditor, target: str) -> None:
    settings = WebSettings(database=target, rate_per_s=0, rate_capacity=0, audit_per_s=0, audit_capacity=0)
    app = create_app(settings, runner=InlineRunner(auditor, workers=4))
    with TestClient(app, base_url="http://localhost") as c:
        shared = c.post("/api/audits", json={"text": SEED, "name": "seed.txt"}).json()
        claims = [x["id"] for x in shared["report"]["article"]["claims"]]
        contested = claims[1]
        base = c.put(f"/api/audits/{shared['id']}/claims/{contested}/review", json={"reviewer": "first"})
        assert base.status_code == 200, base.text
        version = base.json()["version"]
        barrier = threading.Barrier(N)

        def worker(i: int) -> dict[str, Any]:
            barrier.wait()
            r = c.post("/api/audits", json={"text": story(i), "name": f"story{i}.txt"})
            assert r.status_code == 201, r.text
            aid = r.json()["id"]
            own = c.put(f"/api/audits/{aid}/claims/c1/review", json={"reviewer": f"r{i}", "approved": True})
            same = c.put(f"/api/audits/{shared['id']}/claims/{claims[0]}/review", json={"reviewer": f"r{i}"})
            guarded = c.put(
                f"/api/audits/{shared['id']}/claims/{contested}/review",
                json={"reviewer": f"r{i}", "label": "REFUTED", "base_version": version},
            )
            codes = {"own": own.status_code, "same": same.status_code, "guarded": guarded.status_code}
            return {"id": aid, **codes}

        with ThreadPoolExecutor(N) as pool:
            results = list(pool.map(worker, range(N)))

        assert all(r["own"] == 200 and r["same"] == 200 for r in results), results
        assert Counter(r["guarded"] for r in results) == {200: 1, 409: N - 1}
        listing = c.get("/api/audits", params={"limit": 100}).json()
        assert listing["total"] == N + 1
        ids = [x["id"] for x in listing["items"]]
        assert len(set(ids)) == N + 1 and {r["id"] for r in results} <= set(ids)
        titles = Counter(x["title"] for x in listing["items"])
        assert all(titles[f"Budget story {i}"] == 1 for i in range(N))
        assert all(x["approved"] == 1 for x in listing["items"] if x["title"].startswith("Budget story"))
        history = c.get(f"/api/audits/{shared['id']}/reviews").json()["history"]
        by_claim = Counter(h["claim_id"] for h in history)
        assert by_claim == {claims[0]: N, contested: 2}
        assert sorted(h["reviewer"] for h in history if h["claim_id"] == claims[0]) == sorted(
            f"r{i}" for i in range(N)
        )
        versions = [h["version"] for h in history]
        assert len(set(versions)) == len(versions) and versions == sorted(versions)
        conflict = c.put(
            f"/api/audits/{shared['id']}/claims/{contested}/review", json={"base_version": version}
        )
        assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "FA502"
    # Straight from the database: the same counts.
    store: SQLStore = open_store(target)
    try:
        assert store.list_audits(limit=1)[1] == N + 1
        assert sum(1 for _ in store.iter_reports()) == N + 1
        assert sum(len(store.review_history(r["id"])) for r in results) == N
    finally:
        store.close()
