"""The publication status (``gxbg status``) as Prefect artifacts, published after a registry harvest.

For each harvested report year: a table artifact ``publication-status-<year>`` (one row per selected
portal) and a markdown artifact ``publication-status-<year>-summary`` (the count per status and the
deadline rules, unverified).  This is reporting only: the harvest's data is already stored, so a year
with nothing due is skipped with a log line, and any other failure is logged as a warning (the task run
fails and alerts) without failing the flow.
"""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from gxbg.pipeline.process import Portal
from gxbg.store.errors import StoreError
from gxbg.store.status_render import status_markdown, status_table_row
from tasks.alerts import alert_on_task_failure
from tasks.db import store_for
from tasks.retry import IO_RETRIES
from tasks.settings import Settings


def status_key(year: int) -> str:
    """The table artifact's key (Prefect keys: lowercase letters, digits and dashes)."""
    return f"publication-status-{year}"


@task(
    name="publish-publication-status",
    task_run_name="publication-status-{year}",
    cache_policy=NO_CACHE,
    **IO_RETRIES,
    on_failure=[alert_on_task_failure],
)
def publish_status_task(db_url: str | None, year: int, portals: list[Portal]) -> str | None:
    """Publish the ``year`` publication status of ``portals`` (the registry's); return the table's
    key, or None when no reports are due for ``year`` yet (skipped, logged)."""
    try:
        rows = store_for(db_url or Settings.from_env().db_url).publication_status(year, portals)
    except StoreError as exc:  # the current China year or later, or before 2008: nothing to report
        get_run_logger().info("publication status %d skipped: %s", year, exc)
        return None
    key = status_key(year)
    create_table_artifact(
        [status_table_row(row) for row in rows],
        key=key,
        description=f"Publication status of the {year} reports, one row per registry portal "
        f"(counts and the unverified deadlines: {key}-summary)",
    )
    create_markdown_artifact(
        status_markdown(rows, year=year), key=f"{key}-summary", description=f"Publication status {year}"
    )
    return key


def publish_status(db_url: str | None, years: list[int], portals: list[Portal]) -> list[str]:
    """Run :func:`publish_status_task` for each year, after a harvest; return the keys published.

    Never raises: a failed task run (already logged with its traceback, and alerted) is logged again
    here as a warning, and the flow goes on — the harvest's data is stored whatever happens here."""
    keys = []
    for year in years:
        state = publish_status_task(db_url, year, portals, return_state=True)
        if not state.is_completed():
            get_run_logger().warning(
                "publication status %d not published (%s): %s; the harvested data is stored",
                year,
                state.name,
                state.message,
            )
            continue
        key = state.result()
        if key is not None:
            keys.append(key)
    return keys
