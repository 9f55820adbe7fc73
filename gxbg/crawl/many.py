"""Many portals at once: one event loop, one fetcher (one httpx client, one TLS context), one politeness gate.

:func:`crawl_many` runs :func:`gxbg.crawl.site.crawl_site` for every job concurrently, at most
``concurrency`` at a time (each crawl has one request in flight, so this is also the global limit on
requests in flight), and yields each portal's :class:`~gxbg.kinds.SiteCrawl` as soon as it is done.
Politeness is the fetcher's: one request at a time per host and per address, the delay between
request starts, robots.txt and Retry-After, shared by every portal that uses the host
(:mod:`gxbg.crawl.politeness`).  Bodies go to the archive as they arrive; a crawl result carries keys
only, so memory grows with the portals in progress, not with the pages fetched.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from gxbg.archive import RawArchive
from gxbg.crawl.site import FetcherLike, Validators, crawl_site
from gxbg.kinds import SiteCrawl

__all__ = ["DEFAULT_CONCURRENCY", "SiteJob", "crawl_many"]

#: Portals crawled at once by default: far more hosts than a polite delay lets one host serve, and few
#: enough sockets and keep-alive connections for one process.
DEFAULT_CONCURRENCY = 256


@dataclass(frozen=True, slots=True)
class SiteJob:
    """One portal to crawl: ``name`` identifies it in the results."""

    name: str
    seed_url: str
    validators: dict[str, Validators] | None = None


async def crawl_many(
    jobs: Iterable[SiteJob],
    *,
    fetcher: FetcherLike,
    archive: RawArchive,
    years: set[int] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    max_pages: int = 500,
) -> AsyncIterator[tuple[SiteJob, SiteCrawl | Exception]]:
    """Crawl every job, ``concurrency`` at a time; yield ``(job, crawl)`` in the order they finish.

    A crawl that raises (a bug: ``crawl_site`` records network and HTTP problems itself) yields the
    exception in place of its result, and the other portals go on.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    queued = list(jobs)
    pending = iter(queued)
    done: asyncio.Queue[tuple[SiteJob, SiteCrawl | Exception] | None] = asyncio.Queue()

    async def worker() -> None:
        try:
            for job in pending:  # workers share one iterator: each job is taken once
                try:
                    crawl: SiteCrawl | Exception = await crawl_site(
                        job.seed_url, fetcher=fetcher, archive=archive, years=years,
                        validators=job.validators, max_pages=max_pages,
                    )  # fmt: skip
                except Exception as exc:  # one portal's bug never stops the others
                    crawl = exc
                await done.put((job, crawl))
        finally:
            await done.put(None)

    workers = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(queued)))]
    try:
        running = len(workers)
        while running:
            item = await done.get()
            if item is None:
                running -= 1
                continue
            yield item
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
