"""The text every offset points into: :func:`normalize_text`, and :class:`TextBuilder`, which
collects extracted text with its links and keeps each link's offsets true through normalisation.

Link offsets are computed on the *final* text by carrying private-use sentinel characters through
normalisation, so ``text[link.start:link.end] == link.text`` always holds.
"""

from __future__ import annotations

import re
import unicodedata

from ..document import Link

__all__ = ["TextBuilder", "normalize_text"]

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


#: A numeric character reference left in text ("fianc&#233;e", "communiqu&#233." in BBC News files).
_NUMERIC_REF = re.compile(r"&#(?:(\d{2,7})|[xX]([0-9a-fA-F]{2,6}));?")


def _char_ref(m: re.Match[str]) -> str:
    code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
    if code < 0xA0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        # ASCII ("&#38;", "&#51;") could build a new reference: only letters and marks beyond
        # ASCII are decoded, so that normalising stays idempotent.
        return m.group(0)
    return chr(code)


def normalize_text(s: str) -> str:
    """The canonical form every offset in an Article points into.

    NFC; CRLF/CR and other line separators to LF (U+2029 to a blank line); zero-width characters,
    soft hyphens and control characters removed; NBSP, other space separators and tabs to a space;
    trailing spaces stripped per line; 3+ newlines collapsed to one blank line; the whole stripped.
    Numeric character references a text file kept from its HTML ("&#233;") are decoded. Curly
    quotes and dashes are kept. Idempotent.
    """
    s = _NUMERIC_REF.sub(_char_ref, s)
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


class TextBuilder:
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
        """Start an anchor; nested anchors and ones without a target keep their text, not a link."""
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
        """The normalised text and its links, each with offsets into that text."""
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

