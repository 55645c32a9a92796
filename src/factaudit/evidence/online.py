"""Online evidence (only with ``--online``): Wikipedia's search API and the article's own cited pages.

Everything goes through :func:`factaudit.net.fetch`, the guarded fetcher: a cited URL comes from an
untrusted article, so it gets the same address checks, redirect re-validation, deadline and byte cap
as a URL given to ``factaudit audit``. Both retrievers answer the ``search(query, k, entities)``
protocol of :class:`factaudit.evidence.retrieve.Retriever` and return the same :class:`Hit` objects,
so the verify stage scores their sentences exactly like those of the local store.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx

from ..config import FetchSettings
from ..errors import FactauditError, FetchError
from ..net import Resolver, fetch
from .retrieve import Hit, query_terms
from .store import sentence_spans

__all__ = [
    "CACHE_ENV",
    "WIKIPEDIA_API",
    "CombinedRetriever",
    "PageRetriever",
    "SearchCache",
    "SearchSession",
    "WikipediaSearch",
    "default_cache_path",
]

#: The English Wikipedia's Action API.
WIKIPEDIA_API = "https://en.wikipedia.org/w/api.php"
WIKIPEDIA_PACK = "wikipedia-online"
WIKIPEDIA_LICENCE = "CC BY-SA 4.0"
#: CirrusSearch refuses longer search strings.
MAX_SEARCH_CHARS = 300
#: Sentences per passage when a fetched page is cut for scoring.
PAGE_WINDOW = 3


#: Environment variable overriding the folder of the Wikipedia answer cache.
CACHE_ENV = "FACTAUDIT_CACHE_DIR"


def default_cache_path() -> Path:
    """``$FACTAUDIT_CACHE_DIR/wikipedia.sqlite``, else under the user cache folder."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser() / "wikipedia.sqlite"
    import platformdirs

    return Path(platformdirs.user_cache_dir("factaudit")) / "wikipedia.sqlite"


class SearchCache:
    """Wikipedia's answers (the JSON body) by request URL, in one SQLite file, reused for ``ttl_s``.

    Re-auditing an article, or a corpus whose articles repeat claims, then asks Wikipedia nothing
    new. Only answers that parsed and carried no API error are stored. The cache is an optimisation:
    a file that cannot be opened, read or written turns it off (``error`` says why; the verify stage
    states it in the report), never fails an audit.
    """

    def __init__(self, path: Path | str, *, ttl_s: float) -> None:
        self.path = Path(path).expanduser()
        self.ttl_s = ttl_s
        self.hits = 0
        self.error: str | None = None
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS answers (url TEXT PRIMARY KEY, body BLOB NOT NULL, "
                       "fetched_at REAL NOT NULL)")
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self._off(exc)

    def _off(self, exc: Exception) -> None:
        self.error = f"Wikipedia answer cache {self.path} is unusable ({exc}); searched without it"
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def get(self, url: str) -> bytes | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT body, fetched_at FROM answers WHERE url = ?", (url,)).fetchone()
        except sqlite3.Error as exc:
            self._off(exc)
            return None
        if row is None or time.time() - float(row[1]) > self.ttl_s:
            return None
        self.hits += 1
        return bytes(row[0])

    def put(self, url: str, body: bytes) -> None:
        if self._db is None:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO answers(url, body, fetched_at) VALUES (?, ?, ?)",
                             (url, body, time.time()))
        except sqlite3.Error as exc:
            self._off(exc)


class _Searcher(Protocol):
    def search(self, query: str, k: int = 10, entities: Sequence[str] = ()) -> list[Any]: ...


