"""The crawl's settings for a run, as the harvest flow hands them to its shard tasks."""

from __future__ import annotations

from typing import Any


def crawl_policy(*, allow_private: bool, polite: bool) -> dict[str, Any]:
    """FetchPolicy keywords for a run: polite (default) or fast (delay off, e.g. the demo's own portals)."""
    policy: dict[str, Any] = {"allow_private": allow_private}
    if not polite:
        policy.update(delay=0.0, jitter=0.0)
    return policy
