"""Ingest on real inputs: the seed, an HTML news page, PDFs, Markdown, cp1252, stdin, URLs, junk."""

from __future__ import annotations

import contextlib
import io
import random
import socket
from pathlib import Path

import httpx
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factaudit.config import Settings
from factaudit.document import Article
from factaudit.errors import (
    BinaryInputError,
    BlockedURLError,
    EmptyInputError,
    FetchError,
    InputError,
    InputTooLargeError,
    UnsupportedFormatError,
    UnsupportedLanguageError,
)
from factaudit.extract import (
    DecodedText,
    TextBuilder,
    decode_bytes,
    decode_text,
    normalize_text,
    sniff_format,
)
from factaudit.extract import html as extract_html
from factaudit.extract import language as extract_language
from factaudit.pipeline import Auditor
from factaudit.stages.ingest import IngestStage

from ..helpers import FIXTURES, ROOT

SEED = ROOT / "examples" / "seed_article.txt"
PUBLIC_IP = "93.184.216.34"


def ingest_path(path: Path | str, stage: IngestStage | None = None) -> Article:
    stage = stage or IngestStage()
    return stage(Article(source=str(path), meta={"location": str(path)}))


def ingest_bytes(data: bytes, stage: IngestStage | None = None, source: str = "<bytes>") -> Article:
    stage = stage or IngestStage()
    return stage(Article(source=source, raw=data))


def assert_links_consistent(article: Article) -> None:
    for link in article.links:
        assert article.text[link.start : link.end] == link.text
        assert link.text and link.text == link.text.strip()


def assert_normalised(text: str) -> None:
    assert normalize_text(text) == text


# ----------------------------------------------------------------------------- text: the seed


def test_seed_article_as_text() -> None:
    a = ingest_path(SEED)
    raw = SEED.read_text(encoding="utf-8")
    assert a.format == "text"
    assert a.text == normalize_text(raw)
    assert "\n\n\n" not in a.text and "– The Guardian. (URL: www.theguardian.com)" in a.text
    assert a.title == (
        "Elon Musk’s Global Pursuits: Fostering International Cooperation or Undermining U.S. Interests?"
    )
    assert (a.language, a.auditable) == ("en", True)
    assert a.language_confidence is not None and a.language_confidence > 0.9
    assert a.raw is None
    assert a.links == []
    assert a.meta["encoding"] == "utf-8"
    assert a.meta["bytes"] == SEED.stat().st_size
    assert a.meta["content_type"] == "text/plain"
    assert "fetched_at" not in a.meta


def test_audit_text_style_raw_bytes() -> None:
    # What Auditor.audit_text builds: the text as UTF-8 bytes in ``raw``.
    a = IngestStage()(Article(source="<text>", raw=SEED.read_bytes(), format="text"))
    assert a.text.startswith("Elon Musk’s Global Pursuits")
    assert a.raw is None


def test_stdin_dash_reads_bytes_from_the_stream() -> None:
    stage = IngestStage(stdin=io.BytesIO("\ufeffHello from stdin.\r\nSecond line.\r\n".encode()))
    a = stage(Article(source="-", meta={"location": "-"}))
    assert a.text == "Hello from stdin.\nSecond line."
    assert a.meta["encoding"] == "utf-8"


def test_stage_contract_and_pipeline_use() -> None:
    stage = IngestStage()
    assert stage.name == "ingest"
    assert stage.requires == ("source", "raw")
    assert set(stage.assigns) == {
        "raw", "text", "format", "title", "language", "language_confidence", "links", "meta", "skipped"
    }
    auditor = Auditor(stages=[stage], check_writes=True)
    a = auditor.audit_text("The committee published its annual report on Monday morning in London.")
    assert a.stages_run == ["ingest"] and a.text.startswith("The committee")


# ----------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def html_article() -> Article:
    return ingest_path(FIXTURES / "news_article.html")


def test_html_boilerplate_removed(html_article: Article) -> None:
    text = html_article.text
    for junk in ("Subscribe for £1", "cookies", "Accept all", "Most read", "Storm closes bridges",
                 "All rights reserved", "Terms of use", "dataLayer", "Advertisement", "font-family",
                 "By Maria Jansen"):
        assert junk not in text, junk


