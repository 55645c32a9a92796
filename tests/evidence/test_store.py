"""The evidence store end to end: real SQLite, tantivy, usearch and the shipped static embedder."""

from __future__ import annotations

import contextlib
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
from factaudit.evidence.store import (
    MAX_PASSAGE_CHARS,
    corpus_names,
    rebuild_store,
    sentence_spans,
    split_passages,
)

from ..helpers import FIXTURES

FIX = FIXTURES / "evidence"


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


# ------------------------------------------------------------------------------ damaged and read-only stores


def _small_store(path: Path) -> tuple[int, int]:
    with EvidenceStore(path, create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")
        store.add_documents(read_source(FIX / "folder", on_skip=lambda f, r: None), corpus="folder")
        return store.count()


def _snapshot(root: Path) -> dict[str, tuple[Any, ...]]:
    """Every file and folder under ``root`` (itself included): mode, mtime, size, content hash. A folder's
    mtime moves when anything is created in it or removed from it (a -wal, -shm or lock file)."""
    import hashlib

    out: dict[str, tuple[Any, ...]] = {}
    for p in [root, *sorted(root.rglob("*"))]:
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None
        out[str(p.relative_to(root))] = (st.st_mode, st.st_mtime_ns, st.st_size, digest)
    return out


def _adds(documents: Any, corpus: str) -> Any:
    """A ``rebuild_store`` build step."""

    def build(store: EvidenceStore) -> None:
        store.add_documents(documents, corpus=corpus)

    return build


class _FakeVerifier:
    def predict(self, pairs: Any) -> list[tuple[float, float, float]]:
        return [(0.9, 0.05, 0.05) for _ in pairs]

    def info(self) -> dict[str, Any]:
        return {"name": "fake", "version": "0"}


def test_a_zero_byte_or_foreign_sqlite_is_an_error_and_never_recreated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    path = tmp_path / "s"
    _small_store(path)
    db = path / "evidence.sqlite"
    db.write_bytes(b"")
    rebuild = r"rebuild it with 'factaudit index SOURCE\.\.\. --rebuild --store "
    for kwargs in ({"read_only": True}, {}, {"create": True}):
        with pytest.raises(StoreError, match=r"evidence\.sqlite is empty \(0 bytes\).*" + rebuild):
            EvidenceStore(path, **kwargs)
    article = tmp_path / "a.txt"
    article.write_text(
        "Mount Kilimanjaro is the highest mountain in Africa, officials said.", encoding="utf-8"
    )
    assert main(["audit", str(article), "--store", str(path), "-f", "json"]) == 6
    err = capsys.readouterr().err
    assert err.startswith("error[FA500]") and "evidence.sqlite is empty" in err and len(err.splitlines()) == 1
    assert main(["index", "--list", "--store", str(path)]) == 6
    assert "error[FA500]" in capsys.readouterr().err
    assert db.stat().st_size == 0 and sorted(p.name for p in path.iterdir()) == [
        "bm25",
        "evidence.sqlite",
        "vectors.usearch",
    ]

    db.write_bytes(b"this is not a database at all, just text" * 10)
    with pytest.raises(StoreError, match=r"evidence\.sqlite is not an SQLite database.*rebuild"):
        EvidenceStore(path, read_only=True)
    db.unlink()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    con.commit()
    con.close()
    for kwargs in ({"read_only": True}, {"create": True}):
        with pytest.raises(StoreError, match=r"has no corpora, documents, passages tables"):
            EvidenceStore(path, **kwargs)
    # a 0-byte file with nothing indexed beside it is an interrupted creation: create=True makes the store
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "evidence.sqlite").write_bytes(b"")
    with EvidenceStore(fresh, create=True) as store:
        assert store.count() == (0, 0)
    with EvidenceStore(fresh, read_only=True) as store:
        assert store.warnings == [
            f"the evidence store {fresh} holds no passages; add some with "
            f"'factaudit index SOURCE... --store {fresh}'"
        ]


