"""PDF → text (pypdf), page by page, its printed lines re-flowed into blank-line separated paragraphs;
encrypted, damaged and scanned PDFs refused with a reason, one unreadable page noted and skipped."""

from __future__ import annotations

import contextlib
import re
from io import BytesIO
from typing import Any

from ..config import Settings
from ..errors import FactauditError, InputError, UnsupportedFormatError
from ._quiet import first_line, quiet

__all__ = ["pdf_to_text"]

_SENTENCE_END = ".!?:\"”’)"
_LIST_START = re.compile(r"^(?:\d{1,3}[.)]|[•▪◦*–-]|\[\d{1,3}\])\s")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?$", re.I)


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


def pdf_to_text(data: bytes, settings: Settings) -> tuple[str, dict[str, Any], list[str]]:
    """Text (paragraphs blank-line separated), metadata and skip notes of a PDF."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    skipped: list[str] = []
    meta: dict[str, Any] = {}
    # pypdf raises many exception types on damaged files (PdfReadError, ValueError, KeyError,
    # struct/zlib errors, RecursionError...): every one of them means "cannot read this PDF".
    with quiet("pypdf"):
        try:
            reader = PdfReader(BytesIO(data))
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise InputError(
                        f"PDF is encrypted in a way that cannot be read here: {first_line(exc)}"
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
                    skipped.append(f"PDF page {i + 1} could not be read: {first_line(exc)}")
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
                f"PDF could not be read (damaged or not really a PDF): {first_line(exc)}"
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


def _continues(prev: str, nxt: str) -> bool:
    """A paragraph running across a page break: no final punctuation, next starts lowercase."""
    return bool(prev) and prev[-1] not in _SENTENCE_END + ";" and nxt[:1].islower()
