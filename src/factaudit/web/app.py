"""The web app: a thin FastAPI edge over the same Auditor the CLI uses.

Pages: ``/`` (submit text, a file or a URL), ``/audits`` (history with search), ``/audits/{id}``
(the audit with review forms), ``/jobs/{id}`` (progress of a large audit). The REST API lives
under ``/api`` and is described by ``/api/openapi.json``.

Errors are mapped to HTTP in one place (:data:`ERROR_STATUS`, :func:`install_error_handlers`): the
API answers ``{"error": {"code", "message"}}``, pages show the same message; bad input is a 4xx.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..document import VerdictLabel
from ..errors import (
    BlockedURLError,
    FactauditError,
    FetchError,
    InputError,
    InputTooLargeError,
    ModelError,
    PipelineError,
    StoreError,
    UnsupportedFormatError,
)
from ..net import blocked_reason, default_resolver, parse_ip_literal, validate_url
from ..pipeline import Auditor
from ..report import REPORT_FORMATS, get_format
from ..report.annotations import to_annotations
from ..report.claimreview import to_claimreview
from .jobs import (
    DEFAULT_FACTORY,
    AuditRequest,
    AuditService,
    Busy,
    InlineRunner,
    ProcessRunner,
    Runner,
    WorkerCrashed,
)
from .security import BodyLimitMiddleware, RateLimiter, TokenAuth, is_loopback_host, security_headers
from .storage import (
    AuditRecord,
    AuditStore,
    AuditSummary,
    JobRecord,
    ReviewRecord,
    SQLiteStore,
    now_iso,
    report_from_dict,
)
from .views import csp_for, render_audit_page, render_page

__all__ = ["ERROR_STATUS", "WebSettings", "create_app", "default_store_path", "serve"]

log = logging.getLogger("factaudit.web")

TOKEN_COOKIE = "factaudit_token"
#: The report formats the web app exports (the registry's, less the terminal view).
EXPORT_FORMATS: tuple[str, ...] = tuple(f for f in REPORT_FORMATS if f != "text")
ExportFormat = StrEnum("ExportFormat", [(f, f) for f in EXPORT_FORMATS])  # type: ignore[misc]
DEFAULT_EXPORT = ExportFormat("json")
#: Raw request bodies accepted by POST /api/audits besides JSON and forms (the body is the article).
RAW_TYPES = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
}
#: Declared upload types refused before reading (the bytes are sniffed anyway).
REFUSED_UPLOAD_PREFIXES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/zip",
    "application/x-",
    "application/java",
    "application/vnd.",
)


def default_store_path() -> Path:
    """The audit database in the user data folder (``.../factaudit/web/audits.sqlite3``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("factaudit")) / "web" / "audits.sqlite3"


@dataclass
class WebSettings:
    """How the server runs; the audit itself is configured by the Auditor's Settings."""

    store: Path = field(default_factory=default_store_path)
    host: str = "127.0.0.1"
    #: ``None``: tokens are required unless the server is bound to a loopback address.
    require_token: bool | None = None
    workers: int | None = None
    auditor_factory: str = DEFAULT_FACTORY
    max_body_bytes: int = 10 * 1024 * 1024
    #: Inputs up to this many characters are audited while the request waits; larger become jobs.
    sync_max_chars: int = 20_000
    rate_capacity: float = 240
    rate_per_s: float = 20
    audit_capacity: float = 60
    audit_per_s: float = 2
    max_pending: int = 64
    publisher: str = "factaudit"
    publisher_url: str | None = None
    #: Base URL used in exports (ClaimReview ``url``); default: the URL the request came in on.
    public_url: str | None = None
    #: Host headers accepted when no token is required (DNS-rebinding guard); default: loopback names.
    allowed_hosts: tuple[str, ...] | None = None

    @property
    def tokens_required(self) -> bool:
        return self.require_token if self.require_token is not None else not is_loopback_host(self.host)


# ------------------------------------------------------------------------- errors


