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
    claims as positives and the other verified claims BM25 ranks first as negatives. Its calibration
    split is grouped by target claim, so no held-out target was seen in training.

Neither variant reads ``factchecks/snopes_claims_2020.jsonl`` (the default library and the
CheckThat! dev targets overlap it).

export
    ONNX (the verifier's recipe: opset 17, dynamic axes) → dynamic int8; a Platt scaling
    ``sigmoid(a·logit + b)`` is fitted on the calibration split's int8 logits and stored in
    ``claim_matcher.json``.
calibrate
    Learned fusions of the int8 logit with the first stage's features (BM25 raw and over the
    query's best, dense cosine, coverage, cheap score, rank): one orders candidates (ranking),
    one gives the probability the match decision is taken with; their feature sets, L2 strengths
    and the rerank depth are chosen by grouped cross-validation, and the decision threshold on
    held-out targets, all on CheckThat! 2020 task 2 *train*, split by target claim (see
    :func:`calibrate`). For the default model this is the only use of CheckThat! data: a few
    logistic-regression weights and one threshold, no network weights.
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
from collections import defaultdict
from collections.abc import Sequence
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
from ._common import read_jsonl as _read_jsonl
from ._common import save_atomic as _save_atomic
from ._common import write_jsonl as _write_jsonl

MODEL_VERSION = "1.0.0"
ONNX_FP32 = "claim_matcher.fp32.onnx"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
DEFAULT_NLI = SHARED / "nli" / "nli_pairs.jsonl"
DEFAULT_CHECKTHAT = SHARED / "factchecks" / "checkthat2020_task2"
#: Sources of the default mix used for "same claim" stand-ins (all commercial-use licences).
DEFAULT_SOURCES = ("fever_train", "fever_nli", "snli", "snli_cad", "mnli_nyu_hw", "wanli", "med",
                   "breaking_nli", "advglue_mnli", "conjnli")
_WORDS = re.compile(r"[a-z0-9]+")


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


def prepare_default(nli_path: Path, *, positives: int, negatives_per: int, seed: int,
                    neutral_negatives: bool = False) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows ``{query, candidate, label, source, group}`` from the commercial NLI sources;
    ``neutral_negatives`` adds, where the premise has one, a neutral hypothesis as "not the same
    claim" (contradictions are never negatives: stating a claim's negation is about that claim)."""
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
        negs = negs[:negatives_per]
        if neutral_negatives and lab.get("neutral"):
            # what the premise neither states nor denies, on its very topic (SNLI / MNLI)
            negs.append((rng.choice(lab["neutral"]), "neutral_hypothesis"))
        for c, why in negs:
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


def bm25_candidates(claims: dict[str, tuple[str, str]], queries: Sequence[str], k: int
                    ) -> list[list[str]]:
    """The verified-claim ids BM25 (claim + title, the matcher's first stage) ranks first for each
    query: the hard negatives of the checkthat variant."""
    import tempfile

    from ..factchecks.library import FactCheckLibrary
    from ..factchecks.match import Matcher
    from ..factchecks.readers import FactCheck

    out: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="factaudit-cm-neg-") as tmp:
        lib = FactCheckLibrary(Path(tmp) / "lib", create=True)
        lib.import_entries((FactCheck(t, "unknown", f"urn:checkthat:vclaim:{v}", title=ti or None,
                                      language="en") for v, (t, ti) in claims.items()),
                           source="checkthat", detect_language=False)
        matcher = Matcher(lib, model=None, threads=1)
        for q in queries:
            out.append([c.entry.url.rsplit(":", 1)[1]
                        for c in matcher.candidates([q], k=k, first_stage="bm25")])
        lib.close()
    return out


