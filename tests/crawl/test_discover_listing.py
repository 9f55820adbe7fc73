# ruff: noqa: E501  (fixture HTML reads better unwrapped)
"""Listing parsers, pager variables, canonical URLs and the scope rule (pure, no server)."""

from __future__ import annotations

import pytest

from gxbg.crawl.discover import canonical, column_links, detail_title, in_scope, parse_listing

BASE = "http://www.demo-xian.gov.cn/zwgk/zfxxgknb/index.html"


def test_trs_list_reads_title_attribute_and_create_page_html() -> None:
    html = (
        '<html><body><ul class="list"><li><a href="./202401/t20240129_1.html" title="示例县2023年政府信息公开工作年度报告">'
        "示例县2023年政府信息公开…</a><span>2024-01-29</span></li></ul>"
        '<div class="page"><script>var currentPage = 0;var countPage = 3//共多少页\n'
        'createPageHTML(countPage, currentPage, "index", "html");</script></div></body></html>'
    )
    listing = parse_listing(html, BASE)
    assert [(i.title, i.published) for i in listing.items] == [
        ("示例县2023年政府信息公开工作年度报告", "2024-01-29")
    ]
    assert [p.url for p in listing.pages] == [
        "http://www.demo-xian.gov.cn/zwgk/zfxxgknb/index_1.html",
        "http://www.demo-xian.gov.cn/zwgk/zfxxgknb/index_2.html",
    ]


def test_hanweb_island_yields_records_and_dataproxy_posts() -> None:
    html = (
        '<div id="1"><script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2024/1/29/art_1_2.html" '
        'title="示例县2023年政府信息公开工作年度报告">x</a><span>2024-01-29</span></li>]]></record></recordset></datastore></script></div>'
        "<script>$('#1').jpage({totalRecord:5, perPage:1, proxyUrl:'/module/web/jpage/dataproxy.jsp', groupSize:1,"
        " ajaxParam:{ col:1, webid:3, columnid:1, unitid:7 } });</script>"
    )
    listing = parse_listing(html, "http://www.demo-xian.gov.cn/col/col1/index.html")
    assert [i.url for i in listing.items] == ["http://www.demo-xian.gov.cn/art/2024/1/29/art_1_2.html"]
    assert listing.pages[0].method == "POST"
    assert listing.pages[0].url.endswith("dataproxy.jsp?startrecord=2&endrecord=4&perpage=1")
    assert dict(listing.pages[0].data)["columnid"] == "1"


def test_dataproxy_jsonp_with_split_dates() -> None:
    body = 'raw({"result":"<datastore><recordset><record><![CDATA[<li><a href=\\"/art/a.html\\" title=\\"示例县2018年政府信息公开工作年度报告\\">t</a><span>\\n 2019-\\n 03-\\n 01\\n</span></li>]]></record></recordset></datastore>"})'
    listing = parse_listing(body, "http://www.demo-xian.gov.cn/module/jpage/dataproxy.jsp")
    assert [(i.title, i.published) for i in listing.items] == [
        ("示例县2018年政府信息公开工作年度报告", "2019-03-01")
    ]


def test_gkmlpt_json_pages_from_post_count() -> None:
    body = '{"classify":{"id":2,"post_count":5},"articles":[{"title":"示例区2023年政府信息公开工作年度报告","url":"/gkmlpt/content/1/1/post_1.html","created_at":"2024-01-29 10:00:00"},{"title":"b","url":"/b.html"}]}'
    listing = parse_listing(body, "http://www.demo-qu.gov.cn/gkmlpt/api/all/2?page=1&sid=7")
    assert listing.items[0].published == "2024-01-29"
    assert [p.url.split("?")[1] for p in listing.pages] == ["page=2&sid=7", "page=3&sid=7"]


def test_openness_page_n_and_ilist_cur_page() -> None:
    html = '<ul><li><a href="/x.html" title="t">t</a></li></ul><div class="pagination"><a href="page_2.html">下一页</a><a href="page_4.html">尾页</a></div>'
    urls = {
        p.url.rsplit("/", 1)[1]
        for p in parse_listing(html, "http://a.gov.cn/OpennessContent/showList/1/2/page_1.html").pages
    }
    assert {"page_2.html", "page_3.html", "page_4.html"} <= urls
    ilist = '<div class="page">共 3 页 <a href="iList.jsp?cat_id=1&cur_page=2">下一页</a></div>'
    pages = {p.url for p in parse_listing(ilist, "http://a.gov.cn/info/iList.jsp?cat_id=1&cur_page=1").pages}
    assert "http://a.gov.cn/info/iList.jsp?cat_id=1&cur_page=3" in pages


def test_year_landing_gives_subcolumns_not_items() -> None:
    html = '<div class="gknb-years"><ul><li><a href="./gknb2023/">2023年政府信息公开工作年度报告</a></li></ul></div>'
    listing = parse_listing(html, BASE)
    assert listing.items == ()
    assert listing.subcolumns == ("http://www.demo-xian.gov.cn/zwgk/zfxxgknb/gknb2023/",)


def test_column_links_by_anchor_text() -> None:
    html = '<a href="/a/">政府信息公开指南</a><a href="/zfxxgk_1/zfxxgknb82/">政府信息公开年报</a><a href="/x.html">示例县2023年政府信息公开工作年度报告</a>'
    assert column_links(html, BASE) == ["http://www.demo-xian.gov.cn/zfxxgk_1/zfxxgknb82/"]


