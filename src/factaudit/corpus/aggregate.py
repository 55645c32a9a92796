"""``aggregate(reports) -> Corpus``: one pass over the reports, then the corpus-wide merges.

The pass keeps only what the corpus shows (a :class:`ClaimRef` per claim, each entity mention's
sense, each edge's claims): a report is dropped as soon as it is read, so memory grows with the
number of claims, not with the reports' size. After the pass, people are merged across articles
(:class:`~.entities.PersonMerger`), edges are merged on their merged ends, claims are clustered
(:mod:`.recurring`), and outlets, the timeline and the findings are computed.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from .._version import __version__
from ..credibility import host_of, registrable_domain
from ..document import ModelInfo, Report
from .entities import DOMINANCE, PersonMerger, Sense, mention_sense, name_tokens
from .findings import corpus_findings
from .model import (
    UNKNOWN_OUTLET,
    ClaimRef,
    Corpus,
    CorpusArticle,
    CorpusEntity,
    CorpusRelation,
    CorpusRun,
    MentionRef,
    OutletProfile,
    RecurringClaim,
    TimelineDay,
)
from .recurring import CANDIDATE, NEAR_DUPLICATE, PairChecker, cluster_claims

__all__ = ["MIN_CLAIM_WORDS", "aggregate", "article_date", "article_outlet", "verifier_checker"]

#: Claims shorter than this many words are not clustered ("He said so." recurs everywhere).
MIN_CLAIM_WORDS = 5
_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their"})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def article_date(meta: dict[str, Any]) -> str | None:
    """The article's date (``meta["date"]``, ISO 8601 or RFC 2822) as ``YYYY-MM-DD``, or None."""
    raw = meta.get("date")
    if not isinstance(raw, str) or not raw.strip():
        return None
    raw = raw.strip()
    m = _ISO_DATE.match(raw)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def article_outlet(meta: dict[str, Any]) -> str:
    """``meta["outlet"]``, else the registrable domain of the article's URL, else unknown."""
    outlet = meta.get("outlet")
    if isinstance(outlet, str) and outlet.strip():
        return outlet.strip()
    for key in ("url", "canonical_url", "final_url"):
        url = meta.get(key)
        if isinstance(url, str) and "://" in url:
            host = host_of(url)
            if host:
                return registrable_domain(host)
    return UNKNOWN_OUTLET


def verifier_checker() -> tuple[PairChecker | None, ModelInfo | None, str | None]:
    """The shipped NLI verifier as the recurring-claims cross-encoder (one thread), its model info,
    or (None, None, why) when it cannot be loaded."""
    from ..errors import ModelError
    from ..models.verifier import get_verifier

    try:
        model = get_verifier(threads=1)
    except ModelError as exc:
        return None, None, f"cross-encoder unavailable ({exc.message}): only near-duplicates merged"
    info = model.info()

    def check(pairs: Sequence[tuple[str, str]]) -> list[float]:
        return [float(p[0]) for p in model.predict(pairs)] if pairs else []

    return check, ModelInfo(info["name"], info["version"], info["sha256"], info["path"]), None


@dataclass
class _Edge:
    article: str
    source: Sense
    target: Sense
    relation: str
    claims: list[ClaimRef] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    benefits: list[str] = field(default_factory=list)


