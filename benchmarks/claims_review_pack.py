"""Write a reading pack for an independent second reader: seeded random articles outside the claims
gold set, each with its text and the claims, holders and hedges factaudit extracts (no verification).

    python benchmarks/claims_review_pack.py [--n 6] [--seed 20261211] [--out runs/review]

The reader judges every claim line (faithful? a real claim? holder right? hedges right?) in a TSV
next to the pack.
BBC News is research use: the pack stays under runs/ (gitignored), never in the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "data" / "articles"
sys.path.insert(0, str(ROOT / "src"))


def draw(n: int, seed: int) -> list[str]:
    gold = {s["path"] for s in json.loads((ROOT / "benchmarks" / "gold" / "sample.json").read_text())}
    paths = sorted(
        os.path.relpath(os.path.join(root, f), ARTICLES)
        for root, _, files in os.walk(ARTICLES)
        for f in files
        if f.endswith(".txt") and "_titles" not in root
        and ("horne" in root or "politics" in root or "business" in root)
    )
    return random.Random(seed).sample([p for p in paths if p not in gold], n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=6)
    ap.add_argument("--seed", type=int, default=20261211)
    ap.add_argument("--out", type=Path, default=ROOT / "runs" / "review")
    args = ap.parse_args()
    from factaudit.config import Settings
    from factaudit.pipeline import Auditor

    auditor = Auditor(Settings(verify=False))
    args.out.mkdir(parents=True, exist_ok=True)
    for k, rel in enumerate(draw(args.n, args.seed), 1):
        art = auditor.report(ARTICLES / rel).article
        asserted = {a.id: a for a in art.assertions}
        held = {a.id: a.holder for a in art.assertions}
        lines = [f"ARTICLE {k}: {rel}", "", art.text, "", "==== CLAIMS extracted by the tool ===="]
        for c in art.claims:
            h = held[c.assertion_id]
            who = "the author" if h.kind == "author" else f"{h.kind}: {h.name}"
            who += " (unresolved pronoun)" if h.unresolved else " (likely)" if h.likely else ""
            hedges = ", ".join(f"{g.cue} ({g.kind})" for g in asserted[c.assertion_id].hedges) or "none"
            lines.append(f"{c.id} | holder = {who} | hedges = {hedges} | claim = {c.text}")
        (args.out / f"article{k}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.n} articles written to {args.out}")


if __name__ == "__main__":
    main()
