"""``factaudit train``: fine-tune the check-worthiness model and the claim–evidence verifier (needs
the ``train`` extra)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ._app import train_app

__all__ = ["train_checkworthiness", "train_verifier"]

@train_app.command("checkworthiness")
def train_checkworthiness(
    data: Annotated[Path, typer.Option("--data", help="CT24-format training TSV.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (checkpoints, ONNX, card).")],
    epochs: Annotated[int, typer.Option(min=1)] = 3,
) -> None:
    """Fine-tune the check-worthiness model (resumes from checkpoints in --out)."""
    try:
        from ..training.checkworthiness import train_checkworthiness as train
    except ImportError as exc:
        raise InputError("training needs the 'train' extra: pip install 'factaudit[train]'") from exc
    res = train(data, out, epochs=epochs)
    typer.echo(json.dumps(res, indent=2, default=str))


@train_app.command(
    "verifier", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def train_verifier(
    ctx: typer.Context,
    step: Annotated[str, typer.Argument(help="prepare, train, export or all.")] = "all",
    out: Annotated[Path, typer.Option("--out", help="Work folder (data mix, checkpoints, ONNX).")] = Path(
        "runs/verifier"
    ),
) -> None:
    """Train the claim–evidence verifier: prepare the NLI mix, fine-tune, export int8 ONNX.

    Every step resumes from what --out holds. Further options (--nli, --epochs, --max-steps,
    --time-limit-min, --ship, ...) are those of 'python -m factaudit.training.verifier --help'.
    """
    if step not in ("prepare", "train", "export", "all"):
        raise InputError(f"unknown step {step!r}: use prepare, train, export or all")
    try:
        from ..training.verifier import main as verifier_main

        code = verifier_main([step, "--out", str(out), *ctx.args])
    except ImportError as exc:
        raise InputError(
            f"training needs the 'train' extra: pip install 'factaudit[train]' ({exc.name} is missing)"
        ) from exc
    except OSError as exc:
        raise InputError(f"cannot train the verifier in {out}: {exc}") from exc
    raise typer.Exit(code)
