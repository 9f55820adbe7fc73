"""Turn one ``report_to_dict`` document (plus its source) into the rows of one report version.

Pure: no database, no clock.  It checks what the database relies on — keys present, numbers
exact, a cell's ``meaning`` agreeing with its ``value`` (a blank is never a zero) — and raises
:class:`StoreError` naming the offending item.  Unknown keys are tolerated: cells and checks
keep theirs in the stored report JSON, checks also in ``extra``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from gxbg.extract.serialize import CellDict, CheckDict, ReportDict
from gxbg.store.errors import StoreError
from gxbg.store.records import ReportSource
from gxbg.store.types import to_date, to_decimal, to_utc

MEANINGS = frozenset({"number", "zero", "blank", "na", "text"})
STATUSES = frozenset({"PASS", "FAIL", "UNCERTAIN", "NOT_ASSESSABLE"})
_CHECK_COLUMNS = ("rule", "scope", "status", "severity", "expr", "left", "right", "delta", "cells")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class SectionRow(TypedDict):
    """A ``sections`` row (without its version id)."""

    section_key: str
    text: str


class CellRow(TypedDict):
    """A ``cells`` row (without its version id): the value exact, the meaning checked against it."""

    table_key: str
    row_key: str
    col_key: str
    value: Decimal | None
    raw: str | None
    meaning: str
    unit: str | None


class CheckRow(TypedDict):
    """A ``check_results`` row (without its version id); keys beyond the columns are in ``extra``."""

    seq: int
    rule: str
    scope: str | None
    status: str
    severity: str | None
    expr: str | None
    left: Decimal | None
    right: Decimal | None
    delta: Decimal | None
    cells: list[str] | None
    extra: dict[str, object] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionRows:
    """Everything one report version writes, ready for ``INSERT``."""

    agency: str
    year: int
    format: str
    title: str | None
    published: dt.date | None
    parser_version: str | None
    content_sha256: str
    document_sha256: str
    source_url: str
    final_url: str | None
    fetched_at: dt.datetime
    document_url: str  # the fetched resource's URL: the page, or the report file a page links to
    listed_title: str | None  # what the portal's listing showed: kept across re-parses
    listed_published: dt.date | None
    report_json: dict[str, Any]
    sections: tuple[SectionRow, ...]
    cells: tuple[CellRow, ...]
    checks: tuple[CheckRow, ...]


def _text(value: object, *, what: str, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise StoreError(f"{what} is missing")
        return None
    if not isinstance(value, str):
        raise StoreError(f"{what}: expected a string, got {type(value).__name__}")
    return value


def _required(value: object, *, what: str) -> str:
    """A text that must be there: ``StoreError`` when it is missing or not a string."""
    text = _text(value, what=what, required=True)
    assert text is not None  # required: _text raised instead
    return text


def _sha256(value: object, *, what: str) -> str:
    text = _required(value, what=what)
    if not _SHA256.fullmatch(text):
        raise StoreError(f"{what}: {text!r} is not a lower-case sha256 hex digest")
    return text


def _year(report: ReportDict, source: ReportSource) -> int:
    year = report.get("year") if report.get("year") is not None else source.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise StoreError(
            f"report year: expected an integer, got {year!r}; a report is keyed by (agency, year)"
        )
    return year


def _sections(report: ReportDict) -> tuple[SectionRow, ...]:
    sections = report.get("sections") or {}
    if not isinstance(sections, dict):
        raise StoreError(f"sections: expected an object, got {type(sections).__name__}")
    rows: list[SectionRow] = []
    for key, text in sections.items():
        if text is None:
            continue
        if not isinstance(text, str):
            raise StoreError(f"section {key!r}: expected text or null, got {type(text).__name__}")
        rows.append({"section_key": str(key), "text": text})
    return tuple(rows)


def cell_row(cell: CellDict, *, index: int) -> CellRow:
    """One ``cells`` row; ``meaning`` and ``value`` must agree (report-format §9).

    >>> cell_row({"table": "appeals", "row": "review", "col": "total", "value": 0, "raw": "0",
    ...           "meaning": "zero", "unit": None}, index=0)["value"]
    Decimal('0')
    """
    where = f"cell #{index} ({cell.get('table')}/{cell.get('row')}/{cell.get('col')})"
    keys = {name: _required(cell.get(name), what=f"{where} {name}") for name in ("table", "row", "col")}
    meaning = cell.get("meaning")
    if meaning not in MEANINGS:
        raise StoreError(f"{where}: meaning {meaning!r} is not one of {sorted(MEANINGS)}")
    value = to_decimal(cell.get("value"), what=f"{where} value")
    if meaning == "number" and value is None:
        raise StoreError(f"{where}: meaning 'number' needs a value")
    if meaning == "zero" and value != 0:
        raise StoreError(f"{where}: meaning 'zero' needs the value 0, got {value}")
    if meaning in ("blank", "na", "text") and value is not None:
        raise StoreError(f"{where}: meaning {meaning!r} must have a null value (a blank is not a zero)")
    return {
        "table_key": keys["table"],
        "row_key": keys["row"],
        "col_key": keys["col"],
        "value": value,
        "raw": None if cell.get("raw") is None else str(cell["raw"]),
        "meaning": meaning,
        "unit": _text(cell.get("unit"), what=f"{where} unit"),
    }


def _scope(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def check_row(check: CheckDict, *, seq: int) -> CheckRow:
    """One ``check_results`` row; keys beyond the columns go to ``extra``."""
    where = f"check #{seq} ({check.get('rule')})"
    status = check.get("status")
    if status not in STATUSES:
        raise StoreError(f"{where}: status {status!r} is not one of {sorted(STATUSES)}")
    extra = {key: value for key, value in check.items() if key not in _CHECK_COLUMNS}
    return {
        "seq": seq,
        "rule": _required(check.get("rule"), what=f"{where} rule"),
        "scope": _scope(check.get("scope")),
        "status": status,
        "severity": _text(check.get("severity"), what=f"{where} severity"),
        "expr": _text(check.get("expr"), what=f"{where} expr"),
        "left": to_decimal(check.get("left"), what=f"{where} left"),
        "right": to_decimal(check.get("right"), what=f"{where} right"),
        "delta": to_decimal(check.get("delta"), what=f"{where} delta"),
        "cells": check.get("cells"),
        "extra": extra or None,
    }


def _json_copy(report: ReportDict) -> dict[str, Any]:
    try:
        copy = json.loads(json.dumps(report, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"report is not plain JSON ({exc}); pass gxbg.report_to_dict(report)") from None
    assert isinstance(copy, dict)
    return copy


def version_rows(report: ReportDict, source: ReportSource) -> VersionRows:
    """Check and convert one report and its source (see ``Store.load_report``)."""
    agency = _text(report.get("agency"), what="report agency") or _text(
        source.get("agency"), what="source agency"
    )
    if agency is None:
        raise StoreError("report agency is missing (neither the report nor its source names one)")
    cells = tuple(cell_row(cell, index=i) for i, cell in enumerate(report.get("cells") or ()))
    seen: set[tuple[str, str, str]] = set()
    for row in cells:
        key = (row["table_key"], row["row_key"], row["col_key"])
        if key in seen:
            raise StoreError(f"cell {'/'.join(key)} appears twice in the report")
        seen.add(key)
    document_sha256 = _sha256(source.get("sha256"), what="source sha256")
    text_sha256 = source.get("text_sha256")
    fetched_at = to_utc(source.get("fetched_at"), what="source fetched_at")
    if fetched_at is None:
        raise StoreError("source fetched_at is missing")
    title = _text(report.get("title"), what="report title") or _text(source.get("title"), what="source title")
    published = report.get("published") or source.get("published")
    source_url = _required(source.get("url"), what="source url")
    parser_version = source.get("parser_version")
    return VersionRows(
        agency=agency.strip(),
        year=_year(report, source),
        format=_required(report.get("format"), what="report format"),
        title=title,
        published=to_date(published, what="published"),
        parser_version=None if parser_version is None else str(parser_version),
        content_sha256=document_sha256 if text_sha256 is None else _sha256(text_sha256, what="text_sha256"),
        document_sha256=document_sha256,
        source_url=source_url,
        final_url=_text(source.get("final_url"), what="source final_url"),
        fetched_at=fetched_at,
        document_url=_text(source.get("document_url"), what="source document_url") or source_url,
        listed_title=_text(source.get("listed_title"), what="source listed_title"),
        listed_published=to_date(source.get("listed_published"), what="listed_published"),
        report_json=_json_copy(report),
        sections=_sections(report),
        cells=cells,
        checks=tuple(check_row(check, seq=i) for i, check in enumerate(report.get("checks") or ())),
    )
