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
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape  # help texts are rich markup: "[hub]" would read as a style tag

from . import __version__
from .config import Settings
from .errors import EXIT_CODES, FactauditError, InputError
from .report import FORMATS

if TYPE_CHECKING:
    from .batch import SkippedFolder

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
token_app = typer.Typer(
    help="API tokens for 'factaudit serve' (stored hashed in the audit store).", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
app.add_typer(token_app, name="token")


#: ``--format`` choices: the report registry's formats.
Format = StrEnum("Format", [(f, f) for f in FORMATS])  # type: ignore[misc]
DEFAULT_FORMAT = Format("text")


#: Said whenever the CLI writes ClaimReview: it publishes reviewed claims only, and the CLI reviews none.
CLAIMREVIEW_NOTE = (
    "note: ClaimReview holds only claims a reviewer approved, and the command line reviews none, so "
    "the export is empty; review and approve claims in the web app (factaudit serve) and export there"
)


class Engine(StrEnum):
    local = "local"
    ray = "ray"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """factaudit command line."""


def _is_batch(sources: list[str]) -> bool:
    if len(sources) > 1:
        return True
    s = sources[0]
    return Path(s).is_dir() or s.lower().endswith(".jsonl")


@app.command()
def audit(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Files, URLs, '-' for stdin, directories, or JSONL files (one article per line)."
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = DEFAULT_FORMAT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the report here (one article), or the folder for a batch's reports."
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parallel workers for a batch.")] = max(
        1, os.cpu_count() or 1
    ),
    engine: Annotated[
        Engine, typer.Option(help="Batch engine: a local process pool, or Ray.")
    ] = Engine.local,
    resume: Annotated[bool, typer.Option(help="Skip articles a previous batch run finished.")] = True,
    retry_errors: Annotated[bool, typer.Option(help="On resume, retry articles that failed.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    verify: Annotated[bool, typer.Option(help="Verify check-worthy claims against evidence.")] = True,
    store: Annotated[
        Path | None,
        typer.Option(
            help="Evidence store folder (default: $FACTAUDIT_STORE or the user data dir, holding the "
            "shipped packs, built on first use).",
        ),
    ] = None,
    online: Annotated[
        bool,
        typer.Option(
            "--online/--offline",
            help="Also search Wikipedia's live API for evidence and read the article's cited pages "
            "against the statements citing them (through the guarded fetcher). Default: offline.",
        ),
    ] = False,
    verifier_model: Annotated[
        str | None,
        typer.Option(
            help=escape(
                "Verifier to use instead of the shipped one: a local model folder, or a Hugging Face "
                "hub id owner/name[@revision] of an NLI model exported to ONNX (needs the hub extra: "
                "pip install 'factaudit[hub]')."
            ),
        ),
    ] = None,
) -> None:
    """Audit articles and print or write their reports."""
    fmt_s, engine_s = fmt.value, engine.value
    settings = Settings(
        verify=verify, store=str(store) if store else None, online=online, verifier_model=verifier_model
    )
    if "-" in sources and len(sources) > 1:
        raise InputError("'-' (stdin) cannot be combined with other sources")
    if _is_batch(sources):
        _audit_batch(
            sources,
            fmt_s,
            output or Path("factaudit-reports"),
            jobs,
            engine_s,
            resume,
            retry_errors,
            quiet,
            settings,
        )
        return
    from .pipeline import audit as run_audit
    from .report import render

    src = sources[0]
    if src == "-":
        # Ingest reads stdin itself, at most max_input_bytes + 1 bytes: a huge pipe is refused
        # as soon as it passes the cap instead of being read whole into memory first.
        report = run_audit("-", name="<stdin>", settings=settings)
    else:
        report = run_audit(src, settings=settings)
    if fmt_s == "text" and output is None:
        from rich.console import Console

        from .report.terminal import render_terminal

        render_terminal(report, Console())
        return
    text = render(report, fmt_s)
    if fmt_s == "claimreview":
        typer.echo(CLAIMREVIEW_NOTE, err=True)
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


def _skipped_note(skipped: list[SkippedFolder], shown: int = 5) -> str:
    """``skipped 2 folders: docs/.venv (virtualenv), docs/.git (hidden)`` (empty when none)."""
    if not skipped:
        return ""
    parts = [f"{s.path} ({s.reason})" for s in skipped[:shown]]
    if len(skipped) > shown:
        parts.append(f"and {len(skipped) - shown} more")
    return f"skipped {len(skipped)} folder{'s' if len(skipped) != 1 else ''}: " + ", ".join(parts)


def _audit_batch(
    sources: list[str],
    fmt: str,
    out_dir: Path,
    jobs: int,
    engine: str,
    resume: bool,
    retry_errors: bool,
    quiet: bool,
    settings: Settings,
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .batch import expand_sources, run_batch

    skipped: list[SkippedFolder] = []
    items = list(expand_sources(sources, skipped=skipped))
    note = _skipped_note(skipped)
    if not items:
        raise InputError("no articles found in " + ", ".join(sources) + (f" ({note})" if note else ""))
    if note and not quiet:
        typer.echo(note + " (name a folder to audit it anyway)", err=True)
    console = Console(stderr=True, quiet=quiet)
    progress = Progress(
        TextColumn("[bold]auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[errors]} errors"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
    )
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
        summary = run_batch(
            items,
            out_dir,
            fmt=fmt,
            jobs=jobs,
            resume=resume,
            retry_errors=retry_errors,
            engine=engine,
            settings=settings,
            on_result=on_result,
            on_start=on_start,
        )
    console.print(
        f"{summary.done} audited, {summary.errors} failed, {summary.skipped_done} already done "
        f"({summary.seconds:.1f} s) → {out_dir}/ (manifest.jsonl lists every article)"
    )
    if fmt == "claimreview":
        console.print(CLAIMREVIEW_NOTE)
    if summary.errors:
        raise typer.Exit(8)


class PackChoice(StrEnum):
    wiki_vital = "wiki-vital"
    factbook = "factbook"
    all = "all"


@app.command()
def index(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Folders or files to index: .txt/.md/.html/.pdf, JSONL/CSV, Wikipedia XML dumps, "
            "WikiExtractor output, FEVER wiki-pages, .zim (with the 'zim' extra).",
            show_default=False,
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            envvar="FACTAUDIT_STORE",
            help="Evidence store folder (default: the user data dir's factaudit/stores/default).",
        ),
    ] = None,
    pack: Annotated[
        PackChoice | None,
        typer.Option("--pack", help="Also index a default pack: wiki-vital, factbook or all."),
    ] = None,
    corpus: Annotated[
        str | None,
        typer.Option(
            "--corpus", help="Name recorded for SOURCE's documents (default: the file or folder name)."
        ),
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Build a fresh store and swap it in when done (the old one stays usable until then).",
        ),
    ] = False,
    list_: Annotated[bool, typer.Option("--list", help="Show what the store holds and exit.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Build or extend an evidence store for claim verification."""
    from .evidence._cli import run_index

    run_index(
        sources or [],
        store=store,
        pack=pack.value if pack else None,
        corpus=corpus,
        rebuild=rebuild,
        list_only=list_,
        quiet=quiet,
    )


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
    from .evaluation.checkworthiness import evaluate_checkworthiness

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
    from .evaluation.verification import evaluate_pairs

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
    from .evaluation.verification import evaluate_climate_fever

    verifier = _eval_verifier(verifier_model)
    _print_eval(evaluate_climate_fever(data, verifier=verifier, predictions=predictions), as_json)


def _eval_verifier(spec: str | None) -> Any:
    from .models.hub import load_verifier

    return load_verifier(spec)


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
        from .training.verifier import main as verifier_main

        code = verifier_main([step, "--out", str(out), *ctx.args])
    except ImportError as exc:
        raise InputError(
            f"training needs the 'train' extra: pip install 'factaudit[train]' ({exc.name} is missing)"
        ) from exc
    except OSError as exc:
        raise InputError(f"cannot train the verifier in {out}: {exc}") from exc
    raise typer.Exit(code)


WebStore = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="FACTAUDIT_WEB_STORE",
        help="The web app's audit database (SQLite; default: <user data dir>/factaudit/web/audits.sqlite3).",
    ),
]


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback requires API tokens.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    store: WebStore = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Audit worker processes (default: one per core).")
    ] = None,
    require_token: Annotated[
        bool | None,
        typer.Option(
            "--require-token/--no-require-token",
            help="Require API tokens (default: only when bound beyond localhost).",
        ),
    ] = None,
    max_upload_mb: Annotated[float, typer.Option(min=0.01, help="Largest request body in MiB.")] = 10.0,
    public_url: Annotated[
        str | None, typer.Option(help="Base URL used in exports (ClaimReview urls).")
    ] = None,
    publisher: Annotated[
        str, typer.Option(help="Organisation named as the ClaimReview author.")
    ] = "factaudit",
    rate_limit: Annotated[
        float,
        typer.Option(
            min=0,
            help="Requests per second per client (bursts of 12x; audits a tenth of it); 0 turns it off.",
        ),
    ] = 20.0,
    online: Annotated[
        bool,
        typer.Option(
            "--online/--offline",
            help="Audits also search Wikipedia's live API and read the cited pages (see 'audit --online').",
        ),
    ] = False,
    auditor_factory: Annotated[
        str,
        typer.Option(
            envvar="FACTAUDIT_AUDITOR_FACTORY",
            hidden=True,
            help="module:callable returning the Auditor each worker uses.",
        ),
    ] = "factaudit.pipeline:Auditor",
) -> None:
    """Run the web app and REST API (FastAPI) over the same Auditor as 'audit'."""
    import logging

    from .web.app import WebSettings, default_store_path
    from .web.app import serve as run_server

    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    settings = WebSettings(
        store=store or default_store_path(),
        host=host,
        require_token=require_token,
        workers=workers,
        auditor_factory=(
            "factaudit.pipeline:online_auditor"
            if online and auditor_factory == "factaudit.pipeline:Auditor"
            else auditor_factory
        ),
        max_body_bytes=int(max_upload_mb * 1024 * 1024),
        public_url=public_url,
        publisher=publisher,
        rate_per_s=rate_limit,
        rate_capacity=12 * rate_limit,
        audit_per_s=rate_limit / 10,
        audit_capacity=3 * rate_limit,
    )
    run_server(settings, port=port)


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="A name for the token (shown as the reviewer).")],
    store: WebStore = None,
) -> None:
    """Create an API token; it is printed once (only a salted scrypt hash is stored)."""
    from .web.app import default_store_path
    from .web.security import create_token
    from .web.storage import SQLiteStore

    db = SQLiteStore(store or default_store_path())
    try:
        token = create_token(db, name)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    finally:
        db.close()
    typer.echo(token)
    typer.echo(f"token {name!r} created; keep it secret: it cannot be shown again", err=True)


