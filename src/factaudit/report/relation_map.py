"""The one entity–relation map renderer: a compact edge list (Markdown, terminal, HTML) and a drawn,
self-contained SVG (the static HTML report and the web audit page).

:func:`edges` merges relations with the same ends and label (each edge once) and summarises their
risks and benefits by who claims them. :func:`layout` places the nodes (a hub in the middle when one
entity takes part in most relations, the others on an ellipse in neighbour order), then every label:
node labels outward from the centre, edge labels at the first of several positions along the edge
that overlaps no other label and no node. When a label cannot be placed, or the map has more than
:data:`MAX_NODES` entities or :data:`MAX_EDGES` edges, there is no drawing (``layout`` returns a
:class:`MapLayout` whose ``reason`` says why) and the pages show the list alone.
:func:`render_svg` writes the SVG with every name escaped; each edge is a focusable button
(``data-relation``) the page script opens in the side panel with the claims behind it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..document import Article
from ._common import VERDICT_STYLES, most_serious, truncate, verdict_style

__all__ = [
    "MAX_EDGES",
    "MAX_NODES",
    "NODE_KINDS",
    "Edge",
    "MapLayout",
    "clean_name",
    "edge_text",
    "edges",
    "isolate",
    "layout",
    "render_svg",
]

#: Beyond these the drawing is not legible: the map degrades to the list.
MAX_NODES = 14
MAX_EDGES = 22
#: Node kind → (shape, legend word). Kinds are told apart by shape as well as colour.
NODE_KINDS: dict[str, tuple[str, str]] = {
    "person": ("circle", "person"),
    "organisation": ("square", "organisation"),
    "country": ("diamond", "country or place"),
    "group": ("triangle", "group"),
    "other": ("hexagon", "other entity"),
}
_CHAR_W = 7.4  # px per character of a 13px bold label (estimate; labels are padded)
_LABEL_H = 18.0
_NAME_LIMIT = 28
_EDGE_LIMIT = 30


@dataclass
class Edge:
    """One drawn edge: relations with the same source, label and target merged."""

    index: int
    source: str
    target: str
    source_name: str
    target_name: str
    relation: str
    claim_ids: list[str]
    holders: list[str]
    #: ``(who, count)`` per claimed risk / benefit, most frequent first.
    risks: list[tuple[str, int]] = field(default_factory=list)
    benefits: list[tuple[str, int]] = field(default_factory=list)
    risk_texts: list[str] = field(default_factory=list)
    benefit_texts: list[str] = field(default_factory=list)
    #: Most serious verdict among its claims (None: none checked).
    label: str | None = None


#: Explicit bidi embeddings, overrides and isolates: an entity name cannot reorder the text around it.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_name(name: str) -> str:
    """An entity name for display: bidi control characters removed, whitespace collapsed."""
    return " ".join(_BIDI_CONTROLS.sub("", name).split()) or "(unnamed)"


def isolate(name: str) -> str:
    """``name`` in a first-strong bidi isolate when it holds right-to-left letters, so a Hebrew or
    Arabic name keeps its place (and the arrow its direction) in a left-to-right line."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in name):
        return f"\u2068{name}\u2069"
    return name


def _who_counts(notes: list[str], who_of: Mapping[str, str]) -> list[tuple[str, int]]:
    def who(note: str) -> str:
        if note in who_of:
            return who_of[note]
        head, sep, _ = note.partition(": ")  # "critics: <claim>", as the relations stage writes it
        return head if sep and len(head) <= 60 else "the author"

    return Counter(who(n) for n in notes).most_common()


def _who_of(article: Article) -> dict[str, str]:
    """A risk or benefit note (as the relations stage writes it) → who claims it."""
    holders = {a.id: a.holder for a in article.assertions}
    out: dict[str, str] = {}
    for c in article.claims:
        h = holders.get(c.assertion_id)
        if h is None:
            continue
        if h.kind == "author":
            out[c.text] = "the author"
        else:
            out[f"{h.name}: {c.text}"] = "no one (agentless)" if h.kind == "agentless" else h.name
    return out


