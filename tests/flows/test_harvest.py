"""The harvest, backfill and alert paths, end to end through Prefect and a real loopback server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.flows.prefect_api import read_artifacts

pytestmark = [pytest.mark.prefect]


def _expected_titles(sim: Any) -> set[str]:
    return {report.title for seed in sim.seeds for report in seed.expected}


def _table_counts(db_url: str) -> dict[str, int]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            names = [n for n in sa.inspect(conn).get_table_names() if n != "alembic_version"]
            return {n: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names}
    finally:
        engine.dispose()


def test_demo_harvest_loads_every_report_and_a_rerun_adds_nothing(
    prefect_harness: None, demo_sim: Any, demo_portals: list[dict[str, Any]], workdir: dict[str, str]
) -> None:
    from flows.harvest import harvest

    first = harvest(portals=demo_portals, allow_private=True, polite=False, **workdir)
    expected = _expected_titles(demo_sim)
    loaded = {r["title"] for r in first["reports"] if r["status"] == "loaded"}
    assert loaded == expected
    assert first["totals"]["loaded"] == len(expected)
    assert first["totals"]["errors"] == 0, first["errors"]
    # The Yinchuan 2020 report's table 三 does not add up: the run must say so, per column.
    failing = {r["title"]: r["failed_rules"] for r in first["failing_reports"]}
    yinchuan = next(rules for title, rules in failing.items() if "市政管理局" in title)
    assert any(rule.startswith("T3-BAL") for rule in yinchuan)
    assert any(rule.startswith("T3-SUM") for rule in yinchuan)
    before = _table_counts(workdir["db_url"])

    mark = len(demo_sim.requests)
    second = harvest(portals=demo_portals, allow_private=True, polite=False, **workdir)
    assert second["totals"]["loaded"] == 0
    assert second["totals"]["unchanged"] == len(expected)
    # the re-harvest asks conditionally for every report page and the simulator answers 304
    assert [r.status for r in list(demo_sim.requests)[mark:]].count(304) >= len(expected)
    after = _table_counts(workdir["db_url"])
    data_tables = {n for n in before if "run" not in n and "document" not in n and "failure" not in n}
    assert {n: after[n] for n in data_tables} == {n: before[n] for n in data_tables}

    summary_tables = read_artifacts("harvest-summary")
    assert summary_tables, "the per-portal table artifact was not published"
    assert read_artifacts("validation-failures")
    assert read_artifacts("harvest-progress")


def test_backfill_keeps_only_the_requested_years(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str]
) -> None:
    """The backfill deployment (deployments/prefect.yaml) is yearly_harvest with past years."""
    from flows.scheduled import yearly_harvest

    summary = yearly_harvest(
        registry=str(Path(__file__).resolve().parents[2] / "registry" / "demo.csv"),
        years=[2019, 2020],
        allow_private=True,
        polite=False,
        base_url=demo_sim.base_url,
        **workdir,
    )
    years = {r["year"] for r in summary["reports"]}
    assert years
    assert years <= {2019, 2020}
    expected = {r.title for s in demo_sim.seeds for r in s.expected if r.year in (2019, 2020)}
    assert {r["title"] for r in summary["reports"] if r["status"] == "loaded"} == expected


def _missing(sim: Any) -> dict[str, Any]:
    return {"name": "missing", "seed_url": f"{sim.base_url}/no-such-portal/"}


def _portal(sim: Any, name: str) -> dict[str, Any]:
    return {"name": name, "seed_url": sim.seed(name).url}


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _last_flow_run(name: str) -> Any:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[name])),
            sort=FlowRunSort.START_TIME_DESC,
            limit=1,
        )
    return runs[0]


def test_a_harvest_whose_every_portal_failed_ends_failed_and_alerts_once(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str], receiver: Any
) -> None:
    from flows.harvest import harvest
    from gxbg.errors import HarvestFailedError

    dead = {"name": "dead", "seed_url": f"http://127.0.0.1:{_closed_port()}/zfxxgknb/"}
    with pytest.raises(HarvestFailedError) as caught:
        harvest(portals=[_missing(demo_sim), dead], allow_private=True, polite=False, **workdir)
    summary = caught.value.summary
    assert [row["portal"] for row in summary["portals"]] == ["dead", "missing"]
    assert str(caught.value).startswith("2 of 2 portals failed (dead, missing); 2 pages failed: ")
    assert "1 connection refused" in str(caught.value)
    assert "1 HTTP 404" in str(caught.value)
    assert _last_flow_run("harvest").state.is_failed()
    (body,) = receiver.bodies  # one message for the failed run: no task alerts, no threshold alert
    assert body["gxbg"]["event"] == "harvest-failed"
    assert "Failed: 2 of 2 portals failed (dead, missing)" in body["text"]
    assert body["gxbg"]["portals"] == ["dead", "missing"]
    with sa.create_engine(workdir["db_url"]).connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM harvest_runs")).scalar_one() == "failed"


def test_a_failed_backfill_alerts_once_not_per_subflow(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str], receiver: Any, tmp_path: Path
) -> None:
    """The backfill deployment runs yearly_harvest, which calls the harvest flow: one message."""
    from flows.scheduled import yearly_harvest
    from gxbg.errors import HarvestFailedError

    registry = tmp_path / "missing.csv"
    registry.write_text(
        "name,agency,region_code,province,level,seed_url\n"
        "missing,示例县人民政府,120105,天津市,county,{base}/no-such-portal/\n",
        encoding="utf-8",
    )
    with pytest.raises(HarvestFailedError):
        yearly_harvest(registry=str(registry), years=[2019, 2020], allow_private=True, polite=False,
                       base_url=demo_sim.base_url, **workdir)  # fmt: skip
    assert [b["gxbg"]["event"] for b in receiver.bodies] == ["harvest-failed"]
    assert receiver.bodies[0]["gxbg"]["name"] == "yearly-harvest"  # the outermost flow speaks


def test_error_threshold_alerts_the_webhook(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str], receiver: Any
) -> None:
    from flows.harvest import harvest

    # one portal fails, one works: the run completes, over the threshold of 0
    portals = [_missing(demo_sim), _portal(demo_sim, "beijing")]
    summary = harvest(portals=portals, allow_private=True, polite=False, error_threshold=0, **workdir)
    assert summary["totals"]["errors"] >= 1
    events = [b["gxbg"]["event"] for b in receiver.bodies]
    assert events == ["harvest-error-threshold"]  # one message, no per-task alerts
    assert all("text" in b for b in receiver.bodies)  # Slack-compatible body
    (body,) = receiver.bodies
    assert "1 of 2 portals failed (missing)" in body["text"]
    assert "HTTP 404" in body["text"]
    assert "{" not in body["text"]  # words, not a Python dict
    assert body["gxbg"]["portals"] == ["missing"]


def test_a_failed_flow_run_alerts_the_webhook(
    prefect_harness: None, workdir: dict[str, str], receiver: Any
) -> None:
    from prefect.exceptions import ParameterTypeError

    from flows.harvest import harvest

    with pytest.raises(ParameterTypeError, match="name"):  # a portal without a name is no Portal
        harvest(portals=[{"seed_url": "http://127.0.0.1:9/"}], allow_private=True, **workdir)
    assert any(b["gxbg"]["event"] == "flow-failed" for b in receiver.bodies), receiver.bodies


def test_the_webhook_alert_uses_the_threshold_alerts_install_stored(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str], receiver: Any
) -> None:
    from prefect.variables import Variable

    from flows.harvest import harvest
    from tasks.events import THRESHOLD_VARIABLE

    Variable.set(THRESHOLD_VARIABLE, "0", overwrite=True)  # what `gxbg alerts install --threshold 0` stores
    try:
        portals = [_missing(demo_sim), _portal(demo_sim, "beijing")]
        summary = harvest(portals=portals, allow_private=True, polite=False, **workdir)  # no threshold param
    finally:
        Variable.unset(THRESHOLD_VARIABLE)
    assert 1 <= summary["totals"]["errors"] <= 10  # under the environment default: only the Variable alerts
    assert "harvest-error-threshold" in [b["gxbg"]["event"] for b in receiver.bodies]


def test_a_yearly_harvest_with_a_bad_database_fails_once_before_any_shard(
    prefect_harness: None, demo_sim: Any, receiver: Any, tmp_path: Any
) -> None:
    from pathlib import Path

    from flows.scheduled import yearly_harvest
    from gxbg.errors import DatabaseUnusableError

    registry = str(Path(__file__).resolve().parents[2] / "registry" / "demo.csv")
    with pytest.raises(DatabaseUnusableError, match="unsupported database"):
        yearly_harvest(registry=registry, years=[2024], shards=3, db_url="mysql://u@h/gxbg",
                       base_url=demo_sim.base_url, archive_dir=str(tmp_path / "raw"))  # fmt: skip
    (body,) = receiver.bodies  # one message, from the outermost run (was: 7 for a 3-shard harvest)
    assert body["gxbg"]["name"] == "yearly-harvest"
    assert "unsupported database" in body["text"]
