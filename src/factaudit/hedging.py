"""Hedges and modality: how sure a statement is as the article states it, and what kind of
statement it is (factual, opinion, prediction). Read from the parse the attribution stage caches;
shared with it (one home for the cue rules)."""

from __future__ import annotations

from typing import Any

from .document import Hedge, Modality
from .lexicon import (
    ADJ_HEDGES,
    ADVERB_HEDGES,
    BELIEF_FORMS,
    EVALUATIVE,
    EVIDENTIAL_HEDGES,
    FORECAST_HEDGES,
    MODAL_HEDGES,
    NORMATIVE,
    NOUN_HEDGES,
    PASSIVE_HEDGES,
    REPORT_NOUNS,
    VERB_HEDGES,
)

__all__ = ["content_clause", "has_content_clause", "hedges_in", "modality_of"]


def hedges_in(span: Any, base: int, start: int, end: int) -> list[Hedge]:
    """The hedge cues of the statement at [start, end) (article offsets; ``base`` is the parse's
    offset in the article), each with its kind."""
    out: list[Hedge] = []
    for tok in span:
        s = base + tok.idx
        if s < start or s >= end:
            continue
        if tok.dep_ == "oprd" and tok.head.lower_ in ("make", "makes", "made", "making"):
            continue  # "... stood behind and made possible": a result, not a hedge
        if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "than":
            continue  # "the weaker than expected growth figure": a comparison
        low = tok.lower_
        kind = None
        if (
            low in MODAL_HEDGES
            and tok.tag_ == "MD"
            and not purpose_or_result(tok)
            and not in_background_clause(tok)
            and not (low == "could" and any(c.dep_ == "neg" for c in (*tok.head.children, *tok.children)))
        ):
            kind = "modal"  # "could not win" is inability, not hedging
        elif low in EVIDENTIAL_HEDGES:
            kind = "evidential"
        elif low in ADVERB_HEDGES and tok.pos_ in ("ADV", "ADJ"):
            kind = "adverb"
        elif low in ADJ_HEDGES and tok.pos_ == "ADJ" and (tok.dep_ != "amod" or low in _ATTRIBUTIVE_HEDGES):
            # "it is possible that ...", "the alleged fraud"; not "a possible Russian invasion", "the
            # number of possible scenarios": a noun's modifier, not how sure the statement is.
            kind = "adjective"
        elif tok.pos_ == "VERB" and not _backgrounded(tok, base, start, end) and (
            (low in VERB_HEDGES and hedging_verb(tok) and not proposes(tok))
            or (
                low in FORECAST_HEDGES
                and low != "hoped"  # a past hope is narrated (attribution's "hoped"), not hedged
                and any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
                and hedging_verb(tok)
            )
        ):
            kind = "verb"
        elif low in ("expected", "estimated") and tok.pos_ in ("ADJ", "VERB") and tok.dep_ == "amod":
            kind = "adjective"  # "a series of expected share offers", "an estimated 100,000 fans"
        elif (low in PASSIVE_HEDGES and tok.tag_ == "VBN" and passive_evidential(tok)
              and not _backgrounded(tok, base, start, end)):
            kind = "evidential"
        elif low == "said" and _said_to_be(tok):
            kind = "evidential"  # "Others said to be considered ...": "[who are] said to be"
        elif low in ("look", "looks", "looked", "sound", "sounds", "sounded") and tok.pos_ == "VERB" and (
            as_if(tok) and not _backgrounded(tok, base, start, end)
            and not any(c.dep_ in ("prep", "dobj") for c in tok.children)
        ):
            kind = "verb"  # "The plan looked as if it would fail" (not "looked at it as if ...")
        elif low in NOUN_HEDGES and tok.pos_ == "NOUN" and has_content_clause(tok) and not _backgrounded(
            tok, base, start, end
        ):
            kind = "noun"  # "speculation (that) the pair were ...", not "the allegations" as a topic
        elif low in REPORT_NOUNS and tok.pos_ == "NOUN" and tok.dep_ in ("attr", "nsubj") and any(
            c.dep_ == "expl" for c in tok.head.children
        ) and has_content_clause(tok):
            kind = "noun"  # "There are reports that ...", "there is talk that ...": no source given
        elif low in BELIEF_FORMS and tok.pos_ == "VERB" and hedging_verb(tok) and any(
            c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in tok.children
        ):
            kind = "verb"
        elif _unsure(tok):
            # "I am not sure it can last", "we are unsure whether ...": the cue includes its "not"
            neg = min((c for c in (*tok.children, *tok.head.children) if c.dep_ == "neg" and c.i < tok.i),
                      key=lambda c: c.i, default=tok)
            out.append(Hedge(cue=tok.doc[neg.i : tok.i + 1].text, start=base + neg.idx,
                             end=s + len(tok.text), kind="adjective"))
        elif (phrase := _as_far_as_i_know(tok)) is not None:
            out.append(Hedge(cue=phrase.text, start=s, end=base + phrase.end_char, kind="adverb"))
        if kind:
            out.append(Hedge(cue=tok.text, start=s, end=s + len(tok.text), kind=kind))
    return out


