"""The fact-check library: an evidence store folder whose documents are published fact-checks.

The library *is* an :class:`~factaudit.evidence.store.EvidenceStore` (SQLite + tantivy BM25 +
usearch vectors, all-or-nothing writes, read-only opens that write nothing), so it inherits the
store's crash safety, damage checks and latency budget. Each fact-check is one document — key and
url the fact-check's URL, text the claim as reviewed (one passage), date its publication date —
with the rating in the publisher's words, the normalised rating, the publisher and the language in
the document's ``meta``. One corpus per import source (``snopes-2020`` for the shipped entries).

* Deduplicated by URL: a URL already in the feed or the library is skipped and counted (a URL
  re-imported from the same source with a changed claim or rating replaces its entry).
* Two fact-checks of the same claim text share one passage (the store deduplicates passages by
  content); :meth:`FactCheckLibrary.entries_for` returns every fact-check behind a passage.
* Non-English entries are kept and marked (the feed's ``inLanguage``/``language``, else detected
  with py3langid); matching compares only same-language entries.
* A failed import (a malformed file half-way, Ctrl-C) is rolled back whole: the library stays as
  it was before the command.

The default library lives in ``$FACTAUDIT_FACTCHECKS`` (else ``<user data dir>/factaudit/factchecks/
default``) and is seeded on first use with the shipped entries (:mod:`.default`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EmptyInputError, InputError, StoreError
from ..evidence.passages import MIN_PASSAGE_CHARS, content_hash
from ..evidence.store import AddProgress, EvidenceStore, Segment, SourceDocument
from .readers import FactCheck, RawEntry, read_feed

__all__ = ["FactCheckLibrary", "ImportStats", "LibraryStats"]

#: Below this py3langid probability an entry's language is left unknown (matched with any).
LANGUAGE_CONFIDENCE = 0.9


@dataclass
class ImportStats:
    """What one import did, with every skip counted by reason."""

    read: int = 0
    imported: int = 0
    updated: int = 0
    #: Same URL, same content: already in the library.
    unchanged: int = 0
    duplicate_urls: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    #: Entries whose claim text is already in the library under another URL (kept; they share it).
    shared_claim_text: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Entries read per second."""
        return self.read / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: v for k, v in vars(self).items() if not isinstance(v, Counter)}
        for k, v in vars(self).items():
            if isinstance(v, Counter):
                out[k] = dict(v.most_common())
        out["seconds"] = round(self.seconds, 3)
        out["rate_per_s"] = round(self.rate, 1)
        return out


@dataclass
class LibraryStats:
    entries: int
    sources: dict[str, int]
    ratings: dict[str, int]
    publishers: dict[str, int]
    languages: dict[str, int]
    first_date: str | None
    last_date: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _url_key(url: str) -> int:
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big")


#: Entries read ahead so that their claims' languages are identified in one batch.
_LANGUAGE_BATCH = 1024


def _with_languages(entries: Iterable[RawEntry | FactCheck], detect: bool
                    ) -> Iterator[tuple[RawEntry, str | None]]:
    """Each entry with the language of its claim: the feed's own, else (when ``detect``) the
    identifier's guess when it is confident (or English), else None. Claims are identified in
    batches of :data:`_LANGUAGE_BATCH` (``classify_many``: the import's costliest step otherwise)."""
    from ..extract.language import classify_many

    def flush(chunk: list[RawEntry]) -> Iterator[tuple[RawEntry, str | None]]:
        todo = {i: " ".join(r.entry.claim_reviewed.split()) for i, r in enumerate(chunk)
                if detect and r.entry is not None and not r.entry.language}
        guesses = dict(zip(todo, classify_many(list(todo.values())), strict=True))
        for i, r in enumerate(chunk):
            lang = r.entry.language if r.entry is not None else None
            if i in guesses:
                guess, prob = guesses[i]
                lang = guess if prob >= LANGUAGE_CONFIDENCE or guess == "en" else None
            yield r, lang

    chunk: list[RawEntry] = []
    for item in entries:
        chunk.append(item if isinstance(item, RawEntry) else RawEntry(item))
        if len(chunk) >= _LANGUAGE_BATCH:
            yield from flush(chunk)
            chunk = []
    yield from flush(chunk)


def _record(row: tuple[Any, ...]) -> FactCheck:
    """A FactCheck from ``(text, url, date, title, meta)`` columns."""
    text, url, date, title, meta_json = row
    meta = json.loads(meta_json) if meta_json else {}
    return FactCheck(claim_reviewed=text, rating=str(meta.get("rating", "")), url=url,
                     normalised=meta.get("normalised") or None, publisher=meta.get("publisher"),
                     date=date, language=meta.get("language"), title=title)


