"""Exports for researchers: report versions, cells, check results, or one row per report (``current``),
as JSON Lines, CSV or Parquet, each with a Frictionless ``datapackage.json`` beside it.

Every export's columns are declared once (:data:`COLUMNS`) and the same declaration gives the CSV
header, the Parquet schema and the data package's table schema, so a column has one type in every
format: counts are integers (``value``, the headline figures), money is an exact decimal as text
(``amount``: a Parquet decimal would print ``Decimal('0E-10')``), ``format`` is text ("2019", "2021",
"pre2019"), dates are ISO dates.  The report JSON goes only to JSON Lines (``reports``): a CSV cell holds at
most Excel's 32,767 characters, and a longer text value is cut with a marker saying so.

Output is written to a temporary file and renamed into place, so a crash never leaves a half-written
export under the final name; a pipe or ``/dev/stdout`` is written directly (with no data package).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store.errors import StoreError
from gxbg.store.schema import (
    AGENCIES,
    CELLS,
    CHECK_RESULTS,
    DOCUMENTS,
    PORTALS,
    REPORT_LISTINGS,
    REPORT_VERSIONS,
    REPORTS,
)
from gxbg.store.types import decimal_to_json

FORMATS = ("jsonl", "csv", "parquet")
WHATS = ("reports", "cells", "checks", "current")
EXCEL_CELL_LIMIT = 32_767
DATAPACKAGE = "datapackage.json"
_BATCH = 5_000


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: its name, its Frictionless type and its meaning."""

    name: str
    type: str  # integer | number | string | boolean | date | datetime
    description: str