def prepare_checkthat(folder: Path, *, negatives_per: int, seed: int, hard: str = "bm25"
                      ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows from CheckThat! 2020 train: tweet → its verified claims (1); the claims the first stage
    ranks highest that are not gold (``hard``: ``bm25`` — what the reranker meets —, or ``tfidf``)
    and two random ones (0)."""
    from ..evaluation.claim_matching import read_claims

    queries, qrels = read_checkthat(folder, "train")
    claims = read_claims(folder / "verified_claims.docs.tsv")
    ids = sorted(claims)
    texts = [claims[i][0] for i in ids]
    tids = [t for t in sorted(queries) if t in qrels]
    if hard == "bm25":
        near = bm25_candidates(claims, [queries[t] for t in tids], 20)
    else:
        tfidf = _tfidf_neighbours([queries[t] for t in tids], texts, 40)
        near = [[ids[int(j)] for j in row] for row in tfidf]
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for n, t in enumerate(tids):
        group = min(qrels[t])  # grouped by target claim
        for vid in sorted(qrels[t]):
            rows.append({"query": queries[t], "candidate": claims[vid][0], "label": 1, "source": "checkthat",
                         "group": group, "kind": "gold"})
        negs = [v for v in near[n] if v not in qrels[t]][: negatives_per - 2]
        negs += rng.sample(ids, 2)
        for vid in negs:
            if vid not in qrels[t]:
                rows.append({"query": queries[t], "candidate": claims[vid][0], "label": 0,
                             "source": "checkthat", "group": group, "kind": f"{hard}_hard_negative"})
    return rows, {"tweets": len(tids), "verified_claims": len(claims), "hard_negatives": hard}


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
            calib_fraction: float = 0.06, seed: int = 13, neutral_negatives: bool = False) -> dict[str, Any]:
    """Write ``train.jsonl``, ``calib.jsonl`` and ``data_stats.json`` under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if variant == "default":
        rows, info = prepare_default(nli_path, positives=positives, negatives_per=negatives_per, seed=seed,
                                     neutral_negatives=neutral_negatives)
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


def state_dict_from_verifier(onnx_path: Path, base: Path) -> dict[str, Any]:
    """One-logit weights started from the shipped NLI verifier (``verifier.int8.onnx``): its
    encoder as it is, and a head scoring "the pair states one claim (either way round) rather than
    two": the mean of its SUPPORTED and REFUTED rows minus its NOT ENOUGH EVIDENCE row (an article
    repeating a claim and one stating its negation are both about that claim)."""
    from .verifier import load_base_model as load_verifier_model
    from .verifier import state_dict_from_onnx

    three = state_dict_from_onnx(onnx_path, load_verifier_model(base))
    w, b = three["classifier.weight"], three["classifier.bias"]
    out = {k: v for k, v in three.items() if not k.startswith("classifier.")}
    out["classifier.weight"] = ((w[0] + w[1]) / 2 - w[2]).unsqueeze(0).clone()
    out["classifier.bias"] = ((b[0] + b[1]) / 2 - b[2]).reshape(1).clone()
    return out


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

    if not (out_dir / "train.jsonl").is_file():
        raise SystemExit(f"{out_dir / 'train.jsonl'}: no training data; run the prepare step first")
    if init is not None and not init.is_file():
        raise SystemExit(f"--init {init}: no such file")
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
        if init.suffix == ".onnx":
            model.load_state_dict(state_dict_from_verifier(init, base))
        else:
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
    init = Path(str(config.get("init", "")))
    if init.suffix == ".onnx" and (init.parent / "verifier.json").is_file():
        # started from the shipped verifier: its encoder carries what it was trained on
        ver = json.loads((init.parent / "verifier.json").read_text(encoding="utf-8"))
        meta["initialised_from"] = {
            "model": ver.get("name"), "version": ver.get("version"), "sha256": ver.get("sha256"),
            "training_data": "the verifier's default mix (no non-commercial or restricted sources; "
                             "see VERIFIER_MODEL_CARD.md)"}
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


def calibration_rows(out_dir: Path, *, checkthat: Path = DEFAULT_CHECKTHAT, depth: int = 20,
                     max_tweets: int | None = None) -> list[dict[str, Any]]:
    """One row per (CheckThat! 2020 *train* tweet, candidate) for the ``depth`` candidates BM25
    ranks first (claim + title, as :class:`~factaudit.factchecks.match.Matcher` retrieves them),
    each with the model's int8 logit and :data:`~factaudit.factchecks.match.FEATURES`. For the
    checkthat variant only the tweets of its held-out targets. Cached in
    ``calibration_rows.jsonl`` (rebuilt when the model's sha256, ``depth`` or the tweets differ)."""
    import tempfile

    from ..evaluation.claim_matching import read_claims
    from ..factchecks.library import FactCheckLibrary
    from ..factchecks.match import FEATURES, Matcher
    from ..factchecks.readers import FactCheck
    from ..models.claim_matcher import ClaimMatcherModel

    queries, qrels = read_checkthat(checkthat, "train")
    claims = read_claims(checkthat / "verified_claims.docs.tsv")
    meta = json.loads((out_dir / META_FILE).read_text(encoding="utf-8"))
    if meta.get("variant") == "checkthat":  # trained on CheckThat! train: its held-out targets only
        held_groups = {str(r["group"]) for r in _read_jsonl(out_dir / "calib.jsonl")}
        qrels = {t: v for t, v in qrels.items() if str(min(v)) in held_groups}
    tweets = sorted(q for q in qrels if q in queries)[:max_tweets]
    key = {"sha256": meta.get("sha256"), "depth": depth, "tweets": len(tweets), "first_stage": "bm25",
           "features": list(FEATURES)}
    cache = out_dir / "calibration_rows.jsonl"
    if cache.is_file():
        cached = _read_jsonl(cache)
        if cached and cached[0].get("key") == key:
            return cached[1:]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="factaudit-calib-") as tmp:
        lib = FactCheckLibrary(Path(tmp) / "lib", create=True)
        lib.import_entries((FactCheck(t, "unknown", f"urn:checkthat:vclaim:{v}", title=ti or None,
                                      language="en") for v, (t, ti) in claims.items()),
                           source="checkthat", detect_language=False)
        matcher = Matcher(lib, model=ClaimMatcherModel(out_dir, threads=1), threads=1, first_stage="bm25")
        for n, t in enumerate(tweets):
            cands = matcher.candidates([queries[t]], k=max(depth, 20), first_stage="bm25")[:depth]
            matcher.rerank([queries[t]], cands)
            for rank, c in enumerate(cands):
                vid = c.entry.url.rsplit(":", 1)[1]
                rows.append({"tweet": t, "group": min(qrels[t]), "gold": sorted(qrels[t]), "vclaim": vid,
                             "label": int(vid in qrels[t]), "rank": rank,
                             **{f: round(float(c.scores.get(f, 0.0)), 6) for f in FEATURES}})
            if n % 100 == 0:
                _log(f"calibration rows: {n} of {len(tweets)} tweets")
        lib.close()
    _write_jsonl(cache, [{"key": key}, *rows])
    return rows


