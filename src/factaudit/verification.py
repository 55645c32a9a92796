"""From sentence-level NLI to a claim verdict: number/date/entity rules and aggregation.

Small NLI models read "$89.5 billion" and "more than $100 billion" as near-paraphrases. The rules
here compare the quantities and years a claim states with those an evidence sentence states:

- a mismatch always blocks SUPPORTED for that sentence;
- it yields REFUTED only when the sentence is about the same entity and attribute (a shared name
  and a shared attribute word such as "population" or "revenue"); otherwise NOT ENOUGH EVIDENCE;
- evidence dated to another year than the claim's (a "2025 est." figure for a 2019 claim) neither
  supports nor refutes;
- a sentence that shares one of the claim's names but does not mention another ("Munich is the
  capital of Bavaria" for "The capital of Germany is Munich") cannot support it: a small NLI model
  reads the full word overlap as support.

Before any of that, relevance (:mod:`factaudit.relevance`): a sentence that is not about the claim's
subject neither supports nor refutes it, whatever the verifier says, and the shipped relevance head
re-weighs the verifier's probabilities with relevance features. :func:`aggregate` turns the
per-sentence probabilities into one verdict with a calibrated confidence (P(the verdict is right),
fitted after aggregation) and the quotes it rests on; a NOT ENOUGH EVIDENCE verdict lists the
nearest passages, which are not evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from .document import CONFLICTING, NOT_ENOUGH_EVIDENCE, REFUTED, SUPPORTED, Evidence, Verdict
from .relevance import (
    Context,
    RelevanceHead,
    RuleCheck,
    claim_names,
    claim_problem,
    context,
    cosines,
    features,
    load_head,
    relevance_rule,
    restates,
)

NEE: Final = NOT_ENOUGH_EVIDENCE

#: A sentence counts for SUPPORTED / REFUTED above this calibrated probability.
DECISION_THRESHOLD = 0.5
#: Both a support and a refutation at least this strong (from different sentences) → CONFLICTING.
CONFLICT_THRESHOLD = 0.6
#: Apply the missing-name rule (see the module docstring).
ENTITY_RULE = True

_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "crore": 1e7,
    "lakh": 1e5,
}
_NUM = re.compile(
    r"(?P<cmp>\b(?:more than|over|above|at least|exceeding|exceeds|less than|under|below|fewer than|"
    r"at most|about|around|nearly|almost|roughly|approximately|some|up to)\s+)?"
    r"(?P<cur>[$£€¥])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s?(?P<scale>thousand|million|billion|trillion|mn|bn|tn|crore|lakh|[kmb]\b)?"
    r"\s?(?P<pct>%|percent|per cent)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[5-9]\d{2}|20\d{2})\b")
_EST_YEAR = re.compile(r"\((?:[^)]*?)(1[5-9]\d{2}|20\d{2})\s*(?:est\.?|estimate)\)", re.IGNORECASE)
ATTRIBUTES = {
    "population",
    "inhabitants",
    "people",
    "gdp",
    "revenue",
    "revenues",
    "profit",
    "profits",
    "sales",
    "area",
    "km",
    "sq",
    "square",
    "income",
    "debt",
    "budget",
    "price",
    "prices",
    "rate",
    "unemployment",
    "inflation",
    "growth",
    "exports",
    "imports",
    "emissions",
    "deaths",
    "cases",
    "votes",
    "capital",
    "height",
    "length",
    "temperature",
    "salary",
    "wage",
    "tax",
    "subscribers",
    "users",
    "employees",
    "spending",
    "deficit",
    "reserves",
    "production",
    "capacity",
    "investment",
    "market",
    "share",
    "life",
    "expectancy",
    "literacy",
    "birth",
    "fertility",
    "median",
    "age",
    "born",
    "founded",
    "died",
}
_CAPWORD = re.compile(r"\b[A-Z][a-zA-Z’'-]{2,}\b")
_WORD = re.compile(r"[a-z]+")
#: Capitalised word sequences ("Elon Musk", "Bank of England"): the names a claim is about.
NAME = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w’'.-]*)*")
#: A sentence that refers to its subject by a pronoun or a definite description ("The film was shot
#: in ...") names it elsewhere: the missing-name rule cannot apply.
_ANAPHOR = re.compile(
    r"\b(?:he|she|it|they|him|them|his|her|hers|its|their|theirs)\b|^\W*(?:the|this|these|those)\s+[a-z]",
    re.I,
)
#: Capitalised only because they open a sentence.
_NOT_NAMES = frozenset(
    [
        "the", "a", "an", "in", "on", "at", "to", "of", "for", "from", "by", "with", "as", "after",
        "before", "during", "since", "while", "when", "if", "although", "however", "this", "that",
        "these", "those", "it", "he", "she", "they", "there", "his", "her", "its", "their", "some",
        "many", "most", "all", "no", "yes", "both", "each", "every", "one", "two", "three"
    ]
)


@dataclass
class Quantity:
    value: float
    kind: str  # "money", "percent", "count", "year"
    comparator: str  # "=", ">", "<", "~"
    text: str


def quantities(text: str) -> list[Quantity]:
    """Numbers with their unit kind and comparator; years are separate (kind "year")."""
    out: list[Quantity] = []
    for m in _NUM.finditer(text):
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        scale = (m.group("scale") or "").lower()
        cur, pct = m.group("cur"), m.group("pct")
        if not cur and not pct and not scale and _YEAR.fullmatch(raw):
            out.append(Quantity(value, "year", "=", m.group(0).strip()))
            continue
        if not cur and not pct and not scale and value < 10 and "." not in raw:
            continue  # small bare integers ("two of three", list numbering) carry little
        value *= _SCALE.get(scale, 1.0)
        kind = "money" if cur else "percent" if pct else "count"
        word = (m.group("cmp") or "").strip().lower()
        comparator = (
            ">"
            if word in ("more than", "over", "above", "at least", "exceeding", "exceeds")
            else "<"
            if word in ("less than", "under", "below", "fewer than", "at most", "up to")
            else "~"
            if word
            else "="
        )
        out.append(Quantity(value, kind, comparator, m.group(0).strip()))
    return out


def _matches(claim: Quantity, ev: Quantity) -> bool:
    if claim.comparator == ">":
        return ev.value > claim.value
    if claim.comparator == "<":
        return ev.value < claim.value
    tol = 0.10 if claim.comparator == "~" or ev.comparator == "~" else 0.02
    return abs(ev.value - claim.value) <= tol * max(abs(claim.value), 1e-9)


@dataclass
class RuleResult:
    #: "ok" (no quantities conflict), "mismatch" (blocks SUPPORTED), "other_year" (neither way),
    #: "entity_missing" (blocks SUPPORTED: a name of the claim is absent from the evidence).
    status: str = "ok"
    #: True when a mismatch is about the same entity and attribute (may refute).
    same_attribute: bool = False
    note: str | None = None


def compare(claim: str, evidence: str, evidence_date: str | None = None) -> RuleResult:
    """Check the claim's quantities and years against an evidence sentence."""
    cq = quantities(claim)
    eq = quantities(evidence)
    claim_years = {int(q.value) for q in cq if q.kind == "year"}
    ev_dated = {int(y) for y in _EST_YEAR.findall(evidence)}
    # A passage's as-of date dates its figures (a 2025 population estimate), not the events it
    # narrates: "won the Nobel Prize in 1903" is not contradicted by a 2026 snapshot of Wikipedia.
    figures = any(q.kind != "year" for q in cq) and any(q.kind != "year" for q in eq)
    if evidence_date and evidence_date[:4].isdigit() and figures:
        ev_dated.add(int(evidence_date[:4]))
    if claim_years and ev_dated and not (claim_years & ev_dated):
        return RuleResult(
            "other_year",
            note=(
                f"evidence is dated {', '.join(map(str, sorted(ev_dated)))}; the claim is about "
                f"{', '.join(map(str, sorted(claim_years)))}"
            ),
        )
    shared_attr = _shared_attribute(claim, evidence)
    for q in cq:
        if q.kind == "year":
            ev_years = [e for e in eq if e.kind == "year"]
            if ev_years and not any(_matches(q, e) for e in ev_years) and shared_attr:
                return RuleResult(
                    "mismatch",
                    same_attribute=True,
                    note=f"year mismatch: {q.text} vs {', '.join(e.text for e in ev_years)}",
                )
            continue
        same_kind = [e for e in eq if e.kind == q.kind]
        if not same_kind:
            continue
        if not any(_matches(q, e) for e in same_kind):
            # A list of figures ("11.2 million Paris, 1.8 million Lyon, ...") is about other things:
            # it blocks SUPPORTED but cannot refute.
            unambiguous = len(same_kind) <= 2
            return RuleResult(
                "mismatch",
                same_attribute=shared_attr and unambiguous,
                note=f"number mismatch: {q.text} vs {', '.join(e.text for e in same_kind[:4])}",
            )
    return RuleResult()


