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
