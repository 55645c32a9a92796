from __future__ import annotations

import pytest

from factaudit.document import FACT_CHECK_RATINGS
from factaudit.factchecks.ratings import normalise_rating, rating_from_value


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("False", "false"),
        ("Pants on Fire!", "false"),
        ("mostly-false", "mostly false"),
        ("Mostly True", "mostly true"),
        ("Mixture", "mixed"),
        ("Half True", "mixed"),
        ("TRUE", "true"),
        ("Unproven", "unproven"),
        ("Falso", "false"),
        # not a truth scale: "other", the publisher's word is kept beside it
        ("Miscaptioned", "other"),
        ("Legend", "other"),
        ("Outdated", "other"),
        ("Misattributed", "other"),
        ("Scam", "other"),
        ("Correct Attribution", "other"),
        ("correct-attribution", "other"),
        ("Labeled Satire", "other"),
        ("something we have never seen", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_publishers_words_map_onto_one_scale(word: str | None, expected: str) -> None:
    assert normalise_rating(word) == expected
    assert normalise_rating(word) in FACT_CHECK_RATINGS


def test_numeric_ratings_are_placed_between_worst_and_best() -> None:
    assert rating_from_value(1, 1, 5) == "false"
    assert rating_from_value(2, 1, 5) == "mostly false"
    assert rating_from_value(3, 1, 5) == "mixed"
    assert rating_from_value(5, 1, 5) == "true"
    assert rating_from_value(7, 1, 5) == "other"
    assert rating_from_value(3, 3, 3) == "other"
