"""``factaudit eval``: score the check-worthiness model and the verifier on labelled data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ._app import eval_app

__all__ = ["eval_checkworthiness", "eval_climate_fever", "eval_verification"]

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

