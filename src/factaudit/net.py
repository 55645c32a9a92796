"""One guarded HTTP fetcher for everything in factaudit that touches the network.

A URL handed to factaudit may come from an untrusted article or user, so :func:`fetch` is written
against server-side request forgery:

* only ``http``/``https``; no credentials in the URL; the host must be a plain DNS name or an IP;
* the host is resolved once and *every* address it resolves to must be globally routable
  (no loopback, private, link-local/cloud-metadata, CGNAT, multicast, reserved, unique-local, or
  IPv4 addresses embedded in IPv6 forms of those); odd IPv4 spellings (``2130706433``,
  ``0x7f.0.0.1``, ``127.1``) are normalised first, as a browser or ``inet_aton`` would;
* the connection goes to the vetted IP, never to the hostname again (no DNS rebinding): the URL's
  host is replaced by the IP, ``Host`` carries the original name and, for https, the
  ``sni_hostname`` request extension makes TLS send and verify the original name;
* redirects are followed by hand, each hop re-validated the same way;
* one overall deadline and a byte cap enforced while streaming.

Environment proxies (``HTTP_PROXY``...) are ignored on purpose (``trust_env=False``): a proxy would
connect to the hostname itself and undo the address check.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from .config import FetchSettings
from .errors import BlockedURLError, FetchError, FetchTimeoutError, InputTooLargeError

__all__ = [
    "FetchResult",
    "Resolver",
    "blocked_reason",
    "default_resolver",
    "fetch",
    "parse_ip_literal",
    "validate_url",
    "vet_url",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: ``resolver(host, port) -> [ip, ...]``; the default is :func:`default_resolver` (getaddrinfo).
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = ("http", "https")
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_HOSTNAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?")
# WHATWG URL: a host whose last label is a number is an IPv4 address, whatever its spelling.
_NUMERIC_LABEL = re.compile(r"(?:0[xX][0-9A-Fa-f]*|[0-9]+)")
_ACCEPT = "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5"


@dataclass
class FetchResult:
    """What :func:`fetch` returns: the body of the final (2xx) response and how it got there."""

    url: str
    final_url: str
    status_code: int
    content_type: str | None
    content: bytes = field(repr=False)
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    #: Every URL redirected to, in order (the last is ``final_url``).
    redirects: list[str] = field(default_factory=list)


def default_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (``socket.getaddrinfo``), duplicates removed."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        ip = str(info[4][0])
        if ip not in out:
            out.append(ip)
    return out


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be contacted, or ``None`` when it is globally routable."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: list[ipaddress.IPv4Address] = []
        if ip.ipv4_mapped is not None:
            embedded.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            embedded.append(ip.sixtofour)
        if ip.teredo is not None:
            embedded.extend(ip.teredo)
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        for v4 in embedded:
            reason = blocked_reason(v4)
            if reason:
                return f"{reason} (embedded in {ip})"
        if ip.ipv4_mapped is not None:
            return None  # ::ffff:a.b.c.d is exactly as routable as a.b.c.d
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "a carrier-grade NAT address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "not a globally routable address"
    return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """The IP address ``host`` spells, or ``None`` when it is a name.

    Accepts what browsers accept for IPv4 (``2130706433``, ``0x7f.0.0.1``, ``0177.0.0.1``,
    ``127.1``) by deferring to ``inet_aton``; a host that ends in a numeric label but is not a valid
    address is refused rather than sent to DNS.
    """
    h = host.strip("[]")
    try:
        return ipaddress.ip_address(h)
    except ValueError:
        pass
    labels = h.rstrip(".").split(".")
    if not _NUMERIC_LABEL.fullmatch(labels[-1]):
        return None
    if not all(_NUMERIC_LABEL.fullmatch(label) for label in labels):
        raise BlockedURLError(f"malformed IP address in URL: {host!r}")
    try:
        return ipaddress.IPv4Address(socket.inet_aton(h.rstrip(".")))
    except OSError:
        raise BlockedURLError(f"malformed IP address in URL: {host!r}") from None


def validate_url(url: str) -> httpx.URL:
    """Parse ``url`` and refuse anything but a credential-free http(s) URL with a proper host."""
    try:
        u = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise BlockedURLError(f"malformed URL: {url!r}") from None
    if u.scheme not in ALLOWED_SCHEMES:
        shown = f"{u.scheme}:" if u.scheme else "a URL without a scheme"
        raise BlockedURLError(f"only http and https URLs are fetched, not {shown}")
    if u.userinfo:
        raise BlockedURLError("URLs with credentials (user:password@) are not fetched")
    host = u.raw_host.decode("ascii", "replace")
    if not host:
        raise BlockedURLError(f"URL has no host: {url!r}")
    if parse_ip_literal(host) is None and (len(host) > 253 or not _HOSTNAME.fullmatch(host)):
        raise BlockedURLError(f"malformed host name in URL: {host!r}")
    return u


def _resolve(resolver: Resolver, host: str, port: int, timeout: float) -> list[str]:
    """Run the resolver under the deadline (getaddrinfo itself has no timeout)."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = resolver(host, port)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="factaudit-resolve", daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if worker.is_alive():
        raise FetchTimeoutError(f"could not reach {host}: name resolution timed out")
    error = box.get("error")
    if isinstance(error, FetchError):
        raise error
    if isinstance(error, socket.gaierror):
        raise FetchError(f"could not reach {host}: name does not resolve") from None
    if isinstance(error, OSError):
        raise FetchError(f"could not reach {host}: {error.strerror or error}") from None
    if isinstance(error, BaseException):
        raise error
    result = box.get("result")
    if not isinstance(result, list) or not result:
        raise FetchError(f"could not reach {host}: name does not resolve")
    return [str(ip) for ip in result]


