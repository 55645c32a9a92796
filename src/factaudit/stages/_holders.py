"""Who holds a statement: the reporting verb's subject read as the author, a named person or body,
an unnamed group, or a pronoun resolved only when the article makes it certain (else marked
unresolved, or likely). The attribution stage's holder naming, kept apart from its clause analysis."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..document import Holder
from ..lexicon import (
    BODY_NOUNS,
    FEMALE_NAMES,
    GROUP_NOUNS,
    MALE_NAMES,
    REPORT_FORMS,
    SOURCE_NOUNS,
    TITLE_WORDS,
)
from ..reference import (
    HUMAN_NOUNS,
    PERSONAL_PRONOUNS,
    People,
    quoted_tokens,
    sentence_bounds,
    title_phrase,
)

_PRONOUN_GROUP = {"they", "them", "these", "those"}
_PRONOUN_PERSON = {"he", "she", "him", "her"}
#: First person, and the generic "you" ("You would think she ...", "if you believe ..."): the author.
_AUTHOR_PRONOUNS = {"i", "we", "you"}


@dataclass
class Refs:
    """Per-sentence context for resolving pronoun holders (built in the stage call, never shared)."""

    people: People
    prev_docs: list[Any] = field(default_factory=list)
    #: The speaker of the latest attributed quotation ("...," he added).
    speaker: Holder | None = None
    #: The article text before this sentence: "the spokesman" is only someone introduced already.
    before: str = ""
    #: The holder of the previous sentence when it spoke through a document ("Mr Crosby's statement
    #: said ...": "It added ..." is the same source).
    document: Holder | None = None


#: People described by their work: "the Senate historian" is a person, not a named body.
_PERSON_ROLES = frozenset(
    {"historian", "adviser", "advisor", "aide", "professor", "correspondent", "reporter", "editor",
     "columnist", "strategist", "pollster", "consultant", "doctor", "lawyer", "economist", "analyst",
     "spokesperson", "insider", "staffer", "negotiator", "investigator", "judge", "chairman", "chief"}
)


#: Nouns a news story uses for a person it has named ("the businessman", "the billionaire").
_EPITHETS = frozenset(
    {"businessman", "businesswoman", "billionaire", "millionaire", "tycoon", "developer", "mogul",
     "politician", "democrat", "republican", "conservative", "liberal", "star", "actor", "actress",
     "singer", "player", "striker", "coach", "boss", "veteran", "former", "pow", "president-elect",
     "nominee", "incumbent", "lawmaker", "congressman", "congresswoman", "senator", "governor",
     "president", "premier", "chancellor", "mayor", "minister", "ambassador", "candidate", "neurosurgeon",
     "surgeon", "magnate", "entrepreneur", "heiress", "rapper", "comedian", "filmmaker",
     "frontrunner", "front-runner", "challenger", "hopeful", "cardinal", "archbishop", "bishop", "pope",
     "leader", "chairman", "chairwoman", "chief", "peer", "peeress", "mp", "mep", "msp"}
)


#: Modifiers that make a description one known person: "the retired neurosurgeon", "the 70-year-old".
_EPITHET_MODIFIERS = frozenset({"retired", "former", "outgoing", "embattled", "incoming", "beleaguered",
                                "veteran", "late", "disgraced", "ousted", "jailed"})


#: Quantifiers that head a partitive holder ("several of them", "one of these").
_PARTITIVES = frozenset(
    {"several", "some", "many", "most", "one", "two", "few", "all", "both", "none", "each"}
)


#: Definite descriptions that stand for the entity the article named last ("the firm" → the last
#: ORG), by head noun → the entity labels they can stand for.
_ORG_LABELS = ("ORG",)


_MEDIA_LABELS = ("ORG", "MEDIA")


_DESCRIBED_ENTITY: dict[str, tuple[str, ...]] = {
    **{w: _ORG_LABELS for w in (
        "company", "firm", "group", "agency", "bank", "insurer", "broker", "airline", "retailer",
        "carmaker", "publisher", "union", "charity", "regulator", "watchdog", "organisation",
        "organization", "business", "giant", "operator", "lender", "exchange")},
    **{w: _MEDIA_LABELS for w in (
        "newspaper", "paper", "broadcaster", "network", "magazine", "channel", "website", "outlet",
        "daily", "tabloid", "station")},
    **{w: ("WORK_OF_ART",) for w in ("book", "memoir", "documentary", "film")},
}


#: A news outlet's name ("the FT", "The Sunday Telegraph", "NBC"): only such an ORG is "the newspaper".
MEDIA_NAME = re.compile(
    r"\b(?:Times|Post|Journal|News|Telegraph|Guardian|Herald|Tribune|Mail|Express|Mirror|Sun|"
    r"Observer|Independent|Gazette|Chronicle|FT|BBC|CNN|NBC|ABC|CBS|Fox|Reuters|AP|Bloomberg|"
    r"Economist|Magazine|Review|Standard|Record|Star|Today|Press|Radio|TV|Politico|Axios|Breitbart)\b"
)


def _nearest_entity(tok: Any, labels: tuple[str, ...], prev_docs: list[Any]) -> Any | None:
    """The entity with one of ``labels`` named last before ``tok`` (its sentence and the two before,
    then the paragraphs before), outside quotations, or None."""
    doc = tok.doc
    media = labels == _MEDIA_LABELS

    verb = _clause_verb(tok)

    def fits(e: Any) -> bool:
        # (never one named in the description's own clause: "Ahead of talks with the LSE, the
        # bourse said ..." is not the LSE)
        return e.label_ in labels and (not media or bool(MEDIA_NAME.search(e.text))) and (
            e.root.sent.start != tok.sent.start or _clause_verb(e.root).i != verb.i)

    start = next((lo for lo, hi in sentence_bounds(doc) if lo <= tok.i < hi), tok.i)
    sents = [b for b in sentence_bounds(doc) if b[1] <= start][-2:]
    return _last_entity(tok, prev_docs, fits, sents[0][0] if sents else start)


def _clause_verb(tok: Any) -> Any:
    """The verb whose clause ``tok`` is in (the sentence root when none)."""
    t = tok.head
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _last_entity(tok: Any, prev_docs: list[Any], fits: Callable[[Any], bool], lo: int = 0) -> Any | None:
    """The last entity that ``fits``, outside quotations: in ``tok``'s parse from token ``lo`` up
    to ``tok``, else in the nearest earlier paragraph that has one; None when there is none."""
    doc = tok.doc
    quoted = quoted_tokens(doc)
    here = [e for e in doc.ents if fits(e) and lo <= e.start and e.end <= tok.i and e.start not in quoted]
    if here:
        return here[-1]
    for earlier in prev_docs:
        q = quoted_tokens(earlier)
        found = [e for e in earlier.ents if fits(e) and e.start not in q]
        if found:
            return found[-1]
    return None


def _described(name: str) -> bool:
    """A body as a description, not a name: "The government", "the assembly government"."""
    words = name.split()
    return len(words) >= 2 and words[0].lower() in ("the", "this", "that") and all(
        w == w.lower() for w in words[1:])


def _named_body(words: list[Any], tok: Any, prev_docs: list[Any]) -> Any | None:
    """The organisation named last before ``tok`` (outside quotations) whose name holds every word of
    the description ``words``: "the commission" is the Electoral Commission, "the assembly
    government" the Welsh Assembly Government. None when the article names no such body."""
    want = {w.lower_ for w in words}

    def fits(e: Any) -> bool:
        return e.label_ in ("ORG", "FAC") and len(e) > len(want) and want <= {t.lower_ for t in e}

    return _last_entity(tok, prev_docs, fits)


