"""Exports: reports (report JSON + provenance, one record per version) and cells, in JSON Lines,
CSV and Parquet, with exact values."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from gxbg.store.db import Store
from gxbg.store.errors import StoreError
from tests.store.factory import build_report, source_for

Loaded = tuple[Store, list[dict[str, Any]], list[dict[str, Any]]]
FRICTIONLESS_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime"}


@pytest.fixture
def loaded(store: Store) -> Loaded:
    old = build_report("威海市环翠区孙家疃街道", 2020, fmt="2019", seed=1)
    new = build_report("威海市环翠区孙家疃街道", 2020, fmt="2019", seed=2)
    other = build_report("淮安市人民政府", 2024, fmt="2021", seed=3, blank_cells=1)
    sources = [source_for(old), source_for(new, fetched_at="2026-12-01T00:00:00Z"), source_for(other)]
    for report, source in zip((old, new, other), sources, strict=True):
        store.load_report(None, portal="demo", source=source, report=report)
    return store, [old, new, other], sources


def test_jsonl_reports_are_the_report_json_plus_provenance(loaded: Loaded, tmp_path: Path) -> None:
    store, reports, sources = loaded
    out = tmp_path / "reports.jsonl"
    assert store.export("jsonl", out, "reports") == 3
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    for line, report, source in zip(lines, reports, sources, strict=True):
        for key, value in report.items():
            assert line[key] == value, key
        assert line["source_url"] == source["url"]
        assert line["content_sha256"] == source["sha256"]
        assert line["fetched_at"].startswith(source["fetched_at"][:19])
    assert [line["is_current"] for line in lines] == [False, True, True]
    assert store.export("jsonl", out, "reports", current_only=True) == 2


def test_cells_in_every_format_keep_exact_values(loaded: Loaded, tmp_path: Path) -> None:
    """Counts are integers in ``value`` and money exact text in ``amount``, the same in every format."""
    store, reports, _ = loaded
    expected = sum(len(report["cells"]) for report in reports)
    amount = reports[0]["tables"]["proactive"]["procurement"]["amount"]["value"]
    received = reports[0]["tables"]["requests"]["rows"]["received"][6]

    def pick(rows: list[dict[str, Any]], row: str, col: str, version: int = 0) -> dict[str, Any]:
        versions = sorted({r["version_id"] for r in rows})
        return next(
            r for r in rows if (r["row_key"], r["col_key"], r["version_id"]) == (row, col, versions[version])
        )

    assert store.export("jsonl", tmp_path / "c.jsonl", "cells") == expected
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    procurement = pick(rows, "procurement", "amount")
    assert (procurement["value"], procurement["amount"]) == (None, amount)  # exact, as in the report JSON
    assert (pick(rows, "received", "total")["value"], pick(rows, "received", "total")["amount"]) == (
        received,
        None,
    )
    assert any(r["meaning"] == "blank" and r["value"] is None and r["amount"] is None for r in rows)

    assert store.export("csv", tmp_path / "c.csv", "cells") == expected
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert len(csv_rows) == expected
    assert pick(csv_rows, "procurement", "amount")["amount"] == amount
    assert pick(csv_rows, "received", "total")["value"] == str(received)

    assert store.export("parquet", tmp_path / "c.parquet", "cells") == expected
    parquet = pq.read_table(tmp_path / "c.parquet")
    assert str(parquet.schema.field("value").type) == "int64"
    assert str(parquet.schema.field("format").type) == "string"
    table = parquet.to_pylist()
    assert len(table) == expected
    assert pick(table, "procurement", "amount")["amount"] == amount
    assert pick(table, "received", "total")["value"] == received
    assert all(
        isinstance(r["value"], int) for r in table if r["meaning"] in ("number", "zero") and not r["unit"]
    )
    # one type per column across the three formats
    assert [{k: r[k] for k in ("value", "amount", "format", "year")} for r in table] == [
        {k: r[k] for k in ("value", "amount", "format", "year")} for r in rows
    ]


def test_reports_as_csv_and_parquet_leave_the_report_json_to_json_lines(
    loaded: Loaded, tmp_path: Path
) -> None:
    store, reports, _ = loaded
    assert store.export("csv", tmp_path / "r.csv", "reports") == 3
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert "report_json" not in rows[0]
    assert [row["format"] for row in rows] == [report["format"] for report in reports]
    assert [int(row["n_cells"]) for row in rows] == [len(report["cells"]) for report in reports]
    assert rows[0]["listed_by"] == "demo"
    assert store.export("parquet", tmp_path / "r.parquet", "reports") == 3
    table = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert [row["agency"] for row in table] == [report["agency"] for report in reports]
    assert [row["format"] for row in table] == [report["format"] for report in reports]


def test_checks_and_current_exports(loaded: Loaded, tmp_path: Path) -> None:
    store, reports, _ = loaded
    n_checks = sum(len(report["checks"]) for report in reports[1:])
    assert store.export("jsonl", tmp_path / "k.jsonl", "checks", current_only=True) == n_checks
    checks = [json.loads(line) for line in (tmp_path / "k.jsonl").read_text(encoding="utf-8").splitlines()]
    first = reports[1]["checks"][0]
    assert (checks[0]["rule"], checks[0]["scope"], checks[0]["status"]) == (
        first["rule"],
        first["scope"],
        first["status"],
    )
    assert checks[0]["left"] == (None if first["left"] is None else str(first["left"]))
    assert json.loads(checks[0]["cells_json"]) == first["cells"]
    assert store.export("parquet", tmp_path / "k.parquet", "checks") == n_checks + len(reports[0]["checks"])

    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"current.{fmt}"
        assert store.export(fmt, out, "current") == 2  # type: ignore[arg-type]
    current = pq.read_table(tmp_path / "current.parquet")
    assert str(current.schema.field("received_total").type) == "int64"
    rows = current.to_pylist()
    assert [row["received_total"] for row in rows] == [
        report["tables"]["requests"]["rows"]["received"][6] for report in reports[1:]
    ]
    jsonl = [
        json.loads(line) for line in (tmp_path / "current.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [row["received_total"] for row in jsonl] == [row["received_total"] for row in rows]
    assert all(isinstance(row["fail_count"], int) for row in jsonl)


def test_excel_csv_has_a_bom_and_no_cell_over_excels_limit(store: Store, tmp_path: Path) -> None:
    report = build_report(seed=5)
    report["cells"][0]["meaning"], report["cells"][0]["value"] = "text", None
    report["cells"][0]["raw"] = "说明" * 20_000  # 40,000 characters printed in one cell
    store.load_report(None, portal="demo", source=source_for(report), report=report)
    out = tmp_path / "cells.csv"
    assert store.export("csv", out, "cells", excel=True) == len(report["cells"])
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert max(len(value) for row in rows for value in row.values()) <= 32_767
    assert "[cut: 40000 characters" in rows[0]["raw"]
    assert rows[0]["raw"].startswith("说明说明")
    assert not (tmp_path / "plain.csv").exists()
    store.export("csv", tmp_path / "plain.csv", "cells")
    assert not (tmp_path / "plain.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(StoreError, match="CSV only"):
        store.export("jsonl", tmp_path / "x.jsonl", "cells", excel=True)


def test_a_datapackage_beside_the_exports_describes_every_column(loaded: Loaded, tmp_path: Path) -> None:
    store, _, _ = loaded
    store.export("csv", tmp_path / "cells.csv", "cells", excel=True)
    store.export("parquet", tmp_path / "current.parquet", "current")
    store.export("jsonl", tmp_path / "reports.jsonl", "reports", current_only=True)
    store.export("csv", tmp_path / "cells.csv", "cells")  # again: replaces its resource
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in package["resources"]}
    assert sorted(resources) == ["cells.csv", "current.parquet", "reports.jsonl"]
    assert resources["cells.csv"]["encoding"] == "utf-8"
    with (tmp_path / "cells.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    fields = resources["cells.csv"]["schema"]["fields"]
    assert [f["name"] for f in fields] == header
    assert all(f["description"] and f["type"] for f in fields)
    types = {f["name"]: f["type"] for f in fields}
    assert (types["value"], types["amount"], types["format"], types["year"]) == (
        "integer",
        "string",
        "string",
        "integer",
    )
    parquet_names = pq.read_schema(tmp_path / "current.parquet").names
    assert [f["name"] for f in resources["current.parquet"]["schema"]["fields"]] == parquet_names
    report_keys = json.loads((tmp_path / "reports.jsonl").read_text(encoding="utf-8").splitlines()[0]).keys()
    described = {f["name"] for f in resources["reports.jsonl"]["schema"]["fields"]}
    assert described <= set(report_keys)
    assert "Current versions only" in resources["reports.jsonl"]["description"]
    # the Frictionless spec's rules: package and resource names, field types, unique field names
    assert package["profile"] == "tabular-data-package"
    assert re.fullmatch(r"[-a-z0-9._/]+", package["name"])
    for described in package["resources"]:
        assert re.fullmatch(r"[-a-z0-9._/]+", described["name"])
        names = [f["name"] for f in described["schema"]["fields"]]
        assert len(names) == len(set(names))
        assert {f["type"] for f in described["schema"]["fields"]} <= FRICTIONLESS_TYPES


def test_export_refuses_unknown_formats(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(StoreError, match="export format"):
        store.export("xlsx", out / "x.xlsx", "cells")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="choose one of"):
        store.export("csv", out / "x.csv", "versions")  # type: ignore[arg-type]
    assert not out.exists()  # no file, no datapackage.json


def test_a_failed_export_leaves_the_previous_file_and_no_temporary(
    loaded: Loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _, _ = loaded
    out = tmp_path / "out" / "cells.csv"
    assert store.export("csv", out, "cells") > 0
    before = out.read_bytes()

    def broken(_value: object) -> object:
        raise RuntimeError("disk full")

    monkeypatch.setattr("gxbg.store.export._excel_cell", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        store.export("csv", out, "cells")
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["cells.csv", "datapackage.json"]


def test_export_to_a_pipe_writes_in_place(loaded: Loaded, tmp_path: Path) -> None:
    import os
    import threading

    store, reports, _ = loaded
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert store.export("jsonl", fifo, "reports") == len(reports)
    reader.join(10)
    assert len(received[0].splitlines()) == len(reports)
