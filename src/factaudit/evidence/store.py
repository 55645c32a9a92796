"""The evidence store: documents and passages in SQLite, a tantivy BM25 index, an HNSW vector index.

A store is a folder::

    evidence.sqlite   documents, passages, corpora, meta (WAL); the source of truth
    bm25/             tantivy index over passage text + document title (English stemming)
    vectors.usearch   usearch HNSW index, cosine, float16 (half of float32's memory, same recall);
                      memory-mapped for search; exact search below EXACT_SEARCH_MAX vectors

Writes are all-or-nothing. ``add_documents`` keeps one SQLite transaction open, adds to an
uncommitted tantivy writer and to an in-memory copy of the vector index, and only at the end
saves the vectors to a temporary file, commits tantivy, swaps the vector file in
(``os.replace``) and commits SQLite, in that order. An exception at any point (a corrupt input
file, Ctrl-C, a progress callback that raises) rolls everything back and leaves the previous
store as it was. Passage ids come from a high-water mark in ``meta`` that moves only with the
SQLite commit; index entries above it (left by a crash between the last two steps) are ignored
when searching and purged at the start of the next write.

The ``meta`` table records the schema version and the embedder's name and sha256: opening a
store with another embedder raises ``StoreError`` (rebuild with ``factaudit index --rebuild``).

Audits open a store with ``read_only=True``, which writes nothing into its folder, so a store whose
folder and files are read-only works: SQLite through a ``mode=ro`` URI (plus ``immutable=1``
while no ``-wal`` file shows a writer, see :func:`_connect_read_only`), no schema, no PRAGMA
journal_mode, no mkdir; tantivy opened from a private folder of links to its files (its reader
takes a lock file in the folder it opens); the vectors memory-mapped. A damaged store is refused with a
``StoreError`` naming the file and how to rebuild (a 0-byte or non-SQLite ``evidence.sqlite``,
missing tables or metadata, neither index usable); where one index is missing, unreadable or holds
fewer passages than SQLite, retrieval goes on with what is there and ``EvidenceStore.warnings``
says so (the verify stage reports each one in the article's skipped list). A writable open of a
store with passages but a missing index is refused too, so ``factaudit index`` never appends to a
half store.

``rebuild_store`` swaps a finished build in with renames; one cut short between them is completed
(or undone) by the next open, see :func:`recover_interrupted_rebuild`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EmptyInputError, FactauditError, StoreError
from .embed import Embedder, load_embedder

#: Bumped on any incompatible change to the store layout.
SCHEMA_VERSION = 1
#: Environment variable overriding the default store location.
STORE_ENV = "FACTAUDIT_STORE"
SQLITE_FILE = "evidence.sqlite"
BM25_DIR = "bm25"
VECTORS_FILE = "vectors.usearch"
#: The tables every store has (``_SCHEMA``).
_TABLES = ("meta", "corpora", "documents", "passages")
_SQLITE_HEADER = b"SQLite format 3\x00"
#: Longest passage (characters) the splitter makes; longer sentences are cut at a word boundary.
MAX_PASSAGE_CHARS = 400
#: Most sentences in one passage window.
MAX_PASSAGE_SENTENCES = 3
#: Passages shorter than this (characters) are not indexed (headings, stray markup).
MIN_PASSAGE_CHARS = 12
#: Up to this many vectors, dense search is exact (brute force costs ~1 ms per 4k vectors here; HNSW
#: is ~0.7 ms at 20k with recall@10 0.99 against exact, see benchmarks/bench_retrieval.py).
EXACT_SEARCH_MAX = 5_000
#: HNSW parameters and element type. Measured on 200k × 256 synthetic-passage vectors (idle, 2
#: cores, batches of 2,048; recall@10 against exact search; benchmarks/bench_retrieval.py):
#: f16 M=16 expansion_add 64 → 3.8k adds/s, recall 0.906 / 0.963 at expansion_search 128 / 256;
#: f16 ea 40 → 6.9k adds/s, 0.880 / 0.926 (search p95 1.9 / 2.9 ms); bf16 ea 40 → 8.5k/s, 0.873 /
#: 0.931; i8 ea 64 → 5.3k/s, 0.830. A wider search beam buys back the recall of the cheaper build.
#: bf16 is faster still, but its 8-bit mantissa reorders near-tied cosine scores in exact search
#: (small stores): Climate-FEVER end-to-end macro-F1 0.403 against 0.410 with f16, so f16 stays.
HNSW_DTYPE = "f16"
HNSW_CONNECTIVITY = 16
HNSW_EXPANSION_ADD = 40
HNSW_EXPANSION_SEARCH = 128
#: Above this many vectors, search with a wider beam.
LARGE_INDEX = 250_000
HNSW_EXPANSION_SEARCH_LARGE = 256
_HNSW: dict[str, Any] = {
    "connectivity": HNSW_CONNECTIVITY,
    "expansion_add": HNSW_EXPANSION_ADD,
    "expansion_search": HNSW_EXPANSION_SEARCH,
}
#: Vector-index insertions allowed in flight behind the SQLite/tantivy thread.
_VECTOR_BACKLOG = 2
_TANTIVY_HEAP = 128_000_000


def default_store_path() -> Path:
    """``$FACTAUDIT_STORE``, else ``<user data dir>/factaudit/stores/default``."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("factaudit")) / "stores" / "default"


