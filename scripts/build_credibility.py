"""Build the shipped domain-credibility table from ../shared/data/credibility.

Sources (see src/factaudit/resources/CREDIBILITY_NOTICE.md for licences and citations):
- Lin et al. 2023 (PNAS Nexus) aggregate quality score pc1 for 11,520 news domains;
- Wikipedia's perennial sources list (2021 snapshot, CC BY-SA): status per source and its domains;
- OpenSources domain tags (LGPL-3.0): fake, satire, bias, conspiracy, ...

Usage: python scripts/build_credibility.py [--data ../shared/data/credibility]
Writes src/factaudit/resources/credibility.json.gz (domain -> compact record) plus outlet names.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "factaudit" / "resources" / "credibility.json.gz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "credibility")
    args = ap.parse_args()
    d: Path = args.data
    if not d.is_dir():
        raise SystemExit(f"credibility data not found at {d}")
    domains: dict[str, dict[str, object]] = {}
    with open(d / "domain_pc1.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            domains.setdefault(row["domain"].lower(), {})["pc1"] = round(float(row["pc1"]), 4)
    names: dict[str, str] = {}
    with open(d / "wikipedia_perennial_sources.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            statuses = [s for s in json.loads(row["status"]) if not s.startswith("Wikipedia:")]
            for url in json.loads(row["urls"] or "[]"):
                dom = url.lower().removeprefix("www.").strip("/")
                if not dom or "/" in dom:
                    continue
                rec = domains.setdefault(dom, {})
                rec["wp"] = statuses[0] if statuses else None
                rec["wp_name"] = row["name"]
                names.setdefault(row["name"].lower(), dom)
    with open(d / "opensources_sources.json", encoding="utf-8") as f:
        for dom, tags in json.load(f).items():
            t = [str(tags.get(k, "")).strip().lower() for k in ("type", "2nd type", "3rd type")]
            t = [x for x in t if x]
            if t:
                domains.setdefault(dom.lower().removeprefix("www.").strip("/"), {})["os"] = t
    payload = {
        "version": "2026.11",
        "sources": {
            "pc1": "Lin et al. 2023, PNAS Nexus 2(9) pgad286, doi:10.1093/pnasnexus/pgad286",
            "wp": "Wikipedia:Reliable sources/Perennial sources (2021 snapshot), CC BY-SA",
            "os": "OpenSources (opensources.co), LGPL-3.0",
        },
        "domains": dict(sorted(domains.items())),
        "names": dict(sorted(names.items())),
    }
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(payload, f, separators=(",", ":"), ensure_ascii=False)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB, {len(domains)} domains, {len(names)} names)")


if __name__ == "__main__":
    main()
