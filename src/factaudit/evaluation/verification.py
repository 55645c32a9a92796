"""Score the verifier on labelled data in the shared formats, so users can evaluate on their own.

- :func:`evaluate_pairs` — FEVER-Symmetric-style JSONL (claim + one gold evidence sentence, label
  SUPPORTS / REFUTES [/ NOT ENOUGH INFO]): the system's verdict on the pair (model + relevance head +
  rules + aggregation) against the gold label; a NOT ENOUGH EVIDENCE prediction counts as wrong
  (right for gold NOT ENOUGH INFO). FEVER's
  PTB tokenisation (``-LRB-``, `` `` ``, spaces before punctuation) is undone first, as factaudit
  reads ordinary text (:func:`ptb_detok`; plain text passes through unchanged).
- :func:`evaluate_climate_fever` — Climate-FEVER-style JSONL, end to end: all evidence sentences in
  the file are pooled into a temporary evidence store, each claim retrieves from the pool and gets a
  claim-level verdict; macro-F1 over SUPPORTS / REFUTES / NOT_ENOUGH_INFO (CONFLICTING counts as
  NOT_ENOUGH_INFO); DISPUTED claims are reported separately.
Both report accuracy, macro-F1, ECE (15 bins on the verdict confidence), n, ``decisive`` (share given
SUPPORTED / REFUTED), ``decisive_precision``, and NLL, Brier score and risk–coverage area of the
confidence read as P(verdict right) (:func:`calibration_metrics`, with bootstrap intervals on request).
"""

from __future__ import annotations

import json
import math
import random
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..document import Evidence
from ..errors import InputError
from ..verification import DEFAULT_HEAD, NEE, REFUTED, SUPPORTED, Scored, aggregate, premise

GOLD = {
    "SUPPORTS": SUPPORTED,
    "SUPPORTED": SUPPORTED,
    "REFUTES": REFUTED,
    "REFUTED": REFUTED,
    "NOT ENOUGH INFO": NEE,
    "NOT_ENOUGH_INFO": NEE,
    "NOT ENOUGH EVIDENCE": NEE,
    "NEI": NEE,
}
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
        "-COLON-": ":", "``": '"', "''": '"'}


