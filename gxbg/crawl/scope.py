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
    return parts.username is None and parts.password is None


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


def address_refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not be fetched (None when it is a public unicast address).

    >>> address_refusal(ipaddress.ip_address("169.254.169.254"))
    'link-local address 169.254.169.254'
    >>> address_refusal(ipaddress.ip_address("::ffff:10.0.0.1"))
    'private address 10.0.0.1'
    >>> address_refusal(ipaddress.ip_address("93.184.216.34")) is None
    True
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for label, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-global", not address.is_global),
    ):
        if flag:
            return f"{label} address {address}"
    return None


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
    if not is_fetchable_url(url):
        return ScopeDecision(False, f"not an http(s) URL with a host: {url[:200]!r}")
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
