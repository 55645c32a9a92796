"""Silencing the extraction libraries' loggers and warnings (pypdf, trafilatura and its helpers)."""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator

__all__ = ["first_line", "quiet"]


@contextlib.contextmanager
def quiet(*names: str) -> Iterator[None]:
    """Silence library loggers and warnings (pypdf, trafilatura) for the duration of a call.

    The level is raised on the package loggers, which their module loggers (``pypdf._reader``)
    inherit; ``Logger.disabled`` would not reach those children.
    """
    loggers = [logging.getLogger(n) for n in names]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, saved, strict=True):
            lg.setLevel(level)


def first_line(exc: BaseException) -> str:
    """An exception's message cut to its first line (200 characters), for a one-line note."""
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
