"""PostgreSQL under load: N concurrent API audits and reviews against a real ``factaudit serve
--database postgresql://...``, then every row counted in the database.

Usage: python benchmarks/bench_pg_concurrency.py [--clients 20] [--workers N] [--factory module:callable]
                                                  [--sqlite] [--json]

Starts a throwaway PostgreSQL (tests/postgres.py: Debian's server binaries on a free loopback port)
and ``factaudit serve`` on it (rate limiting off). Each of the N clients, released together:
audits its own article (``POST /api/audits``; BBC News articles from ../shared when present, else
short generated ones), approves a claim of it, reviews one shared claim (no version: every review
must be kept), and reviews a second shared claim with the version all clients saw
(``base_version``: exactly one may win, the rest get 409). Then it counts, straight from the
database: audits (N + 1, all distinct), reviews per claim, and audits stored twice. Prints one line
per measurement; ``--sqlite`` runs the same against the SQLite default for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_web import SEED, free_port, percentile  # noqa: E402
from tests.postgres import TempPostgres, unavailable_reason  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "articles" / "bbc"


def articles(n: int) -> list[str]:
    files = sorted(BBC.rglob("*.txt"))[:n] if BBC.is_dir() else []
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    while len(texts) < n:
        i = len(texts)
        texts.append(
            f"Budget story {i}\n\nThe council of town number {i} said on Monday that it had approved a "
            f"budget of {i + 2} million pounds. Critics say the plan could raise taxes."
        )
    return texts


def start_server(database: str, workers: int, factory: str, log: Path) -> tuple[Any, str]:
    import subprocess

    port = free_port()
    env = dict(os.environ, FACTAUDIT_AUDITOR_FACTORY=factory)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    proc = subprocess.Popen(
        [sys.executable, "-m", "factaudit", "serve", "--port", str(port), "--database", database,
         "--workers", str(workers), "--rate-limit", "0"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 600
    while True:
        try:
            if httpx.get(base + "/api/health", timeout=2).json()["workers_ready"] >= workers:
                return proc, base
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        if proc.poll() is not None or time.time() > deadline:
            raise SystemExit("server did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.5)


def run(database: str, clients: int, workers: int, factory: str, tmp: Path) -> dict[str, Any]:
    proc, base = start_server(database, workers, factory, tmp / "server.log")
    try:
        with httpx.Client(base_url=base, timeout=900) as c:
            shared = c.post("/api/audits", json={"text": SEED, "name": "seed.txt"}).json()
            claims = [x["id"] for x in shared["report"]["article"]["claims"]]
            first = c.put(f"/api/audits/{shared['id']}/claims/{claims[1]}/review", json={"reviewer": "first"})
            version = first.json()["version"]
        texts = articles(clients)
        barrier = threading.Barrier(clients)

        def client(i: int) -> dict[str, Any]:
            with httpx.Client(base_url=base, timeout=900) as c:
                barrier.wait()
                t0 = time.perf_counter()
                r = c.post("/api/audits", json={"text": texts[i], "name": f"article{i}.txt"})
                audit_s = time.perf_counter() - t0
                out: dict[str, Any] = {"audit": r.status_code, "audit_s": audit_s}
                if r.status_code != 201:
                    out["error"] = r.text[:300]
                    return out
                body = r.json()
                out["id"] = body["id"]
                own = body["report"]["article"]["claims"]
                t1 = time.perf_counter()
                if own:
                    out["own"] = c.put(
                        f"/api/audits/{body['id']}/claims/{own[0]['id']}/review",
                        json={"reviewer": f"r{i}", "label": "SUPPORTED", "approved": True},
                    ).status_code
                out["same"] = c.put(
                    f"/api/audits/{shared['id']}/claims/{claims[0]}/review", json={"reviewer": f"r{i}"}
                ).status_code
                out["guarded"] = c.put(
                    f"/api/audits/{shared['id']}/claims/{claims[1]}/review",
                    json={"reviewer": f"r{i}", "label": "REFUTED", "base_version": version},
                ).status_code
                out["review_s"] = (time.perf_counter() - t1) / 3
                return out

        t0 = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(client, range(clients)))
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return count(database, shared["id"], claims, results, wall)


def count(
    database: str, shared: str, claims: list[str], results: list[dict[str, Any]], wall: float
) -> dict[str, Any]:
    from sqlalchemy import text

    from factaudit.web.storage import open_store

    store = open_store(database)
    try:
        with store.engine.connect() as conn:
            audits = conn.execute(text("SELECT COUNT(*), COUNT(DISTINCT id) FROM audits")).one()
            twice = conn.execute(
                text("SELECT COUNT(*) FROM (SELECT source FROM audits GROUP BY source HAVING COUNT(*) > 1) d")
            ).scalar()
            per_claim = dict(
                conn.execute(
                    text("SELECT claim_id, COUNT(*) FROM reviews WHERE audit_id = :a GROUP BY claim_id"),
                    {"a": shared},
                ).all()
            )
            own_reviews = conn.execute(
                text("SELECT COUNT(*) FROM reviews WHERE audit_id <> :a"), {"a": shared}
            ).scalar()
    finally:
        store.close()
    ok = [r for r in results if r["audit"] == 201]
    n = len(results)
    guarded = Counter(r.get("guarded") for r in ok)
    audit_times = [r["audit_s"] for r in ok]
    return {
        "clients": n,
        "audit_errors": n - len(ok),
        "errors": [r.get("error") for r in results if r["audit"] != 201][:3],
        "audits_in_db": audits[0],
        "distinct_audits_in_db": audits[1],
        "expected_audits": n + 1,
        "sources_stored_twice": twice,
        "shared_claim_reviews": per_claim.get(claims[0], 0),
        "expected_shared_claim_reviews": n,
        "guarded_claim_reviews": per_claim.get(claims[1], 0),
        "guarded_200": guarded.get(200, 0),
        "guarded_409": guarded.get(409, 0),
        "own_claim_reviews": own_reviews,
        "own_review_200": sum(1 for r in ok if r.get("own") == 200),
        "lost_rows": (n + 1 - audits[0]) + (n - per_claim.get(claims[0], 0)),
        "duplicated_rows": (audits[0] - audits[1]) + int(twice or 0),
        "audit_p50_s": round(statistics.median(audit_times), 2) if audit_times else None,
        "audit_p95_s": round(percentile(audit_times, 0.95), 2) if audit_times else None,
        "review_mean_s": round(statistics.mean(r["review_s"] for r in ok), 3) if ok else None,
        "wall_s": round(wall, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--factory", default="factaudit.pipeline:Auditor", help="module:callable (the Auditor)")
    ap.add_argument("--sqlite", action="store_true", help="the SQLite default instead of PostgreSQL")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp:
        if args.sqlite:
            out = run(f"sqlite:///{tmp}/audits.sqlite3", args.clients, args.workers, args.factory, Path(tmp))
            out["backend"] = "sqlite"
        else:
            reason = unavailable_reason()
            if reason:
                raise SystemExit(f"no PostgreSQL here: {reason}")
            with TempPostgres() as pg:
                out = run(pg.new_database(), args.clients, args.workers, args.factory, Path(tmp))
            out["backend"] = "postgresql"
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for k, v in out.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
