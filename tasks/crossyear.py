"""The cross-year breaks a harvest's new reports take part in, for the run's failing-checks artifact."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from gxbg.pipeline.summary import CrossYearBreak
from gxbg.store.types import decimal_to_json
from tasks.db import store_for
from tasks.retry import IO_RETRIES


@task(name="cross-year-breaks", cache_policy=NO_CACHE, **IO_RETRIES)
def cross_year_breaks_task(db_url: str, run_id: int) -> list[CrossYearBreak]:
    """FAILing cross-year checks where either side was stored by run ``run_id`` (JSON-able rows)."""
    rows = store_for(db_url).cross_year_checks(statuses=["FAIL"], run_id=run_id)
    return [
        {
            "canonical_name": row["canonical_name"],
            "agency": row["agency"],
            "prev_agency": row["prev_agency"],
            "portal": row["portal"],
            "year": row["year"],
            "rule": row["rule"],
            "scope": row["scope"],
            "expr": row["expr"],
            "left": decimal_to_json(row["left"]),
            "right": decimal_to_json(row["right"]),
            "url": row["source_url"],
            "prev_url": row["prev_source_url"],
        }
        for row in rows
    ]
