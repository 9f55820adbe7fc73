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


def test_error_threshold_alerts_the_webhook(
    prefect_harness: None, demo_sim: Any, workdir: dict[str, str], receiver: Any
) -> None:
    from flows.harvest import harvest

    broken = [{"name": "missing", "seed_url": f"{demo_sim.base_url}/no-such-portal/"}]
    summary = harvest(portals=broken, allow_private=True, polite=False, error_threshold=0, **workdir)
    assert summary["totals"]["errors"] >= 1
    events = [b["gxbg"]["event"] for b in receiver.bodies]
    assert "harvest-error-threshold" in events
    assert all("text" in b for b in receiver.bodies)  # Slack-compatible body


def test_a_failed_flow_run_alerts_the_webhook(
    prefect_harness: None, workdir: dict[str, str], receiver: Any
) -> None:
    from flows.harvest import harvest

    with pytest.raises(KeyError):
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
        broken = [{"name": "missing", "seed_url": f"{demo_sim.base_url}/no-such-portal/"}]
        summary = harvest(portals=broken, allow_private=True, polite=False, **workdir)  # no threshold param
    finally:
        Variable.unset(THRESHOLD_VARIABLE)
    assert 1 <= summary["totals"]["errors"] <= 10  # under the environment default: only the Variable alerts
    assert "harvest-error-threshold" in [b["gxbg"]["event"] for b in receiver.bodies]
