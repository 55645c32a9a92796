""":class:`SQLStore`: the :class:`~.base.AuditStore` on SQLAlchemy Core, for SQLite (embedded, the
default: one file in WAL mode) and PostgreSQL (a shared server, through psycopg 3).

The queries are written once, against the tables below; what differs between the two is
connection set-up and locking:

* SQLite: every write transaction starts with ``BEGIN IMMEDIATE`` (one writer at a time, others
  wait up to ``busy_timeout``), reads with a plain ``BEGIN`` (WAL: readers never block writers).
* PostgreSQL: READ COMMITTED; a review locks its audit's row (``SELECT ... FOR UPDATE``) so two
  reviewers of one audit are serialised, and a review that names the version it was based on
  (``expected_seq``) is refused with :class:`~factaudit.errors.ReviewConflictError` when another
  reviewer got there first: no lost updates.

Audits are stored as their JSON report (``Report.to_dict()``); reviews are append-only (every
decision is kept with who and when; the latest per claim counts; the machine verdict inside the
report is never changed). A batch run's items (:class:`~.base.BatchItemRecord`) are keyed by
``(batch, item_id)``, so a resumed or repeated run can never store an article twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.sql.expression import ColumnClause

from ...document import Report
from ...errors import DatabaseConnectionError, ReviewConflictError, StoreError
from .base import (
    ANY_VERSION,
    AuditRecord,
    AuditSummary,
    BatchItemRecord,
    JobRecord,
    ReviewRecord,
    TokenRecord,
    now_iso,
    report_from_dict,
)
from .migrations import migrate

__all__ = ["PostgresStore", "SQLStore", "SQLiteStore", "redact_url"]

_md = MetaData()
audits = Table(
    "audits",
    _md,
    Column("id", Text, primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("input_kind", Text, nullable=False),
    Column("chars", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("findings", Integer, nullable=False),
    Column("search", Text, nullable=False),
    Column("report", Text, nullable=False),
    Column("url", Text),
    Column("article_date", Text),
    Column("outlet", Text),
)
reviews = Table(
    "reviews",
    _md,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Text, nullable=False),
    Column("claim_id", Text, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("reviewed_at", Text, nullable=False),
    Column("label", Text),
    Column("note", Text),
    Column("approved", Integer, nullable=False),
    Column("machine_label", Text),
    Column("machine_confidence", Float),
)
jobs = Table(
    "jobs",
    _md,
    Column("id", Text, primary_key=True),
    Column("status", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("input_kind", Text, nullable=False),
    Column("progress", Float, nullable=False),
    Column("stage", Text),
    Column("audit_id", Text),
    Column("error_code", Text),
    Column("error_message", Text),
)
tokens = Table(
    "tokens",
    _md,
    Column("token_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("salt", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Column("params", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("revoked", Integer, nullable=False),
)
batch_items = Table(
    "batch_items",
    _md,
    Column("batch", Text, primary_key=True),
    Column("item_id", Text, primary_key=True),
    Column("status", Text, nullable=False),
    Column("audit_id", Text),
    Column("source", Text),
    Column("error_code", Text),
    Column("error", Text),
    Column("seconds", Float, nullable=False),
    Column("counts", Text, nullable=False),
    Column("finished_at", Text, nullable=False),
)

_JOB_FIELDS = {f.name for f in dataclasses.fields(JobRecord)} - {"id", "created_at"}
_SUMMARY_COLS = [audits.c[f.name] for f in dataclasses.fields(AuditSummary) if f.name != "approved"]
#: Reports read per round trip by :meth:`SQLStore.iter_reports`.
_PAGE = 100


def redact_url(url: str) -> str:
    """A database URL fit to print: the password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (sa_exc.ArgumentError, ValueError):
        return "<database URL>"


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _first_line(exc: BaseException) -> str:
    """The driver's message without SQLAlchemy's SQL and parameters (which may hold a report)."""
    orig = getattr(exc, "orig", None) or exc
    lines = [x.strip() for x in str(orig).splitlines() if x.strip()]
    return "; ".join(lines[:2]) or type(orig).__name__


def _forget_in_forked_children(engine: Engine) -> None:
    """A forked child (batch and web workers) must never use or close its parent's connections."""
    ref = weakref.ref(engine)

    def forget() -> None:
        e = ref()
        if e is not None:
            e.dispose(close=False)

    os.register_at_fork(after_in_child=forget)


