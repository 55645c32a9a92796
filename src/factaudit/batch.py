"""Batch audits: many articles, one report each, resumable, in parallel.

Sources expand into :class:`BatchItem` s (files, directories of files, URLs, JSONL files with one
article per line, which may carry its ``url``, ``date`` and ``outlet``: they go into
``article.meta``). :func:`map_batches` is the one small interface over the engines: a local
process pool (default; forked workers inherit the warmed Auditor) or Ray (``engine="ray"``, an
optional extra; one actor per worker loads the models once; ``RAY_ADDRESS`` points the same code
at a cluster). :func:`run_batch` writes each report durably (fsynced, renamed, folder fsynced) and
appends a line to ``manifest.jsonl`` (fsynced) only after the report is on disk, or streams it
into an audit store (SQLite or PostgreSQL: the report and the item's record in one transaction,
keyed by batch and item id), so a rerun skips what a killed run (or a power cut) already
finished, nothing is stored twice, and a bad article is recorded and skipped.

Item ids key the manifest, so they are unique within a batch: :func:`expand_sources` audits the
first article with a given id and records each later one as an error (a rerun skips both, like any
finished item), rather than letting two articles share, and overwrite, one report.
"""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ._workers import die_with_parent
from .config import Settings
from .errors import BatchError, FactauditError, InputError
from .net import validate_url
from .report import get_format

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".text"}
TEXT_KEYS = ("text", "content", "body", "article", "html")
MANIFEST = "manifest.jsonl"


@dataclass
class BatchItem:
    id: str
    #: A path or URL to ingest; or None when ``text`` is given inline (JSONL).
    location: str | None = None
    text: str | None = None
    #: A problem found while expanding the sources (bad JSONL line): recorded, not audited.
    error: str | None = None
    #: Article metadata given with the item (JSONL ``url``, ``date``, ``outlet``): it goes into
    #: ``article.meta`` before ingest, and wins over what the page's own metadata says.
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class ItemResult:
    id: str
    status: str  # "ok" | "error"
    source: str | None = None
    output: str | None = None
    error_code: str | None = None
    error: str | None = None
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    #: The process id of the worker that audited the item.
    worker: int | None = None


@dataclass
class BatchSummary:
    total: int = 0
    done: int = 0
    skipped_done: int = 0
    errors: int = 0
    seconds: float = 0.0
    out_dir: str = ""


@dataclass
class SkippedFolder:
    """A folder directory mode did not descend into, and why (``virtualenv``, ``hidden``, ...)."""

    path: str
    reason: str


#: Folders directory mode never descends into (below a folder the user named), by name.
SKIPPED_FOLDER_NAMES = {"site-packages": "packages", "node_modules": "packages", "__pycache__": "cache"}


def skip_reason(folder: Path) -> str | None:
    """Why directory mode skips ``folder`` (a sub-folder of a named one), or None to descend."""
    if (folder / "pyvenv.cfg").is_file():
        return "virtualenv"
    if folder.name in SKIPPED_FOLDER_NAMES:
        return SKIPPED_FOLDER_NAMES[folder.name]
    if folder.name.startswith("."):
        return "hidden"
    return None


