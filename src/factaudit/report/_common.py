"""Wording shared by every report format, so text, Markdown and HTML say the same things."""

from __future__ import annotations

from collections.abc import Iterable

from ..document import (
    CONFLICTING,
    NOT_ENOUGH_EVIDENCE,
    REFUTED,
    SUPPORTED,
    Article,
    Assertion,
    Citation,
    Claim,
    Credibility,
    Entity,
    Evidence,
    FactCheckMatch,
    Finding,
    Holder,
    Relation,
    Verdict,
)
from ..reference import PERSONAL_PRONOUNS

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
    if line[limit - 1] != " " and space > limit // 2:  # mid-word: back up to the last whole word
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
    """``"REFUTED (model confidence 82%)"``, or ``"not checked: opinion"`` with the verify stage's reason.

    The percentage is the verifier's calibrated confidence in its label, and says so.
    """
    if verdict is None:
        return f"not checked: {unchecked_reason}" if unchecked_reason else "not checked"
    return f"{verdict.label} (model confidence {confidence_text(verdict.confidence)})"


def unchecked_reason(claim: Claim, article: Article) -> str:
    """Why a claim has no verdict, in words: the verify stage's reason, else what the record shows."""
    if claim.unchecked_reason:
        return claim.unchecked_reason
    if "verify" not in article.stages_run:
        return "verification did not run"
    if claim.check_worthy is False:
        return "below the check-worthiness threshold"
    return "no reason recorded"


def claim_verdict_text(claim: Claim, article: Article) -> str:
    """:func:`verdict_text` with the reason for an unchecked claim always filled in."""
    if claim.verdict is None:
        return verdict_text(None, unchecked_reason(claim, article))
    return verdict_text(claim.verdict)


#: label → (css suffix, icon, short word); ``None`` is a claim no verifier checked. Verdicts are
#: shown by icon + word + style, never by colour alone; the not-enough-evidence icon is a half disc,
#: not an ellipsis (which reads as punctuation).
VERDICT_STYLES: dict[str | None, tuple[str, str, str]] = {
    SUPPORTED: ("supported", "✓", "Supported"),
    REFUTED: ("refuted", "✗", "Refuted"),
    NOT_ENOUGH_EVIDENCE: ("nee", "◐", "Not enough evidence"),
    CONFLICTING: ("conflicting", "⇆", "Conflicting"),
    None: ("none", "○", "Not checked"),
}
#: Most serious first: an assertion or an edge with several claims shows the first of these.
VERDICT_SEVERITY: tuple[str | None, ...] = (REFUTED, CONFLICTING, NOT_ENOUGH_EVIDENCE, SUPPORTED, None)


def verdict_style(label: str | None) -> dict[str, str]:
    """``{"css", "icon", "word", "label"}`` of a verdict label (``None``: not checked)."""
    css, icon, word = VERDICT_STYLES.get(label, VERDICT_STYLES[None])
    return {"css": css, "icon": icon, "word": word, "label": label or "NOT CHECKED"}


def most_serious(labels: Iterable[str | None]) -> str | None:
    """The most serious verdict among ``labels`` (:data:`VERDICT_SEVERITY` order)."""
    found = set(labels)
    for label in VERDICT_SEVERITY:
        if label in found:
            return label
    return None


#: Holder names that are pronouns (an unresolved "the shadow chancellor" is a description, not one).
_PRONOUNS = frozenset(PERSONAL_PRONOUNS) | {"they", "them", "their", "it", "we", "i", "you"}


