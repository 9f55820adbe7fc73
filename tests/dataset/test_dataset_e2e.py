"""The dataset end to end: the demo portals and the simulated 2019–2024 portal harvested (no Prefect),
then `gxbg check --cross-year`, `gxbg agencies --unresolved`, the panel, the codebook and Datasette."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cli.main import app
from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.extract.codebook import codebook, codebook_csv
from gxbg.pipeline.local import harvest_locally
from gxbg.sim import serve
from gxbg.sim.panel import CANONICAL, PLANTED_BREAK, PRINTED, UNRESOLVABLE, YEARS, serve_panel
from gxbg.store.db import Store

ROOT = Path(__file__).resolve().parents[2]
REGISTRIES = [
    "--registry",
    str(ROOT / "registry/demo.csv"),
    "--registry",
    str(ROOT / "registry/sim-panel.csv"),
]
FAST = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0)
runner = CliRunner()


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("dataset")
    url = f"sqlite:///{tmp / 'gxbg.sqlite'}"
    store, archive = Store(url), RawArchive(tmp / "raw")
    store.migrate()
    with serve(profile="demo") as sim, serve_panel() as panel:
        portals = [{"name": seed.name, "seed_url": seed.url} for seed in sim.seeds]
        portals.append({"name": "sim-panel", "seed_url": panel.seed_url})
        run_id = store.start_run("harvest", {"portals": [p["name"] for p in portals], "years": None})
        outcomes = harvest_locally(portals, archive=archive, sink=store, run_id=run_id, policy=FAST)
    assert [o.row()["loaded"] for o in outcomes] == [3, 3, 2, 7]
    store.close()
    return url


def _jsonl(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_check_cross_year_finds_exactly_the_planted_break(db_url: str) -> None:
    result = runner.invoke(
        app, ["check", "--cross-year", "--db", db_url, *REGISTRIES, "--show", "failing", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    year, columns = PLANTED_BREAK
    assert {(r["canonical_name"], r["year"], r["rule"], r["scope"]) for r in rows} == {
        (CANONICAL, year, "XY-CARRY", col) for col in columns
    }
    for row in rows:  # both sides: versions, cells, sources
        assert row["prev_version_id"] != row["version_id"]
        assert row["prev_cells"] == f"requests:carried_out:{row['scope']}"
        assert row["cells"] == f"requests:carried_in:{row['scope']}"
        assert row["prev_source_url"].startswith("http://127.0.0.1:")
        assert (row["prev_agency"], row["agency"]) == (PRINTED[year - 1], PRINTED[year].replace(" ", ""))
    table = runner.invoke(app, ["check", "--cross-year", "--db", db_url, *REGISTRIES])
    assert table.exit_code == 0
    assert "2 FAIL" in table.stdout
    assert "2022→2023  XY-CARRY[natural_person]" in table.stdout


def test_printed_variants_resolve_to_one_agency_and_the_stranger_is_listed(db_url: str) -> None:
    result = runner.invoke(app, ["agencies", "--db", db_url, *REGISTRIES, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [r for r in _jsonl(result.stdout) if r["portal"] == "sim-panel"]
    linked = {r["printed_name"] for r in rows if r["canonical_name"] == CANONICAL}
    assert linked == {name.replace(" ", "") for name in PRINTED.values()}
    assert sum(r["reports"] for r in rows if r["canonical_name"] == CANONICAL) == len(YEARS)
    unresolved = runner.invoke(
        app, ["agencies", "--db", db_url, *REGISTRIES, "--unresolved", "--format", "jsonl"]
    )
    names = {(r["portal"], r["printed_name"]) for r in _jsonl(unresolved.stdout)}
    assert ("sim-panel", UNRESOLVABLE[0]) in names
    assert not {n for p, n in names if p == "sim-panel"} & linked
    assert all(r["canonical_name"] in (None, "") for r in _jsonl(unresolved.stdout))


def test_the_panel_has_one_row_per_agency_and_year(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "panel.parquet"
    result = runner.invoke(
        app, ["export", "--db", db_url, "--what", "panel", "--format", "parquet", "-o", str(out), *REGISTRIES]
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    counts = table.group_by(["agency_key", "year"]).aggregate([("version_id", "count")])
    assert pc.max(counts["version_id_count"]).as_py() == 1  # no duplicates
    assert table.num_rows == counts.num_rows
    mine = table.filter(pc.equal(table["agency"], CANONICAL))
    assert sorted(mine["year"].to_pylist()) == list(YEARS)
    assert set(mine["region_code"].to_pylist()) == {"371002"}
    assert set(mine["province"].to_pylist()) == {"山东省"}
    # wide: carried-in of N against carried-out of N-1, by pivoting on year
    by_year = {r["year"]: r for r in mine.to_pylist()}
    year, _ = PLANTED_BREAK
    assert by_year[year]["t3_carried_in_natural_person"] != by_year[year - 1]["t3_carried_out_natural_person"]
    assert by_year[year]["cross_year_fail"] == 2
    assert by_year[2024]["t3_carried_in_total"] == by_year[2023]["t3_carried_out_total"]
    # a cell the form does not have is empty with its meaning
    assert by_year[2021]["t3_other_handling_natural_person"] is None
    assert by_year[2021]["t3_other_handling_natural_person_meaning"] == "absent"
    assert by_year[2019]["t2_licensing_items_change"] == 3  # signed, as printed (+3)
    assert table.schema.field("t2_fees_amount_10k_yuan").type == pa.decimal128(38, 10)
    codes = {e.column for e in codebook()}
    assert codes <= set(table.column_names)
    assert {f"{c}_meaning" for c in codes} <= set(table.column_names)


def test_the_panel_keeps_blank_and_slash_apart_from_zero(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "panel.csv"
    assert (
        runner.invoke(
            app, ["export", "--db", db_url, "--what", "panel", "--format", "csv", "-o", str(out), *REGISTRIES]
        ).exit_code
        == 0
    )
    import csv

    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    meanings = {r[f"{c.column}_meaning"] for r in rows for c in codebook()}
    assert {"zero", "number", "absent"} <= meanings
    for row in rows:
        for entry in codebook():
            value, meaning = row[entry.column], row[f"{entry.column}_meaning"]
            if meaning in ("blank", "na", "text", "absent"):
                assert value == ""
            elif meaning == "zero":
                assert value == "0"
            else:
                assert value not in ("", "0")


def test_the_xlsx_panel_has_a_codebook_sheet(db_url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "panel.xlsx"
    result = runner.invoke(
        app, ["export", "--db", db_url, "--what", "panel", "--format", "xlsx", "-o", str(out), *REGISTRIES]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["panel", "codebook"]
    sheet = list(book["codebook"].values)
    assert sheet[0] == ("column", "table", "row", "col", "forms", "kind", "label_zh", "label_en")
    assert len(sheet) == len(codebook()) + 1
    panel = list(book["panel"].values)
    assert panel[0][0] == "agency_key"
    assert len(panel) > len(YEARS)


def test_panel_usage_errors_are_one_line() -> None:
    result = runner.invoke(app, ["export", "--db", "sqlite:///x.db", "--what", "panel", "--format", "jsonl"])
    assert result.exit_code == 2
    assert "csv, parquet, xlsx" in result.output


def test_the_committed_codebook_is_the_generated_one() -> None:
    assert (ROOT / "docs/codebook.csv").read_text(encoding="utf-8") == codebook_csv()
    result = runner.invoke(app, ["codebook"])
    assert result.exit_code == 0
    assert result.stdout == codebook_csv()


def test_datasette_serves_the_tables_and_canned_queries(db_url: str) -> None:
    from datasette.app import Datasette

    from gxbg.store.browse import metadata

    path = Path(db_url.removeprefix("sqlite:///"))
    runner.invoke(app, ["agencies", "--db", db_url, *REGISTRIES, "--format", "csv"])  # identity refreshed

    async def fetch() -> dict[str, Any]:
        ds = Datasette([str(path)], metadata=metadata(path.stem))
        await ds.invoke_startup()
        out: dict[str, Any] = {}
        for name, url in {
            "breaks": "/gxbg/cross_year_breaks.json?_shape=array",
            "series": f"/gxbg/agency_time_series.json?_shape=array&agency={CANONICAL}",
            "late": "/gxbg/late_or_missing.json?_shape=array&year=2024",
            "failing": "/gxbg/failing_checks.json?_shape=array",
            "facets": "/gxbg/canonical_agencies.json?_facet=province&_facet=level",
            "home": "/gxbg",
        }.items():
            response = await ds.client.get(url)
            assert response.status_code == 200, (url, response.text[:500])
            out[name] = response.text if name == "home" else response.json()
        return out

    got = asyncio.run(fetch())
    year, columns = PLANTED_BREAK
    assert {(r["agency"], r["year"], r["scope"]) for r in got["breaks"]} == {
        (CANONICAL, year, c) for c in columns
    }
    assert all(r["prev_source_url"].startswith("http://127.0.0.1:") for r in got["breaks"])
    assert [r["year"] for r in got["series"]] == list(YEARS)
    assert {r["status"] for r in got["late"]} <= {"late", "missing"}
    assert ("示例县人民政府", "missing") in {(r["agency"], r["status"]) for r in got["late"]}
    assert any(r["rule"] == "T3-BAL" for r in got["failing"])  # 银川's table 三 does not balance
    assert "cross_year_breaks" in got["home"]
    assert "跨年度" in got["home"] or "Cross-year" in got["home"]


def test_the_harvest_artifact_lists_the_cross_year_breaks_of_its_reports(db_url: str) -> None:
    import sqlalchemy as sa

    from gxbg.store.schema import HARVEST_RUNS
    from tasks.artifacts import failing_markdown
    from tasks.crossyear import cross_year_breaks_task

    store = Store(db_url)
    with store.engine.connect() as conn:
        run_id = int(conn.execute(sa.select(sa.func.max(HARVEST_RUNS.c.id))).scalar_one())
    store.close()
    rows = cross_year_breaks_task.fn(db_url, run_id)
    year, columns = PLANTED_BREAK
    assert {(r["year"], r["rule"], r["scope"]) for r in rows} == {(year, "XY-CARRY", c) for c in columns}
    assert cross_year_breaks_task.fn(db_url, run_id + 1) == []  # another run stored neither side
    text = failing_markdown({"failing_reports": [], "errors": [], "cross_year_failures": rows})
    assert "# Cross-year breaks" in text
    assert f"{year - 1}→{year} XY-CARRY[natural_person]" in text
    assert "# Cross-year breaks" not in failing_markdown({"failing_reports": [], "errors": []})


def test_status_names_the_cross_year_breaks_and_export_writes_them(db_url: str, tmp_path: Path) -> None:
    year, columns = PLANTED_BREAK
    registry = str(ROOT / "registry/sim-panel.csv")
    result = runner.invoke(app, ["status", "--year", str(year), "--db", db_url, "--registry", registry])
    assert result.exit_code == 0, result.output
    assert (
        f"cross-year: 2 break(s) between {year - 1} and {year} in 1 agency(ies): {CANONICAL}" in result.stdout
    )
    quiet = runner.invoke(app, ["status", "--year", str(year + 1), "--db", db_url, "--registry", registry])
    assert "cross-year:" not in quiet.stdout
    out = tmp_path / "xy.jsonl"
    result = runner.invoke(
        app, ["export", "--db", db_url, "--what", "cross-year", "--format", "jsonl", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = _jsonl(out.read_text(encoding="utf-8"))
    assert {(r["year"], r["scope"]) for r in rows if r["status"] == "FAIL"} == {(year, c) for c in columns}
    assert {r["status"] for r in rows} == {"PASS", "FAIL", "NOT_ASSESSABLE"}
