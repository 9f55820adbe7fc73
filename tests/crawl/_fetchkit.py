"""Shared helpers for the fetch tests: a fast test policy and a sync runner."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from dataclasses import replace
from typing import Any, TypeVar

import httpcore

from gxbg.crawl.fetch import Fetcher, FetchPolicy
from gxbg.kinds import FetchResult

T = TypeVar("T")

#: Tiny delays, backoffs and timeouts: the whole matrix runs in a few seconds.
FAST = FetchPolicy(delay=0.0, jitter=0.0, timeout=0.5, retries=2, backoff=0.01, allow_private=True,
                   max_bytes=100_000, max_retry_after=0.05)  # fmt: skip


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def fetch_all(urls: list[str], policy: FetchPolicy = FAST, **kw: Any) -> list[FetchResult]:
    """Fetch ``urls`` one after another with one Fetcher."""

    async def main() -> list[FetchResult]:
        async with Fetcher(policy, **kw) as fetcher:
            return [await fetcher.fetch(u) for u in urls]

    return run(main())


def fetch_one(url: str, policy: FetchPolicy = FAST, **kw: Any) -> FetchResult:
    return fetch_all([url], policy, **kw)[0]


def policy(**changes: Any) -> FetchPolicy:
    return replace(FAST, **changes)


class SleepRecorder:
    """A fake clock for the Fetcher: ``sleep`` records each wait and advances time instantly.

    Pass it as ``Fetcher(..., **recorder.seams())``; waits are then exact, not timing-dependent.
    """

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 1000.0

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def seams(self) -> dict[str, Any]:
        return {"sleep": self.sleep, "clock": self.clock}


class LoopbackNet(httpcore.AsyncNetworkBackend):
    """A pretend network under the Fetcher's DNS pinning: nothing ever leaves the machine.

    ``routes`` maps a (public-looking) address to the loopback port that plays that host;
    ``names`` is the system resolver a connection by *name* would use (what a Fetcher without
    pinning would reach).  Loopback addresses connect as they are; anything else is refused.
    Every connection attempt is recorded as (host, port).
    """

    def __init__(self, routes: dict[str, int] | None = None, names: dict[str, str] | None = None) -> None:
        self.routes = routes or {}
        self.names = {"localhost": "127.0.0.1", **(names or {})}
        self.attempts: list[tuple[str, int]] = []
        self._real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.attempts.append((host, port))
        if host in self.routes:
            host, port = "127.0.0.1", self.routes[host]
        host = self.names.get(host, host)
        if not host.startswith("127."):
            raise httpcore.ConnectError(f"LoopbackNet: {host}:{port} is off this machine")
        return await self._real.connect_tcp(host, port, timeout=timeout, socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._real.sleep(seconds)
