"""Ingest: turn a path, URL, stdin or raw bytes into normalised text, links and metadata.

What comes in is untrusted and of unknown format, so this stage sniffs the format from the bytes
(extension and content type are only hints), decodes text defensively, and extracts:

* HTML with trafilatura (main text without boilerplate, links kept, page metadata);
* PDF with pypdf, page by page, re-flowing lines into blank-line separated paragraphs;
* Markdown with markdown-it-py (markers dropped, list items kept as ``- `` lines);
* plain text as is.

Every path ends in :func:`normalize_text`; link offsets are computed on the *final* text by
carrying private-use sentinel characters through normalisation (see :class:`_TextBuilder`), so
``article.text[link.start:link.end] == link.text`` always holds.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import logging
import re
import sys
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import httpx

from .. import net
from ..config import MAX_HTML_CHARS, MAX_HTML_ELEMENTS, Settings
from ..document import Article, Link
from ..errors import (
    BinaryInputError,
    BlockedURLError,
    EmptyInputError,
    FactauditError,
    InputError,
    InputTooLargeError,
    UnsupportedFormatError,
    UnsupportedLanguageError,
)
from . import BaseStage

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

# --------------------------------------------------------------------------- normalisation

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028]")
#: Zero-width characters, soft hyphen, BOM and every other control character except \n and \t.
_REMOVE = (
    {0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}
    | (set(range(0x00, 0x20)) - {0x09, 0x0A})
    | set(range(0x7F, 0xA0))
)
#: Unicode space separators (category Zs) and the tab become a plain space.
_SPACES = {0x09, 0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000}
_TRANSLATE: dict[int, str | None] = {**dict.fromkeys(_REMOVE), **dict.fromkeys(_SPACES, " ")}
_TRAILING_SPACES = re.compile(r" +\n")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_text(s: str) -> str:
    """The canonical form every offset in an Article points into.

    NFC; CRLF/CR and other line separators to LF (U+2029 to a blank line); zero-width characters,
    soft hyphens and control characters removed; NBSP, other space separators and tabs to a space;
    trailing spaces stripped per line; 3+ newlines collapsed to one blank line; the whole stripped.
    Curly quotes and dashes are kept. Idempotent.
    """
    s = _LINE_BREAKS.sub("\n", s).replace("\u2029", "\n\n")
    s = unicodedata.normalize("NFC", s.translate(_TRANSLATE))
    s = _TRAILING_SPACES.sub("\n", s)
    s = _MANY_NEWLINES.sub("\n\n", s)
    return s.strip(" \n")


# --------------------------------------------------------------------------- text + links builder

_LS, _LE = "\ue000", "\ue001"  # link start / end sentinels (private use: never meaningful input)
_SENTINELS = {ord(_LS): None, ord(_LE): None}
_WS_AFTER_START = re.compile(f"{_LS}([ \\n]+)")
_WS_BEFORE_END = re.compile(f"([ \\n]+){_LE}")
_SENTINEL_SPLIT = re.compile(f"([{_LS}{_LE}])")


class _TextBuilder:
    """Collects text pieces, block/line breaks and link anchors; ``finish`` normalises it all."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.urls: list[str] = []
        self._open: int | None = None  # index in parts of the open link's start sentinel
        self._depth = 0

    def text(self, s: str | None) -> None:
        if s:
            if _LS in s or _LE in s:
                s = s.translate(_SENTINELS)
            self.parts.append(s)

    def block(self) -> None:
        self.parts.append("\n\n")

    def at_line_start(self) -> bool:
        """True when only spaces follow the latest newline (or nothing was written yet)."""
        for part in reversed(self.parts):
            stripped = part.rstrip(" \t")
            if stripped:
                return stripped.endswith("\n")
        return True

    def line(self) -> None:
        """A line break, unless one was just emitted (list items open and close with one)."""
        if not self.at_line_start():
            self.parts.append("\n")

    def open_link(self, url: str | None) -> None:
        self._depth += 1
        if self._depth > 1 or not url:
            return  # nested or target-less anchors: keep the text, no link
        self._open = len(self.parts)
        self.parts.append(_LS)
        self.urls.append(url)

    def close_link(self) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth or self._open is None:
            return
        if "".join(self.parts[self._open + 1 :]).strip():
            self.parts.append(_LE)
        else:  # an anchor without text (an image link): no link
            self.parts[self._open] = ""
            self.urls.pop()
        self._open = None

    def finish(self) -> tuple[str, list[Link]]:
        while self._depth:
            self.close_link()
        return _resolve_links("".join(self.parts), self.urls)


def _drop_empty_links(marked: str, urls: list[str]) -> tuple[str, list[str]]:
    out: list[str] = []
    kept: list[str] = []
    i = 0
    pieces = _SENTINEL_SPLIT.split(marked)
    j = 0
    while j < len(pieces):
        p = pieces[j]
        if p == _LS:
            if j + 2 < len(pieces) and pieces[j + 1] == "" and pieces[j + 2] == _LE:
                j += 3  # start, empty, end
                i += 1
                continue
            kept.append(urls[i])
            i += 1
        out.append(p)
        j += 1
    return "".join(out), kept


