"""English keys → Chinese surface forms (data only; report-format.md is the glossary).

Everything Chinese the parsers match lives here, keyed by English concept; parsers compile these
patterns at import time.  Patterns are matched against *compacted* text: NFKC-normalised, with all
whitespace removed (labels arrive spaced out: ``商业 企业``, ``结 果 维 持``).
"""

from __future__ import annotations

from typing import Final

# ---------------------------------------------------------------- sections (report-format.md §3)
#: Heading keywords per section key, matched after the ordinal ``一、`` … ``六、`` at line start.
SECTION_HEADINGS: Final[dict[str, str]] = {
    "overview": r"总体(?:公开工作)?情况|总体情况",
    "proactive": r"主动公开政府信息(?:情况)?",
    "requests": r"收到和处理政府信息公开申请|依申请公开",
    "appeals": r"(?:政府信息公开)?行政.{0,2}复议.{0,3}行政诉讼",  # typos seen: 行政法复议
    "problems": r"(?:存在的?主要问题|存在问题|主要问题).{0,4}改进",
    "other": r"其他需要报告的?事项",
}
SECTION_ORDINALS: Final[tuple[str, ...]] = ("一", "二", "三", "四", "五", "六")
#: Free-form pre-2019 reports (report-format.md §8) number their parts freely (舒兰 2016 has seven:
#: 概述 … 收费及减免 … 其他需要报告的事项): a short line ``一、`` … ``十、`` naming one of these is a heading.
#: Tried in this order (a 复议/诉讼 heading also names 申请), each key after the previous heading's.
SECTION_HEADINGS_PRE2019: Final[tuple[tuple[str, str], ...]] = (
    ("appeals", r"复议|诉讼"),
    ("problems", r"问题|改进"),
    ("other", r"其他"),
    ("overview", r"概述|概况|总体情况|基本情况"),
    ("proactive", r"主动公开"),
    ("requests", r"依申请公开|公开申请|申请公开"),
)
PRE2019_ORDINALS: Final = "一二三四五六七八九十"

# ---------------------------------------------------------------- format detection (§2)
MARKERS_2021: Final[tuple[str, ...]] = (
    "逾期不补正",
    "缴纳费用",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
)
MARKERS_2019: Final[tuple[str, ...]] = (
    "本年新制作数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "政府集中采购",
)
#: Shared markers of a 2019/2021 statistical form (a 第二十条 block or the 勾稽 note).
MARKERS_FORM: Final[tuple[str, ...]] = ("第二十条第", "本列数据的勾稽关系")

# ---------------------------------------------------------------- 表三 (§5)
REQUEST_COLUMNS: Final[tuple[str, ...]] = (
    "natural_person",
    "business",
    "research",
    "nonprofit",
    "legal_service",
    "other_org",
    "total",
)
#: The 表三 column header words (compacted), one per column of ``REQUEST_COLUMNS``, in order.
REQUEST_HEADER_WORDS: Final[tuple[str, ...]] = (
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)
SUBTOTAL_COLUMN: Final = "organization_subtotal"
SUBTOTAL_HEADER: Final = r"小计"
HEADER_BUSINESS: Final = r"商业企业"
HEADER_OTHER_ORG: Final = r"其他"