class _Collector:
    """The single pass over the reports."""

    def __init__(self) -> None:
        self.articles: list[CorpusArticle] = []
        self.ids: set[str] = set()
        self.people = PersonMerger()
        #: sense id → (sense, [(mention, display name)])
        self.mentions: dict[str, tuple[Sense, list[tuple[MentionRef, str]]]] = {}
        self.edges: list[_Edge] = []
        self.claim_refs: list[ClaimRef] = []
        self.claim_texts: list[str] = []
        self.edges_without_claims = 0

    def _unique_id(self, report: Report) -> str:
        meta = report.article.meta
        base = str(meta.get("id") or meta.get("audit_id") or report.article.source or "article")
        key, n = base, 2
        while key in self.ids:
            key, n = f"{base}#{n}", n + 1
        self.ids.add(key)
        return key

    def add(self, report: Report) -> None:
        art = report.article
        meta = art.meta
        aid = self._unique_id(report)
        outlet, day = article_outlet(meta), article_date(meta)
        url = meta.get("url") if isinstance(meta.get("url"), str) else None
        with_url = [c for c in art.citations if c.url]
        rec = CorpusArticle(
            id=aid,
            title=(art.title or art.source or aid).strip()[:300],
            source=art.source,
            outlet=outlet,
            date=day,
            url=url,
            audit_id=meta.get("audit_id") if isinstance(meta.get("audit_id"), str) else None,
            claims=len(art.claims),
            assertions=len(art.assertions),
            citations=len(art.citations),
            url_citations=len(with_url),
            home_page_citations=sum(1 for c in with_url if c.specificity == "home_page"),
            unnamed_group=sum(1 for a in art.assertions if a.holder.kind == "unnamed_group"),
            agentless=sum(1 for a in art.assertions if a.holder.kind == "agentless"),
        )
        self.articles.append(rec)
        specificity = {c.id: c.specificity for c in art.citations}
        assertions = {a.id: a for a in art.assertions}
        refs: dict[str, ClaimRef] = {}
        seen_text: set[str] = set()
        for c in art.claims:
            a = assertions.get(c.assertion_id)
            if a is None:
                continue
            ref = ClaimRef(
                article=aid,
                claim=c.id,
                text=c.text,
                holder=a.holder.name,
                holder_kind=a.holder.kind,
                hedges=[h.cue for h in a.hedges],
                verdict=c.verdict.label if c.verdict else None,
                confidence=round(c.verdict.confidence, 4) if c.verdict else None,
                outlet=outlet,
                date=day,
                cites_specific=any(specificity.get(x) == "article" for x in a.citation_ids),
                cites_any=bool(a.citation_ids),
            )
            refs[c.id] = ref
            plain = c.plain_text.strip()
            if len(plain.split()) >= MIN_CLAIM_WORDS and plain.lower() not in seen_text:
                seen_text.add(plain.lower())
                self.claim_refs.append(ref)
                self.claim_texts.append(plain)
        # Entities: each mention's sense (a GPE mention can be the city here, the government there).
        claim_spans = {c.id: (c.start, c.end) for c in art.claims}
        senses: dict[str, list[tuple[int, Sense]]] = {}
        for e in art.entities:
            found: list[tuple[int, Sense]] = []
            for m in e.mentions:
                sense = mention_sense(art.text, m.start, m.end, e.name, e.type)
                if sense is None:
                    continue
                found.append((m.start, sense))
                slot = self.mentions.setdefault(sense.id, (sense, []))
                slot[1].append((MentionRef(aid, m.start, m.end, art.text[m.start : m.end]), e.name))
            if not e.mentions:  # an entity with no span (built by hand): its name alone
                sense = mention_sense(e.name, 0, len(e.name), e.name, e.type)
                if sense is not None:
                    found.append((-1, sense))
                    self.mentions.setdefault(sense.id, (sense, []))[1].append(
                        (MentionRef(aid, -1, -1, e.name), e.name)
                    )
            senses[e.id] = found
        context = {x.id for found in senses.values() for _, x in found}
        for key in {x.key for found in senses.values() for _, x in found if x.kind == "person"}:
            self.people.add(key, aid, context)
        for r in art.relations:
            claims = [refs[c] for c in r.claim_ids if c in refs]
            if not claims:
                self.edges_without_claims += 1
                continue
            spans = [claim_spans[c] for c in r.claim_ids if c in claim_spans]
            src, dst = (
                _edge_sense(senses.get(r.source, []), spans),
                _edge_sense(senses.get(r.target, []), spans),
            )
            if src is None or dst is None:
                continue
            self.edges.append(_Edge(aid, src, dst, r.relation, claims, list(r.risks), list(r.benefits)))


def _edge_sense(found: list[tuple[int, Sense]], spans: list[tuple[int, int]]) -> Sense | None:
    """The sense of an edge's end: its mention inside the edge's claims, else its commonest sense."""
    for pos, sense in found:
        if any(s <= pos < e for s, e in spans):
            return sense
    if not found:
        return None
    return Counter(s for _, s in found).most_common(1)[0][0]


