"""Harvest without Prefect: the same per-site steps as the ``harvest`` flow, in a plain loop.

For scripts, notebooks, tests and benchmarks that want the pipeline's behaviour (crawl, archive, clean,
parse, validate, load) without an orchestrator.  Retries, alerts and artifacts are the flow's business.
"""

from __future__ import annotations

import asyncio
from typing import Any

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher, FetchPolicy
from gxbg.crawl.site import crawl_site
from gxbg.kinds import SiteCrawl
from gxbg.pipeline.process import ReportSink, SiteOutcome, process_site


async def crawl_portal(seed_url: str, *, archive: RawArchive, policy: FetchPolicy) -> SiteCrawl:
    """Crawl one portal with a fetcher of its own (the harvest shares one across its portals)."""
    async with Fetcher(policy) as fetcher:
        return await crawl_site(seed_url, fetcher=fetcher, archive=archive)


def harvest_locally(
    portals: list[dict[str, Any]],
    *,
    archive: RawArchive,
    sink: ReportSink,
    run_id: int,
    policy: FetchPolicy | None = None,
) -> list[SiteOutcome]:
    """Crawl and process each portal (``{"name", "seed_url"}``) in turn; one outcome per portal."""
    fetch_policy = policy or FetchPolicy()
    return [
        process_site(
            asyncio.run(crawl_portal(portal["seed_url"], archive=archive, policy=fetch_policy)),
            portal=portal["name"],
            archive=archive,
            sink=sink,
            run_id=run_id,
        )
        for portal in portals
    ]