class WikipediaSearch:
    """Live Wikipedia evidence: full-text search, then each hit's lead section as plain text.

    One request per query (``generator=search`` with ``prop=extracts|info``, TextExtracts' intro
    only, which is what the shipped wiki-vital pack holds too). When the whole claim finds nothing,
    the claim's entities are searched instead. Hits carry no ``date``: the as-of rules are for dated
    statistics (a 2025 estimate vs a claim about 2019), and the day of retrieval is not one.
    """

    pack = WIKIPEDIA_PACK

    def __init__(
        self,
        api_url: str = WIKIPEDIA_API,
        *,
        fetch_settings: FetchSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        cache: SearchCache | None = None,
    ) -> None:
        self.api_url = api_url
        self.fetch_settings = fetch_settings or FetchSettings(timeout_s=10.0, max_bytes=4_000_000)
        self.transport = transport
        self.resolver = resolver
        self.cache = cache
        self.requests = 0

    def url_for(self, query: str, k: int) -> str:
        params = {
            "action": "query",
            "format": "json",
            "formatversion": "2",
            "generator": "search",
            "gsrsearch": query[:MAX_SEARCH_CHARS],
            "gsrnamespace": "0",
            "gsrlimit": str(k),
            "prop": "extracts|info",
            "exintro": "1",
            "explaintext": "1",
            "exlimit": str(min(k, 20)),
            "inprop": "url",
            "redirects": "1",
        }
        return f"{self.api_url}?{urlencode(params)}"

    def _query(self, query: str, k: int) -> list[Hit]:
        url = self.url_for(query, k)
        body = self.cache.get(url) if self.cache is not None else None
        from_cache = body is not None
        if body is None:
            self.requests += 1
            body = fetch(url, self.fetch_settings, transport=self.transport, resolver=self.resolver).content
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise FetchError(f"Wikipedia search answered with something that is not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise FetchError("Wikipedia search answered with an unexpected JSON shape")
        if "error" in data:
            err = data["error"]
            info = err.get("info") if isinstance(err, dict) else err
            raise FetchError(f"Wikipedia search refused the query: {info}")
        if self.cache is not None and not from_cache:
            self.cache.put(url, body)
        pages = (data.get("query") or {}).get("pages") or []
        if isinstance(pages, dict):  # formatversion=1 shape
            pages = list(pages.values())
        pages = [p for p in pages if isinstance(p, dict) and str(p.get("extract") or "").strip()]
        pages.sort(key=lambda p: int(p.get("index", 1_000_000)))
        hits = []
        for rank, p in enumerate(pages[:k], 1):
            text = str(p["extract"]).strip()
            title = str(p.get("title") or "") or None
            page_url = p.get("fullurl") or (
                f"https://en.wikipedia.org/wiki/{title.replace(' ', '_')}" if title else None
            )
            hits.append(
                Hit(
                    passage_id=-rank,
                    doc_id=int(p.get("pageid", -rank)),
                    title=title,
                    pack=self.pack,
                    url=page_url,
                    date=None,
                    text=text,
                    start=0,
                    end=len(text),
                    bm25=None,
                    dense=None,
                    score=round(1.0 / rank, 5),
                    licence=WIKIPEDIA_LICENCE,
                    rank=rank,
                )
            )
        return hits

    def search(self, query: str, k: int = 5, entities: Sequence[str] = ()) -> list[Hit]:
        """Lead sections of Wikipedia's ``k`` best matches for the claim (failing that, its entities)."""
        query = " ".join(str(query or "").split())
        if k <= 0 or not (query or entities):
            return []
        hits = self._query(query, k) if query else []
        if not hits and entities:
            hits = self._query(" ".join(entities), k)
        return hits


class PageRetriever:
    """One fetched page as a tiny corpus: its passages (``PAGE_WINDOW`` sentences) ranked by how
    many of the query's content words they share."""

    pack = "cited page"

    def __init__(self, text: str, *, url: str, title: str | None = None, date: str | None = None) -> None:
        self.text = text
        self.url = url
        self.title = title or url
        self.date = date
        spans = sentence_spans(text)
        self.passages = [
            (spans[i][0], spans[min(i + PAGE_WINDOW, len(spans)) - 1][1])
            for i in range(0, len(spans), max(1, PAGE_WINDOW - 1))
        ]

    def search(self, query: str, k: int = 5, entities: Sequence[str] = ()) -> list[Hit]:
        terms = set(query_terms(query))
        for ent in entities:
            terms.update(query_terms(ent))
        if not terms:
            return []
        scored = []
        for i, (s, e) in enumerate(self.passages):
            words = set(query_terms(self.text[s:e]))
            overlap = len(terms & words)
            if overlap:
                scored.append((overlap / len(terms), i))
        scored.sort(key=lambda x: (-x[0], x[1]))
        hits = []
        for rank, (score, i) in enumerate(scored[:k], 1):
            s, e = self.passages[i]
            hits.append(
                Hit(passage_id=i, doc_id=0, title=self.title, pack=self.pack, url=self.url, date=self.date,
                    text=self.text[s:e], start=s, end=e, bm25=None, dense=None, score=round(score, 5),
                    rank=rank)
            )
        return hits


class CombinedRetriever:
    """Hits from several retrievers, in order, without repeated passages.

    It holds no per-article state: the verify stage opens one :meth:`session` per article, which
    skips a retriever that failed (offline, refused, timed out) for the rest of that article only —
    an offline machine pays one timeout per article, not one per claim — and keeps that article's
    errors, while the local store's evidence still counts. :meth:`search` alone is a one-call session
    (its errors are not kept).
    """

    def __init__(self, retrievers: Sequence[_Searcher]) -> None:
        self.retrievers = list(retrievers)

    def session(self) -> SearchSession:
        """Search state for one article (failed retrievers, their errors)."""
        return SearchSession(self.retrievers)

    def search(self, query: str, k: int = 10, entities: Sequence[str] = ()) -> list[Any]:
        return self.session().search(query, k=k, entities=entities)


class SearchSession:
    """One article's searches over a :class:`CombinedRetriever`'s retrievers (see there)."""

    def __init__(self, retrievers: Sequence[_Searcher]) -> None:
        self.retrievers = list(retrievers)
        #: "pack: message" for each retriever that failed during this session.
        self.errors: list[str] = []
        self._failed: set[int] = set()

    def search(self, query: str, k: int = 10, entities: Sequence[str] = ()) -> list[Any]:
        out: list[Any] = []
        seen: set[str] = set()
        for i, r in enumerate(self.retrievers):
            if i in self._failed:
                continue
            try:
                hits = r.search(query, k=k, entities=entities)
            except FactauditError as exc:
                name = getattr(r, "pack", type(r).__name__)
                self.errors.append(f"{name}: {exc.message}")
                self._failed.add(i)
                continue
            for h in hits:
                key = " ".join(str(h.text).lower().split())
                if key in seen:
                    continue
                seen.add(key)
                out.append(h)
        return out
