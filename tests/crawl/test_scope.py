"""The SSRF guard and scope: refused URLs send zero requests (asserted on the server side)."""

from __future__ import annotations

import asyncio
import ipaddress

import httpx
import pytest

from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.scope import address_refusal, check_scope, host_allowed, is_fetchable_url, url_refusal
from gxbg.crawl.urls import seed_problem
from gxbg.kinds import ErrorKind, FetchResult
from gxbg.sim.faults import serve_faults
from tests.crawl._fetchkit import LoopbackNet, policy

PUBLIC = "93.184.216.34"


async def public_resolver(host: str) -> list[str]:
    """Pretends every name is a public host (the connection itself still goes to loopback)."""
    return [PUBLIC]


async def failing_resolver(host: str) -> list[str]:
    raise OSError(f"no such host {host}")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://www.gov.cn/zhengce/", True),
        ("https://example.gov.cn:8443/a?b=1#c", True),
        ("HTTP://WWW.GOV.CN/", True),
        ("file:///etc/passwd", False),
        ("javascript:void(0)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html;base64,PGgxPg==", False),
        ("mailto:xxgk@gov.cn", False),
        ("ftp://gov.cn/a", False),
        ("//gov.cn/a", False),
        ("/zwgk/index.html", False),
        ("http://", False),
        ("http://user:pass@gov.cn/", False),
        ("http://gov.cn:99999/", False),
        ("http://gov.cn/a b", False),
    ],
)
def test_is_fetchable_url(url: str, ok: bool) -> None:
    assert is_fetchable_url(url) is ok


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "::1", "::",
     "fe80::1", "fc00::1", "224.0.0.1", "240.0.0.1", "100.64.0.1", "::ffff:127.0.0.1"],
)  # fmt: skip
def test_address_refusal_covers_non_public_ranges(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", [PUBLIC, "202.96.134.133", "2400:3200::1"])
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) is None


def test_allowlist_matches_host_and_subdomains_only() -> None:
    assert host_allowed("beijing.gov.cn", {"beijing.gov.cn"})
    assert host_allowed("WWW.Beijing.gov.cn.", {"beijing.gov.cn"})
    assert not host_allowed("beijing.gov.cn.evil.com", {"beijing.gov.cn"})


def test_check_scope_resolves_names_and_refuses_private_answers() -> None:
    async def to_metadata(host: str) -> list[str]:
        return ["169.254.169.254"]

    decision = asyncio.run(check_scope("http://innocent.example/", allow_private=False, resolver=to_metadata))
    assert not decision.allowed
    assert "169.254.169.254" in (decision.reason or "")

    # one private address among several is enough to refuse
    async def mixed(host: str) -> list[str]:
        return [PUBLIC, "10.0.0.5"]

    assert not asyncio.run(check_scope("http://a.example/", allow_private=False, resolver=mixed)).allowed
    assert asyncio.run(
        check_scope("http://a.example/", allow_private=False, resolver=public_resolver)
    ).allowed


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "0.0.0.0", "2130706433", "localhost"]
)
def test_guard_refuses_private_targets_with_zero_requests(host: str) -> None:
    with serve_faults() as srv:
        port = srv.base_url.rsplit(":", 1)[1]
        url = f"http://{host}:{port}/fault/ok"

        async def main() -> tuple[FetchResult, int]:
            async with Fetcher(policy(allow_private=False, timeout=0.5)) as fetcher:
                return await fetcher.fetch(url), fetcher.requests_sent

        result, sent = asyncio.run(main())
        assert result.error is ErrorKind.OUT_OF_SCOPE, result.reason
        assert "SSRF guard" in (result.reason or "")
        assert result.status is None
        assert sent == 0
        assert srv.state.log == []  # nothing reached the server, not even robots.txt


