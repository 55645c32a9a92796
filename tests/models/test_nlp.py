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
