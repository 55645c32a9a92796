"""The data model: one :class:`Article` that every stage reads and extends.

Every span is a pair of character offsets ``[start, end)`` into ``Article.text`` (the
normalised text), so ``article.text[x.start:x.end]`` is always the exact text of ``x``.
Objects refer to each other by id (``"b3"``, ``"s12"``, ``"a7"``, ``"c2"``, ``"src1"``), never by
text, so a report can always point back at the words.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import asdict, dataclass, field
from typing import Any, Final, Literal, get_args

#: "aside": page furniture and what belongs to it (share buttons, a photo credit and its caption,
#: another story's teaser above "Read more"): no statements are read from it.
BlockKind = Literal["title", "heading", "paragraph", "question", "answer", "reference", "list_item", "aside"]
HolderKind = Literal["author", "named", "unnamed_group", "agentless"]
Modality = Literal["factual", "opinion", "question", "prediction"]
Specificity = Literal["home_page", "section", "article", "unknown"]
CitationKind = Literal["reference_list", "inline_link", "footnote", "named_outlet"]
#: The one set of verdict labels: every stage, model wrapper, report and the web app use these names.
VerdictLabel = Literal["SUPPORTED", "REFUTED", "NOT ENOUGH EVIDENCE", "CONFLICTING"]
SUPPORTED: Final[VerdictLabel] = "SUPPORTED"
REFUTED: Final[VerdictLabel] = "REFUTED"
NOT_ENOUGH_EVIDENCE: Final[VerdictLabel] = "NOT ENOUGH EVIDENCE"
CONFLICTING: Final[VerdictLabel] = "CONFLICTING"
#: Every label, in the order reports and menus list them.
VERDICT_LABELS: Final[tuple[VerdictLabel, ...]] = get_args(VerdictLabel)
Severity = Literal["info", "warning", "problem"]
#: A published fact-check's rating on one scale; ratings that are not a truth scale (miscaptioned,
#: legend, outdated, misattributed, scam, correct attribution) are "other" and keep the publisher's word.
FactCheckRating = Literal[
    "false", "mostly false", "mixed", "mostly true", "true", "unproven", "other"
]
FACT_CHECK_RATINGS: Final[tuple[FactCheckRating, ...]] = get_args(FactCheckRating)


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Link:
    """A hyperlink found by ingest (HTML, Markdown): anchor text span and target URL."""

    start: int
    end: int
    url: str
    text: str


@dataclass
class Block:
    """A structural unit: title, heading, paragraph, FAQ question/answer, reference line."""

    id: str
    kind: BlockKind
    start: int
    end: int
    text: str
    #: For an ``answer``: the id of its question block (an answer is read in its question's context).
    question_id: str | None = None
    #: Other places where the same text occurs (the seed repeats its title); merged here.
    duplicates: list[Span] = field(default_factory=list)


@dataclass
class Sentence:
    id: str
    block_id: str
    start: int
    end: int
    text: str


@dataclass
class QAPair:
    question_block: str
    answer_block: str
    question: str
    answer: str


@dataclass
class Holder:
    """Who asserts a statement."""

    kind: HolderKind
    #: "the author", "Elon Musk", "critics", "(agentless)"
    name: str
    start: int | None = None
    end: int | None = None
    #: For a pronoun ("they argue"): the span of the pronoun; ``name`` is what it resolved to.
    resolved_from: str | None = None
    #: Named holder type from NER when known (PERSON, ORG, GPE, NORP).
    entity_type: str | None = None
    #: A pronoun ("he said") whose referent the article does not make certain: ``name`` is the
    #: pronoun itself, never a guess.
    unresolved: bool = False
    #: ``name`` is the likely referent of a pronoun holder (the previous sentence's first compatible
    #: person), not a certain one; claim text is never rewritten from such a guess.
    likely: bool = False


@dataclass
class Hedge:
    cue: str
    start: int
    end: int
    #: "modal" (may, could), "adverb" (potentially, reportedly), "verb" (suggest, appear),
    #: "evidential" (reportedly, allegedly), "agentless" (concerns are raised).
    kind: str = "modal"


@dataclass
class Assertion:
    """One clause-level statement with its attribution; repeated statements are merged."""

    id: str
    sentence_id: str
    block_id: str
    start: int
    end: int
    text: str
    holder: Holder
    reporting_verb: str | None = None
    #: The asserted proposition inside the clause ("his collaborations may undermine U.S. interests").
    content: Span | None = None
    hedges: list[Hedge] = field(default_factory=list)
    modality: Modality = "factual"
    #: For FAQ answers: the question it answers (context for reading it).
    context: str | None = None
    #: All other spans where the same statement occurs.
    occurrences: list[Span] = field(default_factory=list)
    citation_ids: list[str] = field(default_factory=list)
    #: True when the statement is sourced (a specific cited source or a named holder).
    attributed: bool = False

    @property
    def hedged(self) -> bool:
        return bool(self.hedges)


@dataclass
class Credibility:
    """A prior on a domain's trustworthiness from shipped ratings tables."""

    #: 0..1 (Lin et al. 2023 pc1 where rated), None when the domain is not rated.
    score: float | None
    label: str
    ratings: dict[str, Any] = field(default_factory=dict)


