"""Documents in, passages out: :class:`SourceDocument` (what a reader yields), the regex sentence
splitter, passage windows of a few sentences that never cross a paragraph, and the content hash
that deduplicates passages and documents."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_PASSAGE_CHARS",
    "MAX_PASSAGE_SENTENCES",
    "MIN_PASSAGE_CHARS",
    "Segment",
    "SourceDocument",
    "content_hash",
    "sentence_spans",
    "split_passages",
]

#: Longest passage (characters) the splitter makes; longer sentences are cut at a word boundary.
MAX_PASSAGE_CHARS = 400
#: Most sentences in one passage window.
MAX_PASSAGE_SENTENCES = 3
#: Passages shorter than this (characters) are not indexed (headings, stray markup).
MIN_PASSAGE_CHARS = 12


@dataclass
class Segment:
    """A span ``[start, end)`` of a document's text, with an optional as-of date of its own."""

    start: int
    end: int
    date: str | None = None


@dataclass
class SourceDocument:
    """One document a reader produced, ready to be split into passages and indexed."""

    text: str
    title: str | None = None
    #: Stable id within its corpus (a page id, a path); defaults to the url, else a content hash.
    key: str | None = None
    url: str | None = None
    #: As-of / publication date as the source gives it ("2025", "2024-06-01").
    date: str | None = None
    licence: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: Pre-split sentence spans (FEVER lines): packed into passage windows instead of re-splitting.
    sentences: list[Segment] | None = None
    #: Exact passage spans (factbook facts, each with its own date): indexed as they are.
    passages: list[Segment] | None = None


_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "jr",
    "sr",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "nos",
    "fig",
    "gen",
    "col",
    "lt",
    "sgt",
    "rep",
    "sen",
    "gov",
    "mt",
    "ft",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "est",
    "approx",
    "ca",
    "cf",
    "al",
    "vol",
    "pp",
    "op",
    "dept",
    "univ",
    "assn",
    "bros",
    "ave",
    "blvd",
    "rd",
    "hon",
    "rev",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)[.!?…]+[\"'”’)\]]*\s+$")
_PARAGRAPH = re.compile(r"[^\n]+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]`` (regex rules: line breaks, . ! ? before a capital,
    not after common abbreviations or single initials); whitespace is trimmed from each span."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text, start, end):
        cut = para.start()
        for m in _BOUNDARY.finditer(text, para.start(), para.end()):
            word = _LAST_WORD.search(text, cut, m.end())
            if word:
                w = word.group(1).lower().rstrip(".")
                if w in _ABBREV or (len(w) == 1 and word.group(1)[0].isupper()):
                    continue
            spans.append((cut, m.end()))
            cut = m.end()
        spans.append((cut, para.end()))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _cut_long(text: str, s: int, e: int, limit: int) -> list[tuple[int, int]]:
    pieces = []
    while e - s > limit:
        cut = text.rfind(" ", s, s + limit)
        if cut <= s + limit // 2:
            cut = s + limit
        pieces.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        pieces.append((s, e))
    return pieces


def split_passages(
    text: str,
    sentences: Sequence[Segment] | None = None,
    *,
    max_chars: int = MAX_PASSAGE_CHARS,
    max_sentences: int = MAX_PASSAGE_SENTENCES,
) -> list[Segment]:
    """Passage windows of 1–``max_sentences`` consecutive sentences, each ≤ ``max_chars`` characters,
    never across a paragraph (line) break; offsets point into ``text``."""
    spans = sentence_spans(text) if sentences is None else [(s.start, s.end) for s in sentences]
    units: list[tuple[int, int]] = []
    for s, e in spans:
        units.extend(_cut_long(text, s, e, max_chars))
    passages: list[Segment] = []
    cur: list[tuple[int, int]] = []
    for s, e in units:
        if cur and (e - cur[0][0] > max_chars or len(cur) >= max_sentences or "\n" in text[cur[-1][1] : s]):
            passages.append(Segment(cur[0][0], cur[-1][1]))
            cur = []
        cur.append((s, e))
    if cur:
        passages.append(Segment(cur[0][0], cur[-1][1]))
    return passages


def _norm_for_hash(text: str) -> str:
    return " ".join(text.casefold().split())


def content_hash(text: str) -> int:
    """A signed 64-bit content hash (SQLite INTEGER) of whitespace/case-normalised text."""
    digest = hashlib.blake2b(_norm_for_hash(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