def holder_phrase(holder: Holder) -> str:
    """Who asserts a statement, in words: ``"the author"``, ``"no one (agentless)"``,
    ``"“critics” (an unnamed group)"``, ``"Reuters (named, ORG)"``."""
    if holder.kind == "author":
        phrase = "the author"
    elif holder.kind == "agentless":
        phrase = "no one (agentless)"
    elif holder.unresolved and holder.name.lower() in _PRONOUNS:
        phrase = f"“{holder.name}” (a pronoun the article does not resolve)"
    elif holder.unresolved:
        phrase = f"“{holder.name}” (a description the article does not resolve to a name)"
    elif holder.kind == "unnamed_group":
        phrase = f"“{holder.name}” (an unnamed group)"
    else:
        phrase = f"{holder.name} (named" + (f", {holder.entity_type})" if holder.entity_type else ")")
    if holder.resolved_from and not holder.unresolved:
        phrase += f" [from “{holder.resolved_from}”" + (", likely]" if holder.likely else "]")
    return phrase


def attribution_text(assertion: Assertion) -> str:
    """The attribution line for every holder kind (the panel's "Attribution")."""
    h = assertion.holder
    verb = f" (“{assertion.reporting_verb}”)" if assertion.reporting_verb else ""
    if h.kind == "author":
        text = "stated in the author’s own voice"
    elif h.kind == "agentless":
        text = f"attributed to no one{verb}: no source is named"
    elif h.unresolved:
        text = f"attributed to “{h.name}”, whom the article does not make certain"
    elif h.kind == "unnamed_group":
        text = f"attributed to an unnamed group, “{h.name}”{verb}: no named source"
    else:
        text = f"attributed to a named source, {h.name}{verb}"
    if assertion.citation_ids:
        text += "; cites " + ", ".join(assertion.citation_ids)
    elif h.kind == "author":
        text += "; no source cited"
    return text


def age_text(days: int) -> str:
    """``"3 years"``, ``"5 months"``, ``"12 days"`` (absolute value)."""
    days = abs(days)
    if days >= 730:
        return f"{days // 365} years"
    if days >= 60:
        return f"{days // 30} months"
    return f"{days} day" + ("" if days == 1 else "s")


def fact_check_text(match: FactCheckMatch) -> str:
    """``"previously fact-checked: Mostly False — Snopes, 2019-04-02 (3 years before the article)"``."""
    where = ", ".join(x for x in (match.publisher, match.date) if x) or "publisher unknown"
    when = ""
    if match.age_days is not None:
        when = (
            f" ({age_text(match.age_days)} "
            + ("before" if match.age_days >= 0 else "after")
            + " the article)"
        )
    lead = "related fact-check" if match.related else "previously fact-checked"
    return f"{lead}: {match.rating} — {where}{when}"


def why_related_text(match: FactCheckMatch) -> str:
    """``"not the same claim: the fact-check is about …"`` for a fact-check that scored as the same
    claim but is about another subject or sum; empty otherwise."""
    return f"not the same claim: {match.why_related}" if match.why_related else ""


def fact_checks_of(claim: Claim) -> tuple[list[FactCheckMatch], list[FactCheckMatch]]:
    """(same-claim matches, related fact-checks) of a claim."""
    return [m for m in claim.fact_checks if not m.related], [m for m in claim.fact_checks if m.related]


#: Shown beside a fact-check whose rating disagrees with the machine verdict.
FACT_CHECK_CONFLICT = "⚑ disagrees with the machine verdict: for the reviewer"


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


def is_prominent(claim: Claim) -> bool:
    """Shown in full in the short views (the rest are folded): check-worthy, decided (supported,
    refuted, conflicting), or fact-checked before."""
    decided = claim.verdict is not None and claim.verdict.label != NOT_ENOUGH_EVIDENCE
    return bool(claim.check_worthy or decided or any(not m.related for m in claim.fact_checks))


def sorted_findings(article: Article) -> list[Finding]:
    """Findings, most severe first (stable within a severity)."""
    return sorted(article.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))


def entity_names(entities: Iterable[Entity]) -> dict[str, str]:
    return {e.id: e.name for e in entities}


def relation_text(relation: Relation, names: dict[str, str]) -> str:  # the full, verbose form
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
