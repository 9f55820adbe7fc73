"""Politeness, server side: per-host concurrency, delays, robots.txt, Retry-After, User-Agent."""

from __future__ import annotations

import asyncio

import pytest

from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.policy import DEFAULT_USER_AGENT, FetchPolicy
from gxbg.kinds import ErrorKind, FetchResult
from gxbg.sim.faults import serve_faults
from tests.crawl._fetchkit import FAST, SleepRecorder, fetch_all, fetch_one, policy


def gather(urls: list[str], pol: FetchPolicy, **kw: object) -> list[FetchResult]:
    async def main() -> list[FetchResult]:
        async with Fetcher(pol, **kw) as fetcher:  # type: ignore[arg-type]
            return list(await asyncio.gather(*(fetcher.fetch(u) for u in urls)))

    return asyncio.run(main())


def test_per_host_concurrency_one_is_observed_server_side() -> None:
    with serve_faults() as srv:
        urls = [srv.url(f"/fault/page/c{n}?delay=0.03") for n in range(6)]
        results = gather(urls, FAST)
        assert all(r.ok for r in results)
        assert srv.state.max_in_flight == 1
        assert srv.state.count("", prefix="/fault/page/") == 6


def test_per_host_concurrency_is_a_cap_not_a_serialisation() -> None:
    with serve_faults() as srv:
        urls = [srv.url(f"/fault/page/c{n}?delay=0.2") for n in range(6)]
        # a timeout well above the delay: on a loaded machine FAST's 0.5 s timed a request out, and its
        # retry started while the server still served the first (4 in flight, seen under load average 5)
        results = gather(urls, policy(per_host_concurrency=3, timeout=10.0))
        assert all(r.ok for r in results)
        assert srv.state.count("", prefix="/fault/page/") == 6  # no retries
        assert 2 <= srv.state.max_in_flight <= 3


def test_delay_is_applied_between_requests_on_a_host() -> None:
    sleeps = SleepRecorder()
    with serve_faults() as srv:
        fetch_all([srv.url(f"/fault/page/d{n}") for n in range(3)], policy(delay=0.25), **sleeps.seams())
    # robots.txt + 3 pages = 4 request starts; every start after the first waits the delay
    assert sleeps.waits == pytest.approx([0.25, 0.25, 0.25])


def test_jitter_varies_the_delay_within_bounds() -> None:
    sleeps = SleepRecorder()
    with serve_faults() as srv:
        fetch_all(
            [srv.url(f"/fault/page/j{n}") for n in range(8)], policy(delay=1.0, jitter=0.5), **sleeps.seams()
        )
    assert len(sleeps.waits) == 8
    assert all(0.5 <= w <= 1.5 for w in sleeps.waits)
    assert len({round(w, 6) for w in sleeps.waits}) > 1


def test_robots_disallow_all_sends_nothing_but_robots_txt() -> None:
    with serve_faults(robots="disallow-all") as srv:
        results = fetch_all([srv.url("/fault/ok"), srv.url("/fault/page/x")])
        assert [r.error for r in results] == [ErrorKind.ROBOTS, ErrorKind.ROBOTS]
        assert all("robots.txt" in (r.reason or "") for r in results)
        assert srv.state.log == ["/robots.txt"]  # fetched once per host per run, nothing else


def test_robots_rules_by_path_and_cache() -> None:
    with serve_faults(robots="allow") as srv:
        ok, private = fetch_all([srv.url("/fault/ok"), srv.url("/fault/private/a")])
        assert ok.ok
        assert private.error is ErrorKind.ROBOTS
        assert srv.state.count("/robots.txt") == 1
        assert srv.state.count("/fault/private/a") == 0


def test_robots_group_for_our_user_agent_applies() -> None:
    with serve_faults(robots="gxbg-disallowed") as srv:
        result = fetch_one(srv.url("/fault/ok"))
        assert result.error is ErrorKind.ROBOTS
        assert srv.state.count("/fault/ok") == 0
        other = fetch_one(srv.url("/fault/ok"), policy(user_agent="otherbot/1.0"))
        assert other.ok


