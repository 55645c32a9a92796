"""The claim–evidence verifier: a fine-tuned MiniLM-L6 NLI cross-encoder as int8 ONNX.

Runs on onnxruntime + tokenizers only (no torch). The shipped files live in ``models/files/``:
``verifier.int8.onnx``, ``verifier.tokenizer.json`` and ``verifier.json`` (label order, max_len,
temperature, the ONNX file's sha256, training mix, metrics). See ``VERIFIER_MODEL_CARD.md`` and
``factaudit.training.verifier`` for how it is made.

:class:`VerifierModel` also reads a local directory holding a Hugging Face sequence-classification
NLI model exported to ONNX (``config.json`` with ``id2label``, ``tokenizer.json`` and ``model.onnx``
or ``onnx/model.onnx``); its labels are mapped onto ours by name.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..document import NOT_ENOUGH_EVIDENCE, REFUTED, SUPPORTED
from ..errors import ModelError
from .onnx import DEFAULT_THREADS, make_session, padded_batches, sha256_file, softmax

FILES_DIR = Path(__file__).with_name("files")
META_FILE = "verifier.json"
ONNX_FILE = "verifier.int8.onnx"
TOKENIZER_FILE = "verifier.tokenizer.json"
#: Pairs per ONNX run, after sorting by token length. Small batches pad less: the seed's 94 pairs
#: (57 tokens on average, up to 101) take 555 ms at 8 against 680 ms at 32, and FEVER-Symmetric
#: pairs run at the same rate (about 240 pairs/s) at 8, 16 or 24 (benchmarks/bench_verifier.py).
DEFAULT_BATCH_SIZE = 8
HF_ONNX_CANDIDATES = ("model.onnx", "onnx/model.onnx", "model_quantized.onnx", "onnx/model_quantized.onnx")

#: Column order of :meth:`VerifierModel.predict`.
LABELS: tuple[str, str, str] = (SUPPORTED, REFUTED, NOT_ENOUGH_EVIDENCE)
_ALIASES = {
    SUPPORTED: {"supported", "supports", "support", "entailment", "entailed", "entails"},
    REFUTED: {"refuted", "refutes", "refute", "contradiction", "contradicts", "contradicted"},
    NOT_ENOUGH_EVIDENCE: {"not enough evidence", "not enough info", "not_enough_info", "nei", "neutral",
                          "not enough information", "nee"},
}


def canonical_label(name: str) -> str | None:
    """Our label for a model's label name (``"ENTAILMENT"`` → ``SUPPORTED``), or None."""
    key = str(name).strip().lower().replace("-", " ")
    for label, names in _ALIASES.items():
        if key in names or key.replace(" ", "_") in names:
            return label
    return None


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, n_bins: int = 15) -> float:
    """ECE over ``n_bins`` equal-width confidence bins: Σ (n_b / n) · |accuracy_b − confidence_b|."""
    conf = np.asarray(confidence, dtype=np.float64)
    ok = np.asarray(correct, dtype=np.float64)
    if conf.size == 0:
        return 0.0
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        m = bins == b
        if m.any():
            ece += m.mean() * abs(ok[m].mean() - conf[m].mean())
    return float(ece)


