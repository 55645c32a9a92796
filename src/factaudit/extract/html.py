"""HTML → main text with links and page metadata: trafilatura (boilerplate removed, links kept),
the reference lists it drops put back, huge pages cut and over-deep markup flattened first, and the
page's visible text when trafilatura finds no article."""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..config import MAX_HTML_CHARS, MAX_HTML_ELEMENTS
from ..document import Link
from ..errors import EmptyInputError
from ._quiet import quiet
from .text import TextBuilder, normalize_text

__all__ = [
    "FAST_HTML_CHARS",
    "FLATTEN_HTML_DEPTH",
    "LIBXML2_MAX_DEPTH",
    "at_parser_depth_limit",
    "flatten_deep_html",
    "html_to_text",
]

_STRIP_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
               "canvas", "frameset", "frame")
_REFERENCE_HEADING = re.compile(
    r"^\s*(?:sources?|references?|further reading|bibliography|citations?|works cited|notes)\s*:?\s*$",
    re.I,
)
_BOILERPLATE_ANCESTORS = {"nav", "aside", "footer", "header", "form", "menu"}
#: trafilatura's output tags: blocks get a blank line around them, list items and rows a line.
_XML_BLOCKS = {"body", "doc", "main", "head", "p", "list", "quote", "table", "div", "section", "article",
               "pre", "blockquote"}
_XML_LINES = {"item", "row"}
_HTML_BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
                "blockquote", "pre"}
_HTML_LINES = {"li", "tr", "br"}
#: Above this much visible text trafilatura runs without its fallback extractors (:func:`html_to_text`).
FAST_HTML_CHARS = 1_000_000
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


def _walk(
    root: Any,
    builder: TextBuilder,
    *,
    link_tag: str,
    link_attr: str,
    blocks: set[str],
    lines: set[str],
    base_url: str | None,
) -> None:
    """Emit an element tree's text into ``builder`` without recursion (pages nest deeply)."""
    from lxml import etree

    ordered: list[int] = []  # item counters of enclosing ordered lists (-1: unordered)
    pre = 0  # depth inside <pre>/<code> blocks, where whitespace is kept

    def emit(s: str | None) -> None:
        # HTML whitespace (source indentation, newlines) collapses to one space; structure alone
        # makes line breaks.
        if s and not pre:
            s = _HTML_SPACE.sub(" ", s)
            if builder.at_line_start():
                s = s.lstrip(" ")
        builder.text(s)

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if tag in ("pre", "code"):
                pre += 1
            if tag in ("list", "ul", "ol"):
                is_ol = tag == "ol" or el.get("rend") == "ol"
                ordered.append(0 if is_ol else -1)
            if tag in blocks:
                builder.block()
            elif tag in lines:
                builder.line()
                if tag in ("item", "li"):
                    if ordered and ordered[-1] >= 0:
                        ordered[-1] += 1
                        builder.text(f"{ordered[-1]}. ")
                    else:
                        builder.text("- ")
            elif tag in ("lb", "br"):
                builder.line()
            elif tag in ("cell", "td", "th"):
                builder.text(" ")
            if tag == link_tag:
                builder.open_link(_clean_url(el.get(link_attr), base_url))
            emit(el.text)
        else:
            if tag in ("pre", "code"):
                pre -= 1
            if tag == link_tag:
                builder.close_link()
            if tag in ("list", "ul", "ol") and ordered:
                ordered.pop()
            if tag in blocks:
                builder.block()
            elif tag in lines:
                builder.line()
            if el is not root:
                emit(el.tail)


def _clean_url(url: str | None, base_url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    with contextlib.suppress(ValueError):
        if base_url:
            url = urljoin(base_url, url)
        scheme = urlsplit(url).scheme.lower()
        if scheme in ("", "http", "https", "mailto", "ftp"):
            return url
    return None


def _find_reference_lists(tree: Any) -> list[tuple[str, Any]]:
    """``(heading, <ul>/<ol>)`` for "Sources"/"References" lists outside nav/aside/footer.

    trafilatura drops link-only lists (their link density marks them as boilerplate), which loses
    exactly the reference list a citation audit needs; these are put back after extraction.
    """
    found: list[tuple[str, Any]] = []
    for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "dt"):
        title = h.text_content().strip()
        if len(title) > 40 or not _REFERENCE_HEADING.match(title):
            continue
        if any(str(a.tag).lower() in _BOILERPLATE_ANCESTORS for a in h.iterancestors()):
            continue
        anchor = h
        if h.tag in ("strong", "b") and h.getparent() is not None and h.getparent().tag == "p":
            anchor = h.getparent()
        nxt = anchor.getnext()
        if nxt is not None and str(nxt.tag).lower() in ("ul", "ol"):
            found.append((title, nxt))
    return found