def test_missing_or_damaged_vectors_are_stated_and_search_goes_on_with_bm25(tmp_path: Path) -> None:
    import factaudit
    from factaudit.config import Settings

    path = tmp_path / "s"
    _, passages = _small_store(path)
    vectors = path / "vectors.usearch"
    kept = vectors.read_bytes()
    vectors.unlink()
    with EvidenceStore(path, read_only=True) as store:
        assert not store.vectors_available and store.degraded
        assert store.warnings == [
            f"dense search off: the vector index {vectors} is missing; searched with BM25 only "
            f"(rebuild the store with 'factaudit index SOURCE... --rebuild --store {path}')"
        ]
        hits = Retriever(store).search("highest mountain in Africa", k=2)
        assert hits[0].title == "Mount Kilimanjaro" and hits[0].bm25 is not None and hits[0].dense is None
        assert Retriever(store, mode="dense").search("highest mountain in Africa", k=2) == []
    with pytest.raises(StoreError, match=r"vector index .* is missing but .* holds \d+ passages"):
        EvidenceStore(path)  # no append to half a store
    assert not vectors.exists()
    report = factaudit.audit(
        b"Mount Kilimanjaro is the highest mountain in Africa, officials said on Monday.",
        settings=Settings(store=str(path), verify_all=True),
    )
    assert any(s.startswith("verify: dense search off: the vector index") for s in report.article.skipped)
    claim = report.article.claims[0]
    assert claim.verdict is not None and claim.verdict.evidence[0].source == "Mount Kilimanjaro"
    assert not vectors.exists()

    vectors.write_bytes(b"\x00" * 64)
    with EvidenceStore(path, read_only=True) as store:
        assert store.warnings[0].startswith(f"dense search off: the vector index {vectors} cannot be read (")
    # imported here, not first thing: usearch loaded before tokenizers makes onnxruntime's import
    # segfault (a native-library clash in this environment, whatever factaudit does)
    from usearch.index import Index

    vectors.write_bytes(kept)
    full: Any = Index.restore(str(vectors))
    keys = np.asarray(full.keys, dtype=np.uint64)[:3]
    short = Index(ndim=full.ndim, metric="cos", dtype="f16")
    short.add(keys, np.vstack(full.get(keys, dtype="f32")))
    short.save(str(vectors))
    with EvidenceStore(path, read_only=True) as store:
        assert store.vectors_available and store.warnings == [
            f"the vector index {vectors} holds 3 vectors for the {passages} passages in "
            f"{path / 'evidence.sqlite'}: some evidence cannot be found by meaning "
            f"(rebuild the store with 'factaudit index SOURCE... --rebuild --store {path}')"
        ]


def test_a_missing_bm25_folder_is_stated_and_both_missing_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "s"
    _small_store(path)
    bm25 = path / "bm25"
    kept = tmp_path / "bm25-kept"
    shutil.copytree(bm25, kept)
    shutil.rmtree(bm25)
    with EvidenceStore(path, read_only=True) as store:
        assert not store.bm25_available and store.vectors_available
        assert store.warnings == [
            f"BM25 search off: the BM25 index {bm25} is missing; searched the vectors only "
            f"(rebuild the store with 'factaudit index SOURCE... --rebuild --store {path}')"
        ]
        hits = Retriever(store).search("Kilimanjaro highest mountain in Africa", k=2)
        assert hits[0].title == "Mount Kilimanjaro" and hits[0].bm25 is None and hits[0].dense is not None
    assert not bm25.exists()  # not recreated by the read-only open
    with pytest.raises(StoreError, match=r"the BM25 index .* is missing but"):
        EvidenceStore(path, create=True)
    shutil.copytree(kept, bm25)
    (bm25 / "meta.json").write_text("{not json", encoding="utf-8")
    with EvidenceStore(path, read_only=True) as store:
        assert store.warnings[0].startswith(f"BM25 search off: the BM25 index {bm25} cannot be read (")
    shutil.rmtree(bm25)
    (path / "vectors.usearch").unlink()
    with pytest.raises(
        StoreError,
        match=r"BM25 index .* is missing and the vector index .* is missing: the store cannot be searched",
    ):
        EvidenceStore(path, read_only=True)


