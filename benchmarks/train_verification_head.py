"""Train the relevance head, choose its decision threshold and fit the claim-level calibrator.

    python benchmarks/verification_data.py            # builds runs/vhead/*.jsonl from ../shared
    python benchmarks/train_verification_head.py [--out runs/vhead] [--ship]

Everything here is chosen on training data only (``train_pairs.jsonl``: FEVER claims held out from
the verifier's training, their real evidence and hard NOT ENOUGH INFO negatives; see
``verification_data.py``). Claims are split by group: 80% for choosing (5-fold cross-validation,
grouped by claim), 20% held out to report the training-distribution numbers once.

1. The head: a multinomial logistic regression (SUPPORTED / REFUTED / NOT ENOUGH EVIDENCE) over
   :data:`factaudit.relevance.FEATURES`, L2-regularised (features standardised, intercept free),
   fitted by Newton's method in numpy; the regularisation C is chosen by cross-validated log-loss.
2. The threshold: the smallest value at which the out-of-fold sentence decisions (head, then the
   number/date and relevance rules exactly as :func:`factaudit.verification.aggregate` applies
   them) reach decisive precision ≥ ``--precision`` (0.95) with ≤ 1% of the negatives decisive.
3. The calibrator: claims run end to end over their candidate sentences (gold evidence plus the
   negatives; and each claim again with its gold evidence withheld, gold NOT ENOUGH INFO) through
   ``aggregate``; P(verdict right) = σ(a · logit(confidence) + b), one (a, b) for decisive verdicts
   and one for NOT ENOUGH EVIDENCE, fitted on the out-of-fold claims.
The verifier's probabilities are cached in ``<out>/probs_*.npy`` (scoring ~16k pairs takes a few
minutes on 2 cores). ``--ship`` writes ``src/factaudit/models/files/verification_head.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from factaudit.document import Evidence  # noqa: E402
from factaudit.evaluation.verification import calibration_metrics  # noqa: E402
from factaudit.relevance import FEATURES, HEAD_FILE, RelevanceHead, cosines, features  # noqa: E402
from factaudit.verification import (  # noqa: E402
    NEE,
    REFUTED,
    SUPPORTED,
    Scored,
    aggregate,
    apply_relevance,
    apply_rules,
    premise,
)

SEED = 13
LABEL_INDEX = {"SUPPORTS": 0, "REFUTES": 1, "NOT ENOUGH INFO": 2}
GOLD_VERDICT = {"SUPPORTS": SUPPORTED, "REFUTES": REFUTED, "NOT ENOUGH INFO": NEE}
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def verifier_probs(rows: list[dict[str, Any]], cache: Path) -> np.ndarray:
    """Calibrated verifier probabilities for (premise, claim) pairs, cached per pair in ``cache``."""
    pairs = [(premise(r["evidence"], r.get("title")), r["claim"]) for r in rows]
    keys = [hashlib.sha256(json.dumps(p).encode()).hexdigest()[:20] for p in pairs]
    known: dict[str, list[float]] = {}
    if cache.is_file():
        known = json.loads(cache.read_text(encoding="utf-8"))
    todo = sorted({k: p for k, p in zip(keys, pairs, strict=True) if k not in known}.items())
    if todo:
        from factaudit.models.verifier import get_verifier

        t0 = time.time()
        got = get_verifier().predict([p for _, p in todo])
        print(f"scored {len(todo)} pairs in {time.time() - t0:.0f} s", flush=True)
        known.update({k: [float(x) for x in row] for (k, _), row in zip(todo, got, strict=True)})
        cache.write_text(json.dumps(known), encoding="utf-8")
    return np.array([known[k] for k in keys], dtype=np.float64)


def feature_matrix(rows: list[dict[str, Any]], probs: np.ndarray) -> np.ndarray:
    cos = cosines([r["claim"] for r in rows], [r["evidence"] for r in rows])
    return np.vstack([features(r["claim"], r["evidence"], probs[i], float(cos[i]))
                      for i, r in enumerate(rows)])


# ------------------------------------------------------------------------- logistic regression


def fit_multinomial(x: np.ndarray, y: np.ndarray, c: float, iters: int = 50) -> RelevanceHead:
    """L2-regularised multinomial logistic regression by damped Newton steps (numpy only)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    n, d = xs.shape
    k = 3
    lam = 1.0 / (c * n)
    reg = np.ones(d)
    reg[-1] = 0.0  # intercept free
    w = np.zeros((k, d))
    onehot = np.eye(k)[y]

    def loss(w: np.ndarray) -> float:
        z = xs @ w.T
        z -= z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z).sum(axis=1))
        return float(-(onehot * (z - lse[:, None])).sum() / n + 0.5 * lam * (reg * w * w).sum())

    cur = loss(w)
    for _ in range(iters):
        z = xs @ w.T
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = ((p - onehot).T @ xs) / n + lam * reg * w  # [k, d]
        # Hessian [k*d, k*d]: sum_i (diag(p_i) - p_i p_i^T) ⊗ x_i x_i^T / n + lam
        h = np.zeros((k, d, k, d))
        for a in range(k):
            for b in range(k):
                wgt = p[:, a] * ((a == b) - p[:, b])
                h[a, :, b, :] = (xs * wgt[:, None]).T @ xs / n
        hm = h.reshape(k * d, k * d) + np.diag(np.tile(lam * reg + 1e-8, k))
        step = np.linalg.solve(hm, grad.reshape(-1)).reshape(k, d)
        t = 1.0
        while t > 1e-4:
            nxt = loss(w - t * step)
            if nxt <= cur:
                break
            t *= 0.5
        w = w - t * step
        done = cur - nxt < 1e-10
        cur = nxt
        if done:
            break
    return RelevanceHead(mean=mean, scale=scale, coef=w[:, :-1], intercept=w[:, -1], threshold=0.5,
                         calibrator={}, meta={"C": c})


