"""Wrong numbers the accuracy corpus found (docs/accuracy.md, "Wrong numbers today"), one input each.

Each test builds the smallest document of its class that shows the misread, from the golden case
js-huaian-2024, and asserts the strict reading rule: a row is read right or not at all — never one
column off.  Fixed in extractor 1.3.0 (a grid row's opening blanks are its empty label cells; a grid
whose header names the columns is read under them).
"""

from __future__ import annotations

import dataclasses
import random

import gxbg
from gxbg.clean import clean_page
from gxbg.evaluate.corpus import CASES
from gxbg.evaluate.documents import word_page
from gxbg.evaluate.grid import Grid, blocks, value_rows
from gxbg.evaluate.truth import load_cases
from gxbg.sim.cases import ReportSpec
from tests.report_json import report_json

COLS = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")


def _huaian() -> ReportSpec:
    return next(s for s in load_cases(CASES) if s.case_id == "js-huaian-2024")


def _read_right_or_not_at_all(text: str, key: str, printed: tuple[str | None, ...]) -> None:
    cells = report_json(gxbg.parse_report(text))["cells"]
    got = {c["col"]: c["value"] for c in cells if c["table"] == "requests" and c["row"] == key}
    for col, value in zip(COLS, printed, strict=True):
        if got.get(col) is not None:
            assert value is not None, f"{key}.{col}: read {got[col]}, printed blank"
            assert got[col] == int(value), f"{key}.{col}: read {got[col]}, printed {value}"


def _markdown_with_a_label_less_row(spec: ReportSpec, key: str) -> str:
    keys = list(spec.requests)
    lines: list[str] = []
    for block in blocks(spec):
        if not isinstance(block, Grid):
            lines.append(block)
        elif block.kind == "requests":
            lines += ["", "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |", "|" + "---|" * 8]
            for row_key, (labels, values) in zip(keys, value_rows(block), strict=True):
                if row_key == key:  # the values without their label; the label a loose line after
                    lines += ["| " + " | ".join(["", *values]) + " |", labels[-1]]
                else:
                    lines.append("| " + " | ".join([labels[-1], *values]) + " |")
            lines.append("")
        else:
            lines += [" | ".join(row) + " |" for row in block.expanded()]
    return "\n".join(lines) + "\n"


def test_a_label_less_markdown_row_is_not_read_one_column_off() -> None:
    spec = _huaian()
    requests = dict(spec.requests)
    requests["disclosed"] = ("1288", "21", "0", "0", "50", "3", None)  # 总计 printed blank
    spec = dataclasses.replace(spec, requests=requests)
    text = _markdown_with_a_label_less_row(spec, "disclosed")
    assert "|  | 1288 | 21 | 0 | 0 | 50 | 3 |  |\n（一）予以公开\n" in text
    _read_right_or_not_at_all(text, "disclosed", requests["disclosed"])


def test_a_phantom_column_row_with_blank_cells_is_not_read_one_column_off() -> None:
    spec = _huaian()
    requests = dict(spec.requests)
    requests["withheld.state_secret"] = ("2", None, "0", "0", "0", "0", None)  # blanks where 0 and 2
    spec = dataclasses.replace(spec, requests=requests)
    html = word_page(spec, random.Random(0), phantom="person")
    text = clean_page(html, url="https://www.example.gov.cn/a.html").text
    assert "1.属于国家秘密 | 2 |  |  | 0 | 0 | 0 | 0 |  |" in text
    _read_right_or_not_at_all(text, "withheld.state_secret", requests["withheld.state_secret"])
