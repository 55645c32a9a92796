"""What is not a claim: fragments, bylines and source lines, questions, calls to action, pointers to
other content, rhetorical remarks and idioms (:func:`non_claim`), and the small shared vocabulary of
the claims stage's rewrites (:class:`Resolved`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..lexicon import REPORT_FORMS


@dataclass
class Resolved:
    """One rewrite of the claim: token range replaced, text shown in brackets, antecedent offsets
    in the article text."""

    lo: int
    hi: int
    text: str
    antecedent: tuple[int, int] | None = None


#: Lines that point at other content instead of saying something: "Here is the transcript.",
#: "Below is the video", "Watch: ...", "Click here to ...".
POINTER = re.compile(
    r"(?:(?:here|below)(?:'s|’s| is| are)\b.*(?:\b(?:transcript|video|clip|footage|guide|list|look|text|"
    r"statement|photos?|pictures?|map|timeline|breakdown|rundown|summary|excerpts?|what|how|why)\b|:\s*$)"
    r"|read more\b|click here\b|(?:related|see also|also read|more)\s*:"
    r"|(?:screenshot|screen\s?grab|screen shot)s?\s+(?:of|from|shows|showing)\b)",  # an image's caption
    re.I | re.S,
)


#: Stock phrases that state nothing checkable on their own.
_IDIOM = re.compile(r"^\W*(?:(?:that is |that's |it's |it is )?easier said than done|so far,? so good"
                    r"|time will tell|only time will tell|the rest is history"
                    r"|(?:may |and )?god bless"
                    r"(?: you| you all| america| the united states(?: of america)?| us all)?)"
                    r"\W*$", re.I)


#: Verbs that open a call to action ("Share this story", "Watch the speech below", "Find out how").
_ACTION_VERBS = frozenset(
    {
        "share", "watch", "look", "tell", "find", "take", "click", "read", "see", "follow", "subscribe",
        "sign", "join", "call", "contact", "donate", "vote", "help", "like", "comment", "listen", "check",
        "learn", "visit", "download", "get", "send", "write", "support", "tweet", "imagine", "remember",
        "think", "consider", "stand", "act", "spread", "sound", "leave", "let", "keep", "stay", "pray",
        "demand",
    }
)


_TRAILING_DATE = re.compile(r"\s+[A-Za-z]{3,9}\.?\s+\d{1,2},\s+\d{4}\.?$")


#: Embedded video or link titles ("Trump rally speech (VIDEO)", "... - YouTube").
_EMBED = re.compile(
    r"\((?:video|watch|photos?|audio)\)|\[(?:video|watch|photos?|audio)\]|\bVIDEO:|- YouTube\b|\bWATCH:"
    r"|\s\d{1,2}:\d{2}\s*$"  # a video's caption with its running time ("... for Clinton 01:18")
    r"|\bPlay Video|\bEmbed\s*$",  # player chrome ("... meetings Play Video1:54", "... Google Plus Embed")
    re.I,
)


#: Subordinators that make a clause a fragment when it opens the statement ("That some said ...").
_FRAGMENT_MARKS = {"that", "because", "although", "though", "if", "whether", "while", "unless", "since",
                   "before", "after", "until", "as"}


#: Focus adverbs that may open a fragment: "Just because he’s Barack Obama." (not "only", "even":
#: "Only because the Fed cut rates did the economy recover" has its main clause).
#: A verb's complements: without any of them in the statement, what is left is a frame.
COMPLEMENTS = ("ccomp", "xcomp", "dobj", "attr", "acomp", "oprd")


_FOCUS = {"just", "simply", "mainly", "partly", "precisely", "exactly"}


_WH = {"who", "what", "which", "whom", "whose", "why", "how", "where", "when"}


#: A speaker's own state of mind ("I love beautiful women", "I don't know what I would have done"):
#: not something a fact-checker can check.
_MENTAL_FORMS = {
    "love", "like", "hate", "know", "knew", "think", "thought", "feel", "felt", "hope", "hoped", "wish",
    "wished", "realize", "realized", "realise", "realised", "want", "wanted", "wonder", "wondered",
    "guess", "imagine", "imagined", "believe", "believed", "fear", "feared", "suppose", "doubt",
}


#: Auxiliaries and "have" that cannot end a complete statement ("Mr Chidambaram has.").
_BARE_AUX = frozenset({"has", "have", "had", "does", "do", "did", "is", "are", "was", "were"})
#: Reporting verbs (inflected: the parser runs without a lemmatizer) that say nothing on their own.
SAY_FORMS = {
    "say", "says", "said", "add", "adds", "added", "tell", "tells", "told", "note", "notes", "noted",
    "write", "writes", "wrote", "explain", "explains", "explained", "continue", "continues", "continued",
    "conclude", "concludes", "concluded", "ask", "asks", "asked", "reply", "replies", "replied",
}


def _link_list(toks: list[Any]) -> bool:
    """'Trump Claims Not Deporting Obamas Would Be ‘Discriminatory’ | Obama refusing to leave': other
    stories' headlines run together with a separator, in title case."""
    if not any(t.text in ("|", "•") for t in toks):
        return False
    words = [t for t in toks if t.is_alpha and len(t.text) > 3]
    return bool(words) and sum(t.text[:1].isupper() for t in words) >= 0.6 * len(words)


