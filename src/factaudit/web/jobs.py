"""Running audits for the web app: a worker pool, synchronous audits and background jobs.

The web layer holds no audit logic: every audit is ``Auditor.report(...)`` on an Article built
by :func:`factaudit.pipeline.make_article` from bytes (pasted text, uploads: never a path) or
from an http(s) URL (ingest fetches it through :mod:`factaudit.net`).

* :class:`ProcessRunner` (the server's default): a process pool sized to the cores, each worker
  building its Auditor once (``module:callable`` factory, default ``factaudit.pipeline:Auditor``)
  and reporting per-stage progress over a queue. A crashed worker pool is rebuilt.
* :class:`InlineRunner`: an Auditor object in a thread pool of this process (tests, embedding).
* :class:`AuditService`: small inputs are audited while the request waits; large ones become jobs
  in the store whose progress (stages done / stages) a GET shows.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import os
import queue
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from .. import errors
from .._workers import die_with_parent
from ..errors import BlockedURLError, FactauditError, ModelError
from ..net import validate_url
from ..pipeline import Auditor, make_article
from ..report.json_report import to_json_dict
from .storage import (
    AuditRecord,
    AuditStore,
    JobRecord,
    new_id,
    now_iso,
    record_from_report,
    report_from_dict,
)

__all__ = [
    "AuditRequest",
    "AuditService",
    "Busy",
    "InlineRunner",
    "ProcessRunner",
    "Runner",
    "WorkerCrashed",
    "load_factory",
    "raise_result_error",
    "report_for",
    "run_audit",
]

log = logging.getLogger("factaudit.web")

#: ``progress(stage, done, total)``.
Progress = Callable[[str, int, int], None]
DEFAULT_FACTORY = "factaudit.pipeline:Auditor"


@dataclass
class AuditRequest:
    """What to audit: bytes (pasted text or an upload) or an http(s) URL."""

    kind: Literal["text", "file", "url"]
    #: A label for the source (an upload's base name, "pasted text", the URL); never opened as a path.
    name: str
    data: bytes | None = None
    url: str | None = None
    #: Article metadata given with the request (``date``, ``outlet``): into ``article.meta``.
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else 0


class Busy(Exception):
    """Too many audits are waiting; the client should retry later."""


class WorkerCrashed(Exception):
    """An audit worker process died (the pool is rebuilt)."""


def load_factory(spec: str) -> Callable[[], Auditor]:
    """``"package.module:callable"`` → the callable (an Auditor class or a function returning one)."""
    module, _, attr = spec.partition(":")
    if not module or not attr:
        raise ModelError(f"auditor factory must look like 'module:callable', not {spec!r}")
    try:
        obj = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"cannot load the auditor factory {spec!r}: {exc}") from exc
    if not callable(obj):
        raise ModelError(f"auditor factory {spec!r} is not callable")
    return obj


def run_audit(auditor: Auditor, request: AuditRequest, progress: Progress | None = None) -> dict[str, Any]:
    """Audit one request; ``{"report": <JSON report>}`` or ``{"error": {"code", "message", "type"}}``."""
    try:
        if request.kind == "url":
            if not request.url:
                raise BlockedURLError("no URL given")
            validate_url(request.url)  # http(s) only: the string can never be read as a path
            article = make_article(request.url)
        else:
            article = make_article(request.data or b"", name=request.name)
        article.meta.update(request.meta)
        report = auditor.report(article, on_stage=progress)
        return {"report": to_json_dict(report)}
    except FactauditError as exc:
        return {"error": {"code": exc.code, "message": exc.message, "type": type(exc).__name__}}
    except RecursionError:
        return {
            "error": {
                "code": "FA104",
                "message": "input is nested too deeply to be read",
                "type": "UnsupportedFormatError",
            }
        }
    except Exception as exc:  # a bug: reported as an internal error, the worker lives on
        log.exception("audit of %s failed", request.name)
        return {
            "error": {"code": "FA000", "message": f"internal error: {type(exc).__name__}", "type": "internal"}
        }


def raise_result_error(result: dict[str, Any]) -> None:
    """Re-raise an ``{"error": ...}`` result as the FactauditError subclass its code names."""
    err = result.get("error")
    if not err:
        return
    cls: type[FactauditError] = FactauditError
    for obj in vars(errors).values():
        if isinstance(obj, type) and issubclass(obj, FactauditError) and obj.__name__ == err.get("type"):
            cls = obj
            break
    exc = cls(str(err.get("message", "audit failed")))
    if cls is FactauditError:
        exc.code = str(err.get("code", "FA000"))
    raise exc


class Runner(Protocol):
    """Something that runs audits and hands back futures of :func:`run_audit` results."""

    workers: int

    def start(self) -> None: ...
    def submit(self, request: AuditRequest, progress: Progress | None = None) -> Future[dict[str, Any]]: ...
    def ready(self) -> int: ...
    def close(self) -> None: ...


class InlineRunner:
    """Runs audits with one Auditor object in this process (one at a time: stages share models)."""

    def __init__(self, auditor: Auditor, workers: int = 1) -> None:
        self.auditor = auditor
        self.workers = max(1, workers)
        self._lock = threading.Lock()
        self._pool: Executor = ThreadPoolExecutor(
            max_workers=self.workers, thread_name_prefix="factaudit-audit"
        )

    def start(self) -> None:
        self._pool.submit(self.auditor.warm_up)

    def ready(self) -> int:
        return self.workers

    def _run(self, request: AuditRequest, progress: Progress | None) -> dict[str, Any]:
        with self._lock:
            return run_audit(self.auditor, request, progress)

    def submit(self, request: AuditRequest, progress: Progress | None = None) -> Future[dict[str, Any]]:
        return self._pool.submit(self._run, request, progress)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


# --------------------------------------------------------------------- worker-process side

_WORKER: dict[str, Any] = {}


def _init_worker(factory: str, progress_queue: Any, parent: int | None = None) -> None:
    if parent is not None:
        die_with_parent(parent)  # a killed server takes its audit workers with it
    _WORKER["queue"] = progress_queue
    try:
        auditor = load_factory(factory)()
        auditor.warm_up()
        _WORKER["auditor"] = auditor
    except Exception as exc:  # reported on every audit instead of breaking the pool
        _WORKER["error"] = f"{type(exc).__name__}: {exc}"


def _ping() -> bool:
    return "auditor" in _WORKER


def _work(request: AuditRequest, key: str | None) -> dict[str, Any]:
    auditor = _WORKER.get("auditor")
    if auditor is None:
        return {
            "error": {
                "code": ModelError.code,
                "type": "ModelError",
                "message": f"the audit worker could not start: {_WORKER.get('error', 'unknown')}",
            }
        }
    progress: Progress | None = None
    if key is not None:
        q = _WORKER["queue"]

        def progress(stage: str, done: int, total: int) -> None:
            q.put((key, stage, done, total))

    return run_audit(auditor, request, progress)


class ProcessRunner:
    """A spawned process pool of ``workers`` audit workers (default: one per core)."""

    def __init__(self, factory: str = DEFAULT_FACTORY, workers: int | None = None) -> None:
        self.factory = factory
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._ctx = multiprocessing.get_context("spawn")
        self._queue: Any = self._ctx.Queue()
        self._callbacks: dict[str, Progress] = {}
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._ready = 0
        self._closed = threading.Event()
        self._drain: threading.Thread | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._ctx,
            initializer=_init_worker,
            initargs=(self.factory, self._queue, os.getpid()),
        )
        self._ready = 0
        for _ in range(self.workers):  # start every worker now, so models load before the first audit
            pool.submit(_ping).add_done_callback(self._pinged)
        return pool

    def _pinged(self, fut: Future[bool]) -> None:
        if not fut.cancelled() and fut.exception() is None and fut.result():
            with self._lock:
                self._ready = min(self.workers, self._ready + 1)

    def ready(self) -> int:
        return self._ready

    def start(self) -> None:
        with self._lock:
            if self._pool is None:
                self._pool = self._new_pool()
        if self._drain is None:
            self._drain = threading.Thread(
                target=self._drain_progress, name="factaudit-progress", daemon=True
            )
            self._drain.start()

    def _drain_progress(self) -> None:
        while not self._closed.is_set():
            try:
                key, stage, done, total = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            except (EOFError, OSError, ValueError):  # queue closed at shutdown
                return
            callback = self._callbacks.get(key)
            if done >= total:  # the last stage: nothing more will come for this audit
                self._callbacks.pop(key, None)
            if callback is not None:
                try:
                    callback(stage, done, total)
                except Exception:  # a progress update must never stop the drain
                    log.exception("progress callback failed")

    def _forget_if_failed(self, fut: Future[dict[str, Any]], key: str) -> None:
        failed = fut.cancelled() or fut.exception() is not None or "error" in (fut.result() or {})
        if failed:
            self._callbacks.pop(key, None)

    def submit(self, request: AuditRequest, progress: Progress | None = None) -> Future[dict[str, Any]]:
        self.start()
        key = uuid.uuid4().hex if progress is not None else None
        if key is not None and progress is not None:
            self._callbacks[key] = progress
        for attempt in (1, 2):
            with self._lock:
                pool = self._pool
                assert pool is not None
            try:
                fut = pool.submit(_work, request, key)
                break
            except BrokenProcessPool:
                if attempt == 2:
                    raise WorkerCrashed("the audit workers could not be restarted") from None
                self._restart(pool)
        if key is not None:
            # A finished audit's last progress messages may still be in the queue: the drain thread
            # drops the callback after the last stage; a failed audit sends no more, so drop it now.
            fut.add_done_callback(lambda f: self._forget_if_failed(f, key))
        fut.add_done_callback(self._check_broken)
        return fut

    def _check_broken(self, fut: Future[dict[str, Any]]) -> None:
        if not fut.cancelled() and isinstance(fut.exception(), BrokenProcessPool):
            with self._lock:
                pool = self._pool
            if pool is not None:
                self._restart(pool)

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is not broken or self._closed.is_set():
                return
            log.warning("an audit worker died; restarting the worker pool")
            broken.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if self._drain is not None:
            self._drain.join(timeout=2)
        self._queue.close()
        self._queue.join_thread()


# --------------------------------------------------------------------- the service


class AuditService:
    """Audits requests through a runner and stores the reports (sync, or as background jobs)."""

    def __init__(self, store: AuditStore, runner: Runner, *, max_pending: int = 64) -> None:
        self.store, self.runner, self.max_pending = store, runner, max_pending
        self._pending = 0
        self._lock = threading.Lock()

    def _submit(self, request: AuditRequest, progress: Progress | None = None) -> Future[dict[str, Any]]:
        with self._lock:
            if self._pending >= self.max_pending:
                raise Busy(f"{self._pending} audits are waiting; try again shortly")
            self._pending += 1
        try:
            fut = self.runner.submit(request, progress)
        except BaseException:
            with self._lock:
                self._pending -= 1
            raise
        fut.add_done_callback(self._finished)
        return fut

    def _finished(self, _fut: Future[dict[str, Any]]) -> None:
        with self._lock:
            self._pending -= 1

    @property
    def pending(self) -> int:
        return self._pending

    def save(self, request: AuditRequest, result: dict[str, Any]) -> AuditRecord:
        """Store a successful result (raises the audit's error otherwise)."""
        raise_result_error(result)
        source = request.url or request.name
        record = record_from_report(result["report"], source=source, input_kind=request.kind)
        self.store.add_audit(record)
        return record

    async def audit_now(self, request: AuditRequest) -> AuditRecord:
        """Audit while the caller waits (in the pool); raises the audit's FactauditError."""
        fut = self._submit(request)
        try:
            result = await asyncio.wrap_future(fut)
        except BrokenProcessPool:
            raise WorkerCrashed("the audit worker stopped while auditing this input") from None
        return await asyncio.to_thread(self.save, request, result)

    def start_job(self, request: AuditRequest) -> JobRecord:
        """Queue a background audit; its progress and result are written to the job table."""
        now = now_iso()
        job = JobRecord(
            id=new_id(),
            status="queued",
            created_at=now,
            updated_at=now,
            source=request.url or request.name,
            input_kind=request.kind,
        )
        self.store.add_job(job)

        def progress(stage: str, done: int, total: int) -> None:
            self.store.update_job(
                job.id, status="running", stage=stage, progress=round(done / max(total, 1), 3)
            )

        def finished(fut: Future[dict[str, Any]]) -> None:
            try:
                if fut.cancelled():
                    raise FactauditError("the job was cancelled (server shutting down)")
                exc = fut.exception()
                if isinstance(exc, BrokenProcessPool):
                    raise WorkerCrashed("the audit worker stopped while auditing this input")
                if exc is not None:
                    raise exc
                record = self.save(request, fut.result())
                self.store.update_job(job.id, status="done", progress=1.0, stage=None, audit_id=record.id)
            except FactauditError as err:
                self.store.update_job(job.id, status="error", error_code=err.code, error_message=err.message)
            except Exception as err:
                log.exception("job %s failed", job.id)
                self.store.update_job(
                    job.id,
                    status="error",
                    error_code="FA000",
                    error_message=f"internal error: {type(err).__name__}",
                )

        self._submit(request, progress).add_done_callback(finished)
        return job


def report_for(record: AuditRecord) -> Any:
    """The stored report as a :class:`~factaudit.document.Report`."""
    return report_from_dict(record.report)