def _resolve_links(marked: str, urls: list[str]) -> tuple[str, list[Link]]:
    """Normalise text carrying link sentinels; return the clean text and links with offsets into it.

    Whitespace is moved outside anchors and empty anchors dropped until stable, so that removing the
    sentinels afterwards cannot create anything :func:`normalize_text` would change.
    """
    for _ in range(5):
        before = marked
        marked = normalize_text(marked)
        marked = _WS_AFTER_START.sub(lambda m: m.group(1) + _LS, marked)
        marked = _WS_BEFORE_END.sub(lambda m: _LE + m.group(1), marked)
        marked, urls = _drop_empty_links(marked, urls)
        if marked == before:
            break
    out: list[str] = []
    links: list[Link] = []
    length = 0
    start = 0
    idx = 0
    for piece in _SENTINEL_SPLIT.split(marked):
        if piece == _LS:
            start = length
        elif piece == _LE:
            links.append(Link(start=start, end=length, url=urls[idx], text=""))
            idx += 1
        else:
            out.append(piece)
            length += len(piece)
    text = "".join(out)
    if normalize_text(text) != text:  # pragma: no cover - e.g. an anchor starting with a combining mark
        anchors = [(text[link.start : link.end], link.url) for link in links]
        text = normalize_text(text)
        links = _relocate(text, anchors)
    for link in links:
        link.text = text[link.start : link.end]
    return text, links


def _relocate(text: str, anchors: list[tuple[str, str]]) -> list[Link]:  # pragma: no cover
    """Fallback: find each anchor's normalised text, in order."""
    links: list[Link] = []
    pos = 0
    for anchor, url in anchors:
        t = normalize_text(anchor)
        at = text.find(t, pos) if t else -1
        if at >= 0:
            links.append(Link(at, at + len(t), url, t))
            pos = at + len(t)
    return links


# --------------------------------------------------------------------------- decoding and sniffing

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Share of control characters (other than whitespace) above which decoded text counts as binary.
_MAX_CONTROL_RATIO = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0c\x0b")
#: One well-formed UTF-8 multi-byte sequence (RFC 3629: no overlong forms, surrogates or code
#: points past U+10FFFF). Single-byte encodings almost never produce one by chance.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII_BYTES = bytes(range(0x80))
#: Bytes that not valid UTF-8 may make up, at most, of the non-ASCII bytes of input still read as
#: UTF-8 (with U+FFFD for them): one stray byte next to one "é" is UTF-8, a cp1252 file full of
#: smart quotes with one accidental UTF-8-looking pair is not.
_MAX_INVALID_UTF8_SHARE = 1 / 3
#: Curly quotes, dashes, ellipsis, bullet, €, ™, NBSP, ©, ®, °, « and »: bytes every Windows code
#: page of the Latin scripts (1250, 1252, 1253, 1254, 1257) reads alike. Input whose only non-ASCII
#: bytes are these is Windows typography; charset-normalizer guesses DOS and Mac code pages for
#: many such short English articles (cp775, cp852, mac_iceland: "’" read as "Æ" or "í").
_WINDOWS_PUNCTUATION = bytes(
    [0x80, 0x82, 0x84, 0x85, 0x86, 0x87, 0x89, 0x8B, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x99,
     0x9B, 0xA0, 0xA9, 0xAB, 0xAE, 0xB0, 0xBB]
)


@dataclasses.dataclass(frozen=True)
class DecodedText:
    """Decoded input: the text, the encoding read, and how many bytes were not valid in it."""

    text: str
    encoding: str
    #: Bytes that were not valid ``encoding`` and became U+FFFD (only for mostly-UTF-8 input).
    replaced_bytes: int = 0

    def note(self) -> str | None:
        """The line for ``Article.skipped`` when bytes were replaced."""
        if not self.replaced_bytes:
            return None
        n = self.replaced_bytes
        return (
            f"{n:,} byte{'s' if n != 1 else ''} not valid {self.encoding.upper()} replaced with U+FFFD "
            f"(\ufffd); the rest of the input was read as {self.encoding.upper()}"
        )


def _mostly_utf8(data: bytes) -> int | None:
    """The number of invalid bytes when ``data`` (not strictly UTF-8) is still UTF-8 text with a few
    stray bytes: at least one well-formed multi-byte sequence, and invalid bytes at most
    ``_MAX_INVALID_UTF8_SHARE`` of the non-ASCII bytes. None otherwise."""
    if _UTF8_MULTIBYTE.search(data) is None:
        return None
    non_ascii = len(data.translate(None, _ASCII_BYTES))
    invalid = non_ascii - (len(data) - len(_UTF8_MULTIBYTE.sub(b"", data)))
    return invalid if 0 < invalid <= _MAX_INVALID_UTF8_SHARE * non_ascii else None


