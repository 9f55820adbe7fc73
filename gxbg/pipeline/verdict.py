"""What a finished harvest means for its caller: which portals failed, why (in words), the exit code.

Exit codes of the ``gxbg`` commands (README "Exit codes"):

====  ===========================================================================
0     all work done (or no more failed pages than ``--max-errors`` allows)
1     some work failed: failed pages beyond ``--max-errors``, or every portal failed
2     usage or configuration error (bad option, seed, registry, database), nothing done
130   interrupted (Ctrl-C): what was loaded is kept, the run is marked cancelled
====  ===========================================================================

A portal *failed* when it recorded errors and neither loaded nor confirmed (unchanged) a report.
A harvest whose every portal failed is a failed run (:class:`HarvestFailedError`, the flow ends Failed).
Pure: no IO, no Prefect.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gxbg.pipeline.summary import RunSummary

OK, SOME_FAILED, USAGE, INTERRUPTED = 0, 1, 2, 130

#: (pattern over a failure reason, the cause in words), first match wins.
CAUSES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), words)
    for pattern, words in (
        (r"connection refused|errno 111\b", "connection refused"),
        (
            r"name or service not known|no address associated|getaddrinfo|name resolution|dns",
            "DNS lookup failed",
        ),
        (r"ssl|tls|certificate", "TLS error"),
        (r"timeout|timed out|deadline", "timeout"),
        (r"robots\.txt", "disallowed by robots.txt"),
        (r"\bblocked\b|challenge|captcha|waf", "blocked by a challenge page"),
        (r"no annual-report column", "no annual-report column found"),
        (r"SSRF guard|private|loopback", "private address refused"),
        (r"only http and https|is not a URL|has no host name|invalid url", "not an http(s) URL"),
        (r"credentials in a seed", "credentials in the seed URL"),
        (r"HTTP (\d{3})", "HTTP {0}"),
        (r"connection|reset|closed", "connection failed"),
    )
)


def cause(reason: str) -> str:
    """A failure reason's cause in a few words.

    >>> cause("discover: connection: ConnectError: [Errno 111] Connection refused")
    'connection refused'
    >>> cause("fetch: http_4xx: HTTP 404")
    'HTTP 404'
    >>> cause("discover: stub: no annual-report column found from the seed")
    'no annual-report column found'
    """
    for pattern, words in CAUSES:
        found = pattern.search(reason)
        if found:
            return words.format(*found.groups())
    parts = [part.strip() for part in reason.split(":")]
    return parts[1] if len(parts) > 2 else reason[:80]


def failed_portals(summary: RunSummary) -> list[str]:
    """The portals that recorded errors and neither loaded nor confirmed a report."""
    return [
        str(row["portal"])
        for row in summary.get("portals", [])
        if int(row.get("errors", 0)) > 0 and int(row.get("loaded", 0)) + int(row.get("unchanged", 0)) == 0
    ]


def all_failed(summary: RunSummary) -> bool:
    """Whether the harvest had portals and every one of them failed."""
    portals = summary.get("portals", [])
    return bool(portals) and len(failed_portals(summary)) == len(portals)


def failure_counts(summary: RunSummary) -> str:
    """The failed pages counted by cause, in words: ``2 pages failed: 1 connection refused, 1 HTTP 404``.

    >>> failure_counts({"errors": [{"reason": "fetch: http_4xx: HTTP 404"}] * 2})
    '2 pages failed: 2 HTTP 404'
    >>> failure_counts({"errors": []})
    'no page failed'
    """
    errors = summary.get("errors", [])
    if not errors:
        return "no page failed"
    counts = Counter(cause(str(e.get("reason", ""))) for e in errors)
    parts = ", ".join(f"{n} {words}" for words, n in counts.most_common())
    return f"{len(errors)} page{'s' if len(errors) != 1 else ''} failed: {parts}"


def describe(summary: RunSummary) -> str:
    """One line for a person: how many portals failed, which, and the failures by cause."""
    portals = summary.get("portals", [])
    failed = failed_portals(summary)
    names = ", ".join(failed[:5]) + (f" and {len(failed) - 5} more" if len(failed) > 5 else "")
    head = f"{len(failed)} of {len(portals)} portal{'s' if len(portals) != 1 else ''} failed"
    return f"{head} ({names}); {failure_counts(summary)}" if failed else f"{head}; {failure_counts(summary)}"


def exit_code(summary: RunSummary, *, max_errors: int = 0) -> int:
    """0 when the failed pages are at most ``max_errors`` and not every portal failed, else 1."""
    if all_failed(summary):
        return SOME_FAILED
    return OK if int(summary.get("totals", {}).get("errors", 0)) <= max_errors else SOME_FAILED
