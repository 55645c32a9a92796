"""The subject test a claim match must pass (factaudit.factchecks.subjects), on real claims.

The article sentences are from Horne & Adali 2017's BuzzFeed political news set (research use,
short excerpts), the fact-check claims from the shipped Snopes library."""

from __future__ import annotations

from factaudit.factchecks.subjects import mentioned, subject_names, subjects_conflict

LEWINSKY = "Monica Lewinsky has announced she's voting for Hillary Clinton."


def test_a_fact_check_of_another_persons_claim_is_a_conflict() -> None:
    # Horne real/133: both scored as the same claim by the cross-encoder (0.74, 0.78)
    why = subjects_conflict(["In August, Mr. Hanna became the first Republican member of Congress to "
                             "announce that he would vote for Hillary Clinton."], LEWINSKY)
    assert why == "the fact-check is about Monica Lewinsky; the claim about Hanna"
    assert subjects_conflict(["An earlier version of this graphic erroneously indicated that Marc F. "
                              "Racicot is voting for Hillary Clinton."], LEWINSKY)


def test_the_same_person_named_anywhere_in_the_other_text_is_no_conflict() -> None:
    # Horne fake/36: the fact-check's subject reports it, the claim's subject is in it
    assert subjects_conflict(["Donald Trump grabbed his ass and genitals during a party in 1995."],
                             "Famous drag queen RuPaul claimed he was groped by Donald Trump at a party in "
                             "1995.") is None
    assert subjects_conflict(["Asked what might be in there, Romney referred to a months-ago comment by "
                              "Trump that he could not lose support if he shot someone on Fifth Avenue."],
                             "Donald Trump claimed he could \"stand in the middle of Fifth Avenue and shoot "
                             "somebody\" and not \"lose any voters.\"") is None
    # a pronoun subject names no one: no conflict (Horne fake/32)
    assert subjects_conflict(["He will NOT vacate the Oval office if Donald J. Trump is elected."],
                             "President Obama has announced he'll refuse to leave office if Donald Trump is "
                             "elected President.") is None
    assert subjects_conflict([LEWINSKY], LEWINSKY) is None


def test_a_subjects_modifiers_name_no_subject() -> None:
    names = subject_names("Many of the countries that gave money to the Clinton Foundation want war.")
    assert not any("Clinton" in n for n, _ in names)
    assert ("Monica Lewinsky", "PERSON") in subject_names(LEWINSKY)


def test_mentions_are_read_loosely() -> None:
    assert mentioned("Mexico", "In 2014, Mexican authorities arrested a U.S. Marine.")
    assert mentioned("U.S.", "America has more governors who have worn blackface than black governors.")
    assert mentioned("Fox News Channel", "@FoxNews is banned in Australia.")
    assert mentioned("Sen. Chuck Schumer", "@CharlesSchumer quote: candidates ... are unfit.")
    assert not mentioned("Ukraine", "Saudi Arabia gave money to the Clinton Foundation.")
    assert not mentioned("Mr. Li", "Mr. Hanna said so.")
