"""The evidence store: passages from packs and user corpora, BM25 + vector indexes, hybrid retrieval.

* :mod:`.store` — :class:`EvidenceStore` (SQLite + tantivy + usearch folder) and ``rebuild_store``;
  its parts: :mod:`.passages` (documents → passages), :mod:`.sqlite`, :mod:`.bm25`, :mod:`.vectors`,
  :mod:`.writer` (all-or-nothing adds), :mod:`.opening` (open, refuse damage), :mod:`.layout`;
* :mod:`.embed` — the shipped static embedder (and an optional MiniLM ONNX one);
* :mod:`.readers` — folders, JSONL/CSV, Wikipedia XML dumps, WikiExtractor, FEVER wiki-pages, ZIM;
* :mod:`.packs` — the default packs (wiki-vital, factbook) and the default store;
* :mod:`.retrieve` — :class:`Retriever` (BM25 + dense, reciprocal rank fusion) and :func:`split_sentences`.

Heavy imports (tantivy, usearch, tokenizers) happen on first use, not on ``import factaudit.evidence``.
"""

from __future__ import annotations

from .embed import Embedder, load_embedder
from .packs import PackInfo, ensure_default_packs, open_default_store, pack_info
from .readers import read_source
from .retrieve import Hit, Retriever, SentenceSpan, split_sentences
from .store import (
    AddProgress,
    AddStats,
    CorpusInfo,
    EvidenceStore,
    Segment,
    SourceDocument,
    default_store_path,
    rebuild_store,
)

__all__ = [
    "AddProgress",
    "AddStats",
    "CorpusInfo",
    "Embedder",
    "EvidenceStore",
    "Hit",
    "PackInfo",
    "Retriever",
    "Segment",
    "SentenceSpan",
    "SourceDocument",
    "default_store_path",
    "ensure_default_packs",
    "load_embedder",
    "open_default_store",
    "pack_info",
    "read_source",
    "rebuild_store",
    "split_sentences",
]
