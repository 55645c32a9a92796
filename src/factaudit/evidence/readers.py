"""Readers that turn evidence sources into :class:`SourceDocument` streams.

``read_source(path)`` picks a reader from the path (and, where the name says little, its first
bytes):

* a folder: every ``.txt .md .html .htm .pdf`` file read as the ingest stage reads an article
  (``factaudit.extract.extract_document(..., article=True)``: the same extraction and
  ``normalize_text``), plus any structured file below;
* ``.jsonl`` / ``.json``: FEVER wiki-pages (``id``, ``text``, ``lines`` of ``"n\\tsentence"`` rows),
  WikiExtractor's ``--json`` output (``id``, ``url``, ``title``, ``text``), or any records with a text
  column (``text``/``content``/``body``/``passage``/``evidence``; ``title``/``url``/``id`` optional);
* ``.csv`` / ``.tsv``: the same column rules;
* Wikipedia XML dumps (``<mediawiki>``; ``.xml``, ``.xml.bz2``, ``.xml.gz``): main-namespace pages,
  redirects skipped, wikitext stripped with mwparserfromhell;
* WikiExtractor text output (``<doc id=… url=… title=…>`` blocks, files like ``wiki_00``);
* Kiwix ``.zim`` archives through ``libzim`` (optional extra ``factaudit[zim]``, GPL-3.0).

A corrupt structured file (truncated XML/JSON/ZIM) raises ``InputError`` naming the file; in a
folder, an individual article that cannot be read (empty, binary, scanned PDF) is reported
through ``on_skip`` and left out.
"""

from __future__ import annotations

import bz2
import contextlib
import csv
import gzip
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast
from xml.etree import ElementTree as ET

from ..config import Settings
from ..errors import FactauditError, InputError, InputTooLargeError, UnsupportedFormatError
from ..extract import extract_document, normalize_text
from .passages import Segment, SourceDocument

TEXT_COLUMNS = ("text", "content", "body", "passage", "evidence", "sentence", "abstract", "extract")
TITLE_COLUMNS = ("title", "name", "headline", "article", "page")
ID_COLUMNS = ("id", "doc_id", "docid", "_id", "key", "uuid", "evidence_id")
URL_COLUMNS = ("url", "link", "source_url", "uri")
DATE_COLUMNS = ("date", "as_of", "published", "timestamp")
ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf"}
STRUCTURED_SUFFIXES = {".jsonl", ".json", ".ndjson", ".csv", ".tsv", ".xml", ".bz2", ".gz", ".zim"}
WIKIPEDIA_LICENCE = "CC BY-SA 4.0"

SkipCallback = Callable[[str, str], None]


def _no_skip(path: str, reason: str) -> None:
    raise InputError(reason, source=path)


# ------------------------------------------------------------------------------------- dispatch


def read_source(path: Path | str, *, on_skip: SkipCallback | None = None) -> Iterator[SourceDocument]:
    """Documents from a file or folder (see the module docstring for the formats)."""
    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(f"no such file or folder: {p}")
    if p.is_dir():
        yield from read_folder(p, on_skip=on_skip)
        return
    yield from _read_file(p, on_skip=on_skip, in_folder=False)


def read_folder(folder: Path, *, on_skip: SkipCallback | None = None) -> Iterator[SourceDocument]:
    """Every readable file under ``folder`` (sorted, hidden files skipped)."""
    for f in sorted(folder.rglob("*")):
        rel = f.relative_to(folder)
        if not f.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        suffix = f.suffix.lower()
        if (
            suffix in ARTICLE_SUFFIXES
            or suffix in STRUCTURED_SUFFIXES
            or _sniff(f) in ("wikiextractor", "xml")
        ):
            yield from _read_file(f, on_skip=on_skip, in_folder=True, key=str(rel))


