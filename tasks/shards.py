"""Shard tasks: one child flow run per shard on the work pool, and folding their summaries.

``run_shard_task`` submits the ``shard`` deployment with ``run_deployment`` (linked to the parent
as a subflow) and waits for it; the child's summary comes back as its persisted result, so parent
and workers need a common result storage when they run on different machines
(``PREFECT_RESULTS_LOCAL_STORAGE_PATH`` on a shared volume, or a storage block).
"""

from __future__ import annotations

from typing import Any, cast

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.runtime import flow_run

from gxbg.pipeline.summary import RunSummary, merge_summaries


class ShardFailedError(RuntimeError):
    """A shard's child flow run did not complete; re-run that shard only."""


@task(name="run-shard", task_run_name="shard-{shard_index}-of-{shards}", cache_policy=NO_CACHE)
def run_shard_task(
    deployment: str, parameters: dict[str, Any], *, shard_index: int, shards: int, poll_interval: float = 5.0
) -> RunSummary:
    """Run shard ``shard_index`` as a flow run of ``deployment``, wait for it, and return its summary."""
    parent = flow_run.get_id()
    child = cast(
        FlowRun,
        run_deployment(
            deployment,
            parameters={**parameters, "shard": shard_index, "shards": shards},
            flow_run_name=f"shard-{shard_index}-of-{shards}",
            idempotency_key=f"{parent}-shard-{shard_index}-of-{shards}" if parent else None,
            poll_interval=poll_interval,
            timeout=None,
            as_subflow=True,
        ),
    )
    state = child.state
    if state is None or not state.is_completed():
        name = state.name if state else "no state"
        message = state.message if state else ""
        raise ShardFailedError(
            f"shard {shard_index} of {shards} (flow run {child.id}) ended {name}: {message}"
        )
    summary: RunSummary = state.result()  # the child's persisted result: JSON, read back as a dict
    get_run_logger().info("shard %d of %d: %d portals", shard_index, shards, len(summary["portals"]))
    return summary


@task(name="merge-summaries", cache_policy=NO_CACHE)
def merge_summaries_task(summaries: list[RunSummary]) -> RunSummary:
    """Fold the shards' summaries into one (portals are disjoint across shards)."""
    return merge_summaries(summaries)