class SQLStore:
    """:class:`~.base.AuditStore` over a SQLAlchemy engine (use :class:`SQLiteStore` or
    :class:`PostgresStore`, or :func:`~factaudit.web.storage.open_store`)."""

    def __init__(self, engine: Engine, *, label: str, secret: str | None = None) -> None:
        self.engine = engine
        self.label = label
        self._secret = secret
        self.dialect = engine.dialect.name
        #: Insertion order of audits: SQLite's rowid, PostgreSQL's identity column.
        self._order: ColumnClause[Any] = literal_column(
            "audits.rowid" if self.dialect == "sqlite" else "audits.seq"
        )
        _forget_in_forked_children(engine)
        try:
            with engine.connect() as conn:
                migrate(conn.execution_options(factaudit_write=True))
        except sa_exc.OperationalError as exc:
            engine.dispose()
            raise self._connect_error(exc) from None
        except sa_exc.SQLAlchemyError as exc:
            engine.dispose()
            message = self._clean(_first_line(exc))
            raise StoreError(f"cannot open the audit store {label}: {message}") from None
        except StoreError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the audit store {label}: {exc.message}") from None

    # ------------------------------------------------------------------ plumbing

    def _clean(self, message: str) -> str:
        return message.replace(self._secret, "***") if self._secret else message

    def _connect_error(self, exc: BaseException) -> StoreError:
        return StoreError(f"cannot open the audit store {self.label}: {self._clean(_first_line(exc))}")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (SQLite: ``BEGIN IMMEDIATE``)."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(factaudit_write=True)
                with conn.begin():
                    yield conn
        except sa_exc.OperationalError as exc:
            raise self._run_error(exc) from None
        except sa_exc.SQLAlchemyError as exc:
            raise StoreError(f"audit store error: {self._clean(_first_line(exc))}") from None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa_exc.OperationalError as exc:
            raise self._run_error(exc) from None
        except sa_exc.SQLAlchemyError as exc:
            raise StoreError(f"audit store error: {self._clean(_first_line(exc))}") from None

    def _run_error(self, exc: BaseException) -> StoreError:
        return StoreError(f"audit store error ({self.label}): {self._clean(_first_line(exc))}")

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ audits

    @staticmethod
    def _audit_values(record: AuditRecord) -> dict[str, Any]:
        art = record.report.get("article", {})
        search = "\n".join([record.title, record.source, str(art.get("text", ""))]).lower()
        values = {c.name: getattr(record, c.name) for c in _SUMMARY_COLS}
        values["search"] = search
        values["report"] = json.dumps(record.report, ensure_ascii=False, allow_nan=False)
        return values

    def add_audit(self, record: AuditRecord) -> None:
        with self._write() as conn:
            conn.execute(insert(audits).values(**self._audit_values(record)))

    def _approved(self) -> Any:
        """The number of an audit's claims whose current review approves them (a correlated count)."""
        r, r2 = reviews.alias("r"), reviews.alias("r2")
        latest = (
            select(func.max(r2.c.seq))
            .where(r2.c.audit_id == r.c.audit_id, r2.c.claim_id == r.c.claim_id)
            .correlate(r)
            .scalar_subquery()
        )
        return (
            select(func.count())
            .select_from(r)
            .where(r.c.audit_id == audits.c.id, r.c.approved == 1, r.c.seq == latest)
            .correlate(audits)
            .scalar_subquery()
        )

    def get_audit(self, audit_id: str) -> AuditRecord | None:
        with self._read() as conn:
            row = conn.execute(
                select(*_SUMMARY_COLS, audits.c.report, self._approved().label("approved")).where(
                    audits.c.id == audit_id
                )
            ).first()
        if row is None:
            return None
        data = dict(row._mapping)
        data["report"] = json.loads(data["report"])
        return AuditRecord(**data)

    def list_audits(
        self, query: str = "", limit: int = 20, offset: int = 0
    ) -> tuple[list[AuditSummary], int]:
        """Newest first; ``query`` matches (case-insensitively) every word in title, source or text."""
        conds = [
            audits.c.search.like(f"%{_escape_like(w)}%", escape="\\") for w in query.lower().split()[:10]
        ]
        with self._read() as conn:
            total = int(conn.execute(select(func.count()).select_from(audits).where(*conds)).scalar() or 0)
            rows = conn.execute(
                select(*_SUMMARY_COLS, self._approved().label("approved"))
                .where(*conds)
                .order_by(audits.c.created_at.desc(), self._order.desc())
                .limit(max(0, limit))
                .offset(max(0, offset))
            ).all()
        return [AuditSummary(**dict(r._mapping)) for r in rows], total

    def iter_reports(self, *, batch: str | None = None) -> Iterator[Report]:
        """Every stored report (or only those of ``batch``), oldest first, read a page at a time."""
        after: int | None = None
        while True:
            q = select(self._order.label("k"), audits.c.report)
            if batch is not None:
                q = q.join(batch_items, batch_items.c.audit_id == audits.c.id).where(
                    batch_items.c.batch == batch
                )
            if after is not None:
                q = q.where(self._order > after)
            with self._read() as conn:
                rows = conn.execute(q.order_by(self._order).limit(_PAGE)).all()
            for _key, text in rows:
                yield report_from_dict(json.loads(text))
            if len(rows) < _PAGE:
                return
            after = int(rows[-1][0])

    # ------------------------------------------------------------------ reviews

    def add_review(self, review: ReviewRecord, *, expected_seq: int | None = ANY_VERSION) -> int:
        """Append a review; returns its version (``seq``, also set on ``review``).

        ``expected_seq``: the version of the claim's current review the reviewer saw (``None``:
        there was none). When another review was stored since, nothing is written and
        :class:`~factaudit.errors.ReviewConflictError` says so. The audit's row is locked for
        the check and the insert (PostgreSQL; SQLite's write lock covers it), so of two
        reviewers who saw the same version exactly one succeeds.
        """
        with self._write() as conn:
            found = conn.execute(
                select(audits.c.id).where(audits.c.id == review.audit_id).with_for_update()
            ).first()
            if found is None:
                raise StoreError(f"no audit with id {review.audit_id!r}")
            if expected_seq is not ANY_VERSION:
                current = conn.execute(
                    select(func.max(reviews.c.seq)).where(
                        reviews.c.audit_id == review.audit_id, reviews.c.claim_id == review.claim_id
                    )
                ).scalar()
                if current != expected_seq:
                    raise ReviewConflictError(
                        f"claim {review.claim_id} of audit {review.audit_id} was reviewed again since "
                        f"version {expected_seq} (now {current}): reload it and review again"
                    )
            values = {
                f.name: getattr(review, f.name) for f in dataclasses.fields(ReviewRecord) if f.name != "seq"
            }
            values["approved"] = int(review.approved)
            result = conn.execute(insert(reviews).values(**values))
            seq = int(result.inserted_primary_key[0])  # type: ignore[index]
        review.seq = seq
        return seq

    @staticmethod
    def _review(m: Any) -> ReviewRecord:
        data = dict(m)
        data["approved"] = bool(data["approved"])
        return ReviewRecord(**data)

    def review_history(self, audit_id: str, claim_id: str | None = None) -> list[ReviewRecord]:
        q = select(reviews).where(reviews.c.audit_id == audit_id)
        if claim_id is not None:
            q = q.where(reviews.c.claim_id == claim_id)
        with self._read() as conn:
            rows = conn.execute(q.order_by(reviews.c.seq)).all()
        return [self._review(r._mapping) for r in rows]

    def current_reviews(self, audit_id: str) -> dict[str, ReviewRecord]:
        return {r.claim_id: r for r in self.review_history(audit_id)}

    # ------------------------------------------------------------------ jobs

    def add_job(self, job: JobRecord) -> None:
        with self._write() as conn:
            conn.execute(insert(jobs).values(**dataclasses.asdict(job)))

    def update_job(self, job_id: str, **changes: Any) -> None:
        unknown = set(changes) - _JOB_FIELDS
        if unknown:
            raise ValueError(f"unknown job fields: {sorted(unknown)}")
        changes.setdefault("updated_at", now_iso())
        with self._write() as conn:
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**changes))

    def get_job(self, job_id: str) -> JobRecord | None:
        with self._read() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return JobRecord(**dict(row._mapping)) if row is not None else None

    def fail_unfinished_jobs(self, message: str) -> int:
        """Mark jobs a previous server left queued or running as failed (at start-up)."""
        with self._write() as conn:
            cur = conn.execute(
                update(jobs)
                .where(jobs.c.status.in_(("queued", "running")))
                .values(status="error", error_code="FA000", error_message=message, updated_at=now_iso())
            )
            return int(cur.rowcount)

    # ------------------------------------------------------------------ tokens

    def add_token(self, token: TokenRecord) -> None:
        with self._write() as conn:
            taken = conn.execute(
                select(tokens.c.token_id).where(tokens.c.name == token.name, tokens.c.revoked == 0)
            ).first()
            if taken is not None:
                raise StoreError(f"a token named {token.name!r} already exists (revoke it first)")
            values = dataclasses.asdict(token)
            values["revoked"] = 0
            conn.execute(insert(tokens).values(**values))

    @staticmethod
    def _token(m: Any) -> TokenRecord:
        data = dict(m)
        data["revoked"] = bool(data["revoked"])
        return TokenRecord(**data)

    def get_token(self, token_id: str) -> TokenRecord | None:
        with self._read() as conn:
            row = conn.execute(
                select(tokens).where(tokens.c.token_id == token_id, tokens.c.revoked == 0)
            ).first()
        return self._token(row._mapping) if row is not None else None

    def list_tokens(self) -> list[TokenRecord]:
        with self._read() as conn:
            rows = conn.execute(select(tokens).where(tokens.c.revoked == 0).order_by(tokens.c.created_at))
            return [self._token(r._mapping) for r in rows]

    def revoke_token(self, name: str) -> int:
        with self._write() as conn:
            cur = conn.execute(
                update(tokens).where(tokens.c.name == name, tokens.c.revoked == 0).values(revoked=1)
            )
            return int(cur.rowcount)

    # ------------------------------------------------------------------ batch runs

    def batch_items(self, batch: str) -> dict[str, BatchItemRecord]:
        """The finished items of a database batch run, by item id (its manifest)."""
        with self._read() as conn:
            rows = conn.execute(select(batch_items).where(batch_items.c.batch == batch)).all()
        out = {}
        for r in rows:
            data = dict(r._mapping)
            data["counts"] = json.loads(data["counts"] or "{}")
            out[data["item_id"]] = BatchItemRecord(**data)
        return out

    def add_batch_result(self, item: BatchItemRecord, record: AuditRecord | None) -> bool:
        """Store one finished batch item and its audit in one transaction.

        Returns False, writing nothing, when the item is already stored as done (a second worker
        or a repeated run); an earlier error record of the item is replaced (a retry).
        """
        values = dataclasses.asdict(item)
        values["counts"] = json.dumps(item.counts)
        values["audit_id"] = record.id if record is not None else None
        key = (batch_items.c.batch == item.batch, batch_items.c.item_id == item.item_id)
        try:
            with self._write() as conn:
                prev = conn.execute(select(batch_items.c.status).where(*key).with_for_update()).first()
                if prev is not None and prev[0] == "ok":
                    return False
                if prev is not None:
                    conn.execute(batch_items.delete().where(*key))
                if record is not None:
                    conn.execute(insert(audits).values(**self._audit_values(record)))
                conn.execute(insert(batch_items).values(**values))
        except StoreError:
            # Two runs racing on one item: the primary key refuses the second, whose transaction
            # (audit included) was rolled back.
            with contextlib.suppress(StoreError):
                done = self.batch_items(item.batch).get(item.item_id)
                if done is not None and done.status == "ok":
                    return False
            raise
        return True


