"""Structure: title, headings, paragraphs, FAQ question/answer pairs, reference lines, sentences.

Blocks come from blank-line paragraphs (bulleted lines become blocks of their own); a one-line
question followed by a non-question block is an FAQ pair, and the answer keeps its question's id so
it is read in that context. Repeated blocks (the seed repeats its title) are merged into the first
occurrence, keeping every span. Sentences come from spaCy's parser, run once per block; the docs
are cached on ``Article.nlp`` for the later stages.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from ..document import Article, Block, BlockKind, ModelInfo, QAPair, Sentence, Span
from ..models.nlp import get_nlp, parse_text, spacy_info
from . import BaseStage

#: A block longer than this is parsed in pieces (bounded memory and time per spaCy call).
NLP_CHUNK_CHARS = 10_000

_PARA_SPLIT = re.compile(r"\n[ \t]*\n")
_BULLET = re.compile(r"^\s*(?:[–—•*·▪-]|\d{1,3}[.)]|\[\d{1,3}\]|\^\d{1,3})\s+")
_URLISH = re.compile(
    r"(?:https?://\S+|www\.\S+|\bURL:\s*\S+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|co\.uk|gov|edu|int|info|news|io)\b)",
    re.IGNORECASE,
)
_REF_HEADING = re.compile(
    r"^\s*(?:sources?|references?|further reading|notes|bibliography|citations?|links|footnotes)\s*:?\s*$",
    re.IGNORECASE,
)
_INLINE_SOURCES = re.compile(r"^\s*(?:sources?|references?|via)\s*:\s*\S", re.IGNORECASE)
_QA_PREFIX_Q = re.compile(r"^\s*(?:Q|Question)\s*[:.)]\s*", re.IGNORECASE)
_QA_PREFIX_A = re.compile(r"^\s*(?:A|Answer)\s*[:.)]\s*", re.IGNORECASE)
_INNER_SENT_END = re.compile(r"[.!?][\"”’)]?\s+[A-Z]")
_LETTER = re.compile(r"[^\W\d_]")
_KEY_STRIP = re.compile(r"[\W_]+", re.UNICODE)


def _norm_key(text: str) -> str:
    return _KEY_STRIP.sub(" ", text.casefold()).strip()


def _split_paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of blank-line separated paragraphs, trimmed of surrounding whitespace."""
    pos = 0
    for m in [*_PARA_SPLIT.finditer(text), None]:
        end = m.start() if m else len(text)
        yield from _trim(text, pos, end)
        if m:
            pos = m.end()


