"""``factaudit eval``: score the check-worthiness model and the verifier on labelled data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ._app import eval_app

__all__ = ["eval_checkworthiness", "eval_claim_matching", "eval_climate_fever", "eval_verification"]

@eval_app.command("checkworthiness")
def eval_checkworthiness(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="CT24-format TSV (Sentence_id, Text, class_label) or CLEF 2020 task 1 TSV (tweet_text, "
            "check_worthiness or claim_worthiness).",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Precision, recall and F1 of the Yes class on a check-worthiness TSV."""
    from ..evaluation.checkworthiness import evaluate_checkworthiness

    res = evaluate_checkworthiness(data)
    if as_json:
        typer.echo(json.dumps(res))
    else:
        typer.echo(
            f"n={res['n']}  precision={res['precision']:.4f}  recall={res['recall']:.4f}  "
            f"f1={res['f1']:.4f}  (threshold {res.get('threshold', 0):.3f})"
        )


def _print_eval(res: dict[str, object], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(res))
        return
    typer.echo("  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in res.items()))


@eval_app.command("verification")
def eval_verification(
    data: Annotated[
        Path, typer.Option("--data", help="FEVER-Symmetric-style JSONL (claim, evidence, label).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    predictions: Annotated[
        Path | None, typer.Option(help="Also write FEVER-format predictions here.")
    ] = None,
    verifier_model: Annotated[
        str | None, typer.Option(help="A local model folder or hub id to score instead of the shipped one.")
    ] = None,
) -> None:
    """Accuracy, macro-F1 and ECE of the verifier on claim + gold evidence pairs."""
    from ..evaluation.verification import evaluate_pairs

    _print_eval(evaluate_pairs(data, verifier=_eval_verifier(verifier_model), predictions=predictions),
                as_json)


@eval_app.command("climate-fever")
def eval_climate_fever(
    data: Annotated[
        Path, typer.Option("--data", help="Climate-FEVER-style JSONL (claim, claim_label, evidences).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    predictions: Annotated[Path | None, typer.Option(help="Also write predictions JSONL here.")] = None,
    verifier_model: Annotated[
        str | None, typer.Option(help="A local model folder or hub id to score instead of the shipped one.")
    ] = None,
) -> None:
    """End to end: pooled evidence → retrieval → claim verdicts; macro-F1 over 3 labels."""
    from ..evaluation.verification import evaluate_climate_fever

    verifier = _eval_verifier(verifier_model)
    _print_eval(evaluate_climate_fever(data, verifier=verifier, predictions=predictions), as_json)


def _eval_verifier(spec: str | None) -> Any:
    from ..models.hub import load_verifier

    return load_verifier(spec)



@eval_app.command("claim-matching")
def eval_claim_matching(
    queries: Annotated[Path, typer.Option("--queries", help="Queries TSV: tweet_id, tweet_content.")],
    qrels: Annotated[Path, typer.Option("--qrels", help="TREC qrels: tweet_id 0 vclaim_id 1.")],
    claims: Annotated[Path, typer.Option("--claims", help="Verified claims TSV: vclaim_id, vclaim, title.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: Annotated[
        str | None, typer.Option("--model", help="A claim matcher folder instead of the shipped one.")
    ] = None,
    mode: Annotated[
        str, typer.Option("--mode", help="rerank (default), first_stage or bm25 (the task's baseline).")
    ] = "rerank",
) -> None:
    """MAP@1/3/5 and MRR of claim matching in the CheckThat! 2020 task 2 format."""
    from ..errors import InputError
    from ..evaluation.claim_matching import evaluate_claim_matching

    if mode not in ("rerank", "first_stage", "bm25"):
        raise InputError(f"unknown --mode {mode!r}: use rerank, first_stage or bm25")
    res = evaluate_claim_matching(queries, qrels, claims, matcher_model=model, mode=mode)
    res.pop("per_query", None)
    _print_eval(res, as_json)
