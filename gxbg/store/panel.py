"""The panel: one row per agency × year (current versions), every table cell as a codebook column.

An agency is its canonical agency (:mod:`gxbg.store.agencies`) when its printed name is linked to one,
else the printed name on its portal (``agency_key`` says which: ``canonical:<id>`` / ``agency:<id>``),
so no report is dropped and none is counted twice.  When two current reports fall on one agency and
year, the lowest report id fills the row and ``n_reports`` says how many there were.

Each value column (:func:`gxbg.extract.codebook.codebook`) holds the printed number only: a blank,
``/``, text or a cell the report does not have is empty, and the companion ``<column>_meaning`` says
which (``number``, ``zero``, ``blank``, ``na``, ``text``; ``absent`` for no such cell).  Written as CSV
(UTF-8 with BOM, for spreadsheet users), Parquet or ``.xlsx`` (sheets ``panel`` and ``codebook``),
atomically like the other exports.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.extract.codebook import CSV_COLUMNS, Entry, codebook, column_name
from gxbg.store.crossyear import group_key
from gxbg.store.deadlines import china_date, judge, publication_deadline
from gxbg.store.errors import StoreError
from gxbg.store.schema import (
    AGENCIES,
    CANONICAL_AGENCIES,
    CELLS,
    CHECK_RESULTS,
    CROSS_YEAR_CHECKS,
    DOCUMENTS,
    PORTALS,
    REPORT_VERSIONS,
    REPORTS,
)

PANEL_FORMATS = ("csv", "parquet", "xlsx")
_CHUNK = 500  # panel rows whose cells are read in one query
ID_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("agency_key", pa.string()),
    ("canonical_agency_id", pa.int64()),
    ("agency", pa.string()),
    ("printed_name", pa.string()),
    ("region_code", pa.string()),
    ("region_name", pa.string()),
    ("province", pa.string()),
    ("level", pa.string()),
    ("parent_region_code", pa.string()),
    ("year", pa.int32()),
    ("format", pa.string()),
    ("published", pa.date32()),
    ("first_seen", pa.date32()),
    ("publication_status", pa.string()),
    ("checks_pass", pa.int64()),
    ("checks_fail", pa.int64()),
    ("checks_uncertain", pa.int64()),
    ("cross_year_fail", pa.int64()),
    ("cross_year_uncertain", pa.int64()),
    ("n_reports", pa.int64()),
    ("portal", pa.string()),
    ("source_url", pa.string()),
    ("version_id", pa.int64()),
)


def _value_type(entry: Entry) -> pa.DataType:
    return pa.decimal128(38, 10) if entry.kind == "amount" else pa.int64()


def panel_schema() -> pa.Schema:
    """Identity and status columns, then per codebook entry its value and ``_meaning`` columns."""
    fields = [pa.field(name, kind) for name, kind in ID_COLUMNS]
    for entry in codebook():
        fields += [
            pa.field(entry.column, _value_type(entry)),
            pa.field(f"{entry.column}_meaning", pa.string()),
        ]
    return pa.schema(fields)


def _counts(
    conn: Connection, table: sa.Table, version_ids: list[int], statuses: tuple[str, ...]
) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for start in range(0, len(version_ids), _CHUNK):
        chunk = version_ids[start : start + _CHUNK]
        query = (
            sa.select(table.c.version_id, table.c.status, sa.func.count().label("n"))
            .where(table.c.version_id.in_(chunk), table.c.status.in_(statuses))
            .group_by(table.c.version_id, table.c.status)
        )
        for row in conn.execute(query):
            out.setdefault(int(row.version_id), {})[row.status] = int(row.n)
    return out


def panel_rows(conn: Connection) -> Iterator[dict[str, Any]]:
    """The panel's rows (Python values: ints, Decimals, dates), ordered by agency key and year."""
    current = conn.execute(
        sa.select(
            REPORT_VERSIONS.c.id.label("version_id"),
            REPORTS.c.id.label("report_id"),
            REPORTS.c.year,
            REPORT_VERSIONS.c.format,
            REPORT_VERSIONS.c.published,
            REPORT_VERSIONS.c.source_url,
            AGENCIES.c.id.label("agency_id"),
            AGENCIES.c.name.label("printed_name"),
            AGENCIES.c.canonical_agency_id,
            PORTALS.c.name.label("portal"),
            CANONICAL_AGENCIES.c.name.label("canonical_name"),
            CANONICAL_AGENCIES.c.region_code,
            CANONICAL_AGENCIES.c.region_name,
            CANONICAL_AGENCIES.c.province,
            CANONICAL_AGENCIES.c.level,
            CANONICAL_AGENCIES.c.parent_region_code,
        )
        .select_from(
            REPORT_VERSIONS.join(REPORTS, REPORTS.c.id == REPORT_VERSIONS.c.report_id)
            .join(AGENCIES, AGENCIES.c.id == REPORTS.c.agency_id)
            .join(PORTALS, PORTALS.c.id == AGENCIES.c.portal_id)
            .outerjoin(CANONICAL_AGENCIES, CANONICAL_AGENCIES.c.id == AGENCIES.c.canonical_agency_id)
        )
        .where(REPORT_VERSIONS.c.is_current)
        .order_by(REPORTS.c.id)
    ).all()
    chosen: dict[tuple[str, int], Any] = {}
    counts: dict[tuple[str, int], int] = {}
    for row in current:
        key = (group_key(int(row.agency_id), row.canonical_agency_id), int(row.year))
        counts[key] = counts.get(key, 0) + 1
        chosen.setdefault(key, row)
    version_ids = [int(r.version_id) for r in chosen.values()]
    checks = _counts(conn, CHECK_RESULTS, version_ids, ("PASS", "FAIL", "UNCERTAIN"))
    cross = _counts(conn, CROSS_YEAR_CHECKS, version_ids, ("FAIL", "UNCERTAIN"))
    first_seen = _first_seen(conn, [int(r.report_id) for r in chosen.values()])
    entries = codebook()
    order = sorted(chosen, key=lambda k: (k[0].split(":")[0], int(k[0].split(":")[1]), k[1]))
    cells_of: dict[int, list[Any]] = {}
    for start, key in enumerate(order):
        if start % _CHUNK == 0:  # the cells of the next _CHUNK rows in one query
            chunk = [int(chosen[k].version_id) for k in order[start : start + _CHUNK]]
            cells_of = {vid: [] for vid in chunk}
            query = sa.select(
                CELLS.c.version_id, CELLS.c.table_key, CELLS.c.row_key, CELLS.c.col_key, CELLS.c.value,
                CELLS.c.meaning,
            ).where(CELLS.c.version_id.in_(chunk))  # fmt: skip
            for cell in conn.execute(query):
                cells_of[int(cell.version_id)].append(cell)
        row = chosen[key]
        vid = int(row.version_id)
        seen = first_seen.get(int(row.report_id))
        level = row.level
        status = None
        if level is not None and seen is not None:
            status = judge(row.published, seen, publication_deadline(int(row.year), level).date)
        record: dict[str, Any] = {
            "agency_key": key[0],
            "canonical_agency_id": row.canonical_agency_id,
            "agency": row.canonical_name or row.printed_name,
            "printed_name": row.printed_name,
            "region_code": row.region_code,
            "region_name": row.region_name,
            "province": row.province,
            "level": level,
            "parent_region_code": row.parent_region_code,
            "year": int(row.year),
            "format": row.format,
            "published": row.published,
            "first_seen": seen,
            "publication_status": status,
            "checks_pass": checks.get(vid, {}).get("PASS", 0),
            "checks_fail": checks.get(vid, {}).get("FAIL", 0),
            "checks_uncertain": checks.get(vid, {}).get("UNCERTAIN", 0),
            "cross_year_fail": cross.get(vid, {}).get("FAIL", 0),
            "cross_year_uncertain": cross.get(vid, {}).get("UNCERTAIN", 0),
            "n_reports": counts[key],
            "portal": row.portal,
            "source_url": row.source_url,
            "version_id": vid,
        }
        for entry in entries:
            record[entry.column] = None
            record[f"{entry.column}_meaning"] = "absent"
        for cell in cells_of[vid]:
            try:
                name = column_name(cell.table_key, cell.row_key, cell.col_key)
            except KeyError:
                continue
            if name not in record:  # a cell outside the codebook (organization_subtotal)
                continue
            certain = cell.meaning in ("number", "zero") and cell.value is not None
            record[name] = cell.value if certain else None
            record[f"{name}_meaning"] = cell.meaning
        yield record


