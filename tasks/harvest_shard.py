"""Harvest one shard of portals as one Prefect task: every portal crawled at once, each processed as it ends.

One task per shard, not per portal: a task run costs state writes, events and a thread hand-off, which
were most of a harvest's cost.  Each portal's outcome still shows as it finishes: a log line, the
progress artifact (at most every :data:`PROGRESS_EVERY` seconds, and at the end) and the in-process
progress events the CLI draws.  Network problems are recorded per page by the crawl; the task itself
has no retries (a retry would crawl the whole shard again).

:func:`tasks.ahead.start_crawl_ahead` lets a command (``gxbg harvest``) start crawling before Prefect is
even imported: the shard task whose portals, years, archive and policy match takes that crawl in progress
(:func:`gxbg.pipeline.concurrent.take_crawl_ahead`) instead of starting its own, so nothing is fetched
twice.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from uuid import UUID

from prefect import get_run_logger, task
from prefect.artifacts import update_progress_artifact
from prefect.cache_policies import NO_CACHE

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.concurrent import (
    ahead_key,
    harvest_portals,
    take_crawl_ahead,
)
from gxbg.pipeline.process import Portal, SiteOutcome
from tasks import progress
from tasks.ahead import crawled
from tasks.alerts import alert_on_task_failure
from tasks.db import store_for
from tasks.stop import mark_interrupted, stop_requested

#: Least seconds between two updates of the progress artifact (one API call each).
PROGRESS_EVERY = 1.0

_done: dict[UUID, Counter[str]] = {}  # per progress artifact, over the shards of this process: counts so far
_done_lock = threading.Lock()


def _advance(progress_id: UUID, outcome: SiteOutcome | None) -> Counter[str]:
    with _done_lock:
        counts = _done.setdefault(progress_id, Counter())
        if outcome is not None:
            counts.update(
                portals=1, loaded=outcome.loaded, unchanged=outcome.unchanged, errors=outcome.errors
            )
        return Counter(counts)


def _publish(progress_id: UUID, counts: Counter[str], total: int) -> None:
    update_progress_artifact(
        progress_id,
        100.0 * counts["portals"] / max(total, 1),
        description=f"{counts['portals']} of {total} portals: {counts['loaded']} reports loaded, "
        f"{counts['unchanged']} unchanged, {counts['errors']} errors so far",
    )


@task(
    name="harvest-shard",
    task_run_name="harvest-{shard_name}",
    cache_policy=NO_CACHE,
    on_failure=[alert_on_task_failure],
)
def harvest_shard_task(
    portals: list[Portal],
    *,
    shard_name: str,
    years: list[int] | None,
    db_url: str,
    archive_dir: str,
    policy: FetchPolicy,
    run_id: int,
    progress_id: UUID | None = None,
    total: int | None = None,
) -> list[SiteOutcome]:
    """Crawl, clean, parse, validate and load every portal of the shard; one outcome per portal."""
    logger = get_run_logger()
    store = store_for(db_url)
    total = total or len(portals)

    ahead = take_crawl_ahead(ahead_key(portals, years=years, archive_root=archive_dir, policy=policy))
    if ahead is not None:
        logger.info("taking over the crawl of %d portals started ahead", len(portals))
    outcomes: list[SiteOutcome] = []
    last = 0.0
    for outcome in harvest_portals(
        portals, archive=RawArchive(archive_dir), sink=store, run_id=run_id, policy=policy,
        years=set(years) if years else None, known_pages=store.known_pages, on_crawled=crawled,
        store_url=db_url,  # many portals: parsed and loaded in a process pool (default_workers)
        stop=stop_requested, on_interrupted=mark_interrupted,  # Ctrl-C in `gxbg harvest` (tasks/stop.py)
        crawl=ahead,
    ):  # fmt: skip
        outcomes.append(outcome)
        logger.info("%s: %d pages, %d loaded, %d unchanged, %d with failing checks, %d errors",
                    outcome.portal, outcome.pages, outcome.loaded, outcome.unchanged,
                    outcome.failed_checks, outcome.errors)  # fmt: skip
        progress.emit("processed", portal=outcome.portal, outcome=outcome)
        if progress_id is not None:
            counts = _advance(progress_id, outcome)
            if time.monotonic() - last >= PROGRESS_EVERY or counts["portals"] == total:
                _publish(progress_id, counts, total)
                last = time.monotonic()
    if progress_id is not None and outcomes:  # this shard's last portals, even inside the throttle
        _publish(progress_id, _advance(progress_id, None), total)
    return outcomes
