"""Fact-checkers' ratings on one scale (:data:`factaudit.document.FACT_CHECK_RATINGS`).

Publishers word their ratings freely ("Mostly False", "mostly-false", "Pants on Fire!", "Four
Pinocchios", "Miscaptioned"). :func:`normalise_rating` maps a word to false, mostly false, mixed,
mostly true, true or unproven; ratings that are not a truth scale (miscaptioned, legend, outdated,
misattributed, scam, correct attribution, satire, ...) and words it does not know map to ``other``
(the entry keeps the publisher's word). A numeric ``ratingValue`` between ``worstRating`` and
``bestRating`` is placed on the five truth steps by :func:`rating_from_value`.
"""

from __future__ import annotations

import re

from ..document import FactCheckRating

__all__ = ["FALSE_LIKE", "TRUE_LIKE", "normalise_rating", "rating_from_value"]

#: Normalised ratings that say the claim is wrong / right (what ``conflicts_with_verdict`` compares).
FALSE_LIKE: frozenset[FactCheckRating] = frozenset({"false", "mostly false"})
TRUE_LIKE: frozenset[FactCheckRating] = frozenset({"true", "mostly true"})

_EXACT: dict[str, FactCheckRating] = {
    "false": "false", "fake": "false", "incorrect": "false", "wrong": "false", "not true": "false",
    "untrue": "false", "pants on fire": "false", "four pinocchios": "false", "hoax": "false",
    "fabricated": "false", "fabrication": "false", "baseless": "false", "debunked": "false",
    "totally false": "false", "completely false": "false", "inaccurate": "false", "bogus": "false",
    "fiction": "false", "no evidence": "false", "falso": "false", "faux": "false", "falsch": "false",
    "mostly false": "mostly false", "largely false": "mostly false", "three pinocchios": "mostly false",
    "mostly inaccurate": "mostly false", "misleading": "mostly false", "exaggerated": "mostly false",
    "exaggeration": "mostly false", "distorts the facts": "mostly false", "mostly fake": "mostly false",
    "half true": "mixed", "mixture": "mixed", "mixed": "mixed", "half right": "mixed",
    "partly true": "mixed", "partly false": "mixed", "partially true": "mixed", "partially false": "mixed",
    "two pinocchios": "mixed", "half-truth": "mixed", "half truth": "mixed", "needs context": "mixed",
    "lacks context": "mixed", "missing context": "mixed", "cherry picks": "mixed", "mixed bag": "mixed",
    "mostly true": "mostly true", "largely true": "mostly true", "mostly accurate": "mostly true",
    "one pinocchio": "mostly true", "mostly correct": "mostly true", "largely accurate": "mostly true",
    "true": "true", "correct": "true", "accurate": "true", "verified": "true", "confirmed": "true",
    "geppetto checkmark": "true", "real": "true", "verdadero": "true", "vrai": "true", "richtig": "true",
    "unproven": "unproven", "unverified": "unproven", "unsupported": "unproven",
    "unsubstantiated": "unproven", "research in progress": "unproven", "unknown": "unproven",
    "undetermined": "unproven", "no evidence either way": "unproven", "inconclusive": "unproven",
    "not proven": "unproven", "unclear": "unproven", "disputed": "unproven",
}
#: Ratings about something other than the claim's truth: "other", keeping the publisher's word.
_OTHER = {"miscaptioned", "legend", "outdated", "misattributed", "scam", "correct attribution",
          "satire", "labeled satire", "originated as satire", "recall", "lost legend", "opinion",
          "not a claim", "flip", "full flop", "half flip", "no flip", "in the green", "in the red"}
_PREFIXES: tuple[tuple[str, FactCheckRating], ...] = (
    ("mostly false", "mostly false"), ("mostly true", "mostly true"), ("half true", "mixed"),
    ("partly false", "mixed"), ("partly true", "mixed"), ("false", "false"), ("true", "true"),
)


def _clean(word: str) -> str:
    w = re.sub(r"[_\-–—/]+", " ", word.lower())
    w = re.sub(r"[^\w\s']+", " ", w)
    return " ".join(w.split())


def normalise_rating(word: str | None) -> FactCheckRating:
    """The rating on the one scale (``other`` for non-truth-scale or unknown words)."""
    if not word:
        return "other"
    w = _clean(str(word))
    if w in _EXACT:
        return _EXACT[w]
    if w in _OTHER:
        return "other"
    for prefix, label in _PREFIXES:
        if w.startswith(prefix + " ") or w.endswith(" " + prefix):
            return label
    return "other"


def rating_from_value(value: float, worst: float = 1.0, best: float = 5.0) -> FactCheckRating:
    """A numeric rating placed on false → mostly false → mixed → mostly true → true."""
    if best == worst:
        return "other"
    pos = (float(value) - worst) / (best - worst)
    if not 0.0 <= pos <= 1.0:
        return "other"
    steps: tuple[FactCheckRating, ...] = ("false", "mostly false", "mixed", "mostly true", "true")
    return steps[min(4, round(pos * 4))]
