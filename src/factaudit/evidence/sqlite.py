"""SQLite, the store's source of truth: the schema, refusing files that are not a store, connections
(writable in WAL mode; read-only without writing a byte), and the queries the store answers from it."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .layout import SQLITE_FILE, rebuild_hint

__all__ = [
    "SCHEMA",
    "SCHEMA_VERSION",
    "TABLES",
    "CorpusInfo",
    "PassageRecord",
    "check_sqlite_file",
    "connect_read_only",
    "connect_writable",
    "corpora",
    "corpus_names",
    "document_meta",
    "missing_tables",
    "now",
    "passages",
    "table_names",
]

#: Bumped on any incompatible change to the store layout.
SCHEMA_VERSION = 1
#: The tables every store has (:data:`SCHEMA`).
TABLES = ("meta", "corpora", "documents", "passages")
_SQLITE_HEADER = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corpora (
    name TEXT PRIMARY KEY, licence TEXT, source TEXT, attribution TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY, corpus TEXT NOT NULL, key TEXT NOT NULL, content_hash INTEGER NOT NULL,
    title TEXT, url TEXT, date TEXT, licence TEXT, meta TEXT, added_at TEXT NOT NULL,
    UNIQUE (corpus, key));
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, date TEXT,
    hash INTEGER NOT NULL UNIQUE);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
"""


@dataclass
class PassageRecord:
    """A stored passage joined with its document."""

    id: int
    doc_id: int
    text: str
    start: int
    end: int
    date: str | None
    corpus: str
    title: str | None
    url: str | None
    licence: str | None
    doc_key: str


@dataclass
class CorpusInfo:
    """One corpus (a pack or an indexed source) and how much of the store is its."""

    name: str
    documents: int
    passages: int
    licence: str | None = None
    source: str | None = None
    attribution: str | None = None
    updated_at: str | None = None


def check_sqlite_file(db: Path, hint: str, *, allow_empty: bool) -> None:
    """Refuse a file SQLite would silently treat as a new empty database (0 bytes) or that is not
    SQLite at all, before connecting."""
    try:
        with db.open("rb") as fh:
            head = fh.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {db}: {exc.strerror or exc}") from exc
    if not head:
        if allow_empty:
            return
        raise StoreError(f"{db} is empty (0 bytes): the evidence store is damaged; rebuild it with {hint}")
    if head != _SQLITE_HEADER:
        raise StoreError(
            f"{db} is not an SQLite database: the evidence store is damaged; rebuild it with {hint}"
        )


def table_names(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def missing_tables(db: Path, missing: list[str], hint: str) -> str:
    return (
        f"{db} has no {', '.join(missing)} table{'s' if len(missing) > 1 else ''}: it is not an "
        f"evidence store, or a damaged one; rebuild it with {hint}"
    )


def connect_read_only(db: Path) -> sqlite3.Connection:
    """A read-only connection that creates and writes no file next to the database.

    ``mode=ro`` alone makes SQLite create ``-wal`` and ``-shm`` files beside a WAL database (and
    fails where the folder is read-only). Without a ``-wal`` file no writer is connected and every
    commit is in the main file, so ``immutable=1`` reads it with no locks and no side files; that is
    safe only while no writer starts, which ``EvidenceStore.refresh()`` checks before each search (a
    rebuild swaps a new folder in by rename, leaving this connection on the old, unchanged file).
    With a ``-wal`` file present its pages may hold commits, so the connection shares it
    (``mode=ro``; SQLite reads a read-only ``-shm`` too)."""
    uri = "file:" + urllib.parse.quote(db.resolve().as_posix())
    wal = Path(f"{db}-wal")

    def connect(params: str) -> sqlite3.Connection:
        con = sqlite3.connect(uri + params, uri=True, isolation_level=None, check_same_thread=False)
        try:
            con.execute("PRAGMA query_only=1")
            con.execute("PRAGMA busy_timeout=10000")
            con.execute("PRAGMA cache_size=-65536")
            con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except BaseException:
            con.close()
            raise
        return con

    try:
        if wal.exists() or Path(f"{db}-shm").exists():
            try:
                return connect("?mode=ro")
            except sqlite3.OperationalError as exc:
                with contextlib.suppress(OSError):
                    if wal.stat().st_size:
                        raise StoreError(
                            f"{wal} holds changes not yet in {db.name} that cannot be read here ({exc}); "
                            f"make {db.parent} writable so SQLite can recover them, or rebuild the store"
                        ) from exc
        return connect("?mode=ro&immutable=1")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {db} ({exc}); rebuild it with {rebuild_hint(db.parent)}") from exc


def corpus_names(path: Path | str) -> list[str]:
    """Names of the corpora a store folder holds, read without opening it as an EvidenceStore
    (works for a store built with another embedder or schema); ``[]`` when unreadable."""
    db = Path(path).expanduser() / SQLITE_FILE
    if not db.is_file() or not db.stat().st_size:
        return []
    try:
        con = connect_read_only(db)
        try:
            return [r[0] for r in con.execute("SELECT name FROM corpora ORDER BY name")]
        finally:
            con.close()
    except (sqlite3.Error, StoreError):
        return []


def connect_writable(db: Path) -> sqlite3.Connection:
    """A connection for writing: WAL, foreign keys, a 10 s busy timeout, a 64 MiB page cache (large
    stores otherwise re-read the hash index from the OS per insert)."""
    try:
        con = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {db}: {exc}") from exc
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA busy_timeout=10000")
        con.execute("PRAGMA cache_size=-65536")
    except BaseException:
        con.close()
        raise
    return con


def corpora(con: sqlite3.Connection) -> list[CorpusInfo]:
    """What the store holds, per corpus (pack or indexed source)."""
    rows = con.execute(
        "SELECT c.name, c.licence, c.source, c.attribution, c.updated_at, "
        "(SELECT COUNT(*) FROM documents d WHERE d.corpus = c.name), "
        "(SELECT COUNT(*) FROM passages p JOIN documents d ON p.doc_id = d.id WHERE d.corpus = c.name) "
        "FROM corpora c ORDER BY c.name"
    ).fetchall()
    return [
        CorpusInfo(
            name=r[0],
            licence=r[1],
            source=r[2],
            attribution=r[3],
            updated_at=r[4],
            documents=r[5],
            passages=r[6],
        )
        for r in rows
    ]


def passages(con: sqlite3.Connection, ids: Sequence[int]) -> dict[int, PassageRecord]:
    """Passages by id, joined with their documents (ids that are not committed are absent)."""
    out: dict[int, PassageRecord] = {}
    ids = [int(i) for i in ids]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = con.execute(
            f'SELECT p.id, p.doc_id, p.text, p.start, p."end", COALESCE(p.date, d.date), d.corpus, '
            f"d.title, d.url, d.licence, d.key FROM passages p JOIN documents d ON p.doc_id = d.id "
            f"WHERE p.id IN ({marks})",
            chunk,
        ).fetchall()
        for r in rows:
            out[r[0]] = PassageRecord(*r)
    return out


def document_meta(con: sqlite3.Connection, doc_id: int) -> dict[str, Any]:
    """The reader's metadata of one document (``{}`` when it has none)."""
    row = con.execute("SELECT meta FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def now() -> str:
    """The current UTC time as stored (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
