"""Online evidence (``--online``): Wikipedia's search API, the article's cited pages, a hub verifier.

No test touches the network: every request goes through the real guarded fetcher into an
``httpx.MockTransport`` answering with recorded-format responses (``fixtures/online``), with a fake
DNS resolver; the hub download runs the real ``huggingface_hub`` against a fake transport serving
a local model folder. The verifier is the real shipped model.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import numpy as np
import pytest

from factaudit.config import Settings
from factaudit.document import Article, Citation, Report
from factaudit.errors import BlockedURLError, FetchError, ModelError
from factaudit.evidence.online import (
    CACHE_ENV,
    CombinedRetriever,
    PageRetriever,
    SearchCache,
    WikipediaSearch,
)
from factaudit.models.hub import load_verifier, resolve_model_dir
from factaudit.models.verifier import FILES_DIR, META_FILE, VerifierModel
from factaudit.pipeline import Auditor, default_stages, make_article
from factaudit.report import render
from factaudit.report.json_report import load_schema, to_json_dict
from factaudit.stages.cited import summarise

from ..helpers import FIXTURES

ONLINE = FIXTURES / "online"
PUBLIC_IP = "93.184.216.34"
API = "https://en.wikipedia.org/w/api.php"

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty Wikipedia answer cache."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))


def resolver(hosts: list[str]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in hosts:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [PUBLIC_IP]

    return resolve


class FakeWeb:
    """A MockTransport handler answering by (Host header, path) and recording every request."""

    def __init__(self, routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes.get((request.headers["host"], request.url.path))
        return answer(request) if answer else httpx.Response(404)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def recorded(name: str) -> Callable[[httpx.Request], httpx.Response]:
    body = (ONLINE / name).read_bytes()
    return lambda _req: httpx.Response(200, content=body, headers={"content-type": "application/json"})


def wiki_by_query(table: dict[str, str]) -> Callable[[httpx.Request], httpx.Response]:
    """Answer the search API from the recorded response whose key occurs in ``gsrsearch``."""

    def answer(req: httpx.Request) -> httpx.Response:
        query = parse_qs(req.url.query.decode())["gsrsearch"][0]
        name = next((v for k, v in table.items() if k in query), "wikipedia_search_empty.json")
        return recorded(name)(req)

    return answer


# ------------------------------------------------------------------------- Wikipedia search


def test_wikipedia_search_reads_the_api_response() -> None:
    web = FakeWeb({("en.wikipedia.org", "/w/api.php"): recorded("wikipedia_search_marie_curie.json")})
    wiki = WikipediaSearch(API, transport=web.transport, resolver=resolver(["en.wikipedia.org"]))
    hits = wiki.search("Marie Curie won the Nobel Prize in Physics in 1903.", k=3)
    assert [h.title for h in hits] == ["Marie Curie", "Nobel Prize in Physics", "Pierre Curie"]
    first = hits[0]
    assert first.pack == "wikipedia-online" and first.licence == "CC BY-SA 4.0"
    assert first.url == "https://en.wikipedia.org/wiki/Marie_Curie"
    assert "shared the Nobel Prize in Physics" in first.text and first.end == len(first.text)
    (req,) = web.requests
    params = parse_qs(req.url.query.decode())
    assert params["generator"] == ["search"] and params["gsrlimit"] == ["3"]
    assert params["gsrsearch"] == ["Marie Curie won the Nobel Prize in Physics in 1903."]
    assert params["explaintext"] == ["1"] and params["exintro"] == ["1"]
    # the guarded fetcher connected to the vetted address, naming the host in the header
    assert req.url.host == PUBLIC_IP and req.headers["host"] == "en.wikipedia.org"


def test_wikipedia_search_falls_back_to_the_entities() -> None:
    web = FakeWeb({("en.wikipedia.org", "/w/api.php"): wiki_by_query({"Marie Curie": "never"})})
    web.routes[("en.wikipedia.org", "/w/api.php")] = wiki_by_query(
        {"Curie Sklodowska": "wikipedia_search_marie_curie.json"}
    )
    wiki = WikipediaSearch(API, transport=web.transport, resolver=resolver(["en.wikipedia.org"]))
    hits = wiki.search("The physicist who discovered polonium was born in Warsaw", k=2,
                       entities=["Curie Sklodowska"])
    assert len(web.requests) == 2 and [h.title for h in hits] == ["Marie Curie", "Nobel Prize in Physics"]
    assert wiki.search("", k=3) == [] and wiki.search("anything", k=0) == []


def test_wikipedia_search_errors_are_clear() -> None:
    web = FakeWeb({("en.wikipedia.org", "/w/api.php"): recorded("wikipedia_error.json")})
    wiki = WikipediaSearch(API, transport=web.transport, resolver=resolver(["en.wikipedia.org"]))
    with pytest.raises(FetchError, match="refused the query: Too many values"):
        wiki.search("x y z")
    web.routes[("en.wikipedia.org", "/w/api.php")] = lambda _r: httpx.Response(200, content=b"<html>busy")
    with pytest.raises(FetchError, match="not JSON"):
        wiki.search("x y z")
    web.routes[("en.wikipedia.org", "/w/api.php")] = lambda _r: httpx.Response(503)
    with pytest.raises(FetchError, match="503"):
        wiki.search("x y z")
    # An API address that resolves to a private network is refused before any request is sent.
    private = WikipediaSearch("http://wiki.internal.example/w/api.php", transport=web.transport,
                              resolver=lambda h, p: ["10.1.2.3"])
    n = len(web.requests)
    with pytest.raises(BlockedURLError):
        private.search("x y z")
    assert len(web.requests) == n


def test_wikipedia_answers_are_cached_and_expire(tmp_path: Path) -> None:
    web = FakeWeb({("en.wikipedia.org", "/w/api.php"): recorded("wikipedia_search_marie_curie.json")})
    cache = SearchCache(tmp_path / "w.sqlite", ttl_s=3600)
    wiki = WikipediaSearch(API, transport=web.transport, resolver=resolver(["en.wikipedia.org"]), cache=cache)
    first = wiki.search("Marie Curie won the Nobel Prize in Physics in 1903.", k=3)
    again = wiki.search("Marie Curie won the Nobel Prize in Physics in 1903.", k=3)
    assert len(web.requests) == 1 and cache.hits == 1
    assert [h.to_dict() for h in again] == [h.to_dict() for h in first]
    # another process reading the same file, and another k, are different questions
    other = WikipediaSearch(API, transport=web.transport, resolver=resolver(["en.wikipedia.org"]),
                            cache=SearchCache(tmp_path / "w.sqlite", ttl_s=3600))
    other.search("Marie Curie won the Nobel Prize in Physics in 1903.", k=3)
    other.search("Marie Curie won the Nobel Prize in Physics in 1903.", k=2)
    assert len(web.requests) == 2
    expired = WikipediaSearch(API, transport=web.transport, resolver=resolver(["en.wikipedia.org"]),
                              cache=SearchCache(tmp_path / "w.sqlite", ttl_s=0))
    expired.search("Marie Curie won the Nobel Prize in Physics in 1903.", k=3)
    assert len(web.requests) == 3
    # refusals are not cached: the next search asks again
    web.routes[("en.wikipedia.org", "/w/api.php")] = recorded("wikipedia_error.json")
    for _ in range(2):
        with pytest.raises(FetchError, match="refused"):
            wiki.search("x y z")
    assert len(web.requests) == 5


@pytest.mark.parametrize("damage", ["garbage", "directory"])
def test_an_unusable_cache_is_skipped_and_said(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "w.sqlite"
    if damage == "garbage":
        path.write_bytes(b"\x00not a database" * 100)
    else:
        path.mkdir()
    cache = SearchCache(path, ttl_s=3600)
    web = FakeWeb({("en.wikipedia.org", "/w/api.php"): recorded("wikipedia_search_marie_curie.json")})
    wiki = WikipediaSearch(API, transport=web.transport, resolver=resolver(["en.wikipedia.org"]), cache=cache)
    for _ in range(2):
        assert wiki.search("Marie Curie", k=3)[0].title == "Marie Curie"
    assert len(web.requests) == 2
    assert cache.error is not None and "unusable" in cache.error and str(path) in cache.error


def test_an_online_audit_with_an_unusable_cache_folder_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "a-file" / "cache"))
    web = _solar_web()
    auditor = _wired_auditor(Settings(online=True), web.transport)
    article = auditor.run(make_article(ARTICLE, name="solar.html"))
    assert any(s.startswith("verify: Wikipedia answer cache") and "searched without it" in s
               for s in article.skipped)
    curie = next(c for c in article.claims if "Curie" in c.text)
    assert curie.verdict is not None and any(e.pack == "wikipedia-online" for e in curie.verdict.evidence)


def test_combined_retriever_keeps_local_evidence_when_online_fails() -> None:
    page = PageRetriever("Paris is the capital of France. It has 2.1 million people.", url="local:paris")
    web = FakeWeb({})
    wiki = WikipediaSearch(API, transport=web.transport, resolver=resolver([]))  # DNS fails
    both = CombinedRetriever([page, wiki, page])
    article = both.session()  # per-article state: nothing shared between articles
    hits = article.search("What is the capital of France?", k=3)
    assert [h.url for h in hits] == ["local:paris"]  # the repeated passage appears once
    assert len(article.errors) == 1 and article.errors[0].startswith("wikipedia-online: ")
    # a failed retriever is not asked again for this article: one timeout, not one per claim
    assert article.search("How many people live in Paris?", k=3) and wiki.requests == 1
    assert len(article.errors) == 1
    # the next article starts afresh: its own session, no errors carried over
    nxt = both.session()
    assert nxt.errors == []
    nxt.search("Paris", k=3)
    assert wiki.requests == 2 and len(nxt.errors) == 1 and len(article.errors) == 1
    assert not hasattr(both, "errors")


def test_page_retriever_ranks_passages_by_shared_words() -> None:
    text = ("The council met on Monday. It discussed the budget. "
            "Solar panels will cover the town hall roof by 2026. The mayor said costs fell. "
            "Residents asked about parking.")
    page = PageRetriever(text, url="https://town.example/minutes")
    hits = page.search("solar panels on the town hall roof")
    assert hits and "Solar panels will cover the town hall roof" in hits[0].text
    assert text[hits[0].start : hits[0].end] == hits[0].text
    assert PageRetriever(text, url="u").search("the of and") == []


# ------------------------------------------------------------------------- audits with --online

ARTICLE = b"""<html><head><title>Spain's solar year</title></head><body><article>
<h1>Spain's solar year</h1>
<p>Spain installed 8 gigawatts of new solar capacity in 2023, according to
<a href="https://energy.example/reports/2024/spain-solar-capacity">a report by the Energy Institute</a>.</p>
<p>The national grid operator said that wind turbines supplied a quarter of the electricity last year,
as <a href="https://grid.example/press/2024/annual-review">its annual review shows</a>.</p>
<p>Marie Curie won the Nobel Prize in Physics in 1903.</p>
<p>More coverage is on <a href="https://news.example/">News Example</a>.</p>
<p>The installers' association published
<a href="http://10.0.0.7/internal/figures.html">its own figures</a>.</p>
</article></body></html>"""

ENERGY_PAGE = b"""<html><head><title>Spain solar capacity 2023</title></head><body><article>
<h1>Spain solar capacity 2023</h1>
<p>Spain installed 8 gigawatts of new solar capacity in 2023, a record for the country.</p>
<p>Most of the new capacity was built in Andalusia and Extremadura.</p>
</article></body></html>"""

GRID_PAGE = b"""<html><head><title>Annual review</title></head><body><article>
<h1>Annual review</h1>
<p>The grid operator opened a new control centre in Madrid in March.</p>
<p>Its staff grew to 1,900 employees, and the company paid its first green bond coupon.</p>
</article></body></html>"""


def _html(body: bytes) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _r: httpx.Response(200, content=body, headers={"content-type": "text/html; charset=utf-8"})


def _solar_web() -> FakeWeb:
    return FakeWeb({
        ("en.wikipedia.org", "/w/api.php"): wiki_by_query({"Curie": "wikipedia_search_marie_curie.json"}),
        ("energy.example", "/reports/2024/spain-solar-capacity"): _html(ENERGY_PAGE),
        ("grid.example", "/press/2024/annual-review"): _html(GRID_PAGE),
    })


SOLAR_HOSTS = ("en.wikipedia.org", "energy.example", "grid.example")


def _wired_auditor(
    settings: Settings, transport: httpx.BaseTransport, hosts: tuple[str, ...] = SOLAR_HOSTS
) -> Auditor:
    """The default stages for ``settings``, every network-using stage sent through ``transport``."""
    stages = default_stages(settings)
    for stage in stages:
        if hasattr(stage, "transport"):
            stage.transport = transport  # type: ignore[attr-defined]
            stage.resolver = resolver(list(hosts))  # type: ignore[attr-defined]
    return Auditor(settings, stages)


@pytest.fixture(scope="module")
def online_report() -> Iterator[tuple[Report, FakeWeb]]:
    web = _solar_web()
    report = _wired_auditor(Settings(online=True), web.transport).report(ARTICLE, name="solar.html")
    yield report, web


def _by_url(article: Article) -> dict[str, Citation]:
    return {c.url: c for c in article.citations if c.url}


def test_cited_pages_are_read_against_the_statements_citing_them(
    online_report: tuple[Report, FakeWeb],
) -> None:
    article, web = online_report[0].article, online_report[1]
    assert "cited_pages" in article.stages_run
    cits = _by_url(article)
    energy = cits["https://energy.example/reports/2024/spain-solar-capacity"].check
    assert energy is not None and energy.status == "backs", energy
    (backing,) = energy.backing
    assert backing.verdict.label == "SUPPORTED"
    assert "8 gigawatts" in backing.verdict.evidence[0].quote
    assert backing.verdict.evidence[0].pack == "cited page"
    assert energy.final_url == "https://energy.example/reports/2024/spain-solar-capacity"

    grid = cits["https://grid.example/press/2024/annual-review"].check
    assert grid is not None and grid.status == "does_not_back"
    assert all(b.verdict.label == "NOT ENOUGH EVIDENCE" for b in grid.backing) and grid.backing

    home = cits["https://news.example/"].check
    assert home is not None and home.status == "not_checked" and "home page" in (home.error or "")

    private = cits["http://10.0.0.7/internal/figures.html"].check
    assert private is not None and private.status == "unreachable" and "private" in (private.error or "")
    hosts = {r.headers["host"] for r in web.requests}
    assert "10.0.0.7" not in hosts and "news.example" not in hosts

    codes = {f.code: f for f in article.findings}
    assert codes["cited_page_does_not_back"].refs == [cits["https://grid.example/press/2024/annual-review"].id]
    assert "cited_page_unreachable" in codes


def test_online_verification_uses_wikipedia_next_to_the_packs(online_report: tuple[Report, FakeWeb]) -> None:
    article = online_report[0].article
    claim = next(c for c in article.claims if "Curie" in c.text)
    v = claim.verdict
    # The 1911 Chemistry prize in the same extract can read as a contradiction to a small model.
    assert v is not None and v.label in ("SUPPORTED", "CONFLICTING"), v
    assert any(e.pack == "wikipedia-online" and e.label == "SUPPORTED" and "1903" in e.quote
               for e in v.evidence)
    assert next(e for e in v.evidence if e.pack == "wikipedia-online").url.startswith("https://en.wikipedia.org/")
    assert any("wikipedia-online (live search" in s for s in v.searched)


def test_online_reports_show_the_cited_page_checks(online_report: tuple[Report, FakeWeb]) -> None:
    import jsonschema

    report = online_report[0]
    data = to_json_dict(report)
    jsonschema.validate(data, load_schema())
    md = render(report, "md")
    assert "| cited page |" in md and "does not back" in md and "unreachable" in md
    html = render(report, "html")
    assert "Cited page" in html and "check-backs" in html
    text = render(report, "text")
    assert "backs" in text


def test_offline_audits_never_touch_the_network() -> None:
    web = FakeWeb({})
    auditor = _wired_auditor(Settings(), web.transport, ("en.wikipedia.org",))
    assert "cited_pages" not in [s.name for s in auditor.stages]
    article = auditor.run(make_article(ARTICLE, name="solar.html"))
    assert web.requests == []
    assert all(c.check is None for c in article.citations)


def test_online_with_the_network_down_still_finishes() -> None:
    def down(_req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("network is unreachable")

    auditor = _wired_auditor(Settings(online=True), httpx.MockTransport(down))
    article = auditor.run(make_article(ARTICLE, name="solar.html"))
    prefix = "verify: online evidence unavailable (wikipedia-online:"
    assert any(s.startswith(prefix) for s in article.skipped)
    checks = [c.check for c in article.citations if c.check and c.check.status == "unreachable"]
    assert len(checks) == 3 and all(c.error for c in checks)
    claim = next(c for c in article.claims if "Curie" in c.text)
    assert claim.verdict is not None  # the local packs still gave a verdict


def test_a_second_online_audit_asks_wikipedia_nothing_new() -> None:
    web = _solar_web()

    def audit() -> Article:
        auditor = _wired_auditor(Settings(online=True), web.transport)
        return auditor.run(make_article(ARTICLE, name="solar.html"))

    def wiki_requests() -> int:
        return sum(1 for r in web.requests if r.headers["host"] == "en.wikipedia.org")

    first = audit()
    asked = wiki_requests()
    assert asked >= 1
    second = audit()
    assert wiki_requests() == asked  # every search answered from the cache
    verdicts = [(c.text, c.verdict.label if c.verdict else None) for c in first.claims]
    assert verdicts == [(c.text, c.verdict.label if c.verdict else None) for c in second.claims]
    curie = next(c for c in second.claims if "Curie" in c.text)
    assert curie.verdict is not None and any(e.pack == "wikipedia-online" for e in curie.verdict.evidence)


def test_summarise() -> None:
    assert summarise(["SUPPORTED", "NOT ENOUGH EVIDENCE"]) == "backs"
    assert summarise(["REFUTED"]) == "contradicts"
    assert summarise(["SUPPORTED", "REFUTED"]) == "mixed"
    assert summarise(["CONFLICTING"]) == "mixed"
    assert summarise(["NOT ENOUGH EVIDENCE"]) == "does_not_back"


# ------------------------------------------------------------------------- verifier from a hub id


def _hf_folder(path: Path) -> Path:
    meta = json.loads((FILES_DIR / META_FILE).read_text(encoding="utf-8"))
    (path / "onnx").mkdir(parents=True)
    shutil.copyfile(FILES_DIR / meta["onnx_file"], path / "onnx" / "model.onnx")
    shutil.copyfile(FILES_DIR / meta["tokenizer_file"], path / "tokenizer.json")
    id2label = {str(i): name for i, name in enumerate(meta["nli_labels"])}
    (path / "config.json").write_text(json.dumps({"id2label": id2label, "max_position_embeddings": 512}))
    (path / "pytorch_model.bin").write_bytes(b"weights a verifier never needs")
    return path


def test_verifier_model_from_a_local_folder(tmp_path: Path) -> None:
    folder = _hf_folder(tmp_path / "nli")
    assert resolve_model_dir(str(folder)) == folder
    model = load_verifier(str(folder))
    assert model.predict_labels([("Paris is the capital of France.", "The capital of France is Paris.")]) == [
        "SUPPORTED"
    ]
    with pytest.raises(ModelError, match="neither a folder nor a hub id"):
        resolve_model_dir("./no/such/folder")
    with pytest.raises(ModelError, match="neither a folder nor a hub id"):
        resolve_model_dir("not a model id")


def test_verifier_model_from_a_hub_id_through_a_fake_transport(tmp_path: Path) -> None:
    hub = pytest.importorskip("huggingface_hub")
    import httpx2  # huggingface_hub's HTTP client

    folder = _hf_folder(tmp_path / "repo")
    files = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    sha = "0123456789abcdef0123456789abcdef01234567"
    requested: list[str] = []

    def handler(req: httpx2.Request) -> httpx2.Response:
        path = req.url.path
        requested.append(f"{req.method} {path}")
        if path == "/api/models/acme/minilm-nli/revision/v1":
            return httpx2.Response(200, json={"id": "acme/minilm-nli", "sha": sha,
                                              "siblings": [{"rfilename": f} for f in files]})
        if path == f"/api/models/acme/minilm-nli/tree/{sha}":
            return httpx2.Response(200, json=[
                {"type": "file", "path": f, "size": len(b), "oid": hashlib.sha1(b).hexdigest()}
                for f, b in files.items()
            ])
        prefix = f"/acme/minilm-nli/resolve/{sha}/"
        if path.startswith(prefix) and path[len(prefix):] in files:
            body = files[path[len(prefix):]]
            headers = {"X-Repo-Commit": sha, "ETag": f'"{hashlib.sha1(body).hexdigest()}"',
                       "Content-Length": str(len(body))}
            return httpx2.Response(200, headers=headers, content=b"" if req.method == "HEAD" else body)
        return httpx2.Response(404)

    hub.set_client_factory(lambda: httpx2.Client(transport=httpx2.MockTransport(handler)))
    try:
        path = resolve_model_dir("acme/minilm-nli@v1", cache_dir=tmp_path / "cache")
        got = sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())
        assert got == ["config.json", "onnx/model.onnx", "tokenizer.json"]  # no PyTorch weights
        assert not any("pytorch_model.bin" in r for r in requested)
        pairs = [("Paris is the capital of France.", "The capital of France is Paris."),
                 ("Paris is the capital of France.", "Paris has no river.")]
        ours = VerifierModel().load()
        np.testing.assert_allclose(VerifierModel(path).load().logits(pairs), ours.logits(pairs), atol=1e-4)
        with pytest.raises(ModelError, match="could not get verifier model acme/missing"):
            resolve_model_dir("acme/missing", cache_dir=tmp_path / "cache")
    finally:
        from huggingface_hub.utils._http import default_client_factory

        hub.set_client_factory(default_client_factory)


def test_the_web_app_factory_for_serve_online() -> None:
    from factaudit.web.jobs import load_factory

    auditor = load_factory("factaudit.pipeline:online_auditor")()
    assert auditor.settings.online and "cited_pages" in auditor.stage_names
    assert "cited_pages" not in load_factory("factaudit.pipeline:Auditor")().stage_names


def test_binary_empty_and_oversized_cited_pages_are_unreachable_not_errors() -> None:
    article = b"""<html><body><article><h1>Three sources</h1>
