"""The web app (``factaudit serve``): FastAPI pages and REST API over the same Auditor as the CLI."""

from __future__ import annotations

from .app import WebSettings, create_app, serve

__all__ = ["WebSettings", "create_app", "serve"]
