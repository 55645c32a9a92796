"""Where a corpus's reports come from: a batch output folder, or a store of audits.

A batch folder is what ``factaudit audit DIR -o OUT -f json`` writes: one JSON report per article
and ``manifest.jsonl``. Reports are read one at a time (the aggregation streams). A report that
cannot be used — missing although the manifest names it, not JSON, another schema version — is
skipped with a one-line reason in :attr:`ReportSource.skipped`, never silently.

Reports are read "slim" for the corpus: the parts no aggregate uses (blocks, sentences, links,
Q&A pairs and the evidence passages behind verdicts) are dropped before the dataclasses are
built, which halves the cost of reading 2,225 reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from ..batch import MANIFEST, parse_json, read_manifest
from ..document import SCHEMA_VERSION, Report
from ..errors import InputError

__all__ = ["BatchFolderSource", "ReportSource", "StoreSource", "read_report", "slim_report"]

_HEAVY = ("blocks", "sentences", "links", "qa_pairs")
_MAJOR = SCHEMA_VERSION.split(".")[0]


def slim_report(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without what the corpus never reads (modified in place and returned)."""
    art = data.get("article")
    if isinstance(art, dict):
        for key in _HEAVY:
            art.pop(key, None)
        for c in art.get("claims") or []:
            v = c.get("verdict") if isinstance(c, dict) else None
            if isinstance(v, dict):
                v.pop("evidence", None)
                v.pop("searched", None)
            if isinstance(c, dict):
                c.pop("fact_checks", None)
    return data


def read_report(data: Any, *, slim: bool = True) -> Report:
    """A report's JSON object as a :class:`Report`; ``InputError`` naming the problem otherwise
    (not an object, no or another major ``schema_version``, fields that do not fit)."""
    if not isinstance(data, dict) or "article" not in data:
        raise InputError("not a factaudit JSON report (no 'article')")
    version = data.get("schema_version")
    if not isinstance(version, str) or version.split(".")[0] != _MAJOR:
        raise InputError(
            f"report schema_version {version!r} is not supported (this factaudit reads {_MAJOR}.x); "
            "re-audit the article with this version"
        )
    try:
        return Report.from_dict(slim_report(data) if slim else data)
    except ValueError as exc:
        raise InputError(str(exc)) from None


class ReportSource(Protocol):
    """Reports to aggregate, and the ones left out (one line each, why)."""

    skipped: list[str]

    def __iter__(self) -> Iterator[Report]: ...


class BatchFolderSource:
    """The reports of a batch output folder, in manifest order (the latest line per id counts)."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise InputError(f"{folder} is not a folder")
        if not (folder / MANIFEST).is_file():
            raise InputError(
                f"{folder} is not a batch output folder (no {MANIFEST}): write one with "
                f"'factaudit audit DIR -o {folder} -f json'"
            )
        self.folder = folder
        self.skipped: list[str] = []
        self.records = read_manifest(folder)
        self.failed = sum(1 for r in self.records.values() if r.get("status") != "ok")

    def __len__(self) -> int:
        return sum(1 for r in self.records.values() if r.get("status") == "ok")

    def __iter__(self) -> Iterator[Report]:
        for item_id, rec in self.records.items():
            if rec.get("status") != "ok":
                continue
            name = rec.get("output")
            if not isinstance(name, str) or not name or Path(name).name != name:
                self.skipped.append(f"{item_id}: the manifest names no report file")
                continue
            path = self.folder / name
            if not name.endswith(".json"):
                self.skipped.append(f"{item_id}: {name} is not a JSON report (audit with -f json)")
                continue
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                self.skipped.append(f"{item_id}: the manifest names {name}, which is missing")
                continue
            except OSError as exc:
                self.skipped.append(f"{item_id}: cannot read {name}: {exc.strerror or exc}")
                continue
            try:
                report = read_report(parse_json(raw))
            except InputError as exc:
                self.skipped.append(f"{item_id}: {name}: {exc.message}")
                continue
            report.article.meta.setdefault("id", item_id)
            yield report


class StoreSource:
    """The reports in a store of audits (the web app's :class:`~factaudit.web.storage.AuditStore`).

    By default the store's streamed ``iter_reports()``; ``with_ids`` pages through its public
    ``list_audits`` / ``get_audit`` instead, so each report keeps its audit id (the web view links
    claims to their audit pages), at one query per audit.
    """

    def __init__(self, store: Any, *, with_ids: bool = False, page: int = 200) -> None:
        self.store = store
        self.with_ids = with_ids
        self.page = page
        self.skipped: list[str] = []

    def _records(self) -> Iterator[tuple[str | None, Any]]:
        iter_reports = getattr(self.store, "iter_reports", None)
        if callable(iter_reports) and not self.with_ids:
            for report in iter_reports():
                yield None, report
            return
        offset = 0
        while True:
            items, total = self.store.list_audits("", self.page, offset)
            for s in items:
                rec = self.store.get_audit(s.id)
                if rec is not None:
                    yield rec.id, rec.report
            offset += len(items)
            if not items or offset >= total:
                return

    def __iter__(self) -> Iterator[Report]:
        for audit_id, data in self._records():
            if isinstance(data, Report):
                report = data
            else:
                try:
                    report = read_report(data)
                except InputError as exc:
                    self.skipped.append(f"audit {audit_id}: {exc.message}")
                    continue
            if audit_id is not None:
                report.article.meta.setdefault("audit_id", audit_id)
                report.article.meta.setdefault("id", audit_id)
            yield report
