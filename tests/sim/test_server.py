"""The simulator's code-served endpoints, asserted with plain HTTP (httpx) and on the request log."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest

from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.policy import FetchPolicy
from gxbg.kinds import ErrorKind, FetchResult
from gxbg.sim import Simulator, attachments, serve


@pytest.fixture(scope="module")
def full() -> Iterator[Simulator]:
    with serve(profile="full") as sim:
        yield sim


_CLIENT = httpx.Client(timeout=5, trust_env=False)  # one client: building one costs ~0.3 s


def _get(sim: Simulator, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return _CLIENT.get(sim.base_url + path, headers=headers)


def test_gkmlpt_page_zero_equals_page_one_and_urls_name_the_host(full: Simulator) -> None:
    api = "/gkmlpt-qu/gkmlpt/api/all/21000?sid=755999&page="
    zero, one, two = (_get(full, api + k).json() for k in "012")
    assert zero == one
    assert one["classify"]["post_count"] == 4
    assert [len(p["articles"]) for p in (one, two)] == [2, 2]
    assert {a["id"] for a in one["articles"]}.isdisjoint({a["id"] for a in two["articles"]})
    host = full.base_url.removeprefix("http://")
    assert all(a["url"].startswith(f"http://{host}/gkmlpt-qu/") for a in one["articles"] + two["articles"])
    alias = _get(full, api + "1", headers={"Host": "localhost:1"}).json()
    assert alias["articles"][0]["url"].startswith("http://localhost:1/")  # stored data is not rewritten
    assert _get(full, api + "1").json() == one


def test_gkmlpt_shell_is_html_with_the_tree(full: Simulator) -> None:
    resp = _get(full, "/gkmlpt-qu/gkmlpt/index")
    assert resp.headers["content-type"] == "text/html"
    assert "window._CONFIG" in resp.text
    assert '"name": "政府信息公开年报"' in resp.text


def test_downfile_answers_302_to_the_attach_pdf(full: Simulator) -> None:
    listing = _get(full, "/hanweb-old/art/2025/1/21/art_4321001_31000002.html").text
    start = listing.index("/hanweb-old/module/download/downfile.jsp")
    link = listing[start : listing.index('"', start)].replace("&amp;", "&")
    resp = _get(full, link)
    assert resp.status_code == 302
    assert resp.headers["location"].startswith("/hanweb-old/attach/0/")
    assert resp.headers["location"].endswith(".pdf")
    pdf = _get(full, resp.headers["location"])
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == attachments.case_file("js-huaian-2024")  # the CJK PDF fixture, as copied


def test_attachment_report_files_are_the_fixtures_and_a_doc(full: Simulator) -> None:
    """The files behind the attachment reports: the case's PDF/DOCX where the manifest says it
    parses, a Word 97 .doc and a scan where it does not."""
    docx = _get(full, "/trs-table/zfxxgk/zfxxgknb/202501/P020250124600000000001.docx")
    assert docx.content == attachments.fixture("hongze-2024.docx")
    doc = _get(full, "/trs-pages/zwgk/zfxxgknb/202101/P020210128512345678901.doc")
    assert (doc.headers["content-type"], doc.content) == ("application/msword", attachments.DOC_OLE2)
    scan = _get(full, "/govcn-bu/zfxxgk/zfxxgknb/202001/P020200120575593646209.pdf")
    assert scan.content == attachments.fixture("scanned.pdf")
    parses = {(s.name, e.case_id) for s in full.seeds for e in s.expected if e.parses}
    assert parses == {
        ("trs-pages", "js-huaian-2024"),
        ("trs-table", "js-hongze-2024"),
        ("hanweb-jsonp", "js-huaian-2024"),
        ("epoint", "js-huaian-2024"),
    }
    unparsable = {(s.name, e.case_id) for s in full.seeds for e in s.expected if e.kind == "attachment"}
    assert unparsable - parses == {("trs-pages", "tj-ningyuan-2020"), ("govcn", "ha-longting-2019")}


def test_old_dataproxy_answers_jsonp_with_tr_records(full: Simulator) -> None:
    resp = _CLIENT.post(
        full.base_url + "/hanweb-old/module/jpage/dataproxy.jsp?startrecord=2&endrecord=4&perpage=1",
        data={"col": "1", "columnid": "4321001"},
    )
    assert resp.text.startswith("raw(")
    assert resp.text.endswith(")")
    xml = json.loads(resp.text[4:-1])["result"]
    assert "<totalrecord>5</totalrecord>" in xml
    assert xml.count("<record>") == 3
    assert "<tr><td><a href=" in xml


def test_ilist_pages_by_cur_page_and_404_past_the_end(full: Simulator) -> None:
    base = "/ilist-xian/info/iList.jsp?node_id=GKdemo&site_id=CMSdemo&cat_id=16001&cur_page="
    bodies = [_get(full, base + str(k)) for k in (1, 2, 3, 4)]
    assert [b.status_code for b in bodies] == [200, 200, 200, 404]
    assert b"charset=gbk" in bodies[0].content
    assert "共 3 页".encode("gbk") in bodies[0].content


def test_legacy_pages_declare_charset_in_meta_only(full: Simulator) -> None:
    resp = _get(full, "/trs-table/zfxxgk/zfxxgknb/index_2.shtml")
    assert resp.headers["content-type"] == "text/html"
    assert b"charset=gb2312" in resp.content
    assert "政府信息公开年报".encode("gb2312") in resp.content


def test_trs_stub_page_is_about_360_bytes(full: Simulator) -> None:
    resp = _get(full, "/trs-pages/zwgk/zfxxgknb/index_2.html")
    assert resp.status_code == 200
    assert 300 <= len(resp.content) <= 400


def _fetch(sim: Simulator, path: str, retries: int = 0) -> FetchResult:
    policy = FetchPolicy(delay=0, jitter=0, backoff=0, allow_private=True, obey_robots=False, retries=retries)

    async def run() -> FetchResult:
        async with Fetcher(policy) as fetcher:
            return await fetcher.fetch(sim.base_url + path)

    return asyncio.run(run())


def test_fault_endpoints_are_mounted_in_the_full_profile(full: Simulator) -> None:
    assert full.faults is not None
    burst = _fetch(full, "/fault/burst/2/sim-burst", retries=2)
    assert burst.ok
    assert burst.attempts == 3
    assert full.faults.count("/fault/burst/2/sim-burst") == 3
    challenge = _fetch(full, "/fault/challenge/rs412")
    assert (challenge.status, challenge.error) == (412, ErrorKind.BLOCKED)
    assert _fetch(full, "/fault/moved").final_url == full.base_url + "/"
    logged = [r.path for r in full.requests_to("main") if r.path.startswith("/fault/")]
    assert logged.count("/fault/burst/2/sim-burst") == 3  # the simulator's own log sees them too


def test_fault_endpoints_absent_from_the_demo_profile() -> None:
    with serve(profile="demo") as sim:
        assert sim.faults is None
        assert _get(sim, "/fault/ok").status_code == 404