def test_canonical_drops_wap_twin_and_fragment() -> None:
    assert canonical("http://a.gov.cn/t1_wap.html") == canonical("http://a.gov.cn/t1.html#x")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://zfxxgk.demo-xian.gov.cn/list.shtml", True),
        ("http://www.demo-shi.gov.cn/t.html", False),
        ("http://127.0.0.1/x", False),
        ("http://10.0.0.1/x", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
    ],
)
def test_scope(url: str, ok: bool) -> None:
    assert in_scope(url, BASE) is ok


def test_scope_ip_is_exact_host_and_port() -> None:
    assert in_scope("http://127.0.0.1:8000/b", "http://127.0.0.1:8000/a")
    assert not in_scope("http://127.0.0.1:8001/b", "http://127.0.0.1:8000/a")
    assert in_scope("http://mirror.example.org/b", BASE, frozenset({"mirror.example.org"}))


def test_table_list_without_title_takes_anchor_text_and_row_date() -> None:
    html = (
        '<table class="gl_list"><tr><td><a href="./202101/t20210125_501.shtml">示例县2020年政府信息公开工作年度报告</a></td>'
        '<td>2021.01.25</td></tr>\n<tr><td><a href="./202102/t1.shtml">示例县2020年政府信息公开工作年度…</a></td><td>2021/02/20</td></tr></table>'
    )
    listing = parse_listing(html, "http://www.demo-xian.gov.cn/zfxxgknb/index.shtml")
    assert [(i.title, i.published) for i in listing.items] == [
        ("示例县2020年政府信息公开工作年度报告", "2021-01-25"),
        ("示例县2020年政府信息公开工作年度...", "2021-02-20"),
    ]


def test_ul_list_does_not_borrow_a_sibling_items_date() -> None:
    html = '<ul class="list"><li><a href="/a.html" title="t">t</a></li><li><a href="/b.html">u</a><span>2024-01-02</span></li></ul>'
    assert [i.published for i in parse_listing(html, BASE).items] == [None, "2024-01-02"]


@pytest.mark.parametrize(
    ("name", "pager", "expected"),
    [
        # Kunming: index.shtml, then index_2 … index_N (1-based)
        ("index.shtml", '<div class="page">共3页 <a href="index_2.shtml">下一页</a><a href="index_3.shtml">尾页</a></div>',
         ["index_2.shtml", "index_3.shtml"]),
        # gov.cn: home_0 … home_{N-1}; 共2页 must not invent home_2
        ("home_0.htm", '<div class="pages">共2页 <a href="home_1.htm">下一页</a><a href="home_1.htm">尾页</a></div>', ["home_1.htm"]),
        # TRS links with a 共N页 total: index_1 … index_{N-1}
        ("index.html", '<div class="page">共4页 <a href="index_1.html">下一页</a></div>',
         ["index_1.html", "index_2.html", "index_3.html"]),
        # Shanghai jQuery pager: index_2 … index_N
        ("index.html", '<script>$("#p").pagination({totalPage: 3, currentPage: 1});</script>', ["index_2.html", "index_3.html"]),
    ],
)  # fmt: skip
def test_numbered_path_pagers(name: str, pager: str, expected: list[str]) -> None:
    url = f"http://www.demo-xian.gov.cn/zfxxgknb/{name}"
    pages = [p.url.rsplit("/", 1)[1] for p in parse_listing(f"<html><body>{pager}</body></html>", url).pages]
    assert sorted(set(pages)) == expected


def test_item_list_named_nav_is_not_chrome() -> None:
    html = (
        '<div class="nav"><ul><li><a href="/zwgk/">政务公开</a></li></ul></div>'
        '<ul class="clearfix xxgk_nav_list"><li class="clearfix"><a class="title" href="/OpennessContent/show/1.html" '
        'title="示例县2023年政府信息公开工作年度报告">示例县2023年政府信息公开工作年度报告</a><span class="date">2024-01-31</span></li></ul>'
    )
    listing = parse_listing(html, "http://a.gov.cn/OpennessContent/showList/1/2/page_1.html")
    assert [i.url for i in listing.items] == ["http://a.gov.cn/OpennessContent/show/1.html"]


def test_hanweb_jsonp_tr_records() -> None:
    record = '<tr><td><a href=\\"/art/2024/1/26/art_9_1.html\\" title=\\"示例市2023年政府信息公开工作年度报告\\">x</a></td><td>\\n 2024-\\n 01-\\n 26</td></tr>'
    body = f'raw({{"result":"<datastore><recordset><record><![CDATA[{record}]]></record></recordset></datastore>"}})'
    listing = parse_listing(body, "http://www.demo-shi.gov.cn/module/jpage/dataproxy.jsp")
    assert [(i.url, i.published) for i in listing.items] == [
        ("http://www.demo-shi.gov.cn/art/2024/1/26/art_9_1.html", "2024-01-26")
    ]


def test_detail_title_prefers_article_title_meta_then_headings() -> None:
    assert detail_title(
        '<meta name="ArticleTitle" content="示例县2023年政府信息公开工作年度报告"><h1>别的</h1>'
    ) == ("示例县2023年政府信息公开工作年度报告")
    assert detail_title("<html><body><h2>示例区2023年政府信息公开工作年度报告</h2></body></html>") == (
        "示例区2023年政府信息公开工作年度报告"
    )
    assert detail_title("<html><head><title>示例县2020年考核结果_政府信息公开年报</title></head></html>") == (
        "示例县2020年考核结果"
    )
    assert detail_title("") is None