# ----------------------------------------------------------------------------------------------
# documents and passage splitting


@dataclass
class Segment:
    """A span ``[start, end)`` of a document's text, with an optional as-of date of its own."""

    start: int
    end: int
    date: str | None = None


@dataclass
class SourceDocument:
    """One document a reader produced, ready to be split into passages and indexed."""

    text: str
    title: str | None = None
    #: Stable id within its corpus (a page id, a path); defaults to the url, else a content hash.
    key: str | None = None
    url: str | None = None
    #: As-of / publication date as the source gives it ("2025", "2024-06-01").
    date: str | None = None
    licence: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: Pre-split sentence spans (FEVER lines): packed into passage windows instead of re-splitting.
    sentences: list[Segment] | None = None
    #: Exact passage spans (factbook facts, each with its own date): indexed as they are.
    passages: list[Segment] | None = None


_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "jr",
    "sr",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "nos",
    "fig",
    "gen",
    "col",
    "lt",
    "sgt",
    "rep",
    "sen",
    "gov",
    "mt",
    "ft",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "est",
    "approx",
    "ca",
    "cf",
    "al",
    "vol",
    "pp",
    "op",
    "dept",
    "univ",
    "assn",
    "bros",
    "ave",
    "blvd",
    "rd",
    "hon",
    "rev",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)[.!?…]+[\"'”’)\]]*\s+$")
_PARAGRAPH = re.compile(r"[^\n]+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]`` (regex rules: line breaks, . ! ? before a capital,
    not after common abbreviations or single initials); whitespace is trimmed from each span."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text, start, end):
        cut = para.start()
        for m in _BOUNDARY.finditer(text, para.start(), para.end()):
            word = _LAST_WORD.search(text, cut, m.end())
            if word:
                w = word.group(1).lower().rstrip(".")
                if w in _ABBREV or (len(w) == 1 and word.group(1)[0].isupper()):
                    continue
            spans.append((cut, m.end()))
            cut = m.end()
        spans.append((cut, para.end()))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _cut_long(text: str, s: int, e: int, limit: int) -> list[tuple[int, int]]:
    pieces = []
    while e - s > limit:
        cut = text.rfind(" ", s, s + limit)
        if cut <= s + limit // 2:
            cut = s + limit
        pieces.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        pieces.append((s, e))
    return pieces


def split_passages(
    text: str,
    sentences: Sequence[Segment] | None = None,
    *,
    max_chars: int = MAX_PASSAGE_CHARS,
    max_sentences: int = MAX_PASSAGE_SENTENCES,
) -> list[Segment]:
    """Passage windows of 1–``max_sentences`` consecutive sentences, each ≤ ``max_chars`` characters,
    never across a paragraph (line) break; offsets point into ``text``."""
    spans = sentence_spans(text) if sentences is None else [(s.start, s.end) for s in sentences]
    units: list[tuple[int, int]] = []
    for s, e in spans:
        units.extend(_cut_long(text, s, e, max_chars))
    passages: list[Segment] = []
    cur: list[tuple[int, int]] = []
    for s, e in units:
        if cur and (e - cur[0][0] > max_chars or len(cur) >= max_sentences or "\n" in text[cur[-1][1] : s]):
            passages.append(Segment(cur[0][0], cur[-1][1]))
            cur = []
        cur.append((s, e))
    if cur:
        passages.append(Segment(cur[0][0], cur[-1][1]))
    return passages