def decode_text(data: bytes, *, declared: str | None = None) -> DecodedText:
    """Decode input bytes to text, in this order:

    a BOM; strict UTF-8; mostly UTF-8 (a few stray bytes replaced with U+FFFD and counted, see
    :func:`_mostly_utf8`); the declared charset; cp1252 when the only non-ASCII bytes are Windows
    punctuation; else charset-normalizer's guess (named cp1252 when cp1252 reads the same).

    Raises :class:`BinaryInputError` for bytes that are not text.
    """
    text: str | None = None
    encoding = ""
    replaced = 0
    for bom, enc in _BOMS:
        if data.startswith(bom):
            with contextlib.suppress(UnicodeDecodeError):
                text, encoding = data.decode(enc), enc.replace("-sig", "")
            break
    if text is None:
        if b"\x00" in data[:65536]:
            raise BinaryInputError("input looks binary (it contains NUL bytes), not text")
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("utf-8"), "utf-8"
    if text is None:
        invalid = _mostly_utf8(data)
        if invalid is not None:
            text, encoding, replaced = data.decode("utf-8", "replace"), "utf-8", invalid
    if text is None and declared:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            text, encoding = data.decode(declared), codecs.lookup(declared).name
    if text is None and not data.translate(None, _ASCII_BYTES + _WINDOWS_PUNCTUATION):
        text, encoding = data.decode("cp1252"), "cp1252"
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise BinaryInputError("input looks binary (no text encoding fits), not text")
        text, encoding = str(best), best.encoding
        if encoding != "cp1252" and "cp1252" in best.could_be_from_charset:
            encoding = "cp1252"  # the same text: name the encoding such files are written in
    sample = text[:100_000]
    # U+FFFD put in for stray bytes is not a sign of binary input: _mostly_utf8 bounded them.
    controls = sum(
        1
        for c in sample
        if (c == "\ufffd" and not replaced)
        or (unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS)
    )
    if sample and controls / len(sample) > _MAX_CONTROL_RATIO:
        share = 100 * controls / len(sample)
        raise BinaryInputError(f"input looks binary ({share:.0f}% control characters), not text")
    return DecodedText(text, encoding, replaced)


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of input bytes; see :func:`decode_text` (which also counts replaced bytes).

    Raises :class:`BinaryInputError` for bytes that are not text.
    """
    decoded = decode_text(data, declared=declared)
    return decoded.text, decoded.encoding


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


# --------------------------------------------------------------------------- language

_IDENTIFIER: Any = None
_IDENTIFIER_LOCK = threading.Lock()
#: Below this many characters language identification is unreliable: assume a supported language.
MIN_LANGUAGE_CHARS = 100
#: How much text is given to the identifier.
LANGUAGE_SAMPLE_CHARS = 5_000


def _identifier() -> Any:
    """py3langid's classifier with normalised probabilities, loaded once per process."""
    global _IDENTIFIER
    if _IDENTIFIER is None:
        with _IDENTIFIER_LOCK:
            if _IDENTIFIER is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def detect_language(text: str) -> list[tuple[str, float]]:
    """``[(iso639-1 code, probability), ...]`` best first, from the first ~5,000 characters."""
    ranked = _identifier().rank(text[:LANGUAGE_SAMPLE_CHARS])
    return [(str(lang), float(p)) for lang, p in ranked]


# --------------------------------------------------------------------------- quieting libraries


@contextlib.contextmanager
def _quiet(*names: str) -> Iterator[None]:
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


# --------------------------------------------------------------------------- HTML

_STRIP_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
               "canvas", "frameset", "frame")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_REFERENCE_HEADING = re.compile(
    r"^\s*(?:sources?|references?|further reading|bibliography|citations?|works cited|notes)\s*:?\s*$",
    re.I,
)
_BOILERPLATE_ANCESTORS = {"nav", "aside", "footer", "header", "form", "menu"}
#: trafilatura's output tags: blocks get a blank line around them, list items and rows a line.
_XML_BLOCKS = {"body", "doc", "main", "head", "p", "list", "quote", "table", "div", "section", "article",
               "pre", "blockquote"}
_XML_LINES = {"item", "row"}
_HTML_BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
                "blockquote", "pre"}
_HTML_LINES = {"li", "tr", "br"}
#: Above this much visible text trafilatura runs without its fallback extractors (``_html_to_text``).
FAST_HTML_CHARS = 1_000_000
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


def _charset_hint(data: bytes, content_type: str | None) -> str | None:
    if content_type:
        declared = re.search(r"charset=\s*\"?([\w.:-]+)", content_type, re.I)
        if declared:
            return declared.group(1)
    meta = _META_CHARSET.search(data[:4096])
    return meta.group(1).decode("ascii") if meta else None


