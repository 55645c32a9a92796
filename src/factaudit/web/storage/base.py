"""The storage interface: the records the web app, batch runs and the corpus read and write, and
:class:`AuditStore`, the protocol every backend implements (:mod:`.sql`: SQLite and PostgreSQL)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, cast

from ...document import Report, VerdictLabel
from ...errors import StoreError
from ...report._common import title_of, truncate
from ...report.claimreview import Review

__all__ = [
    "ANY_VERSION",
    "AuditRecord",
    "AuditStore",
    "AuditSummary",
    "BatchItemRecord",
    "JobRecord",
    "ReviewRecord",
    "TokenRecord",
    "new_id",
    "now_iso",
    "record_from_report",
    "report_from_dict",
]

JobStatus = Literal["queued", "running", "done", "error"]


class _AnyVersion:
    """The default of ``add_review(expected_seq=...)``: append whatever the current review is."""

    def __repr__(self) -> str:
        return "ANY_VERSION"


ANY_VERSION: Any = _AnyVersion()


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_id() -> str:
    """A random, unguessable 16-hex-digit id."""
    return secrets.token_hex(8)


@dataclass
class AuditSummary:
    """One line of the history: enough to list and search audits without loading reports."""

    id: str
    created_at: str
    title: str
    source: str
    input_kind: str
    chars: int
    claims: int
    findings: int
    approved: int = 0
    #: The article's metadata (``article.meta`` url / date / outlet), when known.
    url: str | None = None
    article_date: str | None = None
    outlet: str | None = None


@dataclass
class AuditRecord(AuditSummary):
    """A stored audit: the summary plus the JSON report."""

    report: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class ReviewRecord:
    """One stored review decision (the latest per claim is the current one)."""

    audit_id: str
    claim_id: str
    reviewer: str
    reviewed_at: str
    label: str | None = None
    note: str | None = None
    approved: bool = False
    #: The machine verdict at the time of the review (kept next to the reviewer's).
    machine_label: str | None = None
    machine_confidence: float | None = None
    #: The review's version: increasing across the store, set once it is stored.
    seq: int | None = None

    def to_review(self) -> Review:
        return Review(
            claim_id=self.claim_id,
            reviewer=self.reviewer,
            reviewed_at=self.reviewed_at,
            label=cast("VerdictLabel | None", self.label),
            note=self.note,
            approved=self.approved,
        )


@dataclass
class JobRecord:
    """A background audit of a large input."""

    id: str
    status: JobStatus
    created_at: str
    updated_at: str
    source: str
    input_kind: str
    progress: float = 0.0
    stage: str | None = None
    audit_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass
class TokenRecord:
    """An API token: the secret is never stored, only its salted scrypt hash."""

    token_id: str
    name: str
    salt: str
    hash: str
    created_at: str
    params: str = ""
    revoked: bool = False


@dataclass
class BatchItemRecord:
    """One finished item of a batch run written to a database (the database's manifest line)."""

    batch: str
    item_id: str
    status: str  # "ok" | "error"
    finished_at: str
    audit_id: str | None = None
    source: str | None = None
    error_code: str | None = None
    error: str | None = None
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


class AuditStore(Protocol):
    """The repository the web app, database batch runs and the corpus use (:mod:`.sql`)."""

    def add_audit(self, record: AuditRecord) -> None: ...
    def get_audit(self, audit_id: str) -> AuditRecord | None: ...
    def list_audits(
        self, query: str = "", limit: int = 20, offset: int = 0
    ) -> tuple[list[AuditSummary], int]: ...
    def iter_reports(self, *, batch: str | None = None) -> Iterator[Report]: ...
    def add_review(self, review: ReviewRecord, *, expected_seq: int | None = ANY_VERSION) -> int: ...
    def current_reviews(self, audit_id: str) -> dict[str, ReviewRecord]: ...
    def review_history(self, audit_id: str, claim_id: str | None = None) -> list[ReviewRecord]: ...
    def add_job(self, job: JobRecord) -> None: ...
    def update_job(self, job_id: str, **changes: Any) -> None: ...
    def get_job(self, job_id: str) -> JobRecord | None: ...
    def fail_unfinished_jobs(self, message: str) -> int: ...
    def add_token(self, token: TokenRecord) -> None: ...
    def get_token(self, token_id: str) -> TokenRecord | None: ...
    def list_tokens(self) -> list[TokenRecord]: ...
    def revoke_token(self, name: str) -> int: ...
    def batch_items(self, batch: str) -> dict[str, BatchItemRecord]: ...
    def add_batch_result(self, item: BatchItemRecord, record: AuditRecord | None) -> bool: ...
    def close(self) -> None: ...


def report_from_dict(data: dict[str, Any]) -> Report:
    """A stored report read back (:meth:`Report.from_dict`); one that cannot be read is a StoreError."""
    try:
        return Report.from_dict(data)
    except ValueError as exc:
        raise StoreError(f"stored report cannot be read: {exc}") from exc


def _meta_str(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    return value[:2000] if isinstance(value, str) and value.strip() else None


def record_from_report(
    data: dict[str, Any], *, source: str, input_kind: str, report: Report | None = None
) -> AuditRecord:
    """The :class:`AuditRecord` for a JSON report (``Report.to_dict()``), with a new id.

    The title is the article's; an article without one is listed by its opening words. Reading
    the report back here also proves the stored JSON can be read.
    """
    report = report or report_from_dict(data)
    art = report.article
    title = title_of(art)
    if title == art.source and art.text.strip():  # no title: the opening words say more than a label
        title = truncate(art.text.strip().split("\n", 1)[0], 100)
    meta = art.meta if isinstance(art.meta, dict) else {}
    return AuditRecord(
        id=new_id(),
        created_at=now_iso(),
        title=title[:500],
        source=source,
        input_kind=input_kind,
        chars=len(art.text),
        claims=len(art.claims),
        findings=len(art.findings),
        url=_meta_str(meta, "url"),
        article_date=_meta_str(meta, "date"),
        outlet=_meta_str(meta, "outlet"),
        report=data,
    )