def _norm_for_hash(text: str) -> str:
    return " ".join(text.casefold().split())


def _hash64(text: str) -> int:
    """A signed 64-bit content hash (SQLite INTEGER) of whitespace/case-normalised text."""
    digest = hashlib.blake2b(_norm_for_hash(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# ----------------------------------------------------------------------------------------------
# records


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
    name: str
    documents: int
    passages: int
    licence: str | None = None
    source: str | None = None
    attribution: str | None = None
    updated_at: str | None = None


@dataclass
class AddProgress:
    """Reported after each batch (and once at the end) by ``add_documents``."""

    documents: int
    passages: int
    duplicates: int
    skipped_documents: int
    total_documents: int | None = None
    phase: str = "indexing"


@dataclass
class AddStats:
    corpus: str
    documents: int = 0
    passages: int = 0
    #: Passages not added because an identical passage is already in the store.
    duplicates: int = 0
    #: Documents already in the store with the same content.
    skipped_documents: int = 0
    #: Documents whose content changed: their old passages were replaced.
    replaced_documents: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Passages added per second."""
        return self.passages / self.seconds if self.seconds else 0.0


ProgressCallback = Callable[[AddProgress], None]

_SCHEMA = """
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
            self._open_writable(create)

    def _open_writable(self, create: bool) -> None:
        db = self.path / SQLITE_FILE
        hint = _rebuild_hint(self.path)
        if not db.is_file():
            if not create:
                raise StoreError(
                    f"no evidence store at {self.path}: build one with "
                    "'factaudit index SOURCE... --store PATH' (or 'factaudit index --pack all')"
                )
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create an evidence store at {self.path}: {exc.strerror}") from exc
        else:
            # a 0-byte file is a fresh store only when nothing was ever indexed next to it
            fresh = create and not (self.path / BM25_DIR).exists() and not (self.path / VECTORS_FILE).exists()
            _check_sqlite_file(db, hint, allow_empty=fresh)
        try:
            self._db = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {db}: {exc}") from exc
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=10000")
            # 64 MiB page cache: large stores otherwise re-read the hash index from the OS per insert
            self._db.execute("PRAGMA cache_size=-65536")
            tables = _table_names(self._db)
            missing = [t for t in _TABLES if t not in tables]
            if tables and missing:
                raise StoreError(_missing_tables(db, missing, hint))
            self._db.executescript(_SCHEMA)
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                info = self.embedder.info()
                self._set_meta(
                    {
                        "schema_version": str(SCHEMA_VERSION),
                        "embedder_name": info.name,
                        "embedder_version": info.version,
                        "embedder_sha256": info.sha256 or "",
                        "dim": str(self.embedder.dim),
                        "next_passage_id": "1",
                        "created_at": _now(),
                    }
                )
            else:
                self._check_meta(meta)
                self._check_indexes_exist(db, hint)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if "readonly" in str(exc):
                raise StoreError(
                    f"cannot write the evidence store {self.path}: it is read-only ({exc}); audits only "
                    "read it, but adding to it needs write access"
                ) from exc
            raise StoreError(
                f"{db} is not a readable evidence store ({exc}); rebuild it with 'factaudit index --rebuild'"
            ) from exc
        except BaseException:
            self._db.close()
            raise

    def _check_indexes_exist(self, db: Path, hint: str) -> None:
        """Refuse to write to a store with passages whose BM25 folder or vector file is gone: new
        passages would be indexed, the old ones never again."""
        passages = self.count()[1]
        if not passages:
            return
        gone = [
            what
            for what, there in (
                (f"the BM25 index {self.path / BM25_DIR}", (self.path / BM25_DIR / "meta.json").is_file()),
                (f"the vector index {self.path / VECTORS_FILE}", (self.path / VECTORS_FILE).is_file()),
            )
            if not there
        ]
        if gone:
            raise StoreError(
                f"{' and '.join(gone)} {'is' if len(gone) == 1 else 'are'} missing but {db} holds "
                f"{passages:,} passages: the store is damaged; rebuild it with {hint}"
            )

    def _open_read_only(self) -> None:
        """Open for search only (the module docstring lists what is never written). Everything is
        opened into locals and assigned at the end, so a failed ``refresh()`` leaves the store as
        it was."""
        db = self.path / SQLITE_FILE
        hint = _rebuild_hint(self.path)
        stamp = self._disk_stamp()
        if not db.is_file():
            raise StoreError(
                f"no evidence store at {self.path}: build one with "
                "'factaudit index SOURCE... --store PATH' (or 'factaudit index --pack all')"
            )
        _check_sqlite_file(db, hint, allow_empty=False)
        con = _connect_read_only(db)
        try:
            tables = _table_names(con)
            missing = [t for t in _TABLES if t not in tables]
            if missing:
                raise StoreError(_missing_tables(db, missing, hint))
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                raise StoreError(
                    f"{db} holds no store metadata: the store is damaged; rebuild it with {hint}"
                )
            passages = int(con.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
            self._check_meta(meta)
        except sqlite3.DatabaseError as exc:
            con.close()
            raise StoreError(
                f"{db} is not a readable evidence store ({exc}); rebuild it with {hint}"
            ) from exc
        except BaseException:
            con.close()
            raise
        bm25, bm25_problem = self._open_bm25_read_only()
        vectors, vectors_problem = self._open_vectors_read_only()
        warnings: list[str] = []
        if not passages:
            warnings.append(
                f"the evidence store {self.path} holds no passages; add some with "
                f"'factaudit index SOURCE... --store {self.path}'"
            )
        elif bm25 is None and vectors is None:
            con.close()
            raise StoreError(
                f"{bm25_problem} and {vectors_problem}: the store cannot be searched; rebuild it with {hint}"
            )
        else:
            again = f"rebuild the store with {hint}"
            if bm25 is None:
                warnings.append(f"BM25 search off: {bm25_problem}; searched the vectors only ({again})")
            elif (n := int(bm25.searcher().num_docs)) < passages:
                warnings.append(
                    f"the BM25 index {self.path / BM25_DIR} holds {n:,} of the {passages:,} passages "
                    f"in {db}: some evidence cannot be found by its words ({again})"
                )
            if vectors is None:
                warnings.append(f"dense search off: {vectors_problem}; searched with BM25 only ({again})")
            elif (n := len(vectors)) < passages:
                warnings.append(
                    f"the vector index {self.path / VECTORS_FILE} holds {n:,} vectors for the "
                    f"{passages:,} passages in {db}: some evidence cannot be found by meaning ({again})"
                )
        with self._lock:
            # a replaced connection is not closed here: another thread may be reading through it
            self._db, self._bm25, self._vectors, self._vectors_mtime = con, bm25, vectors, None
            self.warnings, self._stamp = warnings, stamp
            self.degraded = bool(passages) and bool(warnings)

    def _open_bm25_read_only(self) -> tuple[Any, str | None]:
        """(index, None), or (None, what is wrong). tantivy takes a lock file in the index folder to
        open a reader (refused where the folder is read-only, and a write an audit must not make),
        so the reader is opened from a private folder of links to the index files; the links go
        once it is open (the files are memory-mapped by then)."""
        import tantivy

        directory = self.path / BM25_DIR
        if not (directory / "meta.json").is_file():
            what = "is missing" if not directory.exists() else "is not a tantivy index (no meta.json)"
            return None, f"the BM25 index {directory} {what}"
        error: Exception | None = None
        for _ in range(3):  # a writer may replace segment files between the listing and the open
            shadow = tempfile.mkdtemp(prefix="factaudit-bm25-")
            try:
                for entry in os.scandir(directory):
                    if entry.name.endswith(".lock") or not entry.is_file():
                        continue
                    link = os.path.join(shadow, entry.name)
                    try:
                        os.symlink(os.path.realpath(entry.path), link)
                    except OSError:  # no symlinks here (Windows without the privilege)
                        shutil.copyfile(entry.path, link)
                index = tantivy.Index(self._bm25_schema(), path=shadow, reuse=True)
                index.config_reader(reload_policy="Manual")  # refresh() reopens instead
                index.searcher()
                return index, None
            except (OSError, ValueError) as exc:
                error = exc
            finally:
                for _ in range(3):  # again if a lock file was made while it was being removed
                    shutil.rmtree(shadow, ignore_errors=True)
                    if not os.path.exists(shadow):
                        break
        reason = " ".join(str(error).split())
        return None, f"the BM25 index {directory} cannot be read ({reason})"

    def _open_vectors_read_only(self) -> tuple[Any, str | None]:
        """(memory-mapped index, None), or (None, what is wrong)."""
        path = self.path / VECTORS_FILE
        if not path.is_file():
            return None, f"the vector index {path} is missing"
        from usearch.index import Index

        try:
            index = Index.restore(str(path), view=True, **_HNSW)
            if index is not None and len(index) > LARGE_INDEX:
                index = Index.restore(
                    str(path), view=True, **{**_HNSW, "expansion_search": HNSW_EXPANSION_SEARCH_LARGE}
                )
        except Exception as exc:  # usearch raises RuntimeError/ValueError on damage
            return None, f"the vector index {path} cannot be read ({' '.join(str(exc).split())})"
        if index is None:
            return None, f"the vector index {path} cannot be read (not a usearch index)"
        if index.ndim != self.embedder.dim:
            return None, (
                f"the vector index {path} has {index.ndim} dimensions where the store's embedder has "
                f"{self.embedder.dim}"
            )
        return index, None

    def _disk_stamp(self) -> tuple[Any, ...]:
        """What ``refresh()`` compares: the identity of each file (a rebuild swaps the folder in, an
        in-place write rewrites them), and whether a ``-wal`` file shows a writer."""
        out: list[Any] = []
        for name in (SQLITE_FILE, f"{BM25_DIR}/meta.json", VECTORS_FILE):
            try:
                st = (self.path / name).stat()
            except OSError:
                out.append(None)
            else:
                out.append((st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size))
        out.append((self.path / (SQLITE_FILE + "-wal")).exists())
        return tuple(out)

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
        stamp = self._disk_stamp()
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
        if self._embedder is None:
            self._embedder = load_embedder()
        return self._embedder

    def _set_meta(self, values: dict[str, str]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def _check_meta(self, meta: dict[str, str]) -> None:
        version = meta.get("schema_version")
        if version != str(SCHEMA_VERSION):
            raise StoreError(
                f"store at {self.path} has schema version {version}, this factaudit reads "
                f"{SCHEMA_VERSION}; rebuild with 'factaudit index --rebuild'"
            )
        info = self.embedder.info()
        if meta.get("embedder_name") != info.name or meta.get("embedder_sha256") != (info.sha256 or ""):
            raise StoreError(
                f"store at {self.path} was built with embedder {meta.get('embedder_name')} "
                f"(sha256 {str(meta.get('embedder_sha256'))[:12]}…) but this factaudit uses {info.name} "
                f"(sha256 {(info.sha256 or '')[:12]}…); rebuild with 'factaudit index --rebuild'"
            )

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

    @staticmethod
    def _bm25_schema() -> Any:
        import tantivy

        sb = tantivy.SchemaBuilder()
        sb.add_unsigned_field("pid", stored=True, indexed=True, fast=True)
        sb.add_text_field("title", tokenizer_name="en_stem", index_option="freq")
        sb.add_text_field("body", tokenizer_name="en_stem", index_option="position")
        return sb.build()

    def bm25_index(self) -> Any:
        """The tantivy ``Index`` (opened once; ``reload()``-ed after each write). Read-only stores:
        the one opened for search, ``None`` when it is unusable (see ``warnings``)."""
        with self._lock:
            if self._bm25 is None and not self.read_only:
                import tantivy

                directory = self.path / BM25_DIR
                directory.mkdir(exist_ok=True)
                try:
                    self._bm25 = tantivy.Index(self._bm25_schema(), path=str(directory), reuse=True)
                except ValueError as exc:
                    raise StoreError(
                        f"cannot open the BM25 index in {directory}: {exc}; rebuild with "
                        "'factaudit index --rebuild'"
                    ) from exc
            return self._bm25

    def vector_index(self) -> Any:
        """The usearch index, memory-mapped read-only (``None`` while the store has no vectors, or a
        read-only store's are unusable)."""
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
                from usearch.index import Index

                try:
                    index = Index.restore(str(path), view=True, **_HNSW)
                    if index is not None and len(index) > LARGE_INDEX:
                        wide = {**_HNSW, "expansion_search": HNSW_EXPANSION_SEARCH_LARGE}
                        index = Index.restore(str(path), view=True, **wide)
                except Exception as exc:  # usearch raises RuntimeError/ValueError on damage
                    raise StoreError(
                        f"cannot read the vector index {path}: {exc}; rebuild with "
                        "'factaudit index --rebuild'"
                    ) from exc
                if index is None or index.ndim != self.embedder.dim:
                    raise StoreError(
                        f"vector index {path} does not match the store's embedder; rebuild "
                        "with 'factaudit index --rebuild'"
                    )
                self._vectors, self._vectors_mtime = index, mtime
            return self._vectors

    def _new_vector_index(self) -> Any:
        from usearch.index import Index

        return Index(
            ndim=self.embedder.dim,
            metric="cos",
            dtype=HNSW_DTYPE,
            **_HNSW,
        )

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
        rows = self._db.execute(
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

    def passages(self, ids: Sequence[int]) -> dict[int, PassageRecord]:
        """Passages by id (ids that are not committed are absent)."""
        with self._lock:
            return self._passages([int(i) for i in ids], {})

    def _passages(self, ids: list[int], out: dict[int, PassageRecord]) -> dict[int, PassageRecord]:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f'SELECT p.id, p.doc_id, p.text, p.start, p."end", COALESCE(p.date, d.date), d.corpus, '
                f"d.title, d.url, d.licence, d.key FROM passages p JOIN documents d ON p.doc_id = d.id "
                f"WHERE p.id IN ({marks})",
                chunk,
            ).fetchall()
            for r in rows:
                out[r[0]] = PassageRecord(*r)
        return out

    def document_meta(self, doc_id: int) -> dict[str, Any]:
        row = self._db.execute("SELECT meta FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def bm25_search(self, query: Any, k: int) -> list[tuple[int, float]]:
        """(passage id, BM25 score) for a tantivy query, best first."""
        index = self.bm25_index()
        if index is None:
            return []
        searcher = index.searcher()
        if searcher.num_docs == 0:
            return []
        hits = searcher.search(query, limit=k, count=False).hits
        return [(int(searcher.doc(addr)["pid"][0]), float(score)) for score, addr in hits]

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(passage id, cosine similarity) for a query vector, best first."""
        index = self.vector_index()
        if index is None or len(index) == 0 or not np.any(vector):
            return []
        exact = len(index) <= EXACT_SEARCH_MAX
        matches = index.search(np.asarray(vector, dtype=np.float32), k, exact=exact)
        return [
            (int(key), 1.0 - float(dist)) for key, dist in zip(matches.keys, matches.distances, strict=True)
        ]

    def vectors_for(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        index = self.vector_index()
        if index is None or not ids:
            return {}
        keys = np.asarray(ids, dtype=np.uint64)
        got = index.get(keys)
        out = {}
        for key, vec in zip(ids, got, strict=True):
            if vec is not None:
                out[int(key)] = np.asarray(vec, dtype=np.float32)
        return out

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
        seen_any = False
        with self._lock:
            writer = self._open_writer()
            vectors = _LazyVectors(lambda: self._load_vectors_for_write(start_pid))
            tmp_vectors = self.path / (VECTORS_FILE + ".tmp")
            committed = False
            try:
                self._db.execute("BEGIN IMMEDIATE")
                next_pid = start_pid = self.high_water
                self._purge_stale(writer, next_pid)
                self._db.execute(
                    "INSERT INTO corpora(name, licence, source, attribution, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                    "licence = COALESCE(excluded.licence, licence), "
                    "source = COALESCE(excluded.source, source), "
                    "attribution = COALESCE(excluded.attribution, attribution), "
                    "updated_at = excluded.updated_at",
                    (corpus, licence, source, attribution, _now()),
                )
                batch: list[tuple[int, str, str]] = []  # (pid, title, text)

                def flush(phase: str = "indexing") -> None:
                    if batch:
                        self._index_batch(writer, vectors, batch)
                        batch.clear()
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

                for doc in documents:
                    if not doc.text or not doc.text.strip():
                        continue
                    seen_any = True
                    next_pid = self._add_one(
                        doc, corpus, licence, next_pid, writer, vectors, batch, stats
                    )
                    if len(batch) >= batch_size:
                        flush()
                if not seen_any and not allow_empty:
                    raise EmptyInputError(f"no documents with text to index into {corpus!r}")
                flush("saving")
                vectors.drain()
                self._set_meta({"next_passage_id": str(next_pid), "updated_at": _now()})
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
        if progress is not None:
            progress(
                AddProgress(
                    stats.documents, stats.passages, stats.duplicates, stats.skipped_documents, total, "done"
                )
            )
        return stats

    def _open_writer(self) -> Any:
        try:
            return self.bm25_index().writer(heap_size=_TANTIVY_HEAP, num_threads=1)
        except ValueError as exc:
            raise StoreError(
                f"the evidence store {self.path} is being written by another process ({exc})"
            ) from exc

    def _purge_stale(self, writer: Any, next_pid: int) -> None:
        """Drop index entries at or above the committed high-water mark (left by a crash)."""
        import tantivy

        query = tantivy.Query.range_query(
            self._bm25_schema(), "pid", tantivy.FieldType.Unsigned, next_pid, None
        )
        writer.delete_documents_by_query(query)

    def _load_vectors_for_write(self, next_pid: int) -> Any:
        path = self.path / VECTORS_FILE
        if not path.exists():
            return self._new_vector_index()
        from usearch.index import Index

        try:
            index = Index.restore(str(path), view=False, **_HNSW)
        except Exception as exc:
            raise StoreError(
                f"cannot read the vector index {path}: {exc}; rebuild with 'factaudit index --rebuild'"
            ) from exc
        if index is None:
            raise StoreError(f"cannot read the vector index {path}; rebuild with 'factaudit index --rebuild'")
        if len(index):
            keys = np.asarray(index.keys, dtype=np.uint64)
            stale = keys[keys >= next_pid]
            if len(stale):
                index.remove(stale)
        return index

    def _add_one(
        self,
        doc: SourceDocument,
        corpus: str,
        licence: str | None,
        next_pid: int,
        writer: Any,
        vectors: _LazyVectors,
        batch: list[tuple[int, str, str]],
        stats: AddStats,
    ) -> int:
        text = doc.text
        content_hash = _hash64(text + "\x00" + (doc.title or ""))
        key = doc.key or doc.url or f"sha:{content_hash & 0xFFFFFFFFFFFFFFFF:016x}"
        row = self._db.execute(
            "SELECT id, content_hash FROM documents WHERE corpus = ? AND key = ?", (corpus, key)
        ).fetchone()
        if row is not None:
            if row[1] == content_hash:
                stats.skipped_documents += 1
                return next_pid
            self._delete_document(row[0], writer, vectors)
            stats.replaced_documents += 1
        cur = self._db.execute(
            "INSERT INTO documents(corpus, key, content_hash, title, url, date, licence, meta, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                corpus,
                key,
                content_hash,
                doc.title,
                doc.url,
                doc.date,
                doc.licence or licence,
                json.dumps(doc.meta, ensure_ascii=False) if doc.meta else None,
                _now(),
            ),
        )
        doc_id = cur.lastrowid
        stats.documents += 1
        segments = doc.passages if doc.passages is not None else split_passages(text, doc.sentences)
        title = doc.title or ""
        for seg in segments:
            ptext = text[seg.start : seg.end].strip()
            if len(ptext) < MIN_PASSAGE_CHARS:
                continue
            h = _hash64(ptext)
            lead = len(text[seg.start : seg.end]) - len(text[seg.start : seg.end].lstrip())
            start = seg.start + lead
            # the UNIQUE index on hash is the duplicate check: one statement instead of two
            cur = self._db.execute(
                'INSERT INTO passages(id, doc_id, text, start, "end", date, hash) '
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(hash) DO NOTHING",
                (next_pid, doc_id, ptext, start, start + len(ptext), seg.date, h),
            )
            if cur.rowcount == 0:
                stats.duplicates += 1
                continue
            batch.append((next_pid, title, ptext))
            next_pid += 1
            stats.passages += 1
        return next_pid

    def _delete_document(self, doc_id: int, writer: Any, vectors: _LazyVectors) -> None:
        pids = [r[0] for r in self._db.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))]
        for pid in pids:
            writer.delete_documents_by_term("pid", pid)
        vectors.drain()
        if pids and len(vectors.get()):
            vectors.get().remove(np.asarray(pids, dtype=np.uint64))
            vectors.changed = True
        self._db.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def _index_batch(self, writer: Any, vectors: _LazyVectors, batch: list[tuple[int, str, str]]) -> None:
        """Add a batch to tantivy, embed it, and queue its HNSW insertion (the costliest step at
        scale) on the vector thread, so that this thread splits, hashes, writes SQLite and embeds
        the next batch meanwhile."""
        import tantivy

        for pid, title, text in batch:
            tdoc = tantivy.Document()
            tdoc.add_unsigned("pid", pid)
            if title:
                tdoc.add_text("title", title)
            tdoc.add_text("body", text)
            writer.add_document(tdoc)
        emb = self.embedder.encode([text for _, _, text in batch])
        keep = np.flatnonzero(np.abs(emb).sum(axis=1) > 0)
        if len(keep):
            keys = np.asarray([batch[i][0] for i in keep], dtype=np.uint64)
            vectors.submit(keys, emb[keep])

    # -- whole-store operations --------------------------------------------------------------------

    def iter_documents(self, corpus: str | None = None) -> Iterator[tuple[int, str, str | None]]:
        """(doc id, corpus, title) of every document."""
        sql = "SELECT id, corpus, title FROM documents"
        rows = self._db.execute(sql + (" WHERE corpus = ?" if corpus else ""), (corpus,) if corpus else ())
        yield from rows


def _rebuild_hint(path: Path) -> str:
    """How to rebuild the store at ``path``, for a message."""
    with contextlib.suppress(Exception):
        if path.resolve() == default_store_path().resolve():
            return "'factaudit index --rebuild'"
    return f"'factaudit index SOURCE... --rebuild --store {path}'"


def _check_sqlite_file(db: Path, hint: str, *, allow_empty: bool) -> None:
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


def _table_names(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _missing_tables(db: Path, missing: list[str], hint: str) -> str:
    return (
        f"{db} has no {', '.join(missing)} table{'s' if len(missing) > 1 else ''}: it is not an "
        f"evidence store, or a damaged one; rebuild it with {hint}"
    )


def _connect_read_only(db: Path) -> sqlite3.Connection:
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
        raise StoreError(f"cannot open {db} ({exc}); rebuild it with {_rebuild_hint(db.parent)}") from exc


def recover_interrupted_rebuild(path: Path | str) -> None:
    """Complete or undo a ``rebuild_store`` swap cut short between its renames: with ``path`` gone,
    move ``<name>.new`` (a finished build) into place, else ``<name>.old`` (the previous store, left
    by a swap of an older factaudit) back. A rename in the parent folder, not a write to a store."""
    path = Path(path).expanduser()
    if path.exists():
        return
    new, old = path.with_name(path.name + ".new"), path.with_name(path.name + ".old")
    for src in (new, old):
        if not (src / SQLITE_FILE).is_file():
            continue
        try:
            os.rename(src, path)
        except OSError as exc:
            if path.exists():  # another process recovered it first
                return
            raise StoreError(
                f"a rebuild of {path} was interrupted and {src} cannot be moved back "
                f"({exc.strerror or exc}); rename it to {path}"
            ) from exc
        if src == new:
            shutil.rmtree(old, ignore_errors=True)
        return


def corpus_names(path: Path | str) -> list[str]:
    """Names of the corpora a store folder holds, read without opening it as an EvidenceStore
    (works for a store built with another embedder or schema); ``[]`` when unreadable."""
    db = Path(path).expanduser() / SQLITE_FILE
    if not db.is_file() or not db.stat().st_size:
        return []
    try:
        con = _connect_read_only(db)
        try:
            return [r[0] for r in con.execute("SELECT name FROM corpora ORDER BY name")]
        finally:
            con.close()
    except (sqlite3.Error, StoreError):
        return []


class _LazyVectors:
    """The writable vector index, loaded (a full in-memory copy) only when a write needs it, and the
    worker thread that inserts batches into it (at most ``_VECTOR_BACKLOG`` in flight; usearch
    releases the GIL and uses every core while it inserts)."""

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load = load
        self._index: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self._pending: deque[Future[None]] = deque()
        self.changed = False

    def get(self) -> Any:
        if self._index is None:
            self._index = self._load()
        return self._index

    def submit(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        """Queue ``index.add(keys, vectors)``; blocks while ``_VECTOR_BACKLOG`` batches are ahead."""
        index = self.get()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="factaudit-vectors")
        self._pending.append(self._pool.submit(index.add, keys, vectors))
        self.changed = True
        while len(self._pending) > _VECTOR_BACKLOG:
            self._pending.popleft().result()

    def drain(self) -> None:
        """Wait for every queued batch; re-raises the first failure."""
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        """Stop the worker (after the batch it is on); queued batches are dropped."""
        for fut in self._pending:
            fut.cancel()
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


__all__ = [
    "STORE_ENV",
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
