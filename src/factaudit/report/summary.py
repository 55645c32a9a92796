"""The summary every report opens with: what to check first, the sourcing problems, the verdict counts,
whether the evidence could speak to the article at all, and earlier fact-checks.

One :class:`Summary` is computed from the Article; the terminal, Markdown and HTML views (and the web
page) format the same facts, so they never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..document import VERDICT_LABELS, Article, Claim, FactCheckMatch, Finding
from ._common import fact_checks_of, ranked_claims, sorted_findings, unchecked_reason

__all__ = ["CHECK_FIRST", "FOLDED_FINDINGS", "Summary", "summarise"]

#: How many claims the summary lists to check first.
CHECK_FIRST = 5
#: Findings the summary says in its own words (not repeated among the sourcing problems).
FOLDED_FINDINGS = frozenset({"check_first", "evidence_coverage"})


@dataclass
class Summary:
    """The facts a fact-checker reads first (see the module docstring)."""

    claims: int
    check_worthy: int
    #: The claims to check first, best first (at most :data:`CHECK_FIRST`).
    check_first: list[Claim]
    #: Sourcing and attribution problems (problem and warning findings), most severe first.
    sourcing: list[Finding]
    #: ``(label, count)`` for every verdict label, then ``(None, unchecked)``.
    verdicts: list[tuple[str | None, int]]
    #: Why claims were not checked: ``(reason, count)``, most frequent first.
    unchecked: list[tuple[str, int]]
    #: Whether the evidence could speak to the article at all, in one sentence (None: no verify run).
    evidence: str | None
    #: ``(claim, match)`` for each same-claim earlier fact-check.
    fact_checked: list[tuple[Claim, FactCheckMatch]] = field(default_factory=list)
    related: int = 0
    #: True when the fact-check stage ran (so "none found" can be said).
    fact_checks_ran: bool = False

    @property
    def fact_checked_claims(self) -> int:
        return len({c.id for c, _ in self.fact_checked})

    def verdict_line(self) -> str:
        """``"0 supported, 0 refuted, 15 not enough evidence, 0 conflicting; 14 not checked (9
        opinion, 5 below the check-worthiness threshold)"``."""
        counts = ", ".join(f"{n} {str(label).lower()}" for label, n in self.verdicts if label is not None)
        unchecked = next((n for label, n in self.verdicts if label is None), 0)
        line = f"{counts}; {unchecked} not checked"
        if self.unchecked:
            line += " (" + ", ".join(f"{n} {reason}" for reason, n in self.unchecked) + ")"
        return line

    def fact_check_line(self) -> str | None:
        """``"2 claims were fact-checked before (ratings: False, Mostly False); 1 related fact-check"``."""
        if not self.fact_checked and not self.related:
            return "No earlier fact-check matched these claims." if self.fact_checks_ran else None
        parts = []
        if self.fact_checked:
            n = self.fact_checked_claims
            ratings = ", ".join(dict.fromkeys(m.rating for _, m in self.fact_checked))
            parts.append(
                f"{n} claim{'s were' if n != 1 else ' was'} fact-checked before (ratings: {ratings})"
            )
        if self.related:
            parts.append(f"{self.related} related fact-check{'s' if self.related != 1 else ''}")
        return "; ".join(parts) + "."


def _evidence_sentence(article: Article) -> str | None:
    checked = [c for c in article.claims if c.verdict is not None]
    if not checked:
        if "verify" not in article.stages_run:
            return None
        return "No claim was checked against evidence."
    known = [c for c in checked if c.verdict is not None and c.verdict.on_subject is not None]
    nothing = [c for c in known if c.verdict is not None and c.verdict.on_subject == 0]
    decided = [c for c in checked if c.verdict is not None and c.verdict.label != "NOT ENOUGH EVIDENCE"]
    n = len(checked)
    if not known:
        reach = f"{n} claim{'s' if n != 1 else ''} checked against the evidence"
    elif nothing:
        reach = (
            f"The evidence searched could speak to {n - len(nothing)} of the {n} claims checked; "
            f"for {len(nothing)} it holds nothing about their subject"
        )
    else:
        reach = f"The evidence searched holds passages on the subject of all {n} claims checked"
    if decided:
        tail = f"{len(decided)} of them got a verdict other than not enough evidence."
    else:
        tail = "none was supported or refuted by it."
    return f"{reach}; {tail}"


def summarise(article: Article) -> Summary:
    """The :class:`Summary` of an audited Article."""
    ranked = ranked_claims(article.claims)
    labels = Counter(c.verdict.label if c.verdict else None for c in article.claims)
    reasons = Counter(unchecked_reason(c, article) for c in article.claims if c.verdict is None)
    fact_checked: list[tuple[Claim, FactCheckMatch]] = []
    related = 0
    for c in ranked:
        same, rel = fact_checks_of(c)
        fact_checked.extend((c, m) for m in same)
        related += len(rel)
    return Summary(
        claims=len(article.claims),
        check_worthy=sum(1 for c in article.claims if c.check_worthy),
        check_first=ranked[:CHECK_FIRST],
        sourcing=[
            f
            for f in sorted_findings(article)
            if f.severity in ("problem", "warning") and f.code not in FOLDED_FINDINGS
        ],
        verdicts=[(label, labels.get(label, 0)) for label in VERDICT_LABELS] + [(None, labels.get(None, 0))],
        unchecked=reasons.most_common(),
        evidence=_evidence_sentence(article),
        fact_checked=fact_checked,
        related=related,
        # the stage runs in every pipeline but matches only when asked (it says so in skipped)
        fact_checks_ran="factchecks" in article.stages_run
        and not any(s.startswith("factchecks: off") for s in article.skipped),
    )
