"""Relevance before entailment: is an evidence sentence about the claim at all?

A small NLI model reads word overlap as support and FEVER taught it to call any other statement about
a subject a refutation, so "Natural resources of Christmas Island: phosphate, beaches." came out
REFUTING a claim about Christmas cards. Before a sentence may support or refute a claim, this module
establishes that it is about the claim's subject, in two steps:

1. **Rules** (:func:`relevance_rule`). The claim's names (capitalised sequences) must be mentioned
   *as whole names* in the sentence or in its passage title (the page subject): "Obama" matches
   "Barack Obama" and "Cruz" matches "Penélope Cruz" (one is the other's final part), but
   "Christmas" is not "Christmas Island". A sentence that refers to its subject by a pronoun or a
   definite description ("He was born …", "The film …") is read as being about its passage title;
   when no title is known (evaluation pairs) the reference is unresolved and the learned head alone
   decides. A sentence naming none of the claim's names, a claim naming nothing, and a sentence that
   is not in English never support or refute; each gets a reason.
2. **A learned head** (:class:`RelevanceHead`): a multinomial logistic regression over the verifier's
   probabilities and relevance features (whole-name mentions, content-word overlap, a static-embedding
   cosine, whether the sentence opens with a pronoun, ...), trained on FEVER claims with their real
   evidence and hard NOT ENOUGH INFO negatives (another claim's evidence sharing its words, retrieved
   non-evidence sentences from the packs). Its coefficients, the decision threshold and the
   claim-level calibrator ship as JSON (``models/files/verification_head.json``) and are evaluated
   with numpy. ``benchmarks/train_verification_head.py`` reproduces them.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np

from .lexicon import STOP_WORDS

HEAD_FILE: Final = Path(__file__).resolve().parent / "models" / "files" / "verification_head.json"

#: Capitalised word sequences ("Elon Musk", "Bank of England", "L'Oréal").
_NAME = re.compile(
    r"(?:\b(?:al|el|bin|ibn|van|von|de|da|di|du|le|la)[-\s])?"
    r"\b[A-Z][\w’'.&-]*(?:\s+(?:of\s+|the\s+|de\s+|da\s+|di\s+|del\s+|dos\s+|von\s+|van\s+|al-|bin\s+)?"
    r"[A-Z][\w’'.&-]*)*"
)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
#: A possessive ending, dropped from a name as reports show it ("Musk’s" is about Musk).
_POSSESSIVE = re.compile(r"['’]s?$")
#: A sentence that refers to its subject by a pronoun or a definite description.
ANAPHOR: Final = re.compile(
    r"^\W*(?:(?:he|she|it|they|his|her|its|their|this|these|those|such)\b"
    r"|(?:the|this|that|these|those)\s+[a-z])"
    r"|^\W*(?-i:[a-z])"  # a sentence opening in lower case has its subject elsewhere ("is a Japanese artist")
    r"|\b(?:he|she|they|him|his|her|their)\b"  # a personal pronoun anywhere ("In 2011, he began ...")
    r"|\bthe\s+(?:film|series|show|city|organi[sz]ation|company|band|album|song|game|country|state|town|"
    r"character|novel|book|group|team|club|party|agency|government|station|channel|network|university|"
    r"school|river|island|region|province|species|family|building|church|ship|war|battle|event|race|"
    r"competition|tournament|festival|programme|program|product|brand|language|people|population)\b",
    re.IGNORECASE,
)
#: Words capitalised only because they open a sentence (or that name nothing).
_NOT_NAMES: Final = frozenset(
    [
        "the", "a", "an", "in", "on", "at", "to", "of", "for", "from", "by", "with", "as", "after",
        "before", "during", "since", "while", "when", "if", "although", "however", "this", "that", "these",
        "those", "it", "he", "she", "they", "there", "his", "her", "its", "their", "some", "many", "most",
        "all", "no", "yes", "both", "each", "every", "one", "two", "three", "we", "i", "you", "our", "my",
        "your", "according", "also", "but", "and", "or", "so", "then", "thus", "here", "now", "today",
        "yesterday", "meanwhile", "moreover", "furthermore", "source", "sources", "photo", "image", "read",
        "more", "not", "or", "nor", "yet", "still", "even", "just", "only", "mr", "mrs", "ms", "dr",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]
)
#: A claim opening with one of these refers to something it does not name ("It was great.").
_EMPTY_SUBJECT = re.compile(r"^\W*(?:it|they|this|that|these|those|he|she|we|you|i|there|here)\b", re.I)
#: A claim whose subject is a pronoun or demonstrative left unresolved ("That was invented by ...",
#: "They met Putin in 2015"); not the expletive "it" nor "there".
_UNNAMED_SUBJECT = re.compile(
    r"^\W*(that|this|these|those|he|she|they)\s+(?:(?:also|then|still|never|later|now|once)\s+)?"
    r"(?:is|are|was|were|has|have|had|will|would|could|can|may|might|must|should|did|does|do|"
    r"said|told|met|made|went|took|gave|got|won|lost|led|ran|became|began|came|saw|found|left|held|"
    r"kept|paid|sold|bought|built|wrote|spent|\w+ed)\b",
    re.I,
)
#: Designators dropped when matching organisation and person names ("Apple Inc." is "Apple").
_DESIGNATORS: Final = frozenset(
    ["inc", "ltd", "corp", "corporation", "co", "plc", "llc", "group", "company", "jr", "sr", "ii", "iii"]
)
#: Claims with fewer content words than this are fragments ("Release.", "Source: The Atlantic.").
MIN_CLAIM_WORDS: Final = 3


def fold(text: str) -> str:
    """Case-folded, accents removed, typographic apostrophes unified."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _tokens(text: str) -> tuple[str, ...]:
    out = []
    for tok in _TOKEN.findall(fold(text)):
        if tok in ("s",):  # possessive 's split off by the tokenizer
            continue
        out.append(tok)
    return tuple(out)


