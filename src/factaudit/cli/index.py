"""``factaudit index``: build, extend, rebuild or list an evidence store, with rich progress bars.
Errors are factaudit errors (:func:`factaudit.cli.main` prints them as one line)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import InputError
from ._app import app, progress_bar

if TYPE_CHECKING:  # the evidence modules are imported when the command runs, not at CLI start-up
    from ..evidence.store import AddProgress, AddStats, EvidenceStore

__all__ = ["PackChoice", "index", "run_index"]

class PackChoice(StrEnum):
    """``--pack``: a shipped evidence pack, or all of them."""

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
    run_index(
        sources or [],
        store=store,
        pack=pack.value if pack else None,
        corpus=corpus,
        rebuild=rebuild,
        list_only=list_,
        quiet=quiet,
    )


def _corpus_name(source: str) -> str:
    p = Path(source).expanduser()
    name = p.name or str(p)
    for suffix in (".bz2", ".gz", ".jsonl", ".json", ".csv", ".tsv", ".xml", ".zim"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return name


def run_index(
    sources: list[str],
    *,
    store: Path | None,
    pack: str | None,
    corpus: str | None,
    rebuild: bool,
    list_only: bool,
    quiet: bool,
) -> None:
    """What ``factaudit index`` does (see its ``--help``)."""
    from rich.console import Console

    from ..evidence.packs import PACKS, add_pack
    from ..evidence.readers import read_source
    from ..evidence.store import EvidenceStore, default_store_path, rebuild_store

    console = Console(stderr=True, quiet=quiet)
    path = Path(store).expanduser() if store else default_store_path()
    if list_only:
        _list(path, Console())
        return
    packs = list(PACKS) if pack == "all" else ([pack] if pack else [])
    if corpus and len(sources) > 1:
        raise InputError("--corpus names one source; index several sources in separate runs or omit it")
    if not sources and not packs and not rebuild:
        raise InputError("nothing to index: give SOURCE files or folders, --pack, --rebuild or --list")

    def build(s: EvidenceStore) -> None:
        for name in packs:

            def add_one(cb: Callable[[AddProgress], None], name: str = name) -> AddStats:
                return add_pack(s, name, progress=cb)

            _report(console, _with_progress(console, name, quiet, add_one))
        for src in sources:
            name = corpus or _corpus_name(src)

            def skipped(file: str, reason: str) -> None:
                console.print(f"[yellow]skipped[/] {file}: {reason}")

            def add(cb: Callable[[AddProgress], None], src: str = src, name: str = name) -> AddStats:
                return s.add_documents(
                    read_source(src, on_skip=skipped), corpus=name, source=str(src), progress=cb
                )

            _report(console, _with_progress(console, name, quiet, add))

    if rebuild:
        if not sources and not packs:
            packs = _previous_packs(path) or (list(PACKS) if path == default_store_path() else [])
            if not packs:
                raise InputError(f"--rebuild of {path}: give the SOURCEs or --pack to build it from")
        rebuild_store(path, build)
        console.print(f"rebuilt {path}")
    else:
        with EvidenceStore(path, create=True) as s:
            build(s)
        console.print(f"store: {path}")


def _previous_packs(path: Path) -> list[str]:
    """The default packs a store was built from (what ``--rebuild`` rebuilds it from by default)."""
    from ..evidence.packs import PACKS
    from ..evidence.store import corpus_names

    return [n for n in corpus_names(path) if n in PACKS]


def _with_progress(
    console: Any, name: str, quiet: bool, run: Callable[[Callable[[AddProgress], None]], AddStats]
) -> AddStats:
    counts = "docs · {task.fields[passages]:,} passages · {task.fields[phase]}"
    progress = progress_bar(name, counts, console, quiet, elapsed=True)
    task = progress.add_task(name, total=None, passages=0, phase="reading")

    def cb(p: AddProgress) -> None:
        progress.update(
            task,
            completed=p.documents + p.skipped_documents,
            total=p.total_documents,
            passages=p.passages,
            phase=p.phase,
        )

    with progress:
        return run(cb)


def _report(console: Any, stats: AddStats) -> None:
    extra = []
    if stats.duplicates:
        extra.append(f"{stats.duplicates:,} duplicate passages skipped")
    if stats.skipped_documents:
        extra.append(f"{stats.skipped_documents:,} documents already indexed")
    if stats.replaced_documents:
        extra.append(f"{stats.replaced_documents:,} documents updated")
    console.print(
        f"{stats.corpus}: {stats.documents:,} documents, {stats.passages:,} passages in "
        f"{stats.seconds:.1f} s ({stats.rate:,.0f} passages/s)" + (f"; {', '.join(extra)}" if extra else "")
    )


def _list(path: Path, console: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..evidence.packs import PACKS, pack_info
    from ..evidence.store import EvidenceStore

    with EvidenceStore(path, read_only=True) as s:  # a read: works on a read-only store, writes nothing
        meta = s.meta()
        docs, passages = s.count()
        table = Table(title=f"evidence store {path}")
        for col in ("corpus", "documents", "passages", "licence", "updated"):
            table.add_column(col, justify="right" if col in ("documents", "passages") else "left")
        for c in s.corpora():
            table.add_row(
                c.name, f"{c.documents:,}", f"{c.passages:,}", c.licence or "", (c.updated_at or "")[:19]
            )
        console.print(table)
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        console.print(
            f"{docs:,} documents, {passages:,} passages, {size / 1e6:.1f} MB on disk; embedder "
            f"{meta.get('embedder_name')} ({meta.get('embedder_sha256', '')[:12]}…), schema "
            f"{meta.get('schema_version')}"
        )
        names = [c.name for c in s.corpora()]
        for info in pack_info([n for n in names if n in PACKS]):
            console.print(f"[dim]{info.name}: {info.source}; {info.licence}. {info.attribution}[/]")
        for warning in s.warnings:
            console.print(f"[yellow]warning[/] {escape(warning)}")
