"""Is a fact-check about someone else? The subject test a claim match must pass.

The cross-encoder scores "Mr. Hanna became the first Republican ... to announce that he would vote
for Hillary Clinton" against "Monica Lewinsky has announced she's voting for Hillary Clinton" as the
same claim (0.74): everything but the person matches. A fact-checker would not call it a match, and
a fact-check of another person's claim is no evidence about this one.

:func:`subjects_conflict` compares the named subjects of the two texts: the entities (people,
places, organisations, groups) heading a grammatical subject in any clause. It reports a conflict
only when both texts have a person (or both a place) as a subject, none of the claim's subjects is
mentioned anywhere in the fact-check, and none of the fact-check's anywhere in the claim. "RuPaul
claimed he was groped by Donald Trump" against "Donald Trump grabbed ..." is no conflict (Trump is
in both), nor is "Romney referred to a comment by Trump that ..." against "Donald Trump claimed ...".

Mentions are compared loosely: any word of three letters or more of the name, the first five letters
of longer words ("Mexican" mentions "Mexico"), the usual names of the US and the UK ("U.S.",
"America", "United States"), and handles and hashtags split at their capitals ("@FoxNews" mentions
"Fox News"). On CheckThat! 2020 train (tweet → verified claim) it turns none of the 226 correct
matches at the threshold into related; on the held-back Horne BuzzFeed articles it removed 2 of 3
wrong matches and no right one (see the claim-matcher model card).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["mentioned", "subject_names", "subjects_conflict"]

#: Entity labels that can be a claim's subject for this test.
_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: A conflict needs subjects of one of these labels on both sides.
_CONFLICTING = frozenset({"PERSON", "GPE"})
#: Dependents whose words are not part of a subject's name: relative clauses, participles, phrases.
_MODIFIERS = frozenset({"relcl", "acl", "prep"})
_ALIASES = (("us", ("u.s.", "u.s", "usa", "u.s.a.", "america", "united states")),
            ("uk", ("u.k.", "britain", "great britain", "united kingdom")))


def _alias_re(names: tuple[str, ...]) -> re.Pattern[str]:
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![a-z.])(?:" + "|".join(map(re.escape, longest_first)) + r")(?![a-z])")


_ALIAS_RES = tuple((key, _alias_re(names)) for key, names in _ALIASES)
_HANDLE = re.compile(r"[@#](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"[a-z_]+")
_SKIP = frozenset({"the", "and", "mr", "mrs", "ms", "dr"})


def _words(text: str) -> set[str]:
    text = _HANDLE.sub(lambda m: _CAMEL.sub(" ", m.group(1)), text)
    low = text.lower().replace("’", "'")
    for key, pattern in _ALIAS_RES:
        low = pattern.sub(f" {key}__ ", low)
    return set(_WORD.findall(low))


def mentioned(name: str, text: str) -> bool:
    """Whether ``text`` mentions ``name`` (loosely: see the module docstring)."""
    words = _words(text)
    for t in _words(name):
        if len(t) < 3 or t in _SKIP:
            continue
        if t in words or (len(t) >= 5 and any(w[:5] == t[:5] for w in words)):
            return True
    return False


@lru_cache(maxsize=4096)
def subject_names(text: str) -> tuple[tuple[str, str], ...]:
    """(name, entity label) of the entities that begin a clause subject anywhere in ``text``, not
    counting the subject's modifiers ("many of the countries that gave money to the Clinton
    Foundation" has no named subject; "Saudi Arabia and many of ..." has Saudi Arabia)."""
    from ..models.nlp import get_nlp

    doc = get_nlp()(text)
    out: list[tuple[str, str]] = []
    for tok in doc:
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        span = {t.i for t in tok.subtree}
        for t in tok.subtree:
            if t.dep_ in _MODIFIERS and t.i != tok.i:
                span -= {d.i for d in t.subtree}
        out.extend((e.text, e.label_) for e in doc.ents if e.label_ in _LABELS and e.start in span)
    return tuple(dict.fromkeys(out))


def subjects_conflict(texts: Sequence[str], claim_reviewed: str) -> str | None:
    """Why the fact-check ``claim_reviewed`` is about another subject than the query ``texts``
    (the claim and its sentence), or None when it may be the same claim."""
    ours = [n for t in texts for n in subject_names(t)]
    theirs = list(subject_names(claim_reviewed))
    if not ({label for _, label in ours} & {label for _, label in theirs} & _CONFLICTING):
        return None
    joined = " ".join(texts)
    if any(mentioned(n, claim_reviewed) for n, _ in ours) or any(mentioned(n, joined) for n, _ in theirs):
        return None
    return (f"the fact-check is about {', '.join(n for n, _ in theirs)}; the claim about "
            f"{', '.join(dict.fromkeys(n for n, _ in ours))}")
