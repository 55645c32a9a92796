"""The web app: a thin FastAPI edge over the same Auditor the CLI uses.

Pages: ``/`` (submit text, a file or a URL), ``/audits`` (history with search), ``/audits/{id}``
(the audit with review forms), ``/jobs/{id}`` (progress of a large audit). The REST API lives
under ``/api`` and is described by ``/api/openapi.json``.

This module assembles the app (:func:`create_app`) and runs it (:func:`serve`); the parts live beside
it in the web package:

* :mod:`.settings` — :class:`WebSettings` (how the server runs);
* :mod:`.errors` — :class:`ApiError` and :data:`ERROR_STATUS`, the one mapping of errors to HTTP;
  :mod:`.handlers` answers every error as ``{"error": {"code", "message"}}`` or an error page;
* :mod:`.deps` — the app state, API-token identity, rate limits;
* :mod:`.schemas` — the API's pydantic models; :mod:`.inputs` — request input → an audit request;
* :mod:`.records` — records as the API shows them, reviews, exports;
* :mod:`.api` and :mod:`.pages` — the routes; :mod:`.views` renders the pages;
* :mod:`.jobs` (audits in worker processes), :mod:`.storage` (SQLite or PostgreSQL),
  :mod:`.security` (tokens, limits, headers).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from .._version import __version__
from ..pipeline import Auditor
from .api import api
from .corpus import corpus_pages
from .deps import AppState
from .errors import ERROR_STATUS, ApiError, status_for
from .handlers import error_response, install_error_handlers
from .inputs import build_request, read_api_input, safe_name
from .jobs import AuditService, InlineRunner, ProcessRunner, Runner
from .pages import pages
from .security import BodyLimitMiddleware, RateLimiter, TokenAuth, security_headers
from .settings import WebSettings, default_store_path
from .storage import AuditStore, open_store

__all__ = [
    "ERROR_STATUS",
    "ApiError",
    "WebSettings",
    "build_request",
    "create_app",
    "default_store_path",
    "error_response",
    "read_api_input",
    "safe_name",
    "serve",
    "status_for",
]

log = logging.getLogger("factaudit.web")


def create_app(
    settings: WebSettings | None = None,
    *,
    store: AuditStore | None = None,
    runner: Runner | None = None,
    auditor: Auditor | None = None,
) -> FastAPI:
    """The ASGI app. ``auditor`` runs audits in this process (tests); otherwise a worker pool
    sized to the cores builds its own Auditors from ``settings.auditor_factory``."""
    settings = settings or WebSettings()
    owns_store = store is None
    the_store: AuditStore = store if store is not None else open_store(settings.store_target)
    if runner is None:
        runner = (
            InlineRunner(auditor)
            if auditor is not None
            else ProcessRunner(settings.auditor_factory, settings.workers)
        )
    st = AppState(
        settings=settings,
        store=the_store,
        runner=runner,
        service=AuditService(the_store, runner, max_pending=settings.max_pending),
        auth=TokenAuth(the_store),
        limiter=RateLimiter(settings.rate_capacity, settings.rate_per_s),
        audit_limiter=RateLimiter(settings.audit_capacity, settings.audit_per_s),
        owns_store=owns_store,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        failed = the_store.fail_unfinished_jobs("the server stopped before this job finished")
        if failed:
            log.warning("%d unfinished jobs from an earlier run marked as failed", failed)
        runner.start()
        try:
            yield
        finally:
            runner.close()
            if owns_store:
                the_store.close()

    app = FastAPI(
        title="factaudit",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        description="Audit news articles offline: claims, who asserts them, how they are hedged and "
        "sourced, what the evidence says; human review and ClaimReview export.",
    )
    app.state.fa = st
    app.include_router(api)
    app.include_router(pages)
    app.include_router(corpus_pages)
    install_error_handlers(app)
    allowed = _allowed_hosts(settings)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = (request.headers.get("host") or "").lower()
        hostname = urlsplit(f"//{host}").hostname or ""
        if allowed is not None and hostname not in allowed:
            resp: Response = JSONResponse(
                {"error": {"code": "bad_host", "message": f"host {host!r} is not served here"}},
                status_code=400,
            )
        elif request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin(request, host):
            resp = JSONResponse(
                {"error": {"code": "cross_origin", "message": "cross-site request refused"}}, status_code=403
            )
        else:
            resp = await call_next(request)
        for k, v in security_headers().items():
            resp.headers.setdefault(k, v)
        return resp

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    return app


def _allowed_hosts(settings: WebSettings) -> set[str] | None:
    """Host headers served (the DNS-rebinding guard); ``None``: any, since tokens are required."""
    if settings.allowed_hosts is not None:
        return {h.lower().strip("[]") for h in settings.allowed_hosts}
    if settings.tokens_required:
        return None
    return {"localhost", "127.0.0.1", "::1", settings.host.lower().strip("[]")}


def _same_origin(request: Request, host: str) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser form/fetch from another site (browsers always send Origin there)
    return urlsplit(origin).netloc.lower() == host


def serve(settings: WebSettings, *, port: int = 8000, log_level: str = "info") -> None:
    """Run the app with uvicorn (blocking)."""
    import uvicorn

    if settings.tokens_required:
        store = open_store(settings.store_target)
        n = len(store.list_tokens())
        store.close()
        if not n:
            log.warning(
                "tokens are required on %s but none exist: create one with 'factaudit token create NAME'",
                settings.host,
            )
    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=port,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=5,
    )
