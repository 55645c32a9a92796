"""``factaudit corpus SOURCE``: many reports merged into one corpus audit (JSON, Markdown or HTML).

SOURCE is a batch output folder (``factaudit audit DIR -o OUT -f json``) or a database URL
(``sqlite:///audits.sqlite3``, ``postgresql://…``, as ``--database`` writes). Exit codes: 0 done;
3 SOURCE is not a batch folder, or holds no usable report (each skip is said); 6 / 9 the database
cannot be opened / reached; 8 the corpus was written but some reports were skipped (each is named
on stderr and in the run record).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import EmptyInputError, InputError
from ._app import app, progress_bar

__all__ = ["SKIPPED_EXIT", "CorpusFormat", "corpus"]

#: Exit code when the corpus was written but reports were skipped (the batch's "some failed").
SKIPPED_EXIT = 8


class CorpusFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"


def _is_url(source: str) -> bool:
    from ..web.storage import is_database_url

    return is_database_url(source)


def _open_database(url: str) -> object:
    from ..web.storage import open_store

    if url.lower().startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :]).expanduser()
        if not path.is_file():  # opening would create an empty database
            raise InputError(f"no database at {path}")
    return open_store(url)


@app.command()
def corpus(
    source: Annotated[
        str,
        typer.Argument(help="A batch output folder (JSON reports + manifest.jsonl) or a database URL."),
    ],
    fmt: Annotated[CorpusFormat, typer.Option("--format", "-f", help="Output format.")] = CorpusFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    cross_check: Annotated[
        bool,
        typer.Option(
            help="Read the closest claim pairs with the NLI cross-encoder (else near-duplicates only)."
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Merge many audit reports: entities, relations with every claim behind them, recurring claims,
    outlets' sourcing, a timeline and corpus findings."""
    from rich.console import Console

    from ..corpus import BatchFolderSource, StoreSource, aggregate
    from ..corpus.render import render_json, render_markdown

    store = None
    total: int | None = None
    src: BatchFolderSource | StoreSource
    if _is_url(source):
        store = _open_database(source)
        src = StoreSource(store)
    else:
        folder = Path(source)
        if not folder.exists():
            raise InputError(f"{folder} does not exist")
        src = BatchFolderSource(folder)
        total = len(src)
    console = Console(stderr=True)
    try:
        with progress_bar("corpus", "", console, quiet, elapsed=True) as bar:
            task = bar.add_task("reports", total=total)
            result = aggregate(
                src,
                checker="verifier" if cross_check else None,
                on_report=lambda n: bar.update(task, completed=n),
            )
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()
    result.run.skipped.extend(src.skipped)
    if not result.articles:
        why = f": {len(src.skipped)} skipped, e.g. {src.skipped[0]}" if src.skipped else ""
        raise EmptyInputError(f"no reports to aggregate in {source}{why}")
    if fmt is CorpusFormat.json:
        text = render_json(result)
    elif fmt is CorpusFormat.md:
        text = render_markdown(result)
    else:
        from ..web.corpus import render_corpus_export

        text = render_corpus_export(result)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
        if not quiet:
            typer.echo(
                f"wrote {output}: {len(result.articles)} reports, {len(result.relations)} relations, "
                f"{len(result.recurring_claims)} recurring claims",
                err=True,
            )
    if src.skipped:
        for line in src.skipped[:20]:
            typer.echo(f"skipped: {line}", err=True)
        if len(src.skipped) > 20:
            typer.echo(f"skipped: … and {len(src.skipped) - 20} more (see the run record)", err=True)
        raise typer.Exit(SKIPPED_EXIT)