def test_html_article_paragraphs_kept(html_article: Article) -> None:
    a = html_article
    assert a.format == "html"
    assert a.title == "Port of Rotterdam expands shore power for container ships"
    paragraphs = a.text.split("\n\n")
    assert paragraphs[0] == "Port of Rotterdam expands shore power for container ships"
    assert any(p.startswith("The Port of Rotterdam said on Thursday") and p.endswith("by about 20 percent.")
               for p in paragraphs)
    assert "“Ships at berth are only part of the problem,” said Lotte de Vries" in a.text
    assert "What happens next" in paragraphs
    assert_normalised(a.text)


def test_html_inline_links_have_exact_offsets(html_article: Article) -> None:
    a = html_article
    assert_links_consistent(a)
    by_text = {link.text: link.url for link in a.links}
    assert by_text["statement from the port authority"] == (
        "https://www.portofrotterdam.example/en/news/shore-power-2028"
    )
    assert by_text["2021 report by the European Environment Agency"] == (
        "https://www.eea.example/publications/maritime-transport-2021"
    )
    assert not any(link.url.endswith(("/subscribe", "/privacy", "/about")) for link in a.links)


def test_html_link_only_reference_list_is_kept(html_article: Article) -> None:
    # trafilatura drops link-only lists as boilerplate; ingest puts the "Sources" list back.
    a = html_article
    assert "\n\nSources\n\n- Port of Rotterdam press release, 14 March 2024\n" \
           "- European Maritime Transport Environmental Report 2021" in a.text
    refs = [link for link in a.links if link.start > a.text.index("\n\nSources\n\n")]
    assert [link.text for link in refs] == [
        "Port of Rotterdam press release, 14 March 2024",
        "European Maritime Transport Environmental Report 2021",
    ]


def test_html_metadata(html_article: Article) -> None:
    meta = html_article.meta
    assert meta["author"] == "Maria Jansen"
    assert meta["date"] == "2024-03-14"
    assert meta["sitename"] == "Harbour Times"
    assert meta["canonical_url"] == "https://www.harbourtimes.example/2024/03/14/rotterdam-shore-power"
    assert meta["content_type"] == "text/html"
    assert (html_article.language, html_article.auditable) == ("en", True)


def test_html_in_a_legacy_charset_declared_by_meta() -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\xe9 prices</title></head><body><article>'
        "<p>Prices at the caf\xe9 rose by 12 percent, \x93a record\x94, the owner said \x96 and "
        "regulars noticed it quickly, according to a survey published on Monday.</p>"
        "<p>The owners blame higher energy bills and rents for most of the increase this year.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    a = ingest_bytes(page)
    assert a.format == "html"
    assert a.meta["encoding"] == "cp1252"
    assert "caf\u00e9 rose by 12 percent, \u201ca record\u201d, the owner said \u2013 and" in a.text


def test_html_fragment_and_extension_hint(tmp_path: Path) -> None:
    path = tmp_path / "snippet.html"
    path.write_text("Just a line with a <a href='https://a.example/x'>link</a> inside a fragment.\n",
                    encoding="utf-8")
    a = ingest_path(path)
    assert a.format == "html"
    assert "link" in a.text
    assert_links_consistent(a)


def test_hostile_html_does_not_crash(capsys: pytest.CaptureFixture[str]) -> None:
    page = (
        "<!DOCTYPE html><html><head><script>alert('x')</script></head><body><article>"
        "<p>The first paragraph of the story is long enough to be kept as real article text by the "
        "extractor, and it mentions the mayor of Springfield twice. The mayor said so.</p>"
        "<iframe src='javascript:alert(1)'></iframe><script>document.cookie</script>"
        + "<div><span>" * 10_000 + "deep" + "</span></div>" * 10_000
        + "<p onclick='evil()'>Another <a href='javascript:alert(2)'>paragraph</a> follows here "
        "with a few more words so that it is not dropped as too short by the extractor.</p>"
        "<style>p{}</style></article></body></html>"
    ).encode()
    a = ingest_bytes(page)
    assert a.format == "html"
    assert "The first paragraph of the story" in a.text
    assert "alert" not in a.text and "document.cookie" not in a.text
    assert all(not link.url.startswith("javascript:") for link in a.links)
    assert capsys.readouterr().err == ""  # trafilatura's log messages are silenced


