"""The matcher's parts: the shipped claim matcher model, the cheap score, ranking, the scorer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from factaudit.errors import ModelError
from factaudit.evaluation.claim_matching import average_precision_at, score_rankings
from factaudit.factchecks.match import amounts, amounts_conflict, coverage, numbers_differ, quantities
from factaudit.models.claim_matcher import (
    FILES_DIR,
    META_FILE,
    ClaimMatcherModel,
    fit_platt,
    get_claim_matcher,
)


def test_the_shipped_model_scores_the_same_claim_above_another_claim() -> None:
    model = get_claim_matcher()
    claim = "NASA faked the 1969 moon landing in a film studio."
    probs = model.predict([(claim, "The 1969 Apollo 11 moon landing was staged in a film studio."),
                           (claim, "Bananas are slightly radioactive because they contain potassium-40.")])
    assert probs.shape == (2,) and np.all((probs >= 0) & (probs <= 1))
    assert probs[0] > probs[1]
    meta = model.meta
    assert 0 < model.threshold < 1 and meta["variant"] == "default"
    assert "snopes" in meta["training_data"]["never_used"]
    assert model.info().sha256 == meta["sha256"]


def test_a_corrupt_or_missing_model_is_a_model_error(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    for name in ("claim_matcher.json", "claim_matcher.tokenizer.json"):
        shutil.copyfile(FILES_DIR / name, folder / name)
    with pytest.raises(ModelError, match="missing"):
        ClaimMatcherModel(folder).load()
    (folder / "claim_matcher.int8.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="sha256"):
        ClaimMatcherModel(folder).load()
    (folder / META_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(ModelError, match="corrupt"):
        ClaimMatcherModel(folder).load()
    with pytest.raises(ModelError, match="missing"):
        ClaimMatcherModel(tmp_path / "nowhere").load()


def test_platt_scaling_recovers_a_known_slope() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=4000) * 3
    y = (rng.random(4000) < 1 / (1 + np.exp(-(2.0 * x - 1.0)))).astype(float)
    a, b = fit_platt(x, y)
    assert abs(a - 2.0) < 0.25 and abs(b + 1.0) < 0.25


def test_coverage_needs_more_than_two_words_to_be_full() -> None:
    short = coverage("NASA faked the moon landing in a film studio", "moon landing faked")
    assert short == pytest.approx(3 / 5)
    long_claim = "The 1969 Apollo moon landing was staged in a film studio"
    assert coverage("the apollo moon landing in 1969 was staged in a film studio", long_claim) == 1.0
    assert coverage("the weather today", long_claim) == 0.0


def test_average_precision_and_rankings_score_like_the_task_scorer() -> None:
    assert average_precision_at(["a", "b", "c"], {"b"}, 5) == 0.5
    assert average_precision_at(["a", "b", "c"], {"b"}, 1) == 0.0
    qrels = {"q1": {"g1"}, "q2": {"g2"}, "q3": {"g3"}}
    res = score_rankings({"q1": ["x", "g1"], "q2": ["g2"]}, qrels)
    assert res["n"] == 3 and res["map_at_1"] == pytest.approx(1 / 3, abs=1e-4)
    assert res["map_at_5"] == pytest.approx(0.5, abs=1e-4) and res["mrr"] == pytest.approx(0.5, abs=1e-4)
    assert json.dumps(res["per_query"])


def _old_model(tmp_path: Path, fusion: dict[str, float] | None) -> ClaimMatcherModel:
    """The shipped network with the metadata of an earlier release (logit + cheap fusion, or none)."""
    folder = tmp_path / "old"
    folder.mkdir()
    for name in (META_FILE, "claim_matcher.tokenizer.json", "claim_matcher.int8.onnx"):
        shutil.copyfile(FILES_DIR / name, folder / name)
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    meta.pop("fusion")
    if fusion is not None:
        meta["fusion"] = fusion
    meta["gate"] = 0.52
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    return ClaimMatcherModel(folder)


def test_the_learned_fusion_weighs_the_first_stage_features(tmp_path: Path) -> None:
    model = get_claim_matcher()
    fusion = model.meta["fusion"]
    assert fusion["first_stage"] == "bm25" and "bm25" not in fusion["features"]
    feats = {"bm25_rel": np.array([1.0, 0.2]), "dense": np.array([0.9, 0.9]),
             "coverage": np.array([0.8, 0.8]), "cheap": np.array([0.85, 0.85])}
    p = model.probability(np.array([0.5, 0.5]), features=feats)
    z = fusion["bias"] + sum(w * (0.5 if f == "logit" else feats[f][0])
                             for f, w in fusion["features"].items())
    assert p[0] == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-5)
    assert p[0] > p[1]  # the same logit, but the candidate BM25 ranks far below the best
    ranked = model.fusion_logit({**feats, "logit": np.array([0.5, 0.5])}, rank=True)
    assert ranked[0] > ranked[1] and not np.allclose(ranked, model.fusion_logit({**feats, "logit": 0.5}))
    # without features the probability is Platt scaling of the logit
    platt = model.meta["platt"]
    assert model.probability(np.array([0.5]))[0] == pytest.approx(
        1 / (1 + np.exp(-(platt["a"] * 0.5 + platt["b"]))), rel=1e-5)


def test_older_metadata_keep_the_logit_and_cheap_fusion_and_the_hybrid_first_stage(tmp_path: Path) -> None:
    from factaudit.factchecks.library import FactCheckLibrary
    from factaudit.factchecks.match import Matcher

    old = _old_model(tmp_path, {"logit": 1.0, "cheap": 10.0, "bias": -5.0})
    p = old.probability(np.array([0.0, 0.0]), [0.5, 0.2])
    assert p[0] == pytest.approx(0.5, abs=1e-6) and p[1] == pytest.approx(1 / (1 + np.exp(3.0)), rel=1e-5)
    assert old.probability(np.array([0.0]), features={"cheap": np.array([0.5])})[0] == pytest.approx(0.5)
    with pytest.raises(ModelError, match="no learned fusion"):
        old.fusion_logit({"logit": np.array([0.0])})
    with FactCheckLibrary(tmp_path / "lib", create=True) as lib:
        assert Matcher(lib, model=old).first_stage == "hybrid" and Matcher(lib, model=old).gate == 0.52
        assert Matcher(lib).first_stage == "bm25" and Matcher(lib).gate == 0.0


def test_candidate_features_are_relative_to_the_querys_candidates() -> None:
    from factaudit.factchecks.match import Candidate, candidate_features
    from factaudit.factchecks.readers import FactCheck

    e = FactCheck("A claim.", "False", "https://fc.example/a")
    cands = [Candidate(1, [e], 20.0, 0.8, 0.5, 0.65), Candidate(2, [e], None, -0.1, 0.0, 0.0),
             Candidate(3, [e], 5.0, None, 1.0, 0.5)]
    f = candidate_features(cands)
    assert list(f["bm25_rel"]) == [1.0, 0.0, 0.25] and list(f["bm25"]) == [20.0, 0.0, 5.0]
    assert list(f["dense"]) == [0.8, 0.0, 0.0] and list(f["inv_rank"]) == pytest.approx([1.0, 0.5, 1 / 3])
    assert list(f["logit"]) == [0.0, 0.0, 0.0]


def test_rank_and_match_rerank_bm25_candidates_by_the_learned_fusion(tmp_path: Path) -> None:
    from factaudit.evaluation.claim_matching import read_claims
    from factaudit.factchecks.library import FactCheckLibrary
    from factaudit.factchecks.match import Matcher
    from factaudit.factchecks.readers import FactCheck

    claims = read_claims(Path(__file__).parent / "fixtures" / "checkthat" / "verified_claims.docs.tsv")
    with FactCheckLibrary(tmp_path / "lib", create=True) as lib:
        lib.import_entries((FactCheck(t, "False", f"urn:checkthat:vclaim:{v}", title=ti, language="en")
                            for v, (t, ti) in claims.items()), source="checkthat", detect_language=False)
        matcher = Matcher(lib, threads=1)
        ranked = matcher.rank("Fun fact: you can see the Great Wall of China from the moon!", k=3)
        assert ranked[0].entry.url.endswith(":2")
        assert all("rank_score" in c.scores and c.probability is not None for c in ranked)
        assert [c.scores["rank_score"] for c in ranked] == sorted((c.scores["rank_score"] for c in ranked),
                                                                  reverse=True)
        assert ranked[0].dense is not None  # BM25 retrieved it; the dense cosine was filled in
        found = matcher.match("The 1969 Apollo 11 moon landing was staged in a film studio.")
        assert found and found[0].entry.url.endswith(":0") and found[0].probability >= matcher.threshold
        before = matcher.reranked_queries
        assert matcher.match("The bakery on Main Street opened a second shop last spring.") == []
        assert matcher.reranked_queries == before  # nothing could reach the threshold: not reranked


def test_claims_stating_different_numbers_differ_and_scales_are_read() -> None:
    # Horne 2017 BuzzFeed: "a trade deficit this year with China of approximately $500 billion"
    # matched "The U.S. has a global trade deficit of $800 billion."
    assert quantities("nearly 5 million ballots, 17% of them, cost $3,500 or 2.5bn") == {
        ("n", 5e6), ("%", 17.0), ("n", 3500.0), ("n", 2.5e9)}
    assert numbers_differ("We have a trade deficit this year with China of approximately $500 billion.",
                          "The U.S. has a global trade deficit of $800 billion.")
    assert numbers_differ("Clinton's plan would cost $400 billion.",
                          "Hillary Clinton accidentally paid ISIS $400 million.")
    # the same number said two ways, or a number on one side only, is no conflict
    assert not numbers_differ("I was given $3,500 to protest Donald Trump's rally.",
                              "A man claimed he had been paid $3,500 to protest at a Donald Trump rally.")
    assert not numbers_differ("Nearly 5,000,000 ballots were found.", "Nearly 5 million ballots were found.")
    assert not numbers_differ("Kid Rock interrupted a Clinton event in 2016.",
                              "Kid Rock interrupted a Clinton event.")


def test_sums_of_money_are_read_with_their_sign_and_scale() -> None:
    # CheckThat! 2020 train: "the $33 mil bond you left Puerto Ricans with" is the "$33 million" claim
    assert amounts("never paid back the $33 mil bond; US$1.2bn, £5,000 and 40% of 22 officials") == [
        ("$33 mil", 33e6), ("US$1.2bn", 1.2e9), ("£5,000", 5000.0)]
    assert amounts("22 administration officials, 2016, 17 percent") == []


def test_a_fact_check_about_another_sum_of_money_conflicts() -> None:
    # Horne 2017 BuzzFeed fake/24: both were "previously fact-checked" above the threshold
    why = amounts_conflict(["“Hillary Clinton’s plan would bring in 620,000 refugees in Clinton’s first term "
                            "alone,” and would cost $400 billion."],
                           "Hillary Clinton accidentally paid ISIS $400 million.")
    assert why == "the fact-check is about $400 million; the claim about $400 billion"
    assert amounts_conflict(["We have a trade deficit this year with China of approximately $500 billion."],
                            "The U.S. has a global trade deficit of $800 billion.")
    # the same sum written two ways, a sum on one side only, or counts that differ: no conflict
    assert amounts_conflict(["Massive debt ... never paid back the $33 mil bond you left Puerto Ricans with"],
                            "Trump left taxpayers on the hook for $33 million worth of debt.") is None
    assert amounts_conflict(["I was given $3,500 to protest Donald Trump's rally."],
                            "A man claimed he had been paid $3,500 to protest at a Trump rally.") is None
    assert amounts_conflict(["Clinton's plan would cost taxpayers billions."],
                            "Hillary Clinton accidentally paid ISIS $400 million.") is None
    assert amounts_conflict(["Emails sent by 22 administration officials were erased."],
                            "The G.W. Bush administration lost 22 million official e-mails.") is None
