"""Claims and holders against the hand-made gold set (benchmarks/gold/): every number of the
"faithful claims" issue's targets, on the dev half, the frozen test half, or both.

    python benchmarks/bench_claims.py --split test          # the frozen half (report these)
    python benchmarks/bench_claims.py --split dev --show    # the half changes may be tuned on
    python benchmarks/bench_claims.py --agreement           # annotator A vs B on the 20% redone

A produced claim matches a gold claim when its source span covers at least half of the gold quote
(offsets aligned between the annotators' decoded text and factaudit's normalised text). Numbers:

- claim recall: gold claims matched by some produced claim;
- fragments: produced claims matching a gold non-claim (fragment, byline, source line ...), and
  unmatched: produced claims matching no gold claim at all (an upper bound: it also counts real
  statements the annotator did not list);
- rewritten pronouns correct: a claim's bracketed referent against the gold reading of that
  mention (a rewrite of a mention the gold leaves unresolved is wrong); claim fidelity: matched
  claims with no wrong rewrite;
- holder accuracy (kind, and the name for named holders), hedge precision / recall (cue words),
  on matched pairs;
- top-5: of each article's five best-ranked claims, how many match a gold check-worthy claim;
- relation edges whose every claim names both ends.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from gold_build import ARTICLES, GOLD, decoded_text  # noqa: E402

from factaudit.config import Settings  # noqa: E402
from factaudit.document import Article, Claim  # noqa: E402
from factaudit.pipeline import Auditor  # noqa: E402


def load_gold(annotator: str = "A") -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (GOLD / "claims_gold.jsonl").open(encoding="utf-8")]
    return [r for r in rows if r["annotator"] == annotator]


class Aligner:
    """Maps offsets of the decoded text onto factaudit's normalised text."""

    def __init__(self, a: str, b: str) -> None:
        self.map: dict[int, int] = {}
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for tag, i1, i2, j1, _ in sm.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    self.map[i1 + k] = j1 + k
        self.keys = sorted(self.map)

    def __call__(self, i: int) -> int | None:
        if i in self.map:
            return self.map[i]
        import bisect

        k = bisect.bisect_left(self.keys, i)
        if k < len(self.keys):
            return self.map[self.keys[k]]
        return self.map[self.keys[-1]] + 1 if self.keys else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _claim_span(article: Article, c: Claim) -> tuple[int, int]:
    """Where the claim's words are: the attributed content when the claim is made of it, else the
    whole statement."""
    a = next(x for x in article.assertions if x.id == c.assertion_id)
    if a.content is not None and a.holder.kind != "author":
        content = article.text[a.content.start : a.content.end]
        if content.split()[:2] == [w.strip("[]") for w in c.plain_text.split()[:2]] or (
            content[:20].lower() in c.plain_text.lower()
        ):
            return a.content.start, a.content.end
    return c.start, c.end


def _norm_name(s: str | None) -> str:
    s = re.sub(r"[’']s\b", "", (s or "").lower())
    return re.sub(r"[^a-z0-9 ]+", " ", s).strip()


_FUNCTION = {
    "is", "are", "was", "were", "be", "to", "as", "that", "it", "i", "we", "don't", "do", "not", "my"
}


def _cue_match(a: str, b: str) -> bool:
    wa = set(a.lower().split()) - _FUNCTION
    wb = set(b.lower().split()) - _FUNCTION
    stem = {w[:5] for w in wa}
    return bool(wa & wb) or any(w[:5] in stem for w in wb)


def _same_name(a: str | None, b: str | None) -> bool:
    x, y = _norm_name(a), _norm_name(b)
    if not x or not y:
        return False
    return x == y or x in y or y in x or x.split()[-1] == y.split()[-1]