def log_loss(head: RelevanceHead, x: np.ndarray, y: np.ndarray) -> float:
    p = head.predict(x)
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1)).mean())


def fit_platt(conf: np.ndarray, ok: np.ndarray, iters: int = 200) -> tuple[float, float]:
    """σ(a · logit(conf) + b) by gradient-checked Newton steps with a unit ridge (logits clipped to ±7,
    as :meth:`RelevanceHead.calibrate` clips them)."""
    c = np.clip(conf, 1e-3, 1 - 1e-3)
    z = np.clip(np.log(c / (1 - c)), -7, 7)
    xs = np.stack([z, np.ones_like(z)], axis=1)
    w = np.array([1.0, 0.0])

    def nll(w: np.ndarray) -> float:
        m = xs @ w
        return float(np.logaddexp(0, -m) @ ok + np.logaddexp(0, m) @ (1 - ok) + 0.5 * (w @ w))

    cur = nll(w)
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(xs @ w, -30, 30)))
        g = xs.T @ (p - ok) + w
        h = (xs * (p * (1 - p))[:, None]).T @ xs + np.eye(2)
        step = np.linalg.solve(h, g)
        t = 1.0
        while t > 1e-6 and nll(w - t * step) > cur:
            t *= 0.5
        w = w - t * step
        new = nll(w)
        if cur - new < 1e-10:
            break
        cur = new
    return float(w[0]), float(w[1])


# ------------------------------------------------------------------------------ decisions


def sentence_probs(rows: list[dict[str, Any]], probs: np.ndarray, head: RelevanceHead) -> np.ndarray:
    """Final per-sentence probabilities: head, then relevance and number/date rules (as aggregate)."""
    out = np.zeros((len(rows), 3))
    for i, r in enumerate(rows):
        s = _scored(r, probs[i])
        apply_relevance(r["claim"], [s], head)
        apply_rules(r["claim"], s)
        out[i] = s.probs
    return out


def _scored(r: dict[str, Any], p: np.ndarray) -> Scored:
    ev = Evidence(source=r.get("title") or "evidence", passage=r["evidence"], quote=r["evidence"])
    return Scored(ev, (float(p[0]), float(p[1]), float(p[2])), title=r.get("title"),
                  untitled=r.get("title") is None)


def pair_decisions(final: np.ndarray, threshold: float) -> np.ndarray:
    """0 SUPPORTED, 1 REFUTED, 2 NOT ENOUGH EVIDENCE for single-sentence verdicts."""
    dec = np.full(len(final), 2)
    s_ok = final[:, 0] >= threshold
    r_ok = final[:, 1] >= threshold
    dec[r_ok] = 1
    dec[s_ok & (~r_ok | (final[:, 0] >= final[:, 1]))] = 0
    return dec


