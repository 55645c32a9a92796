"""The matcher's parts: the shipped claim matcher model, the cheap score, ranking, the scorer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from factaudit.errors import ModelError
from factaudit.evaluation.claim_matching import average_precision_at, score_rankings
from factaudit.factchecks.match import coverage
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
