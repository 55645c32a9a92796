"""Article-level findings: what a fact-checker should know about the article as a whole."""

from __future__ import annotations

from textwrap import shorten

from ..document import CONFLICTING, REFUTED, SUPPORTED, Article, Finding, Severity, Verdict
from . import BaseStage

#: Normalised fact-check ratings that say a claim is wrong / right (conflicts with a verdict).
_FALSE_LIKE = frozenset({"false", "mostly false"})
_TRUE_LIKE = frozenset({"true", "mostly true"})


def _ids(items: list[str], limit: int = 50) -> list[str]:
    return items[:limit]


def _gated(v: Verdict) -> bool:
    """The verdict rests on quoted evidence that passed the relevance gate (not nearest passages)."""
    return v.on_subject != 0 and bool(v.evidence) and all(e.label == v.label for e in v.evidence)


class FindingsStage(BaseStage):
    """Article-level problems a reader should see first: sourcing, attribution, hedging, verdicts."""

    name = "findings"
    requires: tuple[str, ...] = ("blocks", "assertions", "citations")
    assigns: tuple[str, ...] = ("findings", "claims.fact_checks")
    uses: tuple[str, ...] = ("claims", "claims.verdict", "citations.check")

    def __call__(self, article: Article) -> Article:
        f = article.findings
        if not article.auditable:
            return article
        cits = article.citations
        with_url = [c for c in cits if c.url]
        home = [c for c in with_url if c.specificity == "home_page"]
        if with_url and len(home) == len(with_url):
            f.append(
                Finding(
                    "sources_home_pages_only",
                    "problem",
                    f"All {len(with_url)} cited URLs are outlets' home pages: "
                    "they support no specific claim.",
                    [c.id for c in home],
                )
            )
        elif home:
            f.append(
                Finding(
                    "home_page_citations",
                    "warning",
                    f"{len(home)} of {len(with_url)} cited URLs are home pages.",
                    [c.id for c in home],
                )
            )
        unanchored = [c for c in cits if c.kind in ("reference_list", "footnote") and not c.assertion_ids]
        if unanchored:
            f.append(
                Finding(
                    "references_tied_to_no_claim",
                    "problem" if len(unanchored) == len(cits) else "warning",
                    f"{len(unanchored)} reference(s) have no in-text anchor and are tied to no claim.",
                    [c.id for c in unanchored],
                )
            )
        if not cits and article.assertions:
            f.append(Finding("no_sources", "problem", "The article cites no sources at all.", []))
        low = [c for c in cits if c.credibility and c.credibility.label in ("low", "satire")]
        if low:
            f.append(
                Finding(
                    "low_credibility_sources",
                    "problem",
                    f"{len(low)} cited source(s) have a low credibility rating or are satire.",
                    [c.id for c in low],
                )
            )

        supported = {aid for c in cits if c.supports_claims for aid in c.assertion_ids}
        factual = [a for a in article.assertions if a.modality == "factual"]
        unattributed = [a.id for a in factual if a.holder.kind == "author" and a.id not in supported]
        if unattributed:
            f.append(
                Finding(
                    "unattributed_factual_assertions",
                    "warning",
                    f"{len(unattributed)} of {len(factual)} factual assertions are stated in the author's "
                    "voice with no source.",
                    _ids(unattributed),
                )
            )
        blocks = {b.id: b for b in article.blocks}
        faq = [
            a.id for a in article.assertions if blocks[a.block_id].kind == "answer" and a.id not in supported
        ]
        if faq:
            f.append(
                Finding(
                    "faq_answers_unsourced",
                    "problem",
                    f"{len(faq)} FAQ answer statement(s) are asserted without any source.",
                    _ids(faq),
                )
            )
        agentless = [a.id for a in article.assertions if a.holder.kind == "agentless"]
        if agentless:
            f.append(
                Finding(
                    "agentless_attributions",
                    "warning",
                    f"{len(agentless)} statement(s) attribute views to no one ("
                    + "; ".join(
                        sorted(
                            {
                                str(a.reporting_verb)
                                for a in article.assertions
                                if a.holder.kind == "agentless"
                            }
                        )[:5]
                    )
                    + ").",
                    _ids(agentless),
                )
            )
        groups = [a for a in article.assertions if a.holder.kind == "unnamed_group"]
        if groups:
            names = sorted({a.holder.name for a in groups})
            f.append(
                Finding(
                    "unnamed_group_attributions",
                    "warning",
                    f"{len(groups)} statement(s) are put in the mouths of unnamed groups: "
                    + ", ".join(f"“{n}”" for n in names[:6])
                    + ".",
                    _ids([a.id for a in groups]),
                )
            )
        verdicts = [c for c in article.claims if c.verdict is not None]
        # Only verdicts resting on evidence about the claim's subject (passed the relevance gate).
        refuted = [c.id for c in verdicts if c.verdict is not None and c.verdict.label == REFUTED
                   and _gated(c.verdict)]
        conflicting = [c.id for c in verdicts if c.verdict is not None and c.verdict.label == CONFLICTING]
        if refuted:
            f.append(
                Finding(
                    "refuted_claims",
                    "problem",
                    f"{len(refuted)} check-worthy claim(s) are contradicted by the evidence found.",
                    refuted,
                )
            )
        if conflicting:
            f.append(
                Finding(
                    "conflicting_evidence",
                    "warning",
                    f"{len(conflicting)} claim(s) have evidence both for and against them.",
                    conflicting,
                )
            )
        self._coverage(article)
        self._cited_pages(article)
        self._fact_checked(article)
        worthy = sorted((c for c in article.claims if c.check_worthy), key=lambda c: c.rank or 0)
        if worthy:
            f.append(
                Finding(
                    "check_first",
                    "info",
                    f"{len(worthy)} of {len(article.claims)} claims are check-worthy; check first: "
                    + "; ".join(f"“{shorten(c.text, 100, placeholder=' …')}”" for c in worthy[:3]),
                    [c.id for c in worthy[:10]],
                )
            )
        if article.assertions:
            hedged = [a.id for a in article.assertions if a.hedged]
            if len(hedged) * 3 >= len(article.assertions):
                f.append(
                    Finding(
                        "heavily_hedged",
                        "info",
                        f"{len(hedged)} of {len(article.assertions)} statements are hedged.",
                        _ids(hedged),
                    )
                )
        return article

    @staticmethod
    def _fact_checked(article: Article) -> None:
        """"N claims were fact-checked before" with the ratings; a fact-check that rates the claim
        false while the verdict says SUPPORTED (or true while REFUTED) is flagged on the match
        (``conflicts_with_verdict``, set here: the verdict comes after the factchecks stage)."""
        checked = [c for c in article.claims if any(not m.related for m in c.fact_checks)]
        conflicts: list[str] = []
        for c in checked:
            label = c.verdict.label if c.verdict is not None else None
            for m in c.fact_checks:
                if m.related:
                    continue
                m.conflicts_with_verdict = (label == SUPPORTED and m.normalised in _FALSE_LIKE) or (
                    label == REFUTED and m.normalised in _TRUE_LIKE)
                if m.conflicts_with_verdict and c.id not in conflicts:
                    conflicts.append(c.id)
        if not checked:
            return
        ratings: dict[str, int] = {}
        for c in checked:
            best = next(m for m in c.fact_checks if not m.related)
            ratings[best.rating] = ratings.get(best.rating, 0) + 1
        debunked = [c.id for c in checked
                    if all(m.stance == "debunks" for m in c.fact_checks if not m.related)]
        msg = (f"{len(checked)} claim{'s were' if len(checked) != 1 else ' was'} fact-checked before ("
               + ", ".join(f"{n} rated “{r}”" for r, n in sorted(ratings.items(), key=lambda x: -x[1]))
               + ")")
        if debunked:
            msg += f"; the article reports {len(debunked)} of them in order to debunk them"
        falsish = [c.id for c in checked if c.id not in debunked and any(
            not m.related and m.normalised in _FALSE_LIKE for m in c.fact_checks)]
        severity: Severity = "problem" if falsish else "info"
        article.findings.append(
            Finding("previously_fact_checked", severity, msg + ".", _ids([c.id for c in checked]))
        )
        if conflicts:
            article.findings.append(Finding(
                "fact_check_conflicts_with_verdict", "warning",
                f"{len(conflicts)} claim(s) have a published fact-check whose rating disagrees with the "
                "machine verdict: for the reviewer.", conflicts))

    @staticmethod
    def _coverage(article: Article) -> None:
        """How many of the verified claims the evidence searched could speak to at all."""
        checked = [c for c in article.claims if c.verdict is not None]
        if not checked:
            return
        spoke = [c.id for c in checked if c.verdict is not None and c.verdict.on_subject != 0]
        nothing = [c.id for c in checked if c.id not in spoke]
        not_factual = [c for c in article.claims
                       if c.unchecked_reason in ("opinion", "prediction", "question")]
        msg = (
            f"The evidence searched could speak to {len(spoke)} of the {len(checked)} claims checked "
            f"at all; for {len(nothing)} it holds nothing about their subject."
        )
        if not_factual:
            msg += f" {len(not_factual)} opinion, prediction or question claim(s) were not checked."
        article.findings.append(
            Finding("evidence_coverage", "warning" if len(spoke) * 2 < len(checked) else "info", msg,
                    _ids(nothing))
        )

    @staticmethod
    def _cited_pages(article: Article) -> None:
        """Findings from reading the cited pages (``--online``)."""
        checked = [c for c in article.citations if c.check is not None]
        by_status: dict[str, list[str]] = {}
        for c in checked:
            assert c.check is not None
            by_status.setdefault(c.check.status, []).append(c.id)
        messages: dict[str, tuple[str, Severity, str]] = {
            "contradicts": ("cited_page_contradicts", "problem",
                            "cited page(s) contradict the statement that cites them."),
            "does_not_back": ("cited_page_does_not_back", "warning",
                              "cited page(s) do not back the statement that cites them."),
            "mixed": ("cited_page_mixed", "warning",
                      "cited page(s) both back and contradict the statements that cite them."),
            "unreachable": ("cited_page_unreachable", "info", "cited page(s) could not be read."),
        }
        for status, (code, severity, text) in messages.items():
            ids = by_status.get(status, [])
            if ids:
                article.findings.append(Finding(code, severity, f"{len(ids)} {text}", ids))