def _nested(depth: int, inner: str, tags: tuple[str, ...] = ("div",)) -> str:
    opening = "".join(f"<{tags[i % len(tags)]}>" for i in range(depth))
    closing = "".join(f"</{tags[i % len(tags)]}>" for i in reversed(range(depth)))
    return opening + inner + closing


DEEP_PARAGRAPHS = (
    "<h1>Harbour extends shore power</h1>"
    "<p>The port of Rotterdam said on Tuesday that it would extend shore power to twelve more berths "
    "by 2026, according to a <a href='https://port.example/release'>press release</a>.</p>"
    "<p>Ships connected to the grid can switch off their diesel generators while they are moored, "
    "which the port expects to cut local nitrogen oxide emissions by a fifth.</p>"
    "<p>Critics said the plan comes late and that the grid connection is not yet funded.</p>"
)


def test_deeply_nested_html_keeps_its_text() -> None:
    # libxml2 stops at 256 levels and drops the rest of the page: this used to be "no article text".
    page = "<!DOCTYPE html><html><head><title>Shore power</title></head><body>"
    page += _nested(1000, DEEP_PARAGRAPHS)
    page += "<p>A last paragraph after the nesting closes is read as well, the port added.</p></body></html>"
    a = ingest_bytes(page.encode())
    assert a.format == "html"
    assert "would extend shore power to twelve more berths by 2026" in a.text
    assert "cut local nitrogen oxide emissions by a fifth" in a.text
    assert "the grid connection is not yet funded" in a.text
    assert "A last paragraph after the nesting closes" in a.text
    assert [link.text for link in a.links] == ["press release"]
    assert_links_consistent(a)
    assert any(s.startswith("HTML nested more than 256 levels deep") for s in a.skipped)


def test_html_below_the_depth_limit_is_not_flattened() -> None:
    a = ingest_bytes(f"<html><body>{_nested(200, DEEP_PARAGRAPHS)}</body></html>".encode())
    assert "cut local nitrogen oxide emissions by a fifth" in a.text
    assert not any("levels deep" in s for s in a.skipped)


@pytest.mark.parametrize(
    "tags",
    [("div",), ("div", "span", "b"), ("ul", "li"), ("table", "tr", "td"), ("blockquote",), ("section", "a")],
)
def test_hostile_nesting_of_100k_tags_stays_bounded(tags: tuple[str, ...]) -> None:
    # Linear in the tags (a stack with a per-name index, no re-scans); quadratic work would not finish.
    body = _nested(100_000, DEEP_PARAGRAPHS, tags)
    page = f"<html><head><title>Deep</title></head><body>{body}</body></html>"
    flat = extract_html.flatten_deep_html(page)
    tree = lxml.html.document_fromstring(flat)
    assert not extract_html.at_parser_depth_limit(tree)
    assert "emissions by a fifth" in tree.text_content()
    a = ingest_bytes(page.encode())
    assert "cut local nitrogen oxide emissions by a fifth" in a.text


def test_unclosed_nesting_and_stray_end_tags_are_flattened() -> None:
    page = (
        "<html><body>" + "<div><span>" * 50_000 + DEEP_PARAGRAPHS + "</em></font>" * 50_000
        + "<script>var s = '<div>' + '</p>';</script></body></html>"
    )
    a = ingest_bytes(page.encode())
    assert "would extend shore power to twelve more berths by 2026" in a.text
    assert "var s" not in a.text


def test_huge_html_page_is_cut_before_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_html, "MAX_HTML_ELEMENTS", 200)
    paragraphs = "".join(
        f"<p>Paragraph number {i} reports that the harbour handled {i * 7} ships in the period.</p>"
        for i in range(1000)
    )
    a = ingest_bytes(f"<html><body><article>{paragraphs}</article></body></html>".encode())
    assert "Paragraph number 3 reports" in a.text
    assert "Paragraph number 900 reports" not in a.text
    assert any("HTML page too large to extract whole (1,00" in s for s in a.skipped)


def test_html_without_text_is_empty() -> None:
    with pytest.raises(EmptyInputError):
        ingest_bytes(b"<!DOCTYPE html><html><head><title></title></head>"
                     b"<body><script>x()</script></body></html>")


# ----------------------------------------------------------------------------- PDF