#: Feature sets the learned fusion chooses among by grouped cross-validation (see :func:`choose_fusion`).
FUSION_SETS: dict[str, tuple[str, ...]] = {
    "logit": ("logit",),
    "logit+cheap": ("logit", "cheap"),
    "logit+bm25_rel": ("logit", "bm25_rel"),
    "logit+bm25": ("logit", "bm25", "bm25_rel"),
    "logit+bm25_rel+dense+coverage": ("logit", "bm25_rel", "dense", "coverage"),
    "logit+bm25+rank": ("logit", "bm25", "bm25_rel", "inv_rank"),
    "all but rank": ("logit", "bm25", "bm25_rel", "dense", "coverage", "cheap"),
    "all": ("logit", "bm25", "bm25_rel", "dense", "coverage", "cheap", "inv_rank"),
    "logit+bm25_rel+numbers": ("logit", "bm25_rel", "numbers_differ"),
    "logit+bm25_rel+dense+coverage+numbers": ("logit", "bm25_rel", "dense", "coverage", "numbers_differ"),
}
#: The match decision's candidates: no raw BM25, whose scale follows the library's size and
#: vocabulary (an identical claim scores 15 in a 10-entry library and about 40 among CheckThat!'s
#: 10k claims), so a threshold chosen on one library would not hold on another.
MATCH_FUSION_SETS: dict[str, tuple[str, ...]] = {
    name: feats for name, feats in FUSION_SETS.items() if "bm25" not in feats}
