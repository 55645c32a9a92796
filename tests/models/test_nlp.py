"""The shared spaCy pipeline: sentence boundaries the parser alone gets wrong."""

from __future__ import annotations

from factaudit.models.nlp import get_nlp


def _sentences(text: str) -> list[str]:
    return [s.text for s in get_nlp()(text).sents]


def test_prose_never_starts_a_sentence_right_after_a_word() -> None:
    # BBC politics/200: the parser split "... with Sunderland | No campaigner Neil Herron."
    text = ("The former police chief, dubbed Robocop for his zero tolerance style, clashed on Thursday with "
            "Sunderland No campaigner Neil Herron. Mr Mallon said an assembly would give local people "
            "more of a say.")
    assert _sentences(text) == [
        "The former police chief, dubbed Robocop for his zero tolerance style, clashed on Thursday with "
        "Sunderland No campaigner Neil Herron.",
        "Mr Mallon said an assembly would give local people more of a say.",
    ]


def test_a_quote_closed_before_its_frame_stays_with_it() -> None:
    assert len(_sentences("“We are in a bad way,” Senator Shelby said. Then he left.")) == 2


def test_text_with_no_full_stop_is_still_split_by_the_parser() -> None:
    # A transcript without punctuation: one unbroken "sentence" would be cut blindly instead.
    text = ("so we went down there and we talked to the people they told us the plant was closing "
            "nobody knew why the managers never came out we waited for hours and then we went home "
            "the next day the gates were locked and the trucks were gone")
    assert len(_sentences(text)) > 1


def test_a_line_break_ends_an_unpunctuated_line_when_the_text_is_not_hard_wrapped() -> None:
    # Horne 2017 (BuzzFeed real/141): a pull quote with no full stop ran into the next sentence.
    text = ("Finding comfort in the notion that their former allies were disdainful, hapless rubes, smug "
            "liberals created a culture animated by that contempt\n"
            "The consequence was a shift in liberalism's intellectual center of gravity. A movement once "
            "fleshed out in union halls and little magazines shifted into universities and major press, "
            "from the center of the country to its cities and elite enclaves.")
    first, second, _ = _sentences(text)
    assert first.rstrip().endswith("that contempt") and second.startswith("The consequence")
    # hard-wrapped prose (short lines) keeps a sentence across its line breaks
    wrapped = ("The committee said on Monday that the report, which runs to 300 pages, would be\n"
               "Published in full next week. It declined to comment further.")
    assert _sentences(wrapped)[0].startswith("The committee") and "Published" in _sentences(wrapped)[0]


def test_no_sentence_starts_at_a_lower_case_word_after_a_quoted_exclamation() -> None:
    # Horne 2017 (random fake/87): the claim became "Mantra was later discredited by DNA ...".
    text = ("The “hands up, don’t shoot!” mantra was later discredited by DNA and autopsy evidence. "
            "St. Louis was hit by riots in August.")
    assert _sentences(text) == ["The “hands up, don’t shoot!” mantra was later discredited by DNA and "
                                "autopsy evidence.", "St. Louis was hit by riots in August."]


def test_a_unit_glued_to_its_number_and_stop_ends_the_sentence() -> None:
    # BBC business/004: "£250m." is one token, so "... a predicted extra £250m. Turnover for the
    # quarter was up 4.3% ..." was one sentence (and one claim held by the analyst).
    assert _sentences("It is a predicted extra £250m. Turnover for the quarter was up 4.3% to £1.97bn. "
                      "He paid 5m. for it.") == [
        "It is a predicted extra £250m.", "Turnover for the quarter was up 4.3% to £1.97bn.",
        "He paid 5m. for it."]
    tok = next(t for t in get_nlp()("It fell 10.7%.") if t.text == "%")
    assert not tok.is_punct  # the sign stays with its number when spans are trimmed
