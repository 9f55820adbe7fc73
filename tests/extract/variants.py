"""Render a real case's 表三/表四 into the layouts issue 10 saw on real reports (test helper).

Each function takes a parsed report (one of ``tests/cases``) and returns a whole report text: the
case's own text before section 三 and after section 四, with sections 三 and 四 re-rendered in one
failure class of issue 10 — markdown from PDF converters (one small pipe table per row group, generic
headers, a wrong header row, 表四 as three tables, placeholder tables), mangled PDF-to-markdown (label-less
value rows with loose labels, group labels leaking into rows, a stray page number, a blank 总计 cell),
glued text dumps, Word-made HTML with a phantom column, and a heading with a typo.  The numbers are the
case's own (its ``expected.json``): a test compares what the extractor reads with them.
"""

from __future__ import annotations

from html import escape

from gxbg.extract.model import AnnualReport
from tests.extract.render import GROUPS, RESULTS, ROW_LABELS

HEAD3 = "三、收到和处理政府信息公开申请情况"
HEAD4 = "四、政府信息公开行政复议、行政诉讼情况"
HEAD5 = "五、存在的主要问题及改进情况"
T4_COLS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_GROUPS = ["行政复议", "未经复议直接起诉", "复议后起诉"]
T3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def t3_rows(report: AnnualReport) -> list[tuple[str, list[str]]]:
    """(row key, the 7 printed cells) in the form's order."""
    t = report.requests
    assert t is not None
    return [(key, [c.raw if c else "" for c in row]) for key, row in zip(t.rows, t.grid, strict=True)]


def t4_values(report: AnnualReport) -> list[str]:
    a = report.appeals
    assert a is not None
    return [c.raw for row in a.grid for c in row]


def splice(report: AnnualReport, middle: list[str], *, head3: str = HEAD3) -> str:
    """The report's text with everything from section 三's heading to section 五's replaced."""
    lines = report.source.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith(HEAD3))
    end = next(i for i, ln in enumerate(lines) if ln.startswith(HEAD5))
    return "\n".join([*lines[:start], head3, *middle, *lines[end:]])


