"""`gxbg export` for researchers: every table, current versions only, Excel's CSV, a data package."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.local import harvest_locally
from gxbg.sim import serve
from gxbg.store.db import Store

runner = CliRunner()
FAST = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("demo")
    db_url = f"sqlite:///{tmp / 'gxbg.sqlite'}"
    store, archive = Store(db_url), RawArchive(tmp / "raw")
    store.migrate()
    with serve(profile="demo") as sim:
        portals = [{"name": seed.name, "seed_url": seed.url} for seed in sim.seeds]
        harvest_locally(
            portals, archive=archive, sink=store, run_id=store.start_run("harvest", {}), policy=FAST
        )
    store.close()
    return db_url


def _export(db: str, *args: str) -> str:
    result = runner.invoke(app, ["export", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_current_as_excel_csv_with_a_data_package(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "current.csv"
    _export(demo_db, "--what", "current", "--format", "csv", "--excel", "-o", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8  # one row per demo report
    assert {row["format"] for row in rows} == {"2019", "2021"}
    assert all(row["received_total"].isdigit() for row in rows if row["received_total"])
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = package["resources"]
    assert resource["path"] == "current.csv"
    assert resource["encoding"] == "utf-8-sig"
    assert [f["name"] for f in resource["schema"]["fields"]] == list(rows[0])


def test_checks_and_cells_current_only(demo_db: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    _export(
        demo_db,
        "--what",
        "checks",
        "--format",
        "parquet",
        "--current-only",
        "-o",
        str(tmp_path / "k.parquet"),
    )
    checks = pq.read_table(tmp_path / "k.parquet").to_pylist()
    assert {row["status"] for row in checks} >= {"PASS", "FAIL"}
    assert {row["is_current"] for row in checks} == {True}
    _export(demo_db, "--what", "cells", "--format", "jsonl", "-o", str(tmp_path / "c.jsonl"))
    cells = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(
        isinstance(c["value"], int) for c in cells if c["meaning"] in ("number", "zero") and not c["unit"]
    )
    assert {c["portal"] for c in cells} == {"trs-gbk", "hanweb", "beijing"}


def test_excel_is_for_csv_only(demo_db: str) -> None:
    result = runner.invoke(app, ["export", "--db", demo_db, "--format", "jsonl", "--excel"])
    assert result.exit_code == 2
    assert "--excel" in result.output
    result = runner.invoke(app, ["export", "--db", demo_db, "--what", "panels"])
    assert result.exit_code == 2
    assert "reports, cells, checks or current" in result.output