def pair_stats(dec: np.ndarray, y: np.ndarray) -> dict[str, float]:
    decisive = dec != 2
    neg = y == 2
    return {
        "decisive_precision": float((dec[decisive] == y[decisive]).mean()) if decisive.any() else 1.0,
        "negatives_decisive": float(decisive[neg].mean()) if neg.any() else 0.0,
        "positives_right": float((dec[~neg] == y[~neg]).mean()) if (~neg).any() else 0.0,
        "decisive": float(decisive.mean()),
    }


def claim_runs(
    rows: list[dict[str, Any]], probs: np.ndarray, head: RelevanceHead
) -> tuple[list[str], list[Any]]:
    """Each claim end to end over its candidates, with and without its gold evidence."""
    by: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by[r["group"]].append(i)
    gold, verdicts = [], []
    for _, idx in sorted(by.items()):
        claim = rows[idx[0]]["claim"]
        label = next((rows[i]["label"] for i in idx if rows[i]["kind"] == "gold"), None)
        negs = [i for i in idx if rows[i]["kind"] != "gold"]
        versions = [(label, idx), ("NOT ENOUGH INFO", negs)] if label else [("NOT ENOUGH INFO", idx)]
        for g, members in versions:
            if not members:
                continue
            v = aggregate(claim, [_scored(rows[i], probs[i]) for i in members], [], head=head)
            gold.append(GOLD_VERDICT[g])
            verdicts.append(v)
    return gold, verdicts