def test_pdf_text_paragraphs_and_title() -> None:
    a = ingest_path(FIXTURES / "article.pdf")
    assert a.format == "pdf"
    assert a.title == "Heat pumps in Nordic homes: a field study"
    assert a.meta["pages"] == 2 and a.meta["content_type"] == "application/pdf"
    paragraphs = a.text.split("\n\n")
    assert paragraphs[0] == "Heat pumps in Nordic homes: a field study"
    assert paragraphs[1].startswith("Heat pumps now heat more than half")
    assert paragraphs[1].endswith("in the early 2010s.")
    assert "air-to-water heat pumps" in a.text  # a line-end hyphen is kept, lines are joined
    assert "“Cold climates are no longer a barrier,” said the lead author" in a.text
    assert "University of Tromsø." in a.text
    assert "References\n\n1. Statistics Norway, Energy use in households, 2023.\n2. Solberg" in a.text
    assert (a.language, a.auditable) == ("en", True)
    assert_normalised(a.text)


def test_pdf_without_text_layer() -> None:
    with pytest.raises(UnsupportedFormatError) as err:
        ingest_path(FIXTURES / "scanned.pdf")
    assert err.value.message == "PDF has no text layer (scanned?); OCR is not supported"


@pytest.mark.parametrize(
    "data",
    [
        (FIXTURES / "article.pdf").read_bytes()[:900],  # truncated
        b"%PDF-1.7\n" + bytes(range(256)) * 8,  # header then garbage
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF",
    ],
)
def test_corrupt_pdf_is_a_clear_input_error(data: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as err:
        ingest_bytes(data)
    assert "\n" not in str(err.value)
    assert "PDF" in err.value.message
    captured = capsys.readouterr()
    assert captured.err == ""  # pypdf's warnings are silenced


def test_pdf_with_a_broken_xref_is_read_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    data = (FIXTURES / "article.pdf").read_bytes()
    broken = data.replace(b"startxref\n", b"startxref\n1")  # pypdf repairs it, and logs warnings
    a = ingest_bytes(broken)
    assert a.text.startswith("Heat pumps in Nordic homes")
    assert capsys.readouterr().err == ""


def test_mangled_pdfs_never_escape_as_tracebacks() -> None:
    data = (FIXTURES / "article.pdf").read_bytes()
    rng = random.Random(1)
    stage = IngestStage()
    for _ in range(60):
        mangled = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            mangled[rng.randrange(len(mangled))] = rng.randrange(256)
        if rng.random() < 0.3:
            mangled = mangled[: rng.randrange(len(mangled))]
        with contextlib.suppress(InputError):  # any other exception fails the test
            ingest_bytes(bytes(mangled), stage)


def test_password_protected_pdf() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=FIXTURES / "article.pdf")
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(InputError, match="password-protected"):
        ingest_bytes(out.getvalue())


def test_pdf_encrypted_with_empty_user_password_is_read() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=FIXTURES / "article.pdf")
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert "Heat pumps now heat" in ingest_bytes(out.getvalue()).text


# ----------------------------------------------------------------------------- Markdown


def test_markdown_article() -> None:
    a = ingest_path(FIXTURES / "markdown_article.md")
    assert a.format == "markdown"
    assert a.title == "City council approves new cycle lanes"
    assert "#" not in a.text and "**" not in a.text and "*traffic*" not in a.text and "](" not in a.text
    assert "voted on Tuesday to build 12 kilometres" in a.text
    assert "\n\n- Cycling trips rose by 18% last year\n- Road deaths fell" in a.text
    assert "Sources\n\n1. Council minutes, 7 May 2024\n2. Shopkeepers' association statement" in a.text
    assert_links_consistent(a)
    assert [(link.text, link.url) for link in a.links][:2] == [
        ("council's published minutes", "https://council.example.gov/minutes/2024-05-07"),
        ("shopkeepers' association", "https://shops.example.org/statement"),
    ]
    assert len(a.links) == 4
    assert_normalised(a.text)


def test_markdown_sniffed_from_content() -> None:
    a = ingest_bytes(b"Plain words and a [link](https://example.org/page) in a paragraph of text here.")
    assert a.format == "markdown"
    assert a.text == "Plain words and a link in a paragraph of text here."
    assert a.links[0].text == "link" and a.links[0].url == "https://example.org/page"


