"""The §10.3 quality rules: T3-EMPTY / T4-EMPTY (cells printed without a number) and S6-FEE (表二 fees
above 0 while section 六 says no fees were charged)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import gxbg
from tests.extract.render import render
from tests.report_json import report_json

CASES = Path(__file__).resolve().parents[1] / "cases"


def _rendered(case: str = "cq-nanbin-2024") -> str:
    """A golden case (all 表三/表四 cells printed as numbers) as whole-row text."""
    report = gxbg.parse_report((CASES / case / "clean.txt").read_text(encoding="utf-8"))
    return render(report, "pipe_row")


def _check(text: str, rule: str) -> dict[str, Any]:
    checks: list[dict[str, Any]] = report_json(gxbg.parse_report(text))["checks"]
    found = [c for c in checks if c["rule"] == rule]
    assert len(found) == 1
    return found[0]


def _blank_first_cells(text: str, prefix: str, n: int, mark: str) -> str:
    """The first value cell of the first ``n`` lines starting with ``prefix`` printed as ``mark``."""
    lines = text.split("\n")
    done = 0
    for i, line in enumerate(lines):
        if done < n and line.startswith(prefix):
            lines[i] = re.sub(r"\| (\d+) \|", f"| {mark} |", line, count=1)
            done += 1
    assert done == n
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("n", "mark", "status"),
    [
        (0, "/", "PASS"),
        (1, "/", "UNCERTAIN"),
        (8, "无", "UNCERTAIN"),
        (10, "/", "UNCERTAIN"),
        (11, "", "FAIL"),
    ],
)
def test_t3_empty_counts_cells_printed_without_a_number(n: int, mark: str, status: str) -> None:
    text = _blank_first_cells(_rendered(), "三、本年度办理结果 | (", n, mark)
    check = _check(text, "T3-EMPTY")
    assert (check["status"], check["left"], check["right"], check["severity"]) == (status, n, 10, "soft")
    assert len(check["cells"]) == n
    assert all(ref.startswith("requests:") and ref.endswith(":natural_person") for ref in check["cells"])


def test_t3_empty_does_not_count_missing_rows() -> None:
    text = "\n".join(ln for ln in _rendered().split("\n") if "信访举报" not in ln)
    assert _check(text, "T3-INT")["status"] == "UNCERTAIN"  # the missing row's cells are unreadable there
    check = _check(text, "T3-EMPTY")
    assert (check["status"], check["left"]) == ("PASS", 0)


@pytest.mark.parametrize(("n", "status"), [(0, "PASS"), (1, "UNCERTAIN"), (5, "UNCERTAIN"), (6, "FAIL")])
def test_t4_empty_counts_appeal_cells_printed_without_a_number(n: int, status: str) -> None:
    marks = ["/"] * n + ["0"] * (15 - n)
    text = _rendered().replace(" | ".join(["0"] * 15) + " |", " | ".join(marks) + " |")
    check = _check(text, "T4-EMPTY")
    assert (check["status"], check["left"], check["right"]) == (status, n, 5)
    assert check["cells"][:1] == (["appeals:review:upheld"] if n else [])


def test_t4_empty_counts_a_run_of_the_wrong_width_as_fifteen_text_cells() -> None:
    text = _rendered().replace(" | ".join(["0"] * 15) + " |", " | ".join(["0"] * 14) + " |")
    check = _check(text, "T4-EMPTY")
    assert (check["status"], check["left"]) == ("FAIL", 15)


def test_empty_cell_rules_need_their_table() -> None:
    case = CASES.parent / "cases-pre2019" / "synthetic-freeform-2016"
    text = (case / "clean.txt").read_text(encoding="utf-8")
    rules = {c["rule"] for c in report_json(gxbg.parse_report(text))["checks"]}
    assert not rules & {"T3-EMPTY", "T4-EMPTY"}


NO_FEES = "本年度未收取任何费用。"
ONLY_PROCESSING_FEE = "本年度未收取政府信息公开信息处理费。"


def _with_fees(amount: str, other: str) -> str:
    text = _rendered().replace("行政事业性收费 | 0 |", f"行政事业性收费 | {amount} |")
    return text.replace("六、其他需要报告的事项\n无。", f"六、其他需要报告的事项\n{other}")


@pytest.mark.parametrize(
    ("amount", "other", "status", "left"),
    [
        ("0", NO_FEES, "PASS", "0"),
        ("12.5", NO_FEES, "FAIL", "12.5"),
        ("12.5", "全年行政事业性收费为0元。", "FAIL", "12.5"),
        ("12.5", "本年度没有收取行政事业性收费。", "FAIL", "12.5"),
        # the 信息处理费 is another fee: saying it was 0 says nothing about 表二's amount
        ("12.5", ONLY_PROCESSING_FEE, "NOT_ASSESSABLE", None),
        ("12.5", "全年收取信息处理费 0 元。", "NOT_ASSESSABLE", None),
        ("/", NO_FEES, "UNCERTAIN", None),
        ("12.5", "全年收取信息处理费 3940 元。", "NOT_ASSESSABLE", None),
        ("12.5", "无。", "NOT_ASSESSABLE", None),
    ],
)
def test_s6_fee_compares_the_fee_amount_with_section_six(
    amount: str, other: str, status: str, left: str | None
) -> None:
    check = _check(_with_fees(amount, other), "S6-FEE")
    assert (check["status"], check["left"], check["severity"]) == (status, left, "soft")
    if status != "NOT_ASSESSABLE":
        assert check["cells"] == ["proactive:fees:amount_10k_yuan"]
        assert "费" in check["note"]


def test_s6_fee_does_not_apply_to_the_2019_form() -> None:
    check = _check((CASES / "ha-longting-2019" / "clean.txt").read_text(encoding="utf-8"), "S6-FEE")
    assert (check["status"], check["note"]) == ("NOT_ASSESSABLE", "the 2019 form prints no fee amount")


@pytest.mark.parametrize(
    ("mark", "status", "bad"),
    [("0", "PASS", []), ("-2", "FAIL", ["requests:disclosed:natural_person"]), ("/", "UNCERTAIN", None)],
)
def test_t3_int_lists_the_cells_that_are_not_non_negative_integers(
    mark: str, status: str, bad: list[str] | None
) -> None:
    text = _rendered().replace("(一)予以公开 | 2 |", f"(一)予以公开 | {mark} |")
    check = _check(text, "T3-INT")
    expected = ["requests:disclosed:natural_person"] if bad is None else bad
    assert (check["status"], check["cells"], check["left"]) == (status, expected, len(expected))