#: A party's name before a title ("the Labour peer", "Tory David Heathcoat-Amory"): an affiliation.
_PARTY_WORDS = "Tory|Labour|Conservative|Democrat|Democratic|Republican|Liberal|Lib Dem|Green|SNP|UKIP|Plaid"
_PARTY = re.compile(rf"^(?:{_PARTY_WORDS})$")


def _clean_name(name: str) -> str:
    """A sentence's full stop is not part of a name ("... said M&S."), an abbreviation's is ("U.S.");
    nor are a trailing dash or an age ("Alan Beith -", "Mr Davies, 60")."""
    name = re.sub(r"(?:\s*[-–—]+|,\s*\d{1,3})\s*$", "", name)
    # "Tory David Heathcoat-Amory": NER took the party into the person's name
    name = re.sub(rf"^(?:{_PARTY_WORDS})\s+(?=[A-Z][a-z]+\s+[A-Z])", "", name)
    name = name.rstrip(" '’") if name.endswith(("s'", "s’", " '", " ’")) else name  # "Lib Dems'" → "Lib Dems"
    return name[:-1] if name.endswith(".") and name.count(".") == 1 and len(name) > 2 else name


def _is_dateline(tok: Any, ents: list[Any]) -> bool:
    """An all-capitals place opening the paragraph ("NEW YORK, NY—...", "WASHINGTON (Reuters) -")."""
    doc = tok.doc
    ent = next((e for e in ents if tok.i in range(e.start, e.end) and e.label_ == "GPE"), None)
    if ent is None or ent.start > 1:
        return False
    letters = [c for c in ent.text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and ent.end < len(doc) and (
        doc[ent.end].text in (",", "—", "-", "–", "(") or doc[ent.end].text.startswith(("—", "-"))
    )


def _joined(words: list[Any]) -> str:
    """Words of a phrase with some tokens left out, spaced as in the text: "Figures, a former
    assistant" without its comma is "Figures a former assistant", not "Figuresa former"."""
    out = ""
    for prev, w in zip([None, *words], words, strict=False):
        if prev is not None and any(ch.isspace() for ch in w.doc.text[prev.idx + len(prev.text) : w.idx]):
            out += " "
        out += w.text
    return out


#: Family members, who speak for themselves, not for the relative they are named by.
_KIN = frozenset({"father", "mother", "son", "daughter", "brother", "sister", "wife", "husband", "widow",
                  "widower", "uncle", "aunt", "cousin", "nephew", "niece", "grandfather", "grandmother",
                  "parents", "partner", "fiancee", "fiancée", "fiance"})


#: Singular bodies an "it" can stand for when one of them is already speaking unnamed.
_IT_BODIES = BODY_NOUNS | frozenset({"report", "study", "survey", "review", "inquiry"})


def _coordinated(tok: Any, first: Any, ents: list[Any]) -> Any | None:
    """The last entity of ``ents`` coordinated with the holder's own ("The SNP and the Tories")."""
    if tok.i not in range(first.start, first.end):
        return None
    last = None
    for c in tok.children:
        if c.dep_ != "conj" or c.i < first.end:
            continue
        if any(g.dep_ == "cc" and g.lower_ not in ("and", "&") for g in tok.children):
            return None  # "Labour or the Tories": neither for certain
        last = next((e for e in ents if c.i in range(e.start, e.end)
                     and e.label_ in ("PERSON", "ORG", "NORP", "GPE")), None) or last
    return last


def author() -> Holder:
    return Holder(kind="author", name="the author")


def _restrictive(mod: Any) -> bool:
    """A modifier that says which one is meant ("the man at the door", "the official who ...")
    rather than adding to someone already known ("the businessman - who is spending ... -")."""
    if mod.dep_ == "prep":
        return True
    if mod.dep_ in ("relcl", "acl"):
        before = mod.doc[mod.left_edge.i - 1] if mod.left_edge.i > 0 else None
        return before is None or before.text not in (",", "-", "—", "–", "--", "(")
    return False


def holder_of(tok: Any, recent: list[Holder], refs: Refs) -> Holder:
    """Who a reporting verb's subject ``tok`` is: the author, a named person or body, an unnamed
    group, or a pronoun resolved (or marked unresolved)."""
    doc = tok.doc
    low = tok.lower_
    sub = list(tok.subtree)
    start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
    phrase = doc[sub[0].i : sub[-1].i + 1].text if sub else tok.text
    phrase = phrase.strip(" ,")
    if low in ("what", "who", "which") and len(sub) == 2 and sub[1].lower_ in GROUP_NOUNS:
        # "... containing what many feel are ...": "many" holds the view.
        return Holder(kind="unnamed_group", name=sub[1].lower_, start=sub[1].idx, end=end)
    if low in _AUTHOR_PRONOUNS:
        return Holder(kind="author", name="the author", start=start, end=end)
    if low in _PRONOUN_PERSON:
        found = refs.people.referent(tok, refs.prev_docs)
        if found is not None:
            name, _ = found
            return Holder(kind="named", name=name, start=start, end=end, resolved_from=tok.text,
                          entity_type="PERSON")
        sp = refs.speaker
        near_quote = any(t.text in ("“", "”", '"') for t in tok.doc[max(0, tok.i - 3) : tok.i]) or (
            # "He added that ..." opening the paragraph after the speaker's quotation
            tok.i == tok.sent.start and tok.head.lower_ in ("added", "adds", "continued")
        )
        if (
            sp is not None
            and near_quote
            and sp.entity_type == "PERSON"
            and refs.people.gender_of(sp.name) in (PERSONAL_PRONOUNS[low], None)
        ):
            # '"...," he added' right after a quotation that runs on from the speaker's.
            return Holder(kind="named", name=sp.name, start=start, end=end, resolved_from=tok.text,
                          entity_type="PERSON")
        likely = refs.people.likely_referent(tok, refs.prev_docs) if low in ("he", "she") else None
        if likely is not None:
            # "Among the electors was David Mulinix ... He said he believes ...": the previous
            # sentence's first compatible person, marked as likely (never used to rewrite text).
            return Holder(kind="named", name=likely, start=start, end=end, resolved_from=tok.text,
                          entity_type="PERSON", likely=True)
        follows_on = near_quote or tok.head.lower_ in ("added", "adds", "continued") or any(
            c.lower_ == "also" for c in tok.head.children
        )
        follows_on = follows_on or (tok.i == tok.sent.start and tok.head.lower_ in REPORT_FORMS)
        if sp is not None and sp.kind == "unnamed_group" and follows_on and any(
            w.lower() in HUMAN_NOUNS and not w.endswith("s") for w in sp.name.split()
        ):
            # "An M&S spokesman said ... He also said ...": the same unnamed source.
            return Holder(kind="unnamed_group", name=sp.name, start=start, end=end,
                          resolved_from=tok.text)
        return Holder(kind="named", name=tok.text, start=start, end=end, unresolved=True)
    if low == "it" and refs.document is not None:
        d = refs.document
        return Holder(kind=d.kind, name=d.name, start=start, end=end, resolved_from=tok.text,
                      entity_type=d.entity_type)
    if low in _PRONOUN_GROUP or low == "it":
        want_group = low in _PRONOUN_GROUP
        for h in reversed(recent[-3:]):
            if want_group and (h.kind == "unnamed_group" or h.entity_type in ("ORG", "NORP")):
                return Holder(kind=h.kind, name=h.name, start=start, end=end, resolved_from=tok.text,
                              entity_type=h.entity_type)
            if low == "it" and h.entity_type == "ORG":
                return Holder(kind="named", name=h.name, start=start, end=end, resolved_from=tok.text,
                              entity_type="ORG")
            if low == "it" and h.kind == "unnamed_group" and h.name.split()[-1:] and (
                h.name.split()[-1].lower() in _IT_BODIES
            ):
                # "the commission does urge ... It also suggests ...": the body already speaking
                return Holder(kind="unnamed_group", name=h.name, start=start, end=end,
                              resolved_from=tok.text)
        return Holder(kind="named", name=tok.text, start=start, end=end, unresolved=True)
    if tok.text in refs.people.aliases and tok.text[:1].isupper() and tok.ent_type_ != "PERSON":
        # "Figures, a former assistant U.S. Attorney, also testified ...": the surname of a person
        # the article names in full ("Thomas Figures"), whatever the tagger made of it (a plural).
        # A hyphenated surname keeps its first part: "Mr Kilroy-Silk" is Kilroy-Silk, not Silk.
        first = tok.i
        while first >= 2 and doc[first - 1].text == "-" and not doc[first - 1].whitespace_ and (
            not doc[first - 2].whitespace_ and doc[first - 2].is_title
        ):
            first -= 2
        return Holder(kind="named", name=doc[first : tok.i + 1].text, start=doc[first].idx,
                      end=tok.idx + len(tok.text), entity_type="PERSON")
    # The holder is the noun phrase's core: an entity inside its relative clause or its
    # prepositional phrase ("An Army veteran who reached out to Fox News said ...") is not it.
    core = {tok.i}
    for c in tok.children:
        if c.dep_ in ("compound", "det", "poss", "appos", "nmod", "nummod", "flat"):
            core.update(t.i for t in c.subtree)
        elif c.dep_ == "conj" and tok.pos_ == "NOUN" and low in HUMAN_NOUNS:
            # "Florida senator and GOP presidential candidate Marco Rubio": one person, described twice.
            core.update(t.i for t in c.subtree)
        elif c.dep_ == "amod":
            # "sources close to Bill Clinton": the adjective, not the person it relates them to.
            core.add(c.i)
            core.update(g.i for g in c.children if g.dep_ in ("advmod", "npadvmod", "compound"))
    of_group = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    if low in ("total", "majority", "proportion", "share", "percentage") and of_group:
        # "A total of 48% of chartered surveyor estate agents reported ...": those counted speak.
        body = of_group[0]
        return Holder(kind="unnamed_group", name=doc[body.left_edge.i : body.right_edge.i + 1].text,
                      start=start, end=end)
    bare = len(sub) == 1 and not tok.like_num
    if low in _PARTITIVES and (bare or any(g.lower_ in ("them", "these", "those") for g in of_group)):
        # "several of them believe ...", "one of these sources said ...", "most say ...": some of
        # a group.
        return Holder(kind="unnamed_group", name=phrase.lower(), start=start, end=end)
    ents = [
        e
        for e in doc.ents
        if any(t.i in core for t in e) and e.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC")
    ]
    head_low = tok.lower_
    own = next((e for e in ents if tok.i in range(e.start, e.end)), None)
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an", "one", "another") for c in tok.children)
    # The appositive names the speaker, not the possessor: "Ms Jowell's deputy, Richard Caborn".
    person = next((e for e in ents if e.label_ == "PERSON" and e.root.dep_ == "appos"), None) or next(
        (e for e in ents if e.label_ == "PERSON"), None)
    last = sub[-1] if sub else tok
    before_verb = next((e for e in doc.ents if e.label_ == "PERSON" and e.end == last.i + 1
                        and e.start > tok.i and last.i + 1 == tok.head.i), None)
    if own is None and person is None and before_verb is not None and tok.pos_ == "PROPN" and (
        low not in GROUP_NOUNS | HUMAN_NOUNS | SOURCE_NOUNS or low in TITLE_WORDS
    ):
        # (also a title whose long name the parser split: "Minister for Children, Young People
        # and Families Margaret Hodge said")
        # "Commission for racial equality chief Trevor Phillips argued ...": the parser hung the
        # person on the body's "for"; whoever is named right before the verb is speaking.
        return Holder(kind="named", name=before_verb.text, start=before_verb.start_char,
                      end=before_verb.end_char, entity_type="PERSON")
    if own is None and person is None and (
        low in HUMAN_NOUNS or low in TITLE_WORDS or low in _PERSON_ROLES
    ):
        app = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        words = [t for t in app.subtree if not t.is_punct] if app is not None else []
        if len(words) >= 2 and words[0].lower_ in FEMALE_NAMES | MALE_NAMES and all(
            t.pos_ == "PROPN" for t in words
        ):
            # "The U.S. ambassador to the United Nations, Samantha Power, accused ...": NER read
            # the name as an organisation; a given name says it is a person.
            return Holder(kind="named", name=_joined(words), start=words[0].idx,
                          end=words[-1].idx + len(words[-1].text), entity_type="PERSON")
    if own is None and person is not None and person.root.dep_ == "poss" and (
        person.root.head.i == tok.i and (low in HUMAN_NOUNS or low in _KIN)
    ):
        # "Mr Begg's father, Azmat, said ...": the father speaks, not Mr Begg; his name is the
        # appositive when there is one.
        app = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if app is not None:
            words = [t for t in app.subtree if not t.is_punct]
            return Holder(kind="named", name=_joined(words), start=words[0].idx,
                          end=words[-1].idx + len(words[-1].text), entity_type="PERSON")
        words = [doc[i] for i in sorted(core) if not doc[i].is_punct and doc[i].dep_ != "appos"]
        return Holder(kind="unnamed_group", name=_joined(words), start=start, end=end)
    if own is None and person is not None and not (indefinite and person.root.dep_ == "compound"):
        # "retired neurosurgeon Ben Carson", "Mr Crosby's statement": the person named in it (not
        # "a former Clinton White House advisor": someone described by whom they worked for).
        knight = person.start > 0 and doc[person.start - 1].lower_ in ("sir", "dame")
        return Holder(kind="named", name=refs.people.full_name(person) if knight else person.text,
                      start=person.start_char, end=person.end_char, entity_type="PERSON")
    if (
        own is None
        and (not indefinite or head_low not in SOURCE_NOUNS | GROUP_NOUNS)
        and tok.tag_ == "NN"
        and head_low not in HUMAN_NOUNS | GROUP_NOUNS | _PERSON_ROLES
        and (
            any(e.label_ in ("ORG", "FAC", "GPE") for e in ents)
            or any(doc[i].pos_ == "PROPN" and doc[i].dep_ in ("compound", "nmod") for i in core)
        )
    ):
        # "the Commons standards committee", "the Trump transition team": a named body.
        words = [doc[i] for i in sorted(core) if doc[i].dep_ != "det" and not doc[i].is_punct]
        name = _joined(words)
        return Holder(kind="named", name=name, start=start, end=end, entity_type="ORG")
    if (
        own is None
        and person is None
        and tok.tag_ == "NNP"
        and low in TITLE_WORDS
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)
        and (titled := refs.people.by_title(head_low)) is None
    ):
        # "The Culture Secretary said ...": an office the article has not tied to a name (NER
        # read "Culture" as a NORP); the office speaks, unresolved, never the modifier.
        det = min(c.i for c in tok.children if c.dep_ == "det")
        return Holder(kind="named", name=doc[det : tok.i + 1].text, start=start, end=end,
                      entity_type="PERSON", unresolved=True)
    the_noun = (
        own is None
        and (tok.tag_ == "NN" or (tok.tag_ == "NNP" and low in TITLE_WORDS))  # "The President urged"
        and not [e for e in ents if e.label_ == "PERSON" or tok.tag_ == "NN"]
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
    )
    if the_noun:
        # "A spokesman for the Home Office said ... The spokesman stressed ...": the same source.
        same = next((h for h in reversed(recent[-4:]) if h.kind == "unnamed_group"
                     and h.name.lower().split()[:1] == [head_low]), None)
        if same is not None:
            return Holder(kind="unnamed_group", name=same.name, start=start, end=end,
                          resolved_from=phrase)
    if (
        the_noun
        and (titled := refs.people.by_title(title_phrase(tok)) or refs.people.by_title(head_low)) is not None
        and titled in refs.before
    ):
        # "The minister said: ..." after "Justice Minister Cathy Jamieson": that one person.
        return Holder(kind="named", name=titled, start=start, end=end, resolved_from=phrase,
                      entity_type="PERSON")
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children) or (
        tok.dep_ == "compound" and tok.i > 0 and doc[tok.i - 1].lower_ == "the"  # "the paper states"
    )
    if own is None and definite and tok.tag_ == "NN" and head_low in BODY_NOUNS:
        # "The commission said ...", "the assembly government": a body, named when the article
        # names it ("the Electoral Commission"), else as the article says it ("the government"),
        # never an unnamed group.
        words = [doc[i] for i in sorted(core) if doc[i].dep_ not in ("det", "poss") and not doc[i].is_punct]
        body = _named_body(words, tok, refs.prev_docs)
        if body is not None:
            return Holder(kind="named", name=re.sub(r"[’']s$", "", body.text), start=start, end=end,
                          resolved_from=phrase, entity_type=body.label_)
        if head_low not in _DESCRIBED_ENTITY:
            det = min(c.i for c in tok.children if c.dep_ == "det") if any(
                c.dep_ == "det" for c in tok.children) else tok.i
            return Holder(kind="named", name=doc[det : tok.i + 1].text, start=start, end=end,
                          entity_type="ORG")
    if own is None and definite and tok.tag_ == "NN" and head_low in _DESCRIBED_ENTITY:
        # "..., the firm has said", "The book, by Robert Peston, said ...": the organisation or
        # work the article named last.
        labels = _DESCRIBED_ENTITY[head_low]
        speaking = next((h for h in reversed(recent[-4:]) if h.kind == "named" and not h.unresolved
                         and h.entity_type in labels and not _described(h.name)
                         and (labels != _MEDIA_LABELS or MEDIA_NAME.search(h.name))), None)
        if speaking is not None:
            # "PFAW notes that ... He also didn't include ..., according to the group": the
            # organisation already speaking, not one the statement is about.
            return Holder(kind="named", name=speaking.name, start=start, end=end, resolved_from=phrase,
                          entity_type=speaking.entity_type)
        found = _nearest_entity(tok, labels, refs.prev_docs)
        if found is not None:
            name = re.sub(r"[’']s$", "", found.text)
            return Holder(kind="named", name=name, start=start, end=end, resolved_from=phrase,
                          entity_type=found.label_)
    if _is_dateline(tok, ents):
        # "NEW YORK, NY—During his interview, Donald Trump revealed ...": the dateline is not the
        # speaker; the person named before the verb is.
        person_before = [e for e in doc.ents if e.label_ == "PERSON" and e.start < tok.head.i
                         and e.start > tok.i]
        if person_before:
            e = person_before[-1]
            return Holder(kind="named", name=e.text, start=e.start_char, end=e.end_char,
                          entity_type="PERSON")
        return author()
    if own is None and len(sub) == 1 and tok.text[:1].isupper() and refs.people.is_person(tok.text):
        # "Pence urged ...": the tagger's plural noun "pence" is the person the article names.
        return Holder(kind="named", name=tok.text, start=start, end=end, entity_type="PERSON")
    epithet = (
        any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        and (tok.tag_ == "NN" or (tok.tag_ == "NNP" and (low in TITLE_WORDS or (own is not None
                                                                              and own.label_ == "NORP"))))
        and (own is None or own.label_ == "NORP")
        and head_low not in GROUP_NOUNS | SOURCE_NOUNS
        and (head_low in _EPITHETS or own is not None or (
            head_low in HUMAN_NOUNS | _PERSON_ROLES and any(
                c.dep_ == "amod" and (c.lower_ in _EPITHET_MODIFIERS or c.lower_.endswith("-year-old"))
                for c in tok.children
            )
        ))
        # "the Indiana governor", "the Manhattan billionaire"; not "the Senate historian" (a role
        # in a body: an unnamed source).
        and not any(c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"
                    and c.ent_type_ not in ("GPE", "NORP") and not _PARTY.match(c.text) for c in tok.children)
        and not any(_restrictive(c) for c in tok.children)
    )
    if epithet:
        # "The businessman ... added:", "The Republican insisted ...": a definite description of
        # someone the article has named, not an unnamed group. The latest named person speaking
        # is the likely referent (never used to rewrite text); else it stays unresolved.
        person = next((h for h in reversed(recent[-4:]) if h.kind == "named" and h.entity_type == "PERSON"
                       and not h.unresolved), None)
        if person is None and refs.speaker is not None and refs.speaker.entity_type == "PERSON":
            person = refs.speaker
        det = min(c.i for c in tok.children if c.dep_ == "det")
        said = doc[det : tok.i + 1].text  # "The businessman", without its aside
        if person is not None:
            return Holder(kind="named", name=person.name, start=start, end=end, resolved_from=said,
                          entity_type="PERSON", likely=True)
        return Holder(kind="named", name=said, start=start, end=end, unresolved=True)
    if head_low in GROUP_NOUNS and not any(
        e.label_ in ("PERSON", "ORG") and tok.i in range(e.start, e.end) for e in ents
    ):
        name = re.sub(r"^(?:what\s+)?(?:the|some|many|most|several|a|an)\s+", "", phrase, flags=re.I)
        name = re.sub(r"^what\s+", "", name, flags=re.I)
        keep_case = bool(ents) or any(w[:1].isupper() for w in name.split()[1:])
        name = name if keep_case else name.lower()
        first = name.split()[0] if name.split() else ""
        if first[1:] == first[1:].lower():  # "Other reports" → "other reports", not "USAID" → "uSAID"
            name = name[:1].lower() + name[1:]
        return Holder(kind="unnamed_group", name=name, start=start, end=end)
    if own is None and (tok.pos_ == "NOUN" or indefinite):
        # "An Army veteran", "a Pentagon official": a person described, not named; the entity in
        # the description is not the holder.
        words = [doc[i] for i in sorted(core) if doc[i].dep_ != "det" and not doc[i].is_punct]
        name = _joined(words)
        body = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("for", "at", "of")
                     and any(t.ent_type_ in ("ORG", "GPE", "NORP", "FAC") for t in c.subtree)), None)
        if body is not None and len(list(body.subtree)) <= 8:
            # "A spokesman for the Home Office": whose spokesman says who is speaking.
            name += " " + doc[body.left_edge.i : body.right_edge.i + 1].text
        return Holder(kind="unnamed_group", name=name, start=start, end=end)
    if own is not None and own.label_ == "NORP" and indefinite:
        # "another top Democrat said": one member of a group, unnamed.
        words = [doc[i] for i in sorted(core) if doc[i].dep_ != "det" and not doc[i].is_punct]
        return Holder(kind="unnamed_group", name=_joined(words),
                      start=start, end=end)
    if ents:
        e = own or ents[0]
        label = e.label_
        if label != "PERSON" and refs.people.is_person(e.text):
            label = "PERSON"  # NER's "Trump" as an ORG where the article names Donald Trump
        name = _clean_name(e.text)
        if label == "PERSON" and e.start > 0 and doc[e.start - 1].lower_ in ("sir", "dame"):
            name = refs.people.full_name(e)  # "Sir Nicholas" is Sir Nicholas Scott
        elif label != "PERSON" and len(e) >= 3 and e[-2].lower_ in FEMALE_NAMES | MALE_NAMES and (
            e[-1].pos_ == "PROPN" and e[-1].is_title
        ):
            # "For the Lib Dems David Laws said": NER ran the party into the person's name.
            name, label = f"{e[-2].text} {e[-1].text}", "PERSON"
        last = _coordinated(tok, e, list(doc.ents))
        if last is not None:
            # "The Tories and Lib Dems said ...": both hold it, not the first alone.
            return Holder(kind="named", name=_clean_name(doc[e.start : last.end].text), start=e.start_char,
                          end=last.end_char, entity_type=label)
        return Holder(kind="named", name=name, start=e.start_char, end=e.end_char, entity_type=label)
    if tok.like_num or tok.text == "%" or any(c.text == "%" for c in tok.children) or (
        tok.pos_ == "NUM"
    ):
        # "45% said ...", "more than four in 10 said ...": poll respondents, not a named source.
        return Holder(kind="unnamed_group", name=phrase.lower(), start=start, end=end)
    if tok.pos_ == "PROPN":
        return Holder(kind="named", name=_clean_name(phrase), start=start, end=end)
    if head_low in SOURCE_NOUNS:
        return Holder(kind="unnamed_group", name=phrase.lower(), start=start, end=end)
    if head_low in ("company", "firm", "group", "government", "ministry", "agency", "bank"):
        for h in reversed(recent[-6:]):
            if h.entity_type == "ORG":
                return Holder(
                    kind="named",
                    name=h.name,
                    start=start,
                    end=end,
                    resolved_from=phrase,
                    entity_type="ORG",
                )
    return Holder(kind="named", name=phrase, start=start, end=end)