def _md(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return [*out, ""]


def _group_of(key: str) -> str:
    return key.split(".")[0] if "." in key else key


def markdown_groups(report: AnnualReport) -> str:
    """One small pipe table per row group with generic headers (数据1 … 数据6 | 总计), one block under the
    wrong header row, labels cut short (``7.属于行政执法``, ``本年新收政府信息公``), 表四 as three tables,
    placeholder tables of ``-``; markdown headings (``## 三、…``)."""
    generic = ["类别", *(f"数据{i}" for i in range(1, 7)), "总计"]
    out: list[str] = ["", "申请人情况", ""]
    groups: dict[str, list[list[str]]] = {}
    for key, values in t3_rows(report):
        label = ROW_LABELS[key]
        if len(label) > 8:  # the converter cut every long label short
            label = label[: max(8, len(label) - 2)]
        if key == "received":
            label = "本年新收政府信息公"
        groups.setdefault(_group_of(key), []).append([label, *values])
    for n, (_, rows) in enumerate(groups.items()):
        header = ["类别", *T4_COLS, "", ""] if n == 3 else generic  # a block under the wrong header row
        out += _md(header, rows)
    out += _md(["-", "-", "-"], [["-", "-", "-"]])  # placeholder table
    out += ["## " + HEAD4, ""]
    values = t4_values(report)
    for g, name in enumerate(T4_GROUPS):
        out += [name, "", *_md(T4_COLS, [values[g * 5 : g * 5 + 5]])]
    out += _md(["-", "-", "-", "-"], [["-", "-", "-", "-"]])  # placeholder table after 表四
    return splice(report, out, head3="## " + HEAD3)


def mangled(report: AnnualReport) -> str:
    """PDF-to-markdown gone wrong: a column-numbering row under the header, every third row's values and
    the last row's with no label (the label a loose line before or after it), group labels leaking
    into rows (9-10 cells), a stray page number, 表四's header split over lines; the 总计 of the first
    row left blank (so that row's 总计 must stay blank)."""
    out: list[str] = ["| (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |"]
    out.append("| " + " | ".join(T3_COLS) + " |")
    out.append("| 1 | 2 | 3 | 4 | 5 | 6 | 7 |")  # the converter's column numbering
    rows = t3_rows(report)
    for i, (key, values) in enumerate(rows):
        label = ROW_LABELS[key]
        if i == 0:
            values = [*values[:6], ""]
        if (i % 3 == 1 and 0 < i < len(rows) - 1) or key == "carried_out":
            if i % 2:
                out += [label, "| " + " | ".join(values) + " |"]
            else:
                out += ["| " + " | ".join(values) + " |", label]
            continue
        group = GROUPS.get(_group_of(key)) if "." in key else None
        leak = [RESULTS, group] if group else [RESULTS] if i > 1 and key != "carried_out" else []
        out.append("| " + " | ".join([*leak, label, *values]) + " |")
        if i == 12:
            out.append("| 7 |")  # a page number inside the table
    out += [HEAD4, "行政复议 | 行政诉讼 |", "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |"]
    out.append("| " + " | ".join(t4_values(report)) + " |")
    return splice(report, out)


def glued(report: AnnualReport) -> str:
    """A crawler's text dump: each row's label and its numbers run together without a separator."""
    out = ["申请人情况 自然人 法人或其他组织 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    out += [ROW_LABELS[key] + "".join(values) for key, values in t3_rows(report)]
    out += [HEAD4, "行政复议行政诉讼", "结果维持结果纠正其他结果尚未审结总计", "".join(t4_values(report))]
    return splice(report, out)


def heading_typo(report: AnnualReport) -> str:
    """表四's heading misprinted (行政法复议), the tables as PDF text."""
    out = [f"{ROW_LABELS[key]} {' '.join(values)}" for key, values in t3_rows(report)]
    out += [
        "四、政府信息公开行政法复议、行政诉讼情况",
        "行政复议 行政诉讼",
        " ".join(T4_COLS),
        " ".join(t4_values(report)),
    ]
    return splice(report, out)


def word_phantom(report: AnnualReport) -> str:
    """A Word-made HTML page whose 表三 has a phantom grid column (a narrow column with no header between
    自然人 and 商业企业, into which Word put a 0 in every row): 8 numbers per row, 7 under headers; and
    表四 one after 行政复议's 总计 (16 numbers where 15 belong)."""
    lines = report.source.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith(HEAD3))
    end = next(i for i, ln in enumerate(lines) if ln.startswith(HEAD5))
    para = "".join(f"<p>{escape(ln)}</p>" for ln in lines[:start])
    tail = "".join(f"<p>{escape(ln)}</p>" for ln in lines[end:])

    def td(text: str, attrs: str = "") -> str:
        return f"<td{attrs}><p><span>{escape(text)}</span></p></td>"

    head = [
        "<tr>"
        + td("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", ' colspan="3" rowspan="3"')
        + td("申请人情况", ' colspan="9"')
        + "</tr>",
        "<tr>"
        + td("自然人", ' rowspan="2"')
        + td("", ' rowspan="2"')
        + td("法人或其他组织", ' colspan="6"')
        + td("总计", ' rowspan="2"')
        + "</tr>",
        "<tr>" + "".join(td(c) for c in T3_COLS[1:6]) + td("") + "</tr>",
    ]
    body = []
    for key, values in t3_rows(report):
        cells = [values[0], "0", *values[1:6], "", values[6]]
        body.append("<tr>" + td(ROW_LABELS[key], ' colspan="3"') + "".join(td(v) for v in cells) + "</tr>")
    t3 = "<table>" + "".join(head + body) + "</table>"
    v4 = t4_values(report)
    # 表四 with a phantom column after 行政复议's 总计 (a stray 0 under no header: 16 numbers)
    t4 = (
        "<table><tr>"
        + td("行政复议", ' colspan="6"')
        + td("行政诉讼", ' colspan="10"')
        + "</tr><tr>"
        + "".join(td(c, ' rowspan="2"') for c in T4_COLS)
        + td("", ' rowspan="2"')
        + td("未经复议直接起诉", ' colspan="5"')
        + td("复议后起诉", ' colspan="5"')
        + "</tr><tr>"
        + "".join(td(c) for c in T4_COLS * 2)
        + "</tr><tr>"
        + "".join(td(v) for v in [*v4[:5], "0", *v4[5:]])
        + "</tr></table>"
    )
    return (
        "<html><head><meta charset='utf-8'><title>t</title></head><body><div class='WordSection1'>"
        + para
        + f"<p>{HEAD3}</p>"
        + t3
        + f"<p>{HEAD4}</p>"
        + t4
        + tail
        + "</div></body></html>"
    )


def no_headings(report: AnnualReport) -> str:
    """Sections 三 and 四 without their headings (a crawler dropped the heading lines), PDF text."""
    out = ["申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    out += [f"{ROW_LABELS[key]} {' '.join(values)}" for key, values in t3_rows(report)]
    out += ["行政复议 行政诉讼", " ".join(T4_COLS), " ".join(t4_values(report))]
    return splice(report, out, head3="依申请公开情况统计如下:")


def phantom_text(report: AnnualReport) -> str:
    """A Word table flattened to text with its phantom column: every 表三 row prints a stray ``0`` after
    自然人 (8 values where 7 belong), and one row ends with the page number (``7``); 表四 a stray ``0``
    after 行政复议's 总计 (16 values where 15 belong)."""
    out = ["申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    for i, (key, values) in enumerate(t3_rows(report)):
        cells = [values[0], "0", *values[1:]]
        if i == 10:
            cells = [*values, "7"]  # this row has no phantom but a page number at its end
        out.append(f"{ROW_LABELS[key]} {' '.join(cells)}")
    v4 = t4_values(report)
    out += [HEAD4, "行政复议 行政诉讼", " ".join(T4_COLS), " ".join([*v4[:5], "0", *v4[5:]])]
    return splice(report, out)
