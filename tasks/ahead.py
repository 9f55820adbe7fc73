"""A crawl started ahead of the harvest flow, before Prefect is imported (no Prefect here).

``gxbg harvest`` starts the crawl of a one-shard run first, then imports the flow (Prefect: ~2 s of CPU)
while the temporary server boots; the flow's shard task (:mod:`tasks.harvest_shard`) whose portals,
years, archive and policy match takes that crawl in progress over
(:func:`gxbg.pipeline.concurrent.take_crawl_ahead`), so nothing is fetched twice; the command discards a
crawl nobody took (:func:`discard_crawl_ahead`).
"""

from __future__ import annotations

from gxbg.archive import RawArchive
from gxbg.crawl.policy import FetchPolicy
from gxbg.kinds import SiteCrawl
from gxbg.pipeline.concurrent import PortalCrawl, ahead_key, crawl_ahead, discard_crawls_ahead
from gxbg.pipeline.process import Portal
from tasks import progress
from tasks.db import store_for
from tasks.settings import Settings
from tasks.stop import stop_requested

__all__ = ["crawled", "discard_crawl_ahead", "start_crawl_ahead"]


def crawled(name: str, crawl: SiteCrawl) -> None:
    """On the crawl thread, as each portal's crawl ends: the in-process progress event."""
    progress.emit("crawled", portal=name, reports=len(crawl.reports), failures=len(crawl.failures))


def start_crawl_ahead(
    portals: list[Portal],
    *,
    years: list[int] | None = None,
    db_url: str | None = None,
    archive_dir: str | None = None,
    allow_private: bool = False,
    polite: bool = True,
) -> None:
    """Start crawling ``portals`` now, for the ``harvest`` flow about to run with these same arguments
    (one shard): its shard task takes the crawl in progress (the archive and policy are the flow's)."""
    settings = Settings.from_env()
    archive = archive_dir or str(settings.archive_dir)
    policy = FetchPolicy.for_run(allow_private=allow_private, polite=polite)
    db = db_url or settings.db_url
    crawl = PortalCrawl(
        portals, archive=RawArchive(archive), policy=policy, years=set(years) if years else None,
        known_pages=store_for(db).known_pages, on_crawled=crawled, stop=stop_requested, store_url=db,
    )  # fmt: skip
    crawl_ahead(ahead_key(portals, years=years, archive_root=archive, policy=policy), crawl)


def discard_crawl_ahead() -> int:
    """Stop the crawls started ahead that no shard task took (the flow failed before it)."""
    return discard_crawls_ahead()
