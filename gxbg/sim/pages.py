# ruff: noqa: E501  (templates and fixture data read better unwrapped)
"""HTML templates for simulated portal pages: chrome, list pages and detail pages per archetype.

Synthetic markup after portals.md §10 (structure only).  Every function returns ``str``; the
generator encodes it (UTF-8 or GBK) and writes it under ``gxbg/sim/sites/``.
"""

from __future__ import annotations

from html import escape

CHROME_TOP = (
    '<div class="header"><a href="#">繁體版</a> | <a href="#">无障碍</a> | <a href="#">长者版</a></div>'
    '<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开</div>'
)
CHROME_BOTTOM = (
    '<div class="footer">主办：示例县人民政府办公室 ICP备案 京ICP备00000000号 网站标识码5100000000</div>'
)


def page(title: str, body: str, *, charset: str = "utf-8", column: str | None = None, head: str = "") -> str:
    """A whole page with the charset declared in ``<meta http-equiv>`` only (never in HTTP)."""
    meta_col = f'<meta name="ColumnName" content="{escape(column)}">\n' if column else ""
    return (
        "<!DOCTYPE html>\n<html><head>\n"
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        f"{meta_col}{head}<title>{escape(title)}</title>\n</head><body>\n"
        f"{CHROME_TOP}\n{body}\n{CHROME_BOTTOM}\n</body></html>\n"
    )


def nav(links: list[tuple[str, str]]) -> str:
    return (
        '<div class="nav"><ul>' + "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in links) + "</ul></div>"
    )


def li_items(items: list[tuple[str, str, str]], *, truncate: int = 0) -> str:
    """TRS ``<li><a title>…</a><span>date</span></li>``; anchor text cut to ``truncate`` chars + …"""
    out = []
    for href, title, date in items:
        text = title[:truncate] + "…" if truncate and len(title) > truncate else title
        out.append(
            f'<li><a href="{href}" title="{escape(title)}" target="_blank">{escape(text)}</a><span>{date}</span></li>'
        )
    return '<ul class="list">\n' + "\n".join(out) + "\n</ul>"


def table_items(items: list[tuple[str, str, str]]) -> str:
    """The 恩格贝-style table list: no ``title`` attribute, date in its own cell."""
    rows = "".join(f'<tr><td><a href="{h}">{escape(t)}</a></td><td>{d}</td></tr>\n' for h, t, d in items)
    return f'<table class="gl_list">\n{rows}</table>'


def eportal_items(items: list[tuple[str, str, str]]) -> str:
    """Beijing eportal list: ``<li><span>[date]</span><a href title>``."""
    rows = "".join(
        f'<li><span>[{d}]</span><a href="{h}" title="{escape(t)}">{escape(t)}</a></li>\n' for h, t, d in items
    )
    return f'<ul class="list">\n{rows}</ul>'


def trs_pager(count: int, current: int, name: str = "index", ext: str = "html") -> str:
    return (
        '<div class="page"><script type="text/javascript">\n'
        f"var currentPage = {current};//所在页从0开始\nvar countPage = {count}//共多少页\n"
        f'createPageHTML(countPage, currentPage, "{name}", "{ext}");\n</script></div>'
    )


def metadata_table(title: str, agency: str, date: str, index_no: str) -> str:
    return (
        '<table class="xxgk_table">\n'
        f"<tr><th>索&nbsp;引&nbsp;号：</th><td>{index_no}</td><th>分　　类：</th><td>政府信息公开年报</td></tr>\n"
        f"<tr><th>发布机构：</th><td>{escape(agency)}</td><th>成文日期：</th><td>{date}</td></tr>\n"
        f'<tr><th>标　　题：</th><td colspan="3">{escape(title)}</td></tr>\n'
        f"<tr><th>文　　号：</th><td></td><th>发布日期：</th><td>{date}</td></tr>\n</table>"
    )


def trs_detail(title: str, agency: str, date: str, body: str, *, charset: str = "utf-8") -> str:
    """Archetype A detail: head meta, xxgk table, ``#UCAP-CONTENT`` > TRS container, tool chrome."""
    head = (
        f'<meta name="ArticleTitle" content="{escape(title)}">\n<meta name="PubDate" content="{date} 16:30">\n'
        f'<meta name="ContentSource" content="{escape(agency)}">\n'
    )
    main = (
        f"{metadata_table(title, agency, date, '11510000MB0000000X/' + date[:4] + '-00017')}\n"
        f'<div class="article"><h1>{escape(title)}</h1>\n'
        f'<div class="info">发布时间：{date} 16:30 来源：<script>document.write(\'<span class="cm-con">'
        f"{escape(agency)}</span>');</script> 【字号：大 中 小】</div>\n"
        '<div id="UCAP-CONTENT"><div class="view TRS_UEDITOR trs_paper_default trs_web">\n'
        f"{body}\n</div></div>\n"
        '<div class="tools">打印本页 关闭窗口 分享到：</div></div>'
    )
    return page(f"{title}_政府信息公开年报", main, charset=charset, column="政府信息公开年报", head=head)


def simple_detail(title: str, container: str, body: str, *, head: str = "", pre: str = "") -> str:
    """A detail page with ``<h1>`` and an arbitrary body container (``#zoom``, ``#ivs_content`` …)."""
    main = f"{pre}<h1>{escape(title)}</h1>\n<div {container}>\n{body}\n</div>"
    return page(title, main, head=head)


def notice_body(title: str) -> str:
    """A short non-report article (工作要点, 通知, 解读)."""
    return f"<p>{escape(title)}。</p><p>各乡镇人民政府、街道办事处，县政府各部门：现将有关事项通知如下，请认真贯彻落实。</p>"
