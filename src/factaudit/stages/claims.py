"""Claims: atomic, stand-alone statements a fact-checker would check, ranked by check-worthiness.

From each assertion the stage takes what is claimed (for "Critics argue that X" that is X, still
held by the critics), makes it stand alone, and splits coordinated entities ("with both Russia and
China" → one claim each). Making it stand alone means: drop answer particles and discourse
openers ("Yes,", "However,"), resolve "his"/"he" to the person the article is about, replace
"this collaboration" / "these partnerships" by what they refer to, and "this matter" in an FAQ
answer by its question. Every claim keeps its assertion (holder, hedges) and source span. The
trained check-worthiness model (models/checkworthiness.py) scores and ranks them; a claim scores at
least what its source statement scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..document import Article, Assertion, Claim, ModelInfo, Rewrite
from ..lexicon import HEADING_SMALL_WORDS, INTERVIEWER_LABELS, REPORT_FORMS
from ..models.checkworthiness import get_model
from ..models.nlp import article_words, text_length
from ..reference import PERSONAL_PRONOUNS, People, opens_title, preceding_docs, quoted_tokens
from . import BaseStage
from ._nonclaims import COMPLEMENTS, POINTER, SAY_FORMS, Resolved, non_claim

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "LAW")
#: Heads of noun phrases that "this ..." / "these ..." commonly points back to.
REFERRING_NOUNS = {
    "collaboration": "collab",
    "collaborations": "collab",
    "cooperation": "collab",
    "partnership": "collab",
    "partnerships": "collab",
    "relationship": "collab",
    "relationships": "collab",
    "connection": "collab",
    "connections": "collab",
    "ties": "collab",
    "dealings": "collab",
    "alliance": "collab",
    "deal": "deal",
    "deals": "deal",
    "agreement": "deal",
    "agreements": "deal",
    "contract": "deal",
    "plan": "plan",
    "plans": "plan",
    "project": "plan",
    "projects": "plan",
    "policy": "plan",
    "decision": "decision",
    "move": "decision",
    "step": "decision",
}
CONTEXT_NOUNS = {"matter", "issue", "question", "topic", "subject"}
OPENERS = {
    "however",
    "similarly",
    "nevertheless",
    "nonetheless",
    "moreover",
    "furthermore",
    "additionally",
    "meanwhile",
    "indeed",
    "thus",
    "therefore",
    "consequently",
    "still",
    "also",
    "besides",
    "likewise",
    "yes",
    "no",
    "well",
    "so",
    "instead",
    "overall",
    "ultimately",
    "importantly",
    "notably",
}
_SPACE = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r"\s+([,.;:!?’”)])")


@dataclass
class _Ctx:
    """What earlier text makes clear: antecedent phrases for "this cooperation" and known genders."""

    people: People = field(default_factory=People)
    antecedents: dict[str, str] = field(default_factory=dict)
    #: The sentence (a spaCy span) where the latest antecedent was seen: "they" resolves within it,
    #: never in another paragraph's sentence that starts at the same token index.
    antecedent_sentence: Any = None


class ClaimsStage(BaseStage):
    """Stand-alone claims from the assertions (a complete clause each; fragments and remarks left
    out), rewritten only where a referent is certain, and ranked by the check-worthiness model."""

    name = "claims"
    requires: tuple[str, ...] = ("assertions", "sentences", "blocks", "nlp")
    assigns: tuple[str, ...] = ("claims",)

    #: At most this many claims per article are scored (the rest keep score None).
    max_claims = 2_000

    def warm_up(self) -> None:
        get_model().load()

    def model_info(self) -> list[ModelInfo]:
        info = get_model().info()
        return [
            ModelInfo(
                name=str(info.get("name")),
                version=str(info.get("version")),
                sha256=info.get("sha256"),
                path=info.get("path"),
            )
        ]

    def __call__(self, article: Article) -> Article:
        if not article.auditable:
            article.skipped.append("claims: skipped (unsupported language)")
            return article
        ctx = _Ctx(people=People.of(article))
        doc_offsets = {id(doc): off for chunks in article.nlp.values() for off, doc in chunks}
        blocks = {b.id: b for b in article.blocks}
        before = preceding_docs(article)
        claims: list[Claim] = []
        non_claims = 0
        seen_appositives: set[int] = set()
        for a in article.assertions:
            found = _assertion_tokens(article, a)
            if found is None:
                continue
            whole_found = _assertion_tokens(article, a, content=False)
            appositives = (
                _appositive_claims(whole_found[0], whole_found[1], ctx.people, seen_appositives)
                if whole_found is not None
                else []
            )
            if a.holder.kind != "author":
                # Held by the assertion's holder only inside what they are reported to say; the
                # reporting frame's "X, the operator of Y, said ..." is the author's description.
                inside = a.content if a.content is not None else None
                appositives = [x for x in appositives if inside is not None
                               and inside.start <= x[1] and x[2] <= inside.end]
            span, off = found
            question = blocks[a.block_id].question_id
            q_text = blocks[question].text if question else None
            title = blocks[a.block_id].kind in ("title", "heading")
            resolved = _resolve(span, ctx, q_text, before.get(a.block_id, []), doc_offsets)
            implied = _participle_subject(span, off)
            if implied is not None:
                # '“Grab on, kid!” said Kerry, flinging the lifeline ... to the boy, an orphan ...':
                # the narration after the frame has the frame's subject ("[Kerry was flinging] ...").
                resolved = [*resolved, implied]
            why = non_claim(span, resolved, title=title, implied_subject=implied is not None)
            if why is not None and not why.startswith(_NO_FALLBACK):
                whole = _assertion_tokens(article, a, content=False)
                if whole is not None and whole[0] != span:
                    # "Analysts expect [Jet to raise 16.4bn rupees]": what is expected is no clause on
                    # its own; the claim is the whole statement, still held by the analysts.
                    span, off = whole
                    resolved = _resolve(span, ctx, q_text, before.get(a.block_id, []), doc_offsets)
            claims.extend(
                Claim(id="", assertion_id=a.id, text=article_words(text, article.text), start=cs, end=ce,
                      sentence_id=a.sentence_id, rewrites=[rw])
                for text, cs, ce, rw in appositives
            )
            if non_claim(span, resolved, title=title, implied_subject=implied is not None) is not None or (
                a.reporting_verb and _bare_frame(span, a.reporting_verb)
            ) or POINTER.match(a.text.lstrip()):  # (the whole statement: "Screenshot of ... admitting that")
                non_claims += 1
                _update_ctx(span, ctx, resolved)
                continue
            for t, used in _standalone(span, resolved):
                claims.append(
                    Claim(
                        id=f"c{len(claims) + 1}",
                        assertion_id=a.id,
                        text=article_words(t, article.text),
                        start=a.start,
                        end=a.end,
                        sentence_id=a.sentence_id,
                        context=a.context,
                        rewrites=[
                            Rewrite(
                                start=off + span.doc[r.lo].idx,
                                end=off + span.doc[r.hi - 1].idx + len(span.doc[r.hi - 1].text),
                                original=article_words(span.doc[r.lo : r.hi].text, a.text),
                                replacement=article_words(r.text, article.text),
                                antecedent_start=r.antecedent[0] if r.antecedent else None,
                                antecedent_end=r.antecedent[1] if r.antecedent else None,
                            )
                            for r in used
                        ],
                    )
                )
            _update_ctx(span, ctx, resolved)
        # The same words twice from one sentence ('George Osborne said: "Everyone who looks at ...,"
        # he said.', a double frame in the copy) are one claim: the first holder's.
        seen_texts: set[tuple[str | None, str]] = set()
        distinct: list[Claim] = []
        for c in claims:
            key = (c.sentence_id, c.text)
            if key not in seen_texts:
                seen_texts.add(key)
                distinct.append(c)
        claims = distinct
        for i, c in enumerate(claims, 1):
            c.id = f"c{i}"
        if non_claims:
            article.skipped.append(
                f"claims: {non_claims} statement(s) are not claims (fragments, bylines, source lines, "
                "questions or remarks without a checkable clause)"
            )
        scored = claims[: self.max_claims]
        if len(claims) > self.max_claims:
            article.skipped.append(
                f"claims: only the first {self.max_claims} of {len(claims)} claims were scored"
            )
        if scored:
            model = get_model()
            threshold = self.settings.checkworthiness_threshold
            if threshold is None:
                threshold = model.threshold
            # An atomic claim is at least as check-worthy as the statement it was cut from: splitting
            # "with both Russia and China" must not make either half less worth checking.
            by_id = {a.id: a for a in article.assertions}
            # Score each distinct text once (most claims are their statement's text unchanged).
            unique = sorted({c.plain_text for c in scored} | {by_id[c.assertion_id].text for c in scored})
            score_of = dict(zip(unique, (float(x) for x in model.score(unique)), strict=True))
            probs = [max(score_of[c.plain_text], score_of[by_id[c.assertion_id].text]) for c in scored]
            for c, p in zip(scored, probs, strict=True):
                c.checkworthiness = round(float(p), 4)
                c.check_worthy = bool(p >= threshold)
            order = sorted(scored, key=lambda c: -(c.checkworthiness or 0.0))
            for rank, c in enumerate(order, 1):
                c.rank = rank
        article.claims = claims
        return article


# --- helpers ---------------------------------------------------------------------------------


def _doc_and_offset(article: Article, a: Assertion) -> tuple[Any, int] | None:
    for off, doc in article.nlp.get(a.block_id, []):
        if off <= a.start and a.end <= off + text_length(doc):
            return doc, off
    return None


def _assertion_tokens(article: Article, a: Assertion, *, content: bool = True) -> tuple[Any, int] | None:
    """The claim's token span (the content of an attributed statement, unless ``content`` is False)
    and its doc's offset."""
    found = _doc_and_offset(article, a)
    if found is None:
        return None
    doc, off = found
    s, e = a.start, a.end
    if content and a.content is not None and a.holder.kind != "author":
        s, e = a.content.start, a.content.end
    span = doc.char_span(s - off, e - off, alignment_mode="expand")
    return (span, off) if span is not None and len(span) else None


