"""Registry-driven harvests: the scheduled yearly harvest, backfills, and its shards on a work pool.

``yearly_harvest`` loads and selects the portal registry, then either runs ``harvest`` in this
process (``shards=1``) or starts one ``shard_harvest`` flow run per shard through the ``shard``
deployment, so the workers of the pool share the portals; each shard owns whole registrable
domains, so per-host politeness stays inside one process.  The shards' summaries are merged into
one, published as artifacts and reported as a ``gxbg.harvest.errors`` event.  Either way, once the
data is loaded, the publication status of each harvested year (``gxbg status``) is published as
artifacts ``publication-status-<year>``; that reporting step never fails the harvest.
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.harvest import harvest
from gxbg.errors import HarvestFailedError
from gxbg.pipeline.summary import RunSummary
from gxbg.pipeline.verdict import all_failed, describe
from tasks.alerts import alert_on_flow_failure
from tasks.artifacts import publish_summary_task
from tasks.events import emit_harvest_event
from tasks.registry import load_portals_task, report_years_task
from tasks.runs import alert_on_errors_task, check_database_task
from tasks.shards import merge_summaries_task, run_shard_task
from tasks.status import publish_status

SHARD_DEPLOYMENT = "shard-harvest/shard"


@flow(name="yearly-harvest", on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])
def yearly_harvest(
    registry: str = "registry/portals.csv",
    years: list[int] | None = None,
    provinces: list[str] | None = None,
    levels: list[str] | None = None,
    names: list[str] | None = None,
    shards: int = 1,
    deployment: str | None = None,
    db_url: str | None = None,
    archive_dir: str | None = None,
    allow_private: bool = False,
    polite: bool = True,
    error_threshold: int | None = None,
    base_url: str | None = None,
    poll_interval: float = 5.0,
) -> RunSummary:
    """Harvest the registry's selected portals for ``years`` (default: last calendar year).

    ``provinces`` (names or GB/T 2260 codes), ``levels`` and ``names`` select portals;
    ``shards`` > 1 runs that many child flow runs of ``deployment`` (default ``shard-harvest/shard``)
    on the work pool; ``base_url`` fills the ``{base}`` placeholder of the demo registry.  Ends by
    publishing each year's publication status of the selected portals as artifacts.
    """
    check_database_task(db_url)  # a bad db_url fails here, once, before any shard starts
    year_list = report_years_task(years)
    # loaded here in every case: a bad registry or selection fails once, before any shard starts
    portals = load_portals_task(registry, names=names, provinces=provinces, levels=levels, base_url=base_url)
    if shards <= 1:
        summary = harvest(
            portals=portals,
            years=year_list,
            db_url=db_url,
            archive_dir=archive_dir,
            allow_private=allow_private,
            polite=polite,
            error_threshold=error_threshold,
            fail_if_all_failed=False,  # judged here: one failed flow run, one alert
        )
        if all_failed(summary):
            raise HarvestFailedError(describe(summary), summary)
        publish_status(db_url, year_list, portals)  # after the data is loaded; never fails the run
        return summary
    child: dict[str, Any] = {
        "registry": registry,
        "years": year_list,
        "names": names,
        "provinces": provinces,
        "levels": levels,
        "base_url": base_url,
        "db_url": db_url,
        "archive_dir": archive_dir,
        "allow_private": allow_private,
        "polite": polite,
        "error_threshold": error_threshold,
    }
    futures = [
        run_shard_task.submit(
            deployment or SHARD_DEPLOYMENT, child, shard_index=i, shards=shards, poll_interval=poll_interval
        )
        for i in range(shards)
    ]
    summary = merge_summaries_task([f.result() for f in futures])
    publish_summary_task(summary)
    failed = all_failed(summary)  # judged on the merged summary: the shards never fail for it
    if not failed:
        alert_on_errors_task(summary, error_threshold)  # once, on the merged count: shards do not alert
    emit_harvest_event(summary, error_threshold, failed=failed)
    if failed:
        raise HarvestFailedError(describe(summary), summary)
    publish_status(db_url, year_list, portals)  # the whole selection, once, after every shard loaded
    return summary


@flow(
    name="shard-harvest",
    persist_result=True,
    result_serializer="json",
    on_failure=[alert_on_flow_failure],
    on_crashed=[alert_on_flow_failure],
)
def shard_harvest(
    registry: str,
    shard: int,
    shards: int,
    years: list[int] | None = None,
    provinces: list[str] | None = None,
    levels: list[str] | None = None,
    names: list[str] | None = None,
    db_url: str | None = None,
    archive_dir: str | None = None,
    allow_private: bool = False,
    polite: bool = True,
    error_threshold: int | None = None,
    base_url: str | None = None,
) -> RunSummary:
    """Harvest shard ``shard`` of ``shards`` of the selected registry portals (a child of yearly-harvest)."""
    portals = load_portals_task(
        registry,
        names=names,
        provinces=provinces,
        levels=levels,
        base_url=base_url,
        shard_index=shard,
        shards=shards,
    )
    return harvest(
        portals=portals,
        years=years,
        db_url=db_url,
        archive_dir=archive_dir,
        allow_private=allow_private,
        polite=polite,
        error_threshold=error_threshold,
        alert_errors=False,
        fail_if_all_failed=False,  # the parent judges the merged summary, and fails once
    )
