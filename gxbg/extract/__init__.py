"""The extractor: report text → :class:`AnnualReport` → checks.  Pure, deterministic, standard library only.

::

    report = parse_report(text)        # text in any supported layout → typed tables and narrative
    checks = validate(report)          # the form's arithmetic, never raises
    data = report_to_dict(report, checks)  # the JSON contract (docs/report-json.md)
"""

from __future__ import annotations

from gxbg.extract.model import AnnualReport, CheckResult
from gxbg.extract.report import parse_report
from gxbg.extract.serialize import report_to_dict
from gxbg.extract.validate import validate

__all__ = ["AnnualReport", "CheckResult", "parse_report", "report_to_dict", "validate"]
