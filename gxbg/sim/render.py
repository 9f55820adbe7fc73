# ruff: noqa: E501  (templates and fixture data read better unwrapped)
"""Render a :class:`~gxbg.sim.cases.ReportSpec` as report HTML with the official table geometry.

Tables follow report-format.md §4-§6 / portals.md §10.T: 表二 4 columns with block title rows,
表三 3 label + 7 number columns with the 3-row header and rowspan groups (2019: 三 rowspan 20 and a
single （六）其他处理 row; 2021: rowspan 22), 表四 one row of 15 values under a 3-row header.  A
blank cell stays blank (``&nbsp;``) and a printed 0 stays 0.  ``noise`` adds the Word/TRS
leftovers of portals.md §7 (spans around digits, ``<o:p>``, an mso comment, an inline style).
"""

from __future__ import annotations

from html import escape

from gxbg.sim.cases import ReportSpec

_P2_BLOCKS_2021 = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), (("规章", "rules"), ("行政规范性文件", "normative_docs"))),
    ("第二十条第（五）项", ("本年处理决定数量",), (("行政许可", "licensing"),)),
    ("第二十条第（六）项", ("本年处理决定数量",), (("行政处罚", "penalties"), ("行政强制", "coercion"))),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("行政事业性收费", "fees"),)),
)  # fmt: skip
_THREE_2019 = ("上一年项目数量", "本年增/减", "处理决定数量")
_P2_BLOCKS_2019 = (
    ("第二十条第（一）项", ("本年新<br />制作数量", "本年新<br />公开数量", "对外公开总数量"), (("规章", "rules"), ("规范性文件", "normative_docs"))),
    ("第二十条第（五）项", _THREE_2019, (("行政许可", "licensing"), ("其他对外管理服务事项", "other_admin_services"))),
    ("第二十条第（六）项", _THREE_2019, (("行政处罚", "penalties"), ("行政强制", "coercion"))),
    ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), (("行政事业性收费", "fees"),)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额"), (("政府集中采购", "procurement"),)),
)  # fmt: skip

_GROUPS = (
    ("（三）不予公开", "withheld", ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
     "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")),
    ("（四）无法提供", "unavailable", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
    ("（五）不予处理", "not_processed", ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
     "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息")),
)  # fmt: skip
_SUBKEYS = {
    "withheld": ("state_secret", "prohibited_by_law", "endangers_security_stability", "third_party_rights",
                 "internal_affairs", "deliberative_process", "enforcement_files", "query_matters"),
    "unavailable": ("not_held", "requires_creation", "still_unclear"),
    "not_processed": ("petition_or_complaint", "duplicate", "published_material", "abusive_repetition",
                      "reconfirmation"),
    "other_handling": ("overdue_correction", "overdue_fee", "other"),
}  # fmt: skip
_OTHER_2021 = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)


def _cell(value: str | None, *, noise: bool, colspan: int = 1) -> str:
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    if value is None:
        return f'<td{span} nowrap="nowrap"><p align="center">&nbsp;</p></td>'
    text = escape(value)
    if noise:
        text = f'<span lang="EN-US" style="font-size:10.5pt;font-family:\'Times New Roman\'">{text}</span>'
    return f'<td{span} nowrap="nowrap" style="width:56px;"><p align="center">{text}</p></td>'


def _label(text: str, *, colspan: int = 1, rowspan: int = 1) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (
        f' rowspan="{rowspan}"' if rowspan > 1 else ""
    )
    return f"<td{attrs}><p>{text}</p></td>"


def proactive_table(spec: ReportSpec, *, noise: bool = False) -> str:
    """表二 in the spec's format (4 grid columns)."""
    blocks = _P2_BLOCKS_2021 if spec.table_format == "2021" else _P2_BLOCKS_2019
    rows: list[str] = []
    for heading, columns, items in blocks:
        rows.append(f'<tr><td colspan="4" style="width:559px;"><p align="center">{heading}</p></td></tr>')
        widths = [1] * len(columns)
        widths[-1] = 4 - len(columns)
        head = "".join(
            _label(f'<span align="center">{c}</span>', colspan=w)
            for c, w in zip(columns, widths, strict=True)
        )
        rows.append(f"<tr>{_label('信息内容')}{head}</tr>")
        for label, key in items:
            values = spec.proactive[key]
            cells = "".join(_cell(v, noise=noise, colspan=w) for v, w in zip(values, widths, strict=True))
            rows.append(f"<tr>{_label(label)}{cells}</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="0" align="center">\n' + "\n".join(rows) + "\n</table>"
    )


def _row7(spec: ReportSpec, key: str, *, noise: bool) -> str:
    return "".join(_cell(v, noise=noise) for v in spec.requests[key])