<p>The museum reopened in May after a two-year renovation, according to
<a href="https://a.example/news/2024/museum-reopens">the city</a>.</p>
<p>Visitor numbers doubled in June, as
<a href="https://b.example/stats/2024/june-visitors">figures show</a>.</p>
<p>Tickets cost 12 euros this year,
<a href="https://c.example/prices/2024/tickets.html">the museum says</a>.</p>
</article></body></html>"""
    web = FakeWeb({
        ("a.example", "/news/2024/museum-reopens"): lambda _r: httpx.Response(
            200, content=b"\x00\x01\x02\xff" * 500, headers={"content-type": "application/octet-stream"}),
        ("b.example", "/stats/2024/june-visitors"): lambda _r: httpx.Response(
            200, content=b"", headers={"content-type": "text/html"}),
        ("c.example", "/prices/2024/tickets.html"): lambda _r: httpx.Response(
            200, content=b"x", headers={"content-type": "text/html", "content-length": str(50 << 20)}),
    })
    settings = Settings(online=True, verify=False)
    stages = default_stages(settings)
    for stage in stages:
        if hasattr(stage, "transport"):
            stage.transport = web.transport  # type: ignore[attr-defined]
            stage.resolver = resolver(["a.example", "b.example", "c.example"])  # type: ignore[attr-defined]
    art = Auditor(settings, stages).run(make_article(article, name="museum.html"))
    checks = {c.domain: c.check for c in art.citations if c.check}
    assert {k: v.status for k, v in checks.items()} == dict.fromkeys(
        ["a.example", "b.example", "c.example"], "unreachable"
    )
    assert "no readable text" in (checks["a.example"].error or "")
    assert "larger than" in (checks["c.example"].error or "")
