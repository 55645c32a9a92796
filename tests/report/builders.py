"""Articles built by hand for the report tests: many claims, no claims, a big map, hostile names,
earlier fact-checks. Offsets are exact (every span is a slice of ``Article.text``)."""

from __future__ import annotations

from factaudit.document import (
    Article,
    Assertion,
    Block,
    Claim,
    Entity,
    Evidence,
    FactCheckMatch,
    Holder,
    Relation,
    Report,
    Sentence,
    Verdict,
)
from factaudit.report import build_report

HOLDERS = [
    Holder(kind="author", name="the author"),
    Holder(kind="named", name="Reuters", entity_type="ORG"),
    Holder(kind="unnamed_group", name="critics"),
    Holder(kind="agentless", name="(agentless)"),
]
LABELS = ["SUPPORTED", "REFUTED", "NOT ENOUGH EVIDENCE", "CONFLICTING", None]
#: Markup, an attribute breakout, a right-to-left name and a bidi override.
HOSTILE_NAMES = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "وزارة الخارجية",
    "שר האוצר",
    "\u202eevil\u202c Corp",
]


def article_with_claims(n: int, *, stages: tuple[str, ...] = ("segment", "claims", "verify")) -> Article:
    """``n`` sentences, one assertion and one claim each, verdicts and holders cycling."""
    sentences = [f"Statement number {i} says that the port handled {i * 7} ships in 2023." for i in range(n)]
    text = " ".join(sentences)
    art = Article(source="<text>", text=text, language="en", title=f"{n} claims")
    art.blocks.append(Block(id="b0", kind="paragraph", start=0, end=len(text), text=text))
    art.stages_run = ["ingest", *stages]
    pos = 0
    for i, s in enumerate(sentences):
        start, end = pos, pos + len(s)
        pos = end + 1
        art.sentences.append(Sentence(id=f"s{i}", block_id="b0", start=start, end=end, text=s))
        art.assertions.append(
            Assertion(
                id=f"a{i}",
                sentence_id=f"s{i}",
                block_id="b0",
                start=start,
                end=end,
                text=s,
                holder=HOLDERS[i % len(HOLDERS)],
            )
        )
        label = LABELS[i % len(LABELS)]
        verdict = None
        if label is not None:
            verdict = Verdict(
                label=label,  # type: ignore[arg-type]
                confidence=0.5 + (i % 5) / 10,
                evidence=[
                    Evidence(
                        source="Port",
                        passage="The port handled ships.",
                        quote="The port handled ships.",
                        label="nearest miss" if label == "NOT ENOUGH EVIDENCE" else label,
                    )
                ],
                on_subject=i % 3,
            )
        art.claims.append(
            Claim(
                id=f"c{i}",
                assertion_id=f"a{i}",
                text=s,
                start=start,
                end=end,
                checkworthiness=round(1 - i / max(n, 1), 3),
                check_worthy=i % 2 == 0,
                rank=i + 1,
                verdict=verdict,
                unchecked_reason=None if verdict else "opinion",
            )
        )
    return art


def article_with_map(nodes: int, *, names: list[str] | None = None) -> Article:
    """A chain and a star over ``nodes`` entities (names cycling through ``names`` when given)."""
    art = article_with_claims(max(nodes, 2))
    for i in range(nodes):
        name = f"{names[i % len(names)]} {i}" if names else f"Entity {i}"
        art.entities.append(
            Entity(id=f"e{i}", name=name, type=("person", "organisation", "country", "group")[i % 4])
        )
    for i in range(1, nodes):
        art.relations.append(
            Relation(
                source="e0" if i % 2 else f"e{i - 1}",
                target=f"e{i}",
                relation="partners with" if i % 3 else "supplies",
                claim_ids=[f"c{i % len(art.claims)}"],
                holder="the author",
                risks=[f"critics: {art.claims[i % len(art.claims)].text}"] if i % 2 else [],
            )
        )
    art.stages_run.append("relations")
    return art


def fact_checked_article() -> Article:
    """Three claims: one with a same-claim fact-check that disagrees with the verdict, one with a
    related fact-check only (one that scored as the same claim but is about another subject), one
    with none."""
    art = article_with_claims(3)
    art.claims[0].verdict = Verdict(label="SUPPORTED", confidence=0.83)
    art.claims[0].fact_checks = [
        FactCheckMatch(
            claim_reviewed="The port handled no ships at all in 2023.",
            rating="Mostly False",
            normalised="mostly false",
            url="https://www.snopes.com/fact-check/port-ships/",
            publisher="Snopes",
            date="2023-05-01",
            probability=0.91,
            age_days=400,
            conflicts_with_verdict=True,
        ),
        FactCheckMatch(
            claim_reviewed="Ports saw record traffic.",
            rating="Unproven",
            normalised="unproven",
            url="javascript:alert(1)",
            publisher="<b>Bad</b> Checks",
            related=True,
            probability=0.4,
        ),
    ]
    art.claims[1].fact_checks = [
        FactCheckMatch(
            claim_reviewed="Shipping fell everywhere.",
            rating="False",
            normalised="false",
            url="https://www.politifact.com/factchecks/shipping/",
            publisher="PolitiFact",
            related=True,
            probability=0.9,
            why_related="the fact-check is about <i>Spain</i>; the claim about Portugal",
        )
    ]
    art.stages_run.append("factchecks")
    return art


def report_of(article: Article) -> Report:
    return build_report(article, started_at="2026-01-02T03:04:05+00:00")