def _shared_attribute(claim: str, evidence: str) -> bool:
    """Same entity (a shared capitalised name) and same attribute (a shared attribute word)."""
    c_names = {w.lower() for w in _CAPWORD.findall(claim)}
    e_names = {w.lower() for w in _CAPWORD.findall(evidence)}
    c_words = set(_WORD.findall(claim.lower()))
    e_words = set(_WORD.findall(evidence.lower()))
    return bool(c_names & e_names) and bool(c_words & e_words & ATTRIBUTES)


def names(text: str) -> list[tuple[str, frozenset[str]]]:
    """The capitalised names in ``text`` with their lower-cased word tokens (longer than 2 letters)."""
    out: list[tuple[str, frozenset[str]]] = []
    for m in NAME.finditer(text):
        words = [w for w in re.findall(r"[^\W_]+", m.group(0).lower()) if w not in _NOT_NAMES]
        toks = frozenset(w for w in words if len(w) > 2)
        if toks:
            out.append((m.group(0), toks))
    return out


def missing_names(claim: str, evidence: str, title: str | None = None) -> list[str]:
    """The claim's names the evidence (or its title) never mentions, when it shares another of them.

    Empty when the sentence refers to something by a pronoun or opens with a definite description
    (its subject is named elsewhere) or names nothing.
    """
    if _ANAPHOR.search(evidence):
        return []
    ev_names = names(evidence)
    if not ev_names:
        return []
    ev_tokens = set(re.findall(r"[^\W_]+", unicodedata.normalize("NFC", f"{evidence} {title or ''}").lower()))

    def mentioned(toks: frozenset[str]) -> bool:
        # "Europe" / "European", "Norway" / "Norwegian": a shared 5-letter stem counts as a mention.
        return bool(toks & ev_tokens) or any(
            len(t) >= 5 and any(e.startswith(t[:5]) for e in ev_tokens) for t in toks
        )

    claim_names = [(t, frozenset(unicodedata.normalize("NFC", w) for w in toks)) for t, toks in names(claim)]
    missing = [text for text, toks in claim_names if not mentioned(toks)]
    shared = len(claim_names) - len(missing)
    return missing if missing and shared else []


