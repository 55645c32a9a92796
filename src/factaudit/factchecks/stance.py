"""Does the article repeat a fact-checked claim, or report it in order to debunk it?

A sentence that calls the claim false, a hoax, a myth, debunked, baseless or without evidence (or
says someone claimed it *falsely*) reports it to refute it: ``debunks``. Cue words that the
fact-check's own claim contains ("… said the pandemic was a hoax") are not counted: they are part
of the claim, not the article's judgement of it. Otherwise the article states or relays the claim:
``repeats``.
"""

from __future__ import annotations

import re

__all__ = ["DEBUNK_CUES", "stance"]

DEBUNK_CUES = re.compile(
    r"\b(?:false(?:ly)?|falsehoods?|untrue|not true|hoax(?:es)?|myths?|debunk\w*|baseless|unfounded|"
    r"no evidence|without evidence|unsubstantiated|fake news|fabricat\w+|misinformation|"
    r"disinformation|conspiracy theor\w+|wrongly|erroneous(?:ly)?|rumou?rs?|lies|lying|"
    r"fact[- ]check\w*|discredited|bogus|not supported by|contrary to)\b",
    re.IGNORECASE,
)


def stance(sentence: str, claim_reviewed: str) -> str:
    """``debunks`` or ``repeats`` (see the module docstring)."""
    own = {m.group(0).lower() for m in DEBUNK_CUES.finditer(claim_reviewed)}
    for m in DEBUNK_CUES.finditer(sentence):
        if m.group(0).lower() not in own:
            return "debunks"
    return "repeats"
