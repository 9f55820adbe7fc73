"""Retry timing: exponential backoff with jitter, and ``Retry-After`` (seconds or HTTP-date).

Pure helpers for :mod:`gxbg.crawl.fetch`; the caller supplies the clock and the random source.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header, or None when absent/invalid.

    >>> now = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    >>> parse_retry_after("120", now=now)
    120.0
    >>> parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now=now)
    30.0
    >>> parse_retry_after("Wed, 31 Dec 2025 23:00:00 GMT", now=now)
    0.0
    >>> parse_retry_after("soon", now=now) is None
    True
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def jittered(value: float, jitter: float, rng: random.Random) -> float:
    """``value`` scaled by a uniform factor in [1 - jitter, 1 + jitter].

    >>> jittered(2.0, 0.0, random.Random(1))
    2.0
    >>> 1.0 <= jittered(2.0, 0.5, random.Random(1)) <= 3.0
    True
    """
    if jitter <= 0:
        return value
    return value * rng.uniform(1.0 - jitter, 1.0 + jitter)


def backoff_delay(attempt: int, *, base: float, jitter: float, rng: random.Random) -> float:
    """Wait before retry number ``attempt`` (1-based): ``base * 2**(attempt-1)``, jittered.

    >>> [backoff_delay(n, base=0.5, jitter=0.0, rng=random.Random(0)) for n in (1, 2, 3)]
    [0.5, 1.0, 2.0]
    """
    return jittered(base * 2 ** (attempt - 1), jitter, rng)


def retry_wait(
    attempt: int, *, retry_after: str | None, base: float, jitter: float, cap: float,
    rng: random.Random, now: datetime,
) -> float:  # fmt: skip
    """Wait before retry ``attempt``: the backoff, or ``Retry-After`` when longer, capped at ``cap``.

    >>> now = datetime(2026, 1, 1, tzinfo=UTC)
    >>> rng = random.Random(0)
    >>> retry_wait(1, retry_after="5", base=0.5, jitter=0.0, cap=60.0, rng=rng, now=now)
    5.0
    >>> retry_wait(1, retry_after="3600", base=0.5, jitter=0.0, cap=60.0, rng=rng, now=now)
    60.0
    >>> retry_wait(3, retry_after=None, base=0.5, jitter=0.0, cap=60.0, rng=rng, now=now)
    2.0
    """
    backoff = backoff_delay(attempt, base=base, jitter=jitter, rng=rng)
    after = parse_retry_after(retry_after, now=now)
    if after is None:
        return min(backoff, cap)
    return min(max(after, backoff), cap)
