"""Stored records as the API shows them (summaries, reviews, jobs), lookups that answer 404, recording
a review, and exports of an audit in every format."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from ..report import get_format
from ..report.annotations import to_annotations
from ..report.claimreview import to_claimreview
from .deps import AppState
from .errors import ApiError
from .schemas import EXPORT_FORMATS, AuditSummaryOut, ErrorBody, JobOut, Links, ReviewIn, ReviewOut
from .storage import AuditRecord, AuditSummary, JobRecord, ReviewRecord, now_iso, report_from_dict
from .views import render_audit_page

__all__ = [
    "apply_review",
    "audit_or_404",
    "export_response",
    "job_or_404",
    "job_out",
    "review_history",
    "review_out",
    "summary_out",
]


def _links(request: Request, audit_id: str) -> Links:
    api = f"/api/audits/{audit_id}"
    return Links(
        page=f"/audits/{audit_id}",
        api=api,
        exports={f: f"{api}/export?format={f}" for f in EXPORT_FORMATS},
    )


def summary_out(request: Request, rec: AuditSummary) -> AuditSummaryOut:
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


def review_out(r: ReviewRecord) -> ReviewOut:
    return ReviewOut(
        claim_id=r.claim_id,
        reviewer=r.reviewer,
        reviewed_at=r.reviewed_at,
        label=r.label,  # type: ignore[arg-type]
        note=r.note,
        approved=r.approved,
        machine_label=r.machine_label,
        machine_confidence=r.machine_confidence,
        version=r.seq,
    )


def job_out(job: JobRecord) -> JobOut:
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


def audit_or_404(st: AppState, audit_id: str) -> AuditRecord:
    rec = st.store.get_audit(audit_id) if len(audit_id) <= 64 else None
    if rec is None:
        raise ApiError(404, "not_found", f"no audit with id {audit_id!r}")
    return rec


def job_or_404(st: AppState, job_id: str) -> JobRecord:
    job = st.store.get_job(job_id) if len(job_id) <= 64 else None
    if job is None:
        raise ApiError(404, "not_found", f"no job with id {job_id!r}")
    return job


def apply_review(
    st: AppState, audit_id: str, claim_id: str, body: ReviewIn, token_name: str | None
) -> ReviewRecord:
    """Record a reviewer's decision next to the machine verdict (which is never changed)."""
    rec = audit_or_404(st, audit_id)
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
    if body.base_version is None:
        st.store.add_review(review)
    else:
        st.store.add_review(review, expected_seq=body.base_version or None)
    return review


def _base_url(st: AppState, request: Request) -> str:
    return (st.settings.public_url or str(request.base_url)).rstrip("/")


def export_response(st: AppState, request: Request, rec: AuditRecord, fmt: str) -> Response:
    """The audit in ``fmt`` as a download, with the current reviews (ClaimReview: approved claims)."""
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
            history=review_history(st, rec.id),
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


def review_history(st: AppState, audit_id: str) -> dict[str, list[ReviewRecord]]:
    """Every review of the audit, per claim id, oldest first."""
    out: dict[str, list[ReviewRecord]] = {}
    for r in st.store.review_history(audit_id):
        out.setdefault(r.claim_id, []).append(r)
    return out

