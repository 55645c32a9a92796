"""``factaudit corpus``: formats, sources, and one-line errors with their exit codes."""

from __future__ import annotations

import json
import shutil
from html import unescape
from pathlib import Path

import pytest

from factaudit.cli import main

from ..helpers import FIXTURES

REPORTS = FIXTURES / "corpus" / "reports"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["corpus", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "corpus.json"
    code, _, err = run([str(REPORTS), "-o", str(target)], capsys)
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {"articles", "entities", "relations", "recurring_claims", "outlets", "findings", "run"} <= set(
        data
    )
    assert data["run"]["reports"] == 22 and len(data["recurring_claims"]) == 3
    assert data["run"]["settings"]["recurring"]["cross_encoder"]  # the verifier read the close pairs
    assert f"wrote {target}" in err


def test_markdown_to_stdout_and_html_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(REPORTS), "-f", "md", "--no-cross-check", "-q"], capsys)
    assert code == 0 and out.startswith("# Corpus audit") and "## Recurring claims" in out
    page = tmp_path / "corpus.html"
    code, _, _ = run([str(REPORTS), "-f", "html", "-o", str(page), "--no-cross-check", "-q"], capsys)
    html = page.read_text(encoding="utf-8")
    assert code == 0 and html.startswith("<!DOCTYPE html>")
    assert "script-src 'none'" in unescape(html) and "<script" not in html
    assert "Tesla — partners with → Russian energy companies" in html
    assert 'id="corpus-recurring"' in html and 'id="corpus-outlets"' in html


def test_a_folder_that_is_not_a_batch_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    code, out, err = run([str(tmp_path)], capsys)
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "is not a batch output folder (no manifest.jsonl)" in err
    code, _, err = run([str(tmp_path / "nowhere")], capsys)
    assert code == 3 and "does not exist" in err


def test_a_missing_report_is_skipped_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "reports"
    shutil.copytree(REPORTS, out_dir)
    first = json.loads((out_dir / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[0])
    (out_dir / first["output"]).unlink()
    target = tmp_path / "c.json"
    code, _, err = run([str(out_dir), "-o", str(target), "--no-cross-check", "-q"], capsys)
    assert code == 8
    assert f"skipped: {first['id']}: the manifest names {first['output']}, which is missing" in err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["run"]["reports"] == 21 and len(data["run"]["skipped"]) == 1


def test_an_empty_corpus_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "manifest.jsonl").write_text("", encoding="utf-8")
    code, out, err = run([str(tmp_path), "--no-cross-check", "-q"], capsys)
    assert code == 3 and out == "" and "error[FA101]: no reports to aggregate" in err


def test_database_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([f"sqlite:///{tmp_path}/none.sqlite3"], capsys)
    assert code == 3 and "no database at" in err
    assert not (tmp_path / "none.sqlite3").exists()  # not created by looking
    storage = pytest.importorskip("factaudit.web.storage")
    store = storage.open_store(tmp_path / "audits.sqlite3")
    for path in sorted(REPORTS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        store.add_audit(storage.record_from_report(data, source=path.name, input_kind="text"))
    store.close()
    code, out, err = run([f"sqlite:///{tmp_path}/audits.sqlite3", "--no-cross-check", "-q"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["run"]["reports"] == 22 and len(data["recurring_claims"]) == 3