def _read_file(
    p: Path, *, on_skip: SkipCallback | None, in_folder: bool, key: str | None = None
) -> Iterator[SourceDocument]:
    name = p.name.lower()
    suffix = p.suffix.lower()
    if suffix == ".zim":
        yield from read_zim(p)
    elif suffix in (".jsonl", ".ndjson", ".json") or name.endswith((".jsonl.gz", ".jsonl.bz2", ".json.gz")):
        yield from read_jsonl(p)
    elif suffix in (".csv", ".tsv") or name.endswith((".csv.gz", ".tsv.gz")):
        yield from read_csv(p)
    elif suffix in ARTICLE_SUFFIXES:
        doc = read_article(p, key=key, on_skip=on_skip if in_folder else None)
        if doc is not None:
            yield doc
    else:
        kind = _sniff(p)
        if kind == "xml":
            yield from read_wikipedia_xml(p)
        elif kind == "wikiextractor":
            yield from read_wikiextractor(p)
        elif kind == "json":
            yield from read_jsonl(p)
        elif in_folder:
            (on_skip or _no_skip)(str(p), "not a format factaudit indexes")
        else:
            raise UnsupportedFormatError(
                "cannot tell what this file holds: expected a folder, .txt/.md/.html/.pdf, .jsonl/.csv, a "
                "Wikipedia XML dump, WikiExtractor output or a .zim archive",
                source=str(p),
            )


def _open_text(p: Path) -> IO[str]:
    name = p.name.lower()
    try:
        if name.endswith(".bz2"):
            return io.TextIOWrapper(bz2.open(p, "rb"), encoding="utf-8", errors="replace")
        if name.endswith(".gz"):
            return io.TextIOWrapper(gzip.open(p, "rb"), encoding="utf-8", errors="replace")
        return p.open("r", encoding="utf-8", errors="replace", newline="")
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror or exc}") from exc


def _head(p: Path, n: int = 4096) -> str:
    try:
        with _open_text(p) as fh:
            return fh.read(n)
    except (OSError, EOFError, ValueError):
        return ""


def _sniff(p: Path) -> str | None:
    head = _head(p).lstrip("\ufeff \t\r\n")
    if head.startswith("<doc ") or head.startswith("<doc>"):
        return "wikiextractor"
    if head.startswith("<?xml") or head.startswith("<mediawiki"):
        return "xml"
    if head.startswith("{"):
        return "json"
    return None


# ------------------------------------------------------------------------------------- articles


def read_article(
    p: Path, *, key: str | None = None, on_skip: SkipCallback | None = None
) -> SourceDocument | None:
    """One article file (text, Markdown, HTML, PDF) read as the ingest stage reads an article."""
    settings = Settings()
    try:
        doc = extract_document(_read_capped(p, settings.max_input_bytes), settings, name=p.name, article=True)
    except InputError as exc:
        if exc.source is None:
            exc.source = str(p)
        if on_skip is None:
            raise
        on_skip(str(p), exc.message)
        return None
    meta = {k: doc.meta[k] for k in ("author", "sitename", "description") if doc.meta.get(k)}
    meta["format"] = doc.format
    return SourceDocument(
        text=doc.text,
        title=doc.title or p.stem,
        key=key or str(p),
        url=doc.meta.get("url"),
        date=doc.meta.get("date"),
        meta=meta,
    )


