"""Chinese surface forms and platform patterns discovery matches, keyed by English concept (data only).

Sources: portals.md §1-§3 (column anchor texts, pager words), §6 (title suffixes), §4.E/§10.E
(SPA shells and their JSON detail APIs).
"""

from __future__ import annotations

from dataclasses import dataclass

from gxbg import kinds

#: Anchor texts / ``<meta name="ColumnName">`` values naming the annual-report column.
REPORT_COLUMN = (
    "政府信息公开年报",
    "政府信息公开工作年度报告",
    "信息公开年度报告",
    "信息公开年报",
    "公开年报",
    "年度报告",
    "年报",
)
#: Navigation hops that lead towards the column (tried in this order).
DISCLOSURE_NAV = ("政府信息公开", "信息公开", "政务公开", "信息公开目录", "政府信息公开目录")
#: gkmlpt / JSON category names that are the report column.
REPORT_CATEGORY = REPORT_COLUMN

#: The core of a report title: 政府信息公开(工作)年度报告 and its short forms.
REPORT_TITLE_CORE = (
    r"政府信息公开(?:工作)?(?:年度)?(?:工作)?报告",
    r"政务公开(?:工作)?年度报告",
    r"信息公开(?:工作)?年度报告",
    r"政府信息公开年报",
    r"信息公开年报",
)
#: Full report cores, spelled out: a truncated title (``…信息公开工作年度报…``) must be a prefix of one.
REPORT_TITLE_FORMS = (
    "政府信息公开工作年度报告",
    "政府信息公开年度工作报告",
    "政府信息公开年度报告",
    "政府信息公开工作报告",
    "政府信息公开年报",
    "政务公开工作年度报告",
    "政务公开年度报告",
    "信息公开工作年度报告",
    "信息公开年度报告",
    "信息公开年报",
)
#: Words that make a title something else even when it names the report (a notice about it, a reading of it).
NOT_REPORT = (
    "解读",
    "通知",
    "工作要点",
    "要点",
    "推进会",
    "会议",
    "培训",
    "编制工作",
    "报送",
    "检查",
    "考核",
    "评估",
    "指南",
    "目录",
    "制度",
    "意见",
    "方案",
    "征求",
    "图解",
    "问答",
    "通报",
    "公告",
    "发布会",
)
#: Suffixes in brackets that keep a report a report.
REPORT_SUFFIXES = ("图片版", "超链版", "修订版", "更正版", "全文", "PDF版", "pdf版", "附件")

#: Pager link texts.
NEXT_PAGE = ("下一页", "下页", "后一页")
LAST_PAGE = ("尾页", "末页", "最后一页")
#: Markers in a detail page that say the report tables are inline.
REPORT_TABLE_MARKERS = ("本年新收", "第二十条", "行政复议", "收到和处理政府信息公开申请")
#: File extensions of report attachments (one list, shared with the cleaner).
ATTACHMENT_EXTENSIONS = kinds.ATTACHMENT_EXTENSIONS
#: Extensions of files downloaded as the report (spreadsheets, OFD and images never are).
REPORT_FILE_EXTENSIONS = (".pdf", ".docx", ".doc", ".wps")
#: Extensions of linked files that are never the report, even behind a download endpoint.
OTHER_FILE_EXTENSIONS = (".xls", ".xlsx", ".et", ".ofd", ".jpg", ".jpeg", ".png", ".gif", ".zip", ".rar")
#: Download endpoints whose URL carries no file extension (Hanweb ``downfile.jsp`` answers a 302).
DOWNLOAD_ENDPOINTS = ("downfile.jsp",)
#: Script extensions of dynamic pages: a link to one is a file only when its shown name says so.
DYNAMIC_PAGE_EXTENSIONS = (".jsp", ".do", ".action", ".asp", ".aspx", ".ashx", ".php")
#: Query parameters of download URLs carrying the file's shown name (Hanweb ``showname``).
FILE_NAME_PARAMS = ("showname", "filename", "fname", "name")
#: Words in a linked file's shown name saying it is the report (besides the title cores).
REPORT_FILE_NAMES = ("年度报告", "年报")


@dataclass(frozen=True, slots=True, kw_only=True)
class ShellPattern:
    """An SPA detail shell whose report arrives from a JSON API (read by :mod:`gxbg.crawl.shells`)."""

    name: str
    id_param: str  # query parameter of the shell URL naming the item
    markers: tuple[str, ...]  # every one appears in the shell's HTML
    base: str  # regex whose group 1 is the API's path prefix (the project name)
    endpoint: str  # the detail API's path, ``{base}`` filled in; POSTed as a form
    form_field: str  # the form field carrying ``{id_key: id}`` as JSON
    id_key: str
    status_path: tuple[str, ...]  # JSON keys down to the status flag …
    status_ok: tuple[str, ...]  # … and the values that mean "found"
    data_path: tuple[str, ...]  # JSON keys down to the detail record
    title_key: str
    content_key: str  # the report body as an HTML fragment
    date_key: str
    type_key: str
    file_types: tuple[str, ...]  # ``type_key`` values meaning "the report is the attached file"
    files_key: str  # the attached files: URLs, or objects whose values include the URL


#: Epoint (新点) WebBuilder ``showinfo.html?infoGuid=`` shells: portals.md §4.E, §10.E.
EPOINT_WEBBUILDER = ShellPattern(
    name="epoint-webbuilder",
    id_param="infoGuid",
    markers=("siteInfo", "projectName", "info_spnContent"),
    base=r"""projectName\s*:\s*["']([^"']*)["']""",
    endpoint="{base}/rest/frontAppNotNeedLoginAction/getGovInfoDetail",
    form_field="params",
    id_key="infoid",
    status_path=("custom", "status"),
    status_ok=("true", "True", "1"),
    data_path=("custom", "data"),
    title_key="title",
    content_key="infocontent",
    date_key="infodate",
    type_key="infotype",
    file_types=("pdf", "doc", "docx", "wps", "ofd"),
    files_key="pdflist",
)
#: Every SPA shell discovery resolves, tried in order.
SPA_SHELLS = (EPOINT_WEBBUILDER,)
