"""The check-worthiness scorer: a fine-tuned MiniLM-L6 sentence classifier as int8 ONNX, optionally
stacked with a lexical model.

Runs on onnxruntime + tokenizers + numpy only (no torch, no scikit-learn). The files live in
``models/files/``: ``checkworthiness.int8.onnx``, ``checkworthiness.tokenizer.json`` and
``checkworthiness.json`` (threshold, max_len, label order, the ONNX file's sha256, metrics). When
the metadata has a ``"stack"`` entry, the MiniLM probability is combined by logistic regression
with a TF-IDF (word + character n-gram) logistic regression (``checkworthiness.lexical.npz``: its
vocabulary, idf and weights, evaluated here with numpy) and a few cue features (numbers, dates,
money, percentages, scheduled events); :meth:`CheckworthinessModel.score` returns the stacked
P(Yes). See ``CHECKWORTHINESS_MODEL_CARD.md`` and ``factaudit.training.checkworthiness``.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .onnx import DEFAULT_THREADS, load_tokenizer, make_session, padded_batches, sha256_file, softmax

FILES_DIR = Path(__file__).with_name("files")
META_FILE = "checkworthiness.json"
#: One sentence per run for a dynamically quantised model: dynamic int8 computes activation scales
#: over the whole batch, so batched scores depend on their batch mates (measured up to 0.13 in
#: P(Yes)); one at a time, a sentence's score is a function of the sentence alone.
DEFAULT_BATCH_SIZE = 1
#: A statically quantised model (``"batch_invariant": true`` in its metadata: fixed activation
#: ranges, mask and softmax in float) gives every sentence the same score in any batch, so it is
#: scored in batches of this many (about 1.6x the one-at-a-time rate).
INVARIANT_BATCH_SIZE = 32


def score_with_session(
    session: Any,
    tokenizer: Any,
    texts: Sequence[str],
    *,
    yes_index: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> np.ndarray:
    """P(Yes) for each text; texts are sorted by length into batches so padding stays small."""
    if not texts:
        return np.zeros(0, dtype=np.float32)
    encodings = tokenizer.encode_batch([str(t) for t in texts])
    out = np.empty(len(encodings), dtype=np.float32)
    for rows, feed in padded_batches(encodings, batch_size):
        (logits,) = session.run(["logits"], feed)
        out[rows] = softmax(logits)[:, yes_index]
    return out


# --- Lexical side: analyzers, cue features, TF-IDF logistic regression in numpy ----------------

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


def _normalise(text: str) -> str:
    """Lower-cased, digits mapped to ``0`` (so "2019" and "1988" share n-grams), spaces collapsed."""
    return " ".join(_DIGIT.sub("0", str(text).lower()).split())


def word_ngrams(text: str) -> list[str]:
    """Word uni- and bigrams of the normalised text (the lexical model's word analyzer)."""
    toks = _WORD.findall(_normalise(text))
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


def char_ngrams(text: str, lo: int = 2, hi: int = 5) -> list[str]:
    """Character ``lo``-``hi``-grams inside space-padded words of the normalised text."""
    out: list[str] = []
    for word in _normalise(text).split():
        w = f" {word} "
        for n in range(lo, hi + 1):
            out.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return out


_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
)
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUMBER_WORD = (
    r"\b(?:hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|twice|double[ds]?"
    r"|triple[ds]?|quadrupled?|tenfold|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b"
)
_DATE = (
    rf"\b{_MONTH}(?=\s+\d)|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?!\w)"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)\b|\b{_DAY}\b|\b(?:next|last|this)\s+(?:week|month|year|spring"
    r"|summer|fall|autumn|winter)\b|\b(?:tomorrow|yesterday|today)\b|\b(?:1[89]|20)\d\d\b"
)
_SCHEDULED = (
    r"\b(?:will|shall|is\s+(?:going|set|scheduled|due|expected)\s+to|are\s+(?:going|set|scheduled|due"
    r"|expected)\s+to|scheduled|goes?\s+into\s+effect|go\s+into\s+effect|takes?\s+effect|come\s+into"
    r"\s+force|comes?\s+into\s+force|effective|deadline|expires?|begins?|starts?|opens?|ends?"
    r"|launch(?:es)?|plans?\s+to|intends?\s+to)\b"
)
_OPINION = (
    r"\b(?:i\s+think|i\s+believe|i\s+hope|i\s+want|i\s+feel|i'm\s+going\s+to|i\s+will|we\s+need|we"
    r"\s+should|we\s+must|we've\s+got\s+to|we\s+have\s+to|let\s+me|thank\s+you|i\s+agree|i\s+disagree)\b"
)
#: Cue features, in the column order of :func:`cue_features` (and of the stack's ``cue_weights``).
CUE_NAMES: tuple[str, ...] = (
    "digit", "number_word", "percent", "money", "date", "scheduled", "scheduled_x_specific",
    "comparative", "question", "opinion", "first_person", "specific_statement", "scheduled_statement",
    "log_words",
)
_CUE_RES = {
    "digit": re.compile(r"\d"),
    "number_word": re.compile(_NUMBER_WORD, re.I),
    "percent": re.compile(r"%|\bper\s?cent\b|\bpercentage", re.I),
    "money": re.compile(r"[$£€]|\b(?:dollars?|cents|pounds|euros?)\b", re.I),
    "date": re.compile(_DATE, re.I),
    "scheduled": re.compile(_SCHEDULED, re.I),
    "comparative": re.compile(
        r"\b(?:more|less|fewer|most|least|largest|biggest|highest|lowest|record|increased?|decreased?"
        r"|rose|risen|fell|fallen|doubled|tripled|cut|raised|lost|gained|grew|dropped)\b",
        re.I,
    ),
    "question": re.compile(r"\?\s*[\"'”’)]*\s*$"),
    "opinion": re.compile(_OPINION, re.I),
    "first_person": re.compile(r"\b(?:i|i'm|i've|i'll|i'd|me|my|we|we're|we've|we'll|we'd|us|our)\b", re.I),
}
#: Fewest words for a ``specific_statement``.
SPECIFIC_MIN_WORDS = 4


