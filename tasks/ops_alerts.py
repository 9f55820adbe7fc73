"""Alerts as code: the notification block and the automations ``gxbg alerts install`` creates.

Everything is created by name and replaced on re-install, so running the command twice leaves one
block and one automation of each kind.  The automations run on the Prefect server, so unlike the
flows' state hooks their notifications do not depend on the flow's process surviving:

* ``gxbg-flow-run-failed``: any flow run entering Failed or Crashed;
* ``gxbg-harvest-errors``: a ``gxbg.harvest.errors`` event labelled over the threshold (see
  ``tasks.events``); the threshold itself is stored in the Prefect Variable ``gxbg_error_threshold``.

The webhook receives ``{"text": ..., "gxbg": {...}}`` (Slack-compatible, like ``tasks.alerts``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import cast
from uuid import UUID

from prefect.automations import Automation, EventTrigger, Posture, SendNotification
from prefect.blocks.notifications import CustomWebhookNotificationBlock
from prefect.variables import Variable

from tasks.events import EVENT, FAILED_LABEL, OVER_LABEL, THRESHOLD_VARIABLE

BLOCK_NAME = "gxbg-alerts"
FAILED = "gxbg-flow-run-failed"
ERRORS = "gxbg-harvest-errors"

FAILED_BODY = (
    "flow run {{ flow_run.name }} ({{ flow.name }}) entered {{ flow_run.state.name }}: "
    "{{ flow_run.state.message }} — {{ flow_run|ui_url }}"
)
# words, not a dict: "… in harvest/x: 2 of 3 portals failed (a, b); 4 pages failed: 3 connection refused"
ERRORS_BODY = (
    "{{ event.payload.errors }} errors (threshold {{ event.payload.threshold }}) in "
    "{{ event.resource['prefect.resource.name'] }}: {{ event.payload.failures }}"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Installed:
    """What ``install_alerts`` created or replaced."""

    block_id: UUID
    automations: tuple[str, ...]
    threshold: int


def _block(webhook: str) -> CustomWebhookNotificationBlock:
    return CustomWebhookNotificationBlock.model_validate(
        {
            "name": BLOCK_NAME,
            "url": webhook,
            "method": "POST",
            "json_data": {
                "text": "{{subject}}: {{body}}",
                "gxbg": {"source": "prefect-automation", "subject": "{{subject}}"},
            },
        }
    )


def _automations(block_id: UUID) -> list[Automation]:
    failed = Automation(
        name=FAILED,
        description="A flow run entered Failed or Crashed.",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
            match={"prefect.resource.id": "prefect.flow-run.*"},
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[
            SendNotification(block_document_id=block_id, subject="gxbg flow run failed", body=FAILED_BODY)
        ],
    )
    errors = Automation(
        name=ERRORS,
        description="A harvest's error count passed the threshold (gxbg.harvest.errors event).",
        trigger=EventTrigger(
            expect={EVENT},
            match={OVER_LABEL: "true", FAILED_LABEL: "false"},  # a failed run alerts as failed, once
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[
            SendNotification(block_document_id=block_id, subject="gxbg harvest errors", body=ERRORS_BODY)
        ],
    )
    return [failed, errors]


def _replace(automation: Automation) -> None:
    """Create ``automation``, deleting any automation of the same name first (idempotent install)."""
    remove_automation(automation.name)
    automation.create()


def remove_automation(name: str) -> int:
    """Delete every automation called ``name``; return how many there were."""
    removed = 0
    while True:
        try:
            cast(Automation, Automation.read(name=name)).delete()
        except ValueError:  # "Automation with name ... not found"
            return removed
        removed += 1


def install_alerts(webhook: str, *, threshold: int) -> Installed:
    """Create or replace the webhook block, both automations and the threshold variable."""
    if threshold < 0:
        raise ValueError(f"the error threshold must be >= 0, got {threshold}")
    block_id = cast(UUID, _block(webhook).save(BLOCK_NAME, overwrite=True))
    Variable.set(THRESHOLD_VARIABLE, threshold, overwrite=True)
    automations = _automations(block_id)
    for automation in automations:
        _replace(automation)
    return Installed(block_id=block_id, automations=tuple(a.name for a in automations), threshold=threshold)


def uninstall_alerts() -> list[str]:
    """Delete the automations, the block and the variable; return the automation names removed."""
    removed = [name for name in (FAILED, ERRORS) if remove_automation(name)]
    with contextlib.suppress(ValueError):  # no such block: nothing to delete
        CustomWebhookNotificationBlock.delete(BLOCK_NAME)
    Variable.unset(THRESHOLD_VARIABLE)
    return removed
