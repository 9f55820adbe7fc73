"""Cross-year checks and agency identity in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from gxbg.extract.vocab import REQUEST_COLUMNS
from gxbg.store.db import Store
from gxbg.store.schema import AGENCIES, CANONICAL_AGENCIES
from tests.store.factory import build_report, source_for


@dataclass(frozen=True)
class Row:
    """A registry row (what identity reads of ``gxbg.pipeline.Portal``)."""

    name: str
    agency: str
    level: str
    region_code: str


def _set(report: dict[str, Any], row: str, col: str, value: int) -> None:
    for cell in report["cells"]:
        if (cell["table"], cell["row"], cell["col"]) == ("requests", row, col):
            cell["value"], cell["raw"] = value, str(value)
            cell["meaning"] = "zero" if value == 0 else "number"
            return
    raise KeyError((row, col))


def _carried_out(report: dict[str, Any], col: str) -> int:
    for cell in report["cells"]:
        if (cell["table"], cell["row"], cell["col"]) == ("requests", "carried_out", col):
            return int(cell["value"])
    raise KeyError(col)


def _years(agency: str, years: range, *, break_year: int | None = None) -> list[dict[str, Any]]:
    """Reports of consecutive years whose 上年结转 follows the year before, but for ``break_year``'s
    natural-person column (+1, so its total column breaks too)."""
    out: list[dict[str, Any]] = []
    for index, year in enumerate(years):
        report = build_report(agency, year, seed=index)
        if out:
            for col in REQUEST_COLUMNS:
                _set(report, "carried_in", col, _carried_out(out[-1], col))
        if year == break_year:
            _set(report, "carried_in", "natural_person", _carried_out(out[-1], "natural_person") + 1)
            _set(report, "carried_in", "total", _carried_out(out[-1], "total") + 1)
        out.append(report)
    return out


def _load(store: Store, portal: str, report: dict[str, Any], **source: Any) -> Any:
    return store.load_report(None, portal=portal, source={**source_for(report), **source}, report=report)


def _fails(store: Store) -> set[tuple[int, str, str]]:
    """The failing carry-over checks (the factory's 现行有效件数 are random: XY-VALID is not looked at)."""
    rows = store.cross_year_checks(statuses=["FAIL"])
    return {(r["year"], r["rule"], r["scope"]) for r in rows if r["rule"] == "XY-CARRY"}


def test_each_load_runs_the_cross_year_checks_and_finds_the_planted_break(store: Store) -> None:
    reports = _years("天津市河北区宁园街道办事处", range(2021, 2025), break_year=2023)
    for report in reversed(reports):  # load order does not matter
        _load(store, "tj", report)
    assert _fails(store) == {(2023, "XY-CARRY", "natural_person"), (2023, "XY-CARRY", "total")}
    rows = store.cross_year_checks()
    assert {r["year"] for r in rows} == {2022, 2023, 2024}
    assert {r["status"] for r in rows} <= {"PASS", "FAIL"}
    [broken] = [
        r for r in rows if r["year"] == 2023 and r["scope"] == "natural_person" and r["rule"] == "XY-CARRY"
    ]
    assert broken["left"] == broken["right"] + 1
    assert broken["delta"] == Decimal(1)
    assert broken["cells"] == ["requests:carried_in:natural_person"]
    assert broken["prev_cells"] == ["requests:carried_out:natural_person"]
    assert broken["version_id"] != broken["prev_version_id"]
    assert "2023" in broken["source_url"] or broken["source_url"] != broken["prev_source_url"]


def test_a_new_version_of_either_report_re_runs_its_checks(store: Store) -> None:
    reports = _years("天津市河北区宁园街道办事处", range(2022, 2025), break_year=2023)
    for report in reports:
        _load(store, "tj", report)
    assert _fails(store) == {(2023, "XY-CARRY", "natural_person"), (2023, "XY-CARRY", "total")}
    old_2022 = {r["prev_version_id"] for r in store.cross_year_checks() if r["year"] == 2023}
    corrected = copy.deepcopy(reports[0])  # 2022 re-published with the carried-out figure 2023 quotes
    _set(corrected, "carried_out", "natural_person", _carried_out(reports[0], "natural_person") + 1)
    _set(corrected, "carried_out", "total", _carried_out(reports[0], "total") + 1)
    corrected["sections"]["overview"] += "（更正）"
    outcome = _load(store, "tj", corrected, sha256="f" * 64)
    assert outcome.created
    assert _fails(store) == set()
    rows_2023 = [r for r in store.cross_year_checks() if r["year"] == 2023]
    assert {r["prev_version_id"] for r in rows_2023} == {outcome.version_id} != old_2022
    assert len(rows_2023) == 9  # 7 XY-CARRY + 2 XY-VALID: replaced, not added to


def test_identity_links_printed_variants_so_their_years_are_compared(store: Store) -> None:
    first, second = _years("淮安市洪泽区人民政府", range(2023, 2025))
    second = {**second, "agency": "洪泽区人民政府"}  # as js-hongze-2024 prints it
    stranger = build_report("洪泽区某某管理委员会", 2024, seed=9)
    _load(store, "hongze", first)
    _load(store, "hongze", second)
    _load(store, "hongze", stranger)
    assert store.cross_year_checks() == []  # two printed names: nothing to compare yet
    registry = [Row("hongze", "淮安市洪泽区人民政府", "county", "320813")]
    summary = store.refresh_identity(registry)
    assert (summary.canonical, summary.linked, summary.unlinked) == (1, 2, 1)
    rows = store.agencies()
    linked = {r["printed_name"]: (r["canonical_name"], r["region_code"], r["resolution"]) for r in rows}
    assert linked == {
        "淮安市洪泽区人民政府": ("淮安市洪泽区人民政府", "320813", "exact"),
        "洪泽区人民政府": ("淮安市洪泽区人民政府", "320813", "region-prefix"),
        "洪泽区某某管理委员会": (None, None, "unresolved"),
    }
    assert [r["printed_name"] for r in store.agencies(unresolved=True)] == ["洪泽区某某管理委员会"]
    checks = store.cross_year_checks()
    assert {(r["year"], r["status"]) for r in checks if r["rule"] == "XY-CARRY"} == {(2024, "PASS")}
    assert {r["canonical_name"] for r in checks} == {"淮安市洪泽区人民政府"}
    with store.engine.connect() as conn:
        codes = dict(conn.execute(sa.select(AGENCIES.c.name, AGENCIES.c.region_code)).all())
        canonical = conn.execute(sa.select(CANONICAL_AGENCIES)).mappings().one()
    assert codes["洪泽区人民政府"] == "320813"
    assert codes["洪泽区某某管理委员会"] is None
    assert (canonical["province"], canonical["region_name"], canonical["parent_region_code"]) == (
        "江苏省",
        "洪泽区",
        "320800",
    )
    # a refresh is idempotent
    assert store.refresh_identity(registry) == summary
    assert len(store.cross_year_checks()) == len(checks)


def test_the_panel_is_one_row_per_agency_and_year_on_both_engines(store: Store, tmp_path: Any) -> None:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from gxbg.store.engine import read_connection
    from gxbg.store.panel import export_panel

    for report in _years("淮安市洪泽区人民政府", range(2021, 2024), break_year=2022):
        _load(store, "hongze", report)
    variant = {
        **build_report("洪泽区人民政府", 2023, seed=7),
        "title": "另一份",
    }  # the same year, signed apart
    _load(store, "hongze", variant)
    blank = build_report("洪泽区某某管理委员会", 2023, seed=8, blank_cells=2)
    _load(store, "hongze", blank)
    store.refresh_identity([Row("hongze", "淮安市洪泽区人民政府", "county", "320813")])
    out = tmp_path / "panel.parquet"
    with read_connection(store.engine) as conn:
        assert export_panel(conn, fmt="parquet", out=out) == 4
    table = pq.read_table(out)
    keys = list(zip(table["agency_key"].to_pylist(), table["year"].to_pylist(), strict=True))
    assert len(keys) == len(set(keys)) == 4
    mine = table.filter(pc.equal(table["agency"], "淮安市洪泽区人民政府")).to_pylist()
    assert [(r["year"], r["n_reports"]) for r in mine] == [(2021, 1), (2022, 1), (2023, 2)]
    fails: dict[int, int] = {}
    for check in store.cross_year_checks(statuses=["FAIL"]):
        fails[check["version_id"]] = fails.get(check["version_id"], 0) + 1
    assert [r["cross_year_fail"] for r in mine] == [fails.get(r["version_id"], 0) for r in mine]
    assert mine[0]["cross_year_fail"] == 0  # no 2020 to compare with
    assert (
        mine[1]["cross_year_fail"] >= 2
    )  # the planted XY-CARRY break (and the factory's random 现行有效件数)
    assert {r["region_code"] for r in mine} == {"320813"}
    [stranger] = table.filter(pc.equal(table["agency"], "洪泽区某某管理委员会")).to_pylist()
    assert stranger["canonical_agency_id"] is None
    assert stranger["agency_key"].startswith("agency:")
    blanks = [k for k, v in stranger.items() if k.endswith("_meaning") and v == "blank"]
    assert len(blanks) == 2
    for key in blanks:
        assert stranger[key.removesuffix("_meaning")] is None


def test_after_a_refresh_a_new_printed_name_is_linked_on_load(store: Store) -> None:
    first, second, third = _years("淮安市洪泽区人民政府", range(2022, 2025), break_year=2024)
    _load(store, "hongze", first)
    store.refresh_identity([Row("hongze", "淮安市洪泽区人民政府", "county", "320813")])
    _load(store, "hongze", {**second, "agency": "洪泽区人民政府"})  # a variant first seen now
    _load(store, "hongze", {**third, "agency": "区政府办公室"})  # and another
    _load(store, "hongze", build_report("洪泽区某某管理委员会", 2024, seed=9))
    linked = {r["printed_name"]: (r["canonical_name"], r["resolution"]) for r in store.agencies()}
    assert linked == {
        "淮安市洪泽区人民政府": ("淮安市洪泽区人民政府", "exact"),
        "洪泽区人民政府": ("淮安市洪泽区人民政府", "region-prefix"),
        "区政府办公室": ("淮安市洪泽区人民政府", "dropped-prefix"),
        "洪泽区某某管理委员会": (None, "unresolved"),
    }
    # compared across the three printed names at load time, no refresh needed
    assert _fails(store) == {(2024, "XY-CARRY", "natural_person"), (2024, "XY-CARRY", "total")}
    assert {r["year"] for r in store.cross_year_checks()} == {2023, 2024}
