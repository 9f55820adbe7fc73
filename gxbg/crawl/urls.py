"""URLs and scope for discovery: canonical forms for dedup, site keys, the scope rule, link resolution.

Pure functions over strings.  Scope rule: a URL is in scope when its scheme is http(s) and its
*site key* equals the seed's — the registrable domain (last three labels under ``.gov.cn``, last two
otherwise) for host names, the exact address for IP hosts — with the port part of the key, or when
its host is in the explicit allowlist.  So ``127.0.0.1:8001`` is out of scope for a seed on
``127.0.0.1:8000``.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urljoin, urlsplit

from w3lib.url import canonicalize_url

from gxbg.crawl.scope import is_fetchable_url, url_refusal

__all__ = ["absolute", "canonical", "in_scope", "seed_problem", "site_key"]


def canonical(url: str) -> str:
    """Canonical form for dedup: w3lib canonicalisation, no fragment, ``_wap`` twin folded.

    >>> canonical("http://a.gov.cn/x/t1_wap.html#top")
    'http://a.gov.cn/x/t1.html'
    """
    url = re.sub(r"_wap(\.s?html?)(?=$|[?#])", r"\1", url)
    return canonicalize_url(url, keep_fragments=False)


def site_key(url: str) -> str:
    """Registrable domain (or exact IP) plus port.

    >>> site_key("http://www.demo-xian.gov.cn/a"), site_key("http://127.0.0.1:8000/b")
    ('demo-xian.gov.cn:80', '127.0.0.1:8000')
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        ipaddress.ip_address(host)
        return f"{host}:{port}"
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if host.endswith(".gov.cn") else 2
    return ".".join(labels[-keep:]) + f":{port}"


def in_scope(url: str, seed: str, allow: frozenset[str] = frozenset()) -> bool:
    """Whether discovery may follow ``url`` from a crawl seeded at ``seed``."""
    if not is_fetchable_url(url):
        return False
    host = (urlsplit(url).hostname or "").lower()
    return host in allow or site_key(url) == site_key(seed)


def absolute(href: str | None, base: str) -> str | None:
    """``href`` resolved against ``base``; None for empty, fragment-only and non-web links."""
    if not href:
        return None
    href = href.strip()
    if re.match(r"^(javascript|mailto|tel|data|about):", href, re.I) or href.startswith("#"):
        return None
    return urljoin(base, href)


def seed_problem(url: str) -> str | None:
    """Why ``url`` cannot be a seed, or None.

    >>> seed_problem("not-a-url")
    "'not-a-url' is not a URL: give http(s)://host/…"
    >>> seed_problem("ftp://example.gov.cn/")
    "'ftp://example.gov.cn/': only http and https are crawled"
    >>> seed_problem("https://user:pw@example.gov.cn/") is not None
    True
    >>> seed_problem("https://www.example.gov.cn/") is None
    True
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"{url!r} is not a URL: {exc}"
    if not parts.scheme and not parts.netloc:
        return f"{url!r} is not a URL: give http(s)://host/…"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{url!r}: only http and https are crawled"
    if not parts.hostname:
        return f"{url!r} has no host name"
    return url_refusal(url, seed=True)  # credentials, 0177.0.0.1, 2130706433 …: refused for good
