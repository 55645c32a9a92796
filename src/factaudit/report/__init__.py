"""Reports: one audited :class:`~factaudit.document.Report` rendered as text, JSON, Markdown, HTML,
schema.org ClaimReview or W3C Web Annotations.

>>> render(report, "md")        # doctest: +SKIP

Every format is built from the same Report; the JSON form (``schema.json`` documents its shape)
is the contract other tools rely on, the others are views of it.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .._version import __version__
from ..document import Article, ModelInfo, Report, RunRecord
from ..errors import InputError

__all__ = ["FORMATS", "REPORT_FORMATS", "ReportFormat", "build_report", "get_format", "render"]


def _text(report: Report) -> str:
    from .terminal import to_text

    return to_text(report)


def _json(report: Report) -> str:
    from .json_report import to_json

    return to_json(report)


def _markdown(report: Report) -> str:
    from .markdown import to_markdown

    return to_markdown(report)


def _html(report: Report) -> str:
    from .html import to_html

    return to_html(report)


def _claimreview(report: Report) -> str:
    from .claimreview import to_claimreview_json

    return to_claimreview_json(report)  # approved claims only: none without a human review


def _annotations(report: Report) -> str:
    from .annotations import to_annotations_json

    return to_annotations_json(report)


@dataclass(frozen=True)
class ReportFormat:
    """One report format: the name users type, the file extension, the media type, the renderer."""

    name: str
    extension: str
    media_type: str
    description: str
    render: Callable[[Report], str]


#: The one registry of report formats (CLI choices, batch file names, web exports), in CLI order.
REPORT_FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("text", "txt", "text/plain; charset=utf-8", "the terminal view as plain text", _text),
        ReportFormat("json", "json", "application/json", "the JSON report (schema.json)", _json),
        ReportFormat("md", "md", "text/markdown; charset=utf-8", "Markdown", _markdown),
        ReportFormat("html", "html", "text/html; charset=utf-8", "one self-contained HTML page", _html),
        ReportFormat(
            "claimreview",
            "claimreview.jsonld",
            "application/ld+json",
            "schema.org ClaimReview JSON-LD (approved claims only)",
            _claimreview,
        ),
        ReportFormat(
            "annotations",
            "annotations.jsonld",
            "application/ld+json",
            "W3C Web Annotations (JSON-LD)",
            _annotations,
        ),
    )
}
#: The format names, in the order the CLI lists them.
FORMATS: tuple[str, ...] = tuple(REPORT_FORMATS)


def get_format(name: str) -> ReportFormat:
    """The registered format called ``name`` (an InputError naming the choices otherwise)."""
    try:
        return REPORT_FORMATS[name]
    except KeyError:
        raise InputError(f"unknown report format {name!r}; choose one of {', '.join(FORMATS)}") from None


def render(report: Report, fmt: str) -> str:
    """Render ``report`` in ``fmt`` (one of :data:`FORMATS`)."""
    return get_format(fmt).render(report)


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
