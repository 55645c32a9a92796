"""Hedge cues and modality read straight from a parse (the attribution stage's own tests cover them
in context)."""

from __future__ import annotations

from factaudit.hedging import hedges_in, modality_of
from factaudit.models.nlp import get_nlp


def _cues(text: str) -> list[tuple[str, str]]:
    doc = get_nlp()(text)
    return [(h.cue, h.kind) for h in hedges_in(doc[:], 0, 0, len(text))]


def test_cue_kinds_and_offsets() -> None:
    text = "The plan could reportedly cost billions and appears to be likely to fail."
    doc = get_nlp()(text)
    got = hedges_in(doc[:], 100, 100, 100 + len(text))
    assert [(h.cue, h.kind) for h in got] == [
        ("could", "modal"), ("reportedly", "evidential"), ("appears", "verb"), ("likely", "adverb")
    ]
    assert all(text[h.start - 100 : h.end - 100] == h.cue for h in got)
    # Outside [start, end): not this statement's.
    assert hedges_in(doc[:], 0, 0, 8) == []


def test_not_hedges() -> None:
    assert _cues("Naismith nailed peach baskets to the balcony so students could play indoors.") == []
    assert _cues("Fast moving phone bugs appear.") == []
    assert _cues("We do not believe the deal will close in March.") == []
    # A modal in a reason or time clause hedges that clause, not the statement.
    assert _cues("Some wanted to delay the raid by one day because the dinner might be disrupted.") == []
    assert _cues("The plan could cost billions because prices may rise.") == [("could", "modal")]
    # An embedded question, a negated expectation.
    assert _cues("I asked if they could crunch the numbers.") == []
    assert _cues("They would press Labour over whether objectives could be met.") == []
    assert _cues("They never expected the American People to rise up.") == []
    assert _cues("Analysts expect the deal to close in March.") == [("expect", "verb")]
    # An adjective that modifies a noun is no hedge, unless it is an evidential one.
    assert _cues("The number of possible scenarios is infinite.") == []
    assert _cues("He gave a green light to a possible Russian invasion.") == []
    assert _cues("It is possible that the plan fails.") == [("possible", "adjective")]
    assert _cues("The alleged bribe was paid in 2015.") == [("alleged", "adjective")]
    # A modal in a relative clause describes something; the statement is not hedged by it ...
    assert _cues("We did everything we could have done to win the game.") == []
    assert _cues("Officials said the drug, which may cause cancer, was withdrawn.") == []
    # ... unless that clause is what the statement says.
    assert _cues("The move is one that might have prevented the war.") == [("might", "modal")]


def test_proposals_inability_and_doubt() -> None:
    # "suggest" as put forward is a proposal, not a hedge; as indicate it hedges
    assert _cues("The watchdog suggests increasing state funding for parties.") == []
    assert _cues("The watchdog suggests there should be tax relief for small gifts.") == []
    assert _cues("I suggest the broadcaster concentrates on the issues.") == []
    assert _cues("The data suggests that the economy is slowing.") == [("suggests", "verb")]
    assert _cues("Polls suggest Clinton leads by four points.") == [("suggest", "verb")]
    # "couldn't" is inability; a speaker's own doubt hedges
    assert _cues("We tried to find it, but we couldn't.") == []
    assert _cues("As far as I know, the papers had the same result.") == [("As far as I know", "adverb")]
    assert _cues("I am not sure it can last too long.") == [("not sure", "adjective")]
    assert _cues("We are unsure whether the tax works.") == [("unsure", "adjective")]
    assert _cues("I am sure it will pass.") == []


def test_hedges_of_background_clauses_are_not_the_statements() -> None:
    # Real articles outside the gold set (BBC business 163, 274; politics 031, 115; Horne real/1010,
    # real/173, satire/265): the cue qualifies a noun's complement, a relative clause or a reason.
    assert _cues("The economic figures come on the back of increased fears that the Federal Reserve "
                 "chairman may be about to raise interest rates.") == []
    assert _cues("The central bank was on guard against the possibility that a rebounding economy could "
                 "trigger stronger inflation pressures.") == []
    assert _cues("Settlements make it harder to negotiate a separate Palestinian state, which the "
                 "administration believes is crucial to a lasting peace.") == []
    assert _cues("The findings are based on the assumption that those who tend to exceed the limit "
                 "slightly would also lower their drinking.") == []
    assert _cues("News of the review was released because it was thought Mr Blunkett would make the "
                 "official announcement.") == []
    assert _cues("The attention-grabbing invitation, which was widely seen as retaliation for the "
                 "decision, sparked howls of protest from Republicans.") == []
    assert _cues("This election represents a movement that millions of men and women stood behind and "
                 "made possible.") == []
    assert ("expected", "verb") not in _cues("The weaker than expected growth figure makes a rise less "
                                             "likely.")
    # the statement's own frame hedges it however backgrounded the frame is in the sentence
    # (BBC politics 410, a gold claim: "English Manner Limited charged clients ...")
    text = ("The inquiry was launched after the Sunday Times alleged English Manner Limited charged "
            "clients for access to Westminster.")
    doc = get_nlp()(text)
    start = text.index("the Sunday")  # the attributed statement: its frame and content
    assert [h.cue for h in hedges_in(doc[:], 0, start, len(text))] == ["alleged"]
    assert _cues("Many fear it could spark violence.") == [("fear", "verb"), ("could", "modal")]


def test_modality() -> None:
    def mod(text: str, category: str = "author") -> str:
        doc = get_nlp()(text)
        return modality_of(category, doc[:], 0, 0, len(text))

    assert mod("The ban will go into effect on December 15.") == "prediction"
    assert mod("The government should resign.") == "opinion"
    assert mod("The ban went into effect on December 15.") == "factual"
    assert mod("The ban went into effect on December 15.", "opinion") == "opinion"


def test_estimates_and_reports_with_no_source_hedge() -> None:
    # The gold guidelines list "estimated"; the gold set marks "there are reports" / "there is talk".
    assert _cues("Sales were estimated at 5m last year.") == [("estimated", "evidential")]
    assert _cues("He spoke to an estimated crowd of 100,000 fans.") == [("estimated", "adjective")]
    assert _cues("There are reports that the chancellor is to revise his plans.") == [("reports", "noun")]
    assert _cues("There is talk that the firm will close.") == [("talk", "noun")]
    # a report as a topic or a source hedges nothing
    assert _cues("There were reports of a fire at the plant.") == []
    assert _cues("The reports said the firm would close.") == []


def test_seems_as_though_and_looked_as_if_hedge() -> None:
    # Reader E on a Horne fake and BBC business (pack 7006), reworded
    assert _cues("It seems as though the money was wasted.") == [("seems", "verb")]
    assert _cues("The deal looked as if it would fail.") == [("looked", "verb")]
    # a manner of looking or leaving hedges nothing
    assert _cues("He looked at the plan as if it were a map.") == []
    assert _cues("He left as if nothing had happened.") == []
