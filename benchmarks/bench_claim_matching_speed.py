"""Claim matching speed; prints numbers (no asserts).

    python benchmarks/bench_claim_matching_speed.py latency [--size 10000]
    python benchmarks/bench_claim_matching_speed.py import  [--size 100000]
    python benchmarks/bench_claim_matching_speed.py million [--size 1000000]
    python benchmarks/bench_claim_matching_speed.py seed

* ``latency``: a library of ``--size`` fact-checks (the shipped Snopes entries, topped up with
  synthetic ones recombined from them); the check-worthy claims of 40 news articles (BBC business and
  Horne 2017) matched warm with :meth:`Matcher.match` (claim + source sentence): p50 / p95 over all
  claims, and p50 / p95 over the claims that reached the reranker, with their share.
* ``import``: a synthetic JSONL feed of ``--size`` entries imported into a fresh library (entries/s).
* ``million``: the same at 1M entries (built in 100k imports), then the first stage
  (:meth:`Matcher.candidates`: two hybrid searches and the entry look-up) timed on real claims:
  the evidence store's budget is p95 ≤ 10 ms at 1M.
* ``seed``: the seed article's warm audit with and without the factchecks stage (median of 5).

Libraries are built under runs/bench-claim-matching/ (git-ignored).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factaudit.config import Settings  # noqa: E402
from factaudit.document import Article  # noqa: E402
from factaudit.factchecks.default import SHIPPED_FILE, seed_default  # noqa: E402
from factaudit.factchecks.library import FactCheckLibrary  # noqa: E402
from factaudit.factchecks.match import Matcher  # noqa: E402
from factaudit.factchecks.readers import FactCheck, RawEntry  # noqa: E402
from factaudit.pipeline import Auditor  # noqa: E402

WORK = ROOT / "runs" / "bench-claim-matching"
DATA = ROOT.parent / "shared" / "data" / "articles"
SEED = ROOT / "examples" / "seed_article.txt"


def shipped_rows() -> list[dict[str, str]]:
    with gzip.open(SHIPPED_FILE, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def synthetic(n: int, seed: int = 13, start: int = 0) -> Iterator[RawEntry]:
    """Claims recombined from halves of the shipped ones, each with its own URL."""
    rows = shipped_rows()
    rng = random.Random(seed + start)
    words = [r["claim"].split() for r in rows]
    for i in range(start, start + n):
        a, b = rng.choice(words), rng.choice(words)
        text = " ".join(a[: max(3, len(a) // 2)] + b[len(b) // 2 :])
        r = rng.choice(rows)
        yield RawEntry(FactCheck(claim_reviewed=text, rating=r["rating"], url=f"https://synthetic.example/{i}",
                                 publisher="Synthetic", date=r["date"], language="en"))


def news_claims(n_articles: int = 40) -> list[tuple[str, str | None]]:
    """(claim, source sentence) of the check-worthy claims of BBC business and Horne articles."""
    auditor = Auditor(Settings(verify=False, factchecks=False))
    paths = sorted((DATA / "bbc" / "business").glob("*.txt"))[: n_articles // 2]
    horne = DATA / "horne2017" / "data" / "Buzzfeed Political News Dataset"
    paths += sorted((horne / "Fake").glob("*.txt"))[: n_articles // 4]
    paths += sorted((horne / "Real").glob("*.txt"))[: n_articles // 4]
    out: list[tuple[str, str | None]] = []
    for p in paths:
        a = auditor.run(Article(source=str(p), raw=p.read_bytes()))
        sentences = {s.id: s.text for s in a.sentences}
        out += [(c.plain_text, sentences.get(c.sentence_id or "")) for c in a.claims if c.check_worthy]
    return out


def build(path: Path, size: int) -> FactCheckLibrary:
    shutil.rmtree(path, ignore_errors=True)
    lib = FactCheckLibrary(path, create=True)
    seed_default(lib)
    done = len(lib)
    while done < size:
        step = min(100_000, size - done)
        t0 = time.perf_counter()
        lib.import_entries(synthetic(step, start=done), source="synthetic", detect_language=False)
        done += step
        print(f"  built {done:,} ({step / (time.perf_counter() - t0):,.0f}/s)", flush=True)
    return lib


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def latency(size: int) -> None:
    lib = build(WORK / f"lib-{size}", size)
    lib.close()
    lib = FactCheckLibrary(WORK / f"lib-{size}", read_only=True)
    claims = news_claims()
    matcher = Matcher(lib)
    for c, s in claims[:5]:
        matcher.match(c, s, language="en")
    times, reranked = [], []
    for c, s in claims:
        t0 = time.perf_counter()
        got = matcher.match(c, s, language="en")
        ms = (time.perf_counter() - t0) * 1000
        times.append(ms)
        if got:
            reranked.append(ms)
    print(f"library {len(lib):,}: {len(times)} claims, p50 {pct(times, 50):.1f} ms, "
          f"p95 {pct(times, 95):.1f} ms "
          f"(target p95 <= 20 ms); {len(reranked)} ({len(reranked) / len(times):.1%}) reached the reranker: "
          f"p50 {pct(reranked, 50):.1f} ms, p95 {pct(reranked, 95):.1f} ms")


def import_rate(size: int) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    feed = WORK / f"feed-{size}.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for raw in synthetic(size):
            e = raw.entry
            assert e is not None
            fh.write(json.dumps({"claim": e.claim_reviewed, "rating": e.rating, "url": e.url, "date": e.date,
                                 "publisher": e.publisher}) + "\n")
    path = WORK / "import-lib"
    shutil.rmtree(path, ignore_errors=True)
    with FactCheckLibrary(path, create=True) as lib:
        t0 = time.perf_counter()
        stats = lib.import_files([feed], source="synthetic")
        secs = time.perf_counter() - t0
    print(f"import of {size:,} JSONL fact-checks (language detection on): {stats.imported:,} in "
          f"{secs:.1f} s = "
          f"{stats.imported / secs:,.0f}/s (target >= 2,000/s)")


def million(size: int) -> None:
    t0 = time.perf_counter()
    lib = build(WORK / "lib-1m", size)
    print(f"built {len(lib):,} in {time.perf_counter() - t0:.0f} s")
    lib.close()
    lib = FactCheckLibrary(WORK / "lib-1m", read_only=True)
    matcher = Matcher(lib)
    claims = news_claims()
    for c, s in claims[:5]:
        matcher.candidates([c, s] if s else [c], language="en")
    times = []
    for c, s in claims:
        t1 = time.perf_counter()
        matcher.candidates([c, s] if s else [c], language="en")
        times.append((time.perf_counter() - t1) * 1000)
    print(f"1M library first stage (2 hybrid searches + look-up), {len(times)} claims: "
          f"p50 {pct(times, 50):.1f} ms, "
          f"p95 {pct(times, 95):.1f} ms (store budget p95 <= 10 ms per search)")


def seed() -> None:
    raw = SEED.read_bytes()
    out = {}
    for on in (False, True):
        auditor = Auditor(Settings(factchecks=on))
        auditor.run(Article(source="seed", raw=raw))
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            a = auditor.run(Article(source="seed", raw=raw))
            runs.append(time.perf_counter() - t0)
        out[on] = statistics.median(runs)
        print(f"seed warm audit, factchecks {'on ' if on else 'off'}: median {out[on]:.3f} s "
              f"(factchecks stage {a.timings.get('factchecks', 0) * 1000:.0f} ms)", flush=True)
    print(f"growth {out[True] / out[False] - 1:+.1%} (target <= +10%)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("latency", "import", "million", "seed"))
    ap.add_argument("--size", type=int, default=None)
    args = ap.parse_args()
    if args.what == "latency":
        latency(args.size or 10_000)
    elif args.what == "import":
        import_rate(args.size or 100_000)
    elif args.what == "million":
        million(args.size or 1_000_000)
    else:
        seed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
