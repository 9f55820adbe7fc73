"""The harvest flow over several hosts: one task per shard, every portal's outcome and the progress seen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gxbg.sim.hosts import loopback_addresses, serve_hosts
from tests.flows.prefect_api import read_artifacts

pytestmark = [pytest.mark.prefect]


def test_shards_report_every_portal_and_the_progress(prefect_harness: None, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.harvest import harvest

    with serve_hosts(loopback_addresses(2, first=40)) as hosts:
        portals = hosts.portals()  # 3 portals on each of 2 hosts
        state = harvest(
            portals=portals, allow_private=True, polite=False, shard_size=4, return_state=True,
            db_url=f"sqlite:///{tmp_path / 'gxbg.sqlite'}", archive_dir=str(tmp_path / "raw"),
        )  # fmt: skip
        summary: dict[str, Any] = state.result()
        expected = {s.name: s.expected_reports for s in hosts.seeds}
        assert hosts.probe.report("ip").max_in_flight == 1

    assert {row["portal"]: row["loaded"] for row in summary["portals"]} == expected
    assert summary["totals"]["errors"] == 0, summary["errors"]

    flow_run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    shard_runs = sorted(r.name for r in runs if r.name.startswith("harvest-"))
    assert shard_runs == ["harvest-1-of-2", "harvest-2-of-2"]  # 6 portals, 4 per shard: 2 task runs

    [progress] = read_artifacts("harvest-progress", flow_run_id)
    assert progress.data == pytest.approx(100.0)
    assert progress.description.startswith(f"{len(portals)} of {len(portals)} portals")
