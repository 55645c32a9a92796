"""Page rendering for the web app: the audit page (live or exported), and the plain pages.

The audit page extends the static report's template (``report/templates/report.html.j2``) through
:func:`factaudit.report.html.to_html`, so the web page and the exported file are the static report
plus the reviews (and, live, the review forms and export links): the same summary, article chips,
side panel (one renderer, ``report/templates/panel.js``, followed by this app's ``audit.js``), the
same drawn map (``factaudit.report.relation_map``), sources and findings. The exported file is one
self-contained HTML file (inline CSS, JS and SVG; a CSP that allows only its own script) that opens
offline. Every article-derived value reaches HTML through Jinja2 autoescaping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from ..document import VERDICT_LABELS, Report
from ..report._common import VERDICT_STYLES, title_of
from ..report.claimreview import effective_label
from ..report.html import claim_views, csp_hash, html_environment, page_script, to_html
from .storage import ReviewRecord

__all__ = [
    "VERDICTS",
    "csp_for",
    "render_audit_page",
    "render_page",
    "web_environment",
]

#: label → (css suffix, icon, short word): the reports' one table (``report._common.VERDICT_STYLES``).
VERDICTS = VERDICT_STYLES
LABELS = VERDICT_LABELS


@cache
def web_environment() -> jinja2.Environment:
    """The report templates' environment, also finding the web app's templates (its own first)."""
    base = html_environment()
    env = base.overlay(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("factaudit.web", "templates"),
                jinja2.PackageLoader("factaudit.report", "templates"),
            ]
        )
    )
    return env


def _asset(name: str) -> str:
    return resources.files("factaudit.web").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def asset(name: str) -> str:
    """An inline asset (CSS or JS) from the web templates folder."""
    return _asset(name)


def script_hash(script: str) -> str:
    """``script``'s CSP source, quoted for a policy header."""
    return f"'{csp_hash(script)}'"


def csp_for(scripts: Iterable[str] = (), *, forms: bool = True, meta: bool = False) -> str:
    """A Content-Security-Policy allowing only the given inline scripts (no network, no frames).

    ``meta``: the ``<meta>`` form, without ``frame-ancestors`` (which only works as a header).
    """
    hashes = " ".join(script_hash(s) for s in scripts)
    parts = [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        f"script-src {hashes}" if hashes else "script-src 'none'",
        "img-src data:",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'self'" if forms else "form-action 'none'",
    ]
    if not meta:
        parts.append("frame-ancestors 'none'")
    return "; ".join(parts)


def render_audit_page(
    report: Report,
    *,
    audit_id: str,
    reviews: Mapping[str, ReviewRecord] | None = None,
    history: Mapping[str, list[ReviewRecord]] | None = None,
    static: bool = False,
    reviewer: str | None = None,
    created_at: str | None = None,
) -> tuple[str, str]:
    """The audit page (``static``: the exported, offline file without forms) and its CSP."""
    reviews = reviews or {}
    art = report.article
    by_id = {c.id: c for c in art.claims}
    reviewed = {
        cid: (effective_label(by_id[cid], r.to_review()), r) for cid, r in reviews.items() if cid in by_id
    }
    views = claim_views(art, reviewed, history or {})
    review_data = {
        cid: {
            "label": r.label,
            "reviewer": r.reviewer,
            "reviewed_at": r.reviewed_at,
            "note": r.note,
            "approved": r.approved,
            "machine_label": r.machine_label,
        }
        for cid, r in reviews.items()
    }
    script = page_script(asset("audit.js"))
    extra = {
        "web": {
            "static": static,
            "audit_id": audit_id,
            "reviewer": reviewer,
            "created_at": created_at,
            "approved": sum(1 for r in reviews.values() if r.approved),
        },
        "claim_review_template": "claim_review.html.j2" if static else "review_form.html.j2",
        "web_style": Markup(asset("web.css")),
        "page_title": title_of(art),
    }
    csp = csp_for([script], forms=not static)
    extra["csp"] = csp_for([script], forms=not static, meta=True)
    page = to_html(
        report,
        template="audit.html.j2",
        environment=web_environment(),
        extra=extra,
        views=views,
        reviews=review_data,
        script=script,
    )
    return page, csp


def render_page(template: str, **context: Any) -> str:
    """One of the plain pages (submit, history, job, login, error)."""
    context.setdefault("style", Markup(html_asset("report.css")))
    context.setdefault("web_style", Markup(asset("web.css")))
    return web_environment().get_template(template).render(context)


@cache
def html_asset(name: str) -> str:
    return resources.files("factaudit.report").joinpath("templates", name).read_text(encoding="utf-8")