@pytest.mark.parametrize(("mode", "allowed"), [("404", True), ("500", False)])
def test_robots_status_handling(mode: str, allowed: bool) -> None:
    with serve_faults(robots=mode) as srv:
        result = fetch_one(srv.url("/fault/ok"))
        assert result.ok is allowed
        if not allowed:
            assert result.error is ErrorKind.ROBOTS
            assert "500" in (result.reason or "")
            assert srv.state.count("/fault/ok") == 0


def test_robots_can_be_ignored_by_policy() -> None:
    with serve_faults(robots="disallow-all") as srv:
        assert fetch_one(srv.url("/fault/ok"), policy(obey_robots=False)).ok
        assert srv.state.count("/robots.txt") == 0


def test_crawl_delay_is_a_floor_on_the_delay() -> None:
    sleeps = SleepRecorder()
    with serve_faults(robots="crawl-delay") as srv:
        fetch_all(
            [srv.url(f"/fault/page/cd{n}") for n in range(3)],
            policy(delay=0.0, max_retry_after=1.0),
            **sleeps.seams(),
        )
    # the robots.txt fetch starts at once; each of the 3 pages then waits Crawl-delay 0.2
    assert sleeps.waits == pytest.approx([0.2, 0.2, 0.2])


def test_retry_after_is_honoured_and_capped() -> None:
    sleeps = SleepRecorder()
    with serve_faults() as srv:
        result = fetch_one(srv.url("/fault/retry-after/1/ra"), policy(max_retry_after=0.6), **sleeps.seams())
        assert result.ok
        assert srv.state.count("/fault/retry-after/1/ra") == 2
    assert sleeps.waits == pytest.approx([0.6])  # Retry-After 1 s, capped at 0.6


def test_retry_after_seconds_below_the_cap_are_waited_in_full() -> None:
    sleeps = SleepRecorder()
    with serve_faults() as srv:
        result = fetch_one(srv.url("/fault/retry-after/2/rf"), policy(max_retry_after=60.0), **sleeps.seams())
        assert result.ok
        assert result.attempts == 2
    assert sleeps.waits == pytest.approx([2.0])  # not the 0.01 s backoff


def test_retry_after_http_date_is_honoured() -> None:
    sleeps = SleepRecorder()
    with serve_faults() as srv:
        result = fetch_one(
            srv.url("/fault/retry-after-date/30/rd"), policy(max_retry_after=5.0), **sleeps.seams()
        )
        assert result.ok
    assert sleeps.waits == pytest.approx([5.0])  # an HTTP-date ~30 s ahead, capped at 5


def test_backoff_grows_between_retries() -> None:
    sleeps = SleepRecorder()
    with serve_faults() as srv:
        pol = policy(retries=3, backoff=0.1, max_retry_after=60.0)
        result = fetch_one(srv.url("/fault/burst/9/bo"), pol, **sleeps.seams())
        assert result.error is ErrorKind.HTTP_5XX
        assert srv.state.count("/fault/burst/9/bo") == 4
    assert sleeps.waits == pytest.approx([0.1, 0.2, 0.4])  # exponential, jitter 0 in FAST


def test_user_agent_is_descriptive_with_contact() -> None:
    with serve_faults() as srv:
        fetch_one(srv.url("/fault/ok"))
        assert srv.state.user_agents == {DEFAULT_USER_AGENT}
    assert DEFAULT_USER_AGENT.startswith("gxbg/")
    assert "@" in DEFAULT_USER_AGENT


def test_policy_defaults_match_the_architecture() -> None:
    p = FetchPolicy()
    assert (p.per_host_concurrency, p.delay, p.jitter, p.obey_robots, p.max_redirects) == (
        1,
        1.0,
        0.5,
        True,
        10,
    )
    assert (p.max_bytes, p.timeout, p.retries, p.backoff, p.allow_private) == (
        50_000_000,
        30.0,
        3,
        0.5,
        False,
    )
    assert p.allowed_hosts == frozenset()
    with pytest.raises(ValueError, match="per_host_concurrency"):
        FetchPolicy(per_host_concurrency=0)
