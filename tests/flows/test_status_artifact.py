"""The registry harvest publishes the publication status (``gxbg status``) as Prefect artifacts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from tests.flows.prefect_api import read_artifacts

pytestmark = [pytest.mark.prefect]

DEMO_REGISTRY = str(Path(__file__).resolve().parents[2] / "registry" / "demo.csv")


def _task_states(flow_run_id: UUID, name: str) -> list[str]:
    """The final state names of the flow run's task runs called ``name``."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        TaskRunFilter,
        TaskRunFilterName,
    )

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
            task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_=name)),
        )
    return [str(run.state.name) if run.state else "" for run in runs]


def _table(artifact: Any) -> list[dict[str, Any]]:
    data = artifact.data
    return list(json.loads(data) if isinstance(data, str) else data)


def _yearly(workdir: dict[str, str], demo_sim: Any, years: list[int], **extra: Any) -> tuple[Any, UUID]:
    from flows.scheduled import yearly_harvest

    state = yearly_harvest(
        registry=DEMO_REGISTRY,
        years=years,
        allow_private=True,
        polite=False,
        base_url=demo_sim.base_url,
        return_state=True,
        **workdir,
        **extra,
    )
    assert state.is_completed(), state.message
    return state.result(), state.state_details.flow_run_id


def test_yearly_harvest_publishes_each_portals_status(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str]
) -> None:
    summary, run_id = _yearly(workdir, demo_sim, [2024], shards=1)
    assert summary["totals"]["loaded"] == 3  # 淮安市 and 洪泽区 on hanweb, 南宾街道 on beijing

    (table,) = read_artifacts("publication-status-2024", run_id)
    assert table.type == "table"
    rows = {row["portal"]: row for row in _table(table)}
    assert list(rows) == ["trs-gbk", "hanweb", "beijing"]  # registry order
    assert {name: row["status"] for name, row in rows.items()} == {
        # the TRS portal holds 2019/2020 reports only; this harvest covered it for 2024 (pages fetched)
        # and stored none for 2024, so the deadline having passed (31 Mar 2025) makes it not_found
        "trs-gbk": "not_found",
        # 淮安市人民政府's own 2024 report, dated before 31 Mar 2025 but first fetched today: a harvest
        # after the deadline cannot tell when it was posted
        "hanweb": "on_time_by_date",
        # the Beijing-style tree holds a 2024 report of another agency (南宾街道办事处): the portal's status
        # is that report's, dated before the deadline and first seen today, with a note that it is not
        # the registry's 北京市人民政府
        "beijing": "on_time_by_date",
    }
    hanweb = rows["hanweb"]
    assert hanweb["agency"] == hanweb["report_agency"] == "淮安市人民政府"
    assert hanweb["level"] == "city"
    assert hanweb["deadline"] == "2025-03-31"
    assert hanweb["first_seen"] == dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert hanweb["published"] <= "2025-03-31"
    assert hanweb["note"] == "+1 more report(s)"  # 洪泽区's 2024 report is on the same portal
    assert rows["beijing"]["report_agency"] == "石柱土家族自治县人民政府南宾街道办事处"
    assert rows["beijing"]["note"] == "not the registry agency (北京市人民政府)"
    assert rows["trs-gbk"]["report_agency"] == rows["trs-gbk"]["published"] == ""
    assert rows["trs-gbk"]["open_failures"] == 0
    assert set(hanweb) == {
        "portal", "agency", "level", "status", "deadline", "report_agency", "published", "first_seen",
        "fail_count", "uncertain_count", "open_failures", "note",
    }  # fmt: skip

    (counts,) = read_artifacts("publication-status-2024-summary", run_id)
    assert counts.type == "markdown"
    assert "| `on_time_by_date` | 2 |" in counts.data
    assert "| `not_found` | 1 |" in counts.data
    assert "2025-03-31: 2019 条例 第四十九条: local governments by 31 Mar N+1 (unverified)" in counts.data
    assert _task_states(run_id, "publication-status-2024") == ["Completed"]


def test_a_year_not_due_is_skipped_without_failing_the_harvest(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str]
) -> None:
    this_year = dt.datetime.now(ZoneInfo("Asia/Shanghai")).year  # its reports are due next spring
    summary, run_id = _yearly(workdir, demo_sim, [this_year], names=["hanweb"])
    assert summary["totals"]["errors"] == 0
    assert read_artifacts(f"publication-status-{this_year}", run_id) == []
    assert _task_states(run_id, f"publication-status-{this_year}") == ["Completed"]  # skipped, not failed


def test_a_failing_status_step_is_logged_and_the_harvest_still_completes(
    prefect_harness: None,
    demo_sim: Any,
    workdir: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from gxbg.store.db import Store

    def broken(self: Store, year: int, portals: Any) -> Any:
        raise RuntimeError("status query broke")

    monkeypatch.setattr(Store, "publication_status", broken)
    summary, run_id = _yearly(workdir, demo_sim, [2024], names=["hanweb"])
    assert summary["totals"]["loaded"] == 2  # the data is stored
    assert read_artifacts("publication-status-2024", run_id) == []
    # not swallowed: the task run failed (no retry: not transient IO) and the flow says why
    assert _task_states(run_id, "publication-status-2024") == ["Failed"]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("publication status 2024 not published" in w and "status query broke" in w for w in warnings)


def test_the_sharded_branch_publishes_once_for_the_whole_selection(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards run in-process here (the real work-pool path is tests/ops/test_scaleout.py)."""
    import tasks.shards
    from flows.scheduled import shard_harvest

    def run_here(deployment: str, *, parameters: dict[str, Any], **_: Any) -> Any:
        state = shard_harvest(**parameters, return_state=True)
        return SimpleNamespace(id=state.state_details.flow_run_id, state=state)

    monkeypatch.setattr(tasks.shards, "run_deployment", run_here)
    summary, run_id = _yearly(workdir, demo_sim, [2024], shards=2)
    assert {row["portal"] for row in summary["portals"]} == {"trs-gbk", "hanweb", "beijing"}
    (table,) = read_artifacts("publication-status-2024", run_id)  # one table, not one per shard
    assert [row["portal"] for row in _table(table)] == ["trs-gbk", "hanweb", "beijing"]
    assert {row["status"] for row in _table(table)} == {"not_found", "on_time_by_date"}
