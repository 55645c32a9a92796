"""Oversight across a corpus: many audit reports merged into one :class:`Corpus`.

:func:`aggregate` streams over reports (a batch output folder, a store of audits) and merges
entities across articles, relation edges with every claim behind them, recurring claims, outlets'
sourcing profiles, a timeline by article date and corpus findings; :mod:`.render` writes the
corpus as Markdown or one self-contained HTML file, :mod:`.graph` draws its relation map as SVG.
"""

from .aggregate import aggregate, article_date, article_outlet
from .model import (
    CORPUS_SCHEMA_VERSION,
    ClaimRef,
    Corpus,
    CorpusArticle,
    CorpusEntity,
    CorpusFinding,
    CorpusRelation,
    CorpusRun,
    MentionRef,
    OutletProfile,
    RecurringClaim,
    TimelineDay,
)
from .sources import BatchFolderSource, ReportSource, StoreSource, read_report

__all__ = [
    "CORPUS_SCHEMA_VERSION",
    "BatchFolderSource",
    "ClaimRef",
    "Corpus",
    "CorpusArticle",
    "CorpusEntity",
    "CorpusFinding",
    "CorpusRelation",
    "CorpusRun",
    "MentionRef",
    "OutletProfile",
    "RecurringClaim",
    "ReportSource",
    "StoreSource",
    "TimelineDay",
    "aggregate",
    "article_date",
    "article_outlet",
    "read_report",
]
