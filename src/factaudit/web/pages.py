"""The HTML pages: submit (``/``), history (``/audits``), an audit with its review forms
(``/audits/{id}``), a job's progress (``/jobs/{id}``), sign-in and sign-out. Not in the OpenAPI schema."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from ..errors import FactauditError
from .deps import TOKEN_COOKIE, AppState, Identity, State, client_key, page_context, rate
from .errors import ApiError, status_for, validation_message
from .inputs import build_request, form_str, is_large
from .records import apply_review, audit_or_404, job_or_404, review_history
from .schemas import ReviewIn
from .storage import report_from_dict
from .views import csp_for, render_audit_page, render_page

__all__ = ["pages"]

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
        **page_context(request),
    )
    return _html(page, status)


@pages.get("/")
def home(request: Request, st: State, who: Identity) -> HTMLResponse:
    return _submit_page(request, st)


@pages.post("/audits")
async def submit(request: Request, st: State, who: Identity) -> Response:
    form = await request.form(max_files=2, max_fields=20)
    text, url = form_str(form.get("text")) or "", form_str(form.get("url")) or ""
    try:
        rate(st.audit_limiter, f"token:{who}" if who else client_key(request))
        req = await build_request(form.get("text"), form.get("url"), form.get("file"), None)
        if is_large(st, req):
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
        **page_context(request),
    )
    return _html(html)


@pages.get("/audits/{audit_id}")
def audit_page(request: Request, audit_id: str, st: State, who: Identity) -> HTMLResponse:
    rec = audit_or_404(st, audit_id)
    report = report_from_dict(rec.report)
    html, csp = render_audit_page(
        report,
        audit_id=rec.id,
        reviews=st.store.current_reviews(rec.id),
        history=review_history(st, rec.id),
        reviewer=who,
        created_at=rec.created_at,
    )
    return _html(html, csp=csp)


@pages.post("/audits/{audit_id}/claims/{claim_id}/review")
async def review_form(request: Request, audit_id: str, claim_id: str, st: State, who: Identity) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    label = form_str(form.get("label")) or None
    try:
        body = ReviewIn.model_validate(
            {
                "label": label,
                "note": form_str(form.get("note")),
                "approved": form.get("approved") == "1",
                "reviewer": form_str(form.get("reviewer")),
            }
        )
    except ValidationError as exc:
        raise ApiError(422, "invalid_request", validation_message(exc.errors())) from None
    apply_review(st, audit_id, claim_id, body, who)
    return RedirectResponse(f"/audits/{audit_id}#claim-{quote(claim_id)}", status_code=303)


@pages.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str, st: State, who: Identity) -> Response:
    job = job_or_404(st, job_id)
    if job.status == "done" and job.audit_id:
        return RedirectResponse(f"/audits/{job.audit_id}", status_code=303)
    return _html(render_page("job.html.j2", job=job, **page_context(request)))


@pages.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return _html(render_page("login.html.j2", error=None, next=_safe_next(next), **page_context(request)))


@pages.post("/login")
async def login(request: Request, st: State) -> Response:
    rate(st.limiter, client_key(request))
    form = await request.form(max_files=0, max_fields=5)
    token = (form_str(form.get("token")) or "").strip()
    target = _safe_next(form_str(form.get("next")) or "/")
    if not st.auth.verify(token):
        page = render_page(
            "login.html.j2",
            error="That token is not valid (or was revoked).",
            next=target,
            **page_context(request),
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

