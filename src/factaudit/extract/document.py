"""One document's bytes → its text: the format sniffed from the bytes (extension and content type are
only hints), then decoded and extracted by format (:func:`extract_document`); for an article, as the
ingest stage reads one, also cut to the audited length, titled, and its language chosen."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from ..config import Settings
from ..document import Link
from ..errors import EmptyInputError
from .decode import charset_hint, decode_text
from .html import html_to_text
from .language import LanguageChoice, choose_language
from .markdown import markdown_to_text
from .pdf import pdf_to_text
from .text import normalize_text

__all__ = [
    "ExtractedDocument",
    "document_title",
    "extract_document",
    "sniff_format",
]

_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div|article|h[1-6]|meta|title)[\s>/]", re.I)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_MD_LINK = re.compile(r"\[[^\]\n]+\]\((?:https?://|/|www\.)[^)\s]*\)")
_MD_EXTENSIONS = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}


def sniff_format(data: bytes, *, name: str | None = None, content_type: str | None = None) -> str:
    """``pdf``, ``html``, ``markdown`` or ``text``: content first, extension/content type as hints."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    suffix = Path(name).suffix.lower() if name else ""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if suffix in _HTML_EXTENSIONS or ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<") and _HTML_START.search(head):
        return "html"
    if suffix in _MD_EXTENSIONS or ctype in ("text/markdown", "text/x-markdown"):
        return "markdown"
    sample = data[:65536].decode("utf-8", "ignore")
    if _MD_HEADING.search(sample) or _MD_LINK.search(sample):
        return "markdown"
    return "text"


@dataclasses.dataclass
class ExtractedDocument:
    """The text of one input document and what came with it."""

    format: str
    text: str
    links: list[Link]
    meta: dict[str, Any]
    encoding: str | None
    skipped: list[str]
    #: Input bytes not valid in ``encoding``, replaced with U+FFFD (the note is in ``skipped``).
    replaced_bytes: int = 0
    #: Set for ``extract_document(..., article=True)``: the title and the language it is audited in.
    title: str | None = None
    language: LanguageChoice | None = None


def extract_document(
    data: bytes,
    settings: Settings,
    *,
    name: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
    article: bool = False,
) -> ExtractedDocument:
    """Main text of an HTML page, PDF, Markdown or plain-text document (the pages an article cites
    are read so). Raises an :class:`InputError` when there is no text.

    ``article=True`` reads it as the ingest stage reads an article (the evidence readers do the
    same): empty input refused, the text cut to ``settings.max_text_chars`` at a paragraph
    boundary (said in ``skipped``), a title, and the language it is audited in
    (:class:`UnsupportedLanguageError` for one factaudit does not audit).
    """
    if article and not data.strip():
        raise EmptyInputError("input is empty" if not data else "input is only whitespace")
    fmt = sniff_format(data, name=name, content_type=content_type)
    links: list[Link] = []
    extra: dict[str, Any] = {}
    encoding: str | None = None
    replaced = 0
    skipped: list[str] = []
    if fmt == "pdf":
        text, extra, skipped = pdf_to_text(data, settings)
        text = normalize_text(text)
    else:
        decoded = decode_text(data, declared=charset_hint(data if fmt == "html" else b"", content_type))
        encoding, replaced = decoded.encoding, decoded.replaced_bytes
        note = decoded.note()
        if note:
            skipped.append(note)
        if fmt == "html":
            text, links, extra, html_skipped = html_to_text(decoded.text, base_url=url)
            skipped.extend(html_skipped)
        elif fmt == "markdown":
            text, links = markdown_to_text(decoded.text)
        else:
            text = normalize_text(decoded.text)
    if not text:
        what = {"html": "no article text found in the HTML page"}.get(fmt, "input is only whitespace")
        raise EmptyInputError(what)
    doc = ExtractedDocument(fmt, text, links, extra, encoding, skipped, replaced)
    if article:
        _truncate(doc, settings.max_text_chars)
        doc.title = document_title(doc.meta.get("title"), doc.text)
        doc.language = choose_language(doc.text, settings)
    return doc


_JUNK_TITLE = re.compile(r"^(?:untitled.*|microsoft word - .*|.*\.(?:docx?|pdf|tex|indd|odt|rtf))$", re.I)


def document_title(meta_title: Any, text: str) -> str | None:
    """The page's or PDF's own title unless it is a placeholder ("Untitled", "Microsoft Word - x.doc"),
    else the first line when it reads like a heading (short, no final full stop)."""
    if isinstance(meta_title, str):
        t = normalize_text(meta_title).replace("\n", " ")
        if t and not _JUNK_TITLE.match(t):
            return t
    first = text.split("\n", 1)[0].strip()
    if first and len(first) <= 200 and not first.endswith("."):
        return first
    return None


def _truncate(doc: ExtractedDocument, limit: int) -> None:
    """Cut ``doc``'s text to ``limit`` characters at a paragraph (else line, else word) boundary,
    dropping the links past the cut and saying so in ``doc.skipped``."""
    text = doc.text
    if len(text) <= limit:
        return
    cut = text.rfind("\n\n", 0, limit + 1)
    if cut <= 0:
        cut = text.rfind("\n", 0, limit + 1)
    if cut <= 0:
        cut = text.rfind(" ", 0, limit + 1)
    if cut <= 0:
        cut = limit
    kept = text[:cut].rstrip()
    dropped = len(text) - len(kept)
    doc.skipped.append(
        f"text truncated to {len(kept):,} characters at a paragraph boundary: the last {dropped:,} "
        f"characters ({100 * dropped / len(text):.0f}%) are not audited (max_text_chars={limit:,})"
    )
    doc.text = kept
    doc.links = [link for link in doc.links if link.end <= len(kept)]