def _walk_articles(root: Path, skipped: list[SkippedFolder] | None) -> list[Path]:
    """Article files under ``root``, sorted; ``root`` itself is walked even if hidden (it was named)."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            reason = skip_reason(here / d)
            if reason is None:
                keep.append(d)
            elif skipped is not None:
                skipped.append(SkippedFolder(str(here / d), reason))
        dirnames[:] = keep
        found.extend(
            here / f for f in filenames if Path(f).suffix.lower() in ARTICLE_SUFFIXES and (here / f).is_file()
        )
    return sorted(found)


def expand_sources(
    sources: Iterable[str], *, skipped: list[SkippedFolder] | None = None
) -> Iterator[BatchItem]:
    """Files, directories (recursively, article suffixes only), URLs and JSONL files → items.

    Directory mode skips hidden folders, virtualenvs, ``site-packages``, ``node_modules`` and
    ``__pycache__`` (appended to ``skipped`` when given). Ids come out unique: a file or URL named
    twice is audited once; any other repeated id becomes an error item keyed by its line
    (``stem:line``), so the first article keeps the id and its report.
    """
    seen: dict[str, tuple[str, str | None]] = {}  # id -> (where from, location if a plain file/URL)
    for item, origin, fallback, given in _expand(sources, skipped):
        plain = item.location if item.text is None and item.error is None else None
        first = seen.get(item.id)
        if first is None:
            seen[item.id] = (origin, plain)
            yield item
        elif not given:  # an id we made up (a line's stem:line) collides: make another one
            item.id = _unique(fallback, seen)
            seen[item.id] = (origin, plain)
            yield item
        elif plain is not None and first[1] == plain:
            continue  # the same file or URL named twice: one audit, one report
        else:
            key = _unique(fallback, seen)
            seen[key] = (origin, None)
            yield BatchItem(
                id=key,
                error=f"{origin} repeats id {item.id!r} (first used by {first[0]}); ids must be unique "
                "in a batch, only the first is audited",
            )


def _unique(key: str, seen: dict[str, Any]) -> str:
    n, out = 2, key
    while out in seen:
        out, n = f"{key}#{n}", n + 1
    return out


def _expand(
    sources: Iterable[str], skipped: list[SkippedFolder] | None
) -> Iterator[tuple[BatchItem, str, str, bool]]:
    """(item, where it came from, a fallback id, whether the id was the user's) for each source."""
    for src in sources:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", src):
            yield BatchItem(id=src, location=src), src, src, True
            continue
        p = Path(src)
        if p.is_dir():
            for f in _walk_articles(p, skipped):
                yield BatchItem(id=str(f), location=str(f)), str(f), str(f), True
        elif p.suffix.lower() == ".jsonl":
            for n, item, given in _jsonl_items(p):
                yield item, f"line {n} of {p.name}", f"{p.stem}:{n}", given
        else:
            yield BatchItem(id=src, location=src), src, src, True


def parse_json(text: str | bytes) -> Any:
    """``json.loads`` for untrusted input: every way it fails is an :class:`InputError`.

    Besides syntax errors, the parser raises ``RecursionError`` on deep nesting (``[[[...`` a few
    thousand levels) and ``ValueError`` on an integer over Python's digit limit; both are bad input.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError("nested too deeply to parse") from None
    except ValueError as exc:  # int digit limit; undecodable bytes (UnicodeDecodeError)
        raise InputError(f"not valid JSON ({str(exc).split(':')[0]})") from None


def _jsonl_items(path: Path) -> Iterator[tuple[int, BatchItem, bool]]:
    """(line number, item, whether its id is the line's own ``id``) for each non-blank line."""
    try:
        fh = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - opened here, closed below
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            item_id = f"{path.stem}:{n}"
            try:
                obj = parse_json(line)
            except InputError as exc:
                yield n, BatchItem(id=item_id, error=f"line {n} is {exc.message}"), False
                continue
            if not isinstance(obj, dict):
                yield n, BatchItem(id=item_id, error=f"line {n} is not a JSON object"), False
                continue
            raw_id = obj.get("id")
            given = raw_id is not None and raw_id != ""
            if given and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int | float)):
                err = f"line {n} has an id that is not a string or number"
                yield n, BatchItem(id=item_id, error=err), False
                continue
            if given:
                item_id = str(raw_id)
            text = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str)), None)
            url = obj.get("url") if isinstance(obj.get("url"), str) else None
            if text is None and url is None:
                err = f"line {n} has no text field ({', '.join(TEXT_KEYS)}) or url"
                yield n, BatchItem(id=item_id, error=err), given
                continue
            meta, problem = item_meta(obj)
            if problem:
                yield n, BatchItem(id=item_id, error=f"line {n} {problem}"), given
                continue
            title = obj.get("title")
            if text is not None and isinstance(title, str) and title.strip() and not text.startswith(title):
                text = f"{title.strip()}\n\n{text}"
            location = None if text is not None else url
            yield n, BatchItem(id=item_id, location=location, text=text, meta=meta), given


#: The article metadata a JSONL line may carry, kept in ``article.meta`` under the same names.
META_KEYS = ("url", "date", "outlet")


