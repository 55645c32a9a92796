"""The REST API's request and response models (pydantic; they make ``/api/openapi.json``), and the
export formats the API offers."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..document import VerdictLabel
from ..report import REPORT_FORMATS

__all__ = [
    "AUDIT_BODY",
    "DEFAULT_EXPORT",
    "EXPORT_FORMATS",
    "AuditIn",
    "AuditList",
    "AuditOut",
    "AuditSummaryOut",
    "ErrorBody",
    "ErrorOut",
    "ExportFormat",
    "HealthOut",
    "JobOut",
    "Links",
    "ReviewIn",
    "ReviewOut",
    "ReviewsOut",
    "error_responses",
]

#: The report formats the web app exports (the registry's, less the terminal view).
EXPORT_FORMATS: tuple[str, ...] = tuple(f for f in REPORT_FORMATS if f != "text")
ExportFormat = StrEnum("ExportFormat", [(f, f) for f in EXPORT_FORMATS])  # type: ignore[misc]
DEFAULT_EXPORT = ExportFormat("json")


class ErrorBody(BaseModel):
    code: str = Field(description="Stable error code: FAxxx for factaudit errors, else a short name.")
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


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
    version: int | None = Field(
        None, description="The review's version; send it as base_version to guard against lost updates."
    )


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


def _strict_with_example(example: dict[str, Any]) -> ConfigDict:
    """A request body model's config: unknown fields refused, ``example`` shown in the OpenAPI schema."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class AuditIn(BaseModel):
    """Exactly one of ``text`` or ``url``."""

    model_config = _strict_with_example(
        {"text": "Tesla opened a factory in Shanghai in 2019, Reuters reported.", "name": "example.txt"}
    )
    text: str | None = Field(None, description="The article (plain text, Markdown or HTML).")
    url: str | None = Field(None, max_length=2048, description="An http(s) URL to fetch and audit.")
    name: str | None = Field(None, max_length=200, description="A label for the source.")
    date: str | None = Field(
        None, max_length=40, description="The article's publication date (ISO 8601), kept in its metadata."
    )
    outlet: str | None = Field(None, max_length=200, description="The outlet that published the article.")


class ReviewIn(BaseModel):
    model_config = _strict_with_example(
        {"label": "REFUTED", "note": "The company's filings show no such partnership.", "approved": True}
    )
    label: VerdictLabel | None = Field(None, description="Your verdict; null confirms the machine verdict.")
    note: str | None = Field(None, max_length=5000)
    approved: bool = Field(False, description="Approve the claim for publication (ClaimReview).")
    reviewer: str | None = Field(
        None, max_length=100, description="Your name (ignored with a token: its name is used)."
    )
    base_version: int | None = Field(
        None,
        ge=0,
        description="The version of the claim's current review you saw (0: it had none). When another "
        "reviewer stored a review since, nothing is stored and the answer is 409 conflict. Omit to append.",
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


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error statuses (always with the common ones)."""
    described = {
        400: "Malformed request",
        401: "Missing or invalid API token",
        403: "Cross-site request refused",
        404: "Unknown audit, claim or job",
        409: "Another reviewer stored a review since base_version",
        413: "Request or input too large",
        415: "Unsupported media type",
        422: "Invalid or unauditable input",
        429: "Rate limit reached",
        503: "Server busy or a model could not be loaded",
    }
    wanted = sorted({400, 401, 413, 429, *codes})
    return {c: {"model": ErrorOut, "description": described.get(c, "Error")} for c in wanted}


#: The OpenAPI request body of ``POST /api/audits``, which reads the body itself (JSON, a form or
#: the article as the body, see :func:`factaudit.web.inputs.read_api_input`).
AUDIT_BODY = {
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
