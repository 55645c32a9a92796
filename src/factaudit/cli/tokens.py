"""``factaudit token``: create, list and revoke the API tokens of ``factaudit serve`` (stored as
salted scrypt hashes in the web app's audit database)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import InputError
from ._app import WebDatabase, WebStore, token_app

__all__ = ["token_create", "token_list", "token_revoke"]


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="A name for the token (shown as the reviewer).")],
    store: WebStore = None,
    database: WebDatabase = None,
) -> None:
    """Create an API token; it is printed once (only a salted scrypt hash is stored)."""
    from ..web.app import default_store_path
    from ..web.security import create_token
    from ..web.storage import open_store

    db = open_store(database or store or default_store_path())
    try:
        token = create_token(db, name)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    finally:
        db.close()
    typer.echo(token)
    typer.echo(f"token {name!r} created; keep it secret: it cannot be shown again", err=True)


@token_app.command("list")
def token_list(store: WebStore = None, database: WebDatabase = None) -> None:
    """List the names of active API tokens."""
    from ..web.app import default_store_path
    from ..web.storage import open_store

    db = open_store(database or store or default_store_path())
    try:
        for t in db.list_tokens():
            typer.echo(f"{t.name}\tcreated {t.created_at}")
    finally:
        db.close()


@token_app.command("revoke")
def token_revoke(
    name: Annotated[str, typer.Argument(help="The token's name.")],
    store: WebStore = None,
    database: WebDatabase = None,
) -> None:
    """Revoke an API token (effective immediately)."""
    from ..web.app import default_store_path
    from ..web.storage import open_store

    db = open_store(database or store or default_store_path())
    try:
        n = db.revoke_token(name)
    finally:
        db.close()
    if not n:
        raise InputError(f"no active token named {name!r}")
    typer.echo(f"revoked {name!r}", err=True)
