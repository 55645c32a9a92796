"""First-stage recall of claim matching on CheckThat! 2020 task 2; prints numbers (no asserts).

    python benchmarks/bench_claim_matching_recall.py [--split train]

recall@k (k = 5, 10, 20, 50): the share of queries whose gold verified claim is among the first k
candidates, for BM25 alone (claim + title) and for the hybrid BM25 + dense retriever (fused by
reciprocal rank), as :class:`factaudit.factchecks.match.Matcher` retrieves them. Run it on *train*
to choose the first stage; dev is scored once, by ``bench_claim_matching.py``.

On train (800 tweets, 2026-12-03): BM25 recall@1/5/10/20/50 0.779 / 0.886 / 0.903 / 0.925 / 0.940,
hybrid 0.605 / 0.870 / 0.898 / 0.925 / 0.938: the learned fusion reranks BM25's candidates.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factaudit.evaluation.claim_matching import read_claims, read_qrels, read_queries  # noqa: E402
from factaudit.evidence.retrieve import Retriever  # noqa: E402
from factaudit.factchecks.library import FactCheckLibrary  # noqa: E402
from factaudit.factchecks.match import Matcher  # noqa: E402
from factaudit.factchecks.readers import FactCheck  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "factchecks" / "checkthat2020_task2"
KS = (1, 5, 10, 20, 50)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train", choices=("train", "dev"))
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    queries = read_queries(DATA / args.split / "tweets.queries.tsv")
    qrels = read_qrels(DATA / args.split / "tweet-vclaim-pairs.qrels")
    claims = read_claims(DATA / "verified_claims.docs.tsv")
    with tempfile.TemporaryDirectory(prefix="bench-cm-recall-") as tmp:
        lib = FactCheckLibrary(Path(tmp) / "lib", create=True)
        lib.import_entries((FactCheck(t, "unknown", f"urn:checkthat:vclaim:{v}", title=ti or None,
                                      language="en") for v, (t, ti) in claims.items()),
                           source="checkthat", detect_language=False)
        matcher = Matcher(lib, model=None, threads=1)
        for name, mode in (("bm25 (claim + title)", "bm25"), ("hybrid (BM25 + dense, RRF)", "hybrid")):
            retriever = Retriever(lib.store, mode=mode, candidates=max(KS) * 2)  # type: ignore[arg-type]
            found = dict.fromkeys(KS, 0)
            t0 = time.perf_counter()
            for q in sorted(qrels):
                # candidates() sorts by the fused score: with a BM25-only retriever that is BM25's order
                ranked = [c.entry.url.rsplit(":", 1)[1]
                          for c in matcher.candidates([queries[q]], k=max(KS), retriever=retriever)]
                for k in KS:
                    found[k] += bool(set(ranked[:k]) & qrels[q])
            ms = (time.perf_counter() - t0) * 1000 / len(qrels)
            row = {"first_stage": name, "split": args.split, "n": len(qrels),
                   **{f"recall_at_{k}": round(found[k] / len(qrels), 4) for k in KS},
                   "ms_per_query": round(ms, 1)}
            print(json.dumps(row), flush=True)
        lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