FUSION_L2 = (0.01, 1.0, 30.0)
FUSION_DEPTHS = (10, 20)


def _by_tweet(rows: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[str(r["tweet"])].append(r)
    for v in out.values():
        v.sort(key=lambda r: int(r["rank"]))
    return dict(out)


def without_gold(cands: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A tweet's candidates as the library *without its gold claims* would give them: the others,
    their per-query features (``bm25_rel``, ``inv_rank``, ``rank``) recomputed among themselves."""
    rest = [dict(r) for r in cands if not r["label"]]
    top = max((float(r["bm25"]) for r in rest), default=0.0)
    for i, r in enumerate(rest):
        r["bm25_rel"] = float(r["bm25"]) / top if top > 0 else 0.0
        r["inv_rank"] = 1.0 / (i + 1)
        r["rank"] = i
    return rest


def fit_fusion(rows: Sequence[dict[str, Any]], features: Sequence[str], l2: float, depth: int
               ) -> dict[str, Any]:
    """A logistic regression of ``label`` on ``features`` over the candidates ranked below
    ``depth``, fitted on standardised features (``l2`` on those) and stored on the raw scale:
    ``{"features": {name: weight}, "bias": b}``."""
    used = [r for r in rows if int(r["rank"]) < depth]
    x = np.array([[float(r.get(f, 0.0)) for f in features] for r in used], dtype=np.float64)
    y = np.array([float(r["label"]) for r in used])
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    w = _fit_logistic((x - mu) / sd, y, l2=l2)
    coef = w[:-1] / sd
    bias = float(w[-1] - np.sum(w[:-1] * mu / sd))
    return {"features": {f: round(float(c), 6) for f, c in zip(features, coef, strict=True)},
            "bias": round(bias, 6)}


def _fusion_z(fusion: dict[str, Any], r: dict[str, Any], logit: float | None = None) -> float:
    z = float(fusion["bias"])
    for f, wt in fusion["features"].items():
        z += float(wt) * float(logit if f == "logit" and logit is not None else r.get(f, 0.0))
    return z


def fusion_map5(fusion: dict[str, Any] | None, tweets: dict[str, list[dict[str, Any]]], depth: int
                ) -> float:
    """MAP@5 over ``tweets`` when the top ``depth`` candidates are ordered by the fusion (None:
    the first stage's order)."""
    from ..evaluation.claim_matching import average_precision_at

    total = 0.0
    for cands in tweets.values():
        head, tail = cands[:depth], cands[depth:]
        if fusion is not None:
            head = sorted(head, key=lambda r: (-_fusion_z(fusion, r), int(r["rank"])))
        ranked = [str(r["vclaim"]) for r in head + tail]
        gold = {str(g) for g in cands[0]["gold"]} if cands else set()
        total += average_precision_at(ranked, gold, 5) if gold else 0.0
    return total / max(1, len(tweets))


def choose_fusion(rows: Sequence[dict[str, Any]], *, folds: int = 5, seed: int = 13
                  ) -> dict[str, Any]:
    """Grouped (by target claim) ``folds``-fold cross-validation over :data:`FUSION_SETS` ×
    :data:`FUSION_L2` × :data:`FUSION_DEPTHS`, by MAP@5 of the reranked ranking; BM25's order is
    scored on the same folds. Returns the table and the best setting."""
    tweets = _by_tweet(rows)
    groups = sorted({str(c[0]["group"]) for c in tweets.values()})
    random.Random(seed).shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    table: dict[str, list[float]] = defaultdict(list)
    for k in range(folds):
        test = {t: c for t, c in tweets.items() if fold_of[str(c[0]["group"])] == k}
        train_rows = [r for t, c in tweets.items() if fold_of[str(c[0]["group"])] != k for r in c]
        table["bm25"].append(fusion_map5(None, test, 0))
        for name, feats in FUSION_SETS.items():
            for l2 in FUSION_L2:
                for depth in FUSION_DEPTHS:
                    fusion = fit_fusion(train_rows, feats, l2, depth)
                    table[f"{name}|{l2}|{depth}"].append(fusion_map5(fusion, test, depth))
    scores = {key: round(float(np.mean(v)), 4) for key, v in table.items()}
    best = max((k for k in scores if k != "bm25"), key=lambda k: (scores[k], -len(k)))
    name, l2_text, depth_text = best.split("|")
    return {"folds": folds, "map_at_5": scores, "best": {"features": name, "l2": float(l2_text),
                                                         "rank_depth": int(depth_text)},
            "best_map_at_5": scores[best], "bm25_map_at_5": scores["bm25"]}


def _recall_at_precision(with_gold: Sequence[tuple[float, int]], without_gold_best: Sequence[float],
                         n: int, target: float) -> float:
    """The best recall over thresholds whose precision — true matches / (matches + matches with
    the gold claims removed) — reaches ``target`` (at least 5 matches)."""
    best = 0.0
    for cut in sorted({p for p, _ in with_gold}):
        picked = [lab for p, lab in with_gold if p >= cut]
        false_alone = sum(1 for p in without_gold_best if p >= cut)
        if len(picked) >= 5 and sum(picked) / (len(picked) + false_alone) >= target:
            best = max(best, sum(picked) / max(1, n))
    return best


def choose_match_fusion(rows: Sequence[dict[str, Any]], *, folds: int = 5, seed: int = 13,
                        depth: int = 20, target_precision: float = 0.95) -> dict[str, Any]:
    """The fusion the match *decision* uses, chosen apart from the ranking one: a ranking may lean
    on features relative to the query's other candidates (``bm25_rel``), which say nothing when
    the library holds no fact-check of the claim. Fitted on every tweet asked twice (with its
    candidates, and :func:`without_gold`); grouped ``folds``-fold cross-validation over
    :data:`FUSION_SETS` × :data:`FUSION_L2` by the recall at ``target_precision`` of the
    out-of-fold best candidates (with gold: true or false match; without: false), over
    :data:`MATCH_FUSION_SETS`."""
    tweets = _by_tweet(rows)
    groups = sorted({str(c[0]["group"]) for c in tweets.values()})
    random.Random(seed).shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    doubled = {t: (c, without_gold(c)) for t, c in tweets.items()}
    oof: dict[str, tuple[list[tuple[float, int]], list[float]]] = {}
    for k in range(folds):
        train_rows = [r for t, (c, w) in doubled.items() if fold_of[str(c[0]["group"])] != k for r in c + w]
        test = [(c, w) for c, w in doubled.values() if fold_of[str(c[0]["group"])] == k]
        for name, feats in MATCH_FUSION_SETS.items():
            for l2 in FUSION_L2:
                fusion = fit_fusion(train_rows, feats, l2, depth)
                got = oof.setdefault(f"{name}|{l2}", ([], []))
                for c, w in test:
                    zs = [(_fusion_z(fusion, r), int(r["label"])) for r in c[:depth]]
                    z, lab = max(zs)
                    got[0].append((1 / (1 + math.exp(-z)), lab))
                    if w:
                        got[1].append(1 / (1 + math.exp(-max(_fusion_z(fusion, r) for r in w[:depth]))))
    scores = {key: round(_recall_at_precision(a, b, len(tweets), target_precision), 4)
              for key, (a, b) in oof.items()}
    best = max(scores, key=lambda k: (scores[k], -len(MATCH_FUSION_SETS[k.split("|")[0]]),
                                      float(k.split("|")[1])))
    name, l2_text = best.split("|")
    return {"folds": folds, "recall_at_precision": scores, "best": {"features": name, "l2": float(l2_text)},
            "best_recall": scores[best]}


def gate_logit(fusion: dict[str, Any], rows: Sequence[dict[str, Any]], threshold: float) -> float | None:
    """The gate's logit: the least with which every calibration row that is a match at
    ``threshold`` can still reach it (so none is gated away), rather than the largest logit seen
    (``logit_max``), so fewer candidates pay for the cross-encoder. None when the fusion does not
    weigh the logit positively or nothing matches."""
    need = math.log(threshold / (1 - threshold))
    weight = float(fusion["features"].get("logit", 0.0))
    if weight <= 0:
        return None
    required = [(need - (_fusion_z(fusion, r) - weight * float(r["logit"]))) / weight
                for r in rows if _fusion_z(fusion, r) >= need]
    if not required:
        return None
    return min(math.ceil(max(required) * 1e4) / 1e4, float(fusion["logit_max"]))


def _simulate_match(fusion: dict[str, Any], cands: Sequence[dict[str, Any]], threshold: float,
                    rerank_max: int) -> tuple[float, int] | None:
    """What :meth:`Matcher.match` would decide for one query's candidates: those whose fusion can
    reach ``threshold`` with ``logit_max`` (at most ``rerank_max``, highest bound first) are
    reranked; (best probability, its label), or None when none was."""
    need = math.log(threshold / (1 - threshold))
    bound = [(_fusion_z(fusion, r, float(fusion["logit_max"])), i) for i, r in enumerate(cands)]
    gated = [cands[i] for z, i in sorted(bound, key=lambda b: (-b[0], b[1])) if z >= need][:rerank_max]
    if not gated:
        return None
    z, label = max((_fusion_z(fusion, r), int(r["label"])) for r in gated)
    return 1.0 / (1.0 + math.exp(-z)), label


def calibrate(out_dir: Path, *, checkthat: Path = DEFAULT_CHECKTHAT, seed: int = 13,
              target_precision: float = 0.95, folds: int = 5, max_tweets: int | None = None
              ) -> dict[str, Any]:
    """Fit the learned fusion and choose the threshold on CheckThat! 2020 task 2 *train*, split
    by target claim (dev is never read), and write them into ``out_dir/claim_matcher.json``:

    1. :func:`calibration_rows`: BM25's top candidates of every train tweet with the int8 logit and
       the first-stage features (BM25's recall@10 on train is the hybrid's or better, its top 1
       far better: ``benchmarks/bench_claim_matching_recall.py``).
    2. 80% of the targets: the feature set, L2 strength and rerank depth with the best MAP@5 in
       grouped ``folds``-fold cross-validation (:func:`choose_fusion`, BM25's order scored on the
       same folds), then the fusion refitted on all of them.
    3. The other 20%: the threshold, the lowest giving ``target_precision`` where each tweet is
       asked twice, as :meth:`Matcher.match` decides (gate, at most 3 reranked) — against the
       library, and against the library without its gold claims (features recomputed), where any
       match is false, as for most news claims.
    The gate needs no parameter of its own: a candidate is reranked when the fusion could reach
    the threshold with the largest logit seen here (``logit_max``)."""
    from ..factchecks.match import RERANK_MAX

    rows = calibration_rows(out_dir, checkthat=checkthat, depth=max(FUSION_DEPTHS), max_tweets=max_tweets)
    tweets = _by_tweet(rows)
    groups = sorted({str(c[0]["group"]) for c in tweets.values()})
    random.Random(seed).shuffle(groups)
    held = set(groups[: len(groups) // 5])
    fit_rows = [r for r in rows if str(r["group"]) not in held]
    held_tweets = {t: c for t, c in tweets.items() if str(c[0]["group"]) in held}
    cv = choose_fusion(fit_rows, folds=folds, seed=seed)
    best = cv["best"]
    ranking = fit_fusion(fit_rows, FUSION_SETS[best["features"]], best["l2"], best["rank_depth"])
    depth = max(FUSION_DEPTHS)
    cv_match = choose_match_fusion(fit_rows, folds=folds, seed=seed, depth=depth,
                                   target_precision=target_precision)
    doubled = [r for c in _by_tweet(fit_rows).values() for r in c + without_gold(c)]
    fusion: dict[str, Any] = fit_fusion(doubled, MATCH_FUSION_SETS[cv_match["best"]["features"]],
                                        cv_match["best"]["l2"], depth)
    fusion.update({"first_stage": "bm25", "rank_depth": best["rank_depth"],
                   "logit_max": round(float(max(r["logit"] for r in rows)), 4), "rank": ranking})
    threshold, curve = 0.99, []
    for cut in np.arange(0.30, 0.991, 0.01):
        picked = [d for d in (_simulate_match(fusion, c, float(cut), RERANK_MAX)
                              for c in held_tweets.values()) if d is not None and d[0] >= cut]
        false_alone = sum(1 for c in held_tweets.values()
                          if (d := _simulate_match(fusion, without_gold(c), float(cut), RERANK_MAX))
                          is not None and d[0] >= cut)
        true = sum(lab for _, lab in picked)
        precision = true / (len(picked) + false_alone) if picked else 1.0
        recall = true / len(held_tweets) if held_tweets else 0.0
        curve.append({"threshold": round(float(cut), 2), "precision": round(precision, 4),
                      "recall": round(recall, 4), "matches": len(picked), "false_without_gold": false_alone})
        if precision >= target_precision and len(picked) >= 5:
            threshold = float(cut)
            break
    gate = gate_logit(fusion, rows, threshold)
    if gate is not None:
        fusion["gate_logit"] = gate
    meta_path = out_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["fusion"] = fusion
    meta["threshold"] = round(threshold, 4)
    meta.pop("gate", None)
    held_map = {"bm25": round(fusion_map5(None, held_tweets, 0), 4),
                "fusion": round(fusion_map5(ranking, held_tweets, best["rank_depth"]), 4)}
    meta["calibration"] = {
        "data": "CheckThat! 2020 task 2 train (research use), split by target claim: "
                f"{len(groups) - len(held)} targets fit the fusion, {len(held)} chose the threshold",
        "first_stage": "bm25 (claim + title)", "candidates_per_tweet": max(FUSION_DEPTHS),
        "rows_fit": len(fit_rows), "tweets_threshold": len(held_tweets),
        "cross_validation": {"folds": folds, "grouped_by": "target claim", "ranking": best,
                             "map_at_5_fusion": cv["best_map_at_5"], "map_at_5_bm25": cv["bm25_map_at_5"],
                             "map_at_5_logit_cheap": max(v for k, v in cv["map_at_5"].items()
                                                         if k.startswith("logit+cheap|")),
                             "match": cv_match["best"],
                             "recall_at_precision_fusion": cv_match["best_recall"],
                             "recall_at_precision_logit_cheap": max(
                                 v for k, v in cv_match["recall_at_precision"].items()
                                 if k.startswith("logit+cheap|"))},
        "map_at_5_threshold_split": held_map,
        "target_precision": target_precision,
        "precision_counts": "true matches / (matches + matches made with the gold claims removed)",
        "threshold_curve": curve[-5:],
        "gate_rule": "reranked when the fusion with gate_logit (the least logit that keeps every "
                     "calibration match reachable; else logit_max) reaches the threshold (at most 3)",
        "auc_logit_fit_split": round(
            _auc(np.array([r["logit"] for r in fit_rows]), np.array([r["label"] for r in fit_rows])), 4)}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _log(f"calibrated: fusion {fusion}, threshold {threshold:.2f}; CV MAP@5 {cv['best_map_at_5']} "
         f"(BM25 {cv['bm25_map_at_5']}), CV recall at precision {target_precision} "
         f"{cv_match['best_recall']}; threshold split MAP@5 {held_map}")
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
    ap.add_argument("--neutral-negatives", action="store_true",
                    help="Also a neutral hypothesis of the same premise as a negative (default variant).")
    ap.add_argument("--max-steps", type=int, default=450)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--time-limit-min", type=float, default=None)
    ap.add_argument("--init", type=Path, default=None,
                    help="Start from another run's best.pt, or from a verifier.int8.onnx (its NLI encoder).")
    ap.add_argument("--ship", action="store_true", help="Copy the exported files into the package.")
    args = ap.parse_args(argv)
    if args.step in ("prepare", "all"):
        fraction = args.calib_fraction or (0.3 if args.variant == "checkthat" else 0.06)
        prepare(args.out, variant=args.variant, positives=args.positives, calib_fraction=fraction,
                neutral_negatives=args.neutral_negatives)
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
