"""Scope and SSRF guard: which URLs the fetcher may request at all.

Two layers.  :func:`is_fetchable_url` is pure (syntax only: http/https with a host, no
credentials) and is what discovery uses to drop ``file:``, ``javascript:``, ``data:`` and
``mailto:`` links.  :func:`check_scope` runs before every request, including every redirect
hop: it applies the optional host allowlist, then resolves the host and refuses private,
loopback, link-local, multicast, reserved and unspecified addresses unless private addresses
are allowed.  It never sends a request itself.  The addresses it approved are returned so the
fetcher connects to exactly those (:mod:`gxbg.crawl.pinning`: no second resolution, no
DNS-rebinding window).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Resolves a host name to its addresses (strings); raises OSError when it cannot.
Resolver = Callable[[str], Awaitable[list[str]]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
_HOST_RE = re.compile(r"^[\w-]+(\.[\w-]+)*\.?$")  # letters (IDN included), digits, "-", "_"
_IPV6_RE = re.compile(r"^[0-9a-f:.]+$", re.I)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_fetchable_url(url: str) -> bool:
    """True when ``url`` is an absolute http(s) URL with a host and no embedded credentials.

    >>> is_fetchable_url("https://www.gov.cn/zhengce/index.htm")
    True
    >>> [is_fetchable_url(u) for u in ("file:///etc/passwd", "javascript:void(0)",
    ...     "data:text/html,hi", "mailto:a@b.cn", "/relative/path", "http://", "http://u:p@host/")]
    [False, False, False, False, False, False, False]
    >>> [is_fetchable_url(u) for u in ("http://[::1]:8080/", "http://政府.中国/", "http://a%20b.cn/")]
    [True, True, False]
    """
    if not isinstance(url, str) or any(c.isspace() or ord(c) < 0x20 for c in url.strip()):
        return False
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return False
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not host:
        return False
    if not (_HOST_RE.match(host) or (host.count(":") >= 2 and _IPV6_RE.match(host))):
        return False  # e.g. "exa%20mple.gov.cn", which httpx makes of a Location with a space
    if ipv4_form_refusal(host) is not None:
        return False
    return parts.username is None and parts.password is None


def url_refusal(url: str, *, seed: bool = False) -> str | None:
    """Why ``url`` cannot be requested at all, in words for the user (None when it can).

    Refused for good: credentials in the URL (never sent; a ``seed`` says so naming the seed, without
    them: seeds are stored), a host in a non-canonical IPv4 form, anything but an http(s) URL with a host.

    >>> url_refusal("http://user:pw@www.gov.cn/")
    'URL carries credentials (user:password@): refused, gxbg never sends them; give the URL without them'
    >>> url_refusal("http://user:pw@www.gov.cn/", seed=True)
    'http://…@www.gov.cn…: credentials in a seed URL are refused (they are stored)'
    >>> url_refusal("http://0177.0.0.1/")
    "SSRF guard: non-canonical IPv4 address '0177.0.0.1' (octal, hex, integer or short form): refused"
    >>> url_refusal("https://www.gov.cn/") is None
    True
    """
    try:
        parts = urlsplit(url.strip())
        if parts.username is not None or parts.password is not None:
            if seed:
                where = f"{parts.scheme}://…@{parts.hostname}…"
                return f"{where}: credentials in a seed URL are refused (they are stored)"
            return (
                "URL carries credentials (user:password@): refused, gxbg never sends them; "
                "give the URL without them"
            )
        host = parts.hostname or ""
    except ValueError:
        host = ""
    if host and (refusal := ipv4_form_refusal(host)) is not None:
        return refusal
    if not is_fetchable_url(url):
        return f"not an http(s) URL with a host: {url[:200]!r}"
    return None


def host_allowed(host: str, allowed_hosts: Iterable[str]) -> bool:
    """True when ``host`` equals an allowlist entry or is a subdomain of one.

    >>> host_allowed("www.beijing.gov.cn", {"beijing.gov.cn"})
    True
    >>> host_allowed("evilbeijing.gov.cn", {"beijing.gov.cn"})
    False
    """
    host = host.lower().rstrip(".")
    for entry in allowed_hosts:
        entry = entry.lower().strip(".")
        if host == entry or host.endswith("." + entry):
            return True
    return False


#: Special-purpose ranges refused although Python's ``ipaddress`` may call them global (IANA
#: special-purpose registries): IETF protocol assignments (192.0.0.8 and the rest of the /24),
#: shared address space (CGNAT), benchmarking, documentation, 6to4 relay anycast, IPv6 discard,
#: Teredo, documentation, ORCHIDv2, and the local-use NAT64 prefix.
SPECIAL_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
        "100::/64", "2001::/23", "2001:db8::/32", "2001:20::/28", "64:ff9b:1::/48", "3fff::/20",
        "5f00::/16",
    )
)  # fmt: skip
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, compatible), with its form."""
    if address.ipv4_mapped is not None:
        return "IPv4-mapped", address.ipv4_mapped
    if address.sixtofour is not None:
        return "6to4", address.sixtofour
    if address in NAT64:
        return "NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if int(address) >> 32 == 0 and int(address) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return "IPv4-compatible", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not be fetched (None when it is a public unicast address).

    IPv6 forms that carry an IPv4 address (IPv4-mapped, 6to4 ``2002::/16``, NAT64
    ``64:ff9b::/96``, IPv4-compatible) are judged by that address.

    >>> address_refusal(ipaddress.ip_address("169.254.169.254"))
    'link-local address 169.254.169.254'
    >>> address_refusal(ipaddress.ip_address("::ffff:10.0.0.1"))
    'private address 10.0.0.1'
    >>> address_refusal(ipaddress.ip_address("2002:7f00:1::1"))
    'loopback address 127.0.0.1 (6to4 2002:7f00:1::1)'
    >>> address_refusal(ipaddress.ip_address("192.0.0.8"))
    'special-purpose address 192.0.0.8 (192.0.0.0/24)'
    >>> address_refusal(ipaddress.ip_address("93.184.216.34")) is None
    True
    """
    if isinstance(address, ipaddress.IPv6Address) and (embedded := _embedded_ipv4(address)) is not None:
        form, inner = embedded
        refusal = address_refusal(inner)
        if refusal is None or form == "IPv4-mapped":
            return refusal
        return f"{refusal} ({form} {address})"
    for label, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ):
        if flag:
            return f"{label} address {address}"
    for network in SPECIAL_NETWORKS:
        if address.version == network.version and address in network:
            return f"special-purpose address {address} ({network})"
    if not address.is_global:
        return f"non-global address {address}"
    return None


_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.I)
_CANONICAL_OCTET = re.compile(r"^(0|[1-9][0-9]{0,2})$")


def ipv4_form_refusal(host: str) -> str | None:
    """Why ``host`` is refused as a non-canonical IPv4 form, or None.

    A host whose last label is a number (decimal, octal ``0177``, hex ``0x7f``) is an IPv4 address to
    browsers and to ``inet_aton`` (WHATWG URL standard): ``0177.0.0.1``, ``2130706433`` and ``0x7f.1``
    all mean 127.0.0.1.  Only the canonical dotted quad is accepted; every other form is refused for
    good (never resolved, never connected).

    >>> [ipv4_form_refusal(h) is None for h in ("127.0.0.1", "8.8.8.8", "www.gov.cn", "2019.gov.cn")]
    [True, True, True, True]
    >>> forms = ("0177.0.0.1", "2130706433", "0x7f.1", "1.2.3.4.5", "08.8.8.8")
    >>> [ipv4_form_refusal(h) is None for h in forms]
    [False, False, False, False, False]
    """
    labels = host.rstrip(".").split(".")
    if not labels or not _NUMERIC_LABEL.match(labels[-1]):
        return None
    if len(labels) == 4 and all(_CANONICAL_OCTET.match(x) and int(x) <= 255 for x in labels):
        return None
    return f"SSRF guard: non-canonical IPv4 address {host!r} (octal, hex, integer or short form): refused"


async def system_resolver(host: str) -> list[str]:
    """Resolve ``host`` with the system resolver (getaddrinfo, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


@dataclass(frozen=True, slots=True)
class ScopeDecision:
    """The guard's verdict: ``allowed``, or why not (``dns_failed`` is a network problem)."""

    allowed: bool
    reason: str | None = None
    dns_failed: bool = False
    addresses: tuple[str, ...] = ()  # what was checked, for DNS pinning (empty when nothing was resolved)


async def check_scope(
    url: str,
    *,
    allow_private: bool,
    allowed_hosts: frozenset[str] = frozenset(),
    resolver: Resolver = system_resolver,
) -> ScopeDecision:
    """Decide whether ``url`` may be requested (syntax, allowlist, resolved addresses)."""
    if (refusal := url_refusal(url)) is not None:
        return ScopeDecision(False, refusal)
    host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    if allowed_hosts and not host_allowed(host, allowed_hosts):
        return ScopeDecision(False, f"host {host} is not in the allowlist")
    if allow_private:
        return ScopeDecision(True)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            names = await resolver(host)
        except (OSError, UnicodeError) as exc:
            return ScopeDecision(False, f"cannot resolve {host}: {exc}", dns_failed=True)
        if not names:
            return ScopeDecision(False, f"{host} resolved to no address", dns_failed=True)
        addresses = [ipaddress.ip_address(name.split("%", 1)[0]) for name in names]
    for address in addresses:
        refusal = address_refusal(address)
        if refusal is not None:
            return ScopeDecision(False, f"SSRF guard: {host} -> {refusal}")
    return ScopeDecision(True, addresses=tuple(str(a) for a in addresses))
