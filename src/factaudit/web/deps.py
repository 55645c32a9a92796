"""Request dependencies: the app's state, who is asking (API token), and the per-client rate limits."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from .errors import ApiError
from .jobs import AuditService, Runner
from .security import RateLimiter, TokenAuth
from .settings import WebSettings
from .storage import AuditStore

__all__ = [
    "TOKEN_COOKIE",
    "AppState",
    "Identity",
    "State",
    "client_key",
    "get_state",
    "identity",
    "page_context",
    "rate",
    "token_of",
]

#: The cookie the sign-in page sets (the same token an API client sends as ``Bearer``).
TOKEN_COOKIE = "factaudit_token"


@dataclass
class AppState:
    """Everything a request handler needs, kept on ``app.state.fa``."""

    settings: WebSettings
    store: AuditStore
    runner: Runner
    service: AuditService
    auth: TokenAuth
    limiter: RateLimiter
    audit_limiter: RateLimiter
    owns_store: bool = True


def get_state(request: Request) -> AppState:
    st: AppState = request.app.state.fa
    return st


def client_key(request: Request) -> str:
    """The rate-limit key of a request without a (valid) token: its client address."""
    return "ip:" + (request.client.host if request.client else "unknown")


def token_of(request: Request) -> str | None:
    """The API token sent as ``Authorization: Bearer`` or in the sign-in cookie."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.cookies.get(TOKEN_COOKIE) or None


def rate(limiter: RateLimiter, key: str) -> None:
    """Take one request from ``key``'s bucket, or refuse with 429 and ``Retry-After``."""
    wait = limiter.take(key)
    if wait > 0:
        secs = max(1, math.ceil(wait))
        raise ApiError(
            429, "rate_limited", f"too many requests; try again in {secs} s", {"Retry-After": str(secs)}
        )


def identity(request: Request) -> str | None:
    """The token name (when one is given or required), after auth and the per-client rate limit."""
    st = get_state(request)
    token = token_of(request)
    name = st.auth.verify(token) if token else None
    if st.settings.tokens_required and name is None:
        rate(st.limiter, client_key(request))
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
    rate(st.limiter, f"token:{name}" if name else client_key(request))
    return name


Identity = Annotated[str | None, Depends(identity)]
State = Annotated[AppState, Depends(get_state)]


def page_context(request: Request) -> dict[str, Any]:
    """What every page template shows of the visitor: the signed-in name and whether sign-in is on.
    Safe to call before the app state exists (errors raised while it is set up)."""
    st: AppState | None = getattr(request.app.state, "fa", None)
    user = None
    if st is not None and st.settings.tokens_required:
        token = token_of(request)
        user = st.auth.verify(token) if token else None
    return {"user": user, "auth_required": bool(st and st.settings.tokens_required)}
