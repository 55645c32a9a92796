"""The one entity–relation map renderer (report/relation_map.py): edge list, layout, SVG."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from factaudit.document import Article, Entity, Relation
from factaudit.report.relation_map import MAX_NODES, edge_text, edges, layout, render_svg

from .builders import HOSTILE_NAMES, article_with_claims, article_with_map


def _relations_article(pairs: list[tuple[int, int]], names: list[str] | None = None) -> Article:
    art = article_with_claims(4)
    used = sorted({n for p in pairs for n in p})
    for n in used:
        name = names[n % len(names)] if names else f"Org {n}"
        art.entities.append(Entity(id=f"e{n}", name=name, type="organisation"))
    for k, (a, b) in enumerate(pairs):
        art.relations.append(
            Relation(source=f"e{a}", target=f"e{b}", relation="works with", claim_ids=[f"c{k % 4}"])
        )
    return art


def test_edges_are_listed_once_with_risks_and_benefits_summarised_by_who_claims_them() -> None:
    art = article_with_map(4)
    dup = art.relations[0]
    art.relations.append(
        Relation(
            source=dup.source,
            target=dup.target,
            relation=dup.relation,
            claim_ids=["c3"],
            holder="critics",
            risks=list(dup.risks),
            benefits=[art.claims[0].text],
        )
    )
    es = edges(art)
    assert len(es) == len(art.relations) - 1  # the repeated edge is merged
    first = es[0]
    assert first.claim_ids == [*dup.claim_ids, "c3"] and first.holders == ["the author", "critics"]
    assert first.risks == [("critics", 1)] and first.benefits == [("the author", 1)]
    text = edge_text(first)
    assert text.startswith(
        "Entity 0 —partners with→ Entity 1 · claims c1, c3 · stated by the author, critics"
    )
    assert "1 risk (1 by critics)" in text and "1 benefit (1 by the author)" in text
    # the most serious verdict among the edge's claims: c1 is REFUTED, c3 CONFLICTING
    assert first.label == "REFUTED"
    assert edges(art, {"c1": "SUPPORTED", "c3": "SUPPORTED"})[0].label == "SUPPORTED"  # reviewed labels win


def test_the_seed_like_star_is_drawn_with_a_hub_and_no_overlapping_labels() -> None:
    m = layout(article_with_map(6))
    assert m is not None and m.drawable and m.reason is None
    assert len(m.drawn) == 5
    boxes = m.boxes()
    assert all(b.inside(m.width, m.height) for b in boxes)
    assert not any(a.hits(b, pad=0) for a, b in itertools.combinations(boxes, 2))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, MAX_NODES - 1), st.integers(0, MAX_NODES - 1)).filter(
            lambda t: t[0] != t[1]
        ),
        min_size=1,
        max_size=16,
    ),
    st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=5),
)
def test_a_drawn_map_never_overlaps_labels_and_else_says_why(
    pairs: list[tuple[int, int]], names: list[str]
) -> None:
    m = layout(_relations_article(pairs, names))
    assert m is not None
    if m.drawable:
        boxes = m.boxes()
        assert all(b.inside(m.width, m.height) for b in boxes)
        assert not any(a.hits(b, pad=0) for a, b in itertools.combinations(boxes, 2))
        assert len(m.drawn) == len({(a, b) for a, b in pairs})
    else:
        assert m.reason and "listed instead" in m.reason
    assert len(m.edges) == len({(a, b) for a, b in pairs})  # the list always has every edge, once


def test_a_30_node_map_degrades_to_the_list() -> None:
    art = article_with_map(30)
    m = layout(art)
    assert m is not None and not m.drawable
    assert m.reason is not None and "30 entities" in m.reason
    assert len(m.edges) == 29 and render_svg(m) == ""
    assert layout(article_with_claims(3)) is None  # no relations: no map at all


class _SVG(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_svg_escapes_hostile_and_right_to_left_names_and_loads_nothing() -> None:
    art = article_with_map(5, names=HOSTILE_NAMES)
    m = layout(art)
    assert m is not None and m.drawable
    svg = str(render_svg(m))
    assert "<script" not in svg and "<img" not in svg and "onerror=" not in svg.replace("onerror=alert", "")
    parser = _SVG()
    parser.feed(svg)
    assert {t for t, _ in parser.tags} <= {
        "svg",
        "title",
        "desc",
        "defs",
        "marker",
        "path",
        "g",
        "rect",
        "text",
        "circle",
        "polygon",
    }
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    assert not any({"href", "src", "xlink:href"} & set(a) for _, a in parser.tags)  # nothing to load
    shown = "".join(parser.text)
    assert "وزارة الخارجية" in shown and "<script>" in shown  # shown as text, escaped in the markup
    rtl = [a for t, a in parser.tags if t == "text" and a.get("class") == "node-label"]
    assert rtl and all(a.get("unicode-bidi") == "plaintext" for a in rtl)
    edges_ = [a for t, a in parser.tags if t == "g" and "data-relation" in a]
    assert len(edges_) == len(m.drawn)
    assert all(a["tabindex"] == "0" and a["role"] == "button" and a["aria-label"] for a in edges_)
