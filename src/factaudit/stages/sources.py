"""The citation audit: what the article cites, how specifically, and which statements it backs.

Citations come from reference lines ("– The Guardian. (URL: www.theguardian.com)", "Sources:"
lists, footnotes), inline links, bare URLs in the body, and outlets named as holders ("according
to Reuters"). Each gets a domain (offline public-suffix list), a specificity (home page / section /
article) and a credibility prior. A reference with no in-text anchor is tied to no statement; a
home-page citation never supports a statement.
"""

from __future__ import annotations

import re

from .. import credibility as cred
from ..document import Article, Block, Citation, CitationKind
from . import BaseStage

_URL = re.compile(
    r"(?:https?://[^\s<>()\"']+|www\.[^\s<>()\"']+|(?<=URL:\s)[^\s<>()\"']+|"
    r"\b(?:[a-z0-9-]+\.)+(?:com|org|net|co\.uk|gov|edu|int|info|news|io)\b(?:/[^\s<>()\"']*)?)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[–—•*·▪-]|\d{1,3}[.)])\s*")
_FOOTNOTE = re.compile(r"^\s*(?:\[(\d{1,3})\]|\^(\d{1,3}))\s*")
_SOURCES_PREFIX = re.compile(r"^\s*(?:sources?|references?|via)\s*:\s*", re.IGNORECASE)


class SourcesStage(BaseStage):
    """Find the article's citations, rate each, and tie them to the statements they back."""

    name = "sources"
    requires: tuple[str, ...] = ("blocks", "sentences", "assertions", "links")
    assigns: tuple[str, ...] = ("citations", "assertions.citation_ids", "assertions.attributed")

    def __call__(self, article: Article) -> Article:
        citations: list[Citation] = []
        ref_ranges: list[tuple[int, int]] = []

        def add(kind: CitationKind, start: int, end: int, outlet: str | None, url: str | None) -> Citation:
            c = Citation(
                id=f"src{len(citations) + 1}",
                kind=kind,
                start=start,
                end=end,
                text=article.text[start:end],
                outlet=outlet,
                url=url,
            )
            domain = None
            if url:
                host = cred.host_of(url)
                domain = cred.registrable_domain(host) if host else None
                c.specificity = cred.specificity(url)
            elif outlet:
                domain = cred.outlet_domain(outlet)
            c.domain = domain
            c.credibility = cred.lookup(domain)
            citations.append(c)
            return c

        for block in article.blocks:
            if block.kind == "reference":
                ref_ranges.append((block.start, block.end))
                links = [lk for lk in article.links if block.start <= lk.start < block.end]
                if links:
                    # HTML/Markdown reference lists carry their URLs in Link records.
                    for lk in links:
                        outlet = lk.text.strip() or _outlet_before(block.text, lk.start - block.start)
                        c = add("reference_list", lk.start, lk.end, outlet, lk.url)
                        self._anchor_by_name(article, c, outlet or "")
                    continue
                for c_start, c_end, outlet, url, footnote in _parse_reference(block):
                    c = add("footnote" if footnote else "reference_list", c_start, c_end, outlet, url)
                    if footnote:
                        self._anchor_footnote(article, c, footnote, ref_ranges)
                    elif outlet:
                        self._anchor_by_name(article, c, outlet)

        body_link_starts = set()
        for link in article.links:
            if _inside(link.start, ref_ranges):
                continue
            body_link_starts.add(link.start)
            c = add("inline_link", link.start, link.end, None, link.url)
            c.anchored = True
            self._tie(article, c, link.start)

        # Bare URLs written in the body text.
        for block in article.blocks:
            if block.kind == "reference":
                continue
            for m in _URL.finditer(block.text):
                s = block.start + m.start()
                if any(ls <= s < ls + 1 for ls in body_link_starts):
                    continue
                url = m.group(0).rstrip(".,;:")
                c = add("inline_link", s, s + len(url), None, url)
                c.anchored = True
                self._tie(article, c, s)

        # Outlets named as holders ("according to Reuters", "the BBC reported").
        for a in article.assertions:
            h = a.holder
            if h.kind == "named" and h.entity_type == "ORG" and h.start is not None and h.end is not None:
                for name, start in _outlet_names(article.text, h.name, h.start):
                    if cred.outlet_domain(name):
                        c = add("named_outlet", start, start + len(name), name, None)
                        c.anchored = True
                        c.assertion_ids.append(a.id)

        by_id = {a.id: a for a in article.assertions}
        for c in citations:
            for aid in c.assertion_ids:
                a = by_id[aid]
                if c.id not in a.citation_ids:
                    a.citation_ids.append(c.id)
                if c.supports_claims:
                    a.attributed = True
        article.citations = citations
        return article

    @staticmethod
    def _tie(article: Article, c: Citation, pos: int) -> None:
        """Tie a citation to the assertion whose span holds ``pos`` (else its sentence's assertions)."""
        hits = [a for a in article.assertions if a.start <= pos < a.end]
        if not hits:
            sent = next((s for s in article.sentences if s.start <= pos < s.end), None)
            hits = [a for a in article.assertions if sent and a.sentence_id == sent.id]
        for a in hits:
            if a.id not in c.assertion_ids:
                c.assertion_ids.append(a.id)

    def _anchor_by_name(self, article: Article, c: Citation, outlet: str) -> None:
        """A reference is anchored when the body names its outlet; tie it to those statements."""
        name = re.sub(r"^the\s+", "", outlet.strip(), flags=re.I)
        if len(name) < 2:
            return
        pat = re.compile(r"\b" + re.escape(name) + r"\b", re.IGNORECASE)
        for a in article.assertions:
            if pat.search(a.text):
                c.anchored = True
                if a.id not in c.assertion_ids:
                    c.assertion_ids.append(a.id)

    def _anchor_footnote(self, article: Article, c: Citation, n: str, refs: list[tuple[int, int]]) -> None:
        for m in re.finditer(r"\[" + n + r"\]|\^" + n + r"\b", article.text):
            if _inside(m.start(), refs):
                continue
            c.anchored = True
            self._tie(article, c, m.start())


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in ranges)


