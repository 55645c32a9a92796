"""Where the web app keeps audits, reviews, jobs and API tokens.

:class:`AuditStore` is the small repository interface the app talks to; :class:`SQLiteStore`
implements it on one SQLite file in WAL mode (one connection per thread, so request threads and
job callbacks can read while another writes). A server database can implement the same protocol.

An audit is stored as its JSON report (the documented contract, ``Report.to_dict()``);
:func:`report_from_dict` turns it back into a :class:`~factaudit.document.Report` for rendering.
Reviews are append-only: every decision is kept with who and when, the latest per claim counts,
and the machine verdict inside the report is never changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, cast

from ..document import Report, VerdictLabel
from ..errors import StoreError
from ..report.claimreview import Review

__all__ = [
    "AuditRecord",
    "AuditStore",
    "AuditSummary",
    "JobRecord",
    "ReviewRecord",
    "SQLiteStore",
    "TokenRecord",
    "new_id",
    "now_iso",
    "report_from_dict",
]

JobStatus = Literal["queued", "running", "done", "error"]


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


class AuditStore(Protocol):
    """The repository the web app uses; :class:`SQLiteStore` is the embedded implementation."""

    def add_audit(self, record: AuditRecord) -> None: ...
    def get_audit(self, audit_id: str) -> AuditRecord | None: ...
    def list_audits(
        self, query: str = "", limit: int = 20, offset: int = 0
    ) -> tuple[list[AuditSummary], int]: ...
    def add_review(self, review: ReviewRecord) -> None: ...
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
    def close(self) -> None: ...


SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS audits (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  title TEXT NOT NULL,
  source TEXT NOT NULL,
  input_kind TEXT NOT NULL,
  chars INTEGER NOT NULL,
  claims INTEGER NOT NULL,
  findings INTEGER NOT NULL,
  search TEXT NOT NULL,
  report TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audits_created ON audits(created_at DESC);
CREATE TABLE IF NOT EXISTS reviews (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
  claim_id TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  label TEXT,
  note TEXT,
  approved INTEGER NOT NULL,
  machine_label TEXT,
  machine_confidence REAL
);
CREATE INDEX IF NOT EXISTS reviews_claim ON reviews(audit_id, claim_id, seq);
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  source TEXT NOT NULL,
  input_kind TEXT NOT NULL,
  progress REAL NOT NULL DEFAULT 0,
  stage TEXT,
  audit_id TEXT,
  error_code TEXT,
  error_message TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
  token_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  salt TEXT NOT NULL,
  hash TEXT NOT NULL,
  params TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
"""
_JOB_FIELDS = {f.name for f in dataclasses.fields(JobRecord)} - {"id", "created_at"}


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SQLiteStore:
    """:class:`AuditStore` on one SQLite file (WAL, a connection per thread)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._conn()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path} was written by a newer factaudit (schema {version})")
            with conn:
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the audit store {self.path}: {exc}") from exc

    # ------------------------------------------------------------------ plumbing

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        try:
            with conn:
                yield conn
        except sqlite3.Error as exc:
            raise StoreError(f"audit store error: {exc}") from exc

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"audit store error: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):  # closing twice from another thread
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    @property
    def journal_mode(self) -> str:
        return str(self._rows("PRAGMA journal_mode")[0][0])

    # ------------------------------------------------------------------ audits

    def add_audit(self, record: AuditRecord) -> None:
        art = record.report.get("article", {})
        search = "\n".join([record.title, record.source, str(art.get("text", ""))]).lower()
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO audits (id, created_at, title, source, input_kind, chars, claims, findings,"
                " search, report) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    record.id,
                    record.created_at,
                    record.title,
                    record.source,
                    record.input_kind,
                    record.chars,
                    record.claims,
                    record.findings,
                    search,
                    json.dumps(record.report, ensure_ascii=False, allow_nan=False),
                ),
            )

    def get_audit(self, audit_id: str) -> AuditRecord | None:
        rows = self._rows("SELECT * FROM audits WHERE id = ?", (audit_id,))
        if not rows:
            return None
        r = rows[0]
        approved = sum(1 for rv in self.current_reviews(audit_id).values() if rv.approved)
        return AuditRecord(
            id=r["id"],
            created_at=r["created_at"],
            title=r["title"],
            source=r["source"],
            input_kind=r["input_kind"],
            chars=r["chars"],
            claims=r["claims"],
            findings=r["findings"],
            approved=approved,
            report=json.loads(r["report"]),
        )

    def list_audits(
        self, query: str = "", limit: int = 20, offset: int = 0
    ) -> tuple[list[AuditSummary], int]:
        """Newest first; ``query`` matches (case-insensitively) every word in title, source or text."""
        where, params = [], []
        for word in query.lower().split()[:10]:
            where.append("search LIKE ? ESCAPE '\\'")
            params.append(f"%{_escape_like(word)}%")
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = int(self._rows(f"SELECT COUNT(*) FROM audits{clause}", tuple(params))[0][0])
        rows = self._rows(
            "SELECT a.id, a.created_at, a.title, a.source, a.input_kind, a.chars, a.claims, a.findings,"
            " (SELECT COUNT(*) FROM reviews r WHERE r.audit_id = a.id AND r.approved = 1 AND r.seq ="
            "   (SELECT MAX(seq) FROM reviews r2 WHERE r2.audit_id = a.id AND r2.claim_id = r.claim_id))"
            f" AS approved FROM audits a{clause} ORDER BY a.created_at DESC, a.rowid DESC LIMIT ? OFFSET ?",
            (*params, max(0, limit), max(0, offset)),
        )
        return [AuditSummary(**dict(r)) for r in rows], total

    # ------------------------------------------------------------------ reviews

    def add_review(self, review: ReviewRecord) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO reviews (audit_id, claim_id, reviewer, reviewed_at, label, note, approved,"
                " machine_label, machine_confidence) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    review.audit_id,
                    review.claim_id,
                    review.reviewer,
                    review.reviewed_at,
                    review.label,
                    review.note,
                    int(review.approved),
                    review.machine_label,
                    review.machine_confidence,
                ),
            )

    @staticmethod
    def _review(r: sqlite3.Row) -> ReviewRecord:
        return ReviewRecord(
            audit_id=r["audit_id"],
            claim_id=r["claim_id"],
            reviewer=r["reviewer"],
            reviewed_at=r["reviewed_at"],
            label=r["label"],
            note=r["note"],
            approved=bool(r["approved"]),
            machine_label=r["machine_label"],
            machine_confidence=r["machine_confidence"],
        )

    def review_history(self, audit_id: str, claim_id: str | None = None) -> list[ReviewRecord]:
        if claim_id is None:
            rows = self._rows("SELECT * FROM reviews WHERE audit_id = ? ORDER BY seq", (audit_id,))
        else:
            rows = self._rows(
                "SELECT * FROM reviews WHERE audit_id = ? AND claim_id = ? ORDER BY seq", (audit_id, claim_id)
            )
        return [self._review(r) for r in rows]

    def current_reviews(self, audit_id: str) -> dict[str, ReviewRecord]:
        return {r.claim_id: r for r in self.review_history(audit_id)}

    # ------------------------------------------------------------------ jobs

    def add_job(self, job: JobRecord) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO jobs (id, status, created_at, updated_at, source, input_kind, progress, stage,"
                " audit_id, error_code, error_message) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    job.id,
                    job.status,
                    job.created_at,
                    job.updated_at,
                    job.source,
                    job.input_kind,
                    job.progress,
                    job.stage,
                    job.audit_id,
                    job.error_code,
                    job.error_message,
                ),
            )

    def update_job(self, job_id: str, **changes: Any) -> None:
        unknown = set(changes) - _JOB_FIELDS
        if unknown:
            raise ValueError(f"unknown job fields: {sorted(unknown)}")
        changes.setdefault("updated_at", now_iso())
        cols = ", ".join(f"{k} = ?" for k in changes)
        with self._tx() as conn:
            conn.execute(f"UPDATE jobs SET {cols} WHERE id = ?", (*changes.values(), job_id))

    def get_job(self, job_id: str) -> JobRecord | None:
        rows = self._rows("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return JobRecord(**dict(rows[0])) if rows else None

    def fail_unfinished_jobs(self, message: str) -> int:
        """Mark jobs a previous server left queued or running as failed (at start-up)."""
        with self._tx() as conn:
            cur = conn.execute(
                "UPDATE jobs SET status = 'error', error_code = 'FA000', error_message = ?, updated_at = ?"
                " WHERE status IN ('queued', 'running')",
                (message, now_iso()),
            )
            return cur.rowcount

    # ------------------------------------------------------------------ tokens

    def add_token(self, token: TokenRecord) -> None:
        if any(t.name == token.name for t in self.list_tokens()):
            raise StoreError(f"a token named {token.name!r} already exists (revoke it first)")
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO tokens (token_id, name, salt, hash, params, created_at, revoked)"
                " VALUES (?,?,?,?,?,?,0)",
                (token.token_id, token.name, token.salt, token.hash, token.params, token.created_at),
            )

    @staticmethod
    def _token(r: sqlite3.Row) -> TokenRecord:
        return TokenRecord(
            token_id=r["token_id"],
            name=r["name"],
            salt=r["salt"],
            hash=r["hash"],
            params=r["params"],
            created_at=r["created_at"],
            revoked=bool(r["revoked"]),
        )

    def get_token(self, token_id: str) -> TokenRecord | None:
        rows = self._rows("SELECT * FROM tokens WHERE token_id = ? AND revoked = 0", (token_id,))
        return self._token(rows[0]) if rows else None

    def list_tokens(self) -> list[TokenRecord]:
        return [
            self._token(r) for r in self._rows("SELECT * FROM tokens WHERE revoked = 0 ORDER BY created_at")
        ]

    def revoke_token(self, name: str) -> int:
        with self._tx() as conn:
            return conn.execute(
                "UPDATE tokens SET revoked = 1 WHERE name = ? AND revoked = 0", (name,)
            ).rowcount


# ---------------------------------------------------------------------- JSON → Report


def report_from_dict(data: dict[str, Any]) -> Report:
    """A stored report read back (:meth:`Report.from_dict`); one that cannot be read is a StoreError."""
    try:
        return Report.from_dict(data)
    except ValueError as exc:
        raise StoreError(f"stored report cannot be read: {exc}") from exc