def edges(article: Article, labels: Mapping[str, str | None] | None = None) -> list[Edge]:
    """Each edge once (relations with the same ends and label merged), in the article's order.

    ``labels``: claim id → the verdict label to show (the web page passes reviewed labels);
    default: each claim's machine verdict.
    """
    if labels is None:
        labels = {c.id: c.verdict.label if c.verdict else None for c in article.claims}
    names = {e.id: e.name for e in article.entities}
    who_of = _who_of(article)
    merged: dict[tuple[str, str, str], Edge] = {}
    notes: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for r in article.relations:
        key = (r.source, r.relation, r.target)
        if key not in merged:
            merged[key] = Edge(
                index=len(merged),
                source=r.source,
                target=r.target,
                source_name=clean_name(names.get(r.source, r.source.removeprefix("e:"))),
                target_name=clean_name(names.get(r.target, r.target.removeprefix("e:"))),
                relation=r.relation,
                claim_ids=[],
                holders=[],
            )
            notes[key] = ([], [])
        e = merged[key]
        e.claim_ids.extend(c for c in r.claim_ids if c not in e.claim_ids)
        if r.holder and r.holder not in e.holders:
            e.holders.append(r.holder)
        risks, benefits = notes[key]
        risks.extend(x for x in r.risks if x not in risks)
        benefits.extend(x for x in r.benefits if x not in benefits)
    for key, e in merged.items():
        risks, benefits = notes[key]
        e.risk_texts, e.benefit_texts = risks, benefits
        e.risks, e.benefits = _who_counts(risks, who_of), _who_counts(benefits, who_of)
        e.label = most_serious(labels.get(c) for c in e.claim_ids if c in labels)
    return list(merged.values())


def _counted(what: str, items: list[tuple[str, int]]) -> str:
    total = sum(n for _, n in items)
    word = what if total == 1 else what + "s"
    return f"{total} {word} (" + ", ".join(f"{n} by {who}" for who, n in items) + ")"


def edge_text(edge: Edge) -> str:
    """``"Elon Musk —partners with→ Russia · claims c8, c15 · stated by the author · 4 risks (2 by
    critics, 2 by the author) · 1 benefit (1 by supporters)"``."""
    bits = [f"{isolate(edge.source_name)} —{edge.relation}→ {isolate(edge.target_name)}"]
    bits.append("claims " + ", ".join(edge.claim_ids) if edge.claim_ids else "no claims")
    if edge.holders:
        bits.append("stated by " + ", ".join(edge.holders))
    if edge.risks:
        bits.append(_counted("risk", edge.risks))
    if edge.benefits:
        bits.append(_counted("benefit", edge.benefits))
    return " · ".join(bits)


# ------------------------------------------------------------------------------------------ layout


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    def hits(self, other: Box, pad: float = 3.0) -> bool:
        return not (
            self.x + self.w + pad <= other.x
            or other.x + other.w + pad <= self.x
            or self.y + self.h + pad <= other.y
            or other.y + other.h + pad <= self.y
        )

    def inside(self, width: float, height: float) -> bool:
        return self.x >= 2 and self.y >= 2 and self.x + self.w <= width - 2 and self.y + self.h <= height - 2


@dataclass
class Node:
    id: str
    name: str
    kind: str
    x: float
    y: float
    label: Box
    anchor: str = "middle"


@dataclass
class DrawnEdge:
    edge: Edge
    d: str
    label: Box
    text: str


@dataclass
class MapLayout:
    """Where everything goes; ``nodes`` empty and ``reason`` set when the map is not drawn."""

    width: int
    height: int
    edges: list[Edge]
    nodes: list[Node] = field(default_factory=list)
    drawn: list[DrawnEdge] = field(default_factory=list)
    reason: str | None = None

    @property
    def drawable(self) -> bool:
        return bool(self.nodes)

    def boxes(self) -> list[Box]:
        """Every label's box (node labels, then edge labels): they never overlap."""
        return [n.label for n in self.nodes] + [d.label for d in self.drawn]


def _kind(entity_type: str) -> str:
    t = entity_type.lower()
    if t in NODE_KINDS:
        return t
    return {"org": "organisation", "gpe": "country", "loc": "country", "norp": "group"}.get(t, "other")


def _ring_order(ids: list[str], adjacent: dict[str, set[str]]) -> list[str]:
    """Neighbours next to each other on the ring (a greedy walk), so few edges cross the middle."""
    left, order = list(ids), []
    while left:
        cur = left.pop(0)
        order.append(cur)
        while True:
            nxt = next((n for n in left if n in adjacent[cur]), None)
            if nxt is None:
                break
            left.remove(nxt)
            order.append(nxt)
            cur = nxt
    return order


def _node_label(x: float, y: float, name: str, cx: float, cy: float, hub: bool) -> tuple[Box, str]:
    w = _CHAR_W * len(name) + 6
    if hub:
        return Box(x - w / 2, y + 16, w, _LABEL_H), "middle"
    dx, dy = x - cx, y - cy
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    if ux > 0.45:
        return Box(x + 14, y - _LABEL_H / 2, w, _LABEL_H), "start"
    if ux < -0.45:
        return Box(x - 14 - w, y - _LABEL_H / 2, w, _LABEL_H), "end"
    if uy < 0:
        return Box(x - w / 2, y - 16 - _LABEL_H, w, _LABEL_H), "middle"
    return Box(x - w / 2, y + 16, w, _LABEL_H), "middle"


