"""Exports for researchers: report versions, cells, check results, or one row per report (``current``),
as JSON Lines, CSV or Parquet, each with a Frictionless ``datapackage.json`` beside it.

Every export's columns are declared once (:mod:`gxbg.store.export_tables`) and the same declaration
gives the query, the CSV header, the Parquet schema and the data package's table schema
(:mod:`gxbg.store.datapackage`), so a column has one type in every format: counts are integers
(``value``, the headline figures), money is an exact decimal as text (``amount``: a Parquet decimal
would print ``Decimal('0E-10')``), ``format`` is text ("2019", "2021", "pre2019"), dates are ISO
dates.  The report JSON goes only to JSON Lines (``reports``): a CSV cell holds at most Excel's 32,767
characters, and a longer text value is cut with a marker saying so.

Output is written to a temporary file and renamed into place, so a crash never leaves a half-written
export under the final name; a pipe or ``/dev/stdout`` is written directly (with no data package).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store.datapackage import resource, write_datapackage
from gxbg.store.errors import StoreError
from gxbg.store.export_tables import COLUMNS, TABLES, Column
from gxbg.store.schema import PORTALS, REPORT_LISTINGS, REPORT_VERSIONS
from gxbg.store.types import decimal_to_json

FORMATS = ("jsonl", "csv", "parquet")
WHATS = tuple(TABLES)
EXCEL_CELL_LIMIT = 32_767
_BATCH = 5_000

_ARROW = {
    "integer": pa.int64(),
    "string": pa.string(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}


def arrow_schema(what: str) -> pa.Schema:
    """The Parquet schema of an export (from :data:`COLUMNS`)."""
    return pa.schema([(column.name, _ARROW[column.type]) for column in COLUMNS[what]])


def _query(what: str, current_only: bool, *, report_json: bool = False) -> sa.Select[Any]:
    """The rows of one export: each column read from its declared source, in the table's order."""
    table = TABLES[what]
    query = (
        sa.select(
            *(column.source.label(column.name) for column in table.columns if column.source is not None),
            *(
                (REPORT_VERSIONS.c.report_json.label("report_json"),)
                if report_json and what == "reports"
                else ()
            ),
        )
        .select_from(table.source)
        .order_by(*table.order_by)
    )
    return query.where(REPORT_VERSIONS.c.is_current) if current_only and table.versioned else query


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
        sa.select(REPORT_LISTINGS.c.version_id, PORTALS.c.name)
        .join(PORTALS, PORTALS.c.id == REPORT_LISTINGS.c.portal_id)
        .order_by(REPORT_LISTINGS.c.version_id, PORTALS.c.name)
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
