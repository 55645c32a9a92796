"""Audit a seeded random set of real articles (Horne 2017 real, fake and satire) with verdicts and
list every SUPPORTED / REFUTED one with its quoted evidence, for a second reader to judge.

    python benchmarks/real_articles_verdicts.py [--n 30] [--seed 12] [--out runs/real30.jsonl]

The draw is fixed by the seed and was made before looking at the articles (issue: verdicts a
fact-checker can trust). The articles of the claims gold set are left out.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "data" / "articles"
sys.path.insert(0, str(ROOT / "benchmarks"))


def draw(n: int, seed: int) -> list[Path]:
    gold = {s["path"] for s in json.loads((ROOT / "benchmarks" / "gold" / "sample.json").read_text())}
    files = sorted(
        p
        for p in (ARTICLES / "horne2017" / "data").rglob("*.txt")
        if "_titles" not in str(p.parent) and str(p.relative_to(ARTICLES)) not in gold
    )
    return random.Random(seed).sample(files, n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--out", type=Path, default=ROOT / "runs" / "real30.jsonl")
    args = ap.parse_args()
    from factaudit.pipeline import Auditor

    auditor = Auditor()
    rows = []
    counts = {"articles": 0, "claims": 0, "verified": 0, "decisive": 0, "on_subject_zero": 0}
    for path in draw(args.n, args.seed):
        try:
            art = auditor.report(path).article
        except Exception as exc:  # a refused article (language, empty) is counted, not fatal
            print(f"skip {path.name}: {exc}", file=sys.stderr)
            continue
        counts["articles"] += 1
        counts["claims"] += len(art.claims)
        for c in art.claims:
            v = c.verdict
            if v is None:
                continue
            counts["verified"] += 1
            counts["on_subject_zero"] += v.on_subject == 0
            if v.label in ("SUPPORTED", "REFUTED"):
                counts["decisive"] += 1
                rows.append({
                    "article": str(path.relative_to(ARTICLES)),
                    "claim": c.text,
                    "label": v.label,
                    "confidence": v.confidence,
                    "evidence": [{"source": e.source, "quote": e.quote, "pack": e.pack} for e in v.evidence],
                })
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(json.dumps(counts))
    for r in rows:
        print(f"{r['label']} {r['confidence']:.2f} | {r['claim'][:120]}")
        for e in r["evidence"][:2]:
            print(f"    [{e['source']}] {e['quote'][:160]}")


if __name__ == "__main__":
    main()
