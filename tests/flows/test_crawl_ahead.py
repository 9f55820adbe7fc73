"""A crawl started ahead of the harvest flow (``gxbg harvest`` crawls while Prefect starts) is taken over
by the flow's shard task: every page fetched once, every report loaded; one nobody takes is stopped."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gxbg.pipeline.process import Portal
from gxbg.sim.hosts import loopback_addresses, serve_hosts

pytestmark = [pytest.mark.prefect]


def test_the_flow_takes_over_the_crawl_started_ahead(prefect_harness: None, tmp_path: Path) -> None:
    from flows.harvest import harvest
    from gxbg.pipeline import concurrent
    from tasks.ahead import start_crawl_ahead

    workdir = {"db_url": f"sqlite:///{tmp_path / 'gxbg.sqlite'}", "archive_dir": str(tmp_path / "raw")}
    with serve_hosts(loopback_addresses(2, first=44)) as hosts:
        portals = [Portal.from_dict(p) for p in hosts.portals()]  # what the CLI passes
        start_crawl_ahead(portals, allow_private=True, polite=False, **workdir)
        assert len(concurrent._ahead) == 1
        summary: dict[str, Any] = harvest(portals=portals, allow_private=True, polite=False, **workdir)
        fetched = Counter((r.host, r.path) for r in list(hosts.requests) if r.method == "GET")
    assert concurrent._ahead == {}  # taken
    assert {row["portal"]: row["loaded"] for row in summary["portals"]} == {
        s.name: s.expected_reports for s in hosts.seeds
    }
    assert summary["totals"]["errors"] == 0, summary["errors"]
    assert fetched
    assert max(fetched.values()) == 1  # one crawl, not the ahead one and the task's own


def test_a_crawl_ahead_nobody_takes_is_stopped(tmp_path: Path) -> None:
    from gxbg.pipeline import concurrent
    from tasks.ahead import discard_crawl_ahead, start_crawl_ahead

    with serve_hosts(loopback_addresses(1, first=47)) as hosts:
        start_crawl_ahead(
            [Portal.from_dict(p) for p in hosts.portals()],
            allow_private=True,
            db_url=f"sqlite:///{tmp_path / 'g.sqlite'}",
            archive_dir=str(tmp_path / "raw"),
        )  # fmt: skip  (polite: still crawling when discarded)
        [crawl] = concurrent._ahead.values()
        assert discard_crawl_ahead() == 1
        assert not crawl._thread.is_alive()
    assert concurrent._ahead == {}
