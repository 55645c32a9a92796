"""The CLI end to end on real inputs (the seed article and small fixtures made here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factaudit.cli import main

from .helpers import ROOT, SEED

pytestmark = pytest.mark.integration


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factaudit", *args],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_json_report_for_the_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seed.json"
    assert main(["audit", str(SEED), "--format", "json", "-o", str(out)]) == 0
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["schema_version"]
    run = rep["run"]
    assert run["package_version"] and run["stages"][:2] == ["ingest", "segment"]
    assert any("spacy" in m["name"] for m in run["models"])
    art = rep["article"]
    assert len(art["qa_pairs"]) == 5
    codes = {f["code"] for f in art["findings"]}
    assert "sources_home_pages_only" in codes and "references_tied_to_no_claim" in codes
    for a in art["assertions"]:
        assert art["text"][a["start"] : a["end"]] == a["text"]


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_other_formats_write_files(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"seed.{fmt}"
    assert main(["audit", str(SEED), "-f", fmt, "-o", str(out), "-q", "--no-verify"]) == 0
    body = out.read_text(encoding="utf-8")
    assert "critics" in body.lower() and "theguardian.com" in body


def test_stdin_and_terminal_view() -> None:
    res = run_cli("audit", "-", "--no-verify", stdin=SEED.read_bytes())
    assert res.returncode == 0, res.stderr
    assert "critics" in res.stdout.lower()


@pytest.mark.parametrize(
    ("payload", "code", "needle"),
    [
        (b"", 3, "empty"),
        (b"   \n\t  \n", 3, "whitespace"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, 3, "binary"),
    ],
)
def test_bad_stdin_gets_one_line_error(payload: bytes, code: int, needle: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "factaudit", "audit", "-"],
        input=payload,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    assert needle in err.lower() and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://127.0.0.1/", 4),
        ("http://169.254.169.254/latest/meta-data/", 4),
        ("http://[::1]/", 4),
        ("file:///etc/passwd", 4),
    ],
)
def test_hostile_urls_are_refused(url: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", url]) == code
    err = capsys.readouterr().err
    assert err.startswith("error[FA2") and "Traceback" not in err


def test_missing_file_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "no/such/file.txt"]) == 3
    assert "no/such/file.txt" in capsys.readouterr().err
    assert main(["audit", str(SEED), "--format", "docx"]) == 2


def test_batch_over_a_jsonl_corpus_records_errors_and_resumes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "seed", "text": SEED.read_text(encoding="utf-8")}),
        "{not json",
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps(
            {"id": "short", "title": "Rates rise", "text": "The Bank of England said rates would rise."}
        ),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["audit", str(corpus), "-o", str(out), "-f", "json", "-j", "1", "-q", "--no-verify"]) == 8
    manifest = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    status = {m["id"]: m["status"] for m in manifest}
    assert status == {"seed": "ok", "corpus:2": "error", "empty": "error", "short": "ok"}
    errs = {m["id"]: m["error_code"] for m in manifest if m["status"] == "error"}
    assert errs["empty"] == "FA101"
    ok = [m for m in manifest if m["status"] == "ok"]
    for m in ok:
        assert json.loads((out / m["output"]).read_text())["article"]["source"] == m["id"]
    # A rerun (e.g. after a kill) does nothing again.
    assert main(["audit", str(corpus), "-o", str(out), "-f", "json", "-j", "1", "-q", "--no-verify"]) == 0
    assert len((out / "manifest.jsonl").read_text().splitlines()) == 4


def test_batch_resume_after_a_killed_run(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(4):
        (docs / f"a{i}.txt").write_text(
            f"Story {i}\n\nThe council said it would build {i + 2} new schools.", encoding="utf-8"
        )
    out = tmp_path / "out"
    out.mkdir()
    # What a run killed after one article leaves: one report, one manifest line, a torn line.
    assert (
        main(
            ["audit", str(docs / "a0.txt"), str(docs / "a1.txt"), "-o", str(out), "-f", "md", "-q", "-j", "1",
                 "--no-verify"]
        )
        == 0
    )
    with open(out / "manifest.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"id": "torn')
    assert main(["audit", str(docs), "-o", str(out), "-f", "md", "-q", "-j", "2", "--no-verify"]) == 0
    recs = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines() if x.endswith("}")]
    ids = [r["id"] for r in recs]
    assert sorted(ids) == [str(docs / f"a{i}.txt") for i in range(4)]  # a0, a1 not audited twice
    assert len(list(out.glob("*.md"))) == 4


def test_train_verifier_refuses_bad_steps_and_missing_work_folders(tmp_path: Path) -> None:
    proc = run_cli("train", "verifier", "bogus")
    assert proc.returncode == 3 and "error[FA100]: unknown step 'bogus'" in proc.stderr
    # Without the train extra: "needs the 'train' extra"; with it: the missing checkpoint. Never a traceback.
    proc = run_cli("train", "verifier", "export", "--out", str(tmp_path / "empty"))
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert "train' extra" in proc.stderr or "checkpoint.pt" in proc.stderr
