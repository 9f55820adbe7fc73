"""Conditional GET on re-harvest, below Prefect: the simulator's validators and 304s, crawl_site on a
304 (the archived body stands in), and the pipeline loading a re-crawl as unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.policy import FetchPolicy
from gxbg.crawl.site import Validators, crawl_site
from gxbg.kinds import ErrorKind, SiteCrawl
from gxbg.pipeline.process import SiteOutcome, process_site
from gxbg.sim import RequestRecord, Simulator, serve
from gxbg.sim.conditional import LAST_MODIFIED, etag_for
from gxbg.store.db import Store

POLICY = FetchPolicy(delay=0, jitter=0, allow_private=True, obey_robots=False, retries=0)
CONDITIONAL = ("if-none-match", "if-modified-since")


def _crawl(
    sim: Simulator, archive: RawArchive, validators: dict[str, dict[str, Validators]] | None = None
) -> dict[str, SiteCrawl]:
    async def run() -> dict[str, SiteCrawl]:
        async with Fetcher(POLICY) as fetcher:
            return {
                s.name: await crawl_site(
                    s.url, fetcher=fetcher, archive=archive, validators=(validators or {}).get(s.name)
                )
                for s in sim.seeds
            }

    return asyncio.run(run())


def _process(crawls: dict[str, SiteCrawl], archive: RawArchive, store: Store) -> dict[str, SiteOutcome]:
    run_id = store.start_run("harvest", {})
    return {
        name: process_site(crawl, portal=name, archive=archive, sink=store, run_id=run_id)
        for name, crawl in crawls.items()
    }


def _since(sim: Simulator, mark: int) -> list[RequestRecord]:
    return [r for r in list(sim.requests)[mark:] if r.server == "main"]


def _detail_urls(crawls: dict[str, SiteCrawl]) -> set[str]:
    return {r.item.url for c in crawls.values() for r in c.reports}


def _path(url: str) -> str:
    parts = httpx.URL(url)
    return parts.raw_path.decode()


# --------------------------------------------------------------------------- the simulator


@pytest.fixture(scope="module")
def demo_sim() -> Iterator[Simulator]:
    with serve(profile="demo") as sim:
        yield sim


def test_static_files_carry_validators_and_answer_304(demo_sim: Simulator) -> None:
    url = demo_sim.seed("trs-gbk").url
    with httpx.Client() as client:
        first = client.get(url)
        etag = first.headers["etag"]
        assert first.status_code == 200
        assert etag == etag_for(first.content)
        assert first.headers["last-modified"] == LAST_MODIFIED
        cases = {
            "matching etag": ({"If-None-Match": etag}, 304),
            "weak form of the etag": ({"If-None-Match": f'W/{etag}, "other"'}, 304),
            "other etag": ({"If-None-Match": '"other"'}, 200),
            "same date": ({"If-Modified-Since": LAST_MODIFIED}, 304),
            "earlier date": ({"If-Modified-Since": "Sun, 01 Jan 2023 00:00:00 GMT"}, 200),
            "etag wins over date": ({"If-None-Match": '"other"', "If-Modified-Since": LAST_MODIFIED}, 200),
        }
        for name, (headers, status) in cases.items():
            mark = len(demo_sim.requests)
            response = client.get(url, headers=headers)
            assert response.status_code == status, name
            assert (response.content == b"") == (status == 304), name
            assert response.headers["etag"] == etag, name
            (logged,) = _since(demo_sim, mark)
            assert logged.status == status, name  # the request log records the response status


def test_dynamic_endpoints_stay_unconditional(demo_sim: Simulator) -> None:
    """Only static files have validators: the code-served site root never answers 304."""
    with httpx.Client() as client:
        root = client.get(demo_sim.base_url + "/", headers={"If-None-Match": "*"})
    assert root.status_code == 200
    assert "etag" not in root.headers


# --------------------------------------------------------------------------- crawl + pipeline


@dataclass(frozen=True, slots=True, kw_only=True)
class Harvests:
    """Three demo harvests on one database and archive: fresh, re-harvest, re-harvest after a lost body."""

    first: dict[str, SiteCrawl]
    second: dict[str, SiteCrawl]
    third: dict[str, SiteCrawl]
    outcomes: tuple[dict[str, SiteOutcome], dict[str, SiteOutcome], dict[str, SiteOutcome]]
    requests: tuple[list[RequestRecord], list[RequestRecord], list[RequestRecord]]
    known: dict[str, dict[str, Validators]]  # before the second harvest
    lost_url: str  # the page whose archived body was deleted before the third harvest
    archive: RawArchive


@pytest.fixture(scope="module")
def harvests(demo_sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Harvests:
    root = tmp_path_factory.mktemp("conditional")
    archive = RawArchive(root / "raw")
    store = Store(f"sqlite:///{root / 'gxbg.db'}")
    store.migrate()
    names = [s.name for s in demo_sim.seeds]

    def harvest() -> tuple[dict[str, SiteCrawl], dict[str, SiteOutcome], list[RequestRecord], dict[str, Any]]:
        known: dict[str, dict[str, Validators]] = {n: dict(store.known_pages(n)) for n in names}
        mark = len(demo_sim.requests)
        crawls = _crawl(demo_sim, archive, known)
        return crawls, _process(crawls, archive, store), _since(demo_sim, mark), known

    first, out1, req1, _ = harvest()
    second, out2, req2, known = harvest()
    lost = next(r for r in second["hanweb"].reports)
    assert lost.sha256 is not None
    archive.path_for(lost.sha256).unlink()
    third, out3, req3, _ = harvest()
    store.close()
    return Harvests(
        first=first,
        second=second,
        third=third,
        outcomes=(out1, out2, out3),
        requests=(req1, req2, req3),
        known=known,
        lost_url=lost.item.url,
        archive=archive,
    )


def _totals(outcomes: dict[str, SiteOutcome]) -> dict[str, int]:
    return {k: sum(getattr(o, k) for o in outcomes.values()) for k in ("loaded", "unchanged", "errors")}


def test_known_pages_hold_every_detail_page_with_its_archived_body(harvests: Harvests) -> None:
    assert {url for pages in harvests.known.values() for url in pages} == _detail_urls(harvests.first)
    for crawl in harvests.first.values():
        for report in crawl.reports:
            known = harvests.known[_portal(harvests, report.item.url)][report.item.url]
            assert known == (report.fetch.headers["etag"], LAST_MODIFIED, report.sha256)


def _portal(harvests: Harvests, url: str) -> str:
    return next(name for name, crawl in harvests.first.items() if url in {r.item.url for r in crawl.reports})


def test_first_harvest_is_unconditional(harvests: Harvests) -> None:
    assert _totals(harvests.outcomes[0]) == {"loaded": 8, "unchanged": 0, "errors": 0}
    assert not any(h in r.headers for r in harvests.requests[0] for h in CONDITIONAL)


def test_reharvest_sends_conditional_gets_for_every_detail_page_and_gets_304s(harvests: Harvests) -> None:
    details = {_path(u) for u in _detail_urls(harvests.first)}
    requests = harvests.requests[1]
    detail_requests = [r for r in requests if r.path in details]
    assert {r.path for r in detail_requests} == details
    for r in detail_requests:
        assert r.headers["if-none-match"].startswith('"')
        assert r.headers["if-modified-since"] == LAST_MODIFIED
        assert r.status == 304
    others = [r for r in requests if r.path not in details]
    assert others, "the listing pages were not fetched again"
    assert not any(h in r.headers for r in others for h in CONDITIONAL)  # listings: always unconditional
    assert {r.status for r in others} == {200}


def test_reharvest_reports_stand_for_their_archived_bodies(harvests: Harvests) -> None:
    def view(crawls: dict[str, SiteCrawl]) -> set[tuple[str, str, str, str | None]]:
        return {(r.item.url, r.item.title, str(r.kind), r.sha256) for c in crawls.values() for r in c.reports}

    assert view(harvests.second) == view(harvests.first)
    for crawl in harvests.second.values():
        assert crawl.failures == ()
        for report in crawl.reports:
            assert report.fetch.not_modified
            assert report.fetch.status == 304
            assert report.fetch.body == b""


def test_reharvest_loads_nothing_new_and_records_no_failure(harvests: Harvests) -> None:
    assert _totals(harvests.outcomes[1]) == {"loaded": 0, "unchanged": 8, "errors": 0}


def test_a_lost_archived_body_is_fetched_again_unconditionally(harvests: Harvests) -> None:
    lost = _path(harvests.lost_url)
    (request,) = [r for r in harvests.requests[2] if r.path == lost]
    assert not any(h in request.headers for h in CONDITIONAL)
    assert request.status == 200
    others = [r for r in harvests.requests[2] if r.path in {_path(u) for u in _detail_urls(harvests.first)}]
    assert {r.status for r in others if r.path != lost} == {304}
    (report,) = [r for c in harvests.third.values() for r in c.reports if r.item.url == harvests.lost_url]
    assert not report.fetch.not_modified
    assert report.sha256 is not None
    assert harvests.archive.has(report.sha256)  # archived again
    assert _totals(harvests.outcomes[2]) == {"loaded": 0, "unchanged": 8, "errors": 0}


# --------------------------------------------------------------------------- edge cases


def test_304_without_a_known_body_is_a_failure(demo_sim: Simulator, tmp_path: Path) -> None:
    """(etag, last_modified) alone cannot stand for a page: the 304 becomes a Failure, not a report."""
    archive = RawArchive(tmp_path)
    seed = demo_sim.seed("beijing")
    first = _crawl(demo_sim, archive)["beijing"]
    pairs: dict[str, Validators] = {r.item.url: (r.fetch.headers["etag"], None) for r in first.reports}

    async def run() -> SiteCrawl:
        async with Fetcher(POLICY) as fetcher:
            return await crawl_site(seed.url, fetcher=fetcher, archive=archive, validators=pairs)

    again = asyncio.run(run())
    assert again.reports == ()
    assert {f.url for f in again.failures} == set(pairs)
    for failure in again.failures:
        assert failure.status == 304
        assert failure.error is ErrorKind.HTTP_4XX
        assert "no archived body" in failure.reason


def test_attachment_and_image_pages_keep_their_kind_on_304(tmp_path: Path) -> None:
    """A 304 for a PDF or an image-only page is judged from the archived bytes, as a 200 would be.

    Validators are keyed by each report's fetched URL (the file's, for an attachment), as
    ``Store.known_pages`` keys them."""
    archive = RawArchive(tmp_path)
    with serve(profile="full") as sim:
        seed = sim.seed("trs-pages")

        async def run(validators: dict[str, Validators] | None) -> SiteCrawl:
            async with Fetcher(POLICY) as fetcher:
                return await crawl_site(seed.url, fetcher=fetcher, archive=archive, validators=validators)

        first = asyncio.run(run(None))
        known: dict[str, Validators] = {
            r.fetch.url: (r.fetch.headers.get("etag"), r.fetch.headers.get("last-modified"), r.sha256 or "")
            for r in first.reports
        }
        second = asyncio.run(run(known))

    def view(crawl: SiteCrawl) -> set[tuple[str, str, tuple[str, ...], str | None]]:
        return {(r.item.url, str(r.kind), r.item.attachments, r.sha256) for r in crawl.reports}

    assert {str(r.kind) for r in first.reports} >= {"attachment", "image_only", "report_html"}
    assert view(second) == view(first)
    assert second.failures == first.failures  # the portal's deliberate stub listing page, nothing more
    assert all(f.stage == "discover" for f in second.failures)
    assert all(r.fetch.not_modified for r in second.reports)
