"""Failure reasons name the real cause: a closed port is "connection refused" (not a robots.txt
refusal), an unknown host a DNS failure, and a seed that is no http(s) URL says so (not "no
annual-report column found").  Real loopback sockets, no mocks."""

from __future__ import annotations

import socket

import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.site import crawl_site
from gxbg.kinds import ErrorKind, SiteCrawl
from gxbg.pipeline.verdict import cause
from tests.crawl._fetchkit import FAST, fetch_one, policy, run


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens there once the socket is closed


def _crawl(seed: str, tmp_path: object) -> SiteCrawl:
    async def main() -> SiteCrawl:
        async with Fetcher(policy(retries=0)) as fetcher:
            return await crawl_site(seed, fetcher=fetcher, archive=RawArchive(str(tmp_path)))

    return run(main())


def test_a_closed_port_is_connection_refused_not_robots() -> None:
    result = fetch_one(f"http://127.0.0.1:{_closed_port()}/zfxxgknb/", policy(retries=0))
    assert result.error is ErrorKind.CONNECTION
    assert result.reason is not None
    assert result.reason.startswith("connection refused: ")
    assert "robots.txt unreachable" in result.reason  # where it happened
    assert "disallowed" not in result.reason
    assert cause(f"discover: connection: {result.reason}") == "connection refused"


def test_without_robots_a_closed_port_is_still_named() -> None:
    result = fetch_one(f"http://127.0.0.1:{_closed_port()}/", policy(retries=0, obey_robots=False))
    assert result.error is ErrorKind.CONNECTION
    assert (result.reason or "").startswith("connection refused: ")


def test_an_unknown_host_is_a_dns_failure() -> None:
    result = fetch_one("http://no-such-host.invalid/", FAST)  # .invalid never resolves (RFC 6761)
    assert result.error is ErrorKind.CONNECTION
    assert cause(result.reason or "") == "DNS lookup failed"


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("not-a-url", "is not a URL"),
        ("ftp://www.example.gov.cn/zfxxgknb/", "only http and https are crawled"),
        ("http://user:secret@www.example.gov.cn/", "credentials in a seed URL are refused"),
        ("http:///nohost", "has no host name"),
    ],
)
def test_a_seed_that_cannot_be_crawled_says_why(seed: str, expected: str, tmp_path: object) -> None:
    crawl = _crawl(seed, tmp_path)
    assert crawl.pages_fetched == 0
    (failure,) = crawl.failures
    assert failure.error is ErrorKind.OUT_OF_SCOPE
    assert expected in failure.reason
    assert "no annual-report column" not in failure.reason
    assert "secret" not in failure.reason


def test_a_closed_port_seed_fails_with_the_connection_reason(tmp_path: object) -> None:
    crawl = _crawl(f"http://127.0.0.1:{_closed_port()}/", tmp_path)
    (failure,) = crawl.failures
    assert failure.error is ErrorKind.CONNECTION
    assert failure.reason.startswith("connection refused: ")