def cue_features(texts: Sequence[str]) -> np.ndarray:
    """``(len(texts), len(CUE_NAMES))`` float32: 0/1 cues and log(1 + words).

    ``scheduled_x_specific`` is a scheduled-event / future phrase together with a date or number in
    the same sentence ("The ban will go into effect December 15th"). ``specific_statement`` is a
    third-person statement (no first-person word, not a question, at least
    :data:`SPECIFIC_MIN_WORDS` words) with a digit, a date, money or a percentage: the statements
    of scheduled events, numbers, dates and quantities a news fact-checker checks;
    ``scheduled_statement`` is one of those with a scheduled-event / future phrase.
    """
    out = np.zeros((len(texts), len(CUE_NAMES)), dtype=np.float32)
    col = {name: i for i, name in enumerate(CUE_NAMES)}
    for r, text in enumerate(texts):
        t = str(text)
        hits = {name: bool(rx.search(t)) for name, rx in _CUE_RES.items()}
        for name, hit in hits.items():
            out[r, col[name]] = float(hit)
        specific = hits["digit"] or hits["date"] or hits["number_word"] or hits["money"]
        out[r, col["scheduled_x_specific"]] = float(hits["scheduled"] and specific)
        concrete = hits["digit"] or hits["date"] or hits["money"] or hits["percent"]
        statement = (
            concrete
            and not hits["question"]
            and not hits["first_person"]
            and len(t.split()) >= SPECIFIC_MIN_WORDS
        )
        out[r, col["specific_statement"]] = float(statement)
        out[r, col["scheduled_statement"]] = float(statement and hits["scheduled"])
        out[r, col["log_words"]] = math.log1p(len(t.split()))
    return out


