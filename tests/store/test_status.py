"""Publication status (``Store.publication_status``): late, on time, not found, not harvested.

One store holds reports on both sides of each deadline — departments (31 Jan N+1) against counties
(31 Mar N+1) under the 2019 rule, and the 2007 rule (31 Mar for all) for 2018 — plus an undated
report, a portal a finished run covered without finding a report, one never harvested, and open
failures.  Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gxbg.pipeline.process import Portal
from gxbg.store.db import Store
from gxbg.store.deadlines import publication_deadline
from gxbg.store.errors import StoreError
from gxbg.store.status import PortalStatus
from tests.store.factory import build_report, source_for

UTC = dt.UTC


def _portal(name: str, level: str, agency: str | None = None) -> Portal:
    return Portal(
        name=name,
        seed_url=f"http://{name}.example.gov.cn/",
        agency=agency or f"{name}机关",
        region_code="320800",
        level=level,
        province="江苏省",
    )


def _load(
    store: Store, portal: str, year: int, published: str | None, fetched_at: str, *, agency: str | None = None
) -> None:
    report = build_report(agency or f"{portal}机关", year, fmt="2021" if year >= 2021 else "2019")
    report["published"] = published
    source = source_for(
        report, url=f"http://{portal}.example.gov.cn/{year}/{fetched_at}.html", fetched_at=fetched_at
    )
    store.load_report(None, portal=portal, source=source, report=report)


def _run(
    store: Store, portals: list[str], years: list[int] | None, *, status: str = "completed", pages: int = 4
) -> int:
    run = store.start_run("harvest", {"portals": portals, "years": years, "allow_private": False})
    summary = {"run_id": run, "portals": [{"portal": p, "pages": pages, "errors": 0} for p in portals]}
    store.finish_run(run, summary, status)
    return run


PORTALS = [
    _portal("dept-late", "department"),  # dated 5 Feb: after the departments' 31 Jan
    _portal("dept-edge-in", "department"),  # first fetched 31 Jan 23:59 China time
    _portal("dept-edge-out", "department"),  # first fetched 1 Feb 00:30 China time (31 Jan in UTC)
    _portal("county-feb", "county"),  # dated 5 Feb, seen 6 Feb: on time for a county (31 Mar)
    _portal("county-late", "county"),  # dated 1 Apr
    _portal("county-by-date", "county"),  # dated 20 Mar, first seen in May
    _portal("county-undated", "county"),  # no date, first seen in June
    _portal("county-undated-early", "county"),  # no date, first seen 1 Mar
    _portal("county-corrected", "county"),  # first version seen in January, corrected in June
    _portal("county-missing", "county"),  # covered by a finished run, no report, an open failure
    _portal("county-never", "county"),  # in no run at all
    _portal("county-failed-run", "county"),  # only in a failed run
    _portal("county-task-died", "county"),  # in a completed run, but its crawl never ran (0 pages)
    _portal("county-other-year", "county"),  # covered, but only for 2022
    _portal("city-districts", "city", agency="淮安市人民政府"),  # only a district's report
]


@pytest.fixture
def loaded(store: Store) -> Store:
    _load(store, "dept-late", 2023, "2024-02-05", "2024-02-06T02:00:00Z")
    _load(store, "dept-edge-in", 2023, "2024-01-25", "2024-01-31T15:59:00Z")
    _load(store, "dept-edge-out", 2023, "2024-01-25", "2024-01-31T16:30:00Z")
    _load(store, "county-feb", 2023, "2024-02-05", "2024-02-06T02:00:00Z")
    _load(store, "county-late", 2023, "2024-04-01", "2024-04-02T02:00:00Z")
    _load(store, "county-by-date", 2023, "2024-03-20", "2024-05-01T02:00:00Z")
    _load(store, "county-undated", 2023, None, "2024-06-01T02:00:00Z")
    _load(store, "county-undated-early", 2023, None, "2024-03-01T02:00:00Z")
    _load(store, "county-corrected", 2023, "2024-01-15", "2024-01-16T02:00:00Z")
    # a corrected version: other content (agency text differs in sections via seed), fetched later
    report = build_report("county-corrected机关", 2023, fmt="2021", seed=9)
    report["published"] = "2024-01-15"
    store.load_report(
        None,
        portal="county-corrected",
        source=source_for(
            report, url="http://county-corrected.example.gov.cn/v2.html", fetched_at="2024-06-01T02:00:00Z"
        ),
        report=report,
    )
    _load(store, "city-districts", 2023, "2024-02-01", "2024-02-02T02:00:00Z", agency="淮安市洪泽区人民政府")
    # 2018 reports: the 2007 rule, 31 March for everyone, departments included
    _load(store, "dept-late", 2018, "2019-02-20", "2019-05-01T02:00:00Z")
    everyone = [
        p.name for p in PORTALS if p.name not in ("county-never", "county-failed-run", "county-other-year")
    ]
    _run(store, [n for n in everyone if n != "county-task-died"], None)
    _run(store, ["county-task-died"], [2023], pages=0)
    _run(store, ["county-failed-run"], [2023], status="failed")
    _run(store, ["county-other-year"], [2022])
    running = store.start_run("harvest", {"portals": ["county-never"], "years": None})  # never finished
    assert running
    store.record_failure(
        None,
        portal="county-missing",
        url="http://county-missing.example.gov.cn/2023.html",
        stage="parse",
        error="SectionNotFound",
        reason="表三 not found",
    )
    return store


def _by_portal(rows: list[PortalStatus]) -> dict[str, PortalStatus]:
    return {row.portal: row for row in rows}


def test_each_status_on_both_sides_of_each_deadline(loaded: Store) -> None:
    rows = loaded.publication_status(2023, PORTALS)
    assert [row.portal for row in rows] == [p.name for p in PORTALS]  # registry order
    status = {row.portal: row.status for row in rows}
    assert status == {
        "dept-late": "late",
        "dept-edge-in": "on_time",
        "dept-edge-out": "on_time_by_date",
        "county-feb": "on_time",
        "county-late": "late",
        "county-by-date": "on_time_by_date",
        "county-undated": "undated",
        "county-undated-early": "on_time",
        "county-corrected": "on_time",
        "county-missing": "not_found",
        "county-never": "not_harvested",
        "county-failed-run": "not_harvested",
        "county-task-died": "not_harvested",
        "county-other-year": "not_harvested",
        "city-districts": "on_time",
    }


def test_deadlines_by_level_and_rule(loaded: Store) -> None:
    rows = _by_portal(loaded.publication_status(2023, PORTALS))
    assert rows["dept-late"].deadline == dt.date(2024, 1, 31)
    assert rows["county-feb"].deadline == rows["city-districts"].deadline == dt.date(2024, 3, 31)
    assert "第四十九条" in rows["dept-late"].rule
    assert "unverified" in rows["dept-late"].rule
    old = _by_portal(loaded.publication_status(2018, PORTALS))
    assert old["dept-late"].deadline == dt.date(2019, 3, 31)
    assert "2007" in old["dept-late"].rule
    # dated 20 Feb 2019: late for a department under the 2019 rule, not under the 2007 one
    assert old["dept-late"].status == "on_time_by_date"
    assert publication_deadline(2019, "department").date == dt.date(2020, 1, 31)
    assert publication_deadline(2018, "county").date == dt.date(2019, 3, 31)


def test_reports_carry_their_provenance_and_check_counts(loaded: Store) -> None:
    rows = _by_portal(loaded.publication_status(2023, PORTALS))
    report = rows["dept-edge-out"].primary
    assert report is not None
    assert report.first_fetched_at == dt.datetime(2024, 1, 31, 16, 30, tzinfo=UTC)
    assert report.first_seen == dt.date(2024, 2, 1)  # Asia/Shanghai date
    assert report.published == dt.date(2024, 1, 25)
    assert report.source_url.startswith("http://dept-edge-out.example.gov.cn/2023/")
    assert report.agency == "dept-edge-out机关"
    assert rows["dept-edge-out"].agency_matched
    assert report.fail_count == 0
    assert report.uncertain_count == 0
    corrected = rows["county-corrected"].primary
    assert corrected is not None
    assert corrected.source_url.endswith("/v2.html")  # the current version …
    assert corrected.first_seen == dt.date(2024, 1, 16)  # … first seen with its first version


def test_not_found_lists_open_failures_and_runs(loaded: Store) -> None:
    rows = _by_portal(loaded.publication_status(2023, PORTALS))
    missing = rows["county-missing"]
    assert missing.reports == ()
    assert missing.agency_matched is None
    assert [f["url"] for f in missing.open_failures] == ["http://county-missing.example.gov.cn/2023.html"]
    assert missing.open_failures[0]["reason"] == "表三 not found"
    assert len(missing.covered_by) == 1
    assert rows["county-never"].covered_by == ()
    assert rows["county-never"].open_failures == ()
    assert rows["county-failed-run"].covered_by == ()


def test_a_portal_hosting_other_agencies_says_so(loaded: Store) -> None:
    row = _by_portal(loaded.publication_status(2023, PORTALS))["city-districts"]
    assert row.agency_matched is False
    assert row.primary is not None
    assert row.primary.agency == "淮安市洪泽区人民政府"
    _load(loaded, "city-districts", 2023, "2024-04-02", "2024-04-03T02:00:00Z", agency="淮安市人民政府")
    row = _by_portal(loaded.publication_status(2023, PORTALS))["city-districts"]
    assert row.agency_matched is True
    assert row.status == "late"
    assert [r.agency for r in row.reports] == ["淮安市人民政府", "淮安市洪泽区人民政府"]
    assert [r.status for r in row.reports] == ["late", "on_time"]


def test_to_dict_is_json_ready(loaded: Store) -> None:
    import json

    rows = loaded.publication_status(2023, PORTALS)
    data: list[dict[str, Any]] = [json.loads(json.dumps(row.to_dict(), ensure_ascii=False)) for row in rows]
    first = data[0]
    assert first["status"] == "late"
    assert first["deadline"] == "2024-01-31"
    assert first["reports"][0]["published"] == "2024-02-05"
    assert first["reports"][0]["first_seen"] == "2024-02-06"


def test_years_with_nothing_due_are_refused(store_url: str) -> None:
    # 17:00 UTC on 31 Dec 2024 is already 1 Jan 2025 in China: the 2024 reports are due, 2025's not
    store = Store(store_url, clock=lambda: dt.datetime(2024, 12, 31, 17, 0, tzinfo=UTC))
    try:
        assert store.publication_status(2024, PORTALS[:1])[0].status == "not_due"  # department: 31 Jan
        for year in (2007, 2025):
            with pytest.raises(StoreError, match=f"no reports are due for year {year}"):
                store.publication_status(year, PORTALS[:1])
    finally:
        store.close()


def test_nothing_found_is_not_due_until_the_deadline_passes(store_url: str) -> None:
    # 1 Feb 2025 in China: the departments' 2024 deadline (31 Jan) has passed, the counties' (31 Mar) not
    store = Store(store_url, clock=lambda: dt.datetime(2025, 1, 31, 16, 30, tzinfo=UTC))
    try:
        _run(store, ["dept-late", "county-missing"], [2024])
        rows = store.publication_status(2024, [PORTALS[0], PORTALS[9], PORTALS[10]])
        assert [(r.portal, r.status) for r in rows] == [
            ("dept-late", "not_found"),
            ("county-missing", "not_due"),
            ("county-never", "not_due"),
        ]
    finally:
        store.close()


def test_flat_rows_for_csv_and_the_artifact(loaded: Store) -> None:
    from gxbg.store.status_render import (
        STATUS_COLUMNS,
        STATUS_TABLE_COLUMNS,
        status_note,
        status_record,
        status_table_row,
    )

    rows = _by_portal(loaded.publication_status(2023, PORTALS))
    records = {name: status_record(row) for name, row in rows.items()}
    assert all(tuple(r) == STATUS_COLUMNS for r in records.values())
    late = records["dept-late"]
    assert (late["status"], late["deadline"], late["published"], late["first_seen"]) == (
        "late",
        "2024-01-31",
        "2024-02-05",
        "2024-02-06",
    )
    counts = (late["agency_matched"], late["fail_count"], late["other_reports"], late["open_failures"])
    assert counts == ("true", 0, 0, 0)
    assert rows["dept-late"].covered_by
    assert late["covered_by"] == " ".join(str(i) for i in rows["dept-late"].covered_by)
    missing = records["county-missing"]
    assert (missing["report_agency"], missing["published"], missing["fail_count"]) == ("", "", "")
    assert (missing["agency_matched"], missing["open_failures"]) == ("", 1)

    table = {name: status_table_row(row) for name, row in rows.items()}
    assert all(tuple(r) == STATUS_TABLE_COLUMNS for r in table.values())
    for name, row in table.items():  # the artifact shows the CSV's values (bar "—" and the note)
        same = {k: v for k, v in row.items() if k not in ("note", "published")}
        assert same == {k: records[name][k] for k in same}
    assert table["county-undated"]["published"] == "—"  # found, no printed date
    assert table["county-missing"]["published"] == ""  # nothing found
    assert table["county-missing"]["note"] == "a failing page may be the report"
    assert table["city-districts"]["note"] == "not the registry agency (淮安市人民政府)"
    assert table["city-districts"]["report_agency"] == "淮安市洪泽区人民政府"
    assert table["dept-late"]["note"] == status_note(rows["dept-late"]) == ""


def test_counts_and_markdown_name_every_status_and_rule(loaded: Store) -> None:
    from gxbg.store.deadlines import STATUS_MEANING, STATUSES
    from gxbg.store.status_render import status_counts, status_markdown

    rows = loaded.publication_status(2023, PORTALS)
    counts = status_counts(rows)
    assert tuple(counts) == STATUSES
    assert counts == {
        "late": 2,
        "on_time": 5,
        "on_time_by_date": 2,
        "undated": 1,
        "not_due": 0,
        "not_found": 1,
        "not_harvested": 4,
    }
    text = status_markdown(rows, year=2023)
    assert text.startswith("# Publication status of the 2023 reports\n")
    for name in STATUSES:
        assert f"| `{name}` | {counts[name]} | {STATUS_MEANING[name]} |" in text
    assert f"| **total** | **{len(PORTALS)}** | |" in text
    assert "- 2024-01-31: 2019 条例 第四十九条: departments by 31 Jan N+1 (unverified)" in text
    assert "- 2024-03-31: 2019 条例 第四十九条: local governments by 31 Mar N+1 (unverified)" in text
    assert "(no portals)" in status_markdown([], year=2023)


def test_a_report_signed_with_a_variant_of_the_registry_agency_is_its_own(store: Store) -> None:
    """Agency identity (issue 14): 洪泽区人民政府 on the 洪泽区 portal is 淮安市洪泽区人民政府; a stranger
    is not."""
    hongze = Portal(
        name="hongze",
        seed_url="http://hongze.example.gov.cn/",
        agency="淮安市洪泽区人民政府",
        region_code="320813",
        level="county",
        province="江苏省",
    )
    _load(store, "hongze", 2023, "2024-01-26", "2024-01-27T02:00:00Z", agency="洪泽区某某管理委员会")
    [row] = store.publication_status(2023, [hongze])
    assert row.agency_matched is False
    _load(store, "hongze", 2023, "2024-04-02", "2024-04-03T02:00:00Z", agency="洪泽区人民政府")
    [row] = store.publication_status(2023, [hongze])
    assert row.agency_matched is True
    assert row.primary is not None
    assert (row.primary.agency, row.status) == ("洪泽区人民政府", "late")
