"""The corpus data model: what :func:`~factaudit.corpus.aggregate` makes of many reports.

Every aggregate keeps, beside each count, who asserted it and how it was hedged and sourced (a
:class:`ClaimRef` per assertion), so "7 articles assert X" never reads as "X is true".
Serialisation is :meth:`Corpus.to_dict` / :meth:`Corpus.from_dict` (plain JSON; the top-level keys
are ``articles``, ``entities``, ``relations``, ``recurring_claims``, ``outlets``, ``timeline``,
``findings`` and ``run``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from ..document import ModelInfo, Severity, _build

__all__ = [
    "CORPUS_SCHEMA_VERSION",
    "UNKNOWN_OUTLET",
    "ClaimRef",
    "Corpus",
    "CorpusArticle",
    "CorpusEntity",
    "CorpusFinding",
    "CorpusRelation",
    "CorpusRun",
    "MentionRef",
    "OutletProfile",
    "RecurringClaim",
    "TimelineDay",
]

#: Bumped on any incompatible change to the corpus JSON.
CORPUS_SCHEMA_VERSION: Final = "1.0"
#: The outlet of an article whose report names none (no ``meta["outlet"]`` and no URL).
UNKNOWN_OUTLET: Final = "(unknown outlet)"


@dataclass
class CorpusArticle:
    """One report in the corpus: where it came from, when, and how it is sourced."""

    id: str
    title: str
    source: str
    outlet: str
    #: ISO date (``YYYY-MM-DD``) from the article's metadata, or None.
    date: str | None = None
    url: str | None = None
    #: The web app's audit id, when the report came from its store.
    audit_id: str | None = None
    claims: int = 0
    assertions: int = 0
    citations: int = 0
    #: Citations with a URL, and of those the outlets' home pages.
    url_citations: int = 0
    home_page_citations: int = 0
    unnamed_group: int = 0
    agentless: int = 0


@dataclass
class ClaimRef:
    """One article's claim as the corpus keeps it: the words and everything that qualifies them."""

    article: str
    claim: str
    text: str
    holder: str
    #: author | named | unnamed_group | agentless (``document.HolderKind``).
    holder_kind: str
    hedges: list[str] = field(default_factory=list)
    verdict: str | None = None
    confidence: float | None = None
    outlet: str = UNKNOWN_OUTLET
    date: str | None = None
    #: Whether the assertion cites a specific page (a citation of ``specificity == "article"``).
    cites_specific: bool = False
    #: Whether it cites anything at all (home pages and named outlets included).
    cites_any: bool = False


@dataclass
class MentionRef:
    """Where an article names an entity: its words and character span in the article's text."""

    article: str
    start: int
    end: int
    text: str


@dataclass
class CorpusEntity:
    """An entity merged across articles (``Musk``, ``Elon Musk``, ``Mr. Musk`` → one)."""

    id: str
    name: str
    #: person | organisation | place | government | group.
    type: str
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: list[MentionRef] = field(default_factory=list)


@dataclass
class CorpusRelation:
    """An edge merged across articles, with every claim that asserts it."""

    id: str
    source: str
    target: str
    relation: str
    claims: list[ClaimRef] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    benefits: list[str] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return sorted({c.article for c in self.claims})

    @property
    def outlets(self) -> list[str]:
        return sorted({c.outlet for c in self.claims})

    @property
    def first_seen(self) -> str | None:
        dates = [c.date for c in self.claims if c.date]
        return min(dates) if dates else None

    def holder_counts(self) -> Counter[str]:
        return Counter(c.holder_kind for c in self.claims)


@dataclass
class RecurringClaim:
    """The same claim made in several articles (an embedding cluster that passed the finer check)."""

    id: str
    text: str
    members: list[ClaimRef] = field(default_factory=list)
    #: The lowest similarity between a member and the cluster's first claim.
    min_similarity: float = 1.0

    @property
    def articles(self) -> list[str]:
        return sorted({m.article for m in self.members})

    @property
    def outlets(self) -> list[str]:
        return sorted({m.outlet for m in self.members})

    @property
    def first_seen(self) -> ClaimRef | None:
        """The earliest dated member (None when no member has a date)."""
        dated = [m for m in self.members if m.date]
        return min(dated, key=lambda m: (m.date or "", m.article)) if dated else None


