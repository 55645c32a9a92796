"""The BM25 half of the store: a tantivy index over passage text and document title (English
stemming), keyed by passage id. Opened writable in place, or read-only through a private folder of
links (tantivy's reader takes a lock file in the folder it opens, a write an audit must not make)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import StoreError

__all__ = [
    "add_passages",
    "open_read_only",
    "open_writable",
    "open_writer",
    "purge_from",
    "schema",
    "search",
]

#: Memory tantivy's writer may buffer before it flushes a segment.
_TANTIVY_HEAP = 128_000_000


def schema() -> Any:
    """``pid`` (passage id: stored, indexed, fast), ``title`` (term frequencies), ``body`` (positions)."""
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("pid", stored=True, indexed=True, fast=True)
    sb.add_text_field("title", tokenizer_name="en_stem", index_option="freq")
    sb.add_text_field("body", tokenizer_name="en_stem", index_option="position")
    return sb.build()


def open_writable(directory: Path) -> Any:
    """The index in ``directory``, made when missing."""
    import tantivy

    directory.mkdir(exist_ok=True)
    try:
        return tantivy.Index(schema(), path=str(directory), reuse=True)
    except ValueError as exc:
        raise StoreError(
            f"cannot open the BM25 index in {directory}: {exc}; rebuild with 'factaudit index --rebuild'"
        ) from exc


def open_read_only(directory: Path) -> tuple[Any, str | None]:
    """(index, None), or (None, what is wrong). tantivy takes a lock file in the index folder to
    open a reader (refused where the folder is read-only, and a write an audit must not make),
    so the reader is opened from a private folder of links to the index files; the links go
    once it is open (the files are memory-mapped by then)."""
    import tantivy

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
            index = tantivy.Index(schema(), path=shadow, reuse=True)
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


def open_writer(index: Any, store_path: Path) -> Any:
    """The index's one writer (one thread); refused while another process holds it."""
    try:
        return index.writer(heap_size=_TANTIVY_HEAP, num_threads=1)
    except ValueError as exc:
        raise StoreError(
            f"the evidence store {store_path} is being written by another process ({exc})"
        ) from exc


def purge_from(writer: Any, next_pid: int) -> None:
    """Drop index entries at or above the committed high-water mark (left by a crash)."""
    import tantivy

    query = tantivy.Query.range_query(schema(), "pid", tantivy.FieldType.Unsigned, next_pid, None)
    writer.delete_documents_by_query(query)


def add_passages(writer: Any, batch: list[tuple[int, str, str]]) -> None:
    """Add ``(passage id, document title, passage text)`` rows to the uncommitted writer."""
    import tantivy

    for pid, title, text in batch:
        tdoc = tantivy.Document()
        tdoc.add_unsigned("pid", pid)
        if title:
            tdoc.add_text("title", title)
        tdoc.add_text("body", text)
        writer.add_document(tdoc)


def search(index: Any, query: Any, k: int) -> list[tuple[int, float]]:
    """(passage id, BM25 score) for a tantivy query, best first."""
    if index is None:
        return []
    searcher = index.searcher()
    if searcher.num_docs == 0:
        return []
    hits = searcher.search(query, limit=k, count=False).hits
    return [(int(searcher.doc(addr)["pid"][0]), float(score)) for score, addr in hits]
