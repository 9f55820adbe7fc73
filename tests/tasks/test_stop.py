"""Ctrl-C's in-process stop: a crawl in flight is cancelled, one not started never starts."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from tasks import stop


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    stop.reset()
    yield
    stop.reset()


@pytest.mark.timeout(60)  # broken, it would wait an hour
def test_a_running_crawl_is_cancelled_when_stop_is_requested() -> None:
    cancelled = threading.Event()

    async def crawl() -> str:
        try:
            await asyncio.sleep(3600)  # a Crawl-delay, a slow server …
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "finished"

    async def main() -> None:
        asyncio.get_running_loop().call_later(0.2, stop.request_stop)  # as the Ctrl-C handler does
        await stop.until_stopped(crawl())

    with pytest.raises(stop.HarvestInterruptedError, match="during the crawl"):
        asyncio.run(main())
    assert cancelled.is_set()  # the crawl's own cleanup ran (the Fetcher closes)


def test_a_crawl_not_started_never_starts() -> None:
    started = []

    async def crawl() -> None:
        started.append(True)

    stop.request_stop()
    with pytest.raises(stop.HarvestInterruptedError, match="before it started"):
        asyncio.run(stop.until_stopped(crawl()))
    assert started == []


def test_without_a_stop_the_result_comes_back() -> None:
    async def crawl() -> int:
        await asyncio.sleep(0.25)  # longer than one poll
        return 7

    assert asyncio.run(stop.until_stopped(crawl())) == 7
    assert not stop.stop_requested()


def test_interrupted_portals_are_listed_once_and_reset() -> None:
    stop.mark_interrupted("b")
    stop.mark_interrupted("a")
    stop.mark_interrupted("b")
    assert stop.interrupted_portals() == ["a", "b"]
    stop.reset()
    assert stop.interrupted_portals() == []