def _first_seen(conn: Connection, report_ids: list[int]) -> dict[int, dt.date]:
    """Report id → the China date of its earliest first fetch (any version), as ``gxbg status`` has it."""
    out: dict[int, dt.date] = {}
    rows: list[Any] = []
    for start in range(0, len(report_ids), _CHUNK):
        query = (
            sa.select(
                REPORT_VERSIONS.c.report_id, REPORT_VERSIONS.c.fetched_at, DOCUMENTS.c.fetched_at.label("doc")
            )
            .select_from(
                REPORT_VERSIONS.outerjoin(DOCUMENTS, DOCUMENTS.c.id == REPORT_VERSIONS.c.document_id)
            )
            .where(REPORT_VERSIONS.c.report_id.in_(report_ids[start : start + _CHUNK]))
        )
        rows += conn.execute(query).all()
    for row in rows:
        day = china_date(row.doc if row.doc is not None else row.fetched_at)
        rid = int(row.report_id)
        if rid not in out or day < out[rid]:
            out[rid] = day
    return out


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return value


def _int_or_decimal(entry_kind: str, value: Any) -> Any:
    if value is None:
        return None
    return Decimal(value) if entry_kind == "amount" else int(value)


def _typed(record: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    return {k: _int_or_decimal(kinds[k], v) if k in kinds else v for k, v in record.items()}


def _write(conn: Connection, fmt: str, path: Path) -> int:
    schema = panel_schema()
    kinds = {e.column: e.kind for e in codebook()}
    rows = (_typed(r, kinds) for r in panel_rows(conn))
    count = 0
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(schema.names)
            for record in rows:
                writer.writerow([_text(record[name]) for name in schema.names])
                count += 1
        return count
    if fmt == "parquet":
        batch = list(rows)
        pq.write_table(pa.Table.from_pylist(batch, schema=schema), str(path))
        return len(batch)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("panel")
    sheet.append(list(schema.names))
    for record in rows:
        sheet.append([_xlsx(record[name]) for name in schema.names])
        count += 1
    notes = book.create_sheet("codebook")
    notes.append(list(CSV_COLUMNS))
    for entry in codebook():
        notes.append([getattr(entry, name) for name in CSV_COLUMNS])
    book.save(str(path))
    return count


def _xlsx(value: Any) -> Any:
    """Amounts as exact text (a spreadsheet float could round them); dates and counts as they are."""
    return _text(value) if isinstance(value, Decimal) else value


def export_panel(conn: Connection, *, fmt: str, out: Path) -> int:
    """Write the panel to ``out`` (temporary file renamed into place); return the number of rows."""
    if fmt not in PANEL_FORMATS:
        raise StoreError(f"panel format {fmt!r} is not one of {PANEL_FORMATS}")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        count = _write(conn, fmt, tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count