def _trim(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


#: A line of page furniture: share buttons, a teaser's "Read more", a photo's credit.
_CHROME_LINE = re.compile(
    r"^\s*(?:read more|(?:facebook|twitter|pinterest|google plus|linkedin|whatsapp|email|embed)"
    r"(?:\s+(?:facebook|twitter|pinterest|google plus|linkedin|whatsapp|email|embed))+)\W*$"
    r"|\b(?:Photograph|Photo|Picture|Image)\s*:\s*[^.!?]{2,60}$",
    re.IGNORECASE,
)


_READ_MORE = re.compile(r"^\s*read more\W*$", re.IGNORECASE)
#: A block that is only another story's linked headline in square brackets, or a photo / video
#: caption ending in its credit: "[In a departure from negative TV ads, Clinton airs a spot ...]",
#: "Designer Nina McLemore knows how to ... (Erin Patrick O'Connor/The Washington Post)".
_TEASER_OR_CAPTION = re.compile(
    r"^\s*\[[^\[\]\n]{10,300}\]\s*$"
    r"|\((?:[A-Z][\w.'’-]*\s?){1,5}/\s?(?:[A-Z][\w.'’&-]*\s?){1,6}\)\s*$"
)


def is_chrome_line(t: str) -> bool:
    return bool(_CHROME_LINE.search(t))


def _aside_runs(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """A paragraph with page furniture in its lines, cut so that the furniture, what it belongs to
    (the teaser lines before a "Read more", the caption before share buttons) and the article's own
    lines are separate blocks; None when it has none."""
    chrome = [i for i, (s, e) in enumerate(lines) if is_chrome_line(text[s:e])]
    if not chrome:
        return None
    cuts: set[int] = set()
    for i in chrome:
        cuts.update((i, i + 1))
        if i > 0:
            # the line above share buttons is a caption; the lines above a "Read more" a teaser
            cuts.add(0 if _READ_MORE.match(text[lines[i][0] : lines[i][1]]) else i - 1)
    out: list[tuple[int, int]] = []
    edges = [*sorted(c for c in cuts if 0 <= c <= len(lines)), len(lines)]
    lo = 0
    for c in edges:
        if c > lo:
            out.append((lines[lo][0], lines[c - 1][1]))
            lo = c
    return out


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a paragraph into line blocks when it is a list (bulleted lines or reference lines), or
    holds page furniture (see :func:`_aside_runs`)."""
    para = text[start:end]
    if "\n" not in para:
        return [(start, end)]
    lines: list[tuple[int, int]] = []
    pos = start
    for line in para.split("\n"):
        lines.extend(_trim(text, pos, pos + len(line)))
        pos += len(line) + 1
    runs = _aside_runs(text, lines)
    if runs is not None:
        return runs
    marked = sum(1 for s, e in lines if _BULLET.match(text[s:e]))
    if marked == 0:
        return lines if _separate_lines(text, lines) else [(start, end)]
    # Group unmarked continuation lines with the bulleted line before them.
    groups: list[tuple[int, int]] = []
    for s, e in lines:
        if groups and not _BULLET.match(text[s:e]) and marked < len(lines):
            prev_s, prev_e = groups[-1]
            if _BULLET.match(text[prev_s:prev_e]):
                groups[-1] = (prev_s, e)
                continue
        groups.append((s, e))
    return groups


_LINE_END = re.compile(r"[.!?:;\"”’)\]]$")


def _separate_lines(text: str, lines: list[tuple[int, int]]) -> bool:
    """Lines that each stand alone — a list of headlines, transcript turns, one sentence a line —
    rather than prose hard-wrapped mid-sentence: every line ends a sentence, or is short and the
    next line starts with a capital."""
    if len(lines) < 2:
        return False
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if _LINE_END.search(line):
            continue
        nxt = text[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else ""
        words = [w for w in line.split() if w not in ("|", "•", "-", "–", "—")]  # headline separators
        if len(words) <= 16 and (not nxt or nxt.lstrip("\"“‘'([")[:1].isupper()):
            # (a next line opening a quotation, "“Sessions' questionnaire is ...", starts one too)
            continue
        return False
    return True


def _is_heading_like(t: str) -> bool:
    return "\n" not in t and len(t) <= 120 and len(t.split()) <= 16 and not re.search(r"[.!;,\"”]$", t)


def _is_question(t: str) -> bool:
    t = _QA_PREFIX_Q.sub("", t)
    return "\n" not in t and t.endswith("?") and len(t) <= 300 and not _INNER_SENT_END.search(t[:-1])


def _is_reference_line(t: str) -> bool:
    return bool(_BULLET.match(t) and _URLISH.search(t)) or bool(
        re.match(r"^\s*\[\d{1,3}\]", t) and _URLISH.search(t)
    )


class SegmentStage(BaseStage):
    """Split the text into blocks, FAQ pairs and sentences (spaCy), keeping the parses on ``nlp``."""

    name = "segment"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("blocks", "sentences", "qa_pairs", "nlp", "title")

    def warm_up(self) -> None:
        get_nlp()

    def model_info(self) -> list[ModelInfo]:
        return [spacy_info()]

    def __call__(self, article: Article) -> Article:
        text = article.text
        spans: list[tuple[int, int]] = []
        for s, e in _split_paragraphs(text):
            spans.extend(_split_lines(text, s, e))

        # Merge repeated blocks into their first occurrence.
        first_by_key: dict[str, int] = {}
        kept: list[tuple[int, int]] = []
        dups: dict[int, list[Span]] = {}
        for s, e in spans:
            key = _norm_key(text[s:e])
            if len(key) >= 20 and key in first_by_key:
                dups.setdefault(first_by_key[key], []).append(Span(s, e))
                continue
            first_by_key.setdefault(key, len(kept))
            kept.append((s, e))

        kinds = self._classify([text[s:e] for s, e in kept])
        blocks: list[Block] = []
        for i, ((s, e), kind) in enumerate(zip(kept, kinds, strict=True)):
            blocks.append(
                Block(id=f"b{i + 1}", kind=kind, start=s, end=e, text=text[s:e], duplicates=dups.get(i, []))
            )

        qa_pairs: list[QAPair] = []
        for q, a in itertools.pairwise(blocks):
            if q.kind == "question" and a.kind == "answer":
                a.question_id = q.id
                qa_pairs.append(
                    QAPair(question_block=q.id, answer_block=a.id, question=q.text, answer=a.text)
                )

        if blocks and blocks[0].kind == "title" and not article.title:
            article.title = blocks[0].text

        article.blocks = blocks
        article.qa_pairs = qa_pairs
        article.sentences = self._sentences(article)
        return article

    @staticmethod
    def _classify(texts: list[str]) -> list[BlockKind]:
        kinds: list[BlockKind] = ["paragraph"] * len(texts)
        in_refs = False
        for i, t in enumerate(texts):
            nxt = texts[i + 1] if i + 1 < len(texts) else None
            if _REF_HEADING.match(t):
                kinds[i] = "heading"
                in_refs = True
                continue
            if in_refs and (_BULLET.match(t) or _URLISH.search(t)):
                kinds[i] = "reference"
                continue
            in_refs = False
            if _is_reference_line(t) or (_INLINE_SOURCES.match(t) and len(t) < 600):
                kinds[i] = "reference"
            elif i == 0 and _is_heading_like(t.rstrip("?")):
                kinds[i] = "title"
            elif _is_question(t) and nxt is not None and not _is_question(nxt) and not _is_heading_like(nxt):
                kinds[i] = "question"
                kinds[i + 1] = "answer"
            elif kinds[i] == "answer":
                continue
            elif _BULLET.match(t):
                kinds[i] = "list_item"
            elif _is_heading_like(t) and nxt is not None:
                kinds[i] = "heading"
            if is_chrome_line(t) or (
                # the teaser of another story above its "Read more"; a caption above share buttons
                nxt is not None and "\n" not in t and len(t) <= 300 and is_chrome_line(nxt)
                and not _READ_MORE.match(t)
            ) or (nxt is not None and _READ_MORE.match(nxt)) or (
                len(t) <= 400 and "\n" not in t and _TEASER_OR_CAPTION.search(t)
            ):
                kinds[i] = "aside"
        return kinds

    def _sentences(self, article: Article) -> list[Sentence]:
        text = article.text
        max_sent = self.settings.max_sentence_chars
        units: list[tuple[str, int, int]] = []  # (block id, start, end)
        for b in article.blocks:
            for s, e in _chunks(text, b.start, b.end, NLP_CHUNK_CHARS):
                units.append((b.id, s, e))
        if not units:
            return []
        nlp = get_nlp()
        sentences: list[Sentence] = []
        article.nlp = {}
        long_cut = 0
        for (block_id, us, _), doc in zip(
            units, nlp.pipe((parse_text(text[s:e]) for _, s, e in units), batch_size=64), strict=True
        ):
            article.nlp.setdefault(block_id, []).append((us, doc))
            for sent in doc.sents:
                for s, e in _trim(text, us + sent.start_char, us + sent.end_char):
                    pieces = list(_chunks(text, s, e, max_sent))
                    if len(pieces) > 1:
                        long_cut += 1
                    prev = sentences[-1] if sentences else None
                    if (
                        prev is not None
                        and prev.block_id == block_id
                        and len(pieces) == 1
                        and not _LETTER.search(text[s:e])
                        and e - prev.end <= 3 + (e - s)
                    ):
                        # A footnote marker or stray punctuation spaCy split off ("[1].").
                        prev.end = e
                        prev.text = text[prev.start : e]
                        continue
                    for ps, pe in pieces:
                        sentences.append(
                            Sentence(
                                id=f"s{len(sentences) + 1}",
                                block_id=block_id,
                                start=ps,
                                end=pe,
                                text=text[ps:pe],
                            )
                        )
        if long_cut:
            article.skipped.append(
                f"{long_cut} sentence(s) longer than {max_sent} characters were cut into pieces"
            )
        return sentences


def _chunks(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut [start, end) into trimmed pieces of at most ``limit`` chars, preferring whitespace cuts."""
    while end - start > limit:
        cut = start + limit
        ws = text.rfind(" ", start + limit // 2, cut)
        nl = text.rfind("\n", start + limit // 2, cut)
        cut = max(ws, nl) if max(ws, nl) > start else cut
        yield from _trim(text, start, cut)
        start = cut
    yield from _trim(text, start, end)