class LexicalScorer:
    """A TF-IDF (word uni/bigram + character 2-5-gram, sublinear tf, each block L2-normalised)
    logistic regression, evaluated with numpy from an ``.npz`` of vocabularies, idf and weights."""

    BLOCKS = (("word", word_ngrams), ("char", char_ngrams))

    def __init__(self, blocks: dict[str, tuple[dict[str, int], np.ndarray, np.ndarray]], intercept: float):
        self.blocks = blocks  # name -> (vocabulary, idf, coef)
        self.intercept = float(intercept)

    @classmethod
    def from_file(cls, path: Path) -> LexicalScorer:
        with np.load(path, allow_pickle=False) as z:
            blocks = {}
            for name, _ in cls.BLOCKS:
                terms = bytes(z[f"{name}_terms"]).decode("utf-8").split("\n")
                blocks[name] = (
                    {t: i for i, t in enumerate(terms)},
                    z[f"{name}_idf"].astype(np.float64),
                    z[f"{name}_coef"].astype(np.float64),
                )
            return cls(blocks, float(z["intercept"]))

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"intercept": np.array(self.intercept, dtype=np.float64)}
        for name, (vocab, idf, coef) in self.blocks.items():
            terms = sorted(vocab, key=vocab.__getitem__)
            arrays[f"{name}_terms"] = np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)
            arrays[f"{name}_idf"] = np.asarray(idf, dtype=np.float32)
            arrays[f"{name}_coef"] = np.asarray(coef, dtype=np.float32)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """The logistic regression's decision value (log-odds of Yes) for each text."""
        out = np.full(len(texts), self.intercept, dtype=np.float64)
        for name, analyzer in self.BLOCKS:
            vocab, idf, coef = self.blocks[name]
            for r, text in enumerate(texts):
                counts: dict[int, int] = {}
                for gram in analyzer(str(text)):
                    j = vocab.get(gram)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if not counts:
                    continue
                cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
                w = tf * idf[cols]
                out[r] += float(w @ coef[cols]) / float(np.sqrt(w @ w))
        return out


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    out: np.ndarray = np.log(q) - np.log1p(-q)
    return out


def stack_inputs(p_minilm: np.ndarray, lexical_logits: np.ndarray, cues: np.ndarray) -> np.ndarray:
    """The stacker's input matrix: logit(MiniLM P(Yes)), the lexical logit, then the cue columns."""
    return np.column_stack([_logit(p_minilm), np.asarray(lexical_logits, dtype=np.float64), cues])


def stack_probability(x: np.ndarray, weights: Sequence[float], bias: float) -> np.ndarray:
    """Logistic regression on :func:`stack_inputs` rows."""
    z = np.asarray(x, dtype=np.float64) @ np.asarray(weights, dtype=np.float64) + float(bias)
    out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return out


def apply_floor(
    score: np.ndarray, cues: np.ndarray, floor: float, cue: str = "specific_statement"
) -> np.ndarray:
    """``score`` raised to at least ``floor`` where the ``cue`` column of ``cues`` is set."""
    hit = np.asarray(cues)[:, CUE_NAMES.index(cue)] > 0
    out: np.ndarray = np.where(hit, np.maximum(score, floor), score)
    return out