class ApiError(Exception):
    """An HTTP error with a stable code and a message for users."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


#: factaudit errors → HTTP status, most specific first (the one place this mapping lives).
ERROR_STATUS: tuple[tuple[type[FactauditError], int], ...] = (
    (InputTooLargeError, 413),
    (UnsupportedFormatError, 415),
    (InputError, 422),
    (BlockedURLError, 422),
    (FetchError, 422),
    (ModelError, 503),
    (StoreError, 503),
    (PipelineError, 500),
    (FactauditError, 500),
)


def status_for(exc: FactauditError) -> int:
    return next(status for cls, status in ERROR_STATUS if isinstance(exc, cls))


class ErrorBody(BaseModel):
    code: str = Field(description="Stable error code: FAxxx for factaudit errors, else a short name.")
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def error_response(
    request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    headers = dict(headers or {})
    if _wants_html(request):
        if status == 401 and request.method == "GET":
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        heading = {404: "Not found", 401: "Sign-in needed", 429: "Too many requests"}.get(
            status, "Something is wrong"
        )
        page = render_page(
            "error.html.j2", status=status, code=code, message=message, heading=heading, **_page_ctx(request)
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
        return error_response(request, 422, "invalid_request", _validation_message(exc.errors()))

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


def _validation_message(errors: Any) -> str:
    parts = []
    for e in list(errors)[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{loc}: {e.get('msg', 'invalid')}" if loc else str(e.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


# ------------------------------------------------------------------------- API models


class Links(BaseModel):
    page: str
    api: str
    exports: dict[str, str]


class AuditSummaryOut(BaseModel):
    id: str
    created_at: str
    title: str
    source: str
    input_kind: str
    chars: int
    claims: int
    findings: int
    approved: int
    links: Links


class ReviewOut(BaseModel):
    claim_id: str
    reviewer: str
    reviewed_at: str
    label: VerdictLabel | None = Field(
        None, description="The reviewer's verdict; null confirms the machine's."
    )
    note: str | None = None
    approved: bool
    machine_label: str | None = Field(None, description="The machine verdict when the review was made.")
    machine_confidence: float | None = None


class AuditOut(AuditSummaryOut):
    report: dict[str, Any] = Field(description="The JSON report (factaudit.report schema).")
    reviews: list[ReviewOut]


class AuditList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditSummaryOut]


class JobOut(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "error"]
    progress: float = Field(ge=0, le=1)
    stage: str | None = None
    created_at: str
    updated_at: str
    source: str
    input_kind: str
    audit_id: str | None = None
    error: ErrorBody | None = None
    links: dict[str, str]


class AuditIn(BaseModel):
    """Exactly one of ``text`` or ``url``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Tesla opened a factory in Shanghai in 2019, Reuters reported.",
                    "name": "example.txt",
                }
            ]
        },
    )
    text: str | None = Field(None, description="The article (plain text, Markdown or HTML).")
    url: str | None = Field(None, max_length=2048, description="An http(s) URL to fetch and audit.")
    name: str | None = Field(None, max_length=200, description="A label for the source.")


class ReviewIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "label": "REFUTED",
                    "note": "The company's filings show no such partnership.",
                    "approved": True,
                }
            ]
        },
    )
    label: VerdictLabel | None = Field(None, description="Your verdict; null confirms the machine verdict.")
    note: str | None = Field(None, max_length=5000)
    approved: bool = Field(False, description="Approve the claim for publication (ClaimReview).")
    reviewer: str | None = Field(
        None, max_length=100, description="Your name (ignored with a token: its name is used)."
    )


class ReviewsOut(BaseModel):
    current: list[ReviewOut]
    history: list[ReviewOut]


