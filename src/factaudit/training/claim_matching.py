"""Train the claim matcher: MiniLM-L6 fine-tuned as a "same claim" cross-encoder (one logit).

Three steps, each resumable, all writing under ``--out``::

    python -m factaudit.training.claim_matching prepare --out runs/claim_matcher [--variant checkthat]
    python -m factaudit.training.claim_matching train   --out runs/claim_matcher --time-limit-min 25
    python -m factaudit.training.claim_matching export  --out runs/claim_matcher
    python -m factaudit.training.claim_matching calibrate --out runs/claim_matcher [--ship]

Pairs are ``(query, candidate)``: the query is the article's claim or sentence (a tweet in
CheckThat!), the candidate the claim a fact-checker reviewed.

Variants
    ``default`` — only sources whose licences allow commercial use (the NLI mix of the verifier
    without ANLI, SICK, SciFact, TaxiNLI; see :data:`factaudit.training.verifier.SOURCE_LICENCES`).
    There is no paraphrase set in ``nli/``, so "same claim" pairs stand in as: an entailment pair
    (the premise states the hypothesis: a longer text carrying the claim, FEVER evidence → claim,
    MNLI/SNLI premise → hypothesis), the mutual-entailment pairs (82 in the commercial sources), and
    the entailment premise embedded in an unrelated sentence (the claim inside a longer source
    sentence). "Not the same claim": a claim another premise states that shares many words with
    this one (a TF-IDF neighbour, ranks 3-16: same topic, other claim) and a random claim. The
    contradiction and neutral hypotheses of the same premise are left out: telling them apart is
    NLI, which a first attempt (3 negatives of that kind per positive) could not learn in the CPU
    budget (held-out AUC 0.55 after 300 steps).
    ``checkthat`` — research use only: CheckThat! 2020 task 2 train tweets with their verified
    claims as positives and the TF-IDF-nearest other verified claims as negatives. Its calibration
    split is grouped by target claim, so no held-out target was seen in training.

Neither variant reads ``factchecks/snopes_claims_2020.jsonl`` (the default library and the
CheckThat! dev targets overlap it).

export
    ONNX (the verifier's recipe: opset 17, dynamic axes) → dynamic int8; a Platt scaling
    ``sigmoid(a·logit + b)`` is fitted on the calibration split's int8 logits and stored in
    ``claim_matcher.json``.
calibrate
    The probability the matcher decides with fuses the int8 logit with the first-stage score,
    ``sigmoid(w·logit + v·cheap + c)``; the three numbers, the reranker's gate and the decision
    threshold are chosen on CheckThat! 2020 task 2 *train*, split by target claim (see
    :func:`calibrate`). For the default model this is the only use of CheckThat! data: three
    parameters and two thresholds, no network weights.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..models.claim_matcher import (
    FILES_DIR,
    META_FILE,
    ONNX_FILE,
    TOKENIZER_FILE,
    fit_platt,
)
from ..models.onnx import make_session, sha256_file
from ..models.verifier import load_pair_tokenizer, logits_with_session
from ._common import BASE_MODEL, BASE_PACKAGE, base_model_dir
from ._common import dist_version as _dist_version
from ._common import length_batches as _batches
from ._common import log as _log

MODEL_VERSION = "1.0.0"
ONNX_FP32 = "claim_matcher.fp32.onnx"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
DEFAULT_NLI = SHARED / "nli" / "nli_pairs.jsonl"
DEFAULT_CHECKTHAT = SHARED / "factchecks" / "checkthat2020_task2"
#: Sources of the default mix used for "same claim" stand-ins (all commercial-use licences).
DEFAULT_SOURCES = ("fever_train", "fever_nli", "snli", "snli_cad", "mnli_nyu_hw", "wanli", "med",
                   "breaking_nli", "advglue_mnli", "conjnli")
_WORDS = re.compile(r"[a-z0-9]+")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    tmp = path.with_suffix(path.suffix + ".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    os.replace(tmp, path)
    return n


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _tfidf_neighbours(queries: Sequence[str], docs: Sequence[str], k: int) -> np.ndarray:
    """Indices of the ``k`` TF-IDF-nearest ``docs`` of each query (word 1–2-grams), best first."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped,unused-ignore]

    vec = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=1, sublinear_tf=True,
                          dtype=np.float32)
    d = vec.fit_transform(docs)
    q = vec.transform(queries)
    dt = d.T.tocsr()
    out = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(queries), 512):
        s = (q[start : start + 512] @ dt).toarray()
        top = np.argpartition(-s, k, axis=1)[:, :k]
        for r in range(s.shape[0]):
            out[start + r] = top[r][np.argsort(-s[r, top[r]])]
    return out


