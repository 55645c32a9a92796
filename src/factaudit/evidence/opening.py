"""Opening a store folder, and refusing a damaged one.

Writable opens (``factaudit index``) create the schema and metadata of a new store, and refuse a store
with passages whose BM25 folder or vector file is gone, so nothing is ever appended to a half store.
Read-only opens (audits) write nothing into the folder; they refuse what cannot be searched (a 0-byte
or non-SQLite ``evidence.sqlite``, missing tables or metadata, neither index usable) with a
``StoreError`` naming the file and how to rebuild, and let retrieval go on where one index is missing,
unreadable or short of passages, with a warning that says so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StoreError
from . import bm25, vectors
from .embed import Embedder
from .layout import BM25_DIR, SQLITE_FILE, VECTORS_FILE, rebuild_hint
from .sqlite import (
    SCHEMA,
    SCHEMA_VERSION,
    TABLES,
    check_sqlite_file,
    connect_read_only,
    connect_writable,
    missing_tables,
    now,
    table_names,
)

__all__ = ["ReadOnlyOpen", "check_meta", "disk_stamp", "open_read_only", "open_writable"]


def _no_store(path: Path) -> StoreError:
    return StoreError(
        f"no evidence store at {path}: build one with "
        "'factaudit index SOURCE... --store PATH' (or 'factaudit index --pack all')"
    )


def check_meta(path: Path, meta: dict[str, str], embedder: Embedder) -> None:
    """Refuse a store of another schema version, or built with another embedder than ``embedder``
    (its vectors would not be comparable with the queries')."""
    version = meta.get("schema_version")
    if version != str(SCHEMA_VERSION):
        raise StoreError(
            f"store at {path} has schema version {version}, this factaudit reads "
            f"{SCHEMA_VERSION}; rebuild with 'factaudit index --rebuild'"
        )
    info = embedder.info()
    if meta.get("embedder_name") != info.name or meta.get("embedder_sha256") != (info.sha256 or ""):
        raise StoreError(
            f"store at {path} was built with embedder {meta.get('embedder_name')} "
            f"(sha256 {str(meta.get('embedder_sha256'))[:12]}…) but this factaudit uses {info.name} "
            f"(sha256 {(info.sha256 or '')[:12]}…); rebuild with 'factaudit index --rebuild'"
        )


def open_writable(path: Path, create: bool, get_embedder: Callable[[], Embedder]) -> sqlite3.Connection:
    """The store's SQLite connection for writing (the folder and a new store's schema and metadata
    made when ``create``); see the module docstring for what is refused. The embedder is loaded only
    once there is a store to check it against."""
    db = path / SQLITE_FILE
    hint = rebuild_hint(path)
    if not db.is_file():
        if not create:
            raise _no_store(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create an evidence store at {path}: {exc.strerror}") from exc
    else:
        # a 0-byte file is a fresh store only when nothing was ever indexed next to it
        fresh = create and not (path / BM25_DIR).exists() and not (path / VECTORS_FILE).exists()
        check_sqlite_file(db, hint, allow_empty=fresh)
    con: sqlite3.Connection | None = None
    try:
        con = connect_writable(db)
        tables = table_names(con)
        missing = [t for t in TABLES if t not in tables]
        if tables and missing:
            raise StoreError(missing_tables(db, missing, hint))
        con.executescript(SCHEMA)
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        embedder = get_embedder()
        if not meta:
            info = embedder.info()
            values = {
                "schema_version": str(SCHEMA_VERSION),
                "embedder_name": info.name,
                "embedder_version": info.version,
                "embedder_sha256": info.sha256 or "",
                "dim": str(embedder.dim),
                "next_passage_id": "1",
                "created_at": now(),
            }
            con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())
        else:
            check_meta(path, meta, embedder)
            _check_indexes_exist(path, con, hint)
    except sqlite3.DatabaseError as exc:
        if con is not None:
            con.close()
        if "readonly" in str(exc):
            raise StoreError(
                f"cannot write the evidence store {path}: it is read-only ({exc}); audits only "
                "read it, but adding to it needs write access"
            ) from exc
        raise StoreError(
            f"{db} is not a readable evidence store ({exc}); rebuild it with 'factaudit index --rebuild'"
        ) from exc
    except BaseException:
        if con is not None:
            con.close()
        raise
    return con


def _check_indexes_exist(path: Path, con: sqlite3.Connection, hint: str) -> None:
    """Refuse to write to a store with passages whose BM25 folder or vector file is gone: new
    passages would be indexed, the old ones never again."""
    passages = int(con.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
    if not passages:
        return
    gone = [
        what
        for what, there in (
            (f"the BM25 index {path / BM25_DIR}", (path / BM25_DIR / "meta.json").is_file()),
            (f"the vector index {path / VECTORS_FILE}", (path / VECTORS_FILE).is_file()),
        )
        if not there
    ]
    if gone:
        raise StoreError(
            f"{' and '.join(gone)} {'is' if len(gone) == 1 else 'are'} missing but {path / SQLITE_FILE} "
            f"holds {passages:,} passages: the store is damaged; rebuild it with {hint}"
        )


@dataclass
class ReadOnlyOpen:
    """One generation of a store opened for search: the connection, what is usable of each index
    (``None``: unusable), and what the warnings say about the rest."""

    con: sqlite3.Connection
    bm25: Any
    vectors: Any
    stamp: tuple[Any, ...]
    warnings: list[str] = field(default_factory=list)
    #: True when a warning is about a damaged index (not just an empty store).
    degraded: bool = False


def open_read_only(path: Path, get_embedder: Callable[[], Embedder]) -> ReadOnlyOpen:
    """Open for search only, writing nothing (see the module docstring for what is refused)."""
    db = path / SQLITE_FILE
    hint = rebuild_hint(path)
    stamp = disk_stamp(path)
    if not db.is_file():
        raise _no_store(path)
    check_sqlite_file(db, hint, allow_empty=False)
    con = connect_read_only(db)
    try:
        tables = table_names(con)
        missing = [t for t in TABLES if t not in tables]
        if missing:
            raise StoreError(missing_tables(db, missing, hint))
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        if not meta:
            raise StoreError(f"{db} holds no store metadata: the store is damaged; rebuild it with {hint}")
        passages = int(con.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
        embedder = get_embedder()
        check_meta(path, meta, embedder)
    except sqlite3.DatabaseError as exc:
        con.close()
        raise StoreError(f"{db} is not a readable evidence store ({exc}); rebuild it with {hint}") from exc
    except BaseException:
        con.close()
        raise
    bm25_index, bm25_problem = bm25.open_read_only(path / BM25_DIR)
    vector_index, vectors_problem = vectors.open_read_only(path / VECTORS_FILE, embedder.dim)
    warnings: list[str] = []
    if not passages:
        warnings.append(
            f"the evidence store {path} holds no passages; add some with "
            f"'factaudit index SOURCE... --store {path}'"
        )
    elif bm25_index is None and vector_index is None:
        con.close()
        raise StoreError(
            f"{bm25_problem} and {vectors_problem}: the store cannot be searched; rebuild it with {hint}"
        )
    else:
        again = f"rebuild the store with {hint}"
        if bm25_index is None:
            warnings.append(f"BM25 search off: {bm25_problem}; searched the vectors only ({again})")
        elif (n := int(bm25_index.searcher().num_docs)) < passages:
            warnings.append(
                f"the BM25 index {path / BM25_DIR} holds {n:,} of the {passages:,} passages "
                f"in {db}: some evidence cannot be found by its words ({again})"
            )
        if vector_index is None:
            warnings.append(f"dense search off: {vectors_problem}; searched with BM25 only ({again})")
        elif (n := len(vector_index)) < passages:
            warnings.append(
                f"the vector index {path / VECTORS_FILE} holds {n:,} vectors for the "
                f"{passages:,} passages in {db}: some evidence cannot be found by meaning ({again})"
            )
    return ReadOnlyOpen(
        con, bm25_index, vector_index, stamp, warnings, degraded=bool(passages) and bool(warnings)
    )


def disk_stamp(path: Path) -> tuple[Any, ...]:
    """What ``EvidenceStore.refresh()`` compares: the identity of each file (a rebuild swaps the
    folder in, an in-place write rewrites them), and whether a ``-wal`` file shows a writer."""
    out: list[Any] = []
    for name in (SQLITE_FILE, f"{BM25_DIR}/meta.json", VECTORS_FILE):
        try:
            st = (path / name).stat()
        except OSError:
            out.append(None)
        else:
            out.append((st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size))
    out.append((path / (SQLITE_FILE + "-wal")).exists())
    return tuple(out)