_ARROW = {
    "integer": pa.int64(),
    "string": pa.string(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}

_VERSION = (
    Column("version_id", "integer", "report version (one content of a report) — report_versions.id"),
    Column("report_id", "integer", "report (one agency × year) — reports.id"),
    Column("is_current", "boolean", "true for the report's current version"),
    Column("agency", "string", "publishing agency as printed (scoped by portal)"),
    Column("year", "integer", "report year N (published in N+1)"),
    Column("format", "string", "report form: 2019 (2019-2020 reports), 2021 (2021 on) or pre2019"),
    Column("portal", "string", "portal the agency's name is scoped to (where the report was first found)"),
    Column(
        "source_url", "string", "canonical URL of the report page: with the content, the version's identity"
    ),
)
REPORT_COLUMNS = (
    *_VERSION,
    Column("listed_by", "string", "every portal that listed this version, '; '-separated"),
    Column("title", "string", "report title"),
    Column("published", "date", "printed date, else the page's or the listing's date"),
    Column("final_url", "string", "URL after redirects (a report file for attachment reports)"),
    Column("fetched_at", "datetime", "when this content was first fetched (UTC)"),
    Column("content_sha256", "string", "sha256 of the report's clean text (the version key)"),
    Column("document_sha256", "string", "sha256 of the fetched body: its key in the raw archive"),
    Column("parser_version", "string", "gxbg.PARSER_VERSION that produced the numbers"),
    Column("n_cells", "integer", "number of table cells (rows of the cells export for this version)"),
    Column("n_checks", "integer", "number of check results"),
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
    Column("table_key", "string", "proactive (表二), requests (表三) or appeals (表四)"),
    Column("row_key", "string", "row key (docs/report-json.md, the codebook)"),
    Column("col_key", "string", "column key"),
    Column("value", "integer", "the count, when the cell is a count printed as a number or 0"),
    Column(
        "amount", "string", "exact decimal (as text) for money cells (unit set) or a count that is not whole"
    ),
    Column("raw", "string", "the cell as printed"),
    Column("meaning", "string", "number, zero, blank, na (/ or 无) or text: a blank is not a zero"),
    Column("unit", "string", "元 or 万元 for money, else empty"),
)
CHECK_COLUMNS = (
    *_VERSION,
    Column("seq", "integer", "position of the check in the report's list"),
    Column("rule", "string", "rule id (report-format §10), e.g. T3-BAL"),
    Column("scope", "string", "column or group the rule was applied to"),
    Column("status", "string", "PASS, FAIL, UNCERTAIN (a cell not read with certainty) or NOT_ASSESSABLE"),
    Column("severity", "string", "hard or soft"),
    Column("expr", "string", "the rule as an equation"),
    Column("left", "string", "left side, exact decimal as text (a side may be an amount)"),
    Column("right", "string", "right side, exact decimal as text"),
    Column("delta", "string", "left - right, exact decimal as text"),
    Column("cells_json", "string", "evidence: the cells the check read, as a JSON array"),
    Column("human_status", "string", "a reviewer's decision (confirmed, dismissed…), if any"),
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
CURRENT_COLUMNS = (
    Column("report_id", "integer", "report (one agency × year) — reports.id"),
    Column("version_id", "integer", "its current version — report_versions.id"),
    Column("agency", "string", "publishing agency as printed (scoped by portal)"),
    Column("year", "integer", "report year N (published in N+1)"),
    Column("format", "string", "report form: 2019, 2021 or pre2019"),
    Column("title", "string", "report title"),
    Column("published", "date", "printed date, else the page's or the listing's date"),
    Column("portal", "string", "portal the agency's name is scoped to"),
    Column("source_url", "string", "canonical URL of the report page"),
    Column("final_url", "string", "URL after redirects"),
    Column("fetched_at", "datetime", "when the current content was first fetched (UTC)"),
    Column("content_sha256", "string", "sha256 of the report's clean text"),
    Column("parser_version", "string", "gxbg.PARSER_VERSION that produced the numbers"),
    *(
        Column(name, "integer", f"{label}; empty when not printed as a number (a blank is not a zero)")
        for name, label in _HEADLINES
    ),
    Column("fail_count", "integer", "checks that FAIL"),
    Column("uncertain_count", "integer", "checks that are UNCERTAIN"),
    Column("check_count", "integer", "checks run"),
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    "reports": REPORT_COLUMNS,
    "cells": CELL_COLUMNS,
    "checks": CHECK_COLUMNS,
    "current": CURRENT_COLUMNS,
}
DESCRIPTIONS = {
    "reports": "One record per report version with its provenance (JSON Lines: plus the whole report JSON).",
    "cells": "Every table cell of every version, long format: one row per table × row × column.",
    "checks": "Every check result of every version, with both sides and its evidence.",
    "current": "One row per report: its current version, headline figures of 表三/表四 and check counts.",
}

_V, _R, _A, _P = REPORT_VERSIONS.c, REPORTS.c, AGENCIES.c, PORTALS.c
_VERSION_SELECT = (
    _V.id.label("version_id"),
    _V.report_id.label("report_id"),
    _V.is_current.label("is_current"),
    _A.name.label("agency"),
    _R.year.label("year"),
    _V.format.label("format"),
    _P.name.label("portal"),
    _V.source_url.label("source_url"),
)
_VERSION_JOIN = (
    REPORT_VERSIONS.join(REPORTS, _R.id == _V.report_id)
    .join(AGENCIES, _A.id == _R.agency_id)
    .join(PORTALS, _P.id == _A.portal_id)
)


def arrow_schema(what: str) -> pa.Schema:
    """The Parquet schema of an export (from :data:`COLUMNS`)."""
    return pa.schema([(column.name, _ARROW[column.type]) for column in COLUMNS[what]])


def _query(what: str, current_only: bool, *, report_json: bool = False) -> sa.Select[Any]:
    if what == "current":  # the view already holds current versions only
        view = sa.table("current_reports", *(sa.column(c.name) for c in CURRENT_COLUMNS))
        return sa.select(*view.columns).order_by(view.c.report_id)
    if what == "reports":
        query = (
            sa.select(
                *_VERSION_SELECT,
                _V.title.label("title"),
                _V.published.label("published"),
                _V.final_url.label("final_url"),
                _V.fetched_at.label("fetched_at"),
                _V.content_sha256.label("content_sha256"),
                DOCUMENTS.c.sha256.label("document_sha256"),
                _V.parser_version.label("parser_version"),
                _V.n_cells.label("n_cells"),
                _V.n_checks.label("n_checks"),
                *((_V.report_json.label("report_json"),) if report_json else ()),
            )
            .select_from(_VERSION_JOIN.outerjoin(DOCUMENTS, DOCUMENTS.c.id == _V.document_id))
            .order_by(_V.id)
        )
    elif what == "cells":
        c = CELLS.c
        query = (
            sa.select(*_VERSION_SELECT, c.table_key, c.row_key, c.col_key, c.value, c.raw, c.meaning, c.unit)
            .select_from(_VERSION_JOIN.join(CELLS, c.version_id == _V.id))
            .order_by(_V.id, c.id)
        )
    else:
        k = CHECK_RESULTS.c
        query = (
            sa.select(
                *_VERSION_SELECT,
                k.seq,
                k.rule,
                k.scope,
                k.status,
                k.severity,
                k.expr,
                k.left,
                k.right,
                k.delta,
                k.cells.label("cells_json"),
                k.human_status,
            )
            .select_from(_VERSION_JOIN.join(CHECK_RESULTS, k.version_id == _V.id))
            .order_by(_V.id, k.seq)
        )
    return query.where(_V.is_current) if current_only else query


def _whole(value: Any, *, what: str) -> int | None:
    """A count as an int (the database may hand back Decimal('7'), 7.0 or 7)."""
    if value is None:
        return None
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if number != number.to_integral_value():
        raise StoreError(f"{what}: {value} is not a whole number")
    return int(number)


def _exact(value: Any) -> str | None:
    """An exact decimal as text ("7", "7730.28")."""
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return str(decimal_to_json(number))


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # SQLite views hand dates back as text


def _stamp(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)  # SQLite views: naive UTC text


def _typed(columns: tuple[Column, ...], row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with each column's value in its declared type (Python: int, str, bool, date, datetime)."""
    out: dict[str, Any] = {}
    for column in columns:
        value = row.get(column.name)
        if value is None:
            out[column.name] = None
        elif column.type == "integer":
            out[column.name] = _whole(value, what=column.name)
        elif column.type == "boolean":
            out[column.name] = bool(value)
        elif column.type == "date":
            out[column.name] = _date(value)
        elif column.type == "datetime":
            out[column.name] = _stamp(value)
        elif isinstance(value, Decimal | float) or (isinstance(value, int) and not isinstance(value, bool)):
            out[column.name] = _exact(value)
        else:
            out[column.name] = str(value)
    return out


def _cell_row(row: dict[str, Any]) -> dict[str, Any]:
    value = row.pop("value")
    count = value is not None and row["unit"] is None
    if count and Decimal(str(value)) == Decimal(str(value)).to_integral_value():
        row["value"], row["amount"] = value, None
    else:
        row["value"], row["amount"] = None, _exact(value)
    return row


def _check_row(row: dict[str, Any]) -> dict[str, Any]:
    evidence = row["cells_json"]
    if isinstance(evidence, str):  # SQLite JSON comes back parsed; keep the text canonical either way
        evidence = json.loads(evidence)
    row["cells_json"] = None if evidence is None else json.dumps(evidence, ensure_ascii=False)
    return row


def _listed_by(conn: Connection) -> dict[int, str]:
    rows = conn.execute(
        sa.select(REPORT_LISTINGS.c.version_id, _P.name)
        .join(PORTALS, _P.id == REPORT_LISTINGS.c.portal_id)
        .order_by(REPORT_LISTINGS.c.version_id, _P.name)
    )
    names: dict[int, list[str]] = {}
    for version_id, name in rows:
        names.setdefault(int(version_id), []).append(str(name))
    return {version_id: "; ".join(found) for version_id, found in names.items()}


def _records(conn: Connection, fmt: str, what: str, current_only: bool) -> Iterator[dict[str, Any]]:
    """Typed records of the export; ``reports`` in JSON Lines carry the report JSON's keys too."""
    columns = COLUMNS[what]
    fix: Callable[[dict[str, Any]], dict[str, Any]] = {"cells": _cell_row, "checks": _check_row}.get(
        what, lambda row: row
    )
    listed = _listed_by(conn) if what == "reports" else {}
    with_json = what == "reports" and fmt == "jsonl"  # the report JSON goes to JSON Lines only
    result = conn.execution_options(yield_per=_BATCH).execute(
        _query(what, current_only, report_json=with_json)
    )
    for mapping in result.mappings():
        row = fix(dict(mapping))
        if what == "reports":
            row["listed_by"] = listed.get(int(row["version_id"]))
        record = _typed(columns, row)
        if with_json:
            report = row["report_json"]
            report = json.loads(report) if isinstance(report, str) else report
            record = {**report, **record}  # provenance wins on a clash
        yield record


def _plain(value: Any) -> Any:
    """A JSON/CSV spelling of one typed value."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _excel_cell(value: Any) -> Any:
    """CSV text: booleans as true/false, texts cut to Excel's cell limit with a marker saying so."""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = _plain(value)
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        marker = f" …[cut: {len(value)} characters; the whole text is in the JSON Lines export]"
        return value[: EXCEL_CELL_LIMIT - len(marker)] + marker
    return value


def _write_jsonl(path: Path, records: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            plain = {key: _plain(value) for key, value in record.items()}
            handle.write(json.dumps(plain, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def _write_csv(path: Path, columns: list[str], records: Iterator[dict[str, Any]], *, bom: bool) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for record in records:
            writer.writerow({key: _excel_cell(value) for key, value in record.items()})
            count += 1
    return count


def _write_parquet(path: Path, schema: pa.Schema, records: Iterator[dict[str, Any]]) -> int:
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count, batch = count + len(batch), []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        count += len(batch)
    return count


def resource(what: str, fmt: str, path: str, *, excel: bool = False) -> dict[str, Any]:
    """The Frictionless data resource describing one export file (``path`` relative to the package)."""
    fields: list[dict[str, Any]] = [
        {"name": c.name, "type": c.type, "description": c.description} for c in COLUMNS[what]
    ]
    if what == "reports" and fmt == "jsonl":
        fields += [{"name": n, "type": t, "description": d} for n, t, d in REPORT_JSON_KEYS]
    name = re.sub(r"[^a-z0-9._-]+", "-", Path(path).name.lower()).strip("-") or what
    described: dict[str, Any] = {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "description": DESCRIPTIONS[what],
        "format": fmt,
        "mediatype": {
            "csv": "text/csv",
            "jsonl": "application/jsonl",
            "parquet": "application/vnd.apache.parquet",
        }[fmt],
        "schema": {"fields": fields, "missingValues": [""]},
    }
    if fmt == "csv":
        described["encoding"] = "utf-8-sig" if excel else "utf-8"
        described["dialect"] = {"delimiter": ",", "header": True, "lineTerminator": "\r\n"}
    elif fmt == "jsonl":
        described["encoding"] = "utf-8"
    return described


def write_datapackage(directory: Path, described: dict[str, Any]) -> Path:
    """Add ``described`` to ``directory``/datapackage.json (replacing a resource of the same path) and
    return the package's path: one package per export folder, one resource per export file."""
    path = directory / DATAPACKAGE
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "gxbg-export",
        "title": "政府信息公开工作年度报告 — gxbg export",
        "description": "Figures of the annual reports on government information disclosure, read by gxbg "
        "(docs/storage.md, docs/report-json.md). A printed 0, a blank and '/' stay apart: see `meaning`.",
        "resources": [],
    }
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            existing = None
        if isinstance(existing, dict) and isinstance(existing.get("resources"), list):
            package = existing
    package["resources"] = [
        r for r in package["resources"] if not (isinstance(r, dict) and r.get("path") == described["path"])
    ] + [described]
    tmp = path.with_name(f".{DATAPACKAGE}.tmp")
    tmp.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def export(
    conn: Connection,
    *,
    fmt: str,
    out: Path,
    what: str,
    current_only: bool = False,
    excel: bool = False,
) -> int:
    """Write the export to ``out`` atomically (and its ``datapackage.json`` beside it); return the number
    of records."""
    if fmt not in FORMATS:
        raise StoreError(f"export format {fmt!r} is not one of {FORMATS}")
    if what not in WHATS:
        raise StoreError(f"export of {what!r}: choose one of {WHATS}")
    if excel and fmt != "csv":
        raise StoreError("the Excel flavour (a UTF-8 byte order mark) is for CSV only")
    if _is_stream(out):  # /dev/stdout, a pipe: nothing to rename into place, no package beside it
        return _write(conn, fmt, what, current_only, out, excel=excel)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        count = _write(conn, fmt, what, current_only, tmp, excel=excel)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    described = resource(what, fmt, out.name, excel=excel)
    if current_only and what != "current":
        described["description"] += " Current versions only."
    write_datapackage(out.parent, described)
    return count


def _is_stream(out: Path) -> bool:
    """True for outputs that must be written in place (symlinks such as /dev/stdout, devices, pipes)."""
    return (
        out.is_symlink()
        or (out.exists() and not out.is_file())
        or out.parts[:2] in (("/", "dev"), ("/", "proc"))
    )


def _write(conn: Connection, fmt: str, what: str, current_only: bool, path: Path, *, excel: bool) -> int:
    records = _records(conn, fmt, what, current_only)
    if fmt == "jsonl":
        return _write_jsonl(path, records)
    if fmt == "csv":
        return _write_csv(path, [c.name for c in COLUMNS[what]], records, bom=excel)
    return _write_parquet(path, arrow_schema(what), records)
