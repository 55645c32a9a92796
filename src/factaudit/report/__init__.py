"""Reports: one audited :class:`~factaudit.document.Report` rendered as text, JSON, Markdown, HTML,
schema.org ClaimReview or W3C Web Annotations.

>>> render(report, "md")        # doctest: +SKIP

Every format is built from the same Report; the JSON form (``schema.json`` documents its shape)
is the contract other tools rely on, the others are views of it.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ..document import Article, ModelInfo, Report, RunRecord
from ..errors import InputError

__all__ = ["FORMATS", "build_report", "render"]

#: The formats :func:`render` knows, in the order the CLI lists them.
FORMATS: tuple[str, ...] = ("text", "json", "md", "html", "claimreview", "annotations")


def render(report: Report, fmt: str) -> str:
    """Render ``report`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        from .terminal import to_text

        return to_text(report)
    if fmt == "json":
        from .json_report import to_json

        return to_json(report)
    if fmt == "md":
        from .markdown import to_markdown

        return to_markdown(report)
    if fmt == "html":
        from .html import to_html

        return to_html(report)
    if fmt == "claimreview":
        from .claimreview import to_claimreview_json

        return to_claimreview_json(report)  # approved claims only: none without a human review
    if fmt == "annotations":
        from .annotations import to_annotations_json

        return to_annotations_json(report)
    raise InputError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def build_report(
    article: Article,
    *,
    started_at: datetime | str | None = None,
    duration_s: float | None = None,
    stages: Iterable[str] | None = None,
    models: Iterable[ModelInfo] = (),
    settings: Any = None,
) -> Report:
    """Wrap an audited Article in a Report with its run record.

    ``started_at`` defaults to now (UTC), ``duration_s`` to the sum of the stage timings,
    ``stages`` to ``article.stages_run``; ``settings`` may be a mapping or an object with
    ``to_dict()`` (such as :class:`factaudit.config.Settings`).
    """
    from .. import __version__

    if started_at is None:
        started_at = datetime.now(UTC)
    if isinstance(started_at, datetime):
        started_at = started_at.isoformat(timespec="seconds")
    timings = dict(article.timings)
    if duration_s is None:
        duration_s = round(sum(timings.values()), 6)
    run = RunRecord(
        package_version=__version__,
        started_at=started_at,
        duration_s=float(duration_s),
        stages=list(stages) if stages is not None else list(article.stages_run),
        models=list(models),
        settings=_settings_dict(settings),
        timings=timings,
        python=f"{platform.python_implementation()} {platform.python_version()}",
        platform=f"{platform.system()} {platform.release()} {platform.machine()} ({sys.platform})",
    )
    return Report(article=article, run=run)


def _settings_dict(settings: Any) -> dict[str, Any]:
    if settings is None:
        return {}
    if isinstance(settings, Mapping):
        return dict(settings)
    to_dict = getattr(settings, "to_dict", None)
    if callable(to_dict):
        return dict(to_dict())
    raise TypeError(f"settings must be a mapping or have to_dict(), not {type(settings).__name__}")
