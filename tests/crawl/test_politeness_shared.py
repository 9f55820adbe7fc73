"""Politeness across portals, measured at the server: portals that share a host, names that share an
address, fetchers in different threads — never two requests in flight on one host or address, never
two arrivals closer than the least configured gap.

The servers are the simulated portals on several loopback addresses (:func:`gxbg.sim.hosts.serve_hosts`);
``a.test`` and ``b.test`` are two names for one of them, through the fetcher's resolver and network seams
(nothing is resolved or connected off this machine).
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.politeness import PolitenessGate, politeness_keys
from gxbg.pipeline.concurrent import harvest_portals
from gxbg.pipeline.process import Portal
from gxbg.sim.hosts import loopback_addresses, serve_hosts
from gxbg.store.db import Store
from tests.crawl._fetchkit import FAST, LoopbackNet, SleepRecorder

DELAY, JITTER = 0.1, 0.2
LEAST_GAP = DELAY * (1 - JITTER)  # the shortest gap the jitter may draw
POLITE = replace(FAST, delay=DELAY, jitter=JITTER, timeout=5.0, max_bytes=50_000_000)
NAMES = ("a.test", "b.test")


def test_portals_sharing_hosts_and_addresses_are_crawled_politely(tmp_path: Path) -> None:
    """12 portals on 3 addresses, crawled at once by one harvest: 3 portals on each of two addresses,
    and 3 portals under each of two names that resolve to the third address."""
    *by_ip, shared = loopback_addresses(3, first=20)
    with serve_hosts([*by_ip, shared]) as hosts:
        portals = [Portal(name=s.name, seed_url=s.url) for s in hosts.seeds if s.address != shared]
        for name in NAMES:
            portals += [
                Portal(name=s.name.replace(shared, name), seed_url=s.url.replace(shared, name))
                for s in hosts.seeds
                if s.address == shared
            ]

        async def resolver(host: str) -> list[str]:
            if host in NAMES:
                return [shared]
            raise OSError(f"{host}: not a test name")

        net = LoopbackNet(names=dict.fromkeys(NAMES, shared))
        store = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}")
        store.migrate()
        outcomes = list(
            harvest_portals(
                portals, archive=RawArchive(tmp_path / "raw"), sink=store, run_id=store.start_run("t", {}),
                fetcher=lambda: Fetcher(POLITE, resolver=resolver, network_backend=net),
            )
        )  # fmt: skip

        expected = {s.name: s.expected_reports for s in hosts.seeds}
        assert len(outcomes) == 12
        for outcome in outcomes:
            assert outcome.errors == 0, outcome.failures
            served_as = outcome.portal.replace("a.test", shared).replace("b.test", shared)
            assert outcome.loaded == expected[served_as]
        per_host = hosts.probe.per_host("host")
        assert set(per_host) == {*by_ip, *NAMES}  # both names really reached the shared address
        by_address = hosts.probe.report("ip")
        assert by_address.hosts == 3
        assert by_address.violations(min_gap=LEAST_GAP) == []
        assert hosts.probe.report("host").violations(min_gap=LEAST_GAP) == []


def test_fetchers_in_different_threads_share_the_process_gate() -> None:
    """Two fetchers, each on its own thread and event loop (as Prefect runs two tasks), on one host."""
    [address] = loopback_addresses(1, first=24)
    with serve_hosts([address]) as hosts:
        urls = [s.url for s in hosts.seeds]

        def crawl() -> None:
            async def main() -> None:
                async with Fetcher(POLITE) as fetcher:
                    for _ in range(3):
                        for url in urls:
                            assert (await fetcher.fetch(url)).ok

            asyncio.run(main())

        threads = [threading.Thread(target=crawl) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report = hosts.probe.report("ip")
        assert report.requests == 2 * (3 * len(urls) + 1)  # each fetcher asks robots.txt once
        assert report.violations(min_gap=LEAST_GAP) == []


def test_retry_after_and_crawl_delay_hold_back_every_holder_of_the_gate() -> None:
    clock = SleepRecorder()
    gate = PolitenessGate(clock=clock.clock)
    keys = politeness_keys("www.example.gov.cn", ["203.0.113.7"])
    other = politeness_keys("dept.example.gov.cn", ["203.0.113.7"])  # another name, the same address

    async def main() -> None:
        async with gate.turn(keys, gap=1.0, sleep=clock.sleep):
            pass
        gate.defer(keys, clock.now + 30.0)  # Retry-After: 30
        async with gate.turn(other, gap=1.0, sleep=clock.sleep):
            pass
        gate.set_floor(keys[0], 5.0)  # robots.txt Crawl-delay: 5 on the first name only
        async with gate.turn(keys, gap=1.0, sleep=clock.sleep):
            pass
        async with gate.turn(keys, gap=1.0, sleep=clock.sleep):
            pass

    asyncio.run(main())
    # the other name waits out the Retry-After through the shared address; then the floor applies
    assert clock.waits == pytest.approx([30.0, 5.0, 5.0])


def test_one_slot_per_key_across_event_loops() -> None:
    gate = PolitenessGate()
    keys = politeness_keys("127.0.0.9")
    inside: list[int] = []
    most: list[int] = [0]
    lock = threading.Lock()

    async def visit() -> None:
        for _ in range(20):
            async with gate.turn(keys, gap=0.0):
                with lock:
                    inside.append(1)
                    most[0] = max(most[0], len(inside))
                await asyncio.sleep(0.001)
                with lock:
                    inside.pop()

    def run() -> None:
        asyncio.run(visit())

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
    assert gate.in_flight(keys[0]) == 0


def test_keys_name_the_host_and_its_addresses() -> None:
    assert politeness_keys("Example.GOV.cn", ["10.1.1.1", "fe80::1%eth0"]) == (
        "host:example.gov.cn",
        "ip:10.1.1.1",
        "ip:fe80::1",
    )
    many = [f"10.0.0.{n}" for n in range(10)]
    assert len(politeness_keys("cdn.example", many)) == 1 + 4


def test_one_connection_pool_per_origin_and_idle_pools_are_closed() -> None:
    """The shared client keeps a pool per origin (a request never scans other hosts' connections), and
    closes the pools of finished hosts once there are more than its keep-alive limit."""
    from gxbg.crawl.pinning import OriginPools, PinnedTransport

    addresses = loopback_addresses(6, first=70)
    with serve_hosts(addresses) as hosts:
        urls = [s.url for s in hosts.seeds][:: len(hosts.seeds) // 6]  # one portal on each address

        async def main() -> tuple[int, int]:
            async with Fetcher(replace(FAST, obey_robots=False)) as fetcher:
                transport = fetcher._client._transport  # type: ignore[union-attr]
                assert isinstance(transport, PinnedTransport)
                pools = transport._pool
                assert isinstance(pools, OriginPools)
                pools._max = 4  # a small keep-alive limit, to see the sweep
                for url in urls[:4]:
                    assert (await fetcher.fetch(url)).ok
                before = pools.pools
                for url in urls[4:]:
                    assert (await fetcher.fetch(url)).ok
                return before, pools.pools

        before, after = asyncio.run(main())
    assert before == 4  # one per origin
    assert after < 6  # the idle pools of the first hosts were closed to make room