class HealthOut(BaseModel):
    status: str
    version: str
    workers: int
    workers_ready: int
    pending: int


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error statuses (always with the common ones)."""
    described = {
        400: "Malformed request",
        401: "Missing or invalid API token",
        403: "Cross-site request refused",
        404: "Unknown audit, claim or job",
        413: "Request or input too large",
        415: "Unsupported media type",
        422: "Invalid or unauditable input",
        429: "Rate limit reached",
        503: "Server busy or a model could not be loaded",
    }
    wanted = sorted({400, 401, 413, 429, *codes})
    return {c: {"model": ErrorOut, "description": described.get(c, "Error")} for c in wanted}


# ------------------------------------------------------------------------- state and guards


@dataclass
class AppState:
    settings: WebSettings
    store: AuditStore
    runner: Runner
    service: AuditService
    auth: TokenAuth
    limiter: RateLimiter
    audit_limiter: RateLimiter
    owns_store: bool = True


def _state(request: Request) -> AppState:
    st: AppState = request.app.state.fa
    return st


def _client_key(request: Request) -> str:
    return "ip:" + (request.client.host if request.client else "unknown")


def _token_of(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.cookies.get(TOKEN_COOKIE) or None


def _rate(limiter: RateLimiter, key: str) -> None:
    wait = limiter.take(key)
    if wait > 0:
        secs = max(1, math.ceil(wait))
        raise ApiError(
            429, "rate_limited", f"too many requests; try again in {secs} s", {"Retry-After": str(secs)}
        )


def identity(request: Request) -> str | None:
    """The token name (when one is given or required), after auth and the per-client rate limit."""
    st = _state(request)
    token = _token_of(request)
    name = st.auth.verify(token) if token else None
    if st.settings.tokens_required and name is None:
        _rate(st.limiter, _client_key(request))
        headers = {"WWW-Authenticate": "Bearer"}
        if token is None:
            raise ApiError(
                401,
                "unauthorized",
                "an API token is required: send 'Authorization: Bearer <token>' "
                "(create one with 'factaudit token create NAME')",
                headers,
            )
        raise ApiError(401, "invalid_token", "the API token is invalid or revoked", headers)
    _rate(st.limiter, f"token:{name}" if name else _client_key(request))
    return name


Identity = Annotated[str | None, Depends(identity)]
State = Annotated[AppState, Depends(_state)]


def _page_ctx(request: Request) -> dict[str, Any]:
    st: AppState | None = getattr(request.app.state, "fa", None)
    user = None
    if st is not None and st.settings.tokens_required:
        token = _token_of(request)
        user = st.auth.verify(token) if token else None
    return {"user": user, "auth_required": bool(st and st.settings.tokens_required)}


# ------------------------------------------------------------------------- input → AuditRequest


def safe_name(filename: str | None, default: str = "upload") -> str:
    """The base name of an uploaded file, reduced to safe characters (a label, never a path)."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" ._")[:100]
    return base or default


async def _precheck_url(url: str) -> str:
    """Refuse non-http(s), malformed and private/loopback/link-local targets at once (4xx).

    The fetch itself (factaudit.net, in the worker) checks again at connection time, redirects
    included, and connects to the vetted address only (no DNS rebinding).
    """
    u = validate_url(url.strip())
    host = u.raw_host.decode("ascii", "replace")
    literal = parse_ip_literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        port = u.port or (443 if u.scheme == "https" else 80)
        try:
            found = await asyncio.wait_for(asyncio.to_thread(default_resolver, host, port), timeout=5)
        except (TimeoutError, OSError):
            raise FetchError(f"could not reach {host}: name does not resolve") from None
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in found]
        except ValueError:
            raise BlockedURLError(f"{host} resolved to a malformed address") from None
    for ip in addresses:
        reason = blocked_reason(ip)
        if reason:
            raise BlockedURLError(f"refusing to fetch {host}: {reason}")
    return str(u)


async def build_request(text: Any, url: Any, upload: Any, name: str | None) -> AuditRequest:
    """Exactly one of text, URL or an uploaded file → an :class:`AuditRequest`."""
    text = text if isinstance(text, str) and text.strip() else None
    url = url.strip() if isinstance(url, str) and url.strip() else None
    upload = upload if isinstance(upload, UploadFile) and (upload.filename or upload.size) else None
    given = [k for k, v in (("text", text), ("url", url), ("file", upload)) if v is not None]
    if not given:
        raise ApiError(422, "no_input", "give the article as text, a file or an http(s) URL")
    if len(given) > 1:
        raise ApiError(422, "ambiguous_input", f"give only one of text, file or URL (got {', '.join(given)})")
    label = safe_name(name, "") if name else ""
    if text is not None:
        return AuditRequest(kind="text", name=label or "pasted text", data=text.encode("utf-8", "replace"))
    if url is not None:
        return AuditRequest(kind="url", name=url, url=await _precheck_url(url))
    assert isinstance(upload, UploadFile)
    ctype = (upload.content_type or "").split(";")[0].strip().lower()
    if ctype.startswith(REFUSED_UPLOAD_PREFIXES) and ctype not in RAW_TYPES:
        raise UnsupportedFormatError(
            f"uploads of type {ctype} are not audited; send text, Markdown, HTML or PDF"
        )
    data = await upload.read()
    await upload.close()
    return AuditRequest(kind="file", name=label or safe_name(upload.filename), data=data)


