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
import dataclasses
import functools
import json
import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, cast

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher, FetchPolicy
from gxbg.crawl.many import DEFAULT_CONCURRENCY, SiteJob, crawl_many
from gxbg.crawl.site import Validators
from gxbg.kinds import SiteCrawl
from gxbg.pipeline.process import PageFailure, Portal, ReportSink, SiteOutcome, process_site

__all__ = [
    "POOL_MIN_PORTALS", "PortalCrawl", "ahead_key", "crawl_ahead", "default_workers", "discard_crawls_ahead",
    "failed_portal", "harvest_portals", "take_crawl_ahead",
]  # fmt: skip

#: Seconds between two looks at ``stop()`` while crawling.
STOP_POLL_S = 0.1

#: Below this many portals the processing stays on the calling thread (a process pool costs ~1-2 s to
#: start: the imports of the cleaner, the extractor and the database layer).
POOL_MIN_PORTALS = 20

log = logging.getLogger(__name__)

_DONE = object()


def failed_portal(portal: Portal, stage: str, exc: BaseException) -> SiteOutcome:
    """The outcome of a portal whose crawl or processing raised (a bug, never a bad page)."""
    failure: PageFailure = {
        "url": portal.seed_url, "stage": stage, "error": type(exc).__name__, "reason": str(exc)[:500]
    }  # fmt: skip
    return SiteOutcome(portal=portal.name, errors=1, failures=(failure,))


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


def _warm() -> None:
    """Nothing: submitted once so that the pool starts its processes (and their imports) now."""


def make_pool(workers: int, archive_root: str, store_url: str) -> ProcessPoolExecutor:
    """``workers`` spawned processes (no fork of a threaded process), each with its archive and database
    connection, started now."""
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker,
        initargs=(archive_root, store_url),
    )  # fmt: skip
    pool.submit(_warm)
    return pool


def _returned(results: queue.Queue[object], job: SiteJob, future: Future[SiteOutcome]) -> None:
    results.put(("processed", job, future))


class PortalCrawl:
    """The crawl of many portals, running on its own thread from construction on: one event loop, one
    :class:`~gxbg.crawl.fetch.Fetcher` (:func:`gxbg.crawl.many.crawl_many`); each finished crawl is put
    on :attr:`results` as ``(job, SiteCrawl | Exception)``, then :data:`_DONE` (or the exception that
    ended the whole crawl).  :meth:`cancel` stops it within :data:`STOP_POLL_S`, as does ``stop()``."""

    def __init__(
        self,
        portals: Sequence[Portal],
        *,
        archive: RawArchive,
        policy: FetchPolicy | None = None,
        years: set[int] | None = None,
        known_pages: Callable[[str], Mapping[str, Validators]] | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_crawled: Callable[[str, SiteCrawl], None] | None = None,
        fetcher: Callable[[], Fetcher] | None = None,
        stop: Callable[[], bool] | None = None,
        store_url: str | None = None,
    ) -> None:
        self.portals = list(portals)
        # with ``store_url``: the processing pool, started with the crawl (harvest_portals takes it)
        workers = default_workers(len(self.portals)) if store_url is not None else 0
        self.pool = make_pool(workers, str(archive.root), store_url) if workers and store_url else None
        self.pool_store_url = store_url
        self.jobs = [
            SiteJob(p.name, p.seed_url, dict(known_pages(p.name)) if known_pages else None)
            for p in self.portals
        ]
        # by id(job): names may repeat
        self.portal_of = {id(job): p for job, p in zip(self.jobs, self.portals, strict=True)}
        self.results: queue.Queue[object] = queue.Queue()
        self.crawled: set[int] = set()  # id(job) of every crawl that ended
        self._archive, self._years, self._concurrency = archive, years, concurrency
        self._on_crawled, self._stop = on_crawled, stop
        self._make_fetcher = fetcher or (lambda: Fetcher(policy or FetchPolicy()))
        self._halt = threading.Event()
        self._running: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]]] = []
        self._thread = threading.Thread(target=self._run, name="gxbg-crawl", daemon=True)
        self._thread.start()

    def _halted(self) -> bool:
        return self._halt.is_set() or (self._stop is not None and self._stop())

    async def _crawl_all(self) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._running.append((asyncio.get_running_loop(), task))

        async def watch() -> None:
            while not self._halted():
                await asyncio.sleep(STOP_POLL_S)
            task.cancel()

        watcher = asyncio.create_task(watch())
        try:
            async with self._make_fetcher() as shared:
                ended = crawl_many(
                    self.jobs, fetcher=shared, archive=self._archive, years=self._years,
                    concurrency=self._concurrency,
                )  # fmt: skip
                async for job, crawl in ended:
                    if isinstance(crawl, SiteCrawl) and self._on_crawled is not None:
                        try:
                            self._on_crawled(job.name, crawl)
                        except Exception:  # a broken progress display never stops the crawl
                            log.exception("on_crawled failed for %s", job.name)
                    self.results.put((job, crawl))
                    self.crawled.add(id(job))
        finally:
            watcher.cancel()

    def _run(self) -> None:
        try:
            asyncio.run(self._crawl_all())
        except asyncio.CancelledError:  # cancelled: stopped, or the consumer stopped early
            pass
        except BaseException as exc:  # reported to the consumer, which raises it
            self.results.put(exc)
        finally:
            self.results.put(_DONE)

    def cancel(self) -> None:
        """Stop crawling (what ended stays in :attr:`results`) and wait for the thread."""
        self._halt.set()
        for loop, task in self._running:
            with contextlib.suppress(RuntimeError):  # the loop may have finished already
                loop.call_soon_threadsafe(task.cancel)
        self._thread.join()

    def close_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


