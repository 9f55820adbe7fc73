"""表三 edge cases: blanks, ``/`` and text stay apart from 0; ambiguous rows are never guessed."""

from __future__ import annotations

from pathlib import Path

import gxbg
from gxbg.extract.model import Meaning, Status
from gxbg.extract.tables.requests import parse_requests
from gxbg.extract.text import prepare_lines

CASES = Path(__file__).resolve().parents[1] / "cases"


def _case(name: str) -> str:
    return (CASES / name / "clean.txt").read_text(encoding="utf-8")


def _checks(text: str) -> dict[tuple[str, str], Status]:
    return {(c.rule, c.scope): c.status for c in gxbg.extract.validate(gxbg.parse_report(text))}


def test_blank_na_and_text_cells_make_checks_uncertain() -> None:
    text = _case("nx-yinchuan-shizheng-2020")
    text = text.replace(
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "二、上年结转政府信息公开申请数量 |  | / | 无 | 0 | 0 | 0 | 0 |",
    )
    report = gxbg.parse_report(text)
    assert report.requests is not None
    cells = [
        report.requests.get("carried_in", c) for c in ("natural_person", "business", "research", "nonprofit")
    ]
    assert [c.meaning for c in cells if c] == [Meaning.BLANK, Meaning.NA, Meaning.TEXT, Meaning.ZERO]
    assert [c.value for c in cells if c] == [None, None, None, 0]
    checks = _checks(text)
    assert checks[("T3-BAL", "natural_person")] is Status.UNCERTAIN
    assert checks[("T3-BAL", "business")] is Status.UNCERTAIN
    assert checks[("T3-BAL", "nonprofit")] is Status.PASS
    assert checks[("T3-ROW", "carried_in")] is Status.UNCERTAIN
    assert checks[("T3-INT", "requests")] is Status.UNCERTAIN


def test_a_row_of_the_wrong_width_is_kept_as_text_not_split() -> None:
    text = _case("nx-yinchuan-shizheng-2020").replace("(一)予以公开 | 1 | 0 |", "(一)予以公开 | 1 |", 1)
    report = gxbg.parse_report(text)
    assert report.requests is not None
    row = [report.requests.get("disclosed", c) for c in report.requests.columns]
    assert all(c is not None and c.meaning is Meaning.TEXT and c.value is None for c in row)
    assert _checks(text)[("T3-SUM", "total")] is Status.UNCERTAIN
    assert _checks(text)[("T3-BAL", "natural_person")] is Status.FAIL  # untouched by the damaged row


def test_pdf_runs_out_of_step_fall_back_to_anchored_rows() -> None:
    # drop one numbers-only line: the n-th run is no longer the n-th row, so only rows whose label
    # shares a line with their numbers are read; the others stay missing (NOT_ASSESSABLE), not guessed
    lines = _case("js-hongze-2023").split("\n")
    lines.remove("10 0 0 0 0 0 10")
    text = "\n".join(lines)
    report = gxbg.parse_report(text)
    assert report.requests is not None
    assert report.requests.method == "anchored"
    assert report.requests.get("unavailable.not_held", "total") is None
    assert report.requests.get("received", "total").value == 21  # type: ignore[union-attr]
    assert report.requests.get("withheld.prohibited_by_law", "total").value == 0  # type: ignore[union-attr]
    assert _checks(text)[("T3-SUM", "total")] is Status.NOT_ASSESSABLE


def test_pdf_values_before_labels_are_read_in_order() -> None:
    report = gxbg.parse_report(_case("js-hongze-2023"))
    assert report.requests is not None
    assert report.requests.method == "sequential"
    assert report.requests.get("withheld.state_secret", "natural_person").value == 1  # type: ignore[union-attr]
    assert report.requests.get("unavailable.requires_creation", "total").value == 3  # type: ignore[union-attr]


def test_eight_column_table_keeps_the_subtotal_apart() -> None:
    labels = (
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "小计",
    )
    header = "".join(f"{label} |\n" for label in labels)
    body = "一、本年新收政府信息公开申请数量 |\n" + "".join(f"{v} |\n" for v in (3, 1, 0, 0, 0, 1, 2, 5))
    table = parse_requests(prepare_lines(header + body))
    assert table is not None
    assert [table.get("received", c).value for c in table.columns] == [3, 1, 0, 0, 0, 1, 5]  # type: ignore[union-attr]
    assert [(c.col, c.value) for c in table.extra] == [("organization_subtotal", 2)]


def test_2021_table_with_single_other_row_is_23_rows() -> None:
    report = gxbg.parse_report(_case("js-hongze-2024"))
    assert report.format == "2021"
    assert report.requests is not None
    assert len(report.requests.rows) == 23
    assert "other_handling" in report.requests.rows


def _generic_markdown(text: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """ha-longting-2019's 表三 (one cell per line) as markdown from a PDF converter: generic headers
    ``类别 | 数据1 … 数据6 | 总计`` (one label column), one row per leaf; and the rows read."""
    start, end = text.index("三、收到和处理政府信息公开申请情况"), text.index("四、政府信息公开行政复议")
    cells = [line.strip().rstrip("|").strip() for line in text[start:end].splitlines()[1:]]
    rows: list[tuple[str, list[str]]] = []
    for i, cell in enumerate(cells):
        after = cells[i + 1 : i + 8]
        if not cell.isdigit() and len(after) == 7 and all(c.isdigit() for c in after):
            rows.append((cell, after))
    header = (
        "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|\n"
    )
    return header, rows


def test_a_label_less_markdown_row_keeps_its_blank_first_value_under_the_header() -> None:
    text = _case("ha-longting-2019")
    header, rows = _generic_markdown(text)
    assert rows[1][0].startswith("二、上年结转")
    assert rows[1][1][0] == "0"
    lines = []
    for label, values in rows:
        if label.startswith("二、上年结转"):  # its label a loose line; its first value printed blank
            lines += [label, "|  |  | " + " | ".join(values[1:]) + " |"]
        else:
            lines.append(f"| {label} | " + " | ".join(values) + " |")
    table = parse_requests(prepare_lines("三、收到和处理政府信息公开申请情况\n" + header + "\n".join(lines)))
    assert table is not None
    first = table.get("carried_in", "natural_person")
    assert first is not None
    assert first.meaning is Meaning.BLANK  # not the business column's 0
    assert [table.get("carried_in", c).raw for c in ("business", "total")] == ["0", "0"]  # type: ignore[union-attr]
    assert table.get("received", "total").raw == rows[0][1][6]  # type: ignore[union-attr]
