"""Retrieval benchmarks for the evidence store; prints numbers (no asserts).

    python benchmarks/bench_retrieval.py recall  [--minilm DIR] [--distractors]
    python benchmarks/bench_retrieval.py latency [--size 1000000] [--max-minutes 40]
    python benchmarks/bench_retrieval.py packs

* ``recall``: Climate-FEVER dev (../shared/data/verification/climate_fever_dev.jsonl). Every evidence
  sentence of every claim goes into one pool (one document per sentence, titled with its Wikipedia
  article); each claim is a query; gold = its evidence sentences labelled SUPPORTS or REFUTES.
  recall@10 (mean over claims of the share of gold found in the top 10), hit@10 (any gold in the
  top 10) and MRR for BM25, dense and hybrid, per embedder (the shipped static one; MiniLM int8
  ONNX with ``--minilm DIR`` from ``scripts/build_static_embedder.py --minilm-onnx DIR``).
  ``--distractors`` adds both default packs (~27k passages) to the pool (static embedder only).
* ``latency``: builds a store of ``--size`` synthetic passages (real wiki-vital sentences
  recombined) under runs/ through ``EvidenceStore.add_documents`` in 100k-passage increments (the
  build rate), then times ``Retriever.search`` (query encoding included) for real claims: p50/p95
  per mode, and the HNSW's recall@10 against exact search.
* ``packs``: time to build both default packs into a fresh store.

Stores are built under runs/bench-retrieval/ (git-ignored), never in the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factaudit.evidence import EvidenceStore, Retriever, SourceDocument  # noqa: E402
from factaudit.evidence.embed import OnnxEmbedder, load_embedder  # noqa: E402
from factaudit.evidence.packs import add_pack, wiki_vital_documents  # noqa: E402
from factaudit.evidence.store import Segment, sentence_spans  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
CLIMATE_FEVER = SHARED / "verification" / "climate_fever_dev.jsonl"
FEVER_SYM = SHARED / "verification" / "fever_symmetric_dev.jsonl"
WORK = ROOT / "runs" / "bench-retrieval"


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


# ------------------------------------------------------------------------------------- recall


def climate_fever() -> tuple[list[SourceDocument], list[tuple[str, set[str]]]]:
    rows = [json.loads(line) for line in CLIMATE_FEVER.open(encoding="utf-8")]
    docs: dict[str, SourceDocument] = {}
    queries = []
    for r in rows:
        gold = set()
        for e in r["evidences"]:
            text = e["evidence"].strip()
            docs.setdefault(
                _norm(text),
                SourceDocument(
                    text=text, title=e["article"], key=e["evidence_id"], passages=[Segment(0, len(text))]
                ),
            )
            if e["evidence_label"] in ("SUPPORTS", "REFUTES"):
                gold.add(_norm(text))
        if gold:
            queries.append((r["claim"], gold))
    return list(docs.values()), queries


def evaluate(
    store: EvidenceStore, queries: list[tuple[str, set[str]]], k: int = 10
) -> dict[str, dict[str, float]]:
    out = {}
    for mode in ("bm25", "dense", "hybrid"):
        r = Retriever(store, mode=mode)  # type: ignore[arg-type]
        rec, hit, mrr = [], [], []
        for claim, gold in queries:
            texts = [_norm(h.text) for h in r.search(claim, k=k)]
            found = [i for i, t in enumerate(texts) if t in gold]
            rec.append(len({texts[i] for i in found}) / len(gold))
            hit.append(1.0 if found else 0.0)
            mrr.append(1.0 / (found[0] + 1) if found else 0.0)
        out[mode] = {
            "recall@10": float(np.mean(rec)),
            "hit@10": float(np.mean(hit)),
            "mrr@10": float(np.mean(mrr)),
        }
    return out


def bench_recall(minilm: Path | None, distractors: bool) -> None:
    docs, queries = climate_fever()
    print(
        f"Climate-FEVER dev: {len(docs)} pooled evidence sentences, {len(queries)} claims with "
        "SUPPORTS/REFUTES evidence"
    )
    embedders: list[tuple[str, Any]] = [("static-minilm-l6-256 (shipped)", load_embedder())]
    if minilm:
        embedders.append(("minilm-l6 int8 onnx", OnnxEmbedder(minilm)))
    for name, emb in embedders:
        path = WORK / f"recall-{re.sub(r'[^a-z0-9]+', '-', name.lower())}"
        shutil.rmtree(path, ignore_errors=True)
        with EvidenceStore(path, create=True, embedder=emb) as store:
            st = store.add_documents(docs, corpus="climate-fever")
            print(f"\n[{name}] indexed {st.passages} passages in {st.seconds:.1f} s ({st.rate:,.0f}/s)")
            _print_table(evaluate(store, queries))
            if distractors and "static" in name:
                for pack in ("wiki-vital", "factbook"):
                    add_pack(store, pack)
                n = store.count()[1]
                print(f"[{name}] + default packs as distractors ({n:,} passages):")
                _print_table(evaluate(store, queries))
        shutil.rmtree(path, ignore_errors=True)


def _print_table(res: dict[str, dict[str, float]]) -> None:
    for mode, m in res.items():
        print(
            f"  {mode:7s} recall@10 {m['recall@10']:.3f}  hit@10 {m['hit@10']:.3f}  MRR@10 {m['mrr@10']:.3f}"
        )


# ------------------------------------------------------------------------------------ latency


def _sentence_pool() -> tuple[list[str], list[str]]:
    sents, titles = [], []
    for d in wiki_vital_documents():
        titles.append(d.title or "")
        sents.extend(d.text[s:e] for s, e in sentence_spans(d.text) if 30 <= e - s <= 220)
    return sents, titles


def synthetic_documents(
    n_passages: int, seed: int, sents: list[str], titles: list[str]
) -> Iterator[SourceDocument]:
    """Documents of three 2-sentence paragraphs (one passage each) of recombined real sentences."""
    rng = random.Random(seed)
    for i in range(0, n_passages, 3):
        paras = ["  ".join(rng.sample(sents, 2)) for _ in range(min(3, n_passages - i))]
        yield SourceDocument(
            text="\n".join(paras), title=f"{rng.choice(titles)} ({seed}-{i})", key=f"{seed}-{i}"
        )


def _queries() -> list[str]:
    claims = [json.loads(line)["claim"] for line in CLIMATE_FEVER.open(encoding="utf-8")]
    if FEVER_SYM.exists():
        claims += [json.loads(line)["claim"] for line in FEVER_SYM.open(encoding="utf-8")]
    random.Random(7).shuffle(claims)
    return claims


def _time_queries(
    store: EvidenceStore,
    queries: list[str],
    modes: tuple[str, ...] = ("hybrid", "bm25", "dense"),
    n: int = 300,
) -> None:
    for mode in modes:
        r = Retriever(store, mode=mode)  # type: ignore[arg-type]
        for q in queries[:20]:
            r.search(q, k=10)
        times = []
        for q in queries[20 : 20 + n]:
            t = time.perf_counter()
            r.search(q, k=10)
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"  {mode:7s} p50 {np.percentile(times, 50):6.2f} ms  p95 {np.percentile(times, 95):6.2f} ms  "
            f"(n={len(times)}, k=10)"
        )
    emb = store.embedder
    t = time.perf_counter()
    for q in queries[:300]:
        emb.encode([q])
    print(f"  query encoding alone: {(time.perf_counter() - t) / 300 * 1000:.2f} ms/query")


def _hnsw_recall(store: EvidenceStore, queries: list[str], n: int = 100) -> None:
    index = store.vector_index()
    vecs = store.embedder.encode(queries[:n])
    t = time.perf_counter()
    approx = index.search(vecs, 10).keys
    t_approx = (time.perf_counter() - t) / n * 1000
    t = time.perf_counter()
    exact = index.search(vecs, 10, exact=True).keys
    t_exact = (time.perf_counter() - t) / n * 1000
    rec = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(approx, exact, strict=True)])
    print(f"  HNSW recall@10 vs exact: {rec:.3f} ({t_approx:.2f} ms vs {t_exact:.1f} ms per query, batched)")


def bench_latency(size: int, max_minutes: float, step: int = 100_000) -> None:
    sents, titles = _sentence_pool()
    queries = _queries()
    path = WORK / f"latency-{size}"
    shutil.rmtree(path, ignore_errors=True)
    deadline = time.perf_counter() + max_minutes * 60
    print(f"building {size:,} synthetic passages from {len(sents):,} wiki-vital sentences in {path}")
    with EvidenceStore(path, create=True) as store:
        built = 0
        total_s = total_cpu = 0.0
        while built < size and time.perf_counter() < deadline:
            n = min(step, size - built)
            cpu = time.process_time()
            st = store.add_documents(
                synthetic_documents(n, built, sents, titles), corpus="synthetic", batch_size=2048
            )
            cpu = time.process_time() - cpu
            built += st.passages
            total_s += st.seconds
            total_cpu += cpu
            print(
                f"  +{st.passages:,} passages ({st.duplicates} dup) in {st.seconds:.1f} s "
                f"= {st.rate:,.0f}/s ({st.passages / cpu:,.0f} per CPU-second); "
                f"store now {built:,}",
                flush=True,
            )
        print(
            f"build rate: {built / total_s:,.0f} passages/s overall ({built:,} passages, {total_s:.0f} s; "
            f"{built / total_cpu:,.0f} passages per CPU-second)"
        )
        size_mb = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6
        print(f"store on disk: {size_mb:,.0f} MB")
        print(f"search latency at {store.count()[1]:,} passages:")
        _time_queries(store, queries)
        _hnsw_recall(store, queries)


def bench_packs() -> None:
    path = WORK / "packs"
    shutil.rmtree(path, ignore_errors=True)
    t = time.perf_counter()
    with EvidenceStore(path, create=True) as store:
        for pack in ("wiki-vital", "factbook"):
            st = add_pack(store, pack)
            print(
                f"{pack}: {st.documents:,} documents, {st.passages:,} passages in {st.seconds:.1f} s "
                f"({st.rate:,.0f} passages/s)"
            )
        print(f"default packs built in {time.perf_counter() - t:.1f} s (including embedder load)")
        size_mb = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6
        print(f"store on disk: {size_mb:.1f} MB; search latency at {store.count()[1]:,} passages:")
        _time_queries(store, _queries())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["recall", "latency", "packs", "all"])
    ap.add_argument("--minilm", type=Path, help="MiniLM int8 ONNX embedder directory")
    ap.add_argument("--distractors", action="store_true")
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--max-minutes", type=float, default=40.0)
    args = ap.parse_args()
    if args.what in ("packs", "all"):
        bench_packs()
    if args.what in ("recall", "all"):
        if not CLIMATE_FEVER.exists():
            sys.exit(f"needs {CLIMATE_FEVER}")
        bench_recall(args.minilm, args.distractors)
    if args.what in ("latency", "all"):
        bench_latency(args.size, args.max_minutes)


if __name__ == "__main__":
    main()
