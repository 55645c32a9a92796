"""Ingest: read a path, URL, stdin or raw bytes and turn it into the Article's normalised text, links
and metadata.

This stage is the source handling: local files (size-capped, messages that leave the path to the
error's ``source``), stdin (read only up to the cap), http(s) URLs through :func:`factaudit.net.fetch`
(``file:`` and other schemes refused). What the bytes say is :mod:`factaudit.extract`'s:
``extract_document(..., article=True)`` sniffs the format from the bytes, decodes defensively,
extracts HTML, PDF, Markdown or plain text, cuts it to ``max_text_chars``, titles it and checks its
language, the same reading the evidence readers (and, for the pages an article cites, the
cited-pages stage) use.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from .. import net
from ..config import Settings
from ..document import Article
from ..errors import BlockedURLError, FactauditError, InputError, InputTooLargeError
from ..extract import (
    DecodedText,
    ExtractedDocument,
    decode_bytes,
    decode_text,
    detect_language,
    extract_document,
    normalize_text,
    sniff_format,
)
from ..extract.language import load_identifier
from . import BaseStage

# The extraction names were defined here before factaudit.extract existed; they stay importable.
__all__ = [
    "DecodedText",
    "ExtractedDocument",
    "IngestStage",
    "decode_bytes",
    "decode_text",
    "detect_language",
    "extract_document",
    "normalize_text",
    "sniff_format",
]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DOMAIN_LIKE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/|$)", re.I)
_CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html", "markdown": "text/markdown",
                  "text": "text/plain"}


@dataclasses.dataclass
class _Input:
    """The bytes read for an article and where they came from."""

    data: bytes
    name: str | None = None
    content_type: str | None = None
    url: str | None = None
    final_url: str | None = None
    fetched_at: str | None = None


class IngestStage(BaseStage):
    """Read the source, detect format and language, and produce the normalised text.

    ``transport`` and ``resolver`` are passed to :func:`factaudit.net.fetch` (tests inject an
    ``httpx.MockTransport`` and a fake resolver); ``stdin`` replaces ``sys.stdin.buffer`` for ``-``.
    """

    name = "ingest"
    requires: tuple[str, ...] = ("source", "raw")
    assigns: tuple[str, ...] = (
        "raw", "text", "format", "title", "language", "language_confidence", "links", "meta", "skipped"
    )

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: net.Resolver | None = None,
        stdin: BinaryIO | None = None,
    ) -> None:
        super().__init__(settings)
        self.transport = transport
        self.resolver = resolver
        self.stdin = stdin

    def warm_up(self) -> None:
        """Load the language identifier before the first article."""
        load_identifier()

    def __call__(self, article: Article) -> Article:
        try:
            return self._ingest(article)
        except FactauditError as exc:
            if exc.source is None:
                exc.source = article.source
            raise

    # ---------------------------------------------------------------- reading

    def _read(self, article: Article) -> _Input:
        """The article's bytes: ``raw`` as given, ``-`` from stdin, an http(s) URL fetched, else a
        local file; every way capped at ``max_input_bytes``."""
        cap = self.settings.max_input_bytes
        if article.raw is not None:
            if len(article.raw) > cap:
                raise InputTooLargeError(self._too_large(len(article.raw)))
            name = article.source if not article.source.startswith("<") else None
            return _Input(article.raw, name=name)
        location = str(article.meta.get("location") or article.source)
        if location == "-":
            stream = self.stdin if self.stdin is not None else sys.stdin.buffer
            data = stream.read(cap + 1)
            if len(data) > cap:
                raise InputTooLargeError(self._too_large(None))
            return _Input(data)
        m = _SCHEME.match(location)
        if m and len(m.group(1)) > 1:  # one letter is a Windows drive (C:\...)
            scheme = m.group(1).lower()
            if scheme in ("http", "https"):
                return self._fetch(location)
            if scheme == "file":
                raise BlockedURLError("file:// URLs are not fetched; pass the path instead")
            if not Path(location).exists():
                raise BlockedURLError(f"only http and https URLs are fetched, not {scheme}:")
        return self._read_file(Path(location).expanduser())

    def _read_file(self, path: Path) -> _Input:
        """Read a local file; messages leave the path out (the error's ``source`` names it)."""
        cap = self.settings.max_input_bytes
        try:
            if path.is_dir():
                raise InputError("is a directory; audit folders with the batch command")
            size = path.stat().st_size
        except FileNotFoundError:
            hint = ""
            if _DOMAIN_LIKE.match(str(path)):
                hint = f" (for a web page give the whole URL: https://{path})"
            raise InputError(f"no such file{hint}") from None
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}") from None
        if size > cap:
            raise InputTooLargeError(self._too_large(size))
        try:
            with path.open("rb") as fh:
                data = fh.read(cap + 1)  # a file can grow between stat and read
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}") from None
        if len(data) > cap:
            raise InputTooLargeError(self._too_large(None))
        return _Input(data, name=path.name)

    def _fetch(self, url: str) -> _Input:
        fetch_settings = dataclasses.replace(
            self.settings.fetch, max_bytes=min(self.settings.fetch.max_bytes, self.settings.max_input_bytes)
        )
        result = net.fetch(url, fetch_settings, transport=self.transport, resolver=self.resolver)
        path = urlsplit(result.final_url).path
        return _Input(
            result.content,
            name=path.rsplit("/", 1)[-1] or None,
            content_type=result.content_type,
            url=url,
            final_url=result.final_url,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def _too_large(self, size: int | None) -> str:
        cap = self.settings.max_input_bytes
        if size is None:
            return f"input is larger than the {cap:,}-byte limit"
        return f"input is {size:,} bytes; the limit is {cap:,}"

    # ---------------------------------------------------------------- extraction

    def _ingest(self, article: Article) -> Article:
        src = self._read(article)
        doc = extract_document(
            src.data,
            self.settings,
            name=src.name,
            content_type=src.content_type,
            url=src.final_url,
            article=True,
        )
        article.skipped.extend(doc.skipped)
        article.text = doc.text
        article.links = doc.links
        article.format = doc.format
        article.title = doc.title

        meta = article.meta
        meta["content_type"] = src.content_type or _CONTENT_TYPES[doc.format]
        meta["bytes"] = len(src.data)
        meta["encoding"] = doc.encoding
        if doc.replaced_bytes:
            meta["encoding_replaced_bytes"] = doc.replaced_bytes
        if src.url:
            meta["url"] = src.url
            meta["final_url"] = src.final_url
            meta["fetched_at"] = src.fetched_at
        # Metadata given with the article (a batch's JSONL url / date / outlet) wins over the page's.
        for key in ("author", "date", "sitename", "description", "pages"):
            if doc.meta.get(key):
                meta.setdefault(key, doc.meta[key])
        if doc.meta.get("url"):
            meta["canonical_url"] = doc.meta["url"]
            meta.setdefault("url", doc.meta["url"])
        if doc.meta.get("sitename"):
            meta.setdefault("outlet", doc.meta["sitename"])

        language = doc.language
        assert language is not None  # set for article=True
        article.language, article.language_confidence = language.language, language.confidence
        if language.guess:
            # Too short or too unsure to refuse: read as the default language; say what was seen.
            meta["language_guess"] = language.guess
        article.raw = None
        return article
