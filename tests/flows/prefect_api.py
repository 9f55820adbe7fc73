"""Reading what flow runs left on the Prefect test server (artifacts), for the flow tests."""

from __future__ import annotations

from typing import Any
from uuid import UUID


def read_artifacts(key: str, flow_run_id: UUID | None = None) -> list[Any]:
    """The artifacts with ``key``, of one flow run when ``flow_run_id`` is given, else of every run."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    runs = None if flow_run_id is None else ArtifactFilterFlowRunId(any_=[flow_run_id])
    wanted = ArtifactFilter(key=ArtifactFilterKey(any_=[key]), flow_run_id=runs)
    with get_client(sync_client=True) as client:
        return list(client.read_artifacts(artifact_filter=wanted))
