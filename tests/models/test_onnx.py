"""The one ONNX helper module (models/onnx.py), on the shipped tokenizers and models."""

from __future__ import annotations

import numpy as np

from factaudit.models.checkworthiness import FILES_DIR
from factaudit.models.onnx import load_tokenizer, make_session, padded_batches, sha256_file, softmax

TEXTS = [
    "The ban will go into effect on December 15.",
    "Hi.",
    "The council approved a budget of 4.2 million euros on Monday, after a two-hour debate that ran late.",
    "Unemployment fell to 3.9 percent.",
    "Yes.",
]


def test_padded_batches_cover_every_row_once_and_pad_each_batch_to_its_longest() -> None:
    tok = load_tokenizer(FILES_DIR / "checkworthiness.tokenizer.json", 16)
    encodings = tok.encode_batch(TEXTS)
    seen: list[int] = []
    for rows, feed in padded_batches(encodings, 2):
        lengths = [len(encodings[i].ids) for i in rows]
        assert feed["input_ids"].shape == (len(rows), max(lengths)) == feed["attention_mask"].shape
        assert feed["attention_mask"].sum(axis=1).tolist() == lengths
        assert "token_type_ids" not in feed
        seen.extend(int(i) for i in rows)
    assert sorted(seen) == list(range(len(TEXTS)))
    assert max(len(e.ids) for e in encodings) == 16  # truncation applies


def test_pair_batches_carry_token_type_ids() -> None:
    tok = load_tokenizer(FILES_DIR / "verifier.tokenizer.json", 64)
    encodings = tok.encode_batch([("Paris is in France.", "Paris is French."), ("A b.", "C.")])
    [(rows, feed)] = list(padded_batches(encodings, 8, type_ids=True))
    for row, i in enumerate(rows):
        n = len(encodings[i].ids)
        assert feed["token_type_ids"][row, :n].tolist() == encodings[i].type_ids
        assert set(feed["token_type_ids"][row, :n].tolist()) == {0, 1}


def test_a_session_on_the_shipped_scorer_gives_the_same_scores_in_any_batch_size() -> None:
    from factaudit.models.checkworthiness import score_with_session

    meta_sha = sha256_file(FILES_DIR / "checkworthiness.int8.onnx")
    assert len(meta_sha) == 64
    session = make_session(FILES_DIR / "checkworthiness.int8.onnx", threads=1)
    tok = load_tokenizer(FILES_DIR / "checkworthiness.tokenizer.json", 128)
    one = score_with_session(session, tok, TEXTS, batch_size=1)
    many = score_with_session(session, tok, TEXTS, batch_size=8)
    assert np.allclose(one, many, atol=1e-4)
    assert one[0] > one[1]  # a dated scheduled event outranks "Hi."


def test_softmax_rows_sum_to_one_and_survive_large_logits() -> None:
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]]))
    assert np.allclose(p.sum(axis=1), 1.0) and p[0, 0] == 1.0 and np.allclose(p[1], 1 / 3)