class FactCheckLibrary:
    """A fact-check library folder (see the module docstring). ``read_only=True`` for matching."""

    def __init__(self, path: Path | str, *, create: bool = False, read_only: bool = False,
                 embedder: Any = None) -> None:
        self.path = Path(path).expanduser()
        self.store = EvidenceStore(self.path, create=create, read_only=read_only, embedder=embedder)
        if not read_only:
            try:
                self.store._db.executescript(
                    "CREATE INDEX IF NOT EXISTS documents_url ON documents(url);"
                    "CREATE INDEX IF NOT EXISTS documents_content ON documents(content_hash);"
                )
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"cannot write the fact-check library {self.path}: {exc}") from exc

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> FactCheckLibrary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def warnings(self) -> list[str]:
        return self.store.warnings

    # -- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.store._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def entries_for(self, passage_ids: Iterable[int]) -> dict[int, list[FactCheck]]:
        """Every fact-check behind each passage: its own document first, then any other document
        with the same claim text (two publishers, one claim)."""
        ids = [int(i) for i in passage_ids]
        if not ids:
            return {}
        db = self.store._db
        marks = ",".join("?" * len(ids))
        with self.store._lock:
            rows = db.execute(
                "SELECT p.id, p.text, d.id, d.url, d.date, d.title, d.meta, d.content_hash FROM passages p "
                f"JOIN documents d ON p.doc_id = d.id WHERE p.id IN ({marks})", ids).fetchall()
            hashes = sorted({r[7] for r in rows})
            siblings: dict[int, list[tuple[Any, ...]]] = {}
            hmarks = ",".join("?" * len(hashes))
            for h, doc_id, *rest in db.execute(
                "SELECT content_hash, id, url, date, title, meta FROM documents "
                f"WHERE content_hash IN ({hmarks})",
                hashes,
            ):
                siblings.setdefault(h, []).append((doc_id, *rest))
        out: dict[int, list[FactCheck]] = {}
        for pid, text, doc_id, url, date, title, meta, h in rows:
            found = [_record((text, url, date, title, meta))]
            found += [_record((text, *sib[1:])) for sib in siblings.get(h, []) if sib[0] != doc_id]
            out[pid] = found
        return out

    def iter_entries(self, *, source: str | None = None, limit: int | None = None,
                     offset: int = 0) -> Iterator[tuple[str, FactCheck]]:
        """``(source, entry)`` in import order."""
        sql = ("SELECT d.corpus, COALESCE(p.text, ''), d.url, d.date, d.title, d.meta FROM documents d "
               "LEFT JOIN passages p ON p.doc_id = d.id")
        params: list[Any] = []
        if source:
            sql += " WHERE d.corpus = ?"
            params.append(source)
        sql += " ORDER BY d.id LIMIT ? OFFSET ?"
        params += [-1 if limit is None else int(limit), int(offset)]
        for row in self.store._db.execute(sql, params):
            entry = _record(row[1:])
            if not entry.claim_reviewed:
                entry.claim_reviewed = self._shared_text(entry.url)
            yield row[0], entry

    def _shared_text(self, url: str) -> str:
        """The claim text of an entry whose passage another entry holds (same content hash)."""
        row = self.store._db.execute(
            "SELECT p.text FROM documents d JOIN documents o ON o.content_hash = d.content_hash "
            "JOIN passages p ON p.doc_id = o.id WHERE d.url = ? LIMIT 1", (url,)).fetchone()
        return str(row[0]) if row else ""

    def stats(self) -> LibraryStats:
        db = self.store._db
        ratings: Counter[str] = Counter()
        publishers: Counter[str] = Counter()
        languages: Counter[str] = Counter()
        for (meta_json,) in db.execute("SELECT meta FROM documents"):
            meta = json.loads(meta_json) if meta_json else {}
            ratings[str(meta.get("normalised") or "other")] += 1
            publishers[str(meta.get("publisher") or "unknown")] += 1
            languages[str(meta.get("language") or "unknown")] += 1
        sources = dict(db.execute("SELECT corpus, COUNT(*) FROM documents GROUP BY corpus ORDER BY corpus"))
        first, last = db.execute("SELECT MIN(date), MAX(date) FROM documents").fetchone()
        return LibraryStats(entries=sum(sources.values()), sources=sources,
                            ratings=dict(ratings.most_common()), publishers=dict(publishers.most_common(20)),
                            languages=dict(languages.most_common()), first_date=first, last_date=last)

    # -- writing -------------------------------------------------------------------------------

    def import_files(self, paths: Iterable[Path], *, source: str | None = None,
                     progress: Callable[[ImportStats], None] | None = None) -> ImportStats:
        """Import every feed in ``paths`` in one all-or-nothing write (see :mod:`.readers`)."""
        paths = [Path(p) for p in paths]
        if not paths:
            raise InputError("no fact-check files given")

        def entries() -> Iterator[RawEntry]:
            for p in paths:
                yield from read_feed(p)

        name = source or (paths[0].stem if len(paths) == 1 else "import")
        return self.import_entries(entries(), source=name, progress=progress,
                                   what=", ".join(str(p) for p in paths))

    def import_entries(self, entries: Iterable[RawEntry | FactCheck], *, source: str,
                       licence: str | None = None, attribution: str | None = None,
                       detect_language: bool = True, progress: Callable[[ImportStats], None] | None = None,
                       what: str | None = None, origin: str | None = None) -> ImportStats:
        """Add entries under the corpus ``source``; all or nothing. Raises ``EmptyInputError`` when
        nothing was read and ``InputError`` when every entry read was skipped."""
        import time

        stats = ImportStats()
        seen: set[int] = set()
        db = self.store._db
        started = time.perf_counter()
        meta_updates = 0

        def documents() -> Iterator[SourceDocument]:
            nonlocal meta_updates
            for raw, lang in _with_languages(entries, detect_language):
                stats.read += 1
                for note in raw.notes:
                    stats.notes[note] += 1
                if raw.entry is None:
                    stats.skipped[raw.skip or "unreadable"] += 1
                    continue
                e = raw.entry
                claim, url = " ".join(e.claim_reviewed.split()), e.url.strip()
                if len(claim) < MIN_PASSAGE_CHARS:
                    stats.skipped[f"claim shorter than {MIN_PASSAGE_CHARS} characters"] += 1
                    continue
                key = _url_key(url)
                if key in seen:
                    stats.duplicate_urls += 1
                    continue
                seen.add(key)
                row = db.execute("SELECT corpus, id, content_hash, meta, date FROM documents WHERE url = ? "
                                 "LIMIT 1", (url,)).fetchone()
                if row is not None and row[0] != source:
                    stats.duplicate_urls += 1
                    continue
                stats.languages[lang or "unknown"] += 1
                meta = {"rating": e.rating, "normalised": e.normalised, "publisher": e.publisher,
                        "language": lang}
                if row is not None and row[2] == content_hash(claim + "\x00" + (e.title or "")):
                    # same claim text: a changed rating, date or publisher is updated in place
                    # (only the text is indexed)
                    new_meta = json.dumps(meta, ensure_ascii=False)
                    if (json.loads(row[3]) if row[3] else {}) != meta or row[4] != e.date:
                        db.execute("UPDATE documents SET meta = ?, date = ? WHERE id = ?",
                                   (new_meta, e.date, row[1]))
                        meta_updates += 1
                    else:
                        stats.unchanged += 1
                    continue
                yield SourceDocument(text=claim, title=e.title, key=url, url=url, date=e.date, meta=meta,
                                     passages=[Segment(0, len(claim), e.date)])

        def on_progress(p: AddProgress) -> None:
            if progress is not None:
                stats.seconds = time.perf_counter() - started
                progress(stats)

        add = self.store.add_documents(documents(), corpus=source, licence=licence, attribution=attribution,
                                       source=origin, allow_empty=True, progress=on_progress, batch_size=2048)
        stats.imported = add.documents - add.replaced_documents
        stats.updated = add.replaced_documents + meta_updates
        stats.unchanged += add.skipped_documents
        stats.shared_claim_text = add.duplicates
        stats.seconds = time.perf_counter() - started
        label = what or source
        if stats.read == 0:
            raise EmptyInputError(f"no fact-checks in {label}")
        if not (stats.imported or stats.updated or stats.unchanged or stats.duplicate_urls):
            reasons = ", ".join(f"{why}: {n}" for why, n in stats.skipped.most_common())
            raise InputError(f"nothing to import from {label}: all {stats.read} entries skipped ({reasons})")
        return stats


def content_key(text: str) -> int:
    """The content hash the store gives a fact-check document without a title."""
    return content_hash(text + "\x00")