@dataclass(frozen=True)
class Name:
    """A name in a claim: its text, folded tokens, and whether it is only a sentence-initial word."""

    text: str
    tokens: tuple[str, ...]
    #: A single capitalised word opening the claim ("Global warming ...", "Paris is ..."): it may be
    #: a common noun, so it is matched as a word and never used to veto.
    weak: bool = False


def _headline_case(text: str) -> bool:
    """Most words capitalised ("Volcanoes Melting West Antarctic Glaciers, Not Global Warming")."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.lower() not in STOP_WORDS]
    return len(words) >= 5 and all(w[0].isupper() for w in words)


def claim_names(text: str) -> list[Name]:
    """The names a claim is about, first mention first (at most 8). In a headline-case claim every
    capitalised word is weak (capitals carry no information there)."""
    out: list[Name] = []
    seen: set[tuple[str, ...]] = set()
    lead = len(text) - len(text.lstrip(" \t\"'“‘([-–—•*"))
    headline = _headline_case(text)
    for m in _NAME.finditer(text):
        if headline:
            for w in m.group(0).split():
                toks = tuple(t for t in _tokens(w) if t not in _NOT_NAMES and len(t) > 1 and not t.isdigit())
                if toks and toks not in seen:
                    seen.add(toks)
                    out.append(Name(_POSSESSIVE.sub("", w).strip(" .,'’"), toks[-1:], True))
            continue
        toks = tuple(t for t in _tokens(m.group(0)) if t not in _NOT_NAMES)
        toks = tuple(t for t in toks if len(t) > 1 and not t.isdigit())
        if not toks or toks in seen:
            continue
        seen.add(toks)
        # one capitalised word opening the claim may be a common noun ("Human-produced carbon ...")
        weak = m.start() <= lead and " " not in m.group(0).strip()
        out.append(Name(_POSSESSIVE.sub("", m.group(0)).strip(" .,'’"), toks, weak))
    return out[:8]


def _spans(text: str) -> list[tuple[str, ...]]:
    """Capitalised name spans of an evidence text as folded token tuples."""
    out = []
    for m in _NAME.finditer(text):
        toks = tuple(t for t in _tokens(m.group(0)) if t not in _NOT_NAMES and len(t) > 1)
        if toks:
            out.append(toks)
    return out


def _core(toks: tuple[str, ...]) -> tuple[str, ...]:
    while len(toks) > 1 and toks[-1] in _DESIGNATORS:
        toks = toks[:-1]
    return toks


def name_matches(name: tuple[str, ...], span: tuple[str, ...]) -> bool:
    """Whole-name match: equal; one is the other's final part ("Obama" / "Barack Obama"); the same
    first and last name around middle names ("Abigail Breslin" / "Abigail Kathleen Breslin", "Al
    Gore" / "Albert Arnold Gore Jr."); a name of two or more words opening a longer one ("BBC
    America" / "BBC America Britcom"); or a one-word stem ("Europe" / "European"). A one-word name
    opening a longer one is another thing: "Christmas" is not "Christmas Island"."""
    a, b = _core(name), _core(span)
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < len(long_):
        if long_[-len(short):] == short:
            return len(short[-1]) > 2
        if len(short) >= 2 and long_[: len(short)] == short:
            return True
        return len(short) >= 2 and short[-1] == long_[-1] and (
            long_[0].startswith(short[0]) or short[0].startswith(long_[0])
        )
    if len(a) == 1 and len(a[0]) >= 5 and len(b[0]) >= 5:
        return a[0][:5] == b[0][:5] and abs(len(a[0]) - len(b[0])) <= 4
    return False


@dataclass
class Context:
    """An evidence sentence prepared for matching (computed once per sentence)."""

    spans: list[tuple[str, ...]]
    words: frozenset[str]
    title_spans: list[tuple[str, ...]]
    anaphoric: bool
    has_title: bool


def context(sentence: str, title: str | None) -> Context:
    words = frozenset(_tokens(sentence))
    return Context(
        spans=_spans(sentence),
        words=words,
        title_spans=_spans(title) if title else [],
        anaphoric=bool(ANAPHOR.search(sentence)),
        has_title=bool(title),
    )


def _weak_in(tok: str, words: frozenset[str]) -> bool:
    if tok in words:
        return True
    return len(tok) >= 5 and any(len(w) >= 5 and w[:5] == tok[:5] for w in words)


def mentioned(name: Name, spans: Sequence[tuple[str, ...]], words: frozenset[str]) -> bool:
    if name.weak:
        return _weak_in(name.tokens[0], words) or any(name_matches(name.tokens, s) for s in spans)
    return any(name_matches(name.tokens, s) for s in spans)


def content_words(text: str) -> set[str]:
    return {w for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2}


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")


def is_english(text: str) -> bool:
    """A cheap guess: mostly Latin letters and, for longer sentences, some English function words."""
    letters = _LETTER.findall(text)
    if not letters:
        return True
    if sum(1 for ch in letters if _LATIN.match(ch)) < 0.7 * len(letters):
        return False
    toks = [t for t in _TOKEN.findall(text.lower()) if not t.isdigit()]
    if len(toks) < 8:
        return True
    return sum(1 for t in toks if t in STOP_WORDS) / len(toks) >= 0.08


_EVALUATIVE = (
    r"shameful|disgraceful|outrageous|sad|tragic|ridiculous|absurd|wonderful|great|terrible|awful|"
    r"disgusting|appalling|unacceptable|scandalous|shocking|disturbing|encouraging|heartening|"
    r"unfortunate|fortunate|deplorable|despicable|pathetic|laughable|amazing|incredible|inexcusable|"
    r"unconscionable|hypocritical|wrong|right|time|high time|a (?:shame|disgrace|scandal|travesty|pity)|"
    r"an (?:outrage|embarrassment|insult)"
)
#: A value judgement framing the claim ("It is shameful that …", "I believe …", "X should …").
_OPINION = re.compile(
    rf"^\W*(?:it(?:'s| is| was| would be)\s+(?:so\s+|very\s+|truly\s+|absolutely\s+|simply\s+|really\s+)?"
    rf"(?:{_EVALUATIVE})\b\s*(?:that|to|how|when|,)"
    r"|(?:i|we)\s+(?:think|believe|feel|hope|fear)\b|in (?:my|our) (?:view|opinion)\b"
    r"|(?:sadly|shamefully|disgracefully|outrageously|thankfully|hopefully|unfortunately)\b,?)",
    re.IGNORECASE,
)
_SHOULD = re.compile(r"\b(?:should|ought to|shouldn't|should not)\s+(?:be\s+)?\w+", re.IGNORECASE)
#: "should" in someone else's reported view inside the claim ("In a move ministers say should keep
#: council tax rises below 5%, the chancellor said he was providing £1bn") is not the claim's own
#: recommendation.
_REPORTED_BEFORE = re.compile(
    r"\b(?:say|says|said|believe|believes|believed|think|thinks|thought|argue|argues|argued|hope|hopes|"
    r"hoped|insist|insists|insisted)\s+(?:that\s+|it\s+|they\s+)?$",
    re.IGNORECASE,
)


def value_judgement(claim: str) -> str | None:
    """"opinion" when the claim is framed as a value judgement or a recommendation, else None.
    (The attribution stage's modality catches most opinions; this catches evaluative frames such as
    "It is shameful that the military ...", which read as factual clauses.)"""
    text = claim.replace("’", "'")
    if _OPINION.search(text):
        return "opinion"
    for m in _SHOULD.finditer(text):
        # exempt only a reported "should" in a fronted clause, with the claim's own clause after it
        embedded = _REPORTED_BEFORE.search(text[: m.start()]) and "," in text[m.end():]
        if not embedded:
            return "opinion"
    return None


@dataclass
class RuleCheck:
    """What the rules say about one (claim, sentence) pair."""

    #: "about", "unresolved" (anaphoric sentence, no title: the head decides), "unnamed" (the claim's
    #: subject is a common noun, "A windmill ...": the head decides), "off_subject",
    #: "subject_missing", "no_names", "fragment", "other_language".
    status: str
    reason: str | None = None
    #: Share of the claim's names the sentence (or its title) mentions.
    names_frac: float = 0.0
    subject_mentioned: bool = False

    @property
    def vetoed(self) -> bool:
        return self.status not in ("about", "unresolved", "unnamed")


_VERBISH = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|can|could|may|might|must|"
    r"shall|should|\w+ed|\w{3,}s)\b",
    re.IGNORECASE,
)


def claim_problem(claim: str) -> str | None:
    """Why a claim cannot be checked against evidence at all (a fragment, no names), or None.
    A fragment: fewer than two content words, or fewer than :data:`MIN_CLAIM_WORDS` + 1 and no verb
    ("Release.", "Source: The Atlantic."); "Andorra is a country." is a claim."""
    words = content_words(claim)
    if len(words) < 2 or (len(words) <= MIN_CLAIM_WORDS and not _VERBISH.search(claim.split(":")[-1])):
        return "the claim is a fragment, too short to check"
    if not claim_names(claim) and _EMPTY_SUBJECT.match(claim):
        return "the claim names no one and nothing the evidence could be about"
    if (m := _UNNAMED_SUBJECT.match(claim)) is not None:
        # "That was invented by Alexander Graham Bell." (the article's "that" is the telephone): the
        # evidence can speak to Bell, never to what "that" is.
        return f"the claim's subject (“{m.group(1)}”) is not named in it"
    return None


def relevance_rule(claim: str, sentence: str, title: str | None, names: Sequence[Name] | None = None,
                   ctx: Context | None = None) -> RuleCheck:
    """The rules of the module docstring for one sentence."""
    problem = claim_problem(claim)
    if problem is not None:
        return RuleCheck("fragment" if "fragment" in problem else "no_names", problem)
    if not is_english(sentence):
        return RuleCheck("other_language", "the evidence is not in English")
    names = claim_names(claim) if names is None else names
    ctx = context(sentence, title) if ctx is None else ctx
    if not names:  # a generic subject ("A windmill could ..."): the learned head decides
        return RuleCheck("unnamed", None, 0.0, False)
    in_sent = [mentioned(n, ctx.spans, ctx.words) for n in names]
    # The page subject: a passage title counts as mentioned (the sentence is from its page).
    title_words = frozenset(t for span in ctx.title_spans for t in span)
    in_title = ([mentioned(n, ctx.title_spans, title_words) for n in names] if ctx.has_title
                else [False] * len(names))
    hit = [a or b for a, b in zip(in_sent, in_title, strict=True)]
    frac = sum(hit) / len(names)
    subject = names[0]
    subj = hit[0]
    strong = [i for i, n in enumerate(names) if not n.weak]
    unresolved = ctx.anaphoric and not ctx.has_title
    if unresolved:
        return RuleCheck("unresolved", None, frac, subj)
    if strong and not any(hit[i] for i in strong) and not (subject.weak and subj):
        first = names[strong[0]].text
        return RuleCheck("off_subject", f"the evidence is not about {first}", frac, subj)
    if not subject.weak and not subj:
        return RuleCheck("subject_missing", f"the evidence does not mention {subject.text}", frac, subj)
    return RuleCheck("about", None, frac, subj or any(hit))


def restates(claim: str, sentence: str, names: Sequence[Name] | None = None,
             ctx: Context | None = None) -> bool:
    """The sentence contains every content word (at least two) and every name of the claim: "Spain
    installed 8 gigawatts of new solar capacity in 2023." in "Spain installed 8 gigawatts of new
    solar capacity in 2023, a record for the country.". The learned head never saw such pairs among
    its FEVER positives (FEVER claims abstract their evidence), and the full-overlap pairs among its
    mined negatives are mostly real evidence ("Andorra is a country." / "Andorra ... is a landlocked
    country"), so it learnt "near-verbatim → not evidence"; for these pairs the verifier's own
    probabilities are used instead (on the head's training pairs the verifier is right on 504 of the
    523 gold pairs that restate their claim)."""
    cw = content_words(claim)
    if len(cw) < 2 or not cw <= content_words(sentence):
        return False
    names = claim_names(claim) if names is None else names
    if not names:
        return False
    ctx = context(sentence, None) if ctx is None else ctx
    return all(mentioned(n, ctx.spans, ctx.words) for n in names)


# -------------------------------------------------------------------------------- learned head

#: Feature names, in the order of the head's coefficient columns. (Raw overlap counts and claim
#: length were tried and left out: the mined negatives are chosen for overlap, so the head learnt
#: "more shared words → not evidence", which punished real evidence.)
FEATURES: Final[tuple[str, ...]] = (
    "log_p_supported",
    "log_p_refuted",
    "log_p_nee",
    "names_frac",
    "subject_mentioned",
    "no_strong_name_mentioned",
    "evidence_names_other",
    "anaphoric_unresolved",
    "overlap_frac",
    "cosine",
    "weak_only",
)


def features(claim: str, sentence: str, probs: Sequence[float], cosine: float) -> np.ndarray:
    """The head's input row for one pair (see :data:`FEATURES`).

    Title-blind on purpose: the head was trained on FEVER evidence, which has no page titles, so it
    reads the sentence alone (a pronoun is "unresolved" here); the passage title enters through the
    rules (:func:`relevance_rule`), which veto a sentence whose page is not about the claim."""
    title = None
    names = claim_names(claim)
    ctx = context(sentence, title)
    rule = relevance_rule(claim, sentence, title, names, ctx)
    strong = [n for n in names if not n.weak]
    tw = frozenset(t for span in ctx.title_spans for t in span)
    strong_hit = any(
        mentioned(n, ctx.spans, ctx.words) or (ctx.has_title and mentioned(n, ctx.title_spans, tw))
        for n in strong
    )
    other = bool(ctx.spans) and not any(mentioned(n, ctx.spans, ctx.words) for n in names)
    cw = content_words(claim)
    ov = len(cw & content_words(sentence))
    p = [min(max(float(x), 1e-4), 1.0) for x in probs]
    return np.array(
        [
            math.log(p[0]),
            math.log(p[1]),
            math.log(p[2]),
            rule.names_frac,
            float(rule.subject_mentioned),
            float(bool(strong) and not strong_hit),
            float(other),
            float(ctx.anaphoric and not ctx.has_title),
            ov / max(1, len(cw)),
            float(cosine),
            float(bool(names) and not strong),
        ],
        dtype=np.float64,
    )


@dataclass
class RelevanceHead:
    """Multinomial logistic regression (S, R, NEE) over :data:`FEATURES`, plus the operating point."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # [3, n_features]
    intercept: np.ndarray  # [3]
    #: A sentence counts for SUPPORTED / REFUTED when the head's probability reaches this.
    threshold: float
    #: Claim-level calibrator: P(verdict right) = σ(a · logit(confidence) + b), per verdict kind.
    calibrator: dict[str, tuple[float, float]]
    meta: dict[str, Any]

    def predict(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        out: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return out

    def calibrate(self, kind: str, confidence: float) -> float:
        """P(the verdict is right) for a raw aggregated confidence (kind: "decisive" or "nee")."""
        if kind not in self.calibrator:
            return confidence
        a, b = self.calibrator[kind]
        c = min(max(confidence, 1e-3), 1 - 1e-3)
        z = min(max(math.log(c / (1 - c)), -7.0), 7.0)
        m = min(max(a * z + b, -30.0), 30.0)
        return 1.0 / (1.0 + math.exp(-m))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RelevanceHead:
        if list(d["features"]) != list(FEATURES):
            raise ValueError("verification head features do not match this version of factaudit")
        return cls(
            mean=np.asarray(d["mean"], dtype=np.float64),
            scale=np.asarray(d["scale"], dtype=np.float64),
            coef=np.asarray(d["coef"], dtype=np.float64),
            intercept=np.asarray(d["intercept"], dtype=np.float64),
            threshold=float(d["threshold"]),
            calibrator={k: (float(v[0]), float(v[1])) for k, v in d.get("calibrator", {}).items()},
            meta=dict(d.get("meta", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "coef": self.coef.round(6).tolist(),
            "intercept": self.intercept.round(6).tolist(),
            "threshold": round(self.threshold, 4),
            "calibrator": {k: [round(v[0], 5), round(v[1], 5)] for k, v in self.calibrator.items()},
            "meta": self.meta,
        }


@lru_cache(maxsize=2)
def load_head(path: str | None = None) -> RelevanceHead | None:
    """The shipped head, or None when its file is absent (the rules still apply)."""
    p = Path(path) if path else HEAD_FILE
    if not p.is_file():
        return None
    return RelevanceHead.from_dict(json.loads(p.read_text(encoding="utf-8")))


def cosines(claims: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
    """Static-embedding cosine of each (claim, sentence) pair (the shipped static embedder)."""
    if not claims:
        return np.zeros(0)
    from .evidence.embed import DEFAULT_EMBEDDER_DIR, load_embedder

    emb = load_embedder(DEFAULT_EMBEDDER_DIR)  # the head was trained on this embedder's cosines
    uniq = list(dict.fromkeys([*claims, *sentences]))
    index = {t: i for i, t in enumerate(uniq)}
    vecs = emb.encode(uniq)
    a = vecs[[index[c] for c in claims]]
    b = vecs[[index[s] for s in sentences]]
    out: np.ndarray = (a * b).sum(axis=1).astype(np.float64)
    return out


__all__ = [
    "ANAPHOR",
    "FEATURES",
    "HEAD_FILE",
    "MIN_CLAIM_WORDS",
    "Context",
    "Name",
    "RelevanceHead",
    "RuleCheck",
    "claim_names",
    "claim_problem",
    "context",
    "cosines",
    "features",
    "is_english",
    "load_head",
    "mentioned",
    "name_matches",
    "relevance_rule",
    "restates",
    "value_judgement",
]
