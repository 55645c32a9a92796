"""Merging entities across articles.

Two steps. :func:`mention_sense` decides what one mention stands for, from the article's own
entity (whose name the relations stage already merged within the article: "Musk" → "Elon Musk"),
its type and the words around the mention: a person, an organisation, a place, a government or a
group. Countries and their governments are kept apart ("China" is a place, "the Chinese
government" and "Beijing said" are a government), and so are Washington the city, the state and
the government. :class:`PersonMerger` then merges people across the corpus: the same normalised
full name; a name without a middle initial into the one variant that has one; a bare surname
("Mr Bush", in an article that names no Bush in full) into the full name that dominates the
corpus for that surname. Names that disagree (George W Bush, George H W Bush, George Bush senior)
stay apart, and so does a surname several people share evenly.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from .names import (
    ACTOR_WORDS,
    CAPITALS,
    COUNTRY_OF,
    GOVERNMENT_HEADS,
    GOVERNMENT_METONYMS,
    ORG_SUFFIXES,
    ORG_WORDS,
    PLACE_WORDS,
    POLICY_WORDS,
    SUFFIXES,
    TITLES,
)

__all__ = ["CONTEXT_SCORE", "DOMINANCE", "PersonMerger", "Sense", "mention_sense", "name_tokens"]

#: A bare surname joins the corpus's commonest full name for it when that name holds at least this
#: share of the articles naming someone of that surname in full (else it stays a surname).
DOMINANCE: Final = 0.75
#: A bare surname follows the context of its article to a full name from this score on: the mean
#: number of this article's other entities that each article naming the full name also names.
CONTEXT_SCORE: Final = 0.5
_ADMINISTRATION = re.compile(r"^(?:['’]s)?\s+administration\b", re.I)
_FIRM = re.compile(r"^\s+(?:and|&)\s+([A-Z][a-z]+)\b(?!\s+[A-Z][a-z]+\s+(?:said|says|met)\b)")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Sense:
    """What a mention stands for: ``kind`` (person, organisation, place, government, group) and a
    normalised ``key``; entities with the same (kind, key) are one."""

    kind: str
    key: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def name_tokens(name: str) -> list[str]:
    """Lower-case words of a name: dots, possessives, quotes and punctuation dropped."""
    s = name.lower().replace("’", "'").replace("‘", "'")
    s = re.sub(r"'s\b", "", s)
    s = s.replace(".", " ").replace("-", " ")
    return [w.strip("'") for w in _WORD.findall(s) if w.strip("'")]


def _singular(word: str) -> str:
    """companies → company, firms → firm (a group's head noun, for matching only)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _strip_the(toks: list[str]) -> list[str]:
    return toks[1:] if len(toks) > 1 and toks[0] == "the" else toks


def _strip_titles(toks: list[str]) -> list[str]:
    if toks and toks[0] == "the":
        toks = toks[1:]
    i = 0
    while i < len(toks) - 1 and toks[i] in TITLES:
        i += 1
    return toks[i:]


def _country(toks: list[str]) -> str | None:
    """The country a run of words names (``["chinese"]``, ``["the", "us"]``, ``["north", "korean"]``)."""
    joined = " ".join(toks)
    if joined in COUNTRY_OF:
        return COUNTRY_OF[joined]
    for n in (3, 2, 1):
        for i in range(len(toks) - n + 1):
            c = COUNTRY_OF.get(" ".join(toks[i : i + n]))
            if c:
                return c
    return None


def _capital_sense(text: str, start: int, end: int, capital: str) -> Sense:
    """Washington the city, the state, or the government, from the words around the mention."""
    before = name_tokens(text[max(0, start - 30) : start])
    raw_after = text[end : end + 40]
    after = name_tokens(raw_after)
    if capital == "washington":
        if (after[:1] == ["state"]) or before[-2:] == ["state", "of"]:
            return Sense("place", "washington state")
        if after[:1] in (["dc"], ["d"]) or re.match(r"^,?\s*D\.?\s?C\b", raw_after):
            return Sense("place", "washington dc")
    city = "washington dc" if capital == "washington" else capital
    if before and before[-1] in PLACE_WORDS:
        return Sense("place", city)
    possessive = raw_after[:2] in ("'s", "’s")
    if possessive and after and after[0] in POLICY_WORDS:
        return Sense("government", CAPITALS[capital])
    if not possessive and after and after[0] in ACTOR_WORDS:
        return Sense("government", CAPITALS[capital])
    return Sense("place", city)


def mention_sense(text: str, start: int, end: int, name: str, etype: str) -> Sense | None:
    """What the mention ``text[start:end]`` of the article entity ``name`` (type ``etype``: person,
    organisation, country, group) stands for; None when no word of it is left to key on."""
    toks = name_tokens(name)
    if not toks:
        return None
    plain = " ".join(t for t in toks if t != "the")
    if plain in GOVERNMENT_METONYMS:
        return Sense("government", GOVERNMENT_METONYMS[plain])
    if etype == "person" and toks[-1] in ORG_WORDS:  # "the George W. Bush Presidential Center"
        etype = "organisation"
    if etype == "person":
        if name.islower():  # "in the bush": a common noun the NER model took for a name
            return None
        toks = _strip_titles(toks)
        if toks and _ADMINISTRATION.match(text[end : end + 20]):  # "the Bush administration"
            return Sense("government", f"{toks[-1]} administration")
        firm = _FIRM.match(text[end : end + 40]) if len(toks) == 1 else None
        if firm:  # "Brown and Williamson", "Marks & Spencer": a firm named after its founders
            return Sense("organisation", f"{toks[0]} and {firm.group(1).lower()}")
        return Sense("person", " ".join(toks)) if toks else None
    if etype == "organisation":
        toks = [t for t in _strip_the(toks) if t not in ORG_SUFFIXES] or toks
        country = COUNTRY_OF.get(" ".join(toks))
        if country and " ".join(toks) in ("eu", "e u", "european union", "un", "u n", "united nations"):
            return Sense("organisation", country)
        return Sense("organisation", " ".join(toks))
    if etype == "group":
        toks = _strip_the(toks)
        if " ".join(toks) in COUNTRY_OF and COUNTRY_OF[" ".join(toks)] == " ".join(toks):
            return Sense("place", " ".join(toks))  # "the United States" tagged as a group
        if toks and toks[-1] in GOVERNMENT_HEADS:
            country = _country(toks[:-1])
            if country:
                return Sense("government", country)
        key = [COUNTRY_OF.get(t, t) for t in toks]
        if key and toks[-1] not in COUNTRY_OF:
            key[-1] = _singular(key[-1])
        return Sense("group", " ".join(key)) if key else None
    # A place (the relations stage calls every GPE a "country": cities and states included).
    mention = " ".join(name_tokens(text[start:end])) or plain
    capital = mention if mention in CAPITALS else (plain if plain in CAPITALS else None)
    if capital is not None:
        return _capital_sense(text, start, end, capital)
    return Sense("place", COUNTRY_OF.get(plain, plain))


# ------------------------------------------------------------------------------ people


def _parts(key: str) -> tuple[str, tuple[str, ...], str, str]:
    """(first, middles, last, suffix) of a normalised person key."""
    toks = key.split()
    suffix = ""
    if len(toks) > 1 and toks[-1] in SUFFIXES:
        suffix = SUFFIXES[toks[-1]]
        toks = toks[:-1]
    if len(toks) == 1:
        return "", (), toks[0], suffix
    return toks[0], tuple(toks[1:-1]), toks[-1], suffix


class PersonMerger:
    """Collects person keys with the articles naming them (and the other entities each article
    names), then maps each (key, article) to its corpus key.

    A bare surname is resolved per article: to the full name of that surname whose articles share
    the most context with this one (the other people, places and organisations named), when that
    context clearly points at one (:data:`CONTEXT_SCORE`, twice the runner-up); else to the full
    name that dominates the corpus for that surname (:data:`DOMINANCE`); else it stays a surname.
    """

    def __init__(self, dominance: float = DOMINANCE) -> None:
        self.dominance = dominance
        self.articles: dict[str, set[str]] = defaultdict(set)
        self.context: dict[str, set[str]] = {}

    def add(self, key: str, article: str, context: Iterable[str] = ()) -> None:
        self.articles[key].add(article)
        self.context.setdefault(article, set()).update(context)

    def _full_names(self) -> dict[str, str]:
        out = {k: k for k in self.articles}
        families: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for k in self.articles:
            first, _, last, suffix = _parts(k)
            if first:
                families[(first, last, suffix)].append(k)
        # "George Bush" → "George W Bush" when that is the only variant with middle names.
        for keys in families.values():
            with_middle = [k for k in keys if _parts(k)[1]]
            for k in keys:
                if not _parts(k)[1] and len(with_middle) == 1:
                    out[k] = with_middle[0]
        return out

    def resolve(self) -> dict[tuple[str, str], str]:
        """(key, article) → the key it merges into (its own key when it stays apart)."""
        full = self._full_names()
        by_last: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for k, arts in self.articles.items():
            first, _, last, suffix = _parts(k)
            if first:
                by_last[(last, suffix)][full[k]].update(arts)
        out: dict[tuple[str, str], str] = {}
        for k, arts in self.articles.items():
            first, _, last, suffix = _parts(k)
            cands = by_last.get((last, suffix)) if not first else None
            for art in arts:
                out[(k, art)] = full[k] if first else (self._bare(k, art, cands) if cands else k)
        return out

    def _bare(self, key: str, article: str, cands: dict[str, set[str]]) -> str:
        here = self.context.get(article, set()) - {f"person:{key}", *(f"person:{c}" for c in cands)}
        scores: list[tuple[float, str]] = []
        for cand, arts in cands.items():
            others = [a for a in arts if a != article]
            if not others or not here:
                scores.append((0.0, cand))
                continue
            counts: Counter[str] = Counter(x for a in others for x in self.context.get(a, ()))
            scores.append((sum(counts[x] for x in here) / len(others), cand))
        scores.sort(reverse=True)
        best, name = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        if best >= CONTEXT_SCORE and best >= 2 * runner_up:
            return name
        sizes = {c: len(a) for c, a in cands.items()}
        top = max(sizes, key=lambda c: (sizes[c], c))
        return top if sizes[top] / sum(sizes.values()) >= self.dominance else key
