"""``report_to_dict(report, checks)``: the JSON contract of ``gxbg parse`` (docs/report-json.md).

Owns the only mapping from the model to JSON-able data: counts stay ``int``, amounts become exact
decimal strings with their unit (never floats), absent values are ``None``.  It serialises; it does not
validate: the caller runs ``validate(report)`` and passes its results, so parse → validate → serialise
are three visible calls.  The TypedDicts below are the shape of that data for the stages that read it
(the pipeline, the store, cross-year checks); at run time they are plain dicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal, TypedDict

from gxbg.extract import vocab
from gxbg.extract.model import (
    AnnualReport,
    CellRow,
    CheckResult,
    FormatVersion,
    Meaning,
    Section,
    Severity,
    Status,
    TableKey,
    Value,
)

__all__ = [
    "AmountDict",
    "AppealsDict",
    "CellDict",
    "CheckDict",
    "HeadlineDict",
    "ReportDict",
    "RequestsDict",
    "TablesDict",
    "report_to_dict",
]

#: A value in the JSON: a count, an exact decimal string (money) or null.
JsonValue = int | str | None


StatusName = Literal["PASS", "FAIL", "UNCERTAIN", "NOT_ASSESSABLE"]
MeaningName = Literal["number", "zero", "blank", "na", "text"]


class CheckDict(TypedDict):
    """One entry of ``checks``: a rule's outcome with both sides (docs/report-json.md ``checks[]``)."""

    rule: str
    scope: str
    status: StatusName
    severity: str
    expr: str
    left: JsonValue
    right: JsonValue
    delta: JsonValue
    cells: list[str]
    note: str


class CellDict(TypedDict):
    """One entry of ``cells``: a table cell in long format (docs/report-json.md ``cells[]``)."""

    table: str
    row: str
    col: str
    value: JsonValue
    raw: str | None
    meaning: MeaningName
    unit: str | None
    line: int | None
    method: str


class AmountDict(TypedDict):
    """A money cell of 表二: exact decimal string and its unit."""

    value: JsonValue
    unit: str | None


class RequestsDict(TypedDict):
    """表三: the 7 column keys, each row's 7 values, how it was laid out and read."""

    columns: list[str]
    rows: dict[str, list[JsonValue]]
    layout: str
    method: str


#: 表二: row key → column key → a count or an amount.
ProactiveDict = dict[str, dict[str, JsonValue | AmountDict]]
#: 表四: group → column → count.
AppealsDict = dict[str, dict[str, JsonValue]]


class TablesDict(TypedDict):
    proactive: ProactiveDict | None
    requests: RequestsDict | None
    appeals: AppealsDict | None


class HeadlineFigureDict(TypedDict):
    value: int
    raw: str
    line: int
    confidence: Literal["low"]


#: pre2019 only: every headline key, each a low-confidence figure or null.
HeadlineDict = dict[str, HeadlineFigureDict | None]


class ReportDict(TypedDict):
    """One report as ``gxbg parse`` prints it (docs/report-json.md), keys in this order."""

    format: str
    format_evidence: list[str]
    needs_review: bool
    agency: str | None
    year: int | None
    title: str | None
    published: str | None
    sections: dict[str, str | None]
    tables: TablesDict
    headline: HeadlineDict | None
    checks: list[CheckDict]
    cells: list[CellDict]


# ``str(member)`` of each enum, looked up instead of called (hundreds of cells per report)
_TABLE = {m: str(m) for m in TableKey}
_MEANING: dict[Meaning, MeaningName] = {
    Meaning.NUMBER: "number",
    Meaning.ZERO: "zero",
    Meaning.BLANK: "blank",
    Meaning.NA: "na",
    Meaning.TEXT: "text",
}
_STATUS: dict[Status, StatusName] = {
    Status.PASS: "PASS",
    Status.FAIL: "FAIL",
    Status.UNCERTAIN: "UNCERTAIN",
    Status.NOT_ASSESSABLE: "NOT_ASSESSABLE",
}
_SEVERITY = {m: str(m) for m in Severity}
# a RequestTable's table-wide method → the method of each of its cells (model.READ_METHODS)
_TABLE_METHOD = {"anchored": "row", "sequential": "sequence"}


def _json_value(value: Value) -> JsonValue:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _headline(report: AnnualReport) -> HeadlineDict | None:
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


def _check_dicts(checks: Sequence[CheckResult]) -> list[CheckDict]:
    # ~60 checks per report: ``__class__ is`` tests and locals, not isinstance() and helper calls
    status_name, severity_name, decimal = _STATUS, _SEVERITY, Decimal
    out: list[CheckDict] = []
    append = out.append
    for c in checks:
        left, right = c.left, c.right
        if left is None or right is None:
            delta: JsonValue = None
        elif left.__class__ is not decimal and right.__class__ is not decimal:
            delta = left - right  # type: ignore[assignment]  # int - int
        else:
            delta = format(left - right, "f")
        append(
            {
                "rule": c.rule,
                "scope": c.scope,
                "status": status_name[c.status],
                "severity": severity_name[c.severity],
                "expr": c.expr,
                "left": left if left.__class__ is not decimal else format(left, "f"),  # type: ignore[typeddict-item]
                "right": right if right.__class__ is not decimal else format(right, "f"),  # type: ignore[typeddict-item]
                "delta": delta,
                "cells": list(c.cells),
                "note": c.note,
            }
        )
    return out


def report_to_dict(report: AnnualReport, checks: Sequence[CheckResult]) -> ReportDict:
    """The report, its tables, the given ``checks`` (``validate(report)``) and every table cell, as
    JSON-able data.  It does not validate: pass the checks to serialise (``()`` for none)."""
    table_name, meaning_name = _TABLE, _MEANING
    cells: list[CellRow] = []
    methods: list[str] = []  # how each cell of ``cells`` was read (model.READ_METHODS)
    proactive: ProactiveDict | None = None
    if report.proactive is not None:
        proactive = {}
        for cell in report.proactive.cell_rows:
            number = _json_value(cell[5])
            amount = cell[2] in ("amount", "amount_10k_yuan")
            proactive.setdefault(cell[1], {})[cell[2]] = (
                {"value": number, "unit": cell[6]} if amount else number
            )
            cells.append(cell)
        methods.extend(["row"] * len(report.proactive.cell_rows))
    requests: RequestsDict | None = None
    if report.requests is not None:
        t = report.requests
        rows: dict[str, list[JsonValue]] = {}
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
    appeals: AppealsDict | None = None
    if report.appeals is not None:
        a = report.appeals
        appeals = {
            g: {c[2]: c[5] for c in row}  # type: ignore[misc]  # counts: int or None, never Decimal
            for g, row in zip(a.groups, a.grid_rows, strict=True)
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
        "checks": _check_dicts(checks),
        "cells": [
            {
                "table": table_name[table],
                "row": row,
                "col": col,
                "value": value if value.__class__ is not Decimal else format(value, "f"),  # type: ignore[typeddict-item]
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
