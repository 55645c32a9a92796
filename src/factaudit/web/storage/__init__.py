"""Where audits, reviews, jobs, API tokens and database batch runs are kept.

:class:`AuditStore` (:mod:`.base`) is the small repository interface the web app, ``factaudit audit
--database`` and the corpus talk to; :mod:`.sql` implements it once on SQLAlchemy Core for two
backends: :class:`SQLiteStore` (the embedded default, one file in WAL mode) and
:class:`PostgresStore` (a server shared by a newsroom; the ``postgres`` extra). The schema is
versioned (:mod:`.migrations`). :func:`open_store` picks the backend from a path or URL.

An audit is stored as its JSON report (the documented contract, ``Report.to_dict()``);
:func:`report_from_dict` turns it back into a :class:`~factaudit.document.Report` and
:meth:`AuditStore.iter_reports` streams them all (the corpus reads a database this way).
"""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import StoreError
from .base import (
    ANY_VERSION,
    AuditRecord,
    AuditStore,
    AuditSummary,
    BatchItemRecord,
    JobRecord,
    ReviewRecord,
    TokenRecord,
    new_id,
    now_iso,
    record_from_report,
    report_from_dict,
)
from .migrations import SCHEMA_VERSION
from .sql import PostgresStore, SQLiteStore, SQLStore, redact_url

__all__ = [
    "ANY_VERSION",
    "SCHEMA_VERSION",
    "AuditRecord",
    "AuditStore",
    "AuditSummary",
    "BatchItemRecord",
    "JobRecord",
    "PostgresStore",
    "ReviewRecord",
    "SQLStore",
    "SQLiteStore",
    "TokenRecord",
    "is_database_url",
    "new_id",
    "now_iso",
    "open_store",
    "record_from_report",
    "redact_url",
    "report_from_dict",
]

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def is_database_url(target: str | Path) -> bool:
    """Whether ``target`` is a database URL (``postgresql://``, ``sqlite:///``) rather than a path."""
    return isinstance(target, str) and _URL.match(target) is not None


def open_store(target: str | Path) -> SQLStore:
    """The store at ``target``: ``postgresql://user:password@host/db`` (or ``postgres://``),
    ``sqlite:///path/to/file.sqlite3``, or a plain path to a SQLite file.

    Raises :class:`~factaudit.errors.StoreError` (a
    :class:`~factaudit.errors.DatabaseConnectionError` for a server that cannot be reached or
    refuses the credentials); no message holds the password.
    """
    if isinstance(target, Path) or not is_database_url(target):
        return SQLiteStore(Path(target).expanduser())
    m = _URL.match(target)
    assert m is not None
    scheme = m.group(1).lower()
    if scheme.split("+", 1)[0] in ("postgresql", "postgres"):
        return PostgresStore(target)
    if scheme == "sqlite":
        path = target[len("sqlite:///") :] if target.lower().startswith("sqlite:///") else ""
        if not path:
            raise StoreError("a SQLite URL names a file: sqlite:///relative/path or sqlite:////absolute/path")
        return SQLiteStore(Path(path).expanduser())
    raise StoreError(f"unsupported database {scheme}:// (use postgresql:// or sqlite:///, or a file path)")
