"""Export reports (the extractor's JSON plus provenance, one record per version) or cells (long
format) as JSON Lines, CSV or Parquet.  Output is written to a temporary file and renamed into
place, so a crash never leaves a half-written export under the final name.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store.errors import StoreError
from gxbg.store.schema import AGENCIES, CELLS, DOCUMENTS, PORTALS, REPORT_VERSIONS, REPORTS
from gxbg.store.types import decimal_to_json

FORMATS = ("jsonl", "csv", "parquet")
WHATS = ("reports", "cells")
_BATCH = 5_000

_V, _R, _A = REPORT_VERSIONS.c, REPORTS.c, AGENCIES.c
_VERSION_COLUMNS = (
    _V.id.label("version_id"),
    _V.report_id.label("report_id"),
    _V.is_current.label("is_current"),
    _A.name.label("agency"),
    _R.year.label("year"),
    _V.format.label("format"),
)
_VERSION_JOIN = REPORT_VERSIONS.join(REPORTS, REPORTS.c.id == _V.report_id).join(
    AGENCIES, AGENCIES.c.id == _R.agency_id
)

REPORT_SCHEMA = pa.schema(
    [
        ("version_id", pa.int64()),
        ("report_id", pa.int64()),
        ("is_current", pa.bool_()),
        ("agency", pa.string()),
        ("year", pa.int32()),
        ("format", pa.string()),
        ("title", pa.string()),
        ("published", pa.date32()),
        ("portal", pa.string()),
        ("source_url", pa.string()),
        ("final_url", pa.string()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("content_sha256", pa.string()),
        ("document_sha256", pa.string()),
        ("parser_version", pa.string()),
        ("report_json", pa.string()),
    ]
)
CELL_SCHEMA = pa.schema(
    [
        ("version_id", pa.int64()),
        ("report_id", pa.int64()),
        ("is_current", pa.bool_()),
        ("agency", pa.string()),
        ("year", pa.int32()),
        ("format", pa.string()),
        ("table_key", pa.string()),
        ("row_key", pa.string()),
        ("col_key", pa.string()),
        ("value", pa.decimal128(38, 10)),  # exact; pyarrow refuses values it would have to round
        ("raw", pa.string()),
        ("meaning", pa.string()),
        ("unit", pa.string()),
    ]
)


def _reports_query(current_only: bool) -> sa.Select[Any]:
    query = (
        sa.select(
            *_VERSION_COLUMNS,
            _V.title.label("title"),
            _V.published.label("published"),
            PORTALS.c.name.label("portal"),
            _V.source_url.label("source_url"),
            _V.final_url.label("final_url"),
            _V.fetched_at.label("fetched_at"),
            _V.content_sha256.label("content_sha256"),
            DOCUMENTS.c.sha256.label("document_sha256"),
            _V.parser_version.label("parser_version"),
            _V.report_json.label("report_json"),
        )
        .select_from(
            _VERSION_JOIN.outerjoin(PORTALS, PORTALS.c.id == _V.portal_id).outerjoin(
                DOCUMENTS, DOCUMENTS.c.id == _V.document_id
            )
        )
        .order_by(_V.id)
    )
    return query.where(_V.is_current) if current_only else query


def _cells_query(current_only: bool) -> sa.Select[Any]:
    c = CELLS.c
    query = (
        sa.select(*_VERSION_COLUMNS, c.table_key, c.row_key, c.col_key, c.value, c.raw, c.meaning, c.unit)
        .select_from(_VERSION_JOIN.join(CELLS, c.version_id == _V.id))
        .order_by(_V.id, c.id)
    )
    return query.where(_V.is_current) if current_only else query


def _rows(conn: Connection, query: sa.Select[Any]) -> Iterator[dict[str, Any]]:
    result = conn.execution_options(yield_per=_BATCH).execute(query)
    for row in result.mappings():
        yield dict(row)


def _plain(value: Any) -> Any:
    """A JSON/CSV-friendly spelling of one database value."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return decimal_to_json(value)
    return value


def report_record(row: dict[str, Any]) -> dict[str, Any]:
    """The report JSON with provenance keys added at the top level (they win on a clash)."""
    provenance = {key: _plain(value) for key, value in row.items() if key not in ("report_json",)}
    return {**row["report_json"], **provenance}


def _write_jsonl(path: Path, records: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def _write_csv(path: Path, columns: list[str], records: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for record in records:
            writer.writerow(record)
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


def _records(conn: Connection, fmt: str, what: str, current_only: bool) -> Iterator[dict[str, Any]]:
    if what == "cells":
        for row in _rows(conn, _cells_query(current_only)):
            yield row if fmt == "parquet" else {key: _plain(value) for key, value in row.items()}
        return
    for row in _rows(conn, _reports_query(current_only)):
        if fmt == "jsonl":
            yield report_record(row)
        elif fmt == "csv":
            flat = {key: _plain(value) for key, value in row.items()}
            yield {**flat, "report_json": json.dumps(row["report_json"], ensure_ascii=False, sort_keys=True)}
        else:
            yield {**row, "report_json": json.dumps(row["report_json"], ensure_ascii=False, sort_keys=True)}


def export(conn: Connection, *, fmt: str, out: Path, what: str, current_only: bool = False) -> int:
    """Write the export to ``out`` atomically; return the number of records."""
    if fmt not in FORMATS:
        raise StoreError(f"export format {fmt!r} is not one of {FORMATS}")
    if what not in WHATS:
        raise StoreError(f"export of {what!r}: choose one of {WHATS}")
    if _is_stream(out):  # /dev/stdout, a pipe: nothing to rename into place
        return _write(conn, fmt, what, current_only, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        count = _write(conn, fmt, what, current_only, tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _is_stream(out: Path) -> bool:
    """True for outputs that must be written in place (symlinks such as /dev/stdout, devices, pipes)."""
    return (
        out.is_symlink()
        or (out.exists() and not out.is_file())
        or out.parts[:2] in (("/", "dev"), ("/", "proc"))
    )


def _write(conn: Connection, fmt: str, what: str, current_only: bool, path: Path) -> int:
    schema = CELL_SCHEMA if what == "cells" else REPORT_SCHEMA
    records = _records(conn, fmt, what, current_only)
    if fmt == "jsonl":
        return _write_jsonl(path, records)
    if fmt == "csv":
        return _write_csv(path, schema.names, records)
    return _write_parquet(path, schema, records)
