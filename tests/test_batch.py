"""Batch expansion and the engines behind map_batches (local process pool and Ray)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from factaudit.batch import (
    BatchItem,
    SkippedFolder,
    audit_item,
    expand_sources,
    map_batches,
    output_name,
    run_batch,
)
from factaudit.config import Settings
from factaudit.errors import BatchError

NO_VERIFY = Settings(verify=False)


def _corpus(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(
        "Rates rise\n\nThe Bank of England said rates would rise to 5%.", encoding="utf-8"
    )
    (d / "sub" / "b.md").write_text(
        "# Budget\n\nThe council approved a £2m budget on Monday.", encoding="utf-8"
    )
    (d / "skip.png").write_bytes(b"\x89PNG\r\n")
    return d


def test_expand_sources_walks_folders_and_jsonl(tmp_path: Path) -> None:
    d = _corpus(tmp_path)
    jl = tmp_path / "c.jsonl"
    jl.write_text(
        '{"id": "x", "text": "Hello there, world."}\n[1, 2]\n{"url": "https://example.com/a"}\n',
        encoding="utf-8",
    )
    items = list(expand_sources([str(d), str(jl), "https://example.org/story"]))
    assert [i.id for i in items] == [
        str(d / "a.txt"),
        str(d / "sub" / "b.md"),
        "x",
        "c:2",
        "c:3",
        "https://example.org/story",
    ]
    assert items[3].error == "line 2 is not a JSON object"
    assert items[4].location == "https://example.com/a" and items[4].text is None


def test_output_names_are_safe_and_distinct() -> None:
    a, b = output_name("../../etc/passwd", "json"), output_name("../../etc/passwd ", "json")
    assert "/" not in a and a != b and a.endswith(".json")


def test_audit_item_turns_failures_into_records() -> None:
    res = audit_item(BatchItem(id="bad", text="   "), "json", NO_VERIFY)
    assert res.status == "error" and res.error_code == "FA101"
    ok = audit_item(
        BatchItem(id="ok", text="The council said it would build two new schools."), "md", NO_VERIFY
    )
    assert ok.status == "ok" and ok.output and "council" in ok.output


def test_local_pool_gives_the_same_results_as_one_process(tmp_path: Path) -> None:
    items = list(expand_sources([str(_corpus(tmp_path))]))
    out1 = run_batch(items, tmp_path / "o1", fmt="json", jobs=1, settings=NO_VERIFY)
    out2 = run_batch(items, tmp_path / "o2", fmt="json", jobs=2, settings=NO_VERIFY)
    assert out1.done == out2.done == 2 and out1.errors == out2.errors == 0

    def texts(folder: Path) -> dict[str, list[str]]:
        out = {}
        for rec in map(json.loads, (folder / "manifest.jsonl").read_text().splitlines()):
            rep = json.loads((folder / rec["output"]).read_text())
            out[rec["id"]] = [a["text"] for a in rep["article"]["assertions"]]
        return out

    assert texts(tmp_path / "o1") == texts(tmp_path / "o2")


@pytest.mark.slow
def test_ray_engine_runs_the_same_batch(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    items = list(expand_sources([str(_corpus(tmp_path))]))
    try:
        results = {r.id: r for r in map_batches(_Job(), items, jobs=2, engine="ray")}
    finally:
        ray.shutdown()
    assert set(results) == {i.id for i in items}
    assert all(r.status == "ok" and r.counts["assertions"] >= 1 for r in results.values())


class _Job:
    def __call__(self, item: BatchItem) -> object:
        return audit_item(item, "json", NO_VERIFY)


def _manifest(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def test_deeply_nested_jsonl_lines_are_recorded_not_fatal(tmp_path: Path) -> None:
    jl = tmp_path / "deep.jsonl"
    lines = [
        '{"text": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"a": ' * 3000 + "1" + "}" * 3000,
        '{"id": "big", "text": "x", "n": ' + "7" * 5000 + "}",
        '{"text": ' + "[" * 500 + "]" * 500 + "}",  # parses: just not a text field
        json.dumps({"id": "good", "text": "The council said it would build two new schools."}),
    ]
    jl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(expand_sources([str(jl)]))
    assert [i.id for i in items] == ["deep:1", "deep:2", "deep:3", "deep:4", "good"]
    assert items[0].error == "line 1 is nested too deeply to parse"
    assert items[1].error == "line 2 is nested too deeply to parse"
    assert items[2].error and items[2].error.startswith("line 3 is not valid JSON")
    assert items[3].error and "no text field" in items[3].error
    summary = run_batch(items, tmp_path / "out", settings=NO_VERIFY)
    assert (summary.done, summary.errors) == (1, 4)
    status = {m["id"]: (m["status"], m["error_code"]) for m in _manifest(tmp_path / "out")}
    assert status["good"] == ("ok", None)
    assert status["deep:1"] == status["deep:2"] == ("error", "FA100")


def test_duplicate_ids_keep_the_first_and_record_the_rest(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Rates rise\n\nThe Bank of England said rates would rise to 5%.", encoding="utf-8")
    jl = tmp_path / "c.jsonl"
    jl.write_text(
        json.dumps({"id": "x", "text": "The council approved a new budget on Monday."})
        + "\n"
        + json.dumps({"id": "x", "text": "Police said two men were arrested in Leeds."})
        + "\n{broken\n",
        encoding="utf-8",
    )
    jl2 = tmp_path / "other" / "c.jsonl"  # same stem: its made-up line ids must not collide either
    jl2.parent.mkdir()
    jl2.write_text("{broken\n", encoding="utf-8")
    items = list(expand_sources([str(art), str(jl), str(art), str(jl2)]))
    ids = [i.id for i in items]
    assert ids == [str(art), "x", "c:2", "c:3", "c:1"]  # a.txt named twice: audited once
    assert items[2].error == (
        "line 2 of c.jsonl repeats id 'x' (first used by line 1 of c.jsonl); ids must be unique in a "
        "batch, only the first is audited"
    )
    assert items[3].error and items[4].error and "not valid JSON" in items[4].error
    out = tmp_path / "out"
    summary = run_batch(items, out, settings=NO_VERIFY)
    assert (summary.done, summary.errors) == (2, 3)
    recs = {m["id"]: m for m in _manifest(out)}
    assert len(recs) == 5  # one manifest line per item, each under its own id
    x = json.loads((out / recs["x"]["output"]).read_text(encoding="utf-8"))
    assert "budget" in x["article"]["text"] and "Leeds" not in x["article"]["text"]
    assert len(list(out.glob("*.json"))) == 2
    # A rerun skips everything, also when retrying errors: "x" stays done, its duplicate stays refused.
    again = run_batch(list(expand_sources([str(art), str(jl), str(art), str(jl2)])), out, settings=NO_VERIFY)
    assert (again.skipped_done, again.done, again.errors) == (5, 0, 0)
    retry = run_batch(items, out, settings=NO_VERIFY, retry_errors=True)
    assert (retry.skipped_done, retry.done, retry.errors) == (2, 0, 3)
    assert {m["id"] for m in _manifest(out) if m["status"] == "ok"} == {str(art), "x"}
    with pytest.raises(BatchError, match=r"unique ids.*'dup'"):
        run_batch([BatchItem(id="dup", text="a"), BatchItem(id="dup", text="b")], tmp_path / "o2")


def test_directory_mode_skips_hidden_folders_and_virtualenvs(tmp_path: Path) -> None:
    d = _corpus(tmp_path)
    folders = (".venv", ".git", "env", "node_modules/pkg", "sub/__pycache__", "lib/site-packages/m", ".notes")
    for folder in folders:
        (d / folder).mkdir(parents=True, exist_ok=True)
        (d / folder / "readme.md").write_text("The council said it would build schools.", encoding="utf-8")
    (d / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    (d / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    skipped: list[SkippedFolder] = []
    items = list(expand_sources([str(d)], skipped=skipped))
    assert [i.id for i in items] == [str(d / "a.txt"), str(d / "sub" / "b.md")]
    assert sorted((Path(s.path).relative_to(d).as_posix(), s.reason) for s in skipped) == [
        (".git", "hidden"),
        (".notes", "hidden"),
        (".venv", "virtualenv"),
        ("env", "virtualenv"),
        ("lib/site-packages", "packages"),
        ("node_modules", "packages"),
        ("sub/__pycache__", "cache"),
    ]
    # A folder or file the user names is audited even when hidden.
    named = list(expand_sources([str(d / ".notes"), str(d / ".git" / "readme.md")]))
    assert [i.id for i in named] == [str(d / ".notes" / "readme.md"), str(d / ".git" / "readme.md")]


def test_reports_and_manifest_lines_are_fsynced_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The power-cut ordering: report data fsynced, renamed, folder fsynced, then the manifest line
    written and fsynced. os.fsync and os.replace are observed (recorded, then really called)."""
    out = tmp_path / "out"
    out.mkdir()
    manifest = out / "manifest.jsonl"
    events: list[tuple[str, int, int, frozenset[str]]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def snapshot() -> tuple[int, frozenset[str]]:
        lines = len(manifest.read_text(encoding="utf-8").splitlines()) if manifest.exists() else 0
        return lines, frozenset(p.name for p in out.glob("*.json"))

    def fsync(fd: int) -> None:
        st = os.fstat(fd)
        kind = "dir" if stat.S_ISDIR(st.st_mode) else "file"
        events.append((kind, st.st_ino, *snapshot()))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        events.append(("replace:" + Path(dst).name, 0, *snapshot()))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    items = [
        BatchItem(id="a", text="The council said it would build two new schools."),
        BatchItem(id="bad", error="broken line"),
        BatchItem(id="b", text="The Bank of England said rates would rise to 5%."),
    ]
    run_batch(items, out, fmt="json", jobs=1, settings=NO_VERIFY)
    monkeypatch.undo()
    a, b = output_name("a", "json"), output_name("b", "json")
    names = {(out / n).stat().st_ino: n for n in (a, b)} | {manifest.stat().st_ino: "manifest"}
    here = [
        (e if e.startswith("replace:") else "dir" if e == "dir" else names[ino], lines, reports)
        for e, ino, lines, reports in events
        if e != "file" or ino in names
        if e != "dir" or ino == out.stat().st_ino
    ]
    assert [e for e, _, _ in here] == [
        "dir",  # the manifest's own entry
        a, f"replace:{a}", "dir", "manifest",
        "manifest",  # an error record: no report
        b, f"replace:{b}", "dir", "manifest",
    ]
    # What was on disk at each step: no manifest line names a report before the folder fsync.
    assert [(lines, sorted(reports)) for _, lines, reports in here] == [
        (0, []),
        (0, []), (0, [a]), (0, [a]), (1, [a]),
        (2, [a]),
        (2, [a]), (2, [a, b]), (2, [a, b]), (3, [a, b]),
    ]


def _gone(pid: int) -> bool:
    """True once ``pid`` has exited (a zombie waiting for a reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_worker_watchdog_exits_when_the_parent_dies() -> None:
    """The portable half of the parent-death guard (no prctl): the watchdog thread alone."""
    script = textwrap.dedent(
        """
        import os, threading, time
        from factaudit._workers import _watch_parent
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            threading.Thread(target=_watch_parent, args=(parent, 0.05), daemon=True).start()
            time.sleep(120)
            os._exit(0)
        print(pid, flush=True)
        os._exit(0)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    child = int(proc.stdout)
    try:
        deadline = time.monotonic() + 30
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(child), "the orphaned worker is still running"
    finally:
        if not _gone(child):
            os.kill(child, 9)
    # And a worker whose parent is already gone when it starts exits at once.
    late = subprocess.run(
        [
            sys.executable,
            "-c",
            "from factaudit._workers import die_with_parent; die_with_parent(-1); print('alive')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert late.returncode == 1 and "alive" not in late.stdout


# --- article metadata in batch input ---------------------------------------------------------

PAGE = """<html><head><title>Plant opens</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2023-03-04">
<link rel="canonical" href="https://daily.example/news/plant-opens">
</head><body><article><h1>Plant opens</h1>
<p>The council said on Monday that the new water plant would open in May, after two years of work.</p>
<p>Officials said the plant would serve 40,000 homes in the district.</p></article></body></html>"""


def test_jsonl_metadata_reaches_the_report_and_bad_metadata_is_recorded(tmp_path: Path) -> None:
    jl = tmp_path / "news.jsonl"
    lines = [
        {"id": "a", "text": "The council said it would build two new schools.",
         "url": "https://news.example/a", "date": "2024-05-01", "outlet": " Example News "},
        {"id": "b", "text": "The Bank of England said rates would rise.",
         "date": "2024-05-02T09:30:00+01:00"},
        {"id": "bad-date", "text": "The council said it would build schools.", "date": "May 1st"},
        {"id": "bad-url", "text": "The council said it would build schools.", "url": "javascript:alert(1)"},
        {"id": "bad-outlet", "text": "The council said it would build schools.", "outlet": 7},
        # HTML supplies what the line does not say; what the line says wins.
        {"id": "page", "html": PAGE},
        {"id": "page-dated", "html": PAGE, "date": "2023-03-09", "outlet": "Wire copy"},
    ]
    jl.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    items = {i.id: i for i in expand_sources([str(jl)])}
    want = {"url": "https://news.example/a", "date": "2024-05-01", "outlet": "Example News"}
    assert items["a"].meta == want
    assert items["b"].meta == {"date": "2024-05-02T09:30:00+01:00"}
    assert items["bad-date"].error == "line 3 has a date that is not ISO 8601 (YYYY-MM-DD): 'May 1st'"
    assert items["bad-url"].error and "not an http(s) URL" in items["bad-url"].error
    assert items["bad-outlet"].error == "line 5 has an outlet that is not a string"
    out = tmp_path / "out"
    summary = run_batch(list(items.values()), out, settings=NO_VERIFY)
    assert (summary.done, summary.errors) == (4, 3)
    meta = {
        m["id"]: json.loads((out / m["output"]).read_text())["article"]["meta"]
        for m in _manifest(out)
        if m["status"] == "ok"
    }
    assert {k: meta["a"][k] for k in ("url", "date", "outlet")} == items["a"].meta
    assert meta["b"]["date"] == "2024-05-02T09:30:00+01:00" and "outlet" not in meta["b"]
    assert (meta["page"]["outlet"], meta["page"]["date"]) == ("The Daily Example", "2023-03-04")
    assert meta["page"]["url"] == "https://daily.example/news/plant-opens"
    assert (meta["page-dated"]["outlet"], meta["page-dated"]["date"]) == ("Wire copy", "2023-03-09")
    assert meta["page-dated"]["sitename"] == "The Daily Example"  # the page's own word is kept too
