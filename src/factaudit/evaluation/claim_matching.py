"""Claim matching in the CheckThat! 2020 task 2 format: rank verified claims for each query.

Files (tab-separated, UTF-8, a header line, CSV-style quotes):

* queries — ``tweet_id  tweet_content``;
* qrels — ``tweet_id  0  vclaim_id  1`` (TREC), one line per relevant pair;
* claims — ``vclaim_id  vclaim  title``.

:func:`evaluate_claim_matching` builds a temporary fact-check library from the claims (the claim as
the passage, the title in the BM25 title field, as the task's BM25 baseline does), ranks every
query with :class:`factaudit.factchecks.match.Matcher` and scores the rankings: MAP@1/3/5 and MRR
(over the whole ranking the matcher returns), each query counted once (n).
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import EmptyInputError, InputError

__all__ = [
    "average_precision_at",
    "evaluate_claim_matching",
    "read_claims",
    "read_qrels",
    "read_queries",
    "score_rankings",
]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _rows(path: Path) -> list[list[str]]:
    try:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except (OSError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read it as a TSV file ({exc})") from exc
    return [r for r in rows if r and any(c.strip() for c in r)]


def read_queries(path: Path) -> dict[str, str]:
    """``tweet_id → text`` (the header line, whose id is empty or not a number, is skipped)."""
    out: dict[str, str] = {}
    for r in _rows(path):
        if len(r) < 2 or not r[0].strip() or r[0].strip() in ("tweet_id", "id"):
            continue
        out[r[0].strip()] = r[1]
    if not out:
        raise EmptyInputError(f"{path}: no queries (expected tweet_id<TAB>tweet_content lines)")
    return out


def read_qrels(path: Path) -> dict[str, set[str]]:
    """``tweet_id → {relevant vclaim ids}`` from a TREC qrels file."""
    out: dict[str, set[str]] = defaultdict(set)
    for n, r in enumerate(_rows(path), 1):
        if len(r) == 1:
            r = r[0].split()
        if len(r) < 4:
            raise InputError(f"{path}:{n}: expected 'tweet_id 0 vclaim_id relevance', got {r!r}")
        if r[3].strip() not in ("0", "0.0"):
            out[r[0].strip()].add(r[2].strip())
    if not out:
        raise EmptyInputError(f"{path}: no relevant pairs")
    return dict(out)


def read_claims(path: Path) -> dict[str, tuple[str, str]]:
    """``vclaim_id → (vclaim, title)``."""
    out: dict[str, tuple[str, str]] = {}
    for r in _rows(path):
        if len(r) < 2 or not r[0].strip() or r[0].strip() == "vclaim_id":
            continue
        out[r[0].strip()] = (r[1].strip(), r[2].strip() if len(r) > 2 else "")
    if not out:
        raise EmptyInputError(f"{path}: no verified claims (expected vclaim_id<TAB>vclaim<TAB>title)")
    return out


def average_precision_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """AP@k as the CheckThat! 2020 scorer computes it: precision at each relevant rank ≤ k,
    divided by the number of relevant items."""
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k], 1):
        if item in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def _reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    for i, item in enumerate(ranked, 1):
        if item in relevant:
            return 1.0 / i
    return 0.0


def score_rankings(rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]]) -> dict[str, Any]:
    """MAP@1, MAP@3, MAP@5, MRR over the queries in ``qrels`` (a query with no ranking scores 0),
    plus the per-query AP@5 (for bootstrap intervals) under ``per_query``."""
    ids = sorted(qrels)
    if not ids:
        raise EmptyInputError("no queries with relevant claims to score")
    per = {q: average_precision_at(rankings.get(q, ()), qrels[q], 5) for q in ids}
    out: dict[str, Any] = {
        f"map_at_{k}": round(sum(average_precision_at(rankings.get(q, ()), qrels[q], k) for q in ids)
                             / len(ids), 4)
        for k in (1, 3, 5)
    }
    out["mrr"] = round(sum(_reciprocal_rank(rankings.get(q, ()), qrels[q]) for q in ids) / len(ids), 4)
    out["n"] = len(ids)
    out["per_query"] = per
    return out


def evaluate_claim_matching(
    queries_path: Path,
    qrels_path: Path,
    claims_path: Path,
    *,
    matcher_model: str | None = None,
    mode: str = "rerank",
    k: int = 10,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Rank the verified claims for every query that has qrels and score the rankings.

    ``mode``: ``rerank`` (first stage, then the cross-encoder on the candidates it lets through —
    for evaluation every query's top candidates are reranked), ``first_stage`` (the cheap score
    only) or ``bm25`` (BM25 over claim + title, the task's baseline).
    """
    from ..factchecks.library import FactCheck, FactCheckLibrary
    from ..factchecks.match import Matcher

    queries = read_queries(queries_path)
    qrels = read_qrels(qrels_path)
    claims = read_claims(claims_path)
    unknown = sorted({v for vs in qrels.values() for v in vs} - set(claims))
    if unknown:
        raise InputError(f"{qrels_path}: {len(unknown)} relevant claim ids are not in {claims_path} "
                         f"(e.g. {unknown[0]})")
    missing = sorted(set(qrels) - set(queries))
    if missing:
        raise InputError(
            f"{qrels_path}: {len(missing)} query ids are not in {queries_path} (e.g. {missing[0]})"
        )
    with tempfile.TemporaryDirectory(prefix="factaudit-cm-") as tmp:
        lib = FactCheckLibrary(Path(tmp) / "library", create=True)
        entries = (
            FactCheck(claim_reviewed=text, rating="unknown", url=f"urn:checkthat:vclaim:{vid}",
                      title=title or None, language="en")
            for vid, (text, title) in claims.items()
        )
        lib.import_entries(entries, source="checkthat2020-task2", detect_language=False)
        matcher = Matcher(lib, model=matcher_model)
        rankings: dict[str, list[str]] = {}
        ids = sorted(qrels)
        for n, q in enumerate(ids, 1):
            ranked = matcher.rank(queries[q], k=k, mode=mode)
            rankings[q] = [r.entry.url.rsplit(":", 1)[1] for r in ranked]
            if progress is not None:
                progress(n, len(ids))
        lib.close()
    return score_rankings(rankings, qrels)