def _walk(
    root: Any,
    builder: _TextBuilder,
    *,
    link_tag: str,
    link_attr: str,
    blocks: set[str],
    lines: set[str],
    base_url: str | None,
) -> None:
    """Emit an element tree's text into ``builder`` without recursion (pages nest deeply)."""
    from lxml import etree

    ordered: list[int] = []  # item counters of enclosing ordered lists (-1: unordered)
    pre = 0  # depth inside <pre>/<code> blocks, where whitespace is kept

    def emit(s: str | None) -> None:
        # HTML whitespace (source indentation, newlines) collapses to one space; structure alone
        # makes line breaks.
        if s and not pre:
            s = _HTML_SPACE.sub(" ", s)
            if builder.at_line_start():
                s = s.lstrip(" ")
        builder.text(s)

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if tag in ("pre", "code"):
                pre += 1
            if tag in ("list", "ul", "ol"):
                is_ol = tag == "ol" or el.get("rend") == "ol"
                ordered.append(0 if is_ol else -1)
            if tag in blocks:
                builder.block()
            elif tag in lines:
                builder.line()
                if tag in ("item", "li"):
                    if ordered and ordered[-1] >= 0:
                        ordered[-1] += 1
                        builder.text(f"{ordered[-1]}. ")
                    else:
                        builder.text("- ")
            elif tag in ("lb", "br"):
                builder.line()
            elif tag in ("cell", "td", "th"):
                builder.text(" ")
            if tag == link_tag:
                builder.open_link(_clean_url(el.get(link_attr), base_url))
            emit(el.text)
        else:
            if tag in ("pre", "code"):
                pre -= 1
            if tag == link_tag:
                builder.close_link()
            if tag in ("list", "ul", "ol") and ordered:
                ordered.pop()
            if tag in blocks:
                builder.block()
            elif tag in lines:
                builder.line()
            if el is not root:
                emit(el.tail)


def _clean_url(url: str | None, base_url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    with contextlib.suppress(ValueError):
        if base_url:
            url = urljoin(base_url, url)
        scheme = urlsplit(url).scheme.lower()
        if scheme in ("", "http", "https", "mailto", "ftp"):
            return url
    return None


def _find_reference_lists(tree: Any) -> list[tuple[str, Any]]:
    """``(heading, <ul>/<ol>)`` for "Sources"/"References" lists outside nav/aside/footer.

    trafilatura drops link-only lists (their link density marks them as boilerplate), which loses
    exactly the reference list a citation audit needs; these are put back after extraction.
    """
    found: list[tuple[str, Any]] = []
    for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "dt"):
        title = h.text_content().strip()
        if len(title) > 40 or not _REFERENCE_HEADING.match(title):
            continue
        if any(str(a.tag).lower() in _BOILERPLATE_ANCESTORS for a in h.iterancestors()):
            continue
        anchor = h
        if h.tag in ("strong", "b") and h.getparent() is not None and h.getparent().tag == "p":
            anchor = h.getparent()
        nxt = anchor.getnext()
        if nxt is not None and str(nxt.tag).lower() in ("ul", "ol"):
            found.append((title, nxt))
    return found


def _prune(tree: Any, max_elements: int, max_chars: int) -> tuple[int, int, int]:
    """Cut the tree after the first ``max_elements`` elements or ``max_chars`` of text.

    trafilatura's time grows with both, faster than linearly in elements (uncut, on a shared 2-core
    machine: ~4 s for 30k elements, ~45 s for 100k, ~38 s for an 18 MB page of 58k paragraphs), while
    only ``max_text_chars`` of text is audited anyway; so a huge page is cut in document order before
    extraction, as long text is truncated after it. With the cut, whole-ingest times for 50 MB pages
    were 1.7 s (mostly inline script), 9.4 s (46 MB of 150k paragraphs) and 4.7 s (400k elements).
    Returns ``(elements, visible characters, elements kept)``.
    """
    count = chars = 0
    cut = None
    kept = 0
    for el in tree.iter():
        count += 1
        chars += len(el.text or "") + len(el.tail or "")
        if cut is None and (count > max_elements or chars > max_chars):
            cut, kept = el, count - 1
    if cut is None or cut.getparent() is None:
        return count, chars, count
    node = cut
    while node.getparent() is not None:
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        if node is not cut:
            node.tail = None
        node = parent
    cut.getparent().remove(cut)
    return count, chars, kept


