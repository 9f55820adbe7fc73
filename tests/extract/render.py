"""Re-render a parsed report's tables into every layout (test helper, Chinese labels as fixture data).

Layouts follow report-format.md §11: one cell per line (``x |``), whole rows (``a | b |`` with spanned
group labels repeated, as gxbg.extract.htmlgrid writes them), tab-indented DOCX text, PDF-like plain text, and
an HTML page whose 表三 group cells carry rowspans.
"""

from __future__ import annotations

from html import escape

from gxbg.extract.model import AnnualReport, Cell, FormatVersion

LAYOUTS = ("pipe_cell", "pipe_row", "tabbed", "plain", "html")

ROW_LABELS = {
    "received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "disclosed": "(一)予以公开",
    "partly_disclosed": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "withheld.state_secret": "1.属于国家秘密",
    "withheld.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld.endangers_security_stability": "3.危及“三安全一稳定”",
    "withheld.third_party_rights": "4.保护第三方合法权益",
    "withheld.internal_affairs": "5.属于三类内部事务信息",
    "withheld.deliberative_process": "6.属于四类过程性信息",
    "withheld.enforcement_files": "7.属于行政执法案卷",
    "withheld.query_matters": "8.属于行政查询事项",
    "unavailable.not_held": "1.本机关不掌握相关政府信息",
    "unavailable.requires_creation": "2.没有现成信息需要另行制作",
    "unavailable.still_unclear": "3.补正后申请内容仍不明确",
    "not_processed.petition_or_complaint": "1.信访举报投诉类申请",
    "not_processed.duplicate": "2.重复申请",
    "not_processed.published_material": "3.要求提供公开出版物",
    "not_processed.abusive_repetition": "4.无正当理由大量反复申请",
    "not_processed.reconfirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_handling": "(六)其他处理",
    "other_handling.overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_handling.overdue_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_handling.other": "3.其他",
    "total": "(七)总计",
    "carried_out": "四、结转下年度继续办理",
}
GROUPS = {
    "withheld": "(三)不予公开",
    "unavailable": "(四)无法提供",
    "not_processed": "(五)不予处理",
    "other_handling": "(六)其他处理",
}
RESULTS = "三、本年度办理结果"
T3_HEADER = [
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
]
T4_HEADER = [
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "未经复议直接起诉",
]
PRO_ROWS = {
    "rules": "规章",
    "normative_docs": "规范性文件",
    "licensing": "行政许可",
    "other_admin_services": "其他对外管理服务事项",
    "penalties": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
PRO_BLOCKS = {
    FormatVersion.V2019: [
        ("一", ["rules", "normative_docs"], ["本年新制作数量", "本年新公开数量", "对外公开总数量"]),
        ("五", ["licensing", "other_admin_services"], ["上一年项目数量", "本年增/减", "处理决定数量"]),
        ("六", ["penalties", "coercion"], ["上一年项目数量", "本年增/减", "处理决定数量"]),
        ("八", ["fees"], ["上一年项目数量", "本年增/减"]),
        ("九", ["procurement"], ["采购项目数量", "采购总金额"]),
    ],
    FormatVersion.V2021: [
        ("一", ["rules", "normative_docs"], ["本年制发件数", "本年废止件数", "现行有效件数"]),
        ("五", ["licensing"], ["本年处理决定数量"]),
        ("六", ["penalties", "coercion"], ["本年处理决定数量"]),
        ("八", ["fees"], ["本年收费金额(单位:万元)"]),
    ],
}


def _raw(cell: Cell | None) -> str:
    if cell is None:
        return ""
    if cell.unit and cell.unit not in cell.raw and cell.col == "amount":
        return cell.raw + cell.unit
    return cell.raw


def _emit(layout: str, rows: list[tuple[list[str], list[str]]]) -> list[str]:
    out: list[str] = []
    for labels, values in rows:
        cells = labels + values
        if layout == "pipe_row":
            out.append(" | ".join(cells) + " |")
        elif layout == "pipe_cell":
            out.extend(f"{c} |" for c in cells if c or values)
        elif layout == "tabbed":
            out.extend("\t" + c for c in cells)
            out.append("")
        else:  # plain
            out.append(" ".join(c for c in cells if c))
    return out


def _html(rows: list[tuple[list[str], list[str]]], spans: list[list[int]] | None = None) -> str:
    trs = []
    for i, (labels, values) in enumerate(rows):
        tds = []
        for j, c in enumerate(labels):
            span = spans[i][j] if spans else 1
            if span == 0:
                continue
            attr = f' rowspan="{span}"' if span > 1 else ""
            tds.append(f"<td{attr}>{escape(c)}</td>")
        tds += [f"<td>{escape(v)}</td>" for v in values]
        trs.append("<tr>" + "".join(tds) + "</tr>")
    return "<table>" + "".join(trs) + "</table>"


def _proactive(report: AnnualReport) -> list[tuple[list[str], list[str]]]:
    rows: list[tuple[list[str], list[str]]] = []
    t = report.proactive
    assert t is not None
    cols_by_row: dict[str, list[Cell]] = {}
    for cell in t.cells:
        cols_by_row.setdefault(cell.row, []).append(cell)
    for ordinal, keys, headers in PRO_BLOCKS[report.format]:
        rows.append(([f"第二十条第({ordinal})项"], []))
        rows.append((["信息内容", *headers], []))
        for key in keys:
            if key in cols_by_row:
                rows.append(([PRO_ROWS[key]], [_raw(c) for c in cols_by_row[key]]))
    return rows


def _requests(
    report: AnnualReport, *, repeat_groups: bool
) -> tuple[list[tuple[list[str], list[str]]], list[list[int]]]:
    """Rows of 表三 and, for HTML, the rowspan of each label cell (0: covered by a span above)."""
    t = report.requests
    assert t is not None
    rows: list[tuple[list[str], list[str]]] = [(T3_HEADER[:2], []), (T3_HEADER[2:5], []), (T3_HEADER[5:], [])]
    spans: list[list[int]] = [[1, 1], [1, 1, 1], [1, 1, 1, 1, 1]]
    outcome_rows = [r for r in t.rows if r not in ("received", "carried_in", "carried_out")]
    seen_groups: set[str] = set()
    for i, key in enumerate(t.rows):
        values = [_raw(c) for c in t.grid[i]]
        group = key.split(".")[0] if "." in key else None
        if key in outcome_rows:
            first_outcome = key == outcome_rows[0]
            results = [RESULTS] if (repeat_groups or first_outcome) else [""]
            rspan = [len(outcome_rows) if first_outcome else 0]
            if group is not None:
                size = sum(1 for r in t.rows if r.startswith(group + "."))
                new = group not in seen_groups
                seen_groups.add(group)
                glabel = [GROUPS[group]] if (repeat_groups or new) else [""]
                rows.append((results + glabel + [ROW_LABELS[key]], values))
                spans.append([*rspan, size if new else 0, 1])
            else:
                rows.append(([*results, ROW_LABELS[key]], values))
                spans.append([*rspan, 1])
        else:
            rows.append(([ROW_LABELS[key]], values))
            spans.append([1])
    return rows, spans


def _appeals(report: AnnualReport) -> list[tuple[list[str], list[str]]]:
    a = report.appeals
    assert a is not None
    return [(T4_HEADER, []), ([], [_raw(c) for row in a.grid for c in row])]


def render(report: AnnualReport, layout: str) -> str:
    """The report's tables in ``layout``, inside the six section headings."""
    head = ["测试机关2020年政府信息公开工作年度报告", "一、总体情况", "概述。", "二、主动公开政府信息情况"]
    mid3 = ["三、收到和处理政府信息公开申请情况"]
    mid4 = ["四、政府信息公开行政复议、行政诉讼情况"]
    tail = ["五、存在的主要问题及改进情况", "存在问题。", "六、其他需要报告的事项", "无。"]
    if layout == "html":
        req, spans = _requests(report, repeat_groups=False)
        parts = [f"<p>{escape(x)}</p>" for x in head]
        parts.append(_html(_proactive(report)))
        parts += [f"<p>{escape(x)}</p>" for x in mid3]
        parts.append(_html(req, spans))
        parts += [f"<p>{escape(x)}</p>" for x in mid4]
        parts.append(_html(_appeals(report)))
        parts += [f"<p>{escape(x)}</p>" for x in tail]
        return "<html><body>" + "".join(parts) + "</body></html>"
    req, _ = _requests(report, repeat_groups=layout == "pipe_row")
    lines = head + _emit(layout, _proactive(report)) + mid3 + _emit(layout, req) + mid4
    lines += _emit(layout, _appeals(report)) + tail
    return "\n".join(lines) + "\n"
