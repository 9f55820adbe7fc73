"""Alerts: a JSON POST to the configured webhook (Slack-compatible ``{"text": ...}`` body).

Used as Prefect state hooks (a task or flow run that failed or crashed) and after each harvest whose
error count passes ``GXBG_ERROR_THRESHOLD``.  Hooks run client-side without a delivery guarantee;
``gxbg alerts install`` adds a server-side automation for alerts that must arrive.  Sending never
raises: a broken webhook must not fail the harvest it reports on.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import httpx

from gxbg.errors import HarvestFailedError
from gxbg.pipeline.summary import RunSummary
from gxbg.pipeline.verdict import describe, failed_portals
from tasks.settings import Settings, lasting_api_url

log = logging.getLogger("gxbg.alerts")


def post_alert(webhook: str | None, text: str, details: dict[str, Any]) -> bool:
    """POST ``{"text": text, "gxbg": details}`` to ``webhook``; return whether it was accepted."""
    if not webhook:
        log.warning("alert (no GXBG_ALERT_WEBHOOK set): %s", text)
        return False
    try:
        response = httpx.post(webhook, json={"text": text, "gxbg": details}, timeout=10.0)
    except httpx.HTTPError as exc:
        log.warning("alert to %s failed: %s", webhook, exc)
        return False
    if response.status_code >= 300:
        log.warning("alert to %s answered %s", webhook, response.status_code)
        return False
    return True


def run_link(flow_run_id: Any) -> str | None:
    """The flow run's page in the Prefect UI, when a lasting server is configured (not a temporary one)."""
    if lasting_api_url() is None or flow_run_id is None:
        return None
    from prefect.utilities.urls import url_for

    return url_for("flow-run", obj_id=str(flow_run_id))


def _state_details(kind: str, name: str, run: Any, state: Any) -> dict[str, Any]:
    return {
        "event": f"{kind}-{str(state.type.value).lower()}",
        "name": name,
        "run_id": str(run.id),
        "run_name": run.name,
        "state": state.name,
        "message": state.message,
        "link": run_link(run.id) if kind == "flow" else None,
    }


def alert_on_task_failure(task: Any, task_run: Any, state: Any) -> None:
    """Task hook: a task run failed after its last retry."""
    details = _state_details("task", task.name, task_run, state)
    post_alert(
        Settings.from_env().alert_webhook, f"gxbg task {task_run.name} {state.name}: {state.message}", details
    )


def alert_on_flow_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Flow hook: a flow run failed or crashed — one message per failed run, from the outermost flow only
    (a subflow's failure reaches its parent, which alerts), naming the portals, the failures by cause in
    words and the run's page in the UI."""
    if getattr(flow_run, "parent_task_run_id", None) is not None:
        return
    details = _state_details("flow", flow.name, flow_run, state)
    try:
        failure = state.result(raise_on_failure=False) if state.is_failed() else None
    except Exception:  # the result may be unreadable (crashed process): the state message suffices
        failure = None
    if isinstance(failure, HarvestFailedError):
        summary = cast(RunSummary, failure.summary)  # the harvest flow's summary, carried by the error
        what = describe(summary)
        details.update(event="harvest-failed", portals=failed_portals(summary),
                       totals=summary.get("totals", {}))  # fmt: skip
    else:
        what = str(state.message or state.name)
    text = f"gxbg {flow.name} run {flow_run.name} {state.name}: {what}"
    if details["link"]:
        text += f" — {details['link']}"
    post_alert(Settings.from_env().alert_webhook, text, details)


def alert_if_errors(summary: RunSummary, *, threshold: int, webhook: str | None) -> bool:
    """Alert when a finished harvest's error count is above ``threshold``; return whether it alerted."""
    errors = int(summary["totals"]["errors"])
    if errors <= threshold:
        return False
    link = run_link(_current_flow_run_id())
    text = (
        f"gxbg harvest run {summary.get('run_id')}: {errors} errors (threshold {threshold}); "
        f"{describe(summary)}" + (f" — {link}" if link else "")
    )
    details = {
        "event": "harvest-error-threshold",
        "errors": errors,
        "threshold": threshold,
        "totals": summary["totals"],
        "portals": [str(row["portal"]) for row in summary.get("portals", []) if int(row.get("errors", 0))],
        "link": link,
    }
    post_alert(webhook, text, details)
    return True


def _current_flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return flow_run.get_id()
