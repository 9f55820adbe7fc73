"""The harvest's custom Prefect event, ``gxbg.harvest.errors``, which the threshold automation watches.

Emitted once per finished harvest with its error count.  The resource label
``gxbg.errors.over-threshold`` ("true"/"false") is what ``gxbg alerts install`` matches, so the
alert is delivered server-side (an automation), not by a client hook.  The threshold is the flow
parameter if given, else the Prefect Variable ``gxbg_error_threshold`` (set by ``gxbg alerts
install --threshold``), else ``GXBG_ERROR_THRESHOLD``.
"""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.runtime import flow_run
from prefect.variables import Variable

from gxbg.pipeline.summary import RunSummary
from gxbg.pipeline.verdict import describe
from tasks.settings import Settings

EVENT = "gxbg.harvest.errors"
OVER_LABEL = "gxbg.errors.over-threshold"
FAILED_LABEL = "gxbg.run.failed"  # "true": the run ends Failed and alerts as a failed run, not here
THRESHOLD_VARIABLE = "gxbg_error_threshold"


def error_threshold(override: int | None = None) -> int:
    """The threshold in force: ``override``, else the Prefect Variable, else the environment setting."""
    if override is not None:
        return override
    stored = Variable.get(THRESHOLD_VARIABLE, default=None)
    return int(stored) if stored is not None else Settings.from_env().error_threshold


@task(name="emit-harvest-event", cache_policy=NO_CACHE)
def emit_harvest_event(summary: RunSummary, threshold: int | None = None, *, failed: bool = False) -> bool:
    """Emit ``gxbg.harvest.errors`` for a finished harvest; return whether it passed the threshold."""
    limit = error_threshold(threshold)
    errors = int(summary["totals"].get("errors", 0))
    over = errors > limit
    emit_event(
        EVENT,
        resource={
            "prefect.resource.id": f"gxbg.harvest.{flow_run.get_id() or summary.get('run_id')}",
            "prefect.resource.name": f"{flow_run.get_flow_name() or 'harvest'}/{flow_run.get_name() or ''}",
            "gxbg.errors": str(errors),
            "gxbg.threshold": str(limit),
            OVER_LABEL: "true" if over else "false",
            FAILED_LABEL: "true" if failed else "false",
        },
        payload={
            "errors": errors,
            "threshold": limit,
            "totals": summary["totals"],
            "run_id": summary.get("run_id"),
            "run_ids": summary.get("run_ids"),
            "portals": len(summary.get("portals", [])),
            "failures": describe(summary) if summary.get("portals") else f"{errors} errors",
        },
    )
    get_run_logger().info("harvest errors: %d (threshold %d, over: %s)", errors, limit, over)
    return over
