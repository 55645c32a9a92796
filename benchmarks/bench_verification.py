"""Verdict quality against issue 12's targets, on the dev sets built from ../shared.

    python benchmarks/verification_data.py --skip-training   # dev sets → runs/vhead/dev_*.jsonl
    python benchmarks/bench_verification.py [--data-dir ../shared/data] [--dev runs/vhead] [--json]

Scores the shipped system (verifier + relevance head + rules + aggregation + claim-level calibrator)
once on: FEVER-Symmetric dev; the mismatched pairs (gold NOT ENOUGH INFO); Climate-FEVER's
unanimous evidence pairs (NOT_ENOUGH_INFO, SUPPORTS, REFUTES) with their article titles; and
Climate-FEVER end to end (claims retrieve from the pooled evidence; claim-level macro-F1). Prints
every number of the issue's Targets section; calibration numbers carry 95% bootstrap intervals
(1,000 resamples).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from verification_data import read_jsonl, write_jsonl  # noqa: E402

from factaudit.evaluation.verification import (  # noqa: E402
    GOLD,
    calibration_metrics,
    evaluate_climate_fever,
    evaluate_pairs,
)

TO_VERDICT = {"SUPPORTS": "SUPPORTED", "REFUTES": "REFUTED", "NOT ENOUGH INFO": "NOT ENOUGH EVIDENCE",
              "NOT_ENOUGH_INFO": "NOT ENOUGH EVIDENCE"}


def scored_rows(path: Path, tmp: Path, verifier: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """evaluate_pairs' summary plus per-row (gold, predicted, confidence)."""
    preds = tmp / (path.stem + ".pred.jsonl")
    res = evaluate_pairs(path, verifier, predictions=preds)
    gold = read_jsonl(path)
    rows = []
    for g, p in zip(gold, read_jsonl(preds), strict=True):
        rows.append({"gold": GOLD[str(g["label"]).upper()], "pred": TO_VERDICT[p["predicted_label"]],
                     "confidence": p["confidence"], "rule": p.get("rule"), "claim": g["claim"],
                     "evidence": g["evidence"]})
    return res, rows


def share(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.3f}" if d else "0/0"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--dev", type=Path, default=REPO / "runs" / "vhead")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args(argv)
    from factaudit.models.verifier import get_verifier

    verifier = get_verifier()
    out: dict[str, Any] = {}
    t0 = time.time()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        fs_res, fs = scored_rows(args.dev / "dev_fever_symmetric.jsonl", tmp, verifier)
        mm_res, mm = scored_rows(args.dev / "dev_mismatched.jsonl", tmp, verifier)
        cp_all = read_jsonl(args.dev / "dev_climate_pairs.jsonl")
        for label in ("NOT ENOUGH INFO", "SUPPORTS", "REFUTES"):
            write_jsonl(tmp / f"climate_{label[:3]}.jsonl", [r for r in cp_all if r["label"] == label])
        cn_res, _ = scored_rows(tmp / "climate_NOT.jsonl", tmp, verifier)
        cs_res, cs = scored_rows(tmp / "climate_SUP.jsonl", tmp, verifier)
        cr_res, cr = scored_rows(tmp / "climate_REF.jsonl", tmp, verifier)
        cf_pred = tmp / "cf.pred.jsonl"
        cf_res = evaluate_climate_fever(args.data_dir / "verification" / "climate_fever_dev.jsonl", verifier,
                                        predictions=cf_pred)
        cf_gold = {str(r["claim_id"]): r["claim_label"]
                   for r in read_jsonl(args.data_dir / "verification" / "climate_fever_dev.jsonl")}
        cf_rows = [p for p in read_jsonl(cf_pred) if cf_gold[str(p["id"])] != "DISPUTED"]
    dec_fm = [r for r in fs + mm if r["pred"] in ("SUPPORTED", "REFUTED")]
    right_fm = sum(r["pred"] == r["gold"] for r in dec_fm)
    sr = cs + cr
    out["mismatched_decisive"] = mm_res["decisive"]
    out["mismatched_n"] = mm_res["n"]
    out["topical_nei_decisive"] = cn_res["decisive"]
    out["topical_nei_n"] = cn_res["n"]
    out["decisive_precision_fever_sym_plus_mismatched"] = right_fm / len(dec_fm) if dec_fm else None
    out["decisive_n_fever_sym_plus_mismatched"] = len(dec_fm)
    out["fever_sym"] = fs_res
    out["climate_sr_pairs_right"] = sum(r["pred"] == r["gold"] for r in sr) / len(sr)
    out["climate_sr_pairs_n"] = len(sr)
    out["climate_sr_pairs_predicted"] = {k: sum(r["pred"] == k for r in sr)
                                         for k in ("SUPPORTED", "REFUTED", "NOT ENOUGH EVIDENCE")}
    out["climate_supports_pairs"] = cs_res
    out["climate_refutes_pairs"] = cr_res
    out["climate_fever_claims"] = cf_res
    out["calibration"] = {
        "fever_symmetric": calibration_metrics(
            [r["confidence"] for r in fs], [r["pred"] == r["gold"] for r in fs], bootstrap=1000),
        "climate_fever_claims": calibration_metrics(
            [p["confidence"] for p in cf_rows],
            [p["predicted_label"] == cf_gold[str(p["id"])] for p in cf_rows], bootstrap=1000),
        "climate_fever_unanimous_pairs": calibration_metrics(
            [r["confidence"] for r in sr], [r["pred"] == r["gold"] for r in sr], bootstrap=1000),
    }
    out["seconds"] = round(time.time() - t0, 1)
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    mm_dec = round(mm_res["decisive"] * mm_res["n"])
    cn_dec = round(cn_res["decisive"] * cn_res["n"])
    fs_dec = round(fs_res["decisive"] * fs_res["n"])
    print("Issue 12 targets (dev sets scored once, after every choice was made on training data)")
    print(f"  mismatched pairs decisive:            {share(mm_dec, mm_res['n'])}   (target <= 0.01)")
    print(f"  topical NOT_ENOUGH_INFO decisive:     {share(cn_dec, cn_res['n'])}   (target <= 0.02)")
    print(f"  decisive precision, FEVER-Sym + mm:   {share(right_fm, len(dec_fm))}   (target >= 0.90)")
    print(f"  FEVER-Sym system accuracy:            {fs_res['accuracy']:.3f}   (target >= 0.60; "
          f"coverage {fs_res['decisive']:.3f} = {fs_dec}/{fs_res['n']}, "
          f"precision {fs_res['decisive_precision'] or 0:.3f})")
    print(f"  FEVER-Sym verifier accuracy_2way:     {fs_res['accuracy_2way']:.3f}")
    csr = sum(r["pred"] == r["gold"] for r in sr)
    print(f"  Climate-FEVER unanimous S/R right:    {share(csr, len(sr))}   (target >= 0.40) "
          f"{out['climate_sr_pairs_predicted']}")
    print(f"  Climate-FEVER claim macro-F1 (e2e):   {cf_res['macro_f1']:.3f}   (aim 0.55) n={cf_res['n']}, "
          f"predicted {cf_res['predicted']}")
    for name, m in out["calibration"].items():
        print(f"  calibration {name}: ECE {m['ece']:.3f} {m['ece_ci95']}, "
              f"NLL {m['nll']:.3f} {m['nll_ci95']}, Brier {m['brier']:.3f} {m['brier_ci95']}, "
              f"AURC {m['aurc']:.3f} {m['aurc_ci95']}")
    print(f"  ({out['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
