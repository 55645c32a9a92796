"""Reports: JSON (and its schema), Markdown, terminal text and the static HTML page."""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factaudit.config import Settings
from factaudit.document import (
    Article,
    Assertion,
    Block,
    Citation,
    Claim,
    Credibility,
    Entity,
    Evidence,
    Finding,
    Hedge,
    Holder,
    Link,
    ModelInfo,
    QAPair,
    Relation,
    Report,
    Sentence,
    Span,
    Verdict,
)
from factaudit.errors import InputError
from factaudit.report import FORMATS, build_report, render
from factaudit.report.html import Span as HSpan
from factaudit.report.html import resolve_overlaps, text_units, to_html
from factaudit.report.json_report import load_schema, to_json, to_json_dict
from factaudit.report.terminal import to_text

from ..helpers import ROOT

SEED = ROOT / "examples" / "seed_article.txt"

TITLE = "Musk’s Global Pursuits: Cooperation or Risk?"
PARTS = [
    TITLE,
    TITLE,
    "Critics argue that his collaboration with foreign powers may not align with U.S. goals | strategy.",
    "Is Elon Musk collaborating with Russia and China?",
    "Yes, Elon Musk has engaged in collaborations with both Russia and China.",
    "Concerns are raised over the transfer of sensitive information.",
    "The pursuit of cleaner energy, they argue, should transcend national boundaries.",
    "Reuters reported that Tesla opened a factory in Shanghai.",
    "– The Guardian. (URL: www.theguardian.com)",
    "– Financial Times. (URL: https://www.ft.com/content/abc-123)",
]


class Builder:
    """Builds an Article over ``text`` with offsets found by searching the text."""

    def __init__(self, parts: list[str], source: str = "seed.txt") -> None:
        self.text = "\n\n".join(parts)
        self.article = Article(
            source=source, text=self.text, format="text", language="en", language_confidence=0.99
        )

    def find(self, needle: str, nth: int = 0) -> tuple[int, int]:
        pos = -1
        for _ in range(nth + 1):
            pos = self.text.index(needle, pos + 1)
        return pos, pos + len(needle)

    def block(self, bid: str, kind: str, needle: str, nth: int = 0, **kw: object) -> Block:
        s, e = self.find(needle, nth)
        b = Block(id=bid, kind=kind, start=s, end=e, text=needle, **kw)  # type: ignore[arg-type]
        self.article.blocks.append(b)
        self.article.sentences.append(Sentence(id="s" + bid[1:], block_id=bid, start=s, end=e, text=needle))
        return b

    def assertion(
        self,
        aid: str,
        bid: str,
        needle: str,
        holder: Holder,
        *,
        hedges: tuple[str, ...] = (),
        hedge_kind: str = "modal",
        **kw: object,
    ) -> Assertion:
        s, e = self.find(needle)
        hs = []
        for cue in hedges:
            cs = self.text.index(cue, s)
            hs.append(Hedge(cue=cue, start=cs, end=cs + len(cue), kind=hedge_kind))
        a = Assertion(
            id=aid,
            sentence_id="s" + bid[1:],
            block_id=bid,
            start=s,
            end=e,
            text=needle,
            holder=holder,
            hedges=hs,
            **kw,
        )  # type: ignore[arg-type]
        self.article.assertions.append(a)
        return a


