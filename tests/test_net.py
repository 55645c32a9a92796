"""The guarded fetcher, driven through httpx.MockTransport and a fake resolver (never the network)."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factaudit.config import FetchSettings
from factaudit.errors import BlockedURLError, FetchError, FetchTimeoutError, InputTooLargeError
from factaudit.net import blocked_reason, default_resolver, fetch, parse_ip_literal, validate_url

PUBLIC_IP = "93.184.216.34"
PAGE = b"<html><head><title>Hello</title></head><body><p>Hello world.</p></body></html>"


def fake_resolver(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


class Recorder:
    """A MockTransport handler that records requests and answers from a route table."""

    def __init__(self, routes: dict[tuple[str, str], httpx.Response | Callable[[], httpx.Response]]):
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.headers["host"], request.url.path)
        answer = self.routes.get(key)
        if answer is None:
            return httpx.Response(404)
        return answer() if callable(answer) else answer

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def html(body: bytes = PAGE, **headers: str) -> httpx.Response:
    return httpx.Response(200, content=body, headers={"content-type": "text/html; charset=utf-8", **headers})


def redirect(location: str, status: int = 302) -> httpx.Response:
    return httpx.Response(status, headers={"location": location})


def never_called(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not run
    raise AssertionError(f"request sent to {request.url}")


NO_NETWORK = httpx.MockTransport(never_called)


# ----------------------------------------------------------------------------- happy path


def test_ok_page_goes_to_the_vetted_ip_with_the_original_host() -> None:
    rec = Recorder({("news.example", "/story"): html()})
    result = fetch(
        "https://news.example/story?id=7#top",
        transport=rec.transport,
        resolver=fake_resolver({"news.example": [PUBLIC_IP]}),
    )
    assert result.status_code == 200
    assert result.content == PAGE
    assert result.content_type == "text/html; charset=utf-8"
    assert result.url == "https://news.example/story?id=7#top"
    assert result.final_url == "https://news.example/story?id=7"
    assert result.redirects == []
    (req,) = rec.requests
    assert req.url.host == PUBLIC_IP  # connected to the IP we checked, not the name (no rebinding)
    assert req.url.scheme == "https" and req.url.port in (None, 443)
    assert req.url.path == "/story" and req.url.query == b"id=7"
    assert req.headers["host"] == "news.example"
    assert req.extensions["sni_hostname"] == "news.example"  # TLS still verifies the name
    assert "factaudit" in req.headers["user-agent"]


def test_plain_http_has_no_sni_and_keeps_a_custom_port() -> None:
    rec = Recorder({("news.example:8080", "/"): html()})
    fetch("http://news.example:8080/", transport=rec.transport,
          resolver=fake_resolver({"news.example": [PUBLIC_IP]}))
    (req,) = rec.requests
    assert (req.url.host, req.url.port) == (PUBLIC_IP, 8080)
    assert "sni_hostname" not in req.extensions


def test_ipv6_address_is_bracketed_in_the_request() -> None:
    rec = Recorder({("v6.example", "/"): html()})
    fetch("http://v6.example/", transport=rec.transport,
          resolver=fake_resolver({"v6.example": ["2606:4700:4700::1111"]}))
    assert rec.requests[0].url.host == "2606:4700:4700::1111"
    assert "[2606:4700:4700::1111]" in str(rec.requests[0].url)


def test_public_ip_literal_is_fetched_with_canonical_host_header() -> None:
    rec = Recorder({(PUBLIC_IP, "/"): html()})
    fetch(f"http://{PUBLIC_IP}/", transport=rec.transport, resolver=fake_resolver({}))
    assert rec.requests[0].headers["host"] == PUBLIC_IP


def test_idn_host_is_resolved_and_sent_in_ascii() -> None:
    seen: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        seen.append(host)
        return [PUBLIC_IP]

    rec = Recorder({("xn--bcher-kva.example", "/"): html()})
    fetch("http://bücher.example/", transport=rec.transport, resolver=resolve)
    assert seen == ["xn--bcher-kva.example"]


def test_next_address_is_tried_when_the_first_refuses() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        if request.url.host == "93.184.216.34":
            raise httpx.ConnectError("connection refused")
        return html()

    result = fetch("http://news.example/", transport=httpx.MockTransport(handler),
                   resolver=fake_resolver({"news.example": ["93.184.216.34", "93.184.216.35"]}))
    assert result.status_code == 200
    assert calls == ["93.184.216.34", "93.184.216.35"]


def test_relative_redirects_are_followed_and_recorded() -> None:
    rec = Recorder({
        ("news.example", "/old"): redirect("/new", 301),
        ("news.example", "/new"): redirect("https://www.news.example/final"),
        ("www.news.example", "/final"): html(),
    })
    result = fetch("http://news.example/old", transport=rec.transport,
                   resolver=fake_resolver({"news.example": [PUBLIC_IP], "www.news.example": [PUBLIC_IP]}))
    assert result.redirects == ["http://news.example/new", "https://www.news.example/final"]
    assert result.final_url == "https://www.news.example/final"
    assert [r.headers["host"] for r in rec.requests] == ["news.example", "news.example", "www.news.example"]


# ----------------------------------------------------------------------------- refused addresses

BLOCKED_LITERALS = [
    "http://127.0.0.1/",
    "http://127.0.0.1:8080/admin",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[::1]/",
    "http://2130706433/",  # 127.0.0.1 as one decimal number
    "http://0x7f.0.0.1/",  # hex first octet
    "http://0x7f000001/",
    "http://0177.0.0.1/",  # octal
    "http://127.1/",  # short form
    "http://017700000001/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:169.254.169.254]/",
    "http://10.1.2.3/",
    "http://172.16.5.4/",
    "http://192.168.0.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 wrapping 10.0.0.1
    "http://[::127.0.0.1]/",  # deprecated IPv4-compatible form
    "http://198.18.0.1/",  # benchmarking range
]


@pytest.mark.parametrize("url", BLOCKED_LITERALS)
def test_blocked_address_literals(url: str) -> None:
    # Refused as a non-public address, or (httpx rejects some odd spellings) as a malformed URL.
    with pytest.raises(BlockedURLError, match=r"refusing to fetch|malformed"):
        fetch(url, transport=NO_NETWORK, resolver=fake_resolver({}))


def test_blocked_message_names_the_reason() -> None:
    with pytest.raises(BlockedURLError) as err:
        fetch("http://169.254.169.254/latest/meta-data/", transport=NO_NETWORK)
    assert str(err.value) == "refusing to fetch 169.254.169.254: a link-local address"
    with pytest.raises(BlockedURLError, match="2130706433: a loopback address"):
        fetch("http://2130706433/", transport=NO_NETWORK)


@pytest.mark.parametrize("ips", [["10.0.0.5"], [PUBLIC_IP, "10.0.0.5"], ["::1"], ["169.254.169.254"],
                                 ["fe80::1%eth0"]])
def test_hostname_resolving_to_a_private_address_is_refused(ips: list[str]) -> None:
    with pytest.raises(BlockedURLError) as err:
        fetch("https://intranet.example/", transport=NO_NETWORK,
              resolver=fake_resolver({"intranet.example": ips}))
    assert "intranet.example" in str(err.value)


def test_localhost_through_the_real_resolver_is_refused() -> None:
    # getaddrinfo("localhost") is answered from the hosts file: no network involved.
    assert default_resolver("localhost", 80)
    with pytest.raises(BlockedURLError):
        fetch("http://localhost/", transport=NO_NETWORK)


def test_redirect_to_a_private_address_is_refused_before_it_is_requested() -> None:
    rec = Recorder({("news.example", "/"): redirect("http://internal.example/secret")})
    with pytest.raises(BlockedURLError, match=r"internal\.example \(10\.0\.0\.5\)"):
        fetch("http://news.example/", transport=rec.transport,
              resolver=fake_resolver({"news.example": [PUBLIC_IP], "internal.example": ["10.0.0.5"]}))
    assert len(rec.requests) == 1


def test_redirect_to_metadata_ip_and_to_file_scheme_are_refused() -> None:
    resolver = fake_resolver({"news.example": [PUBLIC_IP]})
    for target in ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"):
        rec = Recorder({("news.example", "/"): redirect(target)})
        with pytest.raises(BlockedURLError):
            fetch("http://news.example/", transport=rec.transport, resolver=resolver)
        assert len(rec.requests) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "not file:"),
        ("ftp://ftp.example/file.txt", "not ftp:"),
        ("data:text/html,<p>hi</p>", "not data:"),
        ("javascript:alert(1)", "not javascript:"),
        ("gopher://old.example/", "not gopher:"),
        ("news.example/story", "without a scheme"),
        ("http://user:secret@news.example/", "credentials"),
        ("http:///path-only", "no host"),
        ("http://exa mple.com/", "malformed host"),
        ("http://1.2.3.4.5/", "malformed IP"),
        ("http://0x1g.0.0.1/", "malformed"),
        ("http://[::1/", "malformed URL"),
    ],
)
def test_refused_urls(url: str, message: str) -> None:
    with pytest.raises(BlockedURLError, match=message):
        fetch(url, transport=NO_NETWORK, resolver=fake_resolver({"news.example": [PUBLIC_IP]}))


# ----------------------------------------------------------------------------- redirects, size, time


def test_too_many_redirects() -> None:
    routes: dict[tuple[str, str], httpx.Response | Callable[[], httpx.Response]] = {
        ("news.example", f"/{i}"): redirect(f"/{i + 1}") for i in range(10)
    }
    rec = Recorder(routes)
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
        fetch("http://news.example/0", FetchSettings(max_redirects=3), transport=rec.transport,
              resolver=fake_resolver({"news.example": [PUBLIC_IP]}))
    assert len(rec.requests) == 4


def test_redirect_loop() -> None:
    rec = Recorder({("news.example", "/a"): redirect("/b"), ("news.example", "/b"): redirect("/a")})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch("http://news.example/a", transport=rec.transport,
              resolver=fake_resolver({"news.example": [PUBLIC_IP]}))


def test_declared_oversize_body_is_refused_without_reading() -> None:
    rec = Recorder({("news.example", "/"): html(b"x" * 2000)})
    with pytest.raises(InputTooLargeError, match="1,000-byte limit"):
        fetch("http://news.example/", FetchSettings(max_bytes=1000), transport=rec.transport,
              resolver=fake_resolver({"news.example": [PUBLIC_IP]}))


def test_streamed_oversize_body_is_cut_off() -> None:
    produced: list[int] = []

    def chunks() -> Iterator[bytes]:
        for i in range(1000):
            produced.append(i)
            yield b"y" * 100

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())  # no content-length

    with pytest.raises(InputTooLargeError):
        fetch("http://news.example/", FetchSettings(max_bytes=1000), transport=httpx.MockTransport(handler),
              resolver=fake_resolver({"news.example": [PUBLIC_IP]}))
    assert len(produced) < 20  # stopped streaming soon after the cap


def test_non_2xx_status_is_a_fetch_error() -> None:
    rec = Recorder({})
    with pytest.raises(FetchError, match=r"news\.example answered HTTP 404 Not Found"):
        fetch("http://news.example/missing", transport=rec.transport,
              resolver=fake_resolver({"news.example": [PUBLIC_IP]}))


def test_unresolvable_host() -> None:
    with pytest.raises(FetchError) as err:
        fetch("http://example.invalid/", transport=NO_NETWORK, resolver=fake_resolver({}))
    assert str(err.value) == "could not reach example.invalid: name does not resolve"
    assert not isinstance(err.value, BlockedURLError)


def test_resolver_returning_nothing_or_garbage() -> None:
    with pytest.raises(FetchError, match="name does not resolve"):
        fetch("http://empty.example/", transport=NO_NETWORK, resolver=fake_resolver({"empty.example": []}))
    with pytest.raises(BlockedURLError, match="malformed address"):
        fetch("http://odd.example/", transport=NO_NETWORK, resolver=fake_resolver({"odd.example": ["nope"]}))


def test_connection_failure_is_one_line() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused\nmore detail")

    with pytest.raises(FetchError) as err:
        fetch("http://news.example/", transport=httpx.MockTransport(handler),
              resolver=fake_resolver({"news.example": [PUBLIC_IP]}))
    assert str(err.value) == "could not reach news.example: [Errno 111] Connection refused"


def test_transport_timeout_is_a_fetch_timeout() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out")

    with pytest.raises(FetchTimeoutError):
        fetch("http://news.example/", transport=httpx.MockTransport(handler),
              resolver=fake_resolver({"news.example": [PUBLIC_IP]}))


def test_slow_resolver_hits_the_overall_deadline() -> None:
    def slow(host: str, port: int) -> list[str]:
        time.sleep(2)
        return [PUBLIC_IP]

    t0 = time.monotonic()
    with pytest.raises(FetchTimeoutError, match="name resolution timed out"):
        fetch("http://news.example/", FetchSettings(timeout_s=0.2), transport=NO_NETWORK, resolver=slow)
    assert time.monotonic() - t0 < 1.5


def test_slow_body_hits_the_overall_deadline() -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.05)
            yield b"z"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=drip())

    t0 = time.monotonic()
    with pytest.raises(FetchTimeoutError, match=r"longer than 0\.3 s"):
        fetch("http://news.example/", FetchSettings(timeout_s=0.3), transport=httpx.MockTransport(handler),
              resolver=fake_resolver({"news.example": [PUBLIC_IP]}))
    assert time.monotonic() - t0 < 2


# ----------------------------------------------------------------------------- helpers


def test_parse_ip_literal_normalises_odd_ipv4_forms() -> None:
    loopback = ipaddress.IPv4Address("127.0.0.1")
    for host in ("127.0.0.1", "2130706433", "0x7f.0.0.1", "0x7F000001", "0177.0.0.1", "127.1", "127.0.0.1."):
        assert parse_ip_literal(host) == loopback, host
    assert parse_ip_literal("[::1]") == ipaddress.IPv6Address("::1")
    assert parse_ip_literal("news.example") is None
    assert parse_ip_literal("1e100.net") is None  # ends in a name, not a number


def test_blocked_reason_for_public_addresses_is_none() -> None:
    for ip in (PUBLIC_IP, "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"):
        assert blocked_reason(ipaddress.ip_address(ip)) is None, ip


def test_validate_url_returns_parsed_url() -> None:
    assert validate_url("HTTPS://News.Example/a").host == "news.example"


# ----------------------------------------------------------------------------- property

PRIVATE_NETWORKS = [
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
    "0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "::1/128", "fe80::/10", "fc00::/7", "ff00::/8",
    "::ffff:10.0.0.0/104", "::ffff:127.0.0.0/104", "::ffff:192.168.0.0/112",
]
private_ips = st.sampled_from(PRIVATE_NETWORKS).flatmap(lambda net: st.ip_addresses(network=net))
hostnames = st.from_regex(r"\A[a-z][a-z0-9-]{0,20}(\.[a-z][a-z0-9-]{0,20}){1,3}\Z")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(host=hostnames, ip=private_ips, scheme=st.sampled_from(["http", "https"]),
       path=st.from_regex(r"\A(/[a-z0-9]{0,8}){0,3}\Z"), extra_public=st.booleans())
def test_any_host_resolving_to_a_private_ip_is_refused(
    host: str, ip: ipaddress.IPv4Address | ipaddress.IPv6Address, scheme: str, path: str, extra_public: bool
) -> None:
    ips = [PUBLIC_IP, str(ip)] if extra_public else [str(ip)]
    with pytest.raises(BlockedURLError):
        fetch(f"{scheme}://{host}{path}", transport=NO_NETWORK, resolver=fake_resolver({host: ips}))


@settings(max_examples=100, deadline=None)
@given(ip=private_ips)
def test_private_ip_literals_are_refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    host = f"[{ip}]" if ip.version == 6 else str(ip)
    with pytest.raises(BlockedURLError):
        fetch(f"http://{host}/", transport=NO_NETWORK, resolver=fake_resolver({}))