async def read_api_input(request: Request) -> AuditRequest:
    """POST /api/audits accepts JSON, a form (multipart or urlencoded), or the article as the body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        try:
            payload = json.loads(await request.body())
        except RecursionError:  # [[[[... a few thousand deep: bad input, not a server fault
            raise ApiError(400, "bad_json", "the body is not usable JSON: nested too deeply") from None
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, an over-long integer
            detail = str(exc).split(";")[0]  # drop Python's advice on the integer digit limit
            raise ApiError(400, "bad_json", f"the body is not valid JSON: {detail}") from None
        try:
            body = AuditIn.model_validate(payload)
        except ValidationError as exc:
            raise ApiError(422, "invalid_request", _validation_message(exc.errors())) from None
        return await build_request(body.text, body.url, None, body.name)
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=2, max_fields=20)
        return await build_request(
            form.get("text"), form.get("url"), form.get("file"), _str(form.get("name"))
        )
    if ctype in RAW_TYPES:
        data = await request.body()
        if not data.strip():
            raise ApiError(422, "no_input", "the request body is empty")
        return AuditRequest(kind="file", name=f"upload{RAW_TYPES[ctype]}", data=data)
    shown = ctype or "no content type"
    raise ApiError(
        415,
        "unsupported_media_type",
        f"{shown} is not accepted: send JSON, a multipart form, or text/plain, text/markdown, "
        "text/html or application/pdf",
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _is_large(st: AppState, req: AuditRequest) -> bool:
    if req.kind == "url":
        return True  # the size is unknown until fetched
    limit = st.settings.sync_max_chars
    if req.kind == "text":
        return len(req.data or b"") > limit and len((req.data or b"").decode("utf-8", "replace")) > limit
    plain = req.name.lower().endswith((".txt", ".text", ".md", ".markdown"))
    return req.size > (limit if plain else 4 * limit)  # markup and PDF bytes carry far less text


# ------------------------------------------------------------------------- views of records


def _links(request: Request, audit_id: str) -> Links:
    api = f"/api/audits/{audit_id}"
    return Links(
        page=f"/audits/{audit_id}",
        api=api,
        exports={f: f"{api}/export?format={f}" for f in EXPORT_FORMATS},
    )


def _summary(request: Request, rec: AuditSummary) -> AuditSummaryOut:
    return AuditSummaryOut(
        id=rec.id,
        created_at=rec.created_at,
        title=rec.title,
        source=rec.source,
        input_kind=rec.input_kind,
        chars=rec.chars,
        claims=rec.claims,
        findings=rec.findings,
        approved=rec.approved,
        links=_links(request, rec.id),
    )


def _review_out(r: ReviewRecord) -> ReviewOut:
    return ReviewOut(
        claim_id=r.claim_id,
        reviewer=r.reviewer,
        reviewed_at=r.reviewed_at,
        label=r.label,  # type: ignore[arg-type]
        note=r.note,
        approved=r.approved,
        machine_label=r.machine_label,
        machine_confidence=r.machine_confidence,
    )


def _job_out(job: JobRecord) -> JobOut:
    links = {"self": f"/api/jobs/{job.id}", "page": f"/jobs/{job.id}"}
    if job.audit_id:
        links["audit"] = f"/api/audits/{job.audit_id}"
        links["audit_page"] = f"/audits/{job.audit_id}"
    error = (
        ErrorBody(code=job.error_code or "FA000", message=job.error_message or "failed")
        if job.status == "error"
        else None
    )
    return JobOut(
        id=job.id,
        status=job.status,
        progress=max(0.0, min(1.0, job.progress)),
        stage=job.stage,
        created_at=job.created_at,
        updated_at=job.updated_at,
        source=job.source,
        input_kind=job.input_kind,
        audit_id=job.audit_id,
        error=error,
        links=links,
    )


def _audit_or_404(st: AppState, audit_id: str) -> AuditRecord:
    rec = st.store.get_audit(audit_id) if len(audit_id) <= 64 else None
    if rec is None:
        raise ApiError(404, "not_found", f"no audit with id {audit_id!r}")
    return rec


def _job_or_404(st: AppState, job_id: str) -> JobRecord:
    job = st.store.get_job(job_id) if len(job_id) <= 64 else None
    if job is None:
        raise ApiError(404, "not_found", f"no job with id {job_id!r}")
    return job


def apply_review(
    st: AppState, audit_id: str, claim_id: str, body: ReviewIn, token_name: str | None
) -> ReviewRecord:
    """Record a reviewer's decision next to the machine verdict (which is never changed)."""
    rec = _audit_or_404(st, audit_id)
    claim = next(
        (c for c in rec.report.get("article", {}).get("claims", []) if c.get("id") == claim_id), None
    )
    if claim is None:
        raise ApiError(404, "not_found", f"audit {audit_id} has no claim {claim_id!r}")
    machine = claim.get("verdict") or {}
    if body.approved and not body.label and not machine:
        raise ApiError(
            422, "no_verdict", f"choose a verdict before approving {claim_id}: no verifier checked it"
        )
    reviewer = token_name or (body.reviewer or "").strip() or "local reviewer"
    review = ReviewRecord(
        audit_id=audit_id,
        claim_id=claim_id,
        reviewer=reviewer,
        reviewed_at=now_iso(),
        label=body.label,
        note=(body.note or "").strip() or None,
        approved=body.approved,
        machine_label=machine.get("label"),
        machine_confidence=machine.get("confidence"),
    )
    st.store.add_review(review)
    return review