def test_redirect_to_private_address_is_refused_after_the_hop() -> None:
    with serve_faults() as srv:
        port = srv.base_url.rsplit(":", 1)[1]
        target = f"http://127.0.0.1:{port}/fault/ok"
        # "localhost" passes the guard through the fake public resolver and is pinned to PUBLIC, which
        # the pretend network routes to the fault server; the redirect target is a loopback literal
        start = f"http://localhost:{port}/fault/redirect-to?url={target}"
        pol = policy(allow_private=False, obey_robots=False)
        net = LoopbackNet(routes={PUBLIC: int(port)})

        async def main() -> FetchResult:
            async with Fetcher(pol, resolver=public_resolver, network_backend=net) as fetcher:
                return await fetcher.fetch(start)

        result = asyncio.run(main())
        assert result.error is ErrorKind.OUT_OF_SCOPE
        assert "127.0.0.1" in (result.reason or "")
        assert result.redirects == (start,)
        assert result.final_url == target
        assert srv.state.count("/fault/redirect-to") == 1
        assert srv.state.count("/fault/ok") == 0  # the hostile hop never reached the server
        assert net.attempts == [(PUBLIC, int(port))]  # the first hop went to the checked address


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://[::1]/",
        "file:///etc/passwd",
    ],
)
def test_redirects_are_checked_on_every_hop_mock_transport(location: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": location})

    async def main() -> FetchResult:
        pol = policy(allow_private=False, obey_robots=False)
        async with Fetcher(pol, transport=httpx.MockTransport(handler), resolver=public_resolver) as fetcher:
            return await fetcher.fetch("http://portal.example/col/index.html")

    result = asyncio.run(main())
    assert result.error is ErrorKind.OUT_OF_SCOPE
    assert seen == ["http://portal.example/col/index.html"]


def test_allowlist_refuses_other_hosts_with_zero_requests() -> None:
    with serve_faults() as srv:
        pol = policy(allowed_hosts=frozenset({"gov.cn"}))

        async def main() -> FetchResult:
            async with Fetcher(pol) as fetcher:
                return await fetcher.fetch(srv.url("/fault/ok"))

        result = asyncio.run(main())
        assert result.error is ErrorKind.OUT_OF_SCOPE
        assert "allowlist" in (result.reason or "")
        assert srv.state.log == []
        allowed = policy(allowed_hosts=frozenset({"127.0.0.1"}))

        async def again() -> FetchResult:
            async with Fetcher(allowed) as fetcher:
                return await fetcher.fetch(srv.url("/fault/ok"))

        assert asyncio.run(again()).ok


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,x", "mailto:a@b.cn"]
)
def test_non_http_schemes_are_out_of_scope(url: str) -> None:
    async def main() -> tuple[FetchResult, int]:
        async with Fetcher(policy()) as fetcher:
            return await fetcher.fetch(url), fetcher.requests_sent

    result, sent = asyncio.run(main())
    assert result.error is ErrorKind.OUT_OF_SCOPE
    assert sent == 0


def test_dns_failure_is_a_connection_error_not_a_crash() -> None:
    async def main() -> FetchResult:
        async with Fetcher(policy(allow_private=False), resolver=failing_resolver) as fetcher:
            return await fetcher.fetch("http://no-such-host.example/")

    result = asyncio.run(main())
    assert result.error is ErrorKind.CONNECTION
    assert "cannot resolve" in (result.reason or "")


@pytest.mark.parametrize("location", ["http://[not-an-ip/", "http://exa mple.gov.cn/", "javascript:alert(1)"])
def test_malformed_or_hostile_location_is_refused_not_raised(location: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": location})

    async def main() -> FetchResult:
        pol = policy(obey_robots=False)
        async with Fetcher(pol, transport=httpx.MockTransport(handler)) as fetcher:
            return await fetcher.fetch("http://portal.example/a")

    result = asyncio.run(main())
    assert result.error is ErrorKind.OUT_OF_SCOPE
    assert result.reason
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        pytest.param("not-a-url", "is not a URL: give http(s)://host/", id="not-a-url"),
        pytest.param("http://www.example.gov.cn:99999/", "is not a URL: Port out of range", id="bad-port"),
        pytest.param("ftp://www.example.gov.cn/", "only http and https are crawled", id="scheme"),
        pytest.param("http:///zfxxgk/", "has no host name", id="no-host"),
        pytest.param(
            "https://u:secret@www.example.gov.cn/",
            "https://…@www.example.gov.cn…: credentials in a seed URL are refused", id="credentials",
        ),
        pytest.param("http://0177.0.0.1/", "non-canonical IPv4 address '0177.0.0.1'", id="octal-ipv4"),
        pytest.param("http://2130706433/", "non-canonical IPv4 address '2130706433'", id="integer-ipv4"),
        pytest.param("http://exa%20mple.gov.cn/", "not an http(s) URL with a host", id="bad-host"),
    ],
)  # fmt: skip
def test_seed_problem_names_each_rule_and_never_echoes_credentials(seed: str, expected: str) -> None:
    problem = seed_problem(seed)
    assert problem is not None
    assert expected in problem
    assert "secret" not in problem


@pytest.mark.parametrize("seed", ["https://www.example.gov.cn/", "http://127.0.0.1:8000/", "http://[::1]/"])
def test_a_usable_seed_has_no_problem(seed: str) -> None:
    assert seed_problem(seed) is None  # private addresses are the fetcher's to refuse (--allow-private)


def test_url_refusal_words_credentials_for_any_url_without_naming_a_seed() -> None:
    refusal = url_refusal("http://u:secret@www.example.gov.cn/a.html")
    assert refusal is not None
    assert "credentials" in refusal
    assert "seed" not in refusal
    assert "secret" not in refusal
