"""The `gxbg` command: parse output contract, error exits, export of a loaded database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from gxbg.crawl.fetch import FetchPolicy
from gxbg.local import harvest_locally
from gxbg.sim import serve
from gxbg.store.archive import RawArchive
from gxbg.store.db import Store
from tests.conftest import CASES

CONTRACT_KEYS = {"format", "agency", "year", "title", "published", "sections", "tables", "checks"}
runner = CliRunner()
FAST = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0)


def test_parse_prints_one_contract_object_per_file() -> None:
    files = sorted(str(p) for p in CASES.glob("*/clean.txt"))
    result = runner.invoke(app, ["parse", *files])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(files) == 8
    for line in lines:
        assert line.keys() >= CONTRACT_KEYS
        assert set(line["sections"]) == {"overview", "proactive", "requests", "appeals", "problems", "other"}
        assert len(line["tables"]["requests"]["columns"]) == 7
    years = sorted(line["year"] for line in lines)
    assert years == [2019, 2020, 2020, 2020, 2023, 2024, 2024, 2024]


def test_parse_reports_bad_files_after_the_good_ones_and_exits_1(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("这不是一份年度报告。\n只有两行。\n", encoding="utf-8")
    good = str(CASES / "cq-nanbin-2024" / "clean.txt")
    result = runner.invoke(app, ["parse", str(junk), good, str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [sorted(line) for line in (lines[0], lines[2])] == [["error", "file"], ["error", "file"]]
    assert lines[0]["file"] == str(junk)
    assert "ParseError" in lines[0]["error"] or "SectionNotFound" in lines[0]["error"]
    assert lines[1]["year"] == 2024


def test_harvest_rejects_a_bad_years_option() -> None:
    result = runner.invoke(app, ["harvest", "--seed", "http://127.0.0.1:9/", "--years", "20x1"])
    assert result.exit_code == 2
    assert "not a year or range" in result.output


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding the demo portals' reports, loaded without Prefect."""
    tmp = tmp_path_factory.mktemp("export")
    db_url = f"sqlite:///{tmp / 'gxbg.sqlite'}"
    store, archive = Store(db_url), RawArchive(tmp / "raw")
    store.migrate()
    run_id = store.start_run("test", {})
    with serve(profile="demo") as sim:
        portals = [{"name": seed.name, "seed_url": seed.url} for seed in sim.seeds]
        harvest_locally(portals, archive=archive, sink=store, run_id=run_id, policy=FAST)
    return db_url


def test_export_jsonl_has_the_report_json_plus_provenance(loaded_db: str, tmp_path: Path) -> None:
    out = tmp_path / "reports.jsonl"
    result = runner.invoke(app, ["export", "--db", loaded_db, "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 8
    for row in rows:
        assert row.keys() >= CONTRACT_KEYS
        assert row["source_url"].startswith("http://127.0.0.1:")
        assert len(row["content_sha256"]) == 64
        assert row["fetched_at"]


def test_export_cells_csv_and_parquet(loaded_db: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    csv_out, pq_out = tmp_path / "cells.csv", tmp_path / "cells.parquet"
    assert (
        runner.invoke(
            app, ["export", "--db", loaded_db, "--format", "csv", "--what", "cells", "-o", str(csv_out)]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            app, ["export", "--db", loaded_db, "--format", "parquet", "--what", "cells", "-o", str(pq_out)]
        ).exit_code
        == 0
    )
    header = csv_out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"row_key", "col_key", "raw", "meaning"} <= set(header)
    assert pq.read_table(pq_out).num_rows == len(csv_out.read_text(encoding="utf-8").splitlines()) - 1


def test_export_refuses_unknown_formats(loaded_db: str) -> None:
    result = runner.invoke(app, ["export", "--db", loaded_db, "--format", "xlsx"])
    assert result.exit_code == 2
    assert "jsonl, csv or parquet" in result.output


def test_harvest_needs_seeds_or_a_registry() -> None:
    result = runner.invoke(app, ["harvest"])
    assert result.exit_code == 2
    assert "--seed URL" in result.output


def test_harvest_refuses_an_unknown_province_before_crawling() -> None:
    result = runner.invoke(app, ["harvest", "--registry", "registry/portals.csv", "--province", "火星"])
    assert result.exit_code == 2
    assert "unknown province" in result.output


def test_parse_reads_gbk_and_bom_files_like_their_utf8_originals(tmp_path: Path) -> None:
    original = CASES / "tj-ningyuan-2020" / "clean.txt"
    text = original.read_text(encoding="utf-8")
    gbk, bom = tmp_path / "gbk.txt", tmp_path / "bom.txt"
    gbk.write_bytes(text.encode("gb18030"))
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = runner.invoke(app, ["parse", str(original), str(gbk), str(bom)])
    assert result.exit_code == 0, result.output
    first, *others = [json.loads(line) for line in result.stdout.splitlines()]
    assert others == [first, first]