def _backgrounded(tok: Any, base: int, start: int, end: int) -> bool:
    """Whether ``tok`` sits in a clause that gives background to the statement at [start, end)
    (:func:`background_clause`) and does not frame it: "News of the review was released because
    it was thought ...", "The invitation, which was widely seen as retaliation, sparked ..."."""
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return background_clause(verb) and not _frames(verb, base, start, end)


def _frames(verb: Any, base: int, start: int, end: int) -> bool:
    """Whether the statement at [start, end) lies inside ``verb``'s clause: "... after the Sunday
    Times alleged [English Manner Limited charged clients ...]" is hedged by its own frame, however
    backgrounded that frame is in the sentence."""
    last = verb.right_edge
    while last.i + 1 < len(last.doc) and last.doc[last.i + 1].is_punct:
        last = last.doc[last.i + 1]  # the sentence's full stop belongs to the root, not the clause
    return base + verb.left_edge.idx <= start and end <= base + last.idx + len(last.text)


#: Adjectives that hedge even as a noun's modifier: "the alleged bribe" asserts no bribe.
_ATTRIBUTIVE_HEDGES = frozenset({"alleged", "purported", "suspected", "supposed", "rumored", "rumoured"})


def hedging_verb(verb: Any) -> bool:
    """"I think she's qualified", "appears to be wasted", "seems almost certain": the verb qualifies
    a proposition it takes as complement. Not "I feel so strongly about ...", "phone bugs appear"
    (no complement), nor "did not believe he was strong", "I can't believe I'm ...", "they never
    expected the people to rise up" (a negated belief or expectation asserts its absence)."""
    kids = list(verb.children)
    if as_if(verb):
        return True  # "It seems as though the money was wasted"
    if not any(c.dep_ in ("ccomp", "xcomp", "acomp", "attr", "oprd") for c in kids):
        nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
        if nxt is None or nxt.lower_ not in ("to", "that"):
            return False
    return not (verb.lower_.startswith(("believ", "expect", "think", "thought", "anticipat"))
                and any(c.dep_ == "neg" or c.lower_ == "never" for c in kids))


def as_if(verb: Any) -> bool:
    """The verb takes an "as if" / "as though" clause: "seems as though ...", "looked as if ..."."""
    return any(c.dep_ == "advcl" and {"as"} < {m.lower_ for m in c.children if m.dep_ == "mark"}
               and {"if", "though"} & {m.lower_ for m in c.children if m.dep_ == "mark"}
               for c in verb.children)


def has_content_clause(noun: Any) -> bool:
    """The noun takes a content clause: "speculation (that) the pair were ...", "reports that ..."."""
    return any(c.dep_ in ("acl", "ccomp") or (c.dep_ == "relcl" and content_clause(c)) for c in noun.children)


def content_clause(clause: Any) -> bool:
    """A content clause the parser read as a relative one ("speculation the pair were trying ..."):
    it has a subject of its own that is no relative pronoun, and no relative word opens it."""
    first = clause.doc[clause.left_edge.i]
    return first.tag_ not in ("WDT", "WP", "WP$", "WRB") and any(
        k.dep_ in ("nsubj", "nsubjpass") and k.tag_ not in ("WDT", "WP") and k.lower_ != "that"
        for k in clause.children)


def _unsure(tok: Any) -> bool:
    """The speaker doubts the statement: "I am not sure (that) ...", "we are unsure whether ..."."""
    if tok.pos_ != "ADJ" or tok.lower_ not in ("sure", "certain", "unsure", "uncertain"):
        return False
    negated = any(c.dep_ == "neg" for c in (*tok.children, *tok.head.children))
    if tok.lower_ in ("sure", "certain") and not negated:
        return False
    return tok.head.lower_ in ("am", "are", "'m", "’m", "'re", "’re", "was", "were") and any(
        c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in tok.head.children)


def _as_far_as_i_know(tok: Any) -> Any | None:
    """The words "as far as I know" (or "we know", "I can tell") starting at ``tok``, else None."""
    doc = tok.doc
    words = [t.lower_ for t in doc[tok.i : tok.i + 5]]
    if words[:3] == ["as", "far", "as"] and len(words) >= 5 and words[3] in ("i", "we") and words[4] in (
        "know", "can", "understand", "recall", "remember", "am", "'m", "’m"
    ):
        end = tok.i + 5 + (1 if words[4] == "can" and tok.i + 5 < len(doc) else 0)
        return doc[tok.i : end]
    return None


