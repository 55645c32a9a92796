"""Relevance before entailment: whole-name matching and the relevance rules (no model needed)."""

from __future__ import annotations

import pytest

from factaudit.relevance import (
    claim_names,
    claim_problem,
    is_english,
    name_matches,
    relevance_rule,
    value_judgement,
)

CHRISTMAS_CLAIM = (
    "It is shameful that the military continues to censor religious speech in Christmas cards sent to "
    "troops overseas."
)


@pytest.mark.parametrize(
    ("name", "span", "match"),
    [
        (("obama",), ("barack", "obama"), True),  # a surname is the person
        (("barack", "obama"), ("obama",), True),
        (("penelope", "cruz"), ("cruz",), True),
        (("christmas",), ("christmas", "island"), False),  # "Christmas" is not "Christmas Island"
        (("christmas", "island"), ("christmas",), False),
        (("apple", "inc"), ("apple",), True),  # designators dropped
        (("europe",), ("european",), True),  # a single-word stem
        (("paris",), ("paris",), True),
        (("berlin",), ("bavaria",), False),
    ],
)
def test_names_match_as_whole_names(name: tuple[str, ...], span: tuple[str, ...], match: bool) -> None:
    assert name_matches(name, span) is match


def test_claim_names_skip_sentence_openers_and_mark_weak_first_words() -> None:
    names = claim_names("It is shameful that the Pentagon censors Christmas cards.")
    assert [n.text for n in names] == ["Pentagon", "Christmas"]
    assert not any(n.weak for n in names)
    first = claim_names("Paris is the capital of France.")
    assert [(n.text, n.weak) for n in first] == [("Paris", True), ("France", False)]
    assert claim_names("Penélope Cruz refused to model for L'Oréal.")[0].tokens == ("penelope", "cruz")
    # a possessive is not part of the name a report shows ("holds nothing about Musk’s" on the seed)
    seed = claim_names("In terms of [Musk’s] connection with Russia, Tesla has developed partnerships.")
    assert [n.text for n in seed] == ["Musk", "Russia", "Tesla"]
    other = claim_names("It said James' house was sold to Tesla's founder.")
    assert [n.text for n in other] == ["James", "Tesla"]


@pytest.mark.parametrize(
    ("claim", "sentence", "title", "status"),
    [
        # the example: a sentence about another thing that happens to share a word
        (CHRISTMAS_CLAIM, "Natural resources of Christmas Island: phosphate, beaches.", "Christmas Island",
         "off_subject"),
        ("Barack Obama was born in Hawaii.", "Obama was born in Honolulu.", "Barack Obama", "about"),
        # a pronoun resolved to its passage title
        ("Marie Curie won the Nobel Prize in 1903.", "She shared the Nobel Prize in Physics in 1903.",
         "Marie Curie", "about"),
        ("Marie Curie won the Nobel Prize in 1903.", "He was a French chemist.", "Antoine Lavoisier",
         "off_subject"),
        # no title known (evaluation pairs): the reference is unresolved and the head decides
        ("Daggering is associated with death metal.", "It is of recent origin, associated with dancehall.",
         None, "unresolved"),
        # the subject is missing although another name is shared
        ("The capital of Germany is Munich.", "Munich is the capital of Bavaria.", None, "subject_missing"),
        # the page subject counts as mentioned
        ("The capital of Germany is Berlin.", "Berlin is the capital and largest city.", "Germany", "about"),
        ("Paris is the capital of France.", "Die Hauptstadt von Frankreich ist Paris und sie ist sehr alt.",
         "Paris", "other_language"),
        ("Release.", "Minecraft's full release was in November 2011.", "Minecraft", "fragment"),
        ("Source: The Atlantic.", "The Atlantic Ocean is the second-largest ocean.", "Atlantic Ocean",
         "fragment"),
        ("it is raining heavily in the city today.", "Rain is liquid water in the form of droplets.", "Rain",
         "no_names"),
    ],
)
def test_relevance_rule(claim: str, sentence: str, title: str | None, status: str) -> None:
    r = relevance_rule(claim, sentence, title)
    assert r.status == status, r
    assert r.vetoed is (status not in ("about", "unresolved"))
    if r.vetoed:
        assert r.reason


def test_claim_problems_and_language() -> None:
    assert claim_problem("Release.") == "the claim is a fragment, too short to check"
    assert claim_problem("Source: The Atlantic.") == "the claim is a fragment, too short to check"
    assert claim_problem("they said it was going to be very cold and wet.") is not None
    assert claim_problem("Paris is the capital of France.") is None
    assert is_english("Paris is the capital and the largest city of France, with two million people.")
    assert not is_english("Париж является столицей Франции.")
    assert not is_english("Paris ist die Hauptstadt und die größte Stadt Frankreichs mit zwei Millionen.")


@pytest.mark.parametrize(
    ("claim", "reason"),
    [
        (CHRISTMAS_CLAIM, "opinion"),
        ("The government should raise taxes.", "opinion"),
        ("Experts said it should be banned.", "opinion"),
        # BBC politics/128: a "should" in the ministers' reported view, fronted before the claim's own
        # clause, does not make the chancellor's announcement an opinion
        ("In a move ministers say should keep council tax rises below 5% next year, the chancellor said he "
         "was providing an extra £1bn for local councils.", None),
        ("Paris is the capital of France.", None),
    ],
)
def test_value_judgements(claim: str, reason: str | None) -> None:
    assert value_judgement(claim) == reason


def test_a_claim_whose_subject_is_an_unresolved_pronoun_gets_no_verdict() -> None:
    # Horne 2017 (random satire/293, an interview): "Me: The telephone. That was invented by
    # Alexander Graham Bell." came out SUPPORTED 0.88 from Bell's page, about a "that" the claim
    # does not name.
    assert claim_problem("That was invented by Alexander Graham Bell.") == (
        "the claim's subject (“That”) is not named in it")
    assert claim_problem("She also visited Paris in May.") is not None
    for fine in ("This year Apple sold 10m phones.", "That Obama was born in Kenya is false.",
                 "It is estimated that 10 people died in Paris.", "[Obama] was born in Hawaii.",
                 "Those of us in Texas know it well."):
        assert claim_problem(fine) is None, fine