def score(gold: list[dict[str, Any]], *, show: bool = False) -> dict[str, Any]:
    auditor = Auditor(Settings(verify=False))
    t: Counter[str] = Counter()
    top5: list[int] = []
    wrong_rewrites: list[str] = []
    t0 = time.perf_counter()
    for g in gold:
        path = ARTICLES / g["path"]
        report = auditor.report(path)
        art = report.article
        align = Aligner(decoded_text(path), art.text)

        def gspan(x: dict[str, Any], align: Aligner = align) -> tuple[int, int] | None:
            s, e = align(x["start"]), align(x["end"] - 1)
            return (s, e + 1) if s is not None and e is not None else None

        golds = [(c, gspan(c)) for c in g["claims"]]
        nons = [gspan(n) for n in g["non_claims"]]
        prons = [(p, gspan(p)) for p in g["pronouns"]]
        claims = art.claims
        spans = {c.id: _claim_span(art, c) for c in claims}
        assertions = {a.id: a for a in art.assertions}
        matched_gold: set[str] = set()
        t["gold_claims"] += len(golds)
        t["produced"] += len(claims)
        for c in claims:
            cs = spans[c.id]
            best = None
            best_ov = 0.0
            for gc, gs in golds:
                if gs is None:
                    continue
                ov = _overlap(cs, gs) / max(1, gs[1] - gs[0])
                if ov >= 0.5 and ov > best_ov:
                    best, best_ov = gc, ov
            # A non-claim only when the claim is mostly that non-claim (a dateline inside a real
            # claim's sentence is not the claim).
            if any(
                ns is not None and _overlap(cs, ns) >= 0.5 * max(1, ns[1] - ns[0], cs[1] - cs[0])
                for ns in nons
            ):
                t["fragments"] += 1
                if show:
                    print(f"  NON-CLAIM {g['path']}: {c.text[:100]}")
            if best is None:
                t["unmatched"] += 1
            # Rewrites against the gold readings.
            bad = False
            for rw in c.rewrites:
                reading = next(
                    (p for p, ps in prons if ps is not None and _overlap((rw.start, rw.end), ps) > 0), None
                )
                if reading is None:
                    t["rewrites_unscored"] += 1
                    continue
                t["rewrites"] += 1
                if reading["referent"] and _same_name(rw.replacement, reading["referent"]):
                    t["rewrites_ok"] += 1
                else:
                    bad = True
                    wrong_rewrites.append(f"{g['path']}: {rw.original} → {rw.replacement} "
                                          f"(gold: {reading['referent']}) in {c.text[:90]}")
            if best is None:
                continue
            t["matched_produced"] += 1
            t["faithful"] += not bad
            a = assertions[c.assertion_id]
            h = a.holder
            kind_ok = h.kind == best["holder_kind"] or (
                h.kind == "named" and h.unresolved and best["holder_kind"] == "named" and not best["holder"]
            )
            name_ok = best["holder_kind"] != "named" or (
                _same_name(h.name, best["holder"]) or (h.unresolved and not best["holder"])
            )
            t["holder_ok"] += kind_ok and name_ok
            if show and not (kind_ok and name_ok):
                print(f"  HOLDER {g['path']}: {h.kind}:{h.name} vs {best['holder_kind']}:{best['holder']}"
                      f" | {c.text[:80]}")
            # Hedges inside the gold claim's own words (a sentence-long assertion can hold hedges
            # of its other clauses; the gold quote is the clause).
            gs_best = next(gs for gc, gs in golds if gc is best)
            cues = {
                x.cue.lower()
                for x in a.hedges
                if gs_best is None or _overlap((x.start, x.end), gs_best) > 0
            }
            gcues = set(best["hedges"])
            if show and cues != gcues:
                print(f"  HEDGES {g['path']}: {sorted(cues)} vs gold {sorted(gcues)} | {c.text[:80]}")
            # A cue matches when they share a content word ("expected" ~ "is expected to").
            t["hedge_tp"] += sum(any(_cue_match(x, y) for y in gcues) for x in cues)
            t["hedge_gold_found"] += sum(any(_cue_match(x, y) for x in cues) for y in gcues)
            t["hedge_pred"] += len(cues)
            t["hedge_gold"] += len(gcues)
        for gc, gs in golds:
            covered = gs is not None and any(
                _overlap(spans[c.id], gs) >= 0.5 * max(1, gs[1] - gs[0]) for c in claims
            )
            if covered:
                matched_gold.add(gc["id"])
            elif show:
                print(f"  MISSED {g['path']}: {(gc.get('claim') or gc.get('quote') or gc['id'])[:100]}")
        t["gold_matched"] += len(matched_gold)
        ranked = sorted((c for c in claims if c.rank is not None), key=lambda c: c.rank or 0)[:5]
        hits = 0
        for c in ranked:
            cs = spans[c.id]
            hits += any(
                gs is not None and gc["checkworthy"] and _overlap(cs, gs) >= 0.5 * max(1, gs[1] - gs[0])
                for gc, gs in golds
            )
        top5.append(hits)
        names = {e.id: e.name.lower() for e in art.entities}
        texts = {c.id: c.plain_text.lower() for c in claims}
        for r in art.relations:
            for cid in r.claim_ids:
                t["edge_claims"] += 1
                both = all(
                    names[n] in texts[cid] or names[n].split()[-1] in texts[cid] for n in (r.source, r.target)
                )
                t["edge_claims_ok"] += both
    seconds = time.perf_counter() - t0
    if show:
        for w in wrong_rewrites:
            print("  WRONG REWRITE", w)

    def ratio(a: str, b: str) -> float | None:
        return round(t[a] / t[b], 4) if t[b] else None

    return {
        "articles": len(gold),
        "gold_claims": t["gold_claims"],
        "produced_claims": t["produced"],
        "claim_recall": ratio("gold_matched", "gold_claims"),
        "claim_fidelity": ratio("faithful", "matched_produced"),
        "rewritten_pronouns_correct": ratio("rewrites_ok", "rewrites"),
        "rewrites_scored": t["rewrites"],
        "rewrites_without_gold_reading": t["rewrites_unscored"],
        "fragments_among_claims": ratio("fragments", "produced"),
        "unmatched_among_claims": ratio("unmatched", "produced"),
        "holder_accuracy": ratio("holder_ok", "matched_produced"),
        "hedge_precision": ratio("hedge_tp", "hedge_pred"),
        "hedge_recall": ratio("hedge_gold_found", "hedge_gold"),
        "top5_gold_checkworthy_mean": round(sum(top5) / len(top5), 3) if top5 else None,
        "edge_claims_naming_both_ends": ratio("edge_claims_ok", "edge_claims"),
        "seconds": round(seconds, 1),
    }


