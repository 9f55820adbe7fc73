"""crawl_site downloads the report file an attachment-only detail page links to.

Two portals: the full-profile simulator (TRS ``./P0….pdf``, Hanweb ``downfile.jsp`` → 302 →
``/attach/0/….pdf``, the DOCX, Epoint ``pdflist``, a .doc and a scan) and a small in-process portal
(``httpx.MockTransport``) for what the simulator does not serve: a 404 file, a page served in the
file's place, a file over ``max_bytes``, several links to choose from, a download URL without an
extension, and conditional GETs keyed by the file's URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.policy import FetchPolicy
from gxbg.crawl.site import Validators, crawl_site
from gxbg.crawl.titles import normalize_title
from gxbg.kinds import ErrorKind, FetchedReport, ItemKind, SiteCrawl
from gxbg.pipeline.process import process_site
from gxbg.sim import Simulator, attachments, pages, serve
from gxbg.sim.cases import read_case
from gxbg.store.db import Store

REPO = Path(__file__).resolve().parents[2]

POLICY = FetchPolicy(delay=0, jitter=0, allow_private=True, obey_robots=False, retries=0)
SIM_PORTALS = ("trs-pages", "trs-table", "govcn", "hanweb-jsonp", "epoint")


@dataclass(frozen=True)
class SimRun:
    sim: Simulator
    crawls: dict[str, SiteCrawl]
    archive: RawArchive

    def report(self, portal: str, case_id: str) -> FetchedReport:
        expected = next(e for e in self.sim.seed(portal).expected if e.case_id == case_id)
        title = normalize_title(expected.title)
        (report,) = [r for r in self.crawls[portal].reports if normalize_title(r.item.title) == title]
        return report


def _crawl_sim(
    sim: Simulator,
    archive: RawArchive,
    names: tuple[str, ...],
    validators: dict[str, dict[str, Validators]] | None = None,
) -> dict[str, SiteCrawl]:
    async def run() -> dict[str, SiteCrawl]:
        async with Fetcher(POLICY) as fetcher:
            return {
                name: await crawl_site(
                    sim.seed(name).url,
                    fetcher=fetcher,
                    archive=archive,
                    validators=(validators or {}).get(name),
                )
                for name in names
            }

    return asyncio.run(run())


@pytest.fixture(scope="module")
def sim_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimRun]:
    archive = RawArchive(tmp_path_factory.mktemp("archive"))
    with serve(profile="full") as sim:
        yield SimRun(sim, _crawl_sim(sim, archive, SIM_PORTALS), archive)


FILES = [  # portal, case, the file's bytes as served
    ("trs-pages", "js-huaian-2024", "huaian-2024.pdf"),
    ("hanweb-jsonp", "js-huaian-2024", "huaian-2024.pdf"),
    ("epoint", "js-huaian-2024", "huaian-2024.pdf"),
    ("trs-table", "js-hongze-2024", "hongze-2024.docx"),
    ("govcn", "ha-longting-2019", "scanned.pdf"),
]


@pytest.mark.parametrize(("portal", "case_id", "fixture"), FILES, ids=[f"{p}-{c}" for p, c, _ in FILES])
def test_the_linked_file_is_downloaded_and_archived(
    sim_run: SimRun, portal: str, case_id: str, fixture: str
) -> None:
    report = sim_run.report(portal, case_id)
    assert report.kind is ItemKind.ATTACHMENT
    assert report.sha256 is not None
    assert sim_run.archive.get(report.sha256) == attachments.fixture(fixture)
    assert report.fetch.sha256 == report.sha256
    assert report.fetch.body == b""  # bodies never cross a task boundary
    assert report.fetch.text is None
    assert report.fetch.headers["content-type"].startswith(("application/pdf", "application/vnd.openxml"))
    assert report.fetch.headers["etag"]  # validators of the file, for the next harvest's conditional GET


@pytest.mark.parametrize(("portal", "case_id", "fixture"), FILES, ids=[f"{p}-{c}" for p, c, _ in FILES])
def test_the_detail_page_stays_the_report_identity(
    sim_run: SimRun, portal: str, case_id: str, fixture: str
) -> None:
    report = sim_run.report(portal, case_id)
    spec = read_case(REPO / "tests" / "cases" / case_id)
    item = report.item
    assert item.url != report.fetch.url
    assert not item.url.endswith((".pdf", ".docx"))  # the detail page (or the Epoint shell)
    assert report.fetch.url in item.attachments  # the file came from the page's links
    assert (normalize_title(item.title), item.year) == (normalize_title(spec.title), spec.year)
    assert item.agency == normalize_title(spec.agency)
    assert item.published == spec.published  # the listing's date, kept
    assert item.listing_url is not None


def test_a_downfile_302_is_followed_to_the_attach_file(sim_run: SimRun) -> None:
    report = sim_run.report("hanweb-jsonp", "js-huaian-2024")
    assert "/module/download/downfile.jsp?" in report.fetch.url
    assert "/hanweb-old/attach/0/" in report.fetch.final_url
    assert report.fetch.final_url.endswith(".pdf")
    assert report.fetch.redirects == (report.fetch.url,)
    assert report.fetch.status == 200


def test_a_doc_file_is_downloaded_as_it_is(sim_run: SimRun) -> None:
    report = sim_run.report("trs-pages", "tj-ningyuan-2020")
    assert report.kind is ItemKind.ATTACHMENT
    assert report.fetch.url.endswith("/P020210128512345678901.doc")
    assert report.fetch.headers["content-type"] == "application/msword"
    assert sim_run.archive.get(report.sha256 or "") == attachments.DOC_OLE2


def test_each_file_is_requested_once_after_its_page(sim_run: SimRun) -> None:
    paths = [r.path for r in sim_run.sim.requests_to("main")]
    for portal, case_id, _ in FILES:
        report = sim_run.report(portal, case_id)
        file_path = report.fetch.url.split(sim_run.sim.base_url, 1)[1]
        page_path = report.item.url.split(sim_run.sim.base_url, 1)[1]
        assert paths.count(file_path) == 1, file_path
        assert paths.index(page_path) < paths.index(file_path)


def test_no_failures_and_inline_reports_untouched(sim_run: SimRun) -> None:
    for name in SIM_PORTALS:
        assert [f for f in sim_run.crawls[name].failures if f.stage != "discover"] == [], name
        for report in sim_run.crawls[name].reports:
            if report.kind is ItemKind.REPORT_HTML:
                assert report.fetch.url == report.item.url or report.fetch.redirects[-1] == report.item.url


def test_reharvest_sends_conditional_gets_for_the_files_from_known_pages(tmp_path: Path) -> None:
    """First harvest into a Store; its ``known_pages`` key the files by URL; the re-harvest's file
    requests are conditional, answered 304, and the reports load as unchanged."""
    archive = RawArchive(tmp_path / "raw")
    store = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}")
    store.migrate()
    names = ("hanweb-jsonp", "trs-table")
    with serve(profile="full") as sim:
        first = _crawl_sim(sim, archive, names)
        run_id = store.start_run("harvest", {})
        for name in names:
            process_site(first[name], portal=name, archive=archive, sink=store, run_id=run_id)
        known: dict[str, dict[str, Validators]] = {name: dict(store.known_pages(name)) for name in names}
        files = {
            r.fetch.url: (n, r) for n in names for r in first[n].reports if r.kind is ItemKind.ATTACHMENT
        }
        assert len(files) == 2
        for url, (name, report) in files.items():
            assert known[name][url][-1] == report.sha256  # the file's URL keys its validators
        mark = len(sim.requests)
        again = _crawl_sim(sim, archive, names, validators=known)
        log = [r for r in list(sim.requests)[mark:] if r.server == "main"]
        run_id = store.start_run("harvest", {})
        outcomes = [
            process_site(again[n], portal=n, archive=archive, sink=store, run_id=run_id) for n in names
        ]
    for url, (_, before) in files.items():
        (after,) = [r for n in names for r in again[n].reports if r.fetch.url == url]
        assert (after.fetch.not_modified, after.fetch.status) == (True, 304)
        assert after.sha256 == before.sha256
        assert after.kind is ItemKind.ATTACHMENT
        path = url.split(sim.base_url, 1)[1]
        (request,) = [r for r in log if r.path == path]
        assert request.headers["if-none-match"] == before.fetch.headers["etag"]
        page = after.item.url.split(sim.base_url, 1)[1]
        (page_request,) = [r for r in log if r.path == page]
        assert "if-none-match" not in page_request.headers  # the page itself was not a stored document
    titles = {normalize_title(r.item.title) for _, r in files.values()}
    assert sorted(r.status for o in outcomes for r in o.reports if r.title in titles) == ["unchanged"] * 2


# --------------------------------------------------------------------- an in-process portal

HOST = "http://www.demo-xian.gov.cn"
COLUMN = f"{HOST}/zfxxgknb/index.html"
PDF = attachments.pdf_bytes("示例县政府信息公开工作年度报告", "mini")
DOCX = attachments.fixture("hongze-2024.docx")
PAGE_NOT_FILE = pages.page("文件不存在", "<p>您访问的文件不存在或已被删除。</p>" * 3).encode()


def _title(year: int) -> str:
    return f"示例县人民政府{year}年政府信息公开工作年度报告"


def _detail(year: int, links: list[tuple[str, str]]) -> bytes:
    body = f"<p>现将《{_title(year)}》予以公布，全文见附件。</p>" + "".join(
        f'<p><a href="{href}">{name}</a></p>' for href, name in links
    )
    return pages.trs_detail(_title(year), "示例县人民政府", f"{year + 1}-01-20", body).encode()


Route = tuple[int, dict[str, str], bytes]


@dataclass
class MiniPortal:
    """One listing, detail pages by year, and files with ETags (answering If-None-Match with 304)."""

    routes: dict[str, Route] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    seen: list[httpx.Request] = field(default_factory=list)

    def add_report(self, year: int, links: list[tuple[str, str]]) -> None:
        self.routes[f"/zfxxgknb/t{year}.html"] = (200, {"content-type": "text/html"}, _detail(year, links))
        self.years.append(year)

    def add_file(self, path: str, body: bytes, ctype: str = "application/pdf", **headers: str) -> None:
        self.routes[path] = (200, {"content-type": ctype, "etag": f'"{len(body)}-{path}"', **headers}, body)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.raw_path.decode()
        if request.url.path == "/zfxxgknb/index.html":
            items = [(f"./t{y}.html", _title(y), f"{y + 1}-01-20") for y in self.years]
            html = pages.page("政府信息公开年报", pages.li_items(items), column="政府信息公开年报")
            return httpx.Response(200, content=html.encode(), headers={"content-type": "text/html"})
        status, headers, body = self.routes.get(path, (404, {"content-type": "text/html"}, b"<h1>404</h1>"))
        if headers.get("etag") and request.headers.get("if-none-match") == headers["etag"]:
            return httpx.Response(304, headers={"etag": headers["etag"]})
        return httpx.Response(status, content=body, headers=headers)

    def crawl(
        self, root: Path, *, validators: dict[str, Validators] | None = None, max_bytes: int = 1_000_000
    ) -> SiteCrawl:
        async def main() -> SiteCrawl:
            pol = FetchPolicy(
                delay=0, jitter=0, allow_private=True, obey_robots=False, retries=0, max_bytes=max_bytes
            )
            async with Fetcher(pol, transport=httpx.MockTransport(self.handler)) as fetcher:
                return await crawl_site(
                    COLUMN, fetcher=fetcher, archive=RawArchive(root), validators=validators
                )

        return asyncio.run(main())

    def requested(self, path: str) -> list[httpx.Request]:
        return [r for r in self.seen if r.url.raw_path.decode() == path]


def _one(crawl: SiteCrawl, year: int) -> FetchedReport:
    (report,) = [r for r in crawl.reports if r.item.year == year]
    return report


def test_a_404_file_is_a_failure_under_the_detail_page(tmp_path: Path) -> None:
    portal = MiniPortal()
    portal.add_report(2024, [("./P020250120000001.pdf", "示例县2024年年度报告.pdf")])
    crawl = portal.crawl(tmp_path)
    assert crawl.reports == ()
    (failure,) = crawl.failures
    assert failure.url == f"{HOST}/zfxxgknb/t2024.html"
    assert (failure.stage, failure.error, failure.status) == ("fetch", ErrorKind.HTTP_4XX, 404)
    assert failure.reason.startswith("report attachment not downloaded: ")
    assert f"{HOST}/zfxxgknb/P020250120000001.pdf: HTTP 404" in failure.reason


def test_a_page_served_in_place_of_the_file_is_a_failure(tmp_path: Path) -> None:
    portal = MiniPortal()
    portal.add_report(2021, [("./P04.pdf", "年度报告.pdf")])
    portal.add_file("/zfxxgknb/P04.pdf", PAGE_NOT_FILE, "text/html; charset=utf-8")
    crawl = portal.crawl(tmp_path)
    assert crawl.reports == ()
    (failure,) = crawl.failures
    assert (failure.url, failure.error, failure.status) == (
        f"{HOST}/zfxxgknb/t2021.html",
        ErrorKind.STUB,
        200,
    )
    assert "answered a page (text/html; charset=utf-8), not a file" in failure.reason


def test_a_file_over_max_bytes_is_a_too_large_failure(tmp_path: Path) -> None:
    portal = MiniPortal()
    portal.add_report(2020, [("./big.pdf", "2020年年度报告.pdf")])
    portal.add_file("/zfxxgknb/big.pdf", b"%PDF-1.4\n" + b"0" * 60_000)
    crawl = portal.crawl(tmp_path, max_bytes=50_000)
    assert crawl.reports == ()
    (failure,) = crawl.failures
    assert (failure.url, failure.error) == (f"{HOST}/zfxxgknb/t2020.html", ErrorKind.TOO_LARGE)
    assert "big.pdf" in failure.reason


def test_the_link_naming_the_report_is_preferred_and_a_reading_never_fetched(tmp_path: Path) -> None:
    portal = MiniPortal()
    portal.add_report(2023, [
        ("./jd.pdf", "示例县2023年政府信息公开工作年度报告解读.pdf"),
        ("./tb.pdf", "附件2：统计表.pdf"),
        ("./bg.pdf", "示例县2023年政府信息公开工作年度报告.pdf"),
    ])  # fmt: skip
    for name in ("jd", "tb", "bg"):
        portal.add_file(f"/zfxxgknb/{name}.pdf", PDF + name.encode())
    crawl = portal.crawl(tmp_path)
    report = _one(crawl, 2023)
    assert report.fetch.url == f"{HOST}/zfxxgknb/bg.pdf"
    assert RawArchive(tmp_path).get(report.sha256 or "") == PDF + b"bg"
    assert [len(portal.requested(f"/zfxxgknb/{n}.pdf")) for n in ("jd", "tb", "bg")] == [0, 0, 1]
    assert crawl.failures == ()


def test_when_the_first_file_fails_the_next_one_is_the_report(tmp_path: Path) -> None:
    portal = MiniPortal()
    portal.add_report(2019, [("./gone.pdf", "2019年年度报告.pdf"), ("./copy.docx", "2019年年度报告.docx")])
    portal.add_file("/zfxxgknb/copy.docx", DOCX, "application/octet-stream")
    crawl = portal.crawl(tmp_path)
    report = _one(crawl, 2019)
    assert report.fetch.url == f"{HOST}/zfxxgknb/copy.docx"
    assert len(portal.requested("/zfxxgknb/gone.pdf")) == 1
    assert crawl.failures == ()  # the report was found: no failure stays open for it


def test_a_download_url_without_extension_is_judged_by_its_answer(tmp_path: Path) -> None:
    portal = MiniPortal()
    portal.add_report(
        2022, [("/getfile.jsp?id=7", "示例县2022年年度报告.pdf"), ("/about.jsp?id=1", "关于我们")]
    )
    portal.add_file(
        "/getfile.jsp?id=7",
        PDF,
        "application/octet-stream",
        **{"content-disposition": 'attachment; filename="r.pdf"'},
    )
    crawl = portal.crawl(tmp_path)
    report = _one(crawl, 2022)
    assert report.kind is ItemKind.ATTACHMENT
    assert report.fetch.url == f"{HOST}/getfile.jsp?id=7"
    assert report.fetch.headers["content-disposition"] == 'attachment; filename="r.pdf"'
    assert portal.requested("/about.jsp?id=1") == []  # a page link, not a file: never fetched


def _conditional_run(
    tmp_path: Path, entry: Callable[[FetchedReport], Validators]
) -> tuple[MiniPortal, SiteCrawl, FetchedReport]:
    portal = MiniPortal()
    portal.add_report(2018, [("./P0-2018.pdf", "2018年年度报告.pdf")])
    portal.add_file("/zfxxgknb/P0-2018.pdf", PDF)
    first = _one(portal.crawl(tmp_path), 2018)
    portal.seen.clear()
    again = portal.crawl(tmp_path, validators={first.fetch.url: entry(first)})
    return portal, again, first


def test_a_304_for_the_file_stands_for_its_archived_body(tmp_path: Path) -> None:
    portal, again, first = _conditional_run(
        tmp_path, lambda r: (r.fetch.headers["etag"], None, r.sha256 or "")
    )
    report = _one(again, 2018)
    assert (report.fetch.not_modified, report.fetch.status, report.sha256) == (True, 304, first.sha256)
    assert report.kind is ItemKind.ATTACHMENT
    (request,) = portal.requested("/zfxxgknb/P0-2018.pdf")
    assert request.headers["if-none-match"] == first.fetch.headers["etag"]
    (page,) = portal.requested("/zfxxgknb/t2018.html")
    assert "if-none-match" not in page.headers  # validators are keyed by the file's URL, not the page's


def test_a_304_for_the_file_without_an_archived_body_is_a_failure(tmp_path: Path) -> None:
    _, again, first = _conditional_run(tmp_path, lambda r: (r.fetch.headers["etag"], None))
    assert again.reports == ()
    (failure,) = again.failures
    assert (failure.url, failure.error, failure.status) == (first.item.url, ErrorKind.HTTP_4XX, 304)
    assert "no archived body" in failure.reason
