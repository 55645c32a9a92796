"""Check-worthiness model: quality on CT24 dev and CLEF 2020 dev, and warm throughput.

    python benchmarks/bench_checkworthiness.py [--data-dir ../shared/data] [--threads 2]

Prints precision / recall / F1 of the Yes class at the shipped threshold (never tuned on these
files) and sentences per second over CT24 dev (model loaded and warmed up first).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from factaudit.evaluation.checkworthiness import evaluate_checkworthiness, read_labelled_tsv
from factaudit.models.checkworthiness import CheckworthinessModel

REPO = Path(__file__).resolve().parents[1]
FILES = {"CT24 dev": "checkworthiness/ct24_dev.tsv", "CLEF 2020 dev": "checkworthiness/clef20_task1_dev.tsv"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3, help="timed passes over CT24 dev")
    args = ap.parse_args()
    paths = {name: args.data_dir / rel for name, rel in FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        print(f"data not found: {', '.join(missing)} (pass --data-dir)", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    model = CheckworthinessModel(threads=args.threads).load()
    load_s = time.perf_counter() - t0
    info = model.info()
    print(
        f"model {info['name']} {info['version']} sha256 {info['sha256'][:12]} "
        f"threshold {model.threshold:.4f} max_len {model.max_len} load {load_s:.2f}s"
    )
    for name, path in paths.items():
        r = evaluate_checkworthiness(path, model)
        print(f"{name:14s} n={r['n']:5d}  P={r['precision']:.4f}  R={r['recall']:.4f}  F1={r['f1']:.4f}")

    texts, _, _ = read_labelled_tsv(paths["CT24 dev"])
    model.score(texts[:64])  # warm-up
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        model.score(texts)
        best = min(best, time.perf_counter() - t0)
    print(
        f"throughput     {len(texts) / best:.1f} sentences/s ({args.threads} threads, warm, best of "
        f"{args.repeats} passes over {len(texts)} CT24 dev sentences)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
