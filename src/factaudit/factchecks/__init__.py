"""Earlier fact-checks: a library of published fact-checks and the matching of claims against it.

* :mod:`.readers` — ClaimReview JSON-LD (objects, lists, ``@graph``, DataFeed), JSONL and CSV feeds,
  streamed; :class:`FactCheck`;
* :mod:`.ratings` — publishers' ratings onto one scale (:func:`normalise_rating`);
* :mod:`.library` — :class:`FactCheckLibrary`, an evidence store of fact-checks (dedup by URL,
  all-or-nothing imports);
* :mod:`.default` — the shipped Snopes entries and the default library;
* :mod:`.match` — :class:`Matcher`: BM25 + dense candidates, a cheap score, the cross-encoder;
* :mod:`.stance` — does the article repeat the claim or report it to debunk it.

Heavy imports (tantivy, usearch, onnxruntime) happen on first use.
"""

from __future__ import annotations

from .default import default_library_path, open_default_library
from .library import FactCheckLibrary, ImportStats, LibraryStats
from .match import Candidate, Matcher
from .ratings import normalise_rating
from .readers import FactCheck, RawEntry, read_feed

__all__ = [
    "Candidate",
    "FactCheck",
    "FactCheckLibrary",
    "ImportStats",
    "LibraryStats",
    "Matcher",
    "RawEntry",
    "default_library_path",
    "normalise_rating",
    "open_default_library",
    "read_feed",
]