def _prune(tree: Any, max_elements: int, max_chars: int) -> tuple[int, int, int]:
    """Cut the tree after the first ``max_elements`` elements or ``max_chars`` of text.

    trafilatura's time grows with both, faster than linearly in elements (uncut, on a shared 2-core
    machine: ~4 s for 30k elements, ~45 s for 100k, ~38 s for an 18 MB page of 58k paragraphs), while
    only ``max_text_chars`` of text is audited anyway; so a huge page is cut in document order before
    extraction, as long text is truncated after it. With the cut, whole-ingest times for 50 MB pages
    were 1.7 s (mostly inline script), 9.4 s (46 MB of 150k paragraphs) and 4.7 s (400k elements).
    Returns ``(elements, visible characters, elements kept)``.
    """
    count = chars = 0
    cut = None
    kept = 0
    for el in tree.iter():
        count += 1
        chars += len(el.text or "") + len(el.tail or "")
        if cut is None and (count > max_elements or chars > max_chars):
            cut, kept = el, count - 1
    if cut is None or cut.getparent() is None:
        return count, chars, count
    node = cut
    while node.getparent() is not None:
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        if node is not cut:
            node.tail = None
        node = parent
    cut.getparent().remove(cut)
    return count, chars, kept


#: libxml2's HTML parser stops at this element depth and drops the rest of the document (and with
#: ``huge_tree``, at 2048); trafilatura then finds no article text in what is left.
LIBXML2_MAX_DEPTH = 256
#: Deeper markup is flattened (:func:`flatten_deep_html`): only lists, tables, paragraphs, headings,
#: quotes and links keep their tags below this depth, and no tag below ``_FLATTEN_HARD_DEPTH``.
FLATTEN_HTML_DEPTH = 100
_FLATTEN_HARD_DEPTH = 200
_TAG_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9:_-]*)([^<>]*)>", re.S)
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                        "source", "track", "wbr", "keygen", "basefont", "frame", "isindex"})
_RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                            "plaintext"})
_RAW_TEXT_END = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in _RAW_TEXT_TAGS}
_STRUCTURE_TAGS = frozenset({"html", "head", "body", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                             "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                             "blockquote", "pre", "a"})
#: An open element (the key) that the start of one of the values closes, as an HTML parser does.
_IMPLIED_END: dict[str, frozenset[str]] = {
    "p": frozenset({"p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", "section", "article",
                    "aside", "header", "footer", "nav", "main", "form", "hr", "h1", "h2", "h3", "h4",
                    "h5", "h6"}),
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "option": frozenset({"option", "optgroup"}),
    "td": frozenset({"td", "th", "tr"}),
    "th": frozenset({"td", "th", "tr"}),
    "tr": frozenset({"tr"}),
}


def at_parser_depth_limit(tree: Any) -> bool:
    """True when the parsed tree reaches libxml2's depth limit (so the parse was likely cut short).

    One XPath step per level, in C: cheap even on pages with hundreds of thousands of elements.
    """
    return bool(tree.xpath("boolean(/*" + "/*" * (LIBXML2_MAX_DEPTH - 1) + ")"))


def flatten_deep_html(html: str) -> str:
    """``html`` with the tags of elements nested deeper than ``FLATTEN_HTML_DEPTH`` removed.

    A linear scan over the tags (no parse, so no depth limit): each start tag opens an entry on a
    stack, an end tag closes the nearest open element of its name and everything opened after it
    (found through a per-name index, so hostile input stays linear), and the end tags an HTML
    parser would imply (``<p>`` before a ``<div>``, ``<li>`` before the next ``<li>``) are applied.
    Below ``FLATTEN_HTML_DEPTH`` only structural tags are kept (lists, tables, paragraphs, headings,
    quotes, links), below ``_FLATTEN_HARD_DEPTH`` none; the text between tags is never touched.
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, kept) of each open element
    where: dict[str, list[int]] = {}  # tag -> stack indices where it is open
    kept = 0  # open elements whose tags are kept: the depth the parser will see
    pos = last = 0

    def close_from(i: int) -> None:
        nonlocal kept
        while len(stack) > i:
            tag, was_kept = stack.pop()
            where[tag].pop()
            kept -= was_kept

    while (m := _TAG_TOKEN.search(html, pos)) is not None:
        pos = m.end()
        name = m.group(2)
        if name is None:  # a comment
            continue
        tag = name.lower()
        if m.group(1):  # an end tag
            open_at = where.get(tag)
            if open_at:
                i = open_at[-1]
                keep = stack[i][1]
                close_from(i)
                if not keep:
                    out.append(html[last : m.start()])
                    last = pos
            continue
        while stack and tag in _IMPLIED_END.get(stack[-1][0], ()):
            close_from(len(stack) - 1)
        if tag in _RAW_TEXT_TAGS:  # kept whole (it opens no depth); its content is not markup
            end = _RAW_TEXT_END[tag].search(html, pos)
            pos = end.end() if end else len(html)
            continue
        if tag in _VOID_TAGS or m.group(3).rstrip().endswith("/"):
            continue
        keep = kept < FLATTEN_HTML_DEPTH or (kept < _FLATTEN_HARD_DEPTH and tag in _STRUCTURE_TAGS)
        if not keep:
            out.append(html[last : m.start()])
            last = pos
        where.setdefault(tag, []).append(len(stack))
        stack.append((tag, keep))
        kept += keep
    out.append(html[last:])
    return "".join(out)


def html_to_text(
    html: str, *, base_url: str | None
) -> tuple[str, list[Link], dict[str, Any], list[str]]:
    """Main text with links, page metadata and skip notes of a decoded HTML page."""
    import trafilatura
    from lxml import etree

    if "<html" not in html[:2048].lower():  # trafilatura expects a whole document
        html = f"<html><body>{html}</body></html>"
    skipped: list[str] = []
    with quiet("trafilatura", "htmldate", "courlan", "justext", "readability"):
        tree = trafilatura.load_html(html)
        if tree is not None and at_parser_depth_limit(tree):
            html = flatten_deep_html(html)
            skipped.append(
                f"HTML nested more than {LIBXML2_MAX_DEPTH} levels deep (the parser's limit): markup below "
                f"{FLATTEN_HTML_DEPTH} levels was flattened before extraction; its text is kept"
            )
            tree = trafilatura.load_html(html)
    if tree is None:
        raise EmptyInputError("no text found in the HTML page")
    # Cheap pre-strip: scripts and styles are where most of a big page's bytes are, and trafilatura
    # would parse and discard them anyway.
    etree.strip_elements(tree, *_STRIP_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    n_elements, visible_chars, kept_elements = _prune(tree, MAX_HTML_ELEMENTS, MAX_HTML_CHARS)
    if kept_elements < n_elements:
        skipped.append(
            f"HTML page too large to extract whole ({n_elements:,} elements, {visible_chars:,} characters "
            f"of visible text): only its first {kept_elements:,} elements were read"
        )
    # trafilatura's fallback extractors (readability, justext) dominate on text-heavy pages (7 of
    # 12 s on a 50 MB page here) and are rarely needed there: skip them above FAST_HTML_CHARS.
    fast = min(visible_chars, MAX_HTML_CHARS) > FAST_HTML_CHARS
    references = _find_reference_lists(tree)
    meta: dict[str, Any] = {}
    builder = TextBuilder()
    doc = None
    try:
        with quiet("trafilatura", "htmldate", "courlan", "justext", "readability"):
            doc = trafilatura.bare_extraction(
                tree,
                url=base_url,
                include_links=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                with_metadata=True,
                deduplicate=False,
                fast=fast,
            )
    except Exception:  # hostile markup must not crash ingest: fall back below
        doc = None
    body = getattr(doc, "body", None)
    if doc is not None:
        for key in ("title", "author", "date", "sitename", "url", "description"):
            value = getattr(doc, key, None)
            if value:
                meta[key] = str(value)
    base = base_url or meta.get("url")
    if body is not None and len(body):
        _walk(body, builder, link_tag="ref", link_attr="target", blocks=_XML_BLOCKS, lines=_XML_LINES,
              base_url=base)
        kept = normalize_text(" ".join(body.itertext())).casefold()
        for title, lst in references:
            first = normalize_text(lst.text_content()).casefold()[:60]
            if title.casefold() in kept and first and first in kept:
                continue
            builder.block()
            builder.text(title)
            builder.block()
            _walk(lst, builder, link_tag="a", link_attr="href", blocks=set(), lines=_HTML_LINES | {"li"},
                  base_url=base)
    else:
        # Nothing recognisable as an article (a short page, a fragment): take the visible text,
        # minus obvious navigation.
        etree.strip_elements(tree, *(_BOILERPLATE_ANCESTORS - {"header"}), with_tail=False)
        body_el = tree.find(".//body")
        root = body_el if body_el is not None else tree
        _walk(root, builder, link_tag="a", link_attr="href", blocks=_HTML_BLOCKS, lines=_HTML_LINES,
              base_url=base)
    text, links = builder.finish()
    return text, links, meta, skipped
