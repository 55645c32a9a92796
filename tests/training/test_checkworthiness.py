"""Check-worthiness training helpers that need no torch."""

from __future__ import annotations

import numpy as np

from factaudit.training.checkworthiness import previous_sentences


def test_previous_sentences_stay_inside_a_debate_and_close_by() -> None:
    # CT24 ids hold many debates; 1,004 opens a new one, so 1,003 → 1,004 crosses debates, and
    # 5 → 9 is too far apart.
    texts = ["a b c", "d e f", "g h", "i j k", "l m"]
    ids = np.array([5, 4, 9, 1003, 1004])
    assert previous_sentences(texts, ids) == ["d e f", "", "", "", ""]
    assert previous_sentences(["one two three four", "five"], np.array([100, 101]), words=2) == [
        "", "three four"]