@dataclass
class Scored:
    """One evidence sentence with its probabilities (SUPPORTED, REFUTED, NEE).

    ``probs`` holds the verifier's calibrated output until :func:`aggregate` replaces it with the
    relevance head's and the rules' result (the verifier's own stays in ``model_probs``).
    """

    evidence: Evidence
    probs: tuple[float, float, float]
    retrieval_rank: int = 0
    rule: RuleResult = field(default_factory=RuleResult)
    #: The passage title (page subject); None with ``untitled`` when no title is known (evaluation
    #: pairs). Without either, ``evidence.source`` is read as the title.
    title: str | None = None
    untitled: bool = False
    relevance: RuleCheck | None = None
    model_probs: tuple[float, float, float] | None = None

    @property
    def page_title(self) -> str | None:
        return None if self.untitled else (self.title or self.evidence.source)

    @property
    def on_subject(self) -> bool:
        """The relevance rules let this sentence support or refute the claim."""
        return self.relevance is None or not self.relevance.vetoed


def premise(quote: str, title: str | None = None) -> str:
    """The verifier's premise for an evidence sentence: the bare sentence, as the verifier (and the
    relevance head) were trained on FEVER's title-less sentences. Prefixing the page title to a
    pronoun sentence ("Marie Curie: She was the first woman ...") was tried and lowers the
    verifier's support (0.72 against 0.96 bare); the title is used by the relevance rules instead."""
    del title
    return quote


#: ``aggregate(head=DEFAULT_HEAD)``: the shipped relevance head (``models/files/verification_head.json``).
DEFAULT_HEAD: Final = "default"


def _head(head: RelevanceHead | str | None) -> RelevanceHead | None:
    if isinstance(head, str):
        return load_head()
    return head


