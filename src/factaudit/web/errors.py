"""What a web error is: :class:`ApiError` (a status, a stable code, a message for users) and the one
mapping of factaudit errors to HTTP statuses (:data:`ERROR_STATUS`). How errors are answered (JSON or
an error page) is :mod:`.handlers`."""

from __future__ import annotations

from typing import Any

from ..errors import (
    BlockedURLError,
    FactauditError,
    FetchError,
    InputError,
    InputTooLargeError,
    ModelError,
    PipelineError,
    ReviewConflictError,
    StoreError,
    UnsupportedFormatError,
)

__all__ = ["ERROR_STATUS", "ApiError", "status_for", "validation_message"]


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
    (ReviewConflictError, 409),
    (StoreError, 503),
    (PipelineError, 500),
    (FactauditError, 500),
)


def status_for(exc: FactauditError) -> int:
    """The HTTP status of a factaudit error (the first :data:`ERROR_STATUS` class it is)."""
    return next(status for cls, status in ERROR_STATUS if isinstance(exc, cls))


def validation_message(errors: Any) -> str:
    """pydantic's validation errors as one line for users (``field: problem; ...``, at most five)."""
    parts = []
    for e in list(errors)[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{loc}: {e.get('msg', 'invalid')}" if loc else str(e.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"
