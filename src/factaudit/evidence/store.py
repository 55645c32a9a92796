"""The evidence store: documents and passages in SQLite, a tantivy BM25 index, an HNSW vector index.

A store is a folder::

    evidence.sqlite   documents, passages, corpora, meta (WAL); the source of truth
    bm25/             tantivy index over passage text + document title (English stemming)
    vectors.usearch   usearch HNSW index, cosine, float16 (half of float32's memory, same recall);
                      memory-mapped for search; exact search below EXACT_SEARCH_MAX vectors

:class:`EvidenceStore` is the one object the rest of factaudit uses; its parts live beside it:

* :mod:`.passages` — :class:`SourceDocument`, sentence and passage splitting, content hashes;
* :mod:`.sqlite` — the schema, connections (a read-only one writes no byte), the queries;
* :mod:`.bm25` and :mod:`.vectors` — the two indexes;
* :mod:`.writer` — what one ``add_documents`` call writes before it commits;
* :mod:`.opening` — opening a folder writable or read-only, and refusing a damaged one;
* :mod:`.layout` — the folder's file names, the default location, finishing an interrupted swap.

The ``meta`` table records the schema version and the embedder's name and sha256: opening a
store with another embedder raises ``StoreError`` (rebuild with ``factaudit index --rebuild``).

Audits open a store with ``read_only=True``, which writes nothing into its folder, so a store whose
folder and files are read-only works: SQLite through a ``mode=ro`` URI (plus ``immutable=1``
while no ``-wal`` file shows a writer, see :func:`.sqlite.connect_read_only`), no schema, no PRAGMA
journal_mode, no mkdir; tantivy opened from a private folder of links to its files (its reader
takes a lock file in the folder it opens); the vectors memory-mapped. A damaged store is refused with a
``StoreError`` naming the file and how to rebuild; where one index is missing, unreadable or holds
fewer passages than SQLite, retrieval goes on with what is there and ``EvidenceStore.warnings``
says so (the verify stage reports each one in the article's skipped list). A writable open of a
store with passages but a missing index is refused too, so ``factaudit index`` never appends to a
half store.

``rebuild_store`` swaps a finished build in with renames; one cut short between them is completed
(or undone) by the next open, see :func:`.layout.recover_interrupted_rebuild`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EmptyInputError, FactauditError, StoreError
from . import bm25, opening
from . import sqlite as db
from . import vectors as vec
from .embed import Embedder, load_embedder
from .layout import (
    BM25_DIR,
    SQLITE_FILE,
    STORE_ENV,
    VECTORS_FILE,
    default_store_path,
    recover_interrupted_rebuild,
)
from .passages import (
    MAX_PASSAGE_CHARS,
    MAX_PASSAGE_SENTENCES,
    MIN_PASSAGE_CHARS,
    Segment,
    SourceDocument,
    sentence_spans,
    split_passages,
)
from .sqlite import SCHEMA_VERSION, CorpusInfo, PassageRecord, corpus_names
from .vectors import EXACT_SEARCH_MAX
from .writer import AddProgress, AddStats, AddTransaction, ProgressCallback

# Names other modules import from here (the store was one module before it was split).
__all__ = [
    "BM25_DIR",
    "EXACT_SEARCH_MAX",
    "MAX_PASSAGE_CHARS",
    "MAX_PASSAGE_SENTENCES",
    "MIN_PASSAGE_CHARS",
    "SCHEMA_VERSION",
    "SQLITE_FILE",
    "STORE_ENV",
    "VECTORS_FILE",
    "AddProgress",
    "AddStats",
    "CorpusInfo",
    "EvidenceStore",
    "PassageRecord",
    "ProgressCallback",
    "Segment",
    "SourceDocument",
    "corpus_names",
    "default_store_path",
    "rebuild_store",
    "recover_interrupted_rebuild",
    "sentence_spans",
    "split_passages",
]


class EvidenceStore:
    """An evidence store folder (see the module docstring). Use as a context manager or ``close()``.

    ``EvidenceStore(path)`` opens an existing store (``StoreError`` when there is none or it is
    damaged); ``create=True`` makes an empty one if needed; ``read_only=True`` opens it for search
    only, writing nothing (what audits use). ``embedder`` defaults to :func:`load_embedder`.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        create: bool = False,
        embedder: Embedder | None = None,
        read_only: bool = False,
    ) -> None:
        if create and read_only:
            raise ValueError("a store opened read-only cannot be created")
        self.path = Path(path).expanduser()
        self.read_only = read_only
        #: Read-only opens: what is wrong with the store that still lets retrieval go on (one index
        #: missing, unreadable or short of passages; no passages at all), one line each.
        self.warnings: list[str] = []
        #: True when a warning is about a damaged index (not just an empty store).
        self.degraded = False
        self._embedder = embedder
        self._lock = threading.RLock()
        self._bm25: Any = None
        self._vectors: Any = None
        self._vectors_mtime: float | None = None
        self._stamp: tuple[Any, ...] = ()
        recover_interrupted_rebuild(self.path)
        if read_only:
            self._open_read_only()
        else:
            self._db = opening.open_writable(self.path, create, lambda: self.embedder)

    def _open_read_only(self) -> None:
        """Open (or reopen) for search. Everything is opened before anything is assigned, so a
        failed ``refresh()`` leaves the store as it was."""
        gen = opening.open_read_only(self.path, lambda: self.embedder)
        with self._lock:
            # a replaced connection is not closed here: another thread may be reading through it
            self._db, self._bm25, self._vectors, self._vectors_mtime = gen.con, gen.bm25, gen.vectors, None
            self.warnings, self._stamp, self.degraded = gen.warnings, gen.stamp, gen.degraded

    def refresh(self) -> bool:
        """Read-only stores: reopen when the store changed on disk since it was opened (a write in
        place, a rebuild swapped in), so that SQLite and both indexes stay one consistent
        generation, and an ``immutable`` connection is never read while a writer changes the file.
        A few ``stat`` calls when nothing changed. True when it reopened."""
        if not self.read_only or not self._changed():
            return False
        with self._lock:
            if not self._changed():
                return False
            self._open_read_only()
        return True

    def _changed(self) -> bool:
        stamp = opening.disk_stamp(self.path)
        # no evidence.sqlite: a rebuild between its renames, or the store deleted; the generation
        # already open stays valid (its files are open), so keep reading it
        return stamp != self._stamp and stamp[0] is not None

    @property
    def bm25_available(self) -> bool:
        """False for a read-only store without a usable BM25 index (see ``warnings``)."""
        return not self.read_only or self._bm25 is not None

    @property
    def vectors_available(self) -> bool:
        """False for a read-only store without a usable vector index (see ``warnings``)."""
        return not self.read_only or self._vectors is not None

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        """The embedder given, else the shipped one (loaded on first use)."""
        if self._embedder is None:
            self._embedder = load_embedder()
        return self._embedder

    def _set_meta(self, values: dict[str, str]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())

    def meta(self) -> dict[str, str]:
        """The ``meta`` table: schema version, embedder name and sha256, high-water mark, dates."""
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def close(self) -> None:
        with self._lock:
            self._bm25 = None
            self._vectors = None
            with contextlib.suppress(sqlite3.Error):
                self._db.close()

    def __enter__(self) -> EvidenceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- indexes -----------------------------------------------------------------------------------

    def bm25_index(self) -> Any:
        """The tantivy ``Index`` (opened once; ``reload()``-ed after each write). Read-only stores:
        the one opened for search, ``None`` when it is unusable (see ``warnings``)."""
        with self._lock:
            if self._bm25 is None and not self.read_only:
                self._bm25 = bm25.open_writable(self.path / BM25_DIR)
            return self._bm25

    def vector_index(self) -> Any:
        """The usearch index, memory-mapped read-only (``None`` while the store has no vectors, or a
        read-only store's are unusable). A writable store reopens it after each write."""
        if self.read_only:
            return self._vectors
        path = self.path / VECTORS_FILE
        with self._lock:
            try:
                mtime = path.stat().st_mtime_ns
            except FileNotFoundError:
                self._vectors = None
                return None
            if self._vectors is None or self._vectors_mtime != mtime:
                self._vectors, self._vectors_mtime = vec.open_view(path, self.embedder.dim), mtime
            return self._vectors

    # -- reading -----------------------------------------------------------------------------------

    @property
    def high_water(self) -> int:
        """Passage ids below this are committed."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'next_passage_id'").fetchone()
        return int(row[0]) if row else 1

    def count(self) -> tuple[int, int]:
        """(documents, passages)."""
        docs = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        passages = self._db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        return int(docs), int(passages)

    def corpora(self) -> list[CorpusInfo]:
        """What the store holds, per corpus (pack or indexed source)."""
        return db.corpora(self._db)

    def passages(self, ids: Sequence[int]) -> dict[int, PassageRecord]:
        """Passages by id (ids that are not committed are absent)."""
        with self._lock:
            return db.passages(self._db, ids)

    def document_meta(self, doc_id: int) -> dict[str, Any]:
        """The reader's metadata of one document (``{}`` when it has none)."""
        return db.document_meta(self._db, doc_id)

    def bm25_search(self, query: Any, k: int) -> list[tuple[int, float]]:
        """(passage id, BM25 score) for a tantivy query, best first."""
        return bm25.search(self.bm25_index(), query, k)

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(passage id, cosine similarity) for a query vector, best first."""
        return vec.search(self.vector_index(), vector, k)

    def vectors_for(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vectors of passage ids (absent ids are left out)."""
        return vec.get_vectors(self.vector_index(), ids)

    def iter_documents(self, corpus: str | None = None) -> Iterator[tuple[int, str, str | None]]:
        """(doc id, corpus, title) of every document."""
        sql = "SELECT id, corpus, title FROM documents"
        rows = self._db.execute(sql + (" WHERE corpus = ?" if corpus else ""), (corpus,) if corpus else ())
        yield from rows

    # -- writing -----------------------------------------------------------------------------------

    def add_documents(
        self,
        documents: Iterable[SourceDocument],
        *,
        corpus: str,
        licence: str | None = None,
        source: str | None = None,
        attribution: str | None = None,
        batch_size: int = 512,
        progress: ProgressCallback | None = None,
        total: int | None = None,
        allow_empty: bool = False,
    ) -> AddStats:
        """Split, deduplicate, embed and index ``documents`` into ``corpus``; all or nothing.

        One SQLite transaction stays open while :class:`AddTransaction` adds the rows, the tantivy
        documents (uncommitted writer) and the vectors (an in-memory copy of the index). Only at the
        end are the vectors saved to a temporary file, tantivy committed, the vector file swapped in
        (``os.replace``) and SQLite committed, in that order; an exception at any point (a corrupt
        input file, Ctrl-C, a progress callback that raises) rolls everything back. Passage ids come
        from the high-water mark in ``meta``, which moves only with the SQLite commit; index entries
        above it (left by a crash between the last two steps) are purged at the next write.

        Documents already present under the same ``(corpus, key)`` with the same content are
        skipped; with changed content their passages are replaced. ``progress`` is called after each
        batch; an exception from it (or from the iterable) aborts and rolls back the whole call.
        Raises ``EmptyInputError`` when ``documents`` yields nothing with text (unless ``allow_empty``).
        """
        if self.read_only:
            raise StoreError(f"the evidence store {self.path} was opened read-only")
        if not corpus or not corpus.strip():
            raise StoreError("a corpus needs a name")
        started = time.perf_counter()
        stats = AddStats(corpus=corpus)

        def report(phase: str) -> None:
            if progress is not None:
                progress(
                    AddProgress(
                        stats.documents,
                        stats.passages,
                        stats.duplicates,
                        stats.skipped_documents,
                        total,
                        phase,
                    )
                )

        with self._lock:
            writer = bm25.open_writer(self.bm25_index(), self.path)
            vectors = vec.LazyVectors(
                lambda: vec.load_for_write(self.path / VECTORS_FILE, self.embedder.dim, start_pid)
            )
            tmp_vectors = self.path / (VECTORS_FILE + ".tmp")
            committed = False
            try:
                self._db.execute("BEGIN IMMEDIATE")
                start_pid = self.high_water
                bm25.purge_from(writer, start_pid)
                self._db.execute(
                    "INSERT INTO corpora(name, licence, source, attribution, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                    "licence = COALESCE(excluded.licence, licence), "
                    "source = COALESCE(excluded.source, source), "
                    "attribution = COALESCE(excluded.attribution, attribution), "
                    "updated_at = excluded.updated_at",
                    (corpus, licence, source, attribution, db.now()),
                )
                tx = AddTransaction(
                    self._db, writer, vectors, self.embedder, corpus, licence, start_pid, stats
                )
                seen_any = False
                for doc in documents:
                    if not doc.text or not doc.text.strip():
                        continue
                    seen_any = True
                    tx.add(doc)
                    if len(tx.batch) >= batch_size:
                        tx.flush()
                        report("indexing")
                if not seen_any and not allow_empty:
                    raise EmptyInputError(f"no documents with text to index into {corpus!r}")
                tx.flush()
                report("saving")
                vectors.drain()
                self._set_meta({"next_passage_id": str(tx.next_pid), "updated_at": db.now()})
                # commit order: vectors to a temp file, tantivy, swap vectors in, SQLite last.
                if vectors.changed:
                    vectors.get().save(str(tmp_vectors))
                writer.commit()
                writer.wait_merging_threads()
                if vectors.changed:
                    os.replace(tmp_vectors, self.path / VECTORS_FILE)
                self._db.execute("COMMIT")
                committed = True
            except FactauditError:
                raise
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"cannot write the evidence store {self.path}: {exc}") from exc
            except OSError as exc:
                raise StoreError(
                    f"cannot write the evidence store {self.path}: {exc.strerror or exc}"
                ) from exc
            finally:
                vectors.close()
                if not committed:
                    with contextlib.suppress(Exception):
                        self._db.execute("ROLLBACK")
                    with contextlib.suppress(Exception):
                        writer.rollback()
                    with contextlib.suppress(Exception):
                        writer.wait_merging_threads()
                with contextlib.suppress(FileNotFoundError):
                    tmp_vectors.unlink()
                writer = None
                self._vectors = None
                with contextlib.suppress(Exception):
                    self.bm25_index().reload()
        stats.seconds = time.perf_counter() - started
        report("done")
        return stats


