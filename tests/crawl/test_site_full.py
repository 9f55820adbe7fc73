"""crawl_site on every full-profile portal: each is discovered fully, with no false positives.

One crawl of all full-profile seeds (module fixture); the assertions compare against the
simulator's manifest and the server's request log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.policy import FetchPolicy
from gxbg.crawl.site import crawl_site
from gxbg.crawl.titles import normalize_title
from gxbg.kinds import ErrorKind, ItemKind, SiteCrawl
from gxbg.sim import Simulator, serve
from gxbg.sim.full_epoint import DETAIL_API, info_guid

POLICY = FetchPolicy(delay=0, jitter=0, allow_private=True, obey_robots=False, retries=0)
PORTALS = [
    "trs-pages",
    "trs-table",
    "govcn",
    "hanweb-jsonp",
    "gkmlpt",
    "shanghai",
    "ilist",
    "openness",
    "epoint",
]


@dataclass(frozen=True)
class Run:
    sim: Simulator
    crawls: dict[str, SiteCrawl]
    archive: RawArchive

    def paths(self, method: str = "GET") -> list[str]:
        return [r.path for r in self.sim.requests_to("main") if r.method == method]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    archive = RawArchive(tmp_path_factory.mktemp("archive"))
    with serve(profile="full") as sim:

        async def crawl_all() -> dict[str, SiteCrawl]:
            async with Fetcher(POLICY) as fetcher:
                return {
                    name: await crawl_site(sim.seed(name).url, fetcher=fetcher, archive=archive)
                    for name in PORTALS
                }

        yield Run(sim, asyncio.run(crawl_all()), archive)


def _found(crawl: SiteCrawl) -> set[tuple[str, int | None, str | None, str]]:
    return {(r.item.title, r.item.year, r.item.agency, str(r.kind)) for r in crawl.reports}


@pytest.mark.parametrize("name", PORTALS)
def test_portal_discovered_fully_without_false_positives(run: Run, name: str) -> None:
    expected = {
        (normalize_title(e.title), e.year, normalize_title(e.agency), e.kind)
        for e in run.sim.seed(name).expected
    }
    crawl = run.crawls[name]
    assert _found(crawl) == expected
    assert len(crawl.reports) == len(expected)  # no duplicates (the _wap twin, page 0 == page 1)
    assert crawl.non_reports_skipped >= 1  # the 通知 / 解读 / 新闻 items were seen and left out


@pytest.mark.parametrize("name", [p for p in PORTALS if p != "trs-pages"])
def test_portal_has_no_failures(run: Run, name: str) -> None:
    assert run.crawls[name].failures == ()


def test_stub_last_page_is_the_only_failure_and_is_a_stub(run: Run) -> None:
    (failure,) = run.crawls["trs-pages"].failures
    assert failure.url.endswith("/trs-pages/zwgk/zfxxgknb/index_2.html")
    assert (failure.stage, failure.error) == ("discover", ErrorKind.STUB)
    assert "stub" in failure.reason


def test_inline_reports_are_archived_with_their_tables(run: Run) -> None:
    checked = 0
    for name in PORTALS:
        for report in run.crawls[name].reports:
            if report.kind is ItemKind.REPORT_HTML:
                assert report.sha256 is not None
                text = run.archive.get(report.sha256).decode(report.fetch.encoding or "utf-8")
                assert "本年新收" in text or "本年度新收" in text, report.item.url
                checked += 1
    assert checked == sum(e.kind == "report_html" for n in PORTALS for e in run.sim.seed(n).expected) > 10


def test_attachments_recorded_per_archetype(run: Run) -> None:
    ends = {
        name: {
            urlsplit(a).path.rsplit("/", 1)[-1] for r in run.crawls[name].reports for a in r.item.attachments
        }
        for name in ("trs-pages", "trs-table", "govcn", "hanweb-jsonp", "ilist", "epoint")
    }
    assert ends["trs-pages"] == {"P020250121538216409771.pdf", "P020210128512345678901.doc"}
    assert ends["trs-table"] == {"P020250124600000000001.docx"}
    assert ends["govcn"] == {"P020200120575593646209.pdf"}
    assert ends["hanweb-jsonp"] == {"downfile.jsp"}
    assert ends["ilist"] == {"90123.pdf"}
    assert ends["epoint"] == {"96a95c9efbd32f5d9c4f9301b9a47ebf.pdf"}  # from the JSON's pdflist
    (downfile,) = [a for r in run.crawls["hanweb-jsonp"].reports for a in r.item.attachments]
    assert "&amp;" not in downfile
    assert "classid=0" in downfile
    assert "filename=" in downfile


def test_out_of_scope_items_never_requested(run: Run) -> None:
    assert run.sim.requests_to("other") == []
    assert any(run.sim.other_url in u for u in run.crawls["trs-pages"].out_of_scope)


def test_wap_twin_and_impossible_truncated_title_never_fetched(run: Run) -> None:
    paths = run.paths()
    assert not any("_wap" in p for p in paths)
    assert not any(p.endswith("/202103/t20210301_530.shtml") for p in paths)  # 工作要… is no report
    # the truncated 工作年度… title was checked on its detail page, once, and rejected
    assert sum(p.endswith("/202102/t20210220_520.shtml") for p in paths) == 1
    titles = {r.item.title for r in run.crawls["trs-table"].reports}
    assert not any("考核" in t or t.endswith("...") for t in titles)


def test_gkmlpt_requests_only_the_report_category_each_page_once(run: Run) -> None:
    api = [p for p in run.paths() if "/gkmlpt/api/" in p]
    assert sorted(api) == sorted(set(api))
    assert {urlsplit(p).path for p in api} == {"/gkmlpt-qu/gkmlpt/api/all/21000"}
    assert len(api) == 2  # 4 articles, 2 per page


def test_hanweb_jsonp_pages_come_from_the_old_dataproxy_by_post(run: Run) -> None:
    posts = [p for p in run.paths("POST") if p.startswith("/hanweb-old/")]
    assert posts
    assert all(p.startswith("/hanweb-old/module/jpage/dataproxy.jsp?startrecord=") for p in posts)


def test_every_listing_page_fetched_once(run: Run) -> None:
    lists = [p for p in run.paths() if "index" in p or "page_" in p or "home_" in p or "iList" in p]
    assert len(lists) == len(set(lists))


def test_epoint_shells_resolved_by_one_form_post_each(run: Run) -> None:
    posts = [r for r in run.sim.requests_to("main") if r.method == "POST" and r.path == DETAIL_API]
    asked = [parse_qs(r.body.decode())["params"][0] for r in posts]
    assert sorted(asked) == sorted(
        f'{{"infoid":"{info_guid(case)}"}}' for case in ("js-hongze-2024", "js-huaian-2024")
    )
    assert all(r.headers["content-type"] == "application/x-www-form-urlencoded" for r in posts)
    assert all(r.status == 200 for r in posts)
    shells = [p for p in run.paths() if p.startswith("/xxgk/showinfo.html?infoGuid=")]
    assert len(shells) == 2  # the 解读 shell is never opened
    (inline,) = [r for r in run.crawls["epoint"].reports if r.kind is ItemKind.REPORT_HTML]
    assert inline.fetch.final_url.endswith(DETAIL_API)
    assert inline.fetch.redirects == (inline.item.url,)
    (pdf,) = [r for r in run.crawls["epoint"].reports if r.kind is ItemKind.ATTACHMENT]
    assert "/xxgk/showinfo.html?infoGuid=" in pdf.item.url  # the shell stays the report's identity
    assert pdf.fetch.url == pdf.fetch.final_url == pdf.item.attachments[0]  # the pdflist file itself