def seed_like_article() -> Article:
    """A small article exercising every field the reports show."""
    b = Builder(PARTS)
    art = b.article
    art.title = TITLE
    t0 = b.block("b0", "title", TITLE)
    t0.duplicates.append(Span(*b.find(TITLE, 1)))
    b.block("b1", "paragraph", PARTS[2])
    b.block("b2", "question", PARTS[3])
    b.block("b3", "answer", PARTS[4], question_id="b2")
    b.block("b4", "paragraph", PARTS[5])
    b.block("b5", "paragraph", PARTS[6])
    b.block("b6", "paragraph", PARTS[7])
    b.block("b7", "reference", PARTS[8])
    b.block("b8", "reference", PARTS[9])
    art.qa_pairs.append(QAPair(question_block="b2", answer_block="b3", question=PARTS[3], answer=PARTS[4]))
    ls, le = b.find("Financial Times")
    art.links.append(Link(start=ls, end=le, url="https://www.ft.com/content/abc-123", text="Financial Times"))

    cs, ce = b.find("Critics")
    b.assertion(
        "a1",
        "b1",
        "his collaboration with foreign powers may not align with U.S. goals | strategy",
        Holder(kind="unnamed_group", name="critics", start=cs, end=ce),
        hedges=("may",),
        reporting_verb="argue",
        modality="opinion",
    )
    b.assertion(
        "a2",
        "b3",
        "Elon Musk has engaged in collaborations with both Russia and China",
        Holder(kind="author", name="the author"),
        context=PARTS[3],
    )
    b.assertion(
        "a3",
        "b4",
        "Concerns are raised over the transfer of sensitive information",
        Holder(kind="agentless", name="(agentless)"),
        hedges=("are raised",),
        hedge_kind="agentless",
    )
    ps, pe = b.find("they")
    b.assertion(
        "a4",
        "b5",
        "The pursuit of cleaner energy, they argue, should transcend national boundaries",
        Holder(kind="unnamed_group", name="supporters", start=ps, end=pe, resolved_from="they"),
        reporting_verb="argue",
        modality="opinion",
    )
    rs, re_ = b.find("Reuters")
    a5 = b.assertion(
        "a5",
        "b6",
        "Tesla opened a factory in Shanghai",
        Holder(kind="named", name="Reuters", start=rs, end=re_, entity_type="ORG"),
        reporting_verb="reported",
        citation_ids=["src2"],
        attributed=True,
    )
    # The title is stated twice: one assertion with one repeat.
    b.assertion(
        "a6",
        "b0",
        TITLE,
        Holder(kind="author", name="the author"),
        occurrences=[Span(*b.find(TITLE, 1))],
        modality="question",
    )

    gs, ge = b.find(PARTS[8])
    art.citations.append(
        Citation(
            id="src1",
            kind="reference_list",
            start=gs,
            end=ge,
            text=PARTS[8],
            outlet="The Guardian",
            url="www.theguardian.com",
            domain="theguardian.com",
            specificity="home_page",
            credibility=Credibility(score=0.9, label="high", ratings={"lin2023": 0.9}),
        )
    )
    fs, fe = b.find(PARTS[9])
    art.citations.append(
        Citation(
            id="src2",
            kind="inline_link",
            start=fs,
            end=fe,
            text=PARTS[9],
            outlet="Financial Times",
            url="https://www.ft.com/content/abc-123",
            domain="ft.com",
            specificity="article",
            anchored=True,
            assertion_ids=["a5"],
            credibility=Credibility(score=None, label="not rated"),
        )
    )
    art.claims.append(
        Claim(
            id="c1",
            assertion_id="a2",
            text="Elon Musk has engaged in collaborations with Russia",  # stand-alone, one conjunct
            start=art.assertions[1].start,
            end=art.assertions[1].end,
            sentence_id="s3",
            context=PARTS[3],
            checkworthiness=0.93,
            check_worthy=True,
            rank=1,
            verdict=Verdict(
                label="REFUTED",
                confidence=0.81,
                evidence=[
                    Evidence(
                        source="wiki:Tesla",
                        passage="Tesla has no factories in Russia.",
                        quote="no factories in Russia",
                        start=10,
                        end=32,
                        score=0.77,
                        label="contradicts",
                    )
                ],
                searched=["wiki"],
                note="evidence from the offline pack",
            ),
        )
    )
    art.claims.append(
        Claim(
            id="c2",
            assertion_id="a5",
            text=a5.text,
            start=a5.start,
            end=a5.end,
            checkworthiness=0.71,
            check_worthy=True,
            rank=2,
        )
    )
    art.entities += [
        Entity(id="e1", name="Elon Musk", type="PERSON", mentions=[Span(*b.find("Elon Musk"))]),
        Entity(id="e2", name="Russia", type="GPE"),
    ]
    art.relations.append(
        Relation(
            source="e1",
            target="e2",
            relation="collaborates with",
            claim_ids=["c1"],
            holder="critics",
            risks=["national security"],
            benefits=["critical resources"],
        )
    )
    art.findings += [
        Finding(
            code="home_page_citations",
            severity="warning",
            message="1 of 2 sources cites a home page",
            refs=["src1"],
        ),
        Finding(
            code="faq_as_fact",
            severity="problem",
            message="FAQ answers state contested claims as fact",
            refs=["a2"],
        ),
        Finding(code="unnamed_holders", severity="info", message="2 assertions attributed to unnamed groups"),
    ]
    art.skipped.append("retrieve: no evidence pack installed")
    art.timings = {"ingest": 0.01, "segment": 0.02, "attribution": 0.05}
    art.stages_run = ["ingest", "segment", "attribution", "sources", "claims"]
    return art