def _kind(label: str) -> str:
    return "nee" if label == NEE else "decisive"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "runs" / "vhead")
    ap.add_argument("--precision", type=float, default=0.95)
    ap.add_argument("--max-negatives-decisive", type=float, default=0.01)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--ship", action="store_true")
    ap.add_argument("--kinds", nargs="+", default=["gold", "other_claim", "same_subject", "retrieved"],
                    help="pair kinds to train and choose on (default: all)")
    args = ap.parse_args(argv)
    rows = [r for r in read_jsonl(args.out / "train_pairs.jsonl") if r["kind"] in args.kinds]
    probs = verifier_probs(rows, args.out / "verifier_probs.json")
    t0 = time.time()
    x = feature_matrix(rows, probs)
    y = np.array([LABEL_INDEX[r["label"]] for r in rows])
    print(f"features for {len(rows)} pairs in {time.time() - t0:.0f} s", flush=True)
    group_ids = sorted({r["group"] for r in rows})
    rng = random.Random(SEED)
    rng.shuffle(group_ids)
    n_test = len(group_ids) // 5
    test_groups = set(group_ids[:n_test])
    fold_of = {g: i % args.folds for i, g in enumerate(group_ids[n_test:])}
    tr = np.array([r["group"] not in test_groups for r in rows])
    te = ~tr
    fold = np.array([fold_of.get(r["group"], -1) for r in rows])

    # 1. regularisation by grouped cross-validation
    cv_loss = {}
    for c in C_GRID:
        losses = []
        for f in range(args.folds):
            fit = tr & (fold != f)
            val = tr & (fold == f)
            losses.append(log_loss(fit_multinomial(x[fit], y[fit], c), x[val], y[val]) * val.sum())
        cv_loss[c] = sum(losses) / tr.sum()
        print(f"C={c}: CV log-loss {cv_loss[c]:.4f}", flush=True)
    best_c = min(cv_loss, key=lambda c: (round(cv_loss[c], 4), c))

    # 2. out-of-fold heads → threshold
    heads = {f: fit_multinomial(x[tr & (fold != f)], y[tr & (fold != f)], best_c) for f in range(args.folds)}
    oof_final = np.zeros((len(rows), 3))
    for f, h in heads.items():
        idx = np.where(tr & (fold == f))[0]
        oof_final[idx] = sentence_probs([rows[i] for i in idx], probs[idx], h)
    grid = [round(float(t), 3) for t in np.arange(0.30, 0.991, 0.01)]
    table = []
    chosen = None
    kinds_arr = np.array([r["kind"] for r in rows])
    # The criterion mirrors the targets: precision over real evidence + other claims' evidence
    # (FEVER-Symmetric + mismatched), and few other-claim negatives decisive (mismatched <= 1%).
    crit = tr & np.isin(kinds_arr, ["gold", "other_claim"])
    for t in grid:
        dec = pair_decisions(oof_final, t)
        st = pair_stats(dec[crit], y[crit])
        row = {"threshold": t, **{k: round(v, 4) for k, v in st.items()}}
        for kind in ("other_claim", "same_subject", "retrieved"):
            m = tr & (kinds_arr == kind)
            row[f"{kind}_decisive"] = round(float((dec[m] != 2).mean()), 4)
        row["all_pairs_precision"] = round(pair_stats(dec[tr], y[tr])["decisive_precision"], 4)
        table.append(row)
        if (chosen is None and st["decisive_precision"] >= args.precision
                and st["negatives_decisive"] <= args.max_negatives_decisive):
            chosen = t
    threshold = chosen if chosen is not None else grid[-1]
    print(f"chosen C={best_c}, threshold={threshold}", flush=True)

    # 3. claim-level calibrator on out-of-fold claims
    gold_all, conf_all, kind_all, ok_all = [], [], [], []
    for f, h in heads.items():
        h.threshold = threshold
        idx = np.where(tr & (fold == f))[0]
        gold, verdicts = claim_runs([rows[i] for i in idx], probs[idx], h)
        for g, v in zip(gold, verdicts, strict=True):
            gold_all.append(g)
            conf_all.append(v.confidence)
            kind_all.append(_kind(v.label))
            ok_all.append(float(v.label == g))
    conf_a, ok_a, kind_a = np.array(conf_all), np.array(ok_all), np.array(kind_all)
    calibrator = {k: fit_platt(conf_a[kind_a == k], ok_a[kind_a == k]) for k in ("decisive", "nee")
                  if (kind_a == k).sum() >= 20}

    # final head on all the choosing data; report once on the held-out 20%
    head = fit_multinomial(x[tr], y[tr], best_c)
    head.threshold = threshold
    head.calibrator = calibrator
    test_final = sentence_probs([rows[i] for i in np.where(te)[0]], probs[te], head)
    test_dec = pair_decisions(test_final, threshold)
    test_kinds = kinds_arr[te]
    test_pairs = pair_stats(test_dec, y[te])
    test_crit = np.isin(test_kinds, ["gold", "other_claim"])
    test_pairs["gold_plus_other_claim_precision"] = pair_stats(test_dec[test_crit], y[te][test_crit])[
        "decisive_precision"]
    for kind in ("other_claim", "same_subject", "retrieved"):
        test_pairs[f"{kind}_decisive"] = float((test_dec[test_kinds == kind] != 2).mean())
    gold_t, verdicts_t = claim_runs([rows[i] for i in np.where(te)[0]], probs[te], head)
    ok_t = [v.label == g for g, v in zip(gold_t, verdicts_t, strict=True)]
    conf_t = [v.confidence for v in verdicts_t]
    claim_metrics = calibration_metrics(conf_t, ok_t, bootstrap=1000)
    claim_metrics["accuracy"] = round(float(np.mean(ok_t)), 4)
    claim_metrics["decisive"] = round(float(np.mean([v.label != NEE for v in verdicts_t])), 4)
    kinds = defaultdict(int)
    for r in rows:
        kinds[r["kind"]] += 1
    head.meta = {
        "C": best_c,
        "cv_log_loss": {str(k): round(v, 5) for k, v in cv_loss.items()},
        "threshold_rule": f"smallest threshold with out-of-fold decisive precision >= {args.precision} over "
                          f"gold + other-claim pairs and <= {args.max_negatives_decisive:.0%} of other-claim "
                          "negatives decisive",
        "threshold_table": [r for r in table
                            if r["threshold"] in (0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, threshold)],
        "training_pairs": len(rows),
        "training_pair_kinds": dict(kinds),
        "claims": len(group_ids),
        "heldout_claims": n_test,
        "heldout_pairs": test_pairs | {"n": int(te.sum())},
        "heldout_claim_level": claim_metrics | {"n": len(ok_t)},
        "calibrator_fit_on": f"{len(ok_all)} out-of-fold claim runs",
        "seed": SEED,
        "verifier_sha256": json.loads(
            (REPO / "src/factaudit/models/files/verifier.json").read_text(encoding="utf-8"))["sha256"],
        "features": list(FEATURES),
        "created": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps({k: v for k, v in head.meta.items() if k != "threshold_table"}, indent=1))
    for r in head.meta["threshold_table"]:
        print(r)
    print("coefficients (standardised):")
    for j, name in enumerate(FEATURES):
        print(f"  {name:26s} S {head.coef[0, j]:+.3f}  R {head.coef[1, j]:+.3f}  N {head.coef[2, j]:+.3f}")
    (args.out / "verification_head.json").write_text(json.dumps(head.to_dict(), indent=1) + "\n")
    if args.ship:
        HEAD_FILE.write_text(json.dumps(head.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {HEAD_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