@dataclass
class Citation:
    """A source the article cites (reference list line, footnote, inline link, named outlet)."""

    id: str
    kind: CitationKind
    start: int
    end: int
    text: str
    outlet: str | None = None
    url: str | None = None
    domain: str | None = None
    specificity: Specificity = "unknown"
    #: True when an in-text anchor ties it to a statement (inline link, footnote marker, named outlet).
    anchored: bool = False
    assertion_ids: list[str] = field(default_factory=list)
    credibility: Credibility | None = None
    #: With ``--online``: what the cited page says about the statements that cite it.
    check: CitationCheck | None = None

    @property
    def supports_claims(self) -> bool:
        """A home-page citation supports no claim."""
        return self.anchored and self.specificity not in ("home_page", "unknown")


@dataclass
class Evidence:
    """A quoted evidence sentence: where it came from, and what the verifier made of it."""

    #: Document title (or URL) the passage belongs to.
    source: str
    passage: str
    #: The sentence the verdict rests on (a substring of ``passage``).
    quote: str
    #: Offsets of ``quote`` inside ``passage``.
    start: int | None = None
    end: int | None = None
    score: float | None = None
    #: How this sentence bears on the claim: SUPPORTED / REFUTED / NOT ENOUGH EVIDENCE, or "nearest miss".
    label: str | None = None
    #: Evidence pack or corpus ("wiki-vital", "factbook", a user corpus).
    pack: str | None = None
    url: str | None = None
    #: As-of date of the evidence (e.g. "2025" for a Factbook estimate).
    date: str | None = None
    licence: str | None = None
    #: Calibrated P(SUPPORTED, REFUTED, NOT ENOUGH EVIDENCE) for this sentence.
    probabilities: list[float] = field(default_factory=list)
    #: Rule that overrode the model (e.g. "number mismatch: 89.5 billion vs more than 100 billion",
    #: "the evidence is not about Christmas").
    rule: str | None = None
    #: True when the evidence is dated after the article (``article.meta["date"]``): it may describe
    #: a later state of the world than the one the article wrote about.
    after_article: bool = False


@dataclass
class Verdict:
    label: VerdictLabel
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)
    note: str | None = None
    #: How many of the sentences read were about the claim's subject (passed the relevance rules);
    #: 0: the evidence searched could not speak to the claim at all. None: not recorded.
    on_subject: int | None = None


CitationStatus = Literal[
    "backs", "contradicts", "mixed", "does_not_back", "unreachable", "not_checked"
]


@dataclass
class CitedBacking:
    """Does the cited page back one statement that cites it? (The verifier's verdict on the page.)"""

    assertion_id: str
    verdict: Verdict