def apply_relevance(claim: str, scored: list[Scored], head: RelevanceHead | None) -> list[Scored]:
    """Relevance before entailment (see :mod:`factaudit.relevance`): the head's probabilities replace
    the verifier's, and a sentence the rules find off the claim's subject moves all its mass to NOT
    ENOUGH EVIDENCE with the reason recorded."""
    if not scored:
        return scored
    names = claim_names(claim)
    ctxs: dict[int, Context] = {}
    for s in scored:
        s.model_probs = s.model_probs or s.probs
        ctx = ctxs[id(s)] = context(s.evidence.quote, s.page_title)
        s.relevance = relevance_rule(claim, s.evidence.quote, s.page_title, names, ctx)
    # The head re-weighs retrieved evidence; a page the article itself cites for the claim is about
    # it by that link (the rules still apply to each of its sentences), so its sentences keep the
    # verifier's probabilities.
    learned = [s for s in scored if s.evidence.pack != CITED_PAGE] if head is not None else []
    # a sentence restating the claim word for word keeps the verifier's probabilities (see
    # relevance.restates: the head was never trained on such pairs)
    learned = [s for s in learned if not restates(claim, s.evidence.quote, names, ctxs[id(s)])]
    if head is not None and learned:
        cos = cosines([claim] * len(learned), [s.evidence.quote for s in learned])
        rows = [features(claim, s.evidence.quote, s.model_probs or s.probs, float(c))
                for s, c in zip(learned, cos, strict=True)]
        for s, p in zip(learned, head.predict(np.vstack(rows)), strict=True):
            s.probs = (float(p[0]), float(p[1]), float(p[2]))
    return scored


#: The pack name of the article's own cited pages (:class:`factaudit.evidence.online.PageRetriever`).
CITED_PAGE: Final = "cited page"


def apply_rules(claim: str, s: Scored) -> Scored:
    """Move probability mass as the rules require (the model's original output stays recorded)."""
    r = compare(claim, s.evidence.quote, s.evidence.date)
    if s.relevance is not None and s.relevance.vetoed:  # not about the claim: that is the reason
        r = RuleResult(s.relevance.status, note=s.relevance.reason)
    elif r.status == "ok" and ENTITY_RULE:
        missing = missing_names(claim, s.evidence.quote, s.page_title)
        if missing:
            r = RuleResult("entity_missing", note=f"the evidence does not mention {', '.join(missing[:3])}")
    s.rule = r
    p_s, p_r, p_n = s.probs
    if s.relevance is not None and s.relevance.vetoed:
        s.probs = (0.0, 0.0, 1.0)
    elif r.status == "entity_missing":
        s.probs = (0.0, p_r, p_n + p_s)
    elif r.status == "other_year":
        s.probs = (0.0, 0.0, 1.0)
    elif r.status == "mismatch":
        if r.same_attribute:
            s.probs = (0.0, max(p_r, p_s), p_n)
        else:
            s.probs = (0.0, 0.0, 1.0)
        tot = sum(s.probs) or 1.0
        s.probs = (s.probs[0] / tot, s.probs[1] / tot, s.probs[2] / tot)
    s.evidence.rule = r.note
    s.evidence.probabilities = [round(x, 4) for x in s.probs]
    return s


def subject_of(claim: str) -> str:
    """The claim's subject as a report names it: its first name, else its opening words."""
    names = claim_names(claim)
    if names:
        return names[0].text
    words = claim.split()
    return " ".join(words[:6]) + ("…" if len(words) > 6 else "")


def coverage_note(claim: str, packs: Sequence[str]) -> str:
    where = ", ".join(packs) if packs else "the evidence store"
    return f"the evidence searched ({where}) holds nothing about {subject_of(claim)}"


def aggregate(
    claim: str,
    scored: list[Scored],
    searched: list[str],
    *,
    max_quotes: int = 3,
    head: RelevanceHead | str | None = None,
    packs: Sequence[str] | None = None,
    article_date: str | None = None,
) -> Verdict:
    """The claim's verdict from its scored evidence sentences.

    ``head``: the relevance head (``DEFAULT_HEAD`` for the shipped one; None: rules only, the
    probabilities given are used as they are and the decision threshold is
    :data:`DECISION_THRESHOLD`). ``packs``: the evidence searched, named in a coverage note when no
    sentence is about the claim. ``article_date``: evidence dated after it is marked.
    """
    h = _head(head)
    problem = claim_problem(claim)
    if problem is not None:
        return Verdict(label=NEE, confidence=1.0, evidence=[], searched=searched, note=problem, on_subject=0)
    v = _verdict(claim, scored, searched, h, max_quotes, packs, article_date)
    v.on_subject = sum(1 for s in scored if s.on_subject)
    return v