def rebuild_store(
    path: Path | str, build: Callable[[EvidenceStore], None], *, embedder: Embedder | None = None
) -> None:
    """Build a fresh store next to ``path`` with ``build(store)`` and swap it in only when it succeeded;
    on failure the old store (if any) is left untouched.

    The build happens in ``<name>.rebuild``, which is renamed ``<name>.new`` once finished; the swap is
    then ``<name>`` → ``<name>.old`` and ``<name>.new`` → ``<name>``. A process stopped between those
    two leaves no ``<name>``, and the next open completes the swap (:func:`recover_interrupted_rebuild`).
    A reader that has the old store open keeps reading it (its files stay valid once unlinked) until
    its ``refresh()`` sees the new one."""
    path = Path(path).expanduser()
    recover_interrupted_rebuild(path)
    tmp, new, old = (path.with_name(path.name + suffix) for suffix in (".rebuild", ".new", ".old"))
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        with EvidenceStore(tmp, create=True, embedder=embedder) as store:
            build(store)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        shutil.rmtree(new, ignore_errors=True)
        os.replace(tmp, new)
        shutil.rmtree(old, ignore_errors=True)
        if path.exists():
            os.replace(path, old)
        try:
            os.replace(new, path)
        except FileNotFoundError:
            if not path.exists():
                raise
            # another process's open completed the swap (recover_interrupted_rebuild)
    except OSError as exc:
        raise StoreError(f"cannot replace {path} with the rebuilt store: {exc.strerror}") from exc
    shutil.rmtree(old, ignore_errors=True)
