"""Alerts: a JSON POST to the configured webhook (Slack-compatible ``{"text": ...}`` body).

Used as Prefect state hooks (a task or flow run that failed or crashed) and after each harvest whose
error count passes ``GXBG_ERROR_THRESHOLD``.  Hooks run client-side without a delivery guarantee;
``gxbg alerts install`` adds a server-side automation for alerts that must arrive.  Sending never
raises: a broken webhook must not fail the harvest it reports on.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from tasks.settings import Settings

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


def _state_details(kind: str, name: str, run: Any, state: Any) -> dict[str, Any]:
    return {
        "event": f"{kind}-{str(state.type.value).lower()}",
        "name": name,
        "run_id": str(run.id),
        "run_name": run.name,
        "state": state.name,
        "message": state.message,
    }


def alert_on_task_failure(task: Any, task_run: Any, state: Any) -> None:
    """Task hook: a task run failed after its last retry."""
    details = _state_details("task", task.name, task_run, state)
    post_alert(
        Settings.from_env().alert_webhook, f"gxbg task {task_run.name} {state.name}: {state.message}", details
    )


def alert_on_flow_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Flow hook: a flow run failed or crashed."""
    details = _state_details("flow", flow.name, flow_run, state)
    post_alert(
        Settings.from_env().alert_webhook, f"gxbg flow {flow_run.name} {state.name}: {state.message}", details
    )


def alert_if_errors(summary: dict[str, Any], *, threshold: int, webhook: str | None) -> bool:
    """Alert when a finished harvest's error count is above ``threshold``; return whether it alerted."""
    errors = int(summary["totals"]["errors"])
    if errors <= threshold:
        return False
    post_alert(
        webhook,
        f"gxbg harvest run {summary.get('run_id')}: {errors} errors (threshold {threshold})",
        {
            "event": "harvest-error-threshold",
            "errors": errors,
            "threshold": threshold,
            "totals": summary["totals"],
        },
    )
    return True
