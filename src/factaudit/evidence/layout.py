"""The store folder: where the default store lives, the names of its three parts, how a message says
to rebuild it, and finishing a rebuild swap that was cut short."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ..errors import StoreError

__all__ = [
    "BM25_DIR",
    "SQLITE_FILE",
    "STORE_ENV",
    "VECTORS_FILE",
    "default_store_path",
    "rebuild_hint",
    "recover_interrupted_rebuild",
]

#: Environment variable overriding the default store location.
STORE_ENV = "FACTAUDIT_STORE"
SQLITE_FILE = "evidence.sqlite"
BM25_DIR = "bm25"
VECTORS_FILE = "vectors.usearch"


def default_store_path() -> Path:
    """``$FACTAUDIT_STORE``, else ``<user data dir>/factaudit/stores/default``."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("factaudit")) / "stores" / "default"


def rebuild_hint(path: Path) -> str:
    """How to rebuild the store at ``path``, for a message."""
    with contextlib.suppress(Exception):
        if path.resolve() == default_store_path().resolve():
            return "'factaudit index --rebuild'"
    return f"'factaudit index SOURCE... --rebuild --store {path}'"


def recover_interrupted_rebuild(path: Path | str) -> None:
    """Complete or undo a ``rebuild_store`` swap cut short between its renames: with ``path`` gone,
    move ``<name>.new`` (a finished build) into place, else ``<name>.old`` (the previous store, left
    by a swap of an older factaudit) back. A rename in the parent folder, not a write to a store."""
    path = Path(path).expanduser()
    if path.exists():
        return
    new, old = path.with_name(path.name + ".new"), path.with_name(path.name + ".old")
    for src in (new, old):
        if not (src / SQLITE_FILE).is_file():
            continue
        try:
            os.rename(src, path)
        except OSError as exc:
            if path.exists():  # another process recovered it first
                return
            raise StoreError(
                f"a rebuild of {path} was interrupted and {src} cannot be moved back "
                f"({exc.strerror or exc}); rename it to {path}"
            ) from exc
        if src == new:
            shutil.rmtree(old, ignore_errors=True)
        return