def ptb_detok(text: str) -> str:
    """Undo FEVER's PTB tokenisation: bracket tokens, quotes, spaces before punctuation."""
    for tok, rep in _PTB.items():
        text = text.replace(tok, rep)
    text = re.sub(r"\s+([.,;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$])\s+", r"\1", text)
    text = re.sub(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return re.sub(r"\s+--\s+", " – ", text).strip()


FEVER_NAMES = {
    SUPPORTED: "SUPPORTS",
    REFUTED: "REFUTES",
    NEE: "NOT ENOUGH INFO",
    "CONFLICTING": "NOT ENOUGH INFO",
}


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {n} is not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise InputError(f"{path}: line {n} is not a JSON object")
            yield n, row


def ece(confidence: list[float], correct: list[bool], n_bins: int = 15) -> float:
    """Expected calibration error with equal-width bins."""
    if not confidence:
        return 0.0
    total = len(confidence)
    err = 0.0
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        idx = [i for i, c in enumerate(confidence) if (lo < c <= hi) or (b == 0 and c == 0.0)]
        if idx:
            acc = sum(correct[i] for i in idx) / len(idx)
            conf = sum(confidence[i] for i in idx) / len(idx)
            err += len(idx) / total * abs(acc - conf)
    return err


def risk_coverage_area(confidence: Sequence[float], correct: Sequence[bool]) -> float:
    """Area under the risk–coverage curve: answer the most confident first; the mean, over every
    coverage k/n, of the error rate among the k answered (lower is better; 0 is perfect)."""
    if not confidence:
        return 0.0
    order = sorted(range(len(confidence)), key=lambda i: -confidence[i])
    wrong = 0
    total = 0.0
    for k, i in enumerate(order, 1):
        wrong += 0 if correct[i] else 1
        total += wrong / k
    return total / len(order)


def _cal(conf: Sequence[float], ok: Sequence[bool]) -> dict[str, float]:
    eps = 1e-6
    n = len(conf) or 1
    nll = -sum(math.log(max(eps, c if o else 1 - c)) for c, o in zip(conf, ok, strict=True)) / n
    brier = sum((c - (1.0 if o else 0.0)) ** 2 for c, o in zip(conf, ok, strict=True)) / n
    return {"ece": ece(list(conf), list(ok)), "nll": nll, "brier": brier,
            "aurc": risk_coverage_area(conf, ok)}


def calibration_metrics(
    confidence: Sequence[float], correct: Sequence[bool], *, bootstrap: int = 0, seed: int = 0
) -> dict[str, Any]:
    """ECE, NLL and Brier score of the shown confidence read as P(verdict right), and the
    risk–coverage area; with ``bootstrap`` > 0, 95% percentile intervals from that many resamples."""
    conf = [min(1.0, max(0.0, float(c))) for c in confidence]
    ok = [bool(x) for x in correct]
    out: dict[str, Any] = {k: round(v, 4) for k, v in _cal(conf, ok).items()}
    if bootstrap and conf:
        rng = random.Random(seed)
        draws: dict[str, list[float]] = {k: [] for k in out}
        n = len(conf)
        for _ in range(bootstrap):
            idx = [rng.randrange(n) for _ in range(n)]
            for k, v in _cal([conf[i] for i in idx], [ok[i] for i in idx]).items():
                draws[k].append(v)
        for k, vals in draws.items():
            vals.sort()
            out[f"{k}_ci95"] = [round(vals[int(0.025 * (len(vals) - 1))], 4),
                                round(vals[int(0.975 * (len(vals) - 1))], 4)]
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    scores = []
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def evaluate_pairs(
    path: Path, verifier: Any = None, predictions: Path | None = None, *, head: Any = DEFAULT_HEAD
) -> dict[str, Any]:
    """FEVER-Symmetric-style evaluation (see the module docstring).

    Keys: ``accuracy`` (system verdict = gold; gold NOT ENOUGH INFO is right when the verdict is NOT
    ENOUGH EVIDENCE), ``macro_f1``, ``ece`` (of the shown confidence), ``n``, ``accuracy_argmax``
    (the verifier's 3-way argmax alone), ``accuracy_2way`` (the verifier's choice between SUPPORTS
    and REFUTES only, on rows whose gold is one of them: how FEVER-Symmetric is scored in the
    literature), ``decisive`` (share of pairs given SUPPORTED or REFUTED), ``decisive_precision``
    (share of those that are right), ``nll`` / ``brier`` / ``aurc`` (the confidence read as
    P(verdict right); risk–coverage area), ``predicted`` (verdict counts). A row may carry a
    ``title`` (the evidence's page); without one the sentence's page subject is unknown.
    """
    from ..models.verifier import get_verifier

    verifier = verifier or get_verifier()
    rows = []
    for n, row in _rows(path):
        claim = row.get("claim") or row.get("sentence2")
        evidence = row.get("evidence") or row.get("sentence1")
        label = str(row.get("label") or row.get("gold_label") or "").upper()
        title = row.get("title") if isinstance(row.get("title"), str) else None
        if not isinstance(claim, str) or not isinstance(evidence, str) or label not in GOLD:
            raise InputError(f"{path}: line {n} needs claim, evidence and a SUPPORTS/REFUTES label")
        rows.append((row.get("id", n), ptb_detok(claim), ptb_detok(evidence), GOLD[label], title))
    if not rows:
        raise InputError(f"{path}: no rows")
    probs = verifier.predict([(premise(ev, title), claim) for _, claim, ev, _, title in rows])
    gold, pred, conf, argmax_ok, two_way_ok = [], [], [], [], []
    preds_out = []
    for (rid, claim, ev, g, title), p in zip(rows, probs, strict=True):
        s = Scored(Evidence(source=title or "evidence", passage=ev, quote=ev),
                   (float(p[0]), float(p[1]), float(p[2])), title=title, untitled=title is None)
        v = aggregate(claim, [s], searched=[], head=head)
        gold.append(g)
        pred.append(v.label)
        conf.append(v.confidence)
        argmax_ok.append((SUPPORTED, REFUTED, NEE)[int(max(range(3), key=lambda i: p[i]))] == g)
        if g in (SUPPORTED, REFUTED):
            two_way_ok.append((SUPPORTED if p[0] >= p[1] else REFUTED) == g)
        preds_out.append({"id": rid, "predicted_label": FEVER_NAMES[v.label], "confidence": v.confidence,
                          "rule": s.evidence.rule})
    correct = [g == p for g, p in zip(gold, pred, strict=True)]
    decisive = [p in (SUPPORTED, REFUTED) for p in pred]
    n_dec = sum(decisive)
    labels = sorted(set(gold))
    cal = calibration_metrics(conf, correct)
    res = {
        "accuracy": sum(correct) / len(correct),
        "macro_f1": macro_f1(gold, pred, labels),
        "ece": ece(conf, correct),
        "n": len(rows),
        "accuracy_argmax": sum(argmax_ok) / len(argmax_ok),
        "accuracy_2way": sum(two_way_ok) / len(two_way_ok) if two_way_ok else None,
        "decisive": n_dec / len(pred),
        "decisive_precision": (sum(c for c, d in zip(correct, decisive, strict=True) if d) / n_dec
                               if n_dec else None),
        "nll": cal["nll"],
        "brier": cal["brier"],
        "aurc": cal["aurc"],
        "predicted": dict(Counter(pred)),
    }
    if predictions is not None:
        predictions.write_text("".join(json.dumps(x) + "\n" for x in preds_out), encoding="utf-8")
    return res


def evaluate_climate_fever(
    path: Path, verifier: Any = None, k: int = 5, predictions: Path | None = None
) -> dict[str, Any]:
    """Climate-FEVER-style end-to-end evaluation (see the module docstring)."""
    from ..checking import verify_claims
    from ..evidence.retrieve import Retriever
    from ..evidence.store import EvidenceStore, SourceDocument
    from ..models.verifier import get_verifier

    verifier = verifier or get_verifier()
    claims: list[tuple[Any, str, str]] = []
    docs: dict[str, SourceDocument] = {}
    for n, row in _rows(path):
        claim, label = row.get("claim"), str(row.get("claim_label", "")).upper()
        evs = row.get("evidences")
        if not isinstance(claim, str) or not isinstance(evs, list) or not label:
            raise InputError(f"{path}: line {n} needs claim, claim_label and evidences")
        claims.append((row.get("claim_id", n), claim, label))
        for ev in evs:
            if isinstance(ev, dict) and isinstance(ev.get("evidence"), str):
                key = str(ev.get("evidence_id") or ev["evidence"][:80])
                docs.setdefault(key, SourceDocument(text=ev["evidence"], title=ev.get("article"), key=key))
    if not claims:
        raise InputError(f"{path}: no claims")
    with tempfile.TemporaryDirectory(prefix="factaudit-eval-") as tmp:
        store = EvidenceStore(Path(tmp) / "store", create=True)
        try:
            store.add_documents(docs.values(), corpus=path.stem, total=len(docs))
            verdicts = verify_claims(
                [c for _, c, _ in claims], Retriever(store), verifier, k=k, packs=[path.stem]
            )
        finally:
            store.close()
    to_cf = {
        SUPPORTED: "SUPPORTS",
        REFUTED: "REFUTES",
        NEE: "NOT_ENOUGH_INFO",
        "CONFLICTING": "NOT_ENOUGH_INFO",
    }
    gold, pred, conf = [], [], []
    disputed: Counter[str] = Counter()
    out = []
    for (cid, _, label), v in zip(claims, verdicts, strict=True):
        out.append(
            {"id": cid, "predicted_label": to_cf[v.label], "verdict": v.label, "confidence": v.confidence}
        )
        if label == "DISPUTED":
            disputed[v.label] += 1
            continue
        gold.append(label)
        pred.append(to_cf[v.label])
        conf.append(v.confidence)
    correct = [g == p for g, p in zip(gold, pred, strict=True)]
    decisive = [p in ("SUPPORTS", "REFUTES") for p in pred]
    n_dec = sum(decisive)
    cal = calibration_metrics(conf, correct)
    res = {
        "accuracy": sum(correct) / len(correct) if correct else 0.0,
        "macro_f1": macro_f1(gold, pred, ["SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO"]),
        "ece": ece(conf, correct),
        "n": len(gold),
        "decisive": n_dec / len(pred) if pred else 0.0,
        "decisive_precision": (sum(c for c, d in zip(correct, decisive, strict=True) if d) / n_dec
                               if n_dec else None),
        "nll": cal["nll"],
        "brier": cal["brier"],
        "aurc": cal["aurc"],
        "disputed": {"n": sum(disputed.values()), "verdicts": dict(disputed)},
        "predicted": dict(Counter(pred)),
    }
    if predictions is not None:
        predictions.write_text("".join(json.dumps(x) + "\n" for x in out), encoding="utf-8")
    return res
