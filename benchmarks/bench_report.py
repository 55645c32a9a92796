"""Report benchmark: how long the seed's reports take to render after the audit, how long they are,
and (with Debian's Chromium and Playwright) how tall the pages are.

Usage: python benchmarks/bench_report.py [--article PATH] [--repeat 5] [--skip-stage NAME ...]
                                         [--no-browser] [--json]

Audits the article once with the default Auditor (``--skip-stage`` leaves stages out, e.g. one whose
model files are absent), then measures, single-threaded:

* render time (first call, and the median of ``--repeat``) of the web audit page
  (``web.views.render_audit_page``, what ``GET /audits/{id}`` does after loading the record), the
  static HTML report, Markdown, and the terminal view (short and ``--full``); target: the page
  <= 1 s after the audit;
* the terminal view's line count at 80, 100 and 120 columns (target: <= 150), short and full;
* the same renders for a synthetic article with 500 claims (bad-input scale);
* with Chromium: the web page's and the static report's height in CSS pixels at 1366x900 with every
  review form closed (target: <= 6,000 px) and the time to the ``load`` event from a file.

Prints one line per measurement (``--json``: one JSON object).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = Path("/usr/bin/chromium")


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return {"first_s": round(first, 4), "median_s": round(statistics.median(runs), 4)}


def renders(report: Any, repeat: int) -> dict[str, Any]:
    from factaudit.report import render
    from factaudit.report.terminal import to_text
    from factaudit.web.views import render_audit_page

    return {
        "web_page": timed(lambda: render_audit_page(report, audit_id="0" * 16), repeat),
        "static_html": timed(lambda: render(report, "html"), repeat),
        "markdown": timed(lambda: render(report, "md"), repeat),
        "terminal": timed(lambda: to_text(report), repeat),
        "terminal_full": timed(lambda: to_text(report, full=True), repeat),
        "web_page_bytes": len(render_audit_page(report, audit_id="0" * 16)[0].encode()),
    }


def browser(report: Any) -> dict[str, Any] | None:
    if not CHROMIUM.exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    from factaudit.report import render
    from factaudit.web.views import render_audit_page

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        pages = {
            "web_page": render_audit_page(report, audit_id="0" * 16)[0],
            "static_html": render(report, "html"),
        }
        b = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, html in pages.items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            page = b.new_page(viewport={"width": 1366, "height": 900})
            t0 = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            load = time.perf_counter() - t0
            out[name] = {
                "height_px": page.evaluate("document.documentElement.scrollHeight"),
                "open_review_forms": page.locator("details.review[open]").count(),
                "load_s": round(load, 3),
            }
            page.close()
        b.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("--article", default=str(ROOT / "examples" / "seed_article.txt"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-stage", action="append", default=[], help="leave this stage out of the audit")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from tests.report.builders import article_with_claims, report_of

    from factaudit.config import Settings
    from factaudit.pipeline import Auditor, default_stages
    from factaudit.report.terminal import to_text

    stages = [s for s in default_stages(Settings()) if s.name not in set(args.skip_stage)]
    auditor = Auditor(stages=stages)
    t0 = time.perf_counter()
    report = auditor.report(args.article)
    result: dict[str, Any] = {
        "article": args.article,
        "stages": [s.name for s in stages],
        "audit_s": round(time.perf_counter() - t0, 2),
        "claims": len(report.article.claims),
        "renders": renders(report, args.repeat),
        "terminal_lines": {
            str(w): {
                "short": len(to_text(report, width=w).splitlines()),
                "full": len(to_text(report, width=w, full=True).splitlines()),
            }
            for w in (80, 100, 120)
        },
    }
    big = report_of(article_with_claims(500))
    result["claims_500"] = renders(big, max(1, args.repeat // 2))
    result["claims_500"]["terminal_lines_100"] = len(to_text(big).splitlines())
    if not args.no_browser:
        result["browser"] = browser(report)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"audit of {Path(args.article).name}: {result['audit_s']} s, {result['claims']} claims")
    for name, r in result["renders"].items():
        if isinstance(r, dict):
            print(f"render {name}: first {r['first_s'] * 1000:.0f} ms, median {r['median_s'] * 1000:.0f} ms")
    print(f"web page size: {result['renders']['web_page_bytes'] / 1024:.0f} KiB")
    for w, n in result["terminal_lines"].items():
        print(f"terminal at {w} columns: {n['short']} lines (short), {n['full']} (--full); target <= 150")
    for name, r in result["claims_500"].items():
        if isinstance(r, dict):
            print(f"500 claims, render {name}: median {r['median_s'] * 1000:.0f} ms")
    print(f"500 claims, terminal short view: {result['claims_500']['terminal_lines_100']} lines")
    for name, r in (result.get("browser") or {}).items():
        print(
            f"chromium {name}: {r['height_px']} px tall ({r['open_review_forms']} review forms open), "
            f"load {r['load_s']} s; target <= 6000 px"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
