"""Exports: reports (report JSON + provenance, one record per version) and cells, in JSON Lines,
CSV and Parquet, with exact values."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from gxbg.store.db import Store
from gxbg.store.errors import StoreError
from tests.store.factory import build_report, source_for

Loaded = tuple[Store, list[dict[str, Any]], list[dict[str, Any]]]


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
    store, reports, _ = loaded
    expected = sum(len(report["cells"]) for report in reports)
    amount = reports[0]["tables"]["proactive"]["procurement"]["amount"]["value"]

    assert store.export("jsonl", tmp_path / "c.jsonl", "cells") == expected
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    procurement = next(r for r in rows if r["row_key"] == "procurement" and r["col_key"] == "amount")
    assert procurement["value"] == amount  # exact decimal string, as in the report JSON
    assert any(r["meaning"] == "blank" and r["value"] is None for r in rows)

    assert store.export("csv", tmp_path / "c.csv", "cells") == expected
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert len(csv_rows) == expected
    assert (
        next(r for r in csv_rows if r["row_key"] == "procurement" and r["col_key"] == "amount")["value"]
        == amount
    )

    assert store.export("parquet", tmp_path / "c.parquet", "cells") == expected
    table = pq.read_table(tmp_path / "c.parquet").to_pylist()
    assert len(table) == expected
    value = next(r for r in table if r["row_key"] == "procurement" and r["col_key"] == "amount")["value"]
    assert value == Decimal(amount)


def test_reports_as_csv_and_parquet(loaded: Loaded, tmp_path: Path) -> None:
    store, reports, _ = loaded
    assert store.export("csv", tmp_path / "r.csv", "reports") == 3
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert json.loads(rows[2]["report_json"]) == reports[2]
    assert store.export("parquet", tmp_path / "r.parquet", "reports") == 3
    table = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert [row["agency"] for row in table] == [report["agency"] for report in reports]
    assert json.loads(table[0]["report_json"]) == reports[0]


def test_export_refuses_unknown_formats(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="export format"):
        store.export("xlsx", tmp_path / "x.xlsx", "cells")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="choose one of"):
        store.export("csv", tmp_path / "x.csv", "versions")  # type: ignore[arg-type]


def test_a_failed_export_leaves_the_previous_file_and_no_temporary(
    loaded: Loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _, _ = loaded
    out = tmp_path / "out" / "cells.csv"
    assert store.export("csv", out, "cells") > 0
    before = out.read_bytes()

    def broken(_value: object) -> object:
        raise RuntimeError("disk full")

    monkeypatch.setattr("gxbg.store.export._plain", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        store.export("csv", out, "cells")
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["cells.csv"]


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