def agreement() -> dict[str, Any]:
    """Annotator A vs B on the articles both annotated: claim F1 by span, holder kind, hedges,
    check-worthiness (Cohen's kappa), pronoun referents."""
    a_rows = {r["path"]: r for r in load_gold("A")}
    b_rows = {r["path"]: r for r in load_gold("B")}
    t: Counter[str] = Counter()
    pairs: list[tuple[bool, bool]] = []
    for path, b in b_rows.items():
        a = a_rows[path]

        def match(x: dict[str, Any], ys: list[dict[str, Any]]) -> dict[str, Any] | None:
            best, best_ov = None, 0.0
            for y in ys:
                ov = _overlap((x["start"], x["end"]), (y["start"], y["end"])) / max(
                    1, min(x["end"] - x["start"], y["end"] - y["start"])
                )
                if ov >= 0.5 and ov > best_ov:
                    best, best_ov = y, ov
            return best

        t["a"] += len(a["claims"])
        t["b"] += len(b["claims"])
        for x in a["claims"]:
            y = match(x, b["claims"])
            if y is None:
                continue
            t["a_in_b"] += 1
            t["kind_same"] += x["holder_kind"] == y["holder_kind"]
            t["hedged_same"] += bool(x["hedges"]) == bool(y["hedges"])
            pairs.append((x["checkworthy"], y["checkworthy"]))
        t["b_in_a"] += sum(match(y, a["claims"]) is not None for y in b["claims"])
        for p in a["pronouns"]:
            q = next((q for q in b["pronouns"] if q["start"] == p["start"]), None)
            if q is not None:
                t["pron_both"] += 1
                t["pron_same"] += (not p["referent"] and not q["referent"]) or _same_name(
                    p["referent"], q["referent"]
                )
    n = len(pairs)
    po = sum(x == y for x, y in pairs) / n if n else 0.0
    pa, pb = (sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n) if n else (0.0, 0.0)
    pe = pa * pb + (1 - pa) * (1 - pb)
    prec = t["a_in_b"] / t["a"] if t["a"] else 0.0
    rec = t["b_in_a"] / t["b"] if t["b"] else 0.0
    return {
        "articles": len(b_rows),
        "claims_a": t["a"],
        "claims_b": t["b"],
        "claim_f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
        "holder_kind_agreement": round(t["kind_same"] / t["a_in_b"], 4) if t["a_in_b"] else None,
        "hedged_agreement": round(t["hedged_same"] / t["a_in_b"], 4) if t["a_in_b"] else None,
        "checkworthy_kappa": round((po - pe) / (1 - pe), 4) if pe < 1 else None,
        "pronoun_referent_agreement": round(t["pron_same"] / t["pron_both"], 4) if t["pron_both"] else None,
        "pronouns_in_both": t["pron_both"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--show", action="store_true", help="print misses, non-claims, wrong rewrites")
    ap.add_argument("--agreement", action="store_true")
    args = ap.parse_args()
    if args.agreement:
        print(json.dumps(agreement(), indent=2))
        return
    gold = [g for g in load_gold("A") if args.split == "all" or g["split"] == args.split]
    print(json.dumps({"split": args.split, **score(gold, show=args.show)}, indent=2))


if __name__ == "__main__":
    main()
