"""Crawl one portal: discovery, fetching and archiving, as one Prefect task per site."""

from __future__ import annotations

from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher, FetchPolicy
from gxbg.crawl.site import Validators, crawl_site
from gxbg.kinds import SiteCrawl
from tasks import progress
from tasks.db import store_for
from tasks.retry import IO_RETRIES
from tasks.stop import HarvestInterruptedError, mark_interrupted, until_stopped


@task(
    name="crawl-site",
    task_run_name="crawl-{portal[name]}",
    cache_policy=NO_CACHE,
    **IO_RETRIES,
)
async def crawl_site_task(
    portal: dict[str, Any],
    *,
    years: list[int] | None,
    archive_dir: str,
    policy: dict[str, Any],
    validators: dict[str, Validators] | None = None,
) -> SiteCrawl:
    """Walk ``portal`` from its seed URL; bodies go to the archive, the result carries keys only."""
    try:
        async with Fetcher(FetchPolicy(**policy)) as fetcher:
            crawl = await until_stopped(  # Ctrl-C in `gxbg harvest` cancels the crawl (tasks/stop.py)
                crawl_site(
                    portal["seed_url"],
                    fetcher=fetcher,
                    archive=RawArchive(archive_dir),
                    years=set(years) if years else None,
                    validators=validators,
                )
            )
    except HarvestInterruptedError:  # nothing to load; the cancelled run lists the portal as interrupted
        mark_interrupted(portal["name"])
        return SiteCrawl(seed_url=portal["seed_url"])
    for origin, asked in fetcher.crawl_delay_capped.items():
        get_run_logger().warning("%s: robots.txt Crawl-delay %gs capped to %gs", origin, asked,
                                 fetcher.policy.max_retry_after)  # fmt: skip
    get_run_logger().info(
        "%s: %d reports, %d failures, %d pages fetched",
        portal["name"],
        len(crawl.reports),
        len(crawl.failures),
        crawl.pages_fetched,
    )
    progress.emit("crawled", portal=portal["name"], reports=len(crawl.reports), failures=len(crawl.failures))
    return crawl


@task(name="known-pages", task_run_name="known-pages-{portal_name}", cache_policy=NO_CACHE)
def known_pages_task(db_url: str, portal_name: str) -> dict[str, Validators]:
    """url → (etag, last_modified, sha256) of the portal's stored pages: the re-harvest's conditional GETs."""
    pages = store_for(db_url).known_pages(portal_name)
    get_run_logger().info("%s: %d known pages", portal_name, len(pages))
    return dict(pages)


def crawl_policy(*, allow_private: bool, polite: bool) -> dict[str, Any]:
    """FetchPolicy keywords for a run: polite (default) or fast (delay off, e.g. the demo's own portals)."""
    policy: dict[str, Any] = {"allow_private": allow_private}
    if not polite:
        policy.update(delay=0.0, jitter=0.0)
    return policy
