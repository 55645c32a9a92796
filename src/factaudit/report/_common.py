"""Wording shared by every report format, so text, Markdown and HTML say the same things."""

from __future__ import annotations

from collections.abc import Iterable

from ..document import (
    Article,
    Assertion,
    Citation,
    Claim,
    Credibility,
    Entity,
    Evidence,
    Finding,
    Holder,
    Relation,
    Verdict,
)

#: Severity as an icon plus a word (never colour alone).
SEVERITY_LABELS: dict[str, str] = {"problem": "⚠ problem", "warning": "▲ warning", "info": "ℹ info"}
#: Findings are listed most severe first.
SEVERITY_ORDER: dict[str, int] = {"problem": 0, "warning": 1, "info": 2}
SPECIFICITY_LABELS: dict[str, str] = {
    "home_page": "home page",
    "section": "section",
    "article": "article",
    "unknown": "unknown",
}
HOLDER_KIND_LABELS: dict[str, str] = {
    "author": "the author",
    "named": "named",
    "unnamed_group": "unnamed group",
    "agentless": "agentless",
}
#: Short icons for assertion traits, explained in every report's legend.
TRAIT_ICONS: dict[str, str] = {"hedged": "≈", "unnamed_group": "?", "agentless": "∅"}
TRAIT_LABELS: dict[str, str] = {
    "hedged": "hedged",
    "unnamed_group": "attributed to an unnamed group",
    "agentless": "agentless (no one asserts it)",
}


def title_of(article: Article) -> str:
    """The article's title, else its first title block, else its source."""
    if article.title:
        return article.title
    for block in article.blocks:
        if block.kind == "title":
            return block.text
    return article.source


def holder_label(holder: Holder) -> str:
    """``"unnamed group: critics"``, ``"named: Elon Musk (PERSON)"``, ``"agentless"``, ``"the author"``."""
    if holder.kind == "author":
        label = "the author"
    elif holder.kind == "agentless":
        label = "agentless"
    else:
        label = f"{HOLDER_KIND_LABELS.get(holder.kind, holder.kind)}: {holder.name}"
        if holder.entity_type:
            label += f" ({holder.entity_type})"
    if holder.resolved_from:
        label += f" [from “{holder.resolved_from}”]"
    return label


def traits(assertion: Assertion) -> list[str]:
    """The traits a reader should notice: ``hedged``, ``unnamed_group``, ``agentless``."""
    out = []
    if assertion.hedged:
        out.append("hedged")
    if assertion.holder.kind in ("unnamed_group", "agentless"):
        out.append(assertion.holder.kind)
    return out


def hedges_text(assertion: Assertion) -> str:
    """``"may (modal), potentially (adverb)"`` or ``"—"``."""
    if not assertion.hedges:
        return "—"
    return ", ".join(f"{h.cue} ({h.kind})" for h in assertion.hedges)


def sourced_text(assertion: Assertion, citations: dict[str, Citation]) -> str:
    """Whether and how a statement is sourced: its citations, a named holder, or ``"no"``."""
    if assertion.citation_ids:
        names = []
        for cid in assertion.citation_ids:
            c = citations.get(cid)
            names.append(
                f"{cid} ({c.outlet or c.domain or c.url})" if c and (c.outlet or c.domain or c.url) else cid
            )
        return "cited: " + ", ".join(names)
    if assertion.attributed:
        return "yes (named holder)"
    return "no"


def credibility_text(cred: Credibility | None) -> str:
    """``"0.87 (high)"``, ``"unrated (not in ratings)"`` or ``"—"`` when no audit ran."""
    if cred is None:
        return "—"
    if cred.score is None:
        return f"unrated ({cred.label})" if cred.label else "unrated"
    return f"{cred.score:.2f} ({cred.label})" if cred.label else f"{cred.score:.2f}"


