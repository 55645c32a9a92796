"""The web app (``factaudit serve``): FastAPI pages and REST API over the same Auditor as the CLI.

The app is imported on first use of these names, so ``factaudit.web.storage`` (used by batch runs
and the corpus without a server) does not import FastAPI and every page module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import WebSettings, create_app, serve

__all__ = ["WebSettings", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
