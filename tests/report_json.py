"""The report JSON of a parsed report, as the harvest makes it: validate, then serialise."""

from __future__ import annotations

import gxbg
from gxbg.extract.serialize import ReportDict


def report_json(report: gxbg.AnnualReport) -> ReportDict:
    """``report_to_dict(report, validate(report))``: the two visible calls after ``parse_report``."""
    return gxbg.report_to_dict(report, gxbg.validate(report))