def proposes(verb: Any) -> bool:
    """"suggests increasing state funding", "suggests there should be tax relief", "I suggest the BBC
    concentrates on ...": "suggest" as put forward (a proposal), not as indicate (a hedge)."""
    if not verb.lower_.startswith("suggest"):
        return False
    comps = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "dobj")]
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if (nxt is not None and nxt.tag_ == "VBG") or any(
        c.tag_ == "VBG" and not any(k.dep_ in ("nsubj", "aux", "nsubjpass") for k in c.children)
        for c in comps
    ):
        return True  # a gerund, not "suggests that the economy is slowing"
    if any(g.lower_ == "should" or (g.tag_ == "VB" and any(k.dep_ == "nsubj" for k in g.children))
           for c in comps for g in [c, *c.children]):
        return True
    return verb.tag_ in ("VBP", "VB") and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we")
                                              for c in verb.children)


def _said_to_be(verb: Any) -> bool:
    doc = verb.doc
    return verb.i + 2 < len(doc) and doc[verb.i + 1].lower_ == "to" and (
        doc[verb.i + 2].lower_ in ("be", "have")
    )


def passive_evidential(verb: Any) -> bool:
    """'is expected to ratify', 'was seen as the main obstacle', 'is said to be', 'it is feared that'."""
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    follows = nxt is not None and nxt.lower_ in ("to", "as", "that")
    if verb.lower_ == "estimated" and nxt is not None and nxt.lower_ == "at":
        return passive  # "Sales were estimated at 5m"
    if verb.lower_ == "set":
        return passive and nxt is not None and nxt.lower_ == "to"
    return passive and (follows or any(c.dep_ in ("xcomp", "ccomp") for c in verb.children))


def purpose_or_result(modal: Any) -> bool:
    """A modal in a purpose or result clause ("... so students could play indoors", "in order that
    they might ...") states what something was for, not how sure the writer is."""
    verb = modal.head
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if verb.dep_ in ("advcl", "ccomp", "conj") and marks & {"so", "lest"}:
        return True
    prev = [t.lower_ for t in verb.doc[max(0, verb.left_edge.i - 3) : verb.left_edge.i + 2]]
    return ("so" in prev and "that" in prev) or ("order" in prev and "that" in prev)


#: Adverbial clauses that give background (a reason, a time) to the statement rather than state it.
_BACKGROUND_MARKS = frozenset(
    {"because", "since", "when", "while", "although", "though", "as", "after", "before", "until", "once"}
)


def in_background_clause(modal: Any) -> bool:
    """"... wanted to delay the raid because the dinner might be disrupted": the modal hedges the
    reason, not the statement (only when the statement's own clause is outside it). Likewise a
    modal in a relative clause that describes something the main clause asserts about: "we did
    everything we could have done", "the drug, which may cause cancer, was withdrawn"."""
    return background_clause(modal.head)


def background_clause(verb: Any) -> bool:
    """Whether the clause of ``verb`` gives background to the statement rather than state it (see
    :func:`in_background_clause`); also a noun's complement clause ("increased fears that the
    chairman may raise rates", "the possibility that a rebounding economy could trigger inflation")
    and a relative clause's own hedge verb ("a separate state, which the administration believes is
    crucial", "a promise ..., which many Israelis fear could spark violence")."""
    described = False
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if verb.dep_ in ("ccomp", "pcomp") and marks & {"whether", "if"}:
        return True  # an embedded question: "I asked if they could crunch the numbers"
    while verb.dep_ not in ("ROOT", "ccomp") and verb.head.i != verb.i:
        if verb.dep_ == "advcl" and {c.lower_ for c in verb.children if c.dep_ == "mark"} & _BACKGROUND_MARKS:
            return True
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON") and (
            verb.head.dep_ not in ("attr", "acomp", "ROOT")
        ):
            described = True  # not "X is one that might have ...": there the clause is the claim
        verb = verb.head
    return described and verb.pos_ in ("VERB", "AUX", "ADJ")  # ADJ: "make it harder to ..."


def modality_of(category: str, span: Any, base: int, start: int, end: int) -> Modality:
    """Opinion (a view, a value judgement, a normative "should"), prediction ("will") or factual."""
    if category == "opinion":
        return "opinion"
    if span is None:
        return "factual"
    toks = [t for t in span if start <= base + t.idx < end]
    lows = {t.lower_ for t in toks}
    if lows & NORMATIVE:
        return "opinion"
    for t in toks:
        if (
            t.lower_ in EVALUATIVE
            and t.dep_ in ("acomp", "attr", "oprd", "amod")
            and (t.dep_ != "amod" or t.head.dep_ in ("attr", "acomp"))
        ):
            return "opinion"
    if "will" in lows and any(t.lower_ == "will" and t.tag_ == "MD" for t in toks):
        return "prediction"
    return "factual"
