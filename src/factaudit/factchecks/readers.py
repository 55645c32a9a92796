"""Reading fact-check feeds, streamed: schema.org ClaimReview JSON-LD, JSONL and CSV.

JSON files are parsed with ijson (an incremental parser), so a 1 GB DataFeed is never held in
memory: ClaimReview objects are built one at a time from the positions fact-checkers put them at —
the top-level object or array, ``@graph``, ``dataFeedElement[].item`` (Google's DataFeed form) and
``itemListElement``. JSONL rows and CSV rows are read a line at a time; a row is either a
ClaimReview object or a flat record with claim / rating / url / date / publisher (/ language)
columns (common aliases accepted: ``claimReviewed``, ``statement``, ``verdict``, ``evaluation``,
``textualRating``, ``review_url``, ``datePublished``, ...).

Every reader yields :class:`RawEntry` items: a usable entry, or the reason one was skipped (no
claim, no URL, no rating, ...), which the importer counts. HTML, binary, empty and malformed files
raise :class:`~factaudit.errors.InputError` subclasses with the file and the position.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from ..document import FactCheckRating
from ..errors import BinaryInputError, EmptyInputError, InputError, UnsupportedFormatError
from .ratings import normalise_rating, rating_from_value

__all__ = ["FactCheck", "RawEntry", "entries_from_record", "iso_date", "read_feed", "sniff_format"]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

#: Longest claim text kept (characters); longer ones are cut at a word boundary.
MAX_CLAIM_CHARS = 1_000
_SNIFF_BYTES = 65_536
_CLAIM_KEYS = ("claim", "claim_reviewed", "claimreviewed", "statement", "claim_text", "text")
_RATING_KEYS = ("rating", "verdict", "evaluation", "textualrating", "rating_text", "alternatename",
                "label", "truth_rating")
_URL_KEYS = ("url", "review_url", "link", "fact_check_url", "factcheck_url")
_DATE_KEYS = ("date", "datepublished", "date_published", "date_posted", "published", "review_date")
_PUBLISHER_KEYS = ("publisher", "author", "site", "source", "organisation", "organization")
_LANGUAGE_KEYS = ("language", "inlanguage", "lang")
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), 1)}


@dataclass
class FactCheck:
    """One published fact-check as the library keeps it: the claim as reviewed, the rating in the
    publisher's words and on the one scale, publisher, date (ISO), URL and language."""

    claim_reviewed: str
    rating: str
    url: str
    normalised: FactCheckRating | None = None
    publisher: str | None = None
    date: str | None = None
    language: str | None = None
    #: A title, only where a feed must be searched by it (the CheckThat! evaluation); the shipped
    #: library keeps none.
    title: str | None = None

    def __post_init__(self) -> None:
        if self.normalised is None:
            self.normalised = normalise_rating(self.rating)


@dataclass
class RawEntry:
    """What a reader produced for one record: an entry, or why there is none (``skip``)."""

    entry: FactCheck | None = None
    skip: str | None = None
    #: Notes on an entry that was kept (``"rating given as a plain string"``).
    notes: list[str] = field(default_factory=list)