def test_markdown_empty_anchor_and_image_links() -> None:
    a = ingest_bytes(b"# T\n\nSee [](https://e.example/empty) and ![alt](https://e.example/i.png) and "
                     b"[ spaced ](https://e.example/s) words.")
    # Dropped anchors leave their surrounding spaces (runs of spaces are not collapsed).
    assert a.text == "T\n\nSee  and  and  spaced  words."
    assert [(link.text, link.url) for link in a.links] == [("spaced", "https://e.example/s")]
    assert_links_consistent(a)


# ----------------------------------------------------------------------------- encodings and junk


def test_cp1252_file() -> None:
    a = ingest_path(FIXTURES / "cp1252_article.txt")
    assert a.format == "text"
    assert a.meta["encoding"] == "cp1252"
    assert a.title == "Café owners in Lyon say rents rose sharply"
    assert "Hélène Garçon" in a.text
    assert "“We cannot pass all of that on to customers,” she said – a complaint" in a.text
    assert "Landlords’ associations" in a.text


UTF8_STORY = (
    "Café owners in Lyon say rents rose sharply\n\n"
    "“We cannot pass all of that on to customers,” said Hélène Garçon, who runs a café near the "
    "station. Landlords’ associations say the increases follow years of frozen rents."
)


def test_utf8_with_one_stray_byte_is_read_as_utf8() -> None:
    # Was read as ISO-8859-2 by charset-normalizer ("Café" -> "CafĂŠ"), silently.
    data = UTF8_STORY.encode("utf-8").replace(b"station.", b"station.\xff")
    a = ingest_bytes(data)
    assert a.meta["encoding"] == "utf-8"
    assert a.meta["encoding_replaced_bytes"] == 1
    assert a.title == "Café owners in Lyon say rents rose sharply"
    assert "said Hélène Garçon" in a.text and "Landlords’ associations" in a.text
    assert "near the station.\ufffd Landlords" in a.text
    note = "1 byte not valid UTF-8 replaced with U+FFFD (\ufffd); the rest of the input was read as UTF-8"
    assert note in a.skipped


def test_html_declared_utf8_with_stray_bytes_is_read_as_utf8() -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>Café prices</title></head><body><article>'
        "<p>Prices at the café rose by 12 percent, “a record”, the owner said \x96 and regulars "
        "noticed it quickly, according to a survey published on Monday.\xa0</p>"
        "<p>The owners blame higher energy bills and rents for most of the increase this year.</p>"
        "</article></body></html>"
    )
    data = page.encode("utf-8").replace("\x96".encode(), b"\x96").replace("\xa0".encode(), b"\xa0")
    a = ingest_bytes(data)
    assert a.meta["encoding"] == "utf-8" and a.meta["encoding_replaced_bytes"] == 2
    assert "Prices at the café rose by 12 percent, “a record”, the owner said \ufffd and" in a.text
    assert any(s.startswith("2 bytes not valid UTF-8 replaced with U+FFFD") for s in a.skipped)


def test_decode_text_counts_replaced_bytes() -> None:
    assert decode_text(b"Caf\xc3\xa9 \xff") == DecodedText("Café \ufffd", "utf-8", 1)
    assert decode_text("Café".encode()) == DecodedText("Café", "utf-8", 0)
    assert decode_bytes(b"Caf\xc3\xa9 \xff") == ("Café \ufffd", "utf-8")


def test_horne_style_cp1252_smart_quotes_decode_as_cp1252() -> None:
    # As in the Horne 2017 articles: ASCII plus Windows punctuation (’ “ ” — …), no UTF-8 sequence.
    # charset-normalizer read such files as cp775, cp852 or mac_iceland ("’" as "Æ" or "í").
    text = (
        "Clinton’s campaign said on Monday that the “new emails” changed nothing — and that the "
        "investigation would end soon… The FBI director’s letter to Congress, critics said, "
        "came eleven days before the election and was ‘unprecedented’."
    )
    a = ingest_bytes(text.encode("cp1252"))
    assert a.meta["encoding"] == "cp1252"
    assert a.text == text
    assert "encoding_replaced_bytes" not in a.meta


def test_cp1252_with_an_accidental_utf8_pair_is_not_read_as_utf8() -> None:
    # One byte pair that happens to be valid UTF-8 ("Ã©" in cp1252) among many cp1252 bytes.
    data = (
        "The mayor’s office said the “plan” was ‘final’ — despite the Ã© typo — and that the "
        "council’s vote on the “budget” was ‘binding’, the paper’s editor wrote."
    ).encode("cp1252")
    decoded = decode_text(data)
    assert decoded.encoding != "utf-8" and decoded.replaced_bytes == 0
    assert "The mayor’s office said the “plan” was ‘final’" in decoded.text


