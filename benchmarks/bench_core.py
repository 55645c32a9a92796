"""Speed and memory of the audit: the seed cold and warm, and BBC News throughput on 2 workers.

Usage: python benchmarks/bench_core.py [--data-dir ../shared/data] [--limit N] [--jobs 2]
Prints one line per measurement (and a JSON summary with --json). Needs ../shared for BBC.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from factaudit.batch import BatchItem, ItemResult, map_batches
from factaudit.config import Settings
from factaudit.pipeline import Auditor, default_stages

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed_article.txt"
CORE = ("ingest", "segment", "attribution", "sources", "findings")


class _Run:
    """Picklable worker: audits one BBC file with the chosen stage subset (auditor kept per process)."""

    auditors: ClassVar[dict[str, Auditor]] = {}

    def __init__(self, which: str) -> None:
        self.which = which

    def auditor(self) -> Auditor:
        if self.which not in self.auditors:
            self.auditors[self.which] = make_auditor(self.which)
            self.auditors[self.which].warm_up()
        return self.auditors[self.which]

    def __call__(self, item: BatchItem) -> ItemResult:
        t0 = time.perf_counter()
        a = self.auditor().audit(str(item.location))
        return ItemResult(
            id=item.id,
            status="ok",
            seconds=time.perf_counter() - t0,
            counts={"assertions": len(a.assertions), "claims": len(a.claims)},
        )


def make_auditor(which: str) -> Auditor:
    stages = default_stages(Settings())
    if which == "core":
        stages = [s for s in stages if s.name in CORE]
    elif which == "claims":
        stages = [s for s in stages if s.name != "verify"]
    return Auditor(stages=stages)


def cold_seed(runs: int = 3) -> float:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "factaudit",
                    "audit",
                    str(SEED),
                    "-f",
                    "json",
                    "-o",
                    f"{tmp}/r.json",
                    "-q",
                ],
                check=True,
                cwd=ROOT,
            )
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def warm_seed(which: str, runs: int = 10) -> float:
    aud = make_auditor(which)
    aud.report(SEED)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        aud.report(SEED)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bbc(which: str, data_dir: Path, limit: int, jobs: int) -> tuple[float, int]:
    files = sorted((data_dir / "articles" / "bbc").rglob("*.txt"))
    files = [f for f in files if f.name != "README.TXT"][:limit]
    items = [BatchItem(id=str(f), location=str(f)) for f in files]
    run = _Run(which)
    run.auditor()  # warm in the parent; forked workers inherit it
    t0 = time.perf_counter()
    n = sum(1 for r in map_batches(run, items, jobs=jobs) if r.status == "ok")
    return len(items) / (time.perf_counter() - t0), n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=600)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out: dict[str, float] = {}
    out["seed_cold_s"] = cold_seed()
    print(f"seed, process start to JSON report (cold): {out['seed_cold_s']:.2f} s")
    for which in ("core", "claims", "full"):
        out[f"seed_warm_{which}_s"] = warm_seed(which)
        print(f"seed warm, {which} stages: {out[f'seed_warm_{which}_s'] * 1000:.0f} ms")
    if (args.data_dir / "articles" / "bbc").is_dir():
        for which in ("core", "claims", "full"):
            rate, n = bbc(which, args.data_dir, args.limit, args.jobs)
            out[f"bbc_{which}_articles_per_s"] = rate
            print(f"BBC News, {which} stages, {args.jobs} workers: {rate:.1f} articles/s ({n} articles)")
    else:
        print(f"(no BBC data at {args.data_dir}; skipped throughput)")
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["max_rss_mb"] = max(rss_self, rss_kids)
    print(f"peak RSS: {rss_self:.0f} MB (this process), {rss_kids:.0f} MB (largest child)")
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
