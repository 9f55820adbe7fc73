"""crawl_site against the running simulator: demo seeds yield exactly the expected reports; scope holds."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.policy import FetchPolicy
from gxbg.crawl.site import crawl_site
from gxbg.kinds import ErrorKind, ItemKind, SiteCrawl
from gxbg.sim import Simulator, serve

POLICY = FetchPolicy(delay=0, jitter=0, allow_private=True, obey_robots=False, retries=0)


def _crawl_all(sim: Simulator, root: Path) -> dict[str, SiteCrawl]:
    async def run() -> dict[str, SiteCrawl]:
        async with Fetcher(POLICY) as fetcher:
            return {
                s.name: await crawl_site(s.url, fetcher=fetcher, archive=RawArchive(root)) for s in sim.seeds
            }

    return asyncio.run(run())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Simulator, dict[str, SiteCrawl], Path]]:
    root = tmp_path_factory.mktemp("archive")
    with serve(profile="demo") as sim:
        yield sim, _crawl_all(sim, root), root


def test_demo_finds_exactly_the_eight_cases(demo: tuple[Simulator, dict[str, SiteCrawl], Path]) -> None:
    sim, crawls, _ = demo
    found = {(r.item.title, r.item.year, r.item.agency) for c in crawls.values() for r in c.reports}
    expected = {(e.title, e.year, e.agency) for s in sim.seeds for e in s.expected}
    assert found == expected
    assert len({e.case_id for s in sim.seeds for e in s.expected}) == 8
    assert all(r.kind is ItemKind.REPORT_HTML for c in crawls.values() for r in c.reports)


@pytest.mark.parametrize("name", ["trs-gbk", "hanweb", "beijing"])
def test_each_demo_portal_fully_discovered(
    demo: tuple[Simulator, dict[str, SiteCrawl], Path], name: str
) -> None:
    sim, crawls, _ = demo
    crawl = crawls[name]
    assert sorted(r.item.title for r in crawl.reports) == sorted(e.title for e in sim.seed(name).expected)
    assert crawl.failures == ()
    assert crawl.non_reports_skipped >= 1  # the 通知/解读 items were seen and left out


def test_reports_are_archived_by_sha256(demo: tuple[Simulator, dict[str, SiteCrawl], Path]) -> None:
    _, crawls, root = demo
    archive = RawArchive(root)
    for crawl in crawls.values():
        for report in crawl.reports:
            assert report.sha256 is not None
            assert "收到和处理政府信息公开申请情况".encode() in archive.get(
                report.sha256
            ) or b"<table" in archive.get(report.sha256)
            assert report.fetch.body == b""


def test_cross_host_subcolumn_never_requested(demo: tuple[Simulator, dict[str, SiteCrawl], Path]) -> None:
    sim, crawls, _ = demo
    assert sim.requests_to("other") == []
    assert any(sim.other_url in u for u in crawls["beijing"].out_of_scope)


def test_hostile_links_produce_no_requests_out_of_scope(tmp_path: Path) -> None:
    with serve(profile="full") as sim:
        seed = sim.seed("hostile")

        async def run() -> SiteCrawl:
            async with Fetcher(POLICY) as fetcher:
                return await crawl_site(seed.url, fetcher=fetcher, archive=RawArchive(tmp_path))

        crawl = asyncio.run(run())
        assert crawl.reports == ()
        assert sim.requests_to("other") == []
        assert {r.path for r in sim.requests_to("main")} == {"/hostile/zfxxgknb/index.html"}
        assert any("10.0.0.1" in u for u in crawl.out_of_scope)
        assert any("169.254.169.254" in u for u in crawl.out_of_scope)


def test_redirect_root_and_missing_root_are_failures(tmp_path: Path) -> None:
    """A column root answering 301 → / (soft 404) and one answering 404: one failure each, no reports."""
    with serve(profile="full") as sim:

        async def run() -> dict[str, SiteCrawl]:
            async with Fetcher(POLICY) as fetcher:
                return {
                    name: await crawl_site(sim.seed(name).url, fetcher=fetcher, archive=RawArchive(tmp_path))
                    for name in ("beijing-moved", "beijing-gone")
                }

        crawls = asyncio.run(run())
        paths = [r.path for r in sim.requests_to("main")]
    moved, gone = crawls["beijing-moved"], crawls["beijing-gone"]
    assert moved.reports == ()
    assert gone.reports == ()
    (soft,) = moved.failures
    assert (soft.url, soft.stage, soft.error) == (
        sim.seed("beijing-moved").url,
        "discover",
        ErrorKind.HTTP_4XX,
    )
    assert soft.reason.startswith("soft 404: redirected to the site root")
    (missing,) = gone.failures
    assert (missing.url, missing.stage, missing.error, missing.status) == (
        sim.seed("beijing-gone").url, "discover", ErrorKind.HTTP_4XX, 404,
    )  # fmt: skip
    assert "404" in missing.reason
    assert paths == ["/bj-moved/zfxxgknb/", "/", "/bj-gone/zfxxgknb/"]  # nothing crawled past the failures


def test_dataproxy_post_carries_form_body_and_record_range(
    demo: tuple[Simulator, dict[str, SiteCrawl], Path],
) -> None:
    """Server side: the Hanweb pager POSTs the ajaxParam form and the startrecord/endrecord/perpage query."""
    sim, _, _ = demo
    posts = [r for r in sim.requests_to("main") if r.method == "POST"]
    assert posts
    for record in posts:
        path, _, query = record.path.partition("?")
        assert path == "/hanweb/module/web/jpage/dataproxy.jsp"
        assert dict(parse_qsl(query)) == {"startrecord": "3", "endrecord": "4", "perpage": "2"}
        assert record.headers["content-type"].startswith("application/x-www-form-urlencoded")
        form = dict(parse_qsl(record.body.decode("utf-8")))
        assert form == {
            "col": "1", "appid": "1", "webid": "3", "path": "/", "columnid": "1229214366",
            "sourceContentType": "1", "unitid": "7251001", "webname": "淮安市", "permissiontype": "0",
        }  # fmt: skip
        assert record.body.startswith(b"col=1&appid=1&webid=3&")
