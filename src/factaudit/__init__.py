"""factaudit: audit news articles offline, claim by claim.

>>> import factaudit
>>> report = factaudit.audit("article.html")        # doctest: +SKIP
>>> print(factaudit.render(report, "md"))            # doctest: +SKIP
"""

from __future__ import annotations

from ._version import __version__
from .config import Settings
from .document import (
    Article,
    Assertion,
    Block,
    Citation,
    Claim,
    Credibility,
    Evidence,
    Finding,
    Holder,
    Report,
    Sentence,
    Verdict,
)
from .errors import FactauditError
from .pipeline import Auditor, audit
from .report import render

__all__ = [
    "Article",
    "Assertion",
    "Auditor",
    "Block",
    "Citation",
    "Claim",
    "Credibility",
    "Evidence",
    "FactauditError",
    "Finding",
    "Holder",
    "Report",
    "Sentence",
    "Settings",
    "Verdict",
    "__version__",
    "audit",
    "render",
]