def normalise_date(value: str) -> str | None:
    """An ISO 8601 date or date-time as ``YYYY-MM-DD`` (or the date-time in ISO form); None if not one."""
    v = value.strip()
    try:
        if len(v) == 10:
            return date.fromisoformat(v).isoformat()
        return datetime.fromisoformat(v).isoformat()
    except ValueError:
        return None


def item_meta(obj: dict[str, Any]) -> tuple[dict[str, str], str | None]:
    """The ``url`` / ``date`` / ``outlet`` of a JSONL line, checked: (meta, None) or ({}, the problem)."""
    meta: dict[str, str] = {}
    for key in META_KEYS:
        value = obj.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            return {}, f"has {'an' if key == 'outlet' else 'a'} {key} that is not a string"
        value = value.strip()
        if key == "url":
            try:
                value = str(validate_url(value))
            except FactauditError:
                return {}, f"has a url that is not an http(s) URL: {value[:100]!r}"
        elif key == "date":
            iso = normalise_date(value)
            if iso is None:
                return {}, f"has a date that is not ISO 8601 (YYYY-MM-DD): {value[:40]!r}"
            value = iso
        elif len(value) > 200:
            return {}, "has an outlet name longer than 200 characters"
        if value:
            meta[key] = value
    return meta, None


# --- workers ---------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _auditor(settings: Settings | None) -> Any:
    """This process's Auditor for ``settings`` (built and warmed once, reused across items)."""
    from .pipeline import Auditor

    key = repr(settings)
    if key not in _WORKER:
        _WORKER[key] = Auditor(settings)
        _WORKER[key].warm_up()
    return _WORKER[key]


def audit_item(item: BatchItem, fmt: str, settings: Settings | None = None) -> ItemResult:
    """Audit one item and render it; every failure becomes an error record, never an exception."""
    from .report import render

    t0 = time.perf_counter()
    res = ItemResult(id=item.id, status="ok", source=item.location, worker=os.getpid())
    try:
        if item.error:
            raise InputError(item.error)
        from .pipeline import make_article

        auditor = _auditor(settings)
        if item.text is not None:
            article = make_article(item.text.encode("utf-8"), name=item.id)
        else:
            article = make_article(str(item.location))
        article.meta.update(item.meta)
        report = auditor.report(article)
        res.output = render(report, fmt)
        a = report.article
        res.counts = {
            "assertions": len(a.assertions),
            "citations": len(a.citations),
            "claims": len(a.claims),
            "findings": len(a.findings),
        }
    except FactauditError as exc:
        res.status, res.error_code, res.error = "error", exc.code, exc.message
    except Exception as exc:  # a bug must not stop a corpus run: record it and go on
        res.status, res.error_code, res.error = (
            "error",
            "FA000",
            f"internal error: {type(exc).__name__}: {exc}",
        )
    res.seconds = round(time.perf_counter() - t0, 4)
    return res


def map_batches(
    fn: Callable[[BatchItem], ItemResult], items: list[BatchItem], *, jobs: int = 1, engine: str = "local"
) -> Iterator[ItemResult]:
    """Apply ``fn`` to every item, yielding results as they complete (order not kept)."""
    if engine == "ray":
        yield from _map_ray(fn, items, jobs)
        return
    if engine != "local":
        raise BatchError(f"unknown engine {engine!r}; choose local or ray")
    if jobs <= 1 or len(items) <= 1:
        for it in items:
            yield fn(it)
        return
    ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=ctx, initializer=die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        pending: set[Future[ItemResult]] = set()
        queue = iter(items)
        for it in queue:
            pending.add(pool.submit(fn, it))
            if len(pending) >= jobs * 4:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(pool.submit(fn, nxt))


class _RayWorker:
    """A Ray actor: one per worker (``--jobs``), so each loads the models once and keeps them."""

    def __init__(self, fn: Callable[[BatchItem], ItemResult]) -> None:
        self.fn = fn
        warm = getattr(fn, "warm_up", None)
        if callable(warm):
            warm()

    def run(self, item: BatchItem) -> ItemResult:
        return self.fn(item)


