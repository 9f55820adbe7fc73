"""Reparse tasks: find versions parsed by an older extractor, re-parse them from the raw archive."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from gxbg import PARSER_VERSION
from gxbg.archive import RawArchive
from gxbg.pipeline.reparse import ReparseOutcome, ReparseSummary, merge_reparse, reparse_versions
from gxbg.store.records import StaleVersion
from tasks.db import store_for

#: No stored version has this parser version, so ``force`` selects every version.
_ANY_VERSION = ""


@task(name="find-stale-versions", cache_policy=NO_CACHE)
def stale_batches_task(db_url: str, *, force: bool, batch_size: int) -> list[list[StaleVersion]]:
    """Versions whose parser version differs from this extractor's (all of them with ``force``), batched."""
    wanted = _ANY_VERSION if force else PARSER_VERSION
    items = store_for(db_url).stale_versions(wanted, limit=10_000_000)
    get_run_logger().info("%d versions to re-parse with parser %s", len(items), PARSER_VERSION)
    return [items[i : i + batch_size] for i in range(0, len(items), batch_size)]


@task(name="reparse-batch", cache_policy=NO_CACHE)
def reparse_batch_task(items: list[StaleVersion], *, db_url: str, archive_dir: str) -> ReparseOutcome:
    """Re-parse one batch from the archive (no network) and replace the versions' rows."""
    outcome = reparse_versions(items, archive=RawArchive(archive_dir), sink=store_for(db_url))
    get_run_logger().info("re-parsed %d, %d errors", outcome.reparsed, len(outcome.errors))
    return outcome


@task(name="summarize-reparse", cache_policy=NO_CACHE)
def merge_reparse_task(outcomes: list[ReparseOutcome]) -> ReparseSummary:
    """Fold the batches' outcomes into the run summary."""
    return merge_reparse(outcomes)