def test_utf16_with_bom() -> None:
    a = ingest_bytes("Ein Text? No: an English sentence about the weather today in Oslo.".encode("utf-16"))
    assert a.text.startswith("Ein Text? No: an English sentence")
    assert a.meta["encoding"] == "utf-16"


@pytest.mark.parametrize(("data", "error"), [(b"", "input is empty"), (b" \n\t\r\n  ", "only whitespace")])
def test_empty_inputs(data: bytes, error: str) -> None:
    with pytest.raises(EmptyInputError, match=error):
        ingest_bytes(data)


def test_whitespace_only_after_normalisation() -> None:
    with pytest.raises(EmptyInputError):
        ingest_bytes("\u00a0\u200b\u2003\n\ufeff\u00ad".encode())


def test_binary_png_is_refused() -> None:
    rng = random.Random(7)
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(BinaryInputError) as err:
        ingest_bytes(data)
    assert err.value.message == "input looks binary (it contains NUL bytes), not text"


def test_binary_without_nul_bytes_is_refused() -> None:
    rng = random.Random(11)
    data = bytes(rng.randrange(1, 256) for _ in range(8192))
    with pytest.raises(BinaryInputError, match=r"input looks binary \(.*\), not text"):
        ingest_bytes(data)


def test_nul_bytes_in_text_are_binary() -> None:
    with pytest.raises(BinaryInputError, match="NUL"):
        ingest_bytes(b"An ordinary sentence\x00 with a NUL byte inside it.")


def test_control_characters_mean_binary() -> None:
    data = bytes(rng_bytes for rng_bytes in b"\x01\x02\x03\x04\x05\x06\x07\x0e\x0f\x10" * 20) + b"some text"
    with pytest.raises(BinaryInputError, match="control characters"):
        decode_bytes(data)


# ----------------------------------------------------------------------------- sizes


def test_raw_input_over_the_cap() -> None:
    stage = IngestStage(Settings(max_input_bytes=100))
    with pytest.raises(InputTooLargeError, match="input is 101 bytes; the limit is 100"):
        ingest_bytes(b"x" * 101, stage)


def test_file_over_the_cap_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)

    def no_read(*args: object, **kwargs: object) -> None:  # pragma: no cover - must not run
        raise AssertionError("file was opened")

    monkeypatch.setattr(Path, "open", no_read)
    stage = IngestStage(Settings(max_input_bytes=10 * 1024 * 1024))
    with pytest.raises(InputTooLargeError, match="52,428,800 bytes"):
        ingest_path(path, stage)


def test_stdin_over_the_cap() -> None:
    stage = IngestStage(Settings(max_input_bytes=10), stdin=io.BytesIO(b"y" * 50))
    with pytest.raises(InputTooLargeError, match="larger than the 10-byte limit"):
        stage(Article(source="-", meta={"location": "-"}))


def test_long_text_is_truncated_at_a_paragraph_boundary() -> None:
    paragraphs = [f"Paragraph {i} says the port handled {i} ships." for i in range(100)]
    text = "\n\n".join(paragraphs)
    stage = IngestStage(Settings(max_text_chars=500))
    a = ingest_bytes(text.encode(), stage)
    assert len(a.text) <= 500
    assert a.text.endswith("ships.")
    assert text.startswith(a.text)
    dropped = len(text) - len(a.text)
    assert any(f"the last {dropped:,} characters" in s and "not audited" in s for s in a.skipped)


def test_truncation_drops_links_past_the_cut() -> None:
    md = "\n\n".join(f"Item {i} has a [link {i}](https://e.example/{i}) in it." for i in range(50))
    a = ingest_bytes(md.encode(), IngestStage(Settings(max_text_chars=300)))
    assert a.links and all(link.end <= len(a.text) for link in a.links)
    assert_links_consistent(a)


# ----------------------------------------------------------------------------- locations


def test_file_url_is_refused() -> None:
    with pytest.raises(BlockedURLError) as err:
        ingest_path("file:///etc/passwd")
    assert err.value.message == "file:// URLs are not fetched; pass the path instead"
    assert err.value.source == "file:///etc/passwd"