@dataclass
class CitationCheck:
    """The cited page fetched (through the guarded fetcher) and read against its citing statements."""

    #: backs (some sentence of the page supports the statement), contradicts, mixed, does_not_back,
    #: unreachable (fetch failed: see ``error``), not_checked (see ``error`` for why).
    status: CitationStatus
    final_url: str | None = None
    fetched_at: str | None = None
    error: str | None = None
    backing: list[CitedBacking] = field(default_factory=list)


@dataclass
class Rewrite:
    """Words of the article a claim replaced with their referent, so every rewrite is traceable."""

    #: Offsets of the replaced words in ``Article.text`` ("his", "this cooperation").
    start: int
    end: int
    original: str
    #: What the claim shows instead, inside square brackets ("Bush’s").
    replacement: str
    #: Where the referent is named in the article, when it is one mention.
    antecedent_start: int | None = None
    antecedent_end: int | None = None


@dataclass
class FactCheckMatch:
    """A published fact-check of the claim (or, with ``related``, of the same topic).

    A match is not a verdict: it is shown beside the evidence verdict and never overwrites it.
    """

    #: The claim as the fact-checker reviewed it.
    claim_reviewed: str
    #: The rating in the publisher's own words ("Mostly False", "Miscaptioned").
    rating: str
    normalised: FactCheckRating
    url: str
    publisher: str | None = None
    #: The fact-check's publication date (ISO), when known.
    date: str | None = None
    language: str | None = None
    #: Calibrated probability that the fact-check reviewed the same claim.
    probability: float = 0.0
    #: Days from the fact-check to the article (positive: the fact-check is older); None when
    #: either date is unknown.
    age_days: int | None = None
    #: How the article uses the claim: "repeats" it, "debunks" it, or None when unclear.
    stance: str | None = None
    #: Below the same-claim threshold, or about another subject or sum: listed apart as related.
    related: bool = False
    #: Why a fact-check that scored as the same claim is only related ("the fact-check is about
    #: Monica Lewinsky; the claim about Hanna"); None otherwise.
    why_related: str | None = None
    #: Set when the fact-check rates the claim false (or mostly false) while the machine verdict
    #: says SUPPORTED, and the reverse: for the reviewer.
    conflicts_with_verdict: bool = False


_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


@dataclass
class Claim:
    """A check-worthy, stand-alone claim derived from an assertion."""

    id: str
    assertion_id: str
    #: The stand-alone claim in the article's words; what the claim added to make it stand alone
    #: (a resolved pronoun, "this cooperation" spelled out) is in square brackets: "during [Bush’s]
    #: two terms". ``rewrites`` says which words each bracket replaced.
    text: str
    #: The source assertion's span in the article.
    start: int
    end: int
    sentence_id: str | None = None
    #: For FAQ answers: the question the claim answers.
    context: str | None = None
    checkworthiness: float | None = None
    check_worthy: bool | None = None
    rank: int | None = None
    verdict: Verdict | None = None
    #: Why the verify stage gave no verdict: "opinion", "prediction", "question", "below the
    #: check-worthiness threshold", "not verified: article limit", "verification turned off", ...
    unchecked_reason: str | None = None
    rewrites: list[Rewrite] = field(default_factory=list)
    #: Earlier published fact-checks matched to the claim (same claim first, then related ones).
    fact_checks: list[FactCheckMatch] = field(default_factory=list)

    @property
    def plain_text(self) -> str:
        """The claim without the square brackets that mark added words (what models read)."""
        return _BRACKETS.sub(r"\1", self.text)


@dataclass
class Entity:
    id: str
    name: str
    type: str
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Relation:
    source: str
    target: str
    relation: str
    claim_ids: list[str] = field(default_factory=list)
    holder: str | None = None
    risks: list[str] = field(default_factory=list)
    benefits: list[str] = field(default_factory=list)


@dataclass
class Finding:
    """An article-level observation (e.g. "sources are home pages only")."""

    code: str
    severity: Severity
    message: str
    refs: list[str] = field(default_factory=list)


