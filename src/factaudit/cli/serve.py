"""``factaudit serve``: the web app and REST API (FastAPI, uvicorn) over the same Auditor as ``audit``."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import WebDatabase, WebStore, app

__all__ = ["serve"]


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback requires API tokens.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    store: WebStore = None,
    database: WebDatabase = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Audit worker processes (default: one per core).")
    ] = None,
    require_token: Annotated[
        bool | None,
        typer.Option(
            "--require-token/--no-require-token",
            help="Require API tokens (default: only when bound beyond localhost).",
        ),
    ] = None,
    max_upload_mb: Annotated[float, typer.Option(min=0.01, help="Largest request body in MiB.")] = 10.0,
    public_url: Annotated[
        str | None, typer.Option(help="Base URL used in exports (ClaimReview urls).")
    ] = None,
    publisher: Annotated[
        str, typer.Option(help="Organisation named as the ClaimReview author.")
    ] = "factaudit",
    rate_limit: Annotated[
        float,
        typer.Option(
            min=0,
            help="Requests per second per client (bursts of 12x; audits a tenth of it); 0 turns it off.",
        ),
    ] = 20.0,
    online: Annotated[
        bool,
        typer.Option(
            "--online/--offline",
            help="Audits also search Wikipedia's live API and read the cited pages (see 'audit --online').",
        ),
    ] = False,
    auditor_factory: Annotated[
        str,
        typer.Option(
            envvar="FACTAUDIT_AUDITOR_FACTORY",
            hidden=True,
            help="module:callable returning the Auditor each worker uses.",
        ),
    ] = "factaudit.pipeline:Auditor",
) -> None:
    """Run the web app and REST API (FastAPI) over the same Auditor as 'audit'."""
    import logging

    from ..web.app import WebSettings, default_store_path
    from ..web.app import serve as run_server

    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    settings = WebSettings(
        store=store or default_store_path(),
        database=database,
        host=host,
        require_token=require_token,
        workers=workers,
        auditor_factory=(
            "factaudit.pipeline:online_auditor"
            if online and auditor_factory == "factaudit.pipeline:Auditor"
            else auditor_factory
        ),
        max_body_bytes=int(max_upload_mb * 1024 * 1024),
        public_url=public_url,
        publisher=publisher,
        rate_per_s=rate_limit,
        rate_capacity=12 * rate_limit,
        audit_per_s=rate_limit / 10,
        audit_capacity=3 * rate_limit,
    )
    run_server(settings, port=port)
