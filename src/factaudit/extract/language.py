"""Which language an article is in (py3langid), and whether factaudit audits it."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..errors import UnsupportedLanguageError

__all__ = [
    "LANGUAGE_SAMPLE_CHARS",
    "MIN_LANGUAGE_CHARS",
    "LanguageChoice",
    "choose_language",
    "detect_language",
    "load_identifier",
]

_IDENTIFIER: Any = None
_IDENTIFIER_LOCK = threading.Lock()
#: Below this many characters language identification is unreliable: assume a supported language.
MIN_LANGUAGE_CHARS = 100
#: How much text is given to the identifier.
LANGUAGE_SAMPLE_CHARS = 5_000


def load_identifier() -> Any:
    """py3langid's classifier with normalised probabilities, loaded once per process."""
    global _IDENTIFIER
    if _IDENTIFIER is None:
        with _IDENTIFIER_LOCK:
            if _IDENTIFIER is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def detect_language(text: str) -> list[tuple[str, float]]:
    """``[(iso639-1 code, probability), ...]`` best first, from the first ~5,000 characters."""
    ranked = load_identifier().rank(text[:LANGUAGE_SAMPLE_CHARS])
    return [(str(lang), float(p)) for lang, p in ranked]


@dataclass(frozen=True)
class LanguageChoice:
    """The language an article is audited in."""

    language: str
    confidence: float
    #: What the identifier saw when the text was too short or too unsure to refuse and was read as
    #: the default language instead: ``{"language", "confidence"}``.
    guess: dict[str, Any] | None = None


def choose_language(text: str, settings: Settings) -> LanguageChoice:
    """The detected language when ``settings.languages`` has it; else the default language when the
    text is too short or the detection too unsure to refuse. Raises :class:`UnsupportedLanguageError`
    for text confidently in another language (exit 3, FA105; a batch records it and goes on; the web
    app answers 422), rather than reporting an audit without claims."""
    ranked = detect_language(text)
    probs = dict(ranked)
    best, confidence = ranked[0]
    default = settings.languages[0] if settings.languages else "en"
    if best in settings.languages:
        return LanguageChoice(best, round(confidence, 4))
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if confidence >= settings.min_language_confidence and len(sample) >= MIN_LANGUAGE_CHARS:
        raise UnsupportedLanguageError(
            f"detected language '{best}' (confidence {confidence:.2f}) is not supported; "
            f"supported: {', '.join(settings.languages) or 'none'}"
        )
    return LanguageChoice(
        default,
        round(probs.get(default, 0.0), 4),
        {"language": best, "confidence": round(confidence, 4)},
    )
