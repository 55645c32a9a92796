"""The evidence store end to end: real SQLite, tantivy, usearch and the shipped static embedder."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from factaudit.cli import main
from factaudit.document import ModelInfo
from factaudit.errors import EmptyInputError, InputError, ModelError, StoreError, UnsupportedFormatError
from factaudit.evidence import (
    AddProgress,
    EvidenceStore,
    Retriever,
    SourceDocument,
    pack_info,
    read_source,
    split_sentences,
)
from factaudit.evidence.embed import DEFAULT_EMBEDDER_DIR, StaticEmbedder, load_embedder
from factaudit.evidence.packs import add_pack, factbook_documents, wiki_vital_documents
from factaudit.evidence.retrieve import build_bm25_query_string
from factaudit.evidence.store import MAX_PASSAGE_CHARS, sentence_spans, split_passages

FIX = Path(__file__).parent / "fixtures" / "evidence"


@pytest.fixture(scope="module")
def folder_store(tmp_path_factory: pytest.TempPathFactory) -> EvidenceStore:
    path = tmp_path_factory.mktemp("stores") / "folder"
    store = EvidenceStore(path, create=True)
    skipped: list[str] = []
    store.add_documents(read_source(FIX / "folder", on_skip=lambda f, r: skipped.append(f)), corpus="folder")
    store.add_documents(read_source(FIX / "wiki_00"), corpus="wikiextractor")
    store.add_documents(read_source(FIX / "fever_wiki_pages.jsonl"), corpus="fever")
    store.add_documents(read_source(FIX / "wiki_dump.xml"), corpus="wikidump")
    assert skipped == [str(FIX / "folder" / "empty.txt")]
    return store


def _titles(hits: list) -> list[str | None]:
    return [h.title for h in hits]


# ------------------------------------------------------------------------------ splitting


def test_passages_keep_offsets_and_limits() -> None:
    text = (
        "Dr. Smith arrived in the U.S. in 1990. He worked at J. R. Tolkien's college. "
        "It rained. " * 12 + "\n\nA new paragraph starts here. And ends here."
    )
    passages = split_passages(text)
    assert passages
    for p in passages:
        assert 0 < p.end - p.start <= MAX_PASSAGE_CHARS
        assert text[p.start : p.end].strip() == text[p.start : p.end]
    first = sentence_spans(text)[0]
    assert text[first[0] : first[1]] == "Dr. Smith arrived in the U.S. in 1990."
    assert text[passages[-1].start : passages[-1].end] == "A new paragraph starts here. And ends here."


# ------------------------------------------------------------------------------ readers


def test_readers_parse_each_format() -> None:
    wx = list(read_source(FIX / "wiki_00"))
    assert [d.title for d in wx] == ["Photosynthesis", "Mount Kilimanjaro", "Ada Lovelace"]
    assert "Babbage's" in wx[2].text and not wx[0].text.startswith("Photosynthesis\n")

    fever = list(read_source(FIX / "fever_wiki_pages.jsonl"))
    assert [d.title for d in fever] == ["Nikola Tesla", "Penicillin"]
    assert "alternating current (AC) electricity" in fever[0].text
    assert fever[0].sentences and fever[0].text[fever[0].sentences[1].start :].startswith("He is best known")

    dump = list(read_source(FIX / "wiki_dump.xml"))
    assert [d.title for d in dump] == ["Honey bee", "Sahara"]  # redirect and talk page skipped
    bee = dump[0].text
    assert "honey bee is a eusocial flying insect" in bee
    for markup in ("{{", "[[", "'''", "<ref", "cite book", "Category:", "thumb", "=="):
        assert markup not in bee
    assert dump[0].date == "2024-03-05" and dump[0].licence

    rows = list(read_source(FIX / "records.csv"))
    assert (rows[0].key, rows[0].title, rows[0].url) == ("r1", "Eiffel Tower", "https://example.org/eiffel")
    assert len(rows) == 2

    folder = list(read_source(FIX / "folder", on_skip=lambda f, r: None))
    by_title = {d.title: d for d in folder}
    assert set(by_title) == {"Danube", "Great Barrier Reef", "Marie Curie"}
    assert "Home" not in by_title["Danube"].text and "Copyright" not in by_title["Danube"].text


def test_corrupt_and_empty_inputs_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"truncated\.xml.*(truncated|malformed)"):
        list(read_source(FIX / "truncated.xml"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine line of text"}\n{"text": "cut off', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl line 2"):
        list(read_source(bad))
    cut = tmp_path / "wiki_01"
    cut.write_text('<doc id="1" url="u" title="T">\nT\n\nSome text', encoding="utf-8")
    with pytest.raises(InputError, match="never closed"):
        list(read_source(cut))
    nocol = tmp_path / "x.csv"
    nocol.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text column"):
        list(read_source(nocol))
    with pytest.raises(InputError, match="no such file"):
        list(read_source(tmp_path / "missing"))
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    (empty_dir / "blank.txt").write_text("   \n", encoding="utf-8")
    store = EvidenceStore(tmp_path / "store", create=True)
    with pytest.raises(EmptyInputError):
        store.add_documents(read_source(empty_dir, on_skip=lambda f, r: None), corpus="empty")
    with pytest.raises(EmptyInputError):
        store.add_documents([], corpus="empty")
    # a truncated source aborts the add without leaving anything behind
    with pytest.raises(InputError):
        store.add_documents(read_source(FIX / "truncated.xml"), corpus="trunc")
    assert store.count() == (0, 0)
    store.close()


@pytest.mark.skipif(importlib.util.find_spec("libzim") is not None, reason="libzim is installed")
def test_zim_without_extra_says_how_to_install(tmp_path: Path) -> None:
    z = tmp_path / "wiki.zim"
    z.write_bytes(b"ZIM\x04")
    with pytest.raises(UnsupportedFormatError, match=r"factaudit\[zim\]"):
        list(read_source(z))


# ------------------------------------------------------------------------------ store + retrieval


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Who was the first woman to win a Nobel Prize?", "Marie Curie"),
        ("The Danube flows into the Black Sea", "Danube"),
        ("coral bleaching in Queensland", "Great Barrier Reef"),
        ("Kilimanjaro is the highest mountain in Africa", "Mount Kilimanjaro"),
        ("Tesla designed the AC electricity supply system", "Nikola Tesla"),
        ("Fleming discovered penicillin in 1928", "Penicillin"),
        ("the largest hot desert in the world", "Sahara"),
        ("bees pollinate almonds", "Honey bee"),
        ("first computer programmer", "Ada Lovelace"),
    ],
)
def test_search_finds_the_right_passage(folder_store: EvidenceStore, query: str, title: str) -> None:
    hits = Retriever(folder_store).search(query, k=3)
    assert hits and hits[0].title == title, _titles(hits)
    top = hits[0]
    assert top.score > 0 and top.rank == 1 and top.dense is not None
    assert top.text in {h.text for h in hits}


def test_modes_entities_and_offsets(folder_store: EvidenceStore) -> None:
    for mode in ("bm25", "dense"):
        hits = Retriever(folder_store, mode=mode).search("radioactivity research polonium radium", k=2)
        assert hits[0].title == "Marie Curie"
        assert (hits[0].bm25 is not None) == (mode == "bm25")
    hits = Retriever(folder_store).search("Which river has four capitals on it?", k=5, entities=["Danube"])
    assert hits[0].title == "Danube" and hits[0].pack == "folder"
    hit = hits[0]
    sents = split_sentences(hit)
    assert sents and all(hit.text[s.start : s.end] == s.text for s in sents)
    doc_text = next(
        d for d in read_source(FIX / "folder", on_skip=lambda f, r: None) if d.title == "Danube"
    ).text
    assert doc_text[hit.start : hit.end] == hit.text
    assert all(doc_text[s.doc_start : s.doc_end] == s.text for s in sents)
    assert '"danube"' not in build_bm25_query_string(
        "x", ["Danube"]
    ) and "danube^2.0" in build_bm25_query_string("x", ["Danube"])


@pytest.mark.parametrize(
    "query",
    [
        'He said "it is',
        "title:foo body:(bar",
        "AND (",
        "OR NOT",
        "a^",
        "[1 TO",
        "*",
        "\\",
        "foo~2 +bar -baz",
        "IN [a b",
        "'; DROP TABLE passages; --",
        "",
        "   ",
        "🙂 ∑ ∂",
        "x" * 5000,
        "!!!",
        "\x00nul",
    ],
)
def test_hostile_queries_do_not_raise(folder_store: EvidenceStore, query: str) -> None:
    r = Retriever(folder_store)
    assert isinstance(r.search(query, k=5), list)
    assert isinstance(r.search("Danube", k=5, entities=[query, ""]), list)


def _titles_in_child(path: str, out: Any) -> None:
    with EvidenceStore(path) as store:
        out.put(_titles(Retriever(store).search("highest mountain in Africa", k=2)))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_search_in_a_forked_worker_after_the_parent_searched(tmp_path: Path) -> None:
    """Batch workers are forked from a warmed parent; the dense-search thread pool must not be
    inherited half-alive (its threads do not survive the fork, and queued work would never run)."""
    import multiprocessing

    path = tmp_path / "s"
    with EvidenceStore(path, create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")
        parent = _titles(Retriever(store).search("highest mountain in Africa", k=2))
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_titles_in_child, args=(str(path), out))
    child.start()
    child.join(timeout=60)
    hung = child.is_alive()
    if hung:
        child.kill()
    assert not hung, "the forked worker's search never finished"
    assert out.get(timeout=5) == parent and parent[0] == "Mount Kilimanjaro"


def test_incremental_add_dedup_and_update(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "s", create=True)
    docs = [
        SourceDocument(
            text="The Rhine flows from the Swiss Alps to the North Sea.", title="Rhine", key="rhine"
        ),
        SourceDocument(
            text="The Rhine flows from the Swiss Alps to the North Sea.", title="Copy", key="copy"
        ),
    ]
    st = store.add_documents(docs, corpus="a")
    assert (st.documents, st.passages, st.duplicates) == (2, 1, 1)
    st = store.add_documents(
        [
            SourceDocument(
                text="The Loire is the longest river entirely in France.", title="Loire", key="loire"
            )
        ],
        corpus="b",
    )
    assert st.passages == 1
    r = Retriever(store)
    assert r.search("longest river in France", k=1)[0].title == "Loire"
    assert r.search("Swiss Alps North Sea", k=1)[0].title == "Rhine"
    again = store.add_documents(docs[:1], corpus="a")
    assert (again.documents, again.skipped_documents) == (0, 1)
    changed = store.add_documents(
        [SourceDocument(text="The Rhine is about 1,230 kilometres long.", title="Rhine", key="rhine")],
        corpus="a",
    )
    assert changed.replaced_documents == 1
    assert "1,230" in r.search("How long is the Rhine?", k=1)[0].text
    assert not any(
        "Swiss Alps" in h.text and h.title == "Rhine" for h in r.search("Swiss Alps North Sea", k=5)
    )
    assert {c.name: c.passages for c in store.corpora()} == {"a": 1, "b": 1}
    store.close()


def test_interrupted_build_leaves_the_old_store_usable(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with EvidenceStore(path, create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")
        before = store.count()

    class Boom(RuntimeError):
        pass

    def explode(p: AddProgress) -> None:
        if p.documents >= 2:
            raise Boom("interrupted")

    with EvidenceStore(path) as store:
        with pytest.raises(Boom):
            store.add_documents(
                read_source(FIX / "folder", on_skip=lambda f, r: None),
                corpus="folder",
                batch_size=1,
                progress=explode,
            )
        assert store.count() == before
        assert [c.name for c in store.corpora()] == ["wx"]
        hits = Retriever(store).search("Marie Curie Nobel Prize", k=5)
        assert all(h.pack == "wx" for h in hits)
    assert not (path / "vectors.usearch.tmp").exists()
    with EvidenceStore(path) as store:  # reopened, still consistent, and writable again
        assert Retriever(store).search("highest mountain in Africa", k=1)[0].title == "Mount Kilimanjaro"
        store.add_documents(read_source(FIX / "folder", on_skip=lambda f, r: None), corpus="folder")
        assert Retriever(store).search("first woman Nobel Prize", k=1)[0].title == "Marie Curie"


def test_a_failure_on_the_vector_thread_rolls_the_whole_add_back(tmp_path: Path) -> None:
    """Embedding and HNSW insertion run on a worker thread; its errors must surface and roll back."""
    real = load_embedder()

    class BreaksOnThirdBatch:
        dim, name, meta = real.dim, real.name, real.meta
        calls = 0

        def info(self) -> ModelInfo:
            return real.info()

        def encode(self, texts: list[str]) -> np.ndarray:
            type(self).calls += 1
            out = real.encode(texts)
            return out[:, :-1] if self.calls == 3 else out  # wrong width: usearch refuses it

    path = tmp_path / "s"
    with EvidenceStore(path, create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")
        before = store.count()
    with EvidenceStore(path, embedder=BreaksOnThirdBatch()) as store:  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="dimensions"):
            store.add_documents(
                read_source(FIX / "folder", on_skip=lambda f, r: None), corpus="folder", batch_size=1
            )
        assert store.count() == before
    with EvidenceStore(path) as store:
        assert [c.name for c in store.corpora()] == ["wx"]
        hits = Retriever(store, mode="dense").search("highest mountain in Africa", k=3)
        assert hits and all(h.pack == "wx" for h in hits)
        assert len(store.vector_index()) == before[1]


def test_a_store_whose_vectors_have_another_element_type_still_searches_and_grows(tmp_path: Path) -> None:
    """The vector file records its element type: a store written with another one (float32 here)
    opens, searches and takes new passages in that type."""
    from usearch.index import Index

    path = tmp_path / "s"
    with EvidenceStore(path, create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")
        index = store.vector_index()
        keys = np.asarray(index.keys, dtype=np.uint64)
        vecs = np.vstack(index.get(keys, dtype=np.float32))
    old = Index(ndim=vecs.shape[1], metric="cos", dtype="f32", connectivity=16, expansion_add=64)
    old.add(keys, vecs)
    old.save(str(path / "vectors.usearch"))
    with EvidenceStore(path) as store:
        assert str(store.vector_index().dtype).endswith("F32")
        r = Retriever(store, mode="dense")
        assert r.search("highest mountain in Africa", k=1)[0].title == "Mount Kilimanjaro"
        store.add_documents(read_source(FIX / "folder", on_skip=lambda f, r: None), corpus="folder")
        assert str(store.vector_index().dtype).endswith("F32")
        assert len(store.vector_index()) == store.count()[1]
        assert r.search("first woman to win a Nobel Prize", k=1)[0].title == "Marie Curie"


def test_stale_index_entries_above_the_high_water_mark_are_ignored(tmp_path: Path) -> None:
    """Simulate a crash after tantivy committed but before SQLite did."""
    with EvidenceStore(tmp_path / "s", create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")
        import tantivy

        writer = store.bm25_index().writer(heap_size=15_000_000, num_threads=1)
        doc = tantivy.Document()
        doc.add_unsigned("pid", store.high_water + 5)
        doc.add_text("body", "ghost passage about photosynthesis and photosynthesis")
        writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        del writer
        store.bm25_index().reload()
        assert all("ghost" not in h.text for h in Retriever(store).search("photosynthesis ghost", k=5))
        store.add_documents(
            [SourceDocument(text="Chlorophyll absorbs mostly blue and red light.", title="C")], corpus="more"
        )
        assert store.bm25_index().searcher().num_docs == store.count()[1]


def test_store_with_another_embedder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with EvidenceStore(path, create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")
    real = load_embedder()

    class Other:
        name = "someone/else"
        dim = real.dim

        def encode(self, texts: list[str], *, batch_size: int = 256) -> np.ndarray:
            return real.encode(texts)

        def info(self) -> ModelInfo:
            return ModelInfo(name=self.name, version="1", sha256="0" * 64)

    with pytest.raises(
        StoreError, match=r"built with .*static-minilm.*rebuild with 'factaudit index --rebuild'"
    ):
        EvidenceStore(path, embedder=Other())
    with pytest.raises(StoreError, match="no evidence store"):
        EvidenceStore(tmp_path / "nothing-here")


def test_default_store_built_with_another_embedder_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factaudit.evidence import packs

    target = tmp_path / "default"
    monkeypatch.setenv("FACTAUDIT_STORE", str(target))
    real = load_embedder()

    class Old:
        name, dim = "factaudit/old-embedder", real.dim

        def encode(self, texts: list[str], *, batch_size: int = 256) -> np.ndarray:
            return real.encode(texts)

        def info(self) -> ModelInfo:
            return ModelInfo(name=self.name, version="0", sha256="1" * 64)

    with EvidenceStore(target, create=True, embedder=Old()) as old:
        old.add_documents(
            [SourceDocument(text="Old text about the Moon landing in 1969.")], corpus="factbook"
        )

    def fake_packs(store: EvidenceStore, progress: object = None, names: object = None) -> list:
        return [
            store.add_documents(
                [SourceDocument(text="The capital of Chile is Santiago.", title="Chile")], corpus="factbook"
            )
        ]

    monkeypatch.setattr(packs, "ensure_default_packs", fake_packs)
    with packs.open_default_store() as store:
        assert store.meta()["embedder_name"] == real.name
        assert Retriever(store).search("capital of Chile", k=1)[0].title == "Chile"
    shutil.rmtree(target)  # a store holding a user corpus is never rebuilt behind the user's back
    with EvidenceStore(target, create=True, embedder=Old()) as other:
        other.add_documents([SourceDocument(text="My own notes on the 1969 Moon landing.")], corpus="notes")
    with pytest.raises(StoreError, match="rebuild"):
        packs.open_default_store()


def test_embedder_checks_its_files(tmp_path: Path) -> None:
    emb = load_embedder()
    info = emb.info()
    assert info.name.endswith("static-minilm-l6-256") and info.sha256 and len(info.sha256) == 64
    v = emb.encode(["The Eiffel Tower is in Paris.", "", "Der Eiffelturm steht in Paris."])
    assert v.shape == (3, emb.dim) and v.dtype == np.float32
    assert abs(float(np.linalg.norm(v[0])) - 1) < 1e-5 and not v[1].any()
    copy = tmp_path / "emb"
    shutil.copytree(DEFAULT_EMBEDDER_DIR, copy)
    with (copy / "tokenizer.json").open("a", encoding="utf-8") as fh:
        fh.write(" ")
    with pytest.raises(ModelError, match="corrupt or was replaced"):
        StaticEmbedder(copy)


# ------------------------------------------------------------------------------ packs


def test_factbook_pack_has_dated_population_facts(tmp_path: Path) -> None:
    docs = {d.key: d for d in factbook_documents()}
    assert len(docs) > 250
    germany = docs["gm"]
    assert germany.title == "Germany" and germany.licence and germany.licence.startswith("CC0")
    facts = {germany.text[s.start : s.end]: s.date for s in germany.passages or []}
    pop = next(t for t in facts if t.startswith("The population of Germany is"))
    assert "(2025 est.)" in pop and facts[pop] == "2025"
    gdp = next(t for t in facts if t.startswith("The real GDP (purchasing power parity) of Germany"))
    assert facts[gdp] == "2024"
    with EvidenceStore(tmp_path / "s", create=True) as store:
        stats = add_pack(store, "factbook")
        assert stats.passages > 5000
        hits = Retriever(store).search(
            "Germany has a population of 84 million people", k=5, entities=["Germany"]
        )
        top = next(h for h in hits if "population of Germany" in h.text)
        assert top.pack == "factbook" and top.date == "2025" and top.url and "germany" in top.url
        hits = Retriever(store).search("Berlin is the capital of Germany", k=3)
        assert any(h.text == "The capital of Germany is Berlin." for h in hits)


def test_wiki_vital_pack_reads_the_package_data() -> None:
    docs = wiki_vital_documents()
    first = [next(docs) for _ in range(50)]
    assert all(
        d.licence == "CC BY-SA 4.0" and d.url and d.url.startswith("https://en.wikipedia.org/wiki/")
        for d in first
    )
    assert all("Wikipedia contributors" in d.meta["attribution"] for d in first)
    assert sum(1 for _ in docs) > 9000
    names = [p.name for p in pack_info()]
    assert names == ["wiki-vital", "factbook"] and all(p.licence and p.attribution for p in pack_info())


# ------------------------------------------------------------------------------ CLI


def test_cli_index_list_and_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "cli-store")
    assert main(["index", str(FIX / "wiki_00"), str(FIX / "records.csv"), "--store", store, "-q"]) == 0
    assert main(["index", "--list", "--store", store]) == 0
    out = capsys.readouterr().out
    assert "wiki_00" in out and "records" in out and "5 documents" in out
    assert main(["index", str(FIX / "truncated.xml"), "--store", store, "-q"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error[FA100]") and "truncated.xml" in err and len(err.strip().splitlines()) == 1
    assert main(["index", "--store", store]) == 3  # nothing to index
    assert main(["index", "--list", "--store", str(tmp_path / "none")]) == 6
    assert main(["index", str(FIX / "fever_wiki_pages.jsonl"), "--store", store, "--rebuild", "-q"]) == 0
    with EvidenceStore(store) as s:
        assert [c.name for c in s.corpora()] == ["fever_wiki_pages"]
