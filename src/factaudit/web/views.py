"""Page rendering for the web app: the audit page (live or exported), and the plain pages.

The audit page extends the static report's template (``report/templates/report.html.j2``) through
:func:`factaudit.report.html.to_html`, so the exported file is the same page without the review
forms: one self-contained HTML file (inline CSS, JS and SVG; a CSP that allows only its own
scripts) that opens offline. Every article-derived value reaches HTML through Jinja2 autoescaping.

The entity–relation map is laid out here as inline SVG (entities on an ellipse, edges as arrows
curved apart when two entities share several relations); an edge takes the most serious verdict
among its claims (refuted, conflicting, not enough evidence, supported, then unchecked), shown by
colour, dash pattern and an icon in its label.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from ..document import CONFLICTING, NOT_ENOUGH_EVIDENCE, REFUTED, SUPPORTED, VERDICT_LABELS, Claim, Report
from ..report._common import confidence_text, title_of, truncate
from ..report.claimreview import effective_label
from ..report.html import csp_hash, html_environment, script_json, to_html
from .storage import ReviewRecord

__all__ = [
    "VERDICTS",
    "csp_for",
    "render_audit_page",
    "render_page",
    "web_environment",
]

#: label → (css suffix, icon, short word); ``None`` is a claim no verifier checked.
VERDICTS: dict[str | None, tuple[str, str, str]] = {
    SUPPORTED: ("supported", "✓", "Supported"),
    REFUTED: ("refuted", "✗", "Refuted"),
    NOT_ENOUGH_EVIDENCE: ("nee", "…", "Not enough evidence"),
    CONFLICTING: ("conflicting", "⇆", "Conflicting"),
    None: ("none", "○", "Not checked"),
}
#: Most serious first: an assertion or an edge with several claims shows the first of these.
SEVERITY = (REFUTED, CONFLICTING, NOT_ENOUGH_EVIDENCE, SUPPORTED, None)
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
    env.globals.update(verdict_style=verdict_style, confidence_text=confidence_text)
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


def verdict_style(label: str | None) -> dict[str, str]:
    css, icon, word = VERDICTS.get(label, VERDICTS[None])
    return {"css": css, "icon": icon, "word": word, "label": label or "NOT CHECKED"}


def _most_serious(labels: Iterable[str | None]) -> str | None:
    found = set(labels)
    for label in SEVERITY:
        if label in found:
            return label
    return None


@dataclass
class ClaimView:
    """A claim as the page shows it: machine and reviewer verdicts side by side."""

    claim: Claim
    review: ReviewRecord | None
    history: list[ReviewRecord]
    label: str | None
    style: dict[str, str]
    machine: dict[str, str]

    @property
    def cw_text(self) -> str:
        c = self.claim
        if c.checkworthiness is None:
            return "check-worthiness not scored"
        worthy = (
            "" if c.check_worthy is None else (", check-worthy" if c.check_worthy else ", below threshold")
        )
        return f"check-worthiness {c.checkworthiness:.2f}{worthy}"

    @property
    def description(self) -> str:
        v = self.claim.verdict
        bits = [
            f"Claim {self.claim.id}: machine verdict "
            + (f"{v.label} ({confidence_text(v.confidence)})" if v else "not checked"),
            self.cw_text,
        ]
        if self.review is not None:
            bits.append(
                f"reviewer {self.review.reviewer}: {self.style['label']}"
                + (", approved" if self.review.approved else ", not approved")
            )
        return "; ".join(bits)


def claim_views(
    report: Report, reviews: Mapping[str, ReviewRecord], history: Mapping[str, list[ReviewRecord]]
) -> dict[str, ClaimView]:
    out = {}
    for c in report.article.claims:
        review = reviews.get(c.id)
        label = effective_label(c, review.to_review() if review else None)
        out[c.id] = ClaimView(
            claim=c,
            review=review,
            history=list(history.get(c.id, [])),
            label=label,
            style=verdict_style(label),
            machine=verdict_style(c.verdict.label if c.verdict else None),
        )
    return out


# ------------------------------------------------------------------------- relation graph


@dataclass
class _Node:
    id: str
    name: str
    type: str
    x: float
    y: float
    anchor: str
    lx: float
    ly: float


def relation_graph(
    report: Report,
    views: Mapping[str, ClaimView],
    *,
    width: int = 760,
    height: int = 440,
    max_nodes: int = 24,
) -> dict[str, Any] | None:
    """Coordinates for the SVG map: nodes on an ellipse, one curved arrow per relation."""
    art = report.article
    if not art.relations:
        return None
    used: list[str] = []
    for r in art.relations:
        for e in (r.source, r.target):
            if e not in used:
                used.append(e)
    used = used[:max_nodes]
    names = {e.id: (truncate(e.name, 28), e.type) for e in art.entities}
    labels = {nid: names.get(nid, (nid.removeprefix("e:"), "entity")) for nid in used}
    half_label = max(7.6 * len(name) for name, _ in labels.values()) / 2
    cx, cy = width / 2, height / 2
    rx, ry = max(90.0, width / 2 - half_label - 12), height / 2 - 60
    nodes: dict[str, _Node] = {}
    for i, nid in enumerate(used):
        angle = 2 * math.pi * i / len(used) - math.pi / 2
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        ly = y - 16 if math.sin(angle) < -0.2 else y + 26
        name, etype = labels[nid]
        nodes[nid] = _Node(nid, name, etype, round(x, 1), round(y, 1), "middle", round(x, 1), round(ly, 1))
    pair_count: dict[frozenset[str], int] = {}
    for r in art.relations:
        pair_count[frozenset((r.source, r.target))] = pair_count.get(frozenset((r.source, r.target)), 0) + 1
    pair_seen: dict[frozenset[str], int] = {}
    edges = []
    for i, r in enumerate(art.relations):
        if r.source not in nodes or r.target not in nodes or r.source == r.target:
            continue
        a, b = nodes[r.source], nodes[r.target]
        key = frozenset((r.source, r.target))
        k, m = pair_seen.get(key, 0), pair_count[key]
        pair_seen[key] = k + 1
        dx, dy = b.x - a.x, b.y - a.y
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        # Curve parallel edges apart; the sign follows a fixed node order so A→B and B→A separate too.
        bend = (k - (m - 1) / 2) * 90 * (1 if r.source < r.target else -1)
        px, py = -uy, ux
        x1, y1 = a.x + ux * 11, a.y + uy * 11
        x2, y2 = b.x - ux * 15, b.y - uy * 15
        qx, qy = (x1 + x2) / 2 + px * bend, (y1 + y2) / 2 + py * bend
        mx, my = 0.25 * x1 + 0.5 * qx + 0.25 * x2, 0.25 * y1 + 0.5 * qy + 0.25 * y2
        label = _most_serious(views[c].label for c in r.claim_ids if c in views)
        style = verdict_style(label)
        text = f"{style['icon']} {truncate(r.relation, 30)}"
        edges.append(
            {
                "id": f"rel-{i}",
                "d": f"M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}",
                "mx": round(mx, 1),
                "my": round(my, 1),
                "text": text,
                "text_w": round(7.2 * len(text) + 10, 1),
                "style": style,
                "relation": r,
                "source": a.name,
                "target": b.name,
                "claims": ", ".join(r.claim_ids) or "no claims",
            }
        )
    return {
        "width": width,
        "height": height,
        "nodes": list(nodes.values()),
        "edges": edges,
        "omitted": max(0, len({e for r in art.relations for e in (r.source, r.target)}) - len(used)),
    }


# ------------------------------------------------------------------------- pages


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
    views = claim_views(report, reviews, history or {})
    by_assertion: dict[str, list[ClaimView]] = {}
    for v in views.values():
        by_assertion.setdefault(v.claim.assertion_id, []).append(v)
    summary = {}
    for aid, vs in by_assertion.items():
        label = _most_serious(v.label for v in vs)
        summary[aid] = {
            "style": verdict_style(label),
            "claims": vs,
            "description": " ".join(v.description + "." for v in vs),
        }
    script = asset("audit.js")
    review_data = {
        cid: {
            "label": r.label,
            "effective": views[cid].label if cid in views else r.label,
            "reviewer": r.reviewer,
            "reviewed_at": r.reviewed_at,
            "note": r.note,
            "approved": r.approved,
            "machine_label": r.machine_label,
        }
        for cid, r in reviews.items()
    }
    extra = {
        "web": {
            "static": static,
            "audit_id": audit_id,
            "reviewer": reviewer,
            "created_at": created_at,
            "approved": sum(1 for r in reviews.values() if r.approved),
        },
        "claim_views": views,
        "ranked_views": [views[c.id] for c in _ranked(report.article.claims)],
        "assertion_claims": summary,
        "graph": relation_graph(report, views),
        "labels": LABELS,
        "verdict_legend": [verdict_style(k) for k in (*LABELS, None)],
        "web_style": Markup(asset("web.css")),
        "web_script": Markup(script),
        "reviews_json": script_json(review_data),
        "page_title": title_of(report.article),
    }
    csp = csp_for([script], forms=not static)
    extra["csp"] = csp_for([script], forms=not static, meta=True)
    return to_html(report, template="audit.html.j2", environment=web_environment(), extra=extra), csp


def _ranked(claims: list[Claim]) -> list[Claim]:
    from ..report._common import ranked_claims

    return ranked_claims(claims)


def render_page(template: str, **context: Any) -> str:
    """One of the plain pages (submit, history, job, login, error)."""
    context.setdefault("style", Markup(html_asset("report.css")))
    context.setdefault("web_style", Markup(asset("web.css")))
    return web_environment().get_template(template).render(context)


@cache
def html_asset(name: str) -> str:
    return resources.files("factaudit.report").joinpath("templates", name).read_text(encoding="utf-8")
