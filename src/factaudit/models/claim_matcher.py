"""The claim matcher: a MiniLM-L6 "same claim" cross-encoder as int8 ONNX, with Platt scaling.

Scores ``(query, claim_reviewed)`` pairs — the article's claim (or its whole source sentence) and
the claim a fact-checker reviewed — as a calibrated probability that both state the same claim.
Runs on onnxruntime + tokenizers (no torch). The shipped files live in ``models/files/``:
``claim_matcher.int8.onnx``, ``claim_matcher.tokenizer.json`` and ``claim_matcher.json`` (max_len,
Platt parameters, the learned fusion over the first stage's features, the decision threshold,
the ONNX file's sha256, training data, metrics). See ``CLAIM_MATCHER_MODEL_CARD.md`` and
:mod:`factaudit.training.claim_matching`.

Another folder holding the same three files (the research-use CheckThat! variant, or one you
trained) is loaded with ``ClaimMatcherModel(path)`` / ``Settings.claim_matcher_model``.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..document import ModelInfo
from ..errors import ModelError
from .onnx import make_session, sha256_file
from .verifier import load_pair_tokenizer, logits_with_session

__all__ = [
    "DEFAULT_THRESHOLD",
    "FILES_DIR",
    "META_FILE",
    "ONNX_FILE",
    "TOKENIZER_FILE",
    "ClaimMatcherModel",
    "fit_platt",
    "get_claim_matcher",
]

FILES_DIR = Path(__file__).with_name("files")
META_FILE = "claim_matcher.json"
ONNX_FILE = "claim_matcher.int8.onnx"
TOKENIZER_FILE = "claim_matcher.tokenizer.json"
#: Same-claim probability above which a fact-check is a match, when the metadata sets none.
DEFAULT_THRESHOLD = 0.5
#: Pairs per ONNX run (sorted by token length first).
BATCH_SIZE = 8


def fit_platt(logits: np.ndarray, labels: np.ndarray, *, iterations: int = 100) -> tuple[float, float]:
    """``(a, b)`` minimising the log loss of ``sigmoid(a·logit + b)`` (Newton's method, Platt's
    smoothed targets so separable data keeps a finite slope)."""
    x = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    n_pos, n_neg = float(y.sum()), float(len(y) - y.sum())
    t = np.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, b = 1.0, 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(a * x + b)))
        g = np.array([np.sum((p - t) * x), np.sum(p - t)])
        w = p * (1 - p) + 1e-12
        h = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - float(step[0]), b - float(step[1])
        if float(np.abs(step).max()) < 1e-9:
            break
    return a, b


class ClaimMatcherModel:
    """Calibrated P(same claim) for ``(query, claim_reviewed)`` pairs. Nothing is read until
    :meth:`load` (or the first :meth:`predict`); missing or sha256-mismatched files raise ModelError."""

    def __init__(self, files_dir: Path | str | None = None, *, threads: int = 1) -> None:
        self.files_dir = Path(files_dir) if files_dir is not None else FILES_DIR
        self.threads = threads
        self._meta: dict[str, Any] | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def load(self) -> ClaimMatcherModel:
        with self._lock:
            if self._session is not None:
                return self
            meta_path = self.files_dir / META_FILE
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                onnx_path = self.files_dir / str(meta["onnx_file"])
                tok_path = self.files_dir / str(meta["tokenizer_file"])
                float(meta["platt"]["a"]), float(meta["platt"]["b"]), int(meta["max_len"])
            except FileNotFoundError as exc:
                raise ModelError(f"claim matcher metadata missing: {meta_path}") from exc
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ModelError(f"claim matcher metadata is corrupt: {meta_path} ({exc})") from exc
            for path in (onnx_path, tok_path):
                if not path.is_file():
                    raise ModelError(f"claim matcher file missing: {path}")
            actual = sha256_file(onnx_path)
            if meta.get("sha256") and actual != meta["sha256"]:
                raise ModelError(
                    f"claim matcher {onnx_path.name} does not match its recorded sha256 "
                    f"(expected {meta['sha256']}, found {actual}): reinstall factaudit"
                )
            try:
                tokenizer = load_pair_tokenizer(tok_path, int(meta["max_len"]))
                session = make_session(onnx_path, threads=self.threads)
            except Exception as exc:  # onnxruntime / tokenizers raise their own types
                raise ModelError(f"cannot load the claim matcher from {self.files_dir}: {exc}") from exc
            self._meta, self._tokenizer, self._session = meta, tokenizer, session
        return self

    @property
    def meta(self) -> dict[str, Any]:
        if self._meta is None:
            self.load()
        assert self._meta is not None
        return self._meta

    @property
    def threshold(self) -> float:
        """The same-claim decision threshold (chosen on a grouped training split, see the card)."""
        return float(self.meta.get("threshold", DEFAULT_THRESHOLD))

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Raw same-claim logits, one per ``(query, claim_reviewed)`` pair."""
        self.load()
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        out = logits_with_session(self._session, self._tokenizer, pairs, batch_size=BATCH_SIZE)
        return np.asarray(out[:, 0], dtype=np.float32)

    def predict(self, pairs: Sequence[tuple[str, str]], cheap: Sequence[float] | None = None) -> np.ndarray:
        """Calibrated P(same claim) per pair: :meth:`probability` of the logits."""
        return self.probability(self.logits(pairs), cheap)

    def fusion_logit(self, features: Mapping[str, Any], *, rank: bool = False) -> np.ndarray:
        """The learned fusion's log-odds ``Σ w_f · x_f + bias`` over the metadata's
        ``fusion.features`` (a missing feature counts 0); ``rank``: the ranking fusion
        (``fusion.rank``) where there is one. ModelError for a model without a learned fusion."""
        fusion = self.meta.get("fusion")
        if not isinstance(fusion, dict) or not isinstance(fusion.get("features"), dict):
            raise ModelError(f"the claim matcher in {self.files_dir} has no learned fusion")
        if rank and isinstance(fusion.get("rank"), dict) and isinstance(fusion["rank"].get("features"), dict):
            fusion = fusion["rank"]
        n = max((len(np.atleast_1d(v)) for v in features.values()), default=0)
        z = np.full(n, float(fusion.get("bias", 0.0)), dtype=np.float64)
        for name, weight in fusion["features"].items():
            if name in features:
                z = z + float(weight) * np.asarray(features[name], dtype=np.float64)
        return z

    def probability(self, logits: np.ndarray, cheap: Sequence[float] | None = None,
                    features: Mapping[str, Any] | None = None) -> np.ndarray:
        """Calibrated P(same claim) of each pair's logit, by the first of these the metadata has:

        * a learned fusion (``fusion.features``: weights of the int8 ``logit`` and of the matcher's
          first-stage ``features``, see :func:`factaudit.factchecks.match.candidate_features`) when
          ``features`` is given: ``sigmoid(Σ w_f · x_f + bias)``, ``logit`` taken from ``logits``;
        * the older fusion ``sigmoid(w · logit + v · cheap + c)`` (``fusion.logit``/``cheap``/``bias``)
          when ``cheap`` (or ``features["cheap"]``) is given;
        * Platt scaling ``sigmoid(a · logit + b)`` from the model's own held-out split."""
        z = np.asarray(logits, dtype=np.float64)
        fusion = self.meta.get("fusion")
        if features is not None and cheap is None and "cheap" in features:
            cheap = features["cheap"]
        if isinstance(fusion, dict) and isinstance(fusion.get("features"), dict) and features is not None:
            x = self.fusion_logit({**features, "logit": z})
        elif isinstance(fusion, dict) and "cheap" in fusion and cheap is not None:
            s = np.asarray(cheap, dtype=np.float64)
            x = float(fusion["logit"]) * z + float(fusion["cheap"]) * s + float(fusion["bias"])
        else:
            x = float(self.meta["platt"]["a"]) * z + float(self.meta["platt"]["b"])
        out: np.ndarray = 1.0 / (1.0 + np.exp(-x))
        return out.astype(np.float32)

    def info(self) -> ModelInfo:
        meta = self.meta
        return ModelInfo(name=str(meta.get("name", "claim-matcher")), version=str(meta.get("version", "")),
                         sha256=meta.get("sha256"), path=str(self.files_dir / str(meta["onnx_file"])))


def logit(p: float) -> float:
    """The log-odds of a probability (clipped away from 0 and 1)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


@lru_cache(maxsize=4)
def get_claim_matcher(files_dir: str | None = None, threads: int = 1) -> ClaimMatcherModel:
    """A claim matcher loaded once per process (per folder and thread count)."""
    return ClaimMatcherModel(files_dir, threads=threads).load()
