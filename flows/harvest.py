"""The harvest flow: portal seeds → discover → fetch → clean → parse → validate → load.

Two tasks per portal (crawl, then process), never one per URL.  Progress, a per-portal table and the
failing-check list are published as artifacts; failures alert through hooks and the error threshold.
"""

from __future__ import annotations

from typing import Any, cast

from prefect import flow
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from tasks.alerts import alert_on_flow_failure
from tasks.artifacts import advance_progress, publish_summary_task, start_progress
from tasks.crawl import crawl_policy, crawl_site_task, known_pages_task
from tasks.crossyear import cross_year_breaks_task
from tasks.events import emit_harvest_event
from tasks.process import process_site_task
from tasks.runs import alert_on_errors_task, finish_run_task, site_error, start_run_task, summarize_task
from tasks.settings import Settings


@flow(
    name="harvest",
    task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=4)),  # Prefect 3.8 stubs: TaskRunner[Never]
    on_failure=[alert_on_flow_failure],
    on_crashed=[alert_on_flow_failure],
)
def harvest(
    portals: list[dict[str, Any]],
    years: list[int] | None = None,
    db_url: str | None = None,
    archive_dir: str | None = None,
    allow_private: bool = False,
    polite: bool = True,
    error_threshold: int | None = None,
    alert_errors: bool = True,
) -> dict[str, Any]:
    """Harvest every portal in ``portals`` (dicts with at least ``name`` and ``seed_url``).

    ``years`` keeps only reports for those report years; ``allow_private`` lets the crawler reach
    loopback/private addresses (the demo's simulated portals); ``polite=False`` drops the per-host delay;
    ``alert_errors=False`` leaves the error-threshold alert to a parent flow that merges several
    harvests, so a sharded run alerts once, on the merged count.
    """
    settings = Settings.from_env()
    db = db_url or settings.db_url
    archive = archive_dir or str(settings.archive_dir)
    params = {"portals": [p["name"] for p in portals], "years": years, "allow_private": allow_private}
    run_id = start_run_task(db, "harvest", params)
    progress = start_progress(len(portals))
    policy = crawl_policy(allow_private=allow_private, polite=polite)

    known = [known_pages_task.submit(db, p["name"]) for p in portals]  # → conditional GETs on re-harvest
    crawls = [
        crawl_site_task.submit(
            p, years=years, archive_dir=archive, policy=policy, validators=cast(Any, pages)
        )
        for p, pages in zip(portals, known, strict=True)
    ]
    jobs = {
        process_site_task.submit(p, cast(Any, crawl), db_url=db, archive_dir=archive, run_id=run_id): p
        for p, crawl in zip(portals, crawls, strict=True)
    }
    outcomes = []
    for done, future in enumerate(as_completed(list(jobs)), start=1):
        try:
            outcomes.append(future.result())
        except Exception as exc:  # the task already alerted; the run goes on with the other portals
            outcomes.append(site_error(jobs[future], exc))
        advance_progress(progress, done, len(portals))

    summary = summarize_task(outcomes, run_id)
    summary = {**summary, "cross_year_failures": cross_year_breaks_task(db, run_id)}
    publish_summary_task(summary)
    finish_run_task(db, run_id, summary, "completed")
    if alert_errors:
        alert_on_errors_task(summary, error_threshold)  # client-side: the webhook, directly
        emit_harvest_event(summary, error_threshold)  # server-side: the automation `gxbg alerts install` made
    return summary
