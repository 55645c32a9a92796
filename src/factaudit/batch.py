"""Batch audits: many articles, one report each, resumable, in parallel.

Sources expand into :class:`BatchItem` s (files, directories of files, URLs, JSONL files with one
article per line). :func:`map_batches` is the one small interface over the engines: a local
process pool (default; forked workers inherit the warmed Auditor) or Ray (``engine="ray"``, an
optional extra; ``RAY_ADDRESS`` points the same code at a cluster). :func:`run_batch` writes each
report atomically and appends a line to ``manifest.jsonl`` only after the report exists, so a rerun
skips what a killed run already finished, and a bad article is recorded and skipped.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import BatchError, FactauditError, InputError

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".text"}
TEXT_KEYS = ("text", "content", "body", "article", "html")
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "md": "md",
    "html": "html",
    "claimreview": "claimreview.json",
    "annotations": "annotations.jsonld",
}
MANIFEST = "manifest.jsonl"


@dataclass
class BatchItem:
    id: str
    #: A path or URL to ingest; or None when ``text`` is given inline (JSONL).
    location: str | None = None
    text: str | None = None
    #: A problem found while expanding the sources (bad JSONL line): recorded, not audited.
    error: str | None = None


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


@dataclass
class BatchSummary:
    total: int = 0
    done: int = 0
    skipped_done: int = 0
    errors: int = 0
    seconds: float = 0.0
    out_dir: str = ""


def expand_sources(sources: Iterable[str]) -> Iterator[BatchItem]:
    """Files, directories (recursively, article suffixes only), URLs and JSONL files → items."""
    for src in sources:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", src):
            yield BatchItem(id=src, location=src)
            continue
        p = Path(src)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES:
                    yield BatchItem(id=str(f), location=str(f))
        elif p.suffix.lower() == ".jsonl":
            yield from _jsonl_items(p)
        else:
            yield BatchItem(id=src, location=src)


def _jsonl_items(path: Path) -> Iterator[BatchItem]:
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
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BatchItem(id=item_id, error=f"line {n} is not valid JSON ({exc.msg})")
                continue
            if not isinstance(obj, dict):
                yield BatchItem(id=item_id, error=f"line {n} is not a JSON object")
                continue
            item_id = str(obj.get("id", item_id))
            text = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str)), None)
            url = obj.get("url") if isinstance(obj.get("url"), str) else None
            if text is None and url is None:
                yield BatchItem(
                    id=item_id, error=f"line {n} has no text field ({', '.join(TEXT_KEYS)}) or url"
                )
                continue
            title = obj.get("title")
            if text is not None and isinstance(title, str) and title.strip() and not text.startswith(title):
                text = f"{title.strip()}\n\n{text}"
            yield BatchItem(id=item_id, location=None if text is not None else url, text=text)


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
    res = ItemResult(id=item.id, status="ok", source=item.location)
    try:
        if item.error:
            raise InputError(item.error)
        auditor = _auditor(settings)
        if item.text is not None:
            report = auditor.report(item.text.encode("utf-8"), name=item.id)
        else:
            report = auditor.report(str(item.location))
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
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
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


def _apply(fn: Callable[[BatchItem], ItemResult], item: BatchItem) -> ItemResult:
    """Ray task body: each Ray worker process keeps its own warmed Auditor (see ``_auditor``)."""
    return fn(item)


def _map_ray(
    fn: Callable[[BatchItem], ItemResult], items: list[BatchItem], jobs: int
) -> Iterator[ItemResult]:
    try:
        import ray
    except ImportError as exc:
        raise BatchError("engine 'ray' needs the ray extra: pip install 'factaudit[ray]'") from exc
    if not ray.is_initialized():
        ray.init(
            address=os.environ.get("RAY_ADDRESS"),
            ignore_reinit_error=True,
            log_to_driver=False,
            num_cpus=None if os.environ.get("RAY_ADDRESS") else max(jobs, 1),
        )
    remote = ray.remote(_apply)
    fn_ref = ray.put(fn)
    pending = [remote.remote(fn_ref, it) for it in items]
    while pending:
        done, pending = ray.wait(pending, num_returns=1)
        for ref in done:
            yield ray.get(ref)


# --- the resumable run -----------------------------------------------------------------------


def output_name(item_id: str, fmt: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", item_id).strip("._")[:100] or "article"
    digest = hashlib.sha1(item_id.encode("utf-8")).hexdigest()[:8]
    return f"{stem}.{digest}.{EXTENSIONS[fmt]}"


def read_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Finished items of an earlier run; a torn last line (a killed run) is ignored."""
    done: dict[str, dict[str, Any]] = {}
    path = out_dir / MANIFEST
    if not path.exists():
        return done
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and "id" in rec:
                done[str(rec["id"])] = rec
    return done


class _Audit:
    """Picklable worker callable (fork or Ray) binding the format and settings."""

    def __init__(self, fmt: str, settings: Settings | None) -> None:
        self.fmt, self.settings = fmt, settings

    def __call__(self, item: BatchItem) -> ItemResult:
        return audit_item(item, self.fmt, self.settings)


def run_batch(
    items: list[BatchItem],
    out_dir: Path,
    *,
    fmt: str = "json",
    jobs: int = 1,
    resume: bool = True,
    retry_errors: bool = False,
    engine: str = "local",
    settings: Settings | None = None,
    on_result: Callable[[ItemResult], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"cannot create output folder {out_dir}: {exc.strerror}") from exc
    previous = read_manifest(out_dir) if resume else {}
    todo = [
        it
        for it in items
        if not (it.id in previous and (previous[it.id].get("status") == "ok" or not retry_errors))
    ]
    summary = BatchSummary(total=len(items), skipped_done=len(items) - len(todo), out_dir=str(out_dir))
    if on_start:
        on_start(len(items), summary.skipped_done)
    if todo and engine == "local" and jobs > 1:
        _auditor(settings)  # warm once in the parent: forked workers inherit the loaded models
    t0 = time.perf_counter()
    manifest_path = out_dir / MANIFEST
    if resume and manifest_path.exists() and manifest_path.stat().st_size:
        with open(manifest_path, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            torn = fh.read(1) != b"\n"
        if torn:  # a killed run left half a line: start ours on a fresh one
            with open(manifest_path, "a", encoding="utf-8") as fh:
                fh.write("\n")
    with open(manifest_path, "a" if resume else "w", encoding="utf-8") as manifest:
        for res in map_batches(_Audit(fmt, settings), todo, jobs=jobs, engine=engine):
            rec = asdict(res)
            text = rec.pop("output")
            if res.status == "ok" and text is not None:
                name = output_name(res.id, fmt)
                tmp = out_dir / (name + ".part")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, out_dir / name)
                rec["output"] = name
                summary.done += 1
            else:
                summary.errors += 1
            manifest.write(json.dumps(rec, ensure_ascii=False) + "\n")
            manifest.flush()
            if on_result:
                on_result(res)
    summary.seconds = round(time.perf_counter() - t0, 3)
    return summary
