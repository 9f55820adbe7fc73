"""The `gxbg` command: parse output contract, error exits, export of a loaded database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.local import harvest_locally
from gxbg.sim import serve
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
    """The demo portals harvested by a finished "harvest" run (every year), as `make demo` leaves them
    (read by the export and the status tests)."""
    from gxbg.pipeline.summary import summarize

    tmp = tmp_path_factory.mktemp("demo")
    db_url = f"sqlite:///{tmp / 'gxbg.sqlite'}"
    store, archive = Store(db_url), RawArchive(tmp / "raw")
    store.migrate()
    with serve(profile="demo") as sim:
        portals = [{"name": seed.name, "seed_url": seed.url} for seed in sim.seeds]
        run_id = store.start_run("harvest", {"portals": [p["name"] for p in portals], "years": None})
        outcomes = harvest_locally(portals, archive=archive, sink=store, run_id=run_id, policy=FAST)
    store.finish_run(run_id, summarize(outcomes, run_id=run_id), "completed")
    store.close()
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
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.pop("file") for line in lines] == [str(original), str(gbk), str(bom)]
    first, *others = lines
    assert others == [first, first]


# ----------------------------------------------------------------------------- gxbg status

DEMO_REGISTRY = str(Path(__file__).resolve().parents[1] / "registry" / "demo.csv")


def _status(*args: str) -> Any:
    return runner.invoke(app, ["status", "--registry", DEMO_REGISTRY, *args])


def test_status_table_lists_every_portal_the_rule_and_the_counts(loaded_db: str) -> None:
    result = _status("--year", "2023", "--db", loaded_db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "2019 条例 第四十九条: local governments by 31 Mar N+1 (unverified)" in text
    for portal in ("trs-gbk", "hanweb", "beijing"):
        assert portal in text
    assert "on_time_by_date" in text  # 洪泽区 2023: dated 2024-01-26, first seen now
    assert "淮安市洪泽区人民政府" in text
    assert "Count per status" in text
    assert "TOTAL" in text


def test_status_csv_has_one_row_per_portal(loaded_db: str) -> None:
    import csv

    result = _status("--year", "2023", "--db", loaded_db, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert {r["portal"]: r["status"] for r in rows} == {
        "trs-gbk": "not_found",
        "hanweb": "on_time_by_date",
        "beijing": "not_found",
    }
    hanweb = next(r for r in rows if r["portal"] == "hanweb")
    assert hanweb["deadline"] == "2024-03-31"
    assert hanweb["published"] == "2024-01-26"
    assert hanweb["agency_matched"] == "false"  # the registry says 淮安市人民政府
    assert hanweb["source_url"].startswith("http://127.0.0.1:")
    assert all(r["covered_by"] for r in rows)


def test_status_jsonl_and_selection(loaded_db: str) -> None:
    result = _status("--year", "2024", "--db", loaded_db, "--format", "jsonl", "--level", "city")
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["portal"] == "hanweb"
    assert row["status"] == "on_time_by_date"
    assert row["agency_matched"] is True
    assert sorted(r["agency"] for r in row["reports"]) == ["淮安市人民政府", "淮安市洪泽区人民政府"]
    result = _status("--year", "2024", "--db", loaded_db, "--format", "jsonl", "--province", "北京市")
    assert [json.loads(line)["portal"] for line in result.stdout.splitlines()] == ["beijing"]


def test_status_of_a_year_nobody_harvested_says_not_harvested(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'gxbg.sqlite'}"
    store = Store(db_url)
    store.migrate()
    store.close()
    result = _status("--year", "2023", "--db", db_url, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert {line.split(",")[8] for line in result.stdout.splitlines()[1:]} == {"not_harvested"}


def test_status_missing_database_is_one_clear_line(tmp_path: Path) -> None:
    result = _status("--year", "2023", "--db", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    assert result.exit_code == 2  # a configuration error
    assert "Traceback" not in result.output
    assert result.stderr.strip().count("\n") == 0
    assert "does not exist" in result.stderr
    assert not (tmp_path / "missing.sqlite").exists()  # a read command creates nothing


def test_status_refuses_a_database_without_tables(tmp_path: Path) -> None:
    (tmp_path / "empty.sqlite").write_bytes(b"")
    result = _status("--year", "2023", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert result.exit_code == 2
    assert "no gxbg tables" in result.stderr


@pytest.mark.parametrize("year", ["2007", "2100"])
def test_status_unknown_year_is_one_clear_line(loaded_db: str, year: str) -> None:
    result = _status("--year", year, "--db", loaded_db)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.strip().count("\n") == 0
    assert f"no reports are due for year {year}" in result.stderr


def test_status_refuses_unknown_formats_and_provinces(loaded_db: str) -> None:
    assert _status("--year", "2023", "--db", loaded_db, "--format", "xlsx").exit_code == 2
    result = _status("--year", "2023", "--db", loaded_db, "--province", "火星")
    assert result.exit_code == 2
    assert "unknown province" in result.output