#: libxml2's HTML parser stops at this element depth and drops the rest of the document (and with
#: ``huge_tree``, at 2048); trafilatura then finds no article text in what is left.
LIBXML2_MAX_DEPTH = 256
#: Deeper markup is flattened (:func:`_flatten_deep_html`): only lists, tables, paragraphs, headings,
#: quotes and links keep their tags below this depth, and no tag below ``_FLATTEN_HARD_DEPTH``.
FLATTEN_HTML_DEPTH = 100
_FLATTEN_HARD_DEPTH = 200
_TAG_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9:_-]*)([^<>]*)>", re.S)
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                        "source", "track", "wbr", "keygen", "basefont", "frame", "isindex"})
_RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                            "plaintext"})
_RAW_TEXT_END = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in _RAW_TEXT_TAGS}
_STRUCTURE_TAGS = frozenset({"html", "head", "body", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                             "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                             "blockquote", "pre", "a"})
#: An open element (the key) that the start of one of the values closes, as an HTML parser does.
_IMPLIED_END: dict[str, frozenset[str]] = {
    "p": frozenset({"p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", "section", "article",
                    "aside", "header", "footer", "nav", "main", "form", "hr", "h1", "h2", "h3", "h4",
                    "h5", "h6"}),
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "option": frozenset({"option", "optgroup"}),
    "td": frozenset({"td", "th", "tr"}),
    "th": frozenset({"td", "th", "tr"}),
    "tr": frozenset({"tr"}),
}


def _at_parser_depth_limit(tree: Any) -> bool:
    """True when the parsed tree reaches libxml2's depth limit (so the parse was likely cut short).

    One XPath step per level, in C: cheap even on pages with hundreds of thousands of elements.
    """
    return bool(tree.xpath("boolean(/*" + "/*" * (LIBXML2_MAX_DEPTH - 1) + ")"))


def _flatten_deep_html(html: str) -> str:
    """``html`` with the tags of elements nested deeper than ``FLATTEN_HTML_DEPTH`` removed.

    A linear scan over the tags (no parse, so no depth limit): each start tag opens an entry on a
    stack, an end tag closes the nearest open element of its name and everything opened after it
    (found through a per-name index, so hostile input stays linear), and the end tags an HTML
    parser would imply (``<p>`` before a ``<div>``, ``<li>`` before the next ``<li>``) are applied.
    Below ``FLATTEN_HTML_DEPTH`` only structural tags are kept (lists, tables, paragraphs, headings,
    quotes, links), below ``_FLATTEN_HARD_DEPTH`` none; the text between tags is never touched.
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, kept) of each open element
    where: dict[str, list[int]] = {}  # tag -> stack indices where it is open
    kept = 0  # open elements whose tags are kept: the depth the parser will see
    pos = last = 0

    def close_from(i: int) -> None:
        nonlocal kept
        while len(stack) > i:
            tag, was_kept = stack.pop()
            where[tag].pop()
            kept -= was_kept

    while (m := _TAG_TOKEN.search(html, pos)) is not None:
        pos = m.end()
        name = m.group(2)
        if name is None:  # a comment
            continue
        tag = name.lower()
        if m.group(1):  # an end tag
            open_at = where.get(tag)
            if open_at:
                i = open_at[-1]
                keep = stack[i][1]
                close_from(i)
                if not keep:
                    out.append(html[last : m.start()])
                    last = pos
            continue
        while stack and tag in _IMPLIED_END.get(stack[-1][0], ()):
            close_from(len(stack) - 1)
        if tag in _RAW_TEXT_TAGS:  # kept whole (it opens no depth); its content is not markup
            end = _RAW_TEXT_END[tag].search(html, pos)
            pos = end.end() if end else len(html)
            continue
        if tag in _VOID_TAGS or m.group(3).rstrip().endswith("/"):
            continue
        keep = kept < FLATTEN_HTML_DEPTH or (kept < _FLATTEN_HARD_DEPTH and tag in _STRUCTURE_TAGS)
        if not keep:
            out.append(html[last : m.start()])
            last = pos
        where.setdefault(tag, []).append(len(stack))
        stack.append((tag, keep))
        kept += keep
    out.append(html[last:])
    return "".join(out)


def _html_to_text(
    html: str, *, base_url: str | None
) -> tuple[str, list[Link], dict[str, Any], list[str]]:
    """Main text with links, page metadata and skip notes of a decoded HTML page."""
    import trafilatura
    from lxml import etree

    if "<html" not in html[:2048].lower():  # trafilatura expects a whole document
        html = f"<html><body>{html}</body></html>"
    skipped: list[str] = []
    with _quiet("trafilatura", "htmldate", "courlan", "justext", "readability"):
        tree = trafilatura.load_html(html)
        if tree is not None and _at_parser_depth_limit(tree):
            html = _flatten_deep_html(html)
            skipped.append(
                f"HTML nested more than {LIBXML2_MAX_DEPTH} levels deep (the parser's limit): markup below "
                f"{FLATTEN_HTML_DEPTH} levels was flattened before extraction; its text is kept"
            )
            tree = trafilatura.load_html(html)
    if tree is None:
        raise EmptyInputError("no text found in the HTML page")
    # Cheap pre-strip: scripts and styles are where most of a big page's bytes are, and trafilatura
    # would parse and discard them anyway.
    etree.strip_elements(tree, *_STRIP_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    n_elements, visible_chars, kept_elements = _prune(tree, MAX_HTML_ELEMENTS, MAX_HTML_CHARS)
    if kept_elements < n_elements:
        skipped.append(
            f"HTML page too large to extract whole ({n_elements:,} elements, {visible_chars:,} characters "
            f"of visible text): only its first {kept_elements:,} elements were read"
        )
    # trafilatura's fallback extractors (readability, justext) dominate on text-heavy pages (7 of
    # 12 s on a 50 MB page here) and are rarely needed there: skip them above FAST_HTML_CHARS.
    fast = min(visible_chars, MAX_HTML_CHARS) > FAST_HTML_CHARS
    references = _find_reference_lists(tree)
    meta: dict[str, Any] = {}
    builder = _TextBuilder()
    doc = None
    try:
        with _quiet("trafilatura", "htmldate", "courlan", "justext", "readability"):
            doc = trafilatura.bare_extraction(
                tree,
                url=base_url,
                include_links=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                with_metadata=True,
                deduplicate=False,
                fast=fast,
            )
    except Exception:  # hostile markup must not crash ingest: fall back below
        doc = None
    body = getattr(doc, "body", None)
    if doc is not None:
        for key in ("title", "author", "date", "sitename", "url", "description"):
            value = getattr(doc, key, None)
            if value:
                meta[key] = str(value)
    base = base_url or meta.get("url")
    if body is not None and len(body):
        _walk(body, builder, link_tag="ref", link_attr="target", blocks=_XML_BLOCKS, lines=_XML_LINES,
              base_url=base)
        kept = normalize_text(" ".join(body.itertext())).casefold()
        for title, lst in references:
            first = normalize_text(lst.text_content()).casefold()[:60]
            if title.casefold() in kept and first and first in kept:
                continue
            builder.block()
            builder.text(title)
            builder.block()
            _walk(lst, builder, link_tag="a", link_attr="href", blocks=set(), lines=_HTML_LINES | {"li"},
                  base_url=base)
    else:
        # Nothing recognisable as an article (a short page, a fragment): take the visible text,
        # minus obvious navigation.
        etree.strip_elements(tree, *(_BOILERPLATE_ANCESTORS - {"header"}), with_tail=False)
        body_el = tree.find(".//body")
        root = body_el if body_el is not None else tree
        _walk(root, builder, link_tag="a", link_attr="href", blocks=_HTML_BLOCKS, lines=_HTML_LINES,
              base_url=base)
    text, links = builder.finish()
    return text, links, meta, skipped


# --------------------------------------------------------------------------- Markdown


def _markdown_to_text(source: str) -> tuple[str, list[Link]]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    builder = _TextBuilder()
    ordered: list[bool] = []
    in_item = 0
    for tok in md.parse(source):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            ordered.append(t == "ordered_list_open")
            builder.block()
        elif t in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
            builder.block()
        elif t == "list_item_open":
            in_item += 1
            builder.line()
            builder.text(f"{tok.info}{tok.markup} " if ordered and ordered[-1] and tok.info else "- ")
        elif t == "list_item_close":
            in_item -= 1
            builder.line()
        elif t in ("paragraph_close", "heading_close"):
            if in_item:
                builder.line()
            else:
                builder.block()
        elif t in ("heading_open", "blockquote_open", "blockquote_close", "hr", "table_open",
                   "table_close"):
            builder.block()
        elif t == "tr_close":
            builder.line()
        elif t in ("th_close", "td_close"):
            builder.text(" ")
        elif t in ("fence", "code_block"):
            builder.block()
            builder.text(tok.content)
            builder.block()
        elif t == "html_block":
            builder.block()
            builder.text(_strip_tags(tok.content))
            builder.block()
        elif t == "inline":
            for child in tok.children or []:
                c = child.type
                if c in ("text", "code_inline"):
                    builder.text(child.content)
                elif c == "softbreak":
                    builder.text(" ")
                elif c == "hardbreak":
                    builder.line()
                elif c == "link_open":
                    href = child.attrs.get("href")
                    builder.open_link(str(href) if href else None)
                elif c == "link_close":
                    builder.close_link()
                elif c == "html_inline":
                    continue
    return builder.finish()


def _strip_tags(fragment: str) -> str:
    import lxml.html

    try:
        return str(lxml.html.fragment_fromstring(fragment, create_parent="div").text_content())
    except Exception:  # malformed HTML inside Markdown: drop it
        return ""


# --------------------------------------------------------------------------- PDF

_SENTENCE_END = ".!?:\"”’)"
_LIST_START = re.compile(r"^(?:\d{1,3}[.)]|[•▪◦*–-]|\[\d{1,3}\])\s")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?$", re.I)
_JUNK_TITLE = re.compile(r"^(?:untitled.*|microsoft word - .*|.*\.(?:docx?|pdf|tex|indd|odt|rtf))$", re.I)


def _reflow_pdf_page(page_text: str) -> list[str]:
    """Re-flow a page's extracted lines into paragraphs.

    pypdf yields one line per printed line and no paragraph information, so a paragraph ends after a
    line that is clearly shorter than the page's usual line (a last line or a heading), after a
    somewhat short line that ends a sentence, before a short unpunctuated line that follows a
    sentence end (a heading), at a blank line, or before a list marker. Lines are joined with a
    space; a line ending in a hyphen joins without one (the hyphen is kept: "air-to-" + "water").
    """
    lines = [ln.strip() for ln in page_text.splitlines()]
    while lines and (not lines[0] or _PAGE_NUMBER.match(lines[0])):
        lines.pop(0)
    while lines and (not lines[-1] or _PAGE_NUMBER.match(lines[-1])):
        lines.pop()
    lengths = sorted(len(ln) for ln in lines if ln)
    typical = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0
    paragraphs: list[str] = []
    current = ""
    last_len = 0  # length of the latest printed line in ``current``
    for line in lines:
        if current and (
            not line
            or _LIST_START.match(line)
            or last_len < 0.7 * typical
            or (current[-1] in _SENTENCE_END and (
                last_len < 0.85 * typical
                or (len(line) < 0.5 * typical and line[-1] not in _SENTENCE_END + ",;")
            ))
        ):
            paragraphs.append(current)
            current = ""
        if not line:
            continue
        if not current:
            current = line
        elif current.endswith("-") and len(current) > 1 and current[-2].isalpha():
            current += line
        else:
            current += " " + line
        last_len = len(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _pdf_to_text(data: bytes, settings: Settings) -> tuple[str, dict[str, Any], list[str]]:
    """Text (paragraphs blank-line separated), metadata and skip notes of a PDF."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    skipped: list[str] = []
    meta: dict[str, Any] = {}
    # pypdf raises many exception types on damaged files (PdfReadError, ValueError, KeyError,
    # struct/zlib errors, RecursionError...): every one of them means "cannot read this PDF".
    with _quiet("pypdf"):
        try:
            reader = PdfReader(BytesIO(data))
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise InputError(
                        f"PDF is encrypted in a way that cannot be read here: {_first_line(exc)}"
                    ) from None
                if not ok:
                    raise InputError("PDF is password-protected; decrypt it first")
            with contextlib.suppress(Exception):
                info = reader.metadata
                if info is not None and info.title:
                    meta["title"] = str(info.title)
                if info is not None and info.author:
                    meta["author"] = str(info.author)
            pages = reader.pages
            n_pages = len(pages)
            chunks: list[str] = []
            total = 0
            for i in range(n_pages):
                if total > settings.max_text_chars:
                    skipped.append(
                        f"PDF pages {i + 1}–{n_pages} of {n_pages} not read: the text limit of "
                        f"{settings.max_text_chars:,} characters was reached"
                    )
                    break
                try:
                    page_text = pages[i].extract_text() or ""
                except Exception as exc:  # one damaged page must not lose the others
                    skipped.append(f"PDF page {i + 1} could not be read: {_first_line(exc)}")
                    continue
                paragraphs = _reflow_pdf_page(page_text)
                if chunks and paragraphs and _continues(chunks[-1], paragraphs[0]):
                    chunks[-1] = chunks[-1] + " " + paragraphs.pop(0)
                chunks.extend(paragraphs)
                total += sum(len(p) for p in paragraphs)
        except FactauditError:
            raise
        except FileNotDecryptedError:
            raise InputError("PDF is password-protected; decrypt it first") from None
        except Exception as exc:  # see above
            raise InputError(
                f"PDF could not be read (damaged or not really a PDF): {_first_line(exc)}"
            ) from None
    meta["pages"] = n_pages
    pieces: list[str] = []
    for i, chunk in enumerate(chunks):
        if i:  # consecutive list items stay on consecutive lines
            both_items = _LIST_START.match(chunk) and _LIST_START.match(chunks[i - 1])
            pieces.append("\n" if both_items else "\n\n")
        pieces.append(chunk)
    text = "".join(pieces)
    if not text.strip():
        if skipped:
            raise InputError(f"PDF could not be read (damaged): {skipped[-1]}")
        raise UnsupportedFormatError("PDF has no text layer (scanned?); OCR is not supported")
    return text, meta, skipped


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _continues(prev: str, nxt: str) -> bool:
    """A paragraph running across a page break: no final punctuation, next starts lowercase."""
    return bool(prev) and prev[-1] not in _SENTENCE_END + ";" and nxt[:1].islower()


# --------------------------------------------------------------------------- the stage

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DOMAIN_LIKE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/|$)", re.I)
_CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html", "markdown": "text/markdown",
                  "text": "text/plain"}


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


