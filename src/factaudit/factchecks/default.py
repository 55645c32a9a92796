"""The default fact-check library: the shipped Snopes entries, seeded into a library on first use.

The shipped file (``resources/factchecks/snopes-2020.jsonl.gz``, see its ``NOTICE.md``) holds only
the ClaimReview fields — claim as reviewed, rating, date, URL, publisher. The default library
folder is ``$FACTAUDIT_FACTCHECKS``, else ``<user data dir>/factaudit/factchecks/default``; like the
default evidence store it is a cache, written without asking: made and seeded on first use, and
seeded again when it lacks the shipped entries or holds those of another version of the shipped file
(recorded by sha256). Fact-checks the user imports sit beside the
shipped ones in the same library.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import StoreError
from ..evidence.layout import SQLITE_FILE
from .library import FactCheckLibrary, ImportStats
from .readers import FactCheck, RawEntry

__all__ = [
    "DEFAULT_SOURCE",
    "LIBRARY_ENV",
    "SHIPPED_FILE",
    "default_library_path",
    "open_default_library",
    "seed_default",
    "shipped_entries",
]

LIBRARY_ENV = "FACTAUDIT_FACTCHECKS"
RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "factchecks"
SHIPPED_FILE = RESOURCES / "snopes-2020.jsonl.gz"
#: The corpus name of the shipped entries.
DEFAULT_SOURCE = "snopes-2020"
ATTRIBUTION = "Snopes (snopes.com) fact-checks to October 2020: claim, rating, date and URL only"
LICENCE = "ClaimReview fields as published by Snopes for reuse; see resources/factchecks/NOTICE.md"


def default_library_path() -> Path:
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("factaudit")) / "factchecks" / "default"


def shipped_entries(path: Path = SHIPPED_FILE) -> Iterator[RawEntry]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            yield RawEntry(FactCheck(claim_reviewed=r["claim"], rating=r["rating"], url=r["url"],
                                     publisher=r.get("publisher"), date=r.get("date"),
                                     language=r.get("language")))


def shipped_stamp() -> str:
    """What the library records of the shipped file it was seeded from (its sha256)."""
    from ..models.onnx import sha256_file

    return f"resources/factchecks/{SHIPPED_FILE.name} sha256:{sha256_file(SHIPPED_FILE)}"


def seed_default(library: FactCheckLibrary) -> ImportStats:
    """Add the shipped entries (unchanged ones are skipped, changed ones updated)."""
    return library.import_entries(shipped_entries(), source=DEFAULT_SOURCE, licence=LICENCE,
                                  attribution=ATTRIBUTION, detect_language=False, origin=shipped_stamp())


def open_default_library(path: Path | str | None = None, *, read_only: bool = True) -> FactCheckLibrary:
    """The library at ``path``, or the default one (made and seeded when missing or lacking the
    shipped entries). A library the user named is only opened."""
    if path is not None:
        return FactCheckLibrary(path, read_only=read_only)
    target = default_library_path()
    if (target / SQLITE_FILE).is_file():
        try:
            lib = FactCheckLibrary(target, read_only=True)
        except StoreError:
            lib = None
        if lib is not None:
            seeded = {c.name: c.source for c in lib.store.corpora() if c.documents}
            if seeded.get(DEFAULT_SOURCE) == shipped_stamp() and not lib.store.degraded:
                if read_only:
                    return lib
                lib.close()
                return FactCheckLibrary(target)
            lib.close()
    with FactCheckLibrary(target, create=True) as lib:
        seed_default(lib)
    return FactCheckLibrary(target, read_only=read_only)
