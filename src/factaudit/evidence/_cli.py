"""``factaudit index``: build, extend, rebuild or list an evidence store, with rich progress bars.

Kept here rather than in ``factaudit.cli`` so the CLI stays a thin edge; errors are factaudit errors
(the CLI's ``main()`` prints them as one line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError
from .packs import PACKS, add_pack, pack_info
from .readers import read_source
from .store import AddProgress, AddStats, EvidenceStore, corpus_names, default_store_path, rebuild_store


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
    return [n for n in corpus_names(path) if n in PACKS]


def _with_progress(
    console: Any, name: str, quiet: bool, run: Callable[[Callable[[AddProgress], None]], AddStats]
) -> AddStats:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn(f"[bold]{name}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("docs · {task.fields[passages]:,} passages · {task.fields[phase]}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )
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
