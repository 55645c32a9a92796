"""Typed settings with named defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Largest input accepted (bytes read from a file, URL or stdin).
MAX_INPUT_BYTES = 60 * 1024 * 1024
#: Largest normalised text audited; longer text is truncated with a stated skip.
MAX_TEXT_CHARS = 2_000_000
#: A "sentence" longer than this is cut into pieces of this size before NLP.
MAX_SENTENCE_CHARS = 2_000
#: How much of an HTML page (after scripts and styles are removed) is given to trafilatura, whose
#: time grows with elements and text (~3-6 s at 30k elements on one loaded core); the rest of a
#: bigger page is cut off before extraction, with a note in ``Article.skipped`` (extract/html.py).
MAX_HTML_ELEMENTS = 30_000
MAX_HTML_CHARS = 3_000_000
#: Languages the pipeline supports (ISO 639-1).
SUPPORTED_LANGUAGES = ("en",)


@dataclass
class FetchSettings:
    timeout_s: float = 15.0
    max_bytes: int = MAX_INPUT_BYTES
    max_redirects: int = 5
    user_agent: str = "factaudit (+https://github.com/factaudit/factaudit)"


@dataclass
class Settings:
    """Everything that changes what an audit produces; recorded in every report's run record."""

    max_input_bytes: int = MAX_INPUT_BYTES
    max_text_chars: int = MAX_TEXT_CHARS
    max_sentence_chars: int = MAX_SENTENCE_CHARS
    languages: tuple[str, ...] = SUPPORTED_LANGUAGES
    #: Below this py3langid confidence on short text, assume English rather than refuse.
    min_language_confidence: float = 0.5
    #: Check-worthiness decision threshold (None: the model card's tuned value).
    checkworthiness_threshold: float | None = None
    fetch: FetchSettings = field(default_factory=FetchSettings)
    #: Verify check-worthy claims against evidence.
    verify: bool = True
    #: Verify every claim, not only the check-worthy ones.
    verify_all: bool = False
    #: At most this many claims (best ranked first) are verified per article.
    verify_max_claims: int = 25
    #: Passages retrieved per claim.
    evidence_k: int = 5
    #: Evidence store folder (None: the default store with the shipped packs, built on first use).
    store: str | None = None
    #: Use the network for evidence: Wikipedia's search API next to the store, and the article's own
    #: cited pages read against the statements that cite them (all through the guarded fetcher).
    online: bool = False
    #: The MediaWiki Action API searched with ``online``.
    wikipedia_api: str = "https://en.wikipedia.org/w/api.php"
    #: Wikipedia answers are cached (``$FACTAUDIT_CACHE_DIR`` or the user cache folder) and reused
    #: for this many days; 0 turns the cache off.
    wikipedia_cache_days: float = 7.0
    #: At most this many cited pages are fetched per article with ``online``.
    max_cited_pages: int = 10
    #: Verifier to use instead of the shipped one: a local folder (the project's files or a Hugging
    #: Face ONNX export) or a hub id ``owner/name[@revision]`` (downloaded once; the ``hub`` extra).
    verifier_model: str | None = None
    #: Match check-worthy claims to earlier published fact-checks (the fact-check library). Off by
    #: default: on 50 hand-labelled Horne 2017 articles its matches were right 4 times in 15
    #: (issue 14's target is 0.95 precision); ``--factchecks`` / ``Settings(factchecks=True)``.
    factchecks: bool = False
    #: Fact-check library folder (None: the default library, seeded with the shipped Snopes
    #: entries on first use; ``$FACTAUDIT_FACTCHECKS`` moves it).
    factcheck_library: str | None = None
    #: At most this many check-worthy claims (best ranked first) are matched per article.
    factcheck_max_claims: int = 25
    #: Claim matcher folder instead of the shipped one (e.g. the research-use CheckThat! variant).
    claim_matcher_model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
