"""Who a he / his / she / her refers to — only when the article makes it certain.

Shared by attribution (pronoun holders: "he said") and claims (pronouns inside a claim). Wrong
resolution invents claims ("Bush was overridden during *Obama's* two terms"), so the rule is strict:

- a pronoun inside a quotation is the speaker's, never resolved to the narrator's people;
- candidates are the people named earlier in the same sentence, else in the nearest earlier
  sentence that names anyone (in the paragraph; for a paragraph's first two sentences also the
  paragraph or FAQ question before it); quoted words are not candidates;
- exactly one candidate, agreeing in gender where the article tells it (Mr./Mrs., or an earlier
  certain resolution), resolves; two or more is no answer.

Names are compared by full name: a surname the article gives in full elsewhere ("Musk" → "Elon
Musk") counts as that person, also where NER misses it ("Musk’s" with a curly apostrophe).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import Article

__all__ = ["PERSONAL_PRONOUNS", "People", "preceding_docs", "quoted_tokens"]

#: Third-person personal pronouns that may be resolved, with their grammatical gender.
PERSONAL_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
HONORIFICS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lady": "f", "dame": "f"}
_QUOTE_MARKS = {"“": 1, "”": -1, '"': 0}


def quoted_tokens(doc: Any) -> set[int]:
    """Token indices inside quotation marks (curly pairs nest; straight quotes toggle)."""
    inside: set[int] = set()
    depth = 0
    straight = False
    for tok in doc:
        mark = _QUOTE_MARKS.get(tok.text)
        if mark == 1:
            depth += 1
        elif mark == -1:
            depth = max(0, depth - 1)
        elif mark == 0:
            straight = not straight
        elif depth or straight:
            inside.add(tok.i)
    return inside


def preceding_docs(article: Article, n: int = 3) -> dict[str, list[Any]]:
    """Block id → the parsed text a block's first sentences may point back to, nearest first: an
    FAQ answer's question, else up to ``n`` blocks before it (news paragraphs often open with "He
    said ...", and a quotation can run over several paragraphs before its "he added")."""
    out: dict[str, list[Any]] = {}
    ids = [b.id for b in article.blocks]
    for i, block in enumerate(article.blocks):
        earlier = [block.question_id] if block.question_id else list(reversed(ids[max(0, i - n) : i]))
        out[block.id] = [docs[-1][1] for bid in earlier if (docs := article.nlp.get(bid or "", []))]
    return out


@dataclass
class People:
    """The article's people, for certain pronoun resolution (one per Article; built by a stage call)."""

    #: Surname → full name, for every multi-word PERSON the article names.
    aliases: dict[str, str] = field(default_factory=dict)
    #: Full name → "m" / "f", from honorifics and certain resolutions.
    gender: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, article: Article) -> People:
        """The people of an analysed Article (its cached spaCy docs)."""
        return cls.of_docs(doc for chunks in article.nlp.values() for _, doc in chunks)

    @classmethod
    def of_docs(cls, docs: Iterable[Any]) -> People:
        people = cls()
        for doc in docs:
            for ent in doc.ents:
                if ent.label_ != "PERSON":
                    continue
                if len(ent) >= 2:
                    people.aliases.setdefault(ent[-1].text, ent.text)
                if ent.start > 0:
                    title = doc[ent.start - 1].lower_.rstrip(".")
                    if title in HONORIFICS:
                        people.gender.setdefault(people.full_name(ent), HONORIFICS[title])
        return people

    def full_name(self, mention: Any) -> str:
        text = str(mention.text)
        for suffix in ("’s", "'s"):
            text = text.removesuffix(suffix)
        return self.aliases.get(text, text) if " " not in text else text

    def mentions(self, doc: Any, lo: int, hi: int, skip: Iterable[int] = ()) -> list[tuple[str, Any]]:
        """Distinct people named in tokens [lo, hi) outside ``skip``: (full name, last mention)."""
        skipped = set(skip)
        found: list[Any] = [e for e in doc.ents if e.label_ == "PERSON" and lo <= e.start and e.end <= hi]
        in_ents = {t.i for e in doc.ents for t in e}
        for t in doc[lo:hi]:
            if t.pos_ != "PROPN" or t.i in in_ents or t.dep_ == "compound":
                continue
            # A surname the article names in full elsewhere, or a proper noun NER left unlabelled
            # ("Naismith had no idea his invention ..."): a possible person, so a candidate — it
            # resolves a pronoun when it is the only one, and blocks a guess when it is not.
            first = min([t.i, *(c.i for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN")])
            found.append(doc[first : t.i + 1])
        seen: dict[str, Any] = {}
        for m in sorted(found, key=lambda e: e.start):
            if m.start in skipped:
                continue
            name = self.full_name(m)
            seen.pop(name, None)
            seen[name] = m
        return list(seen.items())

    def _windows(self, doc: Any, upto: int, n: int = 2) -> list[list[tuple[str, Any]]]:
        sents = [s for s in doc.sents if s.end <= upto]
        quoted = quoted_tokens(doc)
        return [self.mentions(doc, s.start, s.end, quoted) for s in reversed(sents[-n:])]

    def referent(self, tok: Any, prev_docs: Sequence[Any] = ()) -> tuple[str, Any] | None:
        """``(full name, mention)`` the pronoun ``tok`` certainly refers to, or None.

        ``prev_docs``: the paragraphs before the pronoun's, nearest first (see :func:`preceding_docs`).
        """
        low = tok.lower_
        if low not in PERSONAL_PRONOUNS:
            return None
        doc = tok.doc
        quoted = quoted_tokens(doc)
        if tok.i in quoted:
            return None
        gender = PERSONAL_PRONOUNS[low]
        sent = tok.sent
        windows = [self.mentions(doc, sent.start, tok.i, quoted)]
        windows += self._windows(doc, sent.start)
        if len([s for s in doc.sents if s.end <= sent.start]) < 2:
            for earlier in prev_docs:
                windows += self._windows(earlier, len(earlier))
        for people in windows:
            if not people:
                continue
            agreeing = [(n, m) for n, m in people if self.gender.get(n, gender) == gender]
            if len(people) == 1 and len(agreeing) == 1:
                self.gender.setdefault(agreeing[0][0], gender)
                return agreeing[0]
            return None  # the nearest window that names anyone names several: not certain
        return None