@token_app.command("list")
def token_list(store: WebStore = None) -> None:
    """List the names of active API tokens."""
    from .web.app import default_store_path
    from .web.storage import SQLiteStore

    db = SQLiteStore(store or default_store_path())
    try:
        for t in db.list_tokens():
            typer.echo(f"{t.name}\tcreated {t.created_at}")
    finally:
        db.close()


@token_app.command("revoke")
def token_revoke(
    name: Annotated[str, typer.Argument(help="The token's name.")], store: WebStore = None
) -> None:
    """Revoke an API token (effective immediately)."""
    from .web.app import default_store_path
    from .web.storage import SQLiteStore

    db = SQLiteStore(store or default_store_path())
    try:
        n = db.revoke_token(name)
    finally:
        db.close()
    if not n:
        raise InputError(f"no active token named {name!r}")
    typer.echo(f"revoked {name!r}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning every expected error into one line and an exit code."""
    try:
        rv = app(args=argv, standalone_mode=False)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 130
    except typer.TyperException as exc:  # Typer's (vendored click) usage errors
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {exc}", err=True)
        return int(getattr(exc, "exit_code", 2))
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
        typer.echo(
            f"internal error: {type(exc).__name__}: {exc} (set FACTAUDIT_DEBUG=1 for a traceback; "
            "please report it)",
            err=True,
        )
        return 1
    return rv if isinstance(rv, int) else 0


def run() -> None:  # pragma: no cover - console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
