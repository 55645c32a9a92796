from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from factaudit.errors import BinaryInputError, EmptyInputError, InputError, UnsupportedFormatError
from factaudit.factchecks.readers import iso_date, read_feed

FIXTURES = Path(__file__).with_name("fixtures")


def _entries(name: str) -> list:
    return [r for r in read_feed(FIXTURES / name)]


def test_datafeed_items_are_read_with_ratings_dates_publishers_and_skips() -> None:
    raw = _entries("claimreview_feed.json")
    kept = [r.entry for r in raw if r.entry is not None]
    assert [r.skip for r in raw if r.entry is None] == ["ClaimReview without reviewRating"]
    first = kept[0]
    assert first.claim_reviewed.startswith("The 1969 Apollo 11 moon landing")
    assert (first.rating, first.normalised, first.date) == ("False", "false", "2024-04-02")
    assert first.publisher == "Example Fact Check"
    # a numeric rating with no name is placed on the scale and described
    assert (kept[1].rating, kept[1].normalised, kept[1].date) == ("2 of 5", "mostly false", "2024-04-10")
    # a rating given as a plain string is accepted, with a note
    spanish = kept[-1]
    assert (spanish.rating, spanish.normalised, spanish.language) == ("Falso", "false", "es")
    assert raw[-1].notes == ["reviewRating given as a plain string"]


def test_graph_list_and_single_object_forms() -> None:
    graph = _entries("claimreview_graph.jsonld")
    assert graph[0].entry is not None and graph[0].entry.normalised == "other"
    assert graph[0].entry.rating == "Miscaptioned"
    assert graph[1].skip == "not a ClaimReview (WebPage)"
    listed = [r.entry for r in _entries("claimreview_list.json")]
    assert [e.normalised for e in listed if e] == ["mostly false", "true"]
    (single,) = _entries("claimreview_single.json")
    assert single.entry is not None
    assert (single.entry.normalised, single.entry.date) == ("false", "2023-10-03")


def test_csv_and_jsonl_rows() -> None:
    csv_rows = _entries("factchecks.csv")
    assert [r.skip for r in csv_rows if r.entry is None] == ["no claim text"]
    assert [r.entry.normalised for r in csv_rows if r.entry] == ["unproven", "false", "false", "other"]
    rows = _entries("factchecks.jsonl")
    assert [r.entry.normalised if r.entry else r.skip for r in rows] == ["mostly false", "false", "no rating"]


def test_bad_files_get_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError, match="HTML"):
        _entries("page.html")
    with pytest.raises(InputError, match=r"broken\.jsonl:2: malformed JSON"):
        _entries("broken.jsonl")
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    with pytest.raises(EmptyInputError):
        list(read_feed(empty))
    binary = tmp_path / "feed.json"
    binary.write_bytes(gzip.compress(b'{"a": 1}'))
    with pytest.raises(BinaryInputError):
        list(read_feed(binary))
    truncated = tmp_path / "cut.json"
    truncated.write_text('[{"@type": "ClaimReview", "url": "https://x.example/a", "claimReviewed": "abc')
    with pytest.raises(InputError, match="malformed JSON"):
        list(read_feed(truncated))
    with pytest.raises(InputError, match="no such file"):
        list(read_feed(tmp_path / "missing.json"))
    headless = tmp_path / "other.csv"
    headless.write_text("a,b\n1,2\n")
    with pytest.raises(UnsupportedFormatError, match="claim and url columns"):
        list(read_feed(headless))


def test_a_large_feed_is_streamed_not_loaded(tmp_path: Path) -> None:
    """A DataFeed is parsed incrementally: memory stays far below the file's size."""
    import tracemalloc

    path = tmp_path / "big.json"
    item = {"@type": "DataFeedItem", "item": {"@type": "ClaimReview", "claimReviewed": "x" * 400,
                                              "reviewRating": {"alternateName": "False"}}}
    with path.open("w") as fh:
        fh.write('{"@type": "DataFeed", "dataFeedElement": [')
        for i in range(12000):
            item["item"]["url"] = f"https://big.example/{i}"
            fh.write(("," if i else "") + json.dumps(item))
        fh.write("]}")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        n = sum(1 for r in read_feed(path) if r.entry is not None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 12000
    assert size > 5_000_000
    assert peak < size / 8


@pytest.mark.parametrize(
    ("value", "iso"),
    [("9 October 2020", "2020-10-09"), ("October 9, 2020", "2020-10-09"),
     ("2024-04-10T08:30:00Z", "2024-04-10"), ("", None), ("not a date", None), ("2020-02-30", None)],
)
def test_dates(value: str, iso: str | None) -> None:
    assert iso_date(value) == iso