@dataclass
class Article:
    """The one document object every stage reads and extends."""

    #: Where it came from: a path, a URL, "-" for stdin, or "<text>".
    source: str
    #: The input bytes before ingest (stdin, uploads); ingest reads and clears it.
    raw: bytes | None = field(default=None, repr=False)
    #: Normalised text; all offsets point into it.
    text: str = ""
    #: Declared or sniffed input format: text, markdown, html, pdf.
    format: str = "text"
    title: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    #: False when the stages after segment should make no assertions or claims. Ingest refuses an
    #: unsupported language outright (UnsupportedLanguageError, exit 3); an Article built by hand
    #: or read back from an older report may still carry False.
    auditable: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    qa_pairs: list[QAPair] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: What a stage chose not to do and why ("language 'de' is not supported: no assertions").
    skipped: list[str] = field(default_factory=list)
    #: Seconds spent per stage.
    timings: dict[str, float] = field(default_factory=dict)
    #: Names of stages that have run, in order.
    stages_run: list[str] = field(default_factory=list)
    #: Parsed spaCy docs per block id, as ``[(char offset of the doc in text, Doc), ...]``: an
    #: analysis cache shared by the stages, never serialised; the Auditor clears it after the run.
    nlp: dict[str, list[tuple[int, Any]]] = field(default_factory=dict, repr=False, compare=False)

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def block(self, block_id: str) -> Block:
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)

    def sentence(self, sentence_id: str) -> Sentence:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        raise KeyError(sentence_id)

    def to_dict(self) -> dict[str, Any]:
        nlp, self.nlp = self.nlp, {}
        try:
            d = asdict(self)
        finally:
            self.nlp = nlp
        d.pop("raw", None)
        d.pop("nlp", None)
        for a, ad in zip(self.assertions, d["assertions"], strict=True):
            ad["hedged"] = a.hedged
        for c, cd in zip(self.citations, d["citations"], strict=True):
            cd["supports_claims"] = c.supports_claims
        return d


#: Bumped on any incompatible change to the JSON report.
SCHEMA_VERSION = "1.0"


@dataclass
class ModelInfo:
    name: str
    version: str
    sha256: str | None = None
    path: str | None = None


@dataclass
class RunRecord:
    """How a report was made: enough to reproduce it."""

    package_version: str
    started_at: str
    duration_s: float
    stages: list[str] = field(default_factory=list)
    models: list[ModelInfo] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    python: str = ""
    platform: str = ""


@dataclass
class Report:
    """What ``factaudit.audit()`` returns: the audited Article plus its run record."""

    article: Article
    run: RunRecord
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "run": asdict(self.run),
            "article": self.article.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """The report :meth:`to_dict` wrote (unknown keys ignored); ``ValueError`` when it is not one."""
        try:
            report = _build(cls, data)
        except (TypeError, ValueError, KeyError) as exc:
            raise ValueError(f"not a factaudit report: {exc}") from exc
        if not isinstance(report, cls):
            raise ValueError("not a factaudit report: expected an object")
        return report


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _build(tp: Any, value: Any) -> Any:
    """``value`` (plain JSON) as an instance of the annotation ``tp``."""
    if value is None:
        return None
    plan = _PLANS.get(tp)
    if plan is None:
        plan = _PLANS[tp] = _plan(tp)
    return plan(value)


#: Annotation → a function building its value: worked out once per annotation, because reading
#: thousands of reports (a corpus) otherwise spends most of its time asking ``typing`` again.
_PLANS: dict[Any, typing.Callable[[Any], Any]] = {}


def _identity(value: Any) -> Any:
    return value


def _plan(tp: Any) -> typing.Callable[[Any], Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _plan(options[0]) if len(options) == 1 else _identity
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return lambda value: [_build(item, v) for v in value]
    if origin is tuple:
        args = typing.get_args(tp)
        if not args:
            return tuple
        return lambda value: tuple(_build(args[0], v) for v in value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        cls = tp
        hints = _hints(cls)
        fields = [(f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init]

        def build(value: Any) -> Any:
            if not isinstance(value, dict):
                raise TypeError(f"{cls.__name__} expects an object, not {type(value).__name__}")
            return cls(**{name: _build(ftp, value[name]) for name, ftp in fields if name in value})

        return build
    return _identity