#: What makes an appositive worth a claim: it names an organisation, place, group, work or date,
#: or counts something ("a school board member since 2013"), not only a role ("the president-elect").
_APPOSITIVE_FACTS = frozenset(
    {"ORG", "GPE", "NORP", "PERSON", "DATE", "FAC", "LOC", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"}
)


def _appositive_claims(
    span: Any, off: int, people: People, seen: set[int]
) -> list[tuple[str, int, int, Rewrite]]:
    """Claims the article makes in passing about a named person or organisation: "Viola, founder and
    chairman of Virtu Financial, ..." → "Viola [is] founder and chairman of Virtu Financial." Only
    appositives that name or count something (not "Trump, the president-elect"), outside quotations;
    the inserted "is" is a traceable rewrite of the comma. ``seen`` keeps one claim per appositive
    when several assertions share a sentence."""
    doc = span.doc
    quoted = quoted_tokens(doc)
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or not (span.start <= ent.start and ent.end < span.end):
            continue
        if ent.start in quoted or doc[ent.end].text not in (",", "—", "–", "--", "("):
            continue
        if ent.text.isupper():
            continue  # a dateline ("FARMVILLE, VIRGINIA (The Borowitz Report)—"), not a description
        if ent.label_ == "PERSON" and any(a.dep_ == "appos" for a in ent.root.ancestors):
            # "Pete Teeley, press secretary to George H.W. Bush, former U.S. ambassador to Canada":
            # a person inside another's description; what follows may describe either of them.
            continue
        app = next((c for c in ent.root.children if c.dep_ == "appos" and c.i > ent.end), None)
        if app is None or app.i in quoted or off + app.idx in seen:
            continue
        # The appositive without a relative clause hanging off it ("..., who has been ...").
        drop = {t.i for c in app.subtree if c.dep_ in ("relcl", "acl") for t in c.subtree}
        toks = [t for t in app.subtree if t.i not in drop and t.i < span.end]
        while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
            toks = toks[:-1]
        words = [t for t in toks if not t.is_punct]
        if len(words) < 3 or toks[0].i != ent.end + 1 or not any(
            t.ent_type_ in _APPOSITIVE_FACTS or t.like_num for t in words
        ):
            continue
        if (app.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") and app.pos_ == "PROPN") or (
            any(t.dep_ == "cc" for t in words)
            and sum(1 for t in words if t.pos_ == "PROPN") >= len(words) - 2
        ):
            # "Moazzam Begg, Martin Mubanga, Feroz Abbasi and Richard Belmar were held ...", a video
            # credit "(McKenna Ewen, Whitney Shefte, ...)": a list of names, not a description.
            continue
        seen.add(off + app.idx)
        name = people.full_name(ent) if ent.label_ == "PERSON" else ent.text
        first = ent.start
        if ent.label_ != "PERSON" and ent.start > span.start and doc[ent.start - 1].lower_ == "the":
            first = ent.start - 1  # "The Aviator", not "Aviator": the article's own name
            name = f"{doc[first].text} {name}"
        body = doc[toks[0].i : toks[-1].i + 1].text
        gap_start, gap_end = off + doc[ent.end].idx, off + toks[0].idx
        rewrite = Rewrite(start=gap_start, end=gap_end, original=doc.text[gap_start - off : gap_end - off],
                          replacement="is")
        text = _finish(f"{name} [is] {body}")
        out.append((text, off + doc[first].idx, off + toks[-1].idx + len(toks[-1].text), rewrite))
    return out


def _update_ctx(span: Any, ctx: _Ctx, resolved: list[Resolved]) -> None:
    for tok in span:
        kind = REFERRING_NOUNS.get(tok.lower_)
        if kind and not any(c.lower_ in ("this", "these", "that", "those") for c in tok.children):
            phrase = _antecedent_phrase(tok, span, resolved)
            if phrase and len(phrase.split()) >= 2:
                ctx.antecedents[kind] = phrase
                ctx.antecedent_sentence = span.sent


def _antecedent_phrase(noun: Any, span: Any, resolved: list[Resolved]) -> str | None:
    """'partnerships with Russian energy companies' (+ the owner when the clause names it; a pronoun
    inside it only when it was resolved with certainty: "his collaborations" → "Musk’s ...")."""
    keep = [noun]
    for c in noun.children:
        if c.dep_ in ("prep", "amod", "compound", "poss") and c.i >= span.start and c.i < span.end:
            keep.extend(c.subtree)
    toks = sorted({t.i for t in keep if span.start <= t.i < span.end})
    if not toks:
        return None
    first = span.doc[toks[0]]
    by_token = {r.lo: r for r in resolved if r.hi == r.lo + 1}
    if any(span.doc[i].lower_ in PERSONAL_PRONOUNS and i not in by_token for i in toks):
        return None  # "his partnerships ...": the owner is a pronoun nobody could resolve
    phrase = "".join(
        (by_token[t.i].text if t.i in by_token else t.text) + t.whitespace_
        for t in span.doc[toks[0] : toks[-1] + 1]
    ).strip()
    if first.is_sent_start and first.pos_ != "PROPN":
        phrase = phrase[0].lower() + phrase[1:]
    if len(phrase.split()) > 14:
        return None
    has_owner = any(c.dep_ == "poss" for c in noun.children)
    if not has_owner and noun.dep_ in ("dobj", "pobj"):
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.pos_ == "PROPN":
            owner = span.doc[subj.left_edge.i : subj.i + 1].text
            phrase = f"{owner}’s {phrase}"
    return phrase


def _resolve(
    span: Any,
    ctx: _Ctx,
    question: str | None,
    prev_docs: Sequence[Any] = (),
    doc_offsets: dict[int, int] | None = None,
) -> list[Resolved]:
    """What the claim replaces to stand alone, each replacement certain (see :func:`_referent`)."""
    doc = span.doc
    out: list[Resolved] = []
    quoted = quoted_tokens(doc)
    for tok in span:
        low = tok.lower_
        if low in PERSONAL_PRONOUNS and tok.pos_ == "PRON":
            possessive = tok.tag_ == "PRP$" or (low in ("his",) and tok.dep_ == "poss")
            if low == "her" and not possessive and tok.dep_ not in ("dobj", "pobj", "dative"):
                continue
            found = ctx.people.referent(tok, prev_docs)
            if found is None:
                continue
            _, ent = found
            # The surname when it names one person only ("Bush’s"), else the mention as written.
            surname = ent[-1].text if " " in ent.text and ent[-1].text in ctx.people.aliases else None
            if not surname and " " not in ent.text and ent.text in ctx.people.shared:
                continue  # a bare "Comey" where the article has two Comeys: not certain
            name = surname or ent.text.removesuffix("’s").removesuffix("'s")
            title = ent.doc[ent.start - 1] if ent.start > 0 else None
            if not surname and " " not in name and title is not None and title.lower_ in ("sir", "dame"):
                name = f"{title.text} {name}"  # "Sir Nicholas", as the article calls him
            shown = f"{name}’s" if possessive else name
            base = (doc_offsets or {}).get(id(ent.doc), 0)
            out.append(Resolved(tok.i, tok.i + 1, shown, (base + ent.start_char, base + ent.end_char)))
        elif (
            low == "they"
            and tok.dep_ == "nsubj"
            and "collab" in ctx.antecedents
            and ctx.antecedent_sentence is not None
            and ctx.antecedent_sentence.doc is span.doc
            and ctx.antecedent_sentence.start == span.sent.start
            and tok.i not in quoted
        ):
            out.append(Resolved(tok.i, tok.i + 1, ctx.antecedents["collab"]))
        elif low in ("this", "these") and tok.dep_ == "det" and tok.i not in quoted:
            head = tok.head
            kind = REFERRING_NOUNS.get(head.lower_)
            if kind and kind in ctx.antecedents and tok.i < head.i < span.end:
                out.append(Resolved(tok.i, head.i + 1, ctx.antecedents[kind]))
            elif head.lower_ in CONTEXT_NOUNS and question and tok.i < head.i < span.end:
                out.append(Resolved(tok.i, head.i + 1, f"the question “{question}”"))
    return out


#: A news agency glued to the first word by the tokenizer: "(CNN)The".
_GLUED_SOURCE = re.compile(r"^[A-Z][A-Za-z]{1,10}\)(\w+)$")
#: Reasons a content clause is no claim that its whole statement ("X said: <remark>") shares.
_NO_FALLBACK = ("a first-person", "question", "a general remark", "an exclamation", "a condition")


def _bare_frame(span: Any, verb: str) -> bool:
    """'The KKK members insisted in an interview with The Associated Press.': the statement's own
    reporting verb with nothing reported (its content is another sentence's)."""
    root = span.root
    return root.text == verb and not any(
        c.dep_ in (*COMPLEMENTS, "dative", "parataxis") for c in root.children
    )


def _participle_subject(span: Any, off: int) -> Resolved | None:
    """The participle opening a statement cut from after a frame ("..., said Kerry, flinging the
    lifeline ...") rewritten with the frame's named subject: "[Kerry was flinging]"."""
    toks = [t for t in span if not t.is_punct]
    if not toks:
        return None
    first, doc = toks[0], span.doc
    head = first.head
    if first.tag_ != "VBG" or first.dep_ not in ("advcl", "xcomp", "conj") or span.start <= head.i < span.end:
        return None
    quoted = quoted_tokens(doc)
    subj = next((c for c in head.children if c.dep_ == "nsubj" and c.i not in quoted), None)
    if subj is None or subj.pos_ != "PROPN" or not subj.ent_type_ or subj.ent_type_ not in ("PERSON", "ORG"):
        return None
    ent = next((e for e in doc.ents if e.start <= subj.i < e.end), None)
    name = ent.text if ent is not None else subj.text
    at = (ent.start_char, ent.end_char) if ent is not None else (subj.idx, subj.idx + len(subj.text))
    return Resolved(first.i, first.i + 1, f"{name} was {first.text}", (off + at[0], off + at[1]))


def _standalone(span: Any, resolved: list[Resolved]) -> list[tuple[str, list[Resolved]]]:
    """The claim texts (one per conjunct of a coordinated entity) with the rewrites each uses."""
    doc = span.doc
    repl: dict[int, str] = {}
    drop: set[int] = set()
    toks = list(span)
    # Leading answer particles and discourse openers ("Yes,", "However,").
    i = 0
    while i < len(toks) and (
        (
            toks[i].lower_ in OPENERS
            and toks[i].dep_ in ("intj", "advmod", "cc")
            # A sentence-level opener, not part of a phrase: "So far, ...", "Still more people ...".
            and (toks[i].head.pos_ in ("VERB", "AUX") or (i + 1 < len(toks) and toks[i + 1].is_punct))
        )
        or (toks[i].is_punct and not _opens_pair(toks, i))
    ):
        drop.add(toks[i].i)
        i += 1
    drop.update(_dateline(toks[i:]))
    drop.update(_listicle_heading(toks[i:]))
    frame = _interrupting_frame(toks)
    for k in [k for k in frame if doc[k].text == "," and k + 1 not in frame and k + 1 < span.end]:
        frame.discard(k)
        repl[k] = " "  # the comma closing a dropped ", he said," keeps the words apart
    drop.update(frame)
    glued = _GLUED_SOURCE.match(toks[i].text) if i < len(toks) else None
    if glued and i > 0 and toks[i - 1].text == "(":
        repl[toks[i].i] = glued.group(1)  # "(CNN)The Democratic ..." → "The Democratic ..."
    # A trailing coordinator or separator where the statement's other half went to its own claim:
    # "[Blair] does not want higher tax rates for top earners but" → "... top earners."
    j = len(toks) - 1
    while j > i and (toks[j].dep_ == "cc" or toks[j].text in (",", ";", ":", "—", "–", "-")
                     or (toks[j].lower_ in ("so", "yet", "because") and toks[j].dep_ in ("advmod", "mark"))):
        drop.add(toks[j].i)
        j -= 1
    stamp = _TWEET_STAMP.match(span.text)
    if stamp:
        # Embedded-tweet furniture ("10:06 PM - 26 Dec 2016 13,490 Retweets 57,105 likes").
        drop.update(t.i for t in span if t.idx - span.start_char < stamp.end())
    for r in resolved:
        repl[r.lo] = f"[{r.text}]"
        drop.update(range(r.lo + 1, r.hi))
        clitic = doc[r.hi] if r.hi < len(doc) and not doc[r.hi - 1].whitespace_ else None
        if clitic is not None and (word := _clitic_word(clitic)) is not None:
            # "He's" → "[Poe] is", not "[Poe]'s" (which reads as a possessive).
            repl[clitic.i] = " " + word
    base = _render(doc, span.start, span.end, repl, drop)
    variants = _split_coordination(doc, span, repl, drop)
    used = [r for r in resolved if r.lo not in drop]
    out = list(dict.fromkeys(variants)) or [base]
    kept = [(_finish(t), used) for t in out if len(t.split()) >= 3]
    return kept or [(_finish(base), used)]


_PAIRS = {"[": "]", "(": ")"}


def _opens_pair(toks: list[Any], i: int) -> bool:
    """'[Trump is] a charismatic narcissist': the article's own bracket, closed later, stays."""
    closer = _PAIRS.get(toks[i].text)
    return closer is not None and any(t.text == closer for t in toks[i + 1 :])


_DASHES = {"—", "–", "-", "--"}
_TWEET_STAMP = re.compile(
    r"^\s*(?:\d{1,2}:\d{2}\s*[AP]M\s*[-–]\s*\d{1,2}\s+\w{3,9}\s+\d{4}\s*)"
    r"(?:[\d,.]+[KM]?\s+){0,2}(?:Retweets?\s+)?(?:[\d,.]+[KM]?\s+){0,2}(?:likes?\s+)?"
)


def _listicle_heading(toks: list[Any]) -> set[int]:
    """Token indices of a listicle item's heading run into its first sentence: "Walking on the Moon —
    To date, only 12 humans have walked on the moon." — a Title Case phrase opening with a gerund,
    then a spaced dash and a capitalised clause ("Donald Trump — the businessman — said" keeps its
    subject: no gerund)."""
    for j, t in enumerate(toks[:12]):
        if t.text in ("—", "–") and t.whitespace_ and j >= 2 and toks[j - 1].whitespace_:
            words = [x for x in toks[:j] if x.is_alpha]
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if (len(words) >= 2 and words[0].lower_.endswith("ing") and words[0].text[0].isupper()
                    and all(x.text[0].isupper() or x.lower_ in HEADING_SMALL_WORDS for x in words)
                    and nxt is not None and nxt.text[:1].isupper()):
                return {x.i for x in toks[: j + 1]}
            return set()
    return set()


#: Labels that open a line and are no part of its statement: an interviewer's turn, a section's.
_LINE_LABELS = INTERVIEWER_LABELS | {"background", "update", "note", "correction", "context", "summary",
                                     "clarification"}


def _interrupting_frame(toks: list[Any]) -> set[int]:
    """Token indices of a reporting frame that interrupts a quotation, with its quote marks:
    '“With Mick at the head of OMB,” Trump said in his statement, “my administration is ...”' →
    'With Mick at the head of OMB, my administration is ...'; or reported speech, with its commas:
    "The Tories, he said, can cut crime ..." → "The Tories can cut crime ..."."""
    for a, t in enumerate(toks[1:-3], start=1):
        if t.text != ",":
            continue
        b = next((k for k in range(a + 2, min(a + 6, len(toks) - 1)) if toks[k].text == ","), None)
        if b is None:
            continue
        between = toks[a + 1 : b]
        verbs = [x for x in between if x.lower_ in SAY_FORMS and x.pos_ == "VERB"]
        if len(verbs) == 1 and verbs[0] is between[-1] and all(
            x.pos_ in ("PRON", "PROPN", "DET", "NOUN") for x in between[:-1]
        ) and not any(x.dep_ == "ccomp" for x in verbs[0].children if x.i > verbs[0].i) and (
            toks[b + 1].text not in ("“", '"', "‘")  # not '..., she said, “Screw ...”': it opens a quote
        ):
            return {x.i for x in toks[a : b + 1]}
    for a, t in enumerate(toks):
        if t.text != "”":
            continue
        b = next((k for k in range(a + 1, min(a + 14, len(toks))) if toks[k].text == "“"), None)
        if b is None or opens_title(toks[b]):
            return set()  # (not 'said on “Morning Edition.”': a title after a preposition)
        between = toks[a + 1 : b]
        if any(x.lower_ in REPORT_FORMS or x.lower_ in SAY_FORMS for x in between):
            keep_comma = toks[b - 1].text == ","
            out = {x.i for x in toks[a : b + 1]}
            if keep_comma:
                out.discard(toks[b - 1].i)  # the comma the frame took over ends the first part
                if a > 0 and toks[a - 1].text == ",":
                    out.add(toks[a - 1].i)
            return out
        return set()
    return set()


def _dateline(toks: list[Any]) -> set[int]:
    """Token indices of a leading dateline or speaker label: "WASHINGTON —", "PANGSAU, MYANMAR—",
    "LONDON (Reuters) -", "JUAN GONZÁLEZ:"."""
    out: set[int] = set()
    if len(toks) > 2 and toks[0].lower_ in _LINE_LABELS and toks[1].text == ":":
        # the interviewer's turn label ("Me: Let's play ...") or a section's ("Background: ...")
        return {toks[0].i, toks[1].i}
    for j, t in enumerate(toks[:8]):
        if t.text in _DASHES or t.text.endswith(("—", "–")) or (t.text == ":" and j > 0):
            words = [x for x in toks[:j] if x.is_alpha]
            if words and all(x.is_upper or x.text in ("AP", "Reuters", "AFP") for x in words):
                out.update(x.i for x in toks[: j + 1])
            break
        if not (t.is_upper or t.is_punct or t.text in ("AP", "Reuters", "AFP")):
            break
    return out


_CLITICS = {"'ll": "will", "’ll": "will", "'ve": "have", "’ve": "have", "'re": "are", "’re": "are",
            "'m": "am", "’m": "am"}


def _clitic_word(tok: Any) -> str | None:
    """The full word for a contracted auxiliary after a pronoun ("'ll" → "will"; "'s" → "is" or
    "has"; "'d" → "would" or "had"), or None when ``tok`` is no such clitic."""
    low = tok.lower_
    if low in _CLITICS:
        return _CLITICS[low]
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    perfect = nxt is not None and ((nxt.tag_ == "VBN" and tok.dep_ == "aux") or nxt.lower_ == "been")
    if low in ("'s", "’s") and tok.tag_ == "VBZ":
        return "has" if perfect else "is"
    if low in ("'d", "’d") and tok.tag_ in ("MD", "VBD"):
        return "had" if perfect else "would"
    return None


def _render(doc: Any, start: int, end: int, repl: dict[int, str], drop: set[int]) -> str:
    parts: list[str] = []
    for t in doc[start:end]:
        if t.i in drop:
            continue
        parts.append(repl.get(t.i, t.text) + t.whitespace_)
    return "".join(parts)


#: Words that make a coordinated subject collective: "The House and Senate each passed ...".
_COLLECTIVE = {"each", "together", "jointly", "respectively", "separately"}


def _split_coordination(doc: Any, span: Any, repl: dict[int, str], drop: set[int]) -> list[str]:
    """One variant per conjunct for the first coordination of named entities ("Russia and China").

    Coordinated subjects stay whole: "The House and Senate each passed the measure" is one claim
    about both, and "X and Y met" cannot be split at all.
    """
    ents = {t.i: e for e in doc.ents if e.label_ in ENTITY_LABELS for t in e}
    for tok in span:
        if tok.i not in ents or tok.dep_ == "conj" or tok.dep_ in ("nsubj", "nsubjpass"):
            continue
        # (A conjunct inside the same name is part of it: "the Science and Technology Adviser".)
        conjs = [c for c in tok.conjuncts if c.i in ents and span.start <= c.i < span.end and c.i > tok.i
                 and ents[c.i].start != ents[tok.i].start]
        if not conjs or len(conjs) > 4:
            continue
        if any(t.lower_ in _COLLECTIVE for t in span) or any(t.i in repl for t in tok.subtree):
            continue
        members = [tok, *conjs]
        first = ents[tok.i]
        lo = first.start
        pre = [c for c in tok.children if c.dep_ == "preconj"]
        if pre:
            lo = min(lo, pre[0].i)
        hi = max(ents[c.i].end for c in conjs)
        if not _distributive(doc, span, tok, members, ents, lo, hi):
            return []
        after = doc[hi + 1 : hi + 3] if hi + 1 < len(doc) and doc[hi].text == "," else []
        if any(c.dep_ in ("relcl", "acl", "appos") for m in conjs for c in m.children) or (
            after and (after[0].lower_ in ("which", "who", "whose")
                       or any(t.tag_ in ("NNS", "NNPS") for t in after))
        ) or (len(ents[tok.i]) == 1 and len(ents[conjs[-1].i]) > 1 and ents[tok.i].label_ == "PERSON"):
            # (also "Linda and Vince McMahon, owners of ...": a description of them all, or given
            # names sharing one surname)
            # "Hitachi and Matsushita, which makes Panasonic brand products, ...": the clause after the
            # list says something of its last member only; split, it would say it of every member.
            return []
        variants = []
        for m in members:
            e = ents[m.i]
            # The conjunct takes the whole list's place, with the space that followed the list.
            variants.append(_render(doc, span.start, lo, repl, drop) + e.text + doc[hi - 1].whitespace_
                            + _render(doc, hi, span.end, repl, drop))
        if any(_DANGLING.search(v) for v in variants) and not _DANGLING.search(span.text):
            # the parser split one name ("the U.S. Substance Abuse and Mental Health Services
            # Administration" gave "by the U.S. Substance Abuse and, almost 20 percent ..."): keep it whole
            return []
        return variants
    return []


#: A coordinator left dangling before punctuation or at the end.
_DANGLING = re.compile(r"\b(?:and|or)\s*(?:[,.;:!?]|$)|&\s*(?:[,.;:!?]|$)", re.IGNORECASE)


#: Heads under which a coordination is one relation, not several: "the tie between X and Y".
_SYMMETRIC_HEADS = {"between", "among", "amongst", "versus", "vs", "v"}
#: What may sit between the conjuncts of a list that splits: separators only.
_LIST_GLUE = {",", "and", "&", "both"}


def _distributive(doc: Any, span: Any, tok: Any, members: list[Any], ents: dict[int, Any], lo: int,
                  hi: int) -> bool:
    """True when "... X and Y ..." says the same of X and of Y, so that one claim per conjunct is
    faithful. Not for "or" ("Brentford or Hartlepool"), a symmetric relation ("between X and Y"),
    a negated clause, a list that also holds words that are no entity ("Super Trouper, SOS and
    Dancing Queen") or a misparse that runs into the next clause ("play Leicester and Bolton await")."""
    if any(c.i not in ents for c in tok.conjuncts):
        return False
    inside = {i for m in members for i in range(ents[m.i].start, ents[m.i].end)}
    if any(doc[i].text == "," or (doc[i].text in _DASHES and (doc[i].whitespace_ or doc[i - 1].whitespace_))
           for i in inside):
        return False  # an entity over a comma or a dash is a misparse ("Johansson - Racing Stripes")
    for i in range(lo, hi):
        if i not in inside and doc[i].lower_ not in _LIST_GLUE:
            return False
    if tok.head.lower_ in _SYMMETRIC_HEADS or tok.lower_ in _SYMMETRIC_HEADS:
        return False
    if any(t.dep_ == "neg" for t in span):
        return False
    return not (hi < span.end and doc[hi].tag_ in ("VBZ", "VBP", "VBD", "MD"))


def _balance_quotes(text: str) -> str:
    """A claim cut from a running quotation keeps no stray mark: 'Now officials are doing it."' loses
    the closing quote its opening one is in another sentence for, and 'was "unjustified.' gets back
    the one trimming took off."""
    opening, closing = text.count("“"), text.count("”")
    if closing > opening and text.startswith("”"):
        text, closing = text[1:].lstrip(), closing - 1
    if closing > opening and text.endswith("”"):
        text, closing = text[:-1].rstrip(), closing - 1
    if closing > opening and text.find("”") < (text.find("“") if "“" in text else len(text)):
        # 'Justice was served” following the assassination ...': the quotation the claim opens with
        # lost its opening mark to trimming
        text, opening = "“" + text, opening + 1
    if opening > closing and text.startswith("“"):
        text, opening = text[1:].lstrip(), opening - 1
    if opening > closing and "“" in text:
        text = text[:-1] + "”" + text[-1] if text[-1:] in ".!?" else text + "”."
    marks = [ch for ch in text if ch in "“”"]
    if marks and marks[0] == "”" and opening == closing:
        # 'I'm told he now just disclaims that,” Gingrich said on “Morning Edition.': the quotation's
        # opening and the title's closing marks were trimmed off the two ends
        text = "“" + text
        text = text[:-1] + "”" + text[-1] if text[-1:] in ".!?" else text + "”"
    if text.count('"') % 2:
        if text.startswith('"'):
            text = text[1:].lstrip()
        elif text.endswith('"'):
            text = text[:-1].rstrip()
        else:
            text = text[:-1] + '"' + text[-1] if text[-1:] in ".!?" else text + '".'
    return text


def _finish(text: str) -> str:
    text = _balance_quotes(_SPACE_PUNCT.sub(r"\1", _SPACE.sub(" ", text)).strip(" ,;:"))
    if "]" in text and text.count("]") > text.count("[") and (
        "[" not in text or text.find("]") < text.find("[")
    ):
        text = "[" + text  # the article's own bracket, whose opening the trimming took off
    if text.count("(") == text.count(")") + 1 and text.rfind("(") > text.rfind(")"):
        text += ")"  # the statement ended inside the article's parenthesis: "Daesh (ISIS)"
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    elif text[:1] in ("[", "“") and len(text) > 1 and text[1].islower():
        text = text[0] + text[1].upper() + text[2:]
    if text and text.rstrip("’'”\")")[-1:] not in ('.', '!', '?') and text[-1] not in '”"':
        text += "."  # not after a closing quote that already follows a stop: "with ‘negro.’"
    return text
