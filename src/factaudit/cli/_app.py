"""The Typer app, its command groups, the options several commands share, and :func:`main`, which
turns every error the tool means into one line ``error[CODE]: message`` and its exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._version import __version__
from ..errors import EXIT_CODES, FactauditError

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = [
    "WebDatabase",
    "WebStore",
    "app",
    "eval_app",
    "factchecks_app",
    "main",
    "progress_bar",
    "run",
    "token_app",
    "train_app",
]

EXIT_HELP = "\n".join(f"  {k:>3}  {v}" for k, v in EXIT_CODES.items())

app = typer.Typer(
    name="factaudit",
    help="Audit news articles offline: claims, who asserts them, how they are hedged and sourced.",
    epilog="Exit codes:\n\n" + EXIT_HELP.replace("\n", "\n\n"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(help="Score factaudit's models on your own labelled data.", no_args_is_help=True)
train_app = typer.Typer(help="Train factaudit's models (needs the 'train' extra).", no_args_is_help=True)
token_app = typer.Typer(
    help="API tokens for 'factaudit serve' (stored hashed in the audit store).", no_args_is_help=True
)
factchecks_app = typer.Typer(
    help="The fact-check library claims are matched against: import feeds, list, stats.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")
app.add_typer(factchecks_app, name="factchecks")
app.add_typer(train_app, name="train")
app.add_typer(token_app, name="token")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """factaudit command line."""


#: ``--store`` of the commands that use the web app's audit database (serve, token).
WebStore = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="FACTAUDIT_WEB_STORE",
        help="The web app's audit database (SQLite; default: <user data dir>/factaudit/web/audits.sqlite3).",
    ),
]


#: ``--database`` of the commands that write audits to a database (serve, audit).
WebDatabase = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="FACTAUDIT_DATABASE",
        help="Database URL for audits and reviews: postgresql://user:password@host/db (the postgres "
        "extra) or sqlite:///path; instead of --store. Unreachable or refused: exit 9.",
        show_envvar=True,
    ),
]


def progress_bar(label: str, counts: str, console: Any, quiet: bool, *, elapsed: bool = False) -> Progress:
    """A progress bar on ``console``: the bold ``label``, the bar, done/total, the ``counts`` column (a
    template over the task's fields) and the time left, or the time taken with ``elapsed``."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(counts),
        TimeElapsedColumn() if elapsed else TimeRemainingColumn(),
        console=console,
        disable=quiet,
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning every expected error into one line and an exit code."""
    try:
        rv = app(args=argv, standalone_mode=False)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 130
    except typer.TyperException as exc:  # Typer's (vendored click) usage errors
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {exc}", err=True)
        return int(getattr(exc, "exit_code", 2))
    except FactauditError as exc:
        typer.echo(f"error[{exc.code}]: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("FACTAUDIT_DEBUG"):
            raise
        typer.echo(
            f"internal error: {type(exc).__name__}: {exc} (set FACTAUDIT_DEBUG=1 for a traceback; "
            "please report it)",
            err=True,
        )
        return 1
    return rv if isinstance(rv, int) else 0


def run() -> None:  # pragma: no cover - console script
    sys.exit(main())
