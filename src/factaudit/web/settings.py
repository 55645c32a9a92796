"""How the web server runs (:class:`WebSettings`); the audit itself is configured by the Auditor's
:class:`factaudit.config.Settings`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .jobs import DEFAULT_FACTORY
from .security import is_loopback_host

__all__ = ["WebSettings", "default_store_path"]


def default_store_path() -> Path:
    """The audit database in the user data folder (``.../factaudit/web/audits.sqlite3``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("factaudit")) / "web" / "audits.sqlite3"


@dataclass
class WebSettings:
    """How the server runs; the audit itself is configured by the Auditor's Settings."""

    store: Path = field(default_factory=default_store_path)
    #: A database URL (``postgresql://...``, ``sqlite:///...``) used instead of ``store`` when set.
    database: str | None = None
    host: str = "127.0.0.1"
    #: ``None``: tokens are required unless the server is bound to a loopback address.
    require_token: bool | None = None
    workers: int | None = None
    auditor_factory: str = DEFAULT_FACTORY
    max_body_bytes: int = 10 * 1024 * 1024
    #: Inputs up to this many characters are audited while the request waits; larger become jobs.
    sync_max_chars: int = 20_000
    rate_capacity: float = 240
    rate_per_s: float = 20
    audit_capacity: float = 60
    audit_per_s: float = 2
    max_pending: int = 64
    publisher: str = "factaudit"
    publisher_url: str | None = None
    #: Base URL used in exports (ClaimReview ``url``); default: the URL the request came in on.
    public_url: str | None = None
    #: Host headers accepted when no token is required (DNS-rebinding guard); default: loopback names.
    allowed_hosts: tuple[str, ...] | None = None

    @property
    def store_target(self) -> str | Path:
        """Where the audits live: the database URL when one is given, else the SQLite file."""
        return self.database or self.store

    @property
    def tokens_required(self) -> bool:
        """An explicit ``require_token``, else: whenever the server is reachable beyond loopback."""
        return self.require_token if self.require_token is not None else not is_loopback_host(self.host)
