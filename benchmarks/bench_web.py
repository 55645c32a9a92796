"""Web app benchmark: audit-page render time, concurrent API audits, and schemathesis.

Usage: python benchmarks/bench_web.py [--workers N] [--concurrent 20] [--schemathesis-seconds 120]
                                      [--skip-schemathesis] [--no-browser] [--json]

Starts a real ``factaudit serve`` on a free localhost port (temporary SQLite store, rate limiting
off, one worker process per core) and measures:

* the seed's audit page: server time to render ``GET /audits/{id}`` right after the audit finished
  (first request and the median of 5), and, when Debian's Chromium and Playwright are present, the
  time until the page's ``load`` event in headless Chromium; the target is <= 1 s;
* N concurrent ``POST /api/audits`` of the seed (default 20): errors, p50 / p95 / max latency, wall time;
* schemathesis against ``/api/openapi.json`` (all checks except ``positive_data_acceptance``: whether an
  article can be audited is not something a JSON schema can say): no 5xx, no schema violations.

The pipeline is the most real one whose model files exist (``tests.web.test_api.auditor_factory_for_tests``;
``FACTAUDIT_WEB_TEST_AUDITOR=default|models|stand-in`` overrides). Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8")
CHROMIUM = Path("/usr/bin/chromium")
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def start_server(tmp: Path, workers: int, factory: str) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    env = dict(os.environ, FACTAUDIT_AUDITOR_FACTORY=factory)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    log_path = tmp / "server.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factaudit",
            "serve",
            "--port",
            str(port),
            "--store",
            str(tmp / "audits.sqlite3"),
            "--workers",
            str(workers),
            "--rate-limit",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 600
    while True:
        try:
            health = httpx.get(base + "/api/health", timeout=2).json()
            if health["workers_ready"] >= workers:
                return proc, base, log_path
        except (httpx.HTTPError, ValueError):
            pass
        if proc.poll() is not None or time.time() > deadline:
            raise SystemExit("server did not start:\n" + log_path.read_text()[-3000:])
        time.sleep(0.5)


def bench_page(base: str, browser: bool) -> dict[str, Any]:
    r = httpx.post(base + "/api/audits", json={"text": SEED, "name": "seed_article.txt"}, timeout=600)
    r.raise_for_status()
    audit = r.json()
    url = base + audit["links"]["page"]
    times = []
    for _ in range(6):
        t0 = time.perf_counter()
        page = httpx.get(url, timeout=60)
        page.raise_for_status()
        times.append(time.perf_counter() - t0)
    out: dict[str, Any] = {
        "audit_s": audit["report"]["run"]["duration_s"],
        "page_bytes": len(page.content),
        "page_first_s": times[0],
        "page_median_s": statistics.median(times[1:]),
        "page_max_s": max(times),
        "claims": audit["claims"],
    }
    if browser and CHROMIUM.exists():
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            return out
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            tab = b.new_page()
            loads = []
            for _ in range(3):
                t0 = time.perf_counter()
                tab.goto(url, wait_until="load")
                loads.append(time.perf_counter() - t0)
            out["browser_load_first_s"], out["browser_load_median_s"] = loads[0], statistics.median(loads)
            b.close()
    return out


def bench_concurrent(base: str, n: int) -> dict[str, Any]:
    def one(_: int) -> tuple[int, float]:
        t0 = time.perf_counter()
        try:
            r = httpx.post(base + "/api/audits", json={"text": SEED}, timeout=900)
            return r.status_code, time.perf_counter() - t0
        except httpx.HTTPError:
            return 0, time.perf_counter() - t0

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(one, range(n)))
    wall = time.perf_counter() - t0
    lat = [s for _, s in results]
    errors = sum(1 for code, _ in results if code != 201)
    return {
        "n": n,
        "errors": errors,
        "codes": sorted({c for c, _ in results}),
        "wall_s": wall,
        "p50_s": percentile(lat, 0.5),
        "p95_s": percentile(lat, 0.95),
        "max_s": max(lat),
        "audits_per_s": n / wall,
    }


def run_schemathesis(base: str, seconds: int, tmp: Path) -> dict[str, Any]:
    exe = Path(sys.executable).with_name("schemathesis")
    cmd = [
        str(exe) if exe.exists() else "schemathesis",
        "run",
        base + "/api/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",
        "--max-time",
        str(seconds),
        "--workers",
        "1",
        "--suppress-health-check",
        "too_slow",
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=seconds + 300)
    tail = [line for line in proc.stdout.splitlines() if line.strip()][-12:]
    summary = next((line.strip() for line in reversed(tail) if "generated" in line), "")
    return {
        "returncode": proc.returncode,
        "seconds": time.perf_counter() - t0,
        "summary": summary,
        "tail": tail,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--concurrent", type=int, default=20)
    ap.add_argument("--schemathesis-seconds", type=int, default=120)
    ap.add_argument("--skip-schemathesis", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from tests.web.test_api import auditor_factory_for_tests

    factory = auditor_factory_for_tests()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        t0 = time.perf_counter()
        proc, base, log_path = start_server(tmp, args.workers, factory)
        print(
            f"server ready in {time.perf_counter() - t0:.1f} s ({args.workers} workers, auditor {factory}, "
            f"{os.cpu_count()} cores)"
        )
        results: dict[str, Any] = {"workers": args.workers, "auditor": factory}
        try:
            page = bench_page(base, not args.no_browser)
            results["page"] = page
            print(f"seed audit: {page['claims']} claims, pipeline {page['audit_s']:.2f} s")
            print(
                f"audit page render (server, {page['page_bytes']:,} bytes): "
                f"first {page['page_first_s']:.3f} s, "
                f"median {page['page_median_s']:.3f} s, max {page['page_max_s']:.3f} s "
                f"[target <= 1 s: {'OK' if page['page_max_s'] <= 1 else 'MISSED'}]"
            )
            if "browser_load_first_s" in page:
                print(
                    f"audit page in Chromium until load: first {page['browser_load_first_s']:.3f} s, "
                    f"median {page['browser_load_median_s']:.3f} s"
                )
            conc = bench_concurrent(base, args.concurrent) if args.concurrent > 0 else None
            results["concurrent"] = conc
            if conc:
                print(
                    f"{conc['n']} concurrent POST /api/audits (seed): "
                    f"{conc['errors']} errors (codes {conc['codes']}), "
                    f"p50 {conc['p50_s']:.2f} s, p95 {conc['p95_s']:.2f} s, max {conc['max_s']:.2f} s, "
                    f"wall {conc['wall_s']:.2f} s ({conc['audits_per_s']:.2f} audits/s)"
                )
            if not args.skip_schemathesis:
                st = run_schemathesis(base, args.schemathesis_seconds, tmp)
                results["schemathesis"] = st
                print(f"schemathesis ({st['seconds']:.0f} s): exit {st['returncode']}; {st['summary']}")
                if st["returncode"] != 0:
                    print("\n".join(st["tail"]))
            server_errors = sum(
                1
                for line in log_path.read_text(errors="replace").splitlines()
                if '" 5' in line and "HTTP/1.1" in line
            )
            results["server_5xx"] = server_errors
            print(f"5xx responses in the server log: {server_errors}")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    if args.json:
        results.get("schemathesis", {}).pop("tail", None)
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
