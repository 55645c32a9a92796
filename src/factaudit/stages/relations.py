"""The entity–relation map the article draws: who partners with whom, with which risks and benefits.

Nodes are people, organisations, countries and unnamed groups ("Russian energy companies", "the
Chinese government"), merged across mentions ("Musk", "Elon Musk", "his" → Elon Musk). Edges come
from the parse of each claimed statement: a subject acting on or with an entity ("Tesla has
developed partnerships with Russian energy companies", "By constructing Gigafactories in China,
Musk ...") and possessive relation nouns ("Musk’s partnerships with Russia and China"). Each edge
keeps the claims and holders behind it. Claims that state a risk or a benefit of these ties are
attached to the edges they are about.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..document import Article, Assertion, Entity, Relation, Span
from ..models.nlp import article_words, text_length
from . import BaseStage

NODE_LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "country", "NORP": "group"}
GROUP_HEADS = {
    "company",
    "companies",
    "government",
    "governments",
    "firm",
    "firms",
    "authorities",
    "ministry",
    "officials",
    "bank",
    "banks",
    "regulator",
    "regulators",
    "manufacturer",
    "manufacturers",
    "automakers",
    "industry",
    "military",
    "agencies",
    "agency",
    "startups",
    "suppliers",
    "investors",
    "powers",
    "countries",
    "nations",
    "state",
    "states",
    "leaders",
    "businesses",
    "corporations",
}
PARTNER_NOUNS = {
    "partnership",
    "partnerships",
    "collaboration",
    "collaborations",
    "cooperation",
    "relationship",
    "relationships",
    "connection",
    "connections",
    "ties",
    "dealings",
    "alliance",
    "deal",
    "deals",
    "agreement",
    "agreements",
    "venture",
    "ventures",
    "presence",
    "investment",
    "investments",
}
PARTNER_VERBS = {
    "collaborate",
    "collaborated",
    "collaborates",
    "collaborating",
    "partner",
    "partnered",
    "partners",
    "partnering",
    "cooperate",
    "cooperated",
    "cooperates",
    "cooperating",
    "work",
    "worked",
    "works",
    "working",
    "team",
    "teamed",
    "ally",
    "allied",
    "deal",
    "dealt",
    "engage",
    "engaged",
    "engages",
}
RELATION_PREPS = {"with", "in", "into", "to", "from", "for", "against", "between", "across", "within"}
RISK_CUES = re.compile(
    r"\b(risks?|concerns?|undermin\w*|compromis\w*|threat\w*|detrimental|exploit\w*|danger\w*|"
    r"vulnerab\w*|harm\w*|challenges?|jeopardi\w*|security)\b",
    re.I,
)
BENEFIT_CUES = re.compile(
    r"\b(benefit\w*|advantages?|foster\w*|enabl\w*|promot\w*|contribut\w*|strengthen\w*|secur(?:e|ing)|"
    r"bolster\w*|facilitat\w*|boost\w*|improv\w*)\b",
    re.I,
)
BRACKETED = re.compile(r"\[[^\]]*\]")
BEYOND = re.compile(r"\b(?:beyond|besides|apart from|other than)\b.*$", re.I)
CALL_FOR_ACTION = re.compile(
    r"\b(?:necessitat\w*|requires?|demands?|warrants?|calls? for|needs? to|should|must|ought)\b", re.I
)
TIE_WORDS = re.compile(r"\b(partnership|collaboration|cooperation|relationship|ties|dealings)s?\b", re.I)


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|a|an|these|those|this|that)\s+", "", name.strip(), flags=re.I)
    return re.sub(r"[’']s$", "", name).strip(" ,.")


class RelationsStage(BaseStage):
    """Build the entity–relation map (``entities``, ``relations``) from the claims' parses."""

    name = "relations"
    requires: tuple[str, ...] = ("assertions", "claims", "nlp")
    assigns: tuple[str, ...] = ("entities", "relations")

    def __call__(self, article: Article) -> Article:
        if not article.auditable:
            return article
        graph = _Graph(article)
        claims_by_assertion: dict[str, list[str]] = defaultdict(list)
        for c in article.claims:
            claims_by_assertion[c.assertion_id].append(c.id)
            for rw in c.rewrites:
                graph.rewrites[rw.start] = rw.replacement
        for a in article.assertions:
            found = _doc_for(article, a)
            if found is None:
                continue
            doc, off = found
            span = doc.char_span(a.start - off, a.end - off, alignment_mode="expand")
            if span is None:
                continue
            graph.extract(span, off, a, claims_by_assertion.get(a.id, []))
        graph.attach_risks_and_benefits(article)
        article.entities = graph.entities()
        article.relations = graph.relations()
        return article


def _doc_for(article: Article, a: Assertion) -> tuple[Any, int] | None:
    for off, doc in article.nlp.get(a.block_id, []):
        if off <= a.start and a.end <= off + text_length(doc):
            return doc, off
    return None


