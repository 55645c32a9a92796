"""Reading a corpus's reports: batch folders and stores, and every way a report is left out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from factaudit.corpus import BatchFolderSource, StoreSource, read_report
from factaudit.errors import InputError

from ..helpers import FIXTURES

REPORTS = FIXTURES / "corpus" / "reports"


def copy_reports(tmp_path: Path) -> Path:
    out = tmp_path / "reports"
    shutil.copytree(REPORTS, out)
    return out


def test_a_folder_without_manifest_is_not_a_batch_folder(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="not a batch output folder"):
        BatchFolderSource(tmp_path)
    with pytest.raises(InputError, match="not a folder"):
        BatchFolderSource(tmp_path / "a.json")


def test_missing_other_version_and_broken_reports_are_skipped_with_reasons(tmp_path: Path) -> None:
    out = copy_reports(tmp_path)
    manifest = [json.loads(x) for x in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    (out / manifest[0]["output"]).unlink()
    other = json.loads((out / manifest[1]["output"]).read_text(encoding="utf-8"))
    other["schema_version"] = "2.0"
    (out / manifest[1]["output"]).write_text(json.dumps(other), encoding="utf-8")
    (out / manifest[2]["output"]).write_bytes(b"\x00\xff not json")
    with open(out / "manifest.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "x", "status": "error", "error": "binary input"}) + "\n")
        fh.write('{"id": "torn", "sta')  # a killed run's half line
    src = BatchFolderSource(out)
    reports = list(src)
    assert len(reports) == 19
    assert len(src.skipped) == 3
    assert "missing" in src.skipped[0] and manifest[0]["id"] in src.skipped[0]
    assert "schema_version '2.0' is not supported" in src.skipped[1]
    assert "not valid JSON" in src.skipped[2]
    assert src.failed == 1  # the audit that failed in the batch is not a report, and not a skip


def test_read_report_refuses_what_is_not_a_report() -> None:
    with pytest.raises(InputError, match="no 'article'"):
        read_report([1, 2])
    with pytest.raises(InputError, match="schema_version None"):
        read_report({"article": {}})
    with pytest.raises(InputError):
        read_report({"schema_version": "1.0", "article": {"source": "x", "claims": "nope"}, "run": {}})


def test_slim_reading_keeps_what_the_corpus_uses() -> None:
    path = next(REPORTS.glob("*.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    full = read_report(json.loads(path.read_text(encoding="utf-8")), slim=False)
    slim = read_report(data)
    assert slim.article.blocks == [] and full.article.blocks
    assert [c.text for c in slim.article.claims] == [c.text for c in full.article.claims]
    assert [(c.verdict.label if c.verdict else None) for c in slim.article.claims] == [
        (c.verdict.label if c.verdict else None) for c in full.article.claims
    ]
    assert slim.article.entities == full.article.entities and slim.article.text == full.article.text


def test_store_source_reads_a_real_sqlite_store(tmp_path: Path) -> None:
    storage = pytest.importorskip("factaudit.web.storage")
    store = storage.open_store(tmp_path / "audits.sqlite3")
    try:
        for path in sorted(REPORTS.glob("*.json"))[:5]:
            data = json.loads(path.read_text(encoding="utf-8"))
            store.add_audit(storage.record_from_report(data, source=path.name, input_kind="text"))
        streamed = list(StoreSource(store))
        with_ids = StoreSource(store, with_ids=True)
        paged = list(with_ids)
    finally:
        store.close()
    assert len(streamed) == len(paged) == 5
    assert all(r.article.meta.get("audit_id") for r in paged)
    assert {r.article.meta["outlet"] for r in streamed} <= {
        "Daily Ledger",
        "Northern Courier",
        "Metro Wire",
        "Harbour Post",
    }
