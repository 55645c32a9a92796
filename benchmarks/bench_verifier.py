"""Verifier model: FEVER-Symmetric dev accuracy, calibration (ECE) and warm throughput.

    python benchmarks/bench_verifier.py [--data-dir ../shared/data] [--threads 2] [--files-dir DIR]

FEVER-Symmetric v0.2 dev (708 claim–evidence pairs, SUPPORTS/REFUTES; never used in training or
calibration). Accuracy counts a NOT ENOUGH EVIDENCE prediction as wrong; "S/R-only" restricts the
argmax to SUPPORTED/REFUTED. ECE uses 15 equal-width bins on the max probability of the 3-way
prediction, before (T = 1) and after the shipped temperature. The evidence is FEVER's PTB-tokenised
Wikipedia text; ``-LRB-``-style tokens are mapped back to brackets (the "detok" rows, the headline
number) and the raw text is reported too. Throughput: claim–evidence pairs per second on ``--threads``
threads, warm, over FEVER-Symmetric pairs of 40–60 tokens (~50).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from factaudit.evaluation.verification import ptb_detok
from factaudit.models.onnx import softmax
from factaudit.models.verifier import LABELS, VerifierModel, expected_calibration_error

REPO = Path(__file__).resolve().parents[1]
FEVER_SYMMETRIC = "verification/fever_symmetric_dev.jsonl"
GOLD = {"SUPPORTS": LABELS.index("SUPPORTED"), "REFUTES": LABELS.index("REFUTED")}
def score(model: VerifierModel, pairs: list[tuple[str, str]], gold: np.ndarray) -> dict[str, Any]:
    """Accuracy (3-way argmax, NEE wrong), S/R-only accuracy, ECE before/after the temperature."""
    logits = model.logits(pairs)
    raw = softmax(logits)
    cal = softmax(logits / model.temperature)
    pred = cal.argmax(1)
    sr = [LABELS.index("SUPPORTED"), LABELS.index("REFUTED")]
    pred_sr = np.array(sr)[cal[:, sr].argmax(1)]
    return {
        "n": len(gold),
        "accuracy": float((pred == gold).mean()),
        "accuracy_sr_only": float((pred_sr == gold).mean()),
        "ece_t1": expected_calibration_error(raw.max(1), raw.argmax(1) == gold),
        "ece": expected_calibration_error(cal.max(1), pred == gold),
        "predicted": {lab: int((pred == i).sum()) for i, lab in enumerate(LABELS)},
        "per_gold_accuracy": {lab: float((pred[gold == i] == i).mean())
                              for lab, i in GOLD.items() if (gold == i).any()},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--files-dir", type=Path, default=None, help="model directory (default: shipped)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3, help="timed passes for throughput")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = ap.parse_args()
    path = args.data_dir / FEVER_SYMMETRIC
    if not path.is_file():
        print(f"data not found: {path} (pass --data-dir)", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = np.array([GOLD[r["label"]] for r in rows])

    t0 = time.perf_counter()
    model = VerifierModel(args.files_dir, threads=args.threads).load()
    load_s = time.perf_counter() - t0
    info = model.info()
    print(f"model {info['name']} {info['version']} sha256 {info['sha256'][:12]} T={model.temperature:.3f} "
          f"max_len {model.max_len} load {load_s:.2f}s threads {args.threads}")
    results: dict[str, Any] = {"model": info}
    for name, fix in (("detok", ptb_detok), ("raw", lambda s: s)):
        pairs = [(fix(r["evidence"]), fix(r["claim"])) for r in rows]
        r = score(model, pairs, gold)
        results[f"fever_symmetric_dev_{name}"] = r
        print(f"FEVER-Symmetric dev ({name:5s}) n={r['n']} acc={r['accuracy']:.4f} "
              f"acc(S/R only)={r['accuracy_sr_only']:.4f} ECE={r['ece']:.4f} (T=1: {r['ece_t1']:.4f}) "
              f"predicted={r['predicted']}")

    tok = model._tokenizer  # the model's own tokenizer, to pick ~50-token pairs
    pairs = [(ptb_detok(r["evidence"]), ptb_detok(r["claim"])) for r in rows]
    lengths = [len(e.ids) for e in tok.encode_batch(pairs)]
    bench = [p for p, n in zip(pairs, lengths, strict=True) if 40 <= n <= 60]
    bench = (bench * (512 // max(1, len(bench)) + 1))[:512]
    mean_len = float(np.mean([len(e.ids) for e in tok.encode_batch(bench)]))
    model.predict(bench[:64])  # warm-up
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        model.predict(bench)
        best = min(best, time.perf_counter() - t0)
    rate = len(bench) / best
    results["throughput"] = {"pairs_per_s": rate, "pairs": len(bench), "mean_tokens": mean_len,
                             "threads": args.threads, "batch_size": model.batch_size}
    print(f"throughput: {rate:.1f} pairs/s ({len(bench)} pairs, mean {mean_len:.1f} tokens, "
          f"{args.threads} threads, batch {model.batch_size}, best of {args.repeats})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
