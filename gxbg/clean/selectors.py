"""Where report bodies, site metadata, chrome and attachments live on portal pages: data only.

Selectors are a CSS subset (:mod:`gxbg.clean.select`), ordered by preference, after portals.md §4-§5.
Chinese strings here are page vocabulary; the code in this package reads them by English name.
No logic.
"""

from __future__ import annotations

from gxbg import kinds

#: Report body containers, most specific and most frequent first (portals.md §5).  CSS subset, see
#: :mod:`gxbg.clean.select`.
CONTAINERS: tuple[str, ...] = (
    "div.TRS_Editor",
    "div.trs_editor_view",
    "div.TRS_UEDITOR",
    "#ivs_content",
    ".Article_content",
    ".j-fontContent",
    ".article-content",
    "#zoom",
    "#Zoom",
    ".main-txt",
    ".bt-content",
    ".pages_content",
    "#UCAP-CONTENT",
    "section > article",
    "#webeditorview",
    ".zc_article_con",
    ".xxgk_content",
    ".zw-content",
    ".news_cont_d_wrap",
    "div.Custom_UnionStyle",
    "div.TRS_PreAppend",
)

#: Elements the fallback scorer considers as a report body.
CANDIDATES: tuple[str, ...] = ("div", "section", "article", "td", "main")

#: Site metadata blocks (portals.md §5: xxgk tables, iList ``#attribute``, OpennessContent): read for
#: title/publisher/date, and removed from the body when they sit inside the container.
METADATA_BLOCKS: tuple[str, ...] = ("#attribute", ".xxgk_table", ".content-table", ".table_suoyin")
#: Label/value lists (Suzhou ``dl``, Wuhan ``li``): read only, never removed (report lists look alike).
METADATA_LISTS: tuple[str, ...] = ("dl", "ul")

#: Places outside the body where attachment links sit (相关附件 blocks, iList attribute bar).
ATTACHMENT_AREAS: tuple[str, ...] = (".fj", "#attribute", ".insertfileTag", ".attachment", ".xgfj")

#: Metadata label (whitespace and the trailing colon removed) -> the field it fills.  Within a field,
#: the earlier label wins: a 发布日期 beats a 成文日期.
METADATA_LABELS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "名称", "信息名称", "文件名称"),
    "publisher": ("发布机构", "发文机关", "发布单位", "信息来源", "来源"),
    "published": ("发布日期", "发布时间", "公开日期", "发文日期", "生成日期", "成文日期"),
}
#: Labels that only site metadata tables carry (two of them make a table "metadata").
METADATA_ONLY_LABELS = frozenset(
    {
        "索引号",
        "分类",
        "组配分类",
        "主题分类",
        "发布机构",
        "发文机关",
        "成文日期",
        "发文日期",
        "生成日期",
        "发布日期",
        "文号",
        "发文字号",
        "发布文号",
        "文件编号",
        "主题词",
        "关键词",
        "公开方式",
        "信息来源",
        "主题导航",
        "信息名称",
        "内容概述",
        "标题",
        "名称",
        "有效性",
        "时效",
    }
)

#: Head <meta name=…> tags (portals.md §5).
META_TITLE = "articletitle"
META_PUBLISHED = "pubdate"
META_PUBLISHER = "contentsource"

#: A table holding any of these is a report table, never site metadata (portals.md §5).
REPORT_TABLE_KEYWORDS = ("第二十条", "本年新收", "行政复议")

#: The report title and the six section headings (report-format.md §3), for the fallback scorer.
REPORT_TITLE_PATTERN = r"政府信息公开.{0,6}年度?报告|信息公开工作年报"
SECTION_HEADINGS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)
#: Navigation and page-chrome terms the scorer counts against a candidate (KIROGOVCOMPARE).
NAV_TERMS = (
    "繁體版",
    "无障碍",
    "首页",
    "当前位置",
    "打印",
    "网站地图",
    "ICP备",
    "版权所有",
    "主办单位",
    "网站标识码",
)

#: A short non-table line matching one of these is page chrome, not report text (portals.md §7).
CHROME_PATTERNS = (
    r"字号[:：]?\s*[【\[(（]?\s*大\s*[|｜]?\s*中\s*[|｜]?\s*小",
    r"[【\[]\s*(?:打印|关闭|字体|收藏)",
    r"打印本页|打印此页|打印文章|关闭窗口|关闭本页|分享到|扫一扫|当前位置[:：]|您现在的位置|您当前的位置",
    r"返回顶部|上一篇[:：]|下一篇[:：]|浏览次数|阅读次数|访问次数|视力保护色|加入收藏|收藏本页",
)
#: Lines longer than this are never treated as chrome (chrome is short; report paragraphs are not).
CHROME_MAX_CHARS = 120

#: CSS and Office residue that leaks as text when a <style> or mso comment is mangled (portals.md §7):
#: ``.TRS_Editor P{…}``, full-width ``．TRS＿Editor Ｐ｛…｝``, ``Normal 0 7.8 磅 0 2 false …``.
LEAK_PATTERNS = (
    r"[A-Za-z0-9_.#*,:>\-\s＿．Ａ-Ｚａ-ｚ０-９]*[{｛][^{}｛｝]*[:：][^{}｛｝]*[}｝]",
    r"Normal\s+\d+\s+[\d.]+\s*磅.*?MicrosoftInternetExplorer4",
    r"(?:false\s+){2,}(?:MicrosoftInternetExplorer4)?",
)

#: Attachment file types (portals.md §6.2) and download gateways.
ATTACHMENT_EXTENSIONS = kinds.ATTACHMENT_EXTENSIONS
ATTACHMENT_GATEWAYS = ("downfile.jsp", "/attachment/", "download.jsp")
#: Words around an attachment link that are not report text.
ATTACHMENT_WORDS = r"(?:相关)?附件(?:下载)?[:：]?|下载|点击|查看|详见|全文|原文"

#: SPA shells whose body arrives later by XHR (portals.md §6.4).
SHELL_MARKERS = (
    r"new\s+CMS\(",
    r"var\s+siteInfo\s*=",
    r"info_spnContent",
    r"<div\s+id=[\"']app[\"']\s*>\s*</div>",
)
#: gkmlpt pages carry the page's data in this script object.
GKMLPT_CONFIG = "window._CONFIG"

#: Images this small (width or height attribute) are icons, not report pages.
ICON_MAX_PX = 48
