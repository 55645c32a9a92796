"""Corpus aggregation: speed, memory, page render, and entity merging against hand-labelled pairs.

First audit the BBC articles as a batch (slow on a shared CPU: one worker, in the background)::

    factaudit audit ../shared/data/articles/bbc -o runs/bbc_reports -f json -j 1 --no-verify

then::

    python benchmarks/bench_corpus.py runs/bbc_reports

prints: reports read, read+aggregate seconds (and the aggregation's own parts), peak RSS of this
process, the corpus page's render time (median of 5, unfiltered / filtered / an edge opened), and
pairwise precision / recall of entity merging on ``benchmarks/gold/entity_pairs.jsonl``
(targets: ≤ 30 s, ≤ 1 GB, ≤ 1 s, precision ≥ 0.95, recall ≥ 0.85). One thread throughout.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from factaudit.corpus import BatchFolderSource, Corpus, aggregate
from factaudit.corpus.query import CorpusFilter

GOLD = Path(__file__).resolve().parent / "gold" / "entity_pairs.jsonl"
BBC_PREFIX = "/work/shared/data/articles/bbc/"


def _mention_index(corpus: Corpus) -> dict[tuple[str, int], str]:
    return {(m.article, m.start): e.id for e in corpus.entities for m in e.mentions}


def score_pairs(corpus: Corpus, gold: Path, prefix: str) -> dict[str, float | int]:
    """Pairwise precision / recall: a pair is predicted "same" when both mentions land in one
    corpus entity; a mention the corpus does not hold is its own singleton."""
    index = _mention_index(corpus)
    tp = fp = fn = tn = missing = 0
    by_kind: dict[str, list[int]] = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        ids = []
        for side in ("a", "b"):
            m = pair[side]
            eid = index.get((prefix + m["article"], m["start"]))
            if eid is None:
                missing += 1
                eid = f"missing:{m['article']}:{m['start']}"
            ids.append(eid)
        same = ids[0] == ids[1]
        gold_same = bool(pair["same"])
        tp += same and gold_same
        fp += same and not gold_same
        fn += (not same) and gold_same
        tn += (not same) and not gold_same
        by_kind.setdefault(pair["kind"], []).append(int(same == gold_same))
    out: dict[str, float | int] = {
        "pairs": tp + fp + fn + tn,
        "positive": tp + fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
        "false_merges": fp,
        "missed_merges": fn,
        "mentions_not_in_corpus": missing,
    }
    for kind, hits in by_kind.items():
        out[f"accuracy[{kind}]"] = round(sum(hits) / len(hits), 3)
    return out


def search_recall(folder: Path, limit: int = 800, queries: int = 800) -> dict[str, float | int]:
    """Recall of the hashing's candidate pairs against exact search, on the claims of the first
    ``limit`` reports (``queries`` sampled claims against all)."""
    import numpy as np

    from factaudit.corpus.aggregate import _Collector
    from factaudit.corpus.recurring import _candidate_pairs
    from factaudit.evidence.embed import load_embedder

    col = _Collector()
    for i, report in enumerate(BatchFolderSource(folder)):
        if i >= limit:
            break
        col.add(report)
    v = load_embedder().encode(col.claim_texts)
    n = len(v)
    t = time.perf_counter()
    pairs = _candidate_pairs(v, 0)
    seconds = time.perf_counter() - t
    found = set((pairs[:, 0] * n + pairs[:, 1]).tolist())
    rng = np.random.default_rng(0)
    q = rng.choice(n, min(queries, n), replace=False)
    sims = v[q] @ v.T
    sims[np.arange(len(q)), q] = -1
    out: dict[str, float | int] = {
        "claims": n,
        "candidate_pairs": len(pairs),
        "hash_seconds": round(seconds, 2),
    }
    for bound in (0.85, 0.95):
        truth = {
            (min(a, b), max(a, b))
            for a, row in zip(q, sims, strict=True)
            for b in np.flatnonzero(row >= bound)
        }
        hit = sum(1 for a, b in truth if a * n + b in found)
        out[f"recall@cos>={bound}"] = round(hit / len(truth), 3) if truth else 1.0
        out[f"exact_pairs@cos>={bound}"] = len(truth)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", type=Path, help="a batch output folder of JSON reports")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--prefix", default=BBC_PREFIX, help="what the gold's article paths are relative to")
    ap.add_argument("--no-cross-check", action="store_true", help="near-duplicates only (no NLI model)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    src = BatchFolderSource(args.reports)
    corpus = aggregate(src, checker=None if args.no_cross_check else "verifier")
    total = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rec = corpus.run.settings["recurring"]
    print(
        f"reports: {len(corpus.articles)} read, {len(src.skipped)} skipped, {src.failed} failed in the batch"
    )
    print(f"read + aggregate: {total:.1f} s (target ≤ 30 s); parts: {corpus.run.timings}")
    print(f"peak RSS of this process: {rss_mb:.0f} MB (target ≤ 1024 MB)")
    print(
        f"corpus: {len(corpus.entities)} entities, {len(corpus.relations)} relations, "
        f"{len(corpus.recurring_claims)} recurring claims, {len(corpus.findings)} findings; "
        f"clustering: {rec}"
    )

    from factaudit.web.corpus import render_corpus_page

    def render_time(f: CorpusFilter, edge: str = "") -> float:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            render_corpus_page(corpus, f, edge, user=None, auth_required=False)
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    top = corpus.relations[0].id if corpus.relations else ""
    outlet = corpus.outlets[0].outlet if corpus.outlets else ""
    print(
        f"corpus page render (median of 5, target ≤ 1 s): unfiltered {render_time(CorpusFilter()):.3f} s, "
        f"outlet filter {render_time(CorpusFilter(outlet=outlet)):.3f} s, edge {top} open "
        f"{render_time(CorpusFilter(), top):.3f} s"
    )
    print(f"approximate search vs exact: {search_recall(args.reports)}")
    if args.gold.exists():
        print(f"entity merging on {args.gold.name}: {score_pairs(corpus, args.gold, args.prefix)}")


if __name__ == "__main__":
    main()
