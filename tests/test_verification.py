"""The number/date/entity rules and the verdict aggregation (no model needed: probabilities given)."""

from __future__ import annotations

import pytest

from factaudit.document import Evidence
from factaudit.verification import (
    CONFLICTING,
    DEFAULT_HEAD,
    NEE,
    REFUTED,
    SUPPORTED,
    Scored,
    aggregate,
    compare,
    missing_names,
    quantities,
)


def _s(quote: str, probs: tuple[float, float, float], date: str | None = None) -> Scored:
    return Scored(Evidence(source="t", passage=quote, quote=quote, date=date), probs)


def test_quantities_parse_scale_currency_percent_and_comparators() -> None:
    q = quantities("Apple earned more than $100 billion, up 5.5% on 2019, with 12,000 staff.")
    assert [(x.kind, x.value, x.comparator) for x in q] == [
        ("money", 100e9, ">"),
        ("percent", 5.5, "="),
        ("year", 2019, "="),
        ("count", 12000, "="),
    ]


def test_a_number_mismatch_blocks_supported_and_refutes_only_the_same_attribute() -> None:
    claim = "Apple earned more than $100 billion in revenue in 2019."
    same = compare(claim, "Apple reported revenue of $89.5 billion in 2019.")
    assert same.status == "mismatch" and same.same_attribute
    other = compare(claim, "Microsoft spent $89.5 billion on buybacks.")
    assert other.status == "mismatch" and not other.same_attribute
    # The model is fooled (0.9 supported); the rule turns it into REFUTED for the same attribute...
    v = aggregate(claim, [_s("Apple reported revenue of $89.5 billion in 2019.", (0.9, 0.05, 0.05))], [])
    assert v.label == REFUTED and v.evidence[0].rule and "89.5 billion" in v.evidence[0].rule
    # ...and into NOT ENOUGH EVIDENCE for another entity.
    v = aggregate(claim, [_s("Microsoft spent $89.5 billion on buybacks.", (0.9, 0.05, 0.05))], [])
    assert v.label == NEE


def test_a_figure_from_another_year_neither_supports_nor_refutes() -> None:
    claim = "The population of France was 60 million in 2005."
    ev = "France population: 68,374,591 (2025 est.)"
    assert compare(claim, ev, "2025").status == "other_year"
    v = aggregate(claim, [_s(ev, (0.1, 0.85, 0.05), date="2025")], ["query: x"])
    assert v.label == NEE and v.searched == ["query: x"]
    # the passage's as-of date also dates an undated figure in its text
    undated = compare("France had 60 million people in 2005.", "France has 68 million people.", "2025")
    assert undated.status == "other_year"


def test_a_snapshot_date_does_not_date_the_events_a_passage_narrates() -> None:
    """A 2026 copy of Wikipedia still says what happened in 1903; only figures carry an as-of year."""
    claim = "Marie Curie won the Nobel Prize in Physics in 1903."
    ev = "He shared one half of the 1903 Nobel Prize in Physics with his wife, Marie Curie."
    assert compare(claim, ev, "2026").status == "ok"


@pytest.mark.parametrize(
    ("claim", "evidence", "status"),
    [
        ("France has about 68 million inhabitants.", "France population: 68,374,591 (2025 est.)", "ok"),
        (
            "France has 75 million inhabitants.",
            "The population of France is 68,374,591 (2025 est.).",
            "mismatch",
        ),
        ("Unemployment fell below 4% in Spain.", "Spain's unemployment rate was 11.4% in 2024.", "mismatch"),
        ("Unemployment fell below 12% in Spain.", "Spain's unemployment rate was 11.4% in 2024.", "ok"),
    ],
)
def test_compare_cases(claim: str, evidence: str, status: str) -> None:
    assert compare(claim, evidence).status == status


