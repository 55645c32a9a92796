"""``factaudit factchecks import|list|stats`` on the fixture feeds, and its bad-input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factaudit.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "factchecks" / "fixtures"

pytestmark = pytest.mark.integration


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_import_list_and_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "lib")
    feeds = [str(FIXTURES / n) for n in ("claimreview_feed.json", "factchecks.csv", "factchecks.jsonl")]
    assert main(["factchecks", "import", *feeds, "--store", store, "--json"]) == 0
    out = _json(capsys)
    assert (out["read"], out["imported"], out["duplicate_urls"]) == (13, 8, 2)
    assert out["skipped"] == {"ClaimReview without reviewRating": 1, "no claim text": 1, "no rating": 1}
    assert out["languages"]["es"] == 1 and out["library_entries"] == 8
    assert main(["factchecks", "import", str(FIXTURES / "claimreview_list.json"), "--store", store]) == 0
    text = capsys.readouterr().out
    assert "imported 2" in text and "the library holds 10" in text
    assert main(["factchecks", "stats", "--store", store, "--json"]) == 0
    stats = _json(capsys)
    assert stats["entries"] == 10 and stats["languages"] == {"en": 9, "es": 1}
    assert main(["factchecks", "list", "--store", store, "--json", "--limit", "3"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 3 and rows[0]["url"].startswith("https://factcheck.example.org/")
    assert rows[0]["normalised"] == "false"


def test_bad_input_is_one_line_and_leaves_the_library_usable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "lib")
    feed = str(FIXTURES / "claimreview_list.json")
    assert main(["factchecks", "import", feed, "--store", store, "-q"]) == 0
    capsys.readouterr()
    assert main(["factchecks", "import", str(FIXTURES / "page.html"), "--store", store]) == 3
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("error[FA104]:") and "HTML" in err
    assert "Traceback" not in err
    code = main(["factchecks", "import", str(FIXTURES / "factchecks.jsonl"), str(FIXTURES / "broken.jsonl"),
                 "--store", store, "-q"])
    assert code == 3
    assert "broken.jsonl:2: malformed JSON" in capsys.readouterr().err
    assert main(["factchecks", "stats", "--store", store, "--json"]) == 0
    assert _json(capsys)["entries"] == 2
    binary = tmp_path / "feed.json"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert main(["factchecks", "import", str(binary), "--store", store]) == 3
    assert "error[FA102]" in capsys.readouterr().err
    assert main(["factchecks", "import", str(tmp_path / "missing.json"), "--store", store]) == 3
    assert main(["factchecks", "stats", "--store", str(tmp_path / "nowhere")]) == 6
    assert "error[FA500]" in capsys.readouterr().err


CHECKTHAT = FIXTURES / "checkthat"


def test_eval_claim_matching_prints_the_task_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = str(CHECKTHAT / "verified_claims.docs.tsv")
    args = ["eval", "claim-matching", "--queries", str(CHECKTHAT / "tweets.queries.tsv"), "--qrels",
            str(CHECKTHAT / "tweet-vclaim-pairs.qrels"), "--claims", claims]
    assert main([*args, "--json"]) == 0
    res = _json(capsys)
    assert set(res) == {"map_at_1", "map_at_3", "map_at_5", "mrr", "n"}
    assert res["n"] == 3 and res["map_at_5"] >= 2 / 3
    assert main([*args, "--mode", "bm25"]) == 0
    assert "map_at_5=" in capsys.readouterr().out
    bad = tmp_path / "bad.qrels"
    bad.write_text("10\t0\n")
    assert main(["eval", "claim-matching", "--queries", str(CHECKTHAT / "tweets.queries.tsv"), "--qrels",
                 str(bad), "--claims", claims]) == 3
    assert "expected 'tweet_id 0 vclaim_id relevance'" in capsys.readouterr().err
