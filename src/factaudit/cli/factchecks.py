"""``factaudit factchecks``: import fact-check feeds into the library, list it, count it.

Errors are factaudit errors (:func:`factaudit.cli.main` prints them as one line); an import that
fails half-way is rolled back whole, so the library stays as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ._app import factchecks_app, progress_bar

__all__ = ["factchecks_import", "factchecks_list", "factchecks_stats"]

Library = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="FACTAUDIT_FACTCHECKS",
        help="Fact-check library folder (default: the user data dir's factaudit/factchecks/default, "
        "seeded with the shipped Snopes entries).",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _open(store: Path | None, *, read_only: bool, create: bool = False) -> Any:
    from ..factchecks.default import default_library_path, open_default_library
    from ..factchecks.library import FactCheckLibrary

    if store is None or store.expanduser().resolve() == default_library_path().resolve():
        return open_default_library(None, read_only=read_only)
    return FactCheckLibrary(store, create=create, read_only=read_only)


@factchecks_app.command("import")
def factchecks_import(
    files: Annotated[
        list[Path],
        typer.Argument(help="ClaimReview JSON-LD (object, list, @graph, DataFeed), JSONL or CSV "
                       "(claim, rating, url, date, publisher columns).", show_default=False),
    ],
    store: Library = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Name recorded for these entries (default: the file name).")
    ] = None,
    as_json: AsJson = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Import fact-checks (deduplicated by URL); every skip is counted by reason."""
    from rich.console import Console

    console = Console(stderr=True)
    with _open(store, read_only=False, create=True) as lib:
        with progress_bar("importing", "{task.fields[read]} read", console, quiet or as_json,
                          elapsed=True) as bar:
            task = bar.add_task("import", total=None, read=0)
            stats = lib.import_files(files, source=source,
                                     progress=lambda s: bar.update(task, read=s.read, completed=s.read))
        total = len(lib)
    out = stats.to_dict()
    out["library_entries"] = total
    if as_json:
        typer.echo(json.dumps(out))
        return
    typer.echo(f"read {stats.read:,}: imported {stats.imported:,}, updated {stats.updated:,}, "
               f"unchanged {stats.unchanged:,}, duplicate URLs {stats.duplicate_urls:,} "
               f"({stats.rate:,.0f}/s); the library holds {total:,}")
    for why, n in stats.skipped.most_common():
        typer.echo(f"skipped {n:,}: {why}")
    for note, n in stats.notes.most_common():
        typer.echo(f"note {n:,}: {note}")
    other = {k: v for k, v in stats.languages.items() if k != "en"}
    if other:
        typer.echo("kept, not English (matched only against claims in the same language): "
                   + ", ".join(f"{k} {v:,}" for k, v in sorted(other.items(), key=lambda x: -x[1])))
    if stats.shared_claim_text:
        typer.echo(f"{stats.shared_claim_text:,} share their claim text with an entry already in the library")


@factchecks_app.command("list")
def factchecks_list(
    store: Library = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source's entries.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    as_json: AsJson = False,
) -> None:
    """Entries in import order: rating, date, publisher, claim as reviewed and URL."""
    with _open(store, read_only=True) as lib:
        for src, e in lib.iter_entries(source=source, limit=limit, offset=offset):
            if as_json:
                typer.echo(json.dumps({"source": src, "claim_reviewed": e.claim_reviewed, "rating": e.rating,
                                       "normalised": e.normalised, "publisher": e.publisher, "date": e.date,
                                       "language": e.language, "url": e.url}, ensure_ascii=False))
            else:
                typer.echo(f"[{e.normalised}: {e.rating}] {e.date or '----------'} {e.publisher or '?'}: "
                           f"{e.claim_reviewed[:120]}\n    {e.url}")


@factchecks_app.command("stats")
def factchecks_stats(store: Library = None, as_json: AsJson = False) -> None:
    """How many entries, per source, normalised rating, publisher and language; the date range."""
    with _open(store, read_only=True) as lib:
        st = lib.stats()
    if as_json:
        typer.echo(json.dumps(st.to_dict()))
        return
    typer.echo(f"{st.entries:,} fact-checks, {st.first_date or '?'} to {st.last_date or '?'}")
    for title, counts in (("sources", st.sources), ("ratings", st.ratings), ("publishers", st.publishers),
                          ("languages", st.languages)):
        typer.echo(f"{title}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