def load_pair_tokenizer(path: Path, max_len: int) -> Any:
    """A ``tokenizers.Tokenizer`` for (evidence, claim) pairs: longest-first truncation, no padding."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(max_length=max_len, strategy="longest_first")
    return tok


def logits_with_session(
    session: Any,
    tokenizer: Any,
    pairs: Sequence[tuple[str, str]],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> np.ndarray:
    """Raw logits [n, n_model_labels] for (evidence, claim) pairs, batched by token length."""
    if not pairs:
        return np.zeros((0, 0), dtype=np.float32)
    encodings = tokenizer.encode_batch([(str(p), str(h)) for p, h in pairs])
    wants_types = "token_type_ids" in {i.name for i in session.get_inputs()}
    out: np.ndarray | None = None
    for rows, feed in padded_batches(encodings, batch_size, type_ids=wants_types):
        logits = np.asarray(session.run(None, feed)[0], dtype=np.float32)
        if out is None:
            out = np.empty((len(encodings), logits.shape[1]), dtype=np.float32)
        out[rows] = logits
    assert out is not None
    return out


class VerifierModel:
    """Scores (evidence, claim) pairs: calibrated P(SUPPORTED), P(REFUTED), P(NOT ENOUGH EVIDENCE).

    ``files_dir`` holds either the project's files (``verifier.json`` + int8 ONNX + tokenizer) or a
    Hugging Face sequence-classification model exported to ONNX. Nothing is read until :meth:`load`
    (or the first :meth:`predict`); missing, corrupt or sha256-mismatched files raise ModelError.
    """

    def __init__(
        self,
        files_dir: Path | None = None,
        *,
        threads: int = DEFAULT_THREADS,
        batch_size: int = DEFAULT_BATCH_SIZE,
        verify_sha256: bool = True,
    ) -> None:
        self.files_dir = Path(files_dir) if files_dir is not None else FILES_DIR
        self.threads = threads
        self.batch_size = batch_size
        self.verify_sha256 = verify_sha256
        self._meta: dict[str, Any] | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._perm: np.ndarray | None = None
        self._lock = threading.Lock()

    # -- loading

    def _read_meta(self) -> tuple[dict[str, Any], Path, Path]:
        meta_path = self.files_dir / META_FILE
        if meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                onnx_path = self.files_dir / meta["onnx_file"]
                tok_path = self.files_dir / meta["tokenizer_file"]
                int(meta["max_len"])
                float(meta.get("temperature", 1.0))
                list(meta["labels"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ModelError(f"verifier metadata is corrupt: {meta_path} ({exc})") from exc
            return meta, onnx_path, tok_path
        config_path = self.files_dir / "config.json"
        if not config_path.is_file():
            raise ModelError(f"verifier model metadata missing: {meta_path} (and no config.json)")
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
            id2label = {int(k): str(v) for k, v in config["id2label"].items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"Hugging Face config without a usable id2label: {config_path} ({exc})") from exc
        onnx_path = next((self.files_dir / c for c in HF_ONNX_CANDIDATES if (self.files_dir / c).is_file()),
                         self.files_dir / HF_ONNX_CANDIDATES[0])
        max_len = 512
        tok_cfg = self.files_dir / "tokenizer_config.json"
        if tok_cfg.is_file():
            with contextlib.suppress(ValueError, KeyError, TypeError, OverflowError):
                tok_max = json.loads(tok_cfg.read_text(encoding="utf-8"))["model_max_length"]
                max_len = min(max_len, int(tok_max))
        max_len = min(max_len, int(config.get("max_position_embeddings", max_len)))
        meta = {"name": str(config.get("_name_or_path") or self.files_dir.name), "version": "",
                "onnx_file": str(onnx_path.relative_to(self.files_dir)), "tokenizer_file": "tokenizer.json",
                "labels": [id2label[i] for i in range(len(id2label))], "max_len": max_len,
                "temperature": 1.0, "sha256": None, "source": "huggingface-onnx-directory"}
        return meta, onnx_path, self.files_dir / "tokenizer.json"

    def load(self) -> VerifierModel:
        """Read the metadata, check the ONNX file's sha256 and open the session (once)."""
        with self._lock:
            if self._session is not None:
                return self
            meta, onnx_path, tok_path = self._read_meta()
            mapped = [canonical_label(lab) for lab in meta["labels"]]
            if sorted(m for m in mapped if m) != sorted(LABELS) or len(mapped) != len(LABELS):
                raise ModelError(f"verifier labels {meta['labels']} do not map onto {list(LABELS)}")
            perm = np.array([mapped.index(lab) for lab in LABELS])
            for path in (onnx_path, tok_path):
                if not path.is_file():
                    raise ModelError(f"verifier model file missing: {path}")
            actual = sha256_file(onnx_path)
            if self.verify_sha256 and meta.get("sha256") is not None and actual != meta["sha256"]:
                raise ModelError(
                    f"verifier model {onnx_path.name} does not match its recorded sha256 "
                    f"(expected {meta['sha256']}, found {actual}): reinstall factaudit"
                )
            meta["sha256"] = actual
            try:
                tokenizer = load_pair_tokenizer(tok_path, int(meta["max_len"]))
                session = make_session(onnx_path, threads=self.threads)
                names = {i.name for i in session.get_inputs()}
                if not {"input_ids", "attention_mask"} <= names:
                    raise ValueError(f"ONNX inputs {sorted(names)} lack input_ids/attention_mask")
            except Exception as exc:  # onnxruntime / tokenizers raise their own types
                raise ModelError(f"cannot load verifier model from {self.files_dir}: {exc}") from exc
            self._meta, self._tokenizer, self._perm, self._session = meta, tokenizer, perm, session
            return self

    @property
    def meta(self) -> dict[str, Any]:
        """The model's metadata (``verifier.json``, or what was derived from a HF directory)."""
        if self._meta is None:
            self.load()
        assert self._meta is not None
        return self._meta

    @property
    def temperature(self) -> float:
        """Temperature dividing the logits (fitted on held-out training data)."""
        return float(self.meta.get("temperature", 1.0))

    @property
    def max_len(self) -> int:
        """Token limit per (evidence, claim) pair; longer pairs are truncated longest-first."""
        return int(self.meta["max_len"])

    @property
    def labels(self) -> tuple[str, str, str]:
        """Column order of :meth:`predict`: SUPPORTED, REFUTED, NOT ENOUGH EVIDENCE."""
        return LABELS

    # -- scoring

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Uncalibrated logits [n, 3] in :data:`LABELS` order for (evidence, claim) pairs."""
        self.load()
        if len(pairs) == 0:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        raw = logits_with_session(self._session, self._tokenizer, pairs, batch_size=self.batch_size)
        assert self._perm is not None
        return raw[:, self._perm]

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Calibrated probabilities, float32 [n, 3], columns (SUPPORTED, REFUTED, NOT ENOUGH EVIDENCE).

        Each pair is ``(evidence, claim)``: does the evidence support or refute the claim, or is it
        not enough to tell? Rows sum to 1; over-long pairs are truncated to :attr:`max_len` tokens.
        """
        logits = self.logits(pairs)
        if len(logits) == 0:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        return softmax(logits / self.temperature).astype(np.float32)

    def predict_labels(self, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """The most probable label of each pair."""
        return [LABELS[i] for i in self.predict(pairs).argmax(axis=1)]

    def info(self) -> dict[str, Any]:
        """Name, version, sha256, path and temperature of the ONNX file, for a report's run record."""
        meta = self.meta
        return {
            "name": str(meta.get("name", "verifier")),
            "version": str(meta.get("version", "")),
            "sha256": str(meta["sha256"]),
            "path": str(self.files_dir / meta["onnx_file"]),
            "labels": list(LABELS),
            "max_len": int(meta["max_len"]),
            "temperature": self.temperature,
        }


@lru_cache(maxsize=4)
def get_verifier(threads: int = DEFAULT_THREADS) -> VerifierModel:
    """The shipped verifier, loaded once per process (per thread count)."""
    return VerifierModel(threads=threads).load()
