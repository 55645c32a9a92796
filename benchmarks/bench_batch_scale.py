"""Per-article cost of a batch run on one worker, and what it means for a large corpus on N workers.

Usage: python benchmarks/bench_batch_scale.py [--limit 100] [--engine local|ray|both]
                                              [--sink folder|sqlite|postgresql] [--no-verify] [--json]

Audits ``--limit`` BBC News articles (../shared/data/articles/bbc, spread over its sections) with
``run_batch`` on ONE worker pinned to ONE core (``sched_setaffinity``; Ray's processes inherit it),
writing to a JSON folder or a database
(``--sink postgresql`` starts a throwaway server: tests/postgres.py), and prints:

* the worker's start-up: models loaded once (local: in this process; Ray: ray.init plus the actor's
  warm-up, measured to the first result minus that article's own time);
* steady-state articles/s per worker and seconds per article (mean, p50, p95 of the item times);
* the sink's cost per article (the same reports stored again into a fresh batch of the database);
* the arithmetic for 100,000 articles on N workers: start-up + 100,000 / (N x rate), assuming
  workers scale linearly (one article per worker at a time, no shared state but the database;
  on one 2-core machine 2 workers measured ~1.9x in DESIGN.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factaudit.batch import BatchItem, ItemResult, _auditor, run_batch  # noqa: E402
from factaudit.config import Settings  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "articles" / "bbc"
CORPUS = 100_000


def items(limit: int) -> list[BatchItem]:
    files = sorted(BBC.rglob("*.txt"))
    if not files:
        raise SystemExit(f"no BBC articles under {BBC}")
    # Spread over the five sections (sorted order would be business only).
    step = max(1, len(files) // limit)
    return [BatchItem(id=str(f), location=str(f)) for f in files[::step][:limit]]


def open_sink(kind: str, tmp: Path) -> tuple[Any, Any]:
    """(store or None, a context to close) for the sink kind."""
    from factaudit.web.storage import open_store

    if kind == "folder":
        return None, None
    if kind == "sqlite":
        return open_store(tmp / "audits.sqlite3"), None
    from tests.postgres import TempPostgres, unavailable_reason

    reason = unavailable_reason()
    if reason:
        raise SystemExit(f"no PostgreSQL here: {reason}")
    pg = TempPostgres().start()
    return open_store(pg.new_database()), pg


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(engine: str, sink: str, todo: list[BatchItem], settings: Settings, tmp: Path) -> dict[str, Any]:
    store, server = open_sink(sink, tmp)
    results: list[tuple[float, ItemResult]] = []
    t_start = time.perf_counter()
    warm_s = 0.0
    if engine == "local":
        _auditor(settings)  # the one worker (this process) loads its models once
        warm_s = time.perf_counter() - t_start
    try:
        t0 = time.perf_counter()
        summary = run_batch(
            todo,
            None if store is not None else tmp / f"out-{engine}",
            fmt="json",
            jobs=1,
            engine=engine,
            settings=settings,
            store=store,
            batch=f"bench-{engine}",
            on_result=lambda r: results.append((time.perf_counter(), r)),
        )
        total = time.perf_counter() - t0
        if engine == "ray":
            import ray

            first_at, first = results[0]
            warm_s = first_at - t0 - first.seconds
            ray.shutdown()
        item_s = [r.seconds for _, r in results if r.status == "ok"]
        # Steady state: from the first result to the last, over the articles after the first.
        steady = (results[-1][0] - results[0][0]) / max(1, len(results) - 1)
        out: dict[str, Any] = {
            "engine": engine,
            "sink": sink,
            "articles": len(todo),
            "audited": summary.done,
            "errors": summary.errors,
            "worker_start_s": round(warm_s, 2),
            "wall_s": round(total, 1),
            "articles_per_s_per_worker": round(1 / steady, 3) if steady > 0 else None,
            "s_per_article_mean": round(statistics.mean(item_s), 3),
            "s_per_article_p50": round(pct(item_s, 0.5), 3),
            "s_per_article_p95": round(pct(item_s, 0.95), 3),
        }
        if store is not None:
            out["sink_s_per_article"] = round(store_cost(store, engine), 4)
    finally:
        if store is not None:
            store.close()
        if server is not None:
            server.stop()
    rate = out["articles_per_s_per_worker"] or 0
    sink_cost = out.get("sink_s_per_article", 0.0)
    out["corpus_100k_hours"] = {
        str(n): round((warm_s + CORPUS / (n * rate)) / 3600, 2) if rate else None for n in (1, 2, 8, 32, 128)
    }
    # The database is shared by all workers: its write rate caps the cluster.
    if sink_cost:
        out["sink_max_articles_per_s"] = round(1 / sink_cost, 1)
    return out


def store_cost(store: Any, engine: str) -> float:
    """Seconds per article to store the run's reports again (a fresh batch: audit row + item row)."""
    from factaudit.web.storage import BatchItemRecord, now_iso, record_from_report

    reports = [(r.article.source, r.to_dict()) for r in store.iter_reports(batch=f"bench-{engine}")]
    t0 = time.perf_counter()
    for source, data in reports:
        record = record_from_report(data, source=source, input_kind="file")
        store.add_batch_result(BatchItemRecord(f"again-{engine}", source, "ok", now_iso()), record)
    return (time.perf_counter() - t0) / max(1, len(reports))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--engine", choices=["local", "ray", "both"], default="local")
    ap.add_argument("--sink", choices=["folder", "sqlite", "postgresql"], default="postgresql")
    ap.add_argument("--no-verify", action="store_true", help="structure, claims and relations only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):  # one worker = one core, whatever threads it starts
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    settings = Settings(verify=not args.no_verify)
    todo = items(args.limit)
    engines = ["local", "ray"] if args.engine == "both" else [args.engine]
    outs = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for engine in engines:
            outs.append(run(engine, args.sink, todo, settings, Path(tmp)))
    if args.json:
        print(json.dumps(outs, indent=2))
        return
    for out in outs:
        for k, v in out.items():
            print(f"{out['engine']}: {k}: {v}")


if __name__ == "__main__":
    main()