#: Leaf-row label patterns (searched in one compacted cell or token).  Order is the printed order.
#: Each is a distinctive part of its label's first words, so a label cut short by a converter
#: (``7.属于行政执法``, ``4.保护第三方合法``) still names its row.
REQUEST_ROWS_HEAD: Final[tuple[tuple[str, str], ...]] = (
    ("received", r"本年新收"),
    ("carried_in", r"上年结转"),
    ("disclosed", r"予以公开"),
    ("partly_disclosed", r"部分公开"),
    ("withheld.state_secret", r"国家秘密"),
    ("withheld.prohibited_by_law", r"其他法律行政"),
    ("withheld.endangers_security_stability", r"三安全"),
    ("withheld.third_party_rights", r"第三方合法"),
    ("withheld.internal_affairs", r"三类内部事务"),
    ("withheld.deliberative_process", r"四类过程"),
    ("withheld.enforcement_files", r"属于行政执法|行政执法案卷"),
    ("withheld.query_matters", r"行政查询"),
    ("unavailable.not_held", r"不掌握相关"),
    ("unavailable.requires_creation", r"另行制作|没有现成信息"),
    ("unavailable.still_unclear", r"补正后申请|仍不明确"),
    ("not_processed.petition_or_complaint", r"信访举报"),
    ("not_processed.duplicate", r"^\d?[.、]?重复申请"),
    ("not_processed.published_material", r"要求提供公开|公开出版"),
    ("not_processed.abusive_repetition", r"大量反复"),
    ("not_processed.reconfirmation", r"要求行政机关确认"),
)
#: （六）其他处理 as one leaf row (2019 form, and 2021 tables printed with a single row).
REQUEST_ROW_OTHER_SINGLE: Final[tuple[str, str]] = ("other_handling", r"^\(六\)其他处理$")
#: （六）其他处理 as three leaf rows (2021 form).
REQUEST_ROWS_OTHER_SPLIT: Final[tuple[tuple[str, str], ...]] = (
    ("other_handling.overdue_correction", r"逾期不补|无正当理由逾期"),
    ("other_handling.overdue_fee", r"逾期未按收费|缴纳费用"),
    ("other_handling.other", r"^3[.、]?其他$"),
)
REQUEST_ROWS_TAIL: Final[tuple[tuple[str, str], ...]] = (
    ("total", r"^\(?七\)?总计"),
    ("carried_out", r"结转下年度"),
)
#: Group cells that carry no numbers (they break runs, they are not rows).
REQUEST_GROUPS: Final = r"本年度办理结果|^\(三\)不予公开$|^\(四\)无法提供$|^\(五\)不予处理$|^\(六\)其他处理$"

#: A group cell at the start of a flattened row (compacted), before the row's own label.
REQUEST_GROUP_PREFIX: Final = (
    r"(?:[一二三四]、)?本年度办理结果|\([三四五六]\)(?:不予公开|无法提供|不予处理|其他处理)"
)

# ---------------------------------------------------------------- 表四 (§6)
APPEAL_GROUPS: Final[tuple[str, ...]] = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLUMNS: Final[tuple[str, ...]] = ("upheld", "corrected", "other", "pending", "total")
#: 表四's column header words (compacted), one per column of ``APPEAL_COLUMNS``, in order.
APPEAL_HEADER_WORDS: Final[tuple[str, ...]] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
#: 表四's header words (compacted text), which find the table when its heading is misprinted.
APPEAL_HEADER: Final = r"结果维持|结果纠正|尚未审结"

# ---------------------------------------------------------------- 表二 (§4)
#: Block ordinal (the X of 第二十条第（X）项) → rows (key, label pattern) and columns (key, kind).
#: kind: ``count``, ``signed`` (本年增/减) or ``amount`` (money, with a unit).
PROACTIVE_2021: Final[dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]] = {
    "一": (
        (("rules", r"^规章$"), ("normative_docs", r"规范性文件$")),
        (("issued", "count"), ("repealed", "count"), ("in_force", "count")),
    ),
    "五": ((("licensing", r"^行政许可$"),), (("decisions", "count"),)),
    "六": ((("penalties", r"^行政处罚$"), ("coercion", r"^行政强制$")), (("decisions", "count"),)),
    "八": ((("fees", r"^行政事业性收费$"),), (("amount_10k_yuan", "amount"),)),
}
PROACTIVE_2019: Final[dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]] = {
    "一": (
        (("rules", r"^规章$"), ("normative_docs", r"规范性文件$")),
        (("made", "count"), ("published", "count"), ("public_total", "count")),
    ),
    "五": (
        (("licensing", r"^行政许可$"), ("other_admin_services", r"^其他对外管理服务事项$")),
        (("prior_items", "count"), ("items_change", "signed"), ("decisions", "count")),
    ),
    "六": (
        (("penalties", r"^行政处罚$"), ("coercion", r"^行政强制$")),
        (("prior_items", "count"), ("items_change", "signed"), ("decisions", "count")),
    ),
    "八": ((("fees", r"^行政事业性收费$"),), (("prior_items", "count"), ("items_change", "signed"))),
    "九": ((("procurement", r"^政府集中采购$"),), (("items", "count"), ("amount", "amount"))),
}
#: 表二 row labels (compacted) the 2021 form prints and the 2019 form does not (report-format.md §7:
#: 2019's 规范性文件 became 行政规范性文件): evidence of the form when no column header word is printed.
PROACTIVE_LABELS_2021: Final[tuple[str, ...]] = ("行政规范性文件",)
PROACTIVE_BLOCK: Final = r"第二十条第\(([一二三四五六七八九十]+)\)项"
#: Units a money cell or its header can print.  ``(单位:万元`` in a header sets the column's unit.
UNITS: Final[tuple[str, ...]] = ("万元", "元")
HEADER_UNIT: Final = r"单位:?(万元|元)"
#: Fixed unit of a column whose key carries it (amount_10k_yuan).
COLUMN_UNITS: Final[dict[str, str]] = {"amount_10k_yuan": "万元"}