def _base_url(st: AppState, request: Request) -> str:
    return (st.settings.public_url or str(request.base_url)).rstrip("/")


def export_response(st: AppState, request: Request, rec: AuditRecord, fmt: str) -> Response:
    report = report_from_dict(rec.report)
    current = st.store.current_reviews(rec.id)
    reviews = {cid: r.to_review() for cid, r in current.items()}
    base = _base_url(st, request)
    page = f"{base}/audits/{rec.id}"
    spec = get_format(fmt)
    disposition = {"Content-Disposition": f'attachment; filename="factaudit-{rec.id}.{spec.extension}"'}
    if fmt in ("json", "md"):
        return Response(spec.render(report), media_type=spec.media_type, headers=disposition)
    if fmt == "html":
        html, csp = render_audit_page(
            report,
            audit_id=rec.id,
            reviews=current,
            history=_history(st, rec.id),
            static=True,
            created_at=rec.created_at,
        )
        return HTMLResponse(html, headers={**disposition, "Content-Security-Policy": csp})
    if fmt == "claimreview":
        data: Any = to_claimreview(
            report,
            reviews,
            publisher=st.settings.publisher,
            publisher_url=st.settings.publisher_url,
            review_url=lambda c: f"{page}#claim-{c.id}",
            appearance_url=page,
        )
    else:
        data = to_annotations(
            report, reviews, collection_id=f"{base}/api/audits/{rec.id}/export?format=annotations"
        )
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2), media_type=spec.media_type, headers=disposition
    )


def _history(st: AppState, audit_id: str) -> dict[str, list[ReviewRecord]]:
    out: dict[str, list[ReviewRecord]] = {}
    for r in st.store.review_history(audit_id):
        out.setdefault(r.claim_id, []).append(r)
    return out


# ------------------------------------------------------------------------- routes: API

api = APIRouter(prefix="/api", tags=["audits"])


@api.get("/health", response_model=HealthOut, tags=["server"], responses=_errors())
def health(st: State) -> HealthOut:
    """Liveness and how many audit workers have loaded their models."""
    return HealthOut(
        status="ok",
        version=__version__,
        workers=st.runner.workers,
        workers_ready=st.runner.ready(),
        pending=st.service.pending,
    )


_AUDIT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AuditIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "url": {"type": "string"},
                        "file": {"type": "string", "format": "binary"},
                        "name": {"type": "string"},
                    },
                }
            },
            "text/plain": {"schema": {"type": "string", "format": "binary"}},
            "text/html": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@api.post(
    "/audits",
    status_code=201,
    response_model=AuditOut,
    openapi_extra=_AUDIT_BODY,
    responses={
        202: {"model": JobOut, "description": "Large input or a URL: a background job was started"},
        **_errors(415, 422, 503),
    },
)
async def create_audit(request: Request, st: State, who: Identity) -> Response:
    """Audit text, a URL or a file. Small inputs answer 201 with the audit; large inputs and URLs
    answer 202 with a job to poll (``GET /api/jobs/{id}``)."""
    _rate(st.audit_limiter, f"token:{who}" if who else _client_key(request))
    req = await read_api_input(request)
    if _is_large(st, req):
        job = st.service.start_job(req)
        out = _job_out(job)
        return JSONResponse(out.model_dump(), status_code=202, headers={"Location": out.links["self"]})
    rec = await st.service.audit_now(req)
    body = AuditOut(**_summary(request, rec).model_dump(), report=rec.report, reviews=[])
    return JSONResponse(body.model_dump(), status_code=201, headers={"Location": body.links.api})