@pytest.mark.parametrize("location", ["ftp://files.example/a.txt", "gopher://x.example/",
                                      "data:text/plain,hi"])
def test_other_schemes_are_refused(location: str) -> None:
    with pytest.raises(BlockedURLError, match="only http and https"):
        ingest_path(location)


def test_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        ingest_path(tmp_path)


def test_missing_file_is_a_one_line_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError) as err:
        ingest_path(missing)
    assert str(err.value) == f"{missing}: no such file"
    assert type(err.value) is InputError


def test_missing_domain_like_path_hints_at_a_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"give the whole URL: https://www\.example\.com/story"):
        ingest_path("www.example.com/story")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError) as err:
        ingest_path(path)
    assert err.value.message == "cannot read the file: Permission denied"


def _resolver(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        return table[host]

    return resolve


def test_url_ingest_through_a_mock_transport() -> None:
    page = (FIXTURES / "news_article.html").read_bytes()
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path == "/short":
            return httpx.Response(301, headers={"location": "/2024/03/14/rotterdam-shore-power"})
        return httpx.Response(200, content=page, headers={"content-type": "text/html; charset=utf-8"})

    stage = IngestStage(transport=httpx.MockTransport(handler),
                        resolver=_resolver({"www.harbourtimes.example": [PUBLIC_IP]}))
    url = "https://www.harbourtimes.example/short"
    a = stage(Article(source=url, meta={"location": url}))
    assert a.format == "html"
    assert a.meta["url"] == url
    assert a.meta["final_url"] == "https://www.harbourtimes.example/2024/03/14/rotterdam-shore-power"
    assert a.meta["fetched_at"].endswith("+00:00")
    assert a.meta["content_type"] == "text/html; charset=utf-8"
    assert "The Port of Rotterdam said on Thursday" in a.text
    assert_links_consistent(a)
    assert all(r.url.host == PUBLIC_IP for r in requests)


def test_url_serving_a_pdf() -> None:
    pdf = (FIXTURES / "article.pdf").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=pdf, headers={"content-type": "application/pdf"})

    stage = IngestStage(transport=httpx.MockTransport(handler),
                        resolver=_resolver({"r.example": [PUBLIC_IP]}))
    a = stage(Article(source="x", meta={"location": "https://r.example/paper"}))
    assert a.format == "pdf" and a.title == "Heat pumps in Nordic homes: a field study"


def test_url_to_a_private_address_is_refused_by_the_stage() -> None:
    stage = IngestStage(transport=httpx.MockTransport(lambda r: httpx.Response(200)),
                        resolver=_resolver({"intranet.example": ["10.0.0.5"]}))
    with pytest.raises(BlockedURLError):
        stage(Article(source="x", meta={"location": "http://intranet.example/"}))


def test_url_fetch_cap_follows_max_input_bytes() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"a" * 5000, headers={"content-type": "text/plain"})

    stage = IngestStage(Settings(max_input_bytes=1000), transport=httpx.MockTransport(handler),
                        resolver=_resolver({"r.example": [PUBLIC_IP]}))
    with pytest.raises(InputTooLargeError):
        stage(Article(source="x", meta={"location": "http://r.example/a.txt"}))


def test_unreachable_url() -> None:
    stage = IngestStage(transport=httpx.MockTransport(lambda r: httpx.Response(200)), resolver=_resolver({}))
    with pytest.raises(FetchError, match=r"could not reach example\.invalid: name does not resolve"):
        stage(Article(source="x", meta={"location": "http://example.invalid/"}))


# ----------------------------------------------------------------------------- language


def test_german_article_is_refused_as_unsupported_language() -> None:
    # The README promises exit 3 / FA105 for an unsupported language: ingest refuses the article
    # (the CLI, a batch and the web app all report the error) instead of auditing it without claims.
    path = FIXTURES / "german_article.txt"
    with pytest.raises(UnsupportedLanguageError) as err:
        ingest_path(path)
    assert err.value.code == "FA105" and err.value.exit_code == 3
    assert err.value.source == str(path)
    assert err.value.message.startswith("detected language 'de' (confidence ")
    assert err.value.message.endswith("is not supported; supported: en")