# ---------------------------------------------------------------- cells (§9)
NA_MARKS: Final[frozenset[str]] = frozenset({"/", "—", "–", "-", "--", "——", "―", "─"})
#: Words printed in a number cell instead of a number (meaning TEXT, value None).
TEXT_VALUES: Final[frozenset[str]] = frozenset({"无", "暂无", "空", "不适用", "未统计", "无数据"})

# ---------------------------------------------------------------- metadata
TITLE: Final = r"(\d{4})\s*年度?\s*(?:政府信息公开|政务公开|信息公开).{0,8}年度?报告"
STAT_PERIOD: Final = r"统计期限.{0,6}?(\d{4})年1月1日"
AUTHOR: Final = r"本报告由(.{2,40}?)(?:根据|依据|按照|编制)"
DATE: Final = r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"
YEAR_IN_TEXT: Final = r"(20\d{2})年"

# ---------------------------------------------------------------- narrative figures (§10.3 text vs table)
#: key → patterns whose first group is the figure.  Matched on one compacted paragraph at a time.
NARRATIVE: Final[dict[str, tuple[str, ...]]] = {
    "received": (
        r"(?:新收到|新收|收到|受理|接到|接收)(?:政府信息公开|依申请公开|信息公开)?申请(?:共计?|总数为?)?(\d+)(?:件|条|个|份)",
        r"(?:新收到|收到|受理|接到)(?:依申请公开事项|政府信息公开申请事项)(\d+)(?:件|条|个)",
        r"(?:共计?|共)(?:收到|受理|接到)(?:政府信息公开|依申请公开)?申请(\d+)(?:件|条|个)",
    ),
    "carried_in": (r"上年度?结转(?:政府信息公开)?申请(\d+)件",),
    "total": (r"(?:答复|办结)(\d+)件",),
    "carried_out": (r"结转(?:至|到)?下年度(?:继续办理)?(\d+)件", r"(\d+)件(?:结转|顺延)(?:至|到)下年度"),
    "review": (r"行政复议(\d+)(?:起|件|宗)",),
    "litigation": (r"行政诉讼(\d+)(?:起|件|宗)",),
}
#: Scope of each narrative key in the tables: (table, row, col) summed.
NARRATIVE_TARGETS: Final[dict[str, tuple[tuple[str, str, str], ...]]] = {
    "received": (("requests", "received", "total"),),
    "carried_in": (("requests", "carried_in", "total"),),
    "total": (("requests", "total", "total"),),
    "carried_out": (("requests", "carried_out", "total"),),
    "review": (("appeals", "review", "total"),),
    "litigation": (
        ("appeals", "litigation_direct", "total"),
        ("appeals", "litigation_after_review", "total"),
    ),
}
# ---------------------------------------------------------------- pre-2019 headline figures (§8)
#: key → patterns whose first group is the figure, matched on the compacted prose of a free-form report.
#: Order of keys is the JSON order.  A statement that none occurred reads as 0 (``HEADLINE_NONE``).
_NONE_PREFIX: Final = (
    r"(?:未发生|没有发生|未出现|没有出现|未收到|没有收到|未有|无)(?:因|针对|涉及)?(?:政府信息公开|信息公开)?"
    r"(?:工作|申请)?(?:而|被)?(?:提起|申请|引起|引发|产生)?的?"
)
HEADLINE: Final[dict[str, tuple[str, ...]]] = {
    "requests_received": (
        r"(?:受理|收到|接到|接收)(?:各类)?(?:政府信息公开|依申请公开|信息公开)?的?申请(?:共计?|总数为?|合计|总计)?"
        r"(\d+)(?:件|条|个|份|宗|次)",
        r"(?:受理|收到|接到)依申请公开(?:政府信息)?(?:事项|申请)?(\d+)(?:件|条|个)",
    ),
    "proactive_published": (
        r"主动公开(?:各类政府|各类|政府)?信息(?:共计?|总数为?|总计|合计)?(\d+)(?:条|件|项|篇)",
        r"(?:共|累计|全年)主动公开(?:各类)?(?:政府)?(?:信息)?(\d+)(?:条|件|项|篇)",
    ),
    "review": (r"(?:行政复议|复议申请)(?:案件)?共?(\d+)(?:起|件|宗|次)",),
    "litigation": (r"行政诉讼(?:案件)?共?(\d+)(?:起|件|宗|次)",),
}
#: key → patterns of a statement that none occurred (the figure is then 0).
HEADLINE_NONE: Final[dict[str, tuple[str, ...]]] = {
    "review": (_NONE_PREFIX + r"行政复议",),
    "litigation": (_NONE_PREFIX + r"(?:行政复议(?:和|或者|或|、|及)?(?:提起)?)?行政诉讼",),
}

