"""Security pieces of the web app: API tokens, rate limiting, request-size limits, headers.

* Tokens look like ``fa_<id>_<secret>``; only a salted ``hashlib.scrypt`` hash of the secret is
  stored (per-token random salt). A verified token is remembered in memory by its SHA-256 for a
  few minutes, so scrypt runs once per token and process, not once per request.
* :class:`RateLimiter` is a per-client token bucket (client = token name, else the peer address).
* :class:`BodyLimitMiddleware` refuses bodies over the limit (by ``Content-Length`` and while
  streaming), before any parser sees them.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from .storage import AuditStore, TokenRecord, now_iso

__all__ = [
    "BodyLimitMiddleware",
    "RateLimiter",
    "TokenAuth",
    "create_token",
    "is_loopback_host",
    "security_headers",
]

#: scrypt cost: n=2**14, r=8, p=1 (16 MiB, tens of ms) as recommended for interactive logins.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
TOKEN_PREFIX = "fa_"
_CACHE_TTL_S = 300.0


def _scrypt(secret: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=SCRYPT_LEN, maxmem=128 * n * r * 2
    )


def create_token(store: AuditStore, name: str) -> str:
    """Create and store a token named ``name``; returns the secret token (shown once, never stored)."""
    name = name.strip()
    if not name or len(name) > 100 or any(ch.isspace() and ch != " " for ch in name):
        raise ValueError("a token name is 1-100 characters on one line")
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    digest = _scrypt(secret, salt)
    store.add_token(
        TokenRecord(
            token_id=token_id,
            name=name,
            salt=salt.hex(),
            hash=digest.hex(),
            created_at=now_iso(),
            params=json.dumps({"alg": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}),
        )
    )
    return f"{TOKEN_PREFIX}{token_id}_{secret}"


class TokenAuth:
    """Verifies ``fa_<id>_<secret>`` tokens against the store; returns the token's name."""

    def __init__(self, store: AuditStore) -> None:
        self.store = store
        self._cache: dict[str, tuple[str, str, float]] = {}
        self._lock = threading.Lock()

    def verify(self, token: str | None) -> str | None:
        """The token's name when ``token`` is valid (and not revoked), else ``None``."""
        if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        key = hashlib.sha256(token.encode("utf-8")).hexdigest()
        now = time.monotonic()
        token_id, _, secret = token[len(TOKEN_PREFIX) :].partition("_")
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[2] > now:
            return hit[0] if self.store.get_token(hit[1]) is not None else None  # revocation is immediate
        record = self.store.get_token(token_id) if token_id and secret else None
        if record is None:
            return None
        try:
            params = json.loads(record.params or "{}")
            digest = _scrypt(
                secret,
                bytes.fromhex(record.salt),
                int(params.get("n", SCRYPT_N)),
                int(params.get("r", SCRYPT_R)),
                int(params.get("p", SCRYPT_P)),
            )
        except (ValueError, TypeError):
            return None
        if not hmac.compare_digest(digest.hex(), record.hash):
            return None
        with self._lock:
            if len(self._cache) > 1000:
                self._cache.clear()
            self._cache[key] = (record.name, record.token_id, now + _CACHE_TTL_S)
        return record.name


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """A token bucket per key: ``capacity`` requests at once, refilled at ``rate`` per second."""

    def __init__(self, capacity: float, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity, self.rate, self.clock = float(capacity), float(rate), clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str, cost: float = 1.0) -> float:
        """Spend ``cost`` from ``key``'s bucket: 0.0 when allowed, else seconds until it would be."""
        if self.capacity <= 0:
            return 0.0
        now = self.clock()
        with self._lock:
            b = self._buckets.get(key)
            if b is None:
                if len(self._buckets) > 10_000:
                    self._prune(now)
                b = self._buckets[key] = _Bucket(self.capacity, now)
            b.tokens = min(self.capacity, b.tokens + (now - b.stamp) * self.rate)
            b.stamp = now
            if b.tokens >= cost:
                b.tokens -= cost
                return 0.0
            return (cost - b.tokens) / self.rate if self.rate > 0 else 3600.0

    def _prune(self, now: float) -> None:
        full = [
            k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.rate >= self.capacity
        ]
        for k in full:
            del self._buckets[k]


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (the only binds that need no token)."""
    h = host.strip().strip("[]").lower()
    if h in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def security_headers(csp: str | None = None) -> dict[str, str]:
    """Headers every response carries; pages add their Content-Security-Policy."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if csp:
        headers["Content-Security-Policy"] = csp
    return headers


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimitMiddleware:
    """Pure ASGI middleware: 413 with a JSON error for bodies over ``max_bytes``.

    The body is read (up to the limit) before the app runs and then replayed, so no parser ever
    sees an oversized body and the refusal is a clean response rather than an aborted one.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(scope, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope: Scope, send: Send) -> None:
        mib = self.max_bytes / (1024 * 1024)
        limit = f"{mib:g} MiB" if mib >= 1 else f"{self.max_bytes:,}-byte"
        message = f"request body is larger than the {limit} limit"
        accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
        if not str(scope.get("path", "")).startswith("/api/") and "text/html" in accept:
            ctype = b"text/html; charset=utf-8"
            body = (
                '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                "<title>factaudit: too large</title></head><body>"
                f'<main><h1>Too large</h1><p role="alert">{message}.</p>'
                '<p><a href="/">Back to the start page</a></p></main></body></html>'
            ).encode()
        else:
            ctype = b"application/json"
            body = json.dumps({"error": {"code": "too_large", "message": message}}).encode()
        headers = [
            (b"content-type", ctype),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        headers += [(k.lower().encode(), v.encode()) for k, v in security_headers().items()]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
