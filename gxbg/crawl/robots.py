"""robots.txt decisions, cached per origin for one run (protego).

The fetcher downloads ``/robots.txt`` once per ``scheme://host:port`` and asks this module.
Status handling follows the crawling reference §5: 2xx → parse; 4xx → allow everything;
5xx or no response → disallow everything *for now* (the site is retried on a later run).
``Crawl-delay`` becomes a floor on the per-host delay.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

from gxbg.kinds import ErrorKind


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """One origin's robots.txt verdict source."""

    parser: Protego | None  # None: no usable file (see allow_all)
    allow_all: bool
    note: str  # how the rules were obtained, for reasons
    # robots.txt got no response at all: the transport error (kind, reason) names the real cause
    # (connection refused, DNS, TLS, timeout) for the pages refused meanwhile
    unreachable: tuple[ErrorKind, str] | None = None

    def can_fetch(self, url: str, user_agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def rules_from_response(status: int | None, text: str | None) -> RobotsRules:
    """Turn the robots.txt fetch outcome into rules.

    >>> rules = rules_from_response(200, "User-agent: *\\nDisallow: /private/")
    >>> rules.can_fetch("http://h/private/a", "gxbg")
    False
    >>> rules_from_response(404, None).can_fetch("http://h/anything", "gxbg")
    True
    >>> rules_from_response(503, None).can_fetch("http://h/anything", "gxbg")
    False
    """
    if status is None:
        return RobotsRules(None, allow_all=False, note="robots.txt unreachable: disallowed for now")
    if 200 <= status < 300:
        return RobotsRules(Protego.parse(text or ""), allow_all=True, note="robots.txt")
    if 400 <= status < 500:
        return RobotsRules(None, allow_all=True, note=f"robots.txt HTTP {status}: allow all")
    return RobotsRules(None, allow_all=False, note=f"robots.txt HTTP {status}: disallowed for now")
