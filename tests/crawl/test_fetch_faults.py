"""The fault matrix through a real loopback server: every reachable page lands, every failure
carries the right ErrorKind and a reason, and retries are counted on the server side."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from gxbg.crawl.fetch import Fetcher
from gxbg.kinds import ErrorKind, FetchResult
from gxbg.sim.faults import CHARSET_TITLE, CHARSET_VARIANTS, FaultServer, serve_faults
from tests.crawl._fetchkit import FAST, fetch_all, fetch_one, policy


@pytest.fixture(scope="module")
def srv() -> Iterator[FaultServer]:
    with serve_faults(robots="allow") as server:
        yield server


# (path, expected error, expected status, requests the server must see)
MATRIX = [
    ("/fault/ok", None, 200, 1),
    ("/fault/burst/2/m1", None, 200, 3),  # two 500s, then the page: retried
    ("/fault/burst/9/m2", ErrorKind.HTTP_5XX, 500, 3),  # 1 + retries=2, then give up
    ("/fault/status/503/1/m3", None, 200, 2),
    ("/fault/status/408/1/m4", None, 200, 2),
    ("/fault/status/502/5/m5", ErrorKind.HTTP_5XX, 502, 3),
    ("/fault/retry-after/1/m6", None, 200, 2),
    ("/fault/retry-after-date/1/m7", None, 200, 2),
    ("/fault/slow/1.5", ErrorKind.TIMEOUT, None, 3),
    ("/fault/slow-body/1.5", ErrorKind.TIMEOUT, 200, 3),
    ("/fault/reset", ErrorKind.CONNECTION, None, 3),
    ("/fault/truncated", ErrorKind.TRUNCATED, 200, 3),
    ("/fault/redirect-loop/a", ErrorKind.TOO_MANY_REDIRECTS, 302, 1),
    ("/fault/large/200000", ErrorKind.TOO_LARGE, 200, 1),
    ("/fault/large-stream/200000", ErrorKind.TOO_LARGE, 200, 1),
    ("/fault/missing", ErrorKind.HTTP_4XX, 404, 1),  # 404 is final: no retry
    ("/fault/challenge/rs412", ErrorKind.BLOCKED, 412, 1),
    ("/fault/challenge/rs202", ErrorKind.BLOCKED, 202, 1),
    ("/fault/challenge/jsl521", ErrorKind.BLOCKED, 521, 1),  # a 5xx challenge is never retried
    ("/fault/challenge/acw200", ErrorKind.BLOCKED, 200, 1),
    ("/fault/challenge/soft200", ErrorKind.BLOCKED, 200, 1),
    ("/fault/challenge/denied403", ErrorKind.BLOCKED, 403, 1),
    ("/fault/stub/illegal", ErrorKind.STUB, 200, 1),
    ("/fault/stub/index_9.html", ErrorKind.STUB, 200, 1),
    ("/fault/stub/empty", ErrorKind.STUB, 200, 1),
    ("/fault/gzip", None, 200, 1),
    ("/fault/binary/report.pdf", None, 200, 1),
]


@pytest.mark.parametrize(("path", "error", "status", "requests"), MATRIX, ids=[m[0][7:] for m in MATRIX])
def test_fault_matrix(
    srv: FaultServer, path: str, error: ErrorKind | None, status: int | None, requests: int
) -> None:
    result = fetch_one(srv.url(path))
    assert result.error is error, result.reason
    assert result.status == status
    assert srv.state.count(path) == requests  # retries observed server-side
    assert result.attempts == requests
    if error is None:
        assert result.ok
        assert result.reason is None
        assert result.sha256 is not None
    else:
        assert not result.ok
        assert result.reason


def test_reachable_page_lands_with_body_and_provenance(srv: FaultServer) -> None:
    result = fetch_one(srv.url("/fault/page/detail-1"))
    assert result.ok
    assert result.final_url == result.url
    assert "page detail-1" in (result.text or "")
    assert result.encoding == "utf-8"
    assert result.headers["content-type"].startswith("text/html")
    assert result.fetched_at.endswith("Z")
    assert result.decode_replacements == 0


def test_gzip_without_accept_encoding_is_decoded(srv: FaultServer) -> None:
    result = fetch_one(srv.url("/fault/gzip"))
    assert "gzip body" in (result.text or "")
    assert result.body.startswith(b"<!DOCTYPE html>")  # entity bytes, not the gzip stream


def test_binary_attachment_has_no_text(srv: FaultServer) -> None:
    result = fetch_one(srv.url("/fault/binary/report.pdf"))
    assert result.text is None
    assert result.encoding is None
    assert result.body.startswith(b"%PDF")


@pytest.mark.parametrize("variant", sorted(CHARSET_VARIANTS))
def test_charset_variants_decode_to_the_same_text(srv: FaultServer, variant: str) -> None:
    result = fetch_one(srv.url(f"/fault/charset/{variant}"))
    assert result.ok, result.reason
    assert CHARSET_TITLE in (result.text or "")  # includes the GBK-only 镕
    assert result.decode_replacements == 0
    expected = "utf-8" if CHARSET_VARIANTS[variant][2] == "utf-8" else "gb18030"
    assert result.encoding == expected


def test_redirect_chain_is_recorded(srv: FaultServer) -> None:
    result = fetch_one(srv.url("/fault/redirect-chain/3"))
    assert result.ok
    assert result.final_url == srv.url("/fault/redirect-chain/0")
    assert result.redirects == tuple(srv.url(f"/fault/redirect-chain/{n}") for n in (3, 2, 1))


def test_redirect_cap(srv: FaultServer) -> None:
    result = fetch_one(srv.url("/fault/redirect-chain/6"), policy(max_redirects=3))
    assert result.error is ErrorKind.TOO_MANY_REDIRECTS
    assert "more than 3" in (result.reason or "")
    assert srv.state.count("", prefix="/fault/redirect-chain/") >= 4


def test_redirect_loop_reason(srv: FaultServer) -> None:
    result = fetch_one(srv.url("/fault/redirect-loop/b"))
    assert result.error is ErrorKind.TOO_MANY_REDIRECTS
    assert "loop" in (result.reason or "")
    assert len(result.redirects) == 2


def test_cookie_redirect_to_self_is_followed_once(srv: FaultServer) -> None:
    result = fetch_one(srv.url("/fault/redirect-self"))
    assert result.ok
    assert "behind the cookie gate" in (result.text or "")
    assert srv.state.count("/fault/redirect-self") == 2


def test_moved_to_root(srv: FaultServer) -> None:
    result = fetch_one(srv.url("/fault/moved"))
    assert result.ok
    assert result.final_url == srv.url("/")
    assert result.redirects == (srv.url("/fault/moved"),)


def test_conditional_get_gives_not_modified(srv: FaultServer) -> None:
    first = fetch_one(srv.url("/fault/etag"))
    etag, modified = first.headers["etag"], first.headers["last-modified"]

    async def again() -> list[FetchResult]:
        async with Fetcher(FAST) as f:
            return [
                await f.fetch(srv.url("/fault/etag"), validators=(etag, None)),
                await f.fetch(srv.url("/fault/etag"), validators=(None, modified)),
                await f.fetch(srv.url("/fault/etag"), validators=('"stale"', None)),
            ]

    by_etag, by_date, stale = asyncio.run(again())
    for result in (by_etag, by_date):
        assert result.status == 304
        assert result.not_modified
        assert result.ok
        assert result.body == b""
        assert result.error is None
    assert stale.status == 200
    assert not stale.not_modified


def test_post_form_reaches_the_server(srv: FaultServer) -> None:
    async def main() -> FetchResult:
        async with Fetcher(FAST) as f:
            return await f.fetch(srv.url("/fault/echo"), method="POST", data={"col": "1", "page": "2"})

    result = asyncio.run(main())
    assert result.ok
    assert "POST col=1, page=2" in (result.text or "")


def test_several_urls_one_fetcher_all_land(srv: FaultServer) -> None:
    urls = [srv.url(f"/fault/page/many-{n}") for n in range(5)]
    results = fetch_all(urls)
    assert [r.ok for r in results] == [True] * 5
