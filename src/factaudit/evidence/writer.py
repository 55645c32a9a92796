"""Adding documents to a store: what one :meth:`EvidenceStore.add_documents` call writes before it
commits (:class:`AddTransaction`: documents split, deduplicated by content hash, replaced when their
content changed, embedded and indexed), and what it reports (:class:`AddProgress`, :class:`AddStats`).
The commit order and the rollback are the store's (see :mod:`.store`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import bm25
from . import vectors as vec
from .embed import Embedder
from .passages import MIN_PASSAGE_CHARS, SourceDocument, content_hash, split_passages
from .sqlite import now

__all__ = ["AddProgress", "AddStats", "AddTransaction", "ProgressCallback"]


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
    """What one ``add_documents`` call did."""

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


class AddTransaction:
    """The rows, index entries and vectors of one ``add_documents`` call, before the commit: SQLite
    rows inside the caller's open transaction, tantivy documents on its uncommitted writer, vectors
    queued on ``vectors``. ``next_pid`` is the next passage id (the high-water mark to commit)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        writer: Any,
        vectors: vec.LazyVectors,
        embedder: Embedder,
        corpus: str,
        licence: str | None,
        next_pid: int,
        stats: AddStats,
    ) -> None:
        self.db, self.writer, self.vectors, self.embedder = db, writer, vectors, embedder
        self.corpus, self.licence, self.next_pid, self.stats = corpus, licence, next_pid, stats
        #: ``(passage id, document title, passage text)`` waiting to be indexed and embedded.
        self.batch: list[tuple[int, str, str]] = []

    def add(self, doc: SourceDocument) -> None:
        """Store one document and its new passages (skipped when unchanged, replaced when changed)."""
        text = doc.text
        stats = self.stats
        doc_hash = content_hash(text + "\x00" + (doc.title or ""))
        key = doc.key or doc.url or f"sha:{doc_hash & 0xFFFFFFFFFFFFFFFF:016x}"
        row = self.db.execute(
            "SELECT id, content_hash FROM documents WHERE corpus = ? AND key = ?", (self.corpus, key)
        ).fetchone()
        if row is not None:
            if row[1] == doc_hash:
                stats.skipped_documents += 1
                return
            self._delete_document(row[0])
            stats.replaced_documents += 1
        cur = self.db.execute(
            "INSERT INTO documents(corpus, key, content_hash, title, url, date, licence, meta, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.corpus,
                key,
                doc_hash,
                doc.title,
                doc.url,
                doc.date,
                doc.licence or self.licence,
                json.dumps(doc.meta, ensure_ascii=False) if doc.meta else None,
                now(),
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
            lead = len(text[seg.start : seg.end]) - len(text[seg.start : seg.end].lstrip())
            start = seg.start + lead
            # the UNIQUE index on hash is the duplicate check: one statement instead of two
            cur = self.db.execute(
                'INSERT INTO passages(id, doc_id, text, start, "end", date, hash) '
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(hash) DO NOTHING",
                (self.next_pid, doc_id, ptext, start, start + len(ptext), seg.date, content_hash(ptext)),
            )
            if cur.rowcount == 0:
                stats.duplicates += 1
                continue
            self.batch.append((self.next_pid, title, ptext))
            self.next_pid += 1
            stats.passages += 1

    def _delete_document(self, doc_id: int) -> None:
        pids = [r[0] for r in self.db.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))]
        for pid in pids:
            self.writer.delete_documents_by_term("pid", pid)
        self.vectors.drain()
        if pids and len(self.vectors.get()):
            self.vectors.get().remove(np.asarray(pids, dtype=np.uint64))
            self.vectors.changed = True
        self.db.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def flush(self) -> None:
        """Add the batch to tantivy, embed it, and queue its HNSW insertion (the costliest step at
        scale) on the vector thread, so that this thread splits, hashes, writes SQLite and embeds
        the next batch meanwhile."""
        batch = self.batch
        if not batch:
            return
        bm25.add_passages(self.writer, batch)
        emb = self.embedder.encode([text for _, _, text in batch])
        keep = np.flatnonzero(np.abs(emb).sum(axis=1) > 0)
        if len(keep):
            keys = np.asarray([batch[i][0] for i in keep], dtype=np.uint64)
            self.vectors.submit(keys, emb[keep])
        self.batch = []