class SQLiteStore(SQLStore):
    """The embedded store: one SQLite file (WAL; ``BEGIN IMMEDIATE`` for writes)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot open the audit store {self.path}: {exc.strerror or exc}") from exc
        engine = create_engine(
            f"sqlite:///{self.path}",
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=8,
            max_overflow=24,
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
            cur = dbapi_conn.cursor()
            for pragma in (
                "journal_mode=WAL",
                "synchronous=NORMAL",
                "foreign_keys=ON",
                "busy_timeout=30000",
            ):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("factaudit_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        super().__init__(engine, label=str(self.path))

    def _connect_error(self, exc: BaseException) -> StoreError:
        return StoreError(f"cannot open the audit store {self.path}: {_first_line(exc)}")

    @property
    def journal_mode(self) -> str:
        with self._read() as conn:
            return str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())


class PostgresStore(SQLStore):
    """The server store: PostgreSQL through psycopg 3 (``pip install 'factaudit[postgres]'``).

    ``url``: ``postgresql://user:password@host:port/database`` (``postgres://`` and
    ``postgresql+psycopg://`` too). A server that cannot be reached, or refuses the credentials,
    is a :class:`~factaudit.errors.DatabaseConnectionError` whose message never holds the password.
    """

    def __init__(self, url: str, *, connect_timeout: float = 10) -> None:
        try:
            parsed = make_url(url)
        except (sa_exc.ArgumentError, ValueError):
            raise StoreError("not a database URL (postgresql://user:password@host/database)") from None
        if parsed.get_backend_name() not in ("postgresql", "postgres"):
            raise StoreError(f"not a PostgreSQL URL: {redact_url(url)}")
        self.url = parsed.render_as_string(hide_password=True)
        parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError(
                "PostgreSQL needs the postgres extra: pip install 'factaudit[postgres]'"
            ) from None
        engine = create_engine(
            parsed,
            pool_size=10,
            max_overflow=30,
            pool_pre_ping=True,
            connect_args={"connect_timeout": max(1, int(connect_timeout)), "application_name": "factaudit"},
        )
        super().__init__(engine, label=self.url, secret=parsed.password or None)

    def _connect_error(self, exc: BaseException) -> StoreError:
        return DatabaseConnectionError(f"cannot connect to {self.url}: {self._clean(_first_line(exc))}")

    def _run_error(self, exc: BaseException) -> StoreError:
        return DatabaseConnectionError(f"database error ({self.url}): {self._clean(_first_line(exc))}")
