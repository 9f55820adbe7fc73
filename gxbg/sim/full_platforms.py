# ruff: noqa: E501  (templates and fixture data read better unwrapped)
"""Full-profile platform portals: Hanweb JSONP (B), gkmlpt (C), Shanghai (E), iList (F1), OpennessContent (F2).

portals.md §4 and §10.B/C/E/F.  List data the server answers from code (dataproxy, gkmlpt API,
iList pages) goes into ``Builder.dynamic``; everything else is a static file.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from typing import TYPE_CHECKING

from gxbg.sim import attachments, pages
from gxbg.sim.generate import FULL, NEWS, NOTICE, READING, expect
from gxbg.sim.render import report_body

if TYPE_CHECKING:
    from gxbg.sim.cases import ReportSpec
    from gxbg.sim.generate import Builder


def _hex(seed: str) -> str:
    return hashlib.md5(seed.encode()).hexdigest()  # an id, not security


def hanweb_jsonp(b: Builder, c: dict[str, ReportSpec]) -> None:
    """B, old installation: ``<tr>`` records, ``/module/jpage/dataproxy.jsp`` answering JSONP, a downfile.jsp PDF."""
    root, colid = "/hanweb-old", "4321001"
    hz, huaian, sd = c["js-hongze-2023"], c["js-huaian-2024"], c["sd-sunjiatuan-2020"]
    filename = _hex("hanweb-old/" + huaian.case_id) + ".pdf"
    b.put_bytes(f"{root}/attach/0/{filename}", attachments.case_file(huaian.case_id))
    rows: list[tuple[str, str, str]] = []
    for n, (spec, kind) in enumerate(((hz, "html"), (huaian, "pdf"), (sd, "html"))):
        y, m, d = spec.published.split("-")
        href = f"{root}/art/{y}/{int(m)}/{int(d)}/art_{colid}_{31000001 + n}.html"
        if kind == "pdf":
            link = f"{root}/module/download/downfile.jsp?classid=0&amp;filename={filename}&amp;showname={escape(spec.title)}.pdf"
            body = f'<p>{escape(spec.title)}全文见附件。</p><p>附件：<a href="{link}">{escape(spec.title)}.pdf</a></p>'
        else:
            body = report_body(spec)
        b.put(href, pages.simple_detail(spec.title, 'class="main-txt" id="zoom"', body))
        rows.append((href, spec.title, spec.published))
    for n, (title, date) in enumerate(((READING.format(y=2023), "2024-02-02"), (NEWS, "2024-03-08"))):
        y, m, d = date.split("-")
        href = f"{root}/art/{y}/{int(m)}/{int(d)}/art_{colid}_{32000001 + n}.html"
        b.put(href, pages.simple_detail(title, 'id="zoom"', pages.notice_body(title)))
        rows.insert(1 + 2 * n, (href, title, date))
    records = []
    for n, (href, title, date) in enumerate(rows):
        shown = (
            "\n".join(f" {p}-" for p in date.split("-")).rstrip("-") if n == 2 else date
        )  # split date (§10.B)
        records.append(
            f'<tr><td><a href="{href}" title="{title}" target="_blank">{title}</a></td><td class="bt-right">{shown}</td></tr>'
        )
    b.dynamic["jpage"][colid] = {"records": records, "jsonp": True}
    island = f"<record><![CDATA[\n{records[0]}\n]]></record>"
    body = (
        f'<div id="{colid}">\n<script type="text/xml">\n<datastore>\n<recordset>\n{island}\n</recordset>\n</datastore>\n</script>\n</div>\n'
        f"<script>$(document).ready(function(){{ $('#{colid}').jpage({{ dataStore: dataStore, dataBefore:'<table>', dataAfter:'</table>',\n"
        f"  totalRecord:{len(records)}, perPage:1, proxyUrl:'{root}/module/jpage/dataproxy.jsp', groupSize:3,\n"
        f"  ajaxParam:{{ col:1, appid:1, webid:12, path:'/', columnid:{colid}, sourceContentType:1, unitid:88001, webname:'示例市', permissiontype:0 }} }}); }});\n</script>"
    )
    b.put(f"{root}/col/col{colid}/index.html", pages.page("信息公开年报", body, column="信息公开年报"))
    b.seed(FULL, "hanweb-jsonp", "B", f"{root}/col/col{colid}/index.html",
           [expect(hz), expect(huaian, kind="attachment", parses=True), expect(sd)])  # fmt: skip


def _gkmlpt_content(spec: ReportSpec, post_id: int) -> str:
    """Server-rendered gkmlpt content page: 8-label header table, article, ``_CONFIG.DETAIL``."""
    body = report_body(spec)
    labels = (("索引号", f"114403000000000000/{spec.published[:4]}-00031"), ("分类", "政府信息公开年报"),
              ("发布机构", spec.agency), ("成文日期", spec.published), ("名称", spec.title), ("文号", ""),
              ("发布日期", spec.published), ("主题词", "年度报告"))  # fmt: skip
    cells = "".join(f"<tr><th>{k}：</th><td>{escape(v)}</td></tr>" for k, v in labels)
    detail = json.dumps({"id": post_id, "title": spec.title, "content": body}, ensure_ascii=False)
    detail = detail.replace("<", "\\u003C").replace(">", "\\u003E")
    main = (
        f'<div class="classify"><table class="table">{cells}</table></div>\n'
        f'<div class="content"><h1 class="title">{escape(spec.title)}</h1>\n<div class="article-content">\n{body}\n</div></div>\n'
        f"<script>window._CONFIG = {{ SID: '755999', DETAIL: {detail} }};</script>"
    )
    return pages.page(spec.title, main)


def gkmlpt(b: Builder, c: dict[str, ReportSpec]) -> None:
    """C: Vue shell with ``window._CONFIG`` TREE, JSON API (2 per page, page 0 == page 1), content pages."""
    root = "/gkmlpt-qu/gkmlpt"
    cq, hz = c["cq-nanbin-2024"], c["js-hongze-2024"]
    tree = [{"id": 21000, "name": "政府信息公开年报", "post_count": 4, "children": []},
            {"id": 21001, "name": "政策文件", "children": [{"id": 21002, "name": "规范性文件", "post_count": 96}]}]  # fmt: skip
    b.put(
        f"{root}/index",
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开</title>\n<script>\n'
        f"window._CONFIG = {{ SID: '755999', DOMAIN: 'www.demo-qu.gov.cn',\n  TREE: {json.dumps(tree, ensure_ascii=False)},\n  SERVICE_AREA_ID: 0 }};\n"
        '</script>\n<link href="/gkmlpt/gkml/pc/css/app.3f2a1b.css" rel="stylesheet"></head>\n'
        '<body><div id="app"></div><script src="/gkmlpt/gkml/pc/js/chunk-common.c1553651.js"></script></body></html>\n',
    )
    articles = []
    items: list[tuple[str, str, ReportSpec | None]] = [
        (cq.title, cq.published, cq), (READING.format(y=2024), "2025-01-20", None),
        (hz.title, hz.published, hz), (NOTICE.format(y=2025), "2025-02-10", None),
    ]  # fmt: skip
    for n, (title, date, spec) in enumerate(items):
        post_id = 11122233 + n
        path = f"{root}/content/11/11122/post_{post_id}.html"
        page = (
            _gkmlpt_content(spec, post_id)
            if spec
            else pages.simple_detail(title, 'class="article-content"', pages.notice_body(title))
        )
        b.put(path, page)
        articles.append({"id": post_id, "title": title, "url": f"http://__MAIN__{path}", "post_url": "",
                         "identifier": f"114403000000000000/{date[:4]}-000{n}", "document_number": "",
                         "publisher": spec.agency if spec else "深圳市示例区人民政府办公室", "keywords": "年度报告",
                         "created_at": f"{date} 10:00:00", "classify_main_name": "政府信息公开年报",
                         "attachment": [], "is_expired": 0, "is_abolished": 0})  # fmt: skip
    b.dynamic["gkmlpt"]["21000"] = {"name": "政府信息公开年报", "page_size": 2, "articles": articles}
    b.dynamic["gkmlpt"]["21002"] = {"name": "规范性文件", "page_size": 2, "articles": []}
    b.seed(FULL, "gkmlpt", "C", f"{root}/index", [expect(cq), expect(hz)])


def shanghai(b: Builder, c: dict[str, ReportSpec]) -> None:
    """E: ``/nw{N}/YYYYMMDD/{32hex}.html`` details (#ivs_content, 2019 Word noise), ``totalPage`` 1-based pager."""
    col = "/sh/nw12344"
    ha, nx = c["ha-longting-2019"], c["nx-yinchuan-shizheng-2020"]
    lists: list[list[tuple[str, str, str]]] = [[], []]
    entries: list[tuple[str, ReportSpec | None, str, int]] = [
        (ha.title, ha, ha.published, 0), (NOTICE.format(y=2020), None, "2020-03-02", 0), (nx.title, nx, nx.published, 1),
    ]  # fmt: skip
    for title, spec, date, k in entries:
        href = f"/sh/nw12344/{date.replace('-', '')}/{_hex('sh/' + title)}.html"
        inner = report_body(spec, noise=True) if spec else pages.notice_body(title)
        main = f'<div class="Article_title"><h2>{escape(title)}</h2></div>\n<div id="ivs_content" class="Article_content">\n{inner}\n</div>'
        b.put(href, pages.page(title, main))
        lists[k].append((href, title, date))
    for k, items in enumerate(lists):
        rows = "".join(
            f'<li><a href="{h}" title="{escape(t)}" target="_blank">{escape(t)}</a><span class="time">{d}</span></li>\n'
            for h, t, d in items
        )
        pager = f'<div id="pagination" class="pagination"></div>\n<script>$("#pagination").pagination({{totalPage: 2, currentPage: {k + 1}}});</script>'
        b.put(f"{col}/{'index' if k == 0 else 'index_2'}.html",
              pages.page("政府信息公开年报", f'<ul class="uli16 nowrapli">\n{rows}</ul>\n{pager}', column="政府信息公开年报"))  # fmt: skip
    b.seed(FULL, "shanghai", "E", f"{col}/index.html", [expect(ha), expect(nx)])


def ilist(b: Builder, c: dict[str, ReportSpec]) -> None:
    """F1: ``iList.jsp?…&cur_page=k`` (GBK, unverified but kept as a robustness case), ``<file href>`` attachment."""
    root, enc = "/ilist-xian/info", "gbk"
    query = "node_id=GKdemo&amp;site_id=CMSdemo&amp;cat_id=16001"
    huaian, tj, sd = c["js-huaian-2024"], c["tj-ningyuan-2020"], c["sd-sunjiatuan-2020"]
    lists: list[list[tuple[str, str, str]]] = [[], [], []]
    entries: list[tuple[str, ReportSpec | None, str, int]] = [
        (huaian.title, huaian, huaian.published, 0), (NOTICE.format(y=2025), None, "2025-03-01", 0),
        (tj.title, tj, tj.published, 1), (READING.format(y=2020), None, "2021-02-03", 1), (sd.title, sd, sd.published, 2),
    ]  # fmt: skip
    for n, (title, spec, date, k) in enumerate(entries):
        href = f"{root}/16001/{90123 + n}.htm"
        files = ""
        if spec is huaian:
            pdf = f"upload/{date.replace('-', '/')}/{90123 + n}.pdf"
            b.put_bytes(f"{root}/16001/{pdf}", attachments.pdf_bytes(title, huaian.case_id))
            files = f'<span class="gk fj">附件：<file href="{pdf}">{escape(title)}.pdf</file></span>'
        attrs = (f"<span>索引号：0000-{date[:4]}-00012</span><span>文号：</span><span>发布日期：{date}</span>"
                 f"<span>主题分类：政府信息公开年报</span><span>来源：{escape(spec.agency if spec else '示例县人民政府办公室')}</span>")  # fmt: skip
        inner = report_body(spec) if spec else pages.notice_body(title)
        main = f'<h1>{escape(title)}</h1>\n<div id="attribute">{attrs}\n{files}</div>\n<section><article>\n{inner}\n</article></section>'
        b.put(href, pages.page(title, main, charset=enc), enc)
        lists[k].append((href, title, date))
    for k, items in enumerate(lists):
        rows = "".join(
            f'<li><a href="{h}" title="{escape(t)}" target="_blank">{escape(t)}</a><span>{d}</span></li>\n'
            for h, t, d in items
        )
        nxt = f' <a href="iList.jsp?{query}&amp;cur_page={k + 2}">下一页</a>' if k + 1 < len(lists) else ""
        body = f'<div class="list_div"><ul>\n{rows}</ul><div class="page">共 {len(lists)} 页{nxt}</div></div>'
        static = f"{root}/list/cur_page_{k + 1}.html"
        b.put(static, pages.page("政府信息公开年报", body, charset=enc, column="政府信息公开年报"), enc)
        b.dynamic["ilist"][f"{root}/iList.jsp?cur_page={k + 1}"] = static
    b.seed(FULL, "ilist", "F", f"{root}/iList.jsp?{query.replace('&amp;', '&')}&cur_page=1",
           [expect(huaian), expect(tj), expect(sd)])  # fmt: skip


def openness(b: Builder, c: dict[str, ReportSpec]) -> None:
    """F2: ``/OpennessContent/showList/{a}/{b}/page_k.html``, body in the 内容概述 cell of a 10-field table."""
    root = "/openness/OpennessContent"
    hz, nx, cq = c["js-hongze-2023"], c["nx-yinchuan-shizheng-2020"], c["cq-nanbin-2024"]
    lists: list[list[tuple[str, str, str]]] = [[], [], []]
    entries: list[tuple[str, ReportSpec | None, str, int]] = [
        (hz.title, hz, hz.published, 0), (NEWS, None, "2024-03-08", 0),
        (nx.title, nx, nx.published, 1), (NOTICE.format(y=2021), None, "2021-03-05", 1), (cq.title, cq, cq.published, 2),
    ]  # fmt: skip
    for n, (title, spec, date, k) in enumerate(entries):
        href = f"{root}/show/{3392060 + n}.html"
        agency = spec.agency if spec else "示例县人民政府办公室"
        inner = report_body(spec) if spec else pages.notice_body(title)
        table = (
            '<table class="table_suoyin">\n'
            f"<tr><th>索引号</th><td>11341702MB00000000/{date[:4]}-0000{n}</td><th>组配分类</th><td>政府信息公开年报</td></tr>\n"
            f"<tr><th>发布机构</th><td>{escape(agency)}</td><th>发文日期</th><td>{date} 09:12</td></tr>\n"
            "<tr><th>发布文号</th><td></td><th>关键词</th><td>年报</td></tr>\n"
            f"<tr><th>信息来源</th><td>{escape(agency)}</td><th>主题导航</th><td>综合政务</td></tr>\n"
            f'<tr><th>信息名称</th><td colspan="3">{escape(title)}</td></tr>\n'
            f'<tr><th>内容概述</th><td colspan="3"><div class="j-fontContent">\n{inner}\n</div></td></tr>\n</table>'
        )
        b.put(href, pages.page(title, table))
        lists[k].append((href, title, date))
    for k, items in enumerate(lists):
        rows = "".join(
            f'<li class="clearfix"><a class="title" href="{h}" title="{escape(t)}">{escape(t)}</a><span class="date">{d}</span></li>\n'
            for h, t, d in items
        )
        nxt = f'<a href="page_{k + 2}.html">下一页</a>' if k + 1 < len(lists) else ""
        body = f'<ul class="clearfix xxgk_nav_list">\n{rows}</ul>\n<div class="pagination">{nxt}<a href="page_{len(lists)}.html">尾页</a></div>'
        b.put(
            f"{root}/showList/1234/56789/page_{k + 1}.html",
            pages.page("政府信息公开年报", body, column="政府信息公开年报"),
        )
    b.seed(
        FULL, "openness", "F", f"{root}/showList/1234/56789/page_1.html", [expect(hz), expect(nx), expect(cq)]
    )
