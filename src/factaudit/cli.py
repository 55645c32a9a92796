"""The command line: a thin edge over the Auditor, the batch runner and the evaluators.

Errors the tool means (FactauditError) print one line ``error[CODE]: message`` on stderr and exit
with the documented code; nothing the user typed should ever produce a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import click
import typer

from . import __version__
from .errors import EXIT_CODES, FactauditError, InputError

EXIT_HELP = "\n".join(f"  {k:>3}  {v}" for k, v in EXIT_CODES.items())

app = typer.Typer(
    name="factaudit",
    help="Audit news articles offline: claims, who asserts them, how they are hedged and sourced.",
    epilog="Exit codes:\n\n" + EXIT_HELP.replace("\n", "\n\n"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(help="Score factaudit's models on your own labelled data.", no_args_is_help=True)
train_app = typer.Typer(help="Train factaudit's models (needs the 'train' extra).", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")

class Format(StrEnum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """factaudit command line."""


def _is_batch(sources: list[str]) -> bool:
    if len(sources) > 1:
        return True
    s = sources[0]
    return Path(s).is_dir() or s.lower().endswith(".jsonl")


@app.command()
def audit(
    sources: Annotated[list[str], typer.Argument(
        help="Files, URLs, '-' for stdin, directories, or JSONL files (one article per line).")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o",
        help="Write the report here (one article), or the folder for a batch's reports.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1,
                                      help="Parallel workers for a batch.")] = max(1, os.cpu_count() or 1),
    engine: Annotated[Engine, typer.Option(help="Batch engine: a local process pool, or Ray.")] = Engine.local,
    resume: Annotated[bool, typer.Option(help="Skip articles a previous batch run finished.")] = True,
    retry_errors: Annotated[bool, typer.Option(help="On resume, retry articles that failed.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Audit articles and print or write their reports."""
    fmt_s, engine_s = fmt.value, engine.value
    if "-" in sources and len(sources) > 1:
        raise InputError("'-' (stdin) cannot be combined with other sources")
    if _is_batch(sources):
        _audit_batch(sources, fmt_s, output or Path("factaudit-reports"), jobs, engine_s, resume,
                     retry_errors, quiet)
        return
    from .pipeline import audit as run_audit
    from .report import render

    src = sources[0]
    if src == "-":
        data = sys.stdin.buffer.read()
        report = run_audit(data, name="<stdin>")
    else:
        report = run_audit(src)
    if fmt_s == "text" and output is None:
        from rich.console import Console

        from .report.terminal import render_terminal

        render_terminal(report, Console())
        return
    text = render(report, fmt_s)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        _write(output, text)
        if not quiet:
            typer.echo(f"wrote {output}", err=True)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc


def _audit_batch(sources: list[str], fmt: str, out_dir: Path, jobs: int, engine: str, resume: bool,
                 retry_errors: bool, quiet: bool) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .batch import expand_sources, run_batch

    items = list(expand_sources(sources))
    if not items:
        raise InputError("no articles found in " + ", ".join(sources))
    console = Console(stderr=True, quiet=quiet)
    progress = Progress(TextColumn("[bold]auditing"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[errors]} errors"), TimeRemainingColumn(),
                        console=console, disable=quiet)
    task = progress.add_task("audit", total=len(items), errors=0)
    errors = 0

    def on_start(total: int, already: int) -> None:
        progress.update(task, completed=already)
        if already:
            console.print(f"resuming: {already} of {total} already done in {out_dir}")

    def on_result(res: object) -> None:
        nonlocal errors
        if getattr(res, "status", "ok") != "ok":
            errors += 1
        progress.update(task, advance=1, errors=errors)

    with progress:
        summary = run_batch(items, out_dir, fmt=fmt, jobs=jobs, resume=resume, retry_errors=retry_errors,
                            engine=engine, on_result=on_result, on_start=on_start)
    console.print(
        f"{summary.done} audited, {summary.errors} failed, {summary.skipped_done} already done "
        f"({summary.seconds:.1f} s) → {out_dir}/ (manifest.jsonl lists every article)")
    if summary.errors:
        raise typer.Exit(8)


@eval_app.command("checkworthiness")
def eval_checkworthiness(
    data: Annotated[Path, typer.Option("--data", help="CT24-format TSV (Sentence_id, Text, class_label).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Precision, recall and F1 of the Yes class on a check-worthiness TSV."""
    from .evaluation.checkworthiness import evaluate_checkworthiness

    res = evaluate_checkworthiness(data)
    if as_json:
        typer.echo(json.dumps(res))
    else:
        typer.echo(f"n={res['n']}  precision={res['precision']:.4f}  recall={res['recall']:.4f}  "
                   f"f1={res['f1']:.4f}  (threshold {res.get('threshold', 0):.3f})")


@train_app.command("checkworthiness")
def train_checkworthiness(
    data: Annotated[Path, typer.Option("--data", help="CT24-format training TSV.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (checkpoints, ONNX, card).")],
    epochs: Annotated[int, typer.Option(min=1)] = 3,
) -> None:
    """Fine-tune the check-worthiness model (resumes from checkpoints in --out)."""
    try:
        from .training.checkworthiness import train_checkworthiness as train
    except ImportError as exc:
        raise InputError("training needs the 'train' extra: pip install 'factaudit[train]'") from exc
    res = train(data, out, epochs=epochs)
    typer.echo(json.dumps(res, indent=2, default=str))


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning every expected error into one line and an exit code."""
    try:
        rv = app(args=argv, standalone_mode=False)
    except click.exceptions.Abort:
        typer.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except FactauditError as exc:
        typer.echo(f"error[{exc.code}]: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("FACTAUDIT_DEBUG"):
            raise
        typer.echo(f"internal error: {type(exc).__name__}: {exc} (set FACTAUDIT_DEBUG=1 for a traceback; "
                   "please report it)", err=True)
        return 1
    return rv if isinstance(rv, int) else 0


def run() -> None:  # pragma: no cover - console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