def iso_date(value: Any) -> str | None:
    """An ISO date (``YYYY-MM-DD``) from ISO timestamps, ``9 October 2020``, ``October 9, 2020``."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    m = re.match(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$", text) or None
    if m and m[2].lower() in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2].lower()], int(m[3])
    else:
        m = re.match(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$", text)
        if not (m and m[1].lower() in _MONTHS):
            return None
        day, month, year = int(m[2]), _MONTHS[m[1].lower()], int(m[3])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url") or ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value).split()) if value is not None else ""


def _lowered(record: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower().lstrip("@"): v for k, v in record.items()}


def _first(record: dict[str, Any], keys: tuple[str, ...], *, lowered: dict[str, Any] | None = None) -> Any:
    """The first non-empty value under ``keys`` (case-insensitive, "@" ignored); pass ``lowered``
    (:func:`_lowered`) when reading several fields of one record."""
    lowered = _lowered(record) if lowered is None else lowered
    for key in keys:
        v = lowered.get(key)
        if v not in (None, "", [], {}):
            return v
    return None


def _cut(text: str) -> str:
    if len(text) <= MAX_CLAIM_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_CLAIM_CHARS)
    return text[: cut if cut > MAX_CLAIM_CHARS // 2 else MAX_CLAIM_CHARS]


def _is_type(record: dict[str, Any], name: str) -> bool:
    t = record.get("@type")
    types = t if isinstance(t, list) else [t]
    return any(str(x).rsplit("/", 1)[-1] == name for x in types if x)


def _claim_review(record: dict[str, Any]) -> RawEntry:
    claim = _text(record.get("claimReviewed"))
    if not claim:
        item = record.get("itemReviewed")
        if isinstance(item, dict):
            claim = _text(item.get("text") or item.get("name"))
    url = _text(record.get("url"))
    if not claim:
        return RawEntry(skip="ClaimReview without claimReviewed")
    if not url:
        return RawEntry(skip="no fact-check URL")
    rating_obj = record.get("reviewRating")
    notes: list[str] = []
    normalised: FactCheckRating | None = None
    if rating_obj in (None, "", {}, []):
        return RawEntry(skip="ClaimReview without reviewRating")
    if isinstance(rating_obj, list):
        rating_obj = rating_obj[0]
    if isinstance(rating_obj, str | int | float):
        word = str(rating_obj).strip()
        notes.append("reviewRating given as a plain string")
    else:
        word = _text(rating_obj.get("alternateName") or rating_obj.get("name") or "")
        value = rating_obj.get("ratingValue")
        if value not in (None, ""):
            try:
                numeric = rating_from_value(float(value), float(rating_obj.get("worstRating", 1)),
                                            float(rating_obj.get("bestRating", 5)))
            except (TypeError, ValueError):
                numeric = "other"
            if normalise_rating(word) == "other" and numeric != "other":
                normalised = numeric
                word = word or f"{value} of {rating_obj.get('bestRating', 5)}"
    if not word:
        return RawEntry(skip="reviewRating without a rating name or value")
    author = record.get("author") or record.get("publisher")
    language = record.get("inLanguage")
    return RawEntry(FactCheck(claim_reviewed=_cut(claim), rating=word[:200], url=url,
                              normalised=normalised, publisher=_text(author) or None,
                              date=iso_date(_text(record.get("datePublished"))),
                              language=_text(language).lower()[:2] or None), notes=notes)


def entries_from_record(record: Any) -> Iterator[RawEntry]:
    """The fact-checks of one JSON value: a ClaimReview, a flat record, or a container of them
    (a list, ``@graph``, a DataFeed, a DataFeedItem, an ItemList)."""
    if isinstance(record, list):
        for item in record:
            yield from entries_from_record(item)
        return
    if not isinstance(record, dict):
        yield RawEntry(skip="not a JSON object")
        return
    for key in ("@graph", "dataFeedElement", "itemListElement"):
        if key in record:
            yield from entries_from_record(record[key])
            return
    if _is_type(record, "DataFeedItem") or (_is_type(record, "ListItem") and "item" in record):
        yield from entries_from_record(record.get("item"))
        return
    if _is_type(record, "ClaimReview") or "claimReviewed" in record or "reviewRating" in record:
        yield _claim_review(record)
        return
    if record.get("@type"):
        yield RawEntry(skip=f"not a ClaimReview ({_text(record.get('@type'))})")
        return
    yield _flat(record)


def _flat(record: dict[str, Any]) -> RawEntry:
    low = _lowered(record)
    claim = _text(_first(record, _CLAIM_KEYS, lowered=low))
    if not claim:
        return RawEntry(skip="no claim text")
    url = _text(_first(record, _URL_KEYS, lowered=low))
    if not url:
        return RawEntry(skip="no fact-check URL")
    rating = _text(_first(record, _RATING_KEYS, lowered=low))
    if not rating:
        return RawEntry(skip="no rating")
    language = _text(_first(record, _LANGUAGE_KEYS, lowered=low)).lower()[:2] or None
    return RawEntry(FactCheck(claim_reviewed=_cut(claim), rating=rating[:200], url=url,
                              publisher=_text(_first(record, _PUBLISHER_KEYS, lowered=low)) or None,
                              date=iso_date(_first(record, _DATE_KEYS, lowered=low)), language=language))


# ------------------------------------------------------------------------------------------- formats


def sniff_format(path: Path, head: bytes) -> str:
    """``json``, ``jsonl`` or ``csv`` from the extension, else from the first bytes; HTML, binary
    and empty files are refused."""
    if not head.strip():
        raise EmptyInputError(f"{path} is empty")
    if b"\x00" in head[:8192]:
        raise BinaryInputError(f"{path} is binary, not a JSON, JSONL or CSV fact-check feed")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:256].lower()
    if start.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<")):
        raise UnsupportedFormatError(
            f"{path} is HTML/XML, not JSON: save the page's ClaimReview JSON-LD "
            "(the <script type=\"application/ld+json\"> block) or the publisher's feed instead"
        )
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
        try:
            json.loads(first)
        except ValueError:
            return "json"
        rest = head.lstrip(b"\xef\xbb\xbf \t\r\n")[len(first):].strip()
        return "jsonl" if rest.startswith(b"{") else "json"
    if suffix in (".json", ".jsonld"):
        return "json"
    return "csv"


def _json_items(fh: BinaryIO) -> Iterator[Any]:
    """Top-level values, and the elements of the containers fact-checkers publish, streamed."""
    import ijson

    targets = {"item", "@graph.item", "dataFeedElement.item", "itemListElement.item"}
    builder: Any = None
    depth = 0
    top: Any = None  # the top-level object, kept only while it is small (no container in it)
    found = False
    for prefix, event, value in ijson.parse(fh, use_float=True):
        if builder is None and prefix in targets and event in ("start_map", "start_array"):
            builder, depth, found = ijson.ObjectBuilder(), 0, True
            top = None
        if builder is not None:
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
            if depth == 0:
                yield builder.value
                builder = None
            continue
        if not found:
            if prefix == "" and event == "start_map":
                top = ijson.ObjectBuilder()
            if top is not None:
                top.event(event, value)
        elif prefix == "" and event in ("string", "number", "boolean", "null"):
            yield value
    if top is not None and not found:
        yield top.value


def _csv_rows(fh: io.TextIOBase, path: Path) -> Iterator[dict[str, Any]]:
    sample = fh.read(_SNIFF_BYTES)
    fh.seek(0)
    delimiter = "\t" if path.suffix.lower() == ".tsv" or sample.count("\t") > sample.count(",") else ","
    reader = csv.DictReader(fh, delimiter=delimiter)
    header = {str(h).strip().lower().replace(" ", "_") for h in reader.fieldnames or []}
    if not header & set(_CLAIM_KEYS) or not header & set(_URL_KEYS):
        raise UnsupportedFormatError(
            f"{path}: a CSV feed needs claim and url columns (and rating, date, publisher); "
            f"the header has {sorted(header)[:8]}"
        )
    for row in reader:
        yield {str(k).strip().lower().replace(" ", "_"): v for k, v in row.items() if k is not None}


def read_feed(path: Path) -> Iterator[RawEntry]:
    """Every record of the feed at ``path``, streamed (see the module docstring)."""
    import ijson

    path = Path(path)
    try:
        fh = path.open("rb")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    with fh:
        kind = sniff_format(path, fh.read(_SNIFF_BYTES))
        fh.seek(0)
        if kind == "json":
            try:
                for value in _json_items(fh):
                    yield from entries_from_record(value)
            except ijson.JSONError as exc:
                raise InputError(f"{path}: malformed JSON near byte {fh.tell():,} ({exc})") from exc
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 JSON ({exc.reason})") from exc
            return
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="" if kind == "csv" else None)
        try:
            if kind == "jsonl":
                for n, line in enumerate(text, 1):
                    if not line.strip():
                        continue
                    try:
                        value = json.loads(line)
                    except ValueError as exc:
                        raise InputError(f"{path}:{n}: malformed JSON line ({exc})") from exc
                    yield from entries_from_record(value)
            else:
                for row in _csv_rows(text, path):
                    yield _flat(row)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        except csv.Error as exc:
            raise InputError(f"{path}: malformed CSV ({exc})") from exc
        finally:
            text.detach()


def today() -> str:
    return datetime.now().date().isoformat()
