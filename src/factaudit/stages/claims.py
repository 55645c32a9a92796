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
from dataclasses import dataclass, field
from typing import Any

from ..document import Article, Assertion, Claim, ModelInfo
from ..models.checkworthiness import get_model
from . import BaseStage

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
    """What earlier text makes clear: the last person, the last organisation, antecedent phrases."""

    aliases: dict[str, str] = field(default_factory=dict)
    person: str | None = None
    org: str | None = None
    antecedents: dict[str, str] = field(default_factory=dict)
    #: Token index of the sentence where the latest antecedent was seen ("they" resolves within it).
    antecedent_sentence: int | None = None


class ClaimsStage(BaseStage):
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
        ctx = _Ctx(aliases=_person_aliases(article))
        blocks = {b.id: b for b in article.blocks}
        claims: list[Claim] = []
        for a in article.assertions:
            span = _assertion_tokens(article, a)
            if span is None:
                continue
            question = blocks[a.block_id].question_id
            q_text = blocks[question].text if question else None
            texts = _standalone(article, a, span, ctx, q_text)
            for t in texts:
                claims.append(
                    Claim(
                        id=f"c{len(claims) + 1}",
                        assertion_id=a.id,
                        text=t,
                        start=a.start,
                        end=a.end,
                        sentence_id=a.sentence_id,
                        context=a.context,
                    )
                )
            _update_ctx(article, span, ctx)
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
            unique = sorted({c.text for c in scored} | {by_id[c.assertion_id].text for c in scored})
            score_of = dict(zip(unique, (float(x) for x in model.score(unique)), strict=True))
            probs = [max(score_of[c.text], score_of[by_id[c.assertion_id].text]) for c in scored]
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
        if off <= a.start and a.end <= off + len(doc.text):
            return doc, off
    return None


def _assertion_tokens(article: Article, a: Assertion) -> Any:
    found = _doc_and_offset(article, a)
    if found is None:
        return None
    doc, off = found
    s, e = a.start, a.end
    if a.content is not None and a.holder.kind != "author":
        s, e = a.content.start, a.content.end
    return doc.char_span(s - off, e - off, alignment_mode="expand")


def _person_aliases(article: Article) -> dict[str, str]:
    """Surname → full name for every multi-word PERSON the article names ("Musk" → "Elon Musk")."""
    aliases: dict[str, str] = {}
    for chunks in article.nlp.values():
        for _, doc in chunks:
            for ent in doc.ents:
                if ent.label_ == "PERSON" and len(ent) >= 2:
                    aliases.setdefault(ent[-1].text, ent.text)
    return aliases


def _update_ctx(article: Article, span: Any, ctx: _Ctx) -> None:
    doc = span.doc
    for ent in doc.ents:
        if ent.start >= span.start and ent.end <= span.end:
            if ent.label_ == "PERSON":
                ctx.person = ent[-1].text
            elif ent.label_ == "ORG":
                ctx.org = ent.text
    for tok in span:
        if tok.text in ctx.aliases and tok.pos_ == "PROPN":
            ctx.person = tok.text
        kind = REFERRING_NOUNS.get(tok.lower_)
        if kind and not any(c.lower_ in ("this", "these", "that", "those") for c in tok.children):
            phrase = _antecedent_phrase(tok, span, ctx)
            if phrase and len(phrase.split()) >= 2:
                ctx.antecedents[kind] = phrase
                ctx.antecedent_sentence = span.sent.start if span.sent is not None else None


def _antecedent_phrase(noun: Any, span: Any, ctx: _Ctx) -> str | None:
    """'partnerships with Russian energy companies' (+ the owner when clear: 'Tesla’s ...')."""
    keep = [noun]
    for c in noun.children:
        if c.dep_ in ("prep", "amod", "compound", "poss") and c.i >= span.start and c.i < span.end:
            keep.extend(c.subtree)
    toks = sorted({t.i for t in keep if span.start <= t.i < span.end})
    if not toks:
        return None
    first = span.doc[toks[0]]
    phrase = span.doc[toks[0] : toks[-1] + 1].text
    if first.is_sent_start and first.pos_ != "PROPN":
        phrase = phrase[0].lower() + phrase[1:]
    if len(phrase.split()) > 14:
        return None
    phrase = re.sub(r"^(?:his|her)\b", f"{ctx.person}’s", phrase) if ctx.person else phrase
    has_owner = any(c.dep_ == "poss" for c in noun.children)
    if not has_owner and noun.dep_ in ("dobj", "pobj"):
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.pos_ == "PROPN":
            owner = span.doc[subj.left_edge.i : subj.i + 1].text
            phrase = f"{owner}’s {phrase}"
    return phrase


