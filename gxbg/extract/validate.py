"""``validate(report)``: every check of report-format.md §10 that applies, in a stable order.

Composition only; one ``check_*`` function per rule lives in ``gxbg.extract.checks``.  Never raises.
``check_rows`` is the same list as compact ``CheckRow`` tuples (``report_to_dict`` reads those).
"""

from __future__ import annotations

from gxbg.extract.checks._core import CheckRow, not_assessable
from gxbg.extract.checks.appeals import check_appeal_empty_cells, check_appeal_integers, check_appeal_sums
from gxbg.extract.checks.narrative import check_narrative
from gxbg.extract.checks.proactive import check_proactive
from gxbg.extract.checks.quality import check_fee_statement, check_problems_section
from gxbg.extract.checks.requests import check_request_table
from gxbg.extract.model import AnnualReport, CheckResult, FormatVersion, Severity, new_check_result

__all__ = ["check_rows", "validate"]

_T3 = (
    ("T3-BAL", "received + carried_in = total + carried_out"),
    ("T3-ROW", "total = Σ applicant columns"),
    ("T3-SUM", "total = Σ outcome rows"),
    ("T3-INT", "every cell is a non-negative integer"),
)
_T4 = (
    ("T4-SUM", "upheld + corrected + other + pending = total"),
    ("T4-INT", "every cell is a non-negative integer"),
)


def validate(report: AnnualReport) -> tuple[CheckResult, ...]:
    """The check results of one report."""
    new = new_check_result  # a ``CheckRow`` holds ``CheckResult``'s fields in order; ~60 per report
    return tuple([new(*row) for row in check_rows(report)])


def check_rows(report: AnnualReport) -> list[CheckRow]:
    """The check results of one report, as ``CheckRow`` tuples."""
    out: list[CheckRow] = []
    pre = report.format is FormatVersion.PRE2019
    if report.requests is not None and not pre:
        out += check_request_table(report.requests)  # T3-BAL, T3-ROW, T3-SUM, T3-INT, T3-OUT, T3-EMPTY
    else:
        note = "the pre2019 format has no 表三" if pre else "表三 not found"
        out += [not_assessable(rule, "requests", expr, Severity.HARD, note) for rule, expr in _T3]
    if report.appeals is not None and not pre:
        out += check_appeal_sums(report.appeals)
        out.append(check_appeal_integers(report.appeals))
        out.append(check_appeal_empty_cells(report.appeals))
    else:
        note = "the pre2019 format has no 表四" if pre else "表四 not found"
        out += [not_assessable(rule, "appeals", expr, Severity.HARD, note) for rule, expr in _T4]
    if report.proactive is not None:
        out += check_proactive(report.proactive)
    out += check_narrative(report)
    out.append(check_problems_section(report))
    out.append(check_fee_statement(report))
    return out
