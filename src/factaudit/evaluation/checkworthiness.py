"""Evaluate the check-worthiness scorer on a labelled TSV.

Two formats are read, told apart by the header:

* CheckThat! 2024 (CT24): ``Sentence_id``, ``Text``, ``class_label`` (``Yes`` / ``No``);
* CLEF 2020 task 1 (tweets): ``tweet_text``, ``check_worthiness`` (``1`` / ``0``).

Scores are for the positive (``Yes``) class at the model's shipped threshold.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError

if TYPE_CHECKING:
    from ..models.checkworthiness import CheckworthinessModel

_FORMATS: dict[str, tuple[str, str, frozenset[str]]] = {
    # name: (text column, label column, labels meaning "check-worthy")
    "ct24": ("Text", "class_label", frozenset({"yes"})),
    "clef2020": ("tweet_text", "check_worthiness", frozenset({"1"})),
}
_NEGATIVE = frozenset({"no", "0"})


def read_labelled_tsv(tsv_path: Path) -> tuple[list[str], np.ndarray, str]:
    """Texts, 0/1 gold labels (1 = check-worthy) and the detected format name."""
    path = Path(tsv_path)
    if not path.is_file():
        raise InputError(f"no such TSV file: {path}")
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            header = reader.fieldnames or []
            fmt = next(
                (name for name, (t, lab, _) in _FORMATS.items() if t in header and lab in header), None
            )
            if fmt is None:
                raise InputError(
                    f"{path}: expected columns Text + class_label (CT24) or tweet_text + "
                    f"check_worthiness (CLEF 2020); found {', '.join(header) or 'no header'}"
                )
            text_col, label_col, positive = _FORMATS[fmt]
            texts: list[str] = []
            labels: list[int] = []
            for lineno, row in enumerate(reader, start=2):
                text = (row.get(text_col) or "").strip()
                label = (row.get(label_col) or "").strip().lower()
                if label not in positive and label not in _NEGATIVE:
                    raise InputError(f"{path}:{lineno}: unknown label {row.get(label_col)!r}")
                texts.append(text)
                labels.append(1 if label in positive else 0)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise InputError(f"{path}: malformed TSV ({exc})") from exc
    if not texts:
        raise InputError(f"{path}: no rows")
    return texts, np.asarray(labels, dtype=np.int64), fmt


def precision_recall_f1(gold: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class (0.0 where undefined)."""
    gold = np.asarray(gold).astype(bool)
    predicted = np.asarray(predicted).astype(bool)
    tp = float(np.sum(gold & predicted))
    precision = tp / float(predicted.sum()) if predicted.any() else 0.0
    recall = tp / float(gold.sum()) if gold.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_f1_threshold(gold: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """The threshold on ``scores`` that maximises positive-class F1, and that F1.

    The threshold is the midpoint between the last accepted score and the next one down, so it
    does not sit exactly on a training score.
    """
    gold = np.asarray(gold).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-scores, kind="stable")
    s, g = scores[order], gold[order]
    tp = np.cumsum(g)
    k = np.arange(1, len(s) + 1)
    # Only cut where the next score differs (ties go together).
    cut = np.r_[s[1:] != s[:-1], True]
    f1 = np.where(cut, 2 * tp / (k + g.sum()), -1.0)
    i = int(np.argmax(f1))
    threshold = float((s[i] + s[i + 1]) / 2) if i + 1 < len(s) else float(s[i])
    return threshold, float(f1[i])


def evaluate_scores(gold: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, Any]:
    """P/R/F1 of the positive class for scores at ``threshold`` (score >= threshold is Yes)."""
    p, r, f = precision_recall_f1(gold, np.asarray(scores) >= threshold)
    return {"precision": p, "recall": r, "f1": f, "n": len(gold), "threshold": float(threshold)}


def evaluate_checkworthiness(
    tsv_path: Path, model: CheckworthinessModel | None = None, *, threshold: float | None = None
) -> dict[str, Any]:
    """Score a CT24- or CLEF2020-format TSV; ``{"precision","recall","f1","n","threshold"}`` (Yes class).

    ``model`` defaults to the shipped model (:func:`factaudit.models.checkworthiness.get_model`);
    ``threshold`` defaults to the model's tuned threshold.
    """
    texts, gold, fmt = read_labelled_tsv(tsv_path)
    if model is None:
        from ..models.checkworthiness import get_model

        model = get_model()
    scores = model.score(texts)
    result = evaluate_scores(gold, scores, model.threshold if threshold is None else threshold)
    result["format"] = fmt
    return result


def evaluate_many(paths: Sequence[Path], model: CheckworthinessModel | None = None) -> dict[str, Any]:
    """:func:`evaluate_checkworthiness` for several files, keyed by file stem."""
    return {Path(p).stem: evaluate_checkworthiness(Path(p), model) for p in paths}
