"""Batch runs streamed into a database (SQLite, and a real PostgreSQL the tests start), on the local
pool and on Ray; a run killed with SIGKILL resumes without duplicates (folder and databases); the
CLI's ``--database`` and its errors (unreachable, wrong password: one line, exit 9, no password)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from factaudit.batch import BatchItem, batch_name, run_batch
from factaudit.cli import main
from factaudit.config import Settings
from factaudit.web.storage import SQLStore, open_store

from .helpers import ROOT, kill_and_outlive
from .postgres import TempPostgres, unavailable_reason

NO_VERIFY = Settings(verify=False)
PG_MISSING = unavailable_reason()
needs_pg = pytest.mark.skipif(PG_MISSING is not None, reason=PG_MISSING or "")


@pytest.fixture(scope="module")
def pg() -> Iterator[TempPostgres]:
    if PG_MISSING is not None:
        pytest.skip(PG_MISSING)
    with TempPostgres() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_pg)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audits.sqlite3'}"
    url: str = request.getfixturevalue("pg").new_database()
    return url


@pytest.fixture
def server_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The scale-out tests' database: PostgreSQL, or SQLite where no server can be started."""
    if PG_MISSING is not None:
        return f"sqlite:///{tmp_path / 'audits.sqlite3'}"
    url: str = request.getfixturevalue("pg").new_database()
    return url


def _items() -> list[BatchItem]:
    return [
        BatchItem(id="a", text="The council said it would build schools.", meta={"outlet": "Gazette"}),
        BatchItem(id="bad", error="line 2 is not a JSON object"),
        BatchItem(id="b", text="The Bank of England said rates would rise.", meta={"date": "2024-01-02"}),
        BatchItem(id="c", text="Officials said the plant would serve 40,000 homes."),
    ]


def test_a_batch_streams_into_the_database_and_a_rerun_stores_nothing_twice(database: str) -> None:
    store: SQLStore = open_store(database)
    try:
        first = run_batch(_items(), None, store=store, batch="run1", jobs=2, settings=NO_VERIFY)
        assert (first.done, first.errors, first.skipped_done) == (3, 1, 0)
        items = store.batch_items("run1")
        assert {k: v.status for k, v in items.items()} == {"a": "ok", "b": "ok", "c": "ok", "bad": "error"}
        assert items["bad"].error == "line 2 is not a JSON object" and items["a"].counts["assertions"] >= 1
        again = run_batch(_items(), None, store=store, batch="run1", jobs=2, settings=NO_VERIFY)
        assert (again.done, again.errors, again.skipped_done) == (0, 0, 4)
        retry = run_batch(_items(), None, store=store, batch="run1", retry_errors=True, settings=NO_VERIFY)
        assert (retry.done, retry.errors, retry.skipped_done) == (0, 1, 3)
        # A database run always resumes: what is stored stays, once.
        fresh = run_batch(_items(), None, store=store, batch="run1", resume=False, settings=NO_VERIFY)
        assert (fresh.done, fresh.errors, fresh.skipped_done) == (0, 0, 4)
        assert store.list_audits()[1] == 3
        reports = {r.article.source: r for r in store.iter_reports(batch="run1")}
        assert sorted(reports) == ["a", "b", "c"]
        assert reports["a"].article.meta["outlet"] == "Gazette"
        assert reports["b"].article.meta["date"] == "2024-01-02"
        summaries = {s.title: s for s in store.list_audits()[0]}
        assert any(s.outlet == "Gazette" for s in summaries.values())
        assert any(s.article_date == "2024-01-02" for s in summaries.values())
        # Another run (other sources) is kept apart.
        other = run_batch(_items()[:1], None, store=store, batch="run2", settings=NO_VERIFY)
        assert other.done == 1 and len(list(store.iter_reports(batch="run2"))) == 1
        assert store.list_audits()[1] == 4
    finally:
        store.close()


@pytest.mark.slow
def test_ray_workers_load_the_models_once_and_stream_into_the_database(server_database: str) -> None:
    ray = pytest.importorskip("ray")
    items = [BatchItem(id=f"s{i}", text=f"The council of town {i} said it would build {i + 2} schools.")
             for i in range(6)]
    seen: list[int | None] = []
    store: SQLStore = open_store(server_database)
    try:
        summary = run_batch(
            items, None, store=store, batch="ray", engine="ray", jobs=2, settings=NO_VERIFY,
            on_result=lambda r: seen.append(r.worker),
        )
    finally:
        ray.shutdown()
    try:
        assert summary.done == 6 and len(store.batch_items("ray")) == 6
        assert len(set(seen)) <= 2 and os.getpid() not in seen  # two actors did all the work
        sources = sorted(r.article.source for r in store.iter_reports(batch="ray"))
        assert sources == sorted(i.id for i in items)
    finally:
        store.close()


