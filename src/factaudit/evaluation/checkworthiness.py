"""Evaluate the check-worthiness scorer on a labelled TSV.

Two formats are read, told apart by the header:

* CheckThat! 2024 (CT24): ``Sentence_id``, ``Text``, ``class_label`` (``Yes`` / ``No``);
* CLEF 2020 task 1 (tweets): ``tweet_text``, ``check_worthiness`` (``1`` / ``0``); the official
  *test* file names the label column ``claim_worthiness``, which is read the same way.

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

_FORMATS: dict[str, tuple[str, tuple[str, ...], frozenset[str]]] = {
    # name: (text column, label column spellings in order of preference, labels meaning "check-worthy")
    "ct24": ("Text", ("class_label",), frozenset({"yes"})),
    "clef2020": ("tweet_text", ("check_worthiness", "claim_worthiness"), frozenset({"1"})),
}
_NEGATIVE = frozenset({"no", "0"})


def _detect_format(header: Sequence[str]) -> tuple[str, str, str, frozenset[str]] | None:
    """``(format name, text column, label column, positive labels)`` for a TSV header, or None."""
    for name, (text_col, label_cols, positive) in _FORMATS.items():
        label_col = next((c for c in label_cols if c in header), None)
        if text_col in header and label_col is not None:
            return name, text_col, label_col, positive
    return None


def read_labelled_tsv(tsv_path: Path) -> tuple[list[str], np.ndarray, str]:
    """Texts, 0/1 gold labels (1 = check-worthy) and the detected format name."""
    path = Path(tsv_path)
    if not path.is_file():
        raise InputError(f"no such TSV file: {path}")
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            header = reader.fieldnames or []
            found = _detect_format(header)
            if found is None:
                raise InputError(
                    f"{path}: expected columns Text + class_label (CT24) or tweet_text + "
                    f"check_worthiness or claim_worthiness (CLEF 2020); "
                    f"found {', '.join(header) or 'no header'}"
                )
            fmt, text_col, label_col, positive = found
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


# --- Debate-grouped splits of CT24 train -------------------------------------------------------
#
# CT24's Sentence_id values are ClaimBuster sentence ids: sequential within a debate, in spoken
# order, with the debates one after another. The file has no debate column. ClaimBuster keeps only
# candidates' sentences of five words or more, so a debate's opening (moderator's introduction, the
# rules) leaves a run of missing ids: every gap of more than 20 ids in ids 0-34,458 falls between a
# closing statement ("I'm asking for your vote", "Thank you, and good night.") and an opening one
# ("thank you, Jim ... University of Denver"), except two checked by reading the text (7,356-7,388
# and 25,724-25,743, pauses inside the 2004 and 1996 debates, so not boundaries). Two debates
# start after a shorter gap, found the same way: 8,109 (Kennedy's 1960 opening, "In the election
# of 1860 ...") and 15,483 (Dukakis, 1988: "I've opposed the death penalty ..."). The 1960
# debates' pieces (7,581-8,624 and 12,511-13,544) are one group: their order in the ids is not
# clear from the text. Ids from 37,436 on are a sparse sample (297 train rows) of the 2020
# debates: one group. Gaps and text were inspected on train + dev together.
CT24_DEBATE_STARTS: tuple[int, ...] = (
    0, 1004, 1654, 2792, 3423, 5487, 6449, 7581, 8109, 8660, 9126, 10437, 11396, 12511, 13080,
    13592, 14809, 15483, 16439, 17087, 17959, 19089, 20199, 21303, 22551, 23820, 24900, 25680,
    26903, 28031, 29101, 31839, 33143, 37436,
)
#: Debates (by start id) merged into one group with an earlier one: the 1960 debates.
CT24_MERGED: dict[int, int] = {8109: 7581, 12511: 7581, 13080: 7581}


def read_ct24_ids(tsv_path: Path) -> np.ndarray:
    """The ``Sentence_id`` column of a CT24 TSV, in file order (int64)."""
    path = Path(tsv_path)
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        if "Sentence_id" not in (reader.fieldnames or []):
            raise InputError(f"{path}: no Sentence_id column (not a CT24 file)")
        return np.asarray([int(row["Sentence_id"]) for row in reader], dtype=np.int64)


def ct24_debate_groups(ids: np.ndarray) -> np.ndarray:
    """Group number (the start id of its debate, after :data:`CT24_MERGED`) for each sentence id."""
    starts = np.asarray(CT24_DEBATE_STARTS, dtype=np.int64)
    first = starts[np.searchsorted(starts, np.asarray(ids, dtype=np.int64), side="right") - 1]
    return np.asarray([CT24_MERGED.get(int(s), int(s)) for s in first], dtype=np.int64)


def grouped_split(
    groups: np.ndarray, *, test_fraction: float = 0.2, val_fraction: float = 0.15, seed: int = 0
) -> np.ndarray:
    """``"train"`` / ``"val"`` / ``"test"`` per row, whole groups at a time.

    Groups are shuffled with ``seed`` and dealt to test until it holds ``test_fraction`` of the rows,
    then to val until ``val_fraction``; the rest train. Deterministic for a given ``groups`` and seed.
    """
    groups = np.asarray(groups)
    uniq, counts = np.unique(groups, return_counts=True)
    order = np.random.default_rng(seed).permutation(len(uniq))
    out = np.full(len(groups), "train", dtype=object)
    n, filled = len(groups), {"test": 0, "val": 0}
    for k in order:
        for part, frac in (("test", test_fraction), ("val", val_fraction)):
            if filled[part] < frac * n:
                out[groups == uniq[k]] = part
                filled[part] += int(counts[k])
                break
    return out
