"""The exports' tables as data: for each of ``reports``, ``cells``, ``checks`` and ``current``, its
columns (name, Frictionless type, meaning, the SQL it is read from), where its rows come from and
their order.  One declaration gives the query, the CSV header, the Parquet schema and the data
package's table schema (:mod:`gxbg.store.export`, :mod:`gxbg.store.datapackage`), so a column has one
type in every format.  No IO.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gxbg.store.schema import (
    AGENCIES,
    CELLS,
    CHECK_RESULTS,
    DOCUMENTS,
    PORTALS,
    REPORT_VERSIONS,
    REPORTS,
)

__all__ = ["COLUMNS", "DESCRIPTIONS", "REPORT_JSON_KEYS", "TABLES", "Column", "ExportTable"]


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: its name, its Frictionless type, its meaning and the SQL it is read from
    (``None``: computed from the other columns after reading)."""

    name: str
    type: str  # integer | number | string | boolean | date | datetime
    description: str
    source: sa.ColumnElement[Any] | None = None


@dataclass(frozen=True, slots=True)
class ExportTable:
    """One export: what a record is, its columns, the rows they are read from and their order."""

    what: str
    description: str
    columns: tuple[Column, ...]
    source: sa.FromClause
    order_by: tuple[sa.ColumnElement[Any], ...]
    versioned: bool = True  # one record per stored version (``current_only`` keeps current ones)


_V, _R, _A, _P = REPORT_VERSIONS.c, REPORTS.c, AGENCIES.c, PORTALS.c
_C, _K = CELLS.c, CHECK_RESULTS.c
_VERSION_JOIN = (
    REPORT_VERSIONS.join(REPORTS, _R.id == _V.report_id)
    .join(AGENCIES, _A.id == _R.agency_id)
    .join(PORTALS, _P.id == _A.portal_id)
)