def test_french_is_supported_when_configured() -> None:
    text = (
        "Le conseil municipal de Lyon a approuvé mardi un plan de rénovation des écoles primaires. "
        "Selon la mairie, les travaux commenceront à la rentrée et dureront trois ans. Les syndicats "
        "d'enseignants ont salué la décision, tout en réclamant davantage de moyens pour les cantines."
    )
    a = ingest_bytes(text.encode(), IngestStage(Settings(languages=("en", "fr"))))
    assert (a.language, a.auditable) == ("fr", True)
    with pytest.raises(UnsupportedLanguageError, match="detected language 'fr'"):
        ingest_bytes(text.encode())


def test_short_foreign_text_is_read_as_english() -> None:
    a = ingest_bytes(b"Guten Tag, wie geht es Ihnen?")
    assert (a.language, a.auditable) == ("en", True)
    assert a.findings == []
    assert a.meta["language_guess"]["language"] == "de"


def test_warm_up_loads_the_language_model() -> None:
    IngestStage().warm_up()
    assert extract_language._IDENTIFIER is not None


# ----------------------------------------------------------------------------- sniffing and normalisation


@pytest.mark.parametrize(
    ("data", "name", "ctype", "expected"),
    [
        (b"%PDF-1.7\n...", None, None, "pdf"),
        (b"<!DOCTYPE html><html>", None, None, "html"),
        (b"\xef\xbb\xbf  <html lang='en'><body>", None, None, "html"),
        (b"<p>Hello</p>", None, None, "html"),
        (b"Plain text mentioning <p> later", None, None, "text"),
        (b"Anything", "page.htm", None, "html"),
        (b"Anything", None, "text/html; charset=utf-8", "html"),
        (b"Anything", "notes.md", None, "markdown"),
        (b"## Heading\n\nBody", None, None, "markdown"),
        (b"#hashtag is not a heading", None, None, "text"),
        (b"Just words.", None, None, "text"),
    ],
)
def test_sniff_format(data: bytes, name: str | None, ctype: str | None, expected: str) -> None:
    assert sniff_format(data, name=name, content_type=ctype) == expected


def test_normalize_text_rules() -> None:
    raw = (
        "\ufeff  Title\u00a0with\u2009spaces\t\tand tabs  \r\n"
        "soft\u00adhy\u200bphen\u200d and e\u0301\r\r\r\n\n\n"
        "\u201cQuoted\u201d \u2013 The Guardian.   \n\n\n\n"
    )
    assert normalize_text(raw) == (
        "Title with spaces  and tabs\nsofthyphen and \u00e9\n\n\u201cQuoted\u201d \u2013 The Guardian."
    )


_CHARS = st.sampled_from(
    ["a", "Z", " ", "\n", "\r", "\r\n", "\t", "\u00a0", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
     "\u00ad", "\u2028", "\u2029", "\u0301", "e", "\u00e9", "\u1e9b", "\u0323", "\x0b", "\x0c", "\x85",
     "\x00", "\u3000", "\u2003", ".", "\u2013", "\u201c"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_CHARS, max_size=60).map("".join)))
def test_normalize_text_is_idempotent_and_clean(s: str) -> None:
    once = normalize_text(s)
    assert normalize_text(once) == once
    assert "\r" not in once
    assert "\n\n\n" not in once
    for ch in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\t", "\u00a0"):
        assert ch not in once
    assert once == once.strip()
    assert all(line == line.rstrip(" ") for line in once.split("\n"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["text", "link"]),
                          st.lists(_CHARS, min_size=0, max_size=12).map("".join)), max_size=12))
def test_link_offsets_survive_normalisation(pieces: list[tuple[str, str]]) -> None:
    builder = TextBuilder()
    for kind, s in pieces:
        if kind == "link":
            builder.open_link("https://e.example/")
            builder.text(s)
            builder.close_link()
        else:
            builder.text(s)
    text, links = builder.finish()
    assert normalize_text(text) == text
    for link in links:
        assert text[link.start : link.end] == link.text
        assert link.text.strip() == link.text != ""


def test_numeric_character_references_left_in_text_are_decoded() -> None:
    # BBC News files keep some HTML references ("fianc&#233;e", "communiqu&#233.").
    assert normalize_text("his fianc&#233;e said the communiqu&#233. was &#x2018;new&#x2019;") == (
        "his fiancée said the communiqué. was ‘new’")
    for kept in ("R&D &amp; more", "&#38;#233;", "&#51;", "&#0;x"):
        assert normalize_text(kept) == kept