def _vetted_addresses(u: httpx.URL, resolver: Resolver, deadline: float) -> list[IPAddress]:
    """Every address the URL's host stands for, each checked; refuses if any one is not public."""
    host = u.raw_host.decode("ascii")
    literal = parse_ip_literal(host)
    if literal is not None:
        candidates: list[IPAddress] = [literal]
    else:
        port = u.port or (443 if u.scheme == "https" else 80)
        candidates = []
        for raw in _resolve(resolver, host, port, deadline - time.monotonic()):
            try:
                candidates.append(ipaddress.ip_address(raw.split("%", 1)[0]))
            except ValueError:
                raise BlockedURLError(f"{host} resolved to a malformed address: {raw!r}") from None
    for ip in candidates:
        reason = blocked_reason(ip)
        if reason:
            shown = host if literal is not None else f"{host} ({ip})"
            raise BlockedURLError(f"refusing to fetch {shown}: {reason}")
    return candidates


def vet_url(url: str, *, resolver: Resolver | None = None, timeout_s: float = 5.0) -> httpx.URL:
    """The check :func:`fetch` makes before each hop, without connecting: ``url`` validated and every
    address its host resolves to vetted (:class:`BlockedURLError`, or :class:`FetchError` when the
    name does not resolve within ``timeout_s``).

    For callers that refuse a URL up front (the web app answers 422 before it queues a job); the
    fetch itself checks again at connection time, since DNS answers can change in between.
    """
    u = validate_url(url)
    _vetted_addresses(u, resolver or default_resolver, time.monotonic() + timeout_s)
    return u


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def fetch(
    url: str,
    settings: FetchSettings | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver | None = None,
) -> FetchResult:
    """GET ``url`` safely (see the module docstring) and return the final 2xx response body.

    Raises :class:`BlockedURLError` for refused URLs or addresses, :class:`FetchTimeoutError` when
    ``settings.timeout_s`` (one deadline for all hops and the body) runs out,
    :class:`InputTooLargeError` over ``settings.max_bytes`` (decoded bytes), :class:`FetchError`
    for anything else (unresolvable, unreachable, too many redirects, non-2xx status).
    """
    settings = settings or FetchSettings()
    resolver = resolver or default_resolver
    deadline = time.monotonic() + settings.timeout_s
    redirects: list[str] = []
    seen: set[str] = set()
    current = validate_url(url)

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchTimeoutError(f"fetching {url} took longer than {settings.timeout_s:g} s")
        return left

    with httpx.Client(transport=transport, follow_redirects=False, trust_env=False) as client:
        while True:
            seen.add(str(current.copy_with(fragment=None)))
            response = _send_to_vetted(client, current, resolver, deadline, remaining, settings)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_CODES and location:
                    try:
                        target = current.join(location).copy_with(fragment=None)
                    except (httpx.InvalidURL, TypeError, ValueError):
                        raise BlockedURLError(f"malformed redirect target: {location!r}") from None
                    if len(redirects) >= settings.max_redirects:
                        raise FetchError(f"too many redirects (more than {settings.max_redirects})")
                    if str(target) in seen:
                        raise FetchError(f"redirect loop at {target}")
                    redirects.append(str(target))
                    current = validate_url(str(target))
                    continue
                if not 200 <= response.status_code < 300:
                    reason = response.reason_phrase or ""
                    raise FetchError(
                        f"{current.host} answered HTTP {response.status_code} {reason}".rstrip()
                    )
                content = _read_capped(response, settings, remaining, current.host)
                return FetchResult(
                    url=url,
                    final_url=str(current.copy_with(fragment=None)),
                    status_code=response.status_code,
                    content_type=response.headers.get("content-type"),
                    content=content,
                    headers=dict(response.headers),
                    redirects=redirects,
                )
            except httpx.TimeoutException:
                raise FetchTimeoutError(
                    f"fetching {url} took longer than {settings.timeout_s:g} s"
                ) from None
            except httpx.HTTPError as exc:
                raise FetchError(f"could not read {current.host}: {_one_line(exc)}") from None
            finally:
                response.close()


