"""``report_to_dict(report)``: the JSON contract of ``gxbg parse`` (docs/report-json.md).

Owns the only mapping from the model to JSON-able data: counts stay ``int``, amounts become exact
decimal strings with their unit (never floats), absent values are ``None``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gxbg.extract import vocab
from gxbg.extract.model import (
    AnnualReport,
    CellRow,
    FormatVersion,
    Meaning,
    Section,
    Severity,
    Status,
    TableKey,
    Value,
)
from gxbg.extract.validate import check_rows

__all__ = ["report_to_dict"]

# ``str(member)`` of each enum, looked up instead of called (hundreds of cells per report)
_TABLE = {m: str(m) for m in TableKey}
_MEANING = {m: str(m) for m in Meaning}
_STATUS = {m: str(m) for m in Status}
_SEVERITY = {m: str(m) for m in Severity}
# a RequestTable's table-wide method → the method of each of its cells (model.READ_METHODS)
_TABLE_METHOD = {"anchored": "row", "sequential": "sequence"}


def _json_value(value: Value) -> int | str | None:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _headline(report: AnnualReport) -> dict[str, Any] | None:
    """pre2019 only: every headline key, each a low-confidence figure or null."""
    if report.format is not FormatVersion.PRE2019:
        return None
    found = {f.key: f for f in report.headline}
    return {
        key: None
        if (f := found.get(key)) is None
        else {"value": f.value, "raw": f.raw, "line": f.line, "confidence": "low"}
        for key in vocab.HEADLINE
    }


def report_to_dict(report: AnnualReport) -> dict[str, Any]:
    """The report, its tables, its checks and every table cell, as JSON-able data."""
    table_name, meaning_name, status_name, severity_name = _TABLE, _MEANING, _STATUS, _SEVERITY
    cells: list[CellRow] = []
    methods: list[str] = []  # how each cell of ``cells`` was read (model.READ_METHODS)
    proactive: dict[str, Any] | None = None
    if report.proactive is not None:
        proactive = {}
        for cell in report.proactive.cell_rows:
            value: Any = _json_value(cell[5])
            if cell[2] in ("amount", "amount_10k_yuan"):
                value = {"value": value, "unit": cell[6]}
            proactive.setdefault(cell[1], {})[cell[2]] = value
            cells.append(cell)
        methods.extend(["row"] * len(report.proactive.cell_rows))
    requests: dict[str, Any] | None = None
    if report.requests is not None:
        t = report.requests
        rows: dict[str, list[int | str | None]] = {}
        row_methods = t.row_methods or (_TABLE_METHOD.get(t.method, t.method),) * len(t.rows)
        method_of = dict(zip(t.rows, row_methods, strict=True))
        for key, row, method in zip(t.rows, t.grid_rows, row_methods, strict=True):
            if row[0] is None:  # a row is missing whole or printed whole
                rows[key] = [None] * len(row)
                continue
            rows[key] = [c[5] for c in row]  # type: ignore[index,misc]  # counts: int or None, never Decimal
            cells.extend(row)  # type: ignore[arg-type]
            methods.extend([method] * len(row))
        cells.extend(t.extra_rows)
        methods.extend([method_of[c[1]] for c in t.extra_rows])
        requests = {"columns": list(t.columns), "rows": rows, "layout": str(t.layout), "method": t.method}
    appeals: dict[str, Any] | None = None
    if report.appeals is not None:
        a = report.appeals
        appeals = {
            g: {c[2]: c[5] for c in row}
            for g, row in zip(a.groups, a.grid_rows, strict=True)  # counts
        }
        cells.extend(c for row in a.grid_rows for c in row)
        methods.extend([a.method] * sum(len(row) for row in a.grid_rows))
    sections: dict[str, str | None] = {str(key): None for key in Section}
    for sec in report.sections:
        sections[str(sec.key)] = sec.text
    return {
        "format": str(report.format),
        "format_evidence": list(report.format_evidence),
        "needs_review": report.needs_review,
        "agency": report.agency,
        "year": report.year,
        "title": report.title,
        "published": report.published,
        "sections": sections,
        "tables": {"proactive": proactive, "requests": requests, "appeals": appeals},
        "headline": _headline(report),
        "checks": [
            {
                "rule": rule,
                "scope": scope,
                "status": status_name[status],
                "severity": severity_name[severity],
                "expr": expr,
                "left": left if left.__class__ is not Decimal else format(left, "f"),
                "right": right if right.__class__ is not Decimal else format(right, "f"),
                "delta": None
                if left is None or right is None
                else left - right
                if left.__class__ is not Decimal and right.__class__ is not Decimal
                else format(left - right, "f"),
                "cells": list(cells),
                "note": note,
            }
            for rule, scope, expr, left, right, status, severity, cells, _tolerance, note in check_rows(
                report
            )
        ],
        "cells": [
            {
                "table": table_name[table],
                "row": row,
                "col": col,
                "value": value if value.__class__ is not Decimal else format(value, "f"),
                "raw": raw,
                "meaning": meaning_name[meaning],
                "unit": unit,
                "line": line,
                "method": method,
            }
            for (table, row, col, raw, meaning, value, unit, line), method in zip(cells, methods, strict=True)
        ],
    }


#: The keys of the requests columns, re-exported for consumers that build their own views.
REQUEST_COLUMNS = vocab.REQUEST_COLUMNS
