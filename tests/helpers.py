"""Small shared helpers for the tests (no fixtures from ../shared: everything is in the repo)."""

from __future__ import annotations

from pathlib import Path

from factaudit.document import Article
from factaudit.stages.attribution import AttributionStage
from factaudit.stages.findings import FindingsStage
from factaudit.stages.segment import SegmentStage
from factaudit.stages.sources import SourcesStage

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed_article.txt"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8").strip()


def analyse(text: str) -> Article:
    """Run the structure → findings stages over already-normalised text (no ingest)."""
    a = Article(source="<test>", text=text)
    for stage in (SegmentStage(), AttributionStage(), SourcesStage(), FindingsStage()):
        a = stage(a)
    return a