class _Graph:
    def __init__(self, article: Article) -> None:
        self.article = article
        self.nodes: dict[str, Entity] = {}
        self.alias: dict[str, str] = {}
        self.edges: dict[tuple[str, str, str], Relation] = {}
        #: Article offset of a pronoun → the referent the claims stage resolved it to with certainty.
        self.rewrites: dict[int, str] = {}
        self.claim_text = {c.id: c.plain_text for c in article.claims}
        self.source = article.text
        for chunks in article.nlp.values():
            for _, doc in chunks:
                for ent in doc.ents:
                    if ent.label_ == "PERSON" and len(ent) >= 2:
                        full = article_words(_clean(ent.text), article.text)
                        self.alias.setdefault(ent[-1].text.lower(), full)

    # -- nodes ----------------------------------------------------------------------------------

    def node(self, name: str, etype: str, start: int | None = None, end: int | None = None) -> str:
        name = article_words(_clean(name), self.source)  # "O’Reilly" as the article spells it
        key = self.alias.get(name.lower(), name)
        nid = "e:" + key.lower()
        if nid not in self.nodes:
            self.nodes[nid] = Entity(id=nid, name=key, type=etype)
        if start is not None and end is not None:
            spans = self.nodes[nid].mentions
            if all(m.start != start for m in spans):
                spans.append(Span(start, end))
        return nid

    def resolve(self, tok: Any, off: int) -> list[str]:
        """Node ids a token stands for (its conjuncts included), or [] when it names no entity."""
        out = []
        for t in [tok, *[c for c in tok.conjuncts if c.i > tok.i]]:
            nid = self._resolve_one(t, off)
            if nid:
                out.append(nid)
        return out

    def _resolve_one(self, tok: Any, off: int) -> str | None:
        doc = tok.doc
        low = tok.lower_
        if low in ("his", "he", "him", "her", "she"):
            # Only a referent the claims stage was certain of; never "the last person named".
            referent = self.rewrites.get(off + tok.idx)
            if referent is None:
                return None
            name = re.sub(r"[’']s$", "", referent)
            return self.node(name, "person", off + tok.idx, off + tok.idx + len(tok.text))
        # Group noun phrases: "Russian energy companies", "the Chinese government".
        if low in GROUP_HEADS:
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound")]
            if any(m.ent_type_ in ("NORP", "GPE") for m in mods):
                left = min([tok.i, *[m.left_edge.i for m in mods]])
                phrase = doc[left : tok.i + 1]
                return self.node(phrase.text, "group", off + phrase.start_char, off + phrase.end_char)
        if tok.ent_type_ in NODE_LABELS:
            ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None:
                if ent.label_ == "NORP" and tok.head.lower_ in GROUP_HEADS:
                    return self._resolve_one(tok.head, off)
                return self.node(ent.text, NODE_LABELS[ent.label_], off + ent.start_char, off + ent.end_char)
        if tok.pos_ == "PROPN" and low in self.alias:
            return self.node(tok.text, "person", off + tok.idx, off + tok.idx + len(tok.text))
        return None

    def mentions(self, text: str, nid: str) -> bool:
        """Whether ``text`` names node ``nid`` (its name, a person's surname, or a mention's words)."""
        node = self.nodes[nid]
        low = text.lower()
        names = {node.name.lower()}
        if node.type == "person":
            names.add(node.name.split()[-1].lower())
        names.update(self.article.text[m.start : m.end].lower() for m in node.mentions)
        return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", low) for n in names if n)

    # -- edges ----------------------------------------------------------------------------------

    def edge(self, src: str, dst: str, label: str, a: Assertion, claim_ids: list[str]) -> None:
        if src == dst:
            return
        key = (src, dst, label)
        rel = self.edges.get(key)
        if rel is None:
            rel = self.edges[key] = Relation(source=src, target=dst, relation=label, holder=a.holder.name)
        # An edge carries only the claims that name both its ends: "with both Russia and China" is
        # split into a Russia claim and a China claim, and each belongs to its own edge.
        for cid in claim_ids:
            text = self.claim_text.get(cid, "")
            if cid not in rel.claim_ids and self.mentions(text, src) and self.mentions(text, dst):
                rel.claim_ids.append(cid)

    def extract(self, span: Any, off: int, a: Assertion, claim_ids: list[str]) -> None:
        for tok in span:
            if tok.pos_ == "VERB":
                self._verb_edges(tok, span, off, a, claim_ids)
            elif tok.lower_ in PARTNER_NOUNS:
                self._noun_edges(tok, span, off, a, claim_ids)
            elif tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.lower_ in self.alias):
                self._resolve_one(tok, off)

    def _subject(self, verb: Any) -> Any:
        v = verb
        for _ in range(4):
            subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                return subj
            if v.dep_ in ("conj", "advcl", "xcomp", "pcomp", "acl", "ccomp") or v.dep_ == "pobj":
                v = v.head
                if v.dep_ == "prep":  # "By constructing ..." attaches through the preposition
                    v = v.head
            else:
                return None
        return None

    def _verb_edges(self, verb: Any, span: Any, off: int, a: Assertion, claim_ids: list[str]) -> None:
        subj = self._subject(verb)
        if subj is None:
            return
        sources = self.resolve(subj, off)
        if not sources:
            return
        dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        for prep in [c for c in verb.children if c.dep_ == "prep" and c.lower_ in RELATION_PREPS]:
            for pobj in [c for c in prep.children if c.dep_ == "pobj"]:
                targets = self.resolve(pobj, off)
                if targets:
                    if verb.lower_ in PARTNER_VERBS or (dobj is not None and dobj.lower_ in PARTNER_NOUNS):
                        label = "partners with" if prep.lower_ == "with" else f"{verb.text} {prep.text}"
                    elif dobj is not None:
                        label = f"{verb.text} {dobj.text} {prep.text}"
                    else:
                        label = f"{verb.text} {prep.text}"
                    for s in sources:
                        for t in targets:
                            self.edge(s, t, _norm_label(label), a, claim_ids)
                elif pobj.lower_ in PARTNER_NOUNS:
                    # "engaged in collaborations with both Russia and China"
                    for p2 in [c for c in pobj.children if c.dep_ == "prep" and c.lower_ == "with"]:
                        for o2 in [c for c in p2.children if c.dep_ == "pobj"]:
                            for s in sources:
                                for t in self.resolve(o2, off):
                                    self.edge(s, t, "partners with", a, claim_ids)
        if dobj is not None and dobj.lower_ in PARTNER_NOUNS:
            for p2 in [c for c in dobj.children if c.dep_ == "prep" and c.lower_ in ("with", "between")]:
                for o2 in [c for c in p2.children if c.dep_ == "pobj"]:
                    for s in sources:
                        for t in self.resolve(o2, off):
                            self.edge(s, t, "partners with", a, claim_ids)

    def _noun_edges(self, noun: Any, span: Any, off: int, a: Assertion, claim_ids: list[str]) -> None:
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        sources = self.resolve(owner, off) if owner is not None else []
        if not sources and noun.dep_ in ("nsubj",):
            obj = next((c for c in noun.head.children if c.dep_ == "dobj"), None)
            sources = self.resolve(obj, off) if obj is not None else []  # "Partnerships ... enable Musk"
        if not sources:
            return
        label = "present in" if noun.lower_ == "presence" else "partners with"
        for prep in [c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("with", "in", "between")]:
            for pobj in [c for c in prep.children if c.dep_ == "pobj"]:
                for t in self.resolve(pobj, off):
                    for s in sources:
                        self.edge(s, t, label, a, claim_ids)

    # -- risks and benefits ----------------------------------------------------------------------

    def attach_risks_and_benefits(self, article: Article) -> None:
        if not self.edges:
            return
        by_assertion = {x.id: x for x in article.assertions}
        partner_edges = [r for r in self.edges.values() if r.relation == "partners with"]
        for c in article.claims:
            a = by_assertion[c.assertion_id]
            text = c.text
            # Cues count only in the statement's own words: not in words the claim added to stand
            # alone ("[the question “Is ... detrimental ...?”]"), not past "beyond" ("oversight of
            # their implications beyond economic benefits"), and not in a call for action.
            own_words = BEYOND.sub("", BRACKETED.sub("", text))
            if CALL_FOR_ACTION.search(own_words):
                continue
            is_risk = bool(RISK_CUES.search(own_words))
            is_benefit = bool(BENEFIT_CUES.search(own_words)) and not is_risk
            if not (is_risk or is_benefit):
                continue
            own = [r for r in self.edges.values() if c.id in r.claim_ids]
            about_ties = TIE_WORDS.search(text) or (c.context and TIE_WORDS.search(c.context))
            targets = own or (partner_edges if about_ties else [])
            note = f"{a.holder.name}: {text}" if a.holder.kind != "author" else text
            named = {
                n.id
                for n in self.nodes.values()
                if n.type in ("country", "group") and n.name.lower() in text.lower()
            }
            for r in targets:
                if named and r.target not in named and self.nodes[r.target].type in ("country", "group"):
                    continue  # the claim is about another country's ties

                bucket = r.risks if is_risk else r.benefits
                if note not in bucket:
                    bucket.append(note)

    def entities(self) -> list[Entity]:
        used = {r.source for r in self.relations()} | {r.target for r in self.relations()}
        return sorted(
            (e for e in self.nodes.values() if e.id in used or e.type == "person"),
            key=lambda e: (-len(e.mentions), e.name),
        )

    def relations(self) -> list[Relation]:
        """Edges with a claim behind them: an edge whose sentence yields no claim naming both its ends
        ("Joe Biden —sneaking into→ West Wing" with "no claims" on a satire piece) has nothing a
        reader can check, so the map does not draw it."""
        return [r for r in self.edges.values() if r.claim_ids]


def _norm_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.lower()).strip()
