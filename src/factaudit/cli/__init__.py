"""The command line: a thin edge over the Auditor, the batch runner, the evidence store and the
evaluators, one module per command group:

* :mod:`._app` — the Typer app, its groups, :func:`main` (every FactauditError becomes one line
  ``error[CODE]: message`` on stderr and the documented exit code; nothing the user typed should
  ever produce a traceback);
* :mod:`.audit` — ``audit`` (one article, or a batch); :mod:`.index` — ``index`` (evidence store);
* :mod:`.evaluate` — ``eval ...``; :mod:`.train` — ``train ...``;
* :mod:`.serve` — ``serve`` (web app); :mod:`.tokens` — ``token ...`` (its API tokens).

The console script is ``factaudit = "factaudit.cli:run"``.
"""

from __future__ import annotations

# Importing a command module registers its commands (--help lists them in registration order).
from . import audit, corpus, evaluate, factchecks, index, serve, tokens, train  # noqa: F401
from ._app import app, main, run
from .audit import CLAIMREVIEW_NOTE, DEFAULT_FORMAT, Engine, Format

__all__ = ["CLAIMREVIEW_NOTE", "DEFAULT_FORMAT", "Engine", "Format", "app", "main", "run"]
