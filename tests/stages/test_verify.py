"""Verdicts a fact-checker can trust (issue 12), with the real shipped verifier and relevance head:
no SUPPORTED / REFUTED from evidence that is not about the claim; bad input is NOT ENOUGH EVIDENCE
with a reason; opinions are not checked; coverage and dates are said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from factaudit.config import Settings
from factaudit.document import NOT_ENOUGH_EVIDENCE, REFUTED, SUPPORTED, Article
from factaudit.evidence.retrieve import Retriever
from factaudit.evidence.store import EvidenceStore, SourceDocument
from factaudit.models.verifier import get_verifier
from factaudit.pipeline import Auditor
from factaudit.relevance import load_head
from factaudit.stages.attribution import AttributionStage
from factaudit.stages.claims import ClaimsStage
from factaudit.stages.findings import FindingsStage
from factaudit.stages.segment import SegmentStage
from factaudit.stages.sources import SourcesStage
from factaudit.stages.verify import VerifyStage, verify_claims

pytestmark = pytest.mark.slow

# Short passages in the style of the shipped packs (Wikipedia summaries, CC BY-SA), written for the
# tests; one German passage for the other-language case.
DOCS = [
    ("Christmas Island", "Natural resources of Christmas Island: phosphate, beaches. Christmas Island is an "
     "Australian external territory in the Indian Ocean, south of Java."),
    ("Marie Curie", "Marie Curie was a Polish and naturalised-French physicist and chemist who conducted "
     "pioneering research on radioactivity. She was the first woman to win a Nobel Prize."),
    ("Minecraft", "Minecraft is a sandbox game developed by Mojang Studios. Its full release was in "
     "November 2011 for personal computers."),
    ("Atlantic Ocean", "The Atlantic Ocean is the second-largest of the world's five oceans, with an area of "
     "about 85 million square kilometres."),
    ("Berlin (de)", "Berlin ist die Hauptstadt der Bundesrepublik Deutschland und mit rund 3,7 Millionen "
     "Einwohnern die bevölkerungsreichste Stadt Deutschlands und der Europäischen Union."),
]
CHRISTMAS = ("The military continues to censor religious speech in Christmas cards sent to troops "
             "overseas.")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EvidenceStore:
    path = tmp_path_factory.mktemp("gate") / "store"
    s = EvidenceStore(path, create=True)
    s.add_documents([SourceDocument(text=t, title=title, key=title, date="2026-01-01")
                     for title, t in DOCS], corpus="tiny-pack", total=len(DOCS))
    return s


def _verdicts(store: EvidenceStore, claims: list[str], **kw: object) -> list:  # type: ignore[type-arg]
    return verify_claims(claims, Retriever(store), get_verifier(), k=5, packs=["tiny-pack"], **kw)  # type: ignore[arg-type]


def test_the_shipped_head_loads_with_its_operating_point() -> None:
    head = load_head()
    assert head is not None
    assert 0.3 <= head.threshold < 1.0
    assert set(head.calibrator) == {"decisive", "nee"}


def test_an_off_subject_sentence_is_not_evidence(store: EvidenceStore) -> None:
    (v,) = _verdicts(store, [CHRISTMAS])
    assert v.label == NOT_ENOUGH_EVIDENCE
    assert v.on_subject == 0
    assert v.note == "the evidence searched (tiny-pack) holds nothing about Christmas"
    assert all(e.label == "nearest miss" for e in v.evidence)
    island = [e for e in v.evidence if "Christmas Island" in e.quote]
    assert island and island[0].rule == "the evidence is not about Christmas"
    assert island[0].probabilities == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("claim", ["Release.", "Source: The Atlantic.", "Minecraft.", "the price went up."])
def test_fragments_and_claims_naming_nothing_get_no_verdict(store: EvidenceStore, claim: str) -> None:
    (v,) = _verdicts(store, [claim])
    assert v.label == NOT_ENOUGH_EVIDENCE and v.evidence == []
    assert v.note in ("the claim is a fragment, too short to check",
                      "the claim names no one and nothing the evidence could be about")
    assert v.searched[0].startswith("not searched: ")


def test_a_pronoun_subject_in_a_titled_passage_still_supports(store: EvidenceStore) -> None:
    (v,) = _verdicts(store, ["Marie Curie was the first woman to win a Nobel Prize."])
    assert v.label == SUPPORTED, v
    assert v.evidence[0].quote == "She was the first woman to win a Nobel Prize."
    assert v.note == "supported by tiny-pack (as of 2026-01-01)"
    assert 0.5 < v.confidence <= 1.0


def test_evidence_in_another_language_is_not_read(store: EvidenceStore) -> None:
    (v,) = _verdicts(store, ["Berlin is the capital of Germany with 3.7 million inhabitants."])
    assert v.label == NOT_ENOUGH_EVIDENCE
    german = [e for e in v.evidence if "Hauptstadt" in e.quote]
    assert all(e.rule == "the evidence is not in English" for e in german)


def test_evidence_dated_after_the_article_is_marked(store: EvidenceStore) -> None:
    claim = "Marie Curie was the first woman to win a Nobel Prize."
    (v,) = _verdicts(store, [claim], article_date="2020-05-01")
    assert v.label == SUPPORTED
    assert v.evidence[0].after_article
    assert v.note is not None and v.note.endswith("the evidence is dated after the article")
    (w,) = _verdicts(store, [claim], article_date="2026-06-01")
    assert not w.evidence[0].after_article


def test_an_empty_store_says_it_holds_nothing(tmp_path: Path) -> None:
    empty = EvidenceStore(tmp_path / "empty", create=True)
    try:
        (v,) = verify_claims(["Marie Curie won the Nobel Prize in Physics."], Retriever(empty),
                             get_verifier(), packs=["empty-pack"])
    finally:
        empty.close()
    assert v.label == NOT_ENOUGH_EVIDENCE and v.evidence == []
    assert v.note == "the evidence searched (empty-pack) holds nothing about Marie Curie"


def _auditor(store: EvidenceStore) -> Auditor:
    verify = VerifyStage(Settings(verify_all=True), retriever=Retriever(store), verifier=get_verifier())
    verify._packs = ["tiny-pack"]
    stages = [SegmentStage(), AttributionStage(), SourcesStage(), ClaimsStage(), verify, FindingsStage()]
    return Auditor(stages=stages, given=("text", "links"), check_writes=True)


def test_opinions_are_not_checked_and_coverage_is_stated(store: EvidenceStore) -> None:
    text = (
        "It is shameful that the military continues to censor religious speech in Christmas cards. "
        "Marie Curie was the first woman to win a Nobel Prize. "
        "The Pentagon will ban all Christmas cards next year."
    )
    article = _auditor(store).run(Article(source="<test>", text=text))
    by_text = {c.text.split()[0] + " " + c.text.split()[1]: c for c in article.claims}
    opinion = by_text["It is"]
    assert opinion.verdict is None and opinion.unchecked_reason == "opinion"
    prediction = by_text["The Pentagon"]
    assert prediction.verdict is None and prediction.unchecked_reason == "prediction"
    curie = by_text["Marie Curie"]
    assert curie.verdict is not None and curie.verdict.label == SUPPORTED and curie.unchecked_reason is None
    assert any("not checked: opinion, prediction" in s for s in article.skipped)
    coverage = next(f for f in article.findings if f.code == "evidence_coverage")
    assert coverage.message.startswith("The evidence searched could speak to 1 of the 1 claims checked")
    assert not any(f.code == "refuted_claims" for f in article.findings)
    assert all(c.verdict is None or c.verdict.label != REFUTED for c in article.claims)
