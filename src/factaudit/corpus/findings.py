"""Corpus findings: what an editor overseeing many articles should see first.

Each finding's message says, beside its count, who asserted it and how hedged and sourced it was
("7 articles assert … — 5 in the author's voice, 2 attributed to unnamed groups (“critics”); none
cites a specific source"), so an aggregate never reads as a fact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Final

from ..document import CONFLICTING, REFUTED
from .model import ClaimRef, CorpusEntity, CorpusFinding, CorpusRelation, OutletProfile, RecurringClaim

__all__ = ["MIN_ARTICLES", "MIN_OUTLET_URLS", "corpus_findings", "voices"]

#: A relation or recurring claim is a finding from this many articles on.
MIN_ARTICLES: Final = 2
#: An outlet's home-page share is a finding from this many URL citations on.
MIN_OUTLET_URLS: Final = 3
_KIND_WORDS = {
    "author": "in the author's voice",
    "named": "attributed to named sources",
    "unnamed_group": "attributed to unnamed groups",
    "agentless": "attributed to no one",
}


def _quote(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return "‘" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "’"


def voices(claims: Iterable[ClaimRef]) -> tuple[str, Counter[str], int, int]:
    """("5 in the author's voice, 2 attributed to unnamed groups (“critics”); 3 hedged (may);
    none cites a specific source", holder-kind counts, hedged, citing a specific page)."""
    claims = list(claims)
    kinds = Counter(c.holder_kind for c in claims)
    names: dict[str, Counter[str]] = {k: Counter() for k in kinds}
    for c in claims:
        names[c.holder_kind][c.holder] += 1
    parts = []
    for kind in ("author", "named", "unnamed_group", "agentless"):
        if not kinds.get(kind):
            continue
        bit = f"{kinds[kind]} {_KIND_WORDS[kind]}"
        if kind in ("named", "unnamed_group"):
            shown = ", ".join(f"“{n}”" for n, _ in names[kind].most_common(3))
            bit += f" ({shown})"
        parts.append(bit)
    hedged = [c for c in claims if c.hedges]
    cues = Counter(h.lower() for c in hedged for h in c.hedges)
    hedge_text = (
        f"{len(hedged)} hedged ({', '.join(w for w, _ in cues.most_common(3))})" if hedged else "none hedged"
    )
    specific = sum(1 for c in claims if c.cites_specific)
    cited = sum(1 for c in claims if c.cites_any)
    if specific:
        source_text = f"{specific} cite{'s' if specific == 1 else ''} a specific source"
    elif cited:
        source_text = "none cites a specific source (only home pages or outlet names)"
    else:
        source_text = "none cites a specific source"
    return ", ".join(parts) + f"; {hedge_text}; {source_text}", kinds, len(hedged), specific


def _verdicts(claims: list[ClaimRef]) -> str:
    counts = Counter(c.verdict for c in claims if c.verdict)
    if not counts:
        return ""
    return "; machine verdicts: " + ", ".join(f"{n} {label}" for label, n in counts.most_common())


def corpus_findings(
    relations: list[CorpusRelation],
    recurring: list[RecurringClaim],
    outlets: list[OutletProfile],
    entities: Mapping[str, CorpusEntity],
) -> list[CorpusFinding]:
    out: list[CorpusFinding] = []
    for rc in recurring:
        n = len(rc.articles)
        if n < MIN_ARTICLES:
            continue
        text, kinds, hedged, specific = voices(rc.members)
        first = rc.first_seen
        since = f", first on {first.date} ({first.outlet})" if first and first.date else ""
        outlets_text = f" in {len(rc.outlets)} outlet{'s' if len(rc.outlets) != 1 else ''}"
        out.append(
            CorpusFinding(
                code="recurring_claim_unsourced" if not specific else "recurring_claim",
                severity="warning" if not specific else "info",
                message=f"{n} articles{outlets_text} assert {_quote(rc.text)}{since} — {text}"
                f"{_verdicts(rc.members)}.",
                refs=[rc.id],
                articles=n,
                holders=dict(kinds),
                hedged=hedged,
                cites_specific=specific,
            )
        )
    for r in relations:
        n = len(r.articles)
        if n < MIN_ARTICLES:
            continue
        text, kinds, hedged, specific = voices(r.claims)
        src = entities[r.source].name if r.source in entities else r.source
        dst = entities[r.target].name if r.target in entities else r.target
        refuted = any(c.verdict in (REFUTED, CONFLICTING) for c in r.claims)
        out.append(
            CorpusFinding(
                code="relation_refuted"
                if refuted
                else ("relation_unsourced" if not specific else "relation"),
                severity="problem" if refuted else ("warning" if not specific else "info"),
                message=f"{n} articles assert ‘{src} {r.relation} {dst}’ — {text}{_verdicts(r.claims)}.",
                refs=[r.id],
                articles=n,
                holders=dict(kinds),
                hedged=hedged,
                cites_specific=specific,
            )
        )
    for o in outlets:
        share = o.home_page_share
        if share is not None and o.url_citations >= MIN_OUTLET_URLS and share >= 0.5:
            out.append(
                CorpusFinding(
                    code="outlet_home_page_citations",
                    severity="warning",
                    message=f"{o.outlet}: {o.home_page_citations} of {o.url_citations} cited URLs in "
                    f"{o.articles} articles are home pages ({share:.0%}).",
                    refs=[o.outlet],
                    articles=o.articles,
                )
            )
        vague = (o.unnamed_group + o.agentless) / o.assertions if o.assertions else 0.0
        if o.assertions >= 10 and vague >= 0.2:
            out.append(
                CorpusFinding(
                    code="outlet_unnamed_attribution",
                    severity="warning",
                    message=f"{o.outlet}: {o.unnamed_group} of {o.assertions} statements are attributed to "
                    f"unnamed groups and {o.agentless} to no one ({vague:.0%}).",
                    refs=[o.outlet],
                    articles=o.articles,
                    holders={"unnamed_group": o.unnamed_group, "agentless": o.agentless},
                )
            )
    rank = {"problem": 0, "warning": 1, "info": 2}
    out.sort(key=lambda f: (rank[f.severity], -f.articles))
    return out
