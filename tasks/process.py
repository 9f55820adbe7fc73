"""Process one portal's crawl: clean → parse → validate → load, as one Prefect task per site."""

from __future__ import annotations

from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from gxbg.archive import RawArchive
from gxbg.kinds import SiteCrawl
from gxbg.pipeline.process import SiteOutcome, process_site
from tasks import progress
from tasks.db import store_for


@task(
    name="process-site",
    task_run_name="process-{portal[name]}",
    cache_policy=NO_CACHE,
)
def process_site_task(
    portal: dict[str, Any], crawl: SiteCrawl, *, db_url: str, archive_dir: str, run_id: int
) -> SiteOutcome:
    """Parse and load every report the crawl archived; parse errors are recorded, never retried."""
    outcome = process_site(
        crawl, portal=portal["name"], archive=RawArchive(archive_dir), sink=store_for(db_url), run_id=run_id
    )
    get_run_logger().info(
        "%s: %d loaded, %d unchanged, %d with failing checks, %d errors",
        portal["name"],
        outcome.loaded,
        outcome.unchanged,
        outcome.failed_checks,
        outcome.errors,
    )
    progress.emit("processed", portal=portal["name"], outcome=outcome)
    return outcome