@api.get("/audits", response_model=AuditList, responses=_errors(422))
def list_audits(
    request: Request,
    st: State,
    who: Identity,
    q: Annotated[str, Query(max_length=200, description="Words to find in title, source or text.")] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AuditList:
    """Past audits, newest first, optionally searched."""
    items, total = st.store.list_audits(q, limit, offset)
    return AuditList(total=total, limit=limit, offset=offset, items=[_summary(request, i) for i in items])


@api.get("/audits/{audit_id}", response_model=AuditOut, responses=_errors(404))
def get_audit(request: Request, audit_id: str, st: State, who: Identity) -> AuditOut:
    """One audit: its JSON report and the current reviews."""
    rec = _audit_or_404(st, audit_id)
    reviews = [_review_out(r) for r in st.store.current_reviews(audit_id).values()]
    return AuditOut(**_summary(request, rec).model_dump(), report=rec.report, reviews=reviews)


@api.get(
    "/audits/{audit_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The export",
            "content": {
                "application/json": {},
                "text/markdown": {},
                "text/html": {},
                "application/ld+json": {},
            },
        },
        **_errors(404, 422),
    },
)
def export_audit(
    request: Request,
    audit_id: str,
    st: State,
    who: Identity,
    format: Annotated[
        ExportFormat,
        Query(description="; ".join(f"{f}: {REPORT_FORMATS[f].description}" for f in EXPORT_FORMATS)),
    ] = DEFAULT_EXPORT,
) -> Response:
    """Export an audit (ClaimReview contains approved claims only)."""
    return export_response(st, request, _audit_or_404(st, audit_id), format)


@api.get("/audits/{audit_id}/reviews", response_model=ReviewsOut, tags=["review"], responses=_errors(404))
def get_reviews(audit_id: str, st: State, who: Identity) -> ReviewsOut:
    """Current review per claim, and every decision ever made (who and when)."""
    _audit_or_404(st, audit_id)
    return ReviewsOut(
        current=[_review_out(r) for r in st.store.current_reviews(audit_id).values()],
        history=[_review_out(r) for r in st.store.review_history(audit_id)],
    )


@api.put(
    "/audits/{audit_id}/claims/{claim_id}/review",
    response_model=ReviewOut,
    tags=["review"],
    responses=_errors(403, 404, 422),
)
def put_review(audit_id: str, claim_id: str, body: ReviewIn, st: State, who: Identity) -> ReviewOut:
    """Confirm or change a claim's verdict, add a note, approve it for publication."""
    return _review_out(apply_review(st, audit_id, claim_id, body, who))


@api.get("/jobs/{job_id}", response_model=JobOut, tags=["jobs"], responses=_errors(404))
def get_job(job_id: str, st: State, who: Identity) -> JobOut:
    """A background audit's status and progress (0..1); ``audit_id`` once done."""
    return _job_out(_job_or_404(st, job_id))


# ------------------------------------------------------------------------- routes: pages

pages = APIRouter(include_in_schema=False)


def _html(page: str, status: int = 200, csp: str | None = None) -> HTMLResponse:
    return HTMLResponse(page, status_code=status, headers={"Content-Security-Policy": csp or csp_for()})


def _submit_page(
    request: Request,
    st: AppState,
    *,
    error: str | None = None,
    text: str = "",
    url: str = "",
    status: int = 200,
) -> HTMLResponse:
    recent, _ = st.store.list_audits("", 5, 0)
    page = render_page(
        "submit.html.j2",
        error=error,
        text=text,
        url=url,
        recent=recent,
        max_mb=round(st.settings.max_body_bytes / 2**20, 1),
        sync_chars=st.settings.sync_max_chars,
        max_chars=st.settings.max_body_bytes,
        **_page_ctx(request),
    )
    return _html(page, status)


