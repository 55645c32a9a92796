"""The corpus view (``/corpus``): every stored audit merged (:func:`factaudit.corpus.aggregate`),
filtered by entity, relation, verdict, outlet and date range.

The page is server-rendered and needs no script: the relation map is inline SVG whose edges are
links (``?edge=r3``) that open the panel listing every article and claim behind the edge, with
holder, hedges, verdict, outlet and date; the filters are a GET form. The same HTML, without the
form and the site navigation, is what ``factaudit corpus -f html`` writes.

The aggregate is cached per store state (number of audits and the newest one), so the page is
re-aggregated only after new audits arrive.

The map is laid out here (entities on an ellipse, most-asserted first) until the report package's
shared map renderer can draw it.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ..corpus import Corpus, StoreSource, aggregate
from ..corpus.findings import voices
from ..corpus.query import NOT_CHECKED, CorpusFilter, filter_corpus
from ..document import VERDICT_LABELS
from ..report._common import most_serious, truncate, verdict_style
from .deps import State, page_context
from .views import asset, csp_for, html_asset, render_page, web_environment

__all__ = ["corpus_graph", "corpus_pages", "render_corpus_export", "render_corpus_page"]

corpus_pages = APIRouter(include_in_schema=False)

#: The map shows at most this many entities and edges (most-asserted first); the tables show all.
MAX_NODES = 24
MAX_EDGES = 40


@dataclass
class _Node:
    id: str
    name: str
    type: str
    x: float
    y: float
    ly: float


def corpus_graph(
    corpus: Corpus, *, base_query: str = "", width: int = 900, height: int = 560
) -> dict[str, Any]:
    """Coordinates for the SVG map of the (filtered) corpus's most-asserted relations."""
    names = {e.id: (e.name, e.type) for e in corpus.entities}
    edges_in = corpus.relations[:MAX_EDGES]
    weight: Counter[str] = Counter()
    for r in edges_in:
        weight[r.source] += len(r.articles)
        weight[r.target] += len(r.articles)
    used = [nid for nid, _ in weight.most_common(MAX_NODES)]
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - 130, height / 2 - 60
    nodes: dict[str, _Node] = {}
    for i, nid in enumerate(used):
        angle = 2 * math.pi * i / max(len(used), 1) - math.pi / 2
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        name, etype = names.get(nid, (nid.split(":", 1)[-1], "entity"))
        nodes[nid] = _Node(
            nid,
            truncate(name, 26),
            etype,
            round(x, 1),
            round(y, 1),
            round(y - 14 if math.sin(angle) < -0.2 else y + 24, 1),
        )
    edges = []
    pair_seen: Counter[frozenset[str]] = Counter()
    sep = "&" if base_query else ""
    for r in edges_in:
        if r.source not in nodes or r.target not in nodes:
            continue
        a, b = nodes[r.source], nodes[r.target]
        key = frozenset((r.source, r.target))
        k = pair_seen[key]
        pair_seen[key] += 1
        dx, dy = b.x - a.x, b.y - a.y
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        bend = (k + 1) * 28 * (1 if r.source < r.target else -1)
        x1, y1, x2, y2 = a.x + ux * 10, a.y + uy * 10, b.x - ux * 14, b.y - uy * 14
        qx, qy = (x1 + x2) / 2 - uy * bend, (y1 + y2) / 2 + ux * bend
        mx, my = 0.25 * x1 + 0.5 * qx + 0.25 * x2, 0.25 * y1 + 0.5 * qy + 0.25 * y2
        style = verdict_style(most_serious({c.verdict for c in r.claims}))
        n = len(r.articles)
        edges.append(
            {
                "id": r.id,
                "d": f"M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}",
                "mx": round(mx, 1),
                "my": round(my, 1),
                "text": f"{style['icon']} {truncate(r.relation, 22)} ({n})",
                "width": min(6.0, 1.0 + math.log2(n + 1)),
                "style": style,
                "href": f"?{base_query}{sep}edge={r.id}#edge-panel",
                "label": f"{a.name} {r.relation} {b.name}: {n} article{'s' if n != 1 else ''}, "
                f"{voices(r.claims)[0]}",
            }
        )
    return {
        "width": width,
        "height": height,
        "nodes": list(nodes.values()),
        "edges": edges,
        "omitted": max(0, len(corpus.relations) - len(edges)),
    }


def _context(corpus: Corpus, shown: Corpus, f: CorpusFilter, edge_id: str, static: bool) -> dict[str, Any]:
    from urllib.parse import urlencode

    query = {
        k: v
        for k, v in (
            ("entity", f.entity),
            ("relation", f.relation),
            ("verdict", f.verdict),
            ("outlet", f.outlet),
            ("from", f.date_from),
            ("to", f.date_to),
        )
        if v
    }
    base = urlencode(query)
    titles = {a.id: a for a in corpus.articles}
    edge = next((r for r in shown.relations if r.id == edge_id), None) if edge_id else None
    return {
        "corpus": shown,
        "full": corpus,
        "filter": f,
        "names": {e.id: e.name for e in corpus.entities},
        "articles": titles,
        "graph": corpus_graph(shown, base_query=base),
        "edge": edge,
        "edge_id": edge_id,
        "voices": lambda claims: voices(claims)[0],
        "verdict_options": [*VERDICT_LABELS, NOT_CHECKED],
        "outlet_options": [o.outlet for o in corpus.outlets],
        "static": static,
        "base_query": base,
        "share": lambda x: "–" if x is None else f"{x:.0%}",
        "cut": truncate,
    }


def render_corpus_export(corpus: Corpus) -> str:
    """One self-contained HTML file (no script, no network) of the whole corpus."""
    env = web_environment()
    ctx = _context(corpus, corpus, CorpusFilter(), "", True)
    ctx.update(style=Markup(html_asset("report.css")), csp=csp_for(forms=False, meta=True))
    ctx["web_style"] = Markup(asset("web.css"))
    return env.get_template("corpus_export.html.j2").render(ctx)


def render_corpus_page(corpus: Corpus, f: CorpusFilter, edge_id: str = "", **page: Any) -> str:
    shown = filter_corpus(corpus, f)
    return render_page("corpus.html.j2", **_context(corpus, shown, f, edge_id, False), **page)


# ------------------------------------------------------------------------------ the route

_LOCK = threading.Lock()


def _store_corpus(request: Request, st: Any) -> Corpus | None:
    """The aggregate of every stored audit, rebuilt only when the store has changed."""
    items, total = st.store.list_audits("", 1, 0)
    if not total:
        return None
    key = (total, items[0].id if items else "")
    with _LOCK:
        cached = getattr(request.app.state, "corpus_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        source = StoreSource(st.store, with_ids=True)
        corpus = aggregate(source)
        corpus.run.skipped.extend(source.skipped)
        request.app.state.corpus_cache = (key, corpus)
        return corpus


@corpus_pages.get("/corpus")
def corpus_page(
    request: Request,
    st: State,
    entity: Annotated[str, Query(max_length=200)] = "",
    relation: Annotated[str, Query(max_length=200)] = "",
    verdict: Annotated[str, Query(max_length=40)] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    edge: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    corpus = _store_corpus(request, st)
    f = CorpusFilter(entity.strip(), relation.strip(), verdict, outlet, date_from, date_to)
    if corpus is None:
        html = render_page("corpus.html.j2", corpus=None, **page_context(request))
    else:
        html = render_corpus_page(corpus, f, edge, **page_context(request))
    return HTMLResponse(html, headers={"Content-Security-Policy": csp_for()})
