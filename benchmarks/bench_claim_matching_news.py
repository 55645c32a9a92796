"""Claim matching on news articles against the default (shipped Snopes) library; prints numbers.

    python benchmarks/bench_claim_matching_news.py horne --dump runs/fc_horne_candidates.jsonl
    python benchmarks/bench_claim_matching_news.py horne      # precision / recall vs the gold labels
    python benchmarks/bench_claim_matching_news.py bbc [--articles 120]
    ... [--model runs/claim_matcher_ct]     # the research-use CheckThat! variant instead

* ``horne``: the first 25 fake and 25 real articles of Horne & Adali 2017's BuzzFeed political news
  set (2016, when many Snopes checks were written). Every check-worthy claim is matched (the
  audit's own pipeline, verification off). ``--dump`` writes, per claim, every fact-check that
  reached the reranker (matches and related ones) for labelling by hand; the labels live in
  ``benchmarks/gold/factcheck_matches.jsonl`` (see ``benchmarks/gold/factcheck_matches.md``).
  Without ``--dump``: precision of "previously fact-checked" (matches above the threshold that are
  labelled the same claim) and recall (labelled same-claim pairs that were matched).
* ``bbc``: BBC News business articles (../shared/data/articles/bbc/business, sorted, the first
  ``--articles``): the share of check-worthy claims with no match above the threshold (target ≥ 99%).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factaudit.config import Settings  # noqa: E402
from factaudit.pipeline import Auditor  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "articles"
HORNE = DATA / "horne2017" / "data" / "Buzzfeed Political News Dataset"
GOLD = ROOT / "benchmarks" / "gold" / "factcheck_matches.jsonl"


def horne_articles(per_class: int = 25) -> Iterator[tuple[str, bytes]]:
    for label in ("Fake", "Real"):
        files = sorted((HORNE / label).glob("*.txt"), key=lambda p: int(p.name.split("_")[0]))
        for path in files[:per_class]:
            yield f"horne/{label}/{path.name}", path.read_bytes()


def audit_claims(name: str, raw: bytes, auditor: Auditor, matcher_candidates: bool = False
                 ) -> list[dict[str, Any]]:
    from factaudit.document import Article

    article = auditor.run(Article(source=name, raw=raw))
    rows = []
    for c in article.claims:
        if not c.check_worthy:
            continue
        rows.append({"article": name, "claim_id": c.id, "claim": c.plain_text,
                     "matches": [{"url": m.url, "claim_reviewed": m.claim_reviewed, "rating": m.rating,
                                  "probability": m.probability, "related": m.related, "stance": m.stance}
                                 for m in c.fact_checks]})
    return rows


MODEL: str | None = None


def make_auditor() -> Auditor:
    return Auditor(Settings(verify=False, factchecks=True, claim_matcher_model=MODEL))


def horne(dump: Path | None) -> None:
    auditor = make_auditor()
    rows: list[dict[str, Any]] = []
    for name, raw in horne_articles():
        rows.extend(audit_claims(name, raw, auditor))
    matched = [r for r in rows if any(not m["related"] for m in r["matches"])]
    print(f"Horne BuzzFeed 25 fake + 25 real: {len(rows)} check-worthy claims, {len(matched)} with a "
          f"match above the threshold, {sum(1 for r in rows if r['matches'])} reaching the reranker")
    if dump is not None:
        with dump.open("w", encoding="utf-8") as fh:
            for r in rows:
                for m in r["matches"]:
                    fh.write(json.dumps({"article": r["article"], "claim": r["claim"], **m},
                                        ensure_ascii=False) + "\n")
        print(f"wrote the candidates to {dump} for labelling")
        return
    gold: dict[tuple[str, str, str], bool] = {}
    with GOLD.open(encoding="utf-8") as fh:
        for line in fh:
            g = json.loads(line)
            gold[(g["article"], g["claim"], g["url"])] = bool(g["same_claim"])
    tp = fp = unlabelled = 0
    predicted: set[tuple[str, str, str]] = set()
    for r in rows:
        for m in r["matches"]:
            if m["related"]:
                continue
            key = (r["article"], r["claim"], m["url"])
            predicted.add(key)
            if key not in gold:
                unlabelled += 1
            elif gold[key]:
                tp += 1
            else:
                fp += 1
    positives = {k for k, v in gold.items() if v}
    found = len(positives & predicted)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = found / len(positives) if positives else float("nan")
    print(f"precision {precision:.3f} ({tp} of {tp + fp} labelled matches; {unlabelled} unlabelled)  "
          f"recall {recall:.3f} ({found} of {len(positives)} labelled same-claim pairs)")


def bbc(n_articles: int) -> None:
    auditor = make_auditor()
    files = sorted((DATA / "bbc" / "business").glob("*.txt"))[:n_articles]
    claims = matched = reached = 0
    examples = []
    for path in files:
        for r in audit_claims(f"bbc/business/{path.name}", path.read_bytes(), auditor):
            claims += 1
            reached += bool(r["matches"])
            best = [m for m in r["matches"] if not m["related"]]
            if best:
                matched += 1
                examples.append((r["claim"][:100], best[0]["claim_reviewed"][:100], best[0]["probability"]))
    share = 1 - matched / claims if claims else float("nan")
    print(f"BBC business, {len(files)} articles: {claims} check-worthy claims, {matched} matched above the "
          f"threshold: no match on {share:.2%} (target >= 99%); {reached} ({reached / max(1, claims):.1%}) "
          "reached the reranker")
    for ex in examples[:10]:
        print("  match:", ex)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("horne", "bbc"))
    ap.add_argument("--dump", type=Path, default=None)
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--model", default=None, help="Another claim matcher folder (runs/claim_matcher_ct).")
    args = ap.parse_args()
    global MODEL
    MODEL = args.model
    if args.what == "horne":
        horne(args.dump)
    else:
        bbc(args.articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