def _map_ray(
    fn: Callable[[BatchItem], ItemResult], items: list[BatchItem], jobs: int
) -> Iterator[ItemResult]:
    """``jobs`` actors on the local Ray or the cluster at ``RAY_ADDRESS``; an actor is handed its next
    item as soon as it finishes one (at most one in flight each), and results stream back as they
    complete. A worker that dies is restarted and its item retried by Ray."""
    try:
        import ray
        from ray.util import ActorPool
    except ImportError as exc:
        raise BatchError("engine 'ray' needs the ray extra: pip install 'factaudit[ray]'") from exc
    if not items:
        return
    if not ray.is_initialized():
        ray.init(
            address=os.environ.get("RAY_ADDRESS"),
            ignore_reinit_error=True,
            log_to_driver=False,
            num_cpus=None if os.environ.get("RAY_ADDRESS") else max(jobs, 1),
        )
    actor = ray.remote(num_cpus=1, max_restarts=2, max_task_retries=2)(_RayWorker)
    actors: list[Any] = [actor.remote(fn) for _ in range(max(1, min(jobs, len(items))))]
    try:
        yield from ActorPool(actors).map_unordered(lambda a, it: a.run.remote(it), items)
    finally:
        for a in actors:
            ray.kill(a)


# --- the resumable run -----------------------------------------------------------------------


