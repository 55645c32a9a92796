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
from .lexicon import BODY_NOUNS, FEMALE_NAMES, HUMAN_NOUNS, MALE_NAMES, TITLE_WORDS

__all__ = [
    "HUMAN_NOUNS", "PERSONAL_PRONOUNS", "People", "opens_title", "preceding_docs", "quoted_tokens",
    "sentence_bounds",
]

#: Third-person personal pronouns that may be resolved, with their grammatical gender.
PERSONAL_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
HONORIFICS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lady": "f", "dame": "f"}
_QUOTE_MARKS = {"“": 1, "”": -1, '"': 0}


#: Verbs (by their start: the pipeline has no lemmatizer) whose "whether / if" clause is a question
#: put to someone else.
_ASKING = ("ask", "wonder", "inquir", "enquir", "question", "quer")


def quoted_tokens(doc: Any) -> frozenset[int]:
    """Token indices inside quotation marks (curly pairs nest); computed once per parsed doc.

    A straight quote opens when it follows a space (or starts the text) and touches the next word,
    and closes otherwise: toggling would invert everything after a paragraph that, by news
    convention, reopens a running quotation without closing the previous one.
    """
    cached = doc.user_data.get("factaudit_quoted")
    if cached is not None:
        return cached
    inside: set[int] = set()
    depth = 0
    straight = False
    for tok in doc:
        mark = _QUOTE_MARKS.get(tok.text)
        if mark == 1:
            depth += 1
        elif mark == -1:
            before_space = tok.i == 0 or bool(doc[tok.i - 1].whitespace_)
            if depth == 0 and before_space and not tok.whitespace_ and tok.i + 1 < len(doc):
                depth = 1  # a "”" typed as the opening mark ('Erdogan said, ”The coalition ...')
            else:
                depth = max(0, depth - 1)
        elif mark == 0:
            before_space = tok.i == 0 or bool(doc[tok.i - 1].whitespace_)
            opens = before_space and not tok.whitespace_
            straight = opens if (opens or straight) else not straight
        elif depth or straight:
            inside.add(tok.i)
    # The parse cache lives on the Article and is dropped after the run; the doc is this article's.
    doc.user_data["factaudit_quoted"] = out = frozenset(inside)
    return out


def opens_title(tok: Any) -> bool:
    """An opening quotation mark right after a preposition ('Gingrich said on “Morning Edition.”'):
    what it quotes is a programme's or a book's title, not a quotation going on."""
    return tok.text in ("“", '"') and tok.i > 0 and tok.doc[tok.i - 1].pos_ == "ADP"


