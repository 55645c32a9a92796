"""The web app's REST API and pages through a real client (FastAPI TestClient) and real SQLite.

Audits run through the real stages (ingest, segment, attribution, sources, relations, findings);
claims and verdicts come from two small stand-in stages (:func:`make_test_auditor`) so the tests
see claims with and without verdicts without the shipped models. The browser tests and the
benchmark reuse that factory (``tests.web.test_api:make_test_auditor``) when the models are absent.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factaudit.document import Article, Claim, Evidence, Verdict
from factaudit.pipeline import Auditor
from factaudit.report.annotations import reanchor
from factaudit.report.claimreview import claimreview_problems
from factaudit.report.json_report import load_schema
from factaudit.stages.attribution import AttributionStage
from factaudit.stages.findings import FindingsStage
from factaudit.stages.ingest import IngestStage
from factaudit.stages.relations import RelationsStage
from factaudit.stages.segment import SegmentStage
from factaudit.stages.sources import SourcesStage
from factaudit.web.app import ERROR_STATUS, WebSettings, create_app, safe_name, status_for
from factaudit.web.jobs import AuditRequest, InlineRunner, ProcessRunner
from factaudit.web.security import RateLimiter, TokenAuth, create_token
from factaudit.web.storage import SQLiteStore

from ..helpers import ROOT

SEED = (ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8")
LABELS = ("SUPPORTED", "REFUTED", "NOT ENOUGH EVIDENCE", "CONFLICTING", None)


class StandInClaims:
    """One claim per assertion with a deterministic check-worthiness (stands in for the model)."""

    name = "claims"
    requires = ("assertions",)
    assigns = ("claims",)
    uses: tuple[str, ...] = ()

    def warm_up(self) -> None:
        pass

    def __call__(self, article: Article) -> Article:
        for i, a in enumerate(article.assertions):
            score = round((i * 37 % 100) / 100, 2)
            article.claims.append(
                Claim(
                    id=f"c{i + 1}",
                    assertion_id=a.id,
                    text=a.text,
                    start=a.start,
                    end=a.end,
                    sentence_id=a.sentence_id,
                    context=a.context,
                    checkworthiness=score,
                    check_worthy=score >= 0.5,
                    rank=i + 1,
                )
            )
        return article


class StandInVerify:
    """Cycles through the four verdicts and leaves every fifth claim unchecked."""

    name = "verify"
    requires = ("claims",)
    assigns = ("claims",)
    uses: tuple[str, ...] = ()

    def warm_up(self) -> None:
        pass

    def __call__(self, article: Article) -> Article:
        for i, c in enumerate(article.claims):
            label = LABELS[i % len(LABELS)]
            if label is not None:
                c.verdict = Verdict(
                    label=label,
                    confidence=round(0.55 + 0.05 * (i % 8), 2),
                    evidence=[  # type: ignore[arg-type]
                        Evidence(
                            source="Tesla, Inc. (wiki-vital)",
                            passage="Tesla, Inc. is an American company.",
                            quote="Tesla, Inc. is an American company.",
                            score=0.7,
                            label=label,
                        )
                    ],
                )
        return article


def make_test_auditor() -> Auditor:
    """The real structure stages with stand-in claims and verdicts (importable by worker processes)."""
    return Auditor(
        stages=[
            IngestStage(),
            SegmentStage(),
            AttributionStage(),
            SourcesStage(),
            StandInClaims(),
            RelationsStage(),
            StandInVerify(),
            FindingsStage(),
        ]
    )


def make_model_auditor() -> Auditor:
    """The default stages with :class:`StandInVerify` in place of verify (whose model may be absent)."""
    from factaudit.config import Settings
    from factaudit.pipeline import default_stages

    stages = [StandInVerify() if s.name == "verify" else s for s in default_stages(Settings())]
    if not any(s.name == "verify" for s in stages):
        stages.insert(-1, StandInVerify())
    return Auditor(stages=stages)


def auditor_factory_for_tests() -> str:
    """The most real pipeline whose model files are present: the default Auditor, the default stages
    with stand-in verdicts, or the stand-in claims and verdicts (``FACTAUDIT_WEB_TEST_AUDITOR`` overrides)."""
    import os

    files = ROOT / "src" / "factaudit" / "models" / "files"
    choice = os.environ.get("FACTAUDIT_WEB_TEST_AUDITOR", "")
    if choice:
        return {
            "default": "factaudit.pipeline:Auditor",
            "models": "tests.web.test_api:make_model_auditor",
            "stand-in": "tests.web.test_api:make_test_auditor",
        }.get(choice, choice)
    if (files / "checkworthiness.json").exists() and (files / "verifier.json").exists():
        return "factaudit.pipeline:Auditor"
    if (files / "checkworthiness.json").exists():
        return "tests.web.test_api:make_model_auditor"
    return "tests.web.test_api:make_test_auditor"


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    a = make_test_auditor()
    a.warm_up()
    return a


def make_client(tmp_path: Path, auditor: Auditor, **overrides: Any) -> TestClient:
    settings = WebSettings(store=tmp_path / "audits.sqlite3", **overrides)
    return TestClient(create_app(settings, auditor=auditor), base_url="http://localhost")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, auditor: Auditor) -> Iterator[TestClient]:
    with make_client(tmp_path_factory.mktemp("web"), auditor) as c:
        yield c


@pytest.fixture(scope="module")
def seed_audit(client: TestClient) -> dict[str, Any]:
    r = client.post("/api/audits", json={"text": SEED, "name": "seed_article.txt"})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def wait_job(c: TestClient, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.time() + timeout
    while True:
        job: dict[str, Any] = c.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "error") or time.time() > deadline:
            return job
        time.sleep(0.05)


def assert_error(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    err: dict[str, Any] = body["error"]
    return err


# ------------------------------------------------------------------------------------------ audits


def test_post_text_audits_synchronously_and_persists(client: TestClient, seed_audit: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    aid = seed_audit["id"]
    assert re.fullmatch(r"[0-9a-f]{16}", aid)
    assert seed_audit["title"].startswith("Elon Musk’s Global Pursuits")
    assert seed_audit["source"] == "seed_article.txt" and seed_audit["input_kind"] == "text"
    assert seed_audit["claims"] == len(seed_audit["report"]["article"]["claims"]) > 10
    jsonschema.Draft202012Validator(load_schema()).validate(seed_audit["report"])
    r = client.get(f"/api/audits/{aid}")
    assert r.status_code == 200
    got = r.json()
    assert got["report"] == seed_audit["report"] and got["reviews"] == []
    verdicts = [c["verdict"] for c in got["report"]["article"]["claims"]]
    assert any(v is None for v in verdicts) and any(v and v["label"] == "REFUTED" for v in verdicts)
    store: SQLiteStore = client.app.state.fa.store  # type: ignore[attr-defined]
    assert store.journal_mode == "wal"


def test_file_upload_and_raw_body_never_touch_named_paths(client: TestClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("THIS FILE MUST NOT BE READ")
    r = client.post("/api/audits", files={"file": (str(secret), SEED.encode(), "text/plain")})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["source"] == "secret.txt" and body["input_kind"] == "file"
    assert "MUST NOT BE READ" not in json.dumps(body) and "Elon Musk" in body["report"]["article"]["text"]
    r = client.post(
        "/api/audits", files={"file": ("../../../../etc/passwd", b"Tesla opened a factory in 2019.")}
    )
    assert r.status_code == 201 and r.json()["source"] == "passwd"
    assert "root:" not in r.json()["report"]["article"]["text"]
    # A JSON "name" is a label only, never opened.
    r = client.post("/api/audits", json={"text": "Tesla opened a factory in Shanghai.", "name": str(secret)})
    assert r.status_code == 201 and "MUST NOT" not in r.text
    r = client.post(
        "/api/audits",
        content=b"<p>Tesla opened a factory in Shanghai in 2019.</p>",
        headers={"Content-Type": "text/html"},
    )
    assert r.status_code == 201 and r.json()["report"]["article"]["format"] == "html"
    assert safe_name("C:\\Users\\x\\..\\evil name?.pdf") == "evil name_.pdf" and safe_name("..") == "upload"


def test_large_input_becomes_a_job_with_progress(tmp_path: Path, auditor: Auditor) -> None:
    with make_client(tmp_path, auditor, sync_max_chars=1000) as c:
        store: SQLiteStore = c.app.state.fa.store  # type: ignore[attr-defined]
        seen: list[dict[str, Any]] = []
        update = store.update_job

        def spy(job_id: str, **changes: Any) -> None:
            seen.append(changes)
            update(job_id, **changes)

        store.update_job = spy  # type: ignore[method-assign]
        r = c.post("/api/audits", json={"text": SEED})
        assert r.status_code == 202, r.text
        job = r.json()
        assert (
            job["status"] in ("queued", "running", "done") and r.headers["location"] == job["links"]["self"]
        )
        job = wait_job(c, job["id"])
        assert job["status"] == "done" and job["progress"] == 1.0 and job["error"] is None
        stages = [ch["stage"] for ch in seen if ch.get("status") == "running"]
        assert stages[:3] == ["ingest", "segment", "attribution"] and "findings" in stages
        assert [ch["progress"] for ch in seen if ch.get("status") == "running"] == sorted(
            ch["progress"] for ch in seen if ch.get("status") == "running"
        )
        audit = c.get(job["links"]["audit"]).json()
        assert audit["claims"] > 10
        page = c.get(f"/jobs/{job['id']}", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == f"/audits/{audit['id']}"
        # A failing job records its error instead of raising.
        r = c.post("/api/audits", json={"text": "\u0000" * 1500})
        assert r.status_code == 202
        failed = wait_job(c, r.json()["id"])
        assert failed["status"] == "error" and failed["error"]["code"].startswith("FA1")
        assert "Audit failed" in c.get(f"/jobs/{failed['id']}").text


def test_history_lists_and_searches(client: TestClient, seed_audit: dict[str, Any]) -> None:
    client.post("/api/audits", json={"text": "Volkswagen opened a plant in Zwickau in 2020. Sales rose."})
    r = client.get("/api/audits", params={"q": "zwickau"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 1 and "Zwickau" in body["items"][0]["title"] + json.dumps(body)
    assert client.get("/api/audits", params={"q": "gigafactories musk"}).json()["total"] >= 1
    assert client.get("/api/audits", params={"q": "100%_nothing"}).json()["total"] == 0
    everything = client.get("/api/audits", params={"limit": 1}).json()
    assert everything["total"] >= 2 and len(everything["items"]) == 1
    page = client.get("/audits", params={"q": "Musk"})
    assert page.status_code == 200 and seed_audit["id"] in page.text and "Audit history" in page.text


# ------------------------------------------------------------------------------------------ review + exports


def test_review_keeps_machine_and_reviewer_verdicts_and_claimreview_exports_approved_only(
    tmp_path: Path, auditor: Auditor
) -> None:
    with make_client(tmp_path, auditor) as c:
        aid = c.post("/api/audits", json={"text": SEED}).json()["id"]
        claims = c.get(f"/api/audits/{aid}").json()["report"]["article"]["claims"]
        checked = [x for x in claims if x["verdict"]]
        unchecked = next(x for x in claims if not x["verdict"])
        assert c.get(f"/api/audits/{aid}/export", params={"format": "claimreview"}).json() == []

        first, second = checked[0], checked[1]
        r = c.put(
            f"/api/audits/{aid}/claims/{first['id']}/review", json={"approved": True, "reviewer": "Ada"}
        )
        assert r.status_code == 200
        assert r.json()["label"] is None and r.json()["machine_label"] == first["verdict"]["label"]
        r = c.put(
            f"/api/audits/{aid}/claims/{second['id']}/review",
            json={"label": "CONFLICTING", "note": "Partly true.", "reviewer": "Bo"},
        )
        assert r.status_code == 200 and r.json()["approved"] is False
        r = c.put(f"/api/audits/{aid}/claims/{unchecked['id']}/review", json={"approved": True})
        assert_error(r, 422, "no_verdict")
        r = c.put(
            f"/api/audits/{aid}/claims/{unchecked['id']}/review", json={"approved": True, "label": "REFUTED"}
        )
        assert r.status_code == 200 and r.json()["reviewer"] == "local reviewer"
        r = c.put(
            f"/api/audits/{aid}/claims/{second['id']}/review",
            json={"label": "SUPPORTED", "approved": True, "reviewer": "Bo"},
        )
        assert r.status_code == 200

        reviews = c.get(f"/api/audits/{aid}/reviews").json()
        assert len(reviews["history"]) == 4 and len(reviews["current"]) == 3
        assert [h["label"] for h in reviews["history"] if h["claim_id"] == second["id"]] == [
            "CONFLICTING",
            "SUPPORTED",
        ]
        assert all(h["reviewed_at"] and h["reviewer"] for h in reviews["history"])
        # The machine verdict inside the report is unchanged.
        again = c.get(f"/api/audits/{aid}").json()["report"]["article"]["claims"]
        assert [x["verdict"] for x in again] == [x["verdict"] for x in claims]

        out = c.get(f"/api/audits/{aid}/export", params={"format": "claimreview"})
        assert out.status_code == 200 and out.headers["content-type"].startswith("application/ld+json")
        crs = out.json()
        assert sorted(cr["claimReviewed"] for cr in crs) == sorted(
            x["text"] for x in (first, second, unchecked)
        )
        for cr in crs:
            assert claimreview_problems(cr) == []
            assert cr["url"].startswith(f"http://localhost/audits/{aid}#claim-c")
            assert cr["itemReviewed"]["@type"] == "Claim" and cr["itemReviewed"]["appearance"]
            assert {"ratingValue", "bestRating", "worstRating", "alternateName"} <= set(cr["reviewRating"])
        by_text = {cr["claimReviewed"]: cr for cr in crs}
        assert by_text[second["text"]]["reviewRating"]["alternateName"] == "True"
        assert by_text[unchecked["text"]]["reviewRating"]["alternateName"] == "False"
        assert c.get("/api/audits").json()["items"][0]["approved"] == 3

        page = c.get(f"/audits/{aid}").text
        assert "✔ approved" in page and "Partly true." not in page.split('id="claim-')[0]
        # The form route does the same for browsers (303 back to the claim).
        r = c.post(
            f"/audits/{aid}/claims/{first['id']}/review",
            data={"label": "REFUTED", "note": "Checked by hand", "reviewer": "Cy"},
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == f"/audits/{aid}#claim-{first['id']}"
        assert "Checked by hand" in c.get(f"/audits/{aid}").text


def test_review_errors_are_4xx(client: TestClient, seed_audit: dict[str, Any]) -> None:
    aid = seed_audit["id"]
    assert_error(client.put(f"/api/audits/{aid}/claims/c999/review", json={}), 404, "not_found")
    assert_error(client.put("/api/audits/nope/claims/c1/review", json={}), 404, "not_found")
    assert_error(
        client.put(f"/api/audits/{aid}/claims/c1/review", json={"label": "TRUE"}), 422, "invalid_request"
    )
    assert_error(client.put(f"/api/audits/{aid}/claims/c1/review", json={"admin": True}), 422)
    assert_error(
        client.put(
            f"/api/audits/{aid}/claims/c1/review", content=b"{", headers={"Content-Type": "application/json"}
        ),
        422,
    )


def test_exports_in_every_format(client: TestClient, seed_audit: dict[str, Any]) -> None:
    aid = seed_audit["id"]
    url = f"/api/audits/{aid}/export"
    r = client.get(url, params={"format": "json"})
    assert (
        r.status_code == 200
        and r.json()["schema_version"]
        and "attachment" in r.headers["content-disposition"]
    )
    r = client.get(url, params={"format": "md"})
    assert (
        r.status_code == 200 and r.headers["content-type"].startswith("text/markdown") and "# Audit" in r.text
    )
    r = client.get(url, params={"format": "html"})
    assert r.status_code == 200 and r.text.startswith("<!DOCTYPE html>")
    page = r.text
    # Self-contained: no external resources, no forms, its own CSP; still has the claims and the map.
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(?!data:)", page)
    assert "<form" not in page and 'http-equiv="Content-Security-Policy"' in page
    assert "form-action 'none'" in html.unescape(page) and "connect-src 'none'" in html.unescape(page)
    assert 'id="relations"' in page and "<svg" in page and 'class="vbadge v-refuted"' in page
    assert page.index('id="summary"') < page.index('id="article"')
    r = client.get(url, params={"format": "annotations"})
    coll = r.json()
    text = seed_audit["report"]["article"]["text"]
    for anno in coll["first"]["items"]:
        assert anno["motivation"] == "assessing"
        quote = anno["target"]["selector"][0]
        pos = anno["target"]["selector"][1]
        assert reanchor(text, [quote]) == (pos["start"], pos["end"])
    assert_error(client.get(url, params={"format": "pdf"}), 422, "invalid_request")
    assert_error(client.get("/api/audits/0000000000000000/export"), 404)


def test_audit_page_shows_claims_verdicts_panel_and_graph(
    client: TestClient, seed_audit: dict[str, Any]
) -> None:
    r = client.get(f"/audits/{seed_audit['id']}")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "frame-ancestors 'none'" in csp
    page = r.text
    for word in ("✓ Supported", "✗ Refuted", "◐ Not enough evidence", "⇆ Conflicting", "○ Not checked"):
        assert word in page  # every verdict has an icon and a word, not only a colour
    assert "… Not enough evidence" not in page  # the icon is not an ellipsis
    assert page.index('id="summary"') < page.index('id="article"') < page.index('id="claims"')
    assert "cw 0." in page and "check-worthiness" in page
    assert 'class="hl hedged' in page and "holder-unnamed_group" in page and "holder-named" in page
    assert 'id="panel"' in page and 'role="button"' in page and 'aria-describedby="desc-' in page
    assert "home page" in page and "Entity–relation map" in page and "Elon Musk" in page
    # one review form per claim, each closed until the reviewer opens it
    assert page.count('class="review-form"') == seed_audit["claims"]
    assert page.count('<details class="review" id="review-') == seed_audit["claims"]
    assert '<details class="review" id="review-c1" open' not in page
    assert 'id="factaudit-view"' in page and 'class="relation-map"' in page


def test_pages_render(client: TestClient, seed_audit: dict[str, Any]) -> None:
    home = client.get("/")
    assert home.status_code == 200 and 'enctype="multipart/form-data"' in home.text
    assert "script-src 'none'" in home.headers["content-security-policy"]
    assert home.headers["x-content-type-options"] == "nosniff"
    r = client.post(
        "/audits", data={"text": "Tesla opened a factory in Shanghai in 2019."}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/audits/")
    r = client.post("/audits", data={"url": "http://169.254.169.254/latest/meta-data/"})
    assert r.status_code == 422 and "link-local" in r.text and 'role="alert"' in r.text
    r = client.get("/audits/doesnotexist", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "no audit with id" in r.text
    assert client.get("/jobs/nothing").status_code == 404


# ------------------------------------------------------------------------------------------ bad input


HOSTILE_HTML = (
    b"<html><head><script>alert('head')</script></head><body>"
    b"<iframe src='http://evil.example/'></iframe><article><h1>Tesla news</h1>"
    b"<p>Tesla opened a factory in Shanghai in 2019, officials said. "
    b"&lt;script&gt;alert(document.cookie)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>"
    b'<p onclick="alert(2)">Critics argue that the plant may harm local suppliers.</p>'
    b"<script>document.write('x')</script></article></body></html>"
)


def test_hostile_articles_are_escaped(client: TestClient) -> None:
    r = client.post("/api/audits", files={"file": ("evil.html", HOSTILE_HTML, "text/html")})
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    text = r.json()["report"]["article"]["text"]
    assert "<script>alert(document.cookie)</script>" in text  # the article's words, kept as text
    for page in (
        client.get(f"/audits/{aid}").text,
        client.get(f"/api/audits/{aid}/export", params={"format": "html"}).text,
    ):
        assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in page
        assert "<script>alert" not in page and "<img src=x" not in page and "<iframe" not in page
        assert "onerror=alert(1)&gt;" in page or "onerror=alert(1)\\u003e" in page
        assert "\\u003cscript\\u003ealert(document.cookie)" in page  # inside the JSON data island
    # Pasted text with markup is escaped too, and a </script> in it cannot break out of the data island.
    r = client.post(
        "/api/audits", json={"text": "Musk said </script><script>alert(1)</script> Tesla grew 5%."}
    )
    assert r.status_code == 201
    page = client.get(f"/audits/{r.json()['id']}").text
    assert "</script><script>alert(1)" not in page


def test_bad_input_gets_a_clear_4xx_and_the_server_keeps_serving(tmp_path: Path, auditor: Auditor) -> None:
    with make_client(tmp_path, auditor, max_body_bytes=256 * 1024) as c:
        big = b"a" * (257 * 1024)
        assert_error(c.post("/api/audits", files={"file": ("big.txt", big, "text/plain")}), 413, "too_large")
        assert_error(c.post("/api/audits", content=big, headers={"Content-Type": "text/plain"}), 413)
        page = c.post("/audits", files={"text": (None, big)}, headers={"Accept": "text/html"})
        assert page.status_code == 413 and 'role="alert"' in page.text  # a form post gets a page
        assert_error(c.post("/api/audits", json={"text": "x" * 300_000}), 413)
        assert_error(
            c.post("/api/audits", content=b"<x/>", headers={"Content-Type": "application/xml"}),
            415,
            "unsupported_media_type",
        )
        assert_error(c.post("/api/audits", content=b"hello"), 415)
        assert_error(
            c.post(
                "/api/audits", files={"file": ("cat.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")}
            ),
            415,
            "FA104",
        )
        r = c.post("/api/audits", files={"file": ("cat.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)})
        assert r.status_code in (415, 422) and r.json()["error"]["code"].startswith("FA1")
        nested = b"<html><body>" + b"<div>" * 10_000 + b"deep" + b"</div>" * 10_000 + b"</body></html>"
        r = c.post("/api/audits", files={"file": ("nested.html", nested, "text/html")})
        assert r.status_code == 202, r.text  # over the synchronous size: a job
        job = wait_job(c, r.json()["id"])
        assert job["status"] == "done", job  # the text under 10,000 nested divs is found (flattened)
        for url in (
            "http://127.0.0.1:8000/",
            "http://localhost/admin",
            "http://169.254.169.254/latest/",
            "http://10.0.0.7/",
            "http://[::1]/",
            "http://0x7f.1/",
            "file:///etc/passwd",
            "ftp://x.org/a",
            "http://user:pw@example.com/",
            "javascript:alert(1)",
            "not a url",
        ):
            err = assert_error(c.post("/api/audits", json={"url": url}), 422)
            assert err["code"] in ("FA201", "FA200"), (url, err)
        assert_error(c.post("/api/audits", json={}), 422, "no_input")
        assert_error(c.post("/api/audits", json={"text": "   "}), 422, "no_input")
        assert_error(
            c.post("/api/audits", json={"text": "a b", "url": "https://example.com/"}), 422, "ambiguous_input"
        )
        assert_error(c.post("/api/audits", json={"text": 5}), 422, "invalid_request")
        assert_error(c.post("/api/audits", json=["text"]), 422)
        assert_error(
            c.post("/api/audits", content=b"{not json", headers={"Content-Type": "application/json"}),
            400,
            "bad_json",
        )
        assert_error(c.post("/api/audits", json={"text": "\u0000\u0001\u0002"}), 422)
        assert_error(c.get("/api/audits/x" * 40), 404)
        assert_error(c.get("/api/jobs/none"), 404)
        assert_error(c.get("/api/audits", params={"limit": 0}), 422)
        assert_error(c.get("/api/nothing-here"), 404, "not_found")
        assert_error(c.delete("/api/audits"), 405)
        assert c.get("/api/health").json()["status"] == "ok"
        assert c.post("/api/audits", json={"text": "Tesla opened a factory in Shanghai."}).status_code == 201


def test_errors_map_to_http_in_one_place() -> None:
    from factaudit import errors

    assert ERROR_STATUS[-1][0] is errors.FactauditError
    assert status_for(errors.InputTooLargeError("x")) == 413
    assert status_for(errors.UnsupportedFormatError("x")) == 415
    assert status_for(errors.EmptyInputError("x")) == 422
    assert status_for(errors.BlockedURLError("x")) == 422
    assert status_for(errors.FetchTimeoutError("x")) == 422
    assert status_for(errors.ModelError("x")) == 503
    assert status_for(errors.PipelineError("x")) == 500


# ------------------------------------------------------------------------------------------ security


def test_tokens_required_beyond_localhost(tmp_path: Path, auditor: Auditor) -> None:
    with make_client(tmp_path, auditor, host="0.0.0.0") as c:
        store: SQLiteStore = c.app.state.fa.store  # type: ignore[attr-defined]
        token = create_token(store, "Ada Reviewer")
        assert token.startswith("fa_")
        assert_error(c.post("/api/audits", json={"text": "Tesla grew."}), 401, "unauthorized")
        r = c.get("/api/audits", headers={"Authorization": "Bearer fa_123_wrong"})
        assert_error(r, 401, "invalid_token")
        assert r.headers["www-authenticate"] == "Bearer"
        assert_error(c.get("/api/audits", headers={"Authorization": token[:-2] + "xx"}), 401)
        auth = {"Authorization": f"Bearer {token}"}
        r = c.post("/api/audits", json={"text": SEED}, headers=auth)
        assert r.status_code == 201
        aid = r.json()["id"]
        claim = next(x for x in r.json()["report"]["article"]["claims"] if x["verdict"])
        r = c.put(
            f"/api/audits/{aid}/claims/{claim['id']}/review",
            json={"approved": True, "reviewer": "mallory"},
            headers=auth,
        )
        assert r.json()["reviewer"] == "Ada Reviewer"  # who reviewed comes from the token
        assert c.get("/api/health").status_code == 200  # health needs no token
        # Pages send browsers to the sign-in form; the cookie it sets works like the header.
        r = c.get("/", headers={"Accept": "text/html"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert c.post("/login", data={"token": "fa_bad_bad"}).status_code == 401
        r = c.post("/login", data={"token": token, "next": "//evil.example/"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert c.get(f"/audits/{aid}").status_code == 200
        assert "Signed in as Ada Reviewer" in c.get("/").text
        c.cookies.clear()
        # Stored hashed with a salt: the secret is nowhere in the database.
        secret = token.split("_", 2)[2]
        db = (tmp_path / "audits.sqlite3").read_bytes() + (tmp_path / "audits.sqlite3-wal").read_bytes()
        assert secret.encode() not in db
        row = (
            sqlite3.connect(tmp_path / "audits.sqlite3")
            .execute("SELECT salt, hash, params FROM tokens")
            .fetchone()
        )
        assert len(row[0]) == 32 and len(row[1]) == 64 and "scrypt" in row[2]
        assert store.revoke_token("Ada Reviewer") == 1
        assert_error(c.get("/api/audits", headers=auth), 401, "invalid_token")


def test_token_auth_caches_and_rejects_junk(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "t.sqlite3")
    auth = TokenAuth(store)
    token = create_token(store, "ci")
    assert auth.verify(token) == "ci" and auth.verify(token) == "ci"
    for junk in (None, "", "fa_", "fa__", "Bearer x", "fa_" + "x" * 300, token + "x"):
        assert auth.verify(junk) is None
    with pytest.raises(ValueError):
        create_token(store, "  ")
    store.close()


def test_rate_limit_answers_429(tmp_path: Path, auditor: Auditor) -> None:
    with make_client(tmp_path, auditor, rate_capacity=3, rate_per_s=0.01) as c:
        codes = [c.get("/api/audits").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.get("/api/audits")
        assert_error(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) >= 1
    clock = [0.0]
    limiter = RateLimiter(2, 1.0, clock=lambda: clock[0])
    assert [limiter.take("k") for _ in range(3)] == [0.0, 0.0, 1.0]
    clock[0] = 1.0
    assert limiter.take("k") == 0.0 and limiter.take("other") == 0.0


def test_cross_site_posts_and_foreign_hosts_are_refused(
    client: TestClient, seed_audit: dict[str, Any]
) -> None:
    r = client.post(
        f"/audits/{seed_audit['id']}/claims/c1/review",
        data={"approved": "1"},
        headers={"Origin": "http://evil.example"},
    )
    assert_error(r, 403, "cross_origin")
    r = client.post("/api/audits", json={"text": "x y"}, headers={"Origin": "null"})
    assert_error(r, 403)
    assert_error(client.get("/api/audits", headers={"Host": "rebound.evil.example"}), 400, "bad_host")
    ok = client.post(
        "/api/audits", json={"text": "Tesla opened a factory."}, headers={"Origin": "http://localhost"}
    )
    assert ok.status_code == 201


def test_openapi_schema_describes_the_api(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {
        "/api/audits",
        "/api/audits/{audit_id}",
        "/api/audits/{audit_id}/export",
        "/api/jobs/{job_id}",
        "/api/audits/{audit_id}/claims/{claim_id}/review",
        "/api/audits/{audit_id}/reviews",
    } <= set(paths)
    post = paths["/api/audits"]["post"]
    assert {"application/json", "multipart/form-data", "text/plain"} <= set(post["requestBody"]["content"])
    assert {"201", "202", "413", "415", "422", "429"} <= set(post["responses"])
    assert not any(p.startswith("/audits") for p in paths)  # pages are not part of the API


def test_cli_token_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from factaudit.cli import main

    db = tmp_path / "cli.sqlite3"
    assert main(["token", "create", "robot", "--store", str(db)]) == 0
    token = capsys.readouterr().out.strip()
    store = SQLiteStore(db)
    assert TokenAuth(store).verify(token) == "robot"
    assert main(["token", "create", "robot", "--store", str(db)]) == 6  # names are unique (store error)
    assert main(["token", "list", "--store", str(db)]) == 0
    assert "robot" in capsys.readouterr().out
    assert main(["token", "revoke", "robot", "--store", str(db)]) == 0
    assert main(["token", "revoke", "robot", "--store", str(db)]) == 3
    assert TokenAuth(store).verify(token) is None
    store.close()


# ------------------------------------------------------------------------------------------ worker pool


@pytest.mark.slow
def test_process_runner_audits_in_worker_processes_with_progress() -> None:
    runner = ProcessRunner("tests.web.test_api:make_test_auditor", workers=1)
    runner.start()
    try:
        progress: list[tuple[str, int, int]] = []
        fut = runner.submit(
            AuditRequest(kind="text", name="seed", data=SEED.encode()),
            lambda s, d, t: progress.append((s, d, t)),
        )
        result = fut.result(timeout=300)
        assert len(result["report"]["article"]["claims"]) > 10
        bad = runner.submit(AuditRequest(kind="url", name="u", url="/etc/passwd")).result(timeout=60)
        assert bad["error"]["code"] == "FA201"
        deadline = time.time() + 120
        while len(progress) < 8 and time.time() < deadline:
            time.sleep(0.05)
        assert [p[0] for p in progress][:2] == ["ingest", "segment"] and progress[-1][1] == progress[-1][2]
        assert runner.ready() == 1
    finally:
        runner.close()


def test_inline_runner_reports_errors_as_results(auditor: Auditor) -> None:
    runner = InlineRunner(auditor)
    try:
        res = runner.submit(AuditRequest(kind="text", name="empty", data=b"   ")).result(timeout=60)
        assert res["error"]["code"] == "FA101" and res["error"]["type"] == "EmptyInputError"
    finally:
        runner.close()


def test_export_file_names_and_media_types_come_from_the_one_format_registry(
    client: TestClient, seed_audit: dict[str, Any]
) -> None:
    from factaudit.batch import output_name
    from factaudit.report import REPORT_FORMATS

    aid = seed_audit["id"]
    for name, spec in REPORT_FORMATS.items():
        if name == "text":
            continue
        r = client.get(f"/api/audits/{aid}/export", params={"format": name})
        assert r.status_code == 200
        assert r.headers["content-disposition"].endswith(f'.{spec.extension}"')
        assert r.headers["content-type"].split(";")[0] == spec.media_type.split(";")[0]
        assert output_name("a/story.txt", name).endswith(f".{spec.extension}")


def test_deeply_nested_or_oversized_json_bodies_are_a_400(client: TestClient) -> None:
    def post(body: bytes) -> Any:
        return client.post("/api/audits", content=body, headers={"Content-Type": "application/json"})

    for body in (
        '{"text": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"text": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}",
        "[" * 100_000,
    ):
        err = assert_error(post(body.encode()), 400, "bad_json")
        assert "nested too deeply" in err["message"]
    err = assert_error(post(b'{"text": ' + b"9" * 5000 + b"}"), 400, "bad_json")
    assert "digits" in err["message"] and "sys.set_int" not in err["message"]
    # Nested, but within what parses: the usual 422 for a text that is not a string.
    assert_error(post(('{"text": ' + "[" * 200 + "]" * 200 + "}").encode()), 422, "invalid_request")
    assert client.get("/api/health").json()["status"] == "ok"
