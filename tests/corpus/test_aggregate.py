"""The corpus of the labelled fixture (tests/fixtures/corpus: 22 articles, 4 outlets, 11 dates,
three recurring claims written in; see its README)."""

from __future__ import annotations

import json

import pytest

from factaudit.corpus import BatchFolderSource, Corpus, aggregate
from factaudit.corpus.query import CorpusFilter, filter_corpus
from factaudit.corpus.render import render_json, render_markdown
from factaudit.document import Report

from ..helpers import FIXTURES

REPORTS = FIXTURES / "corpus" / "reports"
ARTICLES = FIXTURES / "corpus" / "articles.jsonl"
OUTLETS = {"Daily Ledger", "Northern Courier", "Metro Wire", "Harbour Post"}
#: The recurring claims written into the fixture: (words that identify it, the articles making it).
RECURRING = {
    "formed partnerships with Russian energy companies": {"a01", "a02", "a03", "a04", "a05", "a20"},
    "approved a new battery plant in Shanghai": {"a06", "a07", "a08", "a19"},
    "warned European allies against buying Russian gas": {"a09", "a10", "a11"},
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return aggregate(BatchFolderSource(REPORTS), checker=None)


def test_every_report_is_read_with_its_outlet_and_date(corpus: Corpus) -> None:
    lines = [json.loads(x) for x in ARTICLES.read_text(encoding="utf-8").splitlines()]
    assert len(corpus.articles) == len(lines) == 22
    by_id = {a.id: a for a in corpus.articles}
    for line in lines:
        a = by_id[line["id"]]
        assert (a.outlet, a.date, a.url) == (line["outlet"], line["date"], line["url"])
    assert {o.outlet for o in corpus.outlets} == OUTLETS
    assert sum(o.articles for o in corpus.outlets) == 22


def test_recurring_claims_are_the_ones_written_in(corpus: Corpus) -> None:
    found = {}
    for rc in corpus.recurring_claims:
        key = next((k for k in RECURRING if k in rc.text), None)
        assert key is not None, f"unexpected recurring claim: {rc.text}"
        found[key] = set(rc.articles)
    assert found == RECURRING


def test_recurring_claim_keeps_first_seen_outlets_holders_and_hedges(corpus: Corpus) -> None:
    rc = next(c for c in corpus.recurring_claims if "Russian energy" in c.text)
    assert rc.first_seen is not None
    assert (rc.first_seen.article, rc.first_seen.date, rc.first_seen.outlet) == (
        "a01",
        "2026-03-02",
        "Daily Ledger",
    )
    assert set(rc.outlets) == OUTLETS
    kinds = {m.article: m.holder_kind for m in rc.members}
    assert kinds["a01"] == "author" and kinds["a02"] == "unnamed_group" and kinds["a05"] == "unnamed_group"
    assert next(m for m in rc.members if m.article == "a03").hedges == ["reportedly"]
    gas = next(c for c in corpus.recurring_claims if "Russian gas" in c.text)
    assert gas.first_seen is not None and gas.first_seen.date == "2026-03-04"


def test_the_finding_keeps_holders_and_hedges_beside_the_count(corpus: Corpus) -> None:
    f = next(f for f in corpus.findings if f.code.startswith("recurring") and "Russian energy" in f.message)
    assert f.articles == 6
    assert f.holders == {"author": 3, "unnamed_group": 3}
    assert "3 in the author's voice" in f.message and "3 attributed to unnamed groups" in f.message
    assert "“critics”" in f.message.lower() or "“Critics”" in f.message
    assert "1 hedged (reportedly)" in f.message
    assert "none cites a specific source" in f.message


def test_relations_merge_across_articles_with_every_claim(corpus: Corpus) -> None:
    rel = next(r for r in corpus.relations if r.source == "organisation:tesla" and "russia" in r.target)
    assert rel.relation == "partners with"
    assert set(rel.articles) == RECURRING["formed partnerships with Russian energy companies"]
    assert rel.first_seen == "2026-03-02"
    assert set(rel.outlets) == OUTLETS
    assert all(c.text and c.holder for c in rel.claims)
    names = {e.id: e for e in corpus.entities}
    assert names[rel.target].name == "Russian energy companies"
    musk = names["person:elon musk"]
    assert {"Elon Musk", "Musk"} <= set(musk.aliases)  # "Mr. Musk" (a02) and "Musk" merge into him


def test_outlet_profiles_count_home_pages_and_unnamed_groups(corpus: Corpus) -> None:
    ledger = next(o for o in corpus.outlets if o.outlet == "Daily Ledger")
    articles = [a for a in corpus.articles if a.outlet == "Daily Ledger"]
    assert ledger.articles == len(articles) == 6
    assert ledger.url_citations == sum(a.url_citations for a in articles)
    assert ledger.home_page_citations == 2 and ledger.home_page_share == 1.0  # reuters.com, ft.com
    assert ledger.unnamed_group == sum(a.unnamed_group for a in articles) > 0
    wire = next(o for o in corpus.outlets if o.outlet == "Metro Wire")
    assert wire.home_page_citations == 0 and wire.url_citations >= 1  # a specific annual-report URL
    assert (ledger.first_date, ledger.last_date) == ("2026-03-02", "2026-03-12")


def test_timeline_is_by_article_date(corpus: Corpus) -> None:
    dates = [t.date for t in corpus.timeline]
    assert dates == sorted(dates) and dates[0] == "2026-03-02" and dates[-1] == "2026-03-12"
    assert sum(len(t.articles) for t in corpus.timeline) == 22
    first = corpus.timeline[0]
    assert {"a01", "a06", "a12"} <= set(first.articles)
    assert len(first.new_recurring) == 2  # the Tesla and the Shanghai claims start on 03-02


def test_json_round_trip_and_top_level_keys(corpus: Corpus) -> None:
    data = json.loads(render_json(corpus))
    assert {"articles", "entities", "relations", "recurring_claims", "outlets", "findings", "run"} <= set(
        data
    )
    assert data["run"]["reports"] == 22
    again = Corpus.from_dict(data)
    assert again.to_dict() == corpus.to_dict()
    with pytest.raises(ValueError, match="schema"):
        Corpus.from_dict({**data, "schema_version": "2.0"})
    with pytest.raises(ValueError):
        Corpus.from_dict({"articles": []})


def test_markdown_lists_findings_relations_and_outlets(corpus: Corpus) -> None:
    md = render_markdown(corpus)
    assert md.startswith("# Corpus audit")
    for heading in ("## Findings", "## Relations", "## Recurring claims", "## Outlets", "## Timeline"):
        assert heading in md
    assert "Tesla — partners with → Russian energy companies" in md


def test_filters_by_outlet_date_and_entity(corpus: Corpus) -> None:
    only = filter_corpus(corpus, CorpusFilter(outlet="Metro Wire"))
    assert all(c.outlet == "Metro Wire" for r in only.relations for c in r.claims)
    # Within Metro Wire only the Shanghai claim recurs (a07 and a19).
    assert [set(rc.articles) for rc in only.recurring_claims] == [{"a07", "a19"}]
    early = filter_corpus(corpus, CorpusFilter(date_to="2026-03-04"))
    rc = next(c for c in early.recurring_claims if "Russian energy" in c.text)
    assert set(rc.articles) == {"a01", "a02", "a03"}
    tesla = filter_corpus(corpus, CorpusFilter(entity="Tesla"))
    assert tesla.relations and all("tesla" in (r.source + r.target) for r in tesla.relations)
    assert filter_corpus(corpus, CorpusFilter(entity="nobody at all")).relations == []


def test_aggregate_is_pure_and_streams_any_iterable(corpus: Corpus) -> None:
    reports = list(BatchFolderSource(REPORTS))
    before = [r.to_dict() for r in reports]
    again = aggregate(iter(reports), checker=None)
    assert [r.to_dict() for r in reports] == before
    assert len(again.relations) == len(corpus.relations)
    assert [c.text for c in again.recurring_claims] == [c.text for c in corpus.recurring_claims]


def test_cross_encoder_merges_paraphrases_the_hashes_bring_close() -> None:
    """The finer check: near-duplicates merge by their words, a paraphrase only if both directions
    entail. A stand-in checker records what it is asked (the real verifier is tested in models/)."""
    reports = list(BatchFolderSource(REPORTS))
    asked: list[tuple[str, str]] = []

    def checker(pairs: list[tuple[str, str]]) -> list[float]:
        asked.extend(pairs)
        return [0.0] * len(pairs)

    c = aggregate(reports, checker=checker)
    assert len(c.recurring_claims) == 3
    assert c.run.settings["recurring"]["cross_checked"] == len(asked) // 2


def test_empty_input_gives_an_empty_corpus() -> None:
    c = aggregate([], checker=None)
    assert c.articles == [] and c.recurring_claims == [] and c.run.reports == 0


def test_a_report_built_in_memory_is_aggregated() -> None:
    data = json.loads(next(REPORTS.glob("*.json")).read_text(encoding="utf-8"))
    report = Report.from_dict(data)
    c = aggregate([report, report], checker=None)
    assert len(c.articles) == 2 and c.articles[0].id != c.articles[1].id
