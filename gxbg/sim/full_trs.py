# ruff: noqa: E501  (templates and fixture data read better unwrapped)
"""Full-profile static-list portals: TRS 3-page list (fixture 2), TRS table variant (fixture 3), gov.cn (G).

portals.md §11 fixtures 2 and 3 and archetype G.  Each function lays out one portal with
:class:`~gxbg.sim.generate.Builder` and registers its seed with the reports a crawl must find
(and nothing else: the notices, readings, news and cross-host items stay out).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from gxbg.sim import attachments, pages
from gxbg.sim.generate import FULL, NEWS, NOTICE, OTHER, READING, expect
from gxbg.sim.render import report_body

if TYPE_CHECKING:
    from gxbg.sim.cases import ReportSpec
    from gxbg.sim.generate import Builder

#: A TRS deep page that is a stub (~360 bytes, almost no text): the fetcher must mark it, not parse it.
STUB_PAGE = (
    '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
    "<title></title></head><body>\n"
    '<div class="xxgk_wrap"><ul class="list"></ul></div>\n'
    '<script type="text/javascript">var currentPage = 2;var countPage = 0;</script>\n'
    '<script src="/images/page.js"></script>\n<!-- ' + "-" * 40 + " -->\n</body></html>\n"
)


def _attachment_body(title: str, href: str, name: str) -> str:
    """A detail body that only points to the report file (TRS ``insertfileTag``)."""
    return (
        f'<p style="text-indent:2em;">现将《{escape(title)}》予以公布，全文见附件。</p>\n'
        f'<p class="insertfileTag"><a appendix="true" href="{href}" title="{escape(name)}" '
        f'OLDSRC="/protect/P0/{href.rsplit("/", 1)[-1]}">{escape(name)}</a></p>'
    )


def trs_pages(b: Builder, c: dict[str, ReportSpec]) -> None:
    """Fixture 2: 3-page TRS list, page 3 a stub; cross-host item, 图片版 image-only item, a CJK PDF report
    (``insertfileTag`` → ``./P0….pdf``), a .doc report, _wap twin."""
    col = "/trs-pages/zwgk/zfxxgknb"
    cq, huaian, tj = c["cq-nanbin-2024"], c["js-huaian-2024"], c["tj-ningyuan-2020"]
    image_title = "示例县人民政府2023年政府信息公开工作年度报告（图片版）"
    b.put(
        f"{col}/202501/t20250116_3001.html",
        pages.trs_detail(cq.title, cq.agency, cq.published, report_body(cq)),
    )
    pdf = "P020250121538216409771.pdf"  # the CJK PDF of the case: parses to its numbers
    b.put_bytes(f"{col}/202501/{pdf}", attachments.case_file(huaian.case_id))
    b.put(
        f"{col}/202501/t20250121_3002.html",
        pages.trs_detail(huaian.title, huaian.agency, huaian.published,
                         _attachment_body(huaian.title, f"./{pdf}", f"{huaian.title}.pdf")),
    )  # fmt: skip
    scan = "W020240130384729182736.jpg"
    b.put_bytes(f"{col}/202401/{scan}", attachments.JPEG_1X1)
    b.put(
        f"{col}/202401/t20240130_2801.html",
        pages.trs_detail(image_title, "示例县人民政府办公室", "2024-01-30",
                         f'<p style="text-align:center;"><img src="./{scan}" border="0" alt=""></p>'),
    )  # fmt: skip
    doc = "P020210128512345678901.doc"  # a Word 97 file: downloaded, never parsed (skipped)
    b.put_bytes(f"{col}/202101/{doc}", attachments.DOC_OLE2)
    b.put(
        f"{col}/202101/t20210128_1201.html",
        pages.trs_detail(
            tj.title, tj.agency, tj.published, _attachment_body(tj.title, f"./{doc}", f"{tj.title}.doc")
        ),
    )
    for slug, title, date in (
        ("202412/t20241208_2950", NEWS, "2024-12-08"),
        ("202103/t20210305_1101", NOTICE.format(y=2021), "2021-03-05"),
        ("202102/t20210202_1250", READING.format(y=2020), "2021-02-02"),
    ):
        b.put(
            f"{col}/{slug}.html",
            pages.trs_detail(title, "示例县人民政府办公室", date, pages.notice_body(title)),
        )
    page0 = [
        ("./202501/t20250116_3001.html", cq.title, cq.published),
        ("./202412/t20241208_2950.html", NEWS, "2024-12-08"),
        (
            f"{OTHER}/trs-city/zwgk/zfxxgknb/202501/t20250125_88123.html",
            "示例市2024年政府信息公开工作年度报告",
            "2025-01-25",
        ),
        ("./202501/t20250121_3002.html", huaian.title, huaian.published),
        ("./202401/t20240130_2801.html", image_title, "2024-01-30"),
    ]
    page1 = [
        ("./202103/t20210305_1101.html", NOTICE.format(y=2021), "2021-03-05"),
        ("./202101/t20210128_1201.html", tj.title, tj.published),
        ("./202102/t20210202_1250.html", READING.format(y=2020), "2021-02-02"),
        ("./202101/t20210128_1201_wap.html", tj.title, tj.published),
    ]
    for k, items in enumerate((page0, page1)):
        body = pages.li_items(items, truncate=18) + pages.trs_pager(3, k)
        b.put(
            f"{col}/{'index' if k == 0 else f'index_{k}'}.html",
            pages.page("政府信息公开年报_示例县人民政府", body, column="政府信息公开年报"),
        )
    b.put(f"{col}/index_2.html", STUB_PAGE)
    b.seed(FULL, "trs-pages", "A", f"{col}/index.html", [
        expect(cq), expect(huaian, kind="attachment", parses=True),
        expect(None, title=image_title, year=2023, agency="示例县人民政府", kind="image_only"),
        expect(tj, kind="attachment"),
    ])  # fmt: skip


def trs_table(b: Builder, c: dict[str, ReportSpec]) -> None:
    """Fixture 3: table list without ``title``, GB2312 in <meta> only, .shtml, pages index / index_2 / index_3.

    Two anchors are truncated without a ``title`` attribute: one is a report (confirmed from the
    detail page's title), one is a 考核 notice (rejected after the detail page); a third truncated
    notice (工作要…) cannot be a report and is never fetched.
    """
    col, enc = "/trs-table/zfxxgk/zfxxgknb", "gb2312"
    sd, ha, hz, nx = (
        c["sd-sunjiatuan-2020"],
        c["ha-longting-2019"],
        c["js-hongze-2024"],
        c["nx-yinchuan-shizheng-2020"],
    )
    appraisal = "示例县2020年政府信息公开工作年度考核结果"
    points = "示例县2021年政府信息公开工作要点"
    for spec, slug in (
        (sd, "202101/t20210125_501"),
        (ha, "202001/t20200120_401"),
        (nx, "202101/t20210129_502"),
    ):
        b.put(
            f"{col}/{slug}.shtml",
            pages.trs_detail(spec.title, spec.agency, spec.published, report_body(spec), charset=enc),
            enc,
        )
    docx = "P020250124600000000001.docx"  # the case's DOCX (merged-cell tables): parses to its numbers
    b.put_bytes(f"{col}/202501/{docx}", attachments.case_file(hz.case_id))
    b.put(
        f"{col}/202501/t20250124_601.shtml",
        pages.trs_detail(
            hz.title,
            hz.agency,
            hz.published,
            _attachment_body(hz.title, f"./{docx}", f"{hz.title}.docx"),
            charset=enc,
        ),
        enc,
    )
    for slug, title, date in (
        ("202102/t20210220_520", appraisal, "2021-02-20"),
        ("202103/t20210301_530", points, "2021-03-01"),
    ):
        b.put(
            f"{col}/{slug}.shtml",
            pages.trs_detail(title, "示例县人民政府办公室", date, pages.notice_body(title), charset=enc),
            enc,
        )
    rows = [
        [
            ("./202101/t20210125_501.shtml", sd.title, "2021.01.25"),
            ("./202103/t20210301_530.shtml", points[:-1] + "…", "2021.03.01"),
            ("./202001/t20200120_401.shtml", ha.title[: ha.title.index("信息公开") + 4] + "…", "2020.01.20"),
        ],
        [
            ("./202501/t20250124_601.shtml", hz.title, hz.published.replace("-", ".")),
            ("./202102/t20210220_520.shtml", appraisal[: appraisal.index("考核")] + "…", "2021.02.20"),
        ],
        [
            ("./202101/t20210129_502.shtml", nx.title, "2021.01.29"),
            (
                "./202012/t20201201_510.shtml",
                "示例县人民政府办公室关于2020年政务公开工作的通知",
                "2020.12.01",
            ),
        ],
    ]
    names = ["index.shtml", "index_2.shtml", "index_3.shtml"]
    for k, items in enumerate(rows):
        links = [f'<a href="{names[0]}">首页</a>']
        if k + 1 < len(names):
            links.append(f'<a href="{names[k + 1]}">下一页</a>')
        links.append(f'<a href="{names[-1]}">尾页</a>')
        pager = f'<div class="page">共{len(names)}页 ' + " ".join(links) + "</div>"
        b.put(
            f"{col}/{names[k]}",
            pages.page(
                "政府信息公开年报", pages.table_items(items) + pager, charset=enc, column="政府信息公开年报"
            ),
            enc,
        )
    b.seed(FULL, "trs-table", "A", f"{col}/index.shtml",
           [expect(sd), expect(ha), expect(hz, kind="attachment", parses=True), expect(nx)])  # fmt: skip


def govcn_detail(title: str, agency: str, date: str, body: str) -> str:
    """Archetype G template A: the ``table.bd1`` label table, body in ``#UCAP-CONTENT .pages_content``."""
    y, m, d = date.split("-")
    table = (
        '<table class="bd1"><tr><td><b>索 引 号：</b></td><td>000014349/'
        + y
        + "-00012</td><td><b>主题分类：</b></td><td>综合政务\\其他</td></tr>\n"
        f"<tr><td><b>发文机关：</b></td><td>{escape(agency)}</td><td><b>成文日期：</b></td><td>{y}年{m}月{d}日</td></tr>\n"
        f'<tr><td><b>标　　题：</b></td><td colspan="3">{escape(title)}</td></tr>\n'
        f"<tr><td><b>发文字号：</b></td><td></td><td><b>发布日期：</b></td><td>{y}年{m}月{d}日</td></tr></table>"
    )
    main = f'{table}\n<div id="UCAP-CONTENT"><div class="pages_content">\n{body}\n</div></div>'
    return pages.page(
        f"{title}_政府信息公开", main, head=f'<meta name="ArticleTitle" content="{escape(title)}">\n'
    )


def govcn(b: Builder, c: dict[str, ReportSpec]) -> None:
    """Archetype G: ``home_0.htm`` / ``home_1.htm`` list (pager as UI text), template-A details, a ./P0….pdf
    that is a scan (no text layer)."""
    col = "/govcn-bu/zfxxgk/zfxxgknb"
    hz, ha, tj = c["js-hongze-2024"], c["ha-longting-2019"], c["tj-ningyuan-2020"]
    b.put(f"{col}/202501/content_7001.htm", govcn_detail(hz.title, hz.agency, hz.published, report_body(hz)))
    b.put(
        f"{col}/202101/content_6500.htm",
        govcn_detail(tj.title, tj.agency, tj.published, report_body(tj, noise=True)),
    )
    pdf = "P020200120575593646209.pdf"
    b.put_bytes(f"{col}/202001/{pdf}", attachments.fixture("scanned.pdf"))  # no text layer: skipped
    b.put(
        f"{col}/202001/content_6001.htm",
        govcn_detail(
            ha.title,
            ha.agency,
            ha.published,
            f'<p>{escape(ha.title)}全文见附件。</p><a href="./{pdf}">{escape(ha.title)}.pdf</a>',
        ),
    )
    points = "示例部关于印发2024年政务公开工作要点的通知"
    b.put(
        f"{col}/202403/content_6950.htm",
        govcn_detail(points, "示例部办公厅", "2024-03-01", pages.notice_body(points)),
    )
    lists = [
        [
            ("./202501/content_7001.htm", hz.title, hz.published),
            ("./202403/content_6950.htm", points, "2024-03-01"),
        ],
        [
            ("./202101/content_6500.htm", tj.title, tj.published),
            ("./202001/content_6001.htm", ha.title, ha.published),
        ],
    ]
    for k, items in enumerate(lists):
        rows = "".join(
            f'<li><a href="{h}" target="_blank">{escape(t)}</a><span class="date">{d}</span></li>\n'
            for h, t, d in items
        )
        nxt = (
            '<a href="home_1.htm">下一页</a> <a href="home_1.htm">尾页</a>'
            if k == 0
            else '<a href="home_0.htm">首页</a>'
        )
        body = f'<div class="list"><ul>\n{rows}</ul></div>\n<div class="pages">共2页 {nxt}</div>'
        b.put(f"{col}/home_{k}.htm", pages.page("政府信息公开年报", body, column="政府信息公开年报"))
    b.seed(FULL, "govcn", "G", f"{col}/home_0.htm", [expect(hz), expect(tj), expect(ha, kind="attachment")])
