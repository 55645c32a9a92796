"""The one home of factaudit's onnxruntime plumbing: sessions, tokenizers, padded batches, hashes.

Every shipped model (check-worthiness scorer, verifier, MiniLM embedder) runs through these: a CPU
session with the same threading choices, a tokenizer that truncates but never pads, and batches
sorted by token length so each one is padded only to its own longest row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["DEFAULT_THREADS", "load_tokenizer", "make_session", "padded_batches", "sha256_file", "softmax"]

DEFAULT_THREADS = 2


def sha256_file(path: Path | str) -> str:
    """Hex sha256 of a file's bytes (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def make_session(
    onnx_path: Path | str,
    *,
    threads: int = DEFAULT_THREADS,
    spinning: bool = False,
    memory_arena: bool = True,
) -> Any:
    """One onnxruntime CPU session: ``threads`` intra-op threads, sequential execution.

    Thread spinning is off by default: on a shared or oversubscribed CPU, spinning workers steal
    time from everything else (and from each other); turn it on for a dedicated machine. Turn the
    memory arena off for models fed many different batch shapes (the embedder over a corpus): the
    arena otherwise keeps the largest shape's buffers for every shape seen, growing to gigabytes.
    """
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    opts.enable_cpu_mem_arena = memory_arena
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    return ort.InferenceSession(str(onnx_path), sess_options=opts, providers=["CPUExecutionProvider"])


def load_tokenizer(path: Path | str, max_len: int) -> Any:
    """A ``tokenizers.Tokenizer`` truncating at ``max_len`` and not padding (batches pad themselves)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(max_length=max_len)
    return tok


def padded_batches(
    encodings: Sequence[Any], batch_size: int, *, type_ids: bool = False
) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """``(rows, feed)`` per batch: ``rows`` index into ``encodings``, ``feed`` the padded int64 inputs.

    Encodings are taken in order of token length (stable), so a batch pads only to its own longest
    member; write each batch's outputs back with ``out[rows] = ...``. ``type_ids`` adds
    ``token_type_ids`` (sentence-pair models that take them).
    """
    ids = [e.ids for e in encodings]
    order = np.argsort([len(x) for x in ids], kind="stable")
    for start in range(0, len(order), max(1, batch_size)):
        rows = order[start : start + batch_size]
        width = max(len(ids[i]) for i in rows)
        input_ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        types = np.zeros((len(rows), width), dtype=np.int64) if type_ids else None
        for row, i in enumerate(rows):
            n = len(ids[i])
            input_ids[row, :n] = ids[i]
            mask[row, :n] = 1
            if types is not None:
                types[row, :n] = encodings[i].type_ids
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if types is not None:
            feed["token_type_ids"] = types
        yield rows, feed


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax in float64 (stable: the row maximum is subtracted first)."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out
