"""Ctrl-C's in-process stop, through the harvest's own path: crawls in flight are cancelled, the portals
left out are listed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.concurrent import harvest_portals
from gxbg.pipeline.process import Portal, SiteOutcome
from gxbg.sim.hosts import Hosts, loopback_addresses, serve_hosts
from gxbg.store.db import Store
from tasks import stop


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    stop.reset()
    yield
    stop.reset()


def _harvest(tmp_path: Path, hosts: Hosts, policy: FetchPolicy) -> list[SiteOutcome]:
    """What ``harvest_shard_task`` runs, with the stop switch the CLI's Ctrl-C handler flips."""
    store = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}")
    store.migrate()
    return list(
        harvest_portals(
            [Portal(name=s.name, seed_url=s.url) for s in hosts.seeds],
            archive=RawArchive(tmp_path / "raw"), sink=store,
            run_id=store.start_run("t", {}), policy=policy,
            stop=stop.stop_requested, on_interrupted=stop.mark_interrupted,
        )
    )  # fmt: skip


@pytest.mark.timeout(60)  # broken, it would wait an hour between two requests
def test_crawls_in_flight_are_cancelled_when_stop_is_requested(tmp_path: Path) -> None:
    slow = FetchPolicy(allow_private=True, delay=3600.0, jitter=0.0, timeout=10.0)  # a Crawl-delay, …
    with serve_hosts(loopback_addresses(2, first=76)) as hosts:
        timer = threading.Timer(0.5, stop.request_stop)  # as the Ctrl-C handler does
        timer.start()
        try:
            outcomes = _harvest(tmp_path, hosts, slow)
        finally:
            timer.cancel()
        names = sorted(s.name for s in hosts.seeds)
    assert outcomes == []  # no crawl finished: nothing processed
    assert stop.interrupted_portals() == names


@pytest.mark.timeout(60)
def test_a_harvest_asked_to_stop_before_it_starts_loads_nothing(tmp_path: Path) -> None:
    fast = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0, timeout=10.0)
    stop.request_stop()
    with serve_hosts(loopback_addresses(2, first=78)) as hosts:
        outcomes = _harvest(tmp_path, hosts, fast)
        names = sorted(s.name for s in hosts.seeds)
    assert [o.loaded for o in outcomes] == []
    assert stop.interrupted_portals() == names


def test_without_a_stop_every_portal_is_harvested(tmp_path: Path) -> None:
    fast = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0, timeout=10.0)
    with serve_hosts(loopback_addresses(1, first=80)) as hosts:
        outcomes = _harvest(tmp_path, hosts, fast)
        expected = {s.name: s.expected_reports for s in hosts.seeds}
    assert {o.portal: o.loaded for o in outcomes} == expected
    assert stop.interrupted_portals() == []
    assert not stop.stop_requested()


def test_interrupted_portals_are_listed_once_and_reset() -> None:
    stop.mark_interrupted("b")
    stop.mark_interrupted("a")
    stop.mark_interrupted("b")
    assert stop.interrupted_portals() == ["a", "b"]
    stop.reset()
    assert stop.interrupted_portals() == []