def requests_table(spec: ReportSpec, *, noise: bool = False) -> str:
    """表三: 3 label + 7 number columns, official rowspans; 2019 keeps a single （六） row."""
    fmt2021 = spec.requests_format == "2021"
    rows = [
        '<tr><td colspan="3" rowspan="3"><p align="center">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p></td>'
        '<td colspan="7"><p align="center">申请人情况</p></td></tr>',
        '<tr><td rowspan="2"><p align="center">自然人</p></td><td colspan="5"><p align="center">法人或其他组织</p></td>'
        '<td rowspan="2"><p align="center">总计</p></td></tr>',
        "<tr><td><p>商业<br />企业</p></td><td><p>科研<br />机构</p></td><td><p>社会公益<br />组织</p></td>"
        "<td><p>法律服务<br />机构</p></td><td><p>其他</p></td></tr>",
        f"<tr>{_label('一、本年新收政府信息公开申请数量', colspan=3)}{_row7(spec, 'received', noise=noise)}</tr>",
        f"<tr>{_label('二、上年结转政府信息公开申请数量', colspan=3)}{_row7(spec, 'carried_in', noise=noise)}</tr>",
        f"<tr>{_label('三、本年度办理结果', rowspan=22 if fmt2021 else 20)}{_label('（一）予以公开', colspan=2)}"
        f"{_row7(spec, 'disclosed', noise=noise)}</tr>",
        f"<tr>{_label('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', colspan=2)}"
        f"{_row7(spec, 'partly_disclosed', noise=noise)}</tr>",
    ]
    groups = list(_GROUPS)
    if fmt2021:
        groups.append(("（六）其他处理", "other_handling", _OTHER_2021))
    for heading, group, labels in groups:
        for index, (label, sub) in enumerate(zip(labels, _SUBKEYS[group], strict=True)):
            lead = _label(heading, rowspan=len(labels)) if index == 0 else ""
            rows.append(f"<tr>{lead}{_label(label)}{_row7(spec, f'{group}.{sub}', noise=noise)}</tr>")
    if not fmt2021:
        rows.append(
            f"<tr>{_label('（六）其他处理', colspan=2)}{_row7(spec, 'other_handling', noise=noise)}</tr>"
        )
    rows.append(f"<tr>{_label('（七）总计', colspan=2)}{_row7(spec, 'total', noise=noise)}</tr>")
    rows.append(
        f"<tr>{_label('四、结转下年度继续办理', colspan=3)}{_row7(spec, 'carried_out', noise=noise)}</tr>"
    )
    return '<table border="1" cellspacing="0" cellpadding="0">\n' + "\n".join(rows) + "\n</table>"


def appeals_table(spec: ReportSpec, *, noise: bool = False) -> str:
    """表四: 行政复议 (5) | 未经复议直接起诉 (5) | 复议后起诉 (5), one data row."""
    five = "".join(f"<td><p>{c}</p></td>" for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    review = "".join(
        f'<td rowspan="2"><p>{c}</p></td>' for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    )
    rows = [
        '<tr><td colspan="5"><p align="center">行政复议</p></td><td colspan="10"><p align="center">行政诉讼</p></td></tr>',
        f'<tr>{review}<td colspan="5"><p>未经复议直接起诉</p></td><td colspan="5"><p>复议后起诉</p></td></tr>',
        f"<tr>{five}{five}</tr>",
        "<tr>" + "".join(_cell(v, noise=noise) for v in spec.appeals) + "</tr>",
    ]
    return '<table border="1" cellspacing="0" cellpadding="0">\n' + "\n".join(rows) + "\n</table>"


def _paras(paragraphs: tuple[str, ...], *, noise: bool) -> str:
    tail = "<o:p></o:p>" if noise else ""
    return "\n".join(f'<p style="text-indent:2em;">{escape(p)}{tail}</p>' for p in paragraphs)


def report_body(spec: ReportSpec, *, noise: bool = False) -> str:
    """The report as it sits inside a portal's body container: headings, narrative and three tables."""
    parts = [
        '<style type="text/css">.TRS_Editor P{margin-top:0;font-family:宋体;font-size:12pt;}'
        ".TRS_Editor TD{margin-top:0;}</style>",
    ]
    if noise:
        parts.append(
            "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->"
        )
    parts += [
        f'<p align="center"><strong>{escape(spec.title)}</strong></p>',
        _paras(spec.intro, noise=noise),
        "<p><strong>一、总体情况</strong></p>",
        _paras(spec.sections["overview"], noise=noise),
        "<p><strong>二、主动公开政府信息情况</strong></p>",
        proactive_table(spec, noise=noise),
        "<p><strong>三、收到和处理政府信息公开申请情况</strong></p>",
        requests_table(spec, noise=noise),
        "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>",
        appeals_table(spec, noise=noise),
        "<p><strong>五、存在的主要问题及改进情况</strong></p>",
        _paras(spec.sections["problems"], noise=noise),
        "<p><strong>六、其他需要报告的事项</strong></p>",
        _paras(spec.sections["other"], noise=noise),
    ]
    return "\n".join(p for p in parts if p)
