"""The backfill flow: harvest a range of past report years for a subset of portals."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.harvest import harvest
from gxbg.pipeline.verdict import HarvestFailedError, all_failed, describe
from tasks.alerts import alert_on_flow_failure


@flow(name="backfill", on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])
def backfill(
    portals: list[dict[str, Any]],
    first_year: int,
    last_year: int,
    names: list[str] | None = None,
    db_url: str | None = None,
    archive_dir: str | None = None,
    allow_private: bool = False,
    polite: bool = True,
) -> dict[str, Any]:
    """Harvest report years ``first_year``..``last_year`` (inclusive) of ``portals`` (or only ``names``)."""
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    chosen = [p for p in portals if names is None or p["name"] in names]
    summary = harvest(
        portals=chosen,
        years=list(range(first_year, last_year + 1)),
        db_url=db_url,
        archive_dir=archive_dir,
        allow_private=allow_private,
        polite=polite,
        fail_if_all_failed=False,  # judged here: one failed flow run, one alert
    )
    if all_failed(summary):
        raise HarvestFailedError(describe(summary), summary)
    return summary