class CheckworthinessModel:
    """Scores sentences for check-worthiness: P(Yes) in [0, 1]; ``>= threshold`` means check-worthy.

    Nothing is read until :meth:`load` (or the first :meth:`score`).
    """

    def __init__(
        self,
        files_dir: Path | None = None,
        *,
        threads: int = DEFAULT_THREADS,
        batch_size: int | None = None,
        verify_sha256: bool = True,
        spinning: bool = False,
    ) -> None:
        self.files_dir = Path(files_dir) if files_dir is not None else FILES_DIR
        self.threads = threads
        self.batch_size = batch_size
        self.verify_sha256 = verify_sha256
        self.spinning = spinning
        self._meta: dict[str, Any] | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._lexical: LexicalScorer | None = None
        self._lock = threading.Lock()

    def load(self) -> CheckworthinessModel:
        """Read the metadata, check the ONNX file's sha256 and open the session (once)."""
        with self._lock:
            if self._session is not None:
                return self
            meta_path = self.files_dir / META_FILE
            if not meta_path.is_file():
                raise ModelError(f"check-worthiness model metadata missing: {meta_path}")
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                onnx_path = self.files_dir / meta["onnx_file"]
                tok_path = self.files_dir / meta["tokenizer_file"]
                labels = list(meta["labels"])
                yes_index = labels.index("Yes")
                max_len = int(meta["max_len"])
                float(meta["threshold"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ModelError(f"check-worthiness model metadata is corrupt: {meta_path} ({exc})") from exc
            for path in (onnx_path, tok_path):
                if not path.is_file():
                    raise ModelError(f"check-worthiness model file missing: {path}")
            if self.verify_sha256:
                actual = sha256_file(onnx_path)
                if actual != meta.get("sha256"):
                    raise ModelError(
                        f"check-worthiness model {onnx_path.name} does not match its recorded sha256 "
                        f"(expected {meta.get('sha256')}, found {actual}): reinstall factaudit"
                    )
            try:
                tokenizer = load_tokenizer(tok_path, max_len)
                session = make_session(onnx_path, threads=self.threads, spinning=self.spinning)
            except Exception as exc:  # onnxruntime / tokenizers raise their own types
                raise ModelError(f"cannot load check-worthiness model from {self.files_dir}: {exc}") from exc
            lexical = self._load_lexical(meta) if meta.get("stack") else None
            meta["_yes_index"] = yes_index
            if self.batch_size is None:
                self.batch_size = INVARIANT_BATCH_SIZE if meta.get("batch_invariant") else DEFAULT_BATCH_SIZE
            self._meta, self._tokenizer, self._session = meta, tokenizer, session
            self._lexical = lexical
            return self

    def _load_lexical(self, meta: dict[str, Any]) -> LexicalScorer:
        stack = meta["stack"]
        try:
            path = self.files_dir / stack["lexical_file"]
            if len(stack["weights"]) != 2 + len(CUE_NAMES) or list(stack["cues"]) != list(CUE_NAMES):
                raise ValueError("stack weights do not match the cue features")
            float(stack["bias"])
            if stack.get("floor"):
                float(stack["floor"]["score"])
                if stack["floor"]["cue"] not in CUE_NAMES:
                    raise ValueError(f"unknown floor cue {stack['floor']['cue']!r}")
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"check-worthiness stack metadata is corrupt ({exc})") from exc
        if not path.is_file():
            raise ModelError(f"check-worthiness model file missing: {path}")
        if self.verify_sha256 and sha256_file(path) != stack.get("sha256"):
            raise ModelError(
                f"check-worthiness lexical model {path.name} does not match its recorded sha256: "
                "reinstall factaudit"
            )
        try:
            return LexicalScorer.from_file(path)
        except Exception as exc:  # numpy raises several types for a damaged archive
            raise ModelError(f"cannot load check-worthiness lexical model {path}: {exc}") from exc

    @property
    def meta(self) -> dict[str, Any]:
        """The model's ``checkworthiness.json`` (loads the model)."""
        if self._meta is None:
            self.load()
        assert self._meta is not None
        return self._meta

    @property
    def threshold(self) -> float:
        """Decision threshold on P(Yes), tuned for F1 on held-out training data."""
        return float(self.meta["threshold"])

    @property
    def max_len(self) -> int:
        """Token limit per sentence (longer sentences are truncated)."""
        return int(self.meta["max_len"])

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """P(Yes) for each text, as a float32 array in input order (empty input → empty array).

        With a stacked model this is the stacker's probability; :meth:`components` has the parts.
        """
        if not texts:
            return np.zeros(0, dtype=np.float32)
        parts = self.components(texts)
        return parts["score"]

    def components(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """``{"minilm": P(Yes) of the encoder, "score": final P(Yes)}``, plus ``"lexical"`` (the
        TF-IDF logit) and ``"cues"`` (:data:`CUE_NAMES` columns) for a stacked model."""
        meta = self.meta
        texts = [str(t) for t in texts]
        minilm = score_with_session(
            self._session,
            self._tokenizer,
            texts,
            yes_index=int(meta["_yes_index"]),
            batch_size=self.batch_size or DEFAULT_BATCH_SIZE,
        )
        if self._lexical is None or not texts:
            return {"minilm": minilm, "score": minilm}
        stack = meta["stack"]
        lexical = self._lexical.logits(texts)
        cues = cue_features(texts)
        score = stack_probability(stack_inputs(minilm, lexical, cues), stack["weights"], stack["bias"])
        floor = stack.get("floor")
        if floor:
            score = apply_floor(score, cues, float(floor["score"]), str(floor["cue"]))
        return {"minilm": minilm, "lexical": lexical, "cues": cues, "score": score.astype(np.float32)}

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Boolean check-worthy decisions at :attr:`threshold`."""
        return self.score(texts) >= self.threshold

    def info(self) -> dict[str, Any]:
        """Name, version and sha256 of the ONNX file, for a report's run record."""
        meta = self.meta
        info = {
            "name": str(meta.get("name", "checkworthiness")),
            "version": str(meta.get("version", "")),
            "sha256": str(meta["sha256"]),
            "path": str(self.files_dir / meta["onnx_file"]),
        }
        if meta.get("stack"):
            info["lexical_sha256"] = str(meta["stack"].get("sha256", ""))
        return info


@lru_cache(maxsize=4)
def get_model(threads: int = DEFAULT_THREADS) -> CheckworthinessModel:
    """The shipped model, loaded once per process (per thread count)."""
    return CheckworthinessModel(threads=threads).load()