def make_report(article: Article | None = None) -> Report:
    return build_report(
        article or seed_like_article(),
        started_at="2026-01-02T03:04:05+00:00",
        models=[ModelInfo(name="verifier-minilm", version="0.1", sha256="ab" * 32)],
        settings=Settings(),
    )


# ---------------------------------------------------------------------------------------------- JSON


def test_json_round_trips_with_schema_version_run_and_exact_spans() -> None:
    report = make_report()
    text = to_json(report)
    data = json.loads(text)
    assert data == to_json_dict(report)
    assert list(data) == ["schema_version", "run", "article"]
    assert data["schema_version"] == report.schema_version
    assert data["run"]["package_version"] and data["run"]["python"] and data["run"]["platform"]
    assert data["run"]["timings"] == {"ingest": 0.01, "segment": 0.02, "attribution": 0.05}
    assert data["run"]["models"][0]["name"] == "verifier-minilm"
    assert data["run"]["settings"]["languages"] == ["en"]
    assert "’" in text  # ensure_ascii=False
    art = data["article"]
    body = art["text"]
    for kind in ("assertions", "citations", "blocks", "sentences"):
        for obj in art[kind]:
            assert body[obj["start"] : obj["end"]] == obj["text"], (kind, obj["id"])
    for a in art["assertions"]:
        for h in a["hedges"]:
            assert body[h["start"] : h["end"]] == h["cue"]
    assert [a["hedged"] for a in art["assertions"]] == [True, False, True, False, False, False]
    assert [c["supports_claims"] for c in art["citations"]] == [False, True]
    assert to_json(report) == text  # stable


def test_json_validates_against_the_shipped_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for article in (seed_like_article(), Article(source="<text>", text="")):
        validator.validate(json.loads(to_json(make_report(article))))
    bad = json.loads(to_json(make_report()))
    bad["article"]["assertions"][0]["holder"]["kind"] = "somebody"
    del bad["schema_version"]
    errors = {e.validator for e in validator.iter_errors(bad)}
    assert {"required", "enum"} <= errors


def test_json_handles_non_json_values_in_settings_and_meta() -> None:
    art = seed_like_article()
    art.meta = {"path": Path("/tmp/x.txt"), "tags": {"b", "a"}, "nan": float("nan")}
    report = build_report(art, settings={"root": Path("/data")})
    data = json.loads(to_json(report))
    assert data["article"]["meta"] == {"path": "/tmp/x.txt", "tags": ["a", "b"], "nan": None}
    assert data["run"]["settings"] == {"root": "/data"}


# ---------------------------------------------------------------------------------------------- HTML

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}


