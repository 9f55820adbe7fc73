"""harvest_portals: many portals crawled at once, processed on the calling thread or in a process pool."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.concurrent import default_workers, harvest_portals
from gxbg.pipeline.process import Portal
from gxbg.sim.hosts import Hosts, loopback_addresses, serve_hosts
from gxbg.store.db import Store

FAST = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0, timeout=10.0)


def _portals(hosts: Hosts) -> list[Portal]:
    return [Portal(name=s.name, seed_url=s.url) for s in hosts.seeds]


def _reports(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT COUNT(*) FROM reports")).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.parametrize("workers", [0, 1], ids=["calling-thread", "process-pool"])
def test_every_portal_is_processed_once_and_a_rerun_is_unchanged(tmp_path: Path, workers: int) -> None:
    url = f"sqlite:///{tmp_path / 'gxbg.sqlite'}"
    store = Store(url)
    store.migrate()
    archive = RawArchive(tmp_path / "raw")
    with serve_hosts(loopback_addresses(2, first=60)) as hosts:
        expected = {s.name: s.expected_reports for s in hosts.seeds}
        for rerun in (False, True) if workers == 0 else (False,):  # a pool costs seconds of imports to start
            outcomes = list(
                harvest_portals(
                    _portals(hosts), archive=archive, sink=store, run_id=store.start_run("t", {}),
                    policy=FAST, known_pages=store.known_pages, store_url=url, workers=workers,
                )
            )  # fmt: skip
            assert sorted(o.portal for o in outcomes) == sorted(expected)
            for outcome in outcomes:
                assert outcome.errors == 0, outcome.failures
                assert (outcome.unchanged if rerun else outcome.loaded) == expected[outcome.portal]
        assert hosts.probe.report("ip").max_in_flight == 1
    assert _reports(url) == sum(expected.values())


def test_a_portal_whose_crawl_raises_is_one_error_and_the_others_go_on(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}")
    store.migrate()
    with serve_hosts(loopback_addresses(1, first=62)) as hosts:
        broken = Portal(name="broken", seed_url=42)  # type: ignore[arg-type]  # not a URL: crawl_site raises
        portals = [*_portals(hosts), broken]
        outcomes = list(
            harvest_portals(
                portals, archive=RawArchive(tmp_path / "raw"), sink=store, run_id=store.start_run("t", {}),
                policy=FAST,
            )
        )  # fmt: skip
    by_portal = {o.portal: o for o in outcomes}
    assert by_portal["broken"].errors == 1
    assert by_portal["broken"].failures[0]["stage"] == "crawl"
    assert all(by_portal[s.name].loaded == s.expected_reports for s in hosts.seeds)


def test_default_workers() -> None:
    assert default_workers(3) == 0
