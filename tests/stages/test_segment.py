from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factaudit.config import Settings
from factaudit.document import Article
from factaudit.stages.segment import SegmentStage

from ..helpers import analyse, seed_text


def test_seed_structure_title_faq_and_references() -> None:
    a = analyse(seed_text())
    kinds = [b.kind for b in a.blocks]
    assert kinds[0] == "title"
    # The title is repeated in the seed: merged into one block that keeps both spans.
    title = a.blocks[0]
    assert len(title.duplicates) == 1
    dup = title.duplicates[0]
    assert a.text[dup.start : dup.end] == title.text
    assert a.title == title.text
    assert len(a.qa_pairs) == 5
    questions = [p.question for p in a.qa_pairs]
    assert questions[0] == "Is Elon Musk collaborating with Russia and China?"
    assert a.qa_pairs[0].answer == "Yes, Elon Musk has engaged in collaborations with both Russia and China."
    for p in a.qa_pairs:
        assert a.block(p.answer_block).question_id == p.question_block
    refs = [b for b in a.blocks if b.kind == "reference"]
    assert [r.text for r in refs] == [
        "– The Guardian. (URL: www.theguardian.com)",
        "– Financial Times. (URL: www.ft.com)",
    ]


def test_every_span_maps_back_to_its_text() -> None:
    a = analyse(seed_text())
    for obj in [*a.blocks, *a.sentences, *a.assertions, *a.citations]:
        assert a.text[obj.start : obj.end] == obj.text


def test_footnote_marker_stays_with_its_sentence() -> None:
    a = analyse("Shares fell sharply on Monday, according to Reuters [1]. The bank said rates would rise.")
    assert [s.text for s in a.sentences] == [
        "Shares fell sharply on Monday, according to Reuters [1].",
        "The bank said rates would rise.",
    ]


def test_sources_heading_marks_following_lines_as_references() -> None:
    a = analyse("Body text here is long enough to be a paragraph.\n\nSources:\n- Reuters\n- AP News")
    assert [b.kind for b in a.blocks] == ["paragraph", "heading", "reference", "reference"]


def test_a_100k_character_sentence_is_cut_not_crashed() -> None:
    text = "word " * 20_000 + "end."
    stage = SegmentStage(Settings(max_sentence_chars=2000))
    a = stage(Article(source="<t>", text=text.strip()))
    assert all(len(s.text) <= 2000 for s in a.sentences)
    assert "".join(s.text for s in a.sentences).replace(" ", "") == text.strip().replace(" ", "")
    assert any("cut into pieces" in m for m in a.skipped)


def test_text_without_sentences_gives_no_assertions() -> None:
    a = analyse("—— ... ——")
    assert a.assertions == []


_words = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc")) | st.just("\n"), min_size=0, max_size=400
)


@settings(max_examples=40, deadline=None)
@given(_words)
def test_property_sentence_and_block_spans_are_exact(text: str) -> None:
    text = text.strip()
    a = SegmentStage()(Article(source="<h>", text=text))
    for b in a.blocks:
        assert text[b.start : b.end] == b.text and b.text.strip() == b.text and b.text
    last = -1
    for s in a.sentences:
        assert text[s.start : s.end] == s.text
        assert s.start >= last
        last = s.end
        blk = a.block(s.block_id)
        assert blk.start <= s.start and s.end <= blk.end


def test_page_furniture_and_what_it_belongs_to_are_asides_not_statements() -> None:
    # Horne 2017 (random real/151, a Guardian story): another story's teaser above "Read more", a
    # photo caption above the share buttons and one ending in its credit ran into the claims
    # ("Photograph: Mike Segar/Reuters Since 1990, Detroit's population has dropped ...").
    text = ("These are all things they give bad marks to DPS on, he said.\n\n"
            "Analysis Trump's cabinet looks increasingly conventional but far from moderate\n"
            "Donald Trump's personnel picks have stayed within the Republican mainstream\n"
            " Read more\n"
            "That's why Clark is alarmed by Donald Trump's nomination of Betsy DeVos.\n\n"
            " Trump stands with Betsy DeVos after their meeting in Bedminster, New Jersey.\n"
            "Facebook Twitter Pinterest\n"
            " Trump stands with Betsy DeVos after their meeting in Bedminster, New Jersey. Photograph: Mike "
            "Segar/Reuters\n"
            "Since 1990, Detroit's population has dropped nearly 35%, while its school district's attendance "
            "has plummeted nearly 75% in the same period, a signal of the proliferation of charters and of "
            "the exodus of families from the city.")
    a = analyse(text, claims=True)
    kinds = {b.text.strip()[:20]: b.kind for b in a.blocks}
    assert kinds["Analysis Trump's cab"] == "aside" and kinds["Read more"] == "aside"
    assert kinds["Facebook Twitter Pin"] == "aside"
    assert kinds["That's why Clark is "] == "paragraph" and kinds["Since 1990, Detroit'"] == "paragraph"
    claims = [c.text for c in a.claims]
    assert not [c for c in claims if "Photograph" in c or "Analysis" in c or "Trump stands" in c]
    assert any(c.startswith("Since 1990, Detroit's population has dropped nearly 35%") for c in claims)
    assert all(x.block_id not in {b.id for b in a.blocks if b.kind == "aside"} for x in a.assertions)


def test_a_bracketed_story_link_and_a_credited_caption_are_asides() -> None:
    # Horne 2017 (BuzzFeed real/153, a Washington Post story): another story's linked headline in
    # square brackets and a video caption ending in its credit had become claims.
    text = ("There's nothing like dance to convey enthusiasm and energy, so it's a natural political "
            "tool.\n\n"
            "[In a departure from negative TV ads, Clinton airs a spot featuring home videos of "
            "children.]\n\n"
            "The power behind the 'power blazer'  Play Video3:26\n"
            "Designer Nina McLemore knows how to dress with attitude, which is why presidential candidate "
            "Hillary Clinton looks to her for fashion advice. (Erin Patrick O'Connor/The Washington Post)\n\n"
            "The directors didn't have a permit to use Union Square for their shoot.")
    a = analyse(text, claims=True)
    kinds = {b.text.strip()[:12]: b.kind for b in a.blocks}
    assert kinds["[In a depart"] == "aside" and kinds["Designer Nin"] == "aside"
    assert kinds["The director"] == "paragraph"
    claims = [c.text for c in a.claims]
    assert not [c for c in claims if "departure" in c or "McLemore" in c]
    assert "The directors didn't have a permit to use Union Square for their shoot." in claims