def _bezier(
    p0: tuple[float, float], q: tuple[float, float], p2: tuple[float, float], t: float
) -> tuple[float, float]:
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
    return a * p0[0] + b * q[0] + c * p2[0], a * p0[1] + b * q[1] + c * p2[1]


def layout(
    article: Article,
    labels: Mapping[str, str | None] | None = None,
    *,
    width: int = 760,
    height: int = 400,
) -> MapLayout | None:
    """The map's layout (None: the article draws no relations); see the module docstring."""
    es = edges(article, labels)
    if not es:
        return None
    out = MapLayout(width=width, height=height, edges=es)
    degree: Counter[str] = Counter()
    adjacent: dict[str, set[str]] = {}
    for e in es:
        if e.source == e.target:
            continue
        degree[e.source] += 1
        degree[e.target] += 1
        adjacent.setdefault(e.source, set()).add(e.target)
        adjacent.setdefault(e.target, set()).add(e.source)
    ids = [n for n, _ in sorted(degree.items(), key=lambda kv: -kv[1])]
    if len(ids) > MAX_NODES or len(es) > MAX_EDGES:
        out.reason = (
            f"{len(ids)} entities and {len(es)} relations are more than the map draws legibly "
            f"({MAX_NODES} entities, {MAX_EDGES} relations): they are listed instead"
        )
        return out
    if not ids:
        out.reason = "every relation joins an entity to itself: they are listed instead"
        return out
    if len(ids) <= 3:  # a small map needs no tall canvas
        height = out.height = min(height, 260)
    names = {e.id: (e.name, e.type) for e in article.entities}
    cx, cy = width / 2, height / 2
    hub = ids[0] if len(ids) >= 4 and degree[ids[0]] >= max(3, (len(ids) - 1) // 2) else None
    ring = _ring_order([n for n in ids if n != hub], adjacent)
    shown = {n: truncate(clean_name(names.get(n, (n.removeprefix("e:"), ""))[0]), _NAME_LIMIT) for n in ids}
    widest = max(_CHAR_W * len(s) + 20 for s in shown.values())
    rx = max(130.0, width / 2 - widest - 16)
    ry = height / 2 - 44
    nodes: dict[str, Node] = {}
    if hub is not None:
        box, anchor = _node_label(cx, cy, shown[hub], cx, cy, True)
        nodes[hub] = Node(hub, shown[hub], _kind(names.get(hub, ("", "other"))[1]), cx, cy, box, anchor)
    for i, nid in enumerate(ring):
        angle = 2 * math.pi * i / len(ring) - math.pi / 2 + (math.pi / len(ring) if hub else 0)
        x, y = round(cx + rx * math.cos(angle), 1), round(cy + ry * math.sin(angle), 1)
        box, anchor = _node_label(x, y, shown[nid], cx, cy, False)
        nodes[nid] = Node(nid, shown[nid], _kind(names.get(nid, ("", "other"))[1]), x, y, box, anchor)
    placed: list[Box] = []
    for n in nodes.values():
        if not n.label.inside(width, height) or any(n.label.hits(b) for b in placed):
            out.reason = (
                f"the entity names do not fit without overlapping ({n.name}): they are listed instead"
            )
            return out
        placed.append(n.label)
    dots = [Box(n.x - 11, n.y - 11, 22, 22) for n in nodes.values()]
    pair_total = Counter(frozenset((e.source, e.target)) for e in es)
    pair_seen: Counter[frozenset[str]] = Counter()
    drawn: list[DrawnEdge] = []
    for e in es:
        if e.source == e.target:
            continue
        a, b = nodes[e.source], nodes[e.target]
        key = frozenset((e.source, e.target))
        k, m = pair_seen[key], pair_total[key]
        pair_seen[key] += 1
        dx, dy = b.x - a.x, b.y - a.y
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        bend = (k - (m - 1) / 2) * 80 * (1 if e.source < e.target else -1)
        p0 = (a.x + ux * 12, a.y + uy * 12)
        p2 = (b.x - ux * 16, b.y - uy * 16)
        q = ((p0[0] + p2[0]) / 2 - uy * bend, (p0[1] + p2[1]) / 2 + ux * bend)
        style = verdict_style(e.label)
        text = f"{style['icon']} {truncate(e.relation, _EDGE_LIMIT)}"
        w = 6.9 * len(text) + 12
        spot: Box | None = None
        for t in (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75):
            px, py = _bezier(p0, q, p2, t)
            for off in (0.0, 14.0, -14.0, 26.0, -26.0):
                cand = Box(px - uy * off - w / 2, py + ux * off - _LABEL_H / 2, w, _LABEL_H)
                if cand.inside(width, height) and not any(cand.hits(o) for o in placed + dots):
                    spot = cand
                    break
            if spot is not None:
                break
        if spot is None:
            out.reason = (
                f"the relation labels do not fit without overlapping ({e.source_name} —{e.relation}→ "
                f"{e.target_name}): they are listed instead"
            )
            return out
        placed.append(spot)
        d = f"M{p0[0]:.1f},{p0[1]:.1f} Q{q[0]:.1f},{q[1]:.1f} {p2[0]:.1f},{p2[1]:.1f}"
        drawn.append(DrawnEdge(e, d, spot, text))
    out.nodes, out.drawn = list(nodes.values()), drawn
    return out


# ------------------------------------------------------------------------------------------ SVG


def _shape(kind: str, x: float, y: float) -> str:
    shape = NODE_KINDS.get(kind, NODE_KINDS["other"])[0]
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9"/>'
    if shape == "square":
        return f'<rect x="{x - 8:.1f}" y="{y - 8:.1f}" width="16" height="16" rx="2"/>'
    if shape == "diamond":
        return (
            f'<path d="M{x:.1f},{y - 10:.1f} L{x + 10:.1f},{y:.1f} L{x:.1f},{y + 10:.1f} '
            f'L{x - 10:.1f},{y:.1f} z"/>'
        )
    if shape == "triangle":
        return f'<path d="M{x:.1f},{y - 10:.1f} L{x + 10:.1f},{y + 8:.1f} L{x - 10:.1f},{y + 8:.1f} z"/>'
    pts = " ".join(
        f"{x + 9 * math.cos(math.pi / 3 * i):.1f},{y + 9 * math.sin(math.pi / 3 * i):.1f}" for i in range(6)
    )
    return f'<polygon points="{pts}"/>'


def legend_shape(kind: str) -> Markup:
    """A node kind's shape as a small inline SVG (for the legend)."""
    return Markup(
        f'<svg class="node node-{escape(kind)}" width="22" height="22" viewBox="0 0 22 22" aria-hidden="true"'
        f' focusable="false">{_shape(kind, 11, 12)}</svg>'
    )


def render_svg(m: MapLayout) -> Markup:
    """The drawn map as inline SVG (empty when ``m`` is not drawable). Every name is escaped."""
    if not m.drawable:
        return Markup("")
    out = [
        f'<svg class="relation-map" role="group" aria-labelledby="map-title map-desc" viewBox="0 0 {m.width}'
        f' {m.height}" width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        '<title id="map-title">Entity–relation map</title>',
        f'<desc id="map-desc">{len(m.nodes)} entities and {len(m.drawn)} relations; select a relation to '
        "see the claims behind it. Every relation is also listed below the map.</desc>",
        "<defs>",
    ]
    for css, _, _ in VERDICT_STYLES.values():
        out.append(
            f'<marker id="arrow-{css}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse"'
            f' markerWidth="12" markerHeight="12" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"'
            f' class="arrow v-{css}"/></marker>'
        )
    out.append("</defs>")
    for n in m.nodes:
        out.append(f'<g class="node node-{n.kind}" aria-hidden="true">{_shape(n.kind, n.x, n.y)}</g>')
    for d in m.drawn:
        e, style = d.edge, verdict_style(d.edge.label)
        claims = ", ".join(e.claim_ids) or "no claims"
        name = f"{e.source_name} {e.relation} {e.target_name}: {style['word']} (claims {claims})"
        b = d.label
        out.append(
            f'<g class="edge v-{style["css"]}" id="rel-{e.index}" data-relation="{e.index}" tabindex="0"'
            f' role="button" aria-label="{escape(name)}">'
            f'<path class="hit" d="{d.d}"/>'
            f'<path class="line" d="{d.d}" marker-end="url(#arrow-{style["css"]})"/>'
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="4"/>'
            f'<text x="{b.x + b.w / 2:.1f}" y="{b.y + 13:.1f}" text-anchor="middle">'
            f"{escape(d.text)}</text></g>"
        )
    for n in m.nodes:
        b = n.label
        x = {"start": b.x + 3, "end": b.x + b.w - 3}.get(n.anchor, b.x + b.w / 2)
        out.append(
            f'<text class="node-label" x="{x:.1f}" y="{b.y + 13:.1f}" text-anchor="{n.anchor}"'
            f' direction="ltr" unicode-bidi="plaintext" aria-hidden="true">{escape(n.name)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))