def extract_document(
    data: bytes,
    settings: Settings,
    *,
    name: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
) -> ExtractedDocument:
    """Main text of an HTML page, PDF, Markdown or plain-text document, as ingest reads it (also
    used for the pages an article cites). Raises an :class:`InputError` when there is no text."""
    fmt = sniff_format(data, name=name, content_type=content_type)
    links: list[Link] = []
    extra: dict[str, Any] = {}
    encoding: str | None = None
    replaced = 0
    skipped: list[str] = []
    if fmt == "pdf":
        text, extra, skipped = _pdf_to_text(data, settings)
        text = normalize_text(text)
    else:
        decoded = decode_text(data, declared=_charset_hint(data if fmt == "html" else b"", content_type))
        encoding, replaced = decoded.encoding, decoded.replaced_bytes
        note = decoded.note()
        if note:
            skipped.append(note)
        if fmt == "html":
            text, links, extra, html_skipped = _html_to_text(decoded.text, base_url=url)
            skipped.extend(html_skipped)
        elif fmt == "markdown":
            text, links = _markdown_to_text(decoded.text)
        else:
            text = normalize_text(decoded.text)
    if not text:
        what = {"html": "no article text found in the HTML page"}.get(fmt, "input is only whitespace")
        raise EmptyInputError(what)
    return ExtractedDocument(fmt, text, links, extra, encoding, skipped, replaced)


