"""Claim matching quality on CheckThat! 2020 task 2 (../shared/data/factchecks/checkthat2020_task2);
prints numbers (no asserts).

    python benchmarks/bench_claim_matching.py [--split dev] [--model runs/claim_matcher_ct] [--rerank N]

Rows: BM25 over claim + title (the task's baseline, kept here), the hybrid first stage (fused BM25 +
dense order), and the cross-encoder reranking the top ``--rerank`` candidates of the model's first
stage (default: its learned fusion's ``rank_depth`` over BM25's candidates; an older model: 10 of
the hybrid's) — the shipped default model, and each ``--model`` folder, e.g. the research-use
CheckThat! variant. MAP@1/3/5 and MRR,
with a 95% bootstrap interval for MAP@5 (2,000 resamples of the queries). Dev is scored once, after
every choice was made on train (``python -m factaudit.training.claim_matching calibrate``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factaudit.evaluation.claim_matching import (  # noqa: E402
    read_claims,
    read_qrels,
    read_queries,
    score_rankings,
)
from factaudit.factchecks.library import FactCheckLibrary  # noqa: E402
from factaudit.factchecks.match import Matcher  # noqa: E402
from factaudit.factchecks.readers import FactCheck  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "factchecks" / "checkthat2020_task2"


def bootstrap(per_query: dict[str, float], n: int = 2000, seed: int = 13) -> tuple[float, float]:
    values = np.array(list(per_query.values()))
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(n, len(values)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def rank_all(matcher: Matcher, queries: dict[str, str], qrels: dict[str, set[str]], mode: str,
             rerank: int | None) -> tuple[dict[str, list[str]], float]:
    out: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    for q in sorted(qrels):
        ranked = matcher.rank(queries[q], k=20, mode=mode, rerank=rerank)
        out[q] = [c.entry.url.rsplit(":", 1)[1] for c in ranked]
    return out, (time.perf_counter() - t0) / max(1, len(qrels))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--model", action="append", default=[], help="Another claim matcher folder.")
    ap.add_argument("--rerank", type=int, default=None,
                    help="Candidates reranked (default: the model's rank_depth, else 10).")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    queries = read_queries(DATA / args.split / "tweets.queries.tsv")
    qrels = read_qrels(DATA / args.split / "tweet-vclaim-pairs.qrels")
    claims = read_claims(DATA / "verified_claims.docs.tsv")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-cm-") as tmp:
        lib = FactCheckLibrary(Path(tmp) / "lib", create=True)
        entries = (FactCheck(t, "unknown", f"urn:checkthat:vclaim:{v}", title=ti or None, language="en")
                   for v, (t, ti) in claims.items())
        lib.import_entries(entries, source="checkthat", detect_language=False)
        runs: list[tuple[str, str, Any]] = [("bm25 (claim + title)", "bm25", None),
                                            ("hybrid first stage (BM25 + dense, fused)", "first_stage", None),
                                            ("reranker: shipped default", "rerank", None)]
        runs += [(f"reranker: {m}", "rerank", m) for m in args.model]
        for name, mode, model in runs:
            from factaudit.models.claim_matcher import ClaimMatcherModel

            matcher = Matcher(lib, model=ClaimMatcherModel(model, threads=1) if model or mode == "rerank"
                              else None, threads=1)
            rankings, per_query_s = rank_all(matcher, queries, qrels, mode, args.rerank)
            res = score_rankings(rankings, qrels)
            lo, hi = bootstrap(res.pop("per_query"))
            row = {"system": name, "split": args.split, **res, "map_at_5_ci95": [round(lo, 4), round(hi, 4)],
                   "ms_per_query": round(per_query_s * 1000, 1)}
            results.append(row)
            print(json.dumps(row) if args.json else
                  f"{name:40s} MAP@1 {res['map_at_1']:.4f}  MAP@3 {res['map_at_3']:.4f}  MAP@5 "
                  f"{res['map_at_5']:.4f} [{lo:.4f}, {hi:.4f}]  MRR {res['mrr']:.4f}  n={res['n']}  "
                  f"{per_query_s * 1000:.0f} ms/query", flush=True)
        lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
