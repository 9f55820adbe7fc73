"""SPA shells (Epoint WebBuilder, portals.md §10.E): recognised, resolved through their JSON API,
rebuilt as a report page; unresolvable shells are failures under the item's URL."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.challenge import classify_stub
from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.policy import FetchPolicy
from gxbg.crawl.shells import ShellError, shell_document, shell_request
from gxbg.crawl.site import crawl_site
from gxbg.kinds import ErrorKind, ItemKind, SiteCrawl
from gxbg.sim import pages
from gxbg.sim.full_epoint import DETAIL_API, shell_page
from tests.crawl._fetchkit import run

SHELL_URL = "http://www.demo-qu.gov.cn/xxgk/showinfo.html?infoGuid=3f2c9a10-5b7e-4c1d-9e2f-1a2b3c4d5e6f"
API = "http://www.demo-qu.gov.cn/shxx-zwgk/rest/frontAppNotNeedLoginAction/getGovInfoDetail"
TITLE = "示例区2023年政府信息公开工作年度报告"
REPORT = (
    "<p>本年新收政府信息公开申请12件。</p>"
    "<table><tr><td>本年新收政府信息公开申请数量</td><td>12</td></tr></table>"
)


def _answer(**data: object) -> str:
    return json.dumps({"custom": {"status": "true", "data": {"title": TITLE, **data}}}, ensure_ascii=False)


# ---------------------------------------------------------------- recognising a shell


def test_shell_request_posts_the_item_id_to_the_project_api() -> None:
    shell = shell_request(shell_page(), SHELL_URL)
    assert shell is not None
    assert (shell.request.method, shell.request.url) == ("POST", API)
    assert shell.request.data == (("params", '{"infoid":"3f2c9a10-5b7e-4c1d-9e2f-1a2b3c4d5e6f"}'),)
    assert DETAIL_API == "/shxx-zwgk/rest/frontAppNotNeedLoginAction/getGovInfoDetail"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        pytest.param(shell_page(), SHELL_URL.split("?")[0], id="no-infoGuid"),
        pytest.param(shell_page(), SHELL_URL.replace("3f2c9a10", "x' or 1=1 --"), id="bad-item-id"),
        pytest.param(shell_page().replace("info_spnContent", "zoom"), SHELL_URL, id="not-all-markers"),
        pytest.param(shell_page().replace("projectName", "projectNam"), SHELL_URL, id="no-project-name"),
        pytest.param(shell_page() + REPORT, SHELL_URL, id="server-rendered-twin"),
        pytest.param("<html><body><p>普通页面</p></body></html>", SHELL_URL, id="ordinary-page"),
    ],
)
def test_not_a_resolvable_shell(text: str, url: str) -> None:
    assert shell_request(text, url) is None


def test_project_name_without_slash_is_rooted() -> None:
    page = shell_page().replace('projectName: "/shxx-zwgk"', 'projectName: "shxx-zwgk/"')
    shell = shell_request(page, SHELL_URL)
    assert shell is not None
    assert shell.request.url == API


def test_the_shell_is_not_a_stub_but_a_textless_page_is() -> None:
    body = shell_page().encode()
    assert len(body) < 512
    assert classify_stub(200, "text/html", body, shell_page(), max_bytes=512) is None
    plain = "<html><head><title>x</title></head><body><div id='app'></div></body></html>"
    assert classify_stub(200, "text/html", plain.encode(), plain, max_bytes=512) is not None


# ---------------------------------------------------------------- rebuilding the page


def test_html_answer_becomes_a_report_page_with_base_title_and_date() -> None:
    shell = shell_request(shell_page(), SHELL_URL)
    assert shell is not None
    doc = shell_document(_answer(infocontent=REPORT, infotype="html", infodate="2024-01-30"), shell=shell,
                         shell_url=SHELL_URL)  # fmt: skip
    assert (doc.title, doc.file_only, doc.attachments) == (TITLE, False, ())
    assert f'<base href="{SHELL_URL}">' in doc.html
    assert f'<meta name="ArticleTitle" content="{TITLE}">' in doc.html
    assert '<meta name="PubDate" content="2024-01-30">' in doc.html
    assert REPORT in doc.html
    assert "info_spnContent" not in doc.html  # the cleaner must not take the rebuilt page for a shell


@pytest.mark.parametrize(
    "pdflist",
    [
        pytest.param([{"attachname": "年报.pdf", "attachurl": "/shxx-zwgk/upload/a.pdf"}], id="objects"),
        pytest.param(["/shxx-zwgk/upload/a.pdf"], id="plain-urls"),
    ],
)
def test_pdf_answer_lists_its_files_as_absolute_links(pdflist: list[object]) -> None:
    shell = shell_request(shell_page(), SHELL_URL)
    assert shell is not None
    doc = shell_document(
        _answer(infocontent="", infotype="pdf", pdflist=pdflist), shell=shell, shell_url=SHELL_URL
    )
    assert doc.file_only
    assert doc.attachments == ("http://www.demo-qu.gov.cn/shxx-zwgk/upload/a.pdf",)
    assert '<a href="http://www.demo-qu.gov.cn/shxx-zwgk/upload/a.pdf">' in doc.html


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        pytest.param("<html>error</html>", "no JSON", id="not-json"),
        pytest.param('{"custom":{"status":"false","data":null}}', "found no item", id="status-false"),
        pytest.param('{"custom":{"status":"true"}}', "found no item", id="no-data"),
        pytest.param(_answer(infocontent=" ", infotype="html"), "neither a body nor a file", id="empty"),
    ],
)
def test_unusable_answers_raise_shell_error(answer: str, why: str) -> None:
    shell = shell_request(shell_page(), SHELL_URL)
    assert shell is not None
    with pytest.raises(ShellError, match=why):
        shell_document(answer, shell=shell, shell_url=SHELL_URL)


# ---------------------------------------------------------------- crawl_site with a mock portal

LISTING = pages.page(
    "政府信息公开年报",
    pages.li_items([("/xxgk/showinfo.html?infoGuid=aaaa-1", TITLE, "2024-01-30")]),
    column="政府信息公开年报",
)


def _crawl(root: Path, api_answer: str, page: str | None = None) -> tuple[SiteCrawl, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/xxgk/zfxxgknb/index.html":
            return httpx.Response(200, text=LISTING, headers={"content-type": "text/html"})
        if request.url.path == "/xxgk/showinfo.html":
            return httpx.Response(200, text=page or shell_page(), headers={"content-type": "text/html"})
        return httpx.Response(200, text=api_answer, headers={"content-type": "application/json"})

    async def main() -> SiteCrawl:
        policy = FetchPolicy(delay=0, jitter=0, allow_private=True, obey_robots=False, retries=0)
        async with Fetcher(policy, transport=httpx.MockTransport(handler)) as fetcher:
            return await crawl_site("http://www.demo-qu.gov.cn/xxgk/zfxxgknb/index.html", fetcher=fetcher,
                                    archive=RawArchive(root))  # fmt: skip

    return run(main()), seen


def test_crawl_resolves_a_shell_and_records_provenance(tmp_path: Path) -> None:
    crawl, seen = _crawl(tmp_path, _answer(infocontent=REPORT, infotype="html"))
    (report,) = crawl.reports
    assert report.kind is ItemKind.REPORT_HTML
    assert report.item.url == "http://www.demo-qu.gov.cn/xxgk/showinfo.html?infoGuid=aaaa-1"
    assert (report.fetch.url, report.fetch.final_url) == (report.item.url, API)
    assert report.fetch.redirects == (report.item.url,)
    assert "etag" not in report.fetch.headers
    assert "last-modified" not in report.fetch.headers
    post = seen[-1]
    assert (post.method, str(post.url)) == ("POST", API)
    assert parse_qs(post.content.decode()) == {"params": ['{"infoid":"aaaa-1"}']}


def test_unresolvable_shell_is_a_failure_under_the_item_url(tmp_path: Path) -> None:
    crawl, _ = _crawl(tmp_path, '{"custom":{"status":"false","data":null}}')
    assert crawl.reports == ()
    (failure,) = crawl.failures
    assert failure.url == "http://www.demo-qu.gov.cn/xxgk/showinfo.html?infoGuid=aaaa-1"
    assert (failure.stage, failure.error) == ("fetch", ErrorKind.STUB)
    assert "SPA shell not resolved" in failure.reason


def test_shell_api_out_of_scope_is_never_requested(tmp_path: Path) -> None:
    page = shell_page().replace('"/shxx-zwgk"', '"http://evil.example.com/x"')
    crawl, seen = _crawl(tmp_path, _answer(infocontent=REPORT, infotype="html"), page)
    assert all(r.url.host == "www.demo-qu.gov.cn" for r in seen)
    assert [f.error for f in crawl.failures] == [ErrorKind.OUT_OF_SCOPE]
    assert any("evil.example.com" in u for u in crawl.out_of_scope)