@dataclasses.dataclass
class _Input:
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
        _identifier()

    def __call__(self, article: Article) -> Article:
        try:
            return self._ingest(article)
        except FactauditError as exc:
            if exc.source is None:
                exc.source = article.source
            raise

    # ---------------------------------------------------------------- reading

    def _read(self, article: Article) -> _Input:
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
        if not src.data.strip():
            raise EmptyInputError("input is empty" if not src.data else "input is only whitespace")
        doc = extract_document(
            src.data, self.settings, name=src.name, content_type=src.content_type, url=src.final_url
        )
        fmt, text, links, extra, encoding, skipped = (
            doc.format, doc.text, doc.links, doc.meta, doc.encoding, doc.skipped
        )

        article.skipped.extend(skipped)
        text, links = self._truncate(text, links, article)
        article.text = text
        article.links = links
        article.format = fmt
        article.title = self._title(extra.get("title"), text)

        meta = article.meta
        meta["content_type"] = src.content_type or _CONTENT_TYPES[fmt]
        meta["bytes"] = len(src.data)
        meta["encoding"] = encoding
        if doc.replaced_bytes:
            meta["encoding_replaced_bytes"] = doc.replaced_bytes
        if src.url:
            meta["url"] = src.url
            meta["final_url"] = src.final_url
            meta["fetched_at"] = src.fetched_at
        for key in ("author", "date", "sitename", "description", "pages"):
            if extra.get(key):
                meta[key] = extra[key]
        if extra.get("url"):
            meta["canonical_url"] = extra["url"]

        self._language(article)
        article.raw = None
        return article

    def _truncate(self, text: str, links: list[Link], article: Article) -> tuple[str, list[Link]]:
        limit = self.settings.max_text_chars
        if len(text) <= limit:
            return text, links
        cut = text.rfind("\n\n", 0, limit + 1)
        if cut <= 0:
            cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        kept = text[:cut].rstrip()
        dropped = len(text) - len(kept)
        article.skipped.append(
            f"text truncated to {len(kept):,} characters at a paragraph boundary: the last {dropped:,} "
            f"characters ({100 * dropped / len(text):.0f}%) are not audited (max_text_chars={limit:,})"
        )
        return kept, [link for link in links if link.end <= len(kept)]

    @staticmethod
    def _title(meta_title: Any, text: str) -> str | None:
        if isinstance(meta_title, str):
            t = normalize_text(meta_title).replace("\n", " ")
            if t and not _JUNK_TITLE.match(t):
                return t
        first = text.split("\n", 1)[0].strip()
        if first and len(first) <= 200 and not first.endswith("."):
            return first
        return None

    def _language(self, article: Article) -> None:
        settings = self.settings
        ranked = detect_language(article.text)
        probs = dict(ranked)
        best, confidence = ranked[0]
        default = settings.languages[0] if settings.languages else "en"
        if best in settings.languages:
            article.language, article.language_confidence = best, round(confidence, 4)
            return
        sample = article.text[:LANGUAGE_SAMPLE_CHARS]
        if confidence >= settings.min_language_confidence and len(sample) >= MIN_LANGUAGE_CHARS:
            # Refused like any other input that cannot be audited (exit 3, FA105; a batch records it
            # and goes on; the web app answers 422), not reported as an audit without claims.
            raise UnsupportedLanguageError(
                f"detected language '{best}' (confidence {confidence:.2f}) is not supported; "
                f"supported: {', '.join(settings.languages) or 'none'}"
            )
        # Too short or too unsure to refuse: read it as the default language, and say what was seen.
        article.language = default
        article.language_confidence = round(probs.get(default, 0.0), 4)
        article.meta["language_guess"] = {"language": best, "confidence": round(confidence, 4)}

