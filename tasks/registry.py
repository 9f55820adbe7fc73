"""Registry tasks: load and select the portals of a run, and the default report years."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from gxbg.pipeline.process import Portal
from gxbg.pipeline.registry import load_registry, select, shard

#: Report deadlines and schedules are in China Standard Time.
TIMEZONE = ZoneInfo("Asia/Shanghai")


@task(name="load-portals", cache_policy=NO_CACHE)
def load_portals_task(
    registry: str,
    *,
    names: list[str] | None = None,
    provinces: list[str] | None = None,
    levels: list[str] | None = None,
    base_url: str | None = None,
    shard_index: int | None = None,
    shards: int = 1,
) -> list[Portal]:
    """The selected portals of ``registry`` (only shard ``shard_index`` of ``shards`` if given)."""
    portals = select(load_registry(registry, base=base_url), names=names, provinces=provinces, levels=levels)
    if shard_index is not None:
        portals = shard(portals, shards, shard_index)
    get_run_logger().info("%s: %d portals selected", registry, len(portals))
    return portals


@task(name="report-years", cache_policy=NO_CACHE)
def report_years_task(years: list[int] | None = None) -> list[int]:
    """``years`` if given, else last calendar year (Asia/Shanghai): the reports due this spring."""
    return list(years) if years else [datetime.now(TIMEZONE).year - 1]