def _display(names: Iterable[str]) -> str:
    """The fullest common spelling: the most frequent among the longest (by words) names."""
    counts = Counter(n.strip() for n in names if n.strip())
    if not counts:
        return ""
    longest = max(len(name_tokens(n)) for n in counts)
    return max((n for n in counts if len(name_tokens(n)) == longest), key=lambda n: (counts[n], n))


def aggregate(
    reports: Iterable[Report],
    *,
    checker: PairChecker | str | None = "verifier",
    max_checks: int = 200,
    on_report: Callable[[int], None] | None = None,
) -> Corpus:
    """Merge ``reports`` into one :class:`Corpus` (pure: reads nothing but the reports and the
    shipped models). ``checker``: the recurring-claims cross-encoder, ``"verifier"`` (the shipped NLI
    model) or None (near-duplicates only). ``on_report(n)`` is called after each report."""
    t0 = time.perf_counter()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    timings: dict[str, float] = {}
    col = _Collector()
    for n, report in enumerate(reports, 1):
        col.add(report)
        if on_report:
            on_report(n)
    timings["read"] = round(time.perf_counter() - t0, 3)

    t = time.perf_counter()
    person_map = col.people.resolve()

    def final(sense: Sense, article: str) -> str:
        if sense.kind == "person":
            return f"person:{person_map.get((sense.key, article), sense.key)}"
        return sense.id

    grouped: dict[str, list[tuple[Sense, list[tuple[MentionRef, str]]]]] = defaultdict(list)
    for sense, all_ms in col.mentions.values():
        by_final: dict[str, list[tuple[MentionRef, str]]] = defaultdict(list)
        for m in all_ms:
            by_final[final(sense, m[0].article)].append(m)
        for fid, ms in by_final.items():
            grouped[fid].append((sense, ms))
    entities: dict[str, CorpusEntity] = {}
    for eid, parts in grouped.items():
        kind = parts[0][0].kind
        ms = [m for _, group in parts for m in group]
        names = [name for _, name in ms]
        display = _display(names)
        if kind == "government":
            display = f"{parts[0][0].key.title()} (government)"
        elif eid == "place:washington state":
            display = "Washington (state)"
        elif eid == "place:washington dc":
            display = "Washington, D.C. (city)"
        spelled = {m.text for m, _ in ms if m.text and m.text.lower() not in _PRONOUNS}
        if kind != "government":  # "the Bush administration": the article's "George W Bush" is no alias
            spelled |= set(names)
        aliases = sorted(spelled, key=lambda s: (s.lower(), s))
        entities[eid] = CorpusEntity(
            id=eid,
            name=display,
            type=kind,
            aliases=aliases[:30],
            articles=sorted({m.article for m, _ in ms}),
            mentions=[m for m, _ in ms],
        )
    timings["entities"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    merged: dict[tuple[str, str, str], CorpusRelation] = {}
    for edge in col.edges:
        s, d = final(edge.source, edge.article), final(edge.target, edge.article)
        if s == d:
            continue
        key = (s, edge.relation, d)
        rel = merged.get(key)
        if rel is None:
            rel = merged[key] = CorpusRelation(
                id=f"r{len(merged) + 1}", source=s, target=d, relation=edge.relation
            )
        known = {(c.article, c.claim) for c in rel.claims}
        rel.claims.extend(c for c in edge.claims if (c.article, c.claim) not in known)
        rel.risks.extend(x for x in edge.risks if x not in rel.risks)
        rel.benefits.extend(x for x in edge.benefits if x not in rel.benefits)
    for rel in merged.values():
        rel.claims.sort(key=lambda c: (c.date or "9999", c.article, c.claim))
    relations = sorted(merged.values(), key=lambda r: (-len(r.articles), -len(r.claims), r.id))
    for i, r in enumerate(relations, 1):
        r.id = f"r{i}"
    timings["relations"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    models: list[ModelInfo] = []
    notes: list[str] = []
    check_fn: PairChecker | None
    if checker == "verifier":
        check_fn, info, why = verifier_checker()
        if info:
            models.append(info)
        if why:
            notes.append(why)
    else:
        check_fn = checker if callable(checker) else None
    recurring, stats_dict, embedder = _recurring(col, check_fn, max_checks)
    models.insert(0, embedder)
    notes.extend(stats_dict.pop("notes"))
    timings["recurring"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    outlets = _outlets(col.articles)
    timeline = _timeline(col.articles, relations, recurring)
    findings = corpus_findings(relations, recurring, outlets, entities)
    timings["findings"] = round(time.perf_counter() - t, 3)
    run = CorpusRun(
        package_version=__version__,
        started_at=started,
        reports=len(col.articles),
        models=models,
        settings={
            "person_dominance": DOMINANCE,
            "min_claim_words": MIN_CLAIM_WORDS,
            "candidate_cosine": CANDIDATE,
            "near_duplicate_cosine": NEAR_DUPLICATE,
            "max_cross_checks": max_checks,
            "recurring": stats_dict,
            "edges_without_claims": col.edges_without_claims,
            "notes": notes,
        },
        timings=timings,
    )
    run.duration_s = round(time.perf_counter() - t0, 3)
    used = {r.source for r in relations} | {r.target for r in relations}
    ents = sorted(entities.values(), key=lambda e: (e.id not in used, -len(e.articles), e.name.lower(), e.id))
    return Corpus(
        articles=col.articles,
        entities=ents,
        relations=relations,
        recurring_claims=recurring,
        outlets=outlets,
        timeline=timeline,
        findings=findings,
        run=run,
    )


def _recurring(
    col: _Collector, checker: PairChecker | None, max_checks: int
) -> tuple[list[RecurringClaim], dict[str, Any], ModelInfo]:
    from ..evidence.embed import load_embedder

    embedder = load_embedder()
    vectors = embedder.encode(col.claim_texts) if col.claim_texts else None
    if vectors is None:
        return [], {"claims": 0, "notes": []}, embedder.info()
    clusters, sims, stats = cluster_claims(
        col.claim_texts, [r.article for r in col.claim_refs], vectors, checker=checker, max_checks=max_checks
    )
    stats.cross_encoder = "verifier (both directions entail)" if checker else None
    out: list[RecurringClaim] = []
    for members in clusters:
        members.sort(key=lambda i: (col.claim_refs[i].date or "9999", col.claim_refs[i].article))
        refs = [col.claim_refs[i] for i in members]
        first = members[0]
        lowest = min((float(sims.get((min(first, j), max(first, j)), 0.0)) for j in members[1:]), default=1.0)
        if lowest == 0.0:  # joined through another member: the cosine to the first one
            vf = vectors[first]
            lowest = float(min(vf @ vectors[j] for j in members[1:]))
        out.append(
            RecurringClaim(id="", text=col.claim_texts[first], members=refs, min_similarity=round(lowest, 4))
        )
    out.sort(
        key=lambda c: (
            -len(c.articles),
            c.first_seen.date if c.first_seen and c.first_seen.date else "",
            c.text,
        )
    )
    for i, c in enumerate(out, 1):
        c.id = f"rc{i}"
    d = {k: v for k, v in vars(stats).items()}
    return out, d, embedder.info()


def _outlets(articles: list[CorpusArticle]) -> list[OutletProfile]:
    profiles: dict[str, OutletProfile] = {}
    for a in articles:
        p = profiles.setdefault(a.outlet, OutletProfile(outlet=a.outlet))
        p.articles += 1
        p.assertions += a.assertions
        p.url_citations += a.url_citations
        p.home_page_citations += a.home_page_citations
        p.unnamed_group += a.unnamed_group
        p.agentless += a.agentless
        if a.date:
            p.first_date = min(p.first_date or a.date, a.date)
            p.last_date = max(p.last_date or a.date, a.date)
    return sorted(profiles.values(), key=lambda p: (-p.articles, p.outlet))


def _timeline(
    articles: list[CorpusArticle], relations: list[CorpusRelation], recurring: list[RecurringClaim]
) -> list[TimelineDay]:
    days: dict[str, TimelineDay] = {}
    for a in articles:
        if a.date:
            days.setdefault(a.date, TimelineDay(a.date)).articles.append(a.id)
    for r in relations:
        if r.first_seen:
            days.setdefault(r.first_seen, TimelineDay(r.first_seen)).new_relations.append(r.id)
    for c in recurring:
        first = c.first_seen
        if first and first.date:
            days.setdefault(first.date, TimelineDay(first.date)).new_recurring.append(c.id)
    return [days[d] for d in sorted(days)]
