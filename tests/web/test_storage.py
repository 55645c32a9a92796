"""The audit store on both backends: SQLite (always) and a real PostgreSQL the tests start themselves
(Debian's server binaries, see tests/postgres.py; skipped with the reason when there are none).

Everything here runs against each backend: audits, search, reviews and their versions, jobs,
tokens, batch items, iter_reports, the migrations (from a store written before the migration
table), and the errors for a database that cannot be reached or refuses the credentials.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factaudit.document import Article, Claim, Report
from factaudit.errors import DatabaseConnectionError, ReviewConflictError, StoreError
from factaudit.report import build_report
from factaudit.report.json_report import to_json_dict
from factaudit.web.storage import (
    SCHEMA_VERSION,
    BatchItemRecord,
    JobRecord,
    PostgresStore,
    ReviewRecord,
    SQLiteStore,
    SQLStore,
    TokenRecord,
    now_iso,
    open_store,
    record_from_report,
    redact_url,
)
from factaudit.web.storage.migrations import MIGRATIONS

from ..postgres import TempPostgres, unavailable_reason

PG_MISSING = unavailable_reason()
needs_pg = pytest.mark.skipif(PG_MISSING is not None, reason=PG_MISSING or "")


@pytest.fixture(scope="module")
def pg() -> Iterator[TempPostgres]:
    if PG_MISSING is not None:
        pytest.skip(PG_MISSING)
    with TempPostgres() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_pg)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLStore]:
    if request.param == "sqlite":
        s: SQLStore = open_store(tmp_path / "audits.sqlite3")
    else:
        s = open_store(request.getfixturevalue("pg").new_database())
    try:
        yield s
    finally:
        s.close()


def make_report(
    title: str, text: str, *, claims: int = 2, meta: dict[str, Any] | None = None
) -> dict[str, Any]:
    art = Article(source=f"{title}.txt", text=text, title=title, meta=dict(meta or {}))
    for i in range(claims):
        art.claims.append(Claim(id=f"c{i + 1}", assertion_id=f"a{i + 1}", text=f"claim {i}", start=0, end=5))
    return to_json_dict(build_report(art))


def add(store: SQLStore, title: str, text: str = "Some article text.", **kw: Any) -> str:
    record = record_from_report(make_report(title, text, **kw), source=f"{title}.txt", input_kind="text")
    store.add_audit(record)
    return record.id


def review(audit_id: str, claim_id: str, reviewer: str, *, approved: bool = False) -> ReviewRecord:
    return ReviewRecord(audit_id, claim_id, reviewer, now_iso(), label="REFUTED", approved=approved)


# ------------------------------------------------------------------------------------------ audits


def test_audits_round_trip_search_and_newest_first(store: SQLStore) -> None:
    meta = {"url": "https://news.example/a", "date": "2024-05-01", "outlet": "Example News"}
    first = add(store, "Tesla opens 100% new plant", "Tesla opened a plant_in Berlin.", meta=meta)
    second = add(store, "Council budget", "The council approved a budget.")
    rec = store.get_audit(first)
    assert rec is not None and rec.report["article"]["title"] == "Tesla opens 100% new plant"
    assert (rec.url, rec.article_date, rec.outlet) == (meta["url"], "2024-05-01", "Example News")
    assert rec.claims == 2 and rec.approved == 0
    assert store.get_audit("nope") is None
    items, total = store.list_audits()
    assert total == 2 and [i.id for i in items] == [second, first]  # same second: insertion order
    # Every word must match; LIKE wildcards in the query are literal.
    assert [i.id for i in store.list_audits("tesla BERLIN")[0]] == [first]
    assert store.list_audits("100%")[1] == 1 and store.list_audits("100% council")[1] == 0
    assert store.list_audits("plant_in")[1] == 1 and store.list_audits("plant%in")[1] == 0
    assert [i.id for i in store.list_audits(limit=1, offset=1)[0]] == [first]


def test_iter_reports_streams_every_report_and_a_batchs_own(store: SQLStore) -> None:
    ids = [add(store, f"Story {i}", f"Story number {i} text.") for i in range(105)]  # > one page
    reports = list(store.iter_reports())
    assert len(reports) == 105 and all(isinstance(r, Report) for r in reports)
    assert [r.article.title for r in reports] == [f"Story {i}" for i in range(105)]  # oldest first
    assert list(store.iter_reports(batch="no-such-batch")) == []
    record = record_from_report(make_report("Batch one", "Batch text."), source="b.txt", input_kind="file")
    item = BatchItemRecord(batch="b1", item_id="b.txt", status="ok", finished_at=now_iso())
    assert store.add_batch_result(item, record)
    assert [r.article.title for r in store.iter_reports(batch="b1")] == ["Batch one"]
    assert len(ids) == 105 and sum(1 for _ in store.iter_reports()) == 106


# ------------------------------------------------------------------------------------------ reviews


def test_reviews_are_append_only_with_versions(store: SQLStore) -> None:
    aid = add(store, "Reviewed")
    s1 = store.add_review(review(aid, "c1", "ada"))
    s2 = store.add_review(review(aid, "c1", "bob", approved=True))
    s3 = store.add_review(review(aid, "c2", "ada", approved=True))
    assert s1 < s2 < s3
    assert [r.reviewer for r in store.review_history(aid, "c1")] == ["ada", "bob"]
    current = store.current_reviews(aid)
    assert {k: (v.reviewer, v.seq) for k, v in current.items()} == {"c1": ("bob", s2), "c2": ("ada", s3)}
    rec = store.get_audit(aid)
    assert rec is not None and rec.approved == 2
    assert store.list_audits()[0][0].approved == 2
    store.add_review(review(aid, "c2", "cy", approved=False))  # the latest counts
    assert store.list_audits()[0][0].approved == 1
    # A review based on the version the reviewer saw: a stale one is refused, nothing stored.
    with pytest.raises(ReviewConflictError) as err:
        store.add_review(review(aid, "c1", "dee"), expected_seq=s1)
    assert err.value.code == "FA502" and "reload" in err.value.message
    assert store.add_review(review(aid, "c1", "dee"), expected_seq=s2) > s2
    with pytest.raises(ReviewConflictError):
        store.add_review(review(aid, "c3", "eve"), expected_seq=s2)  # c3 has no review yet
    assert store.add_review(review(aid, "c3", "eve"), expected_seq=None)
    assert [r.reviewer for r in store.review_history(aid, "c1")] == ["ada", "bob", "dee"]
    with pytest.raises(StoreError):
        store.add_review(review("missing", "c1", "ada"))


def test_concurrent_reviewers_of_one_version_exactly_one_wins(store: SQLStore) -> None:
    aid = add(store, "Contested")
    base = store.add_review(review(aid, "c1", "first"))
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(12)

    def reviewer(n: int) -> None:
        barrier.wait()
        try:
            store.add_review(review(aid, "c1", f"r{n}"), expected_seq=base)
            result = "stored"
        except ReviewConflictError:
            result = "conflict"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 11 + ["stored"]
    assert len(store.review_history(aid, "c1")) == 2


# ------------------------------------------------------------------------------------------ jobs, tokens


def test_jobs_and_tokens(store: SQLStore) -> None:
    now = now_iso()
    store.add_job(JobRecord("j1", "queued", now, now, "big.txt", "file"))
    store.add_job(JobRecord("j2", "done", now, now, "small.txt", "file"))
    store.update_job("j1", status="running", progress=0.5, stage="segment")
    job = store.get_job("j1")
    assert job is not None and (job.status, job.progress, job.stage) == ("running", 0.5, "segment")
    with pytest.raises(ValueError):
        store.update_job("j1", nonsense=1)
    assert store.fail_unfinished_jobs("server stopped") == 1
    job = store.get_job("j1")
    assert job is not None and job.status == "error" and job.error_message == "server stopped"
    assert store.get_job("nope") is None
    store.add_token(TokenRecord("t1", "ci", "salt", "hash", now, params="scrypt"))
    with pytest.raises(StoreError, match="already exists"):
        store.add_token(TokenRecord("t2", "ci", "salt", "hash", now))
    assert [t.name for t in store.list_tokens()] == ["ci"]
    token = store.get_token("t1")
    assert token is not None and token.params == "scrypt" and not token.revoked
    assert store.revoke_token("ci") == 1 and store.revoke_token("ci") == 0
    assert store.get_token("t1") is None and store.list_tokens() == []


# ------------------------------------------------------------------------------------------ batch items


def test_batch_items_are_stored_once(store: SQLStore) -> None:
    def result(status: str = "ok") -> tuple[BatchItemRecord, Any]:
        rec = record_from_report(make_report("A", "Text A."), source="a.txt", input_kind="file")
        item = BatchItemRecord("run", "a.txt", status, now_iso(), source="a.txt", counts={"claims": 2})
        return item, rec if status == "ok" else None

    assert store.add_batch_result(*result("error"))
    assert store.batch_items("run")["a.txt"].status == "error"
    assert store.add_batch_result(*result())  # a retry replaces the error record
    assert not store.add_batch_result(*result())  # done: a second copy is refused
    items = store.batch_items("run")
    assert list(items) == ["a.txt"] and items["a.txt"].counts == {"claims": 2}
    assert store.list_audits()[1] == 1
    # Racing writers of one item: one stores it, the others are told it is there.
    barrier = threading.Barrier(8)
    got: list[bool] = []

    def writer() -> None:
        item, rec = result()
        item.item_id = "b.txt"
        barrier.wait()
        got.append(store.add_batch_result(item, rec))

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == [False] * 7 + [True]
    assert store.list_audits()[1] == 2 and set(store.batch_items("run")) == {"a.txt", "b.txt"}


# ------------------------------------------------------------------------------------------ migrations


V1_SCHEMA = MIGRATIONS[0].sqlite


def test_a_store_from_before_the_migration_table_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for stmt in V1_SCHEMA:
        conn.execute(stmt)
    conn.execute(
        "INSERT INTO audits (id, created_at, title, source, input_kind, chars, claims, findings, search,"
        " report) VALUES ('old1', '2026-01-01T00:00:00+00:00', 'Old', 'old.txt', 'text', 9, 2, 0, 'old',"
        " ?)",
        (__import__("json").dumps(make_report("Old", "Old text.")),),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    try:
        rec = store.get_audit("old1")
        assert rec is not None and rec.title == "Old" and rec.outlet is None
        assert [r.article.title for r in store.iter_reports()] == ["Old"]
    finally:
        store.close()
    conn = sqlite3.connect(path)
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m.version for m in MIGRATIONS] and versions[-1] == SCHEMA_VERSION
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    cols = {r[1] for r in conn.execute("PRAGMA table_info(audits)")}
    assert {"url", "article_date", "outlet"} <= cols
    conn.close()
    SQLiteStore(path).close()  # opening again applies nothing and keeps the data
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == 2


def test_a_store_from_a_newer_factaudit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer factaudit"):
        SQLiteStore(path)
    path2 = tmp_path / "newer.sqlite3"
    SQLiteStore(path2).close()
    conn = sqlite3.connect(path2)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"schema 99; this one knows up to"):
        SQLiteStore(path2)


@needs_pg
def test_postgres_migrations_are_recorded_and_a_newer_schema_refused(pg: TempPostgres) -> None:
    import psycopg

    url = pg.new_database()
    open_store(url).close()
    open_store(url).close()  # twice: nothing applied again
    with psycopg.connect(url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == [m.version for m in MIGRATIONS]
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')")
    with pytest.raises(StoreError, match="schema 99"):
        open_store(url)


@needs_pg
def test_servers_starting_together_migrate_once(pg: TempPostgres) -> None:
    url = pg.new_database()
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def start() -> None:
        barrier.wait()
        try:
            open_store(url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    import psycopg

    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone() == (len(MIGRATIONS),)


# ------------------------------------------------------------------------------------------ bad URLs


def test_database_urls_pick_the_backend_and_bad_ones_say_why(tmp_path: Path) -> None:
    s = open_store(f"sqlite:///{tmp_path / 'via-url.sqlite3'}")
    assert isinstance(s, SQLiteStore) and s.path == tmp_path / "via-url.sqlite3"
    s.close()
    for bad, says in [
        ("mysql://u:p@localhost/db", "unsupported database mysql://"),
        ("sqlite://", "names a file"),
    ]:
        with pytest.raises(StoreError, match=says):
            open_store(bad)
    (tmp_path / "a-file.txt").write_text("x")
    with pytest.raises(StoreError, match="cannot open the audit store"):
        open_store(tmp_path / "a-file.txt" / "below-a-file.sqlite3")  # its folder is a file
    (tmp_path / "junk.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"cannot open the audit store .*junk\.sqlite3"):
        open_store(tmp_path / "junk.sqlite3")
    assert redact_url("postgresql://ada:s3cret@db.example:5432/news") == "postgresql://ada:***@db.example:5432/news"


@needs_pg
def test_unreachable_server_and_wrong_password_are_one_line_errors_without_the_password(
    pg: TempPostgres,
) -> None:
    with socket_closed_port() as port:
        url = f"postgresql://ada:hunter2-secret@127.0.0.1:{port}/news"
        with pytest.raises(DatabaseConnectionError) as err:
            PostgresStore(url, connect_timeout=3)
    msg = str(err.value)
    assert err.value.code == "FA501" and err.value.exit_code == 9
    assert "hunter2-secret" not in msg and "ada:***@127.0.0.1" in msg and "\n" not in msg
    bad = pg.url_for("postgres", password="not-the-password")
    with pytest.raises(DatabaseConnectionError) as err:
        open_store(bad)
    msg = str(err.value)
    assert "password authentication failed" in msg and "not-the-password" not in msg and "\n" not in msg


class socket_closed_port:
    """A loopback port nothing listens on (bound, then closed)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port: int = s.getsockname()[1]
        return self.port

    def __exit__(self, *exc: object) -> None:
        pass