def output_name(item_id: str, fmt: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", item_id).strip("._")[:100] or "article"
    digest = hashlib.sha1(item_id.encode("utf-8")).hexdigest()[:8]
    return f"{stem}.{digest}.{get_format(fmt).extension}"


def _fsync_dir(folder: Path) -> None:
    """Make renames and new entries in ``folder`` durable (skipped where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # Windows: folders cannot be opened (NTFS journals the rename itself)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # a file system without folder fsync
            raise BatchError(f"cannot sync the folder {folder}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def write_report(out_dir: Path, name: str, text: str) -> Path:
    """Write ``out_dir/name`` so that it survives a crash or power cut once this returns.

    The data is fsynced under a temporary name, renamed over the final name (atomic: readers see
    the old report or the new one, never half of one), and then the folder is fsynced so the
    rename itself is on disk; only after that may the manifest say the item is done.
    """
    final, tmp = out_dir / name, out_dir / (name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        _fsync_dir(out_dir)
    except OSError as exc:
        raise BatchError(f"cannot write the report {final}: {exc.strerror or exc}") from exc
    return final


def read_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Finished items of an earlier run; a torn last line (a killed run) is ignored."""
    done: dict[str, dict[str, Any]] = {}
    path = out_dir / MANIFEST
    if not path.exists():
        return done
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                rec = parse_json(line)
            except InputError:
                continue
            if isinstance(rec, dict) and "id" in rec:
                done[str(rec["id"])] = rec
    return done


class _Audit:
    """Picklable worker callable (fork or Ray) binding the format and settings."""

    def __init__(self, fmt: str, settings: Settings | None) -> None:
        self.fmt, self.settings = fmt, settings

    def warm_up(self) -> None:
        _auditor(self.settings)

    def __call__(self, item: BatchItem) -> ItemResult:
        return audit_item(item, self.fmt, self.settings)


class _FolderSink:
    """Reports as files plus ``manifest.jsonl``: each report fsynced and renamed before its line."""

    def __init__(self, out_dir: Path, fmt: str, resume: bool) -> None:
        self.out_dir, self.fmt, self.resume = out_dir, fmt, resume
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BatchError(f"cannot create output folder {out_dir}: {exc.strerror}") from exc
        self.path = out_dir / MANIFEST
        self._fh: Any = None

    def previous(self) -> dict[str, str]:
        if not self.resume:
            return {}
        return {k: str(v.get("status")) for k, v in read_manifest(self.out_dir).items()}

    def __enter__(self) -> _FolderSink:
        if self.resume and self.path.exists() and self.path.stat().st_size:
            with open(self.path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                torn = fh.read(1) != b"\n"
            if torn:  # a killed run left half a line: start ours on a fresh one
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write("\n")
        self._fh = open(self.path, "a" if self.resume else "w", encoding="utf-8")
        _fsync_dir(self.out_dir)  # a manifest created just now must not vanish while its reports stay
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()

    def write(self, res: ItemResult) -> bool:
        """Record one result; True when it was stored (False: already there)."""
        rec = asdict(res)
        text = rec.pop("output")
        if res.status == "ok" and text is not None:
            rec["output"] = write_report(self.out_dir, output_name(res.id, self.fmt), text).name
        try:
            self._fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as exc:  # disk full, I/O error: the batch cannot go on
            raise BatchError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        return True


class _StoreSink:
    """Reports streamed into an audit store (SQLite or PostgreSQL): each item's audit and its
    ``batch_items`` row in one transaction, keyed by (batch, item id), so nothing is stored twice."""

    def __init__(self, store: Any, batch: str) -> None:
        self.store, self.batch = store, batch

    def previous(self) -> dict[str, str]:
        return {k: v.status for k, v in self.store.batch_items(self.batch).items()}

    def __enter__(self) -> _StoreSink:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def write(self, res: ItemResult) -> bool:
        from .web.storage import BatchItemRecord, now_iso, record_from_report

        record = None
        source = res.source or res.id
        if res.status == "ok" and res.output is not None:
            kind = "text" if res.source is None else "url" if "://" in res.source else "file"
            record = record_from_report(parse_json(res.output), source=source, input_kind=kind)
        item = BatchItemRecord(
            batch=self.batch,
            item_id=res.id,
            status="ok" if record is not None else "error",
            finished_at=now_iso(),
            source=source,
            error_code=res.error_code,
            error=res.error,
            seconds=res.seconds,
            counts=res.counts,
        )
        return bool(self.store.add_batch_result(item, record))


def batch_name(sources: Iterable[str]) -> str:
    """The name a database batch run is kept under: derived from its sources (paths resolved), so
    running the same command again resumes it."""
    norm = [s if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", s) else str(Path(s).resolve()) for s in sources]
    return "batch-" + hashlib.sha1("\n".join(norm).encode("utf-8")).hexdigest()[:16]


def run_batch(
    items: list[BatchItem],
    out_dir: Path | None,
    *,
    fmt: str = "json",
    jobs: int = 1,
    resume: bool = True,
    retry_errors: bool = False,
    engine: str = "local",
    settings: Settings | None = None,
    on_result: Callable[[ItemResult], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    store: Any = None,
    batch: str | None = None,
) -> BatchSummary:
    """Audit ``items`` (unique ids, as :func:`expand_sources` makes them) into ``out_dir``, or into
    ``store`` (an :class:`~factaudit.web.storage.AuditStore`) as the run named ``batch``.

    Folder: each finished item's report is on disk (fsynced) before its manifest line is appended
    and fsynced, so the manifest never names a report a crash lost; ``resume`` skips the ids it
    lists. Store: the JSON report and the item's record are committed together, so a killed run
    resumes where it stopped and an item is never stored twice (a database run always resumes).
    """
    dups = sorted(k for k, n in Counter(it.id for it in items).items() if n > 1)
    if dups:
        shown = ", ".join(repr(d) for d in dups[:3]) + (f" and {len(dups) - 3} more" if len(dups) > 3 else "")
        raise BatchError(f"batch items need unique ids (they name reports and key the manifest): {shown}")
    sink: _FolderSink | _StoreSink
    if store is not None:
        if not batch:
            raise BatchError("a batch run into a database needs a batch name")
        sink, fmt, where = _StoreSink(store, batch), "json", str(getattr(store, "label", "database"))
    elif out_dir is not None:
        sink, where = _FolderSink(out_dir, fmt, resume), str(out_dir)
    else:
        raise BatchError("a batch run needs an output folder or a database")
    previous = sink.previous()
    todo = [it for it in items if not (it.id in previous and (previous[it.id] == "ok" or not retry_errors))]
    summary = BatchSummary(total=len(items), skipped_done=len(items) - len(todo), out_dir=where)
    if on_start:
        on_start(len(items), summary.skipped_done)
    if todo and engine == "local" and jobs > 1:
        _auditor(settings)  # warm once in the parent: forked workers inherit the loaded models
    t0 = time.perf_counter()
    with sink:
        for res in map_batches(_Audit(fmt, settings), todo, jobs=jobs, engine=engine):
            stored = sink.write(res)
            if not stored:
                summary.skipped_done += 1
            elif res.status == "ok" and res.output is not None:
                summary.done += 1
            else:
                summary.errors += 1
            if on_result:
                on_result(res)
    summary.seconds = round(time.perf_counter() - t0, 3)
    return summary