def tied_text(citation: Citation) -> str:
    """The assertions a citation is tied to, or ``"tied to no claim"``."""
    return ", ".join(citation.assertion_ids) if citation.assertion_ids else "tied to no claim"


CHECK_LABELS = {
    "backs": "backs",
    "contradicts": "contradicts",
    "mixed": "mixed",
    "does_not_back": "does not back",
    "unreachable": "unreachable",
    "not_checked": "not checked",
}


def check_text(citation: Citation) -> str:
    """What the cited page says about the statements citing it (``--online``), in one line:
    ``"backs a3 (0.91)"``, ``"does not back a3, a5"``, ``"unreachable: ..."``, or ``"—"``."""
    chk = citation.check
    if chk is None:
        return "—"
    label = CHECK_LABELS.get(chk.status, chk.status)
    if chk.status in ("unreachable", "not_checked"):
        return f"{label}: {chk.error}" if chk.error else label
    parts = []
    for b in chk.backing:
        v = b.verdict
        parts.append(f"{b.assertion_id} {v.label.lower()} ({v.confidence:.2f})")
    return f"{label}: " + "; ".join(parts) if parts else label


def has_checks(citations: list[Citation]) -> bool:
    return any(c.check is not None for c in citations)


def truncate(text: str, limit: int = 140) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def span_text(start: int, end: int) -> str:
    """A char span as ``[start–end)``."""
    return f"[{start}–{end})"


def confidence_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


#: How every report labels a NOT ENOUGH EVIDENCE verdict's nearest passages.
NEAREST_HEADING = "nearest passages (not evidence)"


def split_nearest(verdict: Verdict) -> tuple[list[Evidence], list[Evidence]]:
    """(evidence the verdict rests on, nearest passages that are not evidence)."""
    nearest = [e for e in verdict.evidence if e.label == "nearest miss"]
    return [e for e in verdict.evidence if e.label != "nearest miss"], nearest


def verdict_text(verdict: Verdict | None, unchecked_reason: str | None = None) -> str:
    """``"REFUTED (82%)"``, or ``"not checked: opinion"`` with the reason the verify stage gave."""
    if verdict is None:
        return f"not checked: {unchecked_reason}" if unchecked_reason else "not checked"
    return f"{verdict.label} ({confidence_text(verdict.confidence)})"


def ranked_claims(claims: Iterable[Claim]) -> list[Claim]:
    """Claims in check-first order: by rank, then by check-worthiness, then by position."""

    def key(c: Claim) -> tuple[int, float, float, int]:
        return (
            0 if c.rank is not None else 1,
            c.rank if c.rank is not None else 0,
            -(c.checkworthiness or 0.0),
            c.start,
        )

    return sorted(claims, key=key)


def sorted_findings(article: Article) -> list[Finding]:
    """Findings, most severe first (stable within a severity)."""
    return sorted(article.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))


def entity_names(entities: Iterable[Entity]) -> dict[str, str]:
    return {e.id: e.name for e in entities}


def relation_text(relation: Relation, names: dict[str, str]) -> str:
    """``"Tesla —partners with→ Russian energy companies (held by critics; risks: …)"``."""
    src = names.get(relation.source, relation.source)
    dst = names.get(relation.target, relation.target)
    extras = []
    if relation.holder:
        extras.append(f"held by {relation.holder}")
    if relation.risks:
        extras.append("risks: " + ", ".join(relation.risks))
    if relation.benefits:
        extras.append("benefits: " + ", ".join(relation.benefits))
    if relation.claim_ids:
        extras.append("claims: " + ", ".join(relation.claim_ids))
    tail = f" ({'; '.join(extras)})" if extras else ""
    return f"{src} —{relation.relation}→ {dst}{tail}"


def not_run_note(article: Article, stage: str, what: str) -> str:
    """Why a section is empty: the stage did not run, or it ran and found nothing."""
    if stage in article.stages_run:
        return f"No {what} found."
    return f"No {what}: the {stage} stage did not run."