def _parse_reference(block: Block) -> list[tuple[int, int, str | None, str | None, str | None]]:
    """(start, end, outlet, url, footnote number) for each source in a reference block."""
    text = block.text
    out: list[tuple[int, int, str | None, str | None, str | None]] = []
    footnote = None
    m = _FOOTNOTE.match(text)
    if m:
        footnote = m.group(1) or m.group(2)
    urls = list(_URL.finditer(text))
    if urls:
        for u in urls:
            url = u.group(0).rstrip(".,;:")
            outlet = _outlet_before(text, u.start()) if len(urls) == 1 else None
            out.append((block.start, block.end, outlet, url, footnote))
        return out
    body = _SOURCES_PREFIX.sub("", _BULLET.sub("", text))
    for part in re.split(r"[;,]\s*", body):
        part = part.strip(" .–—-")
        if part:
            off = text.find(part)
            out.append(
                (block.start + max(off, 0), block.start + max(off, 0) + len(part), part, None, footnote)
            )
    return out


def _outlet_before(text: str, url_start: int) -> str | None:
    head = text[:url_start]
    head = _FOOTNOTE.sub("", _BULLET.sub("", head))
    head = re.sub(r"\(?\s*URL:?\s*$", "", head, flags=re.I)
    head = _SOURCES_PREFIX.sub("", head).strip(' .,:;()–—-"“”')
    return head or None


def _outlet_names(text: str, name: str, start: int) -> list[tuple[str, int]]:
    """The holder's name, or each part of a coordinated one ("The Sunday Times and The Sunday
    Telegraph reported"), with its offset in the text."""
    if " and " not in name:
        return [(name, start)]
    out: list[tuple[str, int]] = []
    at = start
    for part in name.split(" and "):
        pos = text.find(part, at)
        if pos >= 0:
            out.append((part, pos))
            at = pos + len(part)
    return out

