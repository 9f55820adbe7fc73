"""Quality rules: S5-EMPTY (section 五 printed empty or as 无) and S6-FEE (表二's 行政事业性收费 amount
is above 0 while section 六 says no information-processing fee was charged)."""

from __future__ import annotations

import re

from gxbg.extract import vocab
from gxbg.extract.checks._core import CheckRow, is_number_row, not_assessable
from gxbg.extract.model import AnnualReport, FormatVersion, Section, Severity, Status
from gxbg.extract.text import compact

__all__ = ["check_fee_statement", "check_problems_section"]

_EMPTY = re.compile(vocab.EMPTY_SECTION)
_NO_FEES = re.compile(vocab.NO_FEES)
_FEE_EXPR = "fees.amount_10k_yuan = 0 when section other says no fees were charged"
_FEE_REF = "proactive:fees:amount_10k_yuan"


def check_problems_section(report: AnnualReport) -> CheckRow:
    """S5-EMPTY: section 五 (problems and improvements) says something."""
    expr = "section problems is not empty"
    sec = report.section(Section.PROBLEMS)
    if sec is None:
        return not_assessable("S5-EMPTY", "problems", expr, Severity.SOFT, "section heading not found")
    flat = compact(sec.text)
    status = Status.FAIL if _EMPTY.match(flat) else Status.PASS
    return ("S5-EMPTY", "problems", expr, len(flat), None, status, Severity.SOFT, (), 0, f"line {sec.line}")


def check_fee_statement(report: AnnualReport) -> CheckRow:
    """S6-FEE (soft): 表二 fees ``amount_10k_yuan`` > 0 while section 六 says no fees were charged.

    Only a statement about fees in general (or about 行政事业性收费) is compared: section 六 usually
    reports the 信息处理费 for disclosure requests, a different fee, and "信息处理费0元" beside a
    7730万元 行政事业性收费 is two true statements (js-hongze-2023).  NOT_ASSESSABLE when the format
    prints no amount, the amount or section 六 is missing, or section 六 says nothing about fees.
    """

    def na(note: str) -> CheckRow:
        return not_assessable("S6-FEE", "fees", _FEE_EXPR, Severity.SOFT, note)

    if report.format is not FormatVersion.V2021:
        return na(f"the {report.format} form prints no fee amount")
    cell = None
    if report.proactive is not None:
        cell = next(
            (c for c in report.proactive.cell_rows if c[1] == "fees" and c[2] == "amount_10k_yuan"), None
        )
    if cell is None:
        return na("表二 fees amount not printed")
    sec = report.section(Section.OTHER)
    if sec is None:
        return na("section heading not found")
    said = _NO_FEES.search(compact(sec.text))
    if said is None:
        return na("section other does not say that no fee was charged")
    note = f"line {sec.line}: {said.group()}"
    value = cell[5]
    if not is_number_row(cell) or value is None:
        return ("S6-FEE", "fees", _FEE_EXPR, None, 0, Status.UNCERTAIN, Severity.SOFT, (_FEE_REF,), 0, note)
    status = Status.FAIL if value > 0 else Status.PASS
    return ("S6-FEE", "fees", _FEE_EXPR, value, 0, status, Severity.SOFT, (_FEE_REF,), 0, note)
