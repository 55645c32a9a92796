"""Every error answered the same way: the API gets ``{"error": {"code", "message"}}`` with the right
status, pages get an error page with the same message (a sign-in redirect for a GET without a token)."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import FactauditError
from .deps import page_context
from .errors import ApiError, status_for, validation_message
from .jobs import Busy, WorkerCrashed
from .views import csp_for, render_page

__all__ = ["error_response", "install_error_handlers"]

log = logging.getLogger("factaudit.web")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def error_response(
    request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    """The error as JSON, or as a page for a browser asking for HTML outside ``/api/``."""
    headers = dict(headers or {})
    if _wants_html(request):
        if status == 401 and request.method == "GET":
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        heading = {404: "Not found", 401: "Sign-in needed", 429: "Too many requests"}.get(
            status, "Something is wrong"
        )
        page = render_page(
            "error.html.j2",
            status=status,
            code=code,
            message=message,
            heading=heading,
            **page_context(request),
        )
        return HTMLResponse(
            page, status_code=status, headers={**headers, "Content-Security-Policy": csp_for()}
        )
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Every error becomes ``{"error": {"code", "message"}}`` (or an error page) with the right status."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(FactauditError)
    async def _fa(request: Request, exc: FactauditError) -> Response:
        status = status_for(exc)
        if status >= 500:
            log.error("error[%s]: %s", exc.code, exc.message)
        return error_response(request, status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, "invalid_request", validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}.get(
            exc.status_code, "http_error"
        )
        message = str(exc.detail) if exc.detail else "request refused"
        headers = dict(exc.headers or {})
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        if exc.status_code == 405:
            allowed = _allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            message = f"{request.method} is not allowed here; use {' or '.join(allowed)}"
        return error_response(request, exc.status_code, code, message, headers)

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy) -> Response:
        return error_response(request, 503, "busy", str(exc), {"Retry-After": "5"})

    @app.exception_handler(WorkerCrashed)
    async def _crashed(request: Request, exc: WorkerCrashed) -> Response:
        return error_response(request, 500, "worker_crashed", str(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(
            request, 500, "internal", f"internal error ({type(exc).__name__}); please report it"
        )


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette's 405 names only the first route's)."""
    from starlette.routing import Match

    allowed = []
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.routes):
            allowed.append(method)
    return allowed or ["GET"]
