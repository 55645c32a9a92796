"""Markdown → text with links (markdown-it-py, CommonMark with tables): markers dropped, list items
kept as ``- `` / ``1. `` lines, code and HTML blocks as plain text."""

from __future__ import annotations

from ..document import Link
from .text import TextBuilder

__all__ = ["markdown_to_text"]


def markdown_to_text(source: str) -> tuple[str, list[Link]]:
    """The normalised text of a Markdown document and its links (offsets into that text)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    builder = TextBuilder()
    ordered: list[bool] = []
    in_item = 0
    for tok in md.parse(source):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            ordered.append(t == "ordered_list_open")
            builder.block()
        elif t in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
            builder.block()
        elif t == "list_item_open":
            in_item += 1
            builder.line()
            builder.text(f"{tok.info}{tok.markup} " if ordered and ordered[-1] and tok.info else "- ")
        elif t == "list_item_close":
            in_item -= 1
            builder.line()
        elif t in ("paragraph_close", "heading_close"):
            if in_item:
                builder.line()
            else:
                builder.block()
        elif t in ("heading_open", "blockquote_open", "blockquote_close", "hr", "table_open",
                   "table_close"):
            builder.block()
        elif t == "tr_close":
            builder.line()
        elif t in ("th_close", "td_close"):
            builder.text(" ")
        elif t in ("fence", "code_block"):
            builder.block()
            builder.text(tok.content)
            builder.block()
        elif t == "html_block":
            builder.block()
            builder.text(_strip_tags(tok.content))
            builder.block()
        elif t == "inline":
            for child in tok.children or []:
                c = child.type
                if c in ("text", "code_inline"):
                    builder.text(child.content)
                elif c == "softbreak":
                    builder.text(" ")
                elif c == "hardbreak":
                    builder.line()
                elif c == "link_open":
                    href = child.attrs.get("href")
                    builder.open_link(str(href) if href else None)
                elif c == "link_close":
                    builder.close_link()
                elif c == "html_inline":
                    continue
    return builder.finish()


def _strip_tags(fragment: str) -> str:
    import lxml.html

    try:
        return str(lxml.html.fragment_fromstring(fragment, create_parent="div").text_content())
    except Exception:  # malformed HTML inside Markdown: drop it
        return ""
