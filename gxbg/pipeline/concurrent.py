"""Harvest many portals at once: crawl them concurrently, process each as soon as its crawl is done.

:func:`harvest_portals` is what one Prefect task runs for a whole shard of portals (``tasks.shard``),
and what scripts and benchmarks call without Prefect.  The crawl runs on its own thread, in one event
loop with one :class:`~gxbg.crawl.fetch.Fetcher` for every portal (:func:`gxbg.crawl.many.crawl_many`:
one httpx client, politeness shared by host and address across the process); the calling thread
cleans, parses, validates and loads each finished portal (:func:`gxbg.pipeline.process.process_site`,
one transaction per report) and yields its :class:`SiteOutcome` — so the caller can publish progress
as portals finish.  Parsing overlaps the crawl: while one portal is processed, the others are waiting
out their politeness delays.

With ``workers`` > 0 (by default for :data:`POOL_MIN_PORTALS` portals or more on a machine with two
cores or more, when a ``store_url`` is given) the processing runs in a pool of that many processes
(spawned: no fork of a threaded process), each with its own database connection; the calling process
then only crawls, so parsing neither starves the crawl's event loop of the GIL nor waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, cast

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher, FetchPolicy
from gxbg.crawl.many import DEFAULT_CONCURRENCY, SiteJob, crawl_many
from gxbg.crawl.site import Validators
from gxbg.kinds import SiteCrawl
from gxbg.pipeline.process import ReportSink, SiteOutcome, process_site

__all__ = ["POOL_MIN_PORTALS", "default_workers", "failed_portal", "harvest_portals"]

#: Seconds between two looks at ``stop()`` while crawling.
STOP_POLL_S = 0.1

#: Below this many portals the processing stays on the calling thread (a process pool costs ~1-2 s to
#: start: the imports of the cleaner, the extractor and the database layer).
POOL_MIN_PORTALS = 20

log = logging.getLogger(__name__)

_DONE = object()


def failed_portal(portal: dict[str, Any], stage: str, exc: BaseException) -> SiteOutcome:
    """The outcome of a portal whose crawl or processing raised (a bug, never a bad page)."""
    failure = {
        "url": portal["seed_url"], "stage": stage, "error": type(exc).__name__, "reason": str(exc)[:500]
    }  # fmt: skip
    return SiteOutcome(portal=portal["name"], errors=1, failures=(failure,))


def default_workers(portals: int) -> int:
    """Processes to parse and load in: none for a few portals or on one core, else one per core (at most
    4).  Not cores - 1: the crawl needs a core only while it lasts, and the reports still waiting when it
    ends (most of them, with every portal crawled at once) are then parsed on every core."""
    cores = os.cpu_count() or 1
    return 0 if portals < POOL_MIN_PORTALS or cores < 2 else min(cores, 4)


_worker: tuple[RawArchive, ReportSink] | None = None  # in a pool process: its archive and database


def _init_worker(archive_root: str, store_url: str) -> None:
    global _worker
    from gxbg.store.db import Store

    _worker = (RawArchive(archive_root), Store(store_url))


def _process_in_worker(crawl: SiteCrawl, portal: str, run_id: int) -> SiteOutcome:
    assert _worker is not None, "initialised by _init_worker"
    archive, sink = _worker
    return process_site(crawl, portal=portal, archive=archive, sink=sink, run_id=run_id)


def _returned(results: queue.Queue[object], job: SiteJob, future: Future[SiteOutcome]) -> None:
    results.put(("processed", job, future))


def harvest_portals(
    portals: Sequence[dict[str, Any]],
    *,
    archive: RawArchive,
    sink: ReportSink,
    run_id: int,
    policy: FetchPolicy | None = None,
    years: set[int] | None = None,
    known_pages: Callable[[str], Mapping[str, Validators]] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_crawled: Callable[[str, SiteCrawl], None] | None = None,
    fetcher: Callable[[], Fetcher] | None = None,  # test seam: a Fetcher with resolver/network seams
    store_url: str | None = None,
    workers: int | None = None,
    stop: Callable[[], bool] | None = None,
    on_interrupted: Callable[[str], None] | None = None,
) -> Iterator[SiteOutcome]:
    """Crawl ``portals`` (dicts with ``name`` and ``seed_url``) concurrently and yield each one's outcome
    once it is processed, in the order the processing ends.  ``known_pages(name)`` gives the validators
    for conditional GETs (re-harvest); ``on_crawled`` is called on the crawl thread as each crawl ends.
    ``workers`` processes (default :func:`default_workers`; only with ``store_url``, the database
    ``sink`` writes to) process the crawls; 0 processes them on the calling thread into ``sink``.
    When ``stop()`` turns true (Ctrl-C) the crawls in flight are cancelled within :data:`STOP_POLL_S`,
    the finished ones are still processed, and ``on_interrupted(name)`` names each portal left out."""
    if store_url is None:
        workers = 0
    elif workers is None:
        workers = default_workers(len(portals))
    jobs = [
        SiteJob(p["name"], p["seed_url"], dict(known_pages(p["name"])) if known_pages is not None else None)
        for p in portals
    ]
    portal_of = {id(job): portal for job, portal in zip(jobs, portals, strict=True)}  # names may repeat
    make_fetcher = fetcher or (lambda: Fetcher(policy or FetchPolicy()))
    results: queue.Queue[object] = queue.Queue()
    running: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]]] = []
    crawled: set[int] = set()  # id(job) of every crawl that ended

    async def crawl_all() -> None:
        task = asyncio.current_task()
        assert task is not None
        running.append((asyncio.get_running_loop(), task))

        async def watch(should_stop: Callable[[], bool]) -> None:
            while not should_stop():
                await asyncio.sleep(STOP_POLL_S)
            task.cancel()

        watcher = asyncio.create_task(watch(stop)) if stop is not None else None
        try:
            await crawl_jobs()
        finally:
            if watcher is not None:
                watcher.cancel()

    async def crawl_jobs() -> None:
        async with make_fetcher() as shared:
            async for job, crawl in crawl_many(jobs, fetcher=shared, archive=archive, years=years,
                                               concurrency=concurrency):  # fmt: skip
                if isinstance(crawl, SiteCrawl) and on_crawled is not None:
                    try:
                        on_crawled(job.name, crawl)
                    except Exception:  # a broken progress display never stops the crawl
                        log.exception("on_crawled failed for %s", job.name)
                results.put((job, crawl))
                crawled.add(id(job))

    def run_crawl() -> None:
        try:
            asyncio.run(crawl_all())
        except asyncio.CancelledError:  # the consumer stopped early
            pass
        except BaseException as exc:  # reported to the consumer, which raises it
            results.put(exc)
        finally:
            results.put(_DONE)

    pool = (
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                            initializer=_init_worker, initargs=(str(archive.root), store_url))
        if workers and store_url is not None else None
    )  # fmt: skip
    thread = threading.Thread(target=run_crawl, name="gxbg-crawl", daemon=True)
    thread.start()
    pending = 0  # crawls handed to the pool, not yet back
    crawling = True
    try:
        while crawling or pending:
            item = results.get()
            if item is _DONE:
                crawling = False
                continue
            if isinstance(item, BaseException):
                raise item
            if isinstance(item, tuple) and len(item) == 3:  # ("processed", job, future) from the pool
                _, job, future = cast(tuple[str, SiteJob, "Future[SiteOutcome]"], item)
                pending -= 1
                try:
                    yield future.result()
                except Exception as exc:  # this portal fails, the run goes on
                    log.error("processing %s raised %s: %s", job.name, type(exc).__name__, exc)
                    yield failed_portal(portal_of[id(job)], "process", exc)
                continue
            job, crawl = cast(tuple[SiteJob, SiteCrawl | Exception], item)
            portal = portal_of[id(job)]
            if isinstance(crawl, Exception):
                log.error("crawl of %s raised %s: %s", job.name, type(crawl).__name__, crawl)
                yield failed_portal(portal, "crawl", crawl)
                continue
            if pool is not None:
                done = pool.submit(_process_in_worker, crawl, job.name, run_id)
                pending += 1
                done.add_done_callback(functools.partial(_returned, results, job))
                continue
            try:
                outcome = process_site(crawl, portal=job.name, archive=archive, sink=sink, run_id=run_id)
            except Exception as exc:  # e.g. the database went away: this portal fails, the run goes on
                log.error("processing %s raised %s: %s", job.name, type(exc).__name__, exc)
                outcome = failed_portal(portal, "process", exc)
            yield outcome
        if stop is not None and stop() and on_interrupted is not None:
            for job in jobs:
                if id(job) not in crawled:
                    on_interrupted(job.name)
    finally:  # done, or the consumer stopped early: cancel what is still crawling
        for loop, task in running:
            with contextlib.suppress(RuntimeError):  # the loop may have finished already
                loop.call_soon_threadsafe(task.cancel)
        thread.join()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