def _send_to_vetted(
    client: httpx.Client,
    u: httpx.URL,
    resolver: Resolver,
    deadline: float,
    remaining: Callable[[], float],
    settings: FetchSettings,
) -> httpx.Response:
    """Send a streaming GET for ``u`` to its vetted IP(s), trying each until one connects."""
    host = u.raw_host.decode("ascii")
    addresses = _vetted_addresses(u, resolver, deadline)
    is_literal = parse_ip_literal(host) is not None
    default_port = 443 if u.scheme == "https" else 80
    host_header = str(addresses[0]) if is_literal and addresses[0].version == 4 else host
    if is_literal and addresses[0].version == 6:
        host_header = f"[{addresses[0]}]"
    if u.port not in (None, default_port):
        host_header = f"{host_header}:{u.port}"
    headers = {"Host": host_header, "User-Agent": settings.user_agent, "Accept": _ACCEPT}
    extensions: dict[str, object] = {}
    if u.scheme == "https" and not is_literal:
        extensions["sni_hostname"] = host
    last_error = ""
    for ip in addresses:
        target = u.copy_with(host=str(ip), port=u.port or default_port, fragment=None)
        request = client.build_request(
            "GET", target, headers=headers, extensions=extensions, timeout=httpx.Timeout(remaining())
        )
        try:
            return client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchTimeoutError(f"could not reach {host}: timed out") from None
        except (httpx.ConnectError, httpx.NetworkError) as exc:
            last_error = _one_line(exc)
        except httpx.HTTPError as exc:
            raise FetchError(f"could not reach {host}: {_one_line(exc)}") from None
    raise FetchError(f"could not reach {host}: {last_error or 'connection failed'}")


def _read_capped(
    response: httpx.Response, settings: FetchSettings, remaining: Callable[[], float], host: str
) -> bytes:
    """Stream the body, stopping as soon as it passes the byte cap or the deadline.

    The cap counts decoded bytes, so a gzip bomb is stopped too (one network read can still inflate
    to ~1000x its size before the check). The deadline is checked between reads; a single read is
    bounded by the timeout the request was sent with (the time left at that hop).
    """
    too_large = InputTooLargeError(
        f"response from {host} is larger than the {settings.max_bytes:,}-byte limit"
    )
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_bytes:
        raise too_large
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > settings.max_bytes:
            raise too_large
        chunks.append(chunk)
        remaining()
    return b"".join(chunks)