def _read_capped(p: Path, cap: int) -> bytes:
    """A file's bytes, refused past ``cap`` (the most an audit reads of one input)."""
    try:
        with p.open("rb") as fh:
            data = fh.read(cap + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > cap:
        raise InputTooLargeError(f"input is larger than the {cap:,}-byte limit")
    return data


# ---------------------------------------------------------------------------------- JSONL / CSV


def _pick(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    lowered = {str(k).lower(): k for k in record}
    for name in names:
        if name in lowered:
            value = record[lowered[name]]
            if value is not None and str(value).strip():
                return str(value)
    return None


_FEVER_TOKENS = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "-COLON-": ":",
    "``": '"',
    "''": '"',
}
_FEVER_RE = re.compile("|".join(re.escape(k) for k in _FEVER_TOKENS))


def fever_title(page_id: str) -> str:
    """FEVER page id → title (``Barack_Obama`` → ``Barack Obama``, ``-LRB-`` → ``(``)."""
    return _FEVER_RE.sub(lambda m: _FEVER_TOKENS[m.group(0)], page_id).replace("_", " ")


def _fever_clean(sentence: str) -> str:
    s = _FEVER_RE.sub(lambda m: _FEVER_TOKENS[m.group(0)], sentence)
    s = re.sub(r"\s+([.,;:!?%)\]])", r"\1", s)
    s = re.sub(r"([(\[$])\s+", r"\1", s)
    return re.sub(r"\s+'s\b", "'s", s)


def fever_document(record: dict[str, Any]) -> SourceDocument | None:
    """A FEVER wiki-pages record: one sentence per ``lines`` row (``"n\\tsentence\\tlinks…"``)."""
    page_id = str(record.get("id") or "")
    lines = str(record.get("lines") or "")
    parts: list[str] = []
    sentences: list[Segment] = []
    pos = 0
    for row in lines.split("\n"):
        cols = row.split("\t")
        if len(cols) < 2 or not cols[1].strip():
            continue
        sentence = _fever_clean(cols[1].strip())
        if parts:
            pos += 1
        sentences.append(Segment(pos, pos + len(sentence)))
        parts.append(sentence)
        pos += len(sentence)
    if not parts:
        return None
    title = fever_title(page_id) if page_id else None
    return SourceDocument(
        text=" ".join(parts),
        title=title,
        key=page_id or None,
        url=f"https://en.wikipedia.org/wiki/{page_id}" if page_id else None,
        licence="CC BY-SA 3.0",
        sentences=sentences,
        meta={"fever_id": page_id},
    )


def record_document(record: dict[str, Any], *, where: str) -> SourceDocument | None:
    """A generic record (JSONL line / CSV row) with a text column; ``None`` when its text is empty."""
    if "lines" in record and "id" in record and isinstance(record.get("lines"), str):
        return fever_document(record)
    text = _pick(record, TEXT_COLUMNS)
    if text is None:
        raise InputError(
            f"{where}: no text column (expected one of {', '.join(TEXT_COLUMNS)}); "
            f"found {', '.join(map(str, list(record)[:10]))}"
        )
    text = normalize_text(text)
    if not text:
        return None
    known = {*TEXT_COLUMNS, *TITLE_COLUMNS, *ID_COLUMNS, *URL_COLUMNS, *DATE_COLUMNS, "licence", "license"}
    meta = {str(k): v for k, v in record.items() if str(k).lower() not in known and _jsonable(v)}
    return SourceDocument(
        text=text,
        title=_pick(record, TITLE_COLUMNS),
        key=_pick(record, ID_COLUMNS),
        url=_pick(record, URL_COLUMNS),
        date=_pick(record, DATE_COLUMNS),
        licence=_pick(record, ("licence", "license")),
        meta=meta,
    )


def _jsonable(v: Any) -> bool:
    return isinstance(v, (str, int, float, bool)) or v is None


def read_jsonl(p: Path) -> Iterator[SourceDocument]:
    """JSON lines (or one JSON array / object) of records; see :func:`record_document`."""
    with _open_text(p) as fh:
        try:
            first = fh.read(1)
            while first and first.isspace():
                first = fh.read(1)
        except (OSError, EOFError) as exc:
            raise InputError(f"{p}: unreadable or truncated ({exc})") from exc
        if first == "[":
            try:
                records = json.loads(first + fh.read())
            except (ValueError, OSError, EOFError) as exc:
                raise InputError(f"{p}: truncated or malformed JSON ({exc})") from exc
            for i, rec in enumerate(records, 1):
                if not isinstance(rec, dict):
                    raise InputError(f"{p}: item {i} is not a JSON object")
                doc = record_document(rec, where=f"{p} item {i}")
                if doc is not None:
                    yield doc
            return
        lineno = 0
        try:
            for lineno, line in enumerate(_prepend(first, fh), 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except ValueError as exc:
                    raise InputError(
                        f"{p} line {lineno}: not valid JSON ({exc.args[0][:80]}); truncated or corrupt file?"
                    ) from exc
                if not isinstance(rec, dict):
                    raise InputError(f"{p} line {lineno}: expected a JSON object")
                doc = record_document(rec, where=f"{p} line {lineno}")
                if doc is not None:
                    yield doc
        except (OSError, EOFError) as exc:  # truncated .gz / .bz2
            raise InputError(f"{p}: unreadable or truncated after line {lineno} ({exc})") from exc


def _prepend(first: str, fh: IO[str]) -> Iterator[str]:
    rest = fh.readline()
    yield first + rest
    yield from fh


def read_csv(p: Path) -> Iterator[SourceDocument]:
    """CSV/TSV with a header row; see :func:`record_document`."""
    csv.field_size_limit(1 << 27)
    delimiter = "\t" if ".tsv" in p.name.lower() else ","
    with _open_text(p) as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        try:
            for rec in reader:
                doc = record_document(
                    {k: v for k, v in rec.items() if k is not None}, where=f"{p} row {reader.line_num}"
                )
                if doc is not None:
                    yield doc
        except csv.Error as exc:
            raise InputError(f"{p} row {reader.line_num}: malformed CSV ({exc})") from exc
        except (OSError, EOFError) as exc:
            raise InputError(f"{p}: unreadable or truncated ({exc})") from exc


# ------------------------------------------------------------------------------------ Wikipedia


def strip_wikitext(wikitext: str) -> str:
    """Plain text from wikitext: templates, refs, files, tables and tags dropped, links to their text."""
    import mwparserfromhell

    code = mwparserfromhell.parse(wikitext)
    for tag in code.filter_tags(recursive=False):
        if str(tag.tag).lower() in ("ref", "references", "gallery", "math", "table", "timeline", "score"):
            with contextlib.suppress(ValueError):
                code.remove(tag)
    for link in code.filter_wikilinks():
        target = str(link.title).strip().lower()
        if target.startswith(("file:", "image:", "category:", "media:")):
            with contextlib.suppress(ValueError):
                code.remove(link)
    text = code.strip_code(normalize=True, collapse=True)
    text = re.sub(r"\{\|.*?\|\}", "", text, flags=re.S)  # tables the parser left as text
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if re.fullmatch(r"=+\s*[^=]*?\s*=+", line):
            continue  # section headings
        lines.append(line.strip("'").strip())
    return normalize_text(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_wikipedia_xml(
    p: Path, *, base_url: str = "https://en.wikipedia.org/wiki/"
) -> Iterator[SourceDocument]:
    """Main-namespace, non-redirect pages of a MediaWiki XML export (streamed with iterparse)."""
    fh = _open_binary(p)
    try:
        context = ET.iterparse(fh, events=("end",))
        for _, elem in context:
            if _local(elem.tag) != "page":
                continue
            fields: dict[str, str] = {}
            redirect = False
            for child in elem.iter():
                name = _local(child.tag)
                if name == "redirect":
                    redirect = True
                elif name in ("title", "ns", "id", "text", "timestamp") and name not in fields:
                    fields[name] = child.text or ""
            elem.clear()
            if redirect or fields.get("ns", "0") != "0":
                continue
            raw = fields.get("text", "")
            if raw.lstrip().lower().startswith("#redirect"):
                continue
            text = strip_wikitext(raw)
            if not text:
                continue
            title = fields.get("title") or None
            yield SourceDocument(
                text=text,
                title=title,
                key=fields.get("id") or title,
                url=base_url + title.replace(" ", "_") if title else None,
                date=(fields.get("timestamp") or "")[:10] or None,
                licence=WIKIPEDIA_LICENCE,
            )
    except ET.ParseError as exc:
        raise InputError(f"{p}: truncated or malformed XML ({exc})") from exc
    except (OSError, EOFError) as exc:
        raise InputError(f"{p}: unreadable or truncated ({exc})") from exc
    finally:
        fh.close()


def _open_binary(p: Path) -> IO[bytes]:
    name = p.name.lower()
    try:
        if name.endswith(".bz2"):
            return bz2.open(p, "rb")
        if name.endswith(".gz"):
            return cast(IO[bytes], gzip.open(p, "rb"))
        return p.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror or exc}") from exc


_DOC_OPEN = re.compile(r"<doc(?P<attrs>[^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_wikiextractor(p: Path) -> Iterator[SourceDocument]:
    """WikiExtractor's text output: ``<doc id=".." url=".." title="..">`` … ``</doc>`` blocks."""
    attrs: dict[str, str] | None = None
    body: list[str] = []
    lineno = 0
    try:
        with _open_text(p) as fh:
            for lineno, line in enumerate(fh, 1):
                stripped = line.strip()
                if attrs is None:
                    m = _DOC_OPEN.match(stripped)
                    if m:
                        attrs = {k: html.unescape(v) for k, v in _ATTR.findall(m.group("attrs"))}
                        body = []
                    elif stripped:
                        raise InputError(
                            f"{p} line {lineno}: text outside a <doc> block; not WikiExtractor output?"
                        )
                    continue
                if stripped == "</doc>":
                    doc = _wikiextractor_doc(attrs, body)
                    if doc is not None:
                        yield doc
                    attrs = None
                    continue
                body.append(line.rstrip("\n"))
    except (OSError, EOFError) as exc:
        raise InputError(f"{p}: unreadable or truncated after line {lineno} ({exc})") from exc
    if attrs is not None:
        raise InputError(
            f"{p}: truncated: <doc> block opened but never closed (title {attrs.get('title')!r})"
        )


def _wikiextractor_doc(attrs: dict[str, str], body: list[str]) -> SourceDocument | None:
    title = attrs.get("title")
    lines = list(body)
    if lines and title and lines[0].strip() == title.strip():
        lines = lines[1:]  # WikiExtractor repeats the title as the first line
    text = normalize_text(html.unescape("\n".join(lines)))
    if not text:
        return None
    return SourceDocument(
        text=text, title=title, key=attrs.get("id") or title, url=attrs.get("url"), licence=WIKIPEDIA_LICENCE
    )


# ------------------------------------------------------------------------------------------ ZIM


def read_zim(p: Path) -> Iterator[SourceDocument]:
    """Articles of a Kiwix ZIM archive (needs ``pip install 'factaudit[zim]'``: libzim, GPL-3.0)."""
    try:
        from libzim.reader import Archive  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise UnsupportedFormatError(
            "reading .zim archives needs libzim: pip install 'factaudit[zim]' (libzim is GPL-3.0)",
            source=str(p),
        ) from None
    try:
        archive = Archive(str(p))
        count = archive.all_entry_count
    except Exception as exc:  # libzim raises RuntimeError for damaged archives
        raise InputError(f"{p}: not a readable ZIM archive ({exc})") from exc
    settings = Settings()
    for i in range(count):
        try:
            entry = archive._get_entry_by_id(i)
            if entry.is_redirect:
                continue
            item = entry.get_item()
            if not str(item.mimetype).startswith("text/html"):
                continue
            data = bytes(item.content)
        except Exception as exc:
            raise InputError(f"{p}: damaged ZIM entry {i} ({exc})") from exc
        if len(data) > settings.max_input_bytes:
            continue
        try:
            doc = extract_document(data, settings, article=True)
        except FactauditError:
            continue
        yield SourceDocument(
            text=doc.text,
            title=entry.title or doc.title,
            key=entry.path,
            url=None,
            meta={"zim": p.name, "path": entry.path},
        )


__all__ = [
    "fever_document",
    "fever_title",
    "read_article",
    "read_csv",
    "read_folder",
    "read_jsonl",
    "read_source",
    "read_wikiextractor",
    "read_wikipedia_xml",
    "read_zim",
    "record_document",
    "strip_wikitext",
]
