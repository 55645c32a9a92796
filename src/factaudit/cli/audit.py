"""``factaudit audit``: one article to the terminal, stdout or a file; several (a folder, a JSONL
file) as a batch with a progress bar, resumable, one report per article and a manifest."""

from __future__ import annotations

import contextlib
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape  # help texts are rich markup: "[hub]" would read as a style tag

from ..config import Settings
from ..errors import InputError
from ..report import FORMATS
from ._app import WebDatabase, app, progress_bar

if TYPE_CHECKING:
    from ..batch import SkippedFolder
    from ..document import Report
    from ..web.storage import SQLStore

__all__ = ["CLAIMREVIEW_NOTE", "DEFAULT_FORMAT", "Engine", "Format", "audit"]

#: ``--format`` choices: the report registry's formats.
Format = StrEnum("Format", [(f, f) for f in FORMATS])  # type: ignore[misc]
DEFAULT_FORMAT = Format("text")


#: Said whenever the CLI writes ClaimReview: it publishes reviewed claims only, and the CLI reviews none.
CLAIMREVIEW_NOTE = (
    "note: ClaimReview holds only claims a reviewer approved, and the command line reviews none, so "
    "the export is empty; review and approve claims in the web app (factaudit serve) and export there"
)


class Engine(StrEnum):
    """Where a batch runs: a local process pool, or Ray (local or ``RAY_ADDRESS``)."""

    local = "local"
    ray = "ray"



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
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            "-v",
            help="Terminal report: everything (evidence, nearest passages, character offsets, every "
            "statement, the structure) instead of the short view.",
        ),
    ] = False,
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
    factchecks: Annotated[
        bool,
        typer.Option(
            help="Match check-worthy claims to earlier published fact-checks (experimental: its "
            "precision on news is still low, so it is off by default).",
        ),
    ] = False,
    database: WebDatabase = None,
) -> None:
    """Audit articles and print or write their reports."""
    fmt_s, engine_s = fmt.value, engine.value
    settings = Settings(
        verify=verify, store=str(store) if store else None, online=online, verifier_model=verifier_model,
        factchecks=factchecks,
    )
    if "-" in sources and len(sources) > 1:
        raise InputError("'-' (stdin) cannot be combined with other sources")
    if database and output is not None and _is_batch(sources):
        raise InputError("a batch writes its reports to --database or to -o FOLDER: choose one")
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
            database,
        )
        return
    from ..pipeline import audit as run_audit
    from ..report import render

    src = sources[0]
    keep = _open_store(database) if database else None  # unreachable: refused before the audit
    if src == "-":
        # Ingest reads stdin itself, at most max_input_bytes + 1 bytes: a huge pipe is refused
        # as soon as it passes the cap instead of being read whole into memory first.
        report = run_audit("-", name="<stdin>", settings=settings)
    else:
        report = run_audit(src, settings=settings)
    if keep is not None:
        _store(keep, report, src, quiet)
    if fmt_s == "text" and output is None:
        from rich.console import Console

        from ..report.terminal import render_terminal

        render_terminal(report, Console(), full=full)
        return
    if fmt_s == "text" and full:
        from ..report.terminal import to_text

        text = to_text(report, full=True)
    else:
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
    """Write one report atomically and durably (the batch's fsync-rename-fsync writer)."""
    from ..batch import write_report
    from ..errors import BatchError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_report(path.parent, path.name, text)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc
    except BatchError as exc:
        raise InputError(exc.message) from exc


def _open_store(database: str) -> SQLStore:
    from ..web.storage import open_store

    return open_store(database)


def _store(store: SQLStore, report: Report, src: str, quiet: bool) -> None:
    """Keep one audit in the web app's database (``--database``), as ``factaudit serve`` would."""
    from ..report.json_report import to_json_dict
    from ..web.storage import record_from_report

    try:
        kind = "text" if src == "-" else "url" if "://" in src else "file"
        record = record_from_report(to_json_dict(report), source=src, input_kind=kind, report=report)
        store.add_audit(record)
    finally:
        store.close()
    if not quiet:
        typer.echo(f"stored audit {record.id} in {store.label}", err=True)


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
    database: str | None = None,
) -> None:
    from rich.console import Console

    from ..batch import batch_name, expand_sources, run_batch

    skipped: list[SkippedFolder] = []
    items = list(expand_sources(sources, skipped=skipped))
    note = _skipped_note(skipped)
    if not items:
        raise InputError("no articles found in " + ", ".join(sources) + (f" ({note})" if note else ""))
    if note and not quiet:
        typer.echo(note + " (name a folder to audit it anyway)", err=True)
    console = Console(stderr=True, quiet=quiet)
    progress = progress_bar("auditing", "{task.fields[errors]} errors", console, quiet)
    task = progress.add_task("audit", total=len(items), errors=0)
    errors = 0

    def on_start(total: int, already: int) -> None:
        progress.update(task, completed=already)
        if already:
            place = store.label if store is not None else out_dir
            console.print(f"resuming: {already} of {total} already done in {place}")

    def on_result(res: object) -> None:
        nonlocal errors
        if getattr(res, "status", "ok") != "ok":
            errors += 1
        progress.update(task, advance=1, errors=errors)

    store = _open_store(database) if database else None
    where = store.label if store is not None else f"{out_dir}/ (manifest.jsonl lists every article)"
    with progress, contextlib.closing(store) if store is not None else contextlib.nullcontext():
        summary = run_batch(
            items,
            None if store is not None else out_dir,
            fmt=fmt,
            jobs=jobs,
            resume=resume,
            retry_errors=retry_errors,
            engine=engine,
            settings=settings,
            on_result=on_result,
            on_start=on_start,
            store=store,
            batch=batch_name(sources) if store is not None else None,
        )
    console.print(
        f"{summary.done} audited, {summary.errors} failed, {summary.skipped_done} already done "
        f"({summary.seconds:.1f} s) → {where}"
    )
    if fmt == "claimreview":
        console.print(CLAIMREVIEW_NOTE)
    if summary.errors:
        raise typer.Exit(8)