_VERSION = (
    Column("version_id", "integer", "report version (one content of a report) — report_versions.id", _V.id),
    Column("report_id", "integer", "report (one agency × year) — reports.id", _V.report_id),
    Column("is_current", "boolean", "true for the report's current version", _V.is_current),
    Column("agency", "string", "publishing agency as printed (scoped by portal)", _A.name),
    Column("year", "integer", "report year N (published in N+1)", _R.year),
    Column("format", "string", "report form: 2019 (2019-2020 reports), 2021 (2021 on) or pre2019", _V.format),
    Column(
        "portal",
        "string",
        "portal the agency's name is scoped to (where the report was first found)",
        _P.name,
    ),
    Column(
        "source_url",
        "string",
        "canonical URL of the report page: with the content, the version's identity",
        _V.source_url,
    ),
)
REPORT_COLUMNS = (
    *_VERSION,
    Column("listed_by", "string", "every portal that listed this version, '; '-separated"),
    Column("title", "string", "report title", _V.title),
    Column("published", "date", "printed date, else the page's or the listing's date", _V.published),
    Column("final_url", "string", "URL after redirects (a report file for attachment reports)", _V.final_url),
    Column("fetched_at", "datetime", "when this content was first fetched (UTC)", _V.fetched_at),
    Column(
        "content_sha256", "string", "sha256 of the report's clean text (the version key)", _V.content_sha256
    ),
    Column(
        "document_sha256",
        "string",
        "sha256 of the fetched body: its key in the raw archive",
        DOCUMENTS.c.sha256,
    ),
    Column("parser_version", "string", "gxbg.PARSER_VERSION that produced the numbers", _V.parser_version),
    Column(
        "n_cells", "integer", "number of table cells (rows of the cells export for this version)", _V.n_cells
    ),
    Column("n_checks", "integer", "number of check results", _V.n_checks),
)
#: Top-level keys of the report JSON (docs/report-json.md) added to ``reports`` in JSON Lines only.
REPORT_JSON_KEYS = (
    ("sections", "object", "section texts: overview, proactive, requests, appeals, problems, other"),
    ("tables", "object", "表二/表三/表四 as nested objects (docs/report-json.md)"),
    ("checks", "array", "check results with their evidence"),
    ("cells", "array", "every table cell in long format"),
)
CELL_COLUMNS = (
    *_VERSION,
    Column("table_key", "string", "proactive (表二), requests (表三) or appeals (表四)", _C.table_key),
    Column("row_key", "string", "row key (docs/report-json.md, the codebook)", _C.row_key),
    Column("col_key", "string", "column key", _C.col_key),
    Column("value", "integer", "the count, when the cell is a count printed as a number or 0", _C.value),
    Column(
        "amount", "string", "exact decimal (as text) for money cells (unit set) or a count that is not whole"
    ),
    Column("raw", "string", "the cell as printed", _C.raw),
    Column(
        "meaning", "string", "number, zero, blank, na (/ or 无) or text: a blank is not a zero", _C.meaning
    ),
    Column("unit", "string", "元 or 万元 for money, else empty", _C.unit),
)
CHECK_COLUMNS = (
    *_VERSION,
    Column("seq", "integer", "position of the check in the report's list", _K.seq),
    Column("rule", "string", "rule id (report-format §10), e.g. T3-BAL", _K.rule),
    Column("scope", "string", "column or group the rule was applied to", _K.scope),
    Column(
        "status",
        "string",
        "PASS, FAIL, UNCERTAIN (a cell not read with certainty) or NOT_ASSESSABLE",
        _K.status,
    ),
    Column("severity", "string", "hard or soft", _K.severity),
    Column("expr", "string", "the rule as an equation", _K.expr),
    Column("left", "string", "left side, exact decimal as text (a side may be an amount)", _K.left),
    Column("right", "string", "right side, exact decimal as text", _K.right),
    Column("delta", "string", "left - right, exact decimal as text", _K.delta),
    Column("cells_json", "string", "evidence: the cells the check read, as a JSON array", _K.cells),
    Column(
        "human_status", "string", "a reviewer's decision (confirmed, dismissed…), if any", _K.human_status
    ),
)
_HEADLINES = (
    ("received_total", "表三 新收政府信息公开申请数量, total column"),
    ("carried_in_total", "表三 上年结转政府信息公开申请数量, total"),
    ("disclosed_total", "表三 予以公开, total"),
    ("partly_disclosed_total", "表三 部分公开, total"),
    ("handled_total", "表三 总计 (handled), total"),
    ("carried_out_total", "表三 结转下年度继续办理, total"),
    ("review_total", "表四 行政复议 总计"),
    ("litigation_direct_total", "表四 未经复议直接起诉 总计"),
    ("litigation_after_review_total", "表四 复议后起诉 总计"),
)
_CURRENT = (
    ("report_id", "integer", "report (one agency × year) — reports.id"),
    ("version_id", "integer", "its current version — report_versions.id"),
    ("agency", "string", "publishing agency as printed (scoped by portal)"),
    ("year", "integer", "report year N (published in N+1)"),
    ("format", "string", "report form: 2019, 2021 or pre2019"),
    ("title", "string", "report title"),
    ("published", "date", "printed date, else the page's or the listing's date"),
    ("portal", "string", "portal the agency's name is scoped to"),
    ("source_url", "string", "canonical URL of the report page"),
    ("final_url", "string", "URL after redirects"),
    ("fetched_at", "datetime", "when the current content was first fetched (UTC)"),
    ("content_sha256", "string", "sha256 of the report's clean text"),
    ("parser_version", "string", "gxbg.PARSER_VERSION that produced the numbers"),
    *(
        (name, "integer", f"{label}; empty when not printed as a number (a blank is not a zero)")
        for name, label in _HEADLINES
    ),
    ("fail_count", "integer", "checks that FAIL"),
    ("uncertain_count", "integer", "checks that are UNCERTAIN"),
    ("check_count", "integer", "checks run"),
)
#: The analysis view (migrations 0002/0003): it already holds current versions only.
_CURRENT_VIEW = sa.table("current_reports", *(sa.column(name) for name, _, _ in _CURRENT))
CURRENT_COLUMNS = tuple(
    Column(name, kind, meaning, _CURRENT_VIEW.c[name]) for name, kind, meaning in _CURRENT
)
DESCRIPTIONS = {
    "reports": "One record per report version with its provenance (JSON Lines: plus the whole report JSON).",
    "cells": "Every table cell of every version, long format: one row per table × row × column.",
    "checks": "Every check result of every version, with both sides and its evidence.",
    "current": "One row per report: its current version, headline figures of 表三/表四 and check counts.",
}

TABLES: dict[str, ExportTable] = {
    "reports": ExportTable(
        "reports",
        DESCRIPTIONS["reports"],
        REPORT_COLUMNS,
        _VERSION_JOIN.outerjoin(DOCUMENTS, DOCUMENTS.c.id == _V.document_id),
        (_V.id,),
    ),
    "cells": ExportTable(
        "cells",
        DESCRIPTIONS["cells"],
        CELL_COLUMNS,
        _VERSION_JOIN.join(CELLS, _C.version_id == _V.id),
        (_V.id, _C.id),
    ),
    "checks": ExportTable(
        "checks",
        DESCRIPTIONS["checks"],
        CHECK_COLUMNS,
        _VERSION_JOIN.join(CHECK_RESULTS, _K.version_id == _V.id),
        (_V.id, _K.seq),
    ),
    "current": ExportTable(
        "current",
        DESCRIPTIONS["current"],
        CURRENT_COLUMNS,
        _CURRENT_VIEW,
        (_CURRENT_VIEW.c.report_id,),
        versioned=False,
    ),
}
COLUMNS: dict[str, tuple[Column, ...]] = {what: table.columns for what, table in TABLES.items()}