def _audit_as(uid: int | None, path: Path, out: Any) -> None:
    """Open the store the way an audit does (the verify stage) and search it; runs in a forked child
    that drops to ``uid`` first (root ignores permission bits)."""
    import json

    from factaudit.config import Settings
    from factaudit.stages.verify import VerifyStage, verify_claims

    try:
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        stage = VerifyStage(Settings(store=str(path)), verifier=_FakeVerifier())
        retriever = stage.retriever
        hits = retriever.search("highest mountain in Africa", k=2)
        verdict = verify_claims(
            ["Mount Kilimanjaro is the highest mountain in Africa."], retriever, _FakeVerifier()
        )[0]
        listed = main(["index", "--list", "--store", str(path)])
        result = {
            "titles": [h.title for h in hits],
            "dense": [h.dense is not None for h in hits],
            "label": verdict.label,
            "warnings": stage._store.warnings,
            "list": listed,
        }
        if uid is not None:  # and writing to it is refused in so many words
            try:
                EvidenceStore(path).close()
            except StoreError as exc:
                result["append"] = exc.message
    except BaseException as exc:  # reported to the parent
        import traceback

        result = {"error": f"{exc!r}\n{traceback.format_exc()}"}
    out.write(json.dumps(result).encode())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_read_only_store_audits_and_writes_nothing() -> None:
    """chmod -R a-w on the store: an audit opens, searches and verifies, and no file or folder in it changes
    (no -wal, -shm, tantivy lock or meta.json). Root ignores permission bits, so as root the same is done
    again in a forked child running as nobody, on a store it owns."""
    import json
    import tempfile

    import factaudit
    from factaudit.config import Settings

    # not under pytest's 0700 folder, which nobody could enter
    base = Path(tempfile.mkdtemp(prefix="factaudit-ro-"))
    path = base / "s"
    try:
        os.chmod(base, 0o755)
        _small_store(path)
        if os.geteuid() == 0:
            for p in [path, *path.rglob("*")]:
                os.chown(p, 65534, 65534, follow_symlinks=False)
        for p in [path, *path.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        before = _snapshot(path)
        assert not any(name.endswith(("-wal", "-shm")) for name in before)

        read, write = os.pipe()
        _audit_as(None, path, os.fdopen(os.dup(write), "wb", closefd=True))
        os.close(write)
        with os.fdopen(read, "rb") as fh:
            here = json.loads(fh.read())
        assert "error" not in here, here.get("error")
        assert here["titles"][0] == "Mount Kilimanjaro" and all(here["dense"]) and here["warnings"] == []
        # A verdict came out of the read-only store (which one is the verifier's business, tested
        # elsewhere: the relevance head re-weighs this fake verifier's flat 0.9).
        assert here["label"] in ("SUPPORTED", "NOT ENOUGH EVIDENCE") and here["list"] == 0
        report = factaudit.audit(
            b"Mount Kilimanjaro is the highest mountain in Africa, officials said on Monday.",
            settings=Settings(store=str(path), verify_all=True),
        )
        assert report.article.claims[0].verdict is not None
        assert not [s for s in report.article.skipped if s.startswith("verify:")]
        assert _snapshot(path) == before

        if os.geteuid() == 0:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child
                os.close(read)
                try:
                    with os.fdopen(write, "wb") as fh:
                        _audit_as(65534, path, fh)
                finally:
                    os._exit(0)
            os.close(write)
            with os.fdopen(read, "rb") as fh:
                child = json.loads(fh.read() or b'{"error": "the child wrote nothing"}')
            os.waitpid(pid, 0)
            assert "error" not in child, child.get("error")
            assert child.pop("append", "").startswith(
                f"cannot write the evidence store {path}: it is read-only"
            )
            assert child == here
            assert _snapshot(path) == before
    finally:
        for p in [base, *base.rglob("*")]:
            with contextlib.suppress(OSError):
                p.chmod(p.stat().st_mode | 0o700)
        shutil.rmtree(base, ignore_errors=True)


def test_a_read_only_store_sees_writes_in_place_and_a_rebuild(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "s"
    with EvidenceStore(path, create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")
    reader = EvidenceStore(path, read_only=True)
    r = Retriever(reader)
    assert r.search("first woman to win a Nobel Prize", k=1)[0].title != "Marie Curie"
    # a writer connected meanwhile: its commits (still in the -wal file) are read, not the stale main file
    con = sqlite3.connect(path / "evidence.sqlite", isolation_level=None)
    con.execute("INSERT INTO corpora(name) VALUES ('late')")
    assert (path / "evidence.sqlite-wal").stat().st_size
    assert reader.refresh() and "late" in {c.name for c in reader.corpora()}
    with EvidenceStore(path, read_only=True) as other:
        assert "late" in {c.name for c in other.corpora()}
    con.execute("DELETE FROM corpora WHERE name = 'late'")
    con.close()
    with EvidenceStore(path) as writer:
        writer.add_documents(read_source(FIX / "folder", on_skip=lambda f, r: None), corpus="folder")
    assert r.search("first woman to win a Nobel Prize", k=1)[0].title == "Marie Curie"
    assert {c.name for c in reader.corpora()} == {"wx", "folder"}
    loire = SourceDocument(text="The Loire is the longest river entirely in France.", title="Loire")
    rebuild_store(path, _adds([loire], "loire"))
    assert r.search("longest river in France", k=1)[0].title == "Loire"
    assert [c.name for c in reader.corpora()] == ["loire"] and reader.count() == (1, 1)
    reader.close()


def test_an_interrupted_rebuild_swap_is_recovered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factaudit.evidence import store as store_mod

    path = tmp_path / "s"
    old, new, partial = (tmp_path / f"s.{x}" for x in ("old", "new", "rebuild"))
    with EvidenceStore(path, create=True) as store:
        store.add_documents(read_source(FIX / "wiki_00"), corpus="wx")

    # an older factaudit's swap cut short after its first rename: the previous store comes back
    with EvidenceStore(partial, create=True) as store:
        store.add_documents([SourceDocument(text="Half a rebuild about the Loire river.")], corpus="half")
    os.replace(path, old)
    with EvidenceStore(path, read_only=True) as store:
        assert [c.name for c in store.corpora()] == ["wx"]
        assert Retriever(store).search("highest mountain in Africa", k=1)[0].title == "Mount Kilimanjaro"
    assert path.is_dir() and not old.exists()

    # this factaudit's rebuild stopped between its two renames: the next open completes the swap
    real = os.replace

    def stop_before_the_second_rename(src: Any, dst: Any) -> None:
        if Path(src) == new and Path(dst) == path:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", stop_before_the_second_rename)
    with pytest.raises(KeyboardInterrupt):
        rebuild_store(path, _adds(read_source(FIX / "folder", on_skip=lambda f, r: None), "folder"))
    monkeypatch.setattr(store_mod.os, "replace", real)
    assert not path.exists() and (old / "evidence.sqlite").is_file() and (new / "evidence.sqlite").is_file()
    with EvidenceStore(path, read_only=True) as store:
        assert [c.name for c in store.corpora()] == ["folder"]
        assert Retriever(store).search("first woman Nobel Prize", k=1)[0].title == "Marie Curie"
    assert not old.exists() and not new.exists()
    # and a rebuild after all that works as usual
    rebuild_store(path, _adds(read_source(FIX / "wiki_00"), "wx"))
    assert corpus_names(path) == ["wx"] and sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_a_damaged_default_store_is_rebuilt_and_one_with_user_corpora_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factaudit.evidence import packs

    target = tmp_path / "default"
    monkeypatch.setenv("FACTAUDIT_STORE", str(target))
    builds: list[str] = []

    def fake_packs(store: EvidenceStore, progress: object = None, names: object = None) -> list:
        builds.append(str(store.path))
        return [
            store.add_documents([SourceDocument(text=text, title=title)], corpus=name)
            for name, title, text in (
                ("factbook", "Chile", "The capital of Chile is Santiago."),
                ("wiki-vital", "Danube", "The Danube flows into the Black Sea."),
            )
        ]

    monkeypatch.setattr(packs, "ensure_default_packs", fake_packs)
    with packs.open_default_store() as store:  # first use: built
        assert store.read_only and store.warnings == [] and len(builds) == 1
    with packs.open_default_store() as store:  # sound and complete: only opened
        assert len(builds) == 1
    (target / "evidence.sqlite").write_bytes(b"")
    with packs.open_default_store() as store:
        assert store.warnings == [] and Retriever(store).search("capital of Chile", k=1)[0].title == "Chile"
    (target / "vectors.usearch").unlink()
    with packs.open_default_store() as store:
        assert store.warnings == [] and store.vectors_available and len(builds) == 3

    def refused(*args: object, **kwargs: object) -> None:
        raise StoreError(f"cannot create an evidence store at {target}.rebuild: Read-only file system")

    (target / "vectors.usearch").rename(tmp_path / "vectors-kept")
    with monkeypatch.context() as m:  # where the cache cannot be rebuilt, it is searched as it is, and said
        m.setattr(packs, "rebuild_store", refused)
        with packs.open_default_store() as store:
            assert store.warnings[0].startswith("dense search off") and "Chile" in _titles(
                Retriever(store).search("capital of Chile", k=1)
            )
            assert store.warnings[1].startswith(f"the damaged default store {target} could not be rebuilt")
    (tmp_path / "vectors-kept").rename(target / "vectors.usearch")
    with EvidenceStore(target) as store:
        store.add_documents([SourceDocument(text="My own notes on the Danube delta.")], corpus="notes")
    (target / "vectors.usearch").unlink()
    with packs.open_default_store() as store:  # the user's corpus is not thrown away: reported instead
        assert len(builds) == 3 and "notes" in corpus_names(target)
        assert store.warnings and store.warnings[0].startswith("dense search off")
