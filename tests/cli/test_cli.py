"""The CLI end to end on real inputs (the seed article and small fixtures made here)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from factaudit.cli import main

from ..helpers import ROOT, SEED, kill_and_outlive
from ..helpers import alive as _alive
from ..helpers import children as _children

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


def test_terminal_view_is_short_by_default_and_whole_with_full(tmp_path: Path) -> None:
    short, full = tmp_path / "short.txt", tmp_path / "full.txt"
    assert main(["audit", str(SEED), "-o", str(short), "-q", "--no-verify"]) == 0
    assert main(["audit", str(SEED), "-v", "-o", str(full), "-q", "--no-verify"]) == 0
    s, f = short.read_text(encoding="utf-8"), full.read_text(encoding="utf-8")
    assert len(s.splitlines()) <= 150 < len(f.splitlines())
    offsets = re.compile(r"\[\d+–\d+\)")
    assert offsets.search(f) and not offsets.search(s)  # character offsets only in the full view


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


# The generator is the parent of the audit process, so its RUSAGE_CHILDREN peak RSS is the audit's.
_PIPE_GENERATOR = """
import json, resource, subprocess, sys
total = int(sys.argv[1])
chunk = b"The council said it would build new schools. " * 1424  # ~64 KiB of text
proc = subprocess.Popen([sys.executable, "-m", "factaudit", "audit", "-", "--no-verify"],
                        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
written = 0
try:
    while written < total:
        proc.stdin.write(chunk)
        written += len(chunk)
    proc.stdin.close()
except BrokenPipeError:
    pass
err = proc.stderr.read().decode()
rc = proc.wait()
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "written": written, "peak_rss": peak_kib * 1024, "stderr": err}))
"""


def test_stdin_over_the_cap_is_refused_without_reading_it_all() -> None:
    from factaudit.config import MAX_INPUT_BYTES

    mib = 1024 * 1024
    piped = 8 * MAX_INPUT_BYTES  # 480 MiB offered; the audit must stop reading just past the cap
    proc = subprocess.run(
        [sys.executable, "-c", _PIPE_GENERATOR, str(piped)], capture_output=True, text=True, cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["rc"] == 3, res["stderr"]
    # What went into the pipe: the cap + 1 bytes read, plus what the pipe buffer held at exit.
    assert MAX_INPUT_BYTES < res["written"] <= MAX_INPUT_BYTES + 4 * mib
    # Interpreter, imports and one cap-sized buffer; reading all of stdin first peaked near 600 MiB.
    assert res["peak_rss"] < piped // 2, res
    assert res["stderr"].startswith("error[FA103]: <stdin>: input is larger than the")
    assert "Traceback" not in res["stderr"]


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


def test_claimreview_export_from_the_cli_says_why_it_is_empty(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(SEED), "-f", "claimreview", "--no-verify"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert "only claims a reviewer approved" in err and "factaudit serve" in err


def _help_text(*args: str) -> str:
    """``factaudit ARGS --help`` as rendered by typer/rich, with the table borders and wrapping undone."""
    from typer.testing import CliRunner

    from factaudit.cli import app

    res = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "400", "TERMINAL_WIDTH": "400"})
    assert res.exit_code == 0, res.output
    return re.sub(r"[\s│╭╮╰╯─]+", " ", res.output)


def test_audit_help_shows_the_hub_extra_install_command() -> None:
    shown = _help_text("audit")
    assert "pip install 'factaudit[hub]'" in shown
    assert "owner/name[@revision]" in shown


def test_no_help_text_loses_brackets_to_rich_markup() -> None:
    """Every ``[...]`` written in a help text is shown as written (rich markup would eat it)."""
    import typer

    from factaudit.cli import app

    def commands(cmd: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
        found = [(path, cmd)]
        for name, sub in getattr(cmd, "commands", {}).items():
            found.extend(commands(sub, (*path, name)))
        return found

    checked = 0
    for path, cmd in commands(typer.main.get_command(app), ()):
        if cmd.hidden:
            continue
        helps = [p.help for p in cmd.params if getattr(p, "help", None) and not getattr(p, "hidden", False)]
        bracketed = [h for h in [*helps, cmd.help or ""] if "[" in h]
        if not bracketed:
            continue
        shown = _help_text(*path)
        for h in bracketed:
            for piece in re.findall(r"\S*\[[^\]]*\]\S*", h.replace("\\[", "[")):
                checked += 1
                assert piece in shown, f"factaudit {' '.join(path)} --help lost {piece!r}"
    assert checked >= 2  # owner/name[@revision] and factaudit[hub] at least


def test_batch_goes_on_past_a_deeply_nested_jsonl_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "deep.jsonl"
    lines = [
        '{"text": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"id": "obj", "text": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}",
        json.dumps({"id": "after", "text": "The Bank of England said rates would rise to 5%."}),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["audit", str(corpus), "-o", str(out), "-f", "json", "-j", "1", "-q", "--no-verify"]) == 8
    assert "internal error" not in capsys.readouterr().err
    recs = {m["id"]: m for m in map(json.loads, (out / "manifest.jsonl").read_text().splitlines())}
    assert recs["deep:1"]["status"] == recs["deep:2"]["status"] == "error"
    assert recs["deep:1"]["error"] == "line 1 is nested too deeply to parse"
    assert recs["after"]["status"] == "ok" and (out / recs["after"]["output"]).is_file()


def test_directory_batch_skips_virtualenvs_and_hidden_folders_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proj = tmp_path / "proj"
    (proj / "news").mkdir(parents=True)
    (proj / "news" / "a.txt").write_text(
        "Rates rise\n\nThe Bank of England said rates would rise to 5%.", encoding="utf-8"
    )
    for folder in (".venv/lib/python3.11/site-packages/pkg", ".git"):
        (proj / folder).mkdir(parents=True)
        (proj / folder / "README.md").write_text("The council said it would build schools.", encoding="utf-8")
    (proj / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["audit", str(proj), "-o", str(out), "-f", "json", "-j", "1", "--no-verify"]) == 0
    err = capsys.readouterr().err
    assert f"skipped 2 folders: {proj / '.git'} (hidden), {proj / '.venv'} (virtualenv)" in err
    ids = [json.loads(x)["id"] for x in (out / "manifest.jsonl").read_text().splitlines()]
    assert ids == [str(proj / "news" / "a.txt")]
    # Named directly, a hidden folder is audited; with nothing left to audit, the error says why.
    assert main(["audit", str(proj / ".git"), "-o", str(out), "-f", "json", "-q", "--no-verify"]) == 0
    (proj / "news" / "a.txt").unlink()
    assert main(["audit", str(proj), "-o", str(out), "-q"]) == 3
    err = capsys.readouterr().err
    assert "no articles found" in err and "(virtualenv)" in err


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the workers through /proc")
def test_killing_a_batch_with_sigkill_takes_its_workers_down(tmp_path: Path) -> None:
    # Two FIFOs nobody writes to keep both workers busy (blocked reading) until the parent dies.
    waits = [tmp_path / f"wait{i}.txt" for i in range(2)]
    for w in waits:
        os.mkfifo(w)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"a{i}.txt").write_text(f"Story {i}\n\nThe council said it would build schools.", "utf-8")
    log = (tmp_path / "stderr.txt").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "factaudit", "audit", *map(str, waits), str(docs),
         "-o", str(tmp_path / "out"), "-j", "2", "-q", "--no-verify"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 240  # the parent loads the models before it forks
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = _children(proc.pid)
        assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
        assert len(workers) >= 2, workers
        assert not kill_and_outlive(proc, workers), "workers outlived their killed parent"
    finally:
        log.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in workers:  # only what this test started
            if _alive(w):
                os.kill(w, signal.SIGKILL)


GERMAN = ROOT / "tests" / "fixtures" / "german_article.txt"


def test_unsupported_language_exits_3_with_fa105(capsys: pytest.CaptureFixture[str]) -> None:
    # The README's exit 3 for an unsupported language; it used to print "not auditable" and exit 0.
    assert main(["audit", str(GERMAN), "--no-verify"]) == 3
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith(f"error[FA105]: {GERMAN}: detected language 'de' (confidence ")
    assert err.endswith("is not supported; supported: en")
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "not auditable" not in captured.out


def test_unsupported_language_in_a_batch_is_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "de.txt").write_text(GERMAN.read_text(encoding="utf-8"), encoding="utf-8")
    english = "Schools\n\nThe council said on Tuesday that it would build four new schools by 2027."
    (docs / "en.txt").write_text(english, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["audit", str(docs), "-o", str(out), "-f", "json", "-q", "-j", "1", "--no-verify"]) == 8
    lines = (out / "manifest.jsonl").read_text().splitlines()
    manifest = {Path(m["id"]).name: m for m in map(json.loads, lines)}
    assert manifest["en.txt"]["status"] == "ok"
    de = manifest["de.txt"]
    assert (de["status"], de["error_code"]) == ("error", "FA105")
    assert "detected language 'de'" in de["error"]
