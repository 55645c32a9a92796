"""The REST API under ``/api``: audits (create, list, get, export), reviews, jobs, health. Described by
``/api/openapi.json``; errors as in :mod:`.handlers`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from .._version import __version__
from ..report import REPORT_FORMATS
from .deps import Identity, State, client_key, rate
from .inputs import is_large, read_api_input
from .records import apply_review, audit_or_404, export_response, job_or_404, job_out, review_out, summary_out
from .schemas import (
    AUDIT_BODY,
    DEFAULT_EXPORT,
    EXPORT_FORMATS,
    AuditList,
    AuditOut,
    ExportFormat,
    HealthOut,
    JobOut,
    ReviewIn,
    ReviewOut,
    ReviewsOut,
    error_responses,
)

__all__ = ["api"]

api = APIRouter(prefix="/api", tags=["audits"])


@api.get("/health", response_model=HealthOut, tags=["server"], responses=error_responses())
def health(st: State) -> HealthOut:
    """Liveness and how many audit workers have loaded their models."""
    return HealthOut(
        status="ok",
        version=__version__,
        workers=st.runner.workers,
        workers_ready=st.runner.ready(),
        pending=st.service.pending,
    )


@api.post(
    "/audits",
    status_code=201,
    response_model=AuditOut,
    openapi_extra=AUDIT_BODY,
    responses={
        202: {"model": JobOut, "description": "Large input or a URL: a background job was started"},
        **error_responses(415, 422, 503),
    },
)
async def create_audit(request: Request, st: State, who: Identity) -> Response:
    """Audit text, a URL or a file. Small inputs answer 201 with the audit; large inputs and URLs
    answer 202 with a job to poll (``GET /api/jobs/{id}``)."""
    rate(st.audit_limiter, f"token:{who}" if who else client_key(request))
    req = await read_api_input(request)
    if is_large(st, req):
        job = st.service.start_job(req)
        out = job_out(job)
        return JSONResponse(out.model_dump(), status_code=202, headers={"Location": out.links["self"]})
    rec = await st.service.audit_now(req)
    body = AuditOut(**summary_out(request, rec).model_dump(), report=rec.report, reviews=[])
    return JSONResponse(body.model_dump(), status_code=201, headers={"Location": body.links.api})


@api.get("/audits", response_model=AuditList, responses=error_responses(422))
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
    return AuditList(total=total, limit=limit, offset=offset, items=[summary_out(request, i) for i in items])


@api.get("/audits/{audit_id}", response_model=AuditOut, responses=error_responses(404))
def get_audit(request: Request, audit_id: str, st: State, who: Identity) -> AuditOut:
    """One audit: its JSON report and the current reviews."""
    rec = audit_or_404(st, audit_id)
    reviews = [review_out(r) for r in st.store.current_reviews(audit_id).values()]
    return AuditOut(**summary_out(request, rec).model_dump(), report=rec.report, reviews=reviews)


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
        **error_responses(404, 422),
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
    return export_response(st, request, audit_or_404(st, audit_id), format)


@api.get(
    "/audits/{audit_id}/reviews", response_model=ReviewsOut, tags=["review"], responses=error_responses(404)
)
def get_reviews(audit_id: str, st: State, who: Identity) -> ReviewsOut:
    """Current review per claim, and every decision ever made (who and when)."""
    audit_or_404(st, audit_id)
    return ReviewsOut(
        current=[review_out(r) for r in st.store.current_reviews(audit_id).values()],
        history=[review_out(r) for r in st.store.review_history(audit_id)],
    )


@api.put(
    "/audits/{audit_id}/claims/{claim_id}/review",
    response_model=ReviewOut,
    tags=["review"],
    responses=error_responses(403, 404, 409, 422),
)
def put_review(audit_id: str, claim_id: str, body: ReviewIn, st: State, who: Identity) -> ReviewOut:
    """Confirm or change a claim's verdict, add a note, approve it for publication."""
    return review_out(apply_review(st, audit_id, claim_id, body, who))


@api.get("/jobs/{job_id}", response_model=JobOut, tags=["jobs"], responses=error_responses(404))
def get_job(job_id: str, st: State, who: Identity) -> JobOut:
    """A background audit's status and progress (0..1); ``audit_id`` once done."""
    return job_out(job_or_404(st, job_id))
