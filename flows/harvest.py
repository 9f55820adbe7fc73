"""The harvest flow: portal seeds → discover → fetch → clean → parse → validate → load.

One task per shard of portals (``shard_size`` portals each, default: every portal in one shard), never
one per portal or URL: inside a shard every portal is crawled at once over one HTTP client, politely
(one request at a time per host and per address, across the whole process), and each is processed as
soon as its crawl ends.  Progress (updated as portals finish), a per-portal table and the failing-check
list are published as artifacts; failures alert through hooks and the error threshold.
"""

from __future__ import annotations

from typing import Any, cast

from prefect import flow
from prefect.futures import as_completed
from prefect.states import Cancelled
from prefect.task_runners import ThreadPoolTaskRunner

from gxbg.crawl.policy import FetchPolicy
from gxbg.errors import HarvestFailedError
from gxbg.pipeline.process import Portal
from gxbg.pipeline.summary import RunSummary
from gxbg.pipeline.verdict import all_failed, describe
from tasks.alerts import alert_on_flow_failure
from tasks.artifacts import publish_summary_task, start_progress
from tasks.crossyear import cross_year_breaks_task
from tasks.events import emit_harvest_event
from tasks.harvest_shard import harvest_shard_task
from tasks.runs import alert_on_errors_task, finish_run_task, site_error, start_run_task, summarize_task
from tasks.settings import SHARD_SIZE, Settings
from tasks.stop import interrupted_portals, stop_requested

#: Portals per shard task by default: a shard is crawled concurrently in one event loop, so one shard per
#: process is fastest; more shards only split the progress (sharding over machines is ``shard_harvest``).


@flow(
    name="harvest",
    task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=4)),  # Prefect 3.8 stubs: TaskRunner[Never]
    on_failure=[alert_on_flow_failure],
    on_crashed=[alert_on_flow_failure],
)
def harvest(
    portals: list[Portal],
    years: list[int] | None = None,
    db_url: str | None = None,
    archive_dir: str | None = None,
    allow_private: bool = False,
    polite: bool = True,
    error_threshold: int | None = None,
    alert_errors: bool = True,
    fail_if_all_failed: bool = True,
    shard_size: int = SHARD_SIZE,
) -> RunSummary:
    """Harvest every portal in ``portals`` (JSON objects with at least ``name`` and ``seed_url`` become
    :class:`~gxbg.pipeline.process.Portal` as Prefect validates the parameters).

    ``years`` keeps only reports for those report years; ``allow_private`` lets the crawler reach
    loopback/private addresses (the demo's simulated portals); ``polite=False`` drops the per-host delay;
    ``alert_errors=False`` leaves the error-threshold alert to a parent flow that merges several
    harvests, so a sharded run alerts once, on the merged count; ``shard_size`` portals per task.  When
    every portal failed the run ends Failed (:class:`~gxbg.errors.HarvestFailedError`, carrying the
    summary) unless ``fail_if_all_failed=False`` leaves that verdict to a parent flow that merges several
    harvests.
    """
    settings = Settings.from_env()
    db = db_url or settings.db_url
    archive = archive_dir or str(settings.archive_dir)
    params = {"portals": [p.name for p in portals], "years": years, "allow_private": allow_private}
    run_id = start_run_task(db, "harvest", params)
    progress = start_progress(len(portals))
    policy = FetchPolicy.for_run(allow_private=allow_private, polite=polite)  # JSON switches → the object

    size = max(1, shard_size)
    shards = [portals[i : i + size] for i in range(0, len(portals), size)]
    jobs = {
        harvest_shard_task.submit(
            shard, shard_name=f"{n + 1}-of-{len(shards)}", years=years, db_url=db, archive_dir=archive,
            policy=policy, run_id=run_id, progress_id=progress, total=len(portals),
        ): shard
        for n, shard in enumerate(shards)
    }  # fmt: skip
    outcomes = []
    for future in as_completed(list(jobs)):
        try:
            outcomes.extend(future.result())
        except Exception as exc:  # the task already alerted; the run goes on with the other shards
            outcomes.extend(site_error(p, exc) for p in jobs[future])

    # folding the outcomes and publishing the artifacts are plain calls, not task runs: each task run
    # costs state writes and events, and Prefect walks its inputs (every portal's outcome)
    summary = summarize_task.fn(outcomes, run_id)
    summary["cross_year_failures"] = cross_year_breaks_task(db, run_id)
    publish_summary_task.fn(summary)
    if stop_requested():  # Ctrl-C in `gxbg harvest`: what was loaded stays; the run is cancelled
        summary["interrupted_portals"] = interrupted_portals()
        finish_run_task(db, run_id, summary, "cancelled")
        message = f"interrupted (Ctrl-C) before {len(summary['interrupted_portals'])} portal(s) finished"
        cancelled: Any = Cancelled(message=message, data=summary)
        return cast(RunSummary, cancelled)  # the flow run ends Cancelled; the CLI reads its data
    failed = all_failed(summary)
    finish_run_task(db, run_id, summary, "failed" if failed else "completed")
    if alert_errors:
        if not failed:  # a failed run alerts once, as failed (here or in the parent), with these counts
            alert_on_errors_task(summary, error_threshold)  # client-side: the webhook, directly
        emit_harvest_event(summary, error_threshold, failed=failed)  # server-side: `gxbg alerts install`
    if failed and fail_if_all_failed:
        raise HarvestFailedError(describe(summary), summary)
    return summary
