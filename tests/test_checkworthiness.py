"""The shipped check-worthiness model, its evaluation helper and their errors (real model, real text)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from factaudit.cli import main
from factaudit.errors import InputError, ModelError
from factaudit.evaluation.checkworthiness import (
    best_f1_threshold,
    evaluate_checkworthiness,
    read_labelled_tsv,
)
from factaudit.models.checkworthiness import FILES_DIR, META_FILE, CheckworthinessModel, get_model

FIXTURES = Path(__file__).parent / "fixtures"
# 30 sentences (15 Yes, 15 No) copied with their gold labels from CLEF CheckThat! 2024 task 1
# English dev (ct24_dev.tsv); the model never saw dev data in training or threshold tuning.
CT24_SAMPLE = FIXTURES / "ct24_dev_sample.tsv"

CHECKWORTHY = [
    "Unemployment fell to 3.5 percent last year.",
    "Tesla has developed partnerships with Russian energy companies to secure the supply of critical "
    "minerals required for manufacturing electric vehicles and batteries.",
    "We cut taxes for 95 percent of working families.",
]
NOT_CHECKWORTHY = ["Thank you very much.", "Opinions on this matter vary.", "I hope we can do it."]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model() -> CheckworthinessModel:
    return get_model()


def test_evaluate_fixture(model: CheckworthinessModel) -> None:
    result = evaluate_checkworthiness(CT24_SAMPLE, model)
    assert result["n"] == 30
    assert result["threshold"] == pytest.approx(model.threshold)
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= result[key] <= 1.0
    assert result["f1"] >= 0.6  # CT24 dev F1 is ~0.8; 30 sentences leave room for noise


def test_scores_rank_factual_claims_above_pleasantries(model: CheckworthinessModel) -> None:
    scores = model.score(CHECKWORTHY + NOT_CHECKWORTHY)
    assert scores.shape == (6,)
    assert scores.dtype == np.float32
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores[:3].min() > scores[3:].max()
    assert (scores[:3] >= model.threshold).all()
    assert (scores[3:] < model.threshold).all()


def test_score_order_does_not_change_scores(model: CheckworthinessModel) -> None:
    texts = CHECKWORTHY + NOT_CHECKWORTHY
    batched = model.score(texts)
    np.testing.assert_allclose(model.score(texts[::-1])[::-1], batched, atol=1e-6)
    # Dynamic int8 quantisation scales activations per batch, so batch company moves scores slightly.
    one_by_one = np.array([model.score([t])[0] for t in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=0.02)


def test_empty_and_overlong_inputs(model: CheckworthinessModel) -> None:
    assert model.score([]).shape == (0,)
    long = " ".join(["The deficit rose by 40 billion dollars in 2019."] * 60)
    assert model.score([long, ""]).shape == (2,)


def test_info_and_metadata(model: CheckworthinessModel) -> None:
    info = model.info()
    assert info["name"] and info["version"]
    assert len(info["sha256"]) == 64
    meta = json.loads((FILES_DIR / META_FILE).read_text())
    assert meta["labels"] == ["No", "Yes"]
    assert 0.0 < meta["threshold"] < 1.0
    assert meta["training_data"]["file"] == "ct24_train.tsv"


def _copy_files(tmp_path: Path) -> Path:
    dst = tmp_path / "files"
    shutil.copytree(FILES_DIR, dst)
    return dst


def test_sha_mismatch_raises_model_error(tmp_path: Path) -> None:
    files = _copy_files(tmp_path)
    meta = json.loads((files / META_FILE).read_text())
    meta["sha256"] = "0" * 64
    (files / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="sha256"):
        CheckworthinessModel(files).load()


def test_corrupt_onnx_raises_model_error(tmp_path: Path) -> None:
    files = _copy_files(tmp_path)
    onnx = files / json.loads((files / META_FILE).read_text())["onnx_file"]
    onnx.write_bytes(onnx.read_bytes()[:1000])
    with pytest.raises(ModelError):
        CheckworthinessModel(files).load()
    with pytest.raises(ModelError, match="cannot load"):
        CheckworthinessModel(files, verify_sha256=False).load()


@pytest.mark.parametrize("missing", ["onnx", "tokenizer", "meta"])
def test_missing_file_raises_model_error(tmp_path: Path, missing: str) -> None:
    files = _copy_files(tmp_path)
    meta = json.loads((files / META_FILE).read_text())
    name = {"onnx": meta["onnx_file"], "tokenizer": meta["tokenizer_file"], "meta": META_FILE}[missing]
    (files / name).unlink()
    with pytest.raises(ModelError, match="missing"):
        CheckworthinessModel(files).score(["Unemployment fell to 3.5 percent last year."])


def test_missing_tsv_raises_input_error(tmp_path: Path, model: CheckworthinessModel) -> None:
    with pytest.raises(InputError, match="no such TSV"):
        evaluate_checkworthiness(tmp_path / "nope.tsv", model)


def test_tsv_without_expected_columns_raises_input_error(tmp_path: Path, model: CheckworthinessModel) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tsentence\tlabel\n1\tHello.\tYes\n")
    with pytest.raises(InputError, match="expected columns"):
        evaluate_checkworthiness(bad, model)


def test_tsv_without_rows_raises_input_error(tmp_path: Path, model: CheckworthinessModel) -> None:
    empty = tmp_path / "empty.tsv"
    empty.write_text("Sentence_id\tText\tclass_label\n")
    with pytest.raises(InputError, match="no rows"):
        evaluate_checkworthiness(empty, model)


def test_unknown_label_raises_input_error(tmp_path: Path, model: CheckworthinessModel) -> None:
    bad = tmp_path / "labels.tsv"
    bad.write_text("Sentence_id\tText\tclass_label\n1\tHello.\tMaybe\n")
    with pytest.raises(InputError, match="unknown label"):
        evaluate_checkworthiness(bad, model)


def _clef2020_tsv(path: Path, label_column: str) -> Path:
    """Three rows in the CLEF 2020 task 1 layout (texts written for this test)."""
    path.write_text(
        f"topic_id\ttweet_id\ttweet_url\ttweet_text\tclaim\t{label_column}\n"
        "covid-19\t1\thttp://x\tThe WHO reports 90,000 confirmed cases in 60 countries.\t1\t1\n"
        "covid-19\t2\thttp://x\tStay safe everyone, thank you!\t0\t0\n"
        "covid-19\t3\thttp://x\tItaly closed all schools and universities until 15 March.\t1\t1\n",
        encoding="utf-8",
    )
    return path


# The official CLEF 2020 task 1 train/dev files call the label column check_worthiness, the test
# file claim_worthiness: both are the same format.
@pytest.mark.parametrize("label_column", ["check_worthiness", "claim_worthiness"])
def test_clef2020_label_column_spellings_are_read(tmp_path: Path, label_column: str) -> None:
    texts, gold, fmt = read_labelled_tsv(_clef2020_tsv(tmp_path / "clef.tsv", label_column))
    assert fmt == "clef2020"
    assert texts[1] == "Stay safe everyone, thank you!"
    assert gold.tolist() == [1, 0, 1]


@pytest.mark.parametrize("label_column", ["check_worthiness", "claim_worthiness"])
def test_eval_cli_reads_clef2020_files(
    tmp_path: Path, label_column: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tsv = _clef2020_tsv(tmp_path / "clef.tsv", label_column)
    assert main(["eval", "checkworthiness", "--data", str(tsv), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["format"] == "clef2020" and result["n"] == 3


def test_clef2020_format_is_detected(tmp_path: Path, model: CheckworthinessModel) -> None:
    tsv = _clef2020_tsv(tmp_path / "clef.tsv", "check_worthiness")
    result = evaluate_checkworthiness(tsv, model)
    assert result["format"] == "clef2020"
    assert result["n"] == 3
    assert result["f1"] == pytest.approx(1.0)


def test_best_f1_threshold_separates_perfectly() -> None:
    gold = np.array([1, 1, 0, 0, 1, 0])
    scores = np.array([0.9, 0.8, 0.3, 0.1, 0.7, 0.6])
    threshold, f1 = best_f1_threshold(gold, scores)
    assert f1 == pytest.approx(1.0)
    assert 0.6 < threshold < 0.7


def test_batch_size_follows_the_batch_invariance_flag(tmp_path: Path) -> None:
    """A dynamically quantised model scores one sentence per run; one marked batch-invariant (static
    quantisation) is batched. The flag comes from the metadata, so a wrong flag shows as score drift."""
    shipped = CheckworthinessModel().load()
    assert shipped.batch_size == (32 if shipped.meta.get("batch_invariant") else 1)
    dst = _copy_files(tmp_path)
    meta = json.loads((dst / META_FILE).read_text())
    meta["batch_invariant"] = True
    (dst / META_FILE).write_text(json.dumps(meta))
    assert CheckworthinessModel(dst).load().batch_size == 32
    assert CheckworthinessModel(dst, batch_size=4).load().batch_size == 4


# --- Debate-grouped splits, lexical model, cue features, stacking (no shared data, no torch) -----


def test_ct24_debate_groups_follow_start_ids_and_merges() -> None:
    from factaudit.evaluation.checkworthiness import CT24_DEBATE_STARTS, CT24_MERGED, ct24_debate_groups

    ids = np.array([0, 5, 1003, 1004, 1653, 1654, 8109, 12600, 37436, 40972])
    groups = ct24_debate_groups(ids)
    assert groups.tolist()[:6] == [0, 0, 0, 1004, 1004, 1654]
    # The 1960 debates' pieces are one group.
    assert groups[6] == groups[7] == CT24_MERGED[8109] == 7581
    assert groups[8] == groups[9] == CT24_DEBATE_STARTS[-1]


def test_grouped_split_keeps_groups_whole_and_is_deterministic() -> None:
    from factaudit.evaluation.checkworthiness import grouped_split

    groups = np.repeat(np.arange(30), 100)
    parts = grouped_split(groups, test_fraction=0.2, val_fraction=0.15, seed=3)
    assert (parts == grouped_split(groups, test_fraction=0.2, val_fraction=0.15, seed=3)).all()
    for g in range(30):
        assert len(set(parts[groups == g].tolist())) == 1
    assert (parts == "test").mean() == pytest.approx(0.2)
    assert 0.15 <= (parts == "val").mean() <= 0.15 + 1 / 30  # whole groups: overshoot < one group
    assert set(parts.tolist()) == {"train", "val", "test"}


def test_read_ct24_ids(tmp_path: Path) -> None:
    from factaudit.evaluation.checkworthiness import read_ct24_ids

    tsv = tmp_path / "ct24.tsv"
    tsv.write_text("Sentence_id\tText\tclass_label\n7\tHello there.\tNo\n3\tTaxes rose 5%.\tYes\n")
    assert read_ct24_ids(tsv).tolist() == [7, 3]
    clef = _clef2020_tsv(tmp_path / "clef.tsv", "check_worthiness")
    with pytest.raises(InputError, match="Sentence_id"):
        read_ct24_ids(clef)


def test_analyzers_normalise_digits_and_case() -> None:
    from factaudit.models.checkworthiness import char_ngrams, word_ngrams

    assert word_ngrams("Taxes rose 15% in 2019") == [
        "taxes", "rose", "00", "in", "0000", "taxes rose", "rose 00", "00 in", "in 0000",
    ]
    grams = char_ngrams("Ab 7")
    assert " a" in grams and "ab " in grams and " 0 " in grams
    assert all(2 <= len(g) <= 5 for g in grams)
    assert word_ngrams("") == [] and char_ngrams("") == []


def test_cue_features_flag_scheduled_events_numbers_and_questions() -> None:
    from factaudit.models.checkworthiness import CUE_NAMES, cue_features

    rows = cue_features([
        "The ban will go into effect December 15th.",
        "Unemployment fell to 3.5 percent last year.",
        "Is that what you want?",
        "I think we can do better.",
        "",
    ])
    cue = {name: rows[:, i] for i, name in enumerate(CUE_NAMES)}
    assert rows.shape == (5, len(CUE_NAMES)) and rows.dtype == np.float32
    assert cue["scheduled"][0] == 1 and cue["date"][0] == 1 and cue["scheduled_x_specific"][0] == 1
    assert cue["percent"][1] == 1 and cue["digit"][1] == 1 and cue["scheduled_x_specific"][1] == 0
    assert cue["question"][2] == 1 and cue["question"][3] == 0
    assert cue["opinion"][3] == 1
    assert rows[4, :-1].sum() == 0 and rows[4, -1] == 0


def test_lexical_scorer_matches_hand_computed_tfidf_and_round_trips(tmp_path: Path) -> None:
    from factaudit.models.checkworthiness import LexicalScorer

    word = ({"taxes": 0, "rose": 1, "taxes rose": 2}, np.array([1.0, 2.0, 3.0]), np.array([0.5, 1.0, -1.0]))
    char = ({" t": 0}, np.array([1.5]), np.array([2.0]))
    lex = LexicalScorer({"word": word, "char": char}, intercept=-0.25)
    # "Taxes taxes rose": word counts taxes 2, rose 1, "taxes rose" 1 (sublinear tf 1 + ln 2, 1, 1).
    w = np.array([(1 + np.log(2)) * 1.0, 2.0, 3.0])
    expected = -0.25 + w @ word[2] / np.linalg.norm(w) + 2.0  # char block: one gram, norm 1
    got = lex.logits(["Taxes taxes rose", "zzz", ""])
    assert got[0] == pytest.approx(expected)
    assert got[1] == pytest.approx(-0.25) and got[2] == pytest.approx(-0.25)
    lex.save(tmp_path / "lex.npz")
    again = LexicalScorer.from_file(tmp_path / "lex.npz")
    texts = ["Taxes taxes rose", "rose"]
    np.testing.assert_allclose(again.logits(texts), lex.logits(texts), rtol=1e-6)


def test_stack_probability_is_logistic_regression_on_stack_inputs() -> None:
    from factaudit.models.checkworthiness import CUE_NAMES, stack_inputs, stack_probability

    cues = np.zeros((2, len(CUE_NAMES)), dtype=np.float32)
    x = stack_inputs(np.array([0.5, 0.9]), np.array([0.0, 1.0]), cues)
    assert x.shape == (2, 2 + len(CUE_NAMES))
    assert x[0, 0] == pytest.approx(0.0) and x[1, 0] == pytest.approx(np.log(9))
    weights = [1.0, 2.0] + [0.0] * len(CUE_NAMES)
    p = stack_probability(x, weights, bias=-1.0)
    assert p[0] == pytest.approx(1 / (1 + np.exp(1.0)))
    assert p[1] == pytest.approx(1 / (1 + np.exp(-(np.log(9) + 2.0 - 1.0))))


# Statements of scheduled events, numbers and dates (written for these tests, news style): the
# shipped model must call them check-worthy (factaudit 1.0.0 scored the first one 0.02).
SCHEDULED = [
    "The ban will go into effect December 15th.",
    "The new rules take effect on January 1, 2025.",
    "The summit will be held in Geneva on June 16.",
    "The vote is scheduled for next Tuesday.",
]


def test_scheduled_events_and_dates_are_check_worthy(model: CheckworthinessModel) -> None:
    scores = model.score(SCHEDULED)
    assert (scores >= model.threshold).all(), dict(zip(SCHEDULED, scores.tolist(), strict=True))


def test_stacked_score_is_the_stack_of_its_components(model: CheckworthinessModel) -> None:
    from factaudit.models.checkworthiness import apply_floor, stack_inputs, stack_probability

    stack = model.meta.get("stack")
    if not stack:
        pytest.skip("shipped model is not stacked")
    texts = CHECKWORTHY + NOT_CHECKWORTHY + SCHEDULED
    parts = model.components(texts)
    expected = stack_probability(
        stack_inputs(parts["minilm"], parts["lexical"], parts["cues"]), stack["weights"], stack["bias"]
    )
    if stack.get("floor"):
        expected = apply_floor(expected, parts["cues"], stack["floor"]["score"], stack["floor"]["cue"])
    np.testing.assert_allclose(parts["score"], expected, atol=1e-6)
    np.testing.assert_allclose(model.score(texts), parts["score"], atol=1e-6)
    assert ((parts["minilm"] >= 0) & (parts["minilm"] <= 1)).all()


def test_metadata_without_stack_scores_with_the_encoder_alone(tmp_path: Path) -> None:
    """Backward compatible: a metadata file without "stack" (factaudit 1.0.0's) is the bare MiniLM."""
    dst = _copy_files(tmp_path)
    meta = json.loads((dst / META_FILE).read_text())
    meta.pop("stack", None)
    (dst / META_FILE).write_text(json.dumps(meta))
    bare = CheckworthinessModel(dst).load()
    texts = CHECKWORTHY + NOT_CHECKWORTHY
    parts = bare.components(texts)
    assert set(parts) == {"minilm", "score"}
    np.testing.assert_allclose(bare.score(texts), parts["minilm"], atol=1e-6)


@pytest.mark.parametrize("damage", ["sha", "missing", "corrupt", "weights"])
def test_damaged_lexical_model_raises_model_error(tmp_path: Path, damage: str) -> None:
    dst = _copy_files(tmp_path)
    meta = json.loads((dst / META_FILE).read_text())
    if not meta.get("stack"):
        pytest.skip("shipped model is not stacked")
    lexical = dst / meta["stack"]["lexical_file"]
    if damage == "sha":
        meta["stack"]["sha256"] = "0" * 64
    elif damage == "missing":
        lexical.unlink()
    elif damage == "corrupt":
        lexical.write_bytes(lexical.read_bytes()[:100])
        meta["stack"]["sha256"] = __import__("hashlib").sha256(lexical.read_bytes()).hexdigest()
    else:
        meta["stack"]["weights"] = meta["stack"]["weights"][:-1]
    (dst / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelError):
        CheckworthinessModel(dst).score(["Unemployment fell to 3.5 percent last year."])
