"""Loading report versions: keys, versioning, exact values, the analysis views."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from gxbg.store.db import Store
from gxbg.store.errors import StoreError
from tests.store.factory import build_report, source_for


def _count(store: Store, table: str, where: str = "1=1") -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE {where}")).scalar_one())


def test_first_load_writes_every_part_of_the_version(store: Store) -> None:
    report = build_report(year=2021, fmt="2021")
    outcome = store.load_report(None, portal="tianjin-hebei", source=source_for(report), report=report)
    assert outcome.created
    assert _count(store, "report_versions") == 1
    assert _count(store, "cells", f"version_id = {outcome.version_id}") == len(report["cells"])
    assert _count(store, "check_results", f"version_id = {outcome.version_id}") == len(report["checks"])
    assert _count(store, "sections", f"version_id = {outcome.version_id}") == 5  # "other" is null
    assert _count(store, "documents") == 1


def test_same_content_adds_nothing(store: Store) -> None:
    report = build_report()
    first = store.load_report(None, portal="p", source=source_for(report), report=report)
    again = store.load_report(None, portal="p", source=source_for(report), report=copy.deepcopy(report))
    assert not again.created
    assert (again.report_id, again.version_id) == (first.report_id, first.version_id)
    assert _count(store, "report_versions") == 1
    assert _count(store, "cells") == len(report["cells"])


def test_changed_content_adds_exactly_one_version_and_keeps_the_old(store: Store) -> None:
    old = build_report(seed=1)
    new = build_report(seed=2)
    first = store.load_report(None, portal="p", source=source_for(old), report=old)
    second = store.load_report(
        None, portal="p", source=source_for(new, fetched_at="2026-12-01T00:00:00Z"), report=new
    )
    assert second.created
    assert second.report_id == first.report_id
    assert second.version_id != first.version_id
    assert _count(store, "reports") == 1
    assert _count(store, "report_versions") == 2
    assert _count(store, "report_versions", "is_current") == 1
    assert _count(store, "report_versions", f"is_current AND id = {second.version_id}") == 1
    assert _count(store, "cells", f"version_id = {first.version_id}") == len(old["cells"])
    # The old content coming back makes it current again without adding a third version.
    back = store.load_report(None, portal="p", source=source_for(old), report=old)
    assert not back.created
    assert back.version_id == first.version_id
    assert _count(store, "report_versions") == 2
    assert _count(store, "report_versions", f"is_current AND id = {first.version_id}") == 1


def test_reports_are_keyed_by_agency_and_year_not_region(store: Store) -> None:
    # Two units of the same district, same year: two reports.
    for agency in ("北京市西城区人民政府", "北京市西城区教育委员会"):
        report = build_report(agency=agency, year=2022)
        store.load_report(None, portal="xicheng", source=source_for(report), report=report)
    assert _count(store, "reports") == 2
    assert _count(store, "agencies") == 2
    # A generic printed name ("政府办公室", tests/cases/ha-longting-2019) on two portals is two
    # agencies, never two versions of one report.
    for portal in ("longting", "gulou"):
        report = build_report(agency="政府办公室", year=2019, seed=hash(portal) % 7)
        assert store.load_report(
            None, portal=portal, source=source_for(report, url=f"http://127.0.0.1/{portal}"), report=report
        ).created
    assert _count(store, "reports") == 4
    assert _count(store, "report_versions") == 4


def test_2019_and_2021_cells_coexist_and_values_stay_exact(store: Store) -> None:
    r2019 = build_report(year=2020, fmt="2019", seed=3)
    r2021 = build_report(year=2021, fmt="2021", seed=3)
    for report in (r2019, r2021):
        store.load_report(None, portal="p", source=source_for(report), report=report)
    amount = r2019["tables"]["proactive"]["procurement"]["amount"]["value"]
    change = r2019["tables"]["proactive"]["licensing"]["items_change"]
    with store.engine.connect() as conn:
        cells = store_cells(conn)
    assert cells[("2019", "proactive", "procurement", "amount")] == (Decimal(amount), "万元")
    assert cells[("2019", "proactive", "licensing", "items_change")][0] == Decimal(change)
    assert ("2021", "requests", "other_handling.overdue_fee", "total") in cells
    assert ("2019", "requests", "other_handling", "total") in cells


def store_cells(conn: sa.Connection) -> dict[tuple[str, str, str, str], tuple[Decimal | None, str | None]]:
    from gxbg.store.schema import CELLS, REPORT_VERSIONS

    query = sa.select(
        REPORT_VERSIONS.c.format,
        CELLS.c.table_key,
        CELLS.c.row_key,
        CELLS.c.col_key,
        CELLS.c.value,
        CELLS.c.unit,
    ).join(REPORT_VERSIONS, REPORT_VERSIONS.c.id == CELLS.c.version_id)
    return {(f, t, r, c): (v, u) for f, t, r, c, v, u in conn.execute(query)}


def test_blank_is_never_stored_as_zero(store: Store) -> None:
    report = build_report(blank_cells=2)
    outcome = store.load_report(None, portal="p", source=source_for(report), report=report)
    where = f"version_id = {outcome.version_id} AND meaning = 'blank'"
    assert _count(store, "cells", where) == 2
    assert _count(store, "cells", where + " AND value IS NULL") == 2


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.update(agency=None), "agency is missing"),
        (lambda r: r.update(year="2021"), "report year"),
        (lambda r: r["cells"][0].update(meaning="blank"), "must have a null value"),
        (lambda r: r["cells"][0].update(value="1.2.3"), "not a decimal number"),
        (lambda r: r["cells"].append(dict(r["cells"][0])), "appears twice"),
        (lambda r: r["checks"][0].update(status="OK"), "status 'OK'"),
    ],
    ids=["no-agency", "year-as-text", "blank-with-value", "bad-number", "duplicate-cell", "bad-status"],
)
def test_bad_reports_are_refused_whole(
    store: Store, mutate: Callable[[dict[str, Any]], object], message: str
) -> None:
    report = build_report()
    mutate(report)
    with pytest.raises(StoreError, match=message):
        store.load_report(None, portal="p", source=source_for(build_report()), report=report)
    assert _count(store, "reports") == 0
    assert _count(store, "documents") == 0


def test_a_failing_write_rolls_back_the_whole_version(store: Store) -> None:
    report = build_report()
    report["cells"][-1]["value"] = (
        "1e400"  # valid decimal syntax but not storable exactly on SQLite / finite check
    )
    report["cells"][-1]["value"] = "12345678901234567.123"  # too many digits for SQLite; PostgreSQL stores it
    try:
        store.load_report(None, portal="p", source=source_for(report), report=report)
    except StoreError:
        assert store.engine.dialect.name == "sqlite"
        for table in ("reports", "report_versions", "cells", "documents", "agencies"):
            assert _count(store, table) == 0, table
    else:
        assert store.engine.dialect.name == "postgresql"
        assert _count(store, "cells", "value = 12345678901234567.123") == 1


def test_current_reports_view_has_headline_figures(store: Store) -> None:
    report = build_report(seed=5, unbalanced=True, blank_cells=1)
    outcome = store.load_report(None, portal="p", source=source_for(report), report=report)
    rows = report["tables"]["requests"]["rows"]
    with store.engine.connect() as conn:
        view = conn.execute(sa.text("SELECT * FROM current_reports")).mappings().one()
    assert view["version_id"] == outcome.version_id
    assert view["agency"] == report["agency"]
    assert view["year"] == report["year"]
    for column, row in [
        ("received_total", "received"),
        ("carried_in_total", "carried_in"),
        ("handled_total", "total"),
        ("carried_out_total", "carried_out"),
    ]:
        assert Decimal(str(view[column])) == rows[row][6], column
    for group in ("review", "litigation_direct", "litigation_after_review"):
        assert Decimal(str(view[f"{group}_total"])) == report["tables"]["appeals"][group]["total"]
    statuses = [check["status"] for check in report["checks"]]
    assert view["fail_count"] == statuses.count("FAIL") >= 1
    assert view["uncertain_count"] == statuses.count("UNCERTAIN") >= 1
    assert view["check_count"] == len(statuses)


def test_views_show_only_current_versions(store: Store) -> None:
    old, new = build_report(seed=1), build_report(seed=2)
    store.load_report(None, portal="p", source=source_for(old), report=old)
    latest = store.load_report(None, portal="p", source=source_for(new), report=new)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_id FROM current_reports")).scalars().all() == [
            latest.version_id
        ]
        versions = conn.execute(sa.text("SELECT DISTINCT version_id FROM current_cells")).scalars().all()
        checks = conn.execute(sa.text("SELECT COUNT(*) FROM current_checks")).scalar_one()
    assert versions == [latest.version_id]
    assert checks == len(new["checks"])