# ---------------------------------------------------------------- quality rules (§10.3)
#: Section 六 says no fees of any kind — or no 行政事业性收费 — were charged (未收取任何费用).  A
#: statement about the 信息处理费 alone does not count: that is a different fee from 表二's
#: 行政事业性收费 amount (js-hongze-2023: 7730万元 of 行政事业性收费 and 信息处理费 0元, both true).
NO_FEES: Final = (
    r"(?:未|没有|不)(?:收取|收缴|产生|发生)(?:任何|过)?(?:行政事业性)?(?:收费|费用)"
    r"|(?:行政事业性收费|各项收费)(?:为|共计?|合计)?(?:0(?:\.0+)?(?:万元|元)|零元?|为零)"
)
#: KIROGOVCOMPARE's limits on cells printed without a number (blank, ``/``, text): UNCERTAIN up to the
#: limit, FAIL above it.
EMPTY_CELLS_LIMIT: Final[dict[str, int]] = {"requests": 10, "appeals": 5}

#: Section 五 printed as empty.
#: What the body of a free-form (pre-2019) report talks about.  A text with a report title but no
#: section headings, no 表三 and fewer than two of these terms is not a report (a maintenance notice,
#: a "see the attachment" stub): tests/cases/synthetic-title-only-notice.
REPORT_BODY_TERMS: Final[tuple[str, ...]] = (
    "主动公开",
    "依申请",
    "公开申请",
    "行政复议",
    "行政诉讼",
    "收费",
    "公开指南",
    "公开目录",
    "不予公开",
    "信息公开工作",
)
REPORT_BODY_MIN_TERMS: Final = 2

EMPTY_SECTION: Final = r"^(?:无|暂无|没有|无\.|无。)?$"

# ---------------------------------------------------------------- noise
PAGE_NUMBER: Final = r"^\s*[-—–]\s*\d{1,3}\s*[-—–]\s*$|^\s*第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?\s*$"
BOOKMARK: Final = r"\[bookmark:[^\]]*\]"