def test_aggregation_supported_conflicting_and_nearest_misses() -> None:
    claim = "Paris is the capital of France."
    v = aggregate(claim, [_s("Paris is the capital of France.", (0.95, 0.02, 0.03))], [])
    assert v.label == SUPPORTED and v.confidence == pytest.approx(0.95)
    both = [_s("Paris is the capital of France.", (0.9, 0.05, 0.05)),
            _s("Lyon is the capital of France.", (0.05, 0.9, 0.05))]
    assert aggregate(claim, both, []).label == CONFLICTING
    misses = [_s("Paris has many museums.", (0.2, 0.1, 0.7)), _s("France is in Europe.", (0.1, 0.1, 0.8))]
    v = aggregate(claim, misses, ["query: Paris"])
    assert v.label == NEE
    assert [e.label for e in v.evidence] == ["nearest miss", "nearest miss"]
    assert v.evidence[0].quote == "Paris has many museums."
    # "Paris has many museums." never mentions France: its 0.2 support moved to NOT ENOUGH EVIDENCE
    assert v.confidence == pytest.approx(0.9)
    empty = aggregate(claim, [], ["query: Paris"])
    assert empty.label == NEE and empty.note == "no evidence found"


@pytest.mark.parametrize(
    ("claim", "evidence", "missing"),
    [
        ("Berlin is the capital of France.", "Paris is the capital of France.", ["Berlin"]),
        ("The capital of Germany is Munich.", "Munich is the capital of Bavaria.", ["Germany"]),
        # a different spelling of the same name, or a stem, still counts as a mention
        ("Tim Roth is an English actor.", "Timothy Simon Roth is an English actor.", []),
        ("Libya is a country in Europe.", "Libya is a country on the European continent.", []),
        # the sentence's subject is named elsewhere (a pronoun or "The film ..."): no judgement
        ("Marie Curie won the Nobel Prize in 1903.", "In 1903 she shared the Nobel Prize in Physics.", []),
        ("Dilwale Dulhania Le Jayenge was shot in 1994.", "The film was shot in India in 1994.", []),
        # nothing shared: topical retrieval noise, left to the model and the threshold
        ("Berlin is the capital of Germany.", "Madrid hosts the Prado museum.", []),
    ],
)
def test_missing_names(claim: str, evidence: str, missing: list[str]) -> None:
    assert missing_names(claim, evidence) == missing


def test_a_sentence_missing_a_name_of_the_claim_cannot_support_it() -> None:
    claim = "The capital of Germany is Munich."
    s = _s("Munich is the capital of Bavaria.", (0.93, 0.02, 0.05))
    v = aggregate(claim, [s], ["query: x"])
    assert v.label == NEE
    assert v.evidence[0].rule == "the evidence does not mention Germany"
    assert v.evidence[0].probabilities[0] == 0.0
    # the passage title can carry the missing name
    quote = "Berlin is the capital and largest city."
    titled = Scored(Evidence(source="Germany", passage=quote, quote=quote), (0.9, 0.05, 0.05))
    assert aggregate("The capital of Germany is Berlin.", [titled], []).label == SUPPORTED


def test_fever_ptb_text_is_detokenised_for_evaluation() -> None:
    from factaudit.evaluation.verification import ptb_detok

    assert ptb_detok("Hush -LRB- 2016 film -RRB- was written by Mike Flanagan .") == (
        "Hush (2016 film) was written by Mike Flanagan."
    )
    assert ptb_detok("It 's done -- mostly , he said .") == "It's done – mostly, he said."
    assert ptb_detok("Plain text stays as it is.") == "Plain text stays as it is."


def test_a_sentence_restating_the_claim_keeps_the_verifiers_verdict() -> None:
    """The shipped head answered NOT ENOUGH EVIDENCE (0.83) to a sentence that says the claim word for
    word; such a pair keeps the real verifier's probabilities and meets the head's threshold."""
    from factaudit.models.verifier import get_verifier
    from factaudit.relevance import restates

    claim = "Spain installed 8 gigawatts of new solar capacity in 2023."
    same = "Spain installed 8 gigawatts of new solar capacity in 2023, a record for the country."
    assert restates(claim, same)
    assert not restates(claim, "Spain installed 8 gigawatts of wind capacity.")
    assert not restates("Andorra is a country.", "It is a landlocked country.")  # the name is missing
    verifier = get_verifier()

    def verdict(c: str, quote: str) -> str:
        probs = tuple(float(x) for x in verifier.predict([(quote, c)])[0])
        return aggregate(c, [Scored(Evidence(source="Spain", passage=quote, quote=quote), probs)], [],
                         head=DEFAULT_HEAD).label

    assert verdict(claim, same) == SUPPORTED
    # the same words negated are no support
    assert verdict("Spain did not install 8 gigawatts of new solar capacity in 2023.", same) != SUPPORTED