def sentence_bounds(doc: Any) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` token offsets of the doc's sentences, computed once per parse (iterating
    ``doc.sents`` rebuilds every sentence span, and the reference rules look back per mention)."""
    bounds = doc.user_data.get("factaudit_sents")
    if bounds is None:
        doc.user_data["factaudit_sents"] = bounds = tuple((s.start, s.end) for s in doc.sents)
    return bounds


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


#: Entity labels that can never be the antecedent of a he or she.
_NOT_AGENTS = ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE", "LAW")


#: Last words of a name that no he or she can be ("the Consumer Credit Bill", "the Labour Party").
_NEVER_PERSONS = BODY_NOUNS | frozenset(
    {"bill", "act", "law", "treaty", "agreement", "accord", "plan", "programme", "program", "report",
     "index", "inc", "ltd", "plc", "airlines", "airways"}
)


#: Party and people words NER sometimes labels PERSON.
_PARTY_WORDS = frozenset(
    {"conservative", "conservatives", "tory", "tories", "labour", "democrat", "democrats", "republican",
     "republicans", "liberal", "liberals", "unionist", "nationalist", "socialist", "green", "greens"}
)


#: Last words that make a "PERSON" entity a role ("Chief of Staff", "Secretary of State").
_ROLE_HEADS = TITLE_WORDS | {"staff", "state", "defense", "defence", "justice", "treasury", "interior"}


def _titles_of(ent: Any) -> set[str]:
    """Title words attached to a PERSON mention: compounds before it ("Justice Minister Cathy
    Jamieson") or an appositive after it ("Cathy Jamieson, the justice minister")."""
    doc = ent.doc
    out: set[str] = set()
    i = ent.start - 1
    while i >= 0 and doc[i].dep_ in ("compound", "amod") and doc[i].head.i in range(ent.start, ent.end):
        if doc[i].lower_ in TITLE_WORDS:
            out.add(doc[i].lower_)
        i -= 1
    for t in ent:
        if t.lower_ in TITLE_WORDS:
            out.add(t.lower_)
    for c in ent.root.children:
        if c.dep_ == "appos" and c.lower_ in TITLE_WORDS:
            out.add(c.lower_)
            out.add(title_phrase(c))  # "Jack Straw, the foreign secretary"
    if i < ent.start - 1 and doc[ent.start - 1].lower_ in TITLE_WORDS:
        # "Foreign Secretary Jack Straw" gives "foreign secretary", and "Shadow foreign secretary
        # Michael Ancram" only "shadow foreign secretary", so "the foreign secretary" is Straw.
        out.add(title_phrase(doc[ent.start - 1]))
    return out


def _agent(mention: Any) -> bool:
    """The mention is the agent of a passive ("denied by Jack Straw")."""
    return bool(mention.root.dep_ == "pobj" and mention.root.head.dep_ == "agent")


def title_phrase(tok: Any) -> str:
    """A title noun with its modifiers before it, lower case: "the shadow foreign secretary" →
    "shadow foreign secretary"."""
    lo = tok.i
    while lo > 0 and tok.doc[lo - 1].dep_ in ("compound", "amod", "nmod") and tok.doc[lo - 1].head.i >= lo:
        lo -= 1
    return " ".join(t.lower_ for t in tok.doc[lo : tok.i + 1])


def _descriptions_of(ent: Any) -> set[str]:
    """Common nouns that describe a PERSON mention, title words or not: "retired neurosurgeon Ben
    Carson" and "Ben Carson, a retired neurosurgeon" give "neurosurgeon" (for "the neurosurgeon
    said")."""
    doc = ent.doc
    out: set[str] = set()
    i = ent.start - 1
    while i >= 0 and doc[i].dep_ in ("compound", "amod") and doc[i].head.i in range(ent.start, ent.end):
        if doc[i].tag_ == "NN":
            out.add(doc[i].lower_)
        i -= 1
    for c in ent.root.children:
        if c.dep_ == "appos" and c.tag_ == "NN":
            out.add(c.lower_)
    return out


def own_content(tok: Any) -> frozenset[int]:
    """Tokens of what a pronoun *speaker* says in a postposed frame ("The privatisation of companies
    such as Yukos had been badly handled, he said"): a speaker does not name himself in his own words,
    so nobody named there is the "he"."""
    verb = tok.head
    if tok.dep_ != "nsubj" or verb.pos_ not in ("VERB", "AUX"):
        return frozenset()
    return frozenset(
        t.i for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < tok.i for t in c.subtree
    )


def _salient(mention: Any) -> bool:
    """A clause's subject, the owner of a subject ("Obama's veto was ..."), or their appositive."""
    root = mention.root
    if root.dep_ in ("nsubj", "nsubjpass", "appos"):
        return True
    return root.dep_ == "poss" and root.head.dep_ in ("nsubj", "nsubjpass")


@dataclass
class People:
    """The article's people, for certain pronoun resolution (one per Article; built by a stage call)."""

    #: Surname → full name, for every multi-word PERSON the article names (surnames that two people
    #: share are left out: see ``shared``).
    aliases: dict[str, str] = field(default_factory=dict)
    #: Surname → every full name the article gives it.
    full_names: dict[str, set[str]] = field(default_factory=dict)
    #: Surnames two or more people share: a bare "Comey" is neither of them for certain.
    shared: set[str] = field(default_factory=set)
    #: Full name → "m" / "f", from honorifics and certain resolutions.
    gender: dict[str, str] = field(default_factory=dict)
    #: Title word → the full names the article gives it ("minister" → {"Cathy Jamieson"}), from
    #: "Justice Minister Cathy Jamieson" and "Cathy Jamieson, the justice minister".
    titles: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, article: Article) -> People:
        """The people of an analysed Article (its cached spaCy docs)."""
        return cls.of_docs(doc for chunks in article.nlp.values() for _, doc in chunks)

    @classmethod
    def of_docs(cls, docs: Iterable[Any]) -> People:
        people = cls()
        docs_list = list(docs)
        for doc in docs_list:
            for ent in doc.ents:
                if ent.label_ != "PERSON":
                    continue
                if len(ent) >= 2 and ent[-1].is_alpha and ent[-1].text[:1].isupper():
                    people.full_names.setdefault(ent[-1].text, set()).add(ent.text)
                if ent.start > 0:
                    title = doc[ent.start - 1].lower_.rstrip(".")
                    if title in HONORIFICS:
                        people.gender.setdefault(people.full_name(ent), HONORIFICS[title])
                if ent.start in quoted_tokens(doc):
                    continue  # a speaker's "four years of President Trump" gives Trump no title
                for word in _titles_of(ent) | _descriptions_of(ent):
                    people.titles.setdefault(word, set()).add(people.full_name(ent))
        # A surname shared by two people ("James Comey", "Peter Comey") stands for neither.
        people.aliases = {k: next(iter(v)) for k, v in people.full_names.items() if len(v) == 1}
        people.shared = {k for k, v in people.full_names.items() if len(v) > 1}
        # "Sir Nicholas Scott" ... "Sir Nicholas": a knight or dame goes by the given name.
        knighted: dict[str, set[str]] = {}
        for doc in docs_list:
            for ent in doc.ents:
                if ent.label_ == "PERSON" and len(ent) >= 2 and ent.start > 0 and (
                    doc[ent.start - 1].lower_ in ("sir", "dame")
                ):
                    knighted.setdefault(ent[0].text, set()).add(ent.text)
        for given, names in knighted.items():
            if len(names) == 1 and given not in people.full_names:
                people.aliases[given] = next(iter(names))
        for doc in docs_list:
            # "Mr Cable" where NER missed the person: the honorific still gives the gender.
            for t in doc[1:]:
                title = doc[t.i - 1].lower_.rstrip(".")
                if title in HONORIFICS and t.pos_ == "PROPN" and t.ent_type_ != "PERSON" and t.is_alpha:
                    people.gender.setdefault(people.aliases.get(t.text, t.text), HONORIFICS[title])
        return people

    def gender_of(self, name: str) -> str | None:
        """"m" / "f" when the article (honorifics, certain resolutions) or a common given name tells."""
        if name in self.gender:
            return self.gender[name]
        first = name.split()[0].lower() if " " in name else ""
        if first.rstrip(".") in HONORIFICS:  # NER kept the honorific: "Mrs Jane Smith"
            return HONORIFICS[first.rstrip(".")]
        return "f" if first in FEMALE_NAMES else "m" if first in MALE_NAMES else None

    def is_person(self, name: str) -> bool:
        """The article names this person elsewhere (a full name, or the surname of one)."""
        return name in self.aliases or name in self.shared or any(name in v for v in self.full_names.values())

    def by_title(self, word: str) -> str | None:
        """The one person the article gives this title or description ("the minister" → "Cathy
        Jamieson", "the retired neurosurgeon" → "Ben Carson"), or None."""
        names = self.titles.get(word.lower(), set())
        return next(iter(names)) if len(names) == 1 else None

    def full_name(self, mention: Any) -> str:
        text = str(mention.text)
        for suffix in ("’s", "'s"):
            text = text.removesuffix(suffix)
        return self.aliases.get(text, text) if " " not in text else text

    def mentions(
        self, doc: Any, lo: int, hi: int, skip: Iterable[int] = (), *, salient_only: bool = False
    ) -> list[tuple[str, Any]]:
        """Who tokens [lo, hi) (outside ``skip``) may refer to: ``(full name, mention)`` per distinct
        person, plus ``("", mention)`` for each blocker — something a he/she could also mean that is
        not a named person: a proper noun NER left unlabelled ("Naismith", "Kid Rock"), an
        organisation or work as a subject, a person described by a noun ("the senator", "a man").
        A blocker never resolves a pronoun; it only makes the window ambiguous.

        ``salient_only``: named people count only as a clause's subject (or the owner of one:
        "Obama's veto was overridden"), for windows before the pronoun's sentence; anyone else named
        there is a blocker — "Obama met Trump. He said ..." and "..., according to Robert Peston's
        book. He then changed his mind" are not certain.
        """
        skipped = set(skip)
        # A "PERSON" that ends in a title ("Obama’s Chief of Staff") is a role, not a name; a party
        # or a people NER read as a person ("the Conservative's record") is nobody.
        persons = [
            e
            for e in doc.ents
            if e.label_ == "PERSON" and lo <= e.start and e.end <= hi and e[-1].lower_ not in _ROLE_HEADS
            and not (len(e) == 1 and e[0].lower_ in _PARTY_WORDS)
        ]
        in_ents = {t.i for e in doc.ents for t in e}
        in_persons = {t.i for e in persons for t in e}
        # A surname the article gives in full elsewhere is that person even where the tagger or
        # NER got it wrong ("Trump" as a sentence-initial NOUN, as an ORG, "Musk’s" untagged).
        persons += [
            doc[t.i : t.i + 1]
            for t in doc[lo:hi]
            if (t.text in self.aliases or t.text in self.shared)
            and t.is_alpha
            and t.i not in in_persons
            and t.pos_ in ("PROPN", "NOUN")
        ]
        # "Mr Cable" is a person even where NER calls "Vincent Cable" an organisation.
        in_persons = {t.i for m in persons for t in m}
        persons += [
            doc[t.i : t.i + 1]
            for t in doc[max(lo, 1) : hi]
            if t.pos_ == "PROPN" and t.i not in in_persons and t.is_alpha
            and doc[t.i - 1].lower_.rstrip(".") in HONORIFICS
            and (t.i + 1 >= len(doc) or doc[t.i + 1].pos_ != "PROPN")
        ]
        blockers: list[Any] = []
        known = {t.i for m in persons for t in m}
        for t in doc[lo:hi]:
            if t.i in known or t.i in skipped:
                continue
            if t.dep_ == "compound" or t.tag_ in ("NNS", "NNPS"):
                continue  # a plural ("critics", "Democrats") is never a he or a she
            if t.lower_ in TITLE_WORDS and any(c.dep_ == "appos" and c.i in known for c in t.children):
                continue  # "Director, David Caldwell, said": the title is the person named beside it
            if (t.pos_ == "PROPN" and t.i not in in_ents) or (
                t.pos_ in ("NOUN", "PROPN") and t.lower_ in HUMAN_NOUNS
            ) or (
                # "Trump himself has acknowledged his ...": a capitalised subject the tagger read as
                # a common noun or a verb ("trump") may be anyone
                t.pos_ in ("NOUN", "VERB", "ADJ") and t.is_title and t.dep_ in ("nsubj", "nsubjpass")
                and t.i not in in_ents
            ):
                blockers.append(doc[t.i : t.i + 1])
        for e in doc.ents:
            if (
                lo <= e.start
                and e.end <= hi
                and e.label_ not in ("PERSON", *_NOT_AGENTS)
                and e[-1].lower_ not in _NEVER_PERSONS
                and e.root.dep_ in ("nsubj", "nsubjpass", "poss")
                and not any(t.i in known for t in e)
            ):
                # NER's labels are unreliable for names ("Paladino" as a GPE): any named subject
                # that is not a known person makes the window ambiguous.
                blockers.append(e)
        seen: dict[str, Any] = {}
        for m in sorted(persons, key=lambda e: e.start):
            if m.start in skipped:
                continue
            if salient_only and not _salient(m):
                blockers.append(m)
                continue
            name = self.full_name(m)
            seen.pop(name, None)
            seen[name] = m
        return [*seen.items(), *(("", b) for b in blockers if b.start not in skipped)]

    def _windows(self, doc: Any, upto: int, n: int = 2) -> list[list[tuple[str, Any]]]:
        sents = [b for b in sentence_bounds(doc) if b[1] <= upto]
        quoted = quoted_tokens(doc)
        return [self.mentions(doc, lo, hi, quoted, salient_only=True) for lo, hi in reversed(sents[-n:])]

    def likely_referent(self, tok: Any, prev_docs: Sequence[Any] = ()) -> str | None:
        """The person a sentence-opening "he" / "she" most likely refers to, for a *holder* ("He
        also claimed ..."), never for rewriting a claim's text: the first gender-compatible person
        named outside quotations in the nearest earlier sentence that names a compatible person
        (centering: the previous utterance's first-ranked mention), looking back two sentences
        and into the paragraphs before. None when the pronoun is quoted or someone is named
        earlier in its own sentence (then :meth:`referent` decides)."""
        low = tok.lower_
        if low not in PERSONAL_PRONOUNS:
            return None
        doc = tok.doc
        quoted = quoted_tokens(doc)
        start = next((lo for lo, hi in sentence_bounds(doc) if lo <= tok.i < hi), tok.i)
        if tok.i in quoted or any(n for n, _ in self.mentions(doc, start, tok.i, quoted | own_content(tok))):
            return None
        gender = PERSONAL_PRONOUNS[low]
        spans = [(doc, lo, hi) for lo, hi in sentence_bounds(doc) if hi <= start][::-1][:2]
        for earlier in prev_docs:
            spans += [(earlier, lo, hi) for lo, hi in sentence_bounds(earlier)[::-1][:2]]
        for d, lo, hi in spans[:4]:
            q = quoted_tokens(d)
            found = self.mentions(d, lo, hi, q)
            subjects = sorted((m.start, n) for n, m in found if m.root.dep_ in ("nsubj", "nsubjpass"))
            if subjects and not subjects[0][1] and d[subjects[0][0]].lower_ in HUMAN_NOUNS:
                return None  # "An M&S spokesman said ... He also said": the unnamed subject
            # Centering ranks the subject first, then the rest in order: after "In a letter to ...
            # Sen. Chuck Grassley, Feinstein suggested ...", "She noted" is Feinstein.
            if not subjects and any(
                PERSONAL_PRONOUNS.get(t.lower_) == gender and t.dep_ in ("nsubj", "nsubjpass")
                and t.i not in q for t in d[lo:hi]
            ):
                # "..., he said." before "But he stressed ...": the same "he" goes on; whoever
                # that sentence names is not the centre (Yukos, in what Gref said).
                continue
            # Only someone the sentence is about can be the likely "he": not a name inside a
            # prepositional phrase ("Rory Bremner's impression of him as Dracula. ... she confesses").
            # (the agent of a passive is its logical subject: "His claims were denied by Jack Straw,
            # ... EU cooperation would help ..., he argued" is Straw)
            ordered = sorted((m.root.dep_ not in ("nsubj", "nsubjpass") and not _agent(m), m.start, n)
                             for n, m in found if n and (m.root.dep_ != "pobj" or _agent(m)))
            compatible = [n for _, _, n in ordered if self.gender_of(n) in (gender, None)]
            if compatible:
                return compatible[0]
            # A sentence naming only the other gender ("he said Michelle Obama") or none at all
            # continues the same "he": look further back.
        return None

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
        clause = tok.head
        if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children) and (
            clause.head.lower_.startswith(_ASKING)
        ):
            # "Wallace asked whether he was going to ...": the one asked, whom the asker's own
            # sentence need not name.
            return None
        if any(n for n, _ in self.mentions(doc, tok.i + 1, sent.end, quoted)):
            # Someone named later in the same sentence: "He responded just as Mr. Putin had
            # calculated" (not Putin), "In his speech, Obama said ..." (Obama): either way the
            # earlier text cannot settle it.
            return None
        first_person = min((m.start for _, m in self.mentions(doc, sent.start, tok.i, quoted)), default=tok.i)
        if any(
            PERSONAL_PRONOUNS.get(t.lower_) == gender and t.i not in quoted
            for t in doc[sent.start : first_person]
        ):
            # "He was terrible as Obama's chief of staff and he's been a terrible mayor": an earlier
            # pronoun with no antecedent in the sentence is this one's referent, and it is unknown.
            return None
        own_clause = [(n, m) for n, m in self.mentions(doc, sent.start, tok.i, quoted | own_content(tok))]
        if tok.dep_ in ("dobj", "dative", "iobj") or (tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB"):
            # Principle B: "Tony Blair called him a giant": an object pronoun is not its own
            # clause's subject.
            governor = tok.head if tok.dep_ != "pobj" else tok.head.head
            subjects = {c.i for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")}
            own_clause = [(n, m) for n, m in own_clause if m.root.i not in subjects]
        windows = [own_clause]
        windows += self._windows(doc, sent.start)
        own = len(windows)
        if len([b for b in sentence_bounds(doc) if b[1] <= sent.start]) < 2:
            for earlier in prev_docs:
                windows += self._windows(earlier, len(earlier))
        for k, people in enumerate(windows):
            if not people:
                continue
            agreeing = [(n, m) for n, m in people if n and self.gender_of(n) in (gender, None)]
            if len(people) == 1 and len(agreeing) == 1:
                if k >= own and self._contested(agreeing[0][0], gender, doc, sent.end, prev_docs):
                    return None
                self.gender.setdefault(agreeing[0][0], gender)
                return agreeing[0]
            return None  # the nearest window that names anyone names several (or a blocker)
        return None

    def _contested(self, name: str, gender: str, doc: Any, after: int, prev_docs: Sequence[Any]) -> bool:
        """Across a paragraph break the nearest person is certain only if the pronoun's own
        paragraph does not go on to name another compatible person in its next sentence ("He’s only
        got a few weeks left ... Obama needs to work fast", after a line on Trump), and the article
        so far names no other compatible person more often."""
        nxt = next(((lo, hi) for lo, hi in sentence_bounds(doc) if lo >= after), None)
        if nxt is not None:
            q = quoted_tokens(doc)
            if any(n and n != name and self.gender_of(n) in (gender, None)
                   for n, _ in self.mentions(doc, nxt[0], nxt[1], q)):
                return True
        counts: dict[str, int] = {}
        for d in prev_docs:
            for n, _ in self.mentions(d, 0, len(d), quoted_tokens(d)):
                if n and self.gender_of(n) in (gender, None):
                    counts[n] = counts.get(n, 0) + 1
        mine = counts.get(name, 0)
        return any(c > mine for n, c in counts.items() if n != name)