def test_batch_names_follow_the_sources(tmp_path: Path) -> None:
    assert batch_name(["docs", "x.jsonl"]) == batch_name([str(Path("docs").resolve()), "x.jsonl"])
    assert batch_name(["docs"]) != batch_name(["other"])
    assert batch_name(["https://a.example/x"]) != batch_name(["https://a.example/y"])


# --- a killed run resumes --------------------------------------------------------------------------


def _done(target: str, out: Path) -> int:
    if target == "folder":
        manifest = out / "manifest.jsonl"
        return len(manifest.read_text().splitlines()) if manifest.exists() else 0
    try:
        store = open_store(target)
    except Exception:
        return 0
    try:
        return sum(len(store.batch_items(b)) for b in _batches(store))
    finally:
        store.close()


def _batches(store: SQLStore) -> list[str]:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT DISTINCT batch FROM batch_items"))]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["folder", "database"])
def test_a_run_killed_mid_way_resumes_without_duplicates(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"a{i}.txt").write_text(f"Story {i}\n\nThe council of town {i} said it would build schools.")
    # The last item is a FIFO nobody writes to: the run blocks on it until it is killed.
    stuck = tmp_path / "zz-stuck.txt"
    os.mkfifo(stuck)
    out = tmp_path / "out"
    if kind == "folder":
        target, where = "folder", ["-o", str(out)]
    else:
        target = request.getfixturevalue("server_database")
        where = ["--database", target]
    cmd = [sys.executable, "-m", "factaudit", "audit", str(docs), str(stuck), *where,
           "-j", "1", "-q", "--no-verify", "-f", "json"]
    log = (tmp_path / "stderr.txt").open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 240
        while _done(target, out) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
        assert _done(target, out) == 3
        assert not kill_and_outlive(proc, set())
    finally:
        log.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stuck.unlink()
    stuck.write_text("Late story\n\nThe mayor said the bridge would reopen in June.")
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids = [str(p) for p in sorted(docs.glob("*.txt"))] + [str(stuck)]
    if target == "folder":
        recs = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines() if x.strip()]
        assert sorted(r["id"] for r in recs) == sorted(ids)  # each once
        assert len(list(out.glob("*.json"))) == 4
        return
    store = open_store(target)
    try:
        (batch,) = _batches(store)
        assert sorted(store.batch_items(batch)) == sorted(ids)
        assert store.list_audits()[1] == 4
        sources = sorted(r.article.source for r in store.iter_reports(batch=batch))
        assert len(sources) == 4 and len(set(sources)) == 4
    finally:
        store.close()


# --- the CLI -----------------------------------------------------------------------------------------


def test_cli_database_option_stores_single_audits_and_batches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Rates rise\n\nThe Bank of England said rates would rise to 5%.", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    assert main(["audit", str(art), "--no-verify", "-f", "json", "--database", db]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["article"]["title"] == "Rates rise"
    assert "stored audit " in captured.err and "web.sqlite3" in captured.err
    jl = tmp_path / "n.jsonl"
    jl.write_text(json.dumps({"id": "n1", "text": "The council said it would build schools.",
                              "outlet": "Gazette", "date": "2024-02-03"}) + "\n", encoding="utf-8")
    assert main(["audit", str(jl), "--no-verify", "-q", "--database", db]) == 0
    assert main(["audit", str(jl), "--no-verify", "--database", db]) == 0  # resumes: nothing new
    assert "1 already done" in capsys.readouterr().err
    store = open_store(db)
    try:
        items, total = store.list_audits()
        assert total == 2 and {i.outlet for i in items} == {None, "Gazette"}
    finally:
        store.close()
    assert main(["audit", str(jl), "--database", db, "-o", str(tmp_path / "out")]) == 3
    assert "choose one" in capsys.readouterr().err


@needs_pg
def test_cli_unreachable_database_and_wrong_password_exit_9_in_one_line(
    pg: TempPostgres, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = tmp_path / "a.txt"
    art.write_text("The Bank of England said rates would rise to 5%.", encoding="utf-8")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for url, says in [
        (f"postgresql://ada:topsecret-pw@127.0.0.1:{port}/news", "Connection refused"),
        (pg.url_for("postgres", password="topsecret-pw"), "password authentication failed"),
    ]:
        for args in (["audit", str(art), "--no-verify"], ["audit", str(tmp_path), "--no-verify", "-q"]):
            assert main([*args, "--database", url]) == 9
            err = capsys.readouterr().err.strip()
            assert err.startswith("error[FA501]: cannot connect to postgresql://") and says in err, err
            assert "topsecret-pw" not in err and len(err.splitlines()) == 1 and "Traceback" not in err