def _verdict(
    claim: str,
    scored: list[Scored],
    searched: list[str],
    h: RelevanceHead | None,
    max_quotes: int,
    packs: Sequence[str] | None,
    article_date: str | None,
) -> Verdict:
    threshold = h.threshold if h is not None else DECISION_THRESHOLD

    def bar(s: Scored) -> float:
        # The head's threshold belongs to the head's probabilities; a cited page's sentences keep the
        # verifier's own (calibrated) probabilities, so they meet the rules-only threshold.
        return DECISION_THRESHOLD if h is None or s.evidence.pack == CITED_PAGE else threshold

    scored = apply_relevance(claim, scored, h)
    scored = [apply_rules(claim, s) for s in scored]
    for s in scored:
        s.evidence.after_article = _after(s.evidence.date, article_date)
    sup = sorted((s for s in scored if s.probs[0] >= bar(s)), key=lambda s: -s.probs[0])
    ref = sorted((s for s in scored if s.probs[1] >= bar(s)), key=lambda s: -s.probs[1])
    best_s = sup[0].probs[0] if sup else 0.0
    best_r = ref[0].probs[1] if ref else 0.0

    def conf(kind: str, raw: float) -> float:
        return round(h.calibrate(kind, raw), 4) if h is not None else round(raw, 4)

    if best_s >= max(CONFLICT_THRESHOLD, threshold) and best_r >= max(CONFLICT_THRESHOLD, threshold):
        quotes = [_quote(s, SUPPORTED) for s in sup[:2]] + [_quote(s, REFUTED) for s in ref[:2]]
        return Verdict(
            label=CONFLICTING,
            confidence=round(min(best_s, best_r), 4),
            evidence=quotes,
            searched=searched,
            note="strong evidence both for and against the claim",
        )
    if sup and best_s >= best_r:
        ev = [_quote(s, SUPPORTED) for s in sup[:max_quotes]]
        return Verdict(label=SUPPORTED, confidence=conf("decisive", best_s), evidence=ev, searched=searched,
                       note=_as_of("supported", ev))
    if ref:
        ev = [_quote(s, REFUTED) for s in ref[:max_quotes]]
        return Verdict(label=REFUTED, confidence=conf("decisive", best_r), evidence=ev, searched=searched,
                       note=_as_of("contradicted", ev))
    # Not enough evidence: confidence is how sure we are that nothing found supports or refutes.
    raw = 1.0 - max([max(s.probs[0], s.probs[1]) for s in scored] or [0.0])
    misses = sorted(scored, key=lambda s: (not s.on_subject, -max(s.probs[0], s.probs[1]), s.retrieval_rank))
    misses = misses[:max_quotes]
    on_subject = [s for s in scored if s.on_subject]
    if not scored:
        note = coverage_note(claim, packs) if packs is not None else "no evidence found"
    elif not on_subject:
        note = coverage_note(claim, packs or ())
    else:
        note = "the nearest passages neither support nor refute the claim"
    return Verdict(
        label=NEE,
        confidence=conf("nee", raw),
        evidence=[_quote(s, NEAREST) for s in misses],
        searched=searched,
        note=note,
    )


#: Label of a NOT ENOUGH EVIDENCE verdict's quoted passages: nearest passages, not evidence.
NEAREST: Final = "nearest miss"


def _after(evidence_date: str | None, article_date: str | None) -> bool:
    """Evidence dated after the article (compared on the ISO prefix both share)."""
    if not evidence_date or not article_date:
        return False
    e, a = str(evidence_date).strip(), str(article_date).strip()
    n = min(len(e), len(a), 10)
    if n < 4 or not (e[:4].isdigit() and a[:4].isdigit()):
        return False
    return e[:n] > a[:n]


def _as_of(verb: str, evidence: list[Evidence]) -> str:
    """"supported by wiki-vital (as of 2026)": what the verdict rests on, never "true"."""
    parts: list[str] = []
    for e in evidence:
        where = e.pack or e.source
        part = f"{where} (as of {e.date})" if e.date else where
        if part not in parts:
            parts.append(part)
    note = f"{verb} by {', '.join(parts[:3])}" if parts else verb
    if any(e.after_article for e in evidence):
        note += "; the evidence is dated after the article"
    return note


def _quote(s: Scored, label: str) -> Evidence:
    s.evidence.label = label
    return s.evidence
