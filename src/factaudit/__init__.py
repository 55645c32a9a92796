"""factaudit: audit news articles offline, claim by claim."""

from __future__ import annotations

__version__ = "0.1.0"
