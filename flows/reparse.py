"""The reparse flow: re-run the extractor on already archived pages, with no network at all.

Run it after the extractor changes (``gxbg.PARSER_VERSION``): every stored version parsed by another
version is re-parsed from its archived body and its sections, cells and checks are replaced in one
transaction per version.  ``force=True`` re-parses everything.
"""

from __future__ import annotations

from typing import Any, cast

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from gxbg.pipeline.reparse import ReparseSummary
from tasks.alerts import alert_on_flow_failure
from tasks.reparse import merge_reparse_task, reparse_batch_task, stale_batches_task
from tasks.settings import Settings


@flow(
    name="reparse",
    task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=2)),  # Prefect 3.8 stubs: TaskRunner[Never]
    on_failure=[alert_on_flow_failure],
    on_crashed=[alert_on_flow_failure],
)
def reparse(
    db_url: str | None = None, archive_dir: str | None = None, force: bool = False, batch_size: int = 200
) -> ReparseSummary:
    """Re-parse stale versions (all with ``force``) in batches of ``batch_size``, one task per batch."""
    settings = Settings.from_env()
    db = db_url or settings.db_url
    archive = archive_dir or str(settings.archive_dir)
    batches = stale_batches_task(db, force=force, batch_size=batch_size)
    futures = [reparse_batch_task.submit(batch, db_url=db, archive_dir=archive) for batch in batches]
    return merge_reparse_task([future.result() for future in futures])