class Checker(HTMLParser):
    """Checks that tags balance and collects highlights, attributes and script blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.marks: list[dict[str, str]] = []
        self.mark_text: list[str] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._script: dict[str, str] | None = None
        self._text: list[str] = []
        self.in_mark = 0
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "mark" and "data-start" in a and "sample" not in a.get("class", ""):
            self.marks.append(a)
            self.mark_text.append("")
            self.in_mark += 1
        if tag == "script":
            self._script, self._text = a, []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "mark" and self.in_mark:
            self.in_mark -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)
        if self.in_mark:
            self.mark_text[-1] += data


def check_html(page: str) -> Checker:
    checker = Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    return checker


def data_block(checker: Checker) -> dict:  # type: ignore[type-arg]
    blocks = [text for attrs, text in checker.scripts if attrs.get("id") == "factaudit-data"]
    assert len(blocks) == 1
    assert blocks[0].count("</") == 0
    return json.loads(blocks[0])  # type: ignore[no-any-return]


def test_html_highlights_every_assertion_at_its_span() -> None:
    report = make_report()
    page = to_html(report)
    checker = check_html(page)
    text = report.article.text
    assert checker.html_lang == "en"
    assert len(checker.marks) == 7  # six assertions plus one repeat
    for attrs, shown in zip(checker.marks, checker.mark_text, strict=True):
        s, e = int(attrs["data-start"]), int(attrs["data-end"])
        assert shown == text[s:e]
        a = next(a for a in report.article.assertions if a.id == attrs["data-assertion"])
        if "occurrence" not in attrs["class"]:
            assert (s, e, shown) == (a.start, a.end, a.text)
        assert attrs["role"] == "button" and attrs["tabindex"] == "0"
        assert attrs["aria-describedby"].startswith("desc-")
    by_id = {a["data-assertion"]: a for a in checker.marks if "occurrence" not in a["class"]}
    assert "hedged" in by_id["a1"]["class"] and "unnamed" in by_id["a1"]["class"]
    assert by_id["a1"]["data-icons"] == "≈?"
    assert "agentless" in by_id["a3"]["class"] and "∅" in by_id["a3"]["data-icons"]
    assert "data-icons" not in by_id["a5"]
    assert '<span class="hedge-cue">may</span>' in page
    assert data_block(checker) == to_json_dict(report)
    # descriptions for screen readers exist for every describedby target
    ids = {a.get("id") for _, a in checker.tags}
    assert all(set(m["aria-describedby"].split()) <= ids for m in checker.marks)


def test_html_shows_findings_sources_claims_qa_and_run_record() -> None:
    page = to_html(make_report())
    for needle in (
        "⚠ problem",
        "faq_as_fact",
        "home page",
        "tied to no claim",
        "✗ Refuted",
        "model confidence 81%",
        "no factories in Russia",
        "Elon Musk —collaborates with→ Russia",
        "Q&amp;A pairs",
        "<details",
        "verifier-minilm 0.1",
        "Run record",
        'class="blk blk-question"',
        'class="blk blk-duplicate"',
        "unnamed group: supporters [from “they”]",
        "not checked: verification did not run",
    ):
        assert needle in page, needle
    assert page.index('id="summary"') < page.index('id="article"') < page.index('id="claims"')
    assert "[248–314)" not in page  # offsets only in the JSON (and the verbose terminal view)
    assert '<a href="https://www.ft.com/content/abc-123" rel="noopener noreferrer nofollow">' in page
    assert 'href="www.theguardian.com"' not in page  # not an http(s) URL: shown as text only
    assert re.search(r"(src|href)=\"(https?:)?//(?!www\.ft\.com)", page) is None  # no external loads


def test_html_content_security_policy_allows_exactly_the_inline_script() -> None:
    page = to_html(make_report())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert csp and script
    digest = base64.b64encode(hashlib.sha256(script[1].encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in csp[1]
    assert "default-src 'none'" in csp[1]


def test_html_preserves_the_article_text_in_paragraphs() -> None:
    page = to_html(make_report())
    body = page.split('<div class="article-text" lang="en">', 1)[1].split("</div>", 1)[0]
    paragraphs = re.findall(r"<p class=\"blk [^\"]*\"[^>]*>(.*?)</p>", body, re.S)
    # the verdict chips after a statement are not article text
    paragraphs = [re.sub(r'<span class="vbadges".*?</span></span>', "", p) for p in paragraphs]
    assert [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in paragraphs] == PARTS


HOSTILE = '<script>alert(1)</script> and "><img src=x onerror=alert(2)> & </mark></p>'


def hostile_article() -> Article:
    parts = [f"Title {HOSTILE}", f"Critics argue {HOSTILE} may happen.", "Plain </script><!-- end"]
    b = Builder(parts, source='javascript:alert("src")')
    art = b.article
    art.title = f"T {HOSTILE}"
    art.language = 'en" onload="alert(3)'
    b.block("b0", "title", parts[0])
    b.block("b1", "paragraph", parts[1])
    b.assertion(
        "a1",
        "b1",
        f"{HOSTILE} may happen",
        Holder(kind="unnamed_group", name=HOSTILE),
        hedges=("may",),
        reporting_verb=HOSTILE,
        context=HOSTILE,
    )
    art.citations.append(
        Citation(
            id="src1",
            kind="inline_link",
            start=0,
            end=5,
            text=parts[0][:5],
            outlet=HOSTILE,
            url="javascript:alert(4)",
            domain=HOSTILE,
        )
    )
    art.findings.append(Finding(code=HOSTILE, severity="problem", message=HOSTILE, refs=[HOSTILE]))
    art.qa_pairs.append(QAPair("b0", "b1", HOSTILE, HOSTILE))
    art.skipped.append(HOSTILE)
    return art


def test_html_escapes_hostile_article_text() -> None:
    report = build_report(hostile_article(), settings={"note": HOSTILE})
    page = to_html(report)
    checker = check_html(page)
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "javascript:" not in "".join(a.get("href", "") for _, a in checker.tags)
    assert not any(k.startswith("on") for _, attrs in checker.tags for k in attrs)
    # the report data, the view data and our own script
    assert [t for t, _ in checker.tags].count("script") == 3
    assert checker.html_lang == "en"
    assert 'lang="und"' in page  # an invalid language code is not echoed into an attribute
    assert len(checker.marks) == 1 and checker.mark_text[0] == f"{HOSTILE} may happen"
    assert data_block(checker)["article"]["text"] == report.article.text


def test_html_survives_nested_and_overlapping_spans() -> None:
    b = Builder(["One two three four five six seven.", "Eight nine ten.", "Eleven twelve"])
    art = b.article
    holder = Holder(kind="author", name="the author")
    b.assertion("a1", "b0", "two three four", holder)
    b.assertion("a2", "b0", "three", holder)  # nested
    b.assertion("a3", "b0", "four five six", holder, hedges=("four",))  # overlaps a1
    b.assertion("a4", "b0", "two three four", holder)  # identical to a1
    b.assertion("a5", "b0", "seven.\n\nEight nine", holder)  # crosses a paragraph break
    art.assertions.append(
        Assertion(
            id="a6", sentence_id="s0", block_id="b0", start=5, end=999, text="out of range", holder=holder
        )
    )
    art.assertions.append(
        Assertion(id="a7", sentence_id="s0", block_id="b0", start=9, end=9, text="", holder=holder)
    )
    report = build_report(art)
    page = to_html(report)
    assert page == to_html(report)  # deterministic
    checker = check_html(page)
    spans = [(int(m["data-start"]), int(m["data-end"])) for m in checker.marks]
    assert spans == sorted(spans)
    assert all(e1 <= s2 for (_, e1), (s2, _) in itertools.pairwise(spans))
    for (s, e), shown in zip(spans, checker.mark_text, strict=True):
        assert shown == art.text[s:e]
    ids = [m["data-assertion"] for m in checker.marks]
    assert ids == ["a1", "a3", "a5", "a5"]  # a2/a4 are covered; a3 is clipped; a5 is split
    assert "clipped" in checker.marks[1]["class"]
    assert checker.mark_text[1] == " five six"


# ------------------------------------------------------------------------------ properties (spans)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[HSpan]]:
    text = draw(st.text(alphabet="ab \n<&>\"'", min_size=0, max_size=60))
    n = len(text)
    spans = draw(
        st.lists(
            st.tuples(st.integers(-2, n + 2), st.integers(-2, n + 2)).map(lambda t: HSpan(min(t), max(t), 0)),
            max_size=8,
        )
    )
    return text, [HSpan(s.start, s.end, i) for i, s in enumerate(spans)]


@settings(max_examples=150, deadline=None)
@given(text_and_spans())
def test_resolve_overlaps_covers_the_same_characters_without_overlap(case: tuple[str, list[HSpan]]) -> None:
    text, spans = case
    kept = resolve_overlaps(spans, len(text))
    assert all(a.end <= b.start for a, b in itertools.pairwise(kept))
    covered = {i for s in spans if 0 <= s.start < s.end <= len(text) for i in range(s.start, s.end)}
    assert {i for s in kept for i in range(s.start, s.end)} == covered


@settings(max_examples=150, deadline=None)
@given(text_and_spans())
def test_text_units_are_exact_slices(case: tuple[str, list[HSpan]]) -> None:
    text, spans = case
    art = Article(source="<text>", text=text)
    for s in spans:
        if 0 <= s.start < s.end <= len(text):
            art.assertions.append(
                Assertion(
                    id=f"a{s.index}",
                    sentence_id="s",
                    block_id="b",
                    start=s.start,
                    end=s.end,
                    text=text[s.start : s.end],
                    holder=Holder(kind="author", name="the author"),
                )
            )
    units = text_units(art)
    for u in units:
        assert "".join(p.text for p in u.pieces) == text[u.start : u.end]
        for p in u.pieces:
            assert p.text == text[p.start : p.end]
            if p.index is not None:
                assert "".join(t for t, _ in p.parts) == p.text
    assert "".join(text[u.start : u.end] for u in units).replace(" ", "").replace("\n", "") == text.replace(
        " ", ""
    ).replace("\n", "")
    check_html(to_html(build_report(art)))


# ------------------------------------------------------------------------------------ dispatching


def test_render_dispatches_every_format_and_rejects_unknown_ones() -> None:
    report = make_report()
    outputs = {fmt: render(report, fmt) for fmt in FORMATS}
    assert json.loads(outputs["json"])["schema_version"] == report.schema_version
    assert outputs["md"].startswith("# Audit:")
    assert outputs["html"].startswith("<!DOCTYPE html>")
    assert "factaudit report" in outputs["text"]
    with pytest.raises(InputError, match="unknown report format 'pdf'"):
        render(report, "pdf")


def test_build_report_fills_the_run_record() -> None:
    from factaudit import __version__

    art = seed_like_article()
    report = build_report(art, settings=Settings())
    run = report.run
    assert run.package_version == __version__
    assert run.stages == art.stages_run and run.timings == art.timings
    assert run.duration_s == pytest.approx(0.08)
    assert run.started_at.endswith("+00:00")
    assert run.python.split()[1].startswith("3.") and run.platform
    assert run.settings["max_text_chars"] == Settings().max_text_chars
    with pytest.raises(TypeError):
        build_report(art, settings=42)


# ----------------------------------------------------------------------------------- integration


def _check_seed_report(report: Report) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(render(report, "json"))
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    body = data["article"]["text"]
    for a in data["article"]["assertions"]:
        assert body[a["start"] : a["end"]] == a["text"]
    md = render(report, "md")
    text = to_text(report, full=True)
    page = render(report, "html")
    checker = check_html(page)
    assert len({m["data-assertion"] for m in checker.marks}) == len(report.article.assertions)
    for attrs, shown in zip(checker.marks, checker.mark_text, strict=True):
        assert shown == body[int(attrs["data-start"]) : int(attrs["data-end"])]
    assert data_block(checker)["article"]["text"] == body
    for out in (md, text, page):
        assert "theguardian.com" in out and "home page" in out and "tied to no claim" in out
        assert "critics" in out and "supporters" in out and "agentless" in out
    assert "unnamed group: critics" in md and "unnamed group: critics" in text
    assert (
        md.index("## Summary") < md.index("## Claims") < md.index("## Findings") < md.index("## Statements")
    )
    assert "Is Elon Musk collaborating with Russia and China?" in md
    assert len(render(report, "text").splitlines()) < len(text.splitlines())


@pytest.mark.integration
def test_seed_article_stages_render_in_every_format() -> None:
    """The real segment → attribution → sources → findings stages over the seed (no ingest)."""
    from ..helpers import analyse, seed_text

    _check_seed_report(build_report(analyse(seed_text())))


@pytest.mark.integration
def test_seed_article_full_audit_renders_in_every_format() -> None:
    from factaudit.pipeline import Auditor

    _check_seed_report(Auditor().report(str(SEED)))


def test_a_claim_without_a_verdict_says_why_in_markdown_and_text() -> None:
    import factaudit
    from factaudit.report import render

    report = factaudit.audit(
        b"It is shameful that the city council continues to ignore the flooding in Riverside. "
        b"The council approved a budget of 4 million euros for flood barriers on Monday."
    )
    opinion = next(c for c in report.article.claims if "shameful" in c.text)
    assert opinion.verdict is None and opinion.unchecked_reason == "opinion"
    assert "not checked: opinion" in render(report, "md")
    assert "not checked: opinion" in render(report, "text")