@dataclass
class OutletProfile:
    """How an outlet sources what it publishes, over its articles in the corpus."""

    outlet: str
    articles: int = 0
    assertions: int = 0
    url_citations: int = 0
    home_page_citations: int = 0
    unnamed_group: int = 0
    agentless: int = 0
    first_date: str | None = None
    last_date: str | None = None

    @property
    def home_page_share(self) -> float | None:
        return self.home_page_citations / self.url_citations if self.url_citations else None

    @property
    def unnamed_group_share(self) -> float | None:
        return self.unnamed_group / self.assertions if self.assertions else None

    @property
    def agentless_share(self) -> float | None:
        return self.agentless / self.assertions if self.assertions else None


@dataclass
class TimelineDay:
    """What the corpus published on one date."""

    date: str
    articles: list[str] = field(default_factory=list)
    #: Relations first asserted on this date.
    new_relations: list[str] = field(default_factory=list)
    #: Recurring claims first made on this date.
    new_recurring: list[str] = field(default_factory=list)


@dataclass
class CorpusFinding:
    """A corpus-level observation; ``holders`` and ``hedged`` travel with it, never only a count."""

    code: str
    severity: Severity
    message: str
    refs: list[str] = field(default_factory=list)
    articles: int = 0
    #: Holder kind → how many of the assertions behind the finding.
    holders: dict[str, int] = field(default_factory=dict)
    hedged: int = 0
    cites_specific: int = 0


@dataclass
class CorpusRun:
    """How the corpus was made."""

    package_version: str
    started_at: str
    duration_s: float = 0.0
    reports: int = 0
    #: One line per report left out, and why.
    skipped: list[str] = field(default_factory=list)
    models: list[ModelInfo] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Corpus:
    articles: list[CorpusArticle]
    entities: list[CorpusEntity]
    relations: list[CorpusRelation]
    recurring_claims: list[RecurringClaim]
    outlets: list[OutletProfile]
    timeline: list[TimelineDay]
    findings: list[CorpusFinding]
    run: CorpusRun
    schema_version: str = CORPUS_SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON; derived values (articles, outlets, first seen, shares) are written out too."""
        d: dict[str, Any] = {"schema_version": self.schema_version}
        d["articles"] = [asdict(a) for a in self.articles]
        d["entities"] = [asdict(e) for e in self.entities]
        d["relations"] = [
            {
                **asdict(r),
                "articles": r.articles,
                "outlets": r.outlets,
                "first_seen": r.first_seen,
                "holders": dict(r.holder_counts()),
            }
            for r in self.relations
        ]
        d["recurring_claims"] = [
            {
                **asdict(c),
                "articles": c.articles,
                "outlets": c.outlets,
                "first_seen": asdict(c.first_seen) if c.first_seen else None,
            }
            for c in self.recurring_claims
        ]
        d["outlets"] = [
            {
                **asdict(o),
                "home_page_share": o.home_page_share,
                "unnamed_group_share": o.unnamed_group_share,
                "agentless_share": o.agentless_share,
            }
            for o in self.outlets
        ]
        d["timeline"] = [asdict(t) for t in self.timeline]
        d["findings"] = [asdict(f) for f in self.findings]
        d["run"] = asdict(self.run)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Corpus:
        """The corpus :meth:`to_dict` wrote (derived and unknown keys ignored); ``ValueError`` if not one."""
        if not isinstance(data, dict) or "run" not in data or "relations" not in data:
            raise ValueError("not a factaudit corpus: expected an object with 'relations' and 'run'")
        version = str(data.get("schema_version", ""))
        if version.split(".")[0] != CORPUS_SCHEMA_VERSION.split(".")[0]:
            raise ValueError(f"corpus schema {version!r} is not {CORPUS_SCHEMA_VERSION}")
        try:
            corpus = _build(cls, {f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})
        except (TypeError, ValueError, KeyError) as exc:
            raise ValueError(f"not a factaudit corpus: {exc}") from exc
        if not isinstance(corpus, cls):
            raise ValueError("not a factaudit corpus")
        return corpus