# --------------------------------------------------------------------------------------------- prepare


def prepare_default(nli_path: Path, *, positives: int, negatives_per: int, seed: int
                    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows ``{query, candidate, label, source, group}`` from the commercial NLI sources."""
    rng = random.Random(seed)
    by_premise: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    entail: set[tuple[str, str]] = set()
    src_of: dict[str, str] = {}
    for r in _read_jsonl(nli_path):
        if r["source"] not in DEFAULT_SOURCES or not r.get("premise") or not r.get("hypothesis"):
            continue
        if r.get("label_scheme") == "2way" and r["label"] != "entailment":
            continue
        p, h = str(r["premise"]).strip(), str(r["hypothesis"]).strip()
        by_premise[p][r["label"]].append(h)
        src_of[p] = r["source"]
        if r["label"] == "entailment":
            entail.add((_key(p), _key(h)))
    mutual = [(p, h) for p, lab in by_premise.items() for h in lab.get("entailment", [])
              if (_key(h), _key(p)) in entail]
    premises = [p for p, lab in by_premise.items() if lab.get("entailment")]
    rng.shuffle(premises)
    premises = premises[:positives]
    all_claims = sorted({h for lab in by_premise.values() for h in lab.get("entailment", [])})
    rows: list[dict[str, Any]] = []
    hard = _tfidf_neighbours(premises, all_claims, 16)
    stand_in: dict[str, int] = defaultdict(int)
    for i, p in enumerate(premises):
        lab = by_premise[p]
        pos = rng.choice(lab["entailment"])
        query = p
        kind = "entailment"
        if rng.random() < 0.3:  # the claim inside a longer source sentence / text
            other = rng.choice(premises)
            query = f"{p} {other}" if rng.random() < 0.5 else f"{other} {p}"
            kind = "entailment_in_context"
        stand_in[kind] += 1
        rows.append({"query": query, "candidate": pos, "label": 1, "source": src_of[p], "group": i,
                     "kind": kind})
        gold = {_key(h) for h in lab["entailment"]} | {_key(h) for hs in lab.values() for h in hs}
        # "another claim on the same topic": a TF-IDF neighbour stated by another premise (not
        # the very nearest, which in FEVER is often a paraphrase), and one unrelated claim
        near = [all_claims[int(j)] for j in hard[i][2:] if _key(all_claims[int(j)]) not in gold]
        negs = [(near[0], "tfidf_neighbour")] if near else []
        negs.append((rng.choice(all_claims), "random_claim"))
        for c, why in negs[:negatives_per]:
            rows.append({"query": query, "candidate": c, "label": 0, "source": src_of[p], "group": i,
                         "kind": why})
    for k, (p, h) in enumerate(mutual):
        stand_in["mutual_entailment"] += 1
        rows.append({"query": p, "candidate": h, "label": 1, "source": src_of[p],
                     "group": len(premises) + k, "kind": "mutual_entailment"})
    kinds: dict[str, int] = defaultdict(int)
    for r in rows:
        kinds[f"{r['label']}:{r['kind']}"] += 1
    return rows, {"premises": len(premises), "mutual_entailment_pairs": len(mutual),
                  "kinds": dict(sorted(kinds.items()))}


def read_checkthat(folder: Path, split: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(tweet id → text, tweet id → gold verified-claim ids) of a CheckThat! 2020 task 2 split."""
    from ..evaluation.claim_matching import read_qrels, read_queries

    return read_queries(folder / split / "tweets.queries.tsv"), read_qrels(folder / split /
                                                                            "tweet-vclaim-pairs.qrels")


def prepare_checkthat(folder: Path, *, negatives_per: int, seed: int
                      ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows from CheckThat! 2020 train: tweet → its verified claims (1), nearest others (0)."""
    from ..evaluation.claim_matching import read_claims

    queries, qrels = read_checkthat(folder, "train")
    claims = read_claims(folder / "verified_claims.docs.tsv")
    ids = sorted(claims)
    texts = [claims[i][0] for i in ids]
    tids = [t for t in sorted(queries) if t in qrels]
    hard = _tfidf_neighbours([queries[t] for t in tids], texts, 40)
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for n, t in enumerate(tids):
        group = min(qrels[t])  # grouped by target claim
        for vid in sorted(qrels[t]):
            rows.append({"query": queries[t], "candidate": claims[vid][0], "label": 1, "source": "checkthat",
                         "group": group, "kind": "gold"})
        negs = [ids[int(j)] for j in hard[n] if ids[int(j)] not in qrels[t]][: negatives_per - 2]
        negs += rng.sample(ids, 2)
        for vid in negs:
            if vid not in qrels[t]:
                rows.append({"query": queries[t], "candidate": claims[vid][0], "label": 0,
                             "source": "checkthat", "group": group, "kind": "tfidf_hard_negative"})
    return rows, {"tweets": len(tids), "verified_claims": len(claims)}


def split_grouped(rows: list[dict[str, Any]], fraction: float, seed: int
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train, calibration): whole groups held out, so no held-out query or target is trained on."""
    groups = sorted({str(r["group"]) for r in rows})
    rng = random.Random(seed)
    rng.shuffle(groups)
    held = set(groups[: max(1, round(len(groups) * fraction))])
    train = [r for r in rows if str(r["group"]) not in held]
    calib = [r for r in rows if str(r["group"]) in held]
    rng.shuffle(train)
    return train, calib


def prepare(out_dir: Path, *, variant: str, nli_path: Path = DEFAULT_NLI,
            checkthat: Path = DEFAULT_CHECKTHAT, positives: int = 9000, negatives_per: int = 2,
            calib_fraction: float = 0.06, seed: int = 13) -> dict[str, Any]:
    """Write ``train.jsonl``, ``calib.jsonl`` and ``data_stats.json`` under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if variant == "default":
        rows, info = prepare_default(nli_path, positives=positives, negatives_per=negatives_per, seed=seed)
        source_file, source_sha = "nli/nli_pairs.jsonl", sha256_file(nli_path)
    elif variant == "checkthat":
        rows, info = prepare_checkthat(checkthat, negatives_per=max(negatives_per, 7), seed=seed)
        source_file = "factchecks/checkthat2020_task2/train"
        source_sha = sha256_file(checkthat / "train" / "tweet-vclaim-pairs.qrels")
    else:
        raise SystemExit(f"unknown variant {variant!r}")
    train, calib = split_grouped(rows, calib_fraction, seed)
    _write_jsonl(out_dir / "train.jsonl", train)
    _write_jsonl(out_dir / "calib.jsonl", calib)
    stats = {"variant": variant, "source_file": source_file, "source_sha256": source_sha, "seed": seed,
             "train_rows": len(train), "calib_rows": len(calib),
             "train_positives": sum(r["label"] for r in train),
             "calib_positives": sum(r["label"] for r in calib), **info}
    (out_dir / "data_stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    _log(f"prepared {variant}: {stats}")
    return stats


# ----------------------------------------------------------------------------------------------- train


def _encode(tokenizer: Any, rows: Sequence[dict[str, Any]]) -> tuple[list[list[int]], list[list[int]]]:
    enc = tokenizer.encode_batch([(r["query"], r["candidate"]) for r in rows])
    return [e.ids for e in enc], [e.type_ids for e in enc]


def _collate(ids: list[list[int]], types: list[list[int]], rows: Sequence[int]) -> dict[str, Any]:
    import torch

    width = max(len(ids[i]) for i in rows)
    out = {k: torch.zeros((len(rows), width), dtype=torch.long)
           for k in ("input_ids", "attention_mask", "token_type_ids")}
    for r, i in enumerate(rows):
        n = len(ids[i])
        out["input_ids"][r, :n] = torch.tensor(ids[i])
        out["token_type_ids"][r, :n] = torch.tensor(types[i])
        out["attention_mask"][r, :n] = 1
    return out


def load_base_model(base: Path) -> Any:
    """A one-logit sequence-classification head on all-MiniLM-L6-v2 (safetensors only)."""
    from transformers import AutoModelForSequenceClassification  # type: ignore[import-untyped,unused-ignore]

    return AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1, use_safetensors=True)


def _torch_logits(model: Any, ids: list[list[int]], types: list[list[int]]) -> np.ndarray:
    import torch

    model.eval()
    order = np.argsort([len(x) for x in ids], kind="stable")
    out = np.empty(len(ids), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            rows = [int(i) for i in order[start : start + 64]]
            out[rows] = model(**_collate(ids, types, rows)).logits[:, 0].float().numpy()
    model.train()
    return out


def _save_atomic(obj: Any, path: Path) -> None:
    import torch

    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _auc(scores: np.ndarray, labels: np.ndarray) -> float:
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if not n_pos or not n_neg:
        return float("nan")
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def train(out_dir: Path, *, max_steps: int = 450, batch_size: int = 16, lr: float = 1e-4,
          max_len: int = 96, freeze_layers: int = 2, seed: int = 13, ckpt_every: int = 50,
          eval_every: int = 150,
          eval_rows: int = 800, threads: int = 1, time_limit_s: float | None = None,
          log_every: int = 25, init: Path | None = None) -> dict[str, Any]:
    """Fine-tune on ``out_dir/train.jsonl`` (BCE on one logit); resumes from ``checkpoint.pt``.

    ``init``: start a fresh run from these weights (a ``best.pt`` of another run: the research
    variant starts from the default model) instead of the bare base model.

    The embeddings and the lowest ``freeze_layers`` transformer layers stay frozen (the backward
    pass stops above them: on one shared CPU thread a step of 16 pairs costs ~4 s); a checkpoint (model,
    optimizer, scheduler, step, RNG) every ``ckpt_every`` steps and on SIGTERM/SIGINT or the time
    limit; a rerun continues from it with the same batches.
    """
    import torch
    from transformers import get_linear_schedule_with_warmup  # type: ignore[import-untyped,unused-ignore]

    torch.set_num_threads(threads)
    base = base_model_dir()
    rows = _read_jsonl(out_dir / "train.jsonl")
    calib = _read_jsonl(out_dir / "calib.jsonl")[:eval_rows]
    tok = load_pair_tokenizer(base / "tokenizer.json", max_len)
    ids, types = _encode(tok, rows)
    y = np.array([r["label"] for r in rows], dtype=np.float32)
    c_ids, c_types = _encode(tok, calib)
    c_y = np.array([r["label"] for r in calib])
    steps_per_epoch = math.ceil(len(ids) / batch_size)
    ckpt_path, best_path = out_dir / "checkpoint.pt", out_dir / "best.pt"
    torch.manual_seed(seed)
    model = load_base_model(base)
    if init is not None and not ckpt_path.is_file():
        model.load_state_dict(torch.load(init, weights_only=False)["model"])
        _log(f"initialised from {init}")
    for p in model.bert.embeddings.parameters():
        p.requires_grad_(False)
    for layer in model.bert.encoder.layer[:freeze_layers]:
        for p in layer.parameters():
            p.requires_grad_(False)
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    optimizer = torch.optim.AdamW([
        {"params": [p for n, p in named if not n.endswith(no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in named if n.endswith(no_decay)], "weight_decay": 0.0}], lr=lr)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * max_steps), max_steps)
    step, history, best_auc = 0, [], -1.0
    config = {"batch_size": batch_size, "lr": lr, "max_len": max_len, "seed": seed, "threads": threads,
              "max_steps": max_steps, "frozen": f"embeddings + layers 0-{freeze_layers - 1}",
              "loss": "BCEWithLogits",
              "train_rows": len(ids), "init": str(init) if init else "base model"}
    if ckpt_path.is_file():
        state = torch.load(ckpt_path, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, history, best_auc, config = state["step"], state["history"], state["best_auc"], state["config"]
        max_steps = int(config["max_steps"])
        torch.set_rng_state(state["rng"])
        _log(f"resumed at step {step}/{max_steps}")
    _log(f"train {len(ids)} pairs, {steps_per_epoch} steps/epoch, schedule {max_steps} steps")
    stop = {"signal": 0}

    def on_signal(signum: int, _frame: Any) -> None:
        stop["signal"] = signum

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}

    def save() -> None:
        _save_atomic({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                      "scheduler": scheduler.state_dict(), "step": step, "history": history,
                      "best_auc": best_auc, "config": config, "rng": torch.get_rng_state()}, ckpt_path)

    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    started, running, cached, batches = time.time(), 0.0, -1, []
    try:
        while step < max_steps:
            epoch, pos = divmod(step, steps_per_epoch)
            if epoch != cached:
                batches = _batches([len(x) for x in ids], batch_size, random.Random(seed * 1000 + epoch))
                cached = epoch
            b = batches[pos]
            logits = model(**_collate(ids, types, b)).logits[:, 0]
            loss = loss_fn(logits, torch.as_tensor(y[b]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if running else loss.item()
            if step % log_every == 0:
                rate = step / max(1e-9, time.time() - started)
                _log(f"step {step}/{max_steps} loss {running:.4f} lr {scheduler.get_last_lr()[0]:.2e}")
                del rate
            if step % eval_every == 0 or step == max_steps:
                auc = _auc(_torch_logits(model, c_ids, c_types), c_y)
                history.append({"step": step, "heldout_auc": round(auc, 4), "loss": round(running, 4)})
                _log(f"step {step}: held-out AUC {auc:.4f}")
                if auc > best_auc:
                    best_auc = auc
                    _save_atomic({"model": model.state_dict(), "step": step, "auc": auc}, best_path)
            if step % ckpt_every == 0 or step == max_steps:
                save()
            if stop["signal"] or (time_limit_s is not None and time.time() - started > time_limit_s):
                save()
                _log(f"stopping at step {step}; rerun to resume")
                break
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    return {"step": step, "max_steps": max_steps, "best_auc": best_auc, "history": history}


# ---------------------------------------------------------------------------------------------- export


def export(out_dir: Path, *, variant: str, threads: int = 1) -> dict[str, Any]:
    """The best checkpoint → fp32 ONNX → int8 ONNX; Platt scaling on the calibration split."""
    import torch

    from .verifier import export_onnx, quantize_int8

    torch.set_num_threads(threads)
    base = base_model_dir()
    ckpt = torch.load(out_dir / "checkpoint.pt", weights_only=False)
    config = ckpt["config"]
    best = torch.load(out_dir / "best.pt", weights_only=False) if (out_dir / "best.pt").is_file() else ckpt
    model = load_base_model(base)
    model.load_state_dict(best["model"])
    model.eval()
    fp32 = out_dir / ONNX_FP32
    export_onnx(model, fp32)
    int8 = out_dir / ONNX_FILE
    quantize_int8(fp32, int8, per_channel=False)
    shutil.copyfile(base / "tokenizer.json", out_dir / TOKENIZER_FILE)
    calib = _read_jsonl(out_dir / "calib.jsonl")
    tok = load_pair_tokenizer(out_dir / TOKENIZER_FILE, int(config["max_len"]))
    pairs = [(r["query"], r["candidate"]) for r in calib]
    logits = logits_with_session(make_session(int8, threads=threads), tok, pairs)[:, 0]
    gold = np.array([r["label"] for r in calib])
    a, b = fit_platt(logits, gold)
    p = 1.0 / (1.0 + np.exp(-(a * logits + b)))
    stats = json.loads((out_dir / "data_stats.json").read_text(encoding="utf-8"))
    from .verifier import NONCOMMERCIAL_SOURCES, SOURCE_LICENCES

    licences = ({s: SOURCE_LICENCES[s] for s in DEFAULT_SOURCES if s not in NONCOMMERCIAL_SOURCES}
                if variant == "default" else {"checkthat2020_task2": "free for general research use"})
    meta = {
        "name": f"factaudit-claim-matcher-minilm-l6{'' if variant == 'default' else '-' + variant}",
        "version": MODEL_VERSION, "variant": variant,
        "task": "same-claim cross-encoder: (article claim or sentence, claim as reviewed) -> P(same claim)",
        "onnx_file": ONNX_FILE, "tokenizer_file": TOKENIZER_FILE, "sha256": sha256_file(int8),
        "size_bytes": int8.stat().st_size, "input_order": ["query", "claim_reviewed"],
        "max_len": int(config["max_len"]), "platt": {"a": round(a, 6), "b": round(b, 6)},
        "base_model": {"name": BASE_MODEL, "package": f"{BASE_PACKAGE}=={_dist_version(BASE_PACKAGE)}",
                       "license": "Apache-2.0"},
        "training_data": {**stats, "licences": licences,
                          "never_used": "factchecks/snopes_claims_2020.jsonl (text or negatives)"},
        "training": {"steps": int(best.get("step", ckpt["step"])), "last_step": int(ckpt["step"]),
                     "hyperparameters": config, "history": ckpt["history"]},
        "metrics": {"calibration_split": {
            "n": len(gold), "positives": int(gold.sum()), "auc_int8": round(_auc(logits, gold), 4),
            "brier_platt": round(float(np.mean((p - gold) ** 2)), 4)}},
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {"torch": torch.__version__, "transformers": _dist_version("transformers"),
                     "onnxruntime": _dist_version("onnxruntime"), "python": sys.version.split()[0]},
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _log(f"exported {int8} ({int8.stat().st_size / 1e6:.1f} MB), calibration {meta['metrics']}")
    return meta


def _fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    """Weights (last: bias) of an L2-regularised logistic regression, by Newton's method."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        g = xb.T @ (p - y) + l2 * w
        h = (xb * (p * (1 - p))[:, None]).T @ xb + l2 * np.eye(len(w))
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def calibrate(out_dir: Path, *, checkthat: Path = DEFAULT_CHECKTHAT, rerank: int = 10, seed: int = 13,
              target_precision: float = 0.95, gate_recall: float = 0.97,
              max_tweets: int | None = None) -> dict[str, Any]:
    """Fit the fusion ``sigmoid(w·logit + v·cheap + c)`` and choose the gate and the threshold on
    CheckThat! 2020 task 2 *train*, split by target claim (80% of the targets fit the fusion, the
    other 20% choose the threshold: the lowest giving ``target_precision`` on the best candidate of
    each tweet). Writes them into ``out_dir/claim_matcher.json``. Dev is never read."""
    import tempfile

    from ..evaluation.claim_matching import read_claims
    from ..factchecks.library import FactCheckLibrary
    from ..factchecks.match import RERANK_MAX, Matcher
    from ..factchecks.readers import FactCheck
    from ..models.claim_matcher import ClaimMatcherModel

    queries, qrels = read_checkthat(checkthat, "train")
    claims = read_claims(checkthat / "verified_claims.docs.tsv")
    stats = json.loads((out_dir / "data_stats.json").read_text(encoding="utf-8"))
    if stats["variant"] == "checkthat":  # trained on CheckThat! train: calibrate on its held-out targets
        held_groups = {str(r["group"]) for r in _read_jsonl(out_dir / "calib.jsonl")}
        qrels = {t: v for t, v in qrels.items() if str(min(v)) in held_groups}
    rows: list[dict[str, Any]] = []
    gold_ranks: list[float] = []
    with tempfile.TemporaryDirectory(prefix="factaudit-calib-") as tmp:
        lib = FactCheckLibrary(Path(tmp) / "lib", create=True)
        lib.import_entries((FactCheck(t, "unknown", f"urn:checkthat:vclaim:{v}", title=ti or None,
                                      language="en") for v, (t, ti) in claims.items()),
                           source="checkthat", detect_language=False)
        matcher = Matcher(lib, model=ClaimMatcherModel(out_dir, threads=1), threads=1)
        for n, t in enumerate(sorted(q for q in qrels if q in queries)[:max_tweets]):
            cands = matcher.candidates([queries[t]])[:rerank]
            matcher.rerank([queries[t]], cands)
            for rank, c in enumerate(cands):
                vid = c.entry.url.rsplit(":", 1)[1]
                is_gold = vid in qrels[t]
                rows.append({"tweet": t, "group": min(qrels[t]), "label": int(is_gold),
                             "logit": c.scores["logit"], "cheap": c.cheap, "rank": rank})
                if is_gold and rank < RERANK_MAX:
                    gold_ranks.append(c.cheap)
            if n % 100 == 0:
                _log(f"calibration: {n} tweets")
        lib.close()
    groups = sorted({str(r["group"]) for r in rows})
    random.Random(seed).shuffle(groups)
    held = set(groups[: len(groups) // 5])
    fit = [r for r in rows if str(r["group"]) not in held]
    choose = [r for r in rows if str(r["group"]) in held]
    w = _fit_logistic(np.array([[r["logit"], r["cheap"]] for r in fit]), np.array([r["label"] for r in fit]))

    def prob(r: dict[str, Any]) -> float:
        return float(1.0 / (1.0 + np.exp(-(w[0] * r["logit"] + w[1] * r["cheap"] + w[2]))))

    # Every tweet is asked twice: against the library (its best candidate is a true or a false
    # match) and against the library without its gold claims (most news claims have no fact-check:
    # any candidate over the threshold is then a false match).
    best: dict[str, tuple[float, int]] = {}
    best_without_gold: dict[str, float] = {}
    for r in choose:
        p = prob(r)
        if r["tweet"] not in best or p > best[r["tweet"]][0]:
            best[r["tweet"]] = (p, r["label"])
        if not r["label"]:
            best_without_gold[r["tweet"]] = max(p, best_without_gold.get(r["tweet"], 0.0))
    threshold, curve = 0.99, []
    for cut in np.arange(0.30, 0.991, 0.01):
        picked = [lab for pr, lab in best.values() if pr >= cut]
        false_alone = sum(1 for pr in best_without_gold.values() if pr >= cut)
        precision = sum(picked) / (len(picked) + false_alone) if picked else 1.0
        recall = sum(picked) / len(best) if best else 0.0
        curve.append({"threshold": round(float(cut), 2), "precision": round(precision, 4),
                      "recall": round(recall, 4)})
        if precision >= target_precision and len(picked) >= 5:
            threshold = float(cut)
            break
    # A candidate whose cheap score cannot lift it to the threshold even with the largest logit seen
    # is not worth reranking: that bound is the gate (no match is lost to it), unless keeping
    # ``gate_recall`` of the gold candidates needs a lower one.
    logit_hi = float(max(r["logit"] for r in rows))
    reach = (math.log(threshold / (1 - threshold)) - w[2] - w[0] * logit_hi) / w[1] if w[1] > 0 else 0.0
    keep = float(np.quantile(np.array(gold_ranks), 1 - gate_recall)) if gold_ranks else 0.3
    gate = max(0.0, float(reach))
    meta_path = out_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["fusion"] = {"logit": round(float(w[0]), 6), "cheap": round(float(w[1]), 6),
                      "bias": round(float(w[2]), 6)}
    meta["threshold"] = round(threshold, 4)
    meta["gate"] = round(gate, 4)
    meta["calibration"] = {
        "data": "CheckThat! 2020 task 2 train (research use), split by target claim: "
                f"{len(groups) - len(held)} targets fit the fusion, {len(held)} chose the threshold",
        "candidates_reranked_per_tweet": rerank, "rows_fit": len(fit), "rows_threshold": len(choose),
        "target_precision": target_precision,
        "precision_counts": "true matches / (matches + matches made with the gold claims removed)",
        "threshold_curve": curve[-5:],
        "gate_rule": "lowest cheap score from which the largest logit seen reaches the threshold",
        "gate_keeping_gold_share": {"share": gate_recall, "cheap": round(keep, 4)},
        "gold_candidates_passing_gate": round(float(np.mean(np.array(gold_ranks) >= gate)), 4)
        if gold_ranks else None,
        "auc_logit_fit_split": round(
            _auc(np.array([r["logit"] for r in fit]), np.array([r["label"] for r in fit])), 4)}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _log(f"calibrated: fusion {meta['fusion']}, threshold {threshold:.2f}, gate {gate:.3f}")
    return meta


def ship(out_dir: Path, dest: Path = FILES_DIR) -> Path:
    """Copy the int8 ONNX, tokenizer and metadata into the package (or another folder)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in (ONNX_FILE, TOKENIZER_FILE, META_FILE):
        shutil.copyfile(out_dir / name, dest / name)
    return dest


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m factaudit.training.claim_matching")
    ap.add_argument("step", choices=("prepare", "train", "export", "calibrate", "all"))
    ap.add_argument("--out", type=Path, default=Path("runs/claim_matcher"))
    ap.add_argument("--variant", choices=("default", "checkthat"), default="default")
    ap.add_argument("--positives", type=int, default=9000)
    ap.add_argument("--calib-fraction", type=float, default=None,
                    help="Share of groups held out (default 0.06; the checkthat variant 0.3, which "
                    "its calibration then uses alone).")
    ap.add_argument("--max-steps", type=int, default=450)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--time-limit-min", type=float, default=None)
    ap.add_argument("--init", type=Path, default=None, help="Start from another run's best.pt.")
    ap.add_argument("--ship", action="store_true", help="Copy the exported files into the package.")
    args = ap.parse_args(argv)
    if args.step in ("prepare", "all"):
        fraction = args.calib_fraction or (0.3 if args.variant == "checkthat" else 0.06)
        prepare(args.out, variant=args.variant, positives=args.positives, calib_fraction=fraction)
    if args.step in ("train", "all"):
        res = train(args.out, max_steps=args.max_steps, batch_size=args.batch_size, lr=args.lr,
                    threads=args.threads, init=args.init,
                    time_limit_s=args.time_limit_min * 60 if args.time_limit_min else None)
        if res["step"] < res["max_steps"]:
            return 0
    if args.step in ("export", "all"):
        export(args.out, variant=args.variant, threads=args.threads)
    if args.step in ("calibrate", "all"):
        calibrate(args.out)
    if args.step in ("export", "calibrate", "all") and args.ship:
        if args.variant != "default":
            raise SystemExit("only the default variant ships in the package; load the other from --out")
        _log(f"shipped to {ship(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