def _standalone(article: Article, a: Assertion, span: Any, ctx: _Ctx, question: str | None) -> list[str]:
    doc = span.doc
    repl: dict[int, str] = {}
    drop: set[int] = set()
    toks = list(span)
    # Leading answer particles and discourse openers ("Yes,", "However,").
    i = 0
    while i < len(toks) and (
        (toks[i].lower_ in OPENERS and toks[i].dep_ in ("intj", "advmod", "cc")) or toks[i].is_punct
    ):
        drop.add(toks[i].i)
        i += 1
    for tok in toks:
        low = tok.lower_
        named_before = ctx.person is not None and any(
            t.text == ctx.person or t.text in ctx.aliases.values() for t in doc[span.start : tok.i]
        )
        if low in ("his", "her") and tok.dep_ == "poss" and ctx.person and not named_before:
            repl[tok.i] = f"{ctx.person}’s"
        elif low in ("he", "she") and tok.dep_ in ("nsubj", "nsubjpass") and ctx.person and not named_before:
            repl[tok.i] = ctx.person
        elif (
            low == "they"
            and tok.dep_ == "nsubj"
            and "collab" in ctx.antecedents
            and ctx.antecedent_sentence == span.sent.start
        ):
            repl[tok.i] = ctx.antecedents["collab"]
        elif low in ("this", "these", "that", "those") and tok.dep_ == "det":
            head = tok.head
            kind = REFERRING_NOUNS.get(head.lower_)
            if kind and kind in ctx.antecedents and head.i < span.end:
                for j in range(tok.i, head.i + 1):
                    drop.add(j)
                drop.discard(head.i)
                repl[head.i] = ctx.antecedents[kind]
            elif head.lower_ in CONTEXT_NOUNS and question:
                for j in range(tok.i, head.i + 1):
                    drop.add(j)
                drop.discard(head.i)
                repl[head.i] = f"the question “{question}”"
    base = _render(doc, span.start, span.end, repl, drop)
    variants = _split_coordination(doc, span, repl, drop)
    out = variants or [base]
    return [_finish(t) for t in out if len(t.split()) >= 3] or [_finish(base)]


def _render(doc: Any, start: int, end: int, repl: dict[int, str], drop: set[int]) -> str:
    parts: list[str] = []
    for t in doc[start:end]:
        if t.i in drop:
            continue
        parts.append(repl.get(t.i, t.text) + t.whitespace_)
    return "".join(parts)


def _split_coordination(doc: Any, span: Any, repl: dict[int, str], drop: set[int]) -> list[str]:
    """One variant per conjunct for the first coordination of named entities ("Russia and China")."""
    ents = {t.i: e for e in doc.ents if e.label_ in ENTITY_LABELS for t in e}
    for tok in span:
        if tok.i not in ents or tok.dep_ == "conj":
            continue
        conjs = [c for c in tok.conjuncts if c.i in ents and span.start <= c.i < span.end and c.i > tok.i]
        if not conjs or len(conjs) > 4:
            continue
        members = [tok, *conjs]
        first = ents[tok.i]
        lo = first.start
        pre = [c for c in tok.children if c.dep_ == "preconj"]
        if pre:
            lo = min(lo, pre[0].i)
        hi = max(ents[c.i].end for c in conjs)
        variants = []
        for m in members:
            e = ents[m.i]
            d2 = set(drop) | set(range(lo, hi))
            r2 = dict(repl)
            r2[lo] = e.text
            d2.discard(lo)
            variants.append(_render(doc, span.start, span.end, r2, d2))
        return variants
    return []


def _finish(text: str) -> str:
    text = _SPACE_PUNCT.sub(r"\1", _SPACE.sub(" ", text)).strip(" ,;:")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in '.!?”"':
        text += "."
    return text
