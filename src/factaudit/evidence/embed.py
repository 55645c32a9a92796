"""Sentence embedders for the evidence store: a shipped static embedder and an optional MiniLM ONNX one.

* :class:`StaticEmbedder` (the default): a model2vec-style static embedding table distilled from
  all-MiniLM-L6-v2 (``scripts/build_static_embedder.py``): WordPiece tokens → int8 rows (one scale
  per row) → mean → L2 norm. numpy + tokenizers only; thousands of passages per second on one
  core and well under a millisecond per query.
* :class:`OnnxEmbedder`: all-MiniLM-L6-v2 exported to int8 ONNX (mean pooling + L2 norm inside the
  graph), run with onnxruntime. Better dense recall, ~50 passages/s on this 2-core machine: for
  users who build their store once and accept ~25 ms per query. Not shipped (23 MB); make it with
  ``scripts/build_static_embedder.py --minilm-onnx DIR`` and select it with ``FACTAUDIT_EMBEDDER=DIR``.

Every embedder directory holds ``embedder.json`` (name, version, dim, kind, the sha256 of each
file); files are checked against it on load, so a corrupt or swapped file is a ``ModelError``.
A store records the embedder's name and sha256 and refuses to open with another one.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..document import ModelInfo
from ..errors import ModelError
from ..models.onnx import load_tokenizer, make_session, padded_batches, sha256_file

#: The shipped static embedder.
DEFAULT_EMBEDDER_DIR = (
    Path(__file__).resolve().parents[1] / "resources" / "embedders" / "static-minilm-l6-256"
)
#: Environment variable naming another embedder directory.
EMBEDDER_ENV = "FACTAUDIT_EMBEDDER"
META_FILE = "embedder.json"
#: Tokens per text the static embedder looks at (model2vec's default).
STATIC_MAX_TOKENS = 512
#: Tokens per text for the transformer (passages are ≤ ~400 chars, ~100 tokens).
ONNX_MAX_TOKENS = 256


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors (one row per text)."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], *, batch_size: int = 256) -> np.ndarray: ...

    def info(self) -> ModelInfo: ...


def _read_meta(directory: Path) -> dict[str, Any]:
    meta_path = directory / META_FILE
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"no embedder at {directory} ({META_FILE} is missing)") from exc
    except (OSError, ValueError) as exc:
        raise ModelError(f"unreadable embedder metadata {meta_path}: {exc}") from exc
    for key in ("name", "version", "kind", "dim", "files"):
        if key not in meta:
            raise ModelError(f"{meta_path} lacks {key!r}")
    return meta


def _checked_file(directory: Path, meta: dict[str, Any], role: str) -> Path:
    entry = meta["files"].get(role)
    if not entry:
        raise ModelError(f"{directory / META_FILE} names no {role!r} file")
    path = directory / entry["path"]
    if not path.is_file():
        raise ModelError(f"embedder file missing: {path}")
    digest = sha256_file(path)
    if digest != entry["sha256"]:
        raise ModelError(
            f"embedder file {path} is corrupt or was replaced (sha256 {digest[:12]}…, "
            f"expected {entry['sha256'][:12]}…); reinstall factaudit"
        )
    return path


def _combined_sha(meta: dict[str, Any]) -> str:
    """One sha256 over the sha256s of the embedder's files (what a store records)."""
    parts = [f"{role}:{entry['sha256']}" for role, entry in sorted(meta["files"].items())]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _normalise(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (rows / norms).astype(np.float32, copy=False)


class StaticEmbedder:
    """Static (per-token) embeddings: mean of int8 rows × per-row scale, L2-normalised."""

    def __init__(self, directory: Path = DEFAULT_EMBEDDER_DIR) -> None:
        self.directory = Path(directory)
        self.meta = _read_meta(self.directory)
        if self.meta["kind"] != "static":
            raise ModelError(f"{self.directory} is a {self.meta['kind']!r} embedder, not a static one")
        self.name: str = self.meta["name"]
        self.dim: int = int(self.meta["dim"])
        self.sha256 = _combined_sha(self.meta)
        weights = _checked_file(self.directory, self.meta, "weights")
        tokenizer = _checked_file(self.directory, self.meta, "tokenizer")
        try:
            with np.load(weights, allow_pickle=False) as npz:
                rows = npz["embeddings"]
                scales = npz["scales"].astype(np.float32)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"unreadable embedder weights {weights}: {exc}") from exc
        if rows.ndim != 2 or rows.shape[1] != self.dim:
            raise ModelError(f"{weights} holds a {rows.shape} table, expected (*, {self.dim})")
        # Dequantise once: 30k × 256 float32 is 30 MB and makes the gather a plain fancy index.
        self._table = rows.astype(np.float32) * scales.reshape(-1, 1)
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(tokenizer))
        self._tok.no_padding()
        self._tok.no_truncation()
        unk = self.meta.get("unk_token", "[UNK]")
        self._unk = self._tok.token_to_id(unk) if unk else None

    def encode(self, texts: Sequence[str], *, batch_size: int = 1024) -> np.ndarray:
        """Embed ``texts`` (float32, one L2-normalised row each; all-zero for a text with no known token)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        table, unk = self._table, self._unk
        encode = getattr(self._tok, "encode_batch_fast", self._tok.encode_batch)  # fast: no offsets
        for start in range(0, len(texts), batch_size):
            chunk = [str(t) for t in texts[start : start + batch_size]]
            for i, enc in enumerate(encode(chunk, add_special_tokens=False), start):
                ids = np.asarray(enc.ids[:STATIC_MAX_TOKENS], dtype=np.int64)
                if unk is not None:
                    ids = ids[ids != unk]
                if len(ids):
                    # a plain gather + sum per text: ~10x faster here than one np.add.reduceat per batch
                    out[i] = table[ids].sum(axis=0) / len(ids)
        return _normalise(out)

    def info(self) -> ModelInfo:
        return ModelInfo(
            name=self.name, version=str(self.meta["version"]), sha256=self.sha256, path=str(self.directory)
        )


class OnnxEmbedder:
    """A transformer sentence embedder exported to ONNX (inputs ids + mask, output pooled + normalised)."""

    def __init__(self, directory: Path, *, threads: int = 2) -> None:
        self.directory = Path(directory)
        self.meta = _read_meta(self.directory)
        if self.meta["kind"] != "onnx":
            raise ModelError(f"{self.directory} is a {self.meta['kind']!r} embedder, not an ONNX one")
        self.name = str(self.meta["name"])
        self.dim = int(self.meta["dim"])
        self.sha256 = _combined_sha(self.meta)
        model = _checked_file(self.directory, self.meta, "model")
        tokenizer = _checked_file(self.directory, self.meta, "tokenizer")
        try:
            # Corpus batches come in every shape: without the arena, memory stays flat.
            self._session = make_session(model, threads=threads, memory_arena=False)
        except Exception as exc:  # onnxruntime raises its own unrelated classes
            raise ModelError(f"cannot load {model}: {exc}") from exc
        self._tok = load_tokenizer(tokenizer, int(self.meta.get("max_tokens", ONNX_MAX_TOKENS)))
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Embed ``texts``; sorted by length into batches so padding stays small."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tok.encode_batch([str(t) for t in texts])
        for rows, feed in padded_batches(encodings, batch_size):
            with self._lock:
                (emb,) = self._session.run(None, feed)
            out[rows] = emb
        return _normalise(out)

    def info(self) -> ModelInfo:
        return ModelInfo(
            name=self.name, version=str(self.meta["version"]), sha256=self.sha256, path=str(self.directory)
        )


def load_embedder(directory: Path | str | None = None) -> StaticEmbedder | OnnxEmbedder:
    """The embedder in ``directory`` (default: ``$FACTAUDIT_EMBEDDER``, else the shipped static one)."""
    if directory is None:
        directory = os.environ.get(EMBEDDER_ENV) or DEFAULT_EMBEDDER_DIR
    return _load_cached(str(Path(directory).resolve()))


@lru_cache(maxsize=4)
def _load_cached(directory: str) -> StaticEmbedder | OnnxEmbedder:
    kind = _read_meta(Path(directory))["kind"]
    if kind == "static":
        return StaticEmbedder(Path(directory))
    if kind == "onnx":
        return OnnxEmbedder(Path(directory))
    raise ModelError(f"{directory}: unknown embedder kind {kind!r}")


__all__ = [
    "DEFAULT_EMBEDDER_DIR",
    "EMBEDDER_ENV",
    "Embedder",
    "OnnxEmbedder",
    "StaticEmbedder",
    "load_embedder",
    "sha256_file",
]
