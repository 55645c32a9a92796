"""The dense half of the store: a usearch HNSW index of passage vectors (cosine, float16), memory-
mapped for search (exact below :data:`EXACT_SEARCH_MAX` vectors), loaded whole only to be written,
with insertions run on a worker thread behind the indexing (:class:`LazyVectors`)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StoreError

__all__ = [
    "EXACT_SEARCH_MAX",
    "HNSW_CONNECTIVITY",
    "HNSW_DTYPE",
    "HNSW_EXPANSION_ADD",
    "HNSW_EXPANSION_SEARCH",
    "HNSW_EXPANSION_SEARCH_LARGE",
    "LARGE_INDEX",
    "LazyVectors",
    "get_vectors",
    "load_for_write",
    "new_index",
    "open_read_only",
    "open_view",
    "restore_view",
    "search",
]

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


def restore_view(path: Path) -> Any:
    """The index at ``path``, memory-mapped read-only (a wider search beam past
    :data:`LARGE_INDEX`); ``None`` when the file is not a usearch index. usearch raises
    RuntimeError/ValueError on a damaged file."""
    from usearch.index import Index

    index = Index.restore(str(path), view=True, **_HNSW)
    if index is not None and len(index) > LARGE_INDEX:
        wide = {**_HNSW, "expansion_search": HNSW_EXPANSION_SEARCH_LARGE}
        index = Index.restore(str(path), view=True, **wide)
    return index


def open_read_only(path: Path, dim: int) -> tuple[Any, str | None]:
    """(memory-mapped index, None), or (None, what is wrong)."""
    if not path.is_file():
        return None, f"the vector index {path} is missing"
    try:
        index = restore_view(path)
    except Exception as exc:  # usearch raises RuntimeError/ValueError on damage
        return None, f"the vector index {path} cannot be read ({' '.join(str(exc).split())})"
    if index is None:
        return None, f"the vector index {path} cannot be read (not a usearch index)"
    if index.ndim != dim:
        return None, (
            f"the vector index {path} has {index.ndim} dimensions where the store's embedder has {dim}"
        )
    return index, None


def open_view(path: Path, dim: int) -> Any:
    """A writable store's current vectors for search, memory-mapped; :class:`StoreError` when damaged."""
    try:
        index = restore_view(path)
    except Exception as exc:  # usearch raises RuntimeError/ValueError on damage
        raise StoreError(
            f"cannot read the vector index {path}: {exc}; rebuild with 'factaudit index --rebuild'"
        ) from exc
    if index is None or index.ndim != dim:
        raise StoreError(
            f"vector index {path} does not match the store's embedder; rebuild "
            "with 'factaudit index --rebuild'"
        )
    return index


def new_index(dim: int) -> Any:
    """An empty index for ``dim``-dimensional vectors."""
    from usearch.index import Index

    return Index(ndim=dim, metric="cos", dtype=HNSW_DTYPE, **_HNSW)


def load_for_write(path: Path, dim: int, next_pid: int) -> Any:
    """The whole index in memory for a write (a new one when there is no file), without the entries
    at or above the committed high-water mark ``next_pid`` (left by a crash)."""
    if not path.exists():
        return new_index(dim)
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


def search(index: Any, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(passage id, cosine similarity) for a query vector, best first."""
    if index is None or len(index) == 0 or not np.any(vector):
        return []
    exact = len(index) <= EXACT_SEARCH_MAX
    matches = index.search(np.asarray(vector, dtype=np.float32), k, exact=exact)
    return [(int(key), 1.0 - float(dist)) for key, dist in zip(matches.keys, matches.distances, strict=True)]


def get_vectors(index: Any, ids: Sequence[int]) -> dict[int, np.ndarray]:
    """The stored vectors of passage ids (absent ids are left out)."""
    if index is None or not ids:
        return {}
    keys = np.asarray(ids, dtype=np.uint64)
    got = index.get(keys)
    out = {}
    for key, vec in zip(ids, got, strict=True):
        if vec is not None:
            out[int(key)] = np.asarray(vec, dtype=np.float32)
    return out


class LazyVectors:
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
