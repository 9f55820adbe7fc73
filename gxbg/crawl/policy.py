"""Fetch policy: every knob of the polite fetcher in one frozen dataclass.

Defaults follow docs/architecture.md §3 and the polite-crawler table of the crawling reference
(§5): one request per host at a time, about a second between requests with ±50% jitter,
robots.txt obeyed, ten redirects, 50 MB, three retries with exponential backoff.  Tests pass
tiny delays and timeouts; the demo and tests pass ``allow_private=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxbg import __version__

#: Default User-Agent: names the project and a contact, as the reference asks (§5).
DEFAULT_USER_AGENT = (
    f"gxbg/{__version__} (+https://github.com/gxbg/gxbg; annual-report research crawler; "
    "contact: gxbg-crawler@example.org)"
)

#: Statuses retried with backoff (Scrapy's RETRY_HTTP_CODES plus 425 and every other 5xx).
RETRY_STATUSES = frozenset({408, 425, 429})


def is_retry_status(status: int) -> bool:
    """True for 408/425/429 and every 5xx.

    >>> [is_retry_status(s) for s in (200, 404, 429, 500, 503, 599)]
    [False, False, True, True, True, True]
    """
    return status in RETRY_STATUSES or 500 <= status <= 599


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    """How the :class:`~gxbg.crawl.fetch.Fetcher` behaves.  Times are seconds."""

    per_host_concurrency: int = 1
    delay: float = 1.0  # between request starts on one host; robots Crawl-delay is a floor
    jitter: float = 0.5  # the delay is multiplied by uniform(1 - jitter, 1 + jitter)
    obey_robots: bool = True
    max_redirects: int = 10
    max_bytes: int = 50_000_000  # decoded body cap, enforced while streaming
    timeout: float = 30.0  # connect / read / write / pool; a whole attempt gets 4x this
    retries: int = 3  # extra attempts after the first, for transient failures only
    backoff: float = 0.5  # first retry waits backoff * 2**0 * jitter, then doubles
    allow_private: bool = False  # let the SSRF guard pass loopback/private addresses
    user_agent: str = DEFAULT_USER_AGENT
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)  # empty: any public host
    # Additions beyond architecture §3 (defaults keep the documented behaviour):
    max_retry_after: float = 60.0  # a Retry-After or robots Crawl-delay longer than this is capped to it
    stub_max_bytes: int = 512  # a 200 HTML body smaller than this is a stub (0 disables)

    def __post_init__(self) -> None:
        if self.per_host_concurrency < 1:
            raise ValueError(f"per_host_concurrency must be >= 1, got {self.per_host_concurrency}")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter must be within [0, 1], got {self.jitter}")
        for name in ("delay", "timeout", "backoff", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        if self.retries < 0 or self.max_redirects < 0 or self.max_bytes < 1:
            raise ValueError("retries and max_redirects must be >= 0 and max_bytes >= 1")

    @classmethod
    def for_run(cls, *, allow_private: bool = False, polite: bool = True) -> FetchPolicy:
        """A harvest's policy from its two switches: the polite defaults, or ``polite=False`` with no
        delay between requests on a host (the demo's own portals); ``allow_private`` as the field.

        >>> fast = FetchPolicy.for_run(allow_private=True, polite=False)
        >>> (fast.delay, fast.jitter, fast.allow_private), FetchPolicy.for_run() == FetchPolicy()
        ((0.0, 0.0, True), True)
        """
        if polite:
            return cls(allow_private=allow_private)
        return cls(allow_private=allow_private, delay=0.0, jitter=0.0)