#: Crawls started ahead of the harvest that will take them (:func:`crawl_ahead`), by :func:`ahead_key`.
_ahead: dict[str, PortalCrawl] = {}
_ahead_lock = threading.Lock()


def ahead_key(
    portals: Sequence[Portal], *, years: Iterable[int] | None, archive_root: str, policy: FetchPolicy
) -> str:
    """What a crawl started ahead must match to be taken: the portals in order, years, archive, policy."""
    fields = {
        k: sorted(v) if isinstance(v, (set, frozenset)) else v for k, v in dataclasses.asdict(policy).items()
    }
    return json.dumps(
        [[[p.name, p.seed_url] for p in portals], sorted(years) if years else None,
         str(archive_root), sorted(fields.items())], default=str, ensure_ascii=False,
    )  # fmt: skip


def crawl_ahead(key: str, crawl: PortalCrawl) -> None:
    """Keep ``crawl`` (already running) for the :func:`harvest_portals` call whose key is ``key``: a
    command can crawl while its orchestration starts."""
    with _ahead_lock:
        previous = _ahead.pop(key, None)
        _ahead[key] = crawl
    if previous is not None:
        previous.cancel()


def take_crawl_ahead(key: str) -> PortalCrawl | None:
    """The crawl started ahead under ``key``, once (None when there is none)."""
    with _ahead_lock:
        return _ahead.pop(key, None)


def discard_crawls_ahead() -> int:
    """Cancel every crawl started ahead that no harvest took; return how many."""
    with _ahead_lock:
        left = list(_ahead.values())
        _ahead.clear()
    for crawl in left:
        crawl.cancel()
        crawl.close_pool()
    return len(left)


def harvest_portals(
    portals: Sequence[Portal],
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
    crawl: PortalCrawl | None = None,
) -> Iterator[SiteOutcome]:
    """Crawl ``portals`` concurrently and yield each one's outcome
    once it is processed, in the order the processing ends.  ``known_pages(name)`` gives the validators
    for conditional GETs (re-harvest); ``on_crawled`` is called on the crawl thread as each crawl ends.
    ``workers`` processes (default :func:`default_workers`; only with ``store_url``, the database
    ``sink`` writes to) process the crawls; 0 processes them on the calling thread into ``sink``.
    When ``stop()`` turns true (Ctrl-C) the crawls in flight are cancelled within :data:`STOP_POLL_S`,
    the finished ones are still processed, and ``on_interrupted(name)`` names each portal left out.
    ``crawl``: the crawl of these portals, already running (:func:`take_crawl_ahead`; it was started
    with the crawl arguments), processed here instead of a new one."""
    if store_url is None:
        workers = 0
    elif workers is None:
        workers = default_workers(len(portals))
    if crawl is None:
        crawl = PortalCrawl(
            portals, archive=archive, policy=policy, years=years, known_pages=known_pages,
            concurrency=concurrency, on_crawled=on_crawled, fetcher=fetcher, stop=stop,
        )  # fmt: skip
    elif [(p.name, p.seed_url) for p in crawl.portals] != [(p.name, p.seed_url) for p in portals]:
        crawl.cancel()
        raise ValueError("the crawl started ahead is not of these portals")
    results = crawl.results
    pool, crawl.pool = crawl.pool, None
    if pool is not None and (not workers or crawl.pool_store_url != store_url):
        pool.shutdown(wait=False, cancel_futures=True)  # started for another database
        pool = None
    if pool is None and workers and store_url is not None:
        pool = make_pool(workers, str(archive.root), store_url)
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
                    yield failed_portal(crawl.portal_of[id(job)], "process", exc)
                continue
            job, crawled = cast(tuple[SiteJob, SiteCrawl | Exception], item)
            portal = crawl.portal_of[id(job)]
            if isinstance(crawled, Exception):
                log.error("crawl of %s raised %s: %s", job.name, type(crawled).__name__, crawled)
                yield failed_portal(portal, "crawl", crawled)
                continue
            if pool is not None:
                done = pool.submit(_process_in_worker, crawled, job.name, run_id)
                pending += 1
                done.add_done_callback(functools.partial(_returned, results, job))
                continue
            try:
                outcome = process_site(crawled, portal=job.name, archive=archive, sink=sink, run_id=run_id)
            except Exception as exc:  # e.g. the database went away: this portal fails, the run goes on
                log.error("processing %s raised %s: %s", job.name, type(exc).__name__, exc)
                outcome = failed_portal(portal, "process", exc)
            yield outcome
        if stop is not None and stop() and on_interrupted is not None:
            for job in crawl.jobs:
                if id(job) not in crawl.crawled:
                    on_interrupted(job.name)
    finally:  # done, or the consumer stopped early: cancel what is still crawling
        crawl.cancel()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
