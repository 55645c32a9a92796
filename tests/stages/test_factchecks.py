"""The factchecks stage (stages/factchecks.py) with the shipped claim matcher over a small real
library made from the fixture feeds; the fact-check findings (stages/findings.py) it leads to."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from factaudit.config import Settings
from factaudit.document import REFUTED, SUPPORTED, Article, FactCheckMatch, Verdict
from factaudit.factchecks.library import FactCheckLibrary
from factaudit.factchecks.match import Matcher
from factaudit.factchecks.stance import stance
from factaudit.pipeline import Auditor, default_stages
from factaudit.stages.factchecks import FactChecksStage
from factaudit.stages.findings import FindingsStage

from ..helpers import analyse

FIXTURES = Path(__file__).resolve().parents[1] / "factchecks" / "fixtures"
FEEDS = ["claimreview_feed.json", "claimreview_list.json", "claimreview_single.json", "factchecks.csv",
         "factchecks.jsonl", "claimreview_graph.jsonld"]


@pytest.fixture(scope="module")
def library_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fc") / "lib"
    with FactCheckLibrary(path, create=True) as lib:
        lib.import_files([FIXTURES / f for f in FEEDS])
    return path


def _matched(text: str, library_path: Path, *, date: str | None = None) -> Article:
    article = analyse(text, claims=True)
    for c in article.claims:  # every claim counts as check-worthy here: the stage is under test
        c.check_worthy = True
    if date:
        article.meta["date"] = date
    article.language = "en"
    stage = FactChecksStage(Settings(factchecks=True, factcheck_library=str(library_path)))
    given = ("claims", "sentences", "meta", "language")
    return Auditor(stages=[stage], given=given, check_writes=True).run(article)


def test_a_claim_that_was_fact_checked_gets_the_rating_date_link_and_age(library_path: Path) -> None:
    text = ("The 1969 Apollo 11 moon landing was staged in a film studio. "
            "The bakery on Main Street opened a second shop last spring.")
    a = _matched(text, library_path, date="2024-05-02")
    moon, bakery = a.claims[0], a.claims[-1]
    same = [m for m in moon.fact_checks if not m.related]
    assert same, moon.fact_checks
    m = same[0]
    assert m.url == "https://factcheck.example.org/2024/04/moon-landing-staged"
    assert (m.rating, m.normalised, m.publisher) == ("False", "false", "Example Fact Check")
    assert m.age_days == 30 and m.stance == "repeats" and 0.0 <= m.probability <= 1.0
    assert not [x for x in bakery.fact_checks if not x.related]


def test_an_article_debunking_the_claim_does_not_repeat_it(library_path: Path) -> None:
    a = _matched("The claim that the 1969 Apollo 11 moon landing was staged in a film studio is a "
                 "hoax, NASA said.", library_path)
    found = [m for c in a.claims for m in c.fact_checks if "moon-landing" in m.url]
    assert found and all(m.stance == "debunks" for m in found)


def test_only_entries_in_the_articles_language_are_candidates(library_path: Path) -> None:
    with FactCheckLibrary(library_path, read_only=True) as lib:
        matcher = Matcher(lib)
        query = ["El agua del grifo de Madrid contiene niveles peligrosos de plomo."]
        urls_any = {c.entry.url for c in matcher.candidates(query)}
        urls_en = {c.entry.url for c in matcher.candidates(query, language="en")}
    spanish = "https://verificacion.example.es/2024/05/agua-del-grifo"
    assert spanish in urls_any and spanish not in urls_en


def test_stance_cues_in_the_fact_checked_claim_itself_do_not_count() -> None:
    reviewed = "A senator said the pandemic was a hoax."
    assert stance("A senator said the pandemic was a hoax.", reviewed) == "repeats"
    debunking = "Fact-checkers found no evidence a senator called the pandemic a hoax."
    assert stance(debunking, reviewed) == "debunks"


def test_the_stage_runs_after_claims_and_before_verify() -> None:
    names = [s.name for s in default_stages(Settings())]
    assert names.index("claims") < names.index("factchecks") < names.index("verify")
    off = Settings(factchecks=False)
    article = analyse("The 1969 Apollo 11 moon landing was staged in a film studio.", claims=True)
    for c in article.claims:
        c.check_worthy = True
    auditor = Auditor(stages=[FactChecksStage(off)], given=("claims", "sentences"), check_writes=True)
    out = auditor.run(article)
    assert all(not c.fact_checks for c in out.claims)


def _with_match(normalised: str, verdict: str | None, *, related: bool = False,
                sentence_stance: str = "repeats") -> Article:
    a = analyse("Paris is the capital of Germany, the mayor said on Monday.", claims=True)
    claim = a.claims[0]
    claim.fact_checks = [FactCheckMatch(
        claim_reviewed="Paris is the capital of Germany.", rating="Whatever",
        normalised=normalised,  # type: ignore[arg-type]
        url="https://fc.example/paris", probability=0.9, related=related, stance=sentence_stance)]
    claim.verdict = Verdict(label=verdict, confidence=0.9) if verdict else None  # type: ignore[arg-type]
    a.findings = []
    given = ("blocks", "assertions", "citations", "claims", "claims.verdict", "claims.fact_checks")
    return Auditor(stages=[FindingsStage()], given=given, check_writes=True).run(copy.deepcopy(a))


def test_findings_count_fact_checked_claims_and_flag_conflicts_with_the_verdict() -> None:
    a = _with_match("false", SUPPORTED)
    codes = {f.code: f for f in a.findings}
    assert "1 claim was fact-checked before (1 rated “Whatever”)" in codes["previously_fact_checked"].message
    assert codes["previously_fact_checked"].severity == "problem"
    assert "fact_check_conflicts_with_verdict" in codes
    assert a.claims[0].fact_checks[0].conflicts_with_verdict
    assert _with_match("true", REFUTED).claims[0].fact_checks[0].conflicts_with_verdict
    agree = _with_match("false", REFUTED)
    assert not agree.claims[0].fact_checks[0].conflicts_with_verdict
    assert "fact_check_conflicts_with_verdict" not in {f.code for f in agree.findings}
    # a related fact-check is not "fact-checked before"; a debunking article is not a problem
    related = _with_match("false", None, related=True)
    assert "previously_fact_checked" not in {f.code for f in related.findings}
    debunked = {f.code: f for f in _with_match("false", None, sentence_stance="debunks").findings}
    assert debunked["previously_fact_checked"].severity == "info"
    assert "to debunk" in debunked["previously_fact_checked"].message


def test_a_fact_check_about_another_person_is_related_not_a_match(tmp_path: Path) -> None:
    # Horne real/133: the cross-encoder gives "Mr. Hanna ... would vote for Hillary Clinton" the
    # Lewinsky fact-check above the threshold; its subject is someone else
    from factaudit.factchecks.readers import FactCheck

    with FactCheckLibrary(tmp_path / "lib", create=True) as lib:
        entry = FactCheck("Monica Lewinsky has announced she's voting for Hillary Clinton.", "False",
                          "https://www.snopes.com/fact-check/monica-lewinsky-hillary/", language="en")
        lib.import_entries([entry], source="test", detect_language=False)
    a = _matched("In August, Mr. Hanna became the first Republican member of Congress to announce that he "
                 "would vote for Hillary Clinton. Monica Lewinsky has gone on record: she is voting for "
                 "Hillary Clinton.", tmp_path / "lib")
    hanna, lewinsky = a.claims[0], a.claims[-1]
    assert [m.related for m in hanna.fact_checks] == [True], hanna.fact_checks
    assert hanna.fact_checks[0].probability >= FactChecksStage(Settings()).matcher.threshold
    assert [m.related for m in lewinsky.fact_checks][:1] == [False], lewinsky.fact_checks
    assert "about Monica Lewinsky" in (hanna.fact_checks[0].why_related or "")
    assert lewinsky.fact_checks[0].why_related is None


def test_a_fact_check_of_another_sum_of_money_is_related_and_says_why(tmp_path: Path) -> None:
    # Horne BuzzFeed fake/24: "$400 billion" was "previously fact-checked" by the "$400 million" check
    from factaudit.factchecks.readers import FactCheck
    from factaudit.report import build_report
    from factaudit.report.markdown import to_markdown

    with FactCheckLibrary(tmp_path / "lib", create=True) as lib:
        entry = FactCheck("Hillary Clinton accidentally paid ISIS $400 million.", "False",
                          "https://www.snopes.com/fact-check/hillary-clinton-paid-isis/", language="en")
        lib.import_entries([entry], source="test", detect_language=False)
    a = _matched("Hillary Clinton accidentally paid ISIS $400 billion.", tmp_path / "lib")
    (m,) = a.claims[0].fact_checks
    assert m.probability >= FactChecksStage(Settings()).matcher.threshold
    assert m.related and m.why_related == "the fact-check is about $400 million; the claim about $400 billion"
    md = to_markdown(build_report(a, started_at="2026-01-02T03:04:05+00:00", models=[], settings=Settings()))
    assert "not the same claim: the fact-check is about $400 million" in md