@pages.get("/")
def home(request: Request, st: State, who: Identity) -> HTMLResponse:
    return _submit_page(request, st)


@pages.post("/audits")
async def submit(request: Request, st: State, who: Identity) -> Response:
    form = await request.form(max_files=2, max_fields=20)
    text, url = _str(form.get("text")) or "", _str(form.get("url")) or ""
    try:
        _rate(st.audit_limiter, f"token:{who}" if who else _client_key(request))
        req = await build_request(form.get("text"), form.get("url"), form.get("file"), None)
        if _is_large(st, req):
            job = st.service.start_job(req)
            return RedirectResponse(f"/jobs/{job.id}", status_code=303)
        rec = await st.service.audit_now(req)
    except ApiError as exc:
        return _submit_page(request, st, error=exc.message, text=text, url=url, status=exc.status)
    except FactauditError as exc:
        return _submit_page(
            request, st, error=f"error[{exc.code}]: {exc.message}", text=text, url=url, status=status_for(exc)
        )
    return RedirectResponse(f"/audits/{rec.id}", status_code=303)


@pages.get("/audits")
def history(
    request: Request,
    st: State,
    who: Identity,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    per = 25
    items, total = st.store.list_audits(q, per, (page - 1) * per)
    qs = f"&q={quote(q)}" if q else ""
    html = render_page(
        "history.html.j2",
        q=q,
        items=items,
        total=total,
        prev_url=f"/audits?page={page - 1}{qs}" if page > 1 else None,
        next_url=f"/audits?page={page + 1}{qs}" if page * per < total else None,
        **_page_ctx(request),
    )
    return _html(html)


@pages.get("/audits/{audit_id}")
def audit_page(request: Request, audit_id: str, st: State, who: Identity) -> HTMLResponse:
    rec = _audit_or_404(st, audit_id)
    report = report_from_dict(rec.report)
    html, csp = render_audit_page(
        report,
        audit_id=rec.id,
        reviews=st.store.current_reviews(rec.id),
        history=_history(st, rec.id),
        reviewer=who,
        created_at=rec.created_at,
    )
    return _html(html, csp=csp)


@pages.post("/audits/{audit_id}/claims/{claim_id}/review")
async def review_form(request: Request, audit_id: str, claim_id: str, st: State, who: Identity) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    label = _str(form.get("label")) or None
    try:
        body = ReviewIn.model_validate(
            {
                "label": label,
                "note": _str(form.get("note")),
                "approved": form.get("approved") == "1",
                "reviewer": _str(form.get("reviewer")),
            }
        )
    except ValidationError as exc:
        raise ApiError(422, "invalid_request", _validation_message(exc.errors())) from None
    apply_review(st, audit_id, claim_id, body, who)
    return RedirectResponse(f"/audits/{audit_id}#claim-{quote(claim_id)}", status_code=303)


@pages.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str, st: State, who: Identity) -> Response:
    job = _job_or_404(st, job_id)
    if job.status == "done" and job.audit_id:
        return RedirectResponse(f"/audits/{job.audit_id}", status_code=303)
    return _html(render_page("job.html.j2", job=job, **_page_ctx(request)))


@pages.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return _html(render_page("login.html.j2", error=None, next=_safe_next(next), **_page_ctx(request)))


@pages.post("/login")
async def login(request: Request, st: State) -> Response:
    _rate(st.limiter, _client_key(request))
    form = await request.form(max_files=0, max_fields=5)
    token = (_str(form.get("token")) or "").strip()
    target = _safe_next(_str(form.get("next")) or "/")
    if not st.auth.verify(token):
        page = render_page(
            "login.html.j2",
            error="That token is not valid (or was revoked).",
            next=target,
            **_page_ctx(request),
        )
        return _html(page, 401)
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(
        TOKEN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=12 * 3600,
        path="/",
    )
    return resp


@pages.post("/logout")
def logout() -> Response:
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(TOKEN_COOKIE, path="/")
    return resp


def _safe_next(target: str) -> str:
    """Only same-site paths (``/...``, not ``//host``) are followed after sign-in."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


# ------------------------------------------------------------------------- the app


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
    the_store: AuditStore = store if store is not None else SQLiteStore(settings.store)
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
        store = SQLiteStore(settings.store)
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
