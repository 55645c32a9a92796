"""Batch expansion and the engines behind map_batches (local process pool and Ray)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factaudit.batch import BatchItem, audit_item, expand_sources, map_batches, output_name, run_batch
from factaudit.config import Settings

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
