"""The check-worthiness scorer: a fine-tuned MiniLM-L6 sentence classifier as int8 ONNX.

Runs on onnxruntime + tokenizers only (no torch). The files live in ``models/files/``:
``checkworthiness.int8.onnx``, ``checkworthiness.tokenizer.json`` and ``checkworthiness.json``
(threshold, max_len, label order, the ONNX file's sha256, metrics). See
``CHECKWORTHINESS_MODEL_CARD.md`` and ``factaudit.training.checkworthiness`` for how it is made.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .onnx import DEFAULT_THREADS, load_tokenizer, make_session, padded_batches, sha256_file, softmax

FILES_DIR = Path(__file__).with_name("files")
META_FILE = "checkworthiness.json"
#: One sentence per run for a dynamically quantised model: dynamic int8 computes activation scales
#: over the whole batch, so batched scores depend on their batch mates (measured up to 0.13 in
#: P(Yes)); one at a time, a sentence's score is a function of the sentence alone.
DEFAULT_BATCH_SIZE = 1
#: A statically quantised model (``"batch_invariant": true`` in its metadata: fixed activation
#: ranges, mask and softmax in float) gives every sentence the same score in any batch, so it is
#: scored in batches of this many (about 1.6x the one-at-a-time rate).
INVARIANT_BATCH_SIZE = 32


def score_with_session(
    session: Any,
    tokenizer: Any,
    texts: Sequence[str],
    *,
    yes_index: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> np.ndarray:
    """P(Yes) for each text; texts are sorted by length into batches so padding stays small."""
    if not texts:
        return np.zeros(0, dtype=np.float32)
    encodings = tokenizer.encode_batch([str(t) for t in texts])
    out = np.empty(len(encodings), dtype=np.float32)
    for rows, feed in padded_batches(encodings, batch_size):
        (logits,) = session.run(["logits"], feed)
        out[rows] = softmax(logits)[:, yes_index]
    return out


class CheckworthinessModel:
    """Scores sentences for check-worthiness: P(Yes) in [0, 1]; ``>= threshold`` means check-worthy.

    Nothing is read until :meth:`load` (or the first :meth:`score`).
    """

    def __init__(
        self,
        files_dir: Path | None = None,
        *,
        threads: int = DEFAULT_THREADS,
        batch_size: int | None = None,
        verify_sha256: bool = True,
        spinning: bool = False,
    ) -> None:
        self.files_dir = Path(files_dir) if files_dir is not None else FILES_DIR
        self.threads = threads
        self.batch_size = batch_size
        self.verify_sha256 = verify_sha256
        self.spinning = spinning
        self._meta: dict[str, Any] | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def load(self) -> CheckworthinessModel:
        """Read the metadata, check the ONNX file's sha256 and open the session (once)."""
        with self._lock:
            if self._session is not None:
                return self
            meta_path = self.files_dir / META_FILE
            if not meta_path.is_file():
                raise ModelError(f"check-worthiness model metadata missing: {meta_path}")
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                onnx_path = self.files_dir / meta["onnx_file"]
                tok_path = self.files_dir / meta["tokenizer_file"]
                labels = list(meta["labels"])
                yes_index = labels.index("Yes")
                max_len = int(meta["max_len"])
                float(meta["threshold"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ModelError(f"check-worthiness model metadata is corrupt: {meta_path} ({exc})") from exc
            for path in (onnx_path, tok_path):
                if not path.is_file():
                    raise ModelError(f"check-worthiness model file missing: {path}")
            if self.verify_sha256:
                actual = sha256_file(onnx_path)
                if actual != meta.get("sha256"):
                    raise ModelError(
                        f"check-worthiness model {onnx_path.name} does not match its recorded sha256 "
                        f"(expected {meta.get('sha256')}, found {actual}): reinstall factaudit"
                    )
            try:
                tokenizer = load_tokenizer(tok_path, max_len)
                session = make_session(onnx_path, threads=self.threads, spinning=self.spinning)
            except Exception as exc:  # onnxruntime / tokenizers raise their own types
                raise ModelError(f"cannot load check-worthiness model from {self.files_dir}: {exc}") from exc
            meta["_yes_index"] = yes_index
            if self.batch_size is None:
                self.batch_size = INVARIANT_BATCH_SIZE if meta.get("batch_invariant") else DEFAULT_BATCH_SIZE
            self._meta, self._tokenizer, self._session = meta, tokenizer, session
            return self

    @property
    def meta(self) -> dict[str, Any]:
        """The model's ``checkworthiness.json`` (loads the model)."""
        if self._meta is None:
            self.load()
        assert self._meta is not None
        return self._meta

    @property
    def threshold(self) -> float:
        """Decision threshold on P(Yes), tuned for F1 on held-out training data."""
        return float(self.meta["threshold"])

    @property
    def max_len(self) -> int:
        """Token limit per sentence (longer sentences are truncated)."""
        return int(self.meta["max_len"])

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """P(Yes) for each text, as a float32 array in input order (empty input → empty array)."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        meta = self.meta
        return score_with_session(
            self._session,
            self._tokenizer,
            texts,
            yes_index=int(meta["_yes_index"]),
            batch_size=self.batch_size or DEFAULT_BATCH_SIZE,
        )

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Boolean check-worthy decisions at :attr:`threshold`."""
        return self.score(texts) >= self.threshold

    def info(self) -> dict[str, Any]:
        """Name, version and sha256 of the ONNX file, for a report's run record."""
        meta = self.meta
        return {
            "name": str(meta.get("name", "checkworthiness")),
            "version": str(meta.get("version", "")),
            "sha256": str(meta["sha256"]),
            "path": str(self.files_dir / meta["onnx_file"]),
        }


@lru_cache(maxsize=4)
def get_model(threads: int = DEFAULT_THREADS) -> CheckworthinessModel:
    """The shipped model, loaded once per process (per thread count)."""
    return CheckworthinessModel(threads=threads).load()