def non_claim(
    span: Any, resolved: list[Resolved], *, title: bool = False, implied_subject: bool = False
) -> str | None:
    """Why ``span`` is not a claim (a fragment, a byline or source line, a rhetorical remark), or None.

    A claim is a complete clause: a finite verb (or a finite auxiliary) with its subject, not opened
    by a subordinator or a wh-word, and something checkable in it: a noun, a name or a number (a
    resolved pronoun counts as a name). "It started here." and "Scheindlin added." say nothing
    checkable; "Not to vote for him." and "Source: The Atlantic." are not clauses.
    """
    toks = [t for t in span if not t.is_punct and not t.is_space]
    if not toks:
        return "empty"
    if _TRAILING_DATE.sub("", span.text.rstrip()).rstrip().rstrip("”’\"') ").endswith("?"):
        return "question"  # also a linked headline with its date: "Can X Keep You Safe? SEPT. 24, 2016"
    first = toks[0]
    if _IDIOM.match(span.text):
        return "a rhetorical remark (an idiom)"
    if POINTER.match(span.text.lstrip()) or _EMBED.search(span.text) or _link_list(toks):
        return "a pointer to other content (here is ..., a video or link line)"
    verb = toks[1] if first.lower_ == "please" and len(toks) > 1 else first
    if verb.tag_ == "VB" and verb.dep_ == "ROOT" and verb.lower_ in _ACTION_VERBS and not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children
    ):
        # "Share this if you agree.", "Please call your senator.", "Watch the full speech below."
        return "a call to action (an imperative)"
    if first.lower_ in _WH and first.dep_ in ("nsubj", "nsubjpass", "attr", "advmod", "dobj") and (
        first.head.i == span.root.i
    ):
        # "Who says." — not "When some wanted to delay the raid, she refused" (a main clause follows).
        return "question or rhetorical remark"
    if first.lower_ in ("what", "whatever") and span.root.lower_ not in ("is", "was", "are", "were") and (
        not any(c.dep_ in ("csubj", "csubjpass") for c in span.root.children)
    ) and not span.text.rstrip().endswith("?"):
        # "What the US considers to be good governance and sound policies.": a free relative cut off
        # its sentence (not "What he said was true.", whose clause is the subject).
        return "relative clause fragment"
    lead = toks[1] if first.dep_ == "advmod" and first.lower_ in _FOCUS and len(toks) > 1 else first
    if lead.dep_ == "mark" and lead.lower_ in _FRAGMENT_MARKS and lead.head.i == span.root.i:
        # The whole statement is the subordinate clause ("Because he said so."); "Since the inquiry
        # began, Marsh has replaced its chief executive" has its main clause after it.
        return "subordinate clause fragment"
    if (
        first.lower_ in ("should", "had", "were")
        and first.dep_ in ("aux", "auxpass", "ROOT")
        and len(toks) > 2
        and toks[1].dep_ in ("nsubj", "nsubjpass", "det")
        and first.head.i == span.root.i
        and not span.text.rstrip().endswith("?")
    ):
        # "Should the offer be fully accepted." cut from "Should the offer be fully accepted, Mr
        # Murray said he expected ...": a condition without its consequence.
        return "a condition without its consequence"
    if first.lower_ in ("that", "which", "whom", "whose") and (
        first.dep_ in ("dobj", "pobj", "mark") or first.tag_ in ("WDT", "WP", "WP$")
    ):
        return "relative clause fragment"
    inside = {t.i for t in span}
    finite = False
    # The clause's own verb: the span's root and the verbs coordinated with it ("X rose and Y fell"),
    # not a verb inside a relative clause ("Democrats to question the system by which ... chooses").
    root = span.root
    heads = [root, *[c for c in root.conjuncts if c.i in inside]]
    for t in heads:
        if t.pos_ not in ("VERB", "AUX"):
            continue
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass")]
        # (the parser can hang the subject on the auxiliary: "that the investigation ... was closed")
        subj += [c for a in t.children if a.dep_ in ("aux", "auxpass") for c in a.children
                 if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj and t.dep_ == "conj":
            subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")]
        fin = "Fin" in t.morph.get("VerbForm") or any(
            "Fin" in c.morph.get("VerbForm") or c.tag_ == "MD"  # "ca" of "can't" has no VerbForm
            for c in t.children if c.dep_ in ("aux", "auxpass")
        )
        if not fin and t.tag_ in ("VBN", "VB") and any(c.dep_ == "nsubj" for c in subj) and not any(
            c.dep_ in ("aux", "auxpass") for c in t.children
        ):
            # The small tagger's misreadings of a finite verb with its own subject: "Trump accused
            # Cruz of ..." (VBN), "Taxpayers also end up paying ..." (VB).
            fin = True
        if title and not fin:
            # Headlinese: "Trump to visit China", "Bill passed by Senate".
            fin = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) or t.tag_ == "VBN"
        if fin and any(s.i in inside for s in subj):
            finite = True
            break
    if not finite and not implied_subject:
        return "fragment (no finite verb with a subject)"
    if root.tag_ == "MD" and not any(c.dep_ in ("xcomp", "ccomp", "acomp", "attr", "dobj", "advmod", "prep")
                                     for c in root.children):
        return "fragment (a modal with no verb: 'Voters would.')"
    if root.lower_ in _BARE_AUX and not any(c.i > root.i and not c.is_punct for c in root.children):
        # "In his budget Mr Chidambaram has." (the lead-in to a list), "He did.": nothing follows.
        return "fragment (a verb with nothing after it: 'Mr Chidambaram has.')"
    if any(c.dep_ in COMPLEMENTS and c.i not in inside for c in root.children) and not any(
        c.dep_ in COMPLEMENTS and c.i in inside for c in root.children
    ):
        # "Prime minister's questions also saw.", "Erdogan said in his Tuesday comments.": the verb's
        # complement is a statement of its own; what is left is a frame.
        return "a frame whose content is its own statement"
    replaced = {i for r in resolved for i in range(r.lo, r.hi)}
    checkable = any(
        t.pos_ in ("NOUN", "PROPN", "NUM") or t.i in replaced or t.like_num for t in toks
    )
    if not checkable:
        return "nothing checkable (only pronouns and function words)"
    if span.text.rstrip().rstrip("”’\"') ").endswith("!") and not any(
        t.pos_ in ("PROPN", "NUM") or t.like_num or t.ent_type_ for t in toks
    ):
        # "This is insane!", "Enough is enough!": an exclamation with nothing named or counted.
        return "an exclamation (rhetorical)"
    if any(c.dep_ == "nsubj" and c.lower_ == "you" for c in root.children) and not any(
        t.pos_ in ("PROPN", "NUM") for t in toks
    ):
        # "When you get to the top in politics you get this huge swell around you.": generic "you".
        return "a general remark (generic you)"
    if root.lower_ in _MENTAL_FORMS and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("i", "we") for c in root.children
    ):
        return "a first-person feeling or state of mind"
    last_verb = next((t for t in reversed(toks) if t.pos_ in ("VERB", "AUX")), None)
    if span.text.rstrip().endswith(":") and last_verb is not None and (
        last_verb.lower_ in SAY_FORMS or last_verb.lower_ in REPORT_FORMS
    ):
        # "In a statement about the request, the Trump transition team says:": what was said follows.
        return "a reporting frame (what was said follows it)"
    # What was said: for "tell" only a clause (its object is the audience: "told researchers:").
    said = ("ccomp", "xcomp") if root.lower_ in ("tell", "tells", "told", "telling") else (
        # "Murray said to the roaring crowd": the hearer, not what was said
        "ccomp", "xcomp", "dobj", "dative", "advcl"
    ) if root.lower_ in ("say", "says", "said", "add", "adds", "added") else (
        "ccomp", "xcomp", "dobj", "dative", "prep", "advcl"
    )
    if (root.lower_ in SAY_FORMS or root.lower_ in REPORT_FORMS) and not any(
        c.dep_ in said and c.i in inside for c in root.children
    ):
        return "a reporting verb without what was said"
    return None
