# ruff: noqa: E501  (label and heading data read better unwrapped)
"""Text layouts of the accuracy corpus: each renders a spec as a report text and says what it printed.

A layout is ``(spec, rng) -> (text, truth)``: the truth is the spec's (:func:`truth_of`) unless the
layout leaves a cell out on purpose (a blank 总计 in mangled markdown), in which case the cell is blank
in the truth too — a number the document does not print must never be read.

The layouts we already read (report-format.md §11): whole rows ``a | b |`` (``pipe_row``), one cell per
line (``pipe_cell``), tab-indented DOCX text (``tabbed``), PDF-like plain text (``plain``); rows as
tab-separated cells (``tsv``); whole rows with retyped row labels (``label_variants``).  The layouts
of issue 10 ("What we saw" 1, 2, 3, 5): markdown with one small table per row group (``md_rowgroups``),
mangled PDF-to-markdown (``md_mangled``), text dumps with glued cells (``glued``), section headings with
typos and variants (``headings``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from gxbg.evaluate.grid import Block, Grid, blocks, value_rows
from gxbg.evaluate.truth import Truth, truth_of
from gxbg.sim.cases import ReportSpec

Layout = Callable[[ReportSpec, random.Random], tuple[str, Truth]]

_T3_HEAD_GLUED = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况"
    "自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
)
_T4_HEAD_GLUED = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉" + (
    "结果维持结果纠正其他结果尚未审结总计" * 2
)
_FIVE = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_T4_BLOCKS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
_GENERIC = "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |"
_WRONG_HEADERS = (
    "| 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
    "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
    "| 申请人情况 | 自然人 | 法人或其他组织 | 总计 |",
)
#: Section-heading typos and variants seen in real reports (issue 10, "What we saw" 5).
HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    "二、": ("二、主动公开政府信息情况", "二、主动公开政府信息", "二、 主动公开政府信息情况", "（二）主动公开政府信息情况",
            "二．主动公开政府信息情况", "2、主动公开政府信息情况"),
    "三、": ("三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请的情况", "三、收到和处理政府公开申请情况",
            "（三）收到和处理政府信息公开申请情况", "三、依申请公开政府信息情况", "三．收到和处理政府信息公开申请情况"),
    "四、": ("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况",
            "四、政府信息公开行政复议，行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "（四）政府信息公开行政复议、行政诉讼情况", "四、 政府信息公开行政复议、行政诉讼的情况"),
}  # fmt: skip


def _text(blocks_: list[Block], table: Callable[[Grid], list[str]], para: Callable[[str], str]) -> str:
    lines: list[str] = []
    for block in blocks_:
        if isinstance(block, Grid):
            lines.extend(table(block))
        else:
            lines.append(para(block))
    return "\n".join(lines) + "\n"


def _pipe_row(grid: Grid) -> list[str]:
    return [" | ".join(row) + " |" for row in grid.expanded()]


def _pipe_cell(grid: Grid) -> list[str]:
    return [f"{cell.text} |" for row in grid.rows() for cell in row]


def _tabbed(grid: Grid) -> list[str]:
    out: list[str] = []
    for row in grid.rows():
        out.extend("\t" + cell.text for cell in row)
        out.append("")
    return out


def _plain(grid: Grid) -> list[str]:
    return [" ".join(c.text for c in row if c.text) for row in grid.rows()]


def _tsv(grid: Grid) -> list[str]:
    return ["\t".join(row) for row in grid.expanded()]


def _same(spec: ReportSpec, table: Callable[[Grid], list[str]]) -> tuple[str, Truth]:
    return _text(blocks(spec), table, lambda p: p), truth_of(spec)


def pipe_row(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    return _same(spec, _pipe_row)


def pipe_cell(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    return _same(spec, _pipe_cell)


def tabbed(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    return _same(spec, _tabbed)


def plain(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    return _same(spec, _plain)


def tsv(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    """Rows copied out of a spreadsheet or Word table: cells separated by tabs, spans repeated."""
    return _same(spec, _tsv)


_NUMBERING = re.compile(r"^([（(]?)([一二三四五六七八九十]+|\d+)([）)]|[.．、])")


def _vary_label(label: str, rng: random.Random) -> str:
    """A row label as agencies retype it: other numbering, halfwidth or fullwidth brackets, stray spaces."""
    m = _NUMBERING.match(label)
    if m and rng.random() < 0.5:
        number, rest = m.group(2), label[m.end() :]
        style = rng.choice(("{}、", "{}．", "（{}）", "({})", "{}. ", ""))
        label = style.format(number) + rest
    if rng.random() < 0.4:
        label = label.translate(str.maketrans("（）“”，", '()"",')) if rng.random() < 0.5 else label
    if rng.random() < 0.3 and len(label) > 4:
        cut = rng.randrange(1, len(label) - 1)
        label = label[:cut] + rng.choice((" ", "  ", "\u3000")) + label[cut:]
    return label


def label_variants(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    """Whole rows whose 表三/表二 row labels are retyped: numbering styles (``1、`` ``（1）`` none), brackets
    halfwidth, a space or an ideographic space inside the label."""
    seen: dict[str, str] = {}

    def table(grid: Grid) -> list[str]:
        rows = grid.expanded()
        label_cols = 3 if grid.kind == "requests" else 1 if grid.kind == "proactive" else 0
        start = 3 if grid.kind == "requests" else 0
        for row in rows[start:]:
            for c in range(label_cols):
                if row[c] and not row[c].startswith("第二十条") and row[c] != "信息内容":
                    row[c] = seen.setdefault(row[c], _vary_label(row[c], rng))
        return [" | ".join(row) + " |" for row in rows]

    return _text(blocks(spec), table, lambda p: p), truth_of(spec)


def headings(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    """Whole rows, with the 二/三/四 section headings replaced by a seeded typo or variant."""

    def para(p: str) -> str:
        for variants in HEADING_VARIANTS.values():
            if p == variants[0]:
                return rng.choice(variants[1:])
        return p

    return _text(blocks(spec), _pipe_row, para), truth_of(spec)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_table(header: str, rows: list[list[str]]) -> list[str]:
    width = header.count("|") - 1
    return ["", header, "|" + "---|" * width, *(_md_row(r) for r in rows), ""]


def _md_proactive(grid: Grid) -> list[str]:
    out: list[str] = []
    for labels, values in value_rows(grid):
        out += _md_table("| 信息内容 | 数据1 | 数据2 | 数据3 |", [[labels[0], *values]])
    return out


def _md_appeals(grid: Grid) -> list[str]:
    values = value_rows(grid)[0][1]
    out: list[str] = []
    for g, name in enumerate(_T4_BLOCKS):  # 表四 as three small tables
        out += _md_table("| 类别 | " + " | ".join(_FIVE) + " |", [[name, *values[g * 5 : g * 5 + 5]]])
    return out


def md_rowgroups(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    """Markdown from PDF converters/OCR: one small pipe table per row group, generic headers
    (``类别 | 数据1 … 数据6 | 总计``), now and then the wrong header row or a placeholder table of ``-``."""
    keys = list(spec.requests)

    def table(grid: Grid) -> list[str]:
        if grid.kind == "proactive":
            return _md_proactive(grid)
        if grid.kind == "appeals":
            return _md_appeals(grid)
        rows = value_rows(grid)
        out: list[str] = []
        current: list[list[str]] = []
        group = None
        for i, (labels, values) in enumerate(rows):
            g = keys[i].split(".")[0]
            if g != group and current:
                header = rng.choice(_WRONG_HEADERS) if rng.random() < 0.2 else _GENERIC
                out += _md_table(header, current)
                current = []
                if rng.random() < 0.1:
                    out += _md_table("| - | - | - |", [["-", "-", "-"]])
            if g != group and "." in keys[i] and len(labels) > 1 and rng.random() < 0.5:
                current.append([labels[-2], *[""] * 7])  # the group label as a row of its own
            group = g
            current.append([labels[-1], *values])
        out += _md_table(_GENERIC, current)
        return out

    def para(p: str) -> str:
        if p[:2] in ("一、", "二、", "三、", "四、", "五、", "六、"):
            return rng.choice(("## ", "**", "")) + p
        return p

    return _text(blocks(spec), table, para), truth_of(spec)


def md_mangled(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    """Mangled PDF-to-markdown: value rows without their label (the label a loose line before or after),
    group labels leaking into rows (9 or 10 cells), truncated labels, a stray page number inside the
    table, a blank 总计 cell (blank in the truth too)."""
    truth = truth_of(spec)
    keys = list(spec.requests)
    blank_total = rng.randrange(len(keys)) if rng.random() < 0.5 else None
    page_at = rng.randrange(1, len(keys))

    def table(grid: Grid) -> list[str]:
        if grid.kind == "proactive":
            return _md_proactive(grid)
        if grid.kind == "appeals":
            return _md_appeals(grid)
        out = ["", _GENERIC, "|" + "---|" * 8]
        for i, (labels, values) in enumerate(value_rows(grid)):
            values = list(values)
            if i == blank_total:
                values[6] = ""
                truth["requests"][keys[i]][6] = None
            if i == page_at:
                out.append(rng.choice(("- 3 -", "3", "| 3 |", "第 3 页")))
            label = labels[-1]
            roll = rng.random()
            if roll < 0.2:  # label-less value row, the label floating before or after
                if rng.random() < 0.5:
                    out += [label, _md_row(["", *values])]
                else:
                    out += [_md_row(["", *values]), label]
            elif roll < 0.4 and len(labels) > 1:  # group labels leak into the row
                out.append(_md_row([*labels, *values]))
            elif roll < 0.6 and len(label) > 6:  # truncated label
                out.append(
                    _md_row([label[: rng.randint(max(4, len(label) * 2 // 3), len(label) - 1)], *values])
                )
            else:
                out.append(_md_row([label, *values]))
        return [*out, ""]

    return _text(blocks(spec), table, lambda p: p), truth


def glued(spec: ReportSpec, rng: random.Random) -> tuple[str, Truth]:
    """A text dump of an HTML page flattened without separators: ``本年新收政府信息公开申请数量300153006143119``."""

    def table(grid: Grid) -> list[str]:
        if grid.kind == "requests":
            head = [_T3_HEAD_GLUED]
        elif grid.kind == "appeals":
            return [_T4_HEAD_GLUED, "".join(value_rows(grid)[0][1])]
        else:
            head = []
        return head + ["".join(labels) + "".join(values) for labels, values in value_rows(grid)]

    return _text(blocks(spec), table, lambda p: p), truth_of(spec)


LAYOUTS: dict[str, Layout] = {
    "pipe_row": pipe_row,
    "pipe_cell": pipe_cell,
    "tabbed": tabbed,
    "plain": plain,
    "tsv": tsv,
    "label_variants": label_variants,
    "headings": headings,
    "md_rowgroups": md_rowgroups,
    "md_mangled": md_mangled,
    "glued": glued,
}
