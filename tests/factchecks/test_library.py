from __future__ import annotations

import json
from pathlib import Path

import pytest

from factaudit.errors import EmptyInputError, InputError
from factaudit.factchecks.library import FactCheckLibrary
from factaudit.factchecks.readers import FactCheck, RawEntry

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture
def library(tmp_path: Path) -> FactCheckLibrary:
    lib = FactCheckLibrary(tmp_path / "lib", create=True)
    yield lib
    lib.close()


def test_import_dedups_by_url_counts_skips_and_keeps_non_english(library: FactCheckLibrary) -> None:
    stats = library.import_files([FIXTURES / "claimreview_feed.json", FIXTURES / "factchecks.csv"])
    assert stats.read == 10
    assert stats.imported == 6
    assert stats.duplicate_urls == 2  # one repeated in the feed, one in the CSV
    assert dict(stats.skipped) == {"ClaimReview without reviewRating": 1, "no claim text": 1}
    assert stats.languages["es"] == 1
    assert len(library) == 6
    by_url = {e.url: (src, e) for src, e in library.iter_entries()}
    src, spanish = by_url["https://verificacion.example.es/2024/05/agua-del-grifo"]
    assert (spanish.language, spanish.rating, spanish.normalised) == ("es", "Falso", "false")
    assert src == "import"
    st = library.stats()
    assert st.entries == 6 and st.languages["es"] == 1
    assert st.ratings["false"] == 3 and st.first_date == "2022-06-01"


def test_reimport_skips_unchanged_and_replaces_changed_entries(
    library: FactCheckLibrary, tmp_path: Path
) -> None:
    library.import_files([FIXTURES / "claimreview_list.json"], source="checks")
    again = library.import_files([FIXTURES / "claimreview_list.json"], source="checks")
    assert (again.imported, again.unchanged) == (0, 2)
    changed = tmp_path / "changed.json"
    rows = json.loads((FIXTURES / "claimreview_list.json").read_text())
    rows[1]["reviewRating"]["alternateName"] = "Mostly True"
    changed.write_text(json.dumps(rows))
    third = library.import_files([changed], source="checks")
    assert (third.updated, third.unchanged) == (1, 1)
    ratings = {e.url: e.rating for _, e in library.iter_entries()}
    assert ratings["https://checks.example.net/bananas-radioactive"] == "Mostly True"
    # the same URL from another source is a duplicate, not a second entry
    other = library.import_files([FIXTURES / "claimreview_list.json"], source="elsewhere")
    assert other.duplicate_urls == 2 and len(library) == 2


def test_a_failed_import_leaves_the_library_as_it_was(library: FactCheckLibrary) -> None:
    library.import_files([FIXTURES / "claimreview_list.json"])
    before = sorted(e.url for _, e in library.iter_entries())
    # the first file is fine; the second breaks half-way: nothing of either is kept
    with pytest.raises(InputError, match="malformed JSON"):
        library.import_files([FIXTURES / "factchecks.jsonl", FIXTURES / "broken.jsonl"])
    assert sorted(e.url for _, e in library.iter_entries()) == before
    assert len(library) == 2


def test_two_fact_checks_of_one_claim_text_are_both_found(library: FactCheckLibrary) -> None:
    text = "The city council banned bicycles from every bridge in 2021."
    entries = [RawEntry(FactCheck(text, "False", "https://a.example/bikes", publisher="A")),
               RawEntry(FactCheck(text, "Mostly False", "https://b.example/bikes", publisher="B"))]
    stats = library.import_entries(entries, source="two")
    assert stats.imported == 2 and stats.shared_claim_text == 1
    (pid,) = [p for p, _ in library.store.bm25_search(library.store.bm25_index().parse_query("bicycles"), 5)]
    found = library.entries_for([pid])[pid]
    assert sorted(e.publisher or "" for e in found) == ["A", "B"]
    listed = {e.url: e.claim_reviewed for _, e in library.iter_entries()}
    assert listed["https://b.example/bikes"] == text


def test_nothing_to_import_is_an_error(library: FactCheckLibrary, tmp_path: Path) -> None:
    only_bad = tmp_path / "bad.jsonl"
    only_bad.write_text('{"claim": "A claim with no rating or url at all."}\n')
    with pytest.raises(InputError, match="all 1 entries skipped"):
        library.import_files([only_bad])
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n")
    with pytest.raises(EmptyInputError):
        library.import_files([blank])
